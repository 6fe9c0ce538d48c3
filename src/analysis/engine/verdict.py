"""The verdict: one rule over the reading's accuracy (real-time), robustness and cherry-picking.

Written once, here and in words (message ``engine.rule``); thresholds in ``[meta.verdict]`` of the
registry:

1. a claim that names something regional, asked for another region: not applicable;
2. a claim no open data can check: not verifiable;
3. the reading cannot be evaluated (no data for it): undecidable;
4. the reading's interval straddles the claim: borderline;
5. the reading fails: not supported, unless robustness (its whole band) reaches ``supported``:
   then borderline (the claimant's own setting fails, most sensible ones hold);
6. the reading holds: supported if the robustness band lies wholly at or above ``supported``;
   not supported if the band lies wholly below ``fragile`` (it holds only in a favourable
   setting: cherry-picked when uniqueness is at least ``cherry_picked``); borderline otherwise
   (robustness within its band of a threshold, or too few perturbations to tell).

The ex-post result (did it hold up?) is reported beside the verdict and never enters it.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.measures import Measures
from analysis.engine.result import (
    BORDERLINE,
    NOT_SUPPORTED,
    SUPPORTED,
    UNDECIDABLE,
    Evaluation,
)
from analysis.i18n import Num, Text

DEFAULTS = {"supported": 0.75, "fragile": 0.5, "cherry_picked": 0.8}


def thresholds(meta: dict[str, Any]) -> dict[str, float]:
    return {**DEFAULTS, **{k: float(v) for k, v in meta.get("verdict", {}).items()}}


def rule_text(meta: dict[str, Any]) -> Text:
    limits = thresholds(meta)
    return Text("engine.rule", {k: Num(100 * v, "percent", 0) for k, v in limits.items()})


def decide(reading: Evaluation | None, measures: Measures, meta: dict[str, Any],
           missing: Text | None = None) -> tuple[str, Text]:
    """(verdict code, reason) for an evaluable claim (rules 3-6 above); ``missing``: why the
    reading cannot be evaluated."""
    limits = thresholds(meta)
    band = measures.band
    numbers = {"robustness": Num(100 * (measures.robustness or 0), "percent", 0),
               "low": Num(100 * band[0], "percent", 0) if band else "",
               "high": Num(100 * band[1], "percent", 0) if band else "",
               "n": measures.n_distinct,
               "uniqueness": Num(100 * (measures.uniqueness or 0), "percent", 0)}
    if reading is None:
        return UNDECIDABLE, Text("engine.reason.no_reading", {**numbers, "why": missing or ""})
    if reading.holds is None:
        return BORDERLINE, Text("engine.reason.straddles", numbers)
    if band is None:
        if reading.holds:
            return BORDERLINE, Text("engine.reason.holds_alone", numbers)
        return NOT_SUPPORTED, Text("engine.reason.fails_alone", numbers)
    if reading.holds is False:
        if band[0] >= limits["supported"]:
            return BORDERLINE, Text("engine.reason.fails_but_robust", numbers)
        return NOT_SUPPORTED, Text("engine.reason.fails", numbers)
    if band[0] >= limits["supported"]:
        return SUPPORTED, Text("engine.reason.robust", numbers)
    if band[1] < limits["fragile"]:
        cherry = measures.uniqueness is not None and measures.uniqueness >= limits["cherry_picked"]
        return NOT_SUPPORTED, Text("engine.reason.cherry_picked" if cherry else "engine.reason.fragile",
                                   numbers)
    return BORDERLINE, Text("engine.reason.in_band", numbers)
