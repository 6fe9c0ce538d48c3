"""data/htsm_definition.csv says per code whether CBS's own delineation confirms it (issue 14)."""

from __future__ import annotations

import csv

from analysis.paths import PACKAGE_DATA

ALLOWED = {"yes", "no", "partly"}


def rows() -> list[dict[str, str]]:
    with (PACKAGE_DATA / "htsm_definition.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_code_has_a_verified_value_from_the_allowed_set():
    found = rows()
    assert len(found) == 14
    for row in found:
        assert row["verified"] in ALLOWED, row["sbi_code"]


def test_a_confirmed_code_names_its_source_and_what_it_says():
    for row in rows():
        source = row["verified_source"].strip()
        if row["verified"] in ("yes", "partly"):
            assert source.startswith("https://"), row["sbi_code"]
            assert "'" in source, row["sbi_code"]  # quotes what the source says
        else:
            assert source, f"{row['sbi_code']}: say why it could not be verified"


def test_the_narrow_list_is_still_sbi_24_to_30():
    # verification marks codes; it does not move them (no stored source contradicted the lists)
    narrow = sorted(r["division"] for r in rows() if r["narrow"] == "true")
    broad = sorted(r["division"] for r in rows() if r["broad"] == "true")
    assert narrow == [str(d) for d in range(24, 31)]
    assert broad == [*narrow[:], "33", "62", "71", "72"]
