"""Which question words are English words, read from the shipped sentence model's vocabulary.

Typo correction maps a word the article lacks to one it has a letter or two away; a real
word must not be "corrected" into another ("rejected" is not "repeated", "dying" is not
"doing", "place" is not "pace"). The model's WordPiece vocabulary holds about 22,500
common English words whole and none of their misspellings, so it tells the two apart
without a word list of our own.
"""

from __future__ import annotations

from pathlib import Path

MODEL_FOLDER = "model"
# The model's WordPiece vocabulary, a token a line (line n is token id n): all the
# tokenizer needs besides BERT's standard settings (see `knowledge.rank.semantic`).
VOCABULARY_FILE = "vocab.txt"


def english_words() -> frozenset[str]:
    """The vocabulary's whole alphabetic words (none when the file is missing or unreadable:
    then every unknown word may be a typo, as before)."""
    source = Path(__file__).parent.parent / MODEL_FOLDER / VOCABULARY_FILE
    try:
        return frozenset(word for word in source.read_text(encoding="utf-8").splitlines() if word.isalpha())
    except (OSError, ValueError):  # missing, unreadable, or not UTF-8
        return frozenset()
