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
region = "CR12"  # COROP region (Twente is CR12)
base_year = None  # None: each claim's registered reading
end_year = None  # None: each claim's registered reading
comparator = None  # None: each claim's registered reading
results_dir = ""  # this page records no claim result
site_dir = ""  # the edition root the report stages (figure CSVs go to {site_dir}/data/{page_stem}/)
page_stem = "after-2017"  # this page's file name without .html

# %%
# Every claim of the registry on the data published after its date (analysis.report.afterpage):
# the engine's ex-post readings and the trend models extended past the claim's date.
from analysis.i18n import Num, Text
from analysis.report import afterpage, claimpage, claimtexts, plots
from analysis.report import bilingual as bi
from analysis.report import overview as data_overview

plots.use_house_style()
results = afterpage.checks(region, base_year=base_year, end_year=end_year, comparator=comparator)
manifest = data_overview.read_manifest()
datasets = list(dict.fromkeys(d for check in results for d in claimpage.datasets_used(check, manifest)))

# %%
year = Num(claimtexts.claim_year(), "year")  # the article's year (the registry's article date)
bi.page_title(Text("page.after.title", {"year": year}))
bi.paragraph(Text("page.region_line_plain", {"region_name": results[0].region_name, "region": region}))
bi.paragraph(Text("page.after.intro", {"year": year, "date": claimtexts.claim_date()}))

# %%
bi.heading(Text("page.after.summary_heading"))
afterpage.show_summary(results)

# %%
bi.heading(Text("page.after.trends_heading"))
if not afterpage.show_trend_extensions(results, manifest=manifest, site_dir=site_dir, page_stem=page_stem):
    bi.paragraph(Text("page.after.no_series"))

# %%
bi.heading(Text("page.after.meaning_heading"))
bi.paragraph(Text("page.after.meaning", {"year": year}))
claimpage.show_sources(results[0], manifest, datasets)
