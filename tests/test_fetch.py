"""Fetch step: the mirror path, and bad input that must give a clear error and lose no data."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import cli
from analysis.errors import FetchError
from analysis.sources.cbs import CbsLayoutError, read_statline_csv
from analysis.sources.encoding import EncodingMismatchError
from analysis.sources.fetch import fetch
from analysis.sources.registry import UnknownSourceError, get_source, load_registry
from analysis.sources.snapshot import sha256_of, verify_snapshot

FIXTURES = Path(__file__).parent / "fixtures"


def test_registry_has_what_every_dataset_needs() -> None:
    registry = load_registry()
    assert {"cbs-83582NED", "cbs-81402ned", "duo-hbo-2019", "duo-wo-2019"} <= registry.keys()
    for source in registry.values():
        assert source.licence and source.attribution and source.mirror_path and source.required_columns
        assert source.url or source.kind == "manual-export"


def test_unknown_table_lists_valid_choices() -> None:
    with pytest.raises(UnknownSourceError, match=r"unknown dataset or table id '99999NED'; registered: cbs-83582NED"):
        get_source("99999NED")


def test_cli_unknown_table_exits_2_with_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["fetch", "99999NED", "--mirror", str(FIXTURES)]) == 2
    assert "registered: cbs-83582NED" in capsys.readouterr().err


def test_mirror_import_copies_bytes_and_records_hashes(mirror_dir: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (manifest,) = fetch(["83582NED"], mirror=mirror_dir, raw_root=raw, progress=False)
    assert manifest["mode"] == "mirror" and manifest["origin"] == "cbs/83582NED"
    assert manifest["source"]["licence"] == "CC BY 4.0"
    by_name = {f["name"]: f["sha256"] for f in manifest["files"]}
    assert by_name["TypedDataSet.json"] == sha256_of(mirror_dir / "cbs/83582NED/TypedDataSet.json")
    verify_snapshot("cbs-83582NED", raw)


def test_no_network_says_how_to_use_a_mirror_and_keeps_cache(mirror_dir: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    fetch(["83582NED"], mirror=mirror_dir, raw_root=raw, progress=False)
    before = verify_snapshot("cbs-83582NED", raw)["files"]
    # Port 9 (discard) is closed here: the connection is refused at once, as without network.
    with pytest.raises(FetchError, match=r"could not reach .*--mirror DIR.*previous snapshot is untouched"):
        fetch(["83582NED"], catalog_url="http://127.0.0.1:9", raw_root=raw, progress=False, timeout=2)
    assert verify_snapshot("cbs-83582NED", raw)["files"] == before


def test_missing_mirror_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="mirror folder .* does not exist"):
        fetch(["83582NED"], mirror=tmp_path / "nowhere", raw_root=tmp_path / "raw", progress=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FetchError, match="the mirror has no folder .*cbs/83582NED"):
        fetch(["83582NED"], mirror=empty, raw_root=tmp_path / "raw", progress=False)


def test_manual_export_live_fetch_explains_the_export(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="interactive StatLine export.*met statistische symbolen"):
        fetch(["81402ned"], raw_root=tmp_path / "raw", progress=False)


def test_statline_csv_with_wrong_layout_names_file_and_columns() -> None:
    path = FIXTURES / "statline_wrong_layout.csv"
    with pytest.raises(CbsLayoutError, match=r"statline_wrong_layout\.csv.*missing column\(s\) \['Regio', 'Periode'\]"):
        read_statline_csv(path, "iso-8859-1", ("SBI", "Regio", "Periode", "Banen van werknemers"))


def test_statline_csv_in_wrong_encoding_names_file() -> None:
    path = FIXTURES / "statline_latin1.csv"
    with pytest.raises(EncodingMismatchError, match=r"statline_latin1\.csv: not utf-8 as the registry"):
        read_statline_csv(path, "utf-8", ("SBI",))
    frame = read_statline_csv(path, "iso-8859-1", ("SBI", "Regio", "Periode", "Banen van werknemers"))
    assert frame.loc[0, "SBI"] == "G-N Commerciële dienstverlening"
