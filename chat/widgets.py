"""The chat's widgets: question bubbles, answers with selectable sources, the input."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from knowledge import Answer, Citation
from knowledge.inputs import MAX_QUESTION_CHARS  # the engine reads this much; a longer paste shows cut

from .render import markdown, printable


class QuestionBubble(Static):
    """What the person asked, shown exactly as typed (never read as markup)."""

    DEFAULT_CSS = """
    QuestionBubble { width: 1fr; height: auto; padding: 0 1; margin: 1 0 0 4; background: $boost; color: $text; }
    """

    def __init__(self, question: str) -> None:
        shown = printable(question)
        super().__init__(shown if len(shown) <= MAX_QUESTION_CHARS else shown[:MAX_QUESTION_CHARS] + " …", markup=False)


class AnswerBlock(Vertical):
    """A quoted answer, its missing words, and its sources; a refusal when not covered."""

    DEFAULT_CSS = """
    AnswerBlock { height: auto; margin: 1 0 0 0; padding: 0 1; border-left: thick $primary; }
    AnswerBlock.refusal { border-left: thick $warning; }
    AnswerBlock.partial { border-left: thick $secondary; }
    AnswerBlock Markdown { margin: 0; padding: 0; }
    AnswerBlock OptionList { height: auto; max-height: 5; border: none; padding: 0; margin: 0 0 0 0; }
    """

    class SourceSelected(Message):
        def __init__(self, answer: Answer, marker: int) -> None:
            super().__init__()
            self.answer = answer
            self.marker = marker

    def __init__(self, answer: Answer) -> None:
        classes = "refusal" if not answer.answered else ("partial" if answer.missing else "")
        super().__init__(classes=classes)
        self.answer = answer

    def compose(self):
        body = self.answer
        if body.answered and body.citations:
            yield Markdown(markdown(body, sources=False), open_links=False)
            yield OptionList(
                *[Option(Content(printable(_source_label(c))), id=str(c.marker)) for c in body.citations],
                classes="sources",
            )
        else:
            yield Markdown(markdown(body), open_links=False)

    @on(OptionList.OptionSelected, ".sources")
    def _open_source(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.SourceSelected(self.answer, int(event.option.id or 1)))


def _source_label(citation: Citation) -> str:
    return f"[{citation.marker}] {citation.label} — line {citation.line}"


class QuestionInput(Input):
    """The question box, with earlier questions on up and down."""

    BINDINGS = [
        Binding("up", "history(-1)", "Earlier question", show=False, id="history_previous"),
        Binding("down", "history(1)", "Later question", show=False, id="history_next"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder="Ask about the article, e.g. what does it pay?", **kwargs)
        self.history: list[str] = []
        self._at = 0

    def remember(self, question: str) -> None:
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
        self._at = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._at = max(0, min(len(self.history), self._at + step))
        self.value = self.history[self._at] if self._at < len(self.history) else ""
        self.cursor_position = len(self.value)
