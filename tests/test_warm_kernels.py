"""Warm kernels (analysis.site.warm): a worker runs its pages in one kernel, each page starting with
the previous page's names gone; a kernel grown past the limit is replaced before the next page."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.site import execute, warm

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


def run(tmp_path: Path, name: str, text: str) -> str:
    source = tmp_path / f"{name}.py"
    source.write_text(text, encoding="utf-8")
    executed = tmp_path / f"{name}.ipynb"
    outcome = execute.execute_notebook(source, executed, {}, tmp_path)
    assert outcome.error is None, outcome.error
    return executed.read_text(encoding="utf-8")


def kernel_pid(executed: str) -> str:
    return executed.split("kernel ", 1)[1].split("\\n", 1)[0]


@pytest.fixture()
def own_kernel():
    yield
    warm._shutdown_kernel()  # this test process is the "worker": its kernel ends with the test
    warm._WORKER.clear()


def test_the_second_page_runs_in_the_same_kernel_without_the_first_pages_names(tmp_path, own_kernel) -> None:
    first = run(tmp_path, "first", FIRST)
    second = run(tmp_path, "second", SECOND)
    assert kernel_pid(first) == kernel_pid(second)  # warm: no new kernel, no new imports
    assert "names False" in second  # the hidden reset cell cleared the first page's names


def test_a_kernel_past_the_limit_is_replaced_before_the_next_page(tmp_path, own_kernel, monkeypatch) -> None:
    monkeypatch.setattr(warm, "KERNEL_RSS_LIMIT", 1)  # every kernel is past one byte
    first = run(tmp_path, "first", FIRST)
    second = run(tmp_path, "second", SECOND)
    assert kernel_pid(first) != kernel_pid(second)


def test_run_apart_returns_the_result_of_a_process_that_is_gone_after() -> None:
    import os

    import psutil

    pid = execute.run_apart(os.getpid)
    assert pid != os.getpid()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
