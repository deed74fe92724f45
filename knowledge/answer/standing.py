"""Whether a sentence stands alone: what an answer quoting it must also quote, or leave out.

An answer quotes a few sentences of a passage; one whose sense lies in what is not quoted
(a picture, the sentence before, the list it opens) reads as nonsense on its own. These are
general rules of written English, never of one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Section

_POINTS_AWAY = re.compile(
    r"\b(this|that|these|those|the following|the above|the below)\s+(output|photo|photograph|image|picture|"
    r"screenshot|example|table|chart|graph|video|figure|diagram|infographic|illustration|list|prompt)s?\b"
    r"|\b(see|shown|pictured|illustrated) (below|above|here)\b|^(above|below|here)[:,]|\bclick (here|below)\b"
    # "based on the below factors", "the steps listed above", "the chart below": what they
    # point at stands elsewhere on the page.
    r"|\bthe (above|below)\b(?![- ]average)|\b(mentioned|listed|described|outlined|explained|discussed) (above|below)\b"
    r"|\b(photo|image|picture|screenshot|table|chart|graph|figure|diagram|infographic|illustration)s? (above|below)\b",
    re.I,
)
_BARE_REPLY = re.compile(
    r"^(yes|no|nope|yep|absolutely|definitely|not really)\b[,.!]"
    r"|^(the )?(short|simple|quick|honest|easy) answer( to (this|that|the|your) question)? is:?\s+(yes|no)\b"
    r"|^(in short|in a word|short answer)[:,]?\s+(yes|no)\b",
    re.I,
)


def points_away(text: str) -> bool:
    """Whether a sentence points at something the answer cannot show ("Take this output as
    an example.", "In this photo, ...")."""
    return _POINTS_AWAY.search(text) is not None


# A word for a share of some group, standing for the group's members where no noun follows
# it ("Most typically hire contractors", "Some will", not "Most roles pay ..."): an
# auxiliary after it, or an adverb of how often (not before a comma or a subject: "Most
# often, ...", "Most often you will ..." say "usually").
_SHARE = r"(most|many|some|few|several|both|all|each|either|neither)"
_AUXILIARY = (
    r"(are|is|were|was|have|has|had|do|does|did|will|would|can|could|may|might|must|should|shall"
    r"|aren['’]t|isn['’]t|weren['’]t|haven['’]t|don['’]t|doesn['’]t|didn['’]t|won['’]t|can['’]t|wouldn['’]t)"
)
_HOW_OFTEN = r"(typically|usually|often|also|still|never|always|generally|normally|rarely|seldom|sometimes|even|already|only)"
_SUBJECT = r"(i|you|we|they|he|she|it|there|the|a|an|this|that|these|those|my|your|our|their|its)"
# Openings that go on from the sentence before: a pronoun ("It ...", "That is why ...", not
# "This is a ..."), a possessive one ("Their employers offload ...": whose?), a share of what it named ("Most of them ...", "Most of that demand ...",
# "Most typically hire ...", "Others ...", "The rest ...").
_REFERS_BACK = re.compile(
    r"^(it|this|that|these|those|they|such|he|she)\b(?! (is|are) (a|an|the|one)\b)|^(their|its|his)\s"
    r"|^(most|many|much|some|all|each|none|one|both|half|part|few|several|any|either|neither)\s+of\s+"
    r"(it|this|that|these|those|them)\b"
    rf"|^{_SHARE}\s+({_AUXILIARY}(?![\w'’-])|{_HOW_OFTEN}\b(?!\s*[,;:]|\s+{_SUBJECT}\b))"
    r"|^others\b|^the rest\b(?!\s+of\b)",
    re.I,
)
# "these" inside a sentence points back too ("prepare answers for these questions"), unless
# it is "these days" or the sentence introduces what follows ("Look for these signs:"); so
# do "the said" and "the aforementioned" ("took on the role of the said character"; not "the
# latter", which is also "the latter half of the year").
_THESE = re.compile(r"\bthese\b(?!\s+days\b)|\bthe\s+(said|aforementioned)\b", re.I)
# Openings that turn from the sentence before ("But ...", "However, ...") or give an
# instance of it ("For example, ..."): they read better after it, and still say something
# without it.
_TURNS = re.compile(
    r"^(but|yet|nevertheless|nonetheless|even so|then again|on the other hand|by contrast|in contrast|on the contrary)\b"
    r"|^(however|still|instead|otherwise|for example|for instance),",
    re.I,
)
# "You'll see that it instantly dropped our instructions.": what the reader is shown, after
# the sentence that shows it (not "You can see pay rise by a third", which means "expect").
_SHOWN = re.compile(r"^(as\s+)?you(\s+will|['’]ll|\s+can)\s+see\s+(that|how|it|this|here)\b", re.I)


# Half a sentence that sentence splitting cut in two: a quotation opened in one half and
# closed in the next ('Say something like: "Thank you so much.' | 'Could I have a few days
# to review the offer?"'), or a half that goes on in lower case after a question mark
# inside quotes ('are "Why us?"' | 'and "Why are you leaving?".').
_OPENS_QUOTE = re.compile(r'[\s(:]"(?=\S)')
_CLOSES_QUOTE = re.compile(r'(?<=[^\s\d])"(?=[\s.,;:!?)]|$)')
_GOES_ON = re.compile(r"^(and|or|nor|but|so|because|which|who|whom|whose|than|whereas|while|of|to|for|with|by)\b")


def _quote_balance(text: str) -> int:
    """How many quotations a sentence opens and leaves open (negative: closes ones it never
    opened)."""
    curly = text.count("“") - text.count("”")
    if curly or text.count('"') % 2 == 0:
        return curly
    # One straight quote mark too many: it opens a quotation before a word, closes one after
    # one (not an inch mark after a number: 'a 6" pipe').
    last = text.rindex('"')
    opens = bool(_OPENS_QUOTE.match(text, last - 1)) if last else bool(text[1:2].strip())
    if opens:
        return 1
    return -1 if _CLOSES_QUOTE.match(text, last) else 0


def goes_on(text: str) -> bool:
    """Whether a sentence is the second half of one cut in two: it closes a quotation
    opened before it, or starts in lower case with a word that joins it to what came
    before ("and ...", "which ...")."""
    return _quote_balance(text) < 0 or bool(_GOES_ON.match(text))


def cut_short(text: str, after: str | None) -> bool:
    """Whether a sentence is the first half of one cut in two: it leaves a quotation open,
    or the sentence `after` it goes on from it in lower case. (One that ends a quotation of
    several sentences needs the sentence before it; that one needs nothing after it.)"""
    return _quote_balance(text) > 0 or (after is not None and bool(_GOES_ON.match(after)))


def refers_back(text: str) -> bool:
    """Whether a sentence says nothing clear without the one before it: it opens with a
    pronoun or a share of one, it points back at "these" things, or it is the second half
    of a sentence cut in two."""
    return bool(_REFERS_BACK.match(text)) or (not introduces(text) and bool(_THESE.search(text))) or goes_on(text)


def turns(text: str) -> bool:
    """Whether a sentence turns from the one before it ("But ...") or gives an instance of
    it ("For example, ..."): quoted alone, it starts mid-thought."""
    return bool(_TURNS.match(text))


def shows(text: str) -> bool:
    """A sentence about what the reader is shown ("You'll see that ..."): it belongs after
    the sentence that shows it."""
    return bool(_SHOWN.match(text))


# A sentence that announces what comes next ("... answer the following questions.", "Here is
# a script you can adapt.") says nothing alone, as one ending in a colon does; not "the
# following year", nor one whose colon holds what it announces.
_ANNOUNCES = re.compile(
    r"\bthe following\b(?!\s+(day|days|week|weeks|month|months|year|years|morning|evening|night|season|semester|decade)\b)"
    r"|\bas follows\b|^here(['’]s| is| are)\b",
    re.I,
)


def introduces(text: str) -> bool:
    """A sentence that introduces what follows (it ends in a colon, or announces it) and
    says nothing alone."""
    return text.endswith(":") or (":" not in text and bool(_ANNOUNCES.search(text)))


_ENDED = re.compile(r"[.!?][\"”’)]*$")


def fragment(text: str) -> bool:
    """Whether a list item is no sentence of its own ("How long they have been on the
    market", "Programming languages"): it reads as one only after its list's lead-in."""
    return not _ENDED.search(text)


@dataclass(frozen=True, slots=True)
class Layout:
    """How a section's sentences stand on the page: which open a paragraph (or a list
    item), which sentence introduces the list each item is part of, and which point at
    what the answer cannot show."""

    opens: frozenset[int]
    count: int  # the section's sentences
    leads: dict[int, int]  # a list item's sentence -> the sentence ending in ":" above its list
    # The sentences that point away (`points_away`), read once a section: searched for in
    # every candidate of every answer, that pattern was a tenth of an answer's Python.
    away: frozenset[int] = frozenset()

    @classmethod
    def of(cls, section: Section) -> Layout:
        """Read from the section's text: paragraphs and items are apart by a line break, a
        tight list's items stand on the lines right below one another."""
        spans, text, texts = section.spans, section.text, section.sentence_texts
        opens = frozenset(i for i in range(1, len(texts)) if "\n" in text[spans[3 * i - 2] : spans[3 * i]])
        leads: dict[int, int] = {}
        lead = None
        for i in sorted(opens):
            if introduces(texts[i - 1]):
                lead = i - 1  # the first item, below "Common signs include:"
            elif spans[3 * i + 2] != spans[3 * i - 1] + 1:
                lead = None  # a blank line above: the list has ended
            if lead is not None:
                leads[i] = lead
        return cls(opens, len(texts), leads, frozenset(i for i, t in enumerate(texts) if points_away(t)))

    def leans_on_context(self, i: int, text: str, answers_heading: bool) -> bool:
        """Whether sentence `i` (`text`) says nothing alone: it points at something the answer
        cannot show, or it opens with a bare "Yes,"/"No," ("The short answer to this question
        is yes.") that answers the heading's question, not the one asked."""
        return i in self.away or (not answers_heading and bool(_BARE_REPLY.match(text)))

    def alone(self, i: int) -> bool:
        """Whether sentence `i` is a paragraph (or a list item) of its own."""
        return (i == 0 or i in self.opens) and (i + 1 == self.count or i + 1 in self.opens)

    def together(self, i: int, j: int) -> bool:
        """Whether neighbours `i` and `j` go on with one thought: they share a paragraph, or
        each is one of a run of one-sentence paragraphs (a list's items). The last sentence
        of one paragraph and the first of the next are only near each other on the page."""
        later = max(i, j)
        return later not in self.opens or (self.alone(i) and self.alone(j))
