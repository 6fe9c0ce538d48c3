"""Interval arithmetic for rounded and bounded numbers (pure: knows nothing of claims).

A :class:`Bound` is a value with the closed interval ``[lo, hi]`` its rounding (or a bounded
suppression) allows. CBS publishes employee jobs in thousands with one decimal, so a published
cell of 40,400 is ``Bound(40350, 40400, 40450)``; a DUO cell masked as "<5" is ``Bound(1, None,
4)``; a claimed "3%" is ``[2.5, 3.5)`` (treated as closed: a boundary value is never decisive at
the precision of the data). The operations below give the exact range of the result over every
combination of the inputs' ranges (the inputs are taken as independent).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    """``lo <= value <= hi``; ``value`` may be None where only the range is known."""

    lo: float
    value: float | None
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi + 1e-9:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    @property
    def mid(self) -> float:
        return self.value if self.value is not None else (self.lo + self.hi) / 2

    def __add__(self, other: Bound | float) -> Bound:
        other = as_bound(other)
        value = None if self.value is None or other.value is None else self.value + other.value
        return Bound(self.lo + other.lo, value, self.hi + other.hi)

    def __sub__(self, other: Bound | float) -> Bound:
        other = as_bound(other)
        value = None if self.value is None or other.value is None else self.value - other.value
        return Bound(self.lo - other.hi, value, self.hi - other.lo)

    def __mul__(self, other: Bound | float) -> Bound:
        other = as_bound(other)
        corners = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        value = None if self.value is None or other.value is None else self.value * other.value
        return Bound(min(corners), value, max(corners))

    def __truediv__(self, other: Bound | float) -> Bound:
        other = as_bound(other)
        if other.lo <= 0 <= other.hi:
            raise ZeroDivisionError(f"division by an interval containing 0: [{other.lo}, {other.hi}]")
        corners = [a / b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        value = None if self.value is None or other.value is None else self.value / other.value
        return Bound(min(corners), value, max(corners))

    def __neg__(self) -> Bound:
        return Bound(-self.hi, None if self.value is None else -self.value, -self.lo)

    def clip_low(self, floor: float) -> Bound:
        """The same interval with everything below ``floor`` cut off (counts are never negative)."""
        lo, hi = max(self.lo, floor), max(self.hi, floor)
        value = None if self.value is None else max(self.value, floor)
        return Bound(lo, value, hi)

    def intersect(self, other: Bound) -> Bound:
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        if lo > hi:
            raise ValueError(f"bounds [{self.lo}, {self.hi}] and [{other.lo}, {other.hi}] do not meet")
        value = self.value if self.value is not None else other.value
        if value is not None and not lo <= value <= hi:
            value = None
        return Bound(lo, value, hi)


def as_bound(value: Bound | float) -> Bound:
    return value if isinstance(value, Bound) else Bound(float(value), float(value), float(value))


def exact(value: float) -> Bound:
    return Bound(float(value), float(value), float(value))


def rounded(value: float, unit: float) -> Bound:
    """A number published rounded to a multiple of ``unit``: ``rounded(40400, 100)`` = [40350, 40450]."""
    half = unit / 2
    return Bound(value - half, value, value + half)


def rounded_decimals(value: float, decimals: int) -> Bound:
    """A number given with ``decimals`` digits: ``rounded_decimals(3, 0)`` = [2.5, 3.5]."""
    return rounded(value, 10.0 ** -decimals)


def printed_bound(text: str) -> Bound:
    """The interval a printed number allows: '4' -> [3.5, 4.5], '5.4' -> [5.35, 5.45], '30400' ->
    [30350, 30450] (trailing zeros of a whole number read as rounding, up to thousands)."""
    text = str(text).strip()
    value = float(text)
    if "." in text:
        decimals = len(text.split(".")[1])
        return rounded(value, 10.0 ** -decimals)
    digits = text.lstrip("-")
    zeros = len(digits) - len(digits.rstrip("0")) if value else 0
    return rounded(value, 10.0 ** min(zeros, 3))


def total(parts: list[Bound]) -> Bound:
    result = exact(0.0)
    for part in parts:
        result = result + part
    return result


def change_pct(base: Bound, end: Bound) -> Bound:
    """Percent change from ``base`` to ``end``: 100 * (end / base - 1), over both ranges."""
    return (end / base - 1.0) * 100.0


def annual_pct(change: Bound, years: int) -> Bound:
    """Average annual growth in percent from a total percent change over ``years`` years.

    Monotone in the change, so the ends map to the ends.
    """
    if years <= 0:
        raise ValueError(f"annualising needs a positive number of years, not {years}")

    def one(pct: float) -> float:
        return 100.0 * ((1.0 + pct / 100.0) ** (1.0 / years) - 1.0)

    return Bound(one(change.lo), None if change.value is None else one(change.value), one(change.hi))


def loglinear_slope_pct(years: list[int], values: list[Bound]) -> Bound:
    """Average annual growth (percent) of a log-linear OLS trend through the values, with the
    exact range the values' intervals allow.

    The OLS slope of log(y) on t is sum(c_t * log y_t) with c_t = (t - mean t) / sum((t - mean t)^2):
    linear in each log y_t, so it is largest with y_t at its top where c_t > 0 and at its bottom
    where c_t < 0 (and the other way round for the smallest).
    """
    if len(years) != len(values) or len(years) < 2:
        raise ValueError("a trend needs at least two years with a value each")
    centre = sum(years) / len(years)
    denominator = sum((t - centre) ** 2 for t in years)
    coef = [(t - centre) / denominator for t in years]
    if any(v.lo <= 0 for v in values):
        raise ValueError("a log-linear trend needs positive values")
    top = sum(c * math.log(v.hi if c > 0 else v.lo) for c, v in zip(coef, values, strict=True))
    bottom = sum(c * math.log(v.lo if c > 0 else v.hi) for c, v in zip(coef, values, strict=True))
    mid = None
    if all(v.value is not None for v in values):
        mid = sum(c * math.log(v.value) for c, v in zip(coef, values, strict=True))

    def pct(slope: float) -> float:
        return 100.0 * math.expm1(slope)

    return Bound(pct(bottom), None if mid is None else pct(mid), pct(top))


# --- judging an interval against a claim ---------------------------------------------------------


def within(measured: Bound, claimed: Bound) -> bool | None:
    """True if the measured range lies inside the claimed one, False if they do not meet, None if
    they overlap only in part (undecidable at the precision of the data)."""
    if measured.lo >= claimed.lo and measured.hi <= claimed.hi:
        return True
    if measured.hi < claimed.lo or measured.lo > claimed.hi:
        return False
    return None


def at_least(measured: Bound, threshold: float) -> bool | None:
    """True if the whole range is >= threshold, False if it is all below, None if it straddles."""
    if measured.lo >= threshold:
        return True
    if measured.hi < threshold:
        return False
    return None


def above(measured: Bound, threshold: float) -> bool | None:
    """Strictly above: True if lo > threshold, False if hi <= threshold, else None."""
    if measured.lo > threshold:
        return True
    if measured.hi <= threshold:
        return False
    return None


def both(first: bool | None, second: bool | None) -> bool | None:
    """Three-valued AND: False wins, then None (unknown), then True."""
    if first is False or second is False:
        return False
    if first is None or second is None:
        return None
    return True


def margin_inside(measured: Bound, claimed: Bound) -> float:
    """How far the value lies inside the claimed interval (negative: outside), in its unit."""
    centre = (claimed.lo + claimed.hi) / 2
    return (claimed.hi - claimed.lo) / 2 - abs(measured.mid - centre)
