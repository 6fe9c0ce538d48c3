"""analysis.report.bilingual: every output in both languages, figures with alt text and their CSV."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.i18n import Num, Text
from analysis.report import bilingual as bi


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    outputs: list[str] = []
    monkeypatch.setattr(bi, "_display", outputs.append)
    return outputs


def _by_lang(html: str) -> dict[str, list]:
    soup = BeautifulSoup(html, "html.parser")
    return {lang: soup.select(f'.l10n[lang="{lang}"]') for lang in ("nl", "en")}


def test_localise_every_kind_of_content() -> None:
    assert bi.localise(Text("page.claim.heading"), "nl") == "De bewering"
    assert bi.localise(Text("page.claim.heading"), "en") == "The claim"
    assert bi.localise({"nl": "hallo", "en": "hello"}, "en") == "hello"
    assert bi.localise("Twente", "nl") == "Twente"  # a name: the same in both
    assert bi.localise(lambda lang: lang.upper(), "nl") == "NL"
    assert bi.localise(Num(1800.0), "nl") == "1.800" and bi.localise(Num(1800.0), "en") == "1,800"
    with pytest.raises(ValueError, match="no en version"):
        bi.localise({"nl": "alleen Nederlands"}, "nl")
    with pytest.raises(ValueError, match="unknown language 'de'"):
        bi.localise("x", "de")
    with pytest.raises(TypeError, match="cannot show int"):
        bi.localise(3, "nl")  # type: ignore[arg-type]


def test_text_is_escaped_and_emitted_once_per_language_in_order() -> None:
    html = bi.text_html({"nl": "a < b & c", "en": "x > y"}, tag="p", cls="note")
    soup = BeautifulSoup(html, "html.parser")
    elements = soup.find_all("p")
    assert [e["lang"] for e in elements] == ["nl", "en"]
    assert all(e["class"] == ["l10n", "note"] for e in elements)
    assert elements[0].get_text() == "a < b & c" and "&lt;" in html  # escaped in the source


def test_page_title_heading_and_paragraph(shown: list[str]) -> None:
    bi.page_title({"nl": "Titel", "en": "Title"})
    bi.heading(Text("page.sources.heading"))
    bi.paragraph(Text("page.sources.processed", {"date": "2026-11-28"}), None, "(x)")
    title = BeautifulSoup(shown[0], "html.parser").find_all("h1")
    assert [(h["lang"], h["class"], h.get_text()) for h in title] == [
        ("nl", ["l10n", "page-title"], "Titel"), ("en", ["l10n", "page-title"], "Title")]
    assert [h.get_text() for h in BeautifulSoup(shown[1], "html.parser").find_all("h2")] == ["Bronnen", "Sources"]
    paragraphs = _by_lang(shown[2])
    assert paragraphs["nl"][0].get_text() == "Gegevens verwerkt op 2026-11-28. (x)"
    assert paragraphs["en"][0].get_text() == "Data processed on 2026-11-28. (x)"
    with pytest.raises(ValueError, match="heading level 1"):
        bi.heading("x", level=1)


def test_number_formatter_uses_babel_per_language() -> None:
    jobs = bi.number(round_to=100)
    assert jobs(1849.0, "nl") == "1.800" and jobs(1851.0, "en") == "1,900"
    rate = bi.number("percent", decimals=1, signed=True)
    assert rate(-5.68, "nl") == "-5,7%" and rate(-5.68, "en") == "-5.7%"
    assert rate(2.0, "en") == "+2.0%"
    assert rate(float("nan"), "nl") == "–" and rate(None, "en") == "–"


def test_table_headers_and_cells_per_language(shown: list[str]) -> None:
    frame = pd.DataFrame({"value": [1800.0, 2.5], "holds": [True, None], "note": ["a", Text("page.word.yes")]})
    bi.table(frame, {"value": Text("page.col.value"), "holds": Text("page.col.holds"), "note": "note"},
             {"value": bi.number(decimals=1), "holds": bi.yes_no}, caption=Text("page.measurable.parameters"))
    parts = _by_lang(shown[0])
    nl, en = (parts[lang][0] for lang in ("nl", "en"))
    assert [th.get_text() for th in nl.find_all("th")] == ["waarde", "klopt", "note"]
    assert [th.get_text() for th in en.find_all("th")] == ["value", "holds", "note"]
    assert [td.get_text() for td in nl.find_all("td")] == ["1.800,0", "ja", "a", "2,5", "onbeslist", "ja"]
    assert [td.get_text() for td in en.find_all("td")] == ["1,800.0", "yes", "a", "2.5", "undecided", "yes"]
    assert nl.find("p").get_text() == "Instellingen van de lezing"
    with pytest.raises(KeyError, match="not in the table"):
        bi.localised_frame(frame, {"missing": "x"}, "nl")


def _draw(calls: list[str]):
    def draw(data: pd.DataFrame, lang: str):
        calls.append(lang)
        figure, ax = plt.subplots()
        ax.plot(data["year"], data["value"])
        ax.set_title({"nl": "Banen", "en": "Jobs"}[lang])
        return figure
    return draw


def test_show_figure_embeds_both_languages_with_alt_and_writes_the_plotted_numbers(shown, tmp_path) -> None:
    data = pd.DataFrame({"year": [2010, 2011, 2012], "value": [44000.0, 43100.0, 41500.0]})
    calls: list[str] = []
    alts = {"nl": "Lijn van 44.000 naar 41.500", "en": "Line from 44,000 to 41,500"}
    bi.show_figure(_draw(calls), data, name="jobs-line", page_stem="claim-x", site_dir=tmp_path,
                          alt={"nl": "Lijn van 44.000 naar 41.500", "en": "Line from 44,000 to 41,500"},
                          source={"nl": "Bron: CBS", "en": "Source: CBS"},
                          caption={"nl": "Onderschrift", "en": "Caption"})
    assert calls == ["nl", "en"]  # drawn once per language
    written = pd.read_csv(tmp_path / "data" / "claim-x" / "jobs-line.csv")
    # the numbers plotted (whole numbers are written without decimals: tests/test_downloads.py)
    pd.testing.assert_frame_equal(written, data, check_dtype=False)
    soup = BeautifulSoup(shown[0], "html.parser")
    figures = soup.find_all("figure")
    assert [f["lang"] for f in figures] == ["nl", "en"] and all("l10n" in f["class"] for f in figures)
    for figure, lang in zip(figures, ("nl", "en"), strict=True):
        image = figure.find("img")
        assert image["src"].startswith("data:image/svg+xml;base64,") and len(image["src"]) > 1000
        assert image["alt"] == alts[lang]
        # each edition links its own file: Dutch (semicolon, decimal comma) and English
        assert figure.find("a")["href"] == {"nl": "data/claim-x/jobs-line.nl.csv", "en": "data/claim-x/jobs-line.csv"}[lang]
    assert figures[0].find(class_="figure-source").get_text() == "Bron: CBS"
    assert figures[1].find("a").get_text() == "Numbers in this figure (CSV)"
    assert figures[0].find("img")["src"] != figures[1].find("img")["src"]  # titles differ per language


def test_show_figure_without_site_dir_writes_and_links_nothing(shown, tmp_path) -> None:
    data = pd.DataFrame({"year": [2010, 2011], "value": [1.0, 2.0]})
    bi.show_figure(_draw([]), data, name="x", alt={"nl": "a", "en": "b"}, source="Bron/Source: CBS")
    assert "<a " not in shown[0] and not list(tmp_path.iterdir())


def test_show_figure_refuses_missing_alt_empty_data_and_bad_names(shown, tmp_path) -> None:
    data = pd.DataFrame({"year": [2010], "value": [1.0]})
    with pytest.raises(ValueError, match="needs alt text"):
        bi.show_figure(_draw([]), data, name="x", alt={"nl": "", "en": "b"}, source="s")
    with pytest.raises(ValueError, match="is empty"):
        bi.write_figure_data(data.iloc[0:0], "x", tmp_path, "page")
    with pytest.raises(ValueError, match="figure name 'Bad Name'"):
        bi.write_figure_data(data, "Bad Name", tmp_path, "page")
    with pytest.raises(ValueError, match="page_stem ''"):
        bi.write_figure_data(data, "x", tmp_path, "")


def test_details_and_bullets(shown: list[str]) -> None:
    html = bi.details_html(Text("page.perturb.table_summary"), lambda lang: f"<p>{lang}</p>")
    soup = BeautifulSoup(html, "html.parser")
    assert [d.find("summary").get_text() for d in soup.find_all("details")] == [
        "Alle lezingen in een tabel (voor analisten)", "Every reading in a table (for analysts)"]
    bi.bullets([Text("page.word.yes"), {"nl": "twee", "en": "two"}])
    parts = _by_lang(shown[0])
    assert [li.get_text() for li in parts["nl"][0].find_all("li")] == ["ja", "twee"]
    assert [li.get_text() for li in parts["en"][0].find_all("li")] == ["yes", "two"]
    bi.bullets([])
    assert len(shown) == 1  # an empty list shows nothing


def test_both_and_join() -> None:
    joined = bi.join(Text("page.word.yes"), None, "", {"nl": "b", "en": "c"}, sep="/")
    assert bi.both(joined) == {"nl": "ja/b", "en": "yes/c"}


def test_a_wide_figure_scrolls_in_its_own_named_keyboard_reachable_box() -> None:
    from bs4 import BeautifulSoup

    from analysis.report import bilingual

    wide = BeautifulSoup(bilingual.figure_html("AAAA", "Curve <1>", "", "Bron", None, "nl", wide=True), "html.parser")
    box = wide.select_one("figure > div.wide-figure")
    assert box["tabindex"] == "0" and box["role"] == "group" and box["aria-label"] == "Curve <1>"
    assert box.select_one("img")["class"] == ["wide"] and box.select_one("img")["alt"] == "Curve <1>"
    plain = BeautifulSoup(bilingual.figure_html("AAAA", "Lijn", "", "Bron", None, "nl"), "html.parser")
    assert plain.select_one("div.wide-figure") is None and not plain.select_one("figure > img").get("class")


def test_method_texts_are_folded_for_analysts_and_findings_stay_in_view(shown: list[str]) -> None:
    finding, method, gap = (Text("trends.uncertainty"), Text("placebo.what"),
                            Text("trends.no_inference.gaps", {"years": "2013"}))
    bi.bullets_with_fold([finding, method, gap], ("placebo.what",), Text("page.analyst.method"))
    assert len(shown) == 2
    soup = BeautifulSoup("".join(shown), "html.parser")
    dutch = soup.select('.l10n[lang="nl"]')
    in_view, folded = dutch[0], dutch[1]
    assert in_view.find("details") is None
    assert [li.get_text() for li in in_view.select("li")] == [finding.render("nl"), gap.render("nl")]
    assert "analyst" in folded["class"]
    assert folded.select_one("details > summary").get_text() == "Hoe dit is berekend (voor analisten)"
    assert [li.get_text() for li in folded.select("details li")] == [method.render("nl")]
    # nothing about the method: no fold at all
    shown.clear()
    bi.bullets_with_fold([finding], ("placebo.what",), Text("page.analyst.method"))
    assert len(shown) == 1 and "<details" not in shown[0]
