"""Score readings against a hand-made corpus (tests/corpus/claims_corpus.toml): per sentence and per
field (kind, region, sector, period, number, hedge), as benchmarks/propose_corpus.py reports it.

A field is right when it equals the expected value; numbers are compared to 1e-6. The kind field is
the kind and the relation together. A sentence of kind ``not_held`` is scored on the kind alone.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.reader.candidates import Reading, read_sentence

FIELDS = ("kind", "region", "sector", "period", "number", "hedge")


@dataclass(frozen=True)
class Scored:
    id: str
    right: dict[str, bool]  # field -> right (only the fields that apply)
    got: dict[str, Any]
    expected: dict[str, Any]

    @property
    def fully_right(self) -> bool:
        return all(self.right.values())


def load_corpus(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as handle:
        return tomllib.load(handle)["sentence"]


def _close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def fields_of(reading: Reading) -> dict[str, Any]:
    """The reading's six scored fields, in the corpus's terms."""
    students = reading.statistic == "students"
    number = None
    if reading.number is not None:
        low, high = reading.number.interval
        number = {"value": reading.number.value, "low": low, "high": high, "unit": reading.number.unit}
    return {
        "kind": (reading.kind, reading.relation),
        "region": "" if students else reading.region,
        "sector": ",".join(reading.institutions) if students else reading.sector,
        "period": (reading.year,) if reading.year is not None else (reading.base_year, reading.end_year),
        "number": number,
        "hedge": reading.hedge,
    }


def expected_fields(expected: dict[str, Any]) -> dict[str, Any]:
    period = (expected["year"],) if "year" in expected else (expected.get("base_year"), expected.get("end_year"))
    return {"kind": (expected["kind"], expected.get("relation", "")), "region": expected.get("region"),
            "sector": expected.get("sector"), "period": period, "number": expected.get("number"),
            "hedge": expected.get("hedge")}


def _same_number(got: dict[str, Any] | None, want: dict[str, Any] | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return (_close(got["value"], float(want["value"])) and got["unit"] == want["unit"]
            and _close(got["low"], want.get("low")) and _close(got["high"], want.get("high")))


def score(entry: dict[str, Any], data_dir: Path | None = None) -> Scored:
    readings = read_sentence(entry["text"], entry.get("context", ""), dt.date.fromisoformat(entry["date"]),
                             data_dir)
    got, want = fields_of(readings[0]), expected_fields(entry["expected"])
    if want["kind"][0] == "not_held":
        right = {"kind": got["kind"][0] == "not_held"}
    else:
        right = {name: (_same_number(got[name], want[name]) if name == "number" else got[name] == want[name])
                 for name in FIELDS}
    return Scored(entry["id"], right, got, want)


def summary(scored: list[Scored]) -> dict[str, Any]:
    """Share fully right and per field (over the sentences the field applies to)."""
    per_field = {}
    for name in FIELDS:
        applies = [s.right[name] for s in scored if name in s.right]
        per_field[name] = (sum(applies), len(applies))
    return {"sentences": len(scored), "fully_right": sum(s.fully_right for s in scored), "fields": per_field,
            "misses": [s for s in scored if not s.fully_right]}
