"""Selecting measured quantities from the processed tables, as intervals (:mod:`.intervals`).

Nothing here knows a claim. The claim kinds ask for:

- :meth:`Tables.jobs_cell`: employee jobs of one region, SBI code and year in one CBS table. A
  published cell is its value +- half the rounding unit the table declares for that year in
  ``sources.toml`` (CBS: thousands with one decimal, +-50 jobs; some years two decimals, +-5;
  :func:`analysis.engine.publication.rounding_unit`); a suppressed cell is bounded by the SBI hierarchy (parent minus the other parts, each
  suppressed part taken as 0 .. parent) and, where the nation is published in the same table, by
  the nation minus the other regions' published cells;
- :meth:`Tables.jobs`: the same for a region, the nation (CBS's published national row, or the sum
  of the COROP regions with every suppressed cell bounded), or the nation minus a region, and for a
  list of SBI codes (a sum, e.g. the HTSM divisions). A list of divisions is summed over the cover
  with the fewest published cells the table has in that year (24-25 + 26 + 27 + 28 + 29-30 rather
  than seven single divisions: every cell adds its own rounding error), a suppressed cell only where
  no cover of published cells exists (:func:`analysis.engine.cover.fewest_cells`);
- :meth:`Tables.accounts`: a column of the labour accounts (national: werkzame personen, jobs,
  labour years, hours) or of the regional accounts (labour volume by COROP region), by SBI code;
- :meth:`Tables.enrolment`: DUO students of some institutions and CROHO sectors in one year (masked
  cells 1-4 each);
- :meth:`Tables.figure`: a published figure with the interval its printed digits allow.

Every selection raises :class:`NoData` with a reason (an :class:`analysis.i18n.Text`) when the
data cannot give it. Where a table has a ``vintage`` column, ``vintage="newest"`` (default) picks
the newest vintage per cell and ``"oldest"`` the oldest, by release date
(:func:`analysis.engine.publication.release_order`, never by sorting the labels); any other value
selects that vintage.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.engine import publication
from analysis.engine.accounts import AccountsMixin
from analysis.engine.cover import fewest_cells
from analysis.engine.intervals import Bound, exact, printed_bound, rounded, total
from analysis.engine.nodata import NoData
from analysis.i18n import Num, Text
from analysis.processing.sbi import SBI_PARTS, divisions_of

NATION = "NL01"
UNASSIGNED = "CR99"
PUBLISHED_FIGURES_FILE = paths.PACKAGE_DATA / "published_figures.csv"


_PARENT = {part: parent for parent, parts in SBI_PARTS.items() for part in parts}


@dataclass
class Tables(AccountsMixin):
    """The processed tables of one data folder, loaded on first use and indexed for lookups."""

    data_dir: Path | None = None
    figures_file: Path = PUBLISHED_FIGURES_FILE
    # table -> another table whose published national row bounds its suppressed regional cells
    # (same statistic, e.g. 83582NED regional -> 83583NED national); set from [meta.national_rows]
    national_rows: dict[str, str] = field(default_factory=dict)
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def folder(self) -> Path:
        return Path(self.data_dir) if self.data_dir else paths.processed_dir()

    def _read(self, name: str) -> pd.DataFrame:
        """The table as text cells, after the processed-data checks (contract, manifest sha256)."""
        from analysis.processing.validate import load_text

        return load_text(name, self.folder / f"{name}.csv")

    def has(self, name: str) -> bool:
        return (self.folder / f"{name}.csv").exists()

    # --- employee jobs (jobs.csv) ----------------------------------------------------------------

    @cached_property
    def _jobs(self) -> dict:
        frame = self._read("jobs")
        frame = frame[frame["derived"].str.lower() != "true"]  # bounds are derived here, from cells
        vintage = frame["vintage"] if "vintage" in frame.columns else pd.Series("", index=frame.index)
        cells: dict[tuple, dict[str, float]] = {}
        names: dict[str, str] = {}
        levels: dict[str, str] = {}
        codes: dict[tuple[str, str], set[str]] = {}
        years: dict[str, set[int]] = {}
        for table, region, name, level, sbi, year, value, vint in zip(
                frame["source_table"], frame["region_code"], frame["region_name"],
                frame["region_level"], frame["sbi_code"], frame["year"], frame["employee_jobs"],
                vintage, strict=True):
            number = float(value) if value not in ("", "nan") else math.nan
            cells.setdefault((table, region, sbi, int(year)), {})[vint] = number
            if table != "81402ned" or region not in names:
                names[region] = name
            levels[region] = level
            codes.setdefault((table, region), set()).add(sbi)
            years.setdefault(table, set()).add(int(year))
        corop = sorted(r for r, lv in levels.items() if lv in ("corop", "corop_unassigned"))
        return {"cells": cells, "names": names, "levels": levels, "codes": codes,
                "years": years, "corop": corop}

    def region_names(self) -> dict[str, str]:
        return dict(self._jobs["names"])

    def institution_names(self) -> dict[str, str]:
        """DUO institution code (BRIN) -> the institution's name, as the enrolment table gives it."""
        frame = self._enrolment
        return dict(zip(frame["institution_code"], frame["institution_name"], strict=True))

    def corop_regions(self) -> dict[str, str]:
        """COROP code -> name (CR01-CR40; CR99 'not assignable' left out)."""
        info = self._jobs
        return {r: info["names"][r] for r in info["corop"] if info["levels"][r] == "corop"}

    def jobs_tables(self) -> list[str]:
        return sorted(self._jobs["years"])

    def jobs_vintages(self) -> set[str]:
        """Every vintage (release) id in jobs.csv."""
        return {v for found in self._jobs["cells"].values() for v in found if v}

    def jobs_years(self, table: str) -> list[int]:
        return sorted(self._jobs["years"].get(table, ()))

    def jobs_codes(self, table: str, region: str) -> frozenset[str]:
        key = ("codes", table, region)
        if key not in self._memo:
            self._memo[key] = frozenset(self._jobs["codes"].get((table, region), ()))
        return self._memo[key]

    def _published(self, table: str, region: str, sbi: str, year: int, vintage: str) -> float | None:
        """The published cell, NaN if suppressed, None if the table has no such row."""
        found = self._cell(table, region, sbi, year, vintage)
        return None if found is None else found[0]

    def _cell(self, table: str, region: str, sbi: str, year: int,
              vintage: str) -> tuple[float, float] | None:
        """(published value or NaN, its rounding unit), None if the table has no such row."""
        found = self._jobs["cells"].get((table, region, sbi, year))
        if not found:
            return None
        if vintage in ("newest", "oldest"):
            order = self._release_order(table, frozenset(found))
            label = order[-1] if vintage == "newest" else order[0]
        elif vintage in found:
            label = vintage
        else:
            return None
        return found[label], self.rounding_unit(table, label, year)

    def _release_order(self, table: str, labels: frozenset[str]) -> list[str]:
        """The vintage labels of one table, oldest release first (by date, not by label)."""
        key = ("release_order", table, labels)
        if key not in self._memo:
            self._memo[key] = [v for _, v in publication.release_order((table, v) for v in labels)]
        return self._memo[key]

    def rounding_unit(self, table: str, vintage: str, year: int) -> float:
        """The unit ``table`` rounds ``year``'s employee jobs to (declared in sources.toml)."""
        key = ("rounding", table, vintage, year)
        if key not in self._memo:
            self._memo[key] = publication.rounding_unit(table, vintage, year)
        return self._memo[key]

    def jobs_cell(self, table: str, region: str, sbi: str, year: int,
                  vintage: str = "newest", _depth: int = 0) -> Bound:
        """One cell as an interval (see the module docstring)."""
        key = ("cell", table, region, sbi, year, vintage)
        if key in self._memo:
            return self._memo[key]
        found = self._cell(table, region, sbi, year, vintage)
        if found is None:
            raise NoData(Text("engine.nodata.cell", {"table": table, "region": self._name(region),
                                                     "sbi": sbi, "year": Num(year, "year")}))
        value, unit = found
        if not math.isnan(value):
            bound = rounded(value, unit).clip_low(0.0)
        else:
            bound = self._bounded(table, region, sbi, year, vintage, _depth)
        self._memo[key] = bound
        return bound

    def _bounded(self, table: str, region: str, sbi: str, year: int, vintage: str,
                 depth: int) -> Bound:
        """A suppressed cell: [0, inf) narrowed by the SBI hierarchy and the region hierarchy."""
        bound = self._region_bound(table, region, sbi, year, vintage)
        parent = _PARENT.get(sbi)
        if parent and depth < 3:
            try:
                whole = self.jobs_cell(table, region, parent, year, vintage, depth + 1)
            except NoData:
                return bound
            lo_sum = hi_sum = 0.0
            for part in SBI_PARTS[parent]:
                if part == sbi:
                    continue
                found = self._cell(table, region, part, year, vintage)
                if found is None:
                    return bound
                known, unit = found
                if math.isnan(known):  # a suppressed sibling: 0 .. min(parent, its own bound)
                    hi_sum += min(whole.hi, self._region_bound(table, region, part, year, vintage).hi)
                else:
                    cell = rounded(known, unit).clip_low(0.0)
                    lo_sum += cell.lo
                    hi_sum += cell.hi
            bound = bound.intersect(Bound(max(0.0, whole.lo - hi_sum), None,
                                          max(0.0, whole.hi - lo_sum)))
        return bound

    def _region_bound(self, table: str, region: str, sbi: str, year: int, vintage: str) -> Bound:
        """A suppressed regional cell is at most the nation minus the other regions' published
        cells (the nation from the same table, or from ``national_rows``)."""
        if region == NATION or self._jobs["levels"].get(region) not in ("corop", "corop_unassigned"):
            return Bound(0.0, None, math.inf)
        key = ("region_bound", table, region, sbi, year, vintage)
        if key in self._memo:
            return self._memo[key]
        nation = self._cell(table, NATION, sbi, year, vintage)
        if (nation is None or math.isnan(nation[0])) and table in self.national_rows:
            nation = self._cell(self.national_rows[table], NATION, sbi, year, "newest")
        bound = Bound(0.0, None, math.inf)
        if nation is not None and not math.isnan(nation[0]):
            others_lo = 0.0
            for other in self._jobs["corop"]:
                if other == region:
                    continue
                cell = self._cell(table, other, sbi, year, vintage)
                if cell is not None and not math.isnan(cell[0]):
                    others_lo += max(0.0, cell[0] - cell[1] / 2)
            bound = Bound(0.0, None, max(0.0, rounded(*nation).hi - others_lo))
        self._memo[key] = bound
        return bound

    def _name(self, region: str) -> str:
        return short_name(self._jobs["names"].get(region, region))

    def region_jobs(self, table: str, region: str, codes: Iterable[str], year: int,
                    vintage: str = "newest") -> Bound:
        """Employee jobs of one region summed over SBI ``codes``: each code one cell, except that
        several division codes are summed over their cover with the fewest published cells."""
        codes = list(codes)
        missing = [c for c in codes if c not in self.jobs_codes(table, region)]
        if missing:
            raise NoData(Text("engine.nodata.codes", {
                "table": table, "region": self._name(region), "codes": ", ".join(missing)}))
        codes = self._published_cover(table, region, codes, year, vintage)
        return total([self.jobs_cell(table, region, c, year, vintage) for c in codes])

    def _published_cover(self, table: str, region: str, codes: list[str], year: int,
                         vintage: str) -> list[str]:
        """The cover of the divisions ``codes`` stand for with the fewest cells, suppressed cells
        last resort (a suppressed cell is bounded by the hierarchy, far wider than +-50)."""
        spans = [divisions_of(c) for c in codes]
        if len(codes) < 2 or not all(s and c[0].isdigit() for c, s in zip(codes, spans)):
            return codes  # a single cell or a section: nothing to choose
        key = ("cover", table, region, tuple(codes), year, vintage)
        if key not in self._memo:
            wanted = frozenset().union(*spans)
            cells = {c: self._published(table, region, c, year, vintage)
                     for c in self.jobs_codes(table, region) if (divisions_of(c) or {0}) <= wanted}
            present = frozenset(c for c, value in cells.items() if value is not None)
            suppressed = frozenset(c for c in present if math.isnan(cells[c]))
            found = fewest_cells(wanted, present, suppressed)
            self._memo[key] = list(found) if found is not None else codes
        return self._memo[key]

    def corop_sum(self, table: str, codes: Iterable[str], year: int, vintage: str = "newest",
                  exclude: str | None = None) -> Bound:
        """The sum of the COROP regions (CR99 included), suppressed cells bounded."""
        codes = list(codes)
        key = ("sum", table, tuple(codes), year, vintage)
        if key not in self._memo:
            regions = [r for r in self._jobs["corop"]
                       if self._published(table, r, codes[0], year, vintage) is not None]
            if not regions:
                raise NoData(Text("engine.nodata.corop", {"table": table, "year": Num(year, "year")}))
            self._memo[key] = (total([self.region_jobs(table, r, codes, year, vintage)
                                      for r in regions]), set(regions))
        whole, regions = self._memo[key]
        if exclude is None or exclude not in regions:
            return whole
        # the sum of the others: the excluded region's own interval comes off end by end (exact,
        # as the sum is a plain sum of independent intervals)
        own = self.region_jobs(table, exclude, codes, year, vintage)
        if math.isinf(own.hi):  # an unbounded cell cannot come off an unbounded sum: add the others
            return total([self.region_jobs(table, r, codes, year, vintage)
                          for r in sorted(regions - {exclude})])
        value = None if whole.value is None or own.value is None else whole.value - own.value
        return Bound(whole.lo - own.lo, value, whole.hi - own.hi)

    def national_jobs(self, table: str, codes: Iterable[str], year: int,
                      vintage: str = "newest") -> Bound:
        """CBS's published national row (NL01) of ``table``; NoData if the table has none."""
        codes = list(codes)
        if not self.jobs_codes(table, NATION):
            raise NoData(Text("engine.nodata.national", {"table": table}))
        return self.region_jobs(table, NATION, codes, year, vintage)

    # --- DUO enrolment (enrolment.csv) -----------------------------------------------------------

    @cached_property
    def _enrolment(self) -> pd.DataFrame:
        frame = self._read("enrolment")
        frame["year"] = frame["year"].astype(int)
        frame["students"] = pd.to_numeric(frame["students"], errors="coerce").fillna(0.0)
        frame["masked_cells"] = pd.to_numeric(frame["masked_cells"], errors="coerce").fillna(0)
        return frame

    def years_held(self, enrolment: bool = False) -> list[int]:
        """Every reference year of the employee jobs tables, or (``enrolment``) of the enrolments."""
        if enrolment:
            return sorted(set(self._enrolment["year"].astype(int)))
        return sorted({year for table in self.jobs_tables() for year in self.jobs_years(table)})

    def enrolment_editions(self, institution: str, year: int) -> list[str]:
        """The DUO editions that count ``institution`` in ``year``, oldest first."""
        frame = self._enrolment
        rows = frame[(frame["institution_code"] == institution) & (frame["year"] == year)]
        last = frame.groupby("edition")["year"].max()
        return sorted(set(rows["edition"]), key=lambda e: (int(last[e]), e))

    def enrolment(self, institutions: Iterable[str], sectors: Iterable[str], year: int,
                  edition: str = "newest",
                  municipalities: Iterable[str] | None = None) -> tuple[Bound, Bound, list[str]]:
        """(students in ``sectors``, all other students, editions used) for the institutions in
        ``year``; each masked cell adds 1-4 students (DUO masks counts below 5)."""
        frame = self._enrolment
        sectors = set(sectors)
        used = []
        part = rest = exact(0.0)
        for institution in institutions:
            editions = self.enrolment_editions(institution, year)
            if not editions:
                raise NoData(Text("engine.nodata.enrolment", {"institution": institution,
                                                              "year": Num(year, "year")}))
            chosen = editions[-1] if edition == "newest" else editions[0] if edition == "oldest" \
                else edition
            if chosen not in editions:
                raise NoData(Text("engine.nodata.edition", {"edition": chosen,
                                                            "institution": institution,
                                                            "year": Num(year, "year")}))
            used.append(chosen)
            rows = frame[(frame["institution_code"] == institution) & (frame["year"] == year)
                         & (frame["edition"] == chosen)]
            if municipalities is not None:
                rows = rows[rows["municipality"].isin(list(municipalities))]
            tech = rows["croho_sector"].isin(sectors)
            part = part + _masked(rows[tech])
            rest = rest + _masked(rows[~tech])
        return part, rest, used

    # --- published figures ------------------------------------------------------------------------

    @cached_property
    def figures(self) -> pd.DataFrame:
        frame = pd.read_csv(self.figures_file, dtype=str, keep_default_na=False)
        return frame.set_index("id", drop=False)

    def figure(self, figure_id: str) -> tuple[Bound, pd.Series]:
        """A published figure as an interval from its printed digits, and its row."""
        key = ("figure", figure_id)
        if key not in self._memo:
            if figure_id not in self.figures.index:
                raise KeyError(f"unknown published figure {figure_id!r} (not in "
                               f"{self.figures_file.name})")
            row = self.figures.loc[figure_id]
            self._memo[key] = (printed_bound(row["value"]), row)
        return self._memo[key]


def _masked(rows: pd.DataFrame) -> Bound:
    students = float(rows["students"].sum())
    masked = float(rows["masked_cells"].sum())
    return Bound(students + masked, students + 2.5 * masked if masked else students,
                 students + 4 * masked)


def short_name(name: str) -> str:
    """'Twente (CR)' -> 'Twente'."""
    for suffix in (" (CR)", " (PV)", " (LD)"):
        name = name.removesuffix(suffix)
    return name.strip()
