"""A stand-in for the engine's league (analysis.engine.league.league) in the synthetic report tests.

Selected with TWENTE_CLAIMS_LEAGUE=fake_league:league. Value per region: its 2010 employee jobs in
the synthetic jobs.csv divided by 10,000, plus an offset per claim; "supported" above 28.
"""

from __future__ import annotations

import csv
from typing import Any

import pandas as pd

from analysis import paths

OFFSETS = {"jobs-grew": 0.0, "students-share": 10.0}


def league(claim_id: str, **options: Any) -> pd.DataFrame:
    with open(paths.processed_dir() / "jobs.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_level"] == "corop" and r["year"] == "2010"]
    offset = OFFSETS.get(claim_id, 5.0)
    frame = pd.DataFrame({
        "region_code": [r["region_code"] for r in rows], "region_name": [r["region_name"] for r in rows],
        "value": [int(r["employee_jobs"]) / 10_000 + offset for r in rows]})
    frame["holds"] = frame["value"] > 28
    frame["verdict"] = frame["holds"].map({True: "supported", False: "not_supported"})
    frame["robustness"] = 1.0
    return frame.sort_values("value").reset_index(drop=True)
