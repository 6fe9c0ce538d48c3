"""DUO parsers (every layout), the enrolment step and its checks.

Unit tests read the hand-written synthetic files in ``tests/fixtures/duo``; the tests marked ``mirror``
read the real DUO files in place from the offline mirror (``mirror_dir``, see conftest.py).
"""

from __future__ import annotations

import codecs
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.processing import checks
from analysis.processing import enrolment as enrolment_step
from analysis.processing.checks import ProcessingCheckError
from analysis.processing.enrolment import (
    CROHO_SECTORS,
    EditionInput,
    build_enrolment,
    check_enrolment,
    masked_summary,
)
from analysis.processing.schema import ENROLMENT_COLUMNS
from analysis.sources import duo
from analysis.sources.registry import load_registry

FIXTURES = Path(__file__).parent / "fixtures" / "duo"
WIDE = FIXTURES / "wide_year_bom.csv"
WIDE_SEX = FIXTURES / "wide_year_sex_mixed_cr.csv"
WIDE_2024 = FIXTURES / "wide_year_2024_masked.csv"
LONG = FIXTURES / "long_suppressed.csv"
INSTITUTIONS = FIXTURES / "institutions_latin1.csv"
BROKEN_COLUMNS = FIXTURES / "broken_missing_columns.csv"
BROKEN_COUNT = FIXTURES / "broken_bad_count.csv"

SAXION, UT = "23AH", "21PH"


def _synthetic_editions() -> list[EditionInput]:
    return [
        EditionInput("duo-hbo-2018", "hbo", WIDE_SEX, "duo-wide-year-sex"),
        EditionInput("duo-hbo-2024", "hbo", WIDE_2024, "duo-wide-year-2024"),
        EditionInput("duo-wo-2019", "wo", WIDE, "duo-wide-year"),
        EditionInput("duo-wo-2025", "wo", LONG, "duo-long"),
    ]


def _value(table: pd.DataFrame, **key) -> pd.Series:
    rows = table
    for column, value in key.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"expected one row for {key}, got {len(rows)}"
    return rows.iloc[0]


def _csv(table: pd.DataFrame) -> str:
    out = io.StringIO()
    table.to_csv(out, index=False, lineterminator="\n", float_format="%.10g")
    return out.getvalue()


# --- layouts and the registry -------------------------------------------------------------------


def test_every_registered_duo_layout_has_a_parser_with_the_registry_encoding() -> None:
    for source in load_registry().values():
        if source.publisher != "DUO":
            continue
        layout = duo.LAYOUTS[source.layout]
        assert codecs.lookup(layout.encoding).name == codecs.lookup(source.encoding).name, source.id
        read = {*layout.columns.values(), *layout.optional.values(), layout.year_column, layout.count_column}
        assert set(source.required_columns) <= read, f"{source.id}: registry requires columns the parser ignores"


def test_detect_layouts_recognises_every_fixture_header() -> None:
    def header(path: Path) -> list[str]:
        text, _ = duo.read_text(path, "iso-8859-1")
        return text.split("\n", 1)[0].split(";")

    assert duo.detect_layouts(header(WIDE)) == ["duo-wide-year"]
    assert duo.detect_layouts(header(WIDE_SEX)) == ["duo-wide-year-sex"]
    assert duo.detect_layouts(header(WIDE_2024)) == ["duo-wide-year-2024"]
    assert duo.detect_layouts(header(LONG)) == ["duo-long"]
    assert duo.detect_layouts(header(INSTITUTIONS)) == ["duo-institutions"]
    assert duo.detect_layouts(header(BROKEN_COLUMNS)) == []


# --- decoding and line ends -----------------------------------------------------------------------


def test_line_ends_are_normalised() -> None:
    assert duo.normalise_line_ends("a\r\r\nb\r\nc\rd\ne") == "a\nb\nc\nd\ne"


def test_mixed_line_end_fixture_really_mixes_line_ends() -> None:
    # Guards the fixture itself: a checkout that rewrote line ends would make the next tests pointless.
    raw = WIDE_SEX.read_bytes()
    assert raw.count(b"\r\r\n") >= 3
    assert b";1\rNoord-Brabant" in raw, "lone CR line end missing"
    assert b"17\r\nOverijssel" in raw, "plain CR LF line end missing"


def test_bom_is_detected_and_stripped() -> None:
    frame = duo.parse_enrolment_file(WIDE, "duo-wide-year")
    assert frame.attrs["encoding"] == "utf-8 (byte order mark)"
    assert set(frame["institution_code"]) == {"21PH", "99ZZ"}  # the first column was not mangled by the BOM
    assert "Súdwest-Fryslân" in set(frame["municipality"])


def test_bom_wins_over_the_declared_encoding() -> None:
    frame = duo.parse_enrolment_file(WIDE, "duo-wide-year", encoding="iso-8859-1")
    assert "Súdwest-Fryslân" in set(frame["municipality"])


def test_latin1_falls_back_only_where_the_registry_says_so() -> None:
    frame = duo.parse_institutions(INSTITUTIONS)  # default iso-8859-1: UTF-8 tried first, then Latin-1
    assert frame.attrs["encoding"] == "iso8859-1"
    assert "Testhogeschool Fryslân" in set(frame["name"])
    with pytest.raises(duo.DuoDecodeError, match=r"institutions_latin1\.csv: cannot be decoded as utf-8 "):
        duo.parse_institutions(INSTITUTIONS, encoding="utf-8")


def test_a_utf8_republication_of_a_latin1_file_is_read_correctly(tmp_path: Path) -> None:
    path = tmp_path / "instellingen-utf8.csv"
    path.write_bytes(INSTITUTIONS.read_bytes().decode("iso-8859-1").encode("utf-8"))
    frame = duo.parse_institutions(path)
    assert frame.attrs["encoding"] == "utf-8"
    assert "Testhogeschool Fryslân" in set(frame["name"])  # not "FryslÃ¢n"


def test_undecodable_file_names_file_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1-as-utf8.csv"
    path.write_bytes(WIDE_2024.read_bytes().replace(b"Almelo", b"Alm\xe9lo"))
    with pytest.raises(duo.DuoDecodeError) as error:
        duo.parse_enrolment_file(path, "duo-wide-year-2024")
    message = str(error.value)
    assert str(path) in message and "utf-8" in message and "byte" in message
    assert isinstance(error.value, ValueError)
    with pytest.raises(duo.DuoDecodeError, match=r"latin1-as-utf8\.csv: cannot be decoded as ascii"):
        duo.parse_enrolment_file(path, "duo-wide-year-2024", encoding="ascii")
    with pytest.raises(duo.DuoDecodeError, match="unknown encoding 'klingon'"):
        duo.parse_enrolment_file(path, "duo-wide-year-2024", encoding="klingon")


# --- names and counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ENSCHEDE", "Enschede"),
        ("Enschede", "Enschede"),
        ("S GRAVENHAGE", "'s-Gravenhage"),
        ("'S-HERTOGENBOSCH", "'s-Hertogenbosch"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("BERGEN OP ZOOM", "Bergen op Zoom"),
        ("Bergen op Zoom", "Bergen op Zoom"),
        ("CAPELLE AAN DEN IJSSEL", "Capelle aan den IJssel"),
        ("IJSSELSTEIN", "IJsselstein"),
        ("DEN HELDER", "Den Helder"),
        ("HOF VAN TWENTE", "Hof van Twente"),
        ("RIJSSEN-HOLTEN", "Rijssen-Holten"),
        ("SUDWEST-FRYSLAN", "Súdwest-Fryslân"),
        ("  SITTARD-GELEEN ", "Sittard-Geleen"),
    ],
)
def test_municipality_names_are_title_case_as_duo_spells_them(raw: str, expected: str) -> None:
    assert duo.municipality_name(raw) == expected


def test_croho_sector_names() -> None:
    assert duo.croho_sector("GEDRAG_EN_MAATSCHAPPIJ") == "gedrag en maatschappij"
    assert duo.croho_sector("LANDBOUW_EN_NATUURLIJKE_OMGEVING") == "landbouw en natuurlijke omgeving"
    assert duo.croho_sector("techniek") == "techniek"


def test_parse_count_masks_are_nan_never_zero() -> None:
    for mask in ("<5", "-1", " <5 "):
        students, masked = duo.parse_count(mask, "f.csv", 2, "2024")
        assert math.isnan(students) and masked
    assert duo.parse_count("0", "f.csv", 2, "2024") == (0.0, False)
    assert duo.parse_count("1234", "f.csv", 2, "2024") == (1234.0, False)
    for bad in ("", "-2", "1.5", "x", "1 000", "<10"):
        with pytest.raises(duo.DuoValueError, match=r"f\.csv, line 7, column '2024': count"):
            duo.parse_count(bad, "f.csv", 7, "2024")


# --- the parsers on the synthetic files -------------------------------------------------------------


def test_wide_year_parser() -> None:
    frame = duo.parse_enrolment_file(WIDE, "duo-wide-year")
    assert list(frame.columns) == list(duo.PARSED_COLUMNS)
    assert len(frame) == 4 * 2
    assert frame["year"].dtype == "int64" and frame["students"].dtype == "float64"
    assert set(frame["sex"]) == {"man", "vrouw"}
    assert set(frame["croho_sector"]) == {"techniek", "gedrag en maatschappij", "natuur"}
    row = _value(frame, programme_code="99002", year=2019)
    assert (row["students"], bool(row["masked"])) == (0.0, False)  # a published zero stays zero
    assert (row["programme_form"], row["programme_level"], row["line"]) == ("deeltijd onderwijs", "master", 4)
    assert frame.attrs["duo_totals"] == {}


def test_wide_year_sex_parser_mixed_line_ends_and_totals_row() -> None:
    frame = duo.parse_enrolment_file(WIDE_SEX, "duo-wide-year-sex")
    assert len(frame) == 4 * 4  # four data lines x (2 years x 2 sexes); blank line and totals row dropped
    assert sorted(set(frame["line"])) == [2, 3, 4, 5]  # CR CR LF counts as one line end
    assert not frame.isin(["Totalen"]).any().any()
    assert set(frame["municipality"]) == {"Enschede", "'s-Hertogenbosch"}
    assert set(frame["municipality_code"]) == {"0153", "0796"}
    assert set(frame["sex"]) == {"man", "vrouw"}
    assert set(frame["programme_phase"]) == {"propedeuse bachelor", "bachelor", "master"}
    assert frame.attrs["duo_totals"] == {2017: 125, 2018: 114}
    assert frame.groupby("year")["students"].sum().to_dict() == {2017: 125.0, 2018: 114.0}
    row = _value(frame, programme_code="99101", programme_phase="bachelor", year=2018, sex="vrouw")
    assert row["students"] == 17.0


def test_wide_year_2024_parser_masks() -> None:
    frame = duo.parse_enrolment_file(WIDE_2024, "duo-wide-year-2024")
    assert len(frame) == 4 * 2
    assert int(frame["masked"].sum()) == 4
    assert frame.loc[frame["masked"], "students"].isna().all()
    assert (frame.loc[~frame["masked"], "students"] >= 0).all() and frame.loc[~frame["masked"], "students"].notna().all()
    assert set(frame["sex"]) == {"man", "vrouw", "onbekend"}
    assert _value(frame, sex="onbekend", year=2024)["students"] == 0.0


def test_long_parser() -> None:
    frame = duo.parse_enrolment_file(LONG, "duo-long")
    assert len(frame) == 5
    assert sorted(set(frame["year"])) == [2023, 2024]  # STUDIEJAAR is the start year: no shift
    assert set(frame["croho_sector"]) == {"techniek", "gedrag en maatschappij", "onderwijs"}
    assert set(frame["sex"]) == {""} and set(frame["programme_form"]) == {""}
    suppressed = frame[frame["masked"]]
    assert len(suppressed) == 2 and suppressed["students"].isna().all()
    assert set(frame["programme_level"]) == {"bachelor", "master", "postmaster"}


def test_long_parser_reads_optional_sex_and_form(tmp_path: Path) -> None:
    path = tmp_path / "ingeschrevenenoplvwo.csv"
    path.write_text(
        "\ufeffSTUDIEJAAR;GEMEENTENUMMER;GEMEENTENAAM;INSTELLINGSCODE_ACTUEEL;INSTELLINGSNAAM_ACTUEEL;"
        "ONDERDEEL;OPLEIDINGSVORM;GESLACHT;AANTAL_INGESCHREVENEN\n"
        "2022;0153;Enschede;21PH;Universiteit Twente;TECHNIEK;VT;MAN;42\n"
        "2022;0153;Enschede;21PH;Universiteit Twente;TECHNIEK;DT;VROUW;-1\n",
        encoding="utf-8",
    )
    frame = duo.parse_enrolment_file(path, "duo-long")
    assert frame["programme_form"].tolist() == ["voltijd onderwijs", "deeltijd onderwijs"]
    assert frame["sex"].tolist() == ["man", "vrouw"]
    assert frame["programme_code"].tolist() == ["", ""]
    assert frame["municipality_code"].tolist() == ["0153", "0153"]


def test_long_parser_rejects_a_bad_year(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG.read_text(encoding="ascii").replace("2024;Enschede;bachelor", "2024/25;Enschede;bachelor"))
    with pytest.raises(duo.DuoValueError, match=r"long\.csv, line 5, column 'STUDIEJAAR': '2024/25' is not a year"):
        duo.parse_enrolment_file(path, "duo-long")


def test_institutions_parser() -> None:
    frame = duo.parse_institutions(INSTITUTIONS)
    assert list(frame.columns) == list(duo.INSTITUTION_COLUMNS)
    ut = _value(frame, brin=UT)
    assert (ut["municipality"], ut["municipality_code"], ut["coroparea_code"], ut["coroparea_name"]) == (
        "Enschede", "0153", "12", "Twente")
    assert _value(frame, brin="99XA")["municipality"] == "'s-Gravenhage"
    assert _value(frame, brin="99XB")["coroparea_code"] == "04"
    assert _value(frame, brin="99XB")["kind"] == "hbo"


# --- errors -------------------------------------------------------------------------------------------


def test_missing_columns_name_file_layout_missing_and_found_columns() -> None:
    with pytest.raises(duo.DuoLayoutError) as error:
        duo.parse_enrolment_file(BROKEN_COLUMNS, "duo-wide-year")
    message = str(error.value)
    assert isinstance(error.value, ValueError)
    assert str(BROKEN_COLUMNS) in message
    assert "'duo-wide-year'" in message
    assert "missing column(s) ['BRIN NUMMER ACTUEEL', 'GESLACHT']" in message
    assert "columns found: ['PROVINCIE', 'GEMEENTENUMMER'," in message
    assert "fits layout" not in message  # no other layout matches either


def test_wrong_layout_suggests_the_layout_that_fits() -> None:
    with pytest.raises(duo.DuoLayoutError) as error:
        duo.parse_enrolment_file(WIDE_2024, "duo-wide-year")
    message = str(error.value)
    assert "wide_year_2024_masked.csv" in message
    assert "['BRIN NUMMER ACTUEEL', 'CROHO ONDERDEEL']" in message
    assert "fits layout 'duo-wide-year-2024'" in message

    with pytest.raises(duo.DuoLayoutError, match=r"GESLACHT.*one count column per year.*fits layout 'duo-wide-year-sex'"):
        duo.parse_enrolment_file(WIDE_SEX, "duo-wide-year")
    with pytest.raises(duo.DuoLayoutError, match=r"missing column\(s\) \['BRIN NUMMER'.*fits layout 'duo-long'"):
        duo.parse_institutions(LONG)


def test_unknown_layout() -> None:
    with pytest.raises(duo.DuoLayoutError, match=r"unknown enrolment layout 'duo-xml'"):
        duo.parse_enrolment_file(WIDE, "duo-xml")


def test_bad_count_names_file_line_and_value() -> None:
    with pytest.raises(duo.DuoValueError) as error:
        duo.parse_enrolment_file(BROKEN_COUNT, "duo-wide-year")
    message = str(error.value)
    assert str(BROKEN_COUNT) in message and "line 3" in message and "'4x'" in message and "'2019'" in message


def test_a_short_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "truncated.csv"
    path.write_bytes(WIDE_2024.read_bytes().rsplit(b";", 1)[0])  # last line loses its last field
    with pytest.raises(duo.DuoLayoutError, match=r"truncated\.csv, line 5: 14 fields where the header has 15"):
        duo.parse_enrolment_file(path, "duo-wide-year-2024")


def test_data_after_the_totals_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "totals-in-the-middle.csv"
    lines = WIDE_SEX.read_bytes().split(b"\r\r\n")
    path.write_bytes(b"\r\r\n".join([lines[0], lines[-2], *lines[1:-2]]))
    with pytest.raises(duo.DuoLayoutError, match=r"line 3: data after DUO's totals row"):
        duo.parse_enrolment_file(path, "duo-wide-year-sex")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(duo.DuoLayoutError, match=r"empty\.csv: the file is empty"):
        duo.parse_enrolment_file(path, "duo-long")


# --- the enrolment step ---------------------------------------------------------------------------


def test_build_enrolment_contract_and_sort_order() -> None:
    table = build_enrolment(_synthetic_editions())
    assert list(table.columns) == list(ENROLMENT_COLUMNS)
    for column in ("year", "students", "masked_cells"):
        assert str(table[column].dtype) == "Int64", column
    key = enrolment_step.KEY
    assert table.equals(table.sort_values(key, kind="mergesort").reset_index(drop=True))
    assert not table.duplicated(key).any()
    assert _csv(table) == _csv(build_enrolment(list(reversed(_synthetic_editions()))))


def test_build_enrolment_sums_programmes_forms_phases_and_sex() -> None:
    table = build_enrolment(_synthetic_editions())
    techniek = _value(table, edition="duo-hbo-2018", institution_code=SAXION, croho_sector="techniek", year=2017)
    assert (techniek["students"], techniek["masked_cells"], techniek["municipality"]) == (100, 0, "Enschede")
    assert techniek["institution_name"] == "Saxion Hogeschool" and techniek["level"] == "hbo"
    assert _value(table, edition="duo-hbo-2018", croho_sector="economie", year=2018)["students"] == 1
    ut = _value(table, edition="duo-wo-2019", institution_code=UT, croho_sector="techniek", year=2019)
    assert ut["students"] == 155


def test_masked_cells_are_counted_not_summed_and_never_zero() -> None:
    table = build_enrolment(_synthetic_editions())
    hbo = table[table["edition"] == "duo-hbo-2024"]
    partly = _value(hbo, municipality="Enschede", year=2023)
    assert (partly["students"], partly["masked_cells"]) == (50, 1)
    # every cell masked: students empty, not zero
    almelo_2023 = _value(hbo, municipality="Almelo", year=2023)
    assert pd.isna(almelo_2023["students"]) and almelo_2023["masked_cells"] == 1
    assert _value(hbo, municipality="Almelo", year=2024)["students"] == 8
    # two masked cells and a published zero: the published sum is 0, and the two cells are reported
    assert tuple(_value(hbo, municipality="Enschede", year=2024)[["students", "masked_cells"]]) == (0, 2)
    long = _value(table, edition="duo-wo-2025", croho_sector="techniek", year=2023)
    assert (long["students"], long["masked_cells"]) == (300, 1)
    assert pd.isna(_value(table, edition="duo-wo-2025", croho_sector="onderwijs", year=2024)["students"])
    # in the CSV an all-masked group has an empty students cell, not "0" or "nan"
    assert "duo-hbo-2024,hbo,23AH,Saxion Hogeschool,Almelo,economie,2023,,1\n" in _csv(table)
    assert "nan" not in _csv(table).lower()


def test_masked_summary_per_edition() -> None:
    summary = masked_summary(build_enrolment(_synthetic_editions()))
    records = {r["edition"]: r for r in summary.to_dict("records")}
    assert records["duo-hbo-2024"]["masked_cells"] == 4
    assert records["duo-hbo-2024"]["rows_all_masked"] == 1
    assert records["duo-wo-2025"]["masked_cells"] == 2
    assert records["duo-hbo-2018"]["masked_cells"] == 0
    json.dumps(summary.to_dict("records"))  # goes into the build manifest as is


def test_build_enrolment_refuses_duplicate_editions_and_unknown_levels() -> None:
    editions = _synthetic_editions()
    with pytest.raises(ProcessingCheckError, match=r"given more than once: \['duo-wo-2019'\]"):
        build_enrolment([*editions, editions[2]])
    with pytest.raises(ProcessingCheckError, match=r"level 'mbo'"):
        build_enrolment([EditionInput("duo-mbo-2024", "mbo", WIDE_2024, "duo-wide-year-2024")])


def test_processing_check_error_is_the_shared_one() -> None:
    assert enrolment_step.ProcessingCheckError is checks.ProcessingCheckError


# --- the checks -----------------------------------------------------------------------------------


@pytest.fixture
def built() -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    raw = {e.edition: enrolment_step.read_edition(e) for e in _synthetic_editions()}
    table = build_enrolment(_synthetic_editions(), check=False)
    check_enrolment(table, raw)  # the unmodified table passes
    return table, raw


def test_check_duplicate_keys(built) -> None:
    table, raw = built
    with pytest.raises(ProcessingCheckError, match="share a key"):
        check_enrolment(pd.concat([table, table.head(1)], ignore_index=True), raw)


def test_check_year_range(built) -> None:
    table, raw = built
    table.loc[0, "year"] = 1985
    with pytest.raises(ProcessingCheckError, match=r"value\(s\) of year outside \[1990"):
        check_enrolment(table, raw)


def test_check_negative_counts(built) -> None:
    table, raw = built
    table.loc[0, "students"] = -3
    with pytest.raises(ProcessingCheckError, match="of students outside"):
        check_enrolment(table, raw)


def test_check_unknown_sector(built) -> None:
    table, raw = built
    table.loc[0, "croho_sector"] = "kunst"
    with pytest.raises(ProcessingCheckError, match=r"unexpected value\(s\) in croho_sector: \['kunst'\]"):
        check_enrolment(table, raw)


def test_check_totals_against_the_parsed_cells(built) -> None:
    table, raw = built
    row = table.index[(table["edition"] == "duo-wo-2019") & (table["year"] == 2019)][0]
    table.loc[row, "students"] = table.loc[row, "students"] + 1
    with pytest.raises(ProcessingCheckError, match=r"duo-wo-2019 2019: the table sums to 158 students"):
        check_enrolment(table, raw)


def test_check_masked_counts_against_the_parsed_cells(built) -> None:
    table, raw = built
    row = table.index[table["edition"] == "duo-hbo-2024"][0]
    table.loc[row, "masked_cells"] = table.loc[row, "masked_cells"] + 1
    with pytest.raises(ProcessingCheckError, match=r"duo-hbo-2024 \d{4}: .* masked cells"):
        check_enrolment(table, raw)


def test_check_empty_students_need_masked_cells(built) -> None:
    table, raw = built
    table.loc[0, "students"] = pd.NA
    with pytest.raises(ProcessingCheckError, match="without students and without masked cells"):
        check_enrolment(table, raw)


def test_check_duo_totals_row(built) -> None:
    table, raw = built
    raw["duo-hbo-2018"].attrs["duo_totals"] = {2017: 125, 2018: 115}
    with pytest.raises(ProcessingCheckError, match=r"duo-hbo-2018 .*2018: DUO's totals row says 115 students, "
                                                   r"the parsed rows add up to 114"):
        check_enrolment(table, raw)
    raw["duo-hbo-2018"].attrs["duo_totals"] = {}
    with pytest.raises(ProcessingCheckError, match=r"has no DUO totals row .*truncated"):
        check_enrolment(table, raw)


def test_check_editions_match(built) -> None:
    table, raw = built
    with pytest.raises(ProcessingCheckError, match=r"editions in the table and the parsed files differ: \['duo-wo-2025'\]"):
        check_enrolment(table, {k: v for k, v in raw.items() if k != "duo-wo-2025"})


def test_check_columns(built) -> None:
    table, raw = built
    with pytest.raises(ProcessingCheckError, match="columns"):
        check_enrolment(table.drop(columns=["masked_cells"]), raw)


# --- the real files (offline mirror) --------------------------------------------------------------

DUO_FILES = {
    "duo-hbo-2018": ("duo/01-ingeschrevenen-hbo-2018.csv", "duo-wide-year-sex", range(2014, 2019)),
    "duo-hbo-2019": ("duo/01-ingeschrevenen-hbo-2019.csv", "duo-wide-year", range(2015, 2020)),
    "duo-hbo-2024": ("duo/01-ingeschrevenen-hbo-2024.csv", "duo-wide-year-2024", range(2020, 2025)),
    "duo-wo-2019": ("duo/01-ingeschrevenen-wo-2019.csv", "duo-wide-year", range(2010, 2020)),
    "duo-wo-2025": ("duo/ingeschrevenenwo-2025-ut-only-partial.csv", "duo-long", range(2021, 2026)),
}


@pytest.fixture(scope="module")
def real_frames(mirror_dir: Path) -> dict[str, pd.DataFrame]:
    return {edition: duo.parse_enrolment_file(mirror_dir / path, layout)
            for edition, (path, layout, _) in DUO_FILES.items()}


@pytest.fixture(scope="module")
def real_table(mirror_dir: Path) -> pd.DataFrame:
    registry = load_registry()
    editions = [EditionInput(s.id, s.level, mirror_dir / s.mirror_path, s.layout)
                for s in registry.values() if s.publisher == "DUO" and s.layout != "duo-institutions"]
    return build_enrolment(editions)


@pytest.mark.mirror
def test_registry_mirror_paths_and_layouts_match(mirror_dir: Path) -> None:
    registry = load_registry()
    for edition, (path, layout, _) in DUO_FILES.items():
        assert (registry[edition].mirror_path, registry[edition].layout) == (path, layout)


@pytest.mark.mirror
@pytest.mark.parametrize("edition", sorted(DUO_FILES))
def test_real_file_parses_with_its_layout(real_frames, edition: str) -> None:
    frame = real_frames[edition]
    years = DUO_FILES[edition][2]
    assert list(frame.columns) == list(duo.PARSED_COLUMNS)
    assert sorted(set(frame["year"])) == list(years)
    assert set(frame["croho_sector"]) <= set(CROHO_SECTORS)
    assert frame.loc[frame["masked"], "students"].isna().all()  # masked never becomes a number
    assert frame.loc[~frame["masked"], "students"].notna().all()
    assert (frame["students"].dropna() >= 0).all()
    for column in ("institution_code", "municipality", "croho_sector"):
        assert (frame[column] != "").all(), column
    assert all(name[0].isupper() or name.startswith("'s-") for name in set(frame["municipality"]))


@pytest.mark.mirror
def test_real_saxion_and_ut_have_enschede_rows(real_frames) -> None:
    for edition, institution in [("duo-hbo-2018", SAXION), ("duo-hbo-2019", SAXION), ("duo-hbo-2024", SAXION),
                                 ("duo-wo-2019", UT), ("duo-wo-2025", UT)]:
        frame = real_frames[edition]
        rows = frame[(frame["institution_code"] == institution) & (frame["municipality"] == "Enschede")]
        assert rows["students"].sum() > 5000, edition
    saxion = real_frames["duo-hbo-2019"].query("institution_code == @SAXION")
    assert set(saxion["municipality"]) == {"Enschede", "Deventer", "Apeldoorn"}
    assert set(saxion["institution_name"]) == {"Saxion Hogeschool"}
    # the hbo 2018 edition gives the institution's seat, not the teaching location: all of Saxion in Enschede
    assert set(real_frames["duo-hbo-2018"].query("institution_code == @SAXION")["municipality"]) == {"Enschede"}


@pytest.mark.mirror
def test_real_hbo_2018_totals_row_and_line_ends(real_frames, mirror_dir: Path) -> None:
    raw = (mirror_dir / DUO_FILES["duo-hbo-2018"][0]).read_bytes()
    assert raw.count(b"\r\r\n") > 3000  # the file does end its lines in CR CR LF
    frame = real_frames["duo-hbo-2018"]
    assert frame.attrs["duo_totals"] == {2014: 445896, 2015: 442011, 2016: 446121, 2017: 452169, 2018: 455237}
    assert frame.groupby("year")["students"].sum().astype(int).to_dict() == frame.attrs["duo_totals"]
    assert len(frame) == 3128 * 10 and frame["line"].max() == 3129  # header + 3128 lines; blank + totals dropped
    assert set(frame["programme_phase"]) == {"propedeuse bachelor", "bachelor", "associate degree", "master"}


@pytest.mark.mirror
def test_real_hbo_editions_agree_on_saxion_total_and_techniek_where_they_overlap(real_table) -> None:
    saxion = real_table[(real_table["institution_code"] == SAXION) & real_table["year"].between(2015, 2018)]
    by_sector = saxion.pivot_table(index=["croho_sector", "year"], columns="edition", values="students",
                                   aggfunc="sum")
    totals = saxion.groupby(["edition", "year"])["students"].sum().unstack("edition")
    old, new = "duo-hbo-2018", "duo-hbo-2019"
    techniek = by_sector.loc["techniek"]
    for year in (2015, 2016, 2017):
        assert totals.loc[year, old] == totals.loc[year, new], year
        assert techniek.loc[year, old] == techniek.loc[year, new], year
    # 2018 was the newest year of the 2018 edition: revised by one or two students in the 2019 edition
    assert (totals.loc[2018, old], totals.loc[2018, new]) == (25957, 25956)
    assert (techniek.loc[2018, old], techniek.loc[2018, new]) == (7115, 7113)
    # other sectors are reclassified: about 1 000 students move from gedrag en maatschappij to economie
    economie, gm = by_sector.loc["economie"], by_sector.loc["gedrag en maatschappij"]
    for year in (2015, 2016, 2017):
        moved = economie.loc[year, new] - economie.loc[year, old]
        assert 900 < moved < 1100 and gm.loc[year, old] - gm.loc[year, new] == moved, year


@pytest.mark.mirror
def test_real_masked_cells_are_reported(real_table) -> None:
    summary = {r["edition"]: r for r in masked_summary(real_table).to_dict("records")}
    assert summary["duo-hbo-2024"]["masked_cells"] == 1692  # > 0: DUO masks counts below 5 since 2020
    assert summary["duo-wo-2025"]["masked_cells"] == 5
    assert summary["duo-hbo-2018"]["masked_cells"] == summary["duo-hbo-2019"]["masked_cells"] == 0
    assert summary["duo-wo-2019"]["masked_cells"] == 0
    masked = real_table[real_table["masked_cells"] > 0]
    assert (masked["students"].isna() | (masked["students"] >= 0)).all()
    assert real_table["students"].isna().sum() == summary["duo-hbo-2024"]["rows_all_masked"] > 0


@pytest.mark.mirror
def test_real_long_format_is_ut_only_and_starts_in_2021(real_frames) -> None:
    frame = real_frames["duo-wo-2025"]
    assert set(frame["institution_code"]) == {UT}
    assert int(frame["masked"].sum()) == 5
    enschede = frame[frame["municipality"] == "Enschede"].groupby("year")["students"].sum()
    assert enschede.loc[2021] > 12000 and enschede.loc[2025] > 10000


@pytest.mark.mirror
def test_real_municipality_names_agree_across_editions(real_frames, mirror_dir: Path) -> None:
    names: dict[str, set[str]] = {}
    for frame in real_frames.values():
        for code, name in set(zip(frame["municipality_code"], frame["municipality"], strict=True)):
            if code:
                names.setdefault(code, set()).add(name)
    institutions = duo.parse_institutions(mirror_dir / "duo/01-instellingen-hbo-en-wo.csv")
    for code, name in set(zip(institutions["municipality_code"], institutions["municipality"], strict=True)):
        names.setdefault(code, set()).add(name)
    assert {code: n for code, n in names.items() if len(n) > 1} == {}
    assert names["0518"] == {"'s-Gravenhage"} and names["0796"] == {"'s-Hertogenbosch"}


@pytest.mark.mirror
def test_real_institutions_file(mirror_dir: Path) -> None:
    frame = duo.parse_institutions(mirror_dir / "duo/01-instellingen-hbo-en-wo.csv")
    assert frame.attrs["encoding"] == "iso8859-1"  # not valid UTF-8: the registry's Latin-1 applies
    assert len(frame) == 54
    for brin, name in [(SAXION, "Saxion Hogeschool"), (UT, "Universiteit Twente")]:
        row = _value(frame, brin=brin)
        assert (row["name"], row["municipality"], row["coroparea_code"], row["coroparea_name"]) == (
            name, "Enschede", "12", "Twente")
    assert set(frame["kind"]) == {"hbo", "wo"}


@pytest.mark.mirror
def test_real_build_is_checked_and_deterministic(real_table, mirror_dir: Path) -> None:
    assert list(real_table.columns) == list(ENROLMENT_COLUMNS)
    assert set(real_table["edition"]) == set(DUO_FILES)
    assert set(real_table.loc[real_table["level"] == "wo", "croho_sector"]) >= {"natuur", "recht"}
    assert "natuur" not in set(real_table.loc[real_table["level"] == "hbo", "croho_sector"])
    registry = load_registry()
    again = build_enrolment([EditionInput(s.id, s.level, mirror_dir / s.mirror_path, s.layout)
                             for s in reversed(registry.values())
                             if s.publisher == "DUO" and s.layout != "duo-institutions"])
    assert _csv(again) == _csv(real_table)


# --- declared years: a file that lost a year is refused ------------------------------------------


def test_every_duo_enrolment_edition_declares_its_years() -> None:
    editions = {s.id: s.years for s in load_registry().values()
                if s.publisher == "DUO" and s.layout != "duo-institutions"}
    # the editions as DUO published them: five years each, ten in the wo file of 2019
    assert editions == {"duo-hbo-2018": (2014, 2015, 2016, 2017, 2018), "duo-hbo-2019": (2015, 2016, 2017, 2018, 2019),
                        "duo-hbo-2024": (2020, 2021, 2022, 2023, 2024), "duo-wo-2019": tuple(range(2010, 2020)),
                        "duo-wo-2025": (2021, 2022, 2023, 2024, 2025)}


def test_check_years_accepts_exactly_the_declared_years_and_refuses_one_missing() -> None:
    duo.check_years([2015, 2016, 2017], [2015, 2016, 2017], "f.csv", "duo-x")  # on the boundary: all there
    duo.check_years([2014, 2015, 2016, 2017], [2015, 2016, 2017], "f.csv", "duo-x")  # more is not less
    with pytest.raises(duo.DuoMissingYearError,
                       match=r"^f\.csv: holds no 2016 although the registry says edition duo-x holds 2015, 2016, "
                       r"2017: the file lost a year .* Fetch duo-x again; .*correct its `years`"):
        duo.check_years([2015, 2017], [2015, 2016, 2017], "f.csv", "duo-x")


def _without_year(text: str, year: str) -> str:
    """The wide file with one year column cut out (as a damaged export or a careless edit leaves it)."""
    rows = [line.split(";") for line in text.splitlines()]
    drop = rows[0].index(year)
    return "\n".join(";".join(cell for i, cell in enumerate(row) if i != drop) for row in rows) + "\n"


@pytest.mark.mirror
def test_duo_file_that_lost_a_year_column_is_refused_by_fetch_and_build(
        mirror_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.processing.build import read_enrolment_inputs
    from analysis.sources import fetch as fetch_step
    from analysis.sources.snapshot import SnapshotError

    source = load_registry()["duo-hbo-2019"]
    damaged = tmp_path / "mirror" / source.mirror_path
    damaged.parent.mkdir(parents=True)
    original = (mirror_dir / source.mirror_path).read_bytes().decode("utf-8")
    damaged.write_bytes(_without_year(original, "2016").encode("utf-8"))
    raw = tmp_path / "raw"
    with pytest.raises(SnapshotError, match=r"01-ingeschrevenen-hbo-2019\.csv: holds no 2016 .*"
                       r"edition duo-hbo-2019 holds 2015, 2016, 2017, 2018, 2019.*no snapshot was written"):
        fetch_step.fetch([source.id], mirror=tmp_path / "mirror", raw_root=raw, progress=False)
    # A snapshot that came in another way (an older fetch without this check) is refused by the build.
    others = [s.id for s in load_registry().values() if s.publisher == "DUO" and s.id != source.id]
    fetch_step.fetch(others, mirror=mirror_dir, raw_root=raw, progress=False)
    monkeypatch.setattr(fetch_step, "validate_file", lambda _source, _folder: None)
    fetch_step.fetch([source.id], mirror=tmp_path / "mirror", raw_root=raw, progress=False)
    with pytest.raises(duo.DuoMissingYearError, match=r"holds no 2016 .*edition duo-hbo-2019"):
        read_enrolment_inputs(raw)
