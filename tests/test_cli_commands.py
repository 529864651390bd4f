"""The AWS-facing subcommands, driven through the real entry point against a loopback Inspector."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from inspector_kit.cli import (
    EXIT_BAD_SOURCE,
    EXIT_FAIL_ON,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    main,
)
from inspector_kit.testing import Faults, LoopbackInspector

REGIONS = "us-east-1,eu-west-1,ap-northeast-1"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackInspector]:
    with LoopbackInspector() as running:
        yield running


@pytest.fixture
def run(server: LoopbackInspector, capsys: pytest.CaptureFixture[str]) -> Iterator[Run]:
    server.faults = Faults()

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--endpoint-url", server.endpoint_url, "--regions", REGIONS])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield invoke
    server.faults = Faults()


def test_findings_json_by_default_when_piped(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run("findings", "--severity", "CRITICAL")
    assert code == EXIT_OK, err
    rows = json.loads(out)  # findings in their API shape
    assert rows and {r["severity"] for r in rows} == {"CRITICAL"}
    assert {r["status"] for r in rows} == {"ACTIVE"}
    saved = tmp_path / "critical.json"
    saved.write_text(out)
    assert main(["summary", str(saved)]) == EXIT_OK
    assert f"Findings: {len(rows)} (ACTIVE {len(rows)})" in capsys.readouterr().out


def test_findings_filters_and_limit(run: Run) -> None:
    code, out, _ = run(
        "findings",
        "--type",
        "PACKAGE_VULNERABILITY",
        "--account",
        "111122223333",
        "--fix-available",
        "YES",
        "--limit",
        "7",
    )
    rows = json.loads(out)
    assert code == EXIT_OK and len(rows) == 7
    assert {r["awsAccountId"] for r in rows} == {"111122223333"}
    assert {r["type"] for r in rows} == {"PACKAGE_VULNERABILITY"}


@pytest.mark.parametrize("fmt", ["csv", "md", "table"])
def test_findings_formats(run: Run, fmt: str) -> None:
    code, out, _ = run("findings", "--severity", "HIGH", "--format", fmt)
    assert code == EXIT_OK
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(out))
        assert reader.fieldnames and "finding_arn" in reader.fieldnames
        assert {r["severity"] for r in reader} == {"HIGH"}
    elif fmt == "md":
        lines = out.splitlines()
        assert lines[0].startswith("| finding_arn |") and set(lines[1]) <= set("|-: ")
    else:
        assert "Severity" in out and "HIGH" in out and "┃" in out


def test_fail_on_gate(run: Run) -> None:
    code, _, err = run("findings", "--fail-on", "HIGH")
    assert code == EXIT_FAIL_ON
    assert "active findings at or above HIGH" in err
    code, _, _ = run("findings", "--severity", "LOW", "--fail-on", "HIGH")
    assert code == EXIT_OK


def test_usage_errors_exit_2(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["findings", "--severity", "SEVERE"]) == EXIT_USAGE
    assert main(["findings", "--format", "xml"]) == EXIT_USAGE
    assert main(["cost"]) == EXIT_USAGE  # --usage-totals or --coverage is required
    assert "usage:" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "exit codes:" in out and "--fail-on" in out
    for command in ("findings", "coverage", "cost", "rescore", "triage", "demo", "summary"):
        assert command in out


def test_denied_region_is_partial_failure_with_one_line(
    run: Run, server: LoopbackInspector
) -> None:
    server.faults = Faults(deny_regions={"eu-west-1"})
    code, out, err = run("findings")
    assert code == EXIT_PARTIAL
    assert json.loads(out)  # the other regions still report
    regions = {r["findingArn"].split(":")[3] for r in json.loads(out)}
    assert regions == {"us-east-1", "ap-northeast-1"}
    assert err.splitlines() == [
        "error: access denied in eu-west-1 for ListFindings: grant inspector2:ListFindings "
        "to your role (and check SCPs)"
    ]


def test_debug_prints_the_traceback(run: Run, server: LoopbackInspector) -> None:
    server.faults = Faults(deny_regions={"eu-west-1"})
    code, _, err = run("findings", "--debug")
    assert code == EXIT_PARTIAL
    assert "Traceback (most recent call last)" in err and "AccessDeniedException" in err
    assert err.rstrip().splitlines()[-1].startswith("error: access denied in eu-west-1")


def test_fail_on_wins_over_partial_failure(run: Run, server: LoopbackInspector) -> None:
    server.faults = Faults(deny_regions={"eu-west-1"})
    code, _, _ = run("findings", "--fail-on", "CRITICAL")
    assert code == EXIT_FAIL_ON


def test_missing_credentials_one_line(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = run("findings")
    assert code == EXIT_PARTIAL
    assert err == "error: no AWS credentials: run `aws sso login` or set AWS_PROFILE\n"


def test_inspector_not_enabled_message() -> None:
    from inspector_kit._cli.common import explain
    from inspector_kit.errors import ServiceValidationError

    err = ServiceValidationError(
        "Inspector2 is not enabled for this account",
        region="eu-west-1",
        operation="ListFindings",
        code="ValidationException",
    )
    assert explain(err).startswith("Inspector is not enabled in eu-west-1: enable it")


def test_coverage_with_sample_inventory(run: Run) -> None:
    code, out, err = run("coverage", "--sample-inventory")
    assert code == EXIT_OK, err
    rows = json.loads(out)
    assert len(rows) == 31
    assert sum(r["status"] == "NOT_COVERED" for r in rows) == 5
    code, out, _ = run("coverage", "--sample-inventory", "--format", "table")
    assert "reports-unmanaged-18" in out and "EC2 coverage: 31 instances" in out


def test_cost_usage_totals_and_coverage(run: Run, tmp_path: Path) -> None:
    code, out, _ = run("cost", "--usage-totals")
    rows = json.loads(out)
    assert code == EXIT_OK and {"account_id", "aws", "ours", "difference"} <= set(rows[0])
    code, out, _ = run("cost", "--usage-totals", "--format", "table")
    assert out.rstrip().splitlines()[-1].startswith("Ours ")
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"eu-west-1": {"ec2_agent_based": "2", "ec2_agentless": "3"}}))
    code, out, err = run("cost", "--coverage", "--sample-inventory", "--prices", str(prices))
    by_region = {r["region"]: r for r in json.loads(out)}
    assert code == EXIT_OK and "eu-west-1" in by_region, err
    code, _, err = run("cost", "--coverage", "--prices", str(tmp_path / "missing.json"))
    assert code == EXIT_BAD_SOURCE and err.startswith("error: ")


def test_rescore_shows_changed(run: Run) -> None:
    code, out, _ = run("rescore", "--format", "table")
    assert code == EXIT_OK and "change severity under the 'inspector' policy" in out
    assert "MAV N -> A (NO_OPEN_NETWORK_PATH_FROM_INTERNET)" in out
    code, out, _ = run("rescore", "--policy", "unchanged")
    assert code == EXIT_OK and json.loads(out) == []


def test_triage_plan(run: Run, tmp_path: Path) -> None:
    code, out, _ = run("triage", "--format", "table")
    assert code == EXIT_OK and out.startswith("Triage plan for ")
    code, out, _ = run("triage", "--country", "US", "--subdivision", "CA", "--timezone", "UTC")
    rows = json.loads(out)
    assert code == EXIT_OK and {r["queue"] for r in rows} >= {"next-business-day"}
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "name: all\nrules:\n  - name: all\n    queue: weekly\n    deadline: {calendar_days: 7}\n"
    )
    code, out, _ = run("triage", "--policy", str(policy), "--format", "md")
    assert code == EXIT_OK and "| weekly |" in out
    policy.write_text("rules: 3\n")
    code, _, err = run("triage", "--policy", str(policy))
    assert code == EXIT_BAD_SOURCE and err.startswith("error: ")


def test_bad_calendar_is_a_usage_error(run: Run) -> None:
    code, _, err = run("triage", "--country", "XX")
    assert code == EXIT_USAGE and err.startswith("error: ")


def test_console_script_pipes_json(server: LoopbackInspector) -> None:
    exe = shutil.which("inspector-kit", path=str(Path(sys.executable).parent))
    assert exe, "the console script is installed"
    result = subprocess.run(
        [
            exe,
            "findings",
            "--severity",
            "CRITICAL",
            "--fail-on",
            "CRITICAL",
            "--endpoint-url",
            server.endpoint_url,
            "--regions",
            REGIONS,
        ],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
    )
    assert result.returncode == EXIT_FAIL_ON, result.stderr
    assert {r["severity"] for r in json.loads(result.stdout)} == {"CRITICAL"}


def test_progress_bar_draws_regions_and_pages_on_a_terminal() -> None:
    import io

    from inspector_kit._cli.common import progress_bar
    from inspector_kit.fetch import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    with progress_bar(err) as update:
        assert update is not None
        update(Progress("us-east-1", 2, 150, 150, 0, 2, False, None))
        update(Progress("eu-west-1", 1, 30, 180, 2, 2, True, None))
    drawn = err.getvalue()
    assert "3 pages, 180 results" in drawn and "2/2 regions" in drawn
    with progress_bar(io.StringIO()) as none:  # piped: no bar at all
        assert none is None
