"""What a rank sentence says about the place: "de enige provincie die groeide" (only the region moved
that way: the engine's relation ``only_sign``), "het grootst", "koploper", "the most significant
decline" (first place: ``rank`` with ``position`` 1), "de op acht na hoogste" (place 9); counted from
the highest value for a rise and from the lowest for a fall (the largest fall is the lowest change);
and on what: a percent change ("naar verhouding", a number in percent: ``metric`` ``change``) or a
change in jobs ("in absolute zin", a number of jobs: ``difference``). When the words do not say which,
``metric`` is None and the entry lets both count (docs/kinds-level-rank-share.md: "de grootste groei"
may mean either).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.reader.numbers import WORD_NUMBERS, Number

ONLY = r"de enige|het enige|enige provincie|enige regio|the only"
PLACE = r"op (\d+|\w+) na (?:de |het )?(?:hoogste|grootste|laagste|kleinste|sterkst\w*|hardst\w*|snelst\w*)"
LOW = r"laagst\w*|kleinst\w*|minst\w*|lowest|smallest|least|poorest"
ABSOLUTE = r"in absolute zin|in absolute aantallen|in absolute numbers|in absolute terms|in aantallen"
RELATIVE = r"naar verhouding|relatief|procentueel|in relative terms|proportionally|in percent"


@dataclass(frozen=True)
class RankTerms:
    relation: str  # 'only_sign' or 'rank'
    position: int  # 1 = first
    order: str  # 'highest' or 'lowest'
    metric: str | None  # 'change', 'difference', or None when the words do not say
    metric_words: str


def _search(pattern: str, text: str) -> re.Match | None:
    return re.search(r"(?<![\w])(?:" + pattern + r")(?![\w])", text)


def rank_terms(text: str, extreme_words: str, direction: str, number: Number | None) -> RankTerms:
    """The place a rank sentence names (module docstring); ``direction`` is the claim's own rise or fall."""
    absolute, relative = _search(ABSOLUTE, text), _search(RELATIVE, text)
    if absolute:
        metric, metric_words = "difference", absolute.group(0)
    elif relative:
        metric, metric_words = "change", relative.group(0)
    elif number is not None and number.unit == "percent":
        metric, metric_words = "change", number.span.words
    elif number is not None and number.unit == "jobs":
        metric, metric_words = "difference", number.span.words
    else:
        metric, metric_words = None, ""
    if _search(ONLY, extreme_words or text):
        return RankTerms("only_sign", 1, "highest", metric, metric_words)
    place = _search(PLACE, text)
    position = 1
    if place:
        count = place.group(1)
        ahead = int(count) if count.isdigit() else WORD_NUMBERS.get(count, 0)
        position = ahead + 1
    low = bool(_search(LOW, extreme_words)) if extreme_words else False
    # the largest fall is the lowest change; the smallest fall the highest
    order = "lowest" if (direction == "fall") != low else "highest"
    return RankTerms("rank", position, order, metric, metric_words)
