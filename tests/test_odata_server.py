"""The loopback server (tests/odata_server.py, on pytest-httpserver) against the real clients.

A tiny synthetic mirror in tmp_path exercises the filter, paging, the v4 form and each socket fault;
one test reads the real mirror through cbsodata.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Iterator
from pathlib import Path

import cbsodata
import pytest
import requests

from odata_server import FaultPlan, FaultRule, MirrorServer, serve_mirror

REGIONS = {"NL01  ": "Nederland", "CR12  ": "Twente (CR)", "CR13  ": "Overig Overijssel (CR)", "GM0153": "Enschede"}
PERIODS = ["2019JJ00", "2020JJ00", "2021JJ00"]
# ID i holds 10.5 * i, except every fifth (i = 0, 5, 10): suppressed (null)
ROWS = [{"ID": i, "RegioS": r, "Perioden": p, "Banen_1": None if i % 5 == 0 else 10.5 * i}
        for i, (r, p) in enumerate((r, p) for r in REGIONS for p in PERIODS)]


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    table = tmp_path / "mirror" / "cbs" / "99999TST"
    table.mkdir(parents=True)
    files = {
        "TypedDataSet": ROWS,
        "TableInfos": [{"Identifier": "99999TST", "Title": "Test table"}],
        "DataProperties": [{"Key": "RegioS", "Type": "GeoDimension"}, {"Key": "Perioden", "Type": "TimeDimension"},
                           {"Key": "Banen_1", "Type": "Topic", "Title": "Banen", "Decimals": 1}],
        "RegioS": [{"Key": k, "Title": t} for k, t in REGIONS.items()],
        "Perioden": [{"Key": p, "Title": p[:4]} for p in PERIODS],
    }
    for name, rows in files.items():
        (table / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")
    (tmp_path / "mirror" / "duo").mkdir()
    (tmp_path / "mirror" / "duo" / "x.csv").write_bytes("A;B\r\nFryslân;2\n".encode("latin-1"))
    (tmp_path / "secret.txt").write_text("outside the mirror")
    return tmp_path / "mirror"


@contextlib.contextmanager
def _cbsodata(server: MirrorServer) -> Iterator[None]:
    saved = cbsodata.options.use_https
    cbsodata.options.use_https = False
    try:
        yield
    finally:
        cbsodata.options.use_https = saved


def _typed(server: MirrorServer, **params: str) -> requests.Response:
    return requests.get(f"{server.base_url}/ODataFeed/odata/99999TST/TypedDataSet",
                        params={"$format": "json", **params}, timeout=5)


def _download(server: MirrorServer, **kwargs) -> list[dict]:
    host = server.base_url.removeprefix("http://")
    with _cbsodata(server):
        return cbsodata.download_data("99999TST", catalog_url=host, **kwargs)["TypedDataSet"]


@pytest.mark.mirror
def test_cbsodata_download_with_the_registry_filter_reproduces_the_mirror(mirror_dir: Path, tmp_path: Path) -> None:
    source = mirror_dir / "cbs" / "83582NED"
    with serve_mirror(mirror_dir, page_size=4000) as server, _cbsodata(server):
        cbsodata.download_data("83582NED", dir=str(tmp_path), catalog_url=server.base_url.removeprefix("http://"),
                               filters="(RegioS eq 'NL01  ') or startswith(RegioS,'CR')")
        pages = [r for r in server.requests if "/TypedDataSet?" in r]
    for path in sorted(source.glob("*.json")):  # every row of the mirror is a CR region
        assert json.loads((tmp_path / path.name).read_text("utf-8")) == json.loads(path.read_text("utf-8")), path.name
    assert len(pages) == math.ceil(17_220 / 4000) == 5 and pages[4].endswith("$skip=16000")


def test_registry_filter_terms_and_nothing_else(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server:
        rows = _typed(server, **{"$filter": "(RegioS eq 'NL01  ') or startswith(RegioS,'CR')"}).json()["value"]
        refused = _typed(server, **{"$filter": "RegioS ne 'NL01  '"})
    assert rows == [r for r in ROWS if r["RegioS"] != "GM0153"] and len(rows) == 9
    assert refused.status_code == 400 and "understands Col eq 'v' and startswith" in refused.text


def test_paging_follows_next_links_to_every_row(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror, page_size=5) as server:
        assert _download(server) == ROWS
        pages = [r for r in server.requests if "TypedDataSet" in r]
        # 12 rows in pages of 5: 3 pages, at skip 0, 5, 10
        assert len(pages) == 3 and pages[1].endswith("$skip=5") and pages[2].endswith("$skip=10")
        assert _typed(server, **{"$skip": "10"}).json() == {
            "odata.metadata": f"{server.base_url}/ODataFeed/odata/99999TST/$metadata#Cbs.OData.WebAPI.TypedDataSet",
            "value": ROWS[10:]}


def test_v4_form_serves_cells_with_special_values_and_paging(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror, page_size=4) as server:
        base = f"{server.base_url}/odata/v1/CBS/99999TST"
        codes = requests.get(f"{base}/RegioSCodes", timeout=5).json()["value"]
        measures = requests.get(f"{base}/MeasureCodes", timeout=5).json()["value"]
        first = requests.get(f"{base}/Observations", params={"$filter": "startswith(RegioS,'CR')"}, timeout=5).json()
        server.page_size = 100
        everything = requests.get(f"{base}/Observations", timeout=5).json()["value"]
    assert [c["Identifier"] for c in codes] == ["NL01", "CR12", "CR13", "GM0153"]  # v4 codes carry no padding
    assert [(m["Identifier"], m["Title"]) for m in measures] == [("M000001", "Banen")]
    # CR rows are ids 3-8 (cell ids too: rows 0-2 each gave a cell); id 5 is null and odd: left out, as
    # v4 leaves empty cells out -> 5 cells, 2 pages
    assert [c["Value"] for c in first["value"]] == [31.5, 42.0, 63.0, 73.5]
    assert first["value"][0] == {"Id": 3, "Measure": "M000001", "ValueAttribute": "None", "Value": 31.5,
                                 "StringValue": None, "RegioS": "CR12", "Perioden": "2019JJ00"}
    assert first["@odata.nextLink"].endswith("/Observations?$filter=startswith(RegioS,'CR')&$skip=4")
    # nulls at ids 0, 5, 10: 0 and 10 (even) come as "Confidential" cells without a value
    assert [(c["ValueAttribute"], c["Value"], c["RegioS"]) for c in everything if c["Value"] is None] == [
        ("Confidential", None, "NL01"), ("Confidential", None, "GM0153")]


def test_files_are_served_unchanged_and_confined_to_the_mirror(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server:
        got = requests.get(f"{server.base_url}/files/duo/x.csv", timeout=5)
        outside = requests.get(f"{server.base_url}/files/../secret.txt", timeout=5)
        escaped = requests.get(f"{server.base_url}/files/duo/%2E%2E/%2E%2E/secret.txt", timeout=5)
    assert got.content == (tiny_mirror / "duo" / "x.csv").read_bytes() and got.headers["Content-Length"] == "15"  # 5 + 10 latin-1 bytes
    assert outside.status_code == escaped.status_code == 404


def test_status_fault_fires_twice_then_recovers(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("status", match="TypedDataSet", times=2, status_code=503,
                                headers={"Retry-After": "1"})])
    with serve_mirror(tiny_mirror, faults=plan) as server:
        answers = [_typed(server) for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 200] and answers[0].headers["Retry-After"] == "1"
    assert plan.fired() == [2]


def test_truncated_body_full_length_is_an_incomplete_read(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror, faults=FaultPlan([FaultRule("truncate", match="TypedDataSet", fraction=0.3)])) as server:
        with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
            _typed(server)
        assert _typed(server).json()["value"] == ROWS


def test_truncated_body_short_length_is_invalid_json(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("truncate", match="TypedDataSet", full_length=False)])
    with serve_mirror(tiny_mirror, faults=plan) as server:
        response = _typed(server)
        full = _typed(server)
    assert response.status_code == 200 and len(response.content) == int(response.headers["Content-Length"])
    assert len(response.content) == len(full.content) // 2  # fraction 0.5 of the whole body
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_reset_mid_body_and_before_headers(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror, faults=FaultPlan([FaultRule("reset", match="TypedDataSet")])) as server:
        with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            _typed(server)
        server.set_faults(FaultPlan([FaultRule("reset", match="TypedDataSet", before_headers=True)]))
        with pytest.raises(requests.ConnectionError, match="reset|aborted|closed"):
            _typed(server)
        assert _typed(server).json()["value"] == ROWS


def test_drop_column_on_every_page(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("drop_column", match="TypedDataSet", column="Banen_1", times=None)])
    with serve_mirror(tiny_mirror, page_size=5, faults=plan) as server:
        rows = _download(server)
    assert plan.fired() == [3] and rows == [{k: v for k, v in r.items() if k != "Banen_1"} for r in ROWS]


def test_delay_makes_a_client_time_out_then_recovers(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror, faults=FaultPlan([FaultRule("delay", match="TypedDataSet", seconds=1.0)])) as server:
        with pytest.raises(requests.Timeout):
            requests.get(f"{server.base_url}/ODataFeed/odata/99999TST/TypedDataSet", timeout=0.2)
        started = time.monotonic()
        assert _typed(server).status_code == 200 and time.monotonic() - started < 0.5


def test_label_table_served_with_keys_and_code_lists(tmp_path: Path) -> None:
    folder = tmp_path / "cbs" / "T9"
    folder.mkdir(parents=True)
    (folder / "T9.csv").write_text("ID;BedrijfstakkenBranchesSBI2008;Perioden;TotaalAantalBanen_1\n"
                                   "0;28 Machine-industrie;2011 december;76.9\n"
                                   "1;28 Machine-industrie;2011 december ;77.12\n"  # a trailing blank: another title
                                   "2;28 Machine-industrie;2012 december;77.4\n"
                                   "3;28 Machine-industrie;2012 december;\n", encoding="utf-8-sig")
    with serve_mirror(tmp_path, page_size=2) as server, _cbsodata(server):
        records = cbsodata.get_data("T9", catalog_url=server.base_url.removeprefix("http://"))
        pages = sum("TypedDataSet" in r for r in server.requests)
    # every key swapped back for its title; "2012 december" twice stays two records (two keys)
    assert [(r["Perioden"], r["TotaalAantalBanen_1"]) for r in records] == [
        ("2011 december", 76.9), ("2011 december ", 77.12), ("2012 december", 77.4), ("2012 december", None)]
    assert pages == 2  # 4 records in pages of 2


def test_unknown_table_is_a_404_naming_the_served_tables(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server:
        answer = requests.get(f"{server.base_url}/ODataFeed/odata/12345XYZ/", timeout=5)
    assert answer.status_code == 404 and "this mirror serves: 99999TST" in answer.text
