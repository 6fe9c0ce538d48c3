"""Atomic raw snapshots: a failure at any point leaves the previous snapshot as it was."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from analysis.sources import snapshot
from analysis.sources.snapshot import (
    BusyError,
    CorruptSnapshotError,
    SnapshotError,
    data_lock,
    read_manifest,
    verify_snapshot,
    write_snapshot,
)


def _fill(content: str):
    def fill(dest: Path) -> dict:
        (dest / "data.csv").write_text(content)
        return {"mode": "test", "origin": "synthetic"}

    return fill


def _accept(dest: Path) -> None:
    return None


def test_write_snapshot_records_hashes(tmp_path: Path) -> None:
    manifest = write_snapshot("demo", _fill("a;b\n1;2\n"), _accept, tmp_path)
    assert manifest["files"][0]["name"] == "data.csv"
    assert manifest["files"][0]["sha256"] == snapshot.sha256_of(tmp_path / "demo" / "data.csv")
    assert read_manifest("demo", tmp_path)["origin"] == "synthetic"
    assert verify_snapshot("demo", tmp_path)["files"] == manifest["files"]


def test_failed_validation_keeps_previous_snapshot(tmp_path: Path) -> None:
    write_snapshot("demo", _fill("good\n"), _accept, tmp_path)

    def reject(dest: Path) -> None:
        raise ValueError("column X missing")

    with pytest.raises(SnapshotError, match="column X missing.*previous snapshot is untouched"):
        write_snapshot("demo", _fill("bad\n"), reject, tmp_path)
    assert (tmp_path / "demo" / "data.csv").read_text() == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]  # no temporary folders left behind


def test_failed_fill_keeps_previous_snapshot(tmp_path: Path) -> None:
    write_snapshot("demo", _fill("good\n"), _accept, tmp_path)

    def broken_fill(dest: Path) -> dict:
        (dest / "data.csv").write_text("half")
        raise ConnectionResetError("connection reset by peer")

    with pytest.raises(SnapshotError, match="connection reset"):
        write_snapshot("demo", broken_fill, _accept, tmp_path)
    assert (tmp_path / "demo" / "data.csv").read_text() == "good\n"
    verify_snapshot("demo", tmp_path)


def test_truncated_file_is_detected_by_hash(tmp_path: Path) -> None:
    write_snapshot("demo", _fill("a;b\n1;2\n3;4\n"), _accept, tmp_path)
    path = tmp_path / "demo" / "data.csv"
    path.write_text("a;b\n1;2\n")
    with pytest.raises(CorruptSnapshotError, match=r"data\.csv does not match the sha256.*fetch demo again"):
        verify_snapshot("demo", tmp_path)


def test_missing_snapshot_says_how_to_fetch(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="fetch --mirror DIR"):
        read_manifest("nothing", tmp_path)


def test_second_lock_holder_gets_clear_message(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with data_lock(raw):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(5)
        with pytest.raises(BusyError, match="another fetch or build is running"), data_lock(raw):
            pass
    finally:
        release.set()
        thread.join()
    with data_lock(raw):  # free again afterwards
        pass


def test_manifest_is_json_with_provenance(tmp_path: Path) -> None:
    write_snapshot("demo", _fill("x\n"), _accept, tmp_path)
    manifest = json.loads((tmp_path / "demo" / "manifest.json").read_text())
    assert {"dataset_id", "mode", "origin", "files"} <= manifest.keys()
