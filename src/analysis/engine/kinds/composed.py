"""Levels of a province, a landsdeel or the nation from its COROP regions, where CBS publishes the
larger region's total only.

83582NED (2010 on) publishes provinces, landsdelen and the nation for all activities (A-U) only;
every sector is published for the 40 COROP regions. A sector's level in a larger region is then
the sum of its COROP regions' cells (each an interval: rounding or a bounded suppression), the
sum of their intervals being the larger region's interval. A published cell of the region itself
is always preferred (:func:`analysis.engine.kinds.base.level` first); the sum stands in only
where the region's own row lacks the code (or, with ``from_corop``, always: a share's whole from the
same cells as its part). The nation's sum includes CBS's "not assignable" CR99, a province's does
not (CR99 lies in no province): CBS's published province totals equal the sums of their COROP
regions within rounding (tests/test_kinds_level.py). Used by ``level``, ``share_of_total``, ``rank``.
"""

from __future__ import annotations

from typing import Any

from analysis.engine.intervals import change_pct, total
from analysis.engine.kinds import base
from analysis.engine.tables import NATION, NoData
from analysis.i18n import Num, Text
from analysis.processing.titles import COROP_PROVINCE

# CBS's landsdelen: Noord (Groningen, Fryslân, Drenthe), Oost (Overijssel, Flevoland,
# Gelderland), West (Utrecht, Noord-Holland, Zuid-Holland, Zeeland), Zuid (Noord-Brabant, Limburg).
SUMMED = "kinds_new.who.corop_sum"  # the words of a level summed from COROP regions
LANDSDEEL_PROVINCES = {"LD01": ("PV20", "PV21", "PV22"), "LD02": ("PV23", "PV24", "PV25"),
                       "LD03": ("PV26", "PV27", "PV28", "PV29"), "LD04": ("PV30", "PV31")}


def corop_members(region: str) -> list[str]:
    """The COROP regions a province or landsdeel is made of ([] for any other code)."""
    provinces = LANDSDEEL_PROVINCES.get(region, (region,))
    return sorted(code for code, province in COROP_PROVINCE.items() if province in provinces)


def region_level(ctx: base.Ctx, setting: dict[str, Any], who: str, year: int,
                 from_corop: bool = False) -> base.Measured:
    """:func:`base.level`, or for a region whose own row lacks the code the sum of its COROP
    regions (the nation: every COROP region and CR99). Memoised like :func:`base.change`."""
    # the claim id too: a sector list's codes are its registry's
    key = ("composed_level", ctx.claim.id, ctx.region, who, year, from_corop,
           *[setting.get(k) for k in ("sector", "concept", "table", "nation", "vintage")])
    return base.memoised(ctx, key, lambda: _region_level(ctx, setting, who, year, from_corop))


def _region_level(ctx: base.Ctx, setting: dict[str, Any], who: str, year: int,
                  from_corop: bool) -> base.Measured:
    own = NoData(Text("kinds_new.nodata.no_corop", {"region": ctx.region_name}))
    if not from_corop:
        try:
            return base.level(ctx, setting, who, year)
        except NoData as missing:
            if who != "region" or setting.get("concept", "employee_jobs") != "employee_jobs":
                raise
            own = missing
    tables, table, vintage = ctx.tables, str(setting["table"]), str(setting["vintage"])
    members = corop_members(ctx.region)
    if ctx.region != NATION and not members:
        raise own
    try:
        if ctx.region == NATION:
            codes = base._codes(ctx, setting, tables.jobs_codes(table, "CR01"), f"{table}, COROP")
            bound = tables.corop_sum(table, codes, year, vintage)
        else:
            codes = base._codes(ctx, setting, tables.jobs_codes(table, members[0]), f"{table}, COROP")
            bound = total([tables.region_jobs(table, code, codes, year, vintage) for code in members])
    except NoData:
        raise own from None
    public = ctx.registry.public_date("employee_jobs", year)
    what = Text(SUMMED, {"region": ctx.region_name})
    return base.Measured(bound, public, what, concept="employee_jobs")


def region_change(ctx: base.Ctx, setting: dict[str, Any]) -> base.Measured:
    """Percent change of the region's series from base_year to end_year, with
    :func:`region_level` (COROP sums where the region's own row lacks the code)."""
    first_year, last_year = int(setting["base_year"]), int(setting["end_year"])
    if last_year <= first_year:
        raise NoData(Text("engine.nodata.period", {"base": Num(first_year, "year"),
                                                   "end": Num(last_year, "year")}))
    first = region_level(ctx, setting, "region", first_year)
    last = region_level(ctx, setting, "region", last_year)
    if first.bound.lo <= 0:
        raise NoData(Text("engine.nodata.zero_base", {"year": Num(first_year, "year")}))
    return base.Measured(change_pct(first.bound, last.bound), max(first.public, last.public),
                         first.what, period=(first_year, last_year), concept=first.concept,
                         levels=(first.bound, last.bound))
