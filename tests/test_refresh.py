"""A live refresh that completes (`make data MIRROR=`): every dataset with a live source is fetched,
hand exports keep their last good snapshot (and the output says how to import a new one), one failure
does not stop the others, and the exit code says whether something that should have been fetched failed.

The live services are the loopback OData v3 / file server of odata_server.py serving the real mirror.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis import cli
from analysis.sources.fetch import has_live_source, refresh
from analysis.sources.registry import load_registry
from analysis.sources.snapshot import read_manifest, snapshot_dir
from odata_server import FaultPlan, FaultRule, MirrorServer, serve_mirror

pytestmark = pytest.mark.mirror

COMMITTED = Path(__file__).parents[1] / "data" / "processed"
HAND_EXPORT = "cbs-81402ned"
IMPORT_COMMAND = f"`python -m analysis fetch --mirror DIR {HAND_EXPORT}`"


@pytest.fixture()
def server(mirror_dir: Path) -> Iterator[MirrorServer]:
    with serve_mirror(mirror_dir, page_size=5000) as running:
        yield running


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project root: data/raw and data/processed of the CLI land here."""
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(tmp_path))
    monkeypatch.delenv("TWENTE_CLAIMS_MIRROR", raising=False)
    return tmp_path


def _live_args(server: MirrorServer) -> list[str]:
    return ["--catalog-url", server.base_url, "--base-url", f"{server.base_url}/files", "--quiet",
            "--timeout", "10"]


def _lines(output: str) -> dict[str, str]:
    """dataset id -> its report line (``<id>: <status>: <message>``)."""
    ids = set(load_registry())
    return {line.split(":", 1)[0]: line for line in output.splitlines() if line.split(":", 1)[0] in ids}


def test_registry_has_hand_exports_and_live_sources() -> None:
    # the refresh below is only meaningful if both kinds exist
    live = [s.id for s in load_registry().values() if has_live_source(s)]
    assert HAND_EXPORT not in live and len(live) >= 7


def test_live_refresh_keeps_hand_export_and_builds(server: MirrorServer, mirror_dir: Path, project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # the hand export was imported once, as the kept message says to
    assert cli.main(["fetch", "--mirror", str(mirror_dir), "--quiet", HAND_EXPORT]) == 0
    imported = read_manifest(HAND_EXPORT)
    capsys.readouterr()

    assert cli.main(["fetch", *_live_args(server)]) == 0
    out = capsys.readouterr().out
    lines = _lines(out)
    live = [s.id for s in load_registry().values() if has_live_source(s)]
    assert sorted(lines) == sorted([*live, HAND_EXPORT])
    for dataset in live:
        assert lines[dataset].startswith(f"{dataset}: fetched: live from http://127.0.0.1:"), lines[dataset]
        assert read_manifest(dataset)["mode"] == "live"
    kept = lines[HAND_EXPORT]
    assert kept.startswith(f"{HAND_EXPORT}: kept: no live source")
    assert imported["retrieved_at"] in kept and IMPORT_COMMAND in kept
    assert read_manifest(HAND_EXPORT) == imported  # the snapshot was not touched
    assert f"fetch: {len(live)} fetched, 1 kept, 0 failed" in out

    assert cli.main(["build"]) == 0
    built = project / "data" / "processed"
    tables = json.loads((COMMITTED / "manifest.json").read_text())["tables"]
    for name in tables:  # a live refresh gives the committed tables (the server serves the mirror)
        assert (built / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_live_refresh_without_hand_export_snapshot_fails_with_the_import_command(
        server: MirrorServer, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["fetch", *_live_args(server)]) == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert lines[HAND_EXPORT].startswith(f"{HAND_EXPORT}: failed: {HAND_EXPORT} has no live source")
    assert "no snapshot of cbs-81402ned" in lines[HAND_EXPORT] and IMPORT_COMMAND in lines[HAND_EXPORT]
    # every other dataset was still fetched
    for source in load_registry().values():
        if has_live_source(source):
            assert lines[source.id].startswith(f"{source.id}: fetched:")
    assert f"error: could not fetch {HAND_EXPORT}" in captured.err
    assert not snapshot_dir(HAND_EXPORT).exists()


def test_one_failure_does_not_stop_the_others_and_keeps_its_snapshot(
        server: MirrorServer, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = ["duo-wo-2019", "duo-hbo-2018", "cbs-83582NED"]
    assert cli.main(["fetch", *_live_args(server), *names]) == 0
    before = read_manifest("duo-wo-2019")
    capsys.readouterr()
    server.set_faults(FaultPlan([FaultRule("status", match="wo-2019", times=None, status_code=503)]))
    assert cli.main(["fetch", *_live_args(server), *names]) == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert lines["duo-wo-2019"].startswith("duo-wo-2019: failed:") and "503" in lines["duo-wo-2019"]
    assert lines["duo-hbo-2018"].startswith("duo-hbo-2018: fetched:")
    assert lines["cbs-83582NED"].startswith("cbs-83582NED: fetched:")
    assert "fetch: 2 fetched, 0 kept, 1 failed" in captured.out
    assert "error: could not fetch duo-wo-2019" in captured.err and "untouched" in captured.err
    assert read_manifest("duo-wo-2019") == before


def test_hand_export_named_explicitly_live_is_a_failure_with_the_export_steps(project: Path) -> None:
    (outcome,) = refresh([HAND_EXPORT], progress=False)
    assert outcome.failed and "interactive StatLine export" in outcome.message
    assert "fetch --mirror DIR" in outcome.message


def test_mirror_fetch_with_and_without_names(mirror_dir: Path, project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    registry = load_registry()
    assert cli.main(["fetch", "--mirror", str(mirror_dir), "--quiet"]) == 0
    lines = _lines(capsys.readouterr().out)
    assert sorted(lines) == sorted(registry)  # hand exports included: the mirror has them
    assert all(": fetched: mirror from " in line for line in lines.values())
    first = {name: read_manifest(name) for name in registry}

    # by name (dataset id or CBS table id), the others untouched; a name given twice is fetched once
    assert cli.main(["fetch", "--mirror", str(mirror_dir), "--quiet", "81402ned", HAND_EXPORT, "duo-wo-2019"]) == 0
    out = capsys.readouterr().out
    assert sorted(_lines(out)) == [HAND_EXPORT, "duo-wo-2019"] and "fetch: 2 fetched, 0 kept, 0 failed" in out
    for name in registry:
        if name in (HAND_EXPORT, "duo-wo-2019"):  # re-fetched: the same files again
            assert read_manifest(name)["files"] == first[name]["files"]
        else:
            assert read_manifest(name) == first[name]


def test_mirror_without_a_dataset_reports_it_and_fetches_the_rest(mirror_dir: Path, tmp_path: Path,
                                                                  project: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # a folder holding only the hand export, as a user who exported it would make
    partial = tmp_path / "export"
    target = partial / load_registry()[HAND_EXPORT].mirror_path
    target.parent.mkdir(parents=True)
    target.write_bytes((mirror_dir / load_registry()[HAND_EXPORT].mirror_path).read_bytes())
    assert cli.main(["fetch", "--mirror", str(partial), "--quiet", HAND_EXPORT]) == 0
    assert read_manifest(HAND_EXPORT)["origin"] == load_registry()[HAND_EXPORT].mirror_path
    capsys.readouterr()
    assert cli.main(["fetch", "--mirror", str(partial), "--quiet", HAND_EXPORT, "duo-wo-2019"]) == 1
    lines = _lines(capsys.readouterr().out)
    assert lines[HAND_EXPORT].startswith(f"{HAND_EXPORT}: fetched:")
    assert lines["duo-wo-2019"].startswith("duo-wo-2019: failed:") and "the mirror has no file" in lines["duo-wo-2019"]
