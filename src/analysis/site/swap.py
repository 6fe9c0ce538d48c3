"""The build state and the swap that puts a finished build in place.

A build writes everything into ``<out>/.tmp-build-*/site`` (the Dutch pages, ``en/``, ``data/``,
``results/``) and only then publishes it into ``<out>`` as one unit with :func:`analysis.atomic.publish`
(the swap the fetch and the data build use too): pages, figure data, results (the old ones kept as
``previous-results/``), indexes and the state file, and the removal of pages no longer planned. A build
killed before the publish's commit point leaves the previous report; killed after it, the next build
finishes the publish first. A build killed earlier leaves only its temporary folder, which the next
build (holding the lock) removes.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import atomic
from analysis.site.plan import STATE_VERSION

STATE_FILE = ".build-state.json"
RESULTS_DIR = "results"
PREVIOUS_RESULTS_DIR = "previous-results"
FAILED_DIR = ".failed"
DATA_DIR = "data"
WARNINGS_DIR = "warnings"  # <stem>.txt: the warning lines a page's notebook printed, kept off the page
EDITION_DIRS = {"nl": "", "en": "en"}  # edition -> sub-folder of the report folder
TEMPORARY_PREFIX = ".tmp-build-"
INDEX = "index.html"


@dataclass
class BuildState:
    parameters: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # stem -> fingerprint, titles, claim_id
    league: dict[str, Any] = field(default_factory=dict)  # fingerprint of the league computation
    picker: list[list[str]] = field(default_factory=list)  # the regions the pages' picker lists

    @classmethod
    def read(cls, out_dir: Path) -> BuildState:
        try:
            raw = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return cls()
        if raw.get("version") != STATE_VERSION:
            return cls()
        return cls(parameters=raw.get("parameters", {}), pages=raw.get("pages", {}), league=raw.get("league", {}),
                   picker=raw.get("picker", []))

    def write(self, path: Path, built_at: str) -> None:
        payload = {"version": STATE_VERSION, "parameters": self.parameters, "built_at": built_at,
                   "pages": self.pages, "league": self.league, "picker": self.picker}
        path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def remove_stale_builds(out_dir: Path, attempts: int = 5) -> None:
    """Finish an interrupted publish and remove the temporary folders of builds that died (call while
    holding the build lock)."""
    atomic.recover(out_dir)
    for stale in sorted(out_dir.glob(TEMPORARY_PREFIX + "*")):
        for attempt in range(attempts):
            shutil.rmtree(stale, ignore_errors=True)
            if not stale.exists():
                break
            time.sleep(0.2 * (attempt + 1))  # a dying process may still be closing files there
        if stale.exists():
            raise RuntimeError(f"cannot remove the stale build folder {stale}: remove it by hand "
                               "(is another process still writing to it?)")


def _edition_name(sub: str, file_name: str) -> str:
    return f"{sub}/{file_name}" if sub else file_name


def swap_in(staged: Path, out_dir: Path, stale_stems: list[str], executed: Sequence[str] = ()) -> None:
    """Publish a finished build (see the module docstring) as one unit; ``staged`` is emptied.

    ``executed``: the pages this build ran; the warnings file of one that printed none goes."""
    entries: dict[str, Path] = {}
    for sub in EDITION_DIRS.values():
        for page in sorted((staged / sub).glob("*.html")):
            entries[_edition_name(sub, page.name)] = page
    if (staged / DATA_DIR).is_dir():
        for folder in sorted((staged / DATA_DIR).iterdir()):
            entries[f"{DATA_DIR}/{folder.name}"] = folder
    if (out_dir / RESULTS_DIR).is_dir():
        shutil.copytree(out_dir / RESULTS_DIR, staged / PREVIOUS_RESULTS_DIR)
        entries[PREVIOUS_RESULTS_DIR] = staged / PREVIOUS_RESULTS_DIR
    entries[RESULTS_DIR] = staged / RESULTS_DIR
    for log in sorted((staged / WARNINGS_DIR).glob("*.txt")):
        entries[f"{WARNINGS_DIR}/{log.name}"] = log
    entries[STATE_FILE] = staged / STATE_FILE
    removed = [name for stem in stale_stems for name in
               [*(_edition_name(sub, f"{stem}.html") for sub in EDITION_DIRS.values()), f"{DATA_DIR}/{stem}",
                f"{WARNINGS_DIR}/{stem}.txt"]]
    removed += [f"{WARNINGS_DIR}/{stem}.txt" for stem in executed if f"{WARNINGS_DIR}/{stem}.txt" not in entries]
    atomic.publish(entries, out_dir, remove=removed)
