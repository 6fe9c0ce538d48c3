"""Show a page's outputs in both editions at once (report contract, points 1 and 3).

A notebook is executed once; every output a reader sees is emitted as sibling elements, one per
language, which the renderer later keeps or drops per edition::

    <div class="l10n" lang="nl">...</div><div class="l10n" lang="en">...</div>

Content is given as something that renders per language (:data:`Content`): an
:class:`analysis.i18n.Text` (catalogue key + parameters), a ``{"nl": ..., "en": ...}`` dict (texts
that are data, such as a claim's quote), a function ``lang -> str``, or a plain ``str`` for what
is the same in both languages (a proper name, a code). Plain text is HTML-escaped; functions whose
name ends in ``_html`` take ready HTML per language.

Figures: :func:`show_figure` draws the figure once per language from one DataFrame, embeds each as
a base64 PNG with alt text in that language, writes that DataFrame's numbers, rounded as the page
shows them, as ``{site_dir}/data/{page_stem}/{name}.csv`` (English: comma, decimal point) and
``{name}.nl.csv`` (Dutch: semicolon, decimal comma), each with a metadata file beside it
(:mod:`analysis.report.downloads`), and links each edition's files under its figure together with
the source line (its tables linked) and how to cite the figure.

Every CBS table id in a displayed text links its StatLine page
(:func:`analysis.report.pagesources.link_table_ids`).

Stage-free apart from IPython/matplotlib/pandas: the claim page helpers (report.claimpage) and the
notebooks build on this module.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.i18n import LANGUAGES, Num, Text, format_num

Content = Text | Mapping[str, str] | Callable[[str], str] | str | Num
DATA_FOLDER = "data"  # figure CSVs: {site_dir}/data/{page_stem}/{name}.csv, linked relative to the page
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def localise(content: Content, lang: str) -> str:
    """``content`` as plain text in ``lang`` (see the module docstring for what content can be)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    if isinstance(content, Text):
        return content.render(lang)
    if isinstance(content, Num):
        return content.format(lang)
    if isinstance(content, Mapping):
        missing = [code for code in LANGUAGES if code not in content]
        if missing:
            raise ValueError(f"text {dict(content)!r} has no {', '.join(missing)} version: give one per "
                             f"language ({', '.join(LANGUAGES)})")
        return str(content[lang])
    if isinstance(content, str):
        return content
    if callable(content):
        return str(content(lang))
    raise TypeError(f"cannot show {type(content).__name__} in a language: give a Text, a "
                    "{'nl': ..., 'en': ...} dict, a function of the language or a str")


def both(content: Content) -> dict[str, str]:
    """``{"nl": ..., "en": ...}``: the content rendered in every language (for JSON records)."""
    return {lang: localise(content, lang) for lang in LANGUAGES}


def join(*parts: Content | None, sep: str = " ") -> dict[str, str]:
    """Several pieces as one text per language (None and empty pieces are left out).

    Returns a ``{"nl": ..., "en": ...}`` dict, so the result can also be a parameter of a
    :class:`analysis.i18n.Text` (which renders dicts per language, not functions).
    """
    kept = [p for p in parts if p is not None]
    return {lang: sep.join(text for text in (localise(p, lang) for p in kept) if text) for lang in LANGUAGES}


def siblings_html(html_by_lang: Callable[[str], str] | Mapping[str, str], *, tag: str = "div",
                  cls: str = "") -> str:
    """One ``<tag class="l10n ..." lang=..>`` element per language, with ready HTML inside."""
    classes = " ".join(["l10n", *cls.split()])
    parts = []
    for lang in LANGUAGES:
        inner = html_by_lang[lang] if isinstance(html_by_lang, Mapping) else html_by_lang(lang)
        parts.append(f'<{tag} class="{classes}" lang="{lang}">{inner}</{tag}>')
    return "".join(parts)


def text_html(content: Content, *, tag: str = "p", cls: str = "") -> str:
    """Plain text (escaped) in both languages as sibling ``tag`` elements."""
    return siblings_html(lambda lang: escape(localise(content, lang)), tag=tag, cls=cls)


def span_html(content: Content, cls: str = "") -> str:
    """Inline: ``<span class="l10n" lang=..>`` per language."""
    return text_html(content, tag="span", cls=cls)


def _display(html: str) -> None:
    from IPython.display import HTML, display

    from analysis.report.pagesources import link_table_ids

    display(HTML(link_table_ids(html)))


def show_html(html_by_lang: Callable[[str], str] | Mapping[str, str], *, cls: str = "") -> None:
    """Display ready HTML per language (a ``div`` each)."""
    _display(siblings_html(html_by_lang, cls=cls))


_PAGE: dict[str, dict[str, str]] = {}  # the title of the page being executed (a citation names it)


def page_title(content: Content) -> None:
    """The page title: the first output of every page (``h1.page-title`` per language)."""
    _PAGE["title"] = both(content)
    _display(text_html(content, tag="h1", cls="page-title"))


def current_page_title() -> dict[str, str] | None:
    """The title :func:`page_title` showed last in this kernel (None before any)."""
    return _PAGE.get("title")


def heading(content: Content, level: int = 2) -> None:
    """A section heading (``h2`` by default) in both languages."""
    if not 2 <= level <= 4:
        raise ValueError(f"heading level {level}: use 2, 3 or 4 (h1 is the page title)")
    _display(text_html(content, tag=f"h{level}"))


def paragraph(*parts: Content | None, cls: str = "") -> None:
    """One paragraph per language, its parts joined by spaces."""
    _display(text_html(join(*parts), tag="p", cls=cls))


def bullets_html(items: Iterable[Content], lang: str) -> str:
    """A ``<ul>`` of the items in ``lang`` (escaped)."""
    rows = "".join(f"<li>{escape(localise(item, lang))}</li>" for item in items)
    return f"<ul>{rows}</ul>"


def bullets(items: Iterable[Content]) -> None:
    """A bulleted list in both languages."""
    items = list(items)
    if items:
        show_html(lambda lang: bullets_html(items, lang))


def bullets_with_fold(items: Iterable[Content], folded: tuple[str, ...], summary: Content) -> None:
    """A bulleted list of ``items``, except the messages whose key starts with one of ``folded``:
    those are collapsed under ``summary`` for analysts (in the order given; no fold if none)."""
    items = list(items)
    hidden = [i for i in items if isinstance(i, Text) and i.key.startswith(folded)]
    bullets([i for i in items if not any(i is h for h in hidden)])
    if hidden:
        details(summary, lambda lang: bullets_html(hidden, lang))


def details_html(summary: Content, body_by_lang: Callable[[str], str], *, cls: str = "analyst") -> str:
    """A collapsed ``<details>`` per language (for analysts): summary text, ready HTML inside."""
    return siblings_html(lambda lang: (f"<details><summary>{escape(localise(summary, lang))}</summary>"
                                       f"{body_by_lang(lang)}</details>"), cls=cls)


def details(summary: Content, body_by_lang: Callable[[str], str], *, cls: str = "analyst") -> None:
    """Display :func:`details_html`."""
    _display(details_html(summary, body_by_lang, cls=cls))


# --- tables -----------------------------------------------------------------------------------------

Formatter = Callable[[Any, str], str]


def is_missing(value: Any) -> bool:
    """None, NaN or pandas' NA (a scalar the table shows as a dash)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other non-scalars are not missing
        return False


def number(style: str = "number", decimals: int = 0, signed: bool = False,
           round_to: float | None = None) -> Formatter:
    """A cell formatter: the value as a :class:`Num` formatted by Babel for the language."""

    def fmt(value: Any, lang: str) -> str:
        if is_missing(value):
            return "–"
        return format_num(Num(float(value), style=style, decimals=decimals, signed=signed,
                              round_to=round_to), lang)

    return fmt


def yes_no(value: Any, lang: str) -> str:
    """True / False / None as words of the catalogue."""
    key = {True: "page.word.yes", False: "page.word.no"}.get(None if value is None else bool(value),
                                                              "page.word.undecided")
    return Text(key).render(lang)


def localised_frame(frame: pd.DataFrame, columns: Mapping[str, Content], lang: str,
                    formats: Mapping[str, Formatter] | None = None) -> pd.DataFrame:
    """``frame``'s ``columns`` (in that order), headers and cells rendered for ``lang``.

    A cell whose column has a formatter is formatted by it; a cell that is itself content (Text,
    dict, Num) is localised; anything else is shown as ``str``. Unknown columns are an error.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the table; it has {list(frame.columns)}")
    formats = formats or {}
    out = {}
    for column, header in columns.items():
        fmt = formats.get(column)
        cells = []
        for value in frame[column]:
            if fmt is not None:
                cells.append(fmt(value, lang))
            elif isinstance(value, (Text, Num, Mapping)) or callable(value):
                cells.append(localise(value, lang))
            elif is_missing(value):
                cells.append("–")
            else:
                cells.append(str(value))
        out[localise(header, lang)] = cells
    return pd.DataFrame(out)


def table_html(frame: pd.DataFrame, columns: Mapping[str, Content], lang: str,
               formats: Mapping[str, Formatter] | None = None) -> str:
    """The table as HTML for ``lang`` (escaped cells, no index)."""
    shown = localised_frame(frame, columns, lang, formats)
    return shown.to_html(index=False, escape=True, border=0, classes="data-table")


def table(frame: pd.DataFrame, columns: Mapping[str, Content],
          formats: Mapping[str, Formatter] | None = None, *, caption: Content | None = None) -> None:
    """Display a table in both languages (headers from the catalogue, numbers by Babel)."""
    def render(lang: str) -> str:
        head = f"<p class=\"table-caption\">{escape(localise(caption, lang))}</p>" if caption else ""
        return head + table_html(frame, columns, lang, formats)

    show_html(render)


# --- figures ----------------------------------------------------------------------------------------


# Figures are SVG with their text as text: a third of the bytes of a PNG of the same figure, sharp at
# any width, and a third faster to write (no rasterising, no PNG encoding; every figure is drawn
# twice, once per edition). The ids are salted with a fixed string so that the same figure gives
# the same bytes (tests/test_determinism.py); no creation date for the same reason.
FIGURE_RC = {"svg.fonttype": "none", "svg.hashsalt": "twente-claims"}
FIGURE_MEDIA_TYPE = "image/svg+xml"


def _figure_base64(figure: Any) -> str:
    import matplotlib as mpl

    buffer = io.BytesIO()
    with mpl.rc_context(FIGURE_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def write_figure_data(data: pd.DataFrame, name: str, site_dir: str | Path, page_stem: str,
                      info: Any = None) -> dict[str, str] | None:
    """Write the plotted numbers under ``{site_dir}/data/{page_stem}/`` as each edition's CSV with
    its metadata file (:func:`analysis.report.downloads.write_downloads`; ``info`` a
    :class:`~analysis.report.downloads.FigureInfo`, made from the data alone when None). Returns
    the page links per language (``{"nl": ".../{name}.nl.csv", "en": ".../{name}.csv"}``).

    Without ``site_dir`` (a page run by hand) nothing is written and None is returned.
    """
    from analysis.report import downloads

    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r}: use lower-case letters, digits, '_' and '-'")
    if not str(site_dir):
        return None
    if not page_stem or not _NAME.match(page_stem):
        raise ValueError(f"page_stem {page_stem!r}: the report passes the page's file name without .html "
                         "(for example 'claim-industry-decline'); set it with site_dir")
    if data.empty:
        raise ValueError(f"figure {name!r}: the table of plotted numbers is empty")
    if info is None:
        plain = {lang: name for lang in LANGUAGES}
        info = downloads.FigureInfo(title=plain, description=plain, page_title=current_page_title() or plain,
                                    page_stem=page_stem, built=_today())
    files = downloads.write_downloads(data, name, Path(site_dir) / DATA_FOLDER / page_stem, info)
    return {lang: f"{DATA_FOLDER}/{page_stem}/{file}" for lang, file in files.items()}


def _today() -> str:
    from analysis.report.pagesources import build_date

    return build_date()


def figure_html(image_base64: str, alt: str, caption: str, source: str, link: str | None, lang: str, *,
                source_html: str | None = None, cite: str = "", wide: bool = False) -> str:
    """One ``<figure class="l10n" lang=..>``: image with alt text, caption, source line (``source_html``
    where it links its tables, else ``source`` escaped), the edition's CSV and its metadata file
    (``link`` and the same name with ``.txt``), how to cite the figure. ``wide``: a figure whose
    labels would be unreadable shrunk to a phone's width scrolls sideways in its own box there."""
    link_html = ""
    if link:
        meta = link.removesuffix(".csv") + ".txt"
        link_html = (f' <a class="figure-data" href="{escape(link)}">{escape(Text("page.figure.data_link").render(lang))}</a>'
                     f' <a class="figure-meta" href="{escape(meta)}">{escape(Text("sources.figure.meta_link").render(lang))}</a>')
    caption_html = f"<span class=\"figure-caption\">{escape(caption)}</span> " if caption else ""
    cite_html = f' <span class="figure-cite">{escape(cite)}</span>' if cite else ""
    wide_class = ' class="wide"' if wide else ""
    image = f'<img{wide_class} src="data:{FIGURE_MEDIA_TYPE};base64,{image_base64}" alt="{escape(alt, quote=True)}">'
    if wide:  # a scrolling box must be reachable by keyboard (tabindex) and named
        image = f'<div class="wide-figure" tabindex="0" role="group" aria-label="{escape(alt, quote=True)}">{image}</div>'

    return (f'<figure class="l10n" lang="{lang}">{image}'
            f'<figcaption>{caption_html}<span class="figure-source">{source_html or escape(source)}</span>'
            f"{link_html}{cite_html}</figcaption></figure>")


def _figure_title(figure: Any) -> str:
    """The title drawn on a matplotlib figure (its suptitle, else its first axes' title)."""
    suptitle = getattr(figure, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        return " ".join(suptitle.get_text().split())
    # matplotlib keeps a left-aligned title apart from the centred one (loc="left")
    titles = (title for ax in figure.axes for title in (ax.get_title(), ax.get_title(loc="left")))
    return next((" ".join(title.split()) for title in titles if title.strip()), "")


def show_figure(draw: Callable[[pd.DataFrame, str], Any], data: pd.DataFrame, *, name: str, alt: Content,
                source: Content, site_dir: str | Path = "", page_stem: str = "",
                caption: Content | None = None, wide: bool = False) -> None:
    """Draw ``draw(data, lang)`` once per language, embed it, write ``data`` as CSV, link it.

    ``data`` must be exactly the numbers the figure plots (the CSVs are written from it, rounded
    as the page shows them, and the figure drawn from it). ``alt``: what the figure shows and its
    main number. ``source``: its source line; one made by
    :func:`analysis.report.pagesources.source_line` also gives the tables (linked, and named with
    their licence in the metadata and the citation). Returns nothing, so a notebook cell that ends
    with it shows no stray value.
    """
    import matplotlib.pyplot as plt

    from analysis.report import downloads

    alts = both(alt)
    if not all(text.strip() for text in alts.values()):
        raise ValueError(f"figure {name!r} needs alt text in every language")
    images, titles = {}, {}
    for lang in LANGUAGES:
        figure = draw(data, lang)
        try:
            images[lang] = _figure_base64(figure)
            titles[lang] = _figure_title(figure) or (localise(caption, lang) if caption else "") or alts[lang]
        finally:
            plt.close(figure)
    sources = both(source)
    datasets = tuple(getattr(source, "datasets", ()))
    info = downloads.FigureInfo(title=titles, description=alts, page_title=current_page_title() or titles,
                                page_stem=page_stem, built=_today(), datasets=datasets, source_text=sources)
    links = write_figure_data(data, name, site_dir, page_stem, info)
    source_html = getattr(source, "html", None) or {}
    parts = [figure_html(images[lang], alts[lang], localise(caption, lang) if caption else "", sources[lang],
                         links[lang] if links else None, lang, source_html=source_html.get(lang),
                         cite=Text("sources.figure.cite", {"text": downloads.citation(info, lang)}).render(lang),
                         wide=wide)
             for lang in LANGUAGES]
    _display("".join(parts))
