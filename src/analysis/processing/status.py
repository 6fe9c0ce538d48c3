"""Status view: what is cached in ``data/raw``, from when and where, and how it relates to the
processed data (whose manifest records the raw files it was built from)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from analysis import atomic, paths
from analysis.sources.registry import load_registry
from analysis.sources.snapshot import CorruptSnapshotError, SnapshotError, verify_snapshot

log = logging.getLogger(__name__)


def processed_manifest(out_dir: Path | None = None) -> dict:
    path = (out_dir or paths.processed_dir()) / "manifest.json"
    try:
        atomic.refuse_interrupted(path.parent, "python -m analysis build")
    except atomic.InterruptedPublishError as exc:
        raise SnapshotError(str(exc)) from None
    if not path.exists():
        raise SnapshotError(f"no processed data at {path.parent}: run `python -m analysis build`")
    return json.loads(path.read_text())


def status_table(raw_root: Path | None = None, out_dir: Path | None = None) -> pd.DataFrame:
    """One row per registered dataset: snapshot state, origin, retrieval time, vs processed data."""
    try:
        used = {i["dataset_id"]: {f["name"]: f["sha256"] for f in i["files"]}
                for i in processed_manifest(out_dir)["inputs"]}
    except SnapshotError as exc:
        log.warning(str(exc))  # no processed data, or an interrupted build: say so, then list the snapshots
        used = {}
    rows = []
    for source in load_registry().values():
        row = {"dataset": source.id, "publisher": source.publisher, "cached": "no", "mode": "", "origin": "",
               "retrieved_at": "", "vs_processed": "not used" if source.id not in used else "no snapshot"}
        try:
            manifest = verify_snapshot(source.id, raw_root)
        except CorruptSnapshotError as exc:
            row.update(cached="CORRUPT", vs_processed=str(exc))
        except SnapshotError:
            pass
        else:
            files = {f["name"]: f["sha256"] for f in manifest["files"]}
            row.update(cached="yes", mode=manifest.get("mode", ""), origin=manifest.get("origin", ""),
                       retrieved_at=manifest.get("retrieved_at", ""))
            if source.id in used:
                row["vs_processed"] = "same files" if files == used[source.id] else "differs: rebuild to use it"
        rows.append(row)
    return pd.DataFrame(rows)
