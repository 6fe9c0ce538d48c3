"""HTML for the report: notebook pages and the index, self-contained (no network at reading time).

Every page inlines its CSS and the small "Show code" script from ``templates/``; figures are PNG
data URIs; nothing is loaded from a CDN (no require.js, MathJax or web fonts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analysis.paths import PACKAGE_DIR

TEMPLATES = PACKAGE_DIR / "templates"
REPORT_TITLE = "Twente claims"

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

    region: str
    region_name: str
    built_at: str
    manifest: Mapping[str, Any]
    code_version: str

    @property
    def region_label(self) -> str:
        return f"{self.region_name.removesuffix(' (CR)')} ({self.region})"


@dataclass(frozen=True)
class RenderedPage:
    html: str
    title: str
    hidden_stderr: int  # warning lines taken off the page (kept in the executed notebook)


def external_resources(html: str) -> list[str]:
    """URLs of scripts, styles, images or frames a page would fetch from the network."""
    return [next(g for g in match.groups() if g) for match in _EXTERNAL.finditer(html)]


def notebook_title(cells: Sequence[Mapping[str, Any]], fallback: str) -> str:
    """The first level-1 (else any) markdown heading, without markdown markup."""
    headings = []
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in str(cell.get("source", "")).splitlines():
            match = re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
            if match:
                headings.append((len(match.group(1)), match.group(2)))
    if not headings:
        return fallback
    text = min(headings, key=lambda h: h[0])[1]  # the first of the highest level
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links -> their text
    return re.sub(r"[*_`]", "", text).strip() or fallback


def vintage_rows(manifest: Mapping[str, Any]) -> list[dict[str, str]]:
    """One row per input of the processed data: what, from whom, retrieved when and how."""
    rows = []
    for record in manifest.get("inputs", []):
        rows.append({
            "dataset_id": record.get("dataset_id", ""),
            "publisher": record.get("publisher", ""),
            "title": record.get("title", ""),
            "licence": record.get("licence", ""),
            "retrieved": str(record.get("retrieved_at", ""))[:10],
            "origin": {"mirror": "offline mirror", "live": "live service"}.get(record.get("mode", ""),
                                                                                record.get("mode", "")),
            "partial": record.get("partial", ""),
        })
    return rows


def vintage_summary(manifest: Mapping[str, Any]) -> str:
    """One line for the footer: when the data were built and retrieved."""
    if not manifest:
        return "data vintage unknown (data/processed/manifest.json missing)"
    rows = vintage_rows(manifest)
    dates = sorted({r["retrieved"] for r in rows if r["retrieved"]})
    origins = sorted({r["origin"] for r in rows if r["origin"]})
    retrieved = (dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}") if dates else "unknown"
    built = str(manifest.get("built_at", ""))[:10] or "unknown"
    inputs = f"{len(rows)} input" + ("s" if len(rows) != 1 else "")
    return (f"data processed {built} from {inputs} retrieved {retrieved}"
            + (f" ({', '.join(origins)})" if origins else ""))


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              autoescape=jinja2.select_autoescape(["html", "j2"]),
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


@cache
def _static() -> dict[str, str]:
    from pygments.formatters import HtmlFormatter

    return {
        "css": (TEMPLATES / "report.css").read_text(encoding="utf-8")
        + HtmlFormatter(style="default").get_style_defs(".highlight"),
        "js": (TEMPLATES / "toggle.js").read_text(encoding="utf-8"),
    }


def _verdict_styles() -> dict[str, Any]:
    from analysis.report.site import VERDICTS

    return VERDICTS


def _common(context: SiteContext, title: str) -> dict[str, Any]:
    return {"context": context, "title": title, "report_title": REPORT_TITLE, "static": _static(),
            "vintage": vintage_summary(context.manifest), "verdicts": _verdict_styles()}


def _strip_stderr(notebook: Any) -> int:
    """Take warning output off the page (readers need the result, not library warnings)."""
    hidden = 0
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                hidden += len(str(output.get("text", "")).splitlines())
                continue
            if output.get("output_type") == "error":
                raise RuntimeError(f"an error output ({output.get('ename')}: {output.get('evalue')}) "
                                   "would be shown on the page")
            kept.append(output)
        cell["outputs"] = kept
    return hidden


def _label_figures(notebook: Any, title: str) -> None:
    """Alternative text for figures that have none ("Figure 2 of <page title>"), for screen readers."""
    number = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if any(key.startswith("image/") for key in output.get("data", {})):
                number += 1
                metadata = output.setdefault("metadata", {})
                if "alt" not in metadata:
                    metadata["alt"] = f"Figure {number} of the page “{title}”"


def render_notebook_page(executed: Path, context: SiteContext, claims: Sequence[Mapping[str, Any]] = (),
                         parameter_text: Mapping[str, str] | None = None) -> RenderedPage:
    """An executed notebook as a report page: header, verdict box, content (code hidden), footer.

    ``parameter_text`` replaces strings in papermill's injected-parameters cell (the temporary
    results folder would otherwise show a machine-specific path to readers of the code).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            for old, new in (parameter_text or {}).items():
                cell["source"] = cell["source"].replace(old, new)
    hidden = _strip_stderr(notebook)
    title = notebook_title(notebook.cells, executed.stem)
    _label_figures(notebook, title)
    exporter = HTMLExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True)
    # Cells an author marks as plumbing ("remove-cell") never reach a reader, not even with code shown.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"},
                                                         remove_input_tags={"remove-input"}), enabled=True)
    body, _resources = exporter.from_notebook_node(notebook)
    common = _common(context, title)
    if claims:  # the verdict straight under the page title, where a reader looks first
        box = _environment().get_template("_claims_box.html.j2").render(claims=list(claims), **common)
        body = body.replace("</h1>", "</h1>" + box, 1) if "</h1>" in body else box + body
    html = _environment().get_template("page.html.j2").render(body=body, **common)
    return RenderedPage(html=html, title=title, hidden_stderr=hidden)


def render_index(context: SiteContext, pages: Sequence[Mapping[str, Any]],
                 results: Sequence[Mapping[str, Any]], changes: Sequence[Any] | None) -> str:
    """The index: verdict table (EN + NL), changes since the last build, all pages, data vintage."""
    order = {page["name"]: i for i, page in enumerate(pages)}
    claims = sorted(results, key=lambda r: (order.get(r.get("notebook", ""), len(order)), r["claim_id"]))
    return _environment().get_template("index.html.j2").render(
        pages=pages, claims=claims, changes=changes, vintage_rows=vintage_rows(context.manifest),
        manifest_built=str(context.manifest.get("built_at", ""))[:16].replace("T", " "),
        **_common(context, f"{REPORT_TITLE}: {context.region_label}"))
