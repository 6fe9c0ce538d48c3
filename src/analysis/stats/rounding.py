"""Figures no more precise than their inputs: rounding to a step, and the step of the data.

CBS publishes employee jobs rounded (to hundreds in the regional tables), so a derived figure such
as an extrapolated level "37,343" claims a precision the data do not have; it is shown as
"37,300". Rates are shown to one decimal. Rounding is half away from zero, done in decimal
arithmetic so that 0.25 -> 0.3 and 1.45 -> 1.5 (Python's ``round`` gives 0.2 and 1.4).

Public API
----------
``round_to_precision(value, step) -> float``: nearest multiple of ``step`` (e.g. 0.1, 50, 100)
``round_rate(value) -> float``: one decimal (``step = 0.1``)
``data_step(values, candidates=(1000, 500, 100, 50, 10, 5, 1)) -> float | None``: the coarsest
step every value is a multiple of (None if none is)
``jobs_step(values) -> int``: the step for derived job figures: the data's step, at least 50 and at
most 100 (data to the job still give 50: a derived level is not known to the job)
``round_interval(low, high, step) -> (float, float)``: outward (low down, high up)
``rounding_interval(shown, step) -> (float, float)``: the values a shown figure stands for,
``[shown - step/2, shown + step/2)`` ("3%" = [2.5, 3.5))
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

DEFAULT_CANDIDATES = (1000, 500, 100, 50, 10, 5, 1)


def _check(value: float, step: float) -> None:
    if not step > 0 or math.isinf(step):
        raise ValueError(f"the rounding step must be a positive number, got {step}")
    if value is None or isinstance(value, str):
        raise TypeError(f"expected a number, got {value!r}")


def _to_step(value: float, step: float, mode: str) -> float:
    if math.isnan(value):
        return math.nan
    step_decimal = Decimal(str(step))
    units = (Decimal(str(value)) / step_decimal).quantize(Decimal(1), rounding=mode)
    result = float(units * step_decimal)
    return 0.0 if result == 0 else result  # no "-0.0"


def round_to_precision(value: float, step: float) -> float:
    """``value`` rounded half away from zero to a multiple of ``step`` (NaN stays NaN)."""
    _check(value, step)
    if math.isnan(value):
        return math.nan
    magnitude = _to_step(abs(value), step, ROUND_HALF_UP)
    return math.copysign(magnitude, value) if magnitude else 0.0


def round_rate(value: float) -> float:
    """A rate or percentage to one decimal: ``-5.17 -> -5.2``."""
    return round_to_precision(value, 0.1)


def round_interval(low: float, high: float, step: float) -> tuple[float, float]:
    """An interval rounded outward, so that the shown interval contains the computed one."""
    _check(low, step)
    _check(high, step)
    if low > high:
        raise ValueError(f"the interval's low end {low} is above its high end {high}")
    return _to_step(low, step, ROUND_FLOOR), _to_step(high, step, ROUND_CEILING)


def rounding_interval(shown: float, step: float) -> tuple[float, float]:
    """The half-open interval ``[shown - step/2, shown + step/2)`` a rounded figure stands for."""
    _check(shown, step)
    half = Decimal(str(step)) / 2
    return float(Decimal(str(shown)) - half), float(Decimal(str(shown)) + half)


def data_step(values: Iterable[float],
              candidates: Iterable[float] = DEFAULT_CANDIDATES) -> float | None:
    """The coarsest candidate step that every finite value is a multiple of (None if none)."""
    finite = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not finite:
        raise ValueError("no finite values to infer the rounding of the data from")
    for step in sorted(candidates, reverse=True):
        if all(abs(v / step - round(v / step)) < 1e-9 for v in finite):
            return step
    return None


def jobs_step(values: Iterable[float]) -> int:
    """Step for derived job counts: the data's own step, clipped to [50, 100]."""
    step = data_step(values)
    if step is None or step < 50:
        return 50
    return 100
