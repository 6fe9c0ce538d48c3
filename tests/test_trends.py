"""Trend models: known growth recovered from simulated series, test size and power by small
fixed-seed simulations, exact equivalences, input handling and the result records."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.diagnostic import breaks_cusumolsresid

from analysis.stats.breaks import cusum_test
from analysis.stats.trends import (
    BreakResult,
    CounterfactualResult,
    TrendResult,
    counterfactual,
    default_maxlags,
    loglinear_trend,
    segmented_trend,
    trend_difference,
)

YEARS = np.arange(2010, 2024)  # 14 annual points, like CBS jobs 2010-2023
REPLICATIONS = 200
# With 200 replications the rejection rate of a 5% test has a standard error of about 1.5
# percentage points; the band allows for that plus the small-sample inexactness of the tests.
NULL_BAND = (0.01, 0.11)


def simulated(rng: np.random.Generator, growth: float, noise: float, years=YEARS,
              level: float = 100_000.0, shocks: np.ndarray | None = None) -> pd.Series:
    """Series growing ``growth`` (fraction) a year with lognormal noise of sd ``noise``."""
    t = years - years[0]
    errors = rng.normal(0.0, noise, len(years)) if shocks is None else shocks
    return pd.Series(level * np.exp(np.log1p(growth) * t + errors), index=years)


def rejection_rate(p_values: list[float], alpha: float = 0.05) -> float:
    return float(np.mean(np.asarray(p_values) < alpha))


# --- loglinear_trend -----------------------------------------------------------------------------


def test_default_maxlags_rule() -> None:
    # floor(4 * (n/100)^(2/9)), at least 1
    assert [default_maxlags(n) for n in (4, 5, 10, 15, 100, 500)] == [1, 2, 2, 2, 4, 5]


def test_exact_exponential_growth_is_recovered_exactly() -> None:
    series = pd.Series(250.0 * 1.03 ** np.arange(12), index=range(2010, 2022))
    result = loglinear_trend(series)
    assert result.growth_pct == pytest.approx(3.0, abs=1e-9)
    assert result.ci_low == pytest.approx(3.0, abs=1e-6)
    assert result.ci_high == pytest.approx(3.0, abs=1e-6)


def test_known_growth_recovered_from_noisy_series() -> None:
    rng = np.random.default_rng(20171018)
    result = loglinear_trend(simulated(rng, growth=0.02, noise=0.01))
    assert result.growth_pct == pytest.approx(2.0, abs=0.25)
    assert result.ci_low < 2.0 < result.ci_high
    assert result.p_value < 0.001
    assert (result.n, result.df, result.hac_maxlags) == (14, 12, 2)
    assert result.slope_se == max(result.hac_se, result.classical_se)


def test_confidence_interval_covers_the_true_growth_about_95_percent() -> None:
    rng = np.random.default_rng(1)
    covered = [
        (r := loglinear_trend(simulated(rng, 0.015, 0.01))).ci_low < 1.5 < r.ci_high
        for _ in range(REPLICATIONS)
    ]
    assert 0.89 <= np.mean(covered) <= 0.99


def test_conservative_floor_is_what_keeps_the_size_near_five_percent() -> None:
    """Plain HAC from 14 points over-rejects a true null; the classical floor repairs it."""
    rng = np.random.default_rng(2)
    series = [simulated(rng, 0.0, 0.01) for _ in range(REPLICATIONS)]
    conservative = rejection_rate([loglinear_trend(s).p_value for s in series])
    plain_hac = rejection_rate([loglinear_trend(s, conservative=False).p_value for s in series])
    assert NULL_BAND[0] <= conservative <= NULL_BAND[1]
    assert plain_hac > conservative


def test_nan_years_are_dropped_and_recorded() -> None:
    rng = np.random.default_rng(3)
    series = simulated(rng, 0.02, 0.01)
    series[[2014, 2015]] = math.nan
    result = loglinear_trend(series)
    assert result.dropped_years == (2014, 2015)
    assert result.n == 12 and 2014 not in result.years
    assert result.to_dict()["dropped_years"] == "2014\u20132015"


def test_too_few_points_and_non_positive_values_are_refused() -> None:
    with pytest.raises(ValueError, match=r"3 usable annual values \(2013 dropped as NaN\)"):
        loglinear_trend(pd.Series({2010: 1.0, 2011: 2.0, 2012: 3.0, 2013: math.nan}))
    with pytest.raises(ValueError, match="needs at least 4"):
        loglinear_trend(pd.Series({2010: 1.0, 2011: 2.0, 2012: 3.0}))
    with pytest.raises(ValueError, match=r"must be positive.*\[2011\]"):
        loglinear_trend(pd.Series({2010: 1.0, 2011: 0.0, 2012: 3.0, 2013: 4.0}))
    with pytest.raises(ValueError, match="hac_maxlags must be between 0 and 13"):
        loglinear_trend(simulated(np.random.default_rng(0), 0.01, 0.01), hac_maxlags=14)
    with pytest.raises(ValueError, match="indexed by"):
        loglinear_trend(pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd")))


def test_trend_result_record_and_text() -> None:
    series = simulated(np.random.default_rng(4), 0.02, 0.005).rename("jobs in Twente")
    result = loglinear_trend(series, hac_maxlags=1)
    record = result.to_dict()
    assert set(record) == {f for f in TrendResult.__dataclass_fields__}
    assert all(isinstance(v, (int, float, str, bool)) for v in record.values())
    assert record["years"] == "2010\u20132023" and record["hac_maxlags"] == 1
    text = result.summary_text()
    assert text.startswith("From 2010 to 2023 (14 annual values) jobs in Twente grew by about 2.0%")
    assert "With n=14 annual points, HAC errors are themselves imprecise" in text
    assert "Newey-West HAC with 1 lag(s)" in result.method
    assert loglinear_trend(series, hac_maxlags=1) == result  # deterministic


# --- trend_difference ----------------------------------------------------------------------------


def test_difference_equals_the_log_ratio_trend() -> None:
    """On common years the interaction is the slope of log(region/comparator), and the
    Driscoll-Kraay error equals the Newey-West error of that ratio regression."""
    rng = np.random.default_rng(5)
    region, nation = simulated(rng, 0.03, 0.01), simulated(rng, 0.01, 0.01, level=2e6)
    difference = trend_difference(region, nation)
    ratio = loglinear_trend(region / nation)
    assert difference.slope == pytest.approx(ratio.slope, rel=1e-10)
    assert difference.hac_se == pytest.approx(ratio.hac_se, rel=1e-8)
    assert difference.classical_se == pytest.approx(ratio.classical_se, rel=1e-8)
    assert difference.df == 12 and difference.n == 28
    assert difference.region_growth_pct == pytest.approx(loglinear_trend(region).growth_pct)
    assert difference.comparator_growth_pct == pytest.approx(loglinear_trend(nation).growth_pct)


def test_difference_test_size_and_power() -> None:
    rng = np.random.default_rng(6)
    null_p, effect_p = [], []
    for _ in range(REPLICATIONS):
        shared = rng.normal(0.0, 0.01, len(YEARS))  # the region is part of the nation
        nation = simulated(rng, 0.01, 0.0, shocks=shared + rng.normal(0, 0.003, len(YEARS)))
        same = simulated(rng, 0.01, 0.0, shocks=shared + rng.normal(0, 0.01, len(YEARS)))
        faster = simulated(rng, 0.025, 0.0, shocks=shared + rng.normal(0, 0.01, len(YEARS)))
        null_p.append(trend_difference(same, nation).p_value)
        effect_p.append(trend_difference(faster, nation).p_value)
    assert NULL_BAND[0] <= rejection_rate(null_p) <= NULL_BAND[1]
    assert rejection_rate(effect_p) >= 0.9  # 1.5 percentage points a year faster


def test_difference_uses_common_years_and_reads_well() -> None:
    rng = np.random.default_rng(7)
    region = simulated(rng, 0.03, 0.005)
    nation = simulated(rng, -0.01, 0.005, level=2e6)
    region[2012] = math.nan
    nation = nation.drop(2023)
    result = trend_difference(region, nation, region_name="Twente",
                              comparator_name="the Netherlands")
    assert result.dropped_years == (2012, 2023)
    assert result.years == tuple(y for y in range(2010, 2023) if y != 2012)
    assert result.growth_pct == pytest.approx(100 * (1.03 / 0.99 - 1), abs=0.3)
    text = result.summary_text()
    assert text.startswith("From 2010 to 2022, Twente grew about")
    assert "faster than the Netherlands" in text and "p < 0.001" in text
    assert "Driscoll-Kraay" in result.method


# --- segmented_trend -----------------------------------------------------------------------------


def with_break(rng: np.random.Generator, level_shift: float, slope_change: float,
               break_year: int = 2017, noise: float = 0.01) -> pd.Series:
    """2% a year growth, plus (from break_year on) a level jump and a change of growth."""
    after = YEARS >= break_year
    log_path = 0.02 * (YEARS - 2010) + after * (level_shift + slope_change * (YEARS - break_year))
    return pd.Series(1e5 * np.exp(log_path + rng.normal(0.0, noise, len(YEARS))), index=YEARS)


def test_segmented_trend_recovers_known_pre_and_post_growth() -> None:
    result = segmented_trend(with_break(np.random.default_rng(8), -0.05, 0.02, noise=1e-4), 2017)
    assert result.pre_growth_pct == pytest.approx(100 * math.expm1(0.02), abs=0.02)
    assert result.post_growth_pct == pytest.approx(100 * math.expm1(0.04), abs=0.02)
    assert result.level_shift_pct == pytest.approx(100 * math.expm1(-0.05), abs=0.05)
    assert result.slope_change == pytest.approx(0.02, abs=2e-4)
    assert (result.n_pre, result.n_post, result.f_df_num, result.f_df_denom) == (7, 7, 2, 10)
    assert result.f_p_value < 0.001


def test_break_f_test_size_and_power() -> None:
    rng = np.random.default_rng(9)
    null_p = [segmented_trend(with_break(rng, 0.0, 0.0), 2017).f_p_value
              for _ in range(REPLICATIONS)]
    effect_p = [segmented_trend(with_break(rng, -0.06, 0.0), 2017).f_p_value
                for _ in range(REPLICATIONS)]
    assert NULL_BAND[0] <= rejection_rate(null_p) <= NULL_BAND[1]
    assert rejection_rate(effect_p) >= 0.9  # a 6% drop in 2017, noise 1%


def test_break_cusum_is_the_exact_test_not_the_statsmodels_table() -> None:
    """The CUSUM statistic is the statsmodels one; its p-value comes from the exact null with a
    trend regressor (stats.breaks), smaller than statsmodels' Brownian-bridge p-value here."""
    series = with_break(np.random.default_rng(10), 0.0, 0.03)
    result = segmented_trend(series, 2017)
    plain = sm.OLS(np.log(series.to_numpy()), sm.add_constant(YEARS - YEARS.mean())).fit()
    statistic, old_p_value, _ = breaks_cusumolsresid(plain.resid, ddof=2)
    assert result.cusum_statistic == pytest.approx(statistic)
    assert result.cusum_p_value == pytest.approx(cusum_test(series).p_value)
    assert result.cusum_p_value < old_p_value


def test_break_needs_three_points_a_side_and_reads_well() -> None:
    series = with_break(np.random.default_rng(11), -0.05, 0.0)
    with pytest.raises(ValueError, match="12 values before and 2 from it on"):
        segmented_trend(series, 2022)
    result = segmented_trend(series.rename("manufacturing jobs"), 2017)
    record = result.to_dict()
    assert set(record) == set(BreakResult.__dataclass_fields__)
    assert all(isinstance(v, (int, float, str, bool)) for v in record.values())
    text = result.summary_text()
    assert text.startswith("Before 2017 manufacturing jobs grew by about")
    assert "points to a break" in text and "CUSUM" in text and "n=14" in text


# --- counterfactual ------------------------------------------------------------------------------


def test_counterfactual_intervals_cover_a_known_continuation() -> None:
    """Same trend before and after the cutoff: ~5% of projected years fall outside."""
    rng = np.random.default_rng(12)
    shares = [counterfactual(simulated(rng, 0.02, 0.01), 2017).share_outside
              for _ in range(REPLICATIONS)]
    assert 0.02 <= float(np.mean(shares)) <= 0.09


def test_counterfactual_flags_a_real_departure() -> None:
    series = with_break(np.random.default_rng(13), -0.10, -0.02, noise=0.005)
    result = counterfactual(series.rename("jobs"), 2017)
    table = result.table
    assert list(table.columns) == ["year", "actual", "predicted", "lower", "upper",
                                   "outside_interval", "gap", "gap_pct"]
    assert table["year"].tolist() == list(range(2017, 2024))
    assert result.fit_years == tuple(range(2010, 2017))  # strictly before the cutoff
    assert table["outside_interval"].all() and (table["gap"] < 0).all()
    assert (result.n_outside, result.n_projected, result.share_outside) == (7, 7, 1.0)
    assert (table["lower"] < table["predicted"]).all()
    assert (table["predicted"] < table["upper"]).all()
    assert result.pre_trend.growth_pct == pytest.approx(2.0, abs=0.3)
    assert "lies below it. 7 of 7 years from 2017 on lie outside" in result.summary_text()


def test_counterfactual_exact_trend_is_predicted_exactly() -> None:
    series = pd.Series(100.0 * 1.05 ** np.arange(10), index=range(2010, 2020))
    series[2015] = math.nan
    result = counterfactual(series, 2016)
    assert np.allclose(result.table["predicted"], result.table["actual"], rtol=1e-9)
    assert result.dropped_years == (2015,)
    assert result.fit_years == (2010, 2011, 2012, 2013, 2014)


def test_counterfactual_input_errors_and_record() -> None:
    series = simulated(np.random.default_rng(14), 0.01, 0.01)
    with pytest.raises(ValueError, match="only 3 values before 2013"):
        counterfactual(series, 2013)
    with pytest.raises(ValueError, match="no values from 2024 on"):
        counterfactual(series, 2024)
    result = counterfactual(series, 2017)
    assert isinstance(result, CounterfactualResult)
    record = result.to_dict()
    assert record["fit_years"] == "2010\u20132016" and record["n_projected"] == 7
    assert {"pre_growth_pct", "pre_ci_low", "pre_ci_high"} <= set(record)
    assert all(isinstance(v, (int, float, str, bool)) for v in record.values())
