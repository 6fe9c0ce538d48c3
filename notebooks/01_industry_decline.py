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
# # Claim 1: manufacturing employment fell sharply since 2010
#
# The article says that employment in manufacturing fell sharply since 2010, both in the Netherlands
# and in Twente. This page checks that sentence against CBS figures of employee jobs, for the region
# chosen below against the Netherlands. The verdict comes first; the sections after it show how it
# was reached.

# %% tags=["parameters"]
region = "CR12"  # COROP region (Twente is CR12)
comparator = "NL01"  # the national comparator (Nederland)
base_year = None  # None keeps the periods registered for the claim (from 2010)
end_year = None  # None keeps the registered end years; the trend break is then 2017
results_dir = ""  # set by the report build; the verdict is recorded there

# %%
# Set-up: the logic lives in the package (analysis.engine.claims, analysis.report.present); this notebook shows and explains.
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.engine import claims, series, verdicts
from analysis.report import overview, plots, present

plots.use_house_style()
jobs = series.load_jobs()
region_name, comparator_name = present.check_parameters(jobs, region, comparator, base_year, end_year)
manifest = overview.read_manifest()
CBS_SOURCE = plots.source_text(["cbs-83582NED", "cbs-81402ned"], manifest)
evaluation = claims.evaluate_claim("industry-decline", region=region, comparator=comparator,
                                   base_year=base_year, end_year=end_year, jobs=jobs)
claim = evaluation.claim

# %% [markdown]
# ## In short

# %%
display(Markdown(f"*Region: {region_name} ({region}); comparator: {comparator_name}.*\n\n"
                 + present.summary_markdown(evaluation, region_name)))

# %% [markdown]
# ## The claim

# %%
display(Markdown(present.claim_box(claim)))

# %% [markdown]
# ## How we make it measurable
#
# "Manufacturing" is SBI 2008 section C (*Industrie*). CBS publishes it per COROP region, but often
# suppresses it: then the broader group B–E (manufacturing plus mining, energy and water supply, of which
# manufacturing is by far the largest part) stands in. The claim gives no number for "sharply" (*fors*),
# so the registry reads it as a fall of at least the threshold below in **both** the region and the
# Netherlands; any fall at all is the weak reading (the direction).

# %%
display(Markdown(present.measurable_text(claim, region_name, comparator_name)))
trend_set = evaluation.trends
first = trend_set.first_year
lines = {f"{region_name}, SBI B–E": trend_set.region_series,
         trend_set.comparator_label: trend_set.comparator_series,
         f"{region_name}, SBI C": series.jobs_series(jobs, region, "C").loc[first:]}
long = pd.concat([s.dropna().rename("employee jobs").rename_axis("year").reset_index().assign(series=name)
                  for name, s in lines.items()
                  if first in s.dropna().index])  # a line needs its base year to be indexed
region_c = lines[f"{region_name}, SBI C"].dropna()
plots.plot_index(long, "year", "employee jobs", "series", first,
                 f"Employee jobs in industry, {first} = 100", CBS_SOURCE, xlabel="year (December)")
plt.show()
missing_c = sorted(set(range(first, int(long["year"].max()) + 1)) - set(region_c.index))
display(Markdown(
    f"The national line is the sum of the COROP regions that CBS published in every year "
    f"({trend_set.notes[0].removeprefix('Comparator: ').rstrip('.')}): a like-for-like comparison, because the "
    "national sum of all regions misses suppressed regions in some years."
    + (f" {region_name}'s own SBI C figure is not published for {len(missing_c)} year(s) "
       f"({', '.join(map(str, missing_c))})." if len(missing_c) else "")))

# %% [markdown]
# ## Reproduction

# %%
display(Markdown(present.reproduction_markdown(evaluation, region_name, comparator_name)))

# %% [markdown]
# ## Stress tests
#
# Would another reasonable reading of the claim give another answer? Each dot below is one reading;
# the panel underneath shows which choices it makes.

# %%
display(Markdown(present.stress_summary(evaluation)))
figure = present.spec_curve(evaluation, CBS_SOURCE, region_name=region_name,
                            comparator_name=comparator_name)
if figure is not None:
    plt.show()
display(overview.styled(present.stress_frame(evaluation, region_name, comparator_name), decimals=1))
threshold = evaluation.verdict.numbers.get("threshold_all_hold") if evaluation.verdict else None
if threshold is not None:
    display(Markdown(
        f"**How much hangs on the word 'fors'?** The claim would hold in every reading above if a fall of "
        f"{threshold:.1f}% already counted as sharp; the registry reads 'fors' as at least "
        f"{claim.test.threshold:g}%."))

# %%
placebo = evaluation.placebo
display(Markdown(present.placebo_text(evaluation, region_name)))
if placebo is not None:
    names = {code: series.short_name(name) for code, name in series.corop_regions(jobs).items()}
    plots.plot_placebo(placebo.metric, region, source=CBS_SOURCE, names=names,
                       title=f"All 40 COROP regions: {placebo.label}", xlabel=placebo.label)
    plt.show()

# %% [markdown]
# ## Trend models

# %%
display(Markdown(present.trend_text(evaluation, region_name)))
display(overview.styled(present.trend_table(evaluation)))
if present.plot_counterfactual(trend_set, CBS_SOURCE) is not None:
    plt.show()

# %% [markdown]
# ## Verdict

# %%
display(Markdown(present.verdict_markdown(evaluation.verdict, verdicts.RULE_TEXT, applicable=evaluation.applicable,
                                          reason=evaluation.reason, region_name=region_name)))

# %% [markdown]
# ## Sources

# %%
display(Markdown(present.sources_markdown(["cbs-83582NED", "cbs-81402ned"], manifest, claim)))

# %%
present.record(evaluation, results_dir, region_name)
