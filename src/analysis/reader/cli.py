"""``python -m analysis propose "<sentence>"``: the ranked readings of a sentence, each parameter
with the words that set it and what was assumed, the best one as a registry entry (TOML) and the
engine's check of it; ``--json`` for other tools; ``--write REGISTRY`` adds the entry (escaped,
validated, atomic: :mod:`.toml_writer`).

Wired into :mod:`analysis.cli` by ``add_propose_parser(sub)`` and, for ``args.command ==
"propose"``, ``run_propose(args)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2017-10-18") from None


def add_propose_parser(sub: Any, parents: list[Any] | None = None) -> None:
    propose = sub.add_parser("propose", parents=parents or [], help="read a sentence into candidate claim entries (rule-based, offline) "
                             "and check the best one")
    propose.add_argument("sentence", help="the claim as published, in Dutch or English (quote it)")
    propose.add_argument("--context", default="", help="the sentence before it, for 'daar', 'in die periode', ...")
    propose.add_argument("--date", type=_date, default=None,
                         help="publication date YYYY-MM-DD: the claim's real-time cut-off (default: today)")
    propose.add_argument("--source", default="", help="the publication's URL")
    propose.add_argument("--publisher", default=None, help="who published it (default: the URL's host)")
    propose.add_argument("--title", default=None, help="the publication's title (default: the URL)")
    propose.add_argument("--write", type=Path, default=None, metavar="REGISTRY",
                         help="add the best checkable reading to this registry file (created if missing)")
    propose.add_argument("--json", action="store_true", help="print the ranked readings as JSON")
    propose.add_argument("--no-check", action="store_true", help="do not run the engine's check")
    propose.add_argument("--data", type=Path, default=None, help="folder with the processed tables")
    propose.add_argument("--lang", default="nl", choices=("nl", "en"), help="language of the text output")


def _describe(reading: Any, n: int, lang: str, names: dict[str, str]) -> list[str]:
    from analysis.i18n import render

    engine = reading.engine_kind
    status = render("reader.label.checkable", lang, kind=engine) if engine else render("reader.label.not_checkable", lang)
    kind = reading.kind + (f" ({reading.relation})" if reading.relation else "")
    lines = [render("reader.label.reading", lang, n=n, score=f"{reading.score:.2f}", kind=kind) + f" - {status}"]
    data = reading.to_json(lang)
    params = {key: value for key, value in data["parameters"].items() if value not in (None, [], "")
              and key not in ("base_year", "end_year", "year")}
    params["period"] = (str(data["parameters"]["year"]) if data["parameters"]["year"] is not None
                        else f"{data['parameters']['base_year']}-{data['parameters']['end_year']}")
    if reading.kind == "not_held":
        params = {}
    if data["claimed"]:
        claimed = data["claimed"]
        params["claimed"] = (f"{claimed['value']:g} {claimed['unit']} [{claimed['low']}, {claimed['high']}] "
                             f"hedge {claimed['hedge']}")
    for key, value in params.items():
        shown = f"{value} {names.get(value, '')}".strip() if isinstance(value, str) else \
            ", ".join(f"{v} {names.get(v, '')}".strip() for v in value) if isinstance(value, list) else value
        line = f"  {key:12s} {shown}"
        word_key = key
        if data["words"].get(word_key):
            line += f"   {render('reader.label.words', lang)}: \"{data['words'][word_key]}\""
        if data["assumed"].get(word_key):
            line += f"   {render('reader.label.assumed', lang)}: {data['assumed'][word_key]}"
        lines.append(line)
    if data["note"]:
        lines.append(f"  {data['note']}")
    return lines


def run_propose(args: argparse.Namespace) -> int:
    from analysis.engine.commands import text_report
    from analysis.i18n import Text
    from analysis.reader.candidates import read_sentence
    from analysis.reader.entry import NotCheckable, build_entry, check_entry, shipped_meta
    from analysis.reader.toml_writer import RegistryWriteError, append_entry, dumps_entries
    from analysis.reader.vocab import vocabulary

    date = args.date or dt.date.today()
    readings = read_sentence(args.sentence, args.context, date, args.data)
    if args.date is None:
        readings[0].assume("date", Text("reader.assumed.date_today", {"date": date.isoformat()}))
    taken: set[str] = set()
    if args.write is not None and args.write.exists():
        import tomllib

        try:
            taken = {c.get("id") for c in tomllib.loads(args.write.read_text(encoding="utf-8")).get("claim", [])}
        except tomllib.TOMLDecodeError as exc:
            print(f"error: {args.write} is not valid TOML ({exc}); fix it first", file=sys.stderr)
            return 2
    best = readings[0]
    entry, why_not = None, None
    try:
        entry = build_entry(best, args.sentence, date, url=args.source, publisher=args.publisher,
                            title=args.title, taken=taken, data_dir=args.data)
    except NotCheckable:
        why_not = best.note or Text("reader.note.not_checkable", {"kind": best.kind})
    if entry is not None:
        from analysis.engine.registry_errors import RegistryError
        from analysis.reader.entry import validate_entry

        try:  # e.g. "sinds 2007" while the claim's table begins in 2010: said, not written
            validate_entry(entry, args.data)
        except RegistryError as exc:
            entry, why_not = None, Text("reader.note.outside_data", {"error": str(exc)})
    result = check_entry(entry, args.data) if entry is not None and not args.no_check else None
    if args.json:
        payload = {"sentence": args.sentence, "date": date.isoformat(),
                   "candidates": [r.to_json(args.lang) for r in readings],
                   "entry": entry, "not_checkable": why_not.render(args.lang) if why_not else None,
                   "check": result.to_json() if result is not None else None}
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        vocab = vocabulary(args.data)
        names = {**vocab.region_names, **vocab.institution_names, **vocab.sector_labels}
        for n, reading in enumerate(readings, 1):
            print("\n".join(_describe(reading, n, args.lang, names)))
        from analysis.i18n import render

        if entry is not None:
            print(render("reader.label.entry", args.lang))
            print(dumps_entries([entry]))
        elif why_not is not None and why_not is not best.note:
            print(why_not.render(args.lang))
        if result is not None:
            print(render("reader.label.check", args.lang))
            print(text_report(result, args.lang))
    if args.write is not None:
        from analysis.i18n import render

        if entry is None:
            print(render("reader.label.not_written", args.lang, reason=why_not.render(args.lang)), file=sys.stderr)
            return 1
        try:
            append_entry(args.write, entry, shipped_meta())
        except RegistryWriteError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(render("reader.label.written", args.lang, path=str(args.write), id=entry["id"]),
              file=sys.stderr if args.json else sys.stdout)
    return 0
