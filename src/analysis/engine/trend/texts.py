"""The reader's texts of the trend models (catalogue ``data/messages/trends.toml``).

Every sentence is an :class:`analysis.i18n.Text` with :class:`analysis.i18n.Num` parameters, so it
renders in Dutch and in English; rates are rounded to one decimal, levels to the data's precision,
F statistics (and sup-F's critical value) to one decimal, p-values to two significant digits
(0.043, 0.0012, 0.31; below 0.001 "p < 0.001"). Both roundings are half away from zero in decimal
arithmetic on the shortest decimal form of the float (0.0425 -> 0.043, F 2.25 -> 2.3), done here
before Babel formats the digits (Babel alone would round half to even).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from analysis.engine.trend import series as ts
from analysis.engine.trend import stats as trend_stats
from analysis.i18n import Num, Text
from analysis.stats import inference, rounding

RATE_DECIMALS = 1
F_DECIMALS = 1
P_SIGNIFICANT_DIGITS = 2
P_SMALL = 0.001  # p-values below this read "p < 0.001"; at 0.001 itself "p = 0.0010"


def round_rate(value: float) -> float:
    """A growth rate at the precision its inputs allow (one decimal, half away from zero)."""
    return rounding.round_rate(float(value))


def round_level(value: float, precision: float = ts.PUBLISHED_UNIT) -> float:
    """A level (jobs, labour years) rounded to a multiple of ``precision`` (100 for CBS thousands)."""
    return rounding.round_to_precision(float(value), precision)


def pct(value: float, signed: bool = False) -> Num:
    return Num(round_rate(value), "percent", RATE_DECIMALS, signed=signed)


def p_num(p_value: float) -> Num:
    """A p-value to two significant digits (0.0425 -> 0.043, 0.0995 -> 0.10, 0.99951 -> 1.0)."""
    if not math.isfinite(p_value) or p_value <= 0:
        return Num(p_value if math.isfinite(p_value) else None, decimals=P_SIGNIFICANT_DIGITS)
    exact = Decimal(repr(float(p_value)))
    step = Decimal(1).scaleb(exact.adjusted() - P_SIGNIFICANT_DIGITS + 1)
    rounded = exact.quantize(step, rounding=ROUND_HALF_UP)
    # rounding up may add a digit in front (0.0995 -> 0.100): two significant digits of the result
    decimals = max(0, P_SIGNIFICANT_DIGITS - 1 - rounded.adjusted())
    return Num(float(rounded), decimals=decimals)


def p_text(p_value: float) -> Text:
    """"p = 0.043" / "p < 0.001" (strictly below :data:`P_SMALL`)."""
    if p_value < P_SMALL:
        return Text("trends.p.small")
    return Text("trends.p.value", {"p": p_num(p_value)})


def f_num(statistic: float) -> Num:
    """An F statistic to one decimal, half away from zero (2.25 -> 2.3)."""
    return Num(rounding.round_to_precision(float(statistic), 10.0**-F_DECIMALS),
               decimals=F_DECIMALS)


def year_num(value: int) -> Num:
    return Num(value, "year")


def concept_text(concept: str) -> Text:
    return Text(f"trends.concept.{concept}")


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


def no_inference_reason(slope: trend_stats.Slope) -> Text:
    years = slope.years
    if len(years) < inference.MIN_INFERENCE_POINTS:
        return Text("trends.no_inference.few_points", {"n": len(years),
                                                       "min": inference.MIN_INFERENCE_POINTS})
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    return Text("trends.no_inference.gaps", {"years": ", ".join(str(y) for y in gaps)})


def inference_text(slope: trend_stats.Slope) -> Text:
    if not slope.inference_valid:
        return Text("trends.inference.none", {"reason": no_inference_reason(slope)})
    return Text("trends.inference.interval", {
        "low": pct(slope.ci_low, signed=True), "high": pct(slope.ci_high, signed=True),
        "p": p_text(slope.p_value)})


def trend_texts(models: dict[str, Any], pair: ts.SeriesPair, first: int, cutoff: int) -> list[Text]:
    texts: list[Text] = []
    common = {"region": pair.region_name, "comparator": pair.comparator_name,
              "concept": concept_text(pair.concept), "sbi": pair.sbi, "first": year_num(first),
              "cutoff": year_num(cutoff)}
    region, comparator, diff = (models.get(k) for k in ("region_trend", "comparator_trend",
                                                          "difference"))
    if region is not None and comparator is not None:
        texts.append(Text("trends.what.pair", {
            **common, "region_growth": pct(region.growth_pct, True),
            "comparator_growth": pct(comparator.growth_pct, True),
            "region_inference": inference_text(region),
            "comparator_inference": inference_text(comparator)}))
    if diff is not None:
        key = "trends.what.difference_faster" if diff.growth_pct >= 0 else \
            "trends.what.difference_slower"
        texts.append(Text(key, {**common, "difference": pct(abs(diff.growth_pct)),
                                "inference": inference_text(diff)}))
        texts.append(Text("trends.comparator.built", {"how": pair.comparator_text}))
        if diff.inference_valid:
            texts.append(Text("trends.method.fixed_b", {"n": diff.n,
                                                        "rho_max": Num(diff.rho_max, decimals=1)}))
        else:
            texts.append(Text("trends.method.estimate_only", {"n": diff.n}))
    texts.append(Text("trends.uncertainty"))
    return texts


def caveat(rho_max: float | None) -> Text:
    """What the p-value of a line test allows for (independent or persistent deviations)."""
    if rho_max is None:
        return Text("trends.caveat.independent")
    return Text("trends.caveat.persistence", {"rho_max": Num(rho_max, decimals=1)})


def segmented_text(segmented: trend_stats.Segmented, last: int) -> Text:
    return Text("trends.segmented", {
        "post": year_num(segmented.first_post_year), "last": year_num(last),
        "pre_growth": pct(segmented.pre_growth_pct, True),
        "post_growth": pct(segmented.post_growth_pct, True),
        "f": f_num(segmented.f_statistic), "df1": segmented.f_df_num,
        "df2": segmented.f_df_denom, "p": p_text(segmented.f_p_value),
        "caveat": caveat(segmented.rho_max)})


def sup_f_text(result: trend_stats.UnknownDate) -> Text:
    return Text("trends.sup_f", {
        "first_candidate": year_num(result.first_candidate),
        "last_candidate": year_num(result.last_candidate),
        "critical": f_num(result.critical_value),
        "statistic": f_num(result.statistic), "p": p_text(result.p_value),
        "best": year_num(result.best_year), "n_alone": result.n_significant_alone,
        "n_candidates": result.n_candidates, "caveat": caveat(result.rho_max)})


def prediction_text(prediction: trend_stats.Prediction, pair: ts.SeriesPair, first: int,
                     cutoff: int) -> list[Text]:
    last = prediction.table.iloc[-1]
    level = {"round_to": pair.precision}
    rejects = prediction.p_value < 0.05
    return [
        Text("trends.extrapolation", {
            "region": pair.region_name, "first": year_num(first), "cutoff": year_num(cutoff),
            "last": year_num(int(last["year"])), "unit": Text(f"trends.unit.{pair.concept}"),
            "predicted": Num(last["predicted"], **level), "lower": Num(last["lower"], **level),
            "upper": Num(last["upper"], **level), "actual": Num(last["actual"], **level),
            "rho_max": Num(prediction.band_rho_max, decimals=1)}),
        Text("trends.predictive.rejects" if rejects else "trends.predictive.holds", {
            "post": year_num(cutoff + 1), "last": year_num(int(last["year"])),
            "f": f_num(prediction.f_statistic), "df1": prediction.df_num,
            "df2": prediction.df_denom, "p": p_text(prediction.p_value),
            "caveat": caveat(prediction.rho_max)}),
    ]
