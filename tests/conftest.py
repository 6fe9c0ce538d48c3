"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The offline mirror of CBS/DUO data lies beside the repository (read-only, never copied in).
MIRROR_DIR = Path(__file__).parents[2] / "shared" / "data"


def under_ci() -> bool:
    """True when the tests run under CI: ``CI`` set to anything but empty, ``false`` or ``0``."""
    return os.environ.get("CI", "").strip().lower() not in ("", "false", "0")


def fail_or_skip(reason: str) -> None:
    """Under CI a missing prerequisite fails the test (CI must have it); elsewhere it skips."""
    if under_ci():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The offline mirror folder ``../shared/data``.

    Missing mirror: the test fails under CI (``CI=true``), where the mirror must be present, and is
    skipped with the reason everywhere else.
    """
    if not MIRROR_DIR.is_dir():
        reason = (f"offline mirror not found at {MIRROR_DIR}: these tests read the real CBS/DUO "
                  "files from ../shared/data beside the repository")
        fail_or_skip(reason)
    return MIRROR_DIR
