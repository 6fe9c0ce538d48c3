"""Registry validation: a bad entry fails at load, naming the claim, the field and the allowed values.

Each test edits one claim's entry in a copy of the real registry (data/claims.toml); checks that
need the data (datasets, SBI codes, regions, years) run against the processed tables in
data/processed (committed with the repository).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.engine.check import tables_for
from analysis.engine.registry import REGISTRY_FILE, RegistryError, load_registry


def edited(tmp_path: Path, claim_id: str, old: str, new: str) -> Path:
    """A copy of the registry with ``old`` replaced by ``new`` inside one claim's entry."""
    text = REGISTRY_FILE.read_text(encoding="utf-8")
    blocks = text.split("\n[[claim]]\n")
    hits = [i for i, b in enumerate(blocks) if b.startswith(f'id = "{claim_id}"')]
    assert len(hits) == 1, f"claim {claim_id} not found once in the registry"
    block = blocks[hits[0]]
    assert old in block, f"{old!r} not in the entry of {claim_id}"
    blocks[hits[0]] = block.replace(old, new, 1)
    path = tmp_path / "claims.toml"
    path.write_text("\n[[claim]]\n".join(blocks), encoding="utf-8")
    return path


def expect(path: Path, *parts: str, data: bool = False) -> str:
    with pytest.raises(RegistryError) as raised:
        load_registry(path, tables_for() if data else None)
    message = str(raised.value)
    for part in parts:
        assert part in message, f"{part!r} missing from: {message}"
    return message


def test_the_registry_as_committed_loads_and_validates_against_the_data():
    registry = load_registry(tables=tables_for())
    assert registry.claims and len(registry.hash) == 64


def test_unknown_kind(tmp_path):
    path = edited(tmp_path, "technical-students", 'kind = "share"', 'kind = "shares"')
    expect(path, "'technical-students'", "check.kind", "'shares'", "'share'", "'change'")


def test_missing_parameter(tmp_path):
    path = edited(tmp_path, "technical-students", "year = 2016\nedition", "edition")
    expect(path, "'technical-students'", "check.reading.year", "missing", "institutions")


def test_misspelt_parameter(tmp_path):
    path = edited(tmp_path, "industry-decline", "base_year = 2010\n", "base_yaer = 2010\n")
    expect(path, "'industry-decline'", "check.reading", "'base_yaer'", "base_year")


def test_misspelt_perturbed_parameter(tmp_path):
    path = edited(tmp_path, "industry-decline", 'param = "end_year"', 'param = "endyear"')
    expect(path, "'industry-decline'", "param", "'endyear'", "end_year")


def test_weights_that_do_not_add_up(tmp_path):
    path = edited(tmp_path, "industry-decline", "weights = [0.6, 0.25, 0.15]",
                  "weights = [0.6, 0.25, 0.25]")
    expect(path, "'industry-decline'", "weights", "add up to 1.1", "add up to 1")


def test_reading_value_missing_from_its_alternatives(tmp_path):
    path = edited(tmp_path, "industry-decline", "values = [2010, 2011, 2012]",
                  "values = [2009, 2011, 2012]")
    expect(path, "'industry-decline'", "check.perturb[base_year]", "2010")


def test_unknown_dataset(tmp_path):
    path = edited(tmp_path, "industry-decline", 'table = "83582NED"', 'table = "99999NED"')
    expect(path, "'industry-decline'", "table", "'99999NED'", "'83582NED'", data=True)


def test_unknown_sbi_code(tmp_path):
    path = edited(tmp_path, "htsm-growth", 'set = { sector = "C"', 'set = { sector = "CC"')
    message = expect(path, "'htsm-growth'", "sector", "'CC'", "unknown SBI code", data=True)
    assert "'C'" in message and "'htsm-narrow'" in message  # the allowed codes and code lists


def test_unknown_region(tmp_path):
    path = edited(tmp_path, "technical-students", 'applies_to = ["CR12"]', 'applies_to = ["CR77"]')
    expect(path, "'technical-students'", "check.applies_to", "'CR77'", "'CR12'", data=True)


def test_year_the_data_do_not_have(tmp_path):
    path = edited(tmp_path, "industry-decline", "values = [2015, 2014, 2013, 2016]",
                  "values = [2015, 2014, 1990, 2016]")
    expect(path, "'industry-decline'", "end_year", "1990", "2008-20", data=True)


def test_unknown_published_source(tmp_path):
    path = edited(tmp_path, "htsm-growth", 'values = ["cbs", "ti2016", "ti2017", "ti2018"]',
                  'values = ["cbs", "ti2016", "ti2017", "ti2019"]')
    expect(path, "'htsm-growth'", "source", "'ti2019'", "'ti2018'", data=True)


def test_registry_hash_changes_with_the_plan(tmp_path):
    same = tmp_path / "same.toml"
    same.write_bytes(REGISTRY_FILE.read_bytes())
    changed = edited(tmp_path, "industry-decline", "threshold = 5.0", "threshold = 3.0")
    assert load_registry(same).hash == load_registry(REGISTRY_FILE).hash
    assert load_registry(changed).hash != load_registry(REGISTRY_FILE).hash


def test_unknown_release(tmp_path):
    path = edited(tmp_path, "htsm-growth", 'values = ["newest", "oldest"]', 'values = ["newest", "1999-01-01"]')
    expect(path, "'htsm-growth'", "vintage", "'1999-01-01'", "'85918NED'", data=True)
