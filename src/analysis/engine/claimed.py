"""The claimed number as an interval from its rounding ("3%" = [2.5, 3.5); "bijna 1.800" = [1,700,
1,800]; "36%" = [35.5, 36.5)), as the registry's ``claimed`` table gives it."""

from __future__ import annotations

from typing import Any

from analysis.engine.intervals import Bound, rounded_decimals


def claimed_interval(spec: dict[str, Any], claim_id: str = "?") -> Bound:
    """``{value, decimals}`` -> the rounding interval; ``{low, high}`` (e.g. "bijna" = just under)
    -> that interval as given."""
    if "low" in spec and "high" in spec:
        low, high = float(spec["low"]), float(spec["high"])
        if low > high:
            from analysis.engine.registry import _fail
            raise _fail(claim_id, "check.claimed", f"low {low:g} is above high {high:g}")
        value = float(spec["value"]) if "value" in spec else None
        return Bound(low, value, high)
    return rounded_decimals(float(spec["value"]), int(spec["decimals"]))
