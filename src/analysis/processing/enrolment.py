"""Enrolment step: DUO enrolment files -> the tidy ``enrolment.csv`` table (see ``analysis.processing.schema``).

Fixed order: parse every edition (:func:`analysis.sources.duo.parse_enrolment_file`) -> aggregate over
programmes, forms, phases and sex to edition x level x institution x municipality x CROHO sector x
year -> sanity checks against the parsed cells (and DUO's own totals row where the file has one).

Masked (``<5``) and suppressed (``-1``) cells are counted in ``masked_cells`` and left out of
``students``; a group whose every cell is masked has ``students`` empty, never zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.processing.checks import (
    ProcessingCheckError,
    check_allowed,
    check_range,
    check_unique,
)
from analysis.processing.schema import ENROLMENT_COLUMNS
from analysis.sources import duo

KEY = ["edition", "level", "institution_code", "municipality", "croho_sector", "year"]
LEVELS = ("hbo", "wo")
# The CROHO sectors ("onderdelen") DUO uses. hbo has no "natuur": science programmes sit in "techniek".
CROHO_SECTORS = (
    "economie",
    "gedrag en maatschappij",
    "gezondheidszorg",
    "landbouw en natuurlijke omgeving",
    "natuur",
    "onderwijs",
    "recht",
    "sectoroverstijgend",
    "taal en cultuur",
    "techniek",
)
FIRST_YEAR = 1990
TABLE = "enrolment"


@dataclass(frozen=True)
class EditionInput:
    """One DUO file as the registry describes it."""

    edition: str  # registry id, e.g. duo-hbo-2019
    level: str  # hbo | wo
    path: Path
    layout: str  # registry layout name, e.g. duo-wide-year
    encoding: str | None = None  # None: the layout's default (the registry's encoding)


def read_edition(edition: EditionInput) -> pd.DataFrame:
    """The parsed programme-level cells of one edition (see :data:`analysis.sources.duo.PARSED_COLUMNS`)."""
    if edition.level not in LEVELS:
        raise ProcessingCheckError(f"{edition.edition}: level {edition.level!r} is not one of {LEVELS}")
    return duo.parse_enrolment_file(Path(edition.path), edition.layout, edition.encoding)


def aggregate(parsed: pd.DataFrame, edition: str, level: str) -> pd.DataFrame:
    """Sum one edition's cells to the table's key; masked cells are counted, not summed."""
    # One name per institution and edition (the most frequent spelling, then alphabetical), so that a
    # spelling variant inside a file cannot split a group.
    names = (
        parsed.groupby(["institution_code", "institution_name"]).size().rename("n").reset_index()
        .sort_values(["institution_code", "n", "institution_name"], ascending=[True, False, True], kind="mergesort")
        .drop_duplicates("institution_code").set_index("institution_code")["institution_name"]
    )
    group = ["institution_code", "municipality", "croho_sector", "year"]
    grouped = parsed.groupby(group, sort=True)
    table = pd.DataFrame({
        "students": grouped["students"].sum(min_count=1),
        "masked_cells": grouped["masked"].sum(),
    }).reset_index()
    table["edition"], table["level"] = edition, level
    table["institution_name"] = table["institution_code"].map(names)
    return table


def sort_enrolment(table: pd.DataFrame) -> pd.DataFrame:
    """Columns of ``ENROLMENT_COLUMNS`` in order, a deterministic row order and stable dtypes."""
    table = table.sort_values(KEY, kind="mergesort").reset_index(drop=True)
    out = pd.DataFrame({
        column: table[column].astype(str) for column in ENROLMENT_COLUMNS
        if column not in ("year", "students", "masked_cells")
    })
    out["year"] = table["year"].astype("Int64")
    # Counts are whole numbers: nullable Int64 writes "123" and "" (masked) in the CSV.
    out["students"] = table["students"].round(0).astype("Int64")
    out["masked_cells"] = table["masked_cells"].astype("Int64")
    return out[list(ENROLMENT_COLUMNS)]


def build_enrolment(editions: list[EditionInput], *, check: bool = True) -> pd.DataFrame:
    """Parse every edition, aggregate to ``ENROLMENT_COLUMNS`` and (by default) run every check."""
    if not editions:
        raise ProcessingCheckError("enrolment: no DUO editions given")
    seen = [e.edition for e in editions]
    twice = sorted({e for e in seen if seen.count(e) > 1})
    if twice:
        raise ProcessingCheckError(f"enrolment: edition(s) given more than once: {twice}")
    raw_frames = {e.edition: read_edition(e) for e in editions}
    levels = {e.edition: e.level for e in editions}
    parts = [aggregate(raw_frames[name], name, levels[name]) for name in raw_frames]
    table = sort_enrolment(pd.concat(parts, ignore_index=True))
    if check:
        check_enrolment(table, raw_frames)
    return table


def check_enrolment(df: pd.DataFrame, raw_frames: Mapping[str, pd.DataFrame]) -> None:
    """Every sanity check of the enrolment table; raises :class:`ProcessingCheckError` on the first failure.

    ``raw_frames`` maps edition id -> the parsed cells the table was built from
    (:func:`analysis.sources.duo.parse_enrolment_file`).
    """
    if list(df.columns) != list(ENROLMENT_COLUMNS):
        raise ProcessingCheckError(f"{TABLE}: columns {list(df.columns)}; expected {list(ENROLMENT_COLUMNS)}")
    check_unique(df, KEY, TABLE)
    check_allowed(df, "level", LEVELS, TABLE)
    check_allowed(df, "croho_sector", CROHO_SECTORS, TABLE)
    check_range(df, "year", FIRST_YEAR, pd.Timestamp.now().year + 1, TABLE)
    check_range(df, "students", 0, 10_000_000, TABLE)
    check_range(df, "masked_cells", 0, 10_000_000, TABLE)
    for column in ("edition", "institution_code", "municipality", "croho_sector"):
        blank = df[df[column].fillna("").str.strip() == ""]
        if not blank.empty:
            raise ProcessingCheckError(f"{TABLE}: {len(blank)} row(s) with an empty {column}, e.g. {_sample(blank)}")
    empty = df[df["students"].isna() & (df["masked_cells"] == 0)]
    if not empty.empty:
        raise ProcessingCheckError(f"{TABLE}: {len(empty)} row(s) without students and without masked cells, "
                                   f"e.g. {_sample(empty)}")
    missing = sorted(set(df["edition"]) ^ set(raw_frames))
    if missing:
        raise ProcessingCheckError(f"{TABLE}: editions in the table and the parsed files differ: {missing}")
    for edition, raw in sorted(raw_frames.items()):
        _check_totals(df[df["edition"] == edition], raw, edition)
        if raw.attrs.get("layout") == "duo-wide-year-sex":
            _check_duo_totals(raw, edition)


def _check_totals(part: pd.DataFrame, raw: pd.DataFrame, edition: str) -> None:
    """Per year: the table's students and masked cells add up to the parsed cells."""
    table = part.groupby("year").agg(students=("students", "sum"), masked=("masked_cells", "sum"))
    cells = raw.groupby("year").agg(students=("students", "sum"), masked=("masked", "sum"))
    years = sorted(set(table.index) | set(cells.index))
    for year in years:
        got = table.loc[year] if year in table.index else None
        want = cells.loc[year] if year in cells.index else None
        if got is None or want is None:
            raise ProcessingCheckError(f"{TABLE}: {edition} year {year} is in only one of the table and the file")
        if int(got["students"]) != round(float(want["students"])) or int(got["masked"]) != int(want["masked"]):
            raise ProcessingCheckError(
                f"{TABLE}: {edition} {year}: the table sums to {int(got['students'])} students and "
                f"{int(got['masked'])} masked cells, the parsed file to {round(float(want['students']))} "
                f"and {int(want['masked'])}"
            )


def _check_duo_totals(raw: pd.DataFrame, edition: str) -> None:
    """The hbo 2018 layout ends with DUO's own totals row: it must equal the sum of the parsed cells."""
    totals = raw.attrs.get("duo_totals") or {}
    source = raw.attrs.get("source_file", edition)
    if not totals:
        raise ProcessingCheckError(
            f"{TABLE}: {edition} ({source}) has no DUO totals row ('Totalen' on the last line): "
            "the file may be truncated; fetch it again"
        )
    parsed = raw.groupby("year")["students"].sum()
    for year in sorted(set(totals) | set(parsed.index)):
        want, got = totals.get(year), parsed.get(year)
        if want is None or got is None or round(float(got)) != int(want):
            raise ProcessingCheckError(
                f"{TABLE}: {edition} ({source}) {year}: DUO's totals row says {want} students, "
                f"the parsed rows add up to {None if got is None else round(float(got))}"
            )


def _sample(frame: pd.DataFrame) -> list[dict]:
    return frame[KEY].head(3).astype(str).to_dict("records")


def masked_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Masked or suppressed cells per edition, for the build report and manifest.

    Columns: edition, level, rows, masked_cells (cells hidden by DUO, each 1-4 students), rows_with_masked
    (table rows that miss some students) and rows_all_masked (rows with ``students`` empty).
    Plain Python ints, so that ``to_dict("records")`` can be written as JSON.
    """
    columns = ["edition", "level", "rows", "masked_cells", "rows_with_masked", "rows_all_masked"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    grouped = df.assign(
        _with=df["masked_cells"].fillna(0) > 0, _all=df["students"].isna()
    ).groupby(["edition", "level"], sort=True)
    summary = pd.DataFrame({
        "rows": grouped.size(),
        "masked_cells": grouped["masked_cells"].sum(),
        "rows_with_masked": grouped["_with"].sum(),
        "rows_all_masked": grouped["_all"].sum(),
    }).reset_index()
    for column in columns[2:]:
        summary[column] = summary[column].astype("int64")
    summary["edition"] = summary["edition"].astype(object)
    summary["level"] = summary["level"].astype(object)
    return summary[columns]

