"""`python -m chat` is `career-chat`."""

import sys

from .cli import main

sys.exit(main())
