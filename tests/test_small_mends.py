"""Issue 21, case 11: an answer without a quote is never "covered"; a header's raw ESC is
cleaned; UTF-16 is read (or named); JSON output holds no invisible or line-ending
characters."""

from __future__ import annotations

import json

import pytest

from chat import Conversation
from chat.render import plain
from knowledge import Answer, KnowledgeBase

from .conftest import DATA, folder_of
from .test_cli import run

# The app's examples are "What about <heading>?": a heading of markup gives "What about [/]?".
MARKUP = "# Markup\n\n## [/]\n\nThe [/] section has one sentence.\n\n## Pay\n\nThe job pays well. Night shifts pay more.\n"


def test_an_answer_with_nothing_quoted_is_never_covered(tmp_path):
    path = tmp_path / "markup.md"
    path.write_text(MARKUP, encoding="utf-8")
    kb = KnowledgeBase.load(path, semantic=False)
    conversation = Conversation(kb)
    turns = ["what does the job pay?", "What about [/]?", "tell me more", "more", "what does the job pay?", "and more?"]
    answers = [conversation.ask(question) for question in turns]
    for question, answer in zip(turns, answers):
        if answer.coverage != "none" or answer.answered:
            assert answer.citations and answer.text, (question, answer.coverage, answer.message)
        assert not plain(answer).startswith("Answered from the article.") or answer.citations
    assert answers[1].citations and "[/]" in answers[1].text  # the example quotes its section
    assert answers[3].message == "That is all the article says on this." and not answers[3].answered


def test_what_the_header_does_not_say_is_said_not_answered(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("# Pay\n\nThe job pays well.\n", encoding="utf-8")
    result = run("--article", str(path), "ask", "who wrote this article")
    assert result.returncode == 1 and result.stdout.strip() == "The article names no author."


def test_a_raw_escape_in_the_frontmatter_is_cleaned_not_refused(tmp_path):
    path = tmp_path / "esc.md"
    path.write_bytes(
        b"---\ntitle: Pay \x1b[31mguide\x1b]0;owned\x07\nauthor: Bob\x1b[2J Smith\n---\n# Pay\n\nThe job pays well.\n"
    )
    kb = KnowledgeBase.load(path, semantic=False)
    assert kb.title == "Pay guide"  # each sequence removed whole, not its ESC alone ("Pay [31mguide]0;owned")
    answer = kb.ask("who wrote it?")
    assert answer.citations[0].quote == "author: Bob Smith" and answer.citations[0].line == 3
    result = run("--article", str(path), "ask", "who wrote it?")
    assert result.returncode == 0 and "\x1b" not in result.stdout + result.stderr


def test_terminal_sequences_in_an_articles_text_are_removed_whole(tmp_path):
    """A heading's colour and a sentence's terminal link left "[31m" and "]8;;http://..."
    among the words quoted."""
    path = tmp_path / "esc.md"
    path.write_bytes(
        b"# Pay \x1b[31mred\x1b[0m heading\n\nNurses earn good \x1b]8;;http://evil.example\x07money\x1b]8;;\x07 in the United States.\n"
    )
    kb = KnowledgeBase.load(path, semantic=False)
    answer = kb.ask("what do nurses earn?")
    assert answer.citations[0].section_title == "Pay red heading"
    assert answer.citations[0].quote == "Nurses earn good money in the United States."
    # A stray ESC ] ends at its line: it took every line up to the next BEL with it.
    stray = tmp_path / "stray.md"
    stray.write_bytes(b"# Pay\n\nA stray \x1b] here.\n\n## Hours\n\nNurses earn about $80,000 a year.\n\nShifts are twelve hours.\x07 End.\n")
    hours = KnowledgeBase.load(stray, semantic=False)
    assert [s.title for s in hours.sections][-1] == "Hours"
    assert "Nurses earn about $80,000 a year." in hours.ask("what do nurses earn?").text


def test_a_question_asked_twice_in_one_message_is_answered_once(tmp_path):
    kb = KnowledgeBase.load(DATA / "nurse.md", semantic=False)
    twice = kb.ask("what does a nurse earn? What does a nurse earn?")
    assert not twice.parts and twice.text == kb.ask("what does a nurse earn?").text
    thrice = kb.ask("what does a nurse earn? how long is nursing school? what does a nurse earn?")
    assert [p.question.lower() for p in thrice.parts] == ["what does a nurse earn?", "how long is nursing school?"]
    # The same words leaning on another question are another question.
    leaning = kb.ask("How long is nursing school? And in Canada? What do nurses earn? And in Canada?")
    assert len(leaning.parts) == 4


UTF16_TEXT = "# Pay\r\n\r\nThe job pays well. Night shifts pay more.\r\n\r\n## Café hours\r\n\r\nShifts end at four.\r\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, codec):
    path = tmp_path / "windows.md"
    data = {
        "utf-16": UTF16_TEXT.encode("utf-16"),
        "utf-16-le-bom": b"\xff\xfe" + UTF16_TEXT.encode("utf-16-le"),
        "utf-16-be-bom": b"\xfe\xff" + UTF16_TEXT.encode("utf-16-be"),
        "utf-32": UTF16_TEXT.encode("utf-32"),
    }[codec]
    path.write_bytes(data)
    kb = KnowledgeBase.load(path, semantic=False)
    answer = kb.ask("when do the shifts end?")
    assert answer.citations[0].quote == "Shifts end at four." and answer.citations[0].line == 7
    assert kb.sections[-1].title == "Café hours"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_is_named_not_called_binary(tmp_path, codec):
    path = tmp_path / "nomark.md"
    path.write_bytes(UTF16_TEXT.encode(codec))
    result = run("--article", str(path), "ask", "pay")
    assert result.returncode == 2 and "is UTF-16 text without a byte-order mark; save the article as UTF-8" in result.stderr
    assert "binary" not in result.stderr


def test_real_binary_files_are_still_called_binary(tmp_path):
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "is a binary file" in run("--article", str(path), "ask", "pay").stderr
    path.write_bytes(b"\xff\xfe" + b"A\x00\x00\x00" * 50)  # a UTF-16 mark, then NULs between letters
    assert "is a binary file" in run("--article", str(path), "ask", "pay").stderr


def test_a_pdf_written_uncompressed_is_refused_as_a_pdf_not_quoted(tmp_path):
    path = tmp_path / "nurse.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\nBT /F1 12 Tf (Nurses earn well.) Tj ET\n%%EOF\n")
    result = run("--article", str(path), "ask", "what does a nurse earn?")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"career-chat: error: {path}: is a PDF, not a markdown article; save its text as a .md file"


# Line and paragraph separators, zero-width characters, the BOM, a Unicode tag, C1, bidi.
INVISIBLE = ["\u2028", "\u2029", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\U000e0041", "\U000e007f", "\x85", "\u202e"]


def test_json_output_holds_no_invisible_or_line_ending_characters(tmp_path):
    odd = "".join(INVISIBLE)
    article = tmp_path / f"in{odd}visible.md"
    article.write_text(
        f"# Pay{odd}\n\nThe job{odd} pays well.\u2028 Night\u2029 shifts pay \u200bmore\ufeff.\U000e0041\n", encoding="utf-8"
    )
    question = f"what does the job{odd} pay?"
    topics = run("--article", str(article), "topics", "--json")
    (section,) = [row["id"] for row in json.loads(topics.stdout)]  # eval refuses a label the article lacks
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": f"a{odd}", "question": question, "section": section, "kind": f"k{odd}"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    outputs = {
        "ask": run("--article", str(article), "ask", "--json", question),
        "jsonl": run("--article", str(article), "ask", "--jsonl", stdin=f"{question}\n\n"),
        "topics": topics,
        "eval": run("--article", str(article), "eval", "--json", str(questions)),
    }
    for name, result in outputs.items():
        assert result.stdout.strip(), (name, result.stderr)
        for line in result.stdout.splitlines():
            json.loads(line)  # still JSON
        found = [f"U+{ord(c):04X}" for c in result.stdout if c in INVISIBLE]
        assert found == [], (name, found)
        assert "\\u2028" not in result.stdout and "\\ufeff" not in result.stdout.lower()  # not escaped either
    answer = Answer.model_validate_json(outputs["ask"].stdout)
    assert " ".join(answer.text.split()).startswith("The job pays well.") and " ".join(answer.question.split()) == "what does the job pay?"
    assert list(json.loads(outputs["eval"].stdout)["kinds"]) == ["k"]


def test_an_example_made_from_a_clause_heading_reads_as_a_request_and_is_answered_there():
    """"What about what nurses do on a shift?" read oddly: a heading that is a clause of its
    own becomes "Tell me about ...", and asking it answers from that heading's section."""
    kb = KnowledgeBase.load(DATA / "nurse.md")  # as the app and the page load it
    examples = kb.examples(6)
    assert "Tell me about what nurses do on a shift" in examples
    assert not any(e.lower().startswith(("what about what", "what about how")) for e in examples)
    assert kb.ask("Tell me about what nurses do on a shift").section_id == "what-nurses-do-on-a-shift"
    paralegal = KnowledgeBase.load(DATA / "paralegal.md", semantic=False).examples(8)
    assert "Tell me about where paralegals work" in paralegal  # not "where Paralegals Work"


def test_a_folders_examples_are_whole_questions_each_of_its_own_article(tmp_path):
    """"What about the pay?" as a folder's example says nothing of whose pay: each example is
    one article's own question, and asking it answers from that article."""
    folder_of(tmp_path, "analyst", "chef", "pilot")
    kb = KnowledgeBase.load(tmp_path, semantic=False)
    examples = kb.examples()
    assert len(examples) == 3 and not any(e.startswith("What about") for e in examples)
    articles = {kb.ask(e).section_id.split("/")[0] for e in examples}
    assert articles == {"analyst", "chef", "pilot"}, examples
