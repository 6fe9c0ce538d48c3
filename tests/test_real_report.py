"""The real report: every registered claim on the committed processed data, both editions, the league.

Builds the site once (Twente) in a throwaway copy of the project, then checks what a policy advisor
gets: a page, a card and a league column per registered claim, pages without errors or network,
figures with alt text and their CSVs, both editions walked in a browser, the README's verdict table
equal to the build, the same numbers on a second build, a claim added to a copy of the registry
with no other file touched, and the README's by-hand notebook command.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis import paths
from analysis.engine.registry import REGISTRY_FILE, load_registry
from analysis.site import build as report
from analysis.site.render import external_resources
from conftest import fail_or_skip

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
README = paths.PACKAGE_DIR.parents[1] / "README.md"
# A claim of a known kind (change_vs_comparator) with its own source, as docs/registry.md shows it.
NEW_CLAIM = '''

[[claim]]
id = "healthcare-faster"
order = 99
title_en = "Healthcare jobs in Twente grew faster than nationally since 2010"
text_nl = "De werkgelegenheid in de zorg groeide in Twente sinds 2010 sneller dan landelijk."
text_en = "Employment in healthcare grew faster in Twente than nationally since 2010."

[claim.source]
publisher = "Regio Twente"
title = "Monitor zorg"
url = ""
date = "2017-12-20"

[claim.check]
kind = "change_vs_comparator"
relation = "faster"
reading = { sector = "Q", base_year = 2010, end_year = 2016, comparator = "nation_minus_region" }

[[claim.check.perturb]]
param = "comparator"
values = ["nation_minus_region", "nation"]
weights = [0.7, 0.3]
'''


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("real-project")
    source = paths.project_root()
    shutil.copytree(source / "data" / "processed", root / "data" / "processed")
    shutil.copytree(source / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(root))
        monkeypatch.delenv("TWENTE_CLAIMS_REGISTRY", raising=False)
        monkeypatch.delenv("TWENTE_CLAIMS_LEAGUE", raising=False)
        list(report.build_report())
        yield root


def _results(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((folder / "results").glob("claim-*.json"))}


def test_every_registered_claim_has_page_card_and_league_column(real_site: Path) -> None:
    from bs4 import BeautifulSoup

    claim_ids = list(load_registry().claims)
    reports = real_site / "reports"
    assert set(_results(reports)) == {f"claim-{c}" for c in claim_ids}
    for folder in (reports, reports / "en"):
        for claim_id in claim_ids:
            assert (folder / f"claim-{claim_id}.html").exists(), (folder, claim_id)
        index = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
        assert [card["data-claim"] for card in index.select("article.card")] == claim_ids
        league = BeautifulSoup((folder / "league.html").read_text(), "html.parser")
        assert [th["data-claim"] for th in league.select("#league-table th[data-claim]")] == claim_ids
        assert len(league.select("#league-table tbody tr")) == 40  # every COROP region
        for card in index.select("article.card"):
            card.select_one("details").decompose()
            for claim_id in claim_ids:  # no internal id in advisor-facing text
                assert claim_id not in card.get_text(" "), (folder.name, claim_id)
    for claim_id in claim_ids:
        assert (reports / "data" / "league" / f"{claim_id}.csv").exists()


def test_pages_have_figures_with_alt_and_data_and_no_errors_or_network(real_site: Path) -> None:
    reports = real_site / "reports"
    pages = sorted(reports.glob("*.html")) + sorted((reports / "en").glob("*.html"))
    # claims, overview, after-2017, index, league, method
    assert len(pages) == 2 * (len(load_registry().claims) + 5)
    for page in pages:
        html = page.read_text()
        # (Pygments' stylesheet names a "Generic.Traceback" class, so look for real traceback text.)
        for sign in ("Traceback (most recent call last)", "-" * 75, 'class="output_error"', ".tmp-build-",
                     "No description has been provided"):
            assert sign not in html, f"{page.name} shows {sign[:30]!r}"
        assert external_resources(html) == [], page.name
        for image in re.findall(r"<img\b[^>]*>", html):
            assert re.search(r'\balt="[^"]+"', image), f"an image on {page} has no alt text"
        for link in re.findall(r'href="((?:\.\./)?data/[^"]+\.csv)"', html):
            assert (page.parent / link).resolve().exists(), f"{page} links to a missing {link}"
        if page.name != "method.html":  # estimators and robustness figures: on the method page or folded
            assert _unfolded(html, ("fixed-b", "Kiefer", "Chow", "sup-F", "AR(1)", "RMSPE", "Robuustheid:",
                                    "Robustness:")) == [], page.name


def _unfolded(html: str, terms: tuple[str, ...]) -> list[str]:
    """The terms that occur in the page's text outside every <details> (its code cells left out)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select("details, .jp-InputArea, .input, script, style"):
        hidden.decompose()
    text = soup.get_text(" ")
    return [term for term in terms if term in text]


def test_real_site_in_a_browser(real_site: Path) -> None:
    if not CHROMIUM.exists():
        fail_or_skip(f"{CHROMIUM} not found: apt-get install chromium to run the browser test")
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM_ARGS, check_editions_differ, offline_page, walk_site

    errors: list[str] = []
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        _context, page = offline_page(browser, errors, external)
        headings = walk_site(real_site / "reports", page, errors, external)
        browser.close()
    check_editions_differ(headings)
    assert len(headings["nl"]) == len(load_registry().claims) + 5  # with the method page


def test_readme_verdicts_table_is_the_build(real_site: Path) -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- verdicts:start -->\n(.*?)<!-- verdicts:end -->", text, re.DOTALL)
    assert match, "README.md has no <!-- verdicts:start --> ... <!-- verdicts:end --> table"
    results = {r["claim_id"]: r for r in _results(real_site / "reports").values()}
    # the shipped registry's claims only, in its order: a claim a user adds elsewhere is not in it
    expected = report.verdicts_table(results, order=list(load_registry(REGISTRY_FILE).claims))
    assert match.group(1) == expected, ("README's verdicts table differs from the build; paste the output of "
                                        "`python -m analysis report --verdicts-table` after `make report`:\n"
                                        + expected)


def test_second_build_gives_identical_numbers_and_verdicts(real_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _results(real_site / "reports")
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(real_site))
    lines = list(report.build_report())
    assert any("Nothing changed since the last build" in line for line in lines) or \
        any("no changes in verdicts or headline numbers" in line for line in lines), lines
    lines = list(report.build_report(force=True))
    assert any("no changes in verdicts or headline numbers" in line for line in lines), \
        [line for line in lines if "→" in line or "Changes" in line]
    assert _results(real_site / "reports") == first


def test_a_claim_added_to_a_copy_of_the_registry_gets_page_card_and_column(real_site: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "claims.toml"
    registry.write_text((paths.PACKAGE_DATA / "claims.toml").read_text(encoding="utf-8") + NEW_CLAIM,
                        encoding="utf-8")
    project = tmp_path / "project"
    shutil.copytree(real_site, project)  # the built site: only the new claim and the background pages rerun
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(project))
    lines = list(report.build_report(registry=registry))
    # (3 of them here: the new claim's page and the background pages; more if the code changed meanwhile)
    assert any(line.startswith("Executing") and "claim-healthcare-faster.html" in line for line in lines), lines
    reports = project / "reports"
    for folder in (reports, reports / "en"):
        page = (folder / "claim-healthcare-faster.html").read_text()
        assert "healthcare" in page.lower() or "zorg" in page.lower()
        assert 'data-claim="healthcare-faster"' in (folder / "index.html").read_text()
        assert '<th scope="col" data-claim="healthcare-faster">' in (folder / "league.html").read_text()
    result = json.loads((reports / "results" / "claim-healthcare-faster.json").read_text())
    assert result["check"]["kind"] == "change_vs_comparator" and result["verdict"]
    assert result["check"]["claim_date"] == "2017-12-20"  # its own source's date
    page = (reports / "claim-healthcare-faster.html").read_text()
    assert "Regio Twente, “Monitor zorg”, 20 december 2017" in page  # whose claim it is
    # the README's table stays the shipped registry's, whatever this build added
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(project))
    assert "healthcare" not in report.latest_verdicts_table().lower()


def test_readme_command_runs_one_notebook_by_hand(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- one-page:start -->\n```sh\n(.*?)```\n<!-- one-page:end -->", text, re.DOTALL)
    assert block, "README.md has no one-page command block"
    command = block.group(1).replace("/tmp/", f"{tmp_path}/")
    done = subprocess.run(["bash", "-e", "-c", command], cwd=README.parent,  # the repository, with its .venv capture_output=True, text=True, timeout=900,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    executed = json.loads((tmp_path / "claim-industry-decline.ipynb").read_text())
    errors = [o for cell in executed["cells"] for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    injected = next(c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert "base_year = 2011" in "".join(injected["source"]) and 'region = "CR15"' in "".join(injected["source"])
