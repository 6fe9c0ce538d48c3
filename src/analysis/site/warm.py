"""Warm kernels: one Jupyter kernel runs every notebook its thread of the build is given.

A cold page costs a kernel start and the imports of pandas, matplotlib, statsmodels and the package
(several seconds) before its first cell does anything; an atlas runs hundreds of pages. So a
:class:`WarmKernel` starts its kernel once and papermill runs each notebook in it through the engine
``warm`` (:class:`WarmKernelEngine`, papermill's own engine with this kernel's manager instead of a
new one). What one page leaves behind must not reach the next: the first cell of every notebook
(:data:`RESET_CELL`, hidden from readers) clears the user namespace and closes open figures; the
package's module-level memos (the processed tables per data folder, the parsed registry per file
state) stay, which is the point: they are the same for every page of a build.

The kernels are children of the build process, driven from its threads (one kernel per thread, for
its whole life: a kernel manager's event loop and ZMQ sockets belong to the thread that made them).
Each page stays a plain notebook: the hidden cells are added to the copy that is executed, never to
``notebooks/``. A kernel's own stderr goes to its log file. A kernel that died is replaced before
the next notebook; one grown past :data:`KERNEL_RSS_LIMIT` is shut down after its page. A kernel ends
within a second of the build's death (ipykernel's parent poller watches ``JPY_PARENT_PID``).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

ENGINE = "warm"
# A warm kernel keeps what every page memoised (about 11 MiB more per region's six claim pages after
# some 320 MiB of imports and tables): past this resident size it is replaced before its next page,
# so that an atlas of 40 regions stays within its memory (benchmarks/README.md, "Atlas").
KERNEL_RSS_LIMIT = 360 * 2**20
# A kernel's IPC sockets live in a folder of its own, named after the build's process id: a build
# killed with SIGKILL cannot remove it, so the next build removes those of builds no longer running.
SOCKET_PREFIX = "twente-kernel-"
RESET_CELL = ("get_ipython().run_line_magic('reset', '-f')  # the previous page's names\n"
              "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt")


class BuildStopped(RuntimeError):
    """The build was stopped: a killed kernel is not replaced."""


class WarmKernel:
    """One kernel for the pages of one thread: started by the first page, replaced when it died or
    grew too large. ``log``: where the kernel writes its own stderr. :meth:`kill` may be called from
    any thread (or a signal handler); everything else only from the thread that runs the pages."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.manager: Any = None
        self.pid: int | None = None
        self.stopped = False

    def execute(self, notebook: Path, executed: Path, parameters: dict[str, Any], kernel_name: str,
                timeout: int) -> None:
        """Run ``notebook`` (an .ipynb) in this kernel with papermill; its errors are raised."""
        import papermill

        # No save after every cell (a notebook write in the build process per cell): papermill writes
        # the executed notebook once at the end, with the error marked if a cell raised.
        papermill.execute_notebook(notebook, executed, parameters=parameters, kernel_name=kernel_name,
                                   progress_bar=False, log_output=False, execution_timeout=timeout,
                                   engine_name=ENGINE, request_save_on_cell_execute=False, warm_kernel=self)

    def running_manager(self, kernel_name: str) -> Any:
        """The kernel manager with a live kernel: the one started before, or a new one."""
        from nbclient.util import run_sync

        if self.stopped:
            raise BuildStopped("the build was stopped; its kernels run no more pages")
        if self.manager is not None and not run_sync(self.manager.is_alive)():
            self._clean_up()
        if self.manager is None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            manager = quiet_kernel_manager(self.log)(kernel_name=kernel_name)
            run_sync(manager.start_kernel)()
            self.manager, self.pid = manager, manager.provisioner.pid
            if self.stopped:  # stopped while it started (kill() may not have seen its pid)
                self.kill()
                raise BuildStopped("the build was stopped; its kernels run no more pages")
        return self.manager

    def retire_if_large(self) -> None:
        """Shut the kernel down when it has grown past :data:`KERNEL_RSS_LIMIT` (the next page starts
        a fresh one)."""
        import psutil

        try:
            size = psutil.Process(self.pid).memory_info().rss if self.pid else 0
        except psutil.Error:  # already gone: running_manager() replaces it
            return
        if size > KERNEL_RSS_LIMIT:
            self.shutdown()

    def shutdown(self) -> None:
        """End the kernel cleanly (its own thread; the pages are done)."""
        from nbclient.util import run_sync

        if self.manager is not None and self.manager.has_kernel:
            run_sync(self.manager.shutdown_kernel)(now=True)
        self._clean_up()

    def _clean_up(self) -> None:
        from nbclient.util import run_sync

        if self.manager is not None:
            run_sync(self.manager.cleanup_resources)()
        self.manager, self.pid = None, None

    def kill(self) -> None:
        """End the kernel now and start no other (any thread, a signal handler too: no locks, no
        waiting). A page running in it ends with a dead-kernel error within a second."""
        self.stopped = True
        pid = self.pid
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class _SilentOnceStopped(logging.LoggerAdapter):
    """papermill's logger, silent once the build has killed the kernel: a deliberate kill is not news
    ("Kernel died while waiting for execute reply." under the failure the build reports)."""

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        if not self.extra["kernel"].stopped:
            super().log(level, msg, *args, **kwargs)


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine on a warm kernel (see the module docstring)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                 execution_timeout: int | None = None, **kwargs: Any) -> Any:
        kernel: WarmKernel = kwargs.pop("warm_kernel")
        client = PapermillNotebookClient(
            nb_man, km=kernel.running_manager(kernel_name), timeout=execution_timeout,
            startup_timeout=start_timeout, kernel_name=kernel_name,
            log=_SilentOnceStopped(logging.getLogger("papermill"), {"kernel": kernel}),
            log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        try:
            return client.execute()
        finally:  # the client's channels, not the kernel: the next notebook reuses it
            if client.kc is not None:
                client.kc.stop_channels()
            kernel.retire_if_large()


@cache
def quiet_kernel_manager(stderr_log: Path | None = None) -> type:
    """A kernel manager: IPC sockets, errors-only kernel log, no interrupt on shutdown; the kernel's
    own stderr (ipykernel's log, e.g. a ZMQ error in its shutdown race) goes to ``stderr_log``
    rather than the build's terminal, so the build log stays the build's."""
    from jupyter_client import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_start_kernel(self, **kwargs: Any) -> None:
            if stderr_log is not None:
                self._stderr_file = open(stderr_log, "ab")  # noqa: SIM115, ASYNC230 - closed in cleanup; a local file
                kwargs.setdefault("stderr", self._stderr_file)
            await super()._async_start_kernel(**kwargs)

        start_kernel = _async_start_kernel  # the public name is bound to the base's function

        def __init__(self, **kwargs: Any) -> None:
            # IPC sockets in a private folder instead of TCP ports: kernels started at the same time
            # can pick the same free TCP port ("Address already in use") and then never answer. A
            # socket path of its own cannot collide.
            sweep_orphaned_socket_folders()
            self._socket_dir = Path(tempfile.mkdtemp(prefix=f"{SOCKET_PREFIX}{os.getpid()}-"))
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(self._socket_dir / "ipc"))
            super().__init__(**kwargs)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # shutdown interrupts first; the kernel logs that as an ERROR
                return
            await super()._async_interrupt_kernel()

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._socket_dir, ignore_errors=True)
                if getattr(self, "_stderr_file", None) is not None:
                    self._stderr_file.close()

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return [*super().format_kernel_cmd(extra_arguments), "--IPKernelApp.log_level=ERROR"]

    return QuietKernelManager


def sweep_orphaned_socket_folders(folder: Path | None = None) -> list[Path]:
    """Remove the kernels' socket folders (under ``folder``, default the temporary folder) of builds
    that no longer run, and return them. A folder of a running process is left alone (even if that
    process took a dead build's id: a leftover then waits for the next build, never lost in use)."""
    import psutil

    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{SOCKET_PREFIX}*-*"):
        pid = path.name.removeprefix(SOCKET_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


papermill_engines.register(ENGINE, WarmKernelEngine)
