"""Is a short annual series one straight line (in logs)? Chow, sup-F and CUSUM tests.

All three test the same null hypothesis, "log(y) is one straight line plus independent normal
deviations"; they differ in the alternative:

* :func:`chow_break_test` - a level and slope shift (or a slope shift only, a kink) at a *given*
  year. Exact F(q, n - k) distribution under the null.
* :func:`sup_f_test` - a shift at an *unknown* year: the largest Chow F over candidate years
  (Andrews 1993 sup-F). Trimming: candidates leave at least ``max(min_segment, ceil(trimming *
  n))`` values on each side (defaults 15% and 3). Andrews' (1993) asymptotic table assumes
  stationary regressors; with a time trend the limit is different (Vogelsang 1997), and with
  n = 8-15 asymptotics are poor anyway. So the critical value and p-value come from the *exact*
  finite-sample null distribution, simulated for the actual years (the statistic does not depend
  on level, slope or variance; :data:`SIMULATION_REPLICATIONS` draws, seed :data:`SEED`, cached).
  The year that maximises F is reported as the best-fitting year, not as an estimated break date:
  on a V-shaped series many years fit almost as well (``f_by_year`` shows them all).
* :func:`cusum_test` - instability of any kind: the OLS-residual CUSUM statistic
  ``max_k |sum_{t<=k} u_t| / (sigma * sqrt(n))`` (Ploberger & Krämer 1992). With a trend among the
  regressors its limit is the supremum of a second-level Brownian bridge (MacNeill 1978), not the
  Brownian bridge statsmodels' ``breaks_cusumolsresid`` uses, so its p-values are wrong here;
  we simulate the exact null distribution instead (as for sup-F).

A rejection means "not one straight line"; it does not date a break. Persistent (autocorrelated)
deviations also make a line look broken: all three tests over-reject then, and each result says so
in ``caveat``. What is uncertain is a model of deviations around a line (register counts have no
sampling error).

Public API
----------
``chow_break_test(series, break_year, *, shift="level_and_slope") -> ChowBreak``
``sup_f_test(series, *, trimming=0.15, min_segment=3, shift="level_and_slope", alpha=0.05)
-> SupFBreak``
``cusum_test(series, *, degree=1, alpha=0.05) -> Cusum``
``cusum_statistic(residuals, n_params) -> float`` (vectorised over leading axes)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats.sample import _growth_pct, _plain, _prepare

SEED = 19930701
SIMULATION_REPLICATIONS = 20_000
SHIFTS = {"level_and_slope": 2, "slope": 1}  # restrictions tested
CAVEAT = ("The test assumes independent deviations around the line; persistent deviations make a "
          "straight line look broken, so a rejection is weaker evidence than its p-value says.")


def _design(years: np.ndarray, break_year: int | None, shift: str) -> np.ndarray:
    t = years - years.mean()
    columns = [np.ones_like(t), t]
    if break_year is not None:
        after = (years >= break_year).astype(float)
        since = after * (years - break_year)
        columns += [since] if shift == "slope" else [after, since]
    return np.column_stack(columns)


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


# --- Chow test at a given year -----------------------------------------------------------------


@dataclass(frozen=True)
class ChowBreak:
    """F test of "one straight line" against a shift from ``break_year`` on (exact F)."""

    break_year: int
    shift: str
    f_statistic: float
    df_num: int
    df_denom: int
    p_value: float
    pre_growth_pct: float
    post_growth_pct: float
    n: int
    n_pre: int
    n_post: int
    years: tuple[int, ...]
    method: str
    caveat: str = CAVEAT

    def to_dict(self) -> dict[str, object]:
        return _plain({f.name: getattr(self, f.name) for f in fields(self)})


def _chow_f(y: np.ndarray, years: np.ndarray, break_year: int, shift: str) -> tuple[float, ...]:
    q = SHIFTS[shift]
    unrestricted = _design(years, break_year, shift)
    ssr0 = float(_ssr(_annihilator(_design(years, None, shift)), y))
    ssr1 = float(_ssr(_annihilator(unrestricted), y))
    df = len(y) - unrestricted.shape[1]
    f_value = ((ssr0 - ssr1) / q) / (ssr1 / df) if ssr1 > 0 else math.inf
    return f_value, q, df


def chow_break_test(series: pd.Series, break_year: int, *,
                    shift: str = "level_and_slope") -> ChowBreak:
    """Chow F test of a shift at ``break_year`` (the first year of the new regime).

    ``shift="level_and_slope"``: separate lines before and from ``break_year`` (2 restrictions);
    ``"slope"``: the lines join at ``break_year`` (a kink, 1 restriction). Each side needs at
    least 3 values (2 with ``"slope"``, plus the shared point).
    """
    _check_shift(shift)
    sample = _prepare(series)
    years = sample.years.astype(float)
    n_pre, n_post = int((years < break_year).sum()), int((years >= break_year).sum())
    need = 3 if shift == "level_and_slope" else 2
    if min(n_pre, n_post) < need:
        raise ValueError(f"a break in {break_year} leaves {n_pre} values before and {n_post} from "
                         f"it on; this test needs at least {need} on each side")
    f_value, q, df = _chow_f(sample.log_values, years, break_year, shift)
    exog = _design(years, break_year, shift)
    beta = np.linalg.lstsq(exog, sample.log_values, rcond=None)[0]
    post_slope = beta[1] + beta[-1]
    return ChowBreak(
        break_year=int(break_year), shift=shift, f_statistic=float(f_value), df_num=q,
        df_denom=df, p_value=float(stats.f.sf(f_value, q, df)),
        pre_growth_pct=_growth_pct(float(beta[1])), post_growth_pct=_growth_pct(float(post_slope)),
        n=len(years), n_pre=n_pre, n_post=n_post, years=tuple(int(y) for y in years),
        method=(f"Chow F test of one log-linear trend against a {shift.replace('_', ' ')} shift "
                f"from {break_year}: F({q}, {df}), exact for independent normal deviations"),
    )


# --- sup-F at an unknown year ------------------------------------------------------------------


@dataclass(frozen=True)
class SupFBreak:
    """Andrews sup-F test of "one straight line" against a shift at an unknown year."""

    statistic: float
    critical_value: float
    p_value: float
    alpha: float
    best_year: int  # the year with the largest F: best-fitting, not a precisely dated break
    candidate_years: tuple[int, ...]
    f_by_year: dict[int, float] = field(compare=False)
    chow_p_by_year: dict[int, float] = field(compare=False)  # single-date p-values (no search)
    shift: str = "level_and_slope"
    trimming: float = 0.15
    min_segment: int = 3
    n: int = 0
    years: tuple[int, ...] = ()
    method: str = ""
    caveat: str = CAVEAT

    @property
    def rejects(self) -> bool:
        return self.p_value < self.alpha

    def to_dict(self) -> dict[str, object]:
        record = {f.name: getattr(self, f.name) for f in fields(self)
                  if f.name not in ("f_by_year", "chow_p_by_year")}
        return _plain(record)

    def summary_text(self) -> str:
        verdict = ("is not one straight line" if self.rejects
                   else "is compatible with one straight line")
        many = sum(p < self.alpha for p in self.chow_p_by_year.values())
        return (f"The series {verdict} (sup-F = {self.statistic:.1f}, p = {self.p_value:.3f}, "
                f"searching {len(self.candidate_years)} candidate years). The best-fitting year "
                f"is {self.best_year}; {many} of the {len(self.candidate_years)} candidate years "
                f"would each be 'significant' on their own, so the data do not date a break. "
                f"{self.caveat}")


def _candidates(years: np.ndarray, trimming: float, min_segment: int) -> list[int]:
    if not 0.0 <= trimming < 0.5:
        raise ValueError(f"trimming must be in [0, 0.5), got {trimming}")
    edge = max(int(min_segment), math.ceil(trimming * len(years)))
    return [int(years[i]) for i in range(edge, len(years) - edge + 1)]


def _sup_f_of(y: np.ndarray, makers: list[np.ndarray], restricted: np.ndarray, q: int,
              df: list[int]) -> np.ndarray:
    ssr0 = _ssr(restricted, y)
    f_values = [((ssr0 - _ssr(m, y)) / q) / (_ssr(m, y) / d) for m, d in zip(makers, df, strict=True)]
    return np.max(np.stack(f_values, axis=-1), axis=-1)


@functools.lru_cache(maxsize=128)
def _sup_f_null(years: tuple[int, ...], candidates: tuple[int, ...], shift: str) -> np.ndarray:
    grid = np.asarray(years, dtype=float)
    makers = [_annihilator(_design(grid, c, shift)) for c in candidates]
    df = [len(grid) - _design(grid, c, shift).shape[1] for c in candidates]
    restricted = _annihilator(_design(grid, None, shift))
    rng = np.random.default_rng([SEED, len(grid), len(candidates)])
    draws = rng.standard_normal((SIMULATION_REPLICATIONS, len(grid)))
    return np.sort(_sup_f_of(draws, makers, restricted, SHIFTS[shift], df))


def _tail(table: np.ndarray, value: float) -> float:
    size = len(table)
    return float((size - np.searchsorted(table, value, side="left") + 1) / (size + 1))


def sup_f_test(series: pd.Series, *, trimming: float = 0.15, min_segment: int = 3,
               shift: str = "level_and_slope", alpha: float = 0.05) -> SupFBreak:
    """Largest Chow F over candidate break years, with its exact simulated null distribution."""
    q = _check_shift(shift)
    sample = _prepare(series)
    years = sample.years.astype(float)
    candidates = _candidates(sample.years, trimming, min_segment)
    if not candidates:
        raise ValueError(f"{len(years)} values leave no candidate break year with "
                         f"{min_segment} values on each side; add years or lower min_segment")
    f_by_year, p_by_year = {}, {}
    for year in candidates:
        f_value, _, df = _chow_f(sample.log_values, years, year, shift)
        f_by_year[year] = float(f_value)
        p_by_year[year] = float(stats.f.sf(f_value, q, df))
    statistic = max(f_by_year.values())
    table = _sup_f_null(tuple(int(y) for y in sample.years), tuple(candidates), shift)
    return SupFBreak(
        statistic=float(statistic), critical_value=float(np.quantile(table, 1 - alpha)),
        p_value=_tail(table, statistic), alpha=alpha,
        best_year=max(f_by_year, key=f_by_year.__getitem__), candidate_years=tuple(candidates),
        f_by_year=f_by_year, chow_p_by_year=p_by_year, shift=shift, trimming=trimming,
        min_segment=min_segment, n=len(years), years=tuple(int(y) for y in years),
        method=(f"sup-F (Andrews 1993) over {len(candidates)} candidate years "
                f"{candidates[0]}-{candidates[-1]} (trimming {trimming:.0%}, at least "
                f"{min_segment} values a side), {shift.replace('_', ' ')} shift; critical value "
                f"and p-value from the exact null distribution for these years "
                f"({SIMULATION_REPLICATIONS:,} draws, seed {SEED})"),
    )


# --- CUSUM ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cusum:
    """OLS-residual CUSUM test of "one straight line" with exact (simulated) p-values."""

    statistic: float
    critical_value: float
    p_value: float
    alpha: float
    degree: int
    n: int
    years: tuple[int, ...]
    method: str
    caveat: str = CAVEAT

    def to_dict(self) -> dict[str, object]:
        return _plain({f.name: getattr(self, f.name) for f in fields(self)})


def cusum_statistic(residuals: np.ndarray, n_params: int) -> np.ndarray:
    """``max_k |cumsum(u)_k| / (sigma * sqrt(n))`` with ``sigma^2 = sum u^2 / (n - n_params)``."""
    u = np.asarray(residuals, dtype=float)
    n = u.shape[-1]
    sigma = np.sqrt((u**2).sum(axis=-1) / (n - n_params))
    return np.max(np.abs(np.cumsum(u, axis=-1)), axis=-1) / (sigma * math.sqrt(n))


def _poly_design(years: np.ndarray, degree: int) -> np.ndarray:
    t = (years - years.mean()) / max(1.0, float(np.ptp(years)))
    return np.column_stack([t**power for power in range(degree + 1)])


@functools.lru_cache(maxsize=128)
def _cusum_null(years: tuple[int, ...], degree: int) -> np.ndarray:
    grid = np.asarray(years, dtype=float)
    maker = _annihilator(_poly_design(grid, degree))
    rng = np.random.default_rng([SEED, len(grid), degree])
    residuals = rng.standard_normal((SIMULATION_REPLICATIONS, len(grid))) @ maker
    return np.sort(cusum_statistic(residuals, degree + 1))


def cusum_test(series: pd.Series, *, degree: int = 1, alpha: float = 0.05) -> Cusum:
    """CUSUM of the residuals of a log-linear trend (``degree=1``; 0 = a constant level)."""
    if degree not in (0, 1):
        raise ValueError(f"degree must be 0 (level) or 1 (trend), got {degree}")
    sample = _prepare(series)
    years = sample.years.astype(float)
    residuals = _annihilator(_poly_design(years, degree)) @ sample.log_values
    statistic = float(cusum_statistic(residuals, degree + 1))
    table = _cusum_null(tuple(int(y) for y in sample.years), degree)
    limit = "second-level Brownian bridge (MacNeill 1978)" if degree else "Brownian bridge"
    return Cusum(
        statistic=statistic, critical_value=float(np.quantile(table, 1 - alpha)),
        p_value=_tail(table, statistic), alpha=alpha, degree=degree, n=len(years),
        years=tuple(int(y) for y in years),
        method=(f"OLS-residual CUSUM of a {'log-linear trend' if degree else 'constant level'}; "
                f"p-value from the exact null distribution for these years ({SIMULATION_REPLICATIONS:,}"
                f" draws, seed {SEED}); its large-n limit is the supremum of a {limit}"),
    )
