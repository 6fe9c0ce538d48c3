"""The index's claims grouped by publication: a registry of claims from many publications (a
provincial monitor, a CBS news release, a newspaper) shows each publication's claims together,
under its title, publisher and date, in the order of their first claim.

Read from the registry as data (like the other page texts, :mod:`analysis.report.claimtexts`): the
engine has validated it before any page is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.i18n import LANGUAGES, Text


def _source(entry: dict[str, Any], data: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """(the grouping key, the fields of the heading) of one ``[[claim]]`` entry: its publication
    (``publication``, default ``[meta] publication``) else its own ``[claim.source]``."""
    name = entry.get("publication") or data.get("meta", {}).get("publication")
    if name:
        return name, data.get("publication", {}).get(name, {})
    source = entry.get("source", {})
    return (source.get("publisher"), source.get("title"), str(source.get("date", ""))), source


def publication_groups(claim_ids: Sequence[str], path: Path | None = None) -> list[dict[str, Any]]:
    """``[{"key", "heading": {lang: text}, "ids": [...]}, ...]``: the claims of one publication
    (the same ``publication``, else the same publisher, title and date of their own source)
    together, groups in the order of their first claim, claims in their own order."""
    from analysis.report.claimtexts import long_date, registry

    data = registry(path)
    entries = {entry.get("id"): entry for entry in data.get("claim", [])}
    groups: dict[Any, dict[str, Any]] = {}
    for claim_id in claim_ids:
        key, fields = _source(entries.get(claim_id, {}), data)
        if key not in groups:
            date = fields.get("date")
            iso = date.isoformat() if isinstance(date, dt.date) else str(date or "")
            heading = {lang: Text("site.index.publication", {
                "title": fields.get("title", ""), "publisher": fields.get("publisher", ""),
                "date": long_date(iso, lang) if iso else ""}).render(lang) for lang in LANGUAGES}
            groups[key] = {"key": str(key), "heading": heading, "ids": []}
        groups[key]["ids"].append(claim_id)
    return list(groups.values())
