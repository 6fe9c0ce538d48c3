"""The measures of a shipped claim recomputed independently on the real processed data.

The manufacturing claim (both fell by at least 'fors') restricted to the CBS employee-job settings
whose cells are all published (SBI C, end years 2013-2015): every setting's changes, judgement and
strength are worked out here with plain pandas from data/processed/jobs.csv, and robustness,
fairness, uniqueness and the counter-argument's setting are then summed by hand. A change to the
engine's margins, weights or grouping (say, the sign of the both-fall margin) moves these numbers.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from analysis import paths
from analysis.engine.check import check
from analysis.engine.registry import REGISTRY_FILE

HALF = 50  # CBS thousands with one decimal: +-50 jobs a cell (83582NED and 83583NED up to 2017)
BASES = {2010: 0.6, 2011: 0.25, 2012: 0.15}
ENDS = {2015: 0.6, 2014: 0.3, 2013: 0.1}
COMPARATORS = {"nation": 0.7, "nation_minus_region": 0.3}
THRESHOLDS = {5.0: 0.5, 3.0: 0.25, 10.0: 0.25}

ENTRY = """
[[claim]]
id = "fell-sharply"
publication = "techniekpact-2017"
text_nl = "x"
text_en = "x"
[claim.check]
kind = "change_vs_comparator"
relation = "both_fall"
[claim.check.reading]
sector = "C"
table = "83582NED"
nation = "83583NED"
base_year = 2010
end_year = 2015
comparator = "nation"
threshold = 5.0
[[claim.check.perturb]]
param = "base_year"
values = [2010, 2011, 2012]
weights = [0.6, 0.25, 0.15]
[[claim.check.perturb]]
param = "end_year"
values = [2015, 2014, 2013]
weights = [0.6, 0.3, 0.1]
[[claim.check.perturb]]
param = "comparator"
values = ["nation", "nation_minus_region"]
weights = [0.7, 0.3]
[[claim.check.perturb]]
param = "threshold"
values = [5.0, 3.0, 10.0]
weights = [0.5, 0.25, 0.25]
"""


def cells() -> tuple[dict[int, float], dict[int, float]]:
    jobs = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype=str, keep_default_na=False)
    jobs = jobs[(jobs["derived"] == "False") & (jobs["sbi_code"] == "C") & (jobs["employee_jobs"] != "")]
    twente = jobs[(jobs["source_table"] == "83582NED") & (jobs["region_code"] == "CR12")
                  & (jobs["vintage"] == "latest")]
    nation = jobs[(jobs["source_table"] == "83583NED") & (jobs["region_code"] == "NL01")]
    return ({int(y): float(v) for y, v in zip(twente["year"], twente["employee_jobs"], strict=True)},
            {int(y): float(v) for y, v in zip(nation["year"], nation["employee_jobs"], strict=True)})


def fall(first: float, last: float, half: float) -> tuple[float, float, float]:
    """(lowest, value, highest) fall in percent from rounded levels (each +-half)."""
    return (100 * (1 - (last + half) / (first - half)), 100 * (1 - last / first),
            100 * (1 - (last - half) / (first + half)))


def judge(low: float, high: float, threshold: float) -> bool | None:
    return True if low >= threshold else False if high < threshold else None


def by_hand() -> pd.DataFrame:
    twente, nation = cells()
    rows = []
    for (base, wb), (end, we), (comparator, wc), (threshold, wt) in itertools.product(
            BASES.items(), ENDS.items(), COMPARATORS.items(), THRESHOLDS.items()):
        region = fall(twente[base], twente[end], HALF)
        if comparator == "nation":
            other = fall(nation[base], nation[end], HALF)
        else:  # the rest of the country: two rounded cells each year, +-100
            other = fall(nation[base] - twente[base], nation[end] - twente[end], 2 * HALF)
        judged = [judge(region[0], region[2], threshold), judge(other[0], other[2], threshold)]
        holds = False if False in judged else None if None in judged else True
        rows.append({"base": base, "end": end, "comparator": comparator, "threshold": threshold,
                     "weight": wb * we * wc * wt, "holds": holds,
                     "strength": min(region[1], other[1]) - threshold})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry")
    registry = folder / "claims.toml"
    registry.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + ENTRY, encoding="utf-8")
    return check("fell-sharply", "CR12", registry=registry)


def test_robustness_fairness_uniqueness_by_hand(computed):
    table = by_hand()
    reading = (table["base"] == 2010) & (table["end"] == 2015) & (table["comparator"] == "nation") \
        & (table["threshold"] == 5.0)
    own, others = table[reading].iloc[0], table[~reading]
    total = others["weight"].sum()
    assert total == pytest.approx(1 - own["weight"])
    robustness = others.loc[others["holds"] == True, "weight"].sum() / total
    undecided = others.loc[others["holds"].isna(), "weight"].sum() / total
    fairness = (others["weight"] * (others["strength"] - own["strength"])).sum() / total
    uniqueness = others.loc[others["strength"] < own["strength"] - 1e-9, "weight"].sum() / total
    assert computed.reading.strength == pytest.approx(own["strength"])
    assert computed.robustness == pytest.approx(robustness)
    assert computed.robustness_band == pytest.approx((robustness, robustness + undecided))
    assert computed.fairness == pytest.approx(fairness)
    assert computed.uniqueness == pytest.approx(uniqueness)


def test_counter_argument_is_the_heaviest_holding_result(computed):
    # the reading fails (the nation fell less than 5%); the strongest case left for the claim is
    # the holding result with the largest total weight: settings with the same numbers and the
    # same judgement (here: thresholds that agree) are one result
    table = by_hand()
    assert computed.reading.holds is False
    holding = table[table["holds"] == True]
    groups = holding.groupby(["base", "end", "comparator"])["weight"].sum()
    best = groups.idxmax()
    assert computed.counter_argument.key == "engine.counter.support"
    shown = [p for p in computed.perturbations if p.holds is True]
    heaviest = max(shown, key=lambda p: p.weight)
    assert (heaviest.parameters["base_year"], heaviest.parameters["end_year"],
            heaviest.parameters["comparator"]) == best
    assert heaviest.weight == pytest.approx(groups.max())
