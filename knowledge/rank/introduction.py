"""A self-introduction is not what is asked.

"Hi! I'm Dev, 22, is prompt engineering a real job?" asks nothing about Dev, nor about 22:
read as words of the question, a name the article never mentions was named as missing
("The article does not mention: Dev.") and lowered how much of the question the article
covers. Read by grammar, never by a list of names: a name follows "my name is", "I'm" or
"I am", or stands before "here" at the message's start ("Sam here, ..."), and an age may
follow it ("Dev, 22", "Tomasz, 31 years old"). Greetings ("hi", "hello") are stop words.
What the writer says they are ("I'm a nurse, ...") is told apart: where the article has
no word for it, it is not asked ("I'm a baker, what does a welder do?" asks of welders),
though the answer may hinge on it, so is never "Answered" ("I'm a felon, can I become a
nurse?"); of a folder, a question naming another career asks of that one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Before a name: "I'm", "Im", "I am" (a word with a capital after it: "I'm new to nursing"
# introduces no one), and "my name is", "my name's", which name whatever follows.
_I_AM = frozenset({"i'm", "im"})
_GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "heya", "yo"})
_AGE = re.compile(r"\d{1,2}(?:yo|y)?", re.I)
_AGE_WORDS = (("years", "old"), ("year", "old"), ("yrs", "old"), ("yo",), ("y", "o"))
_SPACE = re.compile(r"[ \t]+")
_APART = re.compile(r"\s*[,;-]?\s*")


@dataclass(frozen=True, slots=True)
class Introduction:
    """Where in a message (word positions, as `Analyzer.terms` counts them) the writer
    introduces themselves."""

    said: frozenset[int] = frozenset()  # "name" of "my name is", an age: never asked
    given: frozenset[int] = frozenset()  # a name "my name is" gives
    maybe: frozenset[int] = frozenset()  # a capitalised word after "I'm", before "here": a name, or "I'm Canadian"
    # What the writer says they are, opening a sentence ("I'm a nurse, ..."): of a folder,
    # not the career asked of where the question names another ("how do I become a pilot?").
    describes: frozenset[int] = frozenset()


# The words every introduction holds: most questions have none, and are not read again.
_MAY_INTRODUCE = re.compile(r"\b(?:i['’]?m|i am|my|here)\b", re.I)


def may_introduce(text: str) -> bool:
    """Whether a message may hold a self-introduction at all (a cheap look before
    `introduction` reads its words again)."""
    return _MAY_INTRODUCE.search(text) is not None


def introduction(typed: list[tuple[str, str]]) -> Introduction:
    """The self-introductions in a message's words (`typed`: each word as typed, with the
    text between it and the word before)."""
    words = [word.lower() for word, _ in typed]
    said: set[int] = set()
    given: set[int] = set()
    maybe: set[int] = set()
    describes: set[int] = set()
    for i, word in enumerate(words):
        if words[i : i + 3] == ["my", "name", "is"] or words[i : i + 2] == ["my", "name's"]:
            at = i + (3 if words[i + 1] == "name" else 2)
            name = _name(typed, at, capital=False)
            said.add(i + 1)
            given.update(name)
            said.update(_age(typed, words, at + len(name)) if name else ())
        elif word in _I_AM or (typed[i][0] == "I" and words[i + 1 : i + 2] == ["am"]):
            at = i + (1 if word in _I_AM else 2)
            if _opens_sentence(typed, words, i):
                describes.update(_description(typed, words, at))
            name = _name(typed, at, capital=True)
            maybe.update(name)
            said.update(_age(typed, words, at + len(name)) if name else ())
        elif word == "here" and _signs_off(typed, words, i):
            maybe.add(i - 1)
    return Introduction(frozenset(said), frozenset(given), frozenset(maybe), frozenset(describes))


# Words that end what someone says they are ("a nurse who ...", "a nurse and I want ...").
_ENDS_DESCRIPTION = frozenset(
    "and but or so who that which with in at for from to of on how what why when where is are can could should "
    "will would do does i my looking wanting thinking trying".split()
)


def _opens_sentence(typed: list[tuple[str, str]], words: list[str], i: int) -> bool:
    """Whether word `i` opens the message or a sentence of it, after a greeting at most
    ("Hi, I'm a nurse."; not "do I get paid while I'm an apprentice?")."""
    start = i
    while start > 0 and words[start - 1] in _GREETINGS:
        start -= 1
    return start == 0 or any(mark in typed[start][1] for mark in ".!?")


def _description(typed: list[tuple[str, str]], words: list[str], at: int) -> list[int]:
    """The positions of what the writer says they are, after "I'm a"/"I'm an" (word `at`
    is the article): up to four words, to a stop or a word that ends it ("I'm a registered
    nurse, ...")."""
    if at >= len(words) or words[at] not in ("a", "an"):
        return []
    found = []
    for k in range(at + 1, min(at + 5, len(words))):
        if words[k] in _ENDS_DESCRIPTION or (found and typed[k][1].strip()):
            break
        found.append(k)
    return found


def _signs_off(typed: list[tuple[str, str]], words: list[str], here: int) -> bool:
    """Whether "here" (at `here`) ends "Sam here," opening the message, after a greeting
    at most: a capitalised word before it, a stop after it ("Sam here is ..." is no name)."""
    if here == 0 or any(w not in _GREETINGS for w in words[: here - 1]):
        return False
    before = typed[here - 1][0]
    after = typed[here + 1][1] if here + 1 < len(typed) else "."
    return before[:1].isupper() and not before.isupper() and bool(after.strip())


def _name(typed: list[tuple[str, str]], at: int, capital: bool) -> list[int]:
    """The positions of the name that starts at word `at`: the word (with a capital, where
    only a capital tells a name), and the capitalised words right after it ("Dev Patel")."""
    if at >= len(typed) or not _SPACE.fullmatch(typed[at][1]) or not typed[at][0][:1].isalpha():
        return []
    if capital and not typed[at][0][:1].isupper():
        return []
    name = [at]
    while name[-1] + 1 < len(typed) and _SPACE.fullmatch(typed[name[-1] + 1][1]) and typed[name[-1] + 1][0][:1].isupper():
        name.append(name[-1] + 1)
    return name


def _age(typed: list[tuple[str, str]], words: list[str], at: int) -> list[int]:
    """The positions of an age right after a name ("Dev, 22", "31 years old", "22yo")."""
    if at >= len(typed) or not _APART.fullmatch(typed[at][1]) or not _AGE.fullmatch(typed[at][0]):
        return []
    for tail in _AGE_WORDS:
        if tuple(words[at + 1 : at + 1 + len(tail)]) == tail:
            return list(range(at, at + 1 + len(tail)))
    return [at]
