"""The claim notebooks execute for Twente (CR12) and another region (CR15) and record valid results.

Slow: each notebook runs in a kernel with papermill, through :func:`analysis.report.site.execute_notebook`
(the machinery the report build uses), with ``notebooks/`` as working directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.report import site as report

# notebook -> the claim ids it records
NOTEBOOKS = {
    "01_industry_decline": ["industry-decline"],
    "02_htsm_growth": ["htsm-growth", "htsm-relative-jobs", "tech-sector-growth"],
    "03_technical_students": ["technical-students"],
    "04_participation": ["participation"],
    "05_after_2017": [],
}
REGION_NAMES = {"CR12": "Twente", "CR15": "Arnhem/Nijmegen"}


def _output_text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(str(data.get("text/markdown", "")) + str(data.get("text/plain", "")))
            parts.append(str(output.get("text", "")) if output.get("name") == "stdout" else "")
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("region", ["CR12", "CR15"])
@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_notebook_executes_and_records(name: str, region: str, tmp_path: Path) -> None:
    source = paths.notebooks_dir() / f"{name}.py"
    results = tmp_path / "results"
    outcome = report.execute_notebook(source, tmp_path / f"{name}.ipynb",
                                      {"region": region, "results_dir": str(results)}, paths.notebooks_dir())
    assert outcome.error is None, f"{name} ({region}) failed: {outcome.error}"
    executed = nbformat.read(outcome.executed, as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = _output_text(executed)
    assert REGION_NAMES[region] in text
    recorded = sorted(p.stem for p in results.glob("*.json")) if results.is_dir() else []
    assert recorded == sorted(NOTEBOOKS[name])
    for claim_id in recorded:
        record = json.loads((results / f"{claim_id}.json").read_text(encoding="utf-8"))
        assert record["verdict"] in report.VERDICTS
        assert record["evidence_en"].strip() and record["evidence_nl"].strip()
        if region == "CR15" and claim_id in ("technical-students", "participation"):
            assert record["verdict"] == "not verifiable with open data"
            assert "Arnhem/Nijmegen" in record["headline"]


@pytest.mark.slow
def test_invalid_region_stops_at_the_top(tmp_path: Path) -> None:
    source = paths.notebooks_dir() / "01_industry_decline.py"
    outcome = report.execute_notebook(source, tmp_path / "bad.ipynb", {"region": "CR77", "results_dir": ""},
                                      paths.notebooks_dir())
    assert outcome.error is not None
    assert "unknown COROP region 'CR77'" in str(outcome.error)
