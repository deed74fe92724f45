"""The web API's shapes: what a request may hold and what a reply holds.

Requests are validated here, at the boundary (a question is non-blank and at most
MAX_MESSAGE_CHARS; a conversation id has the store's alphabet and length). Replies
reuse the engine's models, so `/api/ask` returns what `career-chat ask --json` prints,
with the conversation's id beside it; a file is named by its name alone, never by the
server's path to it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from knowledge.inputs import field_fault, is_blank, mistyped_field, one_line
from knowledge.models import Answer, ArticleInfo, Section, Sentence

from ..render import source_name

if TYPE_CHECKING:
    from knowledge import KnowledgeBase

ID_LENGTH = 64
ConversationId = Annotated[str, StringConstraints(min_length=1, max_length=ID_LENGTH, pattern=r"^[A-Za-z0-9_-]+$")]
# Frontmatter keys that give an article's own address on the web, in order of preference.
_URL_KEYS = ("canonical_url", "canonical", "url", "permalink", "link", "source")


# A message the body limit (guards.MAX_BODY_BYTES) holds in any script: a long paste is taken,
# and its last question read (`knowledge.inputs.question_text`), as the CLI and app do.
MAX_MESSAGE_CHARS = 30_000


# A body /api/ask takes, as an error shows it.
EXAMPLE_BODY = '{"question": "what does it pay?"}'
# The error type of a field name a letter or two off one of _FIELDS, said as it is.
_MISTYPED = "mistyped_field"
# What each field of a request should be, as an error says it.
_FIELDS = {
    "question": f"the question as text, of at most {MAX_MESSAGE_CHARS:,} characters",
    "conversation_id": f"the conversation_id of an earlier reply (1 to {ID_LENGTH} letters, digits, - or _) or null",
}


class AskRequest(BaseModel):
    question: str = Field(
        max_length=MAX_MESSAGE_CHARS,
        description=f"the question, as typed; of a longer message (up to {MAX_MESSAGE_CHARS:,} characters) its last question is read",
    )
    conversation_id: ConversationId | None = Field(
        None, description="the id of an earlier reply, to ask a follow-up in its conversation"
    )

    @model_validator(mode="before")
    @classmethod
    def _no_field_mistyped(cls, body: object) -> object:
        # "conversation" (--jsonl's name) or "conversationId" read past would answer a
        # follow-up on its own, with conversation_lost false: as if it had been read.
        typo = mistyped_field(body, _FIELDS)
        if typo is not None:
            raise PydanticCustomError(_MISTYPED, typo)
        return body

    @field_validator("question")
    @classmethod
    def _asks_something(cls, question: str) -> str:
        if is_blank(question):  # as the engine reads it: "\x1b[31m" or "\u200b" is empty too
            raise ValueError("the question is empty; ask something about the article")
        return question


class AskReply(Answer):
    conversation_id: str = Field(description="send it back with the next question to ask a follow-up")
    conversation_lost: bool = Field(
        False,
        description="the conversation_id sent is not kept here (it expired, the server restarted, or another worker "
        "holds it): this question was read on its own, in a new conversation",
    )


class ArticleView(BaseModel):
    slug: str
    title: str
    file: str = Field(description="the article's file name")
    url: str | None = Field(None, description="the article's page on the web, from its frontmatter (http or https only)")
    date: str | None = None
    description: str | None = None


class SectionSummary(BaseModel):
    id: str
    title: str
    label: str
    factor: int | None = None
    line: int
    article: str
    file: str


class SectionView(SectionSummary):
    sentences: list[Sentence]


class Topics(BaseModel):
    title: str
    articles: list[ArticleView]
    sections: list[SectionSummary]
    examples: list[str] = Field(description="questions to try")
    version: str = Field(
        description="changes whenever the articles' text does: answers kept by a page (its conversation "
        "across a reload) hold for this version only"
    )


class Health(BaseModel):
    status: str = "ok"
    articles: int
    sections: int
    semantic: bool = Field(description="whether the sentence model is in use beside words")
    conversations: int = Field(description="conversations kept for follow-ups in this process (capped)")


class Problem(BaseModel):
    detail: str


def wrong_field(error: dict) -> str:
    """A request's first fault in plain words ("question: should be the question as text,
    not a number"), as a question file's is said (`knowledge.inputs.field_fault`)."""
    if error.get("type") == _MISTYPED:
        return str(error.get("msg", ""))
    return field_fault(
        error, _FIELDS, f"the body should be one JSON object, such as {EXAMPLE_BODY}", f"missing; send an object such as {EXAMPLE_BODY}"
    )


def reply(answer: Answer, conversation_id: str, lost: bool = False) -> AskReply:
    """The answer as the API sends it; `lost`: the conversation asked for was not kept."""
    citations = [c.model_copy(update={"source": source_name(c.source)}) for c in answer.citations]
    fields = {name: getattr(answer, name) for name in Answer.model_fields}
    extra = {"citations": citations, "conversation_id": conversation_id, "conversation_lost": lost}
    return AskReply.model_construct(**fields | extra)


def article_url(info: ArticleInfo) -> str | None:
    """The article's web address from its frontmatter, if it gives one that is http(s)."""
    address = info.address(_URL_KEYS)
    return one_line(address) if address else None


def article_view(info: ArticleInfo) -> ArticleView:
    return ArticleView(
        slug=info.slug,
        title=info.title,
        file=source_name(info.path),
        url=article_url(info),
        date=info.date,
        description=info.description,
    )


def texts_version(kb: "KnowledgeBase") -> str:
    """A digest of every passage the articles can quote (sections and frontmatter lines):
    a page shows a kept answer again only while it is the same, never a sentence since
    edited out of the article."""
    digest = hashlib.sha256()
    for section in kb.sections:
        digest.update(f"{len(section.id)}:{section.id}{len(section.text)}:{section.text}".encode("utf-8", "surrogatepass"))
    for info in kb.articles:
        for line in info.header:
            digest.update(f"{line.line}:{len(line.text)}:{line.text}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def summary(section: Section) -> dict:
    return {
        "id": section.id,
        "title": section.title,
        "label": section.label,
        "factor": section.factor,
        "line": section.line,
        "article": section.article,
        "file": source_name(section.source),
    }


def section_view(section: Section) -> SectionView:
    return SectionView(**summary(section), sentences=section.sentences)
