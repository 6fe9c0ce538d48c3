"""The claim engine: the claim registry and one call per claim from data to verdict.

``evaluate_claim("industry-decline")`` returns a :class:`ClaimEvaluation` with the claim record,
the headline reproduction (numbers, arithmetic, the published value it is compared with and the
difference in plain words), the stress-test table (:func:`analysis.stress.spec_grid`), trend
results (:mod:`analysis.trends`), a placebo rank among the COROP regions and the verdict
(:mod:`analysis.verdicts`). ``evaluate_all()`` does this for every registered claim.

The registry lives in ``data/claims.toml`` (read by :func:`load_claims`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import PACKAGE_DATA

CLAIMS_FILE = PACKAGE_DATA / "claims.toml"
HTSM_DEFINITION_FILE = PACKAGE_DATA / "htsm_definition.csv"
TEST_KINDS = ("both_decline", "growth_vs_decline", "value_within", "faster_growth", "none")


# --- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operationalisation:
    """One way to compute what the claim asserts (registry ``[[claim.operationalisation]]``).

    ``params`` holds the remaining, kind-specific fields (``sbi``, ``national``, ``figures``,
    ``reading``, ``base_level``, ``national_growth``, ``institutions``, ``year``, ...).
    """

    id: str
    quantity: str
    dataset: str
    region: str
    comparator: str
    base: int | None
    end: int | None
    definition: str
    tolerance: str
    period_matches_claim: bool
    period_note: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class ClaimTest:
    """How one specification is judged (registry ``[claim.test]``)."""

    kind: str
    target: float = math.nan
    tolerance: float = 0.0
    threshold: float = 0.0
    direction: str = ""
    why: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim of the article, as registered."""

    id: str
    order: int
    title: str
    text_nl: str
    text_en: str
    asserts: str
    measurement: str  # direct | proxy | none
    region_specific: bool
    source: dict[str, str]
    published_values: tuple[dict[str, Any], ...]
    published_figures: tuple[str, ...]
    test: ClaimTest
    operationalisations: tuple[Operationalisation, ...]
    grid: dict[str, Any] = field(default_factory=dict)
    trends: dict[str, Any] = field(default_factory=dict)
    placebo: dict[str, Any] = field(default_factory=dict)
    published_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def published_text(self) -> str:
        """The claim's numbers as published, e.g. 'groei van 3%; landelijk sprake van een daling'."""
        return "; ".join(v["text"] for v in self.published_values)

    @property
    def uses_jobs(self) -> bool:
        return self.id not in ("technical-students", "participation")


_OPERATIONALISATION_FIELDS = ("id", "quantity", "dataset", "region", "comparator", "base", "end",
                              "definition", "tolerance", "period_matches_claim", "period_note")
_CLAIM_FIELDS = ("id", "order", "title", "text_nl", "text_en", "asserts", "measurement",
                 "region_specific", "source", "published_values", "published_figures", "test",
                 "operationalisation", "grid", "trends", "placebo", "published_note")


def _operationalisation(record: dict[str, Any], claim_id: str) -> Operationalisation:
    missing = [k for k in ("id", "quantity", "dataset", "definition", "tolerance",
                           "period_matches_claim") if k not in record]
    if missing:
        raise ValueError(f"claim {claim_id}: operationalisation {record.get('id')} lacks {missing}")
    return Operationalisation(
        id=record["id"], quantity=record["quantity"], dataset=record["dataset"],
        region=record.get("region", ""), comparator=record.get("comparator", ""),
        base=record.get("base"), end=record.get("end"), definition=record["definition"],
        tolerance=record["tolerance"], period_matches_claim=bool(record["period_matches_claim"]),
        period_note=record.get("period_note", ""),
        params={k: v for k, v in record.items() if k not in _OPERATIONALISATION_FIELDS},
    )


def _claim(record: dict[str, Any]) -> Claim:
    cid = record.get("id", "?")
    missing = [k for k in ("id", "text_nl", "text_en", "asserts", "measurement", "source",
                           "published_values", "test") if k not in record]
    if missing:
        raise ValueError(f"claim {cid} lacks {missing}")
    test = dict(record["test"])
    if test.get("kind") not in TEST_KINDS:
        raise ValueError(f"claim {cid}: unknown test kind {test.get('kind')!r}; one of {TEST_KINDS}")
    if record["measurement"] != "none" and not record.get("operationalisation"):
        raise ValueError(f"claim {cid}: a verifiable claim needs at least one operationalisation")
    return Claim(
        id=cid, order=int(record.get("order", 0)), title=record.get("title", cid),
        text_nl=record["text_nl"], text_en=record["text_en"], asserts=record["asserts"],
        measurement=record["measurement"], region_specific=bool(record.get("region_specific")),
        source=dict(record["source"]), published_values=tuple(record["published_values"]),
        published_figures=tuple(record.get("published_figures", ())),
        test=ClaimTest(kind=test["kind"], target=float(test.get("target", math.nan)),
                       tolerance=float(test.get("tolerance", 0.0)),
                       threshold=float(test.get("threshold", 0.0)),
                       direction=test.get("direction", ""), why=test.get("why", "")),
        operationalisations=tuple(_operationalisation(o, cid)
                                  for o in record.get("operationalisation", ())),
        grid=dict(record.get("grid", {})), trends=dict(record.get("trends", {})),
        placebo=dict(record.get("placebo", {})), published_note=record.get("published_note", ""),
        extra={k: v for k, v in record.items() if k not in _CLAIM_FIELDS},
    )


@lru_cache(maxsize=4)
def _read_registry(path: Path) -> tuple[dict[str, Any], tuple[Claim, ...]]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    claims = tuple(sorted((_claim(r) for r in data.get("claim", ())), key=lambda c: c.order))
    ids = [c.id for c in claims]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate claim ids in {ids}")
    return dict(data.get("meta", {})), claims


def load_claims(path: Path | None = None) -> dict[str, Claim]:
    """Every registered claim by id, in the article's order."""
    return {c.id: c for c in _read_registry(path or CLAIMS_FILE)[1]}


def load_meta(path: Path | None = None) -> dict[str, Any]:
    """The registry's ``[meta]`` table (article, reference years, focal region)."""
    return dict(_read_registry(path or CLAIMS_FILE)[0])


def get_claim(claim_id: str, path: Path | None = None) -> Claim:
    """One claim; KeyError listing the registered ids otherwise."""
    claims = load_claims(path)
    if claim_id not in claims:
        raise KeyError(f"unknown claim {claim_id!r}; registered: {', '.join(claims)}")
    return claims[claim_id]


def load_htsm_definition(path: Path | None = None) -> pd.DataFrame:
    """The candidate HTSM code list (unverified) with its narrow/broad variants and confidence."""
    frame = pd.read_csv(path or HTSM_DEFINITION_FILE, dtype=str, keep_default_na=False)
    for column in ("narrow", "broad", "verified"):
        frame[column] = frame[column].str.lower() == "true"
    return frame
