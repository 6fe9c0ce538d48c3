"""data/processed as a Frictionless data package: datapackage.json written by the build, valid
(`frictionless validate`), deterministic, and strict enough to catch a damaged table."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from frictionless import validate as frictionless_validate

from analysis.processing import schema
from analysis.processing.build import build
from analysis.processing.datapackage import FILE_NAME, write_datapackage
from analysis.sources.fetch import fetch
from test_validate import JOBS_ROWS, jobs_csv, publish_like_build

COMMITTED = Path(__file__).parents[1] / "data" / "processed"
FRICTIONLESS = Path(__file__).parents[1] / ".venv" / "bin" / "frictionless"
INPUTS = [  # as the build records them in the manifest (the fields the package uses)
    {"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen van werknemers", "licence": "CC BY 4.0",
     "upstream": "https://opendata.cbs.nl/ODataFeed/odata/83582NED/", "retrieved_at": "2026-11-28T03:26:18Z"},
    {"dataset_id": "cbs-81402ned", "publisher": "CBS", "title": "Banen (2008-2010)", "licence": "CC BY 4.0",
     "upstream": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/81402ned/table"},
    {"dataset_id": "duo-wo-2019", "publisher": "DUO", "title": "Ingeschrevenen wo",
     "licence": "DUO open onderwijsdata (free reuse)", "upstream": "https://duo.nl/x.csv"},
]


def _errors(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    """A processed folder with a small jobs table and the manifest the build would write."""
    folder = publish_like_build(tmp_path / "processed", {"jobs.csv": jobs_csv(JOBS_ROWS)})
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.update(code_version="0.1.0", inputs=INPUTS, built_at="2026-12-01T10:00:00Z")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    write_datapackage(folder, manifest)
    return folder


def test_small_package_is_valid_and_describes_the_table(small: Path) -> None:
    report = frictionless_validate(str(small / FILE_NAME))
    assert report.valid, _errors(report)
    package = json.loads((small / FILE_NAME).read_text())
    (resource,) = package["resources"]
    assert resource["path"] == "jobs.csv" and resource["schema"]["primaryKey"] == list(schema.JOBS_KEY)
    assert [f["name"] for f in resource["schema"]["fields"]] == list(schema.JOBS_COLUMNS)
    # the rows name 83582NED and 81402ned (and 83583NED, which this manifest lacks): only those sources
    assert [s["title"] for s in resource["sources"]] == ["CBS cbs-83582NED: Banen van werknemers",
                                                         "CBS cbs-81402ned: Banen (2008-2010)"]
    assert resource["licenses"] == [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                                     "title": "Creative Commons Attribution 4.0 International"}]
    text = (small / FILE_NAME).read_text()
    assert "2026-" not in text  # no timestamps: neither the build time nor retrieval times
    assert text == json.dumps(package, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_frictionless_catches_a_value_edited_after_the_build(small: Path) -> None:
    path = small / "jobs.csv"
    path.write_bytes(path.read_bytes().replace(b",40000,", b",40001,"))
    report = frictionless_validate(str(small / FILE_NAME))
    assert not report.valid and "hash-count" in {e[2] for e in _errors(report)}


def test_frictionless_checks_the_contract_constraints(small: Path) -> None:
    # a region code CBS does not have, written and described consistently: only the constraint can tell
    bad = [*JOBS_ROWS, JOBS_ROWS[0].replace("CR12", "CR41")]
    folder = publish_like_build(small.parent / "bad", {"jobs.csv": jobs_csv(bad)})
    manifest = {**json.loads((folder / "manifest.json").read_text()), "inputs": INPUTS}
    write_datapackage(folder, manifest)
    errors = _errors(frictionless_validate(str(folder / FILE_NAME)))
    assert [(row, field, kind) for row, field, kind, _ in errors] == [(8, "region_code", "constraint-error")]


# --- the real build ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("project") / "data" / "raw"
    fetch(mirror=mirror_dir, raw_root=raw, progress=False)
    out = raw.parent / "processed"
    build(raw_root=raw, out_dir=out)
    return out


@pytest.mark.mirror
def test_build_writes_a_valid_deterministic_package(built: Path, tmp_path: Path) -> None:
    report = frictionless_validate(str(built / FILE_NAME))
    assert report.valid, _errors(report)[:10]
    package = json.loads((built / FILE_NAME).read_text())
    manifest = json.loads((built / "manifest.json").read_text())
    assert [r["path"] for r in package["resources"]] == list(manifest["tables"])
    for resource in package["resources"]:
        assert resource["hash"] == "sha256:" + manifest["tables"][resource["path"]]["sha256"]
    labour = next(r for r in package["resources"] if r["name"] == "labour_accounts")
    assert [s["title"].split(":")[0] for s in labour["sources"]] == ["CBS cbs-84164NED", "CBS cbs-85918NED"]
    # a second build from the same snapshots writes the same bytes
    again = tmp_path / "processed"
    build(raw_root=built.parent / "raw", out_dir=again)
    assert (again / FILE_NAME).read_bytes() == (built / FILE_NAME).read_bytes()


@pytest.mark.mirror
def test_committed_package_is_what_the_build_writes_and_the_cli_accepts_it(built: Path) -> None:
    assert (COMMITTED / FILE_NAME).read_bytes() == (built / FILE_NAME).read_bytes(), (
        "data/processed/datapackage.json differs from a rebuild from the mirror: run "
        "`make data MIRROR=../shared/data` and commit the result")
    result = subprocess.run([str(FRICTIONLESS), "validate", str(COMMITTED / FILE_NAME)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.count("VALID") == len(json.loads((COMMITTED / FILE_NAME).read_text())["resources"])


def test_package_written_by_a_copy_stays_valid_after_moving(small: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere"
    shutil.copytree(small, moved)  # paths in the package are relative to it
    assert frictionless_validate(str(moved / FILE_NAME)).valid
