"""Warm kernels: a pool worker keeps one Jupyter kernel and runs every notebook it is given in it.

A cold page costs a kernel start and the imports of pandas, matplotlib, statsmodels and the package
(several seconds) before its first cell does anything; an atlas runs hundreds of pages. So each
worker starts its kernel once (:func:`kernel_manager`) and papermill runs each notebook in it through
the engine ``warm`` (:class:`WarmKernelEngine`, papermill's own engine with the worker's kernel
manager instead of a new one). What one page leaves behind must not reach the next: the first cell of
every notebook (:data:`RESET_CELL`, hidden from readers) clears the user namespace and closes open
figures; the package's module-level memos (the processed tables per data folder, the parsed registry
per file state) stay, which is the point: they are the same for every page of a build.

Each page stays a plain notebook: the reset cell is added to the copy that is executed, never to
``notebooks/``. The kernel's own stderr goes to one log per worker; the part a notebook produced is
copied to that page's ``<executed>.kernel.log`` (:func:`analysis.site.execute.kernel_log`). A kernel
that died is replaced before the next notebook. The kernel ends with its worker (``JPY_PARENT_PID``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

ENGINE = "warm"
# A warm kernel keeps what every page memoised (about 11 MiB more per region's six claim pages after
# some 320 MiB of imports and tables): past this resident size a worker replaces it before its next
# page, so that an atlas of 40 regions stays within its memory (benchmarks/README.md, "Atlas").
KERNEL_RSS_LIMIT = 360 * 2**20
RESET_CELL = ("get_ipython().run_line_magic('reset', '-f')  # the previous page's names\n"
              "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt")
_WORKER: dict[str, Any] = {}  # this worker process's kernel manager and its stderr log


def start_worker(log_dir: str) -> None:
    """Pool worker initializer: where this worker's kernel logs, and a clean kernel shutdown when
    the worker ends normally (multiprocessing runs its finalizers then, not atexit)."""
    from multiprocessing.util import Finalize

    _WORKER["log_dir"] = Path(log_dir)
    Finalize(None, _shutdown_kernel, exitpriority=10)


def _shutdown_kernel() -> None:
    from nbclient.util import run_sync

    manager = _WORKER.pop("manager", None)
    if manager is not None and manager.has_kernel:
        run_sync(manager.shutdown_kernel)(now=True)


def stderr_log(default_dir: Path) -> Path:
    """Where this worker's kernel writes its stderr: the pool's log folder, else ``default_dir``."""
    import os

    if "log" in _WORKER:
        return _WORKER["log"]
    return Path(_WORKER.get("log_dir", default_dir)) / f"kernel-{os.getpid()}.log"


def kernel_manager(kernel_name: str, stderr_log: Path) -> Any:
    """This worker's kernel manager (started by the first notebook), replaced if its kernel died."""
    from nbclient.util import run_sync

    from analysis.site.execute import quiet_kernel_manager

    manager = _WORKER.get("manager")
    if manager is not None and manager.has_kernel and not run_sync(manager.is_alive)():
        run_sync(manager.cleanup_resources)()
        manager = None
    if manager is None:
        stderr_log.parent.mkdir(parents=True, exist_ok=True)
        manager = quiet_kernel_manager(stderr_log)(kernel_name=kernel_name)
        _WORKER.update(manager=manager, log=stderr_log)
    return manager


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine on the worker's warm kernel (see the module docstring)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                 execution_timeout: int | None = None, **kwargs: Any) -> Any:
        manager = kernel_manager(kernel_name, Path(kwargs.pop("kernel_stderr_log")))
        client = PapermillNotebookClient(
            nb_man, km=manager, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=logging.getLogger("papermill"), log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file)
        try:
            return client.execute()
        finally:  # the client's channels, not the kernel: the next notebook reuses it
            if client.kc is not None:
                client.kc.stop_channels()
            _retire_if_large(manager)


def _retire_if_large(manager: Any) -> None:
    """Shut the kernel down when it has grown past :data:`KERNEL_RSS_LIMIT` (the next notebook of
    this worker starts a fresh one)."""
    import psutil

    pid = getattr(manager.provisioner, "pid", None) if manager.has_kernel else None
    try:
        size = psutil.Process(pid).memory_info().rss if pid else 0
    except psutil.Error:  # already gone: kernel_manager() replaces it
        return
    if size > KERNEL_RSS_LIMIT:
        _shutdown_kernel()


papermill_engines.register(ENGINE, WarmKernelEngine)
