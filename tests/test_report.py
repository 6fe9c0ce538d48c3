"""The report build: two tiny synthetic notebooks in a temporary project (TWENTE_CLAIMS_ROOT).

Fast tests check the pieces (results, change list, parameters, region check, HTML checks); the
``slow`` ones execute notebooks with papermill and inspect the written site.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.report import render
from analysis.report import site as report

JOBS_CSV = """\
source_table,region_code,region_name,region_level,sbi_code,sbi_label,year,employee_jobs,suppressed,derived,derivation,missing_parts,period_status
83582NED,CR12,Twente (CR),corop,A-U,Alle economische activiteiten,2010,276400,False,False,,,
83582NED,CR15,Arnhem/Nijmegen (CR),corop,A-U,Alle economische activiteiten,2010,300000,False,False,,,
83582NED,CR99,Niet in te delen,corop_unassigned,A-U,Alle economische activiteiten,2010,1000,False,False,,,
"""
MANIFEST = {
    "built_at": "2026-11-28T10:00:00Z",
    "inputs": [{"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen van werknemers",
                "licence": "CC BY 4.0", "mode": "mirror", "origin": "cbs/83582NED",
                "retrieved_at": "2026-11-27T09:00:00Z", "files": []}],
}
OVERVIEW_NOTEBOOK = '''\
# %% [markdown]
# # Synthetic *data overview*
# Background for the reader; records no claim.

# %% tags=["parameters"]
region = "CR12"
results_dir = ""

# %%
import matplotlib.pyplot as plt
from analysis.report import plots

plots.use_house_style()
fig, ax = plt.subplots()
ax.plot([2010, 2011], [1, 2], **plots.series_style(0))
ax.set_xlabel("year")
ax.set_ylabel("jobs (number)")
plots.source_note(ax, "CBS 83582NED")
plt.show()
print("overview for", region)
'''
CLAIM_NOTEBOOK = '''\
# %% [markdown]
# # Synthetic claim: jobs grew

# %% tags=["parameters"]
region = "CR12"
comparator = "NL01"
base_year = 2010
end_year = 2016
results_dir = ""

# %%
import warnings

import matplotlib.pyplot as plt

warnings.warn("a library warning the reader should not see")
fig, ax = plt.subplots()
ax.bar(["a", "b"], [1, 2])
ax.set_xlabel("x (unit)")
ax.set_ylabel("y (unit)")
plt.show()
VERDICT = "supported"
GROWTH = 3.1

# %%
from analysis.report.site import record_result

record_result(results_dir, claim_id="jobs_grew", title="Jobs grew 3% in " + region, verdict=VERDICT,
              headline=f"+{GROWTH}% (2010-2016)", evidence_en="Jobs grew by the claimed amount.",
              evidence_nl="Het aantal banen groeide zoals beweerd.", numbers={"growth_pct": GROWTH})
'''


def make_project(root: Path) -> Path:
    """A minimal project: processed data (jobs.csv, manifest.json), two notebooks, a code folder."""
    (root / "data" / "processed").mkdir(parents=True)
    (root / "data" / "processed" / "jobs.csv").write_text(JOBS_CSV)
    (root / "data" / "processed" / "manifest.json").write_text(json.dumps(MANIFEST))
    (root / "notebooks").mkdir()
    (root / "notebooks" / "00_overview.py").write_text(OVERVIEW_NOTEBOOK)
    (root / "notebooks" / "01_claim.py").write_text(CLAIM_NOTEBOOK)
    (root / "notebooks" / "helper.py").write_text("# not a report notebook (no NN_ prefix)\n")
    # The fingerprint's "package code": a private copy, so edits to the real package by others
    # while the tests run cannot make a build look changed.
    (root / "code").mkdir()
    (root / "code" / "module.py").write_text("VERSION = 1\n")
    return root


def build(region: str | None = None, force: bool = False) -> list[str]:
    return list(report.build_report(region=region, force=force))


def use_project(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(root))
    monkeypatch.setattr(report, "CODE_DIR", root / "code")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """One project built once (the notebooks run in two processes); tests copy it before changing it."""
    root = make_project(tmp_path_factory.mktemp("project"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_project(monkeypatch, root)
        lines = build()
    yield root, lines


@pytest.fixture()
def site_copy(built_site: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built_site[0], root)
    use_project(monkeypatch, root)
    return root


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".failed" not in p.parts and p.name != ".build.lock"}


# --- fast: the pieces ------------------------------------------------------------------------------


def test_record_result_writes_json_and_checks_the_verdict(tmp_path: Path) -> None:
    import numpy as np

    record = report.record_result(tmp_path / "results", claim_id="c1", title="T", verdict="partly supported",
                                  headline="h", evidence_en="e", evidence_nl="n",
                                  numbers={"share": np.float64(0.36), "n": np.int64(5), "gap": float("nan")})
    saved = json.loads((tmp_path / "results" / "c1.json").read_text())
    assert saved == dict(record) and saved["numbers"] == {"share": 0.36, "n": 5, "gap": None}
    assert "partly supported" in record._repr_html_()
    # Interactive run: nothing written, the record still returned.
    assert report.record_result("", claim_id="c2", title="T", verdict="supported", headline="h",
                                evidence_en="e", evidence_nl="n")["claim_id"] == "c2"
    assert not (Path.cwd() / "c2.json").exists()
    with pytest.raises(ValueError, match="verdict 'true' is not one of: supported, partly supported"):
        report.record_result("", claim_id="c3", title="T", verdict="true", headline="h", evidence_en="e",
                             evidence_nl="n")
    with pytest.raises(ValueError, match="claim_id"):
        report.record_result("", claim_id="../x", title="T", verdict="supported", headline="h",
                             evidence_en="e", evidence_nl="n")


def test_compare_results_lists_changed_verdicts_and_numbers() -> None:
    old = {"a": {"title": "A", "verdict": "supported", "headline": "h", "numbers": {"x": 1.0, "y": 2}},
           "gone": {"title": "G", "verdict": "supported", "headline": "h", "numbers": {}}}
    new = {"a": {"title": "A", "verdict": "not supported", "headline": "h", "numbers": {"x": 1.5, "y": 2}},
           "b": {"title": "B", "verdict": "supported", "headline": "h", "numbers": {}}}
    changes = [c.describe() for c in report.compare_results(old, new)]
    assert changes == ["A (a): verdict supported → not supported", "A (a): x 1 → 1.5",
                       "B (b): new claim", "G (gone): claim removed"]
    assert report.compare_results(new, new) == []


def test_parameters_cell_is_required(tmp_path: Path) -> None:
    notebook = tmp_path / "02_x.py"
    notebook.write_text("# %%\nregion = 'CR12'\n")
    with pytest.raises(ValueError, match="02_x.py: needs exactly one cell tagged parameters"):
        report.declared_parameters(notebook)
    notebook.write_text('# %% tags=["parameters"]\nregion = "CR12"\n')
    with pytest.raises(ValueError, match="must declare results_dir"):
        report.declared_parameters(notebook)
    notebook.write_text('# %% tags=["parameters"]\nregion = "CR12"\nresults_dir = ""\nbase_year: int = 2010\n')
    assert report.declared_parameters(notebook) == {"region": "CR12", "results_dir": "", "base_year": 2010}


def test_invalid_region_lists_the_choices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_project(monkeypatch, make_project(tmp_path))
    with pytest.raises(ValueError, match="unknown region 'CR77'") as error:
        report.build_report(region="CR77")  # raised at once, before any work
    assert "CR12  Twente (CR)" in str(error.value) and "CR15  Arnhem/Nijmegen (CR)" in str(error.value)
    assert "CR99" not in str(error.value)  # not a COROP region one can report on
    assert not (tmp_path / "reports").exists()
    assert report.validate_region("cr15", report.corop_regions()) == "CR15"


def test_missing_processed_data_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWENTE_CLAIMS_ROOT", str(tmp_path))
    with pytest.raises(RuntimeError, match="python -m analysis build"):
        report.build_report()


def test_external_resources_are_detected() -> None:
    assert render.external_resources('<script src="https://cdn.example/require.js"></script>') == [
        "https://cdn.example/require.js"]
    assert render.external_resources('<link rel="stylesheet" href="//fonts.example/css">') == ["//fonts.example/css"]
    assert render.external_resources("<style>@import url('https://x.example/a.css');</style>") == [
        "https://x.example/a.css"]
    assert render.external_resources('<a href="https://www.cbs.nl/">CBS</a> <img src="data:image/png;base64,AA">') == []


def test_notebook_title_is_the_first_heading() -> None:
    cells = [{"cell_type": "code", "source": "# comment"},
             {"cell_type": "markdown", "source": "Intro\n## Sub"},
             {"cell_type": "markdown", "source": "# The *real* [title](x.html)"}]
    assert render.notebook_title(cells, "fallback") == "The real title"
    assert render.notebook_title([], "fallback") == "fallback"


# --- slow: executing notebooks -------------------------------------------------------------------


@pytest.mark.slow
def test_build_writes_pages_with_hidden_code_and_embedded_figures(built_site) -> None:
    root, lines = built_site
    reports = root / "reports"
    assert {p.name for p in reports.glob("*.html")} == {"index.html", "00_overview.html", "01_claim.html"}
    assert any("Executing 2 of 2 notebooks" in line for line in lines)
    for name in ("00_overview.html", "01_claim.html"):
        html = (reports / name).read_text()
        assert '<body class="code-hidden">' in html and ".code-hidden .code_cell .input { display: none; }" in html
        assert re.search(r'<button[^>]*id="code-toggle"[^>]*>Show code</button>', html)
        assert 'class="input_area"' in html  # the code is there, only hidden
        assert re.search(r'<img [^>]*src="data:image/png;base64,', html)
        assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="(https?:)?//', html)
        assert render.external_resources(html) == []
        for forbidden in ("Traceback (most recent call last)", "output_error", "output_stderr",
                          "UserWarning", "require.js", "MathJax", ".tmp-build-", "No description has been"):
            assert forbidden not in html, (name, forbidden)
        assert 'href="index.html"' in html and "2026-11-27" in html  # header link, data vintage in footer
    claim = (reports / "01_claim.html").read_text()
    assert "<title>Synthetic claim: jobs grew · Twente claims</title>" in claim
    assert "verdict-box" in claim and "+3.1% (2010-2016)" in claim
    assert "Synthetic data overview" in (reports / "00_overview.html").read_text()


@pytest.mark.slow
def test_index_lists_claims_pages_vintage_and_first_build_note(built_site) -> None:
    root, _ = built_site
    index = (root / "reports" / "index.html").read_text()
    assert "Twente (CR12)" in index
    row = re.search(r"<tr>\s*<td><a href=\"01_claim.html\">Jobs grew 3% in CR12</a>.*?</tr>", index, re.DOTALL)
    assert row and "supported" in row.group(0) and "ondersteund" in row.group(0)
    assert "Jobs grew by the claimed amount." in row.group(0) and "zoals beweerd" in row.group(0)
    assert 'href="00_overview.html"' in index and "no verdict" in index  # pages without a claim are listed
    assert "First build in this folder" in index
    assert "2026-11-27" in index and "offline mirror" in index  # retrieval date and origin of the input
    result = json.loads((root / "reports" / "results" / "jobs_grew.json").read_text())
    assert (result["verdict"], result["notebook"], result["numbers"]) == ("supported", "01_claim", {"growth_pct": 3.1})


@pytest.mark.slow
def test_unchanged_build_is_skipped_and_force_rebuilds(site_copy: Path) -> None:
    before = _snapshot(site_copy / "reports")
    lines = build()
    assert any("Nothing changed since the last build" in line for line in lines)
    assert _snapshot(site_copy / "reports") == before
    lines = build(force=True)
    assert any("Executing 2 of 2 notebooks" in line for line in lines)


@pytest.mark.slow
def test_changed_verdict_is_listed_and_only_that_notebook_reruns(site_copy: Path) -> None:
    notebook = site_copy / "notebooks" / "01_claim.py"
    notebook.write_text(notebook.read_text().replace('VERDICT = "supported"', 'VERDICT = "not supported"')
                        .replace("GROWTH = 3.1", "GROWTH = 0.4"))
    overview_page = (site_copy / "reports" / "00_overview.html").read_bytes()
    lines = build()
    assert any("Executing 1 of 2 notebooks (1 unchanged): 01_claim.py" in line for line in lines)
    assert any("verdict supported → not supported" in line for line in lines)
    index = (site_copy / "reports" / "index.html").read_text()
    changes = index[index.index('id="changes"'):index.index('id="pages"')]
    assert "supported</td><td>not supported" in changes and "growth_pct</td><td>3.1</td><td>0.4" in changes
    assert (site_copy / "reports" / "00_overview.html").read_bytes() == overview_page  # not re-rendered
    previous = json.loads((site_copy / "reports" / "previous-results" / "jobs_grew.json").read_text())
    assert previous["verdict"] == "supported"


@pytest.mark.slow
def test_failing_notebook_keeps_the_previous_report_and_names_the_cell(site_copy: Path) -> None:
    notebook = site_copy / "notebooks" / "01_claim.py"
    notebook.write_text(notebook.read_text().replace("GROWTH = 3.1", "GROWTH = 3.1 / 0"))
    before = _snapshot(site_copy / "reports")
    with pytest.raises(report.ReportBuildError) as error:
        build()
    message = str(error.value)
    assert "notebook 01_claim.py failed: cell In [3] raised ZeroDivisionError" in message
    assert "---> 12 GROWTH = 3.1 / 0" in message  # the failing line, as IPython marks it
    assert "left unchanged" in message
    assert error.value.notebook == "01_claim.py"
    assert _snapshot(site_copy / "reports") == before
    assert (site_copy / "reports" / ".failed" / "01_claim.ipynb").exists()  # for the analyst to open
    assert not list((site_copy / "reports").glob(".tmp-build-*"))  # no temporary folder left behind


@pytest.mark.slow
def test_other_region_goes_to_its_own_folder(site_copy: Path) -> None:
    lines = build(region="CR15")
    assert lines[0].startswith("Report for CR15 Arnhem/Nijmegen (CR) -> reports/CR15/")
    index = (site_copy / "reports" / "CR15" / "index.html").read_text()
    assert "Arnhem/Nijmegen (CR15)" in index and "Jobs grew 3% in CR15" in index
    assert "Twente" in (site_copy / "reports" / "index.html").read_text()  # the default report is untouched


def test_notebook_helpers_do_not_count_as_pages(tmp_path: Path) -> None:
    make_project(tmp_path)
    assert [p.name for p in report.discover_notebooks(tmp_path / "notebooks")] == ["00_overview.py", "01_claim.py"]


def test_fingerprint_changes_with_data_code_notebook_and_region(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    use_project(monkeypatch, root)

    def fingerprints(region: str = "CR12") -> list[str]:
        return [job.fingerprint for job in report.plan_notebooks(region)]

    first = fingerprints()
    assert fingerprints() == first
    assert fingerprints("CR15") != first
    (root / "code" / "module.py").write_text("VERSION = 2\n")
    second = fingerprints()
    assert second[0] != first[0] and second[1] != first[1]
    (root / "data" / "processed" / "jobs.csv").write_text(JOBS_CSV + JOBS_CSV.splitlines()[-1] + "\n")
    third = fingerprints()
    assert third[0] != second[0]
    notebook = root / "notebooks" / "01_claim.py"
    notebook.write_text(notebook.read_text() + "\n# edited\n")
    fourth = fingerprints()
    assert fourth[0] == third[0] and fourth[1] != third[1]  # only the edited notebook changes
