"""Types and allowed values of a kind's parameters (``[claim.check.reading]``, perturbations,
``ex_post``, context items): the parameters depend on the kind, so the typed schema
(:mod:`analysis.engine.schema`) leaves them to this module.

A kind may declare ``"type"`` (one of :data:`TYPES`) and ``"choices"`` in its ``PARAMS`` spec;
otherwise the shared table :data:`PARAM_TYPES` / :data:`PARAM_CHOICES` applies, and a parameter
found in neither is not type-checked. Nothing is coerced: ``"2010"`` is not a year, ``"5.0"`` not
a number. A year may be ``"latest"`` only in ``ex_post`` (later data: "did it hold up?").
"""

from __future__ import annotations

from typing import Any

from analysis.engine.registry_errors import entry_error
from analysis.engine.schema import numeric_text

TYPES = ("text", "integer", "year", "number", "number_or_total", "texts")
PARAM_TYPES: dict[str, str] = {
    "source": "text", "sector": "text", "concept": "text", "table": "text", "nation": "text",
    "vintage": "text", "who": "text", "comparator": "text", "precision": "text", "edition": "text",
    "locations": "text", "base_level": "text",
    "base_year": "year", "end_year": "year", "year": "year",
    "threshold": "number", "margin": "number", "min_growth": "number_or_total",
    "institutions": "texts", "sectors": "texts",
}
PARAM_CHOICES: dict[str, tuple[str, ...]] = {
    "comparator": ("nation", "nation_minus_region"),
    "who": ("region", "nation", "nation_minus_region"),
    "precision": ("stated", "round"),
}
LATEST = "latest"
_WORDS = {"text": "a text", "integer": "an integer", "year": "a year (an integer such as 2010)",
          "number": "a number", "number_or_total": "a number or 'total'",
          "texts": "a list of texts"}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fits(value: Any, kind: str, ex_post: bool) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "year":
        return (isinstance(value, int) and not isinstance(value, bool)) or (ex_post and value == LATEST)
    if kind == "number":
        return _is_number(value)
    if kind == "number_or_total":
        return _is_number(value) or value == "total"
    if kind == "texts":
        return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    return True


def check_value(claim_id: str, where: str, name: str, value: Any, spec: dict[str, Any],
                ex_post: bool = False) -> None:
    """Refuse a parameter value of the wrong type or outside the parameter's choices."""
    kind = spec.get("type") or PARAM_TYPES.get(name)
    if kind is not None and not _fits(value, kind, ex_post):
        wanted = _WORDS.get(kind, kind)
        if kind == "year" and value == LATEST:
            raise entry_error(claim_id, where, f"{name} = 'latest' is allowed only in "
                              "[claim.check.ex_post]; give a year")
        quoted = numeric_text(value) and kind in ("year", "integer", "number", "number_or_total")
        fix = "; write it without quotes" if quoted else f"; give {wanted}"
        raise entry_error(claim_id, where, f"expected {wanted} for {name}, got {value!r}{fix}")
    choices = spec.get("choices") or PARAM_CHOICES.get(name)
    if choices and value not in choices:
        raise entry_error(claim_id, where, f"unknown {name} {value!r}", choices, given=value)


def check_parameters(claim_id: str, check: Any, params: dict[str, dict[str, Any]]) -> None:
    """Every parameter value of an entry: reading, perturbations, ex post, context items."""
    for name, value in check.reading.items():
        check_value(claim_id, f"check.reading.{name}", name, value, params.get(name, {}))
    for number, record in enumerate(check.perturb, 1):
        for value in record.values:
            check_value(claim_id, f"check.perturb[{number}].values", record.param, value,
                        params.get(record.param, {}))
    for name, value in check.ex_post.items():
        check_value(claim_id, f"check.ex_post.{name}", name, value, params.get(name, {}), ex_post=True)
    for number, item in enumerate(check.context, 1):
        for name, value in item.set.items():
            spec = params.get(name, {})
            if name == "base_level" or (name == "nation" and value == "corop_sum"):
                spec = {**spec, "choices": None}
            check_value(claim_id, f"check.context[{number}].set.{name}", name, value, spec,
                        ex_post=True)


def axis_values(claim: Any, param: str) -> list[Any]:
    """Every value a parameter of a loaded claim takes: the reading's, the alternatives', ex post,
    context."""
    values = [claim.reading.get(param)]
    for axis in claim.axes:
        if axis.param == param:
            values += list(axis.values)
    if param in claim.ex_post:
        values.append(claim.ex_post[param])
    values += [item.get("set", {}).get(param) for item in claim.context]
    return [v for v in values if v is not None]
