"""Claim engine v2 on synthetic data with known answers (no real data involved).

Each test writes a small data folder (jobs.csv in the processed-table layout, a published-figures
file) and a small registry, runs :func:`analysis.engine.check.check`, and compares with values
worked out by hand in the test.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from analysis.engine.check import check
from analysis.engine.result import NOT_SUPPORTED, SUPPORTED
from analysis.processing.schema import JOBS_COLUMNS

META = """
[meta]
region = "CR01"
publication = "synthetic"

[publication.synthetic]
title = "synthetic claims"
publisher = "the tests"
date = "2017-10-18"

[meta.public]
employee_jobs = { year_offset = 1, month = 10, day = 1 }
enrolment = { year_offset = 1, month = 4, day = 1 }
labour_accounts = { year_offset = 1, month = 6, day = 30 }

[meta.verdict]
supported = 0.75
fragile = 0.5
cherry_picked = 0.8
"""

NAMES = {"NL01": ("Nederland", "nl"), "CR01": ("Alfa (CR)", "corop"), "CR02": ("Beta (CR)", "corop")}


def write_jobs(folder: Path, cells: dict[tuple[str, str, int], float], vintages=("v1",)) -> None:
    """cells: (region, sbi, year) -> employee jobs, written for the synthetic table 99901NED in every vintage."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "jobs.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(JOBS_COLUMNS))
        writer.writeheader()
        for vintage in vintages:
            for (region, sbi, year), value in sorted(cells.items()):
                name, level = NAMES[region]
                writer.writerow({
                    "source_table": "99901NED", "vintage": vintage, "region_code": region,
                    "region_name": name, "region_level": level, "sbi_code": sbi, "sbi_label": sbi,
                    "year": year, "employee_jobs": "" if value is None else int(value),
                    "suppressed": value is None, "derived": False, "derivation": "",
                    "missing_parts": "", "period_status": ""})
    (folder / "published_figures.csv").write_text(
        "id,quantity,region,period,value,unit,concept,publisher,source_url\n"
        "lvl2014,level,Alfa,2014,100000,jobs,jobs,test,\n", encoding="utf-8")


def write_registry(path: Path, claims: str) -> Path:
    path.write_text(META + claims, encoding="utf-8")
    return path


def dip_cells() -> dict:
    # CR01, SBI Q: a peak in 2010 (the claimant's base year), flat around 100,000 otherwise
    series = {2009: 101000, 2010: 106000, 2011: 100500, 2012: 99800, 2013: 100000, 2014: 100000,
              2015: 100000, 2016: 100000, 2017: 100000}
    cells = {("CR01", "Q", y): v for y, v in series.items()}
    cells.update({("CR02", "Q", y): 50000 for y in series})
    return cells


DIP_CLAIM = """
[[claim]]
id = "dip"
text_nl = "Q daalde fors sinds 2010"
text_en = "Q fell sharply since 2010"
[claim.check]
kind = "change"
relation = "fall"
[claim.check.reading]
sector = "Q"
table = "99901NED"
who = "region"
base_year = 2010
end_year = 2016
threshold = 5.0
[[claim.check.perturb]]
param = "base_year"
values = [2010, 2009, 2011, 2012]
weights = [0.4, 0.2, 0.2, 0.2]
"""


def test_dip_year_gives_low_robustness_high_uniqueness_negative_fairness(tmp_path):
    write_jobs(tmp_path / "data", dip_cells())
    registry = write_registry(tmp_path / "claims.toml", DIP_CLAIM)
    result = check("dip", "CR01", registry=registry, data_dir=tmp_path / "data")
    # reading: 2010 -> 2016 = 100,000 / 106,000 - 1 = -5.66%; with +-50 per cell the change lies in
    # [99,950 / 106,050 - 1, 100,050 / 105,950 - 1] = [-5.752%, -5.569%]: a fall of at least 5%.
    reading = result.reading
    assert reading.holds is True
    assert reading.result.low == pytest.approx(100 * (99950 / 106050 - 1))
    assert reading.result.high == pytest.approx(100 * (100050 / 105950 - 1))
    # base 2009: 100,000 / 101,000 - 1 = -0.99%; 2011: -0.50%; 2012: +0.20%: none falls 5%
    assert len(result.perturbations) == 3
    assert all(p.holds is False for p in result.perturbations)
    assert result.robustness == 0.0
    assert result.uniqueness == 1.0  # every alternative is weaker than the reading
    # fairness = mean of (strength_p - strength_0), strength = fall - 5:
    # strength_0 = 5.660 - 5; strengths_p = 0.990 - 5, 0.498 - 5, -0.200 - 5 (equal weights)
    s0 = 100 * (1 - 100000 / 106000) - 5
    sp = [100 * (1 - 100000 / 101000) - 5, 100 * (1 - 100000 / 100500) - 5,
          100 * (1 - 100000 / 99800) - 5]
    assert result.fairness == pytest.approx(sum(s - s0 for s in sp) / 3)
    assert result.fairness < 0
    # the space is enumerated, not sampled: no interval around 0 (none is undecided), so the
    # whole range lies below 0.5 (fragile) with uniqueness 1 >= 0.8: cherry-picked
    assert result.robustness_band == (0.0, 0.0)
    assert result.verdict == NOT_SUPPORTED
    assert result.verdict_reason.key == "engine.reason.cherry_picked"
    assert result.counter_argument is not None
    # equal weights: the tie goes to the weakest result, base 2012 (+0.2%, the furthest from a fall)
    assert "2012" in result.counter_argument.render("en")


STEADY_CLAIM = """
[[claim]]
id = "steady"
text_nl = "C daalde fors in beide"
text_en = "C fell sharply in both"
[claim.check]
kind = "change_vs_comparator"
relation = "both_fall"
[claim.check.reading]
sector = "C"
table = "99901NED"
nation = "corop_sum"
base_year = 2010
end_year = 2016
comparator = "nation_minus_region"
threshold = 5.0
[[claim.check.perturb]]
param = "base_year"
values = [2010, 2009, 2011, 2012]
weights = [0.4, 0.2, 0.2, 0.2]
[[claim.check.perturb]]
param = "end_year"
values = [2016, 2015, 2017]
weights = [0.5, 0.3, 0.2]
[[claim.check.perturb]]
param = "comparator"
values = ["nation_minus_region", "nation"]
weights = [0.7, 0.3]
"""


def steady_cells() -> dict:
    # both regions lose 3% a year (rounded to hundreds): every 3-year period falls >= 8.7%
    cells = {}
    for year in range(2009, 2018):
        cells[("CR01", "C", year)] = round(100000 * 0.97 ** (year - 2009), -2)
        cells[("CR02", "C", year)] = round(300000 * 0.97 ** (year - 2009), -2)
    return cells


def test_claim_holding_everywhere_has_robustness_one(tmp_path):
    write_jobs(tmp_path / "data", steady_cells())
    registry = write_registry(tmp_path / "claims.toml", STEADY_CLAIM)
    result = check("steady", "CR01", registry=registry, data_dir=tmp_path / "data")
    assert result.reading.holds is True
    real_time = [p for p in result.perturbations if p.real_time]
    assert real_time and all(p.holds is True for p in real_time)
    assert result.robustness == 1.0
    assert result.counter_argument is None
    # end year 2017 was not public on 2017-10-18 (December 2017 jobs: autumn 2018): ex post only
    assert all(p.parameters["end_year"] == 2017 for p in result.perturbations if not p.real_time)
    assert any(not p.real_time for p in result.perturbations)
    # the shortest period, 2012-2015, in CR01 alone: 100,000 * 0.97^6 -> 0.97^3 ... a fall of 8.7%
    shortest = [p for p in real_time if p.parameters["base_year"] == 2012
                and p.parameters["end_year"] == 2015 and p.parameters["comparator"] == "nation"]
    assert len(shortest) == 1
    region = shortest[0].parts["region"]
    first, last = round(100000 * 0.97 ** 3, -2), round(100000 * 0.97 ** 6, -2)
    assert region.value == pytest.approx(100 * (last / first - 1))
    # 4 base x 2 real-time end years x 2 comparators = 16 settings, 15 besides the reading, all
    # distinct and all holding: robustness 1 with no interval around it (nothing is sampled)
    assert len(real_time) == 15
    assert result.robustness_band == (1.0, 1.0)
    assert result.verdict == SUPPORTED


def test_identical_results_merge_and_count_once(tmp_path):
    # two vintages with the same numbers: a vintage perturbation must not count twice
    write_jobs(tmp_path / "data", dip_cells(), vintages=("v1", "v2"))
    claim = DIP_CLAIM + """
[[claim.check.perturb]]
param = "vintage"
values = ["newest", "oldest"]
weights = [0.5, 0.5]
"""
    registry = write_registry(tmp_path / "claims.toml", claim.replace('who = "region"',
                                                                      'who = "region"\nvintage = "newest"'))
    result = check("dip", "CR01", registry=registry, data_dir=tmp_path / "data")
    # 4 base years x 2 vintages = 8 settings; besides the reading's own setting, 4 distinct
    # results: the reading's base year under the other vintage, and the 3 other base years (each
    # under both vintages, shown once)
    assert len(result.perturbations) == 4
    assert result.reading.merged_parameters == []
    twin = [p for p in result.perturbations if p.parameters["base_year"] == 2010]
    assert len(twin) == 1 and twin[0].parameters["vintage"] == "oldest"
    others = [p for p in result.perturbations if p.parameters["base_year"] != 2010]
    for perturbation in others:
        assert len(perturbation.merged_parameters) == 1
        assert perturbation.merged_parameters[0]["vintage"] == "oldest"
    # a distinct result weighs the total of its settings: 0.2 x 0.5 + 0.2 x 0.5 for another base
    # year; the reading's twin 0.4 x 0.5
    assert all(p.weight == pytest.approx(0.2) for p in result.perturbations)


RELATIVE_CLAIM = """
[[claim]]
id = "gain"
text_nl = "P won bijna 4.000 banen ten opzichte van het land"
text_en = "P gained almost 4,000 jobs relative to the nation"
[claim.check]
kind = "relative_gain"
claimed = { low = 3800, high = 4200 }
[claim.check.reading]
sector = "P"
table = "99901NED"
nation = "99901NED"
base_year = 2010
end_year = 2016
comparator = "nation"
base_level = "series"
[[claim.check.perturb]]
param = "base_level"
values = ["series", "lvl2014"]
weights = [0.5, 0.5]
[claim.check.levels.lvl2014]
figures = ["lvl2014"]
year = 2014
date = "2015-01-01"
"""


def test_relative_gain_from_the_base_year_level(tmp_path):
    cells = {("CR01", "P", 2010): 100000, ("CR01", "P", 2016): 106000,
             ("NL01", "P", 2010): 10000000, ("NL01", "P", 2016): 10200000}
    write_jobs(tmp_path / "data", cells)
    registry = write_registry(tmp_path / "claims.toml", RELATIVE_CLAIM)
    result = check("gain", "CR01", registry=registry, data_dir=tmp_path / "data")
    # E0 = 100,000 (2010), g_r = +6%, g_c = +2%: E0 * (g_r - g_c) = 100,000 * 0.04 = 4,000 jobs
    reading = result.reading
    assert reading.result.value == pytest.approx(4000)
    # E0 and g_r come from the same cells (E0 * g_r = E_end - E0), so the gain is
    # (E_end - E0) - E0 * g_c with E0 in [99,950, 100,050], E_end in [105,950, 106,050] and
    # g_c in [10,199,950/10,000,050 - 1, 10,200,050/9,999,950 - 1]; the gain falls in E0, so
    # its low end takes E0 = 100,050 and its high end E0 = 99,950
    g_c = (10199950 / 10000050 - 1, 10200050 / 9999950 - 1)
    assert reading.result.low == pytest.approx((105950 - 100050) - 100050 * g_c[1])
    assert reading.result.high == pytest.approx((106050 - 99950) - 99950 * g_c[0])
    assert reading.holds is True  # [3,898, 4,102] lies inside [3,800, 4,200]
    # a published level of 2014 is not E0 for a 2010 base: not evaluated, and the reason says so
    reasons = [u.reason.key for u in result.unevaluable]
    assert "engine.nodata.level_year" in reasons


def test_real_time_cut_off_keeps_later_data_out_of_the_measures(tmp_path):
    write_jobs(tmp_path / "data", steady_cells())
    claim = STEADY_CLAIM.replace("weights = [0.5, 0.3, 0.2]", "weights = [0.5, 0.3, 0.2]\n")
    registry = write_registry(tmp_path / "claims.toml", claim)
    result = check("steady", "CR01", registry=registry, data_dir=tmp_path / "data")
    counted = [p for p in result.perturbations if p.real_time]
    # the measures use the real-time perturbations only: their weights give the robustness
    total = sum(p.weight for p in counted)
    holding = sum(p.weight for p in counted if p.holds)
    assert result.robustness == pytest.approx(holding / total)
    assert all(p.public <= "2017-10-18" for p in counted)
    assert all(p.public > "2017-10-18" for p in result.perturbations if not p.real_time)


def test_override_moves_the_reading_and_keeps_the_space(tmp_path):
    write_jobs(tmp_path / "data", dip_cells())
    registry = write_registry(tmp_path / "claims.toml", DIP_CLAIM)
    result = check("dip", "CR01", registry=registry, data_dir=tmp_path / "data", base_year=2011)
    # 2011 -> 2016: 100,000 / 100,500 - 1 = -0.50%: no fall of 5%
    assert result.reading.parameters["base_year"] == 2011
    assert result.reading.result.value == pytest.approx(100 * (100000 / 100500 - 1))
    assert result.reading.holds is False
    assert result.verdict == NOT_SUPPORTED
    # the former reading (2010) is now a perturbation, with the weight 2011 had
    former = [p for p in result.perturbations if p.parameters["base_year"] == 2010]
    assert len(former) == 1 and former[0].weight == pytest.approx(0.2)
    assert not math.isnan(result.robustness)


def test_command_line_reads_another_data_folder_and_registry(tmp_path):
    import json
    import subprocess
    import sys

    write_jobs(tmp_path / "data", dip_cells())
    registry = write_registry(tmp_path / "claims.toml", DIP_CLAIM)
    out = subprocess.run([sys.executable, "-m", "analysis", "check", "dip", "--region", "CR01",
                          "--registry", str(registry), "--data", str(tmp_path / "data"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert data["claim_id"] == "dip" and data["region"] == "CR01"
    assert data["reading"]["value"] == pytest.approx(100 * (100000 / 106000 - 1))
    assert data["verdict"] == NOT_SUPPORTED
    league_csv = subprocess.run([sys.executable, "-m", "analysis", "league", "dip", "--registry",
                                 str(registry), "--data", str(tmp_path / "data"), "--csv"],
                                capture_output=True, text=True, check=True).stdout.splitlines()
    # sorted by value, highest first: CR02 is flat (0%), CR01 fell 5.7%
    assert len(league_csv) == 3
    assert league_csv[1].startswith("CR02,") and league_csv[2].startswith("CR01,")
