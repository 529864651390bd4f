"""The example Lambda handler (examples/lambda_triage.py), with SNS stubbed by botocore's Stubber.

The Stubber checks every ``Publish`` request against the SNS service model, and a call the
test did not expect fails: a handler that published a held or dropped finding fails here.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from inspector_kit.testing import finding_payload
from inspector_kit.triage import TriagePolicy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lambda_triage.py"
JST = timezone(timedelta(hours=9))
TOPIC = "arn:aws:sns:ap-northeast-1:111122223333:inspector-triage"
MONDAY_NIGHT = datetime(2026, 11, 9, 23, tzinfo=JST)
PAGING_POLICY = """\
name: paging
rules:
  - name: prod-critical
    queue: pager
    notify_now: true
    when: {severities: [CRITICAL], tags: {env: prod}}
    deadline: {business_days: 0}
  - name: critical-high
    queue: next-business-day
    when: {severities: [CRITICAL, HIGH]}
    deadline: {business_days: 1}
"""


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lambda_triage", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ModuleType]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(PAGING_POLICY, encoding="utf-8")
    monkeypatch.setenv("TRIAGE_POLICY", str(policy))
    monkeypatch.setenv("TRIAGE_TOPIC_ARN", TOPIC)
    for name in ("TRIAGE_REVIEWS", "TRIAGE_COUNTRY", "TRIAGE_TIMEZONE", "TRIAGE_MORNING"):
        monkeypatch.delenv(name, raising=False)
    module = _load()
    yield module
    module.settings.cache_clear()


@pytest.fixture
def sns(example: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    client = boto3.client("sns", region_name="ap-northeast-1")
    monkeypatch.setattr(example, "sns_client", lambda: client)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def event(
    severity: str = "CRITICAL", status: str = "ACTIVE", env: str = "prod", n: int = 1
) -> dict[str, Any]:
    detail = finding_payload(
        severity=severity,
        status=status,
        firstObservedAt="2026-11-09T13:00:00Z",
        findingArn=f"arn:aws:inspector2:ap-northeast-1:111122223333:finding/{n:04d}",
    )
    detail["resources"][0]["tags"] = {"env": env}
    return {
        "version": "0",
        "id": "e-1",
        "detail-type": "Inspector2 Finding",
        "source": "aws.inspector2",
        "account": "111122223333",
        "time": "2026-11-09T14:00:00Z",
        "region": "ap-northeast-1",
        "resources": [],
        "detail": detail,
    }


def test_notify_now_publishes_once_to_the_topic(example: ModuleType, sns: Stubber) -> None:
    sns.add_response(
        "publish",
        {"MessageId": "m-1"},
        expected_params={
            "TopicArn": TOPIC,
            "Subject": "Inspector CRITICAL finding: see message",
            "Message": (
                "NOTIFY_NOW: CRITICAL - on i-0123456789abcdef0 (111122223333, ap-northeast-1)\n"
                "rule prod-critical says notify now; rule prod-critical: severity CRITICAL in "
                "{CRITICAL}; tag env=prod present; 0 business days from 2026-11-09 -> 2026-11-09"
            ),
        },
    )
    result = example.handler(event(), None, now=MONDAY_NIGHT)
    assert result["action"] == "NOTIFY_NOW"
    assert result["message_id"] == "m-1"
    json.dumps(result)  # the return value is JSON


def test_held_and_dropped_events_publish_nothing(example: ModuleType, sns: Stubber) -> None:
    # No response is stubbed: a Publish call would fail the test.
    held = example.handler(event(env="dev"), None, now=MONDAY_NIGHT)
    assert (held["action"], held["notify_at"]) == ("HOLD", "2026-11-10T09:00:00+09:00")
    for status in ("CLOSED", "SUPPRESSED"):
        dropped = example.handler(event(status=status), None, now=MONDAY_NIGHT)
        assert dropped["action"] == "DROP"
        assert dropped["reason"] == f"status {status} is not planned (the policy plans ACTIVE)"


def test_default_policy_never_notifies_at_night(
    example: ModuleType, sns: Stubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRIAGE_POLICY")
    example.settings.cache_clear()
    assert example.settings().policy == TriagePolicy.default()
    result = example.handler(event(), None, now=MONDAY_NIGHT)
    assert result["action"] == "HOLD"


def test_configuration_from_the_environment(
    example: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reviews = tmp_path / "reviews.jsonl"
    reviews.write_text(
        json.dumps(
            {
                "finding_arn": "arn:aws:inspector2:ap-northeast-1:111122223333:finding/0001",
                "reviewed_at": "2026-11-09T10:00:00+09:00",
                "reviewer": "aiko",
                "decision": "FALSE_POSITIVE",
                "severity": "CRITICAL",
                "status": "ACTIVE",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TRIAGE_REVIEWS", str(reviews))
    monkeypatch.setenv("TRIAGE_COUNTRY", "US")
    monkeypatch.setenv("TRIAGE_TIMEZONE", "America/New_York")
    monkeypatch.setenv("TRIAGE_MORNING", "08:30")
    example.settings.cache_clear()
    assert example.handler(event(), None, now=MONDAY_NIGHT)["action"] == "DROP"
    held = example.handler(event(env="dev", severity="HIGH", n=2), None, now=MONDAY_NIGHT)
    # Monday 23:00 in Tokyo is Monday 09:00 in New York: held to Tuesday 08:30 there.
    assert held["notify_at"] == "2026-11-10T08:30:00-05:00"


def test_subject_is_what_sns_accepts(example: ModuleType) -> None:
    from inspector_kit import Finding
    from inspector_kit.triage import BusinessCalendar, route

    detail = event()["detail"]
    detail["packageVulnerabilityDetails"] = {
        "vulnerabilityId": "CVE-2026-\n\x1b[31m" + "9" * 200,
        "source": "NVD",
    }
    r = route(
        Finding.from_api(detail), TriagePolicy.default(), BusinessCalendar("JP"), MONDAY_NIGHT
    )
    subject = example._subject(r)
    assert len(subject) == 99  # "less than 100 characters"
    assert subject.isascii() and subject.isprintable()


def test_malformed_review_entries_are_logged(
    example: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reviews = tmp_path / "reviews.jsonl"
    reviews.write_text("{broken\n", encoding="utf-8")
    monkeypatch.setenv("TRIAGE_REVIEWS", str(reviews))
    example.settings.cache_clear()
    with caplog.at_level("WARNING"):
        example.settings()
    assert "review log entry skipped: reviews.jsonl line 1: not valid JSON" in caplog.text


def test_a_missing_topic_is_an_error_not_a_silent_drop(
    example: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRIAGE_TOPIC_ARN")
    example.settings.cache_clear()
    with pytest.raises(RuntimeError, match="TRIAGE_TOPIC_ARN"):
        example.handler(event(), None, now=MONDAY_NIGHT)


def test_no_secrets_and_no_boto3_until_a_message_is_sent() -> None:
    source = EXAMPLE.read_text(encoding="utf-8")
    for secret in ("aws_access_key_id", "aws_secret_access_key", "AKIA", "arn:aws:sns"):
        assert secret not in source
    code = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('m', {str(EXAMPLE)!r}); "
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); "
        "print('boto3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
