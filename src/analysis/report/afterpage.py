"""The "after 2017" page: did each claim hold up on the data published after its date?

For every claim of the registry (in its order) the engine's check gives the ex-post reading (the
claimant's reading on later data) and the perturbations that use later data; the trend models
extend each distinct jobs series past the claim's date with one joint test of the later years.
Nothing here judges a claim: the verdict rests on the data of the claim's date (claim pages).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.engine.result import ClaimCheck
from analysis.i18n import Num, Text
from analysis.report import bilingual as bi
from analysis.report import claimtexts as ct
from analysis.report import seriesfigures


def checks(region: str, **overrides: Any) -> list[ClaimCheck]:
    """The check of every registered claim for ``region`` (overrides where the kind has them)."""
    from analysis.engine.check import check

    return [check(claim_id, region, registry=ct.registry_file(), **ct.split_overrides(claim_id, **overrides)[0])
            for claim_id in ct.claim_ids()]


def expost_frame(results: list[ClaimCheck]) -> pd.DataFrame:
    """One row per claim: title, verdict (at the claim's date), the ex-post result, later readings."""
    rows = []
    for check in results:
        signed = ct.signed_values(check)
        later = [p for p in check.perturbations if not p.real_time]
        ex_post: Any = Text("page.after.no_ex_post")
        holds = None
        if check.ex_post is not None:
            ex_post = ct.result_words(check.ex_post.result, signed)
            holds = check.ex_post.holds
        rows.append({"claim": ct.claim_title(check.claim_id), "verdict": ct.verdict_word(check.verdict),
                     "ex_post": ex_post, "holds": holds if check.ex_post is not None else "–",
                     "later": Text("page.after.later", {"n": len(later),
                                                        "n_holds": sum(1 for p in later if p.holds is True)})
                     if later else "–"})
    return pd.DataFrame(rows, columns=["claim", "verdict", "ex_post", "holds", "later"])


def show_summary(results: list[ClaimCheck]) -> None:
    frame = expost_frame(results)
    formats = {"holds": lambda v, lang: "–" if v == "–" else bi.yes_no(v, lang)}
    bi.table(frame, {"claim": Text("page.after.col.claim"), "verdict": Text("page.after.col.verdict"),
                     "ex_post": Text("page.after.col.ex_post"), "holds": Text("page.after.col.holds"),
                     "later": Text("page.after.col.later")}, formats)
    for check in results:
        if check.ex_post_text is not None:
            bi.paragraph(bi.join(Text("page.after.claim_lead", {"title": ct.claim_title(check.claim_id)}),
                                 check.ex_post_text))


def show_trend_extensions(results: list[ClaimCheck], *, manifest: Any, site_dir: str = "",
                          page_stem: str = "") -> int:
    """Each distinct jobs series of the claims, extended past the claim's date; returns how many."""
    from analysis.report import claimpage, trendplots

    seen: set[tuple] = set()
    shown = 0
    for check in results:
        settings = seriesfigures.trend_settings(check)
        if settings is None:
            continue
        key = (settings["sbi"], settings["first_year"], settings["comparator"], seriesfigures.cutoff_year(check))
        if key in seen:
            continue
        seen.add(key)
        try:
            models = seriesfigures.trend_models_of(check)
        except ValueError as exc:
            bi.paragraph(Text("page.trends.unavailable", {"reason": str(exc)}))
            continue
        comparator = Text(f"trends.comparator.{settings['comparator']}", {"region": check.region_name})
        bi.heading(Text("page.after.series_heading", {"sbi": settings["sbi"], "region_name": check.region_name,
                                                      "first": Num(settings["first_year"], "year"),
                                                      "comparator": comparator}), level=3)
        cbs = [d for d in claimpage.datasets_used(check, manifest) if d.startswith("cbs-")]
        source = claimpage.source_line(cbs, manifest)
        seriesfigures.show_explanation(models.explanation)
        data = models.figure_data()
        region = data[data["series"] == "region"].dropna(subset=["value"]).sort_values("year")
        if region.empty:
            continue
        last = region.iloc[-1]
        alt = Text("page.trends.alt", {"region_name": check.region_name, "first": Num(models.first_year, "year"),
                                       "cutoff": Num(models.cutoff_year, "year"),
                                       "last": Num(int(last["year"]), "year"),
                                       "value": Num(last["value"], round_to=100)})
        name = f"trend-{settings['sbi'].lower()}-{settings['first_year']}-{settings['comparator'].replace('_', '-')}"
        bi.show_figure(lambda _data, lang, models=models, source=source: trendplots.trend_figure(
                           models, lang, bi.localise(source, lang)),
                       data, name=name, alt=alt, source=source, site_dir=site_dir, page_stem=page_stem)
        shown += 1
    return shown
