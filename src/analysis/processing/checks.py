"""Sanity checks shared by the processing steps. A failed check stops the build loudly."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class ProcessingCheckError(ValueError):
    """A processed table failed a consistency check; nothing was written."""


def check_unique(frame: pd.DataFrame, key: Iterable[str], table: str) -> None:
    key = list(key)
    duplicated = frame[frame.duplicated(key, keep=False)]
    if not duplicated.empty:
        sample = duplicated[key].head(5).to_dict("records")
        raise ProcessingCheckError(f"{table}: {len(duplicated)} rows share a key {key}, e.g. {sample}")


def check_range(frame: pd.DataFrame, column: str, low: float, high: float, table: str) -> None:
    values = frame[column].dropna()
    bad = values[(values < low) | (values > high)]
    if not bad.empty:
        raise ProcessingCheckError(
            f"{table}: {len(bad)} value(s) of {column} outside [{low}, {high}], e.g. {bad.head(5).tolist()}"
        )


def check_allowed(frame: pd.DataFrame, column: str, allowed: Iterable[str], table: str) -> None:
    unknown = sorted(set(frame[column].dropna()) - set(allowed))
    if unknown:
        raise ProcessingCheckError(f"{table}: unexpected value(s) in {column}: {unknown[:10]}")


def check_pattern(frame: pd.DataFrame, column: str, pattern: str, table: str) -> None:
    values = frame[column].astype(str)
    bad = values[~values.str.fullmatch(pattern)]
    if not bad.empty:
        raise ProcessingCheckError(f"{table}: {column} values not matching {pattern!r}: {sorted(set(bad))[:10]}")
