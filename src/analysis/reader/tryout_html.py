"""What the notebook ``notebooks/try_a_claim.py`` shows, as HTML in one language: the reader's reading
(each parameter with the words that set it and what was assumed), the verdict with the deciding fact,
the specification curve (drawn as the claim page draws it) and the entry as TOML.

Used by :class:`analysis.reader.widgets.ClaimTryout`; every text comes from the message catalogues
(``try_a_claim.toml`` and the engine's and pages' keys).
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.i18n import Num, Text, catalogue, render


def message(key: str, lang: str, fallback: str, **params: Any) -> str:
    """A catalogue text, or ``fallback`` for a code the catalogue has no words for (a new kind)."""
    return render(key, lang, **params) if key in catalogue() else fallback


def kind_words(kind: str, lang: str) -> str:
    return message(f"try.kind.{kind}", lang, kind)


def png(figure: Any) -> str:
    """The figure as base64 PNG (closed afterwards: a notebook that updates often leaks no figures)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=90)
    finally:
        plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def claimed_words(claimed: dict[str, Any], lang: str) -> str:
    """The claimed number and its interval as read ("36% (van 35,5% tot 36,5%)", "5% of meer")."""
    style = "percent" if claimed["unit"] == "percent" else "number"

    def num(value: float) -> str:
        decimals = 0 if float(value).is_integer() else min(len(repr(float(value)).split(".")[1]), 3)
        return Num(value, style=style, decimals=decimals).format(lang)

    if claimed["low"] is None or claimed["high"] is None:
        return render("try.claimed.open", lang, value=num(claimed["value"]))
    return render("try.claimed", lang, value=num(claimed["value"]), low=num(claimed["low"]),
                  high=num(claimed["high"]))


def reading_html(reading: Any, lang: str, options: Any, data_dir: Path | None = None) -> str:
    """A table of the reading: per parameter what it was read as, the words and what was assumed."""
    from analysis.engine.check import tables_for

    data = reading.to_json(lang)
    params, names = data["parameters"], {**options.regions, **options.sectors}
    period = (str(params["year"]) if params.get("year") is not None else
              f"{params.get('base_year')}–{params.get('end_year')}" if params.get("base_year") else "")
    rows = {"statistic": message(f"try.statistic.{reading.statistic}", lang, reading.statistic or "–"),
            "kind": kind_words(reading.kind, lang)}
    if reading.kind != "not_held":
        if params.get("institutions"):
            institutions = tables_for(data_dir).institution_names()
            rows["institutions"] = ", ".join(institutions.get(c, c) for c in params["institutions"])
        if params.get("region"):
            rows["region"] = f"{params['region']} {names.get(params['region'], '')}".strip()
        if params.get("sector"):
            rows["sector"] = f"{params['sector']} {names.get(params['sector'], '')}".strip()
        rows["period"] = period
        if params.get("comparator"):
            rows["comparator"] = message(f"engine.value.comparator.{params['comparator']}", lang,
                                         params["comparator"])
        if data["claimed"]:
            rows["claimed"] = claimed_words(data["claimed"], lang)
    head = "".join(f"<th>{escape(render(f'try.column.{c}', lang))}</th>"
                   for c in ("parameter", "value", "words", "assumed"))
    body = "".join(
        f"<tr><th>{escape(render(f'try.param.{key}', lang))}</th><td>{escape(str(value))}</td>"
        f"<td>{escape(data['words'].get(key, ''))}</td><td>{escape(data['assumed'].get(key, ''))}</td></tr>"
        for key, value in rows.items())
    note = f'<p class="note">{escape(data["note"])}</p>' if data["note"] else ""
    return (f"<h3>{escape(render('try.heading.reading', lang))}</h3>"
            f'<table class="reading"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}')


def verdict_html(check: Any, lang: str) -> str:
    """The verdict in symbol and word for the check's region, and why (the deciding fact)."""
    from analysis.report.claimpage import SYMBOLS, verdict_word

    why = check.deciding_text or check.verdict_reason
    head = render("try.verdict", lang, symbol=SYMBOLS.get(check.verdict, ""), verdict=verdict_word(check.verdict),
                  region=check.region_name)
    return (f"<h3>{escape(render('try.heading.verdict', lang))}</h3>"
            f'<p class="verdict verdict-{escape(check.verdict)}"><strong>{escape(head)}</strong></p>'
            f'<p class="deciding"><strong>{escape(render("try.why", lang))}:</strong> '
            f"{escape(why.render(lang) if why else '')}</p>")


def curve_html(check: Any, lang: str, labels: Path) -> str:
    """The specification curve as the claim page draws it (``claimpage.show_perturbations``), in one
    language; ``labels`` is a registry holding the checked entry (for the settings' words)."""
    from analysis.report import bilingual as bi
    from analysis.report import claimpage as cp
    from analysis.report import plots
    from analysis.report.overview import read_manifest

    heading = f"<h3>{escape(render('try.heading.curve', lang))}</h3>"
    data = cp.curve_data(check) if cp.computable(check) else pd.DataFrame()
    if len(data) < 2:
        return f'{heading}<p class="curve-too-few">{escape(render("try.curve.too_few", lang))}</p>'
    part = cp.curve_part(check)
    unit, sign = cp.curve_unit(check, part), cp.signed_values(check)
    claimed = check.claimed.value if check.claimed is not None else None
    if part not in (None, "region") or (check.reading is not None and check.reading.parts
                                         and "region" not in check.reading.parts):
        claimed = None  # the curve shows the comparator's half: the claim's number is the region's
    choices = [c for c in data.columns if c.startswith(cp.PARAM)]
    options = {(c, o): bi.localise(cp.setting_text(check.claim_id, c.removeprefix(cp.PARAM), o, labels), lang)
               for c in choices for o in data[c].astype(str).unique()}
    n_holds = int((data["holds"] == "yes").sum())
    title = (Text("page.spec.title.part", {"who": cp.part_who(check, part), "n": n_holds, "total": len(data)})
             if part else Text("page.spec.title", {"n": n_holds, "total": len(data)}))
    manifest = read_manifest()
    source = cp.source_line(cp.datasets_used(check, manifest), manifest)
    figure = plots.spec_curve_figure(
        data, lang, choices={c: bi.localise(cp.parameter_name(c.removeprefix(cp.PARAM)), lang) for c in choices},
        option_labels=options, unit_format=lambda v: bi.localise(cp.with_unit(v, unit, sign), lang),
        title=title.render(lang), source=bi.localise(source, lang), claimed=claimed,
        threshold=cp.curve_threshold(check, part), part=cp.part_who(check, part).render(lang) if part else None)
    values = data["value"].astype(float)
    alt = render("try.curve.alt", lang, total=len(data), n_holds=n_holds,
                 min=cp.with_unit(values.min(), unit, sign), max=cp.with_unit(values.max(), unit, sign))
    return (f'{heading}<img class="spec-curve" alt="{escape(alt)}" '
            f'src="data:image/png;base64,{png(figure)}" style="max-width:100%">')


def entry_html(entry: dict[str, Any], lang: str) -> str:
    """The entry as the registry will hold it (TOML by the reader's writer), folded."""
    from analysis.reader.toml_writer import dumps_entries

    return (f"<details><summary>{escape(render('try.heading.entry', lang))}</summary>"
            f"<pre>{escape(dumps_entries([entry]))}</pre></details>")
