"""An answer a worried reader can follow: every quoted sentence reads on its own, or
comes with the sentence it leans on. Each test writes a small article of its own."""

import pytest

from knowledge import KnowledgeBase


def ask(tmp_path, body: str, question: str) -> list[str]:
    """The sentences quoted in answer to `question` about an article of `body`."""
    path = tmp_path / "article.md"
    path.write_text(f"---\ntitle: Becoming a Plumber\n---\n\n{body}", encoding="utf-8")
    return [c.quote for c in KnowledgeBase.load(path).ask(question).citations]


TRADE = """## Learning the trade

There is no single route into plumbing, and most plumbing jobs require no degree. A trade school certificate takes about a year and costs around $5,000.

Certifications are not a one-time achievement. They lapse if a plumber goes a year without working. Many employers also give their own skills test on the first day, whatever paperwork an applicant brings.

The other route is an apprenticeship. Union programs last four to five years and pay apprentices from the first day, starting at about half of a journeyman's wage. Some large employers run their own programs for new starters. The city's water utility takes about 40 apprentices a year into a four-year program of paid work and classes.

## Pay

Plumbers earn about $60,000 a year.
"""


def test_the_sentence_ending_the_paragraph_before_is_no_neighbour_of_one_opening_the_next(tmp_path):
    # "Many employers also give their own skills test" ends another paragraph, about tests:
    # next to "The other route is an apprenticeship." on the page, not in its thought.
    quotes = ask(tmp_path, TRADE, "how do i get an apprenticeship")
    assert quotes[0] == "The other route is an apprenticeship."
    assert not any(q.startswith("Many employers also") for q in quotes)
    assert any("40 apprentices a year" in q for q in quotes)


SIGNS = """## Signs it is time to switch

Everyone has bad months at work. A career change is worth considering when the problem is the work itself rather than one employer. Common signs include:

- The same frustrations at every employer you try
- No interest in the next promotion
- Reading about a different kind of work in your spare time

If only one of these applies, try a sideways move first. That is often enough.

## Pay

Plumbers earn about $60,000 a year.
"""

CV = """## Rewriting your CV

Your old CV was written for your old job. Rewrite it for the new one:

- Open with a short summary that names the role you want and the skills that carry over.
- Put new qualifications and projects near the top.
- Describe past work in terms of results the new employer cares about, and drop jargon from your old industry.
- Keep it to two pages; you do not need to list every job from 25 years ago.

## Explaining the change in interviews

Every interviewer will ask why you are changing careers. Prepare a clear answer that looks forward rather than back.

## Networking

Most jobs in a new field come through people you know. Tell former colleagues what you are looking for.
"""


def test_an_item_of_a_list_that_is_no_sentence_comes_after_the_sentence_that_introduces_the_list(tmp_path):
    # "No interest in the next promotion" says nothing alone; below "Common signs include:"
    # it is a sign.
    quotes = ask(tmp_path, SIGNS, "is losing interest in promotion a sign i should change careers")
    item = quotes.index("No interest in the next promotion")
    assert "Common signs include:" in quotes[:item]


def test_an_item_that_is_a_sentence_of_its_own_gives_no_room_to_the_lists_lead_in(tmp_path):
    # "Rewrite it for the new one:" would take the place of an item that reads alone.
    quotes = ask(tmp_path, CV, "should i put my old jobs from the 90s on my resume")
    assert "Keep it to two pages; you do not need to list every job from 25 years ago." in quotes, quotes
    assert "Rewrite it for the new one:" not in quotes


EXAM = """## A workforce nearing retirement

The trade association expects the country to need 60,000 new plumbers by 2030. Most of that demand comes not from growth but from retirements. The labour office counts about 400,000 plumbers and expects 40,000 openings a year, nearly all of them created by workers retiring or leaving the trade.

"Half my crew could retire tomorrow," said one contractor. A third of her plumbers are over 55, and two are retiring this year.

Anyone can learn to fix a leaking tap in an afternoon. However, passing the journeyman exam takes most apprentices four years of paid training. The exam has a written part and a practical part.

## Pay

Plumbers earn about $60,000 a year.
"""


def test_a_sentence_that_turns_from_the_one_before_comes_after_it(tmp_path):
    # "However, passing the journeyman exam takes ... four years" turns from "Anyone can
    # learn to fix a leaking tap in an afternoon.", not from the sentence about openings.
    quotes = ask(tmp_path, EXAM, "how long does it take to pass the journeyman exam")
    turn = next(i for i, q in enumerate(quotes) if q.startswith("However, passing"))
    assert turn > 0 and quotes[turn - 1] == "Anyone can learn to fix a leaking tap in an afternoon."


LICENCE = """## Getting licensed

Getting licensed takes more work than people expect. Yes, anyone can fix a dripping tap. But passing the licensing exam requires years of supervised work on boilers and study of the building code.

Take this photo as an example. We asked a new apprentice to replace a boiler valve on his first day. You'll see that he flooded the basement.

## Pay

Plumbers earn about $60,000 a year.
"""


def test_a_turn_whose_sentence_before_cannot_be_quoted_does_not_open_the_answer(tmp_path):
    """"But passing the licensing exam ..." opened the answer: what it turns from ("Yes,
    anyone can ...", a bare reply left out) could not be quoted, and a turn was still
    quoted for what it says of its own, first in article order."""
    quotes = ask(tmp_path, LICENCE, "What happened when the new apprentice replaced a boiler valve on his first day?")
    assert "We asked a new apprentice to replace a boiler valve on his first day." in quotes
    assert not quotes[0].startswith("But ")


RESUME = """## Prepare for resume questions

Interviewers will ask about every line of your resume. The questions asked most often are why you chose the company and why you are leaving your current job. You definitely need to prepare well thought out answers for these questions.

Never break an NDA when answering questions about former employers. It is safer to answer in a broad way than to get yourself in trouble.

## Salary

Ask for the salary range early.
"""


def test_a_sentence_about_these_things_comes_after_the_sentence_that_names_them(tmp_path):
    quotes = ask(tmp_path, RESUME, "what should i prepare answers for")
    these = quotes.index("You definitely need to prepare well thought out answers for these questions.")
    assert these > 0 and quotes[these - 1].startswith("The questions asked most often are why you chose")


HIRING = """## Who hires plumbers

Plumbing work comes from many places. Building firms rarely keep plumbers on staff for long. Most typically hire contractors for each new housing project. Housing projects run for about a year, and contractors are let go when they end. Homeowners call plumbers directly for repairs.

## Pay

Plumbers earn about $60,000 a year.
"""


def test_a_share_standing_for_those_the_sentence_before_names_comes_after_it(tmp_path):
    """"Most typically hire contractors ..." opened the answer: "most" of whom, the sentence
    before says. It comes after that sentence, or not at all."""
    quotes = ask(tmp_path, HIRING, "how long do contractors work on a housing project?")
    assert any("about a year" in quote for quote in quotes)
    most = "Most typically hire contractors for each new housing project."
    assert most not in quotes or quotes[quotes.index(most) - 1 : quotes.index(most)] == ["Building firms rarely keep plumbers on staff for long."]


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("Most typically hire contractors for each new project.", True),
        ("Some will leave within a year.", True),
        ("Many also work weekends.", True),
        ("Others prefer to freelance.", True),
        ("The rest go to the union.", True),
        # The auxiliary ending the sentence or the clause: still a share of whom?
        ("Some will.", True),
        ("Most don't, and leave.", True),
        # A share of a noun that follows it, or "most" of how often: it says who.
        ("Most roles pay $70,000.", False),
        ("Several states require a license.", False),
        ("Most often, plumbers work alone.", False),
        ("Most often you will work alone.", False),
        ("The rest of the day is spent on paperwork.", False),
    ],
)
def test_a_share_with_no_noun_after_it_leans_on_the_sentence_before(text, leans):
    from knowledge.answer.standing import refers_back

    assert refers_back(text) is leans


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("Their employers offload tasks to contractors.", True),
        ("Its members vote every year.", True),
        ("His first job paid little.", True),
        # A possessive inside the sentence says whose itself.
        ("Plumbers and their employers share the cost.", False),
        ("Theirs is a hard trade.", False),
    ],
)
def test_a_sentence_opening_with_a_possessive_leans_on_the_sentence_before(text, leans):
    """"Their employers offload tasks ..." opened an answer: whose employers, the sentence
    before says ("Expendable workers often receive less work.")."""
    from knowledge.answer.standing import refers_back

    assert refers_back(text) is leans


TOUR = """## Getting in

Training yard tours run on weekday mornings for school groups. Apprentices spend their first weeks in the training yard. A recruiter explained how the interviews work. The said recruiter then offered us a tour of the training yard on a weekday morning.

## Pay

Plumbers earn about $60,000 a year.
"""


def test_a_sentence_about_the_said_thing_comes_after_the_sentence_that_names_it(tmp_path):
    quotes = ask(tmp_path, TOUR, "can you get a tour of the training yard on a weekday?")
    said = quotes.index("The said recruiter then offered us a tour of the training yard on a weekday morning.")
    assert said > 0 and quotes[said - 1] == "A recruiter explained how the interviews work."


FACTORS = """## Is plumbing a real career?

The short answer is yes. Plumbing has become a well-paid trade. No one knows the future, of course. But we can assess whether plumbing will remain a good career based on the below factors.

## Making your case to a bank

A new plumbing business needs a loan for its van and tools. Whether you want a loan or a grant, you should be able to answer the following questions.

### Impact

What will the loan let you do?
"""


def test_a_sentence_pointing_at_what_stands_elsewhere_on_the_page_is_not_quoted(tmp_path):
    for question in ("is plumbing a good career for the future?", "how do i make a case for a business loan?"):
        quotes = ask(tmp_path, FACTORS, question)
        assert quotes, question
        assert not any("the below factors" in q or "the following questions" in q for q in quotes), question


OFFER = """## Ask for time

When the offer arrives, respond with enthusiasm but do not accept on the call. Say something like: "Thank you so much, I'm really excited about this role. Could I have a few days to look over the offer before I get back to you?"

Asking for two days is standard. Ask for the offer in writing.

## Pay

Plumbers earn about $60,000 a year.
"""

QUESTIONS = """## Questions to prepare

Interviewers will ask about every line of your resume. The questions asked most often are "Why did you choose us?" and "Why are you leaving your current job?". Prepare a short answer to each of the questions. Keep each answer under two minutes. Never criticise a former employer when you answer questions.

## Pay

Plumbers earn about $60,000 a year.
"""


@pytest.mark.parametrize(
    ("body", "question"),
    [(OFFER, "what do i say when they make me an offer?"), (QUESTIONS, "what questions do interviewers ask most often?")],
    ids=["a quotation", "a question mark inside quotes"],
)
def test_both_halves_of_a_sentence_cut_in_two_are_quoted_together_or_not_at_all(tmp_path, body, question):
    # Sentence splitting cuts 'Say something like: "Thank you ... role.' from 'Could I have
    # a few days ...?"', and '... are "Why did you choose us?"' from 'and "Why are you ...'.
    quotes = ask(tmp_path, body, question)
    assert quotes, question
    for i, quote in enumerate(quotes):
        if quote.startswith(("Could I have", "and ")):
            assert i > 0 and quotes[i - 1].startswith(("Say something like", "The questions asked")), quote
        if quote.startswith(("Say something like", "The questions asked")):
            assert i + 1 < len(quotes) and quotes[i + 1].startswith(("Could I have", "and ")), quote


BOOTCAMPS = """## Bootcamps

Bootcamps are short, intensive courses, mostly in web development, data analysis, design and network security. Typical facts:

- Full-time bootcamps last 12 to 16 weeks; part-time ones take six to nine months.
- Fees usually run from $10,000 to $20,000, with an average of about $13,000.
- Some let you pay a share of your salary once you are hired instead of paying upfront. Read the terms carefully; the total can end up higher than the listed price.
- Some government-funded bootcamps of up to 16 weeks guarantee an interview with an employer at the end.

Quality varies a lot. Ask a bootcamp for its job placement figures and talk to recent graduates before you pay.

## Courses

Evening courses at a local college are cheaper.

## Paying for the transition

Before you leave a job, build a transition fund. A common rule is six to twelve months of essential living costs, on top of any course fees. Most people who change field take a pay cut at first.

## Funding

Employers sometimes pay for courses through tuition assistance. Training costs can sometimes be tax deductible.
"""


def test_an_answer_to_how_much_quotes_the_amount_its_passage_holds(tmp_path):
    # "Ask a bootcamp ... before you pay." and the course lengths share more of the
    # question's words than "Fees usually run from $10,000 to $20,000", which alone says how
    # much: the passage is judged to hold the amount asked for, so the answer shows it.
    quotes = ask(tmp_path, BOOTCAMPS, "how much do bootcamps cost")
    assert any("$10,000 to $20,000" in q for q in quotes), quotes


def test_a_long_list_of_items_leaning_on_the_one_before_is_not_walked_back_for_each(tmp_path, monkeypatch):
    # Each "It ..." item leans on the one before it, back to the lead-in: read once for the
    # section, not walked back again for each of two thousand candidates (seconds a question).
    from knowledge.answer import compose

    towns = [f"{a} {b}" for a in ("north", "south", "east", "west", "upper") for b in range(400)]
    body = "## Pay\n\nPlumbers earn a good wage.\n" + "".join(f"- It pays well in {town} town.\n" for town in towns)
    path = tmp_path / "article.md"
    path.write_text(f"---\ntitle: Becoming a Plumber\n---\n\n{body}", encoding="utf-8")
    kb = KnowledgeBase.load(path, semantic=False)
    calls = []
    counted = compose.refers_back
    monkeypatch.setattr(compose, "refers_back", lambda text: calls.append(text) or counted(text))
    quotes = [c.quote for c in kb.ask("does it pay well in west town?").citations]
    assert len(quotes) == 3
    assert len(calls) < 3 * len(towns)


def test_what_a_sentence_leans_on_is_what_walking_back_finds():
    from itertools import product

    from knowledge.answer.compose import leaned_on, leaning_runs
    from knowledge.answer.standing import Layout, introduces, refers_back, turns
    from knowledge.models import Section

    def walked(i, texts, layout, eligible, chosen):
        before, j = [], i
        while j - 1 not in chosen and (refers_back(texts[j]) or (turns(texts[j]) and layout.together(j - 1, j))):
            if j - 1 not in eligible or introduces(texts[j - 1]):
                return None
            j -= 1
            before.insert(0, j)
        return before

    kinds = ["Plumbers earn well.", "It pays.", "But not always.", "Common signs include:"]
    for texts, breaks in product(product(kinds, repeat=5), ("", "\n", "\n\n")):
        # the sentences in one paragraph, or from the third on as items, or paragraphs
        text, spans, line = "", [], 1
        for n, t in enumerate(texts):
            if n:
                gap = breaks if n >= 2 and breaks else " "
                text += gap
                line += gap.count("\n")
            spans += [len(text), len(text) + len(t), line]
            text += t
        section = Section(id="s", title="S", text=text, spans=spans)
        layout = Layout.of(section)
        for eligible in ({0, 1, 2, 3, 4}, {0, 2, 3, 4}, {1, 3, 4}):
            runs = leaning_runs(list(texts), layout, eligible)
            for chosen in ([], [0], [2], [1, 3]):
                for i in range(5):
                    assert leaned_on(i, runs, chosen) == walked(i, list(texts), layout, eligible, chosen), (texts, eligible, chosen, i)


def test_a_sections_layout_is_read_once_not_for_each_question(tmp_path, monkeypatch):
    from knowledge.answer import standing

    path = tmp_path / "article.md"
    path.write_text(f"---\ntitle: Becoming a Plumber\n---\n\n{TRADE}", encoding="utf-8")
    kb = KnowledgeBase.load(path, semantic=False)
    read = []
    layout_of = standing.Layout.of.__func__
    monkeypatch.setattr(standing.Layout, "of", classmethod(lambda cls, section: read.append(section.id) or layout_of(cls, section)))
    for question in ("how do i get an apprenticeship", "how long are union apprenticeships", "do apprentices get paid"):
        kb.ask(question)
    assert read and len(read) == len(set(read))
