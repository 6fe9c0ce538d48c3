"""Shift-share context of a ``relative_gain`` claim: the region's change over all SBI sections.

A ``relative_gain`` claim ("relatively almost 1,800 more jobs") states one sector's regional effect
of shift-share: its base-year jobs times its growth above the comparator's growth in that sector.
Beside the verdict (never a vote in it), this module splits the region's change in employee jobs
from the reading's base year to its end year over every SBI 2008 section the processed data hold
into the national growth, industry mix and regional effects (:func:`analysis.stats.shiftshare.classic`),
and names manufacturing's (SBI C) regional effect: the sector that contains HTSM.

Sections: the leaves of the SBI hierarchy (A, B, C, ..., S; :data:`analysis.processing.sbi.SBI_PARTS`).
Where CBS suppressed a section in the region or the nation in either year, the suppressed sections
under one parent become one group, their parent minus the published siblings (Twente: B, D and E
as B-E minus C); the same groups are used for both sides so that they stay comparable. The region
comes from the reading's regional table (``table``), the nation from its national table
(``nation``, region code NL01), as in the reading; ``comparator`` ``nation_minus_region`` subtracts
the region from the nation section by section.

Public API
----------
``RegionalSplit`` (``region, region_name, comparator, base_year, end_year, groups, split,
derived`` (rows computed as a parent minus its published parts),
``manufacturing`` (the SBI C row), ``summary()`` (effects x all sections / manufacturing));
``regional_split(region, base_year, end_year, *, comparator="nation", region_table, nation_table,
jobs=None) -> RegionalSplit``; ``for_check(check, jobs=None) -> RegionalSplit | None`` (None for
any kind but ``relative_gain`` or without a reading; ValueError where the data do not allow it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.engine import series as ser
from analysis.engine.result import ClaimCheck
from analysis.processing.sbi import SBI_PARTS
from analysis.stats import shiftshare

KIND = "relative_gain"
MANUFACTURING = "C"
NATION = "NL01"
NATION_TABLE = "83583NED"
TOP = "A-U"


@dataclass(frozen=True, eq=False)  # eq=False: holds DataFrames
class RegionalSplit:
    """The region's change split by shift-share over the SBI sections (module docstring)."""

    region: str
    region_name: str
    comparator: str  # nation | nation_minus_region
    base_year: int
    end_year: int
    groups: dict[str, tuple[str, ...]]  # row of the split -> SBI sections in it
    split: shiftshare.ShiftShare
    derived: dict[str, str]  # rows computed as parent minus published parts: "B+D+E" -> "B-E − C"

    @property
    def manufacturing(self) -> pd.Series:
        """Manufacturing's (SBI C) row of the split: employment, growth rates and effects."""
        return self.split.by_sector.loc[MANUFACTURING]

    def summary(self) -> pd.DataFrame:
        """``effect`` (national_growth_effect, industry_mix_effect, regional_effect,
        actual_change) x ``all_sections``, ``manufacturing``: jobs, unrounded."""
        return pd.DataFrame({
            "effect": list(shiftshare.COMPONENTS),
            "all_sections": [self.split.components[c] for c in shiftshare.COMPONENTS],
            "manufacturing": [float(self.manufacturing[c]) for c in shiftshare.COMPONENTS]})


def _leaves(code: str = TOP) -> list[tuple[str, str]]:
    """(section, parent) for every leaf of the SBI hierarchy under ``code``, in order."""
    out = []
    for child in SBI_PARTS[code]:
        out.extend(_leaves(child) if child in SBI_PARTS else [(child, code)])
    return out


def _groups(published: dict[str, bool]) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Row label -> sections: a leaf where ``published[leaf]``, else its parent's unpublished
    leaves together; and for those, label -> "parent − published siblings"."""
    groups: dict[str, tuple[str, ...]] = {}
    derived: dict[str, str] = {}
    for leaf, parent in _leaves():
        if published.get(leaf, False):
            groups[leaf] = (leaf,)
            continue
        siblings = SBI_PARTS[parent]
        if parent == TOP or any(s in SBI_PARTS for s in siblings) or not published.get(parent):
            raise ValueError(f"SBI section {leaf} has no value in every year and side, and its "
                             f"parent {parent} cannot stand in for it; shift-share needs every "
                             "section or a published parent of the suppressed ones")
        missing = tuple(s for s in siblings if not published.get(s, False))
        label = "+".join(missing)
        groups[label] = missing
        derived[label] = f"{parent} \u2212 {'+'.join(s for s in siblings if s not in missing)}"
    return groups, derived


def _cell(jobs: pd.DataFrame, region: str, table: str, code: str, year: int) -> float:
    """One published cell; NaN where suppressed or where the table has no such section."""
    try:
        return ser.jobs_value(jobs, region, code, year, table)[0]
    except ValueError:  # a section the table does not publish (the nation's S: only R-U)
        return math.nan


def _value(jobs: pd.DataFrame, region: str, table: str, sections: tuple[str, ...],
           year: int) -> float:
    """Employee jobs of ``sections`` (one group): the section, or the parent minus the others."""
    def cell(code: str) -> float:
        return _cell(jobs, region, table, code, year)

    if len(sections) == 1 and not math.isnan(cell(sections[0])):
        return cell(sections[0])
    parent = next(p for p, parts in SBI_PARTS.items() if set(sections) <= set(parts))
    others = [s for s in SBI_PARTS[parent] if s not in sections]
    return cell(parent) - sum(cell(s) for s in others)


def regional_split(region: str, base_year: int, end_year: int, *, comparator: str = "nation",
                   region_table: str = ser.MAIN_TABLE, nation_table: str = NATION_TABLE,
                   jobs: pd.DataFrame | None = None) -> RegionalSplit:
    """Shift-share of ``region``'s employee jobs ``base_year`` -> ``end_year`` (module docstring)."""
    if comparator not in ("nation", "nation_minus_region"):
        raise ValueError(f"comparator must be 'nation' or 'nation_minus_region', got {comparator!r}")
    jobs = ser.load_jobs() if jobs is None else jobs
    years = (int(base_year), int(end_year))
    sides = ((region, region_table), (NATION, nation_table))
    codes = [leaf for leaf, _ in _leaves()] + list(SBI_PARTS)
    published = {code: all(not math.isnan(_cell(jobs, who, table, code, year))
                           for who, table in sides for year in years) for code in codes}
    groups, derived = _groups(published)
    frames = {}
    for who, table in sides:
        frames[who] = pd.DataFrame({year: [_value(jobs, who, table, parts, year)
                                           for parts in groups.values()] for year in years},
                                   index=list(groups))
    nation = frames[NATION]
    if comparator == "nation_minus_region":
        nation = nation - frames[region]
    split = shiftshare.classic(frames[region], nation, *years)
    return RegionalSplit(region=region,
                         region_name=ser.short_name(ser.region_names(jobs).get(region, region)),
                         comparator=comparator, base_year=years[0], end_year=years[1],
                         groups=groups, split=split, derived=derived)


def for_check(check: ClaimCheck, jobs: pd.DataFrame | None = None) -> RegionalSplit | None:
    """The split for a ``relative_gain`` check, on its reading's region, years, tables and
    comparator; None for other kinds or without a reading."""
    if check.kind != KIND or check.reading is None:
        return None
    reading = check.reading.parameters
    if reading.get("source", "cbs") != "cbs" or reading.get("base_year") is None:
        return None
    return regional_split(check.region, int(reading["base_year"]), int(reading["end_year"]),
                          comparator=str(reading.get("comparator", "nation")),
                          region_table=str(reading.get("table", ser.MAIN_TABLE)),
                          nation_table=str(reading.get("nation", NATION_TABLE)), jobs=jobs)
