"""Kind ``enrolment_level``: a number of students on 1 October of one year ("de UT telde in 2016
ruim 10.000 studenten"), the DUO counterpart of :mod:`.level`.

Query template: E = the enrolments at the pooled ``institutions`` (DUO BRIN codes) in ``sectors``
(CROHO sectors; left out: every sector) on 1 October of ``year``, from one DUO ``edition`` per
institution (``newest`` / ``oldest`` covering the year, or an edition id), optionally only at the
locations of a ``[meta.locations]`` list. DUO masks counts below 5: each masked cell adds 1 to 4,
so E is an interval. Relations as :mod:`.level`: ``value`` (E inside the claimed interval, the
hedge written into it: "ruim 10.000" = ``{ low = 10000, high = 11000 }``) and ``at_least`` (E >=
``threshold``). Named institutions belong to the claim's own region: checked there only.

Sensible perturbations: ``year`` (the academic year the text means: the count of 1 October of the
year of writing or of the year before), ``edition`` (first or latest DUO publication) and
``sectors`` (which CROHO sectors a word such as "technisch" covers).
"""

from __future__ import annotations

from typing import Any

from analysis.engine.kinds import base
from analysis.engine.kinds.level import judge
from analysis.i18n import Num, Text

PARAMS: dict[str, dict[str, Any]] = {
    **base.CLAIMED_PARAMS,
    "institutions": {"doc": "list of DUO BRIN codes, pooled", "default": None, "type": "texts"},
    "sectors": {"doc": "list of CROHO sectors counted (left out: all)", "default": None,
                "required": False, "type": "texts"},
    "year": {"doc": "year of the 1 October count", "default": None, "type": "year"},
    "edition": {"doc": "'newest', 'oldest' or a DUO edition id", "default": "newest", "type": "text"},
    "locations": {"doc": "'all' or a list name of [meta.locations]", "default": "all", "type": "text"},
    "threshold": {"doc": "the number the claim says is reached (relation 'at_least')",
                  "default": None, "required": False, "type": "number"},
}
RELATIONS = ("value", "at_least")
NEEDS_CLAIMED = False
ANY_REGION = False


def enrolments(ctx: base.Ctx, setting: dict[str, Any], year: int) -> tuple[Any, list[str]]:
    """(E in ``year`` as an interval, the DUO editions used) for the setting's institutions,
    sectors, edition and locations; shared with :mod:`.enrolment_change`."""
    locations = setting["locations"]
    municipalities = None if locations == "all" else ctx.registry.meta["locations"][locations]
    sectors = list(setting["sectors"] or [])
    part, rest, editions = ctx.tables.enrolment(list(setting["institutions"]), sectors, year,
                                                str(setting["edition"]), municipalities)
    return (part if sectors else part + rest), editions


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    year = int(setting["year"])
    sectors = list(setting["sectors"] or [])
    count, editions = enrolments(ctx, setting, year)
    holds, strength, fact = judge(ctx, setting, count, "students", "number")
    toward = float(setting["threshold"]) if ctx.claim.relation == "at_least" else count.mid
    names = ctx.tables.institution_names()
    numbers = {"year": Num(year, "year"), "count": base.interval_text(count, "number", 0, toward=toward),
               "institutions": " + ".join(names.get(code, code) for code in setting["institutions"]),
               "sectors": Text("kinds_new.enrolment.sectors" if sectors else "kinds_new.enrolment.all",
                               {"sectors": ", ".join(sectors)})}
    return base.Outcome(
        result=count, unit="students", holds=holds, strength=strength,
        public=ctx.registry.public_date("enrolment", year),
        statement=lambda: Text("kinds_new.statement.enrolment_level", numbers),
        facts=lambda: [fact(Text("kinds_new.fact.enrolment_level", numbers))],
        inputs={"count": [count.lo, count.value, count.hi], "editions": editions})


def validate(claim: Any) -> None:
    from analysis.engine.kinds.level import validate as validate_level
    from analysis.engine.registry_errors import entry_error as _fail

    validate_level(claim)  # a value needs its claimed number, at_least its threshold
    if not claim.reading.get("institutions"):
        raise _fail(claim.id, "check.reading.institutions", "missing", PARAMS["institutions"]["doc"])


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    """Institutions, sectors, years, editions and locations the DUO data hold (as :mod:`.share`)."""
    from analysis.engine.kinds.share import validate_data as validate_enrolment

    validate_enrolment(claim, registry, tables)
