"""Compose an answer: pick the passage, pick its sentences, decide how much is covered."""

from __future__ import annotations

import itertools
import re
from array import array
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np

from ..models import Answer, ArticleInfo, Citation, Section, SectionScore, Sentence
from ..rank.fusion import fuse_sentences
from ..rank.query import Query, Vocabulary
from ..rank.retrieval import LuceneBM25
from ..read.sections import sentence_spans
from .coverage import asked_fact, holds_fact
from .parts import asks_yes_or_no, opens_yes_or_no, quoted_text
from .standing import (
    Layout,
    cut_short,
    fragment,
    introduces,
    refers_back,
    shows,
    turns,
)

MAX_SENTENCES = 3
# The first sentence under a question heading ("Is It a Real Job?") usually answers it.
LEAD_BONUS = 0.6
NEIGHBOUR_BONUS = 0.4
# Refuse when the article's words cover less than this share of what was asked.
REFUSE_SHARE = 0.3
# How close in meaning (cosine, all-MiniLM-L6-v2) the article's nearest sentence is, as
# measured with 40 everyday questions (cooking, travel, sport, ...) against six career
# articles: 95% of them come no nearer than UNRELATED and 99% no nearer than 0.36, so a
# sentence at SAYS_IT or nearer is about what the question asks.
UNRELATED = 0.3
SAYS_IT = 0.4

# What a question asks for, read from its words or its synonym groups, and how a sentence
# holding that kind of fact looks ("what's the paycheck like" -> a sentence with an amount).
# An amount's number has at most 40 digits, commas and points before its unit: "[\d,.]*"
# read the rest of "1,1,1,..." again from each digit (18,000 such characters: 7 s a search).
_AMOUNT = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]{0,40}\s?(k|dollars|euros|pounds|per (hour|year|annum|month))\b", re.I)
_SPAN = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|few|several)\b[\w\s-]{0,12}\b(minutes?|hours?|days?|weeks?|months?|years?)\b",
    re.I,
)
_ANSWER_TYPES: list[tuple[re.Pattern[str] | str, re.Pattern[str]]] = [
    (re.compile(r"\bhow much\b", re.I), _AMOUNT),
    ("~pay", _AMOUNT),
    ("~cost", _AMOUNT),
    (re.compile(r"\bhow long\b", re.I), _SPAN),
    ("~duration", _SPAN),
    (re.compile(r"\bhow many\b", re.I), re.compile(r"\b\d[\d,.]*\b")),
    (re.compile(r"\bwhen\b", re.I), re.compile(r"\b(19|20)\d\d\b|\b(until|before|after|soon|yet)\b", re.I)),
]
TYPE_BONUS = 0.35


@dataclass(slots=True)
class Indexed:
    """A section and where its sentences stand in the sentence index, as the answer
    composer needs them."""

    section: Section
    rows: range  # its sentences' documents in the sentence index (its heading follows them)
    # When the heading is a question ("Is It a Real Job?"): its own words beyond the
    # article's subject, not their synonym groups. A question sharing one is the heading's
    # question, answered by its first line; one sharing only a topic ("will AI replace
    # prompt engineers?") gets no "yes".
    heading_question: frozenset[str] = frozenset()
    # All of a question heading's words, the subject's too.
    heading_words: frozenset[str] = frozenset()
    _layout: Layout | None = field(default=None, repr=False, compare=False)

    @property
    def layout(self) -> Layout:
        """How the section's sentences stand on the page (`Layout`): read at its first
        answer, once, not again for each question."""
        if self._layout is None:
            self._layout = Layout.of(self.section)
        return self._layout


def as_typed(answer: Answer) -> Answer:
    """The answer with its missing words spelled as the question spells them ("Germany",
    "UK"; the engine reads them lower-cased), in `missing` and in the message naming them."""
    if not answer.missing:
        return answer
    typed = []
    for word in answer.missing:
        found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", answer.question, re.IGNORECASE)
        typed.append(found.group(0) if found else word)
    if typed == answer.missing:
        return answer
    message = answer.message.replace(  # "It does not mention: ...", "They do not mention: ..."
        f"not mention: {', '.join(answer.missing)}.", f"not mention: {', '.join(typed)}."
    )
    return answer.model_copy(update={"missing": typed, "message": message})


def unquoted(question: str, ranking: list[SectionScore], missing: list[str], message: str, **fields) -> Answer:
    """An answer with nothing to quote: a refusal, or a passage already said in full."""
    return Answer.model_construct(
        question=question, text="", ranking=ranking, missing=missing, confidence=0.0, message=message, **fields
    )


def refusal(
    question: str, ranking: list[SectionScore], topics: list[str], missing: list[str], several: bool = False, said: str = ""
) -> Answer:
    """Not covered: the refusal lists what the articles do cover (`topics`, made once) and
    says which asked words they never mention; `said` in place of "... does not cover that."."""
    message = said or ("The articles do not cover that." if several else "The article does not cover that.")
    if missing:
        message += f" {'They do' if several else 'It does'} not mention: {', '.join(missing)}."
    return unquoted(question, ranking, missing, message, answered=False, coverage="none", topics=topics)


_THANKS = re.compile(r"\b(thanks?|thank you|thx|ty|cheers)\b", re.I)


def small_talk(question: str, examples: list[str], several: bool = False) -> Answer:
    """A greeting or thanks: not a question about the article, so nothing is quoted.
    `several`: of a folder, whose answers are each quoted from one of its articles."""
    if _THANKS.search(question):
        return unquoted(question, [], [], "You're welcome.", answered=False, coverage="none")
    where = "these articles; every answer is quoted from one of them" if several else "the article; every answer is quoted from it"
    message = f"Hello! Ask me anything about {where}. For example:"
    return unquoted(question, [], [], message, answered=False, coverage="none", suggestions=examples)


# Frontmatter keys that answer a question about the article itself.
_HEADER_KEYS = {
    "who": ("author", "authors", "by", "creator", "byline"),
    "when": ("date", "published", "publishdate", "pubdate", "updated", "modified", "lastmod"),
    "where": ("url", "canonical", "canonical_url", "permalink", "source", "site", "publication", "publisher"),
    "what": ("title", "description", "summary", "excerpt", "subtitle"),
}
# Lines never quoted: the address the page reader writes of a web page
# (`knowledge.read.extraction`), and any line whose value is a web address (canonical:,
# thumbnail:). They are no sentence. A page's site name is its own words: quotable.
_NOT_QUOTED = ("url",)


def _quotable(line: Sentence) -> bool:
    key, _, value = line.text.partition(":")
    value = value.strip().strip("\"'").lower()
    return key.strip().lower() not in _NOT_QUOTED and not value.startswith(("http://", "https://", "www."))


_NOT_SAID = {
    "who": "The article names no author.",
    "when": "The article gives no date.",
    "where": "The article does not say where it was published.",
    "what": "",
}


def _description(info: ArticleInfo) -> tuple[str, int] | None:
    """The frontmatter's description of the article, as prose (its value, quotes taken
    off), with its line; None when there is none or it only repeats the title."""
    for line in info.header:
        key, _, value = line.text.partition(":")
        if key.strip().lower() not in ("description", "summary", "excerpt", "subtitle"):
            continue
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].strip()
        if len(value.split()) >= 4 and info.title.lower() not in value.lower():
            return value, line.line
    return None


ABOUT_TITLE = "About the article"
ABOUT_ID = "about-the-article"  # the title's id, as a heading's is made


def about_section(info: ArticleInfo, lead: Section, taken: Collection[str]) -> Section | None:
    """The article's frontmatter lines as a passage of their own, one sentence a line, so a
    citation of one opens where it is (it opened the opening, which does not hold it);
    its id is the title's, made distinct from the sections'. None without frontmatter."""
    if not info.header:
        return None
    candidates = itertools.chain([ABOUT_ID], (f"{ABOUT_ID}-{n}" for n in itertools.count(1)))
    section_id = next(i for i in candidates if i not in taken)
    text = "\n".join(line.text for line in info.header)
    spans = sentence_spans(text, [(line.text, line.line) for line in info.header])
    return Section.model_construct(
        id=section_id, title=ABOUT_TITLE, factor=None, level=0, text=text, spans=array("i", spans),
        captions=[], line=info.header[0].line, article=lead.article, source=lead.source,
    )


def about_article(question: str, kind: str, info: ArticleInfo, lead: Section, about: Section | None) -> Answer:
    """A question about the article itself. Who, when and where are answered from its
    frontmatter lines (quoted as written, cited from line 1 on, in the `about` passage), or
    said plainly not to be there (coverage none); what it is about is answered in prose, by
    its opening."""
    if kind == "what":
        described = _description(info)
        if described is not None and about is not None:
            quote, line, title, cited = described[0], described[1], ABOUT_TITLE, about
            quoted = [(quote, line)]
        else:
            quoted, title, cited = [(s.text, s.line) for s in lead.sentences[:2]], lead.title, lead
        citations = [
            Citation.model_construct(
                marker=n,
                section_id=cited.id,
                section_title=title,
                factor=None if cited is about else lead.factor,
                quote=quote,
                line=line,
                source=lead.source,
                article=lead.article,
            )
            for n, (quote, line) in enumerate(quoted, start=1)
        ]
    else:
        keys = _HEADER_KEYS[kind]
        lines = [h for h in info.header if h.text.split(":", 1)[0].strip().lower() in keys and _quotable(h)]
        citations = [
            Citation.model_construct(
                marker=n,
                section_id=about.id if about is not None else lead.id,
                section_title=ABOUT_TITLE,
                quote=line.text,
                line=line.line,
                source=lead.source,
                article=lead.article,
            )
            for n, line in enumerate(lines[:MAX_SENTENCES], start=1)
        ]
    if not citations:
        message = _NOT_SAID[kind] or "The article does not say."
        if kind == "where" and info.url:  # known, but not the article's words: said, not quoted
            message += f" Its page gives the address {info.url}."
        return unquoted(question, [], [], message, answered=False, coverage="none")
    return Answer.model_construct(
        question=question,
        answered=True,
        coverage="covered",
        text=quoted_text(citations),
        citations=citations,
        message="",
        confidence=1.0,
    )


# Beside the outcome ("Closest passage only."), which says the rest: said once.
CLOSEST_NOTE = "The article may not answer this directly."


def judge(answer: Answer, query: Query, section: Section) -> Answer:
    """What the quoted answer lacks: partial when a named thing or the kind of fact asked
    for is missing from the passage, else covered (whether it is sure enough to say so is
    the coverage model's call, `knowledge.answer.calibration.decide`)."""
    asked = asked_fact(query.text)
    lacks_fact = asked is not None and not holds_fact(asked, section.sentence_texts)
    # "how many hours" says it all: "hours" is not listed again as a missing word. What the
    # writer says they are, that the article never mentions ("I'm a felon, can I become a
    # nurse?"), is not asked about, but the answer may hinge on it: said, never "covered".
    missing = [m for m in answer.missing if not (lacks_fact and m in asked.phrase.split())]
    missing += [t.surface for t in query.set_aside if t.surface not in missing]
    notes = [f"The article does not mention: {', '.join(missing)}."] if missing else []
    coverage = "partial" if missing else "covered"
    if lacks_fact:
        coverage = "partial"
        missing.append(asked.phrase)
        notes.append(f"The article does not say {asked.phrase}.")
    return answer.model_copy(update={"coverage": coverage, "missing": missing, "message": " ".join(notes)})


def should_refuse(query: Query, vocabulary: Vocabulary, is_name: Callable[[str], bool] | None = None) -> bool:
    """Whether the article cannot answer the question at all.

    A raw BM25 score cannot make this call (a question about salaries in India scores higher
    than many real ones), so it rests on what the question asks that the article has words
    for: nothing; too little; nothing of its topics; or a named thing it lacks (a
    profession, a place) while none of the article's own subject is asked about ("what do
    dental hygienists earn?").
    A named thing beside the article's subject ("prompt engineer salary in India") is
    answered, with the missing words named.
    With the model in use, meaning settles what thin shared words cannot: a question whose
    words the article uses only in passing, or none at all, is covered when a sentence is
    about what it asks, and one whose shared words are thin is refused when no sentence
    comes near.
    Neither holds against a question made only of the article's words, one of them a name
    it writes (`is_name`, a stem: "does figma matter?"): what it says of that is the answer.
    """
    # Meaning finds a sentence about what is asked, and nothing named is missing.
    said = query.closest is not None and query.closest >= SAYS_IT and not query.names_missing
    if not query.known:
        return not said  # no word in common: "could I get electrocuted?" ("electric shock")
    if query.known_share < REFUSE_SHARE:
        return True
    if query.closest is not None and query.closest < UNRELATED and _thin(query) and not query.together:
        # "how do I learn to play guitar?": "learn" alone, nothing near in meaning. Two of
        # the question's words in one sentence are not thin ("will I miss christmas with
        # my family?": "missing family events").
        return not _about_a_name(query, is_name)
    if not any(vocabulary.topical(t) for t in query.known):
        # Only words the article uses in passing ("how do I fix a flat tire"), unless meaning
        # finds a sentence about it ("how do I stop saying uhm when I'm nervous?") or two of
        # them stand together in one.
        return not said and not query.together and not _about_a_name(query, is_name)
    return query.names_missing and not any(vocabulary.about_subject(t) for t in query.known)


def _about_a_name(query: Query, is_name: Callable[[str], bool] | None) -> bool:
    """Every word of the question is the article's (none missing or unknown), and one of
    them is a name it writes. Asked only where a refusal turns on it: `is_name` may read
    every section the first time."""
    all_known = bool(query.known) and not query.missing and not query.unknown
    return all_known and is_name is not None and any(is_name(stem) for term in query.known for stem in term.stems)


def _thin(query: Query) -> bool:
    """Whether the words the question shares with the article are thin evidence on their own:
    no lexicon phrase of several words ("throw in the towel"), and half or less of the
    question known, or nothing known of a career topic ("make", "good")."""
    if any(t.groups and " " in t.surface for t in query.known):
        return False
    return query.known_share <= 0.5 or not any(t.groups for t in query.known)


def sentence_scores(query: Query, sentences: LuceneBM25, rows: range) -> list[float]:
    """How well each sentence answers: the question's terms it holds, weighted by rarity."""
    held = sentences.held(query.weights, rows.start, rows.stop)
    # Long sentences hold more words by chance; a mild length norm keeps short facts in play.
    return (held / (1.0 + 0.02 * sentences.lengths(rows.start, rows.stop))).tolist()


def asks_heading(query: Query, indexed: Indexed) -> bool:
    """Whether the question asks what the section's question heading asks: it shares one of
    the heading's own words, or it is a yes-or-no question every word of which is the
    heading's ("Is video editing a good career?" under "Is Video Editing a Good Career
    Choice in 2024?", all subject words; not "Why is video editing a good career?")."""
    if any(t in query.weights for t in indexed.heading_question):
        return True
    if query.missing or query.unknown or not query.known or not opens_yes_or_no(query.text):
        return False
    stems = [stem for t in query.known for stem in t.stems]
    return bool(stems) and all(stem in indexed.heading_words for stem in stems)


def sentence_values(query: Query, raw: list[float], texts: list[str], heading_asked: bool) -> list[float]:
    """Each sentence's worth as an answer: its match, relative to the best, plus cues.

    Cues: a sentence holding the kind of fact asked for ("how much" -> an amount), and,
    when the question asks what the section's heading asks, the first sentence under it
    (articles answer a question heading first; "yes" is no answer to another question).
    `raw` (`sentence_scores`), `texts` and `heading_asked` (`asks_heading`): read once by
    the caller, which needs them too.
    """
    best = max(raw, default=0.0) or 1.0
    wanted = {
        fact
        for cue, fact in _ANSWER_TYPES
        if (cue in query.weights if isinstance(cue, str) else cue.search(query.text))
    }
    lead = LEAD_BONUS if heading_asked else 0.05
    return [
        r / best + TYPE_BONUS * sum(1 for fact in wanted if fact.search(texts[i])) + (lead if i == 0 else 0.0)
        for i, r in enumerate(raw)
    ]


def choose_sentences(
    query: Query,
    indexed: Indexed,
    sentences: LuceneBM25,
    exclude: frozenset[int] = frozenset(),
    opening: bool = False,
    similarity: np.ndarray | None = None,
    most: int = MAX_SENTENCES,
) -> list[int]:
    """Indexes of the best sentence and up to `most` - 1 more, in article order, leaving out
    `exclude`.

    A neighbour of the best sentence in its paragraph or list gets a bonus: it carries the
    context a lone sentence lacks; a sentence that introduces a list comes with its first
    item, and an item that is no sentence of its own, where there is room, with the
    sentence that introduces its list.
    `exclude` holds what an earlier answer quoted, so "tell me more" moves on.
    """
    texts = indexed.section.sentence_texts
    heading_asked = asks_heading(query, indexed)
    matches = sentence_scores(query, sentences, indexed.rows)
    values = fuse_sentences(sentence_values(query, matches, texts, heading_asked), similarity)
    candidates = [i for i in range(len(values)) if i not in exclude]
    # A sentence whose sense lies in what is not quoted (a picture, "this output", a "Yes"
    # to the heading's question when another was asked, or a question a "yes" does not
    # answer: "What is a pharmacy technician?") is left out while others remain.
    says_yes = heading_asked and asks_yes_or_no(query.text)
    layout = indexed.layout
    standing = [i for i in candidates if not layout.leans_on_context(i, texts[i], says_yes and i == 0)]
    candidates = standing or candidates
    if not candidates or opening:
        opening_lines = candidates[:most]
        while len(opening_lines) > 1 and _needs_next(texts, opening_lines[-1]):
            opening_lines.pop()  # "Here are the tips that worked for me:" without the tips
        return opening_lines
    if heading_asked and 0 in candidates:
        best = 0  # a question heading's first line is its answer ("Is it a real job?" "Yes.")
    else:
        best = max(candidates, key=lambda i: (values[i], -i))
    # A neighbour goes on with the best sentence's thought in its paragraph or list; one
    # across a paragraph break is only near it on the page.
    rest = sorted(
        (i for i in candidates if i != best),
        key=lambda i: (-(values[i] + (NEIGHBOUR_BONUS if abs(i - best) == 1 and layout.together(i, best) else 0.0)), i),
    )
    rest = _fact_first(query.text, texts, matches, best, rest)
    eligible = frozenset(candidates)
    runs = leaning_runs(texts, layout, eligible)
    chosen = [best]
    waiting: list[list[int]] = []  # turns that would open the answer, until one has a sentence quoted before it
    for i in [best] + rest:
        if len(chosen) >= most:
            break  # full: no sentence more is quoted
        # "for example:" is quoted with the sentence it introduces, or (unless it is the
        # best) not at all, and so is the first half of a sentence cut in two; a list's
        # item that is no sentence of its own after the sentence that introduces the list
        # ("Ask about:"); "It ..." comes with the sentence before it, or not at all; "But
        # ..." with the one before it in its paragraph where it can, else only after a
        # sentence quoted before it, never opening the answer; "You'll see that ..." only
        # after it.
        needs_next = _needs_next(texts, i)
        unit = [i, i + 1] if needs_next and i + 1 in eligible else [i]
        lead = layout.leads.get(i) if fragment(texts[i]) else None
        if lead is not None and lead not in chosen and lead in eligible and len(chosen) + len(unit) < most:
            unit = [lead] + unit  # where there is room: the item itself may hold the fact asked
        else:
            before = leaned_on(i, runs, chosen)
            if before is None:
                if i != best and refers_back(texts[i]):
                    continue  # "It ..." whose referent is left out; "But ..." still says something
            elif len(chosen) + len({*before, *unit} - {*chosen}) <= most:
                unit = before + unit
            elif i != best:
                continue  # no room for what it leans on: the sentences that stand come first
        if len(unit) == 1 and i != best and needs_next:
            continue
        if i != best and unit[0] < min(chosen) and turns(texts[unit[0]]):
            waiting.append(unit)  # "But ..." would open the answer, turning from nothing quoted
            continue
        if i != best and i - 1 not in chosen and shows(texts[i]):
            continue  # quoted after what shows it, never with it pulled in
        new = [j for j in unit if j not in chosen]
        if len(chosen) + len(new) <= most:
            chosen += new
            for turn in [u for u in waiting if u[0] > min(chosen)]:  # in their turn, before the rest
                waiting.remove(turn)
                new = [j for j in turn if j not in chosen]
                if len(chosen) + len(new) <= most:
                    chosen += new
    return sorted(chosen)


def _fact_first(question: str, texts: list[str], matches: list[float], best: int, rest: list[int]) -> list[int]:
    """`rest` with the first sentence that holds the kind of fact asked for ("how much" -> an
    amount) and a word of the question moved to its front, when the best sentence holds no
    such fact: the passage is judged by whether any of its sentences holds one (`judge`),
    so the answer shows it rather than words that only match ("Ask a bootcamp ... before
    you pay." for "how much do bootcamps cost?", above "Fees in the US usually run from
    $10,000 to $20,000"). A fact about nothing asked ("it takes about 3 minutes" for "how
    long is a tech interview?") is not one. `matches`: each sentence's share of the
    question's words (`sentence_scores`)."""
    asked = asked_fact(question)
    if asked is None or holds_fact(asked, [texts[best]]):
        return rest
    holder = next((i for i in rest if matches[i] > 0 and holds_fact(asked, [texts[i]])), None)
    return rest if holder is None else [holder] + [i for i in rest if i != holder]


def _needs_next(texts: list[str], i: int) -> bool:
    """Whether sentence `i` says nothing without the one after it: it introduces it, or the
    two are halves of one sentence cut in two."""
    return introduces(texts[i]) or cut_short(texts[i], texts[i + 1] if i + 1 < len(texts) else None)


def leaning_runs(texts: list[str], layout: Layout, eligible: Collection[int]) -> tuple[list[int], list[int]]:
    """Read once for a section's sentences, so that `leaned_on` never walks back sentence by
    sentence (a list of a thousand "It ..." items would be walked again for each): for each
    sentence, where the run of sentences each leaning on the one before it, that ends at it,
    starts (-1 when it runs back to the section's first), and the last sentence of that
    run, up to it, whose sentence before cannot be quoted (left out, or one that introduces
    something else; -1 for none)."""
    starts, blocked = [], []
    start = block = -1
    for j, text in enumerate(texts):
        if not (refers_back(text) or (turns(text) and layout.together(j - 1, j))):
            start = j
        elif j - 1 not in eligible or introduces(texts[j - 1]):
            block = j
        starts.append(start)
        blocked.append(block)
    return starts, blocked


def leaned_on(i: int, runs: tuple[list[int], list[int]], chosen: Collection[int]) -> list[int] | None:
    """The sentences before `i` that it leans on, back to one that stands alone or is
    quoted already ("It ..." after "That is why ..." after the claim; "But ..." after what
    it turns from in its paragraph); None when one of them cannot be quoted (left out, or
    a sentence that introduces something else). `runs`: `leaning_runs` of the section."""
    starts, blocked = runs
    stop = max([starts[i], *(c + 1 for c in chosen if c < i)])
    if blocked[i] > stop:
        return None
    return list(range(stop, i))


def compose(
    query: Query,
    ranking: list[SectionScore],
    indexed: Indexed,
    sentences: LuceneBM25,
    exclude: frozenset[int] = frozenset(),
    opening: bool = False,
    similarity: np.ndarray | None = None,
    most: int = MAX_SENTENCES,
) -> Answer:
    """The quoted answer from the chosen section, with numbered citations.

    `similarity`: each of the section's sentences' closeness in meaning to the question;
    `most`: how many sentences at most (fewer for one part of a message of several).
    """
    missing = [t.surface for t in query.missing]
    picked = choose_sentences(query, indexed, sentences, exclude, opening, similarity, most)
    if not picked:
        # Nothing left to quote is not an answer: never "covered" without a quoted word. It is
        # a reply, not a refusal: what the question lacks was said with the passage before.
        return unquoted(query.text, ranking, [], "That is all the article says on this.", answered=False, coverage="none")
    section = indexed.section
    citations = [
        Citation.model_construct(
            marker=n,
            section_id=section.id,
            section_title=section.title,
            factor=section.factor,
            quote=sentence.text,
            line=sentence.line,
            source=section.source,
            article=section.article,
        )
        for n, sentence in enumerate(map(section.sentence, picked), start=1)
    ]
    text = " ".join(f"{c.quote} [{c.marker}]" for c in citations)
    message = f"The article does not mention: {', '.join(missing)}." if missing else ""
    return Answer.model_construct(
        question=query.text,
        answered=True,
        text=text,
        citations=citations,
        ranking=ranking,
        missing=missing,
        confidence=0.0,  # the coverage model's probability, set by the caller
        message=message,
    )
