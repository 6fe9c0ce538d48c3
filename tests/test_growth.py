"""Growth arithmetic: hand-worked changes, indices, shares and the errors on missing years."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.stats.growth import (
    Change,
    change,
    changes_table,
    describe_years,
    format_number,
    format_percent,
    format_signed,
    index_series,
    share,
    value_at,
)

MINUS = "\u2212"


@pytest.fixture
def jobs() -> pd.Series:
    # manufacturing-like series with a suppressed (NaN) year, as CBS delivers it
    return pd.Series(
        {2010: 276_400.0, 2011: 270_000.0, 2012: 268_000.0, 2013: math.nan, 2014: 265_000.0,
         2016: 262_100.0},
        name="jobs",
    )


def test_change_hand_worked(jobs: pd.Series) -> None:
    result = change(jobs, 2010, 2016, unit="jobs")
    assert (result.base_year, result.end_year) == (2010, 2016)
    assert (result.base_value, result.end_value) == (276_400.0, 262_100.0)
    assert result.absolute == -14_300.0
    assert result.percent == pytest.approx(-14_300 / 276_400 * 100)  # -5.1737...
    assert result.index == pytest.approx(262_100 / 276_400 * 100)  # 94.826...
    assert result.arithmetic() == f"276,400 \u2192 262,100: {MINUS}14,300 jobs ({MINUS}5.2%)"


def test_change_growth_of_three_percent() -> None:
    htsm = pd.Series({2010: 60_000, 2016: 61_800})
    result = change(htsm, 2010, 2016)
    assert result.absolute == 1_800
    assert result.percent == pytest.approx(3.0)
    assert result.index == pytest.approx(103.0)
    assert result.arithmetic() == "60,000 \u2192 61,800: +1,800 (+3.0%)"


def test_change_to_dict_has_plain_values(jobs: pd.Series) -> None:
    record = change(jobs, 2010, 2012, unit="jobs").to_dict()
    assert set(Change.__dataclass_fields__) | {"arithmetic"} == set(record)
    assert type(record["base_year"]) is int and type(record["percent"]) is float
    assert record["arithmetic"].startswith("276,400")


def test_missing_year_names_the_year_and_the_available_years(jobs: pd.Series) -> None:
    expected = r"year 2009 is not in the series 'jobs'; years with values: 2010\u20132012, 2014"
    with pytest.raises(ValueError, match=expected):
        change(jobs, 2009, 2016)


def test_nan_year_is_reported_as_missing_value(jobs: pd.Series) -> None:
    expected = r"no value for 2013 \(NaN.*years with values: 2010\u20132012, 2014, 2016"
    with pytest.raises(ValueError, match=expected):
        change(jobs, 2013, 2016)


def test_duplicate_year_is_refused() -> None:
    doubled = pd.Series([1.0, 2.0, 3.0], index=[2010, 2010, 2011])
    with pytest.raises(ValueError, match="2010 occurs more than once"):
        value_at(doubled, 2010)


def test_change_from_zero_has_no_percent() -> None:
    result = change(pd.Series({2010: 0.0, 2011: 5.0}), 2010, 2011)
    assert result.absolute == 5.0
    assert math.isnan(result.percent) and math.isnan(result.index)
    assert "n/a" in result.arithmetic()


def test_index_series_is_100_in_the_base_year(jobs: pd.Series) -> None:
    indexed = index_series(jobs, 2010)
    assert indexed[2010] == 100.0
    assert indexed[2016] == pytest.approx(94.8263386)
    assert math.isnan(indexed[2013])  # gaps stay gaps
    with pytest.raises(ValueError, match="no value for 2013"):
        index_series(jobs, 2013)


def test_share_in_percent_aligned_on_years() -> None:
    technical = pd.Series({2019: 9_000, 2020: 9_360, 2021: 0})
    students = pd.Series({2019: 25_000, 2020: 26_000, 2021: 0, 2022: 10})
    result = share(technical, students)
    assert result[2019] == pytest.approx(36.0)
    assert result[2020] == pytest.approx(36.0)
    assert math.isnan(result[2021])  # 0 of 0: undefined, not inf
    assert math.isnan(result[2022])  # no part for that year


def test_changes_table_has_every_base_before_end(jobs: pd.Series) -> None:
    table = changes_table(jobs, bases=[2010, 2011, 2016], ends=[2012, 2016])
    assert list(zip(table["base_year"], table["end_year"], strict=True)) == [
        (2010, 2012), (2010, 2016), (2011, 2012), (2011, 2016)
    ]
    row = table.set_index(["base_year", "end_year"]).loc[(2011, 2016)]
    assert row["absolute"] == -7_900.0
    assert row["percent"] == pytest.approx(-7_900 / 270_000 * 100)


def test_changes_table_skips_or_raises_on_missing_years(jobs: pd.Series) -> None:
    with pytest.raises(ValueError, match="no value for 2013"):
        changes_table(jobs, [2010, 2013], [2016])
    table = changes_table(jobs, [2010, 2013], [2016], skip_missing=True)
    assert table["base_year"].tolist() == [2010]


def test_formatting_helpers() -> None:
    assert format_number(276_400) == "276,400"
    assert format_number(36.04) == "36.0"
    assert format_number(-0.04) == "0.0"  # no "−0.0"
    assert format_number(math.nan) == "n/a"
    assert format_signed(1_760.2) == "+1,760"
    assert format_signed(-14_300) == f"{MINUS}14,300"
    assert format_signed(0) == "0"
    assert format_percent(-5.17) == f"{MINUS}5.2%"
    assert format_percent(3, signed=False) == "3.0%"
    assert describe_years([2015, 2010, 2011, 2012, 2018, 2017]) == (
        "2010\u20132012, 2015, 2017\u20132018"
    )
    assert describe_years([]) == "none"


def test_rest_of_the_nation_hand_worked() -> None:
    from analysis.stats.growth import rest_of

    nation = pd.Series({2010: 276_400.0, 2011: 270_000.0, 2012: 268_000.0}, name="NL")
    twente = pd.Series({2010: 14_700.0, 2011: 14_500.0, 2013: 14_000.0}, name="Twente")
    rest = rest_of(nation, twente)
    # 276,400 - 14,700 = 261,700; 270,000 - 14,500 = 255,500; 2012 and 2013 lack one side
    assert rest[2010] == 261_700.0 and rest[2011] == 255_500.0
    assert math.isnan(rest[2012]) and math.isnan(rest[2013])
    assert rest.name == "NL minus Twente"
    frame = rest_of(pd.DataFrame({2010: [10.0, 20.0]}, index=["C", "G"]),
                    pd.DataFrame({2010: [4.0, 5.0]}, index=["C", "G"]))
    assert frame[2010].tolist() == [6.0, 15.0]
    with pytest.raises(ValueError, match=r"the part exceeds the whole at \[2010\]"):
        rest_of(pd.Series({2010: 100.0}), pd.Series({2010: 150.0}))
    # rounded data: a part 50 above the whole is within a rounding step of 100
    assert rest_of(pd.Series({2010: 100.0}), pd.Series({2010: 150.0}), tolerance=100)[2010] == -50
    with pytest.raises(TypeError, match="must both be Series"):
        rest_of(nation, frame)
