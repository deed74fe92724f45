"""A conversation with the article: follow-ups read in the light of what came before."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from knowledge.answer.parts import answers_alone, is_short
from knowledge.inputs import question_text

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase
    from knowledge.rank.query import Query

# A conversation keeps its last turns only: enough for follow-ups, and bounded wherever
# conversations are kept (a server's, a --jsonl run's, the last one on disk).
KEPT_TURNS = 20


# Read only from a conversation's second turn: patterns' texts, compiled (and kept, by
# `re`) when first used, not by every one-question `ask` (1 ms of its start).
_MORE = (
    r"(?i)^\W*(?:(?:please|ok|okay|and|so)\W+)*(?:tell me more|more|go on|continue|keep going|say more|"
    r"(?:can|could) you (?:expand|elaborate)(?: on (?:that|this))?|expand(?: on (?:that|this))?|"
    r"elaborate|what else|anything else|and then)(?:\W+please)?\W*$"
)
# Words that point back at what was said: "and the money?", "what about it?", "why?".
_LEANS = r"(?i)^\W*(and|but|so|also|what about|how about|then|why|how come)\b|\b(it|that|this|they|them|those|these|there)\b"


@dataclass
class Turn:
    question: str  # as the person typed it
    answer: Answer
    basis: str  # what the engine was asked: the question, or it with the one before


@dataclass
class Conversation:
    """Questions and answers in order; `ask` understands "tell me more" and short follow-ups.

    A follow-up is answered on its own first. Only a short turn that points back ("and in
    Germany?", "why?") and cannot stand alone (refused, no topic of its own, or nothing but
    the article's subject) is read together with the previous question: a new, complete
    question, a greeting or thanks is never dragged back to the old topic.

    One conversation is one person's, asked from one thread at a time; any number of them
    may share one `KnowledgeBase`, from several threads. `to_data` and `from_data` keep
    one between requests or runs.
    """

    kb: KnowledgeBase
    turns: list[Turn] = field(default_factory=list)
    keep: int = KEPT_TURNS  # turns kept, the latest

    def __post_init__(self) -> None:
        from knowledge import KnowledgeBase

        if not isinstance(self.kb, KnowledgeBase):
            raise TypeError(f"a Conversation is over a loaded article (KnowledgeBase.load()), not {type(self.kb).__name__}")
        if isinstance(self.keep, bool) or not isinstance(self.keep, int):
            raise TypeError(f"keep is how many turns to keep, a whole number, not {self.keep!r}")
        if self.keep < 1:
            raise ValueError("a conversation keeps at least its last turn")

    def ask(self, question: str) -> Answer:
        """The answer to `question`, read in the light of the turns before it; the turn is
        kept (the last `keep`). `ValueError` for a blank question, `TypeError` for one that
        is not a string."""
        # As the engine reads it (a long paste: its last question): a turn keeps no more, so
        # a conversation's size is bounded by its turns whatever was pasted. A blank one is
        # a ValueError (`QuestionError`), one not a string a TypeError, as `kb.ask` says.
        question = question_text(question)
        last = self._last_answered()
        basis = question
        if last is not None and re.match(_MORE, question):
            basis = last.basis
            answer = self._more(question, last)
        else:
            answer = self.kb.ask(question)
            words = self._pointing_back(question, answer) if last is not None else None
            other = self._another_article(words, last) if words is not None else None
            if other is not None:
                # Of a folder, "and pilots?" after the nurses' pay asks the pilots' pay: the
                # last turn's question with it, of the article the turn names (its own
                # answer, the pilot article's opening, where that article does not cover it),
                # and the next turn is read with both ("and in Germany?": the pilots').
                switched = self.kb.ask(f"{last.basis} {question}", whole=True, article=other)
                if switched.answered:
                    answer, basis, words = switched.model_copy(update={"question": question}), f"{last.basis} {question}", None
            if words is not None and self.kb.names_elsewhere(words, self._article_of(last)):
                words = None  # "and what is the NCLEX?" after the welders' pay: that, wherever it is
            if words is not None and self._leans_across(words, answer, last):
                # Of a folder, "what about the pay?" after a data analyst's answer asks the
                # data analyst's pay, not the pay passage of whichever article ranks first:
                # the turn asked of the same article, as if it named it. Where that article
                # does not answer it alone, it is read with the turn before, of that article,
                # and else refused naming it ("will AI replace them?" after the electricians'
                # pay), never another article's passage: as a message's parts are.
                answer = self.kb.ask(question, article=self._article_of(last))
                if answer.answered:
                    words = None
            if words is not None and answers_alone(answer, self.kb.about_whole_subject(words)):
                words = None  # its own reading stands alone: not read with the turn before
            if words is not None:
                basis = f"{last.basis} {question}"
                combined = self.kb.ask(basis, whole=True, article=self._article_of(last))  # one question: its parts are the two turns
                again = combined.section_id == last.answer.section_id
                if self._points_elsewhere(words, answer, combined) or (again and self._names_another_topic(words, answer, last)):
                    # "and the money?" after "is it a real job?", "is it hard work?" after the
                    # pay: its own words found another passage, and the joined reading is only
                    # a guess, or the last passage found again: the turn's own reading.
                    combined, basis = answer, question
                elif again:
                    # Same passage: go on with what was not quoted yet, never repeat it. When
                    # all of it was quoted and the turn alone is refused, the joined reading
                    # itself ("and in Germany?": the pay passage again, saying Germany is not
                    # in it) rather than a refusal; else the turn's own answer, below.
                    more = self._more(question, last, basis)
                    combined = more if more.answered or answer.answered else combined
                if combined.answered:
                    answer = combined.model_copy(update={"question": question})
                else:
                    basis = question
        self.turns.append(Turn(question, answer, basis))
        del self.turns[: -self.keep]
        return answer

    def clear(self) -> None:
        """Forget every turn: the next question starts a new conversation."""
        self.turns.clear()

    def to_data(self) -> list[dict[str, Any]]:
        """Its turns as JSON data ({question, basis, answer} each), to keep it between
        requests or runs: the conversation itself holds the loaded articles, never saved."""
        return [{"question": t.question, "basis": t.basis, "answer": as_data(t.answer)} for t in self.turns]

    @classmethod
    def from_data(cls, kb: KnowledgeBase, data: Any, keep: int = KEPT_TURNS) -> Conversation:
        """The conversation `to_data` gave, over the same articles, to go on with.
        `ValueError` when `data` is not such turns, or an answer in it quotes what these
        articles do not say where it claims (kept with other articles, or edited since)."""
        from knowledge import Answer

        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise ValueError("a kept conversation is a list of turns, each {question, basis, answer}")
        conversation = cls(kb, [], keep)  # `keep` checked before it counts the turns
        for row in data[-conversation.keep :]:
            question, basis = row.get("question"), row.get("basis")
            if not isinstance(question, str) or not isinstance(basis, str):
                raise ValueError("each kept turn has a question and a basis, both strings")
            answer = Answer.model_validate(row.get("answer"))  # pydantic's ValidationError is a ValueError
            if not kb.quotes_its_own(answer):
                raise ValueError("the kept conversation quotes what these articles do not say (other articles, or edited since)")
            conversation.turns.append(Turn(question, answer, basis))
        return conversation

    def _last_answered(self) -> Turn | None:
        return next((t for t in reversed(self.turns) if t.answer.answered and t.answer.citations), None)

    def _pointing_back(self, question: str, answer: Answer) -> Query | None:
        """The turn's words (read without meaning: no second encoding) when it is short and
        points back ("and the money?", "what about it?"); else None."""
        if answer.suggestions or not re.search(_LEANS, question):  # small talk, or a whole question
            return None
        query = self.kb.read(question, meaning=False)
        return query if is_short(query) else None

    def _article_of(self, turn: Turn) -> str | None:
        """Of a folder, the article the turn's answer quotes; None of one article."""
        return turn.answer.citations[0].article if len(self.kb.articles) > 1 else None

    def _another_article(self, query: Query, last: Turn) -> str | None:
        """Of a folder: the article a turn pointing back (its words: `query`) names with
        nothing else ("and pilots?", "what about for nurses?"), when it is not the one the
        last answer quoted; else None."""
        if query.article is None or not self.kb.about_whole_subject(query):
            return None
        named = self.kb.articles[query.article].slug
        return named if named != self._article_of(last) else None

    def _leans_across(self, query: Query, alone: Answer, last: Turn) -> bool:
        """Of several articles: a turn pointing back (its words: `query`) that its own
        reading answers from another article than the last turn's, though it names none of
        that article's title ("what about pilots?" does, and goes there)."""
        if len(self.kb.articles) < 2 or not alone.citations:
            return False
        article = alone.citations[0].article
        if article == last.answer.citations[0].article:
            return False
        title = next((a.title for a in self.kb.articles if a.slug == article), "")
        named = {s for t in self.kb.read(title, meaning=False).known for s in t.stems}
        return not any(s in named for t in query.known for s in t.stems)

    def _points_elsewhere(self, query: Query, alone: Answer, combined: Answer) -> bool:
        """The turn (its words: `query`) names a topic of its own whose passage differs from
        the joined reading's, and the joined reading is no more than the closest passage."""
        if combined.coverage != "closest" or alone.section_id in (None, combined.section_id):
            return False
        # "the prompt engineers" name no topic of their own
        return bool(query.known) and not self.kb.about_whole_subject(query)

    def _names_another_topic(self, query: Query, alone: Answer, last: Turn) -> bool:
        """The turn (its words: `query`) names a career topic of its own, one the article has
        or lacks ("hard", "hours", "stressful"; not "high", a place, nor the article's
        subject alone) and, read alone, ranks another passage than the last turn's first."""
        if not any(t.groups for t in query.known + query.missing) or self.kb.about_whole_subject(query) or not alone.ranking:
            return False
        return alone.ranking[0].section_id != last.answer.section_id

    def _more(self, question: str, last: Turn, basis: str | None = None) -> Answer:
        """The next best sentences of the passage the last answer came from."""
        section = last.answer.citations[0].section_id
        shown = {
            c.quote
            for t in self.turns
            for c in t.answer.citations
            if c.section_id == section
        }
        answer = self.kb.ask(basis or last.basis, section_id=section, exclude=shown)
        return answer.model_copy(update={"question": question})


def as_data(value: Any) -> Any:
    """An answer as JSON data, read from its fields as the engine made them: what
    `model_dump(mode="json")` gives for its plain fields, without building pydantic's
    serializer, which was 20 ms of every cold `career-chat ask`."""
    # Imported here: at the top it came before the command started reading the model.
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return {name: as_data(field) for name, field in vars(value).items()}
    if isinstance(value, (list, tuple)):
        return [as_data(item) for item in value]
    return value
