"""The atlas: every COROP region's bilingual report in one run, and an atlas page with the map.

``python -m analysis report --region all`` (``make atlas``) builds the report of each of the 40
COROP regions with the registry's reading, each in its usual folder (Twente's at the site root,
``reports/``, the others in ``reports/<CODE>/``), with what the regions share done once:

- one pool of workers with warm kernels (:mod:`analysis.site.warm`) runs every page of every region;
- the league (every claim for every region) is computed once and given to every region;
- the inputs' fingerprint (processed data and package code) is hashed once;
- each region keeps its own build state, so a rerun executes only what changed for it (a changed
  claim: that claim's pages in every region and the pages that list it; a change in one region's
  data changes the processed tables, which every page depends on);
- every page gets the region picker, and ``atlas.html`` (both editions, at the site root) shows the
  tile map of the regions, each tile leading to that region's report.

Each region is published on its own, as a single report is (:mod:`analysis.site.swap`): a killed
atlas leaves every region's previous report whole (the regions already swapped in are new, the others
old) and, through the pool's kill guarantees, no worker or kernel running.
"""

from __future__ import annotations

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
        leagues = build.Once(lambda: run_apart(league_page.compute_leagues, claim_ids, every[0], own))
        unchanged = 0
        # workers and kernels start with the first page, inside build_one, which sets the registry
        # for them (the kernels inherit the environment of that moment)
        with WarmPool(work / "kernel-logs") as pool:
            shared = build.Shared(picker=picker, pool=pool, leagues=leagues, inputs=plan.inputs_fingerprint())
            for number, parameters in enumerate(every, start=1):
                yield f"[{number}/{len(every)}] {parameters.region} {parameters.region_name}"
                for line in build.build_one(parameters, force, registry, shared):
                    unchanged += line.startswith(build.NOTHING_CHANGED)
                    yield line
            pages = [root / sub / ATLAS_PAGE for sub in EDITION_DIRS.values()]
            if unchanged < len(every) or not all(page.exists() for page in pages):
                yield from write_atlas_pages(every, plan.file_hash(registry))
    finally:
        if work is not None:
            build.untrack_work(work)
            shutil.rmtree(work, ignore_errors=True)
        lock.release()
    yield f"Open {root / 'atlas.html'} (Dutch edition) or {root / 'en' / 'atlas.html'} (English edition)."


def write_atlas_pages(every: list[BuildParameters], registry_hash: str) -> Iterator[str]:
    """``atlas.html`` in both editions at the site root: the tile map, each tile a link."""
    from analysis.site import atlas_page

    for lang in EDITION_DIRS:
        atlas_page.write(every, lang, registry_hash)
    yield "  atlas page: both editions"
