"""`python -m chat` is `career-chat`."""

from .cli import run

run()
