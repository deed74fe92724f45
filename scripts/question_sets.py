"""The labelled question sets the coverage model is fitted and measured on.

Each set is one article and one question file. Own articles (tests/data/<stem>.md) have a
set written like the dev sets (<stem>.jsonl) and one of real phrasings quoted from public
pages (phrasings/<stem>.jsonl): these are what the model is fitted on. The bundled
article's sets, our own articles in tests/data/held-out/ (laid out the same way) and the
third-party articles beside the repository are only measured, never fitted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "articles"
BUNDLED = ROOT / "seeds" / "making-of-ai-interactions.md"


@dataclass(frozen=True)
class QuestionSet:
    name: str  # "nurse/real"
    article: Path
    questions: tuple[Path, ...]
    kind: str  # "real" or "dev"
    fitted: bool  # whether the coverage model may learn from it

    @property
    def group(self) -> str:
        """The article, for leave-one-article-out."""
        return self.name.split("/")[0]


def _article_sets(folder: Path, fitted: bool) -> list[QuestionSet]:
    """Each article of `folder` (<stem>.md) with its sets beside it: dev-like <stem>.jsonl,
    real phrasings phrasings/<stem>.jsonl, where they exist."""
    sets = []
    for article in sorted(folder.glob("*.md")):
        for kind, questions in (("dev", folder / f"{article.stem}.jsonl"), ("real", folder / "phrasings" / f"{article.stem}.jsonl")):
            if questions.exists():
                sets.append(QuestionSet(f"{article.stem}/{kind}", article, (questions,), kind, fitted))
    return sets


def own_sets() -> list[QuestionSet]:
    """Every own article's sets: fitted on."""
    return _article_sets(DATA, fitted=True)


def held_out_own_sets() -> list[QuestionSet]:
    """Articles of our own kept out of the fitting (held-out/<stem>.md, with the same two
    sets beside it): fresh articles and real phrasings the models never saw."""
    return _article_sets(DATA / "held-out", fitted=False)


def held_out_sets() -> list[QuestionSet]:
    """The bundled article's shared sets, our own held-out articles and the third-party
    articles: measured only."""
    sets = [
        QuestionSet("bundled/dev", BUNDLED, (DATA / "dev.jsonl", DATA / "dev-more.jsonl"), "dev", False),
        QuestionSet("bundled/real", BUNDLED, (DATA / "real.jsonl",), "real", False),
        *held_out_own_sets(),
    ]
    for name, questions in [
        ("getting-paid.md", SHARED / "getting-paid.jsonl"),
        ("tech-interview-10-steps.md", DATA / "tech-interview.jsonl"),
        ("working-remotely-year.md", DATA / "working-remotely.jsonl"),
    ]:
        if (SHARED / name).exists():
            sets.append(QuestionSet(f"{Path(name).stem}/dev", SHARED / name, (questions,), "dev", False))
    return sets
