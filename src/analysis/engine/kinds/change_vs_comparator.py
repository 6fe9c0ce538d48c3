"""Kind ``change_vs_comparator``: a region's change against a comparator's over the same period.

Query template: g_r = change of the region's series from ``base_year`` to ``end_year``, g_c = the
same for the ``comparator`` (``nation``, or ``nation_minus_region``: the rest of the country, the
fair comparator unless the claim says "nationally" and means the nation). Relations:

- ``both_fall``: both fell by at least ``threshold`` percent (a conjunction: one half that fails
  decides it; one half the data cannot give leaves it undecided);
- ``region_grows_comparator_falls``: the region grew (by the claimed number, if the claim gives one)
  while the comparator fell (a conjunction of two findings, each measured on its own);
  ``region_falls_comparator_grows`` the mirror: the region fell (by the claimed number, a size)
  while the comparator grew;
- ``faster``: g_r - g_c > ``threshold`` points (a comparison: both halves must be alike in
  period, concept and source, else the setting is not evaluated).

Result: for the conjunctions the region's change (or, where the region cannot be measured, the
comparator's); for ``faster`` the difference in percentage points. Strength: the margin of the
weakest half in percentage points.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import nearest_end, threshold_fact, within_fact
from analysis.engine.intervals import Bound, above, at_least, both, margin_inside, within
from analysis.engine.kinds import base
from analysis.engine.tables import NoData
from analysis.i18n import Num, Text

PARAMS: dict[str, dict[str, Any]] = {
    **base.SERIES_PARAMS,
    **base.CLAIMED_PARAMS,
    "comparator": {"doc": "'nation' or 'nation_minus_region'", "default": "nation_minus_region"},
    "threshold": {"doc": "percent fall (both_fall) or points (faster) that the claim needs",
                  "default": 0.0},
}
OPPOSITE = ("region_grows_comparator_falls", "region_falls_comparator_grows")
RELATIONS = ("both_fall", *OPPOSITE, "faster")
NEEDS_CLAIMED = False
LEAGUE_VALUE = "region"  # the league ranks regions by their own change (None where unmeasurable)


def claimed_bound(claim: Any, setting: dict[str, Any]) -> Bound | None:
    from analysis.engine.claimed import claimed_interval

    return claimed_interval(claim.claimed, claim.id, setting.get("precision", "stated")) \
        if claim.claimed else None


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    relation = ctx.claim.relation
    comparator = str(setting["comparator"])
    if comparator not in base.COMPARATORS:
        raise NoData(Text("engine.nodata.comparator", {"comparator": comparator}))
    region, region_gap = base.try_measure(base.change, ctx, setting, "region")
    other, other_gap = base.try_measure(base.change, ctx, setting, comparator)
    if region is None and other is None:
        raise NoData(region_gap or other_gap)
    threshold = float(setting["threshold"])
    notes = [gap for gap in (region_gap, other_gap) if gap is not None]
    parts = {k: v for k, v in (("region", region), ("comparator", other)) if v is not None}
    effective = base.effective_period(setting, region, other)
    public = max(m.public for m in parts.values())
    if relation == "faster":
        if region is None or other is None:
            raise NoData(region_gap or other_gap)
        why = base.unlike(region, other)
        if why is not None:
            raise NoData(Text("engine.unlike", {"why": why}))
        difference = region.bound - other.bound
        holds = above(difference, threshold)
        strength = nearest_end(difference, threshold) - threshold
        result, unit = difference, "percentage points"
        checks = [("difference", difference, "above", threshold, holds)]
    else:
        checks = []  # (part, value in the claim's direction, test, threshold or claimed, holds)
        if relation == "both_fall":
            for name, half in (("region", region), ("comparator", other)):
                if half is not None:
                    fall = -half.bound
                    checks.append((name, fall, "at_least", threshold, at_least(fall, threshold)))
        else:  # opposite directions: each half's change in the direction the claim gives it
            claimed = claimed_bound(ctx.claim, setting)
            sign = 1.0 if relation == "region_grows_comparator_falls" else -1.0
            if region is not None:
                moved = region.bound * sign
                if claimed is not None:
                    checks.append(("region", moved, "within", claimed,
                                   both(above(moved, 0.0), within(moved, claimed))))
                else:
                    checks.append(("region", moved, "above", 0.0, above(moved, 0.0)))
            if other is not None:
                moved = other.bound * -sign
                checks.append(("comparator", moved, "above", 0.0, above(moved, 0.0)))
        holds: bool | None = True
        for *_, check in checks:
            holds = both(holds, check)
        if region is None or other is None:
            holds = False if holds is False else None
        strength = min(margin_inside(value, limit) if test == "within"
                       else nearest_end(value, limit) - limit for _, value, test, limit, _ in checks)
        result, unit = (region or other).bound, "percent"
    period = effective or {"base_year": setting["base_year"], "end_year": setting["end_year"]}
    def statement() -> Text:
        return Text(f"engine.statement.change_vs_comparator.{'pair' if region and other else 'one'}", {
            "base": Num(period["base_year"], "year"), "end": Num(period["end_year"], "year"),
            "subject": base.subject(ctx, setting),
            "region": ctx.region_name,
            "who": (region or other).what,
            "first": _change_words(region or other),
            "second": _change_words(other) if region and other else "",
            "comparator": other.what if other else ""})

    def facts() -> list:
        return [_fact(ctx, setting, period, name, {"region": region, "comparator": other,
                                                   "difference": None}[name], *rest)
                for name, *rest in checks]

    def arithmetic() -> Text:
        return Text("engine.arith.change_pair", {
            "region": _arith(region, ctx, "region"), "comparator": _arith(other, ctx, comparator)})
    return base.Outcome(result=result, unit=unit, holds=holds, strength=strength, public=public,
                        statement=lambda: statement(), arithmetic=lambda: arithmetic(), parts=parts,
                        effective=effective, notes=notes, facts=facts)


def _fact(ctx: base.Ctx, setting: dict[str, Any], period: dict[str, Any], part: str,
          half: base.Measured | None, value: Bound, test: str, limit: Any, holds: bool | None) -> Any:
    """One condition in words: the half's change (or the difference) judged against the claim."""
    numbers = {"base": Num(period["base_year"], "year"), "end": Num(period["end_year"], "year"),
               "subject": base.subject(ctx, setting)}
    if half is None:
        measured = Text("engine.fact.change.difference", {
            "base": numbers["base"], "end": numbers["end"],
            "who": Text(f"engine.who.{setting['comparator']}", {"region": ctx.region_name}),
            "value": base.interval_text(value, "number", 1, toward=limit)})
        unit = "percentage points"
    else:
        change = half.bound
        toward = -limit if test != "within" else 0.0
        went, amount = base.way(change)
        measured = Text(f"engine.fact.change.{went}", {
            **numbers, "who": half.what,
            "amount": base.interval_text(amount, toward=-toward if went == "fell" else toward)})
        unit = "percent"
    if test == "within":
        return within_fact(part, measured, value, unit, limit, holds, None)
    falls = {"region_grows_comparator_falls": "comparator", "region_falls_comparator_grows": "region"}
    relation = ctx.claim.relation
    direction = None if relation not in falls else "fall" if part == falls[relation] else "growth"
    if half is None:  # the difference, in percentage points: "so (not) faster", not "the 0%"
        return threshold_fact(part, measured, value, unit, test, limit, holds, ctx.claim.text("word"),
                              style="number", direction="faster")
    size = half.levels[0].mid if half.levels is not None else None
    return threshold_fact(part, measured, value, unit, test, limit, holds, ctx.claim.text("word"),
                          direction=direction, size=size)


def _change_words(measured: base.Measured | None) -> Text | str:
    if measured is None:
        return ""
    went, amount = base.way(measured.bound)
    return Text(f"engine.words.{went}", {"amount": base.interval_text(amount)})


def _arith(measured: base.Measured | None, ctx: base.Ctx, who: str) -> Text | str:
    if measured is None:
        return Text("engine.arith.missing", {"who": Text(f"engine.who.{who}",
                                                          {"region": ctx.region_name})})
    if measured.levels is None:
        return Text("engine.arith.published", {"who": measured.what,
                                               "value": base.interval_text(measured.bound)})
    first, last = measured.levels
    return Text("engine.arith.change", {
        "who": measured.what, "first": base.interval_text(first, "number", 0),
        "last": base.interval_text(last, "number", 0), "value": base.interval_text(measured.bound)})


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    if claim.relation in OPPOSITE and claim.claimed is not None:
        from analysis.engine.claimed import claimed_interval
        claimed_interval(claim.claimed, claim.id)
    for param in ("sector", "base_year", "end_year"):
        if claim.reading.get(param) is None:
            raise _fail(claim.id, f"check.reading.{param}", "missing", PARAMS[param]["doc"])


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    from analysis.engine.kinds.validate import validate_series_data

    validate_series_data(claim, registry, tables)
