"""Kind ``trend``: average annual growth of the region and its difference with the comparator.

Query template: for CBS series, the log-linear OLS trend through every year from ``base_year`` to
``end_year`` (its range over the values' intervals is exact: see
:func:`analysis.engine.intervals.loglinear_slope_pct`); for a published change, the change
annualised over its own period. Holds: the region grows faster than ``min_growth`` percent a year
and faster than the comparator by more than ``margin`` points (both halves alike in period,
concept and source). Result: the difference in points a year; strength: the smaller margin.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import nearest_end, threshold_fact
from analysis.engine.intervals import above, annual_pct, both, loglinear_slope_pct
from analysis.engine.kinds import base
from analysis.engine.tables import NoData
from analysis.i18n import Num, Text

PARAMS: dict[str, dict[str, Any]] = {
    **base.SERIES_PARAMS,
    "comparator": {"doc": "'nation' or 'nation_minus_region'", "default": "nation_minus_region"},
    "min_growth": {"doc": "percent a year the region must exceed, or 'total': the growth of all "
                   "jobs in the region over the same years (a vague 'fast' read as 'faster than "
                   "the region's economy')", "default": 0.0},
    "margin": {"doc": "points a year the region must exceed the comparator by", "default": 0.0},
}
RELATIONS: tuple[str, ...] = ()
TOTAL = "total"
TOTAL_SECTOR = "A-U"  # all economic activities
NEEDS_CLAIMED = False


def annual_growth(ctx: base.Ctx, setting: dict[str, Any], who: str) -> base.Measured:
    if setting["source"] != "cbs":
        measured = base.published_change(ctx, setting, who)
        if measured.period is None:
            raise NoData(Text("engine.nodata.period", {"base": "?", "end": "?"}))
        years = measured.period[1] - measured.period[0]
        return base.Measured(annual_pct(measured.bound, years), measured.public, measured.what,
                             measured.period, measured.concept, measured.source)
    first, last = int(setting["base_year"]), int(setting["end_year"])
    if last - first < 2:
        raise NoData(Text("engine.nodata.short_trend", {"base": Num(first, "year"),
                                                        "end": Num(last, "year")}))
    years = list(range(first, last + 1))
    levels = [base.level(ctx, setting, who, year) for year in years]
    bounds = [m.bound for m in levels]
    if any(b.lo <= 0 for b in bounds):
        raise NoData(Text("engine.nodata.zero_base", {"year": Num(first, "year")}))
    return base.Measured(loglinear_slope_pct(years, bounds), max(m.public for m in levels),
                         levels[0].what, (first, last), levels[0].concept,
                         levels=(bounds[0], bounds[-1]))


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    comparator = str(setting["comparator"])
    region = annual_growth(ctx, setting, "region")
    other = annual_growth(ctx, setting, comparator)
    why = base.unlike(region, other)
    if why is not None:
        raise NoData(Text("engine.unlike", {"why": why}))
    difference = region.bound - other.bound
    margin = float(setting["margin"])
    total = None
    if setting["min_growth"] == TOTAL:
        if setting["source"] != "cbs":
            raise NoData(Text("engine.nodata.total_published", {}))
        total = annual_growth(ctx, {**setting, "sector": TOTAL_SECTOR}, "region")
        growth_vs = region.bound - total.bound  # faster than all jobs in the region
        min_growth = 0.0
    else:
        growth_vs, min_growth = region.bound, float(setting["min_growth"])
    first, second = above(growth_vs, min_growth), above(difference, margin)
    holds = both(first, second)
    strength = min(nearest_end(growth_vs, min_growth) - min_growth,
                   nearest_end(difference, margin) - margin)
    effective = base.effective_period(setting, region, other)
    period = effective or {"base_year": setting["base_year"], "end_year": setting["end_year"]}
    numbers = {"base": Num(period["base_year"], "year"), "end": Num(period["end_year"], "year"),
               "region": base.interval_text(region.bound, decimals=1),
               "comparator": base.interval_text(other.bound, decimals=1),
               "difference": base.interval_text(difference, "number", 1),
               "name": ctx.region_name, "who": other.what,
               "subject": base.subject(ctx, setting)}
    def facts() -> list:
        words = Text("engine.fact.trend.region", {**numbers, "value": base.interval_text(region.bound)})
        word = ctx.claim.text("word")
        if total is not None:
            growth = threshold_fact("region", words, growth_vs, "percentage points a year", "above",
                                    0.0, first, word, direction="faster_than_total", words={
                                        "name": ctx.region_name,
                                        "value": base.interval_text(total.bound)})
        else:
            growth = threshold_fact("region", words, region.bound, "percent a year", "above",
                                    min_growth, first, word)
        gap = Text("engine.fact.trend.difference", {"who": other.what,
                                                   "value": base.interval_text(difference, "number")})
        return [growth, threshold_fact("difference", gap, difference, "percentage points a year",
                                       "above", margin, second, None, style="number",
                                       direction="faster")]

    return base.Outcome(
        result=difference, unit="percentage points a year", holds=holds, strength=strength,
        facts=facts,
        public=max(region.public, other.public), statement=lambda: Text("engine.statement.trend", numbers),
        arithmetic=lambda: Text("engine.arith.trend", numbers), parts={"region": region, "comparator": other},
        effective=effective,
        inputs={"region": [region.bound.lo, region.bound.value, region.bound.hi],
                "comparator": [other.bound.lo, other.bound.value, other.bound.hi]})


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    for param in ("sector", "base_year", "end_year"):
        if claim.reading.get(param) is None:
            raise _fail(claim.id, f"check.reading.{param}", "missing", PARAMS[param]["doc"])


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    from analysis.engine.kinds.validate import validate_series_data

    validate_series_data(claim, registry, tables)
