"""Where does the region stand among the 40 COROP regions? Percentile ranks, raw and standardised.

Nothing is permuted: every COROP region is one "placebo", and the region's place among them is a
**percentile rank** (the share of regions whose metric is at least as extreme, the region itself
included), not a p-value of an experiment. Two ranks stand side by side:

- the **raw rank** of the claim's own metric (the percent change from ``base_year`` to
  ``end_year``, or the average annual growth over those years);
- the **standardised rank**, in the spirit of the RMSPE ratio of synthetic-control placebos
  (Abadie, Diamond & Hainmueller 2010): each region's departure from the rest of the nation
  (the nation minus that region) divided by the region's own year-to-year volatility against the
  rest of the nation in the pre-period. Small regions have noisier rates; the standardised rank
  asks whether the region's departure is unusual *for a region that noisy*. For ``change``:
  ``z = (ln(y_end / y_base) - ln(R_end / R_base)) / (s * sqrt(end - base))`` with ``s`` the
  standard deviation of the yearly change of ``ln(y / R)`` over the pre-period; for ``trend``:
  the slope of ``ln(y / R)`` over the years divided by its OLS standard error.

Regions whose metric cannot be computed because CBS suppressed a cell are not silently dropped:
they are listed with the reason, their metric is bounded by the SBI hierarchy of their own cells
where possible (:func:`analysis.engine.trend.series.hierarchy_bounds`), and the region's rank is
given with them in the best and the worst case (a region without a bound counts only in the worst).

Public API
----------
``placebo_ranks(region, sbi, base_year, end_year, *, metric="change" | "trend",
alternative="less" | "greater" | "two-sided", concept="employee_jobs", jobs=None, accounts=None,
source_table=None, volatility_years=None, vintage=None) -> PlaceboRanks`` with ``values``,
``scores``, ``rank``, ``percentile``, ``standardised_rank``, ``standardised_percentile``,
``n_compared``, ``n_total``, ``dropped`` (region -> Text), ``bounds``, ``rank_best``,
``rank_worst``, ``percentile_best``, ``percentile_worst``, ``explanation``, ``table()``,
``plot_data()``, ``to_json()``.
``departure_ranks(region, sbi, first_year, cutoff_year, last_year, *, alternative, jobs, ...)
-> DepartureRanks`` (ex post, :mod:`analysis.engine.trend.departure`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.engine import series as ser
from analysis.engine.trend import series as ts
from analysis.engine.trend.panel import MIN_TREND_POINTS, accounts_panel, jobs_panel, rest_totals
from analysis.engine.trend.stats import fitted_line
from analysis.i18n import Num, Text
from analysis.stats import placebo as stats_placebo

METRICS: tuple[str, ...] = ("change", "trend")
ALTERNATIVES: tuple[str, ...] = ("less", "greater", "two-sided")


@dataclass(frozen=True, eq=False)
class PlaceboRanks:
    """The region's percentile ranks among the COROP regions (module docstring).

    ``values``: region code -> raw metric (percent, or percent a year) of every region compared;
    ``scores``: region code -> standardised score. ``rank`` = regions at least as extreme in the
    direction of ``alternative``, the region included (1 = most extreme; ties count against the
    region); ``percentile`` = 100 x rank / regions compared (:func:`stats.placebo.percentile_rank`). ``dropped``: region -> why it has no metric; ``bounds``: region -> (low,
    high) of its metric from the SBI hierarchy where one exists. ``rank_best``/``rank_worst`` (and
    the percentiles) count the dropped regions too, among ``n_total`` regions.
    """

    region: str
    region_name: str
    concept: str
    sbi: str
    metric: str
    base_year: int
    end_year: int
    volatility_years: tuple[int, int]
    alternative: str
    values: pd.Series
    scores: pd.Series
    names: dict[str, str]
    rank: int
    percentile: float
    standardised_rank: int | None
    standardised_percentile: float | None
    n_total: int
    dropped: dict[str, Text] = field(default_factory=dict)
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    rank_best: int = 0
    rank_worst: int = 0
    percentile_best: float = math.nan
    percentile_worst: float = math.nan
    standardised_rank_best: int | None = None
    standardised_rank_worst: int | None = None
    real_time: bool | None = None  # the metric uses only years knowable at the claim's date
    explanation: tuple[Text, ...] = ()

    @property
    def n_compared(self) -> int:
        return len(self.values)

    def table(self) -> pd.DataFrame:
        """One row per COROP region: ``region_code, region_name, value, score, low, high,
        dropped, focal`` (values rounded to one decimal), most extreme raw value first."""
        rows = []
        for code, name in self.names.items():
            low, high = self.bounds.get(code, (math.nan, math.nan))
            rows.append({"region_code": code, "region_name": name,
                         "value": _round(self.values.get(code, math.nan)),
                         "score": _round(self.scores.get(code, math.nan), 2),
                         "low": _round(low), "high": _round(high),
                         "dropped": code in self.dropped, "focal": code == self.region})
        frame = pd.DataFrame(rows)
        order = _extremeness(frame["value"].astype(float), self.alternative).fillna(-math.inf)
        return frame.assign(_o=order).sort_values(["_o", "region_code"], ascending=[False, True],
                                                  kind="mergesort").drop(columns="_o") \
            .reset_index(drop=True)

    def plot_data(self) -> pd.DataFrame:
        """The plotted numbers: ``region_code, region_name, series (raw|standardised), value,
        band_low, band_high, focal`` (bands: the hierarchy bounds of dropped regions)."""
        table = self.table()
        raw = table.assign(series="raw").rename(columns={"low": "band_low", "high": "band_high"})
        standard = table.assign(series="standardised", value=table["score"], band_low=math.nan,
                                band_high=math.nan)
        columns = ["region_code", "region_name", "series", "value", "band_low", "band_high",
                   "focal"]
        return pd.concat([raw[columns], standard[columns]], ignore_index=True)

    def to_json(self) -> dict[str, object]:
        return {"region": self.region, "concept": self.concept, "sbi": self.sbi,
                "metric": self.metric, "base_year": self.base_year, "end_year": self.end_year,
                "alternative": self.alternative, "value": _round(self.values[self.region]),
                "rank": self.rank, "percentile": _round(self.percentile),
                "n_compared": self.n_compared, "n_total": self.n_total,
                "standardised_rank": self.standardised_rank,
                "standardised_percentile": _round(self.standardised_percentile),
                "rank_best": self.rank_best, "rank_worst": self.rank_worst,
                "real_time": self.real_time,
                "dropped": {k: v.to_json() for k, v in self.dropped.items()},
                "explanation": [t.to_json() for t in self.explanation]}


def _round(value: float | None, decimals: int = 1) -> float:
    return round(float(value), decimals) if value is not None and not math.isnan(float(value)) else math.nan


def _extremeness(values: pd.Series, alternative: str) -> pd.Series:
    if alternative == "greater":
        return values
    if alternative == "less":
        return -values
    return (values - float(np.nanmedian(values))).abs()


# --- metrics -------------------------------------------------------------------------------------------


def _raw_metric(series: pd.Series, metric: str, base: int, end: int) -> float:
    if metric == "change":
        first, last = series.get(base), series.get(end)
        if pd.isna(first) or pd.isna(last):
            return math.nan
        return 100.0 * (float(last) / float(first) - 1.0)
    window = series.loc[base:end].dropna()
    if len(window) < MIN_TREND_POINTS:
        return math.nan
    first = float(window.index[0])  # the OLS line of the trend models, one year apart: its slope
    line = fitted_line(np.log(window.astype(float)), at=np.array([first, first + 1.0]))
    return 100.0 * math.expm1(line[1] - line[0])


def _score(gap: pd.Series, metric: str, base: int, end: int, vol_years: tuple[int, int]) -> float:
    """Standardised departure from the rest of the nation (module docstring); NaN if not possible."""
    if metric == "change":
        if pd.isna(gap.get(base)) or pd.isna(gap.get(end)):
            return math.nan
        steps = gap.loc[vol_years[0]:vol_years[1]]
        steps = steps.diff().dropna()
        if len(steps) < 2:
            return math.nan
        spread = float(steps.std(ddof=1))
        departure = float(gap[end] - gap[base])
        return departure / (spread * math.sqrt(end - base)) if spread > 0 else math.nan
    window = gap.loc[base:end].dropna()
    if len(window) < MIN_TREND_POINTS:
        return math.nan
    x = window.index.to_numpy(dtype=float)
    x = x - x.mean()
    y = window.to_numpy(dtype=float)
    slope = float(x @ (y - y.mean()) / (x @ x))
    residuals = y - y.mean() - slope * x
    se = math.sqrt(float(residuals @ residuals) / (len(y) - 2) / float(x @ x))
    return slope / se if se > 0 else math.nan


def _metric_bounds(series: pd.Series, code: str, metric: str, base: int, end: int,
                   bounds: dict[tuple[str, int], tuple[float, float]]) -> tuple[float, float] | None:
    """Bounds of a change whose base or end cell is suppressed; None if not bounded."""
    if metric != "change":
        return None
    ends = []
    for year in (base, end):
        value = series.get(year)
        if pd.notna(value):
            ends.append((float(value), float(value)))
        else:
            ends.append(bounds.get((code, year), (math.nan, math.nan)))
    (b_low, b_high), (e_low, e_high) = ends
    if not all(math.isfinite(v) for v in (b_low, b_high, e_low, e_high)) or b_low <= 0:
        return None
    return (100.0 * (e_low / b_high - 1.0), 100.0 * (e_high / b_low - 1.0))


def placebo_ranks(
    region: str,
    sbi: str,
    base_year: int,
    end_year: int,
    *,
    metric: str = "change",
    alternative: str = "less",
    concept: str = "employee_jobs",
    jobs: pd.DataFrame | None = None,
    accounts: pd.DataFrame | None = None,
    source_table: str | None = None,
    volatility_years: tuple[int, int] | None = None,
    vintage: str | None = None,
    cutoff_year: int | None = None,
) -> PlaceboRanks:
    """Rank ``region`` among the COROP regions on a metric of ``sbi`` (module docstring).

    ``volatility_years``: the pre-period whose year-to-year volatility standardises the scores
    (default ``base_year``..``end_year``; pass the claim's pre-period, e.g. (2010, 2016)).
    ``vintage``: the release of the jobs table (default: the one covering the latest year).
    ``cutoff_year``: the last year knowable at the claim's date; then the volatility comes from
    ``base_year``..``cutoff_year`` (the claim's pre-period) unless given, and ``real_time`` says
    whether the metric itself uses only knowable years.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}: use one of {', '.join(METRICS)}")
    if alternative not in ALTERNATIVES:
        raise ValueError(f"unknown alternative {alternative!r}: use one of "
                         f"{', '.join(ALTERNATIVES)}")
    if end_year <= base_year:
        raise ValueError(f"end year {end_year} must lie after the base year {base_year}")
    if cutoff_year is not None and cutoff_year <= base_year:
        raise ValueError(f"the cutoff year {cutoff_year} must lie after the base year {base_year}")
    vol = tuple(volatility_years or (base_year, end_year if cutoff_year is None else cutoff_year))
    years = list(range(min(base_year, vol[0]), max(end_year, vol[1]) + 1))
    if concept == "employee_jobs":
        if jobs is None:
            raise ValueError("employee jobs need the jobs table (data/processed/jobs.csv)")
        table = source_table or ser.MAIN_TABLE
        panel = jobs_panel(ts.one_vintage(jobs, table, vintage), sbi, years, table)
    elif concept in ("labour_volume", "labour_volume_employees"):
        if accounts is None or source_table is None:
            raise ValueError("labour volume needs the regional accounts table and source_table "
                             f"(one of {', '.join(ts.ACCOUNTS_TABLES)})")
        measure = "labour_volume_total" if concept == "labour_volume" else "labour_volume_employees"
        panel = accounts_panel(accounts, sbi, years, source_table, measure)
    else:
        raise ValueError(f"unknown concept {concept!r}: use one of {', '.join(ts.CONCEPTS)}")
    if region not in panel.names:
        raise ValueError(f"{region!r} is not a COROP region here; regions: "
                         + "; ".join(f"{c} {n}" for c, n in panel.names.items()))
    totals = rest_totals(panel)
    values, scores = {}, {}
    dropped: dict[str, Text] = {}
    bounds: dict[str, tuple[float, float]] = {}
    unbounded: list[str] = []
    partial: dict[str, str] = {}  # trend metric: region -> suppressed years left out of its line
    for code, name in panel.names.items():
        own = panel.values[code]
        value = _raw_metric(own, metric, base_year, end_year)
        if math.isnan(value):
            missing = [y for y in (range(base_year, end_year + 1) if metric == "trend"
                                   else (base_year, end_year)) if pd.isna(own.get(y))]
            dropped[code] = Text("placebo.dropped", {
                "region": name, "years": ", ".join(str(y) for y in missing)})
            limits = _metric_bounds(own, code, metric, base_year, end_year, panel.bounds)
            if limits is None:
                unbounded.append(code)
            else:
                bounds[code] = limits
            continue
        values[code] = value
        if metric == "trend":
            gaps = [y for y in range(base_year, end_year + 1) if pd.isna(own.get(y))]
            if gaps:
                partial[code] = ", ".join(str(y) for y in gaps)
        gap = np.log(own) - np.log(totals - own)
        scores[code] = _score(gap, metric, base_year, end_year, vol)
    if region not in values:
        raise ValueError(f"the metric has no value for {region} ({panel.names[region]}): "
                         f"{dropped[region].render('en')}")
    value_series = pd.Series(values, dtype=float)
    score_series = pd.Series(scores, dtype=float).dropna()
    reasons = {code: text.render("en") for code, text in dropped.items()}
    one_sided = alternative != "two-sided"
    raw = stats_placebo.percentile_rank(value_series.to_dict() | dict.fromkeys(dropped, math.nan),
                                        region, alternative=alternative, dropped=reasons,
                                        bounds=bounds if one_sided else None)
    if region in score_series.index:
        no_score = {code: "no standardised score" for code in panel.names
                    if code not in score_series.index}
        standard = stats_placebo.percentile_rank(
            score_series.to_dict() | dict.fromkeys(no_score, math.nan), region,
            alternative=alternative, dropped=no_score)
        s_rank, s_pct = standard.rank, 100.0 * standard.percentile_rank
        s_best, s_worst = standard.best_rank, standard.worst_rank
    else:
        s_rank = s_pct = s_best = s_worst = None
    rank, percentile = raw.rank, 100.0 * raw.percentile_rank
    rank_best, rank_worst = raw.best_rank, raw.worst_rank
    pct_best = 100.0 * raw.best_percentile_rank
    pct_worst = 100.0 * raw.worst_percentile_rank
    if not one_sided:
        bounds = {}  # a two-sided centre moves with the unknown values: no bounds, see stats
    result = PlaceboRanks(
        region=region, region_name=panel.names[region], concept=concept, sbi=sbi, metric=metric,
        base_year=int(base_year), end_year=int(end_year), volatility_years=(vol[0], vol[1]),
        alternative=alternative, values=value_series, scores=score_series, names=panel.names,
        rank=rank, percentile=percentile, standardised_rank=s_rank,
        standardised_percentile=s_pct, n_total=len(panel.names), dropped=dropped, bounds=bounds,
        rank_best=rank_best, rank_worst=rank_worst, percentile_best=pct_best,
        percentile_worst=pct_worst, standardised_rank_best=s_best,
        standardised_rank_worst=s_worst,
        real_time=None if cutoff_year is None else end_year <= cutoff_year)
    texts = _texts(result)
    if partial:
        texts += (Text("placebo.partial", {"regions": "; ".join(
            f"{panel.names[c]} ({years})" for c, years in partial.items())}),)
    return PlaceboRanks(**{**result.__dict__, "explanation": texts})


# --- texts -------------------------------------------------------------------------------------------


def _texts(result: PlaceboRanks) -> tuple[Text, ...]:
    metric = Text(f"placebo.metric.{result.metric}", {
        "concept": Text(f"trends.concept.{result.concept}"), "sbi": result.sbi,
        "base": Num(result.base_year, "year"), "end": Num(result.end_year, "year")})
    side = Text(f"placebo.side.{result.alternative}")
    texts = [Text("placebo.raw", {
        "region": result.region_name, "metric": metric,
        "value": Num(_round(result.values[result.region]), "percent", 1, signed=True),
        "rank": result.rank, "n": result.n_compared, "side": side,
        "percentile": Num(_round(result.percentile), "percent", 0)})]
    if result.standardised_rank is not None:
        texts.append(Text("placebo.standardised", {
            "region": result.region_name, "rank": result.standardised_rank,
            "n": len(result.scores), "side": side,
            "percentile": Num(_round(result.standardised_percentile), "percent", 0),
            "score": Num(_round(result.scores[result.region], 2), decimals=2, signed=True),
            "first": Num(result.volatility_years[0], "year"),
            "last": Num(result.volatility_years[1], "year")}))
    texts.append(Text("placebo.what"))
    if result.dropped:
        texts.append(Text("placebo.dropped_summary", {
            "n": len(result.dropped), "regions": ", ".join(
                result.names[c] for c in result.dropped),
            "n_bounded": len(result.bounds), "best": result.rank_best,
            "worst": result.rank_worst, "total": result.n_total}))
        texts.extend(result.dropped.values())
    return tuple(texts)


# the ex-post departure ranks live in their own module; re-exported so the placebo API is one place
from analysis.engine.trend.departure import DepartureRanks, departure_ranks  # noqa: F401
