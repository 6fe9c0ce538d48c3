"""Percentile ranks: hand-worked raw, tied, two-sided, standardised and bounded ranks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.stats.placebo import (
    percentile_rank,
    rmspe,
    standardised_metric,
    standardised_rank,
)

VALUES = {"A": 5.0, "B": 3.0, "C": 8.0, "D": 1.0}


def test_raw_rank_hand_worked() -> None:
    # greater: at least as high as B's 3 are C (8), A (5) and B itself -> rank 3 of 4 = 75%
    result = percentile_rank(VALUES, "B")
    assert (result.rank, result.n_units, result.percentile_rank) == (3, 4, 0.75)
    assert list(result.values.index) == ["C", "A", "B", "D"]
    # less: at least as low as 3 are B and D -> rank 2 of 4
    assert percentile_rank(VALUES, "B", alternative="less").rank == 2
    # two-sided: median of 1, 3, 5, 8 = 4; distances A 1, B 1, C 4, D 3 -> all 4 at least 1
    assert percentile_rank(VALUES, "B", alternative="two-sided").rank == 4
    # C is the highest: rank 1 of 4 = 25%
    assert percentile_rank(VALUES, "C").percentile_rank == 0.25
    text = percentile_rank(VALUES, "C", label="growth").explanation("Twente")
    assert "Twente ranks 1 of 4 regions on growth" in text and "nothing is permuted" in text


def test_ties_count_against_the_focal_unit() -> None:
    # A and E both 5: for A, units at least as high: C, A, E -> rank 3
    assert percentile_rank({**VALUES, "E": 5.0}, "A").rank == 3


def test_dropped_units_bounded_hand_worked() -> None:
    values = {**VALUES, "E": math.nan, "F": math.nan}
    # E (suppressed) lies within (2, 4): it may be above B's 3 (4 >= 3) but need not (2 < 3);
    # F has no bounds: anything. Best rank: 3 + 0 = 3; worst: 3 + 2 = 5; of 4 + 2 = 6 units.
    result = percentile_rank(values, "B", dropped={"E": "suppressed"}, bounds={"E": (2.0, 4.0)})
    assert (result.rank, result.n_units) == (3, 4)
    assert result.dropped == {"E": "suppressed", "F": "no value"}
    assert (result.best_rank, result.worst_rank, result.n_units_bounded) == (3, 5, 6)
    assert result.best_percentile_rank == pytest.approx(3 / 6)
    assert result.worst_percentile_rank == pytest.approx(5 / 6)
    # E within (3.5, 9): it must be above 3 -> best 4 of 5 (F not in this call)
    narrow = percentile_rank({**VALUES, "E": math.nan}, "B", bounds={"E": (3.5, 9.0)})
    assert (narrow.best_rank, narrow.worst_rank, narrow.n_units_bounded) == (4, 4, 5)
    # less: E within (2, 4) may be at most 3 (2 <= 3) but need not (4 > 3) -> ranks 2..3
    lower = percentile_rank({**VALUES, "E": math.nan}, "B", alternative="less",
                            bounds={"E": (2.0, 4.0)})
    assert (lower.best_rank, lower.worst_rank) == (2, 3)
    assert "between 2 and 3 of 5" in lower.explanation()


def test_rank_errors() -> None:
    with pytest.raises(ValueError, match="focal unit 'E' has no value"):
        percentile_rank({**VALUES, "E": math.nan}, "E")
    with pytest.raises(ValueError, match="not dropped"):
        percentile_rank(VALUES, "B", bounds={"A": (0, 1)})
    with pytest.raises(ValueError, match="one-sided"):
        percentile_rank({**VALUES, "E": math.nan}, "B", alternative="two-sided",
                        bounds={"E": (0, 1)})
    with pytest.raises(ValueError, match="alternative must be one of"):
        percentile_rank(VALUES, "B", alternative="bigger")


def test_standardised_metric_hand_worked() -> None:
    # pre gaps 1, -1, 1, -1 -> RMSPE 1; post 2, 2 -> RMSPE 2, mean 2
    assert rmspe([1, -1, 1, -1]) == 1.0
    assert standardised_metric([1, -1, 1, -1], [2, 2]) == 2.0
    assert standardised_metric([1, -1, 1, -1], [2, -2], "mean_over_rmspe") == 0.0
    # a noisier unit: pre RMSPE 2, the same post gaps -> ratio 1
    assert standardised_metric([2, -2, 2, -2], [2, 2]) == 1.0
    assert math.isnan(standardised_metric([0, 0], [1]))


def test_standardised_rank_can_differ_from_the_raw_rank() -> None:
    """A small, noisy region with the largest post-period gap is not the most unusual one."""
    years_pre, years_post = [2010, 2011, 2012, 2013], [2014, 2015]
    pre = pd.DataFrame([[1, -1, 1, -1], [4, -4, 4, -4], [0.5, -0.5, 0.5, -0.5]],
                       index=["big", "small", "steady"], columns=years_pre, dtype=float)
    post = pd.DataFrame([[2, 2], [5, 5], [1, 1]], index=pre.index, columns=years_post,
                        dtype=float)
    # raw mean post gap: small 5 > big 2 > steady 1 -> "small" ranks first
    raw = percentile_rank(post.mean(axis=1), "small")
    assert raw.rank == 1
    # RMSPE ratios: big 2/1 = 2, small 5/4 = 1.25, steady 1/0.5 = 2 -> small ranks 3 of 3
    ratio = standardised_rank(pre, post, "small")
    assert ratio.values.to_dict() == pytest.approx({"big": 2.0, "steady": 2.0, "small": 1.25})
    assert (ratio.rank, ratio.percentile_rank) == (3, 1.0)
    signed = standardised_rank(pre, post, "big", statistic="mean_over_rmspe",
                               alternative="greater")
    assert signed.rank == 2 and signed.value == pytest.approx(2.0)  # ties steady (1/0.5 = 2)
    with pytest.raises(ValueError, match="give alternative"):
        standardised_rank(pre, post, "big", statistic="mean_over_rmspe")
    with pytest.raises(ValueError, match="same units"):
        standardised_rank(pre, post.drop("big"), "small")
    assert np.isfinite(ratio.to_dict()["percentile_rank"])


# --- property: the bounded ranks are the extremes over every placement of the dropped units -----

finite = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(finite, min_size=1, max_size=6), st.lists(st.tuples(finite, finite), max_size=3),
       st.sampled_from(["greater", "less"]))
def test_bounded_ranks_are_the_extremes_over_all_placements(known, intervals, alternative) -> None:
    """Brute force, independent of the function: put every dropped unit at each end of its
    interval (the rank is monotone in each value, so the extremes are at the ends), rank the
    focal unit (the first known one) in each completed set, and take the minimum and maximum."""
    values = {f"k{i}": v for i, v in enumerate(known)}
    bounds = {f"d{j}": (min(a, b), max(a, b)) for j, (a, b) in enumerate(intervals)}
    result = percentile_rank({**values, **dict.fromkeys(bounds, math.nan)}, "k0",
                             alternative=alternative, bounds=bounds)
    focal = values["k0"]
    ranks = []
    for ends in itertools.product(*[bounds[d] for d in bounds]):
        every = [*values.values(), *ends]
        ranks.append(sum((v >= focal) if alternative == "greater" else (v <= focal)
                         for v in every))
    assert result.best_rank == min(ranks)
    assert result.worst_rank == max(ranks)
    assert result.n_units_bounded == len(values) + len(bounds)
