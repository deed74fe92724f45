"""Sections and sentences of the bundled article, and of articles shaped differently."""

from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.read import sections as sections_module
from knowledge.read.sections import slugify, split_sections

from .conftest import SEED, article_base


def test_one_section_per_heading_with_factor_numbers(kb):
    ids = [s.id for s in kb.sections]
    assert ids == [
        "the-making-of-ai-interactions-is-it-an-employable-skill",
        "is-ai-prompt-engineering-a-real-job",
        "full-employment-options",
        "barriers-to-entry",
        "career-advancement-opportunities",
        "workload",
        "job-market-growth",
        "long-term-demand",
        "compensation",
        "role-stability",
        "certification-and-educational-resources",
        "should-you-start-a-career-in-prompt-engineering",
    ]
    factors = {s.id: s.factor for s in kb.sections}
    assert factors["full-employment-options"] == 1 and factors["certification-and-educational-resources"] == 9
    assert factors["is-ai-prompt-engineering-a-real-job"] is None


def test_slugs_follow_github_anchors():
    assert slugify("Is AI Prompt Engineering a Real Job?") == "is-ai-prompt-engineering-a-real-job"
    assert slugify("How you'll receive the funds") == "how-youll-receive-the-funds"
    assert slugify("Long-Term Demand") == "long-term-demand"


@pytest.mark.parametrize("invisible", ["\u2060", "\ufeff", "\u202e", "\u0301", "\U000e0041"])
def test_a_heading_ending_in_an_invisible_character_gets_the_id_its_words_give(invisible):
    """The id a user types (`--section`, eval labels): no hyphen for a space they cannot see."""
    assert slugify(f"Pay {invisible}") == "pay"
    assert slugify(f"{invisible} Pay and Hours") == "pay-and-hours"
    assert slugify("Pay ?") == "pay-" and slugify("Combien ça paie ?") == "combien-ça-paie-"  # as GitHub


def test_each_sentence_points_at_its_line_in_the_source_file(kb):
    source = SEED.read_text(encoding="utf-8").split("\n")
    checked = 0
    for section in kb.sections:
        for sentence in section.sentences:
            first_word = sentence.text.split()[0]
            assert first_word in source[sentence.line - 1], (sentence.line, sentence.text)
            checked += 1
    assert checked == sum(len(s.sentences) for s in kb.sections) > 50


def test_no_scraper_junk_survives(kb):
    text = "\n".join(s.text for s in kb.sections)
    for junk in ["SCROLL TO CONTINUE", "VIDEO OF THE DAY", "SwifDoo", "Also read", "adsbygoogle", "http", "<", "\\"]:
        assert junk not in text
    repeated = "Although prompt engineering is gaining massive traction"
    assert text.count(repeated) == 1


def test_image_alt_text_is_a_caption_not_a_sentence(kb):
    compensation = kb.section("compensation")
    assert "Looking for Prompt Engineering Jobs on Indeed" in compensation.captions
    assert all("Looking for Prompt" not in s.text for s in compensation.sentences)


def test_abbreviations_do_not_split_sentences(kb):
    quotes = [s.text for s in kb.section("career-advancement-opportunities").sentences]
    assert any("e.g., programming, training, and marketing." in q for q in quotes)


def test_an_article_without_headings_is_one_section_named_after_its_title(tmp_path: Path):
    article = tmp_path / "plain.md"
    article.write_text("---\ntitle: Working Nights\n---\nNight shifts pay more. They are also tiring.\n", encoding="utf-8")
    kb = KnowledgeBase.load(article)
    assert [(s.id, s.title) for s in kb.sections] == [("working-nights", "Working Nights")]
    assert [s.line for s in kb.sections[0].sentences] == [4, 4]


def test_a_folder_of_articles_gets_prefixed_unique_ids(tmp_path: Path):
    for name in ["one", "two"]:
        (tmp_path / f"{name}.md").write_text(f"# {name}\n\n## Pay\n\nIt pays {name} dollars.\n", encoding="utf-8")
    kb = KnowledgeBase.load(tmp_path)
    ids = [s.id for s in kb.sections]
    assert "one/pay" in ids and "two/pay" in ids and len(ids) == len(set(ids))
    answer = kb.ask("what does it pay?")
    assert answer.citations[0].article in {"one", "two"}


def test_files_whose_names_make_one_slug_keep_their_own_sections(tmp_path: Path):
    # "Nurse.md", "nurse.md" and "nurse.html" would all be "nurse/pay"; "nurse-2.md" is a
    # file's own slug, so the second "nurse" becomes "nurse-3".
    pays = {"Nurse.md": "70", "nurse.md": "50", "nurse-2.md": "60"}
    for name, pay in pays.items():
        (tmp_path / name).write_text(f"# Nurse\n\n## Pay\n\nThis nurse earns {pay} dollars an hour.\n", encoding="utf-8")
    kb = KnowledgeBase.load(tmp_path, semantic=False)
    ids = [s.id for s in kb.sections]
    assert sorted(ids) == ["nurse-2/pay", "nurse-3/pay", "nurse/pay"]
    assert sorted(a.slug for a in kb.articles) == ["nurse", "nurse-2", "nurse-3"]
    for section in kb.sections:  # each id opens its own file's passage, named by its own slug
        assert kb.section(section.id) is section and section.id.startswith(section.article + "/")
    texts = {kb.section(s.id).text for s in kb.sections}
    assert texts == {f"This nurse earns {pay} dollars an hour." for pay in pays.values()}


def test_the_engine_knows_nothing_of_the_interfaces():
    import os
    import subprocess
    import sys

    from chat.libraries import NEVER_USED

    # The article parsed afresh (cache off), nltk imported as in a clean environment: here
    # scikit-learn is installed, and through nltk it would bring rich in.
    probe = (
        f"import sys; [sys.modules.setdefault(n, None) for n in {NEVER_USED!r}]; "
        "import knowledge; knowledge.KnowledgeBase.load().ask('pay?'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'chat', 'textual', 'rich'}), 'nltk.tokenize.punkt' in sys.modules)"
    )
    environment = {**os.environ, "CAREER_CHAT_CACHE": "off"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=environment)
    assert result.stdout.strip() == "[] True", result.stderr


def test_nltks_time_limit_is_lifted_for_a_parse_only(monkeypatch):
    redos = pytest.importorskip("nltk.redos")
    seen = []
    real = sections_module.sentence_splitter

    def spy(text):
        seen.append(redos.DEFAULT_TIMEOUT)
        return real(text)

    monkeypatch.setattr(sections_module, "sentence_splitter", spy)
    monkeypatch.setattr(redos, "DEFAULT_TIMEOUT", 5.0)
    assert split_sections("# Pay\n\nThe pay is good. It rises.", title="T")[0].sentences[1].text == "It rises."
    assert seen == [None] and redos.DEFAULT_TIMEOUT == 5.0


def test_a_list_under_a_bold_label_is_quoted_under_the_label(tmp_path: Path):
    kb = article_base(
        tmp_path,
        "# Nursing\n\nNursing is a demanding job.\n\n## Pros and Cons\n\n**Pros**\n- Steady demand\n- Many places to work\n\n"
        "**Cons**\n- Night shifts\n- Heavy lifting\n",
    )
    cons = next(s for s in kb.sections if s.title == "Cons")
    assert cons.sentence_texts == ["Night shifts", "Heavy lifting"]
    assert all(text not in ("Pros", "Cons") for s in kb.sections for text in s.sentence_texts)
    answer = kb.ask("what are the downsides of nursing?")
    assert {c.section_title for c in answer.citations} == {"Cons"}


def test_a_task_lists_boxes_are_no_part_of_its_items(tmp_path: Path):
    """GitHub's task lists ("- [ ] ...", "- [x] ...") are quoted as their items' words; a
    link at an item's start is not a box."""
    text = "# Checklist\n\n- [ ] I have saved six months of costs.\n- [x] I have spoken to three people.\n- [A guide](https://example.org) helps.\n"
    assert article_base(tmp_path, text).sections[0].sentence_texts == [
        "I have saved six months of costs.",
        "I have spoken to three people.",
        "A guide helps.",
    ]


def test_an_faq_answer_is_quoted_without_its_bold_question(tmp_path: Path):
    kb = article_base(
        tmp_path,
        "# Data analysts\n\nAnalysts turn data into answers.\n\n## FAQ\n\n**Is data analysis a stressful job?**\n"
        "Most of the time it is steady office work, with pressure around deadlines.\n\n"
        "**Do analysts need to be good at maths?**\nComfort with averages and basic statistics is enough.\n",
    )
    answer = kb.ask("is data analysis stressful?")
    assert [c.section_title for c in answer.citations] == ["Is data analysis a stressful job?"]
    assert not any(c.quote.endswith("?") for c in answer.citations)


def test_an_article_scraped_with_html_headings_keeps_its_sections(tmp_path: Path):
    kb = article_base(
        tmp_path,
        "<h1>Is Welding a Good Career?</h1>\n<p>Welding is a skilled trade.</p>\n"
        "<h2>How much do welders make?</h2>\n<p>Welders earn a median of $47,000 a year.</p>\n"
        "<h2>Is welding dangerous?</h2>\n<p>Welders face burns and fumes.</p>\n",
    )
    assert [s.title for s in kb.sections] == ["Is Welding a Good Career?", "How much do welders make?", "Is welding dangerous?"]
    answer = kb.ask("how much do welders make?")
    assert [c.quote for c in answer.citations] == ["Welders earn a median of $47,000 a year."]


def test_each_table_row_is_a_sentence_and_a_closed_heading_names_the_article(tmp_path: Path):
    kb = article_base(
        tmp_path,
        "# Electrician pay ##\n\nElectricians are paid well.\n\n## Pay by state ##\n\n"
        "| State | Median pay |\n| --- | --- |\n| California | $84,000 |\n| Texas | $56,000 |\n",
    )
    assert kb.articles[0].title == "Electrician pay"
    assert kb.sections[1].sentence_texts == ["State | Median pay", "California | $84,000", "Texas | $56,000"]


def test_a_page_without_a_title_is_named_by_its_own_first_heading_not_a_bold_label(tmp_path: Path):
    kb = article_base(tmp_path, "## Plumbing pay ##\n\n**Pros**\n- Steady work\n\nPlumbers earn $61,550.\n", name="plumber-careers.md")
    assert kb.articles[0].title == "Plumbing pay"  # closing hashes gone too
    kb = article_base(tmp_path, "**Pros**\n- Steady work\n", name="plumber-careers.md")
    assert kb.articles[0].title == "Plumber Careers"  # the file's name, not "Pros"


def test_a_lower_heading_after_the_opening_names_its_section_not_the_article(tmp_path: Path):
    # Taken as the title, "Pay" named both the opening and the section under it.
    kb = article_base(tmp_path, "Plumbing is steady work. Many plumbers start young.\n\n## Pay\n\nPlumbers earn $61,550.\n", name="plumber-careers.md")
    assert kb.articles[0].title == "Plumber Careers"
    assert [s.title for s in kb.sections] == ["Plumber Careers", "Pay"]
    kb = article_base(tmp_path, "A note first. It is short.\n\n# Plumbing Careers\n\n## Pay\n\nPlumbers earn $61,550.\n", name="x.md")
    assert kb.articles[0].title == "Plumbing Careers"  # a "#" heading names the article wherever it stands


def test_a_heading_loses_its_closing_marks_and_keeps_the_rest():
    from knowledge.read.sections import outline

    heads = outline("## Pay ##  \n\nText.\n\n#  \n\n### C# and F#\n\nMore.\n\n#\tTabs\t#\t\n", "T")
    assert [(h.level, h.text) for h in heads[1:]] == [(2, "Pay"), (3, "C# and F"), (1, "Tabs")]


@pytest.mark.slow
def test_a_heading_is_read_in_time_linear_in_its_length():
    # "(.*?)\s*#*\s*$" tried each end of the text against each split of the spaces after it:
    # a heading of 3,000 spaces took a minute. 8 times the length: about 8 times the work
    # when linear, 512 when cubic.
    from knowledge.read.sections import outline

    from .test_cache_speed import cpu_best_of

    def heading(spaces: int) -> str:
        return "## Pay" + " " * spaces + "x\n\nNurses earn $80,000 a year.\n"

    small, large = heading(200), heading(1600)
    assert outline(large, "T")[1].text == "Pay" + " " * 1600 + "x"
    ratio = cpu_best_of(3, lambda: outline(large, "T")) / cpu_best_of(3, lambda: outline(small, "T"))
    assert ratio < 24, f"{ratio:.0f} times the time for 8 times the heading"
