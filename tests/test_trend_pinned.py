"""The shipped claims' trend numbers, pinned before the fits moved onto statsmodels (issue 17).

Two kinds of expectation:

- worked out by hand or by an independent formula in this file: the OLS slope and the fixed-b
  (Bartlett, bandwidth n) standard error of a four-point series done on paper, and the closed-form
  slope ``sum((x - xbar) y) / sum((x - xbar)^2)`` and the Kiefer-Vogelsang partial-sum form of the
  fixed-b variance ``omega = (2 / n) * sum_k S_k^2`` (``S_k`` partial sums of ``x * u``) on the
  real Twente series, in plain Python;
- recorded from the numpy code at commit fc7862b, before any change (the literals below): the
  simulated p-values, critical values and F tests cannot be redone by hand. The statsmodels code
  must give the same numbers (to 1e-9 relative: only rounding in the last digits may differ).

Every claim of the registry with a ``[claim.trends]`` table is checked against these pins; today
they share two settings: B-E in Twente (CR12), 2010 to the 2015 cutoff, against the nation or
against the rest of the nation.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.engine import series as ser
from analysis.engine.trend import models as trendmodels
from analysis.stats import inference

REL = 1e-9

# B-E employee jobs in Twente (CR12), December 2010-2015, from data/processed/jobs.csv
TWENTE_BE_2010_2015 = [44_000.0, 44_200.0, 43_400.0, 42_400.0, 42_100.0, 41_500.0]

# (region, sbi, first_year, cutoff_year, comparator) -> numbers recorded at commit fc7862b
PINNED = {
    ("CR12", "B-E", 2010, 2015, "nation"): {
        "region_trend": {
            "growth": -1.3108278486156957,
            "low": -2.4364495535165225,
            "high": -0.17221948817860014,
            "p": 0.03694815259237038,
            "n": 6,
        },
        "comparator_trend": {
            "growth": -0.8603495279951766,
            "low": -1.6825205363021642,
            "high": -0.03130318917129817,
            "p": 0.0463976801159942,
            "n": 6,
        },
        "difference": {
            "growth": -0.4543876425585196,
            "low": -1.929090275111037,
            "high": 1.0424902493095074,
            "p": 0.3581820908954552,
            "n": 6,
        },
        "se": {
            "region": (-0.013194950213212613, 0.0007182755982074763, -18.37031669479214),
            "comparator": (-0.008640719001991214, 0.0005214365021080591, -16.570989884786716),
            "difference": (-0.004554231211221195, 0.000934542050006597, -4.873222356542486),
        },
        "critical_value_n6": 15.97056990046104,
        "relative_prediction": {
            "f": 4.7769452242670924,
            "p": 0.24338783060846958,
            "p_independent": 0.07394406218787808,
            "df": (8, 4),
            "first": (2016, 0.05150524198726784, 0.05016865755288537, 0.05287743546596946),
            "last": (2023, 0.04988917124911449, 0.0453772600094188, 0.05484970682246687),
        },
    },
    ("CR12", "B-E", 2010, 2015, "rest_of_nation"): {
        "region_trend": {
            "growth": -1.3108278486156957,
            "low": -2.4364495535165225,
            "high": -0.17221948817860014,
            "p": 0.03694815259237038,
            "n": 6,
        },
        "comparator_trend": {
            "growth": -0.8354828921464887,
            "low": -1.7118425670667965,
            "high": 0.04869060592286399,
            "p": 0.05724713764311785,
            "n": 6,
        },
        "difference": {
            "growth": -0.47934984239590095,
            "low": -2.0340738190117764,
            "high": 1.100047678764418,
            "p": 0.35813209339533025,
            "n": 6,
        },
        "se": {
            "region": (-0.013194950213212613, 0.0007182755982074763, -18.37031669479214),
            "comparator": (-0.008389926128775269, 0.0005558169647694608, -15.094764392906221),
            "difference": (-0.004805024084436786, 0.0009859031844724028, -4.87372813082874),
        },
        "critical_value_n6": 15.97056990046104,
        "relative_prediction": {
            "f": 4.761906840614893,
            "p": 0.24428778561071945,
            "p_independent": 0.07432512015795432,
            "df": (8, 4),
            "first": (2016, 0.054301948276590656, 0.052816146663824275, 0.05582954783509796),
            "last": (2023, 0.05250586814641384, 0.04750829410879151, 0.05802915557219369),
        },
    },
}

# the region's own series does not depend on the comparator: one set of pins for both
REGION_PINS = {
    "segmented": {
        "pre": -1.3108278486161675,
        "post": 0.8794303481508601,
        "f": 38.975551262163584,
        "p": 0.007249637518124094,
        "p_independent": 1.0170151526781744e-05,
        "df": (2, 11),
    },
    "estimated_break": {
        "statistic": 39.76236982424771,
        "critical_value": 29.988731696169918,
        "p": 0.023748812559372032,
        "best_year": 2017,
    },
    "prediction": {
        "f": 20.124203033170378,
        "p": 0.031998400079996,
        "p_independent": 0.005492421518350493,
        "df": (9, 4),
        "first": (2016, 40984.53935279975, 39628.253247429784, 42387.24466287536),
        "last": (2024, 36878.74264349833, 32447.316669108197, 41915.38156559564),
    },
}


# --- by hand -------------------------------------------------------------------------------------


def test_four_point_slope_and_fixed_b_se_worked_by_hand():
    """log values 0, 0.1, 0.1, 0.3 in 2000-2003.

    x = -1.5, -0.5, 0.5, 1.5 (centred years), sum x^2 = 5, sum x y = -0.05 + 0.05 + 0.45 = 0.45,
    slope = 0.09; fitted 0.125 + 0.09 x = -0.01, 0.08, 0.17, 0.26; residuals u = 0.01, 0.02,
    -0.07, 0.04; v = x u = -0.015, -0.01, -0.035, 0.06.
    omega = sum v^2 + 2 (3/4 * lag-1 + 2/4 * lag-2 + 1/4 * lag-3 products)
          = 0.00515 + 2 (0.75 * -0.0016 + 0.5 * -0.000075 + 0.25 * -0.0009) = 0.002225
    (the same as (2/n) sum_k S_k^2 = 0.5 * (0.015^2 + 0.025^2 + 0.06^2 + 0) = 0.002225);
    se = sqrt(0.002225) / 5 = 0.0094340, t = 0.09 / se = 9.5400; growth 100 (e^0.09 - 1) = 9.4174%.
    """
    series = pd.Series([math.exp(v) for v in (0.0, 0.1, 0.1, 0.3)], index=range(2000, 2004))
    result = inference.trend_inference(series)
    assert result.slope == pytest.approx(0.09, rel=1e-12)
    assert result.se == pytest.approx(math.sqrt(0.002225) / 5, rel=1e-10)
    assert result.statistic == pytest.approx(0.09 / (math.sqrt(0.002225) / 5), rel=1e-10)
    assert result.growth_pct == pytest.approx(9.417428370521042, rel=1e-12)
    assert not result.inference_valid  # four points: estimates only (fewer than six)


def _closed_form(log_values: list[float]) -> tuple[float, float]:
    """OLS slope on 0..n-1 and the fixed-b se by the partial-sum formula, in plain Python."""
    n = len(log_values)
    xs = [i - (n - 1) / 2 for i in range(n)]
    sxx = sum(x * x for x in xs)
    slope = sum(x * y for x, y in zip(xs, log_values, strict=True)) / sxx
    mean = sum(log_values) / n
    partial, total = 0.0, 0.0
    for x, y in zip(xs, log_values, strict=True):
        partial += x * (y - mean - slope * x)
        total += partial * partial
    return slope, math.sqrt(2.0 / n * total) / sxx


def test_twente_slope_and_se_by_an_independent_formula():
    logs = [math.log(v) for v in TWENTE_BE_2010_2015]
    slope, se = _closed_form(logs)
    pinned_slope, pinned_se, _ = PINNED[("CR12", "B-E", 2010, 2015, "nation")]["se"]["region"]
    assert pinned_slope == pytest.approx(slope, rel=1e-12)
    assert pinned_se == pytest.approx(se, rel=1e-10)
    result = inference.trend_inference(pd.Series(TWENTE_BE_2010_2015, index=range(2010, 2016)))
    assert (result.slope, result.se) == pytest.approx((slope, se), rel=1e-10)


# --- the shipped claims' trend sections -------------------------------------------------------------


@pytest.fixture(scope="module")
def jobs() -> pd.DataFrame:
    return ser.load_jobs()


@pytest.fixture(scope="module", params=sorted(PINNED), ids=lambda key: key[-1])
def models(request, jobs):
    region, sbi, first, cutoff, comparator = request.param
    built = trendmodels.trend_models_for(
        "employee_jobs", region, sbi, first, cutoff, jobs=jobs, comparator=comparator
    )
    return request.param, built


def _approx(value):
    return pytest.approx(value, rel=REL, abs=1e-15)


def test_slopes_intervals_and_p_values_are_the_pinned_ones(models):
    key, built = models
    pins = PINNED[key]
    for name in ("region_trend", "comparator_trend", "difference"):
        slope = getattr(built, name)
        expected = pins[name]
        assert (slope.growth_pct, slope.ci_low, slope.ci_high, slope.p_value) == _approx(
            (expected["growth"], expected["low"], expected["high"], expected["p"])
        ), name
        assert slope.n == expected["n"] and slope.inference_valid


def test_standard_errors_and_t_statistics_are_the_pinned_ones(models, jobs):
    key, built = models
    cutoff = key[3]
    region = built.pair.region_series.loc[:cutoff]
    comparator = built.pair.comparator_series.loc[:cutoff]
    pins = PINNED[key]["se"]
    found = {
        "region": inference.trend_inference(region),
        "comparator": inference.trend_inference(comparator),
        "difference": inference.trend_difference_inference(region, comparator),
    }
    for name, result in found.items():
        assert (result.slope, result.se, result.statistic) == _approx(pins[name]), name
    assert found["region"].critical_value == _approx(PINNED[key]["critical_value_n6"])


def _prediction_pins(prediction, expected):
    assert (prediction.f_statistic, prediction.p_value, prediction.p_value_independent) == _approx(
        (expected["f"], expected["p"], expected["p_independent"])
    )
    assert (prediction.df_num, prediction.df_denom) == expected["df"]
    table = prediction.table
    for row, pin in ((table.iloc[0], expected["first"]), (table.iloc[-1], expected["last"])):
        assert int(row["year"]) == pin[0]
        assert (row["predicted"], row["lower"], row["upper"]) == _approx(pin[1:])


def test_segmented_line_break_and_extrapolation_are_the_pinned_ones(models):
    key, built = models
    seg, pin = built.segmented, REGION_PINS["segmented"]
    assert (
        seg.pre_growth_pct,
        seg.post_growth_pct,
        seg.f_statistic,
        seg.f_p_value,
        seg.p_value_independent,
    ) == _approx((pin["pre"], pin["post"], pin["f"], pin["p"], pin["p_independent"]))
    assert (seg.f_df_num, seg.f_df_denom) == pin["df"]
    found, pin = built.estimated_break, REGION_PINS["estimated_break"]
    assert (found.statistic, found.critical_value, found.p_value) == _approx(
        (pin["statistic"], pin["critical_value"], pin["p"])
    )
    assert found.best_year == pin["best_year"]
    _prediction_pins(built.prediction, REGION_PINS["prediction"])
    _prediction_pins(built.relative_prediction, PINNED[key]["relative_prediction"])
    assert built.difference_bounds is None  # no suppressed comparator cell in 2010-2015


def test_every_shipped_trend_section_is_pinned():
    """The registry's claims with a ``[claim.trends]`` table ask for these settings only (the
    comparator follows the reading: the nation, or the nation minus the region)."""
    from analysis.engine import check as engine_check
    from analysis.report import claimtexts, seriesfigures

    asked = set()
    for claim_id in claimtexts.claim_ids():
        if not claimtexts.claim_entry(claim_id).get("trends"):
            continue
        checked = engine_check.check(claim_id)
        settings = seriesfigures.trend_settings(checked)
        asked.add(
            (
                checked.region,
                settings["sbi"],
                settings["first_year"],
                seriesfigures.cutoff_year(checked),
                settings["comparator"],
            )
        )
    assert asked == set(PINNED)
