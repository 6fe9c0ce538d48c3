"""Employee jobs are rounded by the precision each table publishes (issue 14, item 14).

The unit is declared per dataset in sources.toml (``rounding``) and checked here against every
published value: each is a multiple of its declared unit, and a unit of 10 is declared only where
values that are no multiple of 100 show that the table really publishes two decimals.
"""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from analysis import paths
from analysis.engine import publication
from analysis.engine.tables import Tables
from analysis.sources.registry import REGISTRY_FILE
from engine_tables_helpers import write_jobs


@pytest.fixture(scope="module")
def engine_cells() -> pd.DataFrame:
    """The published cells as the engine reads them (the last row of a cell wins: 81497NED's
    second release of 2011-2013)."""
    jobs = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype=str, keep_default_na=False)
    jobs = jobs[(jobs["derived"] == "False") & (jobs["employee_jobs"] != "")]
    jobs = jobs.drop_duplicates(["source_table", "vintage", "region_code", "sbi_code", "year"],
                                keep="last")
    jobs = jobs.assign(value=jobs["employee_jobs"].astype(float), year=jobs["year"].astype(int))
    units = {key: publication.rounding_unit(*key) for key in
             set(zip(jobs["source_table"], jobs["vintage"], jobs["year"], strict=True))}
    return jobs.assign(unit=[units[k] for k in zip(jobs["source_table"], jobs["vintage"],
                                                     jobs["year"], strict=True)])


def test_every_jobs_table_declares_its_rounding():
    with open(REGISTRY_FILE, "rb") as handle:
        datasets = tomllib.load(handle)["dataset"]
    jobs_tables = {"83582NED", "81402ned", "83583NED", "81497NED"}
    for record in datasets:
        if record.get("table_id") in jobs_tables:
            assert record["rounding"]["unit"] == 100, record["id"]  # CBS: x 1 000, one decimal


def test_every_published_value_is_a_multiple_of_its_declared_unit(engine_cells):
    off = engine_cells[engine_cells["value"] % engine_cells["unit"] != 0]
    assert off.empty, off[["source_table", "vintage", "sbi_code", "year", "employee_jobs", "unit"]]


def test_a_unit_of_ten_is_declared_only_where_the_table_publishes_two_decimals(engine_cells):
    # with two decimals about 9 in 10 values are no multiple of 100 (the second decimal is 0 one
    # time in ten); with one decimal none are. Half is far from both.
    for (table, year), cells in engine_cells.groupby(["source_table", "year"]):
        finer = float((cells["value"] % 100 != 0).mean())
        if set(cells["unit"]) == {10.0}:
            assert finer > 0.5, (table, year, finer)
        else:
            assert finer == 0.0, (table, year, finer)


def test_83583ned_publishes_2018_to_ten_jobs_and_other_years_to_a_hundred():
    # cells read by hand from data/processed/jobs.csv: A-U 2018 = 8,422,040 (CBS 8422.04 thousand),
    # SBI 28 in 2016 = 81,100 (81.1 thousand)
    tables = Tables()
    total = tables.jobs_cell("83583NED", "NL01", "A-U", 2018)
    assert (total.lo, total.value, total.hi) == (8422035, 8422040, 8422045)
    machines = tables.jobs_cell("83583NED", "NL01", "28", 2016)
    assert (machines.lo, machines.value, machines.hi) == (81050, 81100, 81150)


def test_81497ned_second_release_of_2011_is_read_to_ten_jobs():
    # the second 2011 release gives A-U 7,937,710 (7937.71 thousand): +-5, not +-50
    cell = Tables().jobs_cell("81497NED", "NL01", "A-U", 2011)
    assert (cell.lo, cell.value, cell.hi) == (7937705, 7937710, 7937715)


def test_a_table_outside_the_registry_gets_cbs_usual_unit(tmp_path):
    folder = write_jobs(tmp_path / "data", [("99901NED", "v1", "NL01", "C", 2010, 40400)])
    cell = Tables(folder).jobs_cell("99901NED", "NL01", "C", 2010)
    assert (cell.lo, cell.hi) == (40350, 40450)


def test_a_registered_table_without_a_declared_unit_is_an_error_that_names_the_fix(tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text('[[dataset]]\nid = "cbs-x"\ntable_id = "99902NED"\nvintage = "2020-01-01"\n',
                        encoding="utf-8")
    with pytest.raises(ValueError, match=r"99902NED.*rounding = \{ unit = 100 \}"):
        publication.rounding_unit("99902NED", "2020-01-01", 2015, path=registry)
