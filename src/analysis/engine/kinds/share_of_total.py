"""Kind ``share_of_total``: a part's share of all jobs in one year ("de industrie is goed voor 20%
van de banen"; "kleine bedrijven hebben een kwart van de banen").

Query template, sector part: share = 100 * level(sector) / level(total) in ``year`` for ``who``
(the region, the nation or the nation without the region), at any region level the data hold
(where the part is summed from COROP regions, :mod:`.composed`, so is the whole);
``total`` is the SBI code of the whole (``A-U``, all activities, by default). Query template, size
class part (``size_classes`` given): share = 100 * sum of the jobs of ``sector`` in those firm-size
classes / jobs of ``sector`` in all classes, from ``jobs_by_firm_size.csv``: the data hold firm
sizes for the nation only (81497NED 2008-2014 by employees: 1-10, 10-50, 50-100, 100-500, 500+;
83583NED 2010-2023 by persons employed: 0-10 ... 500+), so a size-class claim is the nation's.

Part and whole are separately rounded (or bounded) cells, so the share's range is [part_lo /
whole_hi, part_hi / whole_lo] (at most 100%): exact for two published cells, a safe outer bound
where a sum of bounded cells stands in for the nation. Relations as :mod:`.level`: ``value``
(inside the claimed interval: "20%" = [19.5, 20.5), or "a fifth" as {low, high}) and ``at_least``
(at or above ``threshold`` percent). Strength: the margin in percentage points.

Sensible perturbations: ``year`` (the year of writing or the last published one), ``total``
(``A-U`` or the table's narrower total when the claim may mean "the business economy"),
``vintage`` and the precision of a round claimed number.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.intervals import Bound, rounded, total
from analysis.engine.kinds import base, composed
from analysis.engine.kinds.level import judge, validate_years
from analysis.engine.tables import NATION, NoData
from analysis.i18n import Num, Text

_SERIES = {k: v for k, v in base.SERIES_PARAMS.items() if k not in ("source", "base_year", "end_year")}
PARAMS: dict[str, dict[str, Any]] = {
    **_SERIES,
    **base.CLAIMED_PARAMS,
    "year": {"doc": "year of the share", "default": None, "type": "year"},
    "who": {"doc": "'region', 'nation' or 'nation_minus_region'", "default": "region",
            "type": "text", "choices": ("region", "nation", "nation_minus_region")},
    "total": {"doc": "SBI code of the whole (default 'A-U', all activities)", "default": "A-U",
              "type": "text"},
    "size_classes": {"doc": "firm-size classes of jobs_by_firm_size.csv counted as the part "
                     "(national only); leave out for a sector's share", "default": None,
                     "required": False, "type": "texts"},
    "threshold": {"doc": "percent the share must reach (relation 'at_least')", "default": None,
                  "required": False, "type": "number"},
}
RELATIONS = ("value", "at_least")
NEEDS_CLAIMED = False
ANY_REGION = True
FIRM_SIZE_TOTAL = "total"


def share_bound(part: Bound, whole: Bound) -> Bound:
    """100 * part / whole over every value the two intervals allow (capped at 100%)."""
    if whole.lo <= 0:
        raise NoData(Text("kinds_new.nodata.empty_total", {}))
    value = None if part.value is None or whole.value is None else 100.0 * part.value / whole.value
    return Bound(100.0 * part.lo / whole.hi, value, min(100.0, 100.0 * part.hi / whole.lo))


def _size_parts(ctx: base.Ctx, setting: dict[str, Any], year: int) -> tuple[Bound, Bound, Any, Any]:
    """(jobs in the size classes, jobs in all classes, public date, who) of the nation."""
    if ctx.region != NATION and setting["who"] != "nation":
        raise NoData(Text("kinds_new.nodata.size_national", {}))
    frame = _firm_sizes(ctx.tables)
    table, sector = str(setting["table"]), str(setting["sector"])
    rows = frame[(frame["source_table"] == table) & (frame["sbi_code"] == sector)
                 & (frame["year"] == str(year))]
    if rows.empty:
        raise NoData(Text("kinds_new.nodata.size_cells", {"table": table, "sector": sector,
                                                          "year": Num(year, "year")}))
    # 81497NED holds 2011-2013 twice (before and after CBS's revision of the series): 'oldest'
    # reads the first, any other vintage the second
    statuses = set(rows["period_status"])
    if {"first-of-two", "second-of-two"} <= statuses:
        keep = "first-of-two" if setting["vintage"] == "oldest" else "second-of-two"
        rows = rows[rows["period_status"] == keep]

    def cells(classes: list[str]) -> Bound:
        found = []
        for size in classes:
            row = rows[rows["size_class"] == size]
            if row.empty or row["employee_jobs"].iloc[0] in ("", "nan"):
                raise NoData(Text("kinds_new.nodata.size_cells", {
                    "table": table, "sector": f"{sector} ({size})", "year": Num(year, "year")}))
            vintage = str(row["vintage"].iloc[0])
            found.append(rounded(float(row["employee_jobs"].iloc[0]),
                                 ctx.tables.rounding_unit(table, vintage, year)).clip_low(0.0))
        return total(found)

    public = ctx.registry.public_date("employee_jobs", year)
    return cells(list(setting["size_classes"])), cells([FIRM_SIZE_TOTAL]), public, \
        Text("engine.who.nation", {})


def _firm_sizes(tables: Any) -> Any:
    key = ("firm_sizes",)
    if key not in tables._memo:
        tables._memo[key] = tables._read("jobs_by_firm_size")
    return tables._memo[key]


def evaluate(ctx: base.Ctx, setting: dict[str, Any]) -> base.Outcome:
    year, who = int(setting["year"]), str(setting["who"])
    sizes = setting.get("size_classes")
    if sizes:
        part, whole, public, what = _size_parts(ctx, setting, year)
        whole_words: Any = base.sector_label(ctx, str(setting["sector"]))
        part_words: Any = Text("kinds_new.share.size_classes", {
            "classes": ", ".join(str(s) for s in sizes), "subject": whole_words})
    else:
        measured = composed.region_level(ctx, setting, who, year)
        summed = measured.what.key == composed.SUMMED  # the whole from the same COROP cells
        whole_measured = composed.region_level(ctx, {**setting, "sector": setting["total"]}, who,
                                               year, from_corop=summed)
        part, whole = measured.bound, whole_measured.bound
        public, what = max(measured.public, whole_measured.public), measured.what
        part_words = base.sector_label(ctx, str(setting["sector"]))
        whole_words = base.sector_label(ctx, str(setting["total"]))
    share = share_bound(part, whole)
    holds, strength, fact = judge(ctx, setting, share, "percent", "percent")
    toward = float(setting["threshold"]) if ctx.claim.relation == "at_least" else share.mid
    numbers = {"year": Num(year, "year"), "who": what, "part_name": part_words,
               "whole_name": whole_words,
               "part": base.interval_text(part, "number", 0),
               "whole": base.interval_text(whole, "number", 0),
               "share": base.interval_text(share, toward=toward)}
    return base.Outcome(
        result=share, unit="percent", holds=holds, strength=strength, public=public,
        statement=lambda: Text("kinds_new.statement.share_of_total", numbers),
        arithmetic=lambda: Text("kinds_new.arith.share_of_total", numbers),
        facts=lambda: [fact(Text("kinds_new.fact.share_of_total", numbers))],
        inputs={"part": [part.lo, part.value, part.hi], "whole": [whole.lo, whole.value, whole.hi]})


def validate(claim: Any) -> None:
    from analysis.engine.kinds.level import validate as validate_level

    validate_level(claim)


def validate_data(claim: Any, registry: Any, tables: Any) -> None:
    """As :mod:`.level`, plus the whole's SBI code and the size classes the data hold."""
    from analysis.engine.kinds.validate import validate_series_data
    from analysis.engine.registry_errors import entry_error as _fail
    from analysis.engine.schema_params import axis_values

    validate_series_data(claim, registry, tables)
    validate_years(claim, tables, "year")
    codes = set().union(*(tables.jobs_codes(t, r) for t in tables.jobs_tables()
                          for r in (NATION, claim.region)))
    for value in axis_values(claim, "total"):
        if value not in codes:
            raise _fail(claim.id, "check.reading.total / perturb", f"unknown SBI code {value!r}",
                        sorted(codes), given=value)
    if axis_values(claim, "size_classes"):
        frame = _firm_sizes(tables)
        known = set(frame["size_class"]) - {FIRM_SIZE_TOTAL}
        for value in axis_values(claim, "size_classes"):
            bad = [v for v in value if v not in known]
            if bad:
                raise _fail(claim.id, "check.reading.size_classes", f"unknown size class(es) {bad}",
                            sorted(known))
