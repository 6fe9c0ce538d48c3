"""Two fetches or builds at once, and builds killed halfway: the data stay whole."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.processing.build import build
from analysis.processing.publish import JOURNAL, publish, recover
from analysis.sources.fetch import fetch
from analysis.sources.snapshot import data_lock, sha256_of

pytestmark = pytest.mark.mirror
TABLES = ("jobs.csv", "enrolment.csv", "manifest.json")


@pytest.fixture(scope="module")
def project(mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with raw snapshots from the mirror and processed data built from them."""
    root = tmp_path_factory.mktemp("project")
    fetch(mirror=mirror_dir, raw_root=root / "data" / "raw", progress=False)
    build(raw_root=root / "data" / "raw", out_dir=root / "data" / "processed")
    return root


def _cli(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TWENTE_CLAIMS_ROOT": str(root)}
    return subprocess.Popen([sys.executable, "-m", "analysis", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _consistent(processed: Path) -> dict[str, bytes]:
    """The tables agree with the manifest that describes them; returns their bytes."""
    manifest = json.loads((processed / "manifest.json").read_text())
    for name, table in manifest["tables"].items():
        assert sha256_of(processed / name) == table["sha256"], f"{name} does not match its manifest"
    return {name: (processed / name).read_bytes() for name in TABLES}


def test_second_build_while_locked_is_refused_with_clear_message(project: Path) -> None:
    before = _consistent(project / "data" / "processed")
    with data_lock(project / "data" / "raw"):
        result = _cli(project, "build")
        _, err = result.communicate(timeout=120)
    assert result.returncode == 2
    assert "another fetch or build is running" in err
    assert _consistent(project / "data" / "processed") == before


def test_two_builds_started_at_once_leave_whole_data(project: Path) -> None:
    before = _consistent(project / "data" / "processed")
    first, second = _cli(project, "build"), _cli(project, "build")
    outcomes = [(p.wait(timeout=180), p.stderr.read()) for p in (first, second)]
    assert any(code == 0 for code, _ in outcomes)
    for code, err in outcomes:
        assert code == 0 or "another fetch or build is running" in err
    after = _consistent(project / "data" / "processed")
    assert {k: v for k, v in after.items() if k != "manifest.json"} == \
        {k: v for k, v in before.items() if k != "manifest.json"}


def test_fetch_during_build_is_refused(project: Path, mirror_dir: Path) -> None:
    with data_lock(project / "data" / "raw"):
        result = _cli(project, "fetch", "--mirror", str(mirror_dir), "--quiet")
        _, err = result.communicate(timeout=120)
    assert result.returncode == 2 and "another fetch or build is running" in err


@pytest.mark.parametrize("kill_after", [0.4, 1.2, 2.5])
def test_build_killed_halfway_leaves_last_good_data(project: Path, kill_after: float) -> None:
    processed = project / "data" / "processed"
    before = _consistent(processed)
    process = _cli(project, "build")
    time.sleep(kill_after)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    recover(processed)  # what the next build or status does first
    after = _consistent(processed)
    assert {k: v for k, v in after.items() if k != "manifest.json"} == \
        {k: v for k, v in before.items() if k != "manifest.json"}
    # and the next build runs normally, cleaning up what the killed one left
    build(raw_root=project / "data" / "raw", out_dir=processed)
    assert not list(processed.parent.glob(".processed-*"))


def test_publish_rolls_forward_after_commit_point(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    target.mkdir()
    for name in ("a.csv", "b.csv"):
        (target / name).write_text("old")
    # simulate a process killed after the journal was written but before the renames
    (target / "a.csv.new").write_text("new")
    (target / "b.csv.new").write_text("new")
    (target / JOURNAL).write_text(json.dumps(["a.csv", "b.csv"]))
    assert recover(target) == ["a.csv", "b.csv"]
    assert [(target / n).read_text() for n in ("a.csv", "b.csv")] == ["new", "new"]
    assert not (target / JOURNAL).exists()


def test_publish_drops_staged_files_without_journal(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    target.mkdir()
    (target / "a.csv").write_text("old")
    (target / "a.csv.new").write_text("half")  # killed while staging: no commit point
    recover(target)
    assert (target / "a.csv").read_text() == "old" and not (target / "a.csv.new").exists()
    source = tmp_path / "staging"
    source.mkdir()
    (source / "a.csv").write_text("new")
    publish({"a.csv": source / "a.csv"}, target)
    assert (target / "a.csv").read_text() == "new"
    shutil.rmtree(source)
