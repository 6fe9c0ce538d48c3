"""After the claim: did a region leave its own pre-period line more than the other COROP regions?

RMSPE-ratio placebo ranks (Abadie, Diamond & Hainmueller 2010) of every region's departure from
its own pre-period line of ``ln(region / rest of the nation)``, ranked by
:func:`analysis.stats.placebo.standardised_rank` (see :class:`DepartureRanks`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.engine import series as ser
from analysis.engine.trend import series as ts
from analysis.engine.trend import stats as trend_stats
from analysis.engine.trend.panel import MIN_TREND_POINTS, jobs_panel, rest_totals
from analysis.i18n import Num, Text
from analysis.stats import placebo as stats_placebo


@dataclass(frozen=True, eq=False)
class DepartureRanks:
    """After the claim: did the region leave its own pre-period line more than the others did?

    For every COROP region the gap ``ln(y / R)`` against the rest of the nation (``R`` = the other
    regions) is fitted by a line over ``first_year``..``cutoff_year``; the pre-period deviations
    and the later deviations from the extended line give the RMSPE ratio (``ratio``: post / pre,
    direction-free) and the mean later deviation over the pre-period RMSPE (``signed``, in the
    direction of ``alternative``), both ranked by :func:`stats.placebo.standardised_rank`.
    ``gaps``: region x year deviations (pre and post), for the figure.
    """

    region: str
    region_name: str
    first_year: int
    cutoff_year: int
    last_year: int
    ratio: stats_placebo.PercentileRank
    signed: stats_placebo.PercentileRank
    gaps: pd.DataFrame
    explanation: tuple[Text, ...]

    def plot_data(self) -> pd.DataFrame:
        """``region_code, year, series (gap), value, band_low, band_high, focal``; value = the
        deviation in percent (100 x log points), rounded to one decimal."""
        long = self.gaps.stack().rename("value").reset_index()
        long.columns = ["region_code", "year", "value"]
        return long.assign(series="gap", value=(100.0 * long["value"]).round(1),
                           band_low=math.nan, band_high=math.nan,
                           focal=long["region_code"] == self.region)[
            ["region_code", "year", "series", "value", "band_low", "band_high", "focal"]]


def departure_ranks(
    region: str,
    sbi: str,
    first_year: int,
    cutoff_year: int,
    last_year: int,
    *,
    alternative: str = "less",
    jobs: pd.DataFrame,
    source_table: str | None = None,
    vintage: str | None = None,
) -> DepartureRanks:
    """RMSPE-ratio ranks of every COROP region's departure after ``cutoff_year`` (class doc)."""
    if not first_year < cutoff_year < last_year:
        raise ValueError(f"need first year < cutoff year < last year, got {first_year}, "
                         f"{cutoff_year}, {last_year}")
    table = source_table or ser.MAIN_TABLE
    years = list(range(first_year, last_year + 1))
    panel = jobs_panel(ts.one_vintage(jobs, table, vintage), sbi, years, table)
    totals = rest_totals(panel)
    gaps: dict[str, pd.Series] = {}
    dropped: dict[str, str] = {}
    for code in panel.names:
        gap = (np.log(panel.values[code]) - np.log(totals - panel.values[code])).dropna()
        pre = gap.loc[:cutoff_year]
        if len(pre) < MIN_TREND_POINTS or gap.loc[cutoff_year + 1:].empty:
            dropped[code] = "too few years with a value"
            continue
        line = trend_stats.fitted_line(pre, at=gap.index.to_numpy(dtype=float))
        gaps[code] = (gap - line).reindex(years)
    if region not in gaps:
        raise ValueError(f"{region} has too few years with a value for a pre-period line")
    frame = pd.DataFrame(gaps).T
    pre_gaps, post_gaps = frame.loc[:, :cutoff_year], frame.loc[:, cutoff_year + 1:]
    nan_rows = dict.fromkeys(dropped, math.nan)
    pre_all = pd.concat([pre_gaps, pd.DataFrame(nan_rows, index=pre_gaps.columns).T])
    post_all = pd.concat([post_gaps, pd.DataFrame(nan_rows, index=post_gaps.columns).T])
    ratio = stats_placebo.standardised_rank(pre_all, post_all, region, statistic="rmspe_ratio",
                                            dropped=dropped)
    signed = stats_placebo.standardised_rank(pre_all, post_all, region,
                                             statistic="mean_over_rmspe", alternative=alternative,
                                             dropped=dropped)
    texts = (Text("placebo.departure", {
        "region": panel.names[region], "first": Num(first_year, "year"),
        "cutoff": Num(cutoff_year, "year"), "post": Num(cutoff_year + 1, "year"),
        "last": Num(last_year, "year"), "ratio": Num(ratio.value, decimals=1),
        "rank": ratio.rank, "n": ratio.n_units,
        "signed": Num(signed.value, decimals=1, signed=True), "signed_rank": signed.rank,
        "side": Text(f"placebo.side.{alternative}")}), Text("placebo.what"))
    return DepartureRanks(region=region, region_name=panel.names[region],
                          first_year=int(first_year), cutoff_year=int(cutoff_year),
                          last_year=int(last_year), ratio=ratio, signed=signed, gaps=frame,
                          explanation=texts)
