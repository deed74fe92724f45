"""Libraries the command keeps out of the processes it owns: itself and the workers it starts."""

from __future__ import annotations

import sys

# Libraries nltk's package loads wherever they are installed, for classifiers, statistics
# and plots the sentence splitter never uses: in an environment that has them, a first
# parse imported scikit-learn, scipy and matplotlib (0.9 s, measured), and answering
# imports no fitting library.
NEVER_USED = ("sklearn", "scipy", "matplotlib", "pandas")


def keep_out_unused_libraries() -> None:
    """Mark the libraries above absent for this process (nltk carries on without them),
    those not already loaded. Only the command does this: it owns its process, and its
    parsing workers are forked from it; a program using the library keeps its own."""
    for name in NEVER_USED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type] - Python's mark of "not installed"
