"""``[claim.check]`` tables of the kinds for levels, places and shares (docs/kinds-level-rank-share.md):
a level of jobs (``level``) or of students (``enrolment_level``), a change in a number of jobs
(``level_change``) or of students (``enrolment_change``), a sector's share of all jobs
(``share_of_total``) and a place among the regions of one level (``rank``), each with the
perturbations that kind's documentation calls sensible for what the sentence left open:

- a year the sentence does not name (assumed from the publication date): that year and the one
  before, since a text may quote the figure of the year before the newest;
- a level, a change in a number or a share of jobs: the figure as first published and as revised
  since (``vintage``); of students: the first and the latest DUO edition (``edition``);
- a rank whose words do not say percent or jobs ("het hardst"): ``metric`` change and difference.

The precision axis of a round number is added by the engine itself.
"""

from __future__ import annotations

from typing import Any

from analysis.i18n import Text
from analysis.reader.candidates import Reading

YEAR_ASSUMED = ("reader.assumed.year_latest",)


class NotCheckableReading(ValueError):
    """The reading cannot be written as an entry of its kind (e.g. "minder dan" for a level)."""


def _year_assumed(reading: Reading) -> bool:
    return any(t.key in YEAR_ASSUMED for t in reading.assumed.get("period", []))


def _claimed_or_threshold(reading: Reading, table: dict[str, Any], claimed: dict[str, Any]) -> None:
    low, high = reading.number.interval
    if low is None:  # "minder dan 40.000": the kinds have no 'at most'
        raise NotCheckableReading("a claim of 'less than' a level has no relation in the engine (only at_least)")
    if high is None:  # "meer dan 45.000": a threshold, reached or not
        table["relation"] = "at_least"
        table["reading"]["threshold"] = float(low)
        return
    table["relation"] = "value"
    table["claimed"] = claimed


def _year_perturb(reading: Reading) -> list[dict[str, Any]]:
    if not _year_assumed(reading):
        return []
    return [{"param": "year", "values": [reading.year, reading.year - 1], "weights": [0.8, 0.2]}]


VINTAGES = {"param": "vintage", "values": ["newest", "oldest"], "weights": [0.5, 0.5]}


def level_table(reading: Reading, claimed: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = {"kind": "level", "reading": {"sector": reading.sector, "year": reading.year}}
    _claimed_or_threshold(reading, table, claimed)
    table["perturb"] = [*_year_perturb(reading), dict(VINTAGES)]
    return table


def enrolment_level_table(reading: Reading, claimed: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = {"kind": "enrolment_level",
                             "reading": {"institutions": reading.institutions, "year": reading.year}}
    if reading.croho_sectors:
        table["reading"]["sectors"] = reading.croho_sectors
    _claimed_or_threshold(reading, table, claimed)
    if reading.kind == "rank":
        reading.assume("kind", Text("reader.assumed.rank_students"))
    perturb = _year_perturb(reading)
    if perturb:
        table["perturb"] = perturb
    return table


def share_of_total_table(reading: Reading, claimed: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = {"kind": "share_of_total", "reading": {"sector": reading.sector, "year": reading.year}}
    _claimed_or_threshold(reading, table, claimed)
    table["perturb"] = [*_year_perturb(reading), dict(VINTAGES)]
    return table


def rank_table(reading: Reading) -> dict[str, Any]:
    terms = reading.rank
    params: dict[str, Any] = {"sector": reading.sector, "base_year": reading.base_year,
                              "end_year": reading.end_year, "metric": terms.metric or "change"}
    if terms.relation == "only_sign":
        params["sign"] = reading.direction
    else:
        params["order"] = terms.order
        params["position"] = terms.position
    table: dict[str, Any] = {"kind": "rank", "relation": terms.relation, "reading": params}
    if terms.metric is None:
        reading.assume("metric", Text("reader.assumed.rank_metric"))
        table["perturb"] = [{"param": "metric", "values": ["change", "difference"], "weights": [0.7, 0.3]}]
    if reading.number is not None:
        # the rank kind checks the place; the number said with it is not a vote
        reading.assume("claimed", Text("reader.assumed.rank_number", {"number": reading.words.get("claimed", "")}))
    return table


def count_change_table(reading: Reading, kind: str, claimed: dict[str, Any]) -> dict[str, Any]:
    """A change in a number: ``fall_by`` / ``rise_by`` with the size as the claimed interval
    ("bijna 153.000 banen minder"), or ``fall`` / ``rise`` with a threshold ("meer dan 10.000
    banen erbij"); "minder dan" has no relation (a size at most)."""
    if kind == "enrolment_change":
        params: dict[str, Any] = {"institutions": reading.institutions}
        if reading.croho_sectors:
            params["sectors"] = reading.croho_sectors
        perturb = {"param": "edition", "values": ["newest", "oldest"], "weights": [0.5, 0.5]}
    else:
        params = {"sector": reading.sector}
        perturb = dict(VINTAGES)
    params.update(base_year=reading.base_year, end_year=reading.end_year)
    table: dict[str, Any] = {"kind": kind, "reading": params, "perturb": [perturb]}
    low, high = reading.number.interval
    if low is None:
        raise NotCheckableReading("a change of 'less than' a number has no relation in the engine")
    if high is None:
        table["relation"] = reading.direction
        params["threshold"] = float(low)
        return table
    table["relation"] = f"{reading.direction}_by"
    table["claimed"] = claimed
    return table
