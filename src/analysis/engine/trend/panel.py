"""The COROP regions' values of one SBI series in one concept, year by year (for the placebos).

``jobs_panel`` reads employee jobs (suppressed cells NaN, with their SBI-hierarchy bounds);
``accounts_panel`` reads labour volume of one edition of the regional accounts; ``rest_totals``
sums the regions per year (suppressed cells at the midpoint of their bounds, or NaN where the
bounds are too wide), so that each region's rest of the nation is ``total - region``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.engine import series as ser
from analysis.engine.trend import series as ts

MIN_TREND_POINTS = 4


@dataclass(frozen=True)
class Panel:
    values: pd.DataFrame  # year x region code, NaN where suppressed
    bounds: dict[tuple[str, int], tuple[float, float]]  # (region, year) -> hierarchy bounds
    names: dict[str, str]


def jobs_panel(jobs: pd.DataFrame, sbi: str, years: list[int], source_table: str) -> Panel:
    names = {c: ser.short_name(n) for c, n in ser.corop_regions(jobs).items()}
    columns = {}
    bounds: dict[tuple[str, int], tuple[float, float]] = {}
    for code in names:
        values = ser.jobs_series(jobs, code, sbi, source_table).reindex(years)
        columns[code] = values
        for year in values.index[values.isna()]:
            bounds[(code, int(year))] = ts.cell_bounds(jobs, code, sbi, int(year), source_table)
    return Panel(pd.DataFrame(columns, index=years), bounds, names)


def accounts_panel(accounts: pd.DataFrame, sbi: str, years: list[int], source_table: str,
                    measure: str) -> Panel:
    ts.check_accounts(accounts)
    rows = accounts[(accounts["source_table"].astype(str) == source_table)
                    & (accounts["sbi_code"].astype(str) == sbi)
                    & (accounts["region_level"].astype(str) == "corop")]
    if rows.empty:
        raise ValueError(f"no COROP rows for table {source_table!r} and SBI {sbi!r} in the "
                         "regional accounts")
    wide = rows.pivot_table(index="year", columns="region_code", values=measure, aggfunc="last")
    names = dict(zip(rows["region_code"].astype(str),
                     rows["region_name"].astype(str).map(ser.short_name), strict=True))
    return Panel(wide.reindex(years), {}, dict(sorted(names.items())))


def rest_totals(panel: Panel) -> pd.Series:
    """Per year the sum over all regions, suppressed cells at the midpoint of their bounds.

    A year whose bounds leave the total more than :data:`analysis.engine.trend.series.MAX_BOUND_SHARE` uncertain
    (or unbounded) gets NaN: the standardised scores then use the other years.
    """
    totals = {}
    for year in panel.values.index:
        row = panel.values.loc[year]
        low = high = float(row.sum())
        for code in row.index[row.isna()]:
            cell_low, cell_high = panel.bounds.get((code, int(year)), (math.nan, math.inf))
            low, high = low + cell_low, high + cell_high
        middle = (low + high) / 2.0
        usable = math.isfinite(high) and middle > 0 and (high - low) / middle <= ts.MAX_BOUND_SHARE
        totals[int(year)] = middle if usable else math.nan
    return pd.Series(totals, dtype=float)
