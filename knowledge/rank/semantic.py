"""Meaning beside words: the shipped sentence model (all-MiniLM-L6-v2, int8 ONNX).

BM25 sees only the words a question shares with the article; the model maps a question and
each sentence to 384 numbers whose dot product says how close their meanings are ("do I
need to code?" meets "programming"). It runs on onnxruntime and tokenizers alone, from files
in this package: no torch, no network. One thread and a fixed batch order, so the same
question always gets the same vector.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .dictionary import MODEL_FOLDER, VOCABULARY_FILE

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from tokenizers.implementations import BertWordPieceTokenizer

MODEL_FILE = "minilm-l6-v2-int8.onnx"
# A file's digest reads this much at a time: more than the model (23 MB), and no more held.
DIGEST_BLOCK = 64 << 20
# The SHA-256 of the model and of its vocabulary, in sha256sum's format, written when the
# model is built (scripts/export_model.py). Both are checked before use: the vocabulary
# gives the ids the model looks up, so a longer one asks for rows the model lacks (a crash)
# and a reordered one silently changes every vector. The model is hashed in the thread
# that makes its session, beside the caller's imports; the vocabulary, 0.2 MB, at once.
MANIFEST_FILE = "manifest.sha256"
_MANIFEST_LINE = re.compile(r"([0-9a-f]{64}) [ *](\S+)")
# onnxruntime's own log lines are ANSI-coloured and bypass Python: its failures reach us as
# exceptions (said in one plain line), so only a fatal one may print (4: FATAL).
_ORT_LOG_SEVERITY = 4
DIMENSIONS = 384
# The model's vectors are of unit length: a stored one longer than this (float16 rounding
# aside) is none the model made.
UNIT_SLACK = 0.01
_CHECKED_AT_ONCE = 4096
# all-MiniLM-L6-v2 was trained on texts of up to 256 word pieces.
MAX_TOKENS = 256
# Texts encoded together, at most; sorted by their word pieces and cut where padding would
# cost more than another run (`batches`).
BATCH = 64
# Texts tokenized at once (their ids kept, the tokenizer's other output let go).
TOKENIZE_CHUNK = 1024
# What one more run of the model costs beside its word pieces, in word pieces: its fixed
# part (about 0.45 ms here, against 0.05 ms a word piece in a batch of 32).
RUN_COST = 16
# Questions encoded at once on threads of their own (`Encoder.encode_soon`), at most;
# more wait their turn.
QUESTION_THREADS = 4


class SemanticUnavailable(RuntimeError):
    """The model cannot run here (onnxruntime or tokenizers missing, or the model file)."""


def model_folder() -> Path:
    return Path(__file__).parent.parent / MODEL_FOLDER


def wanted(semantic: bool | None) -> bool:
    """Whether meaning is asked for: the argument when given, else CAREER_CHAT_SEMANTIC."""
    if semantic is not None:
        if not isinstance(semantic, bool):  # "no" would read as yes
            raise TypeError(f"semantic is True, False or None (the setting), not {semantic!r}")
        return semantic
    from ..settings import semantic_wanted

    return semantic_wanted()


class Encoder:
    """Texts in, unit vectors out (float32, one row a text).

    One one-thread session (same question, same vector, and no thread start-up for ten
    tokens) encodes questions and articles' sentences alike: onnxruntime runs a session
    from several threads at once, each run on its caller's thread, so the encoding
    threads share it (a session of each thread's own held 40 MB more each, measured, and
    encoded no faster).

    The question session is made in a thread of its own from the start: onnxruntime lets go
    of the interpreter while it reads and prepares the model (45 ms here), so the caller's
    imports and loading go on meanwhile. `ready()` waits for it.
    """

    def __init__(self, folder: Path, digests: dict[str, str], ahead: str | None = None):
        """Start making the session, then read the tokenizer meanwhile (it holds the
        interpreter, the session not); a damaged vocabulary file raises here. `ahead`: a
        text (a cold ask's question) the model's thread encodes once the session is made,
        while the caller still imports the engine, for `encode` to hand back.

        The tokenizer is the tokenizers library's own BERT WordPiece one, read from the
        model's vocabulary; its defaults (lowercase, accents stripped, Chinese characters
        split, control characters dropped) are all-MiniLM-L6-v2's settings, and it gives
        the ids the model's tokenizer.json gives (checked on 2,200 texts when chosen; the
        reference vectors in tests/test_semantic.py hold it). Reading 30,000 lines takes
        half the time of parsing that JSON (8 ms, not 18), and that time holds the
        interpreter on the way to every first answer."""
        self.model = folder / MODEL_FILE
        self._model_digest = digests[MODEL_FILE]
        # Cached vectors are keyed by it: the model and the vocabulary together.
        self.fingerprint = hashlib.sha256(f"{digests[MODEL_FILE]} {digests[VOCABULARY_FILE]}".encode()).hexdigest()[:16]
        self._session: object = None
        self._error: Exception | None = None
        self._ahead, self._ahead_vectors = ahead, None
        self.tokenizer: BertWordPieceTokenizer | None = None
        self._tokenized = threading.Event()  # the tokenizer is made (or failed): `ahead` can be encoded
        self._questions: ThreadPoolExecutor | None = None  # made on the first `encode_soon`
        self._questions_made = threading.Lock()
        # Not a daemon: an interpreter that exits while onnxruntime is still reading the model
        # aborts ("terminate called"), so a load that fails at once (a missing article, a
        # damaged vocabulary) waits the few milliseconds left for it instead.
        self._making = threading.Thread(target=self._make, name="career-chat-model", daemon=False)
        self._making.start()
        try:
            # Imported once the thread is off: 4 ms of its head start.
            from tokenizers.implementations import BertWordPieceTokenizer

            vocabulary = folder / VOCABULARY_FILE
            _check(vocabulary, digests[VOCABULARY_FILE])
            self.tokenizer = BertWordPieceTokenizer(str(vocabulary))
            self.tokenizer.enable_truncation(MAX_TOKENS)  # not padded: `_run` pads each batch
        finally:
            self._tokenized.set()

    @classmethod
    def load(cls, folder: Path | None = None, ahead: str | None = None) -> "Encoder":
        """The encoder, its question session still being made (see `ready`); `ahead`, a
        text to encode as soon as it is (see `__init__`)."""
        folder = folder or model_folder()
        # Its telemetry, on by default, logs a coloured line straight to stderr when it cannot
        # store a device id (a read-only home): an offline tool sends and stores none.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        try:
            import onnxruntime  # imported here so a missing one is said plainly
            import tokenizers  # noqa: F401
        except ImportError as error:
            raise SemanticUnavailable(f"{error.name or 'onnxruntime'} cannot be imported") from None
        onnxruntime.set_default_logger_severity(_ORT_LOG_SEVERITY)
        try:
            digests = read_manifest(folder)
            if not (folder / MODEL_FILE).is_file():
                raise FileNotFoundError(f"no {MODEL_FILE}")
            return cls(folder, digests, ahead)
        except Exception as error:  # a missing or damaged file
            raise SemanticUnavailable(f"the model in {folder} cannot be loaded ({error})") from None

    def _make(self) -> None:
        try:
            _check(self.model, self._model_digest)  # hashlib lets go of the interpreter meanwhile
            self._session = _session(self.model, threads=1)
        except Exception as error:  # a damaged file, an unsupported platform: said by `ready`
            self._error = error
            return
        if self._ahead is None:
            return
        self._tokenized.wait()
        if self.tokenizer is None:  # a damaged vocabulary: `load` says so
            return
        # Its run, the session's first (2 to 3 ms dearer than the next), goes on beside the
        # caller's imports rather than in its answer. The same session and run as `encode`:
        # the same vector.
        try:
            self._ahead_vectors = self._run(self._session, [self._ahead])
        except Exception:  # noqa: BLE001 - `encode` runs it again, and says what fails
            pass

    def wait(self) -> None:
        """Until the question session is made or has failed (before forking, say)."""
        self._making.join()

    def ready(self) -> "Encoder":
        """This encoder once its session is made; `SemanticUnavailable` when it cannot be."""
        self.wait()
        if self._error is not None:
            raise SemanticUnavailable(f"the model in {self.model.parent} cannot be loaded ({self._error})")
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of a few texts (a question): the one-thread session."""
        session = self.ready()._session
        if self._ahead_vectors is not None and texts == [self._ahead]:
            return self._ahead_vectors.copy()
        return self._run(session, texts)

    def encode_soon(self, text: str) -> "Soon":
        """A question's vector (`encode([text])[0]`), made on a thread of its own while the
        caller reads the question's words: onnxruntime lets go of the interpreter as it
        runs. The same session and run make it: the same vector as `encode`, on any thread."""
        with self._questions_made:
            if self._questions is None:
                # Imported here: it brings in logging, 5 ms of a cold start that encodes
                # its one question on the asker's thread.
                from concurrent.futures import ThreadPoolExecutor

                self._questions = ThreadPoolExecutor(QUESTION_THREADS, thread_name_prefix="career-chat-question")
            try:
                return Soon(text, self, self._questions.submit(self.encode, [text]))
            except RuntimeError:  # the interpreter is shutting down: no thread, so made here
                return Soon(text, self, None)

    def encode_many(self, texts: list[str]) -> np.ndarray:
        """Vectors of an article's sentences, batched by length within the article.
        Encoding runs in one thread a core (`knowledge.rank.encoding`), each on its own
        articles, all on the one session: on 2,400 sentences here, in two runs on a busy
        machine, one-thread runs side by side took 0.47 and 1.02 of the time one two-thread
        session took article by article (small batches keep a second intra-op thread
        waiting), and an article's vectors never depend on which thread made them.

        Batches never mix articles, and a text repeated in other articles is encoded
        again with each: the int8 model quantizes its activations a batch at a time, so a
        text's vector depends on the batch it is in (by up to 0.035 alone against in its
        article's batch, 0.055 batched with other articles', measured). Batches of one
        article keep each article's vectors its own: the same in a first load, a resumed
        one, or when only that article changed."""
        return self._run(self.ready()._session, texts)

    def release(self) -> None:
        """Give back the run memory the session keeps (onnxruntime's arena holds what its
        largest runs side by side needed): after a folder's encoding, about 50 MB at a
        thousand articles, in 8 ms. A question's run takes its few MB again."""
        try:
            import onnxruntime

            options = onnxruntime.RunOptions()
            options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
            ids = np.array([self.tokenizer.encode("").ids], dtype=np.int64)
            self.ready()._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}, options)
        except Exception:  # noqa: BLE001 - memory kept is no failure
            pass

    def _run(self, session, texts: list[str]) -> np.ndarray:  # noqa: ANN001 - onnxruntime's session
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        pieces = self._pieces(texts)
        order = sorted(range(len(texts)), key=lambda i: (len(pieces[i]), i))
        lengths = [len(pieces[i]) for i in order]
        for first, end in batches(lengths):
            rows = order[first:end]
            ids = np.zeros((end - first, lengths[end - 1]), dtype=np.int64)  # [PAD] is 0
            for row, i in enumerate(rows):
                ids[row, : len(pieces[i])] = pieces[i]
            mask = (np.arange(ids.shape[1]) < np.array(lengths[first:end])[:, None]).astype(np.int64)
            (vectors,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
            out[rows] = vectors
        return out

    def _pieces(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's word pieces, compact: the tokenizer's own output for a whole long
        article (offsets, tokens, masks, a Python int a piece) held hundreds of MB at once,
        so texts are tokenized TOKENIZE_CHUNK at a time and only their ids kept."""
        pieces: list[np.ndarray] = []
        for start in range(0, len(texts), TOKENIZE_CHUNK):
            pieces += [np.array(e.ids, dtype=np.int32) for e in self.tokenizer.encode_batch(texts[start : start + TOKENIZE_CHUNK])]
        return pieces


def batches(lengths: list[int]) -> list[tuple[int, int]]:
    """Texts' word-piece counts, in ascending order, cut into runs of the model (first,
    end) costing the least: each run pads its texts to its longest and costs RUN_COST
    more. Cutting by size alone (32 texts sorted by characters) padded an article's
    texts to 1.44 times their word pieces; this pads them to 1.04 and encodes a
    thousand generated articles in 0.72 of the time. It depends on the lengths alone,
    so an article's batches are the same wherever it is encoded."""
    count = len(lengths)
    cost = [0] * (count + 1)
    cut = [0] * (count + 1)
    for end in range(1, count + 1):
        width = lengths[end - 1]
        cost[end], cut[end] = min((cost[first] + RUN_COST + (end - first) * width, first) for first in range(max(0, end - BATCH), end))
    runs = []
    end = count
    while end > 0:
        runs.append((cut[end], end))
        end = cut[end]
    return runs[::-1]


class Soon:
    """A question's vector being made on another thread (`Encoder.encode_soon`)."""

    def __init__(self, text: str, encoder: Encoder, made: Future | None):
        self._text, self._encoder, self._made = text, encoder, made

    def result(self) -> np.ndarray:
        """The vector, or what encoding raised. Made here when its thread has not begun: on
        a busy machine a woken thread can wait milliseconds for a core, and the asker then
        waits no longer than encoding it itself would take."""
        if self._made is None or self._made.cancel():
            return self._encoder.encode([self._text])[0]
        return self._made.result()[0]


def _session(model: Path, threads: int):  # noqa: ANN202 - onnxruntime is imported late
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = _ORT_LOG_SEVERITY
    # The shipped graph was optimised when it was built (scripts/export_model.py); doing it
    # again at every start was half of the session's start-up (70 -> 30 ms here).
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    # A memory pattern is one block a run, planned per input shape: two encoding threads
    # running side by side each held one, 48 to 60 MB more than the session alone where
    # allocating tensor by tensor from the arena held 32 (60 articles, three runs each);
    # the same time, the same vectors.
    options.enable_mem_pattern = False
    # From the path: onnxruntime reads the file faster than Python hands it the bytes.
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def read_manifest(folder: Path) -> dict[str, str]:
    """The recorded SHA-256 of the model and of its vocabulary; `ValueError` unless the
    manifest names exactly those two files, each once."""
    digests: dict[str, str] = {}
    for line in (folder / MANIFEST_FILE).read_text(encoding="ascii").splitlines():
        match = _MANIFEST_LINE.fullmatch(line.strip())
        if match is None or match[2] in digests:
            raise ValueError(f"{MANIFEST_FILE} is malformed")
        digests[match[2]] = match[1]
    if digests.keys() != {MODEL_FILE, VOCABULARY_FILE}:
        raise ValueError(f"{MANIFEST_FILE} must list {MODEL_FILE} and {VOCABULARY_FILE}")
    return digests


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, read in blocks larger than the model, so that its digest is
    one read and one hash, each letting go of the interpreter (blocks of a MiB each waited
    for the interpreter again while a cold ask imported the engine: 65 to 95 ms on its
    thread against 20 alone). Not over a memory map: a file cut short while it was hashed
    (replaced, a full disk) killed the process with SIGBUS."""
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as handle:
        while block := handle.read(DIGEST_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _check(path: Path, expected: str) -> None:
    if file_digest(path) != expected:
        raise ValueError(f"{path.name} does not match its checksum in {MANIFEST_FILE}")


def unsound_rows(vectors: np.ndarray) -> np.ndarray:
    """Per stored row (float16 or float32), whether the model cannot have made it: not
    finite, or longer than a unit vector (the gist of a heading alone is zero). A file is
    untrusted: a longer row would measure past any cosine."""
    unsound = np.zeros(len(vectors), dtype=bool)
    for first in range(0, len(vectors), _CHECKED_AT_ONCE):  # a part at a time: no copy of a folder's all
        part = np.asarray(vectors[first : first + _CHECKED_AT_ONCE], dtype=np.float32)
        finite = np.isfinite(part).all(axis=1)
        held = np.where(finite[:, None], part, part.dtype.type(0))
        unsound[first : first + len(part)] = ~finite | (np.einsum("ij,ij->i", held, held) > (1.0 + UNIT_SLACK) ** 2)
    return unsound


def sound_vectors(vectors: np.ndarray) -> bool:
    """Whether every stored row could be the model's (see `unsound_rows`)."""
    return not unsound_rows(vectors).any()


def start_encoder(semantic: bool | None, ahead: str | None = None) -> Encoder | None:
    """The encoder when meaning is wanted and can run, its session still being made (see
    `settle`), `ahead` encoded once it is (see `Encoder`); else None, saying why once."""
    if not wanted(semantic):
        return None
    try:
        return Encoder.load(ahead=ahead)
    except SemanticUnavailable as error:
        _say(error)
        return None


def settle(encoder: Encoder | None) -> Encoder | None:
    """The encoder once its session is made; None, saying why once, when it cannot be."""
    if encoder is None:
        return None
    try:
        return encoder.ready()
    except SemanticUnavailable as error:
        _say(error)
        return None


def _say(error: SemanticUnavailable) -> None:
    warnings.warn(f"career-chat: answering by words only: {error}", RuntimeWarning, stacklevel=4)
