"""The chat's widgets: question bubbles, answers with selectable sources, the input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from knowledge.inputs import MAX_QUESTION_CHARS, question_text

from .history import QuestionHistory
from .render import is_reply, markdown, printable, source_name

if TYPE_CHECKING:
    from knowledge import Answer, Citation


class ChatLog(VerticalScroll, can_focus=False):
    """The conversation, newest at the bottom; it stays there when the terminal resizes,
    unless the reader has moved up to read. Not a focus stop of its own: Tab goes from the
    question box to sources and topics."""

    def __init__(self, *children, **kwargs) -> None:  # noqa: ANN002, ANN003 - VerticalScroll's
        super().__init__(*children, **kwargs)
        self._following = False
        self._reading = False  # moved up from the end (scrolled, or to a source)

    def follow(self) -> None:
        """From the first question on, the chat keeps to its end as answers are laid out."""
        self._following = True
        self._reading = False
        self.call_after_refresh(self.scroll_end, animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new >= self.max_scroll_y:
            self._reading = False
        elif new < old:
            self._reading = True

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        """Grown while the reader has not moved up (an answer's last lines laid out a frame
        after the scroll that showed it, on a busy machine): still at its end, unless the
        reader moves before that is done (scrolls up, or goes to a source). Before any
        question, the chat is left as it is."""
        if self._following and not self._reading and new.height > old.height:
            self.call_after_refresh(self._keep_to_end)

    def _keep_to_end(self) -> None:
        if not self._reading:  # no reader's move since is undone
            self.scroll_end(animate=False, immediate=True)

    def on_resize(self) -> None:
        if not self._reading:
            self.call_after_refresh(self._keep_to_end)


class QuestionBubble(Static):
    """What the person asked, shown exactly as typed (never read as markup)."""

    DEFAULT_CSS = """
    QuestionBubble { max-width: 100; height: auto; padding: 0 1; margin: 1 0 0 4; background: $boost; color: $text; }
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
    AnswerBlock Markdown { margin: 0; padding: 0; max-width: 100; }
    AnswerBlock OptionList { height: auto; max-height: 8; border: none; padding: 0; margin: 0 0 0 0; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class SourceSelected(Message):
        def __init__(self, answer: Answer, marker: int) -> None:
            super().__init__()
            self.answer = answer
            self.marker = marker

    def __init__(self, answer: Answer, nearest: list[str] | None = None) -> None:
        """`nearest`: on a refusal, the few topics to name instead of all of them."""
        # The outcome is drawn as well as said: a green bar when covered, amber when partly
        # or only the closest passage (dashed), red when not covered.
        super().__init__(classes="smalltalk" if is_reply(answer) else answer.coverage)
        self.answer = answer
        self.nearest = nearest

    def compose(self):
        from textual.widgets import (
            Markdown,  # its parser costs 30 ms: not before the first answer
        )

        body = self.answer
        if body.answered and body.citations:
            yield Markdown(markdown(body, sources=False), open_links=False, parser_factory=literal_parser)
            sources = SourceList(*source_options(body.citations), classes="sources")
            sources.links = {c.marker: c.url for c in body.citations if c.url}
            yield sources
        else:
            yield Markdown(markdown(body, nearest=self.nearest), open_links=False, parser_factory=literal_parser)

    @on(OptionList.OptionSelected, ".sources")
    def _open_source(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.SourceSelected(self.answer, int(event.option.id or 1)))


def literal_parser():
    """Textual's Markdown parser without linkify: a web address in quoted text is shown as
    written (its escapes read, as everywhere else), not made a link from the escaped source
    ("?a=1\\&b=2")."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like").disable("linkify")


def source_options(citations: list[Citation]) -> list[Option]:
    """Sources grouped by section: the section's label once (not selectable), then one row
    per source line with its markers and quotes; a row too long for the list ends in "…"
    (app.tcss), so a quote shows as much as the width allows."""
    options: list[Option] = []
    section = None
    rows: dict[tuple[str, int], list[Citation]] = {}
    for citation in citations:
        rows.setdefault((citation.section_id, citation.line), []).append(citation)
    for (section_id, line), cited in rows.items():
        first = cited[0]
        if section_id != section:
            section = section_id
            where = f"{first.label} — {source_name(first.source)}" if first.source else first.label
            options.append(Option(Content(printable(where)), disabled=True))
        markers = "".join(f"[{c.marker}]" for c in cited)
        quote = printable(" ".join(c.quote for c in cited))
        options.append(Option(Content(f"  {markers} line {line}: “{quote}”"), id=str(first.marker)))
    return options


class ChatFooter(Footer):
    """The chat's keys, all of them on screen at any width from 60 columns: narrower than
    80, compact and without the command palette's key (ctrl+p still opens it). There a
    focused source's "Open passage" pushed ^s and ^y behind the palette's key."""

    ROOMY = 80  # the width the chat is laid out for: every key and ^p palette fit

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < self.ROOMY
        if narrow != self.compact:
            self.compact = narrow
            self.show_command_palette = not narrow
            self.refresh(recompose=True)


class FocusList(OptionList):
    """A list whose focus can be seen: focused, a row is always highlighted (the first,
    if none was), and the highlighted row is scrolled into view in the chat. Focused, the
    footer says what Enter does with its row (a topic or source opens its passage)."""

    BINDINGS = [Binding("enter", "select", "Open passage", id="open_passage")]

    def on_focus(self) -> None:
        self.highlight_first()
        self.call_after_refresh(self.reveal)

    def highlight_first(self) -> None:
        """A row highlighted, the first if none was: what Enter picks."""
        if self.highlighted is None:
            self.highlighted = self._first_enabled()

    def _watch_show_vertical_scrollbar(self) -> None:
        """A scrollbar that comes or goes changes the width rows wrap in; OptionList keeps
        the heights it measured before it (the topics, filled once the article loads, showed
        "1 Full Employment" at 80x20: the row's second line lost). TextArea does the same;
        a Textual without that private reset keeps its heights, as before."""
        clear = getattr(self, "_clear_caches", None)
        if clear is not None:
            clear()

    def _first_enabled(self) -> int | None:
        return next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None)

    def action_select(self) -> None:
        if self.highlighted is None:  # Enter first shows where it is, then picks
            self.highlighted = self._first_enabled()
            return
        super().action_select()

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if self.has_focus:
            self.call_after_refresh(self.reveal)

    def reveal(self) -> None:
        """The highlighted row on screen: scrolled into view in this list, then this list's
        row into view in the chat log around it (never left under the question box)."""
        if self.highlighted is None or not self.is_mounted or not self.region:
            return
        self.scroll_to_highlight()
        log = next((a for a in self.ancestors if isinstance(a, ChatLog)), None)
        if log is None or not log.content_region:
            return
        line = self._index_to_line.get(self.highlighted, 0)
        height = self._heights.get(self.highlighted, 1)
        top = self.content_region.y + line - round(self.scroll_y)
        row = Region(self.region.x, top, self.region.width, height)
        inside = log.content_region
        log.scroll_to_region(
            row.translate((-inside.x + round(log.scroll_x), -inside.y + round(log.scroll_y))),
            animate=False,
            immediate=True,
        )


class ExampleList(FocusList):
    """The example questions: Enter asks the highlighted one."""

    BINDINGS = [Binding("enter", "select", "Ask it", id="ask_example")]


class SourceList(FocusList):
    """An answer's sources: highlighted only while focused, so no row looks chosen at rest.
    A web article's source opens its page at the quoted sentence on "o" (the link is also
    copied, for a terminal with no browser at hand)."""

    BINDINGS = [
        Binding("enter", "select", "Open passage", id="open_source"),
        Binding("o", "open_link", "Open the page at this sentence", id="open_link"),
    ]

    def __init__(self, *options, **kwargs) -> None:
        super().__init__(*options, **kwargs)
        self.links: dict[int, str] = {}  # citation marker -> its page's link, per answer

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """"o" is offered only where a source is a web page (an article file has no page)."""
        return bool(self.links) if action == "open_link" else True

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

    def on_blur(self) -> None:
        self.highlighted = None


ASK = "Ask a question, e.g. what does it pay?"
ASK_MORE = "Ask more, or press tab for the sources"


class QuestionInput(Input):
    """The question box, with earlier questions on up and down (kept across runs when the
    app has a data folder), and pastes of several lines taken whole, as one question. Once
    an answer has sources, its placeholder says that Tab goes to them."""

    BINDINGS = [
        Binding("up", "history(-1)", "Earlier question", show=False, id="history_previous"),
        Binding("down", "history(1)", "Later question", show=False, id="history_next"),
    ]

    def __init__(self, history: QuestionHistory | None = None, **kwargs) -> None:
        # Focus coming back (Escape from a passage, Tab round) leaves a half-typed question
        # as it was: selected, the next key typed replaced it.
        super().__init__(placeholder=ASK, select_on_focus=False, **kwargs)
        self.history = history or QuestionHistory(None)
        self._at = len(self.history.items)
        self._draft = ""  # what was typed before going back through the history

    def offer_sources(self, offered: bool) -> None:
        """Say, in the empty box, that Tab reaches the answers' sources (while there are any)."""
        self.placeholder = ASK_MORE if offered else ASK

    async def _on_key(self, event: events.Key) -> None:
        """Enter sends the question as typed so far, and empties the box, at once: as a
        binding it ran only once the key had gone up to the app, after the keys behind it
        (lines arriving together, "what does it pay?" Enter "is it real?" Enter) were typed
        into the box, and both sends read "what does it pay?is it real?"."""
        # ctrl+j: a line ended before the app took the terminal (typed as it started) comes
        # as a newline, not a return.
        if event.key not in ("enter", "ctrl+j"):
            return  # Input's own `_on_key` runs next, as Textual calls each class's handler
        event.stop()
        event.prevent_default()
        question, self.value = self.value, ""
        self.post_message(self.Submitted(self, question))

    def _on_paste(self, event: events.Paste) -> None:
        """Every line of a paste, its line breaks read as spaces (Input keeps only the first)."""
        event.stop()
        event.prevent_default()  # Input's own handler would paste the first line again
        text = " ".join(event.text.split())
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

    def remember(self, question: str) -> None:
        self.history.add(question)
        self._at = len(self.history.items)

    def forget(self) -> None:
        self.history.clear()
        self._at = 0

    def action_history(self, step: int) -> None:
        items = self.history.items
        if not items:
            return
        if self._at == len(items):
            self._draft = self.value
        self._at = max(0, min(len(items), self._at + step))
        self.value = items[self._at] if self._at < len(items) else self._draft
        self.cursor_position = len(self.value)
