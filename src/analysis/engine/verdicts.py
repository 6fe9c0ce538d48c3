"""One written rule from evidence to a verdict, in English and Dutch.

The rule uses two pieces of evidence per claim:

- **reproduction**: does the headline operationalisation (the first one in the claim registry the
  data can evaluate) give the published value within the claim's tolerance, for the period the
  claim states? A match for another period (e.g. a Twente Index change from 2007 where the claim
  says 2010) is reported but does not count as a reproduction.
- **robustness**: in what share of the evaluable specifications of the stress test (those that
  count for the verdict: reasonable readings the claim could have meant in October 2017) does the
  claim hold as stated? And, for claims with a direction and a size ("fell sharply", "+3% while
  the nation fell"), in what share does the direction alone hold?

The thresholds are chosen, not estimated: 0.8 means the claim survives at least four in five
reasonable readings, so one unlucky choice cannot sink it and one lucky choice cannot carry it;
0.5 means it holds in at least half of them. At least :data:`MIN_SPECS` evaluable specifications
are needed before a share is used at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
NOT_VERIFIABLE = "not verifiable with open data"
LABELS = (SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_VERIFIABLE)
LABELS_NL = {
    SUPPORTED: "ondersteund",
    PARTLY: "deels ondersteund",
    NOT_SUPPORTED: "niet ondersteund",
    NOT_VERIFIABLE: "niet te toetsen met open data",
}

SUPPORT_SHARE = 0.8  # claim holds in at least 4 of 5 reasonable specifications
PARTLY_SHARE = 0.5  # ... in at least half of them
DIRECTION_SHARE = 0.8  # the direction alone holds in at least 4 of 5
MIN_SPECS = 3  # fewer evaluable specifications: no robustness share is used

RULE_TEXT = {
    "en": (
        "Verdict rule. (1) If no open data (and no published figure) measure the quantity or a "
        "proxy of it: not verifiable with open data. (2) Supported: the headline reproduction "
        "lies within the claim's tolerance of the published value for the stated period AND the "
        f"claim holds in at least {SUPPORT_SHARE:.0%} of the evaluable stress-test specifications. "
        "(3) Partly supported: the reproduction succeeds but the claim holds in fewer than "
        f"{SUPPORT_SHARE:.0%} of the specifications; or the reproduction fails but the claim holds "
        f"in at least {PARTLY_SHARE:.0%}; or its direction (for example 'fell', 'grew faster') "
        f"holds in at least {DIRECTION_SHARE:.0%} though its size does not. (4) Otherwise: not "
        "supported. (5) Where open data measure only proxies (no HTSM series exists), the verdict "
        "is at most 'partly supported'. Shares need at least "
        f"{MIN_SPECS} evaluable specifications."
    ),
    "nl": (
        "Beslisregel. (1) Als geen open data (en geen gepubliceerd cijfer) de grootheid of een "
        "benadering ervan meten: niet te toetsen met open data. (2) Ondersteund: de "
        "hoofdreproductie ligt binnen de marge van het gepubliceerde getal voor de genoemde "
        "periode EN de bewering klopt in ten minste "
        f"{SUPPORT_SHARE:.0%} van de doorgerekende specificaties van de stresstest. (3) Deels "
        "ondersteund: de reproductie lukt maar de bewering klopt in minder dan "
        f"{SUPPORT_SHARE:.0%} van de specificaties; of de reproductie lukt niet maar de bewering "
        f"klopt in ten minste {PARTLY_SHARE:.0%}; of de richting (bijvoorbeeld 'gedaald', 'sneller "
        f"gegroeid') klopt in ten minste {DIRECTION_SHARE:.0%} maar de omvang niet. (4) Anders: "
        "niet ondersteund. (5) Als open data alleen benaderingen meten (er bestaat geen "
        "HTSM-reeks), is het oordeel hoogstens 'deels ondersteund'. Aandelen vereisen ten minste "
        f"{MIN_SPECS} doorgerekende specificaties."
    ),
}


@dataclass(frozen=True)
class Evidence:
    """What the rule looks at.

    ``measurement``: "direct", "proxy" or "none" (from the claim registry).
    ``reproduced``: the headline reproduction matched within tolerance for the stated period
    (None: no headline could be evaluated). ``n_specs``: evaluable specifications that count;
    ``n_holds`` / ``n_direction``: in how many the claim / its direction holds
    (``n_direction`` None where the claim has no separate direction).
    """

    measurement: str
    reproduced: bool | None
    n_specs: int
    n_holds: int
    n_direction: int | None = None

    def __post_init__(self) -> None:
        if self.measurement not in ("direct", "proxy", "none"):
            raise ValueError(f"measurement must be direct, proxy or none, got {self.measurement!r}")
        if not 0 <= self.n_holds <= self.n_specs:
            raise ValueError(f"n_holds ({self.n_holds}) must lie in 0..n_specs ({self.n_specs})")
        if self.n_direction is not None and not 0 <= self.n_direction <= self.n_specs:
            raise ValueError(f"n_direction ({self.n_direction}) must lie in 0..n_specs")

    @property
    def share_holds(self) -> float:
        """Share of evaluable specifications in which the claim holds (NaN below MIN_SPECS)."""
        return self.n_holds / self.n_specs if self.n_specs >= MIN_SPECS else math.nan

    @property
    def share_direction(self) -> float:
        if self.n_direction is None or self.n_specs < MIN_SPECS:
            return math.nan
        return self.n_direction / self.n_specs


@dataclass(frozen=True)
class Verdict:
    """A verdict with one sentence of evidence and one caveat in each language."""

    label: str
    evidence_en: str
    evidence_nl: str
    caveat_en: str
    caveat_nl: str
    numbers: dict[str, float] = field(default_factory=dict)
    reason: str = ""  # which clause of the rule applied

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown verdict label {self.label!r}; one of {LABELS}")

    @property
    def label_nl(self) -> str:
        return LABELS_NL[self.label]

    def to_dict(self) -> dict[str, object]:
        return {"label": self.label, "label_nl": self.label_nl, "reason": self.reason,
                "evidence_en": self.evidence_en, "evidence_nl": self.evidence_nl,
                "caveat_en": self.caveat_en, "caveat_nl": self.caveat_nl, **self.numbers}


def _at_least(share: float, threshold: float) -> bool:
    return not math.isnan(share) and share >= threshold - 1e-12


def decide(evidence: Evidence) -> tuple[str, str]:
    """Apply the rule: ``(label, reason)``; the reason names the clause that applied."""
    if evidence.measurement == "none" or (evidence.reproduced is None and evidence.n_specs == 0):
        return NOT_VERIFIABLE, "(1) nothing public measures the quantity"
    share, direction = evidence.share_holds, evidence.share_direction
    reproduced = bool(evidence.reproduced)
    if reproduced and _at_least(share, SUPPORT_SHARE):
        label, reason = SUPPORTED, (f"(2) reproduced and holds in {share:.0%} of "
                                    f"{evidence.n_specs} specifications")
    elif reproduced:
        label, reason = PARTLY, (f"(3) reproduced, but holds in only {_pct(share)} of "
                                 f"{evidence.n_specs} specifications")
    elif _at_least(share, PARTLY_SHARE):
        label, reason = PARTLY, (f"(3) not reproduced, but holds in {share:.0%} of "
                                 f"{evidence.n_specs} specifications")
    elif _at_least(direction, DIRECTION_SHARE):
        label, reason = PARTLY, (f"(3) the direction holds in {direction:.0%} of "
                                 f"{evidence.n_specs} specifications, the size in {_pct(share)}")
    else:
        label, reason = NOT_SUPPORTED, (f"(4) not reproduced; holds in {_pct(share)} and its "
                                        f"direction in {_pct(direction)} of {evidence.n_specs} "
                                        "specifications")
    if label == SUPPORTED and evidence.measurement == "proxy":
        label, reason = PARTLY, reason + "; (5) capped: only proxies measure the quantity"
    return label, reason


def _pct(share: float) -> str:
    return "n/a" if math.isnan(share) else f"{share:.0%}"


def verdict(
    evidence: Evidence,
    *,
    evidence_en: str,
    evidence_nl: str,
    caveat_en: str,
    caveat_nl: str,
    numbers: dict[str, float] | None = None,
) -> Verdict:
    """The :class:`Verdict` for ``evidence``, with the rule's numbers added to ``numbers``."""
    label, reason = decide(evidence)
    merged = {
        "n_specs": float(evidence.n_specs),
        "n_holds": float(evidence.n_holds),
        "share_holds": evidence.share_holds,
        "share_direction": evidence.share_direction,
        "reproduced": math.nan if evidence.reproduced is None else float(evidence.reproduced),
        **(numbers or {}),
    }
    return Verdict(label=label, evidence_en=evidence_en, evidence_nl=evidence_nl,
                   caveat_en=caveat_en, caveat_nl=caveat_nl, numbers=merged, reason=reason)
