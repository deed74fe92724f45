"""Fit the engine's two learned decisions from the labelled sets in tests/data:
which passage answers (the re-ranker) and whether it answers (the coverage model).

    pip install -e '.[fit]'
    python scripts/fit.py               # fit, print leave-one-article-out figures, write both models
    python scripts/fit.py --check       # exit 1 unless the shipped models are what the data gives

Data: every own article in tests/data with its labelled questions (scripts/question_sets.py):
a set written like the dev sets and one of real phrasings quoted from public pages. The
bundled article's shared sets and third-party articles are never fitted on.

Re-ranker: a logistic model over each candidate section's signals (knowledge/rank/reranking.py),
labelled by whether the question's labels accept that section.

Coverage: a logistic model over one answer's signals (knowledge/answer/calibration.py), labelled by
whether the passage the engine weighed is one the labels accept (an unanswerable question's
never is). Its rows come from the engine with, for each article, the re-ranker fitted
without that article, so they carry the ranking errors an unseen article will see.
Thresholds are chosen on leave-one-article-out probabilities: "covered" at the lowest
probability down to which covered answers stay right at least PRECISION of the time on real
phrasings and DEV_PRECISION on questions written like the dev sets (from the top, once each
kind has LEAST_COVERED covered answers), the median of that level over BOOTSTRAPS draws of
the articles; "none" below the highest probability that wrongly refuses at most
REFUSE_BUDGET of the answerable questions; "partial" (an answer lacking
something asked) at the lowest probability down to which such answers stand on a right
passage at least PRECISION of the time, both kinds together (they are few), below it they
are "closest". A second logistic model over the
same signals tells everyday questions far from the article from answerable ones; it refuses
where at most FAR_BUDGET of the answerable questions would be.

scikit-learn is used here only; the engine applies the coefficients with numpy.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from question_sets import QuestionSet, own_sets  # noqa: E402

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.answer.calibration import (  # noqa: E402
    MEANING_SIGNALS,
    SIGNALS,
    CoverageModel,
    Decision,
    Thresholds,
)
from knowledge.answer.calibration import MODEL_PATH as COVERAGE_PATH  # noqa: E402
from knowledge.evaluation import EvalQuestion, read_questions  # noqa: E402
from knowledge.rank.fitted import Fitted  # noqa: E402
from knowledge.rank.reranking import FEATURES, MEANING_FEATURES, RankingModel  # noqa: E402
from knowledge.rank.reranking import MODEL_PATH as RANKING_PATH  # noqa: E402

# The aim is 0.80 on real phrasings nobody here has seen, which have been harder than ours:
# at 0.82 the level came down to where left-one-out precision was 0.84, too thin a margin
# (docs/benchmarks.md); 0.85 keeps more of one.
PRECISION = 0.85
DEV_PRECISION = 0.95
# A precision measured on fewer covered answers than this is noise, not a reason to stop.
LEAST_COVERED = 20
# At 0.015 rather than 0.02, left one article out, as many far questions are refused and a
# third fewer answerable ones (0.020 -> 0.014 of real phrasings): the far model refuses most.
REFUSE_BUDGET = 0.015
# The far-off-topic model refuses at the lowest probability (not under FAR_LEAST) where at
# most FAR_BUDGET of the answerable questions, left out article by article, would be refused.
FAR_BUDGET = 0.005
FAR_LEAST = 0.5
# The "covered" level is the median over this many resamplings of the articles (seeded:
# the fit gives the same models every time).
BOOTSTRAPS = 201
SEED = 0
# Ridge strength of both logistic models (scikit-learn's C): mild, the signals are few.
C = 1.0
DIGITS = 6


def _accepts(found: str | None, question: EvalQuestion) -> bool:
    return bool(found) and any(found == e or found.endswith("/" + e) for e in question.expected)


def _questions(qs: QuestionSet) -> list[EvalQuestion]:
    return [q for path in qs.questions for q in read_questions(path)]


def _bases(semantic: bool) -> dict[str, KnowledgeBase]:
    return {qs.group: KnowledgeBase.load(qs.article, semantic=semantic) for qs in own_sets()}


def fit(x: np.ndarray, y: np.ndarray, names: tuple[str, ...]) -> Fitted:
    """A logistic model on standardised columns, rounded so the file is reproducible."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit((x - mean) / scale, y)
    r = lambda values: [round(float(v), DIGITS) for v in values]  # noqa: E731
    return Fitted(
        signals=names,
        mean=r(mean),
        scale=r(scale),
        coefficients=r(model.coef_[0]),
        intercept=round(float(model.intercept_[0]), DIGITS),
    )


# --- which passage -------------------------------------------------------------------


@dataclass
class Candidates:
    article: str
    kind: str
    rows: np.ndarray  # one row of FEATURES per candidate section
    right: np.ndarray  # whether the labels accept each candidate


def collect_candidates(bases: dict[str, KnowledgeBase]) -> list[Candidates]:
    """Every answerable question's candidate sections, as the re-ranker sees them."""
    out = []
    for qs in own_sets():
        kb = bases[qs.group]
        for q in _questions(qs):
            if not q.in_scope:
                continue
            query = kb.read(q.question)
            kb.rank(query)
            if query.candidates is None:
                continue
            right = np.array([_accepts(kb.sections[i].id, q) for i in query.candidates])
            if right.any():
                out.append(Candidates(qs.group, qs.kind, query.candidate_features, right))
    return out


def fit_ranker(items: list[Candidates], names: tuple[str, ...]) -> Fitted:
    columns = [FEATURES.index(n) for n in names]
    x = np.concatenate([c.rows[:, columns] for c in items])
    return fit(x, np.concatenate([c.right for c in items]), names)


def top1(items: list[Candidates], model: Fitted | None) -> float:
    """Share of questions whose best candidate is right (None: the hand-weighted order)."""
    hits = []
    for c in items:
        if model is None:
            scores = c.rows[:, FEATURES.index("current")]
        else:
            scores = model.probabilities(c.rows[:, [FEATURES.index(n) for n in model.signals]])
        hits.append(bool(c.right[int(np.argmax(scores))]))
    return round(float(np.mean(hits)), 3) if hits else float("nan")


def rankers(bases: dict[str, KnowledgeBase], semantic: bool) -> tuple[Fitted, dict[str, Fitted], dict]:
    """The re-ranker on every article, one per left-out article, and their figures."""
    names = FEATURES if semantic else tuple(n for n in FEATURES if n not in MEANING_FEATURES)
    items = collect_candidates(bases)
    folds = {a: fit_ranker([c for c in items if c.article != a], names) for a in sorted({c.article for c in items})}
    report = {}
    for kind in ("real", "dev"):
        held = [(c, folds[c.article]) for c in items if c.kind == kind]
        report[kind] = {
            "questions": len(held),
            "top1_hand_weighted": top1([c for c, _ in held], None),
            "top1_leave_one_article_out": round(
                float(np.mean([top1([c], m) for c, m in held])) if held else float("nan"), 3
            ),
        }
    return fit_ranker(items, names), folds, report


# --- whether it answers ---------------------------------------------------------------


@dataclass
class Row:
    article: str
    kind: str  # the set's: "real" or "dev"
    in_scope: bool
    far: bool  # an everyday question, nowhere near the article's subject
    judged: str
    values: dict[str, float]
    right: bool


def collect_answers(bases: dict[str, KnowledgeBase], folds: dict[str, Fitted]) -> list[Row]:
    """Ask every fitted set's questions, each article ranked by the re-ranker fitted
    without it (set on `bases`, which keep it), and keep each weighed passage's signals
    and label."""
    rows = []
    for qs in own_sets():
        kb = bases[qs.group]
        fold = folds[qs.group]
        kb._ranker = RankingModel(meaning=fold, words=fold)
        for q in _questions(qs):
            assessed = kb.assess(q.question)
            if assessed.signals is None:
                continue  # refused by words, small talk, about the article: not the model's call
            far = q.kind == "out-of-scope"
            right = _accepts(assessed.section_id, q)
            rows.append(Row(qs.group, qs.kind, q.in_scope, far, assessed.judged or "", assessed.signals.values, right))
    return rows


def _matrix(rows: list[Row], names: tuple[str, ...]) -> np.ndarray:
    return np.array([[r.values.get(n, 0.0) for n in names] for r in rows])


def out_of_fold(rows: list[Row], names: tuple[str, ...], label: str = "right") -> np.ndarray:
    """Each row's probability (of `label`) from a model fitted without its article. The far
    model learns from answerable and far questions only, not the near ones between."""
    x, y = _matrix(rows, names), np.array([getattr(r, label) for r in rows])
    used = np.array([label == "right" or r.in_scope or r.far for r in rows])
    articles = np.array([r.article for r in rows])
    p = np.zeros(len(rows))
    for article in sorted(set(articles)):
        held = articles == article
        p[held] = fit(x[used & ~held], y[used & ~held], names).probabilities(x[held])
    return p


def measure(rows: list[Row], p: np.ndarray, far: np.ndarray, limits: Thresholds, kind: str | None = None) -> dict:
    """Precision and share of covered, answerable refused, far refused, near not covered."""
    pick = [i for i, r in enumerate(rows) if kind is None or r.kind == kind]
    refused = {i for i in pick if p[i] < limits.refuse or far[i] >= limits.far}
    covered = {i for i in pick if i not in refused and p[i] >= limits.covered and rows[i].judged != "partial"}
    scope = [i for i in pick if rows[i].in_scope]
    far_off = [i for i in pick if rows[i].far]
    near = [i for i in pick if not rows[i].in_scope and not rows[i].far]
    share = lambda hits, of: round(len(hits) / len(of), 3) if of else None  # noqa: E731
    return {
        "rows": len(pick),
        "covered": len(covered),
        "precision_covered": share([i for i in covered if rows[i].right], covered),
        "share_covered": share(covered, pick),
        "wrongly_refused": share([i for i in scope if i in refused], scope),
        "far_refused": share([i for i in far_off if i in refused], far_off),
        "near_not_covered": share([i for i in near if i not in covered], near),
    }


def choose(rows: list[Row], p: np.ndarray, far: np.ndarray) -> Thresholds:
    """Thresholds from the out-of-fold probabilities (see the module's docstring)."""
    scope = np.array([r.in_scope for r in rows])
    refuse = 0.0
    for t in np.round(np.arange(0.0, 0.5, 0.01), 2):
        if np.mean(p[scope] < t) <= REFUSE_BUDGET:
            refuse = float(t)
    far_at = 1.0
    for t in np.round(np.arange(0.99, FAR_LEAST - 0.005, -0.01), 2):
        if np.mean(far[scope] >= t) <= FAR_BUDGET:
            far_at = float(t)
    covered = choose_covered(rows, p, far, far_at)
    partial = choose_partial(rows, p, far, min(refuse, covered), far_at)
    return Thresholds(covered=covered, partial=partial, refuse=min(refuse, covered), far=far_at)


def _from_top(p: np.ndarray, right: np.ndarray, groups: list[tuple[np.ndarray, float]]) -> float:
    """The lowest probability down to which, read from the top, each group's answers at or
    above it stand on a right passage at least its target share of the time, once every
    group counts LEAST_COVERED of them; 1.0 where none does."""
    at = 1.0
    for t in np.round(np.arange(0.99, 0.0, -0.01), 2):
        above = p >= t
        counts = [int((above & group).sum()) for group, _ in groups]
        if min(counts) < LEAST_COVERED:
            continue
        if all((above & group & right).sum() >= target * n for (group, target), n in zip(groups, counts)):
            at = float(t)
        else:
            break
    return at


def choose_covered(rows: list[Row], p: np.ndarray, far: np.ndarray, far_at: float) -> float:
    """Where "covered" is said: right at least PRECISION of the time on real phrasings and
    DEV_PRECISION on the others (`_from_top`), the median over BOOTSTRAPS resamplings of
    the articles. Read once, that level sits where precision runs along a plateau near
    PRECISION, and two rows more or less moved it by 0.02 or more; the median moves only
    when the answers do."""
    eligible = (far < far_at) & np.array([r.judged != "partial" for r in rows])
    right = np.array([r.right for r in rows])
    real = np.array([r.kind == "real" for r in rows])
    articles = np.array([r.article for r in rows])
    names = sorted(set(articles))
    members = [np.flatnonzero(articles == a) for a in names]
    draws = np.random.default_rng(SEED).integers(0, len(names), size=(BOOTSTRAPS, len(names)))
    levels = []
    for draw in draws:
        at = np.concatenate([members[i] for i in draw])
        kinds = [(eligible[at] & real[at], PRECISION), (eligible[at] & ~real[at], DEV_PRECISION)]
        levels.append(_from_top(p[at], right[at], kinds))
    return float(np.quantile(levels, 0.5, method="lower"))


def choose_partial(rows: list[Row], p: np.ndarray, far: np.ndarray, refuse: float, far_at: float) -> float:
    """Where "partly answered" is said: the answers judged partial (and not refused), both
    kinds together (they are few), right at least PRECISION of the time (`_from_top`)."""
    partial = np.array([r.judged == "partial" for r in rows]) & (p >= refuse) & (far < far_at)
    return _from_top(p, np.array([r.right for r in rows]), [(partial, PRECISION)])


def _auroc(p: np.ndarray, y: np.ndarray) -> float:
    """Chance that a right answer gets a higher probability than a wrong one."""
    pos, neg = p[y], p[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return round(float(wins / (len(pos) * len(neg))), 3)


def decision(rows: list[Row], names: tuple[str, ...], p: np.ndarray, far: np.ndarray) -> Decision:
    """The coverage decision on `rows`: both models fitted on all of them, the thresholds
    chosen on their out-of-fold probabilities (`p`, `far`)."""
    x, y = _matrix(rows, names), np.array([r.right for r in rows])
    used = np.array([r.in_scope or r.far for r in rows])
    return Decision(
        answers=fit(x, y, names),
        far=fit(x[used], np.array([r.far for r in rows])[used], names),
        thresholds=choose(rows, p, far),
    )


def coverage(bases: dict[str, KnowledgeBase], semantic: bool, folds: dict[str, Fitted]) -> tuple[Decision, dict]:
    names = SIGNALS if semantic else tuple(n for n in SIGNALS if n not in MEANING_SIGNALS)
    rows = collect_answers(bases, folds)
    p, far = out_of_fold(rows, names), out_of_fold(rows, names, "far")
    made = decision(rows, names, p, far)
    y = np.array([r.right for r in rows])
    report = {
        "thresholds": made.thresholds.model_dump(),
        "auroc": {k: _auroc(p[m], y[m]) for k, m in (("real", _kind(rows, "real")), ("dev", _kind(rows, "dev")))},
        "leave_one_article_out": {k: measure(rows, p, far, made.thresholds, k) for k in ("real", "dev")},
    }
    return made, report


def _kind(rows: list[Row], kind: str) -> np.ndarray:
    return np.array([r.kind == kind for r in rows])


def build() -> tuple[RankingModel, CoverageModel, dict]:
    articles = sorted({qs.group for qs in own_sets()})
    data = f"scripts/fit.py on {len(articles)} articles: {', '.join(articles)}"
    report: dict = {}
    ranking, decisions = {}, {}
    for mode, semantic in (("meaning", True), ("words", False)):
        bases = _bases(semantic)  # each article loaded once a mode
        ranking[mode], folds, report[f"ranking ({mode})"] = rankers(bases, semantic)
        decisions[mode], report[f"coverage ({mode})"] = coverage(bases, semantic, folds)
    return (
        RankingModel(meaning=ranking["meaning"], words=ranking["words"], data=data),
        CoverageModel(meaning=decisions["meaning"], words=decisions["words"], data=data),
        report,
    )


def _text(model) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=1) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Fit the re-ranker and the coverage model from the labelled sets.")
    parser.add_argument("--check", action="store_true", help="exit 1 unless the shipped models are what the data gives")
    parser.add_argument("--report", type=Path, help="also write the leave-one-article-out figures as JSON")
    args = parser.parse_args()
    ranking, covered, report = build()
    print(json.dumps(report, indent=1))
    if args.report:
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.check:
        same = RANKING_PATH.read_text(encoding="utf-8") == _text(ranking) and COVERAGE_PATH.read_text(encoding="utf-8") == _text(covered)
        print("the shipped models are what the data gives" if same else "the shipped models differ from what the data gives")
        return 0 if same else 1
    RANKING_PATH.write_text(_text(ranking), encoding="utf-8")
    COVERAGE_PATH.write_text(_text(covered), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
