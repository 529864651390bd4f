"""On-demand machine image (AMI) scans, and the EventBridge events an on-demand scan publishes.

``OnDemandScan`` is the botocore shape ``OnDemandScan`` (an item of ``ListOnDemandScans``);
``GetOnDemandScanStatusResponse`` has exactly the same members and decodes into it too.
``OnDemandScanCompletion`` is the ``Inspector2 OnDemand Scan Complete`` EventBridge event's
``detail``, which is in no service model: it is built from AWS's published example
(docs/facts.md#ami). The findings of an on-demand scan arrive only as ``OnDemand AMI Scan
Findings`` events; their ``detail`` is a ``Finding`` plus a ``scanId`` member that the
``Finding`` shape does not have, kept in ``Finding.extra`` and read with
[`on_demand_scan_id`][inspector_kit.models.on_demand_scan_id].
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from inspector_kit.errors import FindingParseError, TimestampError

from ._codec import STRING, TIMESTAMP, EnumCodec, api_model, member
from ._enums import ApiEnum
from ._regional import RegionalModel
from ._time import parse_timestamp

if TYPE_CHECKING:
    from ._finding import Finding

__all__ = [
    "ON_DEMAND_COMPLETE_EVENT",
    "ON_DEMAND_FINDINGS_EVENT",
    "ON_DEMAND_FINDINGS_SOURCE",
    "OnDemandResourceType",
    "OnDemandScan",
    "OnDemandScanCompletion",
    "OnDemandScanStatus",
    "OnDemandScanStatusReason",
    "on_demand_scan_id",
]

logger = logging.getLogger("inspector_kit.models")

E = TypeVar("E", bound=ApiEnum)

#: ``detail-type`` of the event an on-demand scan publishes once it is over (docs/facts.md#ami).
ON_DEMAND_COMPLETE_EVENT = "Inspector2 OnDemand Scan Complete"
#: ``detail-type`` of the events carrying an on-demand scan's findings, one per finding.
ON_DEMAND_FINDINGS_EVENT = "OnDemand AMI Scan Findings"
#: ``source`` of the findings events (the completion event's is ``aws.inspector2``).
ON_DEMAND_FINDINGS_SOURCE = "inspector2.ami.ondemand"


class OnDemandResourceType(ApiEnum):
    """API ``OnDemandResourceType``: what an on-demand scan can scan (only ``AMI`` today).

    The EventBridge events of the same scans say ``MACHINE_IMAGE`` instead
    (docs/facts.md#ami); that value is kept as a plain string.

    Examples:
        >>> OnDemandResourceType.AMI == "AMI"
        True
    """

    AMI = "AMI"


class OnDemandScanStatus(ApiEnum):
    """API ``OnDemandScanStatus``: IN_PROGRESS, then SUCCESSFUL or FAILED.

    Examples:
        >>> OnDemandScanStatus("FAILED").is_final
        True
        >>> OnDemandScanStatus.IN_PROGRESS.is_final
        False
    """

    IN_PROGRESS = "IN_PROGRESS"
    SUCCESSFUL = "SUCCESSFUL"
    FAILED = "FAILED"

    @property
    def is_final(self) -> bool:
        """Whether the scan is over (``SUCCESSFUL`` or ``FAILED``)."""
        return self is not OnDemandScanStatus.IN_PROGRESS


class OnDemandScanStatusReason(ApiEnum):
    """API ``OnDemandScanStatusReason``: why an on-demand scan FAILED.

    The user guide spells two of them ``AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED`` and
    ``AGENTLESS_INSTANCE_COLLECTION_TIME_LIMIT_EXCEEDED``; the service model's spellings are
    these (docs/facts.md#ami); any other value is kept as a plain string.

    Examples:
        >>> OnDemandScanStatusReason("UNSUPPORTED_OS").name
        'UNSUPPORTED_OS'
    """

    ACCESS_DENIED = "ACCESS_DENIED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    STORAGE_LIMIT_EXCEEDED = "STORAGE_LIMIT_EXCEEDED"
    EXTRACTION_COLLECTION_TIME_LIMIT_EXCEEDED = "EXTRACTION_COLLECTION_TIME_LIMIT_EXCEEDED"
    UNSUPPORTED_OS = "UNSUPPORTED_OS"
    RESOURCE_TERMINATED = "RESOURCE_TERMINATED"


def _is_final(status: OnDemandScanStatus | str | None) -> bool:
    return status in (OnDemandScanStatus.SUCCESSFUL, OnDemandScanStatus.FAILED)


@api_model("OnDemandScan")
@attrs.frozen(kw_only=True)
class OnDemandScan(RegionalModel):
    """API ``OnDemandScan``: one on-demand scan of a machine image, and where it stands.

    Items of ``ListOnDemandScans``; ``GetOnDemandScanStatus`` answers the same members.
    AWS keeps a scan's record for 30 days after it completes (docs/facts.md#ami).

    Examples:
        >>> s = OnDemandScan.from_api({"scanId": "9f1c4b8d", "resourceId": "ami-0abcdef1",
        ...     "resourceType": "AMI", "scanStatus": "FAILED",
        ...     "scanStatusReason": "UNSUPPORTED_OS", "startedAt": "2026-06-12T00:00:00Z",
        ...     "completedAt": "2026-06-12T01:30:00Z"}, region="us-east-1")
        >>> s.scan_status, s.is_final, s.failed, s.region
        (<OnDemandScanStatus.FAILED: 'FAILED'>, True, True, 'us-east-1')
        >>> s.completed_at - s.started_at
        datetime.timedelta(seconds=5400)
    """

    scan_id: str = member("scanId", STRING, required=True)
    """API ``scanId`` (required): the scan's id, as ``StartOnDemandScan`` answered it."""
    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required): the machine image's id (``ami-...``)."""
    resource_type: OnDemandResourceType | str = member(
        "resourceType", EnumCodec(OnDemandResourceType), required=True
    )
    """API ``resourceType`` (required): ``AMI``; open enum."""
    scan_status: OnDemandScanStatus | str = member(
        "scanStatus", EnumCodec(OnDemandScanStatus), required=True
    )
    """API ``scanStatus`` (required): IN_PROGRESS, SUCCESSFUL or FAILED; open enum."""
    scan_status_reason: OnDemandScanStatusReason | str | None = member(
        "scanStatusReason", EnumCodec(OnDemandScanStatusReason)
    )
    """API ``scanStatusReason``: why it FAILED; open enum."""
    started_at: datetime = member("startedAt", TIMESTAMP, required=True)
    """API ``startedAt`` (required, aware UTC)."""
    completed_at: datetime | None = member("completedAt", TIMESTAMP)
    """API ``completedAt`` (aware UTC): absent while the scan runs."""

    @property
    def is_final(self) -> bool:
        """Whether the scan is over: ``SUCCESSFUL`` or ``FAILED`` (an unknown status is not)."""
        return _is_final(self.scan_status)

    @property
    def failed(self) -> bool:
        """Whether the scan ended ``FAILED``."""
        return self.scan_status == OnDemandScanStatus.FAILED


def _open_enum(cls: type[E], value: Any, what: str) -> E | str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FindingParseError("expected a string", value, what)
    try:
        return cls(value)
    except ValueError:
        logger.debug("%s: value %r is not in %s; kept as a string", what, value, cls.__name__)
        return value


def _string(detail: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = detail.get(key)
    if value is None:
        if required:
            raise FindingParseError("missing", None, key)
        return None
    if not isinstance(value, str):
        raise FindingParseError("expected a string", value, key)
    return value


def _time(detail: Mapping[str, Any], key: str) -> datetime | None:
    value = detail.get(key)
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except TimestampError as exc:
        raise FindingParseError(str(exc), value, key) from exc


def _counts(value: Any) -> Mapping[str, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in value.items()
    ):
        raise FindingParseError(
            "expected an object of integer counts", value, "findingSeverityCounts"
        )
    return dict(value)


@attrs.frozen(kw_only=True)
class OnDemandScanCompletion:
    """An ``Inspector2 OnDemand Scan Complete`` EventBridge event: an on-demand scan is over.

    AWS publishes it once per scan, when the scan is ``SUCCESSFUL`` (with
    ``findingSeverityCounts``) or ``FAILED`` (with ``scanStatusReason``). It is not in the
    service model: the fields are those of AWS's published example (docs/facts.md#ami), and
    the whole ``detail`` is kept in ``detail`` (lossless). Read one with
    [`from_event`][inspector_kit.models.OnDemandScanCompletion.from_event];
    [`load_findings`][inspector_kit.loaders.load_findings] collects them in
    ``LoadedFindings.scan_completions``.

    Attributes:
        scan_id: ``detail.scanId``: the id ``StartOnDemandScan`` answered.
        resource_id: ``detail.resourceId``: the machine image (``ami-...``).
        resource_type: ``detail.resourceType``: ``MACHINE_IMAGE`` in the example (the API
            says ``AMI``); a plain string.
        scan_status: ``detail.scanStatus``: SUCCESSFUL or FAILED; open enum.
        scan_status_reason: ``detail.scanStatusReason``: why it FAILED; open enum.
        account_id: ``detail.awsAccountId`` (else the envelope's ``account``).
        region: The envelope's ``region``.
        started_at: ``detail.startedAt`` (aware UTC).
        completed_at: ``detail.completedAt`` (aware UTC).
        finding_severity_counts: ``detail.findingSeverityCounts`` (``CRITICAL``... ``TOTAL``);
            empty for a failed scan.
        detail: The event's whole ``detail``, as given.

    Examples:
        >>> event = {"detail-type": "Inspector2 OnDemand Scan Complete",
        ...     "source": "aws.inspector2", "region": "us-east-1",
        ...     "detail": {"scanId": "9f1c", "awsAccountId": "111122223333",
        ...         "resourceId": "ami-0abcdef1", "resourceType": "MACHINE_IMAGE",
        ...         "scanStatus": "SUCCESSFUL", "startedAt": "2026-06-12T00:00:00.000Z",
        ...         "completedAt": "2026-06-12T01:30:00.000Z",
        ...         "findingSeverityCounts": {"HIGH": 2, "TOTAL": 2}, "version": "1.0"}}
        >>> done = OnDemandScanCompletion.from_event(event)
        >>> done.scan_id, done.scan_status, done.total_findings, done.region
        ('9f1c', <OnDemandScanStatus.SUCCESSFUL: 'SUCCESSFUL'>, 2, 'us-east-1')
    """

    scan_id: str
    resource_id: str | None = None
    resource_type: str | None = None
    scan_status: OnDemandScanStatus | str | None = None
    scan_status_reason: OnDemandScanStatusReason | str | None = None
    account_id: str | None = None
    region: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    finding_severity_counts: Mapping[str, int] = attrs.field(factory=dict, eq=False)
    detail: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> OnDemandScanCompletion:
        """Read the event (the whole EventBridge envelope, or only its ``detail``).

        Raises:
            FindingParseError: no ``scanId``, or a member of the wrong type (the error
                names the member under ``detail``).
        """
        detail = event.get("detail") if "detail" in event else event
        if not isinstance(detail, Mapping):
            raise FindingParseError("expected an object", detail, "detail")
        try:
            account = _string(detail, "awsAccountId")
            envelope_account = event.get("account")
            return cls(
                scan_id=str(_string(detail, "scanId", required=True)),
                resource_id=_string(detail, "resourceId"),
                resource_type=_string(detail, "resourceType"),
                scan_status=_open_enum(OnDemandScanStatus, detail.get("scanStatus"), "scanStatus"),
                scan_status_reason=_open_enum(
                    OnDemandScanStatusReason, detail.get("scanStatusReason"), "scanStatusReason"
                ),
                account_id=account
                if account is not None
                else (envelope_account if isinstance(envelope_account, str) else None),
                region=event.get("region") if isinstance(event.get("region"), str) else None,
                started_at=_time(detail, "startedAt"),
                completed_at=_time(detail, "completedAt"),
                finding_severity_counts=_counts(detail.get("findingSeverityCounts")),
                detail=dict(detail),
            )
        except FindingParseError as exc:
            if detail is not event:
                exc._prepend("detail")
            raise

    @property
    def failed(self) -> bool:
        """Whether the scan ended ``FAILED``."""
        return self.scan_status == OnDemandScanStatus.FAILED

    @property
    def total_findings(self) -> int | None:
        """``findingSeverityCounts.TOTAL`` (``None`` when the event has no counts)."""
        return self.finding_severity_counts.get("TOTAL")


def on_demand_scan_id(finding: Finding) -> str | None:
    """The ``scanId`` of a finding read from an ``OnDemand AMI Scan Findings`` event.

    The ``Finding`` shape has no ``scanId`` member, so the finding keeps it in ``extra``;
    this reads it, typed (``None`` for a finding of continuous scanning).

    Examples:
        >>> from inspector_kit import load_findings
        >>> from inspector_kit.models import Finding
        >>> finding = Finding.from_api({"findingArn": "arn:aws:inspector2:us-east-1:"
        ...     "111122223333:finding/ondemand/9f1c/cea7", "scanId": "9f1c",
        ...     "awsAccountId": "111122223333", "description": "d", "type":
        ...     "PACKAGE_VULNERABILITY", "severity": "HIGH", "status": "ACTIVE",
        ...     "firstObservedAt": "2026-06-12T01:30:00Z", "lastObservedAt":
        ...     "2026-06-12T01:30:00Z", "remediation": {}, "resources": [{"type":
        ...     "MACHINE_IMAGE", "id": "ami-0abcdef1"}]})
        >>> on_demand_scan_id(finding)
        '9f1c'
    """
    value = finding.extra.get("scanId")
    return value if isinstance(value, str) else None
