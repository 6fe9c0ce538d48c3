"""Kind ``share_of_total``: a sector's (or a firm-size class's) share of all jobs in a year.

Expected shares come from data/processed read with pandas (tests/kinds_new_helpers.py) or from
synthetic cells worked out by hand: part and whole each +-50, share in [part_lo / whole_hi,
part_hi / whole_lo]."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.engine.check import check, tables_for
from analysis.engine.intervals import Bound
from analysis.engine.kinds.share_of_total import share_bound
from analysis.engine.registry import load_registry
from analysis.engine.registry_errors import RegistryError
from analysis.engine.tables import NoData
from analysis.processing.titles import COROP_PROVINCE
from kinds_new_helpers import HALF, cell, real_cells, write_jobs, write_registry

FIXTURE = Path(__file__).parent / "fixtures" / "new_kinds_registry.toml"


def share_claim(region: str, check_lines: str, reading: str) -> str:
    return f"""
[[claim]]
id = "sh"
region = "{region}"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "share_of_total"
{check_lines}
reading = {{ {reading} }}
"""


def reading(tmp_path, claim: str, data: Path | None = None):
    registry = write_registry(tmp_path / "claims.toml", claim)
    return check("sh", registry=registry, data_dir=data)


@pytest.fixture(scope="module")
def cells():
    return real_cells()


def test_sector_share_of_a_corop_region(tmp_path, cells):
    part, whole = cell(cells, "CR12", "C", 2017), cell(cells, "CR12", "A-U", 2017)
    result = reading(tmp_path, share_claim("CR12", 'relation = "value"\nclaimed = { low = 13, high = 14 }',
                                           'sector = "C", year = 2017'))
    got = result.reading.result
    assert got.value == pytest.approx(100 * part / whole)
    assert got.low == pytest.approx(100 * (part - HALF) / (whole + HALF))
    assert got.high == pytest.approx(100 * (part + HALF) / (whole - HALF))
    assert result.reading.holds is (13 <= got.low and got.high <= 14)


def test_province_share_sums_part_and_whole_over_the_same_corop_regions(tmp_path, cells):
    members = [c for c, p in COROP_PROVINCE.items() if p == "PV23"]
    part = sum(cell(cells, c, "C", 2019) for c in members)
    whole = sum(cell(cells, c, "A-U", 2019) for c in members)
    result = reading(tmp_path, share_claim("PV23", 'relation = "at_least"',
                                           'sector = "C", year = 2019, threshold = 10.0'))
    got = result.reading.result
    n = len(members)
    assert got.value == pytest.approx(100 * part / whole)
    assert got.low == pytest.approx(100 * (part - HALF * n) / (whole + HALF * n))
    assert result.reading.holds is (got.low >= 10.0)


def firm_sizes() -> pd.DataFrame:
    return pd.read_csv(paths.processed_dir() / "jobs_by_firm_size.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("vintage,status", [("newest", "second-of-two"), ("oldest", "first-of-two")])
def test_size_class_share_of_the_nation(tmp_path, vintage, status):
    # 81497NED holds 2012 twice: the later figures (second of two) unless the oldest is asked for
    sizes = firm_sizes()
    rows = sizes[(sizes["source_table"] == "81497NED") & (sizes["sbi_code"] == "C")
                 & (sizes["year"] == "2012") & (sizes["period_status"] == status)]
    jobs = rows.set_index("size_class")["employee_jobs"].astype(float)
    part, whole = jobs["1-10"] + jobs["10-50"], jobs["total"]
    result = reading(tmp_path, share_claim(
        "NL01", 'relation = "value"\nclaimed = { low = 0, high = 100 }',
        'sector = "C", table = "81497NED", year = 2012, size_classes = ["1-10", "10-50"], '
        f'vintage = "{vintage}"'))
    assert result.reading.result.value == pytest.approx(100 * part / whole)


def test_size_class_for_a_region_says_it_is_national_only(tmp_path):
    result = reading(tmp_path, share_claim(
        "CR12", 'relation = "value"\nclaimed = { low = 0, high = 100 }',
        'sector = "C", table = "81497NED", year = 2012, size_classes = ["1-10"]'))
    assert result.reading is None
    assert "alleen voor heel Nederland" in result.unevaluable[0].reason.render("nl")
    assert "for the Netherlands as a whole only" in result.unevaluable[0].reason.render("en")


# --- synthetic: boundaries --------------------------------------------------------------------

def test_share_bound_by_hand():
    got = share_bound(Bound(19950, 20000, 20050), Bound(99950, 100000, 100050))
    assert (got.lo, got.value, got.hi) == pytest.approx((19950 / 100050 * 100, 20.0, 20050 / 99950 * 100))


def test_share_bound_is_capped_at_a_hundred_and_needs_a_whole():
    assert share_bound(Bound(0, None, 500), Bound(0.5, None, 400)).hi == 100.0
    with pytest.raises(NoData):
        share_bound(Bound(0, None, 10), Bound(0, None, 400))


@pytest.mark.parametrize("threshold,holds", [
    (100 * 19950 / 100050, True),    # exactly the share's low end: at or above holds
    (20.0, None),
    (100 * 20050 / 99950, None),     # exactly the high end: some value reaches it
    (20.1, False),
])
def test_at_least_on_the_threshold(tmp_path, threshold, holds):
    data = write_jobs(tmp_path / "data", {("CR01", "C", 2016): 20000, ("CR01", "A-U", 2016): 100000})
    result = reading(tmp_path, share_claim("CR01", 'relation = "at_least"',
                                           f'sector = "C", table = "99901NED", year = 2016, '
                                           f'threshold = {threshold!r}'), data)
    assert result.reading.holds is holds


def test_claimed_fifth_as_an_interval(tmp_path):
    # "een vijfde" read as 19.5% to 20.5%: the share's [19.94, 20.06] lies inside
    data = write_jobs(tmp_path / "data", {("CR01", "C", 2016): 20000, ("CR01", "A-U", 2016): 100000})
    result = reading(tmp_path, share_claim("CR01", 'relation = "value"\nclaimed = { low = 19.5, high = 20.5 }',
                                           'sector = "C", table = "99901NED", year = 2016'), data)
    assert result.reading.holds is True
    fact = result.reading.facts[0].sentence
    assert "20,0%" in fact.render("nl") and "20.0%" in fact.render("en")


@pytest.mark.parametrize("reading_text,field", [
    ('sector = "C", year = 2017, total = "ZZ"', "check.reading.total"),
    ('sector = "C", year = 2012, table = "81497NED", size_classes = ["2-3"]', "check.reading.size_classes"),
])
def test_unknown_codes_are_refused(tmp_path, reading_text, field):
    path = write_registry(tmp_path / "claims.toml", share_claim(
        "NL01", 'relation = "value"\nclaimed = { value = 20, decimals = 0 }', reading_text))
    with pytest.raises(RegistryError, match=f"claim 'sh', field {field}"):
        load_registry(path, tables_for(None))


def test_example_entries_check():
    industry = check("twente-industry-share-2017", registry=FIXTURE)
    assert industry.reading.holds is True and industry.reading.result.unit == "percent"
    small = check("nl-small-firms-2014", registry=FIXTURE)
    assert small.region == "NL01" and small.reading.holds is True
