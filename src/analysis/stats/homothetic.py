"""Esteban-Marquillas (1972) shift-share: the regional effect split by homothetic employment.

The classic regional (competitive) effect of sector *i*, ``E_i0 * (r_i - g_i)``, mixes two things:
how well the region does in the sector and how much of the sector it has. Esteban-Marquillas
separate them with the *homothetic* employment the region would have in the sector if its
structure were the comparator's::

    E_hat_i = E_0 * C_i0 / C_0                   (E_0, C_0: totals over the sectors given)
    homothetic competitive effect = E_hat_i * (r_i - g_i)
    allocation effect             = (E_i0 - E_hat_i) * (r_i - g_i)

Their sum is the classic regional effect; the national growth and industry mix effects are the
classic ones (:mod:`analysis.stats.shiftshare`), with the national rate ``g`` from
``comparator_total`` (pass the all-industry total when the sectors are a subset of the economy).
The allocation effect is positive where the region is specialised (``E_i0 > E_hat_i``) in a sector
it does well in, or under-represented in one it does badly in.

``r_i`` is the region's growth in sector *i*, so every sector needs regional employment above zero
in the base year. Same inputs as :func:`analysis.stats.shiftshare.classic`.

Public API
----------
``esteban_marquillas(region, comparator, base, end, *, comparator_total=None,
region_name="the region", comparator_name="the comparator", unit="jobs") -> Homothetic``;
``Homothetic.components`` keys: :data:`COMPONENTS`; ``Homothetic.by_sector`` columns:
``base_employment, end_employment, homothetic_employment, specialisation`` (E_i0 - E_hat_i),
``region_growth_pct, comparator_growth_pct`` and the components.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.stats.shiftshare import _check_cells, _check_years, _prepare, _require_nonzero_base

COMPONENTS = ("national_growth_effect", "industry_mix_effect", "homothetic_competitive_effect",
              "allocation_effect", "regional_effect", "actual_change")


@dataclass(frozen=True, eq=False)  # eq=False: holds a DataFrame
class Homothetic:
    """Esteban-Marquillas decomposition; ``regional_effect`` = homothetic + allocation."""

    base_year: int
    end_year: int
    components: dict[str, float]
    by_sector: pd.DataFrame
    comparator_growth_pct: float
    region_name: str = "the region"
    comparator_name: str = "the comparator"
    unit: str = "jobs"
    method: str = "Esteban-Marquillas (homothetic employment from the comparator's structure)"

    def to_dict(self) -> dict[str, object]:
        return {"method": "esteban-marquillas", "base_year": self.base_year,
                "end_year": self.end_year, "region": self.region_name,
                "comparator": self.comparator_name,
                **{name: float(value) for name, value in self.components.items()},
                "comparator_growth_pct": float(self.comparator_growth_pct)}


def esteban_marquillas(
    region: pd.DataFrame | pd.Series,
    comparator: pd.DataFrame | pd.Series,
    base: int,
    end: int,
    *,
    comparator_total: pd.Series | None = None,
    region_name: str = "the region",
    comparator_name: str = "the comparator",
    unit: str = "jobs",
) -> Homothetic:
    """Classic shift-share with the regional effect split into homothetic and allocation parts."""
    _check_years(base, end)
    region_wide, comparator_wide, total = _prepare(region, comparator, comparator_total)
    for frame, role in ((region_wide, "region"), (comparator_wide, "comparator"),
                        (total.to_frame().T, "comparator total")):
        _check_cells(frame, [base, end], role)
    _require_nonzero_base(comparator_wide[base], base, "comparator employment")
    empty = region_wide.index[region_wide[base] <= 0].tolist()
    if empty:
        raise ValueError(f"regional employment is 0 in {base} for {empty}: its growth rate, and so "
                         "the homothetic split, is undefined (merge or drop those sectors)")
    if total[base] == 0:
        raise ValueError(f"the comparator total is 0 in {base}, so its growth rate is undefined")
    e0, e1 = region_wide[base], region_wide[end]
    c0, c1 = comparator_wide[base], comparator_wide[end]
    g = float(total[end] / total[base] - 1.0)
    g_i = c1 / c0 - 1.0
    r_i = e1 / e0 - 1.0
    homothetic = float(e0.sum()) * c0 / float(c0.sum())
    frame = pd.DataFrame({
        "base_employment": e0, "end_employment": e1, "homothetic_employment": homothetic,
        "specialisation": e0 - homothetic, "region_growth_pct": 100.0 * r_i,
        "comparator_growth_pct": 100.0 * g_i,
        "national_growth_effect": e0 * g, "industry_mix_effect": e0 * (g_i - g),
        "homothetic_competitive_effect": homothetic * (r_i - g_i),
        "allocation_effect": (e0 - homothetic) * (r_i - g_i),
        "regional_effect": e0 * (r_i - g_i), "actual_change": e1 - e0,
    })
    frame.index.name = "sector"
    return Homothetic(
        base_year=int(base), end_year=int(end),
        components={c: float(frame[c].sum()) for c in COMPONENTS}, by_sector=frame,
        comparator_growth_pct=100.0 * g, region_name=region_name,
        comparator_name=comparator_name, unit=unit,
    )
