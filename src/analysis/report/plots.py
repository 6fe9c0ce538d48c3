"""The house style for every figure in the report, and the plot types several notebooks share.

Rules every figure follows (policy advisors read them printed in black and white, too):

- axes are labelled with their units ("employee jobs (x 1 000)", "index (2010 = 100)");
- series differ by line style and marker as well as colour, so a greyscale print still tells them apart;
- a source line sits under the figure ("Bron/Source: CBS 83582NED, retrieved 2026-11-28");
- output is deterministic: no random jitter, fixed sort orders (ties broken by name).

Call :func:`use_house_style` once at the top of a notebook; the helpers return the Axes or Figure
they drew so a notebook can add annotations.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Okabe-Ito colours (safe for colour-blind readers). The first three differ clearly in grey value
# (luma 0.00, 0.34, 0.64); beyond three, line styles and markers carry the distinction.
HOUSE_PALETTE: tuple[str, ...] = (
    "#000000",  # black
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
)
LINESTYLES: tuple[Any, ...] = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)))
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X")
HIGHLIGHT = "#D55E00"  # the focal region (e.g. Twente) among the others
MUTED = "#BDBDBD"  # the other regions: light grey, so the focal one stands out in greyscale too
SOURCE_PREFIX = "Bron/Source: "
SOURCE_NOTE_GID = "source-note"  # lets tests (and readers of the figure object) find the note


def use_house_style() -> None:
    """Set the report's fonts, grid, spines and colour cycle for every later figure."""
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", font_scale=1.0)
    mpl.rcParams.update({
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "figure.constrained_layout.use": True,  # keeps the source note clear of the axis labels
        "font.size": 11,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#444444",
        "axes.prop_cycle": mpl.cycler(color=list(HOUSE_PALETTE)),
        "grid.color": "#E5E5E5",
        "grid.linewidth": 0.8,
        "legend.frameon": False,
        "lines.linewidth": 2.0,
        "lines.markersize": 6,
        "image.cmap": "cividis",  # sequential and readable in greyscale
    })


def series_style(i: int) -> dict[str, Any]:
    """Colour, line style and marker of the i-th series (cycling); pass as ``ax.plot(..., **style)``."""
    return {
        "color": HOUSE_PALETTE[i % len(HOUSE_PALETTE)],
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
        "marker": MARKERS[i % len(MARKERS)],
    }


def _figure_of(target: Axes | Figure) -> Figure:
    return target if isinstance(target, Figure) else target.get_figure(root=True)


SOURCE_NOTE_WIDTH = 110  # characters per line of a source note (fits a figure 8 inches wide)


def source_note(target: Axes | Figure, text: str) -> Text:
    """Put the source line under the figure (left-aligned, small, grey).

    ``text`` names the publisher, table and retrieval date; the bilingual prefix is added
    when missing. Uses the figure's x super-label slot, which constrained layout keeps clear
    of tick and axis labels.
    """
    if not text.strip():
        raise ValueError("a figure needs a source: name the publisher, table and retrieval date")
    if not text.lower().startswith(("bron", "source")):
        text = SOURCE_PREFIX + text
    figure = _figure_of(target)
    # Wrap long source lists: a single long line would widen the saved figure and shrink the plot.
    text = textwrap.fill(text, width=SOURCE_NOTE_WIDTH, break_long_words=False, break_on_hyphens=False)
    note = figure.supxlabel(text, x=0.01, ha="left", fontsize=8.5, color="#555555")
    note.set_gid(SOURCE_NOTE_GID)
    return note


def find_source_note(figure: Figure) -> str | None:
    """The source line of a figure, or None (used by tests and checks)."""
    for text in figure.texts:
        if text.get_gid() == SOURCE_NOTE_GID and text.get_text():
            return text.get_text()
    return None


def _plain_number(value: float, _pos: int | None = None) -> str:
    # "276,400" and "2.5" rather than matplotlib's offset or scientific notation ("1e6").
    return f"{value:,.10g}"


def _new_axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _fig, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _sorted_groups(frame: pd.DataFrame, hue: str | None) -> list[tuple[str, pd.DataFrame]]:
    if hue is None:
        return [("", frame)]
    return [(str(key), group) for key, group in frame.groupby(hue, sort=True, dropna=False)]


def plot_series(frame: pd.DataFrame, x: str, y: str, hue: str | None, title: str, ylabel: str,
                source: str, *, xlabel: str | None = None, ax: Axes | None = None,
                order: Sequence[str] | None = None) -> Axes:
    """One line per ``hue`` value (x usually a year); axes labelled, legend, source under the figure.

    ``ylabel`` must carry the unit, e.g. "employee jobs (x 1 000)". ``order`` fixes the legend
    order (default: sorted hue values); missing values break the line rather than being bridged.
    """
    _require_columns(frame, [x, y] + ([hue] if hue else []))
    ax = _new_axes(ax)
    groups = dict(_sorted_groups(frame, hue))
    names = list(order) if order is not None else list(groups)
    for i, name in enumerate(names):
        group = groups[name].sort_values(x)
        ax.plot(group[x], group[y].astype(float), label=name or y, **series_style(i))
    _finish(ax, title, xlabel or x, ylabel, source, legend=hue is not None)
    if pd.api.types.is_integer_dtype(frame[x]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def index_to_base(frame: pd.DataFrame, x: str, y: str, hue: str | None, base_year: int) -> pd.Series:
    """``y`` as an index with ``x == base_year`` = 100 within each ``hue`` group."""
    group = frame[hue].astype(str) if hue else pd.Series("all series", index=frame.index)
    is_base = frame[x] == base_year
    base = frame.loc[is_base, y].astype(float).groupby(group[is_base]).first()
    denominator = group.map(base)
    unusable = sorted(set(group[denominator.isna() | (denominator == 0)]))
    if unusable:
        raise ValueError(f"no usable {y} (missing or 0) in base year {base_year} for {', '.join(unusable)}; "
                         "choose a base year every series has")
    return frame[y].astype(float) / denominator * 100.0


def plot_index(frame: pd.DataFrame, x: str, y: str, hue: str | None, base_year: int, title: str,
               source: str, *, xlabel: str | None = None, ax: Axes | None = None,
               order: Sequence[str] | None = None) -> Axes:
    """Series as an index (``base_year`` = 100), so regions of different size can be compared."""
    indexed = frame.assign(_index=index_to_base(frame, x, y, hue, base_year))
    ax = plot_series(indexed, x, "_index", hue, title, f"index ({base_year} = 100)", source,
                     xlabel=xlabel, ax=ax, order=order)
    ax.axhline(100, color="#777777", linewidth=1, zorder=0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))
    return ax


def plot_count_heatmap(table: pd.DataFrame, title: str, xlabel: str, ylabel: str, colorbar_label: str,
                       source: str, *, ax: Axes | None = None) -> Axes:
    """A heatmap of counts with the number written in every non-empty cell (readable in greyscale)."""
    import seaborn as sns

    ax = _new_axes(ax, figsize=(max(8.0, 0.55 * len(table.columns) + 2.5), max(3.5, 0.27 * len(table) + 1.6)))
    annotations = table.map(lambda v: "" if pd.isna(v) or v == 0 else f"{v:.0f}")
    sns.heatmap(table.astype(float), ax=ax, cmap="Greys", vmin=0, annot=annotations, fmt="",
                annot_kws={"fontsize": 8}, linewidths=0.5, linecolor="#EEEEEE",
                cbar_kws={"label": colorbar_label})
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=90 if len(table.columns) > 10 else 0)
    source_note(ax, source)
    return ax


def _finish(ax: Axes, title: str, xlabel: str, ylabel: str, source: str, *, legend: bool,
            value_axis: str = "y") -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    (ax.yaxis if value_axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(_plain_number))
    if legend:
        # Outside the plot area so it never hides data; constrained layout makes room for it.
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    source_note(ax, source)


def _require_columns(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the table; it has {list(frame.columns)}")


# --- figures per language (the bilingual pages draw each figure once per edition) -------------------


def babel_ticks(lang: str, decimals: int = 0, style: str = "number") -> FuncFormatter:
    """Tick labels formatted by Babel for ``lang`` (``1.800`` / ``1,800``; ``-5,7%`` / ``-5.7%``)."""
    from analysis.i18n import Num, format_num

    return FuncFormatter(lambda v, _p: format_num(Num(float(v), style=style, decimals=decimals), lang))


def spec_curve_figure(frame: pd.DataFrame, lang: str, *, choices: Mapping[str, str],
                      unit_format: Any, title: str, source: str, claimed: float | None = None,
                      option_labels: Mapping[tuple[str, str], str] | None = None,
                      threshold: float | None = None, part: str | None = None) -> Figure:
    """The specification curve of a claim check, labelled in ``lang`` (pages.toml texts).

    ``frame`` is :func:`analysis.report.claimpage.curve_data`: ``rank``, ``value``, ``low``,
    ``high``, ``reading`` (the claimant's reading, marked with a large star), ``holds``
    ("yes" / "no" / "undecidable": circle / cross / triangle, so greyscale keeps them apart)
    and one column per varying choice (the bottom panel). ``unit_format(v)`` writes a value in its
    unit for legends; ``claimed`` draws the claim's own number as a dashed line, ``threshold`` the
    reading's threshold as a solid line. ``part``: whose number the curve shows (the deciding half of
    a two-part claim, e.g. "Nederland"); the markers then say whether that half holds.
    """
    from analysis.i18n import Text as Message

    _require_columns(frame, ["rank", "value", "low", "high", "reading", "holds", *choices])
    if frame.empty:
        raise ValueError("the specification table is empty")
    rank = frame["rank"].to_numpy()
    values = frame["value"].astype(float).to_numpy()
    rows = [(c, o) for c in choices for o in sorted(frame[c].astype(str).unique())]
    fig, axes = plt.subplots(2 if rows else 1, 1, sharex=True, layout="constrained",
                             figsize=(10.0, 3.8 + 0.22 * len(rows)), squeeze=False,
                             gridspec_kw={"height_ratios": [3.0, max(1.0, 0.28 * len(rows))] if rows else [1]})
    top = axes[0][0]
    low, high = frame["low"].astype(float).to_numpy(), frame["high"].astype(float).to_numpy()
    has_interval = ~(np.isnan(low) | np.isnan(high))
    top.vlines(rank[has_interval], low[has_interval], high[has_interval], color="#999999", linewidth=1, zorder=1)
    total = len(frame)
    suffix = ".part" if part else ""
    kinds = (("yes", "o", HOUSE_PALETTE[0], "page.spec.holds" + suffix),
             ("no", "X", HIGHLIGHT, "page.spec.fails" + suffix),
             ("undecidable", "^", "#777777", "page.spec.undecided"))
    holds = frame["holds"].astype(str).to_numpy()
    for code, marker, colour, key in kinds:
        chosen = holds == code
        if chosen.any():
            top.scatter(rank[chosen], values[chosen], marker=marker, color=colour, s=30, zorder=3,
                        label=Message(key, {"n": int(chosen.sum()), "total": total, "who": part or ""}).render(lang))
    reading = frame["reading"].astype(bool).to_numpy()
    if reading.any():
        top.scatter(rank[reading], values[reading], marker="*", s=260, facecolor="none", edgecolor="#000000",
                    linewidth=1.6, zorder=4,
                    label=Message("page.spec.reading", {"value": unit_format(values[reading][0])}).render(lang))
    if claimed is not None:
        top.axhline(claimed, color="#555555", linestyle="--", linewidth=1.2,
                    label=Message("page.spec.claimed", {"value": unit_format(claimed)}).render(lang))
    if threshold is not None:
        top.axhline(threshold, color="#000000", linestyle="-", linewidth=1.0,
                    label=Message("page.spec.threshold", {"value": unit_format(threshold)}).render(lang))
    top.set_title(textwrap.fill(title, width=55))
    top.set_ylabel(part or Message("page.col.value").render(lang))
    top.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: unit_format(v)))
    # Sorted ascending, the readings leave the lower right corner empty: the legend goes there.
    top.legend(loc="lower right", fontsize=8.5)
    bottom = axes[-1][0]
    if rows:
        for row, (choice, option) in enumerate(rows):
            used = (frame[choice].astype(str) == option).to_numpy()
            for code, marker, colour, _key in kinds:
                chosen = used & (holds == code)
                bottom.scatter(rank[chosen], np.full(chosen.sum(), row), marker=marker, color=colour, s=14)
        labels = [(option_labels or {}).get((c, o)) or f"{choices[c]}: {o}" for c, o in rows]
        bottom.set_yticks(range(len(rows)), labels, fontsize=8.5)
        bottom.set_ylim(len(rows) - 0.5, -0.5)
        bottom.set_ylabel(Message("page.spec.choices").render(lang))
        bottom.grid(axis="x", visible=False)
    bottom.set_xlabel(Message("page.spec.xlabel").render(lang))
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.xaxis.set_major_formatter(babel_ticks(lang))
    source_note(fig, source)
    return fig


def lines_figure(frame: pd.DataFrame, lang: str, *, x: str, y: str, series: str, title: str, xlabel: str,
                 ylabel: str, source: str, value_format: Any, mark_x: float | None = None) -> Figure:
    """One line per ``series`` value (already the label in ``lang``), ticks formatted for ``lang``."""
    _require_columns(frame, [x, y, series])
    fig, ax = plt.subplots(layout="constrained")
    names = list(dict.fromkeys(frame[series].astype(str)))
    for i, name in enumerate(names):
        group = frame[frame[series].astype(str) == name].sort_values(x)
        values = group.set_index(x)[y].astype(float)
        if len(values) and pd.api.types.is_integer_dtype(group[x]):
            # a year with no value (suppressed) stays a gap in the line rather than being bridged
            values = values.reindex(range(int(values.index.min()), int(values.index.max()) + 1))
        ax.plot(values.index, values.to_numpy(), label=name, **series_style(i))
    if mark_x is not None:
        ax.axvline(mark_x, color="#777777", linewidth=1, linestyle=":")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: value_format(v)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))  # years: never grouped
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    source_note(fig, source)
    return fig
