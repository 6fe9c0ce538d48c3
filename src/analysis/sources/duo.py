"""DUO open onderwijsdata: parsers for every layout of the "ingeschrevenen" files and the address file.

Pure functions on a file path: fetching and snapshots live in :mod:`analysis.sources.fetch` and
:mod:`analysis.sources.snapshot`. The layout names are the ones the source registry (``data/sources.toml``) uses:

``duo-wide-year``
    "01. Ingeschrevenen hbo/wo", 2019 editions: one row per municipality x institution
    (``BRIN NUMMER ACTUEEL``) x CROHO programme x form x sex (``GESLACHT``), one column per year.
    The wo file is UTF-8 with a byte order mark.
``duo-wide-year-sex``
    hbo 2018 edition: adds ``OPLEIDINGSFASE ACTUEEL`` (propedeuse bachelor / bachelor / ...), one column
    per year and sex (``2014 Man;2014 Vrouw;...``), ASCII with CR CR LF line ends. The last line is DUO's
    own totals row (``Totalen`` in the phase column, the total of both sexes under ``YYYY Man``); it is
    dropped and kept in ``frame.attrs["duo_totals"]`` for the build's check. Beware: in this edition
    ``GEMEENTENAAM`` is the municipality of the institution's *seat* (all of Saxion sits in Enschede),
    whereas the 2019 and later editions give the municipality of the teaching location (Saxion: Enschede,
    Deventer, Apeldoorn).
``duo-wide-year-2024``
    hbo 2024 edition: as ``duo-wide-year`` but ``INSTELLINGSCODE ACTUEEL``, ``ONDERDEEL``,
    ``SUBONDERDEEL``; counts below 5 are masked as ``<5``; ``GESLACHT`` may be ``onbekend``.
``duo-long``
    DUO's newer long format (onderwijsdata.duo.nl, dataset p01hoinges): one row per ``STUDIEJAAR`` x
    municipality x institution x ``ONDERDEEL`` (upper case with underscores, ``GEDRAG_EN_MAATSCHAPPIJ``)
    x programme, count in ``AANTAL_INGESCHREVENEN``; ``-1`` = suppressed (fewer than 5). Depending on the
    file, ``GESLACHT``, ``OPLEIDINGSVORM`` (``VT``/``DT``/``DU``), ``OPLEIDINGSCODE_ACTUEEL`` and
    ``OPLEIDINGSNAAM_ACTUEEL`` are present or not; absent ones become ``""``.
    ``STUDIEJAAR`` is read as the academic year named by the calendar year in which it starts, i.e. the
    count on 1 October of STUDIEJAAR, so ``year = STUDIEJAAR`` without a shift. Evidence: DUO describes
    the field as "studiejaar" with reference date 1 October, and the hbo long file of the 2024 release
    covers STUDIEJAAR 2020-2024, the same years as the wide 2024 edition, whose columns are 1 October
    counts (both as summarised in public third-party metadata of dataset p01hoinges; not checked against
    DUO's portal from here). No file in the mirror overlaps the long file's years, so the data cannot
    confirm it: a test on a future overlapping edition should.
``duo-institutions``
    "01. Instellingen hbo en wo": the address file, ISO-8859-1.

Every enrolment parser returns the same long, programme-level frame (:data:`PARSED_COLUMNS`), one row
per published cell. A masked (``<5``) or suppressed (``-1``) cell has ``students`` NaN and ``masked``
True: it is never turned into zero.

Decoding: a byte order mark wins; otherwise the file is decoded with the registry's ``encoding``
strictly, except that where the registry says ISO-8859-1 (or cp1252) UTF-8 is tried first, so that
a republication in UTF-8 is not silently garbled (Latin-1 text with accents is practically never
valid UTF-8). Line ends (LF, CR LF, CR CR LF, lone CR) are normalised before parsing.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# The long, programme-level frame every enrolment parser returns (extra detail after ``sex``).
PARSED_COLUMNS: tuple[str, ...] = (
    "institution_code",  # BRIN / INSTELLINGSCODE, e.g. 23AH
    "institution_name",
    "municipality_code",  # CBS municipality number, 4 digits ("0153"); "" where the file has none
    "municipality",  # title case, consistent across editions ("Enschede", "'s-Hertogenbosch")
    "croho_sector",  # lower case with spaces ("techniek", "gedrag en maatschappij")
    "croho_subsector",  # "" where the file has none
    "programme_code",  # CROHO code as text ("34267"); "" where the file has none
    "programme_name",
    "programme_level",  # TYPE HOGER ONDERWIJS: bachelor, master, associate degree, postmaster, ...
    "programme_form",  # voltijd onderwijs | deeltijd onderwijs | duaal onderwijs | ""
    "programme_phase",  # OPLEIDINGSFASE (hbo 2018 edition only), else ""
    "sex",  # man | vrouw | onbekend | "" (not broken down by sex)
    "year",  # calendar year in which the academic year starts (count on 1 October)
    "students",  # float; NaN where DUO masked or suppressed the cell
    "masked",  # True where the cell was masked (<5) or suppressed (-1)
    "line",  # line of the source file (1 = header), for tracing a value back
)

DESCRIPTIVE_COLUMNS: tuple[str, ...] = PARSED_COLUMNS[: PARSED_COLUMNS.index("year")]

INSTITUTION_COLUMNS: tuple[str, ...] = (
    "brin", "name", "kind", "province", "municipality_code", "municipality", "place", "street",
    "house_number", "postcode", "denomination", "website", "coroparea_code", "coroparea_name",
)

MASKS: dict[str, str] = {"<5": "masked (fewer than 5)", "-1": "suppressed (fewer than 5)"}
FORMS = {"VT": "voltijd onderwijs", "DT": "deeltijd onderwijs", "DU": "duaal onderwijs"}
TOTALS_LABELS = {"totalen", "totaal"}
LATIN1_LIKE = {"iso8859-1", "latin-1", "cp1252", "iso8859-15"}


class DuoError(ValueError):
    """A DUO file cannot be read as registered; the message names the file and the way out."""


class DuoLayoutError(DuoError):
    """The header (or a line's shape) does not fit the layout the registry names."""


class DuoDecodeError(DuoError):
    """The file's bytes are not in the encoding the registry names."""


class DuoMissingYearError(DuoError):
    """An enrolment file lacks a year its registry entry says the edition holds."""


def check_years(found: Iterable[int], declared: Iterable[int], path: Path | str, dataset_id: str) -> None:
    """Refuse an edition that lacks a declared year (a file that lost a year column parses fine)."""
    missing = sorted(set(declared) - {int(year) for year in found})
    if missing:
        raise DuoMissingYearError(
            f"{path}: holds no {', '.join(map(str, missing))} although the registry says edition {dataset_id} "
            f"holds {', '.join(map(str, sorted(set(declared))))}: the file lost a year (a column or its rows). "
            f"Fetch {dataset_id} again; if DUO really changed the edition, correct its `years` in "
            "src/analysis/data/sources.toml")


class DuoValueError(DuoError):
    """A count is neither a number nor one of DUO's masks."""


@dataclass(frozen=True)
class Layout:
    """What a layout's header must hold, and how its count columns are named."""

    name: str
    columns: dict[str, str]  # output field -> source column (required)
    optional: dict[str, str]  # output field -> source column (used when present)
    value_pattern: str  # regex for count columns ("" = one count column, see ``count_column``)
    value_hint: str  # how the count columns look, for error messages
    encoding: str  # default: the encoding the registry gives for this layout
    count_column: str = ""
    year_column: str = ""


_WIDE_OPTIONAL = {
    "municipality_code": "GEMEENTENUMMER",
    "programme_level": "TYPE HOGER ONDERWIJS",
}
_WIDE_COLUMNS = {
    "municipality": "GEMEENTENAAM",
    "institution_code": "BRIN NUMMER ACTUEEL",
    "institution_name": "INSTELLINGSNAAM ACTUEEL",
    "croho_sector": "CROHO ONDERDEEL",
    "programme_code": "OPLEIDINGSCODE ACTUEEL",
    "programme_name": "OPLEIDINGSNAAM ACTUEEL",
    "programme_form": "OPLEIDINGSVORM",
}

LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout(
            "duo-wide-year",
            columns={**_WIDE_COLUMNS, "sex": "GESLACHT"},
            optional={**_WIDE_OPTIONAL, "croho_subsector": "CROHO SUBONDERDEEL"},
            value_pattern=r"(?P<year>\d{4})",
            value_hint="one count column per year ('2015', '2016', ...)",
            encoding="utf-8-sig",
        ),
        Layout(
            "duo-wide-year-sex",
            columns={**_WIDE_COLUMNS, "programme_phase": "OPLEIDINGSFASE ACTUEEL"},
            optional={**_WIDE_OPTIONAL, "croho_subsector": "CROHO SUBONDERDEEL"},
            value_pattern=r"(?P<year>\d{4}) (?P<sex>(?i:man|vrouw))",
            value_hint="one count column per year and sex ('2014 Man', '2014 Vrouw', ...)",
            encoding="ascii",
        ),
        Layout(
            "duo-wide-year-2024",
            columns={
                **_WIDE_COLUMNS,
                "institution_code": "INSTELLINGSCODE ACTUEEL",
                "croho_sector": "ONDERDEEL",
                "sex": "GESLACHT",
            },
            optional={**_WIDE_OPTIONAL, "croho_subsector": "SUBONDERDEEL"},
            value_pattern=r"(?P<year>\d{4})",
            value_hint="one count column per year ('2020', '2021', ...)",
            encoding="utf-8-sig",
        ),
        Layout(
            "duo-long",
            columns={
                "municipality": "GEMEENTENAAM",
                "institution_code": "INSTELLINGSCODE_ACTUEEL",
                "institution_name": "INSTELLINGSNAAM_ACTUEEL",
                "croho_sector": "ONDERDEEL",
            },
            optional={
                "municipality_code": "GEMEENTENUMMER",
                "croho_subsector": "SUBONDERDEEL",
                "programme_code": "OPLEIDINGSCODE_ACTUEEL",
                "programme_name": "OPLEIDINGSNAAM_ACTUEEL",
                "programme_level": "TYPE_HOGER_ONDERWIJS",
                "programme_form": "OPLEIDINGSVORM",
                "sex": "GESLACHT",
            },
            value_pattern="",
            value_hint="",
            encoding="utf-8-sig",
            count_column="AANTAL_INGESCHREVENEN",
            year_column="STUDIEJAAR",
        ),
        Layout(
            "duo-institutions",
            columns={"brin": "BRIN NUMMER", "name": "INSTELLINGSNAAM", "municipality": "GEMEENTENAAM"},
            optional={
                "kind": "SOORT HO",
                "province": "PROVINCIE",
                "municipality_code": "GEMEENTENUMMER",
                "place": "PLAATSNAAM",
                "street": "STRAATNAAM",
                "house_number": "HUISNUMMER-TOEVOEGING",
                "postcode": "POSTCODE",
                "denomination": "DENOMINATIE",
                "website": "INTERNETADRES",
                "coroparea_code": "COROPGEBIED CODE",
                "coroparea_name": "COROPGEBIED NAAM",
            },
            value_pattern="",
            value_hint="",
            encoding="iso-8859-1",
        ),
    )
}
ENROLMENT_LAYOUTS: tuple[str, ...] = tuple(name for name in LAYOUTS if name != "duo-institutions")


# --- decoding -------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_bytes(raw: bytes, encoding: str, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Text of a file and the codec that decoded it.

    A byte order mark decides; otherwise ``encoding`` is used strictly, except that for ISO-8859-1
    (and cp1252) UTF-8 is tried first. Raises :class:`DuoDecodeError` naming the file and every
    encoding tried.
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), f"{codec} (byte order mark)"
            except UnicodeDecodeError as exc:
                raise DuoDecodeError(
                    f"{path}: starts with a {codec} byte order mark but cannot be decoded as {codec} "
                    f"({exc.reason} at byte {exc.start + len(bom)})"
                ) from exc
    try:
        codec = codecs.lookup(encoding).name
    except LookupError as exc:
        raise DuoDecodeError(f"{path}: unknown encoding {encoding!r} (check the registry entry)") from exc
    if codec == "utf-8-sig":
        codec = "utf-8"  # no BOM present (checked above)
    candidates = ["utf-8", codec] if codec in LATIN1_LIKE else [codec]
    failures = []
    for candidate in candidates:
        try:
            return raw.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            failures.append(f"{candidate}: {exc.reason} at byte {exc.start}")
    raise DuoDecodeError(
        f"{path}: cannot be decoded as {' or '.join(candidates)} ({'; '.join(failures)}). "
        "Check the encoding the registry gives for this file (data/sources.toml)"
    )


def normalise_line_ends(text: str) -> str:
    """LF, CR LF, CR CR LF (hbo 2018 edition) and lone CR all become LF."""
    return re.sub(r"\r+\n?", "\n", text)


def read_text(path: Path, encoding: str) -> tuple[str, str]:
    text, codec = decode_bytes(Path(path).read_bytes(), encoding, path)
    return normalise_line_ends(text), codec


# --- names ----------------------------------------------------------------------------------------

_PARTICLES = {"aan", "op", "de", "den", "der", "en", "in", "bij", "van", "het", "ter", "ten", "te", "onder"}
# Spellings that title case alone cannot restore (ASCII-only older editions drop the accents).
_MUNICIPALITY_SPELLINGS = {
    "S GRAVENHAGE": "'s-Gravenhage",
    "S HERTOGENBOSCH": "'s-Hertogenbosch",
    "SUDWEST FRYSLAN": "Súdwest-Fryslân",
    "SUDWEST-FRYSLAN": "Súdwest-Fryslân",
    "NOARDEAST FRYSLAN": "Noardeast-Fryslân",
    "NOARDEAST-FRYSLAN": "Noardeast-Fryslân",
}


def _title_word(word: str, first: bool) -> str:
    if not word:
        return word
    if re.fullmatch(r"\([A-Z.]{1,4}\)", word):  # "(NH.)" stays as DUO writes it
        return word
    lower = word.lower()
    if not first and lower in _PARTICLES:
        return lower
    if lower.startswith("ij"):
        return "IJ" + lower[2:]
    return lower[0].upper() + lower[1:]


def municipality_name(raw: str) -> str:
    """DUO's municipality name in title case, spelled the same in every edition.

    Newer editions already write title case ("Bergen op Zoom", "'s-Hertogenbosch") and are kept as
    they are; the upper-case names of older editions ("S HERTOGENBOSCH", "BERGEN OP ZOOM") are
    converted to the same spelling.
    """
    name = " ".join(raw.split())
    if not name or any(c.islower() for c in name):
        return name
    key = name.replace("'", "").strip()
    if key in _MUNICIPALITY_SPELLINGS:
        return _MUNICIPALITY_SPELLINGS[key]
    if re.match(r"^'?S[ -]", name):  # 's-Gravenhage style names not in the table
        rest = re.sub(r"^'?S[ -]", "", name)
        return "'s-" + _title_case(rest)
    return _title_case(name)


def _title_case(name: str) -> str:
    parts = re.split(r"([ -])", name)
    return "".join(
        part if part in (" ", "-") else _title_word(part, first=(i == 0)) for i, part in enumerate(parts)
    )


def croho_sector(raw: str) -> str:
    """``GEDRAG_EN_MAATSCHAPPIJ`` / ``gedrag en maatschappij`` -> ``gedrag en maatschappij``."""
    return " ".join(raw.replace("_", " ").lower().split())


def _municipality_code(raw: str) -> str:
    raw = raw.strip()
    return raw.zfill(4) if raw.isdigit() else raw


def _sex(raw: str) -> str:
    return raw.strip().lower()


def _form(raw: str) -> str:
    raw = raw.strip()
    return FORMS.get(raw.upper(), raw.lower())


_FIELD_CLEANERS = {
    "municipality": municipality_name,
    "municipality_code": _municipality_code,
    "croho_sector": croho_sector,
    "croho_subsector": lambda s: " ".join(s.split()),
    "sex": _sex,
    "programme_form": _form,
    "programme_level": lambda s: " ".join(s.split()),
    "programme_phase": lambda s: " ".join(s.split()),
}


# --- header checks --------------------------------------------------------------------------------


def _missing_columns(layout: Layout, header: list[str]) -> list[str]:
    present = set(header)
    needed = list(layout.columns.values())
    if layout.count_column:
        needed += [layout.year_column, layout.count_column]
    missing = [c for c in needed if c not in present]
    if layout.value_pattern and not any(re.fullmatch(layout.value_pattern, c) for c in header):
        missing.append(layout.value_hint)
    return missing


def detect_layouts(header: list[str]) -> list[str]:
    """Every layout whose required columns the header holds (usually exactly one)."""
    header = [c.strip() for c in header]
    return [name for name, layout in LAYOUTS.items() if not _missing_columns(layout, header)]


def _check_header(path: Path, layout: Layout, header: list[str]) -> None:
    missing = _missing_columns(layout, header)
    if not missing:
        return
    others = [name for name in detect_layouts(header) if name != layout.name]
    hint = (f" The header fits layout {others[0]!r}: is the registry entry's layout wrong?" if others
            else " Has DUO changed the file's layout? Compare it with the layouts in analysis.sources.duo.")
    raise DuoLayoutError(
        f"{path}: not the {layout.name!r} layout: missing column(s) {missing}; "
        f"columns found: {header}.{hint}"
    )


def _read_rows(path: Path, layout: Layout, encoding: str | None) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    text, codec = read_text(path, encoding or layout.encoding)
    reader = csv.reader(io.StringIO(text), delimiter=";")
    lines = list(reader)
    if not lines:
        raise DuoLayoutError(f"{path}: the file is empty; expected a {layout.name!r} header")
    header = [c.strip() for c in lines[0]]
    _check_header(path, layout, header)
    rows = []
    for number, row in enumerate(lines[1:], start=2):
        if not any(field.strip() for field in row):
            continue  # blank line (DUO puts one before its totals row)
        if len(row) != len(header):
            raise DuoLayoutError(
                f"{path}, line {number}: {len(row)} fields where the header has {len(header)} "
                f"(layout {layout.name!r}); the file may be truncated or use another separator than ';'"
            )
        rows.append((number, [field.strip() for field in row]))
    return header, rows, codec


def parse_count(value: str, path: Path | str, line: int, column: str) -> tuple[float, bool]:
    """A published count -> (students, masked). ``<5`` and ``-1`` give (NaN, True), never zero."""
    value = value.strip()
    if value in MASKS:
        return math.nan, True
    if value.isascii() and value.isdigit():
        return float(int(value)), False
    raise DuoValueError(
        f"{path}, line {line}, column {column!r}: count {value!r} is neither a non-negative whole number "
        f"nor one of DUO's masks {sorted(MASKS)}"
    )


def _is_totals_row(row: list[str], header: list[str], code_column: str) -> bool:
    return not row[header.index(code_column)] and any(f.lower() in TOTALS_LABELS for f in row)


# --- parsers --------------------------------------------------------------------------------------


def parse_enrolment_file(path: Path, layout: str, encoding: str | None = None) -> pd.DataFrame:
    """One DUO enrolment file -> the long, programme-level frame of :data:`PARSED_COLUMNS`.

    ``layout`` is the registry's layout name; ``encoding`` defaults to the registry's encoding for
    that layout. ``frame.attrs`` holds ``source_file``, ``layout``, ``encoding`` (the codec used) and
    ``duo_totals`` ({year: students} from DUO's own totals row; empty where the file has none).
    """
    path = Path(path)
    if layout not in ENROLMENT_LAYOUTS:
        raise DuoLayoutError(f"{path}: unknown enrolment layout {layout!r}; known: {list(ENROLMENT_LAYOUTS)}")
    spec = LAYOUTS[layout]
    header, rows, codec = _read_rows(path, spec, encoding)
    if spec.count_column:
        records, totals = _parse_long(path, spec, header, rows), {}
    else:
        records, totals = _parse_wide(path, spec, header, rows)
    frame = pd.DataFrame(records, columns=list(PARSED_COLUMNS))
    frame = frame.astype({"year": "int64", "students": "float64", "masked": "bool", "line": "int64"})
    frame.attrs.update({"source_file": str(path), "layout": layout, "encoding": codec, "duo_totals": totals})
    return frame


def _fields(spec: Layout, header: list[str]) -> dict[str, int | None]:
    """Output field -> column index (None where the file lacks an optional column)."""
    index = {name: i for i, name in enumerate(header)}
    fields: dict[str, int | None] = {f: None for f in DESCRIPTIVE_COLUMNS}
    for field, column in {**spec.optional, **spec.columns}.items():
        fields[field] = index.get(column)
    return fields


def _describe(row: list[str], fields: dict[str, int | None]) -> dict[str, str]:
    out = {}
    for field, i in fields.items():
        value = row[i] if i is not None else ""
        out[field] = _FIELD_CLEANERS.get(field, str.strip)(value)
    return out


def _parse_wide(path: Path, spec: Layout, header: list[str], rows: list[tuple[int, list[str]]]) -> tuple[list[dict], dict[int, int]]:
    fields = _fields(spec, header)
    value_columns = []
    for i, column in enumerate(header):
        match = re.fullmatch(spec.value_pattern, column)
        if match:
            sex = match.groupdict().get("sex")
            value_columns.append((i, column, int(match["year"]), sex.lower() if sex else None))
    code_column = spec.columns["institution_code"]
    records, totals = [], {}
    for number, row in rows:
        if _is_totals_row(row, header, code_column):
            if totals:
                raise DuoLayoutError(f"{path}, line {number}: a second totals row; expected one, at the end")
            for _, column, year, _ in value_columns:
                value = row[header.index(column)]
                if value:
                    totals[year] = totals.get(year, 0) + int(parse_count(value, path, number, column)[0])
            continue
        if totals:
            raise DuoLayoutError(f"{path}, line {number}: data after DUO's totals row; expected it last")
        described = _describe(row, fields)
        for i, column, year, sex in value_columns:
            students, masked = parse_count(row[i], path, number, column)
            record = dict(described, year=year, students=students, masked=masked, line=number)
            if sex is not None:
                record["sex"] = sex
            records.append(record)
    return records, totals


def _parse_long(path: Path, spec: Layout, header: list[str], rows: list[tuple[int, list[str]]]) -> list[dict]:
    fields = _fields(spec, header)
    year_i, count_i = header.index(spec.year_column), header.index(spec.count_column)
    records = []
    for number, row in rows:
        year = row[year_i]
        if not re.fullmatch(r"\d{4}", year):
            raise DuoValueError(f"{path}, line {number}, column {spec.year_column!r}: {year!r} is not a year")
        students, masked = parse_count(row[count_i], path, number, spec.count_column)
        records.append(dict(_describe(row, fields), year=int(year), students=students, masked=masked, line=number))
    return records


def parse_institutions(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """DUO's address file of hbo and wo institutions -> one row per BRIN (:data:`INSTITUTION_COLUMNS`).

    ``municipality`` is title-cased like the enrolment files ("S GRAVENHAGE" -> "'s-Gravenhage");
    ``coroparea_code`` is zero-padded to two digits (Twente = "12").
    """
    path = Path(path)
    spec = LAYOUTS["duo-institutions"]
    header, rows, codec = _read_rows(path, spec, encoding)
    index = {name: i for i, name in enumerate(header)}
    records = []
    for _, row in rows:
        record = {}
        for field in INSTITUTION_COLUMNS:
            column = spec.columns.get(field) or spec.optional.get(field)
            value = row[index[column]] if column in index else ""
            record[field] = " ".join(value.split())
        record["municipality"] = municipality_name(record["municipality"])
        record["municipality_code"] = _municipality_code(record["municipality_code"])
        if record["coroparea_code"].isdigit():
            record["coroparea_code"] = record["coroparea_code"].zfill(2)
        records.append(record)
    frame = pd.DataFrame(records, columns=list(INSTITUTION_COLUMNS))
    duplicated = sorted(set(frame.loc[frame["brin"].duplicated(), "brin"]))
    if duplicated:
        raise DuoLayoutError(f"{path}: BRIN number(s) listed more than once: {duplicated[:10]}")
    frame.attrs.update({"source_file": str(path), "layout": "duo-institutions", "encoding": codec})
    return frame
