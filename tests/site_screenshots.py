"""Screenshots of a built report for a person to look at: the index, one claim page and the league
page of each edition, at phone (390 px) and desktop (1280 px) width, whole pages.

After a build (``.venv/bin/python -m analysis report``)::

    .venv/bin/python tests/site_screenshots.py            # reports/ of this checkout
    .venv/bin/python tests/site_screenshots.py other/reports

writes ``<reports>/screenshots/<edition>-<page>-<width>.png`` (``nl-index-390.png``, ...); reports/
is not in git. tests/test_browser.py calls :func:`write_screenshots` on its own test site. Needs
Debian's ``/usr/bin/chromium`` and the dev extra's playwright.
"""

from __future__ import annotations

import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WIDTHS = (390, 1280)  # an ordinary phone held upright; a laptop
HEIGHT = 900
EDITIONS = {"nl": "", "en": "en"}  # edition -> its folder under reports/


def pages_to_shoot(site: Path) -> dict[str, Path]:
    """Screenshot name stem -> page: per edition the index, the first claim page (by file name)
    and the league page. A missing page is an error naming it (the build did not finish)."""
    chosen: dict[str, Path] = {}
    for edition, folder in EDITIONS.items():
        directory = site / folder
        claims = sorted(directory.glob("claim-*.html"))
        if not claims:
            raise FileNotFoundError(f"no claim-*.html in {directory}: build the report first "
                                    "(.venv/bin/python -m analysis report)")
        for page in (directory / "index.html", claims[0], directory / "league.html"):
            if not page.exists():
                raise FileNotFoundError(f"{page} is missing: build the report first "
                                        "(.venv/bin/python -m analysis report)")
            chosen[f"{edition}-{page.stem}"] = page
    return chosen


def write_screenshots(site: Path, browser) -> list[Path]:
    """Full-page PNGs of :func:`pages_to_shoot` at every width in ``site/screenshots``; returns them.
    ``browser``: a playwright Browser (offline contexts are made here)."""
    out = site / "screenshots"
    out.mkdir(exist_ok=True)
    written = []
    for width in WIDTHS:
        context = browser.new_context(offline=True, viewport={"width": width, "height": HEIGHT})
        page = context.new_page()
        for stem, path in pages_to_shoot(site).items():
            page.goto(path.resolve().as_uri())
            target = out / f"{stem}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
        context.close()
    return written


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    site = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "reports"
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            written = write_screenshots(site, browser)
        finally:
            browser.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
