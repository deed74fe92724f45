"""Whether the quoted passage answers the question: a probability learned from data.

Hand thresholds on one score could not tell a right passage from a wrong one on real
people's questions, so the decision is a logistic model over the signals the engine
already has (how much of the question the article has words for, whether words and
meaning agree, how near in meaning the passage and its heading are, whether the kind of
fact asked for is in the passage, the question's shape). It is fitted offline by
`scripts/fit.py` on the labelled sets in `tests/data/`, checked leave one article
out, and shipped as `data/coverage-model.json`; here it is only applied, with numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import Field, model_validator

from ..models import Record
from ..rank.fitted import Fitted, require_known

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "coverage-model.json"

# The signals, in the order the model's coefficients are written.
SIGNALS = (
    "known_share",
    "missing",
    "unknown",
    "terms",
    "margin",
    "lexical_strength",
    "asked_heading",
    "whole_subject",
    "lead",
    "lexical_agree",
    "lacks_fact",
    "asks_fact",
    "names_missing",
    "subject_share",
    "topical_share",
    "together",
    "long",
    "semantic_agree",
    "closest",
    "nearest",
    "gap",
    "heading_similarity",
    "semantic_margin",
    "heading_behind",
    "semantic_standing",
    "nearest_standing",
)
# Signals only meaning gives: the words-only model is fitted without them.
MEANING_SIGNALS = frozenset(
    {"semantic_agree", "closest", "nearest", "gap", "heading_similarity", "semantic_margin", "heading_behind", "semantic_standing", "nearest_standing", "together"}
)


@dataclass(frozen=True)
class Signals:
    """What the engine knows about one answer, as numbers (see SIGNALS)."""

    values: dict[str, float]

    def vector(self, names: tuple[str, ...]) -> np.ndarray:
        return np.array([self.values.get(n, 0.0) for n in names], dtype=np.float64)

    def probability(self, model: Fitted) -> float:
        return float(model.probabilities(self.vector(model.signals)[None, :])[0])


def question_shape(text: str) -> dict[str, float]:
    """How the question is written: long (rambling, rhetorical) rather than a plain question.
    (Whether it ends in "?" is left out: it told the sets apart more than right from wrong.)"""
    return {"long": 1.0 if len(text.split()) > 18 else 0.0}


class Thresholds(Record):
    """Where the probabilities change the outcome, chosen on data (see the fitting script)."""

    covered: float = Field(ge=0.0, le=1.0, description="answer probability at or above: covered; 1.0: never")
    partial: float = Field(
        ge=0.0, le=1.0, description="answer probability at or above, something asked missing: partly answered (else closest); 1.0: never"
    )
    refuse: float = Field(ge=0.0, le=1.0, description="answer probability below: not covered at all")
    far: float = Field(ge=0.0, le=1.0, description="far-off-topic probability at or above: not covered at all")


class Decision(Record):
    """One mode's decision: whether the passage answers, whether the question is far from
    anything the article is about, and the thresholds on both."""

    answers: Fitted
    far: Fitted
    thresholds: Thresholds


class CoverageModel(Record):
    """The shipped decision: with meaning, and for words alone."""

    meaning: Decision
    words: Decision
    data: str = ""  # what it was fitted on, for the reader of the file

    @model_validator(mode="after")
    def _known_signals(self) -> "CoverageModel":
        require_known([m for d in (self.meaning, self.words) for m in (d.answers, d.far)], SIGNALS, "signals")
        return self

    def decision(self, semantic: bool) -> Decision:
        return self.meaning if semantic else self.words


def load_model(path: Path = MODEL_PATH) -> CoverageModel:
    """The shipped coverage model (package data, not user input; see `Fitted.shipped`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    model = CoverageModel.model_construct(meaning=_shipped(data["meaning"]), words=_shipped(data["words"]), data=data.get("data", ""))
    return model._known_signals()


def _shipped(data: dict) -> Decision:
    limits = Thresholds.model_construct(**{k: float(data["thresholds"][k]) for k in ("covered", "partial", "refuse", "far")})
    if not all(0.0 <= limit <= 1.0 for limit in vars(limits).values()):  # false for NaN too
        raise ValueError("a coverage model's thresholds are probabilities, from 0 to 1")
    return Decision.model_construct(answers=Fitted.shipped(data["answers"]), far=Fitted.shipped(data["far"]), thresholds=limits)


def decide(signals: Signals, judged: str, decision: Decision) -> tuple[str, float]:
    """The outcome and the probability that the passage answers: none when the question is
    far from the article or the passage very unlikely to answer; covered when it is likely
    right and nothing asked is missing; partial when something asked is missing and the
    passage is likely the right one for the rest (its own threshold, as data gave it);
    otherwise the closest passage, which still names what is missing. Every answer that
    lacked something was "partial": said of a passage about something else ("tuition"
    answered with salaries) it read as "part of it is answered" when none of it was."""
    probability = signals.probability(decision.answers)
    limits = decision.thresholds
    if probability < limits.refuse or signals.probability(decision.far) >= limits.far:
        return "none", probability
    if judged == "partial":
        return ("partial" if _reaches(probability, limits.partial) else "closest"), probability
    return ("covered" if _reaches(probability, limits.covered) else "closest"), probability


def _reaches(probability: float, threshold: float) -> bool:
    """At or above the threshold; a threshold of 1.0 is the fitting's "never" (no
    probability did well enough), which a probability rounded to 1.0 must not reach."""
    return threshold < 1.0 and probability >= threshold
