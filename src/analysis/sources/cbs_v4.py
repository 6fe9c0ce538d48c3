"""CBS OData v4 (datasets.cbs.nl/odata/v1): a thin client on requests that writes the v3 snapshot layout.

v4 serves cells, not records: one observation per (measure, dimension codes) with ``Value`` and a
``ValueAttribute`` for special values. This module fetches the code lists and the observations
(following ``@odata.nextLink``), pivots the cells into the rows and entity sets that
``cbsodata.download_data`` writes for v3 (TypedDataSet, DataProperties, TableInfos, one code list per
dimension), so the rest of the pipeline cannot tell the two apart. Why not the cbsodata4 package:
docs/cbs-odata-v4.md.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import requests
from tqdm.auto import tqdm

from analysis.sources.download import DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT, is_transient, retrying
from analysis.sources.registry import Source

V4_HOST = "https://datasets.cbs.nl"
V4_CATALOG = "CBS"
# A cell whose ValueAttribute is anything but "None" is a special value (CBS names e.g. "Missing",
# "Impossible", "Confidential"): it has no number and becomes a suppressed (null) cell, as v3 gives it.
PLAIN = "None"


class CbsV4LayoutError(ValueError):
    """A v4 table does not have what the registry needs to write the v3 layout."""


def table_url(source: Source, catalog_url: str | None) -> str:
    """``https://datasets.cbs.nl/odata/v1/CBS/<table>/`` (or the same path on ``catalog_url``)."""
    host = catalog_url or V4_HOST
    if "://" not in host:
        host = f"https://{host}"
    catalog = source.extra.get("v4_catalog", V4_CATALOG)
    return f"{host.rstrip('/')}/odata/v1/{catalog}/{source.table_id}/"


def _is_transient_v4(exc: BaseException) -> bool:
    # A truncated JSON body is most often a dropped connection: worth another try.
    return is_transient(exc) or isinstance(exc, json.JSONDecodeError)


class _Client:
    """GETs with the project's retries (per request, so one bad page does not restart the table)."""

    def __init__(self, timeout: float, attempts: int) -> None:
        self.session = requests.Session()
        self.timeout = timeout
        self.get = retrying(attempts, transient=_is_transient_v4)(self._get)

    def _get(self, url: str, params: dict[str, str] | None) -> dict[str, Any]:
        response = self.session.get(url, params=params, timeout=self.timeout)
        response.raise_for_status()
        return response.json()

    def all_rows(self, url: str, params: dict[str, str] | None = None, bar: tqdm | None = None) -> list[dict]:
        """Every row of an entity set: the ``value`` of each page, following ``@odata.nextLink``."""
        rows: list[dict] = []
        next_url: str | None = url
        while next_url is not None:
            page = self.get(next_url, params)
            rows.extend(page["value"])
            next_url, params = page.get("@odata.nextLink"), None  # the link carries the query
            if bar is not None:
                bar.update(1)
        return rows


def fetch_cells(source: Source, dest: Path, *, catalog_url: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                attempts: int = DEFAULT_ATTEMPTS, progress: bool = True) -> dict[str, Any]:
    """Fetch ``source`` from v4 into ``dest`` in the v3 snapshot layout; return manifest fields.

    Errors (HTTP, connection, invalid JSON after retries) propagate; the caller names them.
    """
    base = table_url(source, catalog_url)
    client = _Client(timeout, attempts)
    with tqdm(desc=f"CBS {source.table_id} (v4)", unit="page", disable=not progress, leave=False) as bar:
        properties = client.get(base + "Properties", None)
        dimensions = client.all_rows(base + "Dimensions")
        measures = client.all_rows(base + "MeasureCodes")
        codes = {d["Identifier"]: client.all_rows(base + f"{d['Identifier']}Codes") for d in dimensions}
        query = {"$filter": source.extra["v4_filter"]} if source.extra.get("v4_filter") else None
        cells = client.all_rows(base + "Observations", query, bar)
    sets, special = pivot(source, properties, dimensions, measures, codes, cells)
    for name, rows in sets.items():
        (dest / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return {"origin": base, "filter": source.extra.get("v4_filter", ""), "api": "odata-v4",
            "cells": len(cells), "special_values": dict(sorted(special.items()))}


def _measure_code(source: Source, measures: list[dict]) -> str:
    """The v4 identifier of the registry's measure: ``v4_measure`` if given, else the table's only one."""
    known = {m["Identifier"]: m.get("Title", "") for m in measures}
    wanted = source.extra.get("v4_measure")
    if wanted and wanted in known:
        return wanted
    if not wanted and len(known) == 1:
        return next(iter(known))
    listed = "; ".join(f"{code} ({title})" for code, title in known.items())
    problem = f"has no measure {wanted!r}" if wanted else f"has {len(known)} measures"
    raise CbsV4LayoutError(
        f"CBS {source.table_id} (OData v4) {problem}: {listed}. Set v4_measure = \"<code>\" for dataset "
        f"{source.id} in src/analysis/data/sources.toml to the code of {source.measure}")


def pivot(source: Source, properties: dict, dimensions: list[dict], measures: list[dict],
          codes: dict[str, list[dict]], cells: list[dict]) -> tuple[dict[str, list[dict]], Counter]:
    """Cells -> the v3 entity sets, and the count of special values per ValueAttribute.

    Rows are every combination of the codes the cells hold, in code-list order (a cell v4 leaves out
    is a null, as v3 gives it); ``ID`` numbers them from 0.
    """
    code = _measure_code(source, measures)
    names = [d["Identifier"] for d in dimensions]
    special: Counter = Counter()
    values: dict[tuple, Any] = {}
    seen: dict[str, set[str]] = {name: set() for name in names}
    for cell in cells:
        if cell["Measure"] != code:
            continue
        key = tuple(cell[name] for name in names)
        for name, value in zip(names, key, strict=True):
            seen[name].add(value)
        if cell.get("ValueAttribute", PLAIN) != PLAIN:
            special[cell["ValueAttribute"]] += 1
            values[key] = None
        else:
            values[key] = cell.get("Value")
    ordered = [[c["Identifier"] for c in codes[name] if c["Identifier"] in seen[name]] for name in names]
    unknown = {name: sorted(seen[name] - set(order)) for name, order in zip(names, ordered, strict=True)}
    if any(unknown.values()):
        raise CbsV4LayoutError(f"CBS {source.table_id} (OData v4): observations use codes missing from the "
                               f"code lists: { {k: v[:5] for k, v in unknown.items() if v} }")
    typed = [{"ID": number, **dict(zip(names, key, strict=True)), source.measure: values.get(key)}
             for number, key in enumerate(itertools.product(*ordered))]
    measure = next(m for m in measures if m["Identifier"] == code)
    sets: dict[str, list[dict]] = {
        "TypedDataSet": typed,
        "TableInfos": [{"ID": 1, "Identifier": properties.get("Identifier", source.table_id),
                        "Title": properties.get("Title", ""), "Modified": properties.get("Modified")}],
        "DataProperties": [
            *({"ID": n, "Key": d["Identifier"], "Type": d.get("Kind", "Dimension"), "Title": d.get("Title", "")}
              for n, d in enumerate(dimensions)),
            {"ID": len(dimensions), "Key": source.measure, "Type": "Topic", "Title": measure.get("Title", ""),
             "Unit": measure.get("Unit", ""), "Decimals": measure.get("Decimals"), "V4Identifier": code}],
    }
    for name in names:
        sets[name] = [{"Key": c["Identifier"], "Title": c.get("Title", ""), "Description": c.get("Description")}
                      for c in codes[name]]
    return sets, special
