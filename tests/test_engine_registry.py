"""Registry validation (v3, docs/registry.md): a bad entry fails at load, naming the claim, the
field path and the fix; nothing is coerced, no unknown key passes.

Each test edits one claim's entry in a copy of the real registry (data/claims.toml); checks that
need the data (datasets, SBI codes, regions, years) run against the processed tables in
data/processed (committed with the repository).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
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
    expect(path, "'technical-students'", "check.kind", "'shares'", "did you mean 'share'?", "'change'")


def test_missing_parameter(tmp_path):
    path = edited(tmp_path, "technical-students", "year = 2016\nedition", "edition")
    expect(path, "'technical-students'", "check.reading.year", "missing", "institutions")


def test_misspelt_parameter(tmp_path):
    path = edited(tmp_path, "industry-decline", "base_year = 2010\n", "base_yaer = 2010\n")
    expect(path, "'industry-decline'", "field check.reading.base_yaer", "did you mean 'base_year'?")


def test_misspelt_perturbed_parameter(tmp_path):
    path = edited(tmp_path, "industry-decline", 'param = "end_year"', 'param = "endyear"')
    expect(path, "'industry-decline'", "check.perturb[2].param", "'endyear'", "did you mean 'end_year'?")


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


def test_unknown_region_names_the_closest_code(tmp_path):
    # a typo of a region code (the data hold CR01-CR40) is refused, not checked as "undecidable"
    path = edited(tmp_path, "technical-students", 'publication = "techniekpact-2017"',
                  'publication = "techniekpact-2017"\nregion = "CR41"')
    expect(path, "'technical-students'", "field region", "unknown region 'CR41'", "did you mean",
           "'CR12'", data=True)


def test_year_the_data_do_not_have(tmp_path):
    path = edited(tmp_path, "industry-decline", "values = [2015, 2014, 2013, 2016]",
                  "values = [2015, 2014, 1990, 2016]")
    expect(path, "'industry-decline'", "end_year", "1990", "83582NED", "2010-2024", data=True)


def test_years_are_checked_against_the_claims_own_table(tmp_path):
    # 81402ned holds 2008-2010 only; 2015 is in other tables (the union would let it pass)
    path = edited(tmp_path, "industry-decline", 'table = "83582NED"\nnation = "83583NED"',
                  'table = "81402ned"\nnation = "83583NED"')
    expect(path, "'industry-decline'", "base_year", "2011", "81402ned", "2008-2010", data=True)


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


# --- v3: wrong types are refused, never coerced --------------------------------------------------


@pytest.mark.parametrize(("claim_id", "old", "new", "field", "words"), [
    ("industry-decline", "threshold = 5.0", 'threshold = "5.0"', "check.reading.threshold",
     "without quotes"),
    ("industry-decline", "base_year = 2010\nend_year", 'base_year = "2010"\nend_year',
     "check.reading.base_year", "without quotes"),
    ("technical-students", "claimed = { value = 36,", 'claimed = { value = "36",', "check.claimed.value",
     "without quotes"),
    ("industry-decline", "order = 1", 'order = "one"', "field order", "expected an integer"),
    ("industry-decline", "weights = [0.6, 0.25, 0.15]", 'weights = [0.6, "0.25", 0.15]',
     "check.perturb[1].weights[2]", "expected a number"),
    ("technical-students", 'institutions = ["23AH", "21PH"]', 'institutions = "23AH"',
     "check.reading.institutions", "a list of texts"),
])
def test_wrong_types_are_refused(tmp_path, claim_id, old, new, field, words):
    expect(edited(tmp_path, claim_id, old, new), f"'{claim_id}'", field, words)


def test_latest_only_in_ex_post(tmp_path):
    path = edited(tmp_path, "industry-decline", "end_year = 2015\ncomparator", 'end_year = "latest"\ncomparator')
    expect(path, "'industry-decline'", "check.reading.end_year", "only in [claim.check.ex_post]")
    assert load_registry(REGISTRY_FILE).claim("industry-decline").ex_post == {"end_year": "latest"}


# --- v3: unknown keys anywhere, with the closest valid key -----------------------------------------


@pytest.mark.parametrize(("claim_id", "old", "new", "field", "meant"), [
    ("industry-decline", "[claim.trends]", '[claim.source]\ndaet = "2017-10-18"\n\n[claim.trends]',
     "source.daet", "date"),
    ("industry-decline", "title_en =", "titel_en =", "field titel_en", "title_en"),
    ("industry-decline", "label_nl = \"Nederland als som", "lable_nl = \"Nederland als som",
     "check.context[1].lable_nl", "label_nl"),
    ("industry-decline", "kind = ", "knd = ", "check.knd", "kind"),
    ("htsm-growth", "region_level = ", "region_levl = ", "check.sources.ti2016.region_levl", "region_level"),
    ("industry-decline", 'param = "threshold"', 'parm = "threshold"', "check.perturb[5].parm", "param"),
    ("industry-decline", "first_year = 2010", "frist_year = 2010", "trends.frist_year", "first_year"),
    ("industry-decline", 'alternative = "less"', 'alternatve = "less"', "placebo.alternatve", "alternative"),
])
def test_unknown_keys_name_the_closest_valid_key(tmp_path, claim_id, old, new, field, meant):
    expect(edited(tmp_path, claim_id, old, new), f"'{claim_id}'", f"{field}: unknown key",
           f"did you mean {meant!r}?")


def test_unknown_meta_key(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text(REGISTRY_FILE.read_text(encoding="utf-8").replace('region = "CR12"  #', 'regoin = "CR12"  #', 1),
                    encoding="utf-8")
    with pytest.raises(RegistryError, match=r"registry, field meta.regoin: unknown key; did you mean 'region'\?"):
        load_registry(path)


# --- v3: values with a fixed vocabulary ---------------------------------------------------------


def test_comparator_typo_is_refused_not_undecidable(tmp_path):
    path = edited(tmp_path, "industry-decline", 'comparator = "nation"\nthreshold', 'comparator = "CR41"\nthreshold')
    expect(path, "'industry-decline'", "check.reading.comparator", "unknown comparator 'CR41'",
           "'nation', 'nation_minus_region'")
    path = edited(tmp_path, "tech-sector-growth", 'values = ["nation_minus_region", "nation"]',
                  'values = ["nation_minus_regoin", "nation"]')
    expect(path, "'tech-sector-growth'", "check.perturb[5].values", "did you mean 'nation_minus_region'?")


def test_relation_and_tense_vocabularies(tmp_path):
    path = edited(tmp_path, "industry-decline", 'relation = "both_fall"', 'relation = "both_falls"')
    expect(path, "'industry-decline'", "check.relation", "did you mean 'both_fall'?")
    path = edited(tmp_path, "technical-students", 'tense = "present"', 'tense = "now"')
    expect(path, "'technical-students'", "check.tense", "'now' is not allowed", "'past'", "'present'")


# --- v3: source, date, publication, region -------------------------------------------------------


def test_a_claim_without_source_or_publication_is_refused(tmp_path):
    path = edited(tmp_path, "industry-decline", 'publication = "techniekpact-2017"\n', "")
    expect(path, "'industry-decline'", "source.publisher", "missing", "publication")


def test_unknown_publication(tmp_path):
    path = edited(tmp_path, "industry-decline", 'publication = "techniekpact-2017"',
                  'publication = "techniekpact-2071"')
    expect(path, "'industry-decline'", "field publication", "did you mean 'techniekpact-2017'?")


def test_a_source_date_that_is_not_a_date(tmp_path):
    path = edited(tmp_path, "industry-decline", "[claim.trends]",
                  '[claim.source]\ndate = "18 oktober 2017"\n\n[claim.trends]')
    expect(path, "'industry-decline'", "source.date", "YYYY-MM-DD")


def test_the_claims_own_source_overrides_its_publication(tmp_path):
    path = edited(tmp_path, "industry-decline", "[claim.trends]",
                  '[claim.source]\ndate = 2025-03-01\npublisher = "Provincie Overijssel"\n\n[claim.trends]')
    path.write_text(path.read_text(encoding="utf-8").replace(
        'id = "industry-decline"\n', 'id = "industry-decline"\nregion = "PV23"\n', 1), encoding="utf-8")
    claim = load_registry(path, tables_for()).claim("industry-decline")
    assert claim.date.isoformat() == "2025-03-01" and claim.region == "PV23"
    assert claim.source["publisher"] == "Provincie Overijssel"
    assert claim.source["title"] == "Techniekpact Twente: wat is dat?"  # from the publication


def test_the_shipped_registry_in_v3():
    registry = load_registry()
    assert {c.region for c in registry.claims.values()} == {"CR12"}
    assert {c.date.isoformat() for c in registry.claims.values()} == {"2017-10-18"}
    assert {c.publication for c in registry.claims.values()} == {"techniekpact-2017"}
    assert all(c.titles.get("nl") and c.titles.get("en") for c in registry.claims.values())
    # kinds about named institutions or an unmeasured fact apply to their own region only
    assert {c.id: c.applies_to for c in registry.claims.values() if c.applies_to} == {
        "technical-students": ("CR12",), "participation": ("CR12",)}
    assert registry.first_claim == "industry-decline"  # order = 1


def test_the_examples_of_docs_registry_load(tmp_path):
    text = (paths.project_root() / "docs" / "registry.md").read_text(encoding="utf-8")
    block = text.split("<!-- registry-example:start -->", 1)[1].split("<!-- registry-example:end -->")[0]
    entries = block.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "claims.toml"
    path.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + "\n" + entries, encoding="utf-8")
    registry = load_registry(path, tables_for())
    assert registry.claim("care-rise").date.isoformat() == "2016-11-01"
    assert registry.claim("care-rise").region == "CR12"  # the [meta] default
    assert registry.claim("gelderland-care-faster").region == "PV25"


def test_kinds_import_no_private_helper_of_the_registry():
    import ast

    for file in sorted((paths.PACKAGE_DIR / "engine" / "kinds").glob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "analysis.engine.registry":
                names = [alias.name for alias in node.names]
                assert not [n for n in names if n.startswith("_")], f"{file.name} imports {names}"
                assert set(names) <= {"Claim", "Registry"}, f"{file.name} imports {names} from the registry"


@pytest.mark.parametrize(("old", "new", "field", "instead"), [
    ('kind = "change_vs_comparator"', 'kind = "change_vs_comparator"\ndate = "2017-10-18"', "check.date",
     "[claim.source] date"),
    ('kind = "change_vs_comparator"', 'kind = "change_vs_comparator"\nregion_specific = true',
     "check.region_specific", "region ="),
    ("title_en =", "title =", "field title", "title_en"),
])
def test_a_v2_key_says_what_replaced_it(tmp_path, old, new, field, instead):
    expect(edited(tmp_path, "industry-decline", old, new), "'industry-decline'", field, "registry v2", instead)


def test_a_v2_meta_says_what_replaced_it(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text(REGISTRY_FILE.read_text(encoding="utf-8").replace(
        'region = "CR12"  #', 'focal_region = "CR12"\nregion = "CR12"  #', 1), encoding="utf-8")
    with pytest.raises(RegistryError, match=r"registry, field meta.focal_region: a key of registry v2; in v3: "
                                            r"\[meta\] region"):
        load_registry(path)
