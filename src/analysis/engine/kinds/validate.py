"""Checks of a job-based claim's registry entry against the data (datasets, releases, sources,
sectors, concepts, years): each failure names the claim, the field and the allowed values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.engine.tables import NATION

if TYPE_CHECKING:
    from analysis.engine.registry import Claim, Registry
    from analysis.engine.tables import Tables


def validate_series_data(claim: Claim, registry: Registry, tables: Tables) -> None:
    """Datasets, sectors and years named by a job-based claim exist in the data."""
    from analysis.engine.registry_errors import entry_error as _fail
    from analysis.engine.schema_params import axis_values

    known_tables = set(tables.jobs_tables())
    for value in axis_values(claim, "table"):
        if value not in known_tables:
            raise _fail(claim.id, "check.reading.table / perturb", f"unknown dataset {value!r}",
                        sorted(known_tables), given=value)
    for value in axis_values(claim, "nation"):
        if value != "corop_sum" and value not in known_tables:
            raise _fail(claim.id, "check.reading.nation / perturb", f"unknown dataset {value!r}",
                        ["corop_sum", *sorted(known_tables)])
    vintages = {"newest", "oldest", *tables.jobs_vintages()}
    for name in ("labour_accounts", "regional_accounts"):
        frame = tables._accounts(name)
        if frame is not None:
            vintages |= set(frame["source_table"])
    for value in axis_values(claim, "vintage"):
        if value not in vintages:
            raise _fail(claim.id, "check.reading.vintage / perturb", f"unknown release {value!r}",
                        sorted(vintages), given=value)
    regions = tables.region_names()
    for name, source in claim.sources.items():
        level = source.get("region_level", claim.region)
        if level not in regions:
            raise _fail(claim.id, f"check.sources.{name}.region_level", f"unknown region {level!r}",
                        sorted(regions), given=level)
    sources = set(claim.sources) | {"cbs"}
    for value in axis_values(claim, "source"):
        if value not in sources:
            raise _fail(claim.id, "check.reading.source / perturb", f"unknown source {value!r}",
                        sorted(sources), given=value)
    codes = set().union(*(tables.jobs_codes(t, r) for t in known_tables
                          for r in (NATION, claim.region)))
    for concept in axis_values(claim, "concept"):
        if concept == "employee_jobs":
            continue
        if tables.accounts_table(concept) is None:
            raise _fail(claim.id, "check.reading.concept / perturb", f"unknown concept {concept!r}",
                        ["employee_jobs", "persons_employed", "jobs", "labour_years", "hours_worked",
                         "labour_volume_total", "labour_volume_employees"])
        codes |= set(tables.accounts_codes(concept))
    lists = set(registry.meta.get("sector_lists", {}))
    for value in axis_values(claim, "sector"):
        if value not in codes and value not in lists:
            raise _fail(claim.id, "check.reading.sector / perturb", f"unknown SBI code {value!r}",
                        sorted(codes | lists), given=value)
    own = sorted(set(axis_values(claim, "table")))  # years against the claim's own table(s)
    years = set().union(*(set(tables.jobs_years(t)) for t in own))
    for param in ("base_year", "end_year"):
        for value in axis_values(claim, param):
            if value != "latest" and int(value) not in years:
                raise _fail(claim.id, f"check.reading.{param} / perturb", f"year {value!r} is not in "
                            f"the claim's table {' / '.join(own)}: use a year it holds",
                            f"{min(years)}-{max(years)}")
