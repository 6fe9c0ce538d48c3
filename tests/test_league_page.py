"""The league page shows where a region stands (issue 15, item 7): values and bounds, ranks in numbers,
a stand-in measure where the claim's own one is suppressed, the tile map, the sortable table.

Fast tests check the pieces against numbers worked out by hand; the browser tests (slow) open a
rendered page in Debian's chromium and click a numeric column, and check that a phone-wide window
does not scroll sideways.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.report import league_charts, league_measures, league_page
from analysis.site import plan, render

TILES = paths.PACKAGE_DATA / "corop_tiles.csv"


# --- the tile map's layout ------------------------------------------------------------------------

def test_tile_file_has_the_40_corop_regions_of_the_data_each_on_its_own_tile() -> None:
    with TILES.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["code"] for row in rows]
    places = [(int(row["row"]), int(row["col"])) for row in rows]
    assert len(codes) == 40 and len(set(codes)) == 40
    assert len(set(places)) == 40  # no two regions on one tile
    with (paths.project_root() / "data" / "processed" / "regional_accounts.csv").open(encoding="utf-8") as handle:
        data_regions = {r["region_code"] for r in csv.DictReader(handle) if r["region_level"] == "corop"}
    assert set(codes) == data_regions
    layout = league_charts.tile_layout()
    assert layout["CR12"] == (3, 5)  # Twente on the east side
    # Groningen and Friesland at the top, Limburg at the bottom, Zeeland bottom left
    assert max(layout[c][0] for c in ("CR01", "CR02", "CR03", "CR04")) <= 1
    assert layout["CR39"][0] == max(r for r, _ in layout.values())
    assert layout["CR31"] == (max(r for r, _ in layout.values()), 0)


def test_every_tile_has_its_own_short_name() -> None:
    names = league_charts.tile_names()
    assert set(names) == set(league_charts.tile_layout())
    assert len(set(names.values())) == len(names) == 40
    assert names["CR12"] == "TWE" and names["CR23"] == "AMS"
    assert all(1 <= len(name) <= 3 for name in names.values())  # fits a 40-pixel tile at 14 px


def test_tile_names_name_a_missing_and_a_shared_short_name(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text("code,row,col,short\nCR01,0,0,OGR\nCR02,0,1,\n", encoding="utf-8")
    with pytest.raises(league_charts.TileLayoutError, match="CR02 without a short name"):
        league_charts.tile_names(missing)
    shared = tmp_path / "shared.csv"
    shared.write_text("code,row,col,short\nCR01,0,0,GRO\nCR03,0,1,GRO\n", encoding="utf-8")
    with pytest.raises(league_charts.TileLayoutError, match="CR01 and CR03 share the short name 'GRO'"):
        league_charts.tile_names(shared)


def test_tile_layout_names_a_shared_tile_and_a_repeated_region(tmp_path: Path) -> None:
    shared = tmp_path / "shared.csv"
    shared.write_text("code,row,col\nCR01,0,0\nCR02,0,0\n")
    with pytest.raises(league_charts.TileLayoutError, match="CR02 and CR01 share row 0, col 0"):
        league_charts.tile_layout(shared)
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("code,row,col\nCR01,0,0\nCR01,0,1\n")
    with pytest.raises(league_charts.TileLayoutError, match="CR01 appears twice"):
        league_charts.tile_layout(repeated)


# --- values, bounds and ranks ---------------------------------------------------------------------

def test_ranks_of_points_and_bounds_by_hand() -> None:
    rows = [{"region_code": "A", "value": 10.0}, {"region_code": "B", "value": 5.0},
            {"region_code": "C", "value": None, "low": 4.0, "high": 12.0},
            {"region_code": "D", "value": None, "low": None, "high": None},
            {"region_code": "E", "value": None, "low": 11.0, "high": None}]  # at least 11
    ranks = league_measures.ranks(rows)
    assert "D" not in ranks  # nothing known: no rank
    # E (>= 11) is certainly above A (10) and B (5): A is at best 2nd; nobody is certainly below A but B
    assert (ranks["A"].best, ranks["A"].worst, ranks["A"].count) == (2, 3, 4)
    assert (ranks["B"].best, ranks["B"].worst) == (3, 4)  # above it for sure: A and E; below: nobody
    assert (ranks["C"].best, ranks["C"].worst) == (1, 4)  # 4..12 overlaps everybody
    assert (ranks["E"].best, ranks["E"].worst) == (1, 2)  # B (5) and A (10) lie wholly below 11
    assert league_measures.rank_text(ranks["C"], "nl") == "1–4"


def test_equal_values_share_their_places() -> None:
    ranks = league_measures.ranks([{"region_code": "A", "value": 3.0}, {"region_code": "B", "value": 3.0},
                                   {"region_code": "C", "value": 1.0}])
    assert (ranks["A"].best, ranks["A"].worst) == (1, 2) and (ranks["C"].best, ranks["C"].worst) == (3, 3)
    assert ranks["C"].exact and league_measures.rank_text(ranks["C"], "en") == "3"


def test_value_or_bound_in_each_edition() -> None:
    text = league_measures.value_text
    assert text({"value": None, "low": 7.8, "high": None}, "percent", "nl") == "≥ 7,8%"
    assert text({"value": None, "low": None, "high": 3.0}, "percent", "en") == "≤ 3.0%"
    assert text({"value": None, "low": 0.0, "high": 1098.004}, "jobs", "nl") == "0 tot 1.098 banen"
    assert text({"value": None, "low": 0.0, "high": 1098.004}, "jobs", "en") == "0 to 1,098 jobs"
    assert text({"value": -6.6037, "low": -6.8, "high": -6.4}, "percent", "nl") == "-6,6%"
    assert text({"value": None, "low": None, "high": None}, "percent", "nl") == ""
    # the sort key: the value, else the middle of two bounds, else the one bound
    assert league_measures.sort_key({"value": None, "low": 0.0, "high": 1098.0}) == 549.0
    assert league_measures.sort_key({"value": None, "low": 7.8, "high": None}) == 7.8


def test_stand_in_is_needed_from_half_the_regions_missing() -> None:
    def rows(missing: int, total: int = 40) -> list[dict]:
        return [{"region_code": f"R{i}", "value": None if i < missing else 1.0} for i in range(total)]

    assert league_measures.needs_stand_in(rows(20))  # exactly half missing: shown
    assert not league_measures.needs_stand_in(rows(19))
    assert league_measures.needs_stand_in(rows(40))
    assert not league_measures.needs_stand_in([])


def test_stand_in_on_the_real_data_is_labour_volume_of_industry() -> None:
    """HTSM (SBI 24-30) lies in C, but the regional accounts leave C out for some regions; B-E has them all.
    Twente, newest edition 85925NED (the successor of 84419NED): 35,800 in 2010 and 35,100 in 2015,
    printed in hundreds (each +-50)."""
    with (paths.project_root() / "data" / "processed" / "regional_accounts.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_level"] == "corop"]
    regions = sorted({r["region_code"] for r in rows})
    with_c = {r["region_code"] for r in rows if r["sbi_code"] == "C" and r["year"] == "2010"
              and r["source_table"] == "85925NED" and r["labour_volume_total"]}
    assert len(with_c) < 40  # why C is not the stand-in
    spec = league_measures.stand_in("htsm-growth", regions)
    assert spec is not None and (spec["sector"], spec["base_year"], spec["end_year"]) == ("B-E", 2010, 2015)
    twente = spec["values"]["CR12"]
    assert twente["value"] == pytest.approx(100 * (35100 / 35800 - 1))  # -1.955%
    assert twente["low"] == pytest.approx(100 * (35050 / 35850 - 1))
    assert twente["high"] == pytest.approx(100 * (35150 / 35750 - 1))
    assert len(spec["values"]) == 40
    assert league_measures.stand_in("technical-students", regions) is None  # one region's claim: none


def test_dot_chart_draws_points_as_dots_bounds_as_bars_and_nothing_for_one_region() -> None:
    rows = [{"region_code": "A", "region_name": "Aa", "value": 10.0},
            {"region_code": "B", "region_name": "Bb", "value": 5.0},
            {"region_code": "C", "region_name": "Cc", "value": None, "low": 4.0, "high": 12.0},
            {"region_code": "D", "region_name": "Dd", "value": None}]
    chart = league_charts.dot_chart(rows, title="t", axis_label="procent", first_label="links hoog",
                                    format_value=lambda v: f"{v:.0f} banen", highlight={"B": "Bb"})
    assert chart.count("<circle") == 2 and chart.count("<title>Cc</title>") == 1  # D has nothing to draw
    assert "▼ Bb" in chart and 'r="5"' in chart  # the marked region: larger and named
    # order by rank, highest left: C's bar (middle 8) stands between A (10) and B (5)
    x = {name: float(chart.split(f"<title>{name}</title>")[0].rsplit('x1="' if name == "Cc" else 'cx="', 1)[1]
                     .split('"')[0]) for name in ("Aa", "Bb", "Cc")}
    assert x["Aa"] < x["Cc"] < x["Bb"]
    assert league_charts.dot_chart(rows[:1] + rows[3:], title="t", axis_label="", first_label="",
                                   format_value=str, highlight={}) == ""


# --- the page -------------------------------------------------------------------------------------

REGIONS = sorted(league_charts.tile_layout())


def synthetic_leagues() -> dict[str, list[dict]]:
    """Claim "own": a value for every region (i * 7 mod 40 - 20: all different). Claim "hidden": the value
    for five regions, a bound for five, nothing for the rest, and a stand-in for all (40 - i)."""
    own, hidden = [], []
    for i, code in enumerate(REGIONS):
        name = "Twente (CR)" if code == "CR12" else f"Regio {code[2:]} (CR)"
        own.append({"region_code": code, "region_name": name, "value": float(i * 7 % 40 - 20), "unit": "percent",
                    "verdict": "supported" if i % 2 else "not_supported"})
        value = float(i) if i < 5 else None
        low, high = (float(i), float(i) + 3) if 5 <= i < 10 else (value, value)
        hidden.append({"region_code": code, "region_name": name, "value": value, "low": low, "high": high,
                       "unit": "percent", "verdict": "within_revision" if i < 10 else "undecidable"})
    spec = {"sector": "B-E", "base_year": 2010, "end_year": 2015,
            "values": {code: {"value": 40.0 - i, "low": 39.5 - i, "high": 40.5 - i} for i, code in enumerate(REGIONS)}}
    league_measures.attach_stand_in(hidden, spec)
    return {"own": own, "hidden": hidden}


RESULTS = {"own": {"title": {"nl": "Eigen maat", "en": "Own measure"}, "page": "claim-own.html", "order": 1},
           "hidden": {"title": {"nl": "Geheime maat", "en": "Suppressed measure"}, "page": "claim-hidden.html",
                      "order": 2}}


def render_page(folder: Path, lang: str = "nl", region: str = "CR12") -> Path:
    parameters = plan.validate_parameters(region)
    view = league_page.league_view(synthetic_leagues(), RESULTS, ["own", "hidden"], parameters, lang, folder)
    context = render.SiteContext(parameters, datetime(2026, 1, 2, tzinfo=UTC), {}, "test", "0" * 40)
    folder.mkdir(parents=True, exist_ok=True)
    render.write_static(folder)  # the page's style and sorting script, as a build writes them
    page = folder / "league.html"
    page.write_text(render.render_league(context, lang, view), encoding="utf-8")
    return page


def test_every_table_cell_has_a_numeric_sort_key_where_it_shows_a_number(tmp_path: Path) -> None:
    soup = BeautifulSoup(render_page(tmp_path).read_text(), "html.parser")
    body = soup.select("#league-table tbody tr")
    assert len(body) == 40
    headings = soup.select("#league-table thead tr.sort th")
    # region, own value + rank, hidden value + rank (ten regions have a number), one stand-in
    assert [th.get("data-claim") or th.get("data-rank-of") or th.get("data-stand-in") or "region"
            for th in headings] == ["region", "own", "own", "hidden", "hidden", "B-E-2010-2015"]
    for row in body:
        cells = row.find_all(["th", "td"])
        assert len(cells) == len(headings)
        for cell in cells[1:]:
            assert cell.has_attr("data-sort")
            if any(ch.isdigit() for ch in cell.get_text()):
                assert math.isfinite(float(cell["data-sort"])), cell
    by_region = {row["data-region"]: row.select("td") for row in body}
    # REGIONS[6] has the bound 6..9: shown as a bound, sorted by its middle 7.5, rank 1-5 by hand
    # (above it for sure: nobody, since 7 <= 9 and 8 <= 9; below it for sure: the five points 0..4)
    sixth = by_region[REGIONS[6]]
    assert sixth[2].get_text(" ", strip=True).endswith("6,0% tot 9,0%")
    assert float(sixth[2]["data-sort"]) == 7.5 and sixth[3].get_text(strip=True) == "1–5"
    assert float(sixth[4]["data-sort"]) == 34.0  # stand-in of REGIONS[6]: 40 - 6
    # a region without a number sorts by its verdict's order
    assert by_region[REGIONS[20]][2]["data-sort"] == "" and by_region[REGIONS[20]][2]["data-sort2"] == str(
        league_page.VERDICT_ORDER.index("undecidable"))


def test_initial_sort_indicator_matches_the_rows_shown(tmp_path: Path) -> None:
    soup = BeautifulSoup(render_page(tmp_path).read_text(), "html.parser")
    sorted_by = soup.select("#league-table thead [aria-sort]")
    assert len(sorted_by) == 1 and sorted_by[0]["aria-sort"] == "ascending"
    column = soup.select("#league-table thead tr.sort th").index(sorted_by[0])
    keys = [row.find_all(["th", "td"])[column]["data-sort"] for row in soup.select("#league-table tbody tr")]
    assert keys == sorted(keys) and keys[0] == "CR01"  # CBS's order of the region codes
    # the hint stands above the table, the caption is not cut: a heading names the table
    hint = soup.select_one("#league-hint")
    assert hint.find_next("table")["id"] == "league-table"
    assert soup.select_one("#league-table")["aria-labelledby"] == "league-table-title"


def test_page_states_rank_and_stand_in_and_maps_every_region(tmp_path: Path) -> None:
    soup = BeautifulSoup(render_page(tmp_path).read_text(), "html.parser")
    standing = [li.get_text(" ", strip=True) for li in soup.select(".league-standing li")]
    # Twente is REGIONS[11] (CR12): own value 11 * 7 mod 40 - 20 = 17; higher: 18, 19 -> 3rd of 40
    assert "Twente staat op plaats 3 van 40 regio's, met 17,0%" in standing[0]
    assert "Voor Twente is er bij deze bewering geen waarde" in standing[1]
    assert "(SBI B-E), 2010–2015: plaats 12 van 40 (29,0%)" in standing[1]  # stand-in: 40 - 11
    hidden = soup.select_one("#chart-hidden")
    assert "ontbreekt voor 35 van de 40 regio's" in hidden.get_text(" ", strip=True)
    maps = soup.select("svg.league-tiles")
    assert len(maps) == 2
    for tiles in maps:
        assert tiles["role"] == "img" and "Tegelkaart van de 40 COROP-regio's" in tiles.title.get_text()
        assert len(tiles.select("g > rect:first-of-type")) == 40
    # the map's text version names every region once
    listed = [name for li in hidden.select("details li") for name in li.get_text().split(": ", 1)[1].split(", ")]
    assert len(listed) == 40 and len(set(listed)) == 40
    assert "CR12" not in soup.select_one("main").get_text(" ")  # region names, not codes, in the visible text


def test_a_stand_in_shared_by_two_claims_is_drawn_once_and_linked_from_the_second(tmp_path: Path) -> None:
    leagues = synthetic_leagues()
    leagues["hidden2"] = [dict(row) for row in leagues["hidden"]]  # the same stand-in (B-E, 2010-2015)
    results = {**RESULTS, "hidden2": {"title": {"nl": "Nog een geheime maat", "en": "Another"},
                                      "page": "claim-hidden2.html", "order": 3}}
    parameters = plan.validate_parameters("CR12")
    view = league_page.league_view(leagues, results, ["own", "hidden", "hidden2"], parameters, "nl", tmp_path)
    context = render.SiteContext(parameters, datetime(2026, 1, 2, tzinfo=UTC), {}, "test", "0" * 40)
    soup = BeautifulSoup(render.render_league(context, "nl", view), "html.parser")
    # one stand-in chart and, besides the own measure's map, one stand-in map
    assert len(soup.select("figure.stand-in")) == 1 and len(soup.select("svg.league-tiles")) == 2
    second = soup.select_one("#chart-hidden2")
    assert second.select_one("figure") is not None  # its own dot chart (five regions) stays
    link = second.select_one(".stand-in-see a")
    assert link["href"] == "#chart-hidden" and link.get_text() == "Geheime maat"
    assert "ontbreekt voor 35 van de 40 regio's" in second.get_text(" ", strip=True)  # why, still said


# --- in a browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from test_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("league")
    render_page(folder)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium, folder / "league.html"
        chromium.close()


@pytest.mark.slow
def test_clicking_a_numeric_column_orders_rows_by_number(browser) -> None:
    chromium, page_path = browser
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri())

    def column(name: str) -> list[str]:
        return page.eval_on_selector_all(f"#league-table tbody td:nth-child({name})", "cells => cells.map(c => c.dataset.sort)")

    page.locator('#league-table th[data-claim="own"] button').click()
    values = [float(v) for v in column("2")]
    assert values == [float(v) for v in range(-20, 20)]  # i * 7 mod 40 takes every value 0..39 once
    assert page.locator('#league-table th[data-claim="own"]').get_attribute("aria-sort") == "ascending"
    assert page.locator("#league-table th.region").get_attribute("aria-sort") is None
    page.locator('#league-table th[data-claim="hidden"] button').click()
    keys = column("4")
    # numbers first, by number (not as text: 10 after 9), then the 30 regions without one
    assert [float(k) for k in keys[:10]] == [0.0, 1.0, 2.0, 3.0, 4.0, 6.5, 7.5, 8.5, 9.5, 10.5]
    assert keys[10:] == [""] * 30
    page.locator('#league-table th[data-claim="hidden"] button').click()
    keys = column("4")
    assert [float(k) for k in keys[:10]] == [10.5, 9.5, 8.5, 7.5, 6.5, 4.0, 3.0, 2.0, 1.0, 0.0]
    assert keys[10:] == [""] * 30  # still last when descending
    assert errors == []
    page.close()


@pytest.mark.slow
def test_phone_width_has_no_sideways_scroll_and_keeps_the_region_in_view(browser) -> None:
    chromium, page_path = browser
    page = chromium.new_page(viewport={"width": 390, "height": 800})
    page.goto(page_path.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    wrap = page.locator(".league-wrap")
    assert wrap.evaluate("box => box.scrollWidth > box.clientWidth")  # the table scrolls in its own box
    wrap.evaluate("box => { box.scrollLeft = 400; }")
    region = page.locator("#league-table tbody th").first
    box, wrap_box = region.bounding_box(), wrap.bounding_box()
    assert box["x"] <= wrap_box["x"] + 2  # the sticky region column stays at the box's left edge
    page.close()
