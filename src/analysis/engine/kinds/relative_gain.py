"""Kind ``relative_gain``: the region's gain beyond the comparator's rate, in jobs.

Query template (the regional effect of shift-share): E0 * (g_r - g_c) / 100, with E0 the
region's level in the **base year** of the period, g_r and g_c the region's and the comparator's
percent changes over that period, all three from the same source, concept and period. ``base_level``:
``"series"`` (E0 from the region's own series) or a level in ``[claim.check.levels]`` (published
figures summed, with their year and publication date); a level of another year than the base year
is not evaluated (it is not E0), nor is one of another concept. The claim's own percentages are
never an input: they are what is being checked. Holds: the gain lies in the claimed interval.

``base_level = "bound:<SBI code>"`` (a context item, never a reading): E0 is only bounded from
above by the region's level of a wider sector that contains the claimed one (HTSM's divisions
24-30 lie inside SBI C). Then the claimed gain needs g_r >= g_c + claimed_low / E0_max: the
result is that lower bound on the region's growth (role ``lower_bound``), with the comparator's
growth measured directly.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import nearest_end, within_fact
from analysis.engine.intervals import Bound, margin_inside, total, within
from analysis.engine.kinds import base
from analysis.engine.tables import NoData
from analysis.i18n import Num, Text

PARAMS: dict[str, dict[str, Any]] = {
    **base.SERIES_PARAMS,
    **base.CLAIMED_PARAMS,
    "comparator": {"doc": "'nation' or 'nation_minus_region'", "default": "nation_minus_region"},
    "base_level": {"doc": "'series' or a level of [claim.check.levels]", "default": "series"},
}
RELATIONS: tuple[str, ...] = ()
NEEDS_CLAIMED = True


def _base_level(ctx: base.Ctx, setting: dict[str, Any], region: base.Measured) -> tuple[Bound, Any]:
    name = str(setting["base_level"])
    if name == "series":
        if region.levels is None:
            raise NoData(Text("engine.nodata.no_level", {}))
        return region.levels[0], ctx.registry.public_date("employee_jobs", region.period[0]) \
            if region.period else region.public
    level = ctx.claim.levels[name]
    label = {"nl": level.get("label_nl", name), "en": level.get("label_en", name)}
    if region.period is None or int(level["year"]) != region.period[0]:
        raise NoData(Text("engine.nodata.level_year", {
            "level": label, "year": Num(level["year"], "year"),
            "base": Num(region.period[0] if region.period else 0, "year")}))
    parts = []
    concept = None
    for figure in level["figures"]:
        sign = -1.0 if figure.startswith("-") else 1.0
        bound, row = ctx.tables.figure(figure.lstrip("-"))
        concept = concept or str(row["concept"])
        parts.append(bound if sign > 0 else -bound)
    if region.source != "cbs" and concept != region.concept:
        raise NoData(Text("engine.unlike", {"why": Text("engine.unlike.concept", {
            "first": base.concept_words(concept), "second": base.concept_words(region.concept)})}))
    return total(parts), level["date"]


def _needed_growth(ctx: base.Ctx, setting: dict[str, Any], wider: str) -> base.Outcome:
    """The region growth the claimed gain needs when E0 is only bounded by a wider sector."""
    from analysis.engine.claimed import claimed_interval

    comparator = str(setting["comparator"])
    other = base.change(ctx, setting, comparator)
    level = base.level(ctx, {**setting, "sector": wider}, "region", int(setting["base_year"]))
    claimed = claimed_interval(ctx.claim.claimed, ctx.claim.id, str(setting["precision"]))
    needed = other.bound.lo + 100.0 * claimed.lo / level.bound.hi
    result = Bound(needed, None, float("inf"))
    numbers = {"level": base.interval_text(level.bound, "number", 0, round_to=100), "wider": base.sector_label(ctx, wider),
               "gain": Num(claimed.lo, "number", 0, round_to=50), "needed": Num(needed, "percent", 1),
               "comparator": base.interval_text(other.bound), "who": other.what,
               "name": ctx.region_name, "base": Num(setting["base_year"], "year"),
               "end": Num(setting["end_year"], "year")}
    return base.Outcome(
        result=result, unit="percent", holds=None, strength=None,
        public=max(other.public, level.public),
        statement=lambda: Text("engine.statement.needed_growth", numbers),
        parts={"comparator": other}, inputs={"level_max": level.bound.hi, "claimed_low": claimed.lo})


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    from analysis.engine.claimed import claimed_interval

    if str(setting["base_level"]).startswith("bound:"):
        return _needed_growth(ctx, setting, str(setting["base_level"]).removeprefix("bound:"))
    comparator = str(setting["comparator"])
    other = base.change(ctx, setting, comparator)
    region, gap = base.try_measure(base.change, ctx, setting, "region")
    notes = []
    if region is None:
        region, level, level_public, note = _bounded(ctx, setting, other, gap)
        notes.append(note)
        gain = level * (region.bound - other.bound) / 100.0
    else:
        why = base.unlike(region, other)
        if why is not None:
            raise NoData(Text("engine.unlike", {"why": why}))
        level, level_public = _base_level(ctx, setting, region)
        if setting["base_level"] == "series" and region.levels is not None:
            # E0 and the region's growth come from the same cells: E0 * g_r = E_end - E0 exactly
            first, last = region.levels
            gain = (last - first) - first * other.bound / 100.0
        else:
            gain = level * (region.bound - other.bound) / 100.0
    claimed = claimed_interval(ctx.claim.claimed, ctx.claim.id, str(setting["precision"]))
    effective = base.effective_period(setting, region, other)
    period = effective or {"base_year": setting["base_year"], "end_year": setting["end_year"]}
    public = max(region.public, other.public, level_public)
    numbers = {"level": base.interval_text(level, "number", 0, round_to=100, toward=level.hi),
               "region": base.interval_text(region.bound), "comparator": base.interval_text(other.bound),
               "gain": base.interval_text(gain, "number", 0, round_to=50, toward=claimed.lo),
               "base": Num(period["base_year"], "year"), "end": Num(period["end_year"], "year"),
               "who": other.what, "name": ctx.region_name}
    holds = within(gain, claimed)

    def facts() -> list:
        measured = Text("engine.fact.relative_gain", numbers)
        return [within_fact("region", measured, gain, "jobs", claimed, holds, None, style="number",
                            round_to=50)]

    return base.Outcome(
        result=gain, unit="jobs", holds=holds, strength=_margin(gain, claimed),
        public=public, statement=lambda: Text("engine.statement.relative_gain", numbers),
        arithmetic=lambda: Text("engine.arith.relative_gain", numbers),
        parts={"region": region, "comparator": other}, effective=effective, notes=notes,
        facts=facts,
        inputs={"base_level": [level.lo, level.value, level.hi],
                "region": [region.bound.lo, region.bound.value, region.bound.hi],
                "comparator": [other.bound.lo, other.bound.value, other.bound.hi]})


def _margin(gain: Bound, claimed: Bound) -> float:
    """How far inside the claimed interval the gain lies; from a bound, the end nearest it."""
    if gain.value is not None:
        return margin_inside(gain, claimed)
    nearest = nearest_end(gain, claimed.lo if gain.hi < claimed.lo else claimed.hi)
    return margin_inside(Bound(nearest, nearest, nearest), claimed)


def _bounded(ctx: base.Ctx, setting: dict[str, Any], other: base.Measured, gap: Any
             ) -> tuple[base.Measured, Bound, Any, Text]:
    """Where no series measures the region: E0 bounded by the smallest published sector that
    contains the claimed one, and the region's growth as the claim itself states it elsewhere
    (``[claim.check.given] region_change``; only for the region the claim is about). Together
    they bound the gain: if every value they allow lies outside the claimed interval, the claim
    cannot be right on its own numbers."""
    from analysis.engine.claimed import claimed_interval

    given = ctx.claim.given.get("region_change")
    if given is None or ctx.region not in ctx.claim.own_regions or setting["base_level"] != "series" \
            or setting["source"] != "cbs":
        raise NoData(gap)
    level, wider = base.containing_level(ctx, setting, "region", int(setting["base_year"]))
    growth = claimed_interval(given, ctx.claim.id)
    region = base.Measured(growth, ctx.claim.date, Text("engine.who.region", {"region": ctx.region_name}),
                           period=other.period, concept=other.concept)
    note = Text("engine.note.bounded_gain", {
        "gap": gap, "wider": base.sector_label(ctx, wider), "name": ctx.region_name,
        "growth": base.interval_text(growth), "given": ctx.claim.text("given") or ""})
    return region, level.bound, level.public, note


def validate(claim: Any) -> None:
    from analysis.engine.claimed import claimed_interval
    from analysis.engine.registry_errors import entry_error as _fail
    from analysis.engine.schema_params import axis_values

    claimed_interval(claim.claimed, claim.id)
    known = ["series", *claim.levels]
    for value in axis_values(claim, "base_level"):
        if value not in known and not str(value).startswith("bound:"):
            raise _fail(claim.id, "check.reading.base_level / perturb", f"unknown level {value!r}",
                        known + ["bound:<SBI code>"])


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    from analysis.engine.kinds.validate import validate_series_data

    validate_series_data(claim, registry, tables)
    for name, level in claim.levels.items():
        for figure in level["figures"]:
            if figure.lstrip("-") not in tables.figures.index:
                from analysis.engine.registry_errors import entry_error as _fail
                raise _fail(claim.id, f"check.levels.{name}.figures", f"unknown published figure "
                            f"{figure!r}", "ids of data/published_figures.csv")
