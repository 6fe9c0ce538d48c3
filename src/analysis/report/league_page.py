"""The league page: every claim for every COROP region (regions as rows, claims as columns).

The numbers come from the engine's ``league(claim_id, ...)`` (one row per region: region_code,
region_name, value, holds, verdict, robustness). The build computes them once per build in a
thread beside the notebooks, stores them in ``results/league.json`` (so an unchanged build can
carry them over) and renders the page in both editions: a table sortable by a few lines of the
site's own JavaScript, Twente and the report's region marked, links to regions whose report is
built, and per claim one chart placing the report's region among the 40 with a CSV of its numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.i18n import Num, render
from analysis.report import svg
from analysis.report.cards import format_value, reading_unit, verdict_symbol, verdict_word
from analysis.report.plan import DEFAULT_REGION, BuildParameters

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
        keep = [c for c in (*COLUMNS, "unit") if c in frame.columns]
        leagues[claim_id] = [{k: _plain(v) for k, v in row.items()} for row in frame[keep].to_dict("records")]
    return leagues


def write_league(path: Path, leagues: Mapping[str, list[dict[str, Any]]]) -> None:
    path.write_text(json.dumps(leagues, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def read_league(path: Path) -> dict[str, list[dict[str, Any]]] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def chart_csv(rows: Sequence[Mapping[str, Any]], unit: str) -> str:
    """The numbers a league chart plots, sorted as plotted (regions without a value at the end)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "region_code", "region_name", "value", "unit"])
    ranked = sorted(rows, key=lambda r: (r.get("value") is None, r.get("value") or 0.0))
    for number, row in enumerate(ranked, start=1):
        value = row.get("value")
        writer.writerow([number if value is not None else "", row["region_code"], row["region_name"],
                         "" if value is None else repr(float(value)), unit])
    return out.getvalue()


def write_chart_data(data_dir: Path, leagues: Mapping[str, list[dict[str, Any]]],
                     units: Mapping[str, str]) -> None:
    folder = data_dir / LEAGUE_DATA
    folder.mkdir(parents=True, exist_ok=True)
    for claim_id, rows in leagues.items():
        (folder / f"{claim_id}.csv").write_text(chart_csv(rows, units.get(claim_id, "")), encoding="utf-8")


def report_link(region: str, from_dir: Path, lang: str) -> str | None:
    """Relative link from ``from_dir`` to the default report of ``region`` in ``lang``, if built."""
    root = paths.reports_dir() if region == DEFAULT_REGION else paths.reports_dir() / region
    index = (root / "en" / "index.html") if lang == "en" else root / "index.html"
    if not index.exists():
        return None
    return Path(os.path.relpath(index, from_dir)).as_posix()


@dataclass(frozen=True)
class LeagueColumn:
    claim_id: str
    title: str
    page: str
    unit: str
    chart_svg: str
    csv_link: str
    rank_text: str


def units_of(results: Mapping[str, Mapping[str, Any]], leagues: Mapping[str, list[dict[str, Any]]]) -> dict[str, str]:
    units = {}
    for claim_id, rows in leagues.items():
        row_units = {r.get("unit") for r in rows if r.get("unit")}
        units[claim_id] = (row_units.pop() if len(row_units) == 1 else reading_unit(results.get(claim_id, {})))
    return units


def league_view(leagues: Mapping[str, list[dict[str, Any]]], results: Mapping[str, Mapping[str, Any]],
                order: Sequence[str], parameters: BuildParameters, lang: str, page_dir: Path) -> dict[str, Any]:
    """Everything the league template shows, in ``lang``."""
    units = units_of(results, leagues)
    chosen, twente = parameters.region, DEFAULT_REGION
    marks = {twente: render("site.league.twente_mark", lang)}
    if chosen != twente:
        marks[chosen] = render("site.league.region_mark", lang)
    data_prefix = "../data" if lang == "en" else "data"
    columns = []
    for claim_id in [c for c in order if c in leagues]:
        rows = leagues[claim_id]
        title = (results.get(claim_id, {}).get("title") or {}).get(lang, claim_id)
        unit = units[claim_id]
        names = {r["region_code"]: r["region_name"].removesuffix(" (CR)") for r in rows}
        ranked = sorted((r for r in rows if r.get("value") is not None), key=lambda r: -float(r["value"]))
        rank = next((i for i, r in enumerate(ranked, start=1) if r["region_code"] == chosen), None)
        chosen_value = next((r.get("value") for r in rows if r["region_code"] == chosen), None)
        rank_text = (render("site.league.rank", lang, region=names.get(chosen, chosen), rank=Num(rank),
                            count=Num(len(ranked)), value=format_value(chosen_value, unit, lang))
                     if rank else render("site.league.no_rank", lang, region=names.get(chosen, chosen)))
        chart_title = render("site.league.chart_alt", lang, title=title, count=Num(len(ranked)), rank=rank_text)
        highlight = {code: names.get(code, code) for code in marks}
        chart = svg.ranking_chart(rows, title=chart_title, highlight=highlight,
                                  format_value=lambda v, unit=unit: format_value(v, unit, lang))
        columns.append(LeagueColumn(claim_id, title, results.get(claim_id, {}).get("page", f"claim-{claim_id}.html"),
                                    unit, chart, f"{data_prefix}/{LEAGUE_DATA}/{claim_id}.csv", rank_text))
    regions: dict[str, str] = {}
    for rows in leagues.values():
        for row in rows:
            regions.setdefault(row["region_code"], row["region_name"].removesuffix(" (CR)"))
    table_rows = []
    for code in sorted(regions):
        cells = []
        for column in columns:
            row = next((r for r in leagues[column.claim_id] if r["region_code"] == code), None)
            if row is None:
                cells.append({"symbol": "", "word": render("site.value.missing", lang), "value": "", "sort": "",
                              "verdict": ""})
                continue
            verdict = str(row.get("verdict") or "")
            value = row.get("value")
            cells.append({"verdict": verdict, "symbol": verdict_symbol(verdict) if verdict else "",
                          "word": verdict_word(verdict, lang) if verdict else "",
                          "value": format_value(value, column.unit, lang) if value is not None else "",
                          "sort": "" if value is None else repr(float(value))})
        table_rows.append({"code": code, "name": regions[code], "marks": [marks[code]] if code in marks else [],
                           "classes": " ".join(c for c, on in (("twente", code == twente), ("chosen", code == chosen))
                                               if on),
                           # the report's own region links to this report, which is being built now
                           "link": "index.html" if code == chosen else report_link(code, page_dir, lang),
                           "cells": cells})
    return {"columns": columns, "rows": table_rows, "region_count": Num(len(regions)).format(lang),
            "claim_count": Num(len(columns)).format(lang)}
