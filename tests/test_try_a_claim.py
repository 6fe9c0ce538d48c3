"""The notebook notebooks/try_a_claim.py and its controls (analysis.reader.widgets), driven headless.

The controls are set in code as a reader would set them in JupyterLab (setting ``.value`` runs the
callbacks); what the output shows is ``tryout.html``. The expected numbers are worked out from the
processed DUO and CBS tables with plain pandas sums, not taken from the engine:
- 36% of the students of Saxion (23AH) and the UT (21PH) are technical: DUO counted 12,543 of 34,547
  enrolments in techniek on 1 October 2016 (36.3%), inside the [35.5, 36.5) that "36%" claims; the
  newest count public on 2017-10-18 is that of 2016 (October 2017's is published in 2018);
- in 2014 the same share is 11,783 / 34,614 = 34.0%, outside the claim.
The last test executes the notebook top to bottom in a kernel, as "Run all" does.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest

from analysis import paths
from analysis.engine.registry import load_registry
from analysis.reader.widgets import ClaimTryout, neighbour_perturbations

SENTENCE = "36% van de studenten van Saxion en de Universiteit Twente zijn technische studenten."
DATE = "2017-10-18"
INSTITUTIONS = ("21PH", "23AH")
CARE_SENTENCE = "De werkgelegenheid in de industrie daalde in Twente sinds 2010 met meer dan 5 procent."


def technical_share(year: int) -> float:
    """Percent of the enrolments of UT and Saxion in techniek in ``year``, by plain sums (one count per
    institution, sector and place: the newest edition that holds the year)."""
    frame = pd.read_csv(paths.processed_dir() / "enrolment.csv")
    frame = frame[frame["institution_code"].isin(INSTITUTIONS) & (frame["year"] == year)]
    frame = frame.sort_values("edition").drop_duplicates(
        ["institution_code", "croho_sector", "municipality", "year"], keep="last")
    assert frame["masked_cells"].sum() == 0, "a masked cell: the share is an interval, not a number"
    return 100 * frame.loc[frame["croho_sector"] == "techniek", "students"].sum() / frame["students"].sum()


def dutch_percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "%"


def shown_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", html)))


@pytest.fixture
def tryout(tmp_path: Path) -> ClaimTryout:
    return ClaimTryout(SENTENCE, DATE, registry_path=tmp_path / "mine.toml")


def test_the_hand_worked_shares() -> None:
    assert round(technical_share(2016), 1) == 36.3  # 12,543 / 34,547
    assert round(technical_share(2014), 1) == 34.0  # 11,783 / 34,614


def test_a_known_sentence_is_read_and_supported(tryout: ClaimTryout) -> None:
    assert tryout.year.value == 2016 and not tryout.year.disabled
    assert tryout.base_year.disabled and tryout.end_year.disabled and tryout.comparator.disabled
    assert tryout.threshold.disabled  # a claimed value decides, not a threshold
    assert tryout.check.verdict == "supported"
    deciding = tryout.check.deciding_text.render("nl")
    assert dutch_percent(technical_share(2016)) in deciding and "2016" in deciding
    text = shown_text(tryout.html)
    assert "ondersteund" in text and deciding in text
    assert "35,5% tot 36,5%" in text  # "36%" as written claims [35.5, 36.5)
    # the output widget shows exactly that HTML
    assert tryout.output.outputs[0]["data"]["text/html"] == tryout.html


def test_changing_the_year_changes_the_verdict(tryout: ClaimTryout) -> None:
    tryout.neighbours.value = False  # the reading alone: its own verdict
    assert tryout.check.verdict == "supported"
    tryout.year.value = 2014
    assert tryout.entry["check"]["reading"]["year"] == 2014
    assert tryout.check.verdict == "not_supported"
    deciding = tryout.check.deciding_text.render("nl")
    assert dutch_percent(technical_share(2014)) in deciding and "2014" in deciding
    assert deciding in shown_text(tryout.html)


def test_the_curve_shows_the_neighbouring_years_public_on_the_date(tryout: ClaimTryout) -> None:
    # years 2015, 2016, 2017 tried; the count of October 2017 was not public on 2017-10-18: two readings
    assert tryout.entry["check"]["perturb"] == [{"param": "year", "values": [2015, 2016, 2017],
                                                 "weights": [0.25, 0.5, 0.25]}]
    holds = sum(35.5 <= technical_share(year) < 36.5 for year in (2015, 2016))
    alt = re.search(r'<img class="spec-curve" alt="([^"]+)"', tryout.html).group(1)
    assert alt.startswith("Specificatiecurve: 2 lezingen") and f"klopt bij {holds} ervan" in alt
    tryout.neighbours.value = False
    assert "perturb" not in tryout.entry["check"]
    assert "spec-curve" not in tryout.html and "curve-too-few" in tryout.html


def test_region_and_threshold_controls_of_a_change(tmp_path: Path) -> None:
    tryout = ClaimTryout(CARE_SENTENCE, DATE, lang="en", registry_path=tmp_path / "mine.toml")
    assert (tryout.region.value, tryout.sector.value, tryout.base_year.value, tryout.end_year.value) == \
        ("CR12", "C", 2010, 2015)
    assert tryout.threshold.value == 5.0 and not tryout.threshold.disabled  # "meer dan 5 procent"
    assert tryout.year.disabled and tryout.comparator.disabled
    assert tryout.check.region == "CR12"
    tryout.threshold.value = 7.0
    assert tryout.entry["check"]["reading"]["threshold"] == 7.0
    assert "7%" in tryout.check.deciding_text.render("en")
    tryout.region.value = "CR15"
    assert tryout.entry["region"] == "CR15" and tryout.entry["id"] == "proposed-cr15-change-2010-2015"
    assert tryout.check.region == "CR15" and "Arnhem/Nijmegen" in shown_text(tryout.html)


def test_the_write_button_adds_an_entry_the_registry_loader_reads(tryout: ClaimTryout, tmp_path: Path) -> None:
    registry = tmp_path / "mine.toml"
    tryout.source_url.value = "https://example.org/techniekpact"
    tryout.write_button.click()
    assert tryout.status.startswith(f"Geschreven naar {registry}")
    claim = load_registry(registry).claim(tryout.written_id)
    assert claim.kind == "share" and tryout.written_id == "proposed-21ph-23ah-share-2016"
    tryout.year.value = 2015
    tryout.write_button.click()  # a second entry, its own id
    loaded = load_registry(registry)
    assert [c for c in loaded.claims] == ["proposed-21ph-23ah-share-2016", "proposed-21ph-23ah-share-2015"]
    text = registry.read_text(encoding="utf-8")
    assert text.count("[[claim]]") == 2 and 'url = "https://example.org/techniekpact"' in text
    assert 'date = "2017-10-18"' in text


def test_nothing_is_written_to_a_broken_registry_or_without_a_path(tryout: ClaimTryout, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\n", encoding="utf-8")
    tryout.registry_path.value = str(broken)
    tryout.write()
    assert tryout.status.startswith("Niet geschreven") and "geen geldig TOML-bestand" in tryout.status
    assert broken.read_text(encoding="utf-8") == "[meta\n"
    tryout.registry_path.value = "  "
    tryout.write()
    assert tryout.status == "Niet geschreven: vul het pad van een registerbestand in"


def test_a_statistic_the_data_do_not_hold_is_said_and_not_written(tmp_path: Path) -> None:
    tryout = ClaimTryout("De werkloosheid in Twente daalde in 2016 met 10 procent.", DATE,
                         registry_path=tmp_path / "mine.toml")
    assert tryout.entry is None and tryout.check is None
    assert "not-checkable" in tryout.html
    tryout.write()
    assert tryout.status.startswith("Niet geschreven") and not (tmp_path / "mine.toml").exists()


def test_reading_another_sentence_resets_the_controls(tryout: ClaimTryout) -> None:
    tryout.sentence.value = CARE_SENTENCE
    tryout.read_button.click()
    assert tryout.base_year.value == 2010 and not tryout.base_year.disabled and tryout.year.disabled
    assert tryout.check.kind == "change"


def test_the_date_reads_the_sentence_again_and_the_source_goes_into_the_entry(tryout: ClaimTryout) -> None:
    # DUO's count of 1 October 2017 is public from February 2018: in March 2018 "36%" is about 2017
    tryout.date.value = dt.date(2018, 3, 1)
    assert tryout.year.value == 2017 and tryout.entry["source"]["date"] == "2018-03-01"
    tryout.publisher.value = "Tubantia"
    tryout.title.value = 'Techniekpact "Twente" [2017]'
    assert tryout.entry["source"]["publisher"] == "Tubantia"
    assert tryout.entry["source"]["title"] == 'Techniekpact "Twente" [2017]'


def test_another_candidate_reading_sets_the_controls() -> None:
    # "met 20 procent gegroeid": best a claimed value [19.5, 20.5); an alternative reads only the rise
    tryout = ClaimTryout("De werkgelegenheid in de zorg in Twente is sinds 2010 met 20 procent gegroeid.", DATE)
    assert tryout.entry["check"]["relation"] == "value" and tryout.threshold.disabled
    only_rise = next(n for n, r in enumerate(tryout.readings) if r.number is None)
    tryout.candidate.value = only_rise
    assert tryout.entry["check"]["relation"] == "rise" and "claimed" not in tryout.entry["check"]
    assert not tryout.threshold.disabled and tryout.threshold.value == 0.0  # the kind's default
    tryout.threshold.value = 2.5
    assert tryout.entry["check"]["reading"]["threshold"] == 2.5


def test_the_language_is_checked() -> None:
    with pytest.raises(ValueError, match="lang='nl' or lang='en'"):
        ClaimTryout("", DATE, lang="de")
    empty = ClaimTryout("", dt.date(2017, 10, 18), lang="en")
    assert "Paste a sentence" in empty.output.outputs[0]["data"]["text/html"]


YEARS = list(range(2010, 2025))


@pytest.mark.parametrize(("reading", "expected"), [
    # 2009 is not in the data: the base year has one neighbour; weights: own 1/2, neighbours share 1/2
    ({"base_year": 2010, "end_year": 2015}, [
        {"param": "base_year", "values": [2010, 2011], "weights": [0.5, 0.5]},
        {"param": "end_year", "values": [2014, 2015, 2016], "weights": [0.25, 0.5, 0.25]}]),
    # a one-year period: a neighbour may not reach or cross the other end (2015 as base, 2014 as end)
    ({"base_year": 2014, "end_year": 2015}, [
        {"param": "base_year", "values": [2013, 2014], "weights": [0.5, 0.5]},
        {"param": "end_year", "values": [2015, 2016], "weights": [0.5, 0.5]}]),
    # the last year of the data: no later one
    ({"year": 2024}, [{"param": "year", "values": [2023, 2024], "weights": [0.5, 0.5]}]),
    ({"institutions": ["21PH"]}, []),
])
def test_neighbour_perturbations(reading: dict, expected: list) -> None:
    assert neighbour_perturbations(reading, YEARS) == expected


@pytest.mark.slow
def test_the_notebook_runs_top_to_bottom(tmp_path: Path) -> None:
    notebook = jupytext.read(paths.notebooks_dir() / "try_a_claim.py", fmt="py:percent")
    source, executed = tmp_path / "try_a_claim.input.ipynb", tmp_path / "try_a_claim.ipynb"
    nbformat.write(notebook, source)
    registry = tmp_path / "never-written.toml"
    papermill.execute_notebook(source, executed, parameters={"registry_path": str(registry)}, kernel_name="python3",
                               cwd=str(paths.notebooks_dir()), progress_bar=False)
    outputs = [o for cell in nbformat.read(executed, as_version=4).cells if cell.cell_type == "code"
               for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), outputs
    assert not registry.exists()  # running the notebook writes nothing; only the button does
