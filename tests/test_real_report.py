"""The real report: every notebook on the committed processed data, rendered and opened in a browser.

Builds the site once (Twente) in a throwaway copy of the project, then checks what a policy advisor
gets: one verdict per registered claim, pages without errors, embedded figures, no network needed,
and the same numbers on a second build (determinism).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis import paths
from analysis.engine.claims import load_claims
from analysis.report import site as report
from analysis.report.render import external_resources
from conftest import fail_or_skip

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("real-project")
    source = paths.project_root()
    shutil.copytree(source / "data" / "processed", root / "data" / "processed")
    shutil.copytree(source / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(root))
        list(report.build_report())
        yield root


def _results(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((folder / "results").glob("*.json"))}


def test_every_registered_claim_has_a_verdict_on_the_index(real_site: Path) -> None:
    results = _results(real_site / "reports")
    assert set(results) == set(load_claims())
    assert {r["verdict"] for r in results.values()} <= set(report.VERDICTS)
    index = (real_site / "reports" / "index.html").read_text()
    for result in results.values():
        assert result["page"] in index and result["verdict"] in index


def test_pages_have_figures_and_no_errors_or_network(real_site: Path) -> None:
    pages = sorted((real_site / "reports").glob("[0-9][0-9]_*.html"))
    assert len(pages) == len(list((real_site / "notebooks").glob("[0-9][0-9]_*.py")))
    for page in pages:
        html = page.read_text()
        # (Pygments' stylesheet names a "Generic.Traceback" class, so look for real traceback text.)
        for sign in ("Traceback (most recent call last)", "-" * 75, 'class="output_error"'):
            assert sign not in html, f"{page.name} shows an error ({sign[:30]})"
        assert external_resources(html) == [], page.name
        if page.name != "04_participation.html":  # no data, so no figure, by design
            assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', html)) >= 1, page.name


def test_second_build_gives_identical_numbers_and_verdicts(real_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _results(real_site / "reports")
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(real_site))
    lines = list(report.build_report(force=True))
    assert any("no changes" in line for line in lines)
    assert _results(real_site / "reports") == first


def test_real_site_in_a_browser(real_site: Path) -> None:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: apt-get install chromium to run the browser test"
        fail_or_skip(reason)
    import matplotlib.image
    from playwright.sync_api import sync_playwright

    site = real_site / "reports"
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(offline=True, viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((site / "index.html").as_uri())
        links = sorted({h for h in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
                        if not h.startswith(("http:", "https:", "#", "mailto:"))})
        assert len(links) >= 6
        for href in links:
            assert (site / href).exists(), href
            page.goto((site / href).as_uri())
            for image in page.locator("img").all():
                assert image.evaluate("img => img.complete && img.naturalWidth > 0"), href
            pixels = matplotlib.image.imread(io.BytesIO(page.screenshot()), format="png")[..., :3] * 255
            assert float(pixels.var()) > 50, f"{href} looks blank"
        browser.close()
    assert errors == [], errors
