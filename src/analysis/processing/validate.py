"""Processed tables checked whenever they are read: sha256 against the manifest, then the contract.

:func:`load_table` is the one way to read a table of ``data/processed``: it checks that the file
exists and is not empty, that its header is the contract's (:mod:`analysis.processing.tables`), that
it has the rows the manifest lists, that every cell parses as its type, the pandera schema (types,
ranges, allowed codes, unique keys, rules across columns), and that its sha256 is the one
``manifest.json`` recorded when the build wrote it. Every failure is a :class:`ProcessedDataError`
naming the file, the problem and the way out. A table that passed is kept per process, keyed by path
and sha256, so reading it again costs one hash.

:func:`verify_checksum` is the cheap check alone (standard library, no pandas), for readers that must
stay fast. :func:`validate_folder` checks every table of a folder; the build runs it on what it is
about to publish.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import atomic, paths
from analysis.processing.tables import TABLES, THIS_YEAR, Table, get_table
from analysis.sources.snapshot import sha256_of

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

MANIFEST = "manifest.json"
WAY_OUT = "rebuild with `python -m analysis build`, or restore with `git checkout data/processed`"
EXAMPLES = 3  # failing cells quoted per problem


class ProcessedDataError(RuntimeError):
    """A processed table or its manifest is missing, damaged, or breaks its contract."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}. Way out: {WAY_OUT}")


class InterruptedBuildError(ProcessedDataError):
    """The folder holds the journal of a build whose publish did not finish: a mix of two builds."""

    def __init__(self, folder: Path) -> None:
        self.path, self.problem = Path(folder), "an interrupted build"
        RuntimeError.__init__(self, f"{folder}: an interrupted build (its files are part old, part new): "
                              "run `python -m analysis build` to finish it")


def refuse_interrupted(folder: Path) -> None:
    """Raise :class:`InterruptedBuildError` if a build's publish into ``folder`` did not finish."""
    if atomic.is_interrupted(folder):
        raise InterruptedBuildError(folder)


class MissingTableError(ProcessedDataError, FileNotFoundError):
    """A processed table or manifest that does not exist (also a FileNotFoundError)."""


# --- the cheap checks (standard library only) -------------------------------------------------------


def read_manifest(path: Path | None = None) -> dict[str, Any]:
    """A processed manifest (default ``data/processed/manifest.json``), with clear errors."""
    path = Path(path) if path is not None else paths.processed_dir() / MANIFEST
    refuse_interrupted(path.parent)
    if not path.is_file():
        raise MissingTableError(path, "does not exist (it is written by the build, with the tables); run "
                                "`python -m analysis fetch` first if there are no raw snapshots")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProcessedDataError(path, f"is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise ProcessedDataError(path, "has no \"tables\" record (the sha256 and rows of every table)")
    return manifest


def _recorded(path: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    record = manifest["tables"].get(path.name)
    if not isinstance(record, dict) or "sha256" not in record:
        raise ProcessedDataError(path, f"is not listed in {MANIFEST} beside it (listed: "
                                 f"{', '.join(manifest['tables']) or 'nothing'})")
    return record


def _sha_problem(path: Path, actual: str, expected: str) -> str:
    return (f"its sha256 ({actual[:12]}…) differs from the one {MANIFEST} recorded when the build wrote it "
            f"({expected[:12]}…): the file was changed after the build (edited by hand, or only partly "
            "copied)")


def verify_checksum(path: Path) -> str:
    """Check a processed file against the sha256 in ``manifest.json`` beside it; return the sha256."""
    path = Path(path)
    if not path.is_file():
        raise MissingTableError(path, "does not exist")
    expected = _recorded(path, read_manifest(path.parent / MANIFEST))["sha256"]
    actual = sha256_of(path)
    if actual != expected:
        raise ProcessedDataError(path, _sha_problem(path, actual, expected))
    return actual


# --- the contract as pandera schemas ------------------------------------------------------------------


def _bound(value: Any) -> Any:
    return date.today().year if value == THIS_YEAR else value


def _rules(table: Table) -> list[Any]:
    """Rules across columns: what one row must satisfy beyond its cells (pandera wide checks)."""
    import pandera.pandas as pa

    def region_level_matches(frame: pd.DataFrame) -> pd.Series:
        code = frame["region_code"]
        expected = code.str[:2].map({"NL": "nl", "LD": "landsdeel", "PV": "provincie", "CR": "corop"})
        return frame["region_level"] == expected.where(code != "CR99", "corop_unassigned")

    def value_iff_published(frame: pd.DataFrame) -> pd.Series:
        agrees = frame["employee_jobs"].isna() == frame["suppressed"]
        return (agrees | frame["derived"]) if "derived" in frame else agrees

    def derivation_iff_derived(frame: pd.DataFrame) -> pd.Series:
        return (frame["derivation"] != "") == frame["derived"]

    def edition_level_matches(frame: pd.DataFrame) -> pd.Series:
        levels = {edition: edition.split("-")[1] for edition in frame["edition"].unique()}  # few editions
        return frame["edition"].map(levels) == frame["level"]

    def empty_only_if_masked(frame: pd.DataFrame) -> pd.Series:
        return frame["students"].notna() | (frame["masked_cells"] > 0)

    rules = {
        "region_level_matches_region_code": ({"region_code", "region_level"}, region_level_matches),
        "value_empty_exactly_where_suppressed": ({"employee_jobs", "suppressed"}, value_iff_published),
        "derivation_given_exactly_for_derived_rows": ({"derivation", "derived"}, derivation_iff_derived),
        "edition_names_the_level": ({"edition", "level"}, edition_level_matches),
        "students_empty_only_if_cells_masked": ({"students", "masked_cells"}, empty_only_if_masked),
    }
    return [pa.Check(function, name=name, error=name.replace("_", " "))
            for name, (columns, function) in rules.items() if columns <= set(table.columns)]


def _fullmatch(pattern: str, optional: bool) -> pa.Check:
    """The whole value matches ``pattern`` ('' too if ``optional``); each distinct value is tested once."""
    import pandera.pandas as pa

    compiled = re.compile(pattern)

    def check(cells: pd.Series) -> pd.Series:
        verdicts = {v: bool(compiled.fullmatch(v)) or (optional and v == "") for v in cells.unique()}
        return cells.map(verdicts).astype(bool)

    return pa.Check(check, name="fullmatch", error=f"matches {pattern}")


@cache
def pandera_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a processed table (built once per process)."""
    import pandera.pandas as pa

    table = get_table(name)
    columns = {}
    for column, spec in table.fields.items():
        checks = []
        if spec.enum is not None:
            allowed = list(spec.enum) + ([""] if not spec.required else [])
            checks.append(pa.Check.isin(allowed))
        if spec.pattern is not None:
            checks.append(_fullmatch(spec.pattern, optional=not spec.required))
        if spec.type == "string" and spec.required and spec.pattern is None and spec.enum is None:
            checks.append(pa.Check(lambda cells: cells != "", name="not_empty", error="not empty"))
        if spec.minimum is not None:
            checks.append(pa.Check.ge(spec.minimum))
        if spec.maximum is not None:
            checks.append(pa.Check.le(_bound(spec.maximum)))
        columns[column] = pa.Column(_DTYPES[(spec.type, spec.required)], checks=checks,
                                    nullable=spec.type in ("number", "integer") and not spec.required)
    return pa.DataFrameSchema(columns, checks=_rules(table), unique=list(table.key), strict=True, ordered=True,
                              name=table.file)


# Table Schema type (and required) -> the pandas dtype the loaders return (those of series.load_jobs).
_DTYPES = {("string", True): "str", ("string", False): "str", ("integer", True): "int64",
           ("integer", False): "Int64", ("number", True): "Float64", ("number", False): "Float64",
           ("boolean", True): "bool"}


# --- reading ------------------------------------------------------------------------------------------


def _lines(index: Any) -> str:
    """Data row positions -> file line numbers (line 1 is the header)."""
    numbers = sorted({int(i) + 2 for i in index})
    shown = ", ".join(str(n) for n in numbers[:EXAMPLES])
    return f"line{'s' if len(numbers) > 1 else ''} {shown}" + (f" and {len(numbers) - EXAMPLES} more"
                                                               if len(numbers) > EXAMPLES else "")


def _typed(path: Path, table: Table, text: pd.DataFrame) -> pd.DataFrame:
    """Cells (all read as text) -> the contract's types; a cell that does not parse is named."""
    import pandas as pd

    frame = pd.DataFrame(index=text.index)
    for column, spec in table.fields.items():
        cells = text[column]
        empty = cells == ""
        if spec.required and spec.type != "string" and empty.any():
            raise ProcessedDataError(path, f"column {column} is empty on {_lines(cells.index[empty])}, "
                                     "where a value is required")
        if spec.type == "string":
            frame[column] = cells
        elif spec.type == "boolean":
            bad = ~cells.isin(["True", "False"])
            if bad.any():
                raise ProcessedDataError(path, f"column {column} holds {cells[bad].iloc[0]!r} on "
                                         f"{_lines(cells.index[bad])}; allowed: True, False")
            frame[column] = cells == "True"
        else:
            numbers = pd.to_numeric(cells.where(~empty), errors="coerce")
            bad = numbers.isna() & ~empty
            if bad.any():
                raise ProcessedDataError(path, f"column {column} holds {cells[bad].iloc[0]!r} on "
                                         f"{_lines(cells.index[bad])}: not a number")
            if spec.type == "integer":
                fraction = numbers.notna() & (numbers % 1 != 0)
                if fraction.any():
                    raise ProcessedDataError(path, f"column {column} holds {cells[fraction].iloc[0]!r} on "
                                             f"{_lines(cells.index[fraction])}: not a whole number")
            frame[column] = numbers.astype(_DTYPES[(spec.type, spec.required)])
    return frame


def _schema_problem(table: Table, errors: pa.errors.SchemaErrors) -> str:
    """Pandera's failure cases -> one sentence per broken rule, with examples and line numbers."""
    cases = errors.failure_cases
    parts = []
    for (context, column, check), group in cases.groupby(["schema_context", "column", "check"], dropna=False,
                                                          sort=False):
        if context != "Column":
            continue
        examples = ", ".join(repr(v) for v in list(dict.fromkeys(group["failure_case"].astype(str)))[:EXAMPLES])
        at = f" on {_lines(group['index'].dropna())}" if group["index"].notna().any() else ""
        parts.append(f"column {column} breaks the rule '{check}' ({len(group)} case(s){at}; e.g. {examples})")
    # rules across columns and the key: pandera reports each failing row once per column, count rows
    for check, group in cases[cases["schema_context"] != "Column"].groupby("check", sort=False):
        index = group["index"].dropna()
        rows = len(set(index))
        if check == "multiple_fields_uniqueness":
            first = group[group["index"] == index.iloc[0]].set_index("column")["failure_case"]
            example = ", ".join(str(first.get(c, "")) for c in table.key)
            parts.append(f"the key ({', '.join(table.key)}) is not unique: {rows} rows on {_lines(index)} share "
                         f"a key, e.g. ({example})")
        else:
            parts.append(f"rows break the rule '{check}' ({rows} row(s) on {_lines(index)})")
    return f"breaks its contract (analysis.processing.tables, {table.name}): " + "; ".join(parts)


def validate_frame(name: str, frame: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """Check a typed frame against the pandera schema of table ``name``; returns it."""
    import pandera.pandas as pa

    table = get_table(name)
    try:
        return pandera_schema(table.name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise ProcessedDataError(path or Path(table.file), _schema_problem(table, exc)) from None


# (resolved path, sha256) -> (typed frame, cells as text) of a table that passed
_VALIDATED: dict[tuple[str, str], tuple[pd.DataFrame, pd.DataFrame]] = {}


def load_table(name: str, path: Path | None = None) -> pd.DataFrame:
    """Read a processed table, check it and return the typed frame (a copy: callers may change it).

    ``name`` is a table name (``jobs``) or file name (``jobs.csv``); ``path`` defaults to
    ``data/processed/<file>``. The sha256 is checked against ``manifest.json`` beside the file;
    a file elsewhere without a manifest beside it (a table written by hand) is checked against the
    contract only, since no build recorded its hash.
    """
    return _checked(name, path)[0].copy()


def load_text(name: str, path: Path | None = None) -> pd.DataFrame:
    """The same checks as :func:`load_table`; returns every cell as the text in the file ('' if empty),
    as ``pd.read_csv(path, dtype=str, keep_default_na=False)`` gives it, for readers that parse cells
    themselves."""
    return _checked(name, path)[1].copy()


def _checked(name: str, path: Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    table = get_table(name)
    path = Path(path) if path is not None else paths.processed_dir() / table.file
    refuse_interrupted(path.parent)
    if not path.is_file():
        raise MissingTableError(path, "does not exist: build the processed data with `python -m analysis fetch` "
                                "and `python -m analysis build`")
    # The project's tables always have a manifest; elsewhere a missing one means no build wrote the file.
    checked = path.parent.resolve() == paths.processed_dir().resolve() or (path.parent / MANIFEST).exists()
    record = _recorded(path, read_manifest(path.parent / MANIFEST)) if checked else None
    actual = sha256_of(path)
    key = (str(path.resolve()), actual)
    if key in _VALIDATED and (record is None or record["sha256"] == actual):
        return _VALIDATED[key]
    if path.stat().st_size == 0:
        raise ProcessedDataError(path, "is empty (0 bytes)")
    try:
        text = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise ProcessedDataError(path, f"cannot be read as CSV ({exc})") from None
    header = list(text.columns)
    if header != list(table.columns):
        missing = [c for c in table.columns if c not in header]
        extra = [c for c in header if c not in table.columns]
        detail = (f"lacks the column(s) {missing}" if missing else "") + (" and " if missing and extra else "") + (
            f"has the unexpected column(s) {extra}" if extra else "")
        raise ProcessedDataError(path, f"{detail or 'has its columns in another order'} (expected "
                                 f"{', '.join(table.columns)})")
    if record is not None and "rows" in record and len(text) != record["rows"]:
        raise ProcessedDataError(path, f"has {len(text):,} data rows where {MANIFEST} lists {record['rows']:,}: "
                                 "the file is truncated, or rows were added or removed")
    frame = validate_frame(table.name, _typed(path, table, text), path)
    if record is not None and record["sha256"] != actual:
        raise ProcessedDataError(path, _sha_problem(path, actual, record["sha256"]))
    _VALIDATED[key] = (frame, text)
    return frame, text


def validate_folder(folder: Path) -> dict[str, int]:
    """Check every table the manifest of ``folder`` lists; returns table file -> rows."""
    manifest = read_manifest(folder / MANIFEST)
    unknown = [f for f in manifest["tables"] if f not in {t.file for t in TABLES.values()}]
    if unknown:
        raise ProcessedDataError(folder / MANIFEST, f"lists table(s) {unknown} that have no contract in "
                                 "analysis.processing.tables")
    return {file: len(load_table(file, folder / file)) for file in manifest["tables"]}
