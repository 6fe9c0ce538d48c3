"""Figures of the trend models and placebo ranks, labelled in the edition's language.

Each function takes a result of :mod:`analysis.engine.trend.models` or :mod:`analysis.engine.placebo`,
a language (``nl`` or ``en``) and a source line, and returns a matplotlib Figure in the house style
(:func:`analysis.report.plots.use_house_style`): labels from the message catalogue
(``data/messages/trends.toml``), ticks formatted by Babel, series told apart by line style and
marker as well as colour, the source under the figure. The numbers drawn are exactly those of
``TrendModels.figure_data()``, ``ConceptSet.plot_data()`` and ``PlaceboRanks.plot_data()`` (the
report writes them as the figure's CSV), so figure and CSV agree.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.engine.placebo import PlaceboRanks
from analysis.engine.trend.models import ConceptSet, TrendModels
from analysis.i18n import Num, Text, render
from analysis.report import plots
from analysis.report.findings import Window


def _years_axis(ax) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))  # years: never grouped


def trend_figure(models: TrendModels, lang: str, source: str, window: Window | None = None) -> Figure:
    """Left: the region's level, its pre-period line and the extrapolation with its single-year band
    (the widest over AR(1) persistence up to rho = 0.8, :mod:`analysis.engine.trend.bands`);
    right: region and comparator as an index (first year = 100). ``window``: the claim's years
    (shaded) and date (a dotted vertical line) on both panels, named in the right panel's legend."""
    data = models.figure_data()
    pair = models.pair
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, 4.2), layout="constrained")
    series = {name: group.sort_values("year") for name, group in data.groupby("series")}
    region = series["region"]
    left.plot(region["year"], region["value"], label=pair.region_name, **plots.series_style(0))
    if "region_fit" in series:
        fit = series["region_fit"]
        left.plot(fit["year"], fit["value"], color=plots.HOUSE_PALETTE[1], linestyle="--",
                  marker="", label=render("trendplots.fit", lang, first=Num(models.first_year, "year"),
                                          cutoff=Num(models.cutoff_year, "year")))
    if "region_extrapolation" in series:
        extra = series["region_extrapolation"]
        left.plot(extra["year"], extra["value"], color=plots.HOUSE_PALETTE[2], linestyle=":",
                  marker="", label=render("trendplots.extrapolation", lang))
        left.fill_between(extra["year"], extra["band_low"], extra["band_high"], color="#DDDDDD",
                          label=render("trendplots.band", lang,
                                       rho_max=Num(models.prediction.band_rho_max, decimals=1)))
    left.axvline(models.cutoff_year + 0.5, color="#777777", linewidth=1, linestyle=":")
    unit = Text(f"trends.unit.{pair.concept}").render(lang)
    left.set_title(render("trendplots.level_title", lang, region=pair.region_name,
                          sbi=pair.sbi))
    left.set_ylabel(unit)
    left.set_xlabel(render("trendplots.year", lang))
    left.yaxis.set_major_formatter(plots.babel_ticks(lang))
    _years_axis(left)
    left.legend(loc="best", fontsize=8.5)
    comparator_label = pair.comparator_name.render(lang)
    for i, (name, label) in enumerate((("region_index", pair.region_name),
                                       ("comparator_index", comparator_label))):
        if name in series:
            group = series[name]
            right.plot(group["year"], group["value"], label=label, **plots.series_style(i))
    if window is not None:
        from analysis.report.claimfigures import mark_claim

        mark_claim(right, window, lang)
        mark_claim(left, window, lang)  # after the left legend is drawn: the right one names the marks
    right.axhline(100, color="#777777", linewidth=1, zorder=0)
    right.axvline(models.cutoff_year + 0.5, color="#777777", linewidth=1, linestyle=":")
    right.set_title(render("trendplots.index_title", lang, first=Num(models.first_year, "year")))
    right.set_ylabel(render("trendplots.index_label", lang, first=Num(models.first_year, "year")))
    right.set_xlabel(render("trendplots.year", lang))
    right.yaxis.set_major_formatter(plots.babel_ticks(lang))
    _years_axis(right)
    right.legend(loc="best", fontsize=8.5)
    plots.source_note(fig, source)
    return fig


def concepts_figure(concepts: ConceptSet, lang: str, source: str) -> Figure:
    """One panel per concept (employee jobs, labour volume in each edition): region and comparator
    as an index, so the concepts can be compared by shape."""
    labels = list(concepts.models)
    if not labels:
        raise ValueError("no concept has trend models to draw")
    fig, axes = plt.subplots(1, len(labels), figsize=(3.6 * len(labels) + 1.0, 4.0),
                             layout="constrained", sharey=True, squeeze=False)
    for ax, label in zip(axes[0], labels, strict=True):
        models = concepts.models[label]
        data = models.index_data()
        for i, (name, text) in enumerate((("region_index", models.pair.region_name),
                                          ("comparator_index",
                                           models.pair.comparator_name.render(lang)))):
            group = data[data["series"] == name].sort_values("year")
            ax.plot(group["year"], group["value"], label=text, **plots.series_style(i))
        ax.axhline(100, color="#777777", linewidth=1, zorder=0)
        ax.axvline(models.cutoff_year + 0.5, color="#777777", linewidth=1, linestyle=":")
        table = models.pair.source.split(" ")[0]
        ax.set_title(render("trendplots.concept_title", lang,
                            concept=Text(f"trends.concept.{models.pair.concept}"), table=table),
                     fontsize=10)
        ax.set_xlabel(render("trendplots.year", lang))
        ax.yaxis.set_major_formatter(plots.babel_ticks(lang))
        _years_axis(ax)
    first = next(iter(concepts.models.values())).first_year
    axes[0][0].set_ylabel(render("trendplots.index_label", lang, first=Num(first, "year")))
    axes[0][-1].legend(loc="best", fontsize=8.5)
    plots.source_note(fig, source)
    return fig


def placebo_figure(result: PlaceboRanks, lang: str, source: str) -> Figure:
    """Every COROP region on the raw metric (left, dropped regions drawn as their bounds) and on the
    standardised score (right), the focal region highlighted and hatched."""
    table = result.table()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, max(5.0, 0.2 * len(table) + 1.5)),
                                      layout="constrained", sharey=True)
    positions = np.arange(len(table))
    focal = table["focal"].to_numpy()
    colours = np.where(focal, plots.HIGHLIGHT, plots.MUTED)
    raw = table["value"].astype(float).fillna(0.0)
    bars = left.barh(positions, raw, color=colours, edgecolor="#333333", linewidth=0.3)
    for bar, is_focal in zip(bars, focal, strict=True):
        if is_focal:
            bar.set_hatch("///")
    dropped = table["dropped"].to_numpy()
    for pos in np.flatnonzero(dropped):
        low, high = table.loc[pos, "low"], table.loc[pos, "high"]
        if pd.notna(low) and pd.notna(high):
            left.hlines(pos, low, high, color="#000000", linewidth=2.0)
    left.set_yticks(positions, [f"{n}{' *' if d else ''}" for n, d in
                                zip(table["region_name"], dropped, strict=True)], fontsize=7.5)
    left.set_ylim(len(table) - 0.5, -0.5)
    left.axvline(0, color="#444444", linewidth=0.8)
    left.set_title(render("trendplots.placebo_raw", lang, rank=result.rank, n=result.n_compared))
    left.set_xlabel(render("trendplots.placebo_raw_axis", lang, metric=Text(
        f"trendplots.metric.{result.metric}")))
    left.xaxis.set_major_formatter(plots.babel_ticks(lang, decimals=0, style="percent"))
    left.grid(axis="y", visible=False)
    score = table["score"].astype(float)
    if score.notna().any():
        score_bars = right.barh(positions, score.fillna(0.0), color=colours,
                                edgecolor="#333333", linewidth=0.3)
        for bar, is_focal in zip(score_bars, focal, strict=True):
            if is_focal:
                bar.set_hatch("///")
        right.xaxis.set_major_formatter(plots.babel_ticks(lang, decimals=1))
    else:  # e.g. the national total is too uncertain in every year (many suppressed cells)
        right.text(0.5, 0.5, render("trendplots.placebo_no_scores", lang), ha="center",
                   va="center", transform=right.transAxes, fontsize=9, wrap=True)
        right.set_xticks([])
    right.axvline(0, color="#444444", linewidth=0.8)
    right.set_title(render("trendplots.placebo_standardised", lang,
                           rank=result.standardised_rank if result.standardised_rank else "–",
                           n=len(result.scores)))
    right.set_xlabel(render("trendplots.placebo_score_axis", lang))
    right.grid(axis="y", visible=False)
    if dropped.any():
        fig.suptitle(render("trendplots.placebo_dropped", lang), fontsize=8.5, x=0.01, ha="left")
    plots.source_note(fig, source)
    return fig
