"""Standard output that says when it cannot be written.

A write to a full disk (or a device that fails) raised a plain OSError, which the command
took for a bug (exit 70); and where stdout is buffered, as in a file or a pipe, the failure
came only at the exit's flush, where it was dropped: the answer was lost and the run
exited 0. Through `Output` such a failure is an `OutputError`, which the command says in
one line with an exit code of its own. A reader that went away (`| head`) stays a
BrokenPipeError: that is no error of the command's.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class OutputError(Exception):
    """Standard output could not be written; the text is the system's reason."""


class Output:
    """A text stream whose write and flush failures are `OutputError`s; the rest is the
    stream's own (isatty, fileno, encoding)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        with _said_as_output():
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:  # an ASCII or Latin-1 stdout (PYTHONIOENCODING, the locale)
                return self._stream.write(escaped(text, self._stream.encoding))

    def flush(self) -> None:
        with _said_as_output():
            self._stream.flush()

    def __getattr__(self, name: str):  # noqa: ANN204 - whatever the stream has
        return getattr(self._stream, name)


def escaped(text: str, encoding: str) -> str:
    """`text` with each character `encoding` cannot hold written as JSON writes it ("\\u2014",
    a pair of them beyond the BMP): the answer is printed whole, not lost to an encoding error
    (exit 2, the rest of a --jsonl run with it), and a JSON row still reads back the same."""
    return "".join(c if _holds(encoding, c) else json.dumps(c)[1:-1] for c in text)


def _holds(encoding: str, character: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@contextmanager
def _said_as_output() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(error.strerror or str(error)) from None


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Within: `sys.stdout` is an `Output` over the stream found, which is put back after."""
    found = sys.stdout
    sys.stdout = Output(found)
    try:
        yield
    finally:
        sys.stdout = found
