"""`career-chat eval` and its question file: every field it prints
is safe for a terminal, and any line it cannot read is one error naming the file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from knowledge.evaluation import QuestionFileError, read_questions

from .test_cli import assert_clean_error, run

# An OSC title change (ESC ] 0 ; ... BEL), CSI sequences in 7 and 8 bits, a bidi override.
TITLE = "\x1b]0;owned\x07"
CSI = "\x1b[2J\x1b[31m"
C1_CSI = "\x9b1m"
RLO = "\u202e"
NASTY = (TITLE, CSI, C1_CSI, RLO, "\x1b", "\x07", "\x9b")


def questions_file(folder: Path, *rows: dict, raw: str = "") -> Path:
    path = folder / "questions.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows) + raw, encoding="utf-8")
    return path


def test_no_field_of_the_question_file_reaches_the_terminal_raw(tmp_path):
    """A failure prints its id, question and expected section, and each kind has a row: all
    come from the file."""
    path = questions_file(
        tmp_path,
        # The section reads "compensation" once made safe: a known section, so the row is run.
        {"id": f"a{TITLE}1", "question": f"how do I bake bread{CSI}", "section": f"compen{CSI[0]}sation", "kind": f"k{TITLE}ind"},
        {"id": f"b{RLO}2", "question": "what does it pay", "section": None, "alt_sections": [f"work{C1_CSI[0]}load"], "kind": f"o{C1_CSI}ut"},
    )
    for args in (["eval", str(path)], ["eval", "--json", str(path)], ["eval", "--compare", str(path)]):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        for stream in (result.stdout, result.stderr):
            assert not any(code in stream for code in NASTY), (args, stream)
        assert "Traceback" not in result.stderr
    table = run("eval", str(path))
    assert "a]0;owned1: 'how do I bake bread[2J[31m' expected compensation" in table.stdout  # shown, defused
    assert "k]0;owned" in table.stdout  # the kind's row


def test_a_label_the_article_lacks_is_said_before_any_sentence_is_encoded(tmp_path, monkeypatch, capsys):
    """A typo in a label is said at once, not after a folder's minutes of encoding."""
    from chat.cli import main
    from knowledge.rank.semantic import Encoder

    from .conftest import DATA

    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    encoded = []
    monkeypatch.setattr(Encoder, "encode_many", lambda self, texts: encoded.append(len(texts)) or [])
    wrong = questions_file(tmp_path, {"id": "pay", "question": "what do nurses earn?", "section": "salry"})
    assert main(["--article", str(DATA / "nurse.md"), "eval", str(wrong)]) == 2
    assert "row pay: the article has no section 'salry'" in capsys.readouterr().err and encoded == []


def test_eval_loads_the_article_once_a_mode(tmp_path, monkeypatch, capsys):
    """The labels are checked inside the one load (with the cache off, a second load parsed
    every article again, and fetched a web page twice)."""
    from chat.cli import main
    from knowledge import KnowledgeBase

    from .conftest import DATA

    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    loads = []
    real = KnowledgeBase.load.__func__
    monkeypatch.setattr(KnowledgeBase, "load", classmethod(lambda cls, *a, **k: loads.append(a) or real(cls, *a, **k)))
    right = questions_file(tmp_path, {"id": "pay", "question": "what do nurses earn?", "section": "nurse-salary"})
    assert main(["--lexical", "--article", str(DATA / "nurse.md"), "eval", str(right)]) == 0
    assert len(loads) == 1, loads


def test_a_section_the_article_lacks_is_exit_2_naming_the_row_before_any_question_is_asked(tmp_path):
    """A wrong label would score its row a miss and quietly lower every figure."""
    pay = {"id": "pay", "question": "how much do prompt engineers make", "section": "compensation"}
    wrong = questions_file(tmp_path, pay, {"id": f"wage{TITLE}s", "question": "what does it pay", "section": f"sal{CSI}ary"})
    result = run("eval", "--min-top1", "0.5", str(wrong))
    assert_clean_error(result, "row wage]0;owneds: the article has no section 'sal[2J[31mary'")
    assert "`career-chat topics`" in result.stderr
    assert not any(code in result.stderr for code in NASTY)
    alternative = questions_file(tmp_path, pay, {"id": "alt", "question": "what does it pay", "section": "compensation", "alt_sections": ["salary"]})
    assert_clean_error(run("eval", "--json", str(alternative)), "row alt: the article has no section 'salary'")


def test_a_mistyped_section_names_the_id_it_most_likely_meant(tmp_path):
    """A letter off, or the id written in capitals: the error says the real id, so the fix
    is one edit rather than a search through `career-chat topics`."""
    for typed in ("compensaton", "Compensation"):
        wrong = questions_file(tmp_path, {"id": "pay", "question": "what does it pay", "section": typed})
        assert_clean_error(run("eval", str(wrong)), f"no section {typed!r}; did you mean 'compensation'?")
    far = questions_file(tmp_path, {"id": "pay", "question": "what does it pay", "section": "zzzz"})
    assert "did you mean" not in run("eval", str(far)).stderr  # nothing near: no guess


def test_a_newline_in_an_id_keeps_each_failure_on_one_line(tmp_path):
    path = questions_file(tmp_path, {"id": "one\ntwo", "question": "how do I bake bread", "section": "compensation"})
    result = run("eval", str(path))
    assert "  one two: 'how do I bake bread' expected compensation, got refused" in result.stdout.splitlines()


def test_a_failure_says_the_outcome_it_got_and_the_legend_says_what_risk_coverage_counts(tmp_path):
    """"got pay" alone hid whether the article claimed to answer ("covered") or only offered
    its closest passage; the risk-coverage line was the one figure the legend left out."""
    path = questions_file(tmp_path, {"id": "what", "question": "what is prompt engineering?", "section": None})
    result = run("eval", str(path))
    assert re.search(r"  what: .* expected refusal, got \S+ \((covered|partial|closest)[;)]", result.stdout), result.stdout
    legend = " ".join(result.stdout.split())
    assert "Risk-coverage: were only the most confident answers given" in legend
    assert "a near-topic one marked closest too" in legend


def test_lines_end_at_newline_only(tmp_path):
    """U+2028, U+2029 and U+0085 are allowed raw in a JSON string: `str.splitlines` broke
    the line there and called it invalid JSON."""
    raw = "".join(
        json.dumps({"id": f"q{n}", "question": f"what does it pay{separator}in total", "section": None}, ensure_ascii=False) + "\n"
        for n, separator in enumerate(["\u2028", "\u2029", "\x85", "\x1c"])
    )
    path = tmp_path / "separators.jsonl"
    path.write_text(raw, encoding="utf-8")
    assert [q.id for q in read_questions(path)] == ["q0", "q1", "q2", "q3"]
    assert run("eval", str(path)).returncode == 0


def test_crlf_and_a_byte_order_mark_are_read(tmp_path):
    path = tmp_path / "windows.jsonl"
    rows = [json.dumps({"id": n, "question": "what does it pay", "section": None}) for n in "ab"]
    path.write_bytes(b"\xef\xbb\xbf" + f"{rows[0]}\r\n{rows[1]}\r\n".encode())
    assert [q.id for q in read_questions(path)] == ["a", "b"]


@pytest.mark.parametrize(
    "bad, says",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),  # RecursionError in json
        ('{"id": "a", "question": "q", "section": null, "n": ' + "9" * 5000 + "}", "number too long"),  # ValueError
        ('{"id": "a", "question": "q", "section": null, "n": -' + "9" * 5000 + "}", "number too long"),
        ('{"id": "a", "question": "q"', "not valid JSON"),
        ("[1, 2]", "should be one JSON object"),  # valid JSON, not an object
        ('{"id": "a", "question": "q", "section": null, "alt_sections": "x"}', "alt_sections: should be a list of section ids, not text"),
        ('{"id": 3, "question": "q", "section": null}', "id: should be text, not a number"),
        ('{"question": "q", "section": null}', "id: missing"),
        ('{"id": "a", "question": "\\u001b\\u0007", "section": null}', "question"),  # blank once made safe
        ('{"id": "ok", "question": "q", "section": null}', "id 'ok' is line 1's too"),  # a failure named by it names two
        # A field name a letter off: read past, the phrase or the near-topic mark was lost in silence.
        ('{"id": "a", "question": "q", "section": null, "answer_contain": "x"}', "'answer_contain' is not a field; did you mean 'answer_contains'"),
        ('{"id": "a", "question": "q", "section": null, "styles": ["near-topic"]}', "'styles' is not a field; did you mean 'style'"),
        ('{"id": "a", "qestion": "q", "section": null}', "'qestion' is not a field; did you mean 'question'"),
    ],
    ids=[
        "deep", "digits", "negative-digits", "truncated", "not-an-object", "wrong-type", "number-id", "no-id",
        "controls-only", "same-id", "field-typo", "field-plural", "required-field-typo",
    ],
)
def test_any_line_that_cannot_be_read_is_exit_2_naming_file_and_line(tmp_path, bad, says):
    good = json.dumps({"id": "ok", "question": "what does it pay", "section": None})
    path = tmp_path / "bad.jsonl"
    path.write_text(f"{good}\n\n{bad}\n{good}\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=f"bad.jsonl:3: .*{says}"):
        read_questions(path)
    assert_clean_error(run("eval", str(path), cwd=tmp_path), "bad.jsonl:3: ")
    assert says in run("eval", str(path), cwd=tmp_path).stderr


def test_fields_of_the_writers_own_are_read_past(tmp_path):
    """Only a name a letter off a field is an error: a row's own notes are its writer's."""
    row = {"id": "a", "question": "q", "section": None, "source": "https://example.org", "note": "x", "kind": "direct"}
    path = questions_file(tmp_path, row)
    assert [q.id for q in read_questions(path)] == ["a"]


@pytest.mark.parametrize(
    "text",
    [
        "id,question,section\nq1,what does it pay,compensation\n",  # a CSV
        json.dumps([{"id": "q1", "question": "what does it pay", "section": "compensation"}], indent=2),  # a JSON array
        json.dumps({"id": "q1", "question": "what does it pay", "section": "compensation"}, indent=2),  # one object over lines
    ],
    ids=["csv", "json-array", "object-over-lines"],
)
def test_a_file_that_is_not_json_lines_says_what_a_line_should_hold(tmp_path, text):
    """"not valid JSON (Expecting value)" alone left a first-time writer guessing."""
    path = tmp_path / "questions.jsonl"
    path.write_text(text, encoding="utf-8")
    assert_clean_error(run("eval", str(path), cwd=tmp_path), "questions.jsonl:1: not valid JSON")
    assert "each line holds one whole JSON object" in run("eval", str(path), cwd=tmp_path).stderr


def test_a_byte_that_is_not_utf8_names_its_line(tmp_path):
    good = json.dumps({"id": "ok", "question": "what does it pay", "section": None}).encode()
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(good + b"\n" + good.replace(b"pay", b"p\xe4y") + b"\n")
    assert_clean_error(run("eval", str(path), cwd=tmp_path), "latin1.jsonl:2: not UTF-8")


def test_a_question_file_that_cannot_be_opened(tmp_path):
    assert_clean_error(run("eval", str(tmp_path / "missing.jsonl"), cwd=tmp_path), "missing.jsonl: no such file")
    assert_clean_error(run("eval", str(tmp_path), cwd=tmp_path), "cannot be read")


def test_a_device_as_the_question_file_is_refused_before_it_is_read(tmp_path):
    """/dev/zero would be read without end; /dev/null stands for it here, as it ends."""
    assert_clean_error(run("eval", "/dev/null", cwd=tmp_path), "/dev/null: is a device")


FLOORS = ("--min-top1", "--min-phrase", "--min-refused", "--min-near", "--min-precision", "--max-wrongly-refused")


BAD_FLOORS = ("2", "-1", "-0.5", "1.0000001", "inf", "-inf", "nan", "NaN", "x")


# Every option with one bad value, and every bad value with one option (a process each).
@pytest.mark.parametrize(("option", "value"), [(o, "nan") for o in FLOORS] + [("--min-precision", v) for v in BAD_FLOORS if v != "nan"])
def test_a_floor_outside_0_to_1_is_exit_2_naming_the_option_before_any_work(tmp_path, option, value):
    """A floor of 2 can never be met and one of -0.5 never missed; NaN compares false with
    everything, so a NaN floor would pass every run. The file is never read: it is missing."""
    # "-inf" after a space reads as an option to argparse ("expected one argument"): typed joined.
    typed = [f"{option}={value}"] if value == "-inf" else [option, value]
    result = run("eval", *typed, str(tmp_path / "missing.jsonl"))
    assert result.returncode == 2 and result.stdout == "", result
    assert "Traceback" not in result.stderr and "missing.jsonl" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert result.stderr.splitlines() == [last], result.stderr  # one line
    assert last.startswith("career-chat: error: ") and option in last and "from 0 to 1" in last, last


def test_floors_of_0_and_1_are_accepted_and_a_near_topic_row_is_marked_by_its_style(tmp_path):
    """The ends of the range are floors a user means (a perfect score, no wrong refusal)."""
    path = questions_file(
        tmp_path,
        {"id": "pay", "question": "how much do prompt engineers make", "section": "compensation", "answer_contains": "$175,000"},
        {"id": "sink", "question": "how do I unclog a bathroom sink", "section": None},
        {"id": "nurse", "question": "what does a nurse earn?", "section": None, "style": ["near-topic"]},
    )
    floors = ["--min-top1", "1", "--min-phrase", "1", "--min-refused", "1", "--min-precision", "1", "--max-wrongly-refused", "0"]
    result = run("eval", "--json", *floors, "--min-near", "0", str(path))
    assert result.returncode == 0 and result.stderr == "", result
    overall = json.loads(result.stdout)["overall"]
    assert overall["near_topic"] == 1 and overall["near_topic_handled"] is not None


def test_a_floor_that_cannot_be_measured_on_the_file_fails_the_run(tmp_path):
    """With nothing answered "covered" there is no precision to hold to a floor: an engine
    that stopped saying "Answered" must not pass the gate. The same for every figure."""
    path = questions_file(tmp_path, {"id": "sink", "question": "how do I unclog a bathroom sink", "section": None})
    args = ["--min-top1", "0", "--min-phrase", "0", "--min-near", "0", "--min-precision", "0", "--max-wrongly-refused", "1"]
    result = run("eval", *args, "--min-refused", "0", str(path))
    assert result.returncode == 1, result
    assert result.stderr.splitlines() == [
        "career-chat: top-1 cannot be measured: no question has a section",
        "career-chat: phrase cannot be measured: no question with a section has answer_contains",
        "career-chat: precision of covered cannot be measured: no answer was marked covered",
        'career-chat: near-topic handled cannot be measured: no question has "style": ["near-topic"] and section null',
        "career-chat: wrongly refused cannot be measured: no question has a section",
    ]


def test_eval_help_says_how_a_row_is_marked_near_topic_and_when_a_floor_fails():
    """--min-near counts only rows marked so: a file without the mark cannot be measured."""
    text = " ".join(run("eval", "--help").stdout.split())
    assert '"style": ["near-topic"]' in text and "--min-near" in text
    assert "cannot be measured" in text


def test_a_label_is_known_by_the_section_id_or_its_ending_after_a_slash():
    """Several articles prefix their ids with `<article>/`; a label may leave that out, as
    scoring allows, but a bare article name or a part of an id is no section."""
    from knowledge.evaluation import EvalQuestion, unknown_sections

    labels = ["chef/pay", "pay", "chef", "ay"]
    questions = [EvalQuestion(id=label, question="what does it pay", section=label) for label in labels]
    assert [label for _, label in unknown_sections(questions, ["chef/pay", "nurse/hours"])] == ["chef", "ay"]


def test_the_json_report_names_each_failed_question_and_what_it_got(tmp_path):
    # A CI that misses a floor reads which rows failed from the JSON, without asking again.
    path = questions_file(
        tmp_path,
        {"id": "pay", "question": "what does it pay?", "section": "compensation"},
        {"id": "bread", "question": "how do I bake bread?", "section": "compensation"},
    )
    result = run("eval", "--json", "--min-top1", "1", str(path))
    assert result.returncode == 1, result.stderr
    failures = json.loads(result.stdout)["failures"]
    assert [f["id"] for f in failures] == ["bread"]
    assert failures[0]["expected"] == ["compensation"] and failures[0]["got"] is None and failures[0]["coverage"] == "none"


def test_a_question_file_piped_in_is_read_with_a_dash(tmp_path):
    # `make-questions | career-chat eval -`, as `ask --jsonl` reads its questions.
    row = {"id": "pay", "question": "what does it pay?", "section": "compensation"}
    result = run("eval", "-", stdin=json.dumps(row) + "\n")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^all\s+1\s+1\.00", result.stdout, re.M), result.stdout  # its one question, ranked right
    # Its errors name it as a file's would, with the line.
    bad = run("eval", "-", stdin=json.dumps(row) + "\n{not json\n")
    assert_clean_error(bad, "<stdin>:2: not valid JSON")


def test_a_dash_with_a_terminal_for_input_is_said_not_waited_on():
    import os
    import pty
    import subprocess

    from .test_cli import EXE

    main, terminal = pty.openpty()
    try:
        result = subprocess.run([EXE, "eval", "-"], stdin=terminal, capture_output=True, text=True, timeout=60)
    finally:
        os.close(main)
        os.close(terminal)
    assert_clean_error(result, "reads the question file from standard input; pipe one in")
