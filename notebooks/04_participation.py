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
# # Claim 6: 80% of large and 60% of mid-sized high-tech firms take part in Techniekpact Twente
#
# The article says that almost 80% of high-tech firms with more than 250 employees, and 60% of those with
# more than fifty, are actively involved in Techniekpact Twente. This page explains why open data cannot
# test that, and what data would.

# %% tags=["parameters"]
region = "CR12"  # COROP region (Twente is CR12); the claim applies to Twente only
comparator = "NL01"  # not used by this claim (kept for a uniform set of parameters)
base_year = None  # not used by this claim
end_year = None  # not used by this claim
results_dir = ""  # set by the report build; the verdict is recorded there

# %%
# Set-up: the logic lives in the package (analysis.engine.claims, analysis.report.present); this notebook shows and explains.
from IPython.display import Markdown, display

from analysis.engine import claims, series, verdicts
from analysis.report import overview, present

jobs = series.load_jobs()
region_name, comparator_name = present.check_parameters(jobs, region, comparator, base_year, end_year)
manifest = overview.read_manifest()
evaluation = claims.evaluate_claim("participation", region=region, comparator=comparator, jobs=jobs)
claim = evaluation.claim
applies = evaluation.applicable

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
# Two numbers would be needed: how many high-tech firms of each size there are in Twente, and how many of
# them are "actively involved" in the programme. Neither is public.

# %%
display(Markdown(present.measurable_text(claim, region_name, comparator_name, applicable=applies)))
display(Markdown(f"**What would settle it.** {claim.extra.get('settled_by', '')}\n\n"
                 f"<span lang=\"nl\">**Wat het zou beslechten.** {claim.extra.get('settled_by_nl', '')}</span>"))

# %% [markdown]
# ## Reproduction

# %%
display(Markdown(present.reproduction_markdown(evaluation, region_name) if applies else
                 f"Not computed for {region_name}: {evaluation.reason}"))

# %% [markdown]
# ## Stress tests

# %%
display(Markdown(present.stress_summary(evaluation) + "\n\n" + present.placebo_text(evaluation, region_name)))

# %% [markdown]
# ## Trend models

# %%
display(Markdown(present.trend_text(evaluation, region_name)
                 + " Participation in a programme has no yearly public series to model."))

# %% [markdown]
# ## Verdict

# %%
display(Markdown(present.verdict_markdown(evaluation.verdict, verdicts.RULE_TEXT, applicable=applies,
                                          reason=evaluation.reason, region_name=region_name)))

# %% [markdown]
# ## Sources
#
# No data set was used: nothing public measures the claim. The sentence is quoted from the article
# *Techniekpact Twente: wat is dat?* (18 October 2017).

# %%
present.record(evaluation, results_dir, region_name)
