"""The meaning side of the index: every sentence's and heading's vector, held compactly, and
each section's gist; filled one article at a time as its vectors are made.

Vectors are kept as float16, as they are stored (half of float32's memory: a thousand
articles' 110,000 rows are 85 MB, not 169), and made float32 only for the rows a question
reads (a small index's all at once, kept: every question reads them all). int8 with a scale
a row would be half that again, but it moved answers: of the 84 recorded dev answers with
meaning, 10 changed with int8 (a quoted text among them), 2 with float16 (each two
near-tied sections swapped: places 3 and 4 of a refusal's list, 9 and 10 of an answer's;
every text and coverage the same); see docs/scale.md. Gists and headings, one row a
section, stay float32: they are searched whole for every question.

A small index (one article, a few) is searched exactly, every row. A large one reads only
the rows of a shortlist: the sections words rank highest and those whose gist or heading
is nearest the question; every other section's best sentence is taken to be no nearer than
its gist or heading, and the spread of all rows' similarities is estimated from a fixed
sample. That keeps a question at a thousand articles to a few milliseconds.

Every sentence of an article shares its subject, and a question about the subject leans
toward all of them: measured raw, the sentences that name the subject most stand nearest,
whatever the question asks of it. So each similarity is also measured with the article's
own direction (the mean of its sections' gists) taken out of both question and row: what
the question asks beside the subject, against what each passage says beside it. The
re-ranker reads both (left out article by article, its own top-1 over its candidates on
real phrasings 0.71 -> 0.73, answers' top-1 0.68 -> 0.70; see docs/engine.md).

Until every article's vectors are in (`complete`), an article still waiting counts as
average in meaning: its sections get the mean of the ready sections' similarities and its
sentences none, so words alone decide for it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .semantic import DIMENSIONS, sound_vectors, unsound_rows

# Up to this many rows, every row is read for every question.
EXACT_ROWS = 8192
# Of a larger index: the sections words rank highest (as many as the re-ranker reads), and
# those nearest in gist or heading.
SHORTLIST_WORDS = 40
SHORTLIST_MEANING = 16
# Rows read to estimate the spread of all rows' similarities to a question (its standard
# deviation within a few percent), kept as float32.
SPREAD_SAMPLE = 512
# Gists or headings made float16 at a time when a folder's file is written.
STORED_PART = 2048
# Marks a row not read (below any cosine).
UNREAD = -2.0
# Least squared length left of a vector once its article's direction is taken out, so a
# vector along that direction (an article of one section) measures 0 rather than noise.
LEFT = 1e-4


# How vectors are held (and stored: `knowledge.store.cache.VECTOR_TYPE`).
HELD = np.dtype(np.float16)


@dataclass
class Matches:
    """One question against the index. Per section: `similarity` (the best of its gist,
    heading and best sentence), `headings`, `sentence` (its best sentence, headings left
    out) and `gist`; per row: `rows` (UNREAD where not read); `closest`, the nearest row;
    `spread`, the mean and standard deviation of all rows' similarities."""

    similarity: np.ndarray
    rows: np.ndarray
    headings: np.ndarray
    sentence: np.ndarray
    gist: np.ndarray
    closest: float
    spread: tuple[float, float]
    # A large index's: the sections whose rows were read (the shortlist, in order), their
    # rows (`read`, in order) and where each section's start among them; None: every row.
    shortlist: np.ndarray | None = None
    read: np.ndarray | None = None
    firsts: np.ndarray | None = None


@dataclass(frozen=True)
class Apart:
    """Per section, its best sentence, heading and gist against the question with their
    article's direction taken out of both (see the module's docstring)."""

    sentence: np.ndarray
    headings: np.ndarray
    gist: np.ndarray


@dataclass(frozen=True)
class Fetched:
    """The rows of the sections words rank highest (part of a large index's shortlist), read
    before the question's vector is made (`Meaning.fetch`): the reading does not wait for
    the model."""

    sections: np.ndarray
    rows: np.ndarray  # their row numbers, in order
    vectors: np.ndarray  # those rows, as float32


@dataclass(frozen=True)
class Ready:
    """Which articles' vectors are in: how many, and per section and per row whether it is.
    Never changed once made (its arrays are read-only): an article coming in makes a new
    one, swapped in whole, so a question reads one consistent view without a lock."""

    articles: int
    sections: np.ndarray
    rows: np.ndarray

    @staticmethod
    def of(articles: int, sections: np.ndarray, rows: np.ndarray) -> "Ready":
        sections.flags.writeable = False
        rows.flags.writeable = False
        return Ready(articles, sections, rows)


def evenly(total: int, count: int) -> np.ndarray:
    """Up to `count` row numbers spread evenly over `total`, each once. They come in order,
    so a repeat is its neighbour (np.unique imported numpy.ma: 12 ms of every cold start)."""
    spread = np.linspace(0, total - 1, count).astype(np.int64) if total else np.zeros(0, np.int64)
    return spread[np.diff(spread, prepend=-1) > 0]


class Meaning:
    """Vectors of an index's rows (each section's sentences, then its heading), in the
    sentence index's order, added an article at a time (`add`), from any thread."""

    def __init__(self, starts: np.ndarray, article_sections: list[tuple[int, int]]):
        """`starts`: each section's first row, and one past the last row at the end;
        `article_sections`: each article's first section and one past its last."""
        starts = np.asarray(starts, dtype=np.int64)
        self.starts = starts[:-1]
        self.ends = starts[1:]
        self.headings = self.ends - 1
        total = self.total = int(starts[-1])
        sections = len(self.starts)
        self.vectors = np.zeros((total, DIMENSIONS), dtype=HELD)
        self.gists = np.zeros((sections, DIMENSIONS), dtype=np.float32)
        self.heading_vectors = np.zeros((sections, DIMENSIONS), dtype=np.float32)
        self.article_sections = article_sections
        # Each article's direction (the mean of its gists, of unit length) and how far along
        # it each gist, heading and row lies: a row's measured when a question first reads it
        # (NaN until then), by one formula on a first load and a reload alike.
        self.directions = np.zeros((len(article_sections), DIMENSIONS), dtype=np.float32)
        self.section_articles = np.repeat(
            np.arange(len(article_sections), dtype=np.int64), [end - first for first, end in article_sections]
        )
        self.gist_along = np.zeros(sections, dtype=np.float32)
        self.heading_along = np.zeros(sections, dtype=np.float32)
        self.row_along = np.full(total, np.nan, dtype=np.float32)
        self._ready = Ready.of(0, np.zeros(sections, dtype=bool), np.zeros(total, dtype=bool))
        self._lock = threading.Lock()  # between writers; readers take `_ready` as it is
        self.exact = total <= EXACT_ROWS
        self._elsewhere: set[int] = set()  # articles whose rows are kept on disk, not held yet
        self._unsummarised: set[int] = set()  # of those, the ones whose gists are not made yet
        self._sample = evenly(total, SPREAD_SAMPLE)
        self._sampled: tuple[int, np.ndarray] | None = None  # (articles in, their sample rows as float32)
        self._whole: tuple[Ready, np.ndarray, np.ndarray] | None = None  # (view, rows as held, as float32)

    @property
    def ready(self) -> np.ndarray:
        """Per section, whether its vectors are in (read-only)."""
        return self._ready.sections

    @property
    def articles_ready(self) -> int:
        return self._ready.articles

    @property
    def complete(self) -> bool:
        """Every article's vectors are in, its rows held or readable (`adopt`)."""
        return self.articles_ready == len(self.article_sections) and not self._elsewhere

    def article_rows(self, article: int) -> tuple[int, int]:
        first, end = self.article_sections[article]
        return int(self.starts[first]), int(self.ends[end - 1]) if end > first else int(self.starts[first])

    def add(self, article: int, vectors: np.ndarray, hold: bool = True) -> None:
        """An article's rows (float, one per sentence and heading, in order); its sections
        join every ranking after this returns. Adding an article twice is a no-op.
        `hold=False`: its rows are on disk, kept for the folder's file (`adopt`), not held,
        and its gists and headings are made as they are read back (`summarise`): a large
        index's first load would otherwise hold every row it has encoded (85 MB at a
        thousand articles), and its gists and headings (37 MB) beside the encoding's own
        memory, though no question reads any of them until all are in."""
        first, end = self.article_sections[article]
        low, high = self.article_rows(article)
        if vectors.shape != (high - low, DIMENSIONS):
            raise ValueError(f"article {article}: {vectors.shape} vectors for {high - low} rows")
        if self._ready.sections[first:end].all() and end > first:
            return
        if hold:
            self.vectors[low:high] = vectors
            self.summarise(article, vectors)
        with self._lock:  # the view last, whole: a reader never sees an article half written
            if not hold:
                self._elsewhere.add(article)
                self._unsummarised.add(article)
            now = self._ready
            sections, rows = now.sections.copy(), now.rows.copy()
            sections[first:end] = True
            rows[low:high] = True
            self._ready = Ready.of(now.articles + 1, sections, rows)

    def summarise(self, article: int, vectors: np.ndarray) -> None:
        """An article's gists and heading vectors, from its rows."""
        first, end = self.article_sections[article]
        low, _ = self.article_rows(article)
        # Gists from the rows as held (float16): every load makes the same.
        full = np.asarray(vectors, dtype=HELD).astype(np.float32)
        local = self.starts[first:end] - low
        heads = self.headings[first:end] - low
        if len(local):
            sums = np.add.reduceat(full, local, axis=0) - full[heads]
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            # Rounded as the rows are, so a folder's stored file (`stored`) gives them back exactly.
            self.gists[first:end] = (sums / np.where(norms > 0, norms, 1.0)).astype(HELD)
            self.heading_vectors[first:end] = full[heads]
            self._direct(article)
        with self._lock:
            self._unsummarised.discard(article)

    def _direct(self, article: int) -> None:
        """An article's direction, from its gists, and its gists' and headings' place along it."""
        first, end = self.article_sections[article]
        if end > first:
            self.directions[article] = _directions_of(self.gists[first:end], np.zeros(1, dtype=np.int64))[0]
        owners = self.section_articles[first:end]
        self.gist_along[first:end] = _along_own(self.gists[first:end], self.directions, owners)
        self.heading_along[first:end] = _along_own(self.heading_vectors[first:end], self.directions, owners)

    def _directed(self, gists: np.ndarray, headings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`_direct` for every article at once, from a folder file's gists and headings
        (ten thousand articles one by one took a second), giving the same numbers bit for
        bit, so a reload answers as the first load did: the directions and the gists' and
        headings' place along them, made apart from the index's own arrays."""
        directions = np.zeros_like(self.directions)
        firsts = np.array([first for first, end in self.article_sections if end > first], dtype=np.int64)
        having = np.array([end > first for first, end in self.article_sections], dtype=bool)
        if len(firsts):
            directions[having] = _directions_of(gists, firsts)
        owners = self.section_articles
        return directions, _along_own(gists, directions, owners), _along_own(headings, directions, owners)

    def stored(self) -> Iterator[np.ndarray]:
        """What a folder's vectors file holds after the rows (`rows` first): every
        section's gist, then its heading (float16), a few thousand rows at a time; a large
        index reads it back with `adopt`. Made whole, the two float16 copies were the
        first load's peak (18 MB more at a thousand articles, as it wrote the file)."""
        for matrix in (self.gists, self.heading_vectors):
            for first in range(0, len(matrix), STORED_PART):
                yield matrix[first : first + STORED_PART].astype(HELD)

    def hold(self, article: int, vectors: np.ndarray) -> None:
        """An article's rows added without being held (`add(hold=False)`), held after all
        (its folder's file could not be written or read), its gists made with them."""
        low, high = self.article_rows(article)
        self.vectors[low:high] = vectors
        self.summarise(article, vectors)
        with self._lock:
            self._elsewhere.discard(article)

    def stored_rows(self) -> int:
        return self.total + 2 * len(self.starts)

    def adopt(self, stored, rows_only: bool = False) -> bool:  # noqa: ANN001 - a float16 matrix, or `cache.RowFile`
        """Take every article's vectors from a folder's file (`stored`: rows, then gists,
        then headings; its rows are read only where a question needs them); False, taking
        nothing, when its gists or headings are not vectors the model could have made
        (`semantic.sound_vectors`). `rows_only`: the file
        was written from this index with every article in (`stored`): its own gists and
        headings stand, which are the file's (reading them again held both at once, 37 MB
        more at a thousand articles)."""
        total, sections = self.total, len(self.starts)
        kept = rows_only and self.articles_ready == len(self.article_sections) and not self._unsummarised
        if kept:
            gists, headings = self.gists, self.heading_vectors
        else:
            gists = np.asarray(stored[total : total + sections], dtype=np.float32)
            headings = np.asarray(stored[total + sections :], dtype=np.float32)
            if not (sound_vectors(gists) and sound_vectors(headings)):
                return False
            # Where they lie is measured again, rows' as they are read; made before any is
            # swapped in, so a failure leaves the index as it was.
            directions, gist_along, heading_along = self._directed(gists, headings)
            row_along = np.full(total, np.nan, dtype=np.float32)
        with self._lock:
            self.vectors, self.gists, self.heading_vectors = stored, gists, headings  # its first `total` rows
            if not kept:
                self.directions, self.gist_along, self.heading_along = directions, gist_along, heading_along
                self.row_along = row_along
            self._elsewhere.clear()
            self._unsummarised.clear()
            whole = Ready.of(len(self.article_sections), np.ones(len(self.starts), dtype=bool), np.ones(self.total, dtype=bool))
            self._ready = whole
        return True

    def rows(self, first: int, end: int, question: np.ndarray) -> np.ndarray:
        """Rows `first` to `end - 1`: their similarity to the question."""
        whole = self._whole_rows()
        held = whole[first:end] if whole is not None else _float32(self.vectors[first:end])
        with np.errstate(invalid="ignore", over="ignore"):  # a damaged row's: read as UNREAD
            return _cosines(held @ question)

    def _whole_rows(self) -> np.ndarray | None:
        """A complete small index's rows as float32, made once for every question (each
        reads them all): converting them was a tenth of the Python work of a question on
        the bundled article. At most EXACT_ROWS rows, 12.6 MB; None for any other index,
        whose rows are converted as read. Made again when the rows change (an article
        added, a folder's file adopted), which swaps the view."""
        if not self.exact or not self.complete:
            return None
        view, vectors, whole = self._ready, self.vectors, self._whole
        if whole is None or whole[0] is not view or whole[1] is not vectors:
            whole = self._whole = (view, vectors, _float32(vectors[: self.total]))
        return whole[2]

    def heading(self, section: int, question: np.ndarray) -> float:
        return float(self.rows(int(self.headings[section]), int(self.headings[section]) + 1, question)[0])

    def fetch(self, words: np.ndarray) -> Fetched | None:
        """A complete large index: the rows of the sections `words` (each section's word
        score) rank highest, which `match` reads for any question with these words; None
        otherwise (nothing to read ahead)."""
        if self.exact or not self.complete:
            return None
        sections = np.sort(_top(words, SHORTLIST_WORDS))
        rows, _, _ = self._rows_of(sections)
        return Fetched(sections, rows, _float32(self.vectors[rows]))

    def _rows_of(self, sections: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows of `sections` (in order), where each section starts among them, and its
        number of rows."""
        return ranges(self.starts[sections], self.ends[sections])

    def _similarities_of(self, rows: np.ndarray, question: np.ndarray, fetched: Fetched | None) -> np.ndarray:
        """Rows `rows` (ascending): their similarity to the question, those `fetched`
        already read taken from it (each row's the same number either way: rows are
        multiplied one by one)."""
        if fetched is None or not len(fetched.rows):
            return _similarities(_float32(self.vectors[rows]), question)
        at = np.minimum(np.searchsorted(fetched.rows, rows), len(fetched.rows) - 1)
        have = fetched.rows[at] == rows
        ahead = _similarities(fetched.vectors, question)
        if have.all():
            return ahead[at]
        values = np.empty(len(rows), dtype=np.float32)
        values[have] = ahead[at[have]]
        values[~have] = _similarities(_float32(self.vectors[rows[~have]]), question)
        return values

    def match(self, question: np.ndarray, words: np.ndarray, fetched: Fetched | None = None) -> Matches:
        """The question against every ready section; `words`: each section's word score,
        for the shortlist of a large index (`fetched`: its rows read ahead, `fetch(words)`)."""
        view = self._ready  # one view of what is in, for the whole question
        ready = view.sections
        complete = bool(ready.all())
        shortlist = read = firsts = None  # a large index's (see `Matches`)
        if self.exact:
            gist = self.gists @ question
            rows = self.rows(0, self.total, question)
            headings = rows[self.headings]
            if not complete:
                rows[~view.rows] = UNREAD
            sentences = rows.copy()
            sentences[self.headings] = UNREAD
            sentence = np.maximum.reduceat(sentences, self.starts)
            sentence[sentence <= UNREAD] = -1.0  # a section of a heading alone, as before
            similarity = np.maximum(gist, np.maximum.reduceat(rows, self.starts))
            spread_rows = rows if complete else rows[view.rows]
            closest = float(rows.max(initial=-1.0))
        else:
            gist = _times(self.gists, question)
            rows = np.full(self.total, UNREAD, dtype=np.float32)
            headings = _times(self.heading_vectors, question)
            near = np.maximum(gist, headings)
            fetched = fetched if complete else None
            by_words = fetched.sections if fetched is not None else _top(words, SHORTLIST_WORDS)
            by_meaning = _top(near if complete else np.where(ready, near, -np.inf), SHORTLIST_MEANING)
            shortlist = np.union1d(by_words, by_meaning)
            shortlist = shortlist[ready[shortlist]] if not complete else shortlist
            # Sections not read: their gist stands in for their best sentence, their
            # heading for their best row. Only the shortlist's rows are reduced.
            sentence = gist.copy()
            best_row = headings.copy()
            closest = -1.0
            if len(shortlist):
                read, firsts, lengths = self._rows_of(shortlist)
                values = self._similarities_of(read, question, fetched)
                rows[read] = values
                own = values.copy()
                own[firsts + lengths - 1] = UNREAD  # each section's heading, the last of its rows
                best = np.maximum.reduceat(own, firsts)
                sentence[shortlist] = np.where(best <= UNREAD, gist[shortlist], best)
                best_row[shortlist] = np.maximum(np.maximum.reduceat(values, firsts), headings[shortlist])
                closest = max(closest, float(values.max()))
            similarity = np.maximum(gist, best_row)
            spread_rows = _times(self._sample_rows(view), question)
        spread = (float(spread_rows.mean()), float(spread_rows.std()) or 1.0) if len(spread_rows) else (0.0, 1.0)
        if not complete:
            for values in (similarity, headings, sentence, gist):
                values[~ready] = float(values[ready].mean()) if ready.any() else 0.0
        return Matches(similarity, rows, headings, sentence, gist, closest, spread, shortlist, read, firsts)

    def apart(self, matches: Matches, question: np.ndarray, sections: np.ndarray) -> Apart:
        """Sections `sections` (the re-ranker's candidates: only they are read, a few dozen
        of a folder's thousands) against the question as `match` measured it, each with its
        article's direction taken out (see the module's docstring): its best sentence (among
        the rows `match` read; a section whose rows were not read, or a heading alone, stands
        at its gist as its raw similarity does, or at -1 where every row is read), its
        heading and its gist."""
        asked = np.einsum("ij,j->i", self.directions[self.section_articles[sections]], question)
        gist = apart(matches.gist[sections], self.gist_along[sections], asked)
        headings = apart(matches.headings[sections], self.heading_along[sections], asked)
        sentence = np.full(len(sections), -1.0, dtype=np.float32) if self.exact else gist.copy()
        starts, heads = self.starts[sections], self.headings[sections]
        read = (heads > starts) & (matches.rows[heads] > UNREAD)  # a heading is read with its section's rows
        if read.any():
            rows, firsts, lengths = ranges(starts[read], heads[read])
            moved = self._apart_rows(rows, matches.rows[rows], np.repeat(asked[read], lengths))
            best = np.maximum.reduceat(moved, firsts)
            sentence[read] = np.where(best <= UNREAD, sentence[read], best)
        return Apart(sentence, headings, gist)

    def _apart_rows(self, rows: np.ndarray, values: np.ndarray, asked: np.ndarray) -> np.ndarray:
        """Rows `rows` (read; their similarities `values`, UNREAD where a file gave none; the
        question's place along each one's article direction, `asked`): their similarities
        with that direction taken out, UNREAD kept. A row's place along its direction is
        measured when first read after a reload, and kept."""
        # One view of the index for the whole question: whether it is complete is read
        # first, so what is kept was measured from a complete index's rows (an article kept
        # on disk reads as zeros until then), and kept in the array it was read from.
        complete = self.complete
        cache, vectors, directions = self.row_along, self.vectors, self.directions
        along = cache[rows]
        missing = np.isnan(along)
        if missing.any():
            at = rows[missing]
            owners = self.section_articles[np.searchsorted(self.starts, at, side="right") - 1]
            # A file's rows are untrusted: none stands further than all the way along.
            found = np.clip(np.nan_to_num(_along_own(_float32(vectors[at]), directions, owners)), -1.0, 1.0)
            if complete:
                cache[at] = found
            along[missing] = found
        moved = apart(values, along, asked)
        moved[values <= UNREAD] = UNREAD  # a row a file gave no number for
        return moved

    def _sample_rows(self, view: Ready) -> np.ndarray:
        """The spread sample's rows ready in `view`, as float32: made again only when
        articles came in."""
        sampled = self._sampled
        if sampled is None or sampled[0] != view.articles:
            sample = self._sample[view.rows[self._sample]]
            rows = _float32(self.vectors[sample])
            # A file's row that no model made (not finite, past unit length) measures as zero.
            rows[unsound_rows(rows)] = 0.0
            sampled = self._sampled = (view.articles, rows)
        return sampled[1]


def _directions_of(gists: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Each article's direction, its gists' mean made unit length (a zero one stays zero):
    `firsts`, where each article's gists start. One formula for one article and for all, so
    a first load and a reload make the same numbers."""
    sums = np.add.reduceat(gists, firsts, axis=0)
    norms = np.sqrt(_along(sums, sums))[:, None]
    return sums / np.where(norms > 0, norms, 1.0)


def _along(rows: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Each row's product with its direction (one formula wherever it is made, so a row
    measured when encoded and when read back gives the same number)."""
    return np.einsum("ij,ij->i", rows, directions)


def _along_own(rows: np.ndarray, directions: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """`_along` of rows (float32), each with its own article's direction (`owners`), a few
    thousand at a time: gathered whole, 120,000 sections' directions were 184 MB."""
    out = np.empty(len(rows), dtype=np.float32)
    for at in range(0, len(rows), STORED_PART):
        out[at : at + STORED_PART] = _along(rows[at : at + STORED_PART], directions[owners[at : at + STORED_PART]])
    return out


def apart(similarity: np.ndarray, along: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Unit vectors with one shared unit direction taken out of both, from their cosine
    `similarity` and how far along it each lies (`along`) and the question lies (`asked`):
    the row's rest, made unit length, against the question's rest as it is. A question all
    about the subject ("what is a prompt engineer?") has little rest, and its apart
    similarities stay near zero rather than being noise made as large as any. A cosine
    (at most the question's rest); clipped so, as a damaged file's row (all along its
    direction and the question's) would make it a hundred."""
    return np.clip((similarity - along * asked) / np.sqrt(np.maximum(1.0 - along * along, LEFT)), -1.0, 1.0)


def _times(matrix: np.ndarray, question: np.ndarray) -> np.ndarray:
    """matrix @ question, on this thread: a BLAS matrix-vector product spreads over threads,
    and on a busy machine waiting for them took 16 ms where this takes under one."""
    return np.einsum("ij,j->i", matrix, question)


def _similarities(rows: np.ndarray, question: np.ndarray) -> np.ndarray:
    """Rows (float32): their similarity to the question."""
    with np.errstate(invalid="ignore", over="ignore"):  # a damaged row's: read as UNREAD
        return _cosines(_times(rows, question))


def _cosines(products: np.ndarray) -> np.ndarray:
    """Products of rows and a question as cosines: a file read is untrusted, so a row with
    a missing or infinite number is one not read (UNREAD), and a row longer than a unit
    vector still measures at most 1."""
    return np.where(np.isfinite(products), np.clip(products, -1.0, 1.0), UNREAD).astype(np.float32)


@functools.cache
def _halves() -> np.ndarray:
    """Every float16 bit pattern's float32 value, in pattern order (256 KB)."""
    table = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(HELD).astype(np.float32)
    table.flags.writeable = False
    return table


def ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every index of the ranges starts[i]:ends[i], in order, as one array; where each range
    starts in it; and each range's length."""
    lengths = ends - starts
    firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return np.repeat(starts - firsts, lengths) + np.arange(int(lengths.sum())), firsts, lengths


def _float32(held: np.ndarray) -> np.ndarray:
    """Rows as held (float16), as float32: looked up in a table of every float16, which
    gives what `astype` gives, bit for bit, in half its time (numpy converts float16 one
    value at a time here: a quarter of a millisecond for a question's 460 rows)."""
    if held.dtype != HELD:
        return held.astype(np.float32)
    return np.take(_halves(), np.ascontiguousarray(held).view(np.uint16))


def _top(values: np.ndarray, count: int) -> np.ndarray:
    if len(values) <= count:
        return np.arange(len(values))
    return np.argpartition(-values, count - 1)[:count]
