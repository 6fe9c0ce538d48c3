"""Label-layout national and regional accounts -> ``labour_accounts.csv`` and ``regional_accounts.csv``.

Counts are multiplied out of CBS's units by the registry's ``measures`` (x 1 000 persons, jobs and
labour years -> persons, jobs, labour years; million hours -> hours); value added stays in million
euro. Persons, jobs, labour years and hours are whole numbers after multiplying out.
"""

from __future__ import annotations

import pandas as pd

from analysis.processing.labels import LabelRead
from analysis.processing.schema import LABOUR_COLUMNS, REGIONAL_COLUMNS


def _measures(read: LabelRead) -> dict[str, pd.Series]:
    values = {}
    for measure in read.source.measures:
        column = read.rows[measure["column"]]
        values[measure["name"]] = column.round(0).astype("Int64") if measure["multiplier"] > 1 else column
    return values


def labour_rows(read: LabelRead, vintage: str) -> pd.DataFrame:
    rows = read.rows
    frame = pd.DataFrame({"source_table": read.source.table_id, "vintage": vintage, "sbi_code": rows["sbi_code"],
                          "sbi_label": rows["sbi_label"], "year": rows["year"].astype(int),
                          "worker_type": rows["worker_type"], **_measures(read)})
    return frame[list(LABOUR_COLUMNS)]


def regional_rows(read: LabelRead, vintage: str) -> pd.DataFrame:
    rows = read.rows
    frame = pd.DataFrame({"source_table": read.source.table_id, "vintage": vintage,
                          "region_code": rows["region_code"], "region_name": rows["region_name"],
                          "region_level": rows["region_level"], "sbi_code": rows["sbi_code"],
                          "year": rows["year"].astype(int), **_measures(read)})
    return frame[list(REGIONAL_COLUMNS)]
