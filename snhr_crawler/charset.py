"""Choosing the charset of a page whose server did not say, or said it wrong.

Scrapy reads the charset from the Content-Type header, then ``<meta charset>``,
then a BOM, and only then guesses (older Scrapy: ASCII, UTF-8, then cp1252,
which "succeeds" on windows-1256 Arabic and garbles every letter silently,
``ÇáÔÈßÉ`` for ``الشبكة``; Scrapy 2.19: a statistical guess). A *declared*
charset is never questioned, so an Arabic page sent as UTF-8 but labelled
ISO-8859-1, or sent as windows-1256 but labelled latin-1, is archived garbled
whatever the Scrapy version. The archive cannot depend on either.

The rule here, in order:

1. a byte-order mark wins, if the bytes after it decode with it (a UTF-16
   mark pasted in front of a UTF-8 page is dropped, and the page read by the
   rules below: ``bom-ignored``);
2. bytes that are valid UTF-8 *are* UTF-8, whatever the label says: valid
   multi-byte UTF-8 practically never arises by accident from a legacy
   8-bit page, so the label is the thing that is wrong;
3. a declared charset that is not a Western guess (``windows-1256``,
   ``iso-8859-6``) is trusted;
4. mostly-valid UTF-8 (a damaged or truncated page) stays UTF-8;
5. otherwise the language's legacy charset: windows-1256 for Arabic,
   windows-1252 for English.

Bytes the chosen charset cannot decode become U+FFFD and are counted in the
stat ``snhr/charset/undecodable_bytes`` (pages with any: ``snhr/charset/
undecodable_pages``), so damage is visible instead of silent. A page whose
charset this module corrected counts in ``snhr/charset/redecoded/<charset>``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

if TYPE_CHECKING:
    from scrapy.http import TextResponse
    from scrapy.statscollectors import StatsCollector

#: The legacy charset a page in this language most likely uses when unlabelled.
LEGACY_BY_LANGUAGE = {"ar": "cp1256", "en": "cp1252"}

#: Labels that are guesses rather than facts: servers and editors emit them by
#: default, and WHATWG maps latin-1 and ascii to windows-1252 anyway.
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_1", "ascii", "iso8859_15"})


def _valid_utf8_characters(body: bytes) -> int:
    """Multi-byte UTF-8 characters that decode cleanly.

    Legacy single-byte text (windows-1256 Arabic, cp1252 quotes) almost never
    forms valid multi-byte sequences, while a UTF-8 page with a stray byte is
    full of them: comparing with these, not with raw non-ASCII bytes, keeps
    an English UTF-8 page with one pasted Windows apostrophe in UTF-8.
    """
    text = body.decode("utf-8", errors="replace")
    return sum(1 for char in text if char > "\x7f" and char != "\ufffd")


@dataclass(frozen=True)
class Decision:
    """The charset a page is read with, why, and how many bytes it cannot decode."""

    encoding: str
    reason: str  # "bom", "utf-8-valid", "declared", "utf-8-damaged", "legacy"
    undecodable: int
    #: Bytes of a byte-order mark that does not fit the page, to drop before decoding.
    skip: int = 0


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def undecodable_bytes(body: bytes, encoding: str) -> int:
    """How many bytes of ``body`` ``encoding`` cannot decode.

    ``surrogateescape`` turns each such byte into one lone surrogate, which a
    successful decode never produces: counting them is one linear pass, even
    for a windows-1256 page read as UTF-8 (an error every other byte).
    """
    try:
        return len(_ESCAPED_BYTE.findall(body.decode(encoding, "surrogateescape")))
    except UnicodeDecodeError:  # codecs without surrogateescape support (UTF-16's odd last byte)
        return body.decode(encoding, "replace").count("\ufffd")


def _incomplete_tail(body: bytes) -> int:
    """Bytes of a UTF-8 character cut off at the end of ``body`` (a truncated page)."""
    for length in (1, 2, 3):
        if len(body) < length:
            break
        lead = body[-length]
        if 0x80 <= lead < 0xC0:  # a continuation byte: look further back
            continue
        needed = (
            2
            if 0xC2 <= lead < 0xE0
            else 3
            if 0xE0 <= lead < 0xF0
            else 4
            if 0xF0 <= lead < 0xF5
            else 0
        )
        return length if needed > length else 0
    return 0


def _utf8_errors(body: bytes) -> tuple[int, int]:
    """(undecodable bytes inside the body, bytes of an incomplete last character)."""
    pending = _incomplete_tail(body)
    return undecodable_bytes(body[: len(body) - pending], "utf-8"), pending


def choose_encoding(body: bytes, declared: str | None, language: str) -> Decision:
    """Pick the charset to read ``body`` with (see the module docstring for the rule)."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        if _decodes(body[len(bom) :], bom_encoding):
            return Decision(bom_encoding, "bom", undecodable_bytes(body, bom_encoding))
        decision = choose_encoding(body[len(bom) :], declared, language)
        return Decision(decision.encoding, "bom-ignored", decision.undecodable, skip=len(bom))
    interior, pending = _utf8_errors(body)
    if interior == 0:
        return Decision("utf-8", "utf-8-valid", pending)
    declared_codec = _codec_name(declared)
    if declared_codec and declared_codec not in _WESTERN and declared_codec != "utf_8":
        return Decision(declared_codec, "declared", undecodable_bytes(body, declared_codec))
    if interior <= _valid_utf8_characters(body):
        return Decision("utf-8", "utf-8-damaged", interior + pending)
    legacy = LEGACY_BY_LANGUAGE.get(language, "cp1252")
    return Decision(legacy, "legacy", undecodable_bytes(body, legacy))


def _decodes(body: bytes, encoding: str) -> bool:
    """Whether ``body`` is text in ``encoding``: it decodes, and, for UTF-16/32, it has the
    NUL bytes every ASCII letter of markup brings (ASCII bytes also decode as UTF-16 CJK)."""
    if (
        encoding.replace("-", "").lower().startswith(("utf16", "utf32"))
        and b"\x00" not in body[:1024]
    ):
        return False
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def declared_encoding(response: TextResponse) -> str | None:
    """The charset the server or the page claims: header first, then ``<meta>``."""
    content_type = response.headers.get(b"Content-Type")
    header = http_content_type_encoding(content_type.decode("latin-1")) if content_type else None
    return header or html_body_declared_encoding(response.body)


def decode_response(
    response: TextResponse, language: str, stats: StatsCollector | None = None
) -> TextResponse:
    """``response`` re-read with the right charset (the same object when it was right)."""
    decision = choose_encoding(response.body, declared_encoding(response), language)
    if stats is not None and decision.undecodable:
        stats.inc_value("snhr/charset/undecodable_bytes", decision.undecodable)
        stats.inc_value("snhr/charset/undecodable_pages")
    if decision.skip:
        # w3lib lets a byte-order mark override any declared charset: drop the false one.
        if stats is not None:
            stats.inc_value("snhr/charset/false_bom")
        return response.replace(body=response.body[decision.skip :], encoding=decision.encoding)
    if _codec_name(response.encoding) == _codec_name(decision.encoding):
        return response
    if stats is not None:
        stats.inc_value(f"snhr/charset/redecoded/{decision.encoding}")
    return response.replace(encoding=decision.encoding)
