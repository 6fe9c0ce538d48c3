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
# # Data overview: what this report rests on
#
# Every page of this report uses the same few open data sets: employee jobs by industry and region
# from **CBS** (Statistics Netherlands) and student enrolment from **DUO** (the Dutch education
# executive agency). This page says where each one comes from, which years and regions it covers,
# and — just as important — **where the data are thin**: figures CBS did not publish, national
# figures that had to be added up from the regions, masked student counts, a partial file, and a
# revision between two releases of the same statistic.
#
# *Read this page first if a figure elsewhere surprises you: most surprises are explained here.*
# This page gives no verdict on a claim.

# %% tags=["parameters"]
region = "CR12"  # COROP region for the regional sections (Twente is CR12)
comparator = "NL01"  # the national comparator used on the claim pages
base_year = 2010
end_year = 2016
results_dir = ""  # set by the report build; this page records no claim result

# %%
# Set-up: the logic lives in the package (analysis.report.overview); this notebook only shows and explains.
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from analysis.engine import series
from analysis.report import overview, plots

plots.use_house_style()
jobs = series.load_jobs()
enrolment = series.load_enrolment()
manifest = overview.read_manifest()
region_name = series.corop_regions(jobs).get(region)
if region_name is None:
    raise ValueError(f"unknown COROP region {region!r}: use one of {', '.join(series.corop_regions(jobs))}")
short_name = region_name.removesuffix(" (CR)")
CBS_SOURCE = plots.source_text(["cbs-83582NED"], manifest)
INSTITUTIONS = {"23AH": "Saxion", "21PH": "Universiteit Twente"}

# %% [markdown]
# ## 1. Sources
#
# All figures are computed from these files. *Retrieved* is when this copy was taken; *origin* says
# whether it came from the publisher's live service or from the project's offline mirror (a
# checked copy laid out exactly as the publisher delivers it). CBS data are published under
# CC BY 4.0 ("Bron: CBS"), DUO open data for free reuse ("Bron: DUO").

# %%
display(overview.styled(overview.sources_table(manifest)))
display(Markdown(f"The processed tables were built on {manifest['built_at'][:10]} from these inputs; "
                 f"every input's checksum is recorded in `data/processed/manifest.json`."))

# %% [markdown]
# ## 2. Coverage
#
# **Years.** A ✓ means the source has published figures for that year. The current CBS table
# (83582NED) starts in 2010; the older release (81402ned) covers 2008–2010 and overlaps it in
# 2010. The DUO files are *editions*: each covers five to ten years, and consecutive editions overlap.

# %%
display(overview.styled(overview.coverage_grid(jobs, enrolment).reset_index()))

# %% [markdown]
# **Regions.** The report compares one of the 40 COROP regions with the Netherlands.

# %%
display(overview.styled(overview.region_coverage(jobs)))
national_published = overview.has_published_national_rows(jobs)
display(Markdown(
    "The current CBS table has national rows as published by CBS."
    if national_published else
    "**The copy of the current CBS table (83582NED) used here has no national rows.** It was downloaded "
    "for the COROP regions only, so the national figure for the Netherlands is *derived here* as the sum "
    "of the 40 COROP regions plus CR99 (jobs that cannot be assigned to a region). Where CBS did not "
    "publish a region's figure, that region is missing from the sum, which is then a lower bound — "
    "section 3b lists where that happens."))

# %% [markdown]
# ## 3. Gaps
#
# ### 3a. Figures CBS did not publish
#
# CBS suppresses a cell when publishing it could reveal a single employer, or when the estimate is
# too uncertain. The chart counts, for each industry (SBI section) and year, in how many of the
# 41 regions (40 COROP regions and CR99) the figure is missing.

# %%
suppressed = overview.suppressed_by_year_sbi(jobs)
summary = overview.suppressed_summary(jobs)
ax = plots.plot_count_heatmap(
    suppressed, title="Unpublished cells in CBS 83582NED, per industry and year",
    xlabel="year (December)", ylabel="SBI 2008 section",
    colorbar_label="regions without a published figure (count)", source=CBS_SOURCE)
plt.show()
manufacturing = suppressed.loc["C"] if "C" in suppressed.index else None
worst = (f" Manufacturing (section C) is the worst affected where it matters most for these claims: "
         f"between {manufacturing.loc[2014:2018].min()} and {manufacturing.loc[2014:2018].max()} regions "
         f"are missing in each year 2014–2018, so a national total of manufacturing cannot be formed "
         f"for those years." if manufacturing is not None and len(manufacturing.loc[2014:2018]) else "")
display(Markdown(f"{summary['suppressed']:,} of {summary['cells']:,} cells ({summary['suppressed'] / summary['cells']:.1%}) "
                 f"are not published.{worst}"))

# %% [markdown]
# For the region this report is about, these cells are missing. A cell can sometimes be recovered
# from the industry hierarchy (for example *B–E = B + C + D + E*: if only one part is missing it equals
# the total minus the others); the last column says whether that worked.

# %%
gaps = overview.region_gaps(jobs, region)
display(Markdown(f"**{short_name} ({region})**: {gaps['cells'].sum()} unpublished cells." if len(gaps) else
                 f"**{short_name} ({region})**: every cell is published."))
if len(gaps):
    display(overview.styled(gaps))

# %% [markdown]
# ### 3b. National figures that are sums of regions
#
# Because the national rows are derived (section 2), a national figure is only complete when every
# region's figure is published. The table lists, for the totals the claims use — all jobs (A–U),
# industry incl. energy and water (B–E) and manufacturing (C) — the years in which regions are missing
# from the sum (`missing_parts` in the data). CR99 alone is a few thousand jobs; 20 missing regions
# make the figure useless.

# %%
incomplete = overview.national_sums(jobs, sbi=["A-U", "B-E", "C"], max_listed=8)
display(overview.styled(incomplete.drop(columns=["derivation"])))
grid = overview.national_missing_grid(jobs)
display(Markdown(f"Across all {len(grid)} sections, {int((grid > 0).to_numpy().sum())} of {grid.size} national "
                 f"figures miss at least one region; {int((grid == 0).to_numpy().sum())} are complete sums."))

# %% [markdown]
# ### 3c. Cells recovered from the industry hierarchy
#
# These cells were unpublished but follow exactly from their parent and siblings (within CBS's rounding
# to hundreds). They are marked `derived` in the data and used where the published cell is missing.

# %%
recovered = overview.hierarchy_derived(jobs)
in_current = recovered[recovered["table"] == overview.MAIN_TABLE]
display(Markdown(f"{len(recovered)} cells were recovered this way, {len(in_current)} of them in the current "
                 f"table (listed below) and {len(recovered) - len(in_current)} in the older release. "
                 "Most unpublished cells cannot be recovered: two or more parts of the same total are missing."))
display(overview.styled(in_current))

# %% [markdown]
# ### 3d. Masked student counts (DUO)
#
# DUO hides small counts: the 2024 hbo edition shows counts below 5 as `<5`, the 2025 wo file uses
# `-1` for suppressed cells. A masked cell hides 1 to 4 students; these are left out of the totals
# (never counted as zero, never guessed), so totals with masked cells are slight underestimates.

# %%
display(overview.styled(overview.masked_by_edition(enrolment)))

# %% [markdown]
# ### 3e. Which years each institution is covered, and the partial 2025 file
#
# The claims about students concern Saxion (hbo) and the University of Twente (wo). No single DUO
# file covers both over the whole period.

# %%
display(overview.styled(overview.institution_coverage(enrolment, INSTITUTIONS)))
missing_years = overview.uncovered_years(enrolment, INSTITUTIONS, range(2010, int(enrolment["year"].max()) + 1))
lines = [f"- **{name}**: no counts for {', '.join(map(str, years))}" for name, years in missing_years.items() if years]
display(Markdown("Years with no counts at all:\n\n" + "\n".join(lines) if lines else "Every year is covered."))
partial = overview.partial_inputs(manifest)
if len(partial):
    display(Markdown("**Partial files.** The newest wo file available offline was copied by hand and is "
                     "incomplete; results that use it say so:"))
    display(overview.styled(partial))

# %% [markdown]
# ### 3f. Two releases of the same statistic
#
# CBS revises its figures. The older table (81402ned, December 2008–2010, 2010 marked *provisional*)
# and the current table (83582NED, from 2010) both contain December 2010. A claim that compares "since
# 2010" gives a different answer depending on which release it started from.

# %%
revision = overview.vintage_comparison(jobs, region)
national_revision = overview.vintage_comparison(jobs, "NL01")
display(overview.styled(revision.assign(region=short_name)))
if len(revision):
    row = revision.iloc[0]
    display(Markdown(
        f"For {short_name}, employee jobs in December {int(row['year'])} were "
        f"{row['81402ned (older release)'] / 1000:,.1f} thousand in the older release and "
        f"{row['83582NED (current)'] / 1000:,.1f} thousand in the current one: a revision of "
        f"{row['revision'] / 1000:+,.1f} thousand ({row['revision (%)']:+.2f}%). This is a revision by CBS, "
        "not an error in either table."))
if len(national_revision):
    row = national_revision.iloc[0]
    display(Markdown(
        f"Nationally the two releases differ by {row['revision'] / 1000:+,.1f} thousand jobs "
        f"({row['revision (%)']:+.2f}%) in {int(row['year'])}; the current national figure is "
        + ("published by CBS." if row["current figure"] == "published" else
           f"derived here as the {row['current figure']}, the older one is published by CBS.")))

# %% [markdown]
# ## 4. What this means when reading the claim pages
#
# - **National figures are sums of regions.** Where a year's sum misses regions it understates the
#   Netherlands; a comparison with the nation is only as good as that year's sum (section 3b).
# - **Manufacturing (section C) cannot be summed nationally for 2014–2018**: too many regions are
#   unpublished. The broader industry total B–E, or the same set of regions in every year, is the
#   honest alternative.
# - **There is no regional high-tech (HTSM) series in open data**: CBS publishes regional jobs by SBI
#   *section* only, not by the 2-digit divisions an HTSM selection needs. Any HTSM figure for a region
#   needs a proxy, and the proxy is a choice.
# - **Student totals with masked cells are slight underestimates**, and the 2025 University of Twente
#   figure comes from a partial, hand-copied file.
# - **"Since 2010" depends on the release**: the older and the current CBS table differ for 2010.

# %%
display(Markdown(f"*Region on this page: {short_name} ({region}). Data processed {manifest['built_at'][:10]}.*"))
