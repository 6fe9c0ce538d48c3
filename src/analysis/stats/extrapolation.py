"""An extrapolation of the pre-period trend, and one joint test of whether later years fit it.

The log-linear trend of the years before ``cutoff_year`` is *extrapolated* (extended unchanged)
to ``cutoff_year`` and later. This is not a forecast model; it answers "did the later years
continue the earlier line?". Instead of counting years outside single-year prediction bands
(dependent exceedances: one persistent shift puts every later year outside), one joint
predictive-failure test (Chow 1960, the second test) asks whether all later years together are
compatible with the pre-period line (the lines are statsmodels OLS fits, :mod:`analysis.stats.ols`,
and the observed F is statsmodels' ``compare_f_test`` of the year-dummy form below; the simulated
null distributions are computed in bulk by :func:`_predictive_f`)::

    F = ((SSR_all - SSR_pre) / m) / (SSR_pre / (n_pre - 2))   ~  F(m, n_pre - 2)

where ``SSR_pre`` is the residual sum of squares of the trend fitted on the ``n_pre`` pre-period
years and ``SSR_all`` that of one trend fitted on all ``n_pre + m`` years. It equals the F test of
``m`` year dummies for the later years, and for ``m = 1`` the squared prediction t statistic.
Exact for independent normal deviations on the log scale (``p_value_independent``); persistent
deviations make that reject too often (18% at AR(1) rho = 0.8, n = 7 + 7), so ``p_value`` is the
largest tail probability over AR(1) rho in ``0..rho_max`` (default 0.8) of the null distribution
simulated at the actual years (:mod:`analysis.stats.nulls`). The uncertainty is that of a model of
deviations around a line: register counts have no sampling error.

Public API
----------
``extrapolation_test(series, cutoff_year, *, rho_max=0.8) -> Extrapolation`` with fields
``cutoff_year, fit_years, extrapolated_years, table`` (DataFrame: ``year, actual, extrapolated,
gap, gap_pct``), ``f_statistic, df_num, df_denom, p_value, p_value_independent, rho_max,
pre_growth_pct, n_pre, method, caveat, label``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats import ols
from analysis.stats.growth import describe_years
from analysis.stats.nulls import REPLICATIONS, null_tables, sup_tail
from analysis.stats.sample import _growth_pct, _prepare

CAVEAT = ("The p-value allows for year-to-year persistence of the deviations (AR(1)) up to rho = "
          "{rho_max}. The uncertainty is that of a model of deviations around a line, not "
          "sampling error (the counts are registers).")
SEED = 19601001


@dataclass(frozen=True, eq=False)  # eq=False: holds a DataFrame
class Extrapolation:
    """The pre-period trend extrapolated to later years, with a joint predictive-failure test."""

    cutoff_year: int
    fit_years: tuple[int, ...]
    extrapolated_years: tuple[int, ...]
    table: pd.DataFrame
    f_statistic: float
    df_num: int
    df_denom: int
    p_value: float  # size-controlled for AR(1) deviations up to rho_max
    p_value_independent: float  # exact F for independent deviations
    rho_max: float
    pre_growth_pct: float
    n_pre: int
    method: str
    caveat: str
    label: str = "the series"


def _observed_f(log_values: np.ndarray, years: np.ndarray, cutoff_year: int) -> float:
    """statsmodels' F of one line through all years against that line plus a dummy for every
    year from ``cutoff_year`` on (the predictive-failure F, module docstring)."""
    later = [(years == year).astype(float) for year in years[years >= cutoff_year]]
    line = ols.fit(years, log_values)
    return float(ols.fit(years, log_values, *later).compare_f_test(line)[0])


def _predictive_f(y: np.ndarray, years: np.ndarray, cutoff_year: int) -> np.ndarray:
    """The predictive-failure F, vectorised over replications (last axis = years): the nulls."""
    before = years < cutoff_year

    def ssr(values: np.ndarray, x: np.ndarray) -> np.ndarray:
        exog = np.column_stack([np.ones_like(x), x - x.mean()])
        maker = np.eye(len(x)) - exog @ np.linalg.pinv(exog)
        residuals = (values - values.mean(axis=-1, keepdims=True)) @ maker
        return (residuals**2).sum(axis=-1)

    ssr_pre, ssr_all = ssr(y[..., before], years[before]), ssr(y, years)
    m, df = int((~before).sum()), int(before.sum()) - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return ((ssr_all - ssr_pre) / m) / (ssr_pre / df)


def extrapolation_test(series: pd.Series, cutoff_year: int, *,
                       rho_max: float = 0.8) -> Extrapolation:
    """Extrapolate the trend of the years before ``cutoff_year``; test the later years jointly."""
    sample = _prepare(series)
    before = sample.years < cutoff_year
    fit_years, later_years = sample.years[before].astype(float), sample.years[~before]
    if len(fit_years) < 3:
        raise ValueError(f"only {len(fit_years)} values before {cutoff_year} "
                         f"({describe_years(fit_years)}); the test needs at least 3")
    if len(later_years) == 0:
        raise ValueError(f"no values from {cutoff_year} on to compare with the extrapolation "
                         f"(years with values: {describe_years(sample.years)})")
    line = ols.fit(fit_years, sample.log_values[before])
    beta = np.asarray(line.params)
    m, df = len(later_years), len(fit_years) - 2
    f_value = _observed_f(sample.log_values, sample.years.astype(float), int(cutoff_year))
    tables = null_tables(_predictive_f, sample.years, rho_max, (int(cutoff_year),), SEED)
    extrapolated = np.exp(beta[0] + beta[1] * (later_years - fit_years.mean()))
    actual = np.exp(sample.log_values[~before])
    table = pd.DataFrame({"year": later_years.astype(int), "actual": actual,
                          "extrapolated": extrapolated, "gap": actual - extrapolated,
                          "gap_pct": 100.0 * (actual / extrapolated - 1.0)})
    return Extrapolation(
        cutoff_year=int(cutoff_year), fit_years=tuple(int(y) for y in fit_years),
        extrapolated_years=tuple(int(y) for y in later_years), table=table,
        f_statistic=f_value, df_num=m, df_denom=df, p_value=sup_tail(tables, f_value),
        p_value_independent=float(stats.f.sf(f_value, m, df)), rho_max=rho_max,
        pre_growth_pct=_growth_pct(float(beta[1])), n_pre=len(fit_years), label=sample.label,
        method=(f"log-linear trend of {describe_years(fit_years)} extrapolated to "
                f"{describe_years(later_years)}; joint predictive-failure (Chow) F test on "
                f"({m}, {df}) df; p-value: the largest over AR(1) rho in 0..{rho_max} of the null "
                f"distribution simulated for these years ({REPLICATIONS:,} draws per rho, seed "
                f"{SEED})"),
        caveat=CAVEAT.format(rho_max=rho_max),
    )
