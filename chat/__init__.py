"""career-chat's interfaces: the command line, the Textual app, and conversation state."""

from .conversation import Conversation

__all__ = ["Conversation"]
