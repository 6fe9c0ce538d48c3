"""The engine reads processed tables through the processed-data checks (analysis.processing.validate)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.engine.check import check
from analysis.processing.validate import ProcessedDataError


def copy_processed(tmp_path: Path) -> Path:
    folder = tmp_path / "processed"
    shutil.copytree(paths.processed_dir(), folder)
    return folder


def test_a_value_edited_by_hand_stops_the_check_with_the_way_out(tmp_path: Path) -> None:
    folder = copy_processed(tmp_path)
    jobs = folder / "jobs.csv"
    lines = jobs.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    column = header.index("employee_jobs")
    for number, line in enumerate(lines[1:], 1):
        cells = line.rstrip("\n").split(",")
        if len(cells) == len(header) and cells[column].isdigit():
            cells[column] = str(int(cells[column]) + 100)  # one cell changed, file still well formed
            lines[number] = ",".join(cells) + "\n"
            break
    jobs.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ProcessedDataError) as error:
        check("industry-decline", "CR12", data_dir=folder)
    message = str(error.value)
    assert "jobs.csv" in message and "sha256" in message
    assert "python -m analysis build" in message


def test_a_truncated_table_stops_the_check(tmp_path: Path) -> None:
    folder = copy_processed(tmp_path)
    enrolment = folder / "enrolment.csv"
    text = enrolment.read_text(encoding="utf-8")
    enrolment.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ProcessedDataError) as error:
        check("technical-students", "CR12", data_dir=folder)
    assert "enrolment.csv" in str(error.value)
