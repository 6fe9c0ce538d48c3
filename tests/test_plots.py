"""The house style: labelled axes, a source note under every figure, greyscale-safe series, determinism."""

from __future__ import annotations

import io
import itertools

import matplotlib

matplotlib.use("Agg")  # no display needed; must precede pyplot

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgb

from analysis.report import plots

SOURCE = "CBS 83582NED, retrieved 2026-11-28"


@pytest.fixture(autouse=True)
def _house_style_and_cleanup():
    plots.use_house_style()
    yield
    plt.close("all")


def _series_frame() -> pd.DataFrame:
    years = range(2010, 2017)
    rows = [{"year": y, "region": region, "jobs": base + 10 * k}
            for region, base in (("Twente", 1000), ("Nederland", 2000), ("Arnhem/Nijmegen", 1500))
            for k, y in enumerate(years)]
    return pd.DataFrame(rows)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _luma(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_backend_is_agg() -> None:
    assert matplotlib.get_backend().lower() == "agg"


def test_house_style_sets_spines_grid_and_palette() -> None:
    rc = matplotlib.rcParams
    assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
    assert rc["axes.grid"]
    assert rc["font.size"] >= 10
    assert [to_rgb(c) for c in rc["axes.prop_cycle"].by_key()["color"]] == [to_rgb(c) for c in plots.HOUSE_PALETTE]


def test_series_styles_differ_without_colour() -> None:
    styles = [plots.series_style(i) for i in range(len(plots.HOUSE_PALETTE))]
    # In greyscale only line style and marker remain: every pair must differ in both.
    assert len({repr(s["linestyle"]) for s in styles}) == len(styles)
    assert len({s["marker"] for s in styles}) == len(styles)
    # The first three colours (the usual region / comparator / nation) differ clearly in grey value.
    lumas = sorted(_luma(s["color"]) for s in styles[:3])
    assert min(b - a for a, b in itertools.pairwise(lumas)) > 0.2
    assert plots.series_style(len(plots.HOUSE_PALETTE)) == plots.series_style(0)  # cycles
    assert abs(_luma(plots.HIGHLIGHT) - _luma(plots.MUTED)) > 0.2


def test_plot_series_labels_axes_lines_and_source() -> None:
    ax = plots.plot_series(_series_frame(), "year", "jobs", "region", "Employee jobs",
                           "employee jobs (number)", SOURCE)
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "employee jobs (number)"
    assert ax.get_title(loc="left") == "Employee jobs"  # house style: titles flush left
    assert plots.find_source_note(ax.figure) == f"Bron/Source: {SOURCE}"
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["Arnhem/Nijmegen", "Nederland", "Twente"]
    assert len({(repr(line.get_linestyle()), line.get_marker()) for line in lines}) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Arnhem/Nijmegen", "Nederland", "Twente"]


def test_every_figure_needs_a_source() -> None:
    with pytest.raises(ValueError, match="needs a source"):
        plots.plot_series(_series_frame(), "year", "jobs", "region", "t", "jobs (number)", "")


def test_source_note_keeps_an_existing_prefix_and_is_below_the_axes() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    note = plots.source_note(fig, "Bron: DUO")
    assert note.get_text() == "Bron: DUO"
    fig.canvas.draw()
    assert note.get_window_extent().y1 <= ax.get_tightbbox().y0 + 1  # under the x-axis label, not over it


def test_plot_index_rebases_to_100() -> None:
    frame = _series_frame()
    index = plots.index_to_base(frame, "year", "jobs", "region", 2010)
    assert index[frame["year"] == 2010].tolist() == [100.0, 100.0, 100.0]
    assert index.iloc[1] == pytest.approx(101.0)  # Twente 2011: 1010 / 1000
    ax = plots.plot_index(frame, "year", "jobs", "region", 2010, "Jobs, indexed", SOURCE)
    assert ax.get_ylabel() == "index (2010 = 100)"
    assert plots.find_source_note(ax.figure)
    with pytest.raises(ValueError, match="base year 2009"):
        plots.index_to_base(frame, "year", "jobs", "region", 2009)


def test_count_heatmap_writes_counts_and_source() -> None:
    table = pd.DataFrame([[0, 3], [12, 1]], index=["B", "C"], columns=[2015, 2016])
    ax = plots.plot_count_heatmap(table, "Suppressed", "year", "SBI section", "cells (count)", SOURCE)
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "SBI section"
    assert sorted(t.get_text() for t in ax.texts if t.get_text()) == ["1", "12", "3"]
    assert plots.find_source_note(ax.figure)


def _curve() -> pd.DataFrame:
    # rank, value, interval, reading, holds and one choice: what claimpage.curve_data returns
    return pd.DataFrame({"rank": [1, 2, 3, 4], "value": [-6.3, -5.7, -5.2, -4.1],
                         "low": [-6.3, -5.8, -5.4, -4.1], "high": [-6.3, -5.6, -4.9, -4.1],
                         "reading": [False, True, False, False], "weight": [0.5, 1.0, 0.25, 0.25],
                         "holds": ["yes", "yes", "undecidable", "no"],
                         "param_base_year": ["2009", "2010", "2011", "2011"]})


def _curve_figure(lang: str):
    fmt = {"nl": lambda v: f"{v:.1f}%".replace(".", ","), "en": lambda v: f"{v:.1f}%"}[lang]
    return plots.spec_curve_figure(_curve(), lang, choices={"param_base_year": "base year"}, unit_format=fmt,
                                   title="T", source="Source: CBS", claimed=-5.0)


def test_spec_curve_figure_marks_the_reading_holds_and_choices_per_language() -> None:
    fig = _curve_figure("en")
    top, bottom = fig.axes[:2]
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert legend == ["claim holds (2 of 4)", "claim does not hold (1 of 4)", "undecidable (1 of 4)",
                      "the claim's reading (-5.7%)", "the claim's number (-5.0%)"]
    assert [t.get_text() for t in bottom.get_yticklabels()] == ["base year: 2009", "base year: 2010",
                                                                "base year: 2011"]
    assert bottom.get_xlabel() == "reading (rank, sorted by result)"
    # holds / fails / undecidable / reading differ in marker shape, not only in colour
    points = [c for c in top.collections if isinstance(c, PathCollection)]
    assert len({c.get_paths()[0].vertices.shape for c in points}) == 4
    star = [c for c in points if c.get_sizes()[0] > 200]
    assert len(star) == 1 and list(star[0].get_offsets()[0]) == [2.0, -5.7]  # the reading, at rank 2
    assert plots.find_source_note(fig) == "Source: CBS"
    dutch = _curve_figure("nl")
    assert dutch.axes[0].get_legend().get_texts()[0].get_text() == "bewering klopt (2 van 4)"
    assert dutch.axes[-1].get_xlabel() == "lezing (rang, gesorteerd op uitkomst)"


def test_lines_figure_labels_and_babel_ticks() -> None:
    frame = pd.DataFrame({"year": [2010, 2011, 2010, 2011], "value": [1800.0, 1900.0, 2500.0, 2400.0],
                          "series": ["Twente", "Twente", "Nederland", "Nederland"]})
    fig = plots.lines_figure(frame, "nl", x="year", y="value", series="series", title="Banen", xlabel="jaar",
                             ylabel="aantal", source="Bron: CBS", value_format=lambda v: f"{v:,.0f}".replace(",", "."),
                             mark_x=2010.5)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()[:2]] == ["Twente", "Nederland"]
    assert len({(repr(line.get_linestyle()), line.get_marker()) for line in ax.get_lines()[:2]}) == 2
    assert ax.get_xlabel() == "jaar" and ax.get_title(loc="left") == "Banen"
    formatter = plots.babel_ticks("nl")
    assert formatter(1800.0, 0) == "1.800" and plots.babel_ticks("en")(1800.0, 0) == "1,800"
    assert plots.babel_ticks("en", 1, "percent")(-5.68, 0) == "-5.7%"


def test_spec_curve_output_is_deterministic() -> None:
    def draw() -> bytes:
        fig = _curve_figure("en")
        data = _png(fig)
        plt.close(fig)
        return data

    assert draw() == draw()



def test_lines_figure_leaves_a_missing_year_as_a_gap() -> None:
    from analysis.report.plots import lines_figure

    frame = pd.DataFrame({"year": [2014, 2015, 2017], "value": [100.0, 98.0, 97.0], "series": ["Twente"] * 3})
    fig = lines_figure(frame, "en", x="year", y="value", series="series", title="t", xlabel="year",
                       ylabel="index", source="Source: test", value_format=lambda v: f"{v:.0f}")
    xs, ys = fig.axes[0].lines[0].get_data()
    assert list(xs) == [2014, 2015, 2016, 2017]
    assert np.isnan(ys[2]) and ys[3] == 97.0  # 2016 is not bridged by a line from 2015 to 2017
