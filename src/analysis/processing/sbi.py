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
