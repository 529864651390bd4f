"""``inspector-kit triage``: days overdue and region, ``--reviews`` and ``--fail-on-overdue``.

Driven through the real entry point against a loopback Inspector serving the sample estate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from inspector_kit.cli import EXIT_BAD_SOURCE, EXIT_FAIL_ON, EXIT_OK, EXIT_PARTIAL, main
from inspector_kit.testing import LoopbackInspector
from inspector_kit.triage import Review, ReviewLog

REGIONS = "us-east-1,eu-west-1,ap-northeast-1"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackInspector]:
    with LoopbackInspector() as running:
        yield running


@pytest.fixture
def run(server: LoopbackInspector, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--endpoint-url", server.endpoint_url, "--regions", REGIONS])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_table_shows_days_overdue_and_region(run: Run) -> None:
    code, out, err = run("triage", "--format", "table")
    assert code == EXIT_OK, err
    overdue = [line for line in out.splitlines() if "d late" in line]
    assert overdue, out
    assert all(any(r in line for r in REGIONS.split(",")) for line in overdue)


def test_fail_on_overdue_is_a_gate(run: Run, tmp_path: Path) -> None:
    code, out, err = run("triage", "--format", "json", "--fail-on-overdue")
    rows = json.loads(out)
    late = [r for r in rows if r["overdue"]]
    assert late and all(r["days_overdue"] > 0 for r in late)
    assert code == EXIT_FAIL_ON
    assert err.strip().endswith(f"{len(late)} findings overdue")
    # Nothing overdue (a policy with no deadline): the gate passes.
    policy = tmp_path / "policy.yaml"
    policy.write_text("rules:\n  - name: all\n    queue: later\n    deadline: none\n")
    code, _, _ = run("triage", "--policy", str(policy), "--fail-on-overdue")
    assert code == EXIT_OK


def test_reviews_move_due_dates(run: Run, tmp_path: Path) -> None:
    _, out, _ = run("triage", "--format", "json")
    rows = json.loads(out)
    target = next(r for r in rows if r["overdue"])
    log = ReviewLog(
        [
            Review(
                finding_arn=target["finding_arn"],
                reviewer="aiko",
                reviewed_at=datetime.now(timezone.utc),
                decision="FIX_BY",
                until=date(9000, 1, 1),
                severity=target["severity"],
                status="ACTIVE",
            )
        ]
    )
    path = tmp_path / "reviews.jsonl"
    log.save(path)
    code, out, err = run("triage", "--format", "json", "--reviews", str(path))
    assert code == EXIT_OK, err
    after = {r["finding_arn"]: r for r in json.loads(out)}
    reviewed = after[target["finding_arn"]]
    assert (reviewed["due"], reviewed["overdue"], reviewed["days_overdue"]) == (
        "9000-01-01",
        False,
        0,
    )
    assert (reviewed["review_decision"], reviewed["reviewer"]) == ("FIX_BY", "aiko")
    assert sum(r["overdue"] for r in after.values()) == sum(r["overdue"] for r in rows) - 1


def test_malformed_review_entries_are_warned_about_and_skipped(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    path.write_text('{"finding_arn": "arn:x"}\n', encoding="utf-8")
    code, out, err = run("triage", "--format", "json", "--reviews", str(path))
    assert code == EXIT_PARTIAL
    assert json.loads(out)  # the plan is still printed
    assert err.startswith("warning: reviews.jsonl line 1: ")


def test_a_missing_review_log_is_an_error(run: Run, tmp_path: Path) -> None:
    code, out, err = run("triage", "--reviews", str(tmp_path / "typo.jsonl"))
    assert code == EXIT_BAD_SOURCE and out == ""  # like a policy file that cannot be read
    assert err.startswith("error: ") and "typo.jsonl: cannot read the file" in err


def test_country_none_is_weekends_only(run: Run) -> None:
    code, out, err = run("triage", "--format", "json", "--country", "none", "--timezone", "UTC")
    assert code == EXIT_OK, err
    rows = json.loads(out)
    assert rows
    # With no public holidays every due date is a weekday (business-day deadlines only land
    # on business days; the sample's calendar-day deadlines may fall on any day).
    business = [r for r in rows if r["queue"] == "next-business-day"]
    assert business and all(date.fromisoformat(r["due"]).weekday() < 5 for r in business)


def test_sort_and_columns_give_one_row_per_planned_finding(run: Run) -> None:
    code, out, err = run("triage", "--format", "json")
    planned = json.loads(out)
    code, out, err = run(
        "triage", "--format", "csv", "--sort", "days_overdue:desc", "--columns", "due,days_overdue"
    )
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0] == "due,days_overdue"
    late = [int(line.split(",")[1]) for line in lines[1:]]
    assert late == sorted((r["days_overdue"] for r in planned), reverse=True)
    code, out, err = run("triage", "--format", "table", "--columns", "severity,region")
    assert code == EXIT_OK and out.startswith("Triage plan for "), err
    assert "Severity" in out and "Region" in out and "Queue" not in out
    code, _, err = run("triage", "--columns", "nope")
    assert code == 2 and "no column 'nope'" in err
