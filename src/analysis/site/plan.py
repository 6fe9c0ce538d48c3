"""What a report build runs: one page per claim in the registry, plus the overview and "after 2017".

The build executes the generic claim notebook (``notebooks/claim.py``) once per claim in the claim
registry, with the notebook parameters of the report contract (claim_id, region, base_year,
end_year, comparator, results_dir, site_dir, page_stem), and the two background notebooks with
the same parameters minus claim_id. A new registry entry therefore gets its page, its card and its
league column without any other file touched.

Everything here runs on every build, also when nothing changed, so it reads the registry with
tomllib and the notebooks as text (no pandas, jupytext or engine imports): the no-change rebuild
stays a matter of hashing files.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.processing.validate import verify_checksum
from analysis.report.claimtexts import institutions_in
from analysis.report.parameters import DEFAULT_REGION, BuildParameters

CLAIM_NOTEBOOK = "claim.py"
# (page stem, notebook file, what of the registry it depends on) of the pages that are not one claim
# each, in reading order: the data overview shows the institutions the claims name, "after 2017"
# every claim (so a changed claim reruns its own page and "after 2017", not the overview).
BACKGROUND_PAGES: tuple[tuple[str, str, str], ...] = (("overview", "00_data_overview.py", "institutions"),
                                                      ("after-2017", "05_after_2017.py", "registry"))
STATE_VERSION = 3  # bump when the page layout changes in a way the fingerprints do not see
REGISTRY_ENV = "TWENTE_CLAIMS_REGISTRY"  # another claim registry (tests, forks); kernels inherit it
CLAIM_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
REQUIRED_PARAMETERS = ("region", "base_year", "end_year", "comparator", "results_dir", "site_dir",
                       "page_stem")
# Inputs that can change a page besides the notebook itself (the package's own code and data files).
PACKAGE_SUFFIXES = (".py", ".toml", ".csv", ".css", ".js", ".j2", ".html")
PROCESSED_SUFFIXES = (".csv", ".json")
CODE_DIR = paths.PACKAGE_DIR  # whose files count as "the code" in a fingerprint (tests point it elsewhere)


# --------------------------------------------------------------------------------------------
# The claim registry


def registry_path() -> Path:
    """The claim registry: ``$TWENTE_CLAIMS_REGISTRY`` if set, else the package's claims.toml."""
    env = os.environ.get(REGISTRY_ENV)
    return Path(env).resolve() if env else paths.PACKAGE_DATA / "claims.toml"


@dataclass(frozen=True)
class RegisteredClaim:
    claim_id: str
    order: int
    fingerprint: str = ""  # of this claim's entry and the registry's shared parts (not the other claims)
    region: str = DEFAULT_REGION  # the region the claim is about (its own, else [meta] region)


def read_registry(registry: Path) -> dict[str, Any]:
    """The registry file parsed (RuntimeError naming the file and the way out)."""
    try:
        with registry.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise RuntimeError(f"claim registry {registry} not found (set {REGISTRY_ENV} to another one, "
                           "or restore src/analysis/data/claims.toml)") from None
    except tomllib.TOMLDecodeError as error:
        raise RuntimeError(f"claim registry {registry} is not valid TOML: {error}") from None


def registered_claims(registry: Path | None = None, data: Mapping[str, Any] | None = None) -> list[RegisteredClaim]:
    """The claims of the registry in their order (``order``, then file order); ``data``: the file
    already parsed (:func:`read_registry`)."""
    registry = registry or registry_path()
    data = data if data is not None else read_registry(registry)
    shared = json.dumps({key: value for key, value in data.items() if key != "claim"}, sort_keys=True, default=str)
    claims = []
    for position, entry in enumerate(data.get("claim", [])):
        claim_id = str(entry.get("id", ""))
        if not CLAIM_ID_PATTERN.match(claim_id):
            raise RuntimeError(f"claim registry {registry}: claim number {position + 1} has id "
                               f"{claim_id!r}; an id is lower-case letters, digits, '-' and '_' "
                               "(it becomes the page name claim-<id>.html)")
        own = hashlib.sha256((shared + json.dumps(entry, sort_keys=True, default=str)).encode()).hexdigest()
        region = str(entry.get("region") or data.get("meta", {}).get("region") or DEFAULT_REGION)
        claims.append((entry.get("order", position + 1), position, claim_id, own, region))
    ids = [claim_id for _order, _position, claim_id, _own, _region in claims]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RuntimeError(f"claim registry {registry}: id(s) {', '.join(duplicates)} appear twice")
    return [RegisteredClaim(claim_id, int(order), own, region)
            for order, _position, claim_id, own, region in sorted(claims)]


# --------------------------------------------------------------------------------------------
# Parameters of a build


def corop_regions(jobs_csv: Path | None = None) -> dict[str, str]:
    """COROP code -> name (CR01-CR40) as found in the processed jobs table."""
    jobs_csv = jobs_csv or paths.processed_dir() / "jobs.csv"
    if not jobs_csv.exists():
        raise RuntimeError(f"{jobs_csv} is missing: build the processed data first "
                           "(python -m analysis fetch && python -m analysis build)")
    # The csv module, not pandas: this runs on every build, also when nothing changed. Hence only
    # the cheap check here (sha256 against the manifest); the notebooks load through the full one.
    verify_checksum(jobs_csv)
    corop = re.compile(r"CR(0[1-9]|[1-3]\d|40)")
    with open(jobs_csv, newline="", encoding="utf-8") as handle:
        regions = {row["region_code"]: row["region_name"] for row in csv.DictReader(handle)
                   if corop.fullmatch(row["region_code"])}
    return dict(sorted(regions.items()))


def data_years(jobs_csv: Path | None = None) -> list[int]:
    """The years the processed jobs table has."""
    jobs_csv = jobs_csv or paths.processed_dir() / "jobs.csv"
    with open(jobs_csv, newline="", encoding="utf-8") as handle:
        return sorted({int(row["year"]) for row in csv.DictReader(handle) if row.get("year", "").isdigit()})


def _choices(values: list[str], per_line: int = 1) -> str:
    return "\n".join("  " + "  ".join(values[i:i + per_line]) for i in range(0, len(values), per_line))


def validate_parameters(region: str | None, base_year: int | str | None = None, end_year: int | str | None = None,
                        comparator: str | None = None, regions: Mapping[str, str] | None = None,
                        years: list[int] | None = None) -> BuildParameters:
    """Checked parameters, or ValueError naming the bad value and listing the valid choices."""
    regions = regions if regions is not None else corop_regions()
    code = (region or DEFAULT_REGION).strip().upper()
    if code not in regions:
        listing = _choices([f"{c}  {n}" for c, n in regions.items()])
        raise ValueError(f"unknown region {region!r}: use a COROP code present in data/processed/jobs.csv:\n{listing}")
    known_years = years if years is not None else (data_years() if base_year or end_year else [])

    def year(name: str, value: int | str | None) -> int | None:
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        if not text.isdigit() or int(text) not in known_years:
            raise ValueError(f"unknown {name} {str(value)!r}: use a year the processed data have: "
                             f"{', '.join(str(y) for y in known_years)}")
        return int(text)

    base, end = year("base year", base_year), year("end year", end_year)
    if base is not None and end is not None and base >= end:
        raise ValueError(f"base year {base} is not before end year {end}: choose a base year before the end year "
                         f"(years in the data: {known_years[0]}-{known_years[-1]})")
    compare = None
    if comparator is not None and str(comparator).strip():
        # The vocabulary `check` shares (the comparators the engine computes); imported here, as
        # the only engine module this file needs and only when a comparator is given.
        from analysis.engine.overrides import comparator_choice

        compare = comparator_choice(comparator)
    return BuildParameters(code, regions[code], base, end, compare)


def output_dir(parameters: BuildParameters) -> Path:
    """reports/ for Twente with the registry's reading, reports/<folder>/ otherwise."""
    folder = parameters.folder_name()
    return paths.reports_dir() / folder if folder else paths.reports_dir()


# --------------------------------------------------------------------------------------------
# Notebooks and fingerprints


@dataclass(frozen=True)
class PageJob:
    """One notebook execution: a claim page or a background page."""

    stem: str  # page file name without .html: claim-<id>, overview, after-2017
    notebook: Path
    parameters: dict[str, Any]  # what papermill injects (results_dir and site_dir filled in at run time)
    fingerprint: str
    claim_id: str = ""
    order: int = 0

    @property
    def page(self) -> str:
        return f"{self.stem}.html"

    @property
    def label(self) -> str:
        return self.page


def declared_parameters(path: Path) -> dict[str, Any]:
    """Names (and literal defaults) assigned in the notebook's ``parameters`` cell."""
    # Read the percent format directly: importing jupytext costs over a second, and this runs on
    # every build, also when nothing changed.
    cells = _parameter_cells(path.read_text(encoding="utf-8"))
    if len(cells) != 1:
        raise ValueError(f"{path.name}: needs exactly one cell tagged parameters "
                         f'(# %% tags=["parameters"]), found {len(cells)}')
    declared: dict[str, Any] = {}
    for node in ast.parse(cells[0]).body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    declared[target.id] = ast.literal_eval(node.value) if node.value is not None else None
                except ValueError:
                    declared[target.id] = None
    return declared


def _require(path: Path, declared: Mapping[str, Any], names: tuple[str, ...]) -> None:
    missing = [name for name in names if name not in declared]
    if missing:
        raise ValueError(f"{path.name}: the parameters cell must declare {', '.join(missing)} "
                         "(the report contract's notebook parameters)")


_CELL_MARKER = re.compile(r"^# %%(.*)$")


def _parameter_cells(text: str) -> list[str]:
    """Sources of the jupytext percent cells whose marker line carries the ``parameters`` tag."""
    cells: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        marker = _CELL_MARKER.match(line)
        if marker:
            if current is not None:
                cells.append("\n".join(current))
            current = [] if re.search(r"tags\s*=\s*\[[^\]]*[\"']parameters[\"']", marker.group(1)) else None
        elif current is not None:
            current.append(line)
    if current is not None:
        cells.append("\n".join(current))
    return cells


def _hash_files(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_fingerprint() -> str:
    """Hash of the processed tables and their manifest (dot files, e.g. a publish journal, excluded)."""
    processed = paths.processed_dir()
    files = [p for p in processed.glob("*") if p.is_file() and p.suffix in PROCESSED_SUFFIXES
             and not p.name.startswith(".")]
    return _hash_files(files, processed)


def inputs_fingerprint(code_dir: Path | None = None) -> str:
    """Hash of the processed data and the package's code, data files and templates.

    The claim registry is hashed per page: a claim page depends on its own entry and the shared
    parts of the registry, a background page on all of it (so adding a claim reruns only the new
    claim's page and the background pages)."""
    code_dir = code_dir or CODE_DIR
    code_files = [p for p in code_dir.rglob("*") if p.is_file() and p.suffix in PACKAGE_SUFFIXES
                  and "__pycache__" not in p.parts and not p.name.startswith(".")
                  and p.resolve() != (paths.PACKAGE_DATA / "claims.toml").resolve()]
    return hashlib.sha256((data_fingerprint() + _hash_files(code_files, code_dir)).encode()).hexdigest()


def _fingerprint(notebook: Path, parameters: Mapping[str, Any], shared: str) -> str:
    return hashlib.sha256(json.dumps({
        "state_version": STATE_VERSION, "notebook": file_hash(notebook), "parameters": dict(parameters),
        "inputs": shared}, sort_keys=True).encode()).hexdigest()


def plan_pages(parameters: BuildParameters, registry: Path | None = None,
               notebooks: Path | None = None, inputs: str | None = None) -> tuple[list[PageJob], str]:
    """One job per claim in the registry plus the background pages, and the shared inputs' fingerprint.
    ``inputs``: :func:`inputs_fingerprint` if already computed (an atlas hashes once for 40 regions)."""
    registry = registry or registry_path()
    notebooks = notebooks or paths.notebooks_dir()
    data = read_registry(registry)
    claims = registered_claims(registry, data)
    inputs = inputs or inputs_fingerprint()
    shared = hashlib.sha256((inputs + file_hash(registry)).encode()).hexdigest()  # the whole registry
    institutions = institutions_in(data)
    depends = {"registry": shared,
               "institutions": hashlib.sha256((inputs + json.dumps(institutions)).encode()).hexdigest()}
    base = parameters.notebook_parameters()
    claim_notebook = notebooks / CLAIM_NOTEBOOK
    missing = [name for name in (CLAIM_NOTEBOOK, *(file for _stem, file, _on in BACKGROUND_PAGES))
               if not (notebooks / name).exists()]
    if missing:
        raise RuntimeError(f"notebook(s) {', '.join(missing)} missing in {notebooks}: the report runs "
                           f"{CLAIM_NOTEBOOK} once per registered claim plus "
                           f"{' and '.join(file for _stem, file, _on in BACKGROUND_PAGES)}")
    _require(claim_notebook, declared_parameters(claim_notebook), ("claim_id", *REQUIRED_PARAMETERS))
    jobs: list[PageJob] = []
    first, *rest = BACKGROUND_PAGES
    for stem, file, on in (first,):
        jobs.append(_background_job(notebooks / file, stem, base, depends[on]))
    for claim in claims:
        stem = f"claim-{claim.claim_id}"
        job_parameters = {"claim_id": claim.claim_id, **base}
        if parameters.region == DEFAULT_REGION:  # the default report: each claim for its own region
            job_parameters["region"] = claim.region
        jobs.append(PageJob(stem=stem, notebook=claim_notebook,
                            parameters={**job_parameters, "results_dir": "", "site_dir": "", "page_stem": stem},
                            fingerprint=_fingerprint(claim_notebook, job_parameters, inputs + claim.fingerprint),
                            claim_id=claim.claim_id, order=claim.order))
    for stem, file, on in rest:
        jobs.append(_background_job(notebooks / file, stem, base, depends[on]))
    return jobs, shared


def _background_job(notebook: Path, stem: str, base: Mapping[str, Any], shared: str) -> PageJob:
    _require(notebook, declared_parameters(notebook), REQUIRED_PARAMETERS)
    return PageJob(stem=stem, notebook=notebook,
                   parameters={**base, "results_dir": "", "site_dir": "", "page_stem": stem},
                   fingerprint=_fingerprint(notebook, base, shared))


# Modules that read the claim registry from a module constant ``REGISTRY_FILE`` by default.
REGISTRY_READERS = ("analysis.engine.registry", "analysis.report.claimpage")


def apply_registry_override() -> Path | None:
    """In a notebook kernel of a build with another registry (``$TWENTE_CLAIMS_REGISTRY``): make
    the registry readers' default that file. The build inserts a hidden cell calling this first."""
    import importlib

    env = os.environ.get(REGISTRY_ENV)
    if not env:
        return None
    for name in REGISTRY_READERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "REGISTRY_FILE"):
            module.REGISTRY_FILE = Path(env)
    return Path(env)
