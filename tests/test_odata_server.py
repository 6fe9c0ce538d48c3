"""The loopback mirror server (tests/odata_server.py) against the real cbsodata client and requests.

Real-data tests read ../shared/data through the ``mirror_dir`` fixture; the others build a tiny
synthetic mirror in tmp_path, so that filter, paging and fault behaviour is tested everywhere.
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from odata_server import FaultPlan, FaultRule, FilterError, compile_filter, serve_mirror

TABLE = "83582NED"
CBS_FILTER = "startswith(RegioS,'CR')"
CONNECTION_FAILURES = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


def _get_all(url: str, params: dict[str, str]) -> tuple[list[dict], int]:
    """All rows of a query, following odata.nextLink the way cbsodata does; (rows, pages)."""
    rows: list[dict] = []
    pages = 0
    next_url: str | None = url
    while next_url is not None:
        response = requests.get(next_url, params=params, timeout=10)
        response.raise_for_status()
        doc = response.json()
        rows.extend(doc["value"])
        pages += 1
        next_url, params = doc.get("odata.nextLink"), {}
    return rows, pages


# --- a tiny synthetic mirror ------------------------------------------------------------------

REGIONS = {"GM0153": "Enschede", "GM1735": "'s-Hertogenbosch", "CR12  ": "Twente (CR)",
           "CR13  ": "Overig Overijssel (CR)", "NL01  ": "Nederland"}
PERIODS = ["2019JJ00", "2020JJ00", "2021JJ00", "2022JJ00"]


def _tiny_rows() -> list[dict]:
    rows = []
    for i, (region, period) in enumerate((r, p) for r in REGIONS for p in PERIODS):
        value = None if i % 7 == 3 else round(10.5 * i, 1)
        rows.append({"ID": i, "RegioS": region, "Perioden": period, "Banen_1": value})
    return rows


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    mirror = tmp_path / "mirror"
    table = mirror / "cbs" / "99999TST"
    table.mkdir(parents=True)
    files = {
        "TypedDataSet": _tiny_rows(),
        "TableInfos": [{"Identifier": "99999TST", "Title": "Test table"}],
        "DataProperties": [
            {"ID": 0, "Key": "RegioS", "Type": "GeoDimension"},
            {"ID": 1, "Key": "Perioden", "Type": "TimeDimension"},
            {"ID": 2, "Key": "Banen_1", "Type": "Topic", "Decimals": 1},
        ],
        "RegioS": [{"Key": k, "Title": t} for k, t in REGIONS.items()],
        "Perioden": [{"Key": p, "Title": p[:4]} for p in PERIODS],
    }
    for name, rows in files.items():
        (table / f"{name}.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    (mirror / "cbs" / "81402ned").mkdir()
    (mirror / "cbs" / "81402ned" / "export.csv").write_bytes("Regio;Waarde\r\nFryslân;1\r\n"
                                                            .encode("latin-1"))
    (mirror / "duo").mkdir()
    (mirror / "duo" / "ingeschrevenen.csv").write_bytes(b"\xef\xbb\xbfA;B\r\n1;2\n3;4")
    (tmp_path / "secret.txt").write_text("outside the mirror")
    return mirror


def _url(server, entity_set: str = "", table: str = "99999TST") -> str:
    return server.table_url(table, entity_set)


# --- real data: the cbsodata client against the offline mirror ---------------------------------


@pytest.mark.mirror
def test_cbsodata_download_reproduces_every_entity_set(mirror_dir: Path, tmp_path: Path) -> None:
    source = mirror_dir / "cbs" / TABLE
    page_size = 4000
    with serve_mirror(mirror_dir, page_size=page_size) as server, \
            server.cbsodata_client() as cbsodata:
        cbsodata.download_data(TABLE, dir=str(tmp_path / "out"), filters=CBS_FILTER)
        data_requests = [r for r in server.requests if "/TypedDataSet?" in r]

    written = sorted(p.name for p in (tmp_path / "out").glob("*.json"))
    assert written == sorted(p.name for p in source.glob("*.json"))
    for name in written:
        expected = json.loads((source / name).read_text(encoding="utf-8"))
        got = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        assert got == expected, f"{name} differs from the mirror"

    rows = len(json.loads((source / "TypedDataSet.json").read_text(encoding="utf-8")))
    assert len(data_requests) == math.ceil(rows / page_size) > 1  # paging was exercised
    assert all(f"$filter={CBS_FILTER}" in r for r in data_requests)
    assert [r.rsplit("$skip=", 1)[1] for r in data_requests[1:]] == \
        [str(n) for n in range(page_size, rows, page_size)]


@pytest.mark.mirror
def test_cbsodata_typed_true_gets_untyped_strings(mirror_dir: Path) -> None:
    with serve_mirror(mirror_dir) as server, server.cbsodata_client() as cbsodata:
        data = cbsodata.download_data(TABLE.lower(), typed=True,
                                      filters="RegioS eq 'CR12  ' and Perioden eq '2016JJ00'")
    assert "TypedDataSet" not in data
    untyped = data["UntypedDataSet"]
    assert len(untyped) == 28
    assert all(isinstance(r["BanenVanWerknemersInDecember_1"], str) for r in untyped)
    section_c = [r for r in untyped if r["BedrijfstakkenBranchesSBI2008"] == "307500 "]
    assert section_c and section_c[0]["BanenVanWerknemersInDecember_1"] == "."  # suppressed


FILTERS: list[tuple[str, Callable[[dict], bool]]] = [
    ("(RegioS eq 'CR12  ') and (Perioden eq '2016JJ00')",
     lambda r: r["RegioS"] == "CR12  " and r["Perioden"] == "2016JJ00"),
    ("startswith(RegioS,'CR1') and not (Perioden eq '2010JJ00' or Perioden eq '2011JJ00')",
     lambda r: r["RegioS"].startswith("CR1") and r["Perioden"] not in ("2010JJ00", "2011JJ00")),
    ("RegioS eq 'CR12  ' or RegioS eq 'CR13  ' and Perioden eq '2020JJ00'",  # and binds tighter
     lambda r: r["RegioS"] == "CR12  " or (r["RegioS"] == "CR13  " and r["Perioden"] == "2020JJ00")),
    ("BanenVanWerknemersInDecember_1 eq null and trim(RegioS) eq 'CR12'",
     lambda r: r["BanenVanWerknemersInDecember_1"] is None and r["RegioS"] == "CR12  "),
    ("ID ge 400 and ID lt 420", lambda r: 400 <= r["ID"] < 420),
    ("BanenVanWerknemersInDecember_1 gt 1000.5",
     lambda r: r["BanenVanWerknemersInDecember_1"] is not None
     and r["BanenVanWerknemersInDecember_1"] > 1000.5),
    ("substringof('T0', BedrijfstakkenBranchesSBI2008) and endswith(RegioS,'9  ')",
     lambda r: "T0" in r["BedrijfstakkenBranchesSBI2008"] and r["RegioS"].endswith("9  ")),
    ("not startswith(RegioS,'CR') ", lambda r: False),
]


@pytest.mark.mirror
def test_filters_return_exactly_the_matching_rows(mirror_dir: Path) -> None:
    everything = json.loads((mirror_dir / "cbs" / TABLE / "TypedDataSet.json").read_text("utf-8"))
    with serve_mirror(mirror_dir, page_size=2500) as server:
        for text, predicate in FILTERS:
            rows, _ = _get_all(_url(server, "TypedDataSet", TABLE),
                               {"$format": "json", "$filter": text})
            expected = [r for r in everything if predicate(r)]
            assert rows == expected, text
        with server.cbsodata_client() as cbsodata:
            data = cbsodata.download_data(TABLE, filters=FILTERS[0][0])
    twente_2016 = data["TypedDataSet"]
    assert twente_2016 == [r for r in everything if FILTERS[0][1](r)]
    assert len(twente_2016) == 28  # one row per SBI key


@pytest.mark.mirror
def test_plain_files_are_byte_identical(mirror_dir: Path) -> None:
    files = sorted(p for p in mirror_dir.rglob("*") if p.is_file())
    assert any(p.suffix == ".csv" for p in files)
    with serve_mirror(mirror_dir) as server:
        for path in files:
            response = requests.get(server.file_url(path.relative_to(mirror_dir)), timeout=10)
            assert response.status_code == 200, path
            assert response.content == path.read_bytes(), path
            assert response.headers["Content-Length"] == str(path.stat().st_size)
            if path.suffix == ".csv":
                assert response.headers["Content-Type"] == "text/csv"


@pytest.mark.mirror
def test_unknown_table_is_a_404_for_cbsodata(mirror_dir: Path) -> None:
    with serve_mirror(mirror_dir) as server, server.cbsodata_client() as cbsodata:
        with pytest.raises(requests.HTTPError, match="404"):
            cbsodata.download_data("99999NED")
        response = requests.get(_url(server, "", "99999NED"), params={"$format": "json"})
        assert cbsodata.get_meta(TABLE.lower(), "Perioden")[0]["Key"] == "2010JJ00"
    assert response.status_code == 404
    assert "99999NED" in response.json()["odata.error"]["message"]["value"]


# --- the OData surface, on a tiny synthetic mirror ---------------------------------------------


def test_service_root_lists_every_entity_set_and_both_data_sets(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server:
        assert server.tables == ["99999TST"]  # the CSV-only folder is not an OData table
        doc = requests.get(_url(server, "", "99999tst"), params={"$format": "json"}).json()
    names = [entry["name"] for entry in doc["value"]]
    assert names == ["TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties", "RegioS",
                     "Perioden"]
    assert doc["value"][2]["url"] == f"{server.base_url}/ODataFeed/odata/99999TST/TypedDataSet"
    assert doc["odata.metadata"].endswith("/ODataFeed/odata/99999TST/$metadata")


def test_paging_select_top_skip_and_next_link_encoding(tiny_mirror: Path) -> None:
    rows = _tiny_rows()
    text = "startswith(RegioS,'CR') or RegioS eq 'NL01  '"
    matching = [r for r in rows if r["RegioS"].startswith(("CR", "NL01"))]
    with serve_mirror(tiny_mirror, page_size=3) as server:
        url = _url(server, "TypedDataSet")
        params = {"$format": "json", "$filter": text, "$select": "ID,Banen_1",
                  "$skip": "2", "$top": "7"}
        first = requests.get(url, params=params).json()
        got, pages = _get_all(url, params)
        everything, all_pages = _get_all(url, {"$format": "json"})
        counted = requests.get(url, params={"$format": "json", "$inlinecount": "allpages",
                                            "$filter": text, "$top": "1"}).json()
    next_link = first["odata.nextLink"]
    assert next_link.startswith(f"{url}?$format=json&")
    assert "RegioS%20eq%20'NL01%20%20'" in next_link and " " not in next_link
    assert next_link.endswith("&$select=ID,Banen_1&$top=4&$skip=5")
    assert pages == 3
    assert got == [{"ID": r["ID"], "Banen_1": r["Banen_1"]} for r in matching[2:9]]
    assert everything == rows and all_pages == math.ceil(len(rows) / 3)
    assert counted["odata.count"] == str(len(matching)) and len(counted["value"]) == 1


def test_untyped_data_set_has_string_measures(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server:
        untyped, _ = _get_all(_url(server, "UntypedDataSet"), {"$format": "json"})
    typed = _tiny_rows()
    assert [r["ID"] for r in untyped] == [r["ID"] for r in typed]
    for u, t in zip(untyped, typed, strict=True):
        assert u["RegioS"] == t["RegioS"]
        assert u["Banen_1"] == ("." if t["Banen_1"] is None else f"{t['Banen_1']:.1f}")


def test_filter_on_a_code_list_with_quote_escape(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server:
        rows, _ = _get_all(_url(server, "RegioS"),
                           {"$format": "json", "$filter": "Title eq '''s-Hertogenbosch'"})
    assert rows == [{"Key": "GM1735", "Title": "'s-Hertogenbosch"}]


@pytest.mark.parametrize("text", [
    "RegioS eq",                       # incomplete
    "RegioS eq 'CR12",                 # unterminated string
    "RegioS = 'CR12  '",               # not OData
    "Nope eq 'x'",                     # unknown column
    "Perioden eq 2016",                # type mismatch
    "not RegioS eq 'CR12  '",          # not binds tighter than eq: not on a string
    "contains(RegioS,'CR')",           # OData v4 function
    "startswith(RegioS)",              # wrong arity
    "RegioS/Key eq 'x'",               # navigation
    "(RegioS eq 'CR12  '",             # unbalanced
    "RegioS",                          # not boolean
    "Banen_1 add 1 gt 2",              # arithmetic
    "",                                # empty
])
def test_unsupported_filters_are_400_with_odata_error(tiny_mirror: Path, text: str) -> None:
    with serve_mirror(tiny_mirror) as server:
        response = requests.get(_url(server, "TypedDataSet"),
                                params={"$format": "json", "$filter": text})
    assert response.status_code == 400, text
    assert response.json()["odata.error"]["message"]["value"]


@pytest.mark.parametrize(("entity_set", "params", "status"), [
    ("TypedDataSet", {"$format": "json", "$select": "ID,Nope"}, 400),
    ("TypedDataSet", {"$format": "json", "$orderby": "ID"}, 400),
    ("TypedDataSet", {"$format": "json", "$top": "-1"}, 400),
    ("TypedDataSet", {"$format": "atom"}, 400),
    ("TypedDataSet", {}, 406),
    ("typeddataset", {"$format": "json"}, 404),
    ("TypedDataSet(1)", {"$format": "json"}, 404),
    ("$metadata", {"$format": "json"}, 501),
])
def test_bad_requests_get_odata_errors(tiny_mirror: Path, entity_set: str,
                                       params: dict[str, str], status: int) -> None:
    with serve_mirror(tiny_mirror) as server:
        response = requests.get(_url(server, entity_set), params=params)
    assert response.status_code == status
    assert "odata.error" in response.json()


def test_compile_filter_directly() -> None:
    columns = {"A": "string", "N": "number", "Z": "null"}
    keep = compile_filter("(A eq 'x' or N gt 2) and not (Z ne null)", columns)
    assert keep({"A": "x", "N": 0, "Z": None}) and keep({"A": "y", "N": 3, "Z": None})
    assert not keep({"A": "y", "N": 2, "Z": None}) and not keep({"A": "x", "N": 0, "Z": 1})
    assert compile_filter("N lt 5", columns)({"A": "", "N": None, "Z": None}) is False
    with pytest.raises(FilterError, match="No property 'B'"):
        compile_filter("B eq 1", columns)


def test_cbsodata_catalog_and_odataapi_route(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server, server.cbsodata_client() as cbsodata:
        tables = cbsodata.get_table_list()
        api = requests.get(server.table_url("99999TST", "Perioden", api="ODataApi"),
                           params={"$format": "json"}).json()
    assert tables == [{"Identifier": "99999TST", "Title": "Test table"}]
    assert [r["Key"] for r in api["value"]] == PERIODS


# --- plain files --------------------------------------------------------------------------------


def test_files_are_served_unchanged_and_confined_to_the_mirror(tiny_mirror: Path) -> None:
    with serve_mirror(tiny_mirror) as server:
        for relative in ("duo/ingeschrevenen.csv", "cbs/81402ned/export.csv"):
            response = requests.get(server.file_url(relative))
            assert response.content == (tiny_mirror / relative).read_bytes()
            assert response.headers["Content-Type"] == "text/csv"
        head = requests.head(server.file_url("duo/ingeschrevenen.csv"))
        assert head.status_code == 200 and head.content == b""
        assert head.headers["Content-Length"] == str((tiny_mirror / "duo/ingeschrevenen.csv")
                                                     .stat().st_size)
        statuses = []
        for target in ("/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/duo",
                       "/files/duo/missing.csv", "/files//etc/passwd"):
            conn = http.client.HTTPConnection(server.host_port, timeout=5)
            conn.request("GET", target)
            statuses.append(conn.getresponse().status)
            conn.close()
    assert statuses == [404] * 5


# --- fault injection ----------------------------------------------------------------------------


def test_status_fault_fails_cbsodata_then_recovers(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("status", match="TypedDataSet", status_code=500, times=2)])
    with serve_mirror(tiny_mirror, faults=plan) as server, server.cbsodata_client() as cbsodata:
        for _ in range(2):
            with pytest.raises(requests.HTTPError, match="500"):
                cbsodata.download_data("99999TST")
        data = cbsodata.download_data("99999TST")
        statuses = [r.status for r in server.records if "TypedDataSet" in r.path]
    assert data["TypedDataSet"] == _tiny_rows()
    assert plan.fired() == [2] and plan.exhausted()
    assert statuses == [500, 500, 200]


def test_status_429_with_retry_after_on_a_later_page_only(tiny_mirror: Path) -> None:
    rule = FaultRule("status", match=r"\$skip=\d+", regex=True, status_code=429,
                     headers={"Retry-After": "1"}, times=None)
    with serve_mirror(tiny_mirror, page_size=5, faults=FaultPlan([rule])) as server:
        first = requests.get(_url(server, "TypedDataSet"), params={"$format": "json"})
        second = requests.get(first.json()["odata.nextLink"])
        again = requests.get(first.json()["odata.nextLink"])
    assert first.status_code == 200
    assert second.status_code == again.status_code == 429
    assert second.headers["Retry-After"] == "1"
    assert rule.fired == 2


def test_truncate_gives_incomplete_read_then_recovers(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("truncate", match="TypedDataSet", fraction=0.3)])
    with serve_mirror(tiny_mirror, faults=plan) as server, server.cbsodata_client() as cbsodata:
        with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
            requests.get(_url(server, "TypedDataSet"), params={"$format": "json"})
        assert cbsodata.download_data("99999TST")["TypedDataSet"] == _tiny_rows()
    assert plan.fired() == [1]


def test_truncate_with_short_length_gives_invalid_json(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("truncate", match="TypedDataSet", full_length=False)])
    with serve_mirror(tiny_mirror, faults=plan) as server, server.cbsodata_client() as cbsodata:
        response = requests.get(_url(server, "TypedDataSet"), params={"$format": "json"})
        assert response.status_code == 200
        assert len(response.content) == int(response.headers["Content-Length"]) > 0
        with pytest.raises(requests.JSONDecodeError):
            response.json()
        plan.add(FaultRule("truncate", match="TypedDataSet", full_length=False))
        with pytest.raises(json.JSONDecodeError):
            cbsodata.download_data("99999TST")
        assert cbsodata.download_data("99999TST")["TypedDataSet"] == _tiny_rows()
    assert plan.fired() == [1, 1]


def test_reset_mid_body_and_before_headers(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("reset", match="TypedDataSet", fraction=0.5)])
    with serve_mirror(tiny_mirror, faults=plan) as server, server.cbsodata_client() as cbsodata:
        url = _url(server, "TypedDataSet")
        with pytest.raises(CONNECTION_FAILURES):
            requests.get(url, params={"$format": "json"})
        server.set_faults(FaultPlan([FaultRule("reset", match="RegioS", before_headers=True)]))
        with pytest.raises(requests.ConnectionError):
            cbsodata.download_data("99999TST")
        assert requests.get(url, params={"$format": "json"}).json()["value"] == _tiny_rows()
        assert server.faults.fired() == [1]
        reset_records = [r for r in server.records if r.faults == ["reset"]]
    assert plan.fired() == [1]
    assert len(reset_records) == 2 and reset_records[1].status is None


def test_drop_column_removes_it_from_every_row_then_recovers(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("drop_column", match="TypedDataSet", column="Banen_1")])
    with serve_mirror(tiny_mirror, faults=plan) as server, server.cbsodata_client() as cbsodata:
        broken = cbsodata.download_data("99999TST")["TypedDataSet"]
        fine = cbsodata.download_data("99999TST")["TypedDataSet"]
        server.set_faults(FaultPlan([FaultRule("drop_column", match="TypedDataSet",
                                               column="RegioS", times=None)]))
        server.page_size = 4
        paged, pages = _get_all(_url(server, "TypedDataSet"), {"$format": "json"})
    assert len(broken) == len(_tiny_rows()) and all("Banen_1" not in r for r in broken)
    assert all(set(r) == {"ID", "RegioS", "Perioden"} for r in broken)
    assert fine == _tiny_rows()
    assert pages == 5 and all("RegioS" not in r for r in paged) and len(paged) == 20


def test_delay_makes_a_client_time_out_then_recovers(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("delay", match="Perioden", seconds=1.0)])
    with serve_mirror(tiny_mirror, faults=plan) as server:
        url = _url(server, "Perioden")
        with pytest.raises(requests.Timeout):
            requests.get(url, params={"$format": "json"}, timeout=0.2)
        started = time.monotonic()
        response = requests.get(url, params={"$format": "json"}, timeout=5)
        elapsed = time.monotonic() - started
    assert response.status_code == 200 and elapsed < 0.5
    assert plan.fired() == [1]


def test_only_the_first_terminal_rule_fires_delay_combines(tiny_mirror: Path) -> None:
    plan = FaultPlan([
        FaultRule("delay", match="", seconds=0.01, times=None),
        FaultRule("status", match="RegioS", status_code=503),
        FaultRule("reset", match="RegioS"),
    ])
    with serve_mirror(tiny_mirror, faults=plan) as server:
        url = _url(server, "RegioS")
        statuses = [requests.get(url, params={"$format": "json"}).status_code]
        with pytest.raises(CONNECTION_FAILURES):
            requests.get(url, params={"$format": "json"})
        statuses.append(requests.get(url, params={"$format": "json"}).status_code)
    assert statuses == [503, 200]
    assert plan.fired() == [3, 1, 1]


def test_fault_counts_are_exact_under_concurrency(tiny_mirror: Path) -> None:
    plan = FaultPlan([FaultRule("status", match="Perioden", status_code=500, times=5)])
    with serve_mirror(tiny_mirror, faults=plan) as server:
        url = _url(server, "Perioden")
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(
                lambda _: requests.get(url, params={"$format": "json"}, timeout=5).status_code,
                range(30)))
        assert len(server.requests) == 30
    assert sorted(statuses) == [200] * 25 + [500] * 5
    assert plan.fired() == [5]


def test_invalid_fault_rules_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultRule("explode")
    with pytest.raises(ValueError, match="column"):
        FaultRule("drop_column")
    with pytest.raises(ValueError, match="fraction"):
        FaultRule("truncate", fraction=1.5)


# --- lifecycle ----------------------------------------------------------------------------------


def test_quiet_and_clean_shutdown(tiny_mirror: Path, capfd: pytest.CaptureFixture[str]) -> None:
    threads_before = threading.active_count()
    plan = FaultPlan([FaultRule("delay", match="Perioden", seconds=30),
                      FaultRule("reset", match="RegioS", times=None)])
    with serve_mirror(tiny_mirror, faults=plan) as server:
        port_url = server.base_url
        session = requests.Session()  # leaves a keep-alive connection open
        assert session.get(_url(server, "TableInfos"), params={"$format": "json"}).ok
        with pytest.raises(CONNECTION_FAILURES):
            requests.get(_url(server, "RegioS"), params={"$format": "json"})
        requests.get(server.base_url + "/nowhere")
        with pytest.raises(requests.Timeout):  # its handler thread is still sleeping
            requests.get(_url(server, "Perioden"), params={"$format": "json"}, timeout=0.1)
        started = time.monotonic()
    assert time.monotonic() - started < 3  # the 30 s delay and the idle connection were cut
    assert threading.active_count() <= threads_before
    with pytest.raises(requests.ConnectionError):
        requests.get(port_url + "/", timeout=2)
    session.close()
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


# --- label-layout tables (cbsodata.get_data's layout written as CSV) ---------------------------------

LABEL_CSV = (
    "ID;BedrijfstakkenBranchesSBI2008;Perioden;TotaalAantalBanen_1\n"
    "0;28 Machine-industrie;2011 december;76.9\n"
    "1;28 Machine-industrie;2011 december ;77.12\n"  # a trailing blank: another title
    "2;28 Machine-industrie;2012 december;77.4\n"
    "3;28 Machine-industrie;2012 december;\n"  # not published: empty
)


def test_label_table_served_with_keys_and_code_lists(tmp_path: Path) -> None:
    folder = tmp_path / "cbs" / "T9"
    folder.mkdir(parents=True)
    (folder / "T9.csv").write_text(LABEL_CSV, encoding="utf-8-sig")
    with serve_mirror(tmp_path, page_size=2) as server, server.cbsodata_client() as cbsodata:
        records = cbsodata.get_data("T9")
        periods = cbsodata.get_meta("T9", "Perioden")
    # every key swapped back for its title; "2012 december" twice stays two records (two keys)
    assert [(r["Perioden"], r["TotaalAantalBanen_1"]) for r in records] == [
        ("2011 december", 76.9), ("2011 december ", 77.12), ("2012 december", 77.4), ("2012 december", None)]
    assert [p["Title"] for p in periods] == ["2011 december", "2011 december ", "2012 december", "2012 december"]
    assert len({p["Key"] for p in periods}) == 4
    assert sum("TypedDataSet" in r for r in server.requests) == 2  # 4 records in pages of 2
