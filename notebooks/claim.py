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

# %% tags=["parameters"]
claim_id = ""  # a claim id of src/analysis/data/claims.toml (empty: the first claim by order)
region = ""  # a region code such as CR12 Twente, PV23 Overijssel, NL01 (empty: the claim's own region)
base_year = None  # None: the claim's registered reading
end_year = None  # None: the claim's registered reading
comparator = None  # None: the claim's registered reading
results_dir = ""  # where the claim's result JSON goes (set by the report build)
site_dir = ""  # the edition root the report stages (figure CSVs go to {site_dir}/data/{page_stem}/)
page_stem = ""  # this page's file name without .html

# %%
# One page per claim of the registry: every text comes from the message catalogues and the registry,
# every number from the engine's check in this run (analysis.report.claimpage shows the sections).
from analysis.engine.check import check as check_claim
from analysis.engine.check import registry_for
from analysis.report import claimpage, plots, record, shiftshare_table
from analysis.report import overview as data_overview

plots.use_house_style()
claim_id = claim_id or registry_for(claimpage.registry_file()).first_claim  # "Run all" as it is: the first claim
page_stem = page_stem or f"claim-{claim_id}"
overrides, ignored = claimpage.split_overrides(claim_id, base_year=base_year, end_year=end_year, comparator=comparator)
check = check_claim(claim_id, region or None, registry=claimpage.registry_file(), **overrides)
manifest = data_overview.read_manifest()
datasets = claimpage.datasets_used(check, manifest)
source = claimpage.source_line(datasets, manifest)

# %%
claimpage.show_title(check)
claimpage.show_verdict(check)
claimpage.show_ignored_overrides(ignored)

# %%
claimpage.show_claim(check)
claimpage.show_measurable(check)

# %%
claimpage.show_reproduction(check)
claimpage.show_headline_series(check, source=source, site_dir=site_dir, page_stem=page_stem)

# %%
claimpage.show_perturbations(check, source=source, site_dir=site_dir, page_stem=page_stem)

# %%
claimpage.show_context(check)
shiftshare_table.show_shift_share(check)  # relative_gain claims only: the whole change split

# %%
claimpage.show_trends(check, source=source, site_dir=site_dir, page_stem=page_stem)
claimpage.show_placebo(check, source=source, site_dir=site_dir, page_stem=page_stem)

# %%
claimpage.show_ex_post(check)

# %%
claimpage.show_sources(check, manifest, datasets)

# %%
written = record.record_check(check, results_dir, order=claimpage.claim_order(claim_id),
                              title=claimpage.claim_title(claim_id), quote=claimpage.claim_quote(claim_id),
                              headline=claimpage.headline_text(check), said_by=claimpage.said_by(claim_id))
