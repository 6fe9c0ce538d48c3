"""Vintage comparison: a revised value, an added year and a dropped code are all reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis.processing.build import build
from analysis.processing.vintage import changes_table, compare_vintages, revisions_table
from analysis.sources.fetch import fetch

TWENTE, CR12_C_2015 = "CR12", ("307500", "CR12", "2015JJ00")
MAIN = "83582NED latest"  # the table has two releases side by side: each is compared with itself


def _modified_mirror(mirror_dir: Path, target: Path) -> Path:
    """A copy of the mirror in a temporary folder with one revision, one new year and one dropped code."""
    shutil.copytree(mirror_dir, target, ignore=shutil.ignore_patterns("odata4-samples"))
    typed_path = target / "cbs/83582NED/TypedDataSet.json"
    target.joinpath("cbs/83582NED").chmod(0o755)
    typed_path.chmod(0o644)
    rows = json.loads(typed_path.read_text(encoding="utf-8"))
    for row in rows:
        if (row["BedrijfstakkenBranchesSBI2008"].strip(), row["RegioS"].strip(), row["Perioden"]) == CR12_C_2015:
            row["BanenVanWerknemersInDecember_1"] = row["BanenVanWerknemersInDecember_1"] + 1.5  # revision
    next_year = [dict(r, ID=r["ID"] + 1_000_000, Perioden="2025JJ00") for r in rows if r["Perioden"] == "2024JJ00"]
    kept = [r for r in rows + next_year if r["BedrijfstakkenBranchesSBI2008"].strip() != "435500"]  # drop S
    typed_path.write_text(json.dumps(kept, indent=1), encoding="utf-8")
    periods_path = target / "cbs/83582NED/Perioden.json"
    periods_path.chmod(0o644)
    periods = json.loads(periods_path.read_text(encoding="utf-8"))
    periods_path.write_text(json.dumps(periods + [{"Key": "2025JJ00", "Title": "2025 december",
                                                    "Description": None}]), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def vintage_changes(mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("vintage")
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    fetch(mirror=mirror_dir, raw_root=raw, progress=False)
    build(raw_root=raw, out_dir=processed)
    fetch(["83582NED"], mirror=_modified_mirror(mirror_dir, root / "mirror2"), raw_root=raw, progress=False)
    return {c.table: c for c in compare_vintages(raw, processed)}


def test_new_year_and_dropped_code_are_reported(vintage_changes) -> None:
    main = vintage_changes[MAIN]
    assert main.new_years == [2025]
    assert main.dropped_years == []
    assert main.dropped_codes["sbi_code"] == ["S"]
    assert main.new_codes["sbi_code"] == [] and main.new_codes["region_code"] == []


def test_revised_value_has_old_new_and_difference(vintage_changes) -> None:
    revised = vintage_changes[MAIN].revised
    assert len(revised) == 1
    row = revised.iloc[0]
    assert (row["region_code"], row["sbi_code"], row["year"]) == (TWENTE, "C", 2015)
    assert row["new"] - row["old"] == 1500 == row["difference"]


def test_unchanged_tables_say_so(vintage_changes) -> None:
    assert vintage_changes["81402ned"].unchanged
    assert vintage_changes["83582NED 2025-04-22"].unchanged  # the other release of the same table
    assert vintage_changes["duo-wo-2019"].unchanged


def test_tables_for_the_status_view(vintage_changes) -> None:
    summary = changes_table(list(vintage_changes.values())).set_index("table")
    assert summary.loc[MAIN, "new years"] == "2025"
    assert summary.loc[MAIN, "revised values"] == 1
    assert summary.loc["81402ned", "revised values"] == 0
    assert len(revisions_table(list(vintage_changes.values()))) == 1
