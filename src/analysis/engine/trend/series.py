"""A region's series and its comparator in one concept: the inputs of the trend models and placebos.

Where a region is compared with the nation, the comparator is **the nation minus the region** (the
rest of the nation): Twente is about 5% of national industry, and a comparator that contains the
region shrinks every difference by that share. The nation including the region is used only where
a parameter says the claim itself means it (``comparator="nation"``).

Concepts and how the rest of the nation is built:

- ``employee_jobs`` (CBS 83582NED, December): either CBS's published national rows minus the region
  (``national="published"``: rows of region ``NL01`` that CBS published, not derived here), or the sum
  of the other 39 COROP regions (``national="corop"``; CR99 "not assignable" is left out in every
  year, so the comparator has one definition throughout). A suppressed cell of another region is
  bounded by the SBI section hierarchy of that region and year (:func:`hierarchy_bounds`); the year
  keeps the midpoint of the bounds when their width is at most ``max_bound_share`` of the
  comparator, else it is dropped with the reason. ``national="auto"`` takes the published rows when
  give at least as many usable years as the COROP sum, else the COROP sum.
- ``labour_volume`` / ``labour_volume_employees`` (CBS regional accounts 84419NED, 85925NED:
  ``data/processed/regional_accounts.csv``): the nation row minus the region row of one edition.

Precision: CBS publishes jobs and labour volume in thousands with one decimal, so every level here is
known to 100 (``SeriesPair.precision``); figures built from them are shown rounded to that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.engine import series as ser
from analysis.engine.trend.cells import (  # noqa: F401 (re-exported: the engine's one entry point)
    PUBLISHED_UNIT,
    cell_bounds,
    hierarchy_bounds,
    one_vintage,
)
from analysis.i18n import Num, Text

CONCEPTS: tuple[str, ...] = ("employee_jobs", "labour_volume", "labour_volume_employees")
COMPARATORS: tuple[str, ...] = ("rest_of_nation", "nation")
NATIONAL_SOURCES: tuple[str, ...] = ("auto", "published", "corop")
ACCOUNTS_TABLES: tuple[str, ...] = ("84419NED", "85925NED")
ACCOUNTS_COLUMNS: tuple[str, ...] = (
    "source_table", "vintage", "region_code", "region_name", "region_level", "sbi_code", "year",
    "labour_volume_total", "labour_volume_employees", "value_added",
)
NATIONAL_TABLE = "83583NED"  # CBS's published national employee jobs by SBI
MAX_BOUND_SHARE = 0.01  # largest bound width (share of the comparator) a year may keep
UNITS = {"employee_jobs": "jobs", "labour_volume": "labour years",
         "labour_volume_employees": "labour years"}
_ACCOUNTS_MEASURE = {"labour_volume": "labour_volume_total",
                     "labour_volume_employees": "labour_volume_employees"}


@dataclass(frozen=True, eq=False)
class SeriesPair:
    """A region's series and its comparator, one row per year in ``frame``.

    ``frame`` columns: ``year, region, comparator, comparator_low, comparator_high`` (the bounds
    equal the value where nothing was suppressed; the comparator is NaN in a year where only it is
    unusable, so the region's own trend keeps that year). ``dropped``: year -> why the year has no
    region value or no comparator value.
    ``notes``: year -> how a value was made (bounded cells). ``comparator_text`` names the
    comparator in words (rest of the nation or the nation, and how it was built).
    """

    concept: str
    unit: str
    sbi: str
    region: str
    region_name: str
    comparator: str  # rest_of_nation | nation
    comparator_name: Text
    comparator_text: Text
    source: str  # table id(s), e.g. "83582NED" or "84419NED"
    frame: pd.DataFrame
    dropped: dict[int, Text] = field(default_factory=dict)
    notes: dict[int, Text] = field(default_factory=dict)
    precision: float = PUBLISHED_UNIT

    @property
    def region_series(self) -> pd.Series:
        return self.frame.set_index("year")["region"].rename(self.region_name)

    @property
    def comparator_series(self) -> pd.Series:
        return self.frame.set_index("year")["comparator"].rename(self.comparator)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(int(y) for y in self.frame["year"])

    def window(self, first: int, last: int) -> SeriesPair:
        """The same pair restricted to ``first``..``last``."""
        keep = self.frame["year"].between(first, last)
        return SeriesPair(**{**self.__dict__, "frame": self.frame[keep].reset_index(drop=True),
                             "dropped": {y: r for y, r in self.dropped.items() if first <= y <= last},
                             "notes": {y: n for y, n in self.notes.items() if first <= y <= last}})


# --- employee jobs ------------------------------------------------------------------------------------


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")


def _published_national(jobs: pd.DataFrame, sbi: str, vintage: str | None,
                        national_table: str | None, source_table: str) -> pd.Series:
    """CBS's published national rows (NL01, not derived here); NaN-free, indexed by year.

    ``national_table`` picks one source table; by default 83583NED (for the older release
    81402ned: its own national row).
    """
    rows = jobs[(jobs["region_code"] == ser.NATIONAL) & ~jobs["derived"]
                & jobs["employee_jobs"].notna()]
    if national_table is None:
        # the older release's own national row for that release; else CBS's national table by
        # SBI (83583NED) where present; else any other table but the older release (a different
        # revision of the same statistic)
        tables = set(rows["source_table"])
        if source_table == ser.OLDER_TABLE:
            national_table = ser.OLDER_TABLE
        elif NATIONAL_TABLE in tables:
            national_table = NATIONAL_TABLE
        elif source_table != ser.OLDER_TABLE:
            rows = rows[rows["source_table"] != ser.OLDER_TABLE]
    if national_table is not None:
        rows = rows[rows["source_table"] == national_table]
    if vintage is not None:
        if "vintage" not in jobs.columns:
            raise ValueError("the jobs table has no 'vintage' column: leave vintage=None")
        rows = rows[rows["vintage"].astype(str) == vintage]
    total = None
    for part in ser.sbi_parts(sbi):
        cells = rows[rows["sbi_code"] == part]
        # the newest source table or vintage wins where several publish the same year; of the
        # two period keys 81497NED has for 2011-2013 the second (it agrees with 83583NED)
        order = [c for c in ("vintage", "source_table", "period_status") if c in cells.columns]
        cells = cells.sort_values(order).drop_duplicates("year", keep="last")
        values = cells.set_index("year")["employee_jobs"].astype(float)
        total = values if total is None else total.add(values)
    result = (total if total is not None else pd.Series(dtype=float)).dropna().sort_index()
    used = rows[rows["sbi_code"].isin(ser.sbi_parts(sbi))]
    result.attrs["tables"] = " + ".join(sorted(set(used["source_table"].astype(str))))
    return result


def _corop_rest(jobs: pd.DataFrame, region: str, sbi: str, years: list[int], source_table: str,
                max_bound_share: float) -> tuple[dict[int, tuple[float, float, float]],
                                                 dict[int, Text], dict[int, Text]]:
    """Per year: (value, low, high) of the other 39 COROP regions, or the reason it has none."""
    codes = [c for c in ser.corop_regions(jobs) if c != region]
    values: dict[int, tuple[float, float, float]] = {}
    dropped: dict[int, Text] = {}
    notes: dict[int, Text] = {}
    for year in years:
        published = ser._corop_values(jobs, sbi, year, source_table)
        low = high = float(published.reindex(codes).sum())
        bounded: list[str] = []
        for code in codes:
            if code in published.index:
                continue
            cell_low, cell_high = cell_bounds(jobs, code, sbi, year, source_table)
            low, high = low + cell_low, high + cell_high
            bounded.append(code)
        if not bounded:
            values[year] = (low, low, low)
            continue
        listed = ", ".join(bounded)
        if not math.isfinite(high):
            dropped[year] = Text("trends.dropped.unbounded", {"year": Num(year, "year"),
                                                              "regions": listed})
            continue
        middle = (low + high) / 2.0
        share = (high - low) / middle if middle else math.inf
        if share > max_bound_share:
            dropped[year] = Text("trends.dropped.wide_bounds", {
                "year": Num(year, "year"), "regions": listed,
                "width": Num(100.0 * share, "percent", 1),
                "limit": Num(100.0 * max_bound_share, "percent", 1)})
            continue
        values[year] = (middle, low, high)
        notes[year] = Text("trends.note.bounded", {
            "year": Num(year, "year"), "regions": listed,
            "low": Num(low, round_to=PUBLISHED_UNIT), "high": Num(high, round_to=PUBLISHED_UNIT)})
    return values, dropped, notes


def employee_jobs_pair(
    jobs: pd.DataFrame,
    region: str,
    sbi: str,
    *,
    comparator: str = "rest_of_nation",
    national: str = "auto",
    vintage: str | None = None,
    national_table: str | None = None,
    national_vintage: str | None = None,
    source_table: str = ser.MAIN_TABLE,
    first_year: int | None = None,
    last_year: int | None = None,
    max_bound_share: float = MAX_BOUND_SHARE,
) -> SeriesPair:
    """Employee jobs of ``region`` in SBI ``sbi`` and of the rest of the nation (or the nation).

    ``national``: how the nation is known (module docstring). With ``comparator="nation"`` the
    comparator is the published national row, or the region plus the other COROP regions.
    ``vintage``: the release of ``source_table`` (default: :func:`one_vintage`);
    ``national_table`` / ``national_vintage`` pick the published national rows.
    """
    _check_choice(comparator, COMPARATORS, "comparator")
    _check_choice(national, NATIONAL_SOURCES, "national source")
    national_rows = jobs
    jobs = one_vintage(jobs, source_table, vintage)
    own = ser.jobs_series(jobs, region, sbi, source_table)
    years = [int(y) for y in own.index
             if (first_year is None or y >= first_year) and (last_year is None or y <= last_year)]
    if not years:
        raise ValueError(f"{source_table} has no years for {region} between {first_year} and "
                         f"{last_year}; years with data: {list(own.index)}")
    dropped: dict[int, Text] = {}
    for year in years:
        if pd.isna(own.get(year)):
            dropped[year] = Text("trends.dropped.region_suppressed", {
                "year": Num(year, "year"), "region": ser.short_name(own.attrs["region_name"])})
    published = _published_national(national_rows, sbi, national_vintage, national_table,
                                   source_table) if national != "corop" else pd.Series(
        dtype=float)
    if national == "auto":
        # the source with more usable comparator years (ties: CBS's published figure)
        corop_years = len(years) - len(_corop_rest(jobs, region, sbi, years, source_table,
                                                   max_bound_share)[1])
        published_years = len(set(years) & set(published.index))
        national = "published" if published_years and published_years >= corop_years \
            else "corop"
    notes: dict[int, Text] = {}
    if national == "published":
        missing = [y for y in years if y not in published.index]
        for year in missing:
            dropped.setdefault(year, Text("trends.dropped.no_national", {"year": Num(year, "year")}))
        rest = {y: (float(published[y]) - float(own[y]),) * 3 for y in years
                if y in published.index and pd.notna(own.get(y))}
        how = "published"
        national_source = published.attrs.get("tables") or NATIONAL_TABLE
    else:
        rest, corop_dropped, notes = _corop_rest(jobs, region, sbi, years, source_table,
                                                 max_bound_share)
        for year, reason in corop_dropped.items():
            dropped.setdefault(year, reason)
        how = "corop"
        national_source = source_table
    rows = []
    for year in years:
        if pd.isna(own.get(year)):
            continue
        value, low, high = rest.get(year, (math.nan,) * 3)
        mine = float(own[year])
        if comparator == "nation":
            value, low, high = value + mine, low + mine, high + mine
        rows.append({"year": year, "region": mine, "comparator": value,
                     "comparator_low": low, "comparator_high": high})
    frame = pd.DataFrame(rows, columns=["year", "region", "comparator", "comparator_low",
                                        "comparator_high"])
    name = ser.short_name(own.attrs["region_name"])
    source = source_table if how == "corop" else f"{source_table} + {national_source}"
    return SeriesPair(
        concept="employee_jobs", unit=UNITS["employee_jobs"], sbi=sbi, region=region,
        region_name=name, comparator=comparator,
        comparator_name=Text(f"trends.comparator.{comparator}", {"region": name}),
        comparator_text=Text(f"trends.comparator_how.{comparator}.{how}",
                             {"region": name, "table": national_source}),
        source=source, frame=frame, dropped=dict(sorted(dropped.items())), notes=notes)


# --- labour volume ------------------------------------------------------------------------------------


def load_accounts(path: Path | None = None) -> pd.DataFrame:
    """``data/processed/regional_accounts.csv``, checked on read like every processed table
    (:func:`analysis.processing.validate.load_table`)."""
    from analysis.processing.validate import load_table

    return load_table("regional_accounts", path)


def check_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """The regional-accounts table with the columns this module needs, or a ValueError naming them."""
    missing = [c for c in ACCOUNTS_COLUMNS if c not in accounts.columns]
    if missing:
        raise ValueError(f"the regional accounts table lacks the columns {missing}; expected "
                         f"{', '.join(ACCOUNTS_COLUMNS)} (data/processed/regional_accounts.csv)")
    return accounts


def labour_volume_pair(
    accounts: pd.DataFrame,
    region: str,
    sbi: str,
    source_table: str,
    *,
    concept: str = "labour_volume",
    comparator: str = "rest_of_nation",
    vintage: str | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
) -> SeriesPair:
    """Labour volume of ``region`` and of the nation minus the region in one accounts edition.

    The nation is the edition's own ``NL01`` row, so region and nation come from one publication.
    Values in the table are labour years (CBS's thousands multiplied out).
    """
    check_accounts(accounts)
    _check_choice(concept, tuple(_ACCOUNTS_MEASURE), "labour-volume concept")
    _check_choice(comparator, COMPARATORS, "comparator")
    measure = _ACCOUNTS_MEASURE[concept]
    rows = accounts[(accounts["source_table"].astype(str) == source_table)
                    & (accounts["sbi_code"].astype(str) == sbi)]
    if vintage is not None:
        rows = rows[rows["vintage"].astype(str) == vintage]
    if rows.empty:
        tables = sorted(set(accounts["source_table"].astype(str)))
        sbis = sorted(set(accounts["sbi_code"].astype(str)))
        raise ValueError(f"no regional-accounts rows for table {source_table!r}, SBI {sbi!r}"
                         f"{f', vintage {vintage!r}' if vintage else ''}; tables: {tables}; "
                         f"SBI codes: {sbis}")
    by_region = {code: group.drop_duplicates("year", keep="last").set_index("year")[measure]
                 .astype(float) for code, group in rows.groupby(rows["region_code"].astype(str))}
    for code in (region, ser.NATIONAL):
        if code not in by_region:
            raise ValueError(f"table {source_table} has no {sbi} rows for region {code}; regions: "
                             f"{', '.join(sorted(by_region))}")
    own, nation = by_region[region], by_region[ser.NATIONAL]
    name = ser.short_name(str(rows.loc[rows["region_code"].astype(str) == region,
                                       "region_name"].iloc[0]))
    years = sorted(int(y) for y in set(own.index) | set(nation.index)
                   if (first_year is None or y >= first_year)
                   and (last_year is None or y <= last_year))
    dropped: dict[int, Text] = {}
    records = []
    for year in years:
        mine, total = own.get(year, np.nan), nation.get(year, np.nan)
        if pd.isna(mine) or pd.isna(total):
            dropped[year] = Text("trends.dropped.accounts_missing", {
                "year": Num(year, "year"), "table": source_table})
        if pd.isna(mine):
            continue
        value = float(total) if comparator == "nation" else float(total) - float(mine)
        records.append({"year": year, "region": float(mine), "comparator": value,
                        "comparator_low": value, "comparator_high": value})
    frame = pd.DataFrame(records, columns=["year", "region", "comparator", "comparator_low",
                                           "comparator_high"])
    return SeriesPair(
        concept=concept, unit=UNITS[concept], sbi=sbi, region=region, region_name=name,
        comparator=comparator,
        comparator_name=Text(f"trends.comparator.{comparator}", {"region": name}),
        comparator_text=Text(f"trends.comparator_how.{comparator}.accounts",
                             {"region": name, "table": source_table}),
        source=source_table, frame=frame, dropped=dropped)


def series_pair(
    concept: str,
    region: str,
    sbi: str,
    *,
    jobs: pd.DataFrame | None = None,
    accounts: pd.DataFrame | None = None,
    source_table: str | None = None,
    comparator: str = "rest_of_nation",
    **options: object,
) -> SeriesPair:
    """One entry point for every concept: employee jobs from ``jobs``, labour volume from ``accounts``."""
    _check_choice(concept, CONCEPTS, "concept")
    if concept == "employee_jobs":
        if jobs is None:
            raise ValueError("employee jobs need the jobs table (data/processed/jobs.csv)")
        return employee_jobs_pair(jobs, region, sbi, comparator=comparator,
                                  source_table=source_table or ser.MAIN_TABLE, **options)
    if accounts is None:
        raise ValueError("labour volume needs the regional accounts table "
                         "(data/processed/regional_accounts.csv)")
    if source_table is None:
        raise ValueError(f"labour volume needs source_table, one of {', '.join(ACCOUNTS_TABLES)}")
    return labour_volume_pair(accounts, region, sbi, source_table, concept=concept,
                              comparator=comparator, **options)
