"""``change_vs_comparator`` with the region and the comparator moving opposite ways: the region
fell while the nation grew (``region_falls_comparator_grows``) and its mirror. Synthetic cells
worked out by hand: the region CR01 falls from 45,000 to 44,000 jobs in SBI Q, five other COROP
regions grow from 10,000 to 11,000 each, so the nation (the sum of the six) grows from 95,000 to
99,000; each cell is +-50."""

from __future__ import annotations

import pytest

from analysis.engine.check import check
from kinds_new_helpers import write_jobs, write_registry

CELLS = {("CR01", "Q", 2015): 45000, ("CR01", "Q", 2016): 44000,
         **{(f"CR0{n}", "Q", year): jobs for n in range(2, 7) for year, jobs in ((2015, 10000), (2016, 11000))}}


def outcome(tmp_path, relation: str, claimed: str = ""):
    data = write_jobs(tmp_path / "data", CELLS)
    registry = write_registry(tmp_path / "claims.toml", f"""
[[claim]]
id = "opp"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "change_vs_comparator"
relation = "{relation}"
{claimed}
reading = {{ sector = "Q", table = "99901NED", base_year = 2015, end_year = 2016, comparator = "nation" }}
""")
    return check("opp", None, registry=registry, data_dir=data).reading


def test_the_region_fell_while_the_nation_grew(tmp_path):
    got = outcome(tmp_path, "region_falls_comparator_grows")
    assert got.holds is True
    assert {f.part: f.holds for f in got.facts} == {"region": True, "comparator": True}


def test_the_mirror_relation_fails_on_both_halves(tmp_path):
    got = outcome(tmp_path, "region_grows_comparator_falls")
    assert got.holds is False
    assert {f.part: f.holds for f in got.facts} == {"region": False, "comparator": False}


@pytest.mark.parametrize(("claimed", "holds"), [
    # the region's fall is [1 - 44,050 / 44,950, 1 - 43,950 / 45,050] = [2.002%, 2.442%]
    ("claimed = { value = 2, decimals = 0 }", True),        # "2%" = [1.5, 2.5]: inside
    ("claimed = { low = 2.45, high = 3.0 }", False),        # wholly above the fall
    ("claimed = { low = 2.2, high = 3.0 }", None),          # partly inside
])
def test_the_regions_fall_against_a_claimed_size(tmp_path, claimed, holds):
    got = outcome(tmp_path, "region_falls_comparator_grows", claimed)
    region = next(f for f in got.facts if f.part == "region")
    assert region.holds is holds
    assert (region.value.low, region.value.high) == pytest.approx((2.0022, 2.4417), abs=1e-4)
