"""How much a multi-year percent change moves between releases of one statistic (pure, plus a cache).

A claim checked against today's release may have been computed from an earlier one. Where the
registry holds no release of the claim's date, the typical revision between the releases it does
hold says how far a figure of that time could have been from today's. This module measures it;
the verdict decides what to make of it.

For a statistic (``employee_jobs``, or a column of the labour or regional accounts) and a region
level (``nation``, ``corop``):

- a *release* is one table in one vintage (jobs.csv: ``source_table`` + ``vintage``; the accounts:
  the edition, i.e. the source table). 81497NED holds 2011-2013 twice (``period_status``
  ``first-of-two`` / ``second-of-two``, two release statuses; the second is the later): the first
  ones form an earlier release of their own. Derived rows (sums, hierarchy fixes) are left out:
  only published figures are revised;
- releases that agree in every common cell within half a publication unit (81497NED to the ten,
  83583NED to the hundred) are the same figures printed twice, not a revision: they are merged
  into one group, so that comparing them adds no zeros and an older release is not counted twice;
- a national row that covers the COROP regions only (``national_covers = "corop"`` in
  sources.toml: 83582NED leaves "not assignable" out) is another quantity than a national total,
  so it is only compared with rows of the same coverage;
- for every pair of groups and every cell present in both (region, SBI code, base year, end year
  at least :data:`MIN_YEARS_APART` apart) the revision is the absolute difference of the two
  percent changes, in percentage points; the summary is its median and 90th percentile
  (``numpy.percentile``, linear interpolation), the count and the pairs used, per pair as well;
- each release is dated by when its newest reference year became public (``[meta.public]`` of
  claims.toml): the earliest it can have appeared. When every pair used consists of releases
  public after the claim's date, the result says so (``recent_only``): revisions between two
  recent releases understate the revision since the claim.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from analysis.engine.tables import Tables


MIN_YEARS_APART = 2  # a change over at least two years: one-year changes are not what claims state
LEVELS = {"nation": "nl", "corop": "corop"}  # level -> region_level in the processed tables
EARLIER_STATUS = "first-of-two"  # period_status of the earlier of two releases held in one table
ONLY_COROP = " (COROP regions only)"  # appended to a national row that leaves 'not assignable' out
PublicDate = Callable[[str, int], dt.date]  # (input name, reference year) -> date it became public


@dataclass(frozen=True)
class Statistic:
    """Where a statistic lives: processed table, value column, [meta.public] rule, printed unit."""

    table: str
    column: str
    public_rule: str
    unit: float  # publication unit: two releases within half of it in every cell print the same figures


_JOBS_UNIT = 100.0  # CBS prints employee jobs in thousands with one decimal
_ACCOUNTS_UNIT = 1000.0  # the accounts print whole thousands (persons, jobs, labour years)
STATISTICS = {
    "employee_jobs": Statistic("jobs", "employee_jobs", "employee_jobs", _JOBS_UNIT),
    **{c: Statistic("labour_accounts", c, "labour_accounts", _ACCOUNTS_UNIT)
       for c in ("persons_employed", "jobs", "labour_years")},
    "hours_worked": Statistic("labour_accounts", "hours_worked", "labour_accounts", 1e6),
    **{c: Statistic("regional_accounts", c, "regional_accounts", _ACCOUNTS_UNIT)
       for c in ("labour_volume_total", "labour_volume_employees")},
}


@dataclass(frozen=True)
class Release:
    """One release of a statistic; ``public_from``: when its newest reference year became public."""

    table: str
    vintage: str
    variant: str  # "" or EARLIER_STATUS
    public_from: dt.date

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.table, self.vintage, self.variant) if p)


@dataclass(frozen=True)
class PairRevision:
    """The revisions between two groups of releases (each group: one set of figures)."""

    older: tuple[Release, ...]
    newer: tuple[Release, ...]
    n: int
    p50: float
    p90: float

    def public_from(self) -> tuple[dt.date, dt.date]:
        return _group_date(self.older), _group_date(self.newer)


@dataclass(frozen=True)
class Revisions:
    """The typical revision of a multi-year percent change (percentage points) for one level."""

    statistic: str
    level: str
    n: int
    p50: float | None  # None when no pair of releases shares a cell
    p90: float | None
    pairs: tuple[PairRevision, ...]
    since: dt.date | None  # the claim's date the pairs are dated against
    recent_only: bool  # every pair: both releases public after ``since`` (the revision is understated)


@dataclass(frozen=True)
class RevisionMiss:
    """A claim's miss against the typical revision (``within``: miss below the 90th percentile)."""

    miss: float
    revision_p50: float | None
    revision_p90: float | None
    n: int
    pairs: tuple[PairRevision, ...]
    within: bool
    per_point: float | None = None  # a change in a number: jobs per percentage point of its base


# --- pure steps ----------------------------------------------------------------------------------


def release_cells(frame: pd.DataFrame, statistic: str, level: str, public: PublicDate,
                  covers: dict[tuple[str, str], str] | None = None
                  ) -> tuple[pd.DataFrame, dict[str, Release]]:
    """Published cells of one level as (release, region, sbi, year, value), and the releases.

    ``frame`` is the processed table of ``statistic`` (jobs.csv, labour_accounts.csv or
    regional_accounts.csv, typed as :func:`analysis.processing.validate.load_table` gives it);
    ``covers`` maps (table, vintage) to what its national row covers (sources.toml)."""
    spec = _statistic(statistic)
    if level not in LEVELS:
        raise ValueError(f"unknown region level {level!r}; use one of {', '.join(LEVELS)}")
    rows = frame
    if "derived" in rows.columns:
        rows = rows[~rows["derived"].astype(bool)]
    if "worker_type" in rows.columns:
        rows = rows[rows["worker_type"] == "total"]  # employees and self-employed, as Tables reads it
    if "region_level" in rows.columns:
        rows = rows[rows["region_level"] == LEVELS[level]]
        regions = rows["region_code"].astype(str)
    else:  # the labour accounts are national only
        rows = rows if level == "nation" else rows.iloc[0:0]
        regions = pd.Series("NL01", index=rows.index)
    values = pd.to_numeric(rows[spec.column], errors="coerce").astype(float)
    status = rows["period_status"] if "period_status" in rows.columns else pd.Series("", index=rows.index)
    variant = np.where(status == EARLIER_STATUS, EARLIER_STATUS, "")
    covered = [(covers or {}).get((t, v), "") for t, v in zip(rows["source_table"], rows["vintage"])]
    regions = regions.where(~((level == "nation") & (np.array(covered) == "corop")), regions + ONLY_COROP)
    cells = pd.DataFrame({"table": rows["source_table"].astype(str), "vintage": rows["vintage"].astype(str),
                          "variant": variant, "region": regions, "sbi": rows["sbi_code"].astype(str),
                          "year": rows["year"].astype(int), "value": values})
    cells = cells[cells["value"].notna()]
    releases = {}
    for (table, vintage, variant), block in cells.groupby(["table", "vintage", "variant"], sort=True):
        release = Release(table, vintage, variant, public(spec.public_rule, int(block["year"].max())))
        releases[release.label] = release
    cells = cells.assign(release=[" ".join(p for p in key if p) for key in
                                  zip(cells["table"], cells["vintage"], cells["variant"])])
    return cells[["release", "region", "sbi", "year", "value"]].reset_index(drop=True), releases


def same_figure_groups(cells: pd.DataFrame, releases: dict[str, Release], unit: float
                       ) -> list[tuple[Release, ...]]:
    """Releases merged where every common cell differs by at most ``unit`` / 2 (at or below: the
    same figures printed at another precision); each group sorted by ``public_from``."""
    parent = {label: label for label in releases}

    def root(label: str) -> str:
        while parent[label] != label:
            label = parent[label]
        return label

    by_release = {label: block.set_index(["region", "sbi", "year"])["value"]
                  for label, block in cells.groupby("release")}
    for a, b in itertools.combinations(sorted(by_release), 2):
        common = by_release[a].index.intersection(by_release[b].index)
        if len(common) and (by_release[a][common] - by_release[b][common]).abs().max() <= unit / 2:
            parent[root(b)] = root(a)
    groups: dict[str, list[Release]] = {}
    for label, release in releases.items():
        groups.setdefault(root(label), []).append(release)
    return sorted((tuple(sorted(g, key=_order)) for g in groups.values()), key=_group_order)


def percent_changes(cells: pd.DataFrame, groups: list[tuple[Release, ...]],
                    min_apart: int = MIN_YEARS_APART) -> pd.DataFrame:
    """Per group, region, SBI code and (base, end) at least ``min_apart`` years apart: the percent
    change. Within a group each cell is taken from its newest release holding it."""
    rank = {r.label: (gi, -ri) for gi, group in enumerate(groups) for ri, r in enumerate(group)}
    ranked = cells.assign(group=[rank[r][0] for r in cells["release"]],
                          member=[rank[r][1] for r in cells["release"]])
    ranked = ranked.sort_values("member").drop_duplicates(["group", "region", "sbi", "year"])
    base = ranked[["group", "region", "sbi", "year", "value"]]
    pairs = base.merge(base, on=["group", "region", "sbi"], suffixes=("_base", "_end"))
    pairs = pairs[(pairs["year_end"] - pairs["year_base"] >= min_apart) & (pairs["value_base"] > 0)]
    change = 100.0 * (pairs["value_end"] / pairs["value_base"] - 1.0)
    return pd.DataFrame({"group": pairs["group"], "region": pairs["region"], "sbi": pairs["sbi"],
                         "base": pairs["year_base"], "end": pairs["year_end"], "change": change,
                         "size": pairs["value_base"]}).reset_index(drop=True)


def compare(changes: pd.DataFrame) -> pd.DataFrame:
    """Every pair of groups, every cell in both: (older, newer, cell, revision in points)."""
    keys = ["region", "sbi", "base", "end"]
    parts = []
    for older, newer in itertools.combinations(sorted(changes["group"].unique()), 2):
        both = changes[changes["group"] == older].merge(changes[changes["group"] == newer], on=keys,
                                                       suffixes=("_older", "_newer"))
        if len(both):
            parts.append(both.assign(older=older, newer=newer,
                                     revision=(both["change_newer"] - both["change_older"]).abs(),
                                     size=both[["size_older", "size_newer"]].min(axis=1)))
    columns = ["older", "newer", *keys, "change_older", "change_newer", "revision", "size"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def summarise(comparisons: pd.DataFrame, groups: list[tuple[Release, ...]], statistic: str,
              level: str, since: dt.date | None = None, min_size: float = 0.0) -> Revisions:
    """Median and 90th percentile of the revisions, overall and per pair of groups, over the
    changes whose base level is at least ``min_size`` (like with like: small cells revise by more
    in percent than an aggregate of a quarter of a million jobs)."""
    if "size" in comparisons.columns:
        comparisons = comparisons[comparisons["size"] >= min_size]
    pairs = tuple(PairRevision(groups[int(o)], groups[int(n)], len(block), *_quantiles(block["revision"]))
                  for (o, n), block in comparisons.groupby(["older", "newer"], sort=True))
    p50, p90 = _quantiles(comparisons["revision"]) if len(comparisons) else (None, None)
    recent = bool(pairs) and since is not None and all(
        min(pair.public_from()) > since for pair in pairs)
    return Revisions(statistic, level, len(comparisons), p50, p90, pairs, since, recent)


def revisions_of(frame: pd.DataFrame, statistic: str, level: str, public: PublicDate,
                 covers: dict[tuple[str, str], str] | None = None,
                 since: dt.date | None = None, min_size: float = 0.0) -> Revisions:
    """The whole measurement over one processed table (the steps above in order)."""
    cells, releases = release_cells(frame, statistic, level, public, covers)
    groups = same_figure_groups(cells, releases, _statistic(statistic).unit)
    return summarise(compare(percent_changes(cells, groups)), groups, statistic, level, since,
                     min_size)


def within_revision(threshold: float, lo: float, hi: float, revisions: Revisions) -> RevisionMiss:
    """Is a claim's miss smaller than the typical revision? ``[lo, hi]`` is the measured percent
    change, ``threshold`` the claim's (both in percent). The miss is the distance from the end of
    the interval nearest the threshold to the threshold (0 when the interval holds it); it is
    within revision when strictly below the 90th percentile revision. With no comparisons nothing
    is within revision. Which side of the threshold the claim needs is the caller's business."""
    if lo > hi:
        raise ValueError(f"measured interval [{lo}, {hi}] is empty: give the lower end first")
    miss = max(lo - threshold, threshold - hi, 0.0)
    within = revisions.p90 is not None and miss < revisions.p90
    return RevisionMiss(miss, revisions.p50, revisions.p90, revisions.n, revisions.pairs, within)


# --- the cached entry point ----------------------------------------------------------------------


def typical_revision(statistic: str = "employee_jobs", level: str = "nation",
                     tables: Tables | None = None, since: dt.date | None = None,
                     registry_path: Path | None = None, min_size: float = 0.0) -> Revisions:
    """:func:`revisions_of` over the processed data of ``tables`` (default: data/processed), the
    releases dated by ``[meta.public]`` of the claim registry; ``since`` defaults to the date of
    the registry's first claim (a check passes its own claim's date); ``min_size``: only changes
    whose base level is at least this.
    The comparisons are cached per file state."""
    from analysis.engine.registry import REGISTRY_FILE
    from analysis.engine.tables import Tables

    spec = _statistic(statistic)
    folder = (tables or Tables()).folder
    path = folder / f"{spec.table}.csv"
    registry_file = Path(registry_path or REGISTRY_FILE)
    registry = _registry(str(registry_file), registry_file.stat().st_mtime_ns)
    if since is None and registry.claims:  # the first claim's date (each check passes its own)
        since = registry.claim(registry.first_claim).date
    state = path.stat() if path.exists() else None
    comparisons, groups = _comparisons(statistic, level, str(path),
                                       state and (state.st_mtime_ns, state.st_size),
                                       str(registry.path), registry.hash)
    return summarise(comparisons, groups, statistic, level, since, min_size)


@functools.lru_cache(maxsize=8)
def _registry(path: str, _mtime_ns: int) -> Any:
    """The claim registry, parsed once per file state (a league asks once per region)."""
    from analysis.engine.registry import load_registry

    return load_registry(path)


@functools.lru_cache(maxsize=32)
def _comparisons(statistic: str, level: str, path: str, _file_state: tuple | None,
                 registry_path: str, _registry_hash: str
                 ) -> tuple[pd.DataFrame, list[tuple[Release, ...]]]:
    """Every revision of one statistic and level (:func:`compare`), with the release groups."""
    from analysis.processing.validate import load_table

    frame = load_table(_statistic(statistic).table, Path(path))
    registry = _registry(registry_path, Path(registry_path).stat().st_mtime_ns)
    cells, releases = release_cells(frame, statistic, level, registry.public_date, national_covers())
    groups = same_figure_groups(cells, releases, _statistic(statistic).unit)
    return compare(percent_changes(cells, groups)), groups


def national_covers() -> dict[tuple[str, str], str]:
    """(table, vintage) -> what the national row covers, where sources.toml says (else a total)."""
    from analysis.sources.registry import load_registry as load_sources

    return {(s.table_id, s.vintage): s.extra["national_covers"]
            for s in load_sources().values() if "national_covers" in s.extra}


# --- helpers -------------------------------------------------------------------------------------


def _statistic(statistic: str) -> Statistic:
    if statistic not in STATISTICS:
        raise ValueError(f"unknown statistic {statistic!r}; use one of {', '.join(STATISTICS)}")
    return STATISTICS[statistic]


def _quantiles(values: pd.Series) -> tuple[float, float]:
    array = values.to_numpy(dtype=float)
    return float(np.percentile(array, 50)), float(np.percentile(array, 90))


def _order(release: Release) -> tuple:
    return release.public_from, release.label


def _group_date(group: tuple[Release, ...]) -> dt.date:
    """A group's figures were public from its earliest member on."""
    return min(r.public_from for r in group)


def _group_order(group: tuple[Release, ...]) -> tuple:
    return _group_date(group), group[-1].label
