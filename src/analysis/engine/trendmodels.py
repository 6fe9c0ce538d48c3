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
- the extrapolation of the pre-period line to the later years, with one joint predictive-failure
  (Chow) test instead of a count of years outside single-year bands.

The comparator is the nation minus the region unless ``comparator="nation"`` says the claim means
the nation itself (:mod:`analysis.engine.trend_series`). Every text a reader sees is an
:class:`analysis.i18n.Text`; numbers are rounded to the precision of the inputs (growth rates to
one decimal, levels to 100: CBS publishes thousands with one decimal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.engine import trend_series as ts
from analysis.engine import trend_stats
from analysis.i18n import Num, Text
from analysis.stats import inference, rounding

RATE_DECIMALS = 1


def round_rate(value: float) -> float:
    """A growth rate at the precision its inputs allow (one decimal, half away from zero)."""
    return rounding.round_rate(float(value))


def round_level(value: float, precision: float = ts.PUBLISHED_UNIT) -> float:
    """A level (jobs, labour years) rounded to a multiple of ``precision`` (100 for CBS thousands)."""
    return rounding.round_to_precision(float(value), precision)


def _pct(value: float, signed: bool = False) -> Num:
    return Num(round_rate(value), "percent", RATE_DECIMALS, signed=signed)


def _p(p_value: float) -> Text:
    if p_value < 0.001:
        return Text("trends.p.small")
    return Text("trends.p.value", {"p": Num(p_value, decimals=3)})


def _year(value: int) -> Num:
    return Num(value, "year")


def concept_text(concept: str) -> Text:
    return Text(f"trends.concept.{concept}")


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
            out[f"{name}_pct"] = round_rate(slope.growth_pct)
            out[f"{name}_low"] = round_rate(slope.ci_low) if slope.inference_valid else None
            out[f"{name}_high"] = round_rate(slope.ci_high) if slope.inference_valid else None
            out[f"{name}_p"] = float(slope.p_value) if slope.inference_valid else None
        if self.difference_bounds is not None:
            out["difference_bound_low"] = round_rate(self.difference_bounds[0])
            out["difference_bound_high"] = round_rate(self.difference_bounds[1])
        if self.prediction is not None:
            last = self.prediction.table.iloc[-1]
            out.update(predicted_last=round_level(last["predicted"], self.pair.precision),
                       actual_last=round_level(last["actual"], self.pair.precision),
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
        (the line extended, with the single-year 95% band). Levels are rounded to the data's
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
            tidy[column] = tidy[column].map(lambda v: round_level(v, precision))
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
    values = series.dropna()
    years = values.index.to_numpy(dtype=float)
    import numpy as np

    slope, intercept = np.polyfit(years - years.mean(), np.log(values.to_numpy(dtype=float)), 1)
    return pd.Series(np.exp(intercept + slope * (years - years.mean())), index=values.index)


# --- texts ------------------------------------------------------------------------------------------


_REASONS = (  # (words in the error of the statistics, catalogue key of the reader's reason)
    (("no values after", "no values from"), "trends.reason.no_later_years"),
    (("values before", "on each side", "candidate break year"), "trends.reason.short_segment"),
    (("usable annual values", "needs at least", "share", "only"), "trends.reason.too_few_years"),
    (("regional accounts", "no regional-accounts rows", "has no"), "trends.reason.no_data"),
)


def reason_text(error: Exception) -> Text:
    """Why a part could not be computed, as a reader's text (the technical message kept as detail)."""
    message = str(error)
    for words, key in _REASONS:
        if any(word in message for word in words):
            return Text(key, {"detail": message})
    return Text("trends.reason.other", {"detail": message})


def _no_inference_reason(slope: trend_stats.Slope) -> Text:
    years = slope.years
    if len(years) < inference.MIN_INFERENCE_POINTS:
        return Text("trends.no_inference.few_points", {"n": len(years),
                                                       "min": inference.MIN_INFERENCE_POINTS})
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    return Text("trends.no_inference.gaps", {"years": ", ".join(str(y) for y in gaps)})


def _inference_text(slope: trend_stats.Slope) -> Text:
    if not slope.inference_valid:
        return Text("trends.inference.none", {"reason": _no_inference_reason(slope)})
    return Text("trends.inference.interval", {
        "low": _pct(slope.ci_low, signed=True), "high": _pct(slope.ci_high, signed=True),
        "p": _p(slope.p_value)})


def _trend_texts(models: dict[str, Any], pair: ts.SeriesPair, first: int, cutoff: int) -> list[Text]:
    texts: list[Text] = []
    common = {"region": pair.region_name, "comparator": pair.comparator_name,
              "concept": concept_text(pair.concept), "sbi": pair.sbi, "first": _year(first),
              "cutoff": _year(cutoff)}
    region, comparator, diff = (models.get(k) for k in ("region_trend", "comparator_trend",
                                                          "difference"))
    if region is not None and comparator is not None:
        texts.append(Text("trends.what.pair", {
            **common, "region_growth": _pct(region.growth_pct, True),
            "comparator_growth": _pct(comparator.growth_pct, True),
            "region_inference": _inference_text(region),
            "comparator_inference": _inference_text(comparator)}))
    if diff is not None:
        key = "trends.what.difference_faster" if diff.growth_pct >= 0 else \
            "trends.what.difference_slower"
        texts.append(Text(key, {**common, "difference": _pct(abs(diff.growth_pct)),
                                "inference": _inference_text(diff)}))
        texts.append(Text("trends.comparator.built", {"how": pair.comparator_text}))
        if diff.inference_valid:
            texts.append(Text("trends.method.fixed_b", {"n": diff.n,
                                                        "rho_max": Num(diff.rho_max, decimals=1)}))
        else:
            texts.append(Text("trends.method.estimate_only", {"n": diff.n}))
    texts.append(Text("trends.uncertainty"))
    return texts


def _caveat(rho_max: float | None) -> Text:
    """What the p-value of a line test allows for (independent or persistent deviations)."""
    if rho_max is None:
        return Text("trends.caveat.independent")
    return Text("trends.caveat.persistence", {"rho_max": Num(rho_max, decimals=1)})


def _segmented_text(segmented: trend_stats.Segmented, last: int) -> Text:
    return Text("trends.segmented", {
        "post": _year(segmented.first_post_year), "last": _year(last),
        "pre_growth": _pct(segmented.pre_growth_pct, True),
        "post_growth": _pct(segmented.post_growth_pct, True),
        "f": Num(segmented.f_statistic, decimals=2), "df1": segmented.f_df_num,
        "df2": segmented.f_df_denom, "p": _p(segmented.f_p_value),
        "caveat": _caveat(segmented.rho_max)})


def _sup_f_text(result: trend_stats.UnknownDate) -> Text:
    return Text("trends.sup_f", {
        "first_candidate": _year(result.first_candidate),
        "last_candidate": _year(result.last_candidate),
        "critical": Num(result.critical_value, decimals=2),
        "statistic": Num(result.statistic, decimals=2), "p": _p(result.p_value),
        "best": _year(result.best_year), "n_alone": result.n_significant_alone,
        "n_candidates": result.n_candidates, "caveat": _caveat(result.rho_max)})


def _prediction_text(prediction: trend_stats.Prediction, pair: ts.SeriesPair, first: int,
                     cutoff: int) -> list[Text]:
    last = prediction.table.iloc[-1]
    level = {"round_to": pair.precision}
    rejects = prediction.p_value < 0.05
    return [
        Text("trends.extrapolation", {
            "region": pair.region_name, "first": _year(first), "cutoff": _year(cutoff),
            "last": _year(int(last["year"])), "unit": Text(f"trends.unit.{pair.concept}"),
            "predicted": Num(last["predicted"], **level), "lower": Num(last["lower"], **level),
            "upper": Num(last["upper"], **level), "actual": Num(last["actual"], **level)}),
        Text("trends.predictive.rejects" if rejects else "trends.predictive.holds", {
            "post": _year(cutoff + 1), "last": _year(int(last["year"])),
            "f": Num(prediction.f_statistic, decimals=2), "df1": prediction.df_num,
            "df2": prediction.df_denom, "p": _p(prediction.p_value),
            "caveat": _caveat(prediction.rho_max)}),
    ]


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
                                                            "reason": reason_text(exc)})
    texts = _trend_texts(models, window, first_year, cutoff_year)
    difference_bounds = _difference_bounds(window, cutoff_year)
    if difference_bounds is not None and models["difference"] is not None:
        texts.insert(2, Text("trends.difference_bounds", {
            "low": _pct(difference_bounds[0], True), "high": _pct(difference_bounds[1], True)}))
    if models["segmented"] is not None:
        texts.append(_segmented_text(models["segmented"], last))
    texts.append(Text("trends.no_break_date", {"post": _year(cutoff_year + 1)}))
    try:
        break_result = trend_stats.estimated_break(region.dropna())
        texts.append(_sup_f_text(break_result))
    except ValueError as exc:
        break_result = None
        unavailable["estimated_break"] = Text("trends.unavailable", {
            "part": Text("trends.part.estimated_break"), "reason": reason_text(exc)})
    if models["prediction"] is not None:
        texts.extend(_prediction_text(models["prediction"], window, first_year, cutoff_year))
    relative = models["relative_prediction"]
    if relative is not None:
        last_relative = int(relative.table["year"].iloc[-1])
        texts.append(Text(
            "trends.predictive_relative.rejects" if relative.p_value < 0.05
            else "trends.predictive_relative.holds", {
                "region": window.region_name, "comparator": window.comparator_name,
                "post": _year(cutoff_year + 1), "last": _year(last_relative),
                "f": Num(relative.f_statistic, decimals=2), "df1": relative.df_num,
                "df2": relative.df_denom, "p": _p(relative.p_value),
                "caveat": _caveat(relative.rho_max)}))
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
    """Build the series pair (:func:`trend_series.series_pair`) and its trend models."""
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
                "concept": concept_text(concept), "table": table or "83582NED",
                "reason": reason_text(exc)})
    return ConceptSet(models=models, unavailable=unavailable)
