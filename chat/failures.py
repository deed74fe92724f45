"""How a run that cannot go on ends: one line on stderr and its exit code, never a traceback."""

from __future__ import annotations

import sys

from .render import printable

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # sysexits' EX_SOFTWARE: a bug


def said(error: Exception, bad_input: bool) -> int:
    """Say `error` and give the exit code for it: bad input names the file, option or
    variable at fault and its fix (exit 2); anything else is a bug to report (exit 70)."""
    if bad_input:
        sys.stderr.write(f"career-chat: error: {printable(str(error))}\n")
        return EXIT_USAGE
    sys.stderr.write(f"career-chat: internal error: {type(error).__name__}: {printable(str(error))}; please report it\n")
    return EXIT_INTERNAL
