"""What checking one claim for one region returns: the contract between the engine and the report.

The engine (``analysis.engine``) fills a :class:`ClaimCheck`; the report, the command line
(``python -m analysis check CLAIM_ID --json``) and the tests read it. Every text a reader sees is
an :class:`analysis.i18n.Text` (a catalogue key with parameters), so the same result renders in
Dutch and in English. Fields may be added; the names below stay.

Vocabulary (Wu et al., "Toward computational fact-checking", VLDB 2014):

- the **reading** (p0) is the claimant's most plausible reading of the words, evaluated on the data
  public at the claim's date (real-time);
- a **perturbation** is one alternative setting of the reading's parameters (base year, end year,
  definition, vintage, comparator, concept) with a sensibility weight; perturbations that give the
  same value are merged (``merged_parameters``) so nothing counts twice;
- **robustness**: weighted share of perturbations under which the claim still holds;
  **fairness**: weighted mean relative strength of the perturbations against p0 (negative: the
  claimant picked a favourable setting); **uniqueness**: weighted share of perturbations that give a
  weaker result than p0 (high: the reading looks cherry-picked);
- **real-time**: every input of a setting was public by the claim's date (``Evaluation.public``);
  only real-time perturbations count for the measures, the others are the ex-post view;
- **context**: series that measure something else (SBI sections for an HTSM claim, a third party's
  figure for another period or concept): shown apart, never a vote; a **bound** is context that
  limits the claimed quantity from one side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from analysis.i18n import Text

# Verdict codes (the words live in the message catalogue under "verdict.<code>").
SUPPORTED = "supported"
BORDERLINE = "borderline"
WITHIN_REVISION = "within_revision"  # misses by less than later releases revised the statistic
NOT_SUPPORTED = "not_supported"
UNDECIDABLE = "undecidable"
NOT_VERIFIABLE = "not_verifiable"
NOT_APPLICABLE = "not_applicable"
VERDICT_CODES: tuple[str, ...] = (SUPPORTED, BORDERLINE, WITHIN_REVISION, NOT_SUPPORTED,
                                  UNDECIDABLE, NOT_VERIFIABLE, NOT_APPLICABLE)


def _num(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value  # JSON has no inf: unbounded


@dataclass(frozen=True)
class Interval:
    """A value with the interval its rounding (or bounded suppression) allows: low <= value <= high."""

    value: float | None
    low: float | None
    high: float | None
    unit: str  # "percent", "percentage points", "jobs", "persons", "percent per year", ...

    def to_json(self) -> dict[str, Any]:
        return {"value": _num(self.value), "low": _num(self.low), "high": _num(self.high),
                "unit": self.unit}


@dataclass(frozen=True)
class Fact:
    """One condition of a claim, checked: which part, which value (or bound) against which
    threshold or claimed interval, and the sentence that says it.

    ``test``: "at_least" (value >= threshold), "above" (value > threshold) or "within" (value in
    the closed claimed interval). ``limit``: for a threshold test, the largest threshold at which
    this part still holds (the end of the value's interval nearest the threshold), so that a
    conjunction can say at which threshold every part would hold. ``bound``: the value is only
    bounded (a suppressed cell, a quantity no series measures), not measured.
    """

    part: str  # "region", "comparator", "difference", "whole", ...
    test: str
    value: Interval
    holds: bool | None
    sentence: Text
    threshold: float | None = None
    claimed: Interval | None = None
    limit: float | None = None
    bound: bool = False
    size: float | None = None  # the base-year level of a change (its revisions are compared alike)

    def to_json(self) -> dict[str, Any]:
        return {"part": self.part, "test": self.test, "value": self.value.to_json(),
                "size": _num(self.size),
                "threshold": _num(self.threshold),
                "claimed": self.claimed.to_json() if self.claimed else None,
                "holds": self.holds, "limit": _num(self.limit), "bound": self.bound,
                "sentence": self.sentence.to_json()}


@dataclass(frozen=True)
class Evaluation:
    """One evaluated setting of a claim's parameters (the reading or a perturbation).

    ``holds``: True / False, or None where the interval straddles the claim (undecidable).
    ``strength``: the claim's margin under this setting in the claim's own unit (how far the value
    lies on the claim's side of its threshold; negative: against the claim), used by fairness.
    """

    parameters: dict[str, Any]
    result: Interval
    holds: bool | None
    weight: float
    real_time: bool
    strength: float | None = None
    label: Text | None = None  # the setting in words ("base year 2011, SBI B-E, nation minus Twente")
    arithmetic: Text | None = None  # how the value was computed, with the input numbers
    merged_parameters: list[dict[str, Any]] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)  # the input values used (for the tests)
    statement: Text | None = None  # this setting's finding in words, with its numbers
    parts: dict[str, Interval] = field(default_factory=dict)  # e.g. region and comparator changes
    notes: list[Text] = field(default_factory=list)  # e.g. why one half could not be measured
    public: str | None = None  # ISO date by which every input of this setting was public
    facts: list[Fact] = field(default_factory=list)  # each condition checked, per part

    @property
    def part_holds(self) -> dict[str, bool | None]:
        """Whether each part holds on its own (a claim with two parts gets a result per part)."""
        found: dict[str, bool | None] = {}
        for fact in self.facts:
            previous = found.get(fact.part, True)
            found[fact.part] = False if False in (previous, fact.holds) else \
                None if None in (previous, fact.holds) else True
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "parameters": self.parameters, "value": _num(self.result.value),
            "low": _num(self.result.low), "high": _num(self.result.high), "unit": self.result.unit,
            "holds": self.holds, "weight": self.weight, "real_time": self.real_time,
            "strength": _num(self.strength),
            "label": self.label.to_json() if self.label else None,
            "arithmetic": self.arithmetic.to_json() if self.arithmetic else None,
            "merged_parameters": self.merged_parameters, "inputs": self.inputs,
            "statement": self.statement.to_json() if self.statement else None,
            "parts": {k: v.to_json() for k, v in self.parts.items()},
            "notes": [n.to_json() for n in self.notes], "public": self.public,
            "facts": [f.to_json() for f in self.facts], "part_holds": self.part_holds,
        }


@dataclass(frozen=True)
class Unevaluable:
    """A combination of parameters the data cannot evaluate, and why."""

    parameters: dict[str, Any]
    reason: Text

    def to_json(self) -> dict[str, Any]:
        return {"parameters": self.parameters, "reason": self.reason.to_json()}


@dataclass(frozen=True)
class ContextItem:
    """A figure shown beside the claim that is not a reading of it (proxy, other period or concept)."""

    label: Text
    result: Interval
    role: str  # "context" | "upper_bound" | "lower_bound"
    parameters: dict[str, Any] = field(default_factory=dict)
    note: Text | None = None

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label.to_json(), **self.result.to_json(), "role": self.role,
                "parameters": self.parameters, "note": self.note.to_json() if self.note else None}


@dataclass
class ClaimCheck:
    """The evaluation of one claim for one region (see the module docstring)."""

    claim_id: str
    region: str  # COROP code, e.g. CR12
    region_name: str
    kind: str  # the claim kind (change, change_vs_comparator, relative_gain, share, trend, ...)
    verdict: str  # one of VERDICT_CODES
    verdict_reason: Text
    claimed: Interval | None  # the claim's own number as an interval ("3%" = [2.5, 3.5))
    reading: Evaluation | None  # p0, real-time
    reading_text: Text | None  # the reading in words (how the claim is made measurable)
    robustness: float | None
    robustness_band: tuple[float, float] | None  # undecided alternatives counted failing / holding
    fairness: float | None
    uniqueness: float | None
    counter_argument: Text | None  # the most sensible perturbation against the reading's outcome
    fairer_statement: Text | None  # a statement of the same form that the data support
    ex_post: Evaluation | None  # the same reading on data published after the claim's date
    ex_post_text: Text | None
    perturbations: list[Evaluation] = field(default_factory=list)  # merged, p0 excluded; real-time
    # ones count for the measures, the others (real_time False) are shown apart as ex post
    unevaluable: list[Unevaluable] = field(default_factory=list)
    context: list[ContextItem] = field(default_factory=list)
    headline_series: Any = None  # pandas DataFrame: year, series label, value (for the card chart)
    extras: dict[str, Any] = field(default_factory=dict)  # trend models, tables for the page
    registry_hash: str = ""
    claim_date: str = ""  # ISO date of the claim (real-time cut-off)
    fairness_unit: str = ""  # fairness is a mean difference in the claim's own unit (see measures)
    verdict_rule: Text | None = None  # the one rule, in words
    deciding: list[Fact] = field(default_factory=list)  # what decided the verdict, as data
    deciding_text: Text | None = None  # why, in a sentence or two of plain words
    deciding_detail: Text | None = None  # the same in full (conjunction threshold, robustness figures)
    caveats: list[Text] = field(default_factory=list)  # printed beside the verdict, never a gate
    sensitivity: list[dict[str, Any]] = field(default_factory=list)  # verdict under other thresholds
    weight_range: tuple[float, float] | None = None  # robustness under other weightings
    joint_limit: float | None = None  # the threshold at which every part of the reading holds

    def to_json(self) -> dict[str, Any]:
        def js(value: Any) -> Any:
            return value.to_json() if value is not None else None

        reading = js(self.reading)
        if reading is not None:
            reading = {**reading, "text": js(self.reading_text)}
        ex_post = js(self.ex_post)
        if ex_post is not None:
            ex_post = {**ex_post, "text": js(self.ex_post_text)}
        return {
            "claim_id": self.claim_id, "region": self.region, "region_name": self.region_name,
            "kind": self.kind, "verdict": self.verdict, "verdict_reason": js(self.verdict_reason),
            "claimed": js(self.claimed), "reading": reading,
            "robustness": _num(self.robustness),
            "robustness_band": list(self.robustness_band) if self.robustness_band else None,
            "fairness": _num(self.fairness), "uniqueness": _num(self.uniqueness),
            "counter_argument": js(self.counter_argument),
            "fairer_statement": js(self.fairer_statement), "ex_post": ex_post,
            "perturbations": [p.to_json() for p in self.perturbations],
            "unevaluable": [u.to_json() for u in self.unevaluable],
            "context": [c.to_json() for c in self.context],
            "extras": {k: v for k, v in self.extras.items()
                       if isinstance(v, str | int | float | bool | list | dict | type(None))},
            "registry_hash": self.registry_hash, "claim_date": self.claim_date,
            "fairness_unit": self.fairness_unit,
            "verdict_rule": js(self.verdict_rule),
            "deciding": [f.to_json() for f in self.deciding],
            "deciding_text": js(self.deciding_text), "deciding_detail": js(self.deciding_detail),
            "part_holds": self.reading.part_holds if self.reading else {},
            "joint_limit": _num(self.joint_limit),
            "caveats": [c.to_json() for c in self.caveats],
            "sensitivity": self.sensitivity,
            "weight_range": list(self.weight_range) if self.weight_range else None,
        }
