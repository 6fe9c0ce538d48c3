# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Claim 4: 36% of Saxion and University of Twente students are in technical programmes
#
# The article says that 36% of the students at Saxion (hbo, universities of applied sciences) and the
# University of Twente (wo, research universities) are in technical programmes. This page recomputes that
# share from DUO's open enrolment counts. The claim names two Twente institutions, so it is tested for
# Twente only; for another region the page says so and records no verdict on the substance.

# %% tags=["parameters"]
region = "CR12"  # COROP region (Twente is CR12); the claim applies to Twente only
comparator = "NL01"  # not used by this claim (kept for a uniform set of parameters)
base_year = None  # not used by this claim
end_year = None  # None keeps the registered year (2016/17); a year here replaces it
results_dir = ""  # set by the report build; the verdict is recorded there

# %%
# Set-up: the logic lives in the package (analysis.engine.claims, analysis.report.present); this notebook shows and explains.
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.engine import claims, series, verdicts
from analysis.report import overview, plots, present
from analysis.stats import trends

plots.use_house_style()
jobs = series.load_jobs()
region_name, comparator_name = present.check_parameters(jobs, region, comparator, base_year, end_year)
manifest = overview.read_manifest()
enrolment = series.load_enrolment()
DUO_SOURCE = plots.source_text(sorted({r["dataset_id"] for r in manifest["inputs"]
                                       if r["dataset_id"].startswith("duo-")}), manifest)
evaluation = claims.evaluate_claim("technical-students", region=region, comparator=comparator,
                                   base_year=base_year, end_year=end_year, jobs=jobs, enrolment=enrolment)
claim = evaluation.claim
applies = evaluation.applicable
INSTITUTIONS = {"23AH": "Saxion", "21PH": "Universiteit Twente"}

# %% [markdown]
# ## In short

# %%
display(Markdown(f"*Region: {region_name} ({region}).*\n\n" + present.summary_markdown(evaluation, region_name)))

# %% [markdown]
# ## The claim

# %%
display(Markdown(present.claim_box(claim)))

# %% [markdown]
# ## How we make it measurable
#
# DUO publishes, per institution and programme, how many students were enrolled on 1 October. Each
# programme belongs to a CROHO *sector*; "technical" is read as the sector *techniek*. The share is the
# number of students in techniek at Saxion and the University of Twente together, divided by all their
# students. Saxion also teaches in Deventer and Apeldoorn, outside Twente, so the share is also computed for
# the Twente campuses only.

# %%
display(Markdown(present.measurable_text(claim, region_name, comparator_name, applicable=applies)))
if applies:
    shares = evaluation.tables["shares_by_year"]
    labels = {"pooled_all": "Saxion + UT, all campuses", "pooled_twente": "Saxion + UT, Twente campuses",
              "23AH_all": "Saxion, all campuses", "21PH_all": "Universiteit Twente"}
    long = (shares[list(labels)].rename(columns=labels).rename_axis("year").reset_index()
            .melt("year", var_name="students", value_name="share (%)").dropna())
    ax = plots.plot_series(long, "year", "share (%)", "students",
                           "Share of students in CROHO sector techniek", "share of enrolled students (%)",
                           DUO_SOURCE, xlabel="academic year (count on 1 October)", order=list(labels.values()))
    ax.axhline(claim.test.target, color="#555555", linestyle="--", linewidth=1.2)
    ax.annotate(f"claim: {claim.test.target:g}%", (long["year"].min(), claim.test.target), va="bottom",
                fontsize=9)
    plt.show()
    places = evaluation.tables["locations"]
    where = []
    for code, name in INSTITUTIONS.items():
        towns = [c for c in places.columns if places.loc[code][c].sum() > 0] if code in places.index else []
        where.append(f"{name} teaches in {', '.join(towns) or 'no place listed'}")
    display(Markdown("Where the institutions teach, according to DUO: " + "; ".join(where) + ". Years without "
                     "a line have no complete count for both institutions (no DUO edition covers that year for "
                     "both, or the file is partial)."))

# %% [markdown]
# ## Reproduction

# %%
display(Markdown(present.reproduction_markdown(evaluation, region_name) if applies else
                 f"Not computed for {region_name}: {evaluation.reason}"))

# %% [markdown]
# ## Stress tests
#
# The readings vary the institutions (both together, or each alone), the campuses (all, or Twente only),
# the year and the DUO edition. Only the pooled share of both institutions in the years the article could
# refer to counts for the verdict; the other rows show how much the choice matters.

# %%
if applies:
    display(Markdown(present.stress_summary(evaluation)))
    if present.spec_curve(evaluation, DUO_SOURCE, title="Every reading of '36%' that counts for the verdict",
                          region_name=region_name) is not None:
        plt.show()
    display(overview.styled(present.stress_frame(evaluation, "share"), decimals=1))
    grid = evaluation.stress
    evaluable = grid[grid["evaluable"].astype(bool)]
    display(Markdown(
        f"Over all {len(evaluable)} computable readings (every year and edition, each institution alone or "
        f"together), the share ranges from {evaluable['value'].min():.1f}% to {evaluable['value'].max():.1f}%: "
        "which institutions and campuses are counted matters far more than the year."))
else:
    display(Markdown(f"No stress test for {region_name}: the claim is about two Twente institutions."))
display(Markdown("**Placebo ranking.** Not possible: the claim concerns two named institutions, not a quantity "
                 "that exists for every COROP region."))

# %% [markdown]
# ## Trend models
#
# The claim states a level ("ligt op 36%"), not a trend, so the job-trend models of the other pages do not
# apply. To show whether 36% was a stable level or a moving one, a log-linear trend is fitted to the pooled
# share over the years with a complete count (HAC errors, as elsewhere); with so few years this is a
# description, not a forecast.

# %%
if applies:
    pooled = shares["pooled_all"].dropna().rename("the Saxion + UT technical share")
    try:
        fitted = trends.loglinear_trend(pooled)
        display(Markdown(f"- {fitted.summary_text()}"))
        display(overview.styled(pd.DataFrame([{
            "estimate": "trend of the pooled share", "years": ", ".join(map(str, fitted.years)),
            "annual values": fitted.n, "% a year": f"{fitted.growth_pct:+.2f}%",
            "95% interval": f"{fitted.ci_low:+.2f}% to {fitted.ci_high:+.2f}%", "p-value": f"{fitted.p_value:.3f}"}])))
    except ValueError as exc:
        display(Markdown(f"No trend could be fitted: {exc}."))
else:
    display(Markdown(f"Not computed for {region_name}."))

# %% [markdown]
# ## Verdict

# %%
display(Markdown(present.verdict_markdown(evaluation.verdict, verdicts.RULE_TEXT, applicable=applies,
                                          reason=evaluation.reason, region_name=region_name)))

# %% [markdown]
# ## Sources

# %%
display(Markdown(present.sources_markdown([r["dataset_id"] for r in manifest["inputs"]
                                           if r["dataset_id"].startswith("duo-")], manifest, claim)))

# %%
present.record(evaluation, results_dir, region_name)
