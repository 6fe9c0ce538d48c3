"""What the kinds for a change in a number share (:mod:`.level_change`, :mod:`.enrolment_change`):
judging D = count(end_year) - count(base_year) against the claim.

Relations, in the claim's direction (a fall counted as a positive size, -D; a rise as D):

- ``fall`` / ``rise``: the number moved that way by at least ``threshold`` (default 0: it moved
  that way at all; a size of exactly 0 is no fall and no rise, a size exactly on a threshold above
  0 reaches it);
- ``fall_by`` / ``rise_by``: it moved that way, by a size inside the claimed interval, the hedge
  written into it ("bijna 153.000 banen minder" = ``fall_by`` with ``{ low = 152000, high = 153000,
  value = 153000 }``; "153.000 banen minder" = ``{ value = 153000, decimals = -3 }`` or the interval).

Both counts are intervals (rounded or suppressed cells, masked DUO counts), so D is one too:
[last.lo - first.hi, last.hi - first.lo].
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import nearest_end, threshold_fact, within_fact
from analysis.engine.intervals import Bound, above, at_least, both, margin_inside, within
from analysis.engine.kinds import base
from analysis.engine.tables import NoData
from analysis.i18n import Num, Text

RELATIONS = ("fall", "rise", "fall_by", "rise_by")
PARAMS: dict[str, dict[str, Any]] = {
    **base.CLAIMED_PARAMS,
    "base_year": {"doc": "first year of the period", "default": None, "type": "year"},
    "end_year": {"doc": "last year of the period", "default": None, "type": "year"},
    "threshold": {"doc": "the size the fall or rise must reach (relations 'fall' / 'rise'; 0: any)",
                  "default": 0.0, "type": "number"},
}


def period(setting: dict[str, Any]) -> tuple[int, int]:
    first, last = int(setting["base_year"]), int(setting["end_year"])
    if last <= first:
        raise NoData(Text("engine.nodata.period", {"base": Num(first, "year"), "end": Num(last, "year")}))
    return first, last


def size_in_claimed_direction(relation: str, delta: Bound) -> Bound:
    return -delta if relation.startswith("fall") else delta


def judge(ctx: base.Ctx, setting: dict[str, Any], delta: Bound, unit: str, size: float) -> tuple:
    """(holds, strength, fact builder) of the change ``delta`` against the claim; the builder
    takes the measured words (a Text). Strength: the margin in the count's unit. ``size``: the
    base-year count (a revision of the change is judged relative to it)."""
    from analysis.engine.claimed import claimed_interval

    relation = ctx.claim.relation
    moved = size_in_claimed_direction(relation, delta)
    if relation in ("fall", "rise"):
        threshold = float(setting["threshold"])
        holds = both(at_least(moved, threshold), above(moved, 0.0))
        strength = nearest_end(moved, threshold) - threshold
        direction = "fall" if relation == "fall" else "growth"
        test = "above" if threshold == 0 else "at_least"

        def fact(words: Text) -> Any:
            return threshold_fact("region", words, moved, unit, test, threshold, holds,
                                  ctx.claim.text("word"), style="number", direction=direction,
                                  size=size)
        return holds, strength, fact
    claimed = claimed_interval(ctx.claim.claimed, ctx.claim.id, str(setting["precision"]))
    holds = within(moved, claimed)

    def fact(words: Text) -> Any:
        return within_fact("region", words, moved, unit, claimed, holds, None, style="number",
                           size=size)
    return holds, margin_inside(moved, claimed), fact


def amount(delta: Bound, toward: float) -> dict[str, Any]:
    """The change in words: which way it went and by how much (the size facing ``toward``)."""
    fell = delta.mid < 0
    shown = -delta if fell else delta
    return {"way": "fell" if fell else "grew",
            "amount": base.interval_text(shown, "number", 0, toward=abs(toward))}


def toward(ctx: base.Ctx, setting: dict[str, Any], delta: Bound) -> float:
    """The number the claim compares with (its threshold, or the claimed size), to show the end
    of an interval that faces it."""
    if ctx.claim.relation in ("fall", "rise"):
        return float(setting["threshold"])
    return abs(delta.mid)


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    if claim.relation in ("fall_by", "rise_by") and not claim.claimed:
        raise _fail(claim.id, "check.claimed", f"relation {claim.relation!r} needs the claimed size",
                    "{low, high} (a hedge such as 'bijna') or {value, decimals}")
    threshold = claim.reading.get("threshold")
    if threshold is not None and float(threshold) < 0:
        raise _fail(claim.id, "check.reading.threshold", f"threshold {threshold} is negative: it is the "
                    "size of the fall or rise, in the claim's direction", "0 or a positive number")
    for name in ("base_year", "end_year"):
        if claim.reading.get(name) is None:
            raise _fail(claim.id, f"check.reading.{name}", "missing", PARAMS[name]["doc"])
