"""Benchmark of the claim reader on the corpus of real published sentences.

    .venv/bin/python benchmarks/propose_corpus.py [--corpus tests/corpus/claims_corpus.toml]

Prints the share of sentences read fully right and the share right per field (kind, region, sector,
period, number, hedge), then every miss with the field, what was expected and what was read.
The numbers are recorded in benchmarks/README.md ("Claim reader on the corpus").
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.reader.corpus import FIELDS, load_corpus, score, summary

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus" / "claims_corpus.toml")
    args = parser.parse_args()
    scored = [score(entry) for entry in load_corpus(args.corpus)]
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


if __name__ == "__main__":
    main()
