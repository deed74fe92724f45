"""The command line's words: where `ask`'s question starts, and argparse's errors made safe.

A question is anyone's text, and scripts pass it on as one argument (`career-chat ask
"$QUESTION"`). argparse would read a question such as "--article=/etc/passwd" as an
option, and load and quote that file. So everything after `ask` and its own output
options (--json, --jsonl) is the question, word for word, as if `--` stood before it;
`--article` and `--lexical` belong before `ask`, and one among the question's words is an
error saying so (after an explicit `--` it is a word like any other).
"""

from __future__ import annotations

import argparse
import os
from typing import NoReturn

# Options of the program itself (before the command), and which of them take a value.
GLOBAL_FLAGS = frozenset({"--lexical", "--version", "-h", "--help"})
GLOBAL_WITH_VALUE = frozenset({"--article", "--save-dir"})
# `ask`'s own options: how the answer is printed, and help.
ASK_OPTIONS = frozenset({"--json", "--jsonl", "-c", "--continue", "-h", "--help", "--wait"})
# A question, or a --jsonl line, longer than this is no question (the engine reads at most
# a question's last 2000 characters anyway): an error, or an error row, and the line is
# skipped without being held. Here, not beside --jsonl: `ask` checks it before the engine,
# and with it the model's reading, is imported.
MAX_LINE_BYTES = 64 * 1024


class SafeArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose error messages, which quote what was typed ("unrecognized
    arguments: ..."), drive no terminal: control and bidi characters removed. Each is one
    line, as every bad input is (no usage block before it), naming the --help to read."""

    def error(self, message: str) -> NoReturn:
        from knowledge.inputs import one_line

        program = self.prog.split(" ", 1)[0]  # a command's parser is "career-chat serve"
        self.exit(2, f"{program}: error: {one_line(message)} (see {self.prog} --help)\n")


def fraction(text: str) -> float:
    """An `eval` floor or ceiling: a share, so a finite number from 0 to 1. Outside that a
    floor can never be met (2) or never missed (-0.5), and NaN compares false with every
    figure, so a NaN floor would pass every run."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 1:  # false for NaN too
        raise argparse.ArgumentTypeError(f"give a number from 0 to 1, not {text!r}")
    return value


def host(text: str) -> str:
    """A --host as given; an IPv6 address written as in a web address ("[::1]") without its
    brackets, as uvicorn takes it (with them it was "not an address of this computer")."""
    return text[1:-1] if len(text) > 2 and text[0] == "[" and text[-1] == "]" else text


def home_path(text: str) -> str:
    """A path with a leading ~ as the home folder: a shell expands none after "="
    (`--article=~/notes.md`) or in quotes, and it was a file or folder named "~" in the
    current one. An address (https://...) and "-" have no ~ to expand: left as they are."""
    return os.path.expanduser(text)


def _past_program_options(argv: list[str]) -> int:
    """Where the command starts: the first word that is none of the program's options (or
    their values)."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in GLOBAL_WITH_VALUE:
            i += 2
        elif word in GLOBAL_FLAGS or any(word.startswith(option + "=") for option in GLOBAL_WITH_VALUE):
            i += 1
        else:
            break
    return i


def unknown_option(argv: list[str], command_options: dict[str, frozenset[str]] | None = None) -> str | None:
    """What to say of a word before the command that looks like an option and is none of
    the program's ("--articl x.md ask ..."): argparse took the option's value for the
    command and blamed that ("invalid choice: 'x.md'"). None when there is no such word.
    `command_options`: each command's own options, to say where one put before it goes."""
    i = _past_program_options(argv)
    word = argv[i] if i < len(argv) else ""
    if not word.startswith("-") or word in ("-", "--"):
        return None
    import difflib

    from knowledge.inputs import one_line

    name = word.split("=", 1)[0]
    if name in GLOBAL_FLAGS:
        return f"{one_line(name)} takes no value"
    near = difflib.get_close_matches(name, sorted(GLOBAL_FLAGS | GLOBAL_WITH_VALUE), n=1, cutoff=0.75)
    if near:
        return f"unknown option {one_line(word)!r}; did you mean {near[0]}?"
    options = command_options or {}
    command = next((w for w in argv[i + 1 :] if w in options), None)
    if command is not None and name in options[command]:  # "--json topics"
        return f"{one_line(name)} goes after the command: career-chat {command} {one_line(name)} ..."
    return f"unknown option {one_line(word)!r}; a command's own options go after the command"


def split_question(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """(the words for argparse, the question's words) when the command is `ask`; else
    (argv, None). The question starts at the first word after `ask` that is not one of
    its own options; a `--` there is dropped, as argparse would."""
    i = _past_program_options(argv)
    if i >= len(argv) or argv[i] != "ask":  # an unknown option there is said by `unknown_option`
        return argv, None
    start = i + 1
    end = start
    while end < len(argv) and argv[end] in ASK_OPTIONS:
        end += 1
    rest = argv[end:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    return argv[:end], rest


# Where each of the program's options goes, said when one is found among a question's
# words: every one of GLOBAL_FLAGS and GLOBAL_WITH_VALUE but ask's own (-h, --help), as a
# test checks against the parser.
PROGRAM_OPTION_USE = {
    "--article": "goes before ask: career-chat --article PATH ask QUESTION",
    "--lexical": "goes before ask: career-chat --lexical ask QUESTION",
    "--save-dir": "is for the chat app's transcripts: career-chat --save-dir DIR",
    "--version": "is given alone: career-chat --version",
}


def misplaced_option(question: list[str]) -> str | None:
    """What to say of a program option among a question's words, wherever it stands
    ("what does a nurse earn? --article nurse.md"); None when there is none. Asked as words,
    the question was answered from another article than the one meant, which no note beside
    the answer makes right, so the command stops; `--` before the question asks such a
    word as a word."""
    names = (word.split("=", 1)[0] for word in question)  # "--article=x.md" too
    option = next((name for name in names if name in PROGRAM_OPTION_USE), None)
    if option is None:
        return None
    return f"{option} {PROGRAM_OPTION_USE[option]} (to ask it as a word: career-chat ask -- QUESTION)"


def misplaced_ask_option(question: list[str]) -> str | None:
    """One of ask's own options written after the question's first word ("what does it
    pay? --json"): it is a word of the question all the same, and a note says where it goes."""
    options = ASK_OPTIONS - {"-h", "--help"}
    return next((word for word in question[1:] if word in options), None)


def unknown_ask_option(question: list[str]) -> str | None:
    """What to say of a question whose first word looks like an option of ask's and is none
    ("--jsn", "-x"): it is asked as a word all the same (a script's question may start with
    a dash), and a note says so, naming the option meant where one is near. None for any
    other question, and for a negative number ("-5 degrees"). (A program option there is
    `misplaced_option`'s error, said before this is asked.)"""
    word = question[0] if question else ""
    name = word.split("=", 1)[0]
    if len(name) < 2 or not name.startswith("-") or name == "--" or name.lstrip("-")[:1].isdigit():
        return None
    import difflib

    from knowledge.inputs import one_line

    options = sorted(ASK_OPTIONS - {"-h"}, key=lambda o: (o == "--help", o.lstrip("-")))  # help last
    near = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    meant = f"did you mean {near[0]}? " if near else ""
    return f"{one_line(word)} is no option of ask's, so it is read as part of the question; {meant}ask's options: {', '.join(options)}"
