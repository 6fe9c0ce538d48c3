"""analysis.report.claimpage and report.record on hand-built ClaimCheck objects (no engine needed)."""

from __future__ import annotations

import dataclasses
import json
import tomllib

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.engine.result import ClaimCheck, ContextItem, Evaluation, Interval, Unevaluable
from analysis.i18n import Text, catalogue, render
from analysis.report import bilingual as bi
from analysis.report import claimpage, record


def words(nl: str, en: str) -> Text:
    return Text("page.text", {"text": {"nl": nl, "en": en}})


def evaluation(value: float, holds: bool | None, base: int, definition: str, *, low: float | None = None,
               high: float | None = None, weight: float = 1.0, real_time: bool = True,
               merged: int = 0) -> Evaluation:
    return Evaluation(parameters={"base_year": base, "definition": definition},
                      result=Interval(value, value if low is None else low, value if high is None else high,
                                      "percent"),
                      holds=holds, weight=weight, real_time=real_time,
                      label=words(f"basisjaar {base}, {definition}", f"base year {base}, {definition}"),
                      arithmetic=words("44.000 → 41.500", "44,000 → 41,500"),
                      merged_parameters=[{"base_year": base, "definition": "x"}] * merged)


@pytest.fixture
def check() -> ClaimCheck:
    # A decline claim: "fell by at least 5%"; the reading (2010, B-E) gives -5.68%.
    reading = evaluation(-5.68, True, 2010, "B-E", low=-5.80, high=-5.56)
    perturbations = [evaluation(-4.12, False, 2011, "B-E", weight=0.5),
                     evaluation(-6.30, True, 2009, "B-E", weight=0.5, merged=1),
                     evaluation(-3.00, False, 2010, "C", real_time=False),
                     evaluation(-5.20, None, 2011, "C", low=-5.4, high=-4.9)]
    headline = pd.DataFrame({"year": [2010, 2011, 2010, 2011], "value": [44000.0, 43100.0, 837500.0, 830000.0],
                             "series": ["Twente", "Twente", words("Nederland", "the Netherlands"),
                                        words("Nederland", "the Netherlands")]})
    return ClaimCheck(
        claim_id="industry-decline", region="CR12", region_name="Twente", kind="change",
        verdict="borderline", verdict_reason=words("Klopt nipt.", "Just holds."),
        claimed=Interval(-5.0, -5.5, -4.5, "percent"), reading=reading,
        reading_text=words("Daling van banen 2010-2015.", "Fall in jobs 2010-2015."),
        robustness=0.5, robustness_band=(0.25, 0.75), fairness=-0.12, uniqueness=0.6,
        counter_argument=words("Vanaf 2011 daalde het 4,1%.", "From 2011 it fell 4.1%."),
        fairer_statement=words("Van 2010 tot 2015 -5,7%.", "From 2010 to 2015 -5.7%."),
        ex_post=evaluation(-2.0, False, 2010, "B-E", real_time=False),
        ex_post_text=words("Later herstel.", "Later recovery."),
        perturbations=perturbations,
        unevaluable=[Unevaluable({"base_year": 2008, "definition": "C"}, words("geheim", "suppressed"))],
        context=[ContextItem(words("Twente Index", "Twente Index"), Interval(4.0, 3.5, 4.5, "percent"),
                             "upper_bound")],
        headline_series=headline, registry_hash="abc123def4567890")


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    outputs: list[str] = []
    monkeypatch.setattr(bi, "_display", outputs.append)
    return outputs


def _texts(html: str, lang: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    return " ".join(e.get_text(" ", strip=True) for e in soup.select(f'.l10n[lang="{lang}"]'))


def test_claim_ids_follow_the_registry_order_read_independently() -> None:
    with (paths.PACKAGE_DATA / "claims.toml").open("rb") as handle:
        entries = tomllib.load(handle)["claim"]
    expected = [e["id"] for e in sorted(entries, key=lambda e: e["order"])]
    assert claimpage.claim_ids() == expected
    assert claimpage.claim_order(expected[-1]) == len(expected)
    with pytest.raises(KeyError, match="no claim 'nope'"):
        claimpage.claim_entry("nope")


def test_claim_text_file_and_title_fallbacks(tmp_path) -> None:
    (tmp_path / "industry-decline.nl.md").write_text("# Eigen titel\n\nEerste alinea\nloopt door.\n\nTweede.\n",
                                                     encoding="utf-8")
    assert claimpage.claim_text_file("industry-decline", "nl", tmp_path) == (
        "Eigen titel", ["Eerste alinea loopt door.", "Tweede."])
    assert claimpage.claim_text_file("industry-decline", "en", tmp_path) == ("", [])
    titles = claimpage.claim_title("industry-decline", folder=tmp_path)
    entry = claimpage.claim_entry("industry-decline")
    assert titles["nl"] == "Eigen titel"
    assert titles["en"] == entry["title_en"]  # no English text file: the registry's title_en


def test_values_keep_the_precision_of_their_inputs() -> None:
    assert bi.localise(claimpage.with_unit(1679.7, "jobs", signed=False), "nl") == "1.700 banen"  # 33.6 x 50
    assert bi.localise(claimpage.with_unit(1620.0, "jobs", signed=False), "en") == "1,600 jobs"  # 32.4 x 50
    assert bi.localise(claimpage.with_unit(-5.6818, "percent"), "nl") == "-5,7%"
    assert bi.localise(claimpage.with_unit(0.49, "percent per year"), "en") == "+0.5% a year"
    assert bi.localise(claimpage.with_unit(1.26, "percentage points"), "nl") == "+1,3 procentpunt"
    # an interval that vanishes at one decimal is shown as the value alone; bounds alone as "between"
    assert bi.localise(claimpage.result_words(Interval(-3.70, -3.71, -3.69, "percent")), "en") == "-3.7%"
    assert bi.localise(claimpage.result_words(Interval(-3.7, -3.9, -3.5, "percent")), "en") == \
        "-3.7% (interval -3.9% to -3.5%)"
    assert bi.localise(claimpage.result_words(Interval(None, -27.2, -7.8, "percent")), "nl") == \
        "tussen -27,2% en -7,8%"


def test_curve_data_ranks_by_value_marks_the_reading_and_keeps_varying_choices(check) -> None:
    data = claimpage.curve_data(check)
    # the -3.00 setting uses data published after the claim (real_time False): not on the curve
    assert list(data["value"]) == [-6.30, -5.68, -5.20, -4.12]
    assert list(data["rank"]) == [1, 2, 3, 4]
    assert list(data["reading"]) == [False, True, False, False]
    assert list(data["holds"]) == ["yes", "yes", "undecidable", "no"]
    assert list(data["param_base_year"]) == ["2009", "2010", "2011", "2011"]
    assert list(data["param_definition"]) == ["B-E", "B-E", "C", "B-E"]
    assert data.loc[1, "low"] == -5.80 and data.loc[1, "high"] == -5.56
    assert not data["value_is_midpoint"].any()


def test_a_setting_known_only_by_its_bounds_is_drawn_at_its_middle(check) -> None:
    bounded = Evaluation(parameters={"base_year": 2012, "definition": "C"},
                         result=Interval(None, -9.0, -7.0, "percent"), holds=True, weight=1.0, real_time=True)
    check.perturbations.append(bounded)
    data = claimpage.curve_data(check)
    assert data.loc[0, "value"] == -8.0 and bool(data.loc[0, "value_is_midpoint"])  # (-9 + -7) / 2


def test_verdict_is_stated_once_with_symbol_word_and_reason(check, shown) -> None:
    claimpage.show_verdict(check)
    assert len(shown) == 1
    nl, en = _texts(shown[0], "nl"), _texts(shown[0], "en")
    # the engine's word (verdict.<code>) where a catalogue has it, else the pages' own
    key = "verdict.borderline" if "verdict.borderline" in catalogue() else "page.verdict.borderline"
    assert f"Oordeel: {render(key, 'nl')}" in nl and "Klopt nipt." in nl and "Regio: Twente (CR12)." in nl
    assert f"Verdict: {render(key, 'en')}" in en and "Just holds." in en
    assert shown[0].count("◐") == 2  # once per edition
    assert "verdict-borderline" in shown[0]


def test_verdict_reason_is_the_deciding_fact_with_its_caveats(check, shown) -> None:
    from dataclasses import replace

    decided = replace(check, deciding_text=words("Landelijk -3,7%, minder dan de 5%.", "Nationally -3.7%, less than 5%."),
                      caveats=[words("Weinig alternatieven.", "Few alternatives.")])
    claimpage.show_verdict(decided)
    nl, en = _texts(shown[0], "nl"), _texts(shown[0], "en")
    assert "Landelijk -3,7%, minder dan de 5%." in nl and "Klopt nipt." not in nl  # the fact, not the rule
    assert "Nationally -3.7%, less than 5%." in en and "Few alternatives." in en
    assert shown[0].count('<details class="caveats">') == 2  # folded: no shares above the fold


def test_top_reads_claim_verdict_why_evidence_in_that_order(check, shown) -> None:
    claimpage.show_verdict(check)
    html = shown[0].split('lang="en"')[0]  # the Dutch edition
    order = [html.index(mark) for mark in ('class="claim-label"', 'class="claim-quote"', 'class="verdict ',
                                           'class="reason"', 'class="evidence"')]
    assert order == sorted(order)
    # whose claim it is, from the claim's own source: publisher, title, date
    assert "Bewering · Techniekpact Twente, “Techniekpact Twente: wat is dat?”, 18 oktober 2017" in html
    # the fairer statement restates nothing new beyond the counter-argument and headline? it has its
    # own numbers (-5,7%) here, so three lines: headline, counter-argument, fairer statement
    assert html.count("<li>") == 3
    assert "robuust" not in html.split('class="evidence"')[0].lower()  # no shares above the fold


def test_reproduction_and_measurable_sections(check, shown) -> None:
    claimpage.show_measurable(check)
    claimpage.show_reproduction(check)
    nl = " ".join(_texts(h, "nl") for h in shown)
    en = " ".join(_texts(h, "en") for h in shown)
    assert "Daling van banen 2010-2015." in nl
    assert "-5,0% (van -5,5% tot -4,5%)" in nl  # the claim's number as an interval
    assert "Result of the reading: -5.7% (interval -5.8% to -5.6%). The claim holds under this reading." in en
    assert "Settings of the reading" in en and "base year 2010" in en and "basisjaar 2010" in nl
    assert "Arithmetic: 44,000 → 41,500" in en and "Berekening: 44.000 → 41.500" in nl
    assert "2018" not in en  # real-time: the date of the claim, not later years
    assert "Settings of the reading" in en


def test_perturbations_section_curve_measures_counter_and_full_table(check, shown, tmp_path) -> None:
    claimpage.show_perturbations(check, source={"nl": "Bron: CBS", "en": "Source: CBS"}, site_dir=str(tmp_path),
                                 page_stem="claim-industry-decline")
    html = "".join(shown)
    en, nl = _texts(html, "en"), _texts(html, "nl")
    assert "3 other readings (after merging identical results); the claim holds in 1 of the 3. 1 combination " \
        "cannot be computed" in en  # singular and plural by the count
    assert "Another 1 reading uses data that were not public on the claim's date" in en
    assert "Nog 1 lezing gebruikt gegevens" in nl
    assert "Robustness: the claim still holds under 50% of the readings" in en
    assert "only the reading's own setting is left out" in en
    assert "counted as holding, the share is 75% (range 25% to 75%)" in en  # undecidable ones
    assert "weaker for the claim" in en and "-0.12" in en and "-0,12" in nl
    assert "Uniqueness: 60% of the other readings" in en
    assert "From 2011 it fell 4.1%." in en and "Van 2010 tot 2015 -5,7%." in nl  # the engine's own sentences
    written = pd.read_csv(tmp_path / "data" / "claim-industry-decline" / "specification-curve.csv")
    expected = claimpage.curve_data(check)
    # the download shows what the page shows: one decimal, the judgement in words
    assert list(written["value"]) == [round(v, 1) for v in expected["value"]]
    said = {"yes": "yes", "no": "no", "undecidable": "undecided"}  # the download's words for the judgement
    assert list(written["claim holds"]) == [said[h] for h in expected["holds"]]
    soup = BeautifulSoup(html, "html.parser")
    images = soup.find_all("img")
    assert len(images) == 2 and all(img["alt"] for img in images)
    assert "Specification curve of 4 readings, from -6.3% to -4.1%; the claim holds in 2 of the 4; " \
           "the claim's reading gives -5.7% (interval -5.8% to -5.6%)." == images[1]["alt"]
    tables = [d for d in soup.find_all("details") if d.find("table")]
    assert len(tables) == 4  # the perturbation table and the unevaluable list, in each language
    full = tables[1].find("table")  # English perturbation table: reading + 4 perturbations
    assert len(full.find("tbody").find_all("tr")) == 5
    assert "the claim's reading" in full.get_text()
    assert "suppressed" in tables[3].get_text()


def test_context_ex_post_and_sources(check, shown) -> None:
    claimpage.show_context(check)
    claimpage.show_ex_post(check)
    manifest = {"built_at": "2026-11-28T03:26:20Z", "inputs": [
        {"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen van werknemers", "licence": "CC BY 4.0",
         "mode": "mirror", "retrieved_at": "2026-11-28T03:26:18Z"}]}
    claimpage.show_sources(check, manifest, ["cbs-83582NED"])
    en = " ".join(_texts(h, "en") for h in shown)
    nl = " ".join(_texts(h, "nl") for h in shown)
    assert "upper bound" in en and "+4.0%" in en and "bovengrens" in nl
    assert "With later data: -2.0%; the claim does not hold under this reading." in en  # a point: no interval
    assert "Later herstel." in nl
    # the English edition names the table by the registry's English title (sources.toml title_en)
    assert ("CBS: Employee jobs in December; economic activity (SBI2008), region (cbs-83582NED), retrieved "
            "2026-11-28 (offline mirror); licence CC BY 4.0." in en)
    assert "opgehaald 2026-11-28 (offline kopie); licentie CC BY 4.0" in nl
    assert "abc123def456" in en and "Data processed on 2026-11-28." in en


def test_datasets_used_names_only_what_the_check_mentions(check) -> None:
    manifest = {"inputs": [{"dataset_id": "cbs-83582NED", "publisher": "CBS"},
                           {"dataset_id": "duo-hbo-2019", "publisher": "DUO"}]}
    assert claimpage.datasets_used(check, manifest) == []  # the hand-built check names no dataset
    check.perturbations[0].parameters["table"] = "83582NED"
    assert claimpage.datasets_used(check, manifest) == ["cbs-83582NED"]


def test_record_check_writes_the_contract_json(check, tmp_path) -> None:
    written = record.record_check(check, tmp_path, order=1, title={"nl": "Titel", "en": "Title"},
                                  quote=claimpage.claim_quote("industry-decline"),
                                  headline=claimpage.headline_text(check))
    on_disk = json.loads((tmp_path / "claim-industry-decline.json").read_text(encoding="utf-8"))
    assert on_disk == written
    assert set(on_disk) == {"claim_id", "page", "order", "verdict", "title", "quote", "reason", "counter_argument",
                            "fairer_statement", "headline", "headline_series", "check", "said_by"}
    assert on_disk["page"] == "claim-industry-decline.html" and on_disk["verdict"] == "borderline"
    assert on_disk["reason"] == {"nl": "Klopt nipt.", "en": "Just holds."}
    assert on_disk["headline"] == {"nl": "Twente: -5,7% (bewering: -5,0%)", "en": "Twente: -5.7% (claimed: -5.0%)"}
    assert on_disk["headline_series"][2] == {"year": 2010, "series": {"nl": "Nederland", "en": "the Netherlands"},
                                             "value": 837500.0}
    assert on_disk["check"]["robustness"] == 0.5 and len(on_disk["check"]["perturbations"]) == 4
    assert on_disk["quote"]["nl"].startswith("In de industrie")


def test_record_check_refuses_bad_records_and_writes_nothing_by_hand(check, tmp_path) -> None:
    record.record_check(check, "", order=1, title="T", quote="Q", headline="H")
    assert not list(tmp_path.iterdir())
    check.verdict = "partly supported"
    with pytest.raises(ValueError, match="verdict 'partly supported' is not one of"):
        record.record_check(check, tmp_path, order=1, title="T", quote="Q", headline="H")
    check.verdict = "supported"
    with pytest.raises(ValueError, match="title is empty in nl"):
        record.record_check(check, tmp_path, order=1, title={"nl": " ", "en": "T"}, quote="Q", headline="H")


def test_headline_series_figure_has_both_names_in_its_csv(check, shown, tmp_path) -> None:
    claimpage.show_headline_series(check, source="Bron/Source: CBS", site_dir=str(tmp_path), page_stem="p")
    english = pd.read_csv(tmp_path / "data" / "p" / "headline-series.csv")
    assert list(english.columns) == ["year", "value", "series"]
    assert list(english["series"]) == ["Twente", "Twente", "the Netherlands", "the Netherlands"]
    dutch = pd.read_csv(tmp_path / "data" / "p" / "headline-series.nl.csv", sep=";", decimal=",",
                        encoding="utf-8-sig")
    assert list(dutch.columns) == ["jaar", "waarde", "reeks"]
    assert list(dutch["reeks"]) == ["Twente", "Twente", "Nederland", "Nederland"]
    alts = [img["alt"] for img in BeautifulSoup(shown[0], "html.parser").find_all("img")]
    assert alts == ["Lijndiagram van 2 reeksen van 2010 tot 2011; de lezing geeft -5,7% (interval -5,8% tot -5,6%).",
                    "Line chart of 2 series from 2010 to 2011; the reading gives -5.7% (interval -5.8% to -5.6%)."]


def test_settings_in_words_use_the_registry_labels_and_the_engine_catalogue() -> None:
    with (paths.PACKAGE_DATA / "claims.toml").open("rb") as handle:
        meta = tomllib.load(handle)["meta"]
    name, spec = next(iter(meta["sector_lists"].items()))
    claim_id = claimpage.claim_ids()[0]
    assert bi.both(claimpage.value_text(claim_id, "sector", name)) == {"nl": spec["label_nl"], "en": spec["label_en"]}
    assert claimpage.value_text(claim_id, "sector", "Q") == "SBI Q"  # a plain SBI code
    assert claimpage.value_text(claim_id, "threshold", 5.0) == "5"
    assert claimpage.value_text(claim_id, "threshold", "10.0") == "10"  # as a table column holds it
    assert bi.both(claimpage.value_text(claim_id, "margin", 2.5)) == {"nl": "2,5", "en": "2.5"}
    assert claimpage.value_text(claim_id, "base_year", 2010) == "2010"  # a year is never grouped
    assert claimpage.value_text(claim_id, "institutions", ["23AH", "21PH"]) == "Saxion Hogeschool, Universiteit Twente"
    assert bi.localise(claimpage.setting_text(claim_id, "no_such_param", "x"), "en") == "no such param: x"


def test_after_page_table_words_each_claims_ex_post_result(check) -> None:
    from analysis.report import afterpage

    frame = afterpage.expost_frame([check])
    row = frame.iloc[0]
    assert bi.localise(row["ex_post"], "nl") == "-2,0%"  # the ex-post reading is a point: no interval
    assert not bool(row["holds"]) and row["holds"] is not None  # the ex-post reading fails
    assert bi.localise(row["later"], "en") == "holds in 0 of 1"  # one perturbation uses later data, it fails
    assert bi.localise(row["verdict"], "en") == bi.localise(claimpage.verdict_word("borderline"), "en")


def test_requested_settings_a_claim_lacks_are_named_not_silently_dropped(shown) -> None:
    from analysis.engine.registry import load_registry

    for claim_id, claim in load_registry().claims.items():
        used, ignored = claimpage.split_overrides(claim_id, base_year=2011, end_year=None, comparator="nation")
        has = {name for name in ("base_year", "comparator") if name in claim.reading}  # the kind's parameters
        assert set(used) == has and set(ignored) == {"base_year", "comparator"} - has
        assert "end_year" not in used and "end_year" not in ignored  # None: not requested
    claimpage.show_ignored_overrides(["base_year"])
    assert "this claim has no setting base year" in _texts(shown[0], "en")
    assert "geen instelling basisjaar" in _texts(shown[0], "nl")


def test_the_engines_series_codes_are_named_on_the_card_and_the_figure(check, shown, tmp_path) -> None:
    check.headline_series = pd.DataFrame({"year": [2010, 2011, 2010, 2011], "value": [100.0, 97.5, 100.0, 99.0],
                                          "series": ["region", "region", "nation", "nation"]})
    rows = record.headline_series_records(check.headline_series, check)
    assert rows[0]["series"] == {"nl": "Twente", "en": "Twente"}
    assert rows[2]["series"] == {"nl": "Nederland", "en": "the Netherlands"}
    claimpage.show_headline_series(check, source="Bron/Source: CBS", site_dir=str(tmp_path), page_stem="p")
    written = pd.read_csv(tmp_path / "data" / "p" / "headline-series.nl.csv", sep=";", encoding="utf-8-sig")
    assert list(written["reeks"]) == ["Twente", "Twente", "Nederland", "Nederland"]


def test_a_claim_with_nothing_to_compute_shows_no_empty_sections(check, shown, tmp_path) -> None:
    check.verdict, check.reading, check.perturbations, check.ex_post = "not_applicable", None, [], None
    claimpage.show_verdict(check)
    claimpage.show_measurable(check)
    claimpage.show_reproduction(check)
    claimpage.show_headline_series(check, source="s", site_dir=str(tmp_path), page_stem="p")
    claimpage.show_perturbations(check, source="s", site_dir=str(tmp_path), page_stem="p")
    claimpage.show_context(check)
    claimpage.show_trends(check, source="s")
    claimpage.show_ex_post(check)
    assert len(shown) == 1 and "verdict-not_applicable" in shown[0]  # the verdict alone, with its reason
    assert "Just holds." in _texts(shown[0], "en")
    assert not list(tmp_path.iterdir())  # no figure data either


def test_the_last_year_public_on_the_claims_date_follows_the_registrys_rule() -> None:
    with (paths.PACKAGE_DATA / "claims.toml").open("rb") as handle:
        rule = tomllib.load(handle)["meta"]["public"]["employee_jobs"]
    # December figures of Y public on (Y + offset)-month-day: on that very day Y is public, a day before not
    year = 2017 - int(rule["year_offset"])
    on_the_day = f"2017-{int(rule['month']):02d}-{int(rule['day']):02d}"
    assert claimpage.last_public_year("employee_jobs", on_the_day) == year
    assert claimpage.last_public_year("employee_jobs", "2017-01-01") == year - (
        0 if (int(rule["month"]), int(rule["day"])) <= (1, 1) else 1)
    assert claimpage.last_public_year("no_such_input", on_the_day) is None


def test_headline_is_the_readings_own_statement_where_there_is_one(check) -> None:
    # Without a statement: the value against the claimed number, named after the region.
    assert claimpage.headline_text(check).render("en").startswith("Twente: ")
    # With one (a comparison whose measured half is the nation's): the statement, which says whose
    # number it is, never "Twente: <the nation's number>".
    statement = words("In Nederland groeide HTSM met 2,5%.", "In the Netherlands HTSM grew by 2.5%.")
    national = dataclasses.replace(check, reading=dataclasses.replace(check.reading, statement=statement))
    assert claimpage.headline_text(national).render("en") == "In the Netherlands HTSM grew by 2.5%."
    assert claimpage.headline_text(national).render("nl") == "In Nederland groeide HTSM met 2,5%."


def test_the_claims_number_is_drawn_only_beside_the_half_it_is_about(check, shown, tmp_path, monkeypatch) -> None:
    drawn: list[float | None] = []
    from analysis.report import plots

    original = plots.spec_curve_figure

    def spy(*args, **kwargs):
        drawn.append(kwargs.get("claimed"))
        return original(*args, **kwargs)

    monkeypatch.setattr(plots, "spec_curve_figure", spy)
    region_half = Interval(-5.68, -5.80, -5.56, "percent")
    with_region = dataclasses.replace(check, reading=dataclasses.replace(
        check.reading, parts={"region": region_half, "comparator": Interval(-3.7, -3.8, -3.6, "percent")}))
    claimpage.show_perturbations(with_region, source={"nl": "Bron", "en": "Source"}, site_dir=str(tmp_path),
                                 page_stem="a")
    assert drawn and set(drawn) == {-5.0}  # the claimed -5% beside the region's values, in each language
    drawn.clear()
    # Only the comparator's half measured (a national figure): the region's claimed number is no yardstick.
    national_only = dataclasses.replace(check, reading=dataclasses.replace(
        check.reading, parts={"comparator": Interval(2.5, 2.2, 2.8, "percent")}))
    claimpage.show_perturbations(national_only, source={"nl": "Bron", "en": "Source"}, site_dir=str(tmp_path),
                                 page_stem="b")
    assert drawn and set(drawn) == {None}


def _two_part(check: ClaimCheck) -> ClaimCheck:
    """Both halves must fall by at least 5%: Twente fell 6.6% (holds), the nation 4.4% (fails, decides)."""
    from analysis.engine.result import Fact

    def fact(part: str, fall: float, threshold: float) -> Fact:
        return Fact(part=part, test="at_least", value=Interval(fall, fall, fall, "percent"), holds=fall >= threshold,
                    sentence=words("-", "-"), threshold=threshold, limit=fall)

    def halves(region: float, nation: float, threshold: float = 5.0) -> dict:
        return {"parts": {"region": Interval(region, region, region, "percent"),
                          "comparator": Interval(nation, nation, nation, "percent")},
                "facts": [fact("region", -region, threshold), fact("comparator", -nation, threshold)]}

    reading = dataclasses.replace(check.reading, parameters={**check.reading.parameters, "comparator": "nation"},
                                  **halves(-6.6, -4.4))
    perturbations = [dataclasses.replace(check.perturbations[0], **halves(-7.0, -5.5)),
                     dataclasses.replace(check.perturbations[1], **halves(-3.0, -6.0)),
                     # measures only the region: it has no national half to draw
                     dataclasses.replace(check.perturbations[3], parts={"region": Interval(-8.0, -8.0, -8.0, "percent")},
                                         facts=[fact("region", 8.0, 5.0)])]
    return dataclasses.replace(check, reading=reading, perturbations=perturbations,
                               deciding=[fact("comparator", 4.4, 5.0)])


def test_the_curve_of_a_two_part_claim_draws_the_deciding_half_against_its_threshold(check) -> None:
    two = _two_part(check)
    assert claimpage.curve_part(two) == "comparator"
    assert claimpage.curve_threshold(two, "comparator") == -5.0  # a fall of 5% on the signed scale
    data = claimpage.curve_data(two)
    # the national values, sorted: -6.0 (holds), -5.5 (holds), -4.4 (the reading, fails); the
    # region-only setting is left out and the region's -3.0 does not make its setting "fail" here
    assert data["value"].tolist() == [-6.0, -5.5, -4.4]
    assert data["holds"].tolist() == ["yes", "yes", "no"]
    assert data["reading"].tolist() == [False, False, True]
    # a check whose deciding fact is not a threshold on a part keeps the headline value
    assert claimpage.curve_part(dataclasses.replace(two, deciding=[])) is None


def test_the_curve_draws_the_threshold_line_and_names_the_half(check, shown, tmp_path, monkeypatch) -> None:
    from analysis.report import plots

    figures = []
    original = plots.spec_curve_figure
    monkeypatch.setattr(plots, "spec_curve_figure",
                        lambda *a, **k: figures.append(original(*a, **k)) or figures[-1])
    claimpage.show_perturbations(_two_part(check), source={"nl": "Bron", "en": "Source"},
                                 site_dir=str(tmp_path), page_stem="c")
    def title(ax) -> str:  # centred, or left-aligned once the house style has set titles left
        return " ".join((ax.get_title() or ax.get_title(loc="left")).split())

    dutch = next(f for f in figures if "Het beslissende deel" in title(f.axes[0]))
    top = dutch.axes[0]
    assert title(top) == "Het beslissende deel, over Nederland, klopt in 2 van de 3 lezingen die het meten"
    # the counts above the curve are of the whole claim, and say so
    counts = next(_texts(html, "nl") for html in shown if "andere lezingen" in _texts(html, "nl"))
    assert "de bewering als geheel klopt in" in counts
    levels = [line.get_ydata()[0] for line in top.get_lines()]
    assert -5.0 in levels and -4.4 not in levels  # the threshold, and no claimed number for the nation
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert "het deel over Nederland klopt (2 van 3)" in legend
    assert "de drempel van de lezing (-5,0%)" in legend or "de drempel van de lezing (−5,0%)" in legend
