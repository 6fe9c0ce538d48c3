"""Decode a downloaded file strictly in the encoding the registry declares for it.

ISO-8859-1 (and cp1252) decode any bytes, so decoding alone never notices a file that was re-saved
as UTF-8: 'Commerciële' then reads as 'CommerciÃ«le' and every later check passes. The one
mistake that matters is that one, and it is recognisable: text with bytes above 127 that is valid
UTF-8 throughout (or starts with the UTF-8 byte order mark) is UTF-8, because Dutch text in
ISO-8859-1 (an 'ë' is the single byte 0xEB, followed by a letter) is practically never valid UTF-8.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from analysis.errors import FetchError

LATIN1_LIKE = {"iso8859-1", "latin-1", "cp1252", "iso8859-15"}


class EncodingMismatchError(FetchError, ValueError):
    """A file is not in the encoding its registry entry declares."""


def decode_declared(raw: bytes, encoding: str, path: Path | str, fix: str) -> str:
    """``raw`` decoded as ``encoding``; :class:`EncodingMismatchError` naming ``path``, the problem and
    ``fix`` (what the user does) when the bytes are not in that encoding."""
    codec = codecs.lookup(encoding).name
    if codec in LATIN1_LIKE and _is_utf8_text(raw):
        raise EncodingMismatchError(
            f"{path}: the file is UTF-8, but the registry (src/analysis/data/sources.toml) declares "
            f"{encoding}; read as {encoding} its accented letters would turn into pairs such as 'Ã«'. {fix}")
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise EncodingMismatchError(
            f"{path}: not {encoding} as the registry (src/analysis/data/sources.toml) declares "
            f"({exc.reason} at byte {exc.start}). {fix}") from exc


def _is_utf8_text(raw: bytes) -> bool:
    if raw.startswith(codecs.BOM_UTF8):
        return True
    if raw.isascii():
        return False  # the same in every encoding the registry uses
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
