"""Single-year bands around an extrapolated line, valid for persistent deviations up to rho = 0.8.

The band of a later year ``j`` is ``predicted_j +- q_j * s`` on the log scale, where ``s`` is the
residual standard deviation of the line fitted to the pre-period (``n - 2`` df) and ``q_j`` the
95% quantile of ``|T_j|``, ``T_j = (deviation_j - extrapolated deviation_j) / s``. ``T_j`` does
not depend on the line's level, slope or the deviations' variance, so for Gaussian AR(1)
deviations with correlation ``rho`` its distribution is exact at the actual years and is simulated
(:func:`analysis.stats.nulls.ar1_at_years`: gaps in the years handled). As in the rest of the trend
inference (:mod:`analysis.stats.inference`, :mod:`analysis.stats.extrapolation`), rho is not
known, so ``q_j`` is the largest over rho in ``0, 0.1, ..., 0.8``: the band covers year ``j`` at
least 95% of the time for every rho in that range (to simulation error).

For independent deviations (rho = 0) ``T_j / sqrt(1 + h_j)`` is Student t with ``n - 2`` df
(``h_j = x_j' (X'X)^-1 x_j``), the textbook prediction interval; persistent deviations make that
interval too narrow, because the later years drift with the last deviations and ``s`` understates
the spread. The band is marginal (it does not condition on the last observed deviation) and
describes a single year; the joint test of all later years is the predictive-failure test.

Seeded (:data:`SEED`, then ``n`` and rho in thousandths), so a band is the same on every run.

Public API
----------
``RHO_MAX``, ``CONFIDENCE``, ``REPLICATIONS``, ``SEED``;
``band_multipliers(fit_years, later_years, rho_max=RHO_MAX, confidence=CONFIDENCE) -> ndarray``
(``q_j``, one per later year, the widest over the rho grid; cached);
``multipliers_at(fit_years, later_years, rho, confidence=CONFIDENCE) -> ndarray`` (one rho).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from analysis.stats import nulls

RHO_MAX = 0.8  # the persistence every other trend test is size-controlled for
CONFIDENCE = 0.95
REPLICATIONS = nulls.REPLICATIONS  # 20,000 draws per rho
SEED = 20180101  # not the seed of stats.inference, so the draws are not shared


def standardised_errors(deviations: np.ndarray, fit_years: np.ndarray,
                        later_years: np.ndarray) -> np.ndarray:
    """``T_j`` per replication (rows) and later year (columns) from deviations at
    ``fit_years`` followed by ``later_years`` (last axis)."""
    n_fit = len(fit_years)
    centre = fit_years.mean()
    design = np.column_stack([np.ones(n_fit), fit_years - centre])
    later = np.column_stack([np.ones(len(later_years)), later_years - centre])
    fit, ahead = deviations[:, :n_fit], deviations[:, n_fit:]
    coefficients = fit @ np.linalg.pinv(design).T  # replications x 2
    residuals = fit - coefficients @ design.T
    scale = np.sqrt((residuals**2).sum(axis=1) / (n_fit - 2))
    return (ahead - coefficients @ later.T) / scale[:, None]


def _check(fit_years: Sequence[int], later_years: Sequence[int]) -> None:
    if len(fit_years) < 3:
        raise ValueError(f"a band needs at least 3 pre-period years, got {len(fit_years)}")
    if not later_years:
        raise ValueError("a band needs at least one later year")
    if max(fit_years) >= min(later_years) or len(set(fit_years) | set(later_years)) != (
            len(fit_years) + len(later_years)):
        raise ValueError(f"the later years {list(later_years)} must all follow the pre-period "
                         f"years {list(fit_years)}")


def multipliers_at(fit_years: Sequence[int], later_years: Sequence[int], rho: float,
                   confidence: float = CONFIDENCE) -> np.ndarray:
    """``q_j`` for AR(1) deviations with correlation ``rho`` (one value per later year)."""
    fit, later = tuple(int(y) for y in fit_years), tuple(int(y) for y in later_years)
    _check(fit, later)
    return _multipliers(fit, later, round(1000 * float(rho)), float(confidence)).copy()


@functools.lru_cache(maxsize=256)
def _multipliers(fit: tuple[int, ...], later: tuple[int, ...], rho_milli: int,
                 confidence: float) -> np.ndarray:
    years = fit + later
    draws = nulls.ar1_at_years(years, rho_milli / 1000.0, REPLICATIONS,
                               (SEED, len(years), rho_milli))
    ratios = standardised_errors(draws, np.asarray(fit, dtype=float),
                                 np.asarray(later, dtype=float))
    return np.quantile(np.abs(ratios), confidence, axis=0)


def band_multipliers(fit_years: Sequence[int], later_years: Sequence[int],
                     rho_max: float = RHO_MAX, confidence: float = CONFIDENCE) -> np.ndarray:
    """``q_j``: the widest over AR(1) rho in ``0, 0.1, ..., rho_max`` (module docstring)."""
    return np.max([multipliers_at(fit_years, later_years, rho, confidence)
                   for rho in nulls.rho_grid(rho_max)], axis=0)
