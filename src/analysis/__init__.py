"""twente-claims: reproduce and stress-test published policy claims with Dutch open data.

The package has one folder per pipeline stage; no stage imports a later one:

- ``sources``     the source registry (``data/sources.toml``), raw snapshots with manifests, CBS
                  (cbsodata) and DUO access, the fetch step: registry -> ``data/raw``
- ``processing``  raw snapshots -> small tidy tables in ``data/processed``, with build checks,
                  column contracts and the manifest
- ``stats``       pure statistics that know nothing of claims (growth, shift-share, trends and their
                  inference, breaks, extrapolation, placebo, rounding)
- ``engine``      the claim engine: the claim registry (``data/claims.toml``), one query template
                  per claim kind, the processed tables as intervals, perturbations, measures, verdict
- ``report``      presentation: what the pages say (claim pages, cards, league, figures, texts)
- ``site``        the machinery that builds the bilingual static HTML site from them: plan,
                  execute (warm kernels), render, swap; one region or the atlas of all regions

Beside them: ``paths`` (where raw, processed and report files live), ``i18n`` (the Dutch and
English message catalogues), ``errors`` (errors a user can act on), ``cli`` (``python -m
analysis``), and ``data/`` (the registries and catalogues as data).
"""

__version__ = "0.1.0"
