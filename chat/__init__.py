"""career-chat's interfaces: the command line, the Textual app, and conversation state.

`Conversation` is imported on first use (PEP 562), as in `knowledge`: `career-chat ask`
never holds a conversation and starts without it.
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
