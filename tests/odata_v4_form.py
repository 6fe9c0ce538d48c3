"""A table of the mirror (``cbsodata.download_data`` layout, OData v3) in CBS's OData v4 form.

The shapes follow real datasets.cbs.nl/odata/v1 answers kept in the mirror
(``../shared/data/cbs/odata4-samples``: Properties, Dimensions, MeasureCodes, ``<Dimension>Codes``,
Observations): one observation per cell with ``Id``, ``Measure``, ``ValueAttribute``, ``Value``,
``StringValue`` and one column per dimension holding the code without v3's padding ("CR12", not
"CR12  "). The mirror does not hold the v4 measure identifiers of these tables: they are made up here
as ``M000001``, ... (CBS's look like ``M000352``). A cell v3 gives as null is served the two ways v4
has: as an observation with ``ValueAttribute`` "Confidential" and no value (even v3 row ids), or not at
all (odd ids), since v4 leaves empty cells out unless they carry a special value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_DIMENSION_TYPES = {"Dimension", "GeoDimension", "TimeDimension"}
SUPPRESSED = "Confidential"


def _measures(properties: list[dict]) -> dict[str, str]:
    """v3 measure column -> its made-up v4 identifier, in DataProperties order."""
    topics = [p["Key"] for p in properties if p.get("Type") == "Topic"]
    return {key: f"M{number:06d}" for number, key in enumerate(topics, start=1)}


def observations(typed: list[dict], properties: list[dict]) -> list[dict]:
    dims = [p["Key"] for p in properties if p.get("Type") in _DIMENSION_TYPES]
    cells = []
    for row in typed:
        for column, code in _measures(properties).items():
            value = row.get(column)
            if value is None and row["ID"] % 2:
                continue
            cells.append({"Id": len(cells), "Measure": code,
                          "ValueAttribute": "None" if value is not None else SUPPRESSED,
                          "Value": value, "StringValue": None,
                          **{d: str(row[d]).strip() for d in dims}})
    return cells


def v4_entity(table: str, rows: Callable[[str], list[dict]], entity: str, root: str) -> dict[str, Any]:
    """The v4 answer for ``entity`` of ``table`` (``rows(name)`` gives a v3 entity set)."""
    properties = rows("DataProperties")
    context = {"@odata.context": f"{root}/$metadata#{entity}"}
    dims = [p for p in properties if p.get("Type") in _DIMENSION_TYPES]
    if entity == "":
        names = ["Properties", "Dimensions", "MeasureCodes", "Observations", *(f"{d['Key']}Codes" for d in dims)]
        return {**context, "value": [{"name": n, "kind": "EntitySet", "url": n} for n in names]}
    if entity == "Properties":
        info = rows("TableInfos")[0]
        return {**context, "Identifier": table, "Title": info.get("Title", ""), "Language": "nl",
                "DatasetType": "Numeric", "Status": "Regulier"}
    if entity == "Dimensions":
        return {**context, "value": [
            {"Identifier": d["Key"], "Title": d.get("Title", d["Key"]), "Description": "",
             "Kind": d["Type"], "ContainsCodes": True, "CodesUrl": f"{root}/{d['Key']}Codes"} for d in dims]}
    if entity == "MeasureCodes":
        by_key = {p["Key"]: p for p in properties}
        return {**context, "value": [
            {"Identifier": code, "Index": n, "Title": by_key[key].get("Title", key), "Description": "",
             "DataType": "Double", "Unit": by_key[key].get("Unit", ""), "Decimals": by_key[key].get("Decimals")}
            for n, (key, code) in enumerate(_measures(properties).items(), start=1)]}
    if entity == "Observations":
        return {**context, "value": observations(rows("TypedDataSet"), properties)}
    for d in dims:
        if entity == f"{d['Key']}Codes":
            return {**context, "value": [
                {"Identifier": c["Key"].strip(), "Index": n, "Title": c.get("Title", ""),
                 "Description": c.get("Description") or "", "DimensionGroupId": None}
                for n, c in enumerate(rows(d["Key"]), start=1)]}
    from odata_server import ODataError  # the server's error type (imported late: it imports us)

    raise ODataError(404, f"Resource not found for the segment '{entity}'.")
