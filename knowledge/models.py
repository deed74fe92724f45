"""The public contract: what the engine hands to the CLI, the TUI and `--json`."""

from __future__ import annotations

from array import array
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer


class Record(BaseModel):
    """The engine's models: each builds its validator when first used, not when imported.

    Building them all at import was a tenth of a cold `career-chat ask`, which validates
    none: the engine makes its answers and quoted sentences with `model_construct` from
    values it computed itself, and reads a cached article by hand (`knowledge.store.entry`).
    What comes from outside (an article being parsed) is still validated."""

    model_config = ConfigDict(defer_build=True)


def _packed(numbers: list[int]) -> array:
    try:
        return array("i", numbers)
    except OverflowError:
        raise ValueError("a span is beyond any article's size") from None


# Whole numbers kept packed, 4 bytes each (a Python list holds a pointer and, past 256, an
# object per number: 7 MB more for a folder's 96,000 sentences); a list to JSON and
# `model_dump`, and indexed or sliced like one.
Packed = Annotated[list[int], AfterValidator(_packed), PlainSerializer(list, return_type=list[int])]


class Sentence(Record):
    """One answerable sentence, kept verbatim with where it came from."""

    text: str
    line: int = Field(description="1-based line in the source file where the sentence starts")


class Section(Record):
    """A passage: the text under one heading of an article."""

    id: str
    title: str
    factor: int | None = None
    level: int = 0
    text: str
    spans: Packed = Field(
        default_factory=lambda: array("i"),
        description="its sentences, three numbers each: where one starts and ends in `text`, and its 1-based line",
    )
    captions: list[str] = Field([], description="image alt texts, never quoted")
    line: int = Field(1, description="1-based line where the section's text starts, below its heading")
    article: str = Field("", description="slug of the article this section belongs to")
    source: str = Field("", description="path of the article file")

    @property
    def label(self) -> str:
        """The title as a reader sees it in a list of sources."""
        return f"Factor {self.factor} · {self.title}" if self.factor is not None else self.title

    @property
    def sentences(self) -> list[Sentence]:
        """Its sentences, made when read: a folder of articles keeps three numbers a
        sentence rather than an object and a copy of its text (most are never quoted)."""
        return [self.sentence(i) for i in range(self.sentence_count)]

    @property
    def sentence_texts(self) -> list[str]:
        """Its sentences' words only, without making `Sentence` objects (the answer path
        reads them to match kinds of fact and earlier quotes)."""
        spans = self.spans
        return [self.text[spans[i] : spans[i + 1]] for i in range(0, len(spans), 3)]

    @property
    def sentence_count(self) -> int:
        return len(self.spans) // 3

    def sentence(self, i: int) -> Sentence:
        start, end, line = self.spans[3 * i : 3 * i + 3]
        return Sentence.model_construct(text=self.text[start:end], line=line)


class ArticleInfo(Record):
    """Frontmatter facts about one loaded article."""

    slug: str
    title: str
    path: str
    date: str | None = None
    description: str | None = None
    tags: list[str] = []
    author: str | None = None
    header: list[Sentence] = Field(
        [], description="the frontmatter's `key: value` lines, verbatim, for questions about the article"
    )

    @property
    def url(self) -> str | None:
        """The web address the article was read from: its frontmatter's `url:` line, when
        that is an http(s) address (a fetched page's article has one)."""
        return self.address(("url",))

    def address(self, keys: tuple[str, ...]) -> str | None:
        """The first http(s) address the frontmatter gives under one of `keys`, in their
        order; a `javascript:` or other scheme, or a value with spaces, is none."""
        found: dict[str, str] = {}
        for line in self.header:
            key, _, value = line.text.partition(":")
            key = key.strip().lower()
            if key not in keys:  # another line's address is never read (each answer asks for the url)
                continue
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if value.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in value):
                found.setdefault(key, value)
        return next((found[key] for key in keys if key in found), None)


class Citation(Record):
    marker: int
    section_id: str
    section_title: str
    factor: int | None = None
    quote: str = Field(description="the verbatim sentence from the article")
    line: int = Field(description="1-based line in the source file")
    source: str = Field("", description="path of the article file, or the address of its web page")
    article: str = Field("", description="the slug of the article it quotes (of a folder, its file's name)")
    article_title: str = Field("", description="the title of the article it quotes")
    part: int | None = Field(None, description="for a message of several questions: which of `parts` it answers")
    url: str | None = Field(
        None,
        description="for an article from the web: a link that opens its page at the quoted sentence (a text fragment)",
    )

    @property
    def label(self) -> str:
        """The section as a reader sees it in a list of sources."""
        return f"Factor {self.factor} · {self.section_title}" if self.factor is not None else self.section_title


class SectionScore(Record):
    section_id: str
    score: float


Coverage = Literal["covered", "partial", "closest", "none"]


class Part(Record):
    """One question of a message of several, and the outcome of its own answer."""

    question: str
    coverage: Coverage


class Answer(Record):
    question: str
    answered: bool = Field(description="true unless coverage is none")
    coverage: Coverage = Field(
        "covered",
        description="covered: the article answers it; partial: it answers part (missing says what it lacks); "
        "closest: it may not answer this directly, here is the nearest passage; none: not covered",
    )
    text: str = Field(description="only the quoted sentences and their [n] markers; a paragraph for each part")
    citations: list[Citation] = []
    parts: list[Part] = Field([], description="a message of several questions: each, answered apart, in order")
    ranking: list[SectionScore] = []
    missing: list[str] = Field([], description="question words the article never mentions")
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    message: str = Field("", description="a plain note to show beside the text, e.g. why nothing was quoted")
    topics: list[str] = Field([], description="what the article does cover, on a refusal")
    suggestions: list[str] = Field([], description="questions to try, after small talk")
    meaning: Literal["complete", "partial", "off"] = Field(
        "off",
        description="complete: every article's meaning ranked it; partial: some articles were still being "
        "encoded and were ranked by their words; off: words alone",
    )

    @property
    def section_id(self) -> str | None:
        """The section the answer stands on: its first citation's, else none."""
        return self.citations[0].section_id if self.citations else None
