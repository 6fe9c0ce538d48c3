"""The numbers of the league page: a region's value or bound, its rank among the regions, and a
stand-in measure where a claim's own measure is suppressed for most regions.

A league row (see :mod:`analysis.report.league_page`) has ``value`` (None where CBS suppresses a
cell) and ``low`` / ``high`` (what the engine can still bound: the interval's ends, None where open).

Ranks count from the highest value (plaats 1). A region known only within bounds gets a range of
ranks: at best one place behind every region that is certainly higher (whose lower end lies above
its upper end), at worst one place ahead of every region that is certainly lower. A point value has
``low == high`` and so an exact rank; equal values share a range ("4-5"), which is what is known.

The stand-in measure is the change in the regional accounts' labour volume (CBS 84419NED and its
successor, ``labour_volume_total``: employees and self-employed) over the claim's own years, in the
narrowest SBI sector of those accounts that contains the claim's sector and is published for every
region in both years. It is shown only where the claim's own value is missing for at least half the
regions (``needs_stand_in``), and it is named as a different measure: it decides nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.i18n import Num, Text, render
from analysis.report.cards import format_value

STAND_IN_CONCEPT = "labour_volume_total"


def number(row: Mapping[str, Any], key: str) -> float | None:
    value = row.get(key)
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def bounds(row: Mapping[str, Any]) -> tuple[float, float] | None:
    """(low, high) of a row: the value twice, the engine's bounds (open ends infinite), or None."""
    value = number(row, "value")
    if value is not None:
        return value, value
    low, high = number(row, "low"), number(row, "high")
    if low is None and high is None:
        return None
    return (-math.inf if low is None else low), (math.inf if high is None else high)


def sort_key(row: Mapping[str, Any]) -> float | None:
    """The value, else the middle of a two-sided bound, else the bound itself (None: nothing known)."""
    known = bounds(row)
    if known is None:
        return None
    low, high = known
    if math.isinf(low) and math.isinf(high):
        return None
    if math.isinf(low) or math.isinf(high):
        return high if math.isinf(low) else low
    return (low + high) / 2


@dataclass(frozen=True)
class Rank:
    best: int
    worst: int
    count: int  # regions with a value or a bound

    @property
    def exact(self) -> bool:
        return self.best == self.worst

    @property
    def middle(self) -> float:
        return (self.best + self.worst) / 2


def ranks(rows: Sequence[Mapping[str, Any]]) -> dict[str, Rank]:
    """region_code -> its rank (range) among the rows with a value or a bound, highest first."""
    known = {row["region_code"]: bounds(row) for row in rows}
    known = {code: pair for code, pair in known.items() if pair is not None}
    out = {}
    for code, (low, high) in known.items():
        above = sum(1 for other, (o_low, _) in known.items() if other != code and o_low > high)
        below = sum(1 for other, (_, o_high) in known.items() if other != code and o_high < low)
        out[code] = Rank(1 + above, len(known) - below, len(known))
    return out


def rank_text(rank: Rank, lang: str) -> str:
    """'21' or '12-18' (an en dash), numbers in the edition's format."""
    if rank.exact:
        return Num(rank.best).format(lang)
    return render("league.rank.range_short", lang, best=Num(rank.best), worst=Num(rank.worst))


def number_text(value: float, unit: str, lang: str) -> str:
    if unit in ("percent", "percent per year"):
        return Num(value, style="percent", decimals=1).format(lang)
    return Num(value, decimals=0 if unit in ("jobs", "persons") else 1).format(lang)


def value_text(row: Mapping[str, Any], unit: str, lang: str) -> str:
    """The value; where only bounds are known '≥ 7,8%', '≤ 3,0%' or '0 tot 1.098 banen'; else ''."""
    value = number(row, "value")
    if value is not None:
        return format_value(value, unit, lang)
    low, high = number(row, "low"), number(row, "high")
    if low is not None and high is not None:
        if low == high:
            return format_value(low, unit, lang)
        return render("league.value.between", lang, low=number_text(low, unit, lang),
                      high=format_value(high, unit, lang))
    if low is not None:
        return render("league.value.at_least", lang, low=format_value(low, unit, lang))
    if high is not None:
        return render("league.value.at_most", lang, high=format_value(high, unit, lang))
    return ""


def has_point_value(row: Mapping[str, Any]) -> bool:
    return number(row, "value") is not None


def needs_stand_in(rows: Sequence[Mapping[str, Any]]) -> bool:
    """True where the claim's own value is missing for at least half the regions (at exactly half: True)."""
    missing = sum(1 for row in rows if not has_point_value(row))
    return bool(rows) and 2 * missing >= len(rows)


# --- the stand-in measure -------------------------------------------------------------------------

def _wanted_divisions(claim: Any, registry: Any, sector: str) -> frozenset[int] | None:
    from analysis.engine.kinds.base import sector_list
    from analysis.processing.sbi import divisions_of

    codes = sector_list(registry, sector) or [sector]
    parts = [divisions_of(code) for code in codes]
    if not parts or any(part is None for part in parts):
        return None
    return frozenset().union(*parts)


def _change(tables: Any, region: str, sector: str, base: int, end: int) -> dict[str, float]:
    first = tables.accounts(STAND_IN_CONCEPT, region, [sector], base)
    last = tables.accounts(STAND_IN_CONCEPT, region, [sector], end)
    return {"value": 100.0 * (last.value / first.value - 1),
            "low": 100.0 * (last.lo / first.hi - 1), "high": 100.0 * (last.hi / first.lo - 1)}


def stand_in(claim_id: str, regions: Sequence[str], registry: Path | None = None,
             base_year: int | None = None, end_year: int | None = None) -> dict[str, Any] | None:
    """The stand-in for one claim: {"sector", "base_year", "end_year", "values": {region: {value, low, high}}},
    or None where the claim names no sector and years, is about one region only, or the regional
    accounts publish no sector containing it for every region."""
    from analysis.engine.check import registry_for, tables_for
    from analysis.engine.nodata import NoData

    tables = tables_for(None)
    if not tables.has("regional_accounts"):
        return None
    loaded = registry_for(registry, tables)
    claim = loaded.claim(claim_id)
    reading = claim.reading
    sector = reading.get("sector")
    base, end = base_year or reading.get("base_year"), end_year or reading.get("end_year")
    if claim.applies_to is not None or not isinstance(sector, str) or not base or not end:
        return None
    wanted = _wanted_divisions(claim, loaded, sector)
    if wanted is None:
        return None
    from analysis.processing.sbi import divisions_of

    candidates = [(len(divisions_of(code) or ()), code) for code in tables.accounts_codes(STAND_IN_CONCEPT)
                  if wanted <= (divisions_of(code) or frozenset())]
    for _, code in sorted(candidates):
        try:
            values = {region: _change(tables, region, code, int(base), int(end)) for region in regions}
        except (NoData, ZeroDivisionError):
            continue  # not published for every region in both years: the next wider sector
        return {"sector": code, "base_year": int(base), "end_year": int(end), "values": values}
    return None


def stand_in_name(spec: Mapping[str, Any]) -> Text:
    """What the stand-in measures, in words (named as a different measure from the claim's)."""
    from analysis.i18n import catalogue

    key = f"engine.sector.{spec['sector']}"
    sector = Text(key) if key in catalogue() else f"SBI {spec['sector']}"
    return Text("league.stand_in.name", {"sector": sector, "base": Num(spec["base_year"], "year"),
                                         "end": Num(spec["end_year"], "year")})


def attach_stand_in(rows: Sequence[dict[str, Any]], spec: Mapping[str, Any]) -> None:
    """Store the stand-in in each league row (``row["stand_in"]``: sector, years, value, low, high)."""
    empty = {"value": None, "low": None, "high": None}
    for row in rows:
        row["stand_in"] = {"sector": spec["sector"], "base_year": spec["base_year"], "end_year": spec["end_year"],
                           **spec["values"].get(row["region_code"], empty)}


def stand_in_spec(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The stand-in's sector and years as stored in the rows (None: the claim has none)."""
    stored = next((row["stand_in"] for row in rows if row.get("stand_in")), None)
    if stored is None:
        return None
    return {key: stored[key] for key in ("sector", "base_year", "end_year")}


def stand_in_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """League-shaped rows (region_code, region_name, value, low, high) of the stand-in measure."""
    out = []
    for row in rows:
        stored = row.get("stand_in") or {}
        out.append({"region_code": row["region_code"], "region_name": row["region_name"],
                    "value": stored.get("value"), "low": stored.get("low"), "high": stored.get("high")})
    return out
