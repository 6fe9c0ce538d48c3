"""The page frame every page shares (templates/_layout.html.j2, report.css): skip link, navigation
landmark, current page and edition, the method link, wide tables in their own scrolling box.

Pages are rendered through analysis.site.render without a build (fast); what a browser makes of
them (no sideways scrolling, tab order, focus rings) is tested in tests/test_browser.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from analysis.report import method
from analysis.report.parameters import BuildParameters
from analysis.site import render

CONTEXT = render.SiteContext(
    parameters=BuildParameters("CR12", "Twente (CR)"),
    built_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    manifest={"built_at": "2026-02-28T10:00:00+00:00",
              "inputs": [{"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen van werknemers",
                          "licence": "CC BY 4.0", "retrieved_at": "2026-02-27T09:00:00+00:00", "mode": "mirror"}]},
    code_version="0.0-test", registry_hash="ab" * 32)
SKIP_WORDS = {"nl": "Naar de inhoud", "en": "Skip to content"}
NAV_NAMES = {"nl": "Hoofdmenu", "en": "Main menu"}
CLAIM_PAGE = "claim-jobs-grew.html"


def notebook_page(lang: str) -> str:
    body = render.NotebookBody('<h1 class="page-title">Banen groeiden</h1><p>Tekst.</p>', 0)
    return render.render_page(body, CONTEXT, lang, CLAIM_PAGE, "Banen")[0]


def index_page(lang: str) -> str:
    changes = [{"title": "Banen groeiden", "what": "oordeel", "old": "ondersteund", "new": "twijfelachtig"}]
    return render.render_index(CONTEXT, lang, cards=[], pages=[], changes=changes, league=True)


def method_page(lang: str) -> str:
    return render.render_method(CONTEXT, lang)


PAGES = {"index.html": index_page, CLAIM_PAGE: notebook_page, "method.html": method_page}


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def focusable(document: BeautifulSoup) -> list:
    """Elements a keyboard reaches, in document order (hidden buttons and tabindex=-1 excluded)."""
    def reachable(tag) -> bool:
        if tag.has_attr("hidden") or tag.get("tabindex") == "-1":
            return False
        if tag.name == "a":
            return tag.has_attr("href")
        return tag.name in {"button", "summary", "input", "select", "textarea"} or tag.has_attr("tabindex")
    return document.body.find_all(reachable)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_skip_link_comes_first_and_leads_to_the_main_content(name: str, lang: str) -> None:
    document = soup(PAGES[name](lang))
    first = focusable(document)[0]
    assert first.get("class") == ["skip-link"] and first.get_text() == SKIP_WORDS[lang]
    assert first["href"] == "#content"
    main = document.find("main")
    assert main["id"] == "content"
    assert main["tabindex"] == "-1"  # focus moves there with the skip, so the next Tab continues inside it


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("name", "current"), [("index.html", "index.html"), ("method.html", "method.html"),
                                               (CLAIM_PAGE, None)])
def test_one_labelled_nav_marks_the_current_page(name: str, current: str | None, lang: str) -> None:
    document = soup(PAGES[name](lang))
    navs = document.find_all("nav")
    assert [nav.get("aria-label") for nav in navs] == [NAV_NAMES[lang]]
    links = navs[0].find_all("a")
    assert [a["href"] for a in links] == ["index.html", "league.html", "method.html"]
    marked = [a["href"] for a in document.find_all(attrs={"aria-current": "page"})]
    assert marked == ([current] if current else [])


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_method_link_is_part_of_the_layout(name: str, lang: str) -> None:
    html = PAGES[name](lang)
    header = soup(html).find("header", class_="site-header")
    words = {"nl": "Hoe wij een bewering controleren", "en": "How we check a claim"}[lang]
    assert [a.get_text() for a in header.select('a[href="method.html"]')] == [words]
    assert method.with_link(html, lang) == html  # nothing left for the inserting fallback to do


@pytest.mark.parametrize(("lang", "other_lang", "other_href"),
                         [("nl", "en", "en/" + CLAIM_PAGE), ("en", "nl", "../" + CLAIM_PAGE)])
def test_language_switch_names_both_editions_and_marks_the_one_shown(lang: str, other_lang: str,
                                                                      other_href: str) -> None:
    document = soup(notebook_page(lang))
    switch = document.find("ul", class_="languages")
    assert switch["aria-label"] == {"nl": "Taal", "en": "Language"}[lang]
    items = [li.find(True) for li in switch.find_all("li")]
    assert [(item.get_text(), item["lang"]) for item in items] == [("Nederlands", "nl"), ("English", "en")]
    # The edition shown is marked and is no link (it would lead to itself); the other one is the link.
    current = [item for item in items if item.has_attr("aria-current")]
    assert [(item.name, item["aria-current"], item["lang"]) for item in current] == [("span", "true", lang)]
    links = switch.find_all("a")
    assert [(a["class"], a["hreflang"], a["href"]) for a in links] == [(["lang-switch"], other_lang, other_href)]


def test_header_names_the_region_without_its_code() -> None:
    assert soup(notebook_page("nl")).select_one("header .region").get_text() == "Twente"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_index_tables_scroll_inside_a_labelled_box(lang: str) -> None:
    document = soup(index_page(lang))
    tables = document.find_all("table")
    assert [table["class"] for table in tables] == [["changes"], ["vintage"]]
    for table in tables:
        box = table.parent
        assert box.name == "div" and box["class"] == ["table-wrap"], table["class"]
        # Keyboard users can scroll it (tabindex) and screen readers hear what it is (region + heading).
        assert box["role"] == "region" and box["tabindex"] == "0"
        assert document.find(id=box["aria-labelledby"]).name == "h2"


def css_rules() -> dict[str, dict[str, str]]:
    """report.css as selector -> declarations (top level and inside @media, later ones win)."""
    import tinycss2

    rules: dict[str, dict[str, str]] = {}

    def read(nodes) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                declarations = {d.lower_name: tinycss2.serialize(d.value).strip()
                                for d in tinycss2.parse_declaration_list(node.content, skip_whitespace=True,
                                                                         skip_comments=True)
                                if d.type == "declaration"}
                for selector in tinycss2.serialize(node.prelude).split(","):
                    rules.setdefault(" ".join(selector.split()), {}).update(declarations)
            elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content:
                read(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))

    read(tinycss2.parse_stylesheet((render.TEMPLATES / "report.css").read_text(), skip_whitespace=True,
                                   skip_comments=True))
    return rules


def test_every_kind_of_control_has_a_visible_focus_ring() -> None:
    rules = css_rules()
    for selector in ("a:focus-visible", "button:focus-visible", "summary:focus-visible"):
        width, style, _colour = rules[selector]["outline"].split()
        assert style == "solid" and float(width.removesuffix("px")) >= 2, selector


def test_table_box_keeps_positioned_children_inside() -> None:
    box = css_rules()[".table-wrap"]
    assert css_rules()[".table-scroll"] == box  # the method page's name for the same box
    # position: relative makes the box the containing block of the league cells' absolutely
    # positioned screen-reader words; without it they widen the page on a phone.
    assert box["overflow-x"] == "auto" and box["position"] == "relative"
