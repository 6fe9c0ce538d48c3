"""The engine's trend models: one pre-period line per claim, its inference and its figures' data.

- :mod:`.series`: the region and its comparator (nation or nation minus region) as one pair;
  :mod:`.cells` (suppressed cells bounded by the SBI hierarchy), :mod:`.panel` (all COROP regions);
- :mod:`.stats`: the one place that calls :mod:`analysis.stats` (statsmodels OLS and the
  simulated, size-controlled nulls); :mod:`.bands`: single-year bands around an extrapolation;
- :mod:`.models`: :class:`~.models.TrendModels` of a claim; :mod:`.texts`: their page texts;
  :mod:`.difference`: the growth difference for a ``trend`` claim; :mod:`.departure`: ex-post ranks.
"""
