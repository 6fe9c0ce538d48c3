"""Label-layout jobs tables -> rows of ``jobs.csv`` and ``jobs_by_firm_size.csv``.

83583NED and 81497NED are national tables by SBI code (sections, groups and 2-digit divisions, as
CBS labels them) and firm size; their national rows go into ``jobs.csv`` with region NL01 (the size
class ``total``), every size class into ``jobs_by_firm_size.csv``. The 2025-04-22 release of
83582NED gives CBS's own national, landsdeel, provincial and COROP A-U figures.

Beware: CBS's national figure of 83583NED and 81497NED covers every employee job of the
statistic, as does the sum of all COROP regions incl. CR99; 83582NED's region "Nederland" leaves
the jobs not assignable to a region out (a few thousand).
"""

from __future__ import annotations

import pandas as pd

from analysis.processing.labels import LabelRead
from analysis.processing.schema import FIRM_SIZE_COLUMNS, JOBS_COLUMNS


def _jobs_frame(read: LabelRead, vintage: str, values: pd.Series, regional: bool) -> pd.DataFrame:
    rows = read.rows
    jobs = values.round(0).astype("Int64")
    frame = pd.DataFrame({
        "source_table": read.source.table_id,
        "vintage": vintage,
        "region_code": rows["region_code"] if regional else "NL01",
        "region_name": rows["region_name"] if regional else "Nederland",
        "region_level": rows["region_level"] if regional else "nl",
        "sbi_code": rows["sbi_code"],
        "sbi_label": rows["sbi_label"],
        "year": rows["year"].astype(int),
        "employee_jobs": jobs,
        "suppressed": jobs.isna(),
        "derived": False,
        "derivation": "",
        "missing_parts": "",
        "period_status": rows["period_status"],
    })
    return frame[list(JOBS_COLUMNS)]


def _measure(read: LabelRead, size_class: str = "total") -> pd.Series:
    for measure in read.source.measures:
        if measure.get("size_class", "total") == size_class and measure["name"] == "employee_jobs":
            return read.rows[measure["column"]]
    raise KeyError(f"{read.source.id}: no employee_jobs measure for size class {size_class!r}")


def jobs_rows(read: LabelRead, vintage: str) -> pd.DataFrame:
    """Rows of jobs.csv: the national total of a size-class table, or every mapped region."""
    rows = read.rows
    if "size_class" in rows:  # 83583NED: size classes as a dimension
        keep = (rows["size_class"] == "total").to_numpy()
        sub = LabelRead(read.source, rows[keep].reset_index(drop=True), read.records_in_file, read.records_not_used)
        return _jobs_frame(sub, vintage, _measure(sub), regional=False)
    return _jobs_frame(read, vintage, _measure(read), regional="region_code" in rows)


def firm_size_rows(read: LabelRead, vintage: str) -> pd.DataFrame:
    """Rows of jobs_by_firm_size.csv (size classes as a dimension or as one column per class)."""
    rows, source = read.rows, read.source
    common = {"source_table": source.table_id, "vintage": vintage, "sbi_code": rows["sbi_code"],
              "sbi_label": rows["sbi_label"], "year": rows["year"].astype(int),
              "period_status": rows["period_status"], "size_basis": source.size_basis}
    if "size_class" in rows:
        parts = [pd.DataFrame({**common, "size_class": rows["size_class"], "size_class_label": rows["size_class_label"],
                               "employee_jobs": _measure(read).round(0).astype("Int64")})]
    else:
        parts = [pd.DataFrame({**common, "size_class": m["size_class"], "size_class_label": m["column"],
                               "employee_jobs": rows[m["column"]].round(0).astype("Int64")})
                 for m in source.measures]
    frame = pd.concat(parts, ignore_index=True)
    frame["suppressed"] = frame["employee_jobs"].isna()
    return frame[list(FIRM_SIZE_COLUMNS)]
