"""Trend models for short annual series (10–15 points), with honest uncertainty.

All models are log-linear: ``log(y) = a + b * year + error``, so ``b`` is a growth rate in log
points per year and ``100 * (exp(b) - 1)`` the average annual growth in percent.

Standard errors
---------------
HAC (Newey–West, Bartlett kernel, statsmodels ``cov_type="HAC"``), because annual economic
series are autocorrelated and classical OLS errors then are too small. Default lags: the usual
rule ``floor(4 * (n / 100) ** (2 / 9))`` (Newey & West 1994; also the statsmodels default), at
least 1: 2 lags for n = 10–15, 1 lag for n = 4. The HAC covariance carries the small-sample factor
n / (n - k), and tests and intervals use the t distribution on n - k degrees of freedom.

With a dozen points HAC errors are biased *downwards*: the trend residuals sum to zero against
the trend, so the estimated autocovariances come out negative. In our simulation (n = 13,
independent errors) a nominal 5% HAC t test on the slope rejected 13% of the time, and the HAC
Wald F test of a break (4 parameters, n = 14) 32%. Hence ``conservative=True`` (the default):
every standard error is the larger of the HAC and the classical OLS one, and a joint test reports
the less significant of the HAC and the classical F. That restores roughly 5% under independent
errors only: with persistent (AR(1)) deviations the rule rejects a true null far too often (about
18-20% at rho = 0.5 and 35-45% at rho = 0.8 with 8-15 points; tests/test_stats_inference.py).
New code should use :mod:`analysis.stats.inference` (fixed-b inference with size controlled up
to rho = 0.8), :mod:`analysis.stats.breaks` (Chow, sup-F, CUSUM with exact null distributions)
and :mod:`analysis.stats.extrapolation` (one joint predictive-failure test); this module is kept
for the current engine. The CUSUM p-value of :func:`segmented_trend` comes from
:func:`analysis.stats.breaks.cusum_test` (exact null with a trend regressor, MacNeill's limit),
no longer from statsmodels' Brownian-bridge table, which is wrong with a trend regressor.

Inputs are :class:`pandas.Series` indexed by integer year. NaN values are dropped and the dropped
years are recorded in the result (the HAC kernel then treats the remaining years as adjacent).
Values must be positive (logarithms). Fewer than :data:`MIN_POINTS` usable values raise
ValueError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from analysis.stats.breaks import cusum_test
from analysis.stats.growth import describe_years, format_number, format_percent
from analysis.stats.sample import MIN_POINTS, _growth_pct, _name_or, _plain, _prepare

MIN_SEGMENT_POINTS = 3  # per side of a break: a slope from 2 points has no residual
CONFIDENCE = 0.95


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendResult:
    """A log-linear trend (or a difference between two trends) with its uncertainty.

    ``slope`` is in log points per year; ``growth_pct`` = ``100 * (exp(slope) - 1)`` with its 95%
    confidence interval ``[ci_low, ci_high]`` (the back-transformed slope interval).
    ``statistic`` and ``p_value`` test ``slope = 0`` (no trend, or no difference) with a
    t distribution on ``df`` degrees of freedom, using ``slope_se``: the larger of ``hac_se`` and
    ``classical_se`` if ``conservative``, else ``hac_se``.

    For :func:`trend_difference` the slope is the region's log growth rate minus the
    comparator's: ``growth_pct`` is then the annual growth of the ratio region / comparator, i.e.
    how many per cent a year faster the region grew; ``region_growth_pct`` and
    ``comparator_growth_pct`` give both rates (NaN for a single trend).
    """

    estimate: str  # what growth_pct measures, in words
    slope: float
    slope_se: float
    growth_pct: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    df: int
    n: int  # observations in the regression
    years: tuple[int, ...]
    dropped_years: tuple[int, ...]
    hac_maxlags: int
    hac_se: float
    classical_se: float
    conservative: bool
    method: str
    caveat: str
    label: str = "the series"
    region_name: str = ""
    comparator_name: str = ""
    region_growth_pct: float = math.nan
    comparator_growth_pct: float = math.nan

    @property
    def is_difference(self) -> bool:
        """True for a :func:`trend_difference` result."""
        return bool(self.comparator_name)

    def to_dict(self) -> dict[str, object]:
        """Plain values for a table: floats, ints and year ranges as text."""
        return _plain({f.name: getattr(self, f.name) for f in fields(self)})

    def summary_text(self) -> str:
        """One or two plain sentences for a policy reader."""
        span = f"From {self.years[0]} to {self.years[-1]}"
        if self.is_difference:
            region, comparator = self.region_name, self.comparator_name
            faster = "faster" if self.growth_pct >= 0 else "slower"
            sentence = (
                f"{span}, {region} grew about {_small_percent(abs(self.growth_pct))} "
                f"a year {faster} than {comparator} ({region} "
                f"{format_percent(self.region_growth_pct)} a year, {comparator} "
                f"{format_percent(self.comparator_growth_pct)}; difference 95% CI "
                f"{_interval(self.ci_low, self.ci_high)}, {_p(self.p_value)})."
            )
        else:
            sentence = (
                f"{span} ({self.n} annual values) {self.label} {_grew(self.growth_pct)} a year "
                f"(95% CI {_interval(self.ci_low, self.ci_high)}, {_p(self.p_value)})."
            )
        return f"{sentence} {self.caveat}"


@dataclass(frozen=True)
class BreakResult:
    """A log-linear trend with a level and slope shift from ``break_year`` on.

    Growth rates before and after the break come with 95% CIs; ``level_shift_pct`` is the jump at
    the break year against the pre-break trend line, ``slope_change`` the change of the log growth
    rate. ``f_statistic``/``f_p_value`` jointly test "no level and no slope shift": a Wald F test
    with the HAC covariance (``f_p_value_hac``) and, if ``conservative``, the less significant of
    that and the classical F test (``f_p_value_classical``). ``cusum_statistic`` and
    ``cusum_p_value`` are the OLS-residual CUSUM stability test (Ploberger & Krämer; exact p-value
    from :func:`analysis.stats.breaks.cusum_test`) of the plain
    trend without a break: it needs no break year but has little power in short series.
    """

    break_year: int
    pre_growth_pct: float
    pre_ci_low: float
    pre_ci_high: float
    post_growth_pct: float
    post_ci_low: float
    post_ci_high: float
    level_shift_pct: float
    level_ci_low: float
    level_ci_high: float
    slope_change: float  # log points per year, post minus pre
    slope_change_p_value: float
    f_statistic: float
    f_p_value: float
    f_df_num: int
    f_df_denom: int
    f_p_value_hac: float
    f_p_value_classical: float
    cusum_statistic: float
    cusum_p_value: float
    n: int
    n_pre: int
    n_post: int
    years: tuple[int, ...]
    dropped_years: tuple[int, ...]
    hac_maxlags: int
    conservative: bool
    method: str
    caveat: str
    label: str = "the series"

    def to_dict(self) -> dict[str, object]:
        """Plain values for a table: floats, ints and year ranges as text."""
        return _plain({f.name: getattr(self, f.name) for f in fields(self)})

    def summary_text(self) -> str:
        """One or two plain sentences for a policy reader."""
        verdict = "a break" if self.f_p_value < 0.05 else "no clear break"
        return (
            f"Before {self.break_year} {self.label} {_grew(self.pre_growth_pct)} a year "
            f"(95% CI {_interval(self.pre_ci_low, self.pre_ci_high)}), from {self.break_year} on "
            f"it {_grew(self.post_growth_pct)} a year (95% CI "
            f"{_interval(self.post_ci_low, self.post_ci_high)}); the test of a level and slope "
            f"change at {self.break_year} points to {verdict} (F = {self.f_statistic:.2f}, "
            f"{_p(self.f_p_value)}; CUSUM stability test {_p(self.cusum_p_value)}). {self.caveat}"
        )


@dataclass(frozen=True, eq=False)  # eq=False: holds a DataFrame
class CounterfactualResult:
    """The pre-cutoff trend projected forward, against what actually happened.

    ``table`` has one row per projected year: ``year, actual, predicted, lower, upper,
    outside_interval, gap, gap_pct``. ``predicted`` is the back-transformed log prediction (the
    median of the projected distribution); ``lower``/``upper`` bound the 95% prediction interval
    for a single year. ``pre_trend`` is :func:`loglinear_trend` of the same pre-cutoff years.
    """

    cutoff_year: int
    table: pd.DataFrame
    share_outside: float
    n_outside: int
    n_projected: int
    pre_trend: TrendResult
    fit_years: tuple[int, ...]
    dropped_years: tuple[int, ...]
    method: str
    caveat: str
    label: str = "the series"

    def to_dict(self) -> dict[str, object]:
        """Plain values for a table (the pre-cutoff trend with a ``pre_`` prefix)."""
        record = _plain({f.name: getattr(self, f.name) for f in fields(self)
                         if f.name not in ("table", "pre_trend")})
        record.update({f"pre_{k}": v for k, v in self.pre_trend.to_dict().items()
                       if k in ("growth_pct", "ci_low", "ci_high", "p_value", "n")})
        return record

    def summary_text(self) -> str:
        """One or two plain sentences for a policy reader."""
        last = self.table.iloc[-1]
        if last["actual"] > last["upper"]:
            position = "above"
        elif last["actual"] < last["lower"]:
            position = "below"
        else:
            position = "within"
        return (
            f"Extending the {describe_years(self.fit_years)} trend of {self.label} "
            f"({format_percent(self.pre_trend.growth_pct)} a year) predicts "
            f"{format_number(last['predicted'])} for {int(last['year'])} (95% prediction interval "
            f"{format_number(last['lower'])} to {format_number(last['upper'])}); the actual "
            f"{format_number(last['actual'])} lies {position} it. {self.n_outside} of "
            f"{self.n_projected} years from {self.cutoff_year} on lie outside their intervals. "
            f"{self.caveat}"
        )


# --- wording helpers ------------------------------------------------------------------------------


def _grew(growth_pct: float) -> str:
    verb = "grew" if growth_pct >= 0 else "shrank"
    return f"{verb} by about {format_percent(abs(growth_pct), signed=False)}"


def _small_percent(value: float) -> str:
    # two decimals for tiny differences, so that 0.05% does not read as "0.0% faster"
    return format_percent(value, decimals=2 if abs(value) < 0.1 else 1, signed=False)


def _interval(low: float, high: float) -> str:
    return f"{format_percent(low)} to {format_percent(high)}"


def _p(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def small_sample_caveat(n: int) -> str:
    """The standard warning attached to every HAC-based result."""
    return (
        f"With n={n} annual points, HAC errors are themselves imprecise; treat intervals as rough."
    )


def default_maxlags(n: int) -> int:
    """Newey–West lag rule ``floor(4 * (n / 100) ** (2 / 9))``, at least 1."""
    return max(1, math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)))


def _maxlags(hac_maxlags: int | None, n_periods: int) -> int:
    if hac_maxlags is None:
        return default_maxlags(n_periods)
    if not 0 <= hac_maxlags < n_periods:
        raise ValueError(f"hac_maxlags must be between 0 and {n_periods - 1}, got {hac_maxlags}")
    return int(hac_maxlags)


def _t_interval(estimate: float, se: float, df: int) -> tuple[float, float, float, float]:
    """t statistic, two-sided p-value and the 95% interval of ``estimate``."""
    if se > 0:
        statistic = estimate / se
    else:  # a perfect fit: no residual variation at all
        statistic = math.copysign(math.inf, estimate) if estimate else math.nan
    p_value = float(2.0 * stats.t.sf(abs(statistic), df))
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2.0, df)) * se
    return float(statistic), p_value, estimate - half, estimate + half


def _trend_exog(years: np.ndarray, centre: float) -> np.ndarray:
    # centring the year keeps the design well conditioned (years are ~2000)
    return sm.add_constant(years - centre, has_constant="add")


# --- estimation helpers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Estimate:
    """One linear combination of coefficients with its (chosen) standard error and t test."""

    value: float
    se: float
    hac_se: float
    classical_se: float
    statistic: float
    p_value: float
    low: float
    high: float


def _estimate(value: float, hac_se: float, classical_se: float, df: int,
              conservative: bool) -> _Estimate:
    # conservative: never report an interval narrower than the classical one (see module doc)
    se = max(hac_se, classical_se) if conservative else hac_se
    statistic, p_value, low, high = _t_interval(value, se, df)
    return _Estimate(value, se, hac_se, classical_se, statistic, p_value, low, high)


@dataclass(frozen=True)
class _FitPair:
    """The same OLS fit with a HAC and with the classical covariance."""

    params: np.ndarray
    cov_hac: np.ndarray
    cov_classical: np.ndarray
    df: int

    def combination(self, weights: np.ndarray, conservative: bool) -> _Estimate:
        """Estimate and test of ``weights @ params``."""
        value = float(weights @ self.params)
        # A HAC covariance is only positive semi-definite up to rounding: clamp tiny negatives to 0.
        hac_se = float(np.sqrt(max(float(weights @ self.cov_hac @ weights), 0.0)))
        classical_se = float(np.sqrt(max(float(weights @ self.cov_classical @ weights), 0.0)))
        return _estimate(value, hac_se, classical_se, self.df, conservative)

    def wald_f(self, restrictions: np.ndarray, cov: np.ndarray) -> tuple[float, float]:
        """F statistic and p-value of ``restrictions @ params = 0`` with covariance ``cov``."""
        r_params = restrictions @ self.params
        r_cov = restrictions @ cov @ restrictions.T
        q = restrictions.shape[0]
        f_value = float(r_params @ np.linalg.solve(r_cov, r_params)) / q
        return f_value, float(stats.f.sf(f_value, q, self.df))


def _fit_pair(log_values: np.ndarray, exog: np.ndarray, lags: int) -> _FitPair:
    model = sm.OLS(log_values, exog)
    hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)
    classical = model.fit()
    return _FitPair(
        params=np.asarray(hac.params),
        cov_hac=np.asarray(hac.cov_params()),
        cov_classical=np.asarray(classical.cov_params()),
        df=int(classical.df_resid),
    )


def _se_method(lags: int, conservative: bool, hac_name: str = "Newey-West HAC",
               classical_name: str = "classical OLS") -> str:
    hac = f"{hac_name} with {lags} lag(s) (Bartlett kernel, factor n/(n-k))"
    return f"the larger of {hac} and {classical_name}" if conservative else hac


# --- models ---------------------------------------------------------------------------------------


def loglinear_trend(
    series: pd.Series, hac_maxlags: int | None = None, *, conservative: bool = True
) -> TrendResult:
    """Average annual growth: OLS of log(y) on year with HAC (Newey–West) standard errors.

    ``hac_maxlags`` defaults to :func:`default_maxlags` of the number of usable years;
    ``conservative`` floors the HAC standard error at the classical one (module doc).
    """
    sample = _prepare(series)
    n = len(sample.years)
    lags = _maxlags(hac_maxlags, n)
    fit = _fit_pair(sample.log_values, _trend_exog(sample.years, sample.years.mean()), lags)
    slope = fit.combination(np.array([0.0, 1.0]), conservative)
    return TrendResult(
        estimate="average annual growth (%)",
        slope=slope.value,
        slope_se=slope.se,
        growth_pct=_growth_pct(slope.value),
        ci_low=_growth_pct(slope.low),
        ci_high=_growth_pct(slope.high),
        statistic=slope.statistic,
        p_value=slope.p_value,
        df=fit.df,
        n=n,
        years=tuple(int(y) for y in sample.years),
        dropped_years=sample.dropped,
        hac_maxlags=lags,
        hac_se=slope.hac_se,
        classical_se=slope.classical_se,
        conservative=conservative,
        method=(
            f"OLS of log(value) on year, {n} annual values; standard error: "
            f"{_se_method(lags, conservative)}; t test on {fit.df} df"
        ),
        caveat=small_sample_caveat(n),
        label=sample.label,
    )


def trend_difference(
    region: pd.Series,
    comparator: pd.Series,
    hac_maxlags: int | None = None,
    *,
    conservative: bool = True,
    region_name: str | None = None,
    comparator_name: str | None = None,
) -> TrendResult:
    """Difference in annual growth between two series: stacked log(y) ~ year * group.

    The interaction coefficient (year × region) is the region's log growth rate minus the
    comparator's. Only years in which both series have a value are used (the others are listed
    in ``dropped_years``), so that the difference compares like with like.

    Standard error: Driscoll–Kraay (statsmodels ``cov_type="hac-groupsum"`` by year): the scores
    of both series are summed within each year, then a Newey–West HAC is taken over years. Why:
    the region is usually part of the comparator, so both share each year's shocks
    (contemporaneous correlation), and both are autocorrelated; summing by year handles the first,
    the HAC over years the second. On common years this equals a Newey–West regression of
    log(region / comparator) on year. The independent information is the number of years T, not
    the 2T stacked rows: lags follow :func:`default_maxlags` (T) and the t test uses T - 2 df.
    With ``conservative`` the standard error is floored at the classical OLS one of that log-ratio
    regression.
    """
    region_sample = _prepare(region, "the region series")
    comparator_sample = _prepare(comparator, "the comparator series")
    region_label = region_name or _name_or(region, "the region")
    comparator_label = comparator_name or _name_or(comparator, "the comparator")

    years = np.intersect1d(region_sample.years, comparator_sample.years)
    if len(years) < MIN_POINTS:
        raise ValueError(
            f"the two series share {len(years)} years with values ({describe_years(years)}); "
            f"a trend difference needs at least {MIN_POINTS}"
        )
    log_region = region_sample.log_values[np.isin(region_sample.years, years)]
    log_comparator = comparator_sample.log_values[np.isin(comparator_sample.years, years)]
    n_periods = len(years)
    lags = _maxlags(hac_maxlags, n_periods)

    centred = np.r_[years, years] - years.mean()
    is_region = np.r_[np.ones(n_periods), np.zeros(n_periods)]
    exog = np.column_stack([np.ones_like(centred), is_region, centred, is_region * centred])
    time_codes = np.r_[np.arange(n_periods), np.arange(n_periods)]  # 0..T-1 for hac-groupsum
    stacked = sm.OLS(np.r_[log_region, log_comparator], exog).fit(
        cov_type="hac-groupsum",
        cov_kwds={"time": time_codes, "maxlags": lags, "use_correction": "hac",
                  "df_correction": False},
    )
    # the classical floor: OLS of the log ratio, which accounts for the shared yearly shocks
    ratio = sm.OLS(log_region - log_comparator, _trend_exog(years, years.mean())).fit()
    df = n_periods - 2
    difference = _estimate(float(stacked.params[3]), float(stacked.bse[3]),
                           float(ratio.bse[1]), df, conservative)
    comparator_slope = float(stacked.params[2])
    all_years = set(region_sample.years) | set(comparator_sample.years)
    dropped = set(region_sample.dropped) | set(comparator_sample.dropped) | (all_years - set(years))
    se_text = _se_method(lags, conservative, "Driscoll-Kraay HAC over years",
                         "classical OLS of log(region/comparator)")
    return TrendResult(
        estimate="difference in annual growth: growth of the ratio region/comparator (%)",
        slope=difference.value,
        slope_se=difference.se,
        growth_pct=_growth_pct(difference.value),
        ci_low=_growth_pct(difference.low),
        ci_high=_growth_pct(difference.high),
        statistic=difference.statistic,
        p_value=difference.p_value,
        df=df,
        n=2 * n_periods,
        years=tuple(int(y) for y in years),
        dropped_years=tuple(sorted(int(y) for y in dropped)),
        hac_maxlags=lags,
        hac_se=difference.hac_se,
        classical_se=difference.classical_se,
        conservative=conservative,
        method=(
            f"stacked OLS log(value) ~ year * group over {n_periods} common years; standard "
            f"error of the interaction: {se_text}; "
            f"t test on {df} df"
        ),
        caveat=small_sample_caveat(n_periods),
        label=f"{region_label} vs {comparator_label}",
        region_name=region_label,
        comparator_name=comparator_label,
        region_growth_pct=_growth_pct(comparator_slope + difference.value),
        comparator_growth_pct=_growth_pct(comparator_slope),
    )


def segmented_trend(
    series: pd.Series,
    break_year: int,
    hac_maxlags: int | None = None,
    *,
    conservative: bool = True,
) -> BreakResult:
    """Piecewise log-linear trend with a level and a slope shift from ``break_year`` on.

    Model: ``log y = a + b * (year - break_year) + c * D + d * D * (year - break_year)`` with
    ``D = 1`` from ``break_year`` on; ``b`` is the pre-break growth, ``b + d`` the post-break
    growth, ``c`` the jump at the break year. The break terms (c, d) are tested jointly with a
    Wald F test using the HAC covariance (with ``conservative``: the less significant of that and
    the classical F test). The CUSUM test runs on the residuals of the plain trend without a
    break. Each side needs at least :data:`MIN_SEGMENT_POINTS` values.
    """
    sample = _prepare(series)
    years = sample.years
    n_pre, n_post = int((years < break_year).sum()), int((years >= break_year).sum())
    if min(n_pre, n_post) < MIN_SEGMENT_POINTS:
        raise ValueError(
            f"a break in {break_year} leaves {n_pre} values before and {n_post} from it on; "
            f"each side needs at least {MIN_SEGMENT_POINTS} (years: {describe_years(years)})"
        )
    n = len(years)
    lags = _maxlags(hac_maxlags, n)
    since_break = (years - break_year).astype(float)
    after = (years >= break_year).astype(float)
    exog = np.column_stack([np.ones(n), since_break, after, after * since_break])
    fit = _fit_pair(sample.log_values, exog, lags)
    pre = fit.combination(np.array([0.0, 1.0, 0.0, 0.0]), conservative)
    post = fit.combination(np.array([0.0, 1.0, 0.0, 1.0]), conservative)
    level = fit.combination(np.array([0.0, 0.0, 1.0, 0.0]), conservative)
    slope_change = fit.combination(np.array([0.0, 0.0, 0.0, 1.0]), conservative)

    break_terms = np.array([[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    f_hac, p_hac = fit.wald_f(break_terms, fit.cov_hac)
    f_classical, p_classical = fit.wald_f(break_terms, fit.cov_classical)
    use_classical = conservative and p_classical > p_hac
    f_value, f_p = (f_classical, p_classical) if use_classical else (f_hac, p_hac)

    cusum = cusum_test(series)
    f_test_text = "the less significant of the HAC Wald F and the classical F" if conservative \
        else "HAC Wald F"
    return BreakResult(
        break_year=int(break_year),
        pre_growth_pct=_growth_pct(pre.value),
        pre_ci_low=_growth_pct(pre.low),
        pre_ci_high=_growth_pct(pre.high),
        post_growth_pct=_growth_pct(post.value),
        post_ci_low=_growth_pct(post.low),
        post_ci_high=_growth_pct(post.high),
        level_shift_pct=_growth_pct(level.value),
        level_ci_low=_growth_pct(level.low),
        level_ci_high=_growth_pct(level.high),
        slope_change=slope_change.value,
        slope_change_p_value=slope_change.p_value,
        f_statistic=f_value,
        f_p_value=f_p,
        f_df_num=break_terms.shape[0],
        f_df_denom=fit.df,
        f_p_value_hac=p_hac,
        f_p_value_classical=p_classical,
        cusum_statistic=cusum.statistic,
        cusum_p_value=cusum.p_value,
        n=n,
        n_pre=n_pre,
        n_post=n_post,
        years=tuple(int(y) for y in years),
        dropped_years=sample.dropped,
        hac_maxlags=lags,
        conservative=conservative,
        method=(
            f"OLS of log(value) on year with a level and slope shift from {break_year} "
            f"({n_pre} + {n_post} values); standard errors: {_se_method(lags, conservative)}; "
            f"joint test of both shifts: {f_test_text} on (2, {fit.df}) df; OLS-residual CUSUM "
            "test of the trend without a break"
        ),
        caveat=small_sample_caveat(n),
        label=sample.label,
    )


def counterfactual(series: pd.Series, cutoff_year: int) -> CounterfactualResult:
    """Project the trend of the years before ``cutoff_year`` onto ``cutoff_year`` and later.

    The trend is fitted on years strictly before ``cutoff_year`` (the cutoff is the first
    projected year: for a claim published in 2017 on data through 2016, pass 2017). Projected
    years are the later years with an actual value. The 95% prediction intervals are the usual
    OLS intervals on the log scale (t distribution, parameter uncertainty plus residual variance),
    back-transformed with exp: exact for independent normal errors on the log scale. HAC is not
    used here because it corrects the parameter part only; autocorrelated deviations make the
    intervals too narrow and consecutive "outside" years are then not independent evidence.
    """
    sample = _prepare(series)
    before = sample.years < cutoff_year
    fit_years, projected_years = sample.years[before], sample.years[~before]
    if len(fit_years) < MIN_POINTS:
        raise ValueError(
            f"only {len(fit_years)} values before {cutoff_year} ({describe_years(fit_years)}); "
            f"the trend needs at least {MIN_POINTS}"
        )
    if len(projected_years) == 0:
        raise ValueError(
            f"no values from {cutoff_year} on to compare with the projection "
            f"(years with values: {describe_years(sample.years)})"
        )
    centre = fit_years.mean()
    fit = sm.OLS(sample.log_values[before], _trend_exog(fit_years, centre)).fit()
    frame = fit.get_prediction(_trend_exog(projected_years, centre)).summary_frame(
        alpha=1 - CONFIDENCE
    )
    table = pd.DataFrame(
        {
            "year": projected_years.astype(int),
            "actual": np.exp(sample.log_values[~before]),
            "predicted": np.exp(frame["mean"].to_numpy()),
            "lower": np.exp(frame["obs_ci_lower"].to_numpy()),
            "upper": np.exp(frame["obs_ci_upper"].to_numpy()),
        }
    )
    table["outside_interval"] = (table["actual"] < table["lower"]) | (
        table["actual"] > table["upper"]
    )
    table["gap"] = table["actual"] - table["predicted"]
    table["gap_pct"] = 100.0 * (table["actual"] / table["predicted"] - 1.0)

    pre_series = pd.Series(np.exp(sample.log_values[before]), index=fit_years, name=sample.label)
    n_outside = int(table["outside_interval"].sum())
    return CounterfactualResult(
        cutoff_year=int(cutoff_year),
        table=table,
        share_outside=n_outside / len(table),
        n_outside=n_outside,
        n_projected=len(table),
        pre_trend=loglinear_trend(pre_series),
        fit_years=tuple(int(y) for y in fit_years),
        dropped_years=sample.dropped,
        method=(
            f"OLS of log(value) on year over {describe_years(fit_years)} ({len(fit_years)} "
            f"values), projected to {describe_years(projected_years)} with 95% prediction "
            "intervals (t distribution), back-transformed with exp"
        ),
        caveat=(
            f"With n={len(fit_years)} annual points before {cutoff_year}, the trend is imprecise; "
            "treat the intervals as rough. They assume independent year-to-year deviations; "
            "persistent deviations make them too narrow."
        ),
        label=sample.label,
    )
