"""Which EC2 instances Inspector scans, how, what it misses, and how to fix it.

Pure: build :class:`Ec2Instance` values yourself or gather them with
``Inspector.inventory()``, then call :func:`analyze`.
"""

from __future__ import annotations

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

__all__ = [
    "DEFAULT_DEEP_INSPECTION_PATHS",
    "EXCLUSION_TAG",
    "DeepInspectionConfiguration",
    "Ec2Instance",
    "Inventory",
    "ScanConfiguration",
    "ScanMethod",
    "SsmStatus",
    "Volume",
]
