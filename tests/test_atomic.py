"""The one swap of every stage (analysis.atomic): a set of files and folders replaced as one unit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import atomic


def _old_set(target: Path) -> None:
    target.mkdir()
    (target / "a.csv").write_text("old a")
    (target / "folder").mkdir()
    (target / "folder" / "x.txt").write_text("old x")
    (target / "gone.html").write_text("stale page")


def _new_entries(tmp_path: Path) -> dict[str, Path]:
    staging = tmp_path / "build"
    (staging / "folder").mkdir(parents=True)
    (staging / "a.csv").write_text("new a")
    (staging / "folder" / "y.txt").write_text("new y")
    (staging / "en").mkdir()
    (staging / "en" / "page.html").write_text("new page")
    return {"a.csv": staging / "a.csv", "folder": staging / "folder", "en/page.html": staging / "en" / "page.html"}


def _contents(target: Path) -> dict[str, str]:
    return {p.relative_to(target).as_posix(): p.read_text() for p in sorted(target.rglob("*"))
            if p.is_file() and not p.relative_to(target).as_posix().startswith(".")}


NEW = {"a.csv": "new a", "folder/y.txt": "new y", "en/page.html": "new page"}
OLD = {"a.csv": "old a", "folder/x.txt": "old x", "gone.html": "stale page"}


def test_publish_replaces_files_and_folders_and_removes_listed_names(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _old_set(target)
    atomic.publish(_new_entries(tmp_path), target, remove=["gone.html"])
    assert _contents(target) == NEW
    assert sorted(p.name for p in target.iterdir() if p.name.startswith(".")) == []  # no journal, no staging


def test_recover_rolls_forward_a_publish_killed_after_its_commit_point(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _old_set(target)
    entries = _new_entries(tmp_path)
    # what a publish leaves when killed right after writing its journal: the staged set and the journal
    staging = target / atomic.STAGING
    for name, source in entries.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        source.rename(staging / name)
    (target / atomic.JOURNAL).write_text(json.dumps({"publish": sorted(entries), "remove": ["gone.html"]}))
    with pytest.raises(atomic.InterruptedPublishError,
                       match=r"an interrupted build .*: run `python -m analysis build` to finish it"):
        atomic.refuse_interrupted(target, "python -m analysis build")
    assert atomic.recover(target) == ["a.csv", "en/page.html", "folder"]
    assert _contents(target) == NEW
    atomic.refuse_interrupted(target, "python -m analysis build")  # whole again: no error


def test_recover_drops_a_publish_killed_before_its_commit_point(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _old_set(target)
    (target / atomic.STAGING).mkdir()
    (target / atomic.STAGING / "a.csv").write_text("half")  # staged, no journal yet
    (target / f"{atomic.JOURNAL}.tmp").write_text("{")  # journal being written
    assert atomic.recover(target) == []
    assert _contents(target) == OLD
    assert not (target / atomic.STAGING).exists() and not (target / f"{atomic.JOURNAL}.tmp").exists()


PAUSED_PUBLISH = """
import sys
from pathlib import Path
from analysis import atomic
target, build = Path(sys.argv[1]), Path(sys.argv[2])
atomic.publish({"a.csv": build / "a.csv", "b.csv": build / "b.csv", "c.csv": build / "c.csv"}, target)
"""


def test_a_publish_killed_inside_its_window_is_finished_by_recover(tmp_path: Path) -> None:
    """The pause hook stops the publish after its first rename; SIGKILL there leaves a mixed folder
    that readers refuse, and recover makes it whole and new."""
    target, build = tmp_path / "out", tmp_path / "build"
    target.mkdir(), build.mkdir()
    for name in ("a.csv", "b.csv", "c.csv"):
        (target / name).write_text(f"old {name}")
        (build / name).write_text(f"new {name}")
    go_on = tmp_path / "go-on"
    env = {**os.environ, atomic.PAUSE_ENV: str(go_on)}
    process = subprocess.Popen([sys.executable, "-c", PAUSED_PUBLISH, str(target), str(build)], env=env)
    paused = Path(f"{go_on}.paused")
    deadline = time.monotonic() + 60
    while not paused.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # polling an observable state (the marker), not waiting for time to pass
    assert paused.exists(), "the publish never reached its pause point"
    process.kill()
    process.wait(timeout=30)
    # killed after the first of three renames: a mix on disk, which a reader must not take for a set
    assert [(target / n).read_text() for n in ("a.csv", "b.csv", "c.csv")] == ["new a.csv", "old b.csv", "old c.csv"]
    assert atomic.is_interrupted(target)
    atomic.recover(target)
    assert [(target / n).read_text() for n in ("a.csv", "b.csv", "c.csv")] == ["new a.csv", "new b.csv", "new c.csv"]


def test_status_names_an_interrupted_build_and_how_to_finish_it(tmp_path: Path, caplog) -> None:
    from analysis.processing.status import status_table

    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / atomic.JOURNAL).write_text(json.dumps({"publish": [], "remove": []}))
    table = status_table(raw_root=tmp_path / "raw", out_dir=processed)
    assert set(table["vs_processed"]) == {"not used"}
    expected = (f"{processed} holds an interrupted build (the journal {atomic.JOURNAL} of a publish that did not "
                "finish): run `python -m analysis build` to finish it")
    assert [r.getMessage() for r in caplog.records] == [expected]
