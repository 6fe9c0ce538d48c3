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
def browser(site: Path) -> Iterator[object]:
    """Headless Chromium for the module (pages are opened in their own offline contexts)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def offline_page(browser, errors: list[str], external: list[str]) -> tuple[object, object]:
    """(context, page) of an offline browser page that collects console errors into ``errors`` and
    every request that left file:// or data: into ``external`` (the report must not need the network)."""
    context = browser.new_context(offline=True, viewport={"width": 1100, "height": 900})

    def guard(route) -> None:
        if urlparse(route.request.url).scheme in {"file", "data"}:
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page


@pytest.fixture(scope="module")
def browser_page(browser) -> Iterator[tuple[object, list[str], list[str]]]:
    """One offline browser page; collects console errors and every request that left file:// or data:."""
    errors: list[str] = []
    external: list[str] = []
    context, page = offline_page(browser, errors, external)
    yield page, errors, external
    context.close()


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


# --- Layout and accessibility at phone and desktop width (issue 15 items 9 and 11) ------------------

PAGE_COUNT = 14  # seven pages in each edition (test_both_editions_walk_without_errors names them)
# The element that has the keyboard focus, described; null when the focus left the page's controls
# or came back to one seen before (the tab order went round). Marks each stop so the round is seen.
FOCUS_STOP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e.dataset.focusSeen) { return null; }
  e.dataset.focusSeen = "1";
  const s = getComputedStyle(e);
  return {tag: e.tagName, text: (e.textContent || "").trim().slice(0, 40), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth)};
}"""


def html_pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html")) + sorted((site / "en").glob("*.html"))


def relative(site: Path, path: Path) -> str:
    return path.resolve().relative_to(site.resolve()).as_posix()


@pytest.fixture(scope="module", params=[390, 1280], ids=lambda width: f"{width}px")
def sized_page(browser, request) -> Iterator[tuple[object, int]]:
    """A page in a window of a phone's (390 px) or a laptop's (1280 px) width."""
    context = browser.new_context(offline=True, viewport={"width": request.param, "height": 900})
    yield context.new_page(), request.param
    context.close()


def test_no_page_scrolls_sideways(site: Path, sized_page) -> None:
    page, width = sized_page
    pages = html_pages(site)
    assert len(pages) == PAGE_COUNT
    sideways = {}
    for path in pages:
        page.goto(path.as_uri())
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner + 1:  # one pixel of rounding
            sideways[relative(site, path)] = scroll
    assert sideways == {}, f"pages wider than the {width} px window (their scrollWidth): {sideways}"


def test_skip_link_is_the_first_stop_and_lands_on_the_content(site: Path, sized_page) -> None:
    page, width = sized_page
    for path in (site / "index.html", site / "en" / "claim-jobs-grew.html", site / "league.html"):
        page.goto(path.as_uri())
        page.keyboard.press("Tab")
        first = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
            return [e.className, e.getAttribute("href"), r.top >= 0 && r.bottom <= innerHeight && r.width > 0]; }""")
        assert first == ["skip-link", "#content", True], f"{relative(site, path)} at {width} px: {first}"
        page.keyboard.press("Enter")
        assert page.evaluate("[document.activeElement.tagName, document.activeElement.id]") == ["MAIN", "content"]
        page.keyboard.press("Tab")  # the next stop is in the content, past the header's links
        assert page.evaluate("document.activeElement.closest('main') !== null"), relative(site, path)


def test_every_control_shows_where_the_focus_is(site: Path, sized_page) -> None:
    page, width = sized_page
    tags: set[str] = set()
    for path in (site / "index.html", site / "claim-jobs-grew.html", site / "en" / "league.html"):
        page.goto(path.as_uri())
        stops = []
        for _ in range(300):
            page.keyboard.press("Tab")
            stop = page.evaluate(FOCUS_STOP)
            if stop is None:
                break
            stops.append(stop)
        assert len(stops) > 5, f"{relative(site, path)}: only {len(stops)} keyboard stops"
        unmarked = [stop for stop in stops if stop["style"] == "none" or stop["width"] < 2]
        assert unmarked == [], f"{relative(site, path)} at {width} px: focus without a visible ring: {unmarked}"
        tags |= {stop["tag"] for stop in stops}
    # links, the show-code and sort buttons, the analysts' folds, the scrolling table boxes
    assert tags >= {"A", "BUTTON", "SUMMARY", "DIV"}, tags


def test_language_switch_leads_to_the_same_page_in_the_other_edition(site: Path, sized_page) -> None:
    page, width = sized_page
    for path in html_pages(site):
        lang = "en" if path.parent.name == "en" else "nl"
        page.goto(path.as_uri())
        assert page.locator(".languages [aria-current='true']").get_attribute("lang") == lang
        page.locator("a.lang-switch").click()  # a real click: the link is visible and nothing covers it
        other = site.resolve() / ("en/" if lang == "nl" else "") / path.name
        assert Path(urlparse(page.url).path) == other, f"{relative(site, path)} at {width} px"
        assert page.locator("html").get_attribute("lang") == ("nl" if lang == "en" else "en")


def test_every_link_to_a_local_file_resolves(site: Path, browser_page) -> None:
    """Files exist, and a link to a place in a page (#id) finds that place."""
    from urllib.parse import unquote

    page, _errors, _external = browser_page
    ids: dict[Path, set[str]] = {}

    def ids_of(target: Path) -> set[str]:
        if target not in ids:
            page.goto(target.as_uri())
            ids[target] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        return ids[target]

    broken = []
    for path in html_pages(site):
        page.goto(path.as_uri())
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => [e.getAttribute('href'), e.href])")
        for written, absolute in links:
            url = urlparse(absolute)
            if url.scheme != "file":
                continue
            target = Path(unquote(url.path))
            if not target.is_file() or url.fragment and target.suffix == ".html" and unquote(url.fragment) not in ids_of(target):
                broken.append((relative(site, path), written))
    assert broken == [], f"links that lead nowhere (page, href): {broken}"


def test_screenshots_for_a_person_to_look_at(site: Path, browser) -> None:
    import matplotlib.image

    from site_screenshots import WIDTHS, write_screenshots

    written = write_screenshots(site, browser)
    expected = {f"{edition}-{stem}-{width}.png" for edition in ("nl", "en")
                for stem in ("index", "claim-jobs-grew", "league") for width in (390, 1280)}
    assert {path.name for path in written} == expected and WIDTHS == (390, 1280)
    for path in written:
        assert path.parent == site / "screenshots"
        pixels = matplotlib.image.imread(path)
        width = int(path.stem.rsplit("-", 1)[1])
        # A whole page as wide as the window (a wider image would mean sideways scrolling), not blank.
        assert pixels.shape[1] == width and pixels.shape[0] >= 900, (path.name, pixels.shape)
        assert float((pixels[..., :3] * 255.0).var()) > MIN_PIXEL_VARIANCE, f"{path.name} looks blank"
