"""Classic shift-share (Dunn 1960): a region's employment change split into three effects.

For every sector *i*, with ``E_i0``/``E_it`` the region's employment in the base and end year,
``r_i = E_it / E_i0 - 1`` its growth, ``g_i`` the comparator's growth in the sector and ``g`` the
comparator's growth over all sectors given::

    national growth effect = E_i0 * g           (had the sector grown as the comparator's total)
    industry mix effect    = E_i0 * (g_i - g)   (the comparator's sector grew above/below g)
    regional effect        = E_i0 * (r_i - g_i) (the region's sector grew above/below the sector)

Each effect is computed from its own formula; they add up to the actual change ``E_it - E_i0``
(``E_i0 * r_i``), which the tests check as a property rather than build in. The regional effect of
one sector is what "relatively N more jobs than the nation" means. Register counts have no sampling
error: the split is arithmetic, not an estimate.

Inputs are two sector x year frames (index = sector code, integer year columns) with the same
sectors; every sector needs employment above 0 in the base year in the region and the comparator
(its growth rate is undefined otherwise) and a value in both years.

Public API
----------
``COMPONENTS``; ``classic(region, comparator, base, end) -> ShiftShare`` with ``components``
(totals over the sectors, keys :data:`COMPONENTS`), ``by_sector`` (one row per sector: base and
end employment, both growth rates in %, the effects), ``comparator_growth_pct`` (``100 g``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

EFFECTS = ("national_growth_effect", "industry_mix_effect", "regional_effect")
COMPONENTS = (*EFFECTS, "actual_change")


@dataclass(frozen=True, eq=False)  # eq=False: holds a DataFrame
class ShiftShare:
    """A classic shift-share split of the region's change from ``base_year`` to ``end_year``."""

    base_year: int
    end_year: int
    components: dict[str, float]
    by_sector: pd.DataFrame
    comparator_growth_pct: float


def _check(frame: pd.DataFrame, base: int, end: int, role: str) -> None:
    missing = [year for year in (base, end) if year not in frame.columns]
    if missing:
        raise ValueError(f"the {role} has no column for {missing}; years: {list(frame.columns)}")
    gaps = [str(s) for s in frame.index if frame.loc[s, [base, end]].isna().any()]
    if gaps:
        raise ValueError(f"the {role} has no value for sector(s) {', '.join(gaps)} in {base} or "
                         f"{end}; merge suppressed sectors into a group first")
    empty = [str(s) for s in frame.index if not frame.loc[s, base] > 0]
    if empty:
        raise ValueError(f"the {role} has no employment in {base} in sector(s) {', '.join(empty)}, "
                         "so its growth rate is undefined; merge them into a larger group")


def classic(region: pd.DataFrame, comparator: pd.DataFrame, base: int, end: int) -> ShiftShare:
    """Classic shift-share of ``region`` against ``comparator`` (module docstring)."""
    if base >= end:
        raise ValueError(f"the base year ({base}) must come before the end year ({end})")
    if set(region.index) != set(comparator.index):
        raise ValueError(f"region and comparator need the same sectors; region: "
                         f"{sorted(map(str, region.index))}, comparator: "
                         f"{sorted(map(str, comparator.index))}")
    comparator = comparator.loc[region.index]
    _check(region, base, end, "region")
    _check(comparator, base, end, "comparator")
    e0, et = region[base].astype(float), region[end].astype(float)
    c0, ct = comparator[base].astype(float), comparator[end].astype(float)
    r = et / e0 - 1.0
    g_sector = ct / c0 - 1.0
    g = float(ct.sum() / c0.sum() - 1.0)
    by_sector = pd.DataFrame({
        "base_employment": e0, "end_employment": et,
        "region_growth_pct": 100.0 * r, "comparator_growth_pct": 100.0 * g_sector,
        "national_growth_effect": e0 * g,
        "industry_mix_effect": e0 * (g_sector - g),
        "regional_effect": e0 * (r - g_sector),
        "actual_change": et - e0,
    })
    by_sector.index.name = "sector"
    return ShiftShare(base_year=int(base), end_year=int(end),
                      components={c: float(by_sector[c].sum()) for c in COMPONENTS},
                      by_sector=by_sector, comparator_growth_pct=100.0 * g)
