"""Column contracts of the processed tables as data: type, constraints and key of every column.

One description serves two readers: :mod:`analysis.processing.validate` turns it into pandera schemas
that check a table whenever it is read, and :mod:`analysis.processing.datapackage` into the Table
Schema of ``data/processed/datapackage.json``. Column names and order are those of
:mod:`analysis.processing.schema`. Standard library only: the report imports this module on every
build, also when nothing changed, without pandas.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.processing import schema

THIS_YEAR = "this year"  # a maximum that moves: data are never from a later year than the present


@dataclass(frozen=True)
class Field:
    """One column: its Table Schema type and what every value must satisfy."""

    type: str  # Table Schema type: string | integer | number | boolean
    description: str
    required: bool = True  # False: a cell may be empty ('' in text columns, missing in numbers)
    pattern: str | None = None  # the whole value must match (empty cells of optional columns exempt)
    enum: tuple[str, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | str | None = None  # THIS_YEAR: the current calendar year


@dataclass(frozen=True)
class Table:
    """One processed table: file, columns in order, their contracts and the key that is unique."""

    name: str
    file: str
    title: str
    description: str
    fields: dict[str, Field]
    key: tuple[str, ...]
    source_column: str  # names the input of each row: a CBS table id or a DUO edition id

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.fields)


def _ordered(columns: tuple[str, ...], fields: dict[str, Field], table: str) -> dict[str, Field]:
    """The fields in the order of the column tuple; a column without a contract is a programming error.

    Contracts of columns the tuple does not (yet) have are not used."""
    missing = [c for c in columns if c not in fields]
    if missing:
        raise RuntimeError(f"analysis.processing.tables: the contract of {table} lacks the columns {missing} "
                           "of analysis.processing.schema; describe them here too")
    return {c: fields[c] for c in columns}


# Codes as CBS and DUO write them (see data/processed/README.md).
CBS_TABLE = r"\d{5}(NED|ned)"
REGION = r"NL01|LD0[1-4]|PV(2\d|3[01])|CR(0[1-9]|[1-3]\d|40|99)"
SBI = r"[A-U](-[A-U])?|\d{2}(-\d{2})?"  # sections (C, B-E, A-U) and divisions or groups (28, 24-25)
VINTAGE = r"\d{4}-\d{2}-\d{2}|[a-z][a-z0-9-]*"  # a release date, else the registry's label
CROHO_SECTORS = ("economie", "gedrag en maatschappij", "gezondheidszorg", "landbouw en natuurlijke omgeving",
                 "natuur", "onderwijs", "recht", "sectoroverstijgend", "taal en cultuur", "techniek")
SIZE_CLASSES = ("total", "0-10", "1-10", "10-50", "50-100", "100-500", "500+")

_SOURCE_TABLE = Field("string", "CBS table id, e.g. 83582NED", pattern=CBS_TABLE)
_VINTAGE = Field("string", "the release: a date where known (YYYY-MM-DD), else the registry's label",
                 pattern=VINTAGE)
_REGION_CODE = Field("string", "CBS region code without padding: NL01, LDxx, PVxx, CRxx (Twente CR12), CR99",
                     pattern=REGION)
_REGION_LEVEL = Field("string", "level of the region", enum=tuple(schema.REGION_LEVELS))
_SBI_CODE = Field("string", "SBI 2008 code as CBS labels it: A-U, C, B-E, 28, 24-25, ...", pattern=SBI)
_SBI_LABEL = Field("string", "the CBS title without the code")
_PERIOD_STATUS = Field("string", "definitive or provisional where the source says; first-of-two or "
                       "second-of-two for the two period keys 81497NED gives 2011-2013", required=False,
                       enum=("definitive", "provisional", "first-of-two", "second-of-two"))


def _year(first: int) -> Field:
    return Field("integer", "calendar year (December for job counts)", minimum=first, maximum=THIS_YEAR)


def _amount(description: str) -> Field:
    return Field("number", description + "; empty where CBS published no value", required=False, minimum=0)


JOBS = Table(
    name="jobs", file="jobs.csv", title="Employee jobs in December (CBS)",
    description="One row per source table, region, SBI 2008 code, year, and read or derived value.",
    fields=_ordered(schema.JOBS_COLUMNS, {
        "source_table": _SOURCE_TABLE,
        "vintage": _VINTAGE,
        "region_code": _REGION_CODE,
        "region_name": Field("string", "CBS title, e.g. Twente (CR)"),
        "region_level": _REGION_LEVEL,
        "sbi_code": _SBI_CODE,
        "sbi_label": _SBI_LABEL,
        "year": _year(2008),
        "employee_jobs": _amount("employee jobs (CBS thousands multiplied out)"),
        "suppressed": Field("boolean", "True where CBS published no value"),
        "derived": Field("boolean", "True for rows this pipeline computed rather than read"),
        "derivation": Field("string", "how a derived row was computed (empty for rows read)", required=False),
        "missing_parts": Field("string", "for derived national sums: the suppressed COROP regions left out",
                               required=False, pattern=r"CR\d{2}(;CR\d{2})*"),
        "period_status": _PERIOD_STATUS,
    }, "jobs"),
    key=schema.JOBS_KEY,
    source_column="source_table",
)

FIRM_SIZE = Table(
    name="jobs_by_firm_size", file="jobs_by_firm_size.csv", title="National employee jobs by firm size (CBS)",
    description="One row per source table, release, SBI 2008 code, year and size class (national).",
    fields=_ordered(schema.FIRM_SIZE_COLUMNS, {
        "source_table": _SOURCE_TABLE,
        "vintage": _VINTAGE,
        "sbi_code": _SBI_CODE,
        "sbi_label": _SBI_LABEL,
        "year": _year(2008),
        "period_status": _PERIOD_STATUS,
        "size_basis": Field("string", "what the size classes count", enum=("werkzame personen", "werknemers")),
        "size_class": Field("string", "size class: total or a range of persons", enum=SIZE_CLASSES),
        "size_class_label": Field("string", "CBS title (83583NED) or column name (81497NED) of the class"),
        "employee_jobs": _amount("employee jobs (CBS thousands multiplied out)"),
        "suppressed": Field("boolean", "True where CBS published no value"),
    }, "jobs_by_firm_size"),
    key=schema.FIRM_SIZE_KEY,
    source_column="source_table",
)

LABOUR = Table(
    name="labour_accounts", file="labour_accounts.csv", title="Labour accounts (CBS), national",
    description="One row per source table, release, SBI 2008 code, year and worker type; men and women.",
    fields=_ordered(schema.LABOUR_COLUMNS, {
        "source_table": _SOURCE_TABLE,
        "vintage": _VINTAGE,
        "sbi_code": _SBI_CODE,
        "sbi_label": _SBI_LABEL,
        "year": _year(1995),
        "worker_type": Field("string", "total, employees or self_employed", enum=tuple(schema.WORKER_TYPES)),
        "persons_employed": _amount("werkzame personen, persons"),
        "jobs": _amount("banen, jobs"),
        "labour_years": _amount("arbeidsjaren, labour years (full-time equivalents)"),
        "hours_worked": _amount("gewerkte uren, hours"),
    }, "labour_accounts"),
    key=schema.LABOUR_KEY,
    source_column="source_table",
)

REGIONAL = Table(
    name="regional_accounts", file="regional_accounts.csv", title="Regional accounts (CBS)",
    description="One row per source table, release, region, SBI 2008 code and year.",
    fields=_ordered(schema.REGIONAL_COLUMNS, {
        "source_table": _SOURCE_TABLE,
        "vintage": _VINTAGE,
        "region_code": _REGION_CODE,
        "region_name": Field("string", "CBS title, e.g. Twente (CR)"),
        "region_level": _REGION_LEVEL,
        "sbi_code": _SBI_CODE,
        "year": _year(1995),
        "labour_volume_total": _amount("labour volume, labour years"),
        "labour_volume_employees": _amount("labour volume of employees, labour years"),
        "value_added": Field("number", "gross value added at basic prices, million euro; empty where CBS "
                             "published no value", required=False),
    }, "regional_accounts"),
    key=schema.REGIONAL_KEY,
    source_column="source_table",
)

ENROLMENT = Table(
    name="enrolment", file="enrolment.csv", title="Students enrolled on 1 October (DUO)",
    description="One row per DUO edition, institution, teaching municipality, CROHO sector and year.",
    fields=_ordered(schema.ENROLMENT_COLUMNS, {
        "edition": Field("string", "registry id of the DUO file, e.g. duo-hbo-2019", pattern=r"duo-(hbo|wo)-\d{4}"),
        "level": Field("string", "hbo or wo", enum=("hbo", "wo")),
        "institution_code": Field("string", "BRIN: Saxion 23AH, Universiteit Twente 21PH", pattern=r"\d{2}[A-Z]{2}"),
        "institution_name": Field("string", "as DUO names it"),
        "municipality": Field("string", "municipality of the teaching location (duo-hbo-2018: head office)"),
        "croho_sector": Field("string", "CROHO sector, lower case", enum=CROHO_SECTORS),
        "year": Field("integer", "year in which the academic year starts (count on 1 October)", minimum=2000,
                      maximum=THIS_YEAR),
        "students": Field("integer", "sum of the published counts; empty if every cell was masked",
                          required=False, minimum=0),
        "masked_cells": Field("integer", "cells DUO masked (<5) or suppressed (-1), not in students", minimum=0),
    }, "enrolment"),
    key=("edition", "institution_code", "municipality", "croho_sector", "year"),
    source_column="edition",
)

TABLES: dict[str, Table] = {t.name: t for t in (JOBS, FIRM_SIZE, LABOUR, REGIONAL, ENROLMENT)}


def get_table(name: str) -> Table:
    """A contract by table name (``jobs``) or file name (``jobs.csv``); KeyError lists the known ones."""
    for table in TABLES.values():
        if name in (table.name, table.file):
            return table
    raise KeyError(f"no processed table {name!r}; known: {', '.join(TABLES)}")
