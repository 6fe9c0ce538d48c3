"""Build step: verified raw snapshots -> ``data/processed`` (tables + provenance manifest).

Steps run in a fixed order: verify every raw snapshot against its manifest -> read ->
derive -> check -> write all tables to a temporary folder -> swap it in. A failure at
any step leaves the previous processed data untouched.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import __version__, atomic, paths
from analysis.processing import jobs as jobs_step
from analysis.processing.datapackage import write_datapackage
from analysis.processing.enrolment import EditionInput, build_enrolment, masked_summary
from analysis.processing.label_tables import LabelTables, build_label_tables, vintage_of
from analysis.processing.validate import validate_folder
from analysis.sources import duo
from analysis.sources.registry import Source, load_registry
from analysis.sources.snapshot import data_lock, sha256_of, snapshot_dir, utc_now, verify_snapshot

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
JOBS_FILE = "jobs.csv"
ENROLMENT_FILE = "enrolment.csv"
FIRM_SIZE_FILE = "jobs_by_firm_size.csv"
LABOUR_FILE = "labour_accounts.csv"
REGIONAL_FILE = "regional_accounts.csv"


def _input_record(source: Source, manifest: dict[str, Any]) -> dict[str, Any]:
    """What the processed manifest says about one input (no machine-specific paths)."""
    record = {
        "dataset_id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "licence": source.licence,
        "mode": manifest.get("mode", ""),
        "origin": manifest.get("origin", ""),
        "upstream": source.url or source.page_url,
        "retrieved_at": manifest.get("retrieved_at", ""),
        "vintage": vintage_of(source, manifest),
        "files": manifest["files"],
    }
    if source.truncated:
        record["truncated"] = source.truncated
    if source.partial:
        record["partial"] = source.partial
    return record


def read_cbs_inputs(raw_root: Path | None = None) -> tuple[pd.DataFrame, LabelTables, list[tuple[Source, dict]]]:
    """Read every CBS snapshot: the jobs table (all sources) and the label-layout tables."""
    registry = load_registry()
    main = registry["cbs-83582NED"]
    older = registry["cbs-81402ned"]
    main_manifest, older_manifest = verify_snapshot(main.id, raw_root), verify_snapshot(older.id, raw_root)
    inputs = [(main, main_manifest), (older, older_manifest)]
    read_main = jobs_step.read_83582(snapshot_dir(main.id, raw_root), main, vintage_of(main, main_manifest))
    # COROP title -> code, from the region code list of the 83582NED snapshot
    corop_codes = {name: code for code, name in zip(read_main["region_code"], read_main["region_name"], strict=True)
                   if code.startswith("CR") and code != "CR99"}
    read_older = jobs_step.read_statline_jobs(snapshot_dir(older.id, raw_root) / older.file_name, older, corop_codes,
                                              vintage_of(older, older_manifest))
    labels = build_label_tables(raw_root, corop_codes)
    jobs = jobs_step.build_jobs([(main, read_main), (older, read_older), *labels.jobs])
    return jobs, labels, inputs + labels.inputs


def read_jobs_inputs(raw_root: Path | None = None) -> tuple[pd.DataFrame, list[tuple[Source, dict]]]:
    """The jobs table from every CBS snapshot (see :func:`read_cbs_inputs`)."""
    jobs, _, inputs = read_cbs_inputs(raw_root)
    return jobs, inputs


def read_enrolment_inputs(raw_root: Path | None = None) -> tuple[pd.DataFrame, list[tuple[Source, dict]]]:
    """Read every DUO enrolment edition into the enrolment table."""
    editions, inputs = [], []
    for source in load_registry().values():
        if source.publisher != "DUO" or source.layout == "duo-institutions":
            continue
        inputs.append((source, verify_snapshot(source.id, raw_root)))
        editions.append(EditionInput(edition=source.id, level=source.level,
                                     path=snapshot_dir(source.id, raw_root) / source.file_name, layout=source.layout,
                                     encoding=source.encoding))
    enrolment = build_enrolment(editions)
    for edition in editions:  # a file that lost a year column parses fine: the registry says what must be there
        duo.check_years(enrolment.loc[enrolment["edition"] == edition.edition, "year"],
                        load_registry()[edition.edition].years, edition.path, edition.edition)
    return enrolment, inputs


def write_table(frame: pd.DataFrame, path: Path) -> None:
    # Fixed formatting so that the same inputs give byte-identical files.
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")


def build(raw_root: Path | None = None, out_dir: Path | None = None) -> dict[str, Any]:
    """Rebuild every processed table from the raw snapshots; returns the manifest."""
    out_dir = out_dir or paths.processed_dir()
    with data_lock(raw_root):
        atomic.recover(raw_root or paths.raw_dir())  # a fetch killed inside its swap
        atomic.recover(out_dir)  # a build killed inside its publish: finish it before reading anything
        remove_stale_temporaries(out_dir.parent)
        jobs, labels, jobs_inputs = read_cbs_inputs(raw_root)
        enrolment, duo_inputs = read_enrolment_inputs(raw_root)
        tables = {JOBS_FILE: jobs, ENROLMENT_FILE: enrolment, FIRM_SIZE_FILE: labels.firm_size,
                  LABOUR_FILE: labels.labour, REGIONAL_FILE: labels.regional}
        # Every table is built and checked at this point (column lists: processing.schema).
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".processed-", dir=out_dir.parent))
        try:
            for name, frame in tables.items():
                write_table(frame, tmp / name)
            manifest = {
                "built_at": utc_now(),
                "code_version": __version__,
                "tables": {
                    name: {"rows": len(frame), "columns": list(frame.columns), "sha256": sha256_of(tmp / name)}
                    for name, frame in tables.items()
                },
                "checks": {**jobs.attrs["checks"], **labels.checks},
                "gaps": {
                    "jobs_suppressed_cells": {f"{t} {v}": int(n) for (t, v), n in jobs[~jobs["derived"]].groupby(
                        ["source_table", "vintage"])["suppressed"].sum().items()},
                    "jobs_cells_fixed_by_hierarchy": int((jobs["derived"] & jobs["derivation"].str.startswith("SBI")).sum()),
                    "enrolment_masked_cells": masked_summary(enrolment).to_dict("records"),
                    **labels.gaps,
                },
                "inputs": [_input_record(s, m) for s, m in [*jobs_inputs, *duo_inputs]],
            }
            keep_build_time_if_unchanged(manifest, out_dir / MANIFEST_NAME)
            (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
            validate_folder(tmp)  # read back as every reader will: contract and sha256, before publishing
            write_datapackage(tmp, manifest)
            # Tables and manifest are replaced as one unit; other files (the README) are kept.
            atomic.publish({p.name: p for p in tmp.iterdir()}, out_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def keep_build_time_if_unchanged(manifest: dict[str, Any], previous_path: Path) -> None:
    """A build from the same inputs giving the same tables keeps the previous ``built_at``, so the
    processed folder stays byte-identical and the report sees no change (fingerprints are on content)."""
    try:
        previous = json.loads(previous_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return
    if {k: v for k, v in previous.items() if k != "built_at"} == {k: v for k, v in manifest.items() if k != "built_at"}:
        manifest["built_at"] = previous.get("built_at", manifest["built_at"])
        log.info("the processed data are unchanged (same inputs, same tables): kept the build time %s",
                 manifest["built_at"])


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary build folders left by a killed build (only called while holding the data lock)."""
    for stale in folder.glob(".processed-*"):
        shutil.rmtree(stale, ignore_errors=True)
