"""Check one claim for one region: :func:`check` returns a :class:`~.result.ClaimCheck`.

From the registry alone: the kind's query template is evaluated at the claimant's reading (p0)
and at every perturbation (:mod:`.perturb`), the measures are computed over the real-time
perturbations (:mod:`.measures`), the verdict follows the one rule (:mod:`.verdict`), the ex-post
result is the reading with the registry's ``ex_post`` overrides (later data), and context items
(series that measure something else, subsets of the population) are evaluated and shown apart.

``overrides`` (``base_year``, ``end_year``, ``comparator``, or any other parameter of the claim's
kind) replace the reading's value; where that parameter is perturbed, the new value takes the old
reading's weight, so the space and its weights stay the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis.engine import decision, perturb, verdict
from analysis.engine import measures as measures_mod
from analysis.engine.kinds import KINDS
from analysis.engine.kinds.base import Ctx, level
from analysis.engine.overrides import split_overrides, with_overrides
from analysis.engine.registry import Claim, Registry, claim_regions, load_registry
from analysis.engine.result import (
    NOT_APPLICABLE,
    NOT_VERIFIABLE,
    ClaimCheck,
    ContextItem,
    Evaluation,
    Unevaluable,
)
from analysis.engine.tables import NoData, Tables
from analysis.i18n import Text

_TABLES: dict[str, Tables] = {}
_REGISTRIES: dict[tuple[str, float], Registry] = {}
_VALIDATED: set[tuple[int, int]] = set()


def tables_for(data_dir: Path | str | None = None) -> Tables:
    """The processed tables of ``data_dir`` (default data/processed), loaded once per folder."""
    key = str(Path(data_dir).resolve()) if data_dir else ""
    if key not in _TABLES:
        tables = Tables(Path(data_dir) if data_dir else None)
        own = tables.folder / "published_figures.csv"  # a data folder may bring its own figures
        if data_dir and own.exists():
            tables.figures_file = own
        _TABLES[key] = tables
    return _TABLES[key]


def registry_for(registry: Registry | Path | str | None = None,
                 tables: Tables | None = None) -> Registry:
    """A loaded registry (cached per file and modification time), validated against ``tables``."""
    if not isinstance(registry, Registry):
        from analysis.engine.registry import REGISTRY_FILE

        path = Path(registry) if registry else REGISTRY_FILE
        key = (str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)
        if key not in _REGISTRIES:
            _REGISTRIES[key] = load_registry(path)
        registry = _REGISTRIES[key]
    if tables is not None:
        tables.national_rows = dict(registry.meta.get("national_rows", {}))
    if tables is not None and (id(registry), id(tables)) not in _VALIDATED:
        from analysis.engine.registry import validate_against_data

        validate_against_data(registry, tables)
        _VALIDATED.add((id(registry), id(tables)))
    return registry


def _latest(ctx: Ctx, setting: dict[str, Any]) -> dict[str, Any]:
    """Replace 'latest' years by the last year the setting's data cover."""
    resolved = dict(setting)
    for name in ("end_year", "year"):
        if resolved.get(name) != "latest":
            continue
        if name == "year":
            frame = ctx.tables._enrolment
            rows = frame[frame["institution_code"].isin(list(setting["institutions"]))]
            resolved[name] = int(rows.groupby("institution_code")["year"].max().min())
        else:
            years = ctx.tables.jobs_years(str(setting.get("table", "")))
            if str(setting.get("nation", "corop_sum")) != "corop_sum":
                years = [y for y in years if y in set(ctx.tables.jobs_years(str(setting["nation"])))]
            resolved[name] = max(years) if years else None
    return resolved


def _headline_series(ctx: Ctx, setting: dict[str, Any]) -> pd.DataFrame | None:
    """Year, series, value (index, base year = 100) of the reading's series for the card chart."""
    if "sector" not in setting or setting.get("source") != "cbs" or not setting.get("base_year"):
        return None
    comparator = setting.get("comparator", "nation")
    rows = []
    for who in ("region", comparator):
        try:
            first = level(ctx, setting, who, int(setting["base_year"])).bound.mid
        except NoData:
            continue
        for year in ctx.tables.jobs_years(str(setting["table"])):
            try:
                value = level(ctx, setting, who, year).bound
            except NoData:
                continue
            if value.hi - value.lo > 0.05 * max(value.mid, 1.0):
                continue  # a bound, not a value: left out of the chart
            rows.append({"year": year, "series": who, "value": 100.0 * value.mid / first})
    return pd.DataFrame(rows, columns=["year", "series", "value"]) if rows else None


def _year_series(ctx: Ctx, setting: dict[str, Any]) -> pd.DataFrame | None:
    """For a claim about one year (a level, a share): the reading's value in every year the data
    hold, its year replaced, for the card chart; a year the data do not give, or give only as a
    wide bound, is a gap (no row)."""
    rows = []
    # a count of students is about the named institutions, not about the region they stand in
    series = "institutions" if "institutions" in setting else "region"
    for year in ctx.tables.years_held(enrolment="institutions" in setting):
        outcome = perturb.evaluate_raw(ctx, {**setting, "year": year})
        if isinstance(outcome, Unevaluable) or outcome.result.value is None:
            continue
        bound = outcome.result
        if bound.hi - bound.lo > 0.05 * max(abs(bound.value), 1.0):
            continue  # a bound, not a value: left out of the chart
        rows.append({"year": year, "series": series, "value": float(bound.value)})
    return pd.DataFrame(rows, columns=["year", "series", "value"]) if rows else None


def _card_series(ctx: Ctx, claim: Claim, reading: Evaluation | None) -> pd.DataFrame | None:
    """The card chart's series: an index of the reading's series for a change, the value per year
    for a claim about one year (a kind with a ``year`` parameter)."""
    if "year" in KINDS[claim.kind].PARAMS:
        return _year_series(ctx, reading.parameters) if reading is not None else None
    return _headline_series(ctx, claim.reading)


def _context(ctx: Ctx, claim: Claim) -> list[ContextItem]:
    items = []
    for item in claim.context:
        setting = _latest(ctx, {**claim.reading, **item.get("set", {})})
        result = perturb.evaluate(ctx, setting, 0.0)
        name = {"nl": item.get("label_nl", ""), "en": item.get("label_en", "")}
        label = Text("engine.text", {"text": name}) if name["nl"] else perturb.label(ctx, setting)
        if isinstance(result, Unevaluable):
            items.append(ContextItem(label=label, result=perturb.Interval(None, None, None, ""),
                                     role=item.get("role", "context"), parameters=setting,
                                     note=result.reason))
        else:
            items.append(ContextItem(label=label, result=result.result,
                                     role=item.get("role", "context"), parameters=result.parameters,
                                     note=result.statement))
    return items


def _empty(claim: Claim, region: str, name: str, registry: Registry, code: str,
           reason: Text) -> ClaimCheck:
    return ClaimCheck(
        claim_id=claim.id, region=region, region_name=name, kind=claim.kind, verdict=code,
        verdict_reason=reason, claimed=None, reading=None, reading_text=None, robustness=None,
        robustness_band=None, fairness=None, uniqueness=None, counter_argument=None,
        fairer_statement=None, ex_post=None, ex_post_text=None, registry_hash=registry.hash,
        claim_date=claim.date.isoformat(), verdict_rule=verdict.rule_text(registry.meta))


def check(claim_id: str, region: str | None = None, registry: Registry | Path | str | None = None,
          data_dir: Path | str | None = None, *, lean: bool = False, **overrides: Any) -> ClaimCheck:
    """Evaluate ``claim_id`` for ``region`` (default: the claim's own region, ``[[claim]] region``
    or the registry's ``[meta] region``).

    ``lean=True`` (for the league) computes the verdict and the measures but no texts of the
    perturbations, no counter-argument, no context, no ex post and no headline series."""
    tables = tables_for(data_dir)
    registry = registry_for(registry, tables)
    region = region or registry.claim(claim_id).region
    regions = claim_regions(tables)
    if region not in regions:
        listing = "; ".join(f"{code} {name}" for code, name in regions.items())
        raise ValueError(f"unknown region code {region!r}; valid codes (nation, provinces, COROP "
                         f"regions): {listing}")
    _, ignored = split_overrides(registry.claim(claim_id), overrides)
    claim = with_overrides(registry.claim(claim_id), overrides)
    ctx = Ctx(tables, registry, claim, region)
    name = ctx.region_name
    if claim.applies_to is not None and region not in claim.applies_to:
        names = ", ".join(ctx.tables.region_names().get(r, r) for r in claim.applies_to)
        return _empty(claim, region, name, registry, NOT_APPLICABLE,
                      Text("engine.reason.not_applicable", {"regions": names}))
    if claim.kind == "not_verifiable":
        return _empty(claim, region, name, registry, NOT_VERIFIABLE, Text("engine.reason.not_verifiable", {
            "reason": claim.text("reason"), "settled_by": claim.text("settled_by")}))
    reading, perturbations, unevaluable, space = perturb.evaluate_all(ctx, texts=not lean)
    reading_eval = reading if isinstance(reading, Evaluation) else None
    if reading_eval is not None and not reading_eval.real_time:
        reading_eval = None  # the reading must rest on data public by the claim's date
        unevaluable.insert(0, Unevaluable(reading.parameters, Text("engine.nodata.not_public", {})))
    if isinstance(reading, Unevaluable):
        unevaluable.insert(0, reading)
    measured = measures_mod.compute(reading_eval, perturbations, space,
                                    [axis.weights for axis in claim.axes], claim.time_axes)
    missing = unevaluable[0].reason if reading_eval is None and unevaluable else None
    revision = decision.revision_miss(reading_eval, claim, tables, registry)
    code, reason = verdict.decide(reading_eval, measured, registry.meta, missing,
                                  within_revision=revision is not None and revision.within)
    facts, deciding_text, deciding_detail, limit = decision.deciding(reading_eval, measured, code, reason,
                                                    registry.meta, revision)
    ex_post = ex_post_text = None
    if claim.ex_post and not lean:
        setting = _latest(ctx, {**claim.reading, **claim.ex_post})
        result = perturb.evaluate(ctx, setting, 1.0)
        if isinstance(result, Evaluation):
            ex_post = result
            ex_post_text = Text("engine.ex_post." + _ex_post_outcome(result),
                                {"statement": result.statement})
        else:
            ex_post_text = Text("engine.ex_post.unevaluable", {"reason": result.reason})
    from analysis.engine.claimed import claimed_interval

    claimed = None
    if claim.claimed:
        bound = claimed_interval(claim.claimed, claim.id, str(claim.reading.get("precision", "stated")))
        claimed = perturb.Interval(bound.value, bound.lo, bound.hi,
                                   str(claim.claimed.get("unit", "")))
    return ClaimCheck(
        claim_id=claim.id, region=region, region_name=name, kind=claim.kind, verdict=code,
        verdict_reason=reason, claimed=claimed, reading=reading_eval,
        reading_text=Text("engine.text", {"text": claim.text("reading")}) if claim.text("reading") else None,
        robustness=measured.robustness, robustness_band=measured.band, fairness=measured.fairness,
        uniqueness=measured.uniqueness, counter_argument=measured.counter_argument,
        fairer_statement=measured.fairer_statement, ex_post=ex_post, ex_post_text=ex_post_text,
        perturbations=perturbations, unevaluable=unevaluable,
        context=[] if lean else _context(ctx, claim),
        headline_series=None if lean else _card_series(ctx, claim, reading_eval),
        extras={"n_distinct": measured.n_distinct, "ignored_overrides": ignored,
                "claim_text": {"nl": claim.text_nl, "en": claim.text_en}},
        registry_hash=registry.hash, claim_date=claim.date.isoformat(),
        fairness_unit=_points(reading_eval.result.unit) if reading_eval else "",
        verdict_rule=verdict.rule_text(registry.meta), deciding=facts, deciding_text=deciding_text,
        deciding_detail=deciding_detail,
        caveats=decision.caveats(reading_eval, measured, code),
        sensitivity=verdict.sensitivity(reading_eval, measured, registry.meta,
                                        revision is not None and revision.within),
        weight_range=measured.weight_range, joint_limit=limit)


def _ex_post_outcome(result: Evaluation) -> str:
    """How later data bear on the claim: held, failed, open, or, for a number that later lies
    wholly above or below the claimed interval, moved on (which does not refute a claim about
    its own date)."""
    if result.holds is False and result.facts and all(f.test == "within" and f.claimed is not None
                                                       for f in result.facts):
        if all(f.value.low is not None and f.value.low > f.claimed.high for f in result.facts):
            return "rose_further"
        if all(f.value.high is not None and f.value.high < f.claimed.low for f in result.facts):
            return "fell_further"
    return {True: "held", False: "failed", None: "open"}[result.holds]


def _points(unit: str) -> str:
    """Differences of percentages are percentage points."""
    return unit.replace("percent", "percentage points", 1) if unit.startswith("percent") \
        and "points" not in unit else unit


def check_all(region: str | None = None, registry: Registry | Path | str | None = None,
              data_dir: Path | str | None = None) -> dict[str, ClaimCheck]:
    """:func:`check` for every registered claim (each for its own region unless ``region`` is given)."""
    tables = tables_for(data_dir)
    loaded = registry_for(registry, tables)
    return {cid: check(cid, region, loaded, data_dir) for cid in loaded.claims}

