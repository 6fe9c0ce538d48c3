"""What the command line prints: one language per run, no raw Python values, a summary at the end of
``compare``, progress through logging (``--quiet`` / ``--verbose``)."""

from __future__ import annotations

import logging
import re

import pandas as pd
import pytest

from analysis import cli
from analysis.engine.check import check, registry_for
from analysis.engine.commands import text_report
from analysis.processing import vintage
from analysis.processing.vintage import TableChanges, changes_summary

ENGLISH_ONLY = ("robustness", "fairness", "uniqueness", "registry", "real-time", "ex post", "settings", " band ")
DUTCH_ONLY = ("robuustheid", "eerlijkheid", "uniciteit", "register van", "bandbreedte", "niet te berekenen")
RAW_PYTHON = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|holds=|\[-?\d|\d{5,}\.\d|nan\b")


@pytest.fixture(scope="module")
def checks() -> list:
    return [check(claim_id) for claim_id in registry_for().claims]


@pytest.mark.mirror
def test_check_prints_dutch_only_by_default_and_english_only_when_asked(checks) -> None:
    for result in checks:
        dutch, english = text_report(result, "nl"), text_report(result, "en")
        assert not [w for w in ENGLISH_ONLY if w in dutch.lower()], (result.claim_id, dutch)
        assert not [w for w in DUTCH_ONLY if w in english.lower()], (result.claim_id, english)
        for text in (dutch, english):
            assert not RAW_PYTHON.search(text), (result.claim_id, RAW_PYTHON.search(text), text)


@pytest.mark.mirror
def test_check_measures_line_formats_numbers_for_the_language(capsys) -> None:
    assert cli.main(["check", "htsm-relative-jobs"]) == 0
    dutch = capsys.readouterr().out
    assert cli.main(["check", "htsm-relative-jobs", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    # a job count is a whole number (jobs are counted, from inputs rounded to the hundred), the
    # unit in words; a percentage with a decimal comma in Dutch, a point in English
    assert re.search(r"eerlijkheid -\d+ banen, uniciteit \d+%", dutch), dutch
    assert re.search(r"fairness -\d+ jobs, uniqueness \d+%", english), english
    assert "tussen 2,5% en 3,5%" in dutch and "between 2.5% and 3.5%" in english
    assert re.search(r"^  register van beweringen [0-9a-f]{12}$", dutch, re.MULTILINE)


def _changes(table: str, new_years=(), revised_rows: int = 0) -> TableChanges:
    revised = pd.DataFrame({"year": range(revised_rows), "old": 1.0, "new": 2.0, "difference": 1.0})
    return TableChanges(table=table, new_years=list(new_years), dropped_years=[], new_codes={"sbi_code": []},
                        dropped_codes={"sbi_code": []}, revised=revised)


def test_compare_summary_counts_the_tables_that_change() -> None:
    same = [_changes("83582NED"), _changes("duo-hbo-2019")]
    assert changes_summary(same) == ("compare: none of the 2 tables changes: the raw snapshots give the data "
                                     "in data/processed")
    changed = [_changes("83582NED", new_years=[2024], revised_rows=3), _changes("duo-hbo-2019"),
               _changes("85918NED jobs", revised_rows=2)]
    assert changes_summary(changed) == (
        "compare: 2 of 3 tables change (83582NED, 85918NED jobs): 1 new year(s), 0 dropped year(s), "
        "0 new or dropped code(s), 5 revised value(s); run `python -m analysis build` to use them")


def test_compare_without_arguments_ends_with_its_summary(capsys, monkeypatch) -> None:
    monkeypatch.setattr(vintage, "compare_vintages", lambda: [_changes("83582NED"), _changes("duo-wo-2019")])
    assert cli.main(["compare"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip("\n").splitlines()[-1] == ("compare: none of the 2 tables changes: the raw snapshots "
                                                 "give the data in data/processed")


@pytest.mark.parametrize(("argv", "level"), [(["build"], logging.INFO), (["--quiet", "build"], logging.WARNING),
                                             (["build", "-q"], logging.WARNING), (["-v", "build"], logging.DEBUG),
                                             (["build", "--verbose"], logging.DEBUG)])
def test_quiet_and_verbose_set_the_level_before_or_after_the_command(argv, level, monkeypatch) -> None:
    seen = {}

    def runner(_args) -> int:
        seen["level"] = cli.log.level
        return 0

    monkeypatch.setitem(cli.RUNNERS, "build", runner)
    assert cli.main(argv) == 0
    assert seen["level"] == level


def test_quiet_and_verbose_together_are_refused(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--quiet", "--verbose", "build"])
    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_progress_on_stdout_problems_on_stderr_and_quiet_keeps_only_problems(capsys) -> None:
    cli.configure_logging()
    cli.log.info("a step")
    cli.log.error("a problem")
    captured = capsys.readouterr()
    assert captured.out == "a step\n" and captured.err == "error: a problem\n"
    cli.configure_logging(quiet=True)
    cli.log.info("a step")
    cli.log.warning("a warning")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "warning: a warning\n"
