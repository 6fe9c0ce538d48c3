"""Specification grids on tiny panels (known numbers of specifications and holds), placebo ranks
on constructed regions (known rank and p-value)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.engine import stress
from analysis.engine.claims import get_claim
from test_series import COROP, enrolment_frame, panel


def falling(region: str, sbi: str, year: int) -> float:
    """C falls 10% after 2011 everywhere, B-E falls 1%; CR99 is small and constant."""
    if region == "CR99":
        return 10.0 if sbi == "C" else 20.0
    base = 1000.0 if sbi == "C" else 2000.0
    factor = 0.9 if sbi == "C" else 0.99
    return base if year <= 2011 else base * factor


def _expected_change_specs(claim_id: str) -> int:
    """Grid size from the registry: base x end x series x national, 81402ned only for 2010."""
    grid = get_claim(claim_id).grid
    per_base = len(grid["end_years"]) * len(grid["series"]) * len(grid["national"])
    return sum(per_base * (len(grid["base_vintages"]) if base == 2010 else 1)
               for base in grid["base_years"])


def test_industry_grid_counts_and_holds_are_known() -> None:
    grid = stress.spec_grid("industry-decline", panel(falling))
    cbs = grid[grid["family"] == "CBS change"]
    assert len(cbs) == _expected_change_specs("industry-decline") == 36
    assert cbs["evaluable"].all()
    # C fell 10% in region and nation (>= 5%: holds); B-E fell about 1% (direction only)
    assert cbs.loc[cbs["series"] == "C", "holds"].all()
    assert not cbs.loc[cbs["series"] == "B-E", "holds"].any()
    assert cbs["direction_holds"].all()
    c_row = cbs[(cbs["series"] == "C") & (cbs["base_year"] == 2010) & (cbs["end_year"] == 2015)
                & (cbs["base_vintage"] == "83582NED") & (cbs["national"] == "total")].iloc[0]
    assert c_row["region_value"] == pytest.approx(-10.0)
    assert c_row["comparator_value"] == pytest.approx(100 * (2710 / 3010 - 1))
    assert "1,000 → 900" in c_row["arithmetic"]
    # the Twente Index figures (base 2007) are context: shown, never counted
    context = grid[grid["family"] == "published change"]
    assert len(context) == 2 and not context["counts"].any()
    assert stress.grid_counts(grid) == {"n_rows": 38, "n_evaluable": 38, "n_specs": 36,
                                        "n_holds": 18, "n_direction": 36}


def test_suppressed_cells_make_specifications_not_evaluable_with_reasons() -> None:
    def values(region: str, sbi: str, year: int) -> float | None:
        if sbi == "C" and ((region == "CR12" and year == 2016) or (region == "CR13" and year == 2015)):
            return None
        return falling(region, sbi, year)

    grid = stress.spec_grid("industry-decline", panel(values))
    c_2016 = grid[(grid["series"] == "C") & (grid["end_year"] == 2016)]
    assert len(c_2016) == 6 and not c_2016["evaluable"].any() and c_2016["holds"].isna().all()
    assert c_2016["note"].str.contains("Twente 2016: suppressed by CBS").all()
    c_2015 = grid[(grid["series"] == "C") & (grid["end_year"] == 2015)]
    total = c_2015[c_2015["national"] == "total"]
    assert not total["evaluable"].any()
    assert total["note"].str.contains("lacks 1 suppressed COROP region").all()
    like = c_2015[c_2015["national"] == "like-for-like"]
    assert not like["evaluable"].any() and like["note"].str.contains("covers only 67%").all()
    counts = stress.grid_counts(grid)
    assert counts["n_specs"] == 36 - 6 - 6 and counts["n_holds"] == 18 - 12


def test_grid_is_deterministic() -> None:
    jobs = panel(falling)
    pd.testing.assert_frame_equal(stress.spec_grid("industry-decline", jobs),
                                  stress.spec_grid("industry-decline", jobs))


def test_htsm_growth_published_rows_and_other_regions() -> None:
    jobs = panel(falling, regions=["CR11", "CR12", "CR13", "CR15", "CR99"])
    grid = stress.spec_grid("htsm-growth", jobs)
    published = grid[grid["family"] == "published change"].set_index("spec_id")
    # Twente Index 2016: +4% vs -3% -> within 1 point of +3% and a national decline
    assert published.loc["published|ti2016", "holds"]
    assert not published.loc["published|ti2017", "holds"]  # national +0.2%
    assert not published.loc["published|ti2018", "direction_holds"]  # national +6%
    # the SBI 28 comparator comes from the published CBS 83583NED figures
    sbi28 = grid[(grid["national"] == "SBI 28 (83583NED)") & (grid["end_year"] == 2016)
                 & (grid["series"] == "C")]
    assert sbi28["comparator_value"].iloc[0] == pytest.approx(100 * (81100 / 73500 - 1))
    # C+J+M needs sections the panel does not have: not evaluable, with the reason
    broad = grid[grid["series"] == "C+J+M"]
    assert not broad["evaluable"].any() and broad["note"].str.contains("unknown SBI").all()
    # for another region the Twente Index rows do not apply
    other = stress.spec_grid("htsm-growth", jobs, region="CR15")
    rows = other[other["family"] == "published change"]
    assert not rows["evaluable"].any() and rows["note"].str.contains("Twente").all()


def test_relative_jobs_published_arithmetic() -> None:
    grid = stress.spec_grid("htsm-relative-jobs", panel(falling)).set_index("spec_id")
    assert grid.loc["absolute|ti2018_htsm_jobs_twente", "value"] == pytest.approx(912.0)
    relative = grid.loc["relative|ti2018_htsm_jobs_twente|ti2016_htsm_growth_nl"]
    assert relative["value"] == pytest.approx(30400 * 0.06) and relative["holds"]
    sbi28 = grid.loc["relative|ti2018_htsm_jobs_twente|sbi28_2010_2016", "value"]
    assert sbi28 == pytest.approx(30400 * (3 - 100 * (81100 / 73500 - 1)) / 100)
    implied = grid.loc["absolute|ti2018_implied_2007_change", "value"]
    assert implied == pytest.approx(0.03 * (30400 - 2900))
    # proxy, absolute reading: Twente C 2010 -> 2015 = 900 - 1000 jobs
    assert grid.loc["proxy-absolute|C|2010-2015|total", "value"] == pytest.approx(-100.0)


def test_trend_grid_counts_only_periods_ending_in_reference_years() -> None:
    def growing(region: str, sbi: str, year: int) -> float:
        rate = 1.02 if region == "CR12" else 1.01
        return 1e7 * rate ** (year - 2010)  # large: rounding to whole jobs stays negligible

    grid = stress.spec_grid("tech-sector-growth", panel(growing, sbis=["B-E"]))
    trend = grid[grid["family"] == "CBS trend"]
    be = trend[(trend["series"] == "B-E") & trend["evaluable"]]
    assert be["region_value"].round(4).eq(2.0).all()
    assert be["holds"].all()  # Twente grew faster than the nation
    assert set(be["end_year"]) == {2016, 2017}  # 2024 is beyond the panel
    assert be["counts"].all()
    # C is not in the panel: not evaluable
    assert not trend.loc[trend["series"] == "C", "evaluable"].any()


def test_student_grid_on_synthetic_enrolment() -> None:
    records = []
    for year in (2015, 2016, 2017):
        records += [("hbo-e", "hbo", "23AH", "Enschede", "techniek", year, 30, 0),
                    ("hbo-e", "hbo", "23AH", "Enschede", "economie", year, 70, 0),
                    ("wo-e", "wo", "21PH", "Enschede", "techniek", year, 42, 0),
                    ("wo-e", "wo", "21PH", "Enschede", "economie", year, 58, 0)]
    grid = stress.spec_grid("technical-students", enrolment=enrolment_frame(records))
    # 3 institution sets x 2 locations x 3 years; techniek+natuur dropped (no natuur students)
    assert len(grid) == 18
    pooled = grid[grid["institutions"] == "23AH+21PH"]
    assert pooled["value"].round(6).eq(36.0).all() and pooled["holds"].all()
    assert pooled["counts"].all() and not grid.loc[grid["institutions"] != "23AH+21PH", "counts"].any()
    assert stress.grid_counts(grid)["n_holds"] == 6


def test_participation_has_no_grid() -> None:
    assert stress.spec_grid("participation").empty


# --- placebo ranks ---------------------------------------------------------------------------------


def _forty(suppress: str | None = None, tie: bool = False) -> pd.DataFrame:
    """Change 2010 -> 2015 of region CRi is exactly i% (CR13 = 12% with ``tie``)."""
    def value(region: str, sbi: str, year: int) -> float | None:
        i = int(region[2:])
        if tie and region == "CR13":
            i = 12
        if year == 2010:
            return 1000.0
        return None if region == suppress else 1000.0 + 10 * i
    return panel(value, regions=COROP, sbis=["C"], years=[2010, 2015], older=False)


def test_placebo_rank_and_p_value_are_known() -> None:
    metric = stress.change_metric("C", 2010, 2015)
    greater = stress.placebo_rank(_forty(), metric, "CR12", alternative="greater")
    assert greater.value == pytest.approx(12.0)
    assert (greater.rank, greater.n_regions) == (29, 40)
    assert greater.p_value == pytest.approx(29 / 40)  # (28 others + 1) / (39 others + 1)
    less = stress.placebo_rank(_forty(), metric, "CR12", alternative="less")
    assert (less.rank, less.p_value) == (12, pytest.approx(12 / 40))
    two = stress.placebo_rank(_forty(), metric, "CR12", alternative="two-sided")
    assert two.p_value == pytest.approx(24 / 40)  # |i - 20.5| >= 8.5: i <= 12 or i >= 29
    assert greater.metric.index[0] == "CR40" and "(k+1)/(n+1)" in greater.explanation


def test_placebo_ties_exclusions_and_errors() -> None:
    metric = stress.change_metric("C", 2010, 2015)
    tied = stress.placebo_rank(_forty(tie=True), metric, "CR12")
    assert tied.rank == 28 and tied.p_value == pytest.approx(29 / 40)  # the tie counts
    gap = stress.placebo_rank(_forty(suppress="CR05"), metric, "CR12")
    assert gap.n_regions == 39 and "CR05" in gap.excluded
    assert gap.p_value == pytest.approx(29 / 39)

    def broken(jobs: pd.DataFrame, region: str) -> float:
        if region == "CR01":
            raise ValueError("no data for CR01")
        return metric(jobs, region)

    assert stress.placebo_rank(_forty(), broken, "CR12").excluded == {"CR01": "no data for CR01"}
    with pytest.raises(ValueError, match="no value for the focal region"):
        stress.placebo_rank(_forty(suppress="CR12"), metric, "CR12")
    with pytest.raises(ValueError, match="alternative"):
        stress.placebo_rank(_forty(), metric, "CR12", alternative="bigger")


def test_trend_metric_is_the_log_linear_growth() -> None:
    jobs = panel(lambda r, s, y: 1e7 * 1.03 ** (y - 2010), regions=["CR12", "CR13"],
                 sbis=["C"], years=range(2010, 2018), older=False)
    assert stress.trend_metric("C", 2010, 2017)(jobs, "CR12") == pytest.approx(3.0, abs=1e-4)
    assert math.isnan(stress.trend_metric("C", 2010, 2012)(jobs, "CR12"))  # too few points
