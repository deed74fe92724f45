"""What the interfaces print: literal text, no terminal escapes, no accidental Markdown."""

import html
import re

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from chat.render import markdown, markdown_literal, plain, printable


def rendered_text(source: str) -> str:
    """What a CommonMark renderer (the one Textual uses) shows for `source`, as plain text."""
    return html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt().render(source))).strip()


@given(st.text(alphabet="ab #*_-+>`[]()<>!~.1\\|$&;ltg", min_size=1, max_size=40).filter(lambda t: t.strip() == t and t))
@example("&lt;b&gt; &amp; &#60;")  # an entity typed is shown as typed, not as the character
def test_markdown_literal_shows_exactly_the_text(text):
    assert rendered_text(markdown_literal(text)) == text


def test_printable_strips_terminal_controls():
    assert printable("a\x1b[31mb\x9bc\x07d\te\nf") == "a[31mbcd\te\nf"


def test_answers_render_for_terminal_and_markdown(kb):
    answer = kb.ask("what do prompt engineers earn in germany")
    text = plain(answer)
    assert "The article does not mention: germany." in text and "Sources\n[1] Factor 7 · Compensation" in text
    assert "does not mention: germany" in rendered_text(markdown(answer))
    refusal = kb.ask("how do I unclog a sink")
    assert "It covers:" in plain(refusal) and "It covers:" in rendered_text(markdown(refusal))


def test_a_source_link_is_never_cut_however_narrow_the_text(kb):
    """A web article's source is a link to the sentence: wrapped, it could not be clicked
    or copied. It goes whole on its own line instead."""
    answer = kb.ask("what does it pay?")
    url = "https://example.org/careers/prompt-engineering#:~:text=Bloomberg%20even%20says,annually" + "%20x" * 20
    linked = answer.model_copy(update={"citations": [c.model_copy(update={"url": url}) for c in answer.citations]})
    for width in (40, 88):
        text = plain(linked, width=width)
        assert text.count(url) == len(linked.citations), text
    spaced = answer.model_copy(
        update={"citations": [c.model_copy(update={"source": "/tmp/Registered Nurse Career Guide 2024 final.md"}) for c in answer.citations]}
    )
    for width in (40, 88):
        text = plain(spaced, width=width)
        assert text.count("Registered Nurse Career Guide 2024 final.md:") == len(spaced.citations), text


def test_the_app_shows_a_web_address_in_quoted_text_as_written():
    # Textual's default parser links bare addresses from the escaped source ("a=1\\&b=2");
    # the app's does not, so the escapes are read as in any other text.
    from chat.widgets import literal_parser

    text = "See https://example.org/jobs?a=1&b=2_c~d for listings."
    html_out = literal_parser().render(markdown_literal(text))
    assert "<a " not in html_out
    assert html.unescape(re.sub(r"<[^>]+>", "", html_out)).strip() == text


def test_a_saved_answer_links_each_web_source_whole(kb):
    # Escaped, "#:~:text=" became "#:\\~:text=", which a viewer that links bare addresses
    # (GitHub's) kept in the link; as an autolink it is read whole by every viewer.
    answer = kb.ask("what does it pay?")
    url = "https://example.org/careers/prompt_engineering?a=1&b=2#:~:text=Bloomberg%20even%20says"
    linked = answer.model_copy(update={"citations": [c.model_copy(update={"url": url}) for c in answer.citations]})
    source = markdown(linked)
    for preset in ("commonmark", "gfm-like"):
        assert MarkdownIt(preset).render(source).count(f'href="{html.escape(url)}"') == len(linked.citations), preset
    # An address that is no autolink (a space, an angle bracket) is shown escaped, as text.
    odd = answer.model_copy(update={"citations": [c.model_copy(update={"url": "https://e.org/a b<c>"}) for c in answer.citations]})
    assert "https://e.org/a b<c>" in rendered_text(markdown(odd))
