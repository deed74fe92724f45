"""The passage viewer: a whole section, the cited sentences highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Footer, Static

from .render import printable, source_name

if TYPE_CHECKING:
    from knowledge import Section


class PassageScreen(Screen):
    """One section in full; Escape returns to the chat where it was. Opened from a source,
    the quoted sentences are marked, the chosen one stands out and is scrolled into view;
    n and p go from one to the next (round again after the last)."""

    QUOTES = Binding.Group("Next/prev quote")  # one footer entry, "n p", fits at 60 columns
    BINDINGS = [
        # A priority key, as the chat's Escape: the letters typed right after it reach the chat.
        Binding("escape", "dismiss", "Back to chat", id="close_passage", priority=True),
        Binding("n", "mark(1)", "Next quote", id="next_quote", group=QUOTES),
        Binding("p", "mark(-1)", "Previous quote", id="previous_quote", group=QUOTES),
    ]
    # The chat's own keys (clear, topics, save, copy) act on a screen that is not shown:
    # here they are hidden and do nothing.
    AUTO_FOCUS = "#passage-scroll"

    DEFAULT_CSS = """
    PassageScreen #passage-title { padding: 1 2 0 2; text-style: bold; color: $accent; }
    PassageScreen #passage-source { padding: 0 2; color: $text-muted; }
    PassageScreen #passage { padding: 1 2; }
    """

    def __init__(
        self,
        section: Section,
        quotes: dict[str, int] | None = None,
        chosen: str | None = None,
        line: int | None = None,
    ) -> None:
        """`quotes`: the quoted sentences to mark, each with its own line (said as n and p
        reach it); `chosen`: the one picked, at `line`."""
        super().__init__()
        self.line = line or section.line  # the cited sentence's own line, when one was picked
        self.section = section
        self.quotes = quotes or {}
        self.chosen = chosen  # the cited sentence the reader picked: it stands out from the rest
        # Where each quoted sentence stands in the passage, in reading order: (start, end, quote).
        self.marks = self._marks()
        self.at = next((n for n, mark in enumerate(self.marks) if mark[2] == chosen), 0)
        self.body = self._body()

    def compose(self) -> ComposeResult:
        yield Static(printable(self.section.label), id="passage-title", markup=False)
        yield Static(self._where(), id="passage-source", markup=False)
        with VerticalScroll(id="passage-scroll"):
            yield Static(self.body, id="passage")
        yield Footer()

    def on_mount(self) -> None:
        if self.marks:
            self.call_after_refresh(self._show_mark)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n and p only where there is more than one quoted sentence to go between."""
        return len(self.marks) > 1 if action == "mark" else True

    def action_mark(self, step: int) -> None:
        self.at = (self.at + step) % len(self.marks)
        self.body = self._body()
        self.query_one("#passage", Static).update(self.body)
        self.query_one("#passage-source", Static).update(self._where())
        self.call_after_refresh(self._show_mark)

    def _where(self) -> str:
        """The file and line of the sentence marked now, and which of the quotes it is."""
        if not self.section.source:
            return ""
        line = self.quotes.get(self.marks[self.at][2], self.line) if self.marks else self.line
        which = f" · quote {self.at + 1} of {len(self.marks)}" if len(self.marks) > 1 else ""
        return f"{source_name(self.section.source)}, line {line}{which}"

    def _paragraphs(self) -> list[tuple[int, str]]:
        """The section's paragraphs as shown, each with where it starts in the body."""
        shown, start = [], 0
        for paragraph in self.section.text.split("\n\n"):
            paragraph = printable(paragraph)
            shown.append((start, paragraph))
            start += len(paragraph) + 2
        return shown

    def _marks(self) -> list[tuple[int, int, str]]:
        marks = []
        for start, paragraph in self._paragraphs():
            for quote in self.quotes:
                at = paragraph.find(printable(quote))
                if at >= 0:
                    marks.append((start + at, start + at + len(printable(quote)), quote))
        return sorted(marks)

    def _body(self) -> Text:
        """The section's paragraphs, the cited sentences highlighted where they stand: the
        one marked now (the one picked, at first) reversed, the others underlined."""
        text = Text("\n\n".join(paragraph for _, paragraph in self._paragraphs()))
        for n, (start, end, _) in enumerate(self.marks):
            text.stylize("bold reverse" if n == self.at else "underline", start, end)
        return text

    def _show_mark(self) -> None:
        """The sentence marked now scrolled into the middle of the view, as the passage is
        wrapped at its width now."""
        passage = self.query_one("#passage", Static)
        width = passage.content_region.width
        if width <= 0 or not self.marks:
            return
        start, end, _ = self.marks[self.at]
        plain = self.body.plain
        # Wrapping a beginning of the text wraps it as the whole is wrapped: the lines up to
        # the sentence's start and end say where it stands (give or take the line before).
        first = len(Content(plain[:start]).wrap(width)) - 1
        last = len(Content(plain[:end]).wrap(width)) - 1
        top = passage.virtual_region.y + passage.gutter.top
        region = Region(0, top + first, width, last - first + 1)
        self.query_one("#passage-scroll", VerticalScroll).scroll_to_region(region, animate=False, center=True, immediate=True)
