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
# # Claims 2, 3 and 5: high-tech (HTSM) employment grew while the nation's fell
#
# Three sentences of the article are about the top sector *High Tech Systems and Materials* (HTSM): that its
# employment in Twente grew by 3% while it fell nationally, that this is "relatively" almost 1,800 more jobs
# than in 2010, and that the sector — and its employment — is growing fast. They rest on the same missing
# statistic: **no open data measure HTSM employment per region**. This page shows what the published figures
# and the nearest CBS series say, one claim after the other, with the verdicts first.

# %% tags=["parameters"]
region = "CR12"  # COROP region (Twente is CR12)
comparator = "NL01"  # the national comparator (Nederland)
base_year = None  # None keeps the periods registered for each claim (from 2010)
end_year = None  # None keeps the registered end years; the trend break is then 2017
results_dir = ""  # set by the report build; the three verdicts are recorded there

# %%
# Set-up: the logic lives in the package (analysis.engine.claims, analysis.report.present); this notebook shows and explains.
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from analysis.engine import claims, series, verdicts
from analysis.report import overview, plots, present

plots.use_house_style()
jobs = series.load_jobs()
region_name, comparator_name = present.check_parameters(jobs, region, comparator, base_year, end_year)
manifest = overview.read_manifest()
SOURCE = plots.source_text(["cbs-83582NED", "cbs-81402ned"], manifest) + "; published figures (Twente Index, CBS 83583NED)"
CBS_SOURCE = plots.source_text(["cbs-83582NED"], manifest)
CLAIM_IDS = ["htsm-growth", "htsm-relative-jobs", "tech-sector-growth"]
evaluations = {cid: claims.evaluate_claim(cid, region=region, comparator=comparator, base_year=base_year,
                                          end_year=end_year, jobs=jobs) for cid in CLAIM_IDS}
names = {code: series.short_name(name) for code, name in series.corop_regions(jobs).items()}


def claim_section(evaluation, number):
    """The claim, how it is measured, the reproduction and the stress test, for one claim."""
    claim = evaluation.claim
    display(Markdown(f"## Claim {number}: {claim.title}\n\n### The claim\n\n{present.claim_box(claim)}"))
    display(Markdown("### How we make it measurable\n\n"
                     + present.measurable_text(claim, region_name, comparator_name)))
    display(Markdown("### Reproduction\n\n"
                     + present.reproduction_markdown(evaluation, region_name, comparator_name)))
    display(Markdown("### Stress tests\n\n" + present.stress_summary(evaluation)))
    if present.spec_curve(evaluation, SOURCE, region_name=region_name, comparator_name=comparator_name):
        plt.show()
    display(overview.styled(present.stress_frame(evaluation, region_name, comparator_name), decimals=1))
    verdict = evaluation.verdict
    display(Markdown(f"**Verdict on claim {number}:** {present.verdict_badge(verdict.label)}. "
                     f"{verdict.evidence_en} *(Rule: {verdict.reason}.)*"))


# %% [markdown]
# ## In short

# %%
rows = []
for number, (cid, evaluation) in zip((2, 3, 5), evaluations.items(), strict=True):
    rows.append(f"- **Claim {number}** — *\"{evaluation.claim.text_nl}\"* — "
                f"{present.verdict_badge(evaluation.verdict.label)}. {evaluation.verdict.evidence_en}")
display(Markdown(f"*Region: {region_name} ({region}); comparator: {comparator_name}.*\n\n" + "\n".join(rows)))
note = present.region_note(evaluations["htsm-growth"], region_name)
if note:
    display(Markdown(note))

# %% [markdown]
# ## Why HTSM can only be approximated
#
# HTSM is a selection of detailed industry codes (SBI 2008 *divisions*, such as 25 metal products or 28
# machinery). CBS publishes regional employee jobs only by SBI *section* (a letter, such as C
# manufacturing), so a regional HTSM series cannot be formed from open data. This page therefore uses:
#
# - **published figures**: the Twente Index (Kennispunt Twente), which counts people working per
#   establishment from 2007 — another count and another start year than the article's "since 2010";
# - **CBS proxies**: section C (manufacturing, the narrow core), B–E (industry) and C+J+M (adding
#   information and communication and professional services, the broad variant), each broader than HTSM;
# - **nationally**, CBS employee jobs in SBI 28 machinery (table 83583NED), the only HTSM core division
#   available offline.
#
# The candidate code list below (not verified against CBS's official delineation) shows which divisions an
# HTSM selection would need and why none can be selected regionally.

# %%
definition = evaluations["htsm-growth"].tables.get("htsm_definition")
if definition is not None and len(definition):
    display(overview.styled(definition[[c for c in ("sbi_code", "description", "candidate_status", "narrow",
                                                     "broad", "confidence", "section") if c in definition]]))

# %%
claim_section(evaluations["htsm-growth"], 2)

# %%
claim_section(evaluations["htsm-relative-jobs"], 3)
consistency = evaluations["htsm-relative-jobs"].tables.get("consistency")
if consistency is not None and len(consistency):
    display(Markdown(
        "**Which reading makes 1,800 possible?** For each published Twente HTSM level: the absolute gain at +3%, "
        "the growth or base an absolute reading would need, and the national change a *relative* reading "
        "(the gain over what the national trend would have given) would need."))
    display(overview.styled(consistency[["base_level_label", "base_level", "absolute_gain",
                                         "base_needed_absolute", "national_growth_range_pct",
                                         "published_national_consistent"]].rename(columns={
        "base_level_label": "published level", "base_level": "level (persons)",
        "absolute_gain": "3% of it (jobs)", "base_needed_absolute": "level needed for 1,800 at 3%",
        "national_growth_range_pct": "national change needed, relative reading (%)",
        "published_national_consistent": "published national figure that fits"})))

# %%
claim_section(evaluations["tech-sector-growth"], 5)

# %% [markdown]
# ## Is the region unusual? (placebo ranking)
#
# If the claims single out the region, its industry should stand out among all 40 COROP regions on the
# same measure. The ranking uses the CBS proxy B–E, which CBS publishes for almost every region.

# %%
for cid in ("htsm-growth", "tech-sector-growth"):
    display(Markdown(present.placebo_text(evaluations[cid], region_name)))
placebo = evaluations["tech-sector-growth"].placebo
if placebo is not None:
    plots.plot_placebo(placebo.metric, region, source=CBS_SOURCE, names=names,
                       title=f"All 40 COROP regions: {placebo.label}", xlabel=placebo.label)
    plt.show()

# %% [markdown]
# ## Trend models
#
# The three claims share one trend analysis: industry (B–E) employee jobs, the nearest CBS proxy that is
# published for the region and, as a like-for-like sum, for the nation in every year.

# %%
trend_evaluation = evaluations["tech-sector-growth"]
display(Markdown(present.trend_text(trend_evaluation, region_name)))
display(overview.styled(present.trend_table(trend_evaluation)))
if present.plot_counterfactual(trend_evaluation.trends, CBS_SOURCE) is not None:
    plt.show()

# %% [markdown]
# ## Verdicts

# %%
for number, evaluation in zip((2, 3, 5), evaluations.values(), strict=True):
    display(Markdown(f"### Claim {number}: {evaluation.claim.title}\n\n"
                     + present.verdict_markdown(evaluation.verdict, None)))
display(Markdown(f"### The verdict rule\n\n*{verdicts.RULE_TEXT['en']}*\n\n"
                 f"<span lang=\"nl\">*{verdicts.RULE_TEXT['nl']}*</span>"))

# %% [markdown]
# ## Sources

# %%
figure_ids = list(dict.fromkeys(f for e in evaluations.values() for f in e.claim.published_figures))
display(Markdown(present.sources_markdown(["cbs-83582NED", "cbs-81402ned"], manifest, figure_ids=figure_ids)))

# %%
for evaluation in evaluations.values():
    display(present.record(evaluation, results_dir, region_name))
