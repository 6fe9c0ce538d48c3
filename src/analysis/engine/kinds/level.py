"""Kind ``level``: the size of one series in one year ("ruim 303.800 banen in 2017").

Query template: L = level(year) of the setting's series (``sector``, ``concept``, ``table``,
``vintage``) for ``who`` (the region, the nation or the nation without the region), from the
processed CBS tables at any region level the data hold (NL01, provinces, landsdelen, COROP
regions; a sector of a larger region that CBS publishes only for COROP regions is their sum,
:mod:`.composed`). A suppressed cell gives an interval (:meth:`analysis.engine.tables.Tables.jobs_cell`).

Relations: ``value`` (L lies inside the claimed interval; a hedge is written into the interval:
"ruim 303.800" = ``{ low = 303800, high = 303900 }``, "bijna 1.800" = ``{ low = 1700, high =
1800 }``, see :mod:`analysis.engine.claimed`) and ``at_least`` (L >= ``threshold``: "meer dan
300.000 banen"; exactly on the threshold holds). Strength: the margin in the series' unit.

Sensible perturbations: ``year`` (the claim's year and the one before, when the text leaves open
whether the figure is of the year of writing or the last published one), ``vintage``
(``newest`` / ``oldest``: the figure as first published), ``table`` (an older CBS table for early
years) and the precision of a round claimed number (added by the registry).
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import nearest_end, threshold_fact, within_fact
from analysis.engine.intervals import Bound, at_least, margin_inside, within
from analysis.engine.kinds import base, composed
from analysis.i18n import Num, Text

_SERIES = {k: v for k, v in base.SERIES_PARAMS.items()
           if k not in ("source", "base_year", "end_year")}  # a level has one year, CBS data only
PARAMS: dict[str, dict[str, Any]] = {
    **_SERIES,
    **base.CLAIMED_PARAMS,
    "year": {"doc": "year of the level", "default": None, "type": "year"},
    "who": {"doc": "'region', 'nation' or 'nation_minus_region'", "default": "region",
            "type": "text", "choices": ("region", "nation", "nation_minus_region")},
    "threshold": {"doc": "the level the claim says is reached (relation 'at_least')",
                  "default": None, "required": False, "type": "number"},
}
RELATIONS = ("value", "at_least")
NEEDS_CLAIMED = False
ANY_REGION = True


def judge(ctx: base.Ctx, setting: dict[str, Any], bound: Bound, unit: str, style: str) -> tuple:
    """(holds, strength, fact builder) of a measured quantity against the claim: inside the
    claimed interval (``value``) or at or above ``threshold`` (``at_least``). Shared with
    :mod:`.share_of_total`. The fact builder takes the measured words (a Text)."""
    from analysis.engine.claimed import claimed_interval

    if ctx.claim.relation == "at_least":
        threshold = float(setting["threshold"])
        holds = at_least(bound, threshold)
        strength = nearest_end(bound, threshold) - threshold

        def fact(words: Text) -> Any:
            return threshold_fact("region", words, bound, unit, "at_least", threshold, holds,
                                  ctx.claim.text("word"), style=style)
        return holds, strength, fact
    claimed = claimed_interval(ctx.claim.claimed, ctx.claim.id, str(setting["precision"]))
    holds = within(bound, claimed)

    def fact(words: Text) -> Any:
        return within_fact("region", words, bound, unit, claimed, holds, None, style=style)
    return holds, margin_inside(bound, claimed), fact


def unit_of(setting: dict[str, Any]) -> str:
    concept = str(setting["concept"])
    return "jobs" if concept in ("employee_jobs", "jobs") else concept


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    year, who = int(setting["year"]), str(setting["who"])
    measured = composed.region_level(ctx, setting, who, year)
    bound = measured.bound
    holds, strength, fact = judge(ctx, setting, bound, unit_of(setting), "number")
    toward = float(setting["threshold"]) if ctx.claim.relation == "at_least" else bound.mid
    numbers = {"year": Num(year, "year"), "who": measured.what,
               "subject": base.subject(ctx, {**setting, "source": "cbs"}),
               "concept": base.concept_words(str(setting["concept"])),
               "level": base.interval_text(bound, "number", 0, toward=toward)}
    return base.Outcome(
        result=bound, unit=unit_of(setting), holds=holds, strength=strength,
        public=measured.public, parts={"region": measured},
        statement=lambda: Text("kinds_new.statement.level", numbers),
        facts=lambda: [fact(Text("kinds_new.fact.level", numbers))],
        inputs={"level": [bound.lo, bound.value, bound.hi]})


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    if claim.relation == "value" and not claim.claimed:
        raise _fail(claim.id, "check.claimed", "relation 'value' needs the claimed number",
                    "{low, high} (a hedge such as 'ruim') or {value, decimals}")
    if claim.relation == "at_least" and claim.reading.get("threshold") is None:
        raise _fail(claim.id, "check.reading.threshold", "relation 'at_least' needs the threshold "
                    "the level must reach", "a number, e.g. threshold = 300000")


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    """Datasets, sectors and vintages as for every series kind; ``year`` against the claim's own
    table(s)."""
    from analysis.engine.kinds.validate import validate_series_data

    validate_series_data(claim, registry, tables)
    validate_years(claim, tables, "year")


def validate_years(claim: Any, tables: Any, *params: str) -> None:
    """Every value of the year parameters is a year of the claim's own table(s)."""
    from analysis.engine.registry_errors import entry_error as _fail
    from analysis.engine.schema_params import axis_values

    own = sorted(set(axis_values(claim, "table")))
    years = set().union(*(set(tables.jobs_years(t)) for t in own))
    for param in params:
        for value in axis_values(claim, param):
            if value != "latest" and int(value) not in years:
                raise _fail(claim.id, f"check.reading.{param} / perturb", f"year {value!r} is not in "
                            f"the claim's table {' / '.join(own)}: use a year it holds",
                            f"{min(years)}-{max(years)}")
