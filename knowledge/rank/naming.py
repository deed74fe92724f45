"""Which article of a folder a question names: its career's own word ("nurses", "pilot"),
the way a reader of several articles says which one they ask about.

Many articles of a folder answer "do I need a degree?" or "Is It the Right Career for
You?"; "is nursing school hard?" is one article's. A word names an article when it is that
article's own: a word of its title or file name, used throughout it (in at least a quarter
of its sections, as `knowledge.base._subject` reads a title word), in at least half of all
the sections of the folder that use it, and by no other article whose title or file name
has it throughout. A word of a synonym group ("pay", "training") is a topic every career
has, not a career: it names none. Neither does a word of the title that other articles use
as much ("Where It Leads": "lead"), nor one two articles are about ("analyst", of a data
analyst's and a cybersecurity analyst's).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .analysis import Term
from .retrieval import LuceneBM25

# An article uses its own word in at least this share of its sections.
THROUGHOUT = 0.25


def naming_words(index: LuceneBM25, leads: Sequence[int], names: Sequence[Sequence[Term]]) -> dict[str, int]:
    """Each stem that names one article, and that article's number: `index` holds one
    document a section, `leads[a]` is article a's first section, `names[a]` the terms of
    its title and file name."""
    sections = index.corpus_size
    firsts = np.asarray(leads)
    sizes = np.diff(np.append(firsts, sections))
    owners: dict[str, set[int]] = {}
    for article, terms in enumerate(names):
        for term in terms:
            if not term.groups:
                for stem in term.stems:
                    owners.setdefault(stem, set()).add(article)
    named: dict[str, int] = {}
    for stem, titled in owners.items():
        documents = index.documents(stem)
        if documents is None:
            continue
        articles, counts = np.unique(np.searchsorted(firsts, documents, side="right") - 1, return_counts=True)
        throughout = counts >= np.maximum(1.0, THROUGHOUT * sizes[articles])
        own = [i for i in np.flatnonzero(throughout).tolist() if int(articles[i]) in titled]
        if len(own) == 1 and 2 * counts[own[0]] >= len(documents):
            named[stem] = int(articles[own[0]])
    return named


def named_article(terms: Sequence[Term], naming: dict[str, int]) -> int | None:
    """The one article a question's words name, if they name exactly one."""
    articles = {naming[stem] for term in terms for stem in term.stems if stem in naming}
    return articles.pop() if len(articles) == 1 else None
