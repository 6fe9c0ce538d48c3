"""The method page lists each verdict under neighbouring thresholds (analysis.report.method)."""

import pytest

from analysis.report.method import with_sensitivity


def record(claim_id, verdict, sensitivity):
    return {"claim_id": claim_id, "verdict": verdict, "title": {"nl": f"T {claim_id}", "en": f"T {claim_id}"},
            "check": {"sensitivity": sensitivity}}


def test_a_verdict_that_moves_with_a_threshold_says_where():
    rows = [{"setting": "registry", "value": None, "verdict": "supported"},
            {"setting": "supported", "value": 0.8, "verdict": "borderline"},
            {"setting": "fragile", "value": 0.4, "verdict": "supported"}]
    html = with_sensitivity("<main></main>", [record("a", "supported", rows)], "nl")
    assert "drempel &#39;ondersteund&#39; 80%: twijfelachtig" in html
    assert "0,4" not in html and "40%" not in html  # a setting that keeps the verdict is not listed
    steady = with_sensitivity("<main></main>", [record("b", "supported", rows[:1])], "en")
    assert "none of these settings changes the verdict" in steady


def test_no_main_element_is_an_error():
    with pytest.raises(ValueError, match="</main>"):
        with_sensitivity("<body></body>", [record("a", "supported", [])], "nl")
