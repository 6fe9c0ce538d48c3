"""The typed schema of a claim registry (v3; docs/registry.md), in pydantic v2.

Strict: a text is never read as a number (``threshold = "5.0"``, ``base_year = "2010"``, ``claimed =
{ value = "36" }`` are refused, not coerced) and an unknown key is refused everywhere. A
:class:`pydantic.ValidationError` becomes a :class:`RegistryError` naming the claim, the field path
and the fix (:func:`entry_problem`); a misspelt key gets the closest valid one. The parameters of a
kind (``[claim.check.reading]`` and its perturbations) depend on the kind and are typed by
:mod:`analysis.engine.schema_params`.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from analysis.engine.registry_errors import RegistryError, closest, entry_error


def _iso_date(value: Any) -> Any:
    """A TOML date (``2017-10-18``) or a text in ISO form (``"2017-10-18"``); anything else fails."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time: write YYYY-MM-DD")  # noqa: TRY004 - pydantic reports ValueError
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD") from None
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]  # a page name: claim-<id>.html
Number = float  # strict: an integer is a number too, a text is not


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Source(Strict):
    """Who published the claim and when (any key may come from the claim's publication)."""

    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    date: IsoDate | None = None
    publisher_url: str | None = None


class Publication(Strict):
    """A publication several claims share."""

    title: str
    publisher: str
    date: IsoDate
    url: str = ""
    publisher_url: str = ""


class Perturbation(Strict):
    param: str
    values: list[Any] = Field(min_length=1)
    weights: list[Number] = Field(min_length=1)


class ContextItem(Strict):
    set: dict[str, Any] = Field(default_factory=dict)
    role: Literal["context", "upper_bound", "lower_bound"] = "context"
    label_nl: str | None = None
    label_en: str | None = None


class PublishedSource(Strict):
    """A third party's published figures (``[claim.check.sources.<name>]``)."""

    date: IsoDate
    region: str | None = None
    nation: str | None = None
    region_level: str | None = None
    label_nl: str | None = None
    label_en: str | None = None
    subject_nl: str | None = None
    subject_en: str | None = None


class PublishedLevel(Strict):
    figures: list[str] = Field(min_length=1)
    year: int
    date: IsoDate
    label_nl: str | None = None
    label_en: str | None = None


class Claimed(Strict):
    """The claimed number: ``{value, decimals}`` or ``{low, high}`` (plus optional words)."""

    value: Number | None = None
    decimals: int | None = None
    low: Number | None = None
    high: Number | None = None
    unit: str | None = None
    text: str | None = None


class Given(Strict):
    region_change: Claimed


class Check(Strict):
    kind: str
    relation: str | None = None
    claimed: Claimed | None = None
    given: Given | None = None
    tense: Literal["past", "present"] = "past"
    reading: dict[str, Any] = Field(default_factory=dict)
    perturb: list[Perturbation] = Field(default_factory=list)
    ex_post: dict[str, Any] = Field(default_factory=dict)
    context: list[ContextItem] = Field(default_factory=list)
    sources: dict[str, PublishedSource] = Field(default_factory=dict)
    levels: dict[str, PublishedLevel] = Field(default_factory=dict)
    reading_nl: str | None = None
    reading_en: str | None = None
    subject_nl: str | None = None
    subject_en: str | None = None
    word_nl: str | None = None
    word_en: str | None = None
    given_nl: str | None = None
    given_en: str | None = None
    notes_nl: str | None = None
    notes_en: str | None = None
    reason_nl: str | None = None
    reason_en: str | None = None
    settled_by_nl: str | None = None
    settled_by_en: str | None = None


class Trends(Strict):
    series: str
    comparator: Literal["like-for-like", "nation", "rest"] = "like-for-like"
    first_year: int | None = None


class Placebo(Strict):
    metric: Literal["change", "trend"]
    series: str
    base: int
    end: int
    alternative: Literal["less", "greater", "two-sided"] = "two-sided"


class ClaimEntry(Strict):
    id: Identifier
    order: int | None = None
    publication: str | None = None
    region: str | None = None
    title_en: str | None = None
    title_nl: str | None = None
    text_nl: str = Field(min_length=1, description="the claim as published (Dutch)")
    text_en: str = Field(min_length=1, description="the claim in English")
    source: Source | None = None
    check: Check = Field(description="the checkable form: kind, reading, perturbations")
    trends: Trends | None = None
    placebo: Placebo | None = None


class PublicRule(Strict):
    year_offset: int
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    # known release dates that replace the rule for their reference year (TOML keys are texts)
    released: dict[Annotated[str, Field(pattern=r"^\d{4}$")], IsoDate] = Field(default_factory=dict)


class SectorList(Strict):
    file: str
    column: str
    code_column: str
    label_nl: str
    label_en: str


class Verdict(Strict):
    supported: float | None = None
    fragile: float | None = None
    cherry_picked: float | None = None


class Meta(Strict):
    region: str = Field(description="the default region of a claim, e.g. 'CR12'")
    publication: str | None = None  # the default publication of a claim that names none
    public: dict[str, PublicRule] = Field(default_factory=dict)
    national_rows: dict[str, str] = Field(default_factory=dict)
    precision: dict[str, Number] = Field(default_factory=dict)
    verdict: Verdict = Field(default_factory=Verdict)
    sector_lists: dict[str, SectorList] = Field(default_factory=dict)
    locations: dict[str, list[str]] = Field(default_factory=dict)


class RegistryHead(Strict):
    """The registry without its claims (each claim is validated on its own, to name its id)."""

    meta: Meta
    publication: dict[Identifier, Publication] = Field(default_factory=dict)
    claim: list[dict[str, Any]] = Field(default_factory=list)


# --- errors in words ------------------------------------------------------------------------------

# Keys of a v2 registry and what replaced them in v3 (docs/registry.md, "From v2 to v3").
_PUBLICATION = "a [publication.<id>] table (title, publisher, date, url, publisher_url) or the claim's [claim.source]"
V2_KEYS = {
    "check.date": "the claim's date is its source's date: [claim.source] date (or its publication's)",
    "check.region_specific": "the claim's own region = \"...\" replaces it; its kind says whether it "
                             "can be checked elsewhere",
    "check.applies_to": "the claim's own region = \"...\" replaces it",
    "title": "title_en (and title_nl)",
    "meta.focal_region": "[meta] region",
    "meta.article_title": _PUBLICATION, "meta.article_date": _PUBLICATION, "meta.article_url": _PUBLICATION,
    "meta.publisher": _PUBLICATION, "meta.publisher_site": _PUBLICATION,
}

_TYPE_WORDS = {"int_type": "an integer", "float_type": "a number", "string_type": "a text",
               "bool_type": "true or false", "list_type": "a list", "dict_type": "a table",
               "model_type": "a table", "date_type": "a date (YYYY-MM-DD)"}


def path_text(loc: tuple[Any, ...]) -> str:
    """('check', 'perturb', 0, 'weights') -> 'check.perturb[1].weights' (positions from 1)."""
    text = ""
    for step in loc:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _fields_at(model: Any, loc: tuple[Any, ...]) -> dict[str, Any] | None:
    """The fields of the model at ``loc`` (to name the closest valid key of an unknown one)."""
    current: Any = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(step, str):
            if step not in current.model_fields:
                return None
            current = current.model_fields[step].annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return dict(current.model_fields)
    return None


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> X; ``Annotated[X, ...]`` -> X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def entry_problem(error: ValidationError, claim_id: str, model: Any, prefix: str = "") -> RegistryError:
    """The first problem of a validation error, with the claim, the field path and the fix."""
    errors = error.errors()
    # a misspelt key is both unknown and (its right spelling) missing: the unknown one says more
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = tuple(first["loc"])
    where = (prefix + path_text(loc)) if prefix else path_text(loc)
    kind, given = first["type"], first.get("input")
    if kind == "extra_forbidden" and path_text(loc) in V2_KEYS:
        return entry_error(claim_id, where, f"a key of registry v2; in v3: {V2_KEYS[path_text(loc)]}")
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1]) or {}
        near = closest(loc[-1], fields)
        hint = f"; did you mean {near!r}?" if near else ""
        return RegistryError(f"claim {claim_id!r}, field {where}: unknown key{hint} (allowed: "
                             f"{', '.join(sorted(fields))})")
    if kind == "missing":
        fields = _fields_at(model, loc[:-1]) or {}
        described = getattr(fields.get(loc[-1]), "description", None)
        return entry_error(claim_id, where, "missing" + (f": {described}" if described else ""))
    if kind in _TYPE_WORDS:
        fix = "; write it without quotes" if kind in ("int_type", "float_type") and numeric_text(given) \
            else ""
        fix = fix or f"; give {_TYPE_WORDS[kind]}"
        return entry_error(claim_id, where, f"expected {_TYPE_WORDS[kind]}, got {_shown(given)}{fix}")
    if kind == "literal_error":
        allowed = first.get("ctx", {}).get("expected", "")
        return entry_error(claim_id, where, f"{given!r} is not allowed; expected {allowed}")
    if kind == "string_pattern_mismatch":
        return entry_error(claim_id, where, f"{given!r}: use lower case letters, digits, '-' and '_'")
    return entry_error(claim_id, where, f"{first['msg']} (given {_shown(given)})")


def numeric_text(value: Any) -> bool:
    """Whether ``value`` is a number written as a text ("5.0", "2010"): quoted by mistake."""
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def parse_claim(record: Any, number: int) -> ClaimEntry:
    """One ``[[claim]]`` record as a :class:`ClaimEntry` (RegistryError naming its id otherwise)."""
    claim_id = record.get("id") if isinstance(record, dict) else None
    if not isinstance(claim_id, str) or not claim_id:
        claim_id = f"#{number} (no id)"
    try:
        return ClaimEntry.model_validate(record)
    except ValidationError as error:
        raise entry_problem(error, claim_id, ClaimEntry) from None


def parse_head(data: dict[str, Any]) -> RegistryHead:
    """``[meta]`` and the ``[publication.<id>]`` tables (RegistryError naming the table otherwise)."""
    unknown = set(data) - {"meta", "publication", "claim"}
    if unknown:
        name = min(unknown)
        near = closest(name, ("meta", "publication", "claim"))
        raise RegistryError(f"registry: unknown top-level table {name!r}"
                            + (f"; did you mean {near!r}?" if near else "")
                            + "; allowed: meta, publication, claim")
    try:
        return RegistryHead.model_validate(data)
    except ValidationError as error:
        problem = entry_problem(error, "-", RegistryHead)
        raise RegistryError(str(problem).replace("claim '-', field ", "registry, field ", 1)) from None
