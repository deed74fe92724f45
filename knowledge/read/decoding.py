"""A page's bytes as text, in the charset it declares: a byte-order mark first, then the
HTTP header, then (in HTML) a <meta> charset; without any, UTF-8 or a clear refusal (a
guess would quote mangled words)."""

from __future__ import annotations

import codecs
import re

# The HTML spec looks for a <meta> charset in the first 1024 bytes; pages that put it a
# little later are common enough to look further.
_META_SCAN = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]


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
