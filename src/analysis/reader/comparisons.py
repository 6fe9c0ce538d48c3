"""What the sentence says about its numbers: the statistic (held by the data or not), the direction
(rise, fall), comparisons with the nation ("harder dan landelijk", "terwijl landelijk", "than
nationally"), extremes and ranks ("de enige", "de grootste", "koploper", "the only"), levels
("telde", "bedraagt") and shares ("aandeel", "relatief veel mensen in deze sector").

It also marks the parts of a sentence that name *another* region or number than the claim's: a
comparator clause ("terwijl landelijk ...", "dan in Nederland (0,1%)"), a follower ("gevolgd door
Flevoland met 5,8 procent"), a contrast ("tegenover de daling in Delfzijl"), an explanation ("vooral
in de uitzendbranche") and the scope of a rank ("van heel Nederland").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# statistics the data hold, and ones they do not (the first word found in the sentence decides)
HELD = {
    "jobs": r"banen|werknemersbanen|banengroei|banenverlies|banenkrimp|werkgelegenheid|arbeidsplaatsen|jobs|"
            r"employment|job market|werkzame personen|werknemers|werkzaam|mensen in deze sector|werken in|"
            r"werkten in|werkt in|worked in|work in",
    "students": r"studenten|students|studeren|hbo'ers|ingeschreven|inschrijvingen|enrolments|enrolled|"
                r"technische opleiding|technical programmes",
}
NOT_HELD = {
    "unemployment": r"werkloosheid|werklozen|werkloos|unemployment|unemployed",
    "vacancies": r"vacatures|vacancies",
    "participation": r"arbeidsparticipatie|arbeidsdeelname|participatiegraad|participation rate",
    "output": r"bruto (?:regionaal|binnenlands) product|bbp|brp|economische groei|economic growth|economie groeide|"
              r"de economie|nederlandse economie|the economy|dutch economy|gdp",
    "intake": r"nieuwe studenten|eerstejaars|instroom|new students|intake|aanmeldingen|applications|"
              r"students starting|started a|begonnen met|new enrolments|new bachelor",
    "benefits": r"uitkeringen|ww-uitkering|bijstand|benefits",
    "population": r"inwoners|bevolking|population",
    "firms": r"vestigingen|bedrijven met|zzp'ers|startups|firms",
    "labour_years": r"arbeidsjaren|labour years",
}
RISE = r"gestegen|steeg|stijging|stijgt|groeide|gegroeid|groei|banengroei|groeit|toegenomen|toename|" \
       r"nam\b[^;:]{0,90}?\btoe|kwamen er[^;:]{0,90}?\bbij|erbij|meer banen|meer werknemersbanen|hoger dan|positieve saldo|trok[^;:]{0,40}?\baan|" \
       r"meer dan (?:in |eind )?(?:19|20)\d\d|" \
       r"grew|rose|increase|increased|growth|more jobs|gained|up by|added|more \w+ than in"
FALL = r"gedaald|daalde|daling|afgenomen|afname|nam\b[^;:]{0,90}?\baf|verdwenen|verloor|verloren|teruggang|" \
       r"liep[^;:]{0,90}?\bterug|" \
       r"minder banen|banen minder|minder werknemersbanen|banenverlies|krimp|verminderde|" \
       r"minder dan (?:in |eind )?(?:19|20)\d\d|" \
       r"decreased|declined|decline|fell|lost|loss|drop|disappeared|fewer jobs|fewer \w+ than in"
EXTREME = r"de enige|het enige|enige provincie|enige regio|het grootst|het sterkst|het hardst|het meest|de meeste|" \
          r"het hoogst|het laagst|de grootste|de sterkste|de hoogste|de laagste|koploper|uitschieter|" \
          r"op \w+ na (?:de |het )?(?:hoogste|grootste|laagste|kleinste|sterkst\w*|hardst\w*|snelst\w*)|" \
          r"banenkampioen|de kleinste|het kleinst|het minst|the only|the most|the largest|the biggest|" \
          r"the highest|the lowest|the smallest|most significant|the poorest|poorest"
COMPARATOR = r"(?:harder|sterker|sneller|meer|minder|langzamer|faster|more|less|slower|stronger)\s+(?:\w+\s+)?" \
             r"(?:dan|than)\s+(?:landelijk|in nederland|nederland|het landelijk\w*|the national|nationally|" \
             r"in the netherlands)|terwijl landelijk|terwijl in nederland|terwijl het landelijk|" \
             r"while nationally|bovengemiddeld|boven het landelijk\w*|above the national"
LEVEL = r"\btelde\b|\btelt\b|bedraagt|bedroeg|waren in \d{4} in totaal|in totaal \w+ banen|\bstuderen\b|" \
        r"heeft [^.]*ingeschreven|passeert|\bwaren er\b|there were|totalled|had a total"
SHARE = r"aandeel|procent van (?:de|alle)|van de studenten|van alle studenten|technische studenten|" \
        r"per ?cent of|percent of|of the students|of all students|technical students|relatief veel mensen in deze sector|share of|of all|" \
        r"van (?:de|alle) (?:banen|werknemersbanen|werkgelegenheid)|\d+(?:[.,]\d+)? ?% of (?:the |all )?jobs|goed voor"
# clauses whose regions and numbers belong to someone else than the claim
OTHER_CLAUSES = (r"terwijl (?:landelijk|in nederland|het landelijk)[^;:]*", r"gevolgd door[^.;]*",
                 r"followed by[^.;]*", r"tegenover [^.;]*?(?= staat| stond|,)", r"in tegenstelling tot [^,]*",
                 r"(?:dan|than) (?:in )?(?:nederland|landelijk|the netherlands)(?: als geheel)?(?: \([^)]*\))?",
                 r"(?:vooral|met name|mainly|especially|particularly) (?:in|door|doordat|bij)[^.;]*",
                 r"(?:van|of) (?:heel )?(?:nederland|the netherlands)\b(?! (?:was|is|had|liep|verdwenen|lost))",
                 r"zowel in [^.;]* als in [^.;,]*",
                 r"op een totaal van (?:bijna |ruim )?[\d.,]+(?: miljoen| duizend)?(?: banen)?(?: van werknemers)?", r"\btot ruim [\d.]+", r"in de cbs-indeling[^,]*",
                 r"where \w+ is the largest city", r"according to [^.]*", r"dit meldt [^.]*")


@dataclass(frozen=True)
class Signals:
    statistic: str  # 'jobs', 'students' or the name of a statistic the data do not hold ('' if none)
    statistic_words: str
    direction: str  # 'rise', 'fall' or ''
    direction_words: str
    extreme_words: str
    comparator_words: str
    level_words: str
    share_words: str
    other_clauses: list[tuple[int, int]]


def _first(pattern: str, text: str, blocked: list[tuple[int, int]] = ()) -> re.Match | None:
    for match in re.finditer(r"(?<![\w])(?:" + pattern + r")(?![\w])", text):
        if not any(lo <= match.start() < hi for lo, hi in blocked):
            return match
    return None


def other_clauses(text: str) -> list[tuple[int, int]]:
    """Character ranges of clauses about someone else (comparators, followers, contrasts)."""
    ranges = []
    for pattern in OTHER_CLAUSES:
        for match in re.finditer(pattern, text):
            ranges.append((match.start(), match.end()))
    return ranges


def signals(text: str) -> Signals:
    blocked = other_clauses(text)
    stat, stat_words, at = "", "", len(text) + 1
    for name, pattern in {**NOT_HELD, **HELD}.items():
        match = _first(pattern, text)
        # an explanation clause ("vooral in de uitzendbranche") does not name the statistic
        if match and match.start() < at and not (name in NOT_HELD and _inside(match.start(), blocked)):
            stat, stat_words, at = name, match.group(0), match.start()
    # a held statistic whose words also name an intake ("nieuwe studenten") is the intake
    intake = _first(NOT_HELD["intake"], text)
    if stat == "students" and intake:
        stat, stat_words = "intake", intake.group(0)
    rise, fall = _first(RISE, text, blocked), _first(FALL, text, blocked)
    direction, dwords = "", ""
    if rise or fall:
        first = min((m for m in (rise, fall) if m), key=lambda m: m.start())
        direction, dwords = ("rise" if first is rise else "fall"), first.group(0)
    comparator = _first(COMPARATOR, text)
    return Signals(stat, stat_words, direction, dwords, _words(_first(EXTREME, text)),
                   comparator.group(0) if comparator else "", _words(_first(LEVEL, text)),
                   _words(_first(SHARE, text)), blocked)


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= position < hi for lo, hi in ranges)


def _words(match: re.Match | None) -> str:
    return match.group(0) if match else ""
