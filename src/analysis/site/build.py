"""The rendered report: execute the pages once, render the Dutch and the English edition, swap in.

``python -m analysis report [--region CR15] [--base-year Y] [--end-year Y] [--comparator CODE]
[--force]`` calls :func:`build_report`. Steps:

1. validate the parameters at once (ValueError listing the valid choices);
2. plan one page per claim in the registry (``notebooks/claim.py``) plus the overview and "after
   2017" pages (:mod:`analysis.site.plan`), fingerprint each (notebook, parameters, processed
   data, registry, package code) and skip what matches the last build in the same folder;
3. execute the rest with papermill, two at a time (:mod:`analysis.site.execute`), and compute
   the league of every claim over the COROP regions first, in a process of its own that ends
   before the pages start (:func:`analysis.site.execute.run_apart`: its tables never sit in memory
   beside the kernels);
4. render every executed page in both editions (``<out>/`` Dutch, ``<out>/en/`` English), the
   index with claim cards, the league page and the method page (``docs/method.*.md``, linked from
   every page: :mod:`analysis.report.method`), into a temporary folder, then swap it in
   as one unit (:mod:`analysis.site.swap`, on :mod:`analysis.atomic`) -- only when everything
   succeeded, so a failure leaves the previous report untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis import __version__, paths
from analysis.report import method
from analysis.report.parameters import DEFAULT_REGION, BuildParameters
from analysis.report.publications import publication_groups
from analysis.site import plan
from analysis.site.execute import ReportBuildError, check_kernel
from analysis.site.plan import PageJob, corop_regions, validate_parameters
from analysis.site.swap import (
    DATA_DIR,
    EDITION_DIRS,
    FAILED_DIR,
    INDEX,
    RESULTS_DIR,
    STATE_FILE,
    TEMPORARY_PREFIX,
    WARNINGS_DIR,
    BuildState,
    remove_stale_builds,
    swap_in,
)

__all__ = ["DEFAULT_REGION", "ReportBuildError", "build_report", "corop_regions", "output_dir", "verdicts_table"]
_CURRENT_WORK: list[Path] = []  # the running build's temporary folder (for abort_build)
_DEFERRED_EXIT: list[int] = []  # a signal that came during the swap: exit when the swap is done


def abort_build(exit_code: int) -> None:
    """End a build now (signal handler of the command line): kernels killed, temporary folder removed.

    The report folder is untouched; a signal during the swap waits for the swap to finish (a few
    renames), so the folder never holds half of two builds. The lock ends with the process.
    """
    from analysis.site.execute import kill_live_kernels

    if _SWAPPING:
        _DEFERRED_EXIT.append(exit_code)
        return
    kill_live_kernels()
    for work in _CURRENT_WORK:
        shutil.rmtree(work, ignore_errors=True)
    os._exit(exit_code)


_SWAPPING: list[bool] = []


def build_report(region: str | None = None, force: bool = False, *, base_year: int | str | None = None,
                 end_year: int | str | None = None, comparator: str | None = None,
                 registry: Path | None = None) -> Iterator[str]:
    """Build the report; yields progress lines (iterate to run the build).

    The parameters are checked at once (ValueError with the valid choices); the rest runs as the
    lines are consumed. Raises :class:`ReportBuildError` naming the notebook and the failing cell
    when a page fails; the previous report then stays as it was. ``registry``: another claim
    registry (default ``$TWENTE_CLAIMS_REGISTRY``, else the package's).
    """
    parameters = validate_parameters(region, base_year, end_year, comparator)
    registry = Path(registry).resolve() if registry else plan.registry_path()
    if not registry.exists():
        raise ValueError(f"claim registry {registry} not found")
    lines = build_one(parameters, force, registry, Shared(picker=built_regions(parameters)))
    return (line for line in lines if line is not PAGES_QUEUED)


def output_dir(parameters: BuildParameters) -> Path:
    return plan.output_dir(parameters)


def _display_path(path: Path) -> str:
    try:
        return path.relative_to(paths.project_root()).as_posix()
    except ValueError:
        return str(path)


def _reading_text(parameters: BuildParameters) -> str:
    if parameters.is_default_reading:
        return "the registry's reading"
    return ", ".join(f"{name} {value}" for name, value in (("base year", parameters.base_year),
                                                            ("end year", parameters.end_year),
                                                            ("comparator", parameters.comparator)) if value)


def _league_fingerprint(shared: str, parameters: BuildParameters, claim_ids: list[str]) -> str:
    return hashlib.sha256(json.dumps({"state_version": plan.STATE_VERSION, "inputs": shared,
                                      "parameters": parameters.notebook_parameters(), "claims": claim_ids},
                                     sort_keys=True).encode()).hexdigest()


NOTHING_CHANGED = "Nothing changed since the last build"
# Not a line to show: :func:`build_one` yields it when its pages are queued, before it waits for them
# (the atlas then queues the next region's; a single build drops it, :func:`build_report`).
PAGES_QUEUED = "<pages queued>"


@dataclass
class Shared:
    """What the region reports of one run share. A single report: nothing but the picker. An atlas
    (:mod:`analysis.site.atlas`): the warm kernels, the league (computed once, the same for every
    region), the inputs' fingerprint (hashed once) and every region in the picker."""

    picker: tuple[tuple[str, str, str], ...] = ()
    pool: Any = None  # an analysis.site.execute.WarmPool running for the whole run
    # league_page.compute_leagues for the whole run: a functools.cache'd call, made at its first use
    # (a rerun that changes nothing never computes it)
    leagues: Any = None
    inputs: str | None = None  # plan.inputs_fingerprint(), once


def region_folder(parameters: BuildParameters) -> str:
    """The report folder under the site root, with its slash ("" for the default region)."""
    folder = parameters.folder_name()
    return f"{folder}/" if folder else ""


def built_regions(parameters: BuildParameters) -> tuple[tuple[str, str, str], ...]:
    """The picker of a single report: the COROP regions whose report (with the registry's reading) is
    built, and this one; none when this is the only one (then there is nothing to pick)."""
    if not parameters.is_default_reading:
        return ()
    regions = corop_regions()
    found = []
    for code, name in regions.items():
        folder = region_folder(BuildParameters(code, name))
        if code == parameters.region or (paths.reports_dir() / folder / INDEX).exists():
            found.append((code, name, folder))
    return tuple(found) if len(found) > 1 else ()


def track_work(work: Path) -> None:
    """A temporary folder that :func:`abort_build` removes if the run is stopped."""
    _CURRENT_WORK.append(work)


def untrack_work(work: Path) -> None:
    if work in _CURRENT_WORK:
        _CURRENT_WORK.remove(work)


def build_one(parameters: BuildParameters, force: bool, registry: Path, shared: Shared) -> Iterator[str]:
    """One region's report (a single build, or one region of an atlas: ``shared``)."""
    from filelock import FileLock, Timeout

    out_dir = output_dir(parameters)
    out_dir.mkdir(parents=True, exist_ok=True)
    shown = _display_path(out_dir)
    yield (f"Report for {parameters.region} {parameters.region_name} ({_reading_text(parameters)}) -> {shown}/")
    try:
        lock = FileLock(str(out_dir / ".build.lock"), timeout=0)
        lock.acquire()
    except Timeout:
        raise RuntimeError(f"another report build is writing to {shown}; wait for it to finish") from None
    previous_env = os.environ.get(plan.REGISTRY_ENV)
    try:
        # A build killed earlier leaves its temporary folder behind; we hold the lock, so it is stale.
        remove_stale_builds(out_dir)
        if registry != paths.PACKAGE_DATA / "claims.toml":
            os.environ[plan.REGISTRY_ENV] = str(registry)  # the kernels inherit it
        jobs, fingerprint = plan.plan_pages(parameters, registry, inputs=shared.inputs)
        state = BuildState.read(out_dir)
        # the picker is on every page: another set of regions renders every page anew
        same_parameters = (state.parameters == parameters.notebook_parameters()
                           and state.picker == [list(region) for region in shared.picker])
        to_run = [job for job in jobs if force or not same_parameters
                  or state.pages.get(job.stem, {}).get("fingerprint") != job.fingerprint
                  or not all((out_dir / sub / job.page).exists() for sub in EDITION_DIRS.values())]
        claim_ids = [job.claim_id for job in jobs if job.claim_id]
        league_fingerprint = _league_fingerprint(fingerprint, parameters, claim_ids)
        league_needed = (force or state.league.get("fingerprint") != league_fingerprint
                         or not (out_dir / RESULTS_DIR / "league.json").exists())
        indexes = all((out_dir / sub / INDEX).exists() for sub in EDITION_DIRS.values())
        # docs/method.*.md are in no page's fingerprint: a changed document renders the site anew
        method_pages = method.is_current(out_dir / sub for sub in EDITION_DIRS.values())
        if (not to_run and not league_needed and set(state.pages) == {job.stem for job in jobs} and indexes
                and method_pages):
            yield (f"{NOTHING_CHANGED} (notebooks, parameters, data, registry and code are the "
                   f"same): {shown}/index.html is up to date. Use --force to rebuild.")
            if shared.pool is None:
                yield _open_line(out_dir)
            return
        check_kernel()
        yield from _build_changed(parameters, jobs, to_run, state, out_dir, registry,
                                  league_fingerprint if league_needed else None, shared)
    finally:
        if previous_env is None:
            os.environ.pop(plan.REGISTRY_ENV, None)
        else:
            os.environ[plan.REGISTRY_ENV] = previous_env
        lock.release()


def _open_line(out_dir: Path) -> str:
    return (f"Open {out_dir / INDEX} (Dutch edition) or {out_dir / 'en' / INDEX} (English edition) "
            "in a browser.")


def _write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                    encoding="utf-8")


def read_manifest() -> dict[str, Any]:
    path = paths.processed_dir() / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _read_text(path: Path) -> str:
    """A log file's text ("" if there is none)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return ""


def _build_changed(parameters: BuildParameters, jobs: list[PageJob], to_run: list[PageJob], state: BuildState,
                   out_dir: Path, registry: Path, league_fingerprint: str | None, shared: Shared) -> Iterator[str]:
    from analysis.report import cards, league_page, pagesources
    from analysis.site import render
    from analysis.site.execute import (
        MAX_PROCESSES,
        WarmPool,
        describe_failure,
        kernel_log,
        run_apart,
    )

    shown = _display_path(out_dir)
    unchanged = [job for job in jobs if job not in to_run]
    yield (f"Executing {len(to_run)} of {len(jobs)} pages"
           + (f" ({len(unchanged)} unchanged)" if unchanged else "")
           + f", two at a time: {', '.join(job.page for job in to_run)}")
    data_before = plan.data_fingerprint()
    built_at = datetime.now(UTC).replace(second=0, microsecond=0)
    registry_hash = plan.file_hash(registry)
    context = render.SiteContext(parameters=parameters, built_at=built_at, manifest=read_manifest(),
                                 code_version=__version__, registry_hash=registry_hash,
                                 root="../" * region_folder(parameters).count("/"), picker=shared.picker)
    work = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX, dir=out_dir))
    track_work(work)
    stack = ExitStack()
    try:
        staged = work / "site"
        for folder in (staged / RESULTS_DIR, staged / "en", staged / DATA_DIR, work / "executed"):
            folder.mkdir(parents=True)
        claim_ids = [job.claim_id for job in jobs if job.claim_id]
        leagues = None
        if league_fingerprint and shared.leagues is not None:  # an atlas: once, for every region
            if not shared.leagues.cache_info().currsize:
                yield "  league: computing every claim for every COROP region (once, for every region)"
            leagues = shared.leagues()
        elif league_fingerprint:
            yield "  league: computing every claim for every COROP region"
            leagues = run_apart(league_page.compute_leagues, claim_ids, parameters,
                                registry if os.environ.get(plan.REGISTRY_ENV) else None)
        new_state = BuildState(parameters=parameters.notebook_parameters(),
                               picker=[list(region) for region in shared.picker])
        previous_results = cards.read_results(out_dir / RESULTS_DIR)
        tasks = []
        for job in to_run:
            results = work / "run-results" / job.stem
            results.mkdir(parents=True)
            (staged / DATA_DIR / job.stem).mkdir()  # replaces the page's old figure data, even if it writes none
            notebook_parameters = {**job.parameters, "results_dir": str(results), "site_dir": str(staged)}
            tasks.append((job, (job.notebook, work / "executed" / f"{job.stem}.ipynb", notebook_parameters,
                                paths.notebooks_dir())))
        hidden = {str(work / "run-results"): "<build>/results", str(staged): "<build>/site"}
        pool = shared.pool or stack.enter_context(WarmPool(work / "kernel-logs", min(len(tasks), MAX_PROCESSES)))
        outcomes = pool.run(tasks) if tasks else iter(())
        yield PAGES_QUEUED  # an atlas queues the next region's pages now (see analysis.site.atlas)
        for done, (job, outcome) in enumerate(outcomes, start=1):
            if outcome.error is not None:
                raise describe_failure(job.page, job.notebook, outcome, out_dir, out_dir / FAILED_DIR)
            body = render.notebook_body(outcome.executed, hidden)
            titles = {}
            for lang, sub in EDITION_DIRS.items():
                html, titles[lang] = render.render_page(body, context, lang, job.page, job.stem)
                (staged / sub / job.page).write_text(html, encoding="utf-8")
            if job.claim_id:
                result = work / "run-results" / job.stem / f"{job.stem}.json"
                if not result.exists():
                    raise ReportBuildError(job.notebook.name, f"notebook {job.notebook.name} ran for claim "
                                           f"{job.claim_id} but wrote no {result.name} into results_dir: a claim "
                                           "page ends with analysis.report.record.record_check(...). The previous "
                                           f"report in {out_dir} was left unchanged.")
                shutil.copyfile(result, staged / RESULTS_DIR / result.name)
            new_state.pages[job.stem] = {"fingerprint": job.fingerprint, "title": titles, "claim_id": job.claim_id,
                                         "page": job.page}
            note = ""
            kernel_lines = _read_text(kernel_log(outcome.executed))
            if body.warnings or kernel_lines:  # kept for whoever wants them: reports/warnings/<page>.txt
                (staged / WARNINGS_DIR).mkdir(exist_ok=True)
                kernel_part = f"\n--- the kernel's own log ---\n{kernel_lines}" if kernel_lines else ""
                (staged / WARNINGS_DIR / f"{job.stem}.txt").write_text(body.warnings + kernel_part,
                                                                         encoding="utf-8")
                kept = f"{body.hidden_stderr} warning line(s) kept off the page" if body.warnings else "kernel log"
                note = f", {kept}: {shown}/{WARNINGS_DIR}/{job.stem}.txt"
            yield f"  [{done}/{len(to_run)}] ok  {job.page} ({outcome.seconds:.1f} s{note})"
            (out_dir / FAILED_DIR / f"{job.stem}.ipynb").unlink(missing_ok=True)
        stack.close()  # this build's own kernels end now, before the index and league render
        for job in unchanged:  # carried over from the previous build: the pages stay, results are copied
            new_state.pages[job.stem] = state.pages[job.stem]
            if job.claim_id and job.claim_id in previous_results:
                _write_json(staged / RESULTS_DIR / f"{job.stem}.json", previous_results[job.claim_id])
        results = cards.read_results(staged / RESULTS_DIR)
        if leagues is not None:
            new_state.league = {"fingerprint": league_fingerprint}
        else:
            leagues = league_page.read_league(out_dir / RESULTS_DIR / league_page.LEAGUE_FILE) or {}
            new_state.league = state.league
        league_page.write_league(staged / RESULTS_DIR / league_page.LEAGUE_FILE, leagues)
        league_page.write_chart_data(staged / DATA_DIR, leagues, results, pagesources.build_date())
        changes = cards.compare_results(previous_results, results) if (out_dir / STATE_FILE).exists() else None
        order = [job.claim_id for job in jobs if job.claim_id]
        ordered = [results[c] for c in order if c in results]
        background = [job for job in jobs if not job.claim_id]
        by_publication = publication_groups([c for c in order if c in results], registry)
        for lang, sub in EDITION_DIRS.items():
            pages = [{"page": job.page, "title": new_state.pages[job.stem]["title"][lang]} for job in background]
            groups = [{"heading": g["heading"][lang], "cards": [cards.card(results[c], lang) for c in g["ids"]]}
                      for g in by_publication]
            index = render.render_index(context, lang, [cards.card(r, lang) for r in ordered], pages,
                                        None if changes is None else [c.describe(lang) for c in changes],
                                        league=True, groups=groups)
            (staged / sub / INDEX).write_text(index, encoding="utf-8")
            view = league_page.league_view(leagues, results, order, parameters, lang, out_dir / sub)
            (staged / sub / league_page.LEAGUE_PAGE).write_text(render.render_league(context, lang, view),
                                                                encoding="utf-8")
            (staged / sub / method.METHOD_PAGE).write_text(
                method.with_sensitivity(render.render_method(context, lang), ordered, lang), encoding="utf-8")
        render.write_static(paths.reports_dir())  # shared by every region's pages; before the swap
        for html_file in staged.rglob("*.html"):
            external = render.external_resources(html_file.read_text(encoding="utf-8"))
            if external:
                raise RuntimeError(f"{html_file.name} loads external resources {external[:3]}: the report must "
                                   "work offline")
        if plan.data_fingerprint() != data_before:  # a `python -m analysis build` ran meanwhile
            raise RuntimeError("data/processed changed while the report was being built; nothing was replaced. "
                               "Run the report again.")
        new_state.write(staged / STATE_FILE, built_at.isoformat())
        stale = [stem for stem in state.pages if stem not in new_state.pages]
        _SWAPPING.append(True)  # a signal now waits for the swap (see abort_build)
        try:
            swap_in(staged, out_dir, stale, executed=[job.stem for job in to_run])
        finally:
            _SWAPPING.clear()
        if _DEFERRED_EXIT:
            shutil.rmtree(work, ignore_errors=True)
            os._exit(_DEFERRED_EXIT[0])
    except BaseException:
        stack.__exit__(*sys.exc_info())  # a failure kills this build's own kernels at once
        raise
    else:
        stack.close()
    finally:
        untrack_work(work)
        shutil.rmtree(work, ignore_errors=True)
    if changes is None:
        yield "Changes since the previous build: none to compare (first build in this folder)."
    elif changes:
        yield f"Changes since the previous build ({len(changes)}):"
        for change in changes:
            text = change.describe("en")
            yield f"  {text['title']}: {text['what']} {text['old']} → {text['new']}".rstrip(" →")
    else:
        yield "Changes since the previous build: no changes in verdicts or headline numbers."
    yield (f"Wrote {shown}/ and {shown}/en/: {len(to_run)} page(s) executed, {len(unchanged)} unchanged, "
           "index and league page in both editions.")
    if shared.pool is None:
        yield _open_line(out_dir)


# --------------------------------------------------------------------------------------------
# The README's "verdicts in short" table, from the latest build


def verdicts_table(results: Mapping[str, Mapping[str, Any]], order: list[str] | None = None,
                   lang: str = "en") -> str:
    """A Markdown table of every claim's verdict, headline and reason, as the latest build has them."""
    from analysis.report.cards import verdict_word

    ids = order or sorted(results, key=lambda c: (results[c].get("order", 0), c))
    lines = ["| claim | verdict | in one sentence | page |", "|---|---|---|---|"]
    for claim_id in ids:
        record = results[claim_id]

        def cell(key: str, record: Mapping[str, Any] = record) -> str:
            value = record.get(key) or {}
            return str(value.get(lang, "")).replace("|", "\\|").replace("\n", " ")

        sentence = " ".join(part.rstrip(".") + "." for part in (cell("headline"), cell("reason")) if part)
        lines.append(f"| {cell('title')} | {verdict_word(record['verdict'], lang)} | {sentence} | "
                     f"`reports/{'en/' if lang == 'en' else ''}{record['page']}` |")
    return "\n".join(lines) + "\n"


def latest_verdicts_table(parameters: BuildParameters | None = None) -> str:
    """:func:`verdicts_table` of the latest build of the default report, for the claims of the
    shipped registry only (the README's table: a claim a user adds to their own registry is not in
    it). RuntimeError if a shipped claim has no result."""
    from analysis.engine.registry import REGISTRY_FILE, load_registry
    from analysis.report.cards import read_results

    parameters = parameters or validate_parameters(DEFAULT_REGION)
    folder = output_dir(parameters) / RESULTS_DIR
    results = read_results(folder)
    shipped = list(load_registry(REGISTRY_FILE).claims)
    missing = [claim_id for claim_id in shipped if claim_id not in results]
    if missing:
        raise RuntimeError(f"no result of {', '.join(missing)} in {_display_path(folder.parent)}: run "
                           "`make report` (with the shipped registry) first")
    return verdicts_table(results, order=shipped)
