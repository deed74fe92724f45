"""How well the article answers: covered, partly, only a nearby passage, or not at all.

A quoted answer is trusted, so it must say when it misses the point. The signals are
general, about how questions and articles are written, never about one article:
- the kind of fact a question's form asks for ("how many hours", "when", "where", "which
  university", "who") and whether the chosen passage holds any fact of that kind;
- how close in meaning the passage is at all (a passage meaning disowns gives way);
- questions about the article itself (who wrote it, when, what about), answered from its
  frontmatter; and small talk, which is not a question about the article.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Measured with the model on the shared question sets (dev, dev-more, real, getting-paid):
# similarity is the best cosine between the question and a sentence of the chosen passage.
# It does not tell answered from unanswered: casual in-scope questions ("how much dough can
# I rake in") went as low as 0.01, near-topic ones the article does not answer stayed at
# 0.42 to 0.68. So it marks only a passage that words chose and meaning disowns outright:
# below FAR, with the best passage by meaning elsewhere (no in-scope question did both).
# Such an answer comes from meaning's passage instead (knowledge/base.py); whether it
# then says "covered" is the coverage model's call. A rebuilt model moves such a cosine by about 0.01
# ("how do I become a master electrician?" against "Should You Become an Electrician?":
# 0.109 by the shipped int8 file, 0.124 by the float model), so measure the question sets
# and tests again after any rebuild. At 0.15 no set's answer changed, but vague questions
# did ("is money important?" lost its pay passage on three articles): 0.12 stays.
FAR = 0.12

_NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion|few|several|half"
# The kinds of fact are patterns' texts, compiled (and kept, by `re`) when a question first
# asks for one: compiling them all was 4 ms of every start.
# A number has at most 40 digits, commas and points before its unit: "[\d,.]*" read the rest
# of "1,1,1,..." again from each digit (a sentence of 18,000 such characters: 8 seconds).
_AMOUNT = r"(?i)[$€£¥]\s?\d|\b\d[\d,.]{0,40}\s?(k|m|dollars|euros|pounds|percent|%)(?!\w)|\b(free|unpaid|per (hour|year|month|annum))\b"
_NUMBER = rf"(?i)\d|\b({_NUMBER_WORDS}|percent)\b"
_UNITS = r"(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"
# A number a few words before a unit ("four to five years", "1,500 flight hours"), or
# "a"/"an" right before one ("a year", "a few weeks"); not a rate after an amount ("$90,000
# a year", "61,000 per year") nor "a typical day".
_SPAN = (
    rf"(?i)(?<![\d,.$€£¥])\b(\d+(?:[,.]\d+)*|{_NUMBER_WORDS})\b(?!\s+(a|an|per)\s+{_UNITS})[\w\s-]{{0,12}}\b{_UNITS}\b"
    rf"|(?<![\dkK] )\b(a|an)\s+((few|couple of)\s+)?{_UNITS}\b"
    r"|\b(overnight|quickly|in no time|part[- ]time|full[- ]time)\b"
)
_DATE = (
    r"(?i)\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\b(today|tomorrow|yesterday|recently|soon|now|currently|next|last|ago|until|since|already|yet|eventually)\b"
)
# A capitalised word that does not open its sentence: a place, an organisation, a name.
_NAME = r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+"
_PLACE = r"\b(in|at|on|from|across|via|through)\s+(the\s+)?[A-Z][a-zA-Z]+|\b(online|remote(ly)?|anywhere|worldwide|abroad|locally)\b"

# What a question's form asks for: (pattern on the question, what the article lacks, fact).
# The asking words are the match's first group, as the answer names them ("how many hours").
_ASKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(how long|how much time)\b", re.I), _SPAN),
    (re.compile(r"\b(how many (hours|days|weeks|months|years))\b", re.I), _SPAN),
    (re.compile(r"\b(how many \w+)", re.I), _NUMBER),
    # "how much" asks for money when no other noun follows ("how much prep" asks for time).
    (re.compile(r"\b(how much)\b(?=\W*$|\s+(money|cash|pay|does|do|is|are|did|will|would|should|can|could|might|for)\b(?! (i|you|we|they|one|people) (need|have|know|care|learn|use|like|love|help|study|practi[cs]e)\b))", re.I), _AMOUNT),
    (re.compile(r"^\W*(when|what year|what time)\b", re.I), _DATE),
    (re.compile(r"^\W*(where)\b|\b(in which (country|city|countries|cities|state|region))\b", re.I), _PLACE),
    (re.compile(r"^\W*(who)\b", re.I), _NAME),
]

_TALK = (
    r"(hi+|hello|hey+|yo|hiya|howdy|thanks?|thank you|thx|ty|cheers|ok(ay)?|k|cool|nice|great|awesome|"
    r"lol|lmao|haha+|bye|goodbye|good (morning|afternoon|evening|night)|got it|i see|sure|yes|no|yep|nope)"
)
# One or more of them ("ok thanks", "great, bye"), with the words people add to them.
_SMALL_TALK = re.compile(rf"^\W*{_TALK}(\W+({_TALK}|there|so much|a lot|again|man|mate|all|then|bot))*\W*$", re.I)
_ARTICLE = r"((this|the) (article|post|piece|page|blog post|guide)|it|this)"
_ABOUT_ARTICLE = [
    ("who", re.compile(rf"\bwho (wrote|writes|authored|is the author of|published) {_ARTICLE}\b|\bwho wrote\b|\bauthor of {_ARTICLE}\b|\b(article|post|piece)'?s author\b|\bwho is the author\b", re.I)),
    ("when", re.compile(rf"\bwhen (was|is) {_ARTICLE} (written|published|posted|updated|from)\b|\bwhat (date|year) (was|is) {_ARTICLE}\b|\bhow old is {_ARTICLE}\b|\b(publication|published) date\b", re.I)),
    ("where", re.compile(rf"\bwhere (was|is) {_ARTICLE} (published|posted|from)\b|\bwhich (site|website|publication|blog) (published|posted) {_ARTICLE}\b", re.I)),
    ("what", re.compile(rf"\bwhat('s| is| was)? {_ARTICLE} (about|on)\b|\bsummar(y|ise|ize) {_ARTICLE}\b|\bwhat('s| is) the (title|topic) of {_ARTICLE}\b", re.I)),
]


@dataclass(frozen=True)
class Asked:
    """What kind of fact a question's form asks for, and the words that ask it."""

    phrase: str  # "how many hours", "when", "which university"
    fact: str  # a pattern of the fact, compiled when first searched for


# "which university ...": the passage must name one, so it must at least use the word.
_WHICH = re.compile(
    r"\b(which|what) (universit(y|ies)|colleges?|schools?|compan(y|ies)|employers?|firms?|bootcamps?|platforms?"
    r"|websites?|sites?|organi[sz]ations?|courses?|certifications?|countr(y|ies)|cit(y|ies)|tools?|books?)\b",
    re.I,
)


# "what is alert fatigue?", "what's a sous chef?", "what does PTO mean?", "how does the NCLEX
# work?", "what does Upwork do?": a definition is asked. Not "what is the salary?" (a value), "what is a good
# laptop?" (a recommendation), "what is a typical day like?" (a description), "what are
# you?", nor a message that goes on.
_OPENERS = (
    r"the|a|an|on|in|at|for|of|to|with|about|from|by|your|my|his|her|their|our|its|this|that|these|those|it|there|some|any"
    r"|all|one|so|not|more|less|most|least|next|best|good|better|worse|worst|typical|average|usual|normal|ideal|right"
    r"|wrong|main|real|point|difference|catch|deal|like|up|going|happening|i|you|we|they|he|she|them|us|me|him"
)
# Words that end no name of a thing: "what is required?", "what is an MBA worth?".
_NOT_ENDING = frozenset(
    "required needed included involved expected possible necessary worth better easier harder worse doing going"
    " happening like new important true enough about for mean".split()
)
_WORD = r"[\w'’-]+(?:\(\w+\))?"  # "401(k)"
_PLAIN = rf"{_WORD}(?:\s+(?!(?:and|or|for|of|in|to|with|about|like|between|at|from|by|after|before|when|if|than|vs)\b){_WORD}){{0,4}}"
_END = r"(?:\s+(?:exactly|really|actually|anyway|then|again|precisely|though))?\s*[?!.]*\s*$"
# A whole word only: "on-call" is a term, though "on" opens none.
_NOT_OPENING = rf"(?!(?:{_OPENERS})(?![\w'’-]))"
# A pattern's text, compiled when a question is first read (1 ms of every start otherwise).
_DEFINITION = (
    rf"(?i)^\W*(?:what\s+(?P<be>is|are)\s+|what'?s\s+|what’s\s+|define\s+)(?:(?P<a>a|an)\s+)?{_NOT_OPENING}(?P<term>{_PLAIN}?){_END}"
    rf"|^\W*what\s+(?P<do>does|do)\s+(?:(?P<ma>a|an)\s+|the\s+)?{_NOT_OPENING}(?P<meant>{_PLAIN})\s+(?:mean|stand\s+for){_END}"
    rf"|^\W*how\s+(?P<works>does|do)\s+(?:(?P<wa>a|an|the)\s+)?{_NOT_OPENING}(?P<working>{_PLAIN})\s+work{_END}"
    rf"|^\W*what\s+(?P<does>does|do)\s+{_NOT_OPENING}(?P<doing>{_PLAIN})\s+do{_END}"
)


def _term_words(term: str) -> str:
    """The term's words as a pattern: any punctuation between them ("long-term demand" is
    "Long-Term Demand"), a plural ending allowed."""
    return r"[\W_]+".join(re.escape(w) + r"(?:e?s)?" for w in re.findall(r"\w+", term))


def _defines(term: str) -> str:
    """A sentence that says what `term` is: "Alert fatigue, the numbness ...", "A sous chef
    is ...", "also called chefs de partie", "a "7 on, 7 off" schedule: a week ...", "Hybrid
    roles, such as ...", "the Workforce Innovation and Opportunity Act (WIOA)". A mention is
    not one ("We fed ChatGPT a prompt", "such as colour grading, motion ...")."""
    words = _term_words(term)
    # "X is ...": the term itself, not a kind of it ("Night triage is slower"), so opening the
    # sentence or a clause, or after an article.
    alone = r"(?:^|[,;:(\"“‘]\s*|\b(?:a|an|the)\s+)\W?"
    said = r"\W{0,3}\s*(?:is|are|was|were|means|refers|describes|stands|involves)\b"
    # "X, the ...", "X, which ...", "X, such as ...", "X: ...", "X (...)", "X - ...".
    apposed = r"(?:[^\w,]{0,3},\W{0,3}(?:the|a|an|which|who|where|also|such as|like|including)\b|\W{0,3}[:(—–]|\s+-\s)"
    # "Virtual assistants, or VAs, handle ...", "A CRM, or customer relationship manager, is
    # ...": another name set off by commas (not "nurses, doctors, or pharmacists work").
    other_name = rf",\s*or\s+(?:an?\s+|the\s+)?\W?{words}\W?\s*[,)]|\b{words}\W?,\s*or\s+[^,.;]{{1,60}},"
    return (
        rf"(?i){alone}{words}\b{said}|\b{words}\b{apposed}|{other_name}"
        rf"|\b(?:called|known as|named|termed)\s+(?:an?\s+|the\s+)?\W?{words}\b|[A-Za-z]\s*\(\s*{words}\s*\)"
    )


def asked_fact(question: str) -> Asked | None:
    which = _WHICH.search(question)
    if which:
        noun = which.group(2).lower()
        stem = re.sub(r"(ies|y|es|s)$", "", noun)
        return Asked(f"which {noun}", rf"(?i)\b{stem}")
    for pattern, fact in _ASKS:
        match = pattern.search(question)
        if match:
            asking = next(g for g in match.groups() if g)
            return Asked(" ".join(asking.lower().split()), fact)
    return None


def holds_fact(asked: Asked, sentences: list[str]) -> bool:
    fact = re.compile(asked.fact)
    return any(fact.search(s) for s in sentences)


# "Why ...?" asks for a reason: a passage that states the fact ("most nurses work three
# 12-hour shifts") without one ("because", "so that", "due to", ...) does not answer it.
# (Read only when why is asked: a pattern's text, compiled when first used.)
_ASKS_WHY = re.compile(r"\b(why|how come)\b", re.I)
_REASON = (
    r"(?i)\b(because|since|due to|owing to|so that|as a result|reasons?|leads? to|led to|driven by|thanks to|"
    r"caused by|result of|which is why|that is why|that's why|in order to|explains?)\b"
)


def asks_why(question: str) -> bool:
    return bool(_ASKS_WHY.search(question))


def gives_reason(sentences: list[str]) -> bool:
    return any(re.search(_REASON, s) for s in sentences)


@dataclass(frozen=True)
class Definition:
    """A question that asks what something is: the term, and the words that ask it."""

    term: str  # "sous chef"
    phrase: str  # "what a sous chef is"

    @functools.cached_property
    def heading(self) -> re.Pattern[str]:
        """A heading that is the term ("Long-Term Demand", "What Is Triage?") or the kind it
        is (a section "Bootcamps" for "skills bootcamps")."""
        kind = _term_words(self.term.split()[-1])
        asked = r"(?:(?:what\s+(?:is|are)|what's|what’s)\s+)?(?:(?:a|an|the)\s+)?"
        return re.compile(rf"(?i)\W*{asked}(?:{_term_words(self.term)}|{kind})\W*")

    @functools.cached_property
    def sentence(self) -> re.Pattern[str]:
        """A sentence that says what the term is (`_defines`)."""
        return re.compile(_defines(self.term))


def asked_definition(question: str) -> Definition | None:
    """"what is X?", "what does X mean?": a definition of X is asked; "how does X work?" and
    "what does X do?" (no "a": "what does a nurse do?" asks a role's duties) of a named thing
    (a product, a company, an exam) ask it too: a passage that only uses the name ("We fed
    ChatGPT a prompt") says neither what it is nor how it works."""
    defined = re.match(_DEFINITION, question)
    if not defined:
        return None
    words = [w.strip("'\"‘’“”") for w in next(g for g in defined.group("term", "meant", "working", "doing") if g is not None).split()]
    words = [w for w in words if w]
    if not words or sum(map(len, words)) > 60:  # no term of a career article is that long
        return None
    if words[-1].lower() in _NOT_ENDING or any(re.search(r"['’]s$", w) for w in words):
        return None  # "what is required?", "what is a prompt engineer's salary?": no thing named
    long = [w for w in question.split() if len(w) > 3]
    if question.isupper() or (len(long) > 2 and all(w[:1].isupper() for w in long)):  # "What Is Colour Grading?"
        words = [w.lower() if w[1:].islower() or question.isupper() else w for w in words]
    term = " ".join(words)
    a = defined.group("a") or defined.group("ma") or defined.group("wa")
    determiner = f"{a.lower()} " if a else ""
    acts = defined.group("works") or defined.group("does")
    if acts is not None:
        if term.islower():  # "how does the apprenticeship work?" asks the career's own ways, not a named thing
            return None
        plural = acts.lower() == "do"
        if defined.group("works"):
            return Definition(term, f"how {determiner}{term} {'work' if plural else 'works'}")
        return Definition(term, f"what {term} {'do' if plural else 'does'}")
    verb = "are" if (defined.group("be") or "").lower() == "are" or (defined.group("do") or "").lower() == "do" else "is"
    return Definition(term, f"what {determiner}{term} {verb}")


def defines(definition: Definition, heading: str, sentences: list[str]) -> bool:
    """Whether a passage says what the term is: it is headed by the term ("Long-Term
    Demand", "What Is Triage?") or the kind it is (a section "Bootcamps" for "skills
    bootcamps"), or a sentence defines it. A heading that only holds the word ("Is AI
    Prompt Engineering a Real Job?" for "what is a job?") does not. The patterns are made
    once a question, however many passages are tried."""
    return bool(definition.heading.fullmatch(heading)) or any(definition.sentence.search(s) for s in sentences)


def is_small_talk(question: str) -> bool:
    return bool(_SMALL_TALK.match(question))


def about_the_article(question: str) -> str | None:
    """"who", "when", "where" or "what" when the question asks about the article itself
    (its author, date, place of publication, subject), not about what it says."""
    return next((kind for kind, pattern in _ABOUT_ARTICLE if pattern.search(question)), None)


def disowned(similarity: float | None) -> bool:
    """Meaning says the passage is not about the question at all: no sentence of it comes
    as near as FAR (None: meaning is not in use, so it says nothing)."""
    return similarity is not None and similarity < FAR
