"""Placebo percentile ranks of the engine on a hand-made five-region table, and on the real data.

Every expectation is worked out in the test from the cell values (written out below), not copied
from the code's output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.engine import placebo
from analysis.engine import series as ser
from analysis.processing.schema import JOBS_COLUMNS

YEARS = list(range(2010, 2017))
PARTS = (("B", 0.01), ("C", 0.80), ("D", 0.09), ("E", 0.10))
# region -> (B-E level in 2010, yearly growth); CR05's 2015 total is suppressed in the tests
REGIONS = {"CR01": (100_000, -0.03), "CR02": (50_000, -0.01), "CR03": (40_000, -0.02),
           "CR04": (80_000, 0.01), "CR05": (60_000, -0.05)}


def value(region: str, year: int) -> float:
    level, growth = REGIONS[region]
    return float(round(level * (1 + growth) ** (year - 2010), -2))  # CBS publishes hundreds


def jobs_table(hidden: dict[tuple[str, int], str]) -> pd.DataFrame:
    """``hidden``: (region, year) -> "B-E" (total suppressed, parts published) or "all"."""
    rows = []
    for region in REGIONS:
        for year in YEARS:
            total = value(region, year)
            how = hidden.get((region, year))
            cells = {"B-E": None if how else total}
            cells.update({part: None if how == "all" else float(round(total * share, -2))
                          for part, share in PARTS})
            for sbi, cell in cells.items():
                rows.append({"source_table": "83582NED", "vintage": "latest",
                             "region_code": region, "region_name": f"Gebied {region[-1]} (CR)",
                             "region_level": "corop", "sbi_code": sbi, "sbi_label": sbi,
                             "year": year, "employee_jobs": cell, "suppressed": cell is None,
                             "derived": False, "derivation": "", "missing_parts": "",
                             "period_status": ""})
    frame = pd.DataFrame(rows)
    for column in JOBS_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return ser._typed_jobs(frame)


def change(region: str, base: int = 2010, end: int = 2015) -> float:
    return 100 * (value(region, end) / value(region, base) - 1)


def test_raw_percentile_rank_with_a_region_bounded_by_its_parts():
    jobs = jobs_table({("CR05", 2015): "B-E"})
    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2015, metric="change",
                                   alternative="less", jobs=jobs)
    # changes 2010-2015: CR01 -14.1%, CR02 -4.9%, CR03 -9.6%, CR04 +5.1%; CR05 has no 2015 total
    assert result.values["CR03"] == pytest.approx(change("CR03"))
    assert set(result.values.index) == {"CR01", "CR02", "CR03", "CR04"}
    falls = sorted(change(r) for r in ("CR01", "CR02", "CR03", "CR04"))
    rank = falls.index(change("CR03")) + 1  # 2: only CR01 fell more
    assert result.rank == rank == 2
    assert result.percentile == pytest.approx(100 * rank / 4)
    # CR05 2015: B-E = B + C + D + E, each published part +/- 50 (rounded to hundreds)
    parts = sum(round(value("CR05", 2015) * share, -2) for _, share in PARTS)
    low = 100 * ((parts - 200) / value("CR05", 2010) - 1)
    high = 100 * ((parts + 200) / value("CR05", 2010) - 1)
    assert result.bounds["CR05"] == pytest.approx((low, high))
    assert high < change("CR03")  # CR05 fell more than CR03 wherever it lies in its bounds
    assert (result.rank_best, result.rank_worst) == (3, 3)
    assert result.percentile_best == pytest.approx(100 * 3 / 5)
    assert "CR05" in result.dropped and result.n_total == 5
    rendered = " ".join(t.render("en") for t in result.explanation)
    assert "Gebied 5" in rendered and "3 at best and 3 at worst of 5" in rendered
    assert all(t.render("nl") != t.render("en") for t in result.explanation)


def test_unbounded_dropped_region_counts_only_in_the_worst_case():
    jobs = jobs_table({("CR05", 2015): "all"})  # no part published: no bound at all
    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2015, metric="change",
                                   alternative="less", jobs=jobs)
    assert "CR05" not in result.bounds and "CR05" in result.dropped
    assert (result.rank, result.rank_best, result.rank_worst) == (2, 2, 3)


def test_standardised_score_by_hand():
    jobs = jobs_table({})
    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2015, metric="change",
                                   alternative="less", jobs=jobs, volatility_years=(2010, 2016))
    own = np.array([value("CR03", y) for y in YEARS])
    total = np.array([sum(value(r, y) for r in REGIONS) for y in YEARS])
    gap = np.log(own) - np.log(total - own)  # ln(region / rest of the nation)
    steps = np.diff(gap)  # 2011..2016
    expected = (gap[5] - gap[0]) / (np.std(steps, ddof=1) * math.sqrt(5))
    assert result.scores["CR03"] == pytest.approx(expected)
    scores = {r: result.scores[r] for r in REGIONS}
    expected_rank = sum(s <= scores["CR03"] for s in scores.values())  # "less": lower = extreme
    assert result.standardised_rank == expected_rank
    assert result.standardised_percentile == pytest.approx(100 * expected_rank / 5)


def test_trend_metric_and_its_t_style_score():
    jobs = jobs_table({})
    result = placebo.placebo_ranks("CR04", "B-E", 2010, 2016, metric="trend",
                                   alternative="greater", jobs=jobs)
    years = np.array(YEARS, float)
    own = np.array([value("CR04", y) for y in YEARS])
    slope = np.polyfit(years, np.log(own), 1)[0]
    assert result.values["CR04"] == pytest.approx(100 * math.expm1(slope))
    assert result.rank == 1  # the only growing region
    total = np.array([sum(value(r, y) for r in REGIONS) for y in YEARS])
    gap = np.log(own) - np.log(total - own)
    coef = np.polyfit(years, gap, 1)
    residuals = gap - np.polyval(coef, years)
    se = math.sqrt((residuals @ residuals) / (len(years) - 2) / ((years - years.mean()) ** 2).sum())
    assert result.scores["CR04"] == pytest.approx(coef[0] / se)


def test_tables_for_the_report():
    jobs = jobs_table({("CR05", 2015): "B-E"})
    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2015, jobs=jobs)
    table = result.table()
    assert table["region_code"].iloc[0] == "CR01"  # the largest fall first
    assert table.set_index("region_code").loc["CR05", "dropped"]
    assert table["focal"].sum() == 1
    tidy = result.plot_data()
    assert set(tidy["series"]) == {"raw", "standardised"}
    assert list(tidy.columns) == ["region_code", "region_name", "series", "value", "band_low",
                                  "band_high", "focal"]


def test_bad_parameters_are_named():
    jobs = jobs_table({})
    with pytest.raises(ValueError, match="change, trend"):
        placebo.placebo_ranks("CR03", "B-E", 2010, 2015, metric="level", jobs=jobs)
    with pytest.raises(ValueError, match="less, greater, two-sided"):
        placebo.placebo_ranks("CR03", "B-E", 2010, 2015, alternative="lower", jobs=jobs)
    with pytest.raises(ValueError, match="CR01 Gebied 1"):
        placebo.placebo_ranks("CR12", "B-E", 2010, 2015, jobs=jobs)
    with pytest.raises(ValueError, match="no value for CR05"):
        placebo.placebo_ranks("CR05", "B-E", 2010, 2015, jobs=jobs_table({("CR05", 2015): "all"}))


def test_departure_after_the_cutoff_ranks_first():
    years = list(range(2010, 2021))
    rows = []
    for i, region in enumerate(REGIONS):
        for year in years:
            wiggle = 0.004 * (-1) ** (year + i)  # the same small fluctuation in every region
            jump = 1.10 if region == "CR02" and year > 2016 else 1.0
            total = round(REGIONS[region][0] * math.exp(wiggle) * jump, -2)
            rows.append({"source_table": "83582NED", "vintage": "latest", "region_code": region,
                         "region_name": region, "region_level": "corop", "sbi_code": "B-E",
                         "sbi_label": "B-E", "year": year, "employee_jobs": total,
                         "suppressed": False, "derived": False, "derivation": "",
                         "missing_parts": "", "period_status": ""})
    jobs = ser._typed_jobs(pd.DataFrame(rows))
    result = placebo.departure_ranks("CR02", "B-E", 2010, 2016, 2020, alternative="greater",
                                     jobs=jobs)
    assert result.ratio.rank == 1 and result.signed.rank == 1
    assert result.ratio.n_units == 5
    assert set(result.plot_data()["region_code"]) == set(REGIONS)


# --- real data ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_jobs() -> pd.DataFrame:
    """The processed jobs table as the engine reads it (checked, the current release per table)."""
    return ser.load_jobs()


@pytest.fixture(scope="module")
def plain_csv() -> pd.DataFrame:
    """jobs.csv read with plain pandas, for the hand computations."""
    return pd.read_csv(paths.processed_dir() / "jobs.csv", low_memory=False)


def test_real_twente_percentile_rank_b_e_2010_2015(real_jobs, plain_csv):
    rows = plain_csv[(plain_csv["source_table"] == "83582NED") & (plain_csv["vintage"] == "latest")
                     & (plain_csv["sbi_code"] == "B-E") & (plain_csv["region_level"] == "corop")
                     & (plain_csv["derived"].astype(str) == "False")]
    wide = rows.pivot(index="region_code", columns="year", values="employee_jobs").astype(float)
    changes = (100 * (wide[2015] / wide[2010] - 1)).dropna()
    expected_rank = int((changes <= changes["CR12"]).sum())  # falls at least as large as Twente's
    result = placebo.placebo_ranks("CR12", "B-E", 2010, 2015, metric="change",
                                   alternative="less", jobs=real_jobs,
                                   volatility_years=(2010, 2016))
    assert result.n_compared == len(changes) == 40
    assert result.rank == expected_rank
    assert result.values["CR12"] == pytest.approx(100 * (41_500 / 44_000 - 1))
    assert result.standardised_rank is not None and 1 <= result.standardised_rank <= 40


def test_placebo_figure_in_each_language():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report import plots, trendplots

    plots.use_house_style()
    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2015, jobs=jobs_table({("CR05", 2015): "B-E"}))
    titles = {}
    for lang in ("nl", "en"):
        figure = trendplots.placebo_figure(result, lang, "Bron: CBS 83582NED")
        left = figure.axes[0]
        heights = [bar.get_width() for bar in left.patches]
        expected = result.table()["value"].fillna(0.0).tolist()
        assert heights == pytest.approx(expected)
        titles[lang] = left.get_title(loc="left")
        assert plots.find_source_note(figure)
        plt.close(figure)
    assert titles == {"nl": "Plaats 2 van 4 COROP-gebieden", "en": "Rank 2 of 4 COROP regions"}


def test_labour_volume_placebo_from_the_regional_accounts():
    rows = []
    volumes = {"CR01": (20_000, -0.02), "CR02": (30_000, 0.01), "CR12": (41_600, -0.015)}
    for code, (level, growth) in volumes.items():
        for year in range(2010, 2017):
            rows.append({"source_table": "84419NED", "vintage": "2025-04-22", "region_code": code,
                         "region_name": f"{code} (CR)", "region_level": "corop",
                         "sbi_code": "B-E", "year": year,
                         "labour_volume_total": round(level * (1 + growth) ** (year - 2010), -2),
                         "labour_volume_employees": 0.0, "value_added": 0.0})
    accounts = pd.DataFrame(rows)
    result = placebo.placebo_ranks("CR12", "B-E", 2010, 2015, concept="labour_volume",
                                   accounts=accounts, source_table="84419NED")
    twente = [r["labour_volume_total"] for r in rows if r["region_code"] == "CR12"]
    assert result.values["CR12"] == pytest.approx(100 * (twente[5] / twente[0] - 1))
    assert result.rank == 2  # only CR01 (-2% a year) fell more
    with pytest.raises(ValueError, match="source_table"):
        placebo.placebo_ranks("CR12", "B-E", 2010, 2015, concept="labour_volume",
                              accounts=accounts)


def test_placebo_result_serialises_to_json():
    import json

    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2015, jobs=jobs_table({("CR05", 2015): "B-E"}))
    record = json.loads(json.dumps(result.to_json()))
    assert (record["rank"], record["rank_best"], record["rank_worst"]) == (2, 3, 3)
    assert record["n_compared"] == 4 and record["n_total"] == 5
    assert "CR05" in record["dropped"] and record["dropped"]["CR05"]["nl"]


def test_trend_metric_names_regions_whose_line_skips_suppressed_years():
    jobs = jobs_table({("CR02", 2013): "all"})
    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2016, metric="trend", jobs=jobs)
    assert "CR02" in result.values.index  # six of seven years still give a line
    years = np.array([y for y in YEARS if y != 2013], float)
    own = np.array([value("CR02", int(y)) for y in years])
    assert result.values["CR02"] == pytest.approx(100 * math.expm1(np.polyfit(years, np.log(own), 1)[0]))
    partial = next(t for t in result.explanation if t.key == "placebo.partial")
    assert partial.render("en").endswith("Gebied 2 (2013).")


def test_cutoff_sets_the_pre_period_of_the_volatility():
    jobs = jobs_table({})
    result = placebo.placebo_ranks("CR03", "B-E", 2010, 2015, jobs=jobs, cutoff_year=2016)
    assert result.volatility_years == (2010, 2016) and result.real_time is True
    later = placebo.placebo_ranks("CR03", "B-E", 2010, 2016, jobs=jobs, cutoff_year=2015)
    assert later.real_time is False and later.volatility_years == (2010, 2015)
