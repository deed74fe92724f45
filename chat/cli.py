"""`career-chat`: a thin shell over the `knowledge` library.

Parses arguments, calls the library, formats the result. Imports are deferred so that
`career-chat ask` never pays for Textual, and `--help` pays for nothing.
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TextIO

from .arguments import (
    MAX_LINE_BYTES,
    PROGRAM_OPTION_USE,
    SafeArgumentParser,
    fraction,
    home_path,
    host,
    misplaced_ask_option,
    misplaced_option,
    split_question,
    unknown_ask_option,
    unknown_option,
)
from .failures import EXIT_INTERNAL, EXIT_USAGE, said
from .libraries import keep_out_unused_libraries, one_blas_thread
from .output import OutputError, guarded_stdout
from .stopping import LoopSignals, describe, ending_at_once, exit_code

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase
    from knowledge.evaluation import EvalQuestion

EXIT_ANSWERED = 0
EXIT_NOT_COVERED = 1
EXIT_INTERRUPTED = 130
EXIT_OUTPUT = 74  # sysexits' EX_IOERR: the output could not be written (a full disk)

EXAMPLES = """\
examples:
  career-chat                                   open the chat app
  career-chat ask "is prompt engineering a real job?"
  career-chat ask --json "what does it pay?" | jq .citations
  echo "will it be obsolete?" | career-chat ask
  career-chat ask --jsonl < questions.txt        one JSON answer per line
  career-chat ask -c "and the money?"             go on with the last conversation
  career-chat topics
  career-chat --article my-article.md ask "what skills do I need?"
  career-chat --article https://example.org/careers/nurse ask "what does it pay?"
  career-chat fetch https://example.org/careers/nurse -o nurse.md
  career-chat eval questions.jsonl
  career-chat serve --port 8000                 the chat as a web page and a JSON API

exit codes: 0 answered, 1 the article does not cover it, 2 bad usage or input,
74 the output could not be written, 130 interrupted, 143 terminated, 129 hung
up. --jsonl exits 0 once every line was read, whatever each line's outcome: a
line that holds no question gets an {"line": N, "error": ...} line in the output.

Everything after ask and its own options is the question: put --article and
--lexical before ask (after ask they are an error; ask -- QUESTION asks every
word as a word).
"""


class UsageError(Exception):
    """Bad input from the person at the keyboard: one line on stderr, exit 2."""


# The arguments that name a file or folder: how each is named, and what it should be. Given
# empty (`--article "$ARTICLE"` with ARTICLE unset) a path is the current folder, whose
# every article was read.
PATH_ARGUMENTS = {
    "article": ("--article", "give a markdown file, a saved page, a folder or an http(s) address"),
    "save_dir": ("--save-dir", "give a folder for transcripts"),
    "questions": ("QUESTIONS.jsonl", "give the question file"),
    "page": ("URL", "give an http(s) address or a saved .html file"),
    "output": ("--output", "give a file to write, or - for standard output"),
}


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("career-chat")
    except metadata.PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """--version, looking the version up only when asked (metadata costs start-up time)."""

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(f"{parser.prog} {_version()}\n")
        parser.exit()


def _shared_options() -> SafeArgumentParser:
    """A parent parser for options taken before the command or after it (`--article x
    topics`, `topics --article x`): one not given sets nothing, so the command's parser
    never overwrites a value given before the command."""
    return SafeArgumentParser(add_help=False, allow_abbrev=False, argument_default=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    article = _shared_options()
    article.add_argument(
        "--article",
        metavar="PATH|URL",
        type=home_path,
        help="a markdown article, a saved web page (.html), a folder of them (not its subfolders), or an http(s) address "
        "to answer from (default: the bundled article)",
    )
    article.add_argument(
        "--lexical",
        action="store_true",
        help="answer by words alone, without the sentence model (also: CAREER_CHAT_SEMANTIC=off)",
    )
    # Before the command, or after `chat`: the one command that saves transcripts.
    save_dir = _shared_options()
    save_dir.add_argument(
        "--save-dir",
        metavar="DIR",
        type=home_path,
        help="where the chat app saves transcripts (default: Documents/career-chat, else the data folder's transcripts)",
    )
    parser = SafeArgumentParser(
        prog="career-chat",
        allow_abbrev=False,  # `split_question` knows the options by their full names
        description="Ask a career article questions. Answers are sentences quoted from it, with citations.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[article, save_dir],
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser(
        "ask",
        help="answer one question and exit",
        description="Answer a question from the article.\n\n"
        "Words are joined into one question (at most 64 KB, as a --jsonl line; of a\n"
        "paste over 2,000 characters, its last question is read); '-', or no words with\n"
        "a piped stdin, reads it from stdin. Every word after ask's own options is the\n"
        "question, even one that looks like an option; --article and --lexical go\n"
        "before ask: among the question's words they are an error (after --, words).\n"
        "The first line says how well the article answers: answered, partly\n"
        "answered, closest passage only, or not covered.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    ask.add_argument("question", nargs="*", help="the question (several words are joined)")
    output = ask.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    output.add_argument(
        "--jsonl",
        action="store_true",
        help='read one question a line from stdin (or {"question": ..., "conversation": ID} to ask '
        "follow-ups within that conversation); one JSON answer a line",
    )
    ask.add_argument(
        "-c",
        "--continue",
        dest="continue_",
        action="store_true",
        help="go on with the last conversation (kept in the user data folder), so follow-ups work",
    )
    ask.add_argument(
        "--wait",
        action="store_true",
        help="a folder seen for the first time: answer only once every article's meaning is computed "
        "(default: answer at once, articles not yet encoded by their words; the answer says which)",
    )

    topics = commands.add_parser(
        "topics",
        parents=[article],
        help="list the article's sections",
        description="List the article's sections in order, each with its factor number (- for none),\n"
        "its title and its id: the id a question file's section names (career-chat eval)\n"
        "and GET /api/sections/{id} opens.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    topics.add_argument("--json", action="store_true", help="print the sections as JSON")

    evaluate = commands.add_parser(
        "eval",
        parents=[article],
        help="measure answer quality on a question file",
        description="Run every question of a JSONL file (id, question, section, alt_sections,\n"
        "answer_contains, kind, style) and report accuracy overall and per kind.\n\n"
        "One JSON object a line: section is the id `career-chat topics` lists (or\n"
        "null for a question the article should refuse), answer_contains a phrase the\n"
        "answer should quote; a field name mistyped is an error. Add\n"
        '"style": ["near-topic"] to a null one near its subject, where a partly covered\n'
        "or closest answer also counts as handled (--min-near).\n\n"
        "With --min-top1 (and the other floors, each from 0 to 1) it exits 1 when a\n"
        "figure falls below its floor, or cannot be measured on this file (--min-near\n"
        "with no near-topic question, --min-precision with no answer marked covered),\n"
        "so it can gate a CI.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("questions", metavar="QUESTIONS.jsonl", type=home_path, help="the question file (- reads it from standard input)")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument(
        "--compare", action="store_true", help="run with and without the sentence model and show both side by side"
    )
    for name, what in (
        ("top1", "top-1"),
        ("phrase", "phrase"),
        ("refused", "far off-topic refused"),
        ("near", "near-topic handled"),
        ("precision", "precision of covered"),
    ):
        evaluate.add_argument(f"--min-{name}", type=fraction, metavar="X", help=f"exit 1 when {what} is below X (0 to 1)")
    evaluate.add_argument("--max-wrongly-refused", type=fraction, metavar="X", help="exit 1 when wrongly refused is above X (0 to 1)")

    fetch = commands.add_parser(
        "fetch",
        help="save a web page's article as markdown",
        description="Fetch a web page (or read a saved .html page) and write its article as markdown\n"
        "with frontmatter (title, author, date, url, site), to read, edit and keep; then\n"
        "career-chat --article FILE.md answers from it as from the page.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    fetch.add_argument("page", metavar="URL", type=home_path, help="an http(s) address, or a saved .html file")
    fetch.add_argument("-o", "--output", metavar="FILE.md", type=home_path, help="write here (default: standard output); a file already there is kept unless --force")
    fetch.add_argument("--force", action="store_true", help="replace FILE.md if it already exists (never the saved page being read)")

    commands.add_parser(
        "chat",
        parents=[article, save_dir],
        help="open the chat app (the default)",
        description="Open the chat app: type a question and press Enter, or pick an example; ctrl+p lists every key.",
    )

    serve = commands.add_parser(
        "serve",
        parents=[article],
        help="serve the chat as a web page and a JSON API",
        description="Serve the chat as a web page at / and a JSON API under /api (docs at /docs).\n"
        "Bound to this computer only unless --host says otherwise.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", type=host, default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes, each with the article loaded (1 to 64; default: 1)")
    return parser


def _load(
    args: argparse.Namespace,
    semantic: bool | None = None,
    show_progress: bool = True,
    wait: bool | None = None,
    say_skipped: bool = True,
    check: Callable[["KnowledgeBase"], None] | None = None,
    question: str | None = None,
) -> "KnowledgeBase":
    """The article the options name; `say_skipped`: note on stderr the files of a folder
    that could not be read (the app shows them itself, its screen owns the terminal);
    `question`: the one to be asked, encoded as soon as the model is ready."""
    from knowledge.rank.semantic import start_encoder

    if getattr(args, "lexical", False):
        semantic = False
    # Started before the engine is imported: the model is read meanwhile (a sixth of a run),
    # and the question encoded (its text as the engine reads it) while the engine still is.
    encoder = start_encoder(semantic, ahead=_as_read(question) if question is not None else None)

    from knowledge import KnowledgeBase

    from .progress import progress_bar

    # A first load of many articles can take a while: a bar on a terminal, after a second.
    progress = progress_bar(sys.stderr, "loading", after=1.0) if show_progress and sys.stderr.isatty() else None
    article = getattr(args, "article", None)
    kb = KnowledgeBase.load(article, semantic=encoder is not None, progress=progress, encoder=encoder, wait=wait, check=check)
    held = getattr(args, "held_to_exit", None)  # `run`'s: see `main`
    if held is not None:
        held.append(kb)
    if say_skipped and kb.skipped:
        from .render import skipped_lines

        sys.stderr.writelines(f"career-chat: note: {line}\n" for line in skipped_lines(kb.skipped))
    return kb


def _as_read(question: str) -> str | None:
    """The question's text as the engine reads (and encodes) it; None for one it refuses,
    which it says itself when asked."""
    from knowledge.inputs import question_text

    try:
        return question_text(question)
    except ValueError:
        return None


def _check_paths(args: argparse.Namespace) -> None:
    """A UsageError for a path argument given empty or blank: it names nothing."""
    for attribute, (name, what) in PATH_ARGUMENTS.items():
        value = getattr(args, attribute, None)
        if value is not None and not value.strip():
            raise UsageError(f"{name} is empty: {what}")


def _note_cache_unwritable() -> None:
    """A note when the cache folder cannot be made or written: the command works without
    it, only every run is as slow as the first, which is not to happen unsaid."""
    from knowledge.settings import CACHE_VARIABLE, cache_unwritable

    problem = cache_unwritable()
    if problem is not None:
        sys.stderr.write(f"career-chat: note: cache off: {problem}; set {CACHE_VARIABLE} to a folder you can write, or to off\n")


def _style(stream: TextIO):
    from .render import Style, no_color

    return Style(stream.isatty() and not no_color() and os.environ.get("TERM") != "dumb")


def _width(stream: TextIO, widest: int) -> int:
    """Columns to wrap text at: `widest`, or a narrower terminal's width (a pipe or a file
    always gets `widest`, so the output does not depend on where it was run)."""
    if not stream.isatty():
        return widest
    import shutil

    return max(20, min(widest, shutil.get_terminal_size((widest, 24)).columns - 1))


def _stdin_text(limit: int) -> str:
    """stdin as text, read no further than `limit` bytes and one more: a longer one is
    refused, never held whole. Bytes that are not UTF-8 are replaced, never fatal."""
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise _too_long(limit)
    if b"\x00" in data:  # as for an article: text has none
        raise UsageError("stdin holds a NUL byte: binary data or UTF-16 text, not a question; pipe the question as UTF-8 text")
    return data.decode("utf-8", "replace")


def _too_long(limit: int) -> UsageError:
    return UsageError(f"the question is longer than {limit // 1024} KB; ask one question, not a whole document")


def _question(args: argparse.Namespace) -> str:
    # A question may be as long as a --jsonl line, no longer.
    words = args.question
    if words == ["-"] or (not words and not sys.stdin.isatty()):
        text = _stdin_text(MAX_LINE_BYTES)
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            sys.stderr.write(f"career-chat: note: read {len(lines)} lines as one question; use --jsonl to answer each line\n")
    elif not words:
        raise UsageError('no question given; try: career-chat ask "what does it pay?"')
    else:
        text = " ".join(words)
        if len(text.encode("utf-8")) > MAX_LINE_BYTES:
            raise _too_long(MAX_LINE_BYTES)
    if not text.strip():
        raise UsageError("the question is empty; ask something about the article")
    return text.strip()


def _say_cut(question: str) -> None:
    """A note on stderr when a paste is longer than the engine reads, as the app says it."""
    import textwrap

    from knowledge.inputs import MAX_QUESTION_CHARS, one_line, question_text

    if len(question) > MAX_QUESTION_CHARS:
        read = textwrap.shorten(one_line(question_text(question)), 200, placeholder=" ...")
        sys.stderr.write(
            f"career-chat: note: the question was {len(question):,} characters long; only its last sentences"
            f" were read: \u201c{read}\u201d\n"
        )


def run_ask(args: argparse.Namespace) -> int:
    if args.jsonl:
        return run_jsonl(args)
    from knowledge.collector import collector_paused

    # Nothing a single question makes needs collecting before the process exits.
    with collector_paused():
        return _ask_one(args)


def _ask_one(args: argparse.Namespace) -> int:
    question = _question(args)
    _say_cut(question)
    kb = _load(args, wait=args.wait or None, question=question)
    # The engine, most of a cold ask's imports: imported once the model is being read.
    from .conversation import Conversation
    from .last_conversation import keep, resume
    from .places import data_folder

    folder = data_folder()
    # Every ask is kept as the last conversation; -c goes on with it (a new one if none).
    resumed = resume(folder, kb) if args.continue_ else None
    if args.continue_ and resumed is None:  # else a follow-up ("and the money?") reads as asked alone, unsaid
        sys.stderr.write("career-chat: note: -c: no earlier conversation with this article to go on with; this question starts one\n")
    conversation, conversation_id = resumed if resumed is not None else (Conversation(kb), None)
    answer = conversation.ask(question)
    write_answer(answer, args.json, kb)
    _say_partial(kb, answer, args.json)
    try:
        keep(folder, kb, conversation, conversation_id)
    except OSError as error:
        from knowledge.inputs import display_path

        sys.stderr.write(
            f"career-chat: note: could not keep this conversation for -c in {display_path(str(folder))}: {error.strerror}\n"
        )
    return EXIT_ANSWERED if answer.answered else EXIT_NOT_COVERED


def _say_partial(kb: "KnowledgeBase", answer: "Answer", as_json: bool) -> None:
    """A note on stderr when meaning was not complete for this answer (JSON says it in its
    `meaning` field)."""
    if answer.meaning == "partial" and not as_json:
        ready, total = kb.meaning_progress
        if total == 1:  # an article too long to wait for by default: kept only once complete
            done = "meaning is not computed yet for this long article"
            whole = "computes it once"
        else:
            done = f"meaning was computed for {ready} of {total} articles so far"
            whole = "computes it for the whole folder"
        sys.stderr.write(
            f"career-chat: note: {done}, so this answer is by words alone; `ask --wait` {whole} (and keeps it for later runs)\n"
        )


# A refusal lists every topic up to this many (an article's); beyond it (a folder, a very
# long article) only the nearest, as the app does.
MOST_LISTED = 20


def write_answer(answer: "Answer", as_json: bool, kb: "KnowledgeBase") -> None:
    if as_json:
        from .jsonl import json_row  # one shape for --json and --jsonl

        sys.stdout.write(json_row(answer) + "\n")
    else:
        from .render import nearest_topics, plain

        nearest = nearest_topics(answer, kb.section, kb.topic_name) if len(answer.topics) > MOST_LISTED else None
        sys.stdout.write(plain(answer, width=_width(sys.stdout, 88), style=_style(sys.stdout), nearest=nearest) + "\n")


def run_jsonl(args: argparse.Namespace) -> int:
    if args.question:
        raise UsageError("--jsonl reads questions from stdin; give no question words")
    if args.continue_:
        raise UsageError('--jsonl does not take -c; give rows {"question": ..., "conversation": ID} to ask follow-ups')
    kb = _load(args, wait=args.wait or None)
    from .jsonl import answer_lines  # the engine: imported once the model is being read

    # Every input line gives exactly one row, in order (an error row for a line that
    # cannot be asked). Reading every line is success (exit 0): the outcomes are in the rows.
    answer_lines(kb, sys.stdin.buffer, sys.stdout)
    return EXIT_ANSWERED


def run_topics(args: argparse.Namespace) -> int:
    import json

    from .render import json_text, printable

    kb = _load(args)
    if args.json:
        rows = [s.model_dump(include={"id", "factor", "title", "line", "article", "source"}) for s in kb.sections]
        sys.stdout.write(json_text(json.dumps(rows, ensure_ascii=False)) + "\n")
        return EXIT_ANSWERED
    import textwrap

    # Two lines a section (the title, then its id to type), so it reads at 80 columns.
    width = _width(sys.stdout, 78) - 4
    for s in kb.sections:
        factor = str(s.factor) if s.factor is not None else "-"
        title = textwrap.wrap(printable(s.title), width=width) or [""]
        sys.stdout.write(f"{factor:>2}  {title[0]}\n")
        for more in title[1:]:
            sys.stdout.write(f"    {more}\n")
        sys.stdout.write(f"    {printable(s.id)}\n")
    return EXIT_ANSWERED


def _questions_from(path: str) -> list["EvalQuestion"]:
    """The question file at `path`, or standard input's for "-" (`make-questions | eval -`);
    a terminal there is no file, said rather than waited on."""
    from knowledge.evaluation import parse_questions, read_questions

    if path != "-":
        return read_questions(path)
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("eval -: reads the question file from standard input; pipe one in (career-chat eval - < questions.jsonl)")
    return parse_questions(sys.stdin.buffer.read(), "<stdin>")


def run_eval(args: argparse.Namespace) -> int:
    import json

    from knowledge.evaluation import evaluate

    from .progress import progress_bar
    from .render import json_text
    from .report import compare_text, report_data, report_text

    questions = _questions_from(args.questions)
    show_progress = sys.stderr.isatty() and not args.json
    modes = [None, False] if args.compare else [None]
    reports = []
    for semantic in modes:
        # Figures of complete answers only; the labels checked before any sentence is encoded.
        check = functools.partial(_check_sections, questions)
        kb = _load(args, semantic, wait=True, say_skipped=semantic is None, check=check)
        if args.compare and not kb.semantic and semantic is None:
            raise UsageError("--compare needs the sentence model, which is off here (--lexical, CAREER_CHAT_SEMANTIC, or not installed)")
        reports.append(evaluate(questions, kb.ask, progress_bar(sys.stderr) if show_progress else None))
    if args.json:
        data = {"semantic": report_data(reports[0]), "lexical": report_data(reports[1])} if args.compare else report_data(reports[0])
        sys.stdout.write(json_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"))) + "\n")
    elif args.compare:
        sys.stdout.write(compare_text(reports[0], reports[1], style=_style(sys.stdout)) + "\n")
    else:
        sys.stdout.write(report_text(reports[0], style=_style(sys.stdout)) + "\n")
    return _floors(args, reports[0].overall)


def _check_sections(questions: list["EvalQuestion"], kb: "KnowledgeBase") -> None:
    """A UsageError naming the first row labelled with a section the article lacks, before
    any question is asked: scored, the row would only lower the figures."""
    from knowledge.evaluation import nearest_section, unknown_sections
    from knowledge.inputs import one_line

    ids = [s.id for s in kb.sections]
    unknown = unknown_sections(questions, ids)
    if not unknown:
        return
    question, label = unknown[0]
    others = len({id(q) for q, _ in unknown}) - 1
    more = f" (and {others} more {'row' if others == 1 else 'rows'})" if others else ""
    meant = nearest_section(label, ids)
    hint = f"did you mean {one_line(meant)!r}? " if meant else ""
    raise UsageError(
        f"row {one_line(question.id)}: the article has no section {one_line(label)!r}{more}; "
        f"{hint}`career-chat topics` (with the same --article) lists the section ids"
    )


def _floors(args: argparse.Namespace, overall) -> int:
    """EXIT_NOT_COVERED (1) when a figure misses the floor it was given, or cannot be
    measured on this file, naming it. A floor that passed for want of a figure would let an
    engine that stopped saying "Answered" through a CI gate on precision."""
    # Each figure: its name, its value, its limit, whether that is a ceiling, and why the
    # file gives no such figure (it is None then).
    checks = [
        ("top-1", overall.top1, args.min_top1, False, "no question has a section"),
        ("phrase", overall.contains, args.min_phrase, False, "no question with a section has answer_contains"),
        ("refused", overall.refused, args.min_refused, False, "no question has section null without being near-topic"),
        ("precision of covered", overall.covered_precision, args.min_precision, False, "no answer was marked covered"),
        (
            "near-topic handled",
            overall.near_topic_handled,
            args.min_near,
            False,
            'no question has "style": ["near-topic"] and section null',
        ),
        ("wrongly refused", overall.wrongly_refused, args.max_wrongly_refused, True, "no question has a section"),
    ]
    failed = False
    for name, value, limit, ceiling, unmeasured in checks:
        if limit is None:
            continue
        if value is None:
            failed = True
            sys.stderr.write(f"career-chat: {name} cannot be measured: {unmeasured}\n")
        elif (value > limit) if ceiling else (value < limit):
            failed = True
            # The figure to its three places and the limit in full: both rounded to two,
            # a figure of 0.998 read "1.00 is below 1.00".
            sys.stderr.write(f"career-chat: {name} {value:.3f} is {'above' if ceiling else 'below'} {limit}\n")
    return EXIT_NOT_COVERED if failed else EXIT_ANSWERED


def run_serve(args: argparse.Namespace) -> int:
    from .web.serving import serve  # FastAPI and uvicorn only on this path

    return serve(args, lambda: _load(args))


def run_fetch(args: argparse.Namespace) -> int:
    from knowledge.read.pages import article_markdown

    from .saving import check_output, write_output

    to_file = args.output not in (None, "-")
    if to_file:
        check_output(args.page, args.output, args.force)  # said before any fetch
    text, note = article_markdown(args.page)
    if note:
        sys.stderr.write(f"career-chat: warning: {note}\n")
    if not to_file:
        sys.stdout.write(text)
        return EXIT_ANSWERED
    from knowledge.inputs import display_path

    shown = display_path(args.output)
    try:
        write_output(args.output, text, shown, replace=args.force)
    except OutputError as error:  # a full disk, a device that fails: as when stdout cannot be written
        return _cannot_write(error, shown)
    sys.stderr.write(f"career-chat: wrote {shown}\n")
    return EXIT_ANSWERED


def run_app(args: argparse.Namespace) -> int:
    from knowledge.inputs import display_path, shown_name

    save_dir = getattr(args, "save_dir", None)
    if save_dir is not None and os.path.exists(save_dir) and not os.path.isdir(save_dir):
        raise UsageError(f"--save-dir {display_path(save_dir)}: not a folder; give a folder for transcripts")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the chat app needs a terminal; in scripts and pipes use: career-chat ask QUESTION")
    # A missing path is said before the screen switches; the article itself (and the
    # engine's imports) load in the app's worker, so the question box shows at once.
    article = getattr(args, "article", None)
    from knowledge.read.address import is_web_address

    if article is not None and not is_web_address(article) and not os.path.exists(article):
        # As `ask` names it (`article_files`): the path as given.
        from knowledge.read.article import missing_hint

        raise UsageError(f"{shown_name(article)}: no such file or folder; {missing_hint(article)}")
    from pathlib import Path

    from .app import CareerChat, loading_text  # Textual only on this path
    from .places import data_folder

    app = CareerChat(  # imports knowledge in the worker
        load=lambda: _load(args, show_progress=False, say_skipped=False),
        transcript_folder=Path(save_dir) if save_dir is not None else None,
        data_folder=data_folder(),
        loading=loading_text(article),
    )
    stopped_by = _run_app(app)
    if stopped_by is not None:  # the screen is restored: say why it closed, as the shell would
        sys.stderr.write(f"{describe(stopped_by)}\n")
        return exit_code(stopped_by)
    if app.load_error:
        raise UsageError(app.load_error)
    if app.return_code:  # Textual has shown the error; the exit code must say so too
        sys.stderr.write("career-chat: internal error: the chat app stopped on an error; please report it\n")
        return EXIT_INTERNAL
    return EXIT_ANSWERED


def _run_app(app) -> int | None:  # noqa: ANN001 - Textual is imported late
    """Run the app; the signal that closed it, if one did. SIGINT, SIGTERM and SIGHUP close
    it as ctrl+q does (the terminal restored first), from before its screen is set up.

    The loop is our own and is closed without waiting for the load's thread (asyncio.run
    would wait for it): an app closed halfway through a long load ends at once."""
    import asyncio

    stopped_by: list[int] = []

    def stop(signum: int) -> None:
        stopped_by.append(signum)
        app.exit(return_code=exit_code(signum))

    async def running() -> None:
        signals = LoopSignals(stop)
        signals.catch()
        try:
            await app.run_async()
        finally:
            signals.release()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(running())
    finally:
        loop.close()
    return stopped_by[0] if stopped_by else None


def _note_warnings() -> None:
    """Library warnings (the model cannot run here, say) as one plain line on stderr."""
    import warnings

    def show(message, category, filename, lineno, file=None, line=None):
        from .render import printable

        text = printable(str(message).removeprefix("career-chat: "))
        kind = "warning" if issubclass(category, UserWarning) else "note"  # a file skipped, or the model off
        sys.stderr.write(f"career-chat: {kind}: {text}\n")

    warnings.showwarning = show


def _note_misplaced_ask_option(question: list[str]) -> None:
    """A note when the question's words hold one of ask's own options after its first
    word, or open with a word like an option that is none ("--jsn"): it is asked as a
    word, and the note says where the option goes or which were meant."""
    option = misplaced_ask_option(question)
    if option is not None:
        sys.stderr.write(
            f"career-chat: note: {option} after the question is read as part of it; "
            f"to use it, put it right after ask: career-chat ask {option} ...\n"
        )
    unknown = unknown_ask_option(question)
    if unknown is not None:
        sys.stderr.write(f"career-chat: note: {unknown}\n")


def main(argv: list[str] | None = None, *, held_to_exit: list[object] | None = None) -> int:
    """The command on `argv` (else the process's arguments), its exit code. `held_to_exit`:
    a list `run` keeps to its process's exit, given what the command loads: freed object by
    object as `ask` returned, the model's session, its tokenizer and the article's index
    were 8 to 11 ms of a cold ask. A program calling `main` has them freed as usual."""
    parser = build_parser()
    given = sys.argv[1:] if argv is None else list(argv)
    words, question = split_question(given)
    unknown = unknown_option(words, _command_options(parser))
    if unknown is not None:
        sys.stderr.write(f"career-chat: error: {unknown} (see career-chat --help)\n")
        return EXIT_USAGE
    try:
        args = _parse(parser, words)
    except OutputError as error:
        return _cannot_write(error)
    args.held_to_exit = held_to_exit
    if getattr(args, "save_dir", None) is not None and args.command not in ("chat", None):
        # Taken before any command, it is the chat app's alone: else ignored unsaid.
        sys.stderr.write(f"career-chat: error: --save-dir {PROGRAM_OPTION_USE['--save-dir']} ({args.command} saves none)\n")
        return EXIT_USAGE
    if question is not None:  # `ask`: the question's words, never read as options
        from knowledge.inputs import visible_text

        # What a terminal would show of each word; a byte not UTF-8 kept as U+FFFD.
        args.question = [visible_text(word) for word in question]
        if given[len(words) : len(words) + 1] != ["--"]:  # after `--` every word is meant as one
            misplaced = misplaced_option(question)
            if misplaced is not None:
                sys.stderr.write(f"career-chat: error: {misplaced}\n")
                return EXIT_USAGE
            _note_misplaced_ask_option(question)
    _note_warnings()
    commands = {
        "ask": run_ask,
        "topics": run_topics,
        "eval": run_eval,
        "fetch": run_fetch,
        "serve": run_serve,
        "chat": run_app,
        None: run_app,
    }
    try:
        with ending_at_once(), guarded_stdout():  # a signal kills the load's workers too (chat.stopping)
            from knowledge.settings import check_environment

            check_environment()  # a bad setting is said before anything starts
            _check_paths(args)
            _note_cache_unwritable()
            code = commands[args.command](args)
            sys.stdout.flush()  # a full disk is said here, not lost at exit
            return code
    except KeyboardInterrupt:  # Ctrl-C where no handler of ours could be set
        sys.stderr.write(f"\n{describe(signal.SIGINT)}\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`); nothing left to say to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ANSWERED
    except OutputError as error:
        return _cannot_write(error)
    except (UsageError, ValueError) as error:
        # ArticleError, QuestionFileError and SettingError are ValueErrors whose text names
        # the file or variable and the fix.
        return said(error, bad_input=True)
    except Exception as error:  # a bug: still one line, never a traceback
        return said(error, bad_input=False)


def _command_options(parser: argparse.ArgumentParser) -> dict[str, frozenset[str]]:
    """Each command's own option strings (argparse keeps its subcommands' parsers on the
    subparsers action, its one way to reach them)."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: frozenset(o for a in sub._actions for o in a.option_strings) for name, sub in commands.choices.items()}


def _parse(parser: argparse.ArgumentParser, words: list[str]) -> argparse.Namespace:
    """The options; --help and --version write to stdout and exit, and a write of theirs
    that fails is said as any output's is (argparse dropped it: help lost, exit 0)."""
    with guarded_stdout():
        try:
            return parser.parse_args(words)
        except SystemExit:
            sys.stdout.flush()
            raise


def _cannot_write(error: OutputError, where: str = "the output") -> int:
    """A full disk, say: the output (or the file `where`, as `display_path` names it: safe
    to print) is lost, and that is said."""
    sys.stderr.write(f"career-chat: error: cannot write {where}: {error}\n")
    return EXIT_OUTPUT


def run() -> NoReturn:
    """The `career-chat` command: `main`, then out without tearing the interpreter down.
    Freeing every module and the model's session one by one was a sixth of a one-question
    run (60 of 400 ms here); nothing of ours waits for it, and output is flushed first.
    What the command loaded is held to the end too (`main`'s `held_to_exit`)."""
    # A stream the shell closed (`2>&-`, `<&-`) is None in Python: what would go there is
    # dropped, a closed stdin reads as empty (it was an internal error, exit 70), and the
    # run goes on to its answer and exit code.
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))
    keep_out_unused_libraries()
    one_blas_thread()
    held: list[object] = []  # referenced here until `os._exit`
    code = main(held_to_exit=held)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (`| head`) or a closed stream
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
