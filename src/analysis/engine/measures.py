"""Measures of a claim over its alternatives (Wu et al., VLDB 2014 / TODS 2017; Asudeh et al.
PVLDB 2020 for the support share), counted over the real-time settings of the perturbation space
except the reading's own setting:

- robustness: weighted share of those settings under which the claim holds. The space is
  enumerated, not sampled, so no sampling interval goes on it. Its range covers the settings whose
  result straddles the claim (counted as failing for the low end, as holding for the high end);
  settings the data cannot evaluate are left out and their weight is reported;
- weight sensitivity: robustness when the registry's weights are replaced (all axes uniform; one
  axis uniform; one axis with half of its mass moved onto one of its values), as a range: how far
  the stated weights carry the result;
- fairness: weighted mean of (strength - reading's strength), in the claim's unit: negative means
  the alternatives are on average weaker than the claimant's setting;
- uniqueness: weighted share of settings weaker than the reading (high: cherry-picked). For a
  claim in the present tense the latest public figure is the reading, not a pick: settings that
  differ from it only in time do not count here;
- the strongest counter-argument: the most sensible distinct result that argues against the
  reading's outcome (fails or is left open by the data where the reading holds; holds where it
  fails);
- the fairer statement: the reading's finding in numbers (or, where the reading cannot be
  evaluated, that of the most sensible evaluable alternative).

Each distinct result weighs the total weight of the settings that give it (merging is for display).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.engine.result import Evaluation
from analysis.i18n import Text

TIE = 1e-9
FEW_DISTINCT = 5  # fewer distinct results than this: a caveat beside the verdict, never a gate


@dataclass(frozen=True)
class Setting:
    """One setting of the perturbation space as evaluated: the unit every measure counts."""

    index: tuple[int, ...]  # position of the setting's value on each axis
    weight: float  # product of its values' sensibility weights
    holds: bool | None
    real_time: bool
    strength: float | None
    is_reading: bool = False
    evaluable: bool = True  # False: the data cannot give this setting (left out of the measures)


@dataclass(frozen=True)
class Measures:
    robustness: float | None
    band: tuple[float, float] | None  # undecidable settings counted as failing / as holding
    weight_bands: tuple[tuple[float, float], tuple[float, float]] | None  # other weightings:
    # the band of the one with the lowest and of the one with the highest robustness
    fairness: float | None
    uniqueness: float | None
    n_distinct: int
    unevaluable_weight: float  # share of the alternatives' weight the data cannot evaluate
    counter: Evaluation | None
    counter_argument: Text | None
    fairer_statement: Text | None

    @property
    def weight_range(self) -> tuple[float, float] | None:
        """Lowest and highest robustness over the weightings of the sensitivity range."""
        return None if self.weight_bands is None else (self.weight_bands[0][0], self.weight_bands[1][0])

    @property
    def few_distinct(self) -> bool:
        return self.robustness is not None and self.n_distinct < FEW_DISTINCT


def _robustness(counted: list[Setting], weigh) -> tuple[float, float] | None:
    weights = [weigh(s) for s in counted]
    total = sum(weights)
    if total <= 0:
        return None
    holds = sum(w for w, s in zip(weights, counted, strict=True) if s.holds is True) / total
    maybe = sum(w for w, s in zip(weights, counted, strict=True) if s.holds is None) / total
    return holds, holds + maybe


def weightings(axis_weights: list[tuple[float, ...]]) -> list[list[tuple[float, ...]]]:
    """The alternative weightings of the sensitivity range (see the module docstring)."""
    uniform = [tuple(1.0 / len(w) for _ in w) for w in axis_weights]
    found = [uniform]
    for a, weights in enumerate(axis_weights):
        found.append([*axis_weights[:a], uniform[a], *axis_weights[a + 1:]])
        for v in range(len(weights)):
            tilted = tuple(0.5 * w + (0.5 if i == v else 0.0) for i, w in enumerate(weights))
            found.append([*axis_weights[:a], tilted, *axis_weights[a + 1:]])
    return found


def weight_bands(counted: list[Setting], axis_weights: list[tuple[float, ...]]
                 ) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The robustness band (as :func:`compute` gives it) of the weighting with the lowest and of
    the one with the highest robustness, over the registry's weights and :func:`weightings`."""
    index = np.array([s.index for s in counted], dtype=int).reshape(len(counted), len(axis_weights))
    holds = np.array([s.holds is True for s in counted])
    maybe = np.array([s.holds is None for s in counted])
    bands = []
    for weighting in [list(axis_weights), *weightings(axis_weights)]:
        weights = np.ones(len(counted))
        for axis, values in enumerate(weighting):
            weights *= np.asarray(values)[index[:, axis]]
        total = weights.sum()
        if total > 0:
            share = float(weights[holds].sum() / total)
            bands.append((share, share + float(weights[maybe].sum() / total)))
    return (min(bands), max(bands)) if bands else None


def compute(reading: Evaluation | None, distinct: list[Evaluation], space: list[Setting],
            axis_weights: list[tuple[float, ...]], time_axes: tuple[int, ...] = ()) -> Measures:
    """The measures over ``space`` (every evaluated setting; the reading's own flagged) and the
    distinct results ``distinct`` (for the counter-argument); ``time_axes``: the axes a claim in
    the present tense does not count for uniqueness."""
    alternatives = [s for s in space if not s.is_reading]
    counted = [s for s in alternatives if s.evaluable and s.real_time]
    everything = sum(s.weight for s in alternatives)
    missing = sum(s.weight for s in alternatives if not s.evaluable) / everything if everything else 0.0
    fairer = _fairer(reading, distinct)
    if not counted or sum(s.weight for s in counted) <= 0:
        return Measures(None, None, None, None, None, 0, missing, None, None, fairer)
    robustness, high = _robustness(counted, lambda s: s.weight)
    fairness = uniqueness = None
    if reading is not None and reading.strength is not None:
        fairness = _weighted_mean(counted, lambda s: s.strength - reading.strength)
        own = next((s for s in space if s.is_reading), None)
        same_time = [s for s in counted if own is None
                     or all(s.index[a] == own.index[a] for a in time_axes)]
        uniqueness = _weighted_mean(same_time, lambda s: float(s.strength < reading.strength - TIE))
    real_time = [p for p in distinct if p.real_time]
    counter, counter_text = _counter(reading, real_time)
    return Measures(robustness, (robustness, high), weight_bands(counted, axis_weights), fairness,
                    uniqueness, len(real_time), missing, counter, counter_text, fairer)


def _weighted_mean(settings: list[Setting], value) -> float | None:
    scored = [s for s in settings if s.strength is not None]
    total = sum(s.weight for s in scored)
    return sum(s.weight * value(s) for s in scored) / total if total > 0 else None


def _counter(reading: Evaluation | None,
             counted: list[Evaluation]) -> tuple[Evaluation | None, Text | None]:
    """The most sensible distinct result against the reading's outcome (ties: a clear failure
    before one the data leave open, then the clearest margin)."""
    if reading is not None and reading.holds is False:
        # The reading fails: the strongest argument left is the best-supported setting where it holds.
        holding = [p for p in counted if p.holds is True]
        counter = max(holding, key=lambda p: (p.weight, p.strength or 0.0), default=None)
        key = "engine.counter.support"
    else:
        against = [p for p in counted if p.holds is not True]
        counter = max(against, key=lambda p: (p.weight, p.holds is False, -(p.strength or 0.0)),
                      default=None)
        key = "engine.counter" if counter is None or counter.holds is False else "engine.counter.open"
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
