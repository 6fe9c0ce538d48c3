"""Preparing an annual series for a log-linear model.

Shared by :mod:`analysis.stats.inference`, :mod:`~analysis.stats.breaks` and
:mod:`~analysis.stats.extrapolation`: a Series indexed by
integer year -> sorted years and log values, NaN years dropped and recorded, friendly errors for
non-year indexes, duplicates, non-positive values and too few points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.stats.growth import describe_years

MIN_POINTS = 4  # with 2 parameters this leaves 2 residual degrees of freedom


def _growth_pct(log_slope: float) -> float:
    return 100.0 * math.expm1(log_slope)


@dataclass(frozen=True)
class _Sample:
    years: np.ndarray  # int, sorted
    log_values: np.ndarray
    dropped: tuple[int, ...]
    label: str


def _prepare(series: pd.Series, what: str = "the series", min_points: int = MIN_POINTS) -> _Sample:
    """Sorted years and log values; NaN dropped and recorded; friendly errors otherwise."""
    try:
        raw_years = np.asarray(series.index, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be indexed by year (integers)") from exc
    if not np.all(np.isfinite(raw_years)) or np.any(raw_years != np.round(raw_years)):
        raise ValueError(f"{what} must be indexed by whole years, got {list(series.index)[:5]}")
    values = pd.Series(np.asarray(series, dtype=float), index=raw_years.astype(int)).sort_index()
    if values.index.has_duplicates:
        duplicates = sorted(set(values.index[values.index.duplicated()]))
        raise ValueError(f"{what} has duplicate years {duplicates}")
    dropped = tuple(int(y) for y in values.index[values.isna()])
    values = values.dropna()
    non_positive = [int(y) for y in values.index[values <= 0]]
    if non_positive:
        raise ValueError(f"{what} must be positive for a log-linear trend; not in {non_positive}")
    if len(values) < min_points:
        dropped_note = f" ({describe_years(dropped)} dropped as NaN)" if dropped else ""
        raise ValueError(
            f"{what} has {len(values)} usable annual values{dropped_note}; a trend with honest "
            f"uncertainty needs at least {min_points}"
        )
    return _Sample(values.index.to_numpy(dtype=int), np.log(values.to_numpy()), dropped,
                   _name_or(series, what))


def _name_or(series: pd.Series, default: str) -> str:
    return str(series.name) if series.name not in (None, "") else default
