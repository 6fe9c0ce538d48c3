"""The growth difference beside a trend claim's verdict: data (numbers) and the page's sentence.

The difference is checked against an independent formula (the OLS slope of log(region /
comparator) with numpy.polyfit), on hand-made series and on data/processed read with plain pandas.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis import i18n, paths
from analysis.engine import series as ser
from analysis.engine.trend import models as trendmodels
from analysis.engine.trend import series as ts
from analysis.engine.trend.difference import difference_inference

YEARS = list(range(2010, 2021))


def pair_of(region: pd.Series, comparator: pd.Series) -> ts.SeriesPair:
    frame = pd.DataFrame({"year": region.index, "region": region.to_numpy(),
                          "comparator": comparator.to_numpy(),
                          "comparator_low": comparator.to_numpy(),
                          "comparator_high": comparator.to_numpy()})
    name = i18n.Text("trends.comparator.rest_of_nation", {"region": "Twente"})
    return ts.SeriesPair(concept="employee_jobs", unit="jobs", sbi="B-E", region="CR12",
                         region_name="Twente", comparator="rest_of_nation", comparator_name=name,
                         comparator_text=name, source="synthetic", frame=frame)


def line(seed: int, growth: float, level: float, noise: float, years=YEARS) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(level * np.exp(growth * np.arange(len(years))
                                    + noise * rng.standard_normal(len(years))), index=years)


def polyfit_difference_pct(region: pd.Series, comparator: pd.Series) -> float:
    years = region.index.to_numpy(float)
    slope = np.polyfit(years, np.log(region.to_numpy()) - np.log(comparator.to_numpy()), 1)[0]
    return 100 * math.expm1(slope)


def test_a_clear_difference_is_reported_with_its_test_as_data_and_text():
    # the region grows 3% a year faster (log points) than the comparator, deviations of 0.2%
    region, comparator = line(1, 0.02, 40_000, 0.002), line(2, -0.01, 8e5, 0.002)
    models = trendmodels.trend_models(pair_of(region, comparator), 2010, 2016)
    result = difference_inference(models)
    data = result.data
    expected = polyfit_difference_pct(region.loc[:2016], comparator.loc[:2016])
    assert data["difference_pct"] == pytest.approx(expected)
    assert round(expected, 1) == pytest.approx(3.0, abs=0.3)
    assert (data["first_year"], data["last_year"], data["n"]) == (2010, 2016, 7)
    assert data["ci_low"] < expected < data["ci_high"] and data["ci_low"] > 0
    assert data["p_value"] < 0.05 and data["differs"] is True and data["inference_valid"]
    assert data["rho_max"] == 0.8 and data["alpha"] == 0.05
    numbers = models.numbers()  # the same numbers the page's bullets show
    assert numbers["difference_p"] == data["p_value"]
    assert numbers["difference_low"] == round(data["ci_low"], 1)
    json.dumps(data, allow_nan=False)  # plain numbers only
    english = result.text.render("en")
    assert english.startswith("Difference in growth of employee jobs (December) in SBI B-E, "
                              f"2010-2016: Twente against the Netherlands without Twente "
                              f"+{round(expected, 1):.1f}% a year")
    assert english.endswith("At the 5% level, Twente grew differently from the Netherlands "
                            "without Twente.")
    assert "aantoonbaar anders" in result.text.render("nl")


def test_the_test_decides_differs_and_the_sentence():
    region, comparator = line(3, 0.0, 40_000, 0.01), line(4, 0.0, 8e5, 0.01)
    result = difference_inference(trendmodels.trend_models(pair_of(region, comparator), 2010,
                                                           2016))
    assert result.data["differs"] == (result.data["p_value"] < 0.05)
    finding = result.text.params["finding"].key
    assert finding == ("trends.difference.differs" if result.data["differs"]
                       else "trends.difference.not_distinct")


def test_too_few_years_give_the_estimate_and_the_reason_without_a_test():
    years = list(range(2012, 2020))
    region, comparator = line(5, 0.01, 40_000, 0.01, years), line(6, 0.0, 8e5, 0.01, years)
    result = difference_inference(trendmodels.trend_models(pair_of(region, comparator), 2012,
                                                           2016))  # n = 5
    data = result.data
    assert data["difference_pct"] == pytest.approx(
        polyfit_difference_pct(region.loc[:2016], comparator.loc[:2016]))
    assert (data["ci_low"], data["ci_high"], data["p_value"], data["differs"]) == (
        None, None, None, None)
    assert not data["inference_valid"] and data["reason"]
    assert result.text.key == "trends.difference.estimate_only"
    assert "at least 6" in result.text.render("en")
    json.dumps(data, allow_nan=False)


def test_no_difference_without_enough_common_years():
    region = line(7, 0.01, 40_000, 0.01)
    comparator = line(8, 0.0, 8e5, 0.01).where(lambda s: s.index <= 2012)  # 3 common years
    models = trendmodels.trend_models(pair_of(region, comparator), 2010, 2016)
    assert models.difference is None and difference_inference(models) is None
    assert "difference" in models.unavailable


def test_real_twente_b_e_2010_2015_against_the_other_39_corop_regions():
    # 2010-2015: every COROP region publishes B-E (CR01 2016 is suppressed and bounded)
    csv = pd.read_csv(paths.processed_dir() / "jobs.csv", low_memory=False)
    rows = csv[(csv["source_table"] == "83582NED") & (csv["vintage"] == "latest")
               & (csv["sbi_code"] == "B-E") & (csv["derived"].astype(str) == "False")
               & csv["year"].between(2010, 2015)]
    twente = rows[rows["region_code"] == "CR12"].set_index("year")["employee_jobs"].astype(float)
    others = rows[(rows["region_level"] == "corop") & (rows["region_code"] != "CR12")]
    rest = others.groupby("year")["employee_jobs"].sum(min_count=39).astype(float)
    expected = polyfit_difference_pct(twente.sort_index(), rest.loc[twente.sort_index().index])
    models = trendmodels.trend_models_for("employee_jobs", "CR12", "B-E", 2010, 2015,
                                          jobs=ser.load_jobs(), national="corop")
    data = difference_inference(models).data
    assert data["years"] == list(range(2010, 2016))
    assert data["difference_pct"] == pytest.approx(expected)
    assert data["inference_valid"] and data["ci_low"] < expected < data["ci_high"]
