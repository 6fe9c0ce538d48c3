"""Processed tables are checked whenever they are read: every fault gets an error naming the file,
the problem and the way out; the committed tables pass; a table is validated once per process."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis.engine import series as ser
from analysis.processing import tables, validate
from analysis.processing.jobs import current_rows
from analysis.processing.validate import (
    MissingTableError,
    ProcessedDataError,
    load_table,
    validate_folder,
    verify_checksum,
)
from analysis.site import build as site

COMMITTED = Path(__file__).parents[1] / "data" / "processed"
WAY_OUT = "rebuild with `python -m analysis build`, or restore with `git checkout data/processed`"
JOBS_HEADER = ("source_table,vintage,region_code,region_name,region_level,sbi_code,sbi_label,year,"
               "employee_jobs,suppressed,derived,derivation,missing_parts,period_status")
JOBS_ROWS = [
    "83582NED,latest,CR12,Twente (CR),corop,C,Industrie,2015,40000,False,False,,,",
    "83582NED,latest,CR12,Twente (CR),corop,C,Industrie,2016,,True,False,,,",
    "83582NED,latest,CR99,Niet in te delen,corop_unassigned,C,Industrie,2015,1000,False,False,,,",
    "83582NED,latest,NL01,Nederland,nl,C,Industrie,2015,41000,False,True,sum of 41 COROP regions,,",
    "83583NED,2025-04-22,NL01,Nederland,nl,28,Machine-industrie,2015,80000,False,False,,,",
    ("81402ned,statline-export,PV23,Overijssel (PV),provincie,A-U,Alle economische activiteiten,2010,"
     "500000,False,False,,,provisional"),
]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish_like_build(folder: Path, files: dict[str, bytes]) -> Path:
    """Tables plus a manifest listing their rows and sha256, as the build writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    records = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        records[name] = {"rows": data.count(b"\n") - 1, "sha256": _sha(data)}
    (folder / "manifest.json").write_text(json.dumps({"tables": records}))
    return folder


def jobs_csv(rows: list[str]) -> bytes:
    return ("\n".join([JOBS_HEADER, *rows]) + "\n").encode()


@pytest.fixture()
def enrolment_copy(tmp_path: Path) -> Path:
    """The committed enrolment table and its manifest, copied (the faults below are made to the copy)."""
    folder = tmp_path / "processed"
    folder.mkdir()
    shutil.copyfile(COMMITTED / "enrolment.csv", folder / "enrolment.csv")
    shutil.copyfile(COMMITTED / "manifest.json", folder / "manifest.json")
    return folder / "enrolment.csv"


def _message(excinfo: pytest.ExceptionInfo) -> str:
    message = str(excinfo.value)
    assert WAY_OUT in message  # every error says what to do
    return message


# --- the committed tables ----------------------------------------------------------------------------


def test_every_committed_table_passes() -> None:
    manifest = json.loads((COMMITTED / "manifest.json").read_text())
    rows = validate_folder(COMMITTED)
    assert rows == {name: record["rows"] for name, record in manifest["tables"].items()}
    assert {"jobs.csv", "enrolment.csv"} <= set(rows)


def test_loaders_return_what_they_returned_before() -> None:
    # the old readers: pandas' own parse, then the typing functions the engine has always used (and,
    # for the engine, only the current release of each table)
    old_jobs = current_rows(ser._typed_jobs(pd.read_csv(COMMITTED / "jobs.csv", dtype={
        "missing_parts": "string", "derivation": "string", "period_status": "string", "region_code": "string",
        "vintage": "string"})))
    old_enrolment = ser._typed_enrolment(pd.read_csv(COMMITTED / "enrolment.csv",
                                                     dtype={"institution_code": "string"}))
    pd.testing.assert_frame_equal(ser.load_jobs(), old_jobs)
    pd.testing.assert_frame_equal(ser.load_enrolment(), old_enrolment)
    assert ser.load_jobs()["employee_jobs"].dtype == "Float64" and ser.load_enrolment()["students"].dtype == "Int64"


# --- faults: each named, with the way out -----------------------------------------------------------


def test_truncated_file_at_a_line_end(enrolment_copy: Path) -> None:
    lines = enrolment_copy.read_bytes().splitlines(keepends=True)
    enrolment_copy.write_bytes(b"".join(lines[:101]))  # header + 100 rows of 4,386
    with pytest.raises(ProcessedDataError) as excinfo:
        load_table("enrolment", enrolment_copy)
    assert "enrolment.csv: has 100 data rows where manifest.json lists 4,386: the file is truncated" in \
        _message(excinfo)


def test_truncated_file_mid_line(enrolment_copy: Path) -> None:
    lines = enrolment_copy.read_bytes().splitlines(keepends=True)
    enrolment_copy.write_bytes(b"".join(lines[:101]) + lines[101][:10])  # 100 rows and a broken 101st
    with pytest.raises(ProcessedDataError, match="has 101 data rows where manifest.json lists 4,386"):
        load_table("enrolment", enrolment_copy)


def test_empty_file(enrolment_copy: Path) -> None:
    enrolment_copy.write_bytes(b"")
    with pytest.raises(ProcessedDataError) as excinfo:
        load_table("enrolment", enrolment_copy)
    assert f"{enrolment_copy}: is empty (0 bytes)" in _message(excinfo)


def test_renamed_column(enrolment_copy: Path) -> None:
    data = enrolment_copy.read_bytes()
    enrolment_copy.write_bytes(data.replace(b",students,", b",studenten,", 1))
    with pytest.raises(ProcessedDataError) as excinfo:
        load_table("enrolment", enrolment_copy)
    assert "lacks the column(s) ['students'] and has the unexpected column(s) ['studenten']" in _message(excinfo)


def test_non_number_in_a_count(enrolment_copy: Path) -> None:
    lines = enrolment_copy.read_text().splitlines(keepends=True)
    assert lines[2].startswith("duo-hbo-2018,hbo,00IC,Katholieke PABO Zwolle,Zwolle,onderwijs,2015,662,0")
    lines[2] = lines[2].replace(",662,", ",66two,")  # file line 3
    enrolment_copy.write_text("".join(lines))
    with pytest.raises(ProcessedDataError) as excinfo:
        load_table("enrolment", enrolment_copy)
    assert "column students holds '66two' on line 3: not a number" in _message(excinfo)


def test_one_value_edited_by_hand(enrolment_copy: Path) -> None:
    lines = enrolment_copy.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace(",662,", ",663,")  # still a valid count: only the hash can tell
    enrolment_copy.write_text("".join(lines))
    with pytest.raises(ProcessedDataError) as excinfo:
        load_table("enrolment", enrolment_copy)
    message = _message(excinfo)
    assert "its sha256" in message and "differs from the one manifest.json recorded" in message
    assert "edited by hand" in message
    with pytest.raises(ProcessedDataError, match="edited by hand"):
        verify_checksum(enrolment_copy)  # the cheap check the report uses sees it too


def test_missing_file_is_also_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"python -m analysis build"):
        ser.load_jobs(tmp_path / "absent.csv")
    with pytest.raises(MissingTableError, match="does not exist"):
        load_table("jobs", tmp_path / "absent.csv")


def test_table_not_in_the_manifest(tmp_path: Path) -> None:
    folder = publish_like_build(tmp_path / "p", {"jobs.csv": jobs_csv(JOBS_ROWS)})
    shutil.copyfile(COMMITTED / "enrolment.csv", folder / "enrolment.csv")
    with pytest.raises(ProcessedDataError, match=r"is not listed in manifest.json beside it \(listed: jobs.csv\)"):
        load_table("enrolment", folder / "enrolment.csv")


def test_processed_folder_without_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(tmp_path))
    folder = tmp_path / "data" / "processed"
    folder.mkdir(parents=True)
    (folder / "jobs.csv").write_bytes(jobs_csv(JOBS_ROWS))
    with pytest.raises(MissingTableError) as excinfo:
        ser.load_jobs()
    assert f"{folder / 'manifest.json'}: does not exist" in _message(excinfo)


def test_manifest_that_is_not_json(enrolment_copy: Path) -> None:
    (enrolment_copy.parent / "manifest.json").write_text('{"tables": {')
    with pytest.raises(ProcessedDataError, match="manifest.json: is not valid JSON"):
        load_table("enrolment", enrolment_copy)


# --- the contract (pandera) --------------------------------------------------------------------------


def test_synthetic_jobs_pass_with_the_loader_types(tmp_path: Path) -> None:
    folder = publish_like_build(tmp_path / "p", {"jobs.csv": jobs_csv(JOBS_ROWS)})
    jobs = ser.load_jobs(folder / "jobs.csv")
    assert len(jobs) == 6 and jobs["employee_jobs"].isna().tolist() == [False, True, False, False, False, False]
    assert jobs["suppressed"].dtype == bool and jobs["year"].dtype == "int64"
    assert jobs.loc[5, "period_status"] == "provisional" and jobs.loc[0, "period_status"] == ""


@pytest.mark.parametrize(("row", "expected"), [
    # an unknown COROP code (there are 40, and CR99)
    (JOBS_ROWS[0].replace("CR12", "CR41").replace(",2015,", ",2014,"),
     r"column region_code breaks the rule 'matches NL01\|.*' \(1 case\(s\) on line 8; e.g. 'CR41'\)"),
    # a year after this one
    (JOBS_ROWS[0].replace(",2015,", f",{date.today().year + 1},"),
     rf"column year breaks the rule 'less_than_or_equal_to\({date.today().year}\)' \(1 case\(s\) on line 8"),
    # a level that does not go with the code
    (JOBS_ROWS[0].replace(",corop,", ",provincie,").replace(",2015,", ",2013,"),
     r"rows break the rule 'region level matches region code' \(1 row\(s\) on line 8\)"),
    # a published value beside the suppressed flag
    (JOBS_ROWS[1].replace(",2016,,True,", ",2017,5,True,"),
     r"rows break the rule 'value empty exactly where suppressed' \(1 row\(s\) on line 8\)"),
    # negative jobs
    (JOBS_ROWS[0].replace(",2015,40000,", ",2012,-5,"), r"column employee_jobs breaks the rule 'greater_than_or_equal_to\(0\)'"),
    # an SBI code CBS does not use
    (JOBS_ROWS[0].replace(",C,", ",C1,").replace(",2015,", ",2012,"), r"column sbi_code breaks the rule 'matches .*' .*e.g. 'C1'"),
    # the same key twice (line 8 repeats line 2)
    (JOBS_ROWS[0], (r"the key \(source_table, vintage, region_code, sbi_code, year, period_status, derived\) is "
                    r"not unique: 2 rows on lines 2, 8 share a key, e.g. \(83582NED, latest, CR12, C, 2015, , False\)")),
])
def test_contract_breaks_are_named_with_their_lines(tmp_path: Path, row: str, expected: str) -> None:
    folder = publish_like_build(tmp_path / "p", {"jobs.csv": jobs_csv([*JOBS_ROWS, row])})
    with pytest.raises(ProcessedDataError, match=expected) as excinfo:
        ser.load_jobs(folder / "jobs.csv")
    assert "breaks its contract (analysis.processing.tables, jobs)" in _message(excinfo)


def test_boolean_column_with_another_spelling(tmp_path: Path) -> None:
    folder = publish_like_build(tmp_path / "p", {"jobs.csv": jobs_csv([JOBS_ROWS[0].replace(",False,False,", ",no,False,")])})
    with pytest.raises(ProcessedDataError, match="column suppressed holds 'no' on line 2; allowed: True, False"):
        ser.load_jobs(folder / "jobs.csv")


def test_table_elsewhere_without_manifest_is_checked_against_the_contract(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_bytes(jobs_csv(JOBS_ROWS))
    assert len(ser.load_jobs(path)) == 6  # no build recorded a hash: nothing to compare with
    path.write_bytes(jobs_csv([*JOBS_ROWS, JOBS_ROWS[0]]))
    with pytest.raises(ProcessedDataError, match="is not unique: 2 rows on lines 2, 8"):
        ser.load_jobs(path)


def test_every_table_has_a_contract_for_every_column() -> None:
    from analysis.processing import schema

    assert tables.JOBS.columns == schema.JOBS_COLUMNS and tables.ENROLMENT.columns == schema.ENROLMENT_COLUMNS
    assert tables.LABOUR.columns == schema.LABOUR_COLUMNS and tables.REGIONAL.columns == schema.REGIONAL_COLUMNS
    assert tables.FIRM_SIZE.columns == schema.FIRM_SIZE_COLUMNS
    for table in tables.TABLES.values():
        assert set(table.key) <= set(table.columns)
        assert validate.pandera_schema(table.name).unique == list(table.key)


# --- cheap on repeated reads -------------------------------------------------------------------------


def test_validated_once_per_path_and_sha(enrolment_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = validate.validate_frame
    monkeypatch.setattr(validate, "validate_frame", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    first = load_table("enrolment", enrolment_copy)
    first.loc[0, "students"] = -1  # a caller changing its copy does not change the next caller's
    second = load_table("enrolment", enrolment_copy)
    assert calls == ["enrolment"] and second.loc[0, "students"] == 704
    lines = enrolment_copy.read_text().splitlines(keepends=True)
    enrolment_copy.write_text("".join([*lines[:2], lines[2].replace(",662,", ",663,"), *lines[3:]]))
    with pytest.raises(ProcessedDataError, match="edited by hand"):
        load_table("enrolment", enrolment_copy)  # a changed file is checked again
    assert calls == ["enrolment", "enrolment"]


def test_report_region_list_checks_the_hash_without_pandas(tmp_path: Path) -> None:
    folder = publish_like_build(tmp_path / "data" / "processed", {"jobs.csv": jobs_csv(JOBS_ROWS)})
    assert site.corop_regions(folder / "jobs.csv") == {"CR12": "Twente (CR)"}
    code = ("import sys; from analysis.site.build import corop_regions; print(corop_regions()); "
            "print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "TWENTE_CLAIMS_ROOT": str(tmp_path)})
    assert result.stdout.split("\n")[:2] == ["{'CR12': 'Twente (CR)'}", "False"]
    (folder / "jobs.csv").write_bytes(jobs_csv(JOBS_ROWS).replace(b"40000", b"40001"))
    with pytest.raises(ProcessedDataError, match=r"jobs.csv: its sha256 .*\(edited by hand"):
        site.corop_regions(folder / "jobs.csv")


def test_text_loader_gives_the_cells_as_written_after_the_same_checks(enrolment_copy: Path) -> None:
    text = validate.load_text("enrolment", enrolment_copy)
    pd.testing.assert_frame_equal(text, pd.read_csv(COMMITTED / "enrolment.csv", dtype=str, keep_default_na=False))
    lines = enrolment_copy.read_text().splitlines(keepends=True)
    enrolment_copy.write_text("".join([*lines[:2], lines[2].replace(",662,", ",663,"), *lines[3:]]))
    with pytest.raises(ProcessedDataError, match="edited by hand"):
        validate.load_text("enrolment", enrolment_copy)
