"""analysis.report.present: engine results as Markdown and tables for the claim pages."""

from __future__ import annotations

import json
import math

import matplotlib
import pandas as pd
import pytest

from analysis.engine import claims, series, verdicts
from analysis.report import present
from analysis.report import site as report
from analysis.stats import trends

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def jobs() -> pd.DataFrame:
    return series.load_jobs()


@pytest.fixture(scope="module")
def decline(jobs: pd.DataFrame) -> claims.ClaimEvaluation:
    return claims.evaluate_claim("industry-decline", jobs=jobs)


@pytest.fixture(scope="module")
def students_cr15(jobs: pd.DataFrame) -> claims.ClaimEvaluation:
    return claims.evaluate_claim("technical-students", region="CR15", jobs=jobs)


def test_claim_box_has_dutch_quote_translation_and_source(decline):
    text = present.claim_box(decline.claim)
    assert decline.claim.text_nl in text
    assert decline.claim.text_en in text
    assert "2017-10-18" in text and "Techniekpact Twente: wat is dat?" in text
    assert '"fors teruggelopen"' in text


def test_summary_and_verdict_show_labels_in_both_languages(decline):
    label = decline.verdict.label
    summary = present.summary_markdown(decline, "Twente")
    assert label in summary and verdicts.LABELS_NL[label] in summary
    assert decline.verdict.evidence_nl in summary
    text = present.verdict_markdown(decline.verdict, verdicts.RULE_TEXT)
    assert label in text and decline.verdict.caveat_nl in text and decline.verdict.evidence_en in text
    assert verdicts.RULE_TEXT["en"] in text and verdicts.RULE_TEXT["nl"] in text
    assert verdicts.RULE_TEXT["en"] not in present.verdict_markdown(decline.verdict, None)


def test_reproduction_shows_arithmetic_names_and_skipped_measurements(decline):
    text = present.reproduction_markdown(decline, "Twente", "Nederland")
    assert decline.reproduction.arithmetic in text
    assert "Twente −5.7%" in text and "Nederland −4.1%" in text
    assert "`C-2010-2016` could not be computed" in text


def test_stress_summary_counts_match_the_grid(decline):
    counts = {k: int(v) for k, v in decline.verdict.numbers.items() if k in ("n_specs", "n_holds")}
    text = present.stress_summary(decline)
    assert f"{counts['n_specs']} count for the verdict; the claim holds in {counts['n_holds']}" in text
    frame = present.stress_frame(decline, "Twente", "Nederland")
    assert len(frame) == counts["n_specs"]
    assert set(frame["claim holds"]) <= {"yes", "no", "—"}
    assert "Twente (%)" in frame.columns


def test_spec_curve_has_a_source_note(decline):
    from analysis.report import plots

    figure = present.spec_curve(decline, "Bron/Source: test")
    assert figure is not None and plots.find_source_note(figure) == "Bron/Source: test"


def test_trend_table_and_text(decline):
    table = present.trend_table(decline)
    assert {"estimate", "years", "% a year", "95% interval", "p-value"} <= set(table.columns)
    assert len(table) == 5
    text = present.trend_text(decline, "Twente")
    assert "HAC" in text and "weak" in text


def test_record_writes_a_valid_result(decline, tmp_path):
    record = present.record(decline, str(tmp_path), "Twente")
    written = json.loads((tmp_path / "industry-decline.json").read_text(encoding="utf-8"))
    assert written["verdict"] == decline.verdict.label and written["verdict"] in report.VERDICTS
    assert written["evidence_nl"] == decline.verdict.evidence_nl
    assert written["numbers"]["n_specs"] == decline.verdict.numbers["n_specs"]
    assert record["headline"]


def test_region_specific_claim_elsewhere_is_recorded_as_not_applicable(students_cr15, tmp_path):
    assert not students_cr15.applicable
    summary = present.summary_markdown(students_cr15, "Arnhem/Nijmegen")
    assert "does not apply" in summary
    record = present.record(students_cr15, str(tmp_path), "Arnhem/Nijmegen")
    assert record["verdict"] == "not verifiable with open data"
    assert "Arnhem/Nijmegen" in record["headline"] and record["numbers"]["applicable"] == 0
    assert present.stress_frame(students_cr15).empty
    assert present.spec_curve(students_cr15, "Bron/Source: test") is None


def test_check_parameters(jobs):
    assert present.check_parameters(jobs, "CR15") == ("Arnhem/Nijmegen", "Nederland")
    with pytest.raises(ValueError, match="unknown COROP region 'CR77'"):
        present.check_parameters(jobs, "CR77")
    with pytest.raises(ValueError, match="base_year"):
        present.check_parameters(jobs, "CR12", base_year=1990)
    with pytest.raises(ValueError, match="must come before"):
        present.check_parameters(jobs, "CR12", base_year=2016, end_year=2012)


def test_projection_table_on_a_synthetic_series():
    years = range(2010, 2021)
    values = pd.Series([100 * 1.02 ** (y - 2010) * (1.3 if y >= 2018 else 1.0) for y in years],
                       index=list(years), dtype=float)
    values.iloc[3] *= 1.01  # a little noise so the fit has a residual
    table, results = present.projection_table({"synthetic": values, "short": values.loc[2016:]}, 2018)
    assert list(table["series"]) == ["synthetic", "short"]
    row = table.iloc[0]
    assert row["latest year"] == "2020" and row["years outside the interval"] == "3 of 3"
    assert "the trend needs at least" in table.iloc[1]["years outside the interval"]
    assert isinstance(results["synthetic"], trends.CounterfactualResult)
    assert not math.isnan(results["synthetic"].pre_trend.growth_pct)
