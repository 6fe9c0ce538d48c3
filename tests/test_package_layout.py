"""The package docstring describes the real layout (issue 14, item 14: retired modules named)."""

from __future__ import annotations

import importlib.util
import re

import analysis

STAGES = ("sources", "processing", "stats", "engine", "report", "site")
RETIRED = ("growth", "shiftshare", "trends", "stress", "verdicts", "claims", "plots", "snapshot",
           "cbs", "duo")


def named_modules() -> list[str]:
    """Every module name the docstring quotes as ``name`` (paths and commands do not match)."""
    return re.findall(r"``([a-z_0-9]+)``", analysis.__doc__)


def test_every_stage_is_named_and_exists():
    names = named_modules()
    for stage in STAGES:
        assert stage in names
    for name in names:
        spec = importlib.util.find_spec(f"analysis.{name}")
        assert spec is not None, f"analysis.{name} is named in analysis/__init__.py but does not exist"


def test_no_retired_top_level_module_is_named():
    for name in RETIRED:
        assert importlib.util.find_spec(f"analysis.{name}") is None  # really retired
        assert f"``{name}``" not in analysis.__doc__
