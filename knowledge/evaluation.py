"""Score the engine on a question file: the same code for `career-chat eval` and the tests."""

from __future__ import annotations

import difflib
import json
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from .inputs import display_path, field_fault, mistyped_field, safe_text
from .models import Answer


class QuestionFileError(ValueError):
    """A question file that cannot be read; the message names the line."""


class EvalQuestion(BaseModel):
    id: str
    question: str
    section: str | None
    alt_sections: list[str] = Field(default_factory=list)
    answer_contains: str | None = None
    kind: str = "unknown"
    style: list[str] = Field(default_factory=list)

    @field_validator("id", "question", "section", "alt_sections", "answer_contains", "kind", "style")
    @classmethod
    def _safe(cls, value: str | list[str] | None) -> str | list[str] | None:
        """Every field with control and bidi characters removed: each may be printed (a
        failure's id and section, a kind's row), and a question file comes from anyone."""
        if isinstance(value, list):
            return [safe_text(item) for item in value]
        return safe_text(value) if isinstance(value, str) else value

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is blank; every line needs a question")
        return value

    @property
    def in_scope(self) -> bool:
        return self.section is not None

    @property
    def near_topic(self) -> bool:
        return not self.in_scope and "near-topic" in self.style

    @property
    def expected(self) -> list[str]:
        return ([self.section] if self.section else []) + self.alt_sections


class Outcome(BaseModel):
    question: EvalQuestion
    answer: Answer
    rank: int | None = Field(None, description="1-based rank of the first expected section, if ranked")
    top1: bool = False
    contains: bool = False

    @property
    def refused(self) -> bool:
        return not self.answer.answered

    @property
    def hedged(self) -> bool:
        """Answered, but marked as partly covered or as only the closest passage."""
        return self.answer.coverage in ("partial", "closest")

    @property
    def right(self) -> bool:
        """The answer stands on a passage that answers the question: what "Answered" promises."""
        return self.question.in_scope and self.top1

    @property
    def passed(self) -> bool:
        q = self.question
        if not q.in_scope:
            return self.refused or (q.near_topic and self.hedged)
        return self.top1 and not self.refused and (q.answer_contains is None or self.contains)


class Figures(BaseModel):
    """The measures of one group of questions; None where the group has no such question."""

    count: int
    in_scope: int
    top1: float | None = None
    top3: float | None = None
    mrr: float | None = None
    contains: float | None = None
    wrongly_refused: float | None = None
    hedged: float | None = Field(None, description="in-scope answers marked partial or closest")
    out_of_scope: int = 0
    refused: float | None = None
    near_topic: int = 0
    near_topic_handled: float | None = None
    covered: float | None = Field(None, description="share of all questions answered as covered")
    covered_precision: float | None = Field(None, description="covered answers that stand on a right passage")
    precision_at: dict[str, float | None] = Field(
        default_factory=dict,
        description="precision of the most confident answers covering 50%, 70%, 90% of the questions",
    )


class Report(BaseModel):
    overall: Figures
    kinds: dict[str, Figures]
    outcomes: list[Outcome]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]


def read_questions(path: str | Path) -> list[EvalQuestion]:
    """Questions from a JSONL file; a line that cannot be read is an error naming the file
    and its number, whatever went wrong in it.

    Lines end at "\\n" only, as JSON Lines says: `str.splitlines` also breaks at U+2028,
    U+0085 and others, which JSON allows raw inside a string."""
    shown = display_path(path)
    try:
        with open(path, "rb") as handle:  # judged by what was opened, not a name that may change
            if _is_device(os.fstat(handle.fileno()).st_mode):
                raise QuestionFileError(f"{shown}: is a device, not a question file; give a .jsonl file of questions")
            data = handle.read()
    except FileNotFoundError:
        raise QuestionFileError(f"{shown}: no such file; give a .jsonl file of questions") from None
    except OSError as error:
        raise QuestionFileError(f"{shown}: cannot be read ({error.strerror}); check the path and permissions") from None
    return parse_questions(data, shown)


def parse_questions(data: bytes, shown: str) -> list[EvalQuestion]:
    """Questions from a JSONL file's bytes (`read_questions`; standard input's, `eval -`),
    its errors naming `shown` and the line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise QuestionFileError(f"{shown}:{line}: not UTF-8 text (byte {error.start}); save the file as UTF-8") from None
    questions, lines = [], {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        question = _question(line, f"{shown}:{number}")
        if question.id in lines:  # a failure named by its id would name two questions
            raise QuestionFileError(f"{shown}:{number}: id {question.id!r} is line {lines[question.id]}'s too; give each question its own id")
        lines[question.id] = number
        questions.append(question)
    if not questions:
        raise QuestionFileError(f"{shown}: holds no questions")
    return questions


def _is_device(mode: int) -> bool:
    """Whether a file of this mode is a device: /dev/zero or /dev/urandom would be read
    without end. A pipe is read (`eval <(make-questions)`): it ends when its writer does."""
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)


# What each field holds, as a question file's writer would say it.
_FIELDS = {
    "id": "text",
    "question": "text",
    "section": "a section id (text) or null",
    "alt_sections": "a list of section ids",
    "answer_contains": "text or null",
    "kind": "text",
    "style": 'a list of words, such as ["near-topic"]',
}
_ONE_A_LINE = "each line holds one whole JSON object (JSON Lines: not CSV, nor a JSON array, nor an object over several lines)"
_NOT_AN_OBJECT = 'should be one JSON object, such as {"id": "q1", "question": "...", "section": "pay"}'
_MISSING = "missing; every line needs id, question and section (null when the article should not answer)"


def _question(line: str, where: str) -> EvalQuestion:
    """One line's question; any failure to read it (bad JSON, a wrong field, JSON nested
    past Python's recursion limit, a number of thousands of digits) says where it is."""
    try:
        row = json.loads(line)
        typo = mistyped_field(row, _FIELDS)
        if typo is not None:
            raise QuestionFileError(f"{where}: {typo}")
        return EvalQuestion.model_validate(row)
    except QuestionFileError:
        raise
    except json.JSONDecodeError as error:
        # A CSV, a JSON array or an object spread over lines, all of them a first mistake.
        raise QuestionFileError(f"{where}: not valid JSON ({error.msg}); {_ONE_A_LINE}") from None
    except ValidationError as error:
        said = field_fault(error.errors()[0], _FIELDS, _NOT_AN_OBJECT, _MISSING)
        raise QuestionFileError(f"{where}: {said}") from None
    except RecursionError:
        raise QuestionFileError(f"{where}: not valid JSON (nested too deeply); give one flat object a line") from None
    except ValueError:  # an integer past Python's digit limit, among others
        raise QuestionFileError(f"{where}: not valid JSON (a value out of range, such as a number too long)") from None


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


def _same_section(found: str, expected: str) -> bool:
    """Ids match, also when several articles prefix theirs with `<article>/`."""
    return found == expected or found.endswith("/" + expected)


def _names(section_id: str) -> set[str]:
    """The id and each ending of it after a "/": every label `_same_section` matches it by."""
    parts = section_id.split("/")
    return {"/".join(parts[n:]) for n in range(len(parts))}


def unknown_sections(questions: list[EvalQuestion], section_ids: Iterable[str]) -> list[tuple[EvalQuestion, str]]:
    """Each (question, label) whose section or alternative no section of the article has:
    such a row can only score a miss, so a wrong label would lower the figures in silence."""
    known = set().union(*(_names(section_id) for section_id in section_ids))
    return [(q, label) for q in questions for label in q.expected if label not in known]


def nearest_section(label: str, section_ids: Iterable[str]) -> str | None:
    """The section id a label the article lacks most likely meant (a letter off, the
    heading written for its id), or None: said with the error, the fix is one edit."""
    names = {name.lower(): name for section_id in section_ids for name in sorted(_names(section_id))}
    found = difflib.get_close_matches(label.lower(), names, n=1, cutoff=0.6)
    return names[found[0]] if found else None


def judge(question: EvalQuestion, answer: Answer) -> Outcome:
    rank = next(
        (n for n, s in enumerate(answer.ranking, start=1) if any(_same_section(s.section_id, e) for e in question.expected)),
        None,
    )
    cited = answer.section_id
    top1 = answer.answered and cited is not None and any(_same_section(cited, e) for e in question.expected)
    contains = bool(question.answer_contains) and _norm(question.answer_contains) in _norm(answer.text)
    return Outcome(question=question, answer=answer, rank=rank, top1=top1, contains=contains)


def _share(hits: Iterable[bool]) -> float | None:
    values = list(hits)
    return round(sum(values) / len(values), 3) if values else None


RISK_LEVELS = (0.5, 0.7, 0.9)


def precision_at(outcomes: list[Outcome], level: float) -> float | None:
    """Precision when only the most confident answers, `level` of all questions, are given:
    one point of the risk-coverage curve. None when fewer answers than that were given."""
    wanted = round(level * len(outcomes))
    given = sorted((o for o in outcomes if o.answer.answered), key=lambda o: -o.answer.confidence)
    if wanted == 0 or len(given) < wanted:
        return None
    return _share(o.right for o in given[:wanted])


def figures(outcomes: list[Outcome]) -> Figures:
    covered = [o for o in outcomes if o.answer.coverage == "covered" and o.answer.answered]
    scope = [o for o in outcomes if o.question.in_scope]
    out = [o for o in outcomes if not o.question.in_scope]
    near = [o for o in out if o.question.near_topic]
    return Figures(
        count=len(outcomes),
        in_scope=len(scope),
        top1=_share(o.top1 for o in scope),
        top3=_share(o.rank is not None and o.rank <= 3 for o in scope),
        mrr=round(sum(1 / o.rank for o in scope if o.rank) / len(scope), 3) if scope else None,
        contains=_share(o.contains for o in scope if o.question.answer_contains),
        wrongly_refused=_share(o.refused for o in scope),
        hedged=_share(o.hedged for o in scope),
        out_of_scope=len(out),
        refused=_share(o.refused for o in out if not o.question.near_topic),
        near_topic=len(near),
        near_topic_handled=_share(o.passed for o in near),
        covered=_share(o.answer.coverage == "covered" and o.answer.answered for o in outcomes),
        covered_precision=_share(o.right for o in covered),
        precision_at={f"{round(level * 100)}%": precision_at(outcomes, level) for level in RISK_LEVELS},
    )


def evaluate(
    questions: list[EvalQuestion],
    ask: Callable[[str], Answer],
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Ask every question through `ask` and measure the answers, overall and per kind."""
    outcomes = []
    for n, question in enumerate(questions, start=1):
        outcomes.append(judge(question, ask(question.question)))
        if progress:
            progress(n, len(questions))
    kinds: dict[str, list[Outcome]] = {}
    for o in outcomes:
        kinds.setdefault(o.question.kind, []).append(o)
    return Report(overall=figures(outcomes), kinds={k: figures(v) for k, v in sorted(kinds.items())}, outcomes=outcomes)
