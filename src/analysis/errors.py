"""Errors a user can act on. Each message names the problem and the way out."""

from __future__ import annotations


class FetchError(RuntimeError):
    """Upstream data could not be fetched; the previous snapshot is untouched."""


NO_NETWORK_HINT = (
    "No network? Read an offline mirror laid out like the upstream instead: "
    "`python -m analysis fetch --mirror DIR` (or set TWENTE_CLAIMS_MIRROR=DIR), "
    "for example DIR=../shared/data"
)
