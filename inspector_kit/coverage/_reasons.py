"""Every ``ScanStatusReason`` Inspector can report, mapped to a status, an explanation and a fix.

The explanations follow the API reference's descriptions of ``ScanStatus.reason``
(https://docs.aws.amazon.com/inspector/v2/APIReference/API_ScanStatus.html, read 2026-12-04;
docs/facts.md#coverage-details). Every value of ``inspector_kit.models.ScanStatusReason`` has an
entry (a test walks the enum and the botocore model), so a new value cannot fall through
silently; a value unknown to the library gets ``UNKNOWN_REASON``.
"""

from __future__ import annotations

import attrs

from inspector_kit.models import ScanStatusReason

from ._report import CoverageStatus

__all__ = ["SCAN_STATUS_REASONS", "UNKNOWN_REASON", "ReasonMapping", "reason_mapping"]

_API = "https://docs.aws.amazon.com/inspector/v2/APIReference/API_ScanStatus.html"


@attrs.frozen
class ReasonMapping:
    """What the analysis makes of one ``scanStatus.reason`` on an EC2 coverage record.

    ``status`` is the coverage status when the record is INACTIVE (an ACTIVE record is
    COVERED, or PENDING for the pending reasons); ``explanation`` says what Inspector means;
    ``fix`` what to do (``None``: nothing to do).

    Examples:
        >>> m = reason_mapping("RESOURCE_STOPPED")
        >>> m.status.value, m.fix is None
        ('STOPPED', True)
    """

    status: CoverageStatus
    """The status an INACTIVE record with this reason gives."""
    explanation: str
    """What Inspector means by it, in plain words."""
    fix: str | None
    """What to do about it; ``None`` when nothing is needed."""
    pending: bool = False
    """Whether an ACTIVE record with this reason is still waiting for its scan (PENDING)."""


_C, _N, _P = CoverageStatus.COVERED, CoverageStatus.NOT_COVERED, CoverageStatus.PENDING
_S, _E, _U = CoverageStatus.STOPPED, CoverageStatus.EXCLUDED, CoverageStatus.UNSUPPORTED
_NOT_EC2 = "a reason Inspector gives for {what}, not for EC2 instances"
_ASK = f"Check the record in the Inspector console; see {_API}"

SCAN_STATUS_REASONS: dict[ScanStatusReason, ReasonMapping] = {
    ScanStatusReason.SUCCESSFUL: ReasonMapping(_C, "The last scan was successful", None),
    ScanStatusReason.PENDING_INITIAL_SCAN: ReasonMapping(
        _P, "Identified for scanning; results will be available soon", None, pending=True
    ),
    ScanStatusReason.SCAN_IN_PROGRESS: ReasonMapping(
        _P, "The resource is being scanned now", None, pending=True
    ),
    ScanStatusReason.PENDING_REVIVAL_SCAN: ReasonMapping(
        _P, "A scan is pending after the resource became eligible again", None, pending=True
    ),
    ScanStatusReason.ACCESS_DENIED: ReasonMapping(
        _N,
        "A resource access policy keeps Inspector out",
        "Update the IAM or resource policy so Inspector can read the resource",
    ),
    ScanStatusReason.ACCESS_DENIED_TO_ENCRYPTION_KEY: ReasonMapping(
        _N,
        "The KMS key policy does not allow Inspector to read the encrypted volume",
        "Update the KMS key policy to allow Inspector's agentless service-linked role",
    ),
    ScanStatusReason.INTERNAL_ERROR: ReasonMapping(
        _N,
        "Inspector hit an internal error for this resource; it resolves it and resumes "
        "scanning by itself",
        "Nothing to do; if it lasts, contact AWS Support",
    ),
    ScanStatusReason.UNMANAGED_EC2_INSTANCE: ReasonMapping(
        _N,
        "Not managed by Systems Manager, so the agent cannot scan it",
        "Make it SSM-managed (AWSSupport-TroubleshootManagedInstance), or use hybrid scan mode",
    ),
    ScanStatusReason.RESOURCE_UNMANAGED: ReasonMapping(
        _N,
        "The resource is not managed, so Inspector's agent-based scan cannot reach it",
        "Make it SSM-managed, or use hybrid scan mode",
    ),
    ScanStatusReason.UNSUPPORTED_OS: ReasonMapping(
        _U,
        "Inspector does not support this OS, architecture or image type",
        "Move to a supported OS (https://docs.aws.amazon.com/inspector/latest/user/supported.html)",
    ),
    ScanStatusReason.RESOURCE_TERMINATED: ReasonMapping(
        _S, "Terminated: its findings and coverage are being cleaned up", None
    ),
    ScanStatusReason.EC2_INSTANCE_STOPPED: ReasonMapping(
        _S,
        "Stopped: scanning is paused, findings stay until termination, and it is not billed",
        None,
    ),
    ScanStatusReason.RESOURCE_STOPPED: ReasonMapping(
        _S, "Stopped: scanning is paused until the resource runs again, and it is not billed", None
    ),
    ScanStatusReason.PENDING_DISABLE: ReasonMapping(
        _N,
        "Pending cleanup while Inspector is being disabled; not billed",
        "Nothing to do, unless EC2 scanning should stay enabled: enable it again",
    ),
    ScanStatusReason.EXCLUDED_BY_TAG: ReasonMapping(_E, "Excluded from scans by a tag", None),
    ScanStatusReason.NO_INVENTORY: ReasonMapping(
        _N,
        "Inspector found no software inventory to scan",
        "Check the InspectorInventoryCollection-do-not-delete association and the instance's "
        "inventory in Fleet Manager",
    ),
    ScanStatusReason.STALE_INVENTORY: ReasonMapping(
        _N,
        "Inspector could not collect an updated software inventory in the last 7 days",
        "Check the Inspector SSM associations still exist and SSM shows a fresh inventory",
    ),
    ScanStatusReason.DEEP_INSPECTION_PACKAGE_COLLECTION_LIMIT_EXCEEDED: ReasonMapping(
        _N,
        "Over the 5000-package limit of deep inspection",
        "Narrow the deep inspection custom paths of the account",
    ),
    ScanStatusReason.DEEP_INSPECTION_DAILY_SSM_INVENTORY_LIMIT_EXCEEDED: ReasonMapping(
        _N,
        "The SSM quota of inventory data per instance per day is used up",
        "Reduce the inventory the instance sends (fewer deep inspection paths)",
    ),
    ScanStatusReason.DEEP_INSPECTION_COLLECTION_TIME_LIMIT_EXCEEDED: ReasonMapping(
        _N,
        "Collecting the package inventory took longer than 15 minutes",
        "Narrow the deep inspection custom paths of the account",
    ),
    ScanStatusReason.DEEP_INSPECTION_NO_INVENTORY: ReasonMapping(
        _N,
        "The Inspector plugin has not collected a package inventory yet (usually a pending scan)",
        "If it lasts over 6 hours, check the Inspector SSM associations run on the instance",
    ),
    ScanStatusReason.AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED: ReasonMapping(
        _N,
        "Over an agentless storage limit (too many volumes, or over 1200 GB in all)",
        "Make it SSM-managed, or bring it within both agentless limits (volumes and 1200 GB)",
    ),
    ScanStatusReason.AGENTLESS_INSTANCE_COLLECTION_TIME_LIMIT_EXCEEDED: ReasonMapping(
        _N,
        "The agentless scan ran out of collection time",
        "Make it SSM-managed so the agent scans it",
    ),
    ScanStatusReason.EXTRACTION_COLLECTION_TIME_LIMIT_EXCEEDED: ReasonMapping(
        _N, "Extracting the resource's contents ran out of time", _ASK
    ),
    ScanStatusReason.STORAGE_LIMIT_EXCEEDED: ReasonMapping(
        _N, "The resource exceeds a storage limit of the scan", _ASK
    ),
    ScanStatusReason.INVALID_ARTIFACT: ReasonMapping(
        _N, "The artifact is malformed and could not be safely extracted", _ASK
    ),
    ScanStatusReason.NO_RESOURCES_FOUND: ReasonMapping(_N, "Reserved for future use", _ASK),
    ScanStatusReason.IMAGE_SIZE_EXCEEDED: ReasonMapping(_N, "Reserved for future use", _ASK),
    ScanStatusReason.UNSUPPORTED_CONFIG_FILE: ReasonMapping(_N, "Reserved for future use", _ASK),
    ScanStatusReason.SCAN_ELIGIBILITY_EXPIRED: ReasonMapping(
        _N, _NOT_EC2.format(what="ECR images (scan duration lapsed)"), _ASK
    ),
    ScanStatusReason.SCAN_FREQUENCY_MANUAL: ReasonMapping(
        _N, _NOT_EC2.format(what="ECR images (manual scan frequency)"), _ASK
    ),
    ScanStatusReason.SCAN_FREQUENCY_SCAN_ON_PUSH: ReasonMapping(
        _N, _NOT_EC2.format(what="ECR images (scan on push)"), _ASK
    ),
    ScanStatusReason.UNSUPPORTED_MEDIA_TYPE: ReasonMapping(
        _N, _NOT_EC2.format(what="ECR images (unsupported media type)"), _ASK
    ),
    ScanStatusReason.IMAGE_ARCHIVED: ReasonMapping(
        _N, _NOT_EC2.format(what="archived ECR images"), _ASK
    ),
    ScanStatusReason.UNSUPPORTED_RUNTIME: ReasonMapping(
        _N, _NOT_EC2.format(what="Lambda functions (unsupported runtime)"), _ASK
    ),
    ScanStatusReason.UNSUPPORTED_CODE_ARTIFACTS: ReasonMapping(
        _N, _NOT_EC2.format(what="Lambda functions (unsupported code artifacts)"), _ASK
    ),
    ScanStatusReason.INTEGRATION_CONNECTION_LOST: ReasonMapping(
        _N, _NOT_EC2.format(what="code repositories (integration connection lost)"), _ASK
    ),
    ScanStatusReason.UNSUPPORTED_LANGUAGE: ReasonMapping(
        _N, _NOT_EC2.format(what="code repositories (unsupported language)"), _ASK
    ),
    ScanStatusReason.NO_SCAN_CONFIGURATION_ASSOCIATED: ReasonMapping(
        _N, _NOT_EC2.format(what="code repositories (no scan configuration)"), _ASK
    ),
}
"""Every ``ScanStatusReason`` value and what the analysis makes of it."""

UNKNOWN_REASON = ReasonMapping(
    _N, "A reason this version of inspector_kit does not know", f"See {_API}"
)
"""The mapping of a reason value the library does not know (a newer service model)."""


def reason_mapping(reason: ScanStatusReason | str | None) -> ReasonMapping:
    """The mapping of one ``scanStatus.reason``; unknown values get ``UNKNOWN_REASON``.

    Examples:
        >>> reason_mapping("EXCLUDED_BY_TAG").status.value
        'EXCLUDED'
        >>> reason_mapping("SOMETHING_NEW") is UNKNOWN_REASON
        True
    """
    try:
        return SCAN_STATUS_REASONS[ScanStatusReason(reason)]
    except (ValueError, KeyError):
        return UNKNOWN_REASON
