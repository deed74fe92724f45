"""The passage viewer: a whole section, the cited sentences highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from .render import printable, source_name

if TYPE_CHECKING:
    from knowledge import Section


class PassageScreen(Screen):
    """One section in full; Escape returns to the chat where it was."""

    BINDINGS = [Binding("escape", "dismiss", "Back to chat", id="close_passage")]
    # The chat's own keys (clear, topics, save, copy) act on a screen that is not shown:
    # here they are hidden and do nothing.
    AUTO_FOCUS = "#passage-scroll"

    DEFAULT_CSS = """
    PassageScreen #passage-title { padding: 1 2 0 2; text-style: bold; color: $accent; }
    PassageScreen #passage-source { padding: 0 2; color: $text-muted; }
    PassageScreen #passage { padding: 1 2; }
    """

    def __init__(
        self, section: Section, highlight: set[str] | None = None, chosen: str | None = None, line: int | None = None
    ) -> None:
        super().__init__()
        self.line = line or section.line  # the cited sentence's own line, when one was picked
        self.section = section
        self.highlight = highlight or set()
        self.chosen = chosen  # the cited sentence the reader picked: it stands out from the rest
        self.body = self._body()

    def compose(self) -> ComposeResult:
        yield Static(printable(self.section.label), id="passage-title", markup=False)
        where = f"{source_name(self.section.source)}, line {self.line}" if self.section.source else ""
        yield Static(where, id="passage-source", markup=False)
        with VerticalScroll(id="passage-scroll"):
            yield Static(self.body, id="passage")
        yield Footer()

    def _body(self) -> Text:
        """The section's paragraphs, the cited sentences highlighted where they stand."""
        text = Text()
        for n, paragraph in enumerate(self.section.text.split("\n\n")):
            if n:
                text.append("\n\n")
            start = len(text)
            paragraph = printable(paragraph)
            text.append(paragraph)
            for quote in self.highlight:
                at = paragraph.find(printable(quote))
                if at >= 0:
                    style = "bold reverse" if quote == self.chosen or self.chosen is None else "underline"
                    text.stylize(style, start + at, start + at + len(printable(quote)))
        return text
