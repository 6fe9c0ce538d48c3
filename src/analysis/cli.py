"""Command line: ``python -m analysis {fetch,build,status,report}``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.errors import FetchError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    fetch = sub.add_parser("fetch", help="download raw snapshots (live, or from an offline mirror); "
                           "exits 1 if a dataset that should have been fetched failed")
    fetch.add_argument("datasets", nargs="*", help="dataset or CBS table ids (default: all registered; "
                       "a live refresh of all keeps the snapshots of hand-exported ones)")
    fetch.add_argument("--mirror", type=Path, help="read an offline mirror laid out like the upstream "
                       "(default: $TWENTE_CLAIMS_MIRROR; e.g. ../shared/data)")
    fetch.add_argument("--catalog-url", help="CBS catalog host for cbsodata (default opendata.cbs.nl); "
                       "http://HOST:PORT for a plain-HTTP proxy or test server")
    fetch.add_argument("--base-url", help="serve DUO files from BASE_URL/<mirror path> instead of the registry URLs")
    fetch.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP request (default 60)")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")

    sub.add_parser("build", help="rebuild data/processed from the raw snapshots")
    sub.add_parser("status", help="what is cached, from when and where, and what differs from data/processed")
    sub.add_parser("compare", help="new years, codes and revised values of the raw snapshots vs data/processed")

    report = sub.add_parser("report", help="execute the notebooks and render the HTML report")
    report.add_argument("--region", default=None, help="COROP region code (default CR12, Twente)")
    report.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "fetch":
            from analysis.sources.fetch import refresh

            outcomes = refresh(args.datasets or None, mirror=args.mirror, catalog_url=args.catalog_url,
                               base_url=args.base_url, timeout=args.timeout, progress=not args.quiet)
            for outcome in outcomes:
                print(f"{outcome.dataset_id}: {outcome.status}: {outcome.message}")
            failed = [o.dataset_id for o in outcomes if o.failed]
            counts = {s: sum(o.status == s for o in outcomes) for s in ("fetched", "kept", "failed")}
            print("fetch: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
            if failed:
                print(f"error: could not fetch {', '.join(failed)} (see above); their previous snapshots are "
                      "untouched. Fix the cause and run the fetch again (with those names only, if you like)",
                      file=sys.stderr)
                return 1
        elif args.command == "build":
            from analysis.processing.build import build

            manifest = build()
            for name, table in manifest["tables"].items():
                print(f"{name}: {table['rows']} rows")
            for check, count in manifest["checks"].items():
                note = " - no published national rows: the nation is derived" if count == 0 else ""
                print(f"check passed: {check} ({count} comparisons{note})")
            gaps = manifest["gaps"]
            for table, cells in gaps["jobs_suppressed_cells"].items():
                print(f"gap: {table}: {cells} cells suppressed by CBS (kept as missing)")
            print(f"gap: {gaps['jobs_cells_fixed_by_hierarchy']} suppressed cells recovered from the SBI hierarchy "
                  "(added as derived rows)")
            for edition in gaps["enrolment_masked_cells"]:
                print(f"gap: {edition['edition']}: {edition['masked_cells']} DUO cells masked or suppressed "
                      "(missing, never zero)")
        elif args.command == "status":
            from analysis.processing.status import status_table

            table = status_table()
            print(table.to_string(index=False))
            if table["vs_processed"].str.startswith("differs").any():
                from analysis.processing.vintage import changes_table, compare_vintages

                print("\nWhat the newer snapshots change (run `python -m analysis compare` for the revised values):")
                print(changes_table(compare_vintages()).to_string(index=False))
        elif args.command == "compare":
            from analysis.processing.vintage import changes_table, compare_vintages, revisions_table

            changes = compare_vintages()
            print(changes_table(changes).to_string(index=False))
            revisions = revisions_table(changes)
            if len(revisions):
                print("\nLargest revisions:")
                print(revisions.to_string(index=False))
        elif args.command == "report":
            from analysis.report.site import build_report

            for line in build_report(region=args.region, force=args.force):
                print(line)
    except (FetchError, ValueError, RuntimeError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
