"""Claim kinds: one module per query template (see :mod:`.base` for the shared contract)."""

from __future__ import annotations

from types import ModuleType

from analysis.engine.kinds import (
    change,
    change_vs_comparator,
    enrolment_change,
    enrolment_level,
    level,
    level_change,
    not_verifiable,
    published,
    rank,
    relative_gain,
    share,
    share_of_total,
    trend,
)

KINDS: dict[str, ModuleType] = {
    "change": change,
    "change_vs_comparator": change_vs_comparator,
    "relative_gain": relative_gain,
    "share": share,
    "trend": trend,
    "level": level,
    "rank": rank,
    "share_of_total": share_of_total,
    "enrolment_level": enrolment_level,
    "level_change": level_change,
    "enrolment_change": enrolment_change,
    "published": published,
    "not_verifiable": not_verifiable,
}
