"""Meaning beside words: the shipped model, fusion, the off switches, the cache."""

from __future__ import annotations

import builtins
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge import KnowledgeBase
from knowledge.rank import semantic as semantic_module
from knowledge.rank.semantic import Encoder, model_folder

from .test_cli import EXE, run

# Two sections that share the word "job" equally: only meaning tells them apart.
TRAVEL = """\
# Field Engineer Guide

Field engineers install and repair machines at customer sites.

## Hours

Shifts start at eight in the morning and end at four.

## Training

New engineers shadow a senior colleague for three months.

## Equipment

The job comes with a laptop, a headset and a company phone.

## Travel

The job takes you to clients in other cities twice a month, usually by plane.
"""

ANALYST = """\
# Data Analyst Careers

Data analysts are in demand. This guide covers what a data analyst does, what data analysts
earn, and how data analysts get hired. Data analysts work in every industry.

## What Does a Data Analyst Do?

They clean tables, build dashboards and explain trends to managers.

## How Much Do Data Analysts Earn?

Most earn between $60,000 and $90,000 a year.

## How to Get Hired

Build a portfolio of three projects and apply widely.
"""


def article(tmp_path: Path, text: str, name: str = "guide.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_model_matches_the_original_embeddings():
    reference = json.loads((model_folder() / "reference.json").read_text())
    vectors = Encoder.load().encode(reference["sentences"])
    expected = np.array(reference["embeddings"], dtype=np.float32)
    assert vectors.shape == expected.shape == (len(reference["sentences"]), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert (vectors * expected).sum(axis=1).min() >= 0.97  # int8 stays close to float32
    assert (model_folder() / "NOTICE").read_text().count("Apache License") == 1


def test_the_shipped_model_gives_the_same_vectors_on_every_cpu():
    """onnxruntime multiplies int8 weights on x86 CPUs without VNNI with a 16-bit sum that
    clips: signed weights gave vectors up to 0.035 from the exact products there, and the
    fitted models and answers moved with them. Asking for exact products
    (`session.x64quantprecision`, applied by the graph optimiser where the CPU would clip)
    must change no vector of the shipped model. On a CPU that never clips (VNNI, ARM) the
    two sessions agree whatever the weights: there this proves nothing, and need not."""
    import onnxruntime

    texts = ["Is prompt engineering a real job?", "Bloomberg even says prompt engineers could make $175,000 to $375,000 annually."]

    def vectors(exact: bool) -> np.ndarray:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.add_session_config_entry("session.x64quantprecision", "1" if exact else "0")
        encoder = Encoder.load()
        encoder.wait()
        # The engine's tokens and pooling over this session's products.
        encoder._session = onnxruntime.InferenceSession(str(encoder.model), options, providers=["CPUExecutionProvider"])
        return encoder.encode(texts)

    assert np.array_equal(vectors(exact=True), vectors(exact=False))


def test_memory_given_back_after_encoding_changes_no_vector():
    """The run memory a folder's encoding leaves in the session is given back; the session
    encodes on, the same vectors as before."""
    encoder = Encoder.load()
    texts = ["Is prompt engineering a real job?", "Build a portfolio of three projects and apply widely."] * 20
    before = encoder.encode_many(texts)
    encoder.release()
    assert np.array_equal(encoder.encode_many(texts), before)


def test_a_question_encoded_ahead_is_the_vector_encode_gives(tmp_path):
    """A cold ask's question is encoded on the model's thread as soon as its session is
    made, while the engine is imported: `encode` hands back that vector, the one it would
    have made. With a damaged vocabulary there is nothing to encode it with, and the
    thread still ends (the interpreter waits for it on the way out)."""
    question = "what does a prompt engineer earn?"
    ahead = Encoder.load(ahead=question)
    assert np.array_equal(ahead.encode([question]), Encoder.load().encode([question]))
    assert ahead._ahead_vectors is not None  # made on the thread, not by `encode`
    folder = tmp_path / "model"
    folder.mkdir()
    _damaged_vocabulary(folder)
    script = (
        "from pathlib import Path; from knowledge.rank.semantic import Encoder, SemanticUnavailable\n"
        f"try: Encoder.load(Path({str(folder)!r}), ahead='what does it pay?')\n"
        "except SemanticUnavailable: print('unavailable')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "unavailable", result.stderr


def test_meaning_breaks_a_tie_that_words_cannot(tmp_path):
    path = article(tmp_path, TRAVEL)
    question = "will the job have me flying a lot?"
    assert KnowledgeBase.load(path, semantic=False).ask(question).section_id == "equipment"
    answer = KnowledgeBase.load(path, semantic=True).ask(question)
    assert answer.section_id == "travel" and "plane" in answer.text


def test_a_question_that_repeats_a_heading_is_answered_from_that_section(tmp_path):
    kb = KnowledgeBase.load(article(tmp_path, ANALYST))
    assert kb.ask("What Does a Data Analyst Do?").section_id == "what-does-a-data-analyst-do"
    assert kb.ask("what does a data analyst do").section_id == "what-does-a-data-analyst-do"
    assert kb.ask("what exactly does a data analyst do all day?").section_id == "what-does-a-data-analyst-do"


def test_off_switches(tmp_path, monkeypatch):
    path = article(tmp_path, TRAVEL)
    assert KnowledgeBase.load(path).semantic
    assert not KnowledgeBase.load(path, semantic=False).semantic
    monkeypatch.setenv("CAREER_CHAT_SEMANTIC", "off")
    assert not KnowledgeBase.load(path).semantic
    assert KnowledgeBase.load(path, semantic=True).semantic  # the argument wins


def test_without_onnxruntime_it_answers_by_words_and_says_so_once(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_onnxruntime(name, *args, **kwargs):
        if name == "onnxruntime":
            raise ImportError("No module named 'onnxruntime'", name="onnxruntime")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnxruntime)
    with pytest.warns(RuntimeWarning, match="answering by words only: onnxruntime cannot be imported"):
        kb = KnowledgeBase.load(article(tmp_path, TRAVEL))
    assert not kb.semantic and kb.ask("what equipment comes with the job?").section_id == "equipment"


def _manifest(folder: Path) -> None:
    """A manifest that matches whatever the folder holds, as the build script writes it."""
    names = (semantic_module.MODEL_FILE, semantic_module.VOCABULARY_FILE)
    lines = "".join(f"{semantic_module.file_digest(folder / name)}  {name}\n" for name in names)
    (folder / semantic_module.MANIFEST_FILE).write_text(lines)


def _damaged_model(folder: Path) -> None:
    """Its vocabulary, a file that is not a model, and a manifest true to both: the
    failure comes from the session, made in a thread while the article loads."""
    shutil.copy(model_folder() / "vocab.txt", folder / "vocab.txt")
    (folder / "minilm-l6-v2-int8.onnx").write_bytes(b"\x08\x07not a model" * 100)
    _manifest(folder)


def _damaged_vocabulary(folder: Path) -> None:
    """A sound model and a vocabulary that is not one (its manifest true to it): the failure
    comes while the session is still being made in its thread, which must not be left
    running at exit (onnxruntime aborts the interpreter then)."""
    shutil.copy(model_folder() / "minilm-l6-v2-int8.onnx", folder / "minilm-l6-v2-int8.onnx")
    (folder / "vocab.txt").write_text("hello\nworld\n", encoding="utf-8")  # no [CLS] or [SEP]
    _manifest(folder)


def _shipped_with(folder: Path, vocabulary: str | None = None, model: bytes | None = None) -> None:
    """The shipped model folder and its manifest, with one of the two files changed."""
    shutil.copytree(model_folder(), folder, dirs_exist_ok=True)
    if vocabulary is not None:
        (folder / "vocab.txt").write_text(vocabulary, encoding="utf-8")
    if model is not None:
        (folder / "minilm-l6-v2-int8.onnx").write_bytes(model)


def _longer_vocabulary(folder: Path) -> None:
    """Ids past the model's embedding rows: onnxruntime failed on them mid-question (exit
    70, with its own coloured log line) before the manifest covered the vocabulary."""
    shipped = (model_folder() / "vocab.txt").read_text(encoding="utf-8")
    _shipped_with(folder, vocabulary=shipped + "".join(f"laptopish{n}\n" for n in range(300)))


def _reordered_vocabulary(folder: Path) -> None:
    """Two words' ids swapped: every vector changed, silently, before the manifest."""
    words = (model_folder() / "vocab.txt").read_text(encoding="utf-8").split("\n")
    at = words.index("laptop")
    words[at], words[at + 1] = words[at + 1], words[at]
    _shipped_with(folder, vocabulary="\n".join(words))


def _edited_model(folder: Path) -> None:
    """One byte of the model changed: a model the manifest does not vouch for is not run."""
    model = bytearray((model_folder() / "minilm-l6-v2-int8.onnx").read_bytes())
    model[-1] ^= 1
    _shipped_with(folder, model=bytes(model))


@pytest.mark.parametrize(
    "fill",
    [lambda folder: None, _damaged_model, _damaged_vocabulary, _longer_vocabulary, _reordered_vocabulary, _edited_model],
    ids=["empty", "damaged", "vocabulary", "longer-vocabulary", "reordered-vocabulary", "edited-model"],
)
def test_the_cli_says_so_in_one_line_when_the_model_cannot_run(tmp_path, fill):
    folder = tmp_path / "model"
    folder.mkdir()
    fill(folder)
    # "laptopish0": an id past the model's rows when the vocabulary is longer than it.
    args = ["--article", str(article(tmp_path, TRAVEL)), "ask", "what equipment comes with the job laptopish0"]
    script = (
        "import sys; from pathlib import Path; import knowledge.rank.semantic as s; "
        f"s.model_folder = lambda: Path({str(folder)!r}); "
        f"from chat.cli import main; sys.exit(main({args!r}))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "laptop" in result.stdout
    notes = [line for line in result.stderr.splitlines() if line]
    assert len(notes) == 1 and notes[0].startswith("career-chat: note: answering by words only: the model in")
    assert "\x1b" not in result.stderr  # nothing of onnxruntime's own coloured log


@pytest.mark.parametrize("broken", ["vocabulary", "article"])
def test_a_load_that_fails_at_once_still_lets_the_interpreter_exit(tmp_path, broken):
    """The model's session is still being made in its thread when a load fails at once;
    the interpreter must wait for it, not abort on the way out (exit code 134)."""
    folder = tmp_path / "model"
    if broken == "vocabulary":
        folder.mkdir()
        _damaged_vocabulary(folder)
    else:
        shutil.copytree(model_folder(), folder)
    script = (
        "import sys; from pathlib import Path; import knowledge.rank.semantic as s\n"
        f"s.model_folder = lambda: Path({str(folder)!r})\n"
        "from knowledge import KnowledgeBase\n"
        f"try: KnowledgeBase.load({str(tmp_path / 'missing.md')!r} if {broken == 'article'} else None)\n"
        "except Exception as error: print(type(error).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert ("ArticleError" in result.stdout) if broken == "article" else ("answering by words only" in result.stderr)


def test_the_same_question_gets_the_same_answer_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    path = article(tmp_path, ANALYST)
    answers = [KnowledgeBase.load(path).ask("is this a job with a future?").model_dump() for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]


def test_vectors_come_from_the_cache_on_the_second_load(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    path = article(tmp_path, ANALYST)
    first = KnowledgeBase.load(path)
    assert list((tmp_path / "cache").glob("*.npy"))
    encoded: list[int] = []
    real = Encoder._run
    monkeypatch.setattr(Encoder, "_run", lambda self, session, texts: encoded.append(len(texts)) or real(self, session, texts))
    second = KnowledgeBase.load(path)
    assert np.array_equal(first.meaning.vectors, second.meaning.vectors)
    assert encoded == []  # nothing encoded at load; questions are encoded one at a time
    second.ask("what do they earn?")
    assert encoded == [1]


def test_a_damaged_vector_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    path = article(tmp_path, ANALYST)
    first = KnowledgeBase.load(path)
    (vectors,) = (tmp_path / "cache").glob("*.npy")
    vectors.write_bytes(b"\x93NUMPY garbage")
    assert np.array_equal(KnowledgeBase.load(path).meaning.vectors, first.meaning.vectors)


def test_lexical_flag_and_compare(tmp_path):
    path = article(tmp_path, TRAVEL)
    assert "laptop" in run("--article", str(path), "--lexical", "ask", "will the job have me flying a lot").stdout
    assert "plane" in run("--article", str(path), "ask", "will the job have me flying a lot").stdout
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "1", "question": "will the job have me flying a lot", "section": "travel"}) + "\n")
    result = run("--article", str(path), "eval", "--compare", str(questions))
    assert result.returncode == 0
    assert "top-1 m / w" in result.stdout and "1.00 / 0.00" in result.stdout
    # The figures the plain report has, how often "Answered" is true among them.
    assert "precision m / w" in result.stdout and "near ok m / w" in result.stdout


def test_model_files_are_package_data():
    for name in (semantic_module.MODEL_FILE, semantic_module.VOCABULARY_FILE, "NOTICE", "reference.json"):
        assert (model_folder() / name).is_file()


def test_the_manifest_holds_the_shipped_model_and_vocabulary():
    """Both files are checked against it before use, and cached vectors are keyed by it."""
    import hashlib

    digests = semantic_module.read_manifest(model_folder())
    for name in (semantic_module.MODEL_FILE, semantic_module.VOCABULARY_FILE):
        assert digests[name] == hashlib.sha256((model_folder() / name).read_bytes()).hexdigest()
    assert not (model_folder() / "minilm-l6-v2-int8.onnx.sha256").exists()  # one manifest, not two


def test_the_vector_key_follows_the_vocabulary(tmp_path):
    """A cached vector made with one vocabulary is never read for another."""
    _reordered_vocabulary(tmp_path / "other")
    _manifest(tmp_path / "other")  # a vocabulary the manifest vouches for, but not the shipped one
    assert Encoder.load(tmp_path / "other").ready().fingerprint != Encoder.load().ready().fingerprint


@pytest.mark.parametrize(
    "manifest",
    ["", "not a manifest\n", "{model}\n", "{model}\n{vocab}\n{vocab}\n", "{model}\n{vocab}\n{other}\n"],
    ids=["empty", "garbage", "model-only", "twice", "extra-file"],
)
def test_a_malformed_manifest_means_words_only(tmp_path, manifest):
    shutil.copytree(model_folder(), tmp_path / "model")
    lines = (model_folder() / semantic_module.MANIFEST_FILE).read_text().splitlines()
    text = manifest.format(model=lines[0], vocab=lines[1], other="0" * 64 + "  NOTICE")
    (tmp_path / "model" / semantic_module.MANIFEST_FILE).write_text(text)
    with pytest.raises(semantic_module.SemanticUnavailable, match="manifest.sha256"):
        Encoder.load(tmp_path / "model").ready()


def test_the_build_script_writes_the_manifest_the_engine_reads(tmp_path):
    """scripts/export_model.py needs torch to import: its `write_manifest` is run alone,
    with scripts/model_graph.py (which needs nothing beyond the standard library to import)."""
    import ast
    import importlib.util

    scripts = Path(__file__).resolve().parent.parent / "scripts"
    script = scripts / "export_model.py"
    tree = ast.parse(script.read_text(encoding="utf-8"))
    (function,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "write_manifest"]
    spec = importlib.util.spec_from_file_location("model_graph", scripts / "model_graph.py")
    model_graph = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model_graph)

    space: dict = {"model_graph": model_graph, "Path": Path}
    exec(compile(ast.Module(body=[function], type_ignores=[]), str(script), "exec"), space)
    shutil.copytree(model_folder(), tmp_path / "model")
    (tmp_path / "model" / semantic_module.MANIFEST_FILE).unlink()
    (tmp_path / "model" / "minilm-l6-v2-int8.onnx.sha256").write_text("stale\n")
    space["write_manifest"](tmp_path / "model", [semantic_module.MODEL_FILE, semantic_module.VOCABULARY_FILE])
    written = (tmp_path / "model" / semantic_module.MANIFEST_FILE).read_text()
    assert written == (model_folder() / semantic_module.MANIFEST_FILE).read_text()
    assert not (tmp_path / "model" / "minilm-l6-v2-int8.onnx.sha256").exists()


def test_onnxruntime_writes_nothing_of_its_own_to_the_terminal(tmp_path):
    """Where onnxruntime cannot store its telemetry device id (an unwritable home), it
    logged a coloured warning straight to stderr: telemetry is off, and so is its logging."""
    unwritable = "/proc/version/home"  # a path under a file: no one can create it
    env = {key: value for key, value in os.environ.items() if key != "ORT_DISABLE_TELEMETRY"}
    env.update(HOME=unwritable, XDG_CACHE_HOME=unwritable, CAREER_CHAT_CACHE=str(tmp_path / "cache"))
    result = subprocess.run(
        [EXE, "--article", str(article(tmp_path, TRAVEL)), "ask", "will the job have me flying a lot"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0 and "plane" in result.stdout  # the model ran
    assert result.stderr == ""


def test_batches_cover_the_texts_in_order_and_pad_them_little():
    import random

    from knowledge.rank.semantic import BATCH, batches

    rng = random.Random(5)
    lengths = sorted(rng.choice([rng.randint(4, 20), rng.randint(20, 90)]) for _ in range(700))
    runs = batches(lengths)
    assert runs[0][0] == 0 and runs[-1][1] == len(lengths)
    assert all(a[1] == b[0] for a, b in zip(runs, runs[1:]))  # every text once, in order
    assert all(0 < end - first <= BATCH for first, end in runs)
    padded = sum((end - first) * lengths[end - 1] for first, end in runs)
    by_size = sum(len(lengths[i : i + 32]) * lengths[min(i + 32, len(lengths)) - 1] for i in range(0, len(lengths), 32))
    assert padded <= 1.1 * sum(lengths) and padded < by_size
    assert batches(lengths) == runs and batches([]) == []


def test_a_model_file_cut_short_while_it_is_hashed_does_not_crash_the_process(tmp_path):
    """The model's digest was taken over a memory map: a file truncated while it was being
    hashed (replaced by an update, a full disk) killed the process with SIGBUS. Hashed as
    it is read, what is left is hashed, and no longer matches the manifest."""
    model = tmp_path / "minilm-l6-v2-int8.onnx"
    model.write_bytes(os.urandom(1 << 20))
    whole = semantic_module.file_digest(model)
    script = (
        "import hashlib, sys\n"
        "from knowledge.rank import semantic\n"
        "real = hashlib.sha256\n"
        "def cut_short(*data):  # the file is truncated as its hashing begins\n"
        "    open(sys.argv[1], 'r+b').truncate(0)\n"
        "    return real(*data)\n"
        "hashlib.sha256 = cut_short\n"
        "print(semantic.file_digest(sys.argv[1]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(model)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert len(result.stdout.strip()) == 64 and result.stdout.strip() != whole
