"""Claim kinds: one module per query template (see :mod:`.base` for the shared contract)."""

from __future__ import annotations

from types import ModuleType

from analysis.engine.kinds import (
    change,
    change_vs_comparator,
    not_verifiable,
    published,
    relative_gain,
    share,
    trend,
)

KINDS: dict[str, ModuleType] = {
    "change": change,
    "change_vs_comparator": change_vs_comparator,
    "relative_gain": relative_gain,
    "share": share,
    "trend": trend,
    "published": published,
    "not_verifiable": not_verifiable,
}
