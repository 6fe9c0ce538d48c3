"""Cells of the CBS jobs table the trend engine needs: hierarchy bounds of suppressed cells, one release.

- :func:`hierarchy_bounds`: the interval of every SBI section of one region and year from the
  cells CBS published (parents are sums of their parts; a published cell stands for +/- 50);
- :func:`cell_bounds`: those bounds for one cell (or a sum of sections) of the jobs table;
- :func:`one_vintage`: the jobs table with one release of a source table, where jobs.csv holds
  several side by side.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.engine import series as ser
from analysis.processing.sbi import SBI_PARTS

PUBLISHED_UNIT = 100.0  # CBS rounds to 0.1 thousand


def hierarchy_bounds(cells: dict[str, float], unit: float = PUBLISHED_UNIT,
                     passes: int = 6) -> dict[str, tuple[float, float]]:
    """Interval of every SBI section of one region and year from the published cells.

    ``cells``: section code -> published value (NaN or absent = suppressed). A published value is
    the interval ``[v - unit/2, v + unit/2]`` (CBS rounding); a suppressed one starts as
    ``[0, inf]``. Every parent equals the sum of its parts (:data:`SBI_PARTS`), so intervals are
    narrowed both ways (parent from the parts; part from the parent minus the other parts) until
    nothing changes. Returns code -> (low, high); ``high`` may stay ``inf``.
    """
    codes = set(SBI_PARTS) | {p for parts in SBI_PARTS.values() for p in parts}
    half = unit / 2.0
    bounds: dict[str, list[float]] = {}
    for code in codes:
        value = cells.get(code, math.nan)
        bounds[code] = ([max(0.0, value - half), value + half] if not math.isnan(value)
                        else [0.0, math.inf])
    for _ in range(passes):
        changed = False
        for parent, parts in SBI_PARTS.items():
            lo_sum = sum(bounds[p][0] for p in parts)
            hi_sum = sum(bounds[p][1] for p in parts)
            new_parent = [max(bounds[parent][0], lo_sum), min(bounds[parent][1], hi_sum)]
            changed |= new_parent != bounds[parent]
            bounds[parent] = new_parent
            for part in parts:
                others_lo = sum(bounds[p][0] for p in parts if p != part)
                others_hi = sum(bounds[p][1] for p in parts if p != part)
                new = [max(bounds[part][0], bounds[parent][0] - others_hi),
                       min(bounds[part][1], bounds[parent][1] - others_lo)]
                changed |= new != bounds[part]
                bounds[part] = new
        if not changed:
            break
    return {code: (low, high) for code, (low, high) in bounds.items()}


def cell_bounds(jobs: pd.DataFrame, region: str, sbi: str, year: int,
                source_table: str = ser.MAIN_TABLE) -> tuple[float, float]:
    """Bounds of one (possibly suppressed) jobs cell; a sum of sections ('C+J+M') adds the parts."""
    rows = ser._index(jobs).corop.get((source_table, int(year)))
    if rows is None:
        return (math.nan, math.nan)
    rows = rows[(rows["region_code"] == region) & ~rows["derived"]]
    cells = {str(c): float(v) for c, v in zip(rows["sbi_code"], rows["employee_jobs"], strict=True)
             if pd.notna(v)}
    bounds = hierarchy_bounds(cells)
    low = sum(bounds[p][0] for p in ser.sbi_parts(sbi))
    high = sum(bounds[p][1] for p in ser.sbi_parts(sbi))
    return (low, high)


_VINTAGE_CACHE: dict[tuple[int, int, str, str | None], pd.DataFrame] = {}


def one_vintage(jobs: pd.DataFrame, source_table: str, vintage: str | None = None) -> pd.DataFrame:
    """``jobs`` with one release of ``source_table`` (rows of other tables kept).

    jobs.csv may hold several releases of one table side by side (column ``vintage``). Default:
    the release that covers the latest year (ties: the last label in sort order). Cached per
    table object, so the series index built on the result is reused.
    """
    if "vintage" not in jobs.columns:
        return jobs
    key = (id(jobs), len(jobs), source_table, vintage)
    if key in _VINTAGE_CACHE:
        return _VINTAGE_CACHE[key]
    rows = jobs[jobs["source_table"] == source_table]
    labels = rows.groupby(rows["vintage"].astype(str))["year"].max()
    if len(labels) <= 1 and vintage is None:
        return jobs
    if vintage is None:
        vintage = max(labels.index, key=lambda v: (labels[v], v))
    elif vintage not in labels.index:
        raise ValueError(f"{source_table} has no release {vintage!r}; releases: "
                         f"{', '.join(sorted(labels.index))}")
    keep = (jobs["source_table"] != source_table) | (jobs["vintage"].astype(str) == vintage)
    _VINTAGE_CACHE.clear()  # one table at a time is enough; keeps memory bounded
    _VINTAGE_CACHE[key] = jobs[keep]
    return _VINTAGE_CACHE[key]
