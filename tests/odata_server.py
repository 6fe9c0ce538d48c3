"""A loopback test server that serves an offline mirror the way CBS and DUO serve it.

Used by the tests and the benchmarks so that the project's real download path (``cbsodata`` for
CBS StatLine OData v3, plain HTTP for DUO CSV files) can run without network access, and so that
network failures can be injected on purpose.

Mirror layout (see ``../shared/data/README.md``)::

    <mirror>/cbs/<TABLE>/<EntitySet>.json   one JSON list per OData entity set, exactly as
                                            ``cbsodata.download_data(TABLE, dir=...)`` writes it
    <mirror>/cbs/<TABLE>/<TABLE>.csv        or one CSV in the CBS label layout (what ``cbsodata.get_data``
                                            returns: titles instead of keys), served as the entity sets
                                            it came from (keys and code lists made up, see
                                            :func:`label_csv_to_entity_sets`), so that get_data gives
                                            the file's records back
    <mirror>/<any other file>               served byte for byte under /files/

What is served (``HOST`` is ``127.0.0.1:PORT``, the port is chosen by the OS):

``GET /ODataFeed/odata/<TABLE>/?$format=json``
    Service root: ``{"odata.metadata": ..., "value": [{"name": ..., "url": ...}, ...]}`` listing
    every ``*.json`` file of the table folder plus ``UntypedDataSet`` (derived from
    ``TypedDataSet``: the same rows with the measure values as strings, roughly as CBS does).
    ``<TABLE>`` is every folder directly under ``<mirror>/cbs/`` that holds ``*.json`` files; it
    is matched case-insensitively, URLs returned by the server use the case found on disk.
    ``/ODataApi/odata/<TABLE>/...`` is served identically (same paging, unlike real CBS).
``GET /ODataFeed/odata/<TABLE>/<EntitySet>?$format=json[&$filter=..][&$select=..][&$top=..][&$skip=..]``
    ``{"odata.metadata": ..., "value": [...]}`` plus ``"odata.nextLink"`` when more than
    ``page_size`` rows remain (server-driven paging as on the CBS bulk feed). The next link repeats
    ``$format``, ``$filter``, ``$select`` (and a reduced ``$top``) with ``$skip`` advanced, URL
    encoded, so a client that follows it without adding parameters (as cbsodata does) gets the
    rest of the same result. ``$inlinecount=allpages`` adds ``"odata.count"``.
``GET /ODataCatalog/Tables?$format=json``
    One row per table (its ``TableInfos`` row plus ``Identifier``), for ``cbsodata.get_table_list``.
``GET /files/<relative path>``
    Any file below the mirror, bytes unchanged, with ``Content-Length`` and a content type guessed
    from the extension (``text/csv`` for CSV, without a charset: the files differ in encoding).
``GET /``
    A small JSON index of the tables and files (for a human poking at the server).

``$filter`` understands the OData v3 subset that CBS users write: ``eq ne gt ge lt le``, ``and``,
``or``, ``not``, parentheses, string literals (``'it''s'``), numbers, ``null``, ``true``,
``false``, and the functions ``startswith``, ``endswith``, ``substringof`` (v3 argument order:
``substringof('needle', Col)``), ``tolower``, ``toupper``, ``trim``, ``length``. Operator
precedence is OData's: ``not`` binds tightest, then comparisons, then ``and``, then ``or``, so
``not RegioS eq 'x'`` is a type error (write ``not (RegioS eq 'x')``). Unknown columns, unknown
functions, type mismatches (``Perioden eq 2016`` on a string column) and anything else outside
the subset give HTTP 400 with an OData error body
``{"odata.error": {"code": "", "message": {"lang": "en-US", "value": "..."}}}``; so do an unknown
``$select`` column and unsupported system options such as ``$orderby``. An unknown table or
entity set gives 404 with the same error shape. OData routes insist on JSON (``$format=json`` or an
``Accept`` header naming JSON) and answer 406 otherwise, where CBS would send Atom XML.

Fault injection (see :class:`FaultRule`): ``status``, ``truncate``, ``reset``, ``drop_column``,
``delay``, each matched on the decoded request path and query and firing a limited number of
times. Example::

    plan = FaultPlan([FaultRule("status", match="TypedDataSet", status_code=500, times=2)])
    with serve_mirror(mirror, page_size=1000, faults=plan) as server:
        with server.cbsodata_client() as cbsodata:
            ...                                   # the first two data requests fail with HTTP 500
        assert plan.fired() == [2]
        server.set_faults(FaultPlan([FaultRule("reset", match="$skip=")]))
        assert any("$skip=" in r for r in server.requests)

The server is thread-safe (``ThreadingHTTPServer``, one thread per connection, HTTP/1.1
keep-alive), writes nothing to stderr (its messages go to the ``logging`` logger of this module at
DEBUG level), and shuts down cleanly: leaving the context closes idle keep-alive connections,
interrupts ``delay`` faults and joins every handler thread.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import mimetypes
import operator
import re
import socket
import socketserver
import struct
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, quote, unquote, urlsplit

__all__ = [
    "FAULT_KINDS",
    "FaultPlan",
    "FaultRule",
    "FilterError",
    "MirrorServer",
    "RequestRecord",
    "compile_filter",
    "serve_mirror",
]

log = logging.getLogger(__name__)

FAULT_KINDS = ("status", "truncate", "reset", "drop_column", "delay")
_TERMINAL_KINDS = ("status", "truncate", "reset")  # at most one of these fires per request
_ODATA_JSON = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8"
_API_ROOTS = {"odatafeed": "ODataFeed/odata", "odataapi": "ODataApi/odata"}
_SYSTEM_OPTIONS = {"$format", "$filter", "$select", "$top", "$skip", "$inlinecount"}
# CBS's order of the fixed entity sets in a service root; dimensions follow.
_ROOT_ORDER = ("TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties", "CategoryGroups")


# --- errors -----------------------------------------------------------------------------------


class ODataError(Exception):
    """An error answered to the client as an OData v3 error document."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class FilterError(ODataError):
    """A ``$filter`` the server does not accept (HTTP 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def _error_body(message: str) -> bytes:
    doc = {"odata.error": {"code": "", "message": {"lang": "en-US", "value": message}}}
    return json.dumps(doc).encode("utf-8")


# --- fault injection --------------------------------------------------------------------------


@dataclass(eq=False)
class FaultRule:
    """One kind of failure, injected into requests whose target matches.

    ``match`` is searched in the *decoded* request target, e.g.
    ``/ODataFeed/odata/83582NED/TypedDataSet?$format=json&$filter=startswith(RegioS,'CR')&$skip=5000``:
    a substring by default, a regular expression (``re.search``) when ``regex`` is true; ``""``
    matches every request. The rule fires on the first ``times`` matching requests (``None``:
    every one; ``0``: never) and counts in ``fired`` how often it did.

    Kinds and the fields they use:

    ``status``
        Answer ``status_code`` (e.g. 500, 503, 429) with an OData error body and the extra
        ``headers`` (e.g. ``{"Retry-After": "1"}``) instead of the resource.
    ``truncate``
        Send the headers and the first ``fraction`` of the body, then close the connection. With
        ``full_length=True`` (default) the ``Content-Length`` announces the whole body, so the
        client sees an incomplete read (``requests.exceptions.ChunkedEncodingError`` from
        urllib3's ``IncompleteRead``); with ``full_length=False`` it announces the cut length, so
        the client receives a "complete" response that is not valid JSON (``JSONDecodeError``).
    ``reset``
        Send the headers and the first ``fraction`` of the body, then reset the TCP connection
        (``SO_LINGER`` 0 and close, i.e. an RST): the client sees ``ConnectionResetError``,
        surfacing in requests as ``ChunkedEncodingError`` or ``ConnectionError``. With
        ``before_headers=True`` nothing is sent before the reset (``requests.ConnectionError``).
    ``drop_column``
        Remove ``column`` from every row of the entity-set page answered (only OData entity-set
        responses; a page counts as one firing, so use ``times=None`` to drop it from every page).
    ``delay``
        Wait ``seconds`` before answering (for client timeout tests). The wait is cut short when
        the server shuts down.

    Several rules may match one request: every matching ``delay`` and ``drop_column`` rule fires,
    but of ``status``/``truncate``/``reset`` only the first matching one with firings left does
    (the others are not counted).
    """

    kind: str
    match: str = ""
    regex: bool = False
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
        if self.times is not None and self.times < 0:
            raise ValueError("times must be None (always) or >= 0")
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError("fraction must lie in [0, 1]")
        if self.kind == "drop_column" and not self.column:
            raise ValueError("a drop_column fault needs column=")
        if self.kind == "status" and not 100 <= self.status_code <= 599:
            raise ValueError("status_code must be an HTTP status")
        self._pattern = re.compile(self.match) if self.regex else None

    def matches(self, target: str) -> bool:
        """Whether this rule applies to the decoded request target (ignoring ``times``)."""
        if self._pattern is not None:
            return self._pattern.search(target) is not None
        return self.match in target

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times


@dataclass(eq=False)
class FaultPlan:
    """An ordered list of :class:`FaultRule`; thread-safe to consult and to extend while serving."""

    rules: list[FaultRule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> FaultRule:
        """Append a rule (also while the server runs) and return it."""
        with self._lock:
            self.rules.append(rule)
        return rule

    def fired(self) -> list[int]:
        """How often each rule fired, in rule order."""
        with self._lock:
            return [rule.fired for rule in self.rules]

    def exhausted(self) -> bool:
        """True when every rule with a finite ``times`` has fired that often."""
        with self._lock:
            return all(rule.times is None or rule.exhausted for rule in self.rules)

    def take(self, target: str, kinds: tuple[str, ...]) -> list[FaultRule]:
        """Fire (and return) the rules of ``kinds`` that apply to ``target``; see FaultRule."""
        chosen: list[FaultRule] = []
        terminal_taken = False
        with self._lock:
            for rule in self.rules:
                if rule.kind not in kinds or rule.exhausted or not rule.matches(target):
                    continue
                if rule.kind in _TERMINAL_KINDS:
                    if terminal_taken:
                        continue
                    terminal_taken = True
                rule.fired += 1
                chosen.append(rule)
        return chosen


# --- $filter: tokenizer, recursive-descent parser, compiler to a row predicate ------------------

_TOKEN_RE = re.compile(
    r"""(?P<ws>\s+)
      | (?P<str>'(?:[^']|'')*')
      | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?(?![A-Za-z0-9_]))
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<punct>[(),])""",
    re.VERBOSE,
)
_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne,
    "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
}
_KEYWORDS = {"and", "or", "not", *_COMPARISONS}
_LITERAL_NAMES = {"null": (None, "null"), "true": (True, "bool"), "false": (False, "bool")}
# name -> (argument types, result type, implementation taking already evaluated arguments)
_FUNCTIONS: dict[str, tuple[tuple[str, ...], str, Callable[..., Any]]] = {
    "startswith": (("string", "string"), "bool",
                   lambda s, p: s is not None and p is not None and s.startswith(p)),
    "endswith": (("string", "string"), "bool",
                 lambda s, p: s is not None and p is not None and s.endswith(p)),
    "substringof": (("string", "string"), "bool",
                    lambda p, s: s is not None and p is not None and p in s),
    "tolower": (("string",), "string", lambda s: None if s is None else s.lower()),
    "toupper": (("string",), "string", lambda s: None if s is None else s.upper()),
    "trim": (("string",), "string", lambda s: None if s is None else s.strip()),
    "length": (("string",), "number", lambda s: None if s is None else len(s)),
}
_EDM = {"string": "Edm.String", "number": "Edm.Double", "bool": "Edm.Boolean", "null": "null"}


@dataclass(frozen=True)
class _Token:
    kind: str  # str, num, name, "(", ")", ",", end
    value: Any
    pos: int
    text: str


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            if text[pos] == "'":
                raise FilterError(f"Unterminated string literal at position {pos} in '{text}'.")
            raise FilterError(f"Syntax error: unexpected character '{text[pos]}' at position "
                              f"{pos} in '{text}'.")
        kind, raw = m.lastgroup, m.group()
        if kind == "str":
            tokens.append(_Token("str", raw[1:-1].replace("''", "'"), pos, raw))
        elif kind == "num":
            digits = raw.rstrip("mMdDfFlL")
            is_int = re.fullmatch(r"-?\d+", digits) is not None and raw[-1:] not in "mMdDfF"
            tokens.append(_Token("num", int(digits) if is_int else float(digits), pos, raw))
        elif kind == "name":
            tokens.append(_Token("name", raw, pos, raw))
        elif kind == "punct":
            tokens.append(_Token(raw, raw, pos, raw))
        pos = m.end()
    tokens.append(_Token("end", None, len(text), "end of expression"))
    return tokens


# AST nodes are tuples: ("lit", value, type) ("col", name) ("call", name, args)
# ("cmp", op, left, right) ("and", l, r) ("or", l, r) ("not", operand)
class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def _peek(self) -> _Token:
        return self.tokens[self.i]

    def _next(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _fail(self, tok: _Token, expected: str) -> FilterError:
        return FilterError(f"Syntax error at position {tok.pos} in '{self.text}': expected "
                           f"{expected}, found '{tok.text}'.")

    def _is_name(self, *words: str) -> bool:
        tok = self._peek()
        return tok.kind == "name" and tok.value in words

    def parse(self) -> tuple:
        if self._peek().kind == "end":
            raise FilterError("The $filter expression is empty.")
        node = self._or()
        if self._peek().kind != "end":
            raise self._fail(self._peek(), "'and', 'or' or the end of the expression")
        return node

    def _or(self) -> tuple:
        node = self._and()
        while self._is_name("or"):
            self._next()
            node = ("or", node, self._and())
        return node

    def _and(self) -> tuple:
        node = self._comparison()
        while self._is_name("and"):
            self._next()
            node = ("and", node, self._comparison())
        return node

    def _comparison(self) -> tuple:
        node = self._unary()
        while self._is_name(*_COMPARISONS):
            op = self._next().value
            node = ("cmp", op, node, self._unary())
        return node

    def _unary(self) -> tuple:
        if self._is_name("not"):
            self._next()
            return ("not", self._unary())
        return self._primary()

    def _primary(self) -> tuple:
        tok = self._next()
        if tok.kind == "(":
            node = self._or()
            if self._peek().kind != ")":
                raise self._fail(self._peek(), "')'")
            self._next()
            return node
        if tok.kind == "str":
            return ("lit", tok.value, "string")
        if tok.kind == "num":
            return ("lit", tok.value, "number")
        if tok.kind == "name":
            if tok.value in _LITERAL_NAMES:
                value, typ = _LITERAL_NAMES[tok.value]
                return ("lit", value, typ)
            if tok.value in _KEYWORDS:
                raise self._fail(tok, "a column, literal or function")
            if self._peek().kind == "(":
                return self._call(tok)
            return ("col", tok.value)
        raise self._fail(tok, "a column, literal, function or '('")

    def _call(self, name: _Token) -> tuple:
        if name.value not in _FUNCTIONS:
            raise FilterError(f"Unknown function '{name.value}' at position {name.pos}; this "
                              f"test server supports {', '.join(sorted(_FUNCTIONS))}.")
        self._next()  # "("
        args: list[tuple] = []
        if self._peek().kind != ")":
            args.append(self._or())
            while self._peek().kind == ",":
                self._next()
                args.append(self._or())
        if self._peek().kind != ")":
            raise self._fail(self._peek(), "',' or ')'")
        self._next()
        wanted = len(_FUNCTIONS[name.value][0])
        if len(args) != wanted:
            raise FilterError(f"Function '{name.value}' takes {wanted} argument(s), "
                              f"got {len(args)}.")
        return ("call", name.value, args)


_Compiled = tuple[Callable[[dict], Any], str]


def _compile(node: tuple, columns: dict[str, str], set_name: str) -> _Compiled:
    kind = node[0]
    if kind == "lit":
        value = node[1]
        return (lambda row: value), node[2]
    if kind == "col":
        name = node[1]
        if name not in columns:
            raise FilterError(f"No property '{name}' exists in type "
                              f"'Cbs.OData.WebAPI.{set_name}'.")
        return (lambda row: row.get(name)), columns[name]
    if kind == "call":
        arg_types, result_type, impl = _FUNCTIONS[node[1]]
        compiled = [_compile(arg, columns, set_name) for arg in node[2]]
        for (_, typ), want in zip(compiled, arg_types, strict=True):
            if typ not in (want, "null"):
                raise FilterError(f"No function signature for '{node[1]}' matches argument "
                                  f"types ({', '.join(_EDM[t] for _, t in compiled)}).")
        fns = [fn for fn, _ in compiled]
        if len(fns) == 1:
            (f0,) = fns
            return (lambda row: impl(f0(row))), result_type
        f0, f1 = fns
        return (lambda row: impl(f0(row), f1(row))), result_type
    if kind == "cmp":
        op = node[1]
        (lf, lt), (rf, rt) = (_compile(n, columns, set_name) for n in node[2:])
        if lt != rt and "null" not in (lt, rt):
            raise FilterError(f"Operator '{op}' incompatible with operand types "
                              f"'{_EDM[lt]}' and '{_EDM[rt]}'.")
        cmp = _COMPARISONS[op]
        if op in ("eq", "ne"):
            return (lambda row: cmp(lf(row), rf(row))), "bool"

        def ordered(row: dict) -> bool:  # null never compares greater or smaller
            a, b = lf(row), rf(row)
            return a is not None and b is not None and cmp(a, b)
        return ordered, "bool"
    if kind in ("and", "or", "not"):
        parts = [_compile(n, columns, set_name) for n in node[1:]]
        for _, typ in parts:
            if typ not in ("bool", "null"):
                raise FilterError(f"Operator '{kind}' needs boolean operands, got "
                                  f"'{_EDM[typ]}'.")
        fns = [fn for fn, _ in parts]
        if kind == "not":
            (f0,) = fns
            return (lambda row: not f0(row)), "bool"
        f0, f1 = fns
        if kind == "and":
            return (lambda row: bool(f0(row)) and bool(f1(row))), "bool"
        return (lambda row: bool(f0(row)) or bool(f1(row))), "bool"
    raise AssertionError(node)  # pragma: no cover


def compile_filter(text: str, columns: dict[str, str],
                   set_name: str = "TypedDataSet") -> Callable[[dict], bool]:
    """Compile an OData ``$filter`` into a predicate on rows (dicts).

    ``columns`` maps each column name to ``"string"``, ``"number"``, ``"bool"`` or ``"null"``
    (type unknown: all values null). Raises :class:`FilterError` for anything outside the subset.
    """
    fn, typ = _compile(_Parser(text).parse(), columns, set_name)
    if typ not in ("bool", "null"):
        raise FilterError("The $filter expression must evaluate to a single boolean value.")
    return lambda row: bool(fn(row))


def _column_types(rows: list[dict]) -> dict[str, str]:
    """Column name -> filter type, from the first non-null value of each column (in row order)."""
    types: dict[str, str] = {}
    for row in rows:
        for key, value in row.items():
            if types.get(key, "null") != "null":
                continue
            if value is None:
                types.setdefault(key, "null")
            elif isinstance(value, bool):
                types[key] = "bool"
            elif isinstance(value, int | float):
                types[key] = "number"
            else:
                types[key] = "string"
    return types


# --- the mirror: tables, entity sets, cached rows ---------------------------------------------


@dataclass(frozen=True)
class _EntitySet:
    name: str
    rows: list[dict]  # never mutated once loaded: responses build new dicts
    columns: dict[str, str]


_FILE_CACHE: dict[tuple[str, int, int], Any] = {}
_FILE_CACHE_LOCK = threading.Lock()


def _load_json(path: Path) -> Any:
    """Parse a mirror JSON file once per process (keyed on path, size and mtime)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _FILE_CACHE_LOCK:
        if key in _FILE_CACHE:
            return _FILE_CACHE[key]
    data = json.loads(path.read_text(encoding="utf-8"))
    with _FILE_CACHE_LOCK:
        _FILE_CACHE[key] = data
    return data


def _untyped(typed: list[dict], properties: list[dict] | None) -> list[dict]:
    """UntypedDataSet rows from TypedDataSet rows: measures as strings, null as '.'.

    CBS right-aligns the strings in fixed widths; this server does not pad them.
    """
    if properties:
        decimals = {p["Key"]: p.get("Decimals") for p in properties if p.get("Type") == "Topic"}
    else:
        decimals = {k: None for row in typed[:1] for k, v in row.items()
                    if k != "ID" and not isinstance(v, str)}

    def text(value: Any, places: int | None) -> Any:
        if value is None:
            return "."
        if isinstance(value, float) and places is not None:
            return f"{value:.{places}f}"
        return str(value)

    return [{k: text(v, decimals[k]) if k in decimals else v for k, v in row.items()}
            for row in typed]


class _Table:
    """One table folder under <mirror>/cbs/."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder
        self.files = {p.stem: p for p in sorted(folder.glob("*.json")) if p.is_file()}
        self._sets: dict[str, _EntitySet] = {}
        self._lock = threading.Lock()

    def set_names(self) -> list[str]:
        names = set(self.files)
        if "TypedDataSet" in names:
            names.add("UntypedDataSet")
        ordered = [n for n in _ROOT_ORDER if n in names]
        props = self._raw("DataProperties") if "DataProperties" in self.files else []
        for prop in props if isinstance(props, list) else []:
            key = prop.get("Key") if isinstance(prop, dict) else None
            if key in names and key not in ordered:
                ordered.append(key)
        return ordered + sorted(names - set(ordered))

    def _raw(self, name: str) -> Any:
        return _load_json(self.files[name])

    def entity_set(self, name: str) -> _EntitySet:
        with self._lock:
            if name in self._sets:
                return self._sets[name]
        if name in self.files:
            rows = self._raw(name)
        elif name == "UntypedDataSet" and "TypedDataSet" in self.files:
            props = self._raw("DataProperties") if "DataProperties" in self.files else None
            rows = _untyped(self._raw("TypedDataSet"), props)
        else:
            raise ODataError(404, f"Resource not found for the segment '{name}'.")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ODataError(500, f"mirror file for {self.name}/{name} is not a JSON list of "
                                  f"objects (expected the layout cbsodata.download_data writes)")
        entity_set = _EntitySet(name, rows, _column_types(rows))
        with self._lock:
            return self._sets.setdefault(name, entity_set)


_MEASURE_COLUMN = re.compile(r".+_\d+")  # CBS names measures Name_<n>; dimensions have no suffix


def label_csv_to_entity_sets(path: Path, table: str) -> dict[str, list[dict]]:
    """A CSV in the CBS label layout (what ``cbsodata.get_data`` returns, see the mirror README) ->
    the entity sets CBS serves: TypedDataSet with keys, one code list (Key, Title) per dimension,
    DataProperties, TableInfos. ``cbsodata.get_data`` against them swaps every key back for its title
    and so returns the file's records.

    Keys are made up here (``K0000``, ...): one per title, in record order; a title that occurs twice
    within the same other dimensions (81497NED's period titles of two period keys) gets a second key
    for its second occurrence, on the period dimension (the only one CBS has such pairs in).
    Measures become numbers (``7891.9``; ``592653`` stays an integer), empty cells ``null``.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    dims = [c for c in header if c != "ID" and not _MEASURE_COLUMN.fullmatch(c)]
    period = "Perioden" if "Perioden" in dims else dims[-1]
    seen: dict[tuple, int] = {}
    keys: dict[str, dict[tuple[str, int], str]] = {d: {} for d in dims}
    typed = []
    for values in body:
        record = dict(zip(header, values, strict=True))
        combo = tuple(record[d] for d in dims)
        occurrence = seen.get(combo, 0)
        seen[combo] = occurrence + 1
        out: dict[str, Any] = {}
        for column in header:
            text = record[column]
            if column == "ID":
                out[column] = int(text)
            elif column in keys:
                code = (text, occurrence if column == period else 0)
                out[column] = keys[column].setdefault(code, f"K{len(keys[column]):04d}")
            else:
                out[column] = None if text == "" else (float(text) if "." in text else int(text))
        typed.append(out)
    sets: dict[str, list[dict]] = {"TypedDataSet": typed}
    for dim in dims:
        sets[dim] = [{"Key": key, "Title": title, "Description": None} for (title, _), key in keys[dim].items()]
    sets["DataProperties"] = (
        [{"ID": n, "Key": d, "Type": "TimeDimension" if d == "Perioden" else "Dimension", "Title": d}
         for n, d in enumerate(dims)]
        + [{"ID": len(dims) + n, "Key": c, "Type": "Topic", "Title": c, "Decimals": None}
           for n, c in enumerate(c for c in header if _MEASURE_COLUMN.fullmatch(c))])
    sets["TableInfos"] = [{"ID": 1, "Identifier": table, "Title": f"{table} (label layout served as OData)"}]
    return sets


class _LabelTable(_Table):
    """A table folder holding one label-layout CSV (``<TABLE>.csv``), served as OData entity sets."""

    def __init__(self, name: str, folder: Path, csv_path: Path) -> None:
        super().__init__(name, folder)
        self._csv_path = csv_path
        self._sets_raw: dict[str, list[dict]] | None = None
        header = csv_path.read_text(encoding="utf-8-sig").split("\n", 1)[0].split(";")
        dims = [c for c in header if c != "ID" and not _MEASURE_COLUMN.fullmatch(c)]
        self.files = {n: csv_path for n in ("TableInfos", "TypedDataSet", "DataProperties", *dims)}

    def _raw(self, name: str) -> Any:
        with self._lock:
            if self._sets_raw is None:
                self._sets_raw = label_csv_to_entity_sets(self._csv_path, self.name)
            return self._sets_raw[name]


def _label_csv(folder: Path) -> Path | None:
    path = folder / f"{folder.name}.csv"
    if path.is_file() and path.read_bytes()[:12].lstrip(b"\xef\xbb\xbf").startswith(b"ID;"):
        return path
    return None


def _scan_tables(mirror_dir: Path) -> dict[str, _Table]:
    """Lower-case table id -> table, for every folder in <mirror>/cbs/ holding *.json files (the
    ``cbsodata.download_data`` layout) or one label-layout CSV named after the table."""
    tables: dict[str, _Table] = {}
    cbs = mirror_dir / "cbs"
    if cbs.is_dir():
        for folder in sorted(cbs.iterdir()):
            if folder.is_dir() and any(folder.glob("*.json")):
                tables[folder.name.lower()] = _Table(folder.name, folder)
            elif folder.is_dir() and (label := _label_csv(folder)) is not None:
                tables[folder.name.lower()] = _LabelTable(folder.name, folder, label)
    return tables


# --- request log ------------------------------------------------------------------------------


@dataclass
class RequestRecord:
    """One request as the server saw it."""

    method: str
    target: str  # raw request target, as sent on the wire
    decoded: str  # path and query, percent-decoded: what FaultRule.match is searched in
    path: str
    query: dict[str, str]
    status: int | None = None  # status sent (None: nothing sent, e.g. a reset before headers)
    faults: list[str] = field(default_factory=list)  # kinds of the fault rules that fired


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # joined by server_close(), after close() has woken them up
    block_on_close = True
    allow_reuse_address = True
    request_queue_size = 128  # the default of 5 drops connections when many clients start at once

    def __init__(self, app: MirrorServer) -> None:
        self.app = app
        self.active: set[socket.socket] = set()
        self.active_lock = threading.Lock()
        self.stopping = False
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), which may wait on DNS; not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Called by socketserver while handling the exception (usually a client hanging up).
        log.debug("connection from %s ended with %r", client_address, sys.exception())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "twente-claims-mirror/1.0"
    timeout = 30  # idle keep-alive connections end by themselves after this
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with self.server.active_lock:
            self.server.active.add(self.connection)
            if self.server.stopping:
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.active_lock:
                self.server.active.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _method_not_allowed(self) -> None:
        self._serve(head=False, allowed=False)

    do_POST = do_PUT = do_PATCH = do_DELETE = _method_not_allowed

    # -- one request ----------------------------------------------------------------------

    def _serve(self, head: bool, allowed: bool = True) -> None:
        app = self.server.app
        split = urlsplit(self.path)
        path = unquote(split.path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        decoded = path + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")
        record = RequestRecord(self.command, self.path, decoded, path, dict(pairs))
        app._record(record)
        plan = app.faults

        for rule in plan.take(decoded, ("delay",) + _TERMINAL_KINDS):
            record.faults.append(rule.kind)
            if rule.kind == "delay":
                app._stop.wait(rule.seconds)
                continue
            if rule.kind == "status":
                self._send(record, _Response(rule.status_code, _error_body(
                    f"Injected fault: HTTP {rule.status_code}."), _ODATA_JSON,
                    dict(rule.headers)), head)
                return
            cut = rule  # truncate or reset, applied to the body below
            break
        else:
            cut = None

        if cut is not None and cut.kind == "reset" and cut.before_headers:
            self._reset()
            return
        try:
            if not allowed:
                self.close_connection = True  # the request body (if any) is left unread
                raise ODataError(405, f"Method {self.command} is not allowed; this server is "
                                      "read-only.")
            response = app._route(path, pairs, self.headers, plan, decoded, record)
        except ODataError as err:
            response = _Response(err.status, _error_body(err.message), _ODATA_JSON)
        except Exception as exc:  # a bug in the test server: answer 500 and keep serving
            log.exception("test server failed on %s", self.path)
            response = _Response(500, _error_body(f"Test server error: {exc!r}"), _ODATA_JSON)
        if response.status == 405:
            response.headers["Allow"] = "GET, HEAD"
        self._send(record, response, head, cut)

    def _send(self, record: RequestRecord, response: _Response, head: bool,
              cut: FaultRule | None = None) -> None:
        body = response.body
        sent = len(body) if cut is None else int(len(body) * cut.fraction)
        declared = sent if cut is not None and cut.kind == "truncate" and not cut.full_length \
            else len(body)
        record.status = response.status
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(declared))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if head:
            return
        if cut is None:
            self.wfile.write(body)
            return
        self.wfile.write(body[:sent])
        if cut.kind == "truncate":
            self.close_connection = True
        else:
            time.sleep(0.05)  # let the client take the headers first: it then fails mid-body
            self._reset()

    def _reset(self) -> None:
        """Close the connection with a TCP RST instead of an orderly FIN."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.rfile.close()  # drop the makefile() reference so close() really closes now
            self.connection.close()


# --- the server object ------------------------------------------------------------------------


def _json_response(payload: Any, status: int = 200) -> _Response:
    return _Response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), _ODATA_JSON)


def _nonnegative_int(params: dict[str, str], name: str) -> int | None:
    if name not in params:
        return None
    value = params[name].strip()
    if not value.isdigit():
        raise ODataError(400, f"Invalid value '{params[name]}' for {name}: expected a "
                              "non-negative integer.")
    return int(value)


_QUERY_SAFE = "(),'"  # kept literal in next links, as CBS does; spaces, quotes etc. are encoded


def _encode_query(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{key}={quote(value, safe=_QUERY_SAFE)}" for key, value in params)


class MirrorServer:
    """A running mirror server; create it with :func:`serve_mirror`.

    Attributes: ``host_port`` (``"127.0.0.1:PORT"``, what ``cbsodata.options.catalog_url``
    wants), ``base_url`` (``"http://127.0.0.1:PORT"``), ``mirror_dir``, ``page_size`` (may be
    changed while running), ``faults`` (the current :class:`FaultPlan`; replace it with
    :meth:`set_faults`).
    """

    def __init__(self, mirror_dir: Path, *, page_size: int = 10000,
                 faults: FaultPlan | None = None) -> None:
        if page_size < 1:
            raise ValueError("page_size must be >= 1")
        self.mirror_dir = Path(mirror_dir)
        if not self.mirror_dir.is_dir():
            raise FileNotFoundError(f"mirror folder {self.mirror_dir} does not exist")
        self.page_size = page_size
        self._faults = faults if faults is not None else FaultPlan()
        self._tables = _scan_tables(self.mirror_dir)
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._filtered: OrderedDict[tuple[str, str, str], list[dict]] = OrderedDict()
        self._filtered_lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = _HTTPServer(self)
        self.host_port = f"127.0.0.1:{self._httpd.server_port}"
        self.base_url = f"http://{self.host_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"mirror-server-{self._httpd.server_port}",
                                        daemon=True)
        self._thread.start()
        self._closed = False

    # -- public API -----------------------------------------------------------------------

    @property
    def faults(self) -> FaultPlan:
        return self._faults

    def set_faults(self, plan: FaultPlan | None) -> FaultPlan:
        """Replace the fault plan (``None``: no faults) for the requests that follow."""
        self._faults = plan if plan is not None else FaultPlan()
        return self._faults

    @property
    def tables(self) -> list[str]:
        """Table ids served, as spelled on disk."""
        return [table.name for table in self._tables.values()]

    @property
    def requests(self) -> list[str]:
        """Decoded ``path?query`` of every request so far, in arrival order (a copy)."""
        with self._log_lock:
            return [record.decoded for record in self._log]

    @property
    def records(self) -> list[RequestRecord]:
        """Every request so far with method, raw target, status sent and faults fired (a copy)."""
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def table_url(self, table: str, entity_set: str = "", api: str = "ODataFeed") -> str:
        """``http://HOST/ODataFeed/odata/<table>/<entity_set>`` (no query)."""
        return f"{self.base_url}/{api}/odata/{table}/{entity_set}"

    def file_url(self, relative_path: str | Path) -> str:
        """URL of a plain file below the mirror, e.g. ``file_url("duo/x.csv")``."""
        return f"{self.base_url}/files/{quote(Path(relative_path).as_posix())}"

    @contextlib.contextmanager
    def cbsodata_client(self) -> Iterator[Any]:
        """Point the (process-global) ``cbsodata`` options at this server; yields the module.

        Sets ``catalog_url``, ``use_https=False`` and no proxies, and restores them afterwards.
        Not safe to use from several threads with different servers at once.
        """
        import cbsodata

        options = cbsodata.options
        saved = (options.catalog_url, options.use_https, dict(options.requests))
        options.catalog_url = self.host_port
        options.use_https = False
        options.requests = {**saved[2], "proxies": {"http": None, "https": None}}
        try:
            yield cbsodata
        finally:
            options.catalog_url, options.use_https, options.requests = saved

    def close(self) -> None:
        """Stop serving: close every connection, cut delays short, join all threads."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._httpd.shutdown()
        with self._httpd.active_lock:
            self._httpd.stopping = True
            for conn in list(self._httpd.active):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()  # joins the handler threads
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<MirrorServer {self.base_url} serving {self.mirror_dir}>"

    # -- internals (called from handler threads) ----------------------------------------

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(record)

    def _route(self, path: str, pairs: list[tuple[str, str]], headers: Any, plan: FaultPlan,
               decoded: str, record: RequestRecord) -> _Response:
        segments = [s for s in path.split("/") if s]
        if path.startswith("/files/"):
            return self._file(path[len("/files/"):])
        if not segments:
            return _json_response({
                "tables": {t.name: t.set_names() for t in self._tables.values()},
                "files": sorted(p.relative_to(self.mirror_dir).as_posix()
                                for p in self.mirror_dir.rglob("*") if p.is_file()),
            })
        params = dict(pairs)
        if segments[0].lower() == "odatacatalog" and len(segments) == 2 \
                and segments[1].lower() == "tables":
            self._check_json(params, headers)
            host = self._host(headers)
            rows = []
            for table in self._tables.values():
                infos = table.entity_set("TableInfos").rows if "TableInfos" in table.files else []
                rows.append({"Identifier": table.name, **(infos[0] if infos else {})})
            listing = _EntitySet("Tables", rows, _column_types(rows))
            return self._page(listing, params, f"http://{host}/ODataCatalog",
                              f"http://{host}/ODataCatalog/Tables", [])
        if len(segments) >= 3 and segments[0].lower() in _API_ROOTS \
                and segments[1].lower() == "odata":
            api = _API_ROOTS[segments[0].lower()]
            table = self._tables.get(segments[2].lower())
            if table is None:
                raise ODataError(404, f"Table '{segments[2]}' does not exist (this mirror "
                                      f"serves: {', '.join(self.tables) or 'no tables'}).")
            self._check_json(params, headers)
            root = f"http://{self._host(headers)}/{api}/{table.name}"
            rest = segments[3:]
            if not rest:
                return _json_response({
                    "odata.metadata": f"{root}/$metadata",
                    "value": [{"name": n, "url": f"{root}/{n}"} for n in table.set_names()],
                })
            if len(rest) > 1:
                raise ODataError(404, f"Resource not found for the segment '{rest[1]}'.")
            if rest[0] == "$metadata":
                raise ODataError(501, "$metadata is not served by this test server.")
            if rest[0] not in table.set_names():
                raise ODataError(404, f"Resource not found for the segment '{rest[0]}'.")
            drops = plan.take(decoded, ("drop_column",))
            record.faults.extend(rule.kind for rule in drops)
            return self._page(table.entity_set(rest[0]), params, root,
                              f"{root}/{rest[0]}", [rule.column for rule in drops],
                              cache_key=table.name)
        raise ODataError(404, f"No resource at '{path}' (try /ODataFeed/odata/<TABLE>/, "
                              "/files/<path> or /).")

    @staticmethod
    def _host(headers: Any) -> str:
        return headers.get("Host") or "127.0.0.1"

    @staticmethod
    def _check_json(params: dict[str, str], headers: Any) -> None:
        fmt = params.get("$format")
        if fmt is not None:
            if fmt.lower() not in ("json", "application/json"):
                raise ODataError(400, f"$format={fmt} is not served by this test server; use "
                                      "$format=json.")
        elif "json" not in (headers.get("Accept") or "").lower():
            raise ODataError(406, "Only JSON is served here: add $format=json (CBS would answer "
                                  "Atom XML without it).")

    def _filtered_rows(self, entity_set: _EntitySet, filter_text: str | None,
                       cache_key: str) -> list[dict]:
        if filter_text is None:
            return entity_set.rows
        key = (cache_key, entity_set.name, filter_text)
        with self._filtered_lock:
            if key in self._filtered:
                self._filtered.move_to_end(key)
                return self._filtered[key]
        predicate = compile_filter(filter_text, entity_set.columns, entity_set.name)
        rows = [row for row in entity_set.rows if predicate(row)]
        with self._filtered_lock:
            self._filtered[key] = rows
            while len(self._filtered) > 32:
                self._filtered.popitem(last=False)
        return rows

    def _page(self, entity_set: _EntitySet, params: dict[str, str], root: str, url: str,
              drop: list[str | None], cache_key: str = "") -> _Response:
        unsupported = sorted(k for k in params if k.startswith("$") and k not in _SYSTEM_OPTIONS)
        if unsupported:
            raise ODataError(400, f"Query option(s) {', '.join(unsupported)} not supported by "
                                  "this test server.")
        filter_text = params.get("$filter")
        select_text = params.get("$select")
        select: list[str] | None = None
        if select_text is not None and select_text.strip() != "*":
            select = [c.strip() for c in select_text.split(",")]
            for column in select:
                if column not in entity_set.columns:
                    raise ODataError(400, f"Could not find a property named '{column}' on type "
                                          f"'Cbs.OData.WebAPI.{entity_set.name}'.")
        skip = _nonnegative_int(params, "$skip") or 0
        top = _nonnegative_int(params, "$top")
        inlinecount = params.get("$inlinecount", "none")
        if inlinecount not in ("none", "allpages"):
            raise ODataError(400, f"Invalid $inlinecount '{inlinecount}'.")

        rows = self._filtered_rows(entity_set, filter_text, cache_key)
        window = rows[skip:] if top is None else rows[skip:skip + top]
        page = window[:self.page_size]
        if select is not None:
            page = [{k: v for k, v in row.items() if k in select} for row in page]
        if drop:
            page = [{k: v for k, v in row.items() if k not in drop} for row in page]

        payload: dict[str, Any] = {"odata.metadata":
                                   f"{root}/$metadata#Cbs.OData.WebAPI.{entity_set.name}"}
        if inlinecount == "allpages":
            payload["odata.count"] = str(len(rows))
        payload["value"] = page
        if len(window) > self.page_size:
            following: list[tuple[str, str]] = [("$format", "json")]
            if filter_text is not None:
                following.append(("$filter", filter_text))
            if select_text is not None:
                following.append(("$select", select_text))
            if top is not None:
                following.append(("$top", str(top - self.page_size)))
            following.append(("$skip", str(skip + self.page_size)))
            payload["odata.nextLink"] = f"{url}?{_encode_query(following)}"
        return _json_response(payload)

    def _file(self, relative: str) -> _Response:
        root = self.mirror_dir.resolve()
        parts = relative.split("/")
        if not relative or any(p in ("", ".", "..") for p in parts) or "\\" in relative:
            raise ODataError(404, f"No file '{relative}' in the mirror.")
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise ODataError(404, f"No file '{relative}' in the mirror.")
        suffix = target.suffix.lower()
        content_type = {".csv": "text/csv", ".json": "application/json",
                        ".md": "text/markdown"}.get(suffix) \
            or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return _Response(200, target.read_bytes(), content_type)


@contextlib.contextmanager
def serve_mirror(mirror_dir: Path, *, page_size: int = 10000,
                 faults: FaultPlan | None = None) -> Iterator[MirrorServer]:
    """Serve ``mirror_dir`` on 127.0.0.1 (OS-chosen port) for the duration of the block.

    ``page_size`` is the most rows one entity-set response carries (CBS: 10,000); ``faults`` the
    initial :class:`FaultPlan`. Yields the :class:`MirrorServer`.
    """
    server = MirrorServer(mirror_dir, page_size=page_size, faults=faults)
    try:
        yield server
    finally:
        server.close()
