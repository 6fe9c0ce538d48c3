"""Writing entries as TOML: values through tomlkit (every string escaped by the library, never by
string formatting), the registry file replaced atomically and only after it loads back.

:func:`append_entry` adds one ``[[claim]]`` to a registry file (or creates the file with the shipped
``[meta]``): the new text is the old text, byte for byte, plus the entry's TOML; it is written to a
temporary file beside the registry, loaded back with the registry loader (the typed schema) and
compared with the old file's tables (every other claim and key unchanged, exactly one claim more,
equal to the entry); only then does it replace the registry (``os.replace``). A sentence with quotes,
newlines, brackets or TOML syntax therefore cannot add keys, change another claim or break the file,
and a file that does not load back is never left behind.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomlkit


class RegistryWriteError(ValueError):
    """The entry could not be added; the registry file is unchanged."""


def dumps_entries(entries: list[dict[str, Any]]) -> str:
    """``[[claim]]`` tables of the entries as TOML text."""
    document = tomlkit.document()
    claims = tomlkit.aot()
    for entry in entries:
        claims.append(tomlkit.item(entry))
    document["claim"] = claims
    return tomlkit.dumps(document)


def dumps_registry(meta: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    document = tomlkit.document()
    document["meta"] = tomlkit.item(meta)
    text = tomlkit.dumps(document)
    return text + "\n" + dumps_entries(entries)


def append_entry(path: Path, entry: dict[str, Any], meta: dict[str, Any]) -> Path:
    """Add ``entry`` to the registry at ``path`` (created with ``meta`` if missing); see the module."""
    from analysis.engine.registry import load_registry
    from analysis.engine.registry_errors import RegistryError

    path = Path(path)
    old_text = path.read_text(encoding="utf-8") if path.exists() else dumps_registry(meta, [])
    try:
        old = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryWriteError(f"{path} is not valid TOML ({exc}); fix it first, nothing was written") from None
    if any(claim.get("id") == entry["id"] for claim in old.get("claim", [])):
        raise RegistryWriteError(f"{path} already has a claim {entry['id']!r}; nothing was written")
    new_text = old_text + ("" if old_text.endswith("\n") else "\n") + "\n" + dumps_entries([entry])
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(new_text)
        new = tomllib.loads(Path(temporary).read_text(encoding="utf-8"))
        expected = {**old, "claim": [*old.get("claim", []), entry]}
        if new != expected:
            raise RegistryWriteError(f"the entry {entry['id']!r} did not read back as written; nothing was written")
        try:
            load_registry(temporary)
        except (RegistryError, ValueError, KeyError) as exc:
            raise RegistryWriteError(f"the registry with {entry['id']!r} does not validate: {exc}; "
                                     "nothing was written") from None
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path
