"""A message that asks several things: split it into its questions, and join their answers.

Real messages often ask two or three things at once ("How long will it take? What will it
cost?"). Each question the article covers is answered from its own passage, with its own
citations; the ones it does not cover are named. A question that cannot stand alone ("Is
it fun?", no topic of its own) stays with the question before it; one that goes on from it
("And in Germany?") is a part of its own, read with it (`Asked.after`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..inputs import CLOSING, SENTENCE_END, ends_asking
from ..models import Answer, Citation, Part

if TYPE_CHECKING:
    from ..rank.query import Query

# At most this many questions of one message are answered, each apart; the rest are named,
# to be asked on their own (a pasted list of twenty would bury each answer).
MOST_PARTS = 5
# Each part's answer quotes at most this many sentences, so the whole stays short.
PART_SENTENCES = 2

# Words that lead into a question ("and how ...", "so what ...").
_LEAD_WORDS = "and|but|or|also|so|then|plus"
# The question words that open a second question after "and".
_ASKING = "what|how|why|when|where|who|which"
# A question word with its "is" ("what's", "who's"), typed as often without the apostrophe
# ("whats", "hows", "whos", "wheres", "whens", "whys"): it holds its auxiliary.
_ASKING_IS = r"(?:what|how|who|where|when|why)['’]?s"
# Patterns read only where a message holds more than one question (a list, "... and ...",
# several sentences asking) are texts, compiled (and kept, by `re`) when first used: a
# message of one question, most of them, never reads them (2 ms of every start).
# A question of its own opens with a question word or an auxiliary ("what ...", "is it ...",
# "also, how ..."); "and in Germany?" is a follow-on to the question before it.
_OPENS = (
    rf"(?i)^\W*(({_LEAD_WORDS})\b\W*)*({_ASKING_IS}|what|how|why|when|where|who|whom|which|whose|is|are|was|were|"
    r"do|does|did|can|could|will|would|should|shall|may|might|must|has|have|had|isn't|aren't|don't|doesn't|won't|"
    r"can't|am|any|anything|tell me)\b"
)
# "And the workload?" after a question names a thing of its own to ask about; "and in
# Germany?", "and for beginners?" narrow the question before them.
_NAMES_NEXT = rf"(?i)^\W*(?:{_LEAD_WORDS})\W+(?:the|your|my|its|their)\b"
# A sentence with words in it, not only stops ("...").
_WORDED = re.compile(r"[^?!.\s]")
# A sentence that a joining word opens ("and what does it pay", "and in Germany").
_JOINED_ON = rf"(?i)^\W*(?:{_LEAD_WORDS})\b"
# A sentence of a leading word alone ("and?", "So..."): it leads into the next, asks nothing.
_ONLY_LEADING = rf"(?i)\W*(?:{_LEAD_WORDS})\W*"
# "... and will it last?", "... and how much does it pay?": a second question joined by
# "and". An auxiliary opens one only before a pronoun ("and have a life" goes on the first;
# "and do it full time", "and have that count": a verb and its object, as "do" and "have"
# never ask of "it") or before a thing named with "the", "my", ... (`_ASKS_OF`: "and are
# the jobs full time"), a question word only before an auxiliary within two words, none of
# them its subject ("and what you want to do", "and how they are wired" are clauses of the
# first), or with its auxiliary held ("and whats the workload"); "or is ..." offers an
# alternative, one question. "And also", "and then" join as
# "and" does ("... and also is it stable?").
_AUXILIARY = r"(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|am|isn't|aren't|don't|doesn't|won't|can't)"
_SUBJECT = r"(?:i|you|he|she|it|we|they)"
# An auxiliary that asks of a thing named after it ("and are the jobs full time", "and does
# the pay rise"); "do" and "have" before one are a verb and its object ("and do the work"),
# "is a" and "is the best" end a clause ("... and is a good fit", "which pays most and is
# the least stressful").
_ASKS_OF = r"(?:is|are|was|were|does|will|would|can|could|should)"
_JOINED = re.compile(
    rf"(,?\s+and\s+(?:(?:also|then)\s+)?)(?=(?:(?!(?:do|have)\s+(?:it|he|she|this|that)\b){_AUXILIARY}\s+(?:it|i|you|they|we|he|she|there|this|that)\b"
    rf"|{_ASKS_OF}\s+(?:the|my|your|their|its|these|those)\s+(?!(?:most|least|best|worst|only|same|one|ones)\b|\w+est\b)\w"
    rf"|(?:{_ASKING})(?:\s+(?!{_SUBJECT}\b)\w+)?\s+{_AUXILIARY}\b|{_ASKING_IS}\b|(?:what|how)\s+about\b))",
    re.I,
)

_ENDS_ASKING = rf"(?i)\b(?:{_ASKING})$"
# A question of its own after "and": its auxiliary before a subject ("what does it pay",
# "how long does it take", "where do I look"); a clause ("who are good with ...", "what
# doctors do") has none.
_INVERTED = rf"(?i)\w+(?:\s+\w+){{0,2}}?\s+{_AUXILIARY}\s+(?:{_SUBJECT}|there|the|a|an|my|your|this|that|these|those)\b"
# Words that lead into a question rather than end a clause before it ("so what ...",
# "well, what ...").
_LEADS_IN = rf"(?:{_LEAD_WORDS}|well|ok|okay|now|hey|hi)"
# "whats", "hows", "whos": typed without the apostrophe, as in lazy messages.
_OPENS_ASKING = re.compile(rf"({_ASKING})(['’]?s)?\b", re.I)


def questions(text: str) -> list[str]:
    """The message's questions in order, each with a statement before it kept in front
    as its context ("I'm 40. Is it too late?" is one question)."""
    return [question for question, _ in _questions(text)]


def _questions(text: str) -> list[tuple[str, bool]]:
    """`questions`, each with whether a word joined it to the question before ("... ? And
    is the work lonely?", the word left out; "... earn and is the work lonely?")."""
    found: list[tuple[str, bool]] = []
    context, leading = "", False
    # Cut where a sentence ends (`SENTENCE_END`): a stop inside a word ("GPT-4.5",
    # "openai.com", "the U.S.?") ends nothing; each item of a list ends one.
    pieces = [p for item in _items(text) for p in SENTENCE_END.split(item)]
    # A list's marker is no part of its item ("1. What does it pay? 2) Is it stable?").
    pieces = [q for q in (_MARKER.sub("", p, count=1) for p in pieces) if q]
    if "?" not in text and pieces and _opens_asking(pieces[-1]) and not _ended(pieces[-1]):
        # A message typed without question marks ("what does it pay and is it a real job",
        # "whats the pay and do i need a degree", "is it worth it and how long does it take"):
        # its last question ends as one. After a marked question, an unmarked end ("... get
        # you hired? how do i check") leans on it and is read with it. A list's last item
        # has its question mark already (`_items`). A question after a lead-in clause ("I'm
        # Dev, 22, what does it pay and whats the workload") ends as one too.
        pieces[-1] += "?"
    elif pieces and re.match(_JOINED_ON, pieces[-1]) and re.match(_OPENS, pieces[-1]) and not _ended(pieces[-1]):
        # After a marked question, an unmarked end that a joining word opens as a question
        # ("is it a real job? and what does it pay") is one of its own, typed lazily.
        pieces[-1] += "?"
    for piece in pieces:
        if not _ended(piece) or not _WORDED.search(piece):
            continue  # an unfinished last sentence, or only stops ("...")
        if re.fullmatch(_ONLY_LEADING, piece):
            # "What does it pay? and? is it safe?", "And... is it stable?": the word asks
            # nothing, and joins the question after it to the one before.
            leading = bool(found)
            continue
        if ends_asking(piece):
            asked = _joined(piece)
            if len(asked[0].split()) < 2:  # "What and how should I charge?": one question
                asked = [piece]
            first = asked[0] if context or not found else _unjoined(asked[0])
            found.append((f"{context} {_as_asked(first)}".strip(), first != asked[0] or leading))
            found.extend((_as_asked(q[0].upper() + q[1:]), True) for q in asked[1:])  # "and" joined it
            context, leading = "", False
        else:
            context = f"{context} {piece}".strip()
    return found


def _ended(sentence: str) -> bool:
    """Whether a sentence ends as one, with "?", "!" or "." (before any closing quote or
    bracket)."""
    return sentence.rstrip(CLOSING).endswith(("?", "!", "."))


# A short lead-in a comma ends ("And in the end, ...", "I'm Dev, ...").
_LEAD_IN = re.compile(r"[^,]{0,24},\s*")


def _opens_asking(sentence: str) -> bool:
    """Whether a sentence opens as a question, at once or after one or two short lead-ins
    ("And in the end, is there ...", "I'm Dev, 22, what does it pay")."""
    for _ in range(3):
        if re.match(_OPENS, sentence):
            return True
        lead_in = _LEAD_IN.match(sentence)
        if lead_in is None:
            return False
        sentence = sentence[lead_in.end() :]
    return False


# A list's marker before an item: "1.", "2)", "(a)", "b)", "-", "•"; a letter only with its
# bracket ("I. e. in the USA?" is no item).
_MARKER_FORM = r"(?:\(?\d{1,2}[.)]|\(?[a-z]\)|[-*•])"
_MARKER = re.compile(rf"^\s*{_MARKER_FORM}(?:\s+|$)", re.I)
# A line break before a list's item (the spaces around it go with the items, stripped
# there: "\s*\n(?=\s*...)" tried each run of blank lines again from each of its
# characters, minutes for a paste of a thousand).
_NEXT_ITEM = re.compile(rf"\n(?=[ \t]*{_MARKER_FORM}\s)", re.I)


def _items(text: str) -> list[str]:
    """The message, or each item of a list it is ("1. what does it pay" and "2. is it
    stable" on lines of their own); an item typed without its mark that opens as a question
    ends as one, as it would have on a line of its own."""
    items = _NEXT_ITEM.split(text.strip())
    if len(items) < 2:
        return items
    asked = [_MARKER.sub("", item, count=1).rstrip() for item in items]
    return [i + "?" if re.match(_OPENS, i) and not _ended(i) else i for i in asked]


# The words that join a question of its own to the one before it ("... ? and is burnout
# common?", "but is it stable?"), and then a question word or an auxiliary; not "or", which
# offers an alternative to it.
_JOINING = re.compile(r"^\W*(?:(?:and|but|also|so|then|plus)\b[\s,]*)+", re.I)


def _unjoined(question: str) -> str:
    """A question after another without the word that joined it ("and is burnout common?"
    -> "Is burnout common?"), as a question "and" joined within a sentence is: a question of
    its own, not one going on from the question before it. A follow-on keeps its word ("and
    in Germany?" narrows the question before it; "and the workload?")."""
    joining = _JOINING.match(question)
    rest = question[joining.end() :] if joining else ""
    if not rest or not re.match(_OPENS, rest) or re.match(r"(?i)(?:or|tell me)\b", rest):
        return question
    return rest[0].upper() + rest[1:]


def _as_asked(question: str) -> str:
    """One of the questions "and" joined, ending as a question ("what does it pay ," -> "what
    does it pay?")."""
    return question if ends_asking(question) else question.rstrip(", ") + "?"


def _joined(piece: str) -> list[str]:
    """The questions "and" joins in `piece`; a question word just before an "and" stays
    with what follows ("is it too late, and where and how do I apply?" is not cut into
    "... and where?" and "How do I apply?")."""
    found: list[str] = []
    cut = _JOINED.split(piece)  # the text between, and each "and" that joined it, in turn
    for at in range(0, len(cut), 2):
        part = cut[at]
        if found and (re.search(_ENDS_ASKING, found[-1]) or _continues(found[-1], part)):
            found[-1] = f"{found[-1]}{cut[at - 1]}{part}"  # as typed
        else:
            found.append(part)
    return found


def _continues(before: str, part: str) -> bool:
    """Whether `part` opens with a question word that `before` already used inside a
    clause, after a word of its own ("people who like math and who are good with their
    hands", "the difference between what nurses do and what doctors do"): the same clause
    again, joined, not a second question. After a comma or a lead-in word ("I'm a nurse,
    what does it pay and what are the hours?") the word opened a question."""
    asking = _OPENS_ASKING.match(part)
    # "who's good with ..." is "who is good with ...": read with its "is", and the question
    # word itself sought in `before` ("people who like math and who's good with ...").
    held = f"{asking.group(1)} is{part[asking.end() :]}" if asking is not None and asking.group(2) else part
    if asking is None or re.match(_INVERTED, held):
        return False
    return re.search(rf"\b(?!{_LEADS_IN}\b)[a-z']+\s+{asking.group(1)}\b", before, re.I) is not None


class Asked(NamedTuple):
    """One part of a message: its question, and the question before it that it may lean on
    (`after`, "" for a question of its own): "and in Germany?" after "What does it pay?" is
    the pay question again, asked of Germany."""

    question: str
    after: str = ""
    # Joined to the question before by a word ("... ? And is the work lonely?", "... earn and
    # is the work lonely?") though read on its own: about the same thing, so of a folder
    # asked of the same article.
    joined: bool = False


def parts(text: str, stands_alone: Callable[[str], bool]) -> list[Asked]:
    """The questions to answer apart, each with a topic of its own (`stands_alone`); one
    without ("is it fun?" beside "what does it pay?") is read with the question before it
    (or, first, the one after). One that leans on the question before it (`_leans`: "and in
    Germany?", "what about part-time?") is a part of its own that names it in `after`, its
    root ("What does it pay? And in Germany? And in France?": both lean on the pay). None
    when fewer than two remain: the message is answered as one question."""
    asked = _questions(text)
    if len(asked) < 2:
        return []
    groups: list[Asked] = []
    held = ""
    for question, joined in asked:
        if groups and stands_alone(question) and _leans(question):
            before = groups[-1]
            groups.append(Asked(question, before.after or before.question))
        elif _asks(question) and stands_alone(question):
            groups.append(Asked(f"{held} {question}".strip(), joined=joined and bool(groups)))
            held = ""
        elif groups:
            groups[-1] = groups[-1]._replace(question=f"{groups[-1].question} {question}")
        else:
            held = f"{held} {question}".strip()
    if held and groups:
        groups[-1] = groups[-1]._replace(question=f"{groups[-1].question} {held}")
    groups = _distinct(groups)
    return groups if len(groups) >= 2 else []


def _distinct(groups: list[Asked]) -> list[Asked]:
    """Each question once: one asked again in the same message ("what does a nurse earn?
    what does a nurse earn?") was answered again, the same sentences under the same name."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for group in groups:
        # With the question it leans on: "And in Canada?" after the pay is not the one
        # after the schooling.
        key = tuple(" ".join(re.findall(r"\w+", text.lower())) for text in (group.after, group.question))
        if key not in seen:
            seen.add(key)
            kept.append(group)
    return kept


# A question that goes on from the one before it, as a follow-up turn does: "and in
# Germany?", "or for nurses?", "what about part-time?".
_GOES_ON = rf"(?i)^\W*(?:(?:{_LEAD_WORDS})\b|(?:what|how)\s+about\b)"
# A word that may point back at the question before ("how long does it take?").
_POINTS_BACK = r"(?i)\b(?:it|that|this|they|them|those|these)\b"


def points_back(question: str) -> bool:
    """Whether the question's last sentence has a word that may point back at what came
    before ("will AI replace them?")."""
    return re.search(_POINTS_BACK, question.rsplit(". ", 1)[-1]) is not None


def _leans(question: str) -> bool:
    """Whether the question's last sentence may lean on the question before it: it goes on
    from it (`_GOES_ON`), or opens as a question of its own with a word that may point back
    at it. A fragment with neither ("By project?" after "Is it better to price by the
    hour?") is an alternative within the question before, not a part of its own."""
    last = question.rsplit(". ", 1)[-1]
    return re.match(_GOES_ON, last) is not None or (_asks(question) and points_back(question))


def _asks(question: str) -> bool:
    """Opens as a question, after any statement before it, a short lead-in or two ("And in
    the end, is there ...", "I'm Dev, 22, what does it pay?") or one a colon ends ("Two
    questions: what does it pay ...")."""
    last = re.split(r"[.!]\s+", question)[-1].rsplit(": ", 1)[-1]
    return _opens_asking(last) or bool(re.match(_NAMES_NEXT, last))


def quoted_text(citations: list[Citation]) -> str:
    """An answer's text as its citations make it: each sentence and its marker, a paragraph
    for each question of a message (`Citation.part`), in order."""
    paragraphs: dict[int, list[str]] = {}
    for citation in citations:
        paragraphs.setdefault(citation.part or 0, []).append(f"{citation.quote} [{citation.marker}]")
    return "\n\n".join(" ".join(paragraphs[part]) for part in sorted(paragraphs))


def join(
    message: str, answers: list[Answer], skipped: Sequence[str] = (), asked_of: Sequence[str | None] = (), several: bool = False
) -> Answer:
    """One answer from the answers to a message's questions: each answered part's sentences
    with its own citations (numbered on), the parts the article does not cover named, and
    the questions past MOST_PARTS (`skipped`) named to be asked on their own. Of a folder
    (`several`), a part not covered is named with the title of the article it was asked of
    (`asked_of`, each part's, None where none was chosen: "the articles")."""
    citations: list[Citation] = []
    unanswered: dict[str | None, list[str]] = {}
    for part, answer in enumerate(answers):
        if not answer.answered or not answer.citations:
            title = asked_of[part] if part < len(asked_of) else None
            unanswered.setdefault(title, []).append(answer.question)
            continue
        for citation in answer.citations[:PART_SENTENCES]:
            # A sentence an earlier part quoted too is quoted again: it is this part's answer
            # ("... most take out loans." for "Can I get a loan?" after the cost).
            citations.append(citation.model_copy(update={"marker": len(citations) + 1, "part": part}))
    answered = [a for a in answers if a.answered and a.citations]
    listed = _quoted(skipped[:MOST_PARTS])
    if len(skipped) > MOST_PARTS:  # a pasted list of hundreds is not echoed back whole
        listed += f" and {len(skipped) - MOST_PARTS:,} more"
    later = [f"Not answered here (ask one question at a time): {listed}."] if skipped else []
    if not answered:
        first = answers[0]
        return first.model_copy(update={"question": message, "message": " ".join([first.message, *later]).strip()})
    outcomes = {a.coverage for a in answered}
    whole = not unanswered and not skipped
    coverage = "covered" if outcomes == {"covered"} and whole else "partial"
    if outcomes <= {"closest"}:
        # No part answered, only passages nearest to some: "Partly answered" would claim one
        # was ("what is chain of thought prompting and how do I use it?"), whatever the rest.
        coverage = "closest"
    notes = [f"{_not_covering(title, several)} not cover: {_quoted(asked)}." for title, asked in unanswered.items()]
    notes += later
    indirect = [a.question for a in answered if a.coverage != "covered"]
    if indirect:  # which parts stand on the closest passage only, or lack something asked
        notes.append(f"The article may not answer directly: {_quoted(indirect)}.")
    return Answer.model_construct(
        question=message,
        answered=True,
        coverage=coverage,
        text=quoted_text(citations),
        citations=citations,
        parts=[Part.model_construct(question=a.question, coverage=a.coverage) for a in answers],
        ranking=answered[0].ranking,
        missing=list(dict.fromkeys(m for a in answers for m in a.missing)),
        confidence=min(a.confidence for a in answered),
        message=" ".join(notes),
    )


def _not_covering(title: str | None, several: bool) -> str:
    """Who does not cover a part: the article it was asked of (its title), else the article,
    or of a folder where none was chosen, the articles."""
    if title is not None:
        return f"\u201c{title}\u201d does"
    return "The articles do" if several else "The article does"


def _quoted(questions: Sequence[str]) -> str:
    """Questions as the notes name them: “...”, “...”."""
    return ", ".join(f"\u201c{q}\u201d" for q in questions)


# A question a "yes" or "no" answers opens with an auxiliary ("is it ...", "so can I ...").
_YES_NO = re.compile(
    rf"^\W*(?:(?:{_LEADS_IN}|wait)\b\W*)*(?:{_AUXILIARY}|shall|may|might|must|had"
    r"|(?:isn|aren|wasn|weren|don|doesn|didn|won|can|couldn|shouldn|wouldn|hasn|haven|hadn)['’]?t)\b",
    re.I,
)
_QUESTION_WORD = re.compile(rf"\b(?:{_ASKING_IS}|{_ASKING}|whom|whose)\b", re.I)


def opens_yes_or_no(question: str) -> bool:
    """Whether the message's last sentence opens as a yes-or-no question does ("Is it a
    good career?", "I know the pay. So can I start at 40?")."""
    return _YES_NO.match(_last_sentence(question)) is not None


def asks_yes_or_no(question: str) -> bool:
    """`opens_yes_or_no`, or asked without a question word, as people type it ("Wait,
    that's a real job?!", "good pay? lol"); a "yes" answers neither "What is ...?", nor a
    bare phrase, nor a choice ("Hype or Real Career?")."""
    last = _last_sentence(question)
    if _YES_NO.match(last):
        return _OFFERS_ANOTHER.search(last) is None
    _, mark, after = last.rpartition("?")
    return bool(mark) and len(after.split()) <= 2 and _QUESTION_WORD.search(last) is None and _OR.search(last) is None


# "A or B?" asks which, not whether: "Hype or Real Career?", "Is it a real career, or was
# it just a fad?", "Do I need a degree or can I teach myself?". "... or not?" ("or no?",
# "or nah?") still asks whether; after an auxiliary, "or" between two nouns may too ("Is
# there a course or a certificate?"), so there only a second clause ("or was it", "or can
# I") asks which.
_OR = re.compile(r"\bor\b(?!\s+(?:not|no|nah|nope)\b)", re.I)
_OFFERS_ANOTHER = re.compile(rf"\bor\s+(?:{_AUXILIARY}|shall|may|might|must)\s+(?:{_SUBJECT}|there|this|that)\b", re.I)


def _last_sentence(question: str) -> str:
    """The message's last sentence that asks ("?"), else its last: "that's a real job? lol"
    asks in its first."""
    sentences = SENTENCE_END.split(question.strip())
    return next((s for s in reversed(sentences) if "?" in s), sentences[-1])


# A follow-up (a conversation's turn, a message's part) with this few words of its own may
# lean on the question before it ("and in Germany?"); a longer one is a question of its own.
SHORT_FOLLOW_UP = 4


def is_short(query: Query) -> bool:
    """Few enough words of its own to lean on the question before it (`SHORT_FOLLOW_UP`)."""
    return len(query.known) + len(query.missing) + len(query.unknown) <= SHORT_FOLLOW_UP


def answers_alone(answer: Answer, whole_subject: bool) -> bool:
    """A follow-up's own reading answers it by a topic of its own (not only the article's
    subject, `whole_subject`): it is not read with the question before it."""
    return answer.answered and answer.coverage != "closest" and not whole_subject
