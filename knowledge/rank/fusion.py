"""Where words and meaning meet: one place that turns BM25 and model similarities into
one section ranking and one value per sentence.

Both sides are normalised per question before they are added, so neither's scale decides:
BM25's grows with the question's length, and a cosine of 0.3 can be the best match in one
article and noise in another. BM25 is min-max scaled over the sections; similarity is
standardised (min-max blew up small differences when every section was about as close).
Measured on the shared question sets (dev, dev-more, real, getting-paid; figures in the
README): weights 0.7 to 1.5 and min-max, max or standard scaling all lay within two
questions of each other on each set; this pair was best summed over all four.
"""

from __future__ import annotations

import numpy as np

# How much meaning counts beside words in ranking sections (words count 1).
SECTION_WEIGHT = 0.7
# How much word matches weighted by their sentence's meaning count beside the section's
# BM25 (both scaled to their best section): equal, as neither is known to be the better.
# Measured on all nine question sets (196 in-scope questions; four articles besides the
# bundled one): 0.5, 1 and 2 put the right section first for 170, 170 and 168, against 165
# without; the plain similarity rather than its square, 169.
MEANT_WEIGHT = 1.0
# How much a sentence's similarity to the question counts beside its word match when the
# quoted sentences are chosen (words count 1, relative to the best sentence).
SENTENCE_WEIGHT = 0.6


def minmax(values: np.ndarray, at: np.ndarray | None = None) -> np.ndarray:
    """Values rescaled to 0..1 over the sections; all alike: 1 where positive (one section).
    `at`: only these sections' (the same numbers, only those made)."""
    low, high = float(values.min()), float(values.max())
    picked = values if at is None else values[at]
    if high > low:
        return (picked - low) / (high - low)
    return (picked > 0).astype(values.dtype)


def standard(values: np.ndarray) -> np.ndarray:
    """How far each section stands out in meaning: standard deviations from the mean, over
    three (so a clear winner reaches about 1, like BM25's best after min-max)."""
    spread = float(values.std())
    return (values - float(values.mean())) / (3 * spread) if spread > 0 else np.zeros_like(values)


def meant_matches(sentence_scores: np.ndarray, rows: np.ndarray, starts: np.ndarray, read: tuple | None = None) -> np.ndarray:
    """Per section, 0 to MEANT_WEIGHT: its word matches where they mean the question. Each
    sentence's (and heading's) BM25 score times the square of its similarity to the question
    (none below 0), summed over the section, over the best section's sum. "degree" in a
    salary sentence counts little for "can I do this without a degree?". It is added to the
    section's own BM25, scaled the same way, before meaning is fused as a whole.

    `read`: (sections, their rows, where each starts among them), the only rows with a
    similarity (a large index's shortlist; `rows` is below 0 elsewhere): only their sums
    are made, each the same sum as over every row, the rest 0."""
    if read is None:
        meant = np.add.reduceat(sentence_scores * np.square(np.clip(rows, 0.0, None)), starts)
    else:
        sections, at, firsts = read
        meant = np.zeros(len(starts))
        if len(sections):
            meant[sections] = np.add.reduceat(sentence_scores[at] * np.square(np.clip(rows[at], 0.0, None)), firsts)
    best = float(meant.max(initial=0.0))
    return MEANT_WEIGHT * meant / best if best > 0 else meant


def fuse_sections(lexical: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Section scores: words min-max over the sections, plus how far meaning stands out."""
    return minmax(lexical) + SECTION_WEIGHT * standard(similarity)


def fuse_sentences(values: list[float], similarity: np.ndarray | None) -> list[float]:
    """Sentence values: the composer's word-based values plus meaning, min-max in the section."""
    if similarity is None or len(values) < 2:
        return values
    return [v + SENTENCE_WEIGHT * float(s) for v, s in zip(values, minmax(similarity), strict=True)]
