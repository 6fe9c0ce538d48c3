"""The atlas: every COROP region's bilingual report in one run, and an atlas page with the map.

``python -m analysis report --region all`` (``make atlas``) builds the report of each of the 40
COROP regions with the registry's reading, each in its usual folder (Twente's at the site root,
``reports/``, the others in ``reports/<CODE>/``), with what the regions share done once:

- one pool of two warm kernels (:mod:`analysis.site.warm`) runs every page of every region;
- the league (every claim for every region) is computed once and given to every region;
- the inputs' fingerprint (processed data and package code) is hashed once;
- each region keeps its own build state, so a rerun executes only what changed for it (a changed
  claim: that claim's pages in every region and the pages that list it; a change in one region's
  data changes the processed tables, which every page depends on);
- the next region's pages are queued as soon as one region's are (:class:`RegionsInTurn`), so the
  kernels run them while the build process renders that region and swaps it in;
- every page gets the region picker, and ``atlas.html`` (both editions, at the site root) shows the
  tile map of the regions, each tile leading to that region's report.

Each region is published on its own, as a single report is (:mod:`analysis.site.swap`): a killed
atlas leaves every region's previous report whole (the regions already swapped in are new, the others
old) and, through the pool's kill guarantees, no kernel running.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from analysis import paths
from analysis.report.parameters import BuildParameters
from analysis.site import build, plan
from analysis.site.render import ATLAS_PAGE
from analysis.site.swap import EDITION_DIRS

ATLAS_WORK_PREFIX = ".tmp-atlas-"  # not a report build's prefix: Twente's build cleans those in reports/


def build_atlas(force: bool = False, registry: Path | None = None) -> Iterator[str]:
    """Build every COROP region's report (see the module docstring); yields progress lines."""
    from filelock import FileLock, Timeout

    from analysis.report import league_page
    from analysis.site.execute import WarmPool, run_apart

    registry = Path(registry).resolve() if registry else plan.registry_path()
    if not registry.exists():
        raise ValueError(f"claim registry {registry} not found")
    regions = plan.corop_regions()
    every = [BuildParameters(code, name) for code, name in regions.items()]
    picker = tuple((p.region, p.region_name, build.region_folder(p)) for p in every)
    root = paths.reports_dir()
    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / ".atlas.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise RuntimeError(f"another atlas build is writing to {root}; wait for it to finish") from None
    work = None
    try:
        for stale in root.glob(ATLAS_WORK_PREFIX + "*"):  # an atlas killed earlier (we hold the lock)
            shutil.rmtree(stale, ignore_errors=True)
        yield f"Atlas: {len(every)} COROP regions, both editions -> {root}/"
        work = Path(tempfile.mkdtemp(prefix=ATLAS_WORK_PREFIX, dir=root))
        build.track_work(work)
        claim_ids = [claim.claim_id for claim in plan.registered_claims(registry)]
        own = None if registry == paths.PACKAGE_DATA / "claims.toml" else registry
        leagues = functools.cache(lambda: run_apart(league_page.compute_leagues, claim_ids, every[0], own))
        unchanged = 0
        # kernels start with the first page, inside build_one, which sets the registry
        # for them (the kernels inherit the environment of that moment)
        with WarmPool(work / "kernel-logs") as pool:
            shared = build.Shared(picker=picker, pool=pool, leagues=leagues, inputs=plan.inputs_fingerprint())
            regions = RegionsInTurn([build.build_one(p, force, registry, shared) for p in every])
            try:
                for number, parameters in enumerate(every, start=1):
                    yield f"[{number}/{len(every)}] {parameters.region} {parameters.region_name}"
                    for line in regions.lines(number - 1):
                        unchanged += line.startswith(build.NOTHING_CHANGED)
                        yield line
            finally:
                regions.close()
            pages = [root / sub / ATLAS_PAGE for sub in EDITION_DIRS.values()]
            if unchanged < len(every) or not all(page.exists() for page in pages):
                yield from write_atlas_pages(every, plan.file_hash(registry))
    finally:
        if work is not None:
            build.untrack_work(work)
            shutil.rmtree(work, ignore_errors=True)
        lock.release()
    yield f"Open {root / 'atlas.html'} (Dutch edition) or {root / 'en' / 'atlas.html'} (English edition)."


class RegionsInTurn:
    """The regions' builds (:func:`analysis.site.build.build_one` generators), their lines shown in
    turn, with the pages of the regions after the current one queued as soon as the current one's are.

    A region's build queues its pages, then renders each as it ends, then its index, league and method
    pages, then swaps them in. Without the look-ahead both kernels would wait for that last part of
    every region; with it they run the next region's pages meanwhile. A region whose build is waiting
    in the queue holds its folder's lock and its temporary folder; :meth:`close` ends those builds
    (their own clean-up runs) when the atlas stops early."""

    def __init__(self, builds: list[Iterator[str]]) -> None:
        self.builds = builds
        self.early: dict[int, list[str]] = {}  # lines of builds started before their turn
        self.waiting: set[int] = set()  # those of them stopped where their pages are queued

    def _queue_after(self, index: int) -> None:
        """Run the builds after ``index`` until one has queued pages (those with nothing to run end)."""
        for later in range(index + 1, len(self.builds)):
            if later in self.waiting:
                return
            if later in self.early:  # ran to its end: nothing of it to execute
                continue
            lines = self.early[later] = []
            for line in self.builds[later]:
                if line is build.PAGES_QUEUED:
                    self.waiting.add(later)
                    return
                lines.append(line)

    def lines(self, index: int) -> Iterator[str]:
        """The lines of region ``index``'s build, run to its end."""
        yield from self.early.pop(index, [])
        if index in self.waiting:  # its pages were queued before its turn: the next region's now
            self.waiting.discard(index)
            self._queue_after(index)
        for line in self.builds[index]:
            if line is build.PAGES_QUEUED:
                self._queue_after(index)
            else:
                yield line

    def close(self) -> None:
        for lines in self.builds:
            close = getattr(lines, "close", None)
            if close is not None:
                close()


def write_atlas_pages(every: list[BuildParameters], registry_hash: str) -> Iterator[str]:
    """``atlas.html`` in both editions at the site root: the tile map, each tile a link."""
    from analysis.site import atlas_page

    for lang in EDITION_DIRS:
        atlas_page.write(every, lang, registry_hash)
    yield "  atlas page: both editions"
