"""Links to a quoted sentence on its page: URL text fragments (`#:~:text=`), which a
browser follows by scrolling to the words and highlighting them.

Spec: https://wicg.github.io/scroll-to-text-fragment/ - each term is percent-encoded, and
"-", "&" and "," must be too, as they are the directive's own syntax.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# A quote longer than this many words is linked by its first and last words
# (`text=start,end`): short enough for any browser's address bar, and the words between
# (where a page's markup may differ from the quote's) need not match.
WHOLE_UP_TO = 10
END_WORDS = 4
# Marks at the quote's ends (a closing period, an opening quotation mark), left out: a
# page may draw them apart from the words.
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
# A table row is quoted with its cells joined by this (`cleaning._table_rows`), which the
# page never shows; a term matches within one cell at most, so a row is linked from its
# first cell's words to its last cell's.
_CELLS = " | "


def encode_term(text: str) -> str:
    """One term of a text directive, percent-encoded: everything but letters, digits and
    ". _ ~" is encoded, "-" included."""
    return quote(text, safe="").replace("-", "%2D")


def text_fragment_link(url: str, quote_text: str) -> str | None:
    """`url` with a text fragment selecting `quote_text`; None when there is nothing to
    select. The page's own fragment, if any, is replaced."""
    words = _EDGE.sub("", " ".join(quote_text.split())).split()
    if not words or not url.lower().startswith(("http://", "https://")):
        return None
    base = url.split("#", 1)[0]
    cells = [cell.split() for cell in " ".join(words).split(_CELLS) if cell.strip()]
    if len(cells) > 1:
        directive = f"{encode_term(' '.join(cells[0][:END_WORDS]))},{encode_term(' '.join(cells[-1][-END_WORDS:]))}"
    elif len(words) <= WHOLE_UP_TO:
        directive = encode_term(" ".join(words))
    else:
        directive = f"{encode_term(' '.join(words[:END_WORDS]))},{encode_term(' '.join(words[-END_WORDS:]))}"
    return f"{base}#:~:text={directive}"
