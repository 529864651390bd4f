"""Which EC2 instances Inspector scans, how, what it misses, and how to fix it.

Pure: build [`Ec2Instance`][inspector_kit.coverage.Ec2Instance] values yourself or gather them with
``Inspector.inventory()``, then call [`analyze`][inspector_kit.coverage.analyze]. The rules follow
docs/facts.md#ec2 and https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html.

Renamed: the deep inspection settings the analysis reads are
    [`DeepInspectionSettings`][inspector_kit.coverage.DeepInspectionSettings]
(``inspector_kit.coverage.DeepInspectionConfiguration`` still works, with a
``DeprecationWarning``), distinct from the API model
[`DeepInspectionConfiguration`][inspector_kit.models.DeepInspectionConfiguration]. Options are
keyword-only: ``detection_gap(findings, deep_inspection=...)``, ``os_support(..., now=...)``.

Examples:
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

import warnings
from typing import Any

from inspector_kit.errors import CoverageInputError

from ._analysis import (
    AGENTLESS_MAX_GIB,
    AGENTLESS_MAX_VOLUMES,
    STALE_INVENTORY_AFTER,
    VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION,
    VM_SCANNER_WINDOWS_LANGUAGES,
    VM_SCANNER_WINDOWS_SBOM,
    analyze,
)
from ._gaps import DetectionGap, GapItem, detection_gap
from ._inventory import Inventory
from ._model import (
    DEFAULT_DEEP_INSPECTION_PATHS,
    EXCLUSION_TAG,
    DeepInspectionSettings,
    Ec2Instance,
    ScanConfiguration,
    ScanMethod,
    SsmStatus,
    Volume,
)
from ._os import END_OF_LIFE_SCAN_TAIL_MONTHS, OsStatus, OsSupport, os_support
from ._paths import (
    MAX_DEEP_INSPECTION_PATH_LENGTH,
    MAX_DEEP_INSPECTION_PATHS,
    PathProblem,
    check_deep_inspection_paths,
)
from ._report import (
    AGENTLESS_CADENCE,
    COVERAGE_GROUP_COLUMNS,
    DEEP_INSPECTION_INVENTORY_INTERVAL,
    LINUX_AGENT_CADENCE,
    LINUX_DEEP_INSPECTION_CADENCE,
    METHOD_LANGUAGES,
    NETWORK_REACHABILITY_INTERVAL,
    VM_SCANNER_CADENCE,
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
    "COVERAGE_GROUP_COLUMNS",
    "DEEP_INSPECTION_INVENTORY_INTERVAL",
    "DEFAULT_DEEP_INSPECTION_PATHS",
    "END_OF_LIFE_SCAN_TAIL_MONTHS",
    "EXCLUSION_TAG",
    "LINUX_AGENT_CADENCE",
    "LINUX_DEEP_INSPECTION_CADENCE",
    "MAX_DEEP_INSPECTION_PATHS",
    "MAX_DEEP_INSPECTION_PATH_LENGTH",
    "METHOD_LANGUAGES",
    "NETWORK_REACHABILITY_INTERVAL",
    "STALE_INVENTORY_AFTER",
    "VM_SCANNER_CADENCE",
    "VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION",
    "VM_SCANNER_WINDOWS_LANGUAGES",
    "VM_SCANNER_WINDOWS_SBOM",
    "WINDOWS_AGENT_CADENCE",
    "CoverageInputError",
    "CoverageReport",
    "CoverageStatus",
    "DeepInspectionSettings",
    "DetectionGap",
    "Ec2Instance",
    "GapItem",
    "InstanceCoverage",
    "Inventory",
    "OsStatus",
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


_RENAMED = {"DeepInspectionConfiguration": ("DeepInspectionSettings", DeepInspectionSettings)}


def __getattr__(name: str) -> Any:
    """The renamed spellings: warn, naming the new one, and give the new object."""
    if name in _RENAMED:
        new, value = _RENAMED[name]
        warnings.warn(
            f"inspector_kit.coverage.{name} is deprecated: use "
            f"inspector_kit.coverage.{new} (inspector_kit.models.{name} is the API "
            "response model, a different class)",
            DeprecationWarning,
            stacklevel=2,
        )
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
