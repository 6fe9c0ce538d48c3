"""Kind ``level_change``: a change in a number of jobs or persons between two years ("bijna 153
duizend banen minder", "46.000 banen erbij sinds 2013").

Query template: D = level(end_year) - level(base_year) of the setting's series (``sector``,
``concept``: employee jobs at every region level, a labour-accounts concept such as persons
employed for the nation; ``table``, ``vintage``) for ``who`` (the region, the nation or the
nation without the region), from the processed CBS tables at any region level the data hold (a
sector of a larger region is the sum of its COROP regions, :mod:`.composed`). Relations and the
interval arithmetic: :mod:`.count_change`. Strength: the margin in jobs (or persons).

Sensible perturbations: ``vintage`` (``oldest``: the figures as first published, which a claim
of its day quoted; ``newest``: as revised since), ``base_year`` / ``end_year`` where the text
leaves the period open ("sinds de crisis"), ``table`` (an older CBS table for early years) and
the precision of a round claimed number (added by the registry).
"""

from __future__ import annotations

from typing import Any

from analysis.engine.kinds import base, composed, count_change
from analysis.engine.kinds.level import unit_of, validate_years
from analysis.i18n import Num, Text

_SERIES = {k: v for k, v in base.SERIES_PARAMS.items()
           if k not in ("source", "base_year", "end_year")}  # CBS data only; years below
PARAMS: dict[str, dict[str, Any]] = {
    **_SERIES,
    **count_change.PARAMS,
    "who": {"doc": "'region', 'nation' or 'nation_minus_region'", "default": "region",
            "type": "text", "choices": ("region", "nation", "nation_minus_region")},
}
RELATIONS = count_change.RELATIONS
NEEDS_CLAIMED = False
ANY_REGION = True


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    first_year, last_year = count_change.period(setting)
    who = str(setting["who"])
    first = composed.region_level(ctx, setting, who, first_year)
    last = composed.region_level(ctx, setting, who, last_year)
    delta = last.bound - first.bound
    unit = unit_of(setting)
    holds, strength, fact = count_change.judge(ctx, setting, delta, unit, first.bound.mid)
    change = count_change.amount(delta, count_change.toward(ctx, setting, delta))
    numbers = {"base": Num(first_year, "year"), "end": Num(last_year, "year"), "who": last.what,
               "subject": base.subject(ctx, {**setting, "source": "cbs"}),
               "concept": base.concept_words(str(setting["concept"])), "amount": change["amount"]}
    return base.Outcome(
        result=delta, unit=unit, holds=holds, strength=strength,
        public=max(first.public, last.public),
        parts={"region": base.Measured(delta, max(first.public, last.public), last.what,
                                       period=(first_year, last_year), concept=last.concept,
                                       levels=(first.bound, last.bound))},
        statement=lambda: Text(f"kinds_count.statement.level_change.{change['way']}", numbers),
        facts=lambda: [fact(Text(f"kinds_count.fact.level_change.{change['way']}", numbers))],
        inputs={"base_level": [first.bound.lo, first.bound.value, first.bound.hi],
                "end_level": [last.bound.lo, last.bound.value, last.bound.hi],
                "change": [delta.lo, delta.value, delta.hi]})


def validate(claim: Any) -> None:
    count_change.validate(claim)


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    """Datasets, sectors and vintages as for every series kind; both years against the claim's
    own table(s)."""
    from analysis.engine.kinds.validate import validate_series_data

    validate_series_data(claim, registry, tables)
    validate_years(claim, tables, "base_year", "end_year")
