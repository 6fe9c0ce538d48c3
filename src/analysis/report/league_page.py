"""The league page: where a region stands among the 40 COROP regions, claim by claim.

The numbers come from the engine's ``league(claim_id, ...)`` (one row per region: region_code,
region_name, value, low, high, holds, verdict, robustness). The build computes them once per build
in a thread beside the notebooks, adds a stand-in measure where the claim's own one is suppressed
for most regions (:mod:`analysis.report.league_measures`), stores them in ``results/league.json``
(so an unchanged build can carry them over) and renders the page in both editions: per claim the
region's value or bound and its rank in numbers; a table with verdict, value, rank and the stand-in
per region, sortable by number (sort.js; the region column stays in view while the table scrolls
sideways in its own box); per claim a ranked dot chart and a tile map (league_charts.py).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.i18n import LANGUAGES, Num, render
from analysis.report import downloads
from analysis.report import league_charts as charts
from analysis.report import league_measures as measures
from analysis.report.cards import format_value, reading_unit, verdict_symbol, verdict_word
from analysis.report.parameters import DEFAULT_REGION, BuildParameters

LEAGUE_FILE = "league.json"
LEAGUE_PAGE = "league.html"
LEAGUE_DATA = "league"  # data/league/<claim_id>.csv
COLUMNS = ("region_code", "region_name", "value", "holds", "verdict", "robustness")


LEAGUE_ENV = "TWENTE_CLAIMS_LEAGUE"  # "module:function" computing a league instead of the engine (tests)
ENGINE_LEAGUE = "analysis.engine.league:league"


def league_function() -> Callable[..., Any]:
    """The function that computes one claim's league: the engine's, or ``$TWENTE_CLAIMS_LEAGUE``."""
    import importlib

    target = os.environ.get(LEAGUE_ENV) or ENGINE_LEAGUE
    module, _, name = target.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise RuntimeError(f"cannot load the league function {target!r} ({error}); "
                           f"{LEAGUE_ENV} must name module:function") from None


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def compute_leagues(claim_ids: Sequence[str], parameters: BuildParameters,
                    registry: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """claim_id -> rows (the engine's league, as plain JSON values)."""
    options: dict[str, Any] = {}
    if registry is not None:
        options["registry"] = registry
    for name in ("base_year", "end_year", "comparator"):
        if getattr(parameters, name) is not None:
            options[name] = getattr(parameters, name)
    function = league_function()
    leagues = {}
    for claim_id in claim_ids:
        frame = function(claim_id, **options)
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise RuntimeError(f"league({claim_id!r}) has no column(s) {', '.join(missing)}: "
                               f"expected {', '.join(COLUMNS)}")
        keep = [c for c in (*COLUMNS, "low", "high", "unit") if c in frame.columns]
        rows = [{k: _plain(v) for k, v in row.items()} for row in frame[keep].to_dict("records")]
        if measures.needs_stand_in(rows):
            spec = measures.stand_in(claim_id, [r["region_code"] for r in rows], registry,
                                     parameters.base_year, parameters.end_year)
            if spec is not None:
                measures.attach_stand_in(rows, spec)
        leagues[claim_id] = rows
    return leagues


def write_league(path: Path, leagues: Mapping[str, list[dict[str, Any]]]) -> None:
    path.write_text(json.dumps(leagues, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def read_league(path: Path) -> dict[str, list[dict[str, Any]]] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def chart_frame(rows: Sequence[Mapping[str, Any]], unit: str) -> pd.DataFrame:
    """The numbers a league chart plots, sorted as plotted (regions without a value at the end)."""
    ranked = sorted(rows, key=lambda r: (r.get("value") is None, r.get("value") or 0.0))
    return pd.DataFrame([{"rank": number if row.get("value") is not None else None,
                          "region_name": _name(row), "region_code": row["region_code"],
                          "value": row.get("value"), "low": row.get("low"), "high": row.get("high"), "unit": unit}
                         for number, row in enumerate(ranked, start=1)],
                        columns=["rank", "region_name", "region_code", "value", "low", "high", "unit"])


def write_chart_data(data_dir: Path, leagues: Mapping[str, list[dict[str, Any]]],
                     results: Mapping[str, Mapping[str, Any]], built: str) -> None:
    """Per claim the chart's numbers in both editions' CSV with a metadata file beside each
    (:func:`analysis.report.downloads.write_downloads`: rounded as shown, readable column names)."""
    units = units_of(results, leagues)
    folder = data_dir / LEAGUE_DATA
    for claim_id, rows in leagues.items():
        titles = {lang: (results.get(claim_id, {}).get("title") or {}).get(lang, claim_id) for lang in LANGUAGES}
        info = downloads.FigureInfo(
            title={lang: render("league.download.title", lang, title=titles[lang]) for lang in LANGUAGES},
            description={lang: render("league.download.description", lang, title=titles[lang],
                                      count=Num(len(rows))) for lang in LANGUAGES},
            page_title={lang: render("site.league.title", lang) for lang in LANGUAGES},
            page_stem="league", built=built,
            source_text={lang: render("site.league.source", lang) for lang in LANGUAGES})
        downloads.write_downloads(chart_frame(rows, units.get(claim_id, "")), claim_id, folder, info)


def report_link(region: str, from_dir: Path, lang: str) -> str | None:
    """Relative link from ``from_dir`` to the default report of ``region`` in ``lang``, if built."""
    root = paths.reports_dir() if region == DEFAULT_REGION else paths.reports_dir() / region
    index = (root / "en" / "index.html") if lang == "en" else root / "index.html"
    if not index.exists():
        return None
    return Path(os.path.relpath(index, from_dir)).as_posix()


# Order of verdicts when a column is sorted by its verdict (regions without a value).
VERDICT_ORDER = ("supported", "borderline", "within_revision", "not_supported", "undecidable", "not_verifiable",
                 "not_applicable")


@dataclass(frozen=True)
class LeagueColumn:
    claim_id: str
    title: str
    page: str
    unit: str
    chart_svg: str
    csv_link: str
    rank_text: str
    ranked: bool = False  # the table shows a rank column (at least two regions have a number)
    standing: str = ""  # the region's verdict, value and rank in one line
    map_svg: str = ""
    map_text: tuple[tuple[str, str], ...] = ()  # (legend class, region names) for the map's text version
    map_what: str = ""  # what the map's colours show
    stand_in: str = ""  # key of the stand-in column ("" none)
    stand_in_name: str = ""
    stand_in_why: str = ""
    stand_in_svg: str = ""
    stand_in_standing: str = ""  # the region's place in the stand-in measure, for the summary list
    shown_with: str = ""  # the claim under which the same stand-in chart and map already stand
    shown_with_title: str = ""


def units_of(results: Mapping[str, Mapping[str, Any]], leagues: Mapping[str, list[dict[str, Any]]]) -> dict[str, str]:
    units = {}
    for claim_id, rows in leagues.items():
        row_units = {r.get("unit") for r in rows if r.get("unit")}
        units[claim_id] = (row_units.pop() if len(row_units) == 1 else reading_unit(results.get(claim_id, {})))
    return units


def _name(row: Mapping[str, Any]) -> str:
    return str(row.get("region_name") or row["region_code"]).removesuffix(" (CR)")


def _rank_sentence(rows: Sequence[Mapping[str, Any]], region: str, unit: str, lang: str) -> str:
    """'Twente staat op plaats 21 van 35 regio's, met -6,6%.' (a range where only bounds are known)."""
    names = {r["region_code"]: _name(r) for r in rows}
    row = next((r for r in rows if r["region_code"] == region), None)
    rank = measures.ranks(rows).get(region)
    if row is None or rank is None:
        return render("site.league.no_rank", lang, region=names.get(region, region))
    if rank.count == 1:
        return render("league.rank.only", lang, region=names[region], value=measures.value_text(row, unit, lang))
    if rank.exact:
        return render("site.league.rank", lang, region=names[region], rank=Num(rank.best), count=Num(rank.count),
                      value=measures.value_text(row, unit, lang))
    return render("league.rank.range", lang, region=names[region], best=Num(rank.best), worst=Num(rank.worst),
                  count=Num(rank.count), value=measures.value_text(row, unit, lang))


def _value_tiles(rows: Sequence[Mapping[str, Any]], unit: str, lang: str) -> tuple[dict, list]:
    """Tiles filled by value class (point values), bound-only and missing tiles marked apart."""
    points = [float(r["value"]) for r in rows if measures.has_point_value(r)]
    ends = charts.value_classes(points)
    legend: list[tuple[charts.Tile, str]] = []
    for number, end in enumerate(ends):
        start = min(points) if number == 0 else ends[number - 1]
        text = (format_value(end, unit, lang) if start == end else
                render("league.value.between", lang, low=measures.number_text(start, unit, lang),
                       high=format_value(end, unit, lang)))
        legend.append((charts.Tile(charts.class_fill(number, len(ends)), "#5b6470"), text))
    bound_tile = charts.Tile("#ffffff", "#3182bd", symbol="↕", symbol_colour="#08519c", dashed=True)
    none_tile = charts.Tile(*charts.NO_VALUE, dashed=True)
    tiles = {}
    for row in rows:
        label = f"{_name(row)}: {measures.value_text(row, unit, lang) or render('site.value.missing', lang)}"
        if measures.has_point_value(row):
            tile = legend[charts.class_of(float(row["value"]), ends)][0]
        elif measures.bounds(row) is not None:
            tile = bound_tile
        else:
            tile = none_tile
        tiles[row["region_code"]] = charts.Tile(tile.fill, tile.stroke, tile.symbol, tile.symbol_colour,
                                                tile.dashed, label)
    if any(t.symbol == "↕" for t in tiles.values()):
        legend.append((bound_tile, render("league.map.bounds_only", lang)))
    if any(t.fill == none_tile.fill and t.dashed and not t.symbol for t in tiles.values()):
        legend.append((none_tile, render("league.map.no_value", lang)))
    return tiles, legend


def _verdict_tiles(rows: Sequence[Mapping[str, Any]], lang: str) -> tuple[dict, list]:
    tiles, legend, seen = {}, [], set()
    for row in rows:
        verdict = str(row.get("verdict") or "")
        if verdict not in charts.VERDICT_FILLS:
            continue
        fill, stroke, colour = charts.VERDICT_FILLS[verdict]
        tiles[row["region_code"]] = charts.Tile(fill, stroke, verdict_symbol(verdict), colour,
                                                label=f"{_name(row)}: {verdict_word(verdict, lang)}")
        seen.add(verdict)
    for verdict in VERDICT_ORDER:
        if verdict in seen:
            fill, stroke, colour = charts.VERDICT_FILLS[verdict]
            legend.append((charts.Tile(fill, stroke, verdict_symbol(verdict), colour), verdict_word(verdict, lang)))
    return tiles, legend


def _map(rows: Sequence[Mapping[str, Any]], unit: str, title: str, marks: Mapping[str, str],
         lang: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """The tile map of one claim: by its own value where most regions have one, else by the stand-in,
    else by verdict; with its text version (legend class -> region names)."""
    stand_in = measures.stand_in_spec(rows)
    if not measures.needs_stand_in(rows):
        tiles, legend = _value_tiles(rows, unit, lang)
        what = render("league.map.by_value", lang, title=title)
    elif stand_in is not None:
        tiles, legend = _value_tiles(measures.stand_in_rows(rows), "percent", lang)
        what = measures.stand_in_name(stand_in).render(lang)
    else:
        tiles, legend = _verdict_tiles(rows, lang)
        what = render("league.map.by_verdict", lang, title=title)
    names = {r["region_code"]: _name(r) for r in rows}
    marked = ", ".join(names.get(code, code) for code in marks)
    summary = render("league.map.alt", lang, count=Num(len(charts.tile_layout())), what=what, regions=marked,
                     details="; ".join(tiles[c].label for c in marks if c in tiles))
    svg_text = charts.tile_map(tiles, title=summary, legend=legend, highlight=marks,
                               marked_label=render("league.map.marked", lang, regions=marked))
    groups = []
    for tile, text in legend:
        members = [names[c] for c, t in tiles.items() if (t.fill, t.stroke, t.symbol, t.dashed)
                   == (tile.fill, tile.stroke, tile.symbol, tile.dashed) and c in names]
        groups.append((text, ", ".join(sorted(members))))
    return svg_text, tuple(groups), what


def _dots(rows: Sequence[Mapping[str, Any]], unit: str, title: str, marks: Mapping[str, str], lang: str) -> str:
    names = {r["region_code"]: _name(r) for r in rows}
    counted = measures.ranks(rows)
    highlight = {code: names.get(code, code) for code in marks if code in counted}
    axis = render(f"league.axis.{unit}" if unit in ("percent", "jobs", "persons", "percent per year")
                  else "league.axis.plain", lang)
    return charts.dot_chart(rows, title=title, axis_label=axis, highlight=highlight,
                            first_label=render("league.axis.first", lang),
                            format_value=lambda v: format_value(v, unit, lang))


def _stand_in_key(spec: Mapping[str, Any] | None) -> str:
    return "" if spec is None else f"{spec['sector']}-{spec['base_year']}-{spec['end_year']}"


def league_view(leagues: Mapping[str, list[dict[str, Any]]], results: Mapping[str, Mapping[str, Any]],
                order: Sequence[str], parameters: BuildParameters, lang: str, page_dir: Path) -> dict[str, Any]:
    """Everything the league template shows, in ``lang``."""
    units = units_of(results, leagues)
    chosen, twente = parameters.region, DEFAULT_REGION
    marks = {twente: render("site.league.twente_mark", lang)}
    if chosen != twente:
        marks[chosen] = render("site.league.region_mark", lang)
    data_prefix = "../data" if lang == "en" else "data"
    columns, stand_ins = [], {}
    for claim_id in [c for c in order if c in leagues]:
        rows = leagues[claim_id]
        title = (results.get(claim_id, {}).get("title") or {}).get(lang, claim_id)
        unit = units[claim_id]
        rank_text = _rank_sentence(rows, chosen, unit, lang)
        counted = measures.ranks(rows)
        chart_title = render("league.chart.title", lang, title=title, count=Num(len(counted)), rank=rank_text)
        chart = _dots(rows, unit, chart_title, marks, lang)
        row = next((r for r in rows if r["region_code"] == chosen), {})
        verdict = str(row.get("verdict") or "")
        standing = render("league.standing", lang, verdict=verdict_word(verdict, lang) if verdict else "",
                          symbol=verdict_symbol(verdict) if verdict else "", rank=rank_text)
        spec = measures.stand_in_spec(rows)
        extra: dict[str, str] = {}
        if spec is not None:
            key, name = _stand_in_key(spec), measures.stand_in_name(spec).render(lang)
            short = render("league.stand_in.short", lang, sector=spec["sector"], base=Num(spec["base_year"], "year"),
                           end=Num(spec["end_year"], "year"))
            stand_ins.setdefault(key, {"key": key, "name": name, "short": short})
            helper = measures.stand_in_rows(rows)
            helper_rank = _rank_sentence(helper, chosen, "percent", lang)
            missing = sum(1 for r in rows if not measures.has_point_value(r))
            helper_place = measures.ranks(helper).get(chosen)
            helper_row = next((r for r in helper if r["region_code"] == chosen), {})
            extra = {"stand_in": key, "stand_in_name": name,
                     "stand_in_standing": "" if helper_place is None else render(
                         "league.standing.stand_in", lang, sector=spec["sector"], base=Num(spec["base_year"], "year"),
                         end=Num(spec["end_year"], "year"), rank=measures.rank_text(helper_place, lang),
                         count=Num(helper_place.count), value=measures.value_text(helper_row, "percent", lang)),
                     "stand_in_why": render("league.stand_in.why", lang, missing=Num(missing), total=Num(len(rows)),
                                            name=name, rank=helper_rank),
                     "stand_in_svg": _dots(helper, "percent", render("league.chart.stand_in_title", lang, name=name,
                                                                     count=Num(len(rows)), rank=helper_rank),
                                           marks, lang)}
        map_svg, map_text, map_what = _map(rows, unit, title, marks, lang)
        first = next((c for c in columns if spec is not None and c.stand_in == extra["stand_in"]), None)
        if first is not None:  # the same stand-in chart and map stand under an earlier claim: link there
            extra.update(stand_in_svg="", shown_with=first.claim_id, shown_with_title=first.title)
            if measures.needs_stand_in(rows):
                map_svg, map_text = "", ()
        columns.append(LeagueColumn(claim_id, title, results.get(claim_id, {}).get("page", f"claim-{claim_id}.html"),
                                    unit, chart, f"{data_prefix}/{LEAGUE_DATA}/{downloads.file_name(claim_id, lang)}", rank_text,
                                    ranked=len(counted) >= 2, standing=standing, map_svg=map_svg,
                                    map_text=map_text, map_what=map_what, **extra))
    return {"columns": columns, "stand_ins": list(stand_ins.values()),
            "rows": _table_rows(leagues, columns, list(stand_ins), marks, chosen, page_dir, lang),
            # counts as numbers: the messages choose their plural forms by them
            "region_count": Num(len({r["region_code"] for rows in leagues.values() for r in rows})),
            "claim_count": Num(len(columns))}


def _table_rows(leagues: Mapping[str, list[dict[str, Any]]], columns: Sequence[LeagueColumn],
                stand_in_keys: Sequence[str], marks: Mapping[str, str], chosen: str, page_dir: Path,
                lang: str) -> list[dict[str, Any]]:
    """One row per region, in CBS's order of the codes (the table's initial order, marked as such)."""
    regions: dict[str, str] = {}
    for rows in leagues.values():
        for row in rows:
            regions.setdefault(row["region_code"], _name(row))
    ranks = {column.claim_id: measures.ranks(leagues[column.claim_id]) for column in columns}
    stand_in_values: dict[str, dict[str, dict[str, Any]]] = {key: {} for key in stand_in_keys}
    for column in columns:
        if column.stand_in and not stand_in_values[column.stand_in]:
            stand_in_values[column.stand_in] = {r["region_code"]: r
                                                for r in measures.stand_in_rows(leagues[column.claim_id])}
    table_rows = []
    for code in sorted(regions):
        cells = []
        for column in columns:
            row = next((r for r in leagues[column.claim_id] if r["region_code"] == code), None)
            rank = ranks[column.claim_id].get(code)
            verdict = str((row or {}).get("verdict") or "")
            key = measures.sort_key(row) if row else None
            cells.append({"verdict": verdict, "symbol": verdict_symbol(verdict) if verdict else "",
                          "word": verdict_word(verdict, lang) if verdict else render("site.value.missing", lang),
                          "value": measures.value_text(row, column.unit, lang) if row else "",
                          "sort": "" if key is None else repr(float(key)),
                          "sort2": str(VERDICT_ORDER.index(verdict)) if verdict in VERDICT_ORDER else "",
                          "ranked": column.ranked, "rank": measures.rank_text(rank, lang) if rank else "",
                          "rank_sort": "" if rank is None else repr(rank.middle)})
        helpers = []
        for key in stand_in_keys:
            helper = stand_in_values[key].get(code, {})
            value = measures.number(helper, "value")
            helpers.append({"value": measures.value_text(helper, "percent", lang) if helper else "",
                            "sort": "" if value is None else repr(value)})
        table_rows.append({"code": code, "name": regions[code], "marks": [marks[code]] if code in marks else [],
                           "classes": " ".join(c for c, on in (("twente", code == DEFAULT_REGION),
                                                               ("chosen", code == chosen)) if on),
                           # the report's own region links to this report, which is being built now
                           "link": "index.html" if code == chosen else report_link(code, page_dir, lang),
                           "cells": cells, "stand_ins": helpers})
    return table_rows
