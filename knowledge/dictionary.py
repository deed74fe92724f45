"""Which question words are English words, read from the shipped sentence model's vocabulary.

Typo correction maps a word the article lacks to one it has a letter or two away; a real
word must not be "corrected" into another ("rejected" is not "repeated", "dying" is not
"doing", "place" is not "pace"). The model's WordPiece vocabulary holds about 21,700
common English words whole and none of their misspellings, so it tells the two apart
without a word list of our own.
"""

from __future__ import annotations

import json
from pathlib import Path

MODEL_FOLDER = "model"
TOKENIZER_FILE = "tokenizer.json"


def english_words() -> frozenset[str]:
    """The vocabulary's whole alphabetic words (none when the file is missing or unreadable:
    then every unknown word may be a typo, as before)."""
    source = Path(__file__).parent / MODEL_FOLDER / TOKENIZER_FILE
    try:
        vocabulary = json.loads(source.read_bytes())["model"]["vocab"]
        return frozenset(word for word in vocabulary if word.isalpha())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return frozenset()
