"""Figures of series on a claim page: the series behind the reading and the trend models.

Both draw once per language (:func:`analysis.report.bilingual.show_figure`) from one table that is
also written as the figure's CSV.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.engine.result import ClaimCheck
from analysis.i18n import LANGUAGES, Num, Text
from analysis.report import bilingual as bi
from analysis.report import findings
from analysis.report.claimtexts import (
    claim_date,
    claim_entry,
    computable,
    institutions_subject,
    last_public_year,
    registry,
    result_words,
    series_label,
    signed_values,
)

# Texts of the engine's explanations that say how a number was computed (estimators, tests, scores)
# rather than what it is: an advisor reads the finding, an analyst opens the fold (docs/method.*.md).
METHOD_TEXTS = ("trends.method.", "trends.segmented", "trends.sup_f", "trends.extrapolation", "trends.predictive",
                "placebo.standardised", "placebo.what")


def show_explanation(texts: Any) -> None:
    """A trend model's or a placebo rank's explanation: its findings in view, its method folded."""
    bi.bullets_with_fold(texts, METHOD_TEXTS, Text("page.analyst.method"))


def show_headline_series(check: ClaimCheck, *, source: Any, site_dir: str = "", page_stem: str = "") -> None:
    """The series behind the reading, titled with the finding: for a share claim the share per year
    (:func:`show_share_series`), else the check's headline series (an index, base year = 100) with
    the claim window, the claim date, the reading's thresholds and the claimed number marked."""
    if not computable(check):
        return
    if check.kind == "share" and check.reading is not None:
        show_share_series(check, source=source, site_dir=site_dir, page_stem=page_stem)
        return
    frame = check.headline_series
    if frame is None or len(frame) == 0:
        return
    data = pd.DataFrame({"year": frame["year"].astype(int).to_numpy(), "value": frame["value"].astype(float).to_numpy()})
    names = [series_label(s, check) for s in frame["series"]]
    for lang in LANGUAGES:  # the series' name in each language, so the CSV serves both editions
        data[f"series_{lang}"] = [bi.localise(s, lang) if isinstance(s, (Text, Mapping, str)) else str(s)
                                  for s in names]
    # the engine gives the series as an index (base year = 100): say so on the axis
    firsts = data.sort_values("year").groupby("series_en")["value"].first()
    base = int(data["year"].min())
    is_index = bool(len(firsts)) and bool((firsts.round(6) == 100.0).all())
    span = {"n": data["series_en"].nunique(), "first": Num(data["year"].min(), "year"),
            "last": Num(data["year"].max(), "year")}
    alt = (Text("page.headline_series.alt", {**span, "value": result_words(check.reading.result, signed_values(check))})
           if check.reading is not None else Text("page.headline_series.alt_no_reading", span))
    window = findings.claim_window(check)
    levels = findings.index_levels(check) if is_index else []
    jobs = check.reading is not None and check.reading.parameters.get("concept") == "employee_jobs"

    def draw(plotted: pd.DataFrame, lang: str) -> Any:
        from analysis.report import claimfigures

        if is_index:
            ylabel = Text("figures.axis.index_jobs" if jobs else "page.axis.index", {"base": Num(base, "year")})
        else:
            ylabel = Text("page.axis.value")
        xlabel = Text("figures.axis.year_december" if jobs else "page.axis.year")
        return claimfigures.series_figure(
            plotted, lang, series=f"series_{lang}", title=findings.finding_title(check, lang),
            xlabel=xlabel.render(lang), ylabel=ylabel.render(lang), source=bi.localise(source, lang),
            value_format=lambda v: bi.localise(Num(v, decimals=0 if float(v).is_integer() else 1), lang),
            window=window, levels=levels)

    bi.show_figure(draw, data, name="headline-series", alt=alt, source=source, site_dir=site_dir,
                   page_stem=page_stem)


def show_share_series(check: ClaimCheck, *, source: Any, site_dir: str = "", page_stem: str = "",
                      tables: Any = None) -> None:
    """A share claim's share per year (each year's interval from masked counts), the reading's year
    shaded, the claim date and the claimed number marked."""
    data = findings.share_series(check, tables)
    if data["share"].notna().sum() == 0:
        return
    params = check.reading.parameters
    subject = institutions_subject(check)
    sectors = ", ".join(str(s) for s in params["sectors"])
    label = Text("figures.share.label", {"subject": subject, "sectors": sectors})
    shown = data.dropna(subset=["share"])
    reading_year = int(params["year"])
    claimed = check.claimed.value if check.claimed is not None else None
    alt = Text("figures.share.alt", {
        "sectors": sectors, "subject": subject, "first": Num(shown["year"].min(), "year"),
        "last": Num(shown["year"].max(), "year"), "year": Num(reading_year, "year"),
        "value": result_words(check.reading.result, False),
        "claimed": Num(claimed, "percent", 0) if claimed is not None else "–"})
    window, levels = findings.claim_window(check), findings.share_levels(check)

    def draw(plotted: pd.DataFrame, lang: str) -> Any:
        from analysis.report import claimfigures

        return claimfigures.share_figure(
            plotted, lang, label=label.render(lang), title=findings.finding_title(check, lang),
            xlabel=Text("figures.share.year_axis").render(lang), ylabel=Text("figures.share.axis").render(lang),
            source=bi.localise(source, lang), window=window, levels=levels,
            value_format=lambda v: Num(v, "percent", 0 if float(v).is_integer() else 1).format(lang))

    bi.show_figure(draw, data, name="share-series", alt=alt, source=source, site_dir=site_dir,
                   page_stem=page_stem)


def trend_settings(check: ClaimCheck, path: Path | None = None) -> dict[str, Any] | None:
    """The trend models' settings: the registry's ``[claim.trends]`` where it has one, else the
    reading's own series (a CBS jobs series of one SBI code). None where the claim has no series."""
    if check.verdict in ("not_applicable", "not_verifiable"):
        return None
    reading = check.reading.parameters if check.reading is not None else {}
    comparator = {"nation": "nation"}.get(str(reading.get("comparator", "")), "rest_of_nation")
    spec = claim_entry(check.claim_id, path).get("trends")
    if spec:
        return {"sbi": str(spec["series"]), "first_year": int(spec["first_year"]), "comparator": comparator}
    sector = reading.get("sector")
    if reading.get("source", "cbs") != "cbs" or reading.get("concept", "employee_jobs") != "employee_jobs" \
            or not isinstance(sector, str) or sector in registry(path).get("meta", {}).get("sector_lists", {}) \
            or reading.get("base_year") is None:
        return None
    return {"sbi": sector, "first_year": int(reading["base_year"]), "comparator": comparator}


def cutoff_year(check: ClaimCheck, path: Path | None = None) -> int:
    """The last year of the pre-period: the December figures public on the claim's date by the
    registry's ``[meta.public]`` rule (October 2017 -> 2015: December 2016 came out in December 2017)."""
    date = claim_date(check, path)
    latest = last_public_year("employee_jobs", date, path)
    return latest if latest is not None else int(date[:4]) - 1


def trend_models_of(check: ClaimCheck, path: Path | None = None) -> Any:
    """The check's trend models: the engine's (``extras["trends"]``) or built with
    :mod:`analysis.engine.trend.models` from :func:`trend_settings`; None where there are none."""
    if check.extras.get("trends") is not None:
        return check.extras["trends"]
    settings = trend_settings(check, path)
    if settings is None:
        return None
    from analysis.engine import series
    from analysis.engine.trend import models as trendmodels

    return trendmodels.trend_models_for("employee_jobs", check.region, settings["sbi"], settings["first_year"],
                                        cutoff_year(check, path), jobs=series.load_jobs(),
                                        comparator=settings["comparator"])


def show_trends(check: ClaimCheck, *, source: Any, site_dir: str = "", page_stem: str = "",
                path: Path | None = None) -> None:
    """Trend models (engine.trend.models): what is estimated and found, and the figure (report.trendplots)."""
    from analysis.report import trendplots

    if not computable(check):
        return
    settings = trend_settings(check, path)
    if settings is None:
        bi.heading(Text("page.trends.heading"))
    else:  # name the series the models are about: it may differ from the reading's (a proxy)
        series = findings.sector_name(settings["sbi"], path)
        bi.heading(Text("figures.trends.heading", {"sector": series}))
        sector = check.reading.parameters.get("sector") if check.reading is not None else None
        if isinstance(sector, str) and sector != settings["sbi"]:
            bi.paragraph(Text("figures.trends.proxy", {"reading": findings.sector_name(sector, path),
                                                       "series": series}))
    try:
        models = trend_models_of(check, path)
    except ValueError as exc:  # the data do not allow the models here: say why
        bi.paragraph(Text("page.trends.unavailable", {"reason": str(exc)}))
        return
    if models is None:
        bi.paragraph(Text("page.trends.none"))
        return
    show_explanation(models.explanation)
    data = models.figure_data()
    region = data[data["series"] == "region"].dropna(subset=["value"]).sort_values("year")
    if region.empty:
        return
    last = region.iloc[-1]
    alt = Text("page.trends.alt", {"region_name": check.region_name, "first": Num(models.first_year, "year"),
                                   "cutoff": Num(models.cutoff_year, "year"), "last": Num(int(last["year"]), "year"),
                                   "value": Num(last["value"], round_to=100)})
    window = findings.claim_window(check)
    bi.show_figure(lambda _data, lang: trendplots.trend_figure(models, lang, bi.localise(source, lang),
                                                                window=window), data,
                   name="trend-models", alt=alt, source=source, site_dir=site_dir, page_stem=page_stem)


def placebo_of(check: ClaimCheck, path: Path | None = None) -> Any:
    """The region's percentile rank among the COROP regions (engine.placebo) on the registry's
    ``[claim.placebo]`` metric; None where the registry gives the claim none or it does not apply."""
    spec = claim_entry(check.claim_id, path).get("placebo")
    if not spec or check.verdict in ("not_applicable", "not_verifiable"):
        return None
    from analysis.engine import placebo, series

    return placebo.placebo_ranks(check.region, str(spec["series"]), int(spec["base"]), int(spec["end"]),
                                 metric=str(spec.get("metric", "change")),
                                 alternative=str(spec.get("alternative", "two-sided")), jobs=series.load_jobs(),
                                 cutoff_year=cutoff_year(check, path))


def show_placebo(check: ClaimCheck, *, source: Any, site_dir: str = "", page_stem: str = "",
                 path: Path | None = None) -> None:
    """Where the region stands among the COROP regions: the ranks in words and the figure."""
    from analysis.report import trendplots

    try:
        result = placebo_of(check, path)
    except ValueError as exc:
        bi.heading(Text("page.placebo.heading", {"region_name": check.region_name}), level=3)
        bi.paragraph(Text("page.placebo.unavailable", {"reason": str(exc)}))
        return
    if result is None:
        return
    bi.heading(Text("page.placebo.heading", {"region_name": check.region_name}), level=3)
    show_explanation(result.explanation)
    alt = Text("page.placebo.alt", {"region_name": check.region_name, "rank": result.rank,
                                    "n": result.n_compared})
    bi.show_figure(lambda _data, lang: trendplots.placebo_figure(result, lang, bi.localise(source, lang)),
                   result.plot_data(), name="placebo-ranks", alt=alt, source=source, site_dir=site_dir,
                   page_stem=page_stem)
