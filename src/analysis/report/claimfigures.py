"""Claim page figures that say what they show: the finding as the title, units on both axes, the
claim window shaded, the claim date as a vertical line, the reading's thresholds and the claimed
number as horizontal lines, and a gap (no bridging line) where a year has no value.

The marks come from :mod:`analysis.report.findings`; this module only draws, in the house style of
:mod:`analysis.report.plots` (series differ by line style and marker as well as colour).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.i18n import Text
from analysis.report import plots
from analysis.report.findings import Level, Window

TITLE_WIDTH = 70  # characters per title line on a figure 9 inches wide
WINDOW_GID = "claim-window"  # lets tests and readers of the figure object find the marks
CLAIM_DATE_GID = "claim-date"
LEVEL_COLOURS = {"threshold": "#555555", "claimed": plots.HIGHLIGHT}
LEVEL_STYLES = {"threshold": "--", "claimed": "-."}


def mark_claim(ax: Axes, window: Window | None, lang: str) -> None:
    """Shade the claim's years and draw the claim date (both in the legend, with their words)."""
    if window is None:
        return
    # A one-year window (a count on one date) is shaded as that year's width, so it stays visible.
    first, last = (window.first, window.last) if window.last > window.first else (window.first - 0.4,
                                                                                    window.last + 0.4)
    span = ax.axvspan(first, last, color="#E8E8E8", zorder=0, label=window.label().render(lang))
    span.set_gid(WINDOW_GID)
    if window.claim_x is not None:
        line = ax.axvline(window.claim_x, color="#000000", linewidth=1.2, linestyle=":", zorder=2,
                          label=Text("figures.claim_date", {"date": _long_date(window.claim_date, lang)}).render(lang))
        line.set_gid(CLAIM_DATE_GID)


def _long_date(iso: str, lang: str) -> str:
    import datetime as dt

    from babel.dates import format_date

    from analysis.i18n import LOCALES

    return format_date(dt.date.fromisoformat(iso[:10]), format="long", locale=LOCALES[lang])


def draw_levels(ax: Axes, levels: Sequence[Level], lang: str) -> None:
    """A horizontal line per level; a claimed number's rounding interval as a light band."""
    for level in levels:
        colour = LEVEL_COLOURS[level.kind]
        if level.low is not None and level.high is not None and level.high > level.low:
            ax.axhspan(level.low, level.high, color=colour, alpha=0.12, zorder=0)
        line = ax.axhline(level.value, color=colour, linestyle=LEVEL_STYLES[level.kind], linewidth=1.3,
                          zorder=1, label=level.label.render(lang))
        line.set_gid(f"level-{level.kind}")


def gapped(frame: pd.DataFrame, x: str, y: str) -> pd.Series:
    """``y`` by ``x`` with every missing whole year put in as NaN, so the line breaks there
    instead of bridging a suppressed year."""
    values = frame.set_index(x)[y].astype(float).sort_index()
    if len(values):
        values = values.reindex(range(int(values.index.min()), int(values.index.max()) + 1))
    return values


def _finish(fig: Figure, ax: Axes, title: str, xlabel: str, ylabel: str, source: str,
            value_format: Callable[[float], str]) -> None:
    # The figure's suptitle: what the page takes as the figure's title (and its download's metadata).
    fig.suptitle(textwrap.fill(title, width=TITLE_WIDTH), x=0.01, ha="left", fontsize=11.5, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 5, 10]))  # 100, 105: no 102.5
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: value_format(v)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))  # years: never grouped
    # Below the plot, so it never hides data and the figure keeps its width on a phone.
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), fontsize=8.5)
    plots.source_note(fig, source)


def series_figure(frame: pd.DataFrame, lang: str, *, series: str, title: str, xlabel: str, ylabel: str,
                  source: str, value_format: Callable[[float], str], window: Window | None,
                  levels: Sequence[Level] = ()) -> Figure:
    """One line per ``series`` (labels already in ``lang``) of ``frame`` (``year``, ``value``), with
    the claim's window, date and levels marked."""
    plots._require_columns(frame, ["year", "value", series])
    fig, ax = plt.subplots(figsize=(9.0, 5.4), layout="constrained")
    mark_claim(ax, window, lang)
    draw_levels(ax, levels, lang)
    for i, name in enumerate(dict.fromkeys(frame[series].astype(str))):
        values = gapped(frame[frame[series].astype(str) == name], "year", "value")
        ax.plot(values.index, values.to_numpy(), label=name, zorder=3, **plots.series_style(i))
    _finish(fig, ax, title, xlabel, ylabel, source, value_format)
    return fig


def share_figure(frame: pd.DataFrame, lang: str, *, label: str, title: str, xlabel: str, ylabel: str,
                 source: str, value_format: Callable[[float], str], window: Window | None,
                 levels: Sequence[Level] = ()) -> Figure:
    """The share per year (``year``, ``share``, ``low``, ``high``) with each year's interval as a
    vertical bar (masked cells), the claim's window, date and claimed number marked."""
    plots._require_columns(frame, ["year", "share", "low", "high"])
    fig, ax = plt.subplots(figsize=(9.0, 5.4), layout="constrained")
    mark_claim(ax, window, lang)
    draw_levels(ax, levels, lang)
    values = gapped(frame, "year", "share")
    ax.plot(values.index, values.to_numpy(), label=label, zorder=3, **plots.series_style(1))
    known = frame.dropna(subset=["low", "high"])
    widths = (known["high"] - known["low"]).to_numpy(float)
    if (widths > 0).any():  # exact counts have no interval to show (nor to name in the legend)
        ax.vlines(known["year"], known["low"], known["high"], color=plots.HOUSE_PALETTE[0], linewidth=3,
                  zorder=4, label=Text("figures.share.interval").render(lang))
    _pad_narrow_axis(ax, np.concatenate([frame[["low", "high", "share"]].to_numpy(float).ravel(),
                                         [level.value for level in levels]]))
    _finish(fig, ax, title, xlabel, ylabel, source, value_format)
    return fig


def _pad_narrow_axis(ax: Axes, values: np.ndarray) -> None:
    # A share that moves a few tenths of a point would otherwise fill the axis and look dramatic.
    values = values[~np.isnan(values)]
    if len(values) and values.max() - values.min() < 4:
        middle = (values.max() + values.min()) / 2
        ax.set_ylim(middle - 3, middle + 3)
