"""The ``check`` and ``league`` subcommands (wired into :mod:`analysis.cli`).

``python -m analysis check CLAIM_ID [--region CODE] [--registry FILE] [--data DIR] [--json]
[--lang nl|en] [--base-year Y] [--end-year Y] [--comparator nation|nation_minus_region]``
prints the evaluation (JSON: :meth:`analysis.engine.result.ClaimCheck.to_json`);
``python -m analysis league CLAIM_ID [--csv]`` the same claim for every COROP region.

The arguments are checked before anything is computed, as ``report`` checks its own: an unknown
claim or region, a year outside the claim's tables, a comparator outside the shared vocabulary or
an override the claim's kind does not use stops with exit status 2 and the valid choices
(:mod:`analysis.engine.overrides`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from analysis.engine.overrides import COMPARATOR_HELP


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("claim_id", help="a claim id of the registry")
    parser.add_argument("--registry", type=Path, default=None, help="another claim registry (TOML)")
    parser.add_argument("--data", type=Path, default=None,
                        help="folder with the processed tables (default data/processed)")
    parser.add_argument("--base-year", type=int, default=None,
                        help="override the reading's base year: a year of the claim's own table(s)")
    parser.add_argument("--end-year", type=int, default=None,
                        help="override the reading's end year (a share's year): a year of the claim's "
                        "own table(s)")
    parser.add_argument("--comparator", default=None,
                        help=f"{COMPARATOR_HELP} (default: the reading's); a claim whose kind has no "
                        "comparator refuses it, as it refuses years it has not")
    parser.add_argument("--lang", default="nl", choices=("nl", "en"), help="language of the text output")


def add_check_parsers(sub: Any, parents: list[argparse.ArgumentParser] | None = None) -> None:
    check = sub.add_parser("check", parents=parents or [],
                           help="check one claim for one region: verdict, reading, measures")
    _common(check)
    check.add_argument("--region", default=None, help="COROP code (default: the registry's, CR12)")
    check.add_argument("--json", action="store_true", help="print the full result as JSON")
    league = sub.add_parser("league", parents=parents or [], help="one claim for every COROP region, sorted by value")
    _common(league)
    league.add_argument("--csv", action="store_true", help="print CSV instead of a table")


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {"base_year": args.base_year, "end_year": args.end_year, "comparator": args.comparator}


def _checked(args: argparse.Namespace) -> tuple[Any, str | None, dict[str, Any]]:
    """(the registry, the region code or None, the overrides), or ValueError with the choices."""
    from analysis.engine.check import registry_for, tables_for
    from analysis.engine.overrides import OverrideError, command_overrides

    tables = tables_for(args.data)
    registry = registry_for(args.registry, tables)
    if args.claim_id not in registry.claims:
        raise OverrideError(f"unknown claim {args.claim_id!r}: use one of {', '.join(registry.claims)}")
    region = getattr(args, "region", None)
    if region is not None:
        regions = tables.corop_regions()
        if region.strip().upper() not in regions:
            listing = "\n".join(f"  {code}  {name}" for code, name in regions.items())
            raise OverrideError(f"unknown region {region!r}: use a COROP code:\n{listing}")
        region = region.strip().upper()
    overrides = command_overrides(registry.claim(args.claim_id), tables, _overrides(args))
    return registry, region, overrides




def _share(value: float | None) -> Any:
    from analysis.i18n import Num

    return Num(None if value is None else 100 * value, "percent")  # None prints as "–"


def _fairness(result: Any) -> Any:
    from analysis.i18n import COUNT_UNITS, UNIT_MESSAGES, Num, Text

    unit = result.fairness_unit or ""
    number = Num(result.fairness, decimals=0 if unit in COUNT_UNITS else 2, signed=True)
    if result.fairness is None or not unit:
        return number
    return Text(UNIT_MESSAGES.get(unit, "page.unit.other"), {"value": number, "unit": unit})


def text_report(result: Any, lang: str) -> str:
    """The evaluation in plain lines in one language (the JSON has everything)."""
    from analysis.i18n import Text, render

    why = result.deciding_text or result.verdict_reason
    lines = [(f"{result.claim_id} ({result.region} {result.region_name}): "
              f"{render('verdict.' + result.verdict, lang)}"), f"  {why.render(lang)}"]
    lines += [f"  - {caveat.render(lang)}" for caveat in result.caveats]
    if result.deciding_text is not None and result.verdict_reason is not None:
        lines.append(f"  {result.verdict_reason.render(lang)}")
    if result.reading is not None and result.reading.statement is not None:
        lines.append(f"  {result.reading.statement.render(lang)}")
    if result.robustness is not None:
        band = result.robustness_band or (None, None)
        measures = Text("cli.check.measures", {
            "robustness": _share(result.robustness), "low": _share(band[0]), "high": _share(band[1]),
            "fairness": _fairness(result), "uniqueness": _share(result.uniqueness),
            "real_time": sum(p.real_time for p in result.perturbations),
            "ex_post": sum(not p.real_time for p in result.perturbations), "unevaluable": len(result.unevaluable)})
        lines.append(f"  {measures.render(lang)}")
    for text in (result.counter_argument, result.fairer_statement, result.ex_post_text):
        if text is not None:
            lines.append(f"  {text.render(lang)}")
    lines.append(f"  {render('cli.check.registry', lang, hash=result.registry_hash[:12])}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from analysis.engine.check import check
    from analysis.engine.league import league

    registry, region, overrides = _checked(args)
    if args.command == "check":
        result = check(args.claim_id, region, registry=registry, data_dir=args.data, **overrides)
        if args.json:
            json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
            print()
        else:
            print(text_report(result, args.lang))
        return 0
    frame = league(args.claim_id, registry=registry, data_dir=args.data, **overrides)
    if args.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        print(frame.to_string(index=False))
    return 0
