"""Stress tests: does a claim survive other reasonable choices, and is the region unusual?

:func:`spec_grid` evaluates a claim under every combination of the choices the registry lists
for it (``[claim.grid]`` in ``data/claims.toml``): base and end year, series (SBI C, B-E, a
broad C+J+M proxy, a published Twente Index figure), national comparator (the CBS total, a
like-for-like sum of the COROP regions published in every year used, national SBI 28), the data
vintage of 2010 (81402ned vs 83582NED), readings of a word ('relatief'), DUO editions, teaching
locations and CROHO definitions. One row per specification: the choices, the values, whether it
could be evaluated (and why not), whether the claim ``holds`` there, whether its direction holds,
and whether the row ``counts`` for the verdict (evaluable, and a reading the claim could have
meant in October 2017: see ``reference_years`` in the registry).

:func:`placebo_rank` computes a metric for all 40 COROP regions and ranks the focal region.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.engine import series as ser
from analysis.engine.claims import Claim, Operationalisation, get_claim, load_meta
from analysis.stats import shiftshare, trends
from analysis.stats.growth import change, format_number, format_percent, format_signed

EPS = 1e-9  # float slack when comparing with a tolerance edge

LEADING = ["claim_id", "spec_id", "family"]
TRAILING = ["region", "comparator", "region_value", "comparator_value", "value", "unit",
            "coverage", "evaluable", "holds", "direction_holds", "counts", "note", "arithmetic"]


# --- context and published figures ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Context:
    """Everything a specification is evaluated against."""

    jobs: pd.DataFrame | None
    enrolment: pd.DataFrame | None
    figures: pd.DataFrame
    region: str = "CR12"
    comparator: str = ser.NATIONAL
    reference_years: tuple[int, ...] = (2015, 2016, 2017)

    @property
    def region_name(self) -> str:
        return self._name(self.region)

    @property
    def comparator_name(self) -> str:
        return self._name(self.comparator)

    def _name(self, code: str) -> str:
        if self.jobs is None:
            return {"CR12": "Twente", ser.NATIONAL: "Nederland"}.get(code, code)
        return ser.short_name(ser.region_names(self.jobs).get(code, code))

    def figures_apply(self, figure_ids: Iterable[str]) -> bool:
        """Published figures about a named region apply only when that region is the focal one."""
        allowed = {self.region_name, self.comparator_name, "Nederland"}
        for fid in figure_ids:
            region = str(self.figures.at[fid, "region"]) if fid in self.figures.index else ""
            if region and region not in allowed and not region.startswith("Nederland"):
                return False
        return True


@dataclass(frozen=True)
class Figure:
    """A published figure or one derived from published figures by stated arithmetic."""

    id: str
    value: float
    unit: str
    label: str
    arithmetic: str
    region: str = ""


def figure(figures: pd.DataFrame, figure_id: str) -> Figure:
    """A published figure by id, or one of the figures implied by them (see the code below)."""
    if figure_id in figures.index:
        row = figures.loc[figure_id]
        label = f"{row['quantity']}, {row['region']}, {row['period']} ({row['publisher']})"
        return Figure(figure_id, float(row["value"]), str(row["unit"]), label,
                      f"{format_number(float(row['value']))} {row['unit']} (published)",
                      str(row["region"]))
    def value(fid: str) -> float:
        return ser.published_value(figures, fid)

    if figure_id == "ti2018_implied_2007_growth":
        level, growth = value("ti2018_htsm_jobs_twente"), value("ti2018_htsm_growth_twente")
        implied = level / (1 + growth / 100)
        return Figure(figure_id, implied, "jobs",
                      f"Twente HTSM jobs 2007 implied by TI 2018 ({format_percent(growth, 0)})",
                      f"{format_number(level)} / (1 + {format_number(growth)}%) = "
                      f"{format_number(round(implied))}", "Twente")
    if figure_id == "ti2018_implied_2007_change":
        level, gain = value("ti2018_htsm_jobs_twente"), value("ti2018_htsm_change_twente")
        return Figure(figure_id, level - gain, "jobs",
                      f"Twente HTSM jobs 2007 implied by TI 2018 ({format_signed(gain)} jobs)",
                      f"{format_number(level)} − {format_number(gain)} = "
                      f"{format_number(level - gain)}", "Twente")
    if figure_id.startswith("sbi28_"):
        _, base, end = figure_id.split("_")
        first, last = value(f"cbs83583_sbi28_{base}"), value(f"cbs83583_sbi28_{end}")
        pct = 100 * (last / first - 1)
        return Figure(figure_id, pct, "percent",
                      f"national SBI 28 (machine industry) employee jobs {base}-{end} (CBS 83583NED)",
                      f"{format_number(first)} → {format_number(last)}: {format_percent(pct)}",
                      "Nederland")
    raise KeyError(f"unknown published or implied figure {figure_id!r}")


def sbi28_series(figures: pd.DataFrame) -> pd.Series:
    """National employee jobs in SBI 28 by year (CBS 83583NED, from the published figures)."""
    rows = figures[figures["id"].str.startswith("cbs83583_sbi28_")]
    return pd.Series({int(i.rsplit("_", 1)[1]): float(v) for i, v in rows["value"].items()},
                     dtype=float).sort_index()


# --- judging one specification ----------------------------------------------------------------------


def judge(claim: Claim, region_value: float, comparator_value: float,
          value: float) -> tuple[bool | None, bool | None]:
    """``(holds, direction_holds)`` of one evaluated specification under the claim's test."""
    test = claim.test

    def missing(*values: float | None) -> bool:
        return any(x is None or (isinstance(x, float) and math.isnan(x)) for x in values)

    if test.kind == "both_decline":
        if missing(region_value, comparator_value):
            return None, None
        holds = region_value <= -test.threshold + EPS and comparator_value <= -test.threshold + EPS
        return holds, region_value < 0 and comparator_value < 0
    if test.kind == "growth_vs_decline":
        if missing(region_value, comparator_value):
            return None, None
        holds = abs(region_value - test.target) <= test.tolerance + EPS and comparator_value < 0
        return holds, region_value > 0 and comparator_value < 0
    if test.kind == "value_within":
        if missing(value):
            return None, None
        holds = abs(value - test.target) <= test.tolerance + EPS
        return holds, (value > 0 if test.direction == "positive" else None)
    if test.kind == "faster_growth":
        if missing(region_value, comparator_value):
            return None, None
        return region_value > 0 and region_value > comparator_value, region_value > 0
    return None, None


# --- evaluating one specification ---------------------------------------------------------------------


def _record(spec: dict[str, Any], ctx: Context) -> dict[str, Any]:
    return {**spec, "region": ctx.region, "comparator": ctx.comparator,
            "region_value": math.nan, "comparator_value": math.nan, "value": math.nan,
            "unit": "", "coverage": math.nan, "evaluable": False, "note": "", "arithmetic": ""}


def _pct_change(label: str, base_year: int, end_year: int, base: float, end: float) -> tuple[float, str]:
    moved = change(pd.Series({base_year: base, end_year: end}), base_year, end_year, unit="jobs")
    return moved.percent, f"{label} {base_year}→{end_year}: {moved.arithmetic()}"


def _comparator_values(ctx: Context, sbi: str, base: int, end: int, base_table: str,
                       national: str, min_coverage: float) -> tuple[float, float, float, str, str]:
    """Comparator base and end values: ``(base, end, coverage, label, why-not)``."""
    jobs = ctx.jobs
    if national == "total" or ctx.comparator != ser.NATIONAL:
        try:
            base_value, why_base = ser.jobs_value(jobs, ctx.comparator, sbi, base, base_table)
            end_value, why_end = ser.jobs_value(jobs, ctx.comparator, sbi, end, ser.MAIN_TABLE)
        except ValueError as exc:
            return math.nan, math.nan, math.nan, "", str(exc)
        why = "; ".join(f"{y}: {w}" for y, v, w in ((base, base_value, why_base),
                                                    (end, end_value, why_end)) if math.isnan(v))
        return base_value, end_value, 1.0, f"{ctx.comparator_name}, SBI {sbi}", why
    if national in ("like-for-like", "rest of the nation (like-for-like)"):
        exclude = (ctx.region,) if national.startswith("rest") else ()
        balanced = ser.balanced_sum(jobs, sbi, [base, end], exclude=exclude,
                                    source_table={base: base_table, end: ser.MAIN_TABLE})
        label = (f"{'rest of ' if exclude else ''}{ctx.comparator_name} like-for-like "
                 f"({len(balanced.regions)} COROP regions), SBI {sbi}")
        why = "" if balanced.coverage >= min_coverage - EPS else (
            f"the like-for-like sum covers only {100 * balanced.coverage:.0f}% of {base} jobs "
            f"(minimum {100 * min_coverage:.0f}%): too many suppressed regions")
        return (float(balanced.values[base]), float(balanced.values[end]), balanced.coverage,
                label, why)
    if national == "SBI 28 (83583NED)":
        sbi28 = sbi28_series(ctx.figures)
        if base not in sbi28.index or end not in sbi28.index:
            return math.nan, math.nan, math.nan, "", "no published SBI 28 figure for these years"
        return (float(sbi28[base]), float(sbi28[end]), 1.0,
                f"{ctx.comparator_name}, SBI 28 machine industry (83583NED)", "")
    raise ValueError(f"unknown national comparator variant {national!r}")


def eval_change(ctx: Context, claim: Claim, spec: dict[str, Any]) -> dict[str, Any]:
    """Percent change of region and comparator in one SBI series (CBS employee jobs)."""
    rec = _record(spec, ctx)
    sbi, base, end = spec["series"], int(spec["base_year"]), int(spec["end_year"])
    base_table = spec.get("base_vintage", ser.MAIN_TABLE)
    rec["unit"] = "percent"
    try:
        region_base, why_base = ser.jobs_value(ctx.jobs, ctx.region, sbi, base, base_table)
        region_end, why_end = ser.jobs_value(ctx.jobs, ctx.region, sbi, end, ser.MAIN_TABLE)
    except ValueError as exc:
        rec["note"] = str(exc)
        return rec
    notes = [f"{ctx.region_name} {y}: {w}" for y, v, w in ((base, region_base, why_base),
                                                         (end, region_end, why_end))
             if math.isnan(v)]
    comp_base, comp_end, coverage, comp_label, why_comp = _comparator_values(
        ctx, sbi, base, end, base_table, spec.get("national", "total"),
        float(claim.grid.get("min_coverage", 0.9)))
    rec["coverage"] = coverage
    if why_comp:
        notes.append(f"{ctx.comparator_name}: {why_comp}")
    lines = []
    if not math.isnan(region_base) and not math.isnan(region_end):
        rec["region_value"], line = _pct_change(f"{ctx.region_name}, SBI {sbi}", base, end,
                                                region_base, region_end)
        rec["value"] = rec["region_value"]
        lines.append(line)
    if not why_comp and not math.isnan(comp_base) and not math.isnan(comp_end):
        rec["comparator_value"], line = _pct_change(comp_label, base, end, comp_base, comp_end)
        lines.append(line)
    if base_table != ser.MAIN_TABLE:
        notes.append(f"{base} from {base_table} (older release), {end} from {ser.MAIN_TABLE}")
    rec["arithmetic"] = "; ".join(lines)
    rec["note"] = "; ".join(notes)
    rec["evaluable"] = not (math.isnan(rec["region_value"]) or math.isnan(rec["comparator_value"]))
    return rec


def eval_published_change(ctx: Context, claim: Claim, spec: dict[str, Any]) -> dict[str, Any]:
    """A published pair of changes (region, nation), e.g. a Twente Index edition."""
    rec = _record(spec, ctx)
    region_id, comp_id = spec["figures"]
    rec["unit"] = "percent"
    if not ctx.figures_apply([region_id]) or ctx.comparator != ser.NATIONAL:
        rec["note"] = (f"published figure {region_id} is about "
                       f"{ctx.figures.at[region_id, 'region']}, not {ctx.region_name} vs "
                       f"{ctx.comparator_name}")
        return rec
    region, comp = figure(ctx.figures, region_id), figure(ctx.figures, comp_id)
    rec["region_value"] = rec["value"] = region.value
    rec["comparator_value"] = comp.value
    if spec.get("annualise"):
        years = int(spec["end_year"]) - int(spec["base_year"])
        rec["region_value"] = rec["value"] = 100 * ((1 + region.value / 100) ** (1 / years) - 1)
        rec["comparator_value"] = 100 * ((1 + comp.value / 100) ** (1 / years) - 1)
        rec["unit"] = "percent per year"
    rec["arithmetic"] = (f"{region.label}: {format_percent(region.value)}; {comp.label}: "
                         f"{format_percent(comp.value)}"
                         + (f" (annualised over {years} years: "
                            f"{format_percent(rec['region_value'], 2)} vs "
                            f"{format_percent(rec['comparator_value'], 2)} a year)"
                            if spec.get("annualise") else ""))
    rec["evaluable"] = True
    claimed = claim.extra.get("base_year_claimed")
    if claimed is not None and spec.get("base_year") != claimed:
        rec["note"] = f"base year {spec.get('base_year')}, not {claimed} as in the claim"
    return rec


def eval_published_gain(ctx: Context, claim: Claim, spec: dict[str, Any]) -> dict[str, Any]:
    """The jobs gain implied by a published level B: absolute B·g, or relative B·(g − g_nation)."""
    rec = _record(spec, ctx)
    rec["unit"] = "jobs"
    ids = [spec["base_level"]] + ([spec["national_growth"]] if spec["reading"] == "relative" else [])
    level = figure(ctx.figures, spec["base_level"])
    if level.region not in (ctx.region_name, "") or ctx.comparator != ser.NATIONAL:
        rec["note"] = f"the published levels are about {level.region}, not {ctx.region_name}"
        return rec
    growth = float(spec["region_growth"])
    rec["region_value"] = growth
    if spec["reading"] == "absolute":
        rec["value"] = level.value * growth / 100
        rec["arithmetic"] = (f"{format_number(round(level.value))} × {format_percent(growth, 0)} = "
                             f"{format_signed(round(rec['value']))} jobs ({level.label})")
    else:
        national = figure(ctx.figures, ids[1])
        rec["comparator_value"] = national.value
        rec["value"] = level.value * (growth - national.value) / 100
        rec["arithmetic"] = (
            f"{format_number(round(level.value))} × ({format_percent(growth, 0)} − "
            f"({format_percent(national.value)})) = {format_signed(round(rec['value']))} jobs "
            f"(B: {level.label}; national: {national.label})")
    rec["evaluable"] = True
    return rec


def eval_proxy_gain(ctx: Context, claim: Claim, spec: dict[str, Any]) -> dict[str, Any]:
    """Jobs gain of a CBS proxy series: absolute change, or shift-share regional effect."""
    sbi, base, end = spec["series"], int(spec["base_year"]), int(spec["end_year"])
    if spec["reading"] == "absolute":  # only the region matters
        rec = _record(spec, ctx)
        rec["unit"] = "jobs"
        try:
            region = ser.jobs_series(ctx.jobs, ctx.region, sbi)
        except ValueError as exc:
            rec["note"] = str(exc)
            return rec
        try:
            moved = change(region, base, end, unit="jobs")
        except ValueError:
            gaps = {y: region.attrs["missing"].get(y, "no value") for y in (base, end)
                    if pd.isna(region.get(y))}
            rec["note"] = "; ".join(f"{ctx.region_name} {y}: {w}" for y, w in gaps.items())
            return rec
        rec["region_value"] = moved.percent
        rec["value"] = moved.absolute
        rec["arithmetic"] = f"{ctx.region_name}, SBI {sbi} {base}→{end}: {moved.arithmetic()}"
        rec["evaluable"] = True
        return rec
    rec = eval_change(ctx, claim, spec)
    rec["unit"] = "jobs"
    if not rec["evaluable"]:
        rec["value"] = math.nan  # eval_change put a percent there
        return rec
    region = ser.jobs_series(ctx.jobs, ctx.region, sbi)
    comp_base, comp_end, _, comp_label, _ = _comparator_values(
        ctx, sbi, base, end, ser.MAIN_TABLE, spec.get("national", "total"),
        float(claim.grid.get("min_coverage", 0.9)))
    result = shiftshare.classic(region, pd.Series({base: comp_base, end: comp_end}), base, end,
                                region_name=ctx.region_name, comparator_name=comp_label)
    rec["value"] = result.regional_effect
    rec["arithmetic"] = (
        f"{format_number(result.by_sector['base_employment'].iloc[0])} × "
        f"({format_percent(result.region_growth_pct)} − ({format_percent(result.comparator_growth_pct)}"
        f")) = {format_signed(round(result.regional_effect))} jobs (regional effect vs {comp_label})")
    return rec


def _window(series: pd.Series, start: int, end: int) -> tuple[pd.Series | None, str]:
    part = series.loc[start:end]
    missing = [int(y) for y in range(start, end + 1) if y not in part.index or pd.isna(part.get(y))]
    if start in missing or end in missing:
        return None, f"no value in {', '.join(str(y) for y in missing if y in (start, end))}"
    if len(part.dropna()) < trends.MIN_POINTS:
        return None, f"only {len(part.dropna())} values in {start}-{end}"
    return part, (f"{', '.join(map(str, missing))} missing (dropped from the fit)" if missing else "")


def eval_trend(ctx: Context, claim: Claim, spec: dict[str, Any]) -> dict[str, Any]:
    """Average annual growth (log-linear, HAC) of region and comparator over a period."""
    rec = _record(spec, ctx)
    rec["unit"] = "percent per year"
    sbi, start, end = spec["series"], int(spec["base_year"]), int(spec["end_year"])
    national = spec.get("national", "total")
    try:
        region_all = ser.jobs_series(ctx.jobs, ctx.region, sbi)
        comparator_all = ser.jobs_series(ctx.jobs, ctx.comparator, sbi)
    except ValueError as exc:
        rec["note"] = str(exc)
        return rec
    region, why_region = _window(region_all, start, end)
    notes = [f"{ctx.region_name}: {why_region}"] if why_region else []
    if national == "total" or ctx.comparator != ser.NATIONAL:
        comparator, why_comp = _window(comparator_all, start, end)
        comp_label = f"{ctx.comparator_name}, SBI {sbi}"
    else:
        exclude = (ctx.region,) if national.startswith("rest") else ()
        balanced = ser.balanced_sum(ctx.jobs, sbi, range(start, end + 1), exclude=exclude)
        rec["coverage"] = balanced.coverage
        comparator, why_comp = balanced.values, ""
        comp_label = f"{'rest of ' if exclude else ''}{ctx.comparator_name} like-for-like, SBI {sbi}"
        if balanced.coverage < float(claim.grid.get("min_coverage", 0.9)) - EPS:
            comparator, why_comp = None, (f"the like-for-like sum covers only "
                                          f"{100 * balanced.coverage:.0f}% of {start} jobs")
    if why_comp:
        notes.append(f"{comp_label}: {why_comp}")
    rec["note"] = "; ".join(notes)
    if region is None or comparator is None:
        return rec
    region_trend = trends.loglinear_trend(region.rename(ctx.region_name))
    comp_trend = trends.loglinear_trend(comparator.rename(comp_label))
    rec["region_value"] = rec["value"] = region_trend.growth_pct
    rec["comparator_value"] = comp_trend.growth_pct
    rec["arithmetic"] = (f"{ctx.region_name}, SBI {sbi} {start}-{end}: "
                         f"{format_percent(region_trend.growth_pct, 2)} a year "
                         f"(95% CI {format_percent(region_trend.ci_low, 2)} to "
                         f"{format_percent(region_trend.ci_high, 2)}); {comp_label}: "
                         f"{format_percent(comp_trend.growth_pct, 2)} a year")
    rec["evaluable"] = True
    return rec


def eval_share(ctx: Context, claim: Claim, spec: dict[str, Any]) -> dict[str, Any]:
    """Technical share of enrolled students for a set of institutions, one year and edition set."""
    rec = _record(spec, ctx)
    rec["unit"] = "percent"
    institutions = spec["institutions"].split("+")
    year = int(spec["year"])
    municipalities = (claim.extra["twente_municipalities"] if spec["locations"] == "twente"
                      else None)
    editions = spec.get("edition")
    seat_only = ser.seat_only_editions(ctx.enrolment, institutions)
    if municipalities is not None and editions:
        flagged = [e for e in editions.split(" + ") if e in seat_only]
        if flagged:
            rec["note"] = (f"{', '.join(flagged)} places every student of "
                           f"{', '.join(sorted(seat_only[flagged[0]]))} at the seat (one "
                           "municipality), so it cannot separate Twente campuses")
            return rec
    table = ser.technical_share(ctx.enrolment, institutions, [year],
                                sectors=spec["sectors"].split("+"),
                                municipalities=municipalities,
                                edition=editions.split(" + ") if editions else None)
    if table.empty or table["students"].iloc[0] == 0:
        rec["note"] = f"no enrolment for {spec['institutions']} in {year}"
        return rec
    row = table.iloc[0]
    rec["value"] = rec["region_value"] = float(row["share"])
    rec["arithmetic"] = (f"{format_number(row['technical_students'])} / "
                         f"{format_number(row['students'])} = {format_percent(row['share'], 1, signed=False)}"
                         f" ({row['editions']})")
    if row["masked_cells"]:
        rec["note"] = (f"{int(row['masked_cells'])} masked cell(s): share between "
                       f"{row['share_low']:.1f}% and {row['share_high']:.1f}%")
    rec["evaluable"] = True
    return rec


EVALUATORS: dict[str, Callable[[Context, Claim, dict[str, Any]], dict[str, Any]]] = {
    "CBS change": eval_change,
    "published change": eval_published_change,
    "published gain": eval_published_gain,
    "proxy gain": eval_proxy_gain,
    "CBS trend": eval_trend,
    "published trend": eval_published_change,
    "DUO share": eval_share,
}


def evaluate_spec(ctx: Context, claim: Claim, spec: dict[str, Any]) -> dict[str, Any]:
    """One specification -> one row: values, arithmetic, evaluable, holds, direction, counts."""
    rec = EVALUATORS[spec["family"]](ctx, claim, spec)
    holds, direction = (judge(claim, rec["region_value"], rec["comparator_value"], rec["value"])
                        if rec["evaluable"] else (None, None))
    rec["holds"], rec["direction_holds"] = holds, direction
    end = spec.get("end_year", spec.get("year"))
    rec["counts"] = bool(rec["evaluable"] and spec.get("counts", True)
                         and (end is None or int(end) in ctx.reference_years))
    return rec


# --- specifications from operationalisations ---------------------------------------------------------


def spec_from_operationalisation(claim: Claim, op: Operationalisation,
                                 ctx: Context) -> dict[str, Any]:
    """The registry's operationalisation as a specification the evaluators understand."""
    spec: dict[str, Any] = {"claim_id": claim.id, "spec_id": op.id}
    if op.dataset.startswith("published") and op.get("figures"):
        family = "published trend" if claim.test.kind == "faster_growth" else "published change"
        spec.update(family=family, source=op.dataset, figures=tuple(op.get("figures")),
                    base_year=op.base, end_year=op.end,
                    annualise=claim.test.kind == "faster_growth")
    elif op.get("reading") and op.dataset.startswith("published"):
        spec.update(family="published gain", source=op.dataset, reading=op.get("reading"),
                    base_level=op.get("base_level"), national_growth=op.get("national_growth", ""),
                    region_growth=float(claim.grid.get("region_growth", 3.0)))
    elif op.get("reading"):
        spec.update(family="proxy gain", source=op.dataset, reading=op.get("reading"),
                    series=op.get("sbi"), base_year=op.base, end_year=op.end,
                    base_vintage=ser.MAIN_TABLE, national=op.get("national", "total"))
    elif op.get("institutions"):
        spec.update(family="DUO share", source=op.dataset,
                    institutions="+".join(op.get("institutions")), locations=op.get("locations"),
                    sectors="+".join(op.get("sectors")), year=op.get("year"), edition=None)
    elif claim.test.kind == "faster_growth":
        spec.update(family="CBS trend", source=op.dataset, series=op.get("sbi"),
                    base_year=op.base, end_year=op.end, national=op.get("national", "total"))
    else:
        spec.update(family="CBS change", source=op.dataset, series=op.get("sbi"),
                    base_year=op.base, end_year=op.end, base_vintage=ser.MAIN_TABLE,
                    national=op.get("national", "total"))
    spec["counts"] = True
    return spec


# --- grids per claim -------------------------------------------------------------------------------


def _years(values: Iterable[int], extra: int | None) -> list[int]:
    years = sorted({int(v) for v in values} | ({int(extra)} if extra is not None else set()))
    return years


def _grid_changes(claim: Claim, ctx: Context, base_year: int | None,
                  end_year: int | None) -> list[dict[str, Any]]:
    grid = claim.grid
    specs = []
    older_years = set()
    if ctx.jobs is not None:
        older_years = set(ctx.jobs.loc[ctx.jobs["source_table"] == ser.OLDER_TABLE, "year"])
    nationals = list(grid.get("national", ["total"]))
    if ctx.comparator != ser.NATIONAL:
        nationals = ["total"]  # like-for-like sums and SBI 28 only exist for the nation
    for base, end, sbi, vintage, national in itertools.product(
            _years(grid.get("base_years", [2010]), base_year),
            _years(grid.get("end_years", [2016]), end_year),
            grid.get("series", ["C"]), grid.get("base_vintages", [ser.MAIN_TABLE]), nationals):
        if base >= end or (vintage != ser.MAIN_TABLE and base not in older_years):
            continue
        specs.append({"claim_id": claim.id,
                      "spec_id": f"{sbi}|{base}({vintage})-{end}|{national}",
                      "family": "CBS change", "source": "CBS", "series": sbi, "base_year": base,
                      "end_year": end, "base_vintage": vintage, "national": national})
    return specs


def _published_pairs(claim: Claim, ctx: Context, editions: Iterable[str], suffix: str,
                     family: str, counts: bool) -> list[dict[str, Any]]:
    specs = []
    for edition in editions:
        region_id, comp_id = f"{edition}_{suffix}_twente", f"{edition}_{suffix}_nl"
        if region_id not in ctx.figures.index:
            continue
        base, end = (int(y) for y in str(ctx.figures.at[region_id, "period"]).split("-"))
        specs.append({"claim_id": claim.id, "spec_id": f"published|{edition}", "family": family,
                      "source": f"published: {ctx.figures.at[region_id, 'publisher']}",
                      "series": "HTSM (Twente Index)" if "htsm" in suffix else "industry (Twente Index)",
                      "base_year": base, "end_year": end, "figures": (region_id, comp_id),
                      "annualise": family == "published trend", "counts": counts})
    return specs


def grid_industry_decline(claim: Claim, ctx: Context, base_year: int | None = None,
                          end_year: int | None = None) -> list[dict[str, Any]]:
    specs = _grid_changes(claim, ctx, base_year, end_year)
    # Twente Index industry figures start in 2007: context only (the claim says 'since 2010')
    return specs + _published_pairs(claim, ctx, claim.grid.get("context_published", []),
                                    "industry_growth", "published change", counts=False)


def grid_htsm_growth(claim: Claim, ctx: Context, base_year: int | None = None,
                     end_year: int | None = None) -> list[dict[str, Any]]:
    return (_published_pairs(claim, ctx, claim.grid.get("published", []), "htsm_growth",
                             "published change", counts=True)
            + _grid_changes(claim, ctx, base_year, end_year))


def grid_htsm_relative_jobs(claim: Claim, ctx: Context, base_year: int | None = None,
                            end_year: int | None = None) -> list[dict[str, Any]]:
    grid = claim.grid
    growth = float(grid.get("region_growth", 3.0))
    specs = []
    for level in grid.get("base_levels", []):
        specs.append({"claim_id": claim.id, "spec_id": f"absolute|{level}",
                      "family": "published gain", "source": "published", "reading": "absolute",
                      "base_level": level, "national_growth": "", "region_growth": growth})
        for national in grid.get("national_growth", []):
            specs.append({"claim_id": claim.id, "spec_id": f"relative|{level}|{national}",
                          "family": "published gain", "source": "published",
                          "reading": "relative", "base_level": level, "national_growth": national,
                          "region_growth": growth})
    nationals = ["total", "like-for-like"] if ctx.comparator == ser.NATIONAL else ["total"]
    for reading, sbi, end in itertools.product(grid.get("readings", []),
                                               grid.get("proxy_series", []),
                                               _years(grid.get("proxy_end_years", []), end_year)):
        for national in (nationals if reading == "relative" else ["total"]):
            base = base_year or 2010
            specs.append({"claim_id": claim.id, "spec_id": f"proxy-{reading}|{sbi}|{base}-{end}|"
                          f"{national}", "family": "proxy gain", "source": "CBS",
                          "reading": reading, "series": sbi, "base_year": base, "end_year": end,
                          "base_vintage": ser.MAIN_TABLE, "national": national})
    return specs


def grid_tech_sector_growth(claim: Claim, ctx: Context, base_year: int | None = None,
                            end_year: int | None = None) -> list[dict[str, Any]]:
    grid = claim.grid
    specs = _published_pairs(claim, ctx, grid.get("published", []), "htsm_growth",
                             "published trend", counts=True)
    periods = [tuple(p) for p in grid.get("periods", [])]
    if base_year is not None or end_year is not None:
        periods.append((base_year or 2010, end_year or max(ctx.reference_years)))
    nationals = list(grid.get("national", ["total"])) if ctx.comparator == ser.NATIONAL else ["total"]
    for sbi, (start, end), national in itertools.product(grid.get("series", []),
                                                         dict.fromkeys(periods), nationals):
        specs.append({"claim_id": claim.id, "spec_id": f"{sbi}|{start}-{end}|{national}",
                      "family": "CBS trend", "source": "CBS", "series": sbi, "base_year": start,
                      "end_year": end, "national": national})
    return specs


def grid_technical_students(claim: Claim, ctx: Context, base_year: int | None = None,
                            end_year: int | None = None) -> list[dict[str, Any]]:
    enrolment = ctx.enrolment
    specs = []
    pooled = "+".join(claim.extra["institutions"])
    for institutions, locations, sectors in itertools.product(
            claim.grid.get("institution_sets", [claim.extra["institutions"]]),
            claim.grid.get("locations", ["all"]), claim.extra.get("sector_variants", [["techniek"]])):
        rows = enrolment[enrolment["institution_code"].isin(institutions)]
        if not _sectors_differ(rows, sectors, claim.extra.get("sectors", ["techniek"])):
            continue  # e.g. techniek+natuur where these institutions teach nothing in natuur
        coverage = rows.groupby(["institution_code", "year"])["edition"].unique()
        years = sorted(set(rows["year"]))
        for year in years:
            per_institution = [list(coverage.get((i, year), [])) for i in institutions]
            if any(not e for e in per_institution):
                continue  # an institution without data that year
            for combo in itertools.product(*[sorted(e) for e in per_institution]):
                edition = " + ".join(combo)
                key = "+".join(institutions)
                specs.append({"claim_id": claim.id,
                              "spec_id": f"{key}|{locations}|{'+'.join(sectors)}|{year}|{edition}",
                              "family": "DUO share", "source": "DUO", "institutions": key,
                              "locations": locations, "sectors": "+".join(sectors), "year": year,
                              "edition": edition, "counts": key == pooled})
    return specs


def _sectors_differ(rows: pd.DataFrame, sectors: list[str], default: list[str]) -> bool:
    """A sector variant is a distinct specification only if its extra sectors have students."""
    extra = set(sectors) - set(default)
    return not extra or bool(rows.loc[rows["croho_sector"].isin(extra), "students"].fillna(0).sum())


def dropped_sector_variants(claim: Claim, enrolment: pd.DataFrame) -> list[str]:
    """Sector variants of the student claim left out because they change nothing (and why)."""
    default = claim.extra.get("sectors", ["techniek"])
    notes = []
    for sectors in claim.extra.get("sector_variants", []):
        for institutions in claim.grid.get("institution_sets", []):
            rows = enrolment[enrolment["institution_code"].isin(institutions)]
            if not _sectors_differ(rows, sectors, default):
                extra = sorted(set(sectors) - set(default))
                notes.append(f"{'+'.join(sectors)} for {'+'.join(institutions)}: no students in "
                             f"CROHO {', '.join(extra)}, identical to {'+'.join(default)}")
    return notes


GRIDS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "industry-decline": grid_industry_decline,
    "htsm-growth": grid_htsm_growth,
    "htsm-relative-jobs": grid_htsm_relative_jobs,
    "technical-students": grid_technical_students,
    "tech-sector-growth": grid_tech_sector_growth,
}


def make_context(jobs: pd.DataFrame | None = None, enrolment: pd.DataFrame | None = None, *,
                 region: str = "CR12", comparator: str = ser.NATIONAL,
                 figures: pd.DataFrame | None = None,
                 reference_years: Iterable[int] | None = None) -> Context:
    """A :class:`Context`; region codes are checked against the jobs table when there is one."""
    if jobs is not None:
        ser.check_region(jobs, region, ser.MAIN_TABLE)
        ser.check_region(jobs, comparator, ser.MAIN_TABLE)
    years = tuple(reference_years or load_meta().get("reference_years", (2015, 2016, 2017)))
    return Context(jobs=jobs, enrolment=enrolment,
                   figures=figures if figures is not None else ser.load_published_figures(),
                   region=region, comparator=comparator, reference_years=years)


def grid_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records -> the spec-grid table with a fixed column order and nullable booleans."""
    if not records:
        return pd.DataFrame(columns=[*LEADING, *TRAILING])
    frame = pd.DataFrame.from_records(records)
    choices = [c for c in frame.columns if c not in LEADING and c not in TRAILING]
    frame = frame[[*LEADING, *choices, *TRAILING]]
    for column in ("holds", "direction_holds"):
        frame[column] = frame[column].astype("boolean")
    return frame.drop(columns=[c for c in ("figures", "annualise") if c in frame.columns])


def spec_grid(
    claim_id: str,
    jobs: pd.DataFrame | None = None,
    enrolment: pd.DataFrame | None = None,
    *,
    region: str = "CR12",
    comparator: str = ser.NATIONAL,
    base_year: int | None = None,
    end_year: int | None = None,
    figures: pd.DataFrame | None = None,
    context: Context | None = None,
) -> pd.DataFrame:
    """Every specification of the claim's stress test, evaluated; one row each.

    Columns: ``claim_id, spec_id, family``, the choices (e.g. ``series, base_year, end_year,
    base_vintage, national`` or ``institutions, locations, sectors, year, edition``), then
    ``region, comparator, region_value, comparator_value, value, unit, coverage, evaluable,
    holds, direction_holds, counts, note, arithmetic``. ``holds`` is NA where the specification
    cannot be evaluated (``note`` says why). ``base_year``/``end_year`` add those years to the
    grid's own. A claim without a grid (participation) gives an empty table.
    """
    claim = get_claim(claim_id)
    if claim_id not in GRIDS:
        return grid_frame([])
    ctx = context or make_context(jobs, enrolment, region=region, comparator=comparator,
                                  figures=figures)
    needs = "enrolment" if claim_id == "technical-students" else "jobs"
    if getattr(ctx, needs) is None:
        raise ValueError(f"spec_grid({claim_id!r}) needs the {needs} table")
    specs = GRIDS[claim_id](claim, ctx, base_year, end_year)
    return grid_frame([evaluate_spec(ctx, claim, spec) for spec in specs])


def grid_counts(grid: pd.DataFrame) -> dict[str, int]:
    """How many specifications count for the verdict, hold, and hold in direction."""
    counted = grid[grid["counts"].astype(bool)] if len(grid) else grid
    direction = counted["direction_holds"] if len(counted) else pd.Series(dtype="boolean")
    return {
        "n_rows": len(grid),
        "n_evaluable": int(grid["evaluable"].sum()) if len(grid) else 0,
        "n_specs": len(counted),
        "n_holds": int(counted["holds"].fillna(False).sum()) if len(counted) else 0,
        "n_direction": (int(direction.fillna(False).sum())
                        if len(counted) and direction.notna().any() else -1),
    }


# --- placebo ranks ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PlaceboResult:
    """The focal region's metric against the same metric in every COROP region.

    ``p_value`` = (number of *other* regions at least as extreme + 1) / (number of other regions
    + 1), which equals (regions at least as extreme, the focal one included) / (all regions): the
    permutation p-value of a one-region "treatment". ``rank`` 1 = most extreme.
    """

    region: str
    region_name: str
    label: str
    value: float
    metric: pd.Series  # region code -> metric, most extreme first
    rank: int
    n_regions: int
    p_value: float
    alternative: str
    excluded: dict[str, str] = field(default_factory=dict)
    method: str = ""

    @property
    def explanation(self) -> str:
        side = {"greater": "highest", "less": "lowest", "two-sided": "most extreme"}[self.alternative]
        skipped = (f" {len(self.excluded)} region(s) without a value were left out."
                   if self.excluded else "")
        return (f"{self.region_name} ranks {self.rank} of {self.n_regions} COROP regions on "
                f"{self.label} ({self.value:.2f}; 1 = {side}); permutation p = "
                f"{self.p_value:.3f} ((k+1)/(n+1) with k of the n other regions at least as "
                f"extreme).{skipped}")

    def to_dict(self) -> dict[str, object]:
        return {"region": self.region, "label": self.label, "value": self.value,
                "rank": self.rank, "n_regions": self.n_regions, "p_value": self.p_value,
                "alternative": self.alternative}


def placebo_rank(
    jobs: pd.DataFrame,
    metric_fn: Callable[[pd.DataFrame, str], float],
    region: str,
    *,
    regions: Iterable[str] | None = None,
    alternative: str = "greater",
    label: str = "the metric",
) -> PlaceboResult:
    """Compute ``metric_fn(jobs, code)`` for every COROP region and rank ``region`` among them.

    ``alternative``: "greater" (large values are extreme), "less", or "two-sided" (distance from
    the median of all regions). Regions whose metric is NaN or raises ValueError are left out and
    listed in ``excluded``. Deterministic: no random permutations, every region is one placebo.
    """
    if alternative not in ("greater", "less", "two-sided"):
        raise ValueError(f"alternative must be greater, less or two-sided, got {alternative!r}")
    names = ser.corop_regions(jobs)
    codes = list(regions) if regions is not None else list(names)
    if region not in codes:
        raise ValueError(f"focal region {region!r} is not among the regions compared: "
                         + "; ".join(f"{c} {names.get(c, c)}" for c in codes))
    values: dict[str, float] = {}
    excluded: dict[str, str] = {}
    for code in codes:
        try:
            value = float(metric_fn(jobs, code))
        except ValueError as exc:
            excluded[code] = str(exc)
            continue
        if math.isnan(value):
            excluded[code] = "no value"
        else:
            values[code] = value
    if region not in values:
        raise ValueError(f"the metric has no value for the focal region {region}: "
                         f"{excluded.get(region, 'no value')}")
    metric = pd.Series(values, dtype=float)
    if alternative == "greater":
        extremeness = metric
    elif alternative == "less":
        extremeness = -metric
    else:
        extremeness = (metric - float(np.median(metric))).abs()
    focal = float(extremeness[region])
    at_least = int((extremeness >= focal - EPS).sum())  # focal region included
    rank = int((extremeness > focal + EPS).sum()) + 1
    order = extremeness.sort_values(ascending=False, kind="mergesort").index
    return PlaceboResult(
        region=region, region_name=ser.short_name(names.get(region, region)), label=label,
        value=float(metric[region]), metric=metric.loc[order], rank=rank,
        n_regions=len(metric), p_value=at_least / len(metric), alternative=alternative,
        excluded=excluded,
        method=("every COROP region as a placebo; p = (k+1)/(n+1), k = other regions at least "
                "as extreme, n = other regions (ties count as at least as extreme)"),
    )


def change_metric(sbi: str, base: int, end: int) -> Callable[[pd.DataFrame, str], float]:
    """Percent change of a region's SBI series from ``base`` to ``end`` (NaN if suppressed)."""
    def metric(jobs: pd.DataFrame, region: str) -> float:
        values = ser.jobs_series(jobs, region, sbi)
        if pd.isna(values.get(base)) or pd.isna(values.get(end)):
            return math.nan
        return 100.0 * (float(values[end]) / float(values[base]) - 1.0)
    return metric


def trend_metric(sbi: str, start: int, end: int) -> Callable[[pd.DataFrame, str], float]:
    """Average annual growth (log-linear slope, %) of a region's SBI series over a period."""
    def metric(jobs: pd.DataFrame, region: str) -> float:
        window = ser.jobs_series(jobs, region, sbi).loc[start:end].dropna()
        if len(window) < trends.MIN_POINTS:
            return math.nan
        slope = np.polyfit(np.asarray(window.index, dtype=float), np.log(window.to_numpy()), 1)[0]
        return 100.0 * math.expm1(slope)
    return metric
