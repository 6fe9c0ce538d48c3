"""The error of a registry entry the engine cannot use, and how it is worded.

Its own module so that the claim kinds, the schema and the registry loader can all raise it without
importing each other (the kinds are loaded by the registry; they must not import the registry back).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any


class RegistryError(ValueError):
    """A registry entry the engine cannot use; the message names the claim, the field and the fix."""


def closest(word: Any, choices: Iterable[Any]) -> str | None:
    """The valid choice nearest to a misspelt ``word`` (difflib), or None if none is near."""
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return found[0] if found else None


def entry_error(claim_id: str, where: str, problem: str, allowed: Any = None,
                given: Any = None) -> RegistryError:
    """``claim 'x', field check.reading.sector: <problem>[; did you mean 'y'?][; allowed: ...]``.

    ``allowed``: the valid values (a text or a collection); ``given``: the wrong value, to name the
    closest valid one."""
    text = f"claim {claim_id!r}, field {where}: {problem}"
    if given is not None and allowed is not None and not isinstance(allowed, str):
        near = closest(given, allowed)
        if near is not None and near != str(given):
            text += f"; did you mean {near!r}?"
    if allowed is not None:
        listed = allowed if isinstance(allowed, str) else ", ".join(repr(a) for a in allowed)
        text += f"; allowed: {listed}"
    return RegistryError(text)
