"""analysis.report.pagesources: every CBS table id on a page links its StatLine page, the sources
section links the article's publisher, each dataset's page, the method page, names the README and
says how to cite the page."""

from __future__ import annotations

import types
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from analysis.report import bilingual as bi
from analysis.report import pagesources

MANIFEST = {"built_at": "2026-11-28T03:26:20Z", "inputs": [
    {"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen van werknemers in december",
     "licence": "CC BY 4.0", "mode": "mirror", "retrieved_at": "2026-11-28T03:26:18Z"},
    {"dataset_id": "duo-wo-2025", "publisher": "DUO", "title": "Ingeschrevenen wo",
     "licence": "DUO open onderwijsdata (free reuse)", "mode": "mirror", "retrieved_at": "2026-11-27T10:00:00Z"}]}


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a notebook page displays, after bilingual's own processing (the links)."""
    import IPython.display

    outputs: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: outputs.append(obj.data))
    return outputs


def unlinked_table_ids(html: str) -> list[str]:
    """CBS table ids in the visible text that are not inside a link (SVG text aside)."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for node in soup.find_all(string=pagesources.TABLE_ID):
        if node.find_parent("a") is None and node.find_parent("svg") is None:
            found += pagesources.TABLE_ID.findall(str(node))
    return found


def test_table_ids_link_the_registered_page_or_statline() -> None:
    html = ('<p>Uit 83582NED en 81497NED (cbs-83583NED), niet 12345NED of 835820NED; '
            '<a href="x">85918NED</a></p><svg><text>84164NED</text></svg>')
    linked = pagesources.link_table_ids(html)
    soup = BeautifulSoup(linked, "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select("a.table-link")}
    assert links == {  # the pages in data/sources.toml, and StatLine's address for a table it lacks
        "83582NED": "https://www.cbs.nl/nl-nl/cijfers/detail/83582NED",
        "81497NED": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/81497NED/table",
        "83583NED": "https://www.cbs.nl/nl-nl/cijfers/detail/83583NED",
        "12345NED": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/12345NED/table"}
    assert "835820NED" in soup.get_text() and unlinked_table_ids(linked) == []
    assert soup.find("svg").find("a") is None  # an SVG chart's text stays text
    assert pagesources.link_table_ids(linked) == linked  # a second pass changes nothing
    assert pagesources.link_table_ids("<p>geen tabel</p>") == "<p>geen tabel</p>"


def test_every_cbs_table_id_on_a_page_is_a_link(page) -> None:
    bi.page_title({"nl": "Bewering: banen", "en": "Claim: jobs"})
    bi.paragraph({"nl": "HTSM is niet samen te stellen uit 83582NED.", "en": "HTSM cannot be built from 83582NED."})
    bi.table(__import__("pandas").DataFrame({"t": ["84419NED"]}), {"t": "tabel"})
    source = pagesources.source_line(["cbs-83582NED"], MANIFEST)
    bi.paragraph(source)
    pagesources.show_sources(types.SimpleNamespace(registry_hash="abc123def4567", claim_id="industry-decline"), MANIFEST,
                             ["cbs-83582NED", "duo-wo-2025"])
    html = "".join(page)
    assert pagesources.TABLE_ID.search(BeautifulSoup(html, "html.parser").get_text())
    assert unlinked_table_ids(html) == []


def test_sources_section_links_article_datasets_method_and_cites_the_page(page) -> None:
    bi.page_title({"nl": "Bewering: banen", "en": "Claim: jobs"})
    pagesources.show_sources(types.SimpleNamespace(registry_hash="abc123def4567", claim_id="industry-decline"), MANIFEST,
                             ["cbs-83582NED", "duo-wo-2025"])
    soup = BeautifulSoup("".join(page), "html.parser")
    for lang in ("nl", "en"):
        section = soup.select_one(f'.sources[lang="{lang}"]')
        hrefs = [a["href"] for a in section.find_all("a")]
        assert "https://www.techniekpacttwente.nl" in hrefs  # claims.toml [meta] publisher_site
        assert "https://onderwijsdata.duo.nl/datasets/p01hoinges" in hrefs  # the DUO dataset's page
        assert "https://www.cbs.nl/nl-nl/cijfers/detail/83582NED" in hrefs
        assert "method.html" in hrefs
        assert "README.md" in section.get_text()
    today = datetime.now(UTC).date().isoformat()
    nl = soup.select_one('.cite[lang="nl"]').get_text()
    en = soup.select_one('.cite[lang="en"]').get_text()
    assert nl == f"Zo citeert u deze pagina: twente-claims, “Bewering: banen”, versie van {today}."
    assert en == f"How to cite this page: twente-claims, “Claim: jobs”, version of {today}."
    article = soup.select_one('.sources[lang="nl"] li').get_text()
    assert "“Techniekpact Twente: wat is dat?” (18 oktober 2017)" in article
    assert "(18 October 2017)" in soup.select_one('.sources[lang="en"] li').get_text()


def test_dataset_lines_speak_the_editions_language() -> None:
    nl, en = (" ".join(pagesources.dataset_items(["cbs-83582NED", "duo-wo-2025"], MANIFEST, lang)) for lang in ("nl", "en"))
    # titles, licences and the partial note from the registry's variants, not the manifest's one language
    assert "Banen van werknemers in december; economische activiteit (SBI2008), regio" in nl
    assert "Employee jobs in December; economic activity (SBI2008), region" in en
    assert "licentie open onderwijsdata van DUO (vrij te hergebruiken)" in nl
    assert "licence DUO open education data (free to reuse)" in en
    assert "Onvolledig: alleen de inschrijvingen van de Universiteit Twente in Enschede" in nl
    assert "Partial: only the Universiteit Twente enrolments in Enschede" in en
    assert "free reuse" not in nl and "21PH" not in nl + en


def test_source_line_keeps_its_text_and_links_each_table() -> None:
    line = pagesources.source_line(["cbs-83582NED", "duo-wo-2025", "cbs-unknown"], MANIFEST)
    # a DUO edition is named by the registry's title in the edition's language, a CBS table by its id
    assert line["en"] == ("Source: CBS 83582NED (retrieved 2026-11-28); DUO Enrolled students, wo (long format, "
                          "2025 edition) (retrieved 2026-11-27); cbs-unknown")
    links = {a.get_text(): a["href"] for a in BeautifulSoup(line.html["nl"], "html.parser").find_all("a")}
    assert links == {"CBS 83582NED": "https://www.cbs.nl/nl-nl/cijfers/detail/83582NED",
                     "DUO Ingeschrevenen wo (lange vorm, uitgave 2025)": "https://onderwijsdata.duo.nl/datasets/p01hoinges"}
    assert [d.dataset_id for d in line.datasets] == ["cbs-83582NED", "duo-wo-2025"]
