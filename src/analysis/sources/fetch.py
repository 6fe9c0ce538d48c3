"""Fetch step: registry -> raw snapshots in ``data/raw``, live or from an offline mirror.

Both paths end in the same validation, manifest and atomic swap (see :mod:`analysis.sources.snapshot`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.errors import FetchError
from analysis.sources import cbs, cbs_labels
from analysis.sources.download import DEFAULT_TIMEOUT, download_file
from analysis.sources.registry import Source, get_source, load_registry
from analysis.sources.snapshot import (
    SnapshotError,
    data_lock,
    utc_now,
    verify_snapshot,
    write_snapshot,
)


def _fill_http_live(source: Source, dest: Path, base_url: str | None, timeout: float, progress: bool) -> dict[str, Any]:
    if source.kind == "manual-export":
        raise FetchError(
            f"{source.id}: CBS offers table {source.table_id} only as an interactive StatLine export, "
            f"not as a stable download. Export it from {source.page_url} as CSV 'met statistische symbolen' "
            f"(labels, ';'), save it as {source.mirror_path} inside a folder DIR and run "
            "`python -m analysis fetch --mirror DIR`"
        )
    url = f"{base_url.rstrip('/')}/{source.mirror_path}" if base_url else source.url
    download_file(url, dest / source.file_name, timeout=timeout, progress=progress)
    return {"mode": "live", "origin": url, "retrieved_at": utc_now(), "tool": "requests"}


def _fill_file_mirror(source: Source, mirror: Path, dest: Path) -> dict[str, Any]:
    path = mirror / source.mirror_path
    if not path.is_file():
        raise FetchError(
            f"{source.id}: the mirror has no file {path}; a mirror is laid out like the upstream "
            "(see ../shared/data/README.md)"
        )
    shutil.copyfile(path, dest / source.file_name)
    provenance = {"mode": "mirror", "origin": source.mirror_path, "upstream": source.url or source.page_url,
                  "retrieved_at": utc_now(), "tool": "mirror copy"}
    if source.partial:
        provenance["partial"] = source.partial
    return provenance


def validate_file(source: Source, folder: Path) -> None:
    """Parse the whole file with its layout's parser, so a broken download never replaces a good one."""
    path = folder / source.file_name
    if source.layout == "statline-csv":
        cbs.read_statline_csv(path, source.encoding, source.required_columns)
        return
    from analysis.sources import duo  # the parsers live with DUO access

    if source.layout == "duo-institutions":
        duo.parse_institutions(path)
    else:
        frame = duo.parse_enrolment_file(path, source.layout)
        duo.check_years(frame["year"], source.years, path, source.id)


def fetch_source(
    source: Source,
    *,
    mirror: Path | None = None,
    catalog_url: str | None = None,
    base_url: str | None = None,
    raw_root: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
) -> dict[str, Any]:
    """Fetch one dataset into its raw snapshot; returns the manifest written."""
    if source.kind == "cbs-odata3":
        def fill(dest: Path) -> dict[str, Any]:
            if mirror is not None:
                return cbs.import_mirror(source, mirror, dest)
            return cbs.fetch_live(source, dest, catalog_url=catalog_url, timeout=timeout, progress=progress)

        def validate(dest: Path) -> None:
            cbs.validate_snapshot(source, dest)
    elif source.kind == "cbs-odata3-labels":
        def fill(dest: Path) -> dict[str, Any]:
            if mirror is not None:
                return cbs_labels.import_mirror(source, mirror, dest)
            return cbs_labels.fetch_live(source, dest, catalog_url=catalog_url, timeout=timeout, progress=progress)

        def validate(dest: Path) -> None:
            cbs_labels.validate_label_snapshot(source, dest)
    else:
        def fill(dest: Path) -> dict[str, Any]:
            if mirror is not None:
                return _fill_file_mirror(source, mirror, dest)
            return _fill_http_live(source, dest, base_url, timeout, progress)

        def validate(dest: Path) -> None:
            validate_file(source, dest)

    def fill_with_source(dest: Path) -> dict[str, Any]:
        # OWID-style sidecar: the manifest says what the files are, not only where they came from.
        return {"source": {"publisher": source.publisher, "title": source.title, "licence": source.licence,
                           "attribution": source.attribution, "url": source.url, "page_url": source.page_url,
                           "layout": source.layout},
                **fill(dest)}

    return write_snapshot(source.id, fill_with_source, validate, raw_root)


def no_live_source(source: Source) -> str:
    """Why a live fetch cannot give this dataset ('' if it can).

    Hand exports have no download to repeat; an earlier release of a table that another registered
    dataset fetches (``superseded_by`` with the same table id) is no longer what the service serves.
    """
    if source.kind == "manual-export":
        return "hand export only"
    later = load_registry().get(getattr(source, "superseded_by", "") or source.extra.get("superseded_by", ""))
    if later is not None and later.table_id.lower() == source.table_id.lower():
        return f"an earlier release of {source.table_id}; the service serves only the newest ({later.id})"
    return ""


def has_live_source(source: Source) -> bool:
    return not no_live_source(source)


@dataclass(frozen=True)
class FetchOutcome:
    """What a fetch did with one dataset.

    ``status``: ``fetched`` (new snapshot written), ``kept`` (no live source: the last good snapshot
    was verified and kept) or ``failed`` (``error`` says why; the previous snapshot is untouched).
    """

    dataset_id: str
    status: str
    message: str
    manifest: dict[str, Any] | None = None
    error: Exception | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def _fetched(manifest: dict[str, Any]) -> FetchOutcome:
    files = ", ".join(f["name"] for f in manifest["files"])
    if manifest.get("unchanged"):
        return FetchOutcome(manifest["dataset_id"], "fetched",
                            f"{manifest['mode']} from {manifest['origin']}: the same files as the snapshot of "
                            f"{manifest.get('retrieved_at', '?')}, kept as it was", manifest)
    return FetchOutcome(manifest["dataset_id"], "fetched",
                        f"{manifest['mode']} from {manifest['origin']} -> {files}", manifest)


def _how_to_import(source: Source) -> str:
    obtain = (f"export it from {source.page_url or source.url}, save it as DIR/{source.mirror_path}"
              if source.kind == "manual-export" else
              f"put that release at DIR/{source.mirror_path} (the mirror ../shared/data has it)")
    return f"{obtain} and run `python -m analysis fetch --mirror DIR {source.id}`"


def _keep(source: Source, raw_root: Path | None) -> FetchOutcome:
    """A dataset without live source in a live refresh: keep its snapshot if it is intact."""
    why = no_live_source(source)
    try:
        manifest = verify_snapshot(source.id, raw_root)
    except SnapshotError as exc:
        error = FetchError(f"{source.id} has no live source ({why}) and no usable snapshot: {exc}. "
                           f"To import it, {_how_to_import(source)}")
        return FetchOutcome(source.id, "failed", str(error), error=error)
    return FetchOutcome(
        source.id, "kept",
        f"no live source ({why}): kept the snapshot of {manifest.get('retrieved_at', '?')} "
        f"({manifest.get('mode', '?')} from {manifest.get('origin', '?')}); to update it, "
        f"{_how_to_import(source)}", manifest)


def refresh(
    names: list[str] | None = None,
    *,
    mirror: Path | None = None,
    catalog_url: str | None = None,
    base_url: str | None = None,
    raw_root: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
    stop_on_error: bool = False,
) -> list[FetchOutcome]:
    """Fetch the named datasets (all registered ones by default) under the data lock, one outcome each.

    A failure of one dataset does not stop the others (unless ``stop_on_error``: then it is raised).
    In a live refresh of all datasets (no names, no mirror) a dataset without live source is not
    fetched: its last good snapshot is verified and kept. Named explicitly without a mirror, it fails
    with the way to import it. ``mirror`` (or TWENTE_CLAIMS_MIRROR) reads an offline mirror
    instead of the services; ``catalog_url`` and ``base_url`` point the live path at another CBS
    catalog host or DUO file server (a proxy, or the test server).
    """
    mirror = mirror or paths.default_mirror()
    if mirror is not None and not Path(mirror).is_dir():
        raise FetchError(f"mirror folder {mirror} does not exist")
    sources = [get_source(n) for n in names] if names else list(load_registry().values())
    sources = list({s.id: s for s in sources}.values())  # a dataset named twice is fetched once
    outcomes = []
    with data_lock(raw_root):
        for source in sources:
            if mirror is None and not names and not has_live_source(source):
                outcome = _keep(source, raw_root)
            elif mirror is None and source.kind != "manual-export" and not has_live_source(source):
                error = FetchError(f"{source.id} has no live source ({no_live_source(source)}); a live fetch "
                                   f"would not give this release. To import it, {_how_to_import(source)}")
                outcome = FetchOutcome(source.id, "failed", str(error), error=error)
            else:
                try:
                    outcome = _fetched(fetch_source(
                        source, mirror=Path(mirror) if mirror else None, catalog_url=catalog_url,
                        base_url=base_url, raw_root=raw_root, timeout=timeout, progress=progress))
                except (FetchError, SnapshotError) as exc:
                    outcome = FetchOutcome(source.id, "failed", str(exc), error=exc)
            if stop_on_error and outcome.error is not None:
                raise outcome.error
            outcomes.append(outcome)
    return outcomes


def fetch(
    names: list[str] | None = None,
    *,
    mirror: Path | None = None,
    catalog_url: str | None = None,
    base_url: str | None = None,
    raw_root: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
) -> list[dict[str, Any]]:
    """:func:`refresh` that stops at the first failure (raised); returns the manifests written."""
    outcomes = refresh(names, mirror=mirror, catalog_url=catalog_url, base_url=base_url, raw_root=raw_root,
                       timeout=timeout, progress=progress, stop_on_error=True)
    return [o.manifest for o in outcomes if o.status == "fetched"]
