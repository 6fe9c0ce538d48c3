"""Real time: which reference years were public on a claim's date ([meta.public] of the registry).

The rules rest on sources cited in the registry: CBS published the December-2016 employee jobs by
region in week 50 of 2017 (rule: 15 December of Y+1), DUO the 1 October counts the next spring
(1 April of Y+1); a release date on record replaces the rule for its year. A rule's day is "public
on or after": tested exactly on it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from analysis.engine.check import registry_for
from analysis.report.claimtexts import last_public_year
from analysis.report.seriesfigures import cutoff_year


def test_employee_jobs_public_by_the_rule_or_on_a_release_date_on_record():
    assert registry_for().public_date("employee_jobs", 2015) == dt.date(2016, 12, 15)  # the rule: Y+1-12-15
    assert registry_for().public_date("employee_jobs", 2016) == dt.date(2017, 12, 14)  # CBS week 50, on record
    assert registry_for().public_date("employee_jobs", 2014) == dt.date(2015, 12, 8)  # CBS news 2015/50


def test_last_public_year_on_and_around_the_rule_day_and_the_release_dates():
    assert last_public_year("employee_jobs", "2017-10-18") == 2015  # the article's date
    assert last_public_year("employee_jobs", "2016-12-14") == 2014  # the day before the rule's day
    assert last_public_year("employee_jobs", "2016-12-15") == 2015  # on the rule's day: public
    assert last_public_year("employee_jobs", "2017-12-13") == 2015
    assert last_public_year("employee_jobs", "2017-12-14") == 2016  # on the release date on record
    assert last_public_year("employee_jobs", "2015-12-07") == 2013
    assert last_public_year("employee_jobs", "2015-12-08") == 2014  # CBS's own release of the 2014 figures
    assert last_public_year("enrolment", "2017-10-18") == 2016
    assert last_public_year("enrolment", "2017-03-31") == 2015
    assert last_public_year("enrolment", "2017-04-01") == 2016


def test_trend_pre_period_ends_at_the_last_public_year():
    assert cutoff_year(SimpleNamespace(claim_date="2017-10-18")) == 2015
    assert cutoff_year(SimpleNamespace(claim_date="2017-12-15")) == 2016


@pytest.mark.parametrize(("released", "words"), [
    ('{ "2O16" = 2017-12-14 }', "released.2O16"),  # a letter O for a zero: not a year
    ('{ "2016" = "14-12-2017" }', "is not a date"),
    ('{ "2016" = 20171214 }', "released.2016"),
])
def test_a_release_date_on_record_is_a_year_and_a_date(tmp_path, released, words):
    from analysis.engine.registry import REGISTRY_FILE, RegistryError, load_registry

    text = REGISTRY_FILE.read_text(encoding="utf-8")
    old = 'released = { "2014" = 2015-12-08, "2016" = 2017-12-14 }'
    assert old in text
    path = tmp_path / "claims.toml"
    path.write_text(text.replace(old, f"released = {released}", 1), encoding="utf-8")
    with pytest.raises(RegistryError, match="meta.public.employee_jobs") as raised:
        load_registry(path)
    assert words in str(raised.value)
