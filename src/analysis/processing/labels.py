"""Label-layout snapshots -> records with codes, restricted to the blocks the registry declares complete.

Fixed order: parse the file (:func:`analysis.sources.cbs_labels.read_label_csv`) -> resolve each
``[[dataset.complete]]`` block of ``sources.toml`` -> check that every block is complete (every
expected combination of titles present, exactly once, or twice where two period keys share a
title) -> drop every record outside the blocks (the truncated tail) -> map titles to codes
(:mod:`analysis.processing.titles`) -> tell duplicate period titles apart by record order.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.processing.checks import ProcessingCheckError
from analysis.processing.titles import (
    TitleError,
    map_titles,
    region_code_list,
    region_level,
    sbi_from_title,
    year_from_title,
)
from analysis.sources.cbs_labels import read_label_csv
from analysis.sources.registry import Source

SBI_DIM, REGION_DIM, PERIOD_DIM = "BedrijfstakkenBranchesSBI2008", "RegioS", "Perioden"
# small dimensions mapped through the registry's `codes` tables -> the processed column they fill
CODED_DIMS = {"Bedrijfsgrootte": "size_class", "TypeWerkenden": "worker_type"}
FIRST_OF_TWO, SECOND_OF_TWO = "first-of-two", "second-of-two"


class IncompleteBlockError(ProcessingCheckError):
    """A block the registry declares complete lacks records (or holds unexpected duplicates)."""


@dataclass
class LabelRead:
    """What one label-layout file gave: the usable records and what was left aside, counted."""

    source: Source
    rows: pd.DataFrame
    records_in_file: int
    records_not_used: int  # outside every complete block (the cut tail, other sexes, ...)
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)  # dimension -> title -> records
    unmapped_rows: pd.DataFrame | None = None  # complete-block records whose region has no code

    def manifest_record(self) -> dict[str, Any]:
        return {"records_in_file": self.records_in_file, "records_used": len(self.rows),
                "records_not_used": self.records_not_used,
                "left_out_titles": {d: {"titles": len(t), "records": int(sum(t.values())), "names": sorted(t)}
                                    for d, t in self.left_out.items() if t}}


def _resolve(spec: Mapping[str, Any], order: list[str], dim: str, where: str) -> list[str]:
    """The titles one dimension of a complete block stands for (in record order)."""
    if "years" in spec:
        first, last = spec["years"]
        return [t for t in order if (y := year_from_title(t)) is not None and first <= y <= last]
    if "values" in spec:
        absent = [v for v in spec["values"] if v not in order]
        if absent:
            raise IncompleteBlockError(f"{where}: {dim} has no records for {absent} (declared complete)")
        return list(spec["values"])
    count = spec["count"]
    if "through" in spec:
        head = order[:count]
        if len(head) < count or head[-1] != spec["through"]:
            found = head[-1] if head else None
            raise IncompleteBlockError(
                f"{where}: the complete block of {dim} should end with title {count}, {spec['through']!r}; "
                f"the file's title {len(head)} is {found!r}: the file was cut earlier, or its order changed"
            )
        return head
    if len(order) != count:
        raise IncompleteBlockError(f"{where}: {dim} has {len(order)} titles, the registry expects {count}")
    return order


def _check_block(frame: pd.DataFrame, mask: pd.Series, block: Mapping[str, Any], values: dict[str, list[str]],
                 dims: tuple[str, ...], where: str) -> None:
    """Every expected combination is present once (twice for declared double periods)."""
    rows = frame[mask]
    keyed = rows.assign(**({"_year": rows[PERIOD_DIM].map(year_from_title)} if PERIOD_DIM in dims else {}))
    group_dims = [("_year" if d == PERIOD_DIM else d) for d in dims]
    counts = keyed.groupby(group_dims, sort=False).size().to_dict() if len(rows) else {}
    axes = []
    for dim in dims:
        spec = block[dim]
        if dim == PERIOD_DIM and "years" in spec:
            axes.append(list(range(spec["years"][0], spec["years"][1] + 1)))
        else:
            axes.append(values[dim])
    twice = set(block.get(PERIOD_DIM, {}).get("twice", ()))
    missing, doubled = [], []
    for combo in itertools.product(*axes):
        expected = 2 if PERIOD_DIM in dims and combo[dims.index(PERIOD_DIM)] in twice else 1
        found = counts.get(combo if len(combo) > 1 else combo[0], 0)
        if found < expected:
            missing.append(combo)
        elif found > expected:
            doubled.append(combo)
    if missing:
        raise IncompleteBlockError(
            f"{where}: a block declared complete lacks {len(missing)} of its records "
            f"({' x '.join(dims)}), e.g. {missing[:5]}. The file is truncated inside the block: fetch it "
            "again, or correct the block in src/analysis/data/sources.toml to what the file really holds"
        )
    if doubled:
        raise IncompleteBlockError(
            f"{where}: {len(doubled)} combinations occur more often than once ({' x '.join(dims)}), e.g. "
            f"{doubled[:5]}: duplicate period titles the registry does not declare (`twice`), so the "
            "records cannot be told apart. Check the table on StatLine"
        )


def read_label_table(path: Path, source: Source, corop_titles: Mapping[str, str] | None = None) -> LabelRead:
    """Read the complete blocks of one label-layout snapshot, with codes; see the module docstring."""
    where = f"{source.table_id} ({source.id}, {path.name})"
    frame = read_label_csv(path, source)
    dims = source.dimensions
    if PERIOD_DIM in dims:
        map_titles(list(frame[PERIOD_DIM]), year_from_title, "period", where)  # fails on any odd title
    mask = pd.Series(False, index=frame.index)
    for block in source.complete:
        values = {d: _resolve(block[d], list(dict.fromkeys(frame[d])), d, where) for d in dims}
        in_block = pd.Series(True, index=frame.index)
        for dim in dims:
            in_block &= frame[dim].isin(values[dim])
        _check_block(frame, in_block, block, values, dims, where)
        mask |= in_block
    used = frame[mask].copy()
    read = LabelRead(source=source, rows=used, records_in_file=len(frame), records_not_used=int((~mask).sum()))
    out = pd.DataFrame({"ID": used["ID"]}, index=used.index)
    keep = pd.Series(True, index=used.index)

    if SBI_DIM in dims:
        sbi = map_titles(list(used[SBI_DIM]), sbi_from_title, "SBI", where, source.leave_out.get(SBI_DIM, ()))
        read.left_out[SBI_DIM] = _count_none(used[SBI_DIM], sbi)
        keep &= used[SBI_DIM].map(lambda t: sbi[t] is not None)
        out["sbi_code"] = used[SBI_DIM].map(lambda t: sbi[t][0] if sbi[t] else "")
        out["sbi_label"] = used[SBI_DIM].map(lambda t: sbi[t][1] if sbi[t] else "")
    if REGION_DIM in dims:
        codes = region_code_list(corop_titles or {})
        titles = used[REGION_DIM]
        known = titles.isin(codes)
        read.left_out[REGION_DIM] = titles[~known].value_counts().to_dict()
        read.unmapped_rows = used[~known]
        _check_expected_regions(set(titles[known].map(codes)), source, where)
        keep &= known
        out["region_code"] = titles.map(codes).fillna("")
        out["region_name"] = titles.where(titles != "Niet in te delen (CR)", "Niet in te delen")
        out["region_level"] = out["region_code"].map(lambda c: region_level(c) if c else "")
    if PERIOD_DIM in dims:
        out["year"] = used[PERIOD_DIM].map(year_from_title).astype(int)
        out["period_status"] = _period_status(used, out["year"], source, dims)
    for dim, column in CODED_DIMS.items():
        if dim in dims:
            table = source.codes.get(dim, {})
            mapped = map_titles(list(used[dim]), table.get, dim, where)
            out[column] = used[dim].map(mapped)
            out[f"{column}_label"] = used[dim]
    for measure in source.measures:
        text = used[measure["column"]]
        out[measure["column"]] = pd.to_numeric(text.where(text != ""), errors="raise").astype("Float64") * measure["multiplier"]
    read.rows = out[keep].reset_index(drop=True)
    return read


def _count_none(titles: pd.Series, mapped: dict[str, object]) -> dict[str, int]:
    dropped = titles[titles.map(lambda t: mapped[t] is None)]
    return {str(k): int(v) for k, v in dropped.value_counts().items()}


def _check_expected_regions(found: set[str], source: Source, where: str) -> None:
    """Every code of the levels the registry expects must have been found among the titles."""
    expected = set()
    levels = source.expect_region_levels
    if "nl" in levels:
        expected |= {"NL01"}
    if "landsdeel" in levels:
        expected |= {f"LD0{n}" for n in range(1, 5)}
    if "provincie" in levels:
        expected |= {f"PV{n}" for n in range(20, 32)}
    if "corop" in levels:
        expected |= {f"CR{n:02d}" for n in range(1, 41)}
    absent = sorted(expected - found)
    if absent:
        raise TitleError(
            f"{where}: no title maps to the region code(s) {absent} that the registry expects "
            f"(levels {list(levels)}): CBS renamed a region or the code list is out of date"
        )


def _period_status(used: pd.DataFrame, years: pd.Series, source: Source, dims: tuple[str, ...]) -> pd.Series:
    """'' for ordinary periods; for a year with two period keys of one title, the record-order rule.

    The rule (registry ``duplicate_periods = "record-order"``): within each combination of the other
    dimensions, the records of such a year come in period-key order, so the first is ``first-of-two``
    and the second ``second-of-two``.
    """
    twice = set()
    for block in source.complete:
        twice |= set(block.get(PERIOD_DIM, {}).get("twice", ()))
    status = pd.Series("", index=used.index, dtype=object)
    if not twice:
        return status
    if source.duplicate_periods != "record-order":
        raise ProcessingCheckError(f"{source.id}: duplicate periods declared without a rule (duplicate_periods)")
    others = [d for d in dims if d != PERIOD_DIM]
    ordered = used.assign(_year=years).sort_values("ID")
    rank = ordered.groupby([*others, "_year"], sort=False).cumcount()
    doubled = ordered["_year"].isin(twice)
    status.loc[ordered.index[doubled]] = rank[doubled].map({0: FIRST_OF_TWO, 1: SECOND_OF_TWO})
    return status
