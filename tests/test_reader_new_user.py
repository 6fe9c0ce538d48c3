"""Issue 16's "done when": three claims a new user tried (health care in Twente since 2010, 60% technical
students at the UT, manufacturing growth in Zuidoost-Noord-Brabant since 2010) go from the sentence to an
entry (``propose --write``) to the engine's check to the page's source lines, with no hand edits.

The page build itself is slow (minutes); this test runs what the page rests on: the written registry,
the engine's check of each claim and the source lines the page prints (report.claimtexts). Every
expected figure is worked out from data/processed with pandas, independently of the engine.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.engine.check import check
from analysis.reader.cli import add_propose_parser, run_propose
from analysis.report.claimtexts import claim_source, said_by

CLAIMS = {  # sentence, date, source URL, publisher, title, region, the page's date in Dutch and English
    "care": ("De werkgelegenheid in de zorg in Twente is sinds 2010 met 20 procent gegroeid.", "2025-06-01",
             "https://example.org/twente-zorg-2025", "Voorbeeldmonitor Twente", "Zorg in Twente 2025", "CR12",
             ("1 juni 2025", "1 June 2025")),
    "ut": ("60% van de studenten aan de Universiteit Twente is technisch student.", "2024-10-15",
           "https://example.org/ut-studenten-2024", "Voorbeeldkrant", "Techniek aan de UT", "CR12",
           ("15 oktober 2024", "15 October 2024")),
    "brabant": (("De werkgelegenheid in de industrie in Zuidoost-Noord-Brabant is sinds 2010 met ruim 35 procent "
                "gegroeid."), "2024-12-20", "https://example.org/brainport-2024", "Voorbeeldmonitor Brainport",
                "Industrie in Zuidoost-Brabant 2024", "CR36", ("20 december 2024", "20 December 2024")),
}


def propose(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    add_propose_parser(sub)
    return run_propose(parser.parse_args(["propose", *argv]))


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    """The three claims written by ``propose --write`` into a new registry, as a new user would."""
    path = tmp_path_factory.mktemp("user") / "my.toml"
    for sentence, date, url, publisher, title, *_ in CLAIMS.values():
        assert propose([sentence, "--date", date, "--source", url, "--publisher", publisher, "--title", title,
                        "--write", str(path), "--no-check"]) == 0
    entries = tomllib.loads(path.read_text(encoding="utf-8"))["claim"]
    assert len(entries) == 3
    return path, dict(zip(CLAIMS, entries, strict=True))


def jobs(region: str, sector: str, year: int) -> float:
    table = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype={"sbi_code": str})
    row = table[(table.source_table == "83582NED") & (table.vintage == "latest") & (table.region_code == region)
                & (table.sbi_code == sector) & (table.year == year)]
    assert len(row) == 1, (region, sector, year)
    return float(row.employee_jobs.iat[0])


@pytest.mark.parametrize("name", list(CLAIMS))
def test_the_entry_carries_its_own_source_date_and_region(registry, name):
    path, entries = registry
    sentence, date, url, publisher, title, region, (date_nl, date_en) = CLAIMS[name]
    entry = entries[name]
    assert entry["text_nl"] == sentence and entry["region"] == region
    assert entry["source"] == {"publisher": publisher, "title": title, "url": url, "date": date}
    # what the page prints above the quote and under "Source" (report.claimtexts, as claimpage uses them)
    source = claim_source(entry["id"], path)
    assert (source["publisher"], source["title"], source["date"], source["region"]) == (publisher, title, date, region)
    said = said_by(entry["id"], path)
    assert publisher in said["nl"] and title in said["nl"] and date_nl in said["nl"]
    assert publisher in said["en"] and date_en in said["en"]


def test_care_in_twente_is_read_and_checked_on_its_own_date(registry):
    path, entries = registry
    entry = entries["care"]
    # 2025-06-01: December 2023 is the newest year public (CBS: December of Y in the December of Y+1)
    assert entry["check"]["reading"] == {"sector": "Q", "base_year": 2010, "end_year": 2023}
    assert entry["check"]["claimed"]["low"] == 19.5 and entry["check"]["claimed"]["high"] == 20.5
    result = check(entry["id"], registry=path)
    # 48,800 -> 59,600 health-care jobs, each rounded to 100: the growth lies in
    # [59,550 / 48,850 - 1, 59,650 / 48,750 - 1] = [21.90%, 22.36%], outside [19.5, 20.5)
    low = (jobs("CR12", "Q", 2023) - 50) / (jobs("CR12", "Q", 2010) + 50) * 100 - 100
    high = (jobs("CR12", "Q", 2023) + 50) / (jobs("CR12", "Q", 2010) - 50) * 100 - 100
    assert result.reading.result.low == pytest.approx(low) and result.reading.result.high == pytest.approx(high)
    assert result.reading.holds is False
    assert str(result.claim_date) == "2025-06-01"  # the source's date, not the shipped claims' 2017


def test_the_ut_share_is_checked_with_its_seat_as_region(registry):
    path, entries = registry
    entry = entries["ut"]
    # 2024-10-15: the newest DUO count public is 1 October 2023
    assert entry["check"]["kind"] == "share"
    assert entry["check"]["reading"] == {"institutions": ["21PH"], "sectors": ["techniek"], "year": 2023}
    result = check(entry["id"], registry=path)
    enrolment = pd.read_csv(paths.processed_dir() / "enrolment.csv")
    ut = enrolment[(enrolment.institution_code == "21PH") & (enrolment.year == 2023)
                   & (enrolment.edition == "duo-wo-2025")]
    technical = ut[ut.croho_sector == "techniek"].students.sum()
    # a masked cell holds 1-4 students: the share lies between these two
    lowest = technical / (ut.students.sum() + 4 * ut.masked_cells.sum())
    highest = technical / (ut.students.sum() + ut.masked_cells.sum())
    assert 100 * lowest > 60.5  # far above the claim's [59.5, 60.5)
    assert 100 * lowest - 0.05 <= result.reading.result.value <= 100 * highest + 0.05
    assert result.reading.holds is False and result.region == "CR12"


def test_manufacturing_in_zuidoost_brabant_is_checked_for_its_own_region(registry):
    path, entries = registry
    entry = entries["brabant"]
    assert entry["check"]["reading"] == {"sector": "C", "base_year": 2010, "end_year": 2023}
    assert (entry["check"]["claimed"]["low"], entry["check"]["claimed"]["high"]) == (35.0, 35.5)  # "ruim 35"
    result = check(entry["id"], registry=path)
    assert result.region == "CR36" and result.reading.holds is False
    # 2010's manufacturing cell is suppressed; manufacturing is part of B-E (60,600 in 2010), so the growth
    # is at least 85,950 / 60,650 - 1 = 41.7%: above the claim's 35.5% whatever the suppressed cell holds
    floor = (jobs("CR36", "C", 2023) - 50) / (jobs("CR36", "B-E", 2010) + 50) * 100 - 100
    assert floor > 35.5
    assert result.reading.result.low >= floor - 1e-9
