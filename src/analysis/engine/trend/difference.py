"""The inference on a growth difference, as data and as one sentence, for the ``trend`` claim's page.

A claim of kind ``trend`` is decided on the region's annual growth minus the comparator's
(:mod:`analysis.engine.kinds.trend`). Beside that verdict the page shows whether the data can
tell the two growth rates apart: the trend of ``log(region / comparator)`` over the pre-period of
the trend models (:attr:`TrendModels.difference`), with its fixed-b interval and the test of
"no difference", size-controlled over AR(1) persistence up to rho = 0.8
(:func:`analysis.stats.inference.trend_difference_inference`). Nothing is recomputed here: the
numbers are those of :meth:`TrendModels.numbers` (``difference_*``) and of the page's bullet
"trends.what.difference_*", gathered in one place.

Public API
----------
``ALPHA``; ``DifferenceInference`` (``data``: dict of plain numbers, ``text``: Text);
``difference_inference(models) -> DifferenceInference | None`` (None where the models have no
difference: the reason is in ``models.unavailable["difference"]``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analysis.engine.trend import texts as tx
from analysis.engine.trend.models import TrendModels
from analysis.i18n import Num, Text

ALPHA = 0.05  # the level of stats.inference's fixed-b test (its default, used by trend_stats)


@dataclass(frozen=True)
class DifferenceInference:
    """The growth difference with its inference: ``data`` (plain numbers, JSON-ready; NaN as None)
    and ``text`` (one sentence for the page, both languages)."""

    data: dict[str, Any]
    text: Text


def _plain(value: float) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def difference_inference(models: TrendModels) -> DifferenceInference | None:
    """The pre-period growth difference of ``models`` (region minus comparator) and its test.

    ``data``: ``region, comparator (rest_of_nation | nation), concept, sbi, first_year,
    last_year, years, n, difference_pct`` (growth of the ratio region / comparator, % a year: the
    tested quantity), ``region_growth_pct, comparator_growth_pct`` (each side's own trend),
    ``ci_low, ci_high`` (95% fixed-b interval), ``p_value`` (test of no difference),
    ``alpha``, ``differs`` (``p_value < alpha``; None without inference), ``inference_valid``,
    ``reason`` (why there is no inference, else ""), ``rho_max``, ``method``,
    ``bound_low, bound_high`` (the estimate with suppressed comparator cells at their bounds, or
    None). Unrounded; the text rounds rates to one decimal and p to two significant digits.
    """
    slope = models.difference
    if slope is None:
        return None
    pair = models.pair
    valid = bool(slope.inference_valid)
    bounds = models.difference_bounds
    data = {
        "region": pair.region, "comparator": pair.comparator, "concept": pair.concept,
        "sbi": pair.sbi, "first_year": int(slope.years[0]), "last_year": int(slope.years[-1]),
        "years": [int(y) for y in slope.years], "n": int(slope.n),
        "difference_pct": float(slope.growth_pct),
        "region_growth_pct": _plain(slope.region_growth_pct),
        "comparator_growth_pct": _plain(slope.comparator_growth_pct),
        "ci_low": _plain(slope.ci_low) if valid else None,
        "ci_high": _plain(slope.ci_high) if valid else None,
        "p_value": _plain(slope.p_value) if valid else None, "alpha": ALPHA,
        "differs": bool(slope.p_value < ALPHA) if valid else None, "inference_valid": valid,
        "reason": "" if valid else slope.reason, "rho_max": float(slope.rho_max),
        "method": slope.method,
        "bound_low": _plain(bounds[0]) if bounds else None,
        "bound_high": _plain(bounds[1]) if bounds else None,
    }
    common = {"region": pair.region_name, "comparator": pair.comparator_name,
              "concept": tx.concept_text(pair.concept), "sbi": pair.sbi,
              "first": tx.year_num(data["first_year"]), "last": tx.year_num(data["last_year"]),
              "difference": tx.pct(slope.growth_pct, signed=True)}
    if not valid:
        text = Text("trends.difference.estimate_only",
                    {**common, "reason": tx.no_inference_reason(slope)})
    else:
        text = Text("trends.difference.tested", {
            **common, "low": tx.pct(slope.ci_low, signed=True),
            "high": tx.pct(slope.ci_high, signed=True), "p": tx.p_text(slope.p_value),
            "rho_max": Num(slope.rho_max, decimals=1),
            "finding": Text("trends.difference.differs" if data["differs"]
                            else "trends.difference.not_distinct", common)})
    return DifferenceInference(data=data, text=text)
