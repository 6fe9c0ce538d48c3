"""The rendered site in a real browser (headless Debian Chromium, offline): what a policy advisor sees,
in both editions.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``). Without it the test is skipped with the
reason, except under CI where it fails. The site is the synthetic one of test_report (two claims,
the overview and after-2017 pages, the league page); test_real_report walks the real one the same way.
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


def require_chromium() -> None:
    if not CHROMIUM.exists():
        fail_or_skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run the "
                     "browser test")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    require_chromium()
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


def pixel_variance(png: bytes) -> float:
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3] * 255.0
    return float(pixels.var())


def walk_site(site: Path, page, errors: list[str], external: list[str]) -> dict[str, dict[str, list[str]]]:
    """Open every page both editions link to; check links, images, lang, switch and screenshots.

    Returns edition -> page path -> its headings (h1-h3 texts), for comparisons between editions.
    """
    headings: dict[str, dict[str, list[str]]] = {"nl": {}, "en": {}}
    queue = [site / "index.html", site / "en" / "index.html"]
    seen: set[Path] = set()
    csv_links: set[Path] = set()
    while queue:
        path = queue.pop(0).resolve()
        if path in seen:
            continue
        seen.add(path)
        assert path.exists(), f"a link leads to {path}, which was not built"
        if path.suffix != ".html":  # a CSV of a figure or chart
            assert path.stat().st_size > 0, f"{path} is empty"
            csv_links.add(path)
            continue
        page.goto(path.as_uri())
        lang = "en" if path.parent.name == "en" else "nl"
        relative = path.relative_to(site.resolve()).as_posix()
        assert page.locator("html").get_attribute("lang") == lang, relative
        for image in page.locator("img").all():
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), relative
            assert (image.get_attribute("alt") or "").strip(), f"an image on {relative} has no alt text"
        for chart in page.locator("svg").all():
            assert chart.get_attribute("role") == "img", relative
            assert chart.locator("title").first.text_content().strip(), f"a chart on {relative} has no title"
        variance = pixel_variance(page.screenshot(full_page=False))
        assert variance > MIN_PIXEL_VARIANCE, f"{relative} looks blank (pixel variance {variance:.1f})"
        headings[lang][relative.removeprefix("en/")] = [
            " ".join(text.split()) for text in page.locator("main h1, main h2, main h3").all_inner_texts()]
        # The language switch leads to the same page in the other edition.
        switch = page.locator("a.lang-switch")
        target = (path.parent / switch.get_attribute("href")).resolve()
        other = site.resolve() / ("en/" if lang == "nl" else "") / path.name
        assert target == other, f"the switch on {relative} leads to {target}"
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            if href.startswith(("http:", "https:", "#", "mailto:")):
                continue
            queue.append(path.parent / href.split("#")[0])
    assert errors == [], f"console errors: {errors}"
    assert external == [], f"requests to the network: {external}"
    written = {p.resolve() for p in (site / "data").rglob("*.csv")}
    assert written and written <= csv_links, f"CSV files no page links to: {sorted(written - csv_links)}"
    return headings


def check_editions_differ(headings: dict[str, dict[str, list[str]]]) -> None:
    """Every page exists in both editions and the Dutch one shows none of the English headings."""
    assert headings["nl"].keys() == headings["en"].keys()
    english = {text for texts in headings["en"].values() for text in texts}
    dutch = {text for texts in headings["nl"].values() for text in texts}
    # Headings that are names (a region, "Twente claims" in both) may match; sentences may not.
    shared = {text for text in english & dutch if len(text.split()) > 2}
    assert shared == set(), f"English headings in the Dutch edition: {sorted(shared)}"


def test_both_editions_walk_without_errors(site: Path, browser_page) -> None:
    page, errors, external = browser_page
    headings = walk_site(site, page, errors, external)
    assert set(headings["nl"]) == {"index.html", "league.html", "overview.html", "claim-jobs-grew.html",
                                   "claim-students-share.html", "after-2017.html", "method.html"}
    check_editions_differ(headings)
    assert headings["nl"]["claim-jobs-grew.html"][0] == "Banen groeiden 3%"
    assert headings["en"]["claim-jobs-grew.html"][0] == "Jobs grew 3%"


def test_show_code_reveals_the_code_in_the_edition_language(site: Path, browser_page) -> None:
    page, errors, _external = browser_page
    for path, show, hide in ((site / "claim-jobs-grew.html", "Toon code", "Verberg code"),
                             (site / "en" / "claim-jobs-grew.html", "Show code", "Hide code")):
        page.goto(path.as_uri())
        code = page.locator(".code_cell .input").first
        button = page.get_by_role("button", name=show)
        assert button.is_visible() and not code.is_visible()  # hidden by default: advisors read results
        button.click()
        assert code.is_visible() and page.locator("#code-toggle").inner_text() == hide
        assert page.locator("#code-toggle").get_attribute("aria-pressed") == "true"
        page.locator("#code-toggle").click()
        assert not code.is_visible()
    assert errors == []


def test_league_table_sorts_by_a_claim(site: Path, browser_page) -> None:
    page, errors, _external = browser_page
    page.goto((site / "en" / "league.html").as_uri())

    def regions() -> list[str]:
        return page.eval_on_selector_all("#league-table tbody tr", "rows => rows.map(r => r.dataset.region)")

    assert regions() == ["CR12", "CR15"]  # by code
    page.locator('#league-table th[data-claim="jobs-grew"] button').click()
    assert regions() == ["CR12", "CR15"]  # 27.64 < 30.0 (fake_league: 2010 jobs / 10,000)
    page.locator('#league-table th[data-claim="jobs-grew"] button').click()
    assert regions() == ["CR15", "CR12"]  # again: descending
    assert page.locator('#league-table th[data-claim="jobs-grew"]').get_attribute("aria-sort") == "descending"
    assert errors == []
