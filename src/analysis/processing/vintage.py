"""Vintage comparison: what a new raw snapshot changes against the processed data in use.

The processed tables record the vintage they were built from, so the comparison needs no copy
of the old raw files: the new snapshots are processed in memory and compared cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.processing.build import (
    ENROLMENT_FILE,
    JOBS_FILE,
    LABOUR_FILE,
    REGIONAL_FILE,
    read_cbs_inputs,
    read_enrolment_inputs,
)
from analysis.processing.jobs import superseded_vintages

JOBS_KEY = ["source_table", "region_code", "sbi_code", "year", "period_status"]
ENROLMENT_KEY = ["edition", "institution_code", "municipality", "croho_sector", "year"]


@dataclass(frozen=True)
class TableChanges:
    """Differences of one source table between the processed data and a new snapshot."""

    table: str
    new_years: list[int]
    dropped_years: list[int]
    new_codes: dict[str, list[str]]
    dropped_codes: dict[str, list[str]]
    revised: pd.DataFrame  # key columns, old, new, difference

    @property
    def unchanged(self) -> bool:
        return not (self.new_years or self.dropped_years or any(self.new_codes.values())
                    or any(self.dropped_codes.values()) or len(self.revised))

    def summary_row(self) -> dict[str, object]:
        return {
            "table": self.table,
            "new years": ", ".join(map(str, self.new_years)) or "-",
            "dropped years": ", ".join(map(str, self.dropped_years)) or "-",
            "new codes": "; ".join(f"{k}: {', '.join(v)}" for k, v in self.new_codes.items() if v) or "-",
            "dropped codes": "; ".join(f"{k}: {', '.join(v)}" for k, v in self.dropped_codes.items() if v) or "-",
            "revised values": len(self.revised),
        }


def compare_table(old: pd.DataFrame, new: pd.DataFrame, table: str, key: list[str], value: str,
                  code_columns: list[str]) -> TableChanges:
    """Compare two versions of one table on ``key``; ``value`` is the measured column."""
    old_years, new_years = set(old["year"]), set(new["year"])
    merged = old[[*key, value]].merge(new[[*key, value]], on=key, how="inner", suffixes=("_old", "_new"))
    before, after = merged[f"{value}_old"], merged[f"{value}_new"]
    differs = (before.isna() != after.isna()) | (before.fillna(0) != after.fillna(0))
    revised = merged[differs].rename(columns={f"{value}_old": "old", f"{value}_new": "new"})
    revised = revised.assign(difference=revised["new"] - revised["old"]).reset_index(drop=True)
    return TableChanges(
        table=table,
        new_years=sorted(int(y) for y in new_years - old_years),
        dropped_years=sorted(int(y) for y in old_years - new_years),
        new_codes={c: sorted(map(str, set(new[c]) - set(old[c]))) for c in code_columns},
        dropped_codes={c: sorted(map(str, set(old[c]) - set(new[c]))) for c in code_columns},
        revised=revised,
    )


def compare_vintages(raw_root: Path | None = None, processed: Path | None = None) -> list[TableChanges]:
    """Per source table, what the raw snapshots in ``raw_root`` change against ``processed``."""
    processed = processed or paths.processed_dir()
    old_jobs = _read(processed / JOBS_FILE)
    old_enrolment = _read(processed / ENROLMENT_FILE)
    new_jobs, labels, _ = read_cbs_inputs(raw_root)
    new_enrolment, _ = read_enrolment_inputs(raw_root)
    changes = []
    # A release against its own new snapshot: the current release of a table against the current one
    # (a live fetch dates it anew), an earlier release held beside it against itself.
    for name, old, new in _by_release(old_jobs, new_jobs):
        changes.append(compare_table(old[~old["derived"]], new[~new["derived"]], name, JOBS_KEY, "employee_jobs",
                                     ["region_code", "sbi_code"]))
    for file, new_table in ((LABOUR_FILE, labels.labour), (REGIONAL_FILE, labels.regional)):
        _, key, measures = next(f for f in RELEASE_FAMILIES.values() if f[0] == file)
        codes = [c for c in ("region_code", "sbi_code") if c in key]
        for name, old, new in _by_release(_read(processed / file), new_table):
            for measure in measures:
                changes.append(compare_table(old, new, f"{name} {measure}", ["source_table", *key], measure, codes))
    for edition in sorted(set(old_enrolment["edition"]) | set(new_enrolment["edition"])):
        old = old_enrolment[old_enrolment["edition"] == edition]
        new = new_enrolment[new_enrolment["edition"] == edition]
        changes.append(compare_table(old, new, edition, ENROLMENT_KEY, "students",
                                     ["institution_code", "croho_sector"]))
    return changes


def _by_release(old: pd.DataFrame, new: pd.DataFrame):
    """(name, old rows, new rows) per table and release: the current one named by the table id, an
    earlier one held beside it (registry ``superseded_by``) by 'table vintage'."""
    earlier = superseded_vintages()

    def name_of(frame: pd.DataFrame) -> pd.Series:
        return pd.Series([f"{t} {v}" if v in earlier.get(t, ()) else t
                          for t, v in zip(frame["source_table"], frame["vintage"], strict=True)], index=frame.index,
                         dtype=object)

    old_names, new_names = name_of(old), name_of(new)
    for name in sorted(set(old_names) | set(new_names)):
        yield name, old[old_names == name], new[new_names == name]


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for column in ("region_code", "sbi_code", "institution_code", "croho_sector", "municipality", "edition",
                   "vintage", "period_status"):
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def changes_table(changes: list[TableChanges]) -> pd.DataFrame:
    return pd.DataFrame([c.summary_row() for c in changes])


def changes_summary(changes: list[TableChanges]) -> str:
    """One line that ends ``compare``: how many tables change, and how, or that none does."""
    changed = [c for c in changes if not c.unchanged]
    if not changed:
        return (f"compare: none of the {len(changes)} tables changes: the raw snapshots give the data in "
                "data/processed")
    new_years = sum(len(c.new_years) for c in changed)
    dropped_years = sum(len(c.dropped_years) for c in changed)
    codes = sum(len(v) for c in changed for v in (*c.new_codes.values(), *c.dropped_codes.values()))
    revised = sum(len(c.revised) for c in changed)
    return (f"compare: {len(changed)} of {len(changes)} tables change ({', '.join(t.table for t in changed)}): "
            f"{new_years} new year(s), {dropped_years} dropped year(s), {codes} new or dropped code(s), "
            f"{revised} revised value(s); run `python -m analysis build` to use them")


def revisions_table(changes: list[TableChanges], limit: int = 50) -> pd.DataFrame:
    """The revised values of every table, largest absolute difference first."""
    frames = [c.revised.assign(table=c.table) for c in changes if len(c.revised)]
    if not frames:
        return pd.DataFrame(columns=["table", "old", "new", "difference"])
    revised = pd.concat(frames, ignore_index=True)
    order = revised["difference"].abs().sort_values(ascending=False, na_position="first").index
    return revised.loc[order].head(limit).reset_index(drop=True)


# --- two releases the registry holds, side by side in data/processed --------------------------------

# table family -> (processed file, key columns, measured columns); a dataset's family follows from
# its registry measures (the cbsodata-download table 83582NED is a jobs table).
RELEASE_FAMILIES: dict[str, tuple[str, list[str], list[str]]] = {
    "jobs": ("jobs.csv", ["region_code", "sbi_code", "year", "period_status"], ["employee_jobs"]),
    "labour": ("labour_accounts.csv", ["sbi_code", "year", "worker_type"],
               ["persons_employed", "jobs", "labour_years", "hours_worked"]),
    "regional": ("regional_accounts.csv", ["region_code", "sbi_code", "year"],
                 ["labour_volume_total", "labour_volume_employees", "value_added"]),
}


@dataclass(frozen=True)
class ReleaseComparison:
    """Two releases compared cell by cell (a cell = key x measure) on the processed tables."""

    first: str  # "83582NED 2025-04-22"
    second: str
    family: str
    counts: dict[str, int]  # cells in both, equal, revised, published in one only, keys only in one
    revised: pd.DataFrame  # key, measure, first, second, difference, relative
    by_measure: pd.DataFrame  # per measure and SBI code: cells, revised, median and max |relative| change

    def summary(self) -> str:
        c = self.counts
        return (f"{self.first} vs {self.second} ({self.family}): {c['cells_in_both']} cells in both, "
                f"{c['equal']} equal, {c['revised']} revised, {c['published_in_one_only']} published in one only; "
                f"keys only in {self.first}: {c['keys_only_in_first']}, only in {self.second}: {c['keys_only_in_second']}")


def _family(source) -> str:
    names = {m["name"] for m in source.measures} or {"employee_jobs"}
    for family, (_, _, measures) in RELEASE_FAMILIES.items():
        if names & set(measures):
            return family
    raise ValueError(f"{source.id}: no processed table holds its measures {sorted(names)}")


def _release_rows(source, processed: Path, manifest: dict) -> tuple[pd.DataFrame, str]:
    file, key, measures = RELEASE_FAMILIES[_family(source)]
    vintages = {i["dataset_id"]: i.get("vintage", "") for i in manifest.get("inputs", [])}
    if source.id not in vintages:
        raise ValueError(f"{source.id} is not in {processed / 'manifest.json'}: fetch and build it first "
                         f"(`python -m analysis fetch {source.id}` and `python -m analysis build`)")
    vintage = vintages[source.id] or source.vintage
    frame = _read(processed / file)
    rows = frame[(frame["source_table"] == source.table_id) & (frame["vintage"] == vintage)]
    if "derived" in rows:
        rows = rows[~rows["derived"].astype(str).str.lower().eq("true")]
    if rows.empty:
        raise ValueError(f"{processed / file} has no rows of {source.table_id} release {vintage}: rebuild")
    return rows[[*key, *measures]], f"{source.table_id} {vintage}"


def compare_releases(first: str, second: str, processed: Path | None = None) -> ReleaseComparison:
    """Compare two releases the registry holds (dataset or table ids) cell by cell.

    Works on the processed tables, so both must have been built: 83582NED 2025-04-22 against the
    later copy (``cbs-83582NED-2025-04-22`` ``cbs-83582NED``), the labour accounts ``84164NED``
    against ``85918NED``, the regional accounts ``84419NED`` against ``85925NED``.
    """
    import json

    from analysis.sources.registry import get_source

    processed = processed or paths.processed_dir()
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    sources = [get_source(first), get_source(second)]
    families = {_family(s) for s in sources}
    if len(families) != 1:
        raise ValueError(f"{first} and {second} are different statistics ({', '.join(sorted(families))}): "
                         "compare two releases of one statistic")
    family = families.pop()
    _, key, measures = RELEASE_FAMILIES[family]
    (a, name_a), (b, name_b) = (_release_rows(s, processed, manifest) for s in sources)
    if name_a == name_b:
        raise ValueError(f"{first} and {second} are the same release ({name_a})")
    merged = a.merge(b, on=key, how="outer", suffixes=("_first", "_second"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    counts = {"keys_in_both": len(both),
              "keys_only_in_first": int((merged["_merge"] == "left_only").sum()),
              "keys_only_in_second": int((merged["_merge"] == "right_only").sum()),
              "cells_in_both": 0, "equal": 0, "revised": 0, "published_in_one_only": 0}
    revised, per_measure = [], []
    for measure in measures:
        x = pd.to_numeric(both[f"{measure}_first"]).astype("Float64")
        y = pd.to_numeric(both[f"{measure}_second"]).astype("Float64")
        present = x.notna() & y.notna()
        one_only = x.notna() ^ y.notna()
        differs = present & ((x - y).abs() > 1e-9)
        counts["cells_in_both"] += int(present.sum())
        counts["equal"] += int((present & ~differs).sum())
        counts["revised"] += int(differs.sum())
        counts["published_in_one_only"] += int(one_only.sum())
        changed = both.loc[differs.fillna(False).to_numpy(), key].assign(
            measure=measure, first=x[differs.fillna(False)], second=y[differs.fillna(False)])
        changed["difference"] = changed["second"] - changed["first"]
        changed["relative"] = changed["difference"] / changed["first"].where(changed["first"] != 0)
        revised.append(changed)
        relative = ((y - x) / x.where(x != 0)).abs()[present]
        stats = pd.DataFrame({"sbi_code": both.loc[present.to_numpy(), "sbi_code"], "relative": relative,
                              "revised": differs[present]})
        for code, group in stats.groupby("sbi_code", sort=True):
            per_measure.append({"measure": measure, "sbi_code": code, "cells": len(group),
                                "revised": int(group["revised"].sum()),
                                "median_abs_relative": float(group["relative"].median()),
                                "max_abs_relative": float(group["relative"].max())})
    revised_frame = pd.concat(revised, ignore_index=True) if revised else pd.DataFrame()
    order = revised_frame["relative"].abs().sort_values(ascending=False, na_position="last").index
    return ReleaseComparison(first=name_a, second=name_b, family=family, counts=counts,
                             revised=revised_frame.loc[order].reset_index(drop=True),
                             by_measure=pd.DataFrame(per_measure))
