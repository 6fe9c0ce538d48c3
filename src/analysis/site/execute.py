"""Execute report notebooks with papermill, two at a time, and never outlive the build.

Process tree of a build: (make ->) the build process -> two warm Jupyter kernels, each driven by a
thread of the build (:class:`WarmPool`; :mod:`analysis.site.warm`), which run every page they are
given, for one region or a whole atlas; before the kernels, the league in a process of its own
(:func:`run_apart`). Threads instead of worker processes: a worker process would hold another copy of
papermill, nbclient and jupyter_client (about 90 MiB each) only to wait for its kernel. A build may
be killed at any moment (Ctrl-C, SIGTERM, SIGKILL), or make above it may be. Then:

- under ``make report`` the build replaces make's shell (``exec``) and asks Linux for SIGTERM when
  make ends (:func:`end_with_parent`), so killing make ends the build as a SIGTERM would;
- kernels are started with the build as ``JPY_PARENT_PID`` (jupyter_client does this) and
  ipykernel's parent poller ends a kernel within a second of the build's death, so no kernel keeps
  executing a notebook into the dead build's temporary folder;
- on an ordinary failure or exception the build kills its kernels at once instead of waiting for
  the other running notebook, and starts no other;
- on SIGTERM or Ctrl-C the command line calls :func:`analysis.site.build.abort_build`, which kills
  the kernels, removes the temporary folder and exits at once (unwinding from an exception raised
  inside a signal handler could wait for a running page).

Kernel shutdown is quiet: jupyter_client interrupts a kernel before shutting it down, which made
every build print ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.``; an idle kernel
that is being shut down has nothing to interrupt, so that interrupt is skipped
(:func:`analysis.site.warm.quiet_kernel_manager`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from analysis.site.plan import REGISTRY_ENV

if TYPE_CHECKING:
    from analysis.site.warm import WarmKernel

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


def to_ipynb(source: Path, target: Path, cwd: Path) -> None:
    """A jupytext percent file as an .ipynb papermill can run in a warm kernel (kernel and language
    set; first the hidden cells that reset what the kernel's previous page left, move into ``cwd``
    (the kernel's own folder, not the build's: the build runs pages in threads) and, for a build with
    another registry, point the notebook's registry readers at it)."""
    import jupytext
    import nbformat

    from analysis.site.warm import RESET_CELL

    notebook = jupytext.read(source, fmt="py:percent")
    setup = [RESET_CELL, f"import os as _os\n_os.chdir({str(cwd)!r})\ndel _os"]
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


def end_with_parent(signal_number: int = signal.SIGTERM) -> bool:
    """Ask Linux to send ``signal_number`` to this process when its parent ends (``make report``
    killed, even by SIGKILL); the build's handler of that signal then stops the kernels and
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
    """Process pool initializer (:func:`run_apart`): end this process when the build ends (Linux)."""
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


def execute_notebook(source: Path, executed: Path, parameters: dict[str, Any], cwd: Path,
                     kernel: WarmKernel) -> ExecutionOutcome:
    """Run one notebook with papermill in ``kernel``, in folder ``cwd``; errors are returned (not
    raised) so the pool can report them. The kernel's stderr of this notebook goes to
    ``kernel_log(executed)``."""
    from papermill.exceptions import PapermillExecutionError

    start = time.monotonic()
    unexecuted = executed.with_name(executed.stem + ".input.ipynb")
    offset = kernel.log.stat().st_size if kernel.log.exists() else 0
    try:
        to_ipynb(source, unexecuted, cwd)
        kernel.execute(unexecuted, executed, parameters, KERNEL_NAME, CELL_TIMEOUT_SECONDS)
        error = None
    except PapermillExecutionError as exc:  # a cell raised: the build names the notebook and the cell
        error = exc
    except Exception as exc:  # noqa: BLE001 - kernel did not start, bad notebook, ...: reported, not lost
        error = exc
    _copy_tail(kernel.log, offset, kernel_log(executed))
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


def _kill_processes(pool: ProcessPoolExecutor) -> None:
    """End a process pool's workers now: nothing may keep running after the build."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=10)
    pool.shutdown(wait=False, cancel_futures=True)


_LIVE_POOLS: set[WarmPool] = set()
_LIVE_PROCESS_POOLS: set[ProcessPoolExecutor] = set()


def kill_live_kernels() -> None:
    """Kill every running kernel and :func:`run_apart` process at once (from a signal handler: no
    unwinding, no locks)."""
    for pool in list(_LIVE_POOLS):
        for kernel in pool.kernels:
            kernel.kill()
    for process_pool in list(_LIVE_PROCESS_POOLS):
        for process in list((getattr(process_pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, ValueError):  # already gone
                pass


class WarmPool:
    """Threads of the build that each keep a warm kernel (:class:`analysis.site.warm.WarmKernel`),
    for one build or a whole atlas: :meth:`run` executes (key, arguments of :func:`execute_notebook`
    without the kernel) tasks and yields (key, outcome) as each ends. Leaving the ``with`` block
    normally shuts the kernels down; an exception (a failed page the caller stops on,
    KeyboardInterrupt, SystemExit from a signal handler) kills them at once. ``log_dir``: the
    kernels' own stderr logs (a folder inside the build's temporary folder, so a killed build leaves
    nothing elsewhere).

    Written by hand rather than on ``ThreadPoolExecutor``: a kernel's manager must stay in the thread
    that started it (its event loop and ZMQ sockets), to its shutdown, and an executor's threads
    neither own anything nor end with a step of their own."""

    def __init__(self, log_dir: Path, workers: int | None = None) -> None:
        self.log_dir = log_dir
        self.workers = max(workers or min(MAX_PROCESSES, os.cpu_count() or 1), 1)
        self.kernels: list[WarmKernel] = []
        self.threads: list[threading.Thread] = []
        self.tasks: queue.SimpleQueue[tuple[Future, tuple[Any, ...]] | None] = queue.SimpleQueue()
        _LIVE_POOLS.add(self)

    def _start(self) -> None:
        """The threads and their kernels' logs, at the first page (a rebuild that runs no page
        imports no papermill and starts nothing)."""
        from analysis.site.warm import WarmKernel

        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.kernels = [WarmKernel(self.log_dir / f"kernel-{number}.log") for number in range(self.workers)]
        # Daemon threads: a build that stops on an exception kills the kernels and does not wait.
        self.threads = [threading.Thread(target=self._serve, args=(kernel,), name=f"kernel-{number}",
                                         daemon=True) for number, kernel in enumerate(self.kernels)]
        for thread in self.threads:
            thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        _LIVE_POOLS.discard(self)
        if kind is not None:
            for kernel in self.kernels:
                kernel.kill()
        for _thread in self.threads:
            self.tasks.put(None)
        if kind is None:
            for thread in self.threads:
                thread.join()

    def _serve(self, kernel: WarmKernel) -> None:
        """One thread: run queued pages in its kernel until told to stop, then shut the kernel down."""
        try:
            while (task := self.tasks.get()) is not None:
                future, args = task
                if kernel.stopped:
                    future.cancel()
                # (a cancelled future's waiters hear of it here, not from cancel())
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(execute_notebook(*args, kernel=kernel))
                    except BaseException as exc:  # noqa: BLE001 - handed to the build, which raises it
                        future.set_exception(exc)
        finally:  # a killed kernel too: its sockets' folder and log file are cleaned up here
            kernel.shutdown()

    def run(self, tasks: list[tuple[Any, tuple[Path, Path, dict[str, Any], Path]]]
            ) -> Iterator[tuple[Any, ExecutionOutcome]]:
        """Queue every task now (behind those queued before); the iterator yields them as they end."""
        if tasks and not self.threads:
            self._start()
        futures: dict[Future, Any] = {}
        for key, args in tasks:
            future: Future = Future()
            futures[future] = key
            self.tasks.put((future, args))
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
    _LIVE_PROCESS_POOLS.add(pool)
    try:
        result = pool.submit(function, *args).result()
    except BaseException:
        _LIVE_PROCESS_POOLS.discard(pool)
        _kill_processes(pool)
        raise
    _LIVE_PROCESS_POOLS.discard(pool)
    pool.shutdown(wait=True)
    return result
