"""Warm kernels (analysis.site.warm): a worker runs its pages in one kernel, each page starting with
the previous page's names gone; a kernel grown past the limit is replaced before the next page."""

from __future__ import annotations

import os
import threading
from concurrent.futures import CancelledError
from pathlib import Path

import pytest

from analysis.site import execute, warm
from test_report_interruption import _is_kernel, _tree

FIRST = '''# %%
import os
left_behind = "from the first page"
print("kernel", os.getpid())
'''
SECOND = '''# %%
import os
print("kernel", os.getpid())
print("names", "left_behind" in globals())
'''


def run(tmp_path: Path, name: str, text: str, kernel: warm.WarmKernel) -> str:
    source = tmp_path / f"{name}.py"
    source.write_text(text, encoding="utf-8")
    executed = tmp_path / f"{name}.ipynb"
    outcome = execute.execute_notebook(source, executed, {}, tmp_path, kernel)
    assert outcome.error is None, outcome.error
    return executed.read_text(encoding="utf-8")


def kernel_pid(executed: str) -> str:
    return executed.split("kernel ", 1)[1].split("\\n", 1)[0]


@pytest.fixture()
def own_kernel(tmp_path: Path):
    kernel = warm.WarmKernel(tmp_path / "kernel.log")
    yield kernel
    kernel.shutdown()  # this test's thread drives the kernel: it ends with the test


def test_the_second_page_runs_in_the_same_kernel_without_the_first_pages_names(tmp_path, own_kernel) -> None:
    first = run(tmp_path, "first", FIRST, own_kernel)
    second = run(tmp_path, "second", SECOND, own_kernel)
    assert kernel_pid(first) == kernel_pid(second)  # warm: no new kernel, no new imports
    assert "names False" in second  # the hidden reset cell cleared the first page's names


def test_a_kernel_past_the_limit_is_replaced_before_the_next_page(tmp_path, own_kernel, monkeypatch) -> None:
    monkeypatch.setattr(warm, "KERNEL_RSS_LIMIT", 1)  # every kernel is past one byte
    first = run(tmp_path, "first", FIRST, own_kernel)
    second = run(tmp_path, "second", SECOND, own_kernel)
    assert kernel_pid(first) != kernel_pid(second)


def test_run_apart_returns_the_result_of_a_process_that_is_gone_after() -> None:
    import psutil

    pid = execute.run_apart(os.getpid)
    assert pid != os.getpid()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


WHERE = '''# %%
import os
print("cwd", os.getcwd())
'''
SLEEPS = '''# %%
import os, pathlib, time
(pathlib.Path(os.environ["STARTED"]) / str(os.getpid())).touch()
time.sleep(600)
'''


def _children_kernels() -> list:
    return [process for process in _tree(os.getpid()) if _is_kernel(process)]


def test_a_page_runs_in_its_folder_and_the_build_process_stays_where_it_was(tmp_path, own_kernel) -> None:
    here = os.getcwd()
    folder = tmp_path / "pages"
    folder.mkdir()
    source = tmp_path / "where.py"
    source.write_text(WHERE, encoding="utf-8")
    outcome = execute.execute_notebook(source, tmp_path / "where.ipynb", {}, folder, own_kernel)
    assert outcome.error is None, outcome.error
    assert f"cwd {folder}" in (tmp_path / "where.ipynb").read_text(encoding="utf-8")
    assert os.getcwd() == here  # the pages' threads share this process: no process-wide chdir


def test_a_killed_kernel_is_not_replaced(tmp_path, own_kernel) -> None:
    run(tmp_path, "first", FIRST, own_kernel)
    own_kernel.kill()
    source = tmp_path / "second.py"
    source.write_text(SECOND, encoding="utf-8")
    outcome = execute.execute_notebook(source, tmp_path / "second.ipynb", {}, tmp_path, own_kernel)
    assert isinstance(outcome.error, warm.BuildStopped)


def test_the_pool_runs_pages_in_two_kernels_and_shuts_them_down_when_done(tmp_path) -> None:
    tasks = []
    for number in range(4):
        source = tmp_path / f"page{number}.py"
        source.write_text(FIRST, encoding="utf-8")
        tasks.append((number, (source, tmp_path / f"page{number}.ipynb", {}, tmp_path)))
    with execute.WarmPool(tmp_path / "logs", workers=2) as pool:
        outcomes = dict(pool.run(tasks))
        assert len(_children_kernels()) == 2
    assert sorted(outcomes) == [0, 1, 2, 3]
    assert all(outcome.error is None for outcome in outcomes.values())
    pids = {kernel_pid(outcome.executed.read_text(encoding="utf-8")) for outcome in outcomes.values()}
    assert len(pids) == 2  # four pages, two warm kernels
    assert _children_kernels() == []  # a normal end shuts both kernels down


def test_a_pool_left_by_an_exception_kills_its_running_kernels_at_once(tmp_path, monkeypatch, caplog) -> None:
    import time

    import psutil

    started = tmp_path / "started"  # each running page leaves its kernel's pid here
    started.mkdir()
    monkeypatch.setenv("STARTED", str(started))  # the kernels inherit it
    source = tmp_path / "sleeps.py"
    source.write_text(SLEEPS, encoding="utf-8")
    tasks = [(number, (source, tmp_path / f"sleeps{number}.ipynb", {}, tmp_path)) for number in range(3)]
    begun = time.monotonic()
    with pytest.raises(KeyboardInterrupt), execute.WarmPool(tmp_path / "logs", workers=2) as pool:
        outcomes = pool.run(tasks)
        while len(list(started.iterdir())) < 2:  # both kernels are running a page
            assert time.monotonic() - begun < 120, "the pages did not start"
            time.sleep(0.05)
        kernels = _children_kernels()
        socket_folders = [kernel.manager._socket_dir for kernel in pool.kernels]
        raise KeyboardInterrupt
    assert time.monotonic() - begun < 120  # not the ten minutes the page sleeps
    _gone, alive = psutil.wait_procs(kernels, timeout=10)
    assert alive == []
    assert {int(pid.name) for pid in started.iterdir()} == {kernel.pid for kernel in kernels}
    assert _children_kernels() == []  # the third page started no kernel
    for thread in pool.threads:  # each ends once its page has seen its kernel die
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert not [folder for folder in socket_folders if folder.exists()]  # nothing left in /tmp
    ends = []

    def read_outcomes() -> None:
        try:
            ends.extend(type(outcome.error).__name__ for _key, outcome in outcomes)
        except CancelledError:
            ends.append("cancelled")

    reader = threading.Thread(target=read_outcomes, daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "the build would wait forever for a page the stop cancelled"
    # the two running pages end with their kernels; the third is cancelled, never run
    assert ends == ["DeadKernelError", "DeadKernelError", "cancelled"]
    # a deliberate kill is not logged as a kernel that died
    assert not [record for record in caplog.records if "died" in record.getMessage()]


def test_the_socket_folders_of_a_build_that_no_longer_runs_are_removed(tmp_path: Path):
    # a build killed with SIGKILL leaves its kernels' socket folders; the next build removes them, and
    # only them: not a running build's, not another program's
    import subprocess
    import sys

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    gone = tmp_path / f"{warm.SOCKET_PREFIX}{int(ended.stdout)}-a1b2"
    gone.mkdir()
    (gone / "ipc-1").write_text("")
    running = tmp_path / f"{warm.SOCKET_PREFIX}{os.getpid()}-c3d4"
    running.mkdir()
    others = [tmp_path / "kernel-e5f6", tmp_path / f"{warm.SOCKET_PREFIX}not-a-pid"]
    for folder in others:
        folder.mkdir()
    assert warm.sweep_orphaned_socket_folders(tmp_path) == [gone]
    assert not gone.exists() and running.exists() and all(folder.exists() for folder in others)
