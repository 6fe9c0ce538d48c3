"""Covering a list of SBI divisions with the cells a table publishes (pure: no data, no claims).

A list such as the HTSM divisions 24-30 can be summed from seven single divisions or from the
published groups 24-25, 26, 27, 28 and 29-30. Every published cell carries its own rounding error
(+-50 jobs for CBS's thousands with one decimal), so the sum over fewer cells is the narrower
interval; a suppressed cell is worse still (bounded only by the hierarchy). :func:`fewest_cells`
picks, among the exact covers by division codes and groups of them (every division once, no code
reaching outside the list), the one
with the fewest suppressed cells, then the fewest cells; ties go to the codes first in sort order,
so the choice is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from analysis.processing.sbi import divisions_of


def fewest_cells(wanted: Iterable[int], available: Iterable[str],
                 suppressed: Iterable[str] = ()) -> tuple[str, ...] | None:
    """The codes of ``available`` that cover the divisions ``wanted`` exactly once each, with the
    fewest ``suppressed`` codes and then the fewest codes; None if no exact cover exists."""
    return _fewest(frozenset(wanted), frozenset(available), frozenset(suppressed))


@lru_cache(maxsize=1024)
def _fewest(wanted: frozenset[int], available: frozenset[str],
            suppressed: frozenset[str]) -> tuple[str, ...] | None:
    order = sorted(wanted)
    bit = {division: 1 << i for i, division in enumerate(order)}
    masks: dict[str, int] = {}
    for code in sorted(available):
        # division codes and groups of them ('28', '29-30'); section letters never lie inside a
        # list of divisions the registry names, and are left to the SBI hierarchy
        span = divisions_of(code) if code[:1].isdigit() else None
        if span and span <= wanted:
            masks[code] = sum(bit[d] for d in span)
    full = (1 << len(order)) - 1
    # best[mask] = (suppressed cells, cells, codes) of the best exact cover of the divisions in mask;
    # a cover is grown by a code holding the lowest division not yet covered, so each cover is
    # built once (dynamic programming over the 2^n subsets; n is 7 to 11 for the sector lists)
    best: dict[int, tuple[int, int, tuple[str, ...]]] = {0: (0, 0, ())}
    for mask in range(full + 1):
        if mask not in best or mask == full:
            continue
        lowest = ~mask & (mask + 1)
        bad, count, codes = best[mask]
        for code, span in masks.items():
            if span & lowest and not span & mask:
                grown = (bad + (code in suppressed), count + 1, tuple(sorted((*codes, code))))
                if mask | span not in best or grown < best[mask | span]:
                    best[mask | span] = grown
    return best[full][2] if full in best else None
