"""The perturbation space of a claim (Wu et al. 2014/2017): every combination of the registry's
per-parameter alternatives, evaluated, flagged real-time or not, and merged where identical.

- :func:`settings`: the product space; a setting's weight is the product of its values'
  sensibility weights (each parameter's weights add up to 1, so the space's weights do too);
- :func:`evaluate`: one setting -> :class:`~analysis.engine.result.Evaluation`, or
  :class:`~analysis.engine.result.Unevaluable` with the reason; real-time means every input was
  public by the claim's date (``[meta.public]`` rules, sources' dates);
- :func:`evaluate_all`: every setting evaluated; settings with the same result (value, interval,
  holds, real-time) are shown once with the total weight of the settings that give it, named by
  the most sensible of them (the others are listed in ``merged_parameters``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

from analysis.engine.kinds import KINDS
from analysis.engine.kinds.base import Ctx, Outcome, sector_label
from analysis.engine.measures import Setting
from analysis.engine.result import Evaluation, Interval, Unevaluable
from analysis.engine.tables import NoData
from analysis.i18n import Text, catalogue


def settings(claim: Any) -> Iterator[tuple[dict[str, Any], float, tuple[int, ...]]]:
    """(parameters, weight, position on each axis) for every combination of the alternatives;
    the reading first."""
    axes = claim.axes
    names = [a.param for a in axes]
    reading_index = tuple(a.values.index(claim.reading[a.param]) for a in axes)
    yield dict(claim.reading), math.prod(a.weights[i] for a, i in zip(axes, reading_index,
                                                                       strict=True)), reading_index
    for index in itertools.product(*[range(len(a.values)) for a in axes]):
        if index == reading_index:
            continue
        params = dict(claim.reading)
        params.update({n: a.values[i] for n, a, i in zip(names, axes, index, strict=True)})
        yield params, math.prod(a.weights[i] for a, i in zip(axes, index, strict=True)), index


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
        names = ctx.tables.institution_names() if param == "institutions" else {}
        return ", ".join(names.get(str(v), str(v)) for v in value)
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
        key = f"engine.param.{param}.{value}"  # a value with words of its own ('total')
        if not isinstance(value, str) or key not in catalogue():
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
        facts=list(_resolve(outcome.facts) or []) if texts else [],
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
                 ) -> tuple[Evaluation | Unevaluable, list[Evaluation], list[Unevaluable], list[Setting]]:
    """The reading, the distinct results of the other settings (most sensible first), the settings
    the data cannot evaluate, and every setting as the measures count it.

    Settings with the same result are shown once, weighing the total weight of the settings that
    give it (the most sensible one names the group, the others are listed in
    ``merged_parameters``); the reading's own setting stands apart. A source that fixes some
    parameters (a published figure's own period) makes settings identical: evaluated once."""
    from analysis.engine.kinds.base import canonical

    groups: dict[tuple, list[tuple[float, dict[str, Any], Outcome]]] = {}
    unevaluable: list[Unevaluable] = []
    space: list[Setting] = []
    reading: Evaluation | Unevaluable | None = None
    seen: dict[tuple, tuple[Outcome | Unevaluable, tuple | None]] = {}
    for params, weight, index in settings(ctx.claim):
        canon = canonical(params)
        if canon not in seen:
            found = evaluate_raw(ctx, params)
            seen[canon] = (found, None if isinstance(found, Unevaluable)
                           else _key(found, found.public <= ctx.claim.date))
        outcome, key = seen[canon]
        first = reading is None
        if key is None:
            space.append(Setting(index, weight, None, False, None, first, evaluable=False))
            if outcome.parameters is not params:
                outcome = Unevaluable(parameters=params, reason=outcome.reason)
            if first:
                reading = outcome
            else:
                unevaluable.append(outcome)
            continue
        real_time = outcome.public <= ctx.claim.date
        space.append(Setting(index, weight, outcome.holds, real_time, outcome.strength, first))
        if first:
            reading = materialize(ctx, params, weight, outcome, texts=True)
        else:
            groups.setdefault(key, []).append((weight, params, outcome))
    assert reading is not None
    distinct: list[Evaluation] = []
    for group in groups.values():
        group.sort(key=lambda item: -item[0])
        head = group[0]
        head_params = {**head[1], **head[2].effective}
        others = []
        for _, params, outcome in group[1:]:
            full = {**params, **outcome.effective}
            if full != head_params and full not in others:
                others.append(full)
        distinct.append(materialize(ctx, head[1], sum(w for w, _, _ in group), head[2], others,
                                    texts=texts))
    distinct.sort(key=lambda e: (-e.weight, e.result.value if e.result.value is not None else 0.0))
    return reading, distinct, unevaluable, space
