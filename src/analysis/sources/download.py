"""HTTP downloads with a timeout, retries with backoff, progress and an integrity check."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import requests
from tenacity import (
    RetryError,
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)
from tqdm.auto import tqdm

from analysis.errors import NO_NETWORK_HINT, FetchError

RETRY_STATUS = {429, 500, 502, 503, 504}
DEFAULT_TIMEOUT = 60.0
DEFAULT_ATTEMPTS = 4


def http_status(exc: BaseException) -> int | None:
    """The HTTP status behind an error; cbsodata re-raises HTTPError without the response,
    so the original is looked up in the exception chain."""
    while exc is not None:
        response = getattr(exc, "response", None)
        if response is not None:
            return response.status_code
        exc = exc.__cause__
    return None


def is_transient(exc: BaseException) -> bool:
    """Errors worth another try: connection trouble, timeouts, 429 and 5xx answers."""
    if isinstance(exc, requests.HTTPError):
        return http_status(exc) in RETRY_STATUS
    return isinstance(exc, (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError))


def retrying(
    attempts: int = DEFAULT_ATTEMPTS,
    max_wait: float = 8.0,
    transient: Callable[[BaseException], bool] = is_transient,
):
    """The project's retry policy (exponential backoff, transient errors only)."""
    return retry(
        retry=retry_if_exception(transient),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=0.5, max=max_wait),
        reraise=False,
    )


def explain_failure(what: str, url: str, exc: BaseException) -> FetchError:
    """Turn a low-level failure into a FetchError that says what to do."""
    if isinstance(exc, RetryError):
        exc = exc.last_attempt.exception() or exc
    code = http_status(exc) if isinstance(exc, requests.HTTPError) else None
    if code is not None:
        if code == 404:
            return FetchError(
                f"{what}: {url} answered 404 Not Found: the address may have moved. "
                "Find the current address on the publisher's page and update data/sources.toml "
                "(src/analysis/data/sources.toml), or use a mirror. The previous snapshot is untouched."
            )
        return FetchError(f"{what}: {url} answered HTTP {code} after retries; try again later. "
                          "The previous snapshot is untouched.")
    if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
        return FetchError(f"{what}: could not reach {url} ({exc.__class__.__name__}). {NO_NETWORK_HINT}. "
                          "The previous snapshot is untouched.")
    return FetchError(f"{what}: download from {url} failed: {exc}. The previous snapshot is untouched.")


def download_file(
    url: str,
    dest: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    attempts: int = DEFAULT_ATTEMPTS,
    progress: bool = True,
) -> str:
    """Download ``url`` to ``dest``; return the sha256 of the bytes received.

    The body is checked against Content-Length when the server sends one, so a connection
    that closes early is an error, not a short file.
    """

    @retrying(attempts)
    def attempt() -> str:
        digest = hashlib.sha256()
        received = 0
        with requests.get(url, stream=True, timeout=timeout) as response:
            response.raise_for_status()
            expected = int(response.headers.get("Content-Length") or 0) or None
            with open(dest, "wb") as out, tqdm(
                total=expected, unit="B", unit_scale=True, desc=dest.name, disable=not progress, leave=False
            ) as bar:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    out.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
        if expected is not None and received != expected:
            raise requests.exceptions.ChunkedEncodingError(
                f"{url}: received {received} of {expected} bytes (connection closed early)"
            )
        return digest.hexdigest()

    try:
        return attempt()
    except Exception as exc:
        raise explain_failure(dest.name, url, exc) from exc
