"""career-chat's engine: grounded, cited answers from one career article.

Names are imported on first use (PEP 562), so a light module such as `knowledge.inputs`
can be imported without numpy and pydantic: the chat app shows its question box first and
loads the engine in a worker.
"""

from importlib import import_module
from typing import TYPE_CHECKING

_HOMES = {
    "ArticleError": ".inputs",
    "KnowledgeBase": ".base",
    "Answer": ".models",
    "ArticleInfo": ".models",
    "Citation": ".models",
    "Part": ".models",
    "Section": ".models",
    "SectionScore": ".models",
    "Sentence": ".models",
}

__all__ = ["Answer", "ArticleError", "ArticleInfo", "Citation", "KnowledgeBase", "Part", "Section", "SectionScore", "Sentence"]

if TYPE_CHECKING:
    from .base import KnowledgeBase
    from .inputs import ArticleError
    from .models import (
        Answer,
        ArticleInfo,
        Citation,
        Part,
        Section,
        SectionScore,
        Sentence,
    )


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    return getattr(import_module(home, __name__), name)


def __dir__() -> list[str]:
    """The public names too, before their first use: what help() and completion list."""
    return sorted({*globals(), *__all__})
