"""The atlas (issue 18): every COROP region's report in one run, the region picker on every page,
the atlas page with the map; reruns execute only what changed; a killed atlas keeps every region's
previous report and leaves no process behind.

A small project (tests/test_report.py's notebooks and fake league) with three COROP regions: Twente
(CR12, the default region, at the site root), Zuidwest-Friesland (CR05) and Arnhem/Nijmegen (CR15).
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from bs4 import BeautifulSoup

from test_report import JOBS_CSV, make_project, project_copy, use_project, write_jobs
from test_report_interruption import WAIT_SECONDS, _is_kernel, _report, _site, _tree

pytestmark = pytest.mark.slow
REGIONS = {"CR05": "CR05/", "CR12": "", "CR15": "CR15/"}  # code -> folder under reports/
THREE_REGIONS = JOBS_CSV + """\
83582NED,CR05,Zuidwest-Friesland (CR),corop,A-U,Alle economische activiteiten,2010,40000,False,False,,,
83582NED,CR05,Zuidwest-Friesland (CR),corop,A-U,Alle economische activiteiten,2016,41000,False,False,,,
"""


def make_atlas_project(root: Path) -> Path:
    make_project(root)
    write_jobs(root, THREE_REGIONS)
    return root


def run_atlas(**options) -> list[str]:
    from analysis.site.atlas import build_atlas

    return list(build_atlas(**options))


@pytest.fixture(scope="module")
def atlas_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    root = make_atlas_project(tmp_path_factory.mktemp("atlas") / "project")
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_project(monkeypatch, root)
        lines = run_atlas()
    yield root, lines


@pytest.fixture()
def atlas(atlas_once: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return project_copy(atlas_once[0], tmp_path, monkeypatch)


def pages(reports: Path) -> list[Path]:
    return sorted(p for p in reports.rglob("*.html") if not any(part.startswith(".") for part in p.parts))


def test_every_region_is_built_in_both_editions_with_its_pages(atlas_once) -> None:
    root, lines = atlas_once
    reports = root / "reports"
    for folder in REGIONS.values():
        for edition in ("", "en/"):
            for page in ("index.html", "league.html", "method.html", "overview.html", "claim-jobs-grew.html"):
                assert (reports / f"{folder}{edition}{page}").exists(), f"{folder}{edition}{page}"
    assert any(line.startswith("[3/3] CR15") for line in lines)
    assert sum("league: computing" in line for line in lines) == 1  # once for the whole atlas


def test_every_link_of_every_page_leads_to_a_built_file(atlas_once) -> None:
    reports = atlas_once[0] / "reports"
    for page in pages(reports):
        document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element, attribute in (("a", "href"), ("link", "href"), ("script", "src")):
            for tag in document.find_all(element):
                target = tag.get(attribute)
                if not target or target.startswith(("#", "http", "mailto:", "data:")):
                    continue
                assert (page.parent / target.split("#")[0]).resolve().exists(), f"{page}: {target}"


def test_the_picker_leads_to_the_same_page_of_every_other_region(atlas_once) -> None:
    reports = atlas_once[0] / "reports"
    for folder in REGIONS.values():
        for edition in ("", "en/"):
            page = reports / f"{folder}{edition}claim-jobs-grew.html"
            document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            links = document.select(".region-picker .picker-panel ul a")
            targets = {(page.parent / a["href"]).resolve() for a in links}
            assert targets == {(reports / f"{other}{edition}claim-jobs-grew.html").resolve()
                               for other in REGIONS.values()}
            current = [a for a in links if a.get("aria-current") == "page"]
            assert [(page.parent / a["href"]).resolve() for a in current] == [page.resolve()]


def test_the_atlas_page_links_each_region_on_the_map_and_in_the_list(atlas_once) -> None:
    reports = atlas_once[0] / "reports"
    for edition, title in (("", "De beweringen voor elk van de 3 COROP-regio's"),
                           ("en/", "The claims for each of the 3 COROP regions")):
        page = reports / f"{edition}atlas.html"
        document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert document.find("h1").get_text() == title
        on_map = {(page.parent / a["href"]).resolve() for a in document.select("svg a")}
        listed = {(page.parent / a["href"]).resolve() for a in document.select(".atlas-regions a")}
        expected = {(reports / f"{folder}{edition}index.html").resolve() for folder in REGIONS.values()}
        assert on_map == listed == expected
        # each tile carries its region's short name (data/corop_tiles.csv), Twente's "TWE" among them
        written = {a["href"]: a.find("text").get_text() for a in document.select("svg a")}
        up = "../" if edition else ""
        assert written[f"{up}{edition}index.html"] == "TWE"
        assert written[f"{up}CR05/{edition}index.html"] == "ZWF"


def test_one_style_file_serves_every_region(atlas_once) -> None:
    reports = atlas_once[0] / "reports"
    styles = {re.search(r'<link rel="stylesheet" href="([^"]+)">', p.read_text(encoding="utf-8")).group(1)
              .rsplit("/", 1)[1] for p in pages(reports)}
    assert len(styles) == 1 and [p.name for p in (reports / "static").glob("report.*.css")] == list(styles)
    assert not list(reports.rglob("*.html")) or all("<style>\n" not in p.read_text() for p in pages(reports))


def test_a_rerun_with_nothing_changed_executes_nothing(atlas) -> None:
    start = time.monotonic()
    lines = run_atlas()
    assert sum(line.startswith("Nothing changed") for line in lines) == len(REGIONS), lines
    assert not any("Executing" in line for line in lines)
    assert time.monotonic() - start < 30  # hashing and reading states only (the benchmark times it)


def test_a_changed_claim_reruns_its_page_in_every_region_and_the_pages_that_list_it(atlas) -> None:
    registry = atlas / "claims.toml"
    text = registry.read_text(encoding="utf-8")
    changed = text.replace('title_en = "Jobs grew 3%"', 'title_en = "Jobs grew 3% (edited)"', 1)
    assert changed != text, "the test registry's claim text moved: update the edit"
    registry.write_text(changed, encoding="utf-8")
    lines = run_atlas()
    executing = [line for line in lines if line.startswith("Executing")]
    assert len(executing) == len(REGIONS)
    for line in executing:
        ran = set(re.findall(r"[\w-]+\.html", line))
        # the claim's own page and "after 2017", which lists every claim; not the data overview,
        # which depends only on the institutions the claims name
        assert ran == {"claim-jobs-grew.html", "after-2017.html"}, line


def test_a_killed_atlas_keeps_every_regions_report_and_leaves_no_process(atlas: Path) -> None:
    reports = atlas / "reports"
    before = _site(reports)
    process = _report(atlas, "--region", "all", "--force")
    deadline = time.monotonic() + WAIT_SECONDS
    while not any(_is_kernel(child) for child in _tree(process.pid)):
        assert process.poll() is None, f"the atlas ended before a kernel started: {process.stderr.read()}"
        assert time.monotonic() < deadline, "no kernel started within the time limit"
        time.sleep(0.05)
    tree = _tree(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    _gone, alive = psutil.wait_procs(tree, timeout=30)
    assert alive == [], f"processes of the killed atlas still running: {[p.cmdline() for p in alive]}"
    assert _site(reports) == before  # killed while the first region's pages ran: nothing published
    finished = _report(atlas, "--region", "all")
    _out, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err
    assert not list(reports.glob(".tmp-*")) and not list(reports.glob("*/.tmp-*"))


@pytest.mark.parametrize("width", [390, 1280])
def test_a_reader_goes_through_three_regions_with_the_picker(atlas_once, width: int) -> None:
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM, CHROMIUM_ARGS, offline_page, require_chromium

    require_chromium()
    reports = atlas_once[0] / "reports"
    errors: list[str] = []
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context, page = offline_page(browser, errors, external)
        page.set_viewport_size({"width": width, "height": 900})
        page.goto((reports / "en" / "claim-jobs-grew.html").as_uri())  # Twente, English
        for name, folder in (("Zuidwest-Friesland", "CR05/"), ("Arnhem/Nijmegen", "CR15/"), ("Twente", "")):
            page.click(".region-picker summary")
            link = page.locator(".region-picker .picker-panel a", has_text=name)
            assert link.is_visible()  # the open list is on screen, not behind the header or off the side
            link.click()
            page.wait_for_load_state()
            assert page.url == (reports / f"{folder}en/claim-jobs-grew.html").resolve().as_uri()
            assert page.locator(".region-picker summary .region").inner_text() == name
            assert page.locator("html").get_attribute("lang") == "en"
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, f"{name} at {width} px: {scroll} px wide"
        context.close()
        browser.close()
    assert errors == [] and external == []
