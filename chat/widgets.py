"""The chat's widgets: question bubbles, answers with selectable sources, the input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from knowledge.inputs import MAX_QUESTION_CHARS, question_text

from .render import markdown, printable, source_name

if TYPE_CHECKING:
    from knowledge import Answer, Citation


class ChatLog(VerticalScroll, can_focus=False):
    """The conversation, newest at the bottom; it stays there when the terminal resizes.
    Not a focus stop of its own: Tab goes from the question box to sources and topics."""

    def on_resize(self) -> None:
        self.call_after_refresh(self.scroll_end, animate=False)


class QuestionBubble(Static):
    """What the person asked, shown exactly as typed (never read as markup)."""

    DEFAULT_CSS = """
    QuestionBubble { width: 1fr; height: auto; padding: 0 1; margin: 1 0 0 4; background: $boost; color: $text; }
    """

    def __init__(self, question: str) -> None:
        self.question = question
        shown = printable(question)
        # A long paste shows what was read as the question: its last sentences.
        super().__init__(shown if len(shown) <= MAX_QUESTION_CHARS else "… " + question_text(shown), markup=False)


class AnswerBlock(Vertical):
    """A quoted answer, its missing words, and its sources; a refusal when not covered."""

    DEFAULT_CSS = """
    AnswerBlock { height: auto; margin: 1 0 0 0; padding: 0 1; border-left: thick $success; }
    AnswerBlock.partial { border-left: thick $warning; }
    AnswerBlock.closest { border-left: dashed $warning; }
    AnswerBlock.none { border-left: thick $error; }
    AnswerBlock.smalltalk { border-left: thick $panel; }
    AnswerBlock Markdown { margin: 0; padding: 0; }
    AnswerBlock OptionList { height: auto; max-height: 8; border: none; padding: 0; margin: 0 0 0 0; }
    """

    class SourceSelected(Message):
        def __init__(self, answer: Answer, marker: int) -> None:
            super().__init__()
            self.answer = answer
            self.marker = marker

    def __init__(self, answer: Answer) -> None:
        # The outcome is drawn as well as said: a green bar when covered, amber when partly
        # or only the closest passage (dashed), red when not covered.
        super().__init__(classes="smalltalk" if answer.suggestions else answer.coverage)
        self.answer = answer

    def compose(self):
        from textual.widgets import Markdown  # its parser costs 30 ms: not before the first answer

        body = self.answer
        if body.answered and body.citations:
            yield Markdown(markdown(body, sources=False), open_links=False)
            sources = SourceList(*source_options(body.citations), classes="sources")
            sources.links = {c.marker: c.url for c in body.citations if c.url}
            yield sources
        else:
            yield Markdown(markdown(body), open_links=False)

    @on(OptionList.OptionSelected, ".sources")
    def _open_source(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.SourceSelected(self.answer, int(event.option.id or 1)))


def source_options(citations: list[Citation], preview: int = 36) -> list[Option]:
    """Sources grouped by section: the section's label once (not selectable), then each
    citation with its line and the start of its quote, so no two rows read the same."""
    options: list[Option] = []
    section = None
    for citation in citations:
        if citation.section_id != section:
            section = citation.section_id
            where = f"{citation.label} — {source_name(citation.source)}" if citation.source else citation.label
            options.append(Option(Content(printable(where)), disabled=True))
        quote = printable(citation.quote)
        short = quote if len(quote) <= preview else quote[: preview - 1].rstrip() + "…"
        options.append(Option(Content(f"  [{citation.marker}] line {citation.line}: “{short}”"), id=str(citation.marker)))
    return options


class SourceList(OptionList):
    """An answer's sources: highlighted only while focused, so no row looks chosen at rest.
    A web article's source opens its page at the quoted sentence on "o" (the link is also
    copied, for a terminal with no browser at hand)."""

    BINDINGS = [Binding("o", "open_link", "Open the page at this sentence", id="open_link")]
    links: dict[int, str] = {}

    def action_open_link(self) -> None:
        option = self.highlighted_option
        url = self.links.get(int(option.id)) if option is not None and option.id else None
        if url is None:
            self.notify("This source is not a web page; Enter shows its passage.", timeout=4)
            return
        self.app.copy_to_clipboard(url)
        self.app.open_url(url)
        self.notify("Opened in the browser (the link is copied too).", timeout=4)

    def on_mount(self) -> None:
        self.highlighted = None

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.highlighted = next(i for i in range(self.option_count) if not self.get_option_at_index(i).disabled)

    def on_blur(self) -> None:
        self.highlighted = None


class QuestionInput(Input):
    """The question box, with earlier questions on up and down."""

    BINDINGS = [
        Binding("up", "history(-1)", "Earlier question", show=False, id="history_previous"),
        Binding("down", "history(1)", "Later question", show=False, id="history_next"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder="Ask a question, e.g. what does it pay?", **kwargs)
        self.history: list[str] = []
        self._at = 0
        self._draft = ""  # what was typed before going back through the history

    def remember(self, question: str) -> None:
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
        self._at = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._at == len(self.history):
            self._draft = self.value
        self._at = max(0, min(len(self.history), self._at + step))
        self.value = self.history[self._at] if self._at < len(self.history) else self._draft
        self.cursor_position = len(self.value)
