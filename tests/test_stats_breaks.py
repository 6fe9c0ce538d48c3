"""Break tests: Chow against an independent regression, sup-F null distributions, size on straight
lines and power on V shapes (fixed seeds); the observed F (statsmodels) equals the bulk F of the nulls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from analysis.stats import breaks
from analysis.stats.breaks import chow_break_test, sup_f_test
from analysis.stats.nulls import simulate_ar1

YEARS = np.arange(2010, 2024)  # 14 annual points
REPLICATIONS = 600  # standard error of a 5% rejection rate: 0.9 points
SIZE_BAND = (0.03, 0.07)


def line(rng: np.random.Generator, noise: float = 0.01, years=YEARS) -> pd.Series:
    return pd.Series(5e4 * np.exp(0.01 * (years - years[0]) + noise * rng.standard_normal(len(years))),
                     index=years)


def v_shape(rng: np.random.Generator, noise: float = 0.01) -> pd.Series:
    # falls 2% a year until 2017, then grows 2% a year
    log_path = 0.02 * np.abs(YEARS - 2017)
    return pd.Series(5e4 * np.exp(log_path + noise * rng.standard_normal(len(YEARS))), index=YEARS)


def test_chow_equals_the_f_test_of_the_dummy_regression() -> None:
    series = v_shape(np.random.default_rng(1))
    result = chow_break_test(series, 2016)
    t = YEARS - YEARS.mean()
    after = (YEARS >= 2016).astype(float)
    full = sm.OLS(np.log(series.to_numpy()), np.column_stack([np.ones(14), t, after,
                                                              after * (YEARS - 2016)])).fit()
    f_test = full.f_test(np.array([[0, 0, 1, 0], [0, 0, 0, 1.0]]))
    assert result.f_statistic == pytest.approx(float(f_test.fvalue))
    assert result.p_value_independent == pytest.approx(float(f_test.pvalue))
    assert result.p_value >= result.p_value_independent - 0.01  # allowing for persistence
    assert (result.df_num, result.df_denom, result.n_pre, result.n_post) == (2, 10, 6, 8)
    # the kink version: one restriction
    kink = chow_break_test(series, 2016, shift="slope")
    assert (kink.df_num, kink.df_denom) == (1, 11)
    with pytest.raises(ValueError, match="2 values before and 12 from it on"):
        chow_break_test(series, 2012)
    with pytest.raises(ValueError, match="shift must be one of"):
        chow_break_test(series, 2016, shift="level")


def test_chow_hand_worked_pre_and_post_growth() -> None:
    # exact lines: log y rises 0.02 a year to 2015, then 0.05 a year (joined at 2015)
    years = np.arange(2010, 2021)
    log_path = 0.02 * (years - 2010) + 0.03 * np.maximum(years - 2015, 0)
    series = pd.Series(np.exp(log_path) * 1000, index=years)
    result = chow_break_test(series, 2015, shift="slope")
    assert result.pre_growth_pct == pytest.approx(100 * np.expm1(0.02))
    assert result.post_growth_pct == pytest.approx(100 * np.expm1(0.05))


def test_sup_f_with_one_candidate_is_the_chow_f_distribution() -> None:
    """Independent check of the simulated null: with one candidate year sup-F is an F(2, 4).

    Monte Carlo error of the 95% quantile with 20,000 draws: sqrt(0.05 * 0.95 / 20000) / density
    of F(2, 4) at 6.94 (= (1 + 6.94/2)^-3 = 0.011) = 0.14, i.e. 2%; the band is 6%."""
    series = line(np.random.default_rng(2), years=np.arange(2010, 2018))  # 8 points
    result = sup_f_test(series, min_segment=4, rho_max=0.0)
    assert result.candidate_years == (2014,)
    assert result.critical_value == pytest.approx(stats.f.ppf(0.95, 2, 4), rel=0.06)
    assert result.p_value == pytest.approx(result.chow_p_by_year[2014], abs=0.01)


def test_sup_f_rejects_a_v_shape_and_keeps_its_size_on_a_line() -> None:
    rng = np.random.default_rng(3)
    lines = [sup_f_test(line(rng)) for _ in range(REPLICATIONS)]
    independent = np.mean([r.p_value_independent < 0.05 for r in lines])
    assert SIZE_BAND[0] <= independent <= SIZE_BAND[1]  # measured 5.3%
    assert np.mean([r.p_value < 0.05 for r in lines]) < 0.02  # conservative at rho = 0
    power = [sup_f_test(v_shape(rng)).p_value for _ in range(200)]
    assert np.mean(np.asarray(power) < 0.05) >= 0.95  # measured 100%
    result = sup_f_test(v_shape(rng))
    # trimming 15% of 14 -> 3 a side (min_segment): candidates 2013..2021
    assert result.candidate_years == tuple(range(2013, 2022))
    assert result.best_year in (2016, 2017, 2018)
    assert result.critical_value > stats.f.ppf(0.95, 2, 10)  # searching costs: above one Chow F


def test_break_tests_keep_their_size_with_persistent_deviations() -> None:
    """A straight line plus AR(1) deviations with rho = 0.8, n = 14: the independent-deviation
    p-values reject 44% (sup-F) of the time, the size-controlled ones 6.3% (measured with this
    seed)."""
    rng = np.random.default_rng(6)
    deviations = 0.01 * simulate_ar1(rng, 400, 14, 0.8)
    series = [pd.Series(np.exp(row), index=YEARS) for row in deviations]
    results = [sup_f_test(s) for s in series]
    assert np.mean([r.p_value < 0.05 for r in results]) <= 0.08
    assert np.mean([r.p_value_independent < 0.05 for r in results]) > 0.25


@pytest.mark.parametrize("shift", ["level_and_slope", "slope"])
def test_observed_f_by_statsmodels_is_the_bulk_f_of_the_nulls(shift: str) -> None:
    """The observed F (statsmodels compare_f_test) and the F the simulated nulls are made of
    (_f_statistics, 20,000 replications at once) are the same number, also with a gap."""
    rng = np.random.default_rng(12)
    years = np.array([2010, 2011, 2012, 2014, 2015, 2016, 2017, 2018, 2019, 2020], dtype=float)
    draws = 10.0 + 0.02 * rng.standard_normal((5, len(years)))
    bulk = breaks._f_statistics(draws, years, (2015, 2017), shift)
    for row, expected in zip(draws, bulk, strict=True):
        observed = [breaks._observed_f(row, years, year, shift)[0] for year in (2015, 2017)]
        assert observed == pytest.approx(expected.tolist(), rel=1e-8)
