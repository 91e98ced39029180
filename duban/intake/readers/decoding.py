"""Turning bytes of unknown encoding into text, shared by the text, CSV and HTML readers.

Chinese offices produce UTF-8 (WPS, web), UTF-8 with BOM (Notepad), UTF-16 with BOM (Notepad's
"Unicode", some exports) and GBK/GB18030 (anything from Chinese Windows). Strict UTF-8 is tried
before GB18030 because valid UTF-8 Chinese is almost never valid GB18030 of the same length,
while the reverse guess would silently produce mojibake.
"""

from __future__ import annotations

import codecs
import re

from duban.intake.readers import problems

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def canonical_encoding(name: str) -> str | None:
    """GB2312 and GBK are subsets of GB18030: decoding with the superset never loses a page."""
    try:
        codec = codecs.lookup(name.strip().strip("\"'"))
    except LookupError:
        return None
    if codec.name in {"gb2312", "gbk", "gb18030", "hz"}:
        return "gb18030"
    return codec.name


def decode_text(data: bytes, *, declared: str | None = None) -> str:
    """Decode a text document, or raise ``binary`` when the bytes are not text at all.

    ``declared`` is an encoding the document itself names (an HTML ``<meta charset>``). A BOM
    outranks it, and so does clean UTF-8: pages re-saved as UTF-8 keep their old ``gb2312``
    declaration, while GB text that happens to be valid UTF-8 does not occur in practice.
    """
    encoding = bom_encoding(data)
    if encoding:
        try:
            return _checked(data.decode(encoding))
        except UnicodeDecodeError:
            raise problems.binary() from None
    if b"\x00" in data:
        raise problems.binary()
    for candidate in ["utf-8", *([declared] if declared else []), "gb18030"]:
        try:
            return _checked(data.decode(candidate))
        except (UnicodeDecodeError, LookupError):
            continue
    # Rarely needed (neither UTF-8 nor GB18030): its library is imported only then.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise problems.binary()
    return _checked(str(best))


# Control characters other than whitespace (category Cc without \t\n\v\f\r) and U+FFFD.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def _checked(text: str) -> str:
    """Reject decodes that are mostly control or replacement characters: that is binary data.

    Counted by a regular expression, stopping once the limit is passed: a character-by-character
    loop took seconds on a 20 MB file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text:
        return text
    limit = max(2, len(text) // 20)
    for count, _match in enumerate(_BAD_CHARACTER.finditer(text), start=1):
        if count > limit:
            raise problems.binary()
    return text
