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
where possible (:func:`analysis.engine.trend_series.hierarchy_bounds`), and the region's rank is
given with them in the best and the worst case (a region without a bound counts only in the worst).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.engine import series as ser
from analysis.engine import trend_series as ts
from analysis.i18n import Num, Text
from analysis.stats import placebo as stats_placebo

METRICS: tuple[str, ...] = ("change", "trend")
ALTERNATIVES: tuple[str, ...] = ("less", "greater", "two-sided")
MIN_TREND_POINTS = 4


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


# --- the COROP panel ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Panel:
    values: pd.DataFrame  # year x region code, NaN where suppressed
    bounds: dict[tuple[str, int], tuple[float, float]]  # (region, year) -> hierarchy bounds
    names: dict[str, str]


def _jobs_panel(jobs: pd.DataFrame, sbi: str, years: list[int], source_table: str) -> _Panel:
    names = {c: ser.short_name(n) for c, n in ser.corop_regions(jobs).items()}
    columns = {}
    bounds: dict[tuple[str, int], tuple[float, float]] = {}
    for code in names:
        values = ser.jobs_series(jobs, code, sbi, source_table).reindex(years)
        columns[code] = values
        for year in values.index[values.isna()]:
            bounds[(code, int(year))] = ts.cell_bounds(jobs, code, sbi, int(year), source_table)
    return _Panel(pd.DataFrame(columns, index=years), bounds, names)


def _accounts_panel(accounts: pd.DataFrame, sbi: str, years: list[int], source_table: str,
                    measure: str) -> _Panel:
    ts.check_accounts(accounts)
    rows = accounts[(accounts["source_table"].astype(str) == source_table)
                    & (accounts["sbi_code"].astype(str) == sbi)
                    & (accounts["region_level"].astype(str) == "corop")]
    if rows.empty:
        raise ValueError(f"no COROP rows for table {source_table!r} and SBI {sbi!r} in the "
                         "regional accounts")
    wide = rows.pivot_table(index="year", columns="region_code", values=measure, aggfunc="last")
    names = dict(zip(rows["region_code"].astype(str),
                     rows["region_name"].astype(str).map(ser.short_name), strict=True))
    return _Panel(wide.reindex(years), {}, dict(sorted(names.items())))


def _rest_totals(panel: _Panel) -> pd.Series:
    """Per year the sum over all regions, suppressed cells at the midpoint of their bounds.

    A year whose bounds leave the total more than :data:`trend_series.MAX_BOUND_SHARE` uncertain
    (or unbounded) gets NaN: the standardised scores then use the other years.
    """
    totals = {}
    for year in panel.values.index:
        row = panel.values.loc[year]
        low = high = float(row.sum())
        for code in row.index[row.isna()]:
            cell_low, cell_high = panel.bounds.get((code, int(year)), (math.nan, math.inf))
            low, high = low + cell_low, high + cell_high
        middle = (low + high) / 2.0
        usable = math.isfinite(high) and middle > 0 and (high - low) / middle <= ts.MAX_BOUND_SHARE
        totals[int(year)] = middle if usable else math.nan
    return pd.Series(totals, dtype=float)


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
    years = window.index.to_numpy(dtype=float)
    slope = np.polyfit(years - years.mean(), np.log(window.to_numpy(dtype=float)), 1)[0]
    return 100.0 * math.expm1(slope)


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
) -> PlaceboRanks:
    """Rank ``region`` among the COROP regions on a metric of ``sbi`` (module docstring).

    ``volatility_years``: the pre-period whose year-to-year volatility standardises the scores
    (default ``base_year``..``end_year``; pass the claim's pre-period, e.g. (2010, 2016)).
    ``vintage``: the release of the jobs table (default: the one covering the latest year).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}: use one of {', '.join(METRICS)}")
    if alternative not in ALTERNATIVES:
        raise ValueError(f"unknown alternative {alternative!r}: use one of "
                         f"{', '.join(ALTERNATIVES)}")
    if end_year <= base_year:
        raise ValueError(f"end year {end_year} must lie after the base year {base_year}")
    vol = tuple(volatility_years or (base_year, end_year))
    years = list(range(min(base_year, vol[0]), max(end_year, vol[1]) + 1))
    if concept == "employee_jobs":
        if jobs is None:
            raise ValueError("employee jobs need the jobs table (data/processed/jobs.csv)")
        table = source_table or ser.MAIN_TABLE
        panel = _jobs_panel(ts.one_vintage(jobs, table, vintage), sbi, years, table)
    elif concept in ("labour_volume", "labour_volume_employees"):
        if accounts is None or source_table is None:
            raise ValueError("labour volume needs the regional accounts table and source_table "
                             f"(one of {', '.join(ts.ACCOUNTS_TABLES)})")
        measure = "labour_volume_total" if concept == "labour_volume" else "labour_volume_employees"
        panel = _accounts_panel(accounts, sbi, years, source_table, measure)
    else:
        raise ValueError(f"unknown concept {concept!r}: use one of {', '.join(ts.CONCEPTS)}")
    if region not in panel.names:
        raise ValueError(f"{region!r} is not a COROP region here; regions: "
                         + "; ".join(f"{c} {n}" for c, n in panel.names.items()))
    totals = _rest_totals(panel)
    values, scores = {}, {}
    dropped: dict[str, Text] = {}
    bounds: dict[str, tuple[float, float]] = {}
    unbounded: list[str] = []
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
        standardised_rank_worst=s_worst)
    return PlaceboRanks(**{**result.__dict__, "explanation": _texts(result)})


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


# --- ex post: departure from the region's own pre-period line -----------------------------------------


@dataclass(frozen=True, eq=False)
class DepartureRanks:
    """After the claim: did the region leave its own pre-period line more than the others did?

    For every COROP region the gap ``ln(y / R)`` against the rest of the nation (``R`` = the other
    regions) is fitted by a line over ``first_year``..``cutoff_year``; the pre-period deviations
    and the later deviations from the extended line give the RMSPE ratio (``ratio``: post / pre,
    direction-free) and the mean later deviation over the pre-period RMSPE (``signed``, in the
    direction of ``alternative``), both ranked by :func:`stats.placebo.standardised_rank`.
    ``gaps``: region x year deviations (pre and post), for the figure.
    """

    region: str
    region_name: str
    first_year: int
    cutoff_year: int
    last_year: int
    ratio: stats_placebo.PercentileRank
    signed: stats_placebo.PercentileRank
    gaps: pd.DataFrame
    explanation: tuple[Text, ...]

    def plot_data(self) -> pd.DataFrame:
        """``region_code, year, series (gap), value, band_low, band_high, focal``; value = the
        deviation in percent (100 x log points), rounded to one decimal."""
        long = self.gaps.stack().rename("value").reset_index()
        long.columns = ["region_code", "year", "value"]
        return long.assign(series="gap", value=(100.0 * long["value"]).round(1),
                           band_low=math.nan, band_high=math.nan,
                           focal=long["region_code"] == self.region)[
            ["region_code", "year", "series", "value", "band_low", "band_high", "focal"]]


def departure_ranks(
    region: str,
    sbi: str,
    first_year: int,
    cutoff_year: int,
    last_year: int,
    *,
    alternative: str = "less",
    jobs: pd.DataFrame,
    source_table: str | None = None,
    vintage: str | None = None,
) -> DepartureRanks:
    """RMSPE-ratio ranks of every COROP region's departure after ``cutoff_year`` (class doc)."""
    if not first_year < cutoff_year < last_year:
        raise ValueError(f"need first year < cutoff year < last year, got {first_year}, "
                         f"{cutoff_year}, {last_year}")
    table = source_table or ser.MAIN_TABLE
    years = list(range(first_year, last_year + 1))
    panel = _jobs_panel(ts.one_vintage(jobs, table, vintage), sbi, years, table)
    totals = _rest_totals(panel)
    gaps: dict[str, pd.Series] = {}
    dropped: dict[str, str] = {}
    for code in panel.names:
        gap = (np.log(panel.values[code]) - np.log(totals - panel.values[code])).dropna()
        pre = gap.loc[:cutoff_year]
        if len(pre) < MIN_TREND_POINTS or gap.loc[cutoff_year + 1:].empty:
            dropped[code] = "too few years with a value"
            continue
        x = pre.index.to_numpy(dtype=float)
        slope, intercept = np.polyfit(x - x.mean(), pre.to_numpy(dtype=float), 1)
        line = intercept + slope * (gap.index.to_numpy(dtype=float) - x.mean())
        gaps[code] = (gap - line).reindex(years)
    if region not in gaps:
        raise ValueError(f"{region} has too few years with a value for a pre-period line")
    frame = pd.DataFrame(gaps).T
    pre_gaps, post_gaps = frame.loc[:, :cutoff_year], frame.loc[:, cutoff_year + 1:]
    nan_rows = dict.fromkeys(dropped, math.nan)
    pre_all = pd.concat([pre_gaps, pd.DataFrame(nan_rows, index=pre_gaps.columns).T])
    post_all = pd.concat([post_gaps, pd.DataFrame(nan_rows, index=post_gaps.columns).T])
    ratio = stats_placebo.standardised_rank(pre_all, post_all, region, statistic="rmspe_ratio",
                                            dropped=dropped)
    signed = stats_placebo.standardised_rank(pre_all, post_all, region,
                                             statistic="mean_over_rmspe", alternative=alternative,
                                             dropped=dropped)
    texts = (Text("placebo.departure", {
        "region": panel.names[region], "first": Num(first_year, "year"),
        "cutoff": Num(cutoff_year, "year"), "post": Num(cutoff_year + 1, "year"),
        "last": Num(last_year, "year"), "ratio": Num(ratio.value, decimals=1),
        "rank": ratio.rank, "n": ratio.n_units,
        "signed": Num(signed.value, decimals=1, signed=True), "signed_rank": signed.rank,
        "side": Text(f"placebo.side.{alternative}")}), Text("placebo.what"))
    return DepartureRanks(region=region, region_name=panel.names[region],
                          first_year=int(first_year), cutoff_year=int(cutoff_year),
                          last_year=int(last_year), ratio=ratio, signed=signed, gaps=frame,
                          explanation=texts)
