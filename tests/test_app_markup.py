"""Text from an article is never markup in the app.

A heading such as `[@click=app.screenshot(...)]Salary[/]` must show literally in the
sidebar, the examples, the sources, the passage title and the header, and clicking it
must fire nothing but what the app itself does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import OptionList, Static

from chat.app import CareerChat
from chat.screens import PassageScreen
from knowledge import KnowledgeBase

from .test_app import ask, wait_for

HOSTILE_HEADINGS = [
    "[@click=app.screenshot('pwned.svg','{dir}')]Salary details[/]",
    '[link="file:///etc/passwd"]Pay and perks[/link]',
    "Pros [and cons] of [/] the job",
    "[Updated] Salaries [b]now[/b]",
]


def hostile_article(folder: Path) -> Path:
    body = "\n".join(
        f"## {heading.format(dir=folder)}\n\nThe salary is paid monthly in section {n}. Pay rises every year here.\n"
        for n, heading in enumerate(HOSTILE_HEADINGS)
    )
    path = folder / "hostile.md"
    path.write_text(f'---\ntitle: "[@click=app.quit]Pay[/]"\n---\n\nWhat this guide says about pay.\n\n{body}', encoding="utf-8")
    return path


def option_texts(options: OptionList) -> list[str]:
    return [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]


async def test_headings_full_of_markup_show_literally_and_click_to_nothing(tmp_path):
    kb = KnowledgeBase.load(hostile_article(tmp_path))
    app = CareerChat(kb, transcript_folder=tmp_path)
    headings = [h.format(dir=tmp_path) for h in HOSTILE_HEADINGS]
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.title == "[@click=app.quit]Pay[/]"
        header = app.screen.query_one("HeaderTitle")
        assert "[@click=app.quit]Pay[/]" in str(header.render())
        topics = app.query_one("#topics", OptionList)
        assert option_texts(topics)[1:] == headings
        for prompt in (topics.get_option_at_index(i).prompt for i in range(topics.option_count)):
            assert not prompt.spans  # no style, link or action came from the text
        examples = option_texts(app.query_one("#examples", OptionList))
        assert any(headings[0].lower() in e for e in examples)

        await pilot.click("#topics", offset=(3, 1))  # the @click heading, with the mouse
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen) and app.screen.query("#passage-title"))
        title = app.screen.query_one("#passage-title", Static)
        assert str(title.render()) == headings[0]
        await pilot.click("#passage-title", offset=(3, 0))
        await pilot.pause()
        assert not list(tmp_path.glob("*.svg")) and app.is_running
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PassageScreen))

        block = await ask(pilot, "when is the salary paid")
        sources = block.query_one(".sources", OptionList)
        headers = [sources.get_option_at_index(i).prompt.plain for i in range(sources.option_count) if sources.get_option_at_index(i).disabled]
        assert headers and all(any(h in label for h in headings) for label in headers)
        assert not any(sources.get_option_at_index(i).prompt.spans for i in range(sources.option_count))
    assert not list(tmp_path.glob("*.svg"))


async def test_a_closing_tag_heading_does_not_crash_the_app(tmp_path):
    path = tmp_path / "closing.md"
    path.write_text("# [/]\n\nThe pay is good.\n\n## [/b] Hours [/\n\nThe hours are long.\n", encoding="utf-8")
    app = CareerChat(KnowledgeBase.load(path), transcript_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert option_texts(app.query_one("#topics", OptionList)) == ["[/]", "[/b] Hours [/"]
        await ask(pilot, "what about the hours")
    assert app.return_code in (0, None)


marked_text = (
    st.lists(
        st.sampled_from(list("[]/\\@=()'\"$#*_`<>ab ") + ["[b]", "[/]", "[@click=app.quit]", "[link=x]", "\\[", "pay"]),
        min_size=1,
        max_size=14,
    )
    .map(lambda parts: " ".join("".join(parts).split()))
    .filter(lambda s: any(c.isalnum() for c in s))
)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(heading=marked_text, sentence=marked_text)
async def test_any_heading_or_sentence_shows_as_written(tmp_path_factory, heading, sentence):
    folder = tmp_path_factory.mktemp("article")
    path = folder / "random.md"
    path.write_text(f"# Guide\n\nThe pay is good.\n\n## {heading}\n\nThe salary is {sentence} here.\n", encoding="utf-8")
    kb = KnowledgeBase.load(path)
    app = CareerChat(kb, transcript_folder=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        shown = option_texts(app.query_one("#topics", OptionList))
        assert shown == [s.title for s in kb.sections]
        app.open_passage(kb.sections[-1])
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen) and app.screen.query("#passage-title"))
        assert str(app.screen.query_one("#passage-title", Static).render()) == kb.sections[-1].title
        assert app.screen.body.plain == kb.sections[-1].text
    assert app.return_code in (0, None)
