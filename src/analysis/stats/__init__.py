"""Pure statistics that know nothing of claims.

growth (changes, shares, ``rest_of``), shiftshare (classic shift-share over SBI sections),
ols (statsmodels fits of a log-linear line and its fixed-b variance), inference (fixed-b trend
inference with size control over AR(1) persistence), breaks (Chow, sup-F), extrapolation
(predictive-failure test), placebo (percentile ranks), rounding (precision of the data), nulls
(simulated null distributions), sample (series preparation).
"""
