"""`python -m qualityhub.sandbox --port 0 ...` starts the sandbox."""

from __future__ import annotations

import sys

from .server import main

if __name__ == "__main__":
    sys.exit(main())
