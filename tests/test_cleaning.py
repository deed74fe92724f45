"""The cleaning rules, on scraped-page shapes rather than on the bundled article's lines."""

import pytest

from knowledge.read.cleaning import clean

from .test_cache_speed import cpu_best_of


def lines_of(text: str) -> list[str]:
    return clean(text).text.split("\n")


def test_cleaning_keeps_every_line_number():
    text = "a\n<!-- ad\nstill ad -->\nb\n<ins class='x'\n  data='y'></ins>\nc"
    out = lines_of(text)
    assert len(out) == len(text.split("\n"))
    assert out[0] == "a" and out[3] == "b" and out[6] == "c"


def test_html_blocks_go_with_their_content():
    text = (
        "Real sentence.\n"
        '<a href="https://shop.example/buy"><img src="x.png">Buy Product Now!\n'
        "</a>\n"
        '<span class="alsoread">Also read:</span>\n'
        '<div><ul><li><a href="https://x.example">Some link title</a></li></ul></div>\n'
        '<aside markdown="1" class="pquote">\n  A pull quote from someone.\n</aside>\n'
        "Next sentence."
    )
    out = clean(text).text
    for junk in ["Buy Product", "Also read", "Some link title", "pull quote", "<", ">"]:
        assert junk not in out
    assert "Real sentence." in out and "Next sentence." in out


def test_inline_markup_keeps_its_text():
    out = clean("This is **bold**, *italic*, `code` and [a link](https://x.example) with <b>tags</b>.").text
    assert out == "This is bold, italic, code and a link with tags."


def test_markdown_escapes_are_unescaped():
    assert clean(r"### 1\. Factor" + "\n" + r"It costs $20\. Really.").text == "### 1. Factor\nIt costs $20. Really."


def test_shouting_widget_lines_are_dropped():
    out = lines_of("**MUO VIDEO OF THE DAY**\nSCROLL TO CONTINUE WITH CONTENT\nA real sentence about AI.")
    assert out == ["", "", "A real sentence about AI."]


def test_a_repeated_paragraph_is_dropped():
    para = "Although this paragraph says something, a scraper repeated it further down the page."
    out = lines_of(f"{para}\n\nMiddle text here.\n\n{para}")
    assert out == [para, "", "Middle text here.", "", ""]


def test_link_only_list_items_are_dropped_but_prose_items_stay():
    out = lines_of("* [Just a link](https://x.example)\n* Some companies, like [Netflix](https://n.example), do this")
    assert out == ["", "* Some companies, like Netflix, do this"]


def test_images_and_liquid_tags_become_captions_not_text():
    text = (
        "![An alt text](https://img.example/a.png)\n"
        '{% img blog/x.jpg alt:"Working on the sidewalk" width:"500" %}{: .center-image }\n'
        "Prose."
    )
    cleaned = clean(text)
    assert cleaned.text.split("\n") == ["", "", "Prose."]
    assert cleaned.captions == [(0, "An alt text"), (1, "Working on the sidewalk")]


def test_code_blocks_are_not_prose():
    out = lines_of("Before.\n```python\nprint('x')\n```\nAfter.")
    assert out == ["Before.", "", "", "", "After."]


def test_a_link_wrapped_over_two_lines_keeps_its_text_and_its_lines():
    text = "Read the top questions on [Stack\nOverflow](https://stackoverflow.com/q?a=(1)). Then practise."
    out = lines_of(text)
    assert out == ["Read the top questions on Stack", "Overflow. Then practise."]


def test_a_table_of_contents_is_dropped_but_its_headings_stay():
    text = (
        "**Table of contents**\n"
        "- What Does a Paralegal Do?\n"
        "- How Much Do Paralegals Make?\n"
        "\n"
        "## What Does a Paralegal Do?\n"
        "They draft documents. What does a paralegal do? More than you think.\n"
        "## How Much Do Paralegals Make?\n"
        "About $60,000."
    )
    out = lines_of(text)
    assert out[:4] == ["", "", "", ""]
    assert out[4] == "## What Does a Paralegal Do?" and out[6] == "## How Much Do Paralegals Make?"
    # A sentence that only mentions a heading's words among others is prose.
    assert out[5] == "They draft documents. What does a paralegal do? More than you think."


def test_share_bars_reading_times_newsletter_pleas_and_box_labels_are_dropped():
    out = lines_of(
        "*Updated March 2026 · 9 min read*\n"
        "Share on Facebook | Share on X | Email\n"
        "*Subscribe to our newsletter for more career guides.*\n"
        "> **Key takeaways**\n"
        "Share of paralegals in law firms rose to 70% last year.\n"
        "Most people read for 9 minutes a day."
    )
    assert out == ["", "", "", "", "Share of paralegals in law firms rose to 70% last year.", "Most people read for 9 minutes a day."]


def test_a_bold_label_above_a_list_heads_it_one_level_down():
    text = "## Pros and Cons\n\n**Pros**\n- Steady demand\n\n**Cons**\n\n- Long hours\n\n**A bold line of prose.**\nText."
    out = lines_of(text)
    assert out[2] == "### Pros" and out[5] == "### Cons"
    assert out[9] == "A bold line of prose."  # not above a list, a sentence: text as before


def test_a_bold_question_heads_its_answer_as_an_faq_does():
    text = "## FAQ\n\n**Is data analysis a stressful job?**\nMostly steady work.\n\n**Why?** is not alone on its line.\n"
    out = lines_of(text)
    assert out[2] == "### Is data analysis a stressful job?" and out[3] == "Mostly steady work."
    assert out[5] == "Why? is not alone on its line."


def test_an_html_heading_on_its_own_line_is_a_heading_not_a_widget():
    text = '<h2 class="title">How much do <em>welders</em> make?</h2>\n<p>About $47,000.</p>\n<div class="ad"><h3>Buy</h3></div>'
    out = lines_of(text)
    assert out == ["## How much do welders make?", "About $47,000.", ""]


def test_setext_headings_become_headings_and_a_rule_under_a_paragraph_stays_a_rule():
    text = "Plumber Careers\n===============\n\nSalary\n------\n\nA paragraph of text\nthat runs on.\n---\nAfter."
    out = lines_of(text)
    assert out[:5] == ["# Plumber Careers", "", "", "## Salary", ""]
    assert out[6:] == ["A paragraph of text", "that runs on.", "", "After."]


def test_html_entities_read_as_shown_never_moving_a_line_or_turning_text():
    out = lines_of("Pay &amp; perks don&#8217;t vary.\nA &#8238;trick&#10;here &lt;b&gt;.\n## Q&amp;A")
    assert out == ["Pay & perks don\u2019t vary.", "A trick here <b>.", "## Q&A"]


def test_a_bold_label_standing_alone_above_a_paragraph_is_a_heading_but_shouting_is_not():
    out = lines_of("## Training\n\n**Apprenticeships**\n\nMost plumbers train for five years.\n\n**SCROLL TO CONTINUE**\n\nMore.")
    assert out[2] == "### Apprenticeships" and out[6] == ""


def test_a_table_is_a_row_per_item_without_its_rule_row():
    text = "| State | Median pay |\n| --- | :---: |\n| California | $84,000 |\n|  |  |\nAfter."
    assert lines_of(text) == ["- State | Median pay", "", "- California | $84,000", "", "After."]


def test_q_and_a_lines_are_a_question_heading_over_its_answer():
    text = "## FAQ\n\nQ: Is welding dangerous?\nA: Welders face burns.\n\n**Q:** Do welders travel?\n**A:** Often.\n\nA: plain line."
    out = lines_of(text)
    assert out[2:4] == ["### Is welding dangerous?", "Welders face burns."]
    assert out[5:7] == ["### Do welders travel?", "Often."]
    assert out[8] == "A: plain line."  # no question above it: left as written


def test_footnote_and_citation_marks_stuck_to_a_word_go():
    assert lines_of("It pays $87,530 a year.[^1] Most work part time.[2] See step [3].") == [
        "It pays $87,530 a year. Most work part time. See step [3]."
    ]


def test_code_spans_and_escaped_marks_are_quoted_as_a_reader_sees_them():
    # Inline code is literal text: its tags, stars and entities are what the page shows.
    out = clean("They write `<div>` and `<span>` tags, use `a < b`, the `**kwargs` idiom and `&amp;`.").text
    assert out == "They write <div> and <span> tags, use a < b, the **kwargs idiom and &amp;."
    # An escaped mark is the mark, never emphasis or a tag ("\<" is how a page scraped to
    # markdown keeps a "<" it showed as text).
    assert clean(r"A head chef earns \*about\* $60,000.").text == "A head chef earns *about* $60,000."
    assert clean(r"The page showed \<script>alert(1)\</script> as text.").text == "The page showed <script>alert(1)</script> as text."
    # A run of backticks with no run as long after it is backticks as written.
    assert clean("Use ``a ` b`` here and one ` alone.").text == "Use a ` b here and one ` alone."
    # An escaped pipe stays in its table cell.
    assert lines_of("| a \\| b | c |\n| --- | --- |") == ["- a | b | c", ""]


def test_an_image_or_a_link_whose_address_holds_parentheses_goes_whole():
    text = "See ![a chart](https://en.wikipedia.org/wiki/Pay_(US).png) and [a link](https://x.example/a_(b)) here."
    out = clean(text)
    assert out.text == "See  and a link here." and out.captions == [(0, "a chart")]


def test_an_article_cannot_write_the_marks_literal_text_is_held_by():
    assert clean("x\ufdd0\ufde0\ufdd1y `code`").text == "xy code"


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    ["{{", "{%", "[", "[a](", "![", "**a ", "<div>\n\n", "{:", "<http://a", "alt:'a' ", '{% img /a.png alt:"a" %}\nText.\n', " ", "\t "],
    ids=[
        "template-tags",
        "template-blocks",
        "brackets",
        "link-openings",
        "image-openings",
        "bold-marks",
        "open-elements",
        "attribute-openings",
        "autolink-openings",
        "unclosed-image-tag",
        "image-tags",
        "spaces",
        "tabs-and-spaces",
    ],
)
def test_cleaning_grows_with_the_text_not_its_square(unit):
    # Marks that open and never close: each was read to the end of the text from every
    # opening (40 KB of "{{" took 12 s). 8 times the text: about 8 times the work when
    # linear, 64 when quadratic. Compared as a ratio of this machine's own best runs.
    def page(times: int) -> str:
        opening = "{% img " if unit.startswith("alt:") else ""  # an image tag never closed
        return "# T\n\n## Pay\n\nA nurse earns $80,000 a year.\n\n" + opening + unit * times + "\n"

    small, large = page(1500), page(12000)
    ratio = cpu_best_of(5, lambda: clean(large)) / cpu_best_of(5, lambda: clean(small))
    assert ratio < 24, f"{ratio:.0f} times the time for 8 times the text"


@pytest.mark.slow
def test_sections_find_their_captions_in_time_linear_in_the_article():
    from knowledge.read.sections import outline, shown

    def parts(count: int) -> tuple:
        text = "".join(f"# h{i}\n![a{i}](b.png) Text {i} is here.\n\n" for i in range(count))
        cleaned = clean(text)
        heads = outline(cleaned.text, "T")
        return heads, [bool(h.units) for h in heads], 0, cleaned.captions

    small, large = parts(1000), parts(8000)
    assert shown(*large)[5].captions == ["a5"]
    ratio = cpu_best_of(5, lambda: shown(*large)) / cpu_best_of(5, lambda: shown(*small))
    assert ratio < 24, f"{ratio:.0f} times the time for 8 times the sections"
