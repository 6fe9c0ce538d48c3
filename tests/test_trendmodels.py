"""Trend models of the engine: rest-of-nation series, one pre-period, the joint predictive test.

Known answers on small hand-made tables (the arithmetic is written out in each test), simulations
with fixed seeds and stated bands, and real-data pins on data/processed worked out with plain
pandas in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import i18n, paths
from analysis.engine import series as ser
from analysis.engine.trend import models as trendmodels
from analysis.engine.trend import series as ts
from analysis.engine.trend import stats as trend_stats
from analysis.processing.schema import JOBS_COLUMNS

YEARS = list(range(2010, 2025))


# --- synthetic tables -------------------------------------------------------------------------------


def jobs_table(cells: dict[tuple[str, str, int], float | None], *, table: str = "83582NED",
               national: dict[tuple[str, int], float] | None = None) -> pd.DataFrame:
    """A jobs.csv-shaped frame: (region, sbi, year) -> value (None = suppressed)."""
    rows = []
    for (region, sbi, year), value in cells.items():
        level = "corop_unassigned" if region == "CR99" else "corop"
        rows.append({"source_table": table, "vintage": "latest", "region_code": region,
                     "region_name": f"Region {region} (CR)", "region_level": level,
                     "sbi_code": sbi, "sbi_label": sbi, "year": year, "employee_jobs": value,
                     "suppressed": value is None, "derived": False, "derivation": "",
                     "missing_parts": "", "period_status": ""})
    for (sbi, year), value in (national or {}).items():
        rows.append({"source_table": "83583NED", "vintage": "2025-04-22", "region_code": "NL01",
                     "region_name": "Nederland", "region_level": "nl", "sbi_code": sbi,
                     "sbi_label": sbi, "year": year, "employee_jobs": value, "suppressed": False,
                     "derived": False, "derivation": "", "missing_parts": "",
                     "period_status": ""})
    frame = pd.DataFrame(rows)
    for column in JOBS_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return ser._typed_jobs(frame)


def three_regions(years: list[int], suppress: dict[tuple[str, int], str] | None = None):
    """CR12 (focal), CR01, CR02 with B-E and its parts B, C, D, E for every year.

    CR12 B-E = 40,000 - 100 (year - 2010); CR01 = 500,000; CR02 = 300,000 + 1,000 (year - 2010).
    Parts of every region: B = 1 %, C = 80 %, D = 9 %, E = 10 % of B-E (all multiples of 100).
    ``suppress`` (region, year) -> "B-E" (only the total hidden) or "all" (total and parts).
    """
    suppress = suppress or {}
    cells: dict[tuple[str, str, int], float | None] = {}
    for year in years:
        totals = {"CR12": 40_000 - 100 * (year - 2010), "CR01": 500_000,
                  "CR02": 300_000 + 1_000 * (year - 2010)}
        for region, total in totals.items():
            hidden = suppress.get((region, year))
            cells[(region, "B-E", year)] = None if hidden else float(total)
            for part, share in (("B", 0.01), ("C", 0.80), ("D", 0.09), ("E", 0.10)):
                cells[(region, part, year)] = None if hidden == "all" else round(total * share)
    return cells


# --- rest of the nation -------------------------------------------------------------------------------


def test_rest_of_nation_is_the_sum_of_the_other_corop_regions():
    jobs = jobs_table(three_regions([2010, 2011, 2012]))
    pair = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="corop")
    # 2011: CR01 500,000 + CR02 301,000 = 801,000; Twente 39,900 is not in it
    row = pair.frame.set_index("year").loc[2011]
    assert row["region"] == 39_900
    assert row["comparator"] == 500_000 + 301_000
    assert row["comparator_low"] == row["comparator_high"] == row["comparator"]
    nation = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="corop", comparator="nation")
    assert nation.frame.set_index("year").loc[2011, "comparator"] == 39_900 + 801_000
    assert pair.comparator_name.render("en") == "the Netherlands without Region CR12"


def test_suppressed_cell_of_another_region_is_bounded_by_its_parts():
    # CR02 2011: B-E hidden, its parts published: B 3,010 -> 3,010? parts are rounded to the job
    jobs = jobs_table(three_regions([2010, 2011], {("CR02", 2011): "B-E"}))
    pair = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="corop")
    row = pair.frame.set_index("year").loc[2011]
    parts = [round(301_000 * s) for s in (0.01, 0.80, 0.09, 0.10)]  # 3,010 240,800 27,090 30,100
    # each published part stands for +/- 50 (CBS rounds to 100): B-E within sum(parts) +/- 200
    assert row["comparator_low"] == 500_000 + sum(parts) - 4 * 50
    assert row["comparator_high"] == 500_000 + sum(parts) + 4 * 50
    assert row["comparator"] == 500_000 + sum(parts)
    assert 2011 in pair.notes and "CR02" in pair.notes[2011].render("en")


def test_unbounded_suppression_drops_the_comparator_year_with_the_reason():
    jobs = jobs_table(three_regions([2010, 2011, 2012], {("CR02", 2012): "all"}))
    pair = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="corop")
    frame = pair.frame.set_index("year")
    assert math.isnan(frame.loc[2012, "comparator"])  # the comparator has no value
    assert frame.loc[2012, "region"] == 39_800  # the region keeps its own year
    reason = pair.dropped[2012]
    assert reason.key == "trends.dropped.unbounded"
    assert "CR02" in reason.render("nl") and "CR02" in reason.render("en")


def test_focal_region_suppressed_year_is_dropped():
    jobs = jobs_table(three_regions([2010, 2011], {("CR12", 2011): "B-E"}))
    pair = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="corop")
    assert pair.years == (2010,)
    assert pair.dropped[2011].key == "trends.dropped.region_suppressed"


def test_published_national_rows_minus_the_region():
    cells = three_regions([2010, 2011])
    jobs = jobs_table(cells, national={("B-E", 2010): 845_000.0, ("B-E", 2011): 845_100.0})
    pair = ts.employee_jobs_pair(jobs, "CR12", "B-E")  # auto: published rows cover both years
    frame = pair.frame.set_index("year")
    assert frame.loc[2010, "comparator"] == 845_000 - 40_000
    assert frame.loc[2011, "comparator"] == 845_100 - 39_900
    assert pair.comparator_text.key == "trends.comparator_how.rest_of_nation.published"
    corop = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="corop")
    assert corop.frame.set_index("year").loc[2010, "comparator"] == 800_000


def test_hierarchy_bounds_by_hand():
    # A-U 1,000 = A 100 + B-F + G-N 300 + O-U 200, so B-F = 400 (+/- 250 from five roundings);
    # F 150 published, so B-E lies in [400 - 250 - 50, 400 + 250 + 50] -> [100, 550] after the
    # parts of B-E (all suppressed) add nothing.
    bounds = ts.hierarchy_bounds({"A-U": 1000, "A": 100, "G-N": 300, "O-U": 200, "F": 150})
    low, high = bounds["B-E"]
    assert low == pytest.approx(1000 - 50 - (100 + 50) - (300 + 50) - (200 + 50) - (150 + 50))
    assert high == pytest.approx(1000 + 50 - (100 - 50) - (300 - 50) - (200 - 50) - (150 - 50))
    assert bounds["A"] == (50, 150)
    assert ts.hierarchy_bounds({})["C"] == (0.0, math.inf)


def accounts_table() -> pd.DataFrame:
    rows = []
    for table, shift in (("84419NED", 0.0), ("85925NED", 2_000.0)):
        for year in range(2010, 2020):
            for code, name, level, value in (
                    ("NL01", "Nederland", "nl", 900_000 + shift - 1_000 * (year - 2010)),
                    ("CR12", "Twente (CR)", "corop", 41_600 - 300 * (year - 2010)),
                    ("CR01", "Oost-Groningen (CR)", "corop", 20_000.0)):
                rows.append({"source_table": table, "vintage": table, "region_code": code,
                             "region_name": name, "region_level": level, "sbi_code": "B-E",
                             "year": year, "labour_volume_total": value,
                             "labour_volume_employees": value * 0.9, "value_added": 1.0})
    return pd.DataFrame(rows)


def test_labour_volume_rest_of_nation_is_nation_row_minus_region_row():
    accounts = accounts_table()
    pair = ts.labour_volume_pair(accounts, "CR12", "B-E", "85925NED")
    row = pair.frame.set_index("year").loc[2013]
    assert row["region"] == 41_600 - 900
    assert row["comparator"] == (902_000 - 3_000) - (41_600 - 900)
    employees = ts.labour_volume_pair(accounts, "CR12", "B-E", "84419NED",
                                      concept="labour_volume_employees")
    assert employees.frame.set_index("year").loc[2010, "comparator"] == pytest.approx(
        0.9 * 900_000 - 0.9 * 41_600)
    with pytest.raises(ValueError, match="lacks the columns"):
        ts.labour_volume_pair(accounts.drop(columns="vintage"), "CR12", "B-E", "84419NED")
    with pytest.raises(ValueError, match="tables"):
        ts.labour_volume_pair(accounts, "CR12", "B-E", "99999NED")


def test_unknown_choices_name_the_way_out():
    jobs = jobs_table(three_regions([2010]))
    with pytest.raises(ValueError, match="rest_of_nation, nation"):
        ts.employee_jobs_pair(jobs, "CR12", "B-E", comparator="country")
    with pytest.raises(ValueError, match="employee_jobs, labour_volume"):
        ts.series_pair("werkzame_personen", "CR12", "B-E", jobs=jobs)


# --- one pre-period ----------------------------------------------------------------------------------


def synthetic_pair(region: pd.Series, comparator: pd.Series) -> ts.SeriesPair:
    frame = pd.DataFrame({"year": region.index, "region": region.to_numpy(),
                          "comparator": comparator.to_numpy(),
                          "comparator_low": comparator.to_numpy(),
                          "comparator_high": comparator.to_numpy()})
    return ts.SeriesPair(concept="employee_jobs", unit="jobs", sbi="B-E", region="CR12",
                         region_name="Twente",
                         comparator="rest_of_nation",
                         comparator_name=i18n.Text("trends.comparator.rest_of_nation",
                                                   {"region": "Twente"}),
                         comparator_text=i18n.Text("trends.comparator_how.rest_of_nation.corop",
                                                   {"region": "Twente"}),
                         source="synthetic", frame=frame)


def noisy_line(seed: int, growth: float, years=YEARS, level=40_000.0, noise=0.01) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(len(years))
    return pd.Series(level * np.exp(growth * t + noise * rng.standard_normal(len(years))),
                     index=years)


def test_pre_period_ends_at_the_cutoff_year():
    region = noisy_line(1, -0.015)
    region.loc[2017:] *= 1.5  # a wild later path must not move the pre-period trend
    comparator = noisy_line(2, -0.005, level=800_000)
    models = trendmodels.trend_models(synthetic_pair(region, comparator), 2010, 2016)
    assert models.region_trend.years == tuple(range(2010, 2017))
    assert models.difference.years == tuple(range(2010, 2017))
    assert models.prediction.fit_years == tuple(range(2010, 2017))
    assert models.segmented.first_post_year == 2017 and models.segmented.n_pre == 7
    # independent formula: slope of log(region) on year over 2010-2016
    pre = region.loc[2010:2016]
    slope = np.polyfit(pre.index.to_numpy(float), np.log(pre.to_numpy()), 1)[0]
    assert models.region_trend.growth_pct == pytest.approx(100 * math.expm1(slope))
    ratio = np.log(pre.to_numpy()) - np.log(comparator.loc[2010:2016].to_numpy())
    diff = np.polyfit(pre.index.to_numpy(float), ratio, 1)[0]
    assert models.difference.growth_pct == pytest.approx(100 * math.expm1(diff))
    assert models.numbers()["difference_pct"] == round(100 * math.expm1(diff), 1)


def test_extrapolation_and_levels_rounded_to_the_data_precision():
    region = noisy_line(3, -0.01)
    models = trendmodels.trend_models(synthetic_pair(region, noisy_line(4, 0.0, level=8e5)),
                                      2010, 2016)
    numbers = models.numbers()
    assert numbers["predicted_last"] % 100 == 0 and numbers["actual_last"] % 100 == 0
    for key in ("region_trend_pct", "comparator_trend_pct", "difference_pct"):
        assert numbers[key] == round(numbers[key], 1)
    tidy = models.plot_data()
    assert list(tidy.columns) == ["year", "series", "value", "band_low", "band_high"]
    assert set(tidy["series"]) == {"region", "comparator", "region_fit", "region_extrapolation"}
    assert (tidy["value"].dropna() % 100 == 0).all()
    drawn = models.figure_data()
    assert set(drawn["series"]) == {"region", "region_fit", "region_extrapolation",
                                    "region_index", "comparator_index"}
    index = models.index_data().set_index("year")
    index = index[index["series"] == "region_index"]["value"]
    assert index[2010] == 100.0
    assert index[2016] == round(100 * region[2016] / region[2010], 1)
    extrapolated = tidy[tidy["series"] == "region_extrapolation"]
    assert extrapolated["year"].tolist() == list(range(2017, 2025))
    assert (extrapolated["band_low"] <= extrapolated["value"]).all()


def test_every_text_renders_in_both_languages():
    models = trendmodels.trend_models(
        synthetic_pair(noisy_line(5, -0.01), noisy_line(6, 0.0, level=8e5)), 2010, 2016)
    assert models.explanation
    for text in models.explanation:
        nl, en = text.render("nl"), text.render("en")
        assert nl and en and nl != en
    keys = [t.key for t in models.explanation]
    assert "trends.uncertainty" in keys and "trends.no_break_date" in keys
    assert any(k.startswith("trends.predictive.") for k in keys)
    # the Dutch edition formats with a decimal comma
    difference = next(t for t in models.explanation if t.key.startswith("trends.what.difference"))
    assert "," in difference.render("nl").split("per jaar")[0]


def test_too_few_points_gives_estimates_without_p_values():
    region = noisy_line(7, -0.01, years=list(range(2012, 2020)))
    comparator = noisy_line(8, 0.0, years=list(range(2012, 2020)), level=8e5)
    models = trendmodels.trend_models(synthetic_pair(region, comparator), 2012, 2016)  # n = 5
    assert not models.difference.inference_valid
    assert models.numbers()["difference_p"] is None
    assert math.isnan(models.difference.p_value)
    texts = {t.key for t in models.explanation}
    assert "trends.method.estimate_only" in texts
    rendered = " ".join(t.render("en") for t in models.explanation)
    assert "no interval or p-value" in rendered and "at least 6" in rendered


# --- the joint predictive-failure test ----------------------------------------------------------


def ar1_line(seed: int, rho: float, growth: float = -0.01) -> pd.Series:
    """A straight log line with AR(1) deviations of 1% innovation sd (stationary start)."""
    from analysis.stats.inference import simulate_ar1

    deviations = simulate_ar1(np.random.default_rng(seed), 1, len(YEARS), rho)[0]
    return pd.Series(40_000 * np.exp(growth * np.arange(len(YEARS)) + 0.01 * deviations),
                     index=YEARS)


def test_predictive_test_size_on_straight_lines_and_power_on_a_level_shift():
    """400 straight lines each (fixed seeds), pre-period 2010-2016, later years 2017-2024.

    Size: with independent deviations the exact-F p-value rejects 2%-8% of the lines at 5%
    (binomial sd at 400 draws: 1.1 points; measured 7.3%); the size-controlled p-value (the largest
    over AR(1) rho up to 0.8) rejects at most 7% with independent deviations (measured 1.3%) and
    with rho = 0.5 (measured 3.8%), where the exact-F p-value over-rejects (measured 12%).
    Power: a 20% level shift from 2017 on (twenty times the deviation) is rejected in at least 95%
    of the lines (measured 99.8%; a 12% shift only about 75%, with 5 residual df)."""
    draws = 400
    independent = [trend_stats.predictive_failure(ar1_line(10_000 + i, 0.0), 2016)
                   for i in range(draws)]
    persistent = [trend_stats.predictive_failure(ar1_line(20_000 + i, 0.5), 2016)
                  for i in range(draws)]
    shifted_lines = []
    for i in range(draws):
        line = ar1_line(30_000 + i, 0.0)
        line.loc[2017:] *= 1.20
        shifted_lines.append(trend_stats.predictive_failure(line, 2016))

    def rate(results, attribute="p_value"):
        return sum(getattr(r, attribute) < 0.05 for r in results) / draws

    assert 0.02 <= rate(independent, "p_value_independent") <= 0.08
    assert rate(independent) <= 0.07
    assert rate(persistent) <= 0.07
    assert rate(persistent, "p_value_independent") > 0.08  # why the size control is needed
    assert rate(shifted_lines) >= 0.95


def test_predictive_test_texts_follow_the_result():
    line = noisy_line(42, -0.01)
    shifted = line.copy()
    shifted.loc[2017:] *= 1.25
    comparator = noisy_line(43, 0.0, level=8e5)
    shifted_models = trendmodels.trend_models(synthetic_pair(shifted, comparator), 2010, 2016)
    assert shifted_models.prediction.p_value < 0.05
    assert "trends.predictive.rejects" in {t.key for t in shifted_models.explanation}
    # a line with the same alternating +/-0.5% deviations before and after: F near 1, no rejection
    wiggle = pd.Series(40_000 * np.exp(-0.01 * np.arange(15) + 0.005 * (-1.0) ** np.arange(15)),
                       index=YEARS)
    straight = trendmodels.trend_models(synthetic_pair(wiggle, comparator), 2010, 2016)
    assert straight.prediction.p_value > 0.05
    assert "trends.predictive.holds" in {t.key for t in straight.explanation}
    # hand check of the F statistic: m = 8 later years, n_pre - 2 = 5 df
    logs = np.log(shifted.to_numpy())
    years = np.array(YEARS, float)
    pre = years <= 2016

    def ssr(x, y):
        coef = np.polyfit(x, y, 1)
        return float(((y - np.polyval(coef, x)) ** 2).sum())

    f_value = ((ssr(years, logs) - ssr(years[pre], logs[pre])) / 8) / (ssr(years[pre], logs[pre]) / 5)
    assert shifted_models.prediction.f_statistic == pytest.approx(f_value)
    assert shifted_models.prediction.df_num == 8 and shifted_models.prediction.df_denom == 5


# --- real data -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_jobs() -> pd.DataFrame:
    """The processed jobs table as the engine reads it (checked, the current release per table)."""
    return ser.load_jobs()


@pytest.fixture(scope="module")
def plain_csv() -> pd.DataFrame:
    """jobs.csv read with plain pandas, for the hand computations."""
    return pd.read_csv(paths.processed_dir() / "jobs.csv", low_memory=False)


def plain_jobs(csv: pd.DataFrame) -> pd.DataFrame:
    """Published B-E cells of 83582NED, current release ("latest"), from the plain CSV."""
    return csv[(csv["source_table"] == "83582NED") & (csv["vintage"] == "latest")
               & (csv["sbi_code"] == "B-E") & (csv["derived"].astype(str) == "False")]


def test_real_twente_and_rest_of_nation_b_e_2010_2015(real_jobs, plain_csv):
    rows = plain_jobs(plain_csv)
    twente = rows[rows["region_code"] == "CR12"].set_index("year")["employee_jobs"].astype(float)
    others = rows[(rows["region_level"] == "corop") & (rows["region_code"] != "CR12")]
    rest = others.groupby("year")["employee_jobs"].sum(min_count=39).astype(float)
    assert others[others["year"] == 2010]["region_code"].nunique() == 39
    growth_twente = 100 * (twente[2015] / twente[2010] - 1)  # 41,500 / 44,000 - 1 = -5.7%
    growth_rest = 100 * (rest[2015] / rest[2010] - 1)

    pair = ts.employee_jobs_pair(real_jobs, "CR12", "B-E", national="corop")
    frame = pair.frame.set_index("year")
    for year in (2010, 2015):
        assert frame.loc[year, "region"] == twente[year]
        assert frame.loc[year, "comparator"] == rest[year]
    engine_rest = 100 * (frame.loc[2015, "comparator"] / frame.loc[2010, "comparator"] - 1)
    assert engine_rest == pytest.approx(growth_rest)
    assert round(growth_twente, 1) == -5.7
    # the comparator without Twente fell less than Twente
    assert growth_rest > growth_twente


def test_real_pre_period_trend_difference_2010_2016(real_jobs):
    models = trendmodels.trend_models_for("employee_jobs", "CR12", "B-E", 2010, 2016,
                                          jobs=real_jobs, national="corop")
    assert models.pre_years == tuple(range(2010, 2017))
    frame = models.pair.frame.set_index("year").loc[2010:2016]
    ratio = np.log(frame["region"].to_numpy(float)) - np.log(frame["comparator"].to_numpy(float))
    slope = np.polyfit(frame.index.to_numpy(float), ratio, 1)[0]
    assert models.numbers()["difference_pct"] == round(100 * math.expm1(slope), 1)
    # 7 consecutive years: fixed-b inference is available (needs 6), the interval contains 0 or not
    assert models.difference.inference_valid
    assert models.difference.ci_low <= models.difference.growth_pct <= models.difference.ci_high
    assert models.prediction is not None and models.prediction.fit_years[-1] == 2016


# --- figures -------------------------------------------------------------------------------------------


def test_trend_figures_draw_the_plot_data_in_each_language():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report import plots, trendplots

    plots.use_house_style()
    models = trendmodels.trend_models(
        synthetic_pair(noisy_line(11, -0.01), noisy_line(12, 0.0, level=8e5)), 2010, 2016)
    tidy = models.figure_data()
    titles = {}
    for lang in ("nl", "en"):
        figure = trendplots.trend_figure(models, lang, "Bron: CBS 83582NED")
        left, right = figure.axes[:2]
        region_line = left.get_lines()[0]
        expected = tidy[tidy["series"] == "region"].sort_values("year")
        assert list(region_line.get_ydata()) == list(expected["value"])
        assert plots.find_source_note(figure) == "Bron: CBS 83582NED"
        titles[lang] = (right.get_title(loc="left"), left.get_xlabel())
        plt.close(figure)
    assert titles["nl"] != titles["en"] and titles["nl"][1] == "jaar"
    concepts = trendmodels.ConceptSet(models={"employee_jobs": models}, unavailable={})
    figure = trendplots.concepts_figure(concepts, "nl", "Bron: CBS")
    assert "banen van werknemers" in figure.axes[0].get_title(loc="left")
    plt.close(figure)


def test_real_rest_of_nation_from_cbs_published_national_rows(real_jobs, plain_csv):
    national = plain_csv[(plain_csv["source_table"] == "83583NED")
                         & (plain_csv["region_code"] == "NL01") & (plain_csv["sbi_code"] == "B-E")
                         ].set_index("year")["employee_jobs"].astype(float)
    twente = plain_jobs(plain_csv)
    twente = twente[twente["region_code"] == "CR12"].set_index("year")["employee_jobs"]
    rest_2010 = national[2010] - twente[2010]  # 837,500 - 44,000
    rest_2016 = national[2016] - twente[2016]  # 809,900 - 40,400
    pair = ts.employee_jobs_pair(real_jobs, "CR12", "B-E", national="published")
    frame = pair.frame.set_index("year")
    assert frame.loc[2010, "comparator"] == rest_2010
    assert frame.loc[2016, "comparator"] == rest_2016
    growth_rest = 100 * (rest_2016 / rest_2010 - 1)
    growth_twente = 100 * (twente[2016] / twente[2010] - 1)
    engine = 100 * (frame.loc[2016, "comparator"] / frame.loc[2010, "comparator"] - 1)
    assert engine == pytest.approx(growth_rest)
    assert growth_twente < growth_rest  # Twente fell faster than the rest of the nation
    assert "83583NED" in pair.comparator_text.render("en")
    # with the region included the comparator is the published national figure itself
    nation = ts.employee_jobs_pair(real_jobs, "CR12", "B-E", national="published",
                                   comparator="nation")
    assert nation.frame.set_index("year").loc[2016, "comparator"] == national[2016]


@pytest.fixture(scope="module")
def real_accounts() -> pd.DataFrame:
    return ts.load_accounts()


@pytest.mark.parametrize("table", ["84419NED", "85925NED"])
def test_real_labour_volume_twente_and_rest_of_nation(real_accounts, table):
    plain = pd.read_csv(paths.processed_dir() / "regional_accounts.csv")
    rows = plain[(plain["source_table"] == table) & (plain["sbi_code"] == "B-E")]
    by = rows.pivot_table(index="year", columns="region_code", values="labour_volume_total")
    rest = by["NL01"] - by["CR12"]
    models = trendmodels.trend_models_for("labour_volume", "CR12", "B-E", 2010, 2016,
                                          accounts=real_accounts, source_table=table)
    frame = models.pair.frame.set_index("year")
    for year in (2010, 2016):
        assert frame.loc[year, "region"] == by.loc[year, "CR12"]
        assert frame.loc[year, "comparator"] == rest[year]
    years = np.arange(2010, 2017, dtype=float)
    ratio = np.log(by.loc[2010:2016, "CR12"].to_numpy(float)) - np.log(rest.loc[2010:2016]
                                                                      .to_numpy(float))
    slope = np.polyfit(years, ratio, 1)[0]
    assert models.numbers()["difference_pct"] == round(100 * math.expm1(slope), 1)
    assert models.pair.source == table


def test_real_industry_trends_in_every_concept(real_jobs, real_accounts):
    concepts = trendmodels.concept_trend_models("CR12", "B-E", 2010, 2016, jobs=real_jobs,
                                                accounts=real_accounts)
    assert set(concepts.models) == {"employee_jobs", "labour_volume:84419NED",
                                    "labour_volume:85925NED"}
    assert not concepts.unavailable
    assert set(concepts.plot_data()["concept"]) == set(concepts.models)
    for models in concepts.models.values():
        assert models.pair.comparator == "rest_of_nation"
        assert models.difference.years == tuple(range(2010, 2017))


def test_real_time_only_says_in_both_languages_why_there_is_no_extrapolation():
    region = noisy_line(21, -0.01).loc[:2016]
    comparator = noisy_line(22, 0.0, level=8e5).loc[:2016]
    models = trendmodels.trend_models(synthetic_pair(region, comparator), 2010, 2016)
    assert models.prediction is None and models.segmented is None
    reason = models.unavailable["prediction"]
    assert reason.render("nl") == ("Niet te berekenen (extrapolatie): er zijn nog geen jaren na "
                                   "de datum van de bewering.")
    assert reason.render("en") == ("Not computable (extrapolation): there are no years after the "
                                   "claim's date yet.")
    assert models.difference is not None  # the real-time reading itself is unaffected


def test_difference_with_bounded_comparator_cells_at_both_ends():
    cells = three_regions(list(range(2010, 2017)), {("CR02", 2014): "B-E"})
    jobs = jobs_table(cells)
    pair = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="corop")
    models = trendmodels.trend_models(pair, 2010, 2016)
    frame = pair.frame.set_index("year")
    years = frame.index.to_numpy(float)
    slopes = [np.polyfit(years, np.log(frame["region"]) - np.log(frame[column]), 1)[0]
              for column in ("comparator_low", "comparator_high")]
    expected = sorted(100 * math.expm1(b) for b in slopes)
    assert models.difference_bounds == pytest.approx(tuple(expected))
    assert expected[0] <= models.difference.growth_pct <= expected[1]
    assert "trends.difference_bounds" in {t.key for t in models.explanation}


def test_results_serialise_to_json_with_both_languages():
    import json

    models = trendmodels.trend_models(
        synthetic_pair(noisy_line(31, -0.01), noisy_line(32, 0.0, level=8e5)), 2010, 2016)
    record = json.loads(json.dumps(models.to_json()))
    assert record["cutoff_year"] == 2016 and record["comparator"] == "rest_of_nation"
    assert record["numbers"]["difference_pct"] == models.numbers()["difference_pct"]
    assert all({"en", "nl", "key"} <= set(text) for text in record["explanation"])


def test_published_national_rows_use_the_second_of_two_period_keys():
    # 81497NED has two period keys for 2011; the second agrees with 83583NED and is the one used
    cells = three_regions([2011])
    jobs = jobs_table(cells)
    extra = jobs.iloc[:2].copy()
    for i, (status, value) in enumerate((("first-of-two", 846_000.0), ("second-of-two", 845_500.0))):
        extra.iloc[i, extra.columns.get_loc("source_table")] = "81497NED"
        extra.iloc[i, extra.columns.get_loc("region_code")] = "NL01"
        extra.iloc[i, extra.columns.get_loc("region_level")] = "nl"
        extra.iloc[i, extra.columns.get_loc("sbi_code")] = "B-E"
        extra.iloc[i, extra.columns.get_loc("period_status")] = status
        extra.iloc[i, extra.columns.get_loc("employee_jobs")] = value
    jobs = pd.concat([jobs, extra], ignore_index=True)
    pair = ts.employee_jobs_pair(jobs, "CR12", "B-E", national="published",
                                 national_table="81497NED")
    assert pair.frame.set_index("year").loc[2011, "comparator"] == 845_500 - 39_900
