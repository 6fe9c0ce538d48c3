"""Division lists are summed over published aggregates where they tile the list (issue 14, item 14).

HTSM 24-30 from 24-25, 26, 27, 28 and 29-30 (five rounded cells, +-250) instead of seven single
divisions (+-350); a suppressed cell only where no cover of published cells exists.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.engine.cover import fewest_cells
from analysis.engine.intervals import change_pct
from analysis.engine.kinds.base import resolve_codes
from analysis.engine.tables import Tables
from engine_tables_helpers import write_jobs

HTSM = [str(d) for d in range(24, 31)]  # data/htsm_definition.csv, narrow
SINGLES = set(HTSM)


def test_groups_replace_their_single_divisions():
    assert fewest_cells(range(24, 31), SINGLES | {"24-25", "29-30"}) == ("24-25", "26", "27", "28", "29-30")
    assert resolve_codes(HTSM, SINGLES | {"24-25", "29-30", "C"}) == ["24-25", "26", "27", "28", "29-30"]


def test_only_singles_give_the_singles():
    assert fewest_cells(range(24, 31), SINGLES) == tuple(sorted(SINGLES))


def test_a_group_reaching_outside_the_list_is_not_used():
    # 29-33 holds divisions the list does not want; 29 and 30 must come as they are
    found = fewest_cells(range(24, 31), SINGLES | {"24-25", "29-33"})
    assert found == ("24-25", "26", "27", "28", "29", "30")


def test_no_cover_is_none():
    assert fewest_cells(range(24, 31), SINGLES - {"30"}) is None
    assert resolve_codes(HTSM, SINGLES - {"30"}) is None


def test_a_suppressed_group_gives_way_to_its_published_parts():
    found = fewest_cells(range(24, 31), SINGLES | {"24-25", "29-30"}, suppressed={"24-25"})
    assert found == ("24", "25", "26", "27", "28", "29-30")
    # when a single is suppressed, the group that holds it is the cover of published cells
    found = fewest_cells(range(24, 31), SINGLES | {"24-25"}, suppressed={"24"})
    assert found == ("24-25", "26", "27", "28", "29", "30")


def test_a_section_code_is_left_as_it_is():
    assert resolve_codes(["C"], {"C", "28"}) == ["C"]
    assert resolve_codes(["C"], {"28"}) is None


def _hand_table(tmp_path, group_2010):
    # divisions 24..30 of 1,000 jobs each and the groups 24-25 and 29-30 of 2,000 (table outside
    # the registry: CBS's usual unit of 100, +-50 per cell)
    rows = [("99901NED", "v1", "NL01", str(d), 2010, 1000) for d in range(24, 31)]
    rows += [("99901NED", "v1", "NL01", "24-25", 2010, group_2010),
             ("99901NED", "v1", "NL01", "29-30", 2010, 2000)]
    return Tables(write_jobs(tmp_path / "data", rows))


def test_hand_made_table_interval_from_five_cells(tmp_path):
    tables = _hand_table(tmp_path, 2000)
    bound = tables.national_jobs("99901NED", HTSM, 2010)
    assert (bound.lo, bound.value, bound.hi) == (7000 - 5 * 50, 7000, 7000 + 5 * 50)


def test_hand_made_table_with_the_group_suppressed_uses_its_parts(tmp_path):
    tables = _hand_table(tmp_path, None)
    bound = tables.national_jobs("99901NED", HTSM, 2010)
    assert (bound.lo, bound.value, bound.hi) == (7000 - 6 * 50, 7000, 7000 + 6 * 50)


def test_83583ned_national_htsm_change_2010_2016_from_five_cells():
    # cells of data/processed/jobs.csv (83583NED, NL01), read by hand:
    #   2010: 24-25 105,300; 26 26,700; 27 19,800; 28 73,500; 29-30 37,200 -> 262,500
    #   2016: 24-25 104,400; 26 24,500; 27 21,200; 28 81,100; 29-30 37,900 -> 269,100
    # five cells of +-50: 2010 in [262,250, 262,750], 2016 in [268,850, 269,350]
    tables = Tables()
    codes = resolve_codes(HTSM, set(tables.jobs_codes("83583NED", "NL01")))
    assert codes == ["24-25", "26", "27", "28", "29-30"]
    first = tables.national_jobs("83583NED", codes, 2010)
    last = tables.national_jobs("83583NED", codes, 2016)
    assert (first.lo, first.value, first.hi) == (262250, 262500, 262750)
    assert (last.lo, last.value, last.hi) == (268850, 269100, 269350)
    change = change_pct(first, last)
    assert change.lo == pytest.approx(100 * (268850 / 262750 - 1))  # +2.32%
    assert change.hi == pytest.approx(100 * (269350 / 262250 - 1))  # +2.71%
    # the seven single cells (same sums, 262,500 and 269,100) with +-350 gave +2.24% .. +2.78%
    seven = (100 * (269450 / 262150 - 1)) - (100 * (268750 / 262850 - 1))
    assert change.hi - change.lo < seven
    assert change.hi - change.lo == pytest.approx(100 * (269350 / 262250 - 268850 / 262750))


def test_the_hand_read_cells_are_the_file_cells():
    # guards the hand-read numbers above against a rebuilt data/processed
    jobs = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype=str, keep_default_na=False)
    rows = jobs[(jobs["source_table"] == "83583NED") & (jobs["region_code"] == "NL01")]
    value = {(r.sbi_code, int(r.year)): int(r.employee_jobs) for r in rows.itertuples()
             if r.employee_jobs}
    assert [value[(c, 2010)] for c in ("24-25", "26", "27", "28", "29-30")] == \
        [105300, 26700, 19800, 73500, 37200]
    assert [value[(c, 2016)] for c in ("24-25", "26", "27", "28", "29-30")] == \
        [104400, 24500, 21200, 81100, 37900]
