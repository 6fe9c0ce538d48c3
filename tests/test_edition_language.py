"""Each edition speaks its own language (issue 15, items 6 and 10).

Fast tests: plural forms through Babel's CLDR rules in the message catalogues (``{n, plural, one
{...} other {...}}``), worked out by hand for Dutch and English, and no hand-made "(en)" / "(s)"
plural left in any catalogue.

Slow test: the real site is built once (the same build as tests/test_real_report.py) and the text a
reader sees on every page is read with BeautifulSoup: Dutch pages may hold no English word and
English pages no Dutch word from the lists below, and no page may show an internal identifier
(snake_case field names, DUO BRIN codes, CBS COROP codes, file paths). Exempt, because they are not
prose a reader is asked to read: ``<script>``, ``<style>``, ``<code>``/``<pre>`` and notebook code
cells (code shown on request), elements marked with another ``lang`` (the language switch, a quoted
title), the header's region line ("Twente (CR12)") and, for identifiers only, the footer (the
registry fingerprint and the package version live there). Region names are data, not prose: they
are taken out of the English text before the Dutch word check ("Het Gooi en Vechtstreek").
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import i18n
from analysis.i18n import MessageError, Num, Text, plural_category, render
from test_real_report import real_site  # noqa: F401  (the module-scoped build of the real site)

# English words that are not Dutch words ("of", "over", "data", "was", "is", "in" are both).
ENGLISH_WORDS = (
    "the", "and", "with", "between", "jobs", "growth", "edition", "published", "reuse", "free",
    "points", "year", "years", "oldest", "newest", "which", "this", "that", "from",
    "employed", "labour", "accounts", "reading", "readings", "claimed", "holds", "region",
    "regions", "share", "would", "could", "only", "than", "figure", "figures", "chart", "source",
    "sources", "retrieved", "release", "provisional", "located", "rows", "about", "successor",
    "discontinued", "more", "without", "count", "where", "when", "there", "were", "are", "not",
    "its", "their", "rank", "ranks", "students", "employment", "whole",
)
# Dutch words that are not English words (nor parts of COROP region names, which are removed first).
DUTCH_WORDS = (
    "het", "tussen", "banen", "groei", "werkgelegenheid", "bewering", "beweringen", "lezing",
    "lezingen", "niet", "jaar", "landelijk", "daling", "procentpunt", "gegevens", "opgehaald",
    "oordeel", "werknemers", "uitgave", "een", "voor", "naar", "wordt", "zijn", "heeft", "ook",
    "maar", "alleen", "werkzame", "personen", "gemiddeld", "waarde", "plaats", "regio", "editie",
    "oudste", "nieuwste", "vrij", "hergebruik", "telling",
)
DUTCH_PHRASES = ("van de", "van het", "in de", "op de")
IDENTIFIERS = {
    "snake_case name": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "BRIN code": re.compile(r"\b[0-9]{2}[A-Z]{2}\b"),
    "COROP code": re.compile(r"\bCR[0-9]{2}\b"),
    "file path": re.compile(r"[\w.-]+/[\w./-]*\w|\b[\w-]+\.(?:csv|toml|json|py|ipynb)\b"),
}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# --- plural forms (fast) -------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "lang", "category"), [
    (0, "nl", "other"), (1, "nl", "one"), (2, "nl", "other"), (40, "nl", "other"),
    (0, "en", "other"), (1, "en", "one"), (2, "en", "other"),
    (Num(1), "nl", "one"),  # shown as "1"
    (Num(1.0, decimals=1), "nl", "other"),  # shown as "1,0": CLDR counts visible decimals
    (Num(1.0, decimals=1), "en", "other"),
    (1.5, "en", "other"),
])
def test_plural_category_follows_cldr(count, lang: str, category: str) -> None:
    assert plural_category(count, lang) == category


def test_plural_category_takes_numpy_counts() -> None:
    np = pytest.importorskip("numpy")
    assert plural_category(np.int64(1), "nl") == "one"
    assert plural_category(np.float64(3.0), "en") == "other"


def test_plural_category_refuses_what_is_not_a_number() -> None:
    assert plural_category("1", "nl") == "one"  # digits a template wrote out
    with pytest.raises(MessageError, match="plural needs a number"):
        plural_category("1.800", "nl")  # formatted already: which number is it?
    with pytest.raises(MessageError, match="plural needs a number"):
        plural_category(True, "nl")


def test_messages_choose_singular_and_plural_in_each_language() -> None:
    # worked out by hand: one reading / two readings, and the verb agrees
    assert render("page.perturb.later_apart", "nl", n=1, year=Num(2017, "year")).startswith(
        "Nog 1 lezing gebruikt gegevens die op de datum van de bewering niet openbaar waren; die telt niet mee "
        "en staat bij")
    assert render("page.perturb.later_apart", "nl", n=43, year=Num(2017, "year")).startswith(
        "Nog 43 lezingen gebruiken gegevens die op de datum van de bewering niet openbaar waren; die tellen "
        "niet mee en staan bij")
    assert render("page.perturb.later_apart", "en", n=1, year=Num(2017, "year")).startswith(
        "Another 1 reading uses data that were not public on the claim's date; it does not count and is")
    assert render("page.expost.later_readings", "nl", n=1, n_holds=0) == (
        "Op latere gegevens is er 1 lezing; de bewering klopt in 0 van de 1.")
    assert render("page.expost.later_readings", "nl", n=43, n_holds=3) == (
        "Op latere gegevens zijn er 43 lezingen; de bewering klopt in 3 van de 43.")
    assert render("page.headline_series.alt_no_reading", "nl", n=1, first=2010, last=2016).startswith(
        "Lijndiagram van 1 reeks van")
    assert render("page.perturb.counts", "nl", claim=Text("page.perturb.the_claim"), n=85, n_holds=21,
                  n_unevaluable=1) == (
        "85 andere lezingen (na samenvoegen van gelijke uitkomsten); de bewering klopt in 21 van de 85. "
        "1 combinatie is met deze gegevens niet te berekenen.")


def test_a_plural_without_other_or_without_its_count_is_an_error(monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('["x.one_only"]\nnl = "{n} {n, plural, one {jaar}}"\nen = "{n} years"\n'
                                     '["x.fine"]\nnl = "{n} {n, plural, one {jaar} other {jaren}}"\n'
                                     'en = "{n} {n, plural, one {year} other {years}}"\n')
    monkeypatch.setattr(i18n, "MESSAGES_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(MessageError, match="needs an 'other' form"):
            render("x.one_only", "nl", n=2)
        with pytest.raises(MessageError, match="needs the parameter 'n'"):
            render("x.fine", "en")
        assert render("x.fine", "en", n=1) == "1 year"
    finally:
        i18n.catalogue.cache_clear()


def test_a_misspelt_plural_is_refused_when_the_catalogue_loads(monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('["x.bad"]\nnl = "{n, plural, one {jaar} other {jaren}"\nen = "x"\n')
    monkeypatch.setattr(i18n, "MESSAGES_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(MessageError, match="plural is not written"):
            i18n.catalogue()
    finally:
        i18n.catalogue.cache_clear()


def test_no_catalogue_entry_makes_a_plural_by_hand() -> None:
    by_hand = re.compile(r"[^\W\d_]\((?:en|s|n)\)")  # "reeks(en)", "region(s)"
    found = {key: text for key, templates in i18n.catalogue().items()
             for text in (templates["nl"], templates["en"]) if by_hand.search(str(text))}
    assert not found, f"use {{n, plural, one {{...}} other {{...}}}} instead: {found}"


# --- the built site (slow) -----------------------------------------------------------------------


def _page_text(path: Path) -> tuple[str, str, str]:
    """(language, text a reader sees outside the footer, footer text) of one HTML page."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    lang = soup.html.get("lang", "")
    for element in soup(["script", "style", "code", "pre", "head", "noscript", "metadata", "defs"]):
        element.decompose()
    for element in soup.select(".code_cell .input, .input_area, .site-header .region"):
        element.decompose()
    for element in soup.find_all(lang=True):
        if element.name != "html" and element.get("lang") != lang:
            element.decompose()
    for image in soup.find_all(alt=True):  # alternative texts are read aloud
        image.insert_after(" " + image["alt"] + " ")
    footer = soup.find("footer")
    footer_text = footer.get_text(" ") if footer else ""
    if footer:
        footer.decompose()
    return lang, soup.get_text(" "), footer_text


def _regions(root: Path) -> dict[str, str]:
    """COROP code -> name (and the other regions' names under their own codes), longest name first."""
    jobs = pd.read_csv(root / "data" / "processed" / "jobs.csv", usecols=["region_code", "region_name"])
    pairs = jobs.dropna().drop_duplicates("region_code").astype(str)
    names = pairs["region_name"].str.replace(r"\s*\((?:CR|PV|LD)\)$", "", regex=True)  # "Twente (CR)"
    return dict(sorted(zip(pairs["region_code"], names, strict=True),
                       key=lambda pair: len(pair[1]), reverse=True))


def _without_region_names(text: str, regions: dict[str, str]) -> str:
    """``text`` without region names, each with its code beside it ("Twente (CR12)", "Twente CR12"):
    a code next to its name labels the region, a code instead of the name is what the test finds."""
    codes_of: dict[str, list[str]] = {}
    for code, name in regions.items():  # "Utrecht" names a province and a COROP region
        codes_of.setdefault(name, []).append(code)
    for name, codes in codes_of.items():
        either = "|".join(codes)
        text = re.sub(rf"{re.escape(name)}\s*(?:\((?:{either})\)|(?:{either})\b)?", " ", text)
    return text


def _words_found(text: str, words: tuple[str, ...], phrases: tuple[str, ...] = ()) -> set[str]:
    found = {w for w in WORD.findall(text) if w.lower() in words}
    lowered = " ".join(WORD.findall(text.lower()))
    return found | {p for p in phrases if f" {p} " in f" {lowered} "}


def _context(text: str, needle: str) -> str:
    at = re.search(rf"\b{re.escape(needle)}\b", text) or re.search(re.escape(needle), text)
    start = max(at.start() - 60, 0) if at else 0
    return " ".join(text[start:start + 140].split())


@pytest.mark.slow
def test_every_page_speaks_its_editions_language_without_identifiers(real_site: Path) -> None:  # noqa: F811
    reports = real_site / "reports"
    pages = sorted(reports.glob("*.html")) + sorted((reports / "en").glob("*.html"))
    assert len(pages) >= 2 * 6, f"expected both editions under {reports}, found {pages}"
    regions = _regions(real_site)
    problems: list[str] = []
    for page in pages:
        lang, text, footer = _page_text(page)
        where = page.relative_to(reports)
        assert lang in ("nl", "en"), f"{where}: <html lang> is {lang!r}"
        prose = _without_region_names(text + " " + footer, regions)  # names are data, not prose
        if lang == "nl":
            foreign = _words_found(prose, ENGLISH_WORDS)
        else:
            foreign = _words_found(prose, DUTCH_WORDS, DUTCH_PHRASES)
        problems += [f"{where}: {'English' if lang == 'nl' else 'Dutch'} word {w!r} in “…{_context(text, w)}…”"
                     for w in sorted(foreign)]
        body = _without_region_names(text, regions)
        for kind, pattern in IDENTIFIERS.items():
            for token in sorted(set(pattern.findall(body))):
                problems.append(f"{where}: {kind} {token!r} in “…{_context(text, token)}…”")
    assert not problems, (f"{len(problems)} words or identifiers of the wrong kind in the visible text "
                          "(fix them in the message catalogues, claims.toml or the code that passes raw "
                          "values):\n" + "\n".join(problems[:200]))
