"""'newest' and 'oldest' release by date, not by sorting labels as strings (issue 14, item 14)."""

from __future__ import annotations

import pytest

from analysis.engine import publication
from analysis.engine.tables import Tables
from engine_tables_helpers import write_jobs

REGISTRY = """
[[dataset]]
id = "x-export"
table_id = "99902NED"
vintage = "statline-export"
released = "2012-06-28"

[[dataset]]
id = "x-dump"
table_id = "99902NED"
vintage = "2025-04-22"
superseded_by = "x-latest"

[[dataset]]
id = "x-latest"
table_id = "99902NED"
vintage = "latest"
released_after = "2025-04-22"
"""


def test_labels_are_ordered_by_their_release_dates(tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    labels = ["latest", "2025-04-22", "statline-export"]
    assert sorted(labels) == ["2025-04-22", "latest", "statline-export"]  # string order: wrong
    order = publication.release_order([("99902NED", v) for v in labels], path=registry)
    assert [v for _, v in order] == ["statline-export", "2025-04-22", "latest"]


def test_equal_dates_without_a_successor_are_an_error(tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text(REGISTRY.replace('superseded_by = "x-latest"\n', "")
                        .replace('released_after = "2025-04-22"', 'released = "2025-04-22"'),
                        encoding="utf-8")
    with pytest.raises(ValueError, match="same date"):
        publication.release_order([("99902NED", "2025-04-22"), ("99902NED", "latest")], path=registry)


def test_an_undated_label_of_a_registered_table_is_an_error_that_names_the_fix():
    with pytest.raises(ValueError, match=r'released = "YYYY-MM-DD"'):
        publication.release_order([("83582NED", "2025-04-22"), ("83582NED", "draft")])


def test_the_registry_orders_the_project_releases():
    # 83582NED: the 2025-04-22 dump, then the mirror copy revised after it ("latest")
    assert publication.release_order([("83582NED", "latest"), ("83582NED", "2025-04-22")]) == \
        [("83582NED", "2025-04-22"), ("83582NED", "latest")]
    # labour and regional accounts: both editions dumped on 2025-04-22; the successor is newer
    assert publication.release_order([("85918NED", "2025-04-22"), ("84164NED", "2025-04-22")]) == \
        [("84164NED", "2025-04-22"), ("85918NED", "2025-04-22")]


def test_tables_pick_newest_and_oldest_by_date(tmp_path):
    # 81402ned as exported (public by 2012-06-28) and a later fetch dated 2013-03-01: by string
    # "statline-export" would be the newest, by date it is the oldest
    folder = write_jobs(tmp_path / "data", [
        ("81402ned", "statline-export", "NL01", "C", 2010, 800000),
        ("81402ned", "2013-03-01", "NL01", "C", 2010, 790000)])
    tables = Tables(folder)
    assert tables.jobs_cell("81402ned", "NL01", "C", 2010, "newest").value == 790000
    assert tables.jobs_cell("81402ned", "NL01", "C", 2010, "oldest").value == 800000
    assert tables.jobs_cell("81402ned", "NL01", "C", 2010, "statline-export").value == 800000


def test_tables_outside_the_registry_keep_their_labels_order(tmp_path):
    folder = write_jobs(tmp_path / "data", [("99901NED", "v1", "NL01", "C", 2010, 1000),
                                            ("99901NED", "v2", "NL01", "C", 2010, 2000)])
    tables = Tables(folder)
    assert tables.jobs_cell("99901NED", "NL01", "C", 2010, "newest").value == 2000
    assert tables.jobs_cell("99901NED", "NL01", "C", 2010, "oldest").value == 1000


def test_accounts_newest_edition_is_the_successor():
    tables = Tables()
    # 85918NED (successor of 84164NED) holds 2023, its predecessor stops in 2022
    assert tables.accounts("persons_employed", "NL01", ["A-U"], 2023, "newest").value > 0
    editions = tables._memo[("accounts", "labour_accounts")][2]["editions"]
    assert editions == ["84164NED", "85918NED"]
