"""The claim reader's parts: numbers and hedges, periods, vocabularies, kinds (analysis.reader).

Every expected value is worked out by hand from the rules in docs/propose.md."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.reader import read_sentence
from analysis.reader.numbers import find_numbers
from analysis.reader.periods import latest_enrolment_year, latest_jobs_year, year_spans
from analysis.reader.text import normalise

DATE = dt.date(2017, 12, 14)


def number(sentence: str, english: bool = False):
    text = normalise(sentence)
    found = find_numbers(text, english, year_spans(text))
    assert found, f"no number in {sentence!r}"
    return found[0]


@pytest.mark.parametrize(("sentence", "value", "unit", "hedge", "low", "high"), [
    ("met 6,5 procent", 6.5, "percent", "none", 6.45, 6.55),             # u = 0.1
    ("bijna 153 duizend banen", 153000, "jobs", "almost", 152500, 153000),  # u = 1,000, lower half
    ("ruim 132 duizend", 132000, "", "just_over", 132000, 132500),        # upper half
    ("circa 2.200 banen", 2200, "jobs", "about", 2150, 2250),            # u = 100 (last non-zero digit)
    ("zo'n 19.000 meer", 19000, "", "about", 18500, 19500),
    ("meer dan 3 procent", 3, "percent", "more_than", 3, None),          # open upper end
    ("maar liefst 6 procent", 6, "percent", "stressed", 5.5, 6.5),       # stressed, not changed
    ("63.155 banen", 63155, "jobs", "none", 63154.5, 63155.5),           # u = 1
    ("net geen 40 duizend studenten", 40000, "students", "almost", 39500, 40000),
    ("een derde van de studenten", 100 / 3, "percent", "none", 100 / 3 - 0.5, 100 / 3 + 0.5),
    ("met 3 procent of meer", 3, "percent", "more_than", 3, None),
    ("tien procent", 10, "percent", "none", 9.5, 10.5),
])
def test_dutch_numbers_hedges_and_intervals(sentence, value, unit, hedge, low, high):
    found = number(sentence)
    assert found.value == pytest.approx(value)
    assert (found.unit, found.hedge) == (unit, hedge)
    got_low, got_high = found.interval
    assert got_low == pytest.approx(low) if low is not None else got_low is None
    assert got_high == pytest.approx(high) if high is not None else got_high is None


@pytest.mark.parametrize(("sentence", "value", "hedge", "low", "high"), [
    ("lost a total of almost 153.000 jobs", 153000, "almost", 152500, 153000),
    ("more than 63.000 jobs", 63000, "more_than", 63000, None),
    ("this year is 2,087, four per cent", 2087, "none", 2086.5, 2087.5),  # English thousands comma
    ("grew by 13.5 percent", 13.5, "none", 13.45, 13.55),                 # English decimal point
])
def test_english_numbers(sentence, value, hedge, low, high):
    found = number(sentence, english=True)
    assert (found.value, found.hedge) == (value, hedge)
    assert found.interval == (pytest.approx(low), pytest.approx(high) if high is not None else None)


def test_a_year_is_not_a_number_but_a_count_of_jobs_is():
    text = normalise("In 2016 kwamen er 2016 banen bij")
    assert [n.value for n in find_numbers(text, False, year_spans(text))] == [2016]
    assert [y.value for y in year_spans(text)] == [2016]


def test_latest_public_year_boundaries():
    # CBS December jobs of Y: public from November of Y+1 (a text of 1 November is the first)
    assert latest_jobs_year(dt.date(2017, 11, 1)) == 2016
    assert latest_jobs_year(dt.date(2017, 10, 31)) == 2015
    # DUO 1 October count of Y: public from February of Y+1
    assert latest_enrolment_year(dt.date(2025, 2, 1)) == 2024
    assert latest_enrolment_year(dt.date(2025, 1, 31)) == 2023


def best(sentence: str, context: str = "", date: dt.date = DATE):
    return read_sentence(sentence, context, date)[0]


@pytest.mark.parametrize(("sentence", "base", "end"), [
    ("De zorg in Twente groeide sinds 2010.", 2010, 2016),                   # end: latest public
    ("Het aantal banen in Twente groeide tussen 2013 en 2015.", 2013, 2015),
    ("In Twente daalde het aantal banen in vier jaar tijd.", 2012, 2016),     # span back from the latest
    ("In Twente daalde het aantal banen eind 2014 ten opzichte van eind 2010.", 2010, 2014),
    ("In Twente groeide het aantal banen in 2016.", 2015, 2016),              # one year
    ("In Twente groeide het aantal banen ten opzichte van een jaar eerder.", 2015, 2016),
    ("Het aantal banen in Twente is vorig jaar gestegen.", 2015, 2016),       # date 2017: last year 2016
])
def test_periods(sentence, base, end):
    reading = best(sentence)
    assert (reading.base_year, reading.end_year) == (base, end)


@pytest.mark.parametrize(("words", "code"), [
    ("Twente", "CR12"), ("Zuidoost-Noord-Brabant", "CR36"), ("Zuidoost Brabant", "CR36"),
    ("de regio Eindhoven", "CR36"), ("Groningen", "PV20"), ("Overig Groningen", "CR03"),
    ("Fryslân", "PV21"), ("Friesland", "PV21"), ("North Holland", "PV27"), ("heel Nederland", "NL01"),
    ("het zuidwesten van Drenthe", "CR09"), ("Zeeuws-Vlaanderen", "CR31"), ("Oost-Groningen", "CR01"),
])
def test_region_names_and_spellings(words, code):
    assert best(f"In {words} groeide het aantal banen met 2 procent.").region == code


def test_a_province_name_that_is_also_a_corop_name_offers_the_corop_region_second():
    readings = read_sentence("In Groningen groeide het aantal banen met 2 procent.", "", DATE)
    assert [r.region for r in readings[:2]] == ["PV20", "CR03"]
    assert readings[1].score < readings[0].score


@pytest.mark.parametrize(("words", "code"), [
    ("de industrie", "C"), ("manufacturing", "C"), ("de zorg", "Q"), ("health care", "Q"), ("de bouw", "F"),
    ("de ICT", "J"), ("hightech", "htsm-narrow"), ("HTSM", "htsm-narrow"), ("de horeca", "I"),
])
def test_sector_words(words, code):
    assert best(f"In Twente groeide het aantal banen in {words} met 2 procent.").sector == code


def test_no_sector_named_is_all_activities_and_said_so():
    reading = best("In Twente groeide het aantal banen met 2 procent.")
    assert reading.sector == "A-U" and "sector" in reading.assumed


@pytest.mark.parametrize(("words", "codes", "region"), [
    ("de UT", ["21PH"], "CR12"), ("Universiteit Twente", ["21PH"], "CR12"),
    ("Saxion en de UT", ["21PH", "23AH"], "CR12"),  # both seated in Enschede (Twente)
    ("de TU/e", ["21PG"], "CR36"), ("Fontys", ["30GB"], "CR36"),  # Eindhoven: Zuidoost-Noord-Brabant
    ("TU Delft", ["21PF"], None),  # Delft is no region name of the vocabulary: left to the registry
])
def test_institution_names(words, codes, region):
    reading = best(f"Bij {words} studeren 36 procent technische studenten.", date=dt.date(2017, 10, 18))
    assert reading.statistic == "students" and reading.institutions == codes
    # the institutions set the population; the region of their seat only labels the claim
    assert reading.region == region


def test_an_institution_name_holding_a_region_name_is_no_region_claim():
    reading = best("36% of the students at the University of Twente are technical students.",
                   date=dt.date(2017, 10, 18))
    assert (reading.kind, reading.institutions, reading.croho_sectors, reading.year) == \
        ("share", ["21PH"], ["techniek"], 2016)


@pytest.mark.parametrize(("sentence", "kind", "relation"), [
    ("In Twente groeide de zorg sinds 2010 harder dan landelijk.", "change_vs_comparator", "faster"),
    ("In Twente daalde de industrie, terwijl landelijk de industrie groeide.", "change_vs_comparator",
     "region_falls_comparator_grows"),
    ("Twente is de enige regio waar het aantal banen daalde.", "rank", "fall"),
    ("Twente had de grootste toename van heel Nederland.", "rank", "rise"),
    ("In Twente waren in 2017 in totaal 288.500 banen.", "level", ""),
    ("In Twente daalde het aantal banen met 1.200.", "change_count", "fall"),
    ("In Twente daalde het aantal banen met 1,2 procent.", "change", "value"),
    ("In Twente daalde het aantal banen.", "change", "fall"),
])
def test_kinds(sentence, kind, relation):
    reading = best(sentence)
    assert (reading.kind, reading.relation) == (kind, relation)


@pytest.mark.parametrize(("sentence", "statistic"), [
    ("In Twente daalde de werkloosheid tot 5 procent.", "unemployment"),
    ("Het aantal vacatures in Twente steeg met 20 procent.", "vacancies"),
    ("De UT verwelkomde dit jaar 2.231 nieuwe studenten.", "intake"),
    ("The Dutch economy grew by 2.9 percent.", "output"),
])
def test_says_plainly_when_the_data_do_not_hold_the_statistic(sentence, statistic):
    reading = best(sentence)
    assert (reading.kind, reading.statistic, reading.engine_kind) == ("not_held", statistic, None)
    assert "cannot be checked" in reading.note.render("en")


def test_context_supplies_what_the_sentence_leaves_open():
    reading = best("Daar daalde het aantal banen met 3 procent.", "In de industrie in Twente ging het slecht in 2016.")
    assert (reading.region, reading.sector, reading.base_year, reading.end_year) == ("CR12", "C", 2015, 2016)
    assert {"region", "sector", "period"} <= set(reading.assumed)


def test_a_comparator_or_follower_clause_does_not_set_the_region_or_number():
    reading = best("In Friesland daalde het aantal banen met 6,5 procent, gevolgd door Flevoland met 5,8 procent.")
    assert (reading.region, reading.number.value) == ("PV21", 6.5)
