"""Names the articles use: words written with a capital inside a sentence and never in
lower case ("Figma", "Upwork", "LinkedIn").

A question made only of words an article has, one of them such a name ("does figma
matter?"), asks about that named thing, and what the article says of it, even in passing,
is the answer. Its one shared word would otherwise be thin evidence, and such a question
was refused; a common word used once in passing ("how do I fix a flat tire?") still is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .analysis import Analyzer

# A word with a capital after a lower-case word or a comma (inside a sentence, not opening
# one), and a lower-case letter somewhere (an acronym is read elsewhere: knowledge/rank/acronyms.py).
_INSIDE = re.compile(r"(?<=[a-z0-9,;:)] )[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\b")
_LOWER = re.compile(r"\b[a-z][a-z0-9]*\b")


def names(texts: Iterable[str], analyzer: Analyzer) -> frozenset[str]:
    """Stems of the words `texts` write capitalised inside sentences and never in lower case."""
    capital: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        capital.update(_INSIDE.findall(text))
        lower.update(_LOWER.findall(text))
    return frozenset(analyzer.stem(word.lower()) for word in capital if word.lower() not in lower)
