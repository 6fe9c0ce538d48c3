"""The downloads beside a figure: its numbers as CSV, rounded as the page shows them, and a
metadata file that says where they come from and how to cite them.

Per figure ``{name}`` in ``{site_dir}/data/{page_stem}/`` four files are written, two per edition:

- ``{name}.csv`` (English edition): comma-separated, decimal point, UTF-8, English column names;
  what pandas, R and English spreadsheets read as they are;
- ``{name}.nl.csv`` (Dutch edition): semicolon-separated, decimal comma, UTF-8 with byte-order
  mark, Dutch column names; what Dutch Excel opens in columns with a double click;
- ``{name}.txt`` and ``{name}.nl.txt``: the metadata of each (what the figure shows, the
  columns, the units and rounding, the source tables with their pages, retrieval dates and
  licences, how to cite).

Both CSVs hold the same numbers. They are rounded to the precision the page shows (why: a
download with 15 decimals suggests a precision the data do not have): values in jobs or persons
to whole numbers, weights to two decimals, every other value (percentages, indices, scores) to one
decimal. A row's unit is its ``unit`` column where the table has one, ``index`` for a series named
``*_index``, else the figure's own unit (:data:`FIGURE_UNITS`). Column names and the words in a
few known columns come from the catalogue ``data/messages/sources.toml`` (``downloads.column.*``,
``downloads.cell.*``); a column named ``x_nl`` / ``x_en`` goes only into its language's file, as
``x``; ``param_x`` is the reading's setting ``x`` (``page.param.x``).
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.i18n import LANGUAGES, Text, catalogue

log = logging.getLogger(__name__)

# The file of each edition: suffix before ".csv", separator, decimal sign, encoding.
FORMATS = {"en": ("", ",", ".", "utf-8"), "nl": (".nl", ";", ",", "utf-8-sig")}
PARAM = "param_"
# Units whose values are counts: whole numbers (the page rounds them further, to 50).
WHOLE_UNITS = ("jobs", "persons")
DEFAULT_DECIMALS = 1  # percentages, indices, scores: one decimal, as the page shows them
FIXED_DECIMALS = {"weight": 2, "rank": 0}  # the analysts' table shows weights with two decimals
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
VALUE_COLUMNS = ("value", "low", "high", "band_low", "band_high")
# A figure whose table has no unit column: its unit by the start of its name.
FIGURE_UNITS = {"trend-": "jobs"}


@dataclass(frozen=True)
class DatasetRef:
    """One source table of a figure, as the metadata and the citation name it."""

    dataset_id: str
    publisher: str
    table: str  # the CBS table id or the DUO dataset's title
    title: str
    page_url: str
    retrieved: str  # YYYY-MM-DD from data/processed/manifest.json
    licence: Text | str


@dataclass(frozen=True)
class FigureInfo:
    """What the metadata says about a figure beyond its numbers (per language where it is text)."""

    title: Mapping[str, str]
    description: Mapping[str, str]
    page_title: Mapping[str, str]
    page_stem: str
    built: str  # YYYY-MM-DD
    datasets: Sequence[DatasetRef] = ()
    source_text: Mapping[str, str] | None = None  # the figure's source line, where no dataset is known


def file_name(name: str, lang: str, extension: str = "csv") -> str:
    """``{name}.csv`` / ``{name}.nl.csv`` (and ``.txt`` for the metadata)."""
    return f"{name}{FORMATS[lang][0]}.{extension}"


# --- rounding ---------------------------------------------------------------------------------------


def row_units(data: pd.DataFrame, name: str) -> list[str]:
    """The unit of each row (see the module docstring)."""
    fallback = next((unit for start, unit in FIGURE_UNITS.items() if name.startswith(start)), "")
    units = []
    for _, row in data.iterrows():
        unit = row.get("unit")
        if isinstance(unit, str) and unit:
            units.append(unit)
        elif str(row.get("series", "")).endswith("_index"):
            units.append("index")
        else:
            units.append(fallback)
    return units


def decimals_for(column: str, unit: str) -> int:
    """Digits after the decimal sign for a cell of ``column`` in a row of ``unit``."""
    if column in FIXED_DECIMALS:
        return FIXED_DECIMALS[column]
    if column in VALUE_COLUMNS and unit in WHOLE_UNITS:
        return 0
    return DEFAULT_DECIMALS


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_cell(value: Any, decimals: int, decimal_sign: str) -> str:
    """A number with at most ``decimals`` digits (whole numbers without any); text as it is."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # replaced by words in cell_text
    if isinstance(value, str) and NUMBER.fullmatch(value):
        value = float(value)  # a setting held as text in a table column ("10.0")
    if _is_number(value):
        number = float(value)
        text = f"{number:.{decimals}f}" if not number.is_integer() else f"{number:.0f}"
        if text.startswith("-") and float(text) == 0:
            text = text[1:]  # -0.0 rounds to 0
        return text.replace(".", decimal_sign)
    return str(value)


# --- words ------------------------------------------------------------------------------------------


def _words(key: str, lang: str, default: str, **params: Any) -> str:
    return Text(key, params).render(lang) if key in catalogue() else default


def header(column: str, lang: str) -> str:
    """The column's name for readers of ``lang`` (see the module docstring)."""
    base = column.removesuffix(f"_{lang}")
    if base.startswith(PARAM):
        setting = base.removeprefix(PARAM)
        key = f"page.param.{setting}"
        name = Text(key).render(lang) if key in catalogue() else setting.replace("_", " ")
        return Text("downloads.column.param", {"name": name}).render(lang)
    key = f"downloads.column.{base}"
    if key in catalogue():
        return Text(key).render(lang)
    if base.isdigit():  # a year as a column (a grid of cells by year)
        return base
    log.warning("figure column %r has no name for readers: add %s to data/messages/sources.toml", column, key)
    return base.replace("_", " ")


def cell_text(column: str, value: Any, lang: str) -> str | None:
    """A known word in a known column in ``lang`` (yes/no, units, series names); None otherwise."""
    if isinstance(value, bool):
        return Text(f"downloads.cell.bool.{str(value).lower()}").render(lang)
    if not isinstance(value, str):
        return None
    base = column.removesuffix(f"_{lang}")
    for key in (f"downloads.cell.{base}.{value}", f"engine.value.{base.removeprefix(PARAM)}.{value}"):
        if key in catalogue():
            return Text(key).render(lang)
    return None


def language_columns(data: pd.DataFrame, lang: str) -> list[str]:
    """The columns of ``lang``'s file: ``x_<other language>`` is left out."""
    others = tuple(f"_{other}" for other in LANGUAGES if other != lang)
    return [c for c in data.columns if not str(c).endswith(others)]


def csv_text(data: pd.DataFrame, name: str, lang: str) -> str:
    """The figure's numbers as ``lang``'s CSV (see the module docstring)."""
    _, separator, decimal_sign, _ = FORMATS[lang]
    columns = language_columns(data, lang)
    units = row_units(data, name)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow([header(str(c), lang) for c in columns])
    for (_, row), unit in zip(data.iterrows(), units, strict=True):
        cells = []
        for column in columns:
            value = row[column]
            value = value.item() if hasattr(value, "item") else value  # numpy scalars as Python's
            words = cell_text(str(column), value, lang)
            cells.append(words if words is not None else
                         format_cell(value, decimals_for(str(column), unit), decimal_sign))
        writer.writerow(cells)
    return out.getvalue()


def units_used(data: pd.DataFrame, name: str) -> list[str]:
    return list(dict.fromkeys(u for u in row_units(data, name) if u))


# --- metadata ---------------------------------------------------------------------------------------


def _licence(ref: DatasetRef, lang: str) -> str:
    return ref.licence.render(lang) if isinstance(ref.licence, Text) else str(ref.licence)


def _names(ref: DatasetRef, lang: str) -> tuple[str, str]:
    """(table, title) as the edition names them: a CBS table by its id, another dataset (DUO) by
    its title in the edition's language (sources.toml title_nl / title_en)."""
    from analysis.sources.registry import shown_text

    title = shown_text(ref.dataset_id, "title", lang, ref.title)
    return (ref.table if ref.publisher == "CBS" else title), title


def dataset_line(ref: DatasetRef, lang: str) -> str:
    """``CBS 83582NED, title, page, retrieved ..., licence ...`` in ``lang``."""
    table, title = _names(ref, lang)
    return Text("downloads.meta.dataset", {"publisher": ref.publisher, "table": table, "title": title,
                                           "url": ref.page_url or "–", "retrieved": ref.retrieved or "–",
                                           "licence": _licence(ref, lang)}).render(lang)


def citation(info: FigureInfo, lang: str) -> str:
    """How to cite the figure: its title, the page, the publisher of the report, the build date,
    and the data with their licence."""
    data = "; ".join(Text("downloads.cite.data_item", {"publisher": r.publisher, "table": _names(r, lang)[0],
                                                       "licence": _licence(r, lang)}).render(lang)
                     for r in info.datasets)
    if not data and info.source_text:
        data = info.source_text[lang]
    return Text("downloads.cite.figure", {"title": info.title[lang], "page": info.page_title[lang],
                                          "date": info.built, "data": data or "–"}).render(lang)


def metadata_text(data: pd.DataFrame, name: str, info: FigureInfo, lang: str) -> str:
    """The metadata file of ``lang``'s CSV: plain text, one fact a line."""
    t = lambda key, **params: Text(f"downloads.meta.{key}", params).render(lang)
    lines = [info.title[lang], "", t("description", text=info.description[lang]),
             t("page", title=info.page_title[lang], file=f"{info.page_stem}.html"),
             t(f"format_{lang}", file=file_name(name, lang)), "", t("columns")]
    lines += [f"- {header(str(c), lang)}" for c in language_columns(data, lang)]
    lines += ["", t("units", units=", ".join(_words(f"downloads.cell.unit.{u}", lang, u)
                                             for u in units_used(data, name)) or "–"),
              t("rounding"), "", t("sources")]
    lines += [f"- {dataset_line(ref, lang)}" for ref in info.datasets]
    if not info.datasets:
        lines.append(f"- {info.source_text[lang] if info.source_text else '–'}")
    lines += ["", t("cite"), citation(info, lang), ""]
    return "\n".join(lines)


def _write(target: Path, text: str, encoding: str) -> None:
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding=encoding, newline="")
    temporary.replace(target)


def write_downloads(data: pd.DataFrame, name: str, folder: Path, info: FigureInfo) -> dict[str, str]:
    """Write both editions' CSV and metadata into ``folder``; returns ``{lang: csv file name}``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for lang in LANGUAGES:
        encoding = FORMATS[lang][3]
        _write(folder / file_name(name, lang), csv_text(data, name, lang), encoding)
        _write(folder / file_name(name, lang, "txt"), metadata_text(data, name, info, lang), "utf-8")
        written[lang] = file_name(name, lang)
    return written
