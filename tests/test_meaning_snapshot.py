"""What a question reads of the meaning index is one view of which articles are in: an
article the encoding thread adds while a question is being matched joins the next
question, never half of this one."""

from __future__ import annotations

import numpy as np
import pytest

import knowledge.rank.meaning as meaning_module
from knowledge.rank.meaning import UNREAD, Meaning
from knowledge.rank.semantic import DIMENSIONS

ARTICLES, SECTIONS, ROWS = 6, 3, 4  # rows a section: three sentences and its heading


def _index(exact: bool, monkeypatch) -> tuple[Meaning, np.ndarray]:
    monkeypatch.setattr(meaning_module, "EXACT_ROWS", 10_000 if exact else 10)
    starts = np.arange(0, ARTICLES * SECTIONS * ROWS + 1, ROWS)
    bounds = [(a * SECTIONS, (a + 1) * SECTIONS) for a in range(ARTICLES)]
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(int(starts[-1]), DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return Meaning(starts, bounds), vectors


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "shortlist"])
def test_an_article_added_during_a_match_joins_the_next_one_whole(exact, monkeypatch):
    meaning, vectors = _index(exact, monkeypatch)

    def add(article: int) -> None:
        low, high = meaning.article_rows(article)
        meaning.add(article, vectors[low:high])

    add(0)
    add(1)
    question = vectors[5] + vectors[30]
    question /= np.linalg.norm(question)
    real_rows, real_similarities_of = Meaning.rows, Meaning._similarities_of
    coming = iter(range(2, ARTICLES))

    # The encoding thread's add, at the moment the question's rows are being read.
    def adding(real):
        def read_while_adding(self, *args):
            article = next(coming, None)
            if article is not None:
                add(article)
            return real(self, *args)

        return read_while_adding

    monkeypatch.setattr(Meaning, "rows", adding(real_rows))
    monkeypatch.setattr(Meaning, "_similarities_of", adding(real_similarities_of))
    words = np.linspace(1.0, 0.0, ARTICLES * SECTIONS)
    seen = []
    for _ in range(ARTICLES + 1):
        in_before = meaning.articles_ready
        matches = meaning.match(question, words)
        ready_sections = in_before * SECTIONS  # articles come in order: the first ones
        read = matches.rows[: ready_sections * ROWS]
        waiting = matches.rows[ready_sections * ROWS :]
        # The articles that were in when the question came are read (in the shortlist,
        # at least the best words' section); none that came in since is.
        assert (read > UNREAD).any() and (waiting == UNREAD).all(), (in_before, meaning.articles_ready)
        if ready_sections < len(matches.similarity):
            mean = matches.similarity[:ready_sections].mean()
            assert np.allclose(matches.similarity[ready_sections:], mean)
        # The spread of similarities is of those articles' rows alone, too.
        if exact:
            spread_rows = read
        else:
            sample = meaning._sample[meaning._sample < ready_sections * ROWS]
            spread_rows = meaning.vectors[sample].astype(np.float32) @ question
        assert np.allclose(matches.spread, (spread_rows.mean(), spread_rows.std()), atol=1e-5)
        seen.append(in_before)
    assert meaning.complete and seen[-1] == ARTICLES


def test_the_view_a_question_reads_cannot_be_changed_by_it(monkeypatch):
    meaning, _ = _index(True, monkeypatch)
    with pytest.raises(ValueError):
        meaning.ready[0] = True  # a reader's view is read-only; only `add` makes a new one
