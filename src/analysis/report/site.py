"""The rendered report: execute the notebooks, render one HTML page each, and an index of verdicts.

``python -m analysis report [--region CR15] [--force]`` calls :func:`build_report`. Steps:

1. validate the region (a COROP code present in ``data/processed/jobs.csv``);
2. fingerprint every notebook (its text, the parameters, the processed data, the package code) and
   skip the ones whose fingerprint matches the last build in the same output folder;
3. execute the rest with papermill (two processes), in ``notebooks/`` as working directory;
4. render pages and the index into a temporary folder, then swap them in -- only when every
   notebook succeeded, so a failure leaves the previous report untouched.

The notebook contract: a jupytext percent file ``notebooks/NN_name.py`` (two digits, the page
order) whose first ``# Heading`` is the page title, with one cell tagged ``parameters``
(``# %% tags=["parameters"]``) declaring at least ``region = "CR12"`` and ``results_dir = ""``
(claim notebooks also ``comparator``, ``base_year``, ``end_year``). The build passes ``region`` and
``results_dir`` only. A claim notebook ends with :func:`record_result`; cells tagged
``remove-cell`` never reach the page, warnings (stderr) are kept off it.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import math
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from analysis import __version__, paths

DEFAULT_REGION = "CR12"  # Twente: its report goes to reports/, other regions to reports/<CODE>/
KERNEL_NAME = "python3"
MAX_PROCESSES = 2
CELL_TIMEOUT_SECONDS = 1200
STATE_FILE = ".build-state.json"
STATE_VERSION = 1  # bump when the page layout changes in a way the fingerprints do not see
RESULTS_DIR = "results"
PREVIOUS_RESULTS_DIR = "previous-results"
FAILED_DIR = ".failed"
NOTEBOOK_PATTERN = re.compile(r"^\d{2}_[A-Za-z0-9_]+\.py$")
CLAIM_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Inputs that can change a page besides the notebook itself (the package's own code and data files).
PACKAGE_SUFFIXES = (".py", ".toml", ".csv", ".css", ".js", ".j2", ".html")
PROCESSED_SUFFIXES = (".csv", ".json")
CODE_DIR = paths.PACKAGE_DIR  # whose files count as "the code" in a fingerprint (tests point it elsewhere)


@dataclass(frozen=True)
class Verdict:
    label_en: str
    label_nl: str
    symbol: str  # a second cue besides colour (greyscale prints, colour-blind readers)
    background: str
    text: str


# The fixed verdict vocabulary; record_result refuses anything else.
VERDICTS: dict[str, Verdict] = {
    "supported": Verdict("supported", "ondersteund", "✔", "#1A7F37", "#FFFFFF"),
    "partly supported": Verdict("partly supported", "deels ondersteund", "◐", "#F2C14E", "#1F1F1F"),
    "not supported": Verdict("not supported", "niet ondersteund", "✘", "#B42318", "#FFFFFF"),
    "not verifiable with open data": Verdict("not verifiable with open data", "niet te toetsen met open data",
                                             "?", "#5B6470", "#FFFFFF"),
}


class RecordedResult(dict):
    """The record :func:`record_result` returns: a plain dict that shows itself as a verdict summary."""

    def _repr_html_(self) -> str:
        from html import escape

        v = VERDICTS[self["verdict"]]
        badge = (f'<span style="background:{v.background};color:{v.text};padding:.1em .5em;border-radius:.25em;'
                 f'font-weight:600">{v.symbol} {escape(v.label_en)} / {escape(v.label_nl)}</span>')
        caveat = (f"<p><em>Caveat:</em> {escape(self['caveat_en'])}</p>" if self["caveat_en"] else "")
        return (f'<div class="recorded-result"><p>{badge} <strong>{escape(self["headline"])}</strong></p>'
                f'<p>{escape(self["evidence_en"])}</p><p lang="nl"><em>{escape(self["evidence_nl"])}</em></p>'
                f"{caveat}</div>")


class ReportBuildError(RuntimeError):
    """A notebook failed; the previous report was left in place."""

    def __init__(self, notebook: str, message: str) -> None:
        super().__init__(message)
        self.notebook = notebook


# --------------------------------------------------------------------------------------------
# Notebook side: results


def record_result(results_dir: str | os.PathLike[str], *, claim_id: str, title: str, verdict: str,
                  headline: str, evidence_en: str, evidence_nl: str, caveat_en: str = "",
                  caveat_nl: str = "", numbers: Mapping[str, Any] | None = None) -> RecordedResult:
    """Record a claim's verdict for the index page; returns the record.

    Writes ``<results_dir>/<claim_id>.json``. With ``results_dir == ""`` (a notebook run by
    hand) nothing is written, but the record is still checked and returned. ``numbers`` are the
    headline numbers (name -> value); the index lists them when they change between builds.
    """
    if not CLAIM_ID_PATTERN.match(claim_id):
        raise ValueError(f"claim_id {claim_id!r}: use letters, digits, '_' and '-' only")
    if verdict not in VERDICTS:
        raise ValueError(f"verdict {verdict!r} is not one of: {', '.join(VERDICTS)}")
    for name, text in (("title", title), ("headline", headline), ("evidence_en", evidence_en),
                       ("evidence_nl", evidence_nl)):
        if not str(text).strip():
            raise ValueError(f"record_result: {name} is empty")
    record = RecordedResult({
        "claim_id": claim_id, "title": title, "verdict": verdict, "headline": headline,
        "evidence_en": evidence_en, "evidence_nl": evidence_nl, "caveat_en": caveat_en, "caveat_nl": caveat_nl,
        "numbers": {str(k): _plain_json(v) for k, v in (numbers or {}).items()},
    })
    if str(results_dir):
        folder = Path(results_dir)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{claim_id}.json"
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        temporary.replace(target)
    return record


def _plain_json(value: Any) -> Any:
    """numpy/pandas scalars -> plain Python; NaN -> None (JSON has no NaN)."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"numbers: {value!r} is not a number or string")


# --------------------------------------------------------------------------------------------
# Regions


def corop_regions(jobs_csv: Path | None = None) -> dict[str, str]:
    """COROP code -> name (CR01-CR40) as found in the processed jobs table."""
    jobs_csv = jobs_csv or paths.processed_dir() / "jobs.csv"
    if not jobs_csv.exists():
        raise RuntimeError(f"{jobs_csv} is missing: build the processed data first "
                           "(python -m analysis fetch && python -m analysis build)")
    # The csv module, not pandas: this runs on every build, also when nothing changed.
    corop = re.compile(r"CR(0[1-9]|[1-3]\d|40)")
    with open(jobs_csv, newline="", encoding="utf-8") as handle:
        regions = {row["region_code"]: row["region_name"] for row in csv.DictReader(handle)
                   if corop.fullmatch(row["region_code"])}
    return dict(sorted(regions.items()))


def validate_region(region: str | None, regions: Mapping[str, str]) -> str:
    """The normalised region code, or ValueError listing every valid code with its name."""
    code = (region or DEFAULT_REGION).strip().upper()
    if code not in regions:
        listing = "\n".join(f"  {c}  {n}" for c, n in regions.items())
        raise ValueError(f"unknown region {region!r}: use a COROP code present in data/processed/jobs.csv:\n{listing}")
    return code


def output_dir(region: str) -> Path:
    """reports/ for the default region (Twente), reports/<CODE>/ for any other."""
    return paths.reports_dir() if region == DEFAULT_REGION else paths.reports_dir() / region


# --------------------------------------------------------------------------------------------
# Notebooks and fingerprints


@dataclass(frozen=True)
class NotebookJob:
    path: Path  # notebooks/NN_name.py
    parameters: dict[str, Any]  # what papermill injects (results_dir filled in at run time)
    fingerprint: str

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def page(self) -> str:
        return f"{self.name}.html"


def discover_notebooks(folder: Path | None = None) -> list[Path]:
    """Report notebooks: ``NN_name.py`` files, in file-name order."""
    folder = folder or paths.notebooks_dir()
    return sorted(p for p in folder.glob("*.py") if NOTEBOOK_PATTERN.match(p.name))


def declared_parameters(path: Path) -> dict[str, Any]:
    """Names (and literal defaults) assigned in the notebook's ``parameters`` cell."""
    # Read the percent format directly: importing jupytext costs over a second, and this runs on
    # every build, also when nothing changed.
    cells = _parameter_cells(path.read_text(encoding="utf-8"))
    if len(cells) != 1:
        raise ValueError(f"{path.name}: needs exactly one cell tagged parameters "
                         f'(# %% tags=["parameters"]), found {len(cells)}')
    declared: dict[str, Any] = {}
    for node in ast.parse(cells[0]).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    declared[target.id] = ast.literal_eval(node.value) if node.value is not None else None
                except ValueError:
                    declared[target.id] = None
    missing = {"region", "results_dir"} - set(declared)
    if missing:
        raise ValueError(f"{path.name}: the parameters cell must declare {', '.join(sorted(missing))}")
    return declared


_CELL_MARKER = re.compile(r"^# %%(.*)$")


def _parameter_cells(text: str) -> list[str]:
    """Sources of the jupytext percent cells whose marker line carries the ``parameters`` tag."""
    cells: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        marker = _CELL_MARKER.match(line)
        if marker:
            if current is not None:
                cells.append("\n".join(current))
            current = [] if re.search(r"tags\s*=\s*\[[^\]]*[\"']parameters[\"']", marker.group(1)) else None
        elif current is not None:
            current.append(line)
    if current is not None:
        cells.append("\n".join(current))
    return cells


def _hash_files(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def data_fingerprint() -> str:
    """Hash of the processed tables and their manifest (dot files, e.g. a publish journal, excluded)."""
    processed = paths.processed_dir()
    files = [p for p in processed.glob("*") if p.is_file() and p.suffix in PROCESSED_SUFFIXES
             and not p.name.startswith(".")]
    return _hash_files(files, processed)


def inputs_fingerprint(code_dir: Path | None = None) -> str:
    """Hash of the processed data and the package's code, data files and templates."""
    code_dir = code_dir or CODE_DIR
    code_files = [p for p in code_dir.rglob("*") if p.is_file() and p.suffix in PACKAGE_SUFFIXES
                  and "__pycache__" not in p.parts and not p.name.startswith(".")]
    return hashlib.sha256((data_fingerprint() + _hash_files(code_files, code_dir)).encode()).hexdigest()


def plan_notebooks(region: str, notebooks: list[Path] | None = None) -> list[NotebookJob]:
    """One job per notebook with its parameters and fingerprint."""
    shared = inputs_fingerprint()
    jobs = []
    for path in notebooks if notebooks is not None else discover_notebooks():
        declared = declared_parameters(path)
        # Only what the notebook declares; results_dir is a fresh temporary folder on every run.
        parameters = {"region": region, **({"results_dir": ""} if "results_dir" in declared else {})}
        fingerprint = hashlib.sha256(json.dumps({
            "state_version": STATE_VERSION, "notebook": hashlib.sha256(path.read_bytes()).hexdigest(),
            "parameters": {"region": region}, "inputs": shared,
        }, sort_keys=True).encode()).hexdigest()
        jobs.append(NotebookJob(path=path, parameters=parameters, fingerprint=fingerprint))
    return jobs


# --------------------------------------------------------------------------------------------
# Execution


@dataclass
class ExecutionOutcome:
    name: str
    executed: Path
    seconds: float
    error: BaseException | None = None


def _to_ipynb(source: Path, target: Path) -> None:
    import jupytext
    import nbformat

    notebook = jupytext.read(source, fmt="py:percent")
    # papermill needs the kernel and language; jupytext percent files carry neither.
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.write(notebook, target)


def check_kernel() -> None:
    """The ``python3`` kernel must run this environment's Python (where ``analysis`` is installed)."""
    import sys

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
def _quiet_kernel_manager() -> type:
    """A kernel manager whose kernels log only errors (not ipykernel's local-TCP notice on every run)."""
    from jupyter_client import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            # IPC sockets in a private folder instead of TCP ports: kernels started at the same time
            # in two processes can pick the same free TCP port ("Address already in use") and then
            # never answer. A socket path of its own cannot collide.
            self._socket_dir = Path(tempfile.mkdtemp(prefix="kernel-"))
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(self._socket_dir / "ipc"))
            super().__init__(**kwargs)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._socket_dir, ignore_errors=True)

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return [*super().format_kernel_cmd(extra_arguments), "--IPKernelApp.log_level=ERROR"]

    return QuietKernelManager


def execute_notebook(source: Path, executed: Path, parameters: dict[str, Any], cwd: Path) -> ExecutionOutcome:
    """Run one notebook with papermill; errors are returned (not raised) so a pool can report them."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.monotonic()
    unexecuted = executed.with_name(executed.stem + ".input.ipynb")
    try:
        _to_ipynb(source, unexecuted)
        papermill.execute_notebook(unexecuted, executed, parameters=parameters, kernel_name=KERNEL_NAME,
                                   cwd=str(cwd), progress_bar=False, log_output=False,
                                   execution_timeout=CELL_TIMEOUT_SECONDS,
                                   kernel_manager_class=_quiet_kernel_manager())
        error = None
    except PapermillExecutionError as exc:  # a cell raised: the parent names the notebook and the cell
        error = exc
    except Exception as exc:  # noqa: BLE001 - kernel did not start, bad notebook, ...: reported, not lost
        # Plain RuntimeError: some library exceptions cannot be pickled back from a pool worker.
        error = RuntimeError(f"{type(exc).__name__}: {exc}")
    return ExecutionOutcome(source.stem, executed, time.monotonic() - start, error)


def _failure(job: NotebookJob, outcome: ExecutionOutcome, out_dir: Path) -> ReportBuildError:
    from papermill.exceptions import PapermillExecutionError

    error = outcome.error
    kept = ""
    if outcome.executed.exists():
        failed = out_dir / FAILED_DIR
        failed.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(outcome.executed, failed / f"{job.name}.ipynb")
        kept = f"\nThe executed notebook with the error: {failed / (job.name + '.ipynb')}"
    if isinstance(error, PapermillExecutionError):
        detail = f"cell In [{error.exec_count}] raised {error.ename}: {error.evalue}\n{_cell_context(error)}"
    else:
        detail = f"{type(error).__name__}: {error}"
    message = (f"notebook {job.path.name} failed: {detail}\n"
               f"The previous report in {out_dir} was left unchanged.{kept}")
    failure = ReportBuildError(job.path.name, message)
    failure.__cause__ = error
    return failure


def _cell_context(error: Any) -> str:
    """The failing lines as IPython shows them ("Cell In[3], line 12" ... "---> 12 GROWTH = 3.1 / 0")."""
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", entry) for entry in error.traceback]
    in_cell = [entry for entry in plain if entry.lstrip().startswith("Cell In[")]
    if in_cell:
        return "\n".join("    " + line for line in in_cell[0].rstrip().splitlines())
    return "\n".join("    " + line for line in str(error.source).splitlines()[:8])


def _run_all(jobs: list[NotebookJob], work: Path, out_dir: Path) -> Iterator[tuple[NotebookJob, ExecutionOutcome]]:
    """Execute notebooks (a pool of up to two processes); yields each as it finishes, raises on failure."""
    cwd = paths.notebooks_dir()
    arguments = []
    for job in jobs:
        results = work / "run-results" / job.name
        results.mkdir(parents=True)
        parameters = {**job.parameters}
        if "results_dir" in parameters:
            parameters["results_dir"] = str(results)
        arguments.append((job, (job.path, work / "executed" / f"{job.name}.ipynb", parameters, cwd)))
    (work / "executed").mkdir()
    workers = min(MAX_PROCESSES, os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        for job, args in arguments:
            outcome = execute_notebook(*args)
            if outcome.error is not None:
                raise _failure(job, outcome, out_dir)
            yield job, outcome
        return
    # spawn: a clean interpreter per worker (no inherited threads or locks from the caller).
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(execute_notebook, *args): job for job, args in arguments}
        for future in as_completed(futures):
            job, outcome = futures[future], future.result()
            if outcome.error is not None:
                pool.shutdown(wait=True, cancel_futures=True)
                raise _failure(job, outcome, out_dir)
            yield job, outcome


# --------------------------------------------------------------------------------------------
# Results and changes between builds


@dataclass(frozen=True)
class ResultChange:
    claim_id: str
    title: str
    what: str  # verdict | headline | a number's name | new claim | claim removed
    old: str
    new: str

    def describe(self) -> str:
        if self.what in {"new claim", "claim removed"}:
            return f"{self.title} ({self.claim_id}): {self.what}"
        return f"{self.title} ({self.claim_id}): {self.what} {self.old} → {self.new}"


def read_results(folder: Path) -> dict[str, dict[str, Any]]:
    """claim_id -> record, for every ``*.json`` in a results folder (empty if there is none)."""
    if not folder.is_dir():
        return {}
    records = {}
    for file in sorted(folder.glob("*.json")):
        record = json.loads(file.read_text(encoding="utf-8"))
        records[record["claim_id"]] = record
    return records


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    return "—" if value is None else str(value)


def compare_results(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> list[ResultChange]:
    """What differs between two builds' results: verdicts, headlines and headline numbers."""
    changes = []
    for claim_id in sorted(set(old) | set(new)):
        before, after = old.get(claim_id), new.get(claim_id)
        title = (after or before or {}).get("title", claim_id)
        if before is None or after is None:
            changes.append(ResultChange(claim_id, title, "new claim" if before is None else "claim removed", "", ""))
            continue
        for key in ("verdict", "headline"):
            if before.get(key) != after.get(key):
                changes.append(ResultChange(claim_id, title, key, _show(before.get(key)), _show(after.get(key))))
        old_numbers, new_numbers = before.get("numbers", {}), after.get("numbers", {})
        for name in sorted(set(old_numbers) | set(new_numbers)):
            a, b = old_numbers.get(name), new_numbers.get(name)
            same = (a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                               and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)))
            if not same:
                changes.append(ResultChange(claim_id, title, name, _show(a), _show(b)))
    return changes


# --------------------------------------------------------------------------------------------
# Build state and the swap


@dataclass
class BuildState:
    region: str = ""
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # notebook name -> fingerprint, page, title

    @classmethod
    def read(cls, out_dir: Path) -> BuildState:
        try:
            raw = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return cls()
        if raw.get("version") != STATE_VERSION:
            return cls()
        return cls(region=raw.get("region", ""), pages=raw.get("pages", {}))

    def write(self, path: Path, built_at: str) -> None:
        payload = {"version": STATE_VERSION, "region": self.region, "built_at": built_at, "pages": self.pages}
        path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _swap_in(staged: Path, out_dir: Path, stale_pages: list[str]) -> None:
    """Move a finished build into place: pages, then results, then the index, then the state."""
    for page in sorted(staged.glob("*.html")):
        if page.name != "index.html":
            page.replace(out_dir / page.name)
    previous = out_dir / PREVIOUS_RESULTS_DIR
    if (out_dir / RESULTS_DIR).is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        (out_dir / RESULTS_DIR).replace(previous)
    (staged / RESULTS_DIR).replace(out_dir / RESULTS_DIR)
    (staged / "index.html").replace(out_dir / "index.html")
    (staged / STATE_FILE).replace(out_dir / STATE_FILE)  # last: a crash before this means "rebuild"
    for page in stale_pages:
        (out_dir / page).unlink(missing_ok=True)


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _read_manifest() -> dict[str, Any]:
    path = paths.processed_dir() / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# --------------------------------------------------------------------------------------------
# The entry point


def build_report(region: str | None = None, force: bool = False) -> Iterator[str]:
    """Build the report for a COROP region; yields progress lines (iterate to run the build).

    The region is checked at once (ValueError with the list of valid codes); the rest runs as
    the lines are consumed. Raises :class:`ReportBuildError` naming the notebook and the
    failing cell when a notebook fails; the previous report then stays as it was.
    """
    regions = corop_regions()
    code = validate_region(region, regions)
    return _build(code, regions[code], force)


def _build(region: str, region_name: str, force: bool) -> Iterator[str]:
    from filelock import FileLock, Timeout

    from analysis.report import render

    out_dir = output_dir(region)
    out_dir.mkdir(parents=True, exist_ok=True)
    shown = _display_path(out_dir)
    yield f"Report for {region} {region_name} -> {shown}/"
    try:
        lock = FileLock(str(out_dir / ".build.lock"), timeout=0)
        lock.acquire()
    except Timeout:
        raise RuntimeError(f"another report build is writing to {shown}; wait for it to finish") from None
    try:
        # A build killed earlier leaves its temporary folder behind; we hold the lock, so it is stale.
        for stale in out_dir.glob(".tmp-build-*"):
            shutil.rmtree(stale, ignore_errors=True)
        jobs = plan_notebooks(region)
        if not jobs:
            raise RuntimeError(f"no notebooks (NN_name.py) in {paths.notebooks_dir()}")
        state = BuildState.read(out_dir)
        current = {job.name for job in jobs}
        to_run = [job for job in jobs if force or state.region != region
                  or state.pages.get(job.name, {}).get("fingerprint") != job.fingerprint
                  or not (out_dir / job.page).exists()]
        if not to_run and set(state.pages) == current and (out_dir / "index.html").exists():
            yield (f"Nothing changed since the last build (notebooks, parameters, data and code are the same): "
                   f"{shown}/index.html is up to date. Use --force to rebuild.")
            return
        check_kernel()
        yield from _build_changed(region, region_name, jobs, to_run, state, out_dir, render)
    finally:
        lock.release()


def _build_changed(region: str, region_name: str, jobs: list[NotebookJob], to_run: list[NotebookJob],
                   state: BuildState, out_dir: Path, render: Any) -> Iterator[str]:
    shown = _display_path(out_dir)
    unchanged = [job.name for job in jobs if job not in to_run]
    yield (f"Executing {len(to_run)} of {len(jobs)} notebooks"
           + (f" ({len(unchanged)} unchanged)" if unchanged else "")
           + f": {', '.join(job.path.name for job in to_run)}")
    data_before = data_fingerprint()
    manifest = _read_manifest()
    built_at = _utc_now()
    work = Path(tempfile.mkdtemp(prefix=".tmp-build-", dir=out_dir))
    try:
        staged = work / "site"
        (staged / RESULTS_DIR).mkdir(parents=True)
        context = render.SiteContext(region=region, region_name=region_name, built_at=built_at,
                                     manifest=manifest, code_version=__version__)
        new_state = BuildState(region=region)
        previous_results = read_results(out_dir / RESULTS_DIR)
        for job, outcome in _run_all(to_run, work, out_dir):
            claims = read_results(work / "run-results" / job.name)
            page = render.render_notebook_page(
                outcome.executed, context, [{**c, "page": job.page} for c in claims.values()],
                parameter_text={str(work / "run-results" / job.name): "<report build folder>/results"})
            (staged / job.page).write_text(page.html, encoding="utf-8")
            for claim_id, record in claims.items():
                _write_json(staged / RESULTS_DIR / f"{claim_id}.json", {**record, "notebook": job.name, "page": job.page})
            new_state.pages[job.name] = {"fingerprint": job.fingerprint, "page": job.page, "title": page.title,
                                         "claims": sorted(claims)}
            note = f", {page.hidden_stderr} warning line(s) kept off the page" if page.hidden_stderr else ""
            yield f"  ok  {job.path.name} ({outcome.seconds:.1f} s{note})"
            (out_dir / FAILED_DIR / f"{job.name}.ipynb").unlink(missing_ok=True)
        for name in unchanged:  # carried over from the previous build: page stays, results are copied
            new_state.pages[name] = state.pages[name]
            for claim_id in state.pages[name].get("claims", []):
                if claim_id in previous_results:
                    _write_json(staged / RESULTS_DIR / f"{claim_id}.json", previous_results[claim_id])
        results = read_results(staged / RESULTS_DIR)
        _check_unique_claims(new_state)
        changes = compare_results(previous_results, results) if (out_dir / STATE_FILE).exists() else None
        ordered_pages = [{"name": job.name, **new_state.pages[job.name]} for job in jobs]
        index = render.render_index(context, ordered_pages, list(results.values()), changes)
        (staged / "index.html").write_text(index, encoding="utf-8")
        for html_file in staged.glob("*.html"):
            external = render.external_resources(html_file.read_text(encoding="utf-8"))
            if external:
                raise RuntimeError(f"{html_file.name} loads external resources {external[:3]}: the report must work offline")
        if data_fingerprint() != data_before:  # a `python -m analysis build` ran meanwhile
            raise RuntimeError("data/processed changed while the report was being built; nothing was replaced. "
                               "Run the report again.")
        new_state.write(staged / STATE_FILE, built_at)
        stale = [entry["page"] for name, entry in state.pages.items() if name not in new_state.pages]
        _swap_in(staged, out_dir, stale)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if changes is None:
        yield "Changes since the previous build: none to compare (first build in this folder)."
    elif changes:
        yield f"Changes since the previous build ({len(changes)}):"
        yield from (f"  {change.describe()}" for change in changes)
    else:
        yield "Changes since the previous build: no changes in verdicts or headline numbers."
    yield f"Wrote {shown}/index.html and {len(to_run)} page(s); {len(unchanged)} page(s) unchanged."


def _check_unique_claims(state: BuildState) -> None:
    owner: dict[str, str] = {}
    for name, entry in state.pages.items():
        for claim_id in entry.get("claims", []):
            if claim_id in owner:
                raise RuntimeError(f"claim_id {claim_id!r} is recorded by both {owner[claim_id]} and {name}")
            owner[claim_id] = name


def _write_json(path: Path, payload: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def _display_path(path: Path) -> str:
    try:
        return path.relative_to(paths.project_root()).as_posix()
    except ValueError:
        return str(path)
