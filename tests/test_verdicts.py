"""The verdict rule on constructed evidence: every clause, the threshold edges, the proxy cap."""

from __future__ import annotations

import math

import pytest

from analysis.engine import verdicts as v
from analysis.engine.verdicts import Evidence, decide


def label(measurement: str = "direct", reproduced: bool | None = True, n: int = 10,
          holds: int = 10, direction: int | None = None) -> str:
    return decide(Evidence(measurement, reproduced, n, holds, direction))[0]


def test_supported_needs_reproduction_and_eighty_percent() -> None:
    assert label(reproduced=True, n=10, holds=8) == v.SUPPORTED  # exactly 0.8
    assert label(reproduced=True, n=10, holds=7) == v.PARTLY  # 0.7: fragile
    assert label(reproduced=True, n=5, holds=4) == v.SUPPORTED


def test_partly_when_not_reproduced_but_half_hold() -> None:
    assert label(reproduced=False, n=10, holds=5) == v.PARTLY  # exactly 0.5
    assert label(reproduced=False, n=10, holds=4) == v.NOT_SUPPORTED
    assert label(reproduced=None, n=10, holds=9) == v.PARTLY  # no headline, robust grid


def test_direction_clause_gives_partly() -> None:
    # 'fell sharply': both fell everywhere, but never by the stated size
    assert label(reproduced=False, n=12, holds=0, direction=12) == v.PARTLY
    assert label(reproduced=False, n=10, holds=0, direction=8) == v.PARTLY
    assert label(reproduced=False, n=10, holds=0, direction=7) == v.NOT_SUPPORTED
    reason = decide(Evidence("direct", False, 12, 0, 12))[1]
    assert reason.startswith("(3) the direction holds in 100%")


def test_proxy_claims_are_capped_at_partly() -> None:
    assert label("proxy", reproduced=True, n=10, holds=10) == v.PARTLY
    assert "(5) capped" in decide(Evidence("proxy", True, 10, 10))[1]
    assert label("proxy", reproduced=False, n=10, holds=1, direction=1) == v.NOT_SUPPORTED


def test_not_verifiable_without_data() -> None:
    assert label("none", reproduced=None, n=0, holds=0) == v.NOT_VERIFIABLE
    assert label("direct", reproduced=None, n=0, holds=0) == v.NOT_VERIFIABLE


def test_too_few_specifications_give_no_share() -> None:
    few = Evidence("direct", True, 2, 2)
    assert math.isnan(few.share_holds)
    assert decide(few)[0] == v.PARTLY  # reproduced, robustness unknown: not 'supported'
    assert decide(Evidence("direct", False, 2, 2, 2))[0] == v.NOT_SUPPORTED


def test_invalid_evidence_and_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="measurement"):
        Evidence("sometimes", True, 1, 1)
    with pytest.raises(ValueError, match="n_holds"):
        Evidence("direct", True, 3, 4)
    with pytest.raises(ValueError, match="unknown verdict label"):
        v.Verdict("probably", "", "", "", "")


def test_verdict_carries_numbers_and_both_languages() -> None:
    result = v.verdict(Evidence("direct", True, 10, 9), evidence_en="e", evidence_nl="n",
                       caveat_en="c", caveat_nl="k", numbers={"x": 1.5})
    assert result.label == v.SUPPORTED and result.label_nl == "ondersteund"
    assert result.numbers["share_holds"] == pytest.approx(0.9)
    assert result.numbers["x"] == 1.5 and result.numbers["reproduced"] == 1.0
    assert result.to_dict()["label_nl"] == "ondersteund"


def test_rule_text_states_the_thresholds_in_both_languages() -> None:
    for language in ("en", "nl"):
        text = v.RULE_TEXT[language]
        assert "80%" in text and "50%" in text and str(v.MIN_SPECS) in text
    assert "not verifiable with open data" in v.RULE_TEXT["en"]
    assert "niet te toetsen met open data" in v.RULE_TEXT["nl"]


def test_labels_match_the_report_vocabulary() -> None:
    report = pytest.importorskip("analysis.report.site")
    assert set(report.VERDICTS) == set(v.LABELS)
    for key, verdict in report.VERDICTS.items():
        assert verdict.label_nl == v.LABELS_NL[key]
