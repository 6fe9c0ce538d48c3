"""Revisions between releases (analysis.engine.revisions): hand-worked cells of data/processed/jobs.csv
and small hand-made tables for every documented boundary."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.engine import revisions as rv
from analysis.processing.validate import load_table


def _public(rule: str, year: int) -> dt.date:  # the employee-jobs rule of [meta.public]: Y+1-10-01
    return dt.date(year + 1, 10, 1)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """(table, vintage, region, level, sbi, year, jobs[, period_status]) -> a jobs.csv-like frame."""
    records = []
    for row in rows:
        table, vintage, region, level, sbi, year, jobs, *status = row
        records.append({"source_table": table, "vintage": vintage, "region_code": region,
                        "region_level": level, "sbi_code": sbi, "year": year, "employee_jobs": jobs,
                        "derived": False, "period_status": status[0] if status else ""})
    return pd.DataFrame(records)


def _two_releases(old: dict[int, float], new: dict[int, float], region="CR12", level="corop"):
    return _frame([("T", "v1", region, level, "C", y, v) for y, v in old.items()]
                  + [("T", "v2", region, level, "C", y, v) for y, v in new.items()])


def _comparisons(frame, level="corop", covers=None):
    cells, releases = rv.release_cells(frame, "employee_jobs", level, _public, covers)
    groups = rv.same_figure_groups(cells, releases, 100.0)
    return rv.compare(rv.percent_changes(cells, groups)), groups


# --- hand-worked cells of data/processed/jobs.csv -----------------------------------------------------


@pytest.fixture(scope="module")
def jobs() -> pd.DataFrame:
    return load_table("jobs")


@pytest.fixture(scope="module")
def corop(jobs):
    cells, releases = rv.release_cells(jobs, "employee_jobs", "corop", _public, rv.national_covers())
    groups = rv.same_figure_groups(cells, releases, 100.0)
    return rv.compare(rv.percent_changes(cells, groups)), groups


@pytest.fixture(scope="module")
def nation(jobs):
    cells, releases = rv.release_cells(jobs, "employee_jobs", "nation", _public, rv.national_covers())
    groups = rv.same_figure_groups(cells, releases, 100.0)
    return rv.compare(rv.percent_changes(cells, groups)), groups


def _cell(comparisons, region, sbi, base, end) -> pd.Series:
    rows = comparisons[(comparisons["region"] == region) & (comparisons["sbi"] == sbi)
                       & (comparisons["base"] == base) & (comparisons["end"] == end)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_twente_total_2010_2023_revised_by_the_later_2023_figure(corop):
    # 83582NED A-U, Twente: 2010 = 276,400 in both releases; 2023 = 321,900 (2025-04-22), 319,700 (latest)
    row = _cell(corop[0], "CR12", "A-U", 2010, 2023)
    assert row["change_older"] == pytest.approx(100 * (321_900 / 276_400 - 1))  # +16.46%
    assert row["change_newer"] == pytest.approx(100 * (319_700 / 276_400 - 1))  # +15.67%
    assert row["revision"] == pytest.approx(100 * 2_200 / 276_400)  # 0.796 points


def test_twente_total_2010_2022_is_not_revised(corop):
    # 2010-2022 are the same in both 83582NED releases (only 2023 was revised)
    assert _cell(corop[0], "CR12", "A-U", 2010, 2022)["revision"] == 0.0


def test_corop_level_counts_40_regions_times_78_year_pairs_and_is_recent_only(jobs):
    # only A-U is in both 83582NED releases; 2010-2023 give C(14, 2) = 91 year pairs, 13 of them
    # one year apart: 78 per region, for the 40 COROP regions (CR99 is another level)
    result = rv.revisions_of(jobs, "employee_jobs", "corop", _public, rv.national_covers(),
                             since=dt.date(2017, 10, 18))
    assert result.n == 40 * 78
    # only the 12 changes ending in 2023 (bases 2010-2021) can differ: 480 of 3,120, so the median is 0
    assert result.p50 == 0.0
    assert [(p.older[0].label, p.newer[0].label) for p in result.pairs] == [
        ("83582NED 2025-04-22", "83582NED latest")]
    assert result.recent_only  # both releases public after the article


def test_nation_2008_2010_total_revised_from_the_provisional_2010(nation):
    # 81402ned prints 2010 as provisional (7,828,200); 81497NED has 7,888,200; 2008 is 7,891,900 in both
    row = _cell(nation[0], "NL01", "A-U", 2008, 2010)
    assert row["revision"] == pytest.approx(100 * 60_000 / 7_891_900)  # 0.760 points


def test_nation_manufacturing_2008_2010(nation):
    # C: 814,500 (2008) in both; 2010: 765,600 (81402ned, provisional) and 769,200 (81497NED)
    assert _cell(nation[0], "NL01", "C", 2008, 2010)["revision"] == pytest.approx(100 * 3_600 / 814_500)


def test_nation_manufacturing_2011_2013_first_of_two_against_the_later_figures(nation):
    # 81497NED's first release status of C: 762,300 (2011), 740,430 (2013); the later figures are
    # 83583NED's 761,900 and 739,200 (its group's newest release)
    first = 100 * (740_430 / 762_300 - 1)
    later = 100 * (739_200 / 761_900 - 1)
    assert _cell(nation[0], "NL01", "C", 2011, 2013)["revision"] == pytest.approx(abs(first - later))


def test_the_same_figures_at_two_precisions_are_one_group_and_other_coverage_is_apart(nation):
    comparisons, groups = nation
    labels = [[r.label for r in group] for group in groups]
    # 81497NED (to the ten) and 83583NED (to the hundred) agree within 50 jobs in every common cell
    assert ["81497NED 2025-04-22", "83583NED 2025-04-22"] in labels
    assert ["81402ned statline-export"] in labels and ["81497NED 2025-04-22 first-of-two"] in labels
    # 83582NED's national row leaves 'not assignable' out: compared with nothing
    assert not comparisons["region"].str.endswith(rv.ONLY_COROP).any()
    assert ["83582NED 2025-04-22"] in labels


def test_nation_result_is_not_recent_only(jobs):
    result = rv.revisions_of(jobs, "employee_jobs", "nation", _public, rv.national_covers(),
                             since=dt.date(2017, 10, 18))
    firsts = {p.older[0].label: p.public_from() for p in result.pairs}
    assert firsts == {"81402ned statline-export": (dt.date(2011, 10, 1), dt.date(2015, 10, 1)),
                      "81497NED 2025-04-22 first-of-two": (dt.date(2014, 10, 1), dt.date(2015, 10, 1))}
    assert not result.recent_only
    # 81402ned: one (base, end) pair, 2008-2010, for each of its section codes at the nation
    sections = jobs[(jobs["source_table"] == "81402ned") & (jobs["region_code"] == "NL01")]["sbi_code"].nunique()
    assert {p.older[0].label: p.n for p in result.pairs}["81402ned statline-export"] == sections


# --- hand-made tables: the boundaries -------------------------------------------------------------


def test_changes_two_years_apart_count_one_year_apart_do_not():
    frame = _two_releases({2010: 1000, 2011: 1100, 2012: 1200}, {2010: 1000, 2011: 1100, 2012: 1300})
    comparisons, _ = _comparisons(frame)
    assert list(zip(comparisons["base"], comparisons["end"])) == [(2010, 2012)]
    assert comparisons["revision"].iloc[0] == pytest.approx(10.0)  # +20% against +30%


def test_releases_within_half_a_unit_everywhere_are_the_same_figures():
    # at 50 (half of the 100-job unit) the two print the same figures: one group, nothing compared
    same = _two_releases({2010: 1000, 2012: 1200}, {2010: 1050, 2012: 1200})
    comparisons, groups = _comparisons(same)
    assert len(groups) == 1 and comparisons.empty
    # at 51 they differ: two groups, one comparison
    apart = _two_releases({2010: 1000, 2012: 1200}, {2010: 1051, 2012: 1200})
    comparisons, groups = _comparisons(apart)
    assert len(groups) == 2 and len(comparisons) == 1


def test_a_group_takes_each_cell_from_its_newest_release():
    # A (v1, to 2013) and B (v2, to 2014) print the same figures (2012 differs by 40 jobs); B is
    # newer (its newest year is later); the older release C (to 2012) is compared with the group:
    # 2010-2012 from B, not from A
    frame = _frame([("A", "v1", "R", "corop", "C", 2010, 1000), ("A", "v1", "R", "corop", "C", 2012, 1240),
                    ("A", "v1", "R", "corop", "C", 2013, 1250),
                    ("B", "v2", "R", "corop", "C", 2010, 1000), ("B", "v2", "R", "corop", "C", 2012, 1200),
                    ("B", "v2", "R", "corop", "C", 2014, 1300),
                    ("C", "v0", "R", "corop", "C", 2010, 1000), ("C", "v0", "R", "corop", "C", 2012, 1100)])
    comparisons, groups = _comparisons(frame)
    assert [[r.label for r in g] for g in groups] == [["C v0"], ["A v1", "B v2"]]
    assert comparisons["revision"].tolist() == pytest.approx([10.0])  # +10% against +20% (B), not +24% (A)


def test_a_national_row_of_other_coverage_is_not_compared():
    frame = _two_releases({2010: 1000, 2012: 1200}, {2010: 1000, 2012: 1300}, region="NL01", level="nl")
    comparisons, _ = _comparisons(frame, level="nation", covers={("T", "v2"): "corop"})
    assert comparisons.empty
    comparisons, _ = _comparisons(frame, level="nation")
    assert comparisons["revision"].tolist() == pytest.approx([10.0])


def test_median_and_90th_percentile_interpolate_linearly():
    # five cells (one per SBI code) revised by 1, 2, 3, 4 and 5 points: median 3, p90 = 4 + 0.6 * 1
    rows = []
    for points, sbi in zip((1, 2, 3, 4, 5), "ABCDE"):
        rows += [("T", "v1", "R", "corop", sbi, 2010, 10_000), ("T", "v1", "R", "corop", sbi, 2012, 10_000),
                 ("T", "v2", "R", "corop", sbi, 2010, 10_000),
                 ("T", "v2", "R", "corop", sbi, 2012, 10_000 + 100 * points)]
    result = rv.revisions_of(_frame(rows), "employee_jobs", "corop", _public)
    assert (result.n, result.p50, result.p90) == (5, pytest.approx(3.0), pytest.approx(4.6))
    assert len(result.pairs) == 1 and result.pairs[0].n == 5


def test_like_with_like_counts_only_series_at_least_min_size():
    # a small cell (1,000 jobs) revised by 10 points, a large one (100,000) by 1 point
    rows = [("T", "v1", "R", "corop", "A", 2010, 1_000), ("T", "v1", "R", "corop", "A", 2012, 1_000),
            ("T", "v2", "R", "corop", "A", 2010, 1_000), ("T", "v2", "R", "corop", "A", 2012, 1_100),
            ("T", "v1", "R", "corop", "B", 2010, 100_000), ("T", "v1", "R", "corop", "B", 2012, 100_000),
            ("T", "v2", "R", "corop", "B", 2010, 100_000), ("T", "v2", "R", "corop", "B", 2012, 101_000)]
    everything = rv.revisions_of(_frame(rows), "employee_jobs", "corop", _public)
    assert everything.n == 2 and everything.p90 == pytest.approx(1 + 0.9 * 9)
    # at or above the size: the large series alone (its base level 100,000 is exactly on it)
    large = rv.revisions_of(_frame(rows), "employee_jobs", "corop", _public, min_size=100_000)
    assert (large.n, large.p90) == (1, pytest.approx(1.0))
    assert rv.revisions_of(_frame(rows), "employee_jobs", "corop", _public, min_size=100_001).n == 0


def test_recent_only_needs_both_releases_strictly_after_the_claim_date():
    frame = _two_releases({2010: 1000, 2012: 1200}, {2010: 1000, 2013: 1300, 2012: 1300})
    # v1's newest year 2012 is public 2013-10-01, v2's (2013) 2014-10-01
    on_the_day = rv.revisions_of(frame, "employee_jobs", "corop", _public, since=dt.date(2013, 10, 1))
    assert not on_the_day.recent_only
    day_before = rv.revisions_of(frame, "employee_jobs", "corop", _public, since=dt.date(2013, 9, 30))
    assert day_before.recent_only


def _revisions(p90: float | None) -> rv.Revisions:
    return rv.Revisions("employee_jobs", "nation", 0 if p90 is None else 10, None if p90 is None else 0.5,
                        p90, (), None, False)


def test_a_miss_below_the_90th_percentile_is_within_revision_and_one_on_it_is_not():
    # threshold -5%, measured -3.70% .. -3.68%: the nearest end (-3.70) misses by 1.30 points
    miss = rv.within_revision(-5.0, -3.70, -3.68, _revisions(1.31))
    assert miss.miss == pytest.approx(1.30) and miss.within
    assert not rv.within_revision(-5.0, -3.75, -3.68, _revisions(1.25)).within  # exactly on p90
    assert not rv.within_revision(-5.0, -3.70, -3.68, _revisions(1.29)).within


def test_the_miss_is_measured_from_the_end_nearest_the_threshold():
    assert rv.within_revision(5.0, 1.0, 4.0, _revisions(2.0)).miss == pytest.approx(1.0)  # below it
    assert rv.within_revision(5.0, 6.5, 9.0, _revisions(2.0)).miss == pytest.approx(1.5)  # above it
    assert rv.within_revision(5.0, 4.0, 6.0, _revisions(2.0)).miss == 0.0  # the interval holds it


def test_no_comparisons_excuse_no_miss():
    result = rv.within_revision(-5.0, -4.99, -4.98, _revisions(None))
    assert (result.n, result.revision_p90, result.within) == (0, None, False)


def test_clear_errors():
    with pytest.raises(ValueError, match="empty: give the lower end first"):
        rv.within_revision(0.0, 2.0, 1.0, _revisions(1.0))
    with pytest.raises(ValueError, match="unknown region level 'province'; use one of nation, corop"):
        rv.release_cells(_frame([]), "employee_jobs", "province", _public)
    with pytest.raises(ValueError, match="unknown statistic 'banen'; use one of employee_jobs"):
        rv.release_cells(_frame([]), "banen", "nation", _public)


def test_cached_entry_point_reads_the_processed_data_and_dates_against_the_article():
    result = rv.typical_revision("employee_jobs", "corop")
    assert result.since == dt.date(2017, 10, 18) and result.n == 40 * 78
    hits = rv._comparisons.cache_info().hits
    assert rv.typical_revision("employee_jobs", "corop") == result
    assert rv._comparisons.cache_info().hits == hits + 1  # the comparisons are read once
