"""Small inline SVG charts for the site (no JavaScript library, nothing fetched): the headline series
on a claim card and the place of a region among the 40 COROP regions on the league page.

Readable in greyscale and by colour-blind readers: series differ by line style and marker shape as
well as colour (Okabe-Ito colours); the highlighted region is dark and labelled in words. Every
chart is ``role="img"`` with a ``<title>`` in the edition's language (its alt text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

# (stroke colour, dash pattern, marker): differ in more than colour.
SERIES_STYLES = (("#0b3c8c", "", "circle"), ("#c45a00", "6 3", "square"), ("#4d4d4d", "2 2", "triangle"),
                 ("#007a5a", "8 3 2 3", "diamond"))


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 2.5:.1f}" y="{y - 2.5:.1f}" width="5" height="5" fill="#fff" stroke="{colour}"/>'
    if shape == "triangle":
        return (f'<path d="M{x:.1f},{y - 3:.1f} L{x + 3:.1f},{y + 2.5:.1f} L{x - 3:.1f},{y + 2.5:.1f} Z" '
                f'fill="{colour}"/>')
    return f'<path d="M{x:.1f},{y - 3:.1f} L{x + 3:.1f},{y:.1f} L{x:.1f},{y + 3:.1f} L{x - 3:.1f},{y:.1f} Z" fill="{colour}"/>'


def line_chart(series: Mapping[str, Sequence[tuple[int, float]]], *, title: str,
               format_value: Callable[[float], str], width: int = 280, height: int = 130, unit: str = "") -> str:
    """Lines of (year, value) per series label, with the first and last year and the value range;
    ``unit`` (e.g. "index (2010 = 100)") is written above the values; a missing year (one the
    chart's other years step over) leaves a gap in its line rather than a bridge."""
    points = [(year, value) for values in series.values() for year, value in values if value is not None]
    if not points:
        return ""
    years = [year for year, _ in points]
    values = [value for _, value in points]
    left, right, top, legend_height = 44, 8, 8 + (14 if unit else 0), 14 * len(series)
    bottom = 18 + legend_height
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    first, last = min(years), max(years)
    span = max(last - first, 1)

    def x(year: float) -> float:
        return left + (year - first) / span * (width - left - right)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    parts = [(f'<svg class="chart spark" role="img" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'),
             f'<line x1="{left}" y1="{y(low):.1f}" x2="{width - right}" y2="{y(low):.1f}" stroke="#9aa1ab"/>']
    if unit:
        parts.append(f'<text x="2" y="11" font-size="10" fill="#3b4250">{escape(unit)}</text>')
    step = _year_step(years)
    for value in (high, low):
        parts.append(f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="10" '
                     f'fill="#3b4250">{escape(format_value(value))}</text>')
    axis_y = height - bottom + 12
    parts.append(f'<text x="{x(first):.1f}" y="{axis_y:.1f}" font-size="10" fill="#3b4250">{first}</text>')
    parts.append(f'<text x="{x(last):.1f}" y="{axis_y:.1f}" text-anchor="end" font-size="10" fill="#3b4250">{last}</text>')
    for number, (label, values) in enumerate(series.items()):
        colour, dash, shape = SERIES_STYLES[number % len(SERIES_STYLES)]
        kept = [(year, value) for year, value in sorted(values) if value is not None]
        path = " ".join(f"{'M' if i == 0 or year - kept[i - 1][0] > step else 'L'}{x(year):.1f},{y(value):.1f}"
                        for i, (year, value) in enumerate(kept))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.8"{dash_attr}/>')
        parts.extend(_marker(shape, x(year), y(value), colour) for year, value in kept)
        legend_y = height - legend_height + 14 * number + 10
        parts.append(f'<line x1="{left}" y1="{legend_y - 3}" x2="{left + 18}" y2="{legend_y - 3}" stroke="{colour}" '
                     f'stroke-width="1.8"{dash_attr}/>' + _marker(shape, left + 9, legend_y - 3, colour))
        parts.append(f'<text x="{left + 24}" y="{legend_y:.1f}" font-size="10" fill="#1f1f1f">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def ranking_chart(rows: Sequence[Mapping[str, Any]], *, title: str, format_value: Callable[[float], str],
                  highlight: Mapping[str, str], width: int = 640, height: int = 170) -> str:
    """One column per region, sorted by value; regions in ``highlight`` (code -> label) dark and named.

    ``rows``: dicts with ``region_code`` and ``value`` (None: left out, the CSV keeps the row).
    """
    kept = sorted((r for r in rows if r.get("value") is not None), key=lambda r: r["value"])
    if not kept:
        return ""
    values = [float(r["value"]) for r in kept]
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1
    left, right, top, bottom = 48, 8, 26, 10
    step = (width - left - right) / len(kept)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    parts = [(f'<svg class="chart ranking" role="img" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'),
             f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#6b7280"/>']
    for value in (high, low):
        if value != 0:
            parts.append(f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="10" '
                         f'fill="#3b4250">{escape(format_value(value))}</text>')
    parts.append(f'<text x="{left - 4}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="10" fill="#3b4250">'
                 f'{escape(format_value(0.0))}</text>')
    labels = []
    for position, row in enumerate(kept):
        value = float(row["value"])
        x0 = left + position * step
        top_y, bottom_y = sorted((y(value), y(0)))
        marked = row["region_code"] in highlight
        fill = "#0b3c8c" if marked else "#c9ced6"
        stroke = ' stroke="#000" stroke-width="1"' if marked else ""
        parts.append(f'<rect x="{x0 + 1:.1f}" y="{top_y:.1f}" width="{max(step - 2, 1):.1f}" '
                     f'height="{max(bottom_y - top_y, 0.5):.1f}" fill="{fill}"{stroke}/>')
        if marked:
            labels.append((x0 + step / 2, highlight[row["region_code"]], format_value(value)))
    for number, (center, label, value_text) in enumerate(labels):
        label_y = 10 + 11 * (number % 2)
        anchor = "start" if center < width / 2 else "end"
        parts.append(f'<line x1="{center:.1f}" y1="{label_y + 2}" x2="{center:.1f}" y2="{top - 2}" stroke="#000" '
                     'stroke-dasharray="2 2"/>')
        parts.append(f'<text x="{center:.1f}" y="{label_y}" text-anchor="{anchor}" font-size="10" '
                     f'font-weight="bold" fill="#000">▼ {escape(label)}: {escape(value_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _year_step(years: Sequence[int]) -> int:
    """The chart's cadence: the smallest step between its distinct years (1 for annual series), so
    a year a line steps over is a gap."""
    distinct = sorted(set(years))
    from itertools import pairwise

    return min((b - a for a, b in pairwise(distinct)), default=1)
