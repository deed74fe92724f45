"""Libraries the command keeps out of the processes it owns: itself and the workers it starts."""

from __future__ import annotations

import os
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


def one_blas_thread() -> None:
    """numpy's OpenBLAS on one thread in this process and those it starts, unless the
    environment says otherwise (read once, as numpy is first imported: this comes before).
    It starts a thread a core, and each spins for about a tenth of a second when it starts
    and after every product it shares: on two cores, beside the model's thread and the
    imports, a cold `ask` took 0.91 of its time without it (wall and CPU, 21 alternating
    runs), the baseline import 0.79 of its CPU. Its products here are a question against
    a few hundred rows, which one thread computes bit for bit as two do."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
