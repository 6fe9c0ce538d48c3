"""What decided a verdict, as data and in one plain sentence (with the caveats printed beside it).

From the reading's facts (each condition checked, per part: :mod:`.facts`), the measures and the
verdict code: where the reading fails, the parts that fail ("Nationally, manufacturing employment
fell by 3.7%, less than the 5% that 'sharply' needs"), and for a claim with threshold parts the
threshold at which every part would hold; where it holds, its facts and the robustness against the
rule's threshold; where it cannot be evaluated, why. Caveats (few distinct results, alternatives
the data cannot give, the weights' reach, a half no series measures) never change the verdict.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from analysis.engine.facts import joint_limit
from analysis.engine.measures import Measures
from analysis.engine.result import (
    BORDERLINE,
    NOT_SUPPORTED,
    SUPPORTED,
    WITHIN_REVISION,
    Evaluation,
    Fact,
    Interval,
)
from analysis.engine.tables import NATION
from analysis.engine.verdict import thresholds
from analysis.i18n import Num, Text

WEIGHT_CAVEAT = 0.05  # robustness moving more than this under other weights is worth a caveat


def _pct(share: float) -> Num:
    return Num(100 * share, "percent", 0)


def _robustness_fact(measures: Measures, code: str, meta: dict[str, Any]) -> Fact | None:
    if measures.robustness is None or measures.band is None:
        return None
    limits = thresholds(meta)
    low, high = measures.band
    numbers = {"robustness": _pct(measures.robustness), "threshold": _pct(limits["supported"]),
               "fragile": _pct(limits["fragile"])}
    holds = True if low >= limits["supported"] else False if high < limits["fragile"] else None
    words = {True: "high", False: "low", None: "between"}[holds]
    if code == NOT_SUPPORTED and holds is None:
        words = "low"  # the reading fails and the alternatives do not rescue it
    return Fact(part="robustness", test="at_least",
                value=Interval(measures.robustness, low, high, "share"), holds=holds,
                sentence=Text(f"engine.fact.robustness.{words}", numbers),
                threshold=limits["supported"])


def _join(sentences: list[Any]) -> Text | None:
    if not sentences:
        return None
    text = sentences[-1]
    for sentence in reversed(sentences[:-1]):
        text = Text("engine.sentences", {"first": sentence, "rest": text})
    return text


def deciding(reading: Evaluation | None, measures: Measures, code: str, reason: Text,
             meta: dict[str, Any], revision: Any = None
             ) -> tuple[list[Fact], Text, Text, float | None]:
    """(the deciding facts, the reason in a sentence or two of plain words (no percentages of
    alternatives: for the top of a page), the same in full (threshold of a conjunction, robustness
    against the rule's threshold), the threshold at which every part would hold)."""
    if reading is None:
        return [], reason, reason, None
    limit = joint_limit(reading.facts)
    extra: list[Any] = []  # said in full only
    if reading.holds is False:
        facts = [f for f in reading.facts if f.holds is False]
        short = [f.sentence for f in facts[:1]]
        if limit is not None and limit > 0 and len(reading.facts) > 1:
            extra.append(Text("engine.fact.joint_limit", {"limit": Num(limit, "percent", 1)}))
        if code == WITHIN_REVISION and revision is not None:
            short.append(_revision_text(revision))
    elif reading.holds is None:
        facts = [f for f in reading.facts if f.holds is None]
        short = [f.sentence for f in facts[:1]] or [reason]
    else:
        facts = list(reading.facts)
        short = [f.sentence for f in facts]
    robust = _robustness_fact(measures, code, meta)
    if robust is not None and (reading.holds is True or code == BORDERLINE and reading.holds is False):
        facts.append(robust)
        short.append(Text(f"engine.fact.robustness.plain.{'holds' if reading.holds else 'rescued'}"
                          if robust.holds is True or reading.holds is False else
                          f"engine.fact.robustness.plain.{'fails' if robust.holds is False else 'mixed'}", {}))
        extra.append(robust.sentence)
    short = short or [reason]
    full = [f.sentence for f in facts if f.part != "robustness"] or short[:1]
    full += [s for s in short if s not in full and s.key.startswith("engine.fact.revision")] + extra
    return facts, _join(short), _join(full), limit


def _revision_text(revision: Any) -> Text:
    if revision.per_point is None:
        return Text("engine.fact.revision", {
            "miss": Num(revision.miss, "number", 1), "revision": Num(revision.revision_p90, "number", 1)})
    return Text("engine.fact.revision_count", {  # jobs built from counts rounded to the hundred
        "miss": Num(revision.miss * revision.per_point, "number", 0, round_to=100),
        "revision": Num(revision.revision_p90 * revision.per_point, "number", 0, round_to=100),
        "points": Num(revision.revision_p90, "number", 1)})


def caveats(reading: Evaluation | None, measures: Measures, code: str) -> list[Text]:
    """What a reader should know beside the verdict; none of it changes the verdict."""
    found: list[Text] = []
    if reading is not None:
        found += list(reading.notes)  # e.g. why one half cannot be measured
    if reading is not None and measures.robustness is None and code == SUPPORTED:
        found.append(Text("engine.caveat.no_alternatives", {}))
    if measures.few_distinct:
        found.append(Text("engine.caveat.few_distinct", {"n": measures.n_distinct}))
    if measures.unevaluable_weight >= 0.005:
        found.append(Text("engine.caveat.unevaluable", {"share": _pct(measures.unevaluable_weight)}))
    spread = measures.weight_range
    if spread is not None and measures.robustness is not None and (
            spread[1] - spread[0] > WEIGHT_CAVEAT):
        found.append(Text("engine.caveat.weights", {"low": _pct(spread[0]), "high": _pct(spread[1])}))
    return found


def revision_miss(reading: Evaluation | None, claim: Any, tables: Any, registry: Any) -> Any:
    """Where the reading fails on CBS employee-job changes read from a release later than the
    claim (the release of the time is not in the data): the miss against the typical revision
    between releases of that statistic at the failing part's level (nation or COROP), over changes
    of series at least half as large as the part's own (like with like). A percent change is
    judged against a threshold; a change in a number of jobs (a threshold or a claimed interval)
    is read as a percent of its base-year level, the revisions' unit, and the miss is given back
    in jobs (``per_point``: jobs per percentage point). None where the rule does not apply;
    ``within`` only if every failing part is within."""
    from analysis.engine.revisions import typical_revision, within_revision

    if reading is None or reading.holds is not False:
        return None
    parameters = reading.parameters
    if parameters.get("source", "cbs") != "cbs" or parameters.get("concept") != "employee_jobs" \
            or parameters.get("vintage", "newest") != "newest":
        return None
    failing = [f for f in reading.facts if f.holds is False]
    if not failing or not all(_percent_threshold(f) or _count_change(f) for f in failing):
        return None
    misses = []
    for fact in failing:
        who = parameters.get("who", "region")
        nation = (fact.part == "comparator" and parameters.get("comparator") == "nation") or (
            fact.part == "region" and (who == "nation" or (claim.region == NATION and who == "region")))
        revisions = typical_revision("employee_jobs", "nation" if nation else "corop", tables,
                                     since=claim.date, registry_path=registry.path,
                                     min_size=(fact.size or 0.0) / 2)
        if _percent_threshold(fact):
            misses.append(within_revision(fact.threshold, fact.value.low, fact.value.high, revisions))
            continue
        per_point = fact.size / 100.0  # jobs per percentage point of the base-year level
        low, high = fact.value.low / per_point, fact.value.high / per_point
        target = fact.threshold if fact.test != "within" else (
            fact.claimed.low if high < fact.claimed.low else fact.claimed.high)
        miss = within_revision(target / per_point, low, high, revisions)
        misses.append(replace(miss, per_point=per_point))
    worst = max(misses, key=lambda m: m.miss)
    return replace(worst, within=all(m.within for m in misses))


def _percent_threshold(fact: Fact) -> bool:
    return fact.test in ("at_least", "above") and fact.threshold is not None and fact.value.unit == "percent"


def _count_change(fact: Fact) -> bool:
    """A change in a number of jobs with its base-year level (``size``), judged against a
    threshold or a claimed interval."""
    return fact.value.unit == "jobs" and bool(fact.size) and (
        (fact.test in ("at_least", "above") and fact.threshold is not None)
        or (fact.test == "within" and fact.claimed is not None))
