"""Simulated null distributions under persistent deviations, with size control over rho.

A test statistic of a log-linear model whose null distribution does not depend on the line's
level, slope or the deviations' variance (Chow F, sup-F, CUSUM, fixed-b t) has an exact
finite-sample null distribution for Gaussian AR(1) deviations with correlation ``rho`` at the
actual years; we simulate it. Not knowing rho (a dozen points cannot tell 0 from 0.8), a test
that is valid for every ``rho`` in ``0..rho_max`` takes the largest critical value and the largest
tail probability over a grid of rho (step 0.1), the idea of Pötscher & Preinerstorfer (2016,
J. Econometrics, "Controlling the size of autocorrelation robust tests").

Deviations follow the AR(1) over consecutive calendar years; years missing in the data are
simulated and then left out, so gaps are handled correctly.

Public API
----------
``rho_grid(rho_max) -> ndarray``; ``simulate_ar1(rng, replications, n, rho) -> ndarray``;
``ar1_at_years(years, rho, replications, seed) -> ndarray`` (replications x len(years));
``null_table(statistic, years, rho_milli, args, seed)`` / ``null_tables(statistic, years,
rho_max, args, seed)``: cached sorted simulated statistics (:data:`REPLICATIONS` draws)
``sup_quantile(tables, level) -> float``; ``sup_tail(tables, value) -> float`` (tables: sorted
arrays of simulated statistics, one per rho; large values are extreme)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np

MAX_RHO = 0.95


def rho_grid(rho_max: float) -> np.ndarray:
    """``0, 0.1, ..., rho_max`` (rho_max included)."""
    if not 0.0 <= rho_max <= MAX_RHO:
        raise ValueError(f"rho_max must be between 0 and {MAX_RHO}, got {rho_max}")
    if rho_max == 0:
        return np.zeros(1)
    steps = max(1, math.ceil(round(rho_max / 0.1, 9)))
    return np.linspace(0.0, rho_max, steps + 1)


def simulate_ar1(rng: np.random.Generator, replications: int, n: int, rho: float) -> np.ndarray:
    """``replications`` x ``n`` stationary Gaussian AR(1) paths (unit innovation variance)."""
    shocks = rng.standard_normal((replications, n))
    paths = np.empty_like(shocks)
    paths[:, 0] = shocks[:, 0] / math.sqrt(1.0 - rho**2)
    for t in range(1, n):
        paths[:, t] = rho * paths[:, t - 1] + shocks[:, t]
    return paths


def ar1_at_years(years: Sequence[int], rho: float, replications: int,
                 seed: Sequence[int]) -> np.ndarray:
    """AR(1) deviations over the calendar span of ``years``, kept at ``years`` only."""
    years = np.asarray(years, dtype=int)
    span = int(years.max() - years.min() + 1)
    paths = simulate_ar1(np.random.default_rng(list(seed)), replications, span, rho)
    return paths[:, years - years.min()]


def sup_quantile(tables: Sequence[np.ndarray], level: float) -> float:
    """The largest ``level`` quantile over the tables (the size-controlling critical value)."""
    return float(max(np.quantile(table, level) for table in tables))


def sup_tail(tables: Sequence[np.ndarray], value: float) -> float:
    """The largest ``(#{draws >= value} + 1) / (R + 1)`` over the (sorted) tables."""
    tails = [(len(t) - np.searchsorted(t, value, side="left") + 1) / (len(t) + 1) for t in tables]
    return float(max(tails))


REPLICATIONS = 20_000


@functools.lru_cache(maxsize=512)
def null_table(statistic: Callable[..., np.ndarray], years: tuple[int, ...], rho_milli: int,
               args: tuple, seed: int) -> np.ndarray:
    """Sorted draws of ``statistic(deviations, years, *args)`` under AR(1) rho = rho_milli/1000.

    ``statistic`` takes a replications x n array and the years (floats) and returns one value per
    replication. Cached: each (statistic, years, rho, args) is simulated once per process, with
    seed ``(seed, n, rho_milli)``.
    """
    draws = ar1_at_years(years, rho_milli / 1000.0, REPLICATIONS, (seed, len(years), rho_milli))
    return np.sort(statistic(draws, np.asarray(years, dtype=float), *args))


def null_tables(statistic: Callable[..., np.ndarray], years: Sequence[int], rho_max: float,
                args: tuple, seed: int) -> list[np.ndarray]:
    """:func:`null_table` for every rho in :func:`rho_grid` (``rho_max``); the first is rho = 0."""
    key = tuple(int(y) for y in years)
    return [null_table(statistic, key, round(1000 * float(rho)), args, seed)
            for rho in rho_grid(rho_max)]
