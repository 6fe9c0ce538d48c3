"""The index's claim cards and the claim drift between builds, from the claim pages' results.

A claim page records ``results/claim-<id>.json`` (report contract, point 5); this module turns one
record into what a card shows in one language, and two builds' records into the list of changes.
Every word comes from the message catalogue (site.toml, the engine's verdict words), every number
is formatted by Babel for the edition.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.i18n import COUNT_UNITS, MessageError, Num, render
from analysis.report import evidence, svg

# Verdict code -> (symbol, CSS class). The symbol and the word carry the verdict where colour cannot
# (greyscale print, colour-blind readers); the classes also differ in fill and border style.
VERDICT_STYLES: dict[str, str] = {
    "supported": "✔", "borderline": "◐", "within_revision": "≈", "not_supported": "✘", "undecidable": "?",
    "not_verifiable": "∅", "not_applicable": "–",
}


def verdict_word(code: str, lang: str) -> str:
    """The verdict word: the engine's ``verdict.<code>``, else the pages' ``page.verdict.<code>``."""
    for key in (f"verdict.{code}", f"page.verdict.{code}"):
        try:
            return render(key, lang)
        except MessageError:
            continue
    raise MessageError(f"no verdict word for {code!r}: add verdict.{code} to a catalogue in data/messages")


def verdict_symbol(code: str) -> str:
    if code not in VERDICT_STYLES:
        raise ValueError(f"unknown verdict {code!r}: the report knows {', '.join(VERDICT_STYLES)}")
    return VERDICT_STYLES[code]


_UNIT_KEYS = {"percent": "site.value.percent", "percentage points": "site.value.points",
              "percent per year": "site.value.percent_per_year", "jobs": "site.value.jobs",
              "persons": "site.value.persons", "students": "page.unit.students"}  # compact forms


def format_value(value: float | None, unit: str | None, lang: str, signed: bool = False) -> str:
    """A value with its unit, formatted for ``lang`` (Babel through analysis.i18n)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return render("site.value.missing", lang)
    unit = unit or ""
    if unit in ("percent", "percent per year"):
        number = Num(float(value), style="percent", decimals=1, signed=signed)
    elif unit in COUNT_UNITS:
        number = Num(float(value), decimals=0, signed=signed)
    else:
        number = Num(float(value), decimals=1, signed=signed)
    return render(_UNIT_KEYS.get(unit, "site.value.plain"), lang, value=number)


def _text(record: Mapping[str, Any], key: str, lang: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, Mapping):
        return str(value.get(lang) or "") or None
    return str(value)


def reading_unit(record: Mapping[str, Any]) -> str:
    check = record.get("check") or {}
    reading = check.get("reading") or {}
    claimed = check.get("claimed") or {}
    return str(reading.get("unit") or claimed.get("unit") or "")


def headline_chart(record: Mapping[str, Any], lang: str) -> str:
    """The card's small chart of the headline series, with its title (alt text) in ``lang``."""
    rows = record.get("headline_series") or []
    series: dict[str, list[tuple[int, float]]] = {}
    for row in rows:
        label = row["series"][lang] if isinstance(row.get("series"), Mapping) else str(row.get("series", ""))
        if row.get("value") is not None:
            series.setdefault(label, []).append((int(row["year"]), float(row["value"])))
    if not series:
        return ""
    years = [year for values in series.values() for year, _ in values]
    described = "; ".join(
        render("site.chart.series", lang, series=label, first=Num(min(v)[0], "year"),
               first_value=Num(min(v)[1], decimals=_decimals(min(v)[1])), last=Num(max(v)[0], "year"),
               last_value=Num(max(v)[1], decimals=_decimals(max(v)[1])))
        for label, v in series.items())
    described = described[:1].upper() + described[1:]  # it starts a sentence: "The Netherlands: 100 in 2010"
    title = render("site.chart.headline_alt", lang, title=_text(record, "title", lang) or "",
                   first=Num(min(years), "year"), last=Num(max(years), "year"), series=described)
    return svg.line_chart(series, title=title, unit=_chart_unit(record, series, lang),
                          format_value=lambda value: Num(value, decimals=_decimals(value)).format(lang))


# kinds whose card chart is the value per year, and the axis of each unit
LEVEL_KINDS = ("share", "share_of_total", "level", "enrolment_level")
LEVEL_AXES = {"percent": "page.axis.share", "jobs": "page.axis.jobs", "students": "page.axis.students"}


def _chart_unit(record: Mapping[str, Any], series: Mapping[str, list[tuple[int, float]]], lang: str) -> str:
    """The sparkline's unit: a claim about one year (a level, a share) has its value per year; the
    engine gives other headline series as an index (each series 100 in its first year, the
    reading's base year); anything else is left unnamed rather than guessed."""
    check = record.get("check") or {}
    unit = (check.get("reading") or {}).get("unit")
    if check.get("kind") in LEVEL_KINDS and unit in LEVEL_AXES:  # a level or a share per year
        return render(LEVEL_AXES[unit], lang)
    firsts = [min(values)[1] for values in series.values()]
    if not all(math.isclose(first, 100.0, abs_tol=1e-6) for first in firsts):
        return ""
    base = min(year for values in series.values() for year, _ in values)
    parameters = ((record.get("check") or {}).get("reading") or {}).get("parameters") or {}
    key = "figures.axis.index_jobs" if parameters.get("concept") == "employee_jobs" else "page.axis.index"
    return render(key, lang, base=Num(base, "year"))


def _decimals(value: float) -> int:
    return 0 if abs(value) >= 100 else 1


@dataclass(frozen=True)
class Card:
    claim_id: str
    page: str
    verdict: str
    symbol: str
    verdict_word: str
    title: str
    quote: str  # as published (Dutch)
    said_by: str | None  # who made the claim and when
    translation: str | None  # the English edition only
    reason: str | None
    counter_argument: str | None
    fairer_statement: str | None
    headline: str | None
    chart_svg: str
    details: list[tuple[str, str]]  # (label, value) for analysts


def card(record: Mapping[str, Any], lang: str) -> Card:
    """What the index shows of one claim in ``lang``."""
    check = record.get("check") or {}
    code = str(record.get("verdict") or check.get("verdict") or "")
    quote = record.get("quote") or {}

    def share(value: Any) -> str:
        return Num(value * 100, "percent", 0).format(lang) if isinstance(value, int | float) else "–"

    details = [
        (render("site.details.claim_id", lang), str(record.get("claim_id", ""))),
        (render("site.details.kind", lang), str(check.get("kind", "–"))),
        (render("site.details.region", lang), f"{check.get('region_name', '')} ({check.get('region', '')})"),
        (render("site.details.verdict_code", lang), code),
        (render("site.details.robustness", lang), share(check.get("robustness"))),
        (render("site.details.fairness", lang),
         Num(check["fairness"], decimals=2).format(lang) if isinstance(check.get("fairness"), int | float) else "–"),
        (render("site.details.uniqueness", lang), share(check.get("uniqueness"))),
        (render("site.details.perturbations", lang), Num(len(check.get("perturbations") or [])).format(lang)),
        (render("site.details.registry_hash", lang), str(check.get("registry_hash", ""))[:12] or "–"),
        (render("site.details.page", lang), str(record.get("page", ""))),
    ]
    headline = _text(record, "headline", lang)
    counter, fairer = _text(record, "counter_argument", lang), _text(record, "fairer_statement", lang)
    kept = evidence.distinct([headline, counter, fairer])  # each line said once
    counter, fairer = (line if line in kept else None for line in (counter, fairer))
    return Card(
        claim_id=str(record.get("claim_id", "")), page=str(record.get("page", "")), verdict=code,
        symbol=verdict_symbol(code), verdict_word=verdict_word(code, lang),
        title=_text(record, "title", lang) or "", quote=str(quote.get("nl", "")) if isinstance(quote, Mapping) else "",
        said_by=_text(record, "said_by", lang),
        translation=(str(quote.get("en", "")) or None) if lang == "en" and isinstance(quote, Mapping) else None,
        reason=_text(record, "reason", lang), counter_argument=counter,
        fairer_statement=fairer, headline=headline,
        chart_svg=headline_chart(record, lang), details=details)


# --------------------------------------------------------------------------------------------
# Results files and claim drift


def read_results(folder: Path) -> dict[str, dict[str, Any]]:
    """claim_id -> record, for every ``claim-*.json`` in a results folder (empty if there is none)."""
    if not folder.is_dir():
        return {}
    records = {}
    for file in sorted(folder.glob("claim-*.json")):
        record = json.loads(file.read_text(encoding="utf-8"))
        records[record["claim_id"]] = record
    return records


def _reading_value(record: Mapping[str, Any]) -> float | None:
    reading = (record.get("check") or {}).get("reading") or {}
    value = reading.get("value")
    return float(value) if isinstance(value, int | float) else None


def _robustness(record: Mapping[str, Any]) -> float | None:
    value = (record.get("check") or {}).get("robustness")
    return float(value) if isinstance(value, int | float) else None


@dataclass(frozen=True)
class ResultChange:
    claim_id: str
    title: Mapping[str, str]
    what: str  # verdict | headline | value | robustness | new | removed
    old: Any = None
    new: Any = None
    unit: str = ""

    def describe(self, lang: str) -> dict[str, str]:
        """Claim title, what changed, before and now, as the edition shows them."""
        if self.what == "verdict":
            old, new = verdict_word(self.old, lang), verdict_word(self.new, lang)
        elif self.what == "headline":
            old, new = self.old.get(lang, ""), self.new.get(lang, "")
        elif self.what == "value":
            old, new = format_value(self.old, self.unit, lang), format_value(self.new, self.unit, lang)
        elif self.what == "robustness":
            old, new = (render("site.value.missing", lang) if v is None else Num(v * 100, "percent", 0).format(lang)
                        for v in (self.old, self.new))
        else:
            old = new = ""
        return {"title": str(self.title.get(lang, self.claim_id)), "what": render(f"site.change.{self.what}", lang),
                "old": old, "new": new}


def _same(a: float | None, b: float | None) -> bool:
    return a == b or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12))


def compare_results(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> list[ResultChange]:
    """What differs between two builds: verdicts, headlines, the reading's value, robustness."""
    changes = []
    for claim_id in sorted(set(old) | set(new)):
        before, after = old.get(claim_id), new.get(claim_id)
        title = (after or before or {}).get("title") or {"nl": claim_id, "en": claim_id}
        if before is None or after is None:
            changes.append(ResultChange(claim_id, title, "new" if before is None else "removed"))
            continue
        if before.get("verdict") != after.get("verdict"):
            changes.append(ResultChange(claim_id, title, "verdict", before.get("verdict"), after.get("verdict")))
        if before.get("headline") != after.get("headline"):
            changes.append(ResultChange(claim_id, title, "headline", before.get("headline") or {},
                                        after.get("headline") or {}))
        if not _same(_reading_value(before), _reading_value(after)):
            changes.append(ResultChange(claim_id, title, "value", _reading_value(before), _reading_value(after),
                                        reading_unit(after)))
        if not _same(_robustness(before), _robustness(after)):
            changes.append(ResultChange(claim_id, title, "robustness", _robustness(before), _robustness(after)))
    return changes
