"""Real time: which reference years were public on a claim's date ([meta.public] of the registry).

The rules rest on sources cited in the registry: CBS published the December-2016 employee jobs by
region in week 50 of 2017 (rule: 15 December of Y+1), DUO the 1 October counts the next spring
(1 April of Y+1). A rule's day is "public on or after": tested exactly on it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from analysis.engine.check import registry_for
from analysis.report.claimtexts import last_public_year
from analysis.report.seriesfigures import cutoff_year


def test_employee_jobs_of_2016_became_public_on_15_december_2017():
    assert registry_for().public_date("employee_jobs", 2016) == dt.date(2017, 12, 15)


def test_last_public_year_on_and_around_the_rule_day():
    assert last_public_year("employee_jobs", "2017-10-18") == 2015  # the article's date
    assert last_public_year("employee_jobs", "2017-12-14") == 2015
    assert last_public_year("employee_jobs", "2017-12-15") == 2016  # on the day: public
    assert last_public_year("enrolment", "2017-10-18") == 2016
    assert last_public_year("enrolment", "2017-03-31") == 2015
    assert last_public_year("enrolment", "2017-04-01") == 2016


def test_trend_pre_period_ends_at_the_last_public_year():
    assert cutoff_year(SimpleNamespace(claim_date="2017-10-18")) == 2015
    assert cutoff_year(SimpleNamespace(claim_date="2017-12-15")) == 2016
