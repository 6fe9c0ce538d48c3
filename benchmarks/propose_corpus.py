"""Benchmark of the claim reader on the corpus of real published sentences.

    .venv/bin/python benchmarks/propose_corpus.py [--corpus tests/corpus/claims_corpus.toml]

Prints the share of sentences read fully right and the share right per field (kind, region, sector,
period, number, hedge), then every miss with the field, what was expected and what was read; then how
many of the readings become registry entries, per engine kind, and (``--check``, about a minute) the
engine's verdicts on them.
The numbers are recorded in benchmarks/README.md ("Claim reader on the corpus").
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from pathlib import Path

from analysis.engine.registry_errors import RegistryError
from analysis.reader.candidates import read_sentence
from analysis.reader.corpus import FIELDS, load_corpus, score, summary
from analysis.reader.entry import NotCheckable, build_entry, check_entry, validate_entry

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus" / "claims_corpus.toml")
    parser.add_argument("--check", action="store_true", help="also run the engine on every written entry")
    args = parser.parse_args()
    corpus = load_corpus(args.corpus)
    scored = [score(entry) for entry in corpus]
    result = summary(scored)
    n = result["sentences"]
    print(f"sentences: {n}; read fully right: {result['fully_right']} ({100 * result['fully_right'] / n:.1f}%)")
    for name in FIELDS:
        right, total = result["fields"][name]
        print(f"  {name:7s} {right}/{total} ({100 * right / total:.1f}%)")
    for miss in result["misses"]:
        wrong = [name for name, ok in miss.right.items() if not ok]
        print(f"miss {miss.id}: " + "; ".join(f"{name}: expected {miss.expected[name]!r}, read {miss.got[name]!r}"
                                             for name in wrong))

    entries(corpus, args.check)


def entries(corpus: list[dict], run_engine: bool) -> None:
    """How many held sentences become entries (per engine kind), and the verdicts when asked."""
    kinds: Counter[str] = Counter()
    not_written: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    outside: list[str] = []
    held = [item for item in corpus if item["expected"]["kind"] != "not_held"]
    for item in held:
        date = dt.date.fromisoformat(item["date"])
        reading = read_sentence(item["text"], item.get("context", ""), date)[0]
        try:
            entry = build_entry(reading, item["text"], date, url=item["url"])
        except NotCheckable:
            not_written[reading.kind] += 1
            continue
        try:
            validate_entry(entry)
        except RegistryError:
            outside.append(item["id"])
            continue
        kinds[entry["check"]["kind"]] += 1
        if run_engine:
            verdicts[check_entry(entry).verdict] += 1
    print(f"written as entries: {sum(kinds.values())}/{len(held)}: "
          + ", ".join(f"{kind} {n}" for kind, n in kinds.most_common()))
    print("not written (no query template): " + ", ".join(f"{kind} {n}" for kind, n in not_written.most_common()))
    print(f"outside the data (not written): {len(outside)} {', '.join(outside)}")
    if run_engine:
        print("verdicts: " + ", ".join(f"{verdict} {n}" for verdict, n in verdicts.most_common()))


if __name__ == "__main__":
    main()
