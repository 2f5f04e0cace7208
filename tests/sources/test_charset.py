"""Which charset a page is read with, and how undecodable bytes are counted."""

from __future__ import annotations

import codecs

import pytest

from snhr_crawler.charset import choose_encoding, undecodable_bytes

ARABIC = "<p>الشَّبكة السورية لحقوق الإنسان: في 15-11-2024\u200f، أُصيب ثلاثة أطفال\u200c.</p>" * 5


@pytest.mark.parametrize("declared", [None, "utf-8", "iso-8859-1", "windows-1252", "windows-1256"])
def test_valid_utf8_is_utf8_whatever_the_label(declared: str | None) -> None:
    decision = choose_encoding(ARABIC.encode("utf-8"), declared, "ar")
    assert (decision.encoding, decision.reason, decision.undecodable) == ("utf-8", "utf-8-valid", 0)


@pytest.mark.parametrize("declared", [None, "iso-8859-1", "windows-1252", "ascii", "utf-8"])
def test_windows_1256_without_a_trustworthy_label(declared: str | None) -> None:
    body = ARABIC.encode("cp1256")
    decision = choose_encoding(body, declared, "ar")
    assert decision.encoding == "cp1256"
    assert decision.reason == "legacy"
    assert body.decode(decision.encoding) == ARABIC


def test_a_specific_declared_legacy_charset_is_trusted() -> None:
    text = "<p>الشبكة السورية</p>"
    decision = choose_encoding(text.encode("iso-8859-6"), "ISO-8859-6", "ar")
    assert (decision.encoding, decision.reason) == ("iso8859_6", "declared")


def test_bom_wins() -> None:
    decision = choose_encoding(codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "windows-1256", "ar")
    assert (decision.encoding, decision.reason) == ("utf-8", "bom")


def test_damaged_utf8_stays_utf8_and_counts_the_damage() -> None:
    body = ARABIC.encode("utf-8") * 4
    cut = body.index(b"<p>", 500)  # between two characters
    body = body[:cut] + b"\xff" + body[cut:]
    decision = choose_encoding(body, "utf-8", "ar")
    assert (decision.encoding, decision.reason, decision.undecodable) == (
        "utf-8",
        "utf-8-damaged",
        1,
    )


def test_truncated_last_character_is_counted() -> None:
    body = "<p>الشبكة".encode()[:-1]  # cut inside the last letter (2 bytes in UTF-8)
    decision = choose_encoding(body, None, "ar")
    assert decision.encoding == "utf-8"
    assert decision.undecodable == 1


def test_english_pages_fall_back_to_windows_1252() -> None:
    body = "<p>Hay’at Tahrir al Sham – “SNHR”</p>".encode("cp1252")
    decision = choose_encoding(body, None, "en")
    assert decision.encoding == "cp1252"
    assert body.decode("cp1252") == "<p>Hay’at Tahrir al Sham – “SNHR”</p>"


def test_undecodable_bytes() -> None:
    assert undecodable_bytes(b"abc", "utf-8") == 0
    assert undecodable_bytes(b"a\xffb\xfe", "utf-8") == 2
    assert undecodable_bytes(b"\x81\x8d", "cp1252") == 2
    assert undecodable_bytes(bytes(range(256)), "cp1256") == 0


def test_one_stray_byte_in_a_mostly_ascii_utf8_page_stays_utf8() -> None:
    # An English report: little non-ASCII text, then a Windows apostrophe pasted in.
    page = "<p>The Hague – SNHR’s report: “At least 213 detentions”.</p>".encode()
    damaged = page.replace(b"SNHR", b"SNHR\x92", 1)
    decision = choose_encoding(damaged, "utf-8", "en")
    assert (decision.encoding, decision.reason, decision.undecodable) == ("utf-8", "utf-8-damaged", 1)
    assert "The Hague – SNHR" in damaged.decode(decision.encoding, errors="replace")
