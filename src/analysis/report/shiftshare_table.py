"""The shift-share context of a ``relative_gain`` claim on its page (:mod:`analysis.engine.shiftshare`).

A heading, what the split is, a small table (national growth, industry mix and regional effect and
the actual change, for all SBI sections and for manufacturing), manufacturing's regional effect in
one sentence, and which sections stand together. Texts: ``data/messages/shiftshare.toml``.
"""

from __future__ import annotations

from analysis.engine import shiftshare
from analysis.engine.result import ClaimCheck
from analysis.i18n import Num, Text
from analysis.report import bilingual as bi

JOBS_STEP = 100  # CBS publishes employee jobs in hundreds


def _comparator(split: shiftshare.RegionalSplit) -> Text:
    key = "nation" if split.comparator == "nation" else "rest_of_nation"
    return Text(f"trends.comparator.{key}", {"region": split.region_name})


def show_shift_share(check: ClaimCheck) -> None:
    """Show the split for a ``relative_gain`` check (nothing for other kinds). Returns nothing, so a
    notebook cell that ends with it shows no Python value."""
    if check.kind != shiftshare.KIND or check.reading is None:
        return
    try:
        split = shiftshare.for_check(check)
    except ValueError as exc:  # the data do not allow it here: say why
        bi.paragraph(Text("shiftshare.unavailable", {"reason": str(exc)}))
        return
    if split is None:
        return
    years = {"base": Num(split.base_year, "year"), "end": Num(split.end_year, "year")}
    region = split.region_name
    bi.heading(Text("shiftshare.heading", {"region": region}))
    bi.paragraph(Text("shiftshare.intro", {"region": region, "comparator": _comparator(split),
                                           "sections": Num(sum(len(parts) for parts in split.groups.values())),
                                           **years}))
    frame = split.summary()
    frame["effect"] = [Text(f"shiftshare.effect.{name}") for name in frame["effect"]]
    jobs = bi.number(signed=True, round_to=JOBS_STEP)
    bi.table(frame, {"effect": Text("shiftshare.column.effect"),
                     "all_sections": Text("shiftshare.column.all_sections"),
                     "manufacturing": Text("shiftshare.column.manufacturing")},
             {"all_sections": jobs, "manufacturing": jobs},
             caption=Text("shiftshare.caption", {"region": region, **years}))
    row = split.manufacturing
    bi.paragraph(Text("shiftshare.manufacturing", {
        "region": region, "comparator": _comparator(split),
        "region_growth": Num(float(row["region_growth_pct"]), "percent", 1, signed=True),
        "comparator_growth": Num(float(row["comparator_growth_pct"]), "percent", 1, signed=True),
        "effect": Num(float(row["regional_effect"]), signed=True, round_to=JOBS_STEP), **years}))
    if split.derived:
        groups = ", ".join(f"{label} = {how}" for label, how in split.derived.items())
        bi.paragraph(Text("shiftshare.groups", {"region": region, "groups": groups}))
