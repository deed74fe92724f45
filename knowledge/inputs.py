"""What the engine accepts from outside, in one place: article files, their text, questions.

Articles come from the web and questions from anyone, so every limit and every character
rule that keeps them harmless lives here, each with a message a person can act on.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

# Frontmatter is a few lines of YAML; more than this is not an article's header.
MAX_FRONTMATTER_CHARS = 64 * 1024
# Punkt and its regexes see at most this many characters at once: a paragraph without a
# blank line can be megabytes long, and nltk's regex timeout would end the load.
MAX_UNIT_CHARS = 20_000
# Questions are cut here before analysis: a question longer than this is a paste, and
# answer time must stay bounded whatever arrives.
MAX_QUESTION_CHARS = 2000
# From a longer paste, the engine reads its last sentences up to this many characters.
PASTE_TAIL_CHARS = 300
# Where a sentence of a message ends: after ".", "!" or "?" (and a closing quote or
# bracket) and a space, or a "?" or "!" a capital follows ("pay?Will it"); not a stop inside
# a word ("GPT-4.5", "openai.com").
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)\]]))\s+|(?<=[?!])(?=[A-Z])")
# The closing marks a sentence may end with after its stop.
CLOSING = "\"”’)]"


def ends_asking(sentence: str) -> bool:
    """Whether a sentence ends as a question ("... in the U.S.?", "Really?!", '"is it?"')."""
    return sentence.rstrip().rstrip(CLOSING + "!.").endswith("?")

# C0 controls but tab and newline, DEL, C1 controls (CSI is 0x9b), and the bidi controls
# that reorder what a reader sees (overrides, embeddings, isolates, marks).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A run of spaces, each read once: "\s*[\n\t]\s*" read a run with no break in it again from
# each of its spaces (60 KB of spaces in a --jsonl row's conversation id: 26 seconds).
_SPACES = re.compile(r"\s+")


class ArticleError(ValueError):
    """An article that cannot be used; the message names the file and the fix."""


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text with every control and bidi character removed: nothing can drive a terminal
    or make a quote read differently from what the article says. A lone surrogate (a
    command line's byte that is not UTF-8) becomes U+FFFD: it can be neither encoded nor
    read by the model."""
    return _SURROGATE.sub("\ufffd", _UNSAFE.sub("", text))


# Terminal control sequences, whole, as a terminal reads them: CSI (ESC [, parameters,
# intermediates, one final byte), a string ended by BEL or ST (OSC ESC ], DCS ESC P, SOS
# ESC X, PM ESC ^, APC ESC _) within its line (a stray ESC ] took every line up to the
# next BEL), and any other escape (ESC, intermediates, one final byte).
# Removing the ESC alone left a colour's "[31m" as words. Only an ESC opens one: a lone C1
# character is more often mojibake than a command ("\u201d" read as Latin-1 ends in \x9d),
# and it is removed alone (`safe_text`), as is an opener with no end, never what follows.
_TERMINAL_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"
)


# Spaces, line and paragraph separators, controls, format characters (zero-width ones among
# them) and combining marks: alone, none is seen (an unassigned code point still shows a box).
_SHOWS_NOTHING = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing a reader could take for a question: no letter, digit,
    punctuation or symbol once its control sequences are gone (spaces, zero-width and
    format characters, combining marks alone: "\u200b\u200b" or "\u0301" asked nothing)."""
    return _shows_nothing(visible_text(text))


def _shows_nothing(visible: str) -> bool:
    return all(unicodedata.category(c) in _SHOWS_NOTHING for c in visible)


def visible_text(text: str) -> str:
    """Text as a terminal shows it: whole control sequences removed (a colour, a title, a
    link's address), then every other control and bidi character (`safe_text`)."""
    return safe_text(_TERMINAL_SEQUENCE.sub("", text))


# Footnote and citation marks stuck to the word before them ("a year.[^1]", "part time.[2]"):
# cleaning drops them (an answer has its own numbered marks) and the cache check hides them.
# It starts at the "[" so a scan of a whole article stays fast.
NOTE_MARK = r"\[(?<=[\w.,;:!?)\"'\u2019]\[)(?:\^[^\]\s]+|\d{1,3})\]"


def unescaped(text: str) -> str:
    """HTML entities as a browser shows them ("&amp;" as "&", "&#8217;" as "’"), each line
    still one line and nothing unsafe: "&#10;" or "&#8238;" must not move a line or turn
    text around."""
    if "&" not in text:
        return text
    import html  # only text with an entity in it needs it

    return "\n".join(safe_text(html.unescape(line)).replace("\n", " ") if "&" in line else line for line in text.split("\n"))


def one_line(text: str) -> str:
    """Safe text on one line, for names and labels (a file name may hold a newline)."""
    return _SPACES.sub(_one_space, safe_text(text))


def _one_space(spaces: re.Match[str]) -> str:
    """A run of spaces that breaks the line (a newline or a tab in it) as one space; any
    other as it is."""
    run = spaces.group()
    return " " if "\n" in run or "\t" in run else run


# What a JSON value is, in a reader's words ("a number"); the value is never shown.
_JSON_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object", type(None): "null"}


def _json_kind(value: object) -> str:
    return _JSON_KINDS.get(type(value), "text")


def field_fault(error: dict, should_be: dict[str, str], not_an_object: str, missing: str) -> str:
    """A validation error (pydantic's `errors()[0]`) in plain words, as a question file's
    line and an API request say it: "id: should be text, not a number", "question:
    missing; ...", not "Input should be a valid string". `should_be`: what each field
    holds; `not_an_object` is said of a body or line that is a list, a string, null. The
    kind sent is named only when it is the wrong kind (not of text too long or of the
    wrong alphabet); the value sent is never shown."""
    field = next((str(part) for part in error.get("loc", ()) if part != "body"), "")
    kind = str(error.get("type", ""))
    if not field:
        return not_an_object
    if kind == "missing":
        return f"{field}: {missing}"
    if kind == "value_error":
        return f"{field}: {str(error.get('msg', '')).removeprefix('Value error, ')}"
    if kind == "string_unicode":  # "\ud800" in JSON: half of a character, which no text holds
        return f"{field}: holds a lone surrogate (\\ud800 to \\udfff), half of a character; send {should_be.get(field, 'text')}"
    said = f"{field}: should be {should_be.get(field, 'text')}"
    return said if kind.startswith("string_") and kind != "string_type" else f"{said}, not {_json_kind(error.get('input'))}"


def mistyped_field(row: object, fields: Iterable[str]) -> str | None:
    """A field name a letter or two off one of `fields` the row lacks ("answer_contain",
    "conversation" for "conversation_id"), said with the one meant: read past, it would
    drop what it holds in silence (a phrase to check, a conversation to go on with).
    Other extra fields ("source", "note") are the writer's own and kept out of the way."""
    if not isinstance(row, dict):
        return None
    import difflib  # only for a row with a field of its own: no start-up cost for ask

    known = list(fields)
    for name in row:
        if name in known:
            continue
        meant = difflib.get_close_matches(str(name).lower(), [f for f in known if f not in row], n=1, cutoff=0.8)
        if meant:
            return f"{safe_text(str(name))!r} is not a field; did you mean {meant[0]!r}?"
    return None


def shown_name(path: str | Path) -> str:
    """A file name as a person can read it: undecodable bytes replaced, controls removed."""
    raw = os.fsencode(str(path))
    return one_line(raw.decode("utf-8", "replace"))


def display_path(path: str | Path) -> str:
    """A path as short as it can be said from here, for error messages: as named, not where
    a link leads (a link to a deleted file is the link's name, the file a reader can find)."""
    p = Path(path)
    try:
        p = Path(os.path.abspath(p)).relative_to(os.getcwd())
    except (ValueError, OSError):  # elsewhere, or no current folder
        pass
    return shown_name(p)


def max_article_bytes() -> int:
    """The size limit for one article (CAREER_CHAT_MAX_ARTICLE_MB, checked by `settings`)."""
    from .settings import max_article_mb

    return int(max_article_mb() * 1024 * 1024)


def open_regular(path: Path, buffering: int = -1) -> BinaryIO:
    """A regular file opened to read: never a FIFO or device (opened without waiting, checked
    on the open descriptor), never through a link at its name. What the program kept (cache
    entries, arrays, fetched pages) is read through this, so a special file planted there is
    an `OSError`, dealt with as a damaged file, never a load that hangs."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return os.fdopen(fd, "rb", buffering=buffering)
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a kept regular file (`open_regular`) of at most `limit` bytes; a larger
    one is an `OSError`."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, "larger than it can be", str(path))
    return data


def read_article_bytes(path: Path) -> bytes:
    """The bytes of a regular file of bounded size; anything else is an `ArticleError`.

    The file is opened without blocking and checked on the open descriptor, so a FIFO or a
    device never hangs the load and nothing can be swapped in between check and read.
    """
    limit = max_article_bytes()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise unusable(path, "is a folder; name a markdown file") from None
    except OSError as error:
        raise unusable(path, f"cannot be read ({error.strerror}); check the path and permissions") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise unusable(path, "is a folder; name a markdown file")
        if not stat.S_ISREG(info.st_mode):
            raise unusable(path, "is not a regular file (a pipe, socket or device); save the article to a file")
        if info.st_size > limit:
            raise unusable(path, "is " + too_large())
        try:
            # Sized by the file (a buffer of the limit per read costs a large allocation
            # per article), then on to the limit in case it grew since.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
        except OSError as error:
            raise unusable(path, f"cannot be read ({error.strerror}); check the path and permissions") from None
    if len(data) > limit:
        raise unusable(path, "is " + too_large())
    return data


def too_large() -> str:
    """What is said of an article over the size limit, with the limit as it was set (0.001
    MB, not the 0.000999 MB its whole bytes come to)."""
    from .settings import max_article_mb

    return f"larger than {max_article_mb():.15g} MB, too large for an article; set CAREER_CHAT_MAX_ARTICLE_MB to allow more"


def unusable(path: Path, problem: str) -> ArticleError:
    """The error for an article that cannot be used, naming it as the user would (worked
    out only then: resolving a path costs more than reading a short file)."""
    return ArticleError(f"{display_path(path)}: {problem}")


# Byte-order marks of the encodings a text editor saves in besides UTF-8 (UTF-32's first,
# as its little-endian mark starts with UTF-16's).
_MARKS = [
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
]


def decode_article(data: bytes, path: Path) -> str:
    """Text with one kind of line break (so line numbers mean the same everywhere): UTF-8,
    or UTF-16 or UTF-32 with a byte-order mark, as Windows editors save it."""
    if data.startswith(b"%PDF-"):
        # A PDF written uncompressed is text to a decoder: its objects were quoted as prose.
        raise unusable(path, "is a PDF, not a markdown article; save its text as a .md file")
    codec, name = next(((codec, name) for mark, codec, name in _MARKS if data.startswith(mark)), ("utf-8-sig", "UTF-8"))
    if codec == "utf-8-sig" and b"\x00" in data[:8192]:
        if _looks_like_utf16(data[:8192]):
            raise unusable(path, "is UTF-16 text without a byte-order mark; save the article as UTF-8")
        raise unusable(path, "is a binary file, not a markdown article; give a .md text file")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise unusable(path, f"is not {name} text (byte {error.start}); save the article as UTF-8") from None
    if codec != "utf-8-sig" and "\x00" in text[:8192]:
        raise unusable(path, f"is a binary file, not a markdown article (though it starts like {name}); give a .md text file")
    if not text.strip():
        raise unusable(path, "is empty; it needs the article's text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_utf16(sample: bytes) -> bool:
    """Whether bytes are mostly ASCII written as UTF-16 (every other byte a zero, the others
    not): a text file, only in an encoding the engine does not guess at."""
    even, odd = sample[0::2], sample[1::2]
    return any(
        len(zeros) > 0 and zeros.count(0) >= 0.9 * len(zeros) and others.count(0) == 0
        for zeros, others in ((odd, even), (even, odd))
    )


def chunks(text: str, size: int = MAX_UNIT_CHARS) -> list[tuple[int, str]]:
    """`text` in pieces of at most `size` characters, cut at whitespace where there is
    some, as (offset, piece): a sentence splitter never sees an unbounded paragraph."""
    if len(text) <= size:
        return [(0, text)]
    pieces = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            end = cut + 1 if cut > start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


class QuestionError(ValueError):
    """A question the engine cannot take (blank, or only control characters)."""


# Characters that end a line or paragraph besides "\n": between two words they part them,
# where removing them with the other controls glued them ("pay\u2028check" read "paycheck").
_SEPARATORS = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def question_text(question: object) -> str:
    """A question as the engine reads it: a non-blank string of its visible text, at most
    MAX_QUESTION_CHARS (its end, for a longer paste)."""
    if not isinstance(question, str):
        raise TypeError(f"a question is a string, not {type(question).__name__}")
    text = visible_text(_SEPARATORS.sub(" ", question)).strip()
    if _shows_nothing(text):  # already visible text: not made so again
        raise QuestionError("the question is empty; ask something about the article")
    if len(text) <= MAX_QUESTION_CHARS:
        return text
    # A long paste ends with its question ("... so my question is: what does it pay?"):
    # keep its last question and what follows it; with no question mark, its last
    # sentences up to PASTE_TAIL_CHARS (at least the last one, cut to the limit).
    sentences = SENTENCE_END.split(text[-MAX_QUESTION_CHARS:])
    asking = [i for i, sentence in enumerate(sentences) if ends_asking(sentence)]
    if asking:
        return " ".join(sentences[asking[-1] :]).strip()
    kept = [sentences.pop()]
    while sentences and len(sentences[-1]) + sum(map(len, kept)) <= PASTE_TAIL_CHARS:
        kept.insert(0, sentences.pop())
    return " ".join(kept).strip()
