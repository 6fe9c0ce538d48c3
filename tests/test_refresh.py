"""A live refresh that completes (`make data MIRROR=`): every dataset with a live source is fetched,
hand exports keep their last good snapshot (and the output says how to import a new one), one failure
does not stop the others, and the exit code says whether something that should have been fetched failed.

The live services are the loopback OData v3 / file server of odata_server.py serving the real mirror.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli
from analysis.processing.tables import get_table
from analysis.sources.fetch import has_live_source, refresh
from analysis.sources.registry import Source, load_registry
from analysis.sources.snapshot import read_manifest, snapshot_dir
from odata_server import FaultPlan, FaultRule, MirrorServer, serve_mirror

pytestmark = pytest.mark.mirror

COMMITTED = Path(__file__).parents[1] / "data" / "processed"
HAND_EXPORT = "cbs-81402ned"
EARLIER_RELEASE = "cbs-83582NED-2025-04-22"


def _odata_tables(source: Source, mirror_dir: Path, folder: Path) -> None:
    """A label-layout CSV of the mirror -> the entity sets ``cbsodata.download_data`` reads (keys and
    code lists), so that ``cbsodata.get_data``, which swaps each key for its title, gives its records
    back. Two keys with one title (81497NED's periods) stay two keys: the k-th record of a title within
    the other dimensions gets the k-th key."""
    dims = list(source.dimensions)
    frame = pd.read_csv(mirror_dir / source.mirror_path, sep=";", encoding="utf-8-sig", dtype=dict.fromkeys(dims, str),
                        keep_default_na=False, na_values=[""])
    folder.mkdir(parents=True)
    for dim in dims:
        occurrence = frame.groupby([*(d for d in dims if d != dim), dim], sort=False).cumcount()
        pairs = list(dict.fromkeys(zip(frame[dim], occurrence, strict=True)))
        keys = {pair: f"K{number:04d}" for number, pair in enumerate(pairs)}
        (folder / f"{dim}.json").write_text(json.dumps([{"Key": keys[p], "Title": p[0]} for p in pairs]))
        frame[dim] = [keys[p] for p in zip(frame[dim], occurrence, strict=True)]
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    (folder / "TypedDataSet.json").write_text(json.dumps(records))
    properties = [{"Key": d, "Type": "TimeDimension" if d == "Perioden" else "Dimension"} for d in dims]
    properties += [{"Key": c, "Type": "Topic", "Decimals": None} for c in frame.columns if c not in dims and c != "ID"]
    (folder / "DataProperties.json").write_text(json.dumps(properties))
    (folder / "TableInfos.json").write_text(json.dumps([{"ID": 0, "Identifier": source.table_id,
                                                         "Title": source.title}]))


@pytest.fixture(scope="module")
def live_mirror(mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the CBS service would serve: 83582NED as in the mirror, and every label-layout table with a
    live source in the OData layout (made from the mirror's label files, read in place)."""
    root = tmp_path_factory.mktemp("live")
    (root / "cbs").mkdir()
    (root / "cbs" / "83582NED").symlink_to(mirror_dir / "cbs" / "83582NED")
    for source in load_registry().values():
        if source.kind == "cbs-odata3-labels" and has_live_source(source):
            _odata_tables(source, mirror_dir, root / "cbs" / source.table_id)
    return root


@dataclass
class Services:
    cbs: MirrorServer  # the CBS OData v3 feed
    files: MirrorServer  # DUO's files

    def set_faults(self, plan: FaultPlan) -> None:
        self.cbs.set_faults(plan)
        self.files.set_faults(plan)


@pytest.fixture()
def server(live_mirror: Path, mirror_dir: Path) -> Iterator[Services]:
    with serve_mirror(live_mirror, page_size=5000) as cbs, serve_mirror(mirror_dir) as files:
        yield Services(cbs, files)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project root: data/raw and data/processed of the CLI land here."""
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(tmp_path))
    monkeypatch.delenv("TWENTE_CLAIMS_MIRROR", raising=False)
    return tmp_path


def _live_args(server: Services) -> list[str]:
    return ["--catalog-url", server.cbs.base_url, "--base-url", f"{server.files.base_url}/files", "--quiet",
            "--timeout", "10"]


def _lines(output: str) -> dict[str, str]:
    """dataset id -> its report line (``<id>: <status>: <message>``)."""
    ids = set(load_registry())
    return {line.split(":", 1)[0]: line for line in output.splitlines() if line.split(":", 1)[0] in ids}


def _kept_ids() -> list[str]:
    return [s.id for s in load_registry().values() if not has_live_source(s)]


def test_registry_has_datasets_without_live_source() -> None:
    # the refresh below is only meaningful if both kinds exist
    assert _kept_ids() == [HAND_EXPORT, EARLIER_RELEASE]
    assert len(load_registry()) - len(_kept_ids()) >= 7


def _with_live_vintages(frame: pd.DataFrame, renamed: dict[tuple[str, str], str]) -> pd.DataFrame:
    """The committed rows as a live refresh gives them: a CBS table fetched live carries the day of the
    fetch as its release instead of the mirror copy's label (nothing else changes: same records)."""
    if "vintage" not in frame:
        return frame
    pairs = pd.Series(list(zip(frame["source_table"], frame["vintage"], strict=True)), index=frame.index)
    return frame.assign(vintage=pairs.map(renamed).fillna(frame["vintage"]))


def _sorted(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame.sort_values(list(get_table(name).key), kind="mergesort").reset_index(drop=True)


def test_live_refresh_keeps_what_has_no_live_source_and_builds(server: Services, mirror_dir: Path, project: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # the datasets without live source were imported once, as the kept message says to
    assert cli.main(["fetch", "--mirror", str(mirror_dir), "--quiet", *_kept_ids()]) == 0
    imported = {name: read_manifest(name) for name in _kept_ids()}
    capsys.readouterr()

    assert cli.main(["fetch", *_live_args(server)]) == 0
    out = capsys.readouterr().out
    lines = _lines(out)
    live = [s.id for s in load_registry().values() if has_live_source(s)]
    assert sorted(lines) == sorted(load_registry())
    for dataset in live:
        assert lines[dataset].startswith(f"{dataset}: fetched: live from http://127.0.0.1:"), lines[dataset]
        assert read_manifest(dataset)["mode"] == "live"
    for dataset in _kept_ids():
        assert lines[dataset].startswith(f"{dataset}: kept: no live source (")
        assert imported[dataset]["retrieved_at"] in lines[dataset]
        assert f"`python -m analysis fetch --mirror DIR {dataset}`" in lines[dataset]
        assert read_manifest(dataset) == imported[dataset]  # the snapshot was not touched
    assert "(hand export only)" in lines[HAND_EXPORT] and "an earlier release of 83582NED" in lines[EARLIER_RELEASE]
    assert f"fetch: {len(live)} fetched, 2 kept, 0 failed" in out

    assert cli.main(["build"]) == 0
    built = project / "data" / "processed"
    manifest = json.loads((built / "manifest.json").read_text())
    release = {r["dataset_id"]: r.get("vintage", "") for r in manifest["inputs"]}
    today = read_manifest("duo-wo-2019")["retrieved_at"][:10]
    renamed = {(load_registry()[d].table_id, load_registry()[d].vintage): release[d] for d in live
               if load_registry()[d].publisher == "CBS"}
    assert set(renamed.values()) == {today}  # a live fetch dates the release by the day it was fetched
    tables = json.loads((COMMITTED / "manifest.json").read_text())["tables"]
    assert sorted(tables) == sorted(manifest["tables"])
    for name in tables:  # the server serves the mirror: the committed tables, releases dated by the fetch
        expected = _with_live_vintages(pd.read_csv(COMMITTED / name, dtype=str, keep_default_na=False), renamed)
        got = pd.read_csv(built / name, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(_sorted(got, name), _sorted(expected, name), obj=name)
    assert (built / "enrolment.csv").read_bytes() == (COMMITTED / "enrolment.csv").read_bytes()


def test_live_refresh_without_snapshots_to_keep_fails_with_the_import_command(
        server: Services, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["fetch", *_live_args(server)]) == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    for dataset in _kept_ids():
        assert lines[dataset].startswith(f"{dataset}: failed: {dataset} has no live source")
        assert f"no snapshot of {dataset}" in lines[dataset]
        assert f"`python -m analysis fetch --mirror DIR {dataset}`" in lines[dataset]
        assert not snapshot_dir(dataset).exists()
    # every other dataset was still fetched
    for source in load_registry().values():
        if has_live_source(source):
            assert lines[source.id].startswith(f"{source.id}: fetched:")
    assert f"error: could not fetch {HAND_EXPORT}, {EARLIER_RELEASE}" in captured.err


def test_one_failure_does_not_stop_the_others_and_keeps_its_snapshot(
        server: Services, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
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
