"""An extrapolation of the pre-period trend, and one joint test of whether later years fit it.

The log-linear trend of the years before ``cutoff_year`` is *extrapolated* (extended unchanged)
to ``cutoff_year`` and later. This is not a forecast model; it answers "did the later years
continue the earlier line?". Instead of counting years outside single-year prediction bands
(dependent exceedances: one persistent shift puts every later year outside), one joint
predictive-failure test (Chow 1960, the second test) asks whether all later years together are
compatible with the pre-period line::

    F = ((SSR_all - SSR_pre) / m) / (SSR_pre / (n_pre - 2))   ~  F(m, n_pre - 2)

where ``SSR_pre`` is the residual sum of squares of the trend fitted on the ``n_pre`` pre-period
years and ``SSR_all`` that of one trend fitted on all ``n_pre + m`` years. It equals the F test of
``m`` year dummies for the later years, and for ``m = 1`` the squared prediction t statistic.
Exact for independent normal deviations on the log scale; persistent deviations make it reject
too often (``caveat``). The uncertainty is that of a model of deviations around a line: register
counts have no sampling error.

Public API
----------
``extrapolation_test(series, cutoff_year) -> Extrapolation`` with fields ``cutoff_year,
fit_years, extrapolated_years, table`` (DataFrame: ``year, actual, extrapolated, gap, gap_pct``),
``f_statistic, df_num, df_denom, p_value, pre_growth_pct, n_pre, method, caveat, label`` and
``summary_text(step=None)`` (levels rounded to ``step``, e.g. from
:func:`analysis.stats.rounding.jobs_step`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats.growth import describe_years, format_number, format_percent
from analysis.stats.rounding import round_rate, round_to_precision
from analysis.stats.sample import _growth_pct, _plain, _prepare

CAVEAT = ("The test assumes independent deviations around the pre-period line; persistent "
          "deviations make it reject too often. The uncertainty is that of a model of deviations "
          "around a line, not sampling error (the counts are registers).")


@dataclass(frozen=True, eq=False)  # eq=False: holds a DataFrame
class Extrapolation:
    """The pre-period trend extrapolated to later years, with a joint predictive-failure test."""

    cutoff_year: int
    fit_years: tuple[int, ...]
    extrapolated_years: tuple[int, ...]
    table: pd.DataFrame
    f_statistic: float
    df_num: int
    df_denom: int
    p_value: float
    pre_growth_pct: float
    n_pre: int
    method: str
    caveat: str = CAVEAT
    label: str = "the series"

    def to_dict(self) -> dict[str, object]:
        return _plain({f.name: getattr(self, f.name) for f in fields(self) if f.name != "table"})

    def summary_text(self, step: float | None = None) -> str:
        """Plain sentences; levels rounded to ``step`` (e.g. 100 jobs), rates to one decimal."""
        last = self.table.iloc[-1]

        def level(value: float) -> str:
            return format_number(round_to_precision(value, step) if step else value)

        p = "p < 0.001" if self.p_value < 0.001 else f"p = {self.p_value:.3f}"
        fits = "do not fit" if self.p_value < 0.05 else "are compatible with"
        return (f"Extrapolating the {describe_years(self.fit_years)} trend of {self.label} "
                f"({format_percent(round_rate(self.pre_growth_pct))} a year) gives "
                f"{level(last['extrapolated'])} for {int(last['year'])}; the actual figure is "
                f"{level(last['actual'])}. Taken together, the years "
                f"{describe_years(self.extrapolated_years)} {fits} the extrapolated line (joint "
                f"predictive-failure test F({self.df_num}, {self.df_denom}) = "
                f"{self.f_statistic:.2f}, {p}). {self.caveat}")


def _ssr(years: np.ndarray, log_values: np.ndarray) -> tuple[float, np.ndarray]:
    exog = np.column_stack([np.ones_like(years), years - years.mean()])
    beta, *_ = np.linalg.lstsq(exog, log_values, rcond=None)
    residuals = log_values - exog @ beta
    return float(residuals @ residuals), beta


def extrapolation_test(series: pd.Series, cutoff_year: int) -> Extrapolation:
    """Extrapolate the trend of the years before ``cutoff_year``; test the later years jointly."""
    sample = _prepare(series)
    before = sample.years < cutoff_year
    fit_years, later_years = sample.years[before].astype(float), sample.years[~before]
    if len(fit_years) < 3:
        raise ValueError(f"only {len(fit_years)} values before {cutoff_year} "
                         f"({describe_years(fit_years)}); the test needs at least 3")
    if len(later_years) == 0:
        raise ValueError(f"no values from {cutoff_year} on to compare with the extrapolation "
                         f"(years with values: {describe_years(sample.years)})")
    ssr_pre, beta = _ssr(fit_years, sample.log_values[before])
    ssr_all, _ = _ssr(sample.years.astype(float), sample.log_values)
    m, df = len(later_years), len(fit_years) - 2
    f_value = ((ssr_all - ssr_pre) / m) / (ssr_pre / df) if ssr_pre > 0 else np.inf
    extrapolated = np.exp(beta[0] + beta[1] * (later_years - fit_years.mean()))
    actual = np.exp(sample.log_values[~before])
    table = pd.DataFrame({"year": later_years.astype(int), "actual": actual,
                          "extrapolated": extrapolated, "gap": actual - extrapolated,
                          "gap_pct": 100.0 * (actual / extrapolated - 1.0)})
    return Extrapolation(
        cutoff_year=int(cutoff_year), fit_years=tuple(int(y) for y in fit_years),
        extrapolated_years=tuple(int(y) for y in later_years), table=table,
        f_statistic=float(f_value), df_num=m, df_denom=df,
        p_value=float(stats.f.sf(f_value, m, df)), pre_growth_pct=_growth_pct(float(beta[1])),
        n_pre=len(fit_years), label=sample.label,
        method=(f"log-linear trend of {describe_years(fit_years)} extrapolated to "
                f"{describe_years(later_years)}; joint predictive-failure (Chow) F test on "
                f"({m}, {df}) df"),
    )
