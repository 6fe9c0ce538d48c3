"""Measures and the verdict rule on hand-made evaluations (analysis.engine.measures, .verdict,
.decision, .facts): one test per rule of the method, expectations worked out by hand."""

from __future__ import annotations

import pytest

from analysis.engine.decision import caveats, deciding
from analysis.engine.facts import joint_limit, nearest_end, threshold_fact
from analysis.engine.intervals import Bound
from analysis.engine.measures import Setting, compute, weightings
from analysis.engine.result import (
    BORDERLINE,
    NOT_SUPPORTED,
    SUPPORTED,
    UNDECIDABLE,
    WITHIN_REVISION,
    Evaluation,
    Interval,
)
from analysis.engine.verdict import decide, sensitivity
from analysis.i18n import Text

META = {"verdict": {"supported": 0.75, "fragile": 0.5, "cherry_picked": 0.8}}


def ev(weight, holds, strength, real_time=True, name="p", facts=()):
    return Evaluation(parameters={"name": name}, result=Interval(strength, strength, strength, "percent"),
                      holds=holds, weight=weight, real_time=real_time, strength=strength,
                      label=Text("engine.label.reading", {}), statement=Text("engine.text", {"text": name}),
                      facts=list(facts))


def setting(index, weight, holds, strength, real_time=True, reading=False):
    return Setting(tuple(index), weight, holds, real_time, strength, reading)


def measures(reading_holds, alternatives, axis_weights=None, time_axes=()):
    """Measures over one axis: the reading at position 0, alternatives (weight, holds, strength)."""
    space = [setting([0], 0.5, reading_holds, 1.0, reading=True)]
    distinct = []
    for i, (weight, holds, strength) in enumerate(alternatives, 1):
        space.append(setting([i], weight, holds, strength))
        distinct.append(ev(weight, holds, strength, name=str(i)))
    weights = axis_weights or [tuple([0.5] + [w for w, _, _ in alternatives])]
    return compute(ev(0.5, reading_holds, 1.0, name="p0"), distinct, space, weights, time_axes)


def test_measures_by_hand():
    m = measures(True, [(0.25, True, 2.0), (0.15, False, -1.0), (0.1, None, 0.0)])
    # the alternatives weigh 0.25 + 0.15 + 0.1 = 0.5: robustness 0.25 / 0.5
    assert m.robustness == pytest.approx(0.5)
    assert m.band == pytest.approx((0.5, 0.7))  # the undecided one counted as failing / holding
    # fairness = (0.25 (2 - 1) + 0.15 (-1 - 1) + 0.1 (0 - 1)) / 0.5 = (0.25 - 0.3 - 0.1) / 0.5
    assert m.fairness == pytest.approx(-0.3)
    assert m.uniqueness == pytest.approx(0.5)  # the second and third are weaker than the reading
    assert m.counter.parameters == {"name": "2"}  # the most sensible failing one


def test_every_alternative_holding_is_supported_whatever_their_number():
    for n in (1, 2, 3, 20):
        m = measures(True, [(0.5 / n, True, 1.0)] * n)
        assert m.band == (1.0, 1.0)  # no sampling interval on an enumerated space
        assert decide(ev(1, True, 1.0), m, META)[0] == SUPPORTED


def test_no_alternatives_a_holding_reading_is_supported_with_a_caveat():
    m = compute(ev(1, True, 1.0), [], [setting([0], 1.0, True, 1.0, reading=True)], [(1.0,)])
    assert m.robustness is None
    code, _ = decide(ev(1, True, 1.0), m, META)
    assert code == SUPPORTED
    assert [c.key for c in caveats(ev(1, True, 1.0), m, code)] == ["engine.caveat.no_alternatives"]


def test_a_result_found_under_several_settings_weighs_their_total():
    # two settings give one failing result (0.1 + 0.3), one holding setting weighs 0.2
    space = [setting([0, 0], 0.4, True, 1.0, reading=True), setting([1, 0], 0.1, False, -1.0),
             setting([0, 1], 0.3, False, -1.0), setting([1, 1], 0.2, True, 2.0)]
    m = compute(ev(0.4, True, 1.0), [ev(0.4, False, -1.0), ev(0.2, True, 2.0)], space,
                [(0.5, 0.5), (0.4, 0.6)])
    assert m.robustness == pytest.approx(0.2 / 0.6)


def test_only_the_readings_own_setting_is_excluded():
    # another setting with the reading's result (holding) counts as an alternative
    space = [setting([0], 0.5, True, 1.0, reading=True), setting([1], 0.3, True, 1.0),
             setting([2], 0.2, False, -1.0)]
    m = compute(ev(0.5, True, 1.0), [ev(0.3, True, 1.0), ev(0.2, False, -1.0)], space, [(0.5, 0.3, 0.2)])
    assert m.robustness == pytest.approx(0.3 / 0.5)


def test_unevaluable_alternatives_are_left_out_and_reported():
    space = [setting([0], 0.5, True, 1.0, reading=True), setting([1], 0.25, True, 1.0),
             Setting((2,), 0.25, None, False, None, False, evaluable=False)]
    m = compute(ev(0.5, True, 1.0), [ev(0.25, True, 1.0)], space, [(0.5, 0.25, 0.25)])
    assert m.robustness == 1.0 and m.unevaluable_weight == pytest.approx(0.5)


def test_weight_sensitivity_by_hand():
    # one axis: reading (0.5), a holding alternative (0.3), a failing one (0.2)
    m = measures(True, [(0.3, True, 1.0), (0.2, False, -1.0)], axis_weights=[(0.5, 0.3, 0.2)])
    assert m.robustness == pytest.approx(0.6)
    # uniform: 1/3 each -> 0.5; half moved onto the failing value: (0.15, 0.6) -> 0.2;
    # half onto the holding value: (0.65, 0.1) -> 0.867
    assert m.weight_range == pytest.approx((0.15 / 0.75, 0.65 / 0.75))
    assert len(weightings([(0.5, 0.3, 0.2)])) == 1 + 1 + 3


def test_weights_never_gate_but_show_in_the_sensitivity_table():
    m = measures(True, [(0.4, True, 1.0), (0.1, False, -1.0)], axis_weights=[(0.5, 0.4, 0.1)])
    assert decide(ev(1, True, 1.0), m, META)[0] == SUPPORTED  # 0.8
    rows = {r["setting"]: r for r in sensitivity(ev(1, True, 1.0), m, META)}
    assert rows["registry"]["verdict"] == SUPPORTED
    assert rows["weights_lowest"]["verdict"] != SUPPORTED  # half the mass on the failing value


def test_sensitivity_moves_each_threshold_on_its_own():
    m = measures(True, [(0.39, True, 1.0), (0.11, False, -1.0)])  # robustness 0.78
    rows = sensitivity(ev(1, True, 1.0), m, META)
    supported = {r["value"]: r["verdict"] for r in rows if r["setting"] == "supported"}
    assert supported == {0.65: SUPPORTED, 0.7: SUPPORTED, 0.8: BORDERLINE, 0.85: BORDERLINE}


def test_rule_boundaries_exactly_on_the_thresholds():
    at = measures(True, [(0.375, True, 1.0), (0.125, False, -1.0)])  # exactly 0.75
    assert at.robustness == pytest.approx(0.75)
    assert decide(ev(1, True, 1.0), at, META)[0] == SUPPORTED  # "at or above"
    below = measures(True, [(0.37, True, 1.0), (0.13, False, -1.0)])
    assert decide(ev(1, True, 1.0), below, META)[0] == BORDERLINE
    fragile = measures(True, [(0.25, True, 1.0), (0.25, False, -1.0)])  # exactly 0.5: not below
    assert decide(ev(1, True, 1.0), fragile, META)[0] == BORDERLINE
    under = measures(True, [(0.24, True, 1.0), (0.26, False, -1.0)])
    assert decide(ev(1, True, 1.0), under, META)[0] == NOT_SUPPORTED
    # a failing reading is rescued (borderline) exactly at 0.75, not below
    assert decide(ev(1, False, -1.0), at, META)[0] == BORDERLINE
    assert decide(ev(1, False, -1.0), below, META)[0] == NOT_SUPPORTED


def test_cherry_picked_at_or_above_its_threshold():
    # uniqueness: every failing alternative is weaker than the reading
    m = measures(True, [(0.1, True, 2.0), (0.4, False, -1.0)])  # robustness 0.2, uniqueness 0.8
    assert m.uniqueness == pytest.approx(0.8)
    code, reason = decide(ev(1, True, 1.0), m, META)
    assert code == NOT_SUPPORTED and reason.key == "engine.reason.cherry_picked"
    m = measures(True, [(0.11, True, 2.0), (0.39, False, -1.0)])  # uniqueness 0.78
    assert decide(ev(1, True, 1.0), m, META)[1].key == "engine.reason.fragile"


def test_other_outcomes():
    m = measures(True, [(0.5, True, 1.0)])
    assert decide(None, m, META)[0] == UNDECIDABLE
    assert decide(ev(1, None, 0.0), m, META)[0] == BORDERLINE
    assert decide(ev(1, False, -1.0), m, META, within_revision=True)[0] == WITHIN_REVISION
    assert decide(ev(1, True, 1.0), m, META, within_revision=True)[0] == SUPPORTED  # only a miss


def test_present_tense_uniqueness_ignores_the_time_axis():
    # axis 0: time (the reading = latest year), axis 1: definition
    space = [setting([0, 0], 0.4, True, 1.0, reading=True), setting([1, 0], 0.4, False, -1.0),
             setting([0, 1], 0.2, True, 2.0)]
    distinct = [ev(0.4, False, -1.0), ev(0.2, True, 2.0)]
    past = compute(ev(0.4, True, 1.0), distinct, space, [(0.5, 0.5), (0.8, 0.2)])
    present = compute(ev(0.4, True, 1.0), distinct, space, [(0.5, 0.5), (0.8, 0.2)], time_axes=(0,))
    assert past.uniqueness == pytest.approx(0.4 / 0.6)
    assert present.uniqueness == 0.0  # an older year is no pick; the other definition is stronger


def test_counter_argument_argues_against_the_readings_outcome():
    alternatives = [(0.25, True, 2.0), (0.1, True, 4.0), (0.15, False, -1.0)]
    m = measures(True, alternatives)
    assert m.counter.parameters == {"name": "3"}
    assert m.counter_argument.key == "engine.counter"
    m = measures(False, alternatives)
    assert m.counter.parameters == {"name": "1"}  # the most sensible holding setting
    assert m.counter_argument.key == "engine.counter.support"


def test_counter_argument_from_an_alternative_the_data_leave_open():
    m = measures(True, [(0.3, True, 2.0), (0.2, None, 0.0)])
    assert m.counter.parameters == {"name": "2"}
    assert m.counter_argument.key == "engine.counter.open"


def test_conjunction_gets_a_result_per_part_and_the_joint_threshold():
    word = Text("engine.text", {"text": "'fors'"})
    region = threshold_fact("region", Text("engine.text", {"text": "r"}), Bound(7.8, None, 27.2),
                            "percent", "at_least", 5.0, True, word)
    nation = threshold_fact("comparator", Text("engine.text", {"text": "n"}), Bound(3.6, 3.7, 3.8),
                            "percent", "at_least", 5.0, False, word)
    reading = ev(1, False, -1.3, facts=[region, nation])
    assert reading.part_holds == {"region": True, "comparator": False}
    assert joint_limit([region, nation]) == pytest.approx(3.6)  # both hold up to the nation's low end
    m = measures(False, [(0.5, False, -1.0)])
    code, reason = decide(reading, m, META)
    facts, short, full, limit = deciding(reading, m, code, reason, META)
    assert [f.part for f in facts] == ["comparator"] and limit == pytest.approx(3.6)
    assert short.render("nl") == "n, minder dan de 5% die 'fors' vraagt."  # the failing part, plainly
    assert "n, minder dan de 5% die 'fors' vraagt." in full.render("nl")
    assert "3,6%" in full.render("nl") and "3,6%" not in short.render("nl")


def test_the_short_reason_names_no_share_of_alternatives():
    holding = threshold_fact("whole", Text("engine.text", {"text": "s"}), Bound(36.3, 36.3, 36.3),
                             "percent", "at_least", 35.5, True, None)
    reading = ev(1, True, 1.0, facts=[holding])
    m = measures(True, [(0.4, True, 1.0), (0.1, False, -1.0)])  # robustness 0.8
    code, reason = decide(reading, m, META)
    _, short, full, _ = deciding(reading, m, code, reason, META)
    assert "80%" not in short.render("nl") and "80%" in full.render("nl")
    assert short.render("nl").endswith("Ook bij de meeste andere redelijke lezingen klopt de bewering.")


def test_nearest_end_of_a_bound_not_its_midpoint():
    assert nearest_end(Bound(7.8, None, 27.2), 5.0) == 7.8
    assert nearest_end(Bound(-100.0, None, 529.0), 1700.0) == 529.0
    assert nearest_end(Bound(0.0, None, 10.0), 4.0) == 4.0  # straddles: no margin
    assert nearest_end(Bound(3.6, 3.7, 3.8), 5.0) == 3.7  # a value is used as it is
