"""Pure statistics that know nothing of claims.

growth (changes, shares, ``rest_of``), shiftshare (classic, dynamic, ``single_sector``),
homothetic (Esteban-Marquillas), inference (fixed-b trend inference with size control over AR(1)
persistence), breaks (Chow, sup-F, CUSUM), extrapolation (predictive-failure test), placebo
(percentile ranks), rounding (precision of the data), nulls (simulated null distributions),
sample (series preparation), trends (the older HAC models, kept for the current engine).
"""
