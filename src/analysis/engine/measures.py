"""Measures of a claim over its perturbations (Wu et al., VLDB 2014 / TODS 2017; Asudeh et al.
PVLDB 2020 for the support share), counted over the real-time perturbations only:

- robustness: weighted share of perturbations under which the claim holds. Its band covers both
  the undecidable perturbations (counted as failing for the low end, as holding for the high end)
  and how few distinct perturbations there are: a Wilson score interval (90%) with the Kish
  effective number n_eff = (sum w)^2 / sum w^2;
- fairness: weighted mean of (strength - reading's strength), in the claim's unit (percentage
  points, jobs): negative means the alternatives are on average weaker than the claimant's
  setting, i.e. the claimant picked a favourable one;
- uniqueness: weighted share of perturbations weaker than the reading (high: cherry-picked);
- the strongest counter-argument: the most sensible perturbation that argues against the
  reading's outcome: one under which the claim fails where the reading holds (or is undecidable),
  and one under which it holds where the reading fails (the best case the claimant could make);
- the fairer statement: the reading's finding in numbers (or, where the reading cannot be
  evaluated, that of the most sensible evaluable perturbation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.engine.result import Evaluation
from analysis.i18n import Text

WILSON_Z = 1.645  # 90% two-sided
TIE = 1e-9


@dataclass(frozen=True)
class Measures:
    robustness: float | None
    band: tuple[float, float] | None
    fairness: float | None
    uniqueness: float | None
    n_distinct: int
    n_effective: float
    counter: Evaluation | None
    counter_argument: Text | None
    fairer_statement: Text | None


def wilson(share: float, n: float, z: float = WILSON_Z) -> tuple[float, float]:
    """Wilson score interval for a share observed on ``n`` (possibly fractional) draws."""
    if n <= 0:
        return 0.0, 1.0
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def compute(reading: Evaluation | None, perturbations: list[Evaluation]) -> Measures:
    counted = [p for p in perturbations if p.real_time]
    weights = [p.weight for p in counted]
    total = sum(weights)
    if not counted or total <= 0:
        return Measures(None, None, None, None, 0, 0.0, None, None, _fairer(reading, perturbations))
    holds = sum(p.weight for p in counted if p.holds is True) / total
    maybe = sum(p.weight for p in counted if p.holds is None) / total
    n_eff = total * total / sum(w * w for w in weights)
    low = wilson(holds, n_eff)[0]
    high = wilson(holds + maybe, n_eff)[1]
    fairness = uniqueness = None
    if reading is not None and reading.strength is not None:
        scored = [p for p in counted if p.strength is not None]
        scored_weight = sum(p.weight for p in scored)
        if scored_weight > 0:
            fairness = sum(p.weight * (p.strength - reading.strength) for p in scored) / scored_weight
            uniqueness = sum(p.weight for p in scored
                             if p.strength < reading.strength - TIE) / scored_weight
    counter, counter_text = _counter(reading, counted)
    return Measures(holds, (low, high), fairness, uniqueness, len(counted), n_eff, counter,
                    counter_text, _fairer(reading, perturbations))


def _counter(reading: Evaluation | None,
             counted: list[Evaluation]) -> tuple[Evaluation | None, Text | None]:
    """The most sensible perturbation against the reading's outcome (ties: the clearest margin)."""
    if reading is not None and reading.holds is False:
        # The reading fails: the strongest argument left is the best-supported setting where it holds.
        holding = [p for p in counted if p.holds is True]
        counter = max(holding, key=lambda p: (p.weight, p.strength or 0.0), default=None)
        key = "engine.counter.support"
    else:
        failing = [p for p in counted if p.holds is False]
        counter = max(failing, key=lambda p: (p.weight, -(p.strength or 0.0)), default=None)
        key = "engine.counter"
    if counter is None or counter.label is None:
        return counter, None
    return counter, Text(key, {"label": counter.label, "statement": counter.statement})


def _fairer(reading: Evaluation | None, perturbations: list[Evaluation]) -> Text | None:
    if reading is not None and reading.statement is not None:
        return Text("engine.fairer", {"statement": reading.statement})
    candidates = [p for p in perturbations if p.real_time and p.statement is not None
                  and p.label is not None]
    best = max(candidates, key=lambda p: p.weight, default=None)
    if best is None:
        return None
    return Text("engine.fairer.alternative", {"label": best.label, "statement": best.statement})
