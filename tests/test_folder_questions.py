"""A folder of articles as a newcomer asks it: which article a question is about, the
examples it offers, and follow-ups from one career to another. Small made-up articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase

from .conftest import folder_of

BAKER = """# Becoming a Baker

Bakers make bread, pastries and cakes for shops, hotels and supermarkets. A baker's day
starts early, often at three or four in the morning.

## Is it the right career for you?

It suits people who like early mornings, steady routines and making things by hand.

## What bakers do

Bakers weigh flour, mix dough, shape loaves and watch the ovens. In a small bakery one
baker may also serve customers and order supplies.

## Baker pay

Bakers in the United States earn about $35,000 a year. A head baker in a hotel earns more.

## Training

Most bakers learn on the job over about two years. A college course in baking takes one
year and helps a baker find work in hotels.

## Is baking hard on the body?

Bakers stand all day and lift heavy sacks of flour. The heat of the ovens is tiring in summer.
"""

WELDER = """# Welding as a Career

Welders join metal parts for buildings, ships and pipelines. Welding is skilled work that
pays well for people who like to work with their hands.

## What welders do

Welders read drawings, cut metal and join the parts with an electric arc. Some welders
work on ships, others on pipelines far from home.

## How long is the training?

Welding school takes six to eighteen months. After school, a new welder passes a
certification test for each kind of weld.

## Welder pay

Welders earn about $48,000 a year. Pipeline welders can earn twice as much.

## Is welding dangerous?

The arc can burn the eyes and the skin, so welders wear masks and gloves. Fumes are a risk
in small rooms.
"""


def folder(tmp_path: Path, **articles: str) -> Path:
    """A folder of the given articles, each `name.md`."""
    path = tmp_path / "articles"
    path.mkdir()
    for name, text in articles.items():
        (path / f"{name}.md").write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_question_that_names_one_career_is_answered_from_its_article(tmp_path, semantic):
    """"how long is baker training?" was answered by the welder's "How long is the
    training?", its heading's words nearer the question's than the baker's "Training": a
    question naming one article's own word is answered from that article."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    assert kb.ask("how long is baker training?").section_id == "baker/training"
    assert kb.ask("how long does it take to train as a baker?").section_id == "baker/training"
    # Naming none, the folder's best passage answers, whichever article it is in.
    assert kb.ask("how long is the training?").section_id == "welder/how-long-is-the-training"
    # Naming both, neither is preferred: each article's pay is among the first two.
    both = kb.ask("do bakers earn more than welders?")
    assert {r.section_id for r in both.ranking[:2]} == {"baker/baker-pay", "welder/welder-pay"}


def test_a_folders_examples_each_name_their_article_and_are_answered_from_it(tmp_path):
    """"Is it the right career for you?", one article's first question heading, was a
    folder's example: asked, it said nothing of which career. Each example names its own
    article (a heading that does, asked about where none is a question), and asking it
    answers from that article."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER))
    examples = kb.examples()
    assert examples == ["Tell me about what bakers do", "Is welding dangerous?"]
    for example, article in zip(examples, ["baker", "welder"], strict=True):
        answer = kb.ask(example)
        assert answer.coverage == "covered" and answer.citations[0].article == article, (example, answer.section_id)


def test_our_articles_examples_are_each_one_articles_own(tmp_path):
    """Of the nurse's, the pilot's and the truck driver's articles, each example is answered
    from its own article, and the other two, without it, do not answer it at all (the
    pilot's "Is It the Right Career for You?" was the nurse's job outlook's closest passage).
    With meaning, as they are asked by default: by words alone the pilot's article, alone
    and so in a folder, marks its example only the closest passage."""
    names = ["nurse", "pilot", "truck-driver"]
    for name in ["all", *names]:
        (tmp_path / name).mkdir()
    kb = KnowledgeBase.load(folder_of(tmp_path / "all", *names))
    examples = kb.examples()
    assert len(examples) == 3
    for example, name in zip(examples, names, strict=True):
        answer = kb.ask(example)
        assert answer.coverage == "covered" and answer.citations[0].article == name, (example, answer.section_id)
        others = KnowledgeBase.load(folder_of(tmp_path / name, *[n for n in names if n != name]))
        assert not others.ask(example).answered, example


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_follow_up_naming_another_career_asks_the_last_question_of_it(tmp_path, semantic):
    """"and welders?" after the bakers' pay was read alone, an overview of welding: it asks
    the welders' pay, and the career after it ("and for bakers?") goes back with the same
    question."""
    from chat import Conversation

    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    conversation = Conversation(kb)
    assert conversation.ask("how much do bakers earn?").section_id == "baker/baker-pay"
    welders = conversation.ask("and welders?")
    assert welders.section_id == "welder/welder-pay" and welders.question == "and welders?"
    assert conversation.ask("and for bakers?").section_id == "baker/baker-pay"


def test_an_article_asked_by_name_that_is_not_there_is_a_key_error(tmp_path):
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=False)
    with pytest.raises(KeyError, match="no article has the slug 'plumber'"):
        kb.ask("what does it pay?", article="plumber")
    assert kb.ask("what does it pay?", article="baker").section_id == "baker/baker-pay"


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_follow_up_naming_no_career_stays_with_the_last_answers_article(tmp_path, semantic):
    """After "and welders?" answered the bakers' pay question of the welder's article, "and
    in Germany?" was read with that question alone, and went back to the bakers: a follow-up
    read with the turn before is asked of the article the last answer quoted."""
    from chat import Conversation

    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    conversation = Conversation(kb)
    conversation.ask("how much do bakers earn?")
    assert conversation.ask("and welders?").section_id == "welder/welder-pay"
    germany = conversation.ask("and in Germany?")
    assert germany.section_id == "welder/welder-pay" and "Germany" in germany.missing


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_an_answer_to_a_question_naming_no_career_says_whose_it_is(tmp_path, semantic):
    """"what does it pay?" of a folder was answered with the welders' pay and nothing said
    it was theirs but a file name among the sources: the answer says which article it
    quotes, and that another answers it too."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    pay = kb.ask("what does it pay?")
    assert pay.section_id == "welder/welder-pay"
    assert pay.message.endswith("From \u201cWelding as a Career\u201d; another article answers this too: name the one you mean.")
    assert kb.ask("is it dangerous?").message.endswith("From \u201cWelding as a Career\u201d.")  # the only one that does
    assert "From" not in kb.ask("how much do bakers earn?").message  # it names its article
    alone = KnowledgeBase.load(tmp_path / "articles" / "welder.md", semantic=semantic)
    assert "From" not in alone.ask("what does it pay?").message


def test_a_refusal_of_many_articles_does_not_say_they_are_about_the_first_three(tmp_path):
    """"The articles do not cover that; they are about" the first three titles of a folder
    of four (of nineteen, too) said the folder was about those three alone."""
    # With meaning: by words alone the chef's article, alone and so in a folder, gives its
    # closest passage (the time it takes to become a head chef).
    kb = KnowledgeBase.load(folder_of(tmp_path, "chef", "nurse", "pilot", "teacher"))
    refused = kb.ask("how long should I boil an egg?")
    assert refused.coverage == "none" and refused.message == "The 4 articles do not cover that."


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_follow_up_after_another_career_goes_on_with_that_career(tmp_path, semantic):
    """"and in Germany?" after "how much do nurses make?" and "and pilots?" was refused: read
    with the nurses' question alone, of the pilot's article, it named nothing of that
    article but a country it lacks. The turn that named the pilots is read with its question."""
    from chat import Conversation

    kb = KnowledgeBase.load(folder_of(tmp_path, "nurse", "pilot", "chef", "teacher", "electrician"), semantic=semantic)
    conversation = Conversation(kb)
    conversation.ask("how much do nurses make?")
    assert conversation.ask("and pilots?").section_id == "pilot/pilot-salary"
    germany = conversation.ask("and in Germany?")
    assert germany.section_id == "pilot/pilot-salary" and "Germany" in germany.missing


def test_a_greeting_of_a_folder_speaks_of_its_articles(tmp_path):
    """"hi" of a folder was told to ask about "the article"; every answer is quoted from
    one of the articles, as the app's and the page's welcome say."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=False)
    hello = kb.ask("hi")
    assert hello.message == "Hello! Ask me anything about these articles; every answer is quoted from one of them. For example:"
    assert hello.suggestions == kb.examples(2)
    alone = KnowledgeBase.load(tmp_path / "articles" / "baker.md", semantic=False).ask("hi")
    assert alone.message == "Hello! Ask me anything about the article; every answer is quoted from it. For example:"


def test_a_question_with_no_topic_of_a_folder_quotes_no_articles_opening(tmp_path):
    """"what do they even do?" of a folder was answered with the first article's opening,
    as if the folder were that article: it names no topic nor article, and is told so; in
    a conversation, it is still read with the turn before it."""
    from chat import Conversation

    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=False)
    answer = kb.ask("what do they even do?")
    assert not answer.answered and not answer.citations
    assert answer.message == "The question names no topic, nor which of the 2 articles it asks about."
    conversation = Conversation(kb)
    conversation.ask("is welding dangerous?")
    assert conversation.ask("why?").section_id == "welder/is-welding-dangerous"
    alone = KnowledgeBase.load(tmp_path / "articles" / "baker.md", semantic=False).ask("what do they even do?")
    assert alone.section_id == "becoming-a-baker" and alone.coverage == "closest"


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_each_part_of_a_message_naming_no_career_says_whose_answer_it_is(tmp_path, semantic):
    """Asked alone, "is it dangerous?" says it is the welders' answer; asked with another
    question in one message, nothing said so. Each part that names no article says which
    it quotes, as its question alone does; a part that names its article needs no note."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    both = kb.ask("is it dangerous? and how much do bakers earn?")
    assert [p.question for p in both.parts] == ["is it dangerous?", "How much do bakers earn?"]
    assert [{c.article for c in both.citations if c.part == n} for n in (0, 1)] == [{"welder"}, {"baker"}]
    assert "\u201cis it dangerous?\u201d is from \u201cWelding as a Career\u201d." in both.message
    assert "Becoming a Baker" not in both.message  # the bakers' part names its article
    pay = kb.ask("what does it pay? and is baking hard on the body?")
    note = "\u201cwhat does it pay?\u201d is from \u201cWelding as a Career\u201d; another article answers it too: name the one you mean."
    assert note in pay.message


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_part_leaning_on_the_question_before_stays_with_its_article(tmp_path, semantic):
    """"how long is baker training and is it dangerous?" answered its second part from the
    welders' dangers ("it" is the bakers' work), and "... and welders?" after the bakers'
    pay with a welder's overview: a part that leans on the question before is asked of the
    article that question was answered from, or of the one it names, as a follow-up is."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    assert kb.ask("is it dangerous?").citations[0].article == "welder"  # asked alone
    both = kb.ask("how long is baker training and is it dangerous?")
    assert [p.question for p in both.parts] == ["how long is baker training?", "Is it dangerous?"]
    assert {c.article for c in both.citations} == {"baker"}
    pay = kb.ask("how much do bakers earn? and welders?")
    assert [c.section_id for c in pay.citations if c.part == 1][0] == "welder/welder-pay"
    # Asked of the article the question before came from, unnamed: its note says which.
    learn = kb.ask("what does it pay? and how long does it take to learn?")
    assert {c.article for c in learn.citations} == {"welder"}
    assert "\u201cHow long does it take to learn?\u201d is from \u201cWelding as a Career\u201d." in learn.message


def test_a_question_asked_of_one_article_of_a_folder_is_refused_naming_it(tmp_path):
    """Asked of one article (`article=`), a question it does not cover was refused as "The
    articles do not cover that.", listing every article's topics, though one was asked:
    the refusal names that article and lists its topics."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=False)
    refused = kb.ask("is it hard on the body?", article="welder")
    assert not refused.answered and not refused.citations
    assert refused.message == "\u201cWelding as a Career\u201d does not cover that."
    assert refused.topics and all("Becoming a Baker" not in topic for topic in refused.topics)
    assert kb.ask("is it hard on the body?").citations[0].article == "baker"  # asked of both


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_follow_up_its_article_does_not_cover_is_refused_naming_that_article(tmp_path, semantic):
    """"is it hard on the body?" after the welders' pay leans on the welder's article, which
    does not say; it was answered with the bakers' "Is baking hard on the body?" (and a
    note that it was theirs), while the same two questions in one message said the second
    was not covered. It is refused naming the welder's article, as the message's part is."""
    from chat import Conversation

    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    for first, then in [("how much do welders earn?", "is it hard on the body?"), ("is welding dangerous?", "is it the right career for me?")]:
        assert kb.ask(then).citations[0].article == "baker"  # asked alone, of both
        conversation = Conversation(kb)
        assert conversation.ask(first).citations[0].article == "welder"
        follow_up = conversation.ask(then)
        assert not follow_up.answered and not follow_up.citations, (then, follow_up.section_id)
        assert follow_up.message == "\u201cWelding as a Career\u201d does not cover that."
        message = kb.ask(f"{first} {then}")
        assert [p.coverage for p in message.parts] == ["covered", "none"]


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_the_parts_of_a_folders_message_not_covered_are_named_with_the_article_asked(tmp_path, semantic):
    """Of a folder, "The article does not cover: ..." named no article though there are
    several: a part asked of one article (leaning on the part before it, or all of them
    asked of one) names that article; one asked of the folder says "The articles"."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    both = kb.ask("how much do welders earn? is it hard on the body? Who won the 2018 World Cup?")
    assert [p.coverage for p in both.parts] == ["covered", "none", "none"]
    assert both.message.startswith(
        "\u201cWelding as a Career\u201d does not cover: \u201cis it hard on the body?\u201d."
        " The articles do not cover: \u201cWho won the 2018 World Cup?\u201d."
    )
    asked = kb.ask("what does it pay? Who won the 2018 World Cup?", article="baker")
    assert asked.message == "\u201cBecoming a Baker\u201d does not cover: \u201cWho won the 2018 World Cup?\u201d."
    assert "The article does not cover" not in kb.ask("what does it pay? Who won the 2018 World Cup?").message


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_part_joined_by_and_stays_with_the_article_of_the_part_before(tmp_path, semantic):
    """"how much do bakers earn? And how long is the training?" asks the bakers' training:
    the "and" that joined it was left out, read on its own it went to the welders'
    "How long is the training?". It is asked of the bakers' article, and one that article
    does not cover is named as not covered by it, never another article's passage."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    assert kb.ask("how long is the training?").citations[0].article == "welder"  # asked alone
    training = kb.ask("how much do bakers earn? And how long is the training?")
    assert [p.question for p in training.parts] == ["how much do bakers earn?", "How long is the training?"]
    assert {c.article for c in training.citations} == {"baker"}
    assert "two years" in training.text
    assert "\u201cHow long is the training?\u201d is from \u201cBecoming a Baker\u201d." in training.message
    # Not joined by a word, a question of its own is the folder's to answer.
    assert kb.ask("how much do bakers earn? How long is the training?").citations[-1].article == "welder"
    danger = kb.ask("how much do bakers earn? And is welding dangerous?")  # names its own article
    assert danger.citations[-1].article == "welder"


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_part_joined_by_and_inside_a_sentence_stays_with_the_article_too(tmp_path, semantic):
    """"how much do bakers earn and how long is the training?" went to the welders'
    training where "how much do bakers earn? And how long is the training?" stays with the
    bakers': the same "and", a comma or a question mark before it."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    for message in ("how much do bakers earn and how long is the training?", "how much do bakers earn, and how long is the training"):
        training = kb.ask(message)
        assert [p.question for p in training.parts] == ["how much do bakers earn?", "How long is the training?"]
        assert {c.article for c in training.citations} == {"baker"}
        assert "\u201cHow long is the training?\u201d is from \u201cBecoming a Baker\u201d." in training.message


NURSE = """# Nursing as a Career

Nurses care for patients in hospitals, clinics and homes.

## Nurse pay

Nurses earn about $86,000 a year. Night shifts pay more.

## The licence

Every new nurse must pass the NCLEX, a national licensing exam taken after school.
"""


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_question_after_another_naming_a_thing_only_another_article_has_goes_there(tmp_path, semantic):
    """"how much do welders earn? And what is the NCLEX?" was refused naming the welders'
    article (or, in a conversation, answered with their pay again): the part names a thing
    only the nurses' article has, and points back at nothing. It is answered from there;
    one that points back ("will AI replace them?") stays with the welders."""
    from chat import Conversation

    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER, nurse=NURSE), semantic=semantic)
    alone = kb.ask("What is the NCLEX?")  # as the folder answers it on its own
    for message in ["how much do welders earn? And what is the NCLEX?", "how much do welders earn and what is the NCLEX?"]:
        asked = kb.ask(message)
        assert asked.parts[1].coverage == alone.coverage, message
        assert "Welding as a Career" not in asked.message
        assert {c.article for c in asked.citations if c.part == 1} <= {"nurse"}
    conversation = Conversation(kb)
    conversation.ask("how much do welders earn?")
    turn = conversation.ask("and what is the NCLEX?")
    assert turn.coverage == alone.coverage and {c.article for c in turn.citations} <= {"nurse"}
    conversation = Conversation(kb)
    conversation.ask("how much do welders earn?")
    assert conversation.ask("is it the right career for them?").message == "\u201cWelding as a Career\u201d does not cover that."


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_the_career_asked_of_is_not_the_one_the_writer_says_they_are_in(tmp_path, semantic):
    """"I'm a nurse, how much do welders earn?" names two articles, so it was asked of all
    and could be answered with the nurses' pay: what the writer says they are, opening the
    message, is context, not the career asked of."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER, nurse=NURSE), semantic=semantic)
    for question, article in [
        ("I'm a nurse, how much do welders earn?", "welder"),
        ("I'm a nurse. What do bakers earn?", "baker"),
        ("I'm a welder, what do nurses earn?", "nurse"),
    ]:
        asked = kb.ask(question)
        assert asked.citations and {c.article for c in asked.citations} == {article}, question
    # Inside the question, it is what is asked about.
    assert kb.ask("do I get paid while I'm a baker?").citations[0].article == "baker"
