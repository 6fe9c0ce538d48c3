"""A CSV in the CBS label layout (what ``cbsodata.get_data`` returns, titles instead of keys) served as the
OData v3 entity sets it came from, so that ``cbsodata.get_data`` against the loopback server gives the
file's records back (used by tests/odata_server.py)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

_MEASURE_COLUMN = re.compile(r".+_\d+")  # CBS names measures Name_<n>; dimensions have no suffix


def label_csv_to_entity_sets(path: Path, table: str) -> dict[str, list[dict]]:
    """A CSV in the CBS label layout (what ``cbsodata.get_data`` returns) -> the entity sets CBS
    serves, so that ``cbsodata.get_data`` against them gives the file's records back.

    Keys are made up (``K0000``, ...), one per title in record order; a title that occurs twice within
    the same other dimensions (81497NED's period titles of two period keys) gets a second key on the
    period dimension. Measures become numbers (``7891.9``; ``592653`` stays an integer), empty cells null.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle, delimiter=";"))
    dims = [c for c in header if c != "ID" and not _MEASURE_COLUMN.fullmatch(c)]
    period = "Perioden" if "Perioden" in dims else dims[-1]
    seen: dict[tuple, int] = {}
    keys: dict[str, dict[tuple[str, int], str]] = {d: {} for d in dims}
    typed = []
    for values in body:
        record = dict(zip(header, values, strict=True))
        combo = tuple(record[d] for d in dims)
        occurrence = seen[combo] = seen.get(combo, -1) + 1
        row: dict[str, Any] = {}
        for column, text in record.items():
            if column == "ID":
                row[column] = int(text)
            elif column in keys:
                code = (text, occurrence if column == period else 0)
                row[column] = keys[column].setdefault(code, f"K{len(keys[column]):04d}")
            else:
                row[column] = None if text == "" else (float(text) if "." in text else int(text))
        typed.append(row)
    sets: dict[str, list[dict]] = {"TypedDataSet": typed}
    for dim in dims:
        sets[dim] = [{"Key": key, "Title": title, "Description": None} for (title, _), key in keys[dim].items()]
    sets["DataProperties"] = (
        [{"ID": n, "Key": d, "Type": "TimeDimension" if d == "Perioden" else "Dimension", "Title": d}
         for n, d in enumerate(dims)]
        + [{"ID": len(dims) + n, "Key": c, "Type": "Topic", "Title": c, "Decimals": None}
           for n, c in enumerate(c for c in header if _MEASURE_COLUMN.fullmatch(c))])
    sets["TableInfos"] = [{"ID": 1, "Identifier": table, "Title": f"{table} (label layout served as OData)"}]
    return sets
