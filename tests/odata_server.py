"""A loopback server that serves the offline mirror the way CBS and DUO serve it, on pytest-httpserver.

The project's real download paths (cbsodata for CBS OData v3, analysis.sources.cbs_v4 for CBS OData
v4, plain HTTP for DUO files) run against it without network, and faults are injected on purpose at
the socket (resets, truncated bodies, 5xx answers, delays). The mirror (``../shared/data``) is read
where it lies, never copied.

Routes (``HOST`` is ``127.0.0.1:PORT``, the port chosen by the OS):

``/ODataFeed/odata/<TABLE>/``
    The v3 service root listing the table's entity sets (plus ``UntypedDataSet``, which cbsodata
    expects in the list and never downloads here); ``/<EntitySet>`` answers one page of rows with
    ``odata.nextLink`` while rows remain (``$skip`` advanced, ``$format`` and ``$filter`` repeated).
    ``<TABLE>`` is a folder of ``<mirror>/cbs/`` in the ``cbsodata.download_data`` layout (one JSON
    list per entity set) or with one CSV in the CBS label layout (served as keyed entity sets, see
    :mod:`odata_label_form`).
``/odata/v1/CBS/<TABLE>/``
    The same download-layout tables in CBS's OData v4 form (datasets.cbs.nl): ``Properties``,
    ``Dimensions``, ``MeasureCodes``, ``<Dimension>Codes`` and ``Observations`` (one cell per row,
    paged with ``@odata.nextLink``); see :mod:`odata_v4_form`.
``/files/<relative path>``
    Any mirror file, bytes unchanged, with ``Content-Length``.

``$filter`` understands only what the registry sends: terms ``Col eq 'value'`` and
``startswith(Col,'prefix')``, optionally parenthesised, joined by ``or``; anything else is a 400.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from odata_label_form import label_csv_to_entity_sets
from odata_v4_form import v4_entity

FAULT_KINDS = ("status", "truncate", "reset", "drop_column", "delay")
_TERMINAL_KINDS = ("status", "truncate", "reset")  # at most one of these fires per request
_JSON = "application/json;charset=utf-8"


class ODataError(Exception):
    """An error answered as an OData error document with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# --- fault injection --------------------------------------------------------------------------


@dataclass(eq=False)
class FaultRule:
    """One kind of failure, injected into requests whose decoded ``path?query`` contains ``match``.

    Fires on the first ``times`` matching requests (``None``: every one) and counts in ``fired``.
    ``status``: answer ``status_code`` with ``headers`` (e.g. ``Retry-After``). ``truncate``: send the
    first ``fraction`` of the body, then end the connection; ``full_length`` announces the whole body
    (the client sees an incomplete read), else the cut length (a complete answer that is not JSON).
    ``reset``: send the first ``fraction`` of the body (nothing, with ``before_headers``), then a TCP
    RST. ``drop_column``: remove ``column`` from every row of an entity-set page. ``delay``: wait
    ``seconds`` first. Of status/truncate/reset only the first matching rule with firings left fires.
    """

    kind: str
    match: str = ""
    times: int | None = 1
    status_code: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    fraction: float = 0.5
    full_length: bool = True
    before_headers: bool = False
    column: str | None = None
    seconds: float = 1.0
    fired: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {FAULT_KINDS}")
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError("fraction must lie in [0, 1]")
        if self.kind == "drop_column" and not self.column:
            raise ValueError("a drop_column fault needs column=")

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times


@dataclass(eq=False)
class FaultPlan:
    """An ordered list of :class:`FaultRule`, consulted by the server's threads under a lock."""

    rules: list[FaultRule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def fired(self) -> list[int]:
        """How often each rule fired, in rule order."""
        with self._lock:
            return [rule.fired for rule in self.rules]

    def take(self, target: str, kinds: tuple[str, ...]) -> list[FaultRule]:
        """Fire (and return) the rules of ``kinds`` that apply to ``target``."""
        chosen: list[FaultRule] = []
        with self._lock:
            for rule in self.rules:
                if rule.kind not in kinds or rule.exhausted or rule.match not in target:
                    continue
                if rule.kind in _TERMINAL_KINDS and any(r.kind in _TERMINAL_KINDS for r in chosen):
                    continue
                rule.fired += 1
                chosen.append(rule)
        return chosen


# --- the registry's filter --------------------------------------------------------------------

_TERM = re.compile(r"\(?\s*(?:(?P<col>\w+) eq '(?P<value>[^']*)'|startswith\((?P<scol>\w+),\s*'(?P<prefix>[^']*)'\))\s*\)?")


def row_filter(text: str | None) -> Callable[[dict], bool]:
    """``Col eq 'v'`` and ``startswith(Col,'p')`` terms joined by ``or`` -> a row predicate."""
    if not text:
        return lambda row: True
    tests = []
    for term in text.split(" or "):
        found = _TERM.fullmatch(term.strip())
        if found is None:
            raise ODataError(400, f"$filter term {term!r} is not served by this test server: it "
                                  "understands Col eq 'v' and startswith(Col,'p') joined by or")
        if found["col"]:
            tests.append(lambda row, c=found["col"], v=found["value"]: row.get(c) == v)
        else:
            tests.append(lambda row, c=found["scol"], p=found["prefix"]: str(row.get(c, "")).startswith(p))
    return lambda row: any(test(row) for test in tests)


# --- the mirror's tables ----------------------------------------------------------------------

class _Table:
    """One table folder under ``<mirror>/cbs/``; entity sets parsed on first use, then cached."""

    def __init__(self, folder: Path) -> None:
        self.name = folder.name
        self.label_csv = folder / f"{folder.name}.csv"
        self.files = {p.stem: p for p in sorted(folder.glob("*.json"))}
        self._sets: dict[str, list[dict]] = {}
        self._lock = threading.Lock()

    @property
    def downloaded(self) -> bool:
        """In the ``cbsodata.download_data`` layout (else a label-layout CSV)."""
        return bool(self.files)

    def set_names(self) -> list[str]:
        names = list(self.files) if self.downloaded else list(self._all())
        return names + ["UntypedDataSet"]

    def rows(self, name: str) -> list[dict]:
        with self._lock:
            if name not in self._sets:
                if not self.downloaded:
                    return self._all().get(name) or _not_found(name)
                if name not in self.files:
                    _not_found(name)
                self._sets[name] = json.loads(self.files[name].read_text(encoding="utf-8"))
            return self._sets[name]

    def _all(self) -> dict[str, list[dict]]:
        if not self._sets:
            self._sets = label_csv_to_entity_sets(self.label_csv, self.name)
        return self._sets


def _not_found(segment: str) -> Any:
    raise ODataError(404, f"Resource not found for the segment '{segment}'.")


def _scan_tables(mirror_dir: Path) -> dict[str, _Table]:
    """Lower-case table id -> table, for every CBS folder in either layout."""
    folders = sorted((mirror_dir / "cbs").iterdir()) if (mirror_dir / "cbs").is_dir() else []
    return {f.name.lower(): _Table(f) for f in folders
            if f.is_dir() and (any(f.glob("*.json")) or (f / f"{f.name}.csv").is_file())}


# --- the server -------------------------------------------------------------------------------


def _json(payload: Any) -> tuple[int, bytes, str]:
    return 200, json.dumps(payload, ensure_ascii=False).encode("utf-8"), _JSON


def _encode_query(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{key}={quote(value, safe=chr(39) + '(),')}" for key, value in params)


class MirrorServer:
    """A running loopback server; create it with :func:`serve_mirror`. ``base_url`` is
    ``http://127.0.0.1:PORT``; ``page_size`` the most rows one page carries; ``requests`` the decoded
    ``path?query`` of every request so far."""

    def __init__(self, mirror_dir: Path, *, page_size: int = 10000, faults: FaultPlan | None = None) -> None:
        self.mirror_dir = Path(mirror_dir)
        if not self.mirror_dir.is_dir():
            raise FileNotFoundError(f"mirror folder {self.mirror_dir} does not exist")
        self.page_size = page_size
        self.faults = faults or FaultPlan()
        self._tables = _scan_tables(self.mirror_dir)
        self._log: list[str] = []
        self._log_lock = threading.Lock()
        self._stop = threading.Event()
        self.http = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.http.no_handler_status_code = 404  # an address no route serves
        for prefix, route in (("/ODataFeed/odata/", self._v3), ("/odata/v1/CBS/", self._v4), ("/files/", self._file)):
            self.http.expect_request(re.compile("^" + re.escape(prefix))).respond_with_handler(
                lambda request, route=route: self._serve(request, route))
        self.http.start()
        self.base_url = f"http://127.0.0.1:{self.http.port}"

    def set_faults(self, plan: FaultPlan | None) -> FaultPlan:
        self.faults = plan or FaultPlan()
        return self.faults

    @property
    def requests(self) -> list[str]:
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def close(self) -> None:
        self._stop.set()  # cuts delay faults short
        if self.http.is_running():
            self.http.clear()
            self.http.stop()

    # -- one request -------------------------------------------------------------------------

    def _serve(self, request: Request, route: Callable[..., tuple[int, bytes, str]]) -> Response:
        pairs = list(request.args.items(multi=True))
        target = request.path + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")
        with self._log_lock:
            self._log.append(target)
        cut = None
        for rule in self.faults.take(target, ("delay", *_TERMINAL_KINDS)):
            if rule.kind == "delay":
                self._stop.wait(rule.seconds)
            elif rule.kind == "status":
                body = json.dumps({"odata.error": {"message": {"value": f"Injected fault: HTTP {rule.status_code}."}}})
                return Response(body, rule.status_code, headers=rule.headers, content_type=_JSON)
            else:
                cut = rule
        drop = [r.column for r in self.faults.take(target, ("drop_column",))]
        try:
            status, body, content_type = route(request.path, dict(pairs), request.host, drop)
        except ODataError as error:
            status, content_type = error.status, _JSON
            body = json.dumps({"odata.error": {"message": {"value": str(error)}}}).encode("utf-8")
        if cut is None:
            return Response(body, status, content_type=content_type)
        return _cut(body, status, content_type, cut, request.environ["werkzeug.socket"])

    # -- routes: each returns (status, body, content type) ---------------------------------

    def _table(self, name: str) -> _Table:
        table = self._tables.get(name.lower())
        if table is None:
            raise ODataError(404, f"Table '{name}' does not exist (this mirror serves: "
                                  f"{', '.join(t.name for t in self._tables.values())}).")
        return table

    def _v3(self, path: str, params: dict[str, str], host: str, drop: list[str]) -> tuple[int, bytes, str]:
        _, _, name, *rest = [s for s in path.split("/") if s] + [""]
        table = self._table(name)
        root = f"http://{host}/ODataFeed/odata/{table.name}"
        if not rest or not rest[0]:
            return _json({"odata.metadata": f"{root}/$metadata",
                          "value": [{"name": n, "url": f"{root}/{n}"} for n in table.set_names()]})
        rows = [r for r in table.rows(rest[0]) if row_filter(params.get("$filter"))(r)]
        page, following = self._page(rows, params)
        payload: dict[str, Any] = {"odata.metadata": f"{root}/$metadata#Cbs.OData.WebAPI.{rest[0]}",
                                   "value": [{k: v for k, v in r.items() if k not in drop} for r in page]}
        if following:
            payload["odata.nextLink"] = f"{root}/{rest[0]}?{following}"
        return _json(payload)

    def _v4(self, path: str, params: dict[str, str], host: str, drop: list[str]) -> tuple[int, bytes, str]:
        _, _, _, name, *rest = [s for s in path.split("/") if s] + [""]
        table = self._table(name)
        if not table.downloaded:
            raise ODataError(404, f"Table '{name}' is served in v3 form only.")
        root = f"http://{host}/odata/v1/CBS/{table.name}"
        payload = v4_entity(table.name, table.rows, rest[0] if rest else "", root)
        if "value" not in payload or rest[0] != "Observations":
            return _json(payload)
        rows = [r for r in payload["value"] if row_filter(params.get("$filter"))(r)]
        page, following = self._page(rows, params)
        payload["value"] = [{k: v for k, v in r.items() if k not in drop} for r in page]
        if following:
            payload["@odata.nextLink"] = f"{root}/Observations?{following}"
        return _json(payload)

    def _page(self, rows: list[dict], params: dict[str, str]) -> tuple[list[dict], str]:
        """One page of ``rows`` from ``$skip``, and the query of the next page ('' at the end)."""
        skip = int(params.get("$skip") or 0)
        if skip + self.page_size >= len(rows):
            return rows[skip:], ""
        kept = [(k, params[k]) for k in ("$format", "$filter") if k in params]
        return rows[skip:skip + self.page_size], _encode_query([*kept, ("$skip", str(skip + self.page_size))])

    def _file(self, path: str, params: dict[str, str], host: str, drop: list[str]) -> tuple[int, bytes, str]:
        relative = path.removeprefix("/files/")
        root = self.mirror_dir.resolve()
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise ODataError(404, f"No file '{relative}' in the mirror.")
        content_type = {".csv": "text/csv", ".json": "application/json"}.get(target.suffix.lower(),
                                                                            "application/octet-stream")
        return 200, target.read_bytes(), content_type


def _cut(body: bytes, status: int, content_type: str, rule: FaultRule, sock: socket.socket) -> Response:
    """A response that sends the first ``rule.fraction`` of ``body`` and then ends the connection.

    The end happens inside the body iterator, after werkzeug has written what came before: a
    ConnectionError there is what werkzeug treats as a dropped connection (quietly). Shutting the
    read side makes werkzeug's wait for the next request end at once.
    """
    sent = 0 if rule.before_headers else int(len(body) * rule.fraction)
    short = rule.kind == "truncate" and not rule.full_length

    def stream() -> Iterator[bytes]:
        if sent:
            yield body[:sent]
        if short:
            return
        with contextlib.suppress(OSError):
            if rule.kind == "reset":
                threading.Event().wait(0.05)  # let the client take the headers first: it fails mid-body
                # linger 0: the close that follows (when werkzeug drops its file) sends an RST, not a FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RD)
                sock.close()
            else:
                sock.shutdown(socket.SHUT_RDWR)
        raise ConnectionAbortedError(f"injected {rule.kind}")

    headers = {"Content-Length": str(sent if short else len(body))}
    return Response(stream(), status, headers=headers, content_type=content_type, direct_passthrough=True)


@contextlib.contextmanager
def serve_mirror(mirror_dir: Path, *, page_size: int = 10000, faults: FaultPlan | None = None) -> Iterator[MirrorServer]:
    """Serve ``mirror_dir`` on 127.0.0.1 for the duration of the block."""
    server = MirrorServer(mirror_dir, page_size=page_size, faults=faults)
    try:
        yield server
    finally:
        server.close()
