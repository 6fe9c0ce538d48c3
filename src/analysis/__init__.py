"""twente-claims: reproduce and stress-test published policy claims with Dutch open data.

Modules, one concern each:

- ``paths``       where raw, processed and report files live
- ``sources``     the source registry (``data/sources.toml``)
- ``snapshot``    atomic raw snapshots with a manifest sidecar, locking
- ``cbs``         CBS StatLine access (cbsodata, OData v3) and the StatLine CSV export
- ``duo``         DUO access (HTTP) and the parsers for every DUO layout
- ``processing``  raw snapshots -> tidy tables in ``data/processed`` with sanity checks
- ``growth``, ``shiftshare``, ``trends``, ``stress``, ``verdicts``, ``claims``  the claim engine
- ``plots``       the house style for figures
- ``report``      executing notebooks and rendering the HTML site
"""

__version__ = "0.1.0"
