"""Tables of the data overview page, on small hand-made tables with known answers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.processing.schema import ENROLMENT_COLUMNS, JOBS_COLUMNS
from analysis.report import overview


def _job(table: str, region: str, sbi: str, year: int, value: float | None, *, derived: bool = False,
         derivation: str = "", missing: str = "", status: str = "") -> dict:
    level = {"NL": "nl", "CR": "corop"}[region[:2]] if region != "CR99" else "corop_unassigned"
    return {"source_table": table, "region_code": region, "region_name": f"{region} name",
            "region_level": level, "sbi_code": sbi, "sbi_label": f"{sbi} label", "year": year,
            "employee_jobs": value, "suppressed": value is None and not derived, "derived": derived,
            "derivation": derivation, "missing_parts": missing, "period_status": status}


@pytest.fixture()
def jobs() -> pd.DataFrame:
    rows = [
        # current table: Twente C suppressed in 2016 and not fixed; B-E fixed by the hierarchy in 2017
        _job("83582NED", "CR12", "A-U", 2010, 276400),
        _job("83582NED", "CR12", "C", 2016, None),
        _job("83582NED", "CR12", "B-E", 2017, None),
        _job("83582NED", "CR12", "B-E", 2017, 50000, derived=True, derivation="SBI hierarchy: B-E = B-F − F"),
        _job("83582NED", "CR99", "C", 2016, None),
        _job("83582NED", "CR01", "C", 2016, 1000),
        _job("83582NED", "CR01", "A-U", 2010, 100000),
        # derived national sums: complete in 2010, C in 2016 misses two regions
        _job("83582NED", "NL01", "A-U", 2010, 7888200, derived=True, derivation="sum of 41 COROP regions"),
        _job("83582NED", "NL01", "C", 2016, 1000, derived=True, derivation="sum of 41 COROP regions",
             missing="CR12;CR99"),
        # older release, with a published national row
        _job("81402ned", "CR12", "A-U", 2010, 278600, status="provisional"),
        _job("81402ned", "CR12", "A-U", 2009, 280000, status="definitive"),
        _job("81402ned", "NL01", "A-U", 2010, 7828200, status="provisional"),
    ]
    frame = pd.DataFrame(rows, columns=list(JOBS_COLUMNS))
    frame["employee_jobs"] = frame["employee_jobs"].astype("Float64")
    return frame


@pytest.fixture()
def enrolment() -> pd.DataFrame:
    rows = [
        ("duo-hbo-2019", "hbo", "23AH", "Saxion", "Enschede", "techniek", 2015, 5000, 0),
        ("duo-hbo-2019", "hbo", "23AH", "Saxion", "Enschede", "techniek", 2016, 5100, 0),
        ("duo-hbo-2024", "hbo", "23AH", "Saxion", "Enschede", "techniek", 2020, 5200, 3),
        ("duo-hbo-2024", "hbo", "23AH", "Saxion", "Enschede", "onderwijs", 2020, None, 2),
        ("duo-wo-2019", "wo", "21PH", "Universiteit Twente", "Enschede", "techniek", 2015, 4000, 0),
    ]
    frame = pd.DataFrame(rows, columns=list(ENROLMENT_COLUMNS))
    frame["students"] = frame["students"].astype("Int64")
    return frame


MANIFEST = {
    "built_at": "2026-11-28T03:26:20Z",
    "inputs": [
        {"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen", "licence": "CC BY 4.0",
         "mode": "mirror", "origin": "cbs/83582NED", "retrieved_at": "2026-11-28T03:26:18Z"},
        {"dataset_id": "duo-wo-2025", "publisher": "DUO", "title": "Ingeschrevenen wo", "licence": "free reuse",
         "mode": "live", "origin": "https://example.org/wo.csv", "retrieved_at": "2026-11-27T10:00:00Z",
         "partial": "UT rows in Enschede only"},
    ],
}


def test_sources_table_names_table_licence_date_origin_and_caveat() -> None:
    table = overview.sources_table(MANIFEST)
    assert table["table / edition"].tolist() == ["83582NED", "duo-wo-2025"]
    assert table["retrieved"].tolist() == ["2026-11-28", "2026-11-27"]
    assert table["mode"].tolist() == ["mirror", "live"]
    assert table["origin"].tolist() == ["cbs/83582NED", "https://example.org/wo.csv"]
    # title, licence and caveat per edition, from the registry's variants (the manifest holds one)
    assert table["title"].tolist() == [
        {"nl": "Banen van werknemers in december; economische activiteit (SBI2008), regio",
         "en": "Employee jobs in December; economic activity (SBI2008), region"},
        {"nl": "Ingeschrevenen wo (lange vorm, uitgave 2025)", "en": "Enrolled students, wo (long format, 2025 edition)"}]
    assert table["licence"].iloc[1] == {"nl": "open onderwijsdata van DUO (vrij te hergebruiken)",
                                        "en": "DUO open education data (free to reuse)"}
    assert table["caveat"].iloc[0] == {"nl": "", "en": ""}
    assert table["caveat"].iloc[1]["nl"].startswith("alleen de inschrijvingen van de Universiteit Twente in Enschede")
    assert table["caveat"].iloc[1]["en"].startswith("only the Universiteit Twente enrolments in Enschede")
    partial = overview.partial_inputs(MANIFEST)
    assert partial["dataset"].tolist() == ["duo-wo-2025"]
    assert partial["what is missing"].iloc[0] == table["caveat"].iloc[1]


def test_a_dataset_the_registry_does_not_hold_shows_the_manifest_text() -> None:
    manifest = {"inputs": [{"dataset_id": "cbs-99999NED", "publisher": "CBS", "title": "Proef", "licence": "CC0",
                            "partial": "deels"}]}
    row = overview.sources_table(manifest).iloc[0]
    assert row["title"] == {"nl": "Proef", "en": "Proef"} and row["licence"] == {"nl": "CC0", "en": "CC0"}
    assert row["caveat"] == {"nl": "deels", "en": "deels"}


def test_coverage_grid_marks_published_years_and_shows_gap_years(jobs, enrolment) -> None:
    grid = overview.coverage_grid(jobs, enrolment)
    assert list(grid.columns) == list(range(2009, 2021))  # 2011-2014, 2018-2019 appear as empty columns
    assert grid.loc["CBS 81402ned", 2009] == "✓" and grid.loc["CBS 81402ned", 2016] == ""
    assert grid.loc["CBS 83582NED", 2016] == "✓"  # CR01's published C
    assert grid.loc["DUO duo-hbo-2024", 2020] == "✓"
    assert grid.loc["CBS 83582NED", 2017] == ""  # only a suppressed cell and a derived fix: not published


def test_region_coverage_and_national_rows(jobs) -> None:
    table = overview.region_coverage(jobs)
    current_nl = table[(table["table"] == "83582NED") & (table["level"] == "nl")].iloc[0]
    assert (current_nl["rows read from CBS"], current_nl["rows derived here"]) == (0, 2)
    assert not overview.has_published_national_rows(jobs, "83582NED")
    assert overview.has_published_national_rows(jobs, "81402ned")


def test_suppressed_cells_by_year_and_section(jobs) -> None:
    grid = overview.suppressed_by_year_sbi(jobs)
    assert list(grid.index) == ["A-U", "B-E", "C"]  # CBS order, not alphabetical
    assert grid.loc["C", 2016] == 2  # CR12 and CR99; the national (derived) row is not counted
    assert grid.loc["B-E", 2017] == 1
    assert overview.suppressed_by_year_sbi(jobs, region="CR12").loc["C", 2016] == 1
    assert overview.suppressed_summary(jobs) == {"cells": 6, "suppressed": 3, "fixed_by_hierarchy": 1}


def test_missing_regions_text_names_regions_and_counts_the_rest() -> None:
    names = {"CR01": "Oost-Groningen", "CR02": "Delfzijl en omgeving", "CR12": "Twente"}
    codes = ["CR01", "CR02", "CR12", "CR99"]
    assert overview.missing_regions_text(codes, names, 2) == {
        "nl": "Oost-Groningen, Delfzijl en omgeving … en nog 2 regio's",
        "en": "Oost-Groningen, Delfzijl en omgeving … and 2 more regions"}
    # exactly max_listed regions: all named, nothing counted
    assert overview.missing_regions_text(codes, names, 4) == {
        "nl": "Oost-Groningen, Delfzijl en omgeving, Twente, niet in te delen",
        "en": "Oost-Groningen, Delfzijl en omgeving, Twente, not assignable"}


def test_region_display_names_drop_the_level_suffix_and_leave_cr99_to_words() -> None:
    jobs = pd.DataFrame([_job("83582NED", "CR12", "A-U", 2010, 1.0), _job("83582NED", "CR99", "A-U", 2010, 1.0)])
    jobs.loc[0, "region_name"] = "Twente (CR)"
    assert overview.region_display_names(jobs) == {"CR12": "Twente"}


def test_national_sums_list_missing_parts(jobs) -> None:
    incomplete = overview.national_sums(jobs)
    assert incomplete[["SBI section", "year", "missing regions"]].values.tolist() == [["C", 2016, 2]]
    assert incomplete["regions missing from the sum"].iloc[0] == "CR12;CR99"
    assert len(overview.national_sums(jobs, incomplete_only=False)) == 2
    # shortened for display: region names per language, CR99 in words, the rest counted with a plural
    assert overview.national_sums(jobs, max_listed=1)["regions missing from the sum"].iloc[0] == {
        "nl": "CR12 name … en nog 1 regio", "en": "CR12 name … and 1 more region"}
    assert overview.national_sums(jobs, max_listed=2)["regions missing from the sum"].iloc[0] == {
        "nl": "CR12 name, niet in te delen", "en": "CR12 name, not assignable"}
    grid = overview.national_missing_grid(jobs)
    assert grid.loc["C", 2016] == 2 and grid.loc["A-U", 2010] == 0


def test_hierarchy_derived_and_region_gaps(jobs) -> None:
    derived = overview.hierarchy_derived(jobs, region="CR12")
    assert derived[["SBI section", "year"]].values.tolist() == [["B-E", 2017]]
    gaps = overview.region_gaps(jobs, "CR12")
    assert gaps[["SBI section", "years not published", "recovered from the hierarchy"]].values.tolist() == [
        ["B-E", "2017", True], ["C", "2016", False]]


def test_year_ranges() -> None:
    assert overview.year_ranges([2016, 2010, 2012, 2013, 2014]) == "2010, 2012–2014, 2016"
    assert overview.year_ranges([]) == ""


def test_masked_cells_by_edition_and_institution_coverage(enrolment) -> None:
    masked = overview.masked_by_edition(enrolment).set_index("edition")
    assert masked.loc["duo-hbo-2024", "masked cells"] == 5
    assert masked.loc["duo-hbo-2024", "rows with every cell masked"] == 1
    assert masked.loc["duo-hbo-2019", "masked cells"] == 0
    institutions = {"23AH": "Saxion", "21PH": "Universiteit Twente"}
    coverage = overview.institution_coverage(enrolment, institutions).set_index("edition")
    # columns named as a reader knows the institutions, without DUO's BRIN codes
    assert coverage.loc["duo-hbo-2019", "Saxion"] == "2015–2016"
    assert coverage.loc["duo-hbo-2019", "Universiteit Twente"] == ""
    missing = overview.uncovered_years(enrolment, institutions, range(2015, 2021))
    assert missing["Saxion"] == [2017, 2018, 2019]
    assert missing["Universiteit Twente"] == [2016, 2017, 2018, 2019, 2020]


def test_vintage_comparison_shows_the_revision(jobs) -> None:
    twente = overview.vintage_comparison(jobs, "CR12")
    row = twente.iloc[0]
    assert (row["year"], row["81402ned (older release)"], row["83582NED (current)"]) == (2010, 278600, 276400)
    assert row["revision"] == -2200 and row["revision (%)"] == pytest.approx(-0.79)
    assert row["81402ned status"] == "provisional" and row["current figure"] == "published"
    national = overview.vintage_comparison(jobs, "NL01").iloc[0]
    assert national["current figure"] == "sum of 41 COROP regions"  # derived, and says so
