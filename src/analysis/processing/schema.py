"""Column contracts of the processed tables in ``data/processed``.

Every table written by :mod:`analysis.processing` has exactly these columns, in this order.
Notebooks and the claim engine rely on them; a change here is a change of the data contract.
"""

from __future__ import annotations

# jobs.csv: one row per source table, region, SBI sector, year (and read/derived).
JOBS_COLUMNS: tuple[str, ...] = (
    "source_table",  # CBS table id, e.g. 83582NED
    "region_code",  # CBS code without padding: NL01, LD02, PV23, CR12, CR99
    "region_name",  # CBS title, e.g. "Twente (CR)"
    "region_level",  # nl | landsdeel | provincie | corop | corop_unassigned
    "sbi_code",  # SBI 2008 letter code as CBS labels it: A-U, C, B-E, G-I, ...
    "sbi_label",  # CBS title without the code, e.g. "Industrie"
    "year",  # December of this year
    "employee_jobs",  # number of jobs (CBS thousands multiplied out); empty where suppressed
    "suppressed",  # True where CBS published no value
    "derived",  # True for rows the pipeline computed rather than read
    "derivation",  # how a derived row was computed ("" for rows read from the source)
    "missing_parts",  # for derived sums: how many parts were suppressed (0 = complete)
    "period_status",  # definitive | provisional | "" (not given by the source)
)

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
