"""The label-layout tables on the real mirror: processed values against the mirror files read directly.

Every expectation is computed here from the mirror's CSV/JSON files with the csv and json modules
(no project code), or taken from ../reference/published-figures.csv, and compared with the committed
tables in data/processed (test_build.py checks those are what a rebuild from the mirror gives).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli
from analysis.processing.vintage import compare_releases

pytestmark = pytest.mark.mirror
PROCESSED = Path(__file__).parents[1] / "data" / "processed"


def _records(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _table(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / name, dtype={"region_code": str, "sbi_code": str, "vintage": str,
                                               "period_status": str}, keep_default_na=False, na_values=[""])


def test_national_sbi_28_equals_the_published_figures(mirror_dir: Path) -> None:
    with open(mirror_dir.parent / "reference" / "published-figures.csv", encoding="utf-8") as handle:
        published = {int(r["period"]): float(r["value"]) for r in csv.DictReader(handle)
                     if r["id"].startswith("cbs83583_sbi28_") and int(r["period"]) <= 2017}
    jobs = _table("jobs.csv")
    rows = jobs[(jobs["source_table"] == "83583NED") & (jobs["sbi_code"] == "28") & (jobs["region_code"] == "NL01")]
    assert {int(y): float(v) for y, v in zip(rows["year"], rows["employee_jobs"], strict=True) if y <= 2017} == published


def test_83583NED_rows_read_from_the_complete_block_only(mirror_dir: Path) -> None:
    records = _records(mirror_dir / "cbs/83583NED/83583NED.csv")
    totals = [r for r in records if r["Bedrijfsgrootte"] == "Totaal"]
    codes = list(dict.fromkeys(r["BedrijfstakkenBranchesSBI2008"].split(" ")[0] for r in totals))
    complete = codes[: codes.index("92") + 1]  # the registry's block: A-U through 92
    jobs = _table("jobs.csv")
    national = jobs[jobs["source_table"] == "83583NED"]
    assert set(national["sbi_code"]) == set(complete) and "93" not in set(national["sbi_code"])
    assert len(national) == len(complete) * 14  # 2010-2023
    cell = next(r for r in totals if r["BedrijfstakkenBranchesSBI2008"].startswith("62-63 ")
                and r["Perioden"].strip() == "2015 december")
    row = national[(national["sbi_code"] == "62-63") & (national["year"] == 2015)].iloc[0]
    assert row["employee_jobs"] == round(float(cell["BanenVanWerknemersInDecember_1"]) * 1000)
    manifest = json.loads((PROCESSED / "manifest.json").read_text())
    # 10,000 records: 119 codes x 6 size classes x 14 years inside the block, the rest (part of 93) not used
    assert manifest["gaps"]["label_tables"]["cbs-83583NED"]["records_not_used"] == len(records) - len(complete) * 6 * 14


def test_81497NED_keeps_both_records_of_a_double_period(mirror_dir: Path) -> None:
    records = [r for r in _records(mirror_dir / "cbs/81497NED/81497NED.csv")
               if r["BedrijfstakkenBranchesSBI2008"].startswith("28 ")]
    in_2012 = [round(float(r["TotaalAantalBanen_1"]) * 1000) for r in records if r["Perioden"].strip() == "2012 december"]
    jobs = _table("jobs.csv")
    rows = jobs[(jobs["source_table"] == "81497NED") & (jobs["sbi_code"] == "28") & (jobs["year"] == 2012)]
    assert dict(zip(rows["period_status"], rows["employee_jobs"], strict=True)) == {
        "first-of-two": in_2012[0], "second-of-two": in_2012[1]}
    manifest = json.loads((PROCESSED / "manifest.json").read_text())
    left_out = manifest["gaps"]["label_tables"]["cbs-81497NED"]["left_out_titles"]
    assert left_out["BedrijfstakkenBranchesSBI2008"]["names"] == ["Niet-Overheid"]


def test_labour_accounts_multiplied_out(mirror_dir: Path) -> None:
    record = next(r for r in _records(mirror_dir / "cbs/85918NED/85918NED.csv")
                  if r["Geslacht"] == "Totaal mannen en vrouwen" and r["TypeWerkenden"] == "Zelfstandigen"
                  and r["BedrijfstakkenBranchesSBI2008"].startswith("28 ") and r["Perioden"] == "2016")
    labour = _table("labour_accounts.csv")
    row = labour[(labour["source_table"] == "85918NED") & (labour["sbi_code"] == "28") & (labour["year"] == 2016)
                 & (labour["worker_type"] == "self_employed")].iloc[0]
    assert row["persons_employed"] == round(float(record["WerkzamePersonen_1"]) * 1000)
    assert row["labour_years"] == round(float(record["Arbeidsjaren_3"]) * 1000)
    assert row["hours_worked"] == round(float(record["GewerkteUren_4"]) * 1_000_000)


def test_regional_accounts_twente_c_and_left_out_areas(mirror_dir: Path) -> None:
    records = _records(mirror_dir / "cbs/84419NED/84419NED.csv")
    record = next(r for r in records if r["RegioS"] == "Twente (CR)" and r["BedrijfstakkenBranchesSBI2008"] == "C Industrie"
                  and r["Perioden"] == "2010")
    regional = _table("regional_accounts.csv")
    row = regional[(regional["source_table"] == "84419NED") & (regional["region_code"] == "CR12")
                   & (regional["sbi_code"] == "C") & (regional["year"] == 2010)].iloc[0]
    assert row["labour_volume_total"] == round(float(record["ArbeidsvolumeTotaal_8"]) * 1000)
    assert row["value_added"] == float(record["BrutoToegevoegdeWaardeBasisprijzen_3"])
    areas = sorted({r["RegioS"] for r in records if r["RegioS"].endswith("(CP)")} | {"Extra-Regio (LD)"})
    manifest = json.loads((PROCESSED / "manifest.json").read_text())
    assert manifest["gaps"]["label_tables"]["cbs-84419NED"]["left_out_titles"]["RegioS"]["names"] == areas


# --- compare: the counts, worked out from the mirror files --------------------------------------------


def _83582_cells(mirror_dir: Path) -> tuple[dict, dict, int, int]:
    corop = {r["Title"]: r["Key"].strip() for r in json.loads((mirror_dir / "cbs/83582NED/RegioS.json").read_text())}
    corop["Niet in te delen (CR)"] = "CR99"
    earlier, only_earlier = {}, 0
    for r in _records(mirror_dir / "vintages/2025-04-22/cbs/83582NED/83582NED.csv"):
        if not r["BedrijfstakkenBranchesSBI2008"].startswith("A-U "):
            continue
        value = r["BanenVanWerknemersInDecember_1"]
        if r["RegioS"] in corop:
            earlier[(corop[r["RegioS"]], int(r["Perioden"][:4]))] = round(float(value) * 1000) if value else None
        elif r["RegioS"] == "Nederland" or (r["RegioS"][-4:] in ("(LD)", "(PV)") and not r["RegioS"].startswith(
                ("Niet in te delen", "Extra-Regio"))):
            only_earlier += 1
    sbi = json.loads((mirror_dir / "cbs/83582NED/BedrijfstakkenBranchesSBI2008.json").read_text())
    total_key = next(s["Key"] for s in sbi if s["Title"].startswith("A-U "))
    typed = json.loads((mirror_dir / "cbs/83582NED/TypedDataSet.json").read_text())
    later = {(r["RegioS"].strip(), int(r["Perioden"][:4])):
             None if r["BanenVanWerknemersInDecember_1"] is None else round(r["BanenVanWerknemersInDecember_1"] * 1000)
             for r in typed if r["BedrijfstakkenBranchesSBI2008"] == total_key}
    return earlier, later, only_earlier, len(typed)


def test_compare_83582NED_releases_cell_by_cell(mirror_dir: Path) -> None:
    earlier, later, only_earlier, later_rows = _83582_cells(mirror_dir)
    common = set(earlier) & set(later)
    both = [k for k in common if earlier[k] is not None and later[k] is not None]
    revised = [k for k in both if earlier[k] != later[k]]
    result = compare_releases("cbs-83582NED-2025-04-22", "cbs-83582NED", PROCESSED)
    assert result.counts == {
        "keys_in_both": len(common), "keys_only_in_first": only_earlier,
        "keys_only_in_second": later_rows - len(common),  # every other SBI section, and 2024
        "cells_in_both": len(both), "equal": len(both) - len(revised), "revised": len(revised),
        "published_in_one_only": sum((earlier[k] is None) != (later[k] is None) for k in common)}
    assert {k[1] for k in revised} == {2023}  # 2010-2022 equal in every COROP cell
    twente = result.revised[(result.revised["region_code"] == "CR12")].iloc[0]
    assert (twente["first"], twente["second"]) == (earlier[("CR12", 2023)], later[("CR12", 2023)])


def _labour_cells(path: Path) -> dict:
    columns = {"WerkzamePersonen_1": 1000, "Banen_2": 1000, "Arbeidsjaren_3": 1000, "GewerkteUren_4": 1_000_000}
    cells = {}
    for r in _records(path):
        if r["Geslacht"] != "Totaal mannen en vrouwen":
            continue
        for column, factor in columns.items():
            key = (r["BedrijfstakkenBranchesSBI2008"].split(" ")[0], r["TypeWerkenden"], r["Perioden"], column)
            cells[key] = round(float(r[column]) * factor) if r[column] else None
    return cells


def test_compare_labour_accounts_editions(mirror_dir: Path) -> None:
    old = _labour_cells(mirror_dir / "cbs/84164NED/84164NED.csv")
    new = _labour_cells(mirror_dir / "cbs/85918NED/85918NED.csv")
    common = [k for k in old if k in new and old[k] is not None and new[k] is not None]
    revised = sum(old[k] != new[k] for k in common)
    result = compare_releases("84164NED", "85918NED", PROCESSED)
    assert result.counts["cells_in_both"] == len(common)
    assert result.counts["revised"] == revised and result.counts["equal"] == len(common) - revised
    # keys are SBI x type x year (4 measures each); 85918NED adds 2023: 100 codes x 3 types
    assert result.counts["keys_only_in_second"] == len({k[:3] for k in new} - {k[:3] for k in old}) == 300


def _regional_cells(path: Path, c_regions: int) -> dict:
    records = _records(path)
    order = list(dict.fromkeys(r["RegioS"] for r in records))
    columns = {"ArbeidsvolumeTotaal_8": 1000, "ArbeidsvolumeWerknemers_9": 1000,
               "BrutoToegevoegdeWaardeBasisprijzen_3": 1}
    cells = {}
    for r in records:
        region, sbi = r["RegioS"], r["BedrijfstakkenBranchesSBI2008"].split(" ")[0]
        if region.endswith("(CP)") or region == "Extra-Regio (LD)":
            continue  # no code list holds them
        if sbi == "C" and order.index(region) >= c_regions:
            continue  # beyond the complete block
        for column, factor in columns.items():
            cells[(region, sbi, r["Perioden"], column)] = float(r[column]) * factor if r[column] else None
    return cells


def test_compare_regional_accounts_editions_moves_c_by_more_than_ten_percent(mirror_dir: Path, capsys) -> None:
    old = _regional_cells(mirror_dir / "cbs/84419NED/84419NED.csv", 62)
    new = _regional_cells(mirror_dir / "cbs/85925NED/85925NED.csv", 49)
    common = [k for k in old if k in new]
    both = [k for k in common if old[k] is not None and new[k] is not None]
    revised = sum(abs(old[k] - new[k]) > 1e-6 for k in both)
    result = compare_releases("84419NED", "85925NED", PROCESSED)
    assert (result.counts["cells_in_both"], result.counts["revised"]) == (len(both), revised)
    assert result.counts["published_in_one_only"] == sum((old[k] is None) != (new[k] is None) for k in common)
    twente_c = [k for k in both if k[:2] == ("Twente (CR)", "C") and k[3] == "ArbeidsvolumeTotaal_8"]
    assert max(abs(new[k] / old[k] - 1) for k in twente_c) > 0.10  # the revision the mirror README names
    assert cli.main(["compare", "84419NED", "85925NED"]) == 0
    assert f"{len(both)} cells in both, {len(both) - revised} equal, {revised} revised" in capsys.readouterr().out
