"""``propose --write``: escaped, validated, atomic (analysis.reader.toml_writer, analysis.reader.cli).

A hostile sentence (quotes, newlines, brackets, TOML syntax) must come back as the very same text in
exactly one new claim; no other key, claim or file changes; a registry that does not load back is
never left behind."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from analysis.engine.registry import REGISTRY_FILE, load_registry
from analysis.reader import read_sentence
from analysis.reader.cli import add_propose_parser, run_propose
from analysis.reader.entry import NotCheckable, build_entry, shipped_meta
from analysis.reader.toml_writer import RegistryWriteError, append_entry

BASE = "In Twente groeide het aantal banen in de zorg sinds 2010 met 20 procent."
HOSTILE = [
    BASE + ' "quoted" \'single\' """triple"""',
    BASE + '\n[[claim]]\nid = "evil"\ntext_nl = "x"',
    BASE + '"\nregion = "CR01"\n[meta]\nregion = "NL01"\n#',
    BASE + " [brackets] {braces} = key = value \\ backslash \\u0000 \t tab \r\n",
    BASE + ' \'\'\' multi-line literal \'\'\' ]] [[ # comment',
]


def entry_for(sentence: str, taken: set[str] = frozenset(), url: str = "https://example.org/a?b=\"c\"") -> dict:
    date = dt.date(2025, 6, 1)
    return build_entry(read_sentence(sentence, "", date)[0], sentence, date, url=url, taken=taken)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "claims.toml"
    shutil.copyfile(REGISTRY_FILE, path)
    return path


@pytest.mark.parametrize("sentence", HOSTILE)
def test_a_hostile_sentence_adds_exactly_one_claim_and_reads_back_unchanged(registry: Path, sentence: str):
    before_text = registry.read_text(encoding="utf-8")
    before = tomllib.loads(before_text)
    entry = entry_for(sentence)
    append_entry(registry, entry, shipped_meta())
    after_text = registry.read_text(encoding="utf-8")
    after = tomllib.loads(after_text)
    assert after_text.startswith(before_text)  # the old file, byte for byte
    assert after["meta"] == before["meta"]
    assert after["claim"][:-1] == before["claim"]
    assert len(after["claim"]) == len(before["claim"]) + 1
    assert after["claim"][-1]["text_nl"] == sentence and after["claim"][-1]["text_en"] == sentence
    assert set(after["claim"][-1]) == {"id", "region", "text_nl", "text_en", "source", "check"}
    loaded = load_registry(registry)
    assert loaded.claims[entry["id"]].text_nl == sentence
    assert not [p for p in registry.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_new_registry_file_gets_the_shipped_meta_and_loads(tmp_path: Path):
    path = tmp_path / "mine" / "claims.toml"
    entry = entry_for(HOSTILE[1])
    append_entry(path, entry, shipped_meta())
    registry = load_registry(path)
    assert list(registry.claims) == [entry["id"]]
    assert registry.focal_region == tomllib.loads(REGISTRY_FILE.read_text(encoding="utf-8"))["meta"]["region"]


def test_an_entry_that_does_not_validate_leaves_the_file_as_it_was(registry: Path):
    before = registry.read_bytes()
    entry = entry_for(BASE)
    entry["check"]["reading"]["base_year"] = "2010"  # a number as text: the typed schema refuses it
    with pytest.raises(RegistryWriteError, match="does not validate"):
        append_entry(registry, entry, shipped_meta())
    assert registry.read_bytes() == before
    assert not [p for p in registry.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_registry_that_is_not_toml_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text("[meta\nregion = ", encoding="utf-8")
    with pytest.raises(RegistryWriteError, match="not valid TOML"):
        append_entry(path, entry_for(BASE), shipped_meta())
    assert path.read_text(encoding="utf-8") == "[meta\nregion = "


def test_ids_stay_unique(registry: Path):
    first = entry_for(BASE)
    append_entry(registry, first, shipped_meta())
    second = entry_for(BASE, taken={first["id"]})
    assert second["id"] == first["id"] + "-2"
    with pytest.raises(RegistryWriteError, match="already has"):
        append_entry(registry, first, shipped_meta())


def test_a_reading_the_engine_cannot_check_is_not_written():
    # a place without a rise or fall ("the largest region") has no metric to rank on
    with pytest.raises(NotCheckable, match="not yet checkable"):
        entry_for("Twente is de grootste regio van Overijssel.")


def test_a_change_in_a_number_of_jobs_is_written_as_a_fall_by_its_hedged_size():
    # "153.000" written with no hedge: the rounding interval of its last significant digit, worked
    # out by hand as 152,500 to 153,500; "in vier jaar" up to 2023 (the newest public year on
    # 2025-06-01 by [meta.public]: December of Y is public from 15 December of Y+1) = 2019-2023
    entry = entry_for("In heel Nederland verdwenen in vier jaar 153.000 banen.")
    check = entry["check"]
    assert (check["kind"], check["relation"]) == ("level_change", "fall_by")
    assert (check["claimed"]["low"], check["claimed"]["high"]) == (152500, 153500)
    assert check["reading"] == {"sector": "A-U", "base_year": 2019, "end_year": 2023}
    assert {"param": "vintage", "values": ["newest", "oldest"], "weights": [0.5, 0.5]} in check["perturb"]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    add_propose_parser(sub)
    code = run_propose(parser.parse_args(["propose", *argv]))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_and_write(registry: Path, capsys):
    code, out, _ = run([HOSTILE[2], "--date", "2025-06-01", "--source", "https://example.org/x", "--json",
                        "--write", str(registry), "--lang", "en"], capsys)
    assert code == 0
    payload = json.loads(out)
    best = payload["candidates"][0]
    assert (best["kind"], best["parameters"]["region"], best["parameters"]["sector"]) == ("change", "CR12", "Q")
    assert (best["parameters"]["base_year"], best["parameters"]["end_year"]) == (2010, 2023)
    assert (best["claimed"]["low"], best["claimed"]["high"], best["hedge"]) == (19.5, 20.5, "none")
    assert best["words"]["region"] == "twente" and best["words"]["sector"] == "de zorg"
    # the engine checked this entry for Twente; 2010-2023 was public on 2025-06-01 (December 2023 from
    # 15 December 2024 by [meta.public]), so the reading can be computed: not 'undecidable'
    assert (payload["check"]["claim_id"], payload["check"]["region"]) == (payload["entry"]["id"], "CR12")
    assert payload["check"]["verdict"] != "undecidable"
    assert load_registry(registry).claims[payload["entry"]["id"]].text_nl == HOSTILE[2]


def test_cli_says_when_the_data_do_not_hold_it_and_writes_nothing(registry: Path, capsys):
    before = registry.read_bytes()
    code, out, err = run(["De werkloosheid in Twente daalde in 2016.", "--date", "2017-01-01", "--write",
                          str(registry), "--lang", "en", "--no-check"], capsys)
    assert code == 1
    assert "not unemployment" not in out and "werkloosheid: this claim cannot be checked" in out
    assert "Not written" in err and registry.read_bytes() == before


def test_cli_refuses_a_bad_date(capsys):
    with pytest.raises(SystemExit):
        run([BASE, "--date", "18-10-2017"], capsys)
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_cli_writes_nothing_for_a_year_the_claims_table_does_not_hold(registry: Path, capsys):
    before = registry.read_bytes()
    # "sinds 2007": 83582NED begins in 2010; the registry's own error is printed, nothing written
    code, out, err = run(["De werkgelegenheid in de industrie in Twente is sinds 2007 met 5 procent gedaald.",
                          "--date", "2017-10-18", "--write", str(registry), "--lang", "en"], capsys)
    assert code == 1
    assert "outside the data" in err and "year 2007 is not in the claim's table 83582NED" in err
    assert "As a registry entry" not in out
    assert registry.read_bytes() == before


def test_cli_writes_a_rank(registry: Path, capsys):
    sentence = "Noord-Holland is de enige provincie die eind 2014 meer banen van werknemers had dan eind 2010."
    code, _, _ = run([sentence, "--date", "2015-12-08", "--no-check", "--write", str(registry)], capsys)
    assert code == 0
    claim = next(c for c in load_registry(registry).claims.values() if c.kind == "rank")
    assert claim.region == "PV27" and str(claim.date) == "2015-12-08"


# --- "landelijk" in a proposed comparison -------------------------------------------------------------

COMPARISON = "In Twente groeide de industrie tussen 2015 en 2022 harder dan landelijk."


def _published_c(table: str, region: str, year: int) -> float:
    """One published cell of SBI C, read straight from the processed table (not through the engine)."""
    import pandas as pd

    from analysis import paths

    jobs = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype={"source_table": str, "region_code": str})
    cell = jobs[(jobs.source_table == table) & (jobs.region_code == region) & (jobs.sbi_code == "C")
                & (jobs.year == year)]
    assert len(cell) == 1 and not cell.suppressed.iloc[0]
    return float(cell.employee_jobs.iloc[0])


def test_a_comparison_with_the_nation_reads_cbs_published_national_row():
    # like the shipped claims: "landelijk" is 83583NED's national row, not the sum of the COROP regions
    # (which leaves out the unassigned jobs and is an interval wherever a region's cell is suppressed)
    date = dt.date(2024, 1, 15)  # December 2022 was public from 15 December 2023 ([meta.public])
    reading = read_sentence(COMPARISON, "", date)[0]
    entry = build_entry(reading, COMPARISON, date)
    assert entry["check"]["reading"] == {"sector": "C", "base_year": 2015, "end_year": 2022,
                                         "comparator": "nation", "nation": "83583NED"}
    from analysis.reader.entry import check_entry

    result = check_entry(entry)
    twente = 100 * (_published_c("83582NED", "CR12", 2022) / _published_c("83582NED", "CR12", 2015) - 1)
    nation = 100 * (_published_c("83583NED", "NL01", 2022) / _published_c("83583NED", "NL01", 2015) - 1)
    # 40,600 / 39,600 - 1 = 2.53% against 784,000 / 735,500 - 1 = 6.59%: 4.07 points slower
    assert result.reading.result.value == pytest.approx(twente - nation, abs=1e-9)
    assert result.reading.result.value == pytest.approx(-4.07, abs=0.005)
    assert result.verdict == "not_supported"
    fact = result.deciding[0]
    assert (fact.part, fact.threshold, fact.holds) == ("difference", 0.0, False)
    # the gap is over the whole period, in points: not "a year", not "the 0%"
    assert fact.sentence.render("nl") == ("Het groeiverschil met Nederland is van 2015 tot 2022 tussen -4,3 en -3,8 "
                                          "procentpunt, dus niet sneller, wat de bewering wel zegt.")
    assert fact.sentence.render("en") == ("The growth gap with the Netherlands from 2015 to 2022 is between -4.3 and "
                                          "-3.8 percentage points, so not faster, which the claim says it is.")


@pytest.mark.parametrize("reading", [
    {"sector": "C", "base_year": 2015, "end_year": 2024},  # 83583NED ends in 2023 (this data's newest)
    {"sector": "S", "base_year": 2015, "end_year": 2022},  # 83583NED does not publish section S
    {"sector": "C", "base_year": 2015, "end_year": 2022, "table": "81402ned"},  # no [meta.national_rows] entry
    {"sector": "C", "base_year": None, "end_year": 2022},  # no period read: the engine's default decides
])
def test_a_comparison_the_national_table_cannot_answer_keeps_the_sum_of_the_regions(reading: dict):
    from analysis.reader.entry import published_nation

    assert published_nation(reading) is None
