"""The rendered site in a real browser (headless Debian Chromium, offline): what a policy advisor sees.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``). Without it the test is skipped with the
reason, except under ``CI=true`` where it fails.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import fail_or_skip

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MIN_PIXEL_VARIANCE = 50.0  # a blank (single-colour) page has variance 0; a rendered page is far above this

pytestmark = pytest.mark.slow


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run the browser test"
    fail_or_skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A report built from the two synthetic notebooks of test_report (claim page + overview page)."""
    _require_chromium()
    from test_report import build, make_project, use_project

    root = make_project(tmp_path_factory.mktemp("browser-project"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_project(monkeypatch, root)
        build()
    yield root / "reports"


@pytest.fixture(scope="module")
def browser_page(site: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    """One offline browser page; collects console errors and every request that left file:// or data:."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(offline=True, viewport={"width": 1100, "height": 900})

        def guard(route) -> None:
            if urlparse(route.request.url).scheme in {"file", "data"}:
                route.continue_()
            else:  # the report must not need the network
                external.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, errors, external
        browser.close()


def _pixel_variance(png: bytes) -> float:
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3] * 255.0
    return float(pixels.var())


def test_index_and_every_linked_page_load_without_errors(site: Path, browser_page) -> None:
    page, errors, external = browser_page
    index = site / "index.html"
    page.goto(index.as_uri())
    assert "Twente (CR12)" in page.title()
    assert page.locator("table.claims tbody tr").count() == 1
    assert "supported" in page.locator("table.claims .verdict").first.inner_text()
    links = sorted({href for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
                    if not href.startswith(("http:", "https:", "#", "mailto:"))})
    assert links == ["00_overview.html", "01_claim.html", "index.html"]
    for href in links:
        target = site / href
        assert target.exists(), f"index links to {href}, which was not built"
        page.goto(target.as_uri())
        assert page.locator("h1").count() >= 1, href
        assert page.locator("header a.home").get_attribute("href") == "index.html"
        assert page.locator("footer").inner_text().startswith("Built ")
        # Figures are decoded images, not broken ones.
        for image in page.locator("img").all():
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), href
    assert errors == [], f"console errors: {errors}"
    assert external == [], f"requests to the network: {external}"


def test_pages_are_not_blank(site: Path, browser_page) -> None:
    page, _errors, _external = browser_page
    for name in ("index.html", "01_claim.html"):
        page.goto((site / name).as_uri())
        variance = _pixel_variance(page.screenshot(full_page=True))
        assert variance > MIN_PIXEL_VARIANCE, f"{name} looks blank (pixel variance {variance:.1f})"


def test_show_code_reveals_the_code(site: Path, browser_page) -> None:
    page, errors, _external = browser_page
    page.goto((site / "01_claim.html").as_uri())
    code = page.locator(".code_cell .input").first
    button = page.get_by_role("button", name="Show code")
    assert button.is_visible()
    assert not code.is_visible()  # hidden by default: advisors read results, not code
    button.click()
    assert code.is_visible()
    assert "record_result" in page.locator(".code_cell .input").last.inner_text()
    assert page.locator("#code-toggle").inner_text() == "Hide code"
    assert page.locator("#code-toggle").get_attribute("aria-pressed") == "true"
    page.locator("#code-toggle").click()
    assert not code.is_visible()
    assert errors == []

