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


def test_source_text_from_manifest() -> None:
    manifest = {"inputs": [{"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen",
                            "retrieved_at": "2026-11-28T03:26:18Z", "mode": "mirror"}]}
    assert plots.source_text(["83582NED"], manifest) == "Bron/Source: CBS 83582NED (retrieved 2026-11-28, mirror)"
    assert plots.source_text(["duo-hbo-2024"], manifest) == "Bron/Source: duo-hbo-2024"  # no invented date


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


def _spec_table() -> pd.DataFrame:
    rows = []
    for start, definition in itertools.product([2010, 2011, 2012], ["C", "B-E", "C+M"]):
        value = (start - 2011) * 1.5 + len(definition) - 2
        rows.append({"start year": start, "definition": definition, "growth_pct": value, "holds": value > 0})
    return pd.DataFrame(rows)


def test_spec_curve_sorts_estimates_marks_holds_and_lists_choices() -> None:
    table = _spec_table()
    fig = plots.plot_spec_curve(table, "growth_pct", "holds", title="Growth", ylabel="growth (%)",
                                source=SOURCE, reference=3.0)
    top, bottom = fig.axes[:2]
    assert top.get_ylabel() == "growth (%)" and bottom.get_xlabel()
    points = np.concatenate([c.get_offsets()[:, 1] for c in top.collections if len(c.get_offsets())])
    ranks = np.concatenate([c.get_offsets()[:, 0] for c in top.collections if len(c.get_offsets())])
    assert sorted(points[np.argsort(ranks)]) == list(points[np.argsort(ranks)])  # ascending by rank
    labels = [t.get_text() for t in bottom.get_yticklabels()]
    assert labels == ["start year: 2010", "start year: 2011", "start year: 2012",
                      "definition: B-E", "definition: C", "definition: C+M"]
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    holds = int(table["holds"].sum())
    assert f"claim holds ({holds} of 9)" in legend and f"claim does not hold ({9 - holds} of 9)" in legend
    markers = {c.get_paths()[0].vertices.shape for c in top.collections}
    assert len(markers) == 2  # holds / does not hold differ in marker shape, not only colour
    assert plots.find_source_note(fig)


def test_placebo_ranks_regions_and_highlights_the_focal_one() -> None:
    values = {f"CR{i:02d}": float(i % 7) for i in range(1, 41)}
    names = {code: f"Region {code}" for code in values}
    ax = plots.plot_placebo(values, "CR12", title="Growth", xlabel="growth (%)", source=SOURCE, names=names)
    bars = ax.patches
    assert len(bars) == 40
    widths = [bar.get_width() for bar in bars]
    assert widths == sorted(widths, reverse=True)
    focal = [bar for bar in bars if bar.get_facecolor()[:3] == to_rgb(plots.HIGHLIGHT)]
    assert len(focal) == 1 and focal[0].get_hatch()
    assert ax.get_xlabel() == "growth (%)" and ax.get_ylabel() == "region"
    texts = [t.get_text() for t in ax.texts]
    assert any("of 40" in t for t in texts)
    assert "Region CR12" in [t.get_text() for t in ax.get_yticklabels()]
    with pytest.raises(ValueError, match="focal region 'CR77'"):
        plots.plot_placebo(values, "CR77", source=SOURCE)


def test_count_heatmap_writes_counts_and_source() -> None:
    table = pd.DataFrame([[0, 3], [12, 1]], index=["B", "C"], columns=[2015, 2016])
    ax = plots.plot_count_heatmap(table, "Suppressed", "year", "SBI section", "cells (count)", SOURCE)
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "SBI section"
    assert sorted(t.get_text() for t in ax.texts if t.get_text()) == ["1", "12", "3"]
    assert plots.find_source_note(ax.figure)


def test_output_is_deterministic() -> None:
    def draw() -> bytes:
        fig = plots.plot_spec_curve(_spec_table(), "growth_pct", "holds", source=SOURCE)
        data = _png(fig)
        plt.close(fig)
        return data

    assert draw() == draw()
