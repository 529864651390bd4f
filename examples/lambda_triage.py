"""An AWS Lambda handler for the EventBridge rule on Amazon Inspector finding events.

Deploy it behind an EventBridge rule matching ``{"source": ["aws.inspector2"],
"detail-type": ["Inspector2 Finding"]}`` (docs/facts.md#triage-ops). For each event it calls
[`inspector_kit.triage.route`][inspector_kit.triage.route] and:

- publishes the finding to an SNS topic **only** when the route is ``NOTIFY_NOW`` (a rule of
  the policy says ``notify_now: true``); the default policy never does, so nobody is paged
  at night;
- returns the route as JSON (``Route.to_dict()``) in every case, so a Lambda destination or
  a Step Functions state can collect the ``HOLD`` routes for the morning digest
  (``triage.digest``) and the ``MONTHLY`` ones for the monthly review.

Configuration comes from environment variables only; there are no secrets in the code (the
function's execution role grants ``sns:Publish`` on the topic):

- ``TRIAGE_TOPIC_ARN``: the SNS topic (required only when something is to be notified);
- ``TRIAGE_POLICY``: a YAML policy file shipped with the function (default: the built-in
  policy);
- ``TRIAGE_REVIEWS``: a review log (JSON Lines) shipped with the function (optional);
- ``TRIAGE_COUNTRY``, ``TRIAGE_SUBDIVISION``, ``TRIAGE_TIMEZONE``: the business calendar
  (default ``JP`` in ``Asia/Tokyo``);
- ``TRIAGE_MORNING``: when held findings go out, ``HH:MM`` (default ``09:00``).

``boto3`` is imported only when a message is published: routing a dropped or held event
needs neither boto3 nor a client.
"""

from __future__ import annotations

import functools
import logging
import os
from datetime import datetime, time, timezone
from typing import TYPE_CHECKING, Any

from inspector_kit.triage import (
    Action,
    BusinessCalendar,
    ReviewLog,
    Route,
    TriagePolicy,
    route,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Settings", "handler", "settings", "sns_client"]

#: SNS Publish: "Subjects must be UTF-8 text with no line breaks or control characters, and
#: less than 100 characters long" (docs/facts.md#triage-ops).
_SUBJECT_LIMIT = 99
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


@functools.cache
def settings() -> Settings:
    """The settings, read from ``os.environ`` on the first call (one container, one read)."""
    return Settings(os.environ)


def sns_client() -> Any:
    """An SNS client (imported here: only a notification needs boto3)."""
    import boto3

    return boto3.client("sns")


def _subject(r: Route) -> str:
    severity = str(getattr(r.finding.severity, "value", r.finding.severity))
    text = f"Inspector {severity} finding: {r.finding.vulnerability_id or 'see message'}"
    # Finding data in a subject: printable ASCII only (no line breaks or control
    # characters), within SNS's limit.
    safe = "".join(c if " " <= c <= "~" else "?" for c in text)
    return safe[:_SUBJECT_LIMIT]


def handler(
    event: dict[str, Any], context: Any = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """Route one ``Inspector2 Finding`` event; publish to SNS only when it is NOTIFY_NOW."""
    config = settings()
    decided = route(
        event,
        config.policy,
        config.calendar,
        now or datetime.now(timezone.utc),
        reviews=config.reviews,
        morning=config.morning,
    )
    result = decided.to_dict()
    if decided.action is Action.NOTIFY_NOW:
        if not config.topic_arn:
            raise RuntimeError("TRIAGE_TOPIC_ARN is not set: where should the notification go?")
        response = sns_client().publish(
            TopicArn=config.topic_arn, Subject=_subject(decided), Message=decided.message()
        )
        result["message_id"] = response["MessageId"]
    return result
