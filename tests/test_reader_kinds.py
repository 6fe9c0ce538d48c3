"""The reader's levels, ranks and sector shares become entries of the engine's kinds level,
enrolment_level, rank and share_of_total (analysis.reader.entry_kinds, docs/propose.md "Kinds"), with the
perturbations docs/kinds-level-rank-share.md calls sensible; every corpus sentence of those kinds is
written and loads back through the registry's typed schema.

Expected parameters are read off the sentences by hand; the engine checks are compared with places and
levels computed with pandas from data/processed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.engine.registry import load_registry
from analysis.reader import read_sentence
from analysis.reader.corpus import load_corpus
from analysis.reader.entry import NotCheckable, build_entry, check_entry, shipped_meta
from analysis.reader.toml_writer import append_entry

DATE = dt.date(2018, 12, 20)  # December 2017 is the newest year of employee jobs public on this date
CORPUS = Path(__file__).parent / "corpus" / "claims_corpus.toml"


def check_of(sentence: str, date: dt.date = DATE) -> dict:
    return entry_of(sentence, date)["check"]


def entry_of(sentence: str, date: dt.date = DATE) -> dict:
    return build_entry(read_sentence(sentence, "", date)[0], sentence, date)


def test_a_level_of_jobs_is_the_rounding_interval_of_its_number():
    table = check_of("In Twente waren in 2017 in totaal 288.500 banen.")
    # 288.500 is written to the hundred: [288,450, 288,550); the year is named, so no year perturbation
    assert table["kind"] == "level" and table["relation"] == "value"
    assert (table["claimed"]["low"], table["claimed"]["high"]) == (288450, 288550)
    assert table["reading"] == {"sector": "A-U", "year": 2017}
    assert table["perturb"] == [{"param": "vintage", "values": ["newest", "oldest"], "weights": [0.5, 0.5]}]


def test_more_than_a_level_is_a_threshold_reached():
    table = check_of("In Twente werkten in 2017 meer dan 45.000 mensen in de zorg.")
    assert table["kind"] == "level" and table["relation"] == "at_least"
    assert table["reading"] == {"sector": "Q", "year": 2017, "threshold": 45000.0}
    assert "claimed" not in table


def test_less_than_a_level_is_not_written_and_says_why():
    with pytest.raises(NotCheckable, match="less than"):
        check_of("In Twente waren in 2017 minder dan 300.000 banen.")


def test_a_level_without_its_year_lets_the_year_before_count():
    table = check_of("In Twente zijn 288.500 banen.")
    # no year named on 2018-12-20: 2017 (the newest public), and 2016 as the alternative
    assert table["reading"]["year"] == 2017
    assert table["perturb"][0] == {"param": "year", "values": [2017, 2016], "weights": [0.8, 0.2]}


def test_a_level_of_students_is_a_duo_count_of_the_institution():
    entry = entry_of("Fontys telt net geen 40 duizend studenten.", dt.date(2025, 2, 15))
    table = entry["check"]
    # "net geen 40 duizend": written to the thousand, just under: [39,500, 40,000)
    assert table["kind"] == "enrolment_level" and table["relation"] == "value"
    assert (table["claimed"]["low"], table["claimed"]["high"]) == (39500, 40000)
    assert table["reading"] == {"institutions": ["30GB"], "year": 2024}  # 1 October 2024, public from February
    assert entry["region"] == "CR36"  # Fontys is seated in Eindhoven


def test_the_largest_institution_checks_its_number_not_its_place():
    table = check_of("De Hogeschool van Amsterdam is met afstand de grootste hbo-instelling van Nederland: "
                     "daar studeren 44 duizend hbo'ers.", dt.date(2025, 2, 15))
    assert table["kind"] == "enrolment_level" and table["reading"]["institutions"] == ["28DN"]
    assert (table["claimed"]["low"], table["claimed"]["high"]) == (43500, 44500)


def test_a_sector_share_of_all_jobs():
    table = check_of("De industrie is in Twente goed voor bijna 14% van de banen.")
    # "bijna 14%": written to the unit, just under: [13.5, 14)
    assert table["kind"] == "share_of_total" and table["relation"] == "value"
    assert (table["claimed"]["low"], table["claimed"]["high"]) == (13.5, 14)
    assert table["reading"] == {"sector": "C", "year": 2017}
    assert [p["param"] for p in table["perturb"]] == ["year", "vintage"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Noord-Holland is de enige provincie die eind 2014 meer banen van werknemers had dan eind 2010.",
     {"relation": "only_sign", "sign": "rise", "base_year": 2010, "end_year": 2014, "metric": "change"}),
    (("In vrijwel alle provincies is het aantal banen in 2014 weer toegenomen, de enige uitzondering daarop is "
     "Friesland."), {"relation": "only_sign", "sign": "fall", "base_year": 2013, "end_year": 2014}),
    ("Friesland verloor tussen 2010 en 2014 naar verhouding het meest, namelijk 6,5 procent.",
     {"relation": "rank", "position": 1, "order": "lowest", "metric": "change"}),
    ("In Zuid-Holland was de teruggang tussen 2010 en 2014 in absolute zin het grootst: er verdwenen 63.155 banen.",
     {"relation": "rank", "position": 1, "order": "lowest", "metric": "difference"}),
    ("De industrie in Twente groeide van 2010 tot 2017 de op acht na sterkst van alle COROP-gebieden.",
     {"relation": "rank", "position": 9, "order": "highest", "base_year": 2010, "end_year": 2017}),
    ("Twente had tussen 2015 en 2016 de kleinste groei van alle COROP-gebieden.",
     {"relation": "rank", "position": 1, "order": "lowest"}),
])
def test_rank_words_set_the_place(sentence, expected):
    table = check_of(sentence, dt.date(2018, 12, 20))
    assert table["kind"] == "rank"
    got = {"relation": table["relation"], **table["reading"]}
    assert {key: got.get(key) for key in expected} == expected


def test_a_rank_that_does_not_say_percent_or_jobs_lets_both_count():
    table = check_of("Het aantal banen van werknemers daalde in 2016 het hardst in Zuidwest-Drenthe.", dt.date(2017, 12, 20))
    assert table["reading"]["metric"] == "change"
    assert table["perturb"] == [{"param": "metric", "values": ["change", "difference"], "weights": [0.7, 0.3]}]
    said = check_of("Friesland verloor tussen 2010 en 2014 naar verhouding het meest, namelijk 6,5 procent.")
    assert "perturb" not in said  # "naar verhouding" says percent


def test_a_place_without_a_rise_or_fall_is_not_written():
    with pytest.raises(NotCheckable, match="not yet checkable"):
        check_of("Twente is de grootste regio van Overijssel.")


def test_every_corpus_level_rank_and_share_is_written_and_loads(tmp_path):
    registry = tmp_path / "corpus.toml"
    written = 0
    for item in load_corpus(CORPUS):
        if item["expected"]["kind"] not in ("level", "rank", "sector_share"):
            continue
        date = dt.date.fromisoformat(item["date"])
        entry = build_entry(read_sentence(item["text"], item.get("context", ""), date)[0], item["text"], date,
                            url=item["url"], taken={f"x{written}"})
        entry["id"] = f"{entry['id']}-{written}"
        append_entry(registry, entry, shipped_meta())  # validates with the typed schema before it writes
        written += 1
    assert written == 17  # 4 levels, 12 ranks and 1 sector share in the corpus
    assert len(load_registry(registry).claims) == 17


def test_the_largest_rise_of_all_corop_regions_checks_against_an_independent_ranking():
    sentence = "Daar steeg het aantal banen met maar liefst 6 procent; de grootste toename van heel Nederland."
    context = "Opvallend is dat buurregio Zuidoost-Friesland het juist het best doet."
    date = dt.date(2017, 12, 14)
    entry = build_entry(read_sentence(sentence, context, date)[0], sentence, date)
    assert entry["region"] == "CR06" and entry["check"]["reading"]["position"] == 1
    jobs = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype={"sbi_code": str})
    corop = jobs[(jobs.source_table == "83582NED") & (jobs.vintage == "latest") & (jobs.region_level == "corop")
                 & (jobs.sbi_code == "A-U") & jobs.year.isin([2015, 2016])]
    wide = corop.pivot(index="region_code", columns="year", values="employee_jobs")
    growth = (wide[2016] / wide[2015] - 1).drop(index="CR99", errors="ignore")
    assert growth.idxmax() == "CR06"
    result = check_entry(entry)
    assert result.reading.holds is True and result.verdict == "supported"
