"""The same claim for every COROP region: one row per region, sorted by value.

``league(claim_id)`` -> DataFrame with ``region_code, region_name, value, low, high, unit, holds,
verdict, robustness`` (the reading's value and interval, whether it holds, the verdict and the
robustness). A claim that names something regional (``applies_to`` in the registry) gives
"not_applicable" for the other regions, with no value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis.engine.check import check, registry_for, tables_for
from analysis.engine.kinds import KINDS
from analysis.engine.registry import Registry

COLUMNS = ["region_code", "region_name", "value", "low", "high", "unit", "holds", "verdict",
           "robustness"]


def league(claim_id: str, registry: Registry | Path | str | None = None,
           data_dir: Path | str | None = None, **overrides: Any) -> pd.DataFrame:
    tables = tables_for(data_dir)
    loaded = registry_for(registry, tables)
    part = getattr(KINDS[loaded.claim(claim_id).kind], "LEAGUE_VALUE", None)
    rows = []
    for region in tables.corop_regions():
        result = check(claim_id, region, loaded, data_dir, lean=True, **overrides)
        reading = result.reading
        shown = None
        if reading is not None:
            shown = reading.parts.get(part) if part else reading.result
        rows.append({
            "region_code": region, "region_name": result.region_name,
            "value": shown.value if shown else None,
            "low": shown.low if shown else None,
            "high": shown.high if shown else None,
            "unit": (shown.unit or reading.result.unit) if shown else "",
            "holds": reading.holds if reading else None,
            "verdict": result.verdict, "robustness": result.robustness})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # sort by value (the interval's middle where only bounds are known), regions without one last
    middle = frame["value"].astype(float).fillna((frame["low"].astype(float)
                                                  + frame["high"].astype(float)) / 2)
    order = middle.sort_values(ascending=False, na_position="last").index
    return frame.loc[order].reset_index(drop=True)
