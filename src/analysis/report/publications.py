"""The index's claims grouped by publication: a registry of claims from many publications (a
provincial monitor, a CBS news release, a newspaper) shows each publication's claims together,
under its title, publisher and date, in the order of their first claim."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.i18n import Text


def publication_groups(claim_ids: Sequence[str], path: Path | None = None) -> list[dict[str, Any]]:
    """``[{"key", "heading": {lang: text}, "ids": [...]}, ...]``: the claims of one publication
    (their ``publication``, else the same publisher, title and date of their own source) together,
    groups in the order of their first claim, claims in their own order."""
    from analysis.engine.check import registry_for
    from analysis.report.claimtexts import long_date, registry_file

    registry = registry_for(Path(path or registry_file()))
    groups: dict[Any, dict[str, Any]] = {}
    for claim_id in claim_ids:
        claim = registry.claim(claim_id)
        source = registry.publications.get(claim.publication or "") or claim.source
        key = claim.publication or (source["publisher"], source["title"], claim.date)
        if key not in groups:
            heading = {lang: Text("site.index.publication", {
                "title": source["title"], "publisher": source["publisher"],
                "date": long_date(source["date"].isoformat(), lang)}).render(lang) for lang in ("nl", "en")}
            groups[key] = {"key": str(key), "heading": heading, "ids": []}
        groups[key]["ids"].append(claim_id)
    return list(groups.values())
