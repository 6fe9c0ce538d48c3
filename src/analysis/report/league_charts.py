"""The league page's charts (inline SVG, nothing fetched): a ranked dot chart per claim and a tile map
of the 40 COROP regions.

Dot chart: one mark per region, ordered by rank (plaats 1, the highest value, on the left); a point
value is a dot, a region known only within bounds a vertical bar over its bounds (cut at the chart's
edge with an open end where it runs further). The regions of the page are dark, larger and named.

Tile map: the schematic grid in ``data/corop_tiles.csv`` (code, row, col, and the short name the
atlas writes on each tile; laid out once by hand:
Groningen and Friesland at the top, the North Holland coast in the first columns, Twente and the
Achterhoek on the east side, Zeeland bottom left, Limburg at the bottom). Each tile is filled by a
value class or by the verdict; verdict tiles carry the verdict's symbol, so the map reads without
colour. The regions of the page are outlined black and white and named under the map.

Every chart is ``role="img"`` with a ``<title>`` (its text alternative) in the edition's language.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from analysis.paths import PACKAGE_DATA
from analysis.report.league_measures import bounds, ranks, sort_key

TILES_FILE = PACKAGE_DATA / "corop_tiles.csv"
# ColorBrewer "Blues" (5 classes): sequential, readable in greyscale and for colour-blind readers.
VALUE_FILLS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_VALUE = ("#ffffff", "#9aa1ab")  # fill, stroke (dashed)
# Verdict -> (fill, stroke, symbol colour): the badges' colours of report.css.
VERDICT_FILLS = {
    "supported": ("#1a5e2e", "#1a5e2e", "#ffffff"), "borderline": ("#f6d77a", "#6b5200", "#1f1f1f"),
    "within_revision": ("#7f9fbf", "#1d4f7a", "#1f1f1f"), "not_supported": ("#ffffff", "#9b1c12", "#9b1c12"),
    "undecidable": ("#e6e8ec", "#3b4250", "#1f1f1f"), "not_verifiable": ("#c9ced6", "#5b6470", "#1f1f1f"),
    "not_applicable": ("#ffffff", "#9aa1ab", "#3b4250"),
}


class TileLayoutError(ValueError):
    pass


@cache
def _tile_rows(path: Path) -> tuple[dict[str, str], ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple({key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle))


def tile_layout(path: Path = TILES_FILE) -> dict[str, tuple[int, int]]:
    """region code -> (row, col) of its tile; every code once, no two on one tile."""
    layout: dict[str, tuple[int, int]] = {}
    taken: dict[tuple[int, int], str] = {}
    for row in _tile_rows(path):
        code, place = row["code"], (int(row["row"]), int(row["col"]))
        if code in layout:
            raise TileLayoutError(f"{path.name}: {code} appears twice; give each region one tile")
        if place in taken:
            raise TileLayoutError(f"{path.name}: {code} and {taken[place]} share row {place[0]}, col {place[1]}; "
                                  "move one of them")
        layout[code], taken[place] = place, code
    return layout


def tile_names(path: Path = TILES_FILE) -> dict[str, str]:
    """region code -> the short name written on its tile in the atlas (``short`` in the file: three
    letters or so, one per region, the same in both languages; the tile's tooltip and the list beside
    the map give the full name)."""
    names = {row["code"]: row.get("short", "") for row in _tile_rows(path)}
    missing = sorted(code for code, name in names.items() if not name)
    if missing:
        raise TileLayoutError(f"{path.name}: {', '.join(missing)} without a short name; fill in the "
                              "'short' column (three letters or so)")
    owner: dict[str, str] = {}
    for code, name in names.items():
        if name in owner:
            raise TileLayoutError(f"{path.name}: {owner[name]} and {code} share the short name {name!r}; "
                                  "give each region its own")
        owner[name] = code
    return names


@dataclass(frozen=True)
class Tile:
    fill: str
    stroke: str
    symbol: str = ""
    symbol_colour: str = "#1f1f1f"
    dashed: bool = False
    label: str = ""  # the tile's tooltip: region name and what it shows


def value_classes(values: Sequence[float], count: int = len(VALUE_FILLS)) -> list[float]:
    """Upper ends of up to ``count`` classes holding about equally many values (quantiles)."""
    ordered = sorted(values)
    if not ordered:
        return []
    ends = []
    for number in range(1, count + 1):
        end = ordered[min(len(ordered) - 1, math.ceil(number * len(ordered) / count) - 1)]
        if not ends or end > ends[-1]:
            ends.append(end)
    return ends


def class_of(value: float, ends: Sequence[float]) -> int:
    return next((i for i, end in enumerate(ends) if value <= end), len(ends) - 1)


def class_fill(number: int, classes: int) -> str:
    """Fills spread over the palette when there are fewer classes than colours."""
    if classes <= 1:
        return VALUE_FILLS[2]
    return VALUE_FILLS[round(number * (len(VALUE_FILLS) - 1) / (classes - 1))]


def _svg_open(kind: str, width: float, height: float, title: str) -> str:
    return (f'<svg class="chart {kind}" role="img" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>')


def dot_chart(rows: Sequence[Mapping[str, Any]], *, title: str, axis_label: str, first_label: str,
              format_value: Callable[[float], str], highlight: Mapping[str, str],
              width: int = 640, height: int = 200) -> str:
    """Regions by rank (highest left): dots for values, bars for bounds; ``highlight`` code -> name.

    Empty where fewer than two regions have a number."""
    known = {row["region_code"]: bounds(row) for row in rows}
    ranked = sorted((row for row in rows if sort_key(row) is not None), key=lambda r: -float(sort_key(r) or 0.0))
    if len(ranked) < 2:  # one region alone has no place among others: the sentence says it all
        return ""
    # The scale covers every point value, every finite end of the marked regions' bounds and zero;
    # other bounds may run past it (drawn to the edge, open there).
    ends = [v for row in ranked for v in known[row["region_code"]]
            if math.isfinite(v) and (row["region_code"] in highlight or known[row["region_code"]][0]
                                     == known[row["region_code"]][1])]
    ends = ends or [float(sort_key(row) or 0.0) for row in ranked]
    low, high = min(0.0, *ends), max(0.0, *ends)
    if high == low:
        high = low + 1
    ticks = sorted({high, low, 0.0})
    # room on the left for the longest tick label (about 6 px per character at font size 10)
    left, right, top, bottom = max(56, 10 + 6 * max(len(format_value(v)) for v in ticks)), 10, 34, 30
    step = (width - left - right) / len(ranked)

    def y(value: float) -> float:
        value = min(max(value, low), high)
        return top + (high - value) / (high - low) * (height - top - bottom)

    parts = [_svg_open("league-dots", width, height, title),
             f'<text x="4" y="{height - 6}" font-size="10" fill="#3b4250">{escape(axis_label)}</text>',
             f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#6b7280"/>']
    for value in ticks:
        parts.append(f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="10" '
                     f'fill="#3b4250">{escape(format_value(value))}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 6}" text-anchor="end" font-size="10" '
                 f'fill="#3b4250">{escape(first_label)}</text>')
    places = ranks(ranked)
    labels = []
    for position, row in enumerate(ranked):
        code = row["region_code"]
        center = left + (position + 0.5) * step
        marked = code in highlight
        colour = "#0b3c8c" if marked else "#8a929e"
        lo, hi = known[code]
        name = row.get("region_name", code)
        tooltip = f"<title>{escape(str(name).removesuffix(' (CR)'))}</title>"
        if lo == hi:
            radius = 5 if marked else 3
            stroke = ' stroke="#000" stroke-width="1.5"' if marked else ""
            parts.append(f'<circle cx="{center:.1f}" cy="{y(lo):.1f}" r="{radius}" fill="{colour}"{stroke}>'
                         f'{tooltip}</circle>')
        else:
            width_bar = 3 if marked else 1.5
            parts.append(f'<line x1="{center:.1f}" y1="{y(hi):.1f}" x2="{center:.1f}" y2="{y(lo):.1f}" '
                         f'stroke="{colour}" stroke-width="{width_bar}">{tooltip}</line>')
            for end in (lo, hi):  # a cap where the bound ends inside the chart; none where it runs on
                if math.isfinite(end) and low <= end <= high:
                    parts.append(f'<line x1="{center - 3:.1f}" y1="{y(end):.1f}" x2="{center + 3:.1f}" '
                                 f'y2="{y(end):.1f}" stroke="{colour}" stroke-width="{width_bar}"/>')
        if marked:
            labels.append((center, y(max(lo, low) if lo == hi else min(hi, high)), highlight[code], places[code]))
    for number, (center, mark_y, label, _place) in enumerate(labels):
        label_y = 12 + 11 * (number % 2)
        anchor = "start" if center < width / 2 else "end"
        parts.append(f'<line x1="{center:.1f}" y1="{label_y + 3}" x2="{center:.1f}" y2="{mark_y - 6:.1f}" '
                     'stroke="#000" stroke-dasharray="2 2"/>')
        parts.append(f'<text x="{center:.1f}" y="{label_y}" text-anchor="{anchor}" font-size="10" '
                     f'font-weight="bold" fill="#000">▼ {escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def tile_map(tiles: Mapping[str, Tile], *, title: str, legend: Sequence[tuple[Tile, str]],
             highlight: Mapping[str, str], marked_label: str, layout: Mapping[str, tuple[int, int]] | None = None,
             size: int = 30, gap: int = 3, links: Mapping[str, str] | None = None) -> str:
    """The tile grid; ``legend``: (tile, text) per class; ``highlight``: code -> name (outlined;
    ``marked_label`` says what the outline means, left out when empty); ``links``: code -> the
    address a tile leads to (the atlas)."""
    links = links or {}
    layout = layout if layout is not None else tile_layout()
    rows = max(r for r, _ in layout.values()) + 1
    cols = max(c for _, c in layout.values()) + 1
    map_width, map_height = cols * (size + gap), rows * (size + gap)
    legend_x = map_width + 16
    line = 16
    height = max(map_height, (len(legend) + 2) * line + 8)
    longest = max([len(text) for _, text in legend] + [len(marked_label)])
    width = legend_x + 24 + 6 * longest  # about 6 px per character at font size 10
    parts = [_svg_open("league-tiles", width, height, title)]
    for code, (row, col) in sorted(layout.items()):
        tile = tiles.get(code, Tile(*NO_VALUE, dashed=True))
        x, y = col * (size + gap) + 1, row * (size + gap) + 1
        dash = ' stroke-dasharray="3 2"' if tile.dashed else ""
        if code in links:
            parts.append(f'<a href="{escape(links[code])}">')
        parts.append(f'<g><title>{escape(tile.label or code)}</title>'
                     f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{tile.fill}" '
                     f'stroke="{tile.stroke}"{dash}/>')
        if tile.symbol:
            parts.append(f'<text x="{x + size / 2}" y="{y + size / 2 + 5}" text-anchor="middle" font-size="14" '
                         f'fill="{tile.symbol_colour}" aria-hidden="true">{escape(tile.symbol)}</text>')
        if code in highlight:
            parts.append(f'<rect x="{x - 1}" y="{y - 1}" width="{size + 2}" height="{size + 2}" fill="none" '
                         f'stroke="#000" stroke-width="3"/><rect x="{x + 2}" y="{y + 2}" width="{size - 4}" '
                         f'height="{size - 4}" fill="none" stroke="#fff" stroke-width="1.5"/>')
        parts.append("</g></a>" if code in links else "</g>")
    for number, (tile, text) in enumerate(legend):
        y = 4 + number * line
        dash = ' stroke-dasharray="3 2"' if tile.dashed else ""
        parts.append(f'<rect x="{legend_x}" y="{y}" width="12" height="12" fill="{tile.fill}" stroke="{tile.stroke}"{dash}/>')
        if tile.symbol:
            parts.append(f'<text x="{legend_x + 6}" y="{y + 10}" text-anchor="middle" font-size="9" '
                         f'fill="{tile.symbol_colour}">{escape(tile.symbol)}</text>')
        parts.append(f'<text x="{legend_x + 18}" y="{y + 10}" font-size="10" fill="#1f1f1f">{escape(text)}</text>')
    y = 4 + len(legend) * line + 4
    if marked_label:
        parts.append(f'<rect x="{legend_x - 1}" y="{y - 1}" width="14" height="14" fill="none" stroke="#000" '
                     f'stroke-width="3"/><text x="{legend_x + 18}" y="{y + 10}" font-size="10" font-weight="bold" '
                     f'fill="#000">{escape(marked_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
