"""Typed accessors on the processed tables: year-indexed series the claim engine works with.

The processed tables (``data/processed/jobs.csv``, ``enrolment.csv``; columns in
:mod:`analysis.processing.schema`) hold published cells, suppressed cells and derived rows side by side.
The functions here pick, for every year, the one value a claim should use and say why a year
has none:

- :func:`jobs_series` — employee jobs of one region and SBI section (or a sum of sections);
  a derived national sum that lacks suppressed COROP regions other than the allowed ones
  (by default only CR99, "not assignable", a few hundred to a few thousand jobs) is treated as
  missing, because it would understate the nation by an unknown amount.
- :func:`balanced_sum` — the sum over the COROP regions that have a value in *every* year asked
  for (a like-for-like national comparator where the plain national sum is unusable).
- :func:`technical_share` — students, technical students and their share per year for a set of
  institutions, from one DUO edition per institution and year.

Published figures about the claims (Twente Index, CBS top-sector monitor, ...) are reference
material, committed by hand in ``data/published_figures.csv`` with their source URLs.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.processing.jobs import current_rows
from analysis.processing.schema import ENROLMENT_COLUMNS, JOBS_COLUMNS
from analysis.processing.validate import load_table

PUBLISHED_FIGURES_FILE = paths.PACKAGE_DATA / "published_figures.csv"
NATIONAL = "NL01"
UNASSIGNED = "CR99"
MAIN_TABLE = "83582NED"
OLDER_TABLE = "81402ned"


# --- loading --------------------------------------------------------------------------------------


def load_jobs(path: Path | None = None) -> pd.DataFrame:
    """``data/processed/jobs.csv`` with proper types (Float64 jobs, bool flags, '' for no text).

    Checked on read (sha256 against the manifest, the contract of :mod:`analysis.processing.tables`):
    a damaged or edited file raises :class:`analysis.processing.validate.ProcessedDataError`, a
    missing one its subclass that is also a FileNotFoundError.
    """
    # one release per table: the engine selects by source_table (earlier releases: jobs.csv itself)
    return current_rows(load_table("jobs", path))


def _typed_jobs(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in JOBS_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"jobs table lacks the columns {missing} (see analysis.processing.schema)")
    frame = frame[list(JOBS_COLUMNS)].copy()
    for column in ("source_table", "vintage", "region_code", "region_name", "region_level", "sbi_code",
                   "sbi_label", "derivation", "missing_parts", "period_status"):
        frame[column] = frame[column].astype("string").fillna("").astype(str)
    frame["year"] = frame["year"].astype(int)
    frame["employee_jobs"] = pd.to_numeric(frame["employee_jobs"]).astype("Float64")
    for column in ("suppressed", "derived"):
        frame[column] = frame[column].astype(str).str.lower().isin(["true", "1"])
    return frame


def load_enrolment(path: Path | None = None) -> pd.DataFrame:
    """``data/processed/enrolment.csv`` with proper types (Int64 counts), checked as :func:`load_jobs`."""
    return load_table("enrolment", path)


def _typed_enrolment(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ENROLMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"enrolment table lacks the columns {missing} (see analysis.processing.schema)")
    frame = frame[list(ENROLMENT_COLUMNS)].copy()
    for column in ("edition", "level", "institution_code", "institution_name", "municipality",
                   "croho_sector"):
        frame[column] = frame[column].astype("string").fillna("").astype(str)
    frame["year"] = frame["year"].astype(int)
    frame["students"] = pd.to_numeric(frame["students"]).astype("Int64")
    frame["masked_cells"] = pd.to_numeric(frame["masked_cells"]).fillna(0).astype(int)
    return frame


def load_published_figures(path: Path | None = None) -> pd.DataFrame:
    """The published figures behind the claims (hand-copied reference, one row per figure).

    Columns: ``id, quantity, region, period, value, unit, concept, publisher, source_url``.
    """
    frame = pd.read_csv(path or PUBLISHED_FIGURES_FILE, dtype=str, keep_default_na=False)
    frame["value"] = frame["value"].astype(float)
    if frame["id"].duplicated().any():
        raise ValueError(f"duplicate published figure ids: {sorted(frame['id'][frame['id'].duplicated()])}")
    return frame.set_index("id", drop=False)


def published_value(figures: pd.DataFrame, figure_id: str) -> float:
    """The value of one published figure; KeyError lists the known ids."""
    if figure_id not in figures.index:
        raise KeyError(f"unknown published figure {figure_id!r}; known: {', '.join(figures.index)}")
    return float(figures.at[figure_id, "value"])


# --- regions --------------------------------------------------------------------------------------


def corop_regions(jobs: pd.DataFrame) -> dict[str, str]:
    """COROP code -> name for the 40 COROP regions (CR99 'not assignable' excluded), sorted."""
    rows = jobs[jobs["region_level"] == "corop"]
    # prefer the names of the current table (81402ned may spell a few differently)
    rows = rows.assign(_main=rows["source_table"] != MAIN_TABLE).sort_values(["_main", "region_code"])
    names = rows.drop_duplicates("region_code").set_index("region_code")["region_name"]
    return {code: str(names[code]) for code in sorted(names.index)}


def region_names(jobs: pd.DataFrame, source_table: str | None = None) -> dict[str, str]:
    """Every region code in the table (or one source table) -> its name."""
    return dict(_index(jobs).names[source_table or ""])


def check_region(jobs: pd.DataFrame, region: str, source_table: str | None = None) -> str:
    """``region`` if the table knows it; else ValueError listing the valid codes with names."""
    known = _index(jobs).names[source_table or ""]
    if region not in known:
        listing = "; ".join(f"{code} {name}" for code, name in known.items())
        where = f" in {source_table}" if source_table else ""
        raise ValueError(f"unknown region code {region!r}{where}; valid codes: {listing}")
    return region


@dataclass(frozen=True)
class _JobsIndex:
    """Row groups of one jobs table by (source table, region): built once per table object."""

    groups: dict[tuple[str, str], pd.DataFrame]
    names: dict[str, dict[str, str]]  # source table ('' = all) -> code -> name
    corop: dict[tuple[str, int], pd.DataFrame]  # (source table, year) -> COROP rows incl. CR99
    series: dict[tuple, pd.Series] = field(default_factory=dict)  # memo of jobs_series results
    corop_values: dict[tuple, pd.Series] = field(default_factory=dict)  # memo of _corop_values


_INDEXES: dict[int, tuple[int, _JobsIndex]] = {}


def _index(jobs: pd.DataFrame) -> _JobsIndex:
    """Cached grouping of ``jobs`` (the claim engine asks for hundreds of series).

    Keyed by the object's identity and length; the cache entry is dropped when the table is
    garbage-collected. Treat the processed tables as read-only: an in-place edit of a table that
    was already indexed is not seen.
    """
    key = id(jobs)
    cached = _INDEXES.get(key)
    if cached is not None and cached[0] == len(jobs):
        return cached[1]
    groups = {(str(t), str(r)): g for (t, r), g in jobs.groupby(["source_table", "region_code"],
                                                                 sort=True)}
    pairs = jobs[["source_table", "region_code", "region_name"]].drop_duplicates(
        ["source_table", "region_code"])
    names: dict[str, dict[str, str]] = {"": {}}
    for table, code, name in sorted(pairs.itertuples(index=False, name=None)):
        names.setdefault(str(table), {})[str(code)] = str(name)
        names[""].setdefault(str(code), str(name))
    corop_rows = jobs[jobs["region_level"].isin(["corop", "corop_unassigned"])]
    corop = {(str(t), int(y)): g for (t, y), g in corop_rows.groupby(["source_table", "year"])}
    index = _JobsIndex(groups=groups, names=names, corop=corop)
    _INDEXES[key] = (len(jobs), index)
    weakref.finalize(jobs, _INDEXES.pop, key, None)
    return index


def short_name(name: str) -> str:
    """'Twente (CR)' -> 'Twente' (for matching published figures and for sentences)."""
    return name.removesuffix(" (CR)").removesuffix(" (PV)").removesuffix(" (LD)").strip()


# --- jobs series ----------------------------------------------------------------------------------


def sbi_parts(sbi: str | Sequence[str]) -> tuple[str, ...]:
    """'C' -> ('C',); 'C+J+M' or ['C', 'J', 'M'] -> ('C', 'J', 'M') (a sum of sections)."""
    parts = tuple(sbi.split("+")) if isinstance(sbi, str) else tuple(sbi)
    if not parts or any(not p for p in parts):
        raise ValueError(f"empty SBI code in {sbi!r}")
    return parts


def sbi_label(sbi: str | Sequence[str]) -> str:
    return "+".join(sbi_parts(sbi))


def _cell_values(rows: pd.DataFrame, allow_missing: Iterable[str]) -> tuple[pd.Series, dict, dict]:
    """Per year: the value to use, the reason for years without one, notes on derived values."""
    allowed = set(allow_missing)
    with_value = rows[rows["employee_jobs"].notna()]
    is_sum = with_value["derivation"].str.startswith("sum of")
    published = with_value[~with_value["derived"]].drop_duplicates("year")
    hierarchy = with_value[with_value["derived"] & ~is_sum].drop_duplicates("year")
    sums = with_value[with_value["derived"] & is_sum].drop_duplicates("year")
    values = dict(zip(published["year"].astype(int), published["employee_jobs"].astype(float),
                      strict=True))
    reasons: dict[int, str] = {}
    notes: dict[int, str] = {}
    for year, value, how in zip(hierarchy["year"], hierarchy["employee_jobs"],
                                hierarchy["derivation"], strict=True):
        if int(year) not in values:
            values[int(year)] = float(value)
            notes[int(year)] = f"suppressed by CBS, fixed by the {how}"
    for year, value, parts in zip(sums["year"], sums["employee_jobs"], sums["missing_parts"],
                                  strict=True):
        year = int(year)
        if year in values:
            continue
        missing = [p for p in str(parts).split(";") if p]
        extra = [p for p in missing if p not in allowed]
        if extra:
            listed = ", ".join(extra[:4]) + (f" and {len(extra) - 4} more" if len(extra) > 4 else "")
            reasons[year] = (f"the derived national sum lacks {len(extra)} suppressed COROP "
                             f"region(s) ({listed}), so it understates the nation")
        else:
            values[year] = float(value)
            notes[year] = ("derived as the sum of the COROP regions"
                           + (f" (without {', '.join(missing)}, suppressed)" if missing else ""))
    for year in sorted({int(y) for y in rows["year"]} - set(values) - set(reasons)):
        reasons[year] = "suppressed by CBS (not published)"
    return pd.Series(values, dtype=float).sort_index(), reasons, notes


def jobs_series(
    jobs: pd.DataFrame,
    region: str,
    sbi: str | Sequence[str],
    source_table: str = MAIN_TABLE,
    allow_missing: Iterable[str] = (UNASSIGNED,),
) -> pd.Series:
    """Employee jobs of ``region`` in SBI section ``sbi`` per year, NaN where unusable.

    Per year: the published value; else a hierarchy-derived value; else the derived national sum
    if it lacks no suppressed region except those in ``allow_missing``. ``sbi`` may name a sum of
    sections ('C+J+M'); a year then needs every part. ``series.attrs`` records ``missing``
    (year -> why there is no value) and ``notes`` (year -> how a derived value was made).
    Unknown region or SBI codes raise ValueError listing the valid ones.
    """
    check_region(jobs, region, source_table)
    parts = sbi_parts(sbi)
    allow_missing = tuple(allow_missing)
    memo = _index(jobs).series
    key = (region, parts, source_table, tuple(sorted(allow_missing)))
    if key not in memo:
        memo[key] = _jobs_series(jobs, region, parts, source_table, allow_missing)
    cached = memo[key]
    result = cached.copy()
    result.attrs = {k: (dict(v) if isinstance(v, dict) else v) for k, v in cached.attrs.items()}
    return result


def _jobs_series(jobs: pd.DataFrame, region: str, parts: tuple[str, ...], source_table: str,
                 allow_missing: Iterable[str]) -> pd.Series:
    table_rows = _index(jobs).groups[(source_table, region)]
    known_sbi = sorted(set(table_rows["sbi_code"]))
    unknown = [p for p in parts if p not in known_sbi]
    if unknown:
        raise ValueError(f"unknown SBI code(s) {unknown} for {region} in {source_table}; "
                         f"known: {', '.join(known_sbi)}")
    years = sorted(int(y) for y in table_rows["year"].unique())
    total = pd.Series(0.0, index=pd.Index(years, name="year"))
    reasons: dict[int, str] = {}
    notes: dict[int, str] = {}
    for part in parts:
        values, part_reasons, part_notes = _cell_values(table_rows[table_rows["sbi_code"] == part],
                                                        allow_missing)
        total = total + values.reindex(total.index)
        prefix = f"SBI {part}: " if len(parts) > 1 else ""
        for year, reason in part_reasons.items():
            reasons[year] = "; ".join(filter(None, [reasons.get(year), prefix + reason]))
        for year, note in part_notes.items():
            notes[year] = "; ".join(filter(None, [notes.get(year), prefix + note]))
    name = region_names(jobs, source_table)[region]
    total.name = f"{short_name(name)}, SBI {sbi_label(parts)}"
    total.attrs = {"region": region, "region_name": name, "sbi": sbi_label(parts),
                   "source_table": source_table, "missing": reasons, "notes": notes}
    return total


def jobs_value(jobs: pd.DataFrame, region: str, sbi: str | Sequence[str], year: int,
               source_table: str = MAIN_TABLE,
               allow_missing: Iterable[str] = (UNASSIGNED,)) -> tuple[float, str]:
    """One year of :func:`jobs_series`: ``(value, note)`` or ``(nan, reason)``."""
    series = jobs_series(jobs, region, sbi, source_table, allow_missing)
    if year not in series.index:
        return float("nan"), f"{source_table} has no {year}"
    value = float(series.loc[year])
    if pd.isna(value):
        return value, series.attrs["missing"].get(year, "no value")
    return value, series.attrs["notes"].get(year, "")


@dataclass(frozen=True)
class BalancedSum:
    """A sum over the COROP regions with a value in every year asked for (like-for-like).

    ``values`` is indexed by year; ``coverage`` is the included regions' share of the jobs of all
    regions with a value in the first year (1.0 = nothing left out).
    """

    values: pd.Series
    regions: tuple[str, ...]
    left_out: tuple[str, ...]
    coverage: float
    sources: dict[int, str] = field(default_factory=dict)

    @property
    def description(self) -> str:
        years = list(self.values.index)
        return (f"sum of the {len(self.regions)} COROP regions with a value in every year of "
                f"{years[0]}-{years[-1]} ({100 * self.coverage:.1f}% of {years[0]} jobs; "
                f"{len(self.left_out)} left out)")


def _corop_values(jobs: pd.DataFrame, sbi: str | Sequence[str], year: int, table: str) -> pd.Series:
    """Region -> value of every COROP region (incl. CR99) in one year; suppressed ones dropped."""
    memo = _index(jobs).corop_values
    key = (sbi_parts(sbi), int(year), table)
    if key not in memo:
        memo[key] = _corop_values_uncached(jobs, sbi, year, table)
    return memo[key].copy()


def _corop_values_uncached(jobs: pd.DataFrame, sbi: str | Sequence[str], year: int,
                           table: str) -> pd.Series:
    rows = _index(jobs).corop.get((table, int(year)))
    if rows is None:
        return pd.Series(dtype=float)
    total = None
    for part in sbi_parts(sbi):
        cells = rows[(rows["sbi_code"] == part) & rows["employee_jobs"].notna()]
        cells = cells.sort_values("derived", kind="mergesort").drop_duplicates("region_code")
        values = cells.set_index("region_code")["employee_jobs"].astype(float)
        total = values if total is None else total.add(values)  # NaN unless both present
    return total.dropna() if total is not None else pd.Series(dtype=float)


def balanced_sum(
    jobs: pd.DataFrame,
    sbi: str | Sequence[str],
    years: Iterable[int],
    *,
    source_table: str | Mapping[int, str] = MAIN_TABLE,
    exclude: Iterable[str] = (),
) -> BalancedSum:
    """Sum over the COROP regions (CR01-CR40, CR99) that have a value in every one of ``years``.

    ``source_table`` may map years to tables (e.g. 2010 from 81402ned, later years from
    83582NED). ``exclude`` drops regions (e.g. the focal region, for a 'rest of the country').
    """
    years = sorted({int(y) for y in years})
    tables = {y: (source_table if isinstance(source_table, str) else source_table[y]) for y in years}
    per_year = {y: _corop_values(jobs, sbi, y, tables[y]) for y in years}
    excluded = set(exclude)
    all_regions = sorted(set().union(*[set(v.index) for v in per_year.values()]) - excluded)
    common = sorted(set.intersection(*[set(v.index) for v in per_year.values()]) - excluded)
    first = per_year[years[0]].drop(list(excluded), errors="ignore")
    covered = float(first.reindex(common).sum())
    coverage = covered / float(first.sum()) if float(first.sum()) else float("nan")
    values = pd.Series({y: float(per_year[y].reindex(common).sum()) if common else float("nan")
                        for y in years}, dtype=float)
    values.index.name = "year"
    return BalancedSum(values=values, regions=tuple(common),
                       left_out=tuple(r for r in all_regions if r not in common),
                       coverage=coverage, sources=tables)


# --- enrolment ------------------------------------------------------------------------------------


def _edition_order(enrolment: pd.DataFrame) -> dict[str, int]:
    """Edition -> rank by the last year it covers (newer editions hold DUO's newer classification)."""
    last = enrolment.groupby("edition")["year"].max()
    return {edition: int(year) for edition, year in last.items()}


def technical_share(
    enrolment: pd.DataFrame,
    institutions: Iterable[str],
    years: Iterable[int] | None = None,
    sectors: Iterable[str] = ("techniek",),
    municipalities: Iterable[str] | None = None,
    edition: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Students, technical students and the technical share per year for some institutions.

    For every institution and year one DUO edition is used: the newest edition covering it among
    ``edition`` (one id or several; default: all), because editions overlap and DUO reclassifies
    programmes between them. ``municipalities`` (teaching locations, as DUO spells them) limits
    the count; None = every location. Returns one row per year with columns ``students``,
    ``technical_students``, ``share`` (percent), ``share_low``/``share_high`` (bounds if every
    masked cell hid 0 or 4 students), ``masked_cells``, ``editions`` and ``institutions``
    (those with data that year), ``note``. Years where an institution has no data are left out,
    so a pooled share always covers every institution asked for. With ``municipalities``, a year
    whose edition puts all of an institution's students at its seat (see
    :func:`seat_only_editions`) gets a ``note``: its location filter cannot separate campuses.
    """
    codes = list(dict.fromkeys(institutions))
    if not codes:
        raise ValueError("no institutions given")
    known = sorted(set(enrolment["institution_code"]))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"unknown institution code(s) {unknown}; known: {', '.join(known)}")
    rows = enrolment[enrolment["institution_code"].isin(codes)]
    if edition is not None:
        wanted = [edition] if isinstance(edition, str) else list(edition)
        bad = [e for e in wanted if e not in set(enrolment["edition"])]
        if bad:
            raise ValueError(f"unknown edition(s) {bad}; known: {', '.join(sorted(set(enrolment['edition'])))}")
        rows = rows[rows["edition"].isin(wanted)]
    order = _edition_order(enrolment)
    # per institution and year the newest edition available
    chosen = (rows[["institution_code", "year", "edition"]].drop_duplicates()
              .assign(_rank=lambda f: f["edition"].map(order))
              .sort_values(["institution_code", "year", "_rank", "edition"])
              .drop_duplicates(["institution_code", "year"], keep="last"))
    rows = rows.merge(chosen[["institution_code", "year", "edition"]],
                      on=["institution_code", "year", "edition"])
    if municipalities is not None:
        rows = rows[rows["municipality"].isin(list(municipalities))]
    if years is not None:
        rows = rows[rows["year"].isin([int(y) for y in years])]
    sectors = [s.lower() for s in sectors]
    technical = rows["croho_sector"].isin(sectors)
    rows = rows.assign(
        _tech=rows["students"].where(technical, 0).fillna(0).astype(int),
        _all=rows["students"].fillna(0).astype(int),
        _masked_tech=rows["masked_cells"].where(technical, 0),
    )
    seat_only = seat_only_editions(enrolment, codes) if municipalities is not None else {}
    records = []
    for year in sorted(set(chosen["year"]) if years is None else {int(y) for y in years}):
        have = chosen[chosen["year"] == year]
        if set(have["institution_code"]) != set(codes):
            continue  # an institution without data that year: no pooled share
        block = rows[rows["year"] == year]
        students, tech = int(block["_all"].sum()), int(block["_tech"].sum())
        masked, masked_tech = int(block["masked_cells"].sum()), int(block["_masked_tech"].sum())
        masked_other = masked - masked_tech
        flagged = sorted(e for e in set(have["edition"]) if e in seat_only)
        note = (f"{', '.join(flagged)} puts every student of "
                f"{', '.join(sorted(set().union(*(seat_only[e] for e in flagged))))} at the seat: "
                "campuses cannot be separated" if flagged else "")
        records.append({
            "year": year, "students": students, "technical_students": tech,
            "share": 100.0 * tech / students if students else float("nan"),
            "share_low": 100.0 * tech / (students + 4 * masked_other) if students else float("nan"),
            "share_high": (100.0 * (tech + 4 * masked_tech) / (students + 4 * masked_tech)
                           if students + masked_tech else float("nan")),
            "masked_cells": masked,
            "editions": " + ".join(sorted(set(have["edition"]))),
            "institutions": " + ".join(codes),
            "note": note,
        })
    columns = ["year", "students", "technical_students", "share", "share_low", "share_high",
               "masked_cells", "editions", "institutions", "note"]
    return pd.DataFrame.from_records(records, columns=columns).set_index("year")


def seat_only_editions(enrolment: pd.DataFrame, institutions: Iterable[str]) -> dict[str, set[str]]:
    """Editions that place an institution in one municipality while another edition has several.

    Such an edition (DUO's hbo 2018 file puts every Saxion student in Enschede) reports the
    seat, not the teaching location. Returns edition -> the institutions concerned.
    """
    codes = list(institutions)
    rows = enrolment[enrolment["institution_code"].isin(codes)]
    places = rows.groupby(["edition", "institution_code"])["municipality"].nunique()
    flagged: dict[str, set[str]] = {}
    for (edition, institution), count in places.items():
        most = places.xs(institution, level="institution_code").max()
        if count == 1 and most > 1:
            flagged.setdefault(str(edition), set()).add(str(institution))
    return flagged


def locations(enrolment: pd.DataFrame, institution: str) -> pd.DataFrame:
    """Students per edition, year and teaching municipality of one institution (wide by place)."""
    rows = enrolment[enrolment["institution_code"] == institution]
    return rows.pivot_table(index=["edition", "year"], columns="municipality", values="students",
                            aggfunc="sum", fill_value=0)
