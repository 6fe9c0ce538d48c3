"""How a table is published, as the source registry (``data/sources.toml``) declares it.

Two facts the engine needs and must not guess from labels:

- :func:`rounding_unit`: the unit a table rounds employee jobs to. CBS publishes them in thousands
  with one decimal (a unit of 100 jobs, +-50); some years of some tables carry two decimals (a unit
  of 10). Declared per dataset as ``rounding = { unit = 100, years = { 2018 = 10 } }`` and checked
  against every published value by ``tests/test_engine_tables_precision.py``.
- :func:`release_order`: which release of a table is older. A release is dated by its ``released``
  field (the date it is known to have been public), by ``released_after`` (it came out after that
  date), or by its vintage where the vintage is an ISO date (a dump or retrieval date: the release
  was public by then). Equal dates are ordered by ``superseded_by``. Labels are never sorted as
  strings ("latest" < "statline-export" says nothing about time) -- except for tables the registry
  does not know at all (synthetic test tables), whose labels keep their string order.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from analysis.sources.registry import REGISTRY_FILE

# the usual CBS precision (x 1 000, one decimal); used only for tables the registry does not know
DEFAULT_JOBS_ROUNDING = 100.0


@lru_cache(maxsize=4)
def _records(path: Path = REGISTRY_FILE) -> tuple[dict[str, Any], ...]:
    with open(path, "rb") as handle:
        return tuple(tomllib.load(handle)["dataset"])


def _datasets(table: str, path: Path = REGISTRY_FILE) -> list[dict[str, Any]]:
    """The registry records of one CBS table id (any case), every release of it."""
    return [r for r in _records(path) if str(r.get("table_id", "")).lower() == table.lower()]


def _dataset(table: str, vintage: str, path: Path = REGISTRY_FILE) -> dict[str, Any] | None:
    found = [r for r in _datasets(table, path) if str(r.get("vintage", "")) == vintage]
    return found[0] if found else None


def rounding_unit(table: str, vintage: str, year: int, path: Path = REGISTRY_FILE) -> float:
    """The unit ``table`` (release ``vintage``) rounds ``year``'s employee jobs to."""
    records = _datasets(table, path)
    if not records:
        return DEFAULT_JOBS_ROUNDING
    record = _dataset(table, vintage, path)
    if record is None:  # a live fetch labels its release by retrieval date: the table's rule holds
        declared = {str(r.get("rounding")) for r in records if "rounding" in r}
        record = next((r for r in records if "rounding" in r), None) if len(declared) == 1 else None
    if record is None or "rounding" not in record:
        raise ValueError(
            f"{path.name}: table {table} (release {vintage!r}) declares no rounding unit; add "
            f"rounding = {{ unit = 100 }} (CBS x 1 000 with one decimal) to its [[dataset]], with "
            f"years = {{ <year> = 10 }} for years published with two decimals")
    rule = record["rounding"]
    return float(rule.get("years", {}).get(str(year), rule["unit"]))


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def release_key(table: str, vintage: str, path: Path = REGISTRY_FILE) -> tuple[dt.date, int, int]:
    """A sort key for one release of ``table``: (date, 1 if only 'after' that date, successors
    later). Raises ValueError when the release cannot be dated."""
    record = _dataset(table, vintage, path)
    if record is None:  # a live fetch: the vintage is the retrieval date, the release was public by then
        date = _iso(vintage)
        if date is None:
            raise ValueError(
                f"release {vintage!r} of table {table} is not in {path.name} and its label is no "
                f"date: register it with released = \"YYYY-MM-DD\" (the date it was public)")
        records = _datasets(table, path)
        return (date, 0, -_successors(records[0], path) if len(records) == 1 else 0)
    if "released" in record:
        date, after = _iso(str(record["released"])), 0
    elif "released_after" in record:
        date, after = _iso(str(record["released_after"])), 1
    else:
        date, after = _iso(vintage), 0
    if date is None:
        raise ValueError(
            f"{path.name}: dataset {record['id']!r} (release {vintage!r} of {table}) has no "
            f"release date: add released = \"YYYY-MM-DD\" or released_after = \"YYYY-MM-DD\"")
    return (date, after, -_successors(record, path))


def _successors(record: dict[str, Any], path: Path) -> int:
    """How many later releases the registry names after this one (superseded_by chain)."""
    by_id = {r["id"]: r for r in _records(path)}
    count, seen = 0, {record["id"]}
    while record.get("superseded_by"):
        record = by_id[record["superseded_by"]]
        if record["id"] in seen:
            raise ValueError(f"{path.name}: superseded_by forms a cycle at {record['id']!r}")
        seen.add(record["id"])
        count += 1
    return count


def release_order(releases: Iterable[tuple[str, str]],
                  path: Path = REGISTRY_FILE) -> list[tuple[str, str]]:
    """(table, vintage) pairs, oldest release first. Two releases with the same key are an error:
    the registry must say which came first."""
    releases = sorted(set(releases))
    if releases and all(not _datasets(t, path) for t, _ in releases) \
            and any(_iso(v) is None for _, v in releases):
        return releases  # test tables outside the registry: their labels' own order
    keyed = sorted(releases, key=lambda tv: release_key(*tv, path=path))
    keys = [release_key(*tv, path=path) for tv in keyed]
    for (first, second), (k1, k2) in zip(pairwise(keyed), pairwise(keys), strict=True):
        if k1 == k2:
            raise ValueError(
                f"{path.name}: releases {first} and {second} have the same date and neither "
                f"supersedes the other: add superseded_by or a released date to one of them")
    return keyed
