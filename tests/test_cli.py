"""The real `career-chat` console script, run as a person or a script would run it."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import Answer

from .conftest import DATA, ROOT, folder_of
from .pages import article_html

EXE = shutil.which("career-chat") or str(Path(sys.executable).parent / "career-chat")


def run(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [EXE, *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def assert_clean_error(result: subprocess.CompletedProcess, says: str) -> None:
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("career-chat: error:") and says in lines[0], result.stderr


def test_answered_question_prints_quotes_and_sources(tmp_path):
    result = run("ask", "how", "much", "do", "prompt", "engineers", "make", cwd=tmp_path)
    assert result.returncode == 0
    assert "$175,000 to $375,000" in result.stdout
    assert "[1] Factor 7 · Compensation — " in result.stdout
    assert "making-of-ai-interactions.md:107" in result.stdout
    assert "\x1b" not in result.stdout  # piped: no colour


def _on_a_terminal(*args: str, columns: int, env: dict | None = None) -> str:
    """What the command writes to a terminal `columns` wide (a pseudo-terminal), without
    colour unless `env` says otherwise (a variable given None is unset)."""
    import pty

    leader, follower = pty.openpty()
    try:
        env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", **(env or {})}
        env = {key: value for key, value in env.items() if value is not None}
        subprocess.run([EXE, *args], stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other side is closed: all read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_answers_are_wrapped_to_a_narrow_terminal_and_to_88_columns_elsewhere():
    for question in ("is it a real job?", "how many hours a week do prompt engineers usually work"):
        narrow = _on_a_terminal("ask", question, columns=40)
        assert max(map(len, narrow.splitlines())) <= 39, narrow  # the first line and the sources too
    narrow = _on_a_terminal("ask", "is it a real job?", columns=50)
    quoted = narrow.split("\n\n")[1].splitlines()
    assert len(quoted) > 2 and max(map(len, quoted)) <= 49, narrow
    piped = run("ask", "is it a real job?", env={"COLUMNS": "50"}).stdout
    assert max(map(len, piped.split("\n\n")[1].splitlines())) > 50  # a file gets the same text wherever it was made


@pytest.mark.parametrize("no_color, coloured", [("", True), ("1", False), (None, True)], ids=["empty", "set", "unset"])
def test_only_a_non_empty_no_color_turns_colour_off(no_color, coloured):
    """no-color.org: "when present and not an empty string"; Rich reads it so too."""
    output = _on_a_terminal("ask", "is prompt engineering a real job?", columns=80, env={"TERM": "xterm-256color", "NO_COLOR": no_color})
    assert "Answered" in output, output
    assert ("\x1b[" in output) == coloured, output


def test_partly_covered_question_names_missing_words():
    result = run("ask", "what do prompt engineers earn in germany")
    assert result.returncode == 0
    assert "The article does not mention: germany." in result.stdout


def test_each_question_of_a_message_is_answered_under_its_own_name():
    out = run("ask", "What does it pay? Is prompt engineering a real job?").stdout
    paragraphs = out.split("\n\n")
    pay, real = paragraphs[1], paragraphs[2]
    assert pay.startswith("\u201cWhat does it pay?\u201d\n") and "[1]" in pay and "is yes" not in pay
    assert real.startswith("\u201cIs prompt engineering a real job?\u201d\nThe short answer to this question is yes. [3]")
    # A part only the closest passage answers is said so where its sentences stand.
    out = run("ask", "What does it pay? What is the dress code?").stdout
    assert "\n\u201cWhat is the dress code?\u201d \u2014 Closest passage only.\n" in out


def test_uncovered_question_exits_1_with_the_refusal():
    result = run("ask", "how do i unclog a bathroom sink")
    assert result.returncode == 1
    assert "does not cover" in result.stdout
    # One topic a line: " · " between topics read as inside their labels ("Factor 7 · Compensation").
    assert "\n  \u2022 Factor 7 · Compensation\n" in result.stdout


def test_json_parses_into_answer():
    result = run("ask", "--json", "is prompt engineering a real job?")
    assert result.returncode == 0
    answer = Answer.model_validate_json(result.stdout)
    assert answer.answered and answer.citations[0].section_id == "is-ai-prompt-engineering-a-real-job"
    assert result.stdout.count("\n") == 1


def test_question_from_stdin_and_dash():
    assert "Factor 7 · Compensation" in run("ask", stdin="what does it pay?\n").stdout
    assert "Factor 7 · Compensation" in run("ask", "-", stdin="what does it pay?").stdout


def test_jsonl_answers_one_line_per_question():
    result = run("ask", "--jsonl", stdin="what does it pay?\n\nhow do i cook risotto\nis it a real job\n")
    lines = result.stdout.splitlines()
    assert len(lines) == 4  # line N of the output answers line N of the input
    assert json.loads(lines[1]) == {"line": 2, "error": "line 2 holds no question; put one question on each line"}
    answers = [Answer.model_validate_json(lines[i]) for i in (0, 2, 3)]
    assert [a.answered for a in answers] == [True, False, True]
    assert result.returncode == 0  # every line was read; the error line says what went wrong


def test_topics_lists_sections(tmp_path):
    result = run("topics")
    assert result.returncode == 0
    assert "compensation" in result.stdout and "Compensation" in result.stdout
    rows = json.loads(run("topics", "--json").stdout)
    assert rows[2] == {**rows[2], "id": "full-employment-options", "factor": 1, "title": "Full Employment Options"}


def test_article_option_grounds_answers_in_another_article(tmp_path):
    article = tmp_path / "nights.md"
    article.write_text("# Night Shifts\n\n## Pay\n\nNight shifts pay a premium of ten percent.\n", encoding="utf-8")
    result = run("--article", str(article), "ask", "does the night shift pay more?")
    assert result.returncode == 0 and "premium of ten percent" in result.stdout
    # After `ask`, it is an error saying where it goes.
    result = run("ask", "--article", str(article), "what does it pay")
    assert "premium" not in result.stdout and "--article goes before ask" in result.stderr


def test_python_dash_m_chat_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "chat", "ask", "what does it pay"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Factor 7 · Compensation" in result.stdout


def test_version_and_help():
    assert run("--version").stdout.startswith("career-chat ")
    help_text = run("--help").stdout
    assert "examples:" in help_text and "exit codes" in help_text


@pytest.mark.parametrize("command", ["ask", "topics", "eval", "fetch", "chat", "serve"])
def test_every_commands_help_says_what_it_does(command):
    # `topics --help` went from its usage line straight to its options.
    usage, _, rest = run(command, "--help").stdout.partition("\n\n")
    description = rest.split("\n\n")[0]
    assert usage.startswith(f"usage: career-chat {command}")
    assert not description.startswith(("options:", "positional arguments:")), rest


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("d\u00e9j\u00e0 vu".encode("latin-1"), "not UTF-8"),
        (b"---\ntitle: [oops\n---\nText.\n", "malformed frontmatter"),
    ],
)
def test_bad_articles_exit_2_with_one_line(tmp_path, content, says):
    path = tmp_path / "article.md"
    if content is not None:
        path.write_bytes(content)
    result = run("--article", str(path), "ask", "what does it pay")
    assert_clean_error(result, says)
    assert "article.md" in result.stderr


def test_unreadable_article(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "article.md"
    path.write_text("# x\n\ntext\n")
    path.chmod(0)
    assert_clean_error(run("--article", str(path), "ask", "x"), "cannot be read")


def test_ask_in_a_terminal_without_a_question_shows_one_to_copy():
    """The hint quotes its example, as the README asks ("what does it pay?" unquoted is a
    glob of the shell's)."""
    import pty

    main, terminal = pty.openpty()
    try:
        result = subprocess.run([EXE, "ask"], stdin=terminal, capture_output=True, text=True, timeout=60)
    finally:
        os.close(main)
        os.close(terminal)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == 'career-chat: error: no question given; try: career-chat ask "what does it pay?"\n'


def test_a_long_paste_says_which_of_its_sentences_were_read():
    # The app said so; the command line answered the last question without a word.
    result = run("ask", "I have been reading about careers for weeks now. " * 50 + "What does it pay?")
    assert result.returncode == 0 and result.stdout.startswith("Answered from the article.")
    assert result.stderr == (
        "career-chat: note: the question was 2,467 characters long; only its last sentences were read: \u201cWhat does it pay?\u201d\n"
    )
    assert run("ask", "What does it pay?").stderr == ""


def test_blank_question_exits_2():
    assert_clean_error(run("ask", "   "), "empty")
    assert_clean_error(run("ask", stdin="\n \n"), "empty")


def test_markup_and_escapes_in_a_question_never_reach_the_terminal():
    question = "[bold]pay[/] \x1b[31m [/ 🙂 what does it pay?"
    for args in (["ask", question], ["ask", "--json", question]):
        result = run(*args)
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr
        assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    echoed = Answer.model_validate_json(run("ask", "--json", question).stdout)
    assert echoed.question == "[bold]pay[/]  [/ 🙂 what does it pay?"  # as a terminal shows it, whole escapes removed
    assert "[bold]pay[/]" in echoed.question


def test_eval_prints_the_table_and_fails_cleanly_on_bad_files(tmp_path):
    result = run("eval", str(DATA / "dev.jsonl"))
    assert result.returncode == 0
    assert "top-1" in result.stdout and "out-of-scope" in result.stdout and "paraphrase" in result.stdout
    report = json.loads(run("eval", "--json", str(DATA / "dev.jsonl")).stdout)
    assert 0 <= report["overall"]["top1"] <= 1 and "direct" in report["kinds"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q", "section": null}\n{"id": "b", "question": 3\n', encoding="utf-8")
    assert_clean_error(run("eval", str(bad)), "bad.jsonl:2")
    bad.write_text('{"id": "a", "section": null}\n', encoding="utf-8")
    assert_clean_error(run("eval", str(bad)), "bad.jsonl:1: question")


def test_the_ask_path_never_imports_textual(tmp_path):
    """As the command runs it (`chat.cli.run`), from an empty cache: the article is parsed,
    and nltk's package would import scikit-learn where installed, which imports rich."""
    probe = (
        "import sys, io, contextlib\n"
        "from chat.cli import main\n"
        "from chat.libraries import keep_out_unused_libraries\n"
        "keep_out_unused_libraries()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['ask', 'what does it pay'])\n"
        "assert code == 0, code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'}))\n"
    )
    env = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_cached_ask_imports_nothing_it_does_not_use(tmp_path):
    """What a cold `ask` of a cached article never uses is not imported: the question
    pool's concurrent.futures (and its logging), a large folder's zipfile, the proof of an
    entry not sealed yet. Each was milliseconds of every start. Counted, not timed."""
    probe = (
        "import sys, io, contextlib\n"
        "from chat.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['ask', 'what does it pay?'])\n"
        "unused = ('concurrent.futures', 'logging', 'zipfile', 'knowledge.store.verify')\n"
        "print(code, sorted(m for m in unused if m in sys.modules))\n"
    )
    env = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # the first parses the article and seals its entry
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 []"


def test_ctrl_c_exits_130_without_a_traceback():
    import signal
    import time

    process = subprocess.Popen([EXE, "ask"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wchan = Path(f"/proc/{process.pid}/wchan")
    deadline = time.monotonic() + 20
    # Interrupt it while it waits for a question on stdin, as a person pressing Ctrl-C would.
    while time.monotonic() < deadline and not (wchan.exists() and "pipe" in wchan.read_text()):
        time.sleep(0.05)
    if not wchan.exists():
        time.sleep(2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err and out == ""


def test_an_interrupt_no_handler_of_ours_caught_is_said_as_every_signal_is(monkeypatch, capsys):
    """Where Ctrl-C reaches the command as KeyboardInterrupt (no handler of ours could be
    set: a caller off the main thread), it ends 130 with the line a signal gets."""
    from chat import cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_topics", interrupted)
    assert cli.main(["topics"]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "career-chat: interrupted"


def test_the_app_without_a_terminal_says_what_to_use_instead():
    assert_clean_error(run(), "needs a terminal")


@pytest.mark.parametrize("words", [["ask", "what does it pay?"], ["--lexical", "ask", "is it a real job?"]])
def test_a_cold_ask_builds_no_validator(words, tmp_path):
    """A one-question run from the cache validates nothing it made itself: building pydantic's schemas
    (the shipped models', the answer's serializer) was a fifth of a cold `ask` beside its
    libraries' imports; nor does it import numpy's masked arrays (np.unique did: 12 ms).
    Counted, not timed."""
    probe = (
        "import sys\n"
        "from pydantic._internal import _model_construction as construction\n"
        "built, real = [], construction.complete_model_class\n"
        "def spy(cls, *args, **kwargs):\n"
        "    built.append(cls.__name__)\n"
        "    return real(cls, *args, **kwargs)\n"
        "construction.complete_model_class = spy\n"
        "from chat import cli\n"
        "code = cli.main(sys.argv[1:])\n"
        "print(sorted(set(built)), code, 'numpy.ma' in sys.modules, file=sys.stderr)\n"
    )
    environment = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path)}
    first, cached = (
        subprocess.run([sys.executable, "-c", probe, *words], capture_output=True, text=True, timeout=120, env=environment)
        for _ in range(2)
    )
    # The first parses the article, whose validation is right there: the spy sees it.
    assert first.returncode == 0 and "'Sentence'" in first.stderr.splitlines()[-1], first.stderr
    assert cached.stderr.strip().splitlines()[-1] == "[] 0 False", cached.stderr


def test_ask_starts_reading_the_model_before_it_imports_the_engine(tmp_path):
    """The model is checked and its session made on a thread of its own while the engine is
    imported (a sixth of a cold `ask`): a question checked against a constant of --jsonl's
    module imported the whole engine first, and the model's reading waited for it. Counted,
    not timed: what is imported when the model starts."""
    probe = (
        "import sys, io, contextlib\n"
        "from knowledge.rank import semantic\n"
        "seen, real = [], semantic.start_encoder\n"
        "def spy(*args, **kwargs):\n"
        "    seen.append(sorted(m for m in ('knowledge.base', 'knowledge.answer.compose', 'knowledge.models', 'chat.conversation') if m in sys.modules))\n"
        "    return real(*args, **kwargs)\n"
        "semantic.start_encoder = spy\n"
        "from chat.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(sys.argv[1:])\n"
        "print(code, seen, file=sys.stderr)\n"
    )
    environment = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path)}
    for words in (["ask", "what does it pay?"], ["ask", "--json", "what does it pay?"], ["ask", "--jsonl"]):
        result = subprocess.run(
            [sys.executable, "-c", probe, *words], input="what does it pay?\n", capture_output=True, text=True, timeout=120, env=environment
        )
        assert result.stderr.strip().splitlines()[-1] == "0 [[]]", result.stderr


def test_one_question_is_answered_without_the_cycle_collector(tmp_path):
    """A cold `ask` imports hundreds of thousands of objects that live until it exits, and
    each collection walked them again (a twentieth of it): none runs while it answers, and
    the collector is as it was afterwards (a program calling `main` keeps its own).
    Counted, not timed: the collections seen during the question."""
    probe = (
        "import gc, sys, io, contextlib\n"
        "from chat import cli\n"
        "collections = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and collections.append(info['generation']))\n"
        "real = cli._ask_one\n"
        "def counted(args):\n"
        "    collections.clear()\n"
        "    return real(args), len(collections)\n"
        "cli._ask_one = lambda args: print(*counted(args)[1:], file=sys.stderr) or 0\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = cli.main(['ask', 'what does it pay?'])\n"
        "print(code, gc.isenabled(), file=sys.stderr)\n"
    )
    environment = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=environment)
    assert result.stderr.strip().splitlines()[-2:] == ["0", "0 True"], result.stderr


def test_the_command_exits_holding_what_it_loaded(tmp_path):
    """Freed object by object as `ask` returned, the model's session, its tokenizer and the
    article's index were 8 to 11 ms of a cold ask: the command's process exits holding
    them, while a program calling `main` has them freed as usual. Counted, not timed: a
    finalizer on the loaded articles says whether they were freed."""
    probe = (
        "import sys, weakref\n"
        "from knowledge.base import KnowledgeBase\n"
        "from chat import cli\n"
        "real = KnowledgeBase.load.__func__\n"
        "def load(cls, *args, **kwargs):\n"
        "    kb = real(cls, *args, **kwargs)\n"
        "    weakref.finalize(kb, print, 'freed', file=sys.stderr, flush=True)\n"
        "    return kb\n"
        "KnowledgeBase.load = classmethod(load)\n"
        "if sys.argv[1] == 'main':\n"
        "    code = cli.main(['ask', 'what does it pay?'])\n"
        "    print('returned', code, file=sys.stderr, flush=True)\n"
        "else:\n"
        "    sys.argv = ['career-chat', 'ask', 'what does it pay?']\n"
        "    cli.run()\n"
    )
    environment = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path)}

    def asked(how: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", probe, how], capture_output=True, text=True, timeout=120, env=environment)

    asked("run")  # fills the cache: a first load's encoding holds the articles a while longer
    by_main, by_run = asked("main"), asked("run")
    assert by_main.stderr.splitlines()[-2:] == ["freed", "returned 0"], by_main.stderr
    assert by_run.returncode == 0 and "freed" not in by_run.stderr, by_run.stderr


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in Linux's /proc")
def test_the_command_keeps_numpy_to_one_blas_thread():
    """numpy's OpenBLAS starts a thread a core that spins on import and after each product:
    a tenth of a cold `ask`'s time on two cores. The command's numpy has none (a setting
    of the user's own is kept). Counted, not timed: the process's threads once numpy is in."""
    probe = (
        "import os, sys\n"
        "from chat import cli\n"
        "def main(**_):\n"
        "    import numpy\n"
        "    print(len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'], file=sys.stderr)\n"
        "    return 0\n"
        "cli.main = main\n"
        "cli.run()\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=environment)
    assert result.stderr.strip().splitlines()[-1] == "1 1", result.stderr
    environment["OPENBLAS_NUM_THREADS"] = "2"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=environment)
    assert result.stderr.strip().splitlines()[-1].endswith(" 2"), result.stderr


def test_the_app_shows_its_screen_before_it_imports_the_engine():
    """The app loads the article in a worker, which starts reading the model and then
    imports the engine; importing the engine with the app's own modules (for a type) put
    it before the screen: the question box took input after 220 ms, not 115 (a one-Input
    Textual app: 90). Counted, not timed: what importing the app brings in."""
    probe = (
        "import sys\n"
        "import chat.app\n"
        "print(sorted(m for m in ('numpy', 'knowledge.base', 'knowledge.answer.compose', 'chat.conversation', 'pydantic.main') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# An output that cannot be written is said, with its own exit code: neither a bug (70) nor
# lost without a word. Python buffers stdout unless PYTHONUNBUFFERED is set, so the error
# comes at a write or only at the end's flush: both are run.
FULL = Path("/dev/full")


def buffering(buffered: bool) -> dict:
    """The environment with stdout buffered as a person's shell has it, or unbuffered."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return environment if buffered else {**environment, "PYTHONUNBUFFERED": "1"}


@pytest.mark.skipif(not FULL.exists(), reason="/dev/full is Linux's")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "args, stdin",
    [
        (["ask", "what does it pay"], ""),
        (["ask", "--json", "what does it pay"], ""),
        (["ask", "--jsonl"], "what does it pay\n"),
        (["topics", "--json"], ""),
        (["fetch", "page.html"], ""),
        (["--version"], ""),
        (["ask", "--help"], ""),
    ],
    ids=["ask", "json", "jsonl", "topics", "fetch", "version", "help"],
)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_74(tmp_path, args, stdin, buffered):
    (tmp_path / "page.html").write_text(article_html(DATA / "nurse.md"), encoding="utf-8")
    with FULL.open("w") as full:
        result = subprocess.run(
            [EXE, *args], input=stdin, stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=buffering(buffered), timeout=60
        )
    assert result.returncode == 74, result.stderr
    assert result.stderr.splitlines() == ["career-chat: error: cannot write the output: No space left on device"]


@pytest.mark.parametrize(
    "args, code, says",
    [(["ask"], 2, "the question is empty"), (["ask", "--jsonl"], 0, ""), ([], 2, "the chat app needs a terminal")],
    ids=["ask", "jsonl", "app"],
)
def test_a_closed_stdin_reads_as_empty(args, code, says):
    """`career-chat ask <&-` (a job started with no stdin at all) was an internal error,
    exit 70: Python has no sys.stdin then. It is now read as nothing piped in."""
    result = subprocess.run([EXE, *args], capture_output=True, text=True, preexec_fn=lambda: os.close(0), timeout=60)
    assert result.returncode == code, result.stderr
    assert result.stdout == "" and "internal error" not in result.stderr and says in result.stderr


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_stdout_that_cannot_hold_every_character_still_gets_every_answer(encoding):
    """PYTHONIOENCODING=ascii (or a Latin-1 locale) stopped at the first "—" of an answer:
    exit 2 with the codec's words, and the rest of a --jsonl run lost. What the stream
    cannot hold is written as JSON escapes it: each row still reads back the same."""

    def ask(*args: str, stdin: str = "", encoding: str = encoding) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONIOENCODING": encoding}
        return subprocess.run([EXE, "ask", *args], input=stdin, capture_output=True, encoding=encoding, env=env, timeout=60)

    questions = "is it a real job\nwhat does it pay\nwho are you\n"
    expected = ask("--jsonl", stdin=questions, encoding="utf-8")
    result = ask("--jsonl", stdin=questions)
    assert result.returncode == 0, result.stderr
    assert [json.loads(row) for row in result.stdout.splitlines()] == [json.loads(row) for row in expected.stdout.splitlines()]
    assert "\u2014" in expected.stdout and "\\u2014" in result.stdout
    text = ask("what does it pay")
    assert text.returncode == 0 and text.stderr == "", text.stderr
    assert "Upwork\\u2014you\\u2019ll" in text.stdout


@pytest.mark.skipif(not FULL.exists(), reason="/dev/full is Linux's")
def test_a_fetch_output_file_that_cannot_be_written_is_exit_74_as_stdout_is(tmp_path):
    (tmp_path / "page.html").write_text(article_html(DATA / "nurse.md"), encoding="utf-8")
    result = run("fetch", "page.html", "-o", str(FULL), cwd=tmp_path)
    assert result.returncode == 74, result.stderr
    assert result.stderr.splitlines() == ["career-chat: error: cannot write /dev/full: No space left on device"]
    # A new file that fills up (here: past a file size limit) is not left half written.
    done = _fetch_with_small_files(tmp_path, "-o", "a.md")
    assert done.returncode == 74 and done.stderr.startswith("career-chat: error: cannot write a.md: "), done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    # A path that cannot be opened is bad input, as before: the message says to check it.
    assert_clean_error(run("fetch", "page.html", "-o", "no-such-folder/a.md", cwd=tmp_path), "check the path")


def _fetch_with_small_files(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """`fetch page.html` where no file may grow past 1000 bytes: its write fails (EFBIG) as
    on a full disk."""

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    return subprocess.run(
        [EXE, "fetch", "page.html", *args], capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**os.environ, "CAREER_CHAT_CACHE": "off"}, preexec_fn=small_files,
    )


def test_a_fetch_force_that_cannot_be_written_leaves_the_file_it_would_replace_as_it_was(tmp_path):
    (tmp_path / "page.html").write_text(article_html(DATA / "nurse.md"), encoding="utf-8")
    notes = tmp_path / "a.md"
    notes.write_text("my notes\n", encoding="utf-8")
    notes.chmod(0o640)
    done = _fetch_with_small_files(tmp_path, "-o", "a.md", "--force")
    assert done.returncode == 74 and done.stderr.startswith("career-chat: error: cannot write a.md: "), done.stderr
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "page.html"]  # no temporary file left
    # Written in full, it takes the old file's place, with the old file's permissions.
    done = run("fetch", "page.html", "-o", "a.md", "--force", cwd=tmp_path, env={"CAREER_CHAT_CACHE": "off"})
    assert done.returncode == 0, done.stderr
    assert notes.read_text(encoding="utf-8").startswith("---\ntitle: Is Nursing Still a Good Career?")
    assert notes.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "page.html"]


def test_a_fetch_output_made_by_another_while_fetching_is_kept(tmp_path, monkeypatch, capsys):
    """A new file (no --force) is put in place only where no file stands by then."""
    from chat import cli
    from knowledge.read import pages

    out = tmp_path / "a.md"

    def made_meanwhile(page):
        out.write_text("written meanwhile\n", encoding="utf-8")
        return "# Nurse\n\nNurses earn well.\n", None

    monkeypatch.setattr(pages, "article_markdown", made_meanwhile)
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    assert cli.main(["fetch", "https://example.org/nurse", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "written meanwhile\n"
    assert "already exists; give --force" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_reader_gone_before_the_answer_still_ends_quietly(buffered):
    """`| head`: the reader went away, which is no error of the command's."""
    process = subprocess.Popen([EXE, "topics"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=buffering(buffered))
    process.stdout.close()  # gone before the command writes a line
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0 and err == b""


def test_the_exit_codes_of_help_and_readme_agree():
    help_text = " ".join(run("--help").stdout.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "74 the output could not be written" in help_text
    assert "| `74` |" in readme


def test_a_refusal_from_a_long_article_names_the_nearest_topics_not_every_one(tmp_path):
    """Thirty sections would be a wall of labels after "It covers:"; the bundled article's
    dozen are still listed whole."""
    sections = "\n\n".join(f"## Topic {n}: the {word} years\n\nThe {word} years teach patience." for n, word in enumerate(["early", "middle", "late"] * 10))
    path = tmp_path / "long.md"
    path.write_text(f"# Long Guide\n\nA guide in many parts.\n\n{sections}\n", encoding="utf-8")
    result = run("--article", str(path), "--lexical", "ask", "how do I bake bread?", cwd=tmp_path)
    assert result.returncode == 1 and "It covers:" not in result.stdout
    assert "It covers 31 topics (`topics` lists them all), among them:" in " ".join(result.stdout.split())
    assert result.stdout.count("Topic") <= 3
    bundled = run("--lexical", "ask", "how do I bake bread?", cwd=tmp_path)
    assert "It covers:" in bundled.stdout and "Factor 8" in bundled.stdout


def test_a_folder_says_its_articles_do_not_cover_a_question(tmp_path):
    folder_of(tmp_path, "nurse", "pilot")
    result = run("--article", str(tmp_path), "--lexical", "ask", "how do I bake sourdough bread?", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("The articles do not cover that.")


def test_a_folders_refusal_says_they_do_not_mention_what_it_lacks(tmp_path):
    folder_of(tmp_path, "nurse", "pilot")
    result = run("--article", str(tmp_path), "--lexical", "ask", "how do I bake bread?", cwd=tmp_path)
    assert result.stdout.startswith("The articles do not cover that. They do not mention: bake."), result.stdout


def test_a_folders_refusal_names_what_it_lacks_as_the_question_spells_it(tmp_path):
    """"They do not mention: Germany", as typed, as one article's "It does not mention" does."""
    folder_of(tmp_path, "nurse", "pilot")
    result = run("--article", str(tmp_path), "--lexical", "ask", "what's the weather in Germany?", cwd=tmp_path)
    assert result.stdout.startswith("The articles do not cover that. They do not mention: Germany."), result.stdout


def test_a_folders_json_answer_names_the_quoted_articles_title_beside_its_slug(tmp_path):
    """A citation's `article` is a slug ("nurse"); a person reading the JSON wants the title
    too. It is added beside it (the JSON's fields are a contract: added, never renamed)."""
    folder_of(tmp_path, "nurse", "pilot")
    title = next(line for line in (DATA / "nurse.md").read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    result = run("--article", str(tmp_path), "--lexical", "ask", "--json", "how much do nurses earn?", cwd=tmp_path)
    citations = json.loads(result.stdout)["citations"]
    assert citations and all(c["article"] == "nurse" for c in citations)
    assert all(c["article_title"] == title.removeprefix("title:").strip() for c in citations)
