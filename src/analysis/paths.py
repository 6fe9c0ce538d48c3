"""Where the project's files live. Override the root with TWENTE_CLAIMS_ROOT (tests do)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"


def project_root() -> Path:
    """The repository root (the folder holding data/, notebooks/ and reports/)."""
    env = os.environ.get("TWENTE_CLAIMS_ROOT")
    if env:
        return Path(env).resolve()
    # src/analysis/paths.py -> repository root
    return PACKAGE_DIR.parent.parent


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def default_mirror() -> Path | None:
    """The offline mirror named by TWENTE_CLAIMS_MIRROR, if any."""
    env = os.environ.get("TWENTE_CLAIMS_MIRROR")
    return Path(env).resolve() if env else None


def shared_mirror() -> Path:
    """The workplace's offline mirror (../shared/data beside the repository)."""
    return project_root().parent / "shared" / "data"
