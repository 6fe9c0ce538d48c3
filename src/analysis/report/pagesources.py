"""The sources of a page: the datasets a check rests on, their source line under a figure, and the
sources section (dataset titles, retrieval dates, licences from data/processed/manifest.json; the
claim registry's hash; the processing date)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from analysis.engine.result import ClaimCheck
from analysis.i18n import Text, catalogue
from analysis.report import bilingual as bi


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


def source_line(dataset_ids: Sequence[str], manifest: Mapping[str, Any]) -> dict[str, str]:
    """The figure source line: publisher, table and retrieval date of each dataset."""
    records = {r["dataset_id"]: r for r in manifest.get("inputs", [])}
    items = []
    for dataset_id in dataset_ids:
        record = records.get(dataset_id)
        if record is None:
            items.append(dataset_id)
            continue
        table = dataset_id.split("-", 1)[-1] if record.get("publisher") == "CBS" else record.get("title", "")
        items.append(Text("page.figure.source_item", {"publisher": record.get("publisher", ""), "table": table,
                                                      "date": str(record.get("retrieved_at", ""))[:10]}))
    return bi.both(Text("page.figure.source", {"sources": bi.join(*items, sep="; ")}))


def show_sources(check: ClaimCheck, manifest: Mapping[str, Any], dataset_ids: Sequence[str] | None = None) -> None:
    """Dataset titles, vintages (retrieval dates), licences; the registry's hash; the processing date."""
    bi.heading(Text("page.sources.heading"))
    ids = list(dataset_ids) if dataset_ids is not None else datasets_used(check, manifest)
    records = {r["dataset_id"]: r for r in manifest.get("inputs", [])}
    items: list[Any] = []
    for dataset_id in ids:
        record = records.get(dataset_id, {"dataset_id": dataset_id})
        mode = record.get("mode", "")
        line = Text("page.sources.dataset", {
            "publisher": record.get("publisher", ""), "title": record.get("title", dataset_id),
            "dataset": dataset_id, "retrieved": str(record.get("retrieved_at", ""))[:10] or "–",
            "mode": Text(f"page.mode.{mode}") if f"page.mode.{mode}" in catalogue() else mode,
            "licence": record.get("licence", "–")})
        if record.get("partial"):
            line = bi.join(line, Text("page.sources.partial", {"text": record["partial"]}))
        items.append(line)
    bi.bullets(items)
    extra = []
    if check.registry_hash:
        extra.append(Text("page.sources.registry", {"hash": check.registry_hash[:12]}))
    if manifest.get("built_at"):
        extra.append(Text("page.sources.processed", {"date": str(manifest["built_at"])[:10]}))
    if extra:
        bi.paragraph(*extra, cls="provenance")
