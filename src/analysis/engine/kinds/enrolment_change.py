"""Kind ``enrolment_change``: a change in a number of students between two years ("de UT telt
1.500 studenten meer dan in 2010"), the DUO counterpart of :mod:`.level_change`.

Query template: D = E(end_year) - E(base_year), E the enrolments on 1 October at the pooled
``institutions`` (DUO BRIN codes) in ``sectors`` (CROHO; left out: all), each year from one DUO
``edition`` (``newest`` / ``oldest`` covering that year, or an edition id), optionally only at the
locations of a ``[meta.locations]`` list (as :mod:`.enrolment_level`). A masked cell (a count below
5) adds 1 to 4, so each E and D are intervals. Relations: :mod:`.count_change`. Named institutions
belong to the claim's own region: checked there only.

Sensible perturbations: ``edition`` (first or latest DUO publication), ``sectors`` (what a word
such as "technisch" covers) and ``base_year`` where the text leaves the start open.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.kinds import base, count_change
from analysis.engine.kinds.enrolment_level import PARAMS as LEVEL_PARAMS
from analysis.engine.kinds.enrolment_level import enrolments
from analysis.i18n import Num, Text

PARAMS: dict[str, dict[str, Any]] = {
    **{k: v for k, v in LEVEL_PARAMS.items() if k not in ("year", "threshold")},
    **count_change.PARAMS,
}
RELATIONS = count_change.RELATIONS
NEEDS_CLAIMED = False
ANY_REGION = False


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    first_year, last_year = count_change.period(setting)
    first, first_editions = enrolments(ctx, setting, first_year)
    last, last_editions = enrolments(ctx, setting, last_year)
    delta = last - first
    holds, strength, fact = count_change.judge(ctx, setting, delta, "students", first.mid)
    change = count_change.amount(delta, count_change.toward(ctx, setting, delta))
    names = ctx.tables.institution_names()
    sectors = list(setting["sectors"] or [])
    numbers = {"base": Num(first_year, "year"), "end": Num(last_year, "year"),
               "amount": change["amount"],
               "institutions": " + ".join(names.get(code, code) for code in setting["institutions"]),
               "sectors": Text("kinds_new.enrolment.sectors" if sectors else "kinds_new.enrolment.all",
                               {"sectors": ", ".join(sectors)})}
    public = ctx.registry.public_date("enrolment", last_year)
    return base.Outcome(
        result=delta, unit="students", holds=holds, strength=strength, public=public,
        statement=lambda: Text(f"kinds_count.statement.enrolment_change.{change['way']}", numbers),
        facts=lambda: [fact(Text(f"kinds_count.fact.enrolment_change.{change['way']}", numbers))],
        inputs={"base_count": [first.lo, first.value, first.hi],
                "end_count": [last.lo, last.value, last.hi], "change": [delta.lo, delta.value, delta.hi],
                "editions": sorted(set(first_editions) | set(last_editions))})


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    count_change.validate(claim)
    if not claim.reading.get("institutions"):
        raise _fail(claim.id, "check.reading.institutions", "missing", PARAMS["institutions"]["doc"])


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    """Institutions, sectors, years, editions and locations the DUO data hold (as :mod:`.share`)."""
    from analysis.engine.kinds.share import validate_data as validate_enrolment

    validate_enrolment(claim, registry, tables)
