"""The index groups claims by publication (analysis.report.publications, templates/index.html.j2):
the claims of one publication together under its title, publisher and date, in the order of their
first claim; a registry of one publication shows its cards as before, with no group heading."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.engine.registry import REGISTRY_FILE, load_registry
from analysis.report.cards import card
from analysis.report.publications import publication_groups
from analysis.site import render
from test_layout import CONTEXT

OTHER = """
[[claim]]
id = "{id}"
order = {order}
text_nl = "x"
text_en = "x"
[claim.source]
publisher = "CBS"
title = "Meer banen in de zorg"
url = ""
date = "2016-12-20"
[claim.check]
kind = "change"
relation = "rise"
reading = {{ sector = "Q", base_year = 2010, end_year = 2015 }}
"""


def test_claims_are_grouped_by_publication(tmp_path):
    path = tmp_path / "claims.toml"
    # one CBS claim ordered between the article's claims, one after them: two groups, the
    # article's first (its first claim comes first), each claim in its own order
    path.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + OTHER.format(id="cbs-a", order=2)
                    + OTHER.format(id="cbs-b", order=9), encoding="utf-8")
    ids = list(load_registry(path).claims)
    groups = publication_groups(ids, path)
    assert [g["ids"] for g in groups] == [
        ["industry-decline", "htsm-growth", "htsm-relative-jobs", "technical-students", "tech-sector-growth",
         "participation"], ["cbs-a", "cbs-b"]]
    assert groups[0]["heading"]["nl"] == "“Techniekpact Twente: wat is dat?”, Techniekpact Twente, 18 oktober 2017"
    assert groups[1]["heading"]["en"] == "“Meer banen in de zorg”, CBS, 20 December 2016"


def _card(claim_id: str) -> object:
    return card({"claim_id": claim_id, "page": f"claim-{claim_id}.html", "verdict": "supported",
                 "title": {"nl": claim_id, "en": claim_id}, "quote": {"nl": "x", "en": "x"}}, "nl")


def test_the_index_shows_a_heading_per_publication_only_when_there_are_several():
    one = BeautifulSoup(render.render_index(CONTEXT, "nl", [_card("a")], [], None, league=True,
                                            groups=[{"heading": "“A”, X, 1 januari 2017", "cards": [_card("a")]}]),
                        "html.parser")
    assert not one.select(".publication-heading") and one.select("article.card h3")
    two = BeautifulSoup(render.render_index(
        CONTEXT, "nl", [_card("a"), _card("b")], [], None, league=True,
        groups=[{"heading": "“A”, X, 1 januari 2017", "cards": [_card("a")]},
                {"heading": "“B”, Y, 2 februari 2018", "cards": [_card("b")]}]), "html.parser")
    sections = two.select("section.publication")
    assert [s.select_one("h3.publication-heading").get_text() for s in sections] == [
        "“A”, X, 1 januari 2017", "“B”, Y, 2 februari 2018"]
    assert [[a["data-claim"] for a in s.select("article.card")] for s in sections] == [["a"], ["b"]]
    assert two.select("article.card h4")  # card titles one level below their publication


def test_the_default_report_checks_each_claim_for_its_own_region(tmp_path):
    from analysis.site import plan

    path = tmp_path / "claims.toml"
    path.write_text(REGISTRY_FILE.read_text(encoding="utf-8")
                    + OTHER.format(id="cbs-a", order=7).replace('text_nl = "x"', 'region = "PV21"\ntext_nl = "x"'),
                    encoding="utf-8")
    regions = {job.claim_id: job.parameters["region"]
               for job in plan.plan_pages(plan.validate_parameters(None), path)[0] if job.claim_id}
    assert regions["cbs-a"] == "PV21" and regions["industry-decline"] == "CR12"  # its own; [meta] region
    other = {job.claim_id: job.parameters["region"]
             for job in plan.plan_pages(plan.validate_parameters("CR15"), path)[0] if job.claim_id}
    assert set(other.values()) == {"CR15"}  # REGION=CR15: every claim asked for that region


def test_the_overview_lists_the_institutions_the_claims_name(tmp_path) -> None:
    # registry v3 keeps institutions in [claim.check.reading] and in context sets, not at the top
    from analysis.report.claimtexts import named_institutions

    registry = tmp_path / "claims.toml"
    registry.write_text('''
[[claim]]
id = "a"
[claim.check]
reading = { institutions = ["23AH", "21PH"], year = 2016 }
[[claim.check.context]]
set = { institutions = ["25LX"] }

[[claim]]
id = "b"
[claim.check]
reading = { sector = "C" }
''', encoding="utf-8")
    assert named_institutions(registry) == ["21PH", "23AH", "25LX"]
