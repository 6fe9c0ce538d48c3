"""Build checks of the label-layout tables, on hand-made frames with known answers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.processing.checks import ProcessingCheckError
from analysis.processing.consistency import (
    check_corop_provinces,
    check_duplicate_periods,
    check_national_equals_regional,
    check_sbi_sums,
    check_worker_types,
    province_nation_gap,
    tolerance,
)
from analysis.processing.sbi import divisions_of, hierarchy_from_codes


def test_divisions_of_sections_groups_and_divisions() -> None:
    assert divisions_of("24-25") == {24, 25}
    assert divisions_of("C") == set(range(10, 34))
    assert divisions_of("B") == {6, 8, 9}  # 05 and 07 are never published
    assert divisions_of("B-E") == {6, 8, 9} | set(range(10, 34)) | {35} | {36, 37, 38, 39}  # SBI has no 34
    assert divisions_of("Niet-Overheid") is None


def test_hierarchy_from_codes_only_where_parts_cover_the_parent() -> None:
    codes = ["C", "24-25", "24", "25", "R", "90", "91", "92", "D", "35"]
    hierarchy = hierarchy_from_codes(codes)
    assert hierarchy["24-25"] == ("24", "25")
    assert hierarchy["35"] == ("D",)  # same divisions: must be equal
    assert "C" not in hierarchy  # 10-23 and 26-33 absent: C cannot be checked
    assert "R" not in hierarchy  # 93 absent (a truncated table): R cannot be checked


def _jobs(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"year": 2010, "sbi_code": list(values), "employee_jobs": list(values.values())})


def test_divisions_add_up_within_rounding() -> None:
    # 24 + 25 = 24-25 within (2 + 1) x 100 / 2 = 150 jobs
    assert check_sbi_sums(_jobs({"24-25": 1000, "24": 400, "25": 750}), ["year"], "employee_jobs", 100, "T") == 1
    with pytest.raises(ProcessingCheckError, match=r"employee_jobs of 24-25 differs from 24 \+ 25 .*\(150\)"):
        check_sbi_sums(_jobs({"24-25": 1000, "24": 400, "25": 751}), ["year"], "employee_jobs", 100, "T")


def test_divisions_not_adding_up_can_be_listed_instead() -> None:
    listed: list[dict] = []
    check_sbi_sums(_jobs({"24-25": 1000, "24": 400, "25": 800}), ["year"], "employee_jobs", 100, "T", listed)
    assert listed == [{"table": "T", "parent": "24-25", "parts": "24 + 25", "cell": "2010", "gap": 200.0}]


def _labour(total: int, employees: int, self_employed: int) -> pd.DataFrame:
    return pd.DataFrame({"source_table": "L", "vintage": "v", "sbi_code": "A-U", "year": 2010,
                         "worker_type": ["total", "employees", "self_employed"],
                         "jobs": [total, employees, self_employed]})


def test_employees_and_self_employed_add_up_to_total() -> None:
    # tolerance for two parts rounded to thousands: 3 x 1000 / 2 = 1500
    assert check_worker_types(_labour(10_000, 8_000, 3_500), ["jobs"], {"jobs": 1000}) == 1
    with pytest.raises(ProcessingCheckError, match="employees \\+ self-employed differ from the total jobs"):
        check_worker_types(_labour(10_000, 8_000, 3_501), ["jobs"], {"jobs": 1000})


def test_national_table_equals_regional_all_regions_total() -> None:
    national = pd.DataFrame({"vintage": "v", "sbi_code": "A-U", "year": [2010, 2011],
                             "employee_jobs": [7_888_200, 7_937_700]})
    same = pd.Series([7_888_200, 7_937_700], index=[2010, 2011], dtype="Float64")
    assert check_national_equals_regional(national, same, "v") == 2
    off = pd.Series([7_888_200, 7_937_900], index=[2010, 2011], dtype="Float64")  # 200 > 100 (one part)
    with pytest.raises(ProcessingCheckError, match="differs from the national A-U of 83582NED"):
        check_national_equals_regional(national, off, "v")


def test_record_order_rule_second_of_two_agrees_with_successor() -> None:
    older = pd.DataFrame({"sbi_code": "A-U", "year": [2011, 2011],
                          "period_status": ["first-of-two", "second-of-two"], "employee_jobs": [7_904_600, 7_937_710]})
    newer = pd.DataFrame({"sbi_code": "A-U", "year": [2011], "employee_jobs": [7_937_700]})
    result = check_duplicate_periods(older, newer)
    assert result == {"second of two agrees with 83583NED": 1, "first of two differs from 83583NED": 1}
    swapped = older.assign(period_status=["second-of-two", "first-of-two"])
    with pytest.raises(ProcessingCheckError, match="agrees with 83583NED in only 0 of 1"):
        check_duplicate_periods(swapped, newer)


def _regional(overijssel: float, twente: float, nation: float = 20_000) -> pd.DataFrame:
    rows = [("NL01", "nl", nation)]
    rows += [(f"PV{n}", "provincie", 1000) for n in range(20, 32) if n != 23] + [("PV23", "provincie", overijssel)]
    rows += [("CR10", "corop", 300), ("CR11", "corop", 200), ("CR12", "corop", twente)]
    return pd.DataFrame([{"source_table": "R", "vintage": "v", "region_code": c, "region_level": level,
                          "sbi_code": "A-U", "year": 2010, "labour_volume_total": v} for c, level, v in rows])


def test_corop_regions_add_up_to_their_province() -> None:
    # Overijssel = CR10 + CR11 + CR12 = 300 + 200 + 500 within (3 + 1) x 100 / 2 = 200
    assert check_corop_provinces(_regional(1000, 500), ["labour_volume_total"]) == 1
    with pytest.raises(ProcessingCheckError, match="COROP regions do not add up to their province"):
        check_corop_provinces(_regional(1000, 701), ["labour_volume_total"])  # gap 201 > 200


def test_province_nation_gap_measured_and_bounded() -> None:
    # 12 provinces of 1000 = 12,000; nation 12,050: gap 50, a share of 50 / 12,050
    summary = province_nation_gap(_regional(1000, 500, nation=12_050), "labour_volume_total")
    assert summary["R v A-U"] == {"cells": 1, "min": 50.0, "max": 50.0, "max_share_of_nation": round(50 / 12_050, 5)}
    with pytest.raises(ProcessingCheckError, match="provinces differ from the nation"):
        province_nation_gap(_regional(1000, 500, nation=12_000 - tolerance(12, 100) - 1), "labour_volume_total")
    with pytest.raises(ProcessingCheckError, match="over 0.5% for A-U"):
        province_nation_gap(_regional(1000, 500, nation=13_000), "labour_volume_total")


def test_duplicate_keys_in_a_new_table_fail() -> None:
    from analysis.processing.checks import check_unique
    from analysis.processing.schema import LABOUR_KEY

    labour = _labour(10_000, 8_000, 2_000)
    check_unique(labour, LABOUR_KEY, "labour_accounts")  # three worker types: unique
    with pytest.raises(ProcessingCheckError, match=r"labour_accounts: 2 rows share a key"):
        check_unique(pd.concat([labour, labour.iloc[[0]]]), LABOUR_KEY, "labour_accounts")
