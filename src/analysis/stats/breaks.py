"""Is a short annual series one straight line (in logs)? Chow and sup-F tests.

Both test the same null hypothesis, "log(y) is one straight line plus independent normal
deviations"; they differ in the alternative. The observed lines are statsmodels OLS fits
(:mod:`analysis.stats.ols`) and the observed F is statsmodels' ``compare_f_test`` of the line
against the line with the shift; the simulated null distributions (20,000 replications at once)
are computed in bulk by :func:`_f_statistics`, the same F (a test holds the two equal).

* :func:`chow_break_test` - a level and slope shift (or a slope shift only, a kink) at a *given*
  year. Exact F(q, n - k) distribution for independent deviations.
* :func:`sup_f_test` - a shift at an *unknown* year: the largest Chow F over candidate years
  (Andrews 1993 sup-F). Trimming: candidates leave at least ``max(min_segment, ceil(trimming *
  n))`` values on each side (defaults 15% and 3). Andrews' (1993) asymptotic table assumes
  stationary regressors; with a time trend the limit is different (Vogelsang 1997), and with
  n = 8-15 asymptotics are poor anyway. So the critical value and p-value come from the *exact*
  finite-sample null distribution, simulated for the actual years (the statistic does not depend
  on level, slope or variance; 20,000 draws per rho, seed :data:`SEED`, cached).
  The year that maximises F is reported as the best-fitting year, not as an estimated break date:
  on a V-shaped series many years fit almost as well (``f_by_year`` shows them all).

A rejection means "not one straight line"; it does not date a break. Persistent (autocorrelated)
deviations also make a line look broken: with independent-deviation p-values sup-F would
reject a straight line with AR(1) rho = 0.5 (0.8) deviations 24% (47%) of the time at n = 14. So ``p_value`` controls the size over AR(1) deviations with
``0 <= rho <= rho_max`` (default 0.8, as :mod:`analysis.stats.inference`): the largest tail
probability over a grid of rho of the exact null distribution simulated at the actual years
(:mod:`analysis.stats.nulls`); ``p_value_independent`` is the p-value for independent deviations
(exact F for Chow). What is uncertain is a model of deviations around a line (register counts
have no sampling error).

Public API
----------
``chow_break_test(series, break_year, *, shift="level_and_slope", rho_max=0.8) -> ChowBreak``
``sup_f_test(series, *, trimming=0.15, min_segment=3, shift="level_and_slope", alpha=0.05,
rho_max=0.8) -> SupFBreak``
every result: ``p_value`` (size-controlled up to ``rho_max``), ``p_value_independent``,
``rho_max``, ``method``, ``caveat``
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import RegressionResults

from analysis.stats import ols
from analysis.stats.nulls import REPLICATIONS, null_tables, sup_quantile, sup_tail
from analysis.stats.sample import _growth_pct, _prepare

SEED = 19930701
SHIFTS = {"level_and_slope": 2, "slope": 1}  # restrictions tested
CAVEAT = ("Persistent deviations make a straight line look broken; the p-value allows for "
          "year-to-year persistence (AR(1)) up to rho = {rho_max}, the 'independent' p-value does "
          "not. A rejection says 'not one straight line', not when a break happened.")


def _shift_columns(years: np.ndarray, break_year: int, shift: str) -> list[np.ndarray]:
    """The columns a shift from ``break_year`` adds to the line: a kink, or a level and a kink."""
    after = (years >= break_year).astype(float)
    since = after * (years - break_year)
    return [since] if shift == "slope" else [after, since]


def _design(years: np.ndarray, break_year: int | None, shift: str) -> np.ndarray:
    columns = [] if break_year is None else _shift_columns(years, break_year, shift)
    return ols.design(years, *columns)


def _observed_f(log_values: np.ndarray, years: np.ndarray, break_year: int,
                shift: str) -> tuple[float, RegressionResults]:
    """statsmodels' F of the line against the line with a shift at ``break_year``, and the
    shifted fit."""
    line = ols.fit(years, log_values)
    shifted = ols.fit(years, log_values, *_shift_columns(years, break_year, shift))
    return float(shifted.compare_f_test(line)[0]), shifted


def _annihilator(exog: np.ndarray) -> np.ndarray:
    return np.eye(len(exog)) - exog @ np.linalg.pinv(exog)


def _ssr(residual_maker: np.ndarray, y: np.ndarray) -> np.ndarray:
    # every design has an intercept: centring first avoids cancellation on log levels (~10)
    centred = y - y.mean(axis=-1, keepdims=True)
    residuals = centred @ residual_maker  # the annihilator is symmetric
    return (residuals**2).sum(axis=-1)


def _check_shift(shift: str) -> int:
    if shift not in SHIFTS:
        raise ValueError(f"shift must be one of {sorted(SHIFTS)}, got {shift!r}")
    return SHIFTS[shift]


def _f_statistics(y: np.ndarray, years: np.ndarray, candidates: tuple[int, ...],
                  shift: str) -> np.ndarray:
    """Chow F for every candidate year (last axis), vectorised over replications (the nulls)."""
    q = SHIFTS[shift]
    ssr0 = _ssr(_annihilator(_design(years, None, shift)), y)
    columns = []
    for year in candidates:
        exog = _design(years, year, shift)
        ssr1 = _ssr(_annihilator(exog), y)
        with np.errstate(divide="ignore", invalid="ignore"):
            columns.append(((ssr0 - ssr1) / q) / (ssr1 / (len(years) - exog.shape[1])))
    return np.stack(columns, axis=-1)


def _sup_f(y: np.ndarray, years: np.ndarray, candidates: tuple[int, ...],
           shift: str) -> np.ndarray:
    return np.max(_f_statistics(y, years, candidates, shift), axis=-1)


def _method_tail(rho_max: float) -> str:
    return (f"p-value: the largest over AR(1) rho in 0..{rho_max} of the exact null distribution "
            f"simulated for these years ({REPLICATIONS:,} draws per rho, seed {SEED})")


# --- Chow test at a given year -----------------------------------------------------------------


@dataclass(frozen=True)
class ChowBreak:
    """F test of "one straight line" against a shift from ``break_year`` on."""

    break_year: int
    shift: str
    f_statistic: float
    df_num: int
    df_denom: int
    p_value: float  # size-controlled for AR(1) deviations up to rho_max
    p_value_independent: float  # exact F(df_num, df_denom) for independent deviations
    rho_max: float
    pre_growth_pct: float
    post_growth_pct: float
    n: int
    n_pre: int
    n_post: int
    years: tuple[int, ...]
    method: str
    caveat: str


def chow_break_test(series: pd.Series, break_year: int, *, shift: str = "level_and_slope",
                    rho_max: float = 0.8) -> ChowBreak:
    """Chow F test of a shift at ``break_year`` (the first year of the new regime).

    ``shift="level_and_slope"``: separate lines before and from ``break_year`` (2 restrictions);
    ``"slope"``: the lines join at ``break_year`` (a kink, 1 restriction). Each side needs at
    least 3 values (2 with ``"slope"``).
    """
    q = _check_shift(shift)
    sample = _prepare(series)
    years = sample.years.astype(float)
    n_pre, n_post = int((years < break_year).sum()), int((years >= break_year).sum())
    need = 3 if shift == "level_and_slope" else 2
    if min(n_pre, n_post) < need:
        raise ValueError(f"a break in {break_year} leaves {n_pre} values before and {n_post} from "
                         f"it on; this test needs at least {need} on each side")
    candidate = (int(break_year),)
    f_value, shifted = _observed_f(sample.log_values, years, int(break_year), shift)
    df = len(years) - 2 - q
    tables = null_tables(_sup_f, sample.years, rho_max, (candidate, shift), SEED)
    beta = np.asarray(shifted.params)
    return ChowBreak(
        break_year=int(break_year), shift=shift, f_statistic=f_value, df_num=q, df_denom=df,
        p_value=sup_tail(tables, f_value), p_value_independent=float(stats.f.sf(f_value, q, df)),
        rho_max=rho_max, pre_growth_pct=_growth_pct(float(beta[1])),
        post_growth_pct=_growth_pct(float(beta[1] + beta[-1])), n=len(years), n_pre=n_pre,
        n_post=n_post, years=tuple(int(y) for y in years),
        method=(f"Chow F test of one log-linear trend against a {shift.replace('_', ' ')} shift "
                f"from {break_year}: F({q}, {df}); {_method_tail(rho_max)}"),
        caveat=CAVEAT.format(rho_max=rho_max),
    )


# --- sup-F at an unknown year ------------------------------------------------------------------


@dataclass(frozen=True)
class SupFBreak:
    """Andrews sup-F test of "one straight line" against a shift at an unknown year."""

    statistic: float
    critical_value: float  # size-controlled up to rho_max
    p_value: float
    p_value_independent: float
    alpha: float
    rho_max: float
    best_year: int  # the year with the largest F: best-fitting, not a precisely dated break
    candidate_years: tuple[int, ...]
    f_by_year: dict[int, float] = field(compare=False)
    chow_p_by_year: dict[int, float] = field(compare=False)  # single-year F p-values, no search
    shift: str = "level_and_slope"
    trimming: float = 0.15
    min_segment: int = 3
    n: int = 0
    years: tuple[int, ...] = ()
    method: str = ""
    caveat: str = ""

    @property
    def rejects(self) -> bool:
        return self.p_value < self.alpha


def _candidates(years: np.ndarray, trimming: float, min_segment: int) -> list[int]:
    if not 0.0 <= trimming < 0.5:
        raise ValueError(f"trimming must be in [0, 0.5), got {trimming}")
    edge = max(int(min_segment), math.ceil(trimming * len(years)))
    return [int(years[i]) for i in range(edge, len(years) - edge + 1)]


def sup_f_test(series: pd.Series, *, trimming: float = 0.15, min_segment: int = 3,
               shift: str = "level_and_slope", alpha: float = 0.05,
               rho_max: float = 0.8) -> SupFBreak:
    """Largest Chow F over candidate break years, with its simulated null distribution."""
    q = _check_shift(shift)
    sample = _prepare(series)
    years = sample.years.astype(float)
    candidates = tuple(_candidates(sample.years, trimming, min_segment))
    if not candidates:
        raise ValueError(f"{len(years)} values leave no candidate break year with "
                         f"{min_segment} values on each side; add years or lower min_segment")
    f_values = [_observed_f(sample.log_values, years, year, shift)[0] for year in candidates]
    df = len(years) - 2 - q
    f_by_year = {year: float(f) for year, f in zip(candidates, f_values, strict=True)}
    statistic = float(np.max(f_values))
    tables = null_tables(_sup_f, sample.years, rho_max, (candidates, shift), SEED)
    return SupFBreak(
        statistic=statistic, critical_value=sup_quantile(tables, 1 - alpha),
        p_value=sup_tail(tables, statistic), p_value_independent=sup_tail(tables[:1], statistic),
        alpha=alpha, rho_max=rho_max, best_year=max(f_by_year, key=f_by_year.__getitem__),
        candidate_years=candidates, f_by_year=f_by_year,
        chow_p_by_year={y: float(stats.f.sf(f, q, df)) for y, f in f_by_year.items()},
        shift=shift, trimming=trimming, min_segment=min_segment, n=len(years),
        years=tuple(int(y) for y in years),
        method=(f"sup-F (Andrews 1993) over {len(candidates)} candidate years "
                f"{candidates[0]}-{candidates[-1]} (trimming {trimming:.0%}, at least "
                f"{min_segment} values a side), {shift.replace('_', ' ')} shift; critical value "
                f"and {_method_tail(rho_max)}"),
        caveat=CAVEAT.format(rho_max=rho_max),
    )
