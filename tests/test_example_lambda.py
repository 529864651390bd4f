"""The example Lambda handlers (examples/lambda_triage.py), SNS and SQS stubbed by Stubber.

botocore's Stubber checks every request (``Publish``, ``SendMessage``, ``ReceiveMessage``,
``DeleteMessageBatch``) and every stubbed response against the SNS and SQS service models,
and a call the test did not expect fails: a handler that published a held or dropped
finding, or deleted a message it did not publish, fails here.
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
from botocore.stub import ANY, Stubber

from inspector_kit.testing import finding_payload
from inspector_kit.triage import TriagePolicy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lambda_triage.py"
JST = timezone(timedelta(hours=9))
TOPIC = "arn:aws:sns:ap-northeast-1:111122223333:inspector-triage"
QUEUE = "https://sqs.ap-northeast-1.amazonaws.com/111122223333/inspector-held"
MONDAY_NIGHT = datetime(2026, 11, 9, 23, tzinfo=JST)
TUESDAY_MORNING = datetime(2026, 11, 10, 9, 0, 30, tzinfo=JST)
RECEIVE = {
    "QueueUrl": QUEUE,
    "MaxNumberOfMessages": 10,
    "WaitTimeSeconds": 1,
    "VisibilityTimeout": 900,
}
LINE = "on i-0123456789abcdef0 (111122223333, ap-northeast-1) due 2026-11-10 [next-business-day]"
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
    for name in (
        "TRIAGE_REVIEWS",
        "TRIAGE_COUNTRY",
        "TRIAGE_TIMEZONE",
        "TRIAGE_MORNING",
        "TRIAGE_HOLD_QUEUE_URL",
        "TRIAGE_FORMAT",
    ):
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


class Aws:
    """Stubbed SNS and SQS clients, and every call made to them, in order."""

    def __init__(self, sns: Stubber, sqs: Stubber) -> None:
        self.sns = sns
        self.sqs = sqs
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.calls.append((model.name, dict(params)))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def sent(self, name: str) -> dict[str, Any]:
        (params,) = [p for n, p in self.calls if n == name]
        return params


@pytest.fixture
def aws(example: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    monkeypatch.setenv("TRIAGE_HOLD_QUEUE_URL", QUEUE)
    example.settings.cache_clear()
    sns = boto3.client("sns", region_name="ap-northeast-1")
    sqs = boto3.client("sqs", region_name="ap-northeast-1")
    monkeypatch.setattr(example, "sns_client", lambda: sns)
    monkeypatch.setattr(example, "sqs_client", lambda: sqs)
    with Stubber(sns) as sns_stub, Stubber(sqs) as sqs_stub:
        stubs = Aws(sns_stub, sqs_stub)
        for client in (sns, sqs):
            client.meta.events.register("before-parameter-build.*.*", stubs.record)
        yield stubs
        sns_stub.assert_no_pending_responses()
        sqs_stub.assert_no_pending_responses()


def event(
    severity: str = "CRITICAL",
    status: str = "ACTIVE",
    env: str = "prod",
    n: int = 1,
    vulnerability_id: str | None = None,
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if vulnerability_id is not None:
        extra["packageVulnerabilityDetails"] = {
            "vulnerabilityId": vulnerability_id,
            "source": "NVD",
        }
    detail = finding_payload(
        **extra,
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
    for secret in (
        "aws_access_key_id",
        "aws_secret_access_key",
        "AKIA",
        "arn:aws:sns",
        "amazonaws.com",
    ):
        assert secret not in source
    # Load the module, route a held event without a hold queue, and run the morning
    # handler on a Saturday with one: none of this sends anything, so none imports boto3.
    code = f"""
import importlib.util, os, sys
from datetime import datetime, timedelta, timezone
from inspector_kit.testing import finding_payload
spec = importlib.util.spec_from_file_location("m", {str(EXAMPLE)!r})
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
loaded = "boto3" in sys.modules
for name in list(os.environ):
    if name.startswith("TRIAGE_"):
        del os.environ[name]
event = {{"detail-type": "Inspector2 Finding", "source": "aws.inspector2",
         "detail": finding_payload(severity="CRITICAL")}}
jst = timezone(timedelta(hours=9))
held = m.handler(event, None, now=datetime(2026, 11, 9, 23, tzinfo=jst))
os.environ["TRIAGE_HOLD_QUEUE_URL"] = "https://example.invalid/queue"
m.settings.cache_clear()
saturday = m.morning_handler({{}}, None, now=datetime(2026, 11, 14, 9, tzinfo=jst))
print(loaded, held["action"], "queued" in held, saturday["reason"], "boto3" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "False",
        "HOLD",
        "False",
        "2026-11-14",
        "is",
        "not",
        "a",
        "business",
        "day",
        "(Saturday):",
        "no",
        "digest",
        "False",
    ]


# ------------------------------------------------------------------- the hold queue


def body(ev: dict[str, Any], received_at: str, notify_at: str | None) -> str:
    """A hold message as the handler writes it (compact ASCII JSON)."""
    stored = {"event": ev, "received_at": received_at, "notify_at": notify_at}
    return json.dumps(stored, separators=(",", ":"))


def message(n: int, text: str) -> dict[str, Any]:
    return {"MessageId": f"m-{n}", "ReceiptHandle": f"rh-{n}", "MD5OfBody": "-", "Body": text}


def held(n: int, severity: str = "CRITICAL", **kwargs: Any) -> dict[str, Any]:
    """A queued HOLD message of finding ``n``, received Monday night."""
    ev = event(severity=severity, env="dev", n=n, **kwargs)
    return message(n, body(ev, "2026-11-09T14:00:00+00:00", "2026-11-10T09:00:00+09:00"))


def deleted(*ns: int) -> dict[str, Any]:
    return {
        "QueueUrl": QUEUE,
        "Entries": [{"Id": str(i), "ReceiptHandle": f"rh-{n}"} for i, n in enumerate(ns)],
    }


def test_held_event_is_queued_with_the_original_event(example: ModuleType, aws: Aws) -> None:
    ev = event(env="dev")
    expected = {
        "event": ev,
        "received_at": "2026-11-09T14:00:00+00:00",
        "notify_at": "2026-11-10T09:00:00+09:00",
    }
    text = (
        '{"event":'
        + json.dumps(ev, separators=(",", ":"))
        + (',"received_at":"2026-11-09T14:00:00+00:00","notify_at":"2026-11-10T09:00:00+09:00"}')
    )
    assert json.loads(text) == expected
    aws.sqs.add_response(
        "send_message",
        {"MessageId": "q-1"},
        expected_params={"QueueUrl": QUEUE, "MessageBody": text},
    )
    result = example.handler(ev, None, now=MONDAY_NIGHT)
    assert (result["action"], result["queued"], result["queue_message_id"]) == ("HOLD", True, "q-1")
    assert aws.names() == ["SendMessage"]  # one message, nothing published
    json.dumps(result)


def test_without_a_queue_a_held_event_is_only_returned(
    example: ModuleType, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRIAGE_HOLD_QUEUE_URL")
    example.settings.cache_clear()
    result = example.handler(event(env="dev"), None, now=MONDAY_NIGHT)
    assert result["action"] == "HOLD" and "queued" not in result
    assert aws.names() == []


def test_an_event_too_large_for_the_queue_is_published_now(
    example: ModuleType, aws: Aws, caplog: pytest.LogCaptureFixture
) -> None:
    ev = event(env="dev")
    ev["detail"]["description"] = "x" * example._SQS_BODY_LIMIT
    aws.sns.add_response(
        "publish",
        {"MessageId": "m-big"},
        expected_params={
            "TopicArn": TOPIC,
            "Subject": "Inspector CRITICAL finding: see message",
            "Message": ANY,
        },
    )
    with caplog.at_level("ERROR"):
        result = example.handler(ev, None, now=MONDAY_NIGHT)
    assert (result["queued"], result["message_id"]) == (False, "m-big")
    assert aws.names() == ["Publish"]  # no SendMessage: a broken message is never sent
    text = aws.sent("Publish")["Message"]
    assert text.startswith("Held until 2026-11-10T09:00:00+09:00, sent now: its event is too")
    assert "\nHOLD: CRITICAL - on i-0123456789abcdef0 (111122223333, ap-northeast-1)\n" in text
    assert text.endswith("next business day from 2026-11-09 -> 2026-11-10")
    assert "not queued" in caplog.text and "finding/0001" in caplog.text


# ------------------------------------------------------------------- the morning run


def test_morning_run_publishes_one_digest_then_deletes_what_it_published(
    example: ModuleType, aws: Aws
) -> None:
    later = event(severity="HIGH", env="dev", n=3)  # arrived ten seconds after 09:00
    aws.sqs.add_response(
        "receive_message",
        {
            "Messages": [
                held(1),
                message(3, body(later, "2026-11-10T00:00:10+00:00", "2026-11-11T09:00:00+09:00")),
                held(2, severity="HIGH"),
            ]
        },
        expected_params=RECEIVE,
    )
    aws.sqs.add_response("receive_message", {}, expected_params=RECEIVE)
    aws.sns.add_response(
        "publish",
        {"MessageId": "d-1"},
        expected_params={
            "TopicArn": TOPIC,
            "Subject": "Inspector digest: 2 held findings (CRITICAL 1, HIGH 1)",
            "Message": "Inspector digest: 2 held findings (CRITICAL 1, HIGH 1)\n"
            "2026-11-10 09:00 JST: 2\n"
            f"  CRITICAL - {LINE}\n"
            f"  HIGH - {LINE}",
        },
    )
    aws.sqs.add_response(
        "delete_message_batch",
        {"Successful": [{"Id": "0"}, {"Id": "1"}], "Failed": []},
        expected_params=deleted(1, 2),  # not 3: it is for Wednesday's digest
    )
    summary = example.morning_handler({}, None, now=TUESDAY_MORNING)
    assert aws.names() == ["ReceiveMessage", "ReceiveMessage", "Publish", "DeleteMessageBatch"]
    assert summary == {
        "published": True,
        "message_id": "d-1",
        "reason": "digest published: 2 held finding(s)",
        "received": 3,
        "digested": 2,
        "duplicates": 0,
        "left_for_later": 1,
        "dropped": 0,
        "malformed": 0,
        "deleted": 2,
        "delete_failed": 0,
    }
    json.dumps(summary)


def test_nothing_due_publishes_and_deletes_nothing(example: ModuleType, aws: Aws) -> None:
    aws.sqs.add_response("receive_message", {"Messages": [held(1)]}, expected_params=RECEIVE)
    aws.sqs.add_response("receive_message", {"Messages": []}, expected_params=RECEIVE)
    early = datetime(2026, 11, 10, 8, 59, tzinfo=JST)  # the schedule ran before 09:00
    summary = example.morning_handler({}, None, now=early)
    assert aws.names() == ["ReceiveMessage", "ReceiveMessage"]
    assert (summary["published"], summary["left_for_later"], summary["deleted"]) == (False, 1, 0)
    assert summary["reason"] == "no held finding is due: nothing published"


def test_a_review_since_drops_the_finding_and_a_failed_delete_is_logged(
    example: ModuleType,
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reviews = tmp_path / "reviews.jsonl"
    review = {
        "finding_arn": "arn:aws:inspector2:ap-northeast-1:111122223333:finding/0002",
        "reviewed_at": "2026-11-10T08:00:00+09:00",  # after the event, before the digest
        "reviewer": "ken",
        "decision": "FALSE_POSITIVE",
        "severity": "HIGH",
        "status": "ACTIVE",
    }
    reviews.write_text(json.dumps(review) + "\n", encoding="utf-8")
    monkeypatch.setenv("TRIAGE_REVIEWS", str(reviews))
    example.settings.cache_clear()
    aws.sqs.add_response(
        "receive_message", {"Messages": [held(1), held(2, severity="HIGH")]}, RECEIVE
    )
    aws.sqs.add_response("receive_message", {}, RECEIVE)
    aws.sns.add_response(
        "publish",
        {"MessageId": "d-1"},
        {
            "TopicArn": TOPIC,
            "Subject": "Inspector digest: 1 held finding (CRITICAL 1)",
            "Message": "Inspector digest: 1 held finding (CRITICAL 1)\n"
            f"2026-11-10 09:00 JST: 1\n  CRITICAL - {LINE}",
        },
    )
    failed = {"Id": "1", "SenderFault": True, "Code": "ReceiptHandleIsInvalid", "Message": "x"}
    aws.sqs.add_response(
        "delete_message_batch",
        {"Successful": [{"Id": "0"}], "Failed": [failed]},
        deleted(1, 2),  # the dropped one is done with too
    )
    with caplog.at_level("INFO"):
        summary = example.morning_handler({}, None, now=TUESDAY_MORNING)
    assert (summary["digested"], summary["dropped"], summary["deleted"]) == (1, 1, 1)
    assert summary["delete_failed"] == 1
    dropped = "finding/0002 no longer held: out of the queue after review: FALSE_POSITIVE"
    assert dropped in caplog.text
    assert "hold message m-2 not deleted (ReceiptHandleIsInvalid: x)" in caplog.text


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (datetime(2026, 11, 23, 9, tzinfo=JST), "2026-11-23 is not a business day (Labor"),
        (datetime(2026, 11, 15, 9, tzinfo=JST), "2026-11-15 is not a business day (Sunday)"),
    ],
)
def test_no_digest_on_a_holiday_or_weekend_morning(
    example: ModuleType, aws: Aws, day: datetime, why: str
) -> None:
    summary = example.morning_handler({}, None, now=day)  # no call is stubbed: none is made
    assert aws.names() == []
    assert summary["published"] is False and summary["reason"].startswith(why)
    assert summary["received"] == 0


def test_slack_digest_escapes_finding_text(
    example: ModuleType, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_FORMAT", "slack")
    example.settings.cache_clear()
    sneaky = "CVE-2026-0001 <!channel> & <https://evil.example|fix>"
    aws.sqs.add_response(
        "receive_message", {"Messages": [held(1, vulnerability_id=sneaky)]}, RECEIVE
    )
    aws.sqs.add_response("receive_message", {}, RECEIVE)
    aws.sns.add_response(
        "publish", {"MessageId": "d-1"}, {"TopicArn": TOPIC, "Subject": ANY, "Message": ANY}
    )
    aws.sqs.add_response(
        "delete_message_batch", {"Successful": [{"Id": "0"}], "Failed": []}, deleted(1)
    )
    example.morning_handler({}, None, now=TUESDAY_MORNING)
    sent = aws.sent("Publish")
    assert sent["Message"].startswith("*Inspector digest: 1 held finding* (CRITICAL 1)\n")
    assert (
        "CVE-2026-0001 &lt;!channel&gt; &amp; &lt;https://evil.example|fix&gt; on"
        in sent["Message"]
    )
    assert "<" not in sent["Message"] and ">" not in sent["Message"]
    assert sent["Subject"] == "Inspector digest: 1 held finding (CRITICAL 1)"


def test_a_malformed_message_is_logged_and_left_and_the_rest_go_out(
    example: ModuleType, aws: Aws, caplog: pytest.LogCaptureFixture
) -> None:
    naive = body(event(env="dev", n=5), "2026-11-09T14:00:00", "2026-11-10T09:00:00+09:00")
    aws.sqs.add_response(
        "receive_message",
        {
            "Messages": [
                message(4, "{not json"),
                held(1),
                message(6, json.dumps({"received_at": "2026-11-09T14:00:00+00:00"})),
                message(5, naive),
            ]
        },
        RECEIVE,
    )
    aws.sqs.add_response("receive_message", {}, RECEIVE)
    aws.sns.add_response(
        "publish", {"MessageId": "d-1"}, {"TopicArn": TOPIC, "Subject": ANY, "Message": ANY}
    )
    aws.sqs.add_response(
        "delete_message_batch", {"Successful": [{"Id": "0"}], "Failed": []}, deleted(1)
    )
    with caplog.at_level("ERROR"):
        summary = example.morning_handler({}, None, now=TUESDAY_MORNING)
    assert (summary["malformed"], summary["digested"], summary["deleted"]) == (3, 1, 1)
    for n in (4, 5, 6):
        assert f"hold message m-{n} left in the queue" in caplog.text
    assert aws.sent("Publish")["Message"].endswith(f"CRITICAL - {LINE}")


def test_one_finding_held_twice_is_in_the_digest_once(example: ModuleType, aws: Aws) -> None:
    again = event(env="dev", n=1)  # an update event for the same finding, later that night
    aws.sqs.add_response(
        "receive_message",
        {
            "Messages": [
                held(1),
                message(9, body(again, "2026-11-09T16:00:00+00:00", "2026-11-10T09:00:00+09:00")),
                held(1),  # SQS delivered m-1 twice: received once
            ]
        },
        RECEIVE,
    )
    aws.sqs.add_response("receive_message", {}, RECEIVE)
    aws.sns.add_response(
        "publish", {"MessageId": "d-1"}, {"TopicArn": TOPIC, "Subject": ANY, "Message": ANY}
    )
    aws.sqs.add_response(
        "delete_message_batch",
        {"Successful": [{"Id": "0"}, {"Id": "1"}], "Failed": []},
        {
            "QueueUrl": QUEUE,
            "Entries": [{"Id": "0", "ReceiptHandle": "rh-1"}, {"Id": "1", "ReceiptHandle": "rh-9"}],
        },
    )
    summary = example.morning_handler({}, None, now=TUESDAY_MORNING)
    assert (summary["received"], summary["digested"], summary["duplicates"]) == (2, 1, 1)
    assert aws.sent("Publish")["Message"].count("CRITICAL -") == 1


def test_morning_run_without_a_queue_is_an_error(
    example: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRIAGE_HOLD_QUEUE_URL", raising=False)
    example.settings.cache_clear()
    with pytest.raises(RuntimeError, match="TRIAGE_HOLD_QUEUE_URL"):
        example.morning_handler({}, None, now=TUESDAY_MORNING)


def test_an_unknown_format_is_an_error(
    example: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_FORMAT", "html")
    example.settings.cache_clear()
    with pytest.raises(ValueError, match="TRIAGE_FORMAT must be one of text, slack"):
        example.settings()


def test_a_digest_over_the_sns_limit_is_cut_at_a_line(example: ModuleType) -> None:
    text = "Inspector digest: 5000 held findings\n" + "\n".join(
        f"  HIGH CVE-2026-{n:04d} on i-0123456789abcdef0 (111122223333, ap-northeast-1)"
        for n in range(5000)
    )
    assert len(text) > 262_144
    cut = example._fit(text, 5000)
    assert len(cut.encode("utf-8")) <= 262_144
    assert cut.endswith("\n... cut to fit SNS's 256 KB limit: 5000 findings in all (see the log)")
    assert cut.splitlines()[-2].endswith("(111122223333, ap-northeast-1)")  # whole lines only
    assert example._fit("short", 1) == "short"


def test_every_event_not_published_is_queued_so_the_morning_has_the_last_word(
    example: ModuleType, aws: Aws
) -> None:
    closed = event(env="dev", status="CLOSED")
    aws.sqs.add_response(
        "send_message",
        {"MessageId": "q-2"},
        expected_params={
            "QueueUrl": QUEUE,
            "MessageBody": body(closed, "2026-11-09T14:00:00+00:00", None),
        },
    )
    result = example.handler(closed, None, now=MONDAY_NIGHT)
    assert (result["action"], result["queued"]) == ("DROP", True)
    assert aws.names() == ["SendMessage"]  # queued, never published


def test_a_held_finding_closed_overnight_is_not_in_the_digest(
    example: ModuleType, aws: Aws
) -> None:
    closed = event(env="dev", n=1, status="CLOSED")  # Inspector closed finding 1 at 01:00
    aws.sqs.add_response(
        "receive_message",
        {
            "Messages": [
                message(7, body(closed, "2026-11-09T16:00:00+00:00", None)),
                held(1),
                held(2, severity="HIGH"),
            ]
        },
        RECEIVE,
    )
    aws.sqs.add_response("receive_message", {}, RECEIVE)
    aws.sns.add_response(
        "publish", {"MessageId": "d-1"}, {"TopicArn": TOPIC, "Subject": ANY, "Message": ANY}
    )
    aws.sqs.add_response(
        "delete_message_batch",
        {"Successful": [{"Id": str(i)} for i in range(3)], "Failed": []},
        {
            "QueueUrl": QUEUE,
            "Entries": [
                {"Id": "0", "ReceiptHandle": "rh-7"},
                {"Id": "1", "ReceiptHandle": "rh-1"},
                {"Id": "2", "ReceiptHandle": "rh-2"},
            ],
        },
    )
    summary = example.morning_handler({}, None, now=TUESDAY_MORNING)
    assert (summary["digested"], summary["dropped"], summary["deleted"]) == (1, 2, 3)
    text = aws.sent("Publish")["Message"]
    assert text.count(" - on ") == 1 and "HIGH -" in text and "CRITICAL -" not in text


def test_a_later_update_does_not_postpone_a_held_finding(example: ModuleType, aws: Aws) -> None:
    # Held Monday night for Tuesday 09:00; an update at 09:00:10 on Tuesday would alone be
    # held to Wednesday: the finding still goes out on Tuesday, as its first hold said.
    update = event(env="dev", n=1)
    aws.sqs.add_response(
        "receive_message",
        {
            "Messages": [
                held(1),
                message(8, body(update, "2026-11-10T00:00:10+00:00", "2026-11-11T09:00:00+09:00")),
            ]
        },
        RECEIVE,
    )
    aws.sqs.add_response("receive_message", {}, RECEIVE)
    aws.sns.add_response(
        "publish", {"MessageId": "d-1"}, {"TopicArn": TOPIC, "Subject": ANY, "Message": ANY}
    )
    aws.sqs.add_response(
        "delete_message_batch",
        {"Successful": [{"Id": "0"}, {"Id": "1"}], "Failed": []},
        deleted(1, 8),
    )
    summary = example.morning_handler({}, None, now=datetime(2026, 11, 10, 9, 1, tzinfo=JST))
    assert (summary["digested"], summary["left_for_later"], summary["duplicates"]) == (1, 0, 1)
