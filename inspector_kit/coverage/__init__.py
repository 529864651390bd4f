"""Which EC2 instances Inspector scans, how, what it misses, and how to fix it.

Pure: build :class:`Ec2Instance` values yourself or gather them with
``Inspector.inventory()``, then call :func:`analyze`. The rules follow DOMAIN.md §4 and
https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html.

Example:
    >>> from datetime import datetime, timezone
    >>> from inspector_kit.coverage import Ec2Instance, SsmStatus, analyze
    >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    >>> i = Ec2Instance("i-1", account_id="111122223333", region="us-east-1",
    ...     os_name="Ubuntu", os_version="22.04",
    ...     ssm=SsmStatus(managed=True, ping_status="Online", last_inventory_at=now))
    >>> analyze([i], configuration="EC2_HYBRID", now=now)[0].expected_method
    <ScanMethod.AGENT_BASED: 'AGENT_BASED'>
"""

from __future__ import annotations

from ._analysis import (
    AGENTLESS_MAX_GIB,
    AGENTLESS_MAX_VOLUMES,
    STALE_INVENTORY_AFTER,
    CoverageInputError,
    analyze,
)
from ._deep import (
    MAX_DEEP_INSPECTION_PATH_LENGTH,
    MAX_DEEP_INSPECTION_PATHS,
    DetectionGap,
    GapItem,
    PathProblem,
    check_deep_inspection_paths,
    detection_gap,
)
from ._model import (
    DEFAULT_DEEP_INSPECTION_PATHS,
    EXCLUSION_TAG,
    DeepInspectionConfiguration,
    Ec2Instance,
    Inventory,
    ScanConfiguration,
    ScanMethod,
    SsmStatus,
    Volume,
)
from ._os import OsSupport, os_support
from ._report import (
    AGENTLESS_CADENCE,
    LINUX_AGENT_CADENCE,
    WINDOWS_AGENT_CADENCE,
    CoverageReport,
    CoverageStatus,
    InstanceCoverage,
    Reason,
    ReasonKind,
    ScanCadence,
)

__all__ = [
    "AGENTLESS_CADENCE",
    "AGENTLESS_MAX_GIB",
    "AGENTLESS_MAX_VOLUMES",
    "DEFAULT_DEEP_INSPECTION_PATHS",
    "EXCLUSION_TAG",
    "LINUX_AGENT_CADENCE",
    "MAX_DEEP_INSPECTION_PATHS",
    "MAX_DEEP_INSPECTION_PATH_LENGTH",
    "STALE_INVENTORY_AFTER",
    "WINDOWS_AGENT_CADENCE",
    "CoverageInputError",
    "CoverageReport",
    "CoverageStatus",
    "DeepInspectionConfiguration",
    "DetectionGap",
    "Ec2Instance",
    "GapItem",
    "InstanceCoverage",
    "Inventory",
    "OsSupport",
    "PathProblem",
    "Reason",
    "ReasonKind",
    "ScanCadence",
    "ScanConfiguration",
    "ScanMethod",
    "SsmStatus",
    "Volume",
    "analyze",
    "check_deep_inspection_paths",
    "detection_gap",
    "os_support",
]
