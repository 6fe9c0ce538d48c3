"""What the pages show of a dataset (title, licence, partial note) in each edition's language, from the
registry's variants in data/sources.toml (the processed manifest holds one language only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.site.render import vintage_rows
from analysis.sources.registry import load_registry, shown_text

RECORD = '''[[dataset]]
id = "duo-x"
publisher = "DUO"
kind = "http-file"
title = "t"
description = ""
url = ""
page_url = ""
url_status = ""
licence = "l"
attribution = ""
layout = "duo-long"
mirror_path = "x.csv"
required_columns = ["A"]
'''


def test_every_registered_dataset_has_a_dutch_and_an_english_title_and_licence() -> None:
    for source in load_registry().values():
        for lang in ("nl", "en"):
            assert source.shown("title", lang) and source.shown("licence", lang), source.id
            assert bool(source.shown("partial", lang)) == bool(source.partial), source.id


def test_a_dataset_without_language_variants_is_refused_with_the_keys_to_add(tmp_path: Path) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(RECORD + 'title_nl = "t"\ntitle_en = "t"\nlicence_nl = "l"\npartial = "half"\n')
    with pytest.raises(ValueError, match="'duo-x' has no licence_en, partial_nl, partial_en"):
        load_registry(registry)


def test_shown_text_falls_back_to_the_manifest_for_an_unknown_dataset() -> None:
    assert shown_text("duo-wo-2025", "title", "nl") == "Ingeschrevenen wo (lange vorm, uitgave 2025)"
    assert shown_text("cbs-99999NED", "title", "en", "Proef") == "Proef"
    with pytest.raises(ValueError, match="no shown field 'url'"):
        shown_text("duo-wo-2025", "url", "en")


def test_index_vintage_rows_speak_the_editions_language() -> None:
    manifest = {"inputs": [{"dataset_id": "cbs-85925NED", "publisher": "CBS", "mode": "mirror",
                            "title": "Regionale kerncijfers nationale rekeningen (successor edition of 84419NED)",
                            "licence": "CC BY 4.0", "retrieved_at": "2026-12-01T00:00:00Z"},
                           {"dataset_id": "duo-wo-2025", "publisher": "DUO", "mode": "mirror",
                            "title": "Ingeschrevenen wo (long format, 2025 edition)",
                            "licence": "DUO open onderwijsdata (free reuse)", "partial": "Only 21PH rows"}]}
    nl, en = vintage_rows(manifest, "nl"), vintage_rows(manifest, "en")
    assert nl[0]["title"] == "Regionale kerncijfers nationale rekeningen (opvolger van 84419NED)"
    assert en[0]["title"] == "Regional key figures of the national accounts (successor of 84419NED)"
    assert nl[0]["partial"] == en[0]["partial"] == ""
    assert nl[1]["licence"] == "open onderwijsdata van DUO (vrij te hergebruiken)"
    assert en[1]["licence"] == "DUO open education data (free to reuse)"
    assert nl[1]["partial"].startswith("alleen de inschrijvingen van de Universiteit Twente")
    assert "21PH" not in nl[1]["partial"] + en[1]["partial"]
