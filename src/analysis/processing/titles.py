"""CBS titles -> stable codes, without guessing.

The label layout (``cbsodata.get_data``) replaces every dimension key by its CBS title. The codes
are recovered here by rules that either succeed exactly or say which titles they could not map:

- SBI: CBS writes the code first (``28 Machine-industrie``, ``A-U Alle economische activiteiten``,
  ``24-25 Basismetaal, ...``, ``62-63 IT- en ...``); the code is that first word, kept as CBS labels
  it, and must have the shape of an SBI 2008 code (a section letter or letter range, a 2-digit
  division or division range).
- Periods: ``2010``, ``2010 december`` and ``2011 december `` (CBS's trailing blank) -> 2010, 2011.
- Regions: titles are looked up in code lists: the nation (``Nederland`` -> NL01, as in CBS's
  region code list), landsdelen and provinces (hand-written below, CBS codes), COROP regions (the
  ``RegioS`` code list of the 83582NED snapshot, ``Twente (CR)`` -> CR12) and CR99. A title in no
  code list is not guessed: the reader leaves it out and names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SBI_CODE = re.compile(r"[A-U](-[A-U])?|\d{2}(-\d{2})?")
PERIOD = re.compile(r"(\d{4})( december)?")

NATIONAL_CODES = {"Nederland": "NL01", "Nederland totaal": "NL01"}
LANDSDEEL_CODES = {
    "Noord-Nederland (LD)": "LD01", "Oost-Nederland (LD)": "LD02",
    "West-Nederland (LD)": "LD03", "Zuid-Nederland (LD)": "LD04",
}
PROVINCE_CODES = {
    "Groningen (PV)": "PV20", "Friesland (PV)": "PV21", "Fryslân (PV)": "PV21", "Drenthe (PV)": "PV22",
    "Overijssel (PV)": "PV23", "Flevoland (PV)": "PV24", "Gelderland (PV)": "PV25", "Utrecht (PV)": "PV26",
    "Noord-Holland (PV)": "PV27", "Zuid-Holland (PV)": "PV28", "Zeeland (PV)": "PV29",
    "Noord-Brabant (PV)": "PV30", "Limburg (PV)": "PV31",
}
UNASSIGNED_CODES = {"Niet in te delen (CR)": "CR99", "Niet in te delen": "CR99"}

# The province each COROP region lies in (CBS's COROP classification; used by the regional checks).
COROP_PROVINCE = {
    **{f"CR{n:02d}": "PV20" for n in (1, 2, 3)}, **{f"CR{n:02d}": "PV21" for n in (4, 5, 6)},
    **{f"CR{n:02d}": "PV22" for n in (7, 8, 9)}, **{f"CR{n:02d}": "PV23" for n in (10, 11, 12)},
    **{f"CR{n:02d}": "PV25" for n in (13, 14, 15, 16)}, "CR17": "PV26",
    **{f"CR{n:02d}": "PV27" for n in range(18, 25)}, **{f"CR{n:02d}": "PV28" for n in range(25, 31)},
    **{f"CR{n:02d}": "PV29" for n in (31, 32)}, **{f"CR{n:02d}": "PV30" for n in range(33, 37)},
    **{f"CR{n:02d}": "PV31" for n in (37, 38, 39)}, "CR40": "PV24",
}


class TitleError(ValueError):
    """Titles that no rule maps to a code (the message lists them)."""


def sbi_from_title(title: str) -> tuple[str, str] | None:
    """'28 Machine-industrie' -> ('28', 'Machine-industrie'); None if the title carries no SBI code."""
    code, _, label = title.strip().partition(" ")
    if not SBI_CODE.fullmatch(code):
        return None
    return code, label.strip()


def year_from_title(title: str) -> int | None:
    """'2010', '2010 december', '2011 december ' -> 2010, 2010, 2011; None for anything else."""
    match = PERIOD.fullmatch(title.strip())
    return int(match.group(1)) if match else None


def region_level(code: str) -> str:
    if code == "CR99":
        return "corop_unassigned"
    return {"NL": "nl", "LD": "landsdeel", "PV": "provincie", "CR": "corop", "GM": "gemeente"}[code[:2]]


def region_code_list(corop_titles: Mapping[str, str]) -> dict[str, str]:
    """Title -> code for the nation, landsdelen, provinces, COROP (``corop_titles``) and CR99."""
    return {**NATIONAL_CODES, **LANDSDEEL_CODES, **PROVINCE_CODES, **dict(corop_titles), **UNASSIGNED_CODES}


def map_titles(titles: list[str], rule, what: str, where: str, leave_out: tuple[str, ...] = ()) -> dict[str, object]:
    """Apply ``rule`` to every distinct title; fail listing every title it maps to nothing.

    Titles in ``leave_out`` (declared in the registry as known non-codes) map to None.
    """
    mapped, unmapped = {}, []
    for title in dict.fromkeys(titles):
        if title in leave_out:
            mapped[title] = None
            continue
        value = rule(title)
        if value is None:
            unmapped.append(title)
        mapped[title] = value
    if unmapped:
        raise TitleError(
            f"{where}: {len(unmapped)} {what} title(s) map to no code: {unmapped[:20]}. If CBS renamed or "
            "added a category, extend the code list (analysis.processing.titles) or declare the title under "
            "`leave_out` in src/analysis/data/sources.toml"
        )
    return mapped
