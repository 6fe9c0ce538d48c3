"""Readings the verdict issue asked for, on synthetic data with answers worked out by hand:
round numbers read at two precisions, bounds that decide where no series measures the region, and
a vague 'fast' read as 'faster than the region's economy'."""

from __future__ import annotations

import pytest

from analysis.engine.check import check
from analysis.engine.claimed import claimed_interval, round_step
from analysis.engine.registry import RegistryError, load_registry
from analysis.engine.result import NOT_SUPPORTED
from test_engine_synthetic import write_jobs, write_registry

LISTS = """
[meta.sector_lists.htsm-narrow]
file = "htsm_definition.csv"
column = "narrow"
code_column = "division"
label_nl = "HTSM"
label_en = "HTSM"
"""


# --- precision ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "step"), [(60, 10.0), (1800, 100.0), (35, 5.0), (15, 5.0),
                                             (36, None), (3, None), (5, None), (0, None), (2.5, None)])
def test_round_step(value, step):
    assert round_step(value) == step


def test_claimed_interval_at_both_precisions():
    sixty = {"value": 60, "decimals": 0}
    assert (claimed_interval(sixty).lo, claimed_interval(sixty).hi) == (59.5, 60.5)
    assert (claimed_interval(sixty, precision="round").lo, claimed_interval(sixty, precision="round").hi) == (55, 65)
    almost = {"low": 1700, "high": 1800, "value": 1800}  # "bijna 1.800", rounded to hundreds
    assert (claimed_interval(almost, precision="round").lo, claimed_interval(almost, precision="round").hi) \
        == (1650, 1850)
    not_round = {"value": 36, "decimals": 0}
    assert claimed_interval(not_round, precision="round") == claimed_interval(not_round)
    with pytest.raises(RegistryError, match="unknown precision 'about'"):
        claimed_interval(sixty, precision="about")


SHARE = """
[[claim]]
id = "share"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "change"
relation = "value"
claimed = {{ value = {value}, decimals = 0 }}
[claim.check.reading]
sector = "Q"
table = "99901NED"
base_year = 2010
end_year = 2015
"""


def test_a_round_claimed_number_gets_a_precision_axis_and_another_does_not(tmp_path):
    sixty = load_registry(write_registry(tmp_path / "a.toml", SHARE.format(value=60))).claim("share")
    assert [(a.param, a.values, a.weights) for a in sixty.axes] == [
        ("precision", ("stated", "round"), (0.75, 0.25))]
    assert sixty.reading["precision"] == "stated"
    assert load_registry(write_registry(tmp_path / "b.toml", SHARE.format(value=36))).claim("share").axes == ()
    bad = write_registry(tmp_path / "c.toml", "[meta.precision]\nstated = 0.5\nround = 0.6\n"
                         + SHARE.format(value=60))
    with pytest.raises(RegistryError, match=r"\[meta.precision\]"):
        load_registry(bad)


def test_about_sixty_holds_where_sixty_fails(tmp_path):
    # Q: 10,000 -> 16,300: +63.0% ([+62.0, +64.0] with +-50 per cell): outside [59.5, 60.5],
    # inside [55, 65]: the reading fails, the 'about 60%' alternative (weight 0.25) holds
    write_jobs(tmp_path / "data", {("CR01", "Q", 2010): 10000, ("CR01", "Q", 2015): 16300})
    registry = write_registry(tmp_path / "claims.toml", SHARE.format(value=60))
    result = check("share", "CR01", registry=registry, data_dir=tmp_path / "data")
    assert result.reading.holds is False
    assert result.robustness == 1.0  # the one alternative, 'round', holds
    assert result.counter_argument.key == "engine.counter.support"  # read as 'about 60%' it holds


# --- bounds decide --------------------------------------------------------------------------------

GAIN = LISTS + """
[[claim]]
id = "gain"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "relative_gain"
claimed = { low = 1700, high = 1800 }
given = { region_change = { value = 3, decimals = 0 } }
[claim.check.reading]
sector = "htsm-narrow"
table = "99901NED"
nation = "99901NED"
base_year = 2010
end_year = 2015
comparator = "nation"
"""


def gain_cells() -> dict:
    cells = {("CR01", "C", 2010): 10000, ("CR01", "C", 2015): 10000,
             ("CR02", "C", 2010): 10000, ("CR02", "C", 2015): 10000}
    for division in range(24, 31):  # the nation by division: 70,000 -> 70,700 (+1%)
        cells[("NL01", str(division), 2010)] = 10000
        cells[("NL01", str(division), 2015)] = 10100
    return cells


def test_a_bound_decides_where_no_series_measures_the_region(tmp_path):
    write_jobs(tmp_path / "data", gain_cells())
    registry = write_registry(tmp_path / "claims.toml", GAIN)
    result = check("gain", "CR01", registry=registry, data_dir=tmp_path / "data")
    # E0 (HTSM in CR01, 2010) lies in [0, 10,050] (inside C); the region grew 3% by the claim's
    # own words ([2.5, 3.5]); the nation grew by g_c in [(70,700 - 350) / (70,000 + 350) - 1,
    # (70,700 + 350) / (70,000 - 350) - 1] (seven cells, +-50 each)
    g_low = 100 * ((70700 - 350) / (70000 + 350) - 1)
    assert result.reading.result.high == pytest.approx(10050 * (3.5 - g_low) / 100)  # about 350
    assert result.reading.holds is False and result.deciding[0].bound
    assert result.verdict == NOT_SUPPORTED
    # another region: the claim's own 3% is not about it, so nothing bounds the gain
    other = check("gain", "CR02", registry=registry, data_dir=tmp_path / "data")
    assert other.reading is None


def test_given_numbers_are_checked(tmp_path):
    bad = write_registry(tmp_path / "claims.toml", GAIN.replace("region_change =", "region_chnage ="))
    with pytest.raises(RegistryError, match="check.given.*region_chnage"):
        load_registry(bad)


# --- 'fast' as faster than the region's economy ---------------------------------------------------

FAST = """
[[claim]]
id = "fast"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "trend"
word_nl = "'snel'"
word_en = "'fast'"
[claim.check.reading]
sector = "Q"
table = "99901NED"
base_year = 2010
end_year = 2015
comparator = "nation_minus_region"
min_growth = "total"
"""


def fast_cells(total_growth: float) -> dict:
    cells = {}
    for year in range(2010, 2016):
        t = year - 2010
        cells[("CR01", "Q", year)] = round(100000 * 1.02 ** t, -2)  # 2% a year
        cells[("CR01", "A-U", year)] = round(1000000 * (1 + total_growth) ** t, -2)
        cells[("CR02", "Q", year)] = 100000  # the rest of the country: flat
        cells[("CR02", "A-U", year)] = 1000000
    return cells


@pytest.mark.parametrize(("total_growth", "holds"), [(0.01, True), (0.03, False)])
def test_fast_means_faster_than_all_jobs_in_the_region(tmp_path, total_growth, holds):
    write_jobs(tmp_path / "data", fast_cells(total_growth))
    registry = write_registry(tmp_path / "claims.toml", FAST)
    result = check("fast", "CR01", registry=registry, data_dir=tmp_path / "data")
    # Q grows 2% a year, all jobs 1% (holds) or 3% (fails); the rest of the country is flat
    assert result.reading.holds is holds
    growth = next(f for f in result.reading.facts if f.part == "region")
    assert growth.value.value == pytest.approx(100 * (1.02 - 1 - total_growth), abs=0.02)
    assert result.reading.part_holds == {"region": holds, "difference": True}
    words = "faster than all jobs in Alfa together" if holds else "not faster than all jobs in Alfa"
    assert words in result.deciding_text.render("en")


def test_a_share_that_later_rose_above_the_claim_is_not_called_refuted(tmp_path):
    # the change 2010 -> 2015 is +63% (claimed "60%", stated); later, 2010 -> 2016 gives +70%: the
    # later figure lies wholly above the claim, which does not refute a claim about its own time
    write_jobs(tmp_path / "data", {("CR01", "Q", 2010): 10000, ("CR01", "Q", 2015): 16300,
                                   ("CR01", "Q", 2016): 17000})
    claim = SHARE.format(value=60) + "[claim.check.ex_post]\nend_year = 2016\n"
    result = check("share", "CR01", registry=write_registry(tmp_path / "claims.toml", claim),
                   data_dir=tmp_path / "data")
    assert result.ex_post.holds is False
    assert result.ex_post_text.key == "engine.ex_post.rose_further"
