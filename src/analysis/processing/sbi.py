"""The SBI 2008 section hierarchy as CBS aggregates it in its regional jobs tables."""

from __future__ import annotations

# parent -> parts. T (households as employers) and U (extraterritorial bodies) are not
# published separately in the regional tables; R-U = R + S holds within rounding there
# (checked in every build by processing.jobs.check_hierarchy).
SBI_PARTS: dict[str, tuple[str, ...]] = {
    "A-U": ("A", "B-F", "G-N", "O-U"),
    "B-F": ("B-E", "F"),
    "B-E": ("B", "C", "D", "E"),
    "G-N": ("G-I", "J", "K", "L", "M-N"),
    "G-I": ("G", "H", "I"),
    "M-N": ("M", "N"),
    "O-U": ("O-Q", "R-U"),
    "O-Q": ("O", "P", "Q"),
    "R-U": ("R", "S"),
}

# CBS's order of the 28 keys (used to sort tables the way StatLine shows them).
SBI_ORDER: tuple[str, ...] = (
    "A-U", "A", "B-F", "B-E", "B", "C", "D", "E", "F", "G-N", "G-I", "G", "H", "I", "J", "K", "L",
    "M-N", "M", "N", "O-U", "O-Q", "O", "P", "Q", "R-U", "R", "S",
)


def split_sbi_title(title: str) -> tuple[str, str]:
    """'C Industrie' -> ('C', 'Industrie'); 'A-U Alle economische activiteiten' -> ('A-U', ...)."""
    code, _, label = title.strip().partition(" ")
    if code not in SBI_ORDER:
        raise ValueError(f"unknown SBI section code {code!r} in title {title!r}; known: {', '.join(SBI_ORDER)}")
    return code, label.strip()


def rounding_tolerance(n_parts: int, unit: int = 100) -> float:
    """Largest gap between a parent and the sum of its parts that rounding alone can cause.

    CBS rounds every cell to 0.1 thousand (100 jobs): each of the n parts and the parent can be
    off by half a unit.
    """
    return (n_parts + 1) * unit / 2 + 1e-6


def sbi_sort_rank(codes) -> dict[str, int]:
    """A fixed order of any set of SBI codes: CBS's section order first, then the rest alphabetically."""
    rank = {code: i for i, code in enumerate(SBI_ORDER)}
    for code in sorted(set(codes) - set(rank)):
        rank[code] = len(rank)
    return rank


# SBI 2008 sections -> their 2-digit divisions (the classification; used to check that divisions and
# groups add up to their sections in the national tables, which label codes as "28", "24-25", "C").
SECTION_DIVISIONS: dict[str, tuple[int, ...]] = {
    "A": (1, 2, 3), "B": (5, 6, 7, 8, 9), "C": tuple(range(10, 34)), "D": (35,), "E": (36, 37, 38, 39),
    "F": (41, 42, 43), "G": (45, 46, 47), "H": (49, 50, 51, 52, 53), "I": (55, 56),
    "J": (58, 59, 60, 61, 62, 63), "K": (64, 65, 66), "L": (68,), "M": (69, 70, 71, 72, 73, 74, 75),
    "N": (77, 78, 79, 80, 81, 82), "O": (84,), "P": (85,), "Q": (86, 87, 88), "R": (90, 91, 92, 93),
    "S": (94, 95, 96), "T": (97, 98), "U": (99,),
}
# CBS publishes no employee jobs in these divisions (no such activity in the Netherlands; 05 coal,
# 07 metal ores): a section is complete without them.
UNPUBLISHED_DIVISIONS: frozenset[int] = frozenset({5, 7})


def divisions_of(code: str) -> frozenset[int] | None:
    """The 2-digit divisions an SBI code stands for: 'C' -> 10..33, 'B-E' -> 05..39, '24-25' -> {24, 25}."""
    letters = list(SECTION_DIVISIONS)
    first, _, last = code.partition("-")
    if first in SECTION_DIVISIONS:
        last = last or first
        if last not in SECTION_DIVISIONS or letters.index(last) < letters.index(first):
            return None
        span = letters[letters.index(first): letters.index(last) + 1]
        return frozenset(d for s in span for d in SECTION_DIVISIONS[s]) - UNPUBLISHED_DIVISIONS
    if first.isdigit():
        low, high = int(first), int(last or first)
        return frozenset(range(low, high + 1)) if low <= high else None
    return None


def hierarchy_from_codes(codes) -> dict[str, tuple[str, ...]]:
    """parent -> parts for every code whose largest sub-codes present cover it exactly, once each.

    The parts of a parent are the codes present whose divisions lie inside the parent's and that lie
    inside no other such code: 'C' -> '10-12', '13-15', ..., '28', '29-30', '31-33'; '24-25' -> '24',
    '25'. A parent whose parts leave a division uncovered (a truncated table) is not listed.
    """
    spans = {c: d for c in set(codes) if (d := divisions_of(c))}
    # Codes that stand for the same divisions ('D' and '35', 'O' and '84'): one represents them all
    # as a part (the section letter first), the others must equal it.
    representative: dict[frozenset[int], str] = {}
    for code in sorted(spans, key=lambda c: (not c[0].isalpha(), c)):
        representative.setdefault(spans[code], code)
    hierarchy = {c: (representative[d],) for c, d in spans.items() if representative[d] != c}
    spans_kept = {c: d for c, d in spans.items() if representative[d] == c}
    for parent, own in spans_kept.items():
        inside = [c for c, d in spans_kept.items() if d < own]
        parts = [c for c in inside if not any(spans_kept[c] < spans_kept[o] for o in inside)]
        covered = [d for c in parts for d in spans[c]]
        if parts and len(covered) == len(set(covered)) and set(covered) == own:
            hierarchy[parent] = tuple(sorted(parts, key=lambda c: (min(spans[c]), c)))
    return dict(sorted(hierarchy.items()))

