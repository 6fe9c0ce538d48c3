"""A hand-made jobs.csv in the processed layout, for engine table tests (no real data)."""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.processing.schema import JOBS_COLUMNS


def write_jobs(folder: Path, rows: list[tuple[str, str, str, str, int, float | None]]) -> Path:
    """rows: (source_table, vintage, region, sbi, year, employee jobs or None = suppressed)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {"NL01": ("Nederland", "nl"), "CR01": ("Alfa (CR)", "corop")}
    with (folder / "jobs.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(JOBS_COLUMNS))
        writer.writeheader()
        for table, vintage, region, sbi, year, value in rows:
            name, level = names[region]
            writer.writerow({
                "source_table": table, "vintage": vintage, "region_code": region,
                "region_name": name, "region_level": level, "sbi_code": sbi, "sbi_label": sbi,
                "year": year, "employee_jobs": "" if value is None else int(value),
                "suppressed": value is None, "derived": False, "derivation": "",
                "missing_parts": "", "period_status": ""})
    return folder
