"""Periods: "sinds 2010", "tussen 2013 en 2015", "eind 2014 ... eind 2010", "in vier jaar tijd",
"in 2016", "ten opzichte van een jaar eerder", "vorig jaar", "dit studiejaar", "since 2010", ...

Relative words are resolved against the publication date. Without any period word a change is read
as the latest year public on that date against the year before (an assumption the reader states):
CBS publishes the December employee jobs of year Y in November-December of Y+1, so a text of
November or December of Y+1 is about Y, an earlier one about Y-1; DUO counts enrolments on
1 October, so "dit studiejaar" in a text of September-December is that year's count, earlier in
the year the previous one; without a period word a sentence about students is read on the newest
count public on its date (October Y from February of Y+1).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from analysis.i18n import Text
from analysis.reader.numbers import WORD_NUMBERS
from analysis.reader.text import Span

_YEAR = re.compile(r"(?<![\w.,])(19[89]\d|20[0-4]\d)(?![\w.,]\d)")
_SPAN_WORDS = r"(?<![\w])(\d+|" + "|".join(WORD_NUMBERS) + r")"


@dataclass
class Period:
    base_year: int | None = None
    end_year: int | None = None
    year: int | None = None  # one year (a level, a share, a rank in one year)
    words: list[str] = field(default_factory=list)
    assumed: list[Text] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.words)


def year_spans(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group(1), int(m.group(1))) for m in _YEAR.finditer(text)
            if not re.match(r"\s*(procent|%|banen|studenten|jobs)", text[m.end():])]


def latest_jobs_year(date: dt.date) -> int:
    """The newest December of employee jobs public on ``date`` (module docstring)."""
    return date.year - 1 if date.month >= 11 else date.year - 2


def latest_enrolment_year(date: dt.date) -> int:
    """The newest 1 October count of DUO public on ``date``: counts of October Y come out from
    February of Y+1 (Vereniging Hogescholen's counts per institution; DUO's provisional file in March)."""
    return date.year - 1 if date.month >= 2 else date.year - 2


def academic_year(date: dt.date) -> int:
    """The 1 October count of "this academic year" in a text of ``date``."""
    return date.year if date.month >= 9 else date.year - 1


def _count(word: str) -> int:
    return int(word) if word.isdigit() else WORD_NUMBERS[word]


def read_period(text: str, date: dt.date, students: bool) -> Period:
    """The period the normalised sentence states (without defaults; see :func:`complete`)."""
    period = Period()
    years = year_spans(text)
    values = [y.value for y in years]
    span, span_words = None, None
    for candidate in re.finditer(_SPAN_WORDS + r"[- ]?(?:jaar|jaren|year|years)(?: tijd)?", text):
        span_words = re.search(r"(in|afgelopen|laatste|past|last|over)\s+(?:de\s+|the\s+)?"
                               + re.escape(candidate.group(0)), text) or \
            re.search(re.escape(candidate.group(0)) + r"[- ]?period", text)
        if span_words:
            span = candidate
            break
    if span_words and span is not None:
        n = _count(span.group(1))
        end = max(values) if values else None
        period.base_year, period.end_year = (end - n if end else None), end
        period.words.append(span_words.group(0))
        if end is None:
            period.assumed.append(Text("reader.assumed.span", {"n": str(n)}))
            period.base_year = -n  # resolved by complete(): end - n
        return period
    since = re.search(r"(sinds|sedert|vanaf|since)\s+(?:eind\s+|end\s+|december\s+)?(\d{4})", text)
    if since:
        period.base_year = int(since.group(2))
        period.words.append(since.group(0))
        later = [v for v in values if v > period.base_year]
        if later:
            period.end_year = max(later)
        return period
    if len(set(values)) >= 2:
        period.base_year, period.end_year = min(values), max(values)
        period.words += [y.words for y in years]
        return period
    last_year = re.search(r"\b(vorig jaar|afgelopen jaar|vorige jaar|last year|het afgelopen jaar)\b", text)
    this_year = re.search(r"\b(dit studiejaar|dit collegejaar|dit academisch jaar|this academic year|dit jaar|this year)\b", text)
    year_before = re.search(r"(ten opzichte van|t\.o\.v\.|dan)\s+(een jaar eerder|het jaar daarvoor|het jaar ervoor|"
                            r"vorig jaar|dezelfde maand het jaar daarvoor)|(a year earlier|the year before|previous year)", text)
    if values and last_year and values[0] < date.year - 1:  # "eind vorig jaar ... dan eind 2010"
        period.base_year, period.end_year = values[0], date.year - 1
        period.words += [years[0].words, last_year.group(0)]
        return period
    if values:
        period.year = values[0]
        period.words.append(years[0].words)
    elif last_year:
        period.year = date.year - 1
        period.words.append(last_year.group(0))
    elif this_year:
        period.year = academic_year(date) if students else date.year
        period.words.append(this_year.group(0))
    if year_before:
        period.words.append(year_before.group(0))
    if period.year is not None:
        period.base_year, period.end_year = period.year - 1, period.year
    return period


def complete(period: Period, date: dt.date, students: bool, single: bool) -> Period:
    """Fill what the sentence left open from the publication date, saying so."""
    latest = latest_enrolment_year(date) if students else latest_jobs_year(date)
    if single:
        if period.year is None:
            period.year = period.end_year if period.end_year and period.end_year > 0 else latest
            if not period.found:
                period.assumed.append(Text("reader.assumed.year_latest", {"year": str(period.year), "date": date.isoformat()}))
        return period
    if period.base_year is not None and period.base_year < 0:  # "in vier jaar tijd" without a year
        period.end_year = latest
        period.base_year = latest + period.base_year
        period.assumed.append(Text("reader.assumed.end_latest", {"year": str(latest), "date": date.isoformat()}))
    if period.end_year is None:
        period.end_year = latest
        period.assumed.append(Text("reader.assumed.end_latest", {"year": str(latest), "date": date.isoformat()}))
    if period.base_year is None:
        period.base_year = period.end_year - 1
        period.assumed.append(Text("reader.assumed.base_one", {"year": str(period.base_year)}))
    return period
