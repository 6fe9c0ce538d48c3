"""Files are decoded strictly in the encoding the registry declares; a re-saved file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.sources.encoding import EncodingMismatchError, decode_declared
from analysis.sources.fetch import fetch
from analysis.sources.registry import get_source
from analysis.sources.snapshot import verify_snapshot

DUTCH = "Commerciële dienstverlening;Financiële instellingen\n"


def test_iso_8859_1_text_decodes_as_declared() -> None:
    assert decode_declared(DUTCH.encode("iso-8859-1"), "iso-8859-1", "x.csv", "fix") == DUTCH


def test_utf8_text_declared_iso_8859_1_is_refused_with_file_and_fix() -> None:
    with pytest.raises(EncodingMismatchError, match=r"^x\.csv: the file is UTF-8, but the registry .* declares "
                       r"iso-8859-1; .*'Ã«'\. Export it again$"):
        decode_declared(DUTCH.encode("utf-8"), "iso-8859-1", "x.csv", "Export it again")


def test_utf8_byte_order_mark_declared_iso_8859_1_is_refused_even_if_ascii() -> None:
    with pytest.raises(EncodingMismatchError, match="the file is UTF-8"):
        decode_declared(b"\xef\xbb\xbfSBI;Regio\n", "iso-8859-1", "x.csv", "fix")


def test_plain_ascii_is_the_same_in_every_declared_encoding() -> None:
    assert decode_declared(b"SBI;Regio\n", "iso-8859-1", "x.csv", "fix") == "SBI;Regio\n"


def test_bytes_outside_a_declared_utf8_are_refused() -> None:
    with pytest.raises(EncodingMismatchError, match=r"not utf-8 as the registry .*invalid continuation byte"):
        decode_declared(DUTCH.encode("iso-8859-1"), "utf-8", "x.csv", "fix")


@pytest.mark.mirror
def test_statline_export_resaved_as_utf8_is_refused_by_fetch(mirror_dir: Path, tmp_path: Path) -> None:
    """81402ned re-saved as UTF-8: before, it was read as ISO-8859-1 and 542 labels became mojibake."""
    source = get_source("cbs-81402ned")
    raw = tmp_path / "raw"
    fetch([source.id], mirror=mirror_dir, raw_root=raw, progress=False)
    before = verify_snapshot(source.id, raw)
    resaved = tmp_path / "mirror" / source.mirror_path
    resaved.parent.mkdir(parents=True)
    text = (mirror_dir / source.mirror_path).read_bytes().decode("iso-8859-1")
    assert "Commerciële" in text  # the file holds accented labels, so the re-save changes bytes
    resaved.write_bytes(text.encode("utf-8"))
    with pytest.raises(EncodingMismatchError, match=rf"{source.file_name}: the file is UTF-8, but the registry"
                       r".*declares iso-8859-1.*Use the export as StatLine delivered it"):
        fetch([source.id], mirror=tmp_path / "mirror", raw_root=raw, progress=False)
    assert verify_snapshot(source.id, raw) == before  # the previous snapshot is untouched
