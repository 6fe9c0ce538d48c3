"""Engine results as Markdown and tables for the claim pages: one shape for every claim.

The claim notebooks call these functions with a :class:`analysis.engine.claims.ClaimEvaluation` and
display the result; the functions compute nothing new, they only put the engine's numbers into
words (English, with the Dutch where the verdict is given) and tables. Every number in the text
comes from the evaluation passed in.

Typical use in a notebook::

    region_name, comparator_name = present.check_parameters(jobs, region, comparator, base_year, end_year)
    evaluation = claims.evaluate_claim("industry-decline", region=region, ...)
    display(Markdown(present.summary_markdown(evaluation)))
    display(Markdown(present.claim_box(evaluation.claim)))
    ...
    present.record(evaluation, results_dir)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.stats.growth import describe_years, format_number, format_percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from analysis.engine.claims import Claim, ClaimEvaluation, TrendSet
    from analysis.engine.verdicts import Verdict

FAMILY_NAMES = {
    "CBS change": "CBS employee jobs, change",
    "CBS trend": "CBS employee jobs, trend",
    "published change": "published figure",
    "published trend": "published figure, annualised",
    "published gain": "published levels",
    "proxy gain": "CBS proxy, jobs",
    "DUO share": "DUO enrolment",
}
# Grid columns that describe a choice but are bookkeeping, not a reading of the claim.
_NOT_CHOICES = {"claim_id", "spec_id", "family", "region", "comparator", "region_value", "comparator_value",
                "value", "unit", "coverage", "evaluable", "holds", "direction_holds", "counts", "note",
                "arithmetic", "source", "edition"}


# --- parameters -------------------------------------------------------------------------------------


def check_parameters(jobs: pd.DataFrame, region: str, comparator: str = "NL01",
                     base_year: int | None = None, end_year: int | None = None) -> tuple[str, str]:
    """Validate a claim page's parameters; returns (region name, comparator name).

    Raises ValueError with a plain message (the valid codes, the years the data cover) so a run
    with a bad parameter stops at the top of the page.
    """
    from analysis.engine import series

    corop = series.corop_regions(jobs)
    if region not in corop:
        listing = ", ".join(f"{code} {series.short_name(name)}" for code, name in corop.items())
        raise ValueError(f"unknown COROP region {region!r}: use one of {listing}")
    series.check_region(jobs, comparator, series.MAIN_TABLE)
    years = sorted(int(y) for y in jobs.loc[jobs["source_table"] == series.MAIN_TABLE, "year"].unique())
    for name, year in (("base_year", base_year), ("end_year", end_year)):
        if year is None:
            continue
        if not isinstance(year, int) or not years[0] <= year <= years[-1]:
            raise ValueError(f"{name} = {year!r}: use a year from {years[0]} to {years[-1]} "
                             "(the CBS table 83582NED), or None for the periods registered per claim")
    if base_year is not None and end_year is not None and base_year >= end_year:
        raise ValueError(f"base_year ({base_year}) must come before end_year ({end_year})")
    names = series.region_names(jobs, series.MAIN_TABLE)
    return series.short_name(corop[region]), series.short_name(names[comparator])


# --- small formatting helpers -----------------------------------------------------------------------


def _pct(value: float, decimals: int = 1, signed: bool = True) -> str:
    return format_percent(value, decimals=decimals, signed=signed)


def _p(p_value: float) -> str:
    if p_value is None or (isinstance(p_value, float) and math.isnan(p_value)):
        return "—"
    return "< 0.001" if p_value < 0.001 else f"{p_value:.3f}"


def verdict_badge(label: str) -> str:
    """'✔ supported / ondersteund' (symbol and both labels, from report.VERDICTS)."""
    from analysis.report.site import VERDICTS

    v = VERDICTS[label]
    return f"{v.symbol} **{v.label_en}** / *{v.label_nl}*"


# --- the claim ------------------------------------------------------------------------------------


def claim_box(claim: Claim) -> str:
    """The claim as published (Dutch), its English translation and the source."""
    from analysis.engine.claims import load_meta

    meta = load_meta()
    source = claim.source
    where = f"*{source.get('title', meta.get('article_title', ''))}*, {source.get('date', meta.get('article_date', ''))}"
    publisher = meta.get("publisher", "")
    site = meta.get("publisher_site", "")
    lines = [
        f'> <span lang="nl">"{claim.text_nl}"</span>',
        ">",
        f'> *English:* "{claim.text_en}"',
        "",
        f"Source: {where}" + (f", {publisher}" if publisher else "") + (f" ({site})" if site else "") + ".",
    ]
    if claim.published_values:
        numbers = "; ".join(f"\"{v['text']}\"" for v in claim.published_values)
        lines += ["", f"The words that carry the claim: {numbers}."]
    return "\n".join(lines)


def measurable_text(claim: Claim, region_name: str, comparator_name: str = "Nederland",
                    applicable: bool = True) -> str:
    """What the claim asserts in checkable terms, how it is tested, and the ways of measuring it."""
    kind = {"direct": "Open data measure this quantity directly.",
            "proxy": ("No open data measure this quantity for a region; only *proxies* (broader CBS industry "
                      "groups) and figures published by third parties exist, so the verdict is at most "
                      "'partly supported'."),
            "none": "No public data measure this quantity."}[claim.measurement]
    lines = [f"**What it asserts.** {claim.asserts}", "", f"**Data.** {kind}"]
    if claim.test.why and claim.test.kind != "none":
        lines += ["", f"**How one reading is judged.** {claim.test.why}"]
    if claim.published_note:
        lines += ["", f"**What was published.** {claim.published_note}"]
    if claim.operationalisations:
        lines += ["", ("**Ways of measuring it, in the order tried** (the first one the data can compute is the "
                  "headline reproduction below):"), ""]
        for op in claim.operationalisations:
            period = f"{op.base}–{op.end}" if op.base and op.end else (str(op.get("year", "")) or "")
            note = "" if op.period_matches_claim else f" *Not the claim's own period: {op.period_note}.*"
            lines.append(f"- `{op.id}` ({period}): {op.definition}.{note}")
    if not applicable:
        lines += ["", f"*For {region_name} this claim does not apply; see the summary above.*"]
    elif claim.uses_jobs:
        lines += ["", f"The region is **{region_name}**, the comparator **{comparator_name}**."]
    return "\n".join(lines)


# --- summary and reproduction -----------------------------------------------------------------------


def summary_markdown(evaluation: ClaimEvaluation, region_name: str) -> str:
    """The plain-language summary with the verdict, for the top of the page."""
    claim = evaluation.claim
    if not evaluation.applicable:
        return (f"**Verdict for {region_name}: the claim does not apply.** {evaluation.reason} "
                f"The index records it as {verdict_badge('not verifiable with open data')} for this "
                "region, because no data for this region can test it.")
    verdict = evaluation.verdict
    assert verdict is not None
    other = region_note(evaluation, region_name)
    return (f"{other + chr(10) * 2 if other else ''}**Verdict:** {verdict_badge(verdict.label)}. {verdict.evidence_en}\n\n"
            f"<span lang=\"nl\">*{verdict.evidence_nl}*</span>\n\n"
            f"*Claim: \"{claim.text_nl}\"*")


def region_note(evaluation: ClaimEvaluation, region_name: str) -> str:
    """For a region other than Twente: a sentence saying the claim is tested there (empty for Twente)."""
    from analysis.engine.claims import load_meta

    if evaluation.region == load_meta().get("focal_region", "CR12"):
        return ""
    return (f"*The article made this claim about Twente; this page asks whether it also holds for {region_name}. "
            "Published figures about Twente do not count here.*")


def reproduction_markdown(evaluation: ClaimEvaluation, region_name: str = "", comparator_name: str = "") -> str:
    """The headline reproduction: what was computed, the arithmetic, how it compares, why it differs."""
    repro = evaluation.reproduction
    claim = evaluation.claim
    if repro is None:
        if claim.measurement == "none":
            return f"Nothing can be reproduced: {evaluation.reason}"
        return f"No way of measuring the claim could be computed with these data. {evaluation.reason}"
    op = repro.operationalisation
    unit = {"percent": "%", "percent per year": "% a year", "jobs": " jobs"}.get(repro.unit, f" {repro.unit}")
    lines = [
        f"**Headline measurement** (`{op.id}`): {op.definition}.",
        "",
        f"**Arithmetic.** {repro.arithmetic}.",
        "",
        f"**Published:** \"{repro.published_text}\".",
    ]
    test = claim.test
    region_name, comparator_name = region_name or evaluation.region, comparator_name or evaluation.comparator
    lines.append("")
    if test.kind in ("value_within", "growth_vs_decline"):
        reproduced = repro.values["value"] if test.kind == "value_within" else repro.values["region_value"]
        digits = 0 if repro.unit == "jobs" else 1
        lines.append(
            f"**Reproduced:** {format_number(reproduced, digits)}{unit} against {format_number(test.target, digits)}"
            f"{unit} published: a difference of {format_number(repro.difference, digits)}"
            f"{' points' if repro.unit == 'percent' else unit.replace(' a year', '')} "
            f"(the claim allows ±{format_number(test.tolerance)}).")
    if test.kind == "both_decline":
        lines.append(
            f"**Reproduced:** {region_name} {_pct(repro.values['region_value'])}, "
            f"{comparator_name} {_pct(repro.values['comparator_value'])}; 'fors' (sharply) is read as a fall "
            f"of at least {format_number(test.threshold)}% in both.")
    if test.kind == "faster_growth":
        lines.append(
            f"**Reproduced:** {_pct(repro.values['region_value'], 2)} a year for {region_name} against "
            f"{_pct(repro.values['comparator_value'], 2)} for {comparator_name}.")
    outcome = {True: "within the claim's tolerance", False: "outside the claim's tolerance",
               None: "not decidable"}[repro.within_tolerance]
    lines += ["", f"**Outcome:** {outcome}"
              + ("" if repro.period_matches_claim else
                 f", but for another period than the claim's ({op.period_note}), so it does **not** count as a "
                 "reproduction")
              + "."]
    lines += ["", "**Why the numbers can differ** (from the engine's explanation):", ""]
    lines += [f"- {sentence}" for sentence in _explanations(repro, claim)]
    return "\n".join(lines)


def _explanations(repro: Any, claim: Claim) -> list[str]:
    """The reproduction's explanation, split into readable points (skipped measurements apart)."""
    text = repro.explanation
    points = []
    head, _, skipped = text.partition("Not evaluable first: ")
    # drop the first two sentences (the headline definition and arithmetic, shown above)
    rest = head.split(". ", 2)[2] if head.count(". ") >= 2 else ""
    rest = re.sub(r"Published: .*?(within tolerance|outside the tolerance)\. ?", "", rest).strip()
    if rest:
        points.append(rest)
    ids = "|".join(re.escape(op.id) for op in claim.operationalisations)
    for item in (s.strip() for s in re.split(rf"; (?=(?:{ids}): )", skipped.rstrip(".")) if s.strip()):
        op_id, _, why = item.partition(": ")
        points.append(f"`{op_id}` could not be computed: {why}.")
    return points or ["The reproduction matches the definition used; no deviation to explain."]


# --- stress tests -----------------------------------------------------------------------------------


def choice_columns(grid: pd.DataFrame) -> list[str]:
    """The grid columns that record a choice and vary between the counted specifications."""
    counted = grid[grid["counts"].astype(bool)] if len(grid) else grid
    columns = []
    for column in grid.columns:
        if column in _NOT_CHOICES:
            continue
        if counted[column].astype(str).nunique() > 1:
            columns.append(column)
    return columns


def stress_frame(evaluation: ClaimEvaluation, region_name: str = "", comparator_name: str = "") -> pd.DataFrame:
    """The specifications that count for the verdict: choices, values, whether the claim holds."""
    grid = evaluation.stress
    if not len(grid):
        return pd.DataFrame()
    counted = grid[grid["counts"].astype(bool)].copy()
    counted["measure"] = counted["family"].map(FAMILY_NAMES).fillna(counted["family"])
    choices = [c for c in choice_columns(grid) if c != "family"]
    frame = counted[["measure", *choices, "region_value", "comparator_value", "value", "holds",
                     "direction_holds"]].copy()
    for column in choices:
        frame[column] = frame[column].map(lambda v: "—" if pd.isna(v) else str(v).removesuffix(".0"))
    frame["holds"] = frame["holds"].map({True: "yes", False: "no"}).fillna("—")
    frame["direction_holds"] = frame["direction_holds"].map({True: "yes", False: "no"}).fillna("—")
    if (frame["value"].astype(float).round(6).equals(frame["region_value"].astype(float).round(6))):
        frame = frame.drop(columns=["value"])
    unit = _unit_label(counted["unit"].iloc[0]) if len(counted) else ""
    return frame.rename(columns={
        "region_value": f"{region_name or evaluation.region} ({unit})",
        "comparator_value": f"{comparator_name or evaluation.comparator} ({unit})",
        "value": "value", "holds": "claim holds", "direction_holds": "direction holds",
        "base_year": "from", "end_year": "to", "base_vintage": "base-year release", "national": "national figure",
    }).reset_index(drop=True)


def _unit_label(unit: str) -> str:
    return {"percent": "%", "percent per year": "% a year", "jobs": "jobs"}.get(str(unit), str(unit))


def stress_summary(evaluation: ClaimEvaluation) -> str:
    """How many specifications there are, how many count, and in how many the claim holds."""
    from analysis.engine import stress

    grid = evaluation.stress
    if not len(grid):
        return "There is nothing to vary: no data measure the claim."
    counts = stress.grid_counts(grid)
    n_rows, n_eval, n_specs, n_holds = counts["n_rows"], counts["n_evaluable"], counts["n_specs"], counts["n_holds"]
    not_evaluable = n_rows - n_eval
    outside = n_eval - n_specs
    lines = [
        (f"The stress test computes the claim in **{n_rows} ways** (specifications): every reasonable "
        "combination of the choices the article left open (the table below lists the choices of the readings "
        "that count)."),
        "",
        f"- {not_evaluable} cannot be computed (the reasons are listed below);" if not_evaluable else "- every specification can be computed;",
        f"- {outside} can be computed but end in a year the October 2017 article could not refer to, so they are "
        "shown for context only;" if outside else "- all computable ones end in a year the article could refer to;",
        f"- **{n_specs} count for the verdict; the claim holds in {n_holds}**"
        + (f" ({n_holds / n_specs:.0%})" if n_specs else "") + ".",
    ]
    if counts["n_direction"] >= 0 and n_specs:
        lines.append(f"- its direction alone (the weak reading) holds in {counts['n_direction']} of {n_specs}.")
    reasons = grid.loc[~grid["evaluable"].astype(bool), "note"].dropna().astype(str)
    if len(reasons):
        common = reasons.map(_reason_kind).value_counts()
        listed = "; ".join(f"{why} ({n}×)" for why, n in common.items())
        lines += ["", f"Why specifications cannot be computed: {listed}."]
    return "\n".join(lines)


def _reason_kind(note: str) -> str:
    """A stress-test note reduced to its kind of reason, for counting."""
    kinds = []
    if "suppressed by CBS" in note or "missing (dropped" in note or "no value in" in note:
        kinds.append("a figure CBS did not publish")
    if "national sum lacks" in note:
        kinds.append("the national sum misses suppressed regions")
    if "like-for-like sum covers only" in note:
        kinds.append("too few regions published for a like-for-like national sum")
    if note.startswith("published figure") and " is about " in note:
        kinds.append("a published figure about another region")
    if "places every student" in note:
        kinds.append("a DUO edition that cannot separate campuses")
    return " and ".join(kinds) or note.split(";")[0][:80]


def spec_curve(evaluation: ClaimEvaluation, source: str, title: str | None = None, region_name: str = "",
               comparator_name: str = "") -> Figure | None:
    """The specification curve of the counted specifications (None when fewer than two)."""
    from analysis.report import plots

    grid = evaluation.stress
    if not len(grid):
        return None
    counted = grid[grid["counts"].astype(bool)].copy()
    if len(counted) < 2:
        return None
    claim = evaluation.claim
    test = claim.test
    counted["measure"] = counted["family"].map(FAMILY_NAMES).fillna(counted["family"])
    choices = ["measure", *[c for c in choice_columns(grid) if c != "family"]]
    for column in choices:
        counted[column] = counted[column].map(lambda v: "—" if pd.isna(v) else str(v).removesuffix(".0"))
    unit = _unit_label(counted["unit"].iloc[0])
    region_name, comparator_name = region_name or evaluation.region, comparator_name or evaluation.comparator
    reference: float | None = None
    if test.kind == "both_decline":
        # the claim holds when the smaller of the two falls is at least the threshold
        counted["_plot"] = counted[["region_value", "comparator_value"]].max(axis=1)
        ylabel, reference, ref_label = (f"smaller of the two changes ({unit})", -test.threshold,
                                        f"'fors': a fall of {format_number(test.threshold)}%")
    elif test.kind == "faster_growth":
        counted["_plot"] = counted["region_value"] - counted["comparator_value"]
        ylabel, reference, ref_label = (f"region minus comparator growth ({unit})", 0.0, "equal growth")
    elif test.kind == "growth_vs_decline":
        counted["_plot"] = counted["region_value"]
        ylabel, reference, ref_label = (f"{region_name} change ({unit})", test.target,
                                        f"published: {format_number(test.target)}%")
    else:
        counted["_plot"] = counted["value"]
        ylabel, reference, ref_label = (f"value ({unit})", test.target, f"published: {format_number(test.target)}")
    counted["_holds"] = counted["holds"].fillna(False).astype(bool)
    choices = [c for c in choices if counted[c].nunique() > 1] or ["measure"]
    return plots.plot_spec_curve(
        counted[["_plot", "_holds", *choices]].rename(columns={"_plot": "estimate", "_holds": "holds"}),
        "estimate", "holds", source=source, choice_cols=choices, ylabel=ylabel,
        title=title or f"Every reading of the claim, {region_name} against {comparator_name}",
        reference=None if reference is None or math.isnan(reference) else reference, reference_label=ref_label)


def placebo_text(evaluation: ClaimEvaluation, region_name: str) -> str:
    """Where the region ranks among the COROP regions, in words (or why there is no ranking)."""
    placebo = evaluation.placebo
    if placebo is None:
        if evaluation.claim.uses_jobs and evaluation.applicable:
            return (f"No ranking among the COROP regions: the measure is not published for {region_name} in these "
                    "years.")
        return "No ranking among the COROP regions: this claim is not about a quantity CBS publishes per region."
    side = {"greater": "highest", "less": "lowest", "two-sided": "most extreme"}[placebo.alternative]
    unusual = ("unusual: few regions are as extreme" if placebo.p_value <= 0.1 else
               "not unusual: many regions are as extreme or more")
    excluded = (f" {len(placebo.excluded)} region(s) without a value are left out." if placebo.excluded else "")
    return (f"**Is {region_name} unusual?** On {placebo.label}, {region_name} ranks **{placebo.rank} of "
            f"{placebo.n_regions}** COROP regions (1 = {side}; value {format_number(placebo.value, 2)}). The share "
            f"of regions at least as extreme is {placebo.p_value:.2f} (a permutation p-value: each region is "
            f"treated as if it were the one the claim is about). That is {unusual}.{excluded}")


# --- trends -----------------------------------------------------------------------------------------


def trend_table(evaluation: ClaimEvaluation) -> pd.DataFrame:
    """One row per trend estimate: what, years, number of years, growth a year with 95% interval, p."""
    trend_set = evaluation.trends
    if trend_set is None:
        return pd.DataFrame()
    rows = []

    def add(what: str, years: Sequence[int], estimate: float, low: float, high: float, p: float, n: int) -> None:
        rows.append({"estimate": what, "years": describe_years(years), "annual values": n,
                     "% a year": estimate, "95% interval": f"{_pct(low)} to {_pct(high)}", "p-value": _p(p)})

    for result, what in ((trend_set.region_trend, f"growth, {_series_name(trend_set.region_series)}"),
                         (trend_set.comparator_trend, f"growth, {trend_set.comparator_label}")):
        if result is not None:
            add(what, result.years, result.growth_pct, result.ci_low, result.ci_high, result.p_value, result.n)
    if trend_set.difference is not None:
        d = trend_set.difference
        add("difference (region minus comparator)", d.years, d.growth_pct, d.ci_low, d.ci_high, d.p_value, d.n)
    if trend_set.segmented is not None:
        s = trend_set.segmented
        before = [y for y in s.years if y < s.break_year]
        after = [y for y in s.years if y >= s.break_year]
        add(f"region before {s.break_year}", before, s.pre_growth_pct, s.pre_ci_low, s.pre_ci_high, math.nan,
            s.n_pre)
        add(f"region from {s.break_year} on", after, s.post_growth_pct, s.post_ci_low, s.post_ci_high,
            s.f_p_value, s.n_post)
    frame = pd.DataFrame(rows)
    if len(frame):
        frame["% a year"] = frame["% a year"].map(lambda v: _pct(v, 2))
    return frame


def _series_name(series: pd.Series) -> str:
    return str(series.name or "the region")


def trend_text(evaluation: ClaimEvaluation, region_name: str) -> str:
    """What the trend models estimate, on which data, what they find, and how weak they are."""
    trend_set = evaluation.trends
    if trend_set is None:
        return "No trend models: the claim is not about a CBS jobs series."
    n_values = int(trend_set.region_series.notna().sum())
    lines = [
        (f"**What is estimated.** The average yearly growth of {_series_name(trend_set.region_series)} and of "
        f"{trend_set.comparator_label}, from a straight line through the logarithm of the yearly figures "
        f"({trend_set.first_year}–{trend_set.break_year}); the difference between the two; whether the line bends "
        f"at {trend_set.break_year} (the year of the article); and what the line up to {trend_set.break_year} "
        "would have predicted for the years after. Uncertainty uses HAC (Newey–West) standard errors, which allow "
        "consecutive years to be alike."),
        "",
        (f"**How much to trust it.** There are only {n_values} yearly figures for {region_name} in total "
        f"and {_count_to(trend_set)} up to {trend_set.break_year}. With so few points these models are weak: "
        "the intervals are rough, a single unusual year moves the line, and a 'significant' result here is a "
        "hint, not proof."),
        "",
    ]
    if trend_set.difference is not None:
        lines.append(f"- {trend_set.difference.summary_text().split(' With n=')[0]}")
    if trend_set.segmented is not None:
        lines.append(f"- {trend_set.segmented.summary_text().split(' With n=')[0]}")
    if trend_set.counterfactual is not None:
        lines.append(f"- {trend_set.counterfactual.summary_text().split(' With n=')[0]}")
    lines += [f"- {note}" for note in trend_set.notes]
    return "\n".join(lines)


def _count_to(trend_set: TrendSet) -> int:
    return int(trend_set.region_series.loc[:trend_set.break_year].notna().sum())


def plot_counterfactual(trend_set: TrendSet, source: str, title: str | None = None) -> Figure | None:
    """Actual series, the trend fitted up to the break year and its projection with 95% intervals."""
    if trend_set.counterfactual is None:
        return None
    return plot_projection(trend_set.region_series, trend_set.counterfactual, source, title)


def plot_projection(series: pd.Series, result: Any, source: str, title: str | None = None,
                    ylabel: str = "employee jobs (× 1,000)", scale: float = 1000.0) -> Figure:
    """A series with the trend fitted before the cutoff, projected with 95% prediction intervals."""
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis.report import plots

    actual = series.dropna()
    table = result.table
    fig, ax = plt.subplots(layout="constrained")
    ax.plot(actual.index, actual.to_numpy() / scale, label="actual", **plots.series_style(0))
    fit_years = list(result.fit_years)
    slope = math.log1p(result.pre_trend.growth_pct / 100)
    fitted = actual.loc[fit_years]
    log_level = float(np.mean(np.log(fitted.to_numpy())) - slope * np.mean(fit_years))
    line_years = fit_years + [int(y) for y in table["year"]]
    ax.plot(line_years, np.exp(log_level + slope * np.asarray(line_years, dtype=float)) / scale,
            color="#555555", linestyle="--", linewidth=1.5,
            label=f"trend {fit_years[0]}–{fit_years[-1]}, projected")
    ax.fill_between(table["year"], table["lower"] / scale, table["upper"] / scale, color="#999999", alpha=0.3,
                    label="95% prediction interval")
    ax.axvline(result.cutoff_year - 0.5, color="#777777", linewidth=1)
    plots._finish(ax, title or f"{_series_name(series)}: what the trend up to {result.cutoff_year - 1} predicted",
                  "year", ylabel, source, legend=True)
    return fig


# --- verdict, record, sources -----------------------------------------------------------------------


def verdict_markdown(verdict: Verdict | None, rule_text: Mapping[str, str] | None, *, applicable: bool = True,
                     reason: str = "", region_name: str = "") -> str:
    """The verdict label, evidence and caveat in English and Dutch, with the written rule (unless None)."""
    if not applicable or verdict is None:
        body = [f"{verdict_badge('not verifiable with open data')} — **for {region_name}: does not apply.**", "",
                f"**Why.** {reason}", "",
                ('<span lang="nl">**Oordeel:** deze bewering gaat over Twente en is voor deze regio niet te '
                "toetsen.</span>")]
    else:
        body = [
            f"{verdict_badge(verdict.label)}", "",
            f"**Evidence.** {verdict.evidence_en}", "",
            f'<span lang="nl">**Onderbouwing.** {verdict.evidence_nl}</span>', "",
        ]
        if verdict.caveat_en:
            body += [f"**Caveat.** {verdict.caveat_en}", ""]
        if verdict.caveat_nl:
            body += [f'<span lang="nl">**Kanttekening.** {verdict.caveat_nl}</span>', ""]
        body += [f"*Which part of the rule applied:* {verdict.reason}."]
    if rule_text:
        body += ["", f"*{rule_text['en']}*", "", f'<span lang="nl">*{rule_text["nl"]}*</span>']
    return "\n".join(body)


def headline(evaluation: ClaimEvaluation, region_name: str) -> str:
    """One line for the index: the headline number and the stress-test count."""
    if not evaluation.applicable:
        return f"Does not apply to {region_name}: the claim is about Twente"
    verdict = evaluation.verdict
    assert verdict is not None
    numbers = verdict.numbers
    n_specs, n_holds = int(numbers.get("n_specs", 0)), int(numbers.get("n_holds", 0))
    repro = evaluation.reproduction
    if repro is None:
        return "No open data measure it"
    unit = _unit_label(repro.unit)
    value = repro.values["value"]
    shown = f"{format_number(value, 0)} jobs" if unit == "jobs" else f"{format_number(value, 1)}{unit}"
    # "Reproduced" only where the engine says so (right value AND the period the claim states).
    if repro.reproduced:
        lead = f"Reproduced: {shown}"
    elif repro.within_tolerance and not repro.period_matches_claim:
        lead = f"Matches only for another period: {shown}"
    else:
        lead = f"Not reproduced: {shown}"
    return (f"{lead} ({repro.operationalisation.id}) against \"{repro.published_text}\"; "
            f"holds in {n_holds} of {n_specs} readings")


def record(evaluation: ClaimEvaluation, results_dir: str, region_name: str, *, title: str | None = None) -> Any:
    """Record the claim's verdict for the index (report.record_result); returns the record.

    A claim that does not apply to the region (Twente-specific, another region asked for) is
    recorded as 'not verifiable with open data' with the reason: the index has no separate label
    for 'does not apply'.
    """
    from analysis.report.site import record_result

    claim = evaluation.claim
    title = title or claim.title
    if not evaluation.applicable or evaluation.verdict is None:
        return record_result(
            results_dir, claim_id=claim.id, title=title, verdict="not verifiable with open data",
            headline=headline(evaluation, region_name),
            evidence_en=f"Does not apply to {region_name}. {evaluation.reason}",
            evidence_nl=(f"Niet van toepassing op {region_name}: de bewering gaat over Twente en is alleen "
                         "voor Twente (CR12) te toetsen."),
            caveat_en="Run the report for Twente (CR12) for the verdict on this claim.",
            caveat_nl="Bouw het rapport voor Twente (CR12) voor het oordeel over deze bewering.",
            numbers={"applicable": 0})
    verdict = evaluation.verdict
    return record_result(
        results_dir, claim_id=claim.id, title=title, verdict=verdict.label,
        headline=headline(evaluation, region_name), evidence_en=verdict.evidence_en,
        evidence_nl=verdict.evidence_nl, caveat_en=verdict.caveat_en, caveat_nl=verdict.caveat_nl,
        numbers=dict(verdict.numbers))


def sources_markdown(dataset_ids: Sequence[str], manifest: Mapping[str, Any], claim: Claim | None = None,
                     figure_ids: Sequence[str] = ()) -> str:
    """The data sources (from the manifest) and the published figures the claim is compared with."""
    inputs = {r["dataset_id"]: r for r in manifest.get("inputs", [])}
    lines = []
    for dataset_id in dataset_ids:
        matches = [r for key, r in inputs.items() if key == dataset_id or key.startswith(dataset_id)]
        for r in matches:
            lines.append(f"- **{r.get('publisher', '')} {r.get('title', r['dataset_id'])}** (`{r['dataset_id']}`), "
                         f"retrieved {str(r.get('retrieved_at', ''))[:10]} ({r.get('mode', '')})"
                         + (f": {r['url']}" if r.get("url") else ""))
        if not matches:
            lines.append(f"- `{dataset_id}`")
    wanted = list(dict.fromkeys([*(claim.published_figures if claim is not None else ()), *figure_ids]))
    if wanted:
        from analysis.engine import series

        figures = series.load_published_figures()
        used = [fid for fid in wanted if fid in figures.index]
        if used:
            lines += ["", "Published figures compared with (`data/published_figures.csv`):", ""]
            for fid in used:
                row = figures.loc[fid]
                url = str(row.get("source_url", "") or "")
                unit = "%" if row.get("unit") == "percent" else f" {row.get('unit', '')}"
                lines.append(f"- {row.get('publisher', '')}: {row.get('quantity', fid)}, {row.get('region', '')}, "
                             f"{row.get('period', '')} = {format_number(float(row['value']))}{unit}"
                             + (f" ({url})" if url else ""))
    lines += ["", "CBS data: CC BY 4.0 (\"Bron: CBS\"). DUO open data: free reuse (\"Bron: DUO\")."]
    return "\n".join(lines)


# --- after the claim year -----------------------------------------------------------------------------


def projection_table(named_series: Mapping[str, pd.Series], cutoff_year: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """For each series: the trend before ``cutoff_year``, its projection to the last year, and the actual.

    Returns the table (one row per series) and the :class:`analysis.stats.trends.CounterfactualResult` per
    series name; a series the data do not allow (too few years either side) gets a row saying why.
    """
    from analysis.stats import trends

    rows, results = [], {}
    for name, values in named_series.items():
        try:
            result = trends.counterfactual(values, cutoff_year)
        except ValueError as exc:
            rows.append({"series": name, "trend before": "—", "latest year": "—", "predicted": "—",
                         "95% prediction interval": "—", "actual": "—", "actual vs predicted": "—",
                         "years outside the interval": str(exc)})
            continue
        results[name] = result
        last = result.table.iloc[-1]
        trend = result.pre_trend
        rows.append({
            "series": name,
            "trend before": (f"{_pct(trend.growth_pct, 2)} a year ({describe_years(result.fit_years)}; "
                             f"95% CI {_pct(trend.ci_low)} to {_pct(trend.ci_high)})"),
            "latest year": str(int(last["year"])),  # a year, not a quantity: no thousands separator
            "predicted": format_number(last["predicted"]),
            "95% prediction interval": f"{format_number(last['lower'])} to {format_number(last['upper'])}",
            "actual": format_number(last["actual"]),
            "actual vs predicted": _pct(last["gap_pct"]),
            "years outside the interval": f"{result.n_outside} of {result.n_projected}",
        })
    return pd.DataFrame(rows), results
