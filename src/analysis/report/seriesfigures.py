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
from analysis.i18n import LANGUAGES, Num, Text, catalogue
from analysis.report import bilingual as bi
from analysis.report.claimtexts import claim_entry, registry, result_unit, signed_values, with_unit


def show_headline_series(check: ClaimCheck, *, source: Any, site_dir: str = "", page_stem: str = "") -> None:
    """The series behind the reading (the check's headline series), one line each."""
    frame = check.headline_series
    if frame is None or len(frame) == 0:
        return
    unit = result_unit(check)
    data = pd.DataFrame({"year": frame["year"].astype(int).to_numpy(), "value": frame["value"].astype(float).to_numpy()})
    for lang in LANGUAGES:  # the series' name in each language, so the CSV serves both editions
        data[f"series_{lang}"] = [bi.localise(s, lang) if isinstance(s, (Text, Mapping, str)) else str(s)
                                  for s in frame["series"]]
    reading_value = check.reading.result.value if check.reading is not None else None
    alt = Text("page.headline_series.alt", {"n": data["series_en"].nunique(),
                                            "first": Num(data["year"].min(), "year"),
                                            "last": Num(data["year"].max(), "year"),
                                            "value": with_unit(reading_value, unit, signed_values(check))})

    def draw(plotted: pd.DataFrame, lang: str) -> Any:
        from analysis.report import plots

        large = plotted["value"].abs().max() >= 100
        return plots.lines_figure(plotted, lang, x="year", y="value", series=f"series_{lang}",
                                  title=Text("page.headline_series.title").render(lang),
                                  xlabel=Text("page.axis.year").render(lang),
                                  ylabel=Text("page.axis.value").render(lang), source=bi.localise(source, lang),
                                  value_format=lambda v: bi.localise(Num(v, decimals=0 if large else 1), lang))

    bi.show_figure(draw, data, name="headline-series", alt=alt, source=source, site_dir=site_dir,
                   page_stem=page_stem)


def trend_models_of(check: ClaimCheck, path: Path | None = None) -> Any:
    """The check's trend models: the engine's (``extras["trends"]``) or, where the registry gives
    the claim a ``[claim.trends]`` series, built with :mod:`analysis.engine.trendmodels`."""
    if check.extras.get("trends") is not None:
        return check.extras["trends"]
    spec = claim_entry(check.claim_id, path).get("trends")
    if not spec or check.verdict == "not_applicable":
        return None
    from analysis.engine import series, trendmodels

    cutoff = int(registry(path).get("meta", {}).get("claim_year", 2017)) - 1  # data knowable at the claim's date
    return trendmodels.trend_models_for("employee_jobs", check.region, spec["series"], int(spec["first_year"]),
                                        cutoff, jobs=series.load_jobs())


def show_trends(check: ClaimCheck, *, source: Any, site_dir: str = "", page_stem: str = "",
                path: Path | None = None) -> None:
    """Trend models (engine.trendmodels): what is estimated and found, and the figure."""
    bi.heading(Text("page.trends.heading"))
    models = trend_models_of(check, path)
    if models is None:
        bi.paragraph(Text("page.trends.none"))
        return
    bi.bullets(models.explanation)
    data = models.plot_data().dropna(subset=["value"])
    if data.empty:
        return
    first, cutoff = models.first_year, models.cutoff_year
    names = {"region": check.region_name,
             "comparator": Text(f"trends.comparator.{models.pair.comparator}", {"region": check.region_name})
             if f"trends.comparator.{models.pair.comparator}" in catalogue() else models.pair.comparator,
             "region_fit": Text("page.trends.series.fit", {"first": Num(first, "year"), "last": Num(cutoff, "year")}),
             "region_extrapolation": Text("page.trends.series.extrapolation")}
    last_region = data[data["series"] == "region"].sort_values("year").iloc[-1]
    alt = Text("page.trends.alt", {"region_name": check.region_name, "first": Num(first, "year"),
                                   "cutoff": Num(cutoff, "year"), "last": Num(int(last_region["year"]), "year"),
                                   "value": Num(last_region["value"], round_to=100)})

    def draw(plotted: pd.DataFrame, lang: str) -> Any:
        from analysis.report import plots

        lines = plotted.assign(series=plotted["series"].map(lambda s: bi.localise(names.get(s, s), lang)))
        figure = plots.lines_figure(
            lines, lang, x="year", y="value", series="series",
            title=Text("page.trends.title", {"region_name": check.region_name}).render(lang),
            xlabel=Text("page.axis.year").render(lang), ylabel=Text("page.trends.ylabel").render(lang),
            source=bi.localise(source, lang), mark_x=cutoff + 0.5,
            value_format=lambda v: bi.localise(Num(v), lang))
        band = plotted[plotted["series"] == "region_extrapolation"].dropna(subset=["band_low", "band_high"])
        if len(band):
            figure.axes[0].fill_between(band["year"], band["band_low"], band["band_high"], color="#999999",
                                        alpha=0.3, label=Text("page.trends.series.band").render(lang))
            figure.axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
        return figure

    bi.show_figure(draw, data, name="trend-models", alt=alt, source=source, site_dir=site_dir,
                   page_stem=page_stem)
