"""A page's bytes as text, in the charset it declares: a byte-order mark first, then the
HTTP header, then (in HTML) a <meta> charset; without any, UTF-8 or a clear refusal (a
guess would quote mangled words). A charset is read as browsers read it (Latin-1 and
ASCII as windows-1252), so what is quoted is what the page shows."""

from __future__ import annotations

import codecs
import re

# The HTML spec looks for a <meta> charset in the first 1024 bytes; pages that put it a
# little later are common enough to look further.
_META_SCAN = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
# Labels the WHATWG Encoding Standard reads as windows-1252, as every browser does: a page
# that says Latin-1 or ASCII is mostly written in it (its euro signs, dashes and curly
# quotes are bytes 0x80-0x9F, control characters in Latin-1, errors in ASCII).
_WINDOWS_1252_LABELS = frozenset(
    {
        "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
        "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
        "x-cp1252",
    }
)  # fmt: skip
# windows-1252 as the standard decodes it: the five bytes Python's cp1252 leaves undefined
# are the control characters of their number, so no byte is an error.
_WINDOWS_1252 = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256))


class DecodingError(ValueError):
    """Bytes that are not text in the page's charset; the message says which and what to do."""


def declared_charset(data: bytes, header: str | None = None, html: bool = True) -> str | None:
    """The charset a page declares (lowercase), by the HTML spec's order: a byte-order mark,
    the Content-Type header, a <meta> tag in its first bytes (`html`: markdown has none)."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name
    if header:
        return header.strip().strip("\"'").lower() or None
    if not html:
        return None
    match = _META_CHARSET.search(data[:_META_SCAN])
    return match.group(1).decode("ascii").lower() if match else None


def page_text(data: bytes, header: str | None = None, html: bool = True) -> str:
    """The page as text, line breaks made \\n. `header`: the charset the server named;
    `html`: whether it is HTML (else markdown, where no <meta> names a charset)."""
    charset = declared_charset(data, header, html)
    if charset is None:
        fix = "save it as UTF-8, or with a <meta charset> naming its encoding" if html else "save it as UTF-8"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DecodingError(f"is not UTF-8 text (byte {error.start}) and declares no charset; {fix}") from None
    elif charset in _WINDOWS_1252_LABELS:
        text = codecs.charmap_decode(data, "strict", _WINDOWS_1252)[0]
    else:
        try:
            codec = codecs.lookup(charset)
        except LookupError:
            raise DecodingError(f"declares the charset {charset[:40]!r}, which is unknown; save it as UTF-8") from None
        if not getattr(codec, "_is_text_encoding", True):  # rot13, base64, zlib: codecs, not charsets
            raise DecodingError(f"declares the charset {charset[:40]!r}, which is not a text encoding; save it as UTF-8")
        if codec.name in {"utf-16", "utf-32"} and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            codec = codecs.lookup("utf-8")  # HTML treats a <meta> "utf-16" as UTF-8 (the bytes say otherwise)
        try:
            text = data.decode(codec.name)
        except UnicodeDecodeError as error:
            raise DecodingError(
                f"is not {charset.upper()} text as it declares (byte {error.start}); save it as UTF-8"
            ) from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")
