"""Replace a set of files and folders in a folder as one unit: the one swap of every stage.

The fetch (a raw snapshot folder), the build (the processed tables and their manifest) and the report
(pages, figure data, results, indexes, build state) all publish through :func:`publish`:

1. every new entry is moved into ``<target>/.publish-staged/`` (a rename on the same disk; the
   live files are untouched, so a process killed now leaves the old set);
2. a journal ``<target>/.publish-journal.json`` naming the entries is written and renamed into place
   -- the commit point: every staged entry was complete before it existed;
3. each entry is renamed over its old version (a replaced folder goes to the staging area first);
   entries to remove are removed; the journal and the staging area are deleted.

A process killed after the commit point leaves the journal; :func:`recover` (run first by the next
fetch, build or report of that folder) rolls the set forward. A reader that meets the journal calls
:func:`refuse_interrupted`, which says how to finish the publish instead of reading half of it.

``TWENTE_CLAIMS_PAUSE_IN_PUBLISH=<file>`` stops a publish inside step 3 (after its first rename)
until ``<file>`` exists; it writes ``<file>.paused`` when it stops. Tests use it to kill a publish
at a known point instead of at a guessed time.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

JOURNAL = ".publish-journal.json"
STAGING = ".publish-staged"
RETIRED = ".retired"  # inside STAGING: folders replaced by the publish, deleted with it
PAUSE_ENV = "TWENTE_CLAIMS_PAUSE_IN_PUBLISH"


class InterruptedPublishError(RuntimeError):
    """A folder holds the journal of a publish that did not finish."""


def _fsync(path: Path) -> None:
    if path.is_file():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def publish(entries: Mapping[str, Path], target: Path, remove: Iterable[str] = ()) -> None:
    """Move ``entries`` (relative name in ``target`` -> finished file or folder on the same disk) into
    ``target`` as one unit, and delete the names in ``remove`` with them."""
    target.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = target / STAGING
    staging.mkdir()
    names = sorted(entries)
    for name in names:
        staged = staging / name
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(entries[name]), staged)
        _fsync(staged)
    tmp_journal = target / f"{JOURNAL}.tmp"
    tmp_journal.write_text(json.dumps({"publish": names, "remove": sorted(set(remove))}), encoding="utf-8")
    _fsync(tmp_journal)
    tmp_journal.replace(target / JOURNAL)  # the commit point
    _roll_forward(target, pause=True)


def recover(target: Path) -> list[str]:
    """Finish an interrupted publish into ``target`` (or drop one that never reached its commit point).

    Returns the names rolled forward. Call it while holding the lock of whatever writes ``target``.
    """
    done = _roll_forward(target, pause=False) if (target / JOURNAL).exists() else []
    shutil.rmtree(target / STAGING, ignore_errors=True)
    (target / f"{JOURNAL}.tmp").unlink(missing_ok=True)
    return done


def _roll_forward(target: Path, pause: bool) -> list[str]:
    journal = json.loads((target / JOURNAL).read_text(encoding="utf-8"))
    if isinstance(journal, list):  # the journal of the build's earlier publish: names only
        journal = {"publish": journal, "remove": []}
    staging, done = target / STAGING, []
    for name in journal["publish"]:
        staged, final = staging / name, target / name
        if not staged.exists() and not staged.is_symlink():
            continue  # moved in before the interruption
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.is_dir() and not final.is_symlink():
            retired = staging / RETIRED / name
            shutil.rmtree(retired, ignore_errors=True)
            retired.parent.mkdir(parents=True, exist_ok=True)
            final.rename(retired)
        staged.replace(final)
        done.append(name)
        if pause:
            _pause_if_asked()
            pause = False
    for name in journal["remove"]:
        gone = target / name
        if gone.is_dir() and not gone.is_symlink():
            shutil.rmtree(gone)
        else:
            gone.unlink(missing_ok=True)
    (target / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return done


def _pause_if_asked() -> None:
    go_on = os.environ.get(PAUSE_ENV)
    if not go_on:
        return
    Path(f"{go_on}.paused").write_text(str(os.getpid()), encoding="utf-8")
    while not Path(go_on).exists():
        time.sleep(0.02)


def is_interrupted(folder: Path) -> bool:
    """Whether ``folder`` holds the journal of a publish that did not finish."""
    return (folder / JOURNAL).exists()


def refuse_interrupted(folder: Path, finish: str) -> None:
    """Raise :class:`InterruptedPublishError` if a publish into ``folder`` was interrupted.

    ``finish`` is the command that completes it (e.g. ``python -m analysis build``).
    """
    if is_interrupted(folder):
        raise InterruptedPublishError(
            f"{folder} holds an interrupted build (the journal {JOURNAL} of a publish that did not finish): "
            f"run `{finish}` to finish it")
