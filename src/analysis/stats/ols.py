"""Least-squares fits of a log-linear line, by statsmodels.

Every observed fit of the trend statistics goes through here: the line ``log(y) = a + b * (year -
mean year)`` (plus extra columns, e.g. a shift from a break year or dummies for later years) is a
statsmodels :class:`~statsmodels.regression.linear_model.OLS`. The years are centred because log
levels of about 10 against years of about 2015 make the uncentred design ill-conditioned; the
slope is the same either way.

The fixed-b variance of the slope (Kiefer & Vogelsang 2005, Bartlett kernel, bandwidth b = 1) is
statsmodels' HAC covariance with the Bartlett kernel, ``maxlags = n - 1`` (weights ``1 - j / n``)
and no small-sample correction: :func:`fixed_b`. What statsmodels does not have (the exact
finite-sample null distributions of these statistics under persistent deviations, simulated in
bulk over 20,000 replications, and the size control over AR(1) persistence) is in
:mod:`analysis.stats.inference`, :mod:`~analysis.stats.breaks`, :mod:`~analysis.stats.extrapolation`
and :mod:`~analysis.stats.nulls`.

Public API
----------
``design(years, *columns) -> ndarray`` (constant, centred year, extra columns);
``fit(years, log_values, *columns) -> RegressionResults``;
``fixed_b(results) -> (slope, se, t)`` (t of ``slope = 0``);
``ar1_of_residuals(results) -> float`` (first-order autocorrelation, descriptive).
"""

from __future__ import annotations

import math

import numpy as np
import statsmodels.api as sm
from statsmodels.regression.linear_model import RegressionResults

SLOPE = 1  # the column of the centred year in every design


def design(years: np.ndarray, *columns: np.ndarray) -> np.ndarray:
    """Constant, centred year and ``columns`` (each one value per year)."""
    years = np.asarray(years, dtype=float)
    return np.column_stack([np.ones_like(years), years - years.mean(), *columns])


def fit(years: np.ndarray, log_values: np.ndarray, *columns: np.ndarray) -> RegressionResults:
    """OLS of ``log_values`` on :func:`design` (``years``, ``columns``)."""
    return sm.OLS(np.asarray(log_values, dtype=float), design(years, *columns)).fit()


def fixed_b(results: RegressionResults) -> tuple[float, float, float]:
    """Slope, its fixed-b standard error (HAC: Bartlett, ``maxlags = n - 1``, no small-sample
    correction) and the t statistic of ``slope = 0``."""
    n = int(results.nobs)
    robust = results.get_robustcov_results(cov_type="HAC", maxlags=n - 1, kernel="bartlett",
                                           use_correction=False)
    slope, se = float(robust.params[SLOPE]), float(robust.bse[SLOPE])
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.divide(slope, se))
    return slope, se, t


def ar1_of_residuals(results: RegressionResults) -> float:
    """First-order autocorrelation of the residuals (NaN where the residuals are all zero)."""
    residuals = np.asarray(results.resid, dtype=float)
    denominator = float(residuals[:-1] @ residuals[:-1])
    return float(residuals[1:] @ residuals[:-1]) / denominator if denominator else math.nan
