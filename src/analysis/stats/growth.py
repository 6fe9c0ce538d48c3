"""Growth arithmetic on annual series: changes between two years, indices, shares.

Every function takes a :class:`pandas.Series` indexed by integer year (e.g. ``2010, 2011, ...``).
Missing years fail loudly with the years that *are* available, because a silently shifted base
year is the most common way a reproduced claim goes wrong.

:func:`rest_of` gives the nation minus the region (a comparator that does not contain the region).

The ``format_*`` helpers give the house style for numbers in sentences: thousands separators,
a typographic minus sign (−) and an explicit plus sign on changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

MINUS = "\u2212"  # typographic minus: "−14,300" reads better than "-14,300" in a report


# --- formatting -------------------------------------------------------------------------------


def format_number(value: float, decimals: int | None = None) -> str:
    """``276400`` -> ``"276,400"``; whole numbers and large values get no decimals, others one.

    Pass ``decimals`` to fix the number of decimals. NaN gives ``"n/a"``.
    """
    if value is None or pd.isna(value):
        return "n/a"
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 1000 else 1
    text = f"{abs(value):,.{decimals}f}"
    # a value that rounds to zero must not keep its sign ("−0")
    negative = value < 0 and float(text.replace(",", "")) != 0
    return f"{MINUS}{text}" if negative else text


def format_signed(value: float, decimals: int | None = None) -> str:
    """A change with its sign: ``+1,800``, ``−14,300``, ``0``."""
    text = format_number(value, decimals)
    if text == "n/a" or text.startswith(MINUS) or float(text.replace(",", "")) == 0:
        return text
    return f"+{text}"


def format_percent(value: float, decimals: int = 1, signed: bool = True) -> str:
    """``-5.17`` -> ``"−5.2%"`` (``signed`` adds ``+`` to increases)."""
    text = format_signed(value, decimals) if signed else format_number(value, decimals)
    return text if text == "n/a" else f"{text}%"


def describe_years(years: Iterable[int]) -> str:
    """Compact list of years: ``[2010, 2011, 2012, 2015]`` -> ``"2010–2012, 2015"``."""
    ordered = sorted({int(y) for y in years})
    if not ordered:
        return "none"
    runs: list[tuple[int, int]] = []
    for year in ordered:
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in runs)


# --- looking up values --------------------------------------------------------------------------


def available_years(series: pd.Series) -> list[int]:
    """The years of ``series`` that carry a value (not NaN), sorted."""
    return sorted(int(y) for y in series.dropna().index)


def value_at(series: pd.Series, year: int) -> float:
    """The value of ``series`` in ``year``.

    Raises ValueError naming the year and the years that have values when the year is absent,
    duplicated or NaN (CBS suppresses cells; those arrive as NaN).
    """
    if year not in series.index:
        raise ValueError(
            f"year {year} is not in the series{_named(series)}; "
            f"years with values: {describe_years(available_years(series))}"
        )
    if series.index.has_duplicates and (series.index == year).sum() > 1:
        raise ValueError(f"year {year} occurs more than once in the series{_named(series)}")
    value = series.loc[year]
    if pd.isna(value):
        raise ValueError(
            f"the series{_named(series)} has no value for {year} (NaN, e.g. suppressed); "
            f"years with values: {describe_years(available_years(series))}"
        )
    return float(value)


def _named(series: pd.Series) -> str:
    return f" '{series.name}'" if series.name is not None else ""


# --- changes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The change of a series between two years.

    ``percent`` and ``index`` are NaN when the base value is 0 (growth from zero is undefined).
    ``unit`` only labels the numbers in :meth:`arithmetic` (e.g. ``"jobs"``).
    """

    base_year: int
    end_year: int
    base_value: float
    end_value: float
    absolute: float  # end_value - base_value
    percent: float  # 100 * absolute / base_value
    index: float  # 100 * end_value / base_value (base year = 100)
    unit: str = ""

    def arithmetic(self) -> str:
        """The computation in numbers, e.g. ``"276,400 → 262,100: −14,300 jobs (−5.2%)"``."""
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{format_number(self.base_value)} \u2192 {format_number(self.end_value)}: "
            f"{format_signed(self.absolute)}{unit} ({format_percent(self.percent)})"
        )

    def to_dict(self) -> dict[str, object]:
        """Plain Python values (ints, floats, str) for tables and JSON."""
        record: dict[str, object] = asdict(self)
        record["arithmetic"] = self.arithmetic()
        return record


def change(series: pd.Series, base: int, end: int, *, unit: str = "") -> Change:
    """The absolute and relative change of ``series`` from year ``base`` to year ``end``.

    Raises ValueError naming the missing year (and the years available) if ``base`` or ``end``
    is absent or NaN.
    """
    base_value = value_at(series, base)
    end_value = value_at(series, end)
    absolute = end_value - base_value
    if base_value == 0:
        percent = index = math.nan
    else:
        percent = 100.0 * absolute / base_value
        index = 100.0 * end_value / base_value
    return Change(int(base), int(end), base_value, end_value, absolute, percent, index, unit)


def index_series(series: pd.Series, base: int) -> pd.Series:
    """``series`` rescaled so that the value in ``base`` is 100."""
    base_value = value_at(series, base)
    if base_value == 0:
        raise ValueError(f"cannot index to {base}: the value in the base year is 0")
    return 100.0 * series.astype(float) / base_value


def share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part`` as a percentage of ``whole``, aligned on the index.

    NaN where ``whole`` is 0 or either side lacks the year.
    """
    whole = whole.astype(float).where(whole != 0)  # a zero total gives NaN, not inf
    return 100.0 * part.astype(float) / whole


def rest_of(whole: pd.Series | pd.DataFrame, part: pd.Series | pd.DataFrame, *,
            tolerance: float = 0.0) -> pd.Series | pd.DataFrame:
    """``whole`` minus ``part`` (e.g. the nation minus the region: "the rest of the country").

    Aligned on the index (and columns); a year or sector missing on either side gives NaN.
    Raises ValueError where the part exceeds the whole by more than ``tolerance`` (give the
    rounding step of the data when both are rounded), naming the first such labels.
    """
    if isinstance(whole, pd.Series) != isinstance(part, pd.Series):
        raise TypeError("whole and part must both be Series or both DataFrames")
    rest = whole.astype(float).sub(part.astype(float))
    negative = rest < -abs(tolerance)
    if isinstance(rest, pd.DataFrame):
        labels = negative.stack(future_stack=True)
        labels = labels[labels].index.tolist()
    else:
        labels = rest.index[negative].tolist()
    if labels:
        raise ValueError(f"the part exceeds the whole at {labels[:5]}: is the part really "
                         "contained in the whole (same concept, same vintage)?")
    name = getattr(whole, "name", None)
    part_name = getattr(part, "name", None)
    if isinstance(rest, pd.Series) and name is not None and part_name is not None:
        rest.name = f"{name} minus {part_name}"
    return rest


def changes_table(
    series: pd.Series,
    bases: Iterable[int],
    ends: Iterable[int],
    *,
    unit: str = "",
    skip_missing: bool = False,
) -> pd.DataFrame:
    """One row per (base, end) combination with base < end: the fields of :class:`Change`.

    Stress tests vary base and end years; with ``skip_missing=True`` combinations that touch a
    missing or NaN year are left out instead of raising.
    """
    ends = list(ends)
    rows = []
    for base in bases:
        for end in ends:
            if base >= end:
                continue
            try:
                rows.append(change(series, base, end, unit=unit).to_dict())
            except ValueError:
                if not skip_missing:
                    raise
    columns = [*Change.__dataclass_fields__, "arithmetic"]
    return pd.DataFrame(rows, columns=columns)
