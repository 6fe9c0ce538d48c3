"""The method page: docs/method.nl.md and docs/method.en.md rendered into the site as method.html.

Fast tests read the two documents themselves (titles, the rule quoted verbatim from the message
catalogue and from verdict.py, every verdict word, no English in the Dutch edition) and the pieces
of analysis.report.method; the ``slow`` ones build the synthetic project of tests/test_report.py
and check the written site: the page in both editions, a link to it on every page, and a rebuild
when only a document changed.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.engine import verdict
from analysis.engine.registry import load_registry
from analysis.engine.result import VERDICT_CODES
from analysis.i18n import catalogue
from analysis.report import method
from test_report import build, make_project, use_project

DOCS = Path(__file__).resolve().parents[1] / "docs"
LINK_WORDS = {"nl": "Hoe wij een bewering controleren", "en": "How we check a claim"}  # as the brief names them
# Words that occur in ordinary English sentences and are no Dutch words.
ENGLISH_WORDS = {"the", "and", "which", "with", "when", "where", "would", "should", "from", "this", "that",
                 "these", "claim", "reading", "verdict", "threshold", "weight", "holds", "fails"}


def _source(lang: str) -> str:
    return (DOCS / f"method.{lang}.md").read_text(encoding="utf-8")


def _plain(markdown_text: str) -> str:
    """The document's words on one line: block-quote markers, emphasis and code marks removed."""
    text = re.sub(r"^\s*>\s?", "", markdown_text, flags=re.MULTILINE)
    text = text.replace("**", "").replace("`", "")
    return " ".join(text.split())


def _text(html: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def _sentences(html: str) -> list[str]:
    """The sentences of a page with at least four words, block by block (a heading is not glued
    to the paragraph after it)."""
    from bs4 import BeautifulSoup

    blocks = BeautifulSoup(html, "html.parser").find_all(["h1", "h2", "h3", "p", "li", "th", "td"])
    found = []
    for block in blocks:
        text = " ".join(block.get_text(" ").split())
        found += [s.strip() for s in re.split(r"[.!?:;()]|\s[—–]\s", text) if len(s.split()) >= 4]
    return found


# --- fast: the documents ---------------------------------------------------------------------------


def test_documents_are_titled_with_the_link_words() -> None:
    for lang, words in LINK_WORDS.items():
        assert _source(lang).splitlines()[0] == f"# {words}"
        assert catalogue()["method.nav"][lang] == words
        assert method.document(lang)[0] == words


def test_each_document_quotes_the_verdict_rule_as_the_report_prints_it() -> None:
    """The rule with the registry's thresholds, word for word as the claim pages show it."""
    meta = load_registry().meta
    for lang in ("nl", "en"):
        assert verdict.rule_text(meta).render(lang) in _plain(_source(lang)), lang
    assert verdict.thresholds(meta) == {"supported": 0.75, "fragile": 0.5, "cherry_picked": 0.8}
    english = _plain(_source("en"))
    assert "supported 0.75, fragile 0.5, cherry-picked 0.8" in english
    assert "ondersteund 0,75, wankel 0,5, uitgekozen 0,8" in _plain(_source("nl"))
    # the numbered rule of verdict.py's docstring, verbatim in the English edition
    docstring = verdict.__doc__
    numbered = docstring[docstring.index("1. a claim"):docstring.index("borderline otherwise.") + 21]
    assert _plain(numbered) in english


def test_each_document_names_every_verdict_in_its_language() -> None:
    for lang in ("nl", "en"):
        text = _plain(_source(lang))
        for code in VERDICT_CODES:
            word = catalogue()[f"verdict.{code}"][lang]
            assert f"| {word} |" in text, (lang, word)


def test_neighbouring_thresholds_are_the_ones_the_engine_tries() -> None:
    assert verdict.NEIGHBOURS == (-0.10, -0.05, 0.05, 0.10)
    assert "by −0.10, −0.05, +0.05 and +0.10" in _plain(_source("en"))
    assert "met −0,10, −0,05, +0,05 en +0,10" in _plain(_source("nl"))


def test_the_dutch_edition_has_no_sentence_of_the_english_one_and_no_english_words() -> None:
    sentences, dutch = _sentences(method.document("en")[1]), _text(method.document("nl")[1])
    assert len(sentences) > 100  # the split found the English edition's sentences
    assert "A single calculation would hide how much the outcome depends on our choices" in sentences
    copied = [s for s in sentences if s in dutch]
    assert copied == []
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", dutch)}
    assert words & ENGLISH_WORDS == set()
    assert "src/" not in dutch and "python" not in dutch.lower()  # no paths or commands for Dutch readers


def test_markdown_becomes_html_with_the_title_marked_and_raw_html_escaped() -> None:
    title, body = method.to_html("# Titel\n\nTekst <script>x</script>.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert title == "Titel"
    assert body.startswith('<h1 class="page-title">Titel</h1>')
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "<table>" in body and "<td>1</td>" in body
    with pytest.raises(ValueError, match="must open with a '# ' heading"):
        method.to_html("## Geen titel\n")


def test_a_missing_document_is_named_with_the_way_out(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"method\.en\.md is missing.*git checkout -- docs/"):
        method.source_file("en", tmp_path)
    with pytest.raises(ValueError, match="unknown language 'de'"):
        method.source_file("de", tmp_path)


PAGE = """<html><body><header class="site-header">
  <a class="home" href="index.html">home</a>
  <a class="nav" href="league.html">All regions</a>
  <span class="region">Twente</span>
</header><main><a class="nav" href="x.html">not the header</a></main></body></html>"""


def test_the_link_goes_after_the_header_navigation_once() -> None:
    linked = method.with_link(PAGE, "en")
    expected = '<a class="nav" href="league.html">All regions</a>\n  <a class="nav" href="method.html">How we check a claim</a>'
    assert expected in linked
    assert linked.count('href="method.html"') == 1
    assert method.with_link(linked, "en") == linked  # a header that links it already is left alone
    assert 'href="method.html">Hoe wij een bewering controleren</a>' in method.with_link(PAGE, "nl")
    with pytest.raises(ValueError, match="no <header"):
        method.with_link("<html><body></body></html>", "nl")
    with pytest.raises(ValueError, match='no <a class="nav">'):
        method.with_link('<header class="site-header"><span>x</span></header>', "nl")


# --- slow: the built site --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def method_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, pytest.MonkeyPatch]]:
    """The synthetic project of test_report built once, with a private copy of docs/."""
    root = make_project(tmp_path_factory.mktemp("project"))
    docs = tmp_path_factory.mktemp("docs")
    for lang in ("nl", "en"):
        shutil.copyfile(DOCS / f"method.{lang}.md", docs / f"method.{lang}.md")
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_project(monkeypatch, root)
        monkeypatch.setattr(method, "DOCS_DIR", docs)
        build()
        yield root, docs, monkeypatch


@pytest.mark.slow
def test_the_method_page_is_built_in_both_editions(method_site) -> None:
    root, _docs, _ = method_site
    reports = root / "reports"
    dutch, english = (reports / "method.html").read_text(), (reports / "en" / "method.html").read_text()
    assert '<html lang="nl">' in dutch and '<html lang="en">' in english
    assert '<h1 class="page-title">Hoe wij een bewering controleren</h1>' in dutch
    assert '<h1 class="page-title">How we check a claim</h1>' in english
    assert "<h2>6. Het oordeel</h2>" in dutch and "<h2>6. The verdict</h2>" in english
    assert 'href="en/method.html"' in dutch and 'href="../method.html"' in english  # the language switch
    for html, folder in ((dutch, reports), (english, reports / "en")):  # the site's one style file
        style = re.search(r'<link rel="stylesheet" href="([^"]+)">', html).group(1)
        assert (folder / style).resolve().parent == reports / "static"
        assert "--accent" in (folder / style).read_text()
        assert 'id="code-toggle"' not in html  # no code on this page, so no "show code" button
        assert "<table>" in html and "<blockquote>" in html


@pytest.mark.slow
def test_every_page_of_the_built_site_links_the_method_page(method_site) -> None:
    from bs4 import BeautifulSoup

    root, _docs, _ = method_site
    for lang, folder in (("nl", root / "reports"), ("en", root / "reports" / "en")):
        pages = sorted(folder.glob("*.html"))
        assert {p.name for p in pages} >= {"index.html", "league.html", "overview.html", "after-2017.html",
                                           "claim-jobs-grew.html", "claim-students-share.html", "method.html"}
        for page in pages:
            links = BeautifulSoup(page.read_text(), "html.parser").select('header.site-header a[href="method.html"]')
            assert [a.get_text() for a in links] == [LINK_WORDS[lang]], page


@pytest.mark.slow
def test_a_changed_document_renders_the_site_again_without_executing_pages(method_site) -> None:
    root, docs, _ = method_site
    assert any("Nothing changed since the last build" in line for line in build())
    source = docs / "method.en.md"
    source.write_text(source.read_text().replace("This page explains", "This page sets out"))
    lines = build()
    assert any("Executing 0 of 4 pages (4 unchanged)" in line for line in lines)
    assert "This page sets out" in (root / "reports" / "en" / "method.html").read_text()
    assert any("Nothing changed since the last build" in line for line in build())
