"""CBS StatLine access: cbsodata (OData v3) downloads, the OData v4 path (cbs_v4), mirror import,
validation and readers."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cbsodata
import pandas as pd
import requests
from tqdm.auto import tqdm

from analysis.errors import FetchError
from analysis.sources import cbs_v4
from analysis.sources.download import (
    DEFAULT_ATTEMPTS,
    DEFAULT_TIMEOUT,
    explain_failure,
    http_status,
    is_transient,
    retrying,
)
from analysis.sources.encoding import decode_declared
from analysis.sources.registry import Source
from analysis.sources.snapshot import utc_now

DEFAULT_CATALOG = "opendata.cbs.nl"


class CbsLayoutError(ValueError):
    """A CBS snapshot lacks an entity set or column the registry requires."""


@contextlib.contextmanager
def _catalog(catalog_url: str | None) -> Iterator[str]:
    """Point cbsodata at a catalog host (``host[:port]``, optionally with ``http://``)."""
    target = catalog_url or DEFAULT_CATALOG
    use_https = not target.startswith("http://")
    host = target.removeprefix("http://").removeprefix("https://").rstrip("/")
    old_https = cbsodata.options.use_https
    cbsodata.options.use_https = use_https
    try:
        yield host
    finally:
        cbsodata.options.use_https = old_https


class _ProgressHandler(logging.Handler):
    """cbsodata logs one 'Download <url>' line per HTTP request: we turn them into a progress bar."""

    def __init__(self, bar: tqdm) -> None:
        super().__init__(level=logging.INFO)
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Download "):
            self.bar.update(1)
            self.bar.set_postfix_str(message.rsplit("/", 1)[-1][:40])


@contextlib.contextmanager
def _progress(table_id: str, enabled: bool) -> Iterator[None]:
    root = logging.getLogger()
    old_level = root.level
    with tqdm(desc=f"CBS {table_id}", unit="req", disable=not enabled, leave=False) as bar:
        handler = _ProgressHandler(bar)
        root.addHandler(handler)
        root.setLevel(min(old_level, logging.INFO) if old_level else logging.INFO)
        try:
            yield
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)


def _is_transient_cbs(exc: BaseException) -> bool:
    # A truncated JSON body is most often a dropped connection: worth another try.
    return is_transient(exc) or isinstance(exc, json.JSONDecodeError)


def fetch_live(
    source: Source,
    dest: Path,
    *,
    catalog_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    attempts: int = DEFAULT_ATTEMPTS,
    progress: bool = True,
) -> dict[str, Any]:
    """Download a CBS table into ``dest``; return provenance for the manifest.

    OData v3 through cbsodata unless the registry sets ``odata = "v4"`` for the dataset (then
    :mod:`analysis.sources.cbs_v4`, which writes the same layout). cbsodata 1.3.5 has its ``typed`` flag
    reversed: the default ``typed=False`` downloads TypedDataSet, which is what we want (numbers as
    numbers, null where suppressed).
    """
    if odata_version(source) == "v4":
        return _fetch_v4(source, dest, catalog_url=catalog_url, timeout=timeout, attempts=attempts,
                         progress=progress)
    with _catalog(catalog_url) as host:
        url = f"{'https' if cbsodata.options.use_https else 'http'}://{host}/ODataFeed/odata/{source.table_id}/"

        @retrying(attempts, transient=_is_transient_cbs)
        def attempt() -> None:
            for old in dest.glob("*.json"):
                old.unlink()
            cbsodata.download_data(
                source.table_id, dir=str(dest), typed=False, filters=source.filter or None,
                catalog_url=host, timeout=timeout,
            )

        try:
            with _progress(source.table_id, progress):
                attempt()
        except Exception as exc:
            raise _cbs_failure(source, url, exc) from exc
    return {
        "mode": "live",
        "origin": url,
        "filter": source.filter,
        "retrieved_at": utc_now(),
        "tool": f"cbsodata {cbsodata.__version__}",
    }


ODATA_VERSIONS = ("v3", "v4")


def odata_version(source: Source) -> str:
    """The OData version a live fetch of ``source`` uses: ``odata`` in the registry, v3 by default."""
    version = source.extra.get("odata", "v3")
    if version not in ODATA_VERSIONS:
        raise CbsLayoutError(f"dataset {source.id}: odata = {version!r} in src/analysis/data/sources.toml; "
                             f"use one of {ODATA_VERSIONS}")
    return version


def _fetch_v4(source: Source, dest: Path, *, catalog_url: str | None, timeout: float, attempts: int,
              progress: bool) -> dict[str, Any]:
    url = cbs_v4.table_url(source, catalog_url)
    try:
        fields = cbs_v4.fetch_cells(source, dest, catalog_url=catalog_url, timeout=timeout, attempts=attempts,
                                    progress=progress)
    except cbs_v4.CbsV4LayoutError as exc:
        raise CbsLayoutError(str(exc)) from exc
    except Exception as exc:
        raise _cbs_failure(source, url, exc) from exc
    return {"mode": "live", **fields, "retrieved_at": utc_now(), "tool": f"requests {requests.__version__}"}


def _cbs_failure(source: Source, url: str, exc: BaseException) -> FetchError:
    inner = getattr(getattr(exc, "last_attempt", None), "exception", lambda: None)() or exc
    if isinstance(inner, json.JSONDecodeError):
        return FetchError(
            f"CBS {source.table_id}: {url} sent incomplete or invalid JSON ({inner.msg} at character "
            f"{inner.pos}) on every attempt; try again later. The previous snapshot is untouched."
        )
    if isinstance(inner, requests.HTTPError) and http_status(inner) == 404:
        return FetchError(
            f"CBS table {source.table_id!r} was not found at {url} (404): check the table id on "
            f"{source.page_url or 'StatLine'}; CBS moves discontinued tables. The previous snapshot is untouched."
        )
    return explain_failure(f"CBS {source.table_id}", url, inner)


def import_mirror(source: Source, mirror_root: Path, dest: Path) -> dict[str, Any]:
    """Copy a table from an offline mirror laid out as cbsodata writes it."""
    folder = mirror_root / source.mirror_path
    if not folder.is_dir():
        raise FetchError(
            f"CBS {source.table_id}: the mirror has no folder {folder}; a mirror must be laid out like "
            f"the upstream (see ../shared/data/README.md): {source.mirror_path}/<EntitySet>.json"
        )
    for entity in sorted(folder.glob("*.json")):
        shutil.copyfile(entity, dest / entity.name)
    return {
        "mode": "mirror",
        "origin": source.mirror_path,
        "upstream": source.url,
        "filter": source.filter,
        "retrieved_at": utc_now(),
        "tool": "mirror copy",
    }


def validate_snapshot(source: Source, folder: Path) -> None:
    """Every registered entity set present as a complete JSON list, the data set with its columns."""
    for entity in source.entity_sets:
        path = folder / f"{entity}.json"
        if not path.exists():
            found = sorted(p.stem for p in folder.glob("*.json"))
            raise CbsLayoutError(f"CBS {source.table_id}: entity set {entity} is missing (found: {found})")
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CbsLayoutError(f"{path.name} is not complete JSON ({exc.msg} at character {exc.pos})") from exc
        if not isinstance(rows, list) or not rows:
            raise CbsLayoutError(f"{path.name}: expected a non-empty JSON list of rows")
        if entity == "TypedDataSet":
            _check_columns(source, path.name, rows)


def _check_columns(source: Source, name: str, rows: list[dict[str, Any]]) -> None:
    required = set(source.required_columns)
    for number, row in enumerate(rows):
        missing = required - row.keys()
        if missing:
            raise CbsLayoutError(
                f"CBS {source.table_id} {name}: row {number} lacks column(s) {sorted(missing)} "
                f"(has {sorted(row)}); the table's layout changed upstream or the download is damaged. "
                "Check the table on StatLine and update data/sources.toml"
            )


def read_entity_set(folder: Path, entity: str) -> pd.DataFrame:
    """One entity set of a snapshot as a DataFrame (code columns stripped of CBS's padding)."""
    rows = json.loads((folder / f"{entity}.json").read_text(encoding="utf-8"))
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: v.strip() if isinstance(v, str) else v)
    return frame


STATLINE_MISSING = {"x", ".", "-", "?"}
STATLINE_ENCODING_FIX = ("Use the export as StatLine delivered it (do not re-save it in another program), or "
                         "export the table again; fetch it with `python -m analysis fetch --mirror DIR`")


def read_statline_csv(path: Path, encoding: str = "iso-8859-1", required: tuple[str, ...] = ()) -> pd.DataFrame:
    """A StatLine CSV export 'met statistische symbolen' (``;``-separated, labels, symbols for gaps).

    Returns the raw columns as strings; numbers are converted by the processing step so that
    the symbols (``x`` = secret, ``.`` = not available) survive as flags.
    """
    text = decode_declared(path.read_bytes(), encoding, path, STATLINE_ENCODING_FIX)
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CbsLayoutError(
            f"{path}: not the expected StatLine CSV layout: missing column(s) {missing}; found {list(frame.columns)}. "
            "Export the table from StatLine as CSV 'met statistische symbolen' with labels"
        )
    return frame
