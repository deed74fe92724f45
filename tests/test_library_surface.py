"""The library as a program depending on it sees it: its names, their types, their help."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["knowledge", "chat"]


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_says_it_is_typed_and_ships_the_marker(package):
    # Without py.typed a type checker reads an installed package as untyped: every
    # `kb.ask(...)` is Any, and a typo in a field name goes unseen.
    assert (ROOT / package / "py.typed").is_file()
    shipped = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.setuptools.package-data]")[1]
    line = next(line for line in shipped.splitlines() if line.startswith(f"{package} = ["))
    assert '"py.typed"' in line


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_is_known_to_a_type_checker(package):
    # The names are imported on first use; a type checker reads the TYPE_CHECKING block
    # instead, and a name missing there is Any to it (`knowledge.Part` was).
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    hinted = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
        if isinstance(inner, ast.ImportFrom)
        for alias in inner.names
    }
    assert set(importlib.import_module(package).__all__) <= hinted


@pytest.mark.parametrize("package", PACKAGES)
def test_dir_lists_the_public_names_before_they_are_imported(package):
    # What help(), an editor's completion and a REPL's tab show.
    module = importlib.import_module(package)
    assert set(module.__all__) <= set(dir(module))


def test_wait_that_is_not_a_yes_or_no_is_a_type_error():
    # "no" would read as yes, as for `semantic`: said before anything is read.
    from knowledge import KnowledgeBase

    with pytest.raises(TypeError, match="wait is True, False or None"):
        KnowledgeBase.load(semantic=False, wait="no")


def test_one_knowledge_base_answers_from_several_threads_as_from_one():
    # The README says a web app may share one: a fresh one, so its lazy caches (acronyms,
    # names, refusal topics) are first filled by threads racing for them.
    from concurrent.futures import ThreadPoolExecutor

    from knowledge import KnowledgeBase

    questions = [
        "How much do prompt engineers earn?", "is it a real job?", "what is ChatGPT?", "what is the NLP?",
        "how do I bake bread?", "hello", "What does it pay? Is it remote?", "why is it paid so much?",
    ]
    alone = {q: KnowledgeBase.load().ask(q).model_dump_json() for q in questions}
    shared = KnowledgeBase.load()
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda q: (q, shared.ask(q).model_dump_json()), questions * 4))
    assert all(answer == alone[q] for q, answer in together)


@pytest.mark.parametrize(
    "call",
    [
        lambda kb: kb.ask("what does it pay?", exclude="It pays well."),  # a string: its letters, one by one
        lambda kb: kb.ask("what does it pay?", exclude=None),
        lambda kb: kb.examples("4"),
        lambda kb: kb.examples(2.0),
    ],
)
def test_a_wrong_type_is_a_type_error_naming_the_argument(call):
    from knowledge import KnowledgeBase

    with pytest.raises(TypeError, match="exclude|count"):
        call(KnowledgeBase.load(semantic=False))


def test_a_conversation_keeping_a_count_not_a_number_is_a_type_error():
    from chat import Conversation
    from knowledge import KnowledgeBase

    with pytest.raises(TypeError, match="keep is how many turns"):
        Conversation(KnowledgeBase.load(semantic=False), keep="3")


def test_a_path_holding_a_nul_is_an_article_error_saying_so():
    """os.stat raised a bare "embedded null byte", naming no path and no fix."""
    from knowledge import ArticleError, KnowledgeBase

    with pytest.raises(ArticleError, match="a path cannot hold a NUL character"):
        KnowledgeBase.load("notes\x00.md", semantic=False)
