"""Report builds started at once, or killed halfway, leave the last good report in place and no processes.

The kill is timed by what the build does, not by the clock: the test waits until the build's process
tree has a running Jupyter kernel (or until the build reports its first finished page), then kills
it. So the test does the same thing on a fast and on a slow machine.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from test_report import TESTS, make_project, project_env

pytestmark = pytest.mark.slow
WAIT_SECONDS = 300  # upper bound for a synchronisation point to arrive; never a sleep to "let it run"


def _report(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, **project_env(root), "PYTHONPATH": str(TESTS)}
    return subprocess.Popen([sys.executable, "-m", "analysis", "report", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _site(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and "previous-results" not in p.parts}


def _is_kernel(process: psutil.Process) -> bool:
    try:
        return any("ipykernel" in part for part in process.cmdline())
    except psutil.Error:
        return False


def _tree(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _wait_for_kernel(process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not any(_is_kernel(child) for child in _tree(process.pid)):
        assert process.poll() is None, f"the build ended before a kernel started: {process.stderr.read()}"
        assert time.monotonic() < deadline, "no kernel started within the time limit"
        time.sleep(0.05)  # polling an observable state, not waiting for the build to "get far enough"


def _wait_for_line(process: subprocess.Popen, pattern: str) -> str:
    for line in process.stdout:
        if re.search(pattern, line):
            return line
    raise AssertionError(f"the build ended without printing {pattern!r}: {process.stderr.read()}")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once, by the command line (so later command-line builds see the same code)."""
    root = make_project(tmp_path_factory.mktemp("interrupted") / "project")
    process = _report(root)
    _out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return root


@pytest.fixture()
def built(built_once: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built_once, root)
    return root


@pytest.mark.parametrize(("kill_at", "kill_signal"), [("kernel running", signal.SIGKILL),
                                                      ("first page done", signal.SIGKILL),
                                                      ("kernel running", signal.SIGTERM)])
def test_report_killed_halfway_keeps_previous_site(built: Path, kill_at: str, kill_signal: int) -> None:
    reports = built / "reports"
    before = _site(reports)
    state = (reports / ".build-state.json").read_bytes()
    process = _report(built, "--force")
    if kill_at == "kernel running":
        _wait_for_kernel(process)
    else:
        _wait_for_line(process, r"^  \[1/\d+\] ok ")
    tree = _tree(process.pid)
    assert tree, "the build has no kernel at the kill point"
    process.send_signal(kill_signal)
    process.wait(timeout=60)
    # Kernels die with the build (ipykernel's parent poller).
    _gone, alive = psutil.wait_procs(tree, timeout=30)
    assert alive == [], f"processes of the killed build still running: {[p.cmdline() for p in alive]}"
    assert _site(reports) == before
    assert (reports / ".build-state.json").read_bytes() == state  # the killed build recorded nothing
    stale = list(reports.glob(".tmp-build-*"))
    if kill_signal == signal.SIGTERM:
        assert stale == []  # an ordinary signal: the build removes its own temporary folder
    else:
        assert stale, "a build killed during execution leaves its temporary folder (removed by the next build)"
    # The next build works and removes every stale folder. (It may rebuild: the subprocess
    # fingerprints the real package code, the fixture's build a private copy.)
    (reports / ".tmp-build-leftover").mkdir()
    (reports / ".tmp-build-leftover" / "half.html").write_text("<p>half</p>")
    finished = _report(built)
    _out, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    assert _site(reports).keys() == before.keys()
    assert not list(reports.glob(".tmp-build-*"))


def test_two_report_builds_at_once(built: Path) -> None:
    before = _site(built / "reports")
    first, second = _report(built, "--force"), _report(built, "--force")
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in (first, second)]
    assert any(code == 0 for code, _ in outcomes), outcomes
    for code, err in outcomes:
        assert code == 0 or "another report build is writing" in err, err
    assert _site(built / "reports").keys() == before.keys()


MAKEFILE = TESTS.parent / "Makefile"


def test_make_report_killed_with_sigkill_ends_the_build_and_its_kernels(built: Path) -> None:
    """kill -9 of `make report` (not of the build): the build and its kernels end within
    seconds and the previous report stays whole. (Before, the build ran on as an orphan.)"""
    reports = built / "reports"
    before = _site(reports)
    (reports / ".build-state.json").unlink()  # no state: every page runs, so kernels start
    env = {**os.environ, **project_env(built), "PYTHONPATH": str(TESTS)}
    # -o: the project copy has no .venv; make must not try to create one
    make = subprocess.Popen(["make", "--no-print-directory", "-f", str(MAKEFILE), "-C", str(built),
                             "-o", ".venv/.installed-stamp", f"PY={sys.executable}", "report"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_kernel(make)
    tree = _tree(make.pid)
    assert any(_is_kernel(p) for p in tree)
    make.send_signal(signal.SIGKILL)
    make.wait(timeout=60)
    _gone, alive = psutil.wait_procs(tree, timeout=10)
    assert alive == [], f"processes of the killed make still running: {[p.cmdline() for p in alive]}"
    assert _site(reports) == before
    assert not list(reports.glob(".tmp-build-*"))  # the build ended by its SIGTERM path: folder removed
