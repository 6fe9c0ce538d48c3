"""The one place where the trend engine calls the pure statistics (:mod:`analysis.stats`).

Every statistical routine the engine's trend models and placebos need goes through a function
here, so that a new or corrected routine in ``stats/`` is switched in at one spot:

- least-squares lines: statsmodels OLS (:mod:`analysis.stats.ols`; :func:`fitted_line`);
- slopes and slope differences: :mod:`analysis.stats.inference` (fixed-b t with size controlled
  over AR(1) persistence; ``inference_valid`` False with the reason where n is too small);
- the segmented line at a given date: :func:`analysis.stats.breaks.chow_break_test` (exact F of
  "not one straight line" against a shift at that date);
- the joint predictive-failure (Chow) test: :func:`analysis.stats.extrapolation.extrapolation_test`;
  the single-year bands around the extrapolation (shown as context, never counted) come from
  :mod:`analysis.engine.trend.bands`, simulated under the same AR(1) persistence up to rho = 0.8
  as every test here (the widest band over rho);
- a shift at an unknown date: :func:`analysis.stats.breaks.sup_f_test` (Andrews' sup-F with its
  exact simulated critical value; the best-fitting year is reported, not claimed as a break date).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import RegressionResults

from analysis.engine.trend import bands as trend_bands
from analysis.stats import breaks, extrapolation, inference, ols

CONFIDENCE = trend_bands.CONFIDENCE  # of the single-year bands
MIN_FIT_POINTS = 4  # a line and two residual degrees of freedom


@dataclass(frozen=True)
class Slope:
    """An average annual growth rate (or difference) with its inference, or the reason for none."""

    growth_pct: float
    ci_low: float  # NaN without valid inference
    ci_high: float
    p_value: float
    inference_valid: bool
    reason: str
    n: int
    years: tuple[int, ...]
    method: str
    rho_max: float
    region_growth_pct: float = math.nan  # for differences: both sides' own growth
    comparator_growth_pct: float = math.nan


def _slope(result: inference.TrendInference) -> Slope:
    return Slope(growth_pct=result.growth_pct, ci_low=result.ci_low, ci_high=result.ci_high,
                 p_value=result.p_value, inference_valid=bool(result.inference_valid),
                 reason=result.reason, n=result.n, years=result.years, method=result.method,
                 rho_max=result.rho_max, region_growth_pct=result.region_growth_pct,
                 comparator_growth_pct=result.comparator_growth_pct)


def trend(series: pd.Series) -> Slope:
    """Average annual growth with fixed-b inference (:func:`stats.inference.trend_inference`)."""
    return _slope(inference.trend_inference(series))


def difference(region: pd.Series, comparator: pd.Series) -> Slope:
    """Growth of region / comparator (:func:`stats.inference.trend_difference_inference`)."""
    return _slope(inference.trend_difference_inference(region, comparator))


def _evaluate(line: RegressionResults, fit_years: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The fitted line (centred on ``fit_years``) at the years ``at``."""
    at = np.asarray(at, dtype=float)
    return line.predict(np.column_stack([np.ones_like(at), at - np.mean(fit_years)]))


def fitted_line(values: pd.Series, at: np.ndarray | None = None) -> np.ndarray:
    """The least-squares line of ``values`` on their years (statsmodels OLS), evaluated at the
    years ``at`` (default: the years of ``values``). ``values`` without NaN."""
    years = values.index.to_numpy(dtype=float)
    line = ols.fit(years, values.to_numpy(dtype=float))
    return _evaluate(line, years, years if at is None else at)


@dataclass(frozen=True)
class Segmented:
    """Separate lines before and from ``first_post_year``, and the exact F test of one line."""

    first_post_year: int
    pre_growth_pct: float
    post_growth_pct: float
    f_statistic: float
    f_df_num: int
    f_df_denom: int
    f_p_value: float  # size-controlled over AR(1) persistence up to rho_max where stats offers it
    n_pre: int
    n_post: int
    rho_max: float | None = None  # None: the p-value assumes independent deviations
    p_value_independent: float | None = None  # exact F for independent deviations


def segmented(series: pd.Series, first_post_year: int) -> Segmented:
    """Chow test of a level and slope shift at a given year (:func:`stats.breaks.chow_break_test`)."""
    result = breaks.chow_break_test(series, first_post_year, shift="level_and_slope")
    return Segmented(first_post_year=int(first_post_year), pre_growth_pct=result.pre_growth_pct,
                     post_growth_pct=result.post_growth_pct, f_statistic=result.f_statistic,
                     f_df_num=result.df_num, f_df_denom=result.df_denom,
                     f_p_value=result.p_value, n_pre=result.n_pre, n_post=result.n_post,
                     rho_max=getattr(result, "rho_max", None),
                     p_value_independent=getattr(result, "p_value_independent", None))


@dataclass(frozen=True, eq=False)
class Prediction:
    """The pre-period line extrapolated, and Chow's joint predictive-failure test.

    ``table``: ``year, actual, predicted, lower, upper`` for every year after the pre-period with
    a value (bands: 95% for a single year, the widest over AR(1) persistence up to
    ``band_rho_max`` (:mod:`analysis.engine.trend.bands`), back-transformed; context, never
    counted). The test asks whether the later years *together* are compatible with the
    pre-period line: ``F = ((RSS_all - RSS_pre) / m) / (RSS_pre / (n - 2))`` on ``(m, n - 2)`` df
    (Chow 1960), exact for independent normal deviations; persistent deviations make it reject
    too often.
    """

    table: pd.DataFrame
    f_statistic: float
    df_num: int
    df_denom: int
    p_value: float
    n_fit: int
    fit_years: tuple[int, ...]
    rho_max: float | None = None  # None: the p-value assumes independent deviations
    p_value_independent: float | None = None  # exact F for independent deviations
    band_rho_max: float = trend_bands.RHO_MAX  # the bands hold for AR(1) rho in 0..band_rho_max


def predictive_failure(series: pd.Series, last_fit_year: int) -> Prediction:
    """Fit a log-linear line to the years up to ``last_fit_year``; test the later years jointly."""
    values = series.dropna().sort_index()
    if (values <= 0).any():
        raise ValueError("a log-linear line needs positive values")
    years = values.index.to_numpy(dtype=int)
    fit, later = years <= last_fit_year, years > last_fit_year
    if fit.sum() < MIN_FIT_POINTS:
        raise ValueError(f"only {int(fit.sum())} values up to {last_fit_year}; the line needs at "
                         f"least {MIN_FIT_POINTS}")
    if not later.any():
        raise ValueError(f"no values after {last_fit_year} to compare with the extrapolation")
    y = np.log(values.to_numpy(dtype=float))
    pre_line = ols.fit(years[fit], y[fit])
    n_fit = int(fit.sum())
    scale = math.sqrt(float(pre_line.scale))  # residual sum of squares / (n_fit - 2)
    predicted = _evaluate(pre_line, years[fit], years[later])
    # why simulated: the textbook t band (independent deviations) is too narrow when deviations
    # persist, and every test on this page allows for persistence up to rho = 0.8
    half = trend_bands.band_multipliers(years[fit], years[later]) * scale
    table = pd.DataFrame({"year": years[later], "actual": np.exp(y[later]),
                          "predicted": np.exp(predicted), "lower": np.exp(predicted - half),
                          "upper": np.exp(predicted + half)})
    test = extrapolation.extrapolation_test(values, last_fit_year + 1)
    return Prediction(table=table, f_statistic=test.f_statistic, df_num=test.df_num,
                      df_denom=test.df_denom, p_value=test.p_value, n_fit=n_fit,
                      fit_years=tuple(int(v) for v in years[fit]),
                      rho_max=getattr(test, "rho_max", None),
                      p_value_independent=getattr(test, "p_value_independent", None))


@dataclass(frozen=True)
class UnknownDate:
    """Andrews' sup-F test of one line against a shift at an unknown year (exact null)."""

    statistic: float
    critical_value: float
    p_value: float
    best_year: int  # best-fitting year, not a dated break
    n_candidates: int
    n_significant_alone: int  # candidate years that would each be 'significant' on their own
    first_candidate: int
    last_candidate: int
    rho_max: float | None = None  # None: the p-value assumes independent deviations


def estimated_break(series: pd.Series) -> UnknownDate:
    """sup-F over candidate years (:func:`stats.breaks.sup_f_test`); ValueError if too short."""
    result = breaks.sup_f_test(series)
    return UnknownDate(statistic=result.statistic, critical_value=result.critical_value,
                       p_value=result.p_value, best_year=result.best_year,
                       n_candidates=len(result.candidate_years),
                       n_significant_alone=sum(p < result.alpha
                                               for p in result.chow_p_by_year.values()),
                       first_candidate=result.candidate_years[0],
                       last_candidate=result.candidate_years[-1],
                       rho_max=getattr(result, "rho_max", None))
