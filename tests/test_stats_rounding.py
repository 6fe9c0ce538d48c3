"""Rounding to the precision of the data: hand-worked values, the data's step, intervals."""

from __future__ import annotations

import math

import pytest

from analysis.stats.rounding import (
    data_step,
    jobs_step,
    round_interval,
    round_rate,
    round_to_precision,
    rounding_interval,
)


def test_round_to_precision_hand_worked() -> None:
    # the example: 37,343 on data rounded to hundreds
    assert round_to_precision(37_343, 100) == 37_300
    assert round_to_precision(37_343, 50) == 37_350  # 37,343 / 50 = 746.86 -> 747 * 50
    assert round_to_precision(37_350, 100) == 37_400  # half away from zero
    assert round_to_precision(-37_350, 100) == -37_400
    assert round_to_precision(0.25, 0.1) == 0.3  # Python's round(0.25, 1) gives 0.2
    assert round_to_precision(1.45, 0.1) == 1.5  # round(1.45, 1) gives 1.4 (binary 1.4499...)
    assert round_to_precision(-0.04, 0.1) == 0.0 and math.copysign(1, round_rate(-0.04)) == 1
    assert math.isnan(round_to_precision(math.nan, 100))
    assert round_rate(-5.17) == -5.2 and round_rate(3.05) == 3.1
    with pytest.raises(ValueError, match="positive number"):
        round_to_precision(1.0, 0)


def test_interval_rounded_outward_and_rounding_interval() -> None:
    # "37,343 (35,238 to 39,574)" -> interval shown as 35,200 to 39,600 (contains the computed)
    assert round_interval(35_238, 39_574, 100) == (35_200, 39_600)
    assert round_interval(-1.26, 2.91, 0.1) == (-1.3, 3.0)
    assert rounding_interval(3, 1) == (2.5, 3.5)  # "3%" = [2.5, 3.5)
    assert rounding_interval(1_800, 100) == (1_750, 1_850)
    with pytest.raises(ValueError, match="above its high end"):
        round_interval(2, 1, 1)


def test_data_step_and_jobs_step() -> None:
    assert data_step([276_400, 270_000, 268_100, math.nan]) == 100
    assert data_step([1_250, 3_500]) == 50
    assert data_step([1_234, 17]) == 1
    assert data_step([0.5, 1.25]) is None
    assert jobs_step([276_400, 270_000]) == 100
    assert jobs_step([5_000, 7_000]) == 100  # multiples of 1000 still give 100 at most
    assert jobs_step([1_234, 17]) == 50
    with pytest.raises(ValueError, match="no finite values"):
        data_step([math.nan])
