"""Jobs step: CBS raw snapshots -> the tidy ``jobs.csv`` table (see ``analysis.processing.schema``).

Fixed order: read each source table -> add hierarchy-derived rows for suppressed cells ->
add a derived national series where the source has no national rows -> sanity checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.processing.checks import (
    ProcessingCheckError,
    check_allowed,
    check_pattern,
    check_range,
    check_unique,
)
from analysis.processing.sbi import (
    SBI_ORDER,
    SBI_PARTS,
    rounding_tolerance,
    sbi_sort_rank,
    split_sbi_title,
)
from analysis.processing.schema import JOBS_COLUMNS, JOBS_KEY, REGION_LEVELS
from analysis.processing.titles import LANDSDEEL_CODES, PROVINCE_CODES, SBI_CODE
from analysis.sources.cbs import read_entity_set, read_statline_csv
from analysis.sources.registry import Source, load_registry

KEY = list(JOBS_KEY)
# One published cell: the key without the read/derived flag. The region, SBI code and year come
# last (derive_from_hierarchy relies on that order).
CELL = ["source_table", "vintage", "period_status", "region_code", "sbi_code", "year"]
NATIONAL = ("NL01", "Nederland")


def region_level(code: str) -> str:
    """CBS region code -> level: NL01 nl, LDxx landsdeel, PVxx provincie, CRxx corop (CR99 unassigned)."""
    if code == "CR99":
        return "corop_unassigned"
    prefixes = {"NL": "nl", "LD": "landsdeel", "PV": "provincie", "CR": "corop", "GM": "gemeente"}
    level = prefixes.get(code[:2])
    if level is None:
        raise ProcessingCheckError(f"unknown region code {code!r}: expected NL01, LDxx, PVxx, CRxx or GMxxxx")
    return level


def _status_from_cbs(status: str | None) -> str:
    if not status:
        return ""
    status = status.strip().lower()
    return "definitive" if status.startswith("definitief") else "provisional"


def read_83582(folder: Path, source: Source, vintage: str | None = None) -> pd.DataFrame:
    """Rows read from a cbsodata snapshot of 83582NED (or a table of the same shape)."""
    data = read_entity_set(folder, "TypedDataSet")
    sbi = read_entity_set(folder, "BedrijfstakkenBranchesSBI2008")
    regions = read_entity_set(folder, "RegioS")
    periods = read_entity_set(folder, "Perioden")

    sbi_split = sbi["Title"].map(split_sbi_title)
    sbi_codes = dict(zip(sbi["Key"], sbi_split.str[0], strict=True))
    sbi_labels = dict(zip(sbi["Key"], sbi_split.str[1], strict=True))
    region_names = dict(zip(regions["Key"], regions["Title"], strict=True))
    # CBS gives each period a status (Definitief / Voorlopig / Nader voorlopig) where captured.
    statuses = dict(zip(periods["Key"], periods.get("Status", pd.Series([""] * len(periods))), strict=True))

    bad_periods = sorted(set(data["Perioden"]) - {p for p in data["Perioden"] if re.fullmatch(r"\d{4}JJ00", p)})
    if bad_periods:
        raise ProcessingCheckError(f"{source.table_id}: unexpected period keys {bad_periods[:5]}: expected yearly 'YYYYJJ00'")
    values = data[source.measure].astype("Float64") * source.unit_multiplier
    frame = pd.DataFrame({
        "source_table": source.table_id,
        "vintage": vintage or source.vintage,
        "region_code": data["RegioS"],
        "region_name": data["RegioS"].map(region_names),
        "region_level": data["RegioS"].map(region_level),
        "sbi_code": data["BedrijfstakkenBranchesSBI2008"].map(sbi_codes),
        "sbi_label": data["BedrijfstakkenBranchesSBI2008"].map(sbi_labels),
        "year": data["Perioden"].str[:4].astype(int),
        "employee_jobs": values.round(0).astype("Int64"),
        "period_status": data["Perioden"].map(lambda k: _status_from_cbs(statuses.get(k))),
    })
    for column in ("region_name", "sbi_code"):
        unknown = frame.loc[frame[column].isna(), column.replace("_name", "_code").replace("sbi_code", "sbi_label")]
        if frame[column].isna().any():
            raise ProcessingCheckError(f"{source.table_id}: codes without a title in the code list ({column}): {len(unknown)}")
    return _finish_read(frame)


def read_statline_jobs(path: Path, source: Source, corop_codes: dict[str, str],
                       vintage: str | None = None) -> pd.DataFrame:
    """Rows read from a StatLine CSV export of the same statistic (labels, symbols for gaps).

    Regions are mapped from label to CBS code: the nation, landsdelen, provinces and COROP
    regions (``corop_codes``: COROP title -> code, taken from 83582NED's region list). Other
    groupings in the export (municipalities, GA, RP, 'niet in te delen' outside COROP) are left out.
    """
    raw = read_statline_csv(path, source.encoding, source.required_columns)
    codes = {"Nederland totaal": NATIONAL[0], **LANDSDEEL_CODES, **PROVINCE_CODES, **corop_codes,
             "Niet in te delen (CR)": "CR99"}
    raw = raw[raw["Regio"].isin(codes)].copy()
    if raw.empty:
        raise ProcessingCheckError(f"{path}: no rows for the nation, landsdelen, provinces or COROP regions")
    period = raw["Periode"].str.extract(r"^(?P<year>\d{4}) december(?P<stars>\**)$")
    if period["year"].isna().any():
        bad = sorted(set(raw.loc[period["year"].isna(), "Periode"]))
        raise ProcessingCheckError(f"{path}: unexpected period labels {bad[:5]}: expected 'YYYY december'")
    sbi_split = raw["SBI"].map(split_sbi_title)
    text = raw["Banen van werknemers"].str.strip()
    published = ~text.isin({"x", ".", "-", "?", ""})
    values = pd.to_numeric(text.where(published), errors="raise").astype("Float64") * source.unit_multiplier
    region_codes = raw["Regio"].map(codes)
    names = raw["Regio"].where(raw["Regio"] != "Nederland totaal", NATIONAL[1])
    frame = pd.DataFrame({
        "source_table": source.table_id,
        "vintage": vintage or source.vintage,
        "region_code": region_codes,
        "region_name": names.where(region_codes != "CR99", "Niet in te delen"),
        "region_level": region_codes.map(region_level),
        "sbi_code": sbi_split.str[0],
        "sbi_label": sbi_split.str[1],
        "year": period["year"].astype(int),
        "employee_jobs": values.round(0).astype("Int64"),
        # StatLine marks provisional figures with * and definitive (revised) ones with **.
        "period_status": np.where(period["stars"] == "*", "provisional", "definitive"),
    })
    return _finish_read(frame)


def _finish_read(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["suppressed"] = frame["employee_jobs"].isna()
    frame["derived"] = False
    frame["derivation"] = ""
    frame["missing_parts"] = ""
    return frame[list(JOBS_COLUMNS)]


def derive_from_hierarchy(jobs: pd.DataFrame) -> pd.DataFrame:
    """Derived rows for suppressed cells that the SBI hierarchy fixes.

    Where exactly one cell of a parent-and-parts group is suppressed and all others are
    known (published, or derived in an earlier pass), it equals the parent minus the other
    parts (or the sum of the parts). Repeated until nothing more can be fixed. The published
    (suppressed) row stays as it is; each fix is a separate row with ``derived`` = True.
    """
    known = {tuple(k): v for k, v in zip(jobs[CELL].itertuples(index=False), jobs["employee_jobs"], strict=True)
             if not pd.isna(v)}
    suppressed = jobs.loc[jobs["suppressed"], CELL]
    todo = {tuple(k) for k in suppressed.itertuples(index=False)}
    derived: dict[tuple, tuple[int, str]] = {}
    changed = True
    while changed and todo:
        changed = False
        for parent, parts in SBI_PARTS.items():
            for cell in list(todo):
                *head, region, code, year = cell
                if code == parent:
                    others = [(*head, region, p, year) for p in parts]
                    if all(o in known for o in others):
                        value = sum(known[o] for o in others)
                        how = f"{parent} = {' + '.join(parts)}"
                    else:
                        continue
                elif code in parts:
                    group = [(*head, region, parent, year)] + [(*head, region, p, year) for p in parts if p != code]
                    if all(g in known for g in group):
                        value = known[group[0]] - sum(known[g] for g in group[1:])
                        rest = " − ".join(p for p in parts if p != code)
                        how = f"{code} = {parent} − {rest}" if rest else f"{code} = {parent}"
                    else:
                        continue
                else:
                    continue
                tolerance = rounding_tolerance(len(parts))
                if value < -tolerance:
                    raise ProcessingCheckError(
                        f"hierarchy gives a negative value {value} for {cell}: the published parts are inconsistent"
                    )
                value = max(int(round(value, -2)), 0)  # inputs are whole hundreds
                known[cell] = value
                derived[cell] = (value, f"SBI hierarchy: {how}")
                todo.discard(cell)
                changed = True
    if not derived:
        return jobs.iloc[0:0]
    base = jobs.set_index(CELL).loc[list(derived)].reset_index()
    base["employee_jobs"] = pd.array([derived[tuple(k)][0] for k in base[CELL].itertuples(index=False)], dtype="Int64")
    base["derivation"] = [derived[tuple(k)][1] for k in base[CELL].itertuples(index=False)]
    base["suppressed"] = False
    base["derived"] = True
    base["missing_parts"] = ""
    return base[list(JOBS_COLUMNS)]


def derive_national(jobs: pd.DataFrame, table: str, vintage: str = "") -> pd.DataFrame:
    """A national series as the sum over all COROP regions (CR01-CR40 and CR99).

    Uses the published value of each region, or its hierarchy-derived value where the
    published one is suppressed. Regions still missing are listed in ``missing_parts``; the
    sum then covers only the regions present (a lower bound) and says so.
    """
    rows = jobs[(jobs["source_table"] == table) & jobs["region_level"].isin(["corop", "corop_unassigned"])]
    if vintage:
        rows = rows[rows["vintage"] == vintage]
    best = _best_values(rows)
    regions = sorted(best["region_code"].unique())
    records = []
    for (release, code, label, year, status), group in best.groupby(
            ["vintage", "sbi_code", "sbi_label", "year", "period_status"], dropna=False):
        present = group.dropna(subset=["employee_jobs"])
        missing = sorted(set(regions) - set(present["region_code"]))
        records.append({
            "source_table": table, "vintage": release, "region_code": NATIONAL[0], "region_name": NATIONAL[1],
            "region_level": "nl",
            "sbi_code": code, "sbi_label": label, "year": year,
            "employee_jobs": int(present["employee_jobs"].sum()) if not present.empty else pd.NA,
            "suppressed": present.empty, "derived": True,
            "derivation": f"sum of {len(regions)} COROP regions ({regions[0]}-{regions[-2]} and {regions[-1]})",
            "missing_parts": ";".join(missing), "period_status": status,
        })
    frame = pd.DataFrame.from_records(records)
    frame["employee_jobs"] = frame["employee_jobs"].astype("Int64")
    return frame[list(JOBS_COLUMNS)]


def _best_values(rows: pd.DataFrame) -> pd.DataFrame:
    """Per cell, the published value, else the derived one (never both)."""
    ordered = rows.sort_values("derived")  # published (False) first
    usable = ordered[~ordered["employee_jobs"].isna() | ~ordered["derived"]]
    published_missing = usable["employee_jobs"].isna()
    with_value = usable[~published_missing]
    best = with_value.drop_duplicates(CELL, keep="first")
    absent = usable[published_missing].merge(best[CELL], on=CELL, how="left", indicator=True)
    absent = absent[absent["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([best, absent], ignore_index=True)


def check_hierarchy(jobs: pd.DataFrame, table: str) -> int:
    """Every published parent equals the sum of its published parts within rounding; returns checks made."""
    published = jobs[~jobs["derived"] & ~jobs["suppressed"]]
    wide = published.pivot_table(index=["source_table", "vintage", "period_status", "region_code", "year"],
                                 columns="sbi_code", values="employee_jobs", aggfunc="first")
    checks = 0
    for parent, parts in SBI_PARTS.items():
        if parent not in wide or not set(parts) <= set(wide.columns):
            continue
        complete = wide[[parent, *parts]].dropna()
        gap = (complete[parent] - complete[list(parts)].sum(axis=1)).abs()
        tolerance = rounding_tolerance(len(parts))
        bad = gap[gap > tolerance]
        checks += len(complete)
        if not bad.empty:
            raise ProcessingCheckError(
                f"{table}: {parent} differs from {' + '.join(parts)} by more than rounding ({tolerance:.0f} jobs) "
                f"in {len(bad)} cell(s), e.g. {bad.head(3).to_dict()}"
            )
    return checks


def check_regions_add_up(jobs: pd.DataFrame, table: str, vintage: str | None = None,
                         national_covers: str = "corop+unassigned") -> int:
    """Where a source publishes a national figure, its COROP regions add up to it within rounding.

    ``national_covers``: what CBS's national row of the table covers: the COROP regions and the
    jobs not assignable to one (CR99), or the COROP regions only (83582NED's "Nederland", which
    leaves "Nederland; niet in te delen" out).
    """
    rows = jobs[(jobs["source_table"] == table) & ~jobs["derived"] & ~jobs["suppressed"]]
    if vintage is not None:
        rows = rows[rows["vintage"] == vintage]
    national = rows[rows["region_code"] == NATIONAL[0]].set_index(["sbi_code", "year"])["employee_jobs"]
    levels = ["corop", "corop_unassigned"] if national_covers == "corop+unassigned" else ["corop"]
    corop = rows[rows["region_level"].isin(levels)]
    if national_covers != "corop+unassigned":
        # 83582NED's "Nederland" leaves CR99 out only where CR99 is published (2012-2018 it is
        # suppressed and folded into "Nederland"): compare only where CR99 has a value.
        published_cr99 = rows.loc[rows["region_level"] == "corop_unassigned"].set_index(["sbi_code", "year"]).index
        national = national[national.index.isin(published_cr99)]
    counts = corop.groupby(["sbi_code", "year"])["region_code"].nunique()
    sums = corop.groupby(["sbi_code", "year"])["employee_jobs"].sum()
    n_regions = corop["region_code"].nunique()
    complete = counts[counts == n_regions].index.intersection(national.index)
    tolerance = rounding_tolerance(n_regions)
    gap = (national.loc[complete] - sums.loc[complete]).abs()
    bad = gap[gap > tolerance]
    if not bad.empty:
        raise ProcessingCheckError(
            f"{table}: the COROP regions do not add up to the published national figure within rounding "
            f"({tolerance:.0f} jobs) in {len(bad)} cell(s), e.g. {bad.head(3).to_dict()}"
        )
    return len(complete)


def check_jobs(jobs: pd.DataFrame, covers: dict[tuple[str, str], str] | None = None) -> dict[str, int]:
    """All sanity checks of the jobs table; returns how many comparisons each made."""
    check_unique(jobs, KEY, "jobs")
    check_pattern(jobs, "region_code", r"NL01|LD0[1-4]|PV(2\d|3[01])|CR(0[1-9]|[1-3]\d|40|99)|GM\d{4}", "jobs")
    check_allowed(jobs, "region_level", (*REGION_LEVELS, "gemeente"), "jobs")
    regional = jobs[jobs["region_level"] != "nl"]
    check_allowed(regional, "sbi_code", SBI_ORDER, "jobs (regions)")
    check_pattern(jobs, "sbi_code", SBI_CODE.pattern, "jobs")
    check_range(jobs, "year", 1990, pd.Timestamp.now().year + 1, "jobs")
    check_range(jobs, "employee_jobs", 0, 20_000_000, "jobs")
    inconsistent = jobs[jobs["suppressed"] != jobs["employee_jobs"].isna()]
    if not inconsistent.empty:
        raise ProcessingCheckError(f"jobs: {len(inconsistent)} rows where 'suppressed' and the missing value disagree")
    counts = {}
    covers = covers or {}
    for table, vintage in sorted(set(zip(jobs["source_table"], jobs["vintage"], strict=True))):
        rows = jobs[(jobs["source_table"] == table) & (jobs["vintage"] == vintage)]
        label = table if vintage in ("", None) else f"{table} {vintage}"
        hierarchy = check_hierarchy(rows, label)
        if hierarchy or rows["sbi_code"].nunique() > 1:  # a table of one SBI code has no sums to check
            counts[f"{label}: hierarchy sums"] = hierarchy
        if (rows["region_level"] != "nl").any():  # national tables have no regions to add up
            counts[f"{label}: regions add up to nation"] = check_regions_add_up(
                rows, table, vintage, covers.get((table, vintage), "corop+unassigned"))
    return counts


def build_jobs(cbs_tables: list[tuple[Source, pd.DataFrame]]) -> pd.DataFrame:
    """Combine the read tables, add derived rows, run every check and sort deterministically."""
    parts = []
    covers = {}
    for source, read in cbs_tables:
        fixes = derive_from_hierarchy(read)
        table = pd.concat([read, fixes], ignore_index=True) if not fixes.empty else read
        if not (read["region_level"] == "nl").any():
            table = pd.concat([table, derive_national(table, source.table_id)], ignore_index=True)
        parts.append(table)
        for vintage in read["vintage"].unique():
            covers[(source.table_id, vintage)] = source.extra.get("national_covers", "corop+unassigned")
    jobs = pd.concat(parts, ignore_index=True)
    jobs = sort_jobs(jobs)
    jobs.attrs["checks"] = check_jobs(jobs, covers)  # comparisons made, for the manifest
    return jobs


def sort_jobs(jobs: pd.DataFrame) -> pd.DataFrame:
    level_rank = {level: i for i, level in enumerate((*REGION_LEVELS, "gemeente"))}
    sbi_rank = sbi_sort_rank(jobs["sbi_code"])
    order = jobs.assign(
        _level=jobs["region_level"].map(level_rank), _sbi=jobs["sbi_code"].map(sbi_rank)
    ).sort_values(["source_table", "vintage", "_level", "region_code", "_sbi", "year", "period_status", "derived"],
                  kind="mergesort")
    return order.drop(columns=["_level", "_sbi"]).reset_index(drop=True)[list(JOBS_COLUMNS)]


def superseded_vintages() -> dict[str, set[str]]:
    """CBS table id -> the vintages of its earlier releases held beside the current one (registry)."""
    registry = load_registry()
    earlier: dict[str, set[str]] = {}
    for source in registry.values():
        later = registry.get(source.superseded_by)
        if later is not None and later.table_id == source.table_id and source.vintage:
            earlier.setdefault(source.table_id, set()).add(source.vintage)
    return earlier


def current_rows(jobs: pd.DataFrame) -> pd.DataFrame:
    """The rows of the current release of every table (earlier releases of 83582NED left out).

    The claim engine selects by ``source_table``; two releases of one table side by side would
    otherwise be mixed. Tables without a ``vintage`` column are returned unchanged.
    """
    if "vintage" not in jobs:
        return jobs
    earlier = superseded_vintages()
    old = pd.Series([v in earlier.get(t, ()) for t, v in zip(jobs["source_table"], jobs["vintage"], strict=True)],
                    index=jobs.index, dtype=bool)
    return jobs[~old].reset_index(drop=True)
