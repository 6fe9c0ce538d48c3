"""The claim engine: claims as data, checked as a computational fact-checker checks them.

:mod:`.registry` with :mod:`.schema` (load, validate, hash ``data/claims.toml``),
:mod:`.kinds` (one query template per claim kind), :mod:`.tables` and :mod:`.accounts` (selecting measured quantities
from the processed tables as intervals), :mod:`.intervals` and :mod:`.claimed` (rounding and
interval arithmetic), :mod:`.perturb` (the perturbation space, real-time flags, merging),
:mod:`.measures` (robustness, fairness, uniqueness, counter-argument, fairer statement),
:mod:`.verdict` (the one rule), :mod:`.check` and :mod:`.league` (the entry points),
:mod:`.commands` (the command line), :mod:`.result` (what the report reads).
Beside the claims: :mod:`.trend` (trend models, extrapolation, the trend difference: the page's
trend section), :mod:`.placebo` (the region's rank among the COROP regions) and :mod:`.shiftshare`
(the region's change split into national, industry-mix and regional effects).
"""
