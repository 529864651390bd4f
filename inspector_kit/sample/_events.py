"""EventBridge events for users' tests: AWS-shaped examples shipped as files, and a builder.

The files in ``inspector_kit/sample/events/`` follow AWS's published examples (each one's source
is in ``events/SOURCES.md``); [`finding_event`][inspector_kit.sample.finding_event] wraps any
finding in the envelope Inspector sends on the ``Inspector2 Finding`` rule, so a Lambda handler's
test can feed it exactly what EventBridge delivers. Pure: no AWS call, no clock (the event's
time is the finding's ``updatedAt`` unless given).
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_kit.errors import InvalidArgumentError
from inspector_kit.models import Finding, parse_timestamp

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "finding_event",
    "sample_event",
    "sample_event_names",
    "sample_events_path",
]

_EVENTS = Path(__file__).resolve().parent / "events"
FINDING_DETAIL_TYPE = "Inspector2 Finding"
"""The ``detail-type`` of Inspector's finding events (docs/facts.md#sample-events)."""

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIME_MEMBERS = ("updatedAt", "lastObservedAt", "firstObservedAt")


def sample_events_path() -> Path:
    """The directory of the shipped example events (``*.json``, and ``SOURCES.md``).

    Examples:
        >>> (sample_events_path() / "SOURCES.md").is_file()
        True
    """
    return _EVENTS


@cache
def _names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _EVENTS.glob("*.json")))


@cache
def _text(name: str) -> str:
    return (_EVENTS / f"{name}.json").read_text(encoding="utf-8")


def sample_event_names() -> tuple[str, ...]:
    """The names of the shipped example events, sorted (file names without ``.json``).

    ``inspector2_finding_*`` are ``Inspector2 Finding`` events (EC2, ECR and Lambda package
    vulnerabilities, Lambda code, network reachability); ``inspector2_scan`` and
    ``inspector2_coverage`` the initial-scan and coverage events; ``ondemand_*`` the on-demand
    AMI scan events; ``security_hub_findings_imported`` Security Hub's import event of an
    Inspector finding (ASFF).

    Examples:
        >>> [n for n in sample_event_names() if n.startswith("ondemand")]
        ['ondemand_ami_scan_findings', 'ondemand_scan_complete_failed', \
'ondemand_scan_complete_successful']
    """
    return _names()


def sample_event(name: str) -> dict[str, Any]:
    """One shipped example event, as the dict EventBridge delivers (a fresh copy each call).

    Raises:
        InvalidArgumentError: no event has that name (the message lists them); a
            ``ValueError``.

    Examples:
        >>> event = sample_event("inspector2_finding_ec2_package")
        >>> event["detail-type"], event["source"], event["detail"]["type"]
        ('Inspector2 Finding', 'aws.inspector2', 'PACKAGE_VULNERABILITY')
        >>> from inspector_kit import load_findings
        >>> [f.vulnerability_id for f in load_findings(event)]
        ['CVE-2024-26581']
    """
    if name not in _names():
        raise InvalidArgumentError(
            f"no sample event {name!r}; the events are: {', '.join(_names())}"
        )
    event: dict[str, Any] = json.loads(_text(name))
    return event


def _eventbridge_time(value: datetime) -> str:
    """A detail timestamp as Inspector's events write it: ``Tue Mar 11 08:15:02.207 UTC 2025``."""
    d = value.astimezone(timezone.utc)
    return (
        f"{_DAYS[d.weekday()]} {_MONTHS[d.month - 1]} {d.day:02d} "
        f"{d:%H:%M:%S}.{d.microsecond // 1000:03d} UTC {d.year}"
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _eventbridge_time(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _envelope_time(detail: Mapping[str, Any], time: datetime | None) -> str:
    if time is None:
        found = next((detail[k] for k in _TIME_MEMBERS if detail.get(k) is not None), None)
        if found is None:
            raise InvalidArgumentError(
                "the finding has no updatedAt, lastObservedAt or firstObservedAt: pass time="
            )
        time = parse_timestamp(found)
    if time.tzinfo is None:
        raise InvalidArgumentError("time must be timezone-aware (UTC)")
    return f"{time.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}"


def finding_event(
    finding: Finding | Mapping[str, Any],
    *,
    event_id: str | None = None,
    time: datetime | None = None,
    **members: Any,
) -> dict[str, Any]:
    """An ``Inspector2 Finding`` EventBridge event for ``finding``, as EventBridge delivers it.

    The envelope is the one of AWS's published finding events (``version`` ``"0"``,
    ``source`` ``aws.inspector2``, ``account`` and ``region`` from the finding,
    ``resources`` = the ids of its resources, ``time`` = its ``updatedAt`` to the second);
    ``detail`` is the finding in the API shape with every timestamp written the way these
    events write them (``Tue Mar 11 08:15:02.207 UTC 2025``). Keyword arguments replace or
    add detail members (camelCase, as in ``finding_payload``): ``status="CLOSED"``,
    ``severity="LOW"``. ``event_id`` defaults to a UUID derived from the finding ARN and
    the time, so the same input gives the same event.

    Args:
        finding: A [`Finding`][inspector_kit.models.Finding], or an API payload dict (used
            as given: its timestamps stay as they are written).
        event_id: The envelope's ``id``.
        time: The envelope's ``time`` (an aware datetime); default the finding's
            ``updatedAt`` (else ``lastObservedAt``, ``firstObservedAt``).
        **members: Detail members to set.

    Raises:
        InvalidArgumentError: the finding's ARN names no region, or no time can be found.

    Examples:
        >>> from inspector_kit import Finding, load_findings
        >>> from inspector_kit.testing import finding_payload
        >>> finding = Finding.from_api(finding_payload(severity="CRITICAL"))
        >>> event = finding_event(finding, status="CLOSED")
        >>> event["detail-type"], event["region"], event["resources"], event["time"]
        ('Inspector2 Finding', 'eu-west-1', ['i-0123456789abcdef0'], '2026-11-20T08:00:00Z')
        >>> event["detail"]["lastObservedAt"]
        'Fri Nov 20 08:00:00.000 UTC 2026'
        >>> [(f.severity.value, f.status.value) for f in load_findings(event)]
        [('CRITICAL', 'CLOSED')]
    """
    if isinstance(finding, Finding):
        detail: dict[str, Any] = finding.to_api()
    else:
        detail = copy.deepcopy(dict(finding))
    detail.update(members)
    arn = str(detail.get("findingArn", ""))
    parts = arn.split(":")
    if len(parts) < 6 or not parts[3]:
        raise InvalidArgumentError(f"the finding ARN names no region: {arn!r}")
    when = _envelope_time(detail, time)
    resources = detail.get("resources") or []
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{arn}@{when}")),
        "detail-type": FINDING_DETAIL_TYPE,
        "source": "aws.inspector2",
        "account": str(detail.get("awsAccountId") or parts[4]),
        "time": when,
        "region": parts[3],
        "resources": [str(r.get("id")) for r in resources if isinstance(r, dict)],
        "detail": _jsonable(detail),
    }
