"""Numbers in the trend texts: F to one decimal, p to two significant digits, both languages.

Expectations worked out by hand; roundings sit on their boundaries (half away from zero: 0.0425
-> 0.043, F 2.25 -> 2.3; p at 0.001 itself is a value, just below it reads "< 0.001").
"""

from __future__ import annotations

import math

import pytest

from analysis.engine.trend import stats as trend_stats
from analysis.engine.trend import texts as tx

P_CASES = [  # p-value, English, Dutch
    (0.043, "p = 0.043", "p = 0,043"),
    (0.0012, "p = 0.0012", "p = 0,0012"),
    (0.31, "p = 0.31", "p = 0,31"),
    (0.0425, "p = 0.043", "p = 0,043"),  # half away from zero (half to even would give 0.042)
    (0.04249, "p = 0.042", "p = 0,042"),
    (0.00125, "p = 0.0013", "p = 0,0013"),
    (0.0995, "p = 0.10", "p = 0,10"),  # rounding up adds a digit in front: still two digits
    (0.05, "p = 0.050", "p = 0,050"),
    (0.12345, "p = 0.12", "p = 0,12"),
    (0.99951, "p = 1.0", "p = 1,0"),
    (1.0, "p = 1.0", "p = 1,0"),
    (0.001, "p = 0.0010", "p = 0,0010"),  # on the boundary: not "below 0.001"
    (0.000999, "p < 0.001", "p < 0,001"),  # just below it
    (0.0, "p < 0.001", "p < 0,001"),
]


@pytest.mark.parametrize(("p_value", "english", "dutch"), P_CASES)
def test_p_values_to_two_significant_digits(p_value, english, dutch):
    text = tx.p_text(p_value)
    assert text.render("en") == english
    assert text.render("nl") == dutch


F_CASES = [  # F, English, Dutch
    (2.25, "2.3", "2,3"),  # half away from zero (Babel alone: 2.2)
    (2.2499, "2.2", "2,2"),
    (39.76, "39.8", "39,8"),
    (18.34, "18.3", "18,3"),
    (0.04, "0.0", "0,0"),
    (1234.56, "1,234.6", "1.234,6"),
]


@pytest.mark.parametrize(("statistic", "english", "dutch"), F_CASES)
def test_f_statistics_to_one_decimal(statistic, english, dutch):
    assert tx.f_num(statistic).format("en") == english
    assert tx.f_num(statistic).format("nl") == dutch


def test_missing_numbers_read_as_a_dash():
    assert tx.f_num(math.nan).format("en") == "–"
    assert tx.p_num(math.nan).format("nl") == "–"


def test_segmented_text_uses_both_roundings():
    segmented = trend_stats.Segmented(first_post_year=2017, pre_growth_pct=-1.46,
                                      post_growth_pct=0.84, f_statistic=39.76, f_df_num=2,
                                      f_df_denom=11, f_p_value=0.00765, n_pre=7, n_post=8,
                                      rho_max=0.8)
    text = tx.segmented_text(segmented, 2024)
    english, dutch = text.render("en"), text.render("nl")
    assert "(F = 39.8 on (2, 11) degrees of freedom, p = 0.0077)" in english
    assert "(F = 39,8 bij (2, 11) vrijheidsgraden, p = 0,0077)" in dutch


def test_sup_f_text_statistic_and_critical_value_to_one_decimal():
    result = trend_stats.UnknownDate(statistic=39.76, critical_value=29.99, p_value=0.0243,
                                     best_year=2017, n_candidates=10, n_significant_alone=10,
                                     first_candidate=2013, last_candidate=2022, rho_max=0.8)
    english = tx.sup_f_text(result).render("en")
    assert "critical value 30.0 from" in english and "sup-F = 39.8, p = 0.024." in english


def test_interval_text_p_value():
    slope = trend_stats.Slope(growth_pct=-0.84, ci_low=-3.61, ci_high=2.01, p_value=0.3712,
                              inference_valid=True, reason="", n=7,
                              years=tuple(range(2010, 2017)), method="", rho_max=0.8)
    assert tx.inference_text(slope).render("en") == "95% interval -3.6% to +2.0%, p = 0.37"
    assert tx.inference_text(slope).render("nl") == "95%-interval -3,6% tot +2,0%, p = 0,37"
