"""A cache of parsed, tokenized articles, keyed by file content: a folder of many articles
starts in a fraction of the time when nothing changed.

Where: $CAREER_CHAT_CACHE if set ("off" turns it off), else the user's cache folder.
An entry is trusted only if it parses, validates, names this engine (its code, data and the
library versions that shape an entry) and this exact content, and if what it would show
stands in the article (`knowledge.store.verify`: headings and paragraphs word for word, each
sentence a piece of its section citing one of its lines), or if it carries a seal made with
this user's own key (`knowledge.seal`: the entry was written or proved by this user's
engine); anything else (truncated, garbage, edited, other version) is rebuilt and
rewritten, at load, for every article. Entries are JSON, never pickle: reading one can
never run code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from ..inputs import ArticleError, open_regular, read_regular, shown_name
from ..lifetime import when_gone
from ..rank.analysis import Analyzer
from ..rank.encoding import give_back_memory
from ..rank.retrieval import Postings
from ..rank.semantic import DIMENSIONS, Encoder, sound_vectors
from ..rank.tokens import analyze_article
from ..read.article import Article, load_article, read_text
from ..seal import opened, sealed
from .bounded import (
    load_json,
    read_archive,
    read_array_file,
    read_array_header,
    shallow_json,
)
from .entry import BY_HAND_UP_TO, Entry, read_entry

if TYPE_CHECKING:
    from ..rank.meaning import Meaning

# Bump when the entry's layout changes (code changes are covered by the fingerprint).
FORMAT = 4
# A kept file larger than these is no file the cache wrote: an entry is a few times its
# article (its text, spans and tokens; 18 times an article of nothing but short headings,
# measured); the stemmed lexicons are about 40 KB.
ENTRY_BYTES_PER_CHARACTER = 64
ENTRY_BYTES_AT_LEAST = 1 << 20
LEXICON_BYTES = 16 * 1024 * 1024
# Libraries whose versions shape an entry: sentence splitting, stemming, frontmatter.
_SHAPING = ("nltk", "PyStemmer", "python-frontmatter", "PyYAML")


def engine_fingerprint(package: Path = Path(__file__).parent.parent) -> str:
    """The cache format, the engine's code and data files (of `package`, this one, with its
    subpackages), and the versions of the libraries that shape an entry: after any upgrade,
    every entry is rebuilt, never served stale."""
    digest = hashlib.sha256(str(FORMAT).encode())
    # One walk of names, not of Path objects (pathlib's walk and naming were half of this
    # function, 2 ms of every start); the bytecode's folders are not entered.
    files = {}
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        within = os.path.relpath(folder, package).replace(os.sep, "/")
        for name in names:
            if name.endswith((".py", ".txt")):
                files[name if within == "." else f"{within}/{name}"] = os.path.join(folder, name)
    for name in sorted(files):
        with open(files[name], "rb") as handle:
            digest.update(name.encode() + b"\0" + handle.read())
    versions = installed_versions(_SHAPING)
    for name in _SHAPING:
        digest.update(f"{name}={versions[name]}".encode())
    return digest.hexdigest()[:16]


def load_analyzer(folder: Path | None, fingerprint: str) -> Analyzer:
    """The analyzer with the shipped lexicons: read from the cache when this engine (the
    fingerprint covers the lexicons and the stemmer) has stemmed them before."""
    if folder is None:
        return Analyzer.default()
    path = folder / f"lexicon-{fingerprint}.json"
    try:
        return Analyzer.from_parts(load_json(read_regular(path, LEXICON_BYTES)))
    except Exception:  # noqa: BLE001 - unreadable, garbage or crafted: stem them again
        pass
    analyzer = Analyzer.default()
    _write(path, json.dumps(analyzer.parts()).encode("utf-8"))
    return analyzer


def installed_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Distributions' versions from their `<name>-<version>.dist-info` folder names (the
    wheel spec fixes that name), first on sys.path wins; "?" for one not found.
    `importlib.metadata` would parse each METADATA file with the email package: a fifth of
    a cold start, on every start."""
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            folders = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in folders:
            stem, dot, kind = folder.rpartition(".")
            if dot and kind in {"dist-info", "egg-info"}:
                project, _, version = stem.partition("-")
                name = wanted.get(_normal(project))
                if name and version and name not in found:
                    found[name] = version
    return {name: found.get(name, "?") for name in names}


def _normal(project: str) -> str:
    return re.sub(r"[-_.]+", "_", project).lower()


def _key(path: Path, text: str, fingerprint: str) -> str:
    # The file name is part of the key: section ids of several articles are prefixed with it.
    digest = hashlib.sha256(fingerprint.encode() + b"\0" + os.fsencode(path.name) + b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


def _entry_path(folder: Path, key: str) -> Path:
    return folder / f"{key[:32]}.json"


def _lookup(
    path: Path,
    folder: Path | None,
    fingerprint: str,
    by_hand: bool = False,
    written: str | None = None,
    secret: bytes | None = None,
) -> tuple[Article | None, str | None]:
    """The article from its cache entry if there is a sound one, else None; and the text
    read to look it up, so a miss parses that rather than reading the file again.
    An entry is proved against the article (`faithful`) unless it is sealed under this
    user's `secret` (`knowledge.seal`), or `written`: the SHA-256 of the entry a worker
    of this load has just written from this text (that check was a third of a first load).
    An entry proved here is sealed in place, so the next load need not prove it."""
    if folder is None:
        return None, None
    text = read_text(path)
    key = _key(path, text, fingerprint)
    where = _entry_path(folder, key)
    proved = False
    try:
        raw = read_regular(where, ENTRY_BYTES_AT_LEAST + ENTRY_BYTES_PER_CHARACTER * len(text))
        body, held = opened(secret, key, raw)
        entry = _read(body, key, by_hand)
        own = held or (written is not None and hashlib.sha256(raw).hexdigest() == written)
        if entry is not None and not own:
            # Imported here: proving reads the article as a parse would, and a sealed entry,
            # every load's after the first, needs none of it (1.5 ms of a cold start).
            from .verify import faithful

            proved = faithful(text, entry.info, entry.sections, path)
        sound = entry is not None and (own or proved)
    except Exception:  # noqa: BLE001 - whatever a crafted entry makes fail (deep nesting, huge numbers): parse again
        sound = False
    if not sound:
        return None, text
    if proved and secret is not None:
        _write(where, sealed(secret, key, body))
    shown = shown_name(path)
    for section in entry.sections:
        section.source = shown
    article = Article(entry.info.model_copy(update={"path": shown}), entry.sections, entry.tokens, key)
    return article, text


def _build_and_store(
    path: Path, text: str | None, analyzer: Analyzer, folder: Path | None, fingerprint: str, secret: bytes | None = None
) -> Article:
    """Parse the article (from `text` when already read) and, with a cache folder, store its
    entry (sealed under `secret` when there is one)."""
    return _build_and_store_entry(path, text, analyzer, folder, fingerprint, secret)[0]


def _build_and_store_entry(
    path: Path, text: str | None, analyzer: Analyzer, folder: Path | None, fingerprint: str, secret: bytes | None = None
) -> tuple[Article, bytes | None]:
    """`_build_and_store`, and the entry's bytes as written (None where none was stored).
    The text is read once: the entry is built from the very text its key names (read twice,
    a file saved in between would have one version's entry stored, and sealed, as another's)."""
    if folder is not None and text is None:
        text = read_text(path)
    article = _build(path, text, analyzer)
    if folder is None:
        return article, None
    article.key = _key(path, text, fingerprint)
    entry = Entry(format=FORMAT, key=article.key, info=article.info, sections=article.sections, tokens=article.tokens)
    raw = sealed(secret, article.key, entry.model_dump_json().encode("utf-8"))
    return article, raw if _write(_entry_path(folder, article.key), raw) else None


# From this many articles to parse, a load spreads parsing over the cores.
PARALLEL_FROM = 32


@dataclass
class Loaded:
    """A load's articles, in order, and the files of a folder that could not be read."""

    articles: list[Article]
    skipped: list[ArticleError]


def load_many(
    paths: list[Path],
    analyzer: Analyzer,
    folder: Path | None,
    fingerprint: str,
    progress: Callable[[int, int], None] | None = None,
    before_fork: Callable[[], None] | None = None,
    secret: bytes | None = None,
) -> Loaded:
    """Every article, in order: cached ones read here, the rest parsed (one process a core
    when there are many; sending a parsed article between processes costs more than
    reading its cache entry). `before_fork` waits for the caller's own threads to end
    (the model's session being made): forking beside a running thread can deadlock.
    `secret`: this user's key for sealing entries (`knowledge.seal`), or None.
    Of several files, one that cannot be read (binary, empty, too large) is skipped and
    said in `skipped`, so one bad file does not stop a folder (when none can be, `articles`
    is empty: the caller says so of the folder); one file's `ArticleError` is raised."""
    import multiprocessing
    import threading

    done = 0
    skipped: dict[int, ArticleError] = {}

    def advance() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(paths))

    def skip(i: int, error: ArticleError) -> None:
        if len(paths) == 1:
            raise error
        skipped[i] = error
        advance()

    def parsed(i: int, make: Callable[[], Article]) -> None:
        """Article `i` from `make`, or skipped when it cannot be read."""
        try:
            articles[i] = make()
        except ArticleError as error:
            skip(i, error)
            return
        advance()

    articles: list[Article | None] = []
    texts: dict[int, str | None] = {}  # each miss's text, read once
    by_hand = len(paths) <= BY_HAND_UP_TO
    for i, path in enumerate(paths):
        try:
            article, text = _lookup(path, folder, fingerprint, by_hand, secret=secret)
        except ArticleError as error:
            articles.append(None)
            skip(i, error)
            continue
        articles.append(article)
        if article is not None:
            advance()
        else:
            texts[i] = text
    misses = [i for i, article in enumerate(articles) if article is None and i not in skipped]
    workers = min(os.cpu_count() or 1, 8)
    # Forked workers only, and only from the main thread: a spawned worker re-runs the
    # caller's script (which may lack a __main__ guard), and forking from a thread of a
    # threaded program (the chat app loads in one) can deadlock.
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.current_thread() is threading.main_thread()
    parallel = len(misses) >= PARALLEL_FROM and workers >= 2 and forkable
    if parallel and before_fork:
        before_fork()
    # Any other thread still running (a library's earlier load encoding in the background,
    # a web app's) may hold a lock the forked workers would wait on for ever.
    if not parallel or threading.active_count() > 1:
        for i in misses:
            parsed(i, functools.partial(_build_and_store, paths[i], texts[i], analyzer, folder, fingerprint, secret))
        return _loaded(articles, skipped)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_end_with_parent) as pool:
        jobs = pool.map(
            _load_in_worker,
            [paths[i] for i in misses],
            [texts[i] for i in misses],
            [folder] * len(misses),
            [fingerprint] * len(misses),
            [secret] * len(misses),
            chunksize=16,
        )
        texts.clear()  # each text now goes with its job, and is let go when the job is done
        for i, article in zip(misses, jobs, strict=True):
            if isinstance(article, ArticleError):
                skip(i, article)
                continue
            if isinstance(article, str):  # stored by the worker: read back (the file may have changed since)
                parsed(i, functools.partial(_read_back, paths[i], article, analyzer, folder, fingerprint, secret))
            else:
                articles[i] = article
                advance()
    give_back_memory()  # what reading the workers' articles back freed (tens of MB at a thousand)
    return _loaded(articles, skipped)


def _read_back(
    path: Path, written: str, analyzer: Analyzer, folder: Path | None, fingerprint: str, secret: bytes | None
) -> Article:
    """The entry a worker stored, read back and checked like any other (should that fail,
    the article is parsed here): sent back whole, parsed articles cost more time and memory
    to unpickle than their entries to read."""
    return _lookup(path, folder, fingerprint, written=written, secret=secret)[0] or _build_and_store(
        path, None, analyzer, folder, fingerprint, secret
    )


def _loaded(articles: list[Article | None], skipped: dict[int, ArticleError]) -> Loaded:
    """The articles read, and the errors of those skipped, in order."""
    return Loaded([a for a in articles if a is not None], [skipped[i] for i in sorted(skipped)])


def _load_in_worker(
    path: Path, text: str | None, folder: Path | None, fingerprint: str, secret: bytes | None
) -> Article | str | ArticleError:
    """Parse and store an article; when its entry was stored, the SHA-256 of its bytes, for
    the caller to read it back as this worker's own. A file that cannot be read is its
    error, returned, not raised: raised in a worker, it would end the whole pool's results."""
    try:
        article, raw = _build_and_store_entry(path, text, _worker_analyzer(), folder, fingerprint, secret)
    except ArticleError as error:
        return error
    if raw is None:  # not stored: sent back whole
        return article
    return hashlib.sha256(raw).hexdigest()


def _end_with_parent() -> None:
    """A worker's start: it ends once the process that forked it is gone, however that
    ended. Killed (SIGKILL, the OOM killer), that process could stop none of its workers,
    and each, waiting on its queue for ever, held the command's stdout open (`| cat` never
    ended)."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        when_gone(parent, lambda: os._exit(1), name="end with the load")


@functools.cache
def _worker_analyzer() -> Analyzer:
    """One analyzer per worker process, built on its first article."""
    return Analyzer.default()


# Vectors are stored as float16: half of float32 on disk, and they are made compact
# (int8 with a scale, `knowledge.rank.meaning`) when read.
VECTOR_TYPE = np.dtype(np.float16)


def vector_path(folder: Path | None, key: str | None, encoder: Encoder) -> Path | None:
    """Where an article's vectors are kept: keyed by its content and the model."""
    return folder / f"{key[:32]}-{encoder.fingerprint}.npy" if folder and key else None


def read_vectors(path: Path | None, rows: int) -> np.ndarray | None:
    """An article's stored vectors, when the file has exactly `rows` float16 rows the model
    could have made (finite, none past unit length); None when missing, cut short, of
    another shape, or crafted (encode it again). A vector only ranks, it is never shown,
    so that is enough to trust one."""
    if path is None:
        return None
    try:
        vectors = read_array_file(path, VECTOR_TYPE, (rows, DIMENSIONS))
    except Exception:  # noqa: BLE001 - missing, cut short, another shape, or crafted
        return None
    return vectors if sound_vectors(vectors) else None


def store_vectors(path: Path | None, vectors: np.ndarray) -> None:
    """Write an article's vectors as soon as they are made: an interrupted first load
    resumes after the last article stored."""
    if path is not None:
        _write(path, lambda handle: np.save(handle, np.asarray(vectors, dtype=VECTOR_TYPE), allow_pickle=False))


def folder_vectors_path(index: Path | None, encoder: Encoder) -> Path | None:
    """Where a folder's vectors are kept all in one file, beside its kept index (`index`,
    see `folder_index_path`: the same articles in the same order), for this model."""
    if index is None:
        return None
    return index.with_name(f"vectors-{index.stem.removeprefix('index-')}-{encoder.fingerprint}.npy")


class RowFile:
    """The rows of a stored float16 matrix, read from the file where asked (`rows[a:b]`,
    `rows[indexes]`), never all held. Memory-mapping it was tried: the kernel maps the
    neighbours of every page a question touches, and after 84 questions a thousand-article
    folder's process held 77 MB more of the file; a read leaves them in the page cache,
    shared and outside the process. A file cut short after it was checked reads as NaN,
    which the meaning index passes over."""

    def __init__(self, handle: IO[bytes], offset: int, rows: int):
        self._handle, self._offset = handle, offset
        self.shape = (rows, DIMENSIONS)
        self.dtype = VECTOR_TYPE
        # Closed with the knowledge base that holds it, when nothing else closed it first.
        self._closer = weakref.finalize(self, handle.close)

    def __len__(self) -> int:
        return self.shape[0]

    def close(self) -> None:
        self._closer()

    def _run(self, first: int, end: int) -> np.ndarray:
        width = DIMENSIONS * VECTOR_TYPE.itemsize
        data = os.pread(self._handle.fileno(), (end - first) * width, self._offset + first * width)
        rows = np.full((end - first, DIMENSIONS), np.nan, dtype=VECTOR_TYPE)
        whole = len(data) // width
        rows[:whole] = np.frombuffer(data[: whole * width], dtype=VECTOR_TYPE).reshape(whole, DIMENSIONS)
        return rows

    def __getitem__(self, where: slice | np.ndarray) -> np.ndarray:
        if isinstance(where, slice):
            first, end, _ = where.indices(len(self))
            return self._run(first, max(first, end))
        rows = np.asarray(where, dtype=np.int64)
        if not len(rows):
            return np.zeros((0, DIMENSIONS), dtype=VECTOR_TYPE)
        # One read a run of neighbouring rows (a section's rows are neighbours), each straight
        # into its place in one array: a question reads some fifty runs, and a bytes object,
        # an array and a copy of each, then joining them, took twice as long.
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1
        starts = np.concatenate([[0], breaks]).tolist()
        ends = np.concatenate([breaks, [len(rows)]]).tolist()
        out = np.empty((len(rows), DIMENSIONS), dtype=VECTOR_TYPE)
        into = memoryview(out).cast("B")
        width = DIMENSIONS * VECTOR_TYPE.itemsize
        handle = self._handle.fileno()
        for a, b, first in zip(starts, ends, rows[starts].tolist(), strict=True):
            if not hasattr(os, "preadv"):  # macOS before 11: a read and a copy
                out[a:b] = self._run(first, first + b - a)
                continue
            read = os.preadv(handle, [into[a * width : b * width]], self._offset + first * width)
            if read < (b - a) * width:  # cut short: the rows not read whole are NaN
                out[a + read // width : b] = np.nan
        return out


def read_folder_vectors(path: Path | None, rows: int) -> RowFile | None:
    """The folder's vectors file, open to read rows from, when it holds exactly `rows`
    float16 rows; None otherwise. A question reads a few hundred of a folder's rows, so
    the rest never take memory."""
    if path is None:
        return None
    try:
        handle = open_regular(path, buffering=0)
    except OSError:
        return None
    try:
        read_array_header(handle, VECTOR_TYPE, (rows, DIMENSIONS))
        return RowFile(handle, handle.tell(), rows)
    except Exception:  # noqa: BLE001 - cut short, another shape, or crafted: per article then
        handle.close()
        return None


def adopt_folder_vectors(meaning: Meaning, rows: RowFile | None, rows_only: bool = False) -> bool:
    """Whether `meaning` took its rows from the folder's vectors file (`read_folder_vectors`;
    `rows_only`: see `Meaning.adopt`); when it did not (no file, numbers that are not
    finite, a read that failed), the file is closed and each article's own vectors are read
    instead."""
    if rows is None:
        return False
    try:
        # Its first and last rows read back: a file that cannot be read is found here,
        # not by a question (`rows_only` reads nothing else of it).
        if len(rows) and not (rows[0:1].shape[0] and rows[len(rows) - 1 :].shape[0]):
            raise OSError("the vectors file reads short")
        if meaning.adopt(rows, rows_only=rows_only):
            return True
    except Exception:  # noqa: BLE001 - a file that cannot be read is a cache miss
        pass
    rows.close()
    return False


def write_folder_vectors(path: Path | None, rows: int, parts: Iterable[np.ndarray]) -> None:
    """A folder's `rows` rows (float16, 384 wide) in one file, `parts` one after another as
    they come (each article's read back from its own file, say: never all held at once),
    once its meaning is complete; earlier files of the same folder (of articles since
    changed) are removed. Parts that do not add up to `rows` leave no file."""
    if path is None:
        return
    header = {"descr": np.lib.format.dtype_to_descr(VECTOR_TYPE), "fortran_order": False, "shape": (rows, DIMENSIONS)}

    def write(handle: IO[bytes]) -> None:
        np.lib.format.write_array_header_1_0(handle, header)
        written = 0
        for part in parts:
            handle.write(np.ascontiguousarray(part, dtype=VECTOR_TYPE).data)
            written += len(part)
        if written != rows:
            raise OSError(f"{written} rows written of {rows}")

    _write(path, write)
    _remove_older(path, "vectors", ".npy")


# From this many articles, a load keeps what it builds from all of them (see FolderIndex).
FOLDER_INDEX_FROM = 32


@dataclass(frozen=True)
class FolderIndex:
    """What a load builds from all its articles at once: the sentence index and the
    articles' word counts. Kept beside the entries for the same articles in the same order,
    so the next load of an unchanged folder reads arrays instead of building them (a third
    of a cached thousand-article load). Like a vector, it only ranks and spells: a quote
    always comes from a checked entry, so a sound shape is enough to trust one."""

    sentences: Postings
    frequency: dict[str, int]


def folder_index_path(folder: Path | None, source: Path, articles: list[Article]) -> Path | None:
    """Where the index of these articles, in this order, loaded from `source`, is kept; None
    when it is not worth keeping (a few articles build it in milliseconds) or an article has
    no cache key. The name starts with the source's own mark, so a new index of the same
    folder replaces the last one (each is megabytes)."""
    if folder is None or len(articles) < FOLDER_INDEX_FROM or not all(a.key for a in articles):
        return None
    where = hashlib.sha256(os.fsencode(source.resolve())).hexdigest()[:16]
    digest = hashlib.sha256("\0".join(a.key for a in articles).encode()).hexdigest()
    return folder / f"index-{where}-{digest[:32]}.npz"


# The arrays of a kept index, and their types.
_INDEX_ARRAYS = {
    "terms": np.uint8,
    "starts": np.int64,
    "docs": np.int32,
    "tfs": np.float32,
    "lengths": np.int64,
    "words": np.uint8,
    "counts": np.int64,
}
# A kept index's arrays hold at most this many bytes per character of the articles' text
# (measured: about 3), and per sentence-index document.
_INDEX_BYTES_PER_CHAR = 32
_INDEX_BYTES_PER_DOCUMENT = 64


def read_folder_index(path: Path | None, articles: list[Article]) -> FolderIndex | None:
    """The kept index if there is a sound one for these articles (their sections' sentences
    and headings are its documents); arrays larger than their text could make are never read."""
    if path is None:
        return None
    sections = [s for a in articles for s in a.sections]
    documents = sum(s.sentence_count + 1 for s in sections)
    budget = _INDEX_BYTES_PER_CHAR * sum(len(s.text) + len(s.title) for s in sections) + _INDEX_BYTES_PER_DOCUMENT * documents
    try:
        arrays = read_archive(path, {name: np.dtype(kind) for name, kind in _INDEX_ARRAYS.items()}, budget)
        terms = _unjoin(arrays["terms"])
        words = _unjoin(arrays["words"])
        postings = Postings(terms, arrays["starts"], arrays["docs"], arrays["tfs"], arrays["lengths"])
        counts = arrays["counts"]
        if not postings.sound(documents) or counts.shape != (len(words),):
            return None
        return FolderIndex(postings, dict(zip(words, counts.tolist(), strict=True)))
    except Exception:  # noqa: BLE001 - missing, damaged, over budget or crafted: built again
        return None


def write_folder_index(path: Path | None, index: FolderIndex) -> None:
    if path is None:
        return
    p = index.sentences
    arrays = {
        "terms": _join(p.terms),
        "starts": p.starts,
        "docs": p.docs,
        "tfs": p.tfs,
        "lengths": p.lengths,
        "words": _join(list(index.frequency)),
        "counts": np.array(list(index.frequency.values()), dtype=np.int64),
    }
    _write(path, lambda handle: np.savez(handle, **arrays))  # straight to the file: no copy in memory
    # The same folder's earlier indexes (of articles since changed) will not be read again.
    _remove_older(path, "index", ".npz")


def _join(words: list[str]) -> np.ndarray:
    """Words (never holding a space) as one UTF-8 byte array."""
    return np.frombuffer(" ".join(words).encode("utf-8"), dtype=np.uint8)


def _unjoin(data: np.ndarray) -> list[str]:
    if data.dtype != np.uint8 or data.ndim != 1:
        raise ValueError("not joined words")
    text = data.tobytes().decode("utf-8")
    return text.split(" ") if text else []


def _build(path: Path, text: str | None, analyzer: Analyzer) -> Article:
    article = load_article(path, text)
    article.tokens = analyze_article(article.info.title, article.sections, analyzer)
    return article


def _read(raw: bytes, key: str, by_hand: bool) -> Entry | None:
    """The entry in `raw` (an entry file's bytes) if it reads as one for `key` whose parts
    agree in number and whose tokens are tokens (the index reads them as they are)."""
    try:
        entry = read_entry(shallow_json(raw), by_hand)
    except (OSError, ValueError):
        return None
    if entry is None or entry.format != FORMAT or entry.key != key:
        return None
    tokens = entry.tokens
    if len(tokens.sentences) != len(entry.sections) or len(tokens.headings) != len(entry.sections):
        return None
    if any(len(t) != s.sentence_count for t, s in zip(tokens.sentences, entry.sections)):
        return None
    if len(tokens.counts) != (tokens.words.count(" ") + 1 if tokens.words else 0):
        return None
    if not (_joined(tokens.words) and all(_joined(t) for s in tokens.sentences for t in s)):
        return None
    if not all(t.split() == [t] for h in tokens.headings for t in h):
        return None
    return entry


def _joined(tokens: str) -> bool:
    """Whether `tokens` are tokens joined by single spaces (or none)."""
    return " ".join(tokens.split()) == tokens


def _write(path: Path, data: bytes | Callable[[IO[bytes]], None]) -> bool:
    """Write atomically (`data`, or what `data(file)` writes into it); whether it was
    written: a cache that cannot be written is no reason to fail."""
    import tempfile  # a write follows a parse, never a cold start that only reads

    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
            tmp = Path(handle.name)
            if callable(data):
                data(handle)
            else:
                handle.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        return False
    return True


def _remove_older(path: Path, kind: str, suffix: str) -> None:
    """The same folder's earlier files of this kind (of articles since changed): they will
    not be read again. One that cannot be removed is left."""
    source = path.name.split("-")[1]
    for stale in path.parent.glob(f"{kind}-{source}-*{suffix}"):
        if stale != path:
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                pass
