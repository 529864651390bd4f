"""The ``inspector-kit`` command: a thin layer over the public API.

Subcommands (``inspector-kit COMMAND --help`` for the options of each):

* ``findings``: list findings, filtered (``--severity``, ``--status``, ``--type``,
  ``--account``, ``--fix-available``, ``--limit``); ``--fail-on HIGH`` makes it a CI gate.
* ``coverage``: gather the EC2/SSM inventory (``Inspector.inventory()``) and analyse it:
  each instance's coverage status and, for gaps, the fix.
* ``cost``: ``--usage-totals`` prices ListUsageTotals next to AWS's own estimate;
  ``--coverage`` prices the EC2 estate in agent-based vs hybrid mode (``--prices FILE``
  over the bundled prices).
* ``rescore``: findings rescored for network exposure (``--policy inspector|strict|
  unchanged``); the changed ones are shown.
* ``triage``: findings planned into queues with due dates (``--policy FILE``, business days
  of ``--country``/``--subdivision`` in ``--timezone``).
* ``demo``: serve the bundled sample estate from a loopback Inspector on 127.0.0.1, fetch it
  with :class:`~inspector_kit.Inspector` (the code path used against AWS) and summarise it.
  No AWS account or network is needed.
* ``summary FILE...``: the same summary for findings files you saved (ListFindings pages,
  report exports, EventBridge events, JSON Lines; gzip is fine).

The AWS-facing subcommands use the standard AWS credential chain and take ``--profile``,
``--region`` (repeatable) or ``--regions a,b|all``, ``--endpoint-url``, ``--format
table|json|csv|md`` (default: a table on a terminal, JSON when piped) and ``--debug``
(tracebacks). ``coverage`` and ``cost --coverage`` also take a hidden ``--sample-inventory``
(for tests and demos): the sample estate's EC2/SSM inventory, analysed against the coverage
and account status fetched from Inspector, instead of calling EC2 and SSM.

Errors are one line on stderr with the fix (missing credentials, access denied, Inspector not
enabled); ``--debug`` adds the traceback.

Exit codes: 0 ok; 1 an ACTIVE finding at or above ``--fail-on`` (this wins over 3); 2 usage
error; 3 a region or call failed (each named on stderr; the rest of the output is still
printed) or some records of a file could not be loaded; 4 a source (findings file, price
file, policy file) could not be read at all.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import TYPE_CHECKING

from ._cli.common import (
    EXIT_BAD_SOURCE,
    EXIT_FAIL_ON,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    explain,
)
from ._cli.summary import summary_lines
from ._version import __version__
from .errors import InspectorKitError

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_BAD_RECORDS = EXIT_PARTIAL
"""The ``summary`` name of exit code 3: some records could not be loaded."""

__all__ = [
    "EXIT_BAD_RECORDS",
    "EXIT_BAD_SOURCE",
    "EXIT_FAIL_ON",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "main",
    "summary_lines",
]

_EPILOG = """\
exit codes:
  0  ok
  1  an ACTIVE finding at or above --fail-on (findings)
  2  usage error
  3  partial failure: a region or call failed (named on stderr), or bad records in a file
  4  a source (findings, price or policy file) could not be read

errors print one line with the fix; --debug prints the traceback too."""


def _parser() -> argparse.ArgumentParser:
    from ._cli.commands import add_commands
    from ._cli.demo import run_demo
    from ._cli.summary import run_summary

    parser = argparse.ArgumentParser(
        prog="inspector-kit",
        description="Typed tooling for Amazon Inspector findings.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    add_commands(sub)
    demo = sub.add_parser(
        "demo", help="fetch the bundled sample estate from a loopback Inspector and summarise it"
    )
    demo.set_defaults(run=run_demo, debug=False)
    summary = sub.add_parser("summary", help="summarise findings files")
    summary.add_argument("files", nargs="+", help="findings files (JSON, JSON Lines, gzip)")
    summary.set_defaults(run=run_summary, debug=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``inspector-kit`` command; returns the exit code.

    Example:
        >>> main(["summary", "no-such-file.json"])
        == no-such-file.json
        4
    """
    from botocore.exceptions import BotoCoreError

    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    try:
        return int(args.run(args, sys.stdout, sys.stderr))
    except (InspectorKitError, BotoCoreError, OSError, ValueError) as exc:
        if args.debug:
            traceback.print_exc(file=sys.stderr)
        print(f"error: {explain(exc)}", file=sys.stderr)
        return _exit_code(exc)


def _exit_code(exc: BaseException) -> int:
    from .errors import FetchError, PartialResultError, SourceFormatError
    from .pricing import PriceFileError
    from .triage import PolicyFileError

    if isinstance(exc, (SourceFormatError, PriceFileError, PolicyFileError, OSError)):
        return EXIT_BAD_SOURCE
    if isinstance(exc, (FetchError, PartialResultError)) or not isinstance(exc, ValueError):
        return EXIT_PARTIAL
    return EXIT_USAGE  # a bad value: no region, an unknown country or time zone, ...


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
