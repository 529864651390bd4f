"""Every failure the command can meet ends in its documented exit code, with one line on stderr.

Issue 14, item 16 and its proof: "a CLI matrix test: each error class gives its documented
exit code and one line on stderr". What was printed before the failure stays printed.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest
from botocore import exceptions as boto

import inspector_kit
from inspector_kit import errors
from inspector_kit._cli import summary as summary_command
from inspector_kit.cli import (
    EXIT_BAD_SOURCE,
    EXIT_CONFIG,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_PARTIAL,
    EXIT_USAGE,
    exit_code,
    main,
)
from inspector_kit.formats import MissingExtraError
from inspector_kit.pricing import PriceFileError, PriceNotFoundError, UsageError
from inspector_kit.sbom import SbomFormatError
from inspector_kit.scoring import InvalidVectorError
from inspector_kit.testing import LoopbackInspector
from inspector_kit.triage import PolicyFileError

BEFORE = "printed before the failure"


def _matrix() -> list[tuple[str, BaseException, int]]:
    region, operation = "eu-west-1", "ListFindings"
    denied = errors.AccessDeniedError(
        "not authorized", region=region, operation=operation, code="AccessDeniedException"
    )
    rows: list[tuple[str, BaseException, int]] = [
        # inspector_kit's own errors
        ("FindingParseError", errors.FindingParseError("expected a string", 42, "title"), 3),
        ("SourceFormatError", errors.SourceFormatError("not JSON", source="f.json"), 4),
        ("CriteriaError", errors.CriteriaError("never matches", path="awsAccountId[0]"), 2),
        (
            "FetchError",
            errors.FetchError("boom", code="Boom", region=region, operation=operation),
            3,
        ),
        ("AccessDeniedError", denied, 3),  # also a PermissionError: still 3, not 4
        (
            "ThrottledError",
            errors.ThrottledError("slow down", region=region, operation=operation),
            3,
        ),
        (
            "ServiceValidationError",
            errors.ServiceValidationError("bad", region=region, operation=operation),
            3,
        ),
        (
            "ServiceUnavailableError",
            errors.ServiceUnavailableError("down", region=region, operation=operation),
            3,
        ),
        (
            "PaginationError",
            errors.PaginationError("token repeated", region=region, operation=operation),
            3,
        ),
        ("PartialResultError", errors.PartialResultError({"eu-west-1": denied}), 3),
        ("PriceFileError", PriceFileError("prices.csv", ["line 2: bad price"]), 4),
        ("PriceNotFoundError", PriceNotFoundError("eu-west-1", "ec2_agentless"), 3),
        ("UsageError", UsageError("agent_based_hours must be >= 0"), 2),
        ("PolicyFileError", PolicyFileError("policy.yaml", ["line 1: rules: expected a list"]), 4),
        ("SbomFormatError", SbomFormatError("not CycloneDX", source="sbom.json"), 4),
        ("InvalidVectorError", InvalidVectorError("CVSS:3.1/AV:Q", "bad AV"), 2),
        ("MissingExtraError", MissingExtraError("openpyxl", "excel"), 5),
        # botocore
        ("ProfileNotFound", boto.ProfileNotFound(profile="nope"), 5),
        ("NoCredentialsError", boto.NoCredentialsError(), 5),
        ("ConfigParseError", boto.ConfigParseError(path="~/.aws/config"), 5),
        ("SSOTokenLoadError", boto.SSOTokenLoadError(error_msg="token expired"), 5),
        ("NoRegionError", boto.NoRegionError(), 2),
        ("EndpointConnectionError", boto.EndpointConnectionError(endpoint_url="http://x"), 3),
        ("ReadTimeoutError", boto.ReadTimeoutError(endpoint_url="http://x"), 3),
        ("ParamValidationError", boto.ParamValidationError(report="maxResults: too big"), 3),
        (
            "ClientError",
            boto.ClientError({"Error": {"Code": "Boom", "Message": "no"}}, "ListFindings"),
            3,
        ),
        # reading an input
        ("FileNotFoundError", FileNotFoundError(errno.ENOENT, "No such file", "f.json"), 4),
        ("PermissionError", PermissionError(errno.EACCES, "Permission denied", "f.json"), 4),
        ("IsADirectoryError", IsADirectoryError(errno.EISDIR, "Is a directory", "dir"), 4),
        ("OSError EIO", OSError(errno.EIO, "Input/output error"), 4),
        # a value the library rejected (an unknown time zone, a bad region name)
        ("ValueError", ValueError("unknown time zone 'Mars/Olympus'"), 2),
        # bugs: never exit 1 (a finding at --fail-on) or 3 (a partial failure)
        ("ZeroDivisionError", ZeroDivisionError("division by zero"), 70),
        ("KeyError", KeyError("severity"), 70),
        ("TypeError", TypeError("unsupported operand"), 70),
        ("AttributeError", AttributeError("'NoneType' object has no attribute 'id'"), 70),
        ("RecursionError", RecursionError("maximum recursion depth exceeded"), 70),
        ("UnicodeDecodeError", UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid"), 70),
        ("AssertionError", AssertionError(), 70),
        ("KeyboardInterrupt", KeyboardInterrupt(), 130),
    ]
    calendar = getattr(importlib.import_module("inspector_kit.triage"), "CalendarError", None)
    if calendar is not None:  # the calendar's own error, where the triage package has it
        rows.append(("CalendarError", calendar("unknown country 'XX'"), 2))
    return rows


MATRIX = _matrix()


def _raising(exc: BaseException) -> Any:
    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        print(BEFORE, file=out)
        raise exc

    return run


@pytest.mark.parametrize(("exc", "code"), [r[1:] for r in MATRIX], ids=[r[0] for r in MATRIX])
def test_each_error_class_has_its_code_and_one_line(
    exc: BaseException,
    code: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(summary_command, "run_summary", _raising(exc))
    assert main(["summary", "f.json"]) == code
    captured = capsys.readouterr()
    assert captured.out == BEFORE + "\n"  # what was printed stays printed
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    if code == EXIT_INTERRUPTED:
        assert lines == ["interrupted"]
    elif code == EXIT_INTERNAL:
        assert "internal error" in lines[0] and "bug" in lines[0] and "--debug" in lines[0]
        assert type(exc).__name__ in lines[0]
    else:
        assert lines[0].startswith("error: ") and "Traceback" not in captured.err


def test_broken_pipe_ends_quietly_with_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(summary_command, "run_summary", _raising(BrokenPipeError()))
    assert main(["summary", "f.json"]) == EXIT_OK
    assert capsys.readouterr().err == ""


def test_debug_adds_the_traceback_of_a_bug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(summary_command, "run_summary", _raising(ZeroDivisionError("zero")))
    assert main(["summary", "--debug", "f.json"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last)")
    assert "ZeroDivisionError: zero" in err
    assert err.splitlines()[-1].startswith("error: internal error (a bug in inspector-kit")


def test_an_exception_whose_message_fails_still_gets_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Broken(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no message")

    monkeypatch.setattr(summary_command, "run_summary", _raising(Broken()))
    assert main(["summary", "f.json"]) == EXIT_INTERNAL
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_a_list_of_problems_is_joined_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = PolicyFileError("policy.yaml", ["line 1: rules: expected a list", "line 4: bad"])
    monkeypatch.setattr(summary_command, "run_summary", _raising(problems))
    assert main(["summary", "f.json"]) == EXIT_BAD_SOURCE
    assert capsys.readouterr().err == (
        "error: policy.yaml: 2 problems in the triage policy: line 1: rules: expected a list; "
        "line 4: bad\n"
    )


def _all_error_classes() -> list[type[BaseException]]:
    for module in pkgutil.walk_packages(inspector_kit.__path__, "inspector_kit."):
        if ".testing" not in module.name and "plots" not in module.name:
            importlib.import_module(module.name)
    found: list[type[BaseException]] = []
    todo: list[type[BaseException]] = [errors.InspectorKitError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_inspector_kit_error_has_a_documented_code_that_is_not_a_bug() -> None:
    for cls in _all_error_classes():
        exc = cls.__new__(cls)  # no constructor needed: the code depends on the class
        # OutputError (now in inspector_kit.errors): the output could not be written.
        expected = EXIT_OUTPUT if issubclass(cls, errors.OutputError) else None
        codes = {EXIT_USAGE, EXIT_PARTIAL, EXIT_BAD_SOURCE, EXIT_CONFIG}
        assert exit_code(exc) in ({expected} if expected else codes), cls


# ----------------------------------------------------------------------------- real flags


def test_criteria_error_names_the_flag_and_its_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspector_kit import criteria

    def reject(*args: Any, **kwargs: Any) -> Any:
        raise errors.CriteriaError("can never match a 12-digit account id", path="awsAccountId[1]")

    monkeypatch.setattr(criteria.FindingCriteria, "__init__", reject)
    argv = ["findings", "--regions", "us-east-1", "--account", "111122223333"]
    assert main([*argv, "--account", "abc"]) == EXIT_USAGE
    assert capsys.readouterr().err == (
        "error: --account 'abc': can never match a 12-digit account id\n"
    )


def test_too_many_filters_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["findings", "--regions", "us-east-1"]
    for n in range(11):
        argv += ["--account", f"1111222233{n:02d}"]
    assert main(argv) == EXIT_USAGE
    assert capsys.readouterr().err == "error: --account: at most 10 filters per criterion, got 11\n"


def test_bad_limit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["findings", "--regions", "us-east-1", "--limit", "-1"]) == EXIT_USAGE
    assert "--limit: must be at least 1, got -1" in capsys.readouterr().err


def test_unknown_profile_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile dev]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert main(["findings", "--profile", "nope", "--regions", "us-east-1"]) == EXIT_CONFIG
    assert capsys.readouterr().err == (
        "error: The config profile (nope) could not be found: check "
        "`aws configure list-profiles` or set AWS_PROFILE\n"
    )


def test_closed_stdout_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["summary", "f.json"]) == EXIT_OUTPUT
    assert capsys.readouterr().err == "error: cannot write the output: stdout is closed\n"


def test_broken_pipe_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader went away before the first line
    pipe = os.fdopen(write, "w", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", pipe)
        code = main(["summary", str(inspector_kit.sample_estate_path() / "findings.jsonl")])
    assert code == EXIT_OK
    assert capsys.readouterr().err == ""
    with contextlib.suppress(BrokenPipeError):
        pipe.close()


# ----------------------------------------------------------------------------- the real command


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackInspector]:
    with LoopbackInspector() as running:
        yield running


def _exe() -> str:
    exe = shutil.which("inspector-kit", path=str(Path(sys.executable).parent))
    assert exe, "the console script is installed"
    return exe


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_console_script_full_disk_closed_stdout_and_head(
    server: LoopbackInspector, tmp_path: Path
) -> None:
    small = tmp_path / "one.json"
    small.write_text("[]")
    summary = [_exe(), "summary", str(small)]
    # stdout buffered, as usual (PYTHONUNBUFFERED changes when errors show, see below).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    # An unwritable output: ENOSPC surfaces when stdout is flushed, by the command (not
    # by Python at exit, which would print "Exception ignored" and exit with 120).
    for unbuffered in ("", "1"):
        with Path("/dev/full").open("w") as full:
            result = subprocess.run(
                summary,
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
                env={**env, "PYTHONUNBUFFERED": unbuffered} if unbuffered else env,
            )
        assert result.returncode == EXIT_OUTPUT, result.stderr
        assert result.stderr == (
            "error: cannot write the output to stdout: No space left on device\n"
        )
    # A closed stdout: Python starts with sys.stdout None; nothing may be lost silently.
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *summary],
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert result.stderr == "error: cannot write the output: stdout is closed\n"
    # | head: the reader goes away after one line; the command ends quietly, with 0. (The
    # output, 130 kB, outgrows the pipe. With PYTHONUNBUFFERED, Python itself drops what a
    # partial write to a closed pipe left, with no error to report.)
    argv = [_exe(), "findings", "--format", "csv", "--endpoint-url", server.endpoint_url]
    argv += ["--regions", "us-east-1,eu-west-1,ap-northeast-1"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.readline().startswith(b"finding_arn,")
        child.stdout.close()
        assert child.wait(timeout=60) == EXIT_OK
        assert child.stderr.read() == b""
