"""Kind ``level``: a number in a year, for regions of every level, with its hedge as an interval.

Expected numbers come from data/processed/jobs.csv read with pandas (tests/kinds_new_helpers.py),
or from synthetic cells worked out by hand: a published cell of x jobs is [x - 50, x + 50]."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analysis.engine.check import check, tables_for
from analysis.engine.registry import load_registry
from analysis.engine.registry_errors import RegistryError
from analysis.processing.titles import COROP_PROVINCE
from kinds_new_helpers import HALF, cell, real_cells, write_jobs, write_registry

FIXTURE = Path(__file__).parent / "fixtures" / "new_kinds_registry.toml"


def level_claim(region: str, sector: str, year: int, check_lines: str, table: str = "83582NED",
                extra: str = "") -> str:
    return f"""
[[claim]]
id = "lvl"
region = "{region}"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "level"
{check_lines}
reading = {{ sector = "{sector}", year = {year}, table = "{table}"{extra} }}
"""


def reading(tmp_path, claim: str, region: str | None = None, data: Path | None = None):
    registry = write_registry(tmp_path / "claims.toml", claim)
    return check("lvl", region, registry=registry, data_dir=data).reading


@pytest.fixture(scope="module")
def cells():
    return real_cells()


def test_province_total_is_the_published_cell(tmp_path, cells):
    expected = cell(cells, "PV23", "A-U", 2017)  # Overijssel, published for provinces
    got = reading(tmp_path, level_claim("PV23", "A-U", 2017, 'relation = "value"\n'
                                        'claimed = { low = 550000, high = 560000 }'))
    assert (got.result.low, got.result.value, got.result.high) == \
        pytest.approx((expected - HALF, expected, expected + HALF))
    assert got.holds is (550000 <= expected - HALF and expected + HALF <= 560000)


@pytest.mark.parametrize("region", ["PV23", "PV21", "LD02", "NL01"])
def test_sector_of_a_larger_region_is_the_sum_of_its_corop_regions(tmp_path, cells, region):
    # 83582NED publishes sectors for COROP regions only: B-E of a province, a landsdeel (Oost =
    # Overijssel, Flevoland, Gelderland) or the nation is the sum of its COROP cells (the nation
    # with CR99), each +-50
    provinces = {"LD02": ("PV23", "PV24", "PV25")}.get(region, (region,))
    members = [c for c, p in COROP_PROVINCE.items() if p in provinces] if region != "NL01" else \
        [f"CR{n:02d}" for n in range(1, 41)] + ["CR99"]
    values = [cell(cells, code, "B-E", 2019) for code in members]
    assert not any(math.isnan(v) for v in values), "a suppressed cell: pick another sector or year"
    got = reading(tmp_path, level_claim(region, "B-E", 2019, 'relation = "at_least"',
                                        extra=", threshold = 1.0"))
    assert got.result.value == pytest.approx(sum(values))
    assert got.result.low == pytest.approx(sum(values) - HALF * len(values))
    assert got.result.high == pytest.approx(sum(values) + HALF * len(values))


def test_published_province_totals_equal_their_corop_sums(cells):
    # why a province's sector may be summed from its COROP regions: its total is (within rounding)
    for province in sorted(set(COROP_PROVINCE.values())):
        members = [c for c, p in COROP_PROVINCE.items() if p == province]
        summed = sum(cell(cells, c, "A-U", 2017) for c in members)
        assert abs(cell(cells, province, "A-U", 2017) - summed) <= HALF * (len(members) + 1)


def test_suppressed_cell_gives_an_interval_and_an_open_verdict(tmp_path, cells):
    # Twente (CR12), manufacturing 2016 is suppressed: the level is only bounded
    assert math.isnan(cell(cells, "CR12", "C", 2016))
    got = reading(tmp_path, level_claim("CR12", "C", 2016, 'relation = "value"\n'
                                        'claimed = { low = 40000, high = 41000 }'))
    assert got.result.value is None and got.result.low < got.result.high


# --- synthetic: boundaries exactly on the threshold and on the claimed interval's ends ----------

def synthetic(tmp_path) -> Path:
    return write_jobs(tmp_path / "data", {("CR01", "Q", 2016): 45000, ("CR01", "Q", 2015): 44000})


@pytest.mark.parametrize("threshold,holds", [
    (44950.0, True),    # exactly the interval's low end (45,000 - 50): at or above holds
    (45000.0, None),    # inside [44,950, 45,050]: rounding leaves it open
    (45050.0, None),    # exactly the high end: some value of the interval reaches it
    (45050.5, False),   # above every value the cell allows
])
def test_at_least_on_the_threshold(tmp_path, threshold, holds):
    claim = level_claim("CR01", "Q", 2016, 'relation = "at_least"', table="99901NED",
                        extra=f", threshold = {threshold}")
    got = reading(tmp_path, claim, data=synthetic(tmp_path))
    assert got.holds is holds


@pytest.mark.parametrize("low,high,holds", [
    (44950, 45050, True),    # the claimed interval is exactly the cell's: inside (closed)
    (45000, 46000, None),    # "ruim 45.000": the cell may lie just below 45,000
    (45050, 46000, None),    # touching at one point only
    (45051, 46000, False),   # wholly above the cell
    (44000, 44949, False),   # "bijna 45.000" read too narrowly: wholly below
])
def test_claimed_interval_ends(tmp_path, low, high, holds):
    claim = level_claim("CR01", "Q", 2016, f'relation = "value"\nclaimed = {{ low = {low}, high = {high} }}',
                        table="99901NED")
    got = reading(tmp_path, claim, data=synthetic(tmp_path))
    assert got.holds is holds
    assert (got.result.low, got.result.high) == (44950, 45050)


def test_statement_and_fact_in_both_languages(tmp_path):
    claim = level_claim("CR01", "Q", 2016, 'relation = "value"\nclaimed = { low = 44000, high = 46000 }',
                        table="99901NED")
    got = reading(tmp_path, claim, data=synthetic(tmp_path))
    nl, en = got.facts[0].sentence.render("nl"), got.facts[0].sentence.render("en")
    assert "45.000" in nl and "binnen de 44.000 tot 46.000" in nl
    assert "45,000" in en and "within the 44,000 to 46,000" in en


# --- validation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lines,field", [
    ('relation = "value"', "check.claimed"),            # a value claim without its number
    ('relation = "at_least"', "check.reading.threshold"),
    ('relation = "share"', "check.relation"),
])
def test_invalid_entries_name_claim_and_field(tmp_path, lines, field):
    path = write_registry(tmp_path / "claims.toml", level_claim("CR01", "Q", 2016, lines))
    with pytest.raises(RegistryError, match=f"claim 'lvl', field {field}"):
        load_registry(path)


def test_year_outside_the_claims_table_is_refused(cells, tmp_path):
    path = write_registry(tmp_path / "claims.toml", level_claim(
        "CR12", "Q", 2009, 'relation = "value"\nclaimed = { value = 5, decimals = 0 }'))
    with pytest.raises(RegistryError, match=r"field check.reading.year .*not in the claim's table 83582NED"):
        load_registry(path, tables_for(None))


def test_example_registry_loads_and_its_level_examples_check():
    registry = load_registry(FIXTURE, tables_for(None))
    kinds = {c.kind for c in registry.claims.values()}
    assert {"level", "rank", "share_of_total"} <= kinds
    result = check("overijssel-jobs-2017", registry=FIXTURE)
    assert result.region == "PV23" and result.reading.holds is True
