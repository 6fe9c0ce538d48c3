"""The sections of a claim page, built from a :class:`analysis.engine.result.ClaimCheck`.

The generic notebook ``notebooks/claim.py`` calls one function per section; each displays its
part in both languages through :mod:`analysis.report.bilingual` and computes nothing the engine
did not: it puts the check's numbers into the catalogue's words (``pages.toml``). Order of a page
(issue 11, point 4): verdict (once, at the top), the claim, how it is made measurable,
reproduction with the arithmetic, the perturbations (specification curve, robustness,
cherry-picking, counter-argument, fairer statement; the full table collapsed), context, trend
models, ex post, sources.

Claim texts and numbers in words: :mod:`analysis.report.claimtexts`; figures of series (the
headline series, the trend models): :mod:`analysis.report.seriesfigures`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.engine.result import ClaimCheck, Evaluation, Interval
from analysis.i18n import Num, Text, catalogue
from analysis.report import bilingual as bi
from analysis.report import evidence
from analysis.report.claimtexts import (  # noqa: F401 - the notebook reaches them through claimpage
    PARAM,
    SYMBOLS,
    claim_entry,
    claim_ids,
    claim_order,
    claim_quote,
    claim_source,
    claim_text_file,
    claim_title,
    claim_year,
    computable,
    holds_text,
    interval_texts,
    last_public_year,
    named_institutions,
    parameter_name,
    parameter_value,
    registry,
    registry_file,
    result_unit,
    result_words,
    said_by,
    setting_text,
    signed_values,
    split_overrides,
    value_text,
    verdict_word,
    with_unit,
)
from analysis.report.pagesources import datasets_used, show_sources, source_line  # noqa: F401
from analysis.report.seriesfigures import (  # noqa: F401
    show_headline_series,
    show_placebo,
    show_trends,
    trend_models_of,
)

# --- sections -----------------------------------------------------------------------------------------


def show_ignored_overrides(ignored: Sequence[str]) -> None:
    """Say which requested settings this claim does not have (its reading keeps its own)."""
    if ignored:
        bi.paragraph(Text("page.override_ignored", {"params": bi.join(*(parameter_name(p) for p in ignored),
                                                                         sep=", ")}), cls="note")


def show_title(check: ClaimCheck, path: Path | None = None) -> None:
    """The page title labels the claim as one (it is what is being tested, not a finding)."""
    titles = claim_title(check.claim_id, path)
    bi.page_title({lang: Text("top.title", {"title": titles[lang]}).render(lang) for lang in titles})


def show_verdict(check: ClaimCheck, comparator_name: Any | None = None, path: Path | None = None) -> None:
    """The top of the page, in the order of a fact-check: the claim quoted with who said it and
    when; the verdict in symbol and word; why, in plain words; at most three lines of evidence,
    each said once. Caveats, the rule and the region sit in folds below."""
    word, symbol = verdict_word(check.verdict), SYMBOLS.get(check.verdict, "")
    region = (Text("page.region_line", {"region_name": check.region_name, "region": check.region,
                                         "comparator": comparator_name})
              if comparator_name else
              Text("page.region_line_plain", {"region_name": check.region_name, "region": check.region}))
    own = claim_source(check.claim_id, path)  # whose claim it is, and the region it is about
    focal = own["region"]
    quote, source = claim_quote(check.claim_id, path), said_by(check.claim_id, path)
    why = check.deciding_text or check.verdict_reason

    def render(lang: str) -> str:
        claim = (f'<p class="claim-label">{escape(Text("top.claim_label").render(lang))} · '
                 f'{escape(source[lang])}</p><blockquote class="claim-quote" lang="nl">'
                 f'<p>“{escape(quote["nl"])}”</p></blockquote>')
        head = (f'<p class="verdict verdict-{escape(check.verdict)}"><span class="verdict-symbol" '
                f'aria-hidden="true">{symbol}</span> <strong>{escape(Text("page.verdict.label").render(lang))}: '
                f"{escape(word.render(lang))}</strong></p>")
        reason = (f'<p class="reason"><strong>{escape(Text("top.why").render(lang))}:</strong> '
                  f"{escape(why.render(lang))}</p>" if why else "")
        lines = [headline_text(check), check.counter_argument, check.fairer_statement] \
            if computable(check) else []
        shown = evidence.distinct([line.render(lang) for line in lines if line is not None])
        shown = [line for line in shown if why is None or line != why.render(lang)]
        evidence_html = ("<ul class=\"evidence\">" + "".join(f"<li>{escape(line)}</li>" for line in shown)
                         + "</ul>") if shown else ""
        caveats = getattr(check, "caveats", None) or []
        caveat_html = (f'<details class="caveats"><summary>{escape(Text("top.caveats").render(lang))}</summary>'
                       "<ul>" + "".join(f"<li>{escape(c.render(lang))}</li>" for c in caveats)
                       + "</ul></details>") if caveats else ""
        elsewhere = Text("page.other_region", {"region_name": check.region_name, "publisher": own["publisher"],
                                                "claim_region": own["region_name"]})
        other = (f"<p><em>{escape(elsewhere.render(lang))}"
                 "</em></p>" if check.region != focal and computable(check) else "")
        decided_html = _decided(check, lang, difference)
        rule = getattr(check, "verdict_rule", None)
        rule_html = (f"<details class=\"verdict-rule\"><summary>{escape(Text('page.verdict.rule_summary').render(lang))}"
                     f"</summary><p>{escape(rule.render(lang))}</p></details>" if rule is not None else "")
        return (f'{claim}{head}{reason}{evidence_html}<p class="region-line">{escape(region.render(lang))}</p>'
                f"{other}{caveat_html}{decided_html}{rule_html}")

    difference = _trend_difference(check, path)
    bi.show_html(render, cls=f"verdict-box verdict-{check.verdict}")


def _trend_difference(check: ClaimCheck, path: Path | None) -> Text | None:
    """For a claim about growth rates (kind ``trend``), whether the data can tell the region's and
    the comparator's growth apart (engine.trend.difference), said beside the verdict."""
    if check.kind != "trend" or not computable(check):
        return None
    from analysis.engine.trend.difference import difference_inference

    try:
        models = trend_models_of(check, path)
    except ValueError:
        return None
    found = difference_inference(models) if models is not None else None
    return found.text if found is not None else None


def _decided(check: ClaimCheck, lang: str, difference: Text | None) -> str:
    """A fold with how the verdict was decided: each part of the reading with its outcome, the full
    account (the threshold at which every part holds, robustness against the rule) and, for a
    growth-rate claim, the inference on the difference."""
    parts = [] if check.reading is None else [
        f"<li>{SYMBOLS['supported'] if f.holds else SYMBOLS['not_supported'] if f.holds is False else '?'} "
        f"{escape(f.sentence.render(lang))}</li>" for f in check.reading.facts]
    detail = getattr(check, "deciding_detail", None)
    body = ("<ul>" + "".join(parts) + "</ul>" if len(parts) > 1 else "") \
        + (f"<p>{escape(detail.render(lang))}</p>" if detail is not None else "") \
        + (f"<p>{escape(difference.render(lang))}</p>" if difference is not None else "")
    if not body:
        return ""
    return (f'<details class="decided"><summary>{escape(Text("top.decided").render(lang))}</summary>'
            f"{body}</details>")


def show_claim(check: ClaimCheck, path: Path | None = None, folder: Path | None = None) -> None:
    """The quote as published, its translation in the English edition, the source, the explanation."""
    bi.heading(Text("page.claim.heading"))
    quote = claim_quote(check.claim_id, path)
    source = claim_source(check.claim_id, path)  # the claim's own source, not the registry's
    title, date = source["title"], source["date"]
    publisher = f", {source['publisher']}" if source["publisher"] else ""

    def render(lang: str) -> str:
        parts = []  # the quote itself stands at the top of the page (show_verdict)
        if lang != "nl":
            parts.append(f"<p><em>{escape(Text('page.claim.translation').render(lang))}:</em> "
                         f"“{escape(quote[lang])}”</p>")
        parts.append("<p>" + escape(Text("page.claim.source", {"title": title, "date": date,
                                                               "publisher": publisher}).render(lang)) + "</p>")
        _, paragraphs = claim_text_file(check.claim_id, lang, folder)
        notes = claim_entry(check.claim_id, path).get("check", {}).get(f"notes_{lang}")  # the registry's own
        parts += [f"<p>{escape(p)}</p>" for p in [*paragraphs, *([notes] if notes else [])]]
        return "".join(parts)

    bi.show_html(render)


def show_measurable(check: ClaimCheck, claim_date: str | None = None) -> None:
    """The claimant's reading in words, the claimed interval, real-time, the reading's settings."""
    if not computable(check):  # the verdict at the top says why there is nothing to compute
        return
    bi.heading(Text("page.measurable.heading"))
    if check.reading_text is not None:
        bi.paragraph(check.reading_text)
    if check.claimed is not None:
        bi.paragraph(Text("page.claim.claimed", interval_texts(check.claimed, signed_values(check))))
    date = claim_date or getattr(check, "claim_date", "") or claim_source(check.claim_id)["date"]
    uses = "enrolment" if check.reading is not None and "institutions" in check.reading.parameters else "employee_jobs"
    latest = last_public_year(uses, str(date))
    bi.paragraph(Text(f"page.measurable.real_time.{uses}", {"date": date, "year": Num(latest, "year")})
                 if latest is not None else Text("page.measurable.real_time", {"date": date}))
    if check.reading is None:  # the reproduction says so, with the reason
        return
    settings = [setting_text(check.claim_id, k, v) for k, v in check.reading.parameters.items() if v is not None]
    if settings:
        bi.paragraph(Text("page.measurable.parameters"))
        bi.bullets(settings)


def result_text(result: Interval, holds: bool | None, signed: bool, key: str) -> Text:
    """``key`` with the result in words, or ``key + "_bounded"`` where only its bounds are known."""
    return Text(key + ("_bounded" if result.value is None else ""),
                {"result": result_words(result, signed), "holds": holds_text(holds)})


def part_name(name: str, check: ClaimCheck) -> Any:
    """The name of a part of a result: the region by its name, the comparator as the reading
    words it ("the whole Netherlands"), else the parameter's name."""
    if name == "region":
        return check.region_name
    reading = check.reading.parameters if check.reading is not None else {}
    if name == "comparator" and "comparator" in reading:
        return value_text(check.claim_id, "comparator", reading["comparator"])
    return parameter_name(name)


def show_evaluation_details(evaluation: Evaluation, signed: bool, check: ClaimCheck) -> None:
    """An evaluation's finding in words, its parts (region, comparator), notes and arithmetic."""
    statement = getattr(evaluation, "statement", None)
    if statement is not None:
        bi.paragraph(statement)
    parts = getattr(evaluation, "parts", {}) or {}
    items: list[Any] = []
    for name, part in parts.items():
        items.append(Text("page.reproduction.part", {"name": part_name(name, check),
                                                      "result": result_words(part, signed)}))
    items += list(getattr(evaluation, "notes", []) or [])
    bi.bullets(items)
    if evaluation.arithmetic is not None:
        bi.paragraph(Text("page.reproduction.arithmetic", {"text": evaluation.arithmetic}), cls="arithmetic")


def show_reproduction(check: ClaimCheck) -> None:
    """The reading's value with its interval, whether it holds, its parts and the arithmetic."""
    if not computable(check):  # the verdict at the top says why there is nothing to compute
        return
    bi.heading(Text("page.reproduction.heading"))
    reading = check.reading
    if reading is None:
        reason = check.unevaluable[0].reason if check.unevaluable else None  # the engine puts the reading's first
        bi.paragraph(Text("page.measurable.no_reading"), reason)
        return
    bi.paragraph(result_text(reading.result, reading.holds, signed_values(check), "page.reproduction.value"))
    show_evaluation_details(reading, signed_values(check), check)


def evaluations_frame(check: ClaimCheck) -> pd.DataFrame:
    """The reading and every perturbation, one row each: what the curve and the table show.

    Columns: ``reading`` (True for p0), ``value``, ``low``, ``high``, ``holds``, ``weight``,
    ``real_time``, ``merged`` (how many settings gave this value), ``label`` (Text or None) and one
    column ``param_<name>`` per parameter (its value as text).
    """
    rows = []
    items: list[tuple[bool, Evaluation]] = ([(True, check.reading)] if check.reading else [])
    items += [(False, p) for p in check.perturbations]
    names: list[str] = []
    for _, evaluation in items:
        names += [PARAM + k for k in evaluation.parameters if PARAM + k not in names]
    for is_reading, evaluation in items:
        row = {"reading": is_reading, "value": evaluation.result.value, "low": evaluation.result.low,
               "high": evaluation.result.high, "holds": evaluation.holds, "weight": evaluation.weight,
               "real_time": evaluation.real_time, "merged": 1 + len(evaluation.merged_parameters),
               "label": evaluation.label}
        for name in names:
            value = evaluation.parameters.get(name.removeprefix(PARAM))
            row[name] = "–" if value is None else str(parameter_value(value, name.removeprefix(PARAM)))
        rows.append(row)
    return pd.DataFrame(rows, columns=["reading", "value", "low", "high", "holds", "weight", "real_time",
                                       "merged", "label", *names])


def varying_parameters(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith(PARAM) and frame[c].astype(str).nunique() > 1]


def curve_part(check: ClaimCheck) -> str | None:
    """The half of a two-part claim that decides its verdict, where the reading measures it.

    The curve plots that half (the national fall of "in the Netherlands and in Twente"), not the
    headline value, so that the reader sees the number that decided against its threshold.
    """
    if check.reading is None:
        return None
    return next((fact.part for fact in check.deciding
                 if fact.part in check.reading.parts and fact.threshold is not None), None)


def curve_threshold(check: ClaimCheck, part: str | None) -> float | None:
    """The reading's threshold for ``part`` on the curve's signed scale (a fall of 5% is -5)."""
    if check.reading is None or part is None:
        return None
    fact = next((f for f in check.reading.facts if f.part == part and f.threshold is not None), None)
    signed = check.reading.parts[part].value
    if fact is None or fact.value.value is None or signed is None:
        return None
    # the fact measures along the claim's direction (a fall as a positive number): undo that
    return -fact.threshold if fact.value.value * signed < 0 else fact.threshold


def curve_data(check: ClaimCheck) -> pd.DataFrame:
    """Exactly the numbers the specification curve plots: rank, value, interval, holds, choices.

    For a claim with two parts it is the deciding part (:func:`curve_part`): its interval and
    whether that part holds; settings that do not measure that part are left out.
    """
    frame = evaluations_frame(check)
    part = curve_part(check)
    if part is not None:
        items = ([check.reading] if check.reading else []) + list(check.perturbations)
        cells = [e.parts.get(part) for e in items]
        frame = frame.assign(value=[c.value if c else None for c in cells],
                             low=[c.low if c else None for c in cells],
                             high=[c.high if c else None for c in cells],
                             holds=[e.part_holds.get(part) for e in items])
    frame = frame[frame["reading"] | frame["real_time"].astype(bool)]
    # a setting known only by its bounds is drawn at the middle of its interval (the CSV says so)
    middle = (frame["low"].astype(float) + frame["high"].astype(float)) / 2
    frame = frame.assign(value_is_midpoint=frame["value"].isna() & middle.notna(),
                         value=frame["value"].astype(float).fillna(middle)).dropna(subset=["value"])
    choices = varying_parameters(frame)
    frame = frame.sort_values(["value", "reading", *choices], kind="mergesort").reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    holds = frame["holds"].map({True: "yes", False: "no"}).fillna("undecidable")
    return frame[["rank", "value", "value_is_midpoint", "low", "high", "reading", "weight"]].assign(
        holds=holds, unit=curve_unit(check, part), **{c: frame[c] for c in choices})


def part_who(check: ClaimCheck, part: str | None) -> Text:
    """Whose number a part is: the region, or the comparator of the reading ("Nederland")."""
    comparator = check.reading.parameters.get("comparator") if check.reading else None
    if part == "comparator" and comparator in ("nation", "nation_minus_region"):
        return Text(f"engine.who.{comparator}", {"region": check.region_name})
    return Text("engine.who.region", {"region": check.region_name})


def curve_unit(check: ClaimCheck, part: str | None) -> str:
    return check.reading.parts[part].unit if part and check.reading else result_unit(check)


def show_perturbations(check: ClaimCheck, *, source: Any, site_dir: str = "", page_stem: str = "") -> None:
    """Counts, the specification curve (reading marked), measures in words, counter-argument,
    fairer statement, and the full table in a collapsed part."""
    if not computable(check):  # the verdict at the top says why there is nothing to compute
        return
    from analysis.report import plots

    bi.heading(Text("page.perturb.heading"))
    bi.paragraph(Text("page.perturb.intro"))
    counted = [p for p in check.perturbations if p.real_time]
    n = len(check.perturbations)
    part = curve_part(check)
    if not counted:
        bi.paragraph(Text("page.perturb.none"))
    else:
        n_holds = sum(1 for p in counted if p.holds is True)
        claim = Text("page.perturb.the_claim_whole" if part else "page.perturb.the_claim")
        bi.paragraph(Text("page.perturb.counts", {"claim": claim, "n": len(counted), "n_holds": n_holds,
                                                  "n_unevaluable": len(check.unevaluable)}))
    if n > len(counted):
        bi.paragraph(Text("page.perturb.later_apart", {"n": n - len(counted), "year": Num(claim_year(check), "year")}))
    data = curve_data(check)
    if len(data) >= 2:
        unit, sign = curve_unit(check, part), signed_values(check)
        claimed = check.claimed.value if check.claimed is not None else None
        if part not in (None, "region") or (check.reading is not None and check.reading.parts
                                             and "region" not in check.reading.parts):
            claimed = None  # the curve shows the comparator's half: the claim's number is the region's
        values = data["value"].astype(float)
        n_holds = int((data["holds"] == "yes").sum())
        reading_value = (check.reading.parts[part] if part else check.reading.result) if check.reading else None
        alt = Text("page.spec.alt", {"total": len(data), "min": with_unit(values.min(), unit, sign),
                                     "max": with_unit(values.max(), unit, sign), "n_holds": n_holds,
                                     "value": result_words(reading_value, sign) if reading_value else "–"})
        title = (Text("page.spec.title.part", {"who": part_who(check, part), "n": n_holds, "total": len(data)})
                 if part else Text("page.spec.title", {"n": n_holds, "total": len(data)}))
        threshold = curve_threshold(check, part)

        def draw(frame: pd.DataFrame, lang: str) -> Any:
            choices = [c for c in frame.columns if c.startswith(PARAM)]
            options = {(c, o): bi.localise(setting_text(check.claim_id, c.removeprefix(PARAM), o), lang)
                       for c in choices for o in frame[c].astype(str).unique()}
            return plots.spec_curve_figure(
                frame, lang, choices={c: bi.localise(parameter_name(c.removeprefix(PARAM)), lang)
                                      for c in choices}, option_labels=options,
                unit_format=lambda v, lang=lang: bi.localise(with_unit(v, unit, sign), lang),
                title=title.render(lang), source=bi.localise(source, lang), claimed=claimed,
                threshold=threshold, part=part_who(check, part).render(lang) if part else None)

        bi.show_figure(draw, data, name="specification-curve", alt=alt, source=source,
                       site_dir=site_dir, page_stem=page_stem, wide=True)
    measures = []
    if check.robustness is not None:
        measures.append(Text("page.perturb.robustness", {"share": Num(check.robustness * 100, "percent")}))
        if check.robustness_band is not None and check.robustness_band[1] - check.robustness_band[0] >= 0.005:
            low, high = check.robustness_band  # only where some alternatives are left open
            measures.append(Text("page.perturb.robustness_band", {"low": Num(low * 100, "percent"),
                                                                  "high": Num(high * 100, "percent")}))
    if check.fairness is not None:
        direction = ("page.perturb.fairness.weaker" if check.fairness < 0 else
                     "page.perturb.fairness.stronger" if check.fairness > 0 else "page.perturb.fairness.equal")
        fairness_unit = getattr(check, "fairness_unit", "") or ""
        value = (with_unit(check.fairness, fairness_unit) if fairness_unit
                 else Num(check.fairness, decimals=2, signed=True))
        measures.append(Text("page.perturb.fairness", {"direction": Text(direction), "value": value}))
    if check.uniqueness is not None:
        measures.append(Text("page.perturb.uniqueness", {"share": Num(check.uniqueness * 100, "percent")}))
    if measures:  # robustness figures are for analysts; the verdict's reason says what decided
        bi.details(Text("page.perturb.measures_summary"), lambda lang: bi.bullets_html(measures, lang))
    for cls, text in (("counter-argument", check.counter_argument), ("fairer-statement", check.fairer_statement)):
        if text is not None:  # the engine's sentence names itself ("Strongest counter-argument ...: ...")
            bi.paragraph(text, cls=cls)
    if n:
        bi.show_html(lambda lang: _details_for(check, lang), cls="analyst")
    if check.unevaluable:
        frame = pd.DataFrame([{"settings": _settings_text(check.claim_id, u.parameters), "reason": u.reason}
                              for u in check.unevaluable])
        bi.show_html(lambda lang: (
            f"<details><summary>{escape(Text('page.perturb.unevaluable_summary').render(lang))}</summary>"
            + bi.table_html(frame, {"settings": Text("page.col.settings"), "reason": Text("page.col.reason")},
                            lang) + "</details>"), cls="analyst")


def _details_for(check: ClaimCheck, lang: str) -> str:
    return (f"<details><summary>{escape(Text('page.perturb.table_summary').render(lang))}</summary>"
            f"{perturbation_table_html(check, lang)}</details>")


def _settings_text(claim_id: str, parameters: Mapping[str, Any]) -> Any:
    return bi.join(*(setting_text(claim_id, k, v) for k, v in parameters.items() if v is not None), sep="; ")


def perturbation_table_html(check: ClaimCheck, lang: str) -> str:
    """The full perturbation table (reading first) for ``lang``."""
    frame = evaluations_frame(check)
    unit = result_unit(check)
    params = [c for c in frame.columns if c.startswith(PARAM)]
    frame = frame.assign(what=[Text("page.reading.p0") if r else (lbl if lbl is not None else "")
                               for r, lbl in zip(frame["reading"], frame["label"], strict=True)])
    columns: dict[str, Any] = {"what": Text("page.col.reading"),
                               **{p: parameter_name(p.removeprefix(PARAM)) for p in params},
                               "value": Text("page.col.value"), "low": Text("page.col.low"),
                               "high": Text("page.col.high"), "holds": Text("page.col.holds"),
                               "weight": Text("page.col.weight"), "real_time": Text("page.col.real_time"),
                               "merged": Text("page.col.merged")}

    def in_unit(value: Any, lang: str) -> str:
        return bi.localise(with_unit(value, unit, signed_values(check)), lang)

    def in_words(param: str) -> Any:
        return lambda value, lang: bi.localise(value_text(check.claim_id, param, value), lang)

    formats = {**{p: in_words(p.removeprefix(PARAM)) for p in params},
               "value": in_unit, "low": in_unit, "high": in_unit, "holds": bi.yes_no,
               "real_time": bi.yes_no, "weight": bi.number(decimals=2), "merged": bi.number()}
    return bi.table_html(frame, columns, lang, formats)


def show_context(check: ClaimCheck) -> None:
    """Proxies and other periods or concepts, apart from the readings."""
    if not computable(check):  # the verdict at the top says why there is nothing to compute
        return
    bi.heading(Text("page.context.heading"))
    if not check.context:
        bi.paragraph(Text("page.context.none"))
        return
    bi.paragraph(Text("page.context.intro"))
    frame = pd.DataFrame([{"what": c.label, "value": result_words(c.result, signed_values(check)),
                           "role": Text(f"page.role.{c.role}") if f"page.role.{c.role}" in catalogue()
                           else c.role, "note": c.note if c.note is not None else ""}
                          for c in check.context])
    bi.table(frame, {"what": Text("page.col.what"), "value": Text("page.col.value"),
                     "role": Text("page.col.role"), "note": Text("page.col.note")})


def show_ex_post(check: ClaimCheck) -> None:
    """The same reading on later data, beside the verdict."""
    if not computable(check):  # the verdict at the top says why there is nothing to compute
        return
    bi.heading(Text("page.expost.heading", {"year": Num(claim_year(check), "year")}))
    bi.paragraph(Text("page.expost.intro"))
    if check.ex_post is None:
        bi.paragraph(check.ex_post_text or Text("page.expost.none"))
        return
    bi.paragraph(result_text(check.ex_post.result, check.ex_post.holds, signed_values(check), "page.expost.value"))
    if check.ex_post_text is not None:
        bi.paragraph(check.ex_post_text)
    later = [p for p in check.perturbations if not p.real_time]
    if later:
        bi.paragraph(Text("page.expost.later_readings", {"n": len(later),
                                                         "n_holds": sum(1 for p in later if p.holds is True)}))


def headline_text(check: ClaimCheck) -> Text:
    """One line with the reading's value, for the index card: the reading's own statement where the
    engine gives one (it names whose number it is: in a comparison the measured half may be the
    nation's, not the region's), else the value against the claimed number."""
    if check.reading is not None and check.reading.statement is not None:
        return check.reading.statement
    if check.reading is None or (check.reading.result.value is None and check.reading.result.low is None):
        return Text("page.headline.no_reading", {"region_name": check.region_name})
    result = check.reading.result
    claimed: Any = Text("page.headline.no_claimed")
    if check.claimed is not None and check.claimed.value is not None:
        claimed = with_unit(check.claimed.value, check.claimed.unit, signed_values(check))
    return Text("page.headline", {"region_name": check.region_name,
                                  "value": with_unit(result.value, result.unit, signed_values(check))
                                  if result.value is not None else result_words(result, signed_values(check)),
                                  "claimed": claimed})
