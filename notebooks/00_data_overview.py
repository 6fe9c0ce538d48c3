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
region = "CR12"  # COROP region for the regional sections (Twente is CR12)
base_year = None  # not used here: the page describes the data, not a claim
end_year = None
comparator = None
results_dir = ""  # this page records no claim result
site_dir = ""  # the edition root the report stages (figure CSVs go to {site_dir}/data/{page_stem}/)
page_stem = "overview"  # this page's file name without .html

# %%
# What the report rests on and where the data are thin (analysis.report.overview computes the
# tables; every text comes from the catalogue, every number from this run).
from analysis.engine import series
from analysis.i18n import Num, Text, catalogue
from analysis.report import bilingual as bi
from analysis.report import claimpage, plots
from analysis.report import overview as ov

plots.use_house_style()
jobs = series.load_jobs()
enrolment = series.load_enrolment()
manifest = ov.read_manifest()
regions = series.corop_regions(jobs)
if region not in regions:
    raise ValueError(f"unknown COROP region {region!r}: use one of {', '.join(regions)}")
region_name = series.short_name(regions[region])
institution_codes = claimpage.named_institutions()  # the institutions the claims name
names = enrolment.drop_duplicates("institution_code").set_index("institution_code")["institution_name"]
institutions = {code: str(names.get(code, code)) for code in institution_codes}
source = claimpage.source_line([f"cbs-{ov.MAIN_TABLE}"], manifest)

# %%
bi.page_title(Text("page.ov.title"))
bi.paragraph(Text("page.region_line_plain", {"region_name": region_name, "region": region}))
bi.paragraph(Text("page.ov.intro"))

# %%
bi.heading(Text("page.ov.sources_heading"))
bi.paragraph(Text("page.ov.sources_intro"))
bi.table(ov.sources_table(manifest), {
    "publisher": Text("page.ov.col.publisher"), "table / edition": Text("page.ov.col.table"),
    "title": Text("page.ov.col.title"), "licence": Text("page.ov.col.licence"),
    "retrieved": Text("page.ov.col.retrieved"), "mode": Text("page.ov.col.mode"),
    "caveat": Text("page.ov.col.caveat")},
    {"mode": lambda mode, lang: Text(f"page.mode.{mode}").render(lang) if mode in ("mirror", "live") else mode})
bi.paragraph(Text("page.ov.built", {"date": str(manifest["built_at"])[:10], "n": len(manifest.get("inputs", []))}))

# %%
bi.heading(Text("page.ov.coverage_heading"))
bi.paragraph(Text("page.ov.years_intro"))
grid = ov.coverage_grid(jobs, enrolment).reset_index()
bi.table(grid, {"source": Text("page.ov.col.source"), **{year: str(year) for year in grid.columns[1:]}})
bi.paragraph(Text("page.ov.regions_intro"))
bi.table(ov.region_coverage(jobs), {
    "table": Text("page.ov.col.table"), "level": Text("page.ov.col.level"), "regions": Text("page.ov.col.regions"),
    "example": Text("page.ov.col.example"), "rows read from CBS": Text("page.ov.col.rows_read"),
    "rows derived here": Text("page.ov.col.rows_derived")},
    {"rows read from CBS": bi.number(), "rows derived here": bi.number(),
     "level": lambda level, lang: Text(f"page.level.{level}").render(lang) if f"page.level.{level}" in catalogue()
     else level})

# %%
bi.heading(Text("page.ov.gaps_heading"))
bi.heading(Text("page.ov.suppressed_heading"), level=3)
bi.paragraph(Text("page.ov.suppressed_intro", {"n": len(regions)}))
suppressed = ov.suppressed_by_year_sbi(jobs)
summary = ov.suppressed_summary(jobs)
worst = suppressed.stack().idxmax()
bi.paragraph(Text("page.ov.suppressed_summary", {
    "suppressed": Num(summary["suppressed"]), "cells": Num(summary["cells"]), "table": ov.MAIN_TABLE,
    "share": Num(100 * summary["suppressed"] / summary["cells"], "percent", 1),
    "fixed": Num(summary["fixed_by_hierarchy"])}))
heatmap_data = suppressed.reset_index()
heatmap_data.columns = [str(c) for c in heatmap_data.columns]


def draw_heatmap(data, lang):
    table = data.set_index(data.columns[0])
    table.columns = [int(c) for c in table.columns]
    ax = plots.plot_count_heatmap(
        table, title=Text("page.ov.heatmap.title", {"table": ov.MAIN_TABLE}).render(lang),
        xlabel=Text("page.ov.heatmap.xlabel").render(lang), ylabel=Text("page.ov.heatmap.ylabel").render(lang),
        colorbar_label=Text("page.ov.heatmap.colorbar").render(lang), source=bi.localise(source, lang))
    return ax.figure


bi.show_figure(draw_heatmap, heatmap_data, name="unpublished-cells", source=source, site_dir=site_dir,
               page_stem=page_stem, alt=Text("page.ov.heatmap.alt", {
                   "first": Num(int(suppressed.columns.min()), "year"), "last": Num(int(suppressed.columns.max()), "year"),
                   "max": Num(int(suppressed.to_numpy().max())), "sbi": worst[0], "year": Num(int(worst[1]), "year")}))

# %%
gaps = ov.region_gaps(jobs, region)
if len(gaps):
    bi.paragraph(Text("page.ov.region_gaps_intro", {"region_name": region_name}))
    bi.table(gaps, {"SBI section": Text("page.ov.col.sbi"), "section": Text("page.ov.col.section"),
                    "years not published": Text("page.ov.col.years_missing"), "cells": Text("page.ov.col.cells"),
                    "recovered from the hierarchy": Text("page.ov.col.recovered")},
             {"recovered from the hierarchy": bi.yes_no})
else:
    bi.paragraph(Text("page.ov.region_no_gaps", {"region_name": region_name}))

# %%
bi.heading(Text("page.ov.national_heading"), level=3)
bi.paragraph(Text("page.ov.national_intro"))
incomplete = ov.national_sums(jobs, sbi=["A-U", "B-E", "C"], max_listed=8)
bi.table(incomplete, {"SBI section": Text("page.ov.col.sbi"), "year": Text("page.ov.col.year"),
                      "employee jobs (sum of regions present)": Text("page.ov.col.jobs_sum"),
                      "missing regions": Text("page.ov.col.missing_regions"),
                      "regions missing from the sum": Text("page.ov.col.missing_list")},
         {"employee jobs (sum of regions present)": bi.number(round_to=100)})
missing_grid = ov.national_missing_grid(jobs)
bi.paragraph(Text("page.ov.national_summary", {"sections": len(missing_grid), "total": Num(missing_grid.size),
                                               "incomplete": Num(int((missing_grid > 0).to_numpy().sum()))}))

# %%
bi.heading(Text("page.ov.hierarchy_heading"), level=3)
recovered = ov.hierarchy_derived(jobs)
bi.paragraph(Text("page.ov.hierarchy_summary", {"n": len(recovered)}))
bi.table(recovered, {"table": Text("page.ov.col.table"), "region": Text("page.ov.col.region"),
                     "SBI section": Text("page.ov.col.sbi"), "year": Text("page.ov.col.year"),
                     "employee jobs (derived)": Text("page.ov.col.jobs_derived")},
         {"employee jobs (derived)": bi.number(round_to=100)})

# %%
bi.heading(Text("page.ov.masked_heading"), level=3)
bi.paragraph(Text("page.ov.masked_intro"))
bi.table(ov.masked_by_edition(enrolment), {
    "edition": Text("page.ov.col.edition"), "level": Text("page.ov.col.level"), "years": Text("page.ov.col.years"),
    "rows": Text("page.ov.col.rows"), "masked cells": Text("page.ov.col.masked_cells"),
    "rows with a masked cell": Text("page.ov.col.rows_masked"),
    "rows with every cell masked": Text("page.ov.col.rows_all_masked")},
    {c: bi.number() for c in ("rows", "masked cells", "rows with a masked cell", "rows with every cell masked")})

# %%
bi.heading(Text("page.ov.institutions_heading"), level=3)
coverage = ov.institution_coverage(enrolment, institutions)
bi.table(coverage, {"edition": Text("page.ov.col.edition"), **{c: c for c in coverage.columns[1:]}})
last_year = int(enrolment["year"].max())
uncovered = ov.uncovered_years(enrolment, institutions, range(int(enrolment["year"].min()), last_year + 1))
bi.bullets([Text("page.ov.uncovered", {"institution": name, "years": ov.year_ranges(years)})
            for name, years in uncovered.items() if years])
partial = ov.partial_inputs(manifest)
if len(partial):
    bi.paragraph(Text("page.ov.partial_intro"))
    bi.table(partial, {"dataset": Text("page.ov.col.dataset"), "title": Text("page.ov.col.title"),
                       "what is missing": Text("page.ov.col.missing_what")})

# %%
bi.heading(Text("page.ov.vintage_heading"), level=3)
rows = []
for code, name in ((region, region_name), ("NL01", series.short_name(series.region_names(jobs).get("NL01", "NL01")))):
    comparison = ov.vintage_comparison(jobs, code)
    if len(comparison):
        rows.append((name, comparison.iloc[0]))
if rows:
    bi.paragraph(Text("page.ov.vintage_intro", {"year": Num(int(rows[0][1]["year"]), "year")}))
    bi.bullets([Text("page.ov.vintage_row", {
        "region_name": name, "year": Num(int(row["year"]), "year"),
        "older": Num(row[f"{ov.OLDER_TABLE} (older release)"], round_to=100),
        "current": Num(row[f"{ov.MAIN_TABLE} (current)"], round_to=100),
        "revision": Num(row["revision"], signed=True, round_to=100),
        "share": Num(row["revision (%)"], "percent", 1, signed=True)}) for name, row in rows])

# %%
bi.heading(Text("page.ov.meaning_heading"))
bi.bullets([Text("page.ov.meaning.national"), Text("page.ov.meaning.sections"), Text("page.ov.meaning.masked"),
            *([Text("page.ov.meaning.release", {"year": Num(int(rows[0][1]["year"]), "year")})] if rows else [])])
