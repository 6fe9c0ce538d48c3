"""Numbers as written (digits, Dutch and English number words, "153 duizend", "een derde"), their
unit (percent, jobs, students), the hedge before them (bijna, ruim, circa, zo'n, meer dan, maar
liefst, almost, more than ...) and the claimed interval they make.

The interval rule (docs/propose.md): ``u`` is the unit the number is written to: the last decimal
(6,5 -> 0.1), the written unit times its multiplier (153 duizend -> 1,000; 8 miljoen -> 1,000,000),
for a whole number of a thousand or more in digits the place value of its last non-zero digit
(153.000 -> 1,000; 63.155 -> 1), and 1 for smaller whole numbers (2 procent, 60%: the engine's
precision axis reads a round percentage as "about" as well). A plain number, and one
marked as rounded (circa, zo'n, about), is its rounding interval [X - u/2, X + u/2); "bijna" / "almost"
is the lower half [X - u/2, X); "ruim" / "just over" the upper half (X, X + u/2]; "meer dan" / "more
than" / "of meer" is [X, no upper end); "minder dan" / "less than" (no lower end, X]. "Maar liefst"
stresses a number without changing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.reader.text import Span

WORD_NUMBERS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90, "honderd": 100,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
FRACTIONS = {"een derde": 100 / 3, "twee derde": 200 / 3, "de helft": 50.0, "een kwart": 25.0,
             "drie kwart": 75.0, "driekwart": 75.0, "a third": 100 / 3, "two thirds": 200 / 3,
             "half": 50.0, "a quarter": 25.0, "one in three": 100 / 3}
MULTIPLIERS = {"duizend": 1e3, "thousand": 1e3, "miljoen": 1e6, "million": 1e6, "miljard": 1e9,
               "billion": 1e9}
# hedge words -> the hedge's name; the name decides the interval (module docstring)
HEDGES = {
    "bijna": "almost", "vrijwel": "almost", "net geen": "almost", "nagenoeg": "almost",
    "almost": "almost", "nearly": "almost", "just under": "almost",
    "ruim": "just_over", "iets meer dan": "just_over", "just over": "just_over",
    "circa": "about", "ca.": "about", "zo'n": "about", "ongeveer": "about", "rond de": "about",
    "about": "about", "around": "about", "approximately": "about", "some": "about", "roughly": "about",
    "meer dan": "more_than", "ten minste": "more_than", "minstens": "more_than", "more than": "more_than",
    "at least": "more_than", "over": "more_than",
    "minder dan": "less_than", "less than": "less_than", "fewer than": "less_than",
    "maar liefst": "stressed", "liefst": "stressed", "no fewer than": "stressed", "as many as": "stressed",
}
PERCENT_WORDS = ("procent", "%", "percent", "per cent", "pct")
POINT_WORDS = ("procentpunt", "procentpunten", "percentage point", "percentage points")
JOB_WORDS = ("banen", "werknemersbanen", "arbeidsplaatsen", "jobs", "banen van werknemers", "werkzame personen")
STUDENT_WORDS = ("studenten", "students", "hbo'ers", "inschrijvingen", "enrolments", "eerstejaars")

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])")


@dataclass(frozen=True)
class Number:
    """One number of the sentence: its value, unit, hedge and the interval it claims."""

    value: float
    unit: str  # 'percent', 'points', 'jobs', 'students' or '' (unknown)
    hedge: str  # a HEDGES name or 'none'
    step: float  # u: the place value of the last written significant digit
    span: Span
    hedge_words: str = ""

    @property
    def interval(self) -> tuple[float | None, float | None]:
        half = self.step / 2
        if self.hedge == "almost":
            return self.value - half, self.value
        if self.hedge == "just_over":
            return self.value, self.value + half
        if self.hedge == "more_than":
            return self.value, None
        if self.hedge == "less_than":
            return None, self.value
        return self.value - half, self.value + half


def place_value(digits: str) -> float:
    """u of a number written with these digits (no separators): 65 with one decimal -> 0.1 is
    handled by the caller; here the integer part: 153000 -> 1000, 63155 -> 1, 40 -> 10."""
    stripped = digits.rstrip("0")
    return float(10 ** (len(digits) - len(stripped))) if stripped else 1.0


def _parse(token: str, english: bool) -> tuple[float, float]:
    """(value, step) of a written number. A separator followed by exactly three digits groups
    thousands (153.000, English 1,955); otherwise a comma is the Dutch decimal sign (6,5) and a
    point the English one (13.5)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token) or (english and re.fullmatch(r"\d{1,3}(?:,\d{3})+", token)):
        digits = re.sub(r"[.,]", "", token)
        return float(digits), place_value(digits)
    if re.fullmatch(r"\d+[.,]\d+", token):
        whole, frac = re.split(r"[.,]", token)
        return float(f"{whole}.{frac}"), 10.0 ** -len(frac)
    return float(token), place_value(token)


def _after(text: str, end: int, words: tuple[str, ...], reach: int = 22) -> bool:
    window = text[end:end + reach]
    return any(re.match(r"\s*(?:\)\s*)?(?:[a-z\-]+\s+){0,2}" + re.escape(w) + r"(?![\w])", window)
               or window.lstrip().startswith(w) for w in words)


def _unit(text: str, end: int) -> str:
    window = text[end:end + 30].lstrip()
    if window.startswith("%") or re.match(r"(procent|percent|per cent|pct)\b", window):
        return "percent"
    if re.match(r"(procentpunt|percentage point)", window):
        return "points"
    if _after(text, end, JOB_WORDS, 40):
        return "jobs"
    if _after(text, end, STUDENT_WORDS, 40):
        return "students"
    return ""


def _hedge(text: str, start: int) -> tuple[str, str]:
    before = text[max(0, start - 24):start]
    for words in sorted(HEDGES, key=len, reverse=True):
        if re.search(r"(?<![\w])" + re.escape(words) + r"\s*(?:met\s+|by\s+)?$", before):
            return HEDGES[words], words
    return "none", ""


def find_numbers(text: str, english: bool, years: list[Span]) -> list[Number]:
    """Every number of the normalised sentence that is not a year, with unit and hedge."""
    taken = [(y.start, y.end) for y in years]
    found: list[Number] = []
    for phrase, value in FRACTIONS.items():
        for match in re.finditer(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", text):
            hedge, words = _hedge(text, match.start())
            found.append(Number(value, "percent", hedge, 1.0, Span(match.start(), match.end(), match.group(0)), words))
            taken.append((match.start(), match.end()))
    for match in _NUMBER.finditer(text):
        if any(lo <= match.start() < hi for lo, hi in taken) or text[match.end():match.end() + 1] in "-/" \
                and re.match(r"[-/]\d", text[match.end():match.end() + 2]):
            continue
        value, step = _parse(match.group(1), english)
        if value < 1000 and step > 1:
            step = 1.0  # 20 procent, 60%: written to the unit
        end = match.end()
        mult = re.match(r"\s*(duizend|thousand|miljoen|million|miljard|billion)\b", text[end:])
        if mult:
            factor = MULTIPLIERS[mult.group(1)]
            step = min(step, 1.0) if value >= 1 else step
            value, step, end = value * factor, step * factor, end + mult.end()
        hedge, words = _hedge(text, match.start())
        if re.match(r"\s*(procent|%|percent)?\s*of meer", text[end:]):
            hedge, words = "more_than", "of meer"
        found.append(Number(value, _unit(text, end), hedge, step, Span(match.start(), end, text[match.start():end]), words))
    for word, value in WORD_NUMBERS.items():
        pattern = r"(?<![\w])" + word + r"\s+(procent|percent|per cent|duizend|thousand)(?![\w])"
        for match in re.finditer(pattern, text):
            factor = MULTIPLIERS.get(match.group(1), 1.0)
            hedge, words = _hedge(text, match.start())
            unit = "percent" if factor == 1.0 else _unit(text, match.end())
            found.append(Number(value * factor, unit, hedge, factor,
                                Span(match.start(), match.end(), match.group(0)), words))
    return sorted(found, key=lambda n: n.span.start)
