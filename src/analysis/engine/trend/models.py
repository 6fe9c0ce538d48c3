"""Trend models for a claim page: one pre-period, the rest of the nation, one joint test of later years.

Parameters are plain (concept, region, SBI code, comparator, first year, cutoff year), never a claim
id; the claim registry supplies them. The **pre-period** is ``first_year``..``cutoff_year``, the data
knowable at the claim's date (an October 2017 claim knew December figures up to 2016, so
``cutoff_year = 2016``). Every part uses that one pre-period:

- the region's trend, the comparator's trend and their difference (the trend of
  ``log(region / comparator)``), with fixed-b inference whose size is controlled over year-to-year
  persistence (:mod:`analysis.stats.inference`), or estimates without p-values and the reason;
- the segmented line with its split at ``cutoff_year + 1``: a test of "not one straight line"
  over the whole series (the date comes from the claim, it is not estimated);
- a sup-F test (Andrews) of a shift at an unknown year, whose best-fitting year is reported, not
  claimed as a dated break;
- the extrapolation of the pre-period line to the later years, with one joint predictive-failure
  (Chow) test instead of a count of years outside single-year bands, for the region's own series
  and for the ratio region / comparator.

The comparator is the nation minus the region unless ``comparator="nation"`` says the claim means
the nation itself (:mod:`analysis.engine.trend.series`). Every text a reader sees is an
:class:`analysis.i18n.Text`; numbers are rounded to the precision of the inputs (growth rates to
one decimal, levels to 100: CBS publishes thousands with one decimal).

Public API
----------
``trend_models_for(concept, region, sbi, first_year, cutoff_year, *, jobs=None, accounts=None,
source_table=None, comparator="rest_of_nation", last_year=None, **pair_options) -> TrendModels``
(concept ``employee_jobs`` from ``jobs``; ``labour_volume`` / ``labour_volume_employees`` from
``accounts`` with ``source_table`` 84419NED or 85925NED; ``pair_options``: ``national``,
``vintage``, ``national_table``, ``max_bound_share`` of :func:`series.employee_jobs_pair`)
``trend_models(pair, first_year, cutoff_year, last_year=None) -> TrendModels``
``concept_trend_models(region, sbi, first_year, cutoff_year, *, jobs, accounts, ...) -> ConceptSet``
``TrendModels``: ``pair`` (:class:`series.SeriesPair`), ``first_year``, ``cutoff_year``,
``last_year``, ``pre_years``, ``region_trend`` / ``comparator_trend`` / ``difference``
(:class:`trend_stats.Slope`: ``growth_pct, ci_low, ci_high, p_value, inference_valid, reason, n,
years``), ``difference_bounds``, ``segmented``, ``estimated_break``, ``prediction``,
``relative_prediction``, ``explanation`` (tuple of Text), ``unavailable`` (part -> Text),
``numbers()`` (rounded headline numbers), ``plot_data()`` / ``figure_data()`` / ``index_data()``
(tidy: ``year, series, value, band_low, band_high``), ``to_json()``.
Figures: :mod:`analysis.report.trendplots`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.engine.trend import series as ts
from analysis.engine.trend import stats as trend_stats
from analysis.engine.trend import texts as tx
from analysis.engine.trend.texts import concept_text, reason_text, round_level, round_rate  # noqa: F401
from analysis.i18n import Text
from analysis.stats import rounding


@dataclass(frozen=True, eq=False)
class TrendModels:
    """Trend models of one region against its comparator in one concept (module docstring).

    ``region_trend``, ``comparator_trend``, ``difference`` (:class:`trend_stats.Slope`) cover the
    pre-period; ``segmented``, ``prediction`` (the region's own line) and ``relative_prediction``
    (the line of region / comparator) the whole series, split after ``cutoff_year``. A
    part the data do not allow is None and ``unavailable`` says why. ``explanation`` is the page
    text in order: what is estimated, the inference and why, what the uncertainty is about, the
    segmented line, the extrapolation and its joint test, dropped years.
    """

    pair: ts.SeriesPair
    first_year: int
    cutoff_year: int
    last_year: int
    region_trend: trend_stats.Slope | None
    comparator_trend: trend_stats.Slope | None
    difference: trend_stats.Slope | None
    segmented: trend_stats.Segmented | None
    prediction: trend_stats.Prediction | None
    relative_prediction: trend_stats.Prediction | None  # the same for region / comparator
    estimated_break: trend_stats.UnknownDate | None
    explanation: tuple[Text, ...]
    unavailable: dict[str, Text] = field(default_factory=dict)
    difference_bounds: tuple[float, float] | None = None  # comparator cells at their bounds

    @property
    def pre_years(self) -> tuple[int, ...]:
        return tuple(y for y in self.pair.years if self.first_year <= y <= self.cutoff_year)

    def numbers(self) -> dict[str, float | bool | None]:
        """The headline numbers, rounded to the precision of the inputs (for tables and tests)."""
        out: dict[str, float | bool | None] = {}
        for name in ("region_trend", "comparator_trend", "difference"):
            slope = getattr(self, name)
            if slope is None:
                continue
            out[f"{name}_pct"] = tx.round_rate(slope.growth_pct)
            out[f"{name}_low"] = tx.round_rate(slope.ci_low) if slope.inference_valid else None
            out[f"{name}_high"] = tx.round_rate(slope.ci_high) if slope.inference_valid else None
            out[f"{name}_p"] = float(slope.p_value) if slope.inference_valid else None
        if self.difference_bounds is not None:
            out["difference_bound_low"] = tx.round_rate(self.difference_bounds[0])
            out["difference_bound_high"] = tx.round_rate(self.difference_bounds[1])
        if self.prediction is not None:
            last = self.prediction.table.iloc[-1]
            out.update(predicted_last=tx.round_level(last["predicted"], self.pair.precision),
                       actual_last=tx.round_level(last["actual"], self.pair.precision),
                       predictive_f=round(self.prediction.f_statistic, 2),
                       predictive_p=float(self.prediction.p_value))
        if self.relative_prediction is not None:
            out.update(relative_predictive_f=round(self.relative_prediction.f_statistic, 2),
                       relative_predictive_p=float(self.relative_prediction.p_value))
        return out

    def plot_data(self) -> pd.DataFrame:
        """Tidy numbers of the trend figure: ``year, series, value, band_low, band_high``.

        Series: ``region``, ``comparator`` (actual values; the comparator's bounds as its band
        where cells were suppressed), ``region_fit`` (the pre-period line), ``region_extrapolation``
        (the line extended, with the single-year 95% band, the widest over AR(1) persistence up
        to rho = 0.8: :mod:`analysis.engine.trend.bands`). Levels are rounded to the data's
        precision. The report writes this frame (or :meth:`figure_data` for the figure of
        :mod:`analysis.report.trendplots`) as the figure's CSV.
        """
        precision = self.pair.precision
        frame = self.pair.frame
        parts = [pd.DataFrame({"year": frame["year"], "series": "region",
                               "value": frame["region"], "band_low": math.nan,
                               "band_high": math.nan}),
                 pd.DataFrame({"year": frame["year"], "series": "comparator",
                               "value": frame["comparator"], "band_low": frame["comparator_low"],
                               "band_high": frame["comparator_high"]})]
        if self.prediction is not None:
            table = self.prediction.table
            fit = self.pair.region_series.loc[self.first_year:self.cutoff_year]
            line = _fitted_line(fit)
            parts.append(pd.DataFrame({"year": line.index, "series": "region_fit",
                                       "value": line.to_numpy(), "band_low": math.nan,
                                       "band_high": math.nan}))
            parts.append(pd.DataFrame({"year": table["year"], "series": "region_extrapolation",
                                       "value": table["predicted"], "band_low": table["lower"],
                                       "band_high": table["upper"]}))
        tidy = pd.concat(parts, ignore_index=True)
        for column in ("value", "band_low", "band_high"):
            tidy[column] = tidy[column].map(lambda v: tx.round_level(v, precision))
        tidy["year"] = tidy["year"].astype(int)
        return tidy

    def figure_data(self) -> pd.DataFrame:
        """Exactly what :func:`analysis.report.trendplots.trend_figure` draws: the region's levels,
        line and extrapolation (left panel) and :meth:`index_data` (right panel)."""
        levels = self.plot_data()
        levels = levels[levels["series"] != "comparator"]
        return pd.concat([levels, self.index_data()], ignore_index=True)

    def index_data(self) -> pd.DataFrame:
        """Region and comparator as an index, ``first_year`` = 100, one decimal: ``year, series
        (region_index | comparator_index), value, band_low, band_high``."""
        frame = self.pair.frame.set_index("year")
        if self.first_year not in frame.index or pd.isna(frame.loc[self.first_year, "comparator"]):
            return pd.DataFrame({"year": pd.Series(dtype=int), "series": pd.Series(dtype=str),
                                 "value": pd.Series(dtype=float),
                                 "band_low": pd.Series(dtype=float),
                                 "band_high": pd.Series(dtype=float)})
        rows = []
        for column, name in (("region", "region_index"), ("comparator", "comparator_index")):
            index = 100.0 * frame[column] / float(frame.loc[self.first_year, column])
            rows.append(pd.DataFrame({"year": index.index, "series": name,
                                      "value": [rounding.round_to_precision(v, 0.1)
                                                if pd.notna(v) else math.nan for v in index],
                                      "band_low": math.nan, "band_high": math.nan}))
        index = pd.concat(rows, ignore_index=True)
        index["year"] = index["year"].astype(int)
        return index

    def to_json(self) -> dict[str, Any]:
        return {"concept": self.pair.concept, "sbi": self.pair.sbi, "region": self.pair.region,
                "comparator": self.pair.comparator, "source": self.pair.source,
                "first_year": self.first_year, "cutoff_year": self.cutoff_year,
                "last_year": self.last_year, "numbers": self.numbers(),
                "explanation": [t.to_json() for t in self.explanation],
                "unavailable": {k: v.to_json() for k, v in self.unavailable.items()},
                "dropped": {str(y): r.to_json() for y, r in self.pair.dropped.items()}}


def _fitted_line(series: pd.Series) -> pd.Series:
    """The pre-period log-linear line at the years of ``series`` (levels)."""
    values = series.dropna()
    logs = values.map(math.log)
    return pd.Series([math.exp(v) for v in trend_stats.fitted_line(logs)], index=values.index)


# --- the models --------------------------------------------------------------------------------------


def _difference_bounds(pair: ts.SeriesPair, cutoff_year: int) -> tuple[float, float] | None:
    """The pre-period growth difference with every bounded comparator cell at its low or its high
    end (None where nothing in the pre-period was bounded)."""
    pre = pair.frame[pair.frame["year"] <= cutoff_year].dropna(subset=["comparator"])
    if (pre["comparator_low"] == pre["comparator_high"]).all():
        return None
    region = pre.set_index("year")["region"]
    values = []
    for column in ("comparator_low", "comparator_high"):
        try:
            values.append(trend_stats.difference(region, pre.set_index("year")[column]).growth_pct)
        except ValueError:
            return None
    return (min(values), max(values))


def trend_models(pair: ts.SeriesPair, first_year: int, cutoff_year: int,
                 last_year: int | None = None) -> TrendModels:
    """Trend models of ``pair`` with the pre-period ``first_year``..``cutoff_year`` (module doc)."""
    if cutoff_year < first_year:
        raise ValueError(f"the cutoff year {cutoff_year} lies before the first year {first_year}")
    available = [y for y in pair.years if y >= first_year]
    if not available:
        raise ValueError(f"no years from {first_year} on in the series (years: {pair.years})")
    last = int(last_year if last_year is not None else max(available))
    window = pair.window(first_year, last)
    region = window.region_series
    comparator = window.comparator_series
    pre_region, pre_comparator = region.loc[:cutoff_year], comparator.loc[:cutoff_year]
    attempts = {
        "region_trend": lambda: trend_stats.trend(pre_region),
        "comparator_trend": lambda: trend_stats.trend(pre_comparator),
        "difference": lambda: trend_stats.difference(pre_region, pre_comparator),
        "segmented": lambda: trend_stats.segmented(region, cutoff_year + 1),
        "prediction": lambda: trend_stats.predictive_failure(region, cutoff_year),
        "relative_prediction": lambda: trend_stats.predictive_failure(
            (region / comparator).dropna(), cutoff_year),
    }
    models: dict[str, Any] = {}
    unavailable: dict[str, Text] = {}
    for name, attempt in attempts.items():
        try:
            models[name] = attempt()
        except ValueError as exc:
            models[name] = None
            unavailable[name] = Text("trends.unavailable", {"part": Text(f"trends.part.{name}"),
                                                            "reason": tx.reason_text(exc)})
    texts = tx.trend_texts(models, window, first_year, cutoff_year)
    difference_bounds = _difference_bounds(window, cutoff_year)
    if difference_bounds is not None and models["difference"] is not None:
        texts.insert(2, Text("trends.difference_bounds", {
            "low": tx.pct(difference_bounds[0], True), "high": tx.pct(difference_bounds[1], True)}))
    if models["segmented"] is not None:
        texts.append(tx.segmented_text(models["segmented"], last))
    texts.append(Text("trends.no_break_date", {"post": tx.year_num(cutoff_year + 1)}))
    try:
        break_result = trend_stats.estimated_break(region.dropna())
        texts.append(tx.sup_f_text(break_result))
    except ValueError as exc:
        break_result = None
        unavailable["estimated_break"] = Text("trends.unavailable", {
            "part": Text("trends.part.estimated_break"), "reason": tx.reason_text(exc)})
    if models["prediction"] is not None:
        texts.extend(tx.prediction_text(models["prediction"], window, first_year, cutoff_year))
    relative = models["relative_prediction"]
    if relative is not None:
        last_relative = int(relative.table["year"].iloc[-1])
        texts.append(Text(
            "trends.predictive_relative.rejects" if relative.p_value < 0.05
            else "trends.predictive_relative.holds", {
                "region": window.region_name, "comparator": window.comparator_name,
                "post": tx.year_num(cutoff_year + 1), "last": tx.year_num(last_relative),
                "f": tx.f_num(relative.f_statistic), "df1": relative.df_num,
                "df2": relative.df_denom, "p": tx.p_text(relative.p_value),
                "caveat": tx.caveat(relative.rho_max)}))
    texts.extend(window.dropped.values())
    texts.extend(window.notes.values())
    texts.extend(unavailable.values())
    return TrendModels(pair=window, first_year=int(first_year), cutoff_year=int(cutoff_year),
                       last_year=last, estimated_break=break_result,
                       difference_bounds=difference_bounds,
                       explanation=tuple(texts), unavailable=unavailable, **models)


def trend_models_for(
    concept: str,
    region: str,
    sbi: str,
    first_year: int,
    cutoff_year: int,
    *,
    jobs: pd.DataFrame | None = None,
    accounts: pd.DataFrame | None = None,
    source_table: str | None = None,
    comparator: str = "rest_of_nation",
    last_year: int | None = None,
    **options: Any,
) -> TrendModels:
    """Build the series pair (:func:`series.series_pair`) and its trend models."""
    pair = ts.series_pair(concept, region, sbi, jobs=jobs, accounts=accounts,
                          source_table=source_table, comparator=comparator, **options)
    return trend_models(pair, first_year, cutoff_year, last_year)


@dataclass(frozen=True, eq=False)
class ConceptSet:
    """Trend models of one region and sector in every concept the data have (employee jobs and
    labour volume in both editions of the regional accounts), and why a concept is missing."""

    models: dict[str, TrendModels]  # label (concept or concept:table) -> models
    unavailable: dict[str, Text]

    def plot_data(self) -> pd.DataFrame:
        """What :func:`analysis.report.trendplots.concepts_figure` draws: every concept's
        :meth:`TrendModels.index_data` with a ``concept`` column."""
        frames = [m.index_data().assign(concept=label) for label, m in self.models.items()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
            columns=["year", "series", "value", "band_low", "band_high", "concept"])


def concept_trend_models(
    region: str,
    sbi: str,
    first_year: int,
    cutoff_year: int,
    *,
    jobs: pd.DataFrame | None,
    accounts: pd.DataFrame | None,
    comparator: str = "rest_of_nation",
    accounts_tables: tuple[str, ...] = ts.ACCOUNTS_TABLES,
    last_year: int | None = None,
) -> ConceptSet:
    """The industry claim's trends in employee jobs and in labour volume (both editions)."""
    requests: list[tuple[str, str, str | None]] = [("employee_jobs", "employee_jobs", None)]
    requests += [(f"labour_volume:{table}", "labour_volume", table) for table in accounts_tables]
    models: dict[str, TrendModels] = {}
    unavailable: dict[str, Text] = {}
    for label, concept, table in requests:
        try:
            models[label] = trend_models_for(concept, region, sbi, first_year, cutoff_year,
                                             jobs=jobs, accounts=accounts, source_table=table,
                                             comparator=comparator, last_year=last_year)
        except ValueError as exc:
            unavailable[label] = Text("trends.concept_unavailable", {
                "concept": tx.concept_text(concept), "table": table or "83582NED",
                "reason": tx.reason_text(exc)})
    return ConceptSet(models=models, unavailable=unavailable)
