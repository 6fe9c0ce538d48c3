"""The pages execute for Twente (CR12) and another region (CR15): the generic claim notebook for every
claim id of the registry, the data overview and "after 2017".

Slow: each page runs in a kernel, the way the report and a reader by hand run it: jupytext turns the
percent file into an ipynb, papermill injects the parameters and executes it in ``notebooks/``.
Checked on the executed notebook: no error or traceback, no plain-text output (a reader would see it
in both editions), every HTML output bilingual (as many ``lang="nl"`` as ``lang="en"`` elements,
more than none), the page title first, alt text on every image, every figure's CSV written beside
the page and not empty, and (claim pages) the results JSON of the report contract.
"""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.engine.check import check
from analysis.report import claimpage, claimtexts

REGIONS = {"CR12": "Twente", "CR15": "Arnhem/Nijmegen"}
OTHER_PAGES = {"00_data_overview": "overview", "05_after_2017": "after-2017"}


def execute(name: str, parameters: dict, tmp_path: Path) -> nbformat.NotebookNode:
    notebook = jupytext.read(paths.notebooks_dir() / f"{name}.py", fmt="py:percent")
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / f"{name}.input.ipynb"
    nbformat.write(notebook, source)
    executed = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(source, executed, parameters=parameters, kernel_name="python3",
                               cwd=str(paths.notebooks_dir()), progress_bar=False)
    return nbformat.read(executed, as_version=4)


def visible_outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def check_page(notebook: nbformat.NotebookNode, site_dir: Path) -> BeautifulSoup:
    """The checks every page passes; returns the page's HTML (all outputs) for page-specific ones."""
    outputs = visible_outputs(notebook)
    assert outputs, "the page shows nothing"
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else ""
    plain = [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout"
             or (o.get("output_type") in ("display_data", "execute_result") and "text/html" not in o["data"])]
    assert not plain, f"output without both languages: {plain[0]}"
    html = []
    for output in outputs:
        if output.get("output_type") == "stream":
            continue  # stderr (warnings) never reaches the page
        fragment = "".join(output["data"]["text/html"])
        assert "Traceback" not in fragment
        soup = BeautifulSoup(fragment, "html.parser")
        top = soup.find_all(recursive=False)
        langs = [element.get("lang") for element in top]
        assert all("l10n" in element.get("class", []) for element in top), fragment[:300]
        assert langs.count("nl") == langs.count("en") > 0, fragment[:300]
        html.append(fragment)
    page = BeautifulSoup("".join(html), "html.parser")
    shown = [o for o in outputs if o.get("output_type") != "stream"]
    first = BeautifulSoup("".join(shown[0]["data"]["text/html"]), "html.parser").find_all("h1")
    assert [h["lang"] for h in first] == ["nl", "en"] and all("page-title" in h["class"] for h in first)
    assert all(h.get_text(strip=True) for h in first)
    images = page.find_all("img")
    assert all(img.get("alt", "").strip() for img in images), "an image without alt text"
    for link in page.select("a.figure-data"):
        csv = site_dir / link["href"]
        assert csv.is_file(), f"{link['href']} was not written"
        lines = csv.read_text(encoding="utf-8").splitlines()
        assert len(lines) >= 2 and lines[1].strip(), f"{link['href']} has no numbers"
    for lang in ("nl", "en"):  # each edition has its figures and their data links
        figures = page.select(f'figure.l10n[lang="{lang}"]')
        assert len(figures) == len(images) // 2
        assert all(figure.select("a.figure-data") for figure in figures)
    return page


@pytest.mark.slow
@pytest.mark.parametrize("region", list(REGIONS))
@pytest.mark.parametrize("claim_id", claimpage.claim_ids())
def test_claim_page_executes_bilingual_and_records(claim_id: str, region: str, tmp_path: Path) -> None:
    results, site = tmp_path / "results", tmp_path / "site"
    stem = f"claim-{claim_id}"
    notebook = execute("claim", {"claim_id": claim_id, "region": region, "results_dir": str(results),
                                 "site_dir": str(site), "page_stem": stem}, tmp_path)
    page = check_page(notebook, site)
    text = page.get_text(" ")
    assert REGIONS[region] in text
    headings = {lang: [h.get_text() for h in page.select(f'h2.l10n[lang="{lang}"]')] for lang in ("nl", "en")}
    assert headings["nl"][0] == "De bewering" and headings["en"][-1] == "Sources"
    assert not set(headings["nl"]) & set(headings["en"])
    record_verdict = json.loads((results / f"{stem}.json").read_text(encoding="utf-8"))["verdict"]
    if record_verdict in ("not_applicable", "not_verifiable"):  # nothing to compute: verdict, claim, sources
        assert headings["en"] == ["The claim", "Sources"]
    else:
        assert headings["en"][:3] == ["The claim", "How the claim is made measurable", "Reproduction"]
    verdicts = page.select(".verdict-box")
    assert len(verdicts) == 2  # the verdict once, at the top, in each edition
    record = json.loads((results / f"{stem}.json").read_text(encoding="utf-8"))
    assert record["claim_id"] == claim_id and record["page"] == f"{stem}.html"
    assert record["verdict"] == check(claim_id, region).verdict  # the page records what the engine says
    assert record["order"] == claimpage.claim_ids().index(claim_id) + 1
    for key in ("title", "quote", "reason", "headline"):
        assert record[key]["nl"].strip() and record[key]["en"].strip(), key
    assert record["quote"] == claimpage.claim_quote(claim_id)
    assert record["check"]["region"] == region


@pytest.mark.slow
@pytest.mark.parametrize("region", list(REGIONS))
@pytest.mark.parametrize("name", list(OTHER_PAGES))
def test_other_pages_execute_bilingual(name: str, region: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    notebook = execute(name, {"region": region, "results_dir": "", "site_dir": str(site),
                              "page_stem": OTHER_PAGES[name]}, tmp_path)
    page = check_page(notebook, site)
    assert REGIONS[region] in page.get_text(" ")
    assert page.find_all("img"), "the page has no figure"


@pytest.mark.slow
def test_the_claim_page_runs_as_it_is_with_the_first_claim_for_its_own_region(tmp_path: Path) -> None:
    first = claimpage.claim_ids()[0]  # the registry's order, read independently of the notebook
    notebook = execute("claim", {}, tmp_path)  # the parameters as written: "Run all" in JupyterLab
    shown = " ".join(str(o.get("data", {}).get("text/html", "")) for o in visible_outputs(notebook))
    assert claimpage.claim_title(first)["nl"] in shown
    assert "Twente" in shown  # the first claim is about Twente, its own region


@pytest.mark.slow
def test_unknown_claim_or_region_stops_at_the_top(tmp_path: Path) -> None:
    with pytest.raises(papermill.PapermillExecutionError, match="unknown claim 'no-such-claim'"):
        execute("claim", {"claim_id": "no-such-claim"}, tmp_path)
    with pytest.raises(papermill.PapermillExecutionError, match="CR77"):
        execute("claim", {"claim_id": claimpage.claim_ids()[0], "region": "CR77"}, tmp_path)


NEW_CLAIM = '''

[[claim]]
id = "healthcare-growth"
order = 99
title_en = "Healthcare jobs grew since 2010"
text_nl = "De werkgelegenheid in de zorg is sinds 2010 gegroeid."
text_en = "Employment in healthcare has grown since 2010."

[claim.source]
publisher = "Regio Twente"
title = "Monitor zorg"
url = ""
date = "2017-10-18"

[claim.check]
kind = "change"
relation = "rise"

[claim.check.reading]
sector = "Q"
base_year = 2010
end_year = 2015
threshold = 0.0

[[claim.check.perturb]]
param = "base_year"
values = [2010, 2011]
weights = [0.7, 0.3]
'''


@pytest.mark.slow
def test_a_claim_added_to_a_copy_of_the_registry_gets_its_page(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "claims.toml"
    registry.write_text((paths.PACKAGE_DATA / "claims.toml").read_text(encoding="utf-8") + NEW_CLAIM,
                        encoding="utf-8")
    registered = len(claimpage.claim_ids())
    monkeypatch.setenv(claimtexts.REGISTRY_ENV, str(registry))  # the kernel inherits it, as in a build
    results, site = tmp_path / "results", tmp_path / "site"
    notebook = execute("claim", {"claim_id": "healthcare-growth", "region": "CR12", "results_dir": str(results),
                                 "site_dir": str(site), "page_stem": "claim-healthcare-growth"}, tmp_path)
    page = check_page(notebook, site)
    titles = {h["lang"]: h.get_text() for h in page.select("h1.page-title")}
    # labelled as a claim; no Dutch title in the registry: the quote stands in
    assert titles == {"nl": "Bewering: De werkgelegenheid in de zorg is sinds 2010 gegroeid.",
                      "en": "Claim: Healthcare jobs grew since 2010"}
    record = json.loads((results / "claim-healthcare-growth.json").read_text(encoding="utf-8"))
    assert record["order"] == registered + 1  # order 99: after every claim of the package's registry
    assert record["verdict"] == check("healthcare-growth", "CR12", registry=registry).verdict
    assert record["check"]["kind"] == "change"
    assert (site / "data" / "claim-healthcare-growth" / "specification-curve.csv").is_file()
