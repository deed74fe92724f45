"""What reaches the command from outside besides articles: links
in a folder, environment variables, and questions that look like options."""

from __future__ import annotations

import json
import os
import shlex
import subprocess

import pytest

from .conftest import DATA
from .pages import article_html
from .test_cli import EXE, assert_clean_error, run

PAY = "# Pay\n\nNight shifts pay a premium of ten percent.\n"


# 8. A link that leads nowhere is one skipped file, not a refused folder.


@pytest.mark.parametrize("link", ["loop", "dangling", "both"])
def test_a_bad_link_in_a_folder_is_skipped_with_one_note_naming_it(tmp_path, link):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "pay.md").write_text(PAY, encoding="utf-8")
    expected = []
    if link in ("loop", "both"):
        (folder / "loop.md").symlink_to("loop.md")
        expected.append("loop.md")
    if link in ("dangling", "both"):
        (folder / "gone.md").symlink_to(tmp_path / "deleted.md")
        expected.append("gone.md")
    result = run("--article", "articles", "ask", "what do night shifts pay", cwd=tmp_path)
    assert result.returncode == 0 and "premium of ten percent" in result.stdout
    notes = result.stderr.splitlines()
    assert len(notes) == len(expected)  # one line a link, as any file of the folder that cannot be read
    named = {line.split(": ")[2].removeprefix("skipped ") for line in notes if line.startswith("career-chat: note: skipped ")}
    assert named == {f"articles/{name}" for name in sorted(expected)}
    assert all("cannot be read" in line for line in notes)
    assert "Traceback" not in result.stderr


def test_a_folder_of_only_bad_links_is_an_error_naming_one(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "loop.md").symlink_to("loop.md")
    result = run("--article", str(folder), "ask", "pay", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "loop.md: cannot be read" in result.stderr


# 9. Every setting is checked: a clear line and exit 2, never a traceback or exit 70.


@pytest.mark.parametrize("value", ["inf", "1e309", "nan", "-1", "abc", "0", "1e6", "-inf", " "])
def test_a_bad_article_size_limit_is_a_clear_error(value):
    result = run("ask", "what does it pay", env={"CAREER_CHAT_MAX_ARTICLE_MB": value})
    if value.strip():
        assert_clean_error(result, "CAREER_CHAT_MAX_ARTICLE_MB=")
        assert "give a number of megabytes from 0.001 to 1024" in result.stderr
    else:  # blank is unset: the default
        assert result.returncode == 0


@pytest.mark.slow
def test_a_good_article_size_limit_is_used(tmp_path):
    article = tmp_path / "long.md"
    article.write_text(PAY + "\nMore words here. " * 5000, encoding="utf-8")  # about 85 KB
    assert_clean_error(run("--article", str(article), "ask", "pay", env={"CAREER_CHAT_MAX_ARTICLE_MB": "0.05"}), "larger than")
    assert run("--article", str(article), "ask", "pay", env={"CAREER_CHAT_MAX_ARTICLE_MB": "0.5"}).returncode == 0


@pytest.mark.parametrize(
    "name, value, says",
    [
        ("CAREER_CHAT_SEMANTIC", "maybe", "give on or off"),
        ("CAREER_CHAT_SEMANTIC", "\x1b[31moff", "give on or off"),
        ("CAREER_CHAT_CACHE", "{file}", "is a file"),
    ],
)
def test_other_bad_settings_are_clear_errors(tmp_path, name, value, says):
    (tmp_path / "a-file").write_text("x")
    result = run("topics", env={name: value.format(file=tmp_path / "a-file")})
    assert_clean_error(result, says)
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize("value", ["off", "OFF", "0", "lexical", "on", "1", "yes", ""])
def test_every_documented_semantic_switch_is_accepted(value):
    assert run("ask", "what does it pay", env={"CAREER_CHAT_SEMANTIC": value}).returncode == 0


def test_a_bad_setting_is_said_before_the_app_starts():
    """The app needs a terminal; the setting is checked first, whatever the terminal."""
    assert_clean_error(run(env={"CAREER_CHAT_MAX_ARTICLE_MB": "inf"}), "CAREER_CHAT_MAX_ARTICLE_MB")


# 10. The question is never an option.


@pytest.mark.parametrize(
    "words", [["-5 degrees?"], ["-x"], ["--articles"], ["what", "--", "is"], ["what", "-c", "is"], ["what", "--lexicalx", "is"]]
)
def test_a_question_that_looks_like_an_option_is_asked(tmp_path, words):
    result = run("ask", "--json", *words, "launch code?", stdin="what is the launch code?\n", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    from knowledge import Answer

    assert Answer.model_validate_json(result.stdout).question == " ".join([*words, "launch code?"])


@pytest.mark.parametrize("option", ["--article", "--article={secret}", "--lexical", "--version", "--save-dir"])
@pytest.mark.parametrize("where", ["first", "last"])
def test_a_program_option_among_the_question_words_is_an_error_naming_where_it_goes(tmp_path, option, where):
    """`ask "what does a nurse earn?" --article nurse.md` answered from the bundled article:
    a wrong answer with no word of why. A program option anywhere in the question is
    refused, and no file it names is read."""
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nThe launch code is hunter2.\n", encoding="utf-8")
    words = [option.format(secret=secret), str(secret)] if "=" not in option else [option.format(secret=secret)]
    question = [*words, "launch code?"] if where == "first" else ["what is the launch code?", *words]
    result = run("ask", "--json", *question, stdin="what is the launch code?\n", cwd=tmp_path)
    assert "hunter2" not in result.stdout + result.stderr
    name = option.split("=")[0]
    assert_clean_error(result, f"{name} {USE[name]} (to ask it as a word: career-chat ask -- QUESTION)")
    assert "read as a word" not in result.stderr  # it was not: the command stopped


# Where each program option goes, as the error says it.
USE = {
    "--article": "goes before ask: career-chat --article PATH ask QUESTION",
    "--lexical": "goes before ask: career-chat --lexical ask QUESTION",
    "--save-dir": "is for the chat app's transcripts: career-chat --save-dir DIR",
    "--version": "is given alone: career-chat --version",
}


@pytest.mark.parametrize("command", [["ask", "what does it pay?"], ["ask", "--json", "what does it pay?"], ["topics"]])
def test_save_dir_before_a_command_that_saves_no_transcript_is_an_error(tmp_path, command):
    """`career-chat --save-dir DIR ask ...` ran as if --save-dir were not there: only the
    chat app saves transcripts. It is refused as it is after ask's question or after
    `topics`, saying where it goes, and nothing runs."""
    result = run("--save-dir", str(tmp_path / "kept"), *command, cwd=tmp_path)
    assert_clean_error(result, f"--save-dir {USE['--save-dir']}")
    assert not (tmp_path / "kept").exists()


def test_every_program_option_among_a_questions_words_is_said_where_it_goes():
    """An option added to the program is known to `split_question` and said when it is found
    among a question's words (else it would be asked as a word, silently)."""
    import argparse

    from chat.arguments import (
        ASK_OPTIONS,
        GLOBAL_FLAGS,
        GLOBAL_WITH_VALUE,
        PROGRAM_OPTION_USE,
    )
    from chat.cli import build_parser

    parser = build_parser()
    options = {o for a in parser._actions if not isinstance(a, argparse._SubParsersAction) for o in a.option_strings}
    assert options == GLOBAL_FLAGS | GLOBAL_WITH_VALUE
    assert set(PROGRAM_OPTION_USE) == options - ASK_OPTIONS  # -h/--help are ask's own too


def test_a_program_option_after_the_question_says_how_to_use_it(tmp_path):
    result = run("ask", "what does a nurse earn?", "--article", "nurse.md", cwd=tmp_path)
    assert_clean_error(result, "--article goes before ask: career-chat --article PATH ask QUESTION (to ask it")


def test_a_question_starting_with_an_option_from_a_script(tmp_path):
    """`echo x | career-chat ask "$QUESTION"`: the argument is the question, stdin unread;
    one that is a program option is refused, never read as one."""
    result = run("ask", "--article=/etc/passwd", stdin="x\n", cwd=tmp_path)
    assert "root:" not in result.stdout + result.stderr
    assert_clean_error(result, "--article goes before ask: ")
    asked = run("ask", "--", "--article=/etc/passwd", stdin="x\n", cwd=tmp_path)  # after --, words
    assert asked.returncode == 1 and "root:" not in asked.stdout and asked.stderr == ""


def test_a_question_on_stdin_is_never_an_option():
    result = run("ask", "--json", stdin="--article=/etc/passwd\n")
    assert "root:" not in result.stdout
    assert '"question":"--article=/etc/passwd"' in result.stdout


def test_ask_options_still_work_before_the_question_and_double_dash_ends_them():
    from knowledge import Answer

    assert Answer.model_validate_json(run("ask", "--json", "what", "does", "it", "pay").stdout).answered
    # ask's own options are read until the question starts; `--` makes one a question's word.
    literal = run("ask", "--json", "--", "--help", "what does it pay")
    assert Answer.model_validate_json(literal.stdout).question == "--help what does it pay"
    words = run("ask", "what does it pay", "--json").stdout  # after the question: words, so a text answer
    assert not words.lstrip().startswith("{") and words.startswith(("Answered", "Partly answered", "Closest passage"))


@pytest.mark.parametrize(
    "args",
    [["\x1b]0;owned\x07"], ["--\x1b[31mbogus"], ["topics", "\x1b[2J\u202e"], ["eval"], ["--article"]],
    ids=["command", "option", "topics-extra", "missing-file", "missing-value"],
)
def test_argparse_errors_quote_nothing_raw(args):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert not any(code in result.stderr for code in ("\x1b", "\x07", "\u202e"))
    assert result.stderr.splitlines()[-1].startswith("career-chat")
    assert "error:" in result.stderr.splitlines()[-1]


def test_abbreviated_options_are_not_guessed():
    """`split_question` knows options by their full names; argparse must not guess more."""
    result = run("--art", os.devnull, "ask", "pay")
    assert result.returncode == 2 and result.stdout == ""
    assert "career-chat: error: " in result.stderr


def test_a_byte_that_is_not_utf8_in_the_question_is_read_past():
    """A shell passes such a byte as it is; Python holds it as a lone surrogate, which can
    be neither printed nor encoded: the question is answered, the byte kept as U+FFFD."""
    for mode in ([], ["--lexical"]):
        result = subprocess.run([EXE, *mode, "ask", "--json", b"what does it \xff pay?"], capture_output=True, timeout=60)
        assert result.returncode == 0 and b"internal error" not in result.stderr, result.stderr
        assert json.loads(result.stdout)["question"] == "what does it \ufffd pay?"


def test_a_closed_stderr_still_answers():
    result = subprocess.run(f"{shlex.quote(EXE)} ask 'what does it pay?' 2>&-", shell=True, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("Answered")


# Usage errors are one line, as every other bad input is: no usage block before it.


@pytest.mark.parametrize(
    "args, says",
    [
        (["bogus"], "argument COMMAND: invalid choice: 'bogus'"),
        (["serve", "--port", "abc"], "argument --port: invalid int value: 'abc' (see career-chat serve --help)"),
        (["eval", "x.jsonl", "--min-precision", "abc"], "argument --min-precision: give a number from 0 to 1, not 'abc' (see career-chat eval --help)"),
        (["topics", "--bogus"], "unrecognized arguments: --bogus (see career-chat --help)"),
        (["ask", "--json", "--jsonl", "pay"], "not allowed with argument --json (see career-chat ask --help)"),
        # not "invalid choice: 'x.md'", its value taken for the command
        (["--articl", "x.md", "ask", "pay"], "unknown option '--articl'; did you mean --article? (see career-chat --help)"),
        (["-q", "topics"], "unknown option '-q'; a command's own options go after the command (see career-chat --help)"),
        (["--json", "ask", "pay"], "--json goes after the command: career-chat ask --json ..."),
        (["--json", "topics"], "--json goes after the command: career-chat topics --json ..."),
        (["--lexical=1", "ask", "pay"], "--lexical takes no value"),
    ],
    ids=["command", "serve", "eval", "topics", "ask", "misspelt", "unknown", "ask's option", "topics' option", "flag with a value"],
)
def test_a_usage_error_is_one_line_naming_where_help_is(args, says):
    assert_clean_error(run(*args), says)


# ask's own options after the question's words are words of it, and a note says so.


@pytest.mark.parametrize("option", ["--json", "-c", "--continue", "--wait", "--jsonl"])
def test_ask_option_after_the_question_gets_a_note(option):
    result = run("ask", "what does it pay?", option)
    assert result.returncode == 0 and not result.stdout.startswith("{")
    assert result.stderr.splitlines() == [
        f"career-chat: note: {option} after the question is read as part of it; "
        f"to use it, put it right after ask: career-chat ask {option} ..."
    ]


@pytest.mark.parametrize(
    "word, meant",
    [("--jsn", "did you mean --json? "), ("--wiat", "did you mean --wait? "), ("-x", ""), ("--help-me", "did you mean --help? ")],
)
def test_a_question_opening_like_an_unknown_option_is_asked_with_a_note(word, meant):
    """A typo of an option ("ask --jsn pay?") was asked as a word without a word said: the
    text answer came where JSON was meant."""
    result = run("ask", word, "what does it pay?")
    assert result.returncode in (0, 1) and result.stdout.strip()
    assert result.stderr.splitlines() == [
        f"career-chat: note: {word} is no option of ask's, so it is read as part of the question; "
        f"{meant}ask's options: -c, --continue, --json, --jsonl, --wait, --help"
    ]


@pytest.mark.parametrize("words", [["-5", "degrees, can electricians work outside?"], ["-"], ["--", "--jsn", "pay?"]])
def test_a_negative_number_stdin_or_a_double_dash_get_no_such_note(words):
    result = run("ask", *words, stdin="what does it pay?")
    assert result.stdout.strip() and "is no option of ask's" not in result.stderr


def test_a_question_without_option_words_gets_no_note():
    result = run("ask", "what does json pay?")
    assert result.returncode == 0 and result.stderr == ""


def test_option_words_after_a_double_dash_get_no_note():
    """`--` says plainly that every word after it is the question's."""
    for words in (["--", "what does --json mean?"], ["--", "--article", "pay?"]):
        result = run("ask", *words)
        assert result.stderr == "", result.stderr


# A question is read as a terminal would show it: whole control sequences removed.


@pytest.mark.parametrize(
    "styled",
    [
        "\x1b[31mwhat does it pay?\x1b[0m",  # colour (CSI)
        "\x1b[1;4mwhat does it\x1b[22;24m pay?",
        "\x1b]0;title\x07what does it pay?",  # a window title (OSC), ended by BEL
        "\x1b]8;;https://example.org\x1b\\what does it pay?\x1b]8;;\x1b\\",  # a link (OSC), ended by ST
        "\x1b(Bwhat does it pay?\x1b7",  # other escapes
    ],
)
def test_escape_sequences_in_a_question_leave_its_visible_text(styled):
    plain = run("ask", "--json", "what does it pay?")
    for result in (run("ask", "--json", styled), run("ask", "--json", stdin=styled + "\n")):
        assert result.returncode == plain.returncode == 0, result.stderr
        assert json.loads(result.stdout) == json.loads(plain.stdout)
    rows = run("ask", "--jsonl", stdin=styled + "\n").stdout
    assert json.loads(rows)["question"] == "what does it pay?"


def test_text_after_a_lone_c1_character_or_an_unterminated_sequence_is_kept():
    """Only an ESC opens a sequence, and only a string sequence with its end is removed
    whole: mojibake ('\u201d' read as Latin-1 ends in \\x9d) loses that one character."""
    from knowledge.inputs import question_text

    garbled = "is \u00e2\x80\x9cprompt engineer\u00e2\x80\x9d a real job and what does it pay?"
    assert question_text(garbled) == "is \u00e2prompt engineer\u00e2 a real job and what does it pay?"
    assert question_text("\x9dwhat does it pay?") == "what does it pay?"
    assert question_text("what \x1b]does it pay") == "what does it pay"
    assert question_text("\x9b31mwhat does it pay?") == "31mwhat does it pay?"  # a C1 CSI byte alone: removed, nothing more


def test_a_line_or_paragraph_separator_parts_the_words_it_stands_between():
    """Removed with the other controls, they glued words: "pay\u2028check" read "paycheck",
    "real job\u2028and the money?" "joband"."""
    from knowledge.inputs import question_text

    for mark in ("\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"):
        assert question_text(f"is it a real job{mark}and the money?") == "is it a real job and the money?"
    row = json.loads(run("ask", "--json", "is it a real job\u2028what does it pay?").stdout)
    assert row["question"] == "is it a real job what does it pay?"


@pytest.mark.parametrize("shown_nothing", ["\x1b[31m\x1b[0m", "\u200b\u200b", "\u0301\u0301", "\u00a0\u3000\u2060"])
def test_a_question_that_shows_nothing_is_empty(shown_nothing):
    # Zero-width characters and combining marks alone were answered with the article's opening.
    assert_clean_error(run("ask", shown_nothing), "the question is empty")
    row = json.loads(run("ask", "--jsonl", stdin=shown_nothing + "\n").stdout)
    assert row == {"line": 1, "error": "line 1 holds no question; put one question on each line"}


def test_a_question_of_escape_sequences_only_is_empty():
    assert_clean_error(run("ask", "\x1b[31m\x1b[0m"), "the question is empty")
    row = json.loads(run("ask", "--jsonl", stdin="\x1b[31m\x1b[0m\n").stdout)
    assert row == {"line": 1, "error": "line 1 holds no question; put one question on each line"}


# A question is at most as long as a --jsonl line: what is longer is refused, not read whole.


def test_an_over_long_question_is_refused_from_arguments_and_stdin():
    from chat.jsonl import MAX_LINE_BYTES

    longest = "what does it pay? " * (MAX_LINE_BYTES // 18)
    assert run("ask", "--json", longest[: MAX_LINE_BYTES - 1]).returncode == 0  # a long paste is still read
    for args, stdin in (([longest + "and more " * 500], None), ([], longest + "and more " * 500), (["-"], "x" * (MAX_LINE_BYTES + 1))):
        assert_clean_error(run("ask", *args, stdin=stdin), "the question is longer than 64 KB")


def test_stdin_is_read_no_further_than_the_limit():
    """An endless stdin is refused once past the limit, never read to its end (nor held)."""
    from chat.jsonl import MAX_LINE_BYTES

    process = subprocess.Popen([EXE, "ask"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        process.stdin.write(b"x" * (MAX_LINE_BYTES + 1))
        process.stdin.flush()
        code = process.wait(timeout=60)  # stdin is still open: it stopped reading by itself
        said = process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert code == 2 and said.startswith("career-chat: error: the question is longer than 64 KB"), said


# The cache folder is a folder, or the cache would quietly do nothing.


@pytest.mark.parametrize(
    "value, says",
    [("{file}", "is a file"), (os.devnull, "is not a folder"), ("{file}/cache", "is under a file")],
    ids=["file", "device", "under-a-file"],
)
def test_a_cache_that_can_hold_nothing_is_refused(tmp_path, value, says):
    (tmp_path / "a-file").write_text("x")
    result = run("topics", env={"CAREER_CHAT_CACHE": value.format(file=tmp_path / "a-file")})
    assert_clean_error(result, says)
    assert "give a folder for the cache, or off" in result.stderr


def test_a_cache_folder_still_to_make_is_accepted(tmp_path):
    assert run("topics", env={"CAREER_CHAT_CACHE": str(tmp_path / "new" / "cache")}).returncode == 0


# The size limit is said as it was set.


@pytest.mark.parametrize("value", ["0.001", "0.0123", "1e-3"])
def test_the_size_limit_is_said_as_set(value):
    result = run("ask", "what does it pay", env={"CAREER_CHAT_MAX_ARTICLE_MB": value})
    assert_clean_error(result, f"is larger than {float(value):g} MB, too large for an article")


def test_the_size_limit_of_a_web_page_is_said_as_set():
    from .pages import serving

    with serving() as server:
        address = server.page("/careers/nurse", article_html(DATA / "nurse.md"))
        result = run("--article", address, "ask", "what does it pay", env={"CAREER_CHAT_MAX_ARTICLE_MB": "0.001"})
    assert_clean_error(result, "is larger than 0.001 MB, too large for an article")


# Subfolders are not read, and the message says so.


def test_a_folder_with_articles_only_in_subfolders_says_they_are_not_read(tmp_path):
    (tmp_path / "articles" / "nurses").mkdir(parents=True)
    (tmp_path / "articles" / "nurses" / "pay.md").write_text(PAY, encoding="utf-8")
    result = run("--article", "articles", "ask", "what do night shifts pay", cwd=tmp_path)
    assert_clean_error(result, "articles: the folder holds no .md articles (nor .html pages) at its top level, and subfolders are not read")



# A path given empty (`--article "$VAR"` with VAR unset) names nothing: as a path it was the
# current folder, every article of which was read.


@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blank"])
@pytest.mark.parametrize(
    "args, says",
    [
        (["--article", "{}", "ask", "what do night shifts pay"], "--article is empty: give a markdown file, a saved page, a folder or an http(s) address"),
        (["--article={}", "topics"], "--article is empty: give a markdown file"),
        (["topics", "--article", "{}"], "--article is empty: give a markdown file"),
        (["eval", "{}"], "QUESTIONS.jsonl is empty: give the question file"),
        (["fetch", "{}"], "URL is empty: give an http(s) address or a saved .html file"),
        (["fetch", "page.html", "-o", "{}"], "--output is empty: give a file to write, or - for standard output"),
        (["--save-dir", "{}"], "--save-dir is empty: give a folder for transcripts"),
    ],
    ids=["article", "article=", "topics --article", "eval", "fetch", "fetch -o", "save-dir"],
)
def test_an_empty_path_is_an_error_not_the_current_folder(tmp_path, args, says, value):
    (tmp_path / "pay.md").write_text(PAY, encoding="utf-8")
    (tmp_path / "page.html").write_text(article_html(DATA / "nurse.md"), encoding="utf-8")
    result = run(*(word.format(value) for word in args), cwd=tmp_path)
    assert_clean_error(result, says)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "pay.md"]  # nothing written here


@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blank"])
def test_an_empty_article_in_the_workers_environment_is_the_bundled_one(tmp_path, monkeypatch, value):
    """CAREER_CHAT_ARTICLE set empty (a unit file's `CAREER_CHAT_ARTICLE=$ARTICLE`) is unset."""
    from chat.web.server import from_environment

    (tmp_path / "pay.md").write_text(PAY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAREER_CHAT_ARTICLE", value)
    monkeypatch.setenv("CAREER_CHAT_SEMANTIC", "off")
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    kb = from_environment().state.kb
    assert "AI Interactions" in kb.title


# The cache folder as a .env or unit file writes it: "~/x" unexpanded, a relative path, or
# a place that cannot be written.


def test_a_cache_folder_under_a_quoted_tilde_is_in_the_home_folder(tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    result = run("--lexical", "ask", "what does it pay", cwd=work, env={"HOME": str(home), "CAREER_CHAT_CACHE": "~/kept"})
    assert result.returncode == 0, result.stderr
    assert list(work.iterdir()) == []  # no "./~" folder
    assert any((home / "kept").iterdir())


@pytest.mark.parametrize("value", ["relcache", "./relcache", "relcache/sub"])
def test_a_relative_cache_folder_is_refused_before_anything_is_written(tmp_path, value):
    """It would be wherever the command happened to run: "Nothing is written to the current
    folder unless you ask"."""
    result = run("--lexical", "ask", "what does it pay", cwd=tmp_path, env={"CAREER_CHAT_CACHE": value})
    assert_clean_error(result, f"CAREER_CHAT_CACHE={value!r} is a relative path")
    assert list(tmp_path.iterdir()) == []


def test_spaces_around_a_cache_folder_are_no_part_of_it(tmp_path):
    """A .env line "CAREER_CHAT_CACHE= /x " made a folder named "x " (a trailing space), and
    a leading one was called a relative path."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    for value in (f" {tmp_path / 'kept'}", f"{tmp_path / 'kept'} ", "\t~/kept \n"):
        result = run("--lexical", "ask", "what does it pay", cwd=work, env={"HOME": str(home), "CAREER_CHAT_CACHE": value})
        assert result.returncode == 0 and result.stderr == "", (value, result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "kept", "work"] and any((tmp_path / "kept").iterdir())
    assert [p.name for p in home.iterdir()] == ["kept"] and list(work.iterdir()) == []


def test_a_cache_folder_in_a_home_folder_that_cannot_be_found_says_so(tmp_path):
    value = "~no-such-user-here/kept"
    result = run("--lexical", "ask", "what does it pay", cwd=tmp_path, env={"CAREER_CHAT_CACHE": value})
    assert_clean_error(result, f"CAREER_CHAT_CACHE={value!r}: there is no home folder of user no-such-user-here")
    assert "relative" not in result.stderr and list(tmp_path.iterdir()) == []


def test_a_cache_folder_under_a_tilde_with_no_home_folder_says_so(monkeypatch):
    import pwd

    from knowledge.settings import SettingError, cache_folder

    def nobody(uid):
        raise KeyError(uid)

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", nobody)
    monkeypatch.setenv("CAREER_CHAT_CACHE", "~/kept")
    with pytest.raises(SettingError, match=r"^CAREER_CHAT_CACHE='~/kept': there is no home folder \(HOME is not set\); "):
        cache_folder()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="/proc is Linux's")
def test_a_cache_folder_that_cannot_be_made_is_said_once_and_the_answer_still_comes():
    result = run("--lexical", "ask", "what does it pay", env={"CAREER_CHAT_CACHE": "/proc/nope"})
    assert result.returncode == 0 and result.stdout.startswith("Answered")
    assert result.stderr.splitlines() == [
        "career-chat: note: cache off: cannot write /proc/nope (No such file or directory); "
        "set CAREER_CHAT_CACHE to a folder you can write, or to off"
    ]


def test_a_save_dir_under_a_tilde_the_shell_left_is_in_the_home_folder(tmp_path, monkeypatch):
    """`--save-dir=~/notes`: a shell expands no ~ after "=", and ctrl+s made a "./~" folder."""
    from chat.cli import build_parser

    monkeypatch.setenv("HOME", str(tmp_path))
    for words in (["--save-dir=~/notes"], ["chat", "--save-dir", "~/notes"]):
        assert build_parser().parse_args(words).save_dir == str(tmp_path / "notes")


@pytest.mark.parametrize(
    "args",
    [
        ["--article=~/pay.md", "ask", "what do night shifts pay"],
        ["topics", "--article=~/pay.md"],
        ["eval", "~/questions.jsonl"],
        ["--lexical", "--article=~/pay.md", "eval", "~/questions.jsonl"],
        ["fetch", "~/page.html", "--output=~/out.md"],
        ["fetch", "~/page.html", "--output=~/page.md", "--force"],
    ],
    ids=["article=", "topics --article=", "eval", "eval with article", "fetch --output=", "fetch --output= --force"],
)
def test_every_path_under_a_tilde_the_shell_left_is_in_the_home_folder(tmp_path, args):
    """A shell expands no ~ after "=" (nor one quoted): `--article=~/pay.md` was "no such
    file", as --save-dir's was a "./~" folder, until each path option read it as home."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    (home / "pay.md").write_text(PAY, encoding="utf-8")
    (home / "page.md").write_text("my notes\n", encoding="utf-8")
    (home / "page.html").write_text(article_html(DATA / "nurse.md"), encoding="utf-8")
    (home / "questions.jsonl").write_text(json.dumps({"id": "q1", "question": "what do night shifts pay", "section": None}) + "\n", encoding="utf-8")
    result = run(*args, cwd=work, env={"HOME": str(home), "CAREER_CHAT_SEMANTIC": "off", "CAREER_CHAT_CACHE": "off"})
    assert result.returncode == 0, result.stderr
    assert list(work.iterdir()) == []  # no "./~" folder
    if args[0] == "fetch":
        written = home / args[2].removeprefix("--output=~/")
        assert written.read_text(encoding="utf-8").startswith("---\ntitle: Is Nursing Still a Good Career?")
    elif args[1] == "ask":
        assert "premium of ten percent" in result.stdout
    elif args[0] == "topics":
        assert "Pay" in result.stdout and "AI Interactions" not in result.stdout


def test_an_article_under_a_tilde_in_the_workers_environment_is_in_the_home_folder(tmp_path, monkeypatch):
    """CAREER_CHAT_ARTICLE=~/pay.md in a unit file, which expands no ~."""
    from chat.web.server import from_environment

    (tmp_path / "pay.md").write_text(PAY, encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CAREER_CHAT_ARTICLE", "~/pay.md")
    monkeypatch.setenv("CAREER_CHAT_SEMANTIC", "off")
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    kb = from_environment().state.kb
    assert kb.articles[0].path.endswith("pay.md") and "premium of ten percent" in kb.sections[0].text
