"""Labour accounts and regional accounts as intervals (a part of :class:`analysis.engine.tables.Tables`).

Both tables are wide: one column per concept (``persons_employed``, ``jobs``, ``labour_years``,
``hours_worked``; ``labour_volume_total``, ``labour_volume_employees``). The labour accounts are
national; the regional accounts have COROP regions. ``worker_type = total`` (employees and
self-employed) is used where the table has it; the edition (source table) is the ``vintage``:
``newest`` / ``oldest`` by release date, a successor edition after the one it supersedes
(:func:`analysis.engine.publication.release_order`; table ids are not sorted as strings).
Printed values are whole thousands, so each cell is +-500.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.engine import publication
from analysis.engine.intervals import Bound, printed_bound, total
from analysis.engine.nodata import NoData
from analysis.i18n import Num, Text

NATION = "NL01"


class AccountsMixin:
    """Methods of :class:`~analysis.engine.tables.Tables` for the two accounts tables."""

    _memo: dict

    # --- labour accounts and regional accounts (labour_accounts.csv, regional_accounts.csv) --------

    def accounts_table(self, concept: str) -> str | None:
        """Which wide table holds ``concept`` as a column (None: neither)."""
        key = ("accounts_table", concept)
        if key not in self._memo:
            self._memo[key] = None
            for name in ("labour_accounts", "regional_accounts"):
                frame = self._accounts(name)
                if frame is not None and concept in frame.columns:
                    self._memo[key] = name
                    break
        return self._memo[key]

    def _accounts(self, name: str) -> pd.DataFrame | None:
        key = ("accounts", name)
        if key not in self._memo:
            frame = self._read(name) if self.has(name) else None
            if frame is not None and "worker_type" in frame.columns:
                frame = frame[frame["worker_type"] == "total"]  # werknemers + zelfstandigen
            index: dict = {}
            facts: dict = {}
            if frame is not None:
                regions = frame["region_code"] if "region_code" in frame.columns else NATION
                frame = frame.assign(region_key=regions)
                for row in frame.itertuples(index=False):
                    index[(row.source_table, row.region_key, row.sbi_code, int(row.year))] = row
                releases = set(zip(frame["source_table"], frame["vintage"], strict=True)) \
                    if "vintage" in frame.columns else {(t, "") for t in frame["source_table"]}
                facts = {"editions": [t for t, _ in publication.release_order(releases)],
                         "codes": frozenset(frame["sbi_code"]),
                         "regions": frozenset(frame["region_key"])}
            self._memo[key] = (frame, index, facts)
        return self._memo[key][0]

    def _accounts_facts(self, concept: str) -> dict:
        name = self.accounts_table(concept)
        return self._memo[("accounts", name)][2] if name else {}

    def accounts_codes(self, concept: str) -> frozenset[str]:
        return self._accounts_facts(concept).get("codes", frozenset())

    def accounts_regions(self, concept: str) -> frozenset[str]:
        return self._accounts_facts(concept).get("regions", frozenset())

    def accounts(self, concept: str, region: str, codes: Iterable[str], year: int,
                 vintage: str = "newest") -> Bound:
        """A labour- or regional-accounts quantity (a column of the table), summed over ``codes``;
        ``vintage`` picks the edition (source table): newest, oldest or a table id."""
        name = self.accounts_table(concept)
        if name is None:
            raise NoData(Text("engine.nodata.concept", {"concept": concept}))
        self._accounts(name)
        index = self._memo[("accounts", name)][1]
        editions = self._memo[("accounts", name)][2]["editions"]
        table = editions[-1] if vintage == "newest" else editions[0] if vintage == "oldest" else vintage
        parts = []
        for code in codes:
            row = index.get((table, region, code, int(year)))
            text = "" if row is None else str(getattr(row, concept))
            if text in ("", "nan"):
                raise NoData(Text("engine.nodata.accounts", {
                    "concept": concept, "sbi": code, "year": Num(year, "year"),
                    "table": table, "region": self._name(region)}))
            parts.append(printed_bound(text))
        return total(parts)
