"""Measures and the verdict rule on hand-made evaluations (analysis.engine.measures, .verdict)."""

from __future__ import annotations

import math

import pytest

from analysis.engine.measures import compute, wilson
from analysis.engine.result import (
    BORDERLINE,
    NOT_SUPPORTED,
    SUPPORTED,
    UNDECIDABLE,
    Evaluation,
    Interval,
)
from analysis.engine.verdict import decide
from analysis.i18n import Text

META = {"verdict": {"supported": 0.75, "fragile": 0.5, "cherry_picked": 0.8}}


def ev(weight, holds, strength, real_time=True, name="p"):
    return Evaluation(parameters={"name": name}, result=Interval(strength, strength, strength, "percent"),
                      holds=holds, weight=weight, real_time=real_time, strength=strength,
                      label=Text("engine.label.reading", {}), statement=Text("engine.text", {"text": name}))


def test_measures_by_hand():
    reading = ev(1.0, True, 1.0, name="p0")
    perturbations = [ev(0.5, True, 2.0, name="a"), ev(0.3, False, -1.0, name="b"),
                     ev(0.2, None, 0.0, name="c"), ev(0.9, False, -5.0, real_time=False, name="later")]
    m = compute(reading, perturbations)
    # only the real-time ones count: weights 0.5, 0.3, 0.2 (sum 1)
    assert m.robustness == pytest.approx(0.5)
    # fairness = 0.5 (2 - 1) + 0.3 (-1 - 1) + 0.2 (0 - 1) = 0.5 - 0.6 - 0.2 = -0.3
    assert m.fairness == pytest.approx(-0.3)
    assert m.uniqueness == pytest.approx(0.5)  # b and c are weaker than the reading
    n_eff = 1 / (0.5 ** 2 + 0.3 ** 2 + 0.2 ** 2)
    assert m.n_effective == pytest.approx(n_eff)
    # band: the undecidable one counted as failing (low end) and as holding (high end)
    assert m.band == pytest.approx((wilson(0.5, n_eff)[0], wilson(0.7, n_eff)[1]))
    assert m.counter.parameters == {"name": "b"}  # the most sensible failing real-time one


def test_counter_argument_argues_against_the_readings_outcome():
    alternatives = [ev(0.5, True, 2.0, name="holds-most-sensible"), ev(0.2, True, 4.0, name="holds-less"),
                    ev(0.3, False, -1.0, name="fails")]
    # the reading holds: the counter-argument is the most sensible setting under which it fails
    m = compute(ev(1.0, True, 1.0, name="p0"), alternatives)
    assert m.counter.parameters == {"name": "fails"}
    assert m.counter_argument.key == "engine.counter"
    # the reading fails: the strongest case left for the claim is the most sensible holding setting
    m = compute(ev(1.0, False, -2.0, name="p0"), alternatives)
    assert m.counter.parameters == {"name": "holds-most-sensible"}
    assert m.counter_argument.key == "engine.counter.support"
    assert m.counter_argument.render("nl").startswith("Sterkste argument vóór de bewering")


def test_wilson_interval_by_hand():
    # share 0.5 on n = 10, z = 1.645: centre 0.5, half-width z sqrt(0.025 + z^2/400) / (1 + z^2/10)
    z = 1.645
    half = z * math.sqrt(0.25 / 10 + z * z / 400) / (1 + z * z / 10)
    assert wilson(0.5, 10) == pytest.approx((0.5 - half, 0.5 + half))


def test_rule_outcomes():
    robust = compute(ev(1, True, 1), [ev(0.05, True, 1, name=str(i)) for i in range(20)])
    assert robust.band[0] >= 0.75
    assert decide(ev(1, True, 1), robust, META)[0] == SUPPORTED
    assert decide(ev(1, None, 0), robust, META)[0] == BORDERLINE  # straddles
    assert decide(ev(1, False, -1), robust, META)[0] == BORDERLINE  # fails, alternatives hold
    assert decide(None, robust, META)[0] == UNDECIDABLE
    fragile = compute(ev(1, True, 1), [ev(0.05, False, -1, name=str(i)) for i in range(20)])
    code, reason = decide(ev(1, True, 1), fragile, META)
    assert code == NOT_SUPPORTED and reason.key == "engine.reason.cherry_picked"
    assert decide(ev(1, False, -1), fragile, META)[0] == NOT_SUPPORTED
    middle = compute(ev(1, True, 1), [ev(0.1, i % 3 != 0, 0.5, name=str(i)) for i in range(10)])
    assert decide(ev(1, True, 1), middle, META)[0] == BORDERLINE
    alone = compute(ev(1, True, 1), [])
    assert alone.robustness is None and decide(ev(1, True, 1), alone, META)[0] == BORDERLINE
