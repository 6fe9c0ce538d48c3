"""The CBS label layout: titles to codes, complete blocks, truncation and the faults of such files.

Synthetic files written here by hand (a tiny table in the layout of the mirror's label files);
expected values are worked out in each test from the file it writes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from analysis.processing.labels import IncompleteBlockError, read_label_table
from analysis.processing.titles import TitleError, map_titles, sbi_from_title, year_from_title
from analysis.sources.cbs import CbsLayoutError
from analysis.sources.registry import Source

HEADER = "ID;BedrijfstakkenBranchesSBI2008;Perioden;Banen_1\n"
SBI = ["A-U Alle economische activiteiten", "24-25 Basismetaal, metaalprod. industrie", "24 Basismetaalindustrie",
       "25 Metaalproductenindustrie", "28 Machine-industrie"]
YEARS = ["2010 december", "2011 december ", "2012 december"]


def _source(**changes) -> Source:
    base = Source(
        id="cbs-T1", publisher="CBS", kind="cbs-odata3-labels", title="test", description="", url="", page_url="",
        url_status="", licence="", attribution="", layout="cbs-label-csv", mirror_path="T1.csv",
        required_columns=("ID", "BedrijfstakkenBranchesSBI2008", "Perioden", "Banen_1"), table_id="T1",
        file_name="T1.csv", encoding="utf-8-sig", vintage="2025-04-22",
        dimensions=("BedrijfstakkenBranchesSBI2008", "Perioden"),
        measures=({"column": "Banen_1", "name": "employee_jobs", "multiplier": 1000},),
        complete=({"BedrijfstakkenBranchesSBI2008": {"through": "25 Metaalproductenindustrie", "count": 4},
                   "Perioden": {"years": [2010, 2012]}},),
    )
    return dataclasses.replace(base, **changes)


def _write(path: Path, records: list[tuple[str, str, str]], encoding: str = "utf-8-sig") -> Path:
    lines = [f"{n};{sbi};{period};{value}\n" for n, (sbi, period, value) in enumerate(records)]
    path.write_bytes((HEADER + "".join(lines)).encode(encoding))
    return path


def _full(value=lambda i, j: f"{10 * i + j}.5") -> list[tuple[str, str, str]]:
    """Every SBI title x year; the first dimension varies slowest, as in CBS's feed."""
    return [(sbi, period, value(i, j)) for i, sbi in enumerate(SBI) for j, period in enumerate(YEARS)]


def test_sbi_codes_as_cbs_labels_them() -> None:
    assert sbi_from_title("28 Machine-industrie") == ("28", "Machine-industrie")
    assert sbi_from_title("A-U Alle economische activiteiten") == ("A-U", "Alle economische activiteiten")
    assert sbi_from_title("24-25 Basismetaal, metaalprod. industrie") == ("24-25", "Basismetaal, metaalprod. industrie")
    assert sbi_from_title("62-63 IT- en informatiedienstverlening") == ("62-63", "IT- en informatiedienstverlening")
    assert sbi_from_title("C Industrie") == ("C", "Industrie")
    assert sbi_from_title("Niet-Overheid") is None  # an aggregate without a code is not guessed
    assert sbi_from_title("Totaal") is None


def test_period_titles_to_years() -> None:
    assert [year_from_title(t) for t in ("2010 december", "2011 december ", "1995")] == [2010, 2011, 1995]
    assert year_from_title("2010 1e kwartaal") is None


def test_titles_that_map_to_nothing_are_listed() -> None:
    with pytest.raises(TitleError, match=r"2 SBI title\(s\) map to no code: \['Niet-Overheid', 'Overig'\]"):
        map_titles(["C Industrie", "Niet-Overheid", "Overig"], sbi_from_title, "SBI", "T1")
    assert map_titles(["Niet-Overheid"], sbi_from_title, "SBI", "T1", leave_out=("Niet-Overheid",)) == {
        "Niet-Overheid": None}


def test_complete_block_read_and_the_tail_beyond_it_not_used(tmp_path: Path) -> None:
    path = _write(tmp_path / "T1.csv", _full())
    read = read_label_table(path, _source())
    # block: the first 4 SBI titles x 3 years = 12 records; "28" (3 records) lies beyond it
    assert len(read.rows) == 12 and read.records_not_used == 3
    assert sorted(set(read.rows["sbi_code"])) == ["24", "24-25", "25", "A-U"]
    row = read.rows[(read.rows["sbi_code"] == "24-25") & (read.rows["year"] == 2011)].iloc[0]
    assert row["Banen_1"] == 11.5 * 1000  # title 1, period 1 -> "11.5" thousand


def test_incomplete_block_is_refused_with_what_is_missing(tmp_path: Path) -> None:
    records = [r for r in _full() if (r[0], r[1]) != (SBI[2], YEARS[1])]  # 24 in 2011 cut out
    path = _write(tmp_path / "T1.csv", records)
    with pytest.raises(IncompleteBlockError, match=r"lacks 1 of its records .*'24 Basismetaalindustrie', 2011"):
        read_label_table(path, _source())


def test_file_cut_before_the_block_ends_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "T1.csv", _full()[:8])  # the cut falls inside title 3 (24)
    with pytest.raises(IncompleteBlockError, match="should end with title 4, '25 Metaalproductenindustrie'"):
        read_label_table(path, _source())


def test_truncated_csv_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "T1.csv", _full())
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b";")])  # the last line ends in the middle of a record
    with pytest.raises(CbsLayoutError, match="truncated"):
        read_label_table(path, _source())


def test_another_encoding_is_refused(tmp_path: Path) -> None:
    records = [(s.replace("Alle", "Alle commerciële"), p, v) for s, p, v in _full()]
    path = _write(tmp_path / "T1.csv", records, encoding="iso-8859-1")
    with pytest.raises(CbsLayoutError, match="cannot be decoded as utf-8-sig"):
        read_label_table(path, _source())


def test_missing_column_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "T1.csv", _full())
    text = path.read_text(encoding="utf-8-sig").replace("Banen_1", "Banen_2", 1)
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(CbsLayoutError, match=r"missing column\(s\) \['Banen_1'\]"):
        read_label_table(path, _source())


def test_title_that_maps_to_no_code_fails_the_read(tmp_path: Path) -> None:
    records = [("Bedrijven totaal" if s == SBI[0] else s, p, v) for s, p, v in _full()]
    source = _source(complete=({"BedrijfstakkenBranchesSBI2008": {"count": 5}, "Perioden": {"years": [2010, 2012]}},))
    with pytest.raises(TitleError, match=r"SBI title\(s\) map to no code: \['Bedrijven totaal'\]"):
        read_label_table(_write(tmp_path / "T1.csv", records), source)


def test_undeclared_duplicate_period_titles_are_refused(tmp_path: Path) -> None:
    records = []
    for sbi in SBI:
        records += [(sbi, "2010 december", "1.0"), (sbi, "2011 december", "2.0"), (sbi, "2011 december", "3.0"),
                    (sbi, "2012 december", "4.0")]
    source = _source(complete=({"BedrijfstakkenBranchesSBI2008": {"count": 5}, "Perioden": {"years": [2010, 2012]}},))
    with pytest.raises(IncompleteBlockError, match="duplicate period titles"):
        read_label_table(_write(tmp_path / "T1.csv", records), source)


def test_declared_duplicate_periods_are_kept_with_the_record_order_rule(tmp_path: Path) -> None:
    records = []
    for sbi in SBI:  # 2011 twice under one title, values 2 then 3: the rule says first, then second
        records += [(sbi, "2010 december", "1.0"), (sbi, "2011 december", "2.0"), (sbi, "2011 december ", "3.0"),
                    (sbi, "2012 december", "4.0")]
    source = _source(complete=({"BedrijfstakkenBranchesSBI2008": {"count": 5},
                                "Perioden": {"years": [2010, 2012], "twice": [2011]}},),
                     duplicate_periods="record-order")
    read = read_label_table(_write(tmp_path / "T1.csv", records), source)
    twice = read.rows[read.rows["year"] == 2011]
    assert len(twice) == 10  # both kept, for every SBI code
    assert set(twice.loc[twice["Banen_1"] == 2000, "period_status"]) == {"first-of-two"}
    assert set(twice.loc[twice["Banen_1"] == 3000, "period_status"]) == {"second-of-two"}
    assert set(read.rows.loc[read.rows["year"] != 2011, "period_status"]) == {""}


def _region_source(tmp_path: Path, regions: list[str]) -> tuple[Path, Source]:
    lines = "ID;RegioS;Perioden;Banen_1\n" + "".join(
        f"{n};{region};2010 december;{n}.0\n" for n, region in enumerate(regions))
    path = tmp_path / "R1.csv"
    path.write_text(lines, encoding="utf-8-sig")
    source = _source(dimensions=("RegioS", "Perioden"), required_columns=("ID", "RegioS", "Perioden", "Banen_1"),
                     complete=({"RegioS": {"count": len(regions)}, "Perioden": {"years": [2010, 2010]}},),
                     expect_region_levels=("nl", "corop"))
    return path, source


COROP = {f"Corop {n} (CR)": f"CR{n:02d}" for n in range(1, 41)}  # a hand-made code list


def test_region_titles_to_codes_and_unlisted_titles_left_out_and_named(tmp_path: Path) -> None:
    regions = ["Nederland", *COROP, "Almere (CP)", "Extra-Regio (LD)", "Groningen (PV)"]
    path, source = _region_source(tmp_path, regions)
    read = read_label_table(path, source, COROP)
    assert dict(zip(read.rows["region_code"][:2], read.rows["region_level"][:2], strict=True)) == {
        "NL01": "nl", "CR01": "corop"}
    assert len(read.rows) == 1 + 40 + 1  # nation, 40 COROP, the province; two titles left out
    assert read.manifest_record()["left_out_titles"]["RegioS"] == {
        "titles": 2, "records": 2, "names": ["Almere (CP)", "Extra-Regio (LD)"]}


def test_an_expected_region_missing_fails(tmp_path: Path) -> None:
    regions = ["Nederland", *list(COROP)[:-1], "Corop veertig (CR)"]  # CR40 renamed upstream
    path, source = _region_source(tmp_path, regions)
    with pytest.raises(TitleError, match=r"no title maps to the region code\(s\) \['CR40'\]"):
        read_label_table(path, source, COROP)


def test_registry_refuses_a_label_dataset_without_complete_blocks(tmp_path: Path) -> None:
    from analysis.sources.registry import load_registry

    registry = tmp_path / "sources.toml"
    registry.write_text('''[[dataset]]
id = "cbs-T1"
publisher = "CBS"
kind = "cbs-odata3-labels"
title = "t"
description = ""
url = ""
page_url = ""
url_status = ""
licence = ""
attribution = ""
layout = "cbs-label-csv"
mirror_path = "T1.csv"
required_columns = ["ID"]
dimensions = ["Perioden"]
measures = [{ column = "Banen_1", name = "employee_jobs", multiplier = 1000 }]
''')
    with pytest.raises(ValueError, match=r"no \[\[dataset.complete\]\] block"):
        load_registry(registry)


@pytest.mark.mirror
def test_a_vintage_folder_is_a_mirror_root_of_its_own(mirror_dir: Path, tmp_path: Path) -> None:
    from analysis.sources.fetch import fetch

    manifest = fetch(["cbs-83582NED-2025-04-22"], mirror=mirror_dir / "vintages" / "2025-04-22",
                     raw_root=tmp_path / "raw", progress=False)[0]
    whole = fetch(["cbs-83582NED-2025-04-22"], mirror=mirror_dir, raw_root=tmp_path / "raw2", progress=False)[0]
    assert manifest["files"] == whole["files"] and manifest["vintage"] == "2025-04-22"
