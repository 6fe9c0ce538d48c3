"""The report build on a synthetic project (TWENTE_CLAIMS_ROOT): a two-claim registry, a generic claim
notebook and the two background pages, all tiny, with bilingual outputs as the report contract has
them; the league comes from tests/fake_league.py.

Fast tests check the pieces (plan, parameters, editions, formatting, cards, drift, league view);
the ``slow`` ones execute the notebooks with papermill and inspect the written site.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.engine.result import VERDICT_CODES
from analysis.report import cards, league_page, svg
from analysis.site import build as report
from analysis.site import plan, render

TESTS = Path(__file__).resolve().parent
JOBS_CSV = """\
source_table,region_code,region_name,region_level,sbi_code,sbi_label,year,employee_jobs,suppressed,derived,derivation,missing_parts,period_status
83582NED,CR12,Twente (CR),corop,A-U,Alle economische activiteiten,2010,276400,False,False,,,
83582NED,CR15,Arnhem/Nijmegen (CR),corop,A-U,Alle economische activiteiten,2010,300000,False,False,,,
83582NED,CR99,Niet in te delen,corop_unassigned,A-U,Alle economische activiteiten,2010,1000,False,False,,,
83582NED,CR12,Twente (CR),corop,A-U,Alle economische activiteiten,2016,280000,False,False,,,
83582NED,CR15,Arnhem/Nijmegen (CR),corop,A-U,Alle economische activiteiten,2016,301000,False,False,,,
"""
MANIFEST = {
    "built_at": "2026-11-28T10:00:00Z",
    "inputs": [{"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen van werknemers",
                "licence": "CC BY 4.0", "mode": "mirror", "origin": "cbs/83582NED",
                "retrieved_at": "2026-11-27T09:00:00Z", "files": []}],
}
CLAIM_ENTRY = """
[[claim]]
id = "{id}"
order = {order}
title_nl = "{title_nl}"
title_en = "{title_en}"
quote_nl = "{quote_nl}"
quote_en = "{quote_en}"
verdict = "{verdict}"
value = {value}
"""
CLAIMS = [
    {"id": "jobs-grew", "order": 1, "title_nl": "Banen groeiden 3%", "title_en": "Jobs grew 3%",
     "quote_nl": "Het aantal banen groeide met 3 procent.", "quote_en": "The number of jobs grew by 3 percent.",
     "verdict": "supported", "value": 3.1},
    {"id": "students-share", "order": 2, "title_nl": "36% technische studenten", "title_en": "36% technical students",
     "quote_nl": "36% van de studenten is technisch.", "quote_en": "36% of the students are technical.",
     "verdict": "borderline", "value": 36.3},
]
PARAMETERS_CELL = '''\
# %% tags=["parameters"]
{extra}region = "CR12"
base_year = None
end_year = None
comparator = None
results_dir = ""
site_dir = ""
page_stem = ""
'''
HELPERS = '''\
# %%
import os
import tomllib
from html import escape
from pathlib import Path

from IPython.display import HTML, display


def both(tag, nl, en, cls=""):
    display(HTML(f'<{tag} class="l10n {cls}" lang="nl">{escape(nl)}</{tag}>'
                 f'<{tag} class="l10n {cls}" lang="en">{escape(en)}</{tag}>'))
'''
CLAIM_NOTEBOOK = PARAMETERS_CELL.format(extra='claim_id = ""\n') + HELPERS + '''
registry = tomllib.loads(Path(os.environ["TWENTE_CLAIMS_REGISTRY"]).read_text())
claim = next(c for c in registry["claim"] if c["id"] == claim_id)
both("h1", claim["title_nl"], claim["title_en"], "page-title")
both("h2", "Nagerekend", "Reproduced")

# %%
import warnings

warnings.warn("a library warning the reader should not see")
VERDICT = claim["verdict"]
VALUE = claim["value"]
both("p", f"Waarde {VALUE} in {region}", f"Value {VALUE} in {region}")

# %%
import base64
import csv
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([2010, 2016], [100, 100 + VALUE], marker="o")
buffer = io.BytesIO()
fig.savefig(buffer, format="png")
plt.close(fig)
png = base64.b64encode(buffer.getvalue()).decode()
link = f"data/{page_stem}/series.csv"
if site_dir:
    folder = Path(site_dir) / "data" / page_stem
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "series.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([["year", "value"], [2010, 100], [2016, 100 + VALUE]])
display(HTML(
    f'<figure class="l10n" lang="nl"><img alt="Index, 2010 = 100: {VALUE} erbij" src="data:image/png;base64,{png}">'
    f'<figcaption><a href="{link}">Cijfers (CSV)</a></figcaption></figure>'
    f'<figure class="l10n" lang="en"><img alt="Index, 2010 = 100: {VALUE} up" src="data:image/png;base64,{png}">'
    f'<figcaption><a href="{link}">Numbers (CSV)</a></figcaption></figure>'))

# %%
import json

record = {
    "claim_id": claim_id, "page": f"claim-{claim_id}.html", "order": claim["order"], "verdict": VERDICT,
    "title": {"nl": claim["title_nl"], "en": claim["title_en"]},
    "quote": {"nl": claim["quote_nl"], "en": claim["quote_en"]},
    "reason": {"nl": f"De lezing geeft {VALUE}.", "en": f"The reading gives {VALUE}."},
    "counter_argument": {"nl": "Met basisjaar 2011 niet.", "en": "Not with base year 2011."},
    "fairer_statement": {"nl": "Sinds 2010 iets erbij.", "en": "Somewhat up since 2010."},
    "headline": {"nl": f"{VALUE} (2010-2016)", "en": f"{VALUE} (2010-2016)"},
    "headline_series": [{"year": 2010, "series": {"nl": region, "en": region}, "value": 100.0},
                        {"year": 2016, "series": {"nl": region, "en": region}, "value": 100.0 + VALUE}],
    "check": {"claim_id": claim_id, "region": region, "region_name": "Twente", "kind": "change",
              "verdict": VERDICT, "reading": {"value": VALUE, "low": VALUE, "high": VALUE, "unit": "percent"},
              "robustness": 0.75, "fairness": -0.1, "uniqueness": 0.2, "perturbations": [],
              "registry_hash": "abc123def4567890"},
}
if results_dir:
    Path(results_dir, f"claim-{claim_id}.json").write_text(json.dumps(record))
'''
OVERVIEW_NOTEBOOK = PARAMETERS_CELL.format(extra="") + HELPERS + '''
both("h1", "Overzicht van de data", "Data overview", "page-title")
both("h2", "Banen per jaar", "Jobs per year")

# %%
import matplotlib.pyplot as plt

from analysis.report import plots

plots.use_house_style()
fig, ax = plt.subplots()
ax.plot([2010, 2011], [1, 2], **plots.series_style(0))
plt.show()
'''
AFTER_NOTEBOOK = PARAMETERS_CELL.format(extra="") + HELPERS + '''
both("h1", "Na 2017", "After 2017", "page-title")
both("p", "Wat er daarna gebeurde.", "What happened next.")
'''


def write_registry(path: Path, claims: list[dict]) -> None:
    path.write_text("".join(CLAIM_ENTRY.format(**claim) for claim in claims))


def write_jobs(root: Path, text: str) -> None:
    """The processed jobs table and a manifest that records its sha256 (checked on every build)."""
    import hashlib

    (root / "data" / "processed").mkdir(parents=True, exist_ok=True)
    (root / "data" / "processed" / "jobs.csv").write_text(text)
    manifest = {**MANIFEST, "tables": {"jobs.csv": {"sha256": hashlib.sha256(text.encode()).hexdigest()}}}
    (root / "data" / "processed" / "manifest.json").write_text(json.dumps(manifest))


def make_project(root: Path) -> Path:
    """A minimal project: processed data, a claim registry, the three notebooks, a code folder."""
    write_jobs(root, JOBS_CSV)
    (root / "notebooks").mkdir()
    (root / "notebooks" / "claim.py").write_text(CLAIM_NOTEBOOK)
    (root / "notebooks" / "00_data_overview.py").write_text(OVERVIEW_NOTEBOOK)
    (root / "notebooks" / "05_after_2017.py").write_text(AFTER_NOTEBOOK)
    (root / "notebooks" / "01_old_claim.py").write_text("# a retired per-claim notebook: not a page\n")
    write_registry(root / "claims.toml", CLAIMS)
    # The fingerprint's "package code": a private copy, so edits to the real package by others
    # while the tests run cannot make a build look changed.
    (root / "code").mkdir()
    (root / "code" / "module.py").write_text("VERSION = 1\n")
    return root


def project_env(root: Path) -> dict[str, str]:
    """Environment for a project (also for subprocesses: python -m analysis report)."""
    return {"TWENTE_CLAIMS_ROOT": str(root), "TWENTE_CLAIMS_REGISTRY": str(root / "claims.toml"),
            league_page.LEAGUE_ENV: "fake_league:league"}


def use_project(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    for name, value in project_env(root).items():
        monkeypatch.setenv(name, value)
    monkeypatch.syspath_prepend(str(TESTS))
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    monkeypatch.setattr(plan, "CODE_DIR", root / "code")


def build(region: str | None = None, force: bool = False, **options) -> list[str]:
    return list(report.build_report(region=region, force=force, **options))


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """One project built once (the notebooks run in two processes); tests copy it before changing it."""
    root = make_project(tmp_path_factory.mktemp("project"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_project(monkeypatch, root)
        lines = build()
    yield root, lines


def project_copy(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a project built once (a module fixture), in use for one test that may change it."""
    root = tmp_path / "project"
    shutil.copytree(built, root)
    use_project(monkeypatch, root)
    return root


@pytest.fixture()
def site_copy(built_site: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return project_copy(built_site[0], tmp_path, monkeypatch)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".failed" not in p.parts and p.name != ".build.lock"}


def word(code: str, lang: str) -> str:
    """A verdict word straight from the catalogue files (the engine's key first, then the pages')."""
    from analysis.i18n import catalogue

    entry = catalogue().get(f"verdict.{code}") or catalogue()[f"page.verdict.{code}"]
    return entry[lang]


def _soup(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def _text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


# --- fast: the pieces ------------------------------------------------------------------------------


def test_plan_has_one_page_per_registered_claim_and_the_background_pages(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    use_project(monkeypatch, root)
    parameters = plan.validate_parameters("CR12")
    jobs, _shared = plan.plan_pages(parameters)
    assert [job.page for job in jobs] == ["overview.html", "claim-jobs-grew.html", "claim-students-share.html",
                                          "after-2017.html"]
    claim = jobs[1]
    assert claim.notebook.name == "claim.py" and claim.claim_id == "jobs-grew"
    assert claim.parameters == {"claim_id": "jobs-grew", "region": "CR12", "base_year": None, "end_year": None,
                                "comparator": None, "results_dir": "", "site_dir": "", "page_stem": "claim-jobs-grew"}
    assert "claim_id" not in jobs[0].parameters and jobs[0].parameters["page_stem"] == "overview"
    # A new registry entry is a new page; nothing else changes.
    write_registry(root / "claims.toml", [*CLAIMS, {**CLAIMS[0], "id": "healthcare", "order": 3}])
    again, _ = plan.plan_pages(parameters)
    assert [job.page for job in again][3] == "claim-healthcare.html" and len(again) == 5


def test_registry_problems_are_named(tmp_path: Path) -> None:
    path = tmp_path / "claims.toml"
    write_registry(path, [CLAIMS[0], CLAIMS[0]])
    with pytest.raises(RuntimeError, match="jobs-grew appear twice"):
        plan.registered_claims(path)
    write_registry(path, [{**CLAIMS[0], "id": "Bad id"}])
    with pytest.raises(RuntimeError, match="claim number 1 has id 'Bad id'"):
        plan.registered_claims(path)
    with pytest.raises(RuntimeError, match="not found"):
        plan.registered_claims(tmp_path / "missing.toml")


def test_parameters_cell_must_declare_the_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    use_project(monkeypatch, root)
    (root / "notebooks" / "claim.py").write_text('# %% tags=["parameters"]\nregion = "CR12"\nclaim_id = ""\n')
    with pytest.raises(ValueError, match="claim.py: the parameters cell must declare base_year, end_year"):
        plan.plan_pages(plan.validate_parameters("CR12"))
    (root / "notebooks" / "claim.py").write_text("# %%\nregion = 'CR12'\n")
    with pytest.raises(ValueError, match="needs exactly one cell tagged parameters"):
        plan.plan_pages(plan.validate_parameters("CR12"))
    (root / "notebooks" / "claim.py").unlink()
    with pytest.raises(RuntimeError, match="claim.py missing"):
        plan.plan_pages(plan.validate_parameters("CR12"))


def test_invalid_parameters_stop_at_once_with_the_choices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_project(monkeypatch, make_project(tmp_path))
    with pytest.raises(ValueError, match="unknown region 'CR77'") as error:
        report.build_report(region="CR77")  # raised at once, before any work
    assert "CR12  Twente (CR)" in str(error.value) and "CR15  Arnhem/Nijmegen (CR)" in str(error.value)
    assert "CR99" not in str(error.value)  # not a COROP region one can report on
    with pytest.raises(ValueError, match=r"unknown base year '2009': use a year the processed data have: 2010, 2016"):
        report.build_report(base_year=2009)
    with pytest.raises(ValueError, match="unknown end year 'soon'"):
        report.build_report(end_year="soon")
    with pytest.raises(ValueError, match="base year 2016 is not before end year 2010"):
        report.build_report(base_year=2016, end_year=2010)
    with pytest.raises(ValueError, match=r"unknown comparator 'NL02': use nation \(the Netherlands; NL01, its CBS "
                       r"code, means the same\) or nation_minus_region"):
        report.build_report(comparator="NL02")
    with pytest.raises(ValueError, match="unknown comparator 'CR15'"):  # the engine compares with the nation only
        report.build_report(region="CR12", comparator="CR15")
    assert not (tmp_path / "reports").exists()
    checked = plan.validate_parameters("cr15", "2010", "2016", "nl01")  # NL01, any case: the nation
    assert (checked.region, checked.base_year, checked.end_year, checked.comparator) == ("CR15", 2010, 2016, "nation")
    assert plan.output_dir(checked) == tmp_path / "reports" / "CR15-2010-2016-nation"
    assert plan.validate_parameters("CR15", comparator=" Nation_Minus_Region ").comparator == "nation_minus_region"
    assert plan.output_dir(plan.validate_parameters("CR15")) == tmp_path / "reports" / "CR15"
    assert plan.output_dir(plan.validate_parameters(None)) == tmp_path / "reports"


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


def test_edition_keeps_one_language_and_rewrites_data_links() -> None:
    body = ('<h1 class="l10n page-title" lang="nl">Titel</h1><h1 class="l10n page-title" lang="en">Title</h1>'
            '<div class="l10n" lang="nl"><p>tekst <span class="l10n" lang="nl">binnen</span></p></div>'
            '<div class="l10n" lang="en"><p>text</p><a href="data/claim-x/a.csv">CSV</a></div>'
            '<img src="data:image/png;base64,AA"><a href="https://www.cbs.nl/">CBS</a>')
    dutch, title_nl = render.edition(body, "nl", "fallback")
    english, title_en = render.edition(body, "en", "fallback")
    assert (title_nl, title_en) == ("Titel", "Title")
    assert "tekst" in dutch and "binnen" in dutch and "text" not in dutch and "Title" not in dutch
    assert "tekst" not in english and 'href="../data/claim-x/a.csv"' in english
    assert 'href="https://www.cbs.nl/"' in english  # only relative data links move
    assert 'alt="Figuur 1 op de pagina “Titel”"' in dutch and 'alt="Figure 1 of the page “Title”"' in english
    assert render.edition("<p>no title</p>", "en", "overview")[1] == "overview"


def test_values_are_formatted_by_babel_for_the_language() -> None:
    assert cards.format_value(5.7, "percent", "nl") == "5,7%"
    assert cards.format_value(5.7, "percent", "en") == "5.7%"
    assert cards.format_value(1800, "jobs", "nl") == "1.800 banen"
    assert cards.format_value(1800, "jobs", "en") == "1,800 jobs"
    assert cards.format_value(-1.25, "percentage points", "nl") == "-1,2 procentpunt"  # half to even
    assert cards.format_value(None, "percent", "en") == "no value"


def test_every_verdict_code_has_a_symbol_and_words() -> None:
    assert set(cards.VERDICT_STYLES) == set(VERDICT_CODES)
    assert len(set(cards.VERDICT_STYLES.values())) == len(VERDICT_CODES)  # symbols tell them apart
    for code in VERDICT_CODES:
        assert cards.verdict_word(code, "nl") != cards.verdict_word(code, "en") or code == "borderline"
    with pytest.raises(ValueError, match="unknown verdict 'true'"):
        cards.verdict_symbol("true")


def _record(claim_id: str, verdict: str, value: float, robustness: float, headline: str) -> dict:
    return {"claim_id": claim_id, "verdict": verdict, "title": {"nl": f"T-{claim_id}", "en": f"T-{claim_id}"},
            "headline": {"nl": headline, "en": headline},
            "check": {"reading": {"value": value, "unit": "percent"}, "robustness": robustness}}


def test_claim_drift_lists_verdicts_values_and_claims_added_or_removed() -> None:
    old = {"a": _record("a", "supported", 3.1, 0.75, "h"), "gone": _record("gone", "supported", 1.0, 1.0, "h")}
    new = {"a": _record("a", "not_supported", 0.4, 0.5, "h"), "b": _record("b", "supported", 1.0, 1.0, "h")}
    changes = [c.describe("en") for c in cards.compare_results(old, new)]
    assert changes == [
        {"title": "T-a", "what": "verdict", "old": word("supported", "en"), "new": word("not_supported", "en")},
        {"title": "T-a", "what": "value of the reading", "old": "3.1%", "new": "0.4%"},
        {"title": "T-a", "what": "robustness", "old": "75%", "new": "50%"},
        {"title": "T-b", "what": "new claim", "old": "", "new": ""},
        {"title": "T-gone", "what": "claim removed", "old": "", "new": ""}]
    dutch = cards.compare_results(old, new)[1].describe("nl")
    assert (dutch["what"], dutch["old"], dutch["new"]) == ("waarde van de lezing", "3,1%", "0,4%")
    assert cards.compare_results(new, new) == []


def test_card_shows_quote_translation_only_in_english_and_ids_only_in_details() -> None:
    record = {**_record("jobs-grew", "borderline", 36.3, 0.5, "36,3% in 2016"),
              "page": "claim-jobs-grew.html", "quote": {"nl": "36% is technisch.", "en": "36% are technical."},
              "reason": {"nl": "r", "en": "r"}, "counter_argument": None, "fairer_statement": None,
              "headline_series": [{"year": 2015, "series": {"nl": "Twente", "en": "Twente"}, "value": 35.0},
                                  {"year": 2016, "series": {"nl": "Twente", "en": "Twente"}, "value": 36.3}]}
    record["check"].update(kind="share", region="CR12", region_name="Twente", registry_hash="f" * 64)
    dutch, english = cards.card(record, "nl"), cards.card(record, "en")
    assert dutch.translation is None and english.translation == "36% are technical."
    assert dutch.quote == english.quote == "36% is technisch."
    assert (dutch.verdict_word, english.verdict_word, dutch.symbol) == (word("borderline", "nl"),
                                                                         word("borderline", "en"), "◐")
    assert ("kenmerk van de bewering", "jobs-grew") in dutch.details and ("claim id", "jobs-grew") in english.details
    assert ("robuustheid", "50%") in dutch.details
    assert '<svg class="chart spark" role="img"' in dutch.chart_svg
    assert "<title>Grafiek bij “T-jobs-grew”, 2015 tot 2016. Twente: 35,0 in 2015, 36,3 in 2016.</title>" in dutch.chart_svg


def test_charts_are_images_with_titles_and_highlight_in_words() -> None:
    line = svg.line_chart({"A": [(2010, 1.0), (2016, 2.0)], "B": [(2010, 2.0), (2016, 1.0)]}, title="t<x>",
                          format_value=str)
    assert line.count("<path") >= 2 and 'stroke-dasharray="6 3"' in line  # the second series is dashed
    assert "<title>t&lt;x&gt;</title>" in line
    rows = [{"region_code": "CR01", "value": 1.0}, {"region_code": "CR12", "value": -2.0},
            {"region_code": "CR15", "value": None}]
    ranking = svg.ranking_chart(rows, title="r", format_value=str, highlight={"CR12": "Twente"})
    assert ranking.count("<rect") == 2  # no bar for a missing value
    assert "▼ Twente: -2.0" in ranking
    assert svg.line_chart({}, title="t", format_value=str) == ""


def test_league_view_marks_twente_and_the_region_and_links_built_reports(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    use_project(monkeypatch, make_project(tmp_path))
    (tmp_path / "reports" / "CR15").mkdir(parents=True)
    (tmp_path / "reports" / "CR15" / "index.html").write_text("built")
    leagues = {"jobs-grew": [{"region_code": "CR12", "region_name": "Twente (CR)", "value": 27.64,
                              "verdict": "not_supported"},
                             {"region_code": "CR15", "region_name": "Arnhem/Nijmegen (CR)", "value": 30.0,
                              "verdict": "supported"}]}
    results = {"jobs-grew": {"title": {"nl": "Banen", "en": "Jobs"}, "page": "claim-jobs-grew.html",
                             "check": {"reading": {"unit": "percent"}}}}
    view = league_page.league_view(leagues, results, ["jobs-grew"], plan.validate_parameters("CR15"), "nl",
                                   tmp_path / "reports" / "CR15")
    twente, arnhem = view["rows"]
    assert twente["classes"] == "twente" and arnhem["classes"] == "chosen"
    assert twente["link"] is None and arnhem["link"] == "index.html"  # Twente's report is not built; CR15's is this
    from_twente = league_page.league_view(leagues, results, ["jobs-grew"], plan.validate_parameters("CR12"), "nl",
                                          tmp_path / "reports")
    assert [row["link"] for row in from_twente["rows"]] == ["index.html", "CR15/index.html"]
    assert twente["cells"][0]["value"] == "27,6%" and twente["cells"][0]["symbol"] == "✘"
    assert view["columns"][0].rank_text == "Arnhem/Nijmegen staat op plaats 1 van 2 regio's, met 30,0%."
    english = league_page.league_view(leagues, results, ["jobs-grew"], plan.validate_parameters("CR15"), "en",
                                      tmp_path / "reports" / "CR15" / "en")
    assert english["columns"][0].csv_link == "../data/league/jobs-grew.csv"
    english_twente = league_page.league_view(leagues, results, ["jobs-grew"], plan.validate_parameters("CR12"), "en",
                                             tmp_path / "reports" / "en")
    assert english_twente["rows"][1]["link"] is None  # no English edition of CR15 built
    assert view["columns"][0].csv_link == "data/league/jobs-grew.nl.csv"  # the Dutch edition's own file
    leagues["jobs-grew"].append({"region_code": "CR01", "region_name": "Oost-Groningen (CR)", "value": None,
                                 "low": 12.0, "high": 31.0, "verdict": "undecidable"})
    league_page.write_chart_data(tmp_path / "data", leagues, results, "2026-12-06")
    folder = tmp_path / "data" / "league"
    # rounded to one decimal as the page shows percentages, named for readers; the region without a
    # value last, unranked, with its bounds
    assert (folder / "jobs-grew.csv").read_text(encoding="utf-8").splitlines() == [
        "rank,region,region code (CBS),value,lower bound,upper bound,unit",
        "1,Twente,CR12,27.6,,,percent", "2,Arnhem/Nijmegen,CR15,30,,,percent",
        ",Oost-Groningen,CR01,,12,31,percent"]
    dutch_csv = (folder / "jobs-grew.nl.csv").read_text(encoding="utf-8-sig").splitlines()
    assert dutch_csv[1].split(";")[:4] == ["1", "Twente", "CR12", "27,6"]
    meta = (folder / "jobs-grew.nl.txt").read_text(encoding="utf-8")
    assert "“Banen” voor elke COROP-regio" in meta and "3 COROP-regio's" in meta and "2026-12-06" in meta


def test_verdicts_table_for_the_readme() -> None:
    results = {"b": {**_record("b", "not_supported", 1, 1, "fell 5.7%"), "order": 2, "page": "claim-b.html",
                     "reason": {"nl": "Minder banen.", "en": "Fewer jobs."}},
               "a": {**_record("a", "supported", 1, 1, "grew | 3%"), "order": 1, "page": "claim-a.html"}}
    assert report.verdicts_table(results).splitlines() == [
        "| claim | verdict | in one sentence | page |", "|---|---|---|---|",
        f"| T-a | {word('supported', 'en')} | grew \\| 3%. | `reports/en/claim-a.html` |",
        f"| T-b | {word('not_supported', 'en')} | fell 5.7%. Fewer jobs. | `reports/en/claim-b.html` |"]


def test_fingerprint_changes_with_data_code_registry_notebook_and_parameters(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    use_project(monkeypatch, root)

    def fingerprints(region: str = "CR12", base_year: int | None = None) -> list[str]:
        return [job.fingerprint for job in plan.plan_pages(plan.validate_parameters(region, base_year))[0]]

    first = fingerprints()
    assert fingerprints() == first
    assert fingerprints("CR15") != first and fingerprints(base_year=2010) != first
    (root / "code" / "module.py").write_text("VERSION = 2\n")
    second = fingerprints()
    assert all(a != b for a, b in zip(first, second, strict=True))
    write_jobs(root, JOBS_CSV + JOBS_CSV.splitlines()[-1] + "\n")
    third = fingerprints()
    assert all(a != b for a, b in zip(second, third, strict=True))
    notebook = root / "notebooks" / "05_after_2017.py"
    notebook.write_text(notebook.read_text() + "\n# edited\n")
    fourth = fingerprints()
    assert fourth[:3] == third[:3] and fourth[3] != third[3]  # only the edited notebook's page changes
    # A claim's entry feeds its own page and "after 2017" (which lists every claim), not the other
    # claims' pages, nor the data overview (which depends on the institutions the claims name only).
    write_registry(root / "claims.toml", [{**CLAIMS[0], "verdict": "not_supported"}, CLAIMS[1]])
    fifth = fingerprints()
    assert [a != b for a, b in zip(fourth, fifth, strict=True)] == [False, True, False, True]


# --- slow: executing notebooks -------------------------------------------------------------------


@pytest.mark.slow
def test_both_editions_from_one_execution(built_site) -> None:
    root, lines = built_site
    reports = root / "reports"
    pages = {"index.html", "league.html", "overview.html", "claim-jobs-grew.html", "claim-students-share.html",
             "after-2017.html", "method.html"}  # method.html: tests/test_method_page.py
    assert {p.name for p in reports.glob("*.html")} == pages
    assert {p.name for p in (reports / "en").glob("*.html")} == pages
    assert any("Executing 4 of 4 pages" in line for line in lines)
    assert lines[-1] == f"Open {reports / 'index.html'} (Dutch edition) or {reports / 'en' / 'index.html'} " \
                        "(English edition) in a browser."
    for name in pages - {"index.html", "league.html", "method.html"}:
        dutch, english = (reports / name).read_text(), (reports / "en" / name).read_text()
        assert '<html lang="nl">' in dutch and '<html lang="en">' in english
        assert f'href="en/{name}"' in dutch and f'href="../{name}"' in english  # the switch: same page
        assert not _soup(dutch).select('main .l10n[lang="en"]') and _soup(dutch).select('main .l10n[lang="nl"]')
        assert not _soup(english).select('main .l10n[lang="nl"]') and _soup(english).select('main .l10n[lang="en"]')
        for html in (dutch, english):
            assert '<body class="code-hidden">' in html and 'class="input_area"' in html  # code there, hidden
            assert re.search(r'<img [^>]*src="data:image/png;base64,', html) or name == "after-2017.html"
            assert render.external_resources(html) == []
            for forbidden in ("Traceback (most recent call last)", "output_error", "output_stderr", "UserWarning",
                              ".tmp-build-", "require.js", "MathJax"):
                assert forbidden not in html, (name, forbidden)
    claim_nl = (reports / "claim-jobs-grew.html").read_text()
    claim_en = (reports / "en" / "claim-jobs-grew.html").read_text()
    assert "<title>Banen groeiden 3% · Twente-claims</title>" in claim_nl
    assert "<title>Jobs grew 3% · Twente claims</title>" in claim_en
    assert 'href="data/claim-jobs-grew/series.csv"' in claim_nl and 'href="../data/claim-jobs-grew/series.csv"' in claim_en
    assert (reports / "data" / "claim-jobs-grew" / "series.csv").read_text().splitlines()[-1] == "2016,103.1"
    assert ">Toon code</button>" in claim_nl and ">Show code</button>" in claim_en
    overview_nl = (reports / "overview.html").read_text()
    assert 'alt="Figuur 1 op de pagina “Overzicht van de data”"' in overview_nl  # a figure without alt gets one


@pytest.mark.slow
def test_warnings_kept_off_a_page_are_written_to_a_log_the_build_names(built_site) -> None:
    """The claim notebook warns once ("a library warning the reader should not see"): the page does not
    show it, reports/warnings/<page>.txt holds it and the build's line for that page names the file."""
    root, lines = built_site
    reports = root / "reports"
    for stem in ("claim-jobs-grew", "claim-students-share"):
        log = reports / "warnings" / f"{stem}.txt"
        line = next(line for line in lines if f" ok  {stem}.html " in line)
        assert line.endswith(f"warning line(s) kept off the page: reports/warnings/{stem}.txt)"), line
        text = log.read_text(encoding="utf-8")
        assert text.startswith("--- cell ") and "UserWarning: a library warning the reader should not see" in text
    assert not (reports / "warnings" / "overview.txt").exists()  # the overview prints no warning


@pytest.mark.slow
def test_index_has_claim_cards_in_the_edition_language(built_site) -> None:
    from bs4 import BeautifulSoup

    root, _ = built_site
    for lang, folder in (("nl", root / "reports"), ("en", root / "reports" / "en")):
        soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
        cards_found = soup.select("article.card")
        assert [c["data-claim"] for c in cards_found] == ["jobs-grew", "students-share"]  # registry order
        first = cards_found[0]
        assert first.select_one("blockquote").get_text(strip=True) == "“Het aantal banen groeide met 3 procent.”"
        translation = first.select_one(".translation")
        assert (translation is not None) == (lang == "en")
        assert first.select_one(".verdict").get_text(" ", strip=True) == f"✔ {word('supported', lang)}"
        reason = {"nl": "De lezing geeft 3.1.", "en": "The reading gives 3.1."}[lang]
        assert reason in first.select_one(".card-reason").get_text()
        # a fact-check's order: the claim labelled and quoted, the verdict, why, then the evidence
        marks = [first.select_one(sel) for sel in (".claim-label", "blockquote", ".verdict", ".card-reason",
                                                   ".card-headline")]
        html = str(first)
        assert all(marks) and [html.index(str(m)) for m in marks] == sorted(html.index(str(m)) for m in marks)
        assert first.select_one(".card-counter") and first.select_one(".card-fairer")
        assert first.select_one("svg[role=img] title").get_text()
        details = first.select_one("details.analyst")
        assert "jobs-grew" in details.get_text() and "abc123def456" in details.get_text()
        details.decompose()
        assert "jobs-grew" not in first.get_text()  # no internal id outside the analysts' details
        assert first.select_one("h3 a")["href"] == "claim-jobs-grew.html"
        text = soup.get_text(" ", strip=True)
        assert {"nl": "Eerste versie in deze map", "en": "First build in this folder"}[lang] in text
        assert {"nl": "27 november 2026", "en": "27 November 2026"}[lang] in text  # data vintage, Babel date
        assert {"nl": "offline kopie", "en": "offline mirror"}[lang] in text
        assert [a["href"] for a in soup.select("#pages a")] == ["overview.html", "after-2017.html", "league.html"]
        assert soup.select("#pages a")[0].get_text() == {"nl": "Overzicht van de data", "en": "Data overview"}[lang]
    result = json.loads((root / "reports" / "results" / "claim-jobs-grew.json").read_text())
    assert result["verdict"] == "supported" and result["check"]["reading"]["value"] == 3.1


@pytest.mark.slow
def test_league_page_has_every_claim_for_every_region(built_site) -> None:
    from bs4 import BeautifulSoup

    root, _ = built_site
    soup = BeautifulSoup((root / "reports" / "league.html").read_text(), "html.parser")
    assert [th["data-claim"] for th in soup.select("#league-table thead th[data-claim]")] == ["jobs-grew",
                                                                                               "students-share"]
    rows = {tr["data-region"]: tr for tr in soup.select("#league-table tbody tr")}
    assert set(rows) == {"CR12", "CR15"}  # COROP regions only
    assert "twente" in rows["CR12"]["class"] and "chosen" in rows["CR12"]["class"]
    # fake_league: 2010 jobs / 10,000 + 0 (jobs-grew) or + 10 (students-share); "supported" above 28
    cells = rows["CR12"].select("td.value")  # each claim's value column (its rank column follows it)
    # 276,400 / 10,000 = 27.64
    assert cells[0].get_text(" ", strip=True) == f"✘ {word('not_supported', 'nl')} 27,6%"
    assert cells[1]["data-sort"] == repr(276400 / 10_000 + 10)
    assert rows["CR12"].select_one("th a")["href"] == "index.html"  # Twente's report is this one
    assert rows["CR15"].select_one("th a") is None  # no CR15 report built
    assert (root / "reports" / "data" / "league" / "jobs-grew.csv").read_text().splitlines()[1:] == [
        "1,Twente,CR12,27.6,,,percent", "2,Arnhem/Nijmegen,CR15,30,,,percent"]
    links = [a["href"] for a in soup.select(".league-chart figcaption a")]
    assert links[:2] == ["data/league/jobs-grew.nl.csv", "data/league/jobs-grew.nl.txt"]  # numbers, then metadata
    assert (root / "reports" / "data" / "league" / "jobs-grew.nl.txt").exists()
    english = (root / "reports" / "en" / "league.html").read_text()
    assert 'href="../data/league/jobs-grew.csv"' in english and "27.6%" in english
    # the sorting script is one shared file under the site root, named by its content
    script = re.search(r'<script src="\.\./(static/sort\.[0-9a-f]{10}\.js)"></script>', english)
    assert script and "league-table" in english
    assert "addEventListener" in (root / "reports" / script.group(1)).read_text()


@pytest.mark.slow
def test_unchanged_build_is_skipped_and_force_rebuilds(site_copy: Path) -> None:
    before = _snapshot(site_copy / "reports")
    lines = build()
    assert any("Nothing changed since the last build" in line for line in lines)
    assert lines[-1].startswith("Open ")
    assert _snapshot(site_copy / "reports") == before
    lines = build(force=True)
    assert any("Executing 4 of 4 pages" in line for line in lines)
    assert any("no changes in verdicts or headline numbers" in line for line in lines)


@pytest.mark.slow
def test_changed_verdict_is_listed_as_drift(site_copy: Path) -> None:
    write_registry(site_copy / "claims.toml", [{**CLAIMS[0], "verdict": "not_supported", "value": 0.4}, CLAIMS[1]])
    lines = build()
    # the claim's entry feeds its page and "after 2017"; the other claim's page and the overview stay
    assert any("Executing 2 of 4 pages (2 unchanged), two at a time: claim-jobs-grew.html, "
               "after-2017.html" in line for line in lines)
    assert f"  Jobs grew 3%: verdict {word('supported', 'en')} → {word('not_supported', 'en')}" in lines
    assert "  Jobs grew 3%: value of the reading 3.1% → 0.4%" in lines
    index = (site_copy / "reports" / "index.html").read_text()
    changes = index[index.index('id="changes"'):index.index('id="vintage"')]
    assert f"<td>{word('supported', 'nl')}</td><td>{word('not_supported', 'nl')}</td>" in changes
    assert "<td>3,1%</td><td>0,4%</td>" in changes
    previous = json.loads((site_copy / "reports" / "previous-results" / "claim-jobs-grew.json").read_text())
    assert previous["verdict"] == "supported"


@pytest.mark.slow
def test_only_the_changed_background_page_reruns(site_copy: Path) -> None:
    notebook = site_copy / "notebooks" / "05_after_2017.py"
    notebook.write_text(notebook.read_text().replace("Wat er daarna gebeurde.", "Wat er later gebeurde."))
    claim_page = (site_copy / "reports" / "claim-jobs-grew.html").read_bytes()
    lines = build()
    assert any("Executing 1 of 4 pages (3 unchanged), two at a time: after-2017.html" in line for line in lines)
    assert "Wat er later gebeurde." in (site_copy / "reports" / "after-2017.html").read_text()
    assert (site_copy / "reports" / "claim-jobs-grew.html").read_bytes() == claim_page  # not re-rendered
    assert (site_copy / "reports" / "results" / "claim-jobs-grew.json").exists()  # results carried over


@pytest.mark.slow
def test_failing_notebook_keeps_the_previous_report_and_names_the_cell(site_copy: Path) -> None:
    notebook = site_copy / "notebooks" / "claim.py"
    notebook.write_text(notebook.read_text().replace('VALUE = claim["value"]', 'VALUE = claim["value"] / 0'))
    before = _snapshot(site_copy / "reports")
    with pytest.raises(report.ReportBuildError) as error:
        build()
    message = str(error.value)
    assert re.search(r"notebook claim.py \(claim-(jobs-grew|students-share).html\) failed: cell In \[\d+\] raised "
                     r"ZeroDivisionError: float division by zero", message)
    assert 'VALUE = claim["value"] / 0' in message and "---->" in message  # the failing line, as IPython marks it
    assert "left unchanged" in message and error.value.notebook == "claim.py"
    assert _snapshot(site_copy / "reports") == before
    assert list((site_copy / "reports" / ".failed").glob("claim-*.ipynb"))  # for the analyst to open
    assert not list((site_copy / "reports").glob(".tmp-build-*"))  # no temporary folder left behind


@pytest.mark.slow
def test_other_region_goes_to_its_own_folder_and_links_back(site_copy: Path) -> None:
    lines = build(region="CR15")
    assert lines[0] == "Report for CR15 Arnhem/Nijmegen (CR) (the registry's reading) -> reports/CR15/"
    folder = site_copy / "reports" / "CR15"
    assert "Arnhem/Nijmegen (CR15)" in (folder / "index.html").read_text()
    assert '<html lang="en">' in (folder / "en" / "index.html").read_text()
    league = (folder / "league.html").read_text()
    assert 'href="../index.html">Twente</a>' in league  # Twente's report is built: linked
    assert "Twente" in (site_copy / "reports" / "index.html").read_text()  # the default report is untouched


@pytest.mark.slow
def test_other_reading_goes_to_its_own_folder(site_copy: Path) -> None:
    lines = build(region="CR15", base_year=2010, end_year=2016, comparator="NL01")  # NL01 is the nation
    assert lines[0] == ("Report for CR15 Arnhem/Nijmegen (CR) (base year 2010, end year 2016, comparator nation) "
                        "-> reports/CR15-2010-2016-nation/")
    executed = json.loads((site_copy / "reports" / "CR15-2010-2016-nation" / ".build-state.json").read_text())
    assert executed["parameters"] == {"region": "CR15", "base_year": 2010, "end_year": 2016, "comparator": "nation"}


@pytest.mark.slow
def test_a_new_registry_entry_gets_page_card_and_league_column(site_copy: Path) -> None:
    write_registry(site_copy / "claims.toml", [*CLAIMS, {**CLAIMS[0], "id": "healthcare", "order": 3,
                                                         "title_en": "Healthcare grew", "title_nl": "Zorg groeide"}])
    lines = build()
    # the new claim's page and "after 2017" (it lists every claim); the new claim names no institution,
    # so the data overview stays
    assert any("Executing 2 of 5 pages (3 unchanged), two at a time: claim-healthcare.html, "
               "after-2017.html" in line for line in lines)
    reports = site_copy / "reports"
    assert "<title>Healthcare grew · Twente claims</title>" in (reports / "en" / "claim-healthcare.html").read_text()
    assert 'data-claim="healthcare"' in (reports / "index.html").read_text()
    league = (reports / "league.html").read_text()
    assert '<th scope="col" data-claim="healthcare">' in league
    assert (reports / "data" / "league" / "healthcare.csv").exists()
    assert "Healthcare grew new claim" in _text((reports / "en" / "index.html").read_text())  # claim drift


@pytest.mark.slow
def test_build_log_is_clean_and_names_the_index(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    env = {**os.environ, **project_env(root), "PYTHONPATH": str(TESTS)}
    process = subprocess.run([sys.executable, "-m", "analysis", "report"], env=env, capture_output=True,
                             text=True, timeout=600, check=False)
    assert process.returncode == 0, process.stderr
    log = process.stdout + process.stderr
    assert "ERROR" not in log and "KeyboardInterrupt" not in log and "Traceback" not in log, log
    assert process.stderr.strip() == "", process.stderr
    assert len(re.findall(r"^  \[\d/4\] ok  \S+\.html \(\d+\.\d s", process.stdout, re.MULTILINE)) == 4
    assert process.stdout.rstrip().endswith(f"Open {root / 'reports' / 'index.html'} (Dutch edition) or "
                                            f"{root / 'reports' / 'en' / 'index.html'} (English edition) in a browser.")


def test_help_lists_every_subcommand_without_markup() -> None:
    from analysis.cli import _parser

    parser = _parser()
    commands = next(action for action in parser._actions if action.dest == "command").choices
    assert {"fetch", "build", "status", "compare", "report", "check", "league"} <= set(commands)
    out = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=True).stdout
    for name in commands:
        assert re.search(rf"^\s+{name}\s", out, re.MULTILINE), f"{name} missing from --help:\n{out}"
    for markup in ("``", "**", ":func:", ":class:"):
        assert markup not in out
    report_help = subprocess.run([sys.executable, "-m", "analysis", "report", "--help"], capture_output=True,
                                 text=True, check=True).stdout
    for option in ("--region", "--base-year", "--end-year", "--comparator", "--force"):
        assert option in report_help


def test_verdict_badges_differ_in_greyscale_not_only_in_colour() -> None:
    """Each verdict's badge differs from every other in lightness (by a clear step) or in border style."""
    css = (render.TEMPLATES / "report.css").read_text()

    def luminance(colour: str) -> float:  # relative luminance (WCAG), 0 = black, 1 = white
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    styles = {}
    for code in VERDICT_CODES:
        rule = re.search(rf"\.verdict\.verdict-{code.replace('_', '-')}[ ,][^{{]*\{{([^}}]*)\}}", css)
        assert rule, f"no CSS rule for verdict {code}"
        background = re.search(r"background: (#[0-9a-fA-F]{6})", rule.group(1)).group(1)
        border = re.search(r"border(?:-color)?: ([^;]+);", rule.group(1)).group(1)
        border_style = next((s for s in ("dashed", "dotted", "double", "solid") if s in border), "solid")
        styles[code] = (luminance(background), border_style)
    for first in VERDICT_CODES:
        for second in VERDICT_CODES:
            if first < second:
                (l1, b1), (l2, b2) = styles[first], styles[second]
                assert abs(l1 - l2) >= 0.15 or b1 != b2, (first, second, styles[first], styles[second])


def test_card_lead_in_is_not_doubled() -> None:
    own = str(render._lead("Strongest counter-argument (end year 2015): fell 6.4% <b>", "Strongest counter-argument"))
    assert own == '<span class="label">Strongest counter-argument (end year 2015):</span> fell 6.4% &lt;b&gt;'
    assert str(render._lead("Not with base year 2011.", "Sterkste tegenargument")) == \
        '<span class="label">Sterkste tegenargument:</span> Not with base year 2011.'


def test_card_says_a_fairer_statement_that_restates_the_headline_once() -> None:
    record = {**_record("jobs-grew", "not_supported", -3.7, 0.2, "In NL -3,7%."),
              "page": "claim-jobs-grew.html", "quote": {"nl": "q", "en": "q"}, "reason": {"nl": "r", "en": "r"},
              "counter_argument": None, "headline": {"nl": "In NL -3,7%.", "en": "In NL -3.7%."},
              "fairer_statement": {"nl": "Wat de cijfers wel zeggen: In NL -3,7%.",
                                   "en": "What the figures do say: In NL -3.7%."}, "headline_series": []}
    assert cards.card(record, "nl").fairer_statement is None
    assert cards.card(record, "en").fairer_statement is None
    record["fairer_statement"] = {"nl": "Wat de cijfers wel zeggen: van 2010 tot 2015 -4,4%.",
                                  "en": "What the figures do say: from 2010 to 2015 -4.4%."}
    assert cards.card(record, "en").fairer_statement == "What the figures do say: from 2010 to 2015 -4.4%."
