"""Evidence lines under a verdict, each said once (Full Fact: the claim, the conclusion, then the
evidence). A headline, a counter-argument and a fairer statement often say the same thing in other
words; a line is kept only if it adds words or numbers to the lines before it."""

from __future__ import annotations

import re

MAX_LINES = 3
_NUMBER = re.compile(r"[-+]?\d[\d.,]*")
_LEAD = re.compile(r"^[^:]{0,120}:\s")  # "Sterkste tegenargument (eindjaar 2015): ..."


def _core(line: str) -> str:
    """The statement without its lead-in label, lower case, spacing and final stop folded."""
    return " ".join(_LEAD.sub("", line, count=1).lower().split()).rstrip(". ")


def _numbers(line: str) -> frozenset[str]:
    return frozenset(n.strip(".,") for n in _NUMBER.findall(_LEAD.sub("", line, count=1)))


def distinct(lines: list[str | None], limit: int = MAX_LINES) -> list[str]:
    """The lines in order, leaving out empty ones and any whose statement is contained in an
    earlier one or whose numbers all appear in one earlier line with the same words around them;
    at most ``limit``."""
    kept: list[str] = []
    for line in lines:
        if not line or not line.strip():
            continue
        core, numbers = _core(line), _numbers(line)
        if any(core in _core(k) or _core(k) in core for k in kept):
            continue
        if numbers and any(numbers <= _numbers(k) and _NUMBER.sub("#", core) == _NUMBER.sub("#", _core(k))
                           for k in kept):
            continue
        kept.append(line)
    return kept[:limit]
