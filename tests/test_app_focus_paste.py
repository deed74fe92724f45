"""The app as a newcomer finds it: pastes, visible focus, Tab order, refusals, widths."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Markdown, OptionList

from chat.app import CareerChat
from chat.render import topic_label
from chat.widgets import AnswerBlock, QuestionBubble, QuestionInput, SourceList

from .test_app import ask, wait_for


def row_on_screen(app, options: OptionList) -> bool:
    """The highlighted row of `options` lies inside the chat log's visible part, not under
    the question box."""
    assert options.highlighted is not None
    line = options._index_to_line[options.highlighted] - round(options.scroll_y)
    y = options.content_region.y + line
    log = app.query_one("#log").content_region
    box = app.query_one("#question").region
    return log.y <= y < log.bottom and not (box.y <= y < box.bottom) and 0 <= y < app.size.height


async def test_a_three_line_paste_is_one_question_and_is_answered(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        box = app.query_one("#question", QuestionInput)
        paste = "I read your article.\nIs prompt engineering stable enough to support a family?\nAlso, what does it pay?"
        box.post_message(events.Paste(paste))
        await wait_for(pilot, lambda: "what does it pay?" in box.value)
        assert box.value == " ".join(paste.split("\n"))  # every line, none cut
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.query(AnswerBlock)) == 1)
        assert app.query_one(QuestionBubble).question == " ".join(paste.split("\n"))
        answer = app.query_one(AnswerBlock).answer
        assert answer.answered and answer.citations and len(app.query(QuestionBubble)) == 1


async def test_tab_goes_to_the_newest_answer_first_and_its_row_is_on_screen(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        blocks = [await ask(pilot, q) for q in ("what does it pay?", "is it a real job?", "will it last?")]
        lists = [b.query_one(SourceList) for b in blocks]
        await pilot.press("tab")
        await wait_for(pilot, lambda: lists[2].has_focus)
        await pilot.press("tab", "tab")  # back to the oldest answer's sources
        await wait_for(pilot, lambda: lists[0].has_focus)
        await wait_for(pilot, lambda: row_on_screen(app, lists[0]))
        await pilot.press("shift+tab", "down", "down")  # forward again: the middle answer
        await wait_for(pilot, lambda: lists[1].has_focus)
        await wait_for(pilot, lambda: row_on_screen(app, lists[1]))
        assert lists[1].highlighted is not None and lists[0].highlighted is None


async def test_tab_then_enter_typed_at_once_opens_the_source(kb, tmp_path):
    """Tab moved focus only once the app's queue reached it: an Enter typed right after it
    (typed ahead, pasted, sent by tmux, on a busy machine) went to the question box and was
    answered "Type a question first"."""
    from chat.screens import PassageScreen

    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.pause()
        app.post_message(events.Key("tab", "\t"))  # both queued before either is handled
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
        assert not app._notifications


async def test_tab_into_topics_highlights_a_row_and_enter_opens_it(kb, tmp_path):
    from chat.screens import PassageScreen

    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "what does it pay?")
        topics = app.query_one("#topics", OptionList)
        for _ in range(6):
            if topics.has_focus:
                break
            await pilot.press("tab")
        assert topics.has_focus and topics.highlighted == 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
        assert app.screen.section.id == kb.sections[0].id


async def test_enter_on_a_list_with_no_row_highlights_its_first(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        examples = app.query_one("#examples", OptionList)
        examples.focus()
        await pilot.pause()
        examples.highlighted = None
        await pilot.press("enter")
        assert examples.highlighted == 0 and not app.query(AnswerBlock)


async def test_refusals_name_three_topics_and_keep_the_question_spelling(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "how do I bake bread in Germany?")
        source = block.query_one(Markdown).source
        assert "Nearest topics:" in source and f"(the topics list, ctrl+b, has all {len(kb.sections)})" in source
        assert source.count(" · ") <= 2 + 3 * source.count("Factor")  # three topics, not twelve
        assert "Germany" in source and "germany" not in source


async def test_one_source_row_per_line_and_quotes_as_wide_as_there_is_room(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        block = await ask(pilot, "what does it pay?")
        sources = block.query_one(SourceList)
        rows = [sources.get_option_at_index(i).prompt.plain for i in range(sources.option_count)]
        lines = [c.line for c in block.answer.citations]
        assert sum("line " in r for r in rows) == len(set(lines)) < len(lines)
        drawn = [sources.render_line(y).text.strip() for y in range(sources.option_count)]
        assert max(len(row) for row in drawn[1:]) > 100  # citation rows far wider than a 36-character cut
        text = block.query_one(Markdown)
        assert text.size.width <= 100  # a readable measure on a wide screen


async def test_escape_returns_to_the_newest_answer(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        for question in ("what does it pay?", "is it a real job?", "will it last?"):
            await ask(pilot, question)
        log = app.query_one("#log")
        await wait_for(pilot, lambda: log.max_scroll_y > 0)
        log.scroll_home(animate=False)
        await wait_for(pilot, lambda: log.scroll_y == 0)
        await pilot.press("escape")
        await wait_for(pilot, lambda: log.scroll_y >= log.max_scroll_y - 1)
        assert app.query_one("#question").has_focus


async def test_narrow_screens_never_squeeze_the_chat_beside_the_sidebar(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "what does it pay?")
        sidebar, main = app.query_one("#sidebar"), app.query_one("#main")
        await pilot.press("ctrl+b", "ctrl+b")  # hidden, then shown again by choice
        await wait_for(pilot, lambda: sidebar.display)
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: not sidebar.display)  # hides itself after ctrl+b showed it
        assert main.display and main.size.width >= 58
        await pilot.press("ctrl+b")  # shown by choice at 60 columns: in the chat's place
        await wait_for(pilot, lambda: sidebar.display and not main.display)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not sidebar.display and main.display)
        assert app.query_one("#question").has_focus
        # Hidden by ctrl+b on the narrow screen, they only stopped covering the chat: widened,
        # the sidebar is back beside it.
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: sidebar.display and not main.display)
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: not sidebar.display and main.display)
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: sidebar.display and main.display)


async def test_a_cited_source_opens_at_its_own_line(kb, tmp_path):
    from chat.screens import PassageScreen

    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "what does it pay?")
        sources = block.query_one(SourceList)
        sources.focus()
        await pilot.press("down")
        marker = int(sources.get_option_at_index(sources.highlighted).id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
        cited = block.answer.citations[marker - 1]
        where = str(app.screen.query_one("#passage-source").render())
        assert where.split(" · ")[0].endswith(f"line {cited.line}") and cited.line != kb.section(cited.section_id).line


async def test_topics_that_come_after_the_screen_keep_every_wrapped_line(kb, tmp_path):
    """At 80x20 the topics scroll: the scrollbar narrows them after they were measured, and
    "1 Full Employment Options" showed as "1 Full Employment" (its second line lost)."""
    app = CareerChat(load=lambda: kb, transcript_folder=tmp_path)  # as `career-chat` loads
    async with app.run_test(size=(80, 20)) as pilot:
        await wait_for(pilot, lambda: app.query("#examples"), tries=300)
        topics = app.query_one("#topics", OptionList)
        await wait_for(pilot, lambda: topics.show_vertical_scrollbar)
        await pilot.pause()
        page = topics.scrollable_content_region.height
        shown = []
        for top in range(0, topics.virtual_size.height, page):
            topics.scroll_to(y=top, animate=False, immediate=True)
            await pilot.pause()
            shown += [topics.render_line(y).text.strip() for y in range(page)]
        text = " ".join(" ".join(shown).split())
        for section in kb.sections:
            assert topic_label(section) in text


async def test_back_from_a_topic_on_a_narrow_screen_focus_is_where_it_can_be_seen(kb, tmp_path):
    """At 60 columns the topics cover the chat: back from a topic's passage, the keys went to
    the hidden question box (typing asked unseen, up and down did not move the list)."""
    from chat.screens import PassageScreen

    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        topics = app.query_one("#topics", OptionList)
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: topics.has_focus)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PassageScreen))
        await pilot.pause()
        assert topics.has_focus and topics.highlighted == 1  # the list, at the topic just read
        await pilot.press("escape")  # and Escape goes on to the chat, as from the list before
        await wait_for(pilot, lambda: app.query_one("#main").display)
        assert app.query_one("#question").has_focus


def type_at_once(app, *keys: str) -> None:
    """Keys as a terminal sends them when typed quickly: all queued before the first is
    handled (`pilot.press` waits for each, which no person does)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def _on_a_source(pilot, block) -> None:
    block.query_one(SourceList).focus()
    await wait_for(pilot, lambda: block.query_one(SourceList).has_focus)


async def _in_a_passage(pilot, block) -> None:
    from chat.screens import PassageScreen

    await _on_a_source(pilot, block)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PassageScreen))


async def _on_the_topics(pilot, block) -> None:
    await pilot.resize_terminal(60, 24)
    await pilot.press("ctrl+b")  # at 60 columns the topics cover the chat
    await wait_for(pilot, lambda: pilot.app.query_one("#topics").has_focus)


@pytest.mark.parametrize("where", [_on_a_source, _in_a_passage, _on_the_topics], ids=["source", "passage", "topics"])
async def test_letters_typed_right_after_escape_all_reach_the_question_box(kb, tmp_path, where):
    """Escape then a quick "why": the first letters went to the widget Escape left (its
    focus moved only once the keys queued behind Escape were handed on), and were lost."""
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        block = await ask(pilot, "what does it pay?")
        await where(pilot, block)
        type_at_once(app, "escape", "w", "h", "y")
        box = app.query_one("#question", QuestionInput)
        await wait_for(pilot, lambda: box.value == "why", tries=300)  # "y" or "hy" with a letter lost


def _typed(box: QuestionInput, *lines: str, end: str = "\r") -> None:
    """Lines and their Enters arriving together, as from a terminal that sends them in one
    read (tmux, a paste without bracketed paste, typing ahead on a busy machine): all in the
    box's queue before any is handled, as the app forwards them there (queued to the app
    instead, each is handled before the next, which hides the failure tmux showed)."""
    for line in lines:
        for character in line:
            box.post_message(events.Key(character, character))
        box.post_message(events.Key("enter" if end == "\r" else "ctrl+j", end))


async def test_lines_that_arrive_together_are_asked_each_once_in_order(kb, tmp_path):
    """Enter was a binding, run once the key had gone up to the app, after the keys behind
    it were typed into the box: both sends read "what does it pay?is it a real job?"."""
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        box = app.query_one("#question", QuestionInput)
        _typed(box, "what does it pay?", "is it a real job?")
        await wait_for(pilot, lambda: len(app.query(AnswerBlock)) == 2)
        assert [b.question for b in app.query(QuestionBubble)] == ["what does it pay?", "is it a real job?"]
        assert box.value == ""


async def test_a_question_ended_before_the_app_took_the_terminal_is_asked(kb, tmp_path):
    """Typed as the app started, its line ends in a newline (ctrl+j), not a return: the
    question waited in the box, unasked."""
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        box = app.query_one("#question", QuestionInput)
        _typed(box, "what does it pay?", end="\n")
        await wait_for(pilot, lambda: len(app.query(AnswerBlock)) == 1)
        assert app.query_one(QuestionBubble).question == "what does it pay?" and box.value == ""


async def test_coming_back_to_the_box_keeps_a_half_typed_question_unselected(kb, tmp_path):
    """Escape from a passage selected the unfinished question, so the next key erased it."""
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.press(*"and in")
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.query_one(SourceList).has_focus)
        await pilot.press("escape")
        box = app.query_one("#question", QuestionInput)
        await wait_for(pilot, lambda: box.has_focus)
        await pilot.press(*" Germany?")
        await wait_for(pilot, lambda: box.value.endswith("Germany?"))
        assert box.value == "and in Germany?"
