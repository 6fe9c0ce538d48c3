"""A sentence -> ranked readings (candidate registry entries), each parameter with the words that
set it and what was assumed.

The best reading is built from the first region, sector, institution, period and number of the
sentence that do not belong to someone else (a comparator, a follower, a contrast; see
:mod:`.comparisons`); what the sentence leaves open comes from the sentence before it (``context``)
and then from the publication date and plain defaults, each stated. Alternatives follow with a lower
score: the COROP region of a name that is also a province's, the other comparator, a change without
its number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis.i18n import Text
from analysis.reader import comparisons, periods
from analysis.reader.numbers import Number, find_numbers
from analysis.reader.ranks import RankTerms, rank_terms
from analysis.reader.text import Span, find_phrases, is_english, normalise, outside
from analysis.reader.vocab import NATION, Vocabulary, vocabulary

# reader kinds -> the engine kind that checks them (None: not yet checkable); a level, a rank or a
# change in a number of students is a DUO count of named institutions (``Reading.engine_kind``)
ENGINE_KINDS = {"change": "change", "change_vs_comparator": "change_vs_comparator", "share": "share",
                "change_count": "level_change", "level": "level", "rank": "rank", "sector_share": "share_of_total",
                "not_held": None}
BACK_REFERENCE = r"^(daar|there|deze regio|de provincie|die provincie|this region|in the four-year)"
CROHO_SECTORS = {"techniek": "techniek", "technisch": "techniek", "technical": "techniek",
                 "technology": "techniek", "gezondheidszorg": "gezondheidszorg", "economie": "economie",
                 "onderwijs": "onderwijs"}


@dataclass
class Reading:
    """One candidate reading of a sentence: the engine's parameters with their evidence."""

    kind: str
    relation: str = ""
    direction: str = ""  # rise / fall of the claim's own series ('' when none is said)
    statistic: str = ""
    region: str | None = None
    sector: str | None = None
    institutions: list[str] = field(default_factory=list)
    croho_sectors: list[str] = field(default_factory=list)
    base_year: int | None = None
    end_year: int | None = None
    year: int | None = None
    comparator: str | None = None
    number: Number | None = None
    rank: RankTerms | None = None  # the place a rank sentence names (kind 'rank' only)
    words: dict[str, str] = field(default_factory=dict)  # parameter -> the words that set it
    assumed: dict[str, list[Text]] = field(default_factory=dict)  # parameter -> what was assumed
    score: float = 1.0
    note: Text | None = None

    @property
    def engine_kind(self) -> str | None:
        kind = ENGINE_KINDS.get(self.kind)
        students = self.statistic == "students"
        counted = self.number is not None and self.number.unit not in ("percent", "points")
        if kind == "level":
            # a level needs its number ("ruim 303.800 banen"); of students it is a DUO count
            return ("enrolment_level" if students else "level") if counted else None
        if kind == "level_change":
            # a change in a number of jobs or persons, or of students at named institutions
            return ("enrolment_change" if students else kind) if counted and self.direction else None
        if kind == "rank" and students:
            # the engine ranks regions, not institutions: the number of students is what it can check
            return "enrolment_level" if counted else None
        if kind == "rank" and not self.direction:
            return None  # a place without a rise or fall ("de grootste regio"): no metric to rank on
        if kind == "share_of_total" and (self.number is None or self.number.unit != "percent"):
            return None
        return kind

    @property
    def hedge(self) -> str:
        return self.number.hedge if self.number else "none"

    def assume(self, param: str, text: Text) -> None:
        said = self.assumed.setdefault(param, [])
        if text not in said:  # building the entry twice must not say it twice
            said.append(text)

    def assumed_text(self, param: str, lang: str) -> str:
        return "; ".join(t.render(lang) for t in self.assumed.get(param, []))

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        low, high = self.number.interval if self.number else (None, None)
        return {
            "kind": self.kind, "engine_kind": self.engine_kind, "relation": self.relation,
            "direction": self.direction,
            "statistic": self.statistic, "score": round(self.score, 3),
            "parameters": {"region": self.region, "sector": self.sector, "institutions": self.institutions,
                           "croho_sectors": self.croho_sectors, "base_year": self.base_year,
                           "end_year": self.end_year, "year": self.year, "comparator": self.comparator,
                           **({} if self.rank is None else {
                               "rank_relation": self.rank.relation, "position": self.rank.position,
                               "order": self.rank.order, "metric": self.rank.metric})},
            "claimed": None if self.number is None else {
                "value": self.number.value, "low": _round(low), "high": _round(high), "unit": self.number.unit,
                "hedge": self.number.hedge, "hedge_words": self.number.hedge_words, "words": self.number.span.words},
            "hedge": self.hedge, "words": self.words,
            "assumed": {param: self.assumed_text(param, lang) for param in self.assumed},
            "note": self.note.render(lang) if self.note else "",
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 10)


def _first_region(text: str, vocab: Vocabulary, blocked: list[tuple[int, int]]) -> Span | None:
    spans = outside(find_phrases(text, vocab.regions), blocked)
    return spans[0] if spans else None


def _sector(text: str, vocab: Vocabulary, blocked: list[tuple[int, int]]) -> Span | None:
    spans = outside(find_phrases(text, vocab.sectors), blocked)
    return spans[0] if spans else None


def read_sentence(sentence: str, context: str = "", date: dt.date | None = None,
                  data_dir: Path | None = None) -> list[Reading]:
    """Ranked readings of ``sentence`` (best first); ``context`` is the sentence before it."""
    date = date or dt.date.today()
    vocab = vocabulary(data_dir)
    text, before = normalise(sentence), normalise(context)
    english = is_english(text)
    sig = comparisons.signals(text)
    prior = comparisons.signals(before) if before else None
    reading = Reading(kind="not_held")
    statistic, stat_words = sig.statistic, sig.statistic_words
    if not statistic and prior and prior.statistic in comparisons.HELD:
        statistic, stat_words = prior.statistic, prior.statistic_words
        reading.assume("statistic", Text("reader.assumed.from_before"))
    if not statistic and sig.direction and _first_region(text, vocab, sig.other_clauses):
        # "Voor Zeeland betekent dat een groei van 1,8 procent": a region's change, no statistic named
        statistic, stat_words = "jobs", ""
        reading.assume("statistic", Text("reader.assumed.statistic_jobs"))
    reading.statistic = statistic
    reading.words["statistic"] = stat_words
    if statistic not in comparisons.HELD:
        reading.note = (Text("reader.note.not_held", {"statistic": stat_words}) if statistic
                        else Text("reader.note.no_statistic"))
        return [reading]
    students = statistic == "students"
    institutions = find_phrases(text, vocab.institutions) if students else []
    blocked = sig.other_clauses + [(s.start, s.end) for s in institutions]
    # --- the number: the first one that is not someone else's
    numbers = [n for n in find_numbers(text, english, periods.year_spans(text))
               if not any(lo <= n.span.start < hi for lo, hi in sig.other_clauses)]
    number = numbers[0] if numbers else None
    if number is not None and not number.unit and number.value >= 100:
        number = replace(number, unit=statistic)
        reading.assume("unit", Text("reader.assumed.unit", {"unit": statistic}))
    negative = number is not None and text[max(0, number.span.start - 1):number.span.start] == "-"
    # --- kind and relation
    direction = sig.direction or ("fall" if negative else "")
    if re.search(r"uitzondering|with the exception of|except", text) and direction:
        direction = "rise" if direction == "fall" else "fall"  # the exception did the opposite
        reading.words["exception"] = "uitzondering"
    reading.direction = direction
    reading.kind = _kind(sig, students, number, direction)
    reading.relation = _relation(reading.kind, direction, number, sig, text)
    reading.words["kind"] = sig.extreme_words or sig.comparator_words or sig.share_words or sig.level_words
    if direction:
        reading.words["relation"] = sig.direction_words or "-"
    reading.number = number
    if reading.kind == "rank":
        reading.rank = rank_terms(text, sig.extreme_words, direction, number)
        if reading.rank.metric_words:
            reading.words["metric"] = reading.rank.metric_words
    if number is not None:
        reading.words["claimed"] = (number.hedge_words + " " if number.hedge_words else "") + number.span.words
    # --- who: institutions, or a region
    if students:
        reading.institutions = sorted({s.value for s in institutions})
        reading.words["institutions"] = ", ".join(s.words for s in institutions)
        reading.croho_sectors = sorted({v for w, v in CROHO_SECTORS.items() if re.search(rf"\b{w}", text)})
        _set_institution_region(reading, vocab)
    else:
        _set_region(reading, text, before, vocab, blocked, prior)
        _set_sector(reading, text, before, vocab, sig, prior)
        if reading.kind == "change_vs_comparator":
            reading.comparator = "nation"
            reading.words["comparator"] = sig.comparator_words
    # --- when
    _set_period(reading, text, before, date, students)
    alternatives = _alternatives(reading, vocab)
    return [reading, *alternatives]


def _kind(sig: comparisons.Signals, students: bool, number: Number | None, direction: str) -> str:
    percent = number is not None and number.unit == "percent"
    if sig.share_words and percent:
        return "share" if students else "sector_share"
    if sig.extreme_words:
        return "rank"
    if sig.comparator_words and not students:
        return "change_vs_comparator"
    if direction:
        return "change" if number is None or percent else "change_count"
    return "level"


def _relation(kind: str, direction: str, number: Number | None, sig: comparisons.Signals, text: str) -> str:
    if kind == "change_vs_comparator":
        clause = " ".join(text[lo:hi] for lo, hi in sig.other_clauses)
        other = comparisons._first(comparisons.FALL, clause) and "fall" or \
            (comparisons._first(comparisons.RISE, clause) and "rise") or ""
        if not other:  # "sterker dan in Nederland (-8,2%)": the comparator moved the same way, less
            other = "fall" if re.search(r"\(-\d", clause) or direction == "fall" else "rise"
        if direction == "fall":
            return "both_fall" if other == "fall" else "region_falls_comparator_grows"
        return "region_grows_comparator_falls" if other == "fall" else "faster"
    if kind == "change":
        return "value" if number is not None else direction
    return direction


def _set_region(reading: Reading, text: str, before: str, vocab: Vocabulary,
                blocked: list[tuple[int, int]], prior: comparisons.Signals | None) -> None:
    span = _first_region(text, vocab, blocked)
    if span is None and before:
        span = _first_region(before, vocab, prior.other_clauses if prior else [])
        if span is not None:
            reading.assume("region", Text("reader.assumed.from_before"))
    if span is None:
        reading.region = NATION
        reading.assume("region", Text("reader.assumed.region_nation"))
        return
    reading.region = str(span.value)
    reading.words["region"] = span.words
    if span.words.strip() in {"amsterdam", "rotterdam", "eindhoven", "delfzijl", "enschede", "den haag",
                              "arnhem", "nijmegen", "tilburg", "breda", "zwolle", "deventer"}:
        reading.assume("region", Text("reader.assumed.city", {"city": span.words}))


def _set_institution_region(reading: Reading, vocab: Vocabulary) -> None:
    """The region of named institutions: the one region of their seats (else left to the registry)."""
    seats = {vocab.institution_regions.get(code) for code in reading.institutions}
    if len(seats) == 1 and None not in seats:
        reading.region = seats.pop()
        reading.assume("region", Text("reader.assumed.institution_region", {
            "region": vocab.region_names.get(reading.region, reading.region)}))


def _set_sector(reading: Reading, text: str, before: str, vocab: Vocabulary, sig: comparisons.Signals,
                prior: comparisons.Signals | None) -> None:
    span = _sector(text, vocab, sig.other_clauses)
    if span is None and before:
        span = _sector(before, vocab, prior.other_clauses if prior else [])
        if span is not None:
            reading.assume("sector", Text("reader.assumed.from_before"))
    if span is None:
        reading.sector = "A-U"
        reading.assume("sector", Text("reader.assumed.sector_all"))
        return
    reading.sector = str(span.value)
    reading.words["sector"] = span.words


def _set_period(reading: Reading, text: str, before: str, date: dt.date, students: bool) -> None:
    single = reading.kind in ("level", "share", "sector_share") or (reading.kind == "rank" and not reading.relation)
    period = periods.read_period(text, date, students)
    if not period.found and before:
        period = periods.read_period(before, date, students)
        if period.found:
            reading.assume("period", Text("reader.assumed.from_before"))
    period = periods.complete(period, date, students, single)
    if single:
        reading.year = period.year
    else:
        reading.base_year, reading.end_year = period.base_year, period.end_year
    if period.words:
        reading.words["period"] = " / ".join(period.words)
    for assumption in period.assumed:
        reading.assume("period", assumption)


def _alternatives(best: Reading, vocab: Vocabulary) -> list[Reading]:
    out: list[Reading] = []
    name = best.words.get("region", "").strip()
    if best.region and vocab.region_levels.get(best.region) == "provincie":
        same = [code for code, level in vocab.region_levels.items() if level == "corop"
                and vocab.region_names[code].replace(" (CR)", "").lower() in (name, "overig " + name)]
        for code in same:
            out.append(replace(best, region=code, score=0.5, assumed={**best.assumed, "region": [
                Text("reader.assumed.corop", {"name": name, "region": vocab.region_names[code]})]}))
    if best.kind == "change_vs_comparator":
        out.append(replace(best, comparator="nation_minus_region", score=0.6,
                           assumed={**best.assumed, "comparator": [Text("reader.assumed.comparator_rest")]}))
    if best.kind == "change" and best.number is not None:
        out.append(replace(best, number=None, relation=best.direction or "rise", score=0.4,
                           assumed={**best.assumed, "claimed": [Text("reader.assumed.direction_only")]}))
    return out
