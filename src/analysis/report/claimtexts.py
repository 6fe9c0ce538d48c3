"""Claim texts and numbers in words for the pages: the registry as data, units, verdict words.

Claim texts come from the registry (``data/claims.toml``: quote, translation, ``title_nl`` /
``title_en``, order, the claim's own source) and, where present, from a short text file per claim
and language (``data/claims/<claim_id>.<lang>.md``: an optional ``# title`` line, then paragraphs of
explanation; not needed for a title). Numbers keep the precision of their
inputs (rates one decimal, jobs to 50) and are formatted by Babel (analysis.i18n).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.engine.result import ClaimCheck, Interval
from analysis.i18n import LANGUAGES, UNIT_MESSAGES, Num, Text, catalogue

CLAIM_TEXTS_DIR = paths.PACKAGE_DATA / "claims"
REGISTRY_FILE = paths.PACKAGE_DATA / "claims.toml"
REGISTRY_ENV = "TWENTE_CLAIMS_REGISTRY"  # another claim registry (the report build's --registry; tests)
PARAM = "param_"  # prefix of the parameter columns of claimpage.evaluations_frame / curve_data
SYMBOLS = {"supported": "✔", "borderline": "◐", "within_revision": "≈", "not_supported": "✘", "undecidable": "?",
           "not_verifiable": "∅", "not_applicable": "–"}  # a second cue besides colour
# levels and shares: no "+" sign
UNSIGNED_KINDS = ("share", "level", "enrolment_level", "share_of_total", "value_within", "not_verifiable", "none")


# --- the registry -----------------------------------------------------------------------------------


@cache
def _registry(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def registry_file() -> Path:
    """The claim registry the pages read: ``$TWENTE_CLAIMS_REGISTRY`` if set, else the package's."""
    return Path(os.environ.get(REGISTRY_ENV) or REGISTRY_FILE)


def registry(path: Path | None = None) -> dict[str, Any]:
    """The claim registry as data (``[meta]`` and ``[[claim]]``)."""
    return _registry(Path(path or registry_file()))


def claim_ids(path: Path | None = None) -> list[str]:
    """Every claim id in the registry, in the registry's order (``order``, then file order)."""
    claims = registry(path).get("claim", [])
    ranked = sorted(enumerate(claims), key=lambda item: (item[1].get("order", item[0] + 1), item[0]))
    return [claim["id"] for _, claim in ranked]


def claim_entry(claim_id: str, path: Path | None = None) -> dict[str, Any]:
    """The registry entry of ``claim_id`` (KeyError listing the ids there are)."""
    for claim in registry(path).get("claim", []):
        if claim["id"] == claim_id:
            return claim
    raise KeyError(f"no claim {claim_id!r} in the registry: use one of {', '.join(claim_ids(path))}")


def named_institutions(path: Path | None = None) -> list[str]:
    """The DUO institution codes the registry's claims name in ``[claim.check]`` (their reading and
    context), in code order: the data overview shows their coverage."""
    return institutions_in(registry(path))


def institutions_in(data: Mapping[str, Any]) -> list[str]:
    """:func:`named_institutions` of a parsed registry (the build plans the overview page by it)."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list):
            if key == "institutions" and all(isinstance(item, str) for item in value):
                found.update(value)
            else:
                for item in value:
                    walk(item)
    for claim in data.get("claim", []):
        walk(claim.get("check", {}))
    return sorted(found)


def claim_order(claim_id: str, path: Path | None = None) -> int:
    return claim_ids(path).index(claim_id) + 1


def claim_text_file(claim_id: str, lang: str, folder: Path | None = None) -> tuple[str, list[str]]:
    """(title, paragraphs) of ``data/claims/<claim_id>.<lang>.md``; ("", []) when there is none."""
    file = (folder or CLAIM_TEXTS_DIR) / f"{claim_id}.{lang}.md"
    if not file.exists():
        return "", []
    title, paragraphs, current = "", [], []
    for line in file.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and not title and not paragraphs and not current:
            title = line[2:].strip()
        elif line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return title, paragraphs


def claim_title(claim_id: str, path: Path | None = None, folder: Path | None = None) -> dict[str, str]:
    """The page title per language: the text file's title, else the registry's ``title_<lang>``,
    else the quote in that language."""
    entry = claim_entry(claim_id, path)
    titles = {}
    for lang in LANGUAGES:
        from_file, _ = claim_text_file(claim_id, lang, folder)
        registered = entry.get(f"title_{lang}", "")
        titles[lang] = from_file or registered or entry.get(f"text_{lang}", claim_id)
    return titles


def claim_quote(claim_id: str, path: Path | None = None) -> dict[str, str]:
    """The claim as published (``nl``) and its English translation (``en``)."""
    entry = claim_entry(claim_id, path)
    return {"nl": entry.get("text_nl", ""), "en": entry.get("text_en", "")}


# --- numbers with their unit --------------------------------------------------------------------------


def value_num(value: float | None, unit: str, signed: bool = True) -> Num:
    """A value in its unit, at the precision of the data: rates one decimal, jobs to 50."""
    if unit in ("jobs", "persons"):
        return Num(value, style="number", signed=signed, round_to=50)
    if unit in ("percent", "percent per year"):
        return Num(value, style="percent", decimals=1, signed=signed)
    if unit == "students":  # DUO counts are whole numbers
        return Num(value, style="number", decimals=0, signed=signed)
    return Num(value, style="number", decimals=1, signed=signed)


def with_unit(value: float | None, unit: str, signed: bool = True) -> Text:
    """``value`` in ``unit`` as a message ("−5,7%", "1.700 banen", "0,5% per jaar")."""
    key = UNIT_MESSAGES.get(unit, "page.unit.other")
    return Text(key, {"value": value_num(value, unit, signed), "unit": unit})


def signed_values(check: ClaimCheck) -> bool:
    """Whether the check's values are changes (shown with a sign) rather than levels or shares."""
    return check.kind not in UNSIGNED_KINDS


def interval_texts(interval: Interval, signed: bool = True) -> dict[str, Text]:
    return {"value": with_unit(interval.value, interval.unit, signed),
            "low": with_unit(interval.low, interval.unit, signed),
            "high": with_unit(interval.high, interval.unit, signed)}


def result_words(result: Interval, signed: bool = True) -> Text:
    """A result in words: the value alone when its interval is a point, "value (interval low to
    high)", or "between low and high" when only the bounds are known (suppressed cells)."""
    texts = interval_texts(result, signed)
    if result.value is None:
        return Text("page.value_bounded", texts)
    if result.low is None or result.high is None:
        return texts["value"]
    shown = {texts[k].render("en") for k in ("value", "low", "high")}
    if len(shown) == 1:  # the interval vanishes at the precision shown: the value alone
        return texts["value"]
    return Text("page.value_interval", texts)


def verdict_word(code: str) -> Text:
    """The verdict's word: the engine's ``verdict.<code>`` where it has one, else this catalogue's."""
    key = f"verdict.{code}"
    return Text(key if key in catalogue() else f"page.verdict.{code}")


def holds_text(holds: bool | None) -> Text:
    return Text({True: "page.reproduction.holds.true", False: "page.reproduction.holds.false"}.get(
        holds, "page.reproduction.holds.none"))


def parameter_name(name: str) -> Text | str:
    """A parameter's name in words (``page.param.<name>``; a column header), else the name."""
    key = f"page.param.{name}"
    return Text(key) if key in catalogue() else name.replace("_", " ")


def parameter_value(value: Any, name: str = "") -> Any:
    if isinstance(value, (list, tuple)):
        names = {}
        if name == "institutions":  # institutions by name, never by their DUO code
            from analysis.engine.check import tables_for

            names = tables_for().institution_names()
        return " + ".join(names.get(str(v), str(v)) for v in value)
    return value if isinstance(value, (Text, Mapping)) else str(value)


def result_unit(check: ClaimCheck) -> str:
    if check.reading is not None:
        return check.reading.result.unit
    return check.perturbations[0].result.unit if check.perturbations else ""


def value_text(claim_id: str, param: str, value: Any, path: Path | None = None) -> Any:
    """A parameter value in the reader's words (as the engine words it in a perturbation's label):
    a sector list's or a published source's label from the registry, ``engine.value.<param>.<value>``
    from the catalogue, else the value itself."""
    meta = registry(path).get("meta", {})
    check = claim_entry(claim_id, path).get("check", {})
    for table, wanted in ((meta.get("sector_lists", {}), "sector"), (check.get("sources", {}), "source"),
                          (check.get("levels", {}), "base_level")):
        entry = table.get(value) if param == wanted and isinstance(value, str) else None
        if entry and "label_nl" in entry and "label_en" in entry:
            return {"nl": entry["label_nl"], "en": entry["label_en"]}
    if isinstance(value, (list, tuple)):
        names = {}
        if param == "institutions":  # institutions by name, never by their DUO code
            from analysis.engine.check import tables_for

            names = tables_for().institution_names()
        return ", ".join(names.get(str(v), str(v)) for v in value)
    for key in (f"engine.value.{param}.{value}", f"page.value.{param}.{value}"):  # the engine's words first
        if key in catalogue():
            return Text(key)
    number = _as_number(value)
    if number is not None:  # 5.0 -> "5", 2010 -> "2010" (never grouped), 2.5 -> "2,5" / "2.5"
        return str(int(number)) if number.is_integer() else Num(number, decimals=1)
    if param == "sector" and isinstance(value, str):
        return f"SBI {value}"
    return str(value)


def _as_number(value: Any) -> float | None:
    """A number, also when it arrives as text ("10.0" from a table column); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def setting_text(claim_id: str, param: str, value: Any, path: Path | None = None) -> Any:
    """One setting in words ("base year 2011", "compared with the Netherlands without Twente")."""
    key = f"engine.param.{param}"
    words = value_text(claim_id, param, value, path)
    if key in catalogue():
        return Text(key, {"value": words})
    return Text("page.setting.other", {"param": parameter_name(param), "value": words})


def split_overrides(claim_id: str, **overrides: Any) -> tuple[dict[str, Any], list[str]]:
    """(the overrides the claim's kind has, the names of those it has not); None values dropped.

    A report build passes the same base year, end year and comparator to every claim page; a
    claim whose kind has no such parameter keeps its reading, and the page says so.
    """
    from analysis.engine.check import registry_for
    from analysis.engine.kinds import KINDS

    params = KINDS[registry_for(registry_file()).claim(claim_id).kind].PARAMS
    given = {k: v for k, v in overrides.items() if v is not None}
    return {k: v for k, v in given.items() if k in params}, [k for k in given if k not in params]


def series_label(series: Any, check: ClaimCheck) -> Any:
    """A headline series' name: the engine's codes (``region``, ``nation``, ``nation_minus_region``,
    ``institutions``) in words, anything else (a Text, a dict, a name) as it is."""
    if series == "region":
        return check.region_name
    if series == "institutions":
        return institutions_subject(check)
    if isinstance(series, str) and f"page.series.{series}" in catalogue():
        return Text(f"page.series.{series}", {"region": check.region_name})
    return series


def institutions_subject(check: ClaimCheck) -> Any:
    """Who a claim about students counts: the claim's own words (``subject_nl``/``subject_en`` of its
    ``[claim.check]``, "Saxion en de UT samen") where the reading counts the institutions and locations
    the claim names (the engine's rule for its texts, ``kinds.share``), else the institutions' names
    joined with " + "."""
    entry = claim_entry(check.claim_id).get("check", {})
    parameters = check.reading.parameters if check.reading is not None else {}
    own = entry.get("reading", {})
    same = (list(parameters.get("institutions", [])) == list(own.get("institutions", []))
            and parameters.get("locations", "all") == own.get("locations", "all"))
    if same and "subject_nl" in entry and "subject_en" in entry:
        return {"nl": entry["subject_nl"], "en": entry["subject_en"]}
    return parameter_value(list(parameters.get("institutions", [])), "institutions")


NOTHING_TO_COMPUTE = ("not_applicable", "not_verifiable")


def computable(check: ClaimCheck) -> bool:
    """Whether the page has numbers to show: not for a claim that does not apply to the region or
    that no open data measure (its verdict and reason say why, once, at the top)."""
    return check.verdict not in NOTHING_TO_COMPUTE


def last_public_year(input_name: str, claim_date: str, path: Path | None = None) -> int | None:
    """The latest reference year of ``input_name`` public on ``claim_date`` (ISO), from the
    registry's ``[meta.public]`` rule and its release dates on record (``Registry.public_date``)."""
    import datetime as dt

    from analysis.engine.check import registry_for

    rules = registry(path).get("meta", {}).get("public", {})
    if input_name not in rules or len(claim_date) < 10:
        return None
    date, public_date = dt.date.fromisoformat(claim_date[:10]), registry_for(path).public_date
    year = date.year
    while public_date(input_name, year) > date:  # a rule's offset is a few years at most
        year -= 1
    return year


def claim_source(claim_id: str, path: Path | None = None) -> dict[str, str]:
    """The claim's own source as the validated registry has it (its ``[claim.source]`` over its
    publication): ``publisher``, ``title``, ``url``, ``publisher_url``, ``date`` (ISO), the
    ``region`` the claim is about and its short ``region_name``."""
    from analysis.engine.check import registry_for, tables_for
    from analysis.engine.tables import short_name

    claim = registry_for(Path(path or registry_file())).claim(claim_id)
    source = {key: str(claim.source.get(key) or "") for key in ("publisher", "title", "url", "publisher_url")}
    name = short_name(tables_for().region_names().get(claim.region, claim.region))
    return {**source, "date": claim.date.isoformat(), "region": claim.region, "region_name": name}


def long_date(iso: str, lang: str) -> str:
    """``2017-10-18`` as ``18 oktober 2017`` / ``18 October 2017`` (Babel)."""
    import datetime as dt

    from babel.dates import format_date

    from analysis.i18n import LOCALES

    return format_date(dt.date.fromisoformat(iso), format="long", locale=LOCALES[lang])


def said_by(claim_id: str, path: Path | None = None) -> dict[str, str]:
    """Whose claim it is and when, per language, from the claim's own source: its publisher, its
    title and its date in words ("Techniekpact Twente, Techniekpact Twente: wat is dat?, 18 oktober
    2017")."""
    source = claim_source(claim_id, path)
    return {lang: Text("top.said_by", {"publisher": source["publisher"], "source": source["title"],
                                       "date": long_date(source["date"], lang)}).render(lang)
            for lang in LANGUAGES}


def claim_date(check: ClaimCheck | None = None, path: Path | None = None) -> str:
    """The claim's date (ISO): the check's, else the date of the registry's first claim (by order)."""
    if check is not None and getattr(check, "claim_date", ""):
        return str(check.claim_date)
    from analysis.engine.check import registry_for

    loaded = registry_for(Path(path or registry_file()))
    return loaded.claim(loaded.first_claim).date.isoformat()


def claim_year(check: ClaimCheck | None = None, path: Path | None = None) -> int:
    """The year of the claim (the after-page's "after ..."), from its date."""
    return int(claim_date(check, path)[:4])
