"""Command line: python -m analysis COMMAND (python -m analysis --help lists the commands).

What a command is asked for (a table, a check, JSON) is printed on stdout. Progress and diagnostics go
through :mod:`logging`: progress to stdout (``--quiet``: none, ``--verbose``: the details too),
warnings and errors to stderr as ``warning: ...`` / ``error: ...``. Both options are accepted before
and after the command name. A new sub-command adds its parser with ``parents=[logging_options()]``
and its name and ``run(args) -> int`` to :data:`RUNNERS` (see ``engine.commands``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from analysis.errors import FetchError

log = logging.getLogger("analysis")


def logging_options() -> argparse.ArgumentParser:
    """The parent parser of every command: --quiet and --verbose."""
    options = argparse.ArgumentParser(add_help=False)
    volume = options.add_mutually_exclusive_group()
    # SUPPRESS: given after the command name, the option must not be reset by the main parser's default
    volume.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress (and no progress bars): only results, warnings and errors")
    volume.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="progress with the details of every step")
    return options


class _LevelFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


class _BelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.WARNING


def configure_logging(quiet: bool = False, verbose: bool = False) -> None:
    """Progress on stdout (INFO; DEBUG with ``verbose``; none with ``quiet``), problems on stderr."""
    progress = logging.StreamHandler(sys.stdout)
    progress.addFilter(_BelowWarning())
    progress.setFormatter(logging.Formatter("%(message)s"))
    problems = logging.StreamHandler(sys.stderr)
    problems.setLevel(logging.WARNING)
    problems.setFormatter(_LevelFormatter())
    log.handlers[:] = [progress, problems]
    log.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)


def _parser() -> argparse.ArgumentParser:
    from analysis.engine.commands import add_check_parsers
    from analysis.engine.overrides import COMPARATOR_HELP  # the vocabulary `check` shares

    common = logging_options()
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description="Check published claims about Twente against CBS and DUO open data.",
        epilog="Run python -m analysis COMMAND --help for the options of one command.", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)

    fetch = sub.add_parser("fetch", parents=[common], help="download raw snapshots (live, or from an offline "
                           "mirror); exits 1 if a dataset that should have been fetched failed")
    fetch.add_argument("datasets", nargs="*", help="dataset or CBS table ids (default: all registered; "
                       "a live refresh of all keeps the snapshots of hand-exported ones)")
    fetch.add_argument("--mirror", type=Path, help="read an offline mirror laid out like the upstream "
                       "(default: $TWENTE_CLAIMS_MIRROR; e.g. ../shared/data)")
    fetch.add_argument("--catalog-url", help="CBS catalog host for cbsodata (default opendata.cbs.nl); "
                       "http://HOST:PORT for a plain-HTTP proxy or test server")
    fetch.add_argument("--base-url", help="serve DUO files from BASE_URL/<mirror path> instead of the registry URLs")
    fetch.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP request (default 60)")

    sub.add_parser("build", parents=[common], help="rebuild data/processed from the raw snapshots")
    sub.add_parser("status", parents=[common],
                   help="what is cached, from when and where, and what differs from data/processed")
    compare = sub.add_parser("compare", parents=[common],
                             help="new years, codes and revised values of the raw snapshots vs data/processed; "
                             "or, given two releases (dataset or table ids), those cell by cell")
    compare.add_argument("releases", nargs="*", metavar="RELEASE",
                         help="two releases the registry holds, e.g. cbs-83582NED-2025-04-22 cbs-83582NED, "
                         "84164NED 85918NED, 84419NED 85925NED")

    report = sub.add_parser("report", parents=[common],
                            help="build the HTML report, Dutch and English editions (reports/)")
    report.add_argument("--region", default=None, help="COROP region code (default CR12, Twente), or \"all\": the atlas of every COROP region")
    report.add_argument("--base-year", default=None, help="base year for every claim (default: each claim's reading)")
    report.add_argument("--end-year", default=None, help="end year for every claim (default: each claim's reading)")
    report.add_argument("--comparator", default=None,
                        help=f"{COMPARATOR_HELP}, for every claim whose kind has a comparator "
                        "(default: each claim's reading)")
    report.add_argument("--registry", type=Path, default=None, help="another claim registry (TOML file)")
    report.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    report.add_argument("--end-with-parent", action="store_true",
                        help="stop the build (kernels included, previous report kept) when the process that "
                        "started it ends, even if that one is killed with kill -9 (make report uses this)")
    report.add_argument("--verdicts-table", action="store_true",
                        help="print the README's 'verdicts in short' table from the latest build, build nothing")

    add_check_parsers(sub, parents=[common])
    from analysis.reader.cli import add_propose_parser

    add_propose_parser(sub, parents=[common])
    return parser


def _report(args: argparse.Namespace) -> int:
    import signal

    from analysis.site import build as site

    if args.verdicts_table:
        print(site.latest_verdicts_table(), end="")
        return 0
    # SIGTERM or Ctrl-C: kernels stopped, the temporary folder removed, the previous report kept.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: site.abort_build(143))
    signal.signal(signal.SIGINT, lambda _signum, _frame: site.abort_build(130))
    if args.end_with_parent:
        from analysis.site.execute import end_with_parent

        end_with_parent(signal.SIGTERM)  # after the handler: a parent already gone aborts at once
    if (args.region or "").strip().lower() == "all":  # the atlas: every COROP region
        from analysis.site.atlas import build_atlas

        if args.base_year or args.end_year or args.comparator:
            raise ValueError("--region all builds every region with the registry's reading: leave out "
                             "--base-year, --end-year and --comparator (or build one region with them)")
        lines = build_atlas(force=args.force, registry=args.registry)
    else:
        lines = site.build_report(region=args.region, force=args.force, base_year=args.base_year,
                                  end_year=args.end_year, comparator=args.comparator, registry=args.registry)
    for line in lines:
        log.info(line)
        for handler in log.handlers:
            handler.flush()
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from analysis.sources.fetch import refresh

    outcomes = refresh(args.datasets or None, mirror=args.mirror, catalog_url=args.catalog_url,
                       base_url=args.base_url, timeout=args.timeout, progress=not args.quiet)
    for outcome in outcomes:  # the result of the command: printed even with --quiet
        print(f"{outcome.dataset_id}: {outcome.status}: {outcome.message}")
    failed = [o.dataset_id for o in outcomes if o.failed]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("fetched", "kept", "failed")}
    print("fetch: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    if failed:
        log.error(f"could not fetch {', '.join(failed)} (see above); their previous snapshots are untouched. "
                  "Fix the cause and run the fetch again (with those names only, if you like)")
        return 1
    return 0


def _build(_args: argparse.Namespace) -> int:
    from analysis.processing.build import build

    manifest = build()
    for name, table in manifest["tables"].items():
        log.info(f"{name}: {table['rows']} rows")
    for check, count in manifest["checks"].items():
        note = " - no published national rows: the nation is derived" if count == 0 else ""
        log.info(f"check passed: {check} ({count} comparisons{note})")
    gaps = manifest["gaps"]
    for table, cells in gaps["jobs_suppressed_cells"].items():
        log.info(f"gap: {table}: {cells} cells suppressed by CBS (kept as missing)")
    log.info(f"gap: {gaps['jobs_cells_fixed_by_hierarchy']} suppressed cells recovered from the SBI hierarchy "
             "(added as derived rows)")
    for edition in gaps["enrolment_masked_cells"]:
        log.info(f"gap: {edition['edition']}: {edition['masked_cells']} DUO cells masked or suppressed "
                 "(missing, never zero)")
    return 0


def _status(_args: argparse.Namespace) -> int:
    from analysis.processing.status import status_table

    table = status_table()
    print(table.to_string(index=False))
    if table["vs_processed"].str.startswith("differs").any():
        from analysis.processing.vintage import changes_table, compare_vintages

        print("\nWhat the newer snapshots change (run `python -m analysis compare` for the revised values):")
        print(changes_table(compare_vintages()).to_string(index=False))
    return 0


def _compare_releases(releases: list[str]) -> int:
    from analysis.processing.vintage import compare_releases

    if len(releases) != 2:
        log.error(f"compare takes two releases, got {len(releases)}: e.g. `python -m analysis compare "
                  "84419NED 85925NED`")
        return 2
    result = compare_releases(*releases)
    print(result.summary())
    sections = result.by_measure[result.by_measure["sbi_code"].str[0].str.isalpha()]
    print("\nBy measure and SBI section (|relative change| of the cells in both; divisions left out here):")
    print(sections.to_string(index=False))
    if len(result.revised):
        print("\nLargest revisions (relative):")
        print(result.revised.head(20).to_string(index=False))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from analysis.processing.vintage import (
        changes_summary,
        changes_table,
        compare_vintages,
        revisions_table,
    )

    if args.releases:
        return _compare_releases(args.releases)
    changes = compare_vintages()
    print(changes_table(changes).to_string(index=False))
    revisions = revisions_table(changes)
    if len(revisions):
        print("\nLargest revisions:")
        print(revisions.to_string(index=False))
    print(f"\n{changes_summary(changes)}")
    return 0


def _propose(args: argparse.Namespace) -> int:
    from analysis.reader.cli import run_propose

    return run_propose(args)


def _engine(args: argparse.Namespace) -> int:
    from analysis.engine.commands import run

    return run(args)


# command name -> what runs it (a new sub-command adds its entry here)
RUNNERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "fetch": _fetch, "build": _build, "status": _status, "compare": _compare, "report": _report,
    "check": _engine, "league": _engine, "propose": _propose,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.quiet, args.verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    configure_logging(args.quiet, args.verbose)
    try:
        return RUNNERS[args.command](args)
    except (FetchError, ValueError, RuntimeError, KeyError) as exc:
        log.error(str(exc))
        log.debug("where it happened:", exc_info=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
