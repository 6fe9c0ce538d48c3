"""The verdict: one rule over the reading (on the figures public at the claim's date) and the
robustness of the claim over its sensible alternatives.

Written once, here and in words (message ``engine.rule``); thresholds in ``[meta.verdict]`` of the
registry, stated before the data:

1. a claim that names something regional, asked for another region: not applicable;
2. a claim no open data can check: not verifiable;
3. the reading cannot be evaluated (no data, not even a bound that decides): undecidable;
4. the reading's interval straddles the claim: borderline;
5. the reading fails: "within revision" when no release of the claim's date is in the data and
   the miss is smaller than the revisions observed between releases of that statistic; else
   borderline when robustness, with every undecided alternative counted as failing, is at or
   above ``supported`` (the claimant's own setting fails, most sensible ones hold); else not
   supported;
6. the reading holds: supported when robustness (undecided alternatives counted as failing) is at
   or above ``supported``, or when there are no alternatives; not supported when it is below
   ``fragile`` even with every undecided alternative counted as holding (cherry-picked when
   uniqueness is at or above ``cherry_picked``); borderline otherwise.

Few distinct alternatives is a caveat beside the verdict, never a gate. The ex-post result (did it
hold up?) is reported beside the verdict and never enters it. :func:`sensitivity` gives the verdict
under neighbouring thresholds and under the weightings of the sensitivity range.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from analysis.engine.measures import Measures
from analysis.engine.result import (
    BORDERLINE,
    NOT_SUPPORTED,
    SUPPORTED,
    UNDECIDABLE,
    WITHIN_REVISION,
    Evaluation,
)
from analysis.i18n import Num, Text

DEFAULTS = {"supported": 0.75, "fragile": 0.5, "cherry_picked": 0.8}
NEIGHBOURS = (-0.10, -0.05, 0.05, 0.10)  # the thresholds' sensitivity: each moved on its own


def thresholds(meta: dict[str, Any]) -> dict[str, float]:
    return {**DEFAULTS, **{k: float(v) for k, v in meta.get("verdict", {}).items()}}


def rule_text(meta: dict[str, Any]) -> Text:
    limits = thresholds(meta)
    return Text("engine.rule", {k: Num(100 * v, "percent", 0) for k, v in limits.items()})


def _numbers(measures: Measures) -> dict[str, Any]:
    band = measures.band
    spread = "" if band is None or band[1] - band[0] < 0.005 else Text("engine.reason.open_range", {
        "low": Num(100 * band[0], "percent", 0), "high": Num(100 * band[1], "percent", 0)})
    return {"robustness": Num(100 * (measures.robustness or 0), "percent", 0), "open": spread,
            "uniqueness": Num(100 * (measures.uniqueness or 0), "percent", 0)}


def decide(reading: Evaluation | None, measures: Measures, meta: dict[str, Any],
           missing: Text | None = None, within_revision: bool = False) -> tuple[str, Text]:
    """(verdict code, reason) for an evaluable claim (rules 3-6 above); ``missing``: why the
    reading cannot be evaluated; ``within_revision``: the reading misses by less than the
    observed revisions and no release of the claim's date exists (rule 5)."""
    limits = thresholds(meta)
    band = measures.band
    numbers = _numbers(measures)
    if reading is None:
        return UNDECIDABLE, Text("engine.reason.no_reading", {"why": missing or ""})
    if reading.holds is None:
        return BORDERLINE, Text("engine.reason.straddles", numbers)
    if reading.holds is False:
        if within_revision:
            return WITHIN_REVISION, Text("engine.reason.within_revision", numbers)
        if band is None:
            return NOT_SUPPORTED, Text("engine.reason.fails_alone", numbers)
        if band[0] >= limits["supported"]:
            return BORDERLINE, Text("engine.reason.fails_but_robust", numbers)
        return NOT_SUPPORTED, Text("engine.reason.fails", numbers)
    if band is None:
        return SUPPORTED, Text("engine.reason.holds_alone", numbers)
    if band[0] >= limits["supported"]:
        return SUPPORTED, Text("engine.reason.robust", numbers)
    if band[1] < limits["fragile"]:
        cherry = measures.uniqueness is not None and measures.uniqueness >= limits["cherry_picked"]
        return NOT_SUPPORTED, Text("engine.reason.cherry_picked" if cherry else "engine.reason.fragile",
                                   numbers)
    return BORDERLINE, Text("engine.reason.in_band", numbers)


def sensitivity(reading: Evaluation | None, measures: Measures, meta: dict[str, Any],
                within_revision: bool = False) -> list[dict[str, Any]]:
    """The verdict under each threshold moved on its own (``NEIGHBOURS``) and under the lowest
    and the highest weighting of the sensitivity range: rows ``{setting, value, verdict}``, the
    registry's own first, so that a moved threshold shows."""
    limits = thresholds(meta)
    own = decide(reading, measures, meta, within_revision=within_revision)[0]
    rows = [{"setting": "registry", "value": None, "verdict": own}]
    for name, value in limits.items():
        for step in NEIGHBOURS:
            moved = round(value + step, 4)
            if not 0.0 < moved < 1.0:
                continue
            changed = {**meta, "verdict": {**limits, name: moved}}
            rows.append({"setting": name, "value": moved,
                         "verdict": decide(reading, measures, changed,
                                           within_revision=within_revision)[0]})
    if measures.weight_bands is not None:
        for which, band in zip(("weights_lowest", "weights_highest"), measures.weight_bands,
                               strict=True):
            other = replace(measures, robustness=band[0], band=band)
            rows.append({"setting": which, "value": band[0],
                         "verdict": decide(reading, other, meta, within_revision=within_revision)[0]})
    return rows
