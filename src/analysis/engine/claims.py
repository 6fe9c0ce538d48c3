"""The claim engine: the claim registry and one call per claim from data to verdict.

``evaluate_claim("industry-decline")`` returns a :class:`ClaimEvaluation` with the claim record,
the headline reproduction (numbers, arithmetic, the published value it is compared with and the
difference in plain words), the stress-test table (:func:`analysis.engine.stress.spec_grid`), trend
results (:mod:`analysis.stats.trends`), a placebo rank among the COROP regions and the verdict
(:mod:`analysis.engine.verdicts`). ``evaluate_all()`` does this for every registered claim.

The registry lives in ``data/claims.toml`` (read by :func:`load_claims`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.paths import PACKAGE_DATA

if TYPE_CHECKING:  # the engine modules import statsmodels; load them only when evaluating
    from analysis.engine.stress import PlaceboResult
    from analysis.engine.verdicts import Verdict
    from analysis.stats.trends import BreakResult, CounterfactualResult, TrendResult

CLAIMS_FILE = PACKAGE_DATA / "claims.toml"
HTSM_DEFINITION_FILE = PACKAGE_DATA / "htsm_definition.csv"
TEST_KINDS = ("both_decline", "growth_vs_decline", "value_within", "faster_growth", "none")


# --- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operationalisation:
    """One way to compute what the claim asserts (registry ``[[claim.operationalisation]]``).

    ``params`` holds the remaining, kind-specific fields (``sbi``, ``national``, ``figures``,
    ``reading``, ``base_level``, ``national_growth``, ``institutions``, ``year``, ...).
    """

    id: str
    quantity: str
    dataset: str
    region: str
    comparator: str
    base: int | None
    end: int | None
    definition: str
    tolerance: str
    period_matches_claim: bool
    period_note: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class ClaimTest:
    """How one specification is judged (registry ``[claim.test]``)."""

    kind: str
    target: float = math.nan
    tolerance: float = 0.0
    threshold: float = 0.0
    direction: str = ""
    why: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim of the article, as registered."""

    id: str
    order: int
    title: str
    text_nl: str
    text_en: str
    asserts: str
    measurement: str  # direct | proxy | none
    region_specific: bool
    source: dict[str, str]
    published_values: tuple[dict[str, Any], ...]
    published_figures: tuple[str, ...]
    test: ClaimTest
    operationalisations: tuple[Operationalisation, ...]
    grid: dict[str, Any] = field(default_factory=dict)
    trends: dict[str, Any] = field(default_factory=dict)
    placebo: dict[str, Any] = field(default_factory=dict)
    published_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def published_text(self) -> str:
        """The claim's numbers as published, e.g. 'groei van 3%; landelijk sprake van een daling'."""
        return "; ".join(v["text"] for v in self.published_values)

    @property
    def uses_jobs(self) -> bool:
        return self.id not in ("technical-students", "participation")


_OPERATIONALISATION_FIELDS = ("id", "quantity", "dataset", "region", "comparator", "base", "end",
                              "definition", "tolerance", "period_matches_claim", "period_note")
_CLAIM_FIELDS = ("id", "order", "title", "text_nl", "text_en", "asserts", "measurement",
                 "region_specific", "source", "published_values", "published_figures", "test",
                 "operationalisation", "grid", "trends", "placebo", "published_note")


def _operationalisation(record: dict[str, Any], claim_id: str) -> Operationalisation:
    missing = [k for k in ("id", "quantity", "dataset", "definition", "tolerance",
                           "period_matches_claim") if k not in record]
    if missing:
        raise ValueError(f"claim {claim_id}: operationalisation {record.get('id')} lacks {missing}")
    return Operationalisation(
        id=record["id"], quantity=record["quantity"], dataset=record["dataset"],
        region=record.get("region", ""), comparator=record.get("comparator", ""),
        base=record.get("base"), end=record.get("end"), definition=record["definition"],
        tolerance=record["tolerance"], period_matches_claim=bool(record["period_matches_claim"]),
        period_note=record.get("period_note", ""),
        params={k: v for k, v in record.items() if k not in _OPERATIONALISATION_FIELDS},
    )


def _claim(record: dict[str, Any]) -> Claim:
    cid = record.get("id", "?")
    missing = [k for k in ("id", "text_nl", "text_en", "asserts", "measurement", "source",
                           "published_values", "test") if k not in record]
    if missing:
        raise ValueError(f"claim {cid} lacks {missing}")
    test = dict(record["test"])
    if test.get("kind") not in TEST_KINDS:
        raise ValueError(f"claim {cid}: unknown test kind {test.get('kind')!r}; one of {TEST_KINDS}")
    if record["measurement"] != "none" and not record.get("operationalisation"):
        raise ValueError(f"claim {cid}: a verifiable claim needs at least one operationalisation")
    return Claim(
        id=cid, order=int(record.get("order", 0)), title=record.get("title", cid),
        text_nl=record["text_nl"], text_en=record["text_en"], asserts=record["asserts"],
        measurement=record["measurement"], region_specific=bool(record.get("region_specific")),
        source=dict(record["source"]), published_values=tuple(record["published_values"]),
        published_figures=tuple(record.get("published_figures", ())),
        test=ClaimTest(kind=test["kind"], target=float(test.get("target", math.nan)),
                       tolerance=float(test.get("tolerance", 0.0)),
                       threshold=float(test.get("threshold", 0.0)),
                       direction=test.get("direction", ""), why=test.get("why", "")),
        operationalisations=tuple(_operationalisation(o, cid)
                                  for o in record.get("operationalisation", ())),
        grid=dict(record.get("grid", {})), trends=dict(record.get("trends", {})),
        placebo=dict(record.get("placebo", {})), published_note=record.get("published_note", ""),
        extra={k: v for k, v in record.items() if k not in _CLAIM_FIELDS},
    )


@lru_cache(maxsize=4)
def _read_registry(path: Path) -> tuple[dict[str, Any], tuple[Claim, ...]]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    # entries without the old "test" table are v2-only claims (analysis.engine.check): skipped here
    claims = tuple(sorted((_claim(r) for r in data.get("claim", ()) if "test" in r),
                          key=lambda c: c.order))
    ids = [c.id for c in claims]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate claim ids in {ids}")
    return dict(data.get("meta", {})), claims


def load_claims(path: Path | None = None) -> dict[str, Claim]:
    """Every registered claim by id, in the article's order."""
    return {c.id: c for c in _read_registry(path or CLAIMS_FILE)[1]}


def load_meta(path: Path | None = None) -> dict[str, Any]:
    """The registry's ``[meta]`` table (article, reference years, focal region)."""
    return dict(_read_registry(path or CLAIMS_FILE)[0])


def get_claim(claim_id: str, path: Path | None = None) -> Claim:
    """One claim; KeyError listing the registered ids otherwise."""
    claims = load_claims(path)
    if claim_id not in claims:
        raise KeyError(f"unknown claim {claim_id!r}; registered: {', '.join(claims)}")
    return claims[claim_id]


def load_htsm_definition(path: Path | None = None) -> pd.DataFrame:
    """The candidate HTSM code list (unverified) with its narrow/broad variants and confidence."""
    frame = pd.read_csv(path or HTSM_DEFINITION_FILE, dtype=str, keep_default_na=False)
    for column in ("narrow", "broad", "verified"):
        frame[column] = frame[column].str.lower() == "true"
    return frame


# --- evaluation ------------------------------------------------------------------------------------
# stress imports the registry above, so the engine modules are imported inside the functions below.


@dataclass(frozen=True, eq=False)
class Reproduction:
    """The headline reproduction: the first operationalisation the data can evaluate.

    ``values`` holds the headline numbers (``region_value``, ``comparator_value``, ``value``);
    ``arithmetic`` the computation in numbers; ``difference`` the reproduced minus the published
    value in the published unit (NaN where the claim has no number). ``within_tolerance`` is the
    claim's test on this operationalisation; ``reproduced`` additionally needs the period the claim
    states. ``skipped`` lists the operationalisations the data could not evaluate, with the reason.
    """

    operationalisation: Operationalisation
    values: dict[str, float]
    unit: str
    arithmetic: str
    published_text: str
    published_value: float
    difference: float
    within_tolerance: bool | None
    period_matches_claim: bool
    reproduced: bool | None
    explanation: str
    skipped: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"operationalisation": self.operationalisation.id, **self.values,
                "unit": self.unit, "published": self.published_text,
                "published_value": self.published_value, "difference": self.difference,
                "within_tolerance": self.within_tolerance, "reproduced": self.reproduced,
                "arithmetic": self.arithmetic}


@dataclass(frozen=True, eq=False)
class TrendSet:
    """Trend results for one series of the region and its comparator (:mod:`analysis.stats.trends`).

    ``region_trend``/``comparator_trend``/``difference`` cover ``first_year``..``break_year``;
    ``segmented`` the whole series with a break at ``break_year``; ``counterfactual`` projects the
    years after ``break_year`` from a fit on the years up to and including it. A part the data do
    not allow is None and ``notes`` says why.
    """

    label: str
    region_series: pd.Series
    comparator_series: pd.Series | None
    comparator_label: str
    first_year: int
    break_year: int
    region_trend: TrendResult | None = None
    comparator_trend: TrendResult | None = None
    difference: TrendResult | None = None
    segmented: BreakResult | None = None
    counterfactual: CounterfactualResult | None = None
    notes: tuple[str, ...] = ()

    def summary_text(self) -> str:
        parts = [r.summary_text() for r in (self.region_trend, self.comparator_trend,
                                            self.difference, self.segmented, self.counterfactual)
                 if r is not None]
        return " ".join(parts + list(self.notes))


@dataclass(frozen=True, eq=False)
class ClaimEvaluation:
    """Everything the engine found about one claim, for one region and comparator."""

    claim: Claim
    region: str
    comparator: str
    applicable: bool
    reason: str
    reproduction: Reproduction | None
    stress: pd.DataFrame
    trends: TrendSet | None
    placebo: PlaceboResult | None
    tables: dict[str, pd.DataFrame]  # claim-specific: 'consistency', 'shares_by_year', 'locations'
    verdict: Verdict | None
    explanation: str

    @property
    def n_specifications(self) -> int:
        return len(self.stress)

    def summary(self) -> dict[str, object]:
        """One row for an overview table."""
        verdict = self.verdict
        return {
            "claim_id": self.claim.id, "region": self.region, "comparator": self.comparator,
            "applicable": self.applicable,
            "verdict": verdict.label if verdict else "", "verdict_nl": verdict.label_nl if verdict else "",
            "reproduced": self.reproduction.reproduced if self.reproduction else None,
            "headline": self.reproduction.arithmetic if self.reproduction else self.reason,
            "published": self.claim.published_text,
            "specifications": self.n_specifications,
            "share_holds": verdict.numbers.get("share_holds") if verdict else math.nan,
        }


def _nl(text: str) -> str:
    """English number style -> Dutch: '1,800.5' -> '1.800,5' (thousands dot, decimal comma)."""
    return text.translate(str.maketrans({",": ".", ".": ","}))


def _num(value: float, decimals: int = 1, signed: bool = True) -> str:
    from analysis.stats.growth import format_number, format_signed
    return (format_signed if signed else format_number)(value, decimals)


def _source_label(op: Operationalisation) -> str:
    """'Twente Index 2016' for a published figure, 'CBS 83582NED, SBI B-E' for a CBS proxy."""
    if op.dataset.startswith("published"):
        return op.dataset.removeprefix("published: ")
    return f"CBS {op.dataset.removeprefix('cbs-')}, SBI {op.get('sbi')}"


def _reproduce(claim: Claim, ctx: Any, base_year: int | None,
               end_year: int | None) -> Reproduction | None:
    """Evaluate the operationalisations in order; the first evaluable one is the headline."""
    from analysis.engine import stress

    skipped = []
    for op in claim.operationalisations:
        spec = stress.spec_from_operationalisation(claim, op, ctx)
        if spec["family"] in ("CBS change", "CBS trend", "proxy gain") and (base_year or end_year):
            spec["base_year"] = base_year or spec["base_year"]
            spec["end_year"] = end_year or spec["end_year"]
            op = replace(op, base=spec["base_year"], end=spec["end_year"],
                         definition=f"{op.definition} (period set to "
                                    f"{spec['base_year']}-{spec['end_year']})")
        elif spec["family"] == "DUO share" and end_year is not None:
            spec["year"] = end_year
            op = replace(op, definition=f"{op.definition} (year set to {end_year})",
                         params={**op.params, "year": end_year})
        needs = {"DUO share": "enrolment", "CBS change": "jobs", "CBS trend": "jobs",
                 "proxy gain": "jobs"}.get(spec["family"])
        if needs and getattr(ctx, needs) is None:
            skipped.append(f"{op.id}: no {needs} table")
            continue
        rec = stress.evaluate_spec(ctx, claim, spec)
        if not rec["evaluable"]:
            skipped.append(f"{op.id}: {rec['note'] or 'not evaluable'}")
            continue
        test = claim.test
        published = (claim.published_values[0]["value"] if claim.published_values else math.nan)
        if test.kind in ("value_within", "growth_vs_decline"):
            reproduced_value = rec["value"] if test.kind == "value_within" else rec["region_value"]
            difference = reproduced_value - test.target
        else:
            difference = math.nan
        within = rec["holds"]
        reproduced = None if within is None else bool(within and op.period_matches_claim)
        values = {k: float(rec[k]) for k in ("region_value", "comparator_value", "value")}
        return Reproduction(
            operationalisation=op, values=values, unit=rec["unit"], arithmetic=rec["arithmetic"],
            published_text=claim.published_text, published_value=float(published),
            difference=difference, within_tolerance=within,
            period_matches_claim=op.period_matches_claim, reproduced=reproduced,
            explanation=_reproduction_explanation(claim, op, rec, difference, within, skipped),
            skipped=tuple(skipped))
    return None


def _reproduction_explanation(claim: Claim, op: Operationalisation, rec: dict[str, Any],
                              difference: float, within: bool | None, skipped: list[str]) -> str:
    """Plain words: what was computed, how it compares, why it may differ."""
    test = claim.test
    lines = [f"Headline ({op.id}): {op.definition}. {rec['arithmetic']}."]
    if test.kind == "both_decline":
        r, c = rec["region_value"], rec["comparator_value"]
        fell = "both fell" if r < 0 and c < 0 else "they did not both fall"
        lines.append(f"The claim gives no number; {fell} ({_num(r)}% and {_num(c)}%), and 'fors' "
                     f"is read as a fall of at least {test.threshold:g}%: "
                     + ("both meet it." if within else "not both meet it."))
    elif test.kind == "growth_vs_decline":
        lines.append(f"Published: {claim.published_text}. Reproduced {_num(rec['region_value'])}% "
                     f"against +{test.target:g}% (difference {_num(difference)} points, tolerance "
                     f"±{test.tolerance:g}); comparator {_num(rec['comparator_value'])}%"
                     + (" (a decline)." if rec["comparator_value"] < 0 else " (not a decline)."))
    elif test.kind == "value_within":
        unit = "points" if rec["unit"] == "percent" else rec["unit"]
        lines.append(f"Published: {claim.published_text}. Reproduced {_num(rec['value'], 1, False)} "
                     f"({_num(difference)} {unit} off; tolerance ±{test.tolerance:g}): "
                     + ("within tolerance." if within else "outside the tolerance."))
    elif test.kind == "faster_growth":
        lines.append(f"The claim gives no number; the region grew {_num(rec['region_value'], 2)}% "
                     f"a year against {_num(rec['comparator_value'], 2)}% for the comparator: "
                     + ("faster." if within else "not faster, or not growing."))
    if not op.period_matches_claim:
        lines.append(f"This is not a reproduction of the claim as stated: {op.period_note}.")
    if skipped:
        lines.append("Not evaluable first: " + "; ".join(skipped) + ".")
    return " ".join(lines)


def _trend_set(claim: Claim, ctx: Any, break_year: int) -> TrendSet | None:
    """Trend, trend difference, segmented trend and counterfactual for the claim's trend series."""
    from analysis.engine import series as ser
    from analysis.stats import trends

    spec = claim.trends
    if not spec or ctx.jobs is None:
        return None
    sbi, first = spec.get("series", "B-E"), int(spec.get("first_year", 2010))
    region = ser.jobs_series(ctx.jobs, ctx.region, sbi)
    region = region.loc[first:].rename(f"{ctx.region_name}, SBI {sbi}")
    notes: list[str] = []
    if ctx.comparator == ser.NATIONAL and spec.get("comparator") == "like-for-like":
        balanced = ser.balanced_sum(ctx.jobs, sbi, region.index)
        comparator = balanced.values
        label = f"{ctx.comparator_name} like-for-like, SBI {sbi}"
        notes.append(f"Comparator: {balanced.description}.")
    else:
        comparator = ser.jobs_series(ctx.jobs, ctx.comparator, sbi).loc[first:]
        label = f"{ctx.comparator_name}, SBI {sbi}"
    comparator = comparator.rename(label)
    results: dict[str, Any] = {}
    attempts = {
        "region_trend": lambda: trends.loglinear_trend(region.loc[:break_year]),
        "comparator_trend": lambda: trends.loglinear_trend(comparator.loc[:break_year]),
        "difference": lambda: trends.trend_difference(region.loc[:break_year],
                                                      comparator.loc[:break_year],
                                                      region_name=ctx.region_name,
                                                      comparator_name=label),
        "segmented": lambda: trends.segmented_trend(region, break_year),
        "counterfactual": lambda: trends.counterfactual(region, break_year + 1),
    }
    for name, attempt in attempts.items():
        try:
            results[name] = attempt()
        except ValueError as exc:
            results[name] = None
            notes.append(f"{name.replace('_', ' ')}: {exc}.")
    return TrendSet(label=f"SBI {sbi}", region_series=region, comparator_series=comparator,
                    comparator_label=label, first_year=first, break_year=break_year,
                    notes=tuple(notes), **results)


def _placebo(claim: Claim, ctx: Any) -> PlaceboResult | None:
    from analysis.engine import stress

    spec = claim.placebo
    if not spec or ctx.jobs is None:
        return None
    sbi, base, end = spec["series"], int(spec["base"]), int(spec["end"])
    if spec["metric"] == "trend":
        metric = stress.trend_metric(sbi, base, end)
        label = f"average annual growth of SBI {sbi} {base}-{end} (%)"
    else:
        metric = stress.change_metric(sbi, base, end)
        label = f"change in SBI {sbi} jobs {base}-{end} (%)"
    try:
        return stress.placebo_rank(ctx.jobs, metric, ctx.region, alternative=spec["alternative"],
                                   label=label)
    except ValueError:
        return None  # e.g. the region's own series is suppressed in these years


def _student_tables(claim: Claim, ctx: Any) -> dict[str, pd.DataFrame]:
    """Technical share per year: pooled, Saxion, UT; all locations and Twente only."""
    from analysis.engine import series as ser

    columns = {}
    names = {"+".join(claim.extra["institutions"]): "pooled"}
    for institutions in claim.grid.get("institution_sets", []):
        key = "+".join(institutions)
        label = names.get(key, key)
        for locations in claim.grid.get("locations", ["all"]):
            municipalities = claim.extra["twente_municipalities"] if locations == "twente" else None
            table = ser.technical_share(ctx.enrolment, institutions, sectors=claim.extra["sectors"],
                                        municipalities=municipalities)
            share = table["share"].where(table["note"] == "")
            columns[f"{label}_{locations}"] = share
    frame = pd.DataFrame(columns).sort_index()
    frame.index.name = "year"
    target, tolerance = claim.test.target, claim.test.tolerance
    frame["pooled_all_matches"] = (frame["pooled_all"] - target).abs() <= tolerance + 1e-9
    # where each institution teaches, per edition and year (checks the Twente-only filter)
    places = pd.concat({code: ser.locations(ctx.enrolment, code)
                        for code in claim.extra["institutions"]}, names=["institution_code"])
    return {"shares_by_year": frame, "locations": places.fillna(0).astype(int)}


def _locations_text(claim: Claim, ctx: Any) -> str:
    """Which teaching municipalities the data hold per institution, and which lie in Twente."""
    twente = set(claim.extra["twente_municipalities"])
    parts = []
    for code in claim.extra["institutions"]:
        rows = ctx.enrolment[(ctx.enrolment["institution_code"] == code)
                             & (ctx.enrolment["students"].fillna(0) > 0)]
        places = sorted(set(rows["municipality"]))
        inside = [p for p in places if p in twente]
        parts.append(f"{code} teaches in {', '.join(places)} (in Twente: {', '.join(inside) or 'none'})")
    return "Teaching locations in the data: " + "; ".join(parts) + "."


def _consistency_table(claim: Claim, ctx: Any) -> pd.DataFrame:
    """For each published base level B: which reading of 'relatief' gives ~1,800 jobs.

    absolute reading: gain = B × g (g = the claim's +3%); it equals the target only if
    B = target / g. relative reading (shift-share): gain = B × (g − n); it equals the target
    when the national growth n = g − target / B; the table gives the range of n within the
    tolerance and which published national growth figures fall in it.
    """
    from analysis.engine import stress

    target, tolerance = claim.test.target, claim.test.tolerance
    growth = float(claim.grid.get("region_growth", 3.0))
    nationals = {nid: stress.figure(ctx.figures, nid) for nid in claim.grid.get("national_growth", [])}
    rows = []
    for level_id in claim.grid.get("base_levels", []):
        level = stress.figure(ctx.figures, level_id)
        b = level.value
        low_n = growth - 100 * (target + tolerance) / b
        high_n = growth - 100 * (target - tolerance) / b
        consistent = [nid for nid, fig in nationals.items() if low_n - 1e-9 <= fig.value <= high_n + 1e-9]
        absolute = b * growth / 100
        rows.append({
            "base_level_id": level_id, "base_level": b, "base_level_label": level.label,
            "absolute_gain": absolute,
            "absolute_consistent": abs(absolute - target) <= tolerance + 1e-9,
            "growth_needed_absolute_pct": 100 * target / b,
            "base_needed_absolute": 100 * target / growth,
            "national_growth_needed_pct": growth - 100 * target / b,
            "national_growth_range_pct": f"{low_n:.2f} to {high_n:.2f}",
            "published_national_consistent": ", ".join(consistent),
        })
    return pd.DataFrame(rows)


FAMILY_GROUPS = {  # spec-grid family -> (English, Dutch) label of the evidence it is
    "published change": ("published figures", "gepubliceerde cijfers"),
    "published trend": ("published figures", "gepubliceerde cijfers"),
    "published gain": ("published figures", "gepubliceerde cijfers"),
    "CBS change": ("CBS proxies", "CBS-benaderingen"),
    "CBS trend": ("CBS proxies", "CBS-benaderingen"),
    "proxy gain": ("CBS proxies", "CBS-benaderingen"),
    "DUO share": ("DUO enrolment", "DUO-inschrijvingen"),
}


def _by_family(counted: pd.DataFrame) -> tuple[str, str, dict[str, float]]:
    """'published figures 1 of 3, CBS proxies 0 of 22' (and in Dutch), from the counted rows."""
    groups: dict[tuple[str, str], list[int]] = {}
    for family, holds in zip(counted["family"], counted["holds"].fillna(False), strict=True):
        tally = groups.setdefault(FAMILY_GROUPS.get(family, (family, family)), [0, 0])
        tally[0] += int(bool(holds))
        tally[1] += 1
    en = ", ".join(f"{en} {k} of {m}" for (en, _), (k, m) in groups.items())
    nl = ", ".join(f"{nl} {k} van {m}" for (_, nl), (k, m) in groups.items())
    numbers = {f"holds_{en.replace(' ', '_')}": float(k) for (en, _), (k, _m) in groups.items()}
    numbers.update({f"n_{en.replace(' ', '_')}": float(m) for (en, _), (_k, m) in groups.items()})
    return en, nl, numbers


def _htsm_definition_table(ctx: Any) -> pd.DataFrame:
    """The candidate HTSM code list with the data available offline for each code.

    The regional CBS table stops at SBI sections, so no variant (narrow/broad) can be selected
    for a region; the stress grid's proxies stand in: C for the narrow manufacturing core
    (divisions 24-30 lie in C), C+J+M for the broad variant (62 lies in J, 71-72 in M).
    """
    table = load_htsm_definition()
    national = {fid.split("_")[1].removeprefix("sbi") for fid in ctx.figures.index
                if fid.startswith("cbs83583_sbi")}
    table["section"] = table["sbi_code"].map(_section_of)
    table["data_offline"] = [
        "national series (CBS 83583NED, published_figures.csv); no regional series"
        if code.split(" ")[0] in national else "none (regional CBS tables stop at SBI sections)"
        for code in table["sbi_code"]]
    return table


def _section_of(code: str) -> str:
    """SBI 2008 division -> section letter (C: 10-33, J: 58-63, M: 69-75) for the HTSM codes."""
    division = int(code.split(".")[0].split(" ")[0])
    for letter, (low, high) in {"C": (10, 33), "J": (58, 63), "M": (69, 75)}.items():
        if low <= division <= high:
            return letter
    return ""


def _evidence(claim: Claim, ctx: Any, repro: Reproduction | None, grid: pd.DataFrame,
              counts: dict[str, int], trend_set: TrendSet | None,
              tables: dict[str, pd.DataFrame]) -> tuple[str, str, dict[str, float]]:
    """One evidence sentence in English and in Dutch, and the headline numbers."""
    n, holds, direction = counts["n_specs"], counts["n_holds"], counts["n_direction"]
    numbers: dict[str, float] = {}
    if repro is not None:
        numbers.update({f"headline_{k}": v for k, v in repro.values.items()})
    op = repro.operationalisation if repro else None
    r = repro.values["region_value"] if repro else math.nan
    c = repro.values["comparator_value"] if repro else math.nan
    region, comp = ctx.region_name, ctx.comparator_name
    counted = grid[grid["counts"].astype(bool)] if len(grid) else grid
    if claim.id == "industry-decline" and repro is not None:
        sbi = repro.operationalisation.get("sbi")
        en = (f"From {op.base} to {op.end} employee jobs in SBI {sbi} fell {_num(-r, 1, False)}% in {region} and "
              f"{_num(-c, 1, False)}% in {comp}; both fell in {direction} of {n} specifications, "
              f"both by at least {claim.test.threshold:g}% in {holds}.")
        nl = (f"Van {op.base} tot {op.end} daalde het aantal banen van werknemers in SBI {sbi} met "
              f"{_nl(_num(-r, 1, False))}% in {region} en {_nl(_num(-c, 1, False))}% in {comp}; "
              f"beide daalden in {direction} van {n} specificaties, beide met minstens "
              f"{claim.test.threshold:g}% in {holds}.")
    elif claim.id == "htsm-growth":
        sbi28 = counted[counted.get("national", pd.Series(dtype=str)) == "SBI 28 (83583NED)"] \
            if "national" in counted else counted.iloc[0:0]
        rise = sbi28["comparator_value"].dropna()
        extra_en = (f"; national SBI 28 machine-industry jobs rose {_num(rise.min(), 1, False)}–"
                    f"{_num(rise.max(), 1, False)}%" if len(rise) else "")
        extra_nl = (f"; de landelijke banen in SBI 28 machine-industrie stegen "
                    f"{_nl(_num(rise.min(), 1, False))}–{_nl(_num(rise.max(), 1, False))}%"
                    if len(rise) else "")
        source = _source_label(op) if repro else ""
        published = bool(repro) and op.dataset.startswith("published")
        what_en = "the nearest published figure" if published else "the closest CBS proxy"
        what_nl = "het dichtstbijzijnde gepubliceerde cijfer" if published else \
            "de dichtstbijzijnde CBS-benadering"
        headline_en = (f"{what_en} ({source}, {op.base}–{op.end}) has {region} {_num(r, 1)}% and "
                       f"{comp} {_num(c, 1)}%" if repro else "no headline could be evaluated")
        headline_nl = (f"{what_nl} ({source}, {op.base}–{op.end}) geeft {region} "
                       f"{_nl(_num(r, 1))}% en {comp} {_nl(_num(c, 1))}%" if repro
                       else "geen hoofdreproductie mogelijk")
        families_en, families_nl, family_numbers = _by_family(counted)
        numbers.update(family_numbers)
        en = (f"No open series measures HTSM in {region}; {headline_en}, but the claim holds in "
              f"{holds} of {n} specifications ({families_en}){extra_en}.")
        nl = (f"Geen open reeks meet HTSM in {region}; {headline_nl}, maar de bewering klopt in "
              f"{holds} van {n} specificaties ({families_nl}){extra_nl}.")
    elif claim.id == "htsm-relative-jobs" and len(tables.get("consistency", ())):
        table = tables["consistency"]
        absolute = table["absolute_gain"] if len(table) else pd.Series(dtype=float)
        needed = float(table["base_needed_absolute"].iloc[0]) if len(table) else math.nan
        consistent = [fid for ids in table.get("published_national_consistent", []) for fid in
                      ids.split(", ") if fid]
        numbers.update({"absolute_gain_min": float(absolute.min()) if len(absolute) else math.nan,
                        "absolute_gain_max": float(absolute.max()) if len(absolute) else math.nan,
                        "base_needed_absolute": needed})
        nationals = [ctx.figures.loc[fid] for fid in sorted(set(consistent)) if fid in ctx.figures.index]
        nat_en = "; ".join(f"{row['publisher']} ({row['period']}): {_num(float(row['value']))}%"
                           for row in nationals) or "none"
        nat_nl = "; ".join(f"{row['publisher']} ({row['period']}): "
                           f"{_nl(_num(float(row['value'])))}%" for row in nationals) or "geen"
        en = (f"As an absolute gain, +{claim.grid.get('region_growth', 3):g}% of the published "
              f"{region} HTSM levels is {_num(absolute.min(), 0, False)}–"
              f"{_num(absolute.max(), 0, False)} jobs (it would need a base of "
              f"{_num(needed, 0, False)}); only the relative reading against the national change "
              f"({nat_en}) gives about {_num(claim.test.target, 0, False)}, in {holds} of {n} "
              "specifications.")
        nl = (f"Als absolute toename is +{claim.grid.get('region_growth', 3):g}% van de "
              f"gepubliceerde HTSM-niveaus van {region} {_nl(_num(absolute.min(), 0, False))}–"
              f"{_nl(_num(absolute.max(), 0, False))} banen (daarvoor zou een basis van "
              f"{_nl(_num(needed, 0, False))} nodig zijn); alleen de relatieve lezing tegen de "
              f"landelijke verandering ({nat_nl}) geeft ongeveer "
              f"{_nl(_num(claim.test.target, 0, False))}, in {holds} van {n} specificaties.")
    elif claim.id == "htsm-relative-jobs" and repro is not None:
        # no published HTSM level applies (another region): the CBS proxy only
        gain = repro.values["value"]
        en = (f"No published HTSM level applies to {region}; the CBS proxy "
              f"({_source_label(op)}, {op.base}–{op.end}) gives "
              f"{_num(gain, 0)} jobs ({op.get('reading')} reading), and the claim holds in "
              f"{holds} of {n} specifications.")
        nl = (f"Voor {region} geldt geen gepubliceerd HTSM-niveau; de CBS-benadering "
              f"({_source_label(op)}, {op.base}–{op.end}) geeft {_nl(_num(gain, 0))} banen, en "
              f"de bewering klopt in {holds} van {n} specificaties.")
    elif claim.id == "technical-students" and repro is not None:
        shares = tables.get("shares_by_year", pd.DataFrame())
        years = [int(y) for y in shares.index[shares.get("pooled_all_matches", pd.Series(dtype=bool))]]
        twente = shares.get("pooled_twente", pd.Series(dtype=float)).reindex([op.get("year")])
        twente_value = float(twente.iloc[0]) if len(twente) else math.nan
        numbers["pooled_twente_share"] = twente_value
        years_text = ", ".join(str(y) for y in years) or "none"
        en = (f"Saxion and UT together had {_num(r, 1, False)}% of students in CROHO techniek in "
              f"{op.get('year')} ({repro.arithmetic.split(' (')[0]}), within ±"
              f"{claim.test.tolerance:g} point of 36% in {years_text}; at Twente campuses only it "
              f"is {_num(twente_value, 1, False)}%, and the claim holds in {holds} of {n} "
              "specifications.")
        nl = (f"Saxion en UT samen hadden in {op.get('year')} {_nl(_num(r, 1, False))}% van de "
              f"studenten in CROHO-sector techniek, binnen ±{claim.test.tolerance:g} punt van 36% "
              f"in {years_text}; alleen de Twentse vestigingen geven "
              f"{_nl(_num(twente_value, 1, False))}%, en de bewering klopt in {holds} van {n} "
              "specificaties.")
    elif claim.id == "tech-sector-growth":
        later = grid[(grid["family"] == "CBS trend") & grid["evaluable"].astype(bool)
                     & ~grid["counts"].astype(bool) & (grid["base_year"] == max(ctx.reference_years))]
        later_text_en = later_text_nl = ""
        if len(later):
            row = later.iloc[0]
            later_text_en = (f"; after {row['base_year']} {region} {row['series']} grew "
                             f"{_num(row['region_value'], 2)}% a year against "
                             f"{_num(row['comparator_value'], 2)}%")
            later_text_nl = (f"; na {row['base_year']} groeide {row['series']} in {region} "
                             f"{_nl(_num(row['region_value'], 2))}% per jaar tegen "
                             f"{_nl(_num(row['comparator_value'], 2))}%")
            numbers.update({"later_region_growth": float(row["region_value"]),
                            "later_comparator_growth": float(row["comparator_value"])})
        source = _source_label(op) if repro else ""
        head_en = (f"{source} gives {region} {_num(r, 2)}% a year against {_num(c, 2)}% "
                   f"for {comp}" if repro else "no headline")
        head_nl = (f"{source} geeft {region} {_nl(_num(r, 2))}% per jaar tegen "
                   f"{_nl(_num(c, 2))}% voor {comp}" if repro else "geen hoofdreproductie")
        families_en, families_nl, family_numbers = _by_family(counted)
        numbers.update(family_numbers)
        en = (f"{head_en}; the claim holds in {holds} of {n} specifications ({families_en})"
              f"{later_text_en}.")
        nl = (f"{head_nl}; de bewering klopt in {holds} van {n} specificaties ({families_nl})"
              f"{later_text_nl}.")
    else:
        en = f"The claim holds in {holds} of {n} evaluable specifications."
        nl = f"De bewering klopt in {holds} van {n} doorgerekende specificaties."
    if trend_set is not None and trend_set.difference is not None:
        numbers["trend_difference_pct"] = float(trend_set.difference.growth_pct)
        numbers["trend_difference_p"] = float(trend_set.difference.p_value)
    return en, nl, numbers


def _require(table: pd.DataFrame | None, loader: Any, what: str) -> pd.DataFrame:
    if table is not None:
        return table
    try:
        return loader()
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"evaluating this claim needs the {what} table: {exc}") from exc


def evaluate_claim(
    claim_id: str,
    *,
    region: str = "CR12",
    comparator: str = "NL01",
    base_year: int | None = None,
    end_year: int | None = None,
    jobs: pd.DataFrame | None = None,
    enrolment: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
) -> ClaimEvaluation:
    """Reproduce, stress-test and judge one claim for ``region`` against ``comparator``.

    ``base_year``/``end_year`` override the headline period (and are added to the stress grid);
    the segmented trend breaks at ``end_year`` (default: the claim year, 2017) and the
    counterfactual projects the years after it. ``jobs``/``enrolment`` default to the processed
    tables in ``data/processed``. Region codes are checked (ValueError lists the valid ones).
    A Twente-specific claim evaluated for another region returns ``applicable=False`` with the
    reason and no verdict.
    """
    from analysis.engine import series as ser
    from analysis.engine import stress, verdicts

    claim = get_claim(claim_id)
    meta = load_meta()
    if claim.uses_jobs:
        jobs = _require(jobs, ser.load_jobs, "jobs")
    if claim.id == "technical-students":
        enrolment = _require(enrolment, ser.load_enrolment, "enrolment")
    if jobs is not None:
        ser.check_region(jobs, region, ser.MAIN_TABLE)
        ser.check_region(jobs, comparator, ser.MAIN_TABLE)
    ctx = stress.make_context(jobs, enrolment, region=region, comparator=comparator,
                              figures=figures, reference_years=meta.get("reference_years"))
    empty = stress.grid_frame([])
    focal = meta.get("focal_region", "CR12")
    if claim.region_specific and region != focal:
        reason = (f"{claim.extra.get('region_specific_reason', 'The claim is about Twente.')} "
                  f"Region {region} was asked for; this claim applies to {focal} only.")
        return ClaimEvaluation(claim, region, comparator, False, reason, None, empty, None, None,
                               {}, None, reason)
    if claim.measurement == "none":
        reason = claim.extra.get("not_verifiable_reason", "")
        settled = claim.extra.get("settled_by", "")
        verdict = verdicts.verdict(
            verdicts.Evidence("none", None, 0, 0),
            evidence_en=f"{reason} What would settle it: {settled}",
            evidence_nl=(f"{claim.extra.get('not_verifiable_reason_nl', '')} Wat het zou "
                         f"beslechten: {claim.extra.get('settled_by_nl', '')}"),
            caveat_en=claim.extra.get("caveat_en", ""), caveat_nl=claim.extra.get("caveat_nl", ""))
        return ClaimEvaluation(claim, region, comparator, True, reason, None, empty, None, None,
                               {}, verdict, f"{reason} {settled}")

    grid = stress.spec_grid(claim_id, base_year=base_year, end_year=end_year, context=ctx)
    counts = stress.grid_counts(grid)
    repro = _reproduce(claim, ctx, base_year, end_year)
    break_year = int(end_year or meta.get("claim_year", 2017))
    trend_set = _trend_set(claim, ctx, break_year)
    placebo = _placebo(claim, ctx)
    tables: dict[str, pd.DataFrame] = {}
    if claim.id == "technical-students":
        tables.update(_student_tables(claim, ctx))
    if claim.id in ("htsm-growth", "htsm-relative-jobs", "tech-sector-growth"):
        tables["htsm_definition"] = _htsm_definition_table(ctx)
    if claim.id == "htsm-relative-jobs" and ctx.figures_apply(
            [i for i in claim.grid.get("base_levels", []) if i in ctx.figures.index]):
        tables["consistency"] = _consistency_table(claim, ctx)

    evidence = verdicts.Evidence(
        measurement=claim.measurement,
        reproduced=repro.reproduced if repro else None,
        n_specs=counts["n_specs"], n_holds=counts["n_holds"],
        n_direction=None if counts["n_direction"] < 0 else counts["n_direction"])
    en, nl, numbers = _evidence(claim, ctx, repro, grid, counts, trend_set, tables)
    if placebo is not None:
        numbers.update({"placebo_rank": float(placebo.rank), "placebo_n": float(placebo.n_regions),
                        "placebo_p": placebo.p_value})
    if claim.test.kind == "both_decline" and counts["n_specs"]:
        # how far the reading of the vague word ('fors') would have to move to change the outcome
        counted = grid[grid["counts"].astype(bool)]
        smallest = (-counted[["region_value", "comparator_value"]]).min(axis=1)
        numbers["threshold_all_hold"] = float(smallest.min())
    verdict = verdicts.verdict(evidence, evidence_en=en, evidence_nl=nl,
                               caveat_en=claim.extra.get("caveat_en", ""),
                               caveat_nl=claim.extra.get("caveat_nl", ""), numbers=numbers)
    parts = [repro.explanation if repro else "No operationalisation could be evaluated."]
    parts.append(f"Stress test: {counts['n_specs']} of {counts['n_rows']} specifications count "
                 f"for the verdict (evaluable, ending in {', '.join(map(str, ctx.reference_years))}); "
                 f"the claim holds in {counts['n_holds']}.")
    if claim.id == "technical-students":
        parts.append(_locations_text(claim, ctx))
        dropped = stress.dropped_sector_variants(claim, ctx.enrolment)
        if dropped:
            parts.append("Left out of the grid: " + "; ".join(dropped) + ".")
    if "threshold_all_hold" in numbers:
        parts.append(f"Sensitivity: the claim would hold in every specification if a fall of "
                     f"{numbers['threshold_all_hold']:.1f}% counted as "
                     f"'{claim.published_values[0]['text']}' (registry reading: "
                     f"{claim.test.threshold:g}%).")
    if "htsm_definition" in tables:
        parts.append("HTSM variants (narrow/broad, data/htsm_definition.csv, unverified) cannot be "
                     "selected from the regional CBS table, which stops at SBI sections; SBI C "
                     "stands in for the narrow core and C+J+M for the broad variant.")
    if placebo is not None:
        parts.append(placebo.explanation)
    parts.append(f"Verdict: {verdict.label} — {verdict.reason}.")
    return ClaimEvaluation(claim, region, comparator, True, "", repro, grid, trend_set, placebo,
                           tables, verdict, " ".join(parts))


def evaluate_all(**kwargs: Any) -> dict[str, ClaimEvaluation]:
    """:func:`evaluate_claim` for every registered claim (same keyword arguments), loading the
    processed tables once."""
    from analysis.engine import series as ser

    if kwargs.get("jobs") is None:
        kwargs["jobs"] = ser.load_jobs()
    if kwargs.get("enrolment") is None:
        try:
            kwargs["enrolment"] = ser.load_enrolment()
        except FileNotFoundError:
            kwargs["enrolment"] = None
    return {cid: evaluate_claim(cid, **kwargs) for cid in load_claims()}
