"""analysis.report.downloads through bilingual.show_figure: the CSVs beside a figure are rounded as
the page shows them, have readable column names, a metadata file that names the source tables with
their pages and licences, and a Dutch (semicolon, decimal comma) file with the same numbers."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.report import bilingual as bi
from analysis.report import downloads, pagesources

MANIFEST = {"inputs": [
    {"dataset_id": "cbs-83582NED", "publisher": "CBS", "title": "Banen van werknemers in december",
     "licence": "CC BY 4.0", "retrieved_at": "2026-11-28T03:26:18Z"},
    {"dataset_id": "duo-hbo-2019", "publisher": "DUO", "title": "01. Ingeschrevenen hbo",
     "licence": "DUO open onderwijsdata (free reuse)", "retrieved_at": "2026-11-27T10:00:00Z"}]}
SNAKE = re.compile(r"[a-z]+_[a-z]+")


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    outputs: list[str] = []
    monkeypatch.setattr(bi, "_display", outputs.append)
    return outputs


def _draw(data: pd.DataFrame, lang: str):
    figure, ax = plt.subplots()
    ax.plot(range(len(data)), range(len(data)))
    ax.set_title({"nl": "Banen daalden", "en": "Jobs fell"}[lang])
    return figure


def _curve() -> pd.DataFrame:
    """Rows in percent and in jobs, with the long tails the engine's arithmetic leaves."""
    return pd.DataFrame({
        "rank": [1, 2, 3],
        "value": [36.307059947318145, -0.04, 44012.6],
        "low": [35.55, None, 43999.5],
        "weight": [0.0037800000000000004, 0.30000000000000004, 1.0],
        "holds": ["yes", "undecidable", "no"],
        "reading": [True, False, False],
        "unit": ["percent", "percent", "jobs"],
        "param_threshold": ["10.0", "5.0", "3.0"],
    })


def _write(tmp_path: Path, data: pd.DataFrame, shown: list[str], name: str = "curve") -> Path:
    source = pagesources.source_line(["cbs-83582NED", "duo-hbo-2019"], MANIFEST)
    bi.show_figure(_draw, data, name=name, alt={"nl": "Curve", "en": "Curve"}, source=source,
                   site_dir=tmp_path, page_stem="claim-x")
    return tmp_path / "data" / "claim-x"


def _decimals(cell: str, sign: str) -> int:
    return len(cell.split(sign, 1)[1]) if sign in cell else 0


def test_values_are_rounded_as_the_page_shows_them(tmp_path, shown) -> None:
    folder = _write(tmp_path, _curve(), shown)
    rows = (folder / "curve.csv").read_text(encoding="utf-8").splitlines()
    # worked out by hand: percent to one decimal (35.55 is stored just below, 35.5), jobs whole
    # (43999.5 is exact: half to even, 44000), weights two decimals, -0.04 is 0.0 (never "-0.0"),
    # whole numbers without decimals, settings held as text ("10.0") written as numbers
    assert rows[1:] == ["1,36.3,35.5,0.00,yes,yes,percent,10",
                        "2,0.0,,0.30,undecided,no,percent,5",
                        "3,44013,44000,1,no,no,jobs,3"]
    english = pd.read_csv(folder / "curve.csv", dtype=str, keep_default_na=False)
    for header, cells in english.items():
        for cell, unit in zip(cells, english["unit"], strict=True):
            if re.fullmatch(r"-?\d+(\.\d+)?", cell):
                limit = 2 if header == "weight" else 0 if unit == "jobs" and header != "rank" else 1
                assert _decimals(cell, ".") <= limit, f"{header}: {cell} has more than {limit} decimals"


def test_a_half_rounds_to_even_as_babel_does_and_whole_numbers_have_no_decimals() -> None:
    assert downloads.format_cell(43999.5, 0, ".") == "44000" and downloads.format_cell(44000.5, 0, ".") == "44000"
    assert downloads.format_cell(0.125, 2, ",") == "0,12"  # exactly on the half, to the even digit
    assert downloads.format_cell(44000.0, 1, ".") == "44000"
    assert downloads.format_cell(-0.04, 1, ",") == "0,0"
    assert downloads.format_cell(None, 1, ".") == "" and downloads.format_cell(float("nan"), 1, ".") == ""
    assert downloads.format_cell("5.0", 0, ",") == "5"  # a number held as text is a number
    assert downloads.format_cell("htsm-narrow", 1, ",") == "htsm-narrow"


def test_headers_are_words_not_codes_in_each_language(tmp_path, shown) -> None:
    folder = _write(tmp_path, _curve(), shown)
    english = (folder / "curve.csv").read_text(encoding="utf-8").splitlines()[0]
    dutch = (folder / "curve.nl.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert english.split(",")[:3] == ["rank", "value", "lower bound"]
    assert dutch.split(";")[:3] == ["plaats", "waarde", "ondergrens"]
    assert "bewering klopt" in dutch and "claim holds" in english
    assert not SNAKE.search(english) and not SNAKE.search(dutch), (english, dutch)


def test_language_columns_go_to_their_own_file_and_unknown_columns_are_named_with_a_warning(
        tmp_path, shown, caplog) -> None:
    data = pd.DataFrame({"year": [2010, 2011], "value": [100.0, 101.94], "series_nl": ["Nederland"] * 2,
                         "series_en": ["the Netherlands"] * 2, "odd_column": [1, 2]})
    with caplog.at_level(logging.WARNING):
        folder = _write(tmp_path, data, shown, name="series")
    assert "odd_column" in caplog.text and "sources.toml" in caplog.text
    english = pd.read_csv(folder / "series.csv")
    dutch = pd.read_csv(folder / "series.nl.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert list(english.columns) == ["year", "value", "series", "odd column"]
    assert list(dutch.columns) == ["jaar", "waarde", "reeks", "odd column"]
    assert list(dutch["reeks"]) == ["Nederland"] * 2 and list(english["series"]) == ["the Netherlands"] * 2
    assert list(english["value"]) == [100.0, 101.9]


def test_the_dutch_file_reads_to_the_same_numbers(tmp_path, shown) -> None:
    folder = _write(tmp_path, _curve(), shown)
    english = pd.read_csv(folder / "curve.csv")
    dutch = pd.read_csv(folder / "curve.nl.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert (folder / "curve.nl.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    assert len(dutch.columns) == len(english.columns) == 8
    for ours, theirs in zip(english.columns, dutch.columns, strict=True):
        if pd.api.types.is_numeric_dtype(english[ours]):
            assert pd.api.types.is_numeric_dtype(dutch[theirs]), theirs
            pd.testing.assert_series_equal(english[ours], dutch[theirs], check_names=False)
    assert list(dutch["bewering klopt"]) == ["ja", "onbeslist", "nee"]


def test_metadata_beside_each_csv_names_tables_links_licence_and_citation(tmp_path, shown) -> None:
    folder = _write(tmp_path, _curve(), shown)
    dutch = (folder / "curve.nl.txt").read_text(encoding="utf-8")
    english = (folder / "curve.txt").read_text(encoding="utf-8")
    assert dutch.splitlines()[0] == "Banen daalden" and english.splitlines()[0] == "Jobs fell"  # the figure's title
    for text in (dutch, english):
        assert "CBS 83582NED" in text and "https://www.cbs.nl/nl-nl/cijfers/detail/83582NED" in text
        assert "2026-11-28" in text and "2026-11-27" in text  # the manifest's retrieval dates
        # DUO's dataset page, as sources.toml registers it
        assert "https://duo.nl/open_onderwijsdata/hoger-onderwijs/studenten-ho/ingeschrevenen-ho.jsp" in text
        assert "twente-claims" in text
    assert "CC BY 4.0 (Bron: CBS)" in dutch and "CC BY 4.0 (Source: CBS)" in english
    assert "vrij te hergebruiken" in dutch and "free to reuse" in english
    assert "puntkomma" in dutch and "Eenheden: procent, banen." in dutch
    assert "Units: percent, jobs." in english


def test_each_edition_links_its_csv_its_metadata_and_cites_the_figure(tmp_path, shown) -> None:
    from bs4 import BeautifulSoup

    _write(tmp_path, _curve(), shown)
    soup = BeautifulSoup(shown[-1], "html.parser")
    nl, en = soup.select('figure[lang="nl"]')[0], soup.select('figure[lang="en"]')[0]
    assert nl.select_one("a.figure-data")["href"] == "data/claim-x/curve.nl.csv"
    assert nl.select_one("a.figure-meta")["href"] == "data/claim-x/curve.nl.txt"
    assert en.select_one("a.figure-data")["href"] == "data/claim-x/curve.csv"
    assert en.select_one("a.figure-meta")["href"] == "data/claim-x/curve.txt"
    source_links = {a.get_text(): a["href"] for a in nl.select(".figure-source a")}
    assert source_links["CBS 83582NED"] == "https://www.cbs.nl/nl-nl/cijfers/detail/83582NED"
    cite = en.select_one(".figure-cite").get_text()
    assert cite.startswith("Cite as: “Jobs fell”") and "CBS 83582NED, CC BY 4.0 (Source: CBS)" in cite
