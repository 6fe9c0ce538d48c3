"""The claim registry (``data/claims.toml``): load, validate, hash.

A claim is data (v3, docs/registry.md): its own source (publisher, title, url and date, the
date being the claim's real-time cut-off; or a shared ``[publication.<id>]``), its own region
(default ``[meta] region``), and in ``[claim.check]`` its kind (a query template in
:mod:`analysis.engine.kinds`), the claimant's reading (the kind's parameters at p0), the claimed
number as an interval, the perturbations (per parameter: the sensible alternatives with
sensibility weights that add up to 1), the ex-post overrides, context items, published sources and
the reader-facing texts.

:func:`load_registry` validates the typed schema (:mod:`.schema`, :mod:`.schema_params`: wrong
types, unknown keys with the closest valid one) and the kind's own rules, and fails at load naming
the claim, the field and the fix; with ``tables`` (as :func:`analysis.engine.check.check` passes)
also a region, dataset, SBI code or year the data do not have. :attr:`Registry.hash` is the sha256 of the file, shown in the report so that a
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
from analysis.engine.registry_errors import RegistryError, closest, entry_error
from analysis.engine.schema_params import axis_values  # noqa: F401  (re-exported: the kinds' old import)

if TYPE_CHECKING:
    from analysis.engine.tables import Tables

REGISTRY_FILE = paths.PACKAGE_DATA / "claims.toml"
WEIGHT_TOLERANCE = 1e-6
TIME_PARAMS = ("year", "end_year")
PRECISION_WEIGHTS = {"stated": 0.75, "round": 0.25}  # default of [meta.precision]
REGION_LEVELS = ("nl", "provincie", "corop", "landsdeel")  # region levels a claim may be about


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
    """One claim as the engine reads it."""

    id: str
    order: int
    text_nl: str
    text_en: str
    kind: str
    date: dt.date  # the claim's date: its source's publication date (the real-time cut-off)
    reading: dict[str, Any]
    axes: tuple[Axis, ...]
    claimed: dict[str, Any] | None
    relation: str | None
    ex_post: dict[str, Any]
    context: tuple[dict[str, Any], ...]
    sources: dict[str, dict[str, Any]]
    levels: dict[str, dict[str, Any]]
    applies_to: tuple[str, ...] | None  # None: any region; else the claim's own region only
    texts: dict[str, str] = field(default_factory=dict)
    tense: str = "past"
    given: dict[str, dict[str, Any]] = field(default_factory=dict)  # the claim's own other numbers
    region: str = ""  # the region the claim is about (its given numbers are that region's)
    source: dict[str, Any] = field(default_factory=dict)  # publisher, title, url, date, publisher_url
    publication: str | None = None  # the [publication.<id>] it belongs to
    titles: dict[str, str] = field(default_factory=dict)  # {'nl': ..., 'en': ...} where given

    @property
    def own_regions(self) -> tuple[str, ...]:
        return (self.region,)

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
    publications: dict[str, dict[str, Any]] = field(default_factory=dict)

    def claim(self, claim_id: str) -> Claim:
        if claim_id not in self.claims:
            raise KeyError(f"unknown claim {claim_id!r}; registered: {', '.join(self.claims)}")
        return self.claims[claim_id]

    @property
    def focal_region(self) -> str:
        """The default region of a claim (``[meta] region``)."""
        return str(self.meta["region"])

    @property
    def first_claim(self) -> str:
        """The id of the first claim by order (a notebook's default claim)."""
        if not self.claims:
            raise RegistryError(f"{self.path}: the registry has no claims")
        return next(iter(self.claims))

    def public_date(self, input_name: str, year: int) -> dt.date:
        """When the figure of reference year ``year`` of an input became public (``[meta.public]``)."""
        rules = self.meta.get("public", {})
        if input_name not in rules:
            raise RegistryError(f"[meta.public] has no rule for {input_name!r}; known: "
                                f"{', '.join(sorted(rules))}")
        rule = rules[input_name]
        known = rule.get("released", {}).get(str(int(year)))
        if known is not None:  # a release date on record beats the rule
            return known if isinstance(known, dt.date) else dt.date.fromisoformat(str(known))
        return dt.date(int(year) + int(rule["year_offset"]), int(rule["month"]), int(rule["day"]))


def _axes(claim_id: str, records: list[Any], params: dict) -> tuple[Axis, ...]:
    axes = []
    for number, record in enumerate(records, 1):
        where = f"check.perturb[{number}]"
        name = record.param
        if name not in params:
            raise entry_error(claim_id, f"{where}.param", f"unknown parameter {name!r}", sorted(params),
                              given=name)
        values, weights = list(record.values), list(record.weights)
        if len(values) != len(weights):
            raise entry_error(claim_id, f"{where}.weights", f"{len(values)} values but {len(weights)} "
                              f"weights for parameter {name!r}: give one weight per value")
        if any(w < 0 for w in weights):
            raise entry_error(claim_id, f"{where}.weights", "weights must be numbers >= 0")
        if not math.isclose(sum(weights), 1.0, abs_tol=WEIGHT_TOLERANCE):
            raise entry_error(claim_id, f"{where}.weights", f"the weights of {name!r} add up to "
                              f"{sum(weights):g}, not 1", "non-negative weights that add up to 1")
        if any(values.count(v) > 1 for v in values):
            raise entry_error(claim_id, f"{where}.values", f"a value of {name!r} is listed twice")
        axes.append(Axis(name, tuple(values), tuple(float(w) for w in weights)))
    names = [a.param for a in axes]
    if len(set(names)) != len(names):
        raise entry_error(claim_id, "check.perturb", "a parameter has two perturbation lists")
    return tuple(axes)


def _with_precision(axes: tuple[Axis, ...], claimed: Any, params: dict,
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


def _source(entry: Any, publications: dict[str, dict[str, Any]], default: str | None) -> dict[str, Any]:
    """The claim's own source: its publication's fields (``publication``, default ``[meta]
    publication``), overridden by ``[claim.source]``."""
    name = entry.publication or default
    if name is not None and name not in publications:
        raise entry_error(entry.id, "publication" if entry.publication else "meta.publication",
                          f"unknown publication {name!r}",
                          sorted(publications) or "a [publication.<id>] table of this file", given=name)
    merged = dict(publications.get(name, {})) if name else {}
    own = entry.source.model_dump(exclude_none=True) if entry.source else {}
    merged.update(own)
    for key in ("publisher", "title", "date"):
        if not merged.get(key):
            raise entry_error(entry.id, f"source.{key}", "missing: give [claim.source] " + key
                              + " (or a publication = \"<id>\" that has it)")
    merged.setdefault("url", "")
    merged.setdefault("publisher_url", "")
    return merged


def _claim(record: dict[str, Any], entry: Any, position: int, meta: dict[str, Any],
           publications: dict[str, dict[str, Any]]) -> Claim:
    from analysis.engine.claimed import claimed_interval
    from analysis.engine.kinds import KINDS
    from analysis.engine.schema_params import check_parameters

    claim_id, check = entry.id, entry.check
    if check.kind not in KINDS:
        raise entry_error(claim_id, "check.kind", f"unknown kind {check.kind!r}", sorted(KINDS),
                          given=check.kind)
    kind = KINDS[check.kind]
    params = kind.PARAMS
    reading = dict(check.reading)
    for table, where in ((reading, "check.reading"), (check.ex_post, "check.ex_post"),
                         *((item.set, f"check.context[{n}].set") for n, item in enumerate(check.context, 1))):
        for name in sorted(set(table) - set(params)):
            raise entry_error(claim_id, f"{where}.{name}", f"unknown parameter of kind {check.kind!r}",
                              sorted(params), given=name)
    check_parameters(claim_id, check, params)
    for name, spec in params.items():
        if name not in reading:
            if spec.get("default") is None and spec.get("required", True):
                raise entry_error(claim_id, f"check.reading.{name}", f"missing parameter of kind "
                                  f"{check.kind!r}: {spec['doc']}; add it to [claim.check.reading]",
                                  sorted(params))
            reading[name] = spec.get("default")
    relations = getattr(kind, "RELATIONS", ())
    if relations and check.relation not in relations:
        raise entry_error(claim_id, "check.relation", f"{check.relation!r} is not a relation of kind "
                          f"{check.kind!r}", relations, given=check.relation)
    if not relations and check.relation is not None:
        raise entry_error(claim_id, "check.relation", f"kind {check.kind!r} has no relations: leave it out")
    raw_check = record.get("check", {})
    claimed = dict(raw_check["claimed"]) if check.claimed else None  # as written (3, not 3.0)
    if claimed is not None:
        if not ({"low", "high"} <= set(claimed) or {"value", "decimals"} <= set(claimed)):
            raise entry_error(claim_id, "check.claimed", "the claimed number needs both ends or its "
                              "rounding", "{low, high} or {value, decimals}")
        claimed_interval(claimed, claim_id)
    elif getattr(kind, "NEEDS_CLAIMED", False):
        raise entry_error(claim_id, "check.claimed", f"kind {check.kind!r} needs the claimed number "
                          "as an interval", "{low, high} or {value, decimals}")
    axes = _with_precision(_axes(claim_id, check.perturb, params), claimed, params, meta)
    for axis in axes:
        if reading[axis.param] not in axis.values:
            raise entry_error(claim_id, f"check.perturb[{axis.param}].values", f"the reading's value "
                              f"{reading[axis.param]!r} must be one of the alternatives (with its weight)")
    given = {}
    if check.given is not None:
        given = {"region_change": dict(raw_check["given"]["region_change"])}
        claimed_interval(given["region_change"], claim_id)
    source = _source(entry, publications, meta.get("publication"))
    region = entry.region or str(meta["region"])
    any_region = getattr(kind, "ANY_REGION", "sector" in params)
    dumped = check.model_dump(exclude_none=True)
    texts = {k: v for k, v in dumped.items() if k.endswith(("_nl", "_en")) and isinstance(v, str)}
    claim = Claim(
        id=claim_id, order=entry.order if entry.order is not None else position,
        text_nl=entry.text_nl, text_en=entry.text_en, kind=check.kind, date=source["date"],
        reading=reading, axes=axes, claimed=claimed, relation=check.relation,
        ex_post=dict(check.ex_post), context=tuple(dumped.get("context", [])),
        sources=dumped.get("sources", {}), levels=dumped.get("levels", {}),
        applies_to=None if any_region else (region,), texts=texts, tense=check.tense, given=given,
        region=region, source=source, publication=entry.publication or meta.get("publication"),
        titles={lang: t for lang, t in (("nl", entry.title_nl), ("en", entry.title_en)) if t})
    kind.validate(claim)  # kind-specific checks that need no data
    return claim


def load_registry(path: Path | str | None = None, tables: Tables | None = None) -> Registry:
    """Read and validate the registry; with ``tables`` also check regions, datasets, codes, years."""
    from analysis.engine.schema import parse_claim, parse_head

    path = Path(path) if path else REGISTRY_FILE
    if not path.exists():
        raise FileNotFoundError(f"claim registry {path} does not exist")
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    head = parse_head(data)
    meta = head.meta.model_dump(exclude_none=True)
    meta["verdict"] = {k: v for k, v in meta.get("verdict", {}).items() if v is not None}
    publications = {name: pub.model_dump() for name, pub in head.publication.items()}
    claims: dict[str, Claim] = {}
    for position, record in enumerate(head.claim, 1):
        claim = _claim(record, parse_claim(record, position), position, meta, publications)
        if claim.id in claims:
            raise entry_error(claim.id, "id", "registered twice: ids must be unique")
        claims[claim.id] = claim
    registry = Registry(path=path, hash=hashlib.sha256(raw).hexdigest(), meta=meta,
                        claims=dict(sorted(claims.items(), key=lambda kv: kv[1].order)),
                        publications=publications)
    if tables is not None:
        validate_against_data(registry, tables)
    return registry


def claim_regions(tables: Tables) -> dict[str, str]:
    """Every region a claim may be about: code -> name (nation, provinces, COROP regions, ...)."""
    levels = tables._jobs["levels"]
    return {code: name for code, name in tables.region_names().items()
            if levels.get(code) in REGION_LEVELS}


def validate_against_data(registry: Registry, tables: Tables) -> None:
    """Regions, datasets, SBI codes and years named by the registry must exist in the data."""
    from analysis.engine.kinds import KINDS

    regions = claim_regions(tables)
    if registry.focal_region not in regions:
        raise RegistryError(f"registry, field meta.region: unknown region {registry.focal_region!r}"
                            f"{_near(registry.focal_region, regions)}; allowed: nation NL01, provinces "
                            "PV20-PV31, COROP regions CR01-CR40")
    for claim in registry.claims.values():
        if claim.region not in regions:
            raise entry_error(claim.id, "region", f"unknown region {claim.region!r} (the data hold the "
                              "nation NL01, provinces PV20-PV31, COROP regions CR01-CR40)",
                              sorted(regions), given=claim.region)
        KINDS[claim.kind].validate_data(claim, registry, tables)


def _near(word: str, choices: Any) -> str:
    near = closest(word, choices)
    return f"; did you mean {near!r}?" if near else ""
