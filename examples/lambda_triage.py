"""AWS Lambda handlers for Amazon Inspector finding events and the morning digest.

Two handlers, one function package:

``handler`` runs behind an EventBridge rule matching ``{"source": ["aws.inspector2"],
"detail-type": ["Inspector2 Finding"]}`` (docs/facts.md#triage-ops). For each event it calls
[`inspector_kit.triage.route`][inspector_kit.triage.route] and:

- publishes the finding to an SNS topic **only** when the route is ``NOTIFY_NOW`` (a rule of
  the policy says ``notify_now: true``); the default policy never does, so nobody is paged
  at night;
- when ``TRIAGE_HOLD_QUEUE_URL`` is set, sends every event it does not publish at once
  (``HOLD``, and also ``MONTHLY`` and ``DROP``) as one SQS message
  ``{"event": ..., "received_at": ..., "notify_at": ...}`` to that queue for the morning
  run (``"queued": true`` and ``"queue_message_id"`` in the result): the morning run goes
  by each finding's latest event, so a held finding that Inspector closed, suppressed or
  lowered overnight is not in the digest. Without ``TRIAGE_HOLD_QUEUE_URL`` a held route
  is only returned: collect it yourself (a Lambda destination, a Step Functions state) or
  nobody hears of it. A message that would exceed SQS's 1 MiB body limit is not sent: a
  held finding is logged and published to the topic at once (``"queued": false``), so it
  is never lost; any other is logged;
- returns the route as JSON (``Route.to_dict()``) in every case.

``morning_handler`` runs from an EventBridge Scheduler schedule each morning, e.g.
``cron(0 9 ? * MON-FRI *)`` in the calendar's time zone (the schedule may run every day:
on a weekend or holiday it returns the reason and touches nothing). It drains the hold
queue, takes each finding's latest event, routes it again as of when it arrived (so a
review added to the log since takes the finding out), publishes **one** digest
([`triage.digest`][inspector_kit.triage.digest]) of the findings still held and due by now,
and only then deletes their messages (and those of findings no longer held). The messages
of a finding not due yet (held until a later morning) stay in the queue: they become
visible again when the visibility timeout ends (15 minutes) and the next morning run picks
them up; a later update does not postpone a finding already held. A message whose body
cannot be read is logged with its ``MessageId`` and left in the queue (give the queue a
dead-letter queue so it ends there).

Configuration comes from environment variables only; there are no secrets in the code (the
execution role grants ``sns:Publish`` on the topic and ``sqs:SendMessage``,
``sqs:ReceiveMessage`` and ``sqs:DeleteMessage`` on the queue):

- ``TRIAGE_TOPIC_ARN``: the SNS topic (required only when something is to be published);
- ``TRIAGE_HOLD_QUEUE_URL``: the SQS queue of held events (optional for ``handler``,
  required by ``morning_handler``);
- ``TRIAGE_FORMAT``: the digest's format, ``text`` (default) or ``slack`` (Slack
  ``mrkdwn``, finding data escaped);
- ``TRIAGE_POLICY``: a YAML policy file shipped with the function (default: the built-in
  policy);
- ``TRIAGE_REVIEWS``: a review log (JSON Lines) shipped with the function (optional);
- ``TRIAGE_COUNTRY``, ``TRIAGE_SUBDIVISION``, ``TRIAGE_TIMEZONE``: the business calendar
  (default ``JP`` in ``Asia/Tokyo``);
- ``TRIAGE_MORNING``: when held findings go out, ``HH:MM`` (default ``09:00``); the
  schedule must run at or after it.

``boto3`` is imported only when a message is sent: routing an event that is not published
when there is no hold queue, or a morning run on a holiday, needs neither boto3 nor a client.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from datetime import datetime, time, timezone
from typing import TYPE_CHECKING, Any

from inspector_kit.errors import InspectorKitError
from inspector_kit.triage import (
    Action,
    BusinessCalendar,
    ReviewLog,
    Route,
    TriagePolicy,
    digest,
    route,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "Settings",
    "handler",
    "morning_handler",
    "settings",
    "sns_client",
    "sqs_client",
]

#: SNS Publish: "Subjects must be UTF-8 text with no line breaks or control characters, and
#: less than 100 characters long" (docs/facts.md#triage-ops).
_SUBJECT_LIMIT = 99
#: SNS Publish: a message is at most 256 KB (262,144 bytes; docs/facts.md#triage-ops).
_SNS_MESSAGE_LIMIT = 262_144
#: SQS SendMessage: a body is at most 1 MiB, 1,048,576 bytes (docs/facts.md#triage-ops).
_SQS_BODY_LIMIT = 1_048_576
#: ReceiveMessage returns at most 10 messages; DeleteMessageBatch takes at most 10 entries.
_SQS_BATCH = 10
#: ReceiveMessage's wait: 0 would be short polling, which samples some SQS servers and can
#: return nothing while messages remain (the run would stop early and leave due findings for
#: the next morning); 1 is long polling, which asks every server, at the cost of one second
#: for the last, empty receive (docs/facts.md#triage-ops).
_RECEIVE_WAIT_SECONDS = 1
#: Received messages stay hidden this long (seconds): Lambda's maximum timeout, 900 seconds
#: (docs/facts.md#triage-ops), so a message cannot be received twice in one run.
_VISIBILITY_TIMEOUT = 900
_FORMATS = ("text", "slack")
_LOG = logging.getLogger(__name__)


class Settings:
    """The function's configuration, read once per container from the environment."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        path = environ.get("TRIAGE_POLICY")
        self.policy = TriagePolicy.load(path) if path else TriagePolicy.default()
        reviews = environ.get("TRIAGE_REVIEWS")
        self.reviews = ReviewLog.load(reviews) if reviews else None
        for problem in () if self.reviews is None else self.reviews.problems:
            _LOG.warning("review log entry skipped: %s", problem)  # to CloudWatch Logs
        self.calendar = BusinessCalendar(
            environ.get("TRIAGE_COUNTRY", "JP"),
            environ.get("TRIAGE_SUBDIVISION") or None,
            timezone=environ.get("TRIAGE_TIMEZONE", "Asia/Tokyo"),
        )
        self.morning = time.fromisoformat(environ.get("TRIAGE_MORNING", "09:00"))
        self.topic_arn = environ.get("TRIAGE_TOPIC_ARN")
        self.queue_url = environ.get("TRIAGE_HOLD_QUEUE_URL") or None
        self.format = environ.get("TRIAGE_FORMAT", "text").lower()
        if self.format not in _FORMATS:
            raise ValueError(
                f"TRIAGE_FORMAT must be one of {', '.join(_FORMATS)}, got {self.format!r}"
            )


@functools.cache
def settings() -> Settings:
    """The settings, read from ``os.environ`` on the first call (one container, one read)."""
    return Settings(os.environ)


def sns_client() -> Any:
    """An SNS client (imported here: only a notification needs boto3)."""
    import boto3

    return boto3.client("sns")


def sqs_client() -> Any:
    """An SQS client (imported here: only a held finding or the morning run needs boto3)."""
    import boto3

    return boto3.client("sqs")


def _subject_text(text: str) -> str:
    # Finding data in a subject: printable ASCII only (no line breaks or control
    # characters), within SNS's limit.
    safe = "".join(c if " " <= c <= "~" else "?" for c in text)
    return safe[:_SUBJECT_LIMIT]


def _subject(r: Route) -> str:
    severity = str(getattr(r.finding.severity, "value", r.finding.severity))
    return _subject_text(
        f"Inspector {severity} finding: {r.finding.vulnerability_id or 'see message'}"
    )


def _publish(config: Settings, subject: str, message: str) -> str:
    """Publish one message to the topic; its SNS ``MessageId``."""
    if not config.topic_arn:
        raise RuntimeError("TRIAGE_TOPIC_ARN is not set: where should the notification go?")
    response = sns_client().publish(TopicArn=config.topic_arn, Subject=subject, Message=message)
    return str(response["MessageId"])


def _hold_body(event: Mapping[str, Any], received_at: datetime, decided: Route) -> str:
    """The queued message: the event as received, when, and when it is due.

    ASCII JSON (``ensure_ascii``): every character is one SQS accepts, and the length is
    the size in bytes.
    """
    notify_at = decided.notify_at
    return json.dumps(
        {
            "event": event,
            "received_at": received_at.astimezone(timezone.utc).isoformat(),
            "notify_at": None if notify_at is None else notify_at.isoformat(),
        },
        ensure_ascii=True,
        separators=(",", ":"),
    )


def handler(
    event: dict[str, Any], context: Any = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """Route one ``Inspector2 Finding`` event: publish NOTIFY_NOW, queue the rest (if configured).

    Args:
        event: The EventBridge event.
        context: The Lambda context (unused).
        now: The time of routing (tests); default the current time.

    Returns:
        ``Route.to_dict()``, plus ``message_id`` when published to SNS, and ``queued`` (and
        ``queue_message_id``) for any other route when a hold queue is configured.

    Raises:
        RuntimeError: something is to be published and ``TRIAGE_TOPIC_ARN`` is not set.
    """
    config = settings()
    at = now or datetime.now(timezone.utc)
    decided = route(
        event, config.policy, config.calendar, at, reviews=config.reviews, morning=config.morning
    )
    result = decided.to_dict()
    if decided.action is Action.NOTIFY_NOW:
        result["message_id"] = _publish(config, _subject(decided), decided.message())
    elif config.queue_url:
        body = _hold_body(event, at, decided)
        if len(body) > _SQS_BODY_LIMIT and decided.action is not Action.HOLD:
            _LOG.error(
                "%s event of finding %s not queued: %d bytes, over the SQS limit of %d",
                decided.action.value,
                decided.finding.finding_arn,
                len(body),
                _SQS_BODY_LIMIT,
            )
            result["queued"] = False
        elif len(body) > _SQS_BODY_LIMIT:
            # Not sent broken or truncated: the finding goes out now rather than never.
            _LOG.error(
                "held finding %s not queued: the message would be %d bytes, over the SQS "
                "limit of %d; published to the topic now instead",
                decided.finding.finding_arn,
                len(body),
                _SQS_BODY_LIMIT,
            )
            message = (
                f"Held until {result['notify_at']}, sent now: its event is too large for the "
                f"hold queue ({len(body)} bytes).\n{decided.message()}"
            )
            result["queued"] = False
            result["message_id"] = _publish(config, _subject(decided), message)
        else:
            response = sqs_client().send_message(QueueUrl=config.queue_url, MessageBody=body)
            result["queued"] = True
            result["queue_message_id"] = response["MessageId"]
    return result


# ----------------------------------------------------------------------------- morning


def _not_a_business_day(config: Settings, now: datetime) -> str | None:
    """Why today (in the calendar's time zone) is not a business day, or ``None``."""
    today = config.calendar.local_date(now)
    if config.calendar.is_business_day(today):
        return None
    name = config.calendar.holiday_name(today)
    why = name or today.strftime("%A")
    return f"{today.isoformat()} is not a business day ({why}): no digest"


def _receive_all(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Every message of the queue, 10 at a time, until a receive returns none."""
    messages: list[dict[str, Any]] = []
    seen: set[str] = set()
    while True:
        response = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=_SQS_BATCH,
            WaitTimeSeconds=_RECEIVE_WAIT_SECONDS,
            VisibilityTimeout=_VISIBILITY_TIMEOUT,
        )
        batch = response.get("Messages") or []
        if not batch:
            return messages
        for message in batch:
            if message["MessageId"] not in seen:  # at-least-once: a duplicate is dropped
                seen.add(message["MessageId"])
                messages.append(message)


def _read(config: Settings, message: Mapping[str, Any]) -> tuple[datetime, Route]:
    """When the stored event arrived, and its route again as of then (reviews since count)."""
    stored = json.loads(message["Body"])
    if not isinstance(stored, dict) or not isinstance(stored.get("event"), dict):
        raise ValueError("the body is not {'event': {...}, 'received_at': ...}")
    received_at = datetime.fromisoformat(stored["received_at"])
    return received_at, route(
        stored["event"],
        config.policy,
        config.calendar,
        received_at,
        reviews=config.reviews,
        morning=config.morning,
    )


def _fit(text: str, total: int) -> str:
    """``text`` within SNS's message limit, cut at a line, saying how many findings in all."""
    if len(text.encode("utf-8")) <= _SNS_MESSAGE_LIMIT:
        return text
    note = f"\n... cut to fit SNS's 256 KB limit: {total} findings in all (see the log)"
    room = _SNS_MESSAGE_LIMIT - len(note.encode("utf-8"))
    cut = text.encode("utf-8")[:room].decode("utf-8", "ignore")
    return cut[: cut.rfind("\n")] + note


def _delete(sqs: Any, queue_url: str, messages: list[Mapping[str, Any]]) -> int:
    """Delete ``messages``, 10 per call; the number that failed (each logged)."""
    failed = 0
    for start in range(0, len(messages), _SQS_BATCH):
        batch = messages[start : start + _SQS_BATCH]
        ids = {str(i): m["MessageId"] for i, m in enumerate(batch)}
        response = sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)
            ],
        )
        for entry in response.get("Failed") or []:
            failed += 1
            _LOG.error(
                "hold message %s not deleted (%s: %s); it will be in a later digest again",
                ids.get(entry.get("Id", ""), entry.get("Id")),
                entry.get("Code"),
                entry.get("Message", ""),
            )
    return failed


def morning_handler(
    event: dict[str, Any], context: Any = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """Drain the hold queue and publish one digest of the held findings due by ``now``.

    Args:
        event: The EventBridge Scheduler payload (unused).
        context: The Lambda context (unused).
        now: The time of the run (tests); default the current time.

    Returns:
        A JSON-ready summary: ``published``, ``message_id``, ``reason``, and the counts of
        messages ``received``, ``digested`` (findings in the digest), ``duplicates`` (older
        messages of a finding in the digest), ``left_for_later`` (not due yet),
        ``dropped`` (messages of findings no longer held: closed, suppressed or lowered by a
        later event, or taken out by a review since), ``malformed``,
        ``deleted`` and ``delete_failed``.

    Raises:
        RuntimeError: ``TRIAGE_HOLD_QUEUE_URL`` is not set, or there is a digest to publish
            and ``TRIAGE_TOPIC_ARN`` is not set.
    """
    config = settings()
    at = now or datetime.now(timezone.utc)
    summary: dict[str, Any] = {
        "published": False,
        "message_id": None,
        "reason": "",
        "received": 0,
        "digested": 0,
        "duplicates": 0,
        "left_for_later": 0,
        "dropped": 0,
        "malformed": 0,
        "deleted": 0,
        "delete_failed": 0,
    }
    closed = _not_a_business_day(config, at)
    if closed:
        summary["reason"] = closed
        return summary
    if not config.queue_url:
        raise RuntimeError("TRIAGE_HOLD_QUEUE_URL is not set: which queue holds the findings?")
    sqs = sqs_client()
    messages = _receive_all(sqs, config.queue_url)
    summary["received"] = len(messages)
    # Per finding, its messages with when each arrived and its route as of then.
    by_finding: dict[str, list[tuple[datetime, Route, Mapping[str, Any]]]] = {}
    for message in messages:
        try:
            received_at, r = _read(config, message)
        except (ValueError, KeyError, TypeError, InspectorKitError) as exc:
            summary["malformed"] += 1
            _LOG.error("hold message %s left in the queue: %s", message.get("MessageId"), exc)
            continue
        by_finding.setdefault(r.finding.finding_arn, []).append((received_at, r, message))
    due: list[Route] = []
    done: list[Mapping[str, Any]] = []  # deleted once the digest is out
    for arn, stored in by_finding.items():
        kept = [message for _, _, message in stored]
        latest = max(stored, key=lambda one: one[0])[1]  # the last word on the finding
        # Held since the earliest of its held events: a later update does not postpone it.
        held_since = [r.notify_at for _, r, _ in stored if r.action is Action.HOLD and r.notify_at]
        if latest.action is not Action.HOLD or not held_since:
            summary["dropped"] += len(kept)  # closed, suppressed, lowered or reviewed since
            _LOG.info("finding %s no longer held: %s", arn, latest.reason)
            done.extend(kept)
        elif min(held_since) > at:
            summary["left_for_later"] += len(kept)  # visible again after the timeout
        else:
            due.append(latest)
            summary["duplicates"] += len(kept) - 1
            done.extend(kept)
    report = digest(due)
    summary["digested"] = len(report)
    if len(report):
        text = report.to_slack() if config.format == "slack" else report.to_text()
        if len(text.encode("utf-8")) > _SNS_MESSAGE_LIMIT:
            _LOG.warning("digest over SNS's limit, cut; in full:\n%s", report.to_text())
        subject = _subject_text(report.to_text().splitlines()[0])
        summary["message_id"] = _publish(config, subject, _fit(text, len(report)))
        summary["published"] = True
        summary["reason"] = f"digest published: {len(report)} held finding(s)"
    else:
        summary["reason"] = "no held finding is due: nothing published"
    if done:
        summary["delete_failed"] = _delete(sqs, config.queue_url, done)
        summary["deleted"] = len(done) - summary["delete_failed"]
    return summary
