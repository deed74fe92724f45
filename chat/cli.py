"""`career-chat`: a thin shell over the `knowledge` library.

Parses arguments, calls the library, formats the result. Imports are deferred so that
`career-chat ask` never pays for Textual, and `--help` pays for nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import metadata
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase

EXIT_ANSWERED = 0
EXIT_NOT_COVERED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70

EXAMPLES = """\
examples:
  career-chat                                   open the chat app
  career-chat ask is prompt engineering a real job
  career-chat ask --json "what does it pay?" | jq .citations
  echo "will it be obsolete?" | career-chat ask
  career-chat ask --jsonl < questions.txt        one JSON answer per line
  career-chat topics
  career-chat --article my-article.md ask what skills do I need
  career-chat eval questions.jsonl

exit codes: 0 answered, 1 the article does not cover it, 2 bad usage or input,
130 interrupted.
"""


class UsageError(Exception):
    """Bad input from the person at the keyboard: one line on stderr, exit 2."""


def _version() -> str:
    try:
        return metadata.version("career-chat")
    except metadata.PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """--version, looking the version up only when asked (metadata costs start-up time)."""

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(f"{parser.prog} {_version()}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    article = argparse.ArgumentParser(add_help=False)
    article.add_argument(
        "--article",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="a markdown article, or a folder of them, to answer from (default: the bundled article)",
    )
    parser = argparse.ArgumentParser(
        prog="career-chat",
        description="Ask a career article questions. Answers are sentences quoted from it, with citations.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[article],
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser(
        "ask",
        parents=[article],
        help="answer one question and exit",
        description="Answer a question from the article. Words are joined into one question; "
        "'-', or no words with a piped stdin, reads it from stdin.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ask.add_argument("question", nargs="*", help="the question (several words are joined)")
    output = ask.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    output.add_argument("--jsonl", action="store_true", help="read one question a line from stdin; one JSON answer a line")

    topics = commands.add_parser("topics", parents=[article], help="list the article's sections")
    topics.add_argument("--json", action="store_true", help="print the sections as JSON")

    evaluate = commands.add_parser(
        "eval",
        parents=[article],
        help="measure answer quality on a question file",
        description="Run every question of a JSONL file (id, question, section, alt_sections, "
        "answer_contains, kind) and report accuracy overall and per kind.",
    )
    evaluate.add_argument("questions", metavar="QUESTIONS.jsonl", help="the question file")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")

    commands.add_parser("chat", parents=[article], help="open the chat app (the default)")
    return parser


def _load(args: argparse.Namespace) -> "KnowledgeBase":
    from knowledge import KnowledgeBase

    return KnowledgeBase.load(getattr(args, "article", None))


def _style(stream: TextIO):
    from .render import Style

    return Style(stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb")


def _question(args: argparse.Namespace) -> str:
    words = args.question
    if words == ["-"] or (not words and not sys.stdin.isatty()):
        text = sys.stdin.read()
    elif not words:
        raise UsageError("no question given; try: career-chat ask what does it pay")
    else:
        text = " ".join(words)
    if not text.strip():
        raise UsageError("the question is empty; ask something about the article")
    return text.strip()


def run_ask(args: argparse.Namespace) -> int:
    if args.jsonl:
        return run_jsonl(args)
    question = _question(args)
    kb = _load(args)
    answer = kb.ask(question)
    write_answer(answer, args.json)
    return EXIT_ANSWERED if answer.answered else EXIT_NOT_COVERED


def write_answer(answer: "Answer", as_json: bool) -> None:
    from .render import plain

    if as_json:
        sys.stdout.write(answer.model_dump_json() + "\n")
    else:
        sys.stdout.write(plain(answer, style=_style(sys.stdout)) + "\n")


def run_jsonl(args: argparse.Namespace) -> int:
    if args.question:
        raise UsageError("--jsonl reads questions from stdin; give no question words")
    kb = _load(args)
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(kb.ask(line.strip()).model_dump_json() + "\n")
            sys.stdout.flush()
    return EXIT_ANSWERED


def run_topics(args: argparse.Namespace) -> int:
    import json

    from .render import printable

    kb = _load(args)
    if args.json:
        rows = [s.model_dump(include={"id", "factor", "title", "line", "article", "source"}) for s in kb.sections]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return EXIT_ANSWERED
    width = max(len(s.id) for s in kb.sections)
    for s in kb.sections:
        factor = str(s.factor) if s.factor is not None else "-"
        sys.stdout.write(f"{printable(s.id):<{width}}  {factor:>2}  {printable(s.title)}\n")
    return EXIT_ANSWERED


def run_eval(args: argparse.Namespace) -> int:
    from knowledge.evaluation import evaluate, read_questions

    from .report import progress_bar, report_text

    questions = read_questions(args.questions)
    kb = _load(args)
    show_progress = sys.stderr.isatty() and not args.json
    report = evaluate(questions, kb.ask, progress_bar(sys.stderr) if show_progress else None)
    if args.json:
        sys.stdout.write(report.model_dump_json(exclude={"outcomes"}) + "\n")
    else:
        sys.stdout.write(report_text(report, style=_style(sys.stdout)) + "\n")
    return EXIT_ANSWERED


def run_app(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the chat app needs a terminal; in scripts and pipes use: career-chat ask QUESTION")
    kb = _load(args)  # load before the screen switches, so errors print plainly
    from .app import CareerChat  # Textual only on this path

    CareerChat(kb).run()
    return EXIT_ANSWERED


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {"ask": run_ask, "topics": run_topics, "eval": run_eval, "chat": run_app, None: run_app}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`); nothing left to say to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ANSWERED
    except (UsageError, ValueError) as error:
        # ArticleError and QuestionFileError are ValueErrors whose text names the file and fix.
        from .render import printable

        sys.stderr.write(f"career-chat: error: {printable(str(error))}\n")
        return EXIT_USAGE
    except Exception as error:  # a bug: still one line, never a traceback
        sys.stderr.write(f"career-chat: internal error: {type(error).__name__}: {error}; please report it\n")
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
