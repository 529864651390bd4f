"""The command line: ``python scripts/make_sample_estate.py [--check]``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .output import OUT_DIR, problems, render, write

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Write the estate's files, or with ``--check`` exit 1 when they are stale."""
    parser = argparse.ArgumentParser(
        description='Generate the synthetic Amazon Inspector "sample estate" shipped in '
        "``inspector_kit/data``."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate in memory and exit 1 if the files on disk differ",
    )
    args = parser.parse_args(argv)
    outputs = render()
    if args.check:
        found = problems(outputs, OUT_DIR)
        for problem in found:
            print(problem, file=sys.stderr)
        if found:
            print("run: python scripts/make_sample_estate.py", file=sys.stderr)
        return 1 if found else 0
    write(outputs, OUT_DIR)
    return 0
