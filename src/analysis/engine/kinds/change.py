"""Kind ``change``: one series between two years, its direction and size.

Query template: g = 100 * (level(end_year) / level(base_year) - 1) for the region (``who =
"region"``) or the nation. Relations: ``fall`` (g <= -threshold), ``rise`` (g >= threshold),
``value`` (g inside the claimed interval). Strength: the margin in percentage points.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import nearest_end, threshold_fact, within_fact
from analysis.engine.intervals import at_least, margin_inside, within
from analysis.engine.kinds import base
from analysis.i18n import Num, Text

PARAMS: dict[str, dict[str, Any]] = {
    **base.SERIES_PARAMS,
    **base.CLAIMED_PARAMS,
    "who": {"doc": "'region', 'nation' or 'nation_minus_region'", "default": "region"},
    "threshold": {"doc": "percent the change must reach (fall / rise)", "default": 0.0},
}
RELATIONS = ("fall", "rise", "value")
NEEDS_CLAIMED = False


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    from analysis.engine.claimed import claimed_interval

    measured = base.change(ctx, setting, str(setting["who"]))
    threshold = float(setting["threshold"])
    claimed = None
    if ctx.claim.relation == "fall":
        holds = at_least(-measured.bound, threshold)
        strength = nearest_end(-measured.bound, threshold) - threshold
    elif ctx.claim.relation == "rise":
        holds = at_least(measured.bound, threshold)
        strength = nearest_end(measured.bound, threshold) - threshold
    else:
        claimed = claimed_interval(ctx.claim.claimed, ctx.claim.id, str(setting["precision"]))
        holds, strength = within(measured.bound, claimed), margin_inside(measured.bound, claimed)
    effective = base.effective_period(setting, measured)
    period = effective or {"base_year": setting["base_year"], "end_year": setting["end_year"]}
    went, amount = base.way(measured.bound)
    statement = lambda: Text("engine.statement.change", {  # built only if shown
        "base": Num(period["base_year"], "year"), "end": Num(period["end_year"], "year"),
        "subject": base.subject(ctx, setting),
        "who": measured.what,
        "change": Text(f"engine.words.{went}", {"amount": base.interval_text(amount)})})
    def facts() -> list:
        numbers = {"base": Num(period["base_year"], "year"), "end": Num(period["end_year"], "year"),
                   "subject": base.subject(ctx, setting), "who": measured.what}
        if ctx.claim.relation == "value":
            words = Text(f"engine.fact.change.{went}", {**numbers, "amount": base.interval_text(amount)})
            return [within_fact("region", words, measured.bound, "percent", claimed, holds, None)]
        value = -measured.bound if ctx.claim.relation == "fall" else measured.bound
        words = Text(f"engine.fact.change.{went}", {
            **numbers, "amount": base.interval_text(amount, toward=threshold)})
        return [threshold_fact("region", words, value, "percent", "at_least", threshold, holds,
                               ctx.claim.text("word"))]

    return base.Outcome(result=measured.bound, unit="percent", holds=holds, strength=strength,
                        facts=facts,
                        public=measured.public, statement=statement, parts={"region": measured},
                        effective=effective,
                        inputs={"change": [measured.bound.lo, measured.bound.value, measured.bound.hi]})


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    if claim.relation == "value" and not claim.claimed:
        raise _fail(claim.id, "check.claimed", "relation 'value' needs the claimed number",
                    "{low, high} or {value, decimals}")


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    from analysis.engine.kinds.validate import validate_series_data

    validate_series_data(claim, registry, tables)
