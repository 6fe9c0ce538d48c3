"""The example entries of the new kinds (tests/fixtures/new_kinds_registry.toml): each loads with
the data, checks to the verdict worked out by hand, and reads in Dutch and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.engine.check import check, tables_for
from analysis.engine.registry import load_registry

FIXTURE = Path(__file__).parent / "fixtures" / "new_kinds_registry.toml"
ENGLISH_WORDS = re.compile(r"\b(the|jobs|between|at least|at most|place|claim|and|which|students)\b")

# claim -> does its reading hold (worked out in tests/test_kinds_*.py from data/processed)
EXPECTED = {
    "overijssel-jobs-2017": True,            # 556,000 in [550,000, 560,000]
    "twente-care-2017": True,                # 49,900 >= 45,000
    "twente-industry-share-2017": True,      # 39,600 / 286,400 = 13.8% in [13, 14]
    "nl-small-firms-2014": True,             # 1,181,300 / 7,735,240 = 15.3% in [15, 16]
    "noord-holland-fastest-2010-2017": True,  # +7.1% against Utrecht's +6.1%
    "overijssel-only-fall-2014": True,       # -0.3%; every other province at or above 0
    "twente-industry-ninth": False,          # places 11 to 32 of 40, not 9
    "ut-students-2018": True,                # 10,665 in [10,000, 11,000]
}


def test_every_example_is_listed():
    assert set(load_registry(FIXTURE, tables_for(None)).claims) == set(EXPECTED)


@pytest.mark.parametrize("claim_id", sorted(EXPECTED))
def test_example_reads_in_both_languages(claim_id):
    result = check(claim_id, registry=FIXTURE)
    assert result.reading is not None and result.reading.holds is EXPECTED[claim_id]
    texts = {lang: [result.reading.statement.render(lang)]
             + [fact.sentence.render(lang) for fact in result.reading.facts] for lang in ("nl", "en")}
    for lines in texts.values():
        for line in lines:
            assert "{" not in line and "}" not in line, line
    for line in texts["nl"]:
        assert not ENGLISH_WORDS.search(line), line
