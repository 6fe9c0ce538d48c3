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
    read_enrolment_inputs,
    read_jobs_inputs,
)

JOBS_KEY = ["source_table", "vintage", "region_code", "sbi_code", "year", "period_status"]
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
    new_jobs, _ = read_jobs_inputs(raw_root)
    new_enrolment, _ = read_enrolment_inputs(raw_root)
    changes = []
    # One release against the same release: a dataset is compared with its own new snapshot.
    releases = set(zip(old_jobs["source_table"], old_jobs["vintage"], strict=True))
    releases |= set(zip(new_jobs["source_table"], new_jobs["vintage"], strict=True))
    labels = _release_labels(releases)
    for table, vintage in sorted(releases):
        old = old_jobs[(old_jobs["source_table"] == table) & (old_jobs["vintage"] == vintage) & ~old_jobs["derived"]]
        new = new_jobs[(new_jobs["source_table"] == table) & (new_jobs["vintage"] == vintage) & ~new_jobs["derived"]]
        changes.append(compare_table(old, new, labels[(table, vintage)], JOBS_KEY, "employee_jobs",
                                     ["region_code", "sbi_code"]))
    for edition in sorted(set(old_enrolment["edition"]) | set(new_enrolment["edition"])):
        old = old_enrolment[old_enrolment["edition"] == edition]
        new = new_enrolment[new_enrolment["edition"] == edition]
        changes.append(compare_table(old, new, edition, ENROLMENT_KEY, "students",
                                     ["institution_code", "croho_sector"]))
    return changes


def _release_labels(releases: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The table id alone where the table has one release, else 'table vintage'."""
    counts: dict[str, int] = {}
    for table, _ in releases:
        counts[table] = counts.get(table, 0) + 1
    return {(t, v): t if counts[t] == 1 else f"{t} {v}" for t, v in releases}


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for column in ("region_code", "sbi_code", "institution_code", "croho_sector", "municipality", "edition",
                   "vintage", "period_status"):
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def changes_table(changes: list[TableChanges]) -> pd.DataFrame:
    return pd.DataFrame([c.summary_row() for c in changes])


def revisions_table(changes: list[TableChanges], limit: int = 50) -> pd.DataFrame:
    """The revised values of every table, largest absolute difference first."""
    frames = [c.revised.assign(table=c.table) for c in changes if len(c.revised)]
    if not frames:
        return pd.DataFrame(columns=["table", "old", "new", "difference"])
    revised = pd.concat(frames, ignore_index=True)
    order = revised["difference"].abs().sort_values(ascending=False, na_position="first").index
    return revised.loc[order].head(limit).reset_index(drop=True)
