"""The inspector-kit command, driven through its real entry points."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_kit import sample_estate_path
from inspector_kit.cli import EXIT_BAD_RECORDS, EXIT_BAD_SOURCE, EXIT_OK, EXIT_USAGE, main

from .payloads import minimal_payload


def test_demo_through_the_console_script() -> None:
    exe = shutil.which("inspector-kit", path=str(Path(sys.executable).parent))
    assert exe, "the console script is installed"
    result = subprocess.run([exe, "demo"], capture_output=True, text=True, check=False)
    assert result.returncode == EXIT_OK, result.stderr
    out = result.stdout
    # The line structure (headings, row shapes, the one-screen length) is pinned by
    # tests/test_demo_golden.py; this test checks what the shapes do not: the console
    # script, the numbers and the cross-checks.
    assert "sample estate" in out and "synthetic" in out
    assert result.stderr == ""
    # Fetched through the loopback Inspector, every region complete, counts cross-checked.
    fetched = re.search(r"Fetched (.*); (\d+) retries\n", out)
    assert fetched, out
    assert fetched.group(1).count(" pages") == 3 and " FAILED: " not in out  # no region failed
    assert "matches the listing" in out
    # Coverage: the sample inventory against the records fetched, every status present.
    coverage = re.search(
        r"EC2 coverage of 31 instances .*: (.*); (\d+)% of the (\d+) in scope", out
    )
    assert coverage, out
    statuses = dict(part.rsplit(" ", 1) for part in coverage.group(1).split(" · "))
    assert statuses == {
        "COVERED": "21",
        "PENDING": "1",
        "NOT_COVERED": "5",
        "UNSUPPORTED": "2",
        "EXCLUDED": "1",
        "STOPPED": "1",
    }
    assert coverage.group(2, 3) == ("72", "29")
    assert "hybrid scan mode would add 1" in out
    # The three methods, the end-of-life tail and the machine images.
    assert "AGENT_BASED 12 · AGENTLESS 7 · VM_SCANNER 3 · NONE 9" in out
    assert "ops-manual-30 (linux, installed by hand, no SSM)" in out
    assert "win-vmscan-28 (windows, through SSM)" in out
    assert re.search(r"legacy-deb11-31 +END OF LIFE Inspector discontinued Debian", out)
    assert "Machine images: 2 AMIs scanned continuously in us-east-1" in out
    assert "on-demand scan of centos7-base-2023.06: FAILED (UNSUPPORTED_OS)" in out
    assert "reports-unmanaged-18 NOT_COVERED Not managed by Systems Manager" in out
    # Cost in both modes at bundled prices; eu-west-1 has none and says so.
    cost = re.search(
        r"now (\d+\.\d\d) USD; switching to hybrid mode adds (\d+\.\d\d) USD for 1 agentless "
        r"\(every account agent-based (\d+\.\d\d), every account hybrid (\d+\.\d\d)\)",
        out,
    )
    assert cost, out
    now, switch, agent, hybrid = (float(x) for x in cost.groups())
    assert hybrid > now > agent and abs(hybrid - now - switch) < 0.011
    assert "eu-west-1: no bundled price, not estimated" in out
    # Triage: every active finding planned under the default policy with the sample's review
    # log (in a queue or out of it after review), the top risks explained.
    triage = re.search(
        r"Triage under the default policy .* review log, (\d+) active findings, \d+ reviewed: "
        r"(.*); out of the queue after review: (\d+) ",
        out,
    )
    assert triage, out
    queues = dict(re.findall(r"([a-z-]+) (\d+) \(\d+ overdue\)", triage.group(2)))
    planned = sum(map(int, queues.values())) + int(triage.group(3))
    assert planned == int(triage.group(1)) == 228
    assert set(queues) == {"next-business-day", "monthly"}
    assert re.search(r"risk #1 \d+\.\d\d/10 \S+ on \S+: cvss ", out)
    # Rescored: every disagreement with Inspector's score is a resource of unknown exposure.

    agree = re.search(r"(\d+) of (\d+) agree with Inspector's own score \((\d+) others", out)
    assert agree, out
    same, compared, unknown = map(int, agree.groups())
    assert same + unknown == compared and same > 0
    assert "MAV N -> A (NO_OPEN_NETWORK_PATH_FROM_INTERNET)" in out


def test_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "inspector_kit.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("inspector-kit 0.")


def test_summary_of_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gz = tmp_path / "estate.jsonl.gz"
    gz.write_bytes(gzip.compress((sample_estate_path() / "findings.jsonl").read_bytes()))
    assert main(["summary", str(gz)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"== {gz}\nFindings: 274")


def test_bad_records_exit_3_and_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(
        json.dumps(minimal_payload()) + "\n" + json.dumps(minimal_payload(severity=3)) + "\n"
    )
    assert main(["summary", str(path)]) == EXIT_BAD_RECORDS
    captured = capsys.readouterr()
    assert "Findings: 1" in captured.out
    assert (
        f"error: {path}: record 1 (line 2): severity: expected a Severity string, got int"
        in captured.err
    )


def test_unreadable_source_exits_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(tmp_path / "missing.json")]) == EXIT_BAD_SOURCE
    assert "cannot open" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert main(["nonsense"]) == EXIT_USAGE
    assert "usage:" in capsys.readouterr().err
    assert main(["--help"]) == EXIT_OK


@pytest.mark.parametrize(
    ("argv", "flag", "meant"),
    [
        (["--severity", "critical"], "--severity", "CRITICAL"),
        (["--severity", "HIGH", "--severity", "hihg"], "--severity", "HIGH"),
        (["--status", "closed"], "--status", "CLOSED"),
        (["--type", "package"], "--type", "PACKAGE_VULNERABILITY"),
        (["--fix-available", "yes"], "--fix-available", "YES"),
    ],
)
@pytest.mark.parametrize("command", ["findings", "rescore", "triage"])
def test_a_filter_flag_that_can_never_match_is_a_usage_error(
    command: str, argv: list[str], flag: str, meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 14, item 5: --severity critical used to reach Inspector and report "no findings"
    # (or fail with argparse's bare "invalid choice"); now it names the likely value. No
    # endpoint is given: the check happens while parsing, before any AWS call.
    assert main([command, *argv]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"argument {flag}:" in err and f"Did you mean {meant!r}?" in err
    assert "Valid values:" in err


def test_summary_lines_are_single_lines_and_empty_input_reads_well() -> None:
    from inspector_kit import sample_findings
    from inspector_kit.cli import summary_lines

    assert summary_lines([]) == ["Findings: 0"]
    assert all("\n" not in line for line in summary_lines(list(sample_findings())))
