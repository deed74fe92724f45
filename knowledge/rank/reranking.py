"""Which passage answers: the leading sections re-ranked by a model learned from data.

The hand-weighted fusion of words and meaning (knowledge/rank/fusion.py) ranks well on questions
written like the dev sets and worse on real people's phrasing, where a heading's own words,
a section's standing in meaning, or the article's lead tell more than their fixed weights
let them. A logistic model over each candidate section's signals, fitted on labelled
questions over many articles (scripts/fit.py, checked leave one article out), orders the
candidates instead. Only the leading candidates are read, so a folder of thousands of
sections costs no more than one article.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import model_validator

from ..models import Record
from .fitted import Fitted, require_known
from .fusion import minmax
from .meaning import Apart

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "ranking-model.json"

# Per candidate section, in the order the coefficients are written.
FEATURES = (
    "heading_overlap",
    "sentences",
    "last",
    "current",
    "words",
    "lexical",
    "sentence_best",
    "lead",
    "whole_lead",
    "asked",
    "current_top",
    "meant",
    "meaning",
    "heading_z",
    "sentence_z",
    "gist_z",
    "heading",
    "sentence",
    "gist",
    "apart_heading",
    "apart_sentence",
    "apart_gist",
)
MEANING_FEATURES = frozenset(
    {"meant", "meaning", "heading_z", "sentence_z", "gist_z", "heading", "sentence", "gist"}
    | {name for name in FEATURES if name.startswith("apart_")}
)


class RankingModel(Record):
    """The shipped re-ranker: one model with meaning, one for words alone."""

    meaning: Fitted
    words: Fitted
    data: str = ""

    @model_validator(mode="after")
    def _known_features(self) -> "RankingModel":
        require_known([self.meaning, self.words], FEATURES, "features")
        return self

    def fitted(self, semantic: bool) -> Fitted:
        return self.meaning if semantic else self.words


def load_model(path: Path = MODEL_PATH) -> RankingModel:
    """The shipped ranking model (package data, not user input; see `Fitted.shipped`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    model = RankingModel.model_construct(meaning=Fitted.shipped(data["meaning"]), words=Fitted.shipped(data["words"]), data=data.get("data", ""))
    return model._known_features()


@dataclass
class Evidence:
    """What ranking computed for every section, kept for the re-ranker (arrays over all
    sections; `sentence_best` is filled for the candidates only)."""

    current: np.ndarray  # the fused, hand-weighted score with its heading and lead bonuses
    words: np.ndarray  # words alone: BM25, meant matches and best sentence, before meaning
    lexical: np.ndarray  # BM25 over the best section's
    sentence_best: np.ndarray
    meant: np.ndarray | None = None
    similarity: np.ndarray | None = None  # per section: best of gist, heading, sentence
    heading: np.ndarray | None = None
    sentence: np.ndarray | None = None
    gist: np.ndarray | None = None
    # The three above with the article's direction taken out, made for the candidates only.
    apart: Callable[[np.ndarray], Apart] | None = None
    asked: int | None = None
    whole: bool = False


def _z(values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Standard scores over all sections, of the sections `at` only (12,000 made for 40
    read was a tenth of a millisecond a question at a thousand articles)."""
    spread = float(values.std())
    return (values[at] - float(values.mean())) / spread if spread > 0 else np.zeros(len(at), dtype=values.dtype)


def features(
    evidence: Evidence,
    candidates: np.ndarray,
    overlap: np.ndarray,
    sentences: np.ndarray,
    last: np.ndarray,
    lead: np.ndarray,
    names: tuple[str, ...] = FEATURES,
) -> np.ndarray:
    """The candidates' feature rows, columns in `names` order (of FEATURES); `overlap`,
    `sentences`, `last` and `lead` are already the candidates'. Meaning's columns are zero
    without the model."""
    c = candidates
    current = minmax(evidence.current, c)
    columns = {
        "heading_overlap": overlap,
        "sentences": np.log1p(sentences),
        "last": last,
        "current": current,
        "words": minmax(evidence.words, c),
        "lexical": evidence.lexical[c],
        "sentence_best": evidence.sentence_best[c],
        "lead": lead,
        "whole_lead": lead * float(evidence.whole),
        "asked": (c == evidence.asked).astype(np.float64) if evidence.asked is not None else np.zeros(len(c)),
        "current_top": (current >= 1.0).astype(np.float64),
    }
    if evidence.similarity is not None:
        columns |= {
            "meant": evidence.meant[c],
            "meaning": _z(evidence.similarity, c) / 3.0,
            "heading_z": _z(evidence.heading, c),
            "sentence_z": _z(evidence.sentence, c),
            "gist_z": _z(evidence.gist, c),
            "heading": evidence.heading[c],
            "sentence": evidence.sentence[c],
            "gist": evidence.gist[c],
        }
    if evidence.apart is not None and not evidence.whole:
        # A question of the subject's own words alone has nothing beside the subject to
        # match: its apart similarities are noise, left at zero.
        moved = evidence.apart(c)
        columns |= {"apart_heading": moved.headings, "apart_sentence": moved.sentence, "apart_gist": moved.gist}
    zero = np.zeros(len(c))
    return np.stack([np.asarray(columns.get(name, zero), dtype=np.float64) for name in names], axis=1)
