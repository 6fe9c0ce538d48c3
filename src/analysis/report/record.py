"""The claim page's result for the site (report contract, point 5): one JSON file per claim.

:func:`record_check` writes ``{results_dir}/claim-<claim_id>.json``, which the site (index cards,
league, drift between builds) reads::

    {"claim_id", "page": "claim-<claim_id>.html", "order": int, "verdict": code,
     "title": {"nl","en"}, "quote": {"nl","en"}, "reason": {"nl","en"},
     "counter_argument": {"nl","en"} | null, "fairer_statement": {"nl","en"} | null,
     "headline": {"nl","en"}, "headline_series": [{"year", "series": {"nl","en"}, "value"}, ...],
     "check": <ClaimCheck.to_json()>}

With ``results_dir == ""`` (a page run by hand) nothing is written; the record is still built and
returned, so a broken record fails the page either way.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.engine.result import VERDICT_CODES, ClaimCheck
from analysis.i18n import LANGUAGES, Text
from analysis.report import bilingual as bi

CLAIM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def result_file(results_dir: str | Path, claim_id: str) -> Path:
    return Path(results_dir) / f"claim-{claim_id}.json"


def _pair(content: Any, what: str, required: bool = True) -> dict[str, str] | None:
    if content is None:
        if required:
            raise ValueError(f"record_check: {what} is missing")
        return None
    texts = bi.both(content)
    empty = [lang for lang, text in texts.items() if not text.strip()]
    if empty:
        raise ValueError(f"record_check: {what} is empty in {', '.join(empty)}")
    return texts


def _series_label(value: Any) -> dict[str, str]:
    if isinstance(value, (Text, Mapping)) or callable(value):
        return bi.both(value)
    return {lang: str(value) for lang in LANGUAGES}


def headline_series_records(frame: Any, check: ClaimCheck | None = None) -> list[dict[str, Any]]:
    """The check's headline series (DataFrame: year, series, value) as JSON rows; [] without one.

    The engine's series codes (``region``, ``nation``) are named in words for the card."""
    from analysis.report.claimtexts import series_label

    if frame is None or len(frame) == 0:
        return []
    missing = [c for c in ("year", "series", "value") if c not in frame.columns]
    if missing:
        raise ValueError(f"headline_series lacks the columns {missing}; it has {list(frame.columns)}")
    rows = []
    for year, series, value in frame[["year", "series", "value"]].itertuples(index=False):
        number = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        label = series_label(series, check) if check is not None else series
        rows.append({"year": int(year), "series": _series_label(label), "value": number})
    return rows


def _plain(value: Any) -> Any:
    """JSON-safe: NaN/inf -> None, numpy scalars -> Python, tuples -> lists (JSON has no NaN)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def record_check(check: ClaimCheck, results_dir: str | Path, *, order: int, title: Any, quote: Any,
                 headline: Any, said_by: Any = None) -> dict[str, Any]:
    """Write (and return) the claim's record for the site; see the module docstring."""
    if not CLAIM_ID.match(check.claim_id):
        raise ValueError(f"claim_id {check.claim_id!r}: use letters, digits, '_' and '-' only")
    if check.verdict not in VERDICT_CODES:
        raise ValueError(f"verdict {check.verdict!r} is not one of {', '.join(VERDICT_CODES)}")
    record = {
        "claim_id": check.claim_id,
        "page": f"claim-{check.claim_id}.html",
        "order": int(order),
        "verdict": check.verdict,
        "title": _pair(title, "title"),
        "quote": _pair(quote, "quote"),
        "said_by": _pair(said_by, "said_by", required=False),
        "reason": _pair(check.deciding_text or check.verdict_reason, "reason"),
        "counter_argument": _pair(check.counter_argument, "counter_argument", required=False),
        "fairer_statement": _pair(check.fairer_statement, "fairer_statement", required=False),
        "headline": _pair(headline, "headline"),
        "headline_series": headline_series_records(check.headline_series, check),
        "check": _plain(check.to_json()),
    }
    # compact: read by programs (the build, cards, league), and an atlas keeps one per claim and region
    text = json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"
    if str(results_dir):
        target = result_file(results_dir, check.claim_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    return record
