"""Execute report notebooks with papermill, two at a time, and never outlive the build.

Process tree of a build: (make ->) the build process -> pool workers (spawned; :class:`WarmPool`)
-> one warm Jupyter kernel each, which runs every page its worker is given (:mod:`analysis.site.warm`),
for one region or a whole atlas; before the pool, the league in a process of its own
(:func:`run_apart`). A build may be killed at any moment (Ctrl-C, SIGTERM, SIGKILL), or make above it
may be. Then:

- under ``make report`` the build replaces make's shell (``exec``) and asks Linux for SIGTERM when
  make ends (:func:`end_with_parent`), so killing make ends the build as a SIGTERM would;
- pool workers ask Linux to kill them when the build process dies (``PR_SET_PDEATHSIG``), so no
  worker keeps executing a notebook into the dead build's temporary folder;
- kernels are started with their worker as ``JPY_PARENT_PID`` (jupyter_client does this) and
  ipykernel's parent poller ends a kernel within a second of its worker's death;
- on an ordinary failure or exception the build kills its workers at once instead of waiting for
  the other running notebook;
- on SIGTERM or Ctrl-C the command line calls :func:`analysis.site.build.abort_build`, which kills
  the workers, removes the temporary folder and exits at once (unwinding a process pool from an
  exception raised inside a signal handler can deadlock in the pool's own locks).

Kernel shutdown is quiet: jupyter_client interrupts a kernel before shutting it down, which made
every build print ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.``; an idle kernel
that is being shut down has nothing to interrupt, so that interrupt is skipped.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Self

from analysis.site.plan import REGISTRY_ENV

KERNEL_NAME = "python3"
MAX_PROCESSES = 2
CELL_TIMEOUT_SECONDS = 1200
_PR_SET_PDEATHSIG = 1


class ReportBuildError(RuntimeError):
    """A notebook failed; the previous report was left in place."""

    def __init__(self, notebook: str, message: str) -> None:
        super().__init__(message)
        self.notebook = notebook


@dataclass
class ExecutionOutcome:
    name: str
    executed: Path
    seconds: float
    error: BaseException | None = None


def to_ipynb(source: Path, target: Path) -> None:
    """A jupytext percent file as an .ipynb papermill can run in a warm kernel (kernel and language
    set; first the hidden cells that reset what the kernel's previous page left and, for a build with
    another registry, point the notebook's registry readers at it)."""
    import jupytext
    import nbformat

    from analysis.site.warm import RESET_CELL

    notebook = jupytext.read(source, fmt="py:percent")
    setup = [RESET_CELL]
    if os.environ.get(REGISTRY_ENV):  # another registry for this build
        setup.append("from analysis.site.plan import apply_registry_override\napply_registry_override()")
    for position, code in enumerate(setup):
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata["tags"] = ["remove-cell"]
        notebook.cells.insert(position, cell)
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.write(notebook, target)


def check_kernel() -> None:
    """The ``python3`` kernel must run this environment's Python (where ``analysis`` is installed)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    hint = f"run `{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME}` (make does this)"
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise RuntimeError(f"no Jupyter kernel named {KERNEL_NAME!r}: {hint}") from None
    program = spec.argv[0] if spec.argv else ""
    # A bare "python" is replaced by this interpreter when the kernel starts; an absolute path must be ours.
    # (Paths compared unresolved: a venv's bin/python is a symlink to the base interpreter.)
    if os.path.isabs(program) and not Path(os.path.normpath(program)).is_relative_to(os.path.normpath(sys.prefix)):
        raise RuntimeError(f"the {KERNEL_NAME!r} kernel ({spec.resource_dir}) runs {program}, not this "
                           f"environment's Python ({sys.executable}): {hint}")


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
            # in two processes can pick the same free TCP port ("Address already in use") and then
            # never answer. A socket path of its own cannot collide.
            self._socket_dir = Path(tempfile.mkdtemp(prefix="kernel-"))
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


def end_with_parent(signal_number: int = signal.SIGTERM) -> bool:
    """Ask Linux to send ``signal_number`` to this process when its parent ends (``make report``
    killed, even by SIGKILL); the build's handler of that signal then stops workers and kernels and
    keeps the previous report. Returns False where the platform cannot (the build then runs on)."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal_number, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal_number)
    return True


def die_with_parent(parent_pid: int) -> None:
    """Pool worker initializer: end this process when the build process ends (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the build still kills its workers on any exception
        pass
    if os.getppid() != parent_pid:  # the build died before prctl took effect
        os._exit(1)


def kernel_log(executed: Path) -> Path:
    """Where the kernel that ran ``executed`` wrote its own stderr."""
    return executed.with_name(executed.stem + ".kernel.log")


def execute_notebook(source: Path, executed: Path, parameters: dict[str, Any], cwd: Path) -> ExecutionOutcome:
    """Run one notebook with papermill in this process's warm kernel (:mod:`analysis.site.warm`);
    errors are returned (not raised) so a pool can report them. The kernel's stderr of this
    notebook goes to ``kernel_log(executed)``."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis.site import warm

    start = time.monotonic()
    unexecuted = executed.with_name(executed.stem + ".input.ipynb")
    shared_log = warm.stderr_log(executed.parent)
    offset = shared_log.stat().st_size if shared_log.exists() else 0
    try:
        to_ipynb(source, unexecuted)
        papermill.execute_notebook(unexecuted, executed, parameters=parameters, kernel_name=KERNEL_NAME,
                                   cwd=str(cwd), progress_bar=False, log_output=False,
                                   execution_timeout=CELL_TIMEOUT_SECONDS, engine_name=warm.ENGINE,
                                   kernel_stderr_log=str(shared_log))
        error = None
    except PapermillExecutionError as exc:  # a cell raised: the parent names the notebook and the cell
        error = exc
    except Exception as exc:  # noqa: BLE001 - kernel did not start, bad notebook, ...: reported, not lost
        # Plain RuntimeError: some library exceptions cannot be pickled back from a pool worker.
        error = RuntimeError(f"{type(exc).__name__}: {exc}")
    _copy_tail(shared_log, offset, kernel_log(executed))
    return ExecutionOutcome(executed.stem, executed, time.monotonic() - start, error)


def _copy_tail(log: Path, offset: int, target: Path) -> None:
    """What the kernel wrote to its log from ``offset`` on (this notebook's part), if anything."""
    if not log.exists() or log.stat().st_size <= offset:
        return
    with log.open("rb") as handle:
        handle.seek(offset)
        target.write_bytes(handle.read())


def describe_failure(label: str, notebook: Path, outcome: ExecutionOutcome, out_dir: Path,
                     failed_dir: Path) -> ReportBuildError:
    """The error a reader of the build log needs: notebook, page, cell, error; the notebook kept."""
    from papermill.exceptions import PapermillExecutionError

    error = outcome.error
    kept = ""
    if outcome.executed.exists():
        failed_dir.mkdir(parents=True, exist_ok=True)
        target = failed_dir / f"{outcome.executed.stem}.ipynb"
        shutil.copyfile(outcome.executed, target)
        kept = f"\nThe executed notebook with the error: {target}"
    if isinstance(error, PapermillExecutionError):
        detail = f"cell In [{error.exec_count}] raised {error.ename}: {error.evalue}\n{_cell_context(error)}"
    else:
        detail = f"{type(error).__name__}: {error}"
    message = (f"notebook {notebook.name} ({label}) failed: {detail}\n"
               f"The previous report in {out_dir} was left unchanged.{kept}")
    failure = ReportBuildError(notebook.name, message)
    failure.__cause__ = error
    return failure


def _cell_context(error: Any) -> str:
    """The failing lines as IPython shows them ("Cell In[3], line 12" ... "---> 12 GROWTH = 3.1 / 0")."""
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", entry) for entry in error.traceback]
    in_cell = [entry for entry in plain if entry.lstrip().startswith("Cell In[")]
    if in_cell:
        return "\n".join("    " + line for line in in_cell[0].rstrip().splitlines())
    return "\n".join("    " + line for line in str(error.source).splitlines()[:8])


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now (their kernels follow): nothing may keep running after the build."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=10)
    pool.shutdown(wait=False, cancel_futures=True)


_LIVE_POOLS: set[ProcessPoolExecutor] = set()


def kill_live_workers() -> None:
    """Kill the workers of every running pool at once (from a signal handler: no unwinding, no locks)."""
    for pool in list(_LIVE_POOLS):
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, ValueError):  # already gone
                pass


def _start_worker(parent_pid: int, log_dir: str) -> None:
    """Pool worker initializer: die with the build (:func:`die_with_parent`), then set up the warm
    kernel's log folder and shutdown (:func:`analysis.site.warm.start_worker`)."""
    die_with_parent(parent_pid)
    from analysis.site.warm import start_worker

    start_worker(log_dir)


class WarmPool:
    """Workers that each keep a warm kernel (:mod:`analysis.site.warm`), for one build or a whole
    atlas: :meth:`run` executes (key, arguments of :func:`execute_notebook`) tasks and yields (key,
    outcome) as each ends. Leaving the ``with`` block normally shuts the workers and their kernels
    down; an exception (a failed page the caller stops on, KeyboardInterrupt, SystemExit from a
    signal handler) kills them at once. ``log_dir``: the kernels' own stderr logs (a folder inside
    the build's temporary folder, so a killed build leaves nothing elsewhere)."""

    def __init__(self, log_dir: Path, workers: int | None = None) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        workers = workers or min(MAX_PROCESSES, os.cpu_count() or 1)
        # spawn: a clean interpreter per worker (no inherited threads or locks from the caller).
        self.pool = ProcessPoolExecutor(max(workers, 1), mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_worker, initargs=(os.getpid(), str(log_dir)))
        _LIVE_POOLS.add(self.pool)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        _LIVE_POOLS.discard(self.pool)
        if kind is None:
            self.pool.shutdown(wait=True)
        else:
            _kill_workers(self.pool)

    def run(self, tasks: list[tuple[Any, tuple[Path, Path, dict[str, Any], Path]]]
            ) -> Iterator[tuple[Any, ExecutionOutcome]]:
        """Queue every task now (behind those queued before); the iterator yields them as they end."""
        futures: dict[Future, Any] = {self.pool.submit(execute_notebook, *args): key for key, args in tasks}
        return _as_completed(futures)


def _as_completed(futures: dict[Future, Any]) -> Iterator[tuple[Any, ExecutionOutcome]]:
    order = list(futures)
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=order.index):
            yield futures[future], future.result()


def run_apart(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` in a process of its own that dies with the build, its result returned;
    the memory it used goes with the process (the league's tables, before the kernels start)."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    _LIVE_POOLS.add(pool)
    try:
        result = pool.submit(function, *args).result()
    except BaseException:
        _LIVE_POOLS.discard(pool)
        _kill_workers(pool)
        raise
    _LIVE_POOLS.discard(pool)
    pool.shutdown(wait=True)
    return result
