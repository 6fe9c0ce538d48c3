"""The controls of the notebook ``notebooks/try_a_claim.py``: paste a sentence, see the reader's reading,
change it, see the verdict, the deciding fact and the specification curve change; write the entry.

:class:`ClaimTryout` builds ipywidgets controls, reads the sentence with the reader's public entry
points (:func:`analysis.reader.candidates.read_sentence`, :func:`analysis.reader.entry.build_entry`,
:func:`analysis.reader.entry.check_entry`, :func:`analysis.reader.toml_writer.append_entry`) and
renders the result, in one language, into an ``ipywidgets.Output``. The output is set as one HTML
display (its ``outputs`` trait; the HTML from :mod:`.tryout_html`), not printed inside ``with output:``, so that the same object works in
JupyterLab and headless in a test (``tryout.region.value = "CR15"`` runs the callback; ``tryout.html``
is what the output shows).

Which controls apply follows from the entry the reader builds, not from a list of kinds: a control
is enabled when the entry has its parameter (``region``, ``check.reading.sector``, ``base_year`` ...;
the threshold where the engine kind declares one and the relation is not a claimed value). A value
chosen by hand goes back into the reading (``dataclasses.replace``) and the reader builds the entry
again, so the entry is always one the reader would write.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from analysis import paths
from analysis.i18n import LANGUAGES, Text, render
from analysis.reader import tryout_html

SERIES_TABLE = "83582NED"  # the engine's default jobs table of a series reading
READING_FIELDS = ("region", "sector", "base_year", "end_year", "year", "comparator")
COMPARATORS = ("nation", "nation_minus_region")


@dataclass(frozen=True)
class DataOptions:
    """What the controls offer: regions, sectors and years of the processed data."""

    regions: dict[str, str]  # code -> name (nation, landsdelen, provinces, COROP regions)
    sectors: dict[str, str]  # SBI code or sector list -> label
    job_years: list[int]
    student_years: list[int]


@cache
def data_options(data_dir: Path | None = None) -> DataOptions:
    from analysis.engine.check import tables_for
    from analysis.engine.registry import claim_regions
    from analysis.reader.entry import shipped_meta

    folder = Path(data_dir) if data_dir else paths.processed_dir()
    jobs = pd.read_csv(folder / "jobs.csv", usecols=["source_table", "sbi_code", "sbi_label", "year"], dtype=str)
    jobs = jobs[jobs["source_table"] == SERIES_TABLE]
    sectors = dict(jobs[["sbi_code", "sbi_label"]].drop_duplicates("sbi_code").itertuples(index=False))
    sectors.update({name: table.get("label_nl", name) for name, table in shipped_meta().get("sector_lists", {}).items()})
    students = pd.read_csv(folder / "enrolment.csv", usecols=["year"])
    return DataOptions(regions=claim_regions(tables_for(data_dir)), sectors=sectors,
                       job_years=sorted({int(y) for y in jobs["year"]}),
                       student_years=sorted({int(y) for y in students["year"]}))


def _options(values: dict[Any, str], current: Any) -> list[tuple[str, Any]]:
    """Dropdown options ``(label, value)``; the reader's value is kept even when the data lack it
    (the check then says why it cannot be used, rather than the control changing it silently)."""
    options = [(label, value) for value, label in values.items()]
    if current is not None and current not in values:
        options.insert(0, (str(current), current))
    return options


def neighbour_perturbations(reading: dict[str, Any], years: list[int]) -> list[dict[str, Any]]:
    """``[[claim.check.perturb]]`` tables: each year parameter also one year earlier and later
    (where the data have that year and the period stays at least one year long). The reading's own
    value weighs one half, the neighbours share the other half."""
    out = []
    for param in ("base_year", "end_year", "year"):
        own = reading.get(param)
        if not isinstance(own, int):
            continue
        candidates = [own - 1, own, own + 1]
        if param == "base_year" and isinstance(reading.get("end_year"), int):
            candidates = [y for y in candidates if y < reading["end_year"]]
        if param == "end_year" and isinstance(reading.get("base_year"), int):
            candidates = [y for y in candidates if y > reading["base_year"]]
        values = [y for y in candidates if y in years or y == own]
        if len(values) < 2:
            continue
        others = len(values) - 1
        out.append({"param": param, "values": values,
                    "weights": [0.5 if y == own else 0.5 / others for y in values]})
    return out


class ClaimTryout:
    """The controls, their callbacks and the rendered output (see the module docstring)."""

    def __init__(self, sentence: str = "", date: dt.date | str | None = None, *, lang: str = "nl",
                 context: str = "", source_url: str = "", publisher: str = "", title: str = "",
                 registry_path: str | Path = "",
                 data_dir: Path | None = None) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}: pass lang='nl' or lang='en'")
        self.lang, self.data_dir = lang, data_dir
        self.options = data_options(data_dir)
        self.readings: list[Any] = []
        self.entry: dict[str, Any] | None = None
        self.check: Any = None
        self.html, self.status = "", ""
        self._filling = False
        self._scratch = tempfile.TemporaryDirectory(prefix="try-a-claim-")
        self._n = 0
        label = lambda key: render(f"try.control.{key}", lang)
        layout = widgets.Layout(width="95%")
        style = {"description_width": "initial"}
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        self.sentence = widgets.Textarea(value=sentence, description=label("sentence"), layout=layout, style=style)
        self.context = widgets.Text(value=context, description=label("context"), layout=layout, style=style)
        self.date = widgets.DatePicker(value=date or dt.date.today(), description=label("date"), style=style)
        self.source_url = widgets.Text(value=source_url, description=label("source"), layout=layout, style=style,
                                       continuous_update=False)
        self.publisher = widgets.Text(value=publisher, description=label("publisher"), layout=layout, style=style,
                                      continuous_update=False)
        self.title = widgets.Text(value=title, description=label("publication"), layout=layout, style=style,
                                  continuous_update=False)
        self.read_button = widgets.Button(description=label("read"), button_style="primary")
        self.candidate = widgets.Dropdown(description=label("candidate"), style=style, layout=layout)
        self.region = widgets.Dropdown(description=label("region"), style=style)
        self.sector = widgets.Dropdown(description=label("sector"), style=style)
        self.base_year = widgets.Dropdown(description=label("base_year"), style=style)
        self.end_year = widgets.Dropdown(description=label("end_year"), style=style)
        self.year = widgets.Dropdown(description=label("year"), style=style)
        self.comparator = widgets.Dropdown(description=label("comparator"), style=style, options=[
            (render(f"engine.value.comparator.{c}", lang), c) for c in COMPARATORS])
        self.threshold = widgets.FloatText(value=0.0, step=0.5, description=label("threshold"), style=style)
        self.neighbours = widgets.Checkbox(value=True, description=label("neighbours"), style=style)
        self.registry_path = widgets.Text(value=str(registry_path or paths.project_root() / "my_claims.toml"),
                                          description=label("registry"), layout=layout, style=style)
        self.write_button = widgets.Button(description=label("write"), icon="save")
        self.output = widgets.Output()
        self.write_output = widgets.Output()
        self.read_button.on_click(self.read)
        self.write_button.on_click(self.write)
        self.candidate.observe(self._on_candidate, names="value")
        for control in (self.region, self.sector, self.base_year, self.end_year, self.year, self.comparator,
                        self.threshold, self.neighbours):
            control.observe(self.update, names="value")
        for control in (self.source_url, self.publisher, self.title):  # the entry's source, not the verdict
            control.observe(self.update, names="value")
        self.date.observe(self._on_date, names="value")  # the date sets the default period: read again
        if sentence.strip():
            self.read()
        else:
            self._show(self.output, f"<p>{escape(render('try.empty', lang))}</p>")

    # --- layout ---------------------------------------------------------------------------------------

    def widget(self) -> widgets.VBox:
        """Everything, top to bottom: the sentence, the reading's controls, the output, the writing."""
        row = widgets.HBox
        return widgets.VBox([
            widgets.HTML(f"<h2>{escape(render('try.title', self.lang))}</h2>"
                         f"<p>{escape(render('try.intro', self.lang))}</p>"),
            self.sentence, self.context, row([self.date, self.read_button]), self.source_url, self.publisher,
            self.title, self.candidate,
            row([self.region, self.sector]), row([self.base_year, self.end_year, self.year]),
            row([self.comparator, self.threshold, self.neighbours]), self.output,
            row([self.registry_path, self.write_button]), self.write_output])

    # --- callbacks ------------------------------------------------------------------------------------

    def read(self, _: Any = None) -> None:
        """Read the sentence; the candidates go into the reading control, the best one is shown."""
        from analysis.reader.candidates import read_sentence

        self.readings = read_sentence(self.sentence.value, self.context.value, self._date(), self.data_dir)
        self._filling = True
        try:
            self.candidate.options = [(render("try.candidate", self.lang, n=n, score=f"{r.score:.2f}",
                                              kind=tryout_html.kind_words(r.kind, self.lang)), n - 1)
                                      for n, r in enumerate(self.readings, 1)]
            self.candidate.value = 0
        finally:
            self._filling = False
        self._fill()
        self.update()

    def _on_date(self, _: Any = None) -> None:
        if self.readings:
            self.read()

    def _on_candidate(self, _: Any = None) -> None:
        if not self._filling and self.readings:
            self._fill()
            self.update()

    def _date(self) -> dt.date:
        return self.date.value or dt.date.today()  # an emptied date picker: today, as propose does

    @property
    def reading(self) -> Any:
        return self.readings[self.candidate.value] if self.readings and self.candidate.value is not None else None

    def _fill(self) -> None:
        """Set every control to the chosen reading's value; disable those its entry does not have."""
        reading, options = self.reading, self.options
        years = options.student_years if reading.statistic == "students" else options.job_years
        self._filling = True
        try:
            self.region.options = _options(options.regions, reading.region)
            self.region.value = reading.region if reading.region is not None else None
            self.sector.options = _options(options.sectors, reading.sector)
            self.sector.value = reading.sector
            for name in ("base_year", "end_year", "year"):
                control, value = getattr(self, name), getattr(reading, name)
                control.options = _options({y: str(y) for y in years}, value)
                control.value = value
            self.comparator.value = reading.comparator if reading.comparator in COMPARATORS else COMPARATORS[0]
            entry = self._build(reading)
            table = entry["check"].get("reading", {}) if entry else {}
            self.region.disabled = not (entry and "region" in entry)
            for name in ("sector", "base_year", "end_year", "year", "comparator"):
                getattr(self, name).disabled = name not in table
            threshold = self._threshold_default(entry)
            self.threshold.disabled = threshold is None
            self.threshold.value = threshold or 0.0
        finally:
            self._filling = False

    def _threshold_default(self, entry: dict[str, Any] | None) -> float | None:
        """The entry's threshold, or the kind's default; None where the kind has none (or a claimed
        value decides instead)."""
        from analysis.engine.kinds import KINDS

        if entry is None or entry["check"].get("relation") == "value":
            return None
        kind = KINDS.get(entry["check"]["kind"])
        params = getattr(kind, "PARAMS", {})
        if "threshold" not in params:
            return None
        return float(entry["check"].get("reading", {}).get("threshold", params["threshold"]["default"] or 0.0))

    def _build(self, reading: Any, taken: set[str] = frozenset()) -> dict[str, Any] | None:
        from analysis.reader.entry import NotCheckable, build_entry

        try:
            return build_entry(reading, self.sentence.value, self._date(), url=self.source_url.value.strip(),
                               publisher=self.publisher.value.strip() or None,
                               title=self.title.value.strip() or None, taken=taken,
                               data_dir=self.data_dir)
        except NotCheckable:
            return None

    def current_entry(self, taken: set[str] = frozenset()) -> dict[str, Any] | None:
        """The entry of the chosen reading with the controls' values (None: not checkable)."""
        reading = self.reading
        if reading is None:
            return None
        changed = {name: getattr(self, name).value for name in READING_FIELDS if not getattr(self, name).disabled}
        entry = self._build(replace(reading, **changed), taken)
        if entry is None:
            return None
        if not self.threshold.disabled:
            entry["check"].setdefault("reading", {})["threshold"] = float(self.threshold.value)
        if self.neighbours.value:
            years = self.options.student_years if reading.statistic == "students" else self.options.job_years
            own = {p["param"] for p in entry["check"].get("perturb", [])}
            extra = [p for p in neighbour_perturbations(entry["check"].get("reading", {}), years)
                     if p["param"] not in own]
            if extra:
                entry["check"]["perturb"] = [*entry["check"].get("perturb", []), *extra]
        return entry

    def update(self, _: Any = None) -> None:
        """Build the entry from the controls, check it, show reading, verdict, why, curve and entry."""
        if self._filling or self.reading is None:
            return
        from analysis.engine.registry_errors import RegistryError
        from analysis.reader.entry import check_entry

        lang, reading = self.lang, self.reading
        parts = [tryout_html.reading_html(reading, self.lang, self.options, self.data_dir)]
        self.entry, self.check = self.current_entry(), None
        if self.entry is None:
            why = reading.note or Text("reader.note.not_checkable", {"kind": reading.kind})
            parts.append(f'<p class="not-checkable">{escape(render("try.not_checkable", lang, reason=why))}</p>')
        else:
            try:
                self.check = check_entry(self.entry, self.data_dir)
            except (RegistryError, ValueError, KeyError) as exc:
                parts.append(f'<p class="not-valid">{escape(render("try.not_valid", lang, reason=str(exc)))}</p>')
            else:
                parts += [tryout_html.verdict_html(self.check, self.lang),
                          tryout_html.curve_html(self.check, self.lang, self._label_registry())]
            parts.append(tryout_html.entry_html(self.entry, self.lang))
        self.html = "".join(parts)
        self._show(self.output, self.html)

    def write(self, _: Any = None) -> None:
        """Add the entry to the registry file in the text box (validated, atomic: the reader's writer)."""
        from analysis.reader.entry import shipped_meta
        from analysis.reader.toml_writer import RegistryWriteError, append_entry

        lang = self.lang
        text = self.registry_path.value.strip()
        path = Path(text).expanduser() if text else None
        try:
            if path is None:
                raise RegistryWriteError(render("try.no_registry_path", lang))
            taken: set[str] = set()
            if path.exists():
                try:
                    taken = {c.get("id") for c in tomllib.loads(path.read_text(encoding="utf-8")).get("claim", [])}
                except tomllib.TOMLDecodeError as exc:
                    raise RegistryWriteError(render("try.unreadable_registry", lang, path=str(path),
                                                    error=str(exc))) from None
            entry = self.current_entry(taken)
            if entry is None:
                why = (self.reading.note if self.reading is not None and self.reading.note else
                       Text("try.empty") if self.reading is None else
                       Text("reader.note.not_checkable", {"kind": self.reading.kind}))
                raise RegistryWriteError(why.render(lang))
            append_entry(path, entry, shipped_meta())
        except RegistryWriteError as exc:
            self.status = render("try.not_written", lang, reason=str(exc))
            self._show(self.write_output, f'<p class="not-written">{escape(self.status)}</p>')
            return
        self.written_id = entry["id"]
        self.status = render("try.written", lang, path=str(path), id=entry["id"])
        self._show(self.write_output, f'<p class="written">{escape(self.status)}</p>')

    # --- rendering ------------------------------------------------------------------------------------

    def _label_registry(self) -> Path:
        """A registry holding only the current entry, for the curve's setting labels (claimtexts
        caches a registry per path: a new file per entry)."""
        from analysis.reader.entry import shipped_meta
        from analysis.reader.toml_writer import dumps_registry

        self._n += 1
        path = Path(self._scratch.name) / f"entry-{self._n}.toml"
        path.write_text(dumps_registry(shipped_meta(), [self.entry]), encoding="utf-8")
        return path

    @staticmethod
    def _show(output: widgets.Output, html: str) -> None:
        output.outputs = ({"output_type": "display_data", "metadata": {},
                           "data": {"text/html": html, "text/plain": "…"}},)
