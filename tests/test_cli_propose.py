"""`python -m analysis propose` is a sub-command of the package's command line (issue 16, item 4)."""

from __future__ import annotations

import json

from analysis import cli


def test_propose_runs_from_the_command_line_and_prints_its_candidates_as_json(capsys) -> None:
    sentence = "36% van de studenten van Saxion en de Universiteit Twente zijn technische studenten."
    code = cli.main(["propose", sentence, "--date", "2017-10-18", "--json", "--no-check"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["sentence"] == sentence and printed["date"] == "2017-10-18"
    best = printed["candidates"][0]
    assert best["kind"] == "share"
    text = json.dumps(best)
    assert "21PH" in text and "23AH" in text  # the UT and Saxion by their DUO codes
    assert "35.5" in text and "36.5" in text  # "36%" read as the interval its rounding allows


def test_propose_with_a_bad_date_stops_with_exit_2_and_says_the_format(capsys) -> None:
    try:
        code = cli.main(["propose", "Er zijn meer banen.", "--date", "18-10-2017"])
    except SystemExit as stop:  # argparse refuses the argument itself
        code = stop.code
    assert code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
