"""`check`, `league` and `report` check their arguments before they compute anything.

Each bad argument stops with exit status 2 and a message on stderr that names the value and the
valid choices; a valid override still gives a verdict. The commands run in process
(``analysis.cli.main``). The claims are picked from the registry by kind, and every expected year
is read here from data/processed with plain pandas, not from the engine.
"""

from __future__ import annotations

import json
import signal
import tomllib

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.engine.kinds import KINDS
from analysis.engine.kinds.base import COMPARATORS as ENGINE_COMPARATORS
from analysis.engine.overrides import COMPARATORS, split_overrides
from analysis.engine.registry import load_registry

CHOICES = "use nation (the Netherlands; NL01, its CBS code, means the same) or nation_minus_region"


def _registered() -> list[dict]:
    with open(paths.PACKAGE_DATA / "claims.toml", "rb") as handle:
        return tomllib.load(handle)["claim"]


def _first_of_kind(kind: str) -> dict:
    """The first registered claim of ``kind`` (id, kind and reading, as the TOML has them)."""
    for entry in _registered():
        if entry["check"]["kind"] == kind:
            return {"id": entry["id"], "kind": kind, "reading": entry["check"].get("reading", {})}
    raise AssertionError(f"the registry has no claim of kind {kind}; these tests need one")


@pytest.fixture(scope="module")
def job_claim() -> dict:
    return _first_of_kind("change_vs_comparator")


@pytest.fixture(scope="module")
def share_claim() -> dict:
    return _first_of_kind("share")


@pytest.fixture(scope="module")
def jobs() -> pd.DataFrame:
    return pd.read_csv(paths.processed_dir() / "jobs.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def job_years(job_claim, jobs) -> list[int]:
    """Years the claim's regional table and its national table both have."""
    reading = job_claim["reading"]
    regional = set(jobs.loc[jobs["source_table"] == reading["table"], "year"].astype(int))
    national = set(jobs.loc[jobs["source_table"] == reading["nation"], "year"].astype(int))
    assert reading["nation"] != "corop_sum"  # the shipped reading: CBS's published national row
    return sorted(regional & national)


@pytest.fixture(scope="module")
def duo_years(share_claim) -> list[int]:
    """Years in which DUO counts every institution of the share's reading."""
    frame = pd.read_csv(paths.processed_dir() / "enrolment.csv", dtype=str, keep_default_na=False)
    per_institution = [set(frame.loc[frame["institution_code"] == code, "year"].astype(int))
                       for code in share_claim["reading"]["institutions"]]
    return sorted(set.intersection(*per_institution))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2, f"{argv}: exit {code}, stdout {out[:300]!r}"
    assert out == ""  # nothing computed: no verdict, no league rows
    assert err.startswith("error: ")
    return err


def _listed(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


# --- years ------------------------------------------------------------------------------------


def test_a_job_claims_years_stop_one_beyond_its_tables(capsys, job_claim, job_years) -> None:
    claim = job_claim["id"]
    first, last = job_years[0], job_years[-1]
    assert job_years == list(range(first, last + 1))  # no gap: the boundaries are the whole story
    for option, year in (("--base-year", first - 1), ("--end-year", last + 1), ("--base-year", 1990),
                         ("--end-year", 2050)):
        err = refused(capsys, "check", claim, option, str(year))
        assert f"{option} {year} is outside the years of claim '{claim}'" in err
        assert f"use one of {_listed(job_years)}\n" in err
    err = refused(capsys, "league", claim, "--base-year", "1990")  # not 40 rows of None
    assert "--base-year 1990 is outside" in err and _listed(job_years) in err


def test_a_job_claims_first_and_last_year_are_accepted(capsys, job_claim, job_years) -> None:
    claim = job_claim["id"]
    for option, year in (("--base-year", job_years[0]), ("--end-year", job_years[-1])):
        code, out, err = run(capsys, "check", claim, option, str(year))
        assert (code, err) == (0, "")
        assert out.startswith(f"{claim} (CR12 ")


def test_a_base_year_not_before_the_end_year_is_refused(capsys, job_claim) -> None:
    end = job_claim["reading"]["end_year"]
    err = refused(capsys, "check", job_claim["id"], "--base-year", str(end))  # equal: not before
    assert f"base year {end} is not before end year {end}" in err
    err = refused(capsys, "check", job_claim["id"], "--base-year", str(end), "--end-year", str(end - 1))
    assert f"base year {end} is not before end year {end - 1}" in err


def test_a_valid_override_still_sets_the_reading(capsys, job_claim) -> None:
    base, end = job_claim["reading"]["base_year"], job_claim["reading"]["end_year"]
    code, out, err = run(capsys, "check", job_claim["id"], "--end-year", str(end - 1), "--region", "cr15",
                         "--comparator", "nation_minus_region", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["region"] == "CR15"  # the region in any case, as `report` takes it
    used = result["reading"]["parameters"]
    assert (used["base_year"], used["end_year"], used["comparator"]) == (base, end - 1, "nation_minus_region")


def test_a_shares_year_is_a_year_duo_counts_every_institution(capsys, share_claim, duo_years) -> None:
    claim = share_claim["id"]
    first, last = duo_years[0], duo_years[-1]
    for year in (first - 1, last + 1):
        err = refused(capsys, "check", claim, "--end-year", str(year))
        assert f"--end-year {year} is outside the years of claim '{claim}'" in err
        assert f"use one of {_listed(duo_years)}\n" in err
    gaps = sorted(set(range(first, last + 1)) - set(duo_years))  # a year one institution lacks
    for year in gaps:
        refused(capsys, "check", claim, "--end-year", str(year))
    for year in (first, last):
        code, out, err = run(capsys, "check", claim, "--end-year", str(year), "--json")
        assert (code, err) == (0, "")
        result = json.loads(out)
        shown = result["reading"] or result["unevaluable"][0]  # a later year is not public by the claim's date
        assert shown["parameters"]["year"] == year


# --- overrides the kind does not use ------------------------------------------------------------


def test_an_override_the_kind_does_not_use_is_refused_with_claim_kind_and_parameters(capsys, share_claim) -> None:
    claim, kind = share_claim["id"], share_claim["kind"]
    parameters = ", ".join(sorted(KINDS[kind].PARAMS))
    for option, value, word in (("--base-year", "2011", "base year"), ("--comparator", "nation", "comparator")):
        err = refused(capsys, "check", claim, option, value)
        assert f"{option} {value} does not apply to claim '{claim}': its kind {kind} has no {word}" in err
        assert f"(parameters: {parameters})" in err and "this claim takes --end-year (its year)" in err
        assert f"{option} {value} does not apply" in refused(capsys, "league", claim, option, value)


def test_a_kind_without_parameters_takes_no_override(capsys) -> None:
    claim = _first_of_kind("not_verifiable")["id"]
    err = refused(capsys, "check", claim, "--end-year", "2016")
    assert f"claim '{claim}': its kind not_verifiable has no end year (parameters: none)" in err
    assert "this claim takes none of them" in err


def test_the_report_still_applies_overrides_only_where_the_kind_has_them(share_claim, job_claim) -> None:
    registry = load_registry()
    used, ignored = split_overrides(registry.claim(share_claim["id"]),
                                    {"base_year": "2011", "end_year": "2015", "comparator": "NL01"})
    assert (used, ignored) == ({"year": 2015}, ["base_year", "comparator"])  # end year = a share's year
    used, ignored = split_overrides(registry.claim(job_claim["id"]),
                                    {"base_year": "2011", "end_year": None, "comparator": "NL01"})
    assert (used, ignored) == ({"base_year": 2011, "comparator": "nation"}, [])


# --- regions, claims and comparators --------------------------------------------------------------


def test_an_unknown_region_lists_every_corop_code(capsys, job_claim, jobs) -> None:
    err = refused(capsys, "check", job_claim["id"], "--region", "CR77")
    corop = jobs[jobs["region_level"] == "corop"].drop_duplicates("region_code")
    assert len(corop) == 40
    assert err.startswith("error: unknown region 'CR77': use a COROP code:\n")
    for code, name in zip(corop["region_code"], corop["region_name"], strict=True):
        assert f"\n  {code}  {name}" in err
    assert "NL01" not in err and "CR99" not in err


def test_an_unknown_claim_lists_the_registered_ids(capsys) -> None:
    err = refused(capsys, "check", "no-such-claim")
    assert err == ("error: unknown claim 'no-such-claim': use one of "
                   + ", ".join(entry["id"] for entry in _registered()) + "\n")


@pytest.fixture
def keep_signal_handlers():
    """`report` installs its own SIGINT/SIGTERM handlers; the test process gets its own back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


@pytest.mark.usefixtures("keep_signal_handlers")
def test_check_and_report_share_one_comparator_vocabulary(capsys, job_claim) -> None:
    assert set(COMPARATORS) == set(ENGINE_COMPARATORS)  # the values are those the engine computes
    for bad in ("CR15", "NL02", "rest"):
        for argv in (("check", job_claim["id"]), ("league", job_claim["id"]), ("report",)):
            err = refused(capsys, *argv, "--comparator", bad)
            assert err.startswith(f"error: unknown comparator '{bad}': {CHOICES} (the Netherlands without")


def test_both_commands_document_the_same_comparator_values(capsys) -> None:
    texts = []
    for command in ("check", "report"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        texts.append(" ".join(capsys.readouterr().out.split()))  # argparse wraps the help text
    for text in texts:
        assert "nation (the Netherlands; NL01, its CBS code, means the same) or nation_minus_region" in text
