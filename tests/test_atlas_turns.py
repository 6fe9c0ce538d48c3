"""The atlas's look-ahead (analysis.site.atlas.RegionsInTurn): each region's lines are shown in
turn, and as soon as one region has queued its pages, the next region with pages to run queues its
own, so that the workers never wait while a region is rendered and swapped in."""

from __future__ import annotations

from collections.abc import Iterator

from analysis.site.atlas import RegionsInTurn
from analysis.site.build import PAGES_QUEUED


def fake_build(name: str, events: list[str], pages: bool = True) -> Iterator[str]:
    """A region's build as the atlas sees it: lines, the queue marker, more lines; clean-up at the end."""
    try:
        events.append(f"{name} plans")
        yield f"{name}: planned"
        if pages:
            events.append(f"{name} queues")
            yield PAGES_QUEUED
            events.append(f"{name} renders")
            yield f"{name}: rendered"
        else:
            yield f"{name}: nothing changed"
    finally:
        events.append(f"{name} cleans up")


def test_the_next_region_queues_its_pages_before_the_current_one_is_rendered() -> None:
    events: list[str] = []
    turns = RegionsInTurn([fake_build("A", events), fake_build("B", events), fake_build("C", events)])
    shown = [line for index in range(3) for line in turns.lines(index)]
    assert shown == ["A: planned", "A: rendered", "B: planned", "B: rendered", "C: planned", "C: rendered"]
    assert events.index("B queues") < events.index("A renders")
    assert events.index("C queues") < events.index("B renders")
    assert events.index("A cleans up") < events.index("B renders")


def test_a_region_with_nothing_to_run_is_passed_over_for_the_next_one_that_has() -> None:
    events: list[str] = []
    turns = RegionsInTurn([fake_build("A", events), fake_build("B", events, pages=False), fake_build("C", events)])
    shown = [line for index in range(3) for line in turns.lines(index)]
    assert shown == ["A: planned", "A: rendered", "B: planned", "B: nothing changed", "C: planned", "C: rendered"]
    assert events.index("C queues") < events.index("A renders")


def test_closing_early_ends_the_builds_waiting_in_the_queue() -> None:
    events: list[str] = []
    turns = RegionsInTurn([fake_build("A", events), fake_build("B", events), fake_build("C", events)])
    lines = turns.lines(0)
    assert next(lines) == "A: planned"
    assert next(lines) == "A: rendered"  # B has queued its pages by now
    turns.close()  # the atlas stopped (a failed page, a signal)
    assert "B cleans up" in events and "B renders" not in events
    assert "C plans" not in events  # never started: nothing to end
