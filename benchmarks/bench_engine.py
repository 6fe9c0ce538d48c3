"""Benchmark of the claim engine v2: ``check`` for every claim and ``league`` for every claim over
the 40 COROP regions, in one run (cold: a fresh process, tables loaded on first use).

Not a test. Run: ``python benchmarks/bench_engine.py`` (needs data/processed). Prints the time of
each part and the total. Target: under 10 s on this machine (2 cores).
"""

from __future__ import annotations

import argparse
import time

TARGET_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default=None, help="COROP region for check (default: the registry's)")
    args = parser.parse_args()

    start = time.perf_counter()
    from analysis.engine.check import check, registry_for, tables_for
    from analysis.engine.league import league

    tables = tables_for()
    registry = registry_for(None, tables)
    setup = time.perf_counter() - start
    print(f"import, load and validate the registry against the data: {setup:.2f} s "
          f"({len(registry.claims)} claims)")

    start = time.perf_counter()
    for claim_id in registry.claims:
        t0 = time.perf_counter()
        result = check(claim_id, args.region, registry)
        real_time = sum(p.real_time for p in result.perturbations)
        print(f"  check {claim_id:<20} {time.perf_counter() - t0:5.2f} s  {result.verdict:<15} "
              f"{len(result.perturbations):>3} distinct perturbations ({real_time} real-time), "
              f"{len(result.unevaluable):>3} not evaluable")
    checks = time.perf_counter() - start

    start = time.perf_counter()
    for claim_id in registry.claims:
        t0 = time.perf_counter()
        frame = league(claim_id, registry)
        print(f"  league {claim_id:<19} {time.perf_counter() - t0:5.2f} s  {len(frame)} regions")
    leagues = time.perf_counter() - start

    total = setup + checks + leagues
    print(f"check, every claim: {checks:.2f} s; league, every claim x 40 regions: {leagues:.2f} s")
    print(f"target < {TARGET_SECONDS:.0f} s: {'met' if total < TARGET_SECONDS else 'MISSED'} "
          f"(total {total:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
