"""The app and CLI as a newcomer finds them: conversation, sources, passage screen."""

from __future__ import annotations

from textual.widgets import Markdown, OptionList

from chat.app import CareerChat
from chat.conversation import Conversation
from chat.screens import PassageScreen
from chat.widgets import AnswerBlock, QuestionBubble, QuestionInput

from .test_app import ask, held_load, wait_for
from .test_cli import run

LEAD = "the-making-of-ai-interactions-is-it-an-employable-skill"


async def open_first_source(pilot, block: AnswerBlock) -> PassageScreen:
    app = pilot.app
    block.query_one(".sources", OptionList).focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
    return app.screen


async def test_greeting_then_a_new_question_are_each_their_own(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        first = await ask(pilot, "is it a real job?")
        hello = await ask(pilot, "hi")
        assert hello.has_class("smalltalk") and not hello.answer.citations and hello.answer.suggestions
        new = await ask(pilot, "what is a prompt engineer?")
        assert new.answer.section_id == LEAD != first.answer.section_id


def test_follow_ups_glue_only_when_they_cannot_stand_alone(kb):
    conversation = Conversation(kb)
    first = conversation.ask("is it a real job?")
    for complete in ("what is a prompt engineer?", "thanks!", "whats the catch lol"):
        conversation.ask(complete)
        assert conversation.turns[-1].basis == complete  # read on its own, never glued to the last
    assert conversation.turns[1].answer.section_id != first.section_id
    conversation = Conversation(kb)
    first = conversation.ask("is it a real job?")
    why = conversation.ask("why?")
    assert why.section_id in (first.section_id, None)
    assert not {c.quote for c in why.citations} & {c.quote for c in first.citations}  # never a repeat


async def test_ctrl_l_on_the_passage_screen_leaves_the_chat_alone(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "what does it pay?")
        passage = await open_first_source(pilot, block)
        await pilot.press("ctrl+l", "ctrl+b")
        await pilot.pause()
        assert app.screen is passage and len(app.conversation.turns) == 1
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}
        assert shown == {"escape", "n", "p", "ctrl+q"}  # the footer offers only what works here
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PassageScreen))
        assert len(app.query(AnswerBlock)) == 1 and app.query_one("#sidebar").display


async def test_escape_from_a_passage_then_typing_reaches_the_question_box(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "what does it pay?")
        await open_first_source(pilot, block)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PassageScreen))
        await pilot.press("w", "h", "y")
        assert app.query_one("#question", QuestionInput).value == "why"


async def test_the_chosen_source_stands_out_in_its_passage(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "what does it pay?")
        sources = block.query_one(".sources", OptionList)
        sources.focus()
        await pilot.press("down")  # the second source row
        marker = int(sources.get_option_at_index(sources.highlighted).id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen))
        body = app.screen.body
        styles = {body.plain[s.start : s.end]: str(s.style) for s in body.spans}
        chosen = block.answer.citations[marker - 1].quote
        assert styles[chosen] == "bold reverse"
        others = [c.quote for c in block.answer.citations if c.quote != chosen]
        assert all(styles[q] == "underline" for q in others)


async def test_no_hidden_focus_stops_and_sources_rest_unhighlighted(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "what does it pay?")
        chain = [w.id or type(w).__name__ for w in app.screen.focus_chain]
        assert "log" not in chain and "VerticalScroll" not in chain
        assert block.query_one(".sources", OptionList).highlighted is None


async def test_up_then_down_keeps_the_draft(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.press(*"half typed")
        await pilot.press("up")
        assert app.query_one("#question", QuestionInput).value == "what does it pay?"
        await pilot.press("down")
        assert app.query_one("#question", QuestionInput).value == "half typed"


async def test_escape_closes_the_keys_panel(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_show_help_panel()
        await wait_for(pilot, lambda: bool(app.screen.query("HelpPanel")))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.screen.query("HelpPanel"))


async def test_small_screens_and_resizes(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for question in ("what does it pay?", "is it a real job?", "will it last?", "how do I start?"):
            await ask(pilot, question)
        await pilot.resize_terminal(80, 24)
        log = app.query_one("#log")
        await wait_for(pilot, lambda: log.scroll_y >= log.max_scroll_y - 1 and log.max_scroll_y > 0)
        assert app.query_one("#sidebar").display
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: not app.query_one("#sidebar").display)
        await pilot.press("ctrl+b")  # the person's choice wins over the width
        assert app.query_one("#sidebar").display


async def test_a_long_paste_keeps_its_question_and_says_it_was_cut(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        box = app.query_one("#question", QuestionInput)
        box.value = "I have been reading a lot about careers in AI lately. " * 60 + "So my question is: what does it pay?"
        box.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.query(AnswerBlock)) == 1)
        assert app.query_one(AnswerBlock).answer.section_id == "compensation"
        assert str(app.query_one(QuestionBubble).render()).endswith("So my question is: what does it pay?")
        assert any("only its last sentences were read" in str(n.message) for n in app._notifications)


def test_source_lines_are_the_same_from_any_folder(tmp_path):
    lines = set()
    for folder in (tmp_path, tmp_path.parent, tmp_path / "deeper"):
        folder.mkdir(exist_ok=True)
        result = run("ask", "what does it pay", cwd=folder)
        lines.add(result.stdout.split("Sources\n", 1)[1])
    assert len(lines) == 1 and "making-of-ai-interactions.md:" in lines.pop()


def test_library_details(kb):
    import pytest

    with pytest.raises(TypeError, match="a question is a string"):
        kb.ask(42)
    with pytest.raises(KeyError, match="no section has the id 'nope'"):
        kb.section("nope")
    assert kb.search("how do I bake sourdough bread") == []
    assert kb.search("what does it pay")[0].section_id == "compensation"


async def test_the_question_box_shows_before_the_article_loads(kb, tmp_path):
    slow_load, release = held_load(kb)
    app = CareerChat(transcript_folder=tmp_path, load=slow_load)
    async with app.run_test(size=(100, 30)) as pilot:
        box = app.query_one("#question", QuestionInput)
        assert box.has_focus and app.query_one("#loading")
        await pilot.press(*"what does it pay?", "enter")  # typed while loading
        await pilot.pause()
        assert len(app.query(QuestionBubble)) == 1 and not app.query(AnswerBlock)
        release.set()
        await wait_for(pilot, lambda: len(app.query(AnswerBlock)) == 1, tries=500)
        assert app.query_one(AnswerBlock).answer.section_id == "compensation"
        assert not app.query("#loading") and app.query("#examples")


async def test_an_article_that_cannot_load_ends_the_app_with_its_message(tmp_path):
    from knowledge import ArticleError

    def broken():
        raise ArticleError("x.md: is a binary file, not a markdown article; give a .md text file")

    app = CareerChat(transcript_folder=tmp_path, load=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.load_error is not None, tries=300)
    assert app.return_code == 2 and "binary" in app.load_error


async def test_chat_keys_appear_once_the_article_has_loaded(kb, tmp_path):
    app = CareerChat(transcript_folder=tmp_path, load=lambda: kb)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.kb is not None and app.query("#examples"), tries=300)
        await pilot.pause()
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}
        assert {"ctrl+l", "ctrl+s", "ctrl+y", "ctrl+b", "ctrl+q"} <= shown


async def test_a_frontmatter_source_opens_the_frontmatter_with_its_line_marked(tmp_path):
    from knowledge import KnowledgeBase

    from .conftest import DATA

    nurses = KnowledgeBase.load(DATA / "nurse.md", semantic=False)
    app = CareerChat(nurses, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "who wrote this?")
        passage = await open_first_source(pilot, block)
        assert passage.section.title == "About the article"
        styles = {passage.body.plain[s.start : s.end]: str(s.style) for s in passage.body.spans}
        assert styles["author: Marisol Vega, RN"] == "bold reverse"


async def test_thanks_and_the_end_of_a_passage_are_replies_not_refusals(kb, tmp_path):
    """Drawn neither red nor as "not covered": nothing was refused."""
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        thanks = await ask(pilot, "thanks!")
        assert thanks.has_class("smalltalk") and not thanks.has_class("none")
        refused = await ask(pilot, "how do I bake sourdough bread?")
        assert refused.has_class("none")


async def test_a_source_from_an_article_file_offers_no_page_to_open(kb, tmp_path):
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "what does it pay?")
        block.query_one(".sources", OptionList).focus()
        await pilot.pause()
        assert "o" not in {b.binding.key for b in app.screen.active_bindings.values()}


async def test_an_article_of_one_section_shows_no_empty_examples_box(tmp_path):
    from knowledge import KnowledgeBase

    article = tmp_path / "one.md"
    article.write_text("# Welding\n\nWelders join metal with heat. Most train for two years.\n", encoding="utf-8")
    kb = KnowledgeBase.load(article, semantic=False)
    assert kb.examples() == []
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.query_one("#welcome") and not app.query("#examples")
        await ask(pilot, "how long do welders train?")
        assert app.query_one(AnswerBlock).answer.citations


async def test_a_folders_refusal_names_the_article_of_each_nearest_topic(tmp_path):
    """"Burnout and stress" is in more than one career's article: a refusal in the app says
    whose, as `ask` and the web page do."""
    from knowledge import KnowledgeBase

    from .conftest import folder_of

    articles = KnowledgeBase.load(folder_of(tmp_path, "nurse", "pilot"), semantic=False)
    app = CareerChat(articles, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        refused = await ask(pilot, "what is the capital of France?")
        assert refused.has_class("none") and refused.nearest
        nurses = articles.articles[0].title
        assert all(name.endswith(f" ({nurses})") for name in refused.nearest)
        assert "(Is Nursing Still a Good Career" in refused.query_one(Markdown).source


async def test_a_folders_topics_are_grouped_under_their_articles(tmp_path):
    """A folder's topics were one flat list: the next article's title read as one more topic
    of the last ("7 Who it suits", "Final verdict", "8 Reasons to Become a Data Analyst").
    Each article's title stands out, a rule between articles; one with no opening passage of
    its title has the title as a heading that cannot be picked."""
    from knowledge import KnowledgeBase

    from .conftest import folder_of

    (tmp_path / "articles").mkdir()
    folder = folder_of(tmp_path / "articles", "accountant", "analyst")
    (folder / "plain.md").write_text("# Plain Jobs\n\n## Pay\n\nThe pay is good.\n", encoding="utf-8")
    articles = KnowledgeBase.load(folder, semantic=False)
    app = CareerChat(articles, transcript_folder=tmp_path)
    async with app.run_test(size=(100, 80)) as pilot:  # every topic on screen
        await pilot.pause()
        topics = app.query_one("#topics", OptionList)
        rows = [topics.get_option_at_index(i) for i in range(topics.option_count)]
        titled = [r.prompt.plain for r in rows if "bold" in str(r.prompt.spans)]
        assert titled == [a.title for a in articles.articles]
        assert [r.id for r in rows if not r.disabled] == [s.id for s in articles.sections]  # each opens
        assert [r.prompt.plain for r in rows if r.disabled] == ["Plain Jobs"]
        lines = [topics.render_line(y).text.strip() for y in range(topics.size.height)]
        assert sum(bool(line) and set(line) == {"─"} for line in lines) == 2  # a rule between articles


def footer_keys(app) -> dict[str, str]:
    """The keys the footer shows now, with what each says."""
    return {b.binding.key: b.binding.description for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}


async def test_the_way_to_a_sources_passage_is_said_where_it_is_needed(kb, tmp_path):
    """Nothing said that Tab reaches an answer's sources and Enter opens one's passage: the
    empty question box says tab once an answer has sources, and a focused source, topic or
    example says in the footer what Enter does."""
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#question", QuestionInput)
        assert "tab" not in box.placeholder  # no sources yet: tab goes to the examples
        await ask(pilot, "how do I bake sourdough bread?")
        assert "tab" not in box.placeholder  # a refusal has none either
        block = await ask(pilot, "what does it pay?")
        assert "press tab for the sources" in box.placeholder
        await pilot.press("tab")
        assert app.focused is block.query_one(".sources", OptionList)
        assert footer_keys(app)["enter"] == "Open passage"
        await pilot.press("tab")
        assert app.focused.id == "examples" and footer_keys(app)["enter"] == "Ask it"
        await pilot.press("tab")
        assert app.focused.id == "topics" and footer_keys(app)["enter"] == "Open passage"
        await pilot.press("escape")
        assert app.focused is box and "enter" not in footer_keys(app)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: not app.query(AnswerBlock))
        assert "tab" not in box.placeholder


def long_passage(folder):
    """An article whose first section runs far past a 24-line screen, three sentences about
    pay in it: at its start, in the middle and at its end."""
    from knowledge import KnowledgeBase

    filler = "talks about shop safety, gloves, goggles and the long hours spent at a bench."
    paragraphs = ["Welders earn a steady wage in most towns. The first year is the hardest."]
    paragraphs += [f"Paragraph {n} {filler}" for n in range(12)]
    paragraphs += ["Pipeline welders can earn far more than the town average. Travel is part of it."]
    paragraphs += [f"Later paragraph {n} {filler}" for n in range(12)]
    paragraphs += ["Underwater welders are paid the most of all welders. They need diving certificates too."]
    article = folder / "welding.md"
    article.write_text("# Welding\n\n## Pay\n\n" + "\n\n".join(paragraphs) + "\n\n## Training\n\nIt takes two years.\n", encoding="utf-8")
    return KnowledgeBase.load(article, semantic=False)


def on_screen(passage: PassageScreen) -> tuple[str, str]:
    """The passage's text in view, and the part of it drawn reversed (the sentence marked now)."""
    body, scroll = passage.query_one("#passage"), passage.query_one("#passage-scroll")
    top = round(scroll.scroll_y) - body.virtual_region.y
    strips = [body.render_line(y) for y in range(max(0, top), min(body.size.height, top + scroll.size.height))]
    shown = " ".join(strip.text.strip() for strip in strips)
    marked = " ".join("".join(s.text for s in strip if s.style and s.style.reverse).strip() for strip in strips)
    return " ".join(shown.split()), " ".join(marked.split())


async def test_a_passage_shows_its_chosen_sentence_and_goes_between_its_quotes_on_n_and_p(tmp_path):
    """A source whose sentence stood below the screen opened its passage at the top, the
    sentence out of sight; and nothing went from one quoted sentence to the next."""
    kb = long_passage(tmp_path)
    section = kb.sections[0]
    first, middle, last = (
        "Welders earn a steady wage in most towns.",
        "Pipeline welders can earn far more than the town average.",
        "Underwater welders are paid the most of all welders.",
    )
    lines = {first: 5, middle: 31, last: 57}
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_passage(section, lines, last, 57)
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen) and app.screen.query("#passage"))
        passage = app.screen
        await wait_for(pilot, lambda: on_screen(passage)[1] == last)
        assert first not in on_screen(passage)[0]  # the passage is longer than the screen
        assert footer_keys(app)["n"] == "Next quote" and footer_keys(app)["p"] == "Previous quote"
        where = passage.query_one("#passage-source")
        assert str(where.render()) == "welding.md, line 57 · quote 3 of 3"
        await pilot.press("n")  # round again, to the first
        await wait_for(pilot, lambda: on_screen(passage)[1] == first)
        assert str(where.render()) == "welding.md, line 5 · quote 1 of 3"
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(passage)[1] == middle)
        await pilot.press("p", "p")
        await wait_for(pilot, lambda: on_screen(passage)[1] == last)
        styles = {passage.body.plain[s.start : s.end]: str(s.style) for s in passage.body.spans}
        assert styles == {first: "underline", middle: "underline", last: "bold reverse"}
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PassageScreen))
        app.open_passage(section)  # a topic: nothing quoted, nothing to go between
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen) and app.screen.query("#passage"))
        assert not {"n", "p"} & set(footer_keys(app))


def test_the_loading_line_says_what_is_loading(tmp_path):
    """"Loading the article…" was said of a folder of articles too."""
    from chat.app import loading_text

    from .conftest import folder_of

    folder_of(tmp_path, "nurse", "pilot")
    assert loading_text(str(tmp_path)) == "Loading the articles…"
    assert loading_text(str(tmp_path / "nurse.md")) == loading_text(None) == "Loading the article…"
    assert loading_text("https://example.org/careers/nurse") == "Loading the web page…"


def keys_seen_in_the_footer(app) -> set[str]:
    """The keys whose footer entry can be seen whole on the bottom row, not under another."""
    from textual.widgets._footer import FooterKey

    row = app.size.height - 1
    seen: dict[FooterKey, int] = {}
    for x in range(app.size.width):
        widget, _ = app.screen.get_widget_at(x, row)
        if isinstance(widget, FooterKey):
            seen[widget] = seen.get(widget, 0) + 1
    return {key.key for key, columns in seen.items() if columns == key.region.width}


async def test_at_60_columns_a_focused_source_leaves_the_chats_keys_in_the_footer(kb, tmp_path):
    """"Open passage" before the chat's keys pushed ^s and ^y under the palette's key."""
    app = CareerChat(kb, transcript_folder=tmp_path)
    async with app.run_test(size=(60, 24)) as pilot:
        block = await ask(pilot, "what does it pay?")
        block.query_one(".sources", OptionList).focus()
        await wait_for(pilot, lambda: "enter" in keys_seen_in_the_footer(app))
        assert {"enter", "ctrl+q", "ctrl+b", "ctrl+s", "ctrl+y"} <= keys_seen_in_the_footer(app)
        await pilot.resize_terminal(100, 24)  # wide: the palette's key is back
        await wait_for(pilot, lambda: "ctrl+p" in keys_seen_in_the_footer(app))
        assert {"enter", "ctrl+s", "ctrl+y"} <= keys_seen_in_the_footer(app)
