"""Claim page figures say what they show (issue 15, item 5): the finding as the title, units on the
axes, the claim window shaded, the claim date marked, threshold and claimed lines, gaps for missing
years, a share series for share claims, the trend section's sector named, sparklines with a unit."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed; must precede pyplot

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from analysis.engine.check import check
from analysis.report import cards, claimfigures, findings, plots, seriesfigures, svg
from analysis.report.findings import Level, Window

ENROLMENT = Path(__file__).parents[1] / "data" / "processed" / "enrolment.csv"
# 18 October 2017 is day 291 of 365: 273 days of January to September, then 17 more before it.
CLAIM_X = 2017 + (273 + 17) / 365


@pytest.fixture(autouse=True)
def _house_style_and_cleanup():
    plots.use_house_style()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def industry():
    return check("industry-decline", "CR12")


@pytest.fixture(scope="module")
def htsm():
    return check("htsm-growth", "CR12")


@pytest.fixture(scope="module")
def students():
    return check("technical-students", "CR12")


def _segments(ys: np.ndarray) -> int:
    """How many separate pieces a line with NaN breaks is drawn in."""
    present = ~np.isnan(ys.astype(float))
    return int(present[0]) + int(np.sum(present[1:] & ~present[:-1]))


def _window_patch(ax) -> Rectangle:
    found = [p for p in ax.patches if p.get_gid() == claimfigures.WINDOW_GID]
    assert len(found) == 1, "one shaded claim window"
    return found[0]


def _span(patch: Rectangle) -> tuple[float, float]:
    x0 = patch.get_x()
    return x0, x0 + patch.get_width()


def _claim_date_x(ax) -> float:
    lines = [line for line in ax.lines if line.get_gid() == claimfigures.CLAIM_DATE_GID]
    assert len(lines) == 1, "one claim date line"
    xs = lines[0].get_xdata()
    assert xs[0] == xs[1]  # vertical
    return float(xs[0])


def _level_ys(ax, kind: str) -> list[float]:
    return sorted(float(line.get_ydata()[0]) for line in ax.lines if line.get_gid() == f"level-{kind}")


# --- findings: the numbers the figures mark --------------------------------------------------------


def test_first_sentence_ends_at_a_full_stop_before_a_capital_not_at_a_decimal_point() -> None:
    assert findings.first_sentence("It fell 4.4% in 2015. The miss is small.") == "It fell 4.4% in 2015."
    assert findings.first_sentence("Daling van 4,4% (SBI C). Het verschil") == "Daling van 4,4% (SBI C)."
    assert findings.first_sentence("One sentence only.") == "One sentence only."


def test_the_claim_date_sits_at_its_fraction_of_the_year() -> None:
    assert findings.year_fraction("2017-10-18") == pytest.approx(CLAIM_X)
    assert findings.year_fraction("2016-01-01") == 2016.0


def test_the_finding_title_is_the_first_sentence_of_the_reason_in_each_language(industry) -> None:
    # Worked out from CBS 83583NED: 795.5 -> 760.7 thousand jobs in SBI C is a fall of 4.4%.
    assert findings.finding_title(industry, "nl") == ("In Nederland daalde de werkgelegenheid in de industrie "
                                                      "(SBI C) van 2010 tot 2015 met 4,4%, minder dan de 5% die "
                                                      "'fors' vraagt.")
    assert findings.finding_title(industry, "en") == ("In the Netherlands, employment in manufacturing (SBI C) "
                                                      "fell by 4.4% from 2010 to 2015, less than the 5% that "
                                                      "'sharply' needs.")


def test_a_fall_of_at_least_five_percent_in_both_halves_is_one_line_at_index_95(industry) -> None:
    window = findings.claim_window(industry)
    assert (window.first, window.last, window.claim_x) == (2010, 2015, pytest.approx(CLAIM_X))
    levels = findings.index_levels(industry)
    assert [(level.kind, level.value) for level in levels] == [("threshold", 95.0)]
    assert "Twente en Nederland" in levels[0].label.render("nl")


def test_grew_three_percent_while_it_fell_nationally_gives_the_national_line_and_the_claimed_band(htsm) -> None:
    levels = findings.index_levels(htsm)
    # "fell" nationally: the threshold is no change (index 100); "grew 3%" in Twente: index 103, and
    # "3%" as printed allows 2.5% to 3.5%.
    assert [(level.kind, level.value, level.low, level.high) for level in levels] == [
        ("threshold", 100.0, None, None), ("claimed", 103.0, 102.5, 103.5)]
    assert "Nederland" in levels[0].label.render("nl") and "Twente" in levels[1].label.render("nl")


def test_the_share_series_matches_the_enrolment_file_worked_out_with_pandas(students) -> None:
    frame = pd.read_csv(ENROLMENT)
    frame = frame[frame["institution_code"].isin(["23AH", "21PH"])]
    # The newest edition counting an institution in a year: the one whose last year is latest.
    last_year = frame.groupby("edition")["year"].max()
    frame = frame.assign(edition_last=frame["edition"].map(last_year))
    newest = frame.groupby(["institution_code", "year"])["edition_last"].transform("max")
    frame = frame[frame["edition_last"] == newest]
    frame = frame.assign(tech=frame["croho_sector"] == "techniek", students=frame["students"].fillna(0))
    expected = {}
    for year, rows in frame.groupby("year"):
        if rows["institution_code"].nunique() < 2:
            continue  # one of the two not counted: a gap
        part, whole = rows[rows["tech"]], rows
        # a masked cell holds 1 to 4 students (2.5 in the middle)
        expected[int(year)] = ((part["students"].sum() + 2.5 * part["masked_cells"].sum())
                               / (whole["students"].sum() + 2.5 * whole["masked_cells"].sum()) * 100)
    series = findings.share_series(students).dropna(subset=["share"])
    assert dict(zip(series["year"], series["share"], strict=True)) == pytest.approx(expected)
    # the reading's own year, from the engine's statement: 12,543 of 34,547 enrolments
    assert series.set_index("year").loc[2016, "share"] == pytest.approx(12543 / 34547 * 100)
    assert (series["low"] <= series["share"]).all() and (series["share"] <= series["high"]).all()


def test_the_share_series_leaves_a_year_without_both_institutions_as_a_gap(students) -> None:
    series = findings.share_series(students)
    counted = pd.read_csv(ENROLMENT).query("institution_code in ['23AH', '21PH']").groupby("year")[
        "institution_code"].nunique()
    missing = sorted(int(y) for y, n in counted.items() if n < 2)
    assert sorted(series.loc[series["share"].isna(), "year"]) == missing


# --- the figures ---------------------------------------------------------------------------------


WINDOW = Window(2010, 2015, CLAIM_X, "2017-10-18")


def test_series_figure_titles_the_finding_marks_window_date_threshold_and_breaks_at_a_missing_year() -> None:
    frame = pd.DataFrame({"year": [2010, 2011, 2012, 2014, 2015] * 2,
                          "value": [100, 99, 97, 94, 93, 100, 99, 98, 97, 96.0],
                          "series_en": ["Twente"] * 5 + ["the Netherlands"] * 5})
    frame.loc[9, "year"] = 2013  # the Netherlands has every year, Twente lacks 2013
    frame = frame.sort_values(["series_en", "year"])
    level = Level(95.0, findings.Text("figures.threshold", {
        "who": "Twente", "change": findings.Num(-5, "percent", signed=True), "base": 2010, "index": 95}), "threshold")
    fig = claimfigures.series_figure(frame, "en", series="series_en", title="Twente fell 7%, more than 5%.",
                                     xlabel="year", ylabel="employee jobs, index (2010 = 100)",
                                     source="Source: CBS", value_format=lambda v: f"{v:.0f}",
                                     window=WINDOW, levels=[level])
    ax = fig.axes[0]
    assert fig.get_suptitle() == "Twente fell 7%, more than 5%."
    assert ax.get_ylabel() == "employee jobs, index (2010 = 100)" and ax.get_xlabel() == "year"
    assert _span(_window_patch(ax)) == (2010, 2015)
    assert _claim_date_x(ax) == pytest.approx(CLAIM_X)
    assert _level_ys(ax, "threshold") == [95.0]
    twente = next(line for line in ax.lines if line.get_label() == "Twente")
    assert _segments(np.asarray(twente.get_ydata(), float)) == 2  # 2013 is not bridged
    nation = next(line for line in ax.lines if line.get_label() == "the Netherlands")
    assert _segments(np.asarray(nation.get_ydata(), float)) == 1


def test_share_figure_draws_the_claimed_share_and_the_reading_year(students) -> None:
    data = findings.share_series(students)
    for lang, axis in (("nl", "aandeel van alle inschrijvingen (%)"), ("en", "share of all enrolments (%)")):
        fig = claimfigures.share_figure(
            data, lang, label="Saxion + UT", title=findings.finding_title(students, lang),
            xlabel=findings.Text("figures.share.year_axis").render(lang), ylabel=axis, source="Bron: DUO",
            value_format=lambda v: f"{v:.0f}%", window=findings.claim_window(students),
            levels=findings.share_levels(students))
        ax = fig.axes[0]
        assert fig.get_suptitle().replace("\n", " ") == students.deciding_text.render(lang).split(". ")[0] + "."
        assert ax.get_ylabel() == axis and "1 " in ax.get_xlabel()  # "1 oktober" / "1 October"
        assert _span(_window_patch(ax)) == pytest.approx((2015.6, 2016.4))  # the one year of the reading
        assert _claim_date_x(ax) == pytest.approx(CLAIM_X)
        assert _level_ys(ax, "claimed") == [36.0]  # "ligt op 36%"
        band = [p for p in ax.patches if p is not _window_patch(ax)]
        assert [(p.get_y(), p.get_y() + p.get_height()) for p in band] == [pytest.approx((35.5, 36.5))]
        share = next(line for line in ax.lines if line.get_label() == "Saxion + UT")
        assert _segments(np.asarray(share.get_ydata(), float)) == 1 + int(data["share"].isna().any())


def test_trend_figure_marks_the_claim_window_and_date_on_both_panels(industry) -> None:
    from analysis.report import trendplots

    models = seriesfigures.trend_models_of(industry)
    fig = trendplots.trend_figure(models, "nl", "Bron: CBS", window=findings.claim_window(industry))
    for ax in fig.axes:
        assert _span(_window_patch(ax)) == (2010, 2015)
        assert _claim_date_x(ax) == pytest.approx(CLAIM_X)


def test_the_trend_heading_names_the_series_and_says_it_stands_in_for_hTSM(htsm, monkeypatch) -> None:
    said = []
    monkeypatch.setattr(seriesfigures.bi, "heading", lambda text, **_k: said.append(text.render("nl")))
    monkeypatch.setattr(seriesfigures.bi, "paragraph", lambda text, **_k: said.append(text.render("nl")))
    monkeypatch.setattr(seriesfigures.bi, "bullets", lambda *_a, **_k: None)
    monkeypatch.setattr(seriesfigures.bi, "show_figure", lambda *_a, **_k: None)
    seriesfigures.show_trends(htsm, source="Bron: CBS")
    assert said[0] == "Trend van de industrie inclusief delfstoffen, energie en water (SBI B-E)"
    assert said[1].startswith("De bewering gaat over HTSM (smalle afbakening: SBI 24-30);")
    assert "benadering" in said[1]


# --- the index card sparklines ---------------------------------------------------------------------


def _path_moves(chart: str) -> list[int]:
    return [d.count("M") for d in re.findall(r'<path d="(M[^"]*)" fill="none"', chart)]


def test_sparkline_breaks_at_a_missing_year_and_writes_its_unit() -> None:
    chart = svg.line_chart({"Twente": [(2014, 100.0), (2015, 98.0), (2017, 97.0)],
                            "Nederland": [(2014, 100.0), (2015, 99.0), (2016, 99.5), (2017, 101.0)]},
                           title="t", format_value=lambda v: f"{v:.0f}", unit="index (2014 = 100)")
    assert _path_moves(chart) == [2, 1]  # Twente lacks 2016: two pieces; the Netherlands one
    assert ">index (2014 = 100)</text>" in chart


def test_sparkline_of_a_series_every_other_year_is_not_broken() -> None:
    chart = svg.line_chart({"a": [(2010, 1.0), (2012, 2.0), (2014, 3.0)]}, title="t",
                           format_value=lambda v: f"{v:.0f}")
    assert _path_moves(chart) == [1]


def test_card_sparkline_names_the_index_unit_in_each_language() -> None:
    record = {"title": {"nl": "Industrie", "en": "Industry"},
              "headline_series": [{"year": y, "series": {"nl": "Twente", "en": "Twente"}, "value": v}
                                  for y, v in ((2010, 100.0), (2011, 98.0), (2013, 95.0))],
              "check": {"reading": {"parameters": {"concept": "employee_jobs"}}}}
    assert ">banen van werknemers, index (2010 = 100)</text>" in cards.headline_chart(record, "nl")
    english = cards.headline_chart(record, "en")
    assert ">employee jobs, index (2010 = 100)</text>" in english
    assert _path_moves(english) == [2]  # 2012 missing
    record["headline_series"][0]["value"] = 50.0  # not an index: no unit guessed
    assert "index" not in cards.headline_chart(record, "en").split("</title>")[1]


def test_a_share_claims_card_gets_its_share_per_year_with_gaps_and_a_percent_unit(students) -> None:
    from analysis.report import record

    rows = record.headline_series_records(students.headline_series, students)
    expected = findings.share_series(students).dropna(subset=["share"])  # checked against the file above
    assert [r["year"] for r in rows] == expected["year"].tolist()  # a year not counted is no row: a gap
    assert [r["value"] for r in rows] == pytest.approx(expected["share"].tolist())
    assert rows[[r["year"] for r in rows].index(2016)]["value"] == pytest.approx(12543 / 34547 * 100)
    # the share is Saxion's and the UT's, not Twente's: the card names the institutions in the claim's words
    assert {tuple(sorted(r["series"].items())) for r in rows} == {
        (("en", "Saxion and the UT together"), ("nl", "Saxion en de UT samen"))}
    card = {"title": {"nl": "Studenten", "en": "Students"}, "headline_series": rows,
            "check": {"kind": "share", "reading": {"unit": "percent"}}}
    dutch = cards.headline_chart(card, "nl")
    assert ">aandeel (%)</text>" in dutch
    # the line stops at each year without a count and starts again after it
    counted = [r["year"] for r in rows]
    breaks = sum(1 for a, b in itertools.pairwise(counted) if b - a > 1)
    assert breaks >= 1 and _path_moves(dutch) == [breaks + 1]  # one line, a piece per run of years
    jobs = {**card, "check": {"kind": "level", "reading": {"unit": "jobs"}}}
    assert ">employee jobs</text>" in cards.headline_chart(jobs, "en")


def test_a_share_claim_without_its_own_words_names_its_institutions_not_their_codes(tmp_path, monkeypatch) -> None:
    # the shipped claim with its subject_nl / subject_en taken out: the figure and the card fall back on
    # the institutions' names (DUO's, from the enrolment table), never on "23AH, 21PH" or on the region
    from analysis.report import record
    from analysis.report.claimtexts import REGISTRY_ENV, REGISTRY_FILE, institutions_subject

    text = REGISTRY_FILE.read_text(encoding="utf-8")
    own_words = ('subject_nl = "Saxion en de UT samen"\n', 'subject_en = "Saxion and the UT together"\n')
    assert all(line in text for line in own_words)
    for line in own_words:
        text = text.replace(line, "")
    path = tmp_path / "claims.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(REGISTRY_ENV, str(path))
    students = check("technical-students", "CR12", registry=path)
    assert institutions_subject(students) == "Saxion Hogeschool + Universiteit Twente"
    rows = record.headline_series_records(students.headline_series, students)
    assert rows and {r["series"]["nl"] for r in rows} == {"Saxion Hogeschool + Universiteit Twente"}


def test_the_card_charts_description_starts_its_sentence_with_a_capital() -> None:
    # "Chart for “…”, 2010 to 2023. The Netherlands: 100 in 2010, …": the series' name starts a sentence
    record = {"title": {"nl": "HTSM", "en": "HTSM"},
              "headline_series": [{"year": y, "series": {"nl": "Nederland", "en": "the Netherlands"}, "value": v}
                                  for y, v in ((2010, 100.0), (2023, 118.0))]}
    english = cards.headline_chart(record, "en")
    assert "Chart for “HTSM”, 2010 to 2023. The Netherlands: 100 in 2010, 118 in 2023." in english
    assert "Grafiek bij “HTSM”, 2010 tot 2023. Nederland: 100 in 2010, 118 in 2023." in cards.headline_chart(record, "nl")
