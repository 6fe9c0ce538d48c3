"""The deciding fact of a setting: each condition of a claim as data with one plain sentence.

A kind says what it measured (a :class:`~analysis.i18n.Text` such as "In the Netherlands employment
in manufacturing fell by 3.7% from 2010 to 2016") and how it was judged; this module adds the
judgement in words ("less than the 5% that 'sharply' needs") and the numbers as a
:class:`~analysis.engine.result.Fact`. Nothing here knows a claim.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.intervals import Bound
from analysis.engine.result import Fact, Interval
from analysis.i18n import Num, Text

_OUTCOME = {True: "holds", False: "fails", None: "open"}


def _interval(bound: Bound, unit: str) -> Interval:
    return Interval(bound.value, bound.lo, bound.hi, unit)


def nearest_end(bound: Bound, threshold: float) -> float:
    """The end of the interval nearest the threshold (the value itself where it is known): what a
    margin or a limit computed from a bound must use, not its midpoint."""
    if bound.value is not None:
        return bound.value
    if threshold <= bound.lo:
        return bound.lo
    if threshold >= bound.hi:
        return bound.hi
    return threshold


def _decimals(number: float) -> int:
    return 0 if float(number).is_integer() else 1


def threshold_fact(part: str, measured: Text, bound: Bound, unit: str, test: str,
                   threshold: float, holds: bool | None, word: Any, style: str = "percent",
                   direction: str | None = None, size: float | None = None,
                   words: dict[str, Any] | None = None) -> Fact:
    """A part judged against a threshold (``bound`` in the claim's direction: a fall as a
    positive number). ``word``: the claim's word the threshold reads ('fors'); ``direction``: a
    threshold of 0 said as a direction ('a fall, as the claim says'), with ``words`` for its text.
    The part holds at every threshold up to its interval's low end: that is its ``limit``."""
    key = f"engine.fact.{test}.{_OUTCOME[holds]}"
    if direction is not None and threshold == 0:
        key = f"engine.fact.{direction}.{_OUTCOME[holds]}"  # "while the claim says it fell"
    judged = Text(key, {"threshold": Num(threshold, style, _decimals(threshold)),
                        "word": word or Text("engine.fact.the_claim", {}), **(words or {})})
    return Fact(part=part, test=test, value=_interval(bound, unit), holds=holds,
                sentence=Text("engine.fact", {"measured": measured, "judged": judged}),
                threshold=threshold, limit=bound.lo, bound=bound.value is None, size=size)


def within_fact(part: str, measured: Text, bound: Bound, unit: str, claimed: Bound,
                holds: bool | None, claimed_text: Any, style: str = "percent",
                round_to: float | None = None, size: float | None = None) -> Fact:
    """A part judged against the claimed interval (closed); ``size``: the base-year level of a
    change (for the revision rule)."""
    judged = Text(f"engine.fact.within.{_OUTCOME[holds]}", {
        "low": Num(claimed.lo, style, _decimals(claimed.lo), round_to=round_to),
        "high": Num(claimed.hi, style, _decimals(claimed.hi), round_to=round_to),
        "claimed": claimed_text or Text("engine.fact.the_claim", {})})
    return Fact(part=part, test="within", value=_interval(bound, unit), holds=holds,
                sentence=Text("engine.fact", {"measured": measured, "judged": judged}),
                claimed=_interval(claimed, unit), bound=bound.value is None, size=size)


def joint_limit(facts: list[Fact]) -> float | None:
    """The largest threshold at which every part holds, for a claim whose parts are all judged
    against one threshold (None otherwise: a single part, or a part judged another way)."""
    limits = [f.limit for f in facts if f.limit is not None and f.test in ("at_least", "above")]
    parts = {f.part for f in facts}
    return min(limits) if len(parts) > 1 and len(limits) == len(parts) else None
