"""CBS tables in the label layout: what ``cbsodata.get_data`` returns, written as one CSV.

The layout (registry layout ``cbs-label-csv``): one row per TypedDataSet record, CBS's own column
names, every dimension holding the CBS *title* instead of the key (``28 Machine-industrie``,
``2011 december `` with its trailing blank, ``Twente (CR)``), ``;``-separated, UTF-8 with BOM, LF
line ends, empty measure cells where CBS published nothing. The offline mirror holds such files
from a StatLine dump of 2025-04-22; a live fetch writes the same layout through cbsodata.

Titles are kept exactly as CBS wrote them (no stripping here): mapping them to codes is the job
of :mod:`analysis.processing.titles`.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import cbsodata
import pandas as pd

from analysis.errors import FetchError
from analysis.sources.cbs import (
    CbsLayoutError,
    _catalog,
    _cbs_failure,
    _is_transient_cbs,
    _progress,
)
from analysis.sources.download import DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT, retrying
from analysis.sources.registry import Source
from analysis.sources.snapshot import utc_now

SEPARATOR = ";"
ENCODING = "utf-8-sig"


def read_label_csv(path: Path, source: Source) -> pd.DataFrame:
    """The whole file as strings (titles untouched, '' for an empty cell), checked for its layout.

    Fails with :class:`CbsLayoutError` naming the file and the problem when the file is not UTF-8,
    lacks a required column, has a row with too few or too many fields (a truncated or damaged
    download) or record ids out of order.
    """
    data = path.read_bytes()
    try:
        text = data.decode(source.encoding or ENCODING)
    except UnicodeDecodeError as exc:
        raise CbsLayoutError(
            f"{path}: cannot be decoded as {source.encoding or ENCODING} ({exc.reason} at byte {exc.start}); "
            "the CBS label layout is UTF-8 with BOM. Re-fetch the table (`python -m analysis fetch "
            f"{source.table_id}`) rather than re-saving it in another encoding"
        ) from exc
    if text and not text.endswith("\n"):
        raise CbsLayoutError(f"{path}: the last line has no line end: the file is truncated. Fetch it again")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=SEPARATOR))
    if not rows:
        raise CbsLayoutError(f"{path}: empty file; fetch {source.table_id} again")
    header, body = rows[0], rows[1:]
    missing = [c for c in source.required_columns if c not in header]
    if missing:
        raise CbsLayoutError(
            f"{path}: not the CBS label layout of {source.table_id}: missing column(s) {missing}; found {header}. "
            "The table changed upstream or the file is damaged: check it on StatLine and data/sources.toml"
        )
    ragged = [n + 2 for n, row in enumerate(body) if len(row) != len(header)]
    if ragged:
        raise CbsLayoutError(
            f"{path}: {len(ragged)} line(s) with {'fewer' if len(body[ragged[0] - 2]) < len(header) else 'more'} "
            f"fields than the header's {len(header)} (first: line {ragged[0]}): the file is truncated or damaged. "
            "Fetch it again"
        )
    if not body:
        raise CbsLayoutError(f"{path}: header only, no records; fetch {source.table_id} again")
    frame = pd.DataFrame(body, columns=header, dtype="string").astype(object)
    ids = pd.to_numeric(frame["ID"], errors="coerce")
    if ids.isna().any() or not ids.is_monotonic_increasing or ids.duplicated().any():
        raise CbsLayoutError(
            f"{path}: the ID column is not a strictly increasing record number; the record order "
            "(which tells duplicate period titles apart) cannot be trusted. Fetch the table again"
        )
    frame["ID"] = ids.astype(int)
    for measure in source.measures:
        column = measure["column"]
        if column not in frame:
            continue
        values = pd.to_numeric(frame[column].where(frame[column] != ""), errors="coerce")
        bad = frame.loc[values.isna() & (frame[column] != ""), column]
        if not bad.empty:
            raise CbsLayoutError(f"{path}: column {column} holds non-numbers, e.g. {sorted(set(bad))[:5]}")
    return frame


def validate_label_snapshot(source: Source, folder: Path) -> None:
    """Parse the whole file, so that a broken download never replaces a good snapshot."""
    read_label_csv(folder / source.file_name, source)


def import_mirror(source: Source, mirror_root: Path, dest: Path) -> dict[str, Any]:
    """Copy the file from a mirror; ``vintages/<date>/`` of a mirror is a mirror root of its own, so a
    release kept there is also found when the fetch points at that folder."""
    path = mirror_root / source.mirror_path
    prefix = f"vintages/{source.vintage}/"
    if not path.is_file() and source.mirror_path.startswith(prefix):
        path = mirror_root / source.mirror_path.removeprefix(prefix)
    if not path.is_file():
        raise FetchError(
            f"{source.id}: the mirror has no file {path}; a mirror is laid out like the upstream "
            "(see ../shared/data/README.md, section 'CBS tables in the label layout')"
        )
    shutil.copyfile(path, dest / source.file_name)
    return {"mode": "mirror", "origin": source.mirror_path, "upstream": source.url, "vintage": source.vintage,
            "retrieved_at": utc_now(), "tool": "mirror copy"}


def write_label_csv(records: list[dict[str, Any]], path: Path) -> None:
    """Records as ``cbsodata.get_data`` returns them -> the label layout (same as the dump's).

    Numbers are written the way pandas writes a float column (``7888.2``, ``594268.0``), which is
    how the 2025-04-22 dump wrote them; ``None`` becomes an empty cell.
    """
    if not records:
        raise CbsLayoutError(f"{path.name}: CBS returned no records")
    frame = pd.DataFrame.from_records(records)
    frame.to_csv(path, sep=SEPARATOR, index=False, encoding=ENCODING, lineterminator="\n")


def fetch_live(
    source: Source,
    dest: Path,
    *,
    catalog_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    attempts: int = DEFAULT_ATTEMPTS,
    progress: bool = True,
) -> dict[str, Any]:
    """Fetch the table with ``cbsodata.get_data`` (follows ``odata.nextLink``) into the label layout."""
    with _catalog(catalog_url) as host:
        url = f"{'https' if cbsodata.options.use_https else 'http'}://{host}/ODataFeed/odata/{source.table_id}/"

        @retrying(attempts, transient=_is_transient_cbs)
        def attempt() -> list[dict[str, Any]]:
            return cbsodata.get_data(source.table_id, catalog_url=host, timeout=timeout)

        try:
            with _progress(source.table_id, progress):
                records = attempt()
        except Exception as exc:
            raise _cbs_failure(source, url, exc) from exc
    write_label_csv(records, dest / source.file_name)
    retrieved = utc_now()
    return {"mode": "live", "origin": url, "vintage": retrieved[:10], "retrieved_at": retrieved,
            "tool": f"cbsodata {cbsodata.__version__} get_data"}
