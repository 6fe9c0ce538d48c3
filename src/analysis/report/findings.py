"""What a claim page's figures mark, worked out from the engine's check: the finding as a title, the
claim window and date, the reading's thresholds and the claimed number in the units of the series
drawn, and the year-by-year share of a share claim.

Kept apart from the drawing (:mod:`analysis.report.claimfigures`) so the numbers can be tested
without a figure, and so the CSV beside a figure holds exactly what the figure marks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.engine.result import ClaimCheck
from analysis.i18n import Num, Text

# Kinds whose headline series is an index of one or two series of levels (base year = 100), so a
# change threshold of t% is the index line 100 + t.
CHANGE_KINDS = ("change", "change_vs_comparator")
# A sentence ends at ".", "!" or "?" followed by a space and a capital (or an opening quote or
# bracket); "4,4%." and "SBI C)." end one, "4.4%" (an English decimal point) does not.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00C0-\u00DE'‘\"(])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (the whole text when it is one sentence)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def finding_title(check: ClaimCheck, lang: str) -> str:
    """The figure title that states the finding: the first sentence of the engine's reason for the
    verdict (``deciding_text``), else of the reading's statement, else the generic title."""
    for text in (check.deciding_text, check.reading.statement if check.reading is not None else None):
        if text is not None and text.render(lang).strip():
            return first_sentence(text.render(lang))
    return Text("page.headline_series.title").render(lang)


def year_fraction(iso_date: str) -> float:
    """An ISO date as a position on a year axis (2017-10-18 -> 2017.79): where the claim date goes."""
    date = dt.date.fromisoformat(iso_date[:10])
    start = dt.date(date.year, 1, 1)
    return date.year + (date - start).days / (dt.date(date.year + 1, 1, 1) - start).days


@dataclass(frozen=True)
class Window:
    """The years the claim is about (shaded) and the claim's date (a vertical line)."""

    first: int
    last: int
    claim_x: float | None
    claim_date: str

    def label(self) -> Text:
        key = "figures.window.span" if self.last > self.first else "figures.window.year"
        return Text(key, {"first": Num(self.first, "year"), "last": Num(self.last, "year")})


def claim_window(check: ClaimCheck) -> Window | None:
    """The reading's base_year..end_year (a share claim: its one year); None without a reading."""
    if check.reading is None:
        return None
    params = check.reading.parameters
    if params.get("base_year") is not None and params.get("end_year") is not None:
        first, last = int(params["base_year"]), int(params["end_year"])
    elif params.get("year") is not None:
        first = last = int(params["year"])
    else:
        return None
    date = check.claim_date or ""
    return Window(first, last, year_fraction(date) if len(date) >= 10 else None, date)


@dataclass(frozen=True)
class Level:
    """A horizontal line in the series' unit: a threshold of the reading or the claimed number
    (``low``..``high``: the interval its rounding allows, drawn as a band), with its label."""

    value: float
    label: Text
    kind: str  # "threshold" | "claimed"
    low: float | None = None
    high: float | None = None


def _part_series(check: ClaimCheck, part: str) -> Any:
    from analysis.report.claimtexts import series_label

    params = check.reading.parameters if check.reading is not None else {}
    code = "region" if part == "region" else str(params.get("comparator", "nation"))
    return series_label(code, check)


def _who(names: list[Any]) -> Any:
    if len(names) == 1:
        return names[0]
    return Text("figures.both_halves", {"first": names[0], "second": names[1]})


def index_levels(check: ClaimCheck) -> list[Level]:
    """The reading's thresholds and the claimed number as index lines (base year = 100) for a change
    claim: a fall of at least 5% is the line at 95; one line for halves that share a threshold.

    A fact's value is the change with the sign the claim's direction gives it (a fall of 6.6% is
    +6.6 for "fell at least 5%"), so the threshold on the change itself is threshold x that sign."""
    if check.kind not in CHANGE_KINDS or check.reading is None:
        return []
    params, parts = check.reading.parameters, check.reading.parts
    base = Num(params.get("base_year"), "year")
    by_index: dict[float, list[Any]] = {}
    measured_claims: set[str] = set()
    for fact in check.reading.facts:
        change = parts.get(fact.part)
        if fact.test == "within":
            measured_claims.add(fact.part)
        if fact.threshold is None or fact.test not in ("at_least", "above") or change is None \
                or change.unit != "percent" or fact.value.value is None or not change.value:
            continue
        sign = 1.0 if fact.value.value * change.value > 0 else -1.0
        by_index.setdefault(round(100.0 + sign * fact.threshold, 9), []).append(_part_series(check, fact.part))
    levels = [Level(index, Text("figures.threshold", {
        "who": _who(names), "change": Num(index - 100.0, "percent", 0, signed=True), "base": base,
        "index": Num(index, decimals=0 if float(index).is_integer() else 1)}), "threshold")
        for index, names in sorted(by_index.items())]
    claimed = check.claimed
    # The claim's own number is the region's ("grew 3%"), also where the region cannot be measured.
    if claimed is not None and claimed.unit == "percent" and claimed.value is not None:
        index = 100.0 + claimed.value
        levels.append(Level(index, Text("figures.claimed_change", {
            "who": _part_series(check, "region"), "change": Num(claimed.value, "percent", 0, signed=True),
            "base": base, "index": Num(index, decimals=0 if float(index).is_integer() else 1)}), "claimed",
            low=100.0 + claimed.low if claimed.low is not None else None,
            high=100.0 + claimed.high if claimed.high is not None else None))
    return levels


def share_levels(check: ClaimCheck) -> list[Level]:
    """The claimed share as a line, with the interval its rounding allows ("36%" is 35.5% to 36.5%)."""
    claimed = check.claimed
    if claimed is None or claimed.value is None:
        return []
    return [Level(claimed.value, Text("figures.claimed_share", {
        "value": Num(claimed.value, "percent", 0 if float(claimed.value).is_integer() else 1),
        "low": Num(claimed.low, "percent", 1), "high": Num(claimed.high, "percent", 1)}), "claimed",
        low=claimed.low, high=claimed.high)]


def share_series(check: ClaimCheck, tables: Any = None) -> pd.DataFrame:
    """Year, share, low, high (percent) of the reading's institutions and sectors in every year the
    data count all of them: the reading's setting with its year replaced, through the engine's
    tables (masked cells of 1-4 students give each year's interval, as in the reading)."""
    from analysis.engine.check import registry_for, tables_for
    from analysis.engine.tables import NoData

    if check.kind != "share" or check.reading is None:
        raise ValueError(f"a share series needs a share claim with a reading; {check.claim_id!r} is "
                         f"{check.kind!r}")
    tables = tables if tables is not None else tables_for()
    params = check.reading.parameters
    institutions, sectors = list(params["institutions"]), list(params["sectors"])
    municipalities = None
    if params.get("locations", "all") != "all":
        municipalities = registry_for().meta["locations"][params["locations"]]
    frame = tables._enrolment
    years = sorted(set(frame.loc[frame["institution_code"].isin(institutions), "year"].astype(int)))
    rows = []
    for year in years:
        try:
            part, rest, _editions = tables.enrolment(institutions, sectors, year,
                                                     str(params.get("edition", "newest")), municipalities)
        except NoData:  # an institution not counted that year: a gap, not a guess
            rows.append({"year": year, "share": None, "low": None, "high": None})
            continue
        whole = part.mid + rest.mid
        rows.append({"year": year, "share": 100.0 * part.mid / whole if whole else None,
                     "low": 100.0 * part.lo / (part.lo + rest.hi), "high": 100.0 * part.hi / (part.hi + rest.lo)})
    return pd.DataFrame(rows, columns=["year", "share", "low", "high"]).astype(
        {"year": int, "share": float, "low": float, "high": float})


def sector_name(sector: str, path: Any = None) -> Any:
    """A sector code in words: the registry's sector list label (HTSM), the engine's catalogue name
    (``engine.sector.B-E``), else "SBI <code>"."""
    from analysis.i18n import catalogue
    from analysis.report.claimtexts import registry

    listed = registry(path).get("meta", {}).get("sector_lists", {}).get(sector, {})
    if "label_nl" in listed:
        return {"nl": listed["label_nl"], "en": listed["label_en"]}
    if f"engine.sector.{sector}" in catalogue():
        return Text(f"engine.sector.{sector}")
    return f"SBI {sector}"
