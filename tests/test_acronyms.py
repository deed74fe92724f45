"""An acronym in a question meets the words the article spells it out with."""

from pathlib import Path

from knowledge.rank.acronyms import spelled_out
from knowledge.rank.analysis import Analyzer

from .conftest import article_base


def test_a_run_of_content_words_with_those_initials_written_as_a_name_or_twice_stands_for_it():
    analyzer = Analyzer.default()
    text = (
        "You can find openings everywhere. In time you may become chief financial officer.\n"
        "Chief financial officers sign off the accounts. Cash flow options vary."
    )
    assert spelled_out("cfo", [text], analyzer) == "chief financial officer"  # twice (once plural); "cash flow options" once
    assert spelled_out("cfo", ["You can find openings. You can find openings."], analyzer) is None  # "can": a stop word
    assert spelled_out("hr", ["Ask Human Resources."], analyzer) == "human resources"  # once, but a name
    assert spelled_out("hr", ["Hybrid roles are new.", "Hybrid roles again."], analyzer) is None  # once in each


def test_a_question_naming_an_acronym_the_article_spells_out_is_answered(tmp_path: Path):
    kb = article_base(
        tmp_path,
        "# Accounting careers\n\nAccounting is a steady profession.\n\n"
        "## Pay\n\nStaff accountants start near $55,000 a year. A chief financial officer earns far more.\n\n"
        "## Where it leads\n\nSenior accountants can become a controller and, in time, chief financial officer.\n",
    )
    answer = kb.ask("how do I become a CFO?")
    assert answer.answered and answer.citations[0].section_id == "where-it-leads"  # "become" chooses
    assert "cfo" not in answer.missing
    # Without the spelled-out words, it stays a named thing the article lacks.
    assert not kb.ask("how do I become a CTO?").answered


def test_an_acronym_of_the_lexicon_meets_the_phrase_it_stands_for_not_its_whole_group(tmp_path: Path):
    # "VC" and "venture capital" are one lexicon group with "investment": the group alone
    # cannot tell the section that names venture capital from one that says "investment".
    kb = article_base(
        tmp_path,
        "# Funding a small company\n\nSmall companies need money to grow.\n\n"
        "## Paying your first staff\n\nMost founders pay early staff from an investment by friends and family, "
        "and raise money from them again when the company grows.\n\n"
        "## Selling a stake\n\nA few popular companies even raise venture capital to support their growth.\n",
    )
    assert kb.search("did any small companies raise VC money?")[0].section_id == "selling-a-stake"
