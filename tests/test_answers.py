"""What a library user gets from `ask`: quoted, cited answers, or an honest refusal."""

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import Answer, KnowledgeBase
from knowledge.inputs import is_blank

from .conftest import DATA, article_base


def test_covered_question_is_quoted_and_cited(kb):
    answer = kb.ask("How much do prompt engineers earn?")
    assert isinstance(answer, Answer) and answer.answered
    assert answer.citations and answer.citations[0].section_id == "compensation"
    assert "$175,000 to $375,000" in answer.text
    for citation in answer.citations:
        assert f"{citation.quote} [{citation.marker}]" in answer.text
    assert [c.marker for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert answer.missing == [] and 0 < answer.confidence <= 1


def test_answer_text_is_only_quotes_and_markers(kb):
    answer = kb.ask("Are there certifications for prompt engineering?")
    rebuilt = " ".join(f"{c.quote} [{c.marker}]" for c in answer.citations)
    assert answer.text == rebuilt


def test_ranking_lists_every_section_best_first(kb):
    ranking = kb.ask("is the job market growing?").ranking
    assert {s.section_id for s in ranking} == {s.id for s in kb.sections}
    scores = [s.score for s in ranking]
    assert scores == sorted(scores, reverse=True)


def test_partly_covered_question_names_what_is_missing(kb):
    answer = kb.ask("what's the prompt engineer salary in India?")
    assert answer.answered and answer.section_id == "compensation"
    assert answer.missing == ["India"]  # as the question spells it
    assert "does not mention: India." in answer.message


def test_uncovered_question_is_refused_with_the_topics(kb):
    answer = kb.ask("What's the weather going to be in Paris tomorrow?")
    assert not answer.answered
    assert answer.text == "" and answer.citations == []
    assert answer.confidence == 0
    assert "does not cover" in answer.message
    assert "Factor 7 · Compensation" in answer.topics and len(answer.topics) == len(kb.sections)


def test_another_profession_is_refused_even_with_career_words(kb):
    assert not kb.ask("What do dental hygienists earn per year?").answered


def test_casual_words_do_not_cause_a_refusal(kb):
    answer = kb.ask("how much dough can i rake in")
    assert answer.answered and answer.section_id == "compensation"


def test_typos_are_read_as_the_article_spells_them(kb):
    query = kb.read("wat skills do i need to be a good promt enginer")
    stems = {s for t in query.known for s in t.stems}
    assert {"prompt", "engin"} <= stems


def test_real_words_are_not_corrected_into_other_words(kb):
    # Each is a letter or two from a word of the article ("repeated", "doing", "pace",
    # "paying"), but a word of its own: the article lacks it, and that is all.
    query = kb.read("I got rejected, is it a dying career, is it the right place, is it worth playing along?")
    read = {s for t in query.known + query.unknown for s in t.stems}
    assert {"repeat", "pace", "pay"}.isdisjoint(read)
    assert {"reject", "die", "place"} <= read


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_blank_question_is_a_value_error(kb, blank):
    with pytest.raises(ValueError, match="empty"):
        kb.ask(blank)


def test_a_huge_question_still_answers(kb):
    answer = kb.ask("what does it pay? " * 6000)  # ~100 KB
    assert answer.answered


def test_search_returns_the_k_best(kb):
    top = kb.search("what certifications matter", k=3)
    assert len(top) == 3 and top[0].section_id == "certification-and-educational-resources"


def test_asking_from_a_given_section_leaves_out_what_was_shown(kb):
    first = kb.ask("How much can a prompt engineer earn?")
    shown = [c.quote for c in first.citations]
    more = kb.ask(first.question, section_id="compensation", exclude=shown)
    assert more.citations and not set(shown) & {c.quote for c in more.citations}


questions = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=string.printable, max_size=200),
    st.lists(st.sampled_from(["pay", "job", "[bold]", "[/]", "\x1b[31m", "🙂", "prompt", "?", "-", "'s"]), max_size=12).map(" ".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=questions)
def test_any_text_answers_or_is_blank(kb, question):
    sentences = {s.id: {x.text for x in s.sentences} for s in kb.sections}
    try:
        answer = kb.ask(question)
    except ValueError:
        assert is_blank(question)  # nothing shown once controls and escapes are removed
        return
    assert not is_blank(question)
    assert 0.0 <= answer.confidence <= 1.0
    for citation in answer.citations:
        assert citation.quote in sentences[citation.section_id]
    if not answer.answered:
        assert answer.citations == [] and answer.text == ""


def write_article(tmp_path, text: str):
    path = tmp_path / "remote.md"
    path.write_text(text, encoding="utf-8")
    return KnowledgeBase.load(path)


REMOTE = """---
title: Working Remotely
---

## Flexibility Is a Game Changer

Remote work lets you set your own schedule. Teams spread over time zones.

## Isolation

Remote work can feel lonely. A cafe is a good place to work when home feels lonely.

## Security

Use a password manager. I once had a quick fix for a leaked password: a new one.

## Health

Take breaks and walk. Your back will thank you.

## Communication

Write things down in the team channel. Video calls help people connect.

## Discipline

Get dressed in the morning. End the workday at a set time.
"""


def test_a_word_used_once_in_passing_does_not_make_a_question_covered(tmp_path):
    kb = write_article(tmp_path, REMOTE)
    assert not kb.ask("how do I fix a flat bike tire").answered
    assert kb.ask("is working from a cafe lonely?").answered


def test_a_name_the_article_writes_once_is_still_answered_from_it(tmp_path):
    # "Trello" is named once, in passing, as "fix" and "flat" are used: but a question made
    # only of the article's words, one of them a name it writes, asks about that thing.
    kb = write_article(tmp_path, REMOTE.replace("Write things down", "Write things down in Trello or"))
    for question in ("does trello matter?", "is Trello important?"):
        answer = kb.ask(question)
        assert answer.answered and any("Trello" in c.quote for c in answer.citations), question
    assert not kb.ask("how do I fix a flat bike tire").answered
    assert not kb.ask("does trello matter for my bike?").answered  # "bike": not the article's


def test_names_are_words_written_with_a_capital_inside_sentences_only():
    from knowledge.rank.analysis import Analyzer
    from knowledge.rank.names import names

    texts = [
        "Designers build prototypes in Figma. Remote teams use Slack, and LinkedIn lists jobs.",
        "Indeed, pay is good: the job boards Upwork and indeed Monster list it. The CPA exam is hard.",
    ]
    found = names(texts, Analyzer.default())
    # "Indeed" opens a sentence and is written in lower case too; "CPA" is an acronym;
    # "Designers" and "Remote" open sentences.
    assert found == {"figma", "slack", "linkedin", "upwork", "monster"}


def test_spelling_fixes_never_swap_word_endings(tmp_path):
    kb = write_article(tmp_path, REMOTE)
    changed = kb.read("how did my schedule change?")
    assert all("changer" not in t.stems for t in changed.known)
    typo = kb.read("is remote work lonly?")
    assert "lone" in {s for t in typo.known for s in t.stems}


def test_a_question_heading_answers_its_own_question_first_and_only_that(kb, loaded):
    assert kb.ask("Is prompt engineering a real job?").citations[0].quote == "The short answer to this question is yes."
    obsolete = kb.ask("will it be obsolete?")  # another question: "yes" is no answer to it
    assert obsolete.answered and "The short answer to this question is yes." not in obsolete.text
    lexical = loaded(semantic=False).ask("will it be obsolete?")
    assert lexical.section_id == "is-ai-prompt-engineering-a-real-job"
    assert "The short answer to this question is yes." not in lexical.text
    # Sharing only a topic with the heading ("AI", a job) is not asking what it asks.
    for other in ("will AI replace prompt engineers?", "is this a good job for introverts?"):
        answer = kb.ask(other)
        assert answer.section_id == "is-ai-prompt-engineering-a-real-job", other
        assert "The short answer to this question is yes." not in answer.text, other


@pytest.mark.parametrize(
    "choice",
    [
        "Prompt Engineering: Hype or Real Career?",
        "Is prompt engineering a real job, or was it just a fad?",
    ],
)
def test_a_choice_between_two_answers_gets_no_bare_yes(kb, choice):
    """"Hype or Real Career?" was answered "The short answer to this question is yes.": a
    choice asks which, and "yes" says neither. "... or not?" still asks whether."""
    answer = kb.ask(choice)
    assert answer.section_id == "is-ai-prompt-engineering-a-real-job"
    assert "The short answer to this question is yes." not in answer.text
    assert kb.ask("Is prompt engineering a real job or not?").citations[0].quote == "The short answer to this question is yes."


@pytest.mark.parametrize(
    ("question", "whether"),
    [
        ("Is there a course or a certificate?", True),  # "or" between two things asked of
        ("real job or nah?", True),
        ("Is it a real job, or is it just hype?", False),
        ("Degree or bootcamp?", False),
    ],
)
def test_a_yes_answers_whether_not_which(question, whether):
    from knowledge.answer.parts import asks_yes_or_no

    assert asks_yes_or_no(question) is whether

WELDING = """---
title: A Good Career in Welding
---

Welders join metal for a living, in shops, shipyards and on pipelines.

## Is Welding a Good Career Choice in 2025?

Yes, for people who like working with their hands. Demand for welders keeps rising as older
welders retire. The work pays well once you are certified.

## Training

Most welders train at a trade school for six to eighteen months.
"""


def test_a_heading_question_asked_in_fewer_words_is_answered_by_its_first_line(tmp_path):
    # Every word of "is welding a good career?" is the heading's, though none is beyond the
    # article's subject ("welding", "good", "career" are in its title too): it asks what the
    # heading asks, so the heading's "Yes, ..." is its answer; a question with a word of its
    # own is another question, and "Yes" is no answer to it.
    kb = write_article(tmp_path, WELDING)
    asked = kb.ask("Is welding a good career?")
    assert asked.section_id == "is-welding-a-good-career-choice-in-2025"
    assert asked.citations[0].quote == "Yes, for people who like working with their hands."
    # A question with a word of its own, or one a "yes" does not answer, is another question.
    for other in ("is welding a good career for my back?", "Why is welding a good career?", "welding career", "welding career?"):
        assert all(not c.quote.startswith("Yes,") for c in kb.ask(other).citations), other


def test_a_question_a_yes_does_not_answer_gets_no_yes_though_it_shares_the_heading_words():
    # "What is a pharmacy technician?" shares "technician" with "Can a pharmacy technician
    # become a pharmacist?", whose first line is "Yes, but there is no shortcut."
    kb = KnowledgeBase.load(DATA / "pharmacist.md")
    assert kb.ask("Can a pharmacy technician become a pharmacist?").citations[0].quote == "Yes, but there is no shortcut."
    assert all(not c.quote.startswith("Yes,") for c in kb.ask("What is a pharmacy technician?").citations)
    # Asked without a question word, as people type it, or after a statement: a yes-or-no
    # question all the same.
    for asked in (
        "So a pharmacy technician can become a pharmacist?",
        "So a pharmacy technician can become a pharmacist?! lol",
        "I know what a technician does. Can a pharmacy technician become a pharmacist?",
    ):
        assert kb.ask(asked).citations[0].quote == "Yes, but there is no shortcut.", asked


CARPENTRY = """---
title: Carpentry as a Trade
---

Carpentry is an old trade, and a good one. Here is what the work is like from day to day, from
someone who has done it for twenty years in houses, in workshops and on building sites.

## Tools

Carpenters buy their own saws and drills. A good set of chisels lasts a lifetime.

## Injuries

Carpentry is hard on the body. Backs, knees and hands get hurt.

## Apprenticeships

Most carpenters learn as apprentices. An apprenticeship takes three to four years.
"""


def test_a_question_about_something_beside_the_subject_is_not_sent_to_the_opening(tmp_path):
    # "carpentry" is the only word of the question the article has: the opening introduces
    # carpentry as a whole, but the question asks about danger, which the section on
    # injuries answers (it used to be sent to the opening like "what is carpentry like?").
    kb = write_article(tmp_path, CARPENTRY)
    assert kb.ask("what is carpentry like?").section_id == "carpentry-as-a-trade"
    assert kb.ask("is carpentry dangerous?").section_id == "injuries"


INTERVIEW = """---
title: Preparing for an Interview
---

## Research the Company

Read the company's news from the last year. Look at what its employees say about it.

## Practice Makes Perfect

Ask a friend for a mock interview. Instead of filler words like uhm, a short pause hides your nervousness.

## Negotiate

Ask for their salary range before you name yours. Then ask for the top of it.
"""


def test_meaning_decides_coverage_where_the_shared_words_are_weak(tmp_path):
    kb = write_article(tmp_path, INTERVIEW)
    # "uhm" and "nervous" are each used once, in passing: by words alone no sign that the
    # article covers them, but one sentence says nearly what the question asks.
    answer = kb.ask("how do I stop saying uhm when I'm nervous?")
    assert answer.answered and answer.section_id == "practice-makes-perfect"
    # "make" is a heading's word, and "good" a plain one; nothing says anything near it.
    assert not kb.ask("how do I make a good risotto?").answered



BOOKS = """---
title: Reading for Interviews
---

## Books

Reading helps you prepare for a coding interview. These are the books I recommend:

- Programming Interviews Exposed by John Mongan
- Elements of Programming Interviews by Adnan Aziz
- Introduction to Algorithms by Thomas Cormen

Blogs help you prepare too.
"""


def test_a_sentence_that_introduces_a_list_is_quoted_with_what_it_introduces(tmp_path):
    # "These are the books I recommend:" says nothing alone: never the last thing quoted.
    kb = write_article(tmp_path, BOOKS)
    for question in ("does reading help me prepare for a coding interview?", "which books do you recommend?"):
        quotes = [c.quote for c in kb.ask(question).citations]
        assert "These are the books I recommend:" in quotes, question
        assert quotes[quotes.index("These are the books I recommend:") + 1].startswith("Programming Interviews"), question
    # An article's opening, quoted as it stands, does not end on a list it leaves out.
    tips = write_article(tmp_path, "---\ntitle: Gardening\n---\n\nGardening is calm. Here are my tips:\n\n## Soil\n\nUse good soil.\n")
    assert [c.quote for c in tips.ask("what about gardening?").citations] == ["Gardening is calm."]


def test_a_passage_meaning_disowns_gives_way_to_meanings_best(loaded):
    kb = loaded(DATA / "electrician.md")
    # "become" and "electrician" fill the heading "Should You Become an Electrician?", but
    # none of its sentences is about becoming a master electrician; the licence section is.
    answer = kb.ask("how do I become a master electrician?")
    # Whether it says "Answered" is the coverage model's call (tests/test_calibration.py).
    assert answer.section_id == "getting-your-licence" and answer.answered
    assert "master electrician exam" in answer.text


FUNDING = """---
title: Funding Open Source
---

## Employers

Ask your employer to pay for the open source work you do. Open source is open to all.

## Donations

Many projects raise money through OpenCollective. On OpenCollective, donors see every expense.

## Grants

Some foundations give grants for security work. They collect proposals collectively.
"""


def test_words_written_apart_meet_the_word_the_article_closes_up(tmp_path):
    kb = write_article(tmp_path, FUNDING)
    answer = kb.ask("how does Open Collective work?")
    assert answer.section_id == "donations"
    assert "OpenCollective" in answer.citations[0].quote


def test_a_question_with_no_word_in_common_is_answered_when_meaning_finds_it(loaded):
    kb = loaded(DATA / "electrician.md")
    answer = kb.ask("could I get electrocuted?")  # the article says "electric shock"
    assert answer.section_id == "is-the-work-dangerous" and "electric shock" in answer.text
    assert not kb.ask("who won the Oscar for best actor?").answered
    assert not loaded(DATA / "electrician.md", semantic=False).ask("could I get electrocuted?").answered


def test_every_kind_of_answer_is_a_valid_answer(kb):
    """Answers are made without validation (`model_construct`): each kind must still be
    exactly what validating it gives."""
    from knowledge.evaluation import read_questions

    questions = [q.question for q in read_questions(DATA / "dev.jsonl")]
    questions += ["hi", "who wrote this article?", "how do I make a good risotto?", "what does it pay in Germany?"]
    for question in questions:
        answer = kb.ask(question)
        assert Answer.model_validate(answer.model_dump()) == answer, question


def test_a_two_section_article_answers_from_the_section_that_says_it(tmp_path):
    kb = article_base(
        tmp_path,
        "# Welding\n\nWelding is a skilled trade with steady demand.\n\n## Safety\n\n"
        "Welders face burns and fumes, so protective gear is essential. The work is dangerous without training.\n",
        semantic=True,
    )
    # By words alone the opening still wins here ("welding" stands in its heading and
    # first words); with meaning, the section that says it.
    answer = kb.ask("is welding dangerous?")
    assert [c.section_id for c in answer.citations][:1] == ["safety"]


def test_two_casual_words_standing_together_in_a_sentence_are_not_thin(loaded):
    # "miss" and "family", each used once, stand together in "missing family events is a
    # common complaint": the question is answered from that passage, not refused; an
    # everyday question with one passing word ("learn") is still refused.
    kb = loaded(DATA / "pilot.md")
    answer = kb.ask("will I miss christmas with my family?")
    assert answer.answered and answer.citations[0].section_id == "schedules-and-life-away-from-home"
    assert not kb.ask("how do I learn to play guitar?").answered


def test_a_refusal_names_what_the_article_is_about_in_one_sentence(kb):
    """The bundled title ends in its own question mark: no full stop after it. The asked
    word the article never has is said by the engine, as every outcome's is (not added by
    each interface, guessing "It" or "They" from the message)."""
    answer = kb.ask("what's the best laptop for prompt engineering?")
    assert answer.coverage == "none" and answer.missing == ["laptop"]
    title = kb.articles[0].title
    assert title.endswith("Employable Skill?")
    assert answer.message == f"The article does not cover that; it is about {title} It does not mention: laptop."


@pytest.mark.parametrize(
    ("plain", "hedged"),
    [
        ("what is prompt engineering?", "What exactly is prompt engineering?"),
        ("what does a prompt engineer do?", "what precisely does a prompt engineer do?"),
    ],
)
def test_a_hedging_word_does_not_change_the_passage(kb, plain, hedged):
    # "exactly", like "actually", says how sure the asker wants the answer, not what about.
    assert kb.ask(hedged).section_id == kb.ask(plain).section_id


PIPE_WELDING = """---
title: Pipe Welding
---

Pipe welders join the pipes that carry oil, gas and water.

## Pay and Certification

A pipe certification is the surest way to higher welding pay. Shipyards hire all year
round, mostly on day shifts. You can see pay rise by a third after certification. Some shops
offer overtime.

## Training

Most pipe welders train at a trade school for a year.
"""


def test_a_sentence_that_says_what_to_expect_stands_alone(tmp_path):
    # "You can see pay rise by a third" means "expect": it needs nothing before it, so the
    # unrelated sentence before it ("Shipyards hire ...") is not pulled in with it.
    kb = write_article(tmp_path, PIPE_WELDING)
    quotes = [c.quote for c in kb.ask("how much does certification raise pay?").citations]
    assert "You can see pay rise by a third after certification." in quotes
    assert "Shipyards hire all year round, mostly on day shifts." not in quotes


def test_asking_from_a_section_that_is_not_there_names_the_id(kb):
    # A stale or mistyped id (one kept from another article): the same KeyError as
    # `kb.section`, naming it, not a bare one from the engine's own tables.
    with pytest.raises(KeyError, match="no section has the id 'pay'"):
        kb.ask("tell me more", section_id="pay")


def test_an_unknown_section_id_points_at_what_lists_the_ids(kb):
    # The message said `sections()`, and `kb.sections()` is a TypeError: it is a list.
    with pytest.raises(KeyError) as raised:
        kb.section("pay")
    pointer = re.search(r"`(kb\.[a-z_.()]+)`", str(raised.value))
    assert pointer, raised.value
    listed = eval(pointer.group(1), {"kb": kb})  # what a reader of the message would type
    assert [s.id for s in listed] == [s.id for s in kb.sections]


def test_a_turn_is_quoted_once_a_sentence_before_it_is(loaded):
    """A turn that would have opened the answer waits, and is quoted in its turn once a
    sentence before it is: "But AI only knows what it is given." ranks above the paragraph
    it turns from, and was dropped when it came first."""
    quotes = [c.quote for c in loaded(DATA / "technical-writer.md").ask("Can AI replace a Technical Writer?").citations]
    assert not quotes[0].startswith("But ")
    assert "But AI only knows what it is given." in quotes
