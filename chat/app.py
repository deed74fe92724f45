"""The Textual chat app: `career-chat` with no arguments."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from knowledge.inputs import MAX_QUESTION_CHARS, is_blank, one_line

from .history import QuestionHistory
from .places import transcripts_folder
from .render import (
    nearest_topics,
    no_color,
    path_lines,
    plain,
    printable,
    skipped_lines,
    topic_label,
)
from .screens import PassageScreen
from .transcript import save_transcript
from .widgets import (
    AnswerBlock,
    ChatFooter,
    ChatLog,
    ExampleList,
    FocusList,
    QuestionBubble,
    QuestionInput,
    SourceList,
)

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase, Section

    from .conversation import Conversation

WELCOME = (
    "Ask anything about this article. Every answer is quoted from it, with numbered sources; "
    "when the article does not cover a question, you are told so."
)
WELCOME_MANY = (
    "Ask anything about these {count} articles. Every answer is quoted from one of them, with numbered "
    "sources; when they do not cover a question, you are told so."
)


def loading_text(article: str | None) -> str:
    """What the chat says while `--article` loads: a folder holds several articles, a web
    address is a page (read from the web, or the copy kept)."""
    from knowledge.read.address import is_web_address

    if article is not None and is_web_address(article):
        return "Loading the web page…"
    if article is not None and os.path.isdir(article):
        return "Loading the articles…"
    return "Loading the article…"


class CareerChat(App):
    """A conversation with one career article."""

    CSS_PATH = "app.tcss"
    TITLE = "career-chat"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("ctrl+l", "clear_chat", "Clear", id="clear_chat"),
        Binding("ctrl+b", "toggle_sidebar", "Topics", id="toggle_sidebar"),
        Binding("ctrl+s", "save_transcript", "Save", id="save_transcript"),
        Binding("ctrl+y", "copy_answer", "Copy", id="copy_answer"),
        # A priority key: run as it is read, before the keys typed after it are sent on to
        # the widget that had focus (a key that is not is queued to that widget, with them).
        Binding("escape", "close_panels", "Close", show=False, id="close_panels", priority=True),
        # Priority too: focus moves as Tab is read, so an Enter typed right after it goes to
        # the widget Tab reached (the question box sends at once what Enter reaches it with).
        Binding("tab", "chat_focus(1)", "Next", show=False, id="chat_focus_next", priority=True),
        Binding("shift+tab", "chat_focus(-1)", "Previous", show=False, id="chat_focus_previous", priority=True),
    ]
    # Below 72 columns the screen is "-narrow" and the topics sidebar folds away on its own
    # (app.tcss); ctrl+b shows it there in place of the chat, until the next resize.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide")]
    # Below 16 rows notices come down over the question box (app.tcss), to fit whole.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        transcript_folder: Path | None = None,
        load: Callable[[], KnowledgeBase] | None = None,
        data_folder: Path | None = None,
        loading: str = "Loading the article…",
    ) -> None:
        """`kb`: a loaded knowledge base; or `load`, called in a worker after the question box
        shows, so the app is ready to type into at once (questions typed meanwhile wait).
        `transcript_folder`: where ctrl+s saves (default: places.transcripts_folder());
        `data_folder`: where question history is kept across runs (none: this run only);
        `loading`: what the chat says until `load` is done (`loading_text`)."""
        if "NO_COLOR" in os.environ and not no_color():
            # Textual reads NO_COLOR set at all as no colour, here in App.__init__; an empty
            # one asks for nothing (no-color.org), so it goes, as if never set.
            del os.environ["NO_COLOR"]
        super().__init__()
        if kb is None and load is None:
            raise ValueError("give a knowledge base or a way to load one")
        self.kb: KnowledgeBase | None = None
        self.conversation: Conversation | None = None
        self.transcript_folder = transcript_folder
        self.history = QuestionHistory(data_folder / "history.json" if data_folder is not None else None)
        self.load_error: str | None = None
        self._load = load
        self._loading = loading
        self._waiting: list[QuestionBubble] = []
        self._narrow: bool | None = None  # below the breakpoint when last laid out; None before
        self.title = "career-chat"
        if kb is not None:
            self._use(kb)

    def _use(self, kb: KnowledgeBase) -> None:
        # The engine, imported once the article is loaded (in the load's worker, after the
        # model has begun to be read), not before the screen is up.
        from .conversation import Conversation

        self.kb = kb
        self.conversation = Conversation(kb)
        article = kb.articles[0] if len(kb.articles) == 1 else None
        self.title = printable(kb.title)
        # The date only where it fits beside the title at 80 columns, never cut in half.
        date = printable((article.date or "")[:10]) if article else ""
        self.sub_title = date if len(self.title) + len(date) + 3 <= 60 else ""
        self._date = self.sub_title

    def _watch_meaning(self) -> None:
        """While a new folder's meaning is computed, the header says how far it is (answers
        until then rank the articles not yet encoded by their words), until it is complete."""
        if self.kb is not None and self.kb.meaning_state == "partial":
            self._meaning_timer = self.set_interval(1.0, self._meaning_status)
            self._meaning_status()

    def _meaning_status(self) -> None:
        ready, total = self.kb.meaning_progress
        if self.kb.meaning_state == "complete":
            self.sub_title = self._date
        else:
            self.sub_title = f"meaning {ready}/{total} articles; the rest by words"
        if self.kb.wait(0):  # nothing more is being encoded
            self._meaning_timer.stop()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Static("Topics", id="sidebar-title")
                yield FocusList(*self._topics(), id="topics")
            with Vertical(id="main"):
                with ChatLog(id="log"):
                    if self.kb is not None:
                        yield from self._welcome()
                    else:
                        yield Static(self._loading, id="loading", markup=False)
                yield QuestionInput(self.history, id="question")
        yield ChatFooter()

    def _topics(self) -> list[Option | None]:
        """One row a section; a folder's grouped by article (a rule between two), its title in
        bold: flat, the next article's title read as one more topic of the last."""
        sections = self.kb.sections if self.kb is not None else []
        if self.kb is None or len(self.kb.articles) < 2:
            return [Option(Content(printable(topic_label(s))), id=s.id) for s in sections]
        titles = {a.slug: a.title for a in self.kb.articles}
        rows: list[Option | None] = []
        article = None
        for section in sections:
            title = titles.get(section.article, "")
            if section.article != article:
                if article is not None:
                    rows.append(None)
                article = section.article
                if section.title != title:  # no opening passage of its title: a heading
                    rows.append(Option(Content.styled(printable(title), "bold"), disabled=True))
            style = "bold" if section.title == title else ""
            rows.append(Option(Content.styled(printable(topic_label(section)), style), id=section.id))
        return rows

    def _welcome(self) -> list:
        welcome = WELCOME_MANY.format(count=len(self.kb.articles)) if len(self.kb.articles) > 1 else WELCOME
        examples = self.kb.examples()  # none for an article of one section: no empty box
        return [Static(welcome, id="welcome", markup=False)] + (
            [ExampleList(*[Option(Content(printable(q))) for q in examples], id="examples")] if examples else []
        )

    def on_mount(self) -> None:
        self._narrow = self.size.width < 72
        self._focus_question()
        self._watch_meaning()
        if self.kb is None:
            # After the first paint: the question box shows before the engine's imports
            # compete with it for the interpreter.
            self.call_after_refresh(
                self.run_worker, self._load_in_background, thread=True, exclusive=True, exit_on_error=False
            )

    def _load_in_background(self) -> None:
        try:
            kb = self._load()
        except ValueError as error:  # ArticleError: said on stderr once the screen is gone
            self.call_from_thread(self._failed, str(error))
            return
        self.call_from_thread(self._loaded, kb)

    def _failed(self, message: str) -> None:
        self.load_error = message
        self.exit(return_code=2)

    async def _loaded(self, kb: KnowledgeBase) -> None:
        self._use(kb)
        if kb.skipped:  # a folder's files that could not be read: said, not a reason to stop
            self.notify("; ".join(skipped_lines(kb.skipped)), severity="warning", timeout=10, markup=False)
        self._watch_meaning()
        self.query_one("#topics", OptionList).add_options(self._topics())
        log = self.query_one("#log", ChatLog)
        await log.query("#loading").remove()
        await log.mount_all(self._welcome(), before=0)
        for bubble in self._waiting:  # answered in the order they were typed
            await log.mount(self._block(self.conversation.ask(bubble.question)), after=bubble)
        self._waiting.clear()
        self.refresh_bindings()  # clear, save and copy work from now on
        self.call_after_refresh(log.scroll_end, animate=False)


    # Asking

    @on(QuestionInput.Submitted, "#question")
    def _submitted(self, event: QuestionInput.Submitted) -> None:
        box = self.query_one("#question", QuestionInput)
        question = event.value.strip()
        if is_blank(question):  # spaces, or zero-width characters alone: nothing the engine can read
            self.notify("Type a question first, or pick an example.", markup=False)
            return
        box.remember(question)  # the box was emptied as it was sent (`QuestionInput._on_key`)
        if len(question) > MAX_QUESTION_CHARS:
            self.notify(
                f"Your message was {len(question):,} characters long: only its last sentences were read as the question.",
                severity="warning",
                markup=False,
            )
        self.ask(question)

    @on(OptionList.OptionSelected, "#examples")
    def _example(self, event: OptionList.OptionSelected) -> None:
        """Asked as if typed, and kept like a typed question: up brings it back to edit."""
        question = event.option.prompt.plain
        box = self.query_one("#question", QuestionInput)
        box.remember(question)
        self.ask(question)
        box.focus()

    def ask(self, question: str) -> Answer | None:
        """Ask and show the answer; while the article loads, the question waits its turn."""
        log = self.query_one("#log", ChatLog)
        bubble = QuestionBubble(question)
        log.mount(bubble)
        if self.conversation is None:
            self._waiting.append(bubble)
            answer = None
        else:
            answer = self.conversation.ask(question)
            log.mount(self._block(answer))
        log.follow()
        return answer

    def _block(self, answer: Answer) -> AnswerBlock:
        """An answer as shown; a refusal names the three nearest topics, not all of them.
        An answer with sources: the question box says from now on that tab reaches them."""
        if answer.answered and answer.citations:
            self.query_one("#question", QuestionInput).offer_sources(True)
        nearest = None
        if not answer.answered and answer.topics and self.kb is not None:
            nearest = nearest_topics(answer, self.kb.section, self._topic_name)
        return AnswerBlock(answer, nearest=nearest)

    def _topic_name(self, section: Section) -> str:
        """A topic as the chat names it ("2 Pay"), with its article's title in a folder, as
        `ask` and the web page do: "Pay" is in most of a folder's articles."""
        return topic_label(section) + self.kb.topic_name(section).removeprefix(section.label)

    # Passages

    @on(AnswerBlock.SourceSelected)
    def _source(self, event: AnswerBlock.SourceSelected) -> None:
        citation = event.answer.citations[event.marker - 1]
        quotes = {c.quote: c.line for c in event.answer.citations if c.section_id == citation.section_id}
        self.open_passage(self.kb.section(citation.section_id), quotes, citation.quote, citation.line)

    @on(OptionList.OptionSelected, "#topics")
    def _topic(self, event: OptionList.OptionSelected) -> None:
        self.open_passage(self.kb.section(str(event.option.id)))

    def open_passage(
        self, section: Section, quotes: dict[str, int] | None = None, chosen: str | None = None, line: int | None = None
    ) -> None:
        """The section in full; `quotes`, `chosen` and `line` as `PassageScreen` takes them."""
        # The callback runs as the passage closes, before the keys typed after Escape.
        self.push_screen(PassageScreen(section, quotes, chosen, line), callback=lambda _: self._back())

    def _back(self) -> None:
        """Back from a passage: to the question box, unless the topics cover a narrow chat;
        then to them (the box is hidden: typed keys went there unseen), and Escape goes on."""
        if self.screen.has_class("-narrow") and self.screen.has_class("-show-sidebar"):
            self._focus(self.query_one("#topics", FocusList))
        else:
            self._focus_question()

    def _focus_question(self) -> None:
        self._focus(self.query_one("#question", QuestionInput))

    def _focus(self, widget: Widget) -> None:
        """Focus at once, as `action_chat_focus` does: `focus()` waits behind the messages already
        queued, so the letters typed right after Escape went to the widget it left."""
        widget.screen.set_focus(widget)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The chat's keys work on the chat screen only (not behind a passage)."""
        return self._allowed(action, self.screen)

    def _allowed(self, action: str, screen: Screen) -> bool:
        """Whether a chat action can run from `screen`: not behind a passage, and (but the
        sidebar) not before the article is loaded: there is no conversation yet."""
        if action in {"close_panels", "chat_focus"}:  # elsewhere Escape and Tab are the passage's or the palette's
            return screen is self.screen_stack[0]
        if action in {"clear_chat", "toggle_sidebar", "save_transcript", "copy_answer"}:
            return not isinstance(screen, PassageScreen) and (self.kb is not None or action == "toggle_sidebar")
        return True

    # Focus: the question box, then the answers' sources from the newest back, the example
    # questions, the topics, and round again.

    def _chat_focus_order(self) -> list:
        chain = self.screen.focus_chain
        question = [w for w in chain if isinstance(w, QuestionInput)]
        sources = [w for w in chain if isinstance(w, SourceList)]
        rest = [w for w in chain if w.id == "examples"] + [w for w in chain if w.id == "topics"]
        others = [w for w in chain if w not in question and w not in sources and w not in rest]
        return question + sources[::-1] + rest + others

    def action_chat_focus(self, step: int) -> None:
        """Tab and shift+tab on the chat screen (priority keys: elsewhere Textual's own)."""
        order = self._chat_focus_order()
        if not order:
            return
        focused = self.screen.focused
        at = order.index(focused) if focused in order else (-1 if step > 0 else 0)
        # At once, as Textual's own Tab does: a key typed right after (tab, enter) goes to
        # the widget Tab reached, not to the one it left (focus() waits for the queue), and
        # finds a row to pick.
        reached = order[(at + step) % len(order)]
        self.screen.set_focus(reached)
        if isinstance(reached, FocusList):
            reached.highlight_first()

    # Actions

    def action_toggle_sidebar(self) -> None:
        # The person's choice, as a class on the screen, wins over the width (app.tcss);
        # on a narrow screen the topics take the chat's place until hidden again.
        # Hidden on a narrow screen, the topics only stop covering the chat: widened, the
        # sidebar shows as before (it stayed hidden, as if hidden on a wide screen).
        shown = self.query_one("#sidebar").display
        self.screen.set_class(shown and not self.screen.has_class("-narrow"), "-hide-sidebar")
        self.screen.set_class(not shown, "-show-sidebar")
        if not shown and self.screen.has_class("-narrow"):
            self.query_one("#topics", FocusList).focus()
        elif shown:
            self._focus_question()

    def on_resize(self, event: events.Resize) -> None:
        # Narrowed past the breakpoint, the sidebar hides itself again, whatever ctrl+b said.
        narrow = event.size.width < 72
        if narrow and self._narrow is False:
            self.screen_stack[0].remove_class("-show-sidebar")
        self._narrow = narrow

    def action_close_panels(self) -> None:
        """Escape closes the keys panel (or the topics covering a narrow chat), returns to the
        question box and to the newest answer."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        if self.screen.has_class("-narrow") and self.screen.has_class("-show-sidebar"):
            self.screen.remove_class("-show-sidebar")
        self._focus_question()
        self.query_one("#log", ChatLog).scroll_end(animate=False)

    async def action_clear_chat(self) -> None:
        """Start afresh; said, since ctrl+l redraws the screen in many terminal programs and
        a chat that vanished unannounced looked lost."""
        had = bool(self.conversation.turns)
        self.conversation.clear()
        log = self.query_one("#log", ChatLog)
        await log.remove_children()
        await log.mount_all(list(self._welcome()))
        box = self.query_one("#question", QuestionInput)
        box.offer_sources(False)
        box.focus()
        if had:
            self.notify("Chat cleared: the next question starts a new conversation (ctrl+s saves one first).", markup=False)

    def action_save_transcript(self) -> None:
        if not self.conversation.turns:
            self.notify("Nothing to save yet: ask a question first.", markup=False)
            return
        folder = self.transcript_folder or transcripts_folder()
        # A notice is at most half the screen wide (all of a narrow one, app.tcss): a path is
        # broken where it reads well.
        room = self.size.width if self.screen.has_class("-narrow") else self.size.width // 2
        width = max(16, min(60, room) - 4)
        try:
            path = save_transcript(self.kb.title, self.conversation.turns, folder)
        except OSError as error:  # named, so a mistyped --save-dir can be seen and mended
            why = f" ({one_line(error.strerror)})" if error.strerror else ""
            said = f"Could not save the transcript{why} in\n" + "\n".join(path_lines(folder, width))
            self.notify(said, severity="error", markup=False)
            return
        self.notify("Transcript saved as\n" + "\n".join(path_lines(path, width)), title="Saved", markup=False)

    def action_copy_answer(self) -> None:
        answered = [t.answer for t in self.conversation.turns]
        if not answered:
            self.notify("No answer to copy yet.", markup=False)
            return
        text = plain(answered[-1])
        if _system_copy(text):
            self.notify("Last answer copied to the clipboard.", markup=False)
        elif os.environ.get("TERM_PROGRAM") == "Apple_Terminal" or os.environ.get("TERM") in {"linux", "dumb"}:
            self.notify(
                "This terminal cannot take copied text (no OSC 52). Save the transcript with ctrl+s instead.",
                severity="warning",
                markup=False,
            )
        else:
            self.copy_to_clipboard(text)
            self.notify(
                "Sent the last answer to the clipboard with OSC 52. If nothing arrives, this terminal "
                "does not allow it: save the transcript with ctrl+s instead.",
                markup=False,
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers what the keys would do from `screen`: a command runs its action
        directly, past `check_action`, so one offered while the article loads ran with no
        conversation ("Clear chat" stopped the app)."""
        yield from super().get_system_commands(screen)
        chat = (
            ("clear_chat", "Clear chat", "Start the conversation over"),
            ("toggle_sidebar", "Toggle topics", "Show or hide the topics sidebar"),
            ("save_transcript", "Save transcript", "Write the conversation, with citations, to a Markdown file"),
            ("copy_answer", "Copy last answer", "Copy the last answer to the clipboard"),
        )
        for action, title, help in chat:
            if self._allowed(action, screen):
                yield SystemCommand(title, help, getattr(self, f"action_{action}"))
        yield SystemCommand("Clear question history", "Forget the questions kept for up and down", self.action_forget_history)

    def action_forget_history(self) -> None:
        self.query_one("#question", QuestionInput).forget()
        self.notify("Question history cleared.", markup=False)


def _system_copy(text: str) -> bool:
    """Copy through the desktop's clipboard tool where there is one (works in any terminal)."""
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        command = ["wl-copy"]
    elif os.environ.get("DISPLAY") and shutil.which("xclip"):
        command = ["xclip", "-selection", "clipboard"]
    elif shutil.which("pbcopy"):
        command = ["pbcopy"]
    else:
        return False
    try:
        subprocess.run(command, input=text.encode("utf-8"), check=True, timeout=2, capture_output=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return True
