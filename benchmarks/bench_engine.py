"""Benchmark of the claim engine: ``evaluate_all()`` over every claim and specification.

Not a test. Run: ``python benchmarks/bench_engine.py`` (needs data/processed). Prints the time
to load the processed tables, the time of one full evaluation (all claims: stress grids, trends,
placebo ranks, verdicts) and the number of specifications. Target: under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import time

from analysis.engine import claims
from analysis.engine import series as ser

TARGET_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="evaluations to time (default 1)")
    parser.add_argument("--region", default="CR12", help="COROP region code (default CR12)")
    args = parser.parse_args()

    start = time.perf_counter()
    jobs, enrolment = ser.load_jobs(), ser.load_enrolment()
    loaded = time.perf_counter() - start
    print(f"load processed tables: {loaded:.2f} s ({len(jobs):,} job rows, "
          f"{len(enrolment):,} enrolment rows)")

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        results = claims.evaluate_all(region=args.region, jobs=jobs, enrolment=enrolment)
        timings.append(time.perf_counter() - start)

    total = sum(r.n_specifications for r in results.values())
    counted = sum(int(r.stress["counts"].sum()) for r in results.values() if len(r.stress))
    for claim_id, result in results.items():
        label = result.verdict.label if result.verdict else f"n/a ({result.reason[:40]}...)"
        print(f"  {claim_id:<20} {result.n_specifications:>4} specifications  {label}")
    first = timings[0]  # cold: module imports (statsmodels) and the per-table caches are built
    repeats = ", ".join(f"{t:.2f}" for t in timings[1:])
    print(f"evaluate_all: {first:.2f} s on the first run"
          + (f" (repeats with warm caches: {repeats} s)" if repeats else "")
          + f"; {len(results)} claims, {total} specifications ({counted} count for the verdicts)")
    print(f"target < {TARGET_SECONDS:.0f} s: {'met' if first + loaded < TARGET_SECONDS else 'MISSED'}"
          f" (load + first evaluation = {first + loaded:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
