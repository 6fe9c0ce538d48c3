"""Raw snapshots: one folder per dataset under ``data/raw`` with a ``manifest.json`` sidecar.

A snapshot is replaced atomically: new files are written to a temporary folder beside it,
validated, and only then swapped in (:func:`analysis.atomic.publish`, the swap every stage uses).
Any failure leaves the previous snapshot as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import filelock

from analysis import atomic, paths
from analysis.errors import FetchError

MANIFEST_NAME = "manifest.json"


class SnapshotError(RuntimeError):
    """A snapshot could not be written, or an existing one is missing or damaged."""


class CorruptSnapshotError(SnapshotError):
    """A file in a snapshot no longer matches the hash recorded when it was fetched."""


class BusyError(RuntimeError):
    """Another fetch or build holds the project's data lock."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def snapshot_dir(dataset_id: str, raw_root: Path | None = None) -> Path:
    return (raw_root or paths.raw_dir()) / dataset_id


def describe_files(folder: Path) -> list[dict[str, Any]]:
    """Name, size and sha256 of every data file in a folder (the manifest itself excluded)."""
    return [
        {"name": p.name, "bytes": p.stat().st_size, "sha256": sha256_of(p)}
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != MANIFEST_NAME
    ]


@contextlib.contextmanager
def data_lock(raw_root: Path | None = None, timeout: float = 0) -> Iterator[None]:
    """Hold the project's data lock; a second fetch or build gets a clear BusyError."""
    root = (raw_root or paths.raw_dir()).parent
    root.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(root / ".lock"), timeout=timeout)
    try:
        with lock:
            yield
    except filelock.Timeout as exc:
        raise BusyError(
            f"another fetch or build is running (lock file {root / '.lock'} is held); "
            "wait for it to finish and run the command again"
        ) from exc


def write_snapshot(
    dataset_id: str,
    fill: Callable[[Path], dict[str, Any]],
    validate: Callable[[Path], None],
    raw_root: Path | None = None,
) -> dict[str, Any]:
    """Create or replace the snapshot of ``dataset_id`` atomically.

    ``fill(tmp)`` writes the data files into ``tmp`` and returns the manifest fields that
    describe where they came from; ``validate(tmp)`` raises if they are unusable. Only when
    both succeed is the previous snapshot replaced. Returns the manifest written; when the new files
    are byte for byte those of the snapshot in place, that snapshot is kept with its manifest (its
    ``retrieved_at`` is when these bytes were first retrieved) and the manifest returned has
    ``"unchanged": True``, so a refresh that changes no data changes no fingerprint downstream.
    """
    target = snapshot_dir(dataset_id, raw_root)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{dataset_id}-", dir=target.parent))
    try:
        provenance = fill(tmp)
        validate(tmp)
        manifest = {"dataset_id": dataset_id, **provenance, "files": describe_files(tmp)}
        unchanged = _same_snapshot(target, manifest)
        if unchanged is not None:  # same bytes: keep the snapshot and its dates (content fingerprints)
            shutil.rmtree(tmp, ignore_errors=True)
            return {**unchanged, "unchanged": True}
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        atomic.publish({target.name: tmp}, target.parent)
        return manifest
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        kept = "the previous snapshot is untouched" if target.exists() else "no snapshot was written"
        # FetchErrors already say what failed and what to do; other errors get that said here.
        if isinstance(exc, Exception) and not isinstance(exc, (SnapshotError, FetchError)):
            raise SnapshotError(f"{dataset_id}: {exc} ({kept})") from exc
        raise


def _same_snapshot(target: Path, new: dict[str, Any]) -> dict[str, Any] | None:
    """The manifest of the snapshot in ``target`` if it says what ``new`` says apart from the retrieval
    time, and its files still have the recorded bytes."""
    try:
        manifest = json.loads((target / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    def timeless(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k != "retrieved_at"}
    if timeless(manifest) != timeless(new) or describe_files(target) != new["files"]:
        return None
    return manifest


def remove_stale_temporaries(target: Path) -> None:
    """Finish a swap a killed fetch left behind and remove its temporary folders (callers hold the
    data lock)."""
    atomic.recover(target.parent)
    for stale in target.parent.glob(f".tmp-{target.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)


def read_manifest(dataset_id: str, raw_root: Path | None = None) -> dict[str, Any]:
    folder = snapshot_dir(dataset_id, raw_root)
    path = folder / MANIFEST_NAME
    try:
        atomic.refuse_interrupted(folder.parent, "python -m analysis build")
    except atomic.InterruptedPublishError as exc:
        raise SnapshotError(str(exc)) from None
    if not path.exists():
        raise SnapshotError(
            f"no snapshot of {dataset_id} in {folder.parent}; run `python -m analysis fetch` "
            "(or `python -m analysis fetch --mirror DIR` without network)"
        )
    return json.loads(path.read_text())


def verify_snapshot(dataset_id: str, raw_root: Path | None = None) -> dict[str, Any]:
    """Check every file of a snapshot against the sha256 in its manifest; return the manifest."""
    manifest = read_manifest(dataset_id, raw_root)
    folder = snapshot_dir(dataset_id, raw_root)
    for entry in manifest["files"]:
        path = folder / entry["name"]
        if not path.exists():
            raise CorruptSnapshotError(f"{path} is listed in the manifest but missing; fetch {dataset_id} again")
        actual = sha256_of(path)
        if actual != entry["sha256"]:
            raise CorruptSnapshotError(
                f"{path} does not match the sha256 recorded when it was fetched "
                f"({actual[:12]}… instead of {entry['sha256'][:12]}…): the file was changed or truncated; "
                f"fetch {dataset_id} again"
            )
    return manifest
