"""Column contracts of the processed tables in ``data/processed``.

Every table written by :mod:`analysis.processing` has exactly these columns, in this order.
Notebooks and the claim engine rely on them; a change here is a change of the data contract.
"""

from __future__ import annotations

# jobs.csv: one row per source table, region, SBI sector, year (and read/derived).
JOBS_COLUMNS: tuple[str, ...] = (
    "source_table",  # CBS table id, e.g. 83582NED
    "vintage",  # the release: a date where known (2025-04-22), else the registry's label (latest, statline-export)
    "region_code",  # CBS code without padding: NL01, LD02, PV23, CR12, CR99
    "region_name",  # CBS title, e.g. "Twente (CR)"
    "region_level",  # nl | landsdeel | provincie | corop | corop_unassigned
    "sbi_code",  # SBI 2008 code as CBS labels it: A-U, C, B-E, G-I; national tables also 28, 24-25, 62-63
    "sbi_label",  # CBS title without the code, e.g. "Industrie"
    "year",  # December of this year
    "employee_jobs",  # number of jobs (CBS thousands multiplied out); empty where suppressed
    "suppressed",  # True where CBS published no value
    "derived",  # True for rows the pipeline computed rather than read
    "derivation",  # how a derived row was computed ("" for rows read from the source)
    "missing_parts",  # for derived sums: how many parts were suppressed (0 = complete)
    "period_status",  # definitive | provisional | first-of-two | second-of-two (81497NED) | "" (not given)
)
# Unique per row of jobs.csv (both releases of 83582NED sit side by side; 81497NED has two period
# keys for 2011-2013, told apart by period_status).
JOBS_KEY: tuple[str, ...] = ("source_table", "vintage", "region_code", "sbi_code", "year", "period_status", "derived")

# jobs_by_firm_size.csv: national employee jobs by SBI code and size class (83583NED, 81497NED).
FIRM_SIZE_COLUMNS: tuple[str, ...] = (
    "source_table", "vintage",
    "sbi_code", "sbi_label",
    "year",
    "period_status",  # first-of-two | second-of-two for the 81497NED double periods, else ""
    "size_basis",  # what the classes count: "werkzame personen" (83583NED) or "werknemers" (81497NED)
    "size_class",  # total | 0-10 | 10-50 | 50-100 | 100-500 | 500+ (83583NED: 0-10; 81497NED: 1-10)
    "size_class_label",  # CBS title (83583NED) or column name (81497NED)
    "employee_jobs",  # persons (CBS thousands multiplied out); empty where CBS published nothing
    "suppressed",  # True where CBS published no value
)
FIRM_SIZE_KEY: tuple[str, ...] = ("source_table", "vintage", "sbi_code", "year", "period_status", "size_class")

# labour_accounts.csv: CBS labour accounts (84164NED, 85918NED), sex 'Totaal mannen en vrouwen' only.
LABOUR_COLUMNS: tuple[str, ...] = (
    "source_table", "vintage", "sbi_code", "sbi_label", "year",
    "worker_type",  # total | employees | self_employed
    "persons_employed",  # werkzame personen (persons)
    "jobs",  # banen (jobs)
    "labour_years",  # arbeidsjaren (full-time equivalents, labour years)
    "hours_worked",  # gewerkte uren (hours)
)
LABOUR_KEY: tuple[str, ...] = ("source_table", "vintage", "sbi_code", "year", "worker_type")

# regional_accounts.csv: CBS regional accounts (84419NED, 85925NED).
REGIONAL_COLUMNS: tuple[str, ...] = (
    "source_table", "vintage", "region_code", "region_name", "region_level", "sbi_code", "year",
    "labour_volume_total",  # labour years (CBS x 1 000 multiplied out)
    "labour_volume_employees",  # labour years of employees
    "value_added",  # gross value added at basic prices, million euro
)
REGIONAL_KEY: tuple[str, ...] = ("source_table", "vintage", "region_code", "sbi_code", "year")

WORKER_TYPES: tuple[str, ...] = ("total", "employees", "self_employed")

# enrolment.csv: one row per DUO edition, level, institution, municipality, CROHO sector, year.
ENROLMENT_COLUMNS: tuple[str, ...] = (
    "edition",  # DUO edition id from the registry, e.g. duo-hbo-2019
    "level",  # hbo | wo
    "institution_code",  # BRIN, e.g. 23AH (Saxion), 21PH (Universiteit Twente)
    "institution_name",
    "municipality",  # teaching location (title case); duo-hbo-2018 gives the head office instead
    "croho_sector",  # lower case, e.g. techniek, natuur, gedrag en maatschappij
    "year",  # calendar year in which the academic year starts (1 October count)
    "students",  # sum of the published counts; empty if every cell was masked
    "masked_cells",  # number of cells DUO masked (<5) or suppressed (-1); not included in students
)

REGION_LEVELS: tuple[str, ...] = ("nl", "landsdeel", "provincie", "corop", "corop_unassigned")
