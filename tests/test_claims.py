"""The claim registry and ``evaluate_claim`` on synthetic data with known answers, plus real-data
checks on ``data/processed`` (skipped with the reason when the tables are absent)."""

from __future__ import annotations

import pytest

from analysis import paths
from analysis.engine import claims, stress, verdicts
from analysis.engine import series as ser
from test_series import enrolment_frame, panel

CLAIM_IDS = ["industry-decline", "htsm-growth", "htsm-relative-jobs", "technical-students",
             "tech-sector-growth", "participation"]


# --- registry ----------------------------------------------------------------------------------------


def test_registry_holds_the_six_claims_in_order() -> None:
    registry = claims.load_claims()
    assert list(registry) == CLAIM_IDS
    for claim in registry.values():
        assert claim.text_nl and claim.text_en and claim.asserts
        assert claim.source["date"] == "2017-10-18"
        assert claim.published_values and all("text" in v for v in claim.published_values)
        assert claim.extra["caveat_en"] and claim.extra["caveat_nl"]
        assert claim.measurement in ("direct", "proxy", "none")
        for op in claim.operationalisations:
            assert op.quantity and op.dataset and op.definition and op.tolerance


def test_registry_figures_exist_in_the_published_figures_file() -> None:
    figures = ser.load_published_figures()
    for claim in claims.load_claims().values():
        missing = [fid for fid in claim.published_figures if fid not in figures.index]
        assert not missing, f"{claim.id}: {missing}"
        for op in claim.operationalisations:
            for fid in op.get("figures", []):
                assert fid in figures.index
    # every base level and national growth of the relative-jobs grid resolves to a number
    grid = claims.get_claim("htsm-relative-jobs").grid
    for fid in [*grid["base_levels"], *grid["national_growth"]]:
        assert stress.figure(figures, fid).value == stress.figure(figures, fid).value  # not NaN


def test_participation_is_marked_not_verifiable_with_what_would_settle_it() -> None:
    claim = claims.get_claim("participation")
    assert claim.measurement == "none" and not claim.operationalisations
    assert "participant list" in claim.extra["settled_by"]
    assert [v["value"] for v in claim.published_values] == [80.0, 60.0]


def test_htsm_definition_is_a_data_file_with_variants_and_unverified() -> None:
    definition = claims.load_htsm_definition()
    assert not definition["verified"].any()
    assert set(definition["confidence"]) <= {"low", "medium", "high"}
    narrow, broad = set(definition.loc[definition["narrow"], "sbi_code"]), set(
        definition.loc[definition["broad"], "sbi_code"])
    assert narrow < broad and "28" in narrow and "62" in broad - narrow
    assert not definition.loc[definition["sbi_code"] == "32.5", "broad"].any()


def test_unknown_claim_and_region_are_explained() -> None:
    with pytest.raises(KeyError, match="registered: industry-decline"):
        claims.get_claim("nope")
    with pytest.raises(ValueError, match=r"unknown region code 'CR77'.*CR12 Twente"):
        claims.evaluate_claim("industry-decline", region="CR77", jobs=panel(_fall(10, 10)))


# --- evaluation on synthetic data -------------------------------------------------------------------


def _fall(c_pct: float, be_pct: float):
    """C and B-E change by -c_pct / -be_pct % from 2012 on, in every region."""
    def value(region: str, sbi: str, year: int) -> float:
        base = 10.0 if region == "CR99" else (1000.0 if sbi == "C" else 2000.0)
        pct = c_pct if sbi == "C" else be_pct
        return base if year <= 2011 or region == "CR99" else base * (1 - pct / 100)
    return value


@pytest.mark.parametrize(("c_pct", "be_pct", "expected"), [
    (10, 10, verdicts.SUPPORTED),  # both fell 10% in every specification
    (10, 1, verdicts.PARTLY),  # reproduced (C), but B-E specifications fell by only 1%
    (-10, -10, verdicts.NOT_SUPPORTED),  # both rose
])
def test_industry_decline_verdict_on_known_panels(c_pct, be_pct, expected) -> None:
    evaluation = claims.evaluate_claim("industry-decline", jobs=panel(_fall(c_pct, be_pct)))
    assert evaluation.verdict.label == expected
    repro = evaluation.reproduction
    assert repro.operationalisation.id == "C-2010-2016"  # nothing suppressed: the first one
    assert repro.values["region_value"] == pytest.approx(-c_pct)
    assert "Twente, SBI C 2010→2016" in repro.arithmetic
    assert evaluation.stress["counts"].sum() == 36
    assert evaluation.trends is not None and evaluation.trends.segmented.break_year == 2017
    assert evaluation.trends.counterfactual.cutoff_year == 2018  # fit up to 2017, project after
    assert evaluation.placebo is not None and evaluation.placebo.n_regions == 3


def test_headline_falls_back_when_a_cell_is_suppressed() -> None:
    base = _fall(10, 10)
    jobs = panel(lambda r, s, y: None if (r, s, y) == ("CR12", "C", 2016) else base(r, s, y))
    repro = claims.evaluate_claim("industry-decline", jobs=jobs).reproduction
    assert repro.operationalisation.id == "C-2010-2015"
    assert repro.skipped and repro.skipped[0].startswith("C-2010-2016: Twente 2016: suppressed")
    assert "Not evaluable first" in repro.explanation


def test_base_and_end_year_override_the_headline() -> None:
    evaluation = claims.evaluate_claim("industry-decline", jobs=panel(_fall(10, 10)),
                                       base_year=2011, end_year=2019)
    assert (evaluation.reproduction.operationalisation.id, evaluation.reproduction.arithmetic
            .split(":")[0]) == ("C-2010-2016", "Twente, SBI C 2011→2019")
    assert 2019 in set(evaluation.stress["end_year"])
    assert not evaluation.stress.loc[evaluation.stress["end_year"] == 2019, "counts"].any()
    assert evaluation.trends.break_year == 2019


def test_htsm_growth_matches_the_twente_index_only_for_another_period() -> None:
    evaluation = claims.evaluate_claim("htsm-growth", jobs=panel(_fall(10, 10)))
    repro = evaluation.reproduction
    assert repro.operationalisation.id == "ti2016"
    assert repro.within_tolerance and not repro.reproduced  # +4% vs +3%, but from 2007
    assert repro.difference == pytest.approx(1.0)
    assert "not a reproduction of the claim as stated" in repro.explanation
    assert evaluation.verdict.label == verdicts.NOT_SUPPORTED


def test_relative_jobs_consistency_table() -> None:
    evaluation = claims.evaluate_claim("htsm-relative-jobs", jobs=panel(_fall(10, 10)))
    table = evaluation.tables["consistency"].set_index("base_level_id")
    top = table.loc["ti2018_htsm_jobs_twente"]
    assert top["absolute_gain"] == pytest.approx(912.0) and not top["absolute_consistent"]
    assert top["base_needed_absolute"] == pytest.approx(60000.0)  # 1,800 / 3%
    assert top["national_growth_needed_pct"] == pytest.approx(3 - 100 * 1800 / 30400)
    assert top["published_national_consistent"] == "ti2016_htsm_growth_nl"
    assert table.loc["kp2014_htsm_persons_twente", "absolute_gain"] == pytest.approx(839.85)
    repro = evaluation.reproduction
    assert repro.operationalisation.get("reading") == "relative"
    assert repro.values["value"] == pytest.approx(27995 * 0.06)
    assert repro.within_tolerance and not repro.reproduced  # the national change is 2007-2015


def _students(share_by_year: dict[int, float]) -> object:
    records = []
    for year, share in share_by_year.items():
        tech = round(2 * share)  # 200 students in all
        records += [("hbo-e", "hbo", "23AH", "Enschede", "techniek", year, tech // 2, 0),
                    ("hbo-e", "hbo", "23AH", "Enschede", "economie", year, 100 - tech // 2, 0),
                    ("wo-e", "wo", "21PH", "Enschede", "techniek", year, tech - tech // 2, 0),
                    ("wo-e", "wo", "21PH", "Enschede", "economie", year, 100 - (tech - tech // 2), 0)]
    return enrolment_frame(records)


def test_technical_students_known_shares() -> None:
    evaluation = claims.evaluate_claim("technical-students",
                                       enrolment=_students({2015: 36, 2016: 36, 2017: 36}))
    assert evaluation.reproduction.values["value"] == pytest.approx(36.0)
    assert evaluation.verdict.label == verdicts.SUPPORTED
    shares = evaluation.tables["shares_by_year"]
    assert shares["pooled_all_matches"].all()
    off = claims.evaluate_claim("technical-students",
                                enrolment=_students({2015: 30, 2016: 30, 2017: 30}))
    assert off.verdict.label == verdicts.NOT_SUPPORTED
    assert off.reproduction.difference == pytest.approx(-6.0)


def test_twente_specific_claims_are_not_applicable_elsewhere() -> None:
    evaluation = claims.evaluate_claim("technical-students", region="CR15",
                                       enrolment=_students({2016: 36}))
    assert not evaluation.applicable and evaluation.verdict is None
    assert "Saxion" in evaluation.reason and "CR15" in evaluation.reason
    jobs = panel(_fall(10, 10), regions=["CR11", "CR12", "CR13", "CR15", "CR99"])
    other = claims.evaluate_claim("industry-decline", region="CR15", jobs=jobs)
    assert other.applicable and set(other.stress["region"]) == {"CR15"}
    assert other.reproduction.arithmetic.startswith("Arnhem/Nijmegen")
    # no published HTSM level applies to CR15: the relative-jobs headline falls back to the proxy
    relative = claims.evaluate_claim("htsm-relative-jobs", region="CR15", jobs=jobs)
    assert relative.reproduction.operationalisation.id == "proxy-relative-B-E-2010-2015"
    assert "consistency" not in relative.tables
    published = relative.stress[relative.stress["family"] == "published gain"]
    assert not published["evaluable"].any()


def test_participation_is_not_verifiable() -> None:
    evaluation = claims.evaluate_claim("participation")
    assert evaluation.verdict.label == verdicts.NOT_VERIFIABLE
    assert "participant list" in evaluation.verdict.evidence_en
    assert evaluation.stress.empty


# --- real data ----------------------------------------------------------------------------------------

PROCESSED = paths.processed_dir()
# committed with the repository: a missing table fails these tests (never skipped)


@pytest.fixture(scope="module")
def real_results() -> dict[str, claims.ClaimEvaluation]:
    return claims.evaluate_all()


def test_real_twente_industry_fell_since_2010(real_results) -> None:
    evaluation = real_results["industry-decline"]
    assert evaluation.reproduction.values["region_value"] < 0
    grid = evaluation.stress
    twente_c = grid[(grid["series"] == "C") & (grid["end_year"] == 2015)
                    & (grid["base_vintage"] == "83582NED")]
    assert (twente_c["region_value"] < 0).all()  # Twente manufacturing fell 2010 -> 2015
    assert evaluation.verdict.label in verdicts.LABELS


def test_real_every_claim_has_a_valid_verdict(real_results) -> None:
    assert list(real_results) == CLAIM_IDS
    for evaluation in real_results.values():
        assert evaluation.verdict.label in verdicts.LABELS
        assert evaluation.verdict.evidence_en and evaluation.verdict.evidence_nl
        assert evaluation.explanation
    assert real_results["participation"].verdict.label == verdicts.NOT_VERIFIABLE


def test_real_technical_share_is_near_36_percent_in_2016(real_results) -> None:
    shares = real_results["technical-students"].tables["shares_by_year"]
    assert abs(shares.loc[2016, "pooled_all"] - 36) < 2
    assert shares.loc[2016, "pooled_twente"] > shares.loc[2016, "pooled_all"]  # Deventer etc.
