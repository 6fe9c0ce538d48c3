"""Kind ``enrolment_level``: DUO enrolments of named institutions on 1 October of a year.

Expected counts come from data/processed/enrolment.csv read with pandas, or from a synthetic
enrolment table worked out by hand: a masked cell ("<5") counts 1 to 4, 2.5 as its value."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.engine.check import check, tables_for
from analysis.engine.registry import load_registry
from analysis.engine.registry_errors import RegistryError
from analysis.processing.schema import ENROLMENT_COLUMNS
from kinds_new_helpers import write_jobs, write_registry

FIXTURE = Path(__file__).parent / "fixtures" / "new_kinds_registry.toml"


def enrolment_claim(check_lines: str, reading: str) -> str:
    return f"""
[[claim]]
id = "en"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "enrolment_level"
{check_lines}
reading = {{ {reading} }}
"""


def run(tmp_path, claim: str, data: Path | None = None, region: str | None = None):
    registry = write_registry(tmp_path / "claims.toml", claim)
    return check("en", region, registry=registry, data_dir=data)


def test_university_count_from_the_newest_edition(tmp_path):
    frame = pd.read_csv(paths.processed_dir() / "enrolment.csv", dtype=str, keep_default_na=False)
    rows = frame[(frame["institution_code"] == "21PH") & (frame["year"] == "2018")]
    newest = max(set(rows["edition"]), key=lambda e: int(frame.loc[frame["edition"] == e, "year"].max()))
    rows = rows[rows["edition"] == newest]
    students = pd.to_numeric(rows["students"]).sum()
    masked = pd.to_numeric(rows["masked_cells"]).sum()
    result = run(tmp_path, enrolment_claim('relation = "value"\nclaimed = { low = 10000, high = 11000 }',
                                           'institutions = ["21PH"], year = 2018'))
    got = result.reading.result
    assert (got.low, got.high) == (students + masked, students + 4 * masked)
    assert result.reading.holds is bool(10000 <= students + masked and students + 4 * masked <= 11000)


def test_named_institutions_are_checked_in_the_claims_own_region_only(tmp_path):
    claim = enrolment_claim('relation = "value"\nclaimed = { low = 10000, high = 11000 }',
                            'institutions = ["21PH"], year = 2018')
    assert run(tmp_path, claim, region="CR13").verdict == "not_applicable"


def synthetic(tmp_path) -> Path:
    # institution 99XX in 2016: 100 technical students, 1 masked technical cell (1-4), 50 others
    folder = write_jobs(tmp_path / "data", {("CR01", "A-U", 2016): 1000})
    with (folder / "enrolment.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ENROLMENT_COLUMNS))
        writer.writeheader()
        for place, sector, students, masked in (("Enschede", "techniek", 100, 0),
                                                ("Hengelo", "techniek", 0, 1),
                                                ("Enschede", "economie", 50, 0)):
            writer.writerow({"edition": "duo-wo-2017", "level": "wo", "institution_code": "99XX",
                             "institution_name": "Testuniversiteit", "municipality": place,
                             "croho_sector": sector, "year": 2016, "students": students,
                             "masked_cells": masked})
    return folder


@pytest.mark.parametrize("threshold,holds", [
    (101.0, True),     # exactly the low end (100 + 1 for the masked cell): at or above holds
    (102.5, None),     # the masked cell's middle: open
    (104.0, None),     # exactly the high end
    (104.5, False),
])
def test_at_least_on_the_threshold(tmp_path, threshold, holds):
    result = run(tmp_path, enrolment_claim('relation = "at_least"',
                                           f'institutions = ["99XX"], sectors = ["techniek"], year = 2016, '
                                           f'threshold = {threshold}'), synthetic(tmp_path))
    assert result.reading.holds is holds


def test_all_sectors_when_none_are_named(tmp_path):
    result = run(tmp_path, enrolment_claim('relation = "value"\nclaimed = { low = 151, high = 154 }',
                                           'institutions = ["99XX"], year = 2016'), synthetic(tmp_path))
    got = result.reading.result
    assert (got.low, got.value, got.high) == (151, 152.5, 154)
    assert result.reading.holds is True
    assert "in alle sectoren" in result.reading.facts[0].sentence.render("nl")


@pytest.mark.parametrize("reading,field", [
    ('institutions = ["ZZZZ"], year = 2018', "check.reading.institutions"),
    ('institutions = ["21PH"], sectors = ["techno"], year = 2018', "check.reading.sectors"),
    ('institutions = ["21PH"], year = 1990', "check.reading.year"),
])
def test_unknown_values_are_refused(tmp_path, reading, field):
    path = write_registry(tmp_path / "claims.toml", enrolment_claim(
        'relation = "value"\nclaimed = { value = 10, decimals = 0 }', reading))
    with pytest.raises(RegistryError, match=f"claim 'en', field {field}"):
        load_registry(path, tables_for(None))


def test_example_entry_checks():
    result = check("ut-students-2018", registry=FIXTURE)
    assert result.reading.holds is True and result.reading.result.unit == "students"
