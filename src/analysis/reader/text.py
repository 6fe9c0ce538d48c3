"""A sentence as matchable text: lower case, one kind of dash and apostrophe, single spaces.

Every vocabulary match is a :class:`Span` over this normalised text, so the words that set a
parameter can be quoted back from the sentence (the normalisation keeps the length of the text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                              "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\n": " ", "\t": " ", "\r": " ",
                              "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the sentence, the words found there and what they mean."""

    start: int
    end: int
    words: str
    value: object = None

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def normalise(sentence: str) -> str:
    """Lower case with typographic dashes, quotes and white space made plain (same length)."""
    return sentence.translate(_SAME_LENGTH).lower()


def find_phrases(text: str, phrases: dict[str, object]) -> list[Span]:
    """Every whole-word occurrence of the phrases (longest first; a shorter phrase inside a longer
    match is not reported again)."""
    found: list[Span] = []
    for phrase in sorted(phrases, key=len, reverse=True):
        pattern = r"(?<![\w])" + re.escape(phrase) + r"(?![\w])"
        for match in re.finditer(pattern, text):
            span = Span(match.start(), match.end(), match.group(0), phrases[phrase])
            if not any(span.overlaps(other) for other in found):
                found.append(span)
    return sorted(found, key=lambda s: s.start)


def outside(spans: list[Span], blocked: list[tuple[int, int]]) -> list[Span]:
    """The spans that do not start inside one of the blocked character ranges."""
    return [s for s in spans if not any(lo <= s.start < hi for lo, hi in blocked)]


def is_english(text: str) -> bool:
    """A sentence with more common English than Dutch function words is read as English."""
    english = len(re.findall(r"\b(the|of|and|in the|was|were|with|by|jobs|number|than|has|have)\b", text))
    dutch = len(re.findall(r"\b(de|het|een|van|en|in de|was|waren|met|door|banen|aantal|dan|is|zijn)\b", text))
    return english > dutch
