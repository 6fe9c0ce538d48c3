"""Kind ``rank``: a place among the regions of one level, or the only region with a sign.

Expected places come from data/processed/jobs.csv read with pandas (tests/kinds_new_helpers.py),
and from synthetic intervals worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.engine.check import check, tables_for
from analysis.engine.intervals import Bound
from analysis.engine.kinds.rank import place_holds, place_range, sign_holds
from analysis.engine.registry import load_registry
from analysis.engine.registry_errors import RegistryError
from kinds_new_helpers import cell, real_cells, write_jobs, write_registry

FIXTURE = Path(__file__).parent / "fixtures" / "new_kinds_registry.toml"
PROVINCES = [f"PV{n}" for n in range(20, 32)]
COROP = [f"CR{n:02d}" for n in range(1, 41)]


def rank_claim(region: str, relation: str, reading: str, table: str = "83582NED") -> str:
    return f"""
[[claim]]
id = "rk"
region = "{region}"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "rank"
relation = "{relation}"
reading = {{ table = "{table}", {reading} }}
"""


def reading(tmp_path, claim: str, data: Path | None = None):
    registry = write_registry(tmp_path / "claims.toml", claim)
    return check("rk", registry=registry, data_dir=data).reading


@pytest.fixture(scope="module")
def cells():
    return real_cells()


def changes(cells, regions, sbi, base, end) -> dict[str, float]:
    return {r: 100 * (cell(cells, r, sbi, end) / cell(cells, r, sbi, base) - 1) for r in regions}


# --- pure functions: rank ranges from intervals ---------------------------------------------------

def test_place_range_counts_peers_surely_ahead_and_behind():
    values = {"a": Bound(9, 9, 9), "b": Bound(5, None, 8), "c": Bound(7, 7, 7), "d": Bound(1, 1, 1)}
    # b: a is surely ahead (9 > 8); c may be ahead or behind (7 in [5, 8]); d surely behind
    assert place_range(values, "b") == (2, 3)
    assert place_range(values, "a") == (1, 1)
    assert place_range(values, "d") == (4, 4)


def test_equal_ends_may_tie_either_way():
    # c's value 8 equals b's high end: neither is surely ahead, so both places stay possible
    values = {"b": Bound(5, None, 8), "c": Bound(8, 8, 8)}
    assert place_range(values, "b") == (1, 2)
    assert place_range(values, "c") == (1, 2)


@pytest.mark.parametrize("best,worst,low,high,holds", [
    (9, 9, 9, 9, True),      # exactly place 9
    (8, 9, 9, 9, None),      # 8 or 9: open
    (10, 12, 9, 9, False),   # surely below place 9
    (1, 3, 1, 3, True),      # top 3: worst place exactly 3
    (3, 4, 1, 3, None),      # top 3: place 3 or 4
    (4, 6, 1, 3, False),     # top 3: best place 4
])
def test_place_holds(best, worst, low, high, holds):
    assert place_holds(best, worst, low, high) is holds


@pytest.mark.parametrize("own,highest,expected", [
    (Bound(0.5, 0.5, 0.5), Bound(0.0, 0.0, 0.0), (True, True)),     # another at exactly 0: not rising
    (Bound(0.0, 0.0, 0.0), Bound(-1, -1, -1), (False, True)),       # the region at exactly 0: no rise
    (Bound(-0.1, None, 0.2), Bound(-0.1, None, 0.0), (None, True)),
    (Bound(1, 1, 1), Bound(-0.1, None, 0.1), (True, None)),         # another may have risen
    (Bound(1, 1, 1), Bound(0.01, 0.01, 0.01), (True, False)),
])
def test_sign_holds_at_zero(own, highest, expected):
    assert sign_holds(own, highest) == expected


# --- real data --------------------------------------------------------------------------------------

def test_largest_growth_of_all_provinces(tmp_path, cells):
    growth = changes(cells, PROVINCES, "A-U", 2010, 2017)
    first = max(growth, key=growth.get)
    got = reading(tmp_path, rank_claim(first, "rank", 'sector = "A-U", base_year = 2010, end_year = 2017'))
    assert got.holds is True
    assert got.result.value == pytest.approx(growth[first])
    runner_up = sorted(growth.values())[-2]
    assert got.strength == pytest.approx(growth[first] - runner_up)


def test_ninth_highest_province(tmp_path, cells):
    # "de op acht na hoogste": place 9 counted from the highest
    growth = changes(cells, PROVINCES, "A-U", 2010, 2017)
    ninth = sorted(growth, key=growth.get, reverse=True)[8]
    tenth = sorted(growth, key=growth.get, reverse=True)[9]
    holding = reading(tmp_path, rank_claim(ninth, "rank", 'sector = "A-U", base_year = 2010, '
                                           'end_year = 2017, position = 9'))
    assert holding.holds is True
    failing = reading(tmp_path, rank_claim(tenth, "rank", 'sector = "A-U", base_year = 2010, '
                                           'end_year = 2017, position = 9'))
    assert failing.holds is False


def test_lowest_order_counts_from_the_bottom(tmp_path, cells):
    growth = changes(cells, PROVINCES, "A-U", 2010, 2017)
    last = min(growth, key=growth.get)
    got = reading(tmp_path, rank_claim(last, "rank", 'sector = "A-U", base_year = 2010, end_year = 2017, '
                                       'order = "lowest"'))
    assert got.holds is True


def test_only_province_that_grew_or_fell(tmp_path, cells):
    for base, end, sign in ((2012, 2013, "rise"), (2013, 2014, "fall")):
        growth = changes(cells, PROVINCES, "A-U", base, end)
        alone = [r for r, g in growth.items() if (g > 0 if sign == "rise" else g < 0)]
        assert len(alone) == 1  # the data's own fact, worked out here
        claim = f'sector = "A-U", base_year = {base}, end_year = {end}, sign = "{sign}"'
        assert reading(tmp_path, rank_claim(alone[0], "only_sign", claim)).holds is True
        other = next(r for r in PROVINCES if r != alone[0])
        assert reading(tmp_path, rank_claim(other, "only_sign", claim)).holds is False


def test_corop_places_among_forty_regions(tmp_path, cells):
    # all 40 COROP cells of A-U are published in 2019 and 2020 (CR99 is no peer); each change is
    # an interval from cells +-50: [(end - 50) / (base + 50) - 1, (end + 50) / (base - 50) - 1],
    # and a place range counts the regions surely ahead and surely behind
    ends = {r: (cell(cells, r, "A-U", 2019), cell(cells, r, "A-U", 2020)) for r in COROP}
    low = {r: 100 * ((e - 50) / (b + 50) - 1) for r, (b, e) in ends.items()}
    high = {r: 100 * ((e + 50) / (b - 50) - 1) for r, (b, e) in ends.items()}
    places = {r: (1 + sum(low[o] > high[r] for o in COROP if o != r),
                  40 - sum(high[o] < low[r] for o in COROP if o != r)) for r in COROP}
    exact = sorted((p[0], r) for r, p in places.items() if p[0] == p[1])
    assert exact, "no region with an exact place: pick other years"
    place, region = exact[len(exact) // 2]
    claim = f'sector = "A-U", base_year = 2019, end_year = 2020, position = {place}'
    got = reading(tmp_path, rank_claim(region, "rank", claim))
    assert got.holds is True and got.inputs["place"] == [place, place, 40]
    loose = next(r for r, p in places.items() if p[0] < p[1])
    got = reading(tmp_path, rank_claim(loose, "rank", claim.replace(f"= {place}", f"= {places[loose][0]}")))
    assert got.inputs["place"] == [*places[loose], 40] and got.holds is None


def test_jobs_gained_metric(tmp_path, cells):
    gained = {r: cell(cells, r, "A-U", 2017) - cell(cells, r, "A-U", 2010) for r in PROVINCES}
    first = max(gained, key=gained.get)
    got = reading(tmp_path, rank_claim(first, "rank", 'sector = "A-U", base_year = 2010, '
                                       'end_year = 2017, metric = "difference"'))
    assert got.holds is True and got.result.value == pytest.approx(gained[first])


def test_suppressed_cells_leave_a_range(cells):
    # the example: Twente's manufacturing growth 2010-2017 among COROP regions whose cells are
    # partly suppressed; place 9 lies outside every place the intervals allow
    result = check("twente-industry-ninth", registry=FIXTURE)
    best, worst, peers = result.reading.inputs["place"]
    assert peers == 40 and best < worst
    assert result.reading.holds is (False if not best <= 9 <= worst else None)


# --- synthetic: a suppressed peer -----------------------------------------------------------------

def test_suppressed_peer_makes_the_first_place_open(tmp_path):
    # CR01 +20% ([19.9, 20.1] with +-50 a cell), CR02 +10%, CR03 suppressed in 2016 (no nation
    # row bounds it: any value), the rest lower: CR01 is first or second
    cells = {(r, "C", y): v for r, y, v in [
        ("CR01", 2010, 100000), ("CR01", 2016, 120000),
        ("CR02", 2010, 100000), ("CR02", 2016, 110000),
        ("CR03", 2010, 100000), ("CR03", 2016, None),
        ("CR04", 2010, 100000), ("CR04", 2016, 90000),
        ("CR05", 2010, 100000), ("CR05", 2016, 95000),
        ("CR06", 2010, 100000), ("CR06", 2016, 100000)]}
    data = write_jobs(tmp_path / "data", cells)
    claim = rank_claim("CR01", "rank", 'sector = "C", base_year = 2010, end_year = 2016', "99901NED")
    got = reading(tmp_path, claim, data)
    assert got.inputs["place"] == [1, 2, 6]
    assert got.holds is None
    assert reading(tmp_path, claim.replace('relation = "rank"', 'relation = "top"').replace("}", ", position = 2 }"),
                   data).holds is True


def test_nation_has_no_peers(tmp_path, cells):
    path = write_registry(tmp_path / "claims.toml", rank_claim(
        "NL01", "rank", 'sector = "A-U", base_year = 2010, end_year = 2017'))
    with pytest.raises(RegistryError, match="claim 'rk', field region: a rank needs regions"):
        load_registry(path, tables_for(None))


@pytest.mark.parametrize("relation,reading_text,field", [
    ("rank", 'sector = "A-U", end_year = 2017', "check.reading.base_year"),
    ("only_sign", 'sector = "A-U", end_year = 2017, metric = "level"', "check.reading.metric"),
    ("rank", 'sector = "A-U", base_year = 2010, end_year = 2017, position = 0', "check.reading.position"),
    ("rank", 'sector = "A-U", base_year = 2010, end_year = 2017, order = "top"', "check.reading.order"),
])
def test_invalid_entries_name_claim_and_field(tmp_path, relation, reading_text, field):
    path = write_registry(tmp_path / "claims.toml", rank_claim("PV23", relation, reading_text))
    with pytest.raises(RegistryError, match=f"claim 'rk', field {field}"):
        load_registry(path)
