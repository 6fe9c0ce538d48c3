"""Where does one region stand among comparison units? Percentile ranks, raw and standardised.

Nothing is permuted or resampled: every comparison unit (e.g. each COROP region) gets the same
metric, and the focal unit's **percentile rank** is the share of units whose metric is at least as
extreme as its own, the focal unit included (``rank / n_units``; rank 1 = most extreme, ties count
against the focal unit). A small percentile rank says the focal unit is unusual among these units;
it is not a p-value of a designed experiment.

Standardised rank. Small regions have noisier rates, so a raw rank over-ranks them. Beside the
raw metric, rank a standardised one (Abadie, Diamond & Hainmueller 2010, RMSPE ratio): with the
deviations (gaps) of each unit from its own pre-period line,

* ``"rmspe_ratio"``: ``RMSPE(post) / RMSPE(pre)`` (large = the post period departs more than the
  unit's usual noise; direction-free, rank with ``alternative="greater"``);
* ``"mean_over_rmspe"``: ``mean(post gaps) / RMSPE(pre)`` (signed: a standardised departure).

Dropped units. Units without a value (e.g. CBS suppressed a cell) are not missing at random;
they are listed in ``dropped`` with the reason. Where bounds on their metric are known (e.g. from
the parent total in the SBI or regional hierarchy), the rank is recomputed with each dropped unit
anywhere within its bounds: ``best_rank`` (every dropped unit as unextreme as its bounds allow)
and ``worst_rank`` (as extreme as allowed), out of ``n_units_bounded`` = known + dropped units. A
dropped unit without bounds can be anything (``(-inf, inf)``). Bounded ranks need a one-sided
``alternative`` (a two-sided centre would move with the unknown values).

Public API
----------
``percentile_rank(values, focal, *, alternative="greater", dropped=None, bounds=None)
-> PercentileRank``; ``values``: mapping or Series unit -> metric (NaN = dropped, "no value")
``rmspe(gaps) -> float``; ``standardised_metric(pre_gaps, post_gaps, statistic) -> float``
``standardised_rank(pre_gaps, post_gaps, focal, *, statistic="rmspe_ratio", alternative=None,
dropped=None, bounds=None) -> PercentileRank``; ``pre_gaps``/``post_gaps``: DataFrames, one row per
unit, one column per year (the unit's deviation from its own pre-period line)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ALTERNATIVES = ("greater", "less", "two-sided")
STATISTICS = ("rmspe_ratio", "mean_over_rmspe")


@dataclass(frozen=True, eq=False)  # eq=False: holds a Series
class PercentileRank:
    """The focal unit's rank among the units with a value, and bounds with the dropped ones."""

    focal: str
    value: float
    rank: int
    n_units: int
    percentile_rank: float  # rank / n_units
    alternative: str
    values: pd.Series  # unit -> metric, most extreme first
    dropped: dict[str, str] = field(default_factory=dict)  # unit -> why it has no value
    best_rank: int = 0
    worst_rank: int = 0
    n_units_bounded: int = 0
    label: str = "the metric"

    @property
    def best_percentile_rank(self) -> float:
        return self.best_rank / self.n_units_bounded

    @property
    def worst_percentile_rank(self) -> float:
        return self.worst_rank / self.n_units_bounded

    def to_dict(self) -> dict[str, object]:
        return {"focal": self.focal, "label": self.label, "value": float(self.value),
                "rank": self.rank, "n_units": self.n_units,
                "percentile_rank": float(self.percentile_rank), "alternative": self.alternative,
                "dropped": ", ".join(sorted(self.dropped)), "best_rank": self.best_rank,
                "worst_rank": self.worst_rank, "n_units_bounded": self.n_units_bounded}

    def explanation(self, focal_name: str | None = None, units: str = "regions") -> str:
        side = {"greater": "highest", "less": "lowest", "two-sided": "furthest from the median"}
        name = focal_name or self.focal
        text = (f"{name} ranks {self.rank} of {self.n_units} {units} on {self.label} "
                f"(1 = {side[self.alternative]}): percentile rank {self.percentile_rank:.0%} "
                f"(share of {units} at least as extreme, {name} included; nothing is permuted).")
        if self.dropped:
            text += (f" {len(self.dropped)} {units} without a value were dropped "
                     f"({', '.join(sorted(self.dropped))}); with them placed within their bounds "
                     f"the rank lies between {self.best_rank} and {self.worst_rank} of "
                     f"{self.n_units_bounded}.")
        return text


def _extremeness(values: pd.Series, alternative: str) -> pd.Series:
    if alternative == "greater":
        return values
    if alternative == "less":
        return -values
    return (values - float(np.median(values))).abs()


def percentile_rank(
    values: Mapping[str, float] | pd.Series,
    focal: str,
    *,
    alternative: str = "greater",
    dropped: Mapping[str, str] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    label: str = "the metric",
) -> PercentileRank:
    """Rank ``focal`` among ``values``; NaN values and ``dropped`` units are bounded, not ignored.

    ``bounds``: unit -> (lower, upper) on the metric for dropped units (missing = unbounded).
    """
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    series = pd.Series(values, dtype=float)
    if series.index.has_duplicates:
        raise ValueError(f"duplicate units: {sorted(series.index[series.index.duplicated()])}")
    dropped = dict(dropped or {})
    for unit in series.index[series.isna()]:
        dropped.setdefault(str(unit), "no value")
    known = series.dropna()
    known = known[[u not in dropped for u in known.index]]
    if focal not in known.index:
        reason = dropped.get(focal, "not among the units")
        raise ValueError(f"the focal unit {focal!r} has no value ({reason}); a rank needs it")
    bounds = dict(bounds or {})
    stray = sorted(set(bounds) - set(dropped))
    if stray:
        raise ValueError(f"bounds given for units that are not dropped: {stray}")
    if bounds and alternative == "two-sided":
        raise ValueError("bounded ranks need a one-sided alternative ('greater' or 'less'): a "
                         "two-sided centre would move with the unknown values")
    extreme = _extremeness(known, alternative)
    focal_extreme = float(extreme[focal])
    rank = int((extreme >= focal_extreme).sum())
    value = float(known[focal])
    must = can = 0
    for unit in dropped:
        low, high = bounds.get(unit, (-math.inf, math.inf))
        if low > high:
            raise ValueError(f"bounds for {unit} are reversed: ({low}, {high})")
        if alternative == "greater":
            must, can = must + (low >= value), can + (high >= value)
        elif alternative == "less":
            must, can = must + (high <= value), can + (low <= value)
        else:  # two-sided (no bounds allowed): an unbounded unit can be anywhere
            can += 1
    order = extreme.sort_values(ascending=False, kind="stable").index
    return PercentileRank(
        focal=focal, value=value, rank=rank, n_units=len(known),
        percentile_rank=rank / len(known), alternative=alternative, values=known[order],
        dropped=dropped, best_rank=rank + int(must), worst_rank=rank + int(can),
        n_units_bounded=len(known) + len(dropped), label=label,
    )


def rmspe(gaps: np.ndarray | pd.Series) -> float:
    """Root mean squared gap (NaN gaps ignored)."""
    array = np.asarray(gaps, dtype=float)
    array = array[~np.isnan(array)]
    if array.size == 0:
        raise ValueError("no gaps to compute an RMSPE from")
    return float(np.sqrt(np.mean(array**2)))


def standardised_metric(pre_gaps, post_gaps, statistic: str = "rmspe_ratio") -> float:
    """``RMSPE(post) / RMSPE(pre)`` or ``mean(post) / RMSPE(pre)`` (NaN if the pre RMSPE is 0)."""
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {STATISTICS}, got {statistic!r}")
    pre = rmspe(pre_gaps)
    if pre == 0:
        return math.nan
    post = np.asarray(post_gaps, dtype=float)
    post = post[~np.isnan(post)]
    if post.size == 0:
        raise ValueError("no post-period gaps")
    numerator = rmspe(post) if statistic == "rmspe_ratio" else float(post.mean())
    return numerator / pre


def standardised_rank(
    pre_gaps: pd.DataFrame,
    post_gaps: pd.DataFrame,
    focal: str,
    *,
    statistic: str = "rmspe_ratio",
    alternative: str | None = None,
    dropped: Mapping[str, str] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> PercentileRank:
    """Percentile rank of ``focal`` on the standardised metric of every unit (rows of the frames).

    ``alternative`` defaults to "greater" for the RMSPE ratio (direction-free) and must be given
    for the signed ``"mean_over_rmspe"``. ``bounds`` are on the standardised scale.
    """
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {STATISTICS}, got {statistic!r}")
    if alternative is None:
        if statistic != "rmspe_ratio":
            raise ValueError("give alternative ('greater', 'less' or 'two-sided') for a signed "
                             "statistic")
        alternative = "greater"
    missing = sorted(set(pre_gaps.index) ^ set(post_gaps.index))
    if missing:
        raise ValueError(f"pre and post gaps need the same units; differing: {missing}")
    values = {}
    for unit in pre_gaps.index:
        try:
            values[unit] = standardised_metric(pre_gaps.loc[unit], post_gaps.loc[unit], statistic)
        except ValueError:
            values[unit] = math.nan  # dropped below as "no value"
    label = ("post/pre RMSPE ratio" if statistic == "rmspe_ratio"
             else "mean post-period gap over pre-period RMSPE")
    return percentile_rank(values, focal, alternative=alternative, dropped=dropped, bounds=bounds,
                           label=label)
