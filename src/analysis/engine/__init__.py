"""The claim engine: claims as data, checked as a computational fact-checker checks them.

v2 (``check``/``league``): :mod:`.registry` (load, validate, hash ``data/claims.toml``),
:mod:`.kinds` (one query template per claim kind), :mod:`.tables` and :mod:`.accounts` (selecting measured quantities
from the processed tables as intervals), :mod:`.intervals` and :mod:`.claimed` (rounding and
interval arithmetic), :mod:`.perturb` (the perturbation space, real-time flags, merging),
:mod:`.measures` (robustness, fairness, uniqueness, counter-argument, fairer statement),
:mod:`.verdict` (the one rule), :mod:`.check` and :mod:`.league` (the entry points),
:mod:`.commands` (the command line), :mod:`.result` (what the report reads).
The old engine (:mod:`.claims`, :mod:`.stress`, :mod:`.verdicts`) stays until the report has switched.
"""
