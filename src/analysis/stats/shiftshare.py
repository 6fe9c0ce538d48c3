"""Shift-share decomposition of a region's employment change against a comparator.

The change of the region's employment in each sector *i* from base year 0 to end year *t* is
split into three parts (classic shift-share, Dunn 1960)::

    national growth effect  = E_i0 * g            (the comparator's total growth rate g)
    industry mix effect     = E_i0 * (g_i - g)    (comparator sector growth g_i above/below g)
    regional effect         = E_it - E_i0 - E_i0 * g_i
                            = E_i0 * (r_i - g_i)  (region sector growth r_i vs comparator's g_i)

The three parts add up to the actual change ``E_it - E_i0`` exactly: the regional effect is
computed as the remainder, which also keeps it defined for sectors with zero base employment.
The *dynamic* variant (Barff & Knight 1988) applies the same split to every year-on-year step and
sums the steps, so that the weights follow the changing sector structure.

Data representation
-------------------
Employment by sector is a **wide DataFrame: one row per sector (index = sector code), one column
per year (integer column labels)**, values = employment (e.g. jobs). A **Series indexed by year**
is a single sector. Then use :func:`single_sector`, which takes the comparator's all-industry
total, so that the three labels mean what they say: national growth effect ``E0 * g_all``,
industry mix ``E0 * (g_sector - g_all)``, regional ``E0 * (r - g_sector)`` (the region's change
minus the change at the sector's national rate: "relatively almost 1,800 jobs"). Without a total
(``classic`` on two Series) ``g`` is the sector's own national rate and the mix effect is 0;
``national_rate`` on the result says which rate was used. :func:`wide_by_sector` turns a long table such as ``data/processed/jobs.csv`` (one region)
into the wide form.

Sectors must not overlap (do not pass both SBI ``C`` and its parent ``B-E``); the comparator must
have the same sectors as the region. The comparator usually is the nation, which contains the
region; a "rest of the country" comparator (:func:`analysis.stats.growth.rest_of`, nation minus
region) avoids that overlap. The Esteban-Marquillas homothetic split of the regional effect is in
:mod:`analysis.stats.homothetic`.

Public API: ``classic``/``dynamic(region, comparator, base, end, *, comparator_total=None,
region_name, comparator_name, unit) -> ShiftShare``; ``single_sector(region, comparator_sector,
comparator_all_industries, base, end, *, method="classic", ...) -> ShiftShare``;
``wide_by_sector(long, *, sector, year, value)``; ``ShiftShare.components`` keys: COMPONENTS.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from analysis.stats.growth import describe_years, format_percent, format_signed

COMPONENTS = ("national_growth_effect", "industry_mix_effect", "regional_effect", "actual_change")
SINGLE_SECTOR = "total"  # row label for a Series input without a name


@dataclass(frozen=True, eq=False)  # eq=False: holds DataFrames, which have no plain equality
class ShiftShare:
    """Result of a shift-share decomposition.

    ``components`` holds the totals over all sectors (keys in :data:`COMPONENTS`);
    ``by_sector`` one row per sector with base and end employment, growth rates over the whole
    period and the three effects; ``by_period`` one row per step (a single row for ``classic``,
    one row per year-on-year step for ``dynamic``) with the component totals.
    """

    method: str  # "classic" or "dynamic"
    base_year: int
    end_year: int
    years: tuple[int, ...]  # years used (classic: base and end; dynamic: every step)
    components: dict[str, float]
    by_sector: pd.DataFrame
    by_period: pd.DataFrame
    comparator_growth_pct: float  # the comparator's total growth from base to end year
    region_name: str = "the region"
    comparator_name: str = "the comparator"
    unit: str = "jobs"
    national_rate: str = "the sectors given"  # or "all industries": whose growth g is

    @property
    def actual_change(self) -> float:
        return self.components["actual_change"]

    @property
    def national_growth_effect(self) -> float:
        return self.components["national_growth_effect"]

    @property
    def industry_mix_effect(self) -> float:
        return self.components["industry_mix_effect"]

    @property
    def regional_effect(self) -> float:
        return self.components["regional_effect"]

    @property
    def expected_change(self) -> float:
        """The change the region would have had if each sector grew as in the comparator."""
        return self.national_growth_effect + self.industry_mix_effect

    @property
    def region_growth_pct(self) -> float:
        base = float(self.by_sector["base_employment"].sum())
        return 100.0 * self.actual_change / base if base else float("nan")

    def to_dict(self) -> dict[str, object]:
        """Totals and labels as plain Python values (one row of a summary table)."""
        return {
            "method": self.method,
            "base_year": self.base_year,
            "end_year": self.end_year,
            "region": self.region_name,
            "comparator": self.comparator_name,
            **{name: float(value) for name, value in self.components.items()},
            "region_growth_pct": float(self.region_growth_pct),
            "comparator_growth_pct": float(self.comparator_growth_pct),
            "national_rate": self.national_rate,
        }

    def summary_text(self) -> str:
        """One or two plain sentences for a policy reader."""
        unit = f" {self.unit}" if self.unit else ""
        period = f"from {self.base_year} to {self.end_year}"
        dynamic = ""
        if self.method == "dynamic":
            dynamic = " (year-by-year decomposition, summed over the years)"
        opening = (
            f"{_capital(period)}, employment in {self.region_name} changed by "
            f"{_count(self.actual_change)}{unit} ({format_percent(self.region_growth_pct)})."
        )
        if len(self.by_sector) == 1 and abs(self.industry_mix_effect) < 1e-9 * _scale(self):
            return (
                f"{opening} Had it grown at the rate of {self.comparator_name} "
                f"({format_percent(self.comparator_growth_pct)}), it would have changed by "
                f"{_count(self.expected_change)}; relative to {self.comparator_name} that is "
                f"{_count(self.regional_effect)}{unit} (regional effect){dynamic}."
            )
        direction = "better" if self.regional_effect >= 0 else "worse"
        return (
            f"{opening} At the overall growth rate of {self.comparator_name} "
            f"({format_percent(self.comparator_growth_pct)}) it would have changed by "
            f"{_count(self.national_growth_effect)} (national growth effect); its mix of sectors "
            f"adds {_count(self.industry_mix_effect)} (industry mix effect), and the remaining "
            f"{_count(self.regional_effect)} is the regional effect: {self.region_name}'s sectors "
            f"did {direction} than the same sectors in {self.comparator_name}{dynamic}."
        )


def _count(value: float) -> str:
    return format_signed(value, 0 if abs(value) >= 100 else 1)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _scale(result: ShiftShare) -> float:
    return max(1.0, float(result.by_sector["base_employment"].abs().sum()))


# --- inputs -------------------------------------------------------------------------------------


def wide_by_sector(
    long: pd.DataFrame,
    *,
    sector: str = "sbi_code",
    year: str = "year",
    value: str = "employee_jobs",
) -> pd.DataFrame:
    """A long table (one row per sector and year, one region) -> sector × year wide frame.

    Raises ValueError on duplicate (sector, year) rows, e.g. when two regions were left in.
    """
    duplicated = long.duplicated([sector, year], keep=False)
    if duplicated.any():
        pairs = long.loc[duplicated, [sector, year]].drop_duplicates().head(5)
        raise ValueError(
            "more than one row per sector and year (filter to one region and source table "
            f"first); e.g. {list(pairs.itertuples(index=False, name=None))}"
        )
    wide = long.pivot(index=sector, columns=year, values=value).astype(float)
    wide.columns = [int(c) for c in wide.columns]
    wide.columns.name = year
    return wide


def _as_wide(data: pd.DataFrame | pd.Series, role: str) -> pd.DataFrame:
    """Normalise an input to the sector × year frame (a Series is a single sector)."""
    if isinstance(data, pd.Series):
        name = data.name if data.name is not None else SINGLE_SECTOR
        data = data.to_frame(name=name).T
    elif not isinstance(data, pd.DataFrame):
        raise TypeError(f"{role}: expected a sector × year DataFrame or a year-indexed Series")
    if data.index.has_duplicates:
        raise ValueError(f"{role}: duplicate sectors {sorted(data.index[data.index.duplicated()])}")
    return data.astype(float)


def _check_cells(frame: pd.DataFrame, years: list[int], role: str) -> None:
    """Every sector needs a value in every year used; name the first gaps otherwise."""
    missing_years = [y for y in years if y not in frame.columns]
    if missing_years:
        have = [int(c) for c in frame.columns]
        raise ValueError(
            f"{role} has no column for {describe_years(missing_years)}; years available: "
            f"{describe_years(have)}"
        )
    block = frame[years]
    if block.isna().any().any():
        gaps = block.stack(future_stack=True)
        gaps = gaps[gaps.isna()].index[:5].tolist()
        raise ValueError(
            f"{role} has missing (NaN) employment for (sector, year) {gaps}; shift-share needs "
            "every sector in every year used (drop or merge suppressed sectors first)"
        )


def _prepare(
    region: pd.DataFrame | pd.Series,
    comparator: pd.DataFrame | pd.Series,
    comparator_total: pd.Series | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Align region and comparator sectors and pick the comparator total used for growth ``g``."""
    region_wide = _as_wide(region, "region")
    comparator_wide = _as_wide(comparator, "comparator")
    if isinstance(region, pd.Series) and isinstance(comparator, pd.Series):
        comparator_wide.index = region_wide.index  # single sector: names may differ
    if set(region_wide.index) != set(comparator_wide.index):
        only_region = sorted(map(str, set(region_wide.index) - set(comparator_wide.index)))
        only_comp = sorted(map(str, set(comparator_wide.index) - set(region_wide.index)))
        raise ValueError(
            f"region and comparator need the same sectors; only in region: {only_region}, "
            f"only in comparator: {only_comp}"
        )
    comparator_wide = comparator_wide.loc[region_wide.index]
    if comparator_total is None:
        total = comparator_wide.sum(axis=0, skipna=False)
    else:
        total = comparator_total.astype(float)
    return region_wide, comparator_wide, total


def _require_nonzero_base(values: pd.Series, year: int, what: str) -> None:
    """Growth from a zero base is undefined; name the sectors where the comparator has none."""
    zero = values.index[values == 0].tolist()
    if zero:
        raise ValueError(f"{what} is 0 in {year} for {zero}, so its growth rate is undefined")


# --- the decomposition ---------------------------------------------------------------------------


def _step(
    region: pd.DataFrame, comparator: pd.DataFrame, total: pd.Series, y0: int, y1: int
) -> pd.DataFrame:
    """Classic shift-share of one period y0 -> y1, one row per sector."""
    if total[y0] == 0:
        raise ValueError(f"the comparator total is 0 in {y0}, so its growth rate is undefined")
    _require_nonzero_base(comparator[y0], y0, "comparator employment")
    base = region[y0]
    total_growth = float(total[y1] / total[y0] - 1.0)
    sector_growth = comparator[y1] / comparator[y0] - 1.0
    actual = region[y1] - base
    national = base * total_growth
    mix = base * (sector_growth - total_growth)
    # regional effect as the remainder: exact additivity, defined even where base = 0
    regional = actual - base * sector_growth
    return pd.DataFrame(
        {
            "national_growth_effect": national,
            "industry_mix_effect": mix,
            "regional_effect": regional,
            "actual_change": actual,
        }
    )


def _by_sector_frame(
    region: pd.DataFrame, comparator: pd.DataFrame, effects: pd.DataFrame, base: int, end: int
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "base_employment": region[base],
            "end_employment": region[end],
            "region_growth_pct": 100.0 * (region[end] / region[base].where(region[base] != 0) - 1),
            "comparator_growth_pct": 100.0 * (comparator[end] / comparator[base] - 1),
        }
    )
    frame = frame.join(effects[list(COMPONENTS)])
    frame.index.name = "sector"
    return frame


def _period_row(effects: pd.DataFrame, y0: int, y1: int) -> dict[str, float | int]:
    return {"from_year": y0, "to_year": y1, **{c: float(effects[c].sum()) for c in COMPONENTS}}


def _check_years(base: int, end: int) -> None:
    if base >= end:
        raise ValueError(f"the base year ({base}) must come before the end year ({end})")


def classic(
    region: pd.DataFrame | pd.Series,
    comparator: pd.DataFrame | pd.Series,
    base: int,
    end: int,
    *,
    comparator_total: pd.Series | None = None,
    region_name: str = "the region",
    comparator_name: str = "the comparator",
    unit: str = "jobs",
) -> ShiftShare:
    """Classic shift-share of the region's change from ``base`` to ``end``.

    ``region`` and ``comparator``: sector × year frames with the same sectors, or two
    year-indexed Series (single sector). ``comparator_total`` (year-indexed) sets the comparator
    growth rate ``g`` of the national growth effect; by default it is the sum of the comparator's
    sectors. Pass the all-industries national total when the sectors are a subset of the economy
    (e.g. manufacturing only); the mix effect then measures how the subset grew against the whole.
    """
    _check_years(base, end)
    region_wide, comparator_wide, total = _prepare(region, comparator, comparator_total)
    years = [base, end]
    _check_cells(region_wide, years, "region")
    _check_cells(comparator_wide, years, "comparator")
    _check_cells(total.to_frame().T, years, "comparator total")
    effects = _step(region_wide, comparator_wide, total, base, end)
    return _result("classic", region_wide, comparator_wide, total, effects, [(base, end)],
                   [base, end], [_period_row(effects, base, end)], region_name, comparator_name,
                   unit, _rate(comparator_total))


def dynamic(
    region: pd.DataFrame | pd.Series,
    comparator: pd.DataFrame | pd.Series,
    base: int,
    end: int,
    *,
    comparator_total: pd.Series | None = None,
    region_name: str = "the region",
    comparator_name: str = "the comparator",
    unit: str = "jobs",
) -> ShiftShare:
    """Dynamic shift-share: the classic split for every year-on-year step, summed.

    The steps run between consecutive years present in both inputs within ``[base, end]`` (a
    year missing from the columns is stepped over); every sector needs a value in each of them.
    Arguments as in :func:`classic`.
    """
    _check_years(base, end)
    region_wide, comparator_wide, total = _prepare(region, comparator, comparator_total)
    common = set(region_wide.columns) & set(comparator_wide.columns) & set(total.index)
    years = sorted(int(y) for y in common if base <= y <= end)
    for year in (base, end):
        if year not in years:
            years.append(year)  # let the checks below report it
    years = sorted(set(years))
    _check_cells(region_wide, years, "region")
    _check_cells(comparator_wide, years, "comparator")
    _check_cells(total.to_frame().T, years, "comparator total")
    steps = list(itertools.pairwise(years))
    step_effects = [_step(region_wide, comparator_wide, total, y0, y1) for y0, y1 in steps]
    effects = sum(step_effects[1:], start=step_effects[0])
    periods = [_period_row(e, y0, y1) for e, (y0, y1) in zip(step_effects, steps, strict=True)]
    return _result("dynamic", region_wide, comparator_wide, total, effects, steps, years,
                   periods, region_name, comparator_name, unit, _rate(comparator_total))


def _rate(comparator_total: pd.Series | None) -> str:
    return "the sectors given" if comparator_total is None else "all industries"


def _result(
    method: str,
    region: pd.DataFrame,
    comparator: pd.DataFrame,
    total: pd.Series,
    effects: pd.DataFrame,
    steps: list[tuple[int, int]],
    years: list[int],
    periods: list[dict[str, float | int]],
    region_name: str,
    comparator_name: str,
    unit: str,
    national_rate: str,
) -> ShiftShare:
    base, end = steps[0][0], steps[-1][1]
    components = {c: float(effects[c].sum()) for c in COMPONENTS}
    return ShiftShare(
        method=method,
        base_year=int(base),
        end_year=int(end),
        years=tuple(int(y) for y in years),
        components=components,
        by_sector=_by_sector_frame(region, comparator, effects, base, end),
        by_period=pd.DataFrame(periods),
        comparator_growth_pct=100.0 * (float(total[end]) / float(total[base]) - 1.0),
        region_name=region_name,
        comparator_name=comparator_name,
        unit=unit,
        national_rate=national_rate,
    )


def single_sector(
    region: pd.Series,
    comparator_sector: pd.Series,
    comparator_all_industries: pd.Series,
    base: int,
    end: int,
    *,
    method: str = "classic",
    region_name: str = "the region",
    comparator_name: str = "the comparator",
    unit: str = "jobs",
) -> ShiftShare:
    """One sector against the comparator's same sector, with ``g`` from all its industries.

    national growth effect = ``E0 * g_all``; industry mix = ``E0 * (g_sector - g_all)``;
    regional effect = ``E0 * (r - g_sector)``. ``method``: "classic" or "dynamic".
    """
    functions = {"classic": classic, "dynamic": dynamic}
    if method not in functions:
        raise ValueError(f"method must be 'classic' or 'dynamic', got {method!r}")
    return functions[method](region, comparator_sector, base, end,
                             comparator_total=comparator_all_industries, region_name=region_name,
                             comparator_name=comparator_name, unit=unit)
