"""A reading -> a registry entry (v3, docs/registry.md) and the engine's check of it.

Only readings whose kind the engine can check become entries (``Reading.engine_kind``): changes,
comparisons, DUO shares, and (:mod:`.entry_kinds`) levels, changes in a number, ranks among regions and
sector shares. The
others (changes in numbers of jobs, a region that fell while the nation grew, a place without a rise
or fall) are described but not written, with the reason. The entry is a plain dict of plain values: the TOML
is made from it by :mod:`.toml_writer`, never by formatting strings.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from analysis.reader import entry_kinds
from analysis.reader.candidates import Reading


class NotCheckable(ValueError):
    """The reading's kind has no query template in the engine yet."""


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 10)


def claim_id(reading: Reading, taken: set[str]) -> str:
    who = ("-".join(reading.institutions) or reading.region or "nl").lower()
    when = f"{reading.base_year}-{reading.end_year}" if reading.year is None else str(reading.year)
    stem = re.sub(r"[^a-z0-9_-]+", "-", f"proposed-{who}-{reading.kind}-{when}")
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}-{n}", n + 1
    return name


def _claimed(reading: Reading, sign: float) -> dict[str, Any]:
    low, high = reading.number.interval
    if sign < 0:
        low, high = (None if high is None else -high), (None if low is None else -low)
    claimed: dict[str, Any] = {"low": _round(low), "high": _round(high), "value": _round(sign * reading.number.value),
                               "unit": reading.number.unit, "text": reading.words.get("claimed", "")}
    return claimed


def check_table(reading: Reading) -> dict[str, Any]:
    """``[claim.check]`` of the reading (NotCheckable for a kind the engine has no template for)."""
    kind = reading.engine_kind
    if kind is None:
        raise NotCheckable(f"kind {reading.kind!r}" + (f" ({reading.relation})" if reading.relation else "")
                           + " is not yet checkable by the engine")
    try:
        if kind == "level":
            return entry_kinds.level_table(reading, _claimed(reading, 1.0))
        if kind == "enrolment_level":
            return entry_kinds.enrolment_level_table(reading, _claimed(reading, 1.0))
        if kind == "share_of_total":
            return entry_kinds.share_of_total_table(reading, _claimed(reading, 1.0))
        if kind == "rank":
            return entry_kinds.rank_table(reading)
        if kind in ("level_change", "enrolment_change"):
            return entry_kinds.count_change_table(reading, kind, _claimed(reading, 1.0))
    except entry_kinds.NotCheckableReading as exc:
        raise NotCheckable(str(exc)) from None
    table: dict[str, Any] = {"kind": kind}
    if kind == "share":
        table["reading"] = {"institutions": reading.institutions, "sectors": reading.croho_sectors or ["techniek"],
                            "year": reading.year}
        if reading.number is not None:
            table["claimed"] = _claimed(reading, 1.0)
        return table
    table["reading"] = {"sector": reading.sector, "base_year": reading.base_year, "end_year": reading.end_year}
    if kind == "change_vs_comparator":
        table["relation"] = reading.relation
        table["reading"]["comparator"] = reading.comparator or "nation"
        return table
    number = reading.number
    if number is None or number.unit != "percent":
        table["relation"] = reading.relation if reading.relation in ("rise", "fall") else "rise"
        return table
    low, high = number.interval
    sign = -1.0 if reading.direction == "fall" else 1.0
    if high is None or low is None:  # "meer dan 3 procent": a threshold, not an interval
        table["relation"] = "fall" if sign < 0 else "rise"
        table["reading"]["threshold"] = number.value
        return table
    table["relation"] = "value"
    table["claimed"] = _claimed(reading, sign)
    return table


def source_table(url: str, date: dt.date, publisher: str | None, title: str | None) -> dict[str, Any]:
    host = urlparse(url).netloc.removeprefix("www.") if url else ""
    return {"publisher": publisher or host or "unknown publisher", "title": title or (url or "unknown title"),
            "url": url or "", "date": date.isoformat()}


def published_nation(reading: dict[str, Any], data_dir: Path | None = None) -> str | None:
    """The table whose published national row a comparison's "nationally" is read against: the
    ``[meta.national_rows]`` table of the reading's table (83582NED -> 83583NED) when it publishes the
    reading's sector in both years. None leaves the engine's default, the sum of the COROP regions, whose
    suppressed cells make the nation an interval and which leaves out the jobs no region is assigned.
    The shipped claims read "landelijk" the same way."""
    from analysis.engine.check import registry_for, tables_for
    from analysis.engine.kinds.base import SERIES_PARAMS, resolve_codes, sector_list
    from analysis.engine.tables import NATION, NoData

    registry = registry_for()  # the shipped [meta], which every proposed entry is written with
    national = registry.meta.get("national_rows", {}).get(str(reading.get("table", SERIES_PARAMS["table"]["default"])))
    sector = reading.get("sector")
    if national is None or not sector or reading.get("base_year") is None or reading.get("end_year") is None:
        return None
    tables = tables_for(data_dir)
    available = set(tables.jobs_codes(national, NATION))
    wanted = sector_list(registry, str(sector))
    if wanted is None:  # one SBI code
        codes = [str(sector)] if str(sector) in available else None
    else:  # a code list of [meta.sector_lists], covered by the table's cells
        codes = resolve_codes(wanted, available)
    if not codes:
        return None
    try:
        bounds = [tables.national_jobs(national, codes, int(reading[year])) for year in ("base_year", "end_year")]
    except NoData:  # a year the national table does not hold (yet)
        return None
    return national if all(bound.value is not None for bound in bounds) else None  # published, not bounded


def build_entry(reading: Reading, sentence: str, date: dt.date, *, url: str = "", publisher: str | None = None,
                title: str | None = None, taken: set[str] = frozenset(), data_dir: Path | None = None) -> dict[str, Any]:
    """The ``[[claim]]`` table of the reading (plain values; the sentence kept as it was written).
    ``data_dir``: the processed tables that decide which national figure a comparison reads."""
    check = check_table(reading)
    if check["kind"] == "change_vs_comparator":
        nation = published_nation(check["reading"], data_dir)
        if nation is not None:
            check["reading"]["nation"] = nation
    entry: dict[str, Any] = {"id": claim_id(reading, set(taken))}
    if reading.region:  # of institutions: the region of their seat, when it is known
        entry["region"] = reading.region
    # both texts are required; the sentence stands in for the translation until someone writes it
    entry["text_nl"] = sentence
    entry["text_en"] = sentence
    entry["source"] = source_table(url, date, publisher, title)
    entry["check"] = check
    return _without_none(entry)


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def shipped_meta() -> dict[str, Any]:
    """The shipped registry's ``[meta]`` (defaults, public dates, sector lists) for a new registry."""
    from analysis.engine.registry import REGISTRY_FILE

    with REGISTRY_FILE.open("rb") as handle:
        return tomllib.load(handle)["meta"]


def validate_entry(entry: dict[str, Any], data_dir: Path | None = None) -> None:
    """Raise the registry's RegistryError when the entry names what the data do not hold (a year before
    the claim's table begins, an SBI code the table lacks): such an entry is never written."""
    from analysis.engine.check import tables_for
    from analysis.engine.registry import load_registry, validate_against_data
    from analysis.reader.toml_writer import dumps_registry

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "proposed.toml"
        path.write_text(dumps_registry(shipped_meta(), [entry]), encoding="utf-8")
        validate_against_data(load_registry(path), tables_for(data_dir))


def check_entry(entry: dict[str, Any], data_dir: Path | None = None) -> Any:
    """The engine's check of the entry, in a registry of its own (the shipped ``[meta]``)."""
    from analysis.engine.check import check
    from analysis.reader.toml_writer import dumps_registry

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "proposed.toml"
        path.write_text(dumps_registry(shipped_meta(), [entry]), encoding="utf-8")
        return check(entry["id"], registry=path, data_dir=data_dir)
