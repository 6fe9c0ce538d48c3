"""Replace a set of files in a folder as one unit, so an interrupted build never leaves a mix.

The new files are first staged beside the old ones as ``<name>.new``; then a journal file
listing them is written; then each is renamed over its old version; then the journal is removed.
A process killed before the journal exists leaves the old files (stray ``.new`` files are
dropped later); killed after, it leaves a journal that :func:`recover` completes, because every
staged file was complete before the journal was written.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

JOURNAL = ".publish-journal.json"
STAGED = ".new"


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def publish(files: dict[str, Path], target: Path) -> None:
    """Move ``files`` (name -> finished file elsewhere on the same disk) into ``target`` as one unit."""
    target.mkdir(parents=True, exist_ok=True)
    recover(target)
    names = sorted(files)
    for name in names:
        staged = target / f"{name}{STAGED}"
        shutil.move(str(files[name]), staged)
        _fsync(staged)
    journal = target / JOURNAL
    tmp_journal = target / f"{JOURNAL}.tmp"
    tmp_journal.write_text(json.dumps(names))
    _fsync(tmp_journal)
    tmp_journal.replace(journal)  # the commit point
    recover(target)


def recover(target: Path) -> list[str]:
    """Finish an interrupted publish (or drop one that never reached its commit point).

    Returns the names that were rolled forward.
    """
    journal = target / JOURNAL
    done: list[str] = []
    if journal.exists():
        for name in json.loads(journal.read_text()):
            staged = target / f"{name}{STAGED}"
            if staged.exists():
                staged.replace(target / name)
                done.append(name)
        journal.unlink()
    for leftover in [*target.glob(f"*{STAGED}"), target / f"{JOURNAL}.tmp"]:
        leftover.unlink(missing_ok=True)
    return done
