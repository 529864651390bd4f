#!/usr/bin/env python3
"""Generate the synthetic Amazon Inspector "sample estate" shipped in ``inspector_kit/data``.

A thin entry point: the generator is the package ``scripts/sample_estate/`` (see its
docstring for the files it writes and how the data is made).

Usage::

    python scripts/make_sample_estate.py           # (re)write the files
    python scripts/make_sample_estate.py --check   # exit 1 if the files are stale
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, this directory is on sys.path; imported otherwise, make it so.
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    # The review log is written through this checkout's inspector_kit (its exact format).
    sys.path.insert(1, str(here.parent))
    from sample_estate import main

    sys.exit(main())
