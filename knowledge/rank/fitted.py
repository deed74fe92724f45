"""A fitted logistic model as data: standardised signals, coefficients and an intercept.

Learned decisions (which passage answers, whether it answers) are fitted offline by
`scripts/fit.py` with scikit-learn and shipped as JSON; here they are only applied, with
numpy, so no fitting library is needed at run time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from pydantic import model_validator

from ..models import Record


class Fitted(Record):
    """One fitted logistic model over named signals."""

    signals: tuple[str, ...]
    mean: list[float]
    scale: list[float]
    coefficients: list[float]
    intercept: float

    @model_validator(mode="after")
    def _consistent(self) -> "Fitted":
        n = len(self.signals)
        if not (len(self.mean) == len(self.scale) == len(self.coefficients) == n):
            raise ValueError("a fitted model needs one mean, scale and coefficient per signal")
        if not all(math.isfinite(v) for v in [*self.mean, *self.scale, *self.coefficients, self.intercept]):
            raise ValueError("a fitted model's numbers must be finite")
        if any(s <= 0 for s in self.scale):
            raise ValueError("a fitted model's scales must be positive")
        return self

    @classmethod
    def shipped(cls, data: dict) -> "Fitted":
        """One model of a file shipped in the package, made without pydantic's validation
        (whose schemas, built at every start, were a tenth of a cold `career-chat ask`):
        the tests prove the files against the schema, and its shape is checked here."""
        fields = ("mean", "scale", "coefficients")
        model = cls.model_construct(
            signals=tuple(data["signals"]), **{f: [float(v) for v in data[f]] for f in fields}, intercept=float(data["intercept"])
        )
        return model._consistent()

    def logits(self, x: np.ndarray) -> np.ndarray:
        """One logit per row of `x` (columns in `signals` order)."""
        standard = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return standard @ np.asarray(self.coefficients) + self.intercept

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(x), -60.0, 60.0)))


def require_known(models: Iterable[Fitted], known: Sequence[str], what: str) -> None:
    """A shipped model that names a signal the engine does not compute would weigh a
    silent zero: refuse it, naming what is unknown."""
    unknown = sorted({n for m in models for n in m.signals} - set(known))
    if unknown:
        raise ValueError(f"the model names {what} the engine lacks: {unknown}")
