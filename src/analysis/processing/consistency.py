"""Build checks of the label-layout tables; each fails loudly with what does not hold.

- SBI hierarchy: divisions add up to their groups and sections, groups to sections, sections to
  aggregates (``24 + 25 = 24-25``, ``C = 10-12 + ... + 31-33``, ``A-U = A-F + G-N + O-U``), wherever
  every part is published, within what rounding can explain.
- Labour accounts: employees + self-employed = total.
- 83583NED's A-U equals the national A-U of 83582NED in the same vintage (CBS's all-regions total).
- 81497NED's double periods: the second of each pair agrees with 83583NED (the record-order rule).
- Regional accounts: COROP regions add up to their province; the provinces fall short of the
  nation by the extra-regional part, which is measured and must stay small and non-negative.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.processing.checks import ProcessingCheckError
from analysis.processing.sbi import hierarchy_from_codes
from analysis.processing.titles import COROP_PROVINCE


def tolerance(n_parts: int, unit: float) -> float:
    """Largest gap rounding can cause: each of the n parts and the parent off by half a unit."""
    return (n_parts + 1) * unit / 2 + 1e-6


def check_sbi_sums(frame: pd.DataFrame, series: Sequence[str], value: str, unit: float, table: str,
                   violations: list[dict] | None = None) -> int:
    """Every parent equals the sum of its parts (see :func:`hierarchy_from_codes`) within rounding.

    With a ``violations`` list the cells that do not add up are appended to it instead of failing
    (used where CBS's own figures are known not to add up, listed in the manifest).
    """
    series = list(series)
    wide = frame.pivot_table(index=series, columns="sbi_code", values=value, aggfunc="first", dropna=False)
    wide = wide.astype("Float64")
    checks = 0
    for parent, parts in hierarchy_from_codes(frame["sbi_code"].unique()).items():
        complete = wide[[parent, *parts]].dropna()
        gap = (complete[parent] - complete[list(parts)].sum(axis=1)).abs()
        limit = tolerance(len(parts), unit)
        bad = gap[gap > limit]
        checks += len(complete)
        if not bad.empty and violations is not None:
            violations.extend({"table": table, "parent": parent, "parts": " + ".join(parts),
                               "cell": " ".join(map(str, k if isinstance(k, tuple) else (k,))),
                               "gap": float(bad[k])} for k in bad.index)
        elif not bad.empty:
            raise ProcessingCheckError(
                f"{table}: {value} of {parent} differs from {' + '.join(parts)} by more than rounding "
                f"({limit:g}) in {len(bad)} cell(s), e.g. {bad.head(3).round(1).to_dict()}; CBS's figures are "
                "inconsistent or a title was mapped to the wrong code"
            )
    return checks


def check_worker_types(labour: pd.DataFrame, measures: Sequence[str], units: dict[str, float]) -> int:
    """employees + self_employed = total for every table, vintage, SBI code, year and measure."""
    checks = 0
    key = ["source_table", "vintage", "sbi_code", "year"]
    for measure in measures:
        wide = labour.pivot_table(index=key, columns="worker_type", values=measure, aggfunc="first").dropna()
        gap = (wide["total"] - wide["employees"] - wide["self_employed"]).abs()
        limit = tolerance(2, units[measure])
        bad = gap[gap > limit]
        checks += len(wide)
        if not bad.empty:
            raise ProcessingCheckError(
                f"labour accounts: employees + self-employed differ from the total {measure} by more than "
                f"rounding ({limit:g}) in {len(bad)} cell(s), e.g. {bad.head(3).to_dict()}"
            )
    return checks


def check_national_equals_regional(national: pd.DataFrame, all_regions: pd.Series, vintage: str,
                                   unit: float = 100) -> int:
    """83583NED's A-U (size class total) equals 83582NED's all-regions A-U of the same vintage.

    ``national``: jobs rows of 83583NED; ``all_regions``: year -> jobs of 83582NED's
    "Nederland, Buitenland, Niet in te delen" in that vintage.
    """
    rows = national[(national["vintage"] == vintage) & (national["sbi_code"] == "A-U")]
    both = rows.set_index("year")["employee_jobs"].astype("Float64").to_frame("national").join(
        all_regions.rename("regional"), how="inner").dropna()
    if both.empty:
        raise ProcessingCheckError(f"83583NED vs 83582NED ({vintage}): no common year with an A-U total to compare")
    gap = (both["national"] - both["regional"]).abs()
    bad = gap[gap > tolerance(1, unit)]
    if not bad.empty:
        raise ProcessingCheckError(
            f"83583NED's A-U differs from the national A-U of 83582NED ({vintage}) in {len(bad)} year(s): "
            f"{both.loc[bad.index].to_dict('index')}"
        )
    return len(both)


def check_duplicate_periods(older: pd.DataFrame, newer: pd.DataFrame, unit: float = 100) -> dict[str, int]:
    """The record-order rule for 81497NED: the second of each double period agrees with 83583NED.

    Compared on the national total of every SBI code both tables hold. Returns how many cells the
    second of each pair matches and how many the first differs from; fails if the second disagrees.
    """
    key = ["sbi_code", "year"]
    later = newer.set_index(key)["employee_jobs"].astype("Float64")
    result = {}
    for status in ("second-of-two", "first-of-two"):
        pairs = older[older["period_status"] == status].set_index(key)["employee_jobs"].astype("Float64")
        joined = pairs.to_frame("older").join(later.rename("newer"), how="inner").dropna()
        agrees = (joined["older"] - joined["newer"]).abs() <= tolerance(1, unit)
        result[status] = (len(joined), int(agrees.sum()))
    compared, agreeing = result["second-of-two"]
    if compared == 0 or agreeing < compared:
        raise ProcessingCheckError(
            f"81497NED: the second record of each double period agrees with 83583NED in only {agreeing} of "
            f"{compared} cells: the record order no longer tells the two period keys apart. Fetch the table "
            "with its period keys (cbsodata.download_data) and revisit duplicate_periods in sources.toml"
        )
    return {"second of two agrees with 83583NED": agreeing,
            "first of two differs from 83583NED": result["first-of-two"][0] - result["first-of-two"][1]}


def check_corop_provinces(regional: pd.DataFrame, measures: Sequence[str], unit: float = 100) -> int:
    """COROP regions add up to their province within rounding, where every COROP region is present."""
    corop = regional[regional["region_level"] == "corop"].assign(
        province=lambda f: f["region_code"].map(COROP_PROVINCE))
    provinces = regional[regional["region_level"] == "provincie"]
    key = ["source_table", "vintage", "sbi_code", "year"]
    needed = pd.Series(COROP_PROVINCE).value_counts()
    checks = 0
    for measure in measures:
        present = corop.dropna(subset=[measure])
        sums = present.groupby([*key, "province"])[measure].agg(["sum", "count"])
        sums = sums[sums["count"] == sums.index.get_level_values("province").map(needed)]
        published = provinces.set_index([*key, "region_code"])[measure].rename_axis([*key, "province"])
        both = sums.join(published.rename("province_value"), how="inner").dropna()
        limit = both["count"].map(lambda n: tolerance(int(n), unit))
        gap = (both["province_value"] - both["sum"]).abs()
        bad = both[gap > limit]
        checks += len(both)
        if not bad.empty:
            raise ProcessingCheckError(
                f"regional accounts: COROP regions do not add up to their province ({measure}) within rounding "
                f"in {len(bad)} cell(s), e.g. {bad.head(3)[['sum', 'province_value']].to_dict('index')}"
            )
    return checks


def province_nation_gap(regional: pd.DataFrame, measure: str, max_share: float = 0.005) -> dict[str, object]:
    """Nation minus the sum of the 12 provinces: the extra-regional part (continental shelf, embassies).

    Must be non-negative (within rounding) everywhere, and for A-U below ``max_share`` of the nation
    (in the mirror: 1,700-3,400 labour years, under 0.06%; for B, mining, the extra-regional North Sea
    part is up to 12.5% of the section). Returns its range per table and SBI code for the manifest.
    """
    key = ["source_table", "vintage", "sbi_code", "year"]
    provinces = regional[regional["region_level"] == "provincie"].dropna(subset=[measure])
    counts = provinces.groupby(key)[measure].agg(["sum", "count"])
    counts = counts[counts["count"] == 12]
    nation = regional[regional["region_level"] == "nl"].set_index(key)[measure]
    both = counts.join(nation.rename("nation"), how="inner").dropna()
    both["gap"] = both["nation"] - both["sum"]
    both["share"] = both["gap"] / both["nation"].where(both["nation"] != 0)
    limit = tolerance(12, 100)
    is_total = both.index.get_level_values("sbi_code") == "A-U"
    bad = both[(both["gap"] < -limit) | (is_total & (both["share"].abs() > max_share))]
    if not bad.empty:
        raise ProcessingCheckError(
            f"regional accounts: the provinces differ from the nation ({measure}) by more than the extra-regional "
            f"part can explain (negative, or over {max_share:.1%} for A-U) in {len(bad)} cell(s), e.g. "
            f"{bad.head(3)[['sum', 'nation', 'gap']].to_dict('index')}"
        )
    summary = {}
    for (table, vintage, sbi), group in both.groupby(level=["source_table", "vintage", "sbi_code"]):
        summary[f"{table} {vintage} {sbi}"] = {
            "cells": len(group), "min": float(group["gap"].min()), "max": float(group["gap"].max()),
            "max_share_of_nation": round(float(group["share"].abs().max()), 5),
        }
    return summary
