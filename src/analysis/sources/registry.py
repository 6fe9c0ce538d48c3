"""The source registry: one record per dataset, read from ``data/sources.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.paths import PACKAGE_DATA

REGISTRY_FILE = PACKAGE_DATA / "sources.toml"
KINDS = ("cbs-odata3", "cbs-odata3-labels", "http-file", "manual-export")
# Fields a reader sees: each has one variant per report language (title_nl, title_en, ...); the plain
# field stays what the pipeline records in the manifest.
SHOWN_FIELDS = ("title", "licence", "partial")
SHOWN_LANGUAGES = ("nl", "en")


class UnknownSourceError(KeyError):
    """A dataset or table id that the registry does not know."""

    def __str__(self) -> str:  # KeyError quotes its message; we want plain text
        return str(self.args[0])


@dataclass(frozen=True)
class Source:
    """One dataset as registered: who publishes it, where it lives, what it must contain."""

    id: str
    publisher: str
    kind: str
    title: str
    description: str
    url: str
    page_url: str
    url_status: str
    licence: str
    attribution: str
    layout: str
    mirror_path: str
    required_columns: tuple[str, ...]
    table_id: str = ""
    level: str = ""
    file_name: str = ""
    encoding: str = "utf-8"
    filter: str = ""
    entity_sets: tuple[str, ...] = ()
    measure: str = ""
    unit_multiplier: int = 1
    partial: str = ""
    years: tuple[int, ...] = ()  # DUO enrolment editions: the years the file must hold
    # the release held (a date where known, else a label); see sources.toml
    vintage: str = ""
    superseded_by: str = ""  # id of the later release of the same statistic, if the registry holds it
    # label layout (kind cbs-odata3-labels): dimensions in feed order, measures, complete blocks
    dimensions: tuple[str, ...] = ()
    measures: tuple[dict[str, Any], ...] = ()
    complete: tuple[dict[str, dict[str, Any]], ...] = ()
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    leave_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    expect_region_levels: tuple[str, ...] = ()
    all_regions_title: str = ""
    duplicate_periods: str = ""
    size_basis: str = ""
    truncated: str = ""
    # what pages show, per language (see SHOWN_FIELDS)
    title_nl: str = ""
    title_en: str = ""
    licence_nl: str = ""
    licence_en: str = ""
    partial_nl: str = ""
    partial_en: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_cbs(self) -> bool:
        return self.publisher == "CBS"

    def shown(self, name: str, lang: str) -> str:
        """What a page in ``lang`` shows for ``name`` (one of SHOWN_FIELDS)."""
        if name not in SHOWN_FIELDS or lang not in SHOWN_LANGUAGES:
            raise ValueError(f"no shown field {name!r} in language {lang!r}: use one of {SHOWN_FIELDS} "
                             f"and {SHOWN_LANGUAGES}")
        return str(getattr(self, f"{name}_{lang}"))


def _source_from_record(record: dict) -> Source:
    known = set(Source.__dataclass_fields__) - {"extra"}
    values = {k: v for k, v in record.items() if k in known}
    for key in ("required_columns", "entity_sets", "dimensions", "measures", "complete", "expect_region_levels",
                "years"):
        if key in values:
            values[key] = tuple(values[key])
    if "leave_out" in values:
        values["leave_out"] = {k: tuple(v) for k, v in values["leave_out"].items()}
    extra = {k: str(v) for k, v in record.items() if k not in known}
    source = Source(**values, extra=extra)
    if source.kind not in KINDS:
        raise ValueError(f"{REGISTRY_FILE}: dataset {source.id!r} has unknown kind {source.kind!r}; use one of {KINDS}")
    if source.kind == "cbs-odata3-labels":
        _check_label_record(source)
    _check_shown_fields(source)
    if source.publisher == "DUO" and source.layout.startswith("duo-") and source.layout != "duo-institutions" \
            and not source.years:
        raise ValueError(f"{REGISTRY_FILE}: DUO edition {source.id!r} declares no years: give the years the file "
                         "must hold (years = [2015, 2016, ...]), so that a file that lost one is refused")
    return source


def _check_shown_fields(source: Source) -> None:
    """Every field a page shows has a Dutch and an English variant (a partial one only if set)."""
    missing = [f"{name}_{lang}" for name in SHOWN_FIELDS for lang in SHOWN_LANGUAGES
               if (name != "partial" or source.partial) and not getattr(source, f"{name}_{lang}")]
    if missing:
        raise ValueError(f"{REGISTRY_FILE}: dataset {source.id!r} has no {', '.join(missing)}: give what the "
                         "Dutch and the English pages show (title_nl = \"...\", title_en = \"...\", ...)")


def _check_label_record(source: Source) -> None:
    """A label-layout dataset must say what is complete and how to read its measures."""
    problems = []
    if not source.complete:
        problems.append("no [[dataset.complete]] block (say which records are known complete)")
    if not source.measures:
        problems.append("no measures")
    for number, block in enumerate(source.complete):
        if set(block) != set(source.dimensions):
            problems.append(f"complete block {number} names {sorted(block)}, not the dimensions {list(source.dimensions)}")
    for measure in source.measures:
        if not {"column", "name", "multiplier"} <= set(measure):
            problems.append(f"measure {measure} needs column, name and multiplier")
    if problems:
        raise ValueError(f"{REGISTRY_FILE}: dataset {source.id!r}: " + "; ".join(problems))


@lru_cache(maxsize=4)
def load_registry(path: Path = REGISTRY_FILE) -> dict[str, Source]:
    """All registered datasets, keyed by id, in registry order."""
    with open(path, "rb") as handle:
        records = tomllib.load(handle)["dataset"]
    registry = {}
    for record in records:
        source = _source_from_record(record)
        if source.id in registry:
            raise ValueError(f"{path}: dataset id {source.id!r} is registered twice")
        registry[source.id] = source
    return registry


def get_source(name: str) -> Source:
    """Look a dataset up by id (``cbs-83582NED``) or CBS table id (``83582NED``, any case)."""
    registry = load_registry()
    if name in registry:
        return registry[name]
    for source in registry.values():
        if source.table_id and source.table_id.lower() == name.lower():
            return source
    choices = ", ".join(registry)
    raise UnknownSourceError(f"unknown dataset or table id {name!r}; registered: {choices}")


def current_release(source: Source) -> Source:
    """The latest release the registry holds of the statistic ``source`` belongs to."""
    registry = load_registry()
    seen = {source.id}
    while source.superseded_by:
        source = registry[source.superseded_by]
        if source.id in seen:
            raise ValueError(f"{REGISTRY_FILE}: superseded_by forms a cycle at {source.id!r}")
        seen.add(source.id)
    return source


def shown_text(dataset_id: str, name: str, lang: str, fallback: str = "") -> str:
    """What a page in ``lang`` shows for field ``name`` of dataset ``dataset_id``; ``fallback`` (the
    manifest's value) for a dataset this registry does not hold."""
    source = load_registry().get(dataset_id)
    return source.shown(name, lang) if source is not None else fallback


def sources_by_publisher(publisher: str) -> list[Source]:
    return [s for s in load_registry().values() if s.publisher == publisher]
