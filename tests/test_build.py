"""Build step on the real mirror: the committed data/processed is exactly what the mirror gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import paths
from analysis.processing.build import build
from analysis.sources.fetch import fetch
from analysis.sources.snapshot import CorruptSnapshotError, snapshot_dir

COMMITTED = paths.project_root() / "data" / "processed"
TABLES = ("jobs.csv", "enrolment.csv", "jobs_by_firm_size.csv", "labour_accounts.csv", "regional_accounts.csv")
VOLATILE = {"built_at", "retrieved_at"}  # timestamps differ between builds by design


def _stable(manifest: dict) -> dict:
    """The manifest without timestamps (and without where the raw files happened to come from)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(manifest)


@pytest.fixture(scope="module")
def mirror_raw(mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("project") / "data" / "raw"
    fetch(mirror=mirror_dir, raw_root=raw, progress=False)
    return raw


@pytest.fixture(scope="module")
def rebuilt(mirror_raw: Path) -> Path:
    out = mirror_raw.parent / "processed"
    build(raw_root=mirror_raw, out_dir=out)
    return out


def test_rebuild_from_mirror_is_byte_identical_to_committed(rebuilt: Path) -> None:
    for name in TABLES:
        assert (rebuilt / name).read_bytes() == (COMMITTED / name).read_bytes(), (
            f"data/processed/{name} differs from a rebuild from the mirror: run "
            "`make data MIRROR=../shared/data` and commit the result")
    new = json.loads((rebuilt / "manifest.json").read_text())
    old = json.loads((COMMITTED / "manifest.json").read_text())
    assert _stable(new) == _stable(old)


def test_two_builds_are_identical(mirror_raw: Path, rebuilt: Path, tmp_path: Path) -> None:
    again = tmp_path / "processed"
    build(raw_root=mirror_raw, out_dir=again)
    for name in TABLES:
        assert (again / name).read_bytes() == (rebuilt / name).read_bytes()


def test_manifest_records_inputs_checks_and_gaps(rebuilt: Path) -> None:
    manifest = json.loads((rebuilt / "manifest.json").read_text())
    ids = {i["dataset_id"] for i in manifest["inputs"]}
    assert {"cbs-83582NED", "cbs-81402ned", "duo-wo-2019", "duo-hbo-2024"} <= ids
    assert all(len(f["sha256"]) == 64 for i in manifest["inputs"] for f in i["files"])
    assert manifest["checks"]["83582NED latest: hierarchy sums"] > 4000
    assert manifest["gaps"]["jobs_suppressed_cells"]["83582NED latest"] == 1582
    assert manifest["tables"]["jobs.csv"]["rows"] > 17_220


def test_corrupt_raw_file_stops_build_and_keeps_processed(mirror_dir: Path, tmp_path: Path) -> None:
    raw = tmp_path / "data" / "raw"
    out = tmp_path / "data" / "processed"
    fetch(mirror=mirror_dir, raw_root=raw, progress=False)
    build(raw_root=raw, out_dir=out)
    before = {name: (out / name).read_bytes() for name in TABLES}
    typed = snapshot_dir("cbs-83582NED", raw) / "TypedDataSet.json"
    typed.write_bytes(typed.read_bytes()[: typed.stat().st_size // 2])  # truncated on disk
    with pytest.raises(CorruptSnapshotError, match=r"TypedDataSet\.json does not match the sha256"):
        build(raw_root=raw, out_dir=out)
    assert {name: (out / name).read_bytes() for name in TABLES} == before


def test_a_refresh_that_changes_no_data_changes_no_fingerprint(mirror_dir: Path, mirror_raw: Path, rebuilt: Path,
                                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fetch + build again from the same mirror: raw manifests, processed files and the report's data
    fingerprint stay as they were, so the next `make report` is a no-change rebuild. (Before, both
    manifests took new timestamps and every page ran again.)"""
    import shutil

    from analysis.site import plan

    root = tmp_path / "project"
    shutil.copytree(mirror_raw, root / "data" / "raw")
    shutil.copytree(rebuilt, root / "data" / "processed")
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(root))
    raw_manifests = {p: p.read_bytes() for p in (root / "data" / "raw").glob("*/manifest.json")}
    processed = {p.name: p.read_bytes() for p in (root / "data" / "processed").iterdir()}
    before = plan.data_fingerprint()
    fetch(mirror=mirror_dir, raw_root=root / "data" / "raw", progress=False)
    build(raw_root=root / "data" / "raw", out_dir=root / "data" / "processed")
    assert {p: p.read_bytes() for p in (root / "data" / "raw").glob("*/manifest.json")} == raw_manifests
    assert {p.name: p.read_bytes() for p in (root / "data" / "processed").iterdir()} == processed
    assert plan.data_fingerprint() == before
