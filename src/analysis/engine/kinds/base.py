"""What every claim kind shares: the evaluation context, the outcome, and measuring a series.

A kind (one module in this package) is a documented query template: ``PARAMS`` declares its
parameters (name -> {"doc", "default"}), ``evaluate(ctx, setting)`` computes one setting and
returns an :class:`Outcome` or raises :class:`~analysis.engine.tables.NoData` with the reason,
``validate(claim)`` checks a registry entry without data and ``validate_data(claim, registry,
tables)`` against the data. Nothing here knows a claim id.

Series parameters shared by the job-based kinds (``SERIES_PARAMS``):

- ``source``: ``"cbs"`` (the processed CBS tables) or the name of a published source in the claim's
  ``[claim.check.sources]`` (a third party's figures with their own period and concept);
- ``sector``: an SBI code of the table (``"C"``, ``"Q"``) or a code list named in
  ``[meta.sector_lists]`` (e.g. the HTSM divisions, narrow or broad);
- ``concept``: ``"employee_jobs"`` (jobs.csv) or a labour-accounts concept (national only);
- ``table``: the CBS table of the region's series; ``nation``: how the nation is formed,
  ``"corop_sum"`` (sum of the COROP regions of ``table``, suppressed cells bounded) or a CBS table
  id whose published national row (NL01) is used; ``vintage``: ``newest``/``oldest``/an id;
- ``base_year`` / ``end_year``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from analysis.engine.intervals import Bound, change_pct
from analysis.engine.tables import NATION, NoData, Tables, short_name
from analysis.i18n import Num, Text
from analysis.paths import PACKAGE_DATA

if TYPE_CHECKING:
    from analysis.engine.registry import Claim, Registry

SERIES_PARAMS: dict[str, dict[str, Any]] = {
    "source": {"doc": "'cbs' or a published source of [claim.check.sources]", "default": "cbs"},
    "sector": {"doc": "SBI code or a code list of [meta.sector_lists]", "default": None},
    "concept": {"doc": "'employee_jobs' or a labour-accounts concept", "default": "employee_jobs"},
    "table": {"doc": "CBS table of the region's series", "default": "83582NED"},
    "nation": {"doc": "'corop_sum' or a CBS table id with a published national row",
               "default": "corop_sum"},
    "vintage": {"doc": "'newest', 'oldest' or a vintage id of the table", "default": "newest"},
    "base_year": {"doc": "first year of the period", "default": None},
    "end_year": {"doc": "last year of the period", "default": None},
}
COMPARATORS = ("nation", "nation_minus_region")
# Every kind that compares with a claimed number reads it at a precision (analysis.engine.claimed).
CLAIMED_PARAMS: dict[str, dict[str, Any]] = {
    "precision": {"doc": "'stated' (as written) or 'round' (a round number read as 'about')",
                  "default": "stated"},
}


@dataclass
class Ctx:
    """What a kind needs to evaluate one setting: the data, the registry, the claim, the region."""

    tables: Tables
    registry: Registry
    claim: Claim
    region: str

    @property
    def region_name(self) -> str:
        names = self.tables._memo.setdefault(("short_names",), {})
        if self.region not in names:
            names[self.region] = short_name(self.tables._jobs["names"].get(self.region, self.region))
        return names[self.region]


@dataclass
class Measured:
    """A measured quantity with when its inputs became public and what it is."""

    bound: Bound
    public: dt.date
    what: Text
    period: tuple[int, int] | None = None
    concept: str = ""
    source: str = "cbs"
    levels: tuple[Bound, Bound] | None = None  # base- and end-year levels of a change


@dataclass
class Outcome:
    """One evaluated setting, as a kind returns it."""

    result: Bound
    unit: str
    holds: bool | None
    strength: float | None
    public: dt.date
    # the setting's finding in words with its numbers, and the arithmetic: built only for the
    # perturbations that are shown (callables returning Text)
    statement: Any
    arithmetic: Any = None
    parts: dict[str, Measured] = field(default_factory=dict)
    effective: dict[str, Any] = field(default_factory=dict)  # parameters the source fixed
    notes: list[Text] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    facts: Any = None  # callable returning the conditions checked (list of result.Fact)


# --- sectors ------------------------------------------------------------------------------------


def _division_span(code: str) -> set[int] | None:
    """'24' -> {24}; '24-25' -> {24, 25}; section letters and others -> None."""
    left, _, right = code.partition("-")
    if not left.isdigit() or (right and not right.isdigit()):
        return None
    return set(range(int(left), int(right or left) + 1))


def sector_list(registry: Registry, name: str) -> list[str] | None:
    """The SBI division codes of a named list in ``[meta.sector_lists]`` (None: not a list)."""
    spec = registry.meta.get("sector_lists", {}).get(name)
    if spec is None:
        return None
    return list(_read_list(spec["file"], spec["column"], spec.get("code_column", "division")))


@lru_cache(maxsize=64)
def _read_list(file: str, column: str, code_column: str) -> tuple[str, ...]:
    with (PACKAGE_DATA / file).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = {r[code_column].strip() for r in rows
             if r.get(column, "").strip().lower() == "true" and r.get(code_column, "").strip()}
    return tuple(sorted(codes, key=lambda c: (len(c), c)))


def resolve_codes(wanted: list[str], available: set[str]) -> list[str] | None:
    """Cover the wanted divisions (see :func:`_resolve`), memoised."""
    found = _resolve(tuple(wanted), frozenset(available))
    return None if found is None else list(found)


@lru_cache(maxsize=256)
def _resolve(wanted: tuple[str, ...], available: frozenset[str]) -> tuple[str, ...] | None:
    """Cover the wanted SBI divisions with the codes a table has, with the fewest cells: published
    groups such as '24-25' and '29-30' lying wholly inside the wanted set replace their single
    divisions, as each cell carries its own rounding error (24-30 from five cells, not seven).
    None if some division cannot be covered. Which cells are suppressed in a given year is left to
    :meth:`analysis.engine.tables.Tables.region_jobs`, which prefers published cells per year."""
    from analysis.engine.cover import fewest_cells  # the rule Tables.region_jobs applies per year

    spans = [_division_span(code) for code in wanted]
    if not all(spans):  # not a list of divisions (a section letter): the codes themselves or nothing
        return tuple(wanted) if all(code in available for code in wanted) else None
    return fewest_cells(frozenset().union(*spans), available)


def sector_label(ctx: Ctx, sector: str) -> Any:
    lists = ctx.registry.meta.get("sector_lists", {})
    if sector in lists and "label_nl" in lists[sector]:
        return {"nl": lists[sector]["label_nl"], "en": lists[sector]["label_en"]}
    from analysis.i18n import catalogue

    if f"engine.sector.{sector}" in catalogue():
        return Text(f"engine.sector.{sector}", {})
    return f"SBI {sector}"


def subject(ctx: Ctx, setting: dict[str, Any]) -> Any:
    """What the setting measures, in words: the sector, or a published source's own subject."""
    name = setting.get("source", "cbs")
    if name != "cbs" and name in ctx.claim.sources:
        source = ctx.claim.sources[name]
        if "subject_nl" in source:
            return {"nl": source["subject_nl"], "en": source["subject_en"]}
        return {"nl": source.get("label_nl", name), "en": source.get("label_en", name)}
    return sector_label(ctx, str(setting["sector"]))


def _codes(ctx: Ctx, setting: dict[str, Any], available: set[str], where: str) -> list[str]:
    sector = str(setting["sector"])
    wanted = sector_list(ctx.registry, sector)
    if wanted is None:
        if sector not in available:
            raise NoData(Text("engine.nodata.sector", {"sector": sector, "where": where}))
        return [sector]
    codes = resolve_codes(wanted, available)
    if codes is None:
        raise NoData(Text("engine.nodata.divisions", {
            "sector": sector_label(ctx, sector), "where": where,
            "codes": ", ".join(wanted)}))
    return codes


# --- measuring a level or a change --------------------------------------------------------------


def level(ctx: Ctx, setting: dict[str, Any], who: str, year: int) -> Measured:
    """The level of the setting's series in ``year`` for ``who`` (region, nation,
    nation_minus_region), from the processed CBS tables."""
    tables, region, vintage = ctx.tables, ctx.region, str(setting["vintage"])
    concept = str(setting["concept"])
    # the nation as the claim's own region is named as the nation ("the Netherlands", not "Nederland")
    what = Text(f"engine.who.{'nation' if ctx.region == NATION else who}", {"region": ctx.region_name})
    if concept == "employee_jobs":
        public = ctx.registry.public_date("employee_jobs", year)
        table, nation = str(setting["table"]), str(setting["nation"])
        if who == "region":
            codes = _codes(ctx, setting, tables.jobs_codes(table, region), f"{table}, {ctx.region_name}")
            bound = tables.region_jobs(table, region, codes, year, vintage)
        elif nation == "corop_sum":
            codes = _codes(ctx, setting, tables.jobs_codes(table, region), f"{table}, COROP")
            corop = region in tables.corop_regions()
            bound = tables.corop_sum(table, codes, year, vintage,
                                     exclude=region if who == "nation_minus_region" and corop else None)
            if who == "nation_minus_region" and not corop:  # a province: the sum minus its own cells
                bound = (bound - tables.region_jobs(table, region, codes, year, vintage)).clip_low(0.0)
        else:
            codes = _codes(ctx, setting, tables.jobs_codes(nation, NATION), f"{nation}, NL")
            bound = tables.national_jobs(nation, codes, year, vintage)
            if who == "nation_minus_region":
                own = _codes(ctx, setting, tables.jobs_codes(table, region), f"{table}, {ctx.region_name}")
                bound = (bound - tables.region_jobs(table, region, own, year, vintage)).clip_low(0.0)
        return Measured(bound, public, what, concept=concept)
    table_name = tables.accounts_table(concept)
    if table_name is None:
        raise NoData(Text("engine.nodata.concept", {"concept": concept}))
    public = ctx.registry.public_date(table_name, year)
    codes = _codes(ctx, setting, set(tables.accounts_codes(concept)), concept_words(table_name, "where"))
    regions = tables.accounts_regions(concept)
    if who == "region" and region not in regions:
        raise NoData(Text("engine.nodata.national_only", {"concept": concept_words(concept)}))
    if who == "nation":
        bound = tables.accounts(concept, NATION, codes, year, vintage)
    elif who == "region":
        bound = tables.accounts(concept, region, codes, year, vintage)
    else:
        if region not in regions:
            raise NoData(Text("engine.nodata.national_only", {"concept": concept_words(concept)}))
        bound = (tables.accounts(concept, NATION, codes, year, vintage)
                 - tables.accounts(concept, region, codes, year, vintage)).clip_low(0.0)
    return Measured(bound, public, what, concept=concept)


def containing_level(ctx: Ctx, setting: dict[str, Any], who: str, year: int) -> tuple[Measured, str]:
    """A bound on a level the table does not publish: between 0 and the level of the smallest
    published code whose divisions contain every wanted one (HTSM's divisions 24-30 lie inside
    manufacturing, SBI C). Raises :class:`NoData` where no published code contains them."""
    from analysis.processing.sbi import divisions_of

    def code_divisions(code: str) -> frozenset[int]:
        return divisions_of(code) or frozenset()

    sector = str(setting["sector"])
    wanted = frozenset().union(*(code_divisions(c)
                                 for c in (sector_list(ctx.registry, sector) or [sector])))
    table = str(setting["table"])
    candidates = [c for c in ctx.tables.jobs_codes(table, ctx.region)
                  if wanted and wanted <= code_divisions(c)]
    if not candidates or who != "region" or setting.get("concept") != "employee_jobs":
        raise NoData(Text("engine.nodata.no_level", {}))
    wider = min(candidates, key=lambda c: (len(code_divisions(c)), c))
    measured = level(ctx, {**setting, "sector": wider}, who, year)
    return Measured(Bound(0.0, None, measured.bound.hi), measured.public, measured.what,
                    concept=measured.concept), wider


def published_change(ctx: Ctx, setting: dict[str, Any], who: str) -> Measured:
    """A published percent change for the region or the nation from the setting's source."""
    name = str(setting["source"])
    source = ctx.claim.sources[name]
    label = {"nl": source.get("label_nl", name), "en": source.get("label_en", name)}
    if who == "region":
        if ctx.region != source.get("region_level", ctx.claim.region) or "region" not in source:
            raise NoData(Text("engine.nodata.published_region", {"source": label,
                                                                 "region": ctx.region_name}))
        figure_id = source["region"]
    elif who == "nation" and "nation" in source:
        figure_id = source["nation"]
    else:
        raise NoData(Text("engine.nodata.published_nation", {"source": label}))
    bound, row = ctx.tables.figure(figure_id)
    base, _, end = str(row["period"]).partition("-")
    period = (int(base), int(end)) if base.isdigit() and end.isdigit() else None
    return Measured(bound, source["date"], Text(f"engine.who.{who}", {"region": ctx.region_name}),
                    period=period, concept=str(row["concept"]), source=name)


_SERIES_KEYS = ("source", "sector", "concept", "table", "nation", "vintage", "base_year", "end_year")


def change(ctx: Ctx, setting: dict[str, Any], who: str) -> Measured:
    """Percent change of the setting's series from base_year to end_year (or a published one);
    memoised per data folder (perturbations share most of their measurements)."""
    region = "" if who == "nation" else ctx.region  # the nation is the same for every region
    key = ("change", ctx.claim.id, region, who, *[setting.get(k) for k in _SERIES_KEYS])
    return memoised(ctx, key, lambda: _change(ctx, setting, who))


def memoised(ctx: Ctx, key: tuple, compute: Any) -> Any:
    """``compute()`` once per data folder and ``key``; a :class:`NoData` it raised is remembered
    and raised again (a missing cell stays missing for every setting that asks)."""
    memo = ctx.tables._memo
    if key not in memo:
        try:
            memo[key] = compute()
        except NoData as missing:
            memo[key] = missing
    found = memo[key]
    if isinstance(found, NoData):
        raise found.with_traceback(None)
    return found


def _change(ctx: Ctx, setting: dict[str, Any], who: str) -> Measured:
    if setting["source"] != "cbs":
        return published_change(ctx, setting, who)
    base, end = int(setting["base_year"]), int(setting["end_year"])
    if end <= base:
        raise NoData(Text("engine.nodata.period", {"base": Num(base, "year"), "end": Num(end, "year")}))
    first, last = level(ctx, setting, who, base), level(ctx, setting, who, end)
    if first.bound.lo <= 0:
        raise NoData(Text("engine.nodata.zero_base", {"year": Num(base, "year")}))
    result = change_pct(first.bound, last.bound)
    return Measured(result, max(first.public, last.public), first.what, period=(base, end),
                    concept=first.concept, levels=(first.bound, last.bound))


PUBLISHED_FIXES = ("sector", "concept", "table", "nation", "vintage", "base_year", "end_year")


def canonical(setting: dict[str, Any]) -> tuple:
    """A key under which settings give the same outcome: a published source fixes its own
    period, sector and concept, so those parameters do not matter for it."""
    published = setting.get("source", "cbs") != "cbs"
    return tuple(tuple(v) if isinstance(v, list) else v for k, v in setting.items()
                 if not (published and k in PUBLISHED_FIXES))


def try_measure(func: Any, *args: Any) -> tuple[Measured | None, Text | None]:
    """``func(*args)``, or (None, reason) where the data cannot give it."""
    if func is change:  # the memo answers without raising (exceptions are slow in a hot loop)
        ctx, setting, who = args
        region = "" if who == "nation" else ctx.region
        key = ("change", ctx.claim.id, region, who, *[setting.get(k) for k in _SERIES_KEYS])
        found = ctx.tables._memo.get(key)
        if isinstance(found, NoData):
            return None, found.reason
        if found is not None:
            return found, None
    try:
        return func(*args), None
    except NoData as missing:
        return None, missing.reason


def effective_period(setting: dict[str, Any], *measured: Measured | None) -> dict[str, Any]:
    """The base and end year a published source fixed (they override the setting's)."""
    for item in measured:
        if item is not None and item.source != "cbs" and item.period:
            return {"base_year": item.period[0], "end_year": item.period[1]}
    return {}


def unlike(first: Measured, second: Measured) -> Text | None:
    """Why two measured halves cannot be compared (other period, concept or source), or None."""
    if first.source != second.source:
        return Text("engine.unlike.source", {})
    if first.period != second.period:
        return Text("engine.unlike.period", {})
    if first.concept != second.concept:
        return Text("engine.unlike.concept", {"first": concept_words(first.concept),
                                              "second": concept_words(second.concept)})
    return None


def concept_words(name: str, kind: str = "concept") -> Any:
    """A concept or table name in the reader's words where the catalogue has them
    (``engine.<kind>.<name>`` with non-letters folded to '_'), else the name as it is."""
    from analysis.i18n import catalogue

    key = f"engine.{kind}." + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    direct = f"engine.value.concept.{name}"
    if kind == "concept" and direct in catalogue():
        return Text(direct, {})
    return Text(key, {}) if key in catalogue() else name


def way(bound: Bound) -> tuple[str, Bound]:
    """Which way a change went ("fell", "grew", or "changed" for a bound on both sides of 0, which
    says neither) and its size to print (a fall as a positive number)."""
    if bound.value is None and bound.lo < 0 < bound.hi:
        return "changed", bound
    fell = (bound.value if bound.value is not None else bound.mid) < 0
    return ("fell", -bound) if fell else ("grew", bound)


def pct(bound: Bound, decimals: int = 1, signed: bool = True) -> Num:
    return Num(bound.mid, "percent", decimals, signed)


def interval_text(bound: Bound, style: str = "percent", decimals: int = 1,
                  round_to: float | None = None, toward: float = 0.0) -> Text:
    """'5,7%' when the interval is narrow; where only a bound is known (no value), the end nearest
    ``toward`` (a threshold; 0 by default): 'minstens 7,8%' / 'hooguit 550', and 'tussen a en b'
    only when ``toward`` lies inside the interval (the far end of a bound is often loose: the
    end that matters is the one facing the claim).

    ``round_to`` (job counts built from rounded inputs: 50 or 100) rounds the value and both ends
    to that step, so the words never claim more precision than the inputs have (to the nearest
    step, not outward: an end shown on the claim's side of a threshold it does not reach would
    contradict the verdict beside it).
    """
    lo, hi, mid = bound.lo, bound.hi, bound.mid
    narrow = max(2 * 10 ** -decimals, 0.005 * abs(bound.value or 0.0), round_to or 0.0)
    if bound.value is not None and (hi - lo) <= narrow:
        return Text("engine.num.value", {"value": Num(bound.value, style, decimals, round_to=round_to)})
    if bound.value is None and toward <= lo:
        return Text("engine.num.at_least", {"value": Num(lo, style, decimals, round_to=round_to)})
    if bound.value is None and toward >= hi and math.isfinite(hi):
        return Text("engine.num.at_most", {"value": Num(hi, style, decimals, round_to=round_to)})
    return Text("engine.num.range", {"low": Num(lo, style, decimals, round_to=round_to),
                                     "high": Num(hi, style, decimals, round_to=round_to),
                                     "value": Num(mid, style, decimals, round_to=round_to)})
