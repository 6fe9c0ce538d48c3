"""Shift-share: hand-worked classic and dynamic decompositions, the single-sector "relative jobs"
case, input errors, and the property that the components always add up to the actual change."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.stats.homothetic import esteban_marquillas
from analysis.stats.shiftshare import COMPONENTS, classic, dynamic, single_sector, wide_by_sector


@pytest.fixture
def two_sectors() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Region and nation by sector (rows) and year (columns).

    Hand-worked classic 2010 -> 2012:
      nation total 4000 -> 4100: g = 2.5%; C 3000 -> 3000: g_C = 0; G 1000 -> 1100: g_G = 10%
      C (region 100 -> 120): national 100*0.025 = 2.5, mix 100*(0 - 0.025) = -2.5,
                             regional 20 - 100*0 = 20
      G (region 200 -> 180): national 200*0.025 = 5, mix 200*(0.10 - 0.025) = 15,
                             regional -20 - 200*0.10 = -40
      totals: national 7.5, mix 12.5, regional -20, actual 0
    """
    region = pd.DataFrame({2010: [100.0, 200.0], 2011: [110.0, 190.0], 2012: [120.0, 180.0]},
                          index=["C", "G"])
    # comparator rows in another order: they are aligned on the sector code
    nation = pd.DataFrame({2010: [1000.0, 3000.0], 2011: [1050.0, 3100.0],
                           2012: [1100.0, 3000.0]}, index=["G", "C"])
    return region, nation


def test_classic_hand_worked(two_sectors) -> None:
    region, nation = two_sectors
    result = classic(region, nation, 2010, 2012)
    assert result.components == pytest.approx(
        {"national_growth_effect": 7.5, "industry_mix_effect": 12.5, "regional_effect": -20.0,
         "actual_change": 0.0}
    )
    sectors = result.by_sector
    assert sectors.loc["C", list(COMPONENTS)].tolist() == pytest.approx([2.5, -2.5, 20.0, 20.0])
    assert sectors.loc["G", list(COMPONENTS)].tolist() == pytest.approx([5.0, 15.0, -40.0, -20.0])
    assert sectors.loc["G", "comparator_growth_pct"] == pytest.approx(10.0)
    assert sectors.loc["C", "region_growth_pct"] == pytest.approx(20.0)
    assert result.comparator_growth_pct == pytest.approx(2.5)
    assert result.expected_change == pytest.approx(20.0)
    assert len(result.by_period) == 1 and result.method == "classic"


def test_dynamic_is_the_sum_of_the_yearly_classic_steps(two_sectors) -> None:
    region, nation = two_sectors
    result = dynamic(region, nation, 2010, 2012)
    steps = [classic(region, nation, 2010, 2011), classic(region, nation, 2011, 2012)]
    for name in COMPONENTS:
        assert result.components[name] == pytest.approx(sum(s.components[name] for s in steps))
    periods = result.by_period[["from_year", "to_year"]].to_numpy().tolist()
    assert periods == [[2010, 2011], [2011, 2012]]
    assert result.years == (2010, 2011, 2012)


def test_dynamic_hand_worked_differs_from_classic() -> None:
    # region 100 -> 120 -> 120, nation 100 -> 100 -> 110 (one sector)
    region = pd.Series({2010: 100.0, 2011: 120.0, 2012: 120.0})
    nation = pd.Series({2010: 100.0, 2011: 100.0, 2012: 110.0})
    # classic: g = 10%: national 10, regional 20 - 10 = 10
    assert classic(region, nation, 2010, 2012).components == pytest.approx(
        {"national_growth_effect": 10.0, "industry_mix_effect": 0.0, "regional_effect": 10.0,
         "actual_change": 20.0})
    # dynamic: step 1 g = 0: national 0, regional 20; step 2 g = 10% on 120: national 12,
    # regional 0 - 12 = -12; sum: national 12, regional 8
    assert dynamic(region, nation, 2010, 2012).components == pytest.approx(
        {"national_growth_effect": 12.0, "industry_mix_effect": 0.0, "regional_effect": 8.0,
         "actual_change": 20.0})


def test_single_sector_relative_jobs() -> None:
    """The claim's arithmetic: +3% in the region while the nation fell 1.4%."""
    twente = pd.Series({2010: 40_000.0, 2016: 41_200.0}, name="HTSM Twente")
    nation = pd.Series({2010: 500_000.0, 2016: 493_000.0}, name="HTSM Nederland")
    result = classic(twente, nation, 2010, 2016, region_name="Twente",
                     comparator_name="the Netherlands")
    # expected at the national rate: 40,000 * -1.4% = -560; relative: 1,200 - (-560) = 1,760
    assert result.industry_mix_effect == 0.0
    assert result.national_growth_effect == pytest.approx(-560.0)
    assert result.regional_effect == pytest.approx(1_760.0)
    assert result.region_growth_pct == pytest.approx(3.0)
    text = result.summary_text()
    assert "+1,760 jobs" in text and "the Netherlands (\u22121.4%)" in text and "+3.0%" in text


def test_comparator_total_sets_the_national_rate() -> None:
    # manufacturing only, against the whole national economy growing 10%
    region = pd.Series({2010: 1_000.0, 2016: 950.0})
    nation_manufacturing = pd.Series({2010: 10_000.0, 2016: 9_800.0})  # -2%
    nation_all = pd.Series({2010: 100_000.0, 2016: 110_000.0})  # +10%
    result = classic(region, nation_manufacturing, 2010, 2016, comparator_total=nation_all)
    assert result.components == pytest.approx(
        {"national_growth_effect": 100.0, "industry_mix_effect": -120.0,
         "regional_effect": -30.0, "actual_change": -50.0})
    assert "industry mix effect" in result.summary_text()


def test_summary_text_multi_sector(two_sectors) -> None:
    region, nation = two_sectors
    text = dynamic(region, nation, 2010, 2012, region_name="Twente",
                   comparator_name="the Netherlands").summary_text()
    assert text.startswith("From 2010 to 2012, employment in Twente changed by")
    assert "did worse than the same sectors in the Netherlands" in text
    assert "year-by-year" in text


def test_to_dict_is_plain(two_sectors) -> None:
    record = classic(*two_sectors, 2010, 2012).to_dict()
    assert record["regional_effect"] == pytest.approx(-20.0)
    assert all(isinstance(v, (int, float, str)) for v in record.values())


def test_input_errors(two_sectors) -> None:
    region, nation = two_sectors
    with pytest.raises(ValueError, match="must come before"):
        classic(region, nation, 2012, 2010)
    with pytest.raises(ValueError, match=r"only in region: \['F'\]"):
        classic(pd.concat([region, pd.DataFrame({2010: [1.0], 2012: [2.0]}, index=["F"])]),
                nation, 2010, 2012)
    with pytest.raises(ValueError, match=r"region has no column for 2009; years available: 2010"):
        classic(region, nation, 2009, 2012)
    gappy = region.copy()
    gappy.loc["C", 2011] = math.nan
    classic(gappy, nation, 2010, 2012)  # classic does not need 2011
    with pytest.raises(ValueError, match=r"missing \(NaN\).*\('C', 2011\)"):
        dynamic(gappy, nation, 2010, 2012)
    empty_sector = nation.copy()
    empty_sector.loc["G", 2010] = 0.0
    with pytest.raises(ValueError, match=r"0 in 2010 for \['G'\]"):
        classic(region, empty_sector, 2010, 2012)


def test_region_sector_starting_from_zero_is_all_regional() -> None:
    region = pd.DataFrame({2010: [0.0, 100.0], 2012: [30.0, 100.0]}, index=["new", "old"])
    nation = pd.DataFrame({2010: [50.0, 950.0], 2012: [60.0, 990.0]}, index=["new", "old"])
    result = classic(region, nation, 2010, 2012)
    assert result.by_sector.loc["new", "regional_effect"] == 30.0
    assert math.isnan(result.by_sector.loc["new", "region_growth_pct"])


def test_wide_by_sector_from_long_table() -> None:
    long = pd.DataFrame({
        "sbi_code": ["C", "C", "G", "G"],
        "year": [2010, 2011, 2010, 2011],
        "employee_jobs": [100, 110, 200, 190],
    })
    wide = wide_by_sector(long)
    assert wide.loc["G", 2011] == 190.0 and list(wide.columns) == [2010, 2011]
    with pytest.raises(ValueError, match="more than one row per sector and year"):
        wide_by_sector(pd.concat([long, long]))


# --- property: the decomposition is exact --------------------------------------------------------

positive = st.floats(min_value=1.0, max_value=1e6, allow_nan=False, allow_infinity=False)
non_negative = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def panels(draw) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_sectors = draw(st.integers(1, 5))
    n_years = draw(st.integers(2, 6))
    years = list(range(2010, 2010 + n_years))
    sectors = [f"s{i}" for i in range(n_sectors)]
    cells = n_sectors * n_years
    region = np.array(draw(st.lists(non_negative, min_size=cells, max_size=cells)))
    nation = np.array(draw(st.lists(positive, min_size=cells, max_size=cells)))
    return (pd.DataFrame(region.reshape(n_sectors, n_years), index=sectors, columns=years),
            pd.DataFrame(nation.reshape(n_sectors, n_years), index=sectors, columns=years))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(panels())
def test_components_always_add_up_to_the_actual_change(panel) -> None:
    region, nation = panel
    base, end = int(region.columns[0]), int(region.columns[-1])
    for method in (classic, dynamic):
        result = method(region, nation, base, end)
        parts = [result.components[c] for c in COMPONENTS[:3]]
        actual = float(region[end].sum() - region[base].sum())
        scale = sum(abs(p) for p in parts) + float(region.abs().to_numpy().sum()) + 1.0
        assert result.actual_change == pytest.approx(actual, abs=1e-9 * scale)
        assert sum(parts) == pytest.approx(actual, abs=1e-9 * scale)
        by_sector = result.by_sector[list(COMPONENTS[:3])].sum(axis=1)
        assert np.allclose(by_sector, result.by_sector["actual_change"], rtol=0, atol=1e-9 * scale)


# --- single sector: the labels mean what they say --------------------------------------------------


def test_single_sector_uses_all_industry_growth_for_the_national_effect() -> None:
    """Region manufacturing 1,000 -> 950 (-5%); national manufacturing 10,000 -> 9,800 (-2%);
    national all industries 100,000 -> 110,000 (+10%):
      national growth effect = 1,000 * 0.10 = 100
      industry mix           = 1,000 * (-0.02 - 0.10) = -120
      regional               = 1,000 * (-0.05 - (-0.02)) = -30;   sum -50 = actual."""
    region = pd.Series({2010: 1_000.0, 2016: 950.0})
    sector = pd.Series({2010: 10_000.0, 2016: 9_800.0})
    everything = pd.Series({2010: 100_000.0, 2016: 110_000.0})
    result = single_sector(region, sector, everything, 2010, 2016)
    assert result.components == pytest.approx(
        {"national_growth_effect": 100.0, "industry_mix_effect": -120.0,
         "regional_effect": -30.0, "actual_change": -50.0})
    assert result.national_rate == "all industries"
    assert result.to_dict()["national_rate"] == "all industries"
    # without the total the national rate is the sector's own (and says so)
    assert classic(region, sector, 2010, 2016).national_rate == "the sectors given"
    dynamic_result = single_sector(region, sector, everything, 2010, 2016, method="dynamic")
    assert dynamic_result.regional_effect == pytest.approx(-30.0)  # one step: same as classic
    with pytest.raises(ValueError, match="method must be"):
        single_sector(region, sector, everything, 2010, 2016, method="static")


# --- Esteban-Marquillas ----------------------------------------------------------------------------


def test_esteban_marquillas_hand_worked(two_sectors) -> None:
    """Region total 300 in 2010; nation C 3,000 and G 1,000 of 4,000:
      homothetic E_hat_C = 300 * 3000/4000 = 225, E_hat_G = 300 * 1000/4000 = 75
      C: r = 20%, g_C = 0   -> r - g = 0.2;  homothetic 225 * 0.2 = 45, allocation
         (100 - 225) * 0.2 = -25; regional 100 * 0.2 = 20
      G: r = -10%, g_G = 10% -> r - g = -0.2; homothetic 75 * -0.2 = -15, allocation
         (200 - 75) * -0.2 = -25; regional 200 * -0.2 = -40
      totals: homothetic 30, allocation -50, regional -20 (the classic regional effect)."""
    region, nation = two_sectors
    result = esteban_marquillas(region, nation, 2010, 2012)
    sectors = result.by_sector
    assert sectors["homothetic_employment"].to_dict() == pytest.approx({"C": 225.0, "G": 75.0})
    assert sectors.loc["C", ["homothetic_competitive_effect", "allocation_effect"]].tolist() == \
        pytest.approx([45.0, -25.0])
    assert sectors.loc["G", ["homothetic_competitive_effect", "allocation_effect"]].tolist() == \
        pytest.approx([-15.0, -25.0])
    assert result.components == pytest.approx({
        "national_growth_effect": 7.5, "industry_mix_effect": 12.5,
        "homothetic_competitive_effect": 30.0, "allocation_effect": -50.0,
        "regional_effect": -20.0, "actual_change": 0.0})
    assert result.to_dict()["allocation_effect"] == pytest.approx(-50.0)


def test_esteban_marquillas_refuses_a_region_sector_starting_from_zero() -> None:
    region = pd.DataFrame({2010: [0.0, 100.0], 2012: [30.0, 100.0]}, index=["new", "old"])
    nation = pd.DataFrame({2010: [50.0, 950.0], 2012: [60.0, 990.0]}, index=["new", "old"])
    with pytest.raises(ValueError, match=r"regional employment is 0 in 2010 for \['new'\]"):
        esteban_marquillas(region, nation, 2010, 2012)


# --- property: the components reproduce independently computed effects ---------------------------


@st.composite
def positive_panels(draw) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    n_sectors = draw(st.integers(1, 4))
    n_years = draw(st.integers(2, 5))
    years = list(range(2010, 2010 + n_years))
    cells = n_sectors * n_years
    region = np.array(draw(st.lists(positive, min_size=cells, max_size=cells)))
    nation = np.array(draw(st.lists(positive, min_size=cells, max_size=cells)))
    others = np.array(draw(st.lists(non_negative, min_size=n_years, max_size=n_years)))
    sectors = [f"s{i}" for i in range(n_sectors)]
    nation_frame = pd.DataFrame(nation.reshape(n_sectors, n_years), index=sectors, columns=years)
    everything = nation_frame.sum() + pd.Series(others, index=years)  # all industries >= sectors
    return (pd.DataFrame(region.reshape(n_sectors, n_years), index=sectors, columns=years),
            nation_frame, everything)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(positive_panels())
def test_components_reproduce_independently_computed_effects(panel) -> None:
    """Computed here from the raw numbers, sector by sector, with growth rates (not remainders):
    regional_i = E_i0 * (E_it / E_i0 - C_it / C_i0); national = E_0 * (T_t / T_0 - 1);
    mix_i = E_i0 * (C_it / C_i0 - T_t / T_0); homothetic_i = E_0 * C_i0 / C_0 * (r_i - g_i);
    dynamic: the same classic formulas for every year-on-year step, summed."""
    region, nation, everything = panel
    years = [int(y) for y in region.columns]
    base, end = years[0], years[-1]

    def effects(y0: int, y1: int) -> dict[str, float]:
        national = mix = regional = homothetic = 0.0
        g_all = everything[y1] / everything[y0] - 1
        for sector in region.index:
            e0, e1 = region.loc[sector, y0], region.loc[sector, y1]
            c0, c1 = nation.loc[sector, y0], nation.loc[sector, y1]
            r, g = e1 / e0 - 1, c1 / c0 - 1
            national += e0 * g_all
            mix += e0 * (g - g_all)
            regional += e0 * (r - g)
            homothetic += region[y0].sum() * c0 / nation[y0].sum() * (r - g)
        return {"national": national, "mix": mix, "regional": regional, "homothetic": homothetic}

    scale = float(region.to_numpy().sum() + nation.to_numpy().sum()) * 10
    expected = effects(base, end)
    result = classic(region, nation, base, end, comparator_total=everything)
    assert result.national_growth_effect == pytest.approx(expected["national"], abs=1e-9 * scale)
    assert result.industry_mix_effect == pytest.approx(expected["mix"], abs=1e-9 * scale)
    assert result.regional_effect == pytest.approx(expected["regional"], abs=1e-9 * scale)
    split = esteban_marquillas(region, nation, base, end, comparator_total=everything)
    assert split.components["homothetic_competitive_effect"] == pytest.approx(
        expected["homothetic"], abs=1e-9 * scale)
    assert split.components["homothetic_competitive_effect"] + split.components[
        "allocation_effect"] == pytest.approx(expected["regional"], abs=1e-9 * scale)
    steps = [effects(years[i], years[i + 1]) for i in range(len(years) - 1)]
    moving = dynamic(region, nation, base, end, comparator_total=everything)
    assert moving.regional_effect == pytest.approx(sum(s["regional"] for s in steps),
                                                   abs=1e-9 * scale * len(steps))
    assert moving.national_growth_effect == pytest.approx(sum(s["national"] for s in steps),
                                                          abs=1e-9 * scale * len(steps))
