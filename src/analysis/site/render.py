"""HTML for the report: both editions of every page from one executed notebook, the index, the league
and the method page (every page links the method page: :func:`analysis.report.method.with_link`).

A notebook is executed once; its reader-visible outputs are sibling elements per language
(``<div class="l10n" lang="nl">`` / ``lang="en"``, report contract point 1). For edition L this
module drops every ``.l10n`` element whose lang is not L, takes the edition's page title
(``h1.page-title``), sets ``<html lang="L">``, adds the language switch to the same page in the
other edition and, for pages in ``en/``, rewrites relative ``data/...`` links to ``../data/...``.
The site's own words come from the message catalogue (``data/messages/site.toml``), its numbers
and dates are formatted by Babel. Pages work offline: the style and the two small scripts are
one shared copy under the site root (``static/``, :func:`write_static`), figures are data URIs or
inline SVG, nothing is loaded from a CDN. In an atlas (or where other regions' reports are built)
the header's region picker leads to the same page for another region.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from analysis.i18n import LOCALES, Num, render
from analysis.paths import PACKAGE_DIR
from analysis.report import method
from analysis.report.cards import VERDICT_STYLES, verdict_word
from analysis.report.parameters import BuildParameters

TEMPLATES = PACKAGE_DIR / "templates"
ATLAS_PAGE = "atlas.html"  # the atlas index, at the site root of each edition

# <script src=...>, <link href=...>, <img src=...>, <iframe src=...> and CSS @import/url() pointing
# at another host: any of these would make a page depend on the network.
_EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|@import\s+(?:url\()?\s*["']?((?:https?:)?//[^"')\s]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SiteContext:
    """What every page shows in its header and footer."""

    parameters: BuildParameters
    built_at: datetime  # UTC
    manifest: Mapping[str, Any]
    code_version: str
    registry_hash: str
    root: str = ""  # from the report folder to the site root ("" for the default region, else "../")
    # the regions the picker leads to: (code, name, folder under the root: "" or "CR05/"); empty: no picker
    picker: tuple[tuple[str, str, str], ...] = ()

    @property
    def region_label(self) -> str:
        return f"{self.parameters.region_name.removesuffix(' (CR)')} ({self.parameters.region})"


def external_resources(html: str) -> list[str]:
    """URLs of scripts, styles, images or frames a page would fetch from the network."""
    return [next(g for g in match.groups() if g) for match in _EXTERNAL.finditer(html)]


def format_datetime(moment: datetime, lang: str) -> str:
    from babel.dates import format_datetime as babel_datetime

    return babel_datetime(moment, "d MMMM y HH:mm", locale=LOCALES[lang]) + " UTC"


def format_date(text: str, lang: str) -> str:
    """An ISO date (or datetime) string as a date in ``lang``; unparsable text is returned as is."""
    from babel.dates import format_date as babel_date

    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return babel_date(moment.date(), "d MMMM y", locale=LOCALES[lang])


def vintage_rows(manifest: Mapping[str, Any], lang: str) -> list[dict[str, str]]:
    """One row per input of the processed data: what, from whom, retrieved when and how."""
    from analysis.sources.registry import shown_text

    rows = []
    for record in manifest.get("inputs", []):
        mode = str(record.get("mode", ""))
        origin = render(f"site.vintage.mode.{mode}", lang) if mode in ("mirror", "live") else mode
        dataset_id = str(record.get("dataset_id", ""))
        # title, licence and note in the edition's language (the registry's; the manifest holds one)
        shown = {name: shown_text(dataset_id, name, lang, str(record.get(name, "") or ""))
                 for name in ("title", "licence", "partial")}
        rows.append({"dataset_id": dataset_id, "publisher": str(record.get("publisher", "")),
                     "title": shown["title"], "licence": shown["licence"],
                     "retrieved": format_date(record.get("retrieved_at", ""), lang) if record.get("retrieved_at") else "",
                     "origin": origin, "partial": shown["partial"]})
    return rows


def vintage_summary(manifest: Mapping[str, Any], lang: str) -> str:
    """One line for the footer: when the data were processed and retrieved."""
    if not manifest:
        return render("site.vintage.unknown", lang)
    dates = sorted({str(r.get("retrieved_at", ""))[:10] for r in manifest.get("inputs", []) if r.get("retrieved_at")})
    retrieved = (format_date(dates[0], lang) if len(dates) == 1 else
                 render("site.vintage.range", lang, first=format_date(dates[0], lang), last=format_date(dates[-1], lang))
                 ) if dates else render("site.vintage.unknown_date", lang)
    built = format_date(manifest["built_at"], lang) if manifest.get("built_at") else render("site.vintage.unknown_date", lang)
    return render("site.vintage.summary", lang, built=built, inputs=Num(len(manifest.get("inputs", []))),
                  retrieved=retrieved)


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              autoescape=jinja2.select_autoescape(["html", "j2"]),
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


STATIC_DIR = "static"  # under the site root: one copy of the style and scripts for every page


@cache
def static_files() -> dict[str, tuple[str, str]]:
    """name -> (file name, text) of the shared style and scripts; the file name carries a hash of
    the text, so a page never meets a newer or older file under the name it links."""
    import hashlib

    from pygments.formatters import HtmlFormatter

    texts = {"css": ("report", ".css", (TEMPLATES / "report.css").read_text(encoding="utf-8")
                     + HtmlFormatter(style="default").get_style_defs(".highlight")),
             "js": ("toggle", ".js", (TEMPLATES / "toggle.js").read_text(encoding="utf-8")),
             "sort_js": ("sort", ".js", (TEMPLATES / "sort.js").read_text(encoding="utf-8"))}
    return {name: (f"{stem}.{hashlib.sha256(text.encode()).hexdigest()[:10]}{suffix}", text)
            for name, (stem, suffix, text) in texts.items()}


def write_static(root: Path) -> None:
    """The shared files into ``root/static/`` (each written once: its name says its content)."""
    folder = root / STATIC_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, text in static_files().values():
        target = folder / file_name
        if not target.exists():
            temporary = folder / f".{file_name}.tmp"
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)


def _picker(context: SiteContext, up: str, lang: str, page: str) -> list[dict[str, Any]]:
    edition = "en/" if lang == "en" else ""
    return [{"name": name.removesuffix(" (CR)"), "href": f"{up}{folder}{edition}{page}",
             "current": code == context.parameters.region} for code, name, folder in context.picker]


def _common(context: SiteContext, lang: str, page: str, title: str) -> dict[str, Any]:
    """Template variables every page has. ``page``: the file name (index.html, claim-x.html)."""
    switch = ("../" + page) if lang == "en" else ("en/" + page)
    up = context.root + ("../" if lang == "en" else "")  # this page's folder -> the site root

    def t(key: str, **params: Any) -> str:
        return render(key, lang, **params)

    return {"lang": lang, "t": t, "num": lambda value, **kw: Num(value, **kw).format(lang),
            "context": context, "title": title, "page_name": page,
            "static_href": {name: f"{up}{STATIC_DIR}/{file_name}" for name, (file_name, _) in static_files().items()},
            "picker": _picker(context, up, lang, page),
            "atlas_href": f"{up}{'en/' if lang == 'en' else ''}{ATLAS_PAGE}",
            "switch_href": switch,
            "vintage": vintage_summary(context.manifest, lang), "built": format_datetime(context.built_at, lang),
            "verdict_styles": VERDICT_STYLES, "verdict_word": lambda code: verdict_word(code, lang),
            "registry_short": context.registry_hash[:12]}


# --------------------------------------------------------------------------------------------
# Notebook pages


@dataclass(frozen=True)
class NotebookBody:
    html: str  # nbconvert's body, both languages, its embedded images stashed (see _stash_images)
    hidden_stderr: int  # warning lines taken off the page
    warnings: str = ""  # those lines, each cell's under its number (the build writes them to a log file)
    images: tuple[str, ...] = ()  # the stashed data URIs, in the order of their marks


# Embedded figures are most of a page's bytes, and nothing in rendering looks inside them: they are
# taken out before nbconvert and the HTML parser see the page and put back into the finished HTML
# (parsing a page without them is several times faster). A mark is "stash:<n>" in their place.
_DATA_URI = re.compile(r"data:image/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]+")
_STASH_MARK = re.compile(r"stash:(\d+)(?![\d])")


def _stash_images(notebook: Any) -> tuple[str, ...]:
    """Replace the data URIs in the HTML outputs of ``notebook`` by marks; return them in order."""
    images: list[str] = []

    def mark(match: re.Match[str]) -> str:
        images.append(match.group(0))
        return f"stash:{len(images) - 1}"

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = _DATA_URI.sub(mark, "".join(html) if isinstance(html, list) else html)
    return tuple(images)


def _unstash_images(html: str, images: Sequence[str]) -> str:
    return _STASH_MARK.sub(lambda match: images[int(match.group(1))], html) if images else html


def _strip_stderr(notebook: Any) -> list[str]:
    """Take warning output off the page (readers need the result, not library warnings); return the
    lines taken off, each cell's under a heading with its number."""
    hidden: list[str] = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                heading = [] if f"--- cell {number}" in hidden else [f"--- cell {number}"]
                hidden += [*heading, *str(output.get("text", "")).splitlines()]
                continue
            if output.get("output_type") == "error":
                raise RuntimeError(f"an error output ({output.get('ename')}: {output.get('evalue')}) "
                                   "would be shown on the page")
            kept.append(output)
        cell["outputs"] = kept
    return hidden


@cache
def _exporter() -> Any:
    """One exporter for every page of the run (its templates compiled once): nbconvert's HTML
    exporter ("basic" template, no prompts, "remove-cell" tags honoured) without its last pass, which
    parses the whole page once more with Python's HTML parser only to put nbconvert's English
    placeholder into images without alt text and ``tabindex`` on the lab template's cells:
    :func:`edition` gives every image alt text in the edition's language, and the basic template has
    no lab cells. That pass was most of the exporter's time on a claim page."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class PageExporter(HTMLExporter):  # type: ignore[misc]
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            # HTMLExporter.from_notebook_node up to its closing parse (nbconvert 7.17)
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    # embed_images=False: no page has a markdown image that points at a file (figures arrive as data
    # URIs in HTML outputs); nbconvert's embedding would parse the whole page with an HTML parser once more.
    exporter = PageExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=False)
    # Cells an author marks as plumbing ("remove-cell") never reach a reader, not even with code shown.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"},
                                                         remove_input_tags={"remove-input"}), enabled=True)
    return exporter


def notebook_body(executed: Any, parameter_text: Mapping[str, str] | None = None) -> NotebookBody:
    """An executed notebook as HTML (code cells kept, to be hidden by the page's toggle).

    ``parameter_text`` replaces strings in papermill's injected-parameters cell (the temporary
    build folders would otherwise show machine-specific paths to readers of the code).
    """
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            for old, new in (parameter_text or {}).items():
                cell["source"] = cell["source"].replace(old, new)
    hidden = _strip_stderr(notebook)
    images = _stash_images(notebook)
    body, _resources = _exporter().from_notebook_node(notebook)
    lines = sum(not line.startswith("--- cell ") for line in hidden)
    return NotebookBody(body, lines, "\n".join(hidden) + "\n" if hidden else "", images)


def _has_class(name: str) -> str:
    """An XPath test for an element with class ``name`` (among others)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _heading_text(element: Any) -> str:
    """The words of a heading without its anchor link (the pilcrow nbconvert adds)."""
    import copy

    heading = copy.deepcopy(element)
    for anchor in heading.xpath(f".//a[{_has_class('anchor-link')}]"):
        anchor.drop_tree()
    return " ".join(" ".join(piece.split()) for piece in heading.itertext() if piece.strip())


def edition(body_html: str, lang: str, fallback_title: str) -> tuple[str, str]:
    """The body for edition ``lang`` and its title (see the module docstring).

    lxml rather than BeautifulSoup: the same tree in a fortieth of the time, which matters when an
    atlas renders hundreds of pages of large tables."""
    import lxml.html

    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for element in root.xpath(f"//*[@lang and {_has_class('l10n')}]"):
        if element.get("lang") != lang and element.getparent() is not None:
            element.drop_tree()  # its tail (the text after it) stays, as it belongs to the parent
    headings = root.xpath(f"//h1[{_has_class('page-title')}]") or root.xpath("//h1")
    title = (_heading_text(headings[0]) if headings else "") or fallback_title
    if lang != "nl":
        for tag, attribute in (("a", "href"), ("img", "src"), ("link", "href"), ("source", "src")):
            for element in root.iter(tag):
                if str(element.get(attribute, "")).startswith("data/"):
                    element.set(attribute, "../" + element.get(attribute))
    for number, image in enumerate(root.iter("img"), start=1):
        if not image.get("alt"):
            image.set("alt", render("site.figure_alt", lang, number=Num(number), title=title))
    from html import escape

    inner = escape(root.text or "", quote=False) + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return inner, title


def render_page(body: NotebookBody, context: SiteContext, lang: str, page: str, fallback_title: str) -> tuple[str, str]:
    """One edition of a notebook page: (html, title)."""
    content, title = edition(body.html, lang, fallback_title)
    html = _environment().get_template("page.html.j2").render(body=content, **_common(context, lang, page, title))
    return _unstash_images(method.with_link(html, lang), body.images), title


# --------------------------------------------------------------------------------------------
# Index and league


def _lead(text: str, label: str) -> Any:
    """``label: text`` in bold, unless the text already opens with its own lead-in (the engine's
    counter-argument and fairer statement do: "Strongest counter-argument (end year 2015): ...")."""
    from markupsafe import Markup, escape

    if text.split(" ", 1)[0].lower() == label.split(" ", 1)[0].lower():
        head, colon, rest = text.partition(":")
        if colon:
            return Markup('<span class="label">{}:</span>{}').format(head, rest)
        return escape(text)
    return Markup('<span class="label">{}:</span> {}').format(label, text)


def render_index(context: SiteContext, lang: str, cards: Sequence[Any], pages: Sequence[Mapping[str, Any]],
                 changes: Sequence[Mapping[str, str]] | None, league: bool,
                 groups: Sequence[Mapping[str, Any]] | None = None) -> str:
    """The index in ``lang``: claim cards, the other pages, changes since the last build, data vintage.
    ``groups`` (``{"heading", "cards"}`` per publication): with more than one, the cards are shown
    under their publication's heading."""
    title = render("site.index.title", lang, region=context.region_label)
    built = context.manifest.get("built_at")
    groups = list(groups) if groups else [{"heading": "", "cards": list(cards)}]
    return method.with_link(_environment().get_template("index.html.j2").render(
        cards=cards, groups=groups, pages=pages, changes=changes, league=league, lead=_lead,
        vintage_rows=vintage_rows(context.manifest, lang),
        manifest_built=format_date(built, lang) if built else "",
        **_common(context, lang, "index.html", title)), lang)


def render_league(context: SiteContext, lang: str, view: Mapping[str, Any]) -> str:
    title = render("site.league.title", lang)
    return method.with_link(_environment().get_template("league.html.j2").render(
        view=view, **_common(context, lang, "league.html", title)), lang)


def render_method(context: SiteContext, lang: str) -> str:
    """The method page in ``lang`` (docs/method.<lang>.md, see :mod:`analysis.report.method`)."""
    title, body = method.document(lang)
    return method.with_link(_environment().get_template("method.html.j2").render(
        body=body, source=method.fingerprint(), **_common(context, lang, method.METHOD_PAGE, title)), lang)


def render_atlas(context: SiteContext, lang: str, tile_map: str, regions: Sequence[Mapping[str, str]]) -> str:
    """The atlas page in ``lang`` (at the site root of the edition): the tile map and the list."""
    title = render("atlas.title", lang, count=Num(len(regions)))
    return method.with_link(_environment().get_template("atlas.html.j2").render(
        tile_map=tile_map, regions=regions, lede=render("atlas.lede", lang),
        **_common(context, lang, ATLAS_PAGE, title)), lang)
