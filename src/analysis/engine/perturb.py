"""The perturbation space of a claim (Wu et al. 2014/2017): every combination of the registry's
per-parameter alternatives, evaluated, flagged real-time or not, and merged where identical.

- :func:`settings`: the product space; a setting's weight is the product of its values'
  sensibility weights (each parameter's weights add up to 1, so the space's weights do too);
- :func:`evaluate`: one setting -> :class:`~analysis.engine.result.Evaluation`, or
  :class:`~analysis.engine.result.Unevaluable` with the reason; real-time means every input was
  public by the claim's date (``[meta.public]`` rules, sources' dates);
- :func:`merge`: settings with the same result (value, interval, holds, real-time) count once,
  with the weight and parameters of the most sensible of them; the others are listed in
  ``merged_parameters``. A setting identical to the reading merges into the reading.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

from analysis.engine.kinds import KINDS
from analysis.engine.kinds.base import Ctx, Outcome, sector_label
from analysis.engine.result import Evaluation, Interval, Unevaluable
from analysis.engine.tables import NoData
from analysis.i18n import Text, catalogue


def settings(claim: Any) -> Iterator[tuple[dict[str, Any], float]]:
    """(parameters, weight) for every combination of the alternatives; the reading first."""
    axes = claim.axes
    names = [a.param for a in axes]
    reading_values = tuple(claim.reading[n] for n in names)
    yield dict(claim.reading), math.prod(a.weight_of(claim.reading[a.param]) for a in axes)
    for combo in itertools.product(*[list(zip(a.values, a.weights, strict=True)) for a in axes]):
        values = tuple(v for v, _ in combo)
        if values == reading_values:
            continue
        params = dict(claim.reading)
        params.update(zip(names, values, strict=True))
        yield params, math.prod(w for _, w in combo)


def value_label(ctx: Ctx, param: str, value: Any) -> Any:
    """A parameter value in the reader's words where the catalogue or the registry has them."""
    if param == "sector":
        return sector_label(ctx, str(value))
    if param == "source" and value in ctx.claim.sources:
        source = ctx.claim.sources[value]
        return {"nl": source.get("label_nl", value), "en": source.get("label_en", value)}
    if param == "base_level" and value in ctx.claim.levels:
        level = ctx.claim.levels[value]
        return {"nl": level.get("label_nl", value), "en": level.get("label_en", value)}
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    key = f"engine.value.{param}.{value}"
    if key in catalogue():
        return Text(key, {})
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label(ctx: Ctx, params: dict[str, Any]) -> Text:
    """The setting in words: the parameters that differ from the reading ('the reading' if none)."""
    changed = [(p, v) for p, v in params.items() if ctx.claim.reading.get(p) != v]
    if not changed:
        return Text("engine.label.reading", {})
    parts = []
    for param, value in changed:
        key = f"engine.param.{param}"
        if key not in catalogue():
            key = "engine.param.other"
        parts.append(Text(key, {"value": value_label(ctx, param, value), "param": param}))
    text = parts[-1]
    for part in reversed(parts[:-1]):
        text = Text("engine.label.join", {"first": part, "rest": text})
    return text


def interval(outcome: Outcome) -> Interval:
    bound = outcome.result
    return Interval(bound.value, bound.lo, bound.hi, outcome.unit)


def _resolve(value: Any) -> Any:
    return value() if callable(value) else value


def evaluate_raw(ctx: Ctx, params: dict[str, Any]) -> Outcome | Unevaluable:
    """The kind's outcome for one setting, or why the data cannot give it."""
    try:
        return KINDS[ctx.claim.kind].evaluate(ctx, params)
    except NoData as missing:
        return Unevaluable(parameters=params, reason=missing.reason)
    except ZeroDivisionError:
        return Unevaluable(parameters=params, reason=Text("engine.nodata.zero_base", {"year": "?"}))


def materialize(ctx: Ctx, params: dict[str, Any], weight: float, outcome: Outcome,
                merged: list[dict[str, Any]] | None = None, texts: bool = True) -> Evaluation:
    """An :class:`Evaluation` with its texts (label, statement, arithmetic; ``texts=False``
    leaves them out, for a league that shows none of them)."""
    effective = {**params, **outcome.effective}
    return Evaluation(
        parameters=effective, result=interval(outcome), holds=outcome.holds, weight=weight,
        real_time=outcome.public <= ctx.claim.date, strength=outcome.strength,
        label=label(ctx, effective) if texts else None,
        arithmetic=_resolve(outcome.arithmetic) if texts else None,
        inputs=outcome.inputs or {k: [m.bound.lo, m.bound.value, m.bound.hi]
                                  for k, m in outcome.parts.items()},
        statement=_resolve(outcome.statement) if texts else None, notes=list(outcome.notes),
        public=outcome.public.isoformat(), merged_parameters=list(merged or []),
        parts={k: Interval(m.bound.value, m.bound.lo, m.bound.hi,
                           "percent" if m.levels is not None or m.source != "cbs" else "")
               for k, m in outcome.parts.items()})


def evaluate(ctx: Ctx, params: dict[str, Any], weight: float) -> Evaluation | Unevaluable:
    """One setting, evaluated and described."""
    outcome = evaluate_raw(ctx, params)
    if isinstance(outcome, Unevaluable):
        return outcome
    return materialize(ctx, params, weight, outcome)


def _key(outcome: Outcome, real_time: bool) -> tuple:
    """Identical results: the same value, interval, unit, judgement and parts (6 decimals)."""
    r = outcome.result
    numbers = [r.value, r.lo, r.hi]
    for name in sorted(outcome.parts):
        bound = outcome.parts[name].bound
        numbers += [name, bound.value, bound.lo, bound.hi]
    return (*[round(x, 6) if isinstance(x, float) and not math.isnan(x) else x for x in numbers],
            outcome.unit, outcome.holds, real_time)


def evaluate_all(ctx: Ctx, texts: bool = True
                 ) -> tuple[Evaluation | Unevaluable, list[Evaluation], list[Unevaluable]]:
    """The reading, the distinct perturbations (most sensible first) and the settings the data
    cannot evaluate. Settings with the same result merge (see the module docstring); a source
    that fixes some parameters (a published figure's own period) makes settings identical, and
    those count once too."""
    groups: dict[tuple, list[tuple[float, dict[str, Any], Outcome]]] = {}
    unevaluable: list[Unevaluable] = []
    reading: Outcome | Unevaluable | None = None
    reading_key = None
    from analysis.engine.kinds.base import canonical

    seen: dict[tuple, tuple[Outcome | Unevaluable, tuple | None]] = {}
    for params, weight in settings(ctx.claim):
        canon = canonical(params)
        if canon not in seen:
            found = evaluate_raw(ctx, params)
            seen[canon] = (found, None if isinstance(found, Unevaluable)
                           else _key(found, found.public <= ctx.claim.date))
        outcome, key = seen[canon]
        if reading is None:
            reading = outcome
            if key is not None:
                reading_key = key
                groups.setdefault(reading_key, []).append((weight, params, outcome))
            continue
        if key is None:
            if outcome.parameters is not params:
                outcome = Unevaluable(parameters=params, reason=outcome.reason)
            unevaluable.append(outcome)
            continue
        groups.setdefault(key, []).append((weight, params, outcome))
    assert reading is not None
    merged: list[Evaluation] = []
    reading_eval: Evaluation | Unevaluable = reading  # type: ignore[assignment]
    for key, group in groups.items():
        if key == reading_key:
            head, rest = group[0], group[1:]  # the reading itself leads its group
        else:
            group.sort(key=lambda item: -item[0])
            head, rest = group[0], group[1:]
        head_params = {**head[1], **head[2].effective}
        others = []
        for _, params, outcome in rest:
            full = {**params, **outcome.effective}
            if full != head_params and full not in others:
                others.append(full)
        evaluation = materialize(ctx, head[1], head[0], head[2], others,
                                 texts=texts or key == reading_key)
        if key == reading_key:
            reading_eval = evaluation
        else:
            merged.append(evaluation)
    merged.sort(key=lambda e: (-e.weight, e.result.value if e.result.value is not None else 0.0))
    return reading_eval, merged, unevaluable
