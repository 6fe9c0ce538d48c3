"""``data/processed`` as a Frictionless tabular data package: ``datapackage.json``.

One resource per table the manifest lists, with its Table Schema (fields, types, constraints,
primary key: from :mod:`analysis.processing.tables`), size and sha256, and the sources and licences
of the inputs its rows come from (from the manifest and the source registry). Written by the build
beside the tables, deterministically (sorted keys, no timestamps): a rebuild from the same inputs
gives the same bytes. ``frictionless validate data/processed/datapackage.json`` checks the tables
against it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from analysis.processing.tables import Field, Table, get_table
from analysis.sources.registry import load_registry
from analysis.sources.snapshot import sha256_of

FILE_NAME = "datapackage.json"
PACKAGE_NAME = "twente-claims-processed"
# Licence strings of the registry -> Data Package licence objects. Anything else is described by its
# own words under the Open Definition id "other-open" (the registry records it as free reuse).
LICENCES = {"CC BY 4.0": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                          "title": "Creative Commons Attribution 4.0 International"}}


def _field(name: str, spec: Field) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": spec.type, "description": spec.description}
    constraints: dict[str, Any] = {"required": spec.required}
    if spec.pattern is not None:
        constraints["pattern"] = spec.pattern
    if spec.enum is not None:
        constraints["enum"] = list(spec.enum)
    if spec.minimum is not None:
        constraints["minimum"] = spec.minimum
    if isinstance(spec.maximum, (int, float)):  # a moving maximum (this year) would change the file yearly
        constraints["maximum"] = spec.maximum
    field["constraints"] = constraints
    if spec.type == "boolean":
        field.update(trueValues=["True"], falseValues=["False"])
    return field


def _licence(text: str) -> dict[str, str]:
    return LICENCES.get(text, {"name": "other-open", "title": text})


def _source_values(path: Path, column: str) -> set[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def _inputs_of(table: Table, path: Path, inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The manifest's input records whose rows are in this table (by CBS table id or DUO edition)."""
    values = {v.lower() for v in _source_values(path, table.source_column)}
    registry = load_registry()
    used = []
    for record in inputs:
        source = registry.get(record["dataset_id"])
        names = {record["dataset_id"].lower()} | ({source.table_id.lower()} if source and source.table_id else set())
        if names & values:
            used.append(record)
    return used


def _source(record: dict[str, Any]) -> dict[str, str]:
    release = f" [release: {record['vintage']}]" if record.get("vintage") else ""
    source = {"title": f"{record['publisher']} {record['dataset_id']}: {record['title']}{release}"}
    if record.get("upstream"):
        source["path"] = record["upstream"]
    return source


def _unique(items: list[dict[str, str]]) -> list[dict[str, str]]:
    return list({json.dumps(i, sort_keys=True): i for i in items}.values())


def describe(folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """The data package descriptor of a processed folder whose manifest is ``manifest``."""
    resources = []
    for file_name in manifest["tables"]:
        table = get_table(file_name)
        path = folder / file_name
        inputs = _inputs_of(table, path, manifest.get("inputs", []))
        resources.append({
            "name": table.name, "path": file_name, "profile": "tabular-data-resource",
            "title": table.title, "description": table.description,
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": path.stat().st_size, "hash": f"sha256:{sha256_of(path)}",
            "schema": {"fields": [_field(n, s) for n, s in table.fields.items()],
                       "primaryKey": list(table.key), "missingValues": [""]},
            "sources": _unique([_source(r) for r in inputs]),
            "licenses": _unique([_licence(r["licence"]) for r in inputs]),
        })
    return {
        "profile": "tabular-data-package", "name": PACKAGE_NAME,
        "title": "twente-claims: processed CBS and DUO tables",
        "description": "Tidy tables built by `python -m analysis build` from raw CBS and DUO snapshots; "
                       "columns and gaps are documented in README.md, inputs and checks in manifest.json.",
        "version": manifest.get("code_version", ""),
        "resources": resources,
        "sources": _unique([s for r in resources for s in r["sources"]]),
        "licenses": _unique([lic for r in resources for lic in r["licenses"]]),
    }


def write_datapackage(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``datapackage.json`` into ``folder`` (sorted keys, no timestamps); returns its path."""
    path = folder / FILE_NAME
    path.write_text(json.dumps(describe(folder, manifest), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
