"""The Textual app, driven as a person would: typing, picking, opening sources."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input, Markdown, OptionList, Static

from chat.app import CareerChat
from chat.screens import PassageScreen
from chat.widgets import AnswerBlock, QuestionBubble, QuestionInput


async def ask(pilot, question: str, typed: bool = False) -> AnswerBlock:
    """Ask in the question box and wait for the answer. `typed`: key by key, as a person
    types (a tenth of a second a key here: only where typing itself is under test)."""
    app = pilot.app
    before = len(app.query(AnswerBlock))
    box = app.query_one("#question", QuestionInput)
    box.focus()
    if typed and question.isascii() and "\x1b" not in question:
        await pilot.press(*question)
    else:
        box.value = question  # also: emoji and escapes cannot be typed as key names
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(app.query(AnswerBlock)) > before)
    return app.query(AnswerBlock).last()


async def wait_for(pilot, condition, tries: int = 100) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never became true")


def markdown_source(block: AnswerBlock) -> str:
    return block.query_one(Markdown).source


@pytest.fixture
def app(kb, tmp_path):
    return CareerChat(kb, transcript_folder=tmp_path)


async def test_typed_question_gets_a_cited_answer(app):
    async with app.run_test(size=(80, 24)) as pilot:
        block = await ask(pilot, "how much do prompt engineers make?", typed=True)
        assert block.answer.answered and block.answer.citations
        assert "175,000" in markdown_source(block)
        sources = block.query_one(".sources", OptionList)
        rows = [sources.get_option_at_index(i) for i in range(sources.option_count)]
        assert [r.id for r in rows if not r.disabled] == [str(c.marker) for c in block.answer.citations]
        headers = [r.prompt.plain for r in rows if r.disabled]  # one per section, never repeated
        assert headers == ["Factor 7 · Compensation — making-of-ai-interactions.md"]
        assert all(f"line {c.line}" in rows[i + 1].prompt.plain for i, c in enumerate(block.answer.citations))


def held_load(kb):
    """A load that waits until released (`set()`): the app as it is while an article loads."""
    release = threading.Event()

    def load():
        release.wait(30)
        return kb

    return load, release


async def test_the_palette_offers_no_chat_command_while_the_article_loads(kb, tmp_path):
    # A palette command runs its action past check_action: "Clear chat" chosen while the
    # article loaded stopped the app (no conversation yet).
    load, loaded = held_load(kb)
    app = CareerChat(load=load, transcript_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert not titles & {"Clear chat", "Save transcript", "Copy last answer"}
        assert "Toggle topics" in titles
        loaded.set()
        await wait_for(pilot, lambda: app.kb is not None)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Clear chat", "Save transcript", "Copy last answer"} <= titles


async def test_picking_an_example_asks_it(app):
    async with app.run_test(size=(80, 24)) as pilot:
        examples = app.query_one("#examples", OptionList)
        examples.focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: len(app.query(AnswerBlock)) == 1)
        assert app.query_one(QuestionBubble).content == str(examples.get_option_at_index(1).prompt)
        # Kept like a typed question: up brings it back to edit and ask again.
        await pilot.press("up")
        assert app.query_one("#question", QuestionInput).value == str(examples.get_option_at_index(1).prompt)


async def test_open_a_source_and_come_back(app):
    async with app.run_test(size=(80, 24)) as pilot:
        block = await ask(pilot, "are there certifications for prompt engineering")
        block.query_one(".sources", OptionList).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
        passage = app.screen
        assert passage.section.id == block.answer.citations[0].section_id
        body = passage.body
        highlighted = [body.plain[s.start : s.end] for s in body.spans if "reverse" in str(s.style)]
        assert block.answer.citations[0].quote in highlighted
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PassageScreen))
        assert app.query(AnswerBlock)


async def test_topic_in_sidebar_opens_its_passage(app):
    async with app.run_test(size=(120, 40)) as pilot:
        topics = app.query_one("#topics", OptionList)
        topics.focus()
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
        assert app.screen.section.id == "full-employment-options"


async def test_refusal_is_shown_as_such(app):
    async with app.run_test(size=(80, 24)) as pilot:
        block = await ask(pilot, "how do i unclog a bathroom sink")
        assert not block.answer.answered and block.has_class("none")
        assert "does not cover" in markdown_source(block)
        # The nearest few topics, not all of them again; ctrl+b lists the rest.
        assert "Nearest topics:" in markdown_source(block) and "(the topics list, ctrl+b, has all" in markdown_source(block)


async def test_an_answer_lacking_something_names_it(app):
    async with app.run_test(size=(80, 24)) as pilot:
        block = await ask(pilot, "what do prompt engineers earn in germany")
        assert block.has_class("closest") and "does not mention: germany" in markdown_source(block)


@pytest.mark.parametrize("question", ["[bold]x[/]", "[/]", "[/", "[bold]pay[/] \x1b[31m 🙂"])
async def test_markup_in_a_question_is_shown_literally(app, question):
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, question)
        bubble = app.query(QuestionBubble).last()
        assert str(bubble.render()) == question.replace("\x1b", "")


async def test_followup_about_pay_lands_on_compensation(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "is it a real job?")
        block = await ask(pilot, "what about the pay?")
        assert block.answer.section_id == "compensation"


async def test_a_transcript_that_cannot_be_saved_names_the_folder(kb, tmp_path, monkeypatch):
    """Named whole, broken after a "/" where the notice is too narrow for it (it broke
    wherever the width ran out, as the saved notice did)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "a-file-saved-by-mistake").write_text("not a folder", encoding="utf-8")
    folder = tmp_path / "a-file-saved-by-mistake" / "career-chat-transcripts"  # as a mistyped --save-dir
    app = CareerChat(kb, transcript_folder=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app._notifications)
        said = str(list(app._notifications)[-1].message).split("\n")
        assert said == ["Could not save the transcript (Not a directory) in", "~/a-file-saved-by-mistake/", "career-chat-transcripts"]


async def test_save_transcript_writes_citations(app, tmp_path):
    async with app.run_test(size=(80, 24)) as pilot:
        block = await ask(pilot, "what does it pay?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: list(tmp_path.glob("career-chat-*.md")))
        saved = next(tmp_path.glob("career-chat-*.md")).read_text(encoding="utf-8")
        assert "what does it pay?" in saved
        assert "Factor 7 · Compensation" in saved and f"line {block.answer.citations[0].line}" in saved.replace(":", " line ")


@pytest.mark.parametrize("size", [(40, 10), (60, 15)])
async def test_a_saved_notice_fits_a_small_screen_whole(kb, tmp_path, monkeypatch, size):
    """At 40x10 the notice stood above the question box taller than the room there: its
    first lines, "Transcript saved as" and the folder, were off the screen."""
    from textual.widgets._toast import Toast

    monkeypatch.setenv("HOME", str(tmp_path))
    app = CareerChat(kb, transcript_folder=tmp_path / "transcripts")
    async with app.run_test(size=size, notifications=True) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        assert 0 <= toast.region.y and toast.region.bottom <= size[1]
        assert "Transcript saved as" in str(list(app._notifications)[-1].message)


async def test_history_clear_and_sidebar(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "is it a real job?")
        await ask(pilot, "what does it pay?")
        box = app.query_one("#question", QuestionInput)
        await pilot.press("up")
        assert box.value == "what does it pay?"
        await pilot.press("up")
        assert box.value == "is it a real job?"
        await pilot.press("down", "down")
        assert box.value == ""
        await pilot.press("ctrl+b")
        assert not app.query_one("#sidebar").display
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: not app.query(AnswerBlock))
        assert app.conversation.turns == [] and app.query("#examples")
        # Said: ctrl+l redraws the screen elsewhere, and a chat gone unannounced looks lost.
        assert any("Chat cleared" in str(n.message) for n in app._notifications)


async def test_empty_input_prompts_instead_of_failing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert not app.query(AnswerBlock)
        assert any("Type a question" in str(n.message) for n in app._notifications)
        # Zero-width characters alone (pasted) are no question either: the engine refuses them.
        app.query_one("#question", QuestionInput).insert_text_at_cursor("\u200b\u200b")
        await pilot.press("enter")
        await pilot.pause()
        assert not app.query(AnswerBlock) and app.is_running
        assert sum("Type a question" in str(n.message) for n in app._notifications) == 2


async def test_copy_tells_the_truth(app, monkeypatch):
    monkeypatch.setattr("chat.app._system_copy", lambda text: False)
    monkeypatch.setenv("TERM_PROGRAM", "Apple_Terminal")
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert any("cannot take copied text" in str(n.message) for n in app._notifications)


async def test_every_binding_has_an_id_and_a_palette_command(app):
    assert all(b.id for b in CareerChat.BINDINGS + QuestionInput.BINDINGS + PassageScreen.BINDINGS)
    async with app.run_test(size=(80, 24)):
        titles = {c.title for c in app.get_system_commands(app.screen)}
    assert {"Clear chat", "Toggle topics", "Save transcript", "Copy last answer", "Quit"} <= titles


async def no_blink(pilot) -> None:
    for box in pilot.app.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def answered(pilot) -> None:
    """Asked and settled: the answer's worker done, the chat's scroll to it finished, and
    the screen refreshed after both (on a loaded machine a single pause could leave the
    snapshot a frame early)."""
    await no_blink(pilot)
    await ask(pilot, "how much do prompt engineers make?")
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    # Until the chat has scrolled to its end and the screen has stopped changing: the app
    # scrolls after a refresh, and on a loaded machine the answer's last lines, or anything
    # else on the screen, can still be laid out or painted after that. At the end, the
    # screen as drawn the same over ten checks in a row (at most ten seconds).
    log = pilot.app.query_one("#log")
    still, last, changed = 0, None, False
    for _ in range(500):
        now = (log.scroll_y, log.max_scroll_y, log.virtual_size, pilot.app.export_screenshot())
        changed = last is not None and now[3] != last[3]
        still = still + 1 if now == last and log.scroll_y == log.max_scroll_y else 0
        if still >= 10:
            break
        last = now
        await pilot.pause(0.02)
    assert still >= 10, (
        f"the chat never settled at its end: scrolled {log.scroll_y} of {log.max_scroll_y}, "
        f"{log.virtual_size} in {log.size}, the screen {'still changing' if changed else 'unchanged'}"
    )
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_first_screen(kb, snap_compare, size):
    assert snap_compare(CareerChat(kb), terminal_size=size, run_before=no_blink)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_answered(kb, snap_compare, size):
    assert snap_compare(CareerChat(kb), terminal_size=size, run_before=answered)


async def test_the_chat_keeps_to_its_end_as_an_answer_grows_unless_scrolled_up(app):
    """An answer laid out after the scroll that showed it (its last lines a frame late on a
    busy machine) still ends the view; a reader who scrolled up is left where they are."""
    async with app.run_test(size=(80, 24)) as pilot:
        block = await ask(pilot, "how much do prompt engineers make?")
        log = app.query_one("#log")
        await wait_for(pilot, lambda: log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y, tries=500)
        before = log.max_scroll_y
        await block.mount(Static("a line laid out late\nand another"))
        await wait_for(pilot, lambda: log.max_scroll_y > before, tries=500)
        await wait_for(pilot, lambda: log.scroll_y == log.max_scroll_y, tries=500)
        log.scroll_to(y=0, animate=False)
        await wait_for(pilot, lambda: log.scroll_y == 0, tries=500)
        grown = log.max_scroll_y
        await block.mount(Static("one more"))
        await wait_for(pilot, lambda: log.max_scroll_y > grown, tries=500)
        await pilot.pause()
        await pilot.pause()
        assert log.scroll_y == 0


async def test_a_reader_who_moved_up_keeps_their_place_when_the_terminal_resizes(app):
    """Resizing the terminal keeps the chat at its end, but not a reader reading an earlier
    answer; the next question goes to the end again."""
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "how much do prompt engineers make?")
        await ask(pilot, "is it a real job?")
        log = app.query_one("#log")
        await wait_for(pilot, lambda: log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y, tries=500)
        await pilot.resize_terminal(90, 26)
        await wait_for(pilot, lambda: log.scroll_y == log.max_scroll_y, tries=500)
        log.scroll_to(y=0, animate=False)
        await wait_for(pilot, lambda: log.scroll_y == 0, tries=500)
        await pilot.resize_terminal(84, 24)
        await pilot.pause()
        await pilot.pause()
        assert log.scroll_y == 0 and log.max_scroll_y > 0
        await ask(pilot, "will it last?")
        await wait_for(pilot, lambda: log.scroll_y == log.max_scroll_y > 0, tries=500)


@pytest.mark.parametrize("size", [(60, 10), (36, 5), (20, 5), (12, 4)])
async def test_a_small_terminal_starts_and_answers(app, size):
    """A terminal narrower than the sidebar's breakpoint and a few lines high: the app's
    first resize comes before it is mounted, and must not end it."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.is_running
        block = await ask(pilot, "what does it pay?")
        assert block.answer.answered and app.is_running


async def test_a_huge_paste_is_answered_and_shown_cut(app):
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#question", QuestionInput)
        box.value = "what does it pay? " * 6000
        box.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.query(AnswerBlock)) == 1)
        assert app.query_one(AnswerBlock).answer.answered
        assert len(str(app.query_one(QuestionBubble).render())) < 2100


@pytest.mark.parametrize("no_color, off", [("", False), ("1", True)], ids=["empty", "set"])
def test_only_a_non_empty_no_color_turns_the_apps_colour_off(monkeypatch, no_color, off):
    """no-color.org, as Rich and `ask` read it; Textual takes NO_COLOR set at all for off."""
    monkeypatch.setenv("NO_COLOR", no_color)
    assert CareerChat(load=lambda: None).no_color is off


async def test_a_folder_is_welcomed_as_articles(tmp_path):
    from knowledge import KnowledgeBase

    from .conftest import folder_of

    folder_of(tmp_path, "nurse", "pilot")
    app = CareerChat(KnowledgeBase.load(tmp_path, semantic=False), transcript_folder=tmp_path)
    async with app.run_test(size=(80, 24)):
        welcome = str(app.query_one("#welcome", Static).render())
        assert "these 2 articles" in welcome and "this article" not in welcome


async def test_a_notice_never_covers_the_question_box(app):
    from textual.widgets._toast import Toast

    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.notify("Copied the last answer.")
        await wait_for(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        toast, box = app.screen.query(Toast).first(), app.query_one("#question")
        assert toast.region.bottom <= box.region.y, (toast.region, box.region)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_saved_notice_breaks_a_long_path_between_names(kb, tmp_path, monkeypatch, size):
    """"Transcript saved to /home/…/.local/share/career-cha" / "t/transcripts/career-chat-2…":
    the notice broke the path wherever its width ran out. The folders now break after a "/",
    the file name on its own line (after a "-" where even it is too long), the home as ~."""
    from textual.widgets._toast import Toast

    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "documents-of-someone" / "saved-chats-from-work" / "career-chat"
    app = CareerChat(kb, transcript_folder=folder)
    async with app.run_test(size=size, notifications=True) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        toast = app.screen.query(Toast).first()
        shown = [toast.render_line(y).text.strip() for y in range(toast.size.height)]
        path = next(folder.glob("career-chat-*.md"))
        pieces = [line for line in shown if line][2:]  # after "Saved" and "Transcript saved as"
        assert "".join(pieces) == "~/" + str(path.relative_to(tmp_path)), shown
        folders = [n for n, piece in enumerate(pieces) if piece.endswith("/")]
        assert folders == list(range(len(folders))) and "".join(pieces[len(folders) :]) == path.name
        assert all(piece.endswith("-") for piece in pieces[len(folders) : -1]), shown
