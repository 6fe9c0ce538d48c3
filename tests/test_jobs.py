"""The jobs processing step: reading, hierarchy-derived cells, derived national sums, checks."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.processing import jobs as jobs_step
from analysis.processing.checks import ProcessingCheckError
from analysis.processing.sbi import SBI_PARTS, rounding_tolerance, split_sbi_title
from analysis.processing.schema import JOBS_COLUMNS
from analysis.sources.registry import get_source


def _row(region: str, sbi: str, year: int, value: int | None, table: str = "T1") -> dict:
    return {
        "source_table": table, "vintage": "v1", "region_code": region, "region_name": region,
        "region_level": jobs_step.region_level(region), "sbi_code": sbi, "sbi_label": sbi, "year": year,
        "employee_jobs": value, "suppressed": value is None, "derived": False, "derivation": "",
        "missing_parts": "", "period_status": "",
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(JOBS_COLUMNS))
    frame["employee_jobs"] = frame["employee_jobs"].astype("Int64")
    return frame


def test_split_sbi_title() -> None:
    assert split_sbi_title("C Industrie") == ("C", "Industrie")
    assert split_sbi_title("A-U Alle economische activiteiten") == ("A-U", "Alle economische activiteiten")
    with pytest.raises(ValueError, match="unknown SBI section code 'Z9'"):
        split_sbi_title("Z9 Something")


def test_region_levels() -> None:
    assert [jobs_step.region_level(c) for c in ("NL01", "LD02", "PV23", "CR12", "CR99")] == [
        "nl", "landsdeel", "provincie", "corop", "corop_unassigned"]
    with pytest.raises(ProcessingCheckError, match="unknown region code 'XX01'"):
        jobs_step.region_level("XX01")


def test_rounding_tolerance_is_half_a_unit_per_cell() -> None:
    assert rounding_tolerance(4) == pytest.approx(250)  # B-E and its 4 parts: 5 cells x 50 jobs


def test_suppressed_part_is_derived_from_parent_as_separate_row() -> None:
    # B-E = B + C + D + E; C suppressed: C = 1000 - 100 - 200 - 300 = 400.
    frame = _frame([_row("CR12", "B-E", 2016, 1000), _row("CR12", "B", 2016, 100), _row("CR12", "C", 2016, None),
                    _row("CR12", "D", 2016, 200), _row("CR12", "E", 2016, 300)])
    fixes = jobs_step.derive_from_hierarchy(frame)
    assert len(fixes) == 1
    fix = fixes.iloc[0]
    assert (fix["sbi_code"], fix["employee_jobs"], bool(fix["derived"]), bool(fix["suppressed"])) == ("C", 400, True, False)
    assert fix["derivation"] == "SBI hierarchy: C = B-E − B − D − E"
    # the published (suppressed) row is not touched
    assert frame.loc[frame["sbi_code"] == "C", "employee_jobs"].isna().all()


def test_fixes_cascade_and_two_unknowns_stay_unknown() -> None:
    # B-F = B-E + F with B-E suppressed; then B-E fixes C. D and E both unknown in another year: no fix.
    rows = [_row("CR01", "B-F", 2015, 2000), _row("CR01", "F", 2015, 1000), _row("CR01", "B-E", 2015, None),
            _row("CR01", "B", 2015, 100), _row("CR01", "C", 2015, None), _row("CR01", "D", 2015, 200),
            _row("CR01", "E", 2015, 300),
            _row("CR01", "B-E", 2016, 900), _row("CR01", "B", 2016, 100), _row("CR01", "C", 2016, 500),
            _row("CR01", "D", 2016, None), _row("CR01", "E", 2016, None)]
    fixes = jobs_step.derive_from_hierarchy(_frame(rows)).set_index(["sbi_code", "year"])["employee_jobs"]
    assert fixes.to_dict() == {("B-E", 2015): 1000, ("C", 2015): 400}


def test_inconsistent_parts_fail_loudly() -> None:
    frame = _frame([_row("CR12", "M-N", 2012, 1000), _row("CR12", "M", 2012, 400), _row("CR12", "N", 2012, 400)])
    with pytest.raises(ProcessingCheckError, match="M-N differs from M \\+ N by more than rounding"):
        jobs_step.check_hierarchy(frame, "T1")


def test_hierarchy_within_rounding_passes() -> None:
    frame = _frame([_row("CR12", "M-N", 2012, 1000), _row("CR12", "M", 2012, 400), _row("CR12", "N", 2012, 500)])
    frame.loc[frame["sbi_code"] == "N", "employee_jobs"] = 650  # off by 50: within 150 tolerance
    jobs_step.check_hierarchy(frame, "T1")


def test_national_sum_lists_missing_regions() -> None:
    frame = _frame([_row("CR01", "A", 2010, 100), _row("CR02", "A", 2010, 200), _row("CR99", "A", 2010, 5),
                    _row("CR01", "A", 2011, 110), _row("CR02", "A", 2011, 210), _row("CR99", "A", 2011, None)])
    national = jobs_step.derive_national(frame, "T1").set_index("year")
    assert national.loc[2010, "employee_jobs"] == 305
    assert national.loc[2010, "missing_parts"] == ""
    assert national.loc[2011, "employee_jobs"] == 320
    assert national.loc[2011, "missing_parts"] == "CR99"
    assert national["derived"].all() and (national["region_code"] == "NL01").all()


def test_regions_must_add_up_to_published_nation() -> None:
    frame = _frame([_row("NL01", "A", 2010, 1000), _row("CR01", "A", 2010, 400), _row("CR99", "A", 2010, 100)])
    with pytest.raises(ProcessingCheckError, match="do not add up to the published national figure"):
        jobs_step.check_regions_add_up(frame, "T1")


def test_duplicate_keys_fail() -> None:
    frame = _frame([_row("CR01", "A", 2010, 100), _row("CR01", "A", 2010, 100)])
    with pytest.raises(ProcessingCheckError, match="share a key"):
        jobs_step.check_jobs(frame)


# --- real data (the offline mirror) -------------------------------------------------------------


@pytest.fixture(scope="module")
def mirror_jobs(mirror_dir) -> pd.DataFrame:
    main = get_source("83582NED")
    older = get_source("81402ned")
    read_main = jobs_step.read_83582(mirror_dir / main.mirror_path, main)
    corop = {n: c for c, n in zip(read_main["region_code"], read_main["region_name"], strict=True)
             if c.startswith("CR") and c != "CR99"}
    read_older = jobs_step.read_statline_jobs(mirror_dir / older.mirror_path, older, corop)
    return jobs_step.build_jobs([(main, read_main), (older, read_older)])


def _value(jobs: pd.DataFrame, table: str, region: str, sbi: str, year: int, derived: bool = False):
    row = jobs[(jobs.source_table == table) & (jobs.region_code == region) & (jobs.sbi_code == sbi)
               & (jobs.year == year) & (jobs.derived == derived)]
    assert len(row) == 1
    return row.iloc[0]


def test_mirror_shape_and_gaps(mirror_jobs: pd.DataFrame) -> None:
    read = mirror_jobs[(mirror_jobs.source_table == "83582NED") & ~mirror_jobs.derived]
    assert len(read) == 17_220  # 28 SBI keys x 41 regions x 15 years (data README)
    assert int(read["suppressed"].sum()) == 1_582
    assert not (read["region_level"] == "nl").any()  # the mirror was filtered to COROP regions


def test_mirror_twente_values(mirror_jobs: pd.DataFrame) -> None:
    assert _value(mirror_jobs, "83582NED", "CR12", "A-U", 2010)["employee_jobs"] == 276_400
    assert _value(mirror_jobs, "81402ned", "CR12", "A-U", 2010)["employee_jobs"] == 278_600  # older release
    assert _value(mirror_jobs, "83582NED", "CR12", "C", 2016)["suppressed"]
    assert _value(mirror_jobs, "81402ned", "CR12", "A-U", 2010)["period_status"] == "provisional"


def test_mirror_derived_national_total_matches_cbs(mirror_jobs: pd.DataFrame) -> None:
    # CBS publishes 9,020.8 thousand (83583NED) for 2023; the sum of the 41 COROP cells is 9,020.9.
    national = _value(mirror_jobs, "83582NED", "NL01", "A-U", 2023, derived=True)
    assert national["employee_jobs"] == 9_020_900
    assert national["missing_parts"] == ""
    assert _value(mirror_jobs, "83582NED", "NL01", "A-U", 2015, derived=True)["missing_parts"] == "CR99"


def test_mirror_older_release_national_rows_are_read(mirror_jobs: pd.DataFrame) -> None:
    national = _value(mirror_jobs, "81402ned", "NL01", "A-U", 2008)
    assert national["employee_jobs"] == 7_891_900 and not national["derived"]
    assert not (mirror_jobs[(mirror_jobs.source_table == "81402ned")]["derived"]
                & (mirror_jobs.region_code == "NL01")).any()


def test_mirror_hierarchy_fixes_are_consistent(mirror_jobs: pd.DataFrame) -> None:
    fixes = mirror_jobs[mirror_jobs.derived & mirror_jobs.derivation.str.startswith("SBI")]
    assert len(fixes) > 0
    assert set(fixes["sbi_code"]) <= set(SBI_PARTS) | {p for parts in SBI_PARTS.values() for p in parts}
    # every fixed cell is suppressed in the published rows
    for row in fixes.head(50).itertuples():
        assert _value(mirror_jobs, row.source_table, row.region_code, row.sbi_code, row.year)["suppressed"]
