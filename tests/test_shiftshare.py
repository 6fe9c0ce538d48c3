"""Shift-share: a hand-worked split, additivity as a property of independently computed effects,
clear errors, the engine's split of Twente over the SBI sections (manufacturing's regional effect
worked out from the published cells), and the claim page's table in both languages."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.engine import shiftshare as engine_shiftshare
from analysis.i18n import Num, format_num
from analysis.report import bilingual as bi
from analysis.stats.shiftshare import COMPONENTS, classic


def frame(values: dict[str, tuple[float, float]], years=(2010, 2015)) -> pd.DataFrame:
    return pd.DataFrame(values, index=list(years)).T


# --- the statistic -----------------------------------------------------------------------------


def test_two_sectors_worked_by_hand():
    """Nation: C 1000 -> 900 (-10%), G 1000 -> 1300 (+30%); all 2000 -> 2200, g = 10%.
    Region: C 200 -> 190 (-5%), G 100 -> 120 (+20%).
    C: national 200 * 0.1 = 20, mix 200 * (-0.1 - 0.1) = -40, regional 200 * (-0.05 + 0.1) = 10.
    G: national 100 * 0.1 = 10, mix 100 * (0.3 - 0.1) = 20, regional 100 * (0.2 - 0.3) = -10.
    Totals: national 30, mix -20, regional 0, actual 10."""
    split = classic(frame({"C": (200, 190), "G": (100, 120)}),
                    frame({"C": (1000, 900), "G": (1000, 1300)}), 2010, 2015)
    by_sector = split.by_sector
    assert by_sector.loc["C", list(COMPONENTS)].tolist() == pytest.approx([20, -40, 10, -10])
    assert by_sector.loc["G", list(COMPONENTS)].tolist() == pytest.approx([10, 20, -10, 20])
    assert split.components == pytest.approx({"national_growth_effect": 30,
                                              "industry_mix_effect": -20, "regional_effect": 0,
                                              "actual_change": 10})
    assert split.comparator_growth_pct == pytest.approx(10.0)


employment = st.floats(min_value=1.0, max_value=1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(employment, employment, employment, employment), min_size=1,
                max_size=12))
def test_the_three_effects_add_up_to_the_actual_change(cells):
    """Every effect is recomputed here from its own textbook formula (none as a remainder); the
    split's effects must equal them, and the three must add up to E_t - E_0 in every sector."""
    sectors = [f"s{i}" for i in range(len(cells))]
    region = frame({s: (e0, et) for s, (e0, et, _, _) in zip(sectors, cells, strict=True)})
    nation = frame({s: (c0, ct) for s, (_, _, c0, ct) in zip(sectors, cells, strict=True)})
    split = classic(region, nation, 2010, 2015)
    g = sum(c[3] for c in cells) / sum(c[2] for c in cells) - 1
    for sector, (e0, et, c0, ct) in zip(sectors, cells, strict=True):
        national, mix, regional = e0 * g, e0 * (ct / c0 - 1 - g), e0 * (et / e0 - ct / c0)
        row = split.by_sector.loc[sector]
        scale = max(e0, et, abs(national), abs(mix), abs(regional))
        assert row["national_growth_effect"] == pytest.approx(national, abs=1e-9 * scale)
        assert row["industry_mix_effect"] == pytest.approx(mix, abs=1e-9 * scale)
        assert row["regional_effect"] == pytest.approx(regional, abs=1e-9 * scale)
        assert row["national_growth_effect"] + row["industry_mix_effect"] + row[
            "regional_effect"] == pytest.approx(et - e0, abs=1e-9 * scale)


@pytest.mark.parametrize(("region", "nation", "base", "end", "message"), [
    ({"C": (0, 5)}, {"C": (10, 11)}, 2010, 2015, "no employment in 2010 in sector"),
    ({"C": (5, 5)}, {"C": (0, 11)}, 2010, 2015, "comparator has no employment in 2010"),
    ({"C": (5, math.nan)}, {"C": (10, 11)}, 2010, 2015, "no value for sector"),
    ({"C": (5, 6)}, {"G": (10, 11)}, 2010, 2015, "need the same sectors"),
    ({"C": (5, 6)}, {"C": (10, 11)}, 2015, 2010, "must come before"),
    ({"C": (5, 6)}, {"C": (10, 11)}, 2010, 2016, "no column for"),
])
def test_clear_errors(region, nation, base, end, message):
    with pytest.raises(ValueError, match=message):
        classic(frame(region), frame(nation), base, end)


# --- the engine on the processed data ----------------------------------------------------------


@pytest.fixture(scope="module")
def twente():
    return engine_shiftshare.regional_split("CR12", 2010, 2015)


def test_manufacturing_regional_effect_from_the_published_cells(twente):
    """Twente C (83582NED): 42,400 -> 39,600; the Netherlands C (83583NED): 769,200 -> 735,500.
    Regional effect = 42,400 * (39,600 / 42,400 - 735,500 / 769,200) = 39,600 - 40,542.4 = -942.4."""
    row = twente.manufacturing
    assert (row["base_employment"], row["end_employment"]) == (42_400, 39_600)
    assert row["regional_effect"] == pytest.approx(39_600 - 42_400 * 735_500 / 769_200)
    assert row["regional_effect"] == pytest.approx(-942.4, abs=0.05)


def test_suppressed_sections_stand_together_as_parent_minus_published(twente):
    """CBS suppresses B and D (2010) and E (2015) for Twente: B+D+E = B-E - C, 44,000 - 42,400 =
    1,600 in 2010 and 41,500 - 39,600 = 1,900 in 2015. The nation's S is not in 83583NED: R-U - R."""
    assert twente.groups["B+D+E"] == ("B", "D", "E")
    assert twente.derived == {"B+D+E": "B-E \u2212 C", "S": "R-U \u2212 R"}
    assert twente.split.by_sector.loc["B+D+E", ["base_employment", "end_employment"]].tolist() \
        == [1_600, 1_900]
    sections = [s for parts in twente.groups.values() for s in parts]
    assert sorted(sections) == list("ABCDEFGHIJKLMNOPQRS")  # every section once


def test_whole_change_is_twentes_published_total_change(twente):
    """The sections' changes add up to the published A-U change, 272,500 - 276,400 = -3,900 (the
    rounded cells happen to add up exactly here); the rows are independent of the comparator."""
    assert twente.split.components["actual_change"] == pytest.approx(-3_900)
    rest = engine_shiftshare.regional_split("CR12", 2010, 2015, comparator="nation_minus_region")
    assert rest.split.components["actual_change"] == pytest.approx(-3_900)
    # against the nation minus Twente: C 769,200 - 42,400 = 726,800 -> 735,500 - 39,600 = 695,900
    assert rest.manufacturing["regional_effect"] == pytest.approx(
        39_600 - 42_400 * 695_900 / 726_800)


def test_unknown_comparator_is_refused():
    with pytest.raises(ValueError, match="comparator must be 'nation' or 'nation_minus_region'"):
        engine_shiftshare.regional_split("CR12", 2010, 2015, comparator="province")


# --- the claim page ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checks():
    """A check of every registry claim of kind relative_gain, and one of another kind."""
    from analysis.engine import check as engine_check
    from analysis.report import claimtexts

    found: dict[str, list] = {"relative_gain": [], "other": []}
    for claim_id in claimtexts.claim_ids():
        kind = claimtexts.claim_entry(claim_id)["check"]["kind"]
        group = "relative_gain" if kind == "relative_gain" else "other"
        if group == "relative_gain" or (kind == "change_vs_comparator" and not found["other"]):
            found[group].append(engine_check.check(claim_id))
    assert found["relative_gain"] and found["other"]
    return found


def test_only_relative_gain_checks_get_the_split(checks):
    for checked in checks["relative_gain"]:
        split = engine_shiftshare.for_check(checked)
        reading = checked.reading.parameters
        assert (split.region, split.base_year, split.end_year, split.comparator) == (
            checked.region, reading["base_year"], reading["end_year"], reading["comparator"])
    assert engine_shiftshare.for_check(checks["other"][0]) is None


def test_the_page_shows_the_table_in_both_languages(checks, monkeypatch):
    from analysis.report import shiftshare_table

    shown: list[str] = []
    monkeypatch.setattr(bi, "_display", shown.append)
    assert shiftshare_table.show_shift_share(checks["other"][0]) is None and not shown
    assert shiftshare_table.show_shift_share(checks["relative_gain"][0]) is None  # a cell's last line shows no value
    split = engine_shiftshare.for_check(checks["relative_gain"][0])
    html = "\n".join(shown)
    for words in ("regionaal effect", "regional effect", "sectorsamenstelling",
                  "industry mix effect", "industrie (SBI C)", "manufacturing (SBI C)",
                  "B+D+E = B-E \u2212 C"):
        assert words in html, words
    # manufacturing's regional effect, rounded to hundreds, in each language's number format
    effect = Num(float(split.manufacturing["regional_effect"]), signed=True, round_to=100)
    for lang in ("nl", "en"):
        assert format_num(effect, lang) in html
