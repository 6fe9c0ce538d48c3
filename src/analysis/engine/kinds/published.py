"""Kind ``published``: a claim that restates a third party's figure (with its own period and
concept). Query template: the figure of the setting's ``source`` (``[claim.check.sources]``, role
``region`` or ``nation``) as an interval from its printed digits; holds: it lies in the claimed
interval. Real-time: the source's publication date.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import within_fact
from analysis.engine.intervals import margin_inside, within
from analysis.engine.kinds import base
from analysis.i18n import Text

PARAMS: dict[str, dict[str, Any]] = {
    **base.CLAIMED_PARAMS,
    "source": {"doc": "a published source of [claim.check.sources]", "default": None},
    "who": {"doc": "'region' or 'nation'", "default": "region"},
}
RELATIONS: tuple[str, ...] = ()
NEEDS_CLAIMED = True


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    from analysis.engine.claimed import claimed_interval

    measured = base.published_change(ctx, setting, str(setting["who"]))
    claimed = claimed_interval(ctx.claim.claimed, ctx.claim.id, str(setting["precision"]))
    numbers = {"who": measured.what, "value": base.interval_text(measured.bound),
               "source": ctx.claim.sources[setting["source"]].get("label_nl", setting["source"])}
    holds = within(measured.bound, claimed)

    def facts() -> list:
        return [within_fact("region", Text("engine.fact.published", numbers),
                            measured.bound, "percent", claimed, holds, None)]

    return base.Outcome(
        result=measured.bound, unit="percent", holds=holds, facts=facts,
        strength=margin_inside(measured.bound, claimed), public=measured.public,
        statement=lambda: Text("engine.statement.published", numbers), parts={"region": measured},
        effective=base.effective_period(setting, measured))


def validate(claim: Any) -> None:
    from analysis.engine.claimed import claimed_interval
    from analysis.engine.registry_errors import entry_error as _fail
    from analysis.engine.schema_params import axis_values

    claimed_interval(claim.claimed, claim.id)
    for value in axis_values(claim, "source"):
        if value not in claim.sources:
            raise _fail(claim.id, "check.reading.source", f"unknown source {value!r}",
                        sorted(claim.sources))


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    for name, source in claim.sources.items():
        for role in ("region", "nation"):
            if role in source and source[role] not in tables.figures.index:
                raise _fail(claim.id, f"check.sources.{name}.{role}",
                            f"unknown published figure {source[role]!r}",
                            "ids of data/published_figures.csv")
