"""A kernel's own stderr (ipykernel's log: e.g. a ZMQ error in its shutdown race) goes to a log file
beside the executed notebook, not onto the build's terminal (issue 17: a clean build log)."""

from __future__ import annotations

from pathlib import Path

from analysis.site import execute, warm

NOTEBOOK = '''# %%
from ipykernel.kernelapp import IPKernelApp

IPKernelApp.instance().log.error("kernel noise for the log")  # the kernel's log writes to its stderr
print("page output")
'''


def test_the_kernels_own_stderr_goes_to_the_kernel_log_not_the_terminal(tmp_path: Path, capfd) -> None:
    source = tmp_path / "noisy.py"
    source.write_text(NOTEBOOK, encoding="utf-8")
    executed = tmp_path / "noisy.ipynb"
    kernel = warm.WarmKernel(tmp_path / "kernel.log")
    try:
        outcome = execute.execute_notebook(source, executed, {}, tmp_path, kernel)
    finally:
        kernel.shutdown()
    assert outcome.error is None
    assert "kernel noise for the log" in execute.kernel_log(executed).read_text(encoding="utf-8")
    assert "kernel noise" not in capfd.readouterr().err  # nothing of it on the build's stderr
    assert "page output" in executed.read_text(encoding="utf-8")  # cell output stays in the notebook
