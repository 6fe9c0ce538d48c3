"""The sources of a page: the datasets a check rests on, their source line under a figure (with a
link to each table's page), the sources section (the article, dataset titles with links, retrieval
dates, licences from data/processed/manifest.json, the method page, the README for analysts, the
claim registry's hash, the processing date and how to cite the page), and the links from every CBS
table id in a page's text to its StatLine page (:func:`link_table_ids`).

Where a dataset's page is: ``page_url`` in ``data/sources.toml``; a CBS table the registry does not
hold links its StatLine address (:data:`STATLINE`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cache
from html import escape
from typing import Any

from analysis.engine.result import ClaimCheck
from analysis.i18n import LANGUAGES, LOCALES, Text, catalogue
from analysis.report import bilingual as bi
from analysis.report.downloads import DatasetRef

STATLINE = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table}/table"
REPORT_PUBLISHER = "twente-claims"  # who publishes the report (a citation names it)
METHOD_PAGE = "method.html"  # beside every page of an edition (analysis.report.method)
# A CBS table id: five digits and NED or ENG (83582NED, 81402ned). Not after "/" (a path or an
# address already names it) nor inside a longer word.
TABLE_ID = re.compile(r"(?<![\w/])(\d{5}(?:NED|ned|ENG|eng))(?!\w)")
_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
# Text inside these is not linked: a link already, code that runs, an SVG chart's own text.
_NO_LINKS = frozenset({"a", "script", "style", "svg", "title", "textarea", "button"})


class SourceLine(dict):
    """The figure source line per language (a ``{"nl": ..., "en": ...}`` dict, so it renders as
    any content does) that also knows its datasets and an HTML form with links."""

    def __init__(self, texts: Mapping[str, str], html: Mapping[str, str], datasets: Sequence[DatasetRef]):
        super().__init__(texts)
        self.html = dict(html)
        self.datasets = tuple(datasets)


# --- where a table lives ------------------------------------------------------------------------------


@cache
def _registry_pages() -> dict[str, str]:
    """Dataset id and CBS table id (upper case) -> the page of the dataset (``page_url``)."""
    from analysis.sources.registry import load_registry

    pages: dict[str, str] = {}
    for source in load_registry().values():
        if source.page_url:
            pages[source.id] = source.page_url
            if source.table_id:
                pages.setdefault(source.table_id.upper(), source.page_url)
    return pages


def table_url(table_id: str) -> str:
    """The public page of CBS table ``table_id``: the registry's, else StatLine's address."""
    return _registry_pages().get(table_id.upper()) or STATLINE.format(table=table_id)


def dataset_url(dataset_id: str) -> str:
    """The public page of a registered dataset ("" when the registry names none)."""
    if dataset_id in _registry_pages():
        return _registry_pages()[dataset_id]
    table = dataset_id.split("-", 2)[1] if dataset_id.startswith("cbs-") else ""
    return table_url(table) if TABLE_ID.fullmatch(table or "-") else ""


def link_table_ids(html: str) -> str:
    """``html`` with every CBS table id in its text a link to the table's page (text already in a
    link, a script, a style or an SVG chart is left as it is; calling it twice changes nothing)."""
    if not TABLE_ID.search(html):
        return html
    depth = 0
    parts = []
    for token in _TOKENS.split(html):
        tag = _TAG.match(token) if token.startswith("<") else None
        if tag is not None:
            if tag.group(2).lower() in _NO_LINKS and not token.endswith("/>"):
                depth = max(0, depth - 1) if tag.group(1) else depth + 1
        elif depth == 0 and not token.startswith("<"):
            token = TABLE_ID.sub(lambda m: f'<a class="table-link" href="{escape(table_url(m.group(1)), quote=True)}">'
                                           f"{m.group(1)}</a>", token)
        parts.append(token)
    return "".join(parts)


# --- the datasets of a page ---------------------------------------------------------------------------


def datasets_used(check: ClaimCheck, manifest: Mapping[str, Any]) -> list[str]:
    """Manifest dataset ids the check names anywhere in its parameters or inputs (in manifest order).

    Where it names none (published figures only), none are listed: never a made-up source.
    """
    blob = json.dumps(check.to_json(), ensure_ascii=False, default=str)
    found = []
    for record in manifest.get("inputs", []):
        dataset_id = record["dataset_id"]
        table = dataset_id.split("-", 1)[-1]
        if dataset_id in blob or (record.get("publisher") == "CBS" and table in blob):
            found.append(dataset_id)
    return found


def shown(record: Mapping[str, Any], name: str, lang: str) -> str:
    """A manifest record's ``title``, ``licence`` or ``partial`` as the ``lang`` edition shows it:
    the registry's variant (the manifest holds one language), else the manifest's value."""
    from analysis.sources.registry import shown_text

    return shown_text(str(record.get("dataset_id", "")), name, lang, str(record.get(name, "") or ""))


def licence_text(record: Mapping[str, Any]) -> Text | str:
    """The dataset's licence in the reader's language (``sources.licence.<publisher>``)."""
    key = f"sources.licence.{record.get('publisher', '')}"
    return Text(key) if key in catalogue() else str(record.get("licence", "–"))


def dataset_ref(dataset_id: str, manifest: Mapping[str, Any]) -> DatasetRef:
    """What a figure's metadata and citation say about ``dataset_id`` (from the manifest)."""
    record = {r["dataset_id"]: r for r in manifest.get("inputs", [])}.get(dataset_id, {"dataset_id": dataset_id})
    is_cbs = record.get("publisher") == "CBS"
    return DatasetRef(dataset_id=dataset_id, publisher=str(record.get("publisher", "")),
                      table=dataset_id.split("-", 1)[-1] if is_cbs else str(record.get("title", dataset_id)),
                      title=str(record.get("title", dataset_id)), page_url=dataset_url(dataset_id),
                      retrieved=str(record.get("retrieved_at", ""))[:10], licence=licence_text(record))


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>' if url else escape(text)


def source_line(dataset_ids: Sequence[str], manifest: Mapping[str, Any]) -> SourceLine:
    """The figure source line: publisher, table and retrieval date of each dataset (its table linked)."""
    known = {r["dataset_id"] for r in manifest.get("inputs", [])}
    refs = [dataset_ref(d, manifest) for d in dataset_ids if d in known]
    texts, html = {}, {}
    for lang in LANGUAGES:
        items, linked = [], []
        for dataset_id in dataset_ids:
            ref = next((r for r in refs if r.dataset_id == dataset_id), None)
            if ref is None:
                items.append(dataset_id)
                linked.append(escape(dataset_id))
                continue
            # a CBS table is named by its id; another dataset by its title in the page's language
            table = ref.table if ref.publisher == "CBS" else shown({"dataset_id": dataset_id, "title": ref.title},
                                                                    "title", lang)
            item = Text("page.figure.source_item", {"publisher": ref.publisher, "table": table,
                                                    "date": ref.retrieved}).render(lang)
            items.append(item)
            named = f"{ref.publisher} {table}"
            linked.append(escape(item).replace(escape(named), _link(ref.page_url, named), 1))
        texts[lang] = Text("page.figure.source", {"sources": "; ".join(items)}).render(lang)
        marker = "\x00"  # the template's words escaped, the linked items put in as HTML
        html[lang] = escape(Text("page.figure.source", {"sources": marker}).render(lang)).replace(
            marker, "; ".join(linked))
    return SourceLine(texts, html, refs)


# --- the sources section ------------------------------------------------------------------------------


def build_date() -> str:
    """The report's build date (the page is executed by the build): YYYY-MM-DD in UTC."""
    return datetime.now(UTC).date().isoformat()


def _long_date(iso: str, lang: str) -> str:
    """``2017-10-18`` as ``18 oktober 2017`` / ``18 October 2017`` (Babel); other text as it is."""
    from babel.dates import format_date

    try:
        return format_date(date.fromisoformat(iso), "d MMMM y", locale=LOCALES[lang])
    except ValueError:
        return iso


def article_item(lang: str, claim_id: str) -> str:
    """The claim's own source (publisher, title, date): its title linked to its address, or, where
    it has none, its publisher's site."""
    from analysis.report.claimtexts import claim_source

    source = claim_source(claim_id)
    text = Text("sources.article", {"title": source["title"], "date": _long_date(source["date"], lang),
                                    "publisher": source["publisher"]}).render(lang)
    if source["url"]:
        return escape(text).replace(escape(source["title"]), _link(source["url"], source["title"]), 1)
    site = source["publisher_url"]
    if not site:
        return escape(text)
    return escape(text) + " " + escape(Text("sources.article_site").render(lang)) + " " + \
        _link(site, site.removeprefix("https://").removeprefix("http://"))


def page_citation(lang: str, title: Mapping[str, str] | None = None, date: str | None = None) -> str:
    """How to cite the page: its title, the report's publisher, the build date (no address: the
    report is a set of files)."""
    title = title or bi.current_page_title() or {code: "" for code in LANGUAGES}
    return Text("sources.cite.page", {"title": title[lang], "publisher": REPORT_PUBLISHER,
                                      "date": date or build_date()}).render(lang)


def dataset_items(ids: Sequence[str], manifest: Mapping[str, Any], lang: str) -> list[str]:
    """One HTML line per dataset: publisher, title (linked to its page), retrieval, licence, and what
    a partial copy lacks (title, licence and note in ``lang``, from the registry)."""
    records = {r["dataset_id"]: r for r in manifest.get("inputs", [])}
    items = []
    for dataset_id in ids:
        record = records.get(dataset_id, {"dataset_id": dataset_id})
        mode = record.get("mode", "")
        title = shown(record, "title", lang) or dataset_id
        line = Text("page.sources.dataset", {
            "publisher": record.get("publisher", ""), "title": title,
            "dataset": dataset_id, "retrieved": str(record.get("retrieved_at", ""))[:10] or "–",
            "mode": Text(f"page.mode.{mode}") if f"page.mode.{mode}" in catalogue() else mode,
            "licence": shown(record, "licence", lang) or "–"})
        partial = shown(record, "partial", lang)
        if partial:
            line = bi.join(line, Text("page.sources.partial", {"text": partial}))
        rendered = escape(bi.localise(line, lang))
        items.append(rendered.replace(escape(title), _link(dataset_url(dataset_id), title), 1))
    return items


def show_sources(check: ClaimCheck, manifest: Mapping[str, Any], dataset_ids: Sequence[str] | None = None) -> None:
    """The claim's source; dataset titles (linked), vintages (retrieval dates), licences; the method page and
    the README for analysts; the registry's hash; the processing date; how to cite the page."""
    bi.heading(Text("page.sources.heading"))
    ids = list(dataset_ids) if dataset_ids is not None else datasets_used(check, manifest)

    def render(lang: str) -> str:
        items = [article_item(lang, check.claim_id), *dataset_items(ids, manifest, lang),
                 escape(Text("sources.method").render(lang)) + " " + _link(METHOD_PAGE, Text("method.nav").render(lang)),
                 escape(Text("sources.readme").render(lang))]
        return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"

    bi.show_html(render, cls="sources")
    extra = []
    if check.registry_hash:
        extra.append(Text("page.sources.registry", {"hash": check.registry_hash[:12]}))
    if manifest.get("built_at"):
        extra.append(Text("page.sources.processed", {"date": str(manifest["built_at"])[:10]}))
    if extra:
        bi.paragraph(*extra, cls="provenance")
    bi.show_html(lambda lang: f"<p>{escape(page_citation(lang))}</p>", cls="cite")
