"""A claim of a known kind added to a copy of the registry is checked with no other file touched:
perturbations, measures, a verdict, a league (issue: "adding a claim needs one registry entry")."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis import paths
from analysis.engine.check import check
from analysis.engine.league import league
from analysis.engine.registry import REGISTRY_FILE, load_registry

NEW_CLAIM = """
[[claim]]
id = "healthcare-growth"
text_nl = "De werkgelegenheid in de zorg groeide in Twente sinds 2010 sneller dan landelijk."
text_en = "Health-care employment in Twente grew faster than nationally since 2010."

[claim.source]
publisher = "Regio Twente"
title = "Monitor zorg en welzijn"
url = "https://example.org/monitor-zorg"
date = "2016-12-20"

[claim.check]
kind = "change_vs_comparator"
relation = "faster"
reading_nl = "Banen van werknemers in SBI Q, 2010-2015, Twente tegen Nederland zonder Twente."
reading_en = "Employee jobs in SBI Q, 2010-2015, Twente against the Netherlands without Twente."

[claim.check.reading]
sector = "Q"
base_year = 2010
end_year = 2015
comparator = "nation_minus_region"

[[claim.check.perturb]]
param = "base_year"
values = [2010, 2011, 2012]
weights = [0.5, 0.25, 0.25]

[[claim.check.perturb]]
param = "end_year"
values = [2015, 2014, 2016]
weights = [0.5, 0.3, 0.2]

[[claim.check.perturb]]
param = "comparator"
values = ["nation_minus_region", "nation"]
weights = [0.7, 0.3]
"""


def digests() -> dict[str, str]:
    watched = [REGISTRY_FILE, *sorted((paths.PACKAGE_DATA / "messages").glob("*.toml")),
               *sorted((paths.PACKAGE_DIR / "engine").rglob("*.py"))]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in watched}


def test_a_new_claim_needs_only_a_registry_entry(tmp_path):
    before = digests()
    registry = tmp_path / "claims.toml"
    registry.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + NEW_CLAIM, encoding="utf-8")
    assert "healthcare-growth" in load_registry(registry).claims

    result = check("healthcare-growth", "CR12", registry=registry)
    assert result.claim_date == "2016-12-20"  # its own source's date, not the registry's article
    # the reading, by hand: Twente SBI Q in 83582NED, 2010 -> 2015 (published cells, +-50; 2015
    # was public on 15 December 2016, the claim's date)
    jobs = pd.read_csv(paths.processed_dir() / "jobs.csv", dtype=str, keep_default_na=False)
    rows = jobs[(jobs["source_table"] == "83582NED") & (jobs["region_code"] == "CR12")
                & (jobs["sbi_code"] == "Q") & (jobs["derived"] == "False")]
    q = {int(y): float(v) for y, v in zip(rows["year"], rows["employee_jobs"], strict=True) if v}
    twente = 100 * (q[2015] / q[2010] - 1)
    assert result.reading.parts["region"].value == pytest.approx(twente)
    assert result.reading.parts["region"].low == pytest.approx(100 * ((q[2015] - 50) / (q[2010] + 50) - 1))
    # perturbations: 3 base x 3 end x 2 comparators = 18 settings, the 2016 ones ex post (2016
    # became public on 15 December 2017, after the claim's date)
    assert result.perturbations
    assert {p.parameters["end_year"] for p in result.perturbations if not p.real_time} == {2016}
    assert result.robustness is not None and result.robustness_band is not None
    assert result.fairness is not None and result.uniqueness is not None
    # Twente's SBI Q jobs were 48,800 in 2010 and in 2015 (q above): 0.0% while the rest of the country
    # fell, so the reading ("faster") holds; most of the weighted alternatives do not, so the claim is
    # not supported (under the 50% of the 'fragile' threshold)
    assert q[2010] == q[2015] and result.reading.holds is True
    assert result.robustness < 0.5 and result.verdict == "not_supported"
    assert result.fairer_statement is not None and result.fairer_statement.render("nl")
    frame = league("healthcare-growth", registry=registry)
    assert len(frame) == 40 and frame["region_code"].is_unique
    assert frame.loc[frame["region_code"] == "CR12", "verdict"].tolist() == [result.verdict]
    assert digests() == before  # no other file touched
