"""Tables for the data overview notebook: what the report rests on, and where the data are thin.

Every function takes the processed tables (as :func:`analysis.engine.series.load_jobs` /
:func:`analysis.engine.series.load_enrolment` return them) or the processed manifest and returns a small
DataFrame with reader-facing column names, ready to show. Nothing here changes the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.i18n import LANGUAGES, Text
from analysis.processing import validate
from analysis.processing.sbi import SBI_ORDER
from analysis.sources.registry import shown_text

MAIN_TABLE = "83582NED"
OLDER_TABLE = "81402ned"
NATIONAL = "NL01"
UNASSIGNED = "CR99"  # CBS's "Niet in te delen": jobs no COROP region can be given
HIERARCHY_PREFIX = "SBI hierarchy"


def read_manifest(path: Path | None = None) -> dict[str, Any]:
    """``data/processed/manifest.json`` (a FileNotFoundError with the command that writes it if missing;
    :class:`analysis.processing.validate.ProcessedDataError` if it is not a processed manifest)."""
    return validate.read_manifest(path)


def _sbi_sorted(codes: Iterable[str]) -> list[str]:
    order = {code: i for i, code in enumerate(SBI_ORDER)}
    return sorted(set(codes), key=lambda c: (order.get(c, len(order)), c))


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").astype(str)


def shown(record: Mapping[str, Any], name: str) -> dict[str, str]:
    """A manifest record's ``title``, ``licence`` or ``partial`` per language: the registry's
    variants (the manifest holds one language only), the manifest's value for an unknown dataset."""
    return {lang: shown_text(record["dataset_id"], name, lang, str(record.get(name, "") or ""))
            for lang in LANGUAGES}


def sources_table(manifest: Mapping[str, Any]) -> pd.DataFrame:
    """One row per input: publisher, table or edition, licence, retrieval date, origin, caveat
    (title, licence and caveat as ``{"nl": ..., "en": ...}``)."""
    rows = []
    for record in manifest.get("inputs", []):
        dataset_id = record["dataset_id"]
        mode = record.get("mode", "")
        rows.append({
            "publisher": record.get("publisher", ""),
            "table / edition": dataset_id.split("-", 1)[1] if record.get("publisher") == "CBS" else dataset_id,
            "title": shown(record, "title"),
            "licence": shown(record, "licence"),
            "retrieved": str(record.get("retrieved_at", ""))[:10],
            "mode": mode,  # mirror | live (the page says it in words)
            "origin": str(record.get("origin", "")),
            "caveat": shown(record, "partial"),
        })
    return pd.DataFrame(rows, columns=["publisher", "table / edition", "title", "licence", "retrieved", "mode",
                                       "origin", "caveat"])


def coverage_grid(jobs: pd.DataFrame, enrolment: pd.DataFrame) -> pd.DataFrame:
    """Years (columns) x sources (rows): ✓ where the source has any published value that year."""
    published_jobs = jobs[~jobs["derived"] & ~jobs["suppressed"]]
    cells = [(f"CBS {table}", year) for table, year in
             published_jobs[["source_table", "year"]].drop_duplicates().itertuples(index=False)]
    published_students = enrolment[enrolment["students"].notna()]
    cells += [(f"DUO {edition}", year) for edition, year in
              published_students[["edition", "year"]].drop_duplicates().itertuples(index=False)]
    if not cells:
        return pd.DataFrame()
    frame = pd.DataFrame(cells, columns=["source", "year"]).assign(covered=True)
    grid = frame.pivot_table(index="source", columns="year", values="covered", aggfunc="any", fill_value=False)
    years = range(int(grid.columns.min()), int(grid.columns.max()) + 1)  # show gap years as empty columns
    grid = grid.reindex(columns=years, fill_value=False).astype(bool)
    return grid.map(lambda covered: "✓" if covered else "").rename_axis(index="source", columns="year")


def region_coverage(jobs: pd.DataFrame) -> pd.DataFrame:
    """Per CBS table and region level: how many regions, and whether their rows are read or derived."""
    rows = []
    levels = ["nl", "landsdeel", "provincie", "corop", "corop_unassigned"]
    for (table, level), group in jobs.groupby(["source_table", "region_level"]):
        read = group[~group["derived"]]
        rows.append({
            "table": table, "level": level, "regions": group["region_code"].nunique(),
            "example": group.sort_values("region_code")["region_name"].iloc[0],
            "rows read from CBS": len(read), "rows derived here": int(group["derived"].sum()),
        })
    frame = pd.DataFrame(rows)
    frame["_order"] = frame["level"].map({level: i for i, level in enumerate(levels)})
    return frame.sort_values(["table", "_order"]).drop(columns="_order").reset_index(drop=True)


def has_published_national_rows(jobs: pd.DataFrame, table: str = MAIN_TABLE) -> bool:
    """Whether ``table`` has national rows as published by CBS (not summed here)."""
    national = jobs[(jobs["source_table"] == table) & (jobs["region_code"] == NATIONAL)]
    return bool((~national["derived"]).any())


def suppressed_by_year_sbi(jobs: pd.DataFrame, table: str = MAIN_TABLE, region: str | None = None) -> pd.DataFrame:
    """SBI section (rows, CBS order) x year: cells CBS did not publish, in COROP regions (+ CR99).

    With ``region``, only that region's cells (0/1 per section and year).
    """
    published = jobs[(jobs["source_table"] == table) & ~jobs["derived"]]
    published = published[published["region_level"].isin(["corop", "corop_unassigned"])]
    if region is not None:
        published = published[published["region_code"] == region]
    table_ = published.pivot_table(index="sbi_code", columns="year", values="suppressed", aggfunc="sum",
                                   fill_value=0)
    return table_.reindex(_sbi_sorted(published["sbi_code"])).astype(int).rename_axis(index="SBI section",
                                                                                       columns="year")


def suppressed_summary(jobs: pd.DataFrame, table: str = MAIN_TABLE) -> dict[str, int]:
    """Counts for the text: cells, suppressed cells, and how many of those the hierarchy fixes."""
    rows = jobs[jobs["source_table"] == table]
    published = rows[~rows["derived"]]
    fixed = rows[rows["derived"] & _text(rows["derivation"]).str.startswith(HIERARCHY_PREFIX)]
    return {"cells": len(published), "suppressed": int(published["suppressed"].sum()), "fixed_by_hierarchy": len(fixed)}


def national_sums(jobs: pd.DataFrame, table: str = MAIN_TABLE, sbi: Iterable[str] | None = None,
                  incomplete_only: bool = True, max_listed: int | None = None) -> pd.DataFrame:
    """Derived national figures: year, section, value and the COROP regions missing from the sum.

    The missing regions are codes separated by ";" ("CR05;CR06"); with ``max_listed`` they are
    region names per language instead, the list cut after ``max_listed`` ("Oost-Groningen, Delfzijl
    en omgeving … en nog 23 regio's").
    """
    rows = jobs[(jobs["source_table"] == table) & (jobs["region_code"] == NATIONAL) & jobs["derived"]].copy()
    if sbi is not None:
        rows = rows[rows["sbi_code"].isin(list(sbi))]
    rows["missing_parts"] = _text(rows["missing_parts"])
    rows["missing regions"] = rows["missing_parts"].map(lambda s: len([p for p in s.split(";") if p]))
    if incomplete_only:
        rows = rows[rows["missing regions"] > 0]
    if max_listed is not None:
        names = region_display_names(jobs, table)
        rows["missing_parts"] = rows["missing_parts"].map(
            lambda listed: missing_regions_text([c for c in listed.split(";") if c], names, max_listed))
    rows["_order"] = rows["sbi_code"].map({c: i for i, c in enumerate(SBI_ORDER)})
    rows = rows.sort_values(["_order", "year"])
    return rows.rename(columns={"sbi_code": "SBI section", "employee_jobs": "employee jobs (sum of regions present)",
                                "missing_parts": "regions missing from the sum"})[
        ["SBI section", "year", "employee jobs (sum of regions present)", "missing regions",
         "regions missing from the sum", "derivation"]].reset_index(drop=True)


def region_display_names(jobs: pd.DataFrame, table: str = MAIN_TABLE) -> dict[str, str]:
    """Region code -> the name a reader sees ("Twente (CR)" -> "Twente"); CR99 is named in words."""
    from analysis.engine.series import short_name

    rows = jobs[jobs["source_table"] == table].drop_duplicates("region_code")
    return {str(code): short_name(str(name)) for code, name in zip(rows["region_code"], rows["region_name"],
                                                                     strict=True) if code != UNASSIGNED}


def missing_regions_text(codes: list[str], names: Mapping[str, str], max_listed: int) -> dict[str, str]:
    """The regions named (at most ``max_listed``, then how many more) per language."""
    out = {}
    for lang in LANGUAGES:
        shown_names = [Text("datasets.region.unassigned").render(lang) if code == UNASSIGNED
                       else names.get(code, code) for code in codes]
        listed = ", ".join(shown_names[:max_listed])
        more = len(codes) - max_listed
        out[lang] = Text("datasets.regions.more", {"listed": listed, "n": more}).render(lang) if more > 0 else listed
    return out


def national_missing_grid(jobs: pd.DataFrame, table: str = MAIN_TABLE) -> pd.DataFrame:
    """SBI section x year: number of COROP regions missing from each derived national sum."""
    sums = national_sums(jobs, table, incomplete_only=False)
    grid = sums.pivot_table(index="SBI section", columns="year", values="missing regions", aggfunc="sum", fill_value=0)
    return grid.reindex(_sbi_sorted(sums["SBI section"])).astype(int)


def hierarchy_derived(jobs: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Cells CBS suppressed that the SBI hierarchy fixes (parent minus the other parts)."""
    rows = jobs[jobs["derived"] & _text(jobs["derivation"]).str.startswith(HIERARCHY_PREFIX)]
    if region is not None:
        rows = rows[rows["region_code"] == region]
    rows = rows.sort_values(["source_table", "region_code", "year", "sbi_code"])
    return rows.rename(columns={"source_table": "table", "region_name": "region", "sbi_code": "SBI section",
                                "employee_jobs": "employee jobs (derived)"})[
        ["table", "region", "SBI section", "year", "employee jobs (derived)", "derivation"]].reset_index(drop=True)


def masked_by_edition(enrolment: pd.DataFrame) -> pd.DataFrame:
    """Per DUO edition: years, rows, cells DUO masked (<5) or suppressed (-1), rows with no count left."""
    rows = []
    for (edition, level), group in enrolment.groupby(["edition", "level"]):
        rows.append({
            "edition": edition, "level": level,
            "years": f"{group['year'].min()}–{group['year'].max()}",
            "rows": len(group),
            "masked cells": int(group["masked_cells"].sum()),
            "rows with a masked cell": int((group["masked_cells"] > 0).sum()),
            "rows with every cell masked": int(group["students"].isna().sum()),
        })
    return pd.DataFrame(rows)


def institution_coverage(enrolment: pd.DataFrame, institutions: Mapping[str, str]) -> pd.DataFrame:
    """Edition x institution: the years each edition covers for each institution ('' = none)."""
    rows = []
    for edition, group in enrolment.groupby("edition"):
        row: dict[str, Any] = {"edition": edition}
        for code, name in institutions.items():
            years = sorted(group.loc[(group["institution_code"] == code) & group["students"].notna(), "year"].unique())
            row[name] = f"{years[0]}–{years[-1]}" if years else ""  # a reader's name, not the BRIN code
        rows.append(row)
    return pd.DataFrame(rows)


def uncovered_years(enrolment: pd.DataFrame, institutions: Mapping[str, str], years: Iterable[int]) -> dict[str, list[int]]:
    """Years (within ``years``) for which no edition has counts of an institution."""
    result = {}
    for code, name in institutions.items():
        covered = set(enrolment.loc[(enrolment["institution_code"] == code) & enrolment["students"].notna(), "year"])
        result[name] = [y for y in years if y not in covered]
    return result


def partial_inputs(manifest: Mapping[str, Any]) -> pd.DataFrame:
    """Inputs the registry marks as partial, with what is missing (title and note per language)."""
    rows = [{"dataset": r["dataset_id"], "title": shown(r, "title"), "what is missing": shown(r, "partial")}
            for r in manifest.get("inputs", []) if r.get("partial")]
    return pd.DataFrame(rows, columns=["dataset", "title", "what is missing"])


def vintage_comparison(jobs: pd.DataFrame, region: str, sbi: str = "A-U") -> pd.DataFrame:
    """The same cells in the older (81402ned) and the current (83582NED) release, for common years.

    Uses the published cell, else the derived one (the current table's national figure is a sum of
    regions); the ``current figure`` column says which.
    """
    rows = jobs[(jobs["region_code"] == region) & (jobs["sbi_code"] == sbi)
                & jobs["source_table"].isin([OLDER_TABLE, MAIN_TABLE]) & jobs["employee_jobs"].notna()]
    best = rows.sort_values("derived", kind="mergesort").drop_duplicates(["source_table", "year"])
    older = best[best["source_table"] == OLDER_TABLE].set_index("year")
    current = best[best["source_table"] == MAIN_TABLE].set_index("year")
    years = sorted(set(older.index) & set(current.index))
    out = pd.DataFrame({
        "year": years,
        f"{OLDER_TABLE} (older release)": [float(older.at[y, "employee_jobs"]) for y in years],
        f"{OLDER_TABLE} status": [older.at[y, "period_status"] for y in years],
        f"{MAIN_TABLE} (current)": [float(current.at[y, "employee_jobs"]) for y in years],
        "current figure": [str(current.at[y, "derivation"]) or "published" if current.at[y, "derived"]
                           else "published" for y in years],
    })
    out["revision"] = out[f"{MAIN_TABLE} (current)"] - out[f"{OLDER_TABLE} (older release)"]
    out["revision (%)"] = (out["revision"] / out[f"{OLDER_TABLE} (older release)"] * 100).round(2)
    return out


def year_ranges(years: Iterable[int]) -> str:
    """[2010, 2012, 2013, 2014] -> "2010, 2012–2014"."""
    ordered = sorted({int(y) for y in years})
    parts: list[str] = []
    start = previous = None
    for year in [*ordered, None]:
        if start is not None and (year is None or year != previous + 1):
            parts.append(str(start) if start == previous else f"{start}–{previous}")
            start = None
        if year is not None and start is None:
            start = year
        previous = year
    return ", ".join(parts)


def region_gaps(jobs: pd.DataFrame, region: str, table: str = MAIN_TABLE) -> pd.DataFrame:
    """The region's unpublished cells per SBI section: which years, and whether the hierarchy fixes them."""
    rows = jobs[(jobs["source_table"] == table) & (jobs["region_code"] == region)]
    suppressed = rows[~rows["derived"] & rows["suppressed"]][["sbi_code", "sbi_label", "year"]]
    fixed = rows[rows["derived"]][["sbi_code", "year"]].assign(fixed=True)
    merged = suppressed.merge(fixed, on=["sbi_code", "year"], how="left")
    merged["fixed"] = merged["fixed"].astype("boolean").fillna(False).astype(bool)
    out = []
    for (code, label, is_fixed), group in merged.groupby(["sbi_code", "sbi_label", "fixed"]):
        out.append({"SBI section": code, "section": label, "years not published": year_ranges(group["year"]),
                    "cells": len(group),
                    "recovered from the hierarchy": bool(is_fixed)})
    frame = pd.DataFrame(out, columns=["SBI section", "section", "years not published", "cells",
                                       "recovered from the hierarchy"])
    order = {c: i for i, c in enumerate(SBI_ORDER)}
    return frame.sort_values("SBI section", key=lambda s: s.map(order), kind="mergesort").reset_index(drop=True)
