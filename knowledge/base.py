"""KnowledgeBase: the library's one entry point. Load articles once, ask many questions."""

from __future__ import annotations

import bisect
import functools
import itertools
import numbers
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .answer.calibration import CoverageModel, Signals, decide, question_shape
from .answer.calibration import load_model as load_coverage_model
from .answer.compose import (
    CLOSEST_NOTE,
    MAX_SENTENCES,
    SAYS_IT,
    Indexed,
    about_article,
    about_section,
    as_typed,
    compose,
    judge,
    refusal,
    should_refuse,
    small_talk,
    unquoted,
)
from .answer.coverage import (
    Definition,
    about_the_article,
    asked_definition,
    asked_fact,
    asks_why,
    defines,
    disowned,
    gives_reason,
    is_small_talk,
)
from .answer.parts import (
    MOST_PARTS,
    PART_SENTENCES,
    Asked,
    answers_alone,
    is_short,
    join,
    parts,
    points_back,
    quoted_text,
)
from .collector import collector_paused
from .inputs import question_text
from .models import Answer, ArticleInfo, Citation, Section, SectionScore
from .rank.acronyms import read_acronyms, spelled_out
from .rank.analysis import Analyzer
from .rank.encoding import Encoding, give_back_memory
from .rank.fusion import fuse_sections, meant_matches, minmax
from .rank.meaning import Meaning, ranges
from .rank.names import names
from .rank.naming import named_article, naming_words
from .rank.query import Query, Vocabulary, parse_query
from .rank.reranking import FEATURES, Evidence, RankingModel, features
from .rank.reranking import load_model as load_ranking_model
from .rank.retrieval import Joined, LuceneBM25, Runs
from .rank.semantic import Encoder, Soon, settle, start_encoder, unsound_rows
from .rank.tokens import analyze_article
from .read.address import is_web_address
from .read.article import (
    Article,
    ArticleError,
    article_files,
    bundled_article,
    none_readable,
)
from .recent import Recent
from .seal import user_key
from .settings import cache_folder
from .store.cache import (
    FolderIndex,
    adopt_folder_vectors,
    engine_fingerprint,
    folder_index_path,
    folder_vectors_path,
    load_analyzer,
    load_many,
    read_folder_index,
    read_folder_vectors,
    read_vectors,
    store_vectors,
    vector_path,
    write_folder_index,
    write_folder_vectors,
)

# Heading words are strong evidence for their section: they count this many times.
HEADING_WEIGHT = 3
# How much a section's best sentence counts beside the whole section's score.
SENTENCE_WEIGHT = 0.6
# Sections whose sentences are read one by one for each question, at most.
SENTENCE_CANDIDATES = 40
# A heading this similar to the question (cosine) is the question itself, reworded; for a
# question of the article's subject words only (which would go to the opening), a little
# less will do: "what exactly does a data analyst do?" is "What Does a Data Analyst Do?".
# Measured on the shared sets: at 0.85 for every question, "Will prompt engineering be a
# job in the future?" matched "Should You Start a Career in Prompt Engineering?" (0.86).
HEADING_MATCH = 0.93
SUBJECT_HEADING_MATCH = 0.85
# A folder of thousands of sections ranks only this many in an answer (building the
# list is most of an answer's time at 12,000 sections; MRR and top-3 need far fewer).
RANKING_LIMIT = 50
# Of a folder, another article's passage answers a question too when the re-ranker gives it
# at least this probability (a candidate's score is 1 and its probability).
ALSO_ANSWERS = 0.5
# Of a folder, the articles answers last came from, kept as if each were loaded alone,
# while their sentences add up to no more than this (one of our articles, a few hundred
# sentences: half a megabyte, made in about 10 ms; both grow with an article's sentences,
# about 20 MB and most of a second at 8,000 with meaning, so some 50 MB at most): whether
# an answer covers the question is judged as the article it quotes would alone.
ARTICLE_BASES_SENTENCES = 20_000
# A load waits for meaning by default when no more than this many sentences and headings
# are left to encode (a second or two: one article, a few); more are encoded in the
# background while words answer.
WAIT_ROWS = 3000

# A heading that is a clause of its own ("How to become a nurse", "What nurses do"), and one
# that is a question without its mark ("How Much Do Paralegals Make"): read for suggestions
# only, patterns' texts compiled (and kept, by `re`) when first used.
_WH = r"(what|how|why|when|where|who|which)"
_WH_CLAUSE = rf"(?i){_WH}\b"
_WH_QUESTION = rf"(?i){_WH}(\s+(much|many|long|often))?\s+(do|does|did|is|are|was|were|can|should|will|would)\b"


def _as_question(heading: str) -> str | None:
    """A heading that asks a question, as one ("How Much Do Paralegals Make" with its mark)."""
    if heading.endswith("?"):
        return heading
    return f"{heading}?" if re.match(_WH_QUESTION, heading) else None


def _asking_about(heading: str) -> str:
    """A heading that asks nothing, as a request for its section: "What about nurse
    salary?"; a clause of its own, "Tell me about what nurses do on a shift" (no "What
    about what ...")."""
    if re.match(_WH_CLAUSE, heading):
        return f"Tell me about {heading.lower()}"
    return f"What about {heading.lower()}?"


def _closest_saying(answer: Answer, note: str, missing: list[str] | None = None) -> Answer:
    """An answer whose passage does not give what the question's form asks (a definition, a
    reason): never "Answered", the closest passage with `note` saying what it lacks."""
    update = {"coverage": "closest", "message": note}
    return answer.model_copy(update=update if missing is None else update | {"missing": missing})


def _subject(index: LuceneBM25, analyzer: Analyzer, articles: list[ArticleInfo]) -> frozenset[str]:
    """What the articles are about: words most sections use, and title words several use.
    In an article of two or three sections, a word of one section is not "most" of them:
    "dangerous" in one of two would make "is welding dangerous?" a question about the
    whole subject."""
    n = index.corpus_size
    titles = {s for a in articles for t in analyzer.terms(a.title) for s in t.stems}
    return frozenset(
        t
        for t, df in index.doc_freq.items()
        if not t.startswith("~") and (df >= max(n / 2, min(n, 2)) or (t in titles and df >= n / 4))
    )


def _best_of(similarity: np.ndarray | None) -> float | None:
    return float(similarity.max()) if similarity is not None and len(similarity) else None


def _best(scores: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the `count` best scores, best first, ties in index order: a partial sort
    first when there are many (building a full order is most of an answer's time at
    12,000 sections)."""
    if len(scores) <= count:
        return np.argsort(-scores, kind="stable")
    kept = np.argpartition(-scores, count - 1)[:count]
    kept = np.flatnonzero(scores >= scores[kept].min())  # every tie at the cut, in order
    return kept[np.argsort(-scores[kept], kind="stable")][:count]


def _each_best(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The greatest of `values[starts[i]:ends[i]]` for each i (none empty), reading only
    those (a copy of a folder's 110,000 sentence scores was most of it)."""
    if not len(starts):
        return np.zeros(0)
    at, firsts, _ = ranges(starts, ends)
    return np.maximum.reduceat(values[at], firsts)


def _sentences(sentences: list[list[str]], headings: list[list[str]]) -> Joined:
    """Each section's sentences' tokens, then its heading as one more (never quoted)
    sentence: a heading that matches counts as that section's best sentence."""
    texts: list[str] = []
    for joined, heading in zip(sentences, headings, strict=True):
        texts += joined
        texts.append(" ".join(heading))
    return Joined(texts)


def _by_initial(words: set[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for word in sorted(words):
        table.setdefault(word[:1], []).append(word)
    return table


@dataclass(frozen=True)
class Assessment:
    """An answer and the signals its coverage was decided from, for fitting that decision."""

    answer: Answer
    signals: Signals | None = None
    section_id: str | None = None  # the passage weighed, also when the outcome is a refusal
    judged: str | None = None  # the coverage words and the asked fact gave, before the model
    # Of a folder, a question naming no article: the title of the one quoted and how many
    # others answer it too, said beside the answer (`from_note`), and beside each part's.
    quoted_from: tuple[str, int] | None = None
    # Of a folder, the article (its slug) a part of a message was asked of, where one was
    # chosen for it: the one given, or the one the part it leans on was answered from.
    asked_of: str | None = None


def from_note(title: str, others: int, part: str | None = None) -> str:
    """Which article an answer quotes, and that others answer too ("name the one you
    mean"); of a message of several, `part` is the question of its own the note is for."""
    note = f"\u201c{part}\u201d is from \u201c{title}\u201d" if part is not None else f"From \u201c{title}\u201d"
    if others:
        said = "another article answers" if others == 1 else f"{others} other articles answer"
        note += f"; {said} {'it' if part is not None else 'this'} too: name the one you mean"
    return f"{note}."


@dataclass(frozen=True)
class ArticleReading:
    """A question as one article of a folder, loaded alone, reads it
    (`KnowledgeBase._as_its_article`): that article's knowledge base, its reading and
    ranking, the weighed passage's number among its sections and its nearest sentence in
    meaning."""

    base: "KnowledgeBase"
    query: Query
    ranking: list[SectionScore]
    index: int
    nearest: float | None


def _sentence_count(kb: "KnowledgeBase") -> int:
    """How many sentences a knowledge base holds: what it weighs in memory."""
    return sum(section.sentence_count for section in kb.sections)


def _distinct_slugs(articles: list[ArticleInfo]) -> None:
    """Give each article of a folder its own slug, the prefix of its section ids: files
    whose names make one slug ("Nurse.md", "nurse.md", "nurse.html") would share ids, and a
    citation of one would open the other's passage. The second and later get "-2", "-3", ...
    (never another file's own slug)."""
    taken = {a.slug for a in articles}
    seen: set[str] = set()
    for info in articles:
        if info.slug in seen:
            n = 2
            while f"{info.slug}-{n}" in taken:
                n += 1
            info.slug = f"{info.slug}-{n}"
            taken.add(info.slug)
        seen.add(info.slug)


class KnowledgeBase:
    """Articles split into sections, indexed for questions: `KnowledgeBase.load(path)`,
    then `ask`, `search`, `sections`, `section`.

    Answering changes nothing but caches of the articles' own words, so one knowledge base
    may answer from several threads at once (the web server's do); give each person a
    `chat.Conversation`.
    """

    def __init__(
        self,
        articles: list[Article],
        analyzer: Analyzer | None = None,
        encoder: Encoder | None = None,
        vectors: list[np.ndarray | None] | None = None,
        built: FolderIndex | None = None,
        models: tuple[CoverageModel, RankingModel] | None = None,
    ):
        """`encoder` and `vectors` (one array per article, see `cache.read_vectors`; None
        for one whose vectors come later, through `self.meaning.add`) add meaning beside
        words; without them the engine answers by words alone. `built`: the sentence index
        and word counts of these articles, kept by an earlier load. `models`: the shipped
        coverage and ranking models, already read (a folder's article made alone shares
        the folder's), else read here."""
        if isinstance(articles, (str, Path)):
            raise TypeError(f"KnowledgeBase takes parsed articles; to read {str(articles)!r}, use KnowledgeBase.load(path)")
        if not articles:
            raise ArticleError("no articles to load")
        self.analyzer = analyzer or Analyzer.default()
        self._articles: list[ArticleInfo] = [a.info for a in articles]
        several = len(articles) > 1
        if several:
            _distinct_slugs(self._articles)
        self._sections: list[Section] = []
        self._indexed: dict[str, Indexed] = {}
        frequency: dict[str, int] = {}
        self._leads: list[int] = []  # each article's first section
        heading_tokens: list[list[str]] = []
        sentence_tokens: list[list[str]] = []  # per section, read into the index, then let go
        for article in articles:
            self._leads.append(len(self._sections))
            tokens = article.tokens or analyze_article(article.info.title, article.sections, self.analyzer)
            article.tokens = None  # read into the index here, then let go: a folder's are tens of MB
            if built is None:
                for word, times in tokens.frequencies():
                    frequency[word] = frequency.get(word, 0) + times
                sentence_tokens += tokens.sentences
            for section in article.sections:
                if several:
                    section.article = article.info.slug
                    section.id = f"{article.info.slug}/{section.id}"
            self._sections += article.sections
            heading_tokens += tokens.headings
        # Sentence-level rarity: a term in every section can still pick out one sentence.
        if built is None:
            self.sentence_index = LuceneBM25(_sentences(sentence_tokens, heading_tokens))
        else:
            self.sentence_index, frequency = LuceneBM25(built.sentences), built.frequency
        del sentence_tokens
        starts = np.cumsum([0] + [s.sentence_count + 1 for s in self._sections])
        rows = zip(starts[:-1].tolist(), (starts[1:] - 1).tolist())  # each section's sentences
        for section, heading, (first, end) in zip(self._sections, heading_tokens, rows, strict=True):
            asks = frozenset(t for t in heading if t[0] != "~") if section.title.endswith("?") else frozenset()
            # Its words beyond the subject are kept once the subject is known (below).
            self._indexed[section.id] = Indexed(section, range(first, end), heading_question=asks, heading_words=asks)
        # A passage is its section's sentences and its heading, the heading counted
        # HEADING_WEIGHT times: indexed from the sentence index, not read again.
        weights = np.ones(int(starts[-1]), dtype=np.int64)
        weights[starts[1:] - 1] = HEADING_WEIGHT
        self.index = LuceneBM25(Runs(self.sentence_index, starts, weights))
        # Each section's rows in the sentence index: its sentences, then its heading.
        self._sentence_starts, self._sentence_ends = starts[:-1], starts[1:]
        every_token = set(self.index.idf)
        lexicon_words = {w for phrase in self.analyzer.phrases for w in phrase if len(phrase) == 1}
        self.vocabulary = Vocabulary(
            stems=frozenset(t for t in every_token if not t.startswith("~")),
            groups=frozenset(t for t in every_token if t.startswith("~")),
            spellings=_by_initial(set(frequency) | lexicon_words | set(self.analyzer.stopwords)),
            subject=_subject(self.index, self.analyzer, self._articles),
            headings=frozenset(t for heading in heading_tokens for t in heading if t[0] not in "~?"),
            recurring=frozenset(t for t, df in self.sentence_index.doc_freq.items() if df > 1),
            frequency=frequency,
        )
        for indexed in self._indexed.values():
            indexed.heading_question -= self.vocabulary.subject
        self.encoder = encoder if vectors is not None else None
        self.meaning: Meaning | None = None
        self._encoding: Encoding | None = None
        self._keys = [a.key for a in articles]
        if self.encoder is not None:
            self.meaning = Meaning(starts, self._article_sections())
            for i, article_vectors in enumerate(vectors or []):
                if article_vectors is not None:
                    self.meaning.add(i, article_vectors)
        self._position = {s.id: i for i, s in enumerate(self._sections)}
        self._by_slug = {info.slug: i for i, info in enumerate(self._articles)}  # slugs are distinct
        self._lead_set = frozenset(self._leads)
        # Each heading's words, to find a question that repeats one: heading -> section.
        self._headings: dict[str, int] = {}
        for i, s in enumerate(self._sections):
            self._headings.setdefault(" ".join(self.analyzer.words(s.title)), i)
        self._spelled: dict[str, str | None] = {}  # acronym -> its words in the articles, once looked for
        self._names: frozenset[str] | None = None  # stems the articles use as names, once needed
        self._naming: dict[str, int] | None = None  # stem -> the one article it names, once needed
        # Files of a folder that could not be read, each said as its error (`load`).
        self.skipped: list[str] = []
        self._coverage, self._ranker = models or (load_coverage_model(), load_ranking_model())
        self._article_bases: Recent[tuple[int, bool], KnowledgeBase] = Recent(ARTICLE_BASES_SENTENCES, _sentence_count)
        # What the re-ranker reads of each section besides scores: its heading's terms,
        # its length, whether it opens or closes its article.
        self._heading_terms = [frozenset(t for t in heading if t[0] != "?") for heading in heading_tokens]
        self._sentence_counts = np.array([s.sentence_count for s in self._sections], dtype=np.float64)
        self._lead_mask = np.zeros(len(self._sections))
        self._lead_mask[self._leads] = 1.0
        self._last_mask = np.zeros(len(self._sections))
        self._last_mask[[i - 1 for i in self._leads[1:]] + [len(self._sections) - 1]] = 1.0

    @property
    def semantic(self) -> bool:
        """Whether meaning is in use (the model loaded), beside words."""
        return self.meaning is not None

    @property
    def meaning_state(self) -> str:
        """"complete": every article's vectors are in; "partial": some are still being
        encoded (or encoding stopped short), so every answer is by words until they are in;
        "off"."""
        if self.meaning is None:
            return "off"
        return "complete" if self.meaning.complete else "partial"

    @property
    def meaning_progress(self) -> tuple[int, int]:
        """(articles whose vectors are in, articles); (0, 0) without meaning."""
        if self.meaning is None:
            return (0, 0)
        return (self.meaning.articles_ready, len(self._articles))

    def wait(self, timeout: float | None = None) -> bool:
        """Until meaning is complete (or encoding has stopped short: see `meaning_state`),
        at most `timeout` seconds; whether nothing is left being encoded."""
        return self._encoding.wait(timeout) if self._encoding is not None else True

    def _article_embedding_texts(self, article: int) -> list[str]:
        """What the model reads of an article: each section's sentences, then its heading."""
        first, end = self.meaning.article_sections[article]
        return [text for s in self._sections[first:end] for text in [*s.sentence_texts, s.title]]

    def _encode_in_background(
        self, missing: list[int], folder: Path | None, progress: Callable[[int, int], None] | None, whole: Path | None
    ) -> None:
        """Encode the articles `missing` their vectors, storing each as it is made (and at
        the end, all of them in one file at `whole`)."""
        encoder, meaning = self.encoder, self.meaning

        def encode(article: int) -> np.ndarray:
            return encoder.encode_many(self._article_embedding_texts(article)).astype(np.float16)

        def done(article: int, vectors: np.ndarray) -> None:
            store_vectors(vector_path(folder, self._keys[article], encoder), vectors)
            meaning.add(article, vectors, hold=whole is None)

        self._encoding = Encoding(missing, encode, done, progress, finished=functools.partial(self._encoded, folder, whole)).start()

    def _encoded(self, folder: Path | None, whole: Path | None) -> None:
        """Every article is encoded: the encoding's run memory is given back (the model's
        session keeps it otherwise: about 50 MB at a thousand articles), then a large
        folder's vectors are written in one file."""
        self.encoder.release()
        if whole is not None:
            self._write_whole(folder, whole)
        else:
            give_back_memory()

    def _stored_rows(self, folder: Path | None) -> Iterator[np.ndarray]:
        """Each article's rows as stored in its own file, one article at a time (encoded
        again should a file have gone since)."""
        for article, key in enumerate(self._keys):
            low, high = self.meaning.article_rows(article)
            rows = read_vectors(vector_path(folder, key, self.encoder), high - low)
            yield rows if rows is not None else self.encoder.encode_many(self._article_embedding_texts(article)).astype(np.float16)

    def _write_whole(self, folder: Path | None, whole: Path) -> None:
        """Once every article's vectors are in: write them all in one file (`whole`), read
        from then on where a question needs a row, as the next load's are, so no row is
        held; should that file not be written, every row is held instead."""
        meaning = self.meaning

        def summarised() -> Iterator[np.ndarray]:  # each article's gists made as its rows are read back
            for article, rows in enumerate(self._stored_rows(folder)):
                meaning.summarise(article, rows)
                yield rows

        write_folder_vectors(whole, meaning.stored_rows(), itertools.chain(summarised(), meaning.stored()))
        written = read_folder_vectors(whole, meaning.stored_rows())
        if not adopt_folder_vectors(meaning, written, rows_only=True):  # closed unless taken
            for article, rows in enumerate(self._stored_rows(folder)):
                meaning.hold(article, rows)
        give_back_memory()

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        semantic: bool | None = None,
        progress: Callable[[int, int], None] | None = None,
        encoder: Encoder | None = None,
        wait: bool | None = None,
        check: Callable[["KnowledgeBase"], None] | None = None,
    ) -> "KnowledgeBase":
        """Load a markdown article, a saved web page (.html), a folder of them, or the
        article at an http(s) address (default: the bundled article).

        `semantic`: use the sentence model beside words (default: on, unless
        CAREER_CHAT_SEMANTIC=off; off with a warning where the model cannot run).
        `progress(done, total)` is called after each article. `encoder`: one already
        started (`semantic.start_encoder`, which then stands for `semantic`), so its model
        was being read while the caller did other work (the CLI starts it before importing
        the engine).
        `wait`: whether to return only once meaning is complete. By default (None) a load
        waits when a few seconds' encoding is left at most (WAIT_ROWS), else it returns as
        soon as words are indexed and encodes in the background, each article joining the
        ranking as its vectors are made (`meaning_state`, `wait()`). A load that waits
        calls `progress` again as articles are encoded (from the encoding threads).
        `check(kb)`: called once words are indexed, before any sentence is encoded (`eval`
        checks its labels there, so a typo is said at once, not after a folder's encoding).
        Parsed articles and their vectors are cached by content (see `knowledge.store.cache`), so
        a large folder starts fast when nothing changed, and an interrupted first load
        resumes after the last article it encoded.
        """
        if wait is not None and not isinstance(wait, bool):  # "no" would read as yes
            raise TypeError(f"wait is True, False or None (wait when little is left), not {wait!r}")
        if isinstance(path, str) and not path.strip():  # Path("") is the working folder
            raise ArticleError("the article's path is empty: give a markdown file, a saved page, a folder or an http(s) address")
        if path is not None and is_web_address(str(path)):
            # Fetched (or kept) as a markdown article, then loaded as one; it is named by
            # its address.
            from .read.webcache import named_by_address, web_article

            with web_article(str(path)) as page:
                try:
                    kb = cls.load(page.path, semantic=semantic, progress=progress, encoder=encoder, wait=wait, check=check)
                except ArticleError as error:
                    raise named_by_address(error, page.path, str(path)) from None
            for info in kb.articles:
                info.path = page.url
            for section in kb.sections:
                section.source = page.url
            return kb
        # The model's session is made in a thread while the articles load.
        pending = encoder if encoder is not None else start_encoder(semantic)
        target = Path(path) if path is not None else bundled_article()
        folder = cache_folder()
        fingerprint = engine_fingerprint() if folder else ""
        analyzer = load_analyzer(folder, fingerprint)
        files = article_files(target)
        secret = user_key(folder) if folder else None
        with collector_paused():
            loaded = load_many(files, analyzer, folder, fingerprint, progress, pending.wait if pending else None, secret)
            if not loaded.articles and loaded.skipped:
                raise none_readable(target, len(files), loaded.skipped[0])
            articles = loaded.articles
            encoder = settle(pending)
            kept = folder_index_path(folder, target, articles)
            built = None
            if kept is not None:
                built = read_folder_index(kept, articles)
            keys = [a.key for a in articles]
            kb = cls(articles, analyzer, encoder, [None] * len(articles) if encoder is not None else None, built)
            kb.skipped = [str(error) for error in loaded.skipped]
            if check is not None:
                check(kb)
            if kept is not None and built is None:
                write_folder_index(kept, FolderIndex(kb.sentence_index.postings(), kb.vocabulary.frequency))
            del articles
            if kb.meaning is None:
                return kb
            # A large folder's vectors, all in one file, read row by row where a question
            # needs them; else each article's stored vectors, read one at a time.
            whole = folder_vectors_path(kept, encoder) if not kb.meaning.exact else None
            mapped = read_folder_vectors(whole, kb.meaning.stored_rows())
            missing = []
            adopted = adopt_folder_vectors(kb.meaning, mapped)  # closed unless taken
            for i, key in enumerate([] if adopted else keys):
                low, high = kb.meaning.article_rows(i)
                stored = read_vectors(vector_path(folder, key, encoder), high - low)
                if stored is None:
                    missing.append(i)
                else:
                    kb.meaning.add(i, stored, hold=whole is None)
        if missing:
            left = sum(high - low for low, high in map(kb.meaning.article_rows, missing))
            waiting = wait or (wait is None and left <= WAIT_ROWS)
            kb._encode_in_background(missing, folder, progress if waiting else None, whole)
            if waiting:
                kb.wait()
        elif not adopted and whole is not None:  # missing or damaged: written afresh
            kb._write_whole(folder, whole)
        return kb

    @property
    def title(self) -> str:
        """The article's title, or "N articles" of a folder."""
        return self.articles[0].title if len(self._articles) == 1 else f"{len(self._articles)} articles"

    @functools.cached_property
    def _refusal_topics(self) -> list[str]:
        """What the articles cover, for a refusal: every section's label, with its article's
        title when there are several ("Pay" is in most of a folder's articles), made on the
        first refusal, not at load (12,000 labels at a thousand articles)."""
        return [self.topic_name(s) for s in self._sections]

    @functools.cached_property
    def _titles(self) -> dict[str, str]:
        """Each article's title by its slug, where there are several to tell apart."""
        return {a.slug: a.title for a in self._articles} if len(self._articles) > 1 else {}

    def topic_name(self, section: Section) -> str:
        """A section as a list of topics names it: its label, with its article's title when
        there are several ("Pay" is in most of a folder's articles), unless it is that title."""
        title = self._titles.get(section.article, section.title)
        return section.label if title == section.title else f"{section.label} ({title})"

    @property
    def sections(self) -> list[Section]:
        """Every section, in order."""
        return self._sections

    @property
    def articles(self) -> list[ArticleInfo]:
        """Every article's frontmatter facts, in order."""
        return self._articles

    def section(self, section_id: str) -> Section:
        """The section with this id (or the frontmatter's passage a citation names, see
        `compose.about_section`); `KeyError` naming the id when there is none."""
        position = self._position.get(section_id)
        if position is not None:
            return self._sections[position]
        if self._about is not None and section_id == self._about.id:
            return self._about
        raise KeyError(f"no section has the id {section_id!r}; `kb.sections` (or `career-chat topics`) lists them") from None

    def quotes_its_own(self, answer: Answer) -> bool:
        """Whether each of `answer`'s citations is a sentence of these articles, on the line
        and in the section and article it names, and its text is those sentences and their
        markers alone: an answer kept between runs (a conversation stored as JSON) is
        followed or shown again only then, never quoting what an article does not say."""
        for citation in answer.citations:
            try:
                section = self.section(citation.section_id)
            except KeyError:
                return False
            if citation.article != section.article:
                return False
            if not any(s.text == citation.quote and s.line == citation.line for s in section.sentences):
                return False
        return answer.text == quoted_text(answer.citations)

    @functools.cached_property
    def _about(self) -> Section | None:
        """A single article's frontmatter as a passage (who wrote it, when), cited by
        answers about the article; not a section to rank or list."""
        if len(self._articles) != 1:
            return None
        return about_section(self._articles[0], self._sections[0], self._position)

    def read(self, question: str, *, meaning: bool = True) -> Query:
        """The question as the engine reads it: its known, missing and unknown words, and
        (unless `meaning` is off, or the model is) its vector."""
        query, vector = self._read(question, meaning=meaning)
        if vector is not None:
            query.vector = vector.result()
        return query

    def _read(self, question: str, *, meaning: bool = True, article: int | None = None) -> tuple[Query, Soon | None]:
        """`read`, its vector (if any) still being made on another thread while the words
        are read (and ranked: `_rank`); of a folder, the article it is about: the one it
        names, or `article` (its number) when given."""
        text = question_text(question)
        vector = None
        # Meaning joins only once every article's vectors are in: with some missing, their
        # sections would stand at the average and lose to any encoded article's, and the
        # learned decisions, fitted on complete meaning, would trust the result.
        wanted = meaning and self.encoder is not None and self.meaning.complete
        if wanted and not self.meaning.exact:
            # A large folder's words take a millisecond to score, time the model overlaps;
            # an article's take a tenth of that, less than handing the model to a thread
            # (measured on the bundled article: 2.52 ms against 2.21 a question).
            vector = self.encoder.encode_soon(text)
        query = parse_query(text, self.analyzer, self.vocabulary)
        read_acronyms(query, self.analyzer, self._spelled_out, self.vocabulary.stems)
        self._about_article(query, article)
        if wanted and vector is None:
            query.vector = self.encoder.encode([query.text])[0]
        return query, vector

    def _article_sections(self) -> list[tuple[int, int]]:
        """Each article's sections: the index of its first, and one past its last."""
        return list(zip(self._leads, self._leads[1:] + [len(self._sections)]))

    def _article_texts(self) -> Iterator[str]:
        """Each article's sections' text, one string an article, made as read: the lazy
        look-ups below read every section of a folder, once each."""
        return ("\n".join(s.text for s in self._sections[start:end]) for start, end in self._article_sections())

    def _spelled_out(self, acronym: str) -> str | None:
        """The words an acronym stands for in these articles (looked for once per acronym)."""
        if acronym not in self._spelled:
            self._spelled[acronym] = spelled_out(acronym, self._article_texts(), self.analyzer)
        return self._spelled[acronym]

    def rank(self, query: Query) -> list[SectionScore]:
        """Sections by score, best first (ties in article order): every section, or the
        best RANKING_LIMIT where there are more."""
        return self._rank(query)

    def _rank(self, query: Query, vector: Soon | None = None) -> list[SectionScore]:
        """`rank`; `vector`: the question's, still being made (`_read`): what words alone
        decide is done first, and `query.vector` set once it is in."""
        scores = self.index.score(query.weights)
        within = self._within(query.article)
        top = float(scores.max()) if len(scores) else 0.0
        query.lexical_top = within.start + int(np.argmax(scores[within])) if top > 0 else None
        query.lexical_strength = top / max(1.0, sum(query.weights.values()))
        similarity = rows = headings = matches = None
        with_meaning = self.meaning is not None and (query.vector is not None or vector is not None)
        if top > 0:
            sentence_scores, topical = self._sentence_scores(query, apart=with_meaning)
        if with_meaning:
            fetched = self.meaning.fetch(scores)  # read while the model runs
            if vector is not None:
                query.vector = vector.result()
            matches = self.meaning.match(query.vector, scores, fetched)
            similarity, rows = matches.similarity, matches.rows
            query.semantic_top = within.start + int(np.argmax(similarity[within]))
            query.closest = matches.closest
            if len(similarity) > 1:
                # Scale-free: how far meaning's best section and each sentence stand out
                # among this article's, in standard deviations (articles of one subject
                # throughout have small spreads).
                second, first = np.partition(similarity, -2)[-2:]
                spread = float(similarity.std()) or 1.0
                query.semantic_margin = float(first - second) / spread
                query.section_standing = (similarity - float(similarity.mean())) / spread
                query.sentence_spread = matches.spread
            headings = matches.headings
            query.best_heading = float(headings.max(initial=-1.0))
            if query.closest < SAYS_IT:  # only then may a refusal rest on the words alone
                own = {s for t in query.known for s in t.stems if s not in self._subject(query)}
                query.together = self.sentence_index.most_held(own) >= 2
        lexical = scores / top if top > 0 else scores.copy()
        query.matched = top > 0
        evidence = Evidence(current=scores, words=lexical, lexical=lexical, sentence_best=np.zeros(len(scores)))
        if top > 0:
            scores = lexical.copy()
            if rows is not None:
                # Word matches where their sentence means the question.
                read = None if matches.shortlist is None else (matches.shortlist, matches.read, matches.firsts)
                evidence.meant = meant_matches(topical, rows, self.meaning.starts, read)
                scores = scores + evidence.meant
            # A long section is penalised by BM25's length norm even when one of its
            # sentences answers the question squarely: its best sentence speaks for it too.
            # Only the leading candidates are read sentence by sentence (the best of each
            # one's sentences in one reduce), so this stays cheap.
            candidates = _best(scores, SENTENCE_CANDIDATES)
            candidates = np.sort(candidates[scores[candidates] > 0])
            best = _each_best(sentence_scores, self._sentence_starts[candidates], self._sentence_ends[candidates])
            best_overall = float(best.max(initial=0.0)) or 1.0
            evidence.sentence_best[candidates] = best / best_overall
            scores[candidates] += SENTENCE_WEIGHT * best / best_overall
            evidence.words = scores.copy()
        if similarity is not None:
            scores = fuse_sections(scores, similarity)
            evidence.similarity, evidence.heading = similarity, headings
            evidence.sentence, evidence.gist = matches.sentence, matches.gist
            evidence.apart = functools.partial(self.meaning.apart, matches, query.vector)
            if evidence.meant is None:
                evidence.meant = np.zeros(len(scores))
        whole = self.about_whole_subject(query)
        asked = self._asked_heading(query, headings, SUBJECT_HEADING_MATCH if whole else HEADING_MATCH)
        query.asked_heading = asked is not None
        if asked is not None:
            # The question asks what a heading asks, in words or in meaning: that section
            # answers it, ahead of any article's opening.
            scores[asked] += float(scores.max()) + 2.0
        elif whole:
            # Only the article's own subject words ("what does a prompt engineer do?"): the
            # question is about the subject as a whole, which each article's lead introduces.
            scores[self._leads] += float(scores.max()) + 1.0
        evidence.current, evidence.asked, evidence.whole = scores, asked, whole
        scores = self._rerank(query, evidence)
        best = _best(scores, RANKING_LIMIT)
        return [
            SectionScore.model_construct(section_id=self._sections[i].id, score=round(score, 4))
            for i, score in zip(best.tolist(), scores[best].tolist(), strict=True)
        ]

    def _within(self, article: int | None) -> slice:
        """The sections of one article (its number), or of all where None."""
        if article is None:
            return slice(0, len(self._sections))
        end = self._leads[article + 1] if article + 1 < len(self._leads) else len(self._sections)
        return slice(self._leads[article], end)

    def _article_of(self, index: int) -> int:
        """The number of the article section `index` is in."""
        return bisect.bisect_right(self._leads, index) - 1

    def _article_base(self, article: int) -> "KnowledgeBase":
        """Of a folder, article `article` as if loaded alone (with meaning when the folder's
        is complete): its own word statistics, subject, vocabulary and sections, its
        vectors taken from the folder's. Made when an answer first comes from it, kept for
        the next few (`ARTICLE_BASES_SENTENCES`)."""
        meaningful = self.meaning is not None and self.meaning.complete
        base = self._article_bases.get((article, meaningful), self._made_article_base)
        base._ranker = self._ranker  # the folder's, also when it is swapped (a fold's, when fitting)
        return base

    def _made_article_base(self, key: tuple[int, bool]) -> "KnowledgeBase":
        article, meaningful = key
        info, sections = self._articles[article], self._sections[self._within(article)]
        tokens = analyze_article(info.title, sections, self.analyzer)
        vectors = None
        if meaningful:
            low, high = self.meaning.article_rows(article)
            rows = np.array(self.meaning.vectors[low:high], dtype=np.float16)
            rows[unsound_rows(rows)] = 0.0  # a row a folder's file gave no number for measures as zero
            vectors = [rows]
        # One article: its sections are read, never renamed (only a folder prefixes ids).
        models = (self._coverage, self._ranker)
        return KnowledgeBase([Article(info, sections, tokens)], self.analyzer, self.encoder if meaningful else None, vectors, models=models)

    def _as_its_article(self, query: Query, ranking: list[SectionScore], index: int, nearest: float | None) -> ArticleReading:
        """The question as the article of passage `index` would read and rank it loaded
        alone. The coverage model was fitted on single articles: of a folder, its signals
        (the words it knows, their rarity, its subject, margins and meaning among its own
        sections) would be the folder's, not what it learnt from: "what's the weather
        like?" has a word some article uses, and a section of one article stands out from
        thousands more than from its own few. Of one article: the question as read."""
        if len(self._articles) < 2:
            return ArticleReading(self, query, ranking, index, nearest)
        article = self._article_of(index)
        base = self._article_base(article)
        own, _ = base._read(query.text, meaning=False)
        own.vector = query.vector  # made once, for the folder
        at = index - self._leads[article]
        return ArticleReading(base, own, base._rank(own), at, _best_of(base._sentence_similarity(own, at)))

    def _about_article(self, query: Query, article: int | None) -> None:
        """Of a folder: the article the question is about (`article`, else the one it names
        by its own word, "how much do nurses make?", if it names exactly one, beside what the
        writer says they are), and the question's words that name it, which are that
        article's subject as they would be of it loaded alone ("nurses" tells none of its
        sections from another)."""
        if len(self._articles) < 2:
            return
        naming = self._naming_words()
        query.article = named_article(query.known, naming) if article is None else article
        if query.article is None and article is None and query.describing:
            # "I'm a nurse, how do I become a pilot?": the career asked of, not the one the
            # writer says they are in, where the question names both.
            query.article = named_article([t for t in query.known if t.position not in query.describing], naming)
        if query.article is not None:
            own = {s for t in query.known for s in t.stems if naming.get(s) == query.article}
            query.own = frozenset(own - self.vocabulary.subject)

    def _naming_words(self) -> dict[str, int]:
        """Each stem that names one article of a folder, and its number (read once, when a
        folder's first question or example needs it)."""
        if self._naming is None:
            titles = [self.analyzer.terms(f"{a.title} {a.slug.replace('-', ' ')}") for a in self._articles]
            self._naming = naming_words(self.index, self._leads, titles)
        return self._naming

    def _subject(self, query: Query) -> frozenset[str]:
        """The subject's stems as the question reads them: the articles' own, and of a
        folder those of the article it names."""
        return self.vocabulary.subject | query.own if query.own else self.vocabulary.subject

    def _vocabulary(self, query: Query) -> Vocabulary:
        """The articles' vocabulary with the question's subject (`_subject`)."""
        return replace(self.vocabulary, subject=self._subject(query)) if query.own else self.vocabulary

    def _rerank(self, query: Query, evidence: Evidence) -> np.ndarray:
        """Scores from the learned re-ranker for the leading candidates (a probability, 1
        and above), the rest after them in the hand-weighted order (below 1). A question
        that names one article of a folder has that article's sections for candidates."""
        current = evidence.current
        within = self._within(query.article)
        candidates = within.start + _best(current[within], SENTENCE_CANDIDATES)
        if query.semantic_top is not None and query.semantic_top not in candidates:
            candidates = np.append(candidates, query.semantic_top)
        subject = self._subject(query)
        asked_terms = {s for t in query.known for s in t.stems if s not in subject}
        asked_terms |= {g for t in query.known for g in t.groups}
        overlap = np.array(
            [len(asked_terms & self._heading_terms[i]) / len(asked_terms) if asked_terms else 0.0 for i in candidates]
        )
        rows = features(
            evidence,
            candidates,
            overlap,
            self._sentence_counts[candidates],
            self._last_mask[candidates],
            self._lead_mask[candidates],
        )
        query.candidates, query.candidate_features = candidates, rows  # kept for fitting the re-ranker
        model = self._ranker.fitted(evidence.similarity is not None)
        final = 0.5 * minmax(current)
        final[candidates] = 1.0 + model.probabilities(rows[:, [FEATURES.index(n) for n in model.signals]])
        return final

    def _sentence_scores(self, query: Query, apart: bool) -> tuple[np.ndarray, np.ndarray]:
        """Every sentence's BM25 score, in one vectorised pass over the postings; and (with
        `apart`, else the same array) its score without the articles' own subject words,
        which stand in every section, the opening most of all, and so tell nothing of which
        section a question means."""
        if not apart:
            scores = self.sentence_index.score(query.weights)
            return scores, scores
        words = self._subject(query)
        subject = {term: w for term, w in query.weights.items() if term in words}
        topical = self.sentence_index.score({t: w for t, w in query.weights.items() if t not in subject})
        return (topical + self.sentence_index.score(subject) if subject else topical), topical

    def _asked_heading(self, query: Query, heading_similarity: np.ndarray | None, threshold: float) -> int | None:
        """The section whose heading the question repeats (the same words), or matches in
        meaning at least `threshold`, of the article it names if it names one; None when no
        heading is that close."""
        words = " ".join(self.analyzer.words(query.text))
        if not words:
            return None
        within = self._within(query.article)
        repeated = self._headings.get(words)
        if repeated is not None and repeated not in self._lead_set and within.start <= repeated < within.stop:
            return repeated
        if heading_similarity is not None and len(heading_similarity):
            best = within.start + int(np.argmax(heading_similarity[within]))
            if heading_similarity[best] >= threshold and best not in self._lead_set:
                return best
        return None

    def about_whole_subject(self, query: Query) -> bool:
        """Only the article's own subject words: "what does a prompt engineer do?". A word the
        article lacks is what the question is about ("can I work from home with a cold?")."""
        if not query.known or query.unknown:
            return False
        vocabulary = self._vocabulary(query)  # of a folder, a copy: made once, not for each word
        return all(vocabulary.about_subject(t) and not t.groups for t in query.known)

    def search(self, question: str, k: int = 3) -> list[SectionScore]:
        """The `k` best sections for a question, with their scores; none when `ask` would
        say the article does not cover it (the same judgement), or answers from no section
        (who wrote the article)."""
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise TypeError(f"k is how many sections to give, a whole number, not {k!r}")
        if k < 1:
            raise ValueError(f"k is how many sections to give, a whole number from 1, not {k}")
        answer = self.ask(question)
        return answer.ranking[:k] if answer.answered else []

    def ask(
        self,
        question: str,
        *,
        section_id: str | None = None,
        exclude: Iterable[str] = (),
        whole: bool = False,
        article: str | None = None,
    ) -> Answer:
        """Answer from the article's own sentences, or say plainly that it does not cover it.

        `section_id` and `exclude` serve follow-ups: answer from that section (`KeyError`
        when there is none), leaving out sentences already quoted; `whole` reads a message
        as one question, never cut into its parts (a follow-up read with the question before
        it); `article`, of a folder: answer from that article's sections (its slug,
        `kb.articles`; `KeyError` when none has it), as if the question named it ("and
        pilots?" after the nurses' pay). `Answer.coverage` says how well the article answers;
        `Answer.confidence` is the learned probability that the quoted passage answers it.
        """
        if isinstance(exclude, str) or not isinstance(exclude, Iterable):  # "abc" would be three sentences
            raise TypeError(f"exclude is the sentences already quoted, a list of strings, not {exclude!r}")
        meaning = self.meaning_state  # read first: an answer never claims more than it had
        answer = self._placed(
            as_typed(self.assess(question, section_id=section_id, exclude=exclude, whole=whole, article=article).answer)
        )
        answer.meaning = meaning
        return answer

    def _placed(self, answer: Answer) -> Answer:
        """Each citation with its article's title (its slug says less to a person), and of a
        web article a link to its sentence on the page (a text fragment); a frontmatter line
        cited ("author: ...") links to the page itself."""
        if not answer.citations:
            return answer
        from .read.fragments import text_fragment_link

        linked = []
        for citation in answer.citations:
            # Only the cited articles' (reading every article's url was a millisecond an
            # answer at a thousand articles).
            info = self._articles[self._by_slug[citation.article]] if citation.article in self._by_slug else None
            if info is None:
                linked.append(citation)
                continue
            update = {"article_title": info.title}
            if info.url is not None:
                header = any(citation.quote == line.text for line in info.header)
                update["url"] = info.url if header else text_fragment_link(info.url, citation.quote)
            linked.append(citation.model_copy(update=update))
        return answer.model_copy(update={"citations": linked})

    def assess(
        self,
        question: str,
        *,
        section_id: str | None = None,
        exclude: Iterable[str] = (),
        most: int = MAX_SENTENCES,
        whole: bool = False,
        article: str | None = None,
    ) -> Assessment:
        """`ask`'s answer with the signals its coverage was decided from (None where no
        passage was weighed: small talk, a question about the article, a refusal by words);
        `most`: how many sentences it quotes at most; `whole` as `ask` says. An unknown
        `section_id` or `article` is a `KeyError` naming it, as `section` says."""
        text = question_text(question)
        if article is not None and article not in self._by_slug:
            raise KeyError(f"no article has the slug {article!r}; `kb.articles` lists them")
        if section_id is not None:
            self.section(section_id)  # checked here: a bare KeyError from deep in the engine names nothing
        if section_id is not None and self._about is not None and section_id == self._about.id:
            section_id = self._sections[0].id  # more about the article: its opening goes on
        several = parts(text, self._stands_alone) if section_id is None and not whole else []
        if several:
            return self._several(text, several, article)
        return self._one(text, section_id, exclude, most, article)

    def _one(
        self, text: str, section_id: str | None = None, exclude: Iterable[str] = (), most: int = MAX_SENTENCES, article: str | None = None
    ) -> Assessment:
        """`assess` of one question, never cut into parts: each part of a message is read so,
        and a part read with the question before it is not cut into the same two again."""
        if section_id is None:
            unweighed = self._without_a_passage(text)
            if unweighed is not None:
                return unweighed
        query, vector = self._read(text, article=None if article is None else self._by_slug[article])
        ranking = self._rank(query, vector)
        if section_id is None and not (query.known or query.missing or query.unknown):
            # Only function words ("what do they even do?"): no topic of its own, so the
            # article's opening, which says what it is about, marked as the closest passage;
            # of a folder, no opening is the one meant: say so (a reply, read with the turn
            # before it in a conversation, "why?").
            if query.article is None and len(self._articles) > 1:
                message = f"The question names no topic, nor which of the {len(self._articles)} articles it asks about."
                return Assessment(unquoted(query.text, [], [], message, answered=False, coverage="none"))
            lead = self._indexed[self._sections[self._leads[query.article or 0]].id]
            answer = compose(query, ranking, lead, self.sentence_index, opening=True, most=most)
            note = "The question names no topic; this is how the article opens."
            return Assessment(answer.model_copy(update={"coverage": "closest", "message": note, "confidence": 0.0}))
        # "what is ChatGPT?" is not answered by a passage that only uses the word ("We fed
        # ChatGPT a prompt"), but by one that says what it is, if any does; "what is a nurse?"
        # asks what the article introduces.
        definition = self._asks_definition(query) if section_id is None else None
        defining = self._defining(definition, ranking) if definition else None
        if section_id is None and defining is None and self._refuses(query, ranking):
            return Assessment(self._refusal(query.text, ranking, query, article=article))
        if defining is None and section_id is None:
            index, similarity = self._weighed(query, self._position[ranking[0].section_id])
        else:  # the passage that defines it, or the follow-up's own
            index = defining if defining is not None else self._position[section_id]
            similarity = self._sentence_similarity(query, index)
        nearest = _best_of(similarity)
        chosen = self._sections[index]
        shown = frozenset(exclude)
        skip = frozenset(i for i, text in enumerate(chosen.sentence_texts) if text in shown) if shown else frozenset()
        opening = section_id is None and self.about_whole_subject(query) and index in self._lead_set
        answer = compose(
            query, ranking, self._indexed[chosen.id], self.sentence_index, exclude=skip, opening=opening, similarity=similarity, most=most
        )
        if not answer.citations:
            return Assessment(answer)
        # Of a folder, whether the passage answers is judged as its article alone judges it:
        # by its words (refused when they do not cover the question), what it lacks, and
        # the signals the coverage model was fitted on.
        own = self._as_its_article(query, ranking, index, nearest)
        if own.base is not self:
            if section_id is None and defining is None and own.base._refuses(own.query, own.ranking):
                return Assessment(self._refusal(query.text, ranking, query, article=article))
            answer = answer.model_copy(update={"missing": [t.surface for t in own.query.missing]})
        judged = judge(answer, own.query, chosen)
        signals = own.base._signals(own.query, own.ranking, own.index, own.nearest, judged)
        decision = self._coverage.decision(query.vector is not None)
        if section_id is not None:
            # A follow-up's passage was chosen for it, not found: only what it lacks is
            # judged ("and in Germany?": partial); its confidence is still the model's.
            probability = signals.probability(decision.answers)
            followed = self._unexplained(query, judged.model_copy(update={"confidence": round(probability, 3)}))
            return Assessment(followed, signals, chosen.id, judged.coverage)
        coverage, probability = decide(signals, judged.coverage, decision)
        undefined = definition.phrase if definition is not None and defining is None else None
        decided = self._decided(query, ranking, judged, coverage, probability, undefined, article)
        quoted_from = self._which_article(query, ranking, decided)
        if quoted_from is not None:
            decided = decided.model_copy(update={"message": f"{decided.message} {from_note(*quoted_from)}".strip()})
        return Assessment(decided, signals, chosen.id, judged.coverage, quoted_from)

    def _refusal(self, question: str, ranking: list[SectionScore], query: Query, said: str = "", article: str | None = None) -> Answer:
        """`refusal` of these articles: their topics, whether they are several, and the words
        of the question (`query`) none of them mentions (`said`: what to say of them). Of a
        folder's one article it was asked of (`article`, its slug: a follow-up staying with
        the article it leans on), that article's topics, and a message naming it."""
        missing = [t.surface for t in query.missing]
        if article is None or len(self._articles) < 2:
            return refusal(question, ranking, self._refusal_topics, missing, len(self._articles) > 1, said=said)
        number = self._by_slug[article]
        said = f"\u201c{self._articles[number].title}\u201d does not cover that."
        return refusal(question, ranking, self._refusal_topics[self._within(number)], missing, said=said)

    def _which_article(self, query: Query, ranking: list[SectionScore], answer: Answer) -> tuple[str, int] | None:
        """Of a folder, an answer to a question that names no article says which one it
        quotes, and how many others answer it too (their best passage, to the re-ranker,
        more likely than not the answer): "do I need a degree?" is the electrician's "No
        college degree is needed." and the nurse's two years of school. That title and
        count; None where there is nothing to say."""
        if len(self._articles) < 2 or query.article is not None or not answer.answered or not answer.citations:
            return None
        quoted = answer.citations[0].article
        others = {self._sections[self._position[r.section_id]].article for r in ranking if r.score >= 1.0 + ALSO_ANSWERS}
        others.discard(quoted)
        return self._articles[self._by_slug[quoted]].title, len(others)

    def _several(self, text: str, several: list[Asked], article: str | None = None) -> Assessment:
        """A message of several questions: each assessed on its own (its own best sentences,
        fewer of them), one that leans on the question before it as a follow-up would be
        (`_read_on`), then joined; of a folder, each of `article` where it is given."""
        assessed: list[Assessment] = []
        for asked in several[:MOST_PARTS]:
            if asked.after and article is None and len(self._articles) > 1:
                assessed.append(self._follow_on(asked, several, assessed))
            elif asked.joined and article is None and len(self._articles) > 1:
                assessed.append(self._joined_on(asked, assessed[-1]))
            elif asked.after:
                shown = [c for a in assessed for c in a.answer.citations]
                assessed.append(replace(self._read_on(asked, shown, article), asked_of=article))
            else:
                assessed.append(replace(self._one(asked.question, most=PART_SENTENCES, article=article), asked_of=article))
        # Of a folder, each part not covered is named with the article it was asked of.
        folder = len(self._articles) > 1
        titles = [self._articles[self._by_slug[a.asked_of]].title if folder and a.asked_of else None for a in assessed]
        joined = join(text, [a.answer for a in assessed], [a.question for a in several[MOST_PARTS:]], titles, folder)
        # Each part's own note of the article it quotes (join keeps no part's message).
        notes = [from_note(*a.quoted_from, part=a.answer.question) for a in assessed if a.quoted_from is not None]
        if notes and joined.citations:
            joined = joined.model_copy(update={"message": " ".join([joined.message, *notes]).strip()})
        return Assessment(joined, assessed[0].signals, assessed[0].section_id)

    def _follow_on(self, asked: Asked, several: list[Asked], assessed: list[Assessment]) -> Assessment:
        """Of a folder, a part that leans on the question before it, asked of the article it
        names ("what do electricians earn? and pilots?": the pilots' pay), else of the one
        that question was answered from ("how long is pilot training and what does it cost?"
        asks the cost of pilot training, not that of whichever article's cost ranks first, a
        video editor's software), its note saying so as that question's does; as a
        conversation's follow-up stays with its turn."""
        shown = [c for a in assessed for c in a.answer.citations]
        words = self.read(asked.question, meaning=False)
        if words.article is not None:
            named = self._articles[words.article].slug
            return replace(self._read_on(asked, shown, named, words), asked_of=named)
        root = next((a.answer for a, b in zip(assessed, several, strict=False) if b.question == asked.after), None)
        slug = root.citations[0].article if root is not None and root.citations else None
        if slug is not None and self.names_elsewhere(words, slug):
            return self._one(asked.question, most=PART_SENTENCES)  # "... ? What about the NCLEX?": that thing
        return self._asked_of(self._read_on(asked, shown, slug, words), slug)

    def names_elsewhere(self, words: Query, article: str | None) -> bool:
        """Of a folder, whether a question (its words, `read` without meaning) that follows
        one answered from `article` (its slug; None of one article) but has no word pointing
        back at it ("what do
        electricians earn? And what is the NCLEX?") names a specific thing (a capital, an
        acronym, a listed name) that article never mentions and another does: it asks
        about that thing, wherever it is, not about the article before; "will AI replace
        them?" points back, and stays."""
        if len(self._articles) < 2 or article not in self._by_slug or points_back(words.text):
            return False
        own = self._article_base(self._by_slug[article]).vocabulary
        return any(t.named and not own.knows(t) for t in words.known)

    def _joined_on(self, asked: Asked, before: Assessment) -> Assessment:
        """Of a folder, a part joined to the one before by a word but read on its own ("what
        do electricians earn? And is the work lonely?"): asked of the article it names, else
        of the one the part before was asked of or answered from, its note saying so, as a
        conversation's "and ..." turn stays with its article."""
        slug = before.asked_of or (before.answer.citations[0].article if before.answer.citations else None)
        words = self.read(asked.question, meaning=False)
        if slug is None or words.article is not None or self.names_elsewhere(words, slug):
            return self._one(asked.question, most=PART_SENTENCES)
        return self._asked_of(self._one(asked.question, most=PART_SENTENCES, article=slug), slug)

    def _asked_of(self, part: Assessment, slug: str | None) -> Assessment:
        """A part asked of article `slug` (None: of them all) as it leaned on the part before:
        marked so, and its answer's note says which article it quotes, as that part's does."""
        part = replace(part, asked_of=slug)
        if slug is not None and part.answer.citations and part.quoted_from is None:
            part = replace(part, quoted_from=(self._articles[self._by_slug[slug]].title, 0))
        return part

    def _read_on(self, asked: Asked, shown: list[Citation], article: str | None = None, words: Query | None = None) -> Assessment:
        """A part that may lean on the question before it, as a conversation reads a short
        follow-up: on its own when that stands (a topic of its own answers it: "and the
        workload?"), else with the question it leans on ("and travel nurses?" after the pay:
        the pay passage, for travel nurses). What it adds that no article mentions ("and in
        Germany?") is not covered. A reading with the question before that only quotes
        again what the parts before did, and is not "covered", is only a guess elsewhere,
        or a passage already quoted where the part's own topic ranks another first, gives
        way to its own. `words`: the part as read without meaning, where already read."""
        alone = self._one(asked.question, most=PART_SENTENCES, article=article)
        query = words or self.read(asked.question, meaning=False)
        if not is_short(query) or answers_alone(alone.answer, self.about_whole_subject(query)):
            return alone
        lacking = [t.surface for t in query.missing]
        joined = self._one(f"{asked.after} {asked.question}", most=PART_SENTENCES, article=article)
        answer = joined.answer
        if lacking and {m.lower() for m in answer.missing} & {m.lower() for m in lacking}:
            if not alone.answer.answered:
                return alone
            return Assessment(self._refusal(asked.question, alone.answer.ranking, query, article=article))
        again = answer.section_id in {c.section_id for c in shown}
        repeats = all(c.quote in {s.quote for s in shown} for c in answer.citations)
        if (repeats and answer.coverage != "covered") or self._elsewhere(query, alone.answer, answer, again):
            return alone  # refused, or no more than the closest passage the question before it got
        return Assessment(
            answer.model_copy(update={"question": asked.question}), joined.signals, joined.section_id, joined.judged, joined.quoted_from
        )

    def _elsewhere(self, query: Query, alone: Answer, joined: Answer, again: bool) -> bool:
        """The part's own words (`query`) name a topic of their own, not the article's subject
        alone, that its own reading finds elsewhere than the reading with the question before
        it: that reading only the closest passage, or a passage already quoted (`again`)
        where the part names a career topic ranked first elsewhere ("and the pay?" after
        "what are the specialties?")."""
        if not query.known or self.about_whole_subject(query):
            return False
        if joined.coverage == "closest" and alone.answered and alone.section_id not in (None, joined.section_id):
            return True
        named = any(t.groups for t in query.known + query.missing)
        return again and named and bool(alone.ranking) and alone.ranking[0].section_id != joined.section_id

    def _without_a_passage(self, text: str) -> Assessment | None:
        """A question answered before any passage is weighed: small talk, a question about
        the article itself."""
        if is_small_talk(text):
            return Assessment(small_talk(text, self.examples(2), len(self._articles) > 1))
        about = about_the_article(text)
        if about is not None and len(self._articles) == 1:
            return Assessment(about_article(text, about, self.articles[0], self._sections[0], self._about))
        if about is not None and about != "what":  # who wrote "this", of many: say which it cannot tell
            message = f"These are {len(self._articles)} articles; load one of them on its own to ask who wrote it or when."
            return Assessment(unquoted(text, [], [], message, answered=False, coverage="none"))
        return None

    def _weighed(self, query: Query, index: int) -> tuple[int, np.ndarray | None]:
        """The passage to quote, ranking's first (`index`) unless none of its sentences comes
        near the question in meaning and meaning's own best passage has one that does: words
        chose it ("how do I become a master electrician?" is not answered by "Should You
        Become an Electrician?" for its heading's words). A question too short for meaning,
        "and the money?", is near neither: ranking's stays."""
        similarity = self._sentence_similarity(query, index)
        nearest = _best_of(similarity)
        if disowned(nearest) and query.semantic_top not in (None, index):
            other = self._sentence_similarity(query, query.semantic_top)
            if (_best_of(other) or 0.0) > (nearest or 0.0):
                return query.semantic_top, other
        return index, similarity

    def _decided(
        self,
        query: Query,
        ranking: list[SectionScore],
        judged: Answer,
        coverage: str,
        probability: float,
        undefined: str | None,
        article: str | None = None,
    ) -> Answer:
        """The answer as the coverage decision left it. A definition asked (`undefined`) that
        no passage gives is never "Answered"; a refusal says what the article is about (of
        a folder's article asked by its slug, `article`, names it)."""
        several = len(self._articles) > 1
        if coverage == "none":
            answer = self._refusal(query.text, ranking, query, said=self._not_about(), article=article)
            return answer.model_copy(update={"confidence": round(probability, 3)})
        message = CLOSEST_NOTE if coverage == "closest" and judged.coverage != "partial" else judged.message
        decided = judged.model_copy(update={"coverage": coverage, "message": message, "confidence": round(probability, 3)})
        if undefined is not None:
            said = "The articles do not say" if several else "The article does not say"
            return _closest_saying(decided, f"{said} {undefined}.", [*judged.missing, undefined])
        return self._unexplained(query, decided)

    def _not_about(self) -> str:
        """A refusal of a question whose words are the articles' but whose subject is not:
        what they are about (of more than a few, how many: three of nineteen titles named
        them all)."""
        about = [a.title for a in self._articles[:3]]
        if len(self._articles) > len(about):
            return f"The {len(self._articles)} articles do not cover that."
        several = len(self._articles) > 1
        message = f"The articles do not cover that; they are about {', '.join(about)}" if several else f"The article does not cover that; it is about {about[0]}"
        # A title that ends a sentence itself ("Is It an Employable Skill?") gets no stop.
        return message + ("" if message.endswith((".", "?", "!")) else ".")

    def _unexplained(self, query: Query, answer: Answer) -> Answer:
        """A why-question's answer none of whose quoted sentences gives a reason: the closest
        passage, never "Answered" ("Why are travel nurses paid so much?" is not answered by
        the median salary), also when it goes on with the passage before it."""
        if answer.coverage == "none" or not asks_why(query.text) or gives_reason([c.quote for c in answer.citations]):
            return answer
        # "may": a reason put otherwise ("gained popularity for its pay grade") is not seen.
        return _closest_saying(answer, "The articles may not say why." if len(self._articles) > 1 else "The article may not say why.")

    def _signals(self, query: Query, ranking: list[SectionScore], index: int, nearest: float | None, judged: Answer) -> Signals:
        """The numbers the coverage model weighs for the passage at `index` (see
        `knowledge.answer.calibration.SIGNALS`)."""
        top = ranking[0].score if ranking else 0.0
        second = ranking[1].score if len(ranking) > 1 else 0.0
        known = query.known
        vocabulary = self._vocabulary(query)  # of a folder, a copy with the named article's subject: made once
        values = {
            "known_share": query.known_share,
            "missing": float(min(len(query.missing), 3)),
            "unknown": float(min(len(query.unknown), 5)),
            "terms": float(np.log1p(len(known) + len(query.missing) + len(query.unknown))),
            "margin": top - second,  # the re-ranker's probabilities: how clearly one passage wins
            "lexical_strength": min(query.lexical_strength, 10.0),
            "asked_heading": float(query.asked_heading),
            "whole_subject": float(self.about_whole_subject(query)),
            "lead": float(index in self._lead_set),
            "lexical_agree": float(query.lexical_top == index),
            # What the answer lacks beyond the named things asked (and what the writer says
            # they are, `Query.set_aside`): the kind of fact asked for.
            "lacks_fact": float(any(m for m in judged.missing if m not in {t.surface for t in (*query.missing, *query.set_aside)})),
            "asks_fact": float(asked_fact(query.text) is not None),
            "names_missing": float(query.names_missing),
            "subject_share": sum(vocabulary.about_subject(t) for t in known) / len(known) if known else 0.0,
            "topical_share": sum(vocabulary.topical(t) for t in known) / len(known) if known else 0.0,
            **question_shape(query.text),
        }
        if query.vector is not None and self.meaning is not None:
            heading = self.meaning.heading(index, query.vector)
            values |= {
                "together": float(query.together),
                "semantic_agree": float(query.semantic_top == index),
                "closest": query.closest or 0.0,
                "nearest": nearest or 0.0,
                "gap": (query.closest or 0.0) - (nearest or 0.0),
                "heading_similarity": heading,
                "heading_behind": (query.best_heading or 0.0) - heading,
                "semantic_standing": float(query.section_standing[index]) if query.section_standing is not None else 0.0,
                "nearest_standing": ((nearest or 0.0) - query.sentence_spread[0]) / query.sentence_spread[1],
                "semantic_margin": query.semantic_margin or 0.0,
            }
        return Signals(values)

    def _stands_alone(self, question: str) -> bool:
        """A question with a topic of its own: a word the article has or names as lacking
        ("what does it pay?", "what skills do I need?"), or the article itself ("... and
        when was it published?"); "is it fun?" has none."""
        if about_the_article(question) is not None:
            return True
        query = parse_query(question, self.analyzer, self.vocabulary)
        return bool(query.known or query.missing)

    def _sentence_similarity(self, query: Query, index: int) -> np.ndarray | None:
        """Each sentence of section `index`: its closeness in meaning to the question."""
        if self.meaning is None or query.vector is None:
            return None
        if not self.meaning.ready[index]:
            return None
        return self.meaning.rows(int(self._sentence_starts[index]), int(self._sentence_ends[index]) - 1, query.vector)

    def _example_of(self, article: int) -> str:
        """An article's own question, one that says which article it asks (of a folder, "Is
        It the Right Career for You?" could be any career's): its first question heading
        that names it (not its opening's), else its first other heading that does, asked
        about. An article no word names: its first question heading the folder answers
        from it. Else its title."""
        within = self._within(article)
        headings = [s.title for s in self._sections[within.start + 1 : within.stop]]
        asked = [_as_question(h) for h in headings]
        naming = self._naming_words()
        if article in naming.values():
            names = [named_article(self.analyzer.terms(h), naming) == article for h in headings]
            for question, named in zip(asked, names, strict=True):
                if question is not None and named:
                    return question
            for heading, question, named in zip(headings, asked, names, strict=True):
                if question is None and named:
                    return _asking_about(heading)
        else:
            for question in asked:
                if question is not None and self._ranks_first_in(question, within):
                    return question
        title = self._articles[article].title
        return title if title.endswith("?") else f"Tell me about {title}"

    def _ranks_first_in(self, question: str, within: slice) -> bool:
        """Whether the question, asked of all the articles, ranks a section of `within` first."""
        query, vector = self._read(question)
        ranking = self._rank(query, vector)
        return bool(ranking) and within.start <= self._position[ranking[0].section_id] < within.stop

    def _asks_definition(self, query: Query) -> Definition | None:
        """What the question asks to define, if it asks what a thing is: not the article's own
        subject ("what is a nurse?", which its opening introduces), nor a topic of a thing
        ("what is prompt engineer salary?" asks the pay, a topic of the lexicon)."""
        definition = asked_definition(query.text)
        if definition is None or self.about_whole_subject(query):
            return None
        terms = self.analyzer.terms(definition.term)
        if len(definition.term.split()) > 1 and terms and terms[-1].groups:
            return None
        return definition

    def _defining(self, definition: Definition, ranking: list[SectionScore]) -> int | None:
        """The best-ranked passage that says what the asked term is, if any."""
        for scored in ranking:
            index = self._position[scored.section_id]
            section = self._sections[index]
            if defines(definition, section.title, section.sentence_texts):
                return index
        return None

    def _refuses(self, query: Query, ranking: list[SectionScore]) -> bool:
        """The one judgement `ask` and `search` share: the articles do not cover it."""
        return should_refuse(query, self._vocabulary(query), self._is_name) or not ranking or not (query.matched or query.vector is not None)

    def _is_name(self, stem: str) -> bool:
        """Whether the articles use the word as a name (read once, when a refusal first
        turns on it)."""
        if self._names is None:
            self._names = names(self._article_texts(), self.analyzer)
        return stem in self._names

    def examples(self, count: int = 4) -> list[str]:
        """Questions any article suggests: its question headings first, then its other topics.
        Of several articles, one question of each of the first (its first question heading,
        else its title as the topic): "What about the pay?" says nothing of whose pay."""
        if isinstance(count, bool) or not isinstance(count, numbers.Integral):
            raise TypeError(f"count is how many questions to give, a whole number, not {count!r}")
        if len(self._articles) > 1:
            return [self._example_of(article) for article in range(min(count, len(self._articles)))]
        asked: list[str] = []
        topics: list[str] = []
        for section in itertools.islice(self._sections, 1, None):  # only as many as give `count` of each
            if len(asked) >= count and len(topics) >= count:
                break
            question = _as_question(section.title)
            if question is not None:
                asked.append(question)
            else:
                topics.append(_asking_about(section.title))
        return (asked[:2] + topics + asked[2:])[:count]
