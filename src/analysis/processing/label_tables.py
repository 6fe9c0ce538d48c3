"""The label-layout CBS snapshots -> jobs rows, ``jobs_by_firm_size``, ``labour_accounts``, ``regional_accounts``.

Fixed order: verify each snapshot -> read its complete blocks with codes
(:mod:`analysis.processing.labels`) -> shape the rows of each table -> run the build checks of
:mod:`analysis.processing.consistency` -> return the tables, the check counts and the gaps.
Which dataset feeds which table is said by its registry record (measures named ``employee_jobs``
-> jobs; ``persons_employed`` -> labour accounts; ``labour_volume_total`` -> regional accounts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.processing import consistency
from analysis.processing.accounts import labour_rows, regional_rows
from analysis.processing.checks import check_unique
from analysis.processing.labels import REGION_DIM, LabelRead, read_label_table
from analysis.processing.national import firm_size_rows, jobs_rows
from analysis.processing.sbi import sbi_sort_rank
from analysis.processing.schema import FIRM_SIZE_KEY, LABOUR_KEY, REGIONAL_KEY, WORKER_TYPES
from analysis.sources.registry import Source, load_registry
from analysis.sources.snapshot import snapshot_dir, verify_snapshot

LABOUR_MEASURES = ("persons_employed", "jobs", "labour_years", "hours_worked")
# CBS rounds the labour accounts to whole thousands (hours: whole millions).
LABOUR_UNITS = {"persons_employed": 1000, "jobs": 1000, "labour_years": 1000, "hours_worked": 1_000_000}
REGIONAL_MEASURES = ("labour_volume_total", "labour_volume_employees")


def vintage_of(source: Source, manifest: Mapping[str, Any]) -> str:
    """The release a snapshot holds: the registry's vintage for a mirror copy, the fetch date for a live one."""
    if manifest.get("vintage"):
        return str(manifest["vintage"])
    if manifest.get("mode") == "live" and manifest.get("retrieved_at"):
        return str(manifest["retrieved_at"])[:10]
    return source.vintage


@dataclass
class LabelTables:
    jobs: list[tuple[Source, pd.DataFrame]]  # rows for jobs.csv, per source (jobs.build_jobs adds and checks)
    firm_size: pd.DataFrame
    labour: pd.DataFrame
    regional: pd.DataFrame
    inputs: list[tuple[Source, dict]] = field(default_factory=list)
    checks: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, Any] = field(default_factory=dict)


def label_sources() -> list[Source]:
    return [s for s in load_registry().values() if s.kind == "cbs-odata3-labels"]


def read_label_inputs(raw_root: Path | None, corop_titles: Mapping[str, str]) -> dict[str, tuple[LabelRead, str, dict]]:
    """Every label-layout snapshot, verified and read: id -> (read, vintage, snapshot manifest)."""
    reads = {}
    for source in label_sources():
        manifest = verify_snapshot(source.id, raw_root)
        read = read_label_table(snapshot_dir(source.id, raw_root) / source.file_name, source, corop_titles)
        reads[source.id] = (read, vintage_of(source, manifest), manifest)
    return reads


def _measure_names(source: Source) -> set[str]:
    return {m["name"] for m in source.measures}


SIZE_CLASS_ORDER = ("total", "0-10", "1-10", "10-50", "50-100", "100-500", "500+")
LEVEL_ORDER = ("nl", "landsdeel", "provincie", "corop", "corop_unassigned")


def _sorted(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """A fixed row order: the key's columns, with SBI codes, size classes, worker types and region
    levels in CBS's order rather than alphabetically."""
    ranks = {"sbi_code": sbi_sort_rank(frame["sbi_code"]),
             "size_class": {c: i for i, c in enumerate(SIZE_CLASS_ORDER)},
             "worker_type": {c: i for i, c in enumerate(WORKER_TYPES)}}
    order = frame.copy()
    columns = []
    if "region_level" in frame:
        order["_region_level"] = frame["region_level"].map({c: i for i, c in enumerate(LEVEL_ORDER)})
        columns.append("_region_level")
    for column in key:
        if column in ranks:
            order[f"_{column}"] = frame[column].map(ranks[column])
            columns.append(f"_{column}")
        else:
            columns.append(column)
    if "region_level" in frame:  # level first within a table and vintage
        columns = [*columns[1:3], columns[0], *columns[3:]]
    hidden = [c for c in order.columns if c.startswith("_")]
    return order.sort_values(columns, kind="mergesort").drop(columns=hidden).reset_index(drop=True)


def build_label_tables(raw_root: Path | None, corop_titles: Mapping[str, str]) -> LabelTables:
    reads = read_label_inputs(raw_root, corop_titles)
    jobs, firm, labour, regional = [], [], [], []
    for read, vintage, _ in reads.values():
        names = _measure_names(read.source)
        if "employee_jobs" in names:
            jobs.append((read.source, jobs_rows(read, vintage)))
            if read.source.size_basis:
                firm.append(firm_size_rows(read, vintage))
        if "persons_employed" in names:
            labour.append(labour_rows(read, vintage))
        if "labour_volume_total" in names:
            regional.append(regional_rows(read, vintage))
    tables = LabelTables(
        jobs=jobs,
        firm_size=_sorted(pd.concat(firm, ignore_index=True), FIRM_SIZE_KEY),
        labour=_sorted(pd.concat(labour, ignore_index=True), LABOUR_KEY),
        regional=_sorted(pd.concat(regional, ignore_index=True), REGIONAL_KEY),
        inputs=[(read.source, manifest) for read, _, manifest in reads.values()],
    )
    run_checks(tables, reads)
    tables.gaps["label_tables"] = {sid: read.manifest_record() for sid, (read, _, _) in reads.items()}
    tables.gaps["province_nation_gap_labour_years"] = consistency.province_nation_gap(
        tables.regional, "labour_volume_total")
    return tables


def run_checks(tables: LabelTables, reads: Mapping[str, tuple[LabelRead, str, dict]]) -> None:
    """Every build check of the label tables; the counts go into the manifest."""
    checks = tables.checks
    check_unique(tables.firm_size, FIRM_SIZE_KEY, "jobs_by_firm_size")
    check_unique(tables.labour, LABOUR_KEY, "labour_accounts")
    check_unique(tables.regional, REGIONAL_KEY, "regional_accounts")
    firm = tables.firm_size
    for (table, vintage), rows in firm.groupby(["source_table", "vintage"]):
        # Strict for the size class total (the jobs.csv rows); within single size classes CBS's own
        # figures do not always add up (cells hidden for confidentiality inside a published parent):
        # those cells are listed in the manifest, not failed.
        total = rows[rows["size_class"] == "total"]
        checks[f"{table} {vintage}: SBI divisions add up (size class total)"] = consistency.check_sbi_sums(
            total, ["year", "period_status"], "employee_jobs", 100, table)
        violations: list[dict] = []
        checks[f"{table} {vintage}: SBI divisions add up (single size classes, listed where not)"] = (
            consistency.check_sbi_sums(rows[rows["size_class"] != "total"], ["year", "period_status", "size_class"],
                                       "employee_jobs", 100, table, violations))
        tables.gaps.setdefault("firm_size_cells_not_adding_up", {})[f"{table} {vintage}"] = violations
        wide = rows.pivot_table(index=["sbi_code", "year", "period_status"], columns="size_class",
                                values="employee_jobs", aggfunc="first").astype("Float64").dropna()
        classes = [c for c in wide.columns if c != "total"]
        gap = (wide["total"] - wide[classes].sum(axis=1)).abs()
        off = gap[gap > consistency.tolerance(len(classes), 100)]
        tables.gaps.setdefault("firm_size_classes_not_adding_up", {})[f"{table} {vintage}"] = [
            {"cell": " ".join(map(str, k)), "gap": float(v)} for k, v in off.items()]
        checks[f"{table} {vintage}: size classes add up to the total (listed where not)"] = len(wide)
    for (table, vintage), rows in tables.labour.groupby(["source_table", "vintage"]):
        for measure in LABOUR_MEASURES:
            checks[f"{table} {vintage}: SBI divisions add up ({measure})"] = consistency.check_sbi_sums(
                rows, ["year", "worker_type"], measure, LABOUR_UNITS[measure], table)
    checks["labour accounts: employees + self-employed = total"] = consistency.check_worker_types(
        tables.labour, LABOUR_MEASURES, LABOUR_UNITS)
    # The regional accounts hold A-U, A, B, B-E and C only: no parent has all its parts, so there is
    # no SBI sum to check there.
    checks["regional accounts: COROP regions add up to provinces"] = consistency.check_corop_provinces(
        tables.regional, REGIONAL_MEASURES)
    _check_national_tables(tables, reads)


def _check_national_tables(tables: LabelTables, reads: Mapping[str, tuple[LabelRead, str, dict]]) -> None:
    jobs = pd.concat([frame for _, frame in tables.jobs], ignore_index=True)
    national = {t: jobs[jobs["source_table"] == t] for t in ("83583NED", "81497NED")}
    for read, vintage, _ in reads.values():
        title = read.source.all_regions_title
        if not title or read.unmapped_rows is None:
            continue
        rows = read.unmapped_rows
        totals = rows[(rows[REGION_DIM] == title) & rows["BedrijfstakkenBranchesSBI2008"].str.startswith("A-U ")]
        measure = read.source.measures[0]
        by_year = pd.Series(
            pd.to_numeric(totals[measure["column"]].where(totals[measure["column"]] != "")).to_numpy()
            * measure["multiplier"],
            index=totals["Perioden"].str.strip().str[:4].astype(int).to_numpy(), dtype="Float64")
        if not (national["83583NED"]["vintage"] == vintage).any():
            # 83583NED was fetched at another time (live) than this release: not the same vintage,
            # nothing to compare like with like (the manifest says so)
            tables.gaps.setdefault("checks_not_made", []).append(
                f"83583NED A-U vs 83582NED {vintage}: no 83583NED release of that vintage")
            continue
        tables.checks[f"83583NED A-U = 83582NED {vintage} national A-U ({title})"] = (
            consistency.check_national_equals_regional(national["83583NED"], by_year, vintage))
    if len(national["81497NED"]) and len(national["83583NED"]):
        for name, count in consistency.check_duplicate_periods(national["81497NED"], national["83583NED"]).items():
            tables.checks[f"81497NED double periods: {name}"] = count
