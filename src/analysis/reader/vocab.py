"""Vocabularies: regions, SBI sectors and DUO institutions, by the names the processed data give
them plus the everyday names people write (Dutch and English).

The data names come from ``data/processed/jobs.csv`` (every region of every level: nation,
provinces, COROP regions; every SBI code with its CBS label) and ``enrolment.csv`` (every
institution); the everyday names are below. A place name that is a city stands for the COROP region
around it (Amsterdam -> Groot-Amsterdam), and the reader says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import paths

NATION = "NL01"
# everyday names -> region code (lower case; the data's own names are added by region_names())
REGION_ALIASES = {
    "nederland": NATION, "heel nederland": NATION, "nederland als geheel": NATION, "the netherlands": NATION,
    "netherlands": NATION, "ons land": NATION,
    "friesland": "PV21", "fryslân": "PV21", "provincie groningen": "PV20", "provincie utrecht": "PV26",
    "north holland": "PV27", "noord holland": "PV27", "south holland": "PV28", "zuid holland": "PV28",
    "north brabant": "PV30", "brabant": "PV30", "zealand": "PV29", "provincie flevoland": "PV24",
    "twentse": "CR12", "regio twente": "CR12", "twente": "CR12",
    "zuidoost-brabant": "CR36", "zuidoost brabant": "CR36", "regio eindhoven": "CR36", "eindhoven": "CR36",
    "brainport": "CR36", "brainport eindhoven": "CR36", "zuidoost-noord brabant": "CR36",
    "regio amsterdam": "CR23", "amsterdam": "CR23", "rotterdam": "CR29", "rijnmond": "CR29",
    "regio rotterdam": "CR29", "den haag": "CR26", "'s-gravenhage": "CR26", "regio den haag": "CR26",
    "delfzijl": "CR02", "regio delfzijl": "CR02", "eemsdelta": "CR02",
    "het zuidwesten van drenthe": "CR09", "zuidwest drenthe": "CR09", "zeeuws-vlaanderen": "CR31",
    "zeeuws vlaanderen": "CR31", "gooi en vechtstreek": "CR24", "het gooi": "CR24",
    "arnhem-nijmegen": "CR15", "regio arnhem-nijmegen": "CR15", "arnhem": "CR15", "nijmegen": "CR15",
    "haarlem": "CR21", "leiden": "CR25", "tilburg": "CR34", "breda": "CR33", "den bosch": "CR35",
    "'s-hertogenbosch": "CR35", "zwolle": "CR10", "regio zwolle": "CR10", "deventer": "CR11",
    "enschede": "CR12", "hengelo": "CR12", "almelo": "CR12", "maastricht": "CR39", "heerlen": "CR39",
    "venlo": "CR37", "groot-amsterdam": "CR23", "groot-rijnmond": "CR29", "zuid-limburg": "CR39",
}
CITY_ALIASES = {"amsterdam", "rotterdam", "den haag", "'s-gravenhage", "delfzijl", "eindhoven", "arnhem",
                "nijmegen", "haarlem", "leiden", "tilburg", "breda", "den bosch", "'s-hertogenbosch", "zwolle",
                "deventer", "enschede", "hengelo", "almelo", "maastricht", "heerlen", "venlo"}
# everyday sector words -> SBI code or a [meta.sector_lists] name of the shipped registry
SECTOR_ALIASES = {
    "industrie": "C", "de industrie": "C", "industriële": "C", "industriële sector": "C", "fabrieken": "C",
    "maakindustrie": "C", "manufacturing": "C", "industry": "C", "twentse industrie": "C",
    "zorg": "Q", "de zorg": "Q", "zorgsector": "Q", "gezondheidszorg": "Q", "zorg en welzijn": "Q",
    "gezondheids- en welzijnszorg": "Q", "health care": "Q", "healthcare": "Q",
    "bouw": "F", "bouwnijverheid": "F", "bouwsector": "F", "construction": "F",
    "ict": "J", "ict-sector": "J", "informatie en communicatie": "J", "information and communication": "J",
    "it-sector": "J", "handel": "G", "trade": "G", "detailhandel": "47", "retail": "47", "groothandel": "46",
    "horeca": "I", "hospitality": "I", "onderwijs": "P", "education": "P", "overheid": "O",
    "openbaar bestuur": "O", "landbouw": "A", "agriculture": "A", "vervoer": "H", "logistiek": "H",
    "transport": "H", "uitzendbranche": "78", "uitzendbureaus": "78", "financiële dienstverlening": "K",
    "zakelijke dienstverlening": "M-N", "business services": "M-N", "energie": "D", "cultuur": "R",
    "hightech": "htsm-narrow", "high-tech": "htsm-narrow", "high tech": "htsm-narrow", "htsm": "htsm-narrow",
    "high tech systems & materials": "htsm-narrow", "high tech systems and materials": "htsm-narrow",
    "technologische industrie": "htsm-narrow", "maakindustrie en hightech": "htsm-narrow",
}
# everyday institution names -> DUO BRIN codes
INSTITUTION_ALIASES = {
    "ut": "21PH", "universiteit twente": "21PH", "university of twente": "21PH", "utwente": "21PH",
    "saxion": "23AH", "hogeschool saxion": "23AH", "tu/e": "21PG", "tu eindhoven": "21PG",
    "eindhoven university of technology": "21PG", "tu delft": "21PF", "delft university of technology": "21PF",
    "fontys": "30GB", "hva": "28DN", "hogeschool van amsterdam": "28DN", "windesheim": "01VU",
    "rug": "21PC", "uva": "21PK", "vu": "21PL", "hanze": "25BE", "hanzehogeschool": "25BE",
    "avans": "07GR", "inholland": "27PZ", "han": "25KB", "hogeschool utrecht": "25DW", "hu": "25DW",
    "universiteit utrecht": "21PD", "utrecht university": "21PD", "wur": "21PI", "wageningen university": "21PI",
    "radboud universiteit": "21PM", "radboud": "21PM", "universiteit leiden": "21PB", "leiden university": "21PB",
    "erasmus universiteit": "21PE", "eur": "21PE", "tilburg university": "21PN", "maastricht university": "21PJ",
    "artez": "27NF", "zuyd": "25JX", "nhl stenden": "31FR",
}


@dataclass(frozen=True)
class Vocabulary:
    regions: dict[str, str]  # name -> code
    region_names: dict[str, str]  # code -> the data's name
    region_levels: dict[str, str]  # code -> nl / provincie / corop / landsdeel
    sectors: dict[str, str]  # word -> SBI code or list name
    sector_labels: dict[str, str]  # code -> the data's label
    institutions: dict[str, str]  # name -> BRIN code
    institution_names: dict[str, str]  # BRIN -> the data's name
    institution_regions: dict[str, str]  # BRIN -> the region of its seat (when the seat's name is a region's)


def _plain(name: str) -> str:
    return name.replace(" (PV)", "").replace(" (CR)", "").replace(" (LD)", "").strip().lower()


@cache
def vocabulary(data_dir: Path | None = None) -> Vocabulary:
    """Names from the processed tables of ``data_dir`` (default data/processed) plus the aliases."""
    folder = Path(data_dir) if data_dir else paths.processed_dir()
    jobs = pd.read_csv(folder / "jobs.csv", usecols=["region_code", "region_name", "region_level",
                                                     "sbi_code", "sbi_label"], dtype=str)
    areas = jobs[["region_code", "region_name", "region_level"]].drop_duplicates()
    areas = areas[areas["region_level"].isin(["nl", "provincie", "corop", "landsdeel"])]
    names: dict[str, str] = {}
    # COROP names first, provinces after: a name both hold (Utrecht, Flevoland) means the province
    for level in ("corop", "landsdeel", "provincie", "nl"):
        for row in areas[areas["region_level"] == level].itertuples():
            names[_plain(row.region_name)] = row.region_code
    names.update({"overig groningen": "CR03"})
    regions = {**names, **REGION_ALIASES}
    labels = dict(jobs[["sbi_code", "sbi_label"]].drop_duplicates().itertuples(index=False, name=None))
    sectors = {label.lower(): code for code, label in labels.items()
               if not code[0].isdigit() and code != "A-U"}
    sectors.update(SECTOR_ALIASES)
    enrolment = pd.read_csv(folder / "enrolment.csv", usecols=["institution_code", "institution_name",
                                                               "municipality"], dtype=str)
    pairs = enrolment.drop_duplicates("institution_code")[["institution_code", "institution_name"]]
    # the seat: the municipality with most rows; a city name of the region vocabulary gives its region
    seats = enrolment.groupby("institution_code")["municipality"].agg(lambda m: m.mode().iat[0])
    seat_regions = {code: regions[town.lower()] for code, town in seats.items()
                    if isinstance(town, str) and town.lower() in regions}
    institutions = {name.lower(): code for code, name in pairs.itertuples(index=False, name=None)}
    institutions.update(INSTITUTION_ALIASES)
    return Vocabulary(
        regions=regions,
        region_names={r.region_code: r.region_name for r in areas.itertuples()},
        region_levels=dict(zip(areas["region_code"], areas["region_level"], strict=False)),
        sectors=sectors, sector_labels=labels, institutions=institutions,
        institution_names=dict(pairs.itertuples(index=False, name=None)), institution_regions=seat_regions)
