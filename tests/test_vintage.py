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
REVISED_AREAS = ("Twente (CR)", "Overijssel (PV)", "Oost-Nederland (LD)", "Nederland")
MAIN = "83582NED"  # the current release; the earlier one held beside it is "83582NED 2025-04-22"


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
    # a label-layout table: C labour volume of Twente in 2015 revised by +1.0 thousand labour years, and
    # with it Overijssel, Oost-Nederland and the nation (else the build's regional checks stop it)
    label_path = target / "cbs/85925NED/85925NED.csv"
    target.joinpath("cbs/85925NED").chmod(0o755)
    label_path.chmod(0o644)
    lines = label_path.read_text(encoding="utf-8-sig").split("\n")
    header = lines[0].split(";")
    column = header.index("ArbeidsvolumeTotaal_8")
    for number, line in enumerate(lines):
        fields = line.split(";")
        if len(fields) > 3 and fields[1] == "C Industrie" and fields[3] == "2015" and fields[2] in REVISED_AREAS:
            fields[column] = f"{float(fields[column]) + 1.0:.1f}"
            lines[number] = ";".join(fields)
    label_path.write_text("\n".join(lines), encoding="utf-8-sig")
    return target


@pytest.fixture(scope="module")
def vintage_changes(mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("vintage")
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    fetch(mirror=mirror_dir, raw_root=raw, progress=False)
    build(raw_root=raw, out_dir=processed)
    fetch(["83582NED", "85925NED"], mirror=_modified_mirror(mirror_dir, root / "mirror2"), raw_root=raw,
          progress=False)
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
    assert len(revisions_table(list(vintage_changes.values()))) == 1 + 4  # 83582NED; 85925NED


def test_revision_in_a_label_layout_table_is_reported(vintage_changes) -> None:
    revised = vintage_changes["85925NED labour_volume_total"].revised
    assert sorted(revised["region_code"]) == ["CR12", "LD02", "NL01", "PV23"]
    assert set(revised["sbi_code"]) == {"C"} and set(revised["year"]) == {2015}
    assert set(revised["difference"]) == {1000}  # +1.0 thousand labour years, multiplied out
    assert vintage_changes["85925NED value_added"].unchanged
    assert vintage_changes["84419NED labour_volume_total"].unchanged
