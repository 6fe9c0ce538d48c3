"""Shared by tests/test_kinds_*.py: the processed jobs read independently with pandas, a small
synthetic data folder with regions of every level, and a registry head."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.processing.schema import JOBS_COLUMNS

HALF = 50.0  # CBS publishes employee jobs in thousands with one decimal: +-50 jobs a cell

META = """
[meta]
region = "CR01"
publication = "tests"

[publication.tests]
title = "test claims"
publisher = "the tests"
date = "2030-01-01"

[meta.public]
employee_jobs = { year_offset = 1, month = 12, day = 15 }
enrolment = { year_offset = 1, month = 4, day = 1 }
labour_accounts = { year_offset = 1, month = 6, day = 30 }
regional_accounts = { year_offset = 2, month = 11, day = 1 }

[meta.national_rows]
83582NED = "83583NED"
"""


def write_registry(path: Path, claims: str) -> Path:
    path.write_text(META + claims, encoding="utf-8")
    return path


def real_cells(table: str = "83582NED") -> pd.DataFrame:
    """Published (not derived) cells of ``table``, one row per region, code and year, the newest
    release of each cell ('latest' is CBS's newest of 83582NED; '2025-04-22' the only one of the
    province rows)."""
    frame = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype=str, keep_default_na=False)
    frame = frame[(frame["derived"] == "False") & (frame["source_table"] == table)].copy()
    frame["rank"] = (frame["vintage"] == "latest").astype(int)
    frame = frame.sort_values("rank").drop_duplicates(["region_code", "sbi_code", "year"], keep="last")
    frame["jobs"] = pd.to_numeric(frame["employee_jobs"], errors="coerce")
    return frame


def cell(frame: pd.DataFrame, region: str, sbi: str, year: int) -> float:
    row = frame[(frame["region_code"] == region) & (frame["sbi_code"] == sbi)
                & (frame["year"] == str(year))]
    assert len(row) == 1, (region, sbi, year)
    return float(row["jobs"].iloc[0])


# A synthetic country with CBS's codes: NL01, two provinces (PV20 = CR01-CR03, PV21 = CR04-CR06, as
# in CBS's COROP classification); the provinces publish A-U only, as 83582NED does.
SYNTHETIC_NAMES = {
    "NL01": ("Nederland", "nl"), "PV20": ("Groningen (PV)", "provincie"),
    "PV21": ("Fryslân (PV)", "provincie"),
    **{f"CR0{n}": (f"Gebied {n} (CR)", "corop") for n in range(1, 7)},
}


def write_jobs(folder: Path, cells: dict[tuple[str, str, int], float | None],
               table: str = "99901NED") -> Path:
    """cells: (region, sbi, year) -> employee jobs (None: suppressed), one vintage 'v1'."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "jobs.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(JOBS_COLUMNS))
        writer.writeheader()
        for (region, sbi, year), value in sorted(cells.items()):
            name, level = SYNTHETIC_NAMES[region]
            writer.writerow({
                "source_table": table, "vintage": "v1", "region_code": region,
                "region_name": name, "region_level": level, "sbi_code": sbi, "sbi_label": sbi,
                "year": year, "employee_jobs": "" if value is None else int(value),
                "suppressed": value is None, "derived": False, "derivation": "",
                "missing_parts": "", "period_status": ""})
    return folder
