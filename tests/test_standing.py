"""An answer a worried reader can follow: every quoted sentence reads on its own, or
comes with the sentence it leans on. Each test writes a small article of its own."""

from knowledge import KnowledgeBase


def ask(tmp_path, body: str, question: str) -> list[str]:
    """The sentences quoted in answer to `question` about an article of `body`."""
    path = tmp_path / "article.md"
    path.write_text(f"---\ntitle: Becoming a Plumber\n---\n\n{body}", encoding="utf-8")
    return [c.quote for c in KnowledgeBase.load(path).ask(question).citations]


SIGNS = """## Signs it is time to switch

Everyone has bad months at work. A career change is worth considering when the problem is the work itself rather than one employer. Common signs include:

- You have changed employers twice and the same frustrations followed you.
- You feel no interest in the next promotion.
- You keep reading about, or doing in your spare time, a different kind of work.

If only one of these applies, try a sideways move first. That is often enough.

## Pay

Plumbers earn about $60,000 a year.
"""


def test_an_item_of_a_list_comes_after_the_sentence_that_introduces_the_list(tmp_path):
    # "You feel no interest in the next promotion." alone is a statement about the reader;
    # below "Common signs include:" it is a sign.
    quotes = ask(tmp_path, SIGNS, "is losing interest in promotion a sign i should change careers")
    item = quotes.index("You feel no interest in the next promotion.")
    assert "Common signs include:" in quotes[:item]
