"""Report builds started at once, or killed halfway, leave the last good report in place."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.report import site as report
from test_report import make_project

pytestmark = pytest.mark.slow


def _report(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TWENTE_CLAIMS_ROOT": str(root)}
    return subprocess.Popen([sys.executable, "-m", "analysis", "report", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _site(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and "previous-results" not in p.parts}


@pytest.fixture()
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(root))
    list(report.build_report())
    return root


@pytest.mark.parametrize("kill_after", [1.0, 3.0])
def test_report_killed_halfway_keeps_previous_site(built: Path, kill_after: float) -> None:
    before = _site(built / "reports")
    process = _report(built, "--force")
    time.sleep(kill_after)  # while the notebooks execute
    os.killpg(os.getpgid(process.pid), 0)  # still running
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert _site(built / "reports") == before
    # the next build works and finds nothing to redo: the killed one never recorded a state
    finished = _report(built)
    _out, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    assert _site(built / "reports").keys() == before.keys()
    assert not list((built / "reports").glob(".tmp-build-*"))  # the stale temporary folder is gone


def test_two_report_builds_at_once(built: Path) -> None:
    before = _site(built / "reports")
    first, second = _report(built, "--force"), _report(built, "--force")
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in (first, second)]
    assert any(code == 0 for code, _ in outcomes), outcomes
    for code, err in outcomes:
        assert code == 0 or "another report build is writing" in err, err
    assert _site(built / "reports").keys() == before.keys()
