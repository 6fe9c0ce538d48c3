"""Kind ``share``: a pooled part over a whole on one date (e.g. technical students at two
institutions on 1 October of ``year``).

Query template: share = part / (part + rest) * 100 over the pooled ``institutions``, where part
counts the students in ``sectors`` and rest all others, from one DUO ``edition`` per institution
(``newest`` / ``oldest`` covering the year, or an edition id). Masked cells count 1-4 students
each; part and rest are bounded apart, so the share's range is exact: [part_lo / (part_lo +
rest_hi), part_hi / (part_hi + rest_lo)]. ``locations``: ``"all"`` or a municipality list of
``[meta.locations]`` (a subset of the population: context, never the reading). Holds: the share
lies in the claimed interval.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.facts import within_fact
from analysis.engine.intervals import Bound, margin_inside, within
from analysis.engine.kinds import base
from analysis.i18n import Num, Text

PARAMS: dict[str, dict[str, Any]] = {
    **base.CLAIMED_PARAMS,
    "institutions": {"doc": "list of DUO BRIN codes, pooled", "default": None},
    "sectors": {"doc": "list of CROHO sectors counted as the part", "default": None},
    "year": {"doc": "year of the 1 October count", "default": None},
    "edition": {"doc": "'newest', 'oldest' or a DUO edition id", "default": "newest"},
    "locations": {"doc": "'all' or a list name of [meta.locations]", "default": "all"},
}
RELATIONS: tuple[str, ...] = ()
NEEDS_CLAIMED = True


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    from analysis.engine.claimed import claimed_interval

    year = int(setting["year"])
    locations = setting["locations"]
    municipalities = None if locations == "all" else ctx.registry.meta["locations"][locations]
    part, rest, editions = ctx.tables.enrolment(list(setting["institutions"]),
                                                list(setting["sectors"]), year,
                                                str(setting["edition"]), municipalities)
    whole = part + rest
    value = None if part.value is None or whole.value is None or not whole.value else \
        100.0 * part.value / whole.value
    share = Bound(100.0 * part.lo / (part.lo + rest.hi), value, 100.0 * part.hi / (part.hi + rest.lo))
    claimed = claimed_interval(ctx.claim.claimed, ctx.claim.id, str(setting["precision"]))
    numbers = {"part": base.interval_text(part, "number", 0),
               "whole": base.interval_text(whole, "number", 0),
               "share": base.interval_text(share), "year": Num(year, "year"),
               "subject": _subject(ctx, setting)}
    holds = within(share, claimed)

    def facts() -> list:
        measured = Text("engine.fact.share", {**numbers, "part": Text("engine.share.part", {
            "sectors": ", ".join(str(x) for x in setting["sectors"])})})
        return [within_fact("whole", measured, share, "percent", claimed, holds, None)]

    return base.Outcome(
        result=share, unit="percent", holds=holds, facts=facts,
        strength=margin_inside(share, claimed),
        public=ctx.registry.public_date("enrolment", year),
        statement=lambda: Text("engine.statement.share", numbers),
        arithmetic=lambda: Text("engine.arith.share", numbers),
        inputs={"part": [part.lo, part.value, part.hi], "whole": [whole.lo, whole.value, whole.hi],
                "editions": editions})


def _subject(ctx: base.Ctx, setting: dict[str, Any]) -> Any:
    """The claim's own words for its population; for another set of institutions their names."""
    if list(setting["institutions"]) == list(ctx.claim.reading["institutions"]) \
            and setting["locations"] == ctx.claim.reading["locations"] and ctx.claim.text("subject"):
        return ctx.claim.text("subject")
    frame = ctx.tables._enrolment
    names = [str(frame.loc[frame["institution_code"] == code, "institution_name"].iloc[0])
             if (frame["institution_code"] == code).any() else code
             for code in setting["institutions"]]
    where = "" if setting["locations"] == "all" else f" ({setting['locations']})"
    return " + ".join(names) + where


def validate(claim: Any) -> None:
    from analysis.engine.claimed import claimed_interval
    from analysis.engine.registry_errors import entry_error as _fail

    claimed_interval(claim.claimed, claim.id)
    for param in ("institutions", "sectors", "year"):
        if claim.reading.get(param) in (None, [], ""):
            raise _fail(claim.id, f"check.reading.{param}", "missing", PARAMS[param]["doc"])


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail
    from analysis.engine.schema_params import axis_values

    frame = tables._enrolment
    known = set(frame["institution_code"])
    for value in axis_values(claim, "institutions"):
        bad = [v for v in value if v not in known]
        if bad:
            raise _fail(claim.id, "check.reading.institutions", f"unknown institution(s) {bad}",
                        sorted(known))
    sectors = set(frame["croho_sector"])
    for value in axis_values(claim, "sectors"):
        bad = [v for v in value if v not in sectors]
        if bad:
            raise _fail(claim.id, "check.reading.sectors", f"unknown CROHO sector(s) {bad}",
                        sorted(sectors))
    years = {int(y) for y in frame["year"]}
    for param in ("year", "base_year", "end_year"):  # a level's year, a change's two years
        for value in axis_values(claim, param):
            if value != "latest" and int(value) not in years:
                raise _fail(claim.id, f"check.reading.{param}", f"year {value!r} not in the DUO data",
                            f"{min(years)}-{max(years)}")
    editions = {"newest", "oldest", *set(frame["edition"])}
    for value in axis_values(claim, "edition"):
        if value not in editions:
            raise _fail(claim.id, "check.reading.edition", f"unknown edition {value!r}", sorted(editions))
    places = {"all", *registry.meta.get("locations", {})}
    for value in axis_values(claim, "locations"):
        if value not in places:
            raise _fail(claim.id, "check.reading.locations", f"unknown location list {value!r}",
                        sorted(places))
