"""The registry reference's examples (docs/registry.md, which the README links for "Adding a
claim") are valid v3 entries: every kind has one, each loads, validates against the processed data
and is checked, so the documentation cannot drift from the engine."""

from __future__ import annotations

import re

from analysis import paths
from analysis.engine.check import check, tables_for
from analysis.engine.registry import REGISTRY_FILE, load_registry
from analysis.engine.result import VERDICT_CODES

DOC = paths.project_root() / "docs" / "registry.md"


def toml_blocks() -> list[str]:
    section = DOC.read_text(encoding="utf-8").split("## One example per kind", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```toml\n(.*?)```", section, re.DOTALL)


def examples(block: str) -> list[tuple[str, str]]:
    """(kind, text) per example: each starts with a comment line ``# <kind>: ...``."""
    found = []
    for chunk in re.split(r"\n(?=# [a-z_]+: )", "\n" + block):
        chunk = chunk.strip()
        if chunk:
            found.append((re.match(r"# ([a-z_]+): ", chunk).group(1), chunk))
    return found


def test_every_kind_has_an_example_and_each_checks(tmp_path):
    from analysis.engine.kinds import KINDS

    complete, fragments = toml_blocks()
    entries, ids = [], []
    for kind, chunk in examples(complete):
        claim_id = re.search(r'^id = "([^"]+)"', chunk, re.MULTILINE).group(1)
        entries.append("\n" + chunk + "\n")
        ids.append((kind, claim_id))
    for number, (kind, chunk) in enumerate(examples(fragments)):
        claim_id = f"doc-{number}-{kind.replace('_', '-')}"
        entries.append(f'\n[[claim]]\nid = "{claim_id}"\npublication = "techniekpact-2017"\n'
                       f'text_nl = "voorbeeld"\ntext_en = "example"\n{chunk}\n')
        ids.append((kind, claim_id))
    assert {kind for kind, _ in ids} == set(KINDS), "docs/registry.md needs one example per kind"
    registry = tmp_path / "claims.toml"
    registry.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + "".join(entries), encoding="utf-8")
    loaded = load_registry(registry, tables_for())
    for kind, claim_id in ids:
        assert loaded.claim(claim_id).kind == kind
        result = check(claim_id, registry=registry)  # each for its own region
        assert result.region == loaded.claim(claim_id).region
        assert result.verdict in VERDICT_CODES and result.verdict_reason.render("en")
