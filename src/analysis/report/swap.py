"""The build state and the swap that puts a finished build in place.

A build writes everything into ``<out>/.tmp-build-*/site`` (the Dutch pages, ``en/``, ``data/``,
``results/``) and only then moves it into ``<out>``: pages first, then their figure data, then the
results, then the indexes, and the state file last. A build that dies before the state file is
written counts as "not built" and the next build redoes it; a build killed earlier leaves only its
temporary folder, which the next build (holding the lock) removes.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.report.plan import STATE_VERSION

STATE_FILE = ".build-state.json"
RESULTS_DIR = "results"
PREVIOUS_RESULTS_DIR = "previous-results"
FAILED_DIR = ".failed"
DATA_DIR = "data"
EDITION_DIRS = {"nl": "", "en": "en"}  # edition -> sub-folder of the report folder
TEMPORARY_PREFIX = ".tmp-build-"
INDEX = "index.html"


@dataclass
class BuildState:
    parameters: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # stem -> fingerprint, titles, claim_id
    league: dict[str, Any] = field(default_factory=dict)  # fingerprint of the league computation

    @classmethod
    def read(cls, out_dir: Path) -> BuildState:
        try:
            raw = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return cls()
        if raw.get("version") != STATE_VERSION:
            return cls()
        return cls(parameters=raw.get("parameters", {}), pages=raw.get("pages", {}), league=raw.get("league", {}))

    def write(self, path: Path, built_at: str) -> None:
        payload = {"version": STATE_VERSION, "parameters": self.parameters, "built_at": built_at,
                   "pages": self.pages, "league": self.league}
        path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def remove_stale_builds(out_dir: Path, attempts: int = 5) -> None:
    """Remove the temporary folders of builds that died (call while holding the build lock)."""
    for stale in sorted(out_dir.glob(TEMPORARY_PREFIX + "*")):
        for attempt in range(attempts):
            shutil.rmtree(stale, ignore_errors=True)
            if not stale.exists():
                break
            time.sleep(0.2 * (attempt + 1))  # a dying process may still be closing files there
        if stale.exists():
            raise RuntimeError(f"cannot remove the stale build folder {stale}: remove it by hand "
                               "(is another process still writing to it?)")


def _replace_dir(source: Path, target: Path, trash: Path) -> None:
    if target.exists():
        trash.mkdir(parents=True, exist_ok=True)
        target.replace(trash / f"{target.parent.name}-{target.name}-{time.monotonic_ns()}")
    target.parent.mkdir(parents=True, exist_ok=True)
    source.replace(target)


def swap_in(staged: Path, out_dir: Path, stale_stems: list[str], trash: Path) -> None:
    """Move a finished build into place (see the module docstring); ``trash`` is inside the build folder."""
    for sub in EDITION_DIRS.values():
        source_dir, target_dir = staged / sub, out_dir / sub
        target_dir.mkdir(parents=True, exist_ok=True)
        for page in sorted(source_dir.glob("*.html")):
            if page.name != INDEX:
                page.replace(target_dir / page.name)
    if (staged / DATA_DIR).is_dir():
        for folder in sorted((staged / DATA_DIR).iterdir()):
            _replace_dir(folder, out_dir / DATA_DIR / folder.name, trash)
    previous = out_dir / PREVIOUS_RESULTS_DIR
    if (out_dir / RESULTS_DIR).is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        (out_dir / RESULTS_DIR).replace(previous)
    (staged / RESULTS_DIR).replace(out_dir / RESULTS_DIR)
    for sub in EDITION_DIRS.values():
        (staged / sub / INDEX).replace(out_dir / sub / INDEX)
    (staged / STATE_FILE).replace(out_dir / STATE_FILE)  # last: a crash before this means "rebuild"
    for stem in stale_stems:
        for sub in EDITION_DIRS.values():
            (out_dir / sub / f"{stem}.html").unlink(missing_ok=True)
        shutil.rmtree(out_dir / DATA_DIR / stem, ignore_errors=True)
