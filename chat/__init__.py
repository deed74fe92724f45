"""career-chat's interfaces: the command line, the Textual app, and conversation state.

`Conversation` is imported on first use (PEP 562), as in `knowledge`: it imports the
engine, which `career-chat ask` and the app import only once the model is being read.
"""

from typing import TYPE_CHECKING

__all__ = ["Conversation"]

if TYPE_CHECKING:
    from .conversation import Conversation


def __getattr__(name: str):
    if name == "Conversation":
        from .conversation import Conversation

        return Conversation
    raise AttributeError(f"module 'chat' has no attribute {name!r}")


def __dir__() -> list[str]:
    """`Conversation` too, before its first use: what help() and completion list."""
    return sorted({*globals(), *__all__})
