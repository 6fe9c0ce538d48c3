"""Overrides of a claim's reading from the command line or a report build.

Two callers, two policies. A report build passes the same base year, end year and comparator to
every claim: :func:`split_overrides` keeps those the claim's kind has and lists the others, which
the page names as ignored. ``check`` and ``league`` are about one claim: :func:`command_overrides`
refuses an override the claim's kind does not use, a year outside the claim's own tables and a
base year not before the end year, each with the valid choices, so that a typo never prints a
verdict of the registry's reading or a league of empty rows.

Both commands share one comparator vocabulary (:data:`COMPARATORS`), the comparators the engine
computes; :func:`comparator_choice` checks a value against it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from analysis.engine.registry import Axis, Claim, RegistryError

if TYPE_CHECKING:
    from analysis.engine.tables import Tables

# The report build (analysis.site.plan) imports this module on every build; the kinds pull in
# pandas, so they are imported where they are used.

REPORT_OVERRIDES = ("base_year", "end_year", "comparator")  # the report may pass these to any claim
OPTIONS = {"base_year": "--base-year", "end_year": "--end-year", "comparator": "--comparator"}

# The comparator vocabulary of `check`, `league` and `report` (kinds.base.COMPARATORS, in words).
COMPARATORS = {"nation": "the Netherlands",
               "nation_minus_region": "the Netherlands without the region"}
# NL01 is CBS's code for the Netherlands; the report took it before the vocabulary was shared.
COMPARATOR_ALIASES = {"nl01": "nation"}
COMPARATOR_HELP = ("nation (the Netherlands; NL01, its CBS code, means the same) or nation_minus_region "
                   "(the Netherlands without the region)")


class OverrideError(RegistryError):
    """An override the claim cannot take; the message names the value and the valid choices."""


def comparator_choice(value: Any) -> str:
    """``value`` as a comparator of the shared vocabulary (case and spaces ignored)."""
    text = str(value).strip().lower()
    text = COMPARATOR_ALIASES.get(text, text)
    if text not in COMPARATORS:
        raise OverrideError(f"unknown comparator {value!r}: use {COMPARATOR_HELP}")
    return text


def _coerce(value: Any, like: Any, name: str) -> Any:
    """An override in the type of the reading's value ('2011' from a command line -> 2011)."""
    if isinstance(like, bool) or not isinstance(like, int | float) or isinstance(value, int | float):
        return value
    try:
        return type(like)(value)
    except (TypeError, ValueError):
        raise RegistryError(f"{name} = {value!r} is not a number") from None


def _params(claim: Claim) -> dict[str, Any]:
    from analysis.engine.kinds import KINDS

    return KINDS[claim.kind].PARAMS


def _target(name: str, params: dict[str, Any]) -> str:
    """The kind's parameter an override sets: a share has one date, so ``end_year`` sets its ``year``."""
    return "year" if name == "end_year" and "end_year" not in params and "year" in params else name


def split_overrides(claim: Claim, overrides: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(the overrides the claim's kind has, the report overrides it has not and ignores).

    A kind without base year, end year or comparator ignores them (listed, so that a page can say
    so); any other unknown parameter is an error, and so is a comparator outside :data:`COMPARATORS`."""
    params = _params(claim)
    kept, ignored = {}, []
    for name, value in overrides.items():
        if value is None:
            continue
        target = _target(name, params)
        if target in params:
            if target == "comparator":
                value = comparator_choice(value)
            kept[target] = _coerce(value, claim.reading.get(target), target)
        elif name in REPORT_OVERRIDES:
            ignored.append(name)
        else:
            raise RegistryError(f"claim {claim.id!r} (kind {claim.kind}) has no parameter {name!r}; "
                                f"its parameters: {', '.join(sorted(params))}")
    return kept, ignored


def with_overrides(claim: Claim, overrides: dict[str, Any]) -> Claim:
    """The claim with its reading's parameters replaced.

    Where a replaced parameter is perturbed, the new value takes the old reading's weight, so the
    space and its weights stay the same."""
    overrides, _ = split_overrides(claim, overrides)
    if not overrides:
        return claim
    reading = dict(claim.reading)
    axes = list(claim.axes)
    for name, value in overrides.items():
        old = reading[name]
        reading[name] = value
        for number, axis in enumerate(axes):
            if axis.param != name:
                continue
            values, weights = list(axis.values), list(axis.weights)
            if value in values:
                i, j = values.index(old), values.index(value)
                weights[i], weights[j] = weights[j], weights[i]
            else:
                values[values.index(old)] = value
            axes[number] = Axis(name, tuple(values), tuple(weights))
    return replace(claim, reading=reading, axes=tuple(axes))


# --- the strict policy of `check` and `league` ------------------------------------------------------


def claim_years(claim: Claim, tables: Tables) -> tuple[list[int], str]:
    """(the years the claim's reading can be computed for, where they come from).

    A DUO count: the years every institution of the reading is counted in. A job series: the
    years of the reading's table, and of its national table where the nation is not the sum of
    the COROP regions (the years ``end_year = "latest"`` chooses from, too)."""
    params, reading = _params(claim), claim.reading
    if "institutions" in params:
        frame = tables._enrolment  # as check._latest reads it: Tables has no public DUO years
        counted = [set(frame.loc[frame["institution_code"] == code, "year"].astype(int))
                   for code in reading.get("institutions", ())]
        years = set.intersection(*counted) if counted else set()
        return sorted(years), f"the DUO counts of {', '.join(reading.get('institutions', ()))}"
    table = str(reading.get("table", params.get("table", {}).get("default")))
    nation = str(reading.get("nation", params.get("nation", {}).get("default", "corop_sum")))
    years = set(tables.jobs_years(table))
    if nation != "corop_sum":
        years &= set(tables.jobs_years(nation))
        return sorted(years), f"tables {table} and {nation}"
    return sorted(years), f"table {table}"


def _refuse_unused(claim: Claim, name: str, value: Any, params: dict[str, Any]) -> OverrideError:
    usable = [f"{OPTIONS[n]}" + (" (its year)" if _target(n, params) != n else "")
              for n in REPORT_OVERRIDES if _target(n, params) in params]
    hint = f"this claim takes {', '.join(usable)}" if usable else "this claim takes none of them"
    return OverrideError(
        f"{OPTIONS[name]} {value} does not apply to claim {claim.id!r}: its kind {claim.kind} has no "
        f"{name.replace('_', ' ')} (parameters: {', '.join(sorted(params)) or 'none'}); {hint}. "
        f"Leave {OPTIONS[name]} out")


def command_overrides(claim: Claim, tables: Tables, overrides: dict[str, Any]) -> dict[str, Any]:
    """The overrides of ``check`` / ``league`` for ``claim``, checked; :class:`OverrideError` names
    the first that the claim cannot take and the valid choices."""
    params = _params(claim)
    given = {name: value for name, value in overrides.items() if value is not None}
    for name, value in given.items():
        if _target(name, params) not in params:
            raise _refuse_unused(claim, name, value, params)
    kept, _ = split_overrides(claim, given)
    years, origin = None, ""
    for name in ("base_year", "end_year"):
        if name not in given:
            continue
        if years is None:
            years, origin = claim_years(claim, tables)
        if kept[_target(name, params)] not in years:
            raise OverrideError(
                f"{OPTIONS[name]} {given[name]} is outside the years of claim {claim.id!r} ({origin}): "
                f"use one of {', '.join(str(y) for y in years) or 'none (the tables have no years)'}")
    base, end = ({**claim.reading, **kept}.get(n) for n in ("base_year", "end_year"))
    if isinstance(base, int) and isinstance(end, int) and base >= end and ({"base_year", "end_year"} & set(kept)):
        raise OverrideError(f"base year {base} is not before end year {end} for claim {claim.id!r}: "
                            "choose a base year before the end year (--base-year, --end-year)")
    return kept
