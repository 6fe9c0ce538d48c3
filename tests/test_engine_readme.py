"""The README's "Adding a claim" examples are valid registry entries: each loads, validates against
the processed data and is checked (so the documentation cannot drift from the engine)."""

from __future__ import annotations

import re

from analysis import paths
from analysis.engine.check import check, tables_for
from analysis.engine.registry import REGISTRY_FILE, load_registry
from analysis.engine.result import VERDICT_CODES


def readme_examples() -> list[tuple[str, str]]:
    text = (paths.project_root() / "README.md").read_text(encoding="utf-8")
    section = text.split("## Adding a claim", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL).group(1)
    chunks = re.split(r"\n(?=# [a-z_]+: )", "\n" + block)
    examples = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        kind = re.match(r"# ([a-z_]+): ", chunk).group(1)
        examples.append((kind, chunk))
    return examples


def test_every_kind_has_an_example_and_each_checks(tmp_path):
    from analysis.engine.kinds import KINDS

    examples = readme_examples()
    assert {kind for kind, _ in examples} == set(KINDS)
    entries = []
    for number, (kind, chunk) in enumerate(examples):
        entries.append(f'\n[[claim]]\nid = "readme-{number}-{kind}"\ntext_nl = "voorbeeld"\n'
                       f'text_en = "example"\n{chunk}\n')
    registry = tmp_path / "claims.toml"
    registry.write_text(REGISTRY_FILE.read_text(encoding="utf-8") + "".join(entries), encoding="utf-8")
    loaded = load_registry(registry, tables_for())
    for number, (kind, _) in enumerate(examples):
        claim_id = f"readme-{number}-{kind}"
        assert loaded.claim(claim_id).kind == kind
        result = check(claim_id, "CR12", registry=registry)
        assert result.verdict in VERDICT_CODES
