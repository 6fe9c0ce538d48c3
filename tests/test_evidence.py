"""Evidence lines are said once (analysis.report.evidence)."""

from analysis.report.evidence import distinct


def test_a_fairer_statement_that_restates_the_headline_is_dropped():
    headline = "In Nederland daalde het aantal met 4,4%."
    fairer = "Wat de cijfers wel zeggen: In Nederland daalde het aantal met 4,4%."
    assert distinct([headline, None, fairer]) == [headline]


def test_a_counter_argument_with_other_numbers_stays():
    headline = "In Nederland daalde het aantal met 4,4%."
    counter = "Sterkste tegenargument (eindjaar 2014): In Nederland daalde het aantal met 3,9%."
    assert distinct([headline, counter]) == [headline, counter]


def test_the_same_sentence_with_the_same_numbers_in_other_order_is_not_a_new_line():
    first = "Twente: 12.543 van de 34.547 inschrijvingen in 2016, 36,3%."
    again = "Wat de cijfers wel zeggen: twente: 12.543 van de 34.547 inschrijvingen in 2016, 36,3%"
    assert distinct([first, again]) == [first]


def test_at_most_three_lines_and_empty_ones_skipped():
    lines = ["a 1.", "", "b 2.", "c 3.", "d 4."]
    assert distinct(lines) == ["a 1.", "b 2.", "c 3."]
    assert distinct(lines, limit=2) == ["a 1.", "b 2."]
