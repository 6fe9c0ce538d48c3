"""The claimed number as an interval ("3%" = [2.5, 3.5); "bijna 1.800" = [1,700, 1,800]; "36%" =
[35.5, 36.5)), as the registry's ``claimed`` table gives it, at two precisions:

- ``stated``: the precision the number is written with (the reading);
- ``round``: a round number (one that ends in 0 or 5: 60, 35, 1,800) also carries the coarser
  precision people mean by it: "60%" read as "about 60%", rounded to its last non-zero digit's
  step (tens for 60: [55, 65]; fives for 35: [32.5, 37.5]; hundreds for 1,800). A number that is
  not round (36, 3) has no coarser reading: its ``round`` interval is the stated one.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.intervals import Bound, rounded_decimals

PRECISIONS = ("stated", "round")


def round_step(value: float) -> float | None:
    """The step a round number is usually rounded to (60 -> 10, 1800 -> 100, 35 -> 5); None for a
    number that is not round (36, 3, 2.5, 0)."""
    if value != int(value) or value == 0:
        return None
    digits, zeros = abs(int(value)), 0
    while digits % 10 == 0:
        digits, zeros = digits // 10, zeros + 1
    if zeros:
        return float(10 ** zeros)
    return 5.0 if digits % 5 == 0 and digits > 5 else None


def claimed_interval(spec: dict[str, Any], claim_id: str = "?", precision: str = "stated") -> Bound:
    """``{value, decimals}`` -> the rounding interval; ``{low, high}`` (e.g. "bijna" = just under)
    -> that interval as given; ``precision="round"`` widens a round number by half its step on
    each side (see the module docstring)."""
    from analysis.engine.registry_errors import entry_error as _fail

    if precision not in PRECISIONS:
        raise _fail(claim_id, "check.reading.precision", f"unknown precision {precision!r}", PRECISIONS)
    if "low" in spec and "high" in spec:
        low, high = float(spec["low"]), float(spec["high"])
        if low > high:
            raise _fail(claim_id, "check.claimed", f"low {low:g} is above high {high:g}")
        value = float(spec["value"]) if "value" in spec else None
        stated = Bound(low, value, high)
    else:
        value = float(spec["value"])
        stated = rounded_decimals(value, int(spec["decimals"]))
    step = round_step(value) if precision == "round" and value is not None else None
    if step is None:
        return stated
    return Bound(stated.lo - step / 2 if "low" in spec else min(stated.lo, value - step / 2), value,
                 stated.hi + step / 2 if "low" in spec else max(stated.hi, value + step / 2))
