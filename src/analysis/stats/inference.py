"""Trend inference that stays valid with 6-15 annual points and autocorrelated deviations.

What is uncertain
-----------------
Register counts (CBS jobs, DUO enrolments) are not samples: there is no sampling error. The
uncertainty here is that of a *model*: the log series is a straight line plus deviations that
persist from year to year (stationary AR(1) with correlation ``rho``). The interval for the growth
rate says which lines are compatible with the deviations seen, not how far a survey could be off.

Method
------
Point estimate: OLS of ``log(y)`` on year (``growth_pct = 100 * (exp(slope) - 1)``), fitted by
statsmodels (:mod:`analysis.stats.ols`).

Test statistic: the Kiefer-Vogelsang (2002, 2005) fixed-b t statistic: the long-run variance of
``x_t * u_t`` (``x`` = centred year, ``u`` = OLS residual) is estimated with the Bartlett kernel and
bandwidth equal to the sample size (b = 1)::

    omega = sum_i sum_j (1 - |i - j| / n) v_i v_j,  v = x * u
    t     = (slope - slope_0) / sqrt(omega / (sum x^2)^2)

That is statsmodels' HAC covariance with the Bartlett kernel, ``maxlags = n - 1`` and no
small-sample correction (:func:`analysis.stats.ols.fixed_b`), which gives the observed ``t``. The
simulated null distributions need the same statistic for 20,000 replications at once, which
statsmodels does not vectorise: :func:`fixed_b_t` computes it in bulk (a test holds the two equal).

Critical values: the asymptotic fixed-b tables assume n large relative to the persistence; at
n = 8 the 95% quantile of |t| is 6.9 with independent deviations, 10.2 at rho = 0.5 and 14.5 at
rho = 0.8 (our simulation), so no single table is valid. We therefore control the size over a
range of persistence, the idea of Pötscher & Preinerstorfer (2016, "Controlling the size of
autocorrelation robust tests", J. Econometrics; R package ``acrt``): the exact finite-sample null
distribution of ``t`` under Gaussian AR(1) deviations is simulated at the actual ``n`` for every
``rho`` in ``0, 0.1, ..., rho_max`` (the statistic does not depend on the level, slope or variance,
so these simulations are exact up to simulation noise), and

* the critical value is the largest 1 - alpha/2 quantile of |t| over that grid;
* the p-value is the largest tail probability ``P_rho(|T| >= |t|)`` over the grid (a sup p-value);
* the interval is the set of slopes not rejected: ``slope +/- critical_value * se``.

The test is valid (size at most alpha) whenever the deviations are AR(1) with ``0 <= rho <=
rho_max`` (default 0.8) and conservative when they are less persistent: with 8 points and
independent deviations a nominal 5% test rejects well under 1% of the time (the measured sizes are
in tests/test_stats_inference.py). That is the honest price of 8 points: they cannot tell
``rho = 0`` from ``rho = 0.8`` (the median OLS estimate of rho is below 0.05 for every true rho).

Simulations: :data:`SIMULATION_REPLICATIONS` per grid point, seeded with ``(SEED, n, rho*1000)``,
computed on first use and cached (no work at import; results identical on every run).

``inference_valid`` is False (estimates only, p-value, interval and critical value NaN) when
fewer than :data:`MIN_INFERENCE_POINTS` values are usable or when years are missing inside the
span (the simulated null assumes consecutive years); ``reason`` says which.

Public API
----------
``trend_inference(series, *, rho_max=0.8, alpha=0.05, label=None) -> TrendInference``
``trend_difference_inference(region, comparator, *, rho_max=0.8, alpha=0.05, region_name=None,
comparator_name=None) -> TrendInference`` (the trend of ``log(region / comparator)`` on common
years; pass nation minus region as the comparator, see :func:`analysis.stats.growth.rest_of`)
``fixed_b_t(log_values, null_slope=0.0) -> (slope, se, t)``: vectorised over leading axes
``critical_value(n, alpha=0.05, rho_max=0.8) -> float``; ``sup_p_value(t, n, rho_max=0.8) -> float``
``simulate_ar1`` (re-exported from :mod:`analysis.stats.nulls`)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.stats import ols
from analysis.stats.growth import describe_years
from analysis.stats.nulls import rho_grid as _rho_grid
from analysis.stats.nulls import simulate_ar1, sup_tail
from analysis.stats.sample import _growth_pct, _name_or, _prepare

SEED = 20171018
SIMULATION_REPLICATIONS = 20_000
MIN_INFERENCE_POINTS = 6
UNCERTAINTY = (
    "The counts are registers, not samples: the interval is about a model of deviations around a "
    "straight line (persistent year-to-year deviations, AR(1) with correlation up to {rho_max}), "
    "not about sampling error."
)


# --- the statistic and its null distribution ---------------------------------------------------


def fixed_b_t(log_values: np.ndarray, null_slope: float = 0.0,
              years: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """OLS slope on year, its Kiefer-Vogelsang (Bartlett, b = 1) scale and t statistic.

    ``log_values``: array whose last axis is the n years (``years``, default ``0..n-1``); leading
    axes are replications. Returns ``(slope, se, t)`` with ``t = (slope - null_slope) / se``.
    """
    y = np.asarray(log_values, dtype=float)
    n = y.shape[-1]
    x = np.arange(n, dtype=float) if years is None else np.asarray(years, dtype=float)
    x = x - x.mean()
    sxx = float(x @ x)
    slope = y @ x / sxx
    residuals = y - y.mean(axis=-1, keepdims=True) - slope[..., None] * x
    v = residuals * x
    lag = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    kernel = 1.0 - lag / n  # Bartlett weights with bandwidth n (b = 1)
    omega = np.einsum("...i,ij,...j->...", v, kernel, v)
    se = np.sqrt(np.maximum(omega, 0.0)) / sxx
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (slope - null_slope) / se
    return slope, se, t


@functools.lru_cache(maxsize=256)
def _null_abs_t(n: int, rho_milli: int) -> np.ndarray:
    """Sorted |t| under the null for n consecutive years and rho = rho_milli / 1000."""
    rng = np.random.default_rng([SEED, n, rho_milli])
    paths = simulate_ar1(rng, SIMULATION_REPLICATIONS, n, rho_milli / 1000.0)
    return np.sort(np.abs(fixed_b_t(paths)[2]))


def _null_tables(n: int, rho_max: float) -> list[np.ndarray]:
    if n < MIN_INFERENCE_POINTS:
        raise ValueError(f"fixed-b inference needs at least {MIN_INFERENCE_POINTS} points, got {n}")
    return [_null_abs_t(int(n), round(1000 * float(rho))) for rho in _rho_grid(rho_max)]


def critical_value(n: int, alpha: float = 0.05, rho_max: float = 0.8) -> float:
    """Largest (1 - alpha/2) quantile of |t| over AR(1) rho in ``0..rho_max`` at sample size n."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    return float(max(np.quantile(table, 1.0 - alpha) for table in _null_tables(n, rho_max)))


def sup_p_value(t: float, n: int, rho_max: float = 0.8) -> float:
    """Largest ``P_rho(|T| >= |t|)`` over the rho grid (two-sided), at least 1/(R+1)."""
    return sup_tail(_null_tables(n, rho_max), abs(t))


# --- the result ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendInference:
    """A log-linear trend (or a trend of a ratio) with size-controlled fixed-b inference.

    ``growth_pct`` is always given; ``ci_low``/``ci_high``, ``p_value`` (test of ``slope = 0``),
    ``critical_value`` are NaN when ``inference_valid`` is False, and ``reason`` says why.
    ``rho_ols`` is the first-order autocorrelation of the residuals (descriptive only: with a
    dozen points it is biased towards zero and too noisy to plug in). ``uncertainty`` says what
    the interval is about.
    """

    estimate: str
    slope: float
    growth_pct: float
    ci_low: float
    ci_high: float
    se: float  # fixed-b scale of the slope (log points a year)
    statistic: float
    critical_value: float
    p_value: float
    alpha: float
    rho_max: float
    rho_ols: float
    n: int
    years: tuple[int, ...]
    dropped_years: tuple[int, ...]
    inference_valid: bool
    reason: str
    method: str
    uncertainty: str
    label: str = "the series"
    region_name: str = ""
    comparator_name: str = ""
    region_growth_pct: float = math.nan
    comparator_growth_pct: float = math.nan


def _invalid_reason(years: np.ndarray) -> str:
    if len(years) < MIN_INFERENCE_POINTS:
        return (f"only {len(years)} usable annual values; with fewer than "
                f"{MIN_INFERENCE_POINTS} the size of no test can be controlled")
    gaps = sorted(set(range(int(years[0]), int(years[-1]) + 1)) - {int(y) for y in years})
    if gaps:
        return (f"years {describe_years(gaps)} are missing inside the span; the null "
                "distribution is simulated for consecutive years")
    return ""


def _infer(log_values: np.ndarray, years: np.ndarray, rho_max: float, alpha: float) -> dict:
    line = ols.fit(years, log_values)
    slope, se, t = ols.fixed_b(line)
    reason = _invalid_reason(years)
    record = {"slope": slope, "se": se, "statistic": t, "rho_ols": ols.ar1_of_residuals(line),
              "alpha": alpha, "rho_max": rho_max, "inference_valid": not reason, "n": len(years)}
    _rho_grid(rho_max)  # validate even when inference is not possible
    if reason:
        record.update(ci_low=math.nan, ci_high=math.nan, critical_value=math.nan,
                      p_value=math.nan, reason=reason)
        return record
    cv = critical_value(len(years), alpha, rho_max)
    record.update(
        critical_value=cv,
        p_value=sup_p_value(t, len(years), rho_max) if se > 0 else 0.0,
        ci_low=_growth_pct(slope - cv * se),
        ci_high=_growth_pct(slope + cv * se),
        reason=(f"valid if the deviations are AR(1) with 0 <= rho <= {rho_max}; conservative "
                "if they are less persistent"),
    )
    return record


def _method(n: int, rho_max: float, alpha: float) -> str:
    return (f"OLS of log(value) on year, {n} annual values; Kiefer-Vogelsang fixed-b t (Bartlett "
            f"kernel, bandwidth = n); critical value and p-value: the largest over AR(1) rho in "
            f"0..{rho_max} of the exact null distribution simulated at n = {n} "
            f"({SIMULATION_REPLICATIONS:,} draws per rho, seed {SEED}); level {alpha}")


def trend_inference(series: pd.Series, *, rho_max: float = 0.8, alpha: float = 0.05,
                    label: str | None = None) -> TrendInference:
    """Average annual growth of ``series`` (indexed by year) with fixed-b, size-controlled inference.

    NaN years are dropped and listed; fewer than 4 usable values, non-positive values or a
    non-year index raise ValueError (:func:`analysis.stats.sample._prepare`).
    """
    sample = _prepare(series)
    record = _infer(sample.log_values, sample.years.astype(float), rho_max, alpha)
    return TrendInference(
        estimate="average annual growth (%)",
        growth_pct=_growth_pct(record["slope"]),
        years=tuple(int(y) for y in sample.years),
        dropped_years=sample.dropped,
        method=_method(record["n"], rho_max, alpha),
        uncertainty=UNCERTAINTY.format(rho_max=rho_max),
        label=label or sample.label,
        **record,
    )


def trend_difference_inference(
    region: pd.Series,
    comparator: pd.Series,
    *,
    rho_max: float = 0.8,
    alpha: float = 0.05,
    region_name: str | None = None,
    comparator_name: str | None = None,
) -> TrendInference:
    """Difference in growth: the trend of ``log(region / comparator)`` on the common years.

    ``growth_pct`` is how many per cent a year faster the region grew than the comparator.
    The comparator should not contain the region (use nation minus region).
    """
    region_sample = _prepare(region, "the region series")
    comparator_sample = _prepare(comparator, "the comparator series")
    years = np.intersect1d(region_sample.years, comparator_sample.years)
    if len(years) < 4:
        raise ValueError(f"the two series share {len(years)} years with values "
                         f"({describe_years(years)}); a trend difference needs at least 4")
    log_region = region_sample.log_values[np.isin(region_sample.years, years)]
    log_comparator = comparator_sample.log_values[np.isin(comparator_sample.years, years)]
    record = _infer(log_region - log_comparator, years.astype(float), rho_max, alpha)
    region_label = region_name or _name_or(region, "the region")
    comparator_label = comparator_name or _name_or(comparator, "the comparator")
    every = set(region_sample.years) | set(comparator_sample.years)
    dropped = set(region_sample.dropped) | set(comparator_sample.dropped) | (every - set(years))
    region_slope = ols.fit(years, log_region).params[ols.SLOPE]
    comparator_slope = ols.fit(years, log_comparator).params[ols.SLOPE]
    return TrendInference(
        estimate="difference in annual growth: growth of the ratio region/comparator (%)",
        growth_pct=_growth_pct(record["slope"]),
        years=tuple(int(y) for y in years),
        dropped_years=tuple(sorted(int(y) for y in dropped)),
        method=_method(record["n"], rho_max, alpha).replace("log(value)",
                                                            "log(region / comparator)"),
        uncertainty=UNCERTAINTY.format(rho_max=rho_max),
        label=f"{region_label} vs {comparator_label}",
        region_name=region_label,
        comparator_name=comparator_label,
        region_growth_pct=_growth_pct(float(region_slope)),
        comparator_growth_pct=_growth_pct(float(comparator_slope)),
        **record,
    )
