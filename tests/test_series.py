"""Series accessors on tiny synthetic tables with known answers (plus a few real-data checks).

The builders here (``jobs_frame``, ``panel``, ``enrolment_frame``) are reused by the stress and
claim tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import pandas as pd
import pytest

from analysis import paths
from analysis.engine import series as ser
from analysis.processing import jobs as jobs_step
from analysis.processing.schema import ENROLMENT_COLUMNS, JOBS_COLUMNS

COROP = [f"CR{i:02d}" for i in range(1, 41)]
NAMES = {"CR12": "Twente (CR)", "CR15": "Arnhem/Nijmegen (CR)", "CR99": "Niet in te delen",
         "NL01": "Nederland"}


def _name(code: str) -> str:
    return NAMES.get(code, f"Region {code} (CR)")


def row(region: str, sbi: str, year: int, value: float | None, *, table: str = "83582NED",
        derived: bool = False, derivation: str = "", missing: str = "") -> dict:
    return {
        "source_table": table, "vintage": "latest", "region_code": region, "region_name": _name(region),
        "region_level": jobs_step.region_level(region), "sbi_code": sbi, "sbi_label": sbi,
        "year": year, "employee_jobs": value, "suppressed": value is None and not derived,
        "derived": derived, "derivation": derivation, "missing_parts": missing,
        "period_status": "",
    }


def jobs_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(JOBS_COLUMNS))
    return ser._typed_jobs(frame)


def panel(
    value: Callable[[str, str, int], float | None],
    *,
    regions: Iterable[str] = ("CR11", "CR12", "CR13", "CR99"),
    sbis: Iterable[str] = ("C", "B-E"),
    years: Iterable[int] = range(2010, 2021),
    older: bool = True,
) -> pd.DataFrame:
    """A jobs table like the pipeline's: COROP rows from ``value(region, sbi, year)`` (None =
    suppressed), the national sum derived by the pipeline's own ``derive_national``, and, with
    ``older``, an 81402ned release for 2010 with published national rows."""
    regions, sbis, years = list(regions), list(sbis), list(years)
    def whole(v: float | None) -> int | None:  # CBS values are whole jobs
        return None if v is None else round(v)

    rows = [row(r, s, y, whole(value(r, s, y))) for r in regions for s in sbis for y in years]
    main = pd.DataFrame(rows, columns=list(JOBS_COLUMNS))
    main["employee_jobs"] = main["employee_jobs"].astype("Int64")
    national = jobs_step.derive_national(main, "83582NED")
    parts = [main, national]
    if older:
        old_rows = [row(r, s, 2010, whole(value(r, s, 2010)), table="81402ned") for r in regions
                    for s in sbis]
        old_rows += [row("NL01", s, 2010, whole(sum(value(r, s, 2010) or 0 for r in regions)),
                         table="81402ned") for s in sbis]
        parts.append(pd.DataFrame(old_rows, columns=list(JOBS_COLUMNS)))
    frame = pd.concat(parts, ignore_index=True)
    return ser._typed_jobs(frame)


def enrolment_frame(records: list[tuple]) -> pd.DataFrame:
    """Records ``(edition, level, institution, municipality, sector, year, students, masked)``."""
    frame = pd.DataFrame(
        [{"edition": e, "level": lv, "institution_code": i, "institution_name": i,
          "municipality": m, "croho_sector": s, "year": y, "students": n, "masked_cells": k}
         for e, lv, i, m, s, y, n, k in records], columns=list(ENROLMENT_COLUMNS))
    return ser._typed_enrolment(frame)


# --- jobs series -----------------------------------------------------------------------------------


def test_published_value_is_used_and_suppressed_year_is_nan_with_reason() -> None:
    jobs = jobs_frame([row("CR12", "C", 2015, 39600), row("CR12", "C", 2016, None),
                       row("CR12", "C", 2017, 39600)])
    series = ser.jobs_series(jobs, "CR12", "C")
    assert series.to_dict()[2015] == 39600
    assert math.isnan(series[2016])
    assert "suppressed by CBS" in series.attrs["missing"][2016]
    assert series.name == "Twente, SBI C"


def test_hierarchy_derived_row_fills_a_suppressed_cell_with_a_note() -> None:
    jobs = jobs_frame([row("CR12", "C", 2016, None),
                       row("CR12", "C", 2016, 38000, derived=True,
                           derivation="SBI hierarchy: C = B-E − B − D − E")])
    series = ser.jobs_series(jobs, "CR12", "C")
    assert series[2016] == 38000
    assert "SBI hierarchy" in series.attrs["notes"][2016]


def test_national_sum_missing_only_allowed_regions_is_used_else_missing() -> None:
    sums = "sum of 41 COROP regions (CR01-CR40 and CR99)"
    jobs = jobs_frame([
        row("CR12", "B-E", 2015, 100),
        row("NL01", "B-E", 2015, 803000, derived=True, derivation=sums, missing="CR99"),
        row("NL01", "B-E", 2016, 798600, derived=True, derivation=sums, missing="CR01;CR99"),
        row("NL01", "B-E", 2019, 846500, derived=True, derivation=sums, missing=""),
    ])
    series = ser.jobs_series(jobs, "NL01", "B-E")
    assert series[2015] == 803000 and series[2019] == 846500
    assert "without CR99" in series.attrs["notes"][2015]
    assert math.isnan(series[2016])
    assert "CR01" in series.attrs["missing"][2016] and "understates" in series.attrs["missing"][2016]
    # with CR01 allowed as well, the 2016 sum is accepted
    assert ser.jobs_series(jobs, "NL01", "B-E", allow_missing=("CR99", "CR01"))[2016] == 798600


def test_sum_of_sections_needs_every_part() -> None:
    jobs = jobs_frame([row("CR12", "C", 2015, 100), row("CR12", "J", 2015, 10),
                       row("CR12", "C", 2016, None), row("CR12", "J", 2016, 12)])
    series = ser.jobs_series(jobs, "CR12", "C+J")
    assert series[2015] == 110
    assert math.isnan(series[2016])
    assert series.attrs["missing"][2016].startswith("SBI C:")
    assert ser.jobs_series(jobs, "CR12", ["C", "J"])[2015] == 110


def test_unknown_region_lists_valid_codes_with_names() -> None:
    jobs = jobs_frame([row("CR12", "C", 2015, 1), row("CR15", "C", 2015, 2)])
    with pytest.raises(ValueError, match=r"unknown region code 'CR77'.*CR12 Twente \(CR\).*CR15"):
        ser.jobs_series(jobs, "CR77", "C")
    with pytest.raises(ValueError, match=r"unknown SBI code\(s\) \['Z'\]"):
        ser.jobs_series(jobs, "CR12", "Z")


def test_corop_regions_are_the_forty_without_cr99() -> None:
    jobs = panel(lambda r, s, y: 100, regions=[*COROP, "CR99"], sbis=["C"], years=[2015],
                 older=False)
    regions = ser.corop_regions(jobs)
    assert len(regions) == 40 and "CR99" not in regions and "NL01" not in regions
    assert regions["CR12"] == "Twente (CR)"
    assert list(regions) == sorted(regions)


def test_balanced_sum_keeps_regions_present_in_every_year() -> None:
    # CR13 is suppressed in 2015: the like-for-like sum drops it in both years
    values = {("CR11", 2010): 100, ("CR12", 2010): 200, ("CR13", 2010): 700,
              ("CR11", 2015): 90, ("CR12", 2015): 180, ("CR13", 2015): None}
    jobs = panel(lambda r, s, y: values.get((r, y)), regions=["CR11", "CR12", "CR13"], sbis=["C"],
                 years=[2010, 2015], older=False)
    balanced = ser.balanced_sum(jobs, "C", [2010, 2015])
    assert balanced.regions == ("CR11", "CR12") and balanced.left_out == ("CR13",)
    assert balanced.values.to_dict() == {2010: 300.0, 2015: 270.0}
    assert balanced.coverage == pytest.approx(0.3)
    rest = ser.balanced_sum(jobs, "C", [2010, 2015], exclude=["CR12"])
    assert rest.values.to_dict() == {2010: 100.0, 2015: 90.0}


def test_jobs_value_gives_value_or_reason() -> None:
    jobs = jobs_frame([row("CR12", "C", 2015, 5), row("CR12", "C", 2016, None)])
    assert ser.jobs_value(jobs, "CR12", "C", 2015) == (5.0, "")
    value, reason = ser.jobs_value(jobs, "CR12", "C", 2016)
    assert math.isnan(value) and "suppressed" in reason
    assert "has no 2030" in ser.jobs_value(jobs, "CR12", "C", 2030)[1]


def test_load_jobs_round_trip_types(tmp_path) -> None:
    jobs = panel(lambda r, s, y: 100, sbis=["C"], years=[2015, 2016], older=False)
    path = tmp_path / "jobs.csv"
    jobs.to_csv(path, index=False)
    loaded = ser.load_jobs(path)
    assert list(loaded.columns) == list(JOBS_COLUMNS)
    assert loaded["derived"].dtype == bool and loaded["missing_parts"].map(type).eq(str).all()
    pd.testing.assert_series_equal(ser.jobs_series(loaded, "NL01", "C"),
                                   ser.jobs_series(jobs, "NL01", "C"), check_names=False)
    with pytest.raises(FileNotFoundError, match="python -m analysis build"):
        ser.load_jobs(tmp_path / "absent.csv")


# --- enrolment --------------------------------------------------------------------------------------


def _students() -> pd.DataFrame:
    return enrolment_frame([
        # an old edition that puts every Saxion student at the seat (Enschede)
        ("hbo-old", "hbo", "23AH", "Enschede", "techniek", 2016, 30, 0),
        ("hbo-old", "hbo", "23AH", "Enschede", "economie", 2016, 70, 0),
        # the newer edition splits the campuses: Deventer is outside Twente
        ("hbo-new", "hbo", "23AH", "Enschede", "techniek", 2016, 20, 0),
        ("hbo-new", "hbo", "23AH", "Enschede", "economie", 2016, 40, 0),
        ("hbo-new", "hbo", "23AH", "Deventer", "techniek", 2016, 10, 0),
        ("hbo-new", "hbo", "23AH", "Deventer", "economie", 2016, 30, 2),
        ("hbo-new", "hbo", "23AH", "Enschede", "techniek", 2017, 25, 0),
        ("hbo-new", "hbo", "23AH", "Enschede", "economie", 2017, 75, 0),
        ("wo-x", "wo", "21PH", "Enschede", "techniek", 2016, 60, 1),
        ("wo-x", "wo", "21PH", "Enschede", "natuur", 2016, 0, 0),
        ("wo-x", "wo", "21PH", "Enschede", "gedrag en maatschappij", 2016, 40, 0),
    ])


def test_technical_share_uses_the_newest_edition_and_pools_institutions() -> None:
    table = ser.technical_share(_students(), ["23AH", "21PH"])
    # 2017: UT has no data, so no pooled share; 2016 from hbo-new (newest) + wo-x
    assert list(table.index) == [2016]
    first = table.loc[2016]
    assert (first["students"], first["technical_students"]) == (200, 90)
    assert first["share"] == pytest.approx(45.0)
    assert first["editions"] == "hbo-new + wo-x"
    assert first["masked_cells"] == 3
    # bounds: 1 masked technical cell (0-4 students), 2 masked others
    assert first["share_low"] == pytest.approx(100 * 90 / (200 + 8))
    assert first["share_high"] == pytest.approx(100 * 94 / 204)


def test_technical_share_filters_locations_and_editions() -> None:
    students = _students()
    twente = ser.technical_share(students, ["23AH"], [2016], municipalities=["Enschede"])
    assert twente.loc[2016, "share"] == pytest.approx(100 * 20 / 60)
    old = ser.technical_share(students, ["23AH"], [2016], municipalities=["Enschede"],
                              edition="hbo-old")
    assert old.loc[2016, "share"] == pytest.approx(30.0)
    assert "seat" in old.loc[2016, "note"]  # the old edition cannot separate campuses
    assert ser.seat_only_editions(students, ["23AH", "21PH"]) == {"hbo-old": {"23AH"}}
    with pytest.raises(ValueError, match=r"unknown institution code\(s\) \['99XX'\]"):
        ser.technical_share(students, ["99XX"])
    with pytest.raises(ValueError, match="unknown edition"):
        ser.technical_share(students, ["23AH"], edition="nope")


def test_published_figures_file_has_sources_for_every_figure() -> None:
    figures = ser.load_published_figures()
    assert figures["source_url"].str.startswith("http").all()
    assert ser.published_value(figures, "ti2018_htsm_jobs_twente") == 30400
    with pytest.raises(KeyError, match="unknown published figure"):
        ser.published_value(figures, "nope")


# --- real data (data/processed, committed later) ----------------------------------------------------

PROCESSED_JOBS = paths.processed_dir() / "jobs.csv"
PROCESSED_ENROLMENT = paths.processed_dir() / "enrolment.csv"
# committed with the repository: a missing table fails these tests (never skipped)


def test_real_twente_manufacturing_fell_2010_2015_and_2016_is_suppressed() -> None:
    jobs = ser.load_jobs()
    twente = ser.jobs_series(jobs, "CR12", "C")
    assert twente[2015] < twente[2010]
    assert math.isnan(twente[2016]) and 2016 in twente.attrs["missing"]
    national = ser.jobs_series(jobs, "NL01", "C")
    assert math.isnan(national[2015]) and "understates" in national.attrs["missing"][2015]
    assert len(ser.corop_regions(jobs)) == 40


def test_real_saxion_has_campuses_outside_twente_in_newer_editions() -> None:
    enrolment = ser.load_enrolment()
    places = set(enrolment.loc[enrolment["institution_code"] == "23AH", "municipality"])
    assert {"Enschede", "Deventer"} <= places
    share = ser.technical_share(enrolment, ["23AH", "21PH"], [2016])
    assert 0 < share.loc[2016, "share"] < 100
