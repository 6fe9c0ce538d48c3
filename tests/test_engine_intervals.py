"""Interval arithmetic on rounded inputs (analysis.engine.intervals, .claimed, .tables.printed_bound)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.engine.claimed import claimed_interval
from analysis.engine.intervals import (
    Bound,
    above,
    annual_pct,
    at_least,
    both,
    change_pct,
    loglinear_slope_pct,
    rounded,
    within,
)
from analysis.engine.tables import printed_bound


def test_cbs_thousands_with_one_decimal_are_plus_minus_fifty():
    cell = rounded(40400, 100)
    assert (cell.lo, cell.value, cell.hi) == (40350, 40400, 40450)


def test_change_of_rounded_levels_by_hand():
    # 42,400 -> 39,600 (both +-50): the change lies in [39,550 / 42,450 - 1, 39,650 / 42,350 - 1]
    result = change_pct(rounded(42400, 100), rounded(39600, 100))
    assert result.value == pytest.approx(100 * (39600 / 42400 - 1))  # -6.604%
    assert result.lo == pytest.approx(100 * (39550 / 42450 - 1))  # -6.832%
    assert result.hi == pytest.approx(100 * (39650 / 42350 - 1))  # -6.375%


def test_difference_and_product_take_the_extreme_corners():
    a, b = Bound(4.975, 6.0, 7.035), Bound(1.99, 2.0, 2.01)
    difference = a - b
    assert (difference.lo, difference.hi) == pytest.approx((4.975 - 2.01, 7.035 - 1.99))
    product = Bound(99950, 100000, 100050) * (difference / 100)
    assert product.lo == pytest.approx(99950 * (4.975 - 2.01) / 100)
    assert product.hi == pytest.approx(100050 * (7.035 - 1.99) / 100)
    assert product.value == pytest.approx(100000 * 0.04)


def test_division_by_an_interval_around_zero_is_refused():
    with pytest.raises(ZeroDivisionError, match="containing 0"):
        Bound(1, 1, 2) / Bound(-1, 0, 1)


def test_claimed_numbers_as_intervals():
    three = claimed_interval({"value": 3, "decimals": 0})  # "3%"
    assert (three.lo, three.hi) == (2.5, 3.5)
    almost = claimed_interval({"low": 1700, "high": 1800})  # "bijna 1.800": just under
    assert (almost.lo, almost.hi) == (1700, 1800)
    share = claimed_interval({"value": 36, "decimals": 0})
    assert (share.lo, share.hi) == (35.5, 36.5)


def test_printed_figures_carry_their_rounding():
    assert (printed_bound("4").lo, printed_bound("4").hi) == (3.5, 4.5)
    assert printed_bound("5.4").lo == pytest.approx(5.35)
    assert (printed_bound("30400").lo, printed_bound("30400").hi) == (30350, 30450)
    assert (printed_bound("27995").lo, printed_bound("27995").hi) == (27994.5, 27995.5)
    assert (printed_bound("-3").lo, printed_bound("-3").hi) == (-3.5, -2.5)


def test_three_valued_judgements():
    claimed = Bound(2.5, 3, 3.5)
    assert within(Bound(2.6, 3, 3.4), claimed) is True
    assert within(Bound(3.5001, 4, 4.5), claimed) is False
    assert within(Bound(3.0, 3.5, 4.0), claimed) is None  # straddles: undecidable
    assert at_least(Bound(7.8, None, 27.2), 5.0) is True  # a bound is enough to decide
    assert at_least(Bound(3.68, 3.69, 3.70), 5.0) is False
    assert both(True, None) is None and both(False, None) is False and both(True, True) is True


def test_annualised_change_by_hand():
    # +4% over 8 years = 1.04^(1/8) - 1 = 0.4914% a year
    result = annual_pct(Bound(3.5, 4, 4.5), 8)
    assert result.value == pytest.approx(100 * (1.04 ** (1 / 8) - 1))
    assert result.lo == pytest.approx(100 * (1.035 ** (1 / 8) - 1))


def test_loglinear_slope_on_exact_growth():
    years = [2010, 2011, 2012, 2013]
    values = [Bound(v, v, v) for v in (100.0, 102.0, 104.04, 106.1208)]  # 2% a year exactly
    assert loglinear_slope_pct(years, values).value == pytest.approx(2.0)


@given(st.lists(st.floats(min_value=1000, max_value=1e6), min_size=3, max_size=8),
       st.floats(min_value=0, max_value=500))
def test_slope_range_contains_every_slope_inside_the_boxes(levels, half):
    # any choice of values inside their intervals gives a slope inside the computed range
    years = list(range(2010, 2010 + len(levels)))
    boxes = [Bound(v - half, v, v + half) for v in levels]
    result = loglinear_slope_pct(years, boxes)
    for pick in (lambda b: b.lo, lambda b: b.hi, lambda b: b.value):
        chosen = [Bound(pick(b), pick(b), pick(b)) for b in boxes]
        slope = loglinear_slope_pct(years, chosen).value
        assert result.lo - 1e-9 <= slope <= result.hi + 1e-9
    assert not math.isnan(result.lo)


@given(st.floats(min_value=1, max_value=1e6), st.floats(min_value=1, max_value=1e6),
       st.floats(min_value=0, max_value=0.5), st.floats(min_value=0, max_value=0.5))
def test_change_range_contains_the_corners(base, end, rb, re):
    b = Bound(base * (1 - rb / 2), base, base * (1 + rb / 2))
    e = Bound(end * (1 - re / 2), end, end * (1 + re / 2))
    result = change_pct(b, e)
    for x in (b.lo, b.hi):
        for y in (e.lo, e.hi):
            assert result.lo - 1e-6 <= 100 * (y / x - 1) <= result.hi + 1e-6


def test_judgements_exactly_on_their_boundaries():
    # within: closed at both ends; at_least: "at or above"; above: strictly above
    claimed = Bound(2.5, 3.0, 3.5)
    assert within(Bound(2.5, 2.5, 2.5), claimed) is True
    assert within(Bound(3.5, 3.5, 3.5), claimed) is True
    assert within(Bound(2.4, 2.45, 2.5), claimed) is None  # touches the low end from outside
    assert within(Bound(3.5, 3.55, 3.6), claimed) is None
    assert at_least(Bound(5.0, 5.0, 5.0), 5.0) is True
    assert at_least(Bound(4.0, 4.5, 5.0), 5.0) is None  # its top is on the threshold: not all below
    assert above(Bound(5.0, 5.0, 5.0), 5.0) is False
    assert above(Bound(5.0, 5.5, 6.0), 5.0) is None  # its bottom is on the threshold: not all above
