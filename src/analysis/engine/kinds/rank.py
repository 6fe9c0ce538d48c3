"""Kind ``rank``: a region's place among the regions of its own level ("de grootste toename van
heel Nederland", "de op acht na hoogste", "de enige provincie die groeide").

Query template: for every region of the claim's region's level (the 12 provinces, the 4
landsdelen or the 40 COROP regions; the nation has no peers; a sector CBS publishes for COROP
regions only is summed, :mod:`.composed`) the ``metric`` of the setting's series: ``change`` (percent change from ``base_year`` to ``end_year``), ``difference`` (jobs gained
from ``base_year`` to ``end_year``) or ``level`` (jobs in ``end_year``); places counted from the
``highest`` or the ``lowest`` (``order``). A suppressed cell makes a value an interval, so a place
is a range: best = 1 + the peers surely ahead (their whole interval beyond the region's), worst =
n - the peers surely behind (the rule of the league page's rank ranges, reimplemented here as a
pure function, :func:`place_range`); a peer the data cannot measure at all may be anywhere.

Relations (``position`` = p):
- ``rank``: the region is at place p ("de grootste" p = 1; "de op acht na hoogste" p = 9): holds
  when the range is exactly p, fails when p lies outside the range, open otherwise;
- ``top``: the region is among the first p ("een van de drie snelste groeiers"): holds when the
  worst place is p or better, fails when the best place is below p;
- ``only_sign``: the region is the only one whose change has the sign ``sign`` (``rise``: above
  0; ``fall``: below 0) and every other region's change does not (at or below 0 for ``rise``, at
  or above 0 for ``fall``): decided only when every value the intervals allow is on one side.

Strength, in the metric's unit (from the values): for ``rank`` the smaller gap to the neighbours
the place needs (negative: the region is elsewhere), for ``top`` the lead over the first region
outside the top p, for ``only_sign`` the smaller of the region's distance from 0 and the nearest
other's.

Sensible perturbations: ``base_year`` (a year of choice shifts places), ``metric`` (``change`` or
``difference``: "de grootste toename" may be either), ``end_year`` and ``vintage``.
"""

from __future__ import annotations

import math
from typing import Any

from analysis.engine.facts import threshold_fact
from analysis.engine.intervals import Bound, above, both
from analysis.engine.kinds import base, composed
from analysis.engine.result import Fact, Interval
from analysis.engine.tables import NoData
from analysis.i18n import Num, Text

_SERIES = {k: v for k, v in base.SERIES_PARAMS.items() if k not in ("source", "nation", "base_year")}
PARAMS: dict[str, dict[str, Any]] = {
    **_SERIES,
    "base_year": {"doc": "first year of the change (metrics 'change' and 'difference')",
                  "default": None, "required": False, "type": "year"},
    "metric": {"doc": "'change' (percent), 'difference' (jobs gained) or 'level' (jobs in end_year)",
               "default": "change", "type": "text", "choices": ("change", "difference", "level")},
    "order": {"doc": "'highest' (place 1 = the highest value) or 'lowest'", "default": "highest",
              "type": "text", "choices": ("highest", "lowest")},
    "position": {"doc": "the place the claim names (1 = first; 'op acht na' = 9)", "default": 1,
                 "type": "integer"},
    "sign": {"doc": "'rise' or 'fall' (relation 'only_sign')", "default": "rise", "type": "text",
             "choices": ("rise", "fall")},
}
RELATIONS = ("rank", "top", "only_sign")
NEEDS_CLAIMED = False
ANY_REGION = True
PEER_LEVELS = ("provincie", "landsdeel", "corop")
_OUTCOME = {True: "holds", False: "fails", None: "open"}


def place_range(values: dict[str, Bound], code: str) -> tuple[int, int]:
    """(best, worst) place of ``code`` among ``values``, highest first: a peer is surely ahead
    when its low end lies above the region's high end, surely behind when its high end lies below
    the region's low end; equal ends may tie either way."""
    own = values[code]
    ahead = sum(1 for other, b in values.items() if other != code and b.lo > own.hi)
    behind = sum(1 for other, b in values.items() if other != code and b.hi < own.lo)
    return 1 + ahead, len(values) - behind


def place_holds(best: int, worst: int, low: int, high: int) -> bool | None:
    """Is the place inside [low, high] for every value the intervals allow (True), for none
    (False), or for some only (None)?"""
    if low <= best and worst <= high:
        return True
    if worst < low or best > high:
        return False
    return None


def sign_holds(own: Bound, highest_other: Bound) -> tuple[bool | None, bool | None]:
    """(the region's value is above 0, every other's is at or below 0), each True / False / None
    (open) over every value the intervals allow; ``highest_other`` bounds the largest of the
    others (oriented so that the claimed sign is 'above 0')."""
    others = True if highest_other.hi <= 0.0 else False if highest_other.lo > 0.0 else None
    return above(own, 0.0), others


def peers(ctx: base.Ctx, table: str) -> list[str]:
    """The regions of the claim's region's level that ``table`` holds."""
    levels = ctx.tables._jobs["levels"]
    level = levels.get(ctx.region)
    if level not in PEER_LEVELS:
        raise NoData(Text("kinds_new.nodata.no_peers", {"region": ctx.region_name}))
    return sorted(r for r, lv in levels.items() if lv == level and ctx.tables.jobs_codes(table, r))


def metric_value(ctx: base.Ctx, setting: dict[str, Any], region: str, strict: bool = False) -> Bound:
    """The setting's metric for one region; where the data cannot give it, the whole real line (or
    [0, inf) for a level), or with ``strict`` the reason (:class:`NoData`)."""
    peer = base.Ctx(ctx.tables, ctx.registry, ctx.claim, region)
    metric, end = str(setting["metric"]), int(setting["end_year"])
    series = {**setting, "source": "cbs", "nation": "corop_sum"}
    try:
        if metric == "change":
            return composed.region_change(peer, series).bound
        last = composed.region_level(peer, series, "region", end).bound
        if metric == "level":
            return last
        return last - composed.region_level(peer, series, "region", int(setting["base_year"])).bound
    except NoData:
        if strict:
            raise
        return Bound(0.0 if metric == "level" else -math.inf, None, math.inf)


def _public(ctx: base.Ctx, setting: dict[str, Any]) -> Any:
    years = [int(setting["end_year"])] + ([int(setting["base_year"])]
                                          if setting["metric"] != "level" else [])
    name = "employee_jobs" if setting["concept"] == "employee_jobs" else \
        ctx.tables.accounts_table(str(setting["concept"]))
    return max(ctx.registry.public_date(name, y) for y in years)


def _value_text(setting: dict[str, Any], bound: Bound) -> Text:
    if setting["metric"] == "change":
        return base.interval_text(bound)
    return base.interval_text(bound, "number", 0)


def _mid(bound: Bound) -> float:
    """The value, or the middle of a finite interval; a region the data cannot measure counts as
    -inf (it decides no strength)."""
    return bound.mid if math.isfinite(bound.lo) and math.isfinite(bound.hi) else -math.inf


def _gap(oriented: dict[str, Bound], region: str, position: int, relation: str) -> float | None:
    """The strength (see the module docstring), from the values (mid-points)."""
    own = oriented[region].mid
    others = sorted((_mid(b) for r, b in oriented.items() if r != region), reverse=True)
    after = others[position - 1] if position <= len(others) else -math.inf  # first outside
    before = others[position - 2] if 2 <= position <= len(others) + 1 else math.inf
    gaps = [own - after] if relation == "top" else [before - own, own - after]
    finite = [g for g in gaps if math.isfinite(g)]
    return min(finite) if finite else None


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    regions = peers(ctx, str(setting["table"]))
    if ctx.region not in regions:
        raise NoData(Text("kinds_new.nodata.no_peers", {"region": ctx.region_name}))
    values = {r: metric_value(ctx, setting, r, strict=r == ctx.region) for r in regions}
    level_words = Text(f"kinds_new.peers.{ctx.tables._jobs['levels'][ctx.region]}", {})
    metric_words = Text(f"kinds_new.metric.{setting['metric']}", {
        "base": Num(setting.get("base_year"), "year"), "end": Num(setting["end_year"], "year")})
    numbers = {"region": ctx.region_name, "subject": base.subject(ctx, {**setting, "source": "cbs"}),
               "metric": metric_words, "peers": level_words, "n": Num(len(values)),
               "order": Text(f"kinds_new.order.{setting['order']}", {}),
               "value": _value_text(setting, values[ctx.region])}
    unit = "percent" if setting["metric"] == "change" else "jobs"
    if ctx.claim.relation == "only_sign":
        return _only_sign(ctx, setting, values, numbers, unit)
    oriented = values if setting["order"] == "highest" else {r: -b for r, b in values.items()}
    best, worst = place_range(oriented, ctx.region)
    position = int(setting["position"])
    low = 1 if ctx.claim.relation == "top" else position
    holds = place_holds(best, worst, low, position)
    place = Text("kinds_new.place.exact" if best == worst else "kinds_new.place.range",
                 {"best": Num(best), "worst": Num(worst)})
    numbers = {**numbers, "place": place}

    def facts() -> list[Fact]:
        judged = Text(f"kinds_new.judged.{ctx.claim.relation}.{_OUTCOME[holds]}",
                      {"position": Num(position)})
        sentence = Text("engine.fact", {"measured": Text("kinds_new.fact.rank", numbers),
                                        "judged": judged})
        return [Fact(part="region", test="within", holds=holds, sentence=sentence,
                     value=Interval(best if best == worst else None, best, worst, "place"),
                     claimed=Interval(position, low, position, "place"), bound=best != worst)]

    return base.Outcome(
        result=values[ctx.region], unit=unit, holds=holds,
        strength=_gap(oriented, ctx.region, position, ctx.claim.relation),
        public=_public(ctx, setting), facts=facts,
        statement=lambda: Text("kinds_new.statement.rank", numbers),
        inputs={"place": [best, worst, len(values)],
                "values": {r: [b.lo, b.value, b.hi] for r, b in values.items()}})


def _only_sign(ctx: base.Ctx, setting: dict[str, Any], values: dict[str, Bound],
               numbers: dict[str, Any], unit: str) -> base.Outcome:
    """The region alone has the sign: its value beyond 0, every other's at or on the other side."""
    sign = str(setting["sign"])
    oriented = values if sign == "rise" else {r: -b for r, b in values.items()}
    own = oriented[ctx.region]
    others = {r: b for r, b in oriented.items() if r != ctx.region}
    nearest = max(others, key=lambda r: (_mid(others[r]), others[r].hi))  # the other closest to sharing the sign
    known = [b.value for b in others.values()]
    highest = Bound(max(b.lo for b in others.values()),
                    None if None in known else max(known), max(b.hi for b in others.values()))
    region_holds, others_hold = sign_holds(own, highest)
    holds = both(region_holds, others_hold)
    direction = "growth" if sign == "rise" else "fall"
    shown = highest if sign == "rise" else -highest

    def facts() -> list[Fact]:
        mine = threshold_fact("region", Text("kinds_new.fact.rank.own", numbers), own, unit,
                              "above", 0.0, region_holds, None, direction=direction)
        measured = Text(f"kinds_new.fact.others.{sign}", {
            **numbers, "name": base.Ctx(ctx.tables, ctx.registry, ctx.claim, nearest).region_name,
            "value": _value_text(setting, shown)})
        judged = Text(f"kinds_new.judged.others.{sign}.{_OUTCOME[others_hold]}",
                      {"region": ctx.region_name})
        other = Fact(part="others", test="at_least", holds=others_hold, threshold=0.0,
                     value=Interval(None if highest.value is None else -highest.value,
                                    -highest.hi, -highest.lo, unit),
                     sentence=Text("engine.fact", {"measured": measured, "judged": judged}),
                     limit=-highest.hi, bound=highest.value is None)
        return [mine, other]

    return base.Outcome(
        result=values[ctx.region], unit=unit, holds=holds,
        strength=min(own.mid, -_mid(highest)) if math.isfinite(_mid(highest)) else None, public=_public(ctx, setting), facts=facts,
        statement=lambda: Text("kinds_new.statement.only_sign", {
            **numbers, "others": Num(sum(1 for b in others.values() if b.lo > 0.0)),
            "open": Num(sum(1 for b in others.values() if b.lo <= 0.0 < b.hi))}),
        inputs={"values": {r: [b.lo, b.value, b.hi] for r, b in values.items()}})


def validate(claim: Any) -> None:
    from analysis.engine.registry_errors import entry_error as _fail

    reading = claim.reading
    if reading.get("metric") != "level" and reading.get("base_year") is None:
        raise _fail(claim.id, "check.reading.base_year", f"metric {reading.get('metric')!r} needs "
                    "the first year of the change", "a year, e.g. base_year = 2010")
    if claim.relation == "only_sign" and reading.get("metric") == "level":
        raise _fail(claim.id, "check.reading.metric", "relation 'only_sign' needs a change "
                    "(a level has no sign)", ["change", "difference"])
    if int(reading.get("position", 1)) < 1:
        raise _fail(claim.id, "check.reading.position", "a place counts from 1",
                    "1 for 'de grootste', 9 for 'de op acht na hoogste'")


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    from analysis.engine.kinds.level import validate_years
    from analysis.engine.kinds.validate import validate_series_data
    from analysis.engine.registry_errors import entry_error as _fail

    validate_series_data(claim, registry, tables)  # base_year, end_year against the own table
    if tables._jobs["levels"].get(claim.region) not in PEER_LEVELS:
        raise _fail(claim.id, "region", f"a rank needs regions of the same level; {claim.region!r} "
                    "has none", "a province PVxx, a landsdeel LDxx or a COROP region CRxx")
    validate_years(claim, tables, "end_year")
