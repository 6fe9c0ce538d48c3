"""The claim registry (``data/claims.toml``): load, validate, hash.

A claim is data: its kind (a query template in :mod:`analysis.engine.kinds`), the claimant's
reading (the kind's parameters at p0), the claimed number as an interval, the perturbations (per
parameter: the sensible alternatives with sensibility weights that add up to 1), the ex-post
overrides, context items, published sources and the reader-facing texts. Each claim's v2 entry
lives in its ``[claim.check]`` table; the other keys of a ``[[claim]]`` record (title, source,
trends, placebo) are for the report and are not read here.

:func:`load_registry` fails at load, naming the claim, the field and the allowed values, for an
unknown kind, a missing or misspelt parameter, weights that do not add up, and (when ``tables``
are given, as :func:`analysis.engine.check.check` does) a dataset, SBI code, region or year the
data do not have. :attr:`Registry.hash` is the sha256 of the file, shown in the report so that a
changed plan shows as a change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import paths

if TYPE_CHECKING:
    from analysis.engine.tables import Tables

REGISTRY_FILE = paths.PACKAGE_DATA / "claims.toml"
WEIGHT_TOLERANCE = 1e-6
CHECK_KEYS = {
    "kind", "relation", "reading", "perturb", "claimed", "ex_post", "context", "sources", "levels",
    "region_specific", "applies_to", "date", "reading_nl", "reading_en", "subject_nl", "subject_en",
    "reason_nl", "reason_en", "settled_by_nl", "settled_by_en", "notes_nl", "notes_en",
    "word_nl", "word_en", "tense", "given", "given_nl", "given_en",
}
TENSES = ("past", "present")  # present: the latest public figure is the reading (not a pick)
TIME_PARAMS = ("year", "end_year")
PRECISION_WEIGHTS = {"stated": 0.75, "round": 0.25}  # default of [meta.precision]
SOURCE_KEYS = {"date", "region", "nation", "region_level", "label_nl", "label_en", "subject_nl",
               "subject_en"}
LEVEL_KEYS = {"figures", "year", "date", "label_nl", "label_en"}
CONTEXT_KEYS = {"set", "role", "label_nl", "label_en"}
CONTEXT_ROLES = ("context", "upper_bound", "lower_bound")


class RegistryError(ValueError):
    """A registry entry the engine cannot use; the message names claim, field and allowed values."""


@dataclass(frozen=True)
class Axis:
    """One perturbed parameter: its alternatives and their sensibility weights (sum 1)."""

    param: str
    values: tuple[Any, ...]
    weights: tuple[float, ...]

    def weight_of(self, value: Any) -> float:
        return self.weights[self.values.index(value)]


@dataclass(frozen=True)
class Claim:
    """One claim as the v2 engine reads it."""

    id: str
    order: int
    text_nl: str
    text_en: str
    kind: str
    date: dt.date
    reading: dict[str, Any]
    axes: tuple[Axis, ...]
    claimed: dict[str, Any] | None
    relation: str | None
    ex_post: dict[str, Any]
    context: tuple[dict[str, Any], ...]
    sources: dict[str, dict[str, Any]]
    levels: dict[str, dict[str, Any]]
    applies_to: tuple[str, ...] | None  # None: every region
    texts: dict[str, str] = field(default_factory=dict)
    tense: str = "past"
    given: dict[str, dict[str, Any]] = field(default_factory=dict)  # the claim's own other numbers
    own_regions: tuple[str, ...] = ()  # the regions the claim is about (its given numbers are theirs)

    @property
    def time_axes(self) -> tuple[int, ...]:
        """The axes a claim in the present tense does not count for uniqueness (its time)."""
        if self.tense != "present":
            return ()
        return tuple(i for i, axis in enumerate(self.axes) if axis.param in TIME_PARAMS)

    def text(self, name: str) -> dict[str, str] | None:
        """A reader-facing text of the claim as {'nl': ..., 'en': ...} (for i18n params)."""
        nl, en = self.texts.get(f"{name}_nl"), self.texts.get(f"{name}_en")
        return {"nl": nl, "en": en} if nl is not None and en is not None else None


@dataclass(frozen=True)
class Registry:
    path: Path
    hash: str
    meta: dict[str, Any]
    claims: dict[str, Claim]

    def claim(self, claim_id: str) -> Claim:
        if claim_id not in self.claims:
            raise KeyError(f"unknown claim {claim_id!r}; registered: {', '.join(self.claims)}")
        return self.claims[claim_id]

    @property
    def focal_region(self) -> str:
        return str(self.meta.get("focal_region", "CR12"))

    def public_date(self, input_name: str, year: int) -> dt.date:
        """When the figure of reference year ``year`` of an input became public (``[meta.public]``)."""
        rules = self.meta.get("public", {})
        if input_name not in rules:
            raise RegistryError(f"[meta.public] has no rule for {input_name!r}; known: "
                                f"{', '.join(sorted(rules))}")
        rule = rules[input_name]
        return dt.date(int(year) + int(rule["year_offset"]), int(rule["month"]), int(rule["day"]))


def _fail(claim_id: str, where: str, problem: str, allowed: Any = None) -> RegistryError:
    text = f"claim {claim_id!r}, field {where}: {problem}"
    if allowed is not None:
        listed = ", ".join(repr(a) for a in allowed) if not isinstance(allowed, str) else allowed
        text += f"; allowed: {listed}"
    return RegistryError(text)


def _date(value: Any, claim_id: str, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _fail(claim_id, where, f"{value!r} is not a date", "YYYY-MM-DD") from None


def _axes(claim_id: str, records: list[dict[str, Any]], params: dict) -> tuple[Axis, ...]:
    axes = []
    for number, record in enumerate(records, 1):
        where = f"check.perturb[{number}]"
        unknown = set(record) - {"param", "values", "weights"}
        if unknown:
            raise _fail(claim_id, where, f"unknown key(s) {sorted(unknown)}", ["param", "values", "weights"])
        name = record.get("param")
        if name not in params:
            raise _fail(claim_id, f"{where}.param", f"unknown parameter {name!r}", sorted(params))
        values, weights = list(record.get("values", [])), list(record.get("weights", []))
        if not values or len(values) != len(weights):
            raise _fail(claim_id, f"{where}.weights", f"{len(values)} values but {len(weights)} "
                        "weights for parameter {name!r}: give one weight per value")
        if any(not isinstance(w, int | float) or w < 0 for w in weights):
            raise _fail(claim_id, f"{where}.weights", "weights must be numbers >= 0")
        if not math.isclose(sum(weights), 1.0, abs_tol=WEIGHT_TOLERANCE):
            raise _fail(claim_id, f"{where}.weights", f"the weights of {name!r} add up to "
                        f"{sum(weights):g}, not 1", "non-negative weights that add up to 1")
        if any(values.count(v) > 1 for v in values):
            raise _fail(claim_id, f"{where}.values", f"a value of {name!r} is listed twice")
        axes.append(Axis(name, tuple(values), tuple(float(w) for w in weights)))
    names = [a.param for a in axes]
    if len(set(names)) != len(names):
        raise _fail(claim_id, "check.perturb", "a parameter has two perturbation lists")
    return tuple(axes)


def _given(claim_id: str, given: Any) -> dict[str, dict[str, Any]]:
    """``[claim.check.given]``: numbers the claim states elsewhere (``region_change = {value = 3,
    decimals = 0}``), used only to bound a quantity no series measures, never as the reading."""
    from analysis.engine.claimed import claimed_interval

    known = ("region_change",)
    if not isinstance(given, dict) or set(given) - set(known):
        raise _fail(claim_id, "check.given", f"unknown key(s) {sorted(set(given) - set(known))}"
                    if isinstance(given, dict) else "must be a table", known)
    for name, spec in given.items():
        if not isinstance(spec, dict):
            raise _fail(claim_id, f"check.given.{name}", "must be a table", "{value, decimals}")
        claimed_interval(spec, claim_id)
    return dict(given)


def _with_precision(claim_id: str, axes: tuple[Axis, ...], claimed: Any, params: dict,
                    meta: dict[str, Any]) -> tuple[Axis, ...]:
    """Every round claimed number gets a precision axis (``[meta.precision]`` weights), unless
    the entry declares its own: 'stated' (the reading) and 'round' ('about', see
    analysis.engine.claimed)."""
    from analysis.engine.claimed import PRECISIONS, round_step

    if "precision" not in params or not isinstance(claimed, dict) or any(
            a.param == "precision" for a in axes):
        return axes
    value = claimed.get("value", claimed.get("high"))
    if not isinstance(value, int | float) or round_step(float(value)) is None:
        return axes  # not a round number: its coarser reading is the stated one
    weights = {**PRECISION_WEIGHTS, **meta.get("precision", {})}
    if set(weights) != set(PRECISIONS) or not math.isclose(sum(weights.values()), 1.0,
                                                             abs_tol=WEIGHT_TOLERANCE):
        raise RegistryError(f"[meta.precision] needs weights for {', '.join(PRECISIONS)} that add "
                            f"up to 1, not {weights}")
    return (*axes, Axis("precision", PRECISIONS, tuple(float(weights[p]) for p in PRECISIONS)))


def _claim(record: dict[str, Any], meta: dict[str, Any]) -> Claim:
    from analysis.engine.kinds import KINDS

    claim_id = record.get("id")
    if not claim_id:
        raise RegistryError("a [[claim]] entry has no id")
    for key in ("text_nl", "text_en"):
        if not record.get(key):
            raise _fail(claim_id, key, "missing: the claim as published (nl) and translated (en)")
    check = record.get("check")
    if not isinstance(check, dict):
        raise _fail(claim_id, "check", "missing: the v2 entry ([claim.check]) with the kind, the "
                    "reading and the perturbations")
    unknown = set(check) - CHECK_KEYS
    if unknown:
        raise _fail(claim_id, "check", f"unknown key(s) {sorted(unknown)}", sorted(CHECK_KEYS))
    kind_name = check.get("kind")
    if kind_name not in KINDS:
        raise _fail(claim_id, "check.kind", f"unknown kind {kind_name!r}", sorted(KINDS))
    kind = KINDS[kind_name]
    params = kind.PARAMS
    reading = dict(check.get("reading", {}))
    unknown = set(reading) - set(params)
    if unknown:
        raise _fail(claim_id, "check.reading", f"unknown parameter(s) {sorted(unknown)} for kind "
                    f"{kind_name!r}", sorted(params))
    for name, spec in params.items():
        if name not in reading:
            if spec.get("default") is None and spec.get("required", True):
                raise _fail(claim_id, f"check.reading.{name}", f"missing parameter of kind "
                            f"{kind_name!r}: {spec['doc']}", sorted(params))
            reading[name] = spec.get("default")
    relations = getattr(kind, "RELATIONS", ())
    relation = check.get("relation")
    if relations and relation not in relations:
        raise _fail(claim_id, "check.relation", f"{relation!r} is not a relation of kind "
                    f"{kind_name!r}", relations)
    axes = _axes(claim_id, list(check.get("perturb", [])), params)
    axes = _with_precision(claim_id, axes, check.get("claimed"), params, meta)
    for axis in axes:
        if reading[axis.param] not in axis.values:
            raise _fail(claim_id, f"check.perturb[{axis.param}].values", f"the reading's value "
                        f"{reading[axis.param]!r} must be one of the alternatives (with its weight)")
    claimed = check.get("claimed")
    if getattr(kind, "NEEDS_CLAIMED", False) and (
            not isinstance(claimed, dict)
            or not ({"low", "high"} <= set(claimed) or {"value", "decimals"} <= set(claimed))):
            raise _fail(claim_id, "check.claimed", "kind needs the claimed number as an interval",
                        "{low, high} or {value, decimals}")
    ex_post = dict(check.get("ex_post", {}))
    bad = set(ex_post) - set(params)
    if bad:
        raise _fail(claim_id, "check.ex_post", f"unknown parameter(s) {sorted(bad)}", sorted(params))
    contexts = []
    for number, item in enumerate(check.get("context", []), 1):
        where = f"check.context[{number}]"
        if set(item) - CONTEXT_KEYS:
            raise _fail(claim_id, where, f"unknown key(s) {sorted(set(item) - CONTEXT_KEYS)}",
                        sorted(CONTEXT_KEYS))
        if item.get("role", "context") not in CONTEXT_ROLES:
            raise _fail(claim_id, f"{where}.role", f"unknown role {item.get('role')!r}", CONTEXT_ROLES)
        bad = set(item.get("set", {})) - set(params)
        if bad:
            raise _fail(claim_id, f"{where}.set", f"unknown parameter(s) {sorted(bad)}", sorted(params))
        contexts.append(dict(item))
    sources = {}
    for name, source in check.get("sources", {}).items():
        if set(source) - SOURCE_KEYS:
            raise _fail(claim_id, f"check.sources.{name}",
                        f"unknown key(s) {sorted(set(source) - SOURCE_KEYS)}", sorted(SOURCE_KEYS))
        if "date" not in source:
            raise _fail(claim_id, f"check.sources.{name}.date", "missing: when the source became "
                        "public (real-time check)", "YYYY-MM-DD")
        sources[name] = {**source, "date": _date(source["date"], claim_id,
                                                 f"check.sources.{name}.date")}
    levels = {}
    for name, level in check.get("levels", {}).items():
        if set(level) - LEVEL_KEYS or not {"figures", "year", "date"} <= set(level):
            raise _fail(claim_id, f"check.levels.{name}", "a level needs figures, year and date",
                        sorted(LEVEL_KEYS))
        levels[name] = {**level, "date": _date(level["date"], claim_id, f"check.levels.{name}.date")}
    region_specific = bool(check.get("region_specific", False))
    applies_to = tuple(check.get("applies_to", [meta.get("focal_region", "CR12")])) \
        if region_specific else None
    texts = {k: v for k, v in check.items() if k.endswith(("_nl", "_en")) and isinstance(v, str)}
    tense = check.get("tense", "past")
    if tense not in TENSES:
        raise _fail(claim_id, "check.tense", f"unknown tense {tense!r}", TENSES)
    claim = Claim(
        id=claim_id, order=int(record.get("order", 0)), text_nl=record["text_nl"],
        text_en=record["text_en"], kind=kind_name,
        date=_date(check.get("date", meta.get("article_date")), claim_id, "check.date"),
        reading=reading, axes=axes, claimed=claimed, relation=relation, ex_post=ex_post,
        context=tuple(contexts), sources=sources, levels=levels, applies_to=applies_to,
        texts=texts, tense=tense, given=_given(claim_id, check.get("given", {})),
        own_regions=tuple(applies_to or (meta.get("focal_region", "CR12"),)))
    kind.validate(claim)  # kind-specific checks that need no data
    return claim


def load_registry(path: Path | str | None = None, tables: Tables | None = None) -> Registry:
    """Read and validate the registry; with ``tables`` also check datasets, codes, regions, years."""
    path = Path(path) if path else REGISTRY_FILE
    if not path.exists():
        raise FileNotFoundError(f"claim registry {path} does not exist")
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    meta = dict(data.get("meta", {}))
    claims: dict[str, Claim] = {}
    for record in data.get("claim", []):
        claim = _claim(record, meta)
        if claim.id in claims:
            raise _fail(claim.id, "id", "registered twice: ids must be unique")
        claims[claim.id] = claim
    registry = Registry(path=path, hash=hashlib.sha256(raw).hexdigest(), meta=meta,
                        claims=dict(sorted(claims.items(), key=lambda kv: kv[1].order)))
    if tables is not None:
        validate_against_data(registry, tables)
    return registry


def validate_against_data(registry: Registry, tables: Tables) -> None:
    """Datasets, SBI codes, regions and years named by the registry must exist in the data."""
    from analysis.engine.kinds import KINDS

    corop = tables.corop_regions()
    if registry.focal_region not in corop:
        raise RegistryError(f"[meta] focal_region {registry.focal_region!r} is not a COROP region "
                            f"of the data; allowed: {', '.join(sorted(corop))}")
    for claim in registry.claims.values():
        if claim.applies_to:
            known = tables.corop_regions()
            for region in claim.applies_to:
                if region not in known:
                    raise _fail(claim.id, "check.applies_to", f"unknown region {region!r}",
                                sorted(known))
        KINDS[claim.kind].validate_data(claim, registry, tables)


def axis_values(claim: Claim, param: str) -> list[Any]:
    """Every value a parameter takes: the reading's, the alternatives', ex post, context."""
    values = [claim.reading.get(param)]
    for axis in claim.axes:
        if axis.param == param:
            values += list(axis.values)
    if param in claim.ex_post:
        values.append(claim.ex_post[param])
    values += [item.get("set", {}).get(param) for item in claim.context]
    return [v for v in values if v is not None]
