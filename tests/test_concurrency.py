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

from analysis import atomic
from analysis.atomic import JOURNAL, STAGING, publish, recover
from analysis.processing.build import build
from analysis.processing.validate import InterruptedBuildError, load_table
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


PARTIAL_WO = "duo/ingeschrevenenwo-2025-ut-only-partial.csv"


def _new_release(mirror_dir: Path, folder: Path) -> Path:
    """A mirror whose partial wo file counts 1,000 more students in its first row (so the new set
    differs from the old one in enrolment.csv and the manifest, and a mix of the two shows)."""
    lines = (mirror_dir / PARTIAL_WO).read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].rstrip("\n").split(";")
    fields[-1] = str(int(fields[-1]) + 1000)
    lines[1] = ";".join(fields) + "\n"
    (folder / PARTIAL_WO).parent.mkdir(parents=True)
    (folder / PARTIAL_WO).write_text("".join(lines), encoding="utf-8")
    return folder


def test_build_killed_inside_its_publish_window_is_never_read_as_a_mix(
        project: Path, mirror_dir: Path, tmp_path: Path) -> None:
    """The build stops at a known point inside the publish (the pause hook, after its first rename),
    is killed there, and a reader then refuses the folder with the way out; `build` finishes it."""
    root = tmp_path / "project"
    shutil.copytree(project, root)
    raw, processed = root / "data" / "raw", root / "data" / "processed"
    old = _consistent(processed)
    fetch(["duo-wo-2025"], mirror=_new_release(mirror_dir, tmp_path / "mirror"), raw_root=raw, progress=False)
    go_on = tmp_path / "go-on"
    env = {**os.environ, "TWENTE_CLAIMS_ROOT": str(root), atomic.PAUSE_ENV: str(go_on)}
    process = subprocess.Popen([sys.executable, "-m", "analysis", "build"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    paused, deadline = Path(f"{go_on}.paused"), time.monotonic() + 300
    while not paused.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # polling an observable state (the pause marker), not a guessed time
    assert paused.exists(), f"the build never reached its publish window: {process.stderr.read()}"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    # On disk now: the first file of the new set (datapackage.json) beside the old tables.
    assert (processed / JOURNAL).exists()
    assert (processed / "enrolment.csv").read_bytes() == old["enrolment.csv"]
    for table in ("enrolment", "jobs"):
        with pytest.raises(InterruptedBuildError,
                           match=r"an interrupted build .*: run `python -m analysis build` to finish it"):
            load_table(table, processed / f"{table}.csv")
    finished = _cli(root, "build")
    _, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    new = _consistent(processed)
    assert new["enrolment.csv"] != old["enrolment.csv"]  # the whole new set, readable again
    assert new["jobs.csv"] == old["jobs.csv"]
    assert len(load_table("enrolment", processed / "enrolment.csv")) > 0
    assert not (processed / JOURNAL).exists() and not (processed / STAGING).exists()
    assert not list(processed.parent.glob(".processed-*"))


def test_publish_rolls_forward_after_commit_point(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    target.mkdir()
    for name in ("a.csv", "b.csv"):
        (target / name).write_text("old")
    # simulate a process killed after the journal was written but before the renames
    (target / STAGING).mkdir()
    (target / STAGING / "a.csv").write_text("new")
    (target / STAGING / "b.csv").write_text("new")
    (target / JOURNAL).write_text(json.dumps({"publish": ["a.csv", "b.csv"], "remove": []}))
    assert recover(target) == ["a.csv", "b.csv"]
    assert [(target / n).read_text() for n in ("a.csv", "b.csv")] == ["new", "new"]
    assert not (target / JOURNAL).exists()


def test_publish_drops_staged_files_without_journal(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    target.mkdir()
    (target / "a.csv").write_text("old")
    (target / STAGING).mkdir()
    (target / STAGING / "a.csv").write_text("half")  # killed while staging: no commit point
    recover(target)
    assert (target / "a.csv").read_text() == "old" and not (target / STAGING).exists()
    source = tmp_path / "staging"
    source.mkdir()
    (source / "a.csv").write_text("new")
    publish({"a.csv": source / "a.csv"}, target)
    assert (target / "a.csv").read_text() == "new"
    assert not source.joinpath("a.csv").exists()
