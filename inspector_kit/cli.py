r"""The ``inspector-kit`` command: a thin layer over the public API.

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
  with [`Inspector`][inspector_kit.fetch.Inspector] (the code path used against AWS) and summarise
  it. No AWS account or network is needed.
* ``summary FILE...``: the same summary for findings files you saved (ListFindings pages,
  report exports, EventBridge events, JSON Lines; gzip is fine).

The AWS-facing subcommands use the standard AWS credential chain and take ``--profile``,
``--region`` (repeatable) or ``--regions a,b|all``, ``--endpoint-url``, ``--format
table|json|csv|md`` (default: a table on a terminal, JSON when piped) and ``--debug``
(tracebacks). ``--sample`` reads the bundled sample estate from a loopback Inspector the
command starts on 127.0.0.1, with its EC2/SSM inventory: no AWS account, credentials or
network. ``coverage`` and ``cost --coverage`` also take ``--sample-inventory`` (with
``--endpoint-url`` of a loopback server): the sample estate's EC2/SSM inventory, analysed
against the coverage and account status fetched from Inspector, instead of calling EC2 and
SSM. ``findings``, ``coverage``, ``cost`` and ``rescore`` take ``--sort COLUMN[:desc]`` and
``--columns A,B,...``; ``summary`` takes ``--format`` (its counts as rows).

Errors are one line on stderr with the fix (missing credentials, access denied, Inspector not
enabled); ``--debug`` adds the traceback, and the DEBUG log of inspector_kit and botocore
with credentials redacted ([`configure_logging`][inspector_kit.logs.configure_logging]).

Everything printed for people is data, never markup or control sequences: table cells are
literal text, and control characters (ESC, CR, bidirectional overrides, ...) in titles, ids,
names and error messages are shown as escapes (``\x1b``). JSON, CSV and Markdown keep the
data exactly when written to a pipe or a file, and are escaped the same way on a terminal.

Exit codes: 0 ok, and also when the reader of the output went away (``| head``); 1 an
ACTIVE finding at or above ``--fail-on`` (this wins over 3), never anything else; 2 usage
error (a bad option or value, a filter that can never match); 3 a region or call failed
(each named on stderr; the rest of the output is still printed) or some records could not
be loaded; 4 a source (findings file, price file, policy file) could not be read at all;
5 the AWS configuration cannot be used (unknown profile, unreadable config, no credentials
before any call); 6 the output could not be written (stdout closed, disk full); 70 an
internal error, a bug (one line says so; ``--debug`` prints the traceback); 130 interrupted
(Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

from ._cli.common import (
    EXIT_BAD_SOURCE,
    EXIT_CONFIG,
    EXIT_FAIL_ON,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_PARTIAL,
    EXIT_USAGE,
    add_debug,
    explain,
)
from ._cli.output import Output, OutputError, one_line
from ._cli.summary import summary_lines
from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

EXIT_BAD_RECORDS = EXIT_PARTIAL
"""The ``summary`` name of exit code 3: some records could not be loaded."""

__all__ = [
    "EXIT_BAD_RECORDS",
    "EXIT_BAD_SOURCE",
    "EXIT_CONFIG",
    "EXIT_FAIL_ON",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "exit_code",
    "main",
    "summary_lines",
]

_EPILOG = """\
exit codes:
  0    ok (also when the reader of the output goes away, as with | head)
  1    an ACTIVE finding at or above --fail-on (findings); never anything else
  2    usage error: a bad option or value, a filter that can never match
  3    partial failure: a region or call failed (named on stderr), or bad records
  4    a source (findings, price or policy file) could not be read
  5    the AWS configuration cannot be used: unknown profile, unreadable config,
       no credentials
  6    the output could not be written: stdout closed, disk full
  70   internal error: a bug in inspector-kit (--debug prints the traceback)
  130  interrupted (Ctrl-C)

errors print one line with the fix; --debug prints the traceback too, and the
DEBUG log of inspector_kit and botocore with credentials redacted."""

# botocore's errors about the local AWS set-up, found before (or instead of) any call.
_CONFIG_ERRORS = (
    "ProfileNotFound",
    "ConfigNotFound",
    "ConfigParseError",
    "InvalidConfigError",
    "NoCredentialsError",
    "PartialCredentialsError",
    "CredentialRetrievalError",
    "UnknownCredentialError",
    "TokenRetrievalError",
    "NoAuthTokenError",
    "SSOError",
    "RefreshWithMFAUnsupportedError",
    "InvalidProxiesConfigError",
    "InvalidRetryConfigurationError",
)


class _Parser(argparse.ArgumentParser):
    """argparse, with the echo of what was typed escaped (it may hold control characters)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)}\n")


def _parser() -> argparse.ArgumentParser:
    from ._cli.commands import add_commands
    from ._cli.demo import run_demo
    from ._cli.summary import run_summary

    parser = _Parser(
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
    add_debug(demo)
    demo.set_defaults(run=run_demo)
    summary = sub.add_parser("summary", help="summarise findings files")
    summary.add_argument("files", nargs="+", help="findings files (JSON, JSON Lines, gzip)")
    summary.add_argument(
        "--format",
        choices=("table", "json", "csv", "md"),
        default="table",
        help="table: the summary as text (the default, also when piped); json, csv, md: "
        "one row per count (file, group, value, count)",
    )
    add_debug(summary)
    summary.set_defaults(run=run_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``inspector-kit`` command; returns the exit code.

    Every failure ends in its documented exit code with one line on stderr (see
    [`exit_code`][inspector_kit.cli.exit_code]); what was printed before it stays printed.

    Examples:
        >>> main(["summary", "no-such-file.json"])
        == no-such-file.json
        4
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:  # before the command started, or while reporting
        _say(Output(sys.stderr, "stderr"), "interrupted")
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    out, err = Output(sys.stdout, "stdout"), Output(sys.stderr, "stderr")
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        if exc.code not in (0, None):
            return EXIT_USAGE
        if sys.stdout is None:  # --help or --version had nowhere to go
            return _failed(OutputError("stdout", None), out, err, None, debug=False)
        return _flushed(out, err, EXIT_OK, debug=False)
    debug = bool(args.debug)
    with _logging(err, debug=debug):
        try:
            if sys.stdout is None:  # Python found file descriptor 1 closed
                raise OutputError("stdout", None)
            code = int(args.run(args, out.as_textio(), err.as_textio()))
        except BaseException as exc:  # every failure is mapped to its code
            return _failed(exc, out, err, args, debug=debug)
        return _flushed(out, err, code, debug=debug)


def _flushed(out: Output, err: Output, code: int, *, debug: bool) -> int:
    """Flush stdout now, so a full disk or a closed pipe is reported rather than lost."""
    try:
        out.flush()
    except BaseException as exc:
        return _failed(exc, out, err, None, debug=debug)
    return code


def _failed(
    exc: BaseException, out: Output, err: Output, args: argparse.Namespace | None, *, debug: bool
) -> int:
    if isinstance(exc, (SystemExit, GeneratorExit)):
        raise exc
    code = exit_code(exc)
    if isinstance(exc, BrokenPipeError):
        _discard_stdout()
        return code
    if isinstance(exc, OutputError) and exc.stream == "stdout":
        _discard_stdout()  # or Python's own flush at exit fails again, and exits with 120
    if not isinstance(exc, OutputError):
        with contextlib.suppress(OSError, OutputError):  # what was printed stays printed
            out.flush()
    if debug and not isinstance(exc, KeyboardInterrupt):
        _say(err, "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), end="")
    _say(err, _describe(exc, args, code))
    return code


def _describe(exc: BaseException, args: argparse.Namespace | None, code: int) -> str:
    try:
        return _line(exc, args, code)
    except Exception:  # an exception whose message itself fails
        return f"error: {type(exc).__name__} (its message could not be shown)"


def _line(exc: BaseException, args: argparse.Namespace | None, code: int) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if code == EXIT_INTERNAL:
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return (
            f"error: internal error (a bug in inspector-kit {__version__}): {one_line(what)}; "
            "run the command again with --debug for the traceback, and please report it"
        )
    return f"error: {one_line(explain(exc, args))}"


def _say(err: Output, text: str, *, end: str = "\n") -> None:
    """Write to stderr, credentials redacted; if even that fails, the exit code is left."""
    from .logs import redact

    try:
        err.write(redact(text) + end)
        err.flush()
    except (OSError, OutputError):
        pass


def _discard_stdout() -> None:
    """After stdout failed (a broken pipe, a full disk), send what is left to the null device.

    Python flushes stdout at exit, which would fail again, print "Exception ignored" and
    exit with 120; see "Note on SIGPIPE" in the documentation of the ``signal`` module.
    Only the real stdout is redirected, never a stream a caller (a test) put in its place.
    """
    real = sys.__stdout__
    if real is None or sys.stdout is not real:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, real.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


@contextmanager
def _logging(err: Output, *, debug: bool) -> Iterator[None]:
    """Library logs on stderr, credentials redacted: everything with --debug, else errors.

    Without --debug the warnings the library logs (a failed region, skipped records) are
    not shown: the command reports each of them itself, as one line.
    """
    from .logs import DEFAULT_FORMAT, LIBRARY_LOGGERS, configure_logging

    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    fmt = DEFAULT_FORMAT if debug else "%(levelname)s %(name)s: %(message)s"
    handler = configure_logging(
        logging.DEBUG if debug else logging.ERROR, stream=err.as_textio(), fmt=fmt
    )
    try:
        yield
    finally:
        root.removeHandler(handler)
        for old in handlers:
            if old not in root.handlers:
                root.addHandler(old)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def exit_code(exc: BaseException) -> int:
    """The exit code the command ends with when ``exc`` stops it.

    * 0: ``BrokenPipeError``, the reader of the output went away (``| head``).
    * 2: ``CriteriaError`` (a filter that can never match), botocore's ``NoRegionError``
      and ``InvalidRegionError``, and any other ``ValueError``, ours or builtin: a value
      the library rejects (a region, country or time zone name, ...).
    * 3: ``FetchError`` and its subclasses, ``PartialResultError``, ``FindingParseError``,
      botocore's ``ClientError`` and other botocore errors (connection, timeout), and any
      other ``InspectorKitError`` (``PriceNotFoundError``: data that could not be used).
    * 4: ``SourceFormatError``, ``PriceFileError``, ``PolicyFileError``,
      ``SbomFormatError``, ``AccountsFileError``, and an ``OSError`` reading an input (no
      such file, denied).
    * 5: ``ConfigurationError`` (an endpoint URL that cannot be used, TLS failures) and
      botocore's configuration and credential errors (``ProfileNotFound``,
      ``ConfigParseError``, ``NoCredentialsError``, SSO token errors, ...) and
      ``MissingExtraError``.
    * 6: the output could not be written (stdout closed, ``ENOSPC``, ``EIO``).
    * 70: anything else (a ``TypeError``, ``KeyError``, ``UnicodeError``, ...): a bug.
    * 130: ``KeyboardInterrupt`` (Ctrl-C).

    Examples:
        >>> from inspector_kit import CriteriaError, SourceFormatError
        >>> exit_code(CriteriaError("never matches", path="awsAccountId[0]"))
        2
        >>> exit_code(SourceFormatError("not JSON", source="f.json"))
        4
        >>> exit_code(ZeroDivisionError("division by zero"))
        70
    """
    import botocore.exceptions as boto_errors

    from .errors import (
        AccountsFileError,
        ConfigurationError,
        CriteriaError,
        FetchError,
        FindingParseError,
        InspectorKitError,
        PartialResultError,
        SourceFormatError,
    )
    from .formats import MissingExtraError
    from .pricing import PriceFileError
    from .sbom import SbomFormatError
    from .triage import PolicyFileError, ReviewLogError

    config = tuple(getattr(boto_errors, name) for name in _CONFIG_ERRORS)
    table: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], int], ...] = (
        (BrokenPipeError, EXIT_OK),
        (KeyboardInterrupt, EXIT_INTERRUPTED),
        (OutputError, EXIT_OUTPUT),
        (ConfigurationError, EXIT_CONFIG),
        ((FetchError, PartialResultError, FindingParseError), EXIT_PARTIAL),
        (CriteriaError, EXIT_USAGE),
        (
            (
                SourceFormatError,
                PriceFileError,
                PolicyFileError,
                ReviewLogError,
                SbomFormatError,
                AccountsFileError,
            ),
            EXIT_BAD_SOURCE,
        ),
        (MissingExtraError, EXIT_CONFIG),
        (config, EXIT_CONFIG),
        ((boto_errors.NoRegionError, boto_errors.InvalidRegionError), EXIT_USAGE),
        ((boto_errors.BotoCoreError, boto_errors.ClientError), EXIT_PARTIAL),
        (UnicodeError, EXIT_INTERNAL),  # a ValueError, but never a value the user gave
        (OSError, EXIT_BAD_SOURCE),
        (ValueError, EXIT_USAGE),  # ours (CalendarError, ...) and builtin: a bad value
        (InspectorKitError, EXIT_PARTIAL),
    )
    for kinds, code in table:
        if isinstance(exc, kinds):
            return code
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
