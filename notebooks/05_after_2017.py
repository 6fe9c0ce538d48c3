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
# # What happened after 2017?
#
# The article was written in October 2017 with the figures then available. The data now run several years
# further. This page extends every series the claims rest on to the latest year in the data and asks one
# question: **does the picture of 2017 still hold?** For each series, a straight-line trend (on the log scale)
# is fitted to the years up to 2017 and projected forward with 95% prediction intervals; the actual figures
# are then compared with that projection.
#
# This page records no verdict: the article made no statement about the years after 2017, and the claim
# pages already count the later years as context only.

# %% tags=["parameters"]
region = "CR12"  # COROP region (Twente is CR12)
comparator = "NL01"  # the national comparator (Nederland)
base_year = 2010  # first year of the fitted trends
end_year = 2017  # last year of the fitted trends (the year of the article)
results_dir = ""  # set by the report build; this page records no claim result

# %%
# Set-up: the logic lives in the package (analysis.report.present, analysis.stats.trends); this notebook shows and explains.
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.engine import claims, series
from analysis.report import overview, plots, present
from analysis.stats.growth import format_percent

plots.use_house_style()
jobs = series.load_jobs()
region_name, comparator_name = present.check_parameters(jobs, region, comparator, base_year, end_year)
manifest = overview.read_manifest()
CBS_SOURCE = plots.source_text(["cbs-83582NED"], manifest)
latest = int(jobs.loc[jobs["source_table"] == series.MAIN_TABLE, "year"].max())
cutoff = end_year + 1  # the first projected year

# %% [markdown]
# ## In short

# %%
SECTIONS = {"B-E": "industry (B–E)", "C": "manufacturing (C)", "C+J+M": "broad high-tech proxy (C+J+M)",
            "A-U": "all jobs (A–U)"}
named = {}
for sbi, label in SECTIONS.items():
    named[f"{region_name}, {label}"] = series.jobs_series(jobs, region, sbi).loc[base_year:]
balanced = series.balanced_sum(jobs, "B-E", range(base_year, latest + 1))
named[f"{comparator_name} like-for-like, industry (B–E)"] = balanced.values.loc[base_year:]
table, results = present.projection_table(named, cutoff)
computed = dict(results)
above = [n for n, r in computed.items() if r.table.iloc[-1]["actual"] > r.table.iloc[-1]["upper"]]
below = [n for n, r in computed.items() if r.table.iloc[-1]["actual"] < r.table.iloc[-1]["lower"]]
inside = [n for n in computed if n not in above and n not in below]
lines = [(f"*Region: {region_name} ({region}); trends fitted on {base_year}–{end_year}, compared with the actual "
         f"figures up to {latest}.*"), ""]
if above:
    lines.append(f"- **Above the 2017 trend in {latest}** (better than the trend predicted): {', '.join(above)}.")
if below:
    lines.append(f"- **Below the 2017 trend in {latest}**: {', '.join(below)}.")
if inside:
    lines.append(f"- **Within the 2017 trend's interval in {latest}**: {', '.join(inside)}.")
skipped = [n for n in named if n not in computed]
if skipped:
    lines.append(f"- **No projection possible** (too few published years): {', '.join(skipped)}.")
display(Markdown("\n".join(lines)))

# %% [markdown]
# ## Every series, extended
#
# An index (first year = 100) puts the region and the nation on one scale. The vertical line marks the
# article's year.

# %%
first = base_year
long = pd.concat([s.dropna().rename("jobs").rename_axis("year").reset_index().assign(series=name)
                  for name, s in named.items() if first in s.dropna().index])
ax = plots.plot_index(long, "year", "jobs", "series", first, f"Employee jobs, {first} = 100, up to {latest}",
                      CBS_SOURCE, xlabel="year (December)")
ax.axvline(end_year, color="#777777", linewidth=1, linestyle=":")
plt.show()
display(Markdown(f"The national line is a like-for-like sum: {balanced.description}. Lines missing from the chart "
                 f"have no published figure in {first}."))

# %% [markdown]
# ## Projections from the trend up to 2017
#
# For each series: the average yearly growth up to the article's year, what that trend predicts for the latest
# year (with a 95% prediction interval: the range a single year would fall in if the trend had simply
# continued), and what actually happened. The intervals assume independent year-to-year deviations; with
# roughly eight yearly figures before 2018 they are rough, and a run of years outside them is one piece of
# evidence, not several.

# %%
display(overview.styled(table))
main = f"{region_name}, {SECTIONS['B-E']}"
if main in results:
    present.plot_projection(named[main], results[main], CBS_SOURCE)
    plt.show()
    display(Markdown(f"- {results[main].summary_text()}"))

# %% [markdown]
# ## Do the claims' readings still hold with later data?

# %%
evaluations = {cid: claims.evaluate_claim(cid, region=region, comparator=comparator, jobs=jobs)
               for cid in ("industry-decline", "tech-sector-growth")}
notes = []
decline = evaluations["industry-decline"].trends
if decline is not None and decline.segmented is not None:
    seg = decline.segmented
    notes.append(f"- **Industry decline (claim 1).** {seg.summary_text().split(' With n=')[0]}")
growth_grid = evaluations["tech-sector-growth"].stress
later = growth_grid[(growth_grid["family"] == "CBS trend") & growth_grid["evaluable"].astype(bool)
                    & (growth_grid["end_year"] > end_year)]
for _, row in later.iterrows():
    faster = "faster" if row["region_value"] > row["comparator_value"] else "not faster"
    notes.append(f"- **High-tech growth (claim 5), proxy {row['series']}, {row['base_year']}–{row['end_year']}, "
                 f"nation {row['national']}:** {region_name} {format_percent(row['region_value'], 2)} a year against "
                 f"{format_percent(row['comparator_value'], 2)} — {faster} than the nation.")
display(Markdown("\n".join(notes) if notes else "No later-year readings can be computed for this region."))

# %%
if region == "CR12":
    enrolment = series.load_enrolment()
    students = claims.evaluate_claim("technical-students", region=region, jobs=jobs, enrolment=enrolment)
    pooled = students.tables["shares_by_year"]["pooled_all"].dropna()
    after = pooled.loc[end_year + 1:]
    text = (f"- **Technical students (claim 4).** The Saxion + UT share was {pooled.get(end_year, float('nan')):.1f}% "
            f"in {end_year}" + (f" and {after.iloc[-1]:.1f}% in {after.index[-1]}, above the article's 36% in every "
                                f"later year with a complete count ({', '.join(map(str, after.index))})."
                                if len(after) and (after > 36).all() else
                                f"; later years: {', '.join(f'{y}: {v:.1f}%' for y, v in after.items())}."))
    display(Markdown(text))
else:
    display(Markdown(f"The student claim is about two Twente institutions and is not extended for {region_name}."))

# %% [markdown]
# ## What this means
#
# The claims were about the years up to 2016/2017. A trend that broke after 2017 does not make a statement
# about 2010–2016 wrong, and a trend that held does not make it right; this page only shows whether the
# picture the article drew would still describe the region today. Short series make every projection here
# uncertain.
#
# ## Sources

# %%
display(Markdown(present.sources_markdown(["cbs-83582NED"], manifest)))
