"""The method page: ``docs/method.nl.md`` and ``docs/method.en.md`` as ``method.html`` in each edition.

The two documents ("Hoe wij een bewering controleren" / "How we check a claim") are written once
per language for readers and live in ``docs/`` beside the code, so they are read from the
repository the package belongs to, not from the project a build writes into (a build for another
root, as the tests make, still gets them). They are converted with markdown-it-py (CommonMark plus
tables; raw HTML in the documents is not passed through) and rendered in the site's layout by
:func:`analysis.site.render.render_method`.

Every page of the site links the method page from its header: :func:`with_link` puts the link
beside the other navigation links, its words from the message ``method.nav``. A page records the
sha256 of the two documents (``data-method-source``), so that :func:`is_current` can tell a
build that nothing else changed whether the method pages still need rendering.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from analysis.i18n import LANGUAGES, render
from analysis.paths import PACKAGE_DIR

METHOD_PAGE = "method.html"
DOCS_DIR = PACKAGE_DIR.parent.parent / "docs"  # src/analysis -> the repository's docs/
SOURCE_ATTRIBUTE = "data-method-source"
# The header's navigation: the method link goes after its last link of class "nav".
_HEADER = re.compile(r'<header class="site-header">.*?</header>', re.DOTALL)
_NAV_LINK = re.compile(r'<a class="nav"[^>]*>.*?</a>', re.DOTALL)


def source_file(lang: str, docs_dir: Path | None = None) -> Path:
    """The document of edition ``lang`` (FileNotFoundError naming it and the way out if missing)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; the method page exists in {', '.join(LANGUAGES)}")
    path = (docs_dir or DOCS_DIR) / f"method.{lang}.md"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the report renders its method page from "
                                f"docs/method.{lang}.md; restore it from git (git checkout -- docs/)")
    return path


def fingerprint(docs_dir: Path | None = None) -> str:
    """sha256 over both documents: a changed document means the method pages need rendering."""
    digest = hashlib.sha256()
    for lang in LANGUAGES:
        digest.update(lang.encode() + b"\0" + source_file(lang, docs_dir).read_bytes())
    return digest.hexdigest()


def to_html(markdown_text: str) -> tuple[str, str]:
    """(title, body HTML) of a document: the title is its first level-1 heading, which stays in
    the body as the page's title (class ``page-title``, as on the notebook pages)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = parser.parse(markdown_text)
    title = next((tokens[i + 1].content for i, token in enumerate(tokens)
                  if token.type == "heading_open" and token.tag == "h1"), "")
    if not title:
        raise ValueError("the method document has no title: it must open with a '# ' heading")
    body = parser.renderer.render(tokens, parser.options, {})
    return title, body.replace("<h1>", '<h1 class="page-title">', 1)


def document(lang: str, docs_dir: Path | None = None) -> tuple[str, str]:
    """(title, body HTML) of edition ``lang``."""
    return to_html(source_file(lang, docs_dir).read_text(encoding="utf-8"))


def is_current(folders: Iterable[Path], docs_dir: Path | None = None) -> bool:
    """Whether the method page in each of ``folders`` (one per edition) exists and was rendered
    from the documents as they are now."""
    mark = f'{SOURCE_ATTRIBUTE}="{fingerprint(docs_dir)}"'
    pages = [Path(folder) / METHOD_PAGE for folder in folders]
    return all(page.exists() and mark in page.read_text(encoding="utf-8") for page in pages)


def with_link(html: str, lang: str) -> str:
    """``html`` with a link to the method page after the header's navigation links (unchanged if
    the header links it already). Every edition's pages sit beside their method page, so the
    link is relative: ``method.html``."""
    header = _HEADER.search(html)
    if header is None:
        raise ValueError('a report page has no <header class="site-header">: the link to the method '
                         "page goes into it (templates/_layout.html.j2)")
    block = header.group(0)
    if f'href="{METHOD_PAGE}"' in block:
        return html
    links = list(_NAV_LINK.finditer(block))
    if not links:
        raise ValueError('the site header has no <a class="nav"> link to put the method link after '
                         "(templates/_layout.html.j2)")
    from markupsafe import escape

    link = f'\n  <a class="nav" href="{METHOD_PAGE}">{escape(render("method.nav", lang))}</a>'
    at = header.start() + links[-1].end()
    return html[:at] + link + html[at:]


def with_sensitivity(html: str, records: Iterable[dict], lang: str) -> str:
    """The method page with a table of this build's claims: each verdict under the registry's
    thresholds and the settings (a threshold moved by 0.05 or 0.10, the lowest or highest
    weighting) under which it would read otherwise, so that a moved threshold shows."""
    from markupsafe import escape

    from analysis.report.cards import verdict_word

    rows = []
    for record in records:
        check = record.get("check") or {}
        own = record.get("verdict", "")
        other = [row for row in check.get("sensitivity") or [] if row.get("verdict") != own]
        moved = "; ".join(
            render(f"sensitivity.setting.{row['setting']}", lang,
                   value=_share(row.get("value"), lang)) + f": {verdict_word(row['verdict'], lang)}"
            for row in other) or render("sensitivity.none", lang)
        title = (record.get("title") or {}).get(lang, record.get("claim_id", ""))
        rows.append(f"<tr><td>{escape(title)}</td><td>{escape(verdict_word(own, lang))}</td>"
                    f"<td>{escape(moved)}</td></tr>")
    if not rows:
        return html
    table = (f'<section id="sensitivity"><h2>{escape(render("sensitivity.heading", lang))}</h2>'
             f"<p>{escape(render('sensitivity.intro', lang))}</p><div class=\"table-scroll\"><table>"
             f"<thead><tr><th scope=\"col\">{escape(render('sensitivity.claim', lang))}</th>"
             f"<th scope=\"col\">{escape(render('sensitivity.verdict', lang))}</th>"
             f"<th scope=\"col\">{escape(render('sensitivity.otherwise', lang))}</th></tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table></div></section>")
    if "</main>" not in html:
        raise ValueError("the method page has no </main>: the sensitivity table goes at its end")
    return html.replace("</main>", table + "</main>", 1)


def _share(value: float | None, lang: str) -> str:
    from analysis.i18n import Num

    return "" if value is None else Num(100 * float(value), "percent", 0).format(lang)
