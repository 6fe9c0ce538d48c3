"""The engine and the specification curve give the same bytes in two processes with different hash seeds.

One process can be deterministic by accident (a set iterated in the same order twice); two interpreters
with different ``PYTHONHASHSEED`` order sets of strings differently, so an order that leaks from a set
into a verdict, a perturbation list, a curve's rows or its picture shows up here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.mirror  # reads the committed data/processed through the engine

SCRIPT = r"""
import hashlib, io, json
import matplotlib
matplotlib.use("Agg")
from analysis.engine.check import check
from analysis.engine.registry import REGISTRY_FILE, load_registry
from analysis.report import plots
from analysis.report.claimpage import PARAM, curve_data

digest = hashlib.sha256()
figures = 0
for claim_id in load_registry(REGISTRY_FILE).claims:
    result = check(claim_id)
    digest.update(json.dumps(result.to_json(), sort_keys=False, default=str).encode())
    data = curve_data(result)
    digest.update(data.to_csv(index=False).encode())
    if len(data) >= 2:
        choices = {c: c.removeprefix(PARAM) for c in data.columns if c.startswith(PARAM)}
        fig = plots.spec_curve_figure(data, "en", choices=choices, unit_format=lambda v: f"{v:.1f}",
                                      title="t", source="s")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        digest.update(buffer.getvalue())
        figures += 1
print(figures, digest.hexdigest())
"""


def _run(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", SCRIPT], check=False, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_every_check_and_spec_curve_is_identical_under_two_hash_seeds() -> None:
    first, second = _run("1"), _run("4242")
    figures = int(first.split()[0])
    assert figures >= 1, "no claim drew a specification curve: the test would compare nothing"
    assert first == second
    assert len(first.split()[1]) == len(hashlib.sha256().hexdigest())
