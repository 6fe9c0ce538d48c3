"""Translations as data: message catalogues in ``data/messages/*.toml``, rendered per language.

Every text a reader sees (verdict words, reasons, counter-arguments, headings, axis labels) is a
message key with named parameters. A catalogue file holds, per key, one template per language::

    ["verdict.holds"]
    en = "{region} grew {growth} from {base} to {end}"
    nl = "{region} groeide {growth} van {base} tot {end}"

Numbers are not formatted by hand: a parameter that is a :class:`Num` is formatted for the
language with Babel (``5,7%`` and ``1.800`` in Dutch, ``5.7%`` and ``1,800`` in English); a
parameter that is a :class:`Text` is rendered in the same language first (nested messages); a
``dict`` with ``en`` / ``nl`` keys picks its language (for names that are data, such as claim
quotes).

Plural forms follow the language's CLDR plural rules through Babel, never a hand-made "(en)"::

    nl = "Nog {n} {n, plural, one {lezing gebruikt} other {lezingen gebruiken}} latere gegevens."

``{name, plural, CATEGORY {words} ...}`` picks the words for the plural category (``one``,
``other``; ``zero``, ``two``, ``few``, ``many`` where a language has them) of the parameter
``name``; ``other`` is required. A form may hold plain ``{param}`` fields, no nested plural.

Several catalogue files exist so that parts of the package can add keys without editing
one shared file; a key defined twice is an error.

Stage-free: this module imports nothing of the pipeline, so every stage may use it.
"""

from __future__ import annotations

import math
import numbers
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent

LANGUAGES: tuple[str, ...] = ("nl", "en")  # nl is the default edition
DEFAULT_LANGUAGE = "nl"
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
# a value's unit -> the message that prints a value in it ("1.700 banen", "0,5% per jaar")
UNIT_MESSAGES = {"percent": "page.unit.percent", "percentage points": "page.unit.percentage_points",
                 "percent per year": "page.unit.percent_per_year", "percent a year": "page.unit.percent_per_year",
                 "percentage points a year": "page.unit.points_per_year", "jobs": "page.unit.jobs",
                 "persons": "page.unit.persons", "students": "page.unit.students"}
COUNT_UNITS = ("jobs", "persons", "students")  # whole numbers
MESSAGES_DIR = Path(__file__).resolve().parent / "data" / "messages"


class MessageError(KeyError):
    """A missing key, a missing language or a missing parameter in a message catalogue."""

    def __str__(self) -> str:  # KeyError quotes its message; plain text reads better
        return str(self.args[0])


@dataclass(frozen=True)
class Num:
    """A number to be formatted for the reader's language.

    ``style``: ``"number"`` (``1.800``), ``"percent"`` (value in percent points, ``5,7%``),
    ``"points"`` (percentage points, ``1,2 procentpunt`` is left to the template: formatted like a
    number), ``"year"`` (``2016``, never grouped). ``decimals``: digits after the decimal sign.
    ``signed``: show ``+`` for positive values. ``round_to``: round to a multiple first (for
    example 100 for job counts built from data rounded to hundreds).
    """

    value: float | None
    style: str = "number"
    decimals: int = 0
    signed: bool = False
    round_to: float | None = None

    def format(self, lang: str) -> str:
        return format_num(self, lang)


@dataclass(frozen=True)
class Text:
    """A message: a catalogue key and its parameters, rendered with :func:`render`."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return render(self.key, lang, **dict(self.params))

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": {k: _param_json(v) for k, v in self.params.items()},
                "en": self.render("en"), "nl": self.render("nl")}


def _param_json(value: Any) -> Any:
    if isinstance(value, Num):
        return value.value
    if isinstance(value, Text):
        return value.to_json()
    return value


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise MessageError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")


def format_num(num: Num | float, lang: str) -> str:
    """Format a number for ``lang`` with Babel (see :class:`Num`)."""
    _check_language(lang)
    if not isinstance(num, Num):
        num = Num(float(num))
    try:
        return _formatted(num, lang)
    except TypeError:  # an unhashable value (a numpy array by mistake): Babel says what is wrong
        return _formatted.__wrapped__(num, lang)


@lru_cache(maxsize=65536)
def _formatted(num: Num, lang: str) -> str:
    """:func:`format_num`, memoised: a page formats the same few thousand numbers tens of thousands
    of times (every text of every setting, in both languages), and Babel is slow at it."""
    if num.value is None or num.value != num.value:  # None or NaN
        return "–"
    value = float(num.value)
    if num.round_to and math.isfinite(value):
        value = round(value / num.round_to) * num.round_to
    locale = LOCALES[lang]
    if num.style == "year":
        return str(round(value))
    pattern = "#,##0" + ("." + "0" * num.decimals if num.decimals > 0 else "")
    if num.style == "percent":
        text = format_percent(value / 100.0, format=pattern + "%", locale=locale)
    else:
        text = format_decimal(value, format=pattern, locale=locale)
    text = text.replace("\u2212", "-")
    if text.startswith("-") and float(text.strip("-%").replace(",", "").replace(".", "") or 0) == 0:
        text = text[1:]  # "-0,0%" after rounding reads as a fall that is not there
    if num.signed and value > 0 and not text.startswith("-") and text.strip("%0,.") != "":
        text = "+" + text
    return text


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages: key -> {language: template}, merged from every file in ``data/messages``."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(MESSAGES_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for key, templates in data.items():
            if key in merged:
                raise MessageError(f"message {key!r} is defined twice (again in {path.name}): "
                                   "keep one definition")
            if not isinstance(templates, dict) or set(LANGUAGES) - set(templates):
                raise MessageError(f"message {key!r} in {path.name} needs a template for each of "
                                   f"{', '.join(LANGUAGES)}")
            for lang in LANGUAGES:
                if ", plural," in PLURAL_PATTERN.sub("", str(templates[lang])):
                    raise MessageError(f"message {key!r} in {path.name} ({lang}): a plural is not written "
                                       "as {name, plural, one {words} other {words}}")
            merged[key] = templates
    return merged


# ``{name, plural, one {words} other {words}}``: a form holds words and plain ``{param}`` fields.
_FORM_BODY = r"((?:[^{}]|\{\w+\})*)"
PLURAL_PATTERN = re.compile(r"\{(\w+), plural,((?:\s*\w+\s*\{" + _FORM_BODY + r"\})+)\s*\}")
PLURAL_FORM = re.compile(r"(\w+)\s*\{" + _FORM_BODY + r"\}")


def plural_category(count: Any, lang: str) -> str:
    """The CLDR plural category (``one``, ``other``, ...) of ``count`` in ``lang``, by Babel.

    A :class:`Num` counts as it is shown: ``1`` is singular, ``1,0`` (one decimal) is not. A string
    of digits counts as its number; any other string is refused (it may be formatted already)."""
    _check_language(lang)
    if isinstance(count, Num):
        if count.value is None or count.value != count.value:
            return "other"
        count = Decimal(f"{float(count.value):.{max(count.decimals, 0)}f}")
    elif isinstance(count, str) and count.isdigit():  # a count a template already wrote out ("6")
        count = int(count)
    elif isinstance(count, bool) or not isinstance(count, numbers.Real | Decimal):
        raise MessageError(f"a plural needs a number, got {count!r}: pass the count as an int or a Num")
    elif isinstance(count, numbers.Integral) or float(count).is_integer():
        count = int(count)  # numpy integers and whole floats (a count from pandas) count as integers
    return Locale.parse(LOCALES[lang]).plural_form(count)


def _choose_plurals(key: str, template: str, lang: str, params: Mapping[str, Any]) -> str:
    """Replace every ``{name, plural, ...}`` in ``template`` by the words for ``params[name]``."""

    def choose(match: re.Match[str]) -> str:
        name, body = match.group(1), match.group(2)
        forms = dict(PLURAL_FORM.findall(body))
        if "other" not in forms:
            raise MessageError(f"message {key!r} ({lang}): the plural of {name!r} needs an 'other' form")
        if name not in params:
            raise MessageError(f"message {key!r} needs the parameter '{name}' (it chooses a plural form)")
        return forms.get(plural_category(params[name], lang), forms["other"])

    return PLURAL_PATTERN.sub(choose, template)


def _render_param(value: Any, lang: str) -> Any:
    if isinstance(value, Num):
        return value.format(lang)
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, Mapping) and set(LANGUAGES) <= set(value):
        return value[lang]
    if isinstance(value, float | int) and not isinstance(value, bool):
        return format_num(Num(value, decimals=0 if float(value).is_integer() else 1), lang)
    return value


def render(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message ``key`` in ``lang`` with its parameters filled in."""
    _check_language(lang)
    templates = catalogue().get(key)
    if templates is None:
        raise MessageError(f"no message {key!r} in {MESSAGES_DIR}: add it to a catalogue file there")
    values = {name: _render_param(value, lang) for name, value in params.items()}
    template = _choose_plurals(key, templates[lang], lang, params)
    try:
        return template.format(**values)
    except KeyError as missing:
        raise MessageError(f"message {key!r} needs the parameter {missing}") from None


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Short alias of :func:`render` for templates and notebooks."""
    return render(key, lang, **params)
