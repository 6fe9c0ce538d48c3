"""The OData v4 pivot (analysis.sources.cbs_v4) on cells worked out by hand."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.sources.cbs import CbsLayoutError, odata_version
from analysis.sources.cbs_v4 import CbsV4LayoutError, pivot, table_url
from analysis.sources.registry import get_source

SOURCE = get_source("cbs-83582NED")
DIMENSIONS = [{"Identifier": "RegioS", "Kind": "GeoDimension", "Title": "Regio's"},
              {"Identifier": "Perioden", "Kind": "TimeDimension", "Title": "Perioden"}]
CODES = {"RegioS": [{"Identifier": "NL01", "Title": "Nederland"}, {"Identifier": "CR12", "Title": "Twente (CR)"},
                    {"Identifier": "CR13", "Title": "Overig Overijssel (CR)"}],
         "Perioden": [{"Identifier": "2015JJ00", "Title": "2015"}, {"Identifier": "2016JJ00", "Title": "2016"}]}
MEASURE = [{"Identifier": "M000352", "Title": "Banen van werknemers in december", "Unit": "x 1 000", "Decimals": 1}]


def _cell(region: str, period: str, value: float | None, attribute: str = "None", measure: str = "M000352") -> dict:
    return {"Measure": measure, "RegioS": region, "Perioden": period, "Value": value, "ValueAttribute": attribute}


def test_cells_become_v3_rows_with_special_and_absent_cells_null() -> None:
    cells = [_cell("CR13", "2015JJ00", 1.5), _cell("CR12", "2016JJ00", None, "Confidential"),
             _cell("CR12", "2015JJ00", 276.4), _cell("CR13", "2016JJ00", 7.0, "Impossible")]
    sets, special = pivot(SOURCE, {"Identifier": "83582NED", "Title": "Banen"}, DIMENSIONS, MEASURE, CODES, cells)
    # NL01 has no cell: not a row. Rows in code-list order (CR12 before CR13, 2015 before 2016); the
    # "Confidential" cell and the "Impossible" one (a value with a special attribute) are null.
    assert [(r["ID"], r["RegioS"], r["Perioden"], r["BanenVanWerknemersInDecember_1"]) for r in sets["TypedDataSet"]] == [
        (0, "CR12", "2015JJ00", 276.4), (1, "CR12", "2016JJ00", None),
        (2, "CR13", "2015JJ00", 1.5), (3, "CR13", "2016JJ00", None)]
    assert special == {"Confidential": 1, "Impossible": 1}
    assert [p["Key"] for p in sets["DataProperties"]] == ["RegioS", "Perioden", "BanenVanWerknemersInDecember_1"]
    assert sets["RegioS"][1] == {"Key": "CR12", "Title": "Twente (CR)", "Description": None}
    # the v3 layout: data set, table info, properties and one code list per dimension (of these two)
    assert sorted(sets) == ["DataProperties", "Perioden", "RegioS", "TableInfos", "TypedDataSet"]


def test_a_cell_absent_inside_the_grid_is_a_null_row() -> None:
    cells = [_cell("CR12", "2015JJ00", 1.0), _cell("CR13", "2016JJ00", 2.0)]
    rows = pivot(SOURCE, {}, DIMENSIONS, MEASURE, CODES, cells)[0]["TypedDataSet"]
    assert [r["BanenVanWerknemersInDecember_1"] for r in rows] == [1.0, None, None, 2.0]


def test_several_measures_need_v4_measure_named_with_the_fix() -> None:
    two = [*MEASURE, {"Identifier": "M000353", "Title": "Banen, mutatie"}]
    cells = [_cell("CR12", "2015JJ00", 1.0), _cell("CR12", "2015JJ00", 0.4, measure="M000353")]
    with pytest.raises(CbsV4LayoutError, match=r"has 2 measures: M000352 \(Banen van werknemers in december\); "
                                                r"M000353 .*Set v4_measure = \"<code>\" for dataset cbs-83582NED"):
        pivot(SOURCE, {}, DIMENSIONS, two, CODES, cells)
    chosen = dataclasses.replace(SOURCE, extra={**SOURCE.extra, "v4_measure": "M000353"})
    rows = pivot(chosen, {}, DIMENSIONS, two, CODES, cells)[0]["TypedDataSet"]
    assert rows == [{"ID": 0, "RegioS": "CR12", "Perioden": "2015JJ00", "BanenVanWerknemersInDecember_1": 0.4}]


def test_a_code_missing_from_its_code_list_is_refused() -> None:
    with pytest.raises(CbsV4LayoutError, match=r"codes missing from the code lists: \{'RegioS': \['CR99'\]\}"):
        pivot(SOURCE, {}, DIMENSIONS, MEASURE, CODES, [_cell("CR99", "2015JJ00", 1.0)])


def test_api_choice_and_address() -> None:
    assert odata_version(SOURCE) == "v3"  # the shipped registry stays on v3 while CBS serves it
    assert table_url(SOURCE, None) == "https://datasets.cbs.nl/odata/v1/CBS/83582NED/"
    with pytest.raises(CbsLayoutError, match=r"odata = 'v5' .*use one of \('v3', 'v4'\)"):
        odata_version(dataclasses.replace(SOURCE, extra={"odata": "v5"}))
