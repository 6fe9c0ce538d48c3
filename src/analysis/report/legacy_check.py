"""A stand-in for the engine's ``check()`` while engine v2 is being written (to be deleted then).

:func:`run_check` returns a :class:`analysis.engine.result.ClaimCheck`: from ``analysis.engine.check``
when that module exists (the real engine v2), otherwise adapted from the old engine
(``analysis.engine.claims.evaluate_claim``). The adaptation is honest about what the old engine
does not have: no fairness, uniqueness, counter-argument, fairer statement, ex-post reading or
context (they stay None / empty and the page says so); its verdict labels map onto the v2 codes
(``partly supported`` -> ``borderline``); its English-only sentences are shown in both editions
through the ``page.text`` message with a Dutch rendering where the old engine has one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import tomllib

import pandas as pd

from analysis import paths
from analysis.engine.result import ClaimCheck, Evaluation, Interval
from analysis.i18n import Text

_LABELS = {"supported": "supported", "partly supported": "borderline", "not supported": "not_supported",
           "not verifiable with open data": "not_verifiable"}
_NOT_PARAMETERS = {"claim_id", "spec_id", "region", "comparator", "region_value", "comparator_value", "value",
                   "unit", "coverage", "evaluable", "holds", "direction_holds", "counts", "note",
                   "arithmetic", "source"}
LAST_REAL_TIME_YEAR = 2016  # October 2017: December jobs up to 2016, DUO counts up to 1 October 2016


def real_engine_available() -> bool:
    """The real engine is used once it exists and the registry is in its format (every claim has
    its ``[claim.check]`` entry); until then the old engine's results are adapted."""
    if importlib.util.find_spec("analysis.engine.check") is None:
        return False
    with (paths.PACKAGE_DATA / "claims.toml").open("rb") as handle:
        claims = tomllib.load(handle).get("claim", [])
    return bool(claims) and all("check" in claim for claim in claims)


def run_check(claim_id: str, region: str = "CR12", *, base_year: int | None = None, end_year: int | None = None,
              comparator: str | None = None) -> ClaimCheck:
    """The check of ``claim_id`` for ``region`` (real engine when present, else the adapter)."""
    if real_engine_available():
        from analysis.engine import check as engine_check

        return engine_check.check(claim_id, region, base_year=base_year, end_year=end_year,
                                  comparator=comparator)
    return adapt(claim_id, region, base_year=base_year, end_year=end_year, comparator=comparator)


def _pair(en: str, nl: str | None = None) -> Text:
    from analysis.engine.claims import _nl

    return Text("page.text", {"text": {"en": en, "nl": nl if nl is not None else _nl(en)}})


def adapt(claim_id: str, region: str = "CR12", *, base_year: int | None = None, end_year: int | None = None,
          comparator: str | None = None) -> ClaimCheck:
    from analysis.engine import claims, series

    jobs = series.load_jobs()
    evaluation = claims.evaluate_claim(claim_id, region=region, comparator=comparator or "NL01",
                                       base_year=base_year, end_year=end_year, jobs=jobs)
    claim = evaluation.claim
    region_name = series.short_name(series.corop_regions(jobs)[region])
    registry_hash = hashlib.sha256((paths.PACKAGE_DATA / "claims.toml").read_bytes()).hexdigest()
    if not evaluation.applicable or evaluation.verdict is None:
        code = "not_applicable" if not evaluation.applicable else "not_verifiable"
        return ClaimCheck(claim_id=claim.id, region=region, region_name=region_name, kind=claim.test.kind,
                          verdict=code, verdict_reason=_pair(evaluation.reason or evaluation.explanation),
                          claimed=None, reading=None, reading_text=None, robustness=None,
                          robustness_band=None, fairness=None, uniqueness=None, counter_argument=None,
                          fairer_statement=None, ex_post=None, ex_post_text=None,
                          registry_hash=registry_hash)
    verdict = evaluation.verdict
    repro = evaluation.reproduction
    test = claim.test
    claimed = None
    unit = repro.unit if repro is not None else "percent"
    if not math.isnan(test.target):
        claimed = Interval(test.target, test.target - test.tolerance, test.target + test.tolerance, unit)
    reading = None
    reading_text = None
    if repro is not None:
        op = repro.operationalisation
        parameters = {k: v for k, v in {"operationalisation": op.id, "base_year": op.base, "end_year": op.end,
                                        **op.params}.items() if v is not None and k not in ("id",)}
        value = float(repro.values["value"])
        reading = Evaluation(parameters=parameters, result=Interval(value, value, value, unit),
                             holds=repro.within_tolerance, weight=1.0,
                             real_time=(op.end or 0) <= LAST_REAL_TIME_YEAR,
                             arithmetic=_pair(repro.arithmetic), label=_pair(op.definition, op.definition))
        reading_text = _pair(claim.asserts, claim.asserts)
    perturbations = []
    grid = evaluation.stress
    if len(grid):
        counted = grid[grid["counts"].astype(bool) & grid["evaluable"].astype(bool)]
        columns = [c for c in counted.columns if c not in _NOT_PARAMETERS]
        for _, row in counted.iterrows():
            value = float(row["value"])
            parameters = {c: (None if pd.isna(row[c]) else row[c]) for c in columns}
            parameters = {c: (int(v) if isinstance(v, float) and v.is_integer() else v)
                          for c, v in parameters.items() if v is not None}
            end = row.get("end_year")
            perturbations.append(Evaluation(
                parameters=parameters, result=Interval(value, value, value, str(row["unit"])),
                holds=None if pd.isna(row["holds"]) else bool(row["holds"]), weight=1.0,
                real_time=bool(pd.isna(end) or int(end) <= LAST_REAL_TIME_YEAR),
                arithmetic=_pair(str(row["arithmetic"])) if isinstance(row["arithmetic"], str) else None))
    n = len(perturbations)
    robustness = (sum(1 for p in perturbations if p.holds) / n) if n else None
    headline = None
    trends = evaluation.trends
    if trends is not None:
        frames = [trends.region_series.dropna().rename("value").rename_axis("year").reset_index()
                  .assign(series=region_name)]
        if trends.comparator_series is not None:
            frames.append(trends.comparator_series.dropna().rename("value").rename_axis("year").reset_index()
                          .assign(series=_pair(trends.comparator_label)))
        headline = pd.concat(frames, ignore_index=True)[["year", "series", "value"]]
    return ClaimCheck(
        claim_id=claim.id, region=region, region_name=region_name, kind=test.kind,
        verdict=_LABELS[verdict.label], verdict_reason=_pair(verdict.evidence_en, verdict.evidence_nl),
        claimed=claimed, reading=reading, reading_text=reading_text, robustness=robustness,
        robustness_band=None, fairness=None, uniqueness=None, counter_argument=None, fairer_statement=None,
        ex_post=None, ex_post_text=None, perturbations=perturbations, headline_series=headline,
        registry_hash=registry_hash)
