"""A conversation with the article: follow-ups read in the light of what came before."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge import Answer, KnowledgeBase

_MORE = re.compile(
    r"^\W*(?:(?:please|ok|okay|and|so)\W+)*(?:tell me more|more|go on|continue|keep going|say more|"
    r"(?:can|could) you (?:expand|elaborate)(?: on (?:that|this))?|expand(?: on (?:that|this))?|"
    r"elaborate|what else|anything else|and then)(?:\W+please)?\W*$",
    re.I,
)
# A question with this few words of its own may lean on the one before it.
_SHORT = 4


@dataclass
class Turn:
    question: str  # as the person typed it
    answer: Answer
    basis: str  # what the engine was asked: the question, or it with the one before


@dataclass
class Conversation:
    """Questions and answers in order; `ask` understands "tell me more" and short follow-ups.

    A follow-up is answered on its own first; only when that fails (refused, or nothing but
    the article's subject in it) is it read together with the previous question, so a new,
    complete question is never dragged back to the old topic.
    """

    kb: KnowledgeBase
    turns: list[Turn] = field(default_factory=list)

    def ask(self, question: str) -> Answer:
        if not question.strip():
            raise ValueError("the question is empty; ask something about the article")
        last = self._last_answered()
        basis = question
        if last is not None and _MORE.match(question):
            basis = last.basis
            answer = self._more(question, last)
        else:
            answer = self.kb.ask(question)
            if last is not None and self._leans_on_context(question, answer):
                combined = self.kb.ask(f"{last.basis} {question}")
                if combined.answered:
                    basis = f"{last.basis} {question}"
                    answer = combined.model_copy(update={"question": question})
        self.turns.append(Turn(question, answer, basis))
        return answer

    def clear(self) -> None:
        self.turns.clear()

    def _last_answered(self) -> Turn | None:
        return next((t for t in reversed(self.turns) if t.answer.answered and t.answer.citations), None)

    def _leans_on_context(self, question: str, answer: Answer) -> bool:
        query = self.kb.read(question)
        short = len(query.known) + len(query.missing) + len(query.unknown) <= _SHORT
        return short and (not answer.answered or self.kb.about_whole_subject(query))

    def _more(self, question: str, last: Turn) -> Answer:
        """The next best sentences of the passage the last answer came from."""
        section = last.answer.citations[0].section_id
        shown = {
            c.quote
            for t in self.turns
            for c in t.answer.citations
            if c.section_id == section
        }
        answer = self.kb.ask(last.basis, section_id=section, exclude=shown)
        return answer.model_copy(update={"question": question})
