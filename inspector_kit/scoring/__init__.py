"""Scoring: exact CVSS vectors, network exposure policies, and explainable rescoring.

The untyped ``cvss`` package is imported here and nowhere else in inspector_kit.

Examples:
    >>> from inspector_kit.scoring import parse_vector, severity_for_score
    >>> v = parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    >>> v.score, v.severity, severity_for_score(v.score)
    (9.8, 'CRITICAL', <Severity.CRITICAL: 'CRITICAL'>)
"""

from ._exposure import ExposurePolicy, ExposureRule, NetworkExposure, TagRequirement
from ._rescore import (
    BASE_CVSS_COLUMNS,
    REACHABILITY_UNKNOWN_VALUE,
    Adjustment,
    FindingReachability,
    Rescore,
    Rescores,
    SeverityChange,
    WhatIf,
    base_cvss_columns,
    exposures_from_findings,
    finding_reachability,
    rescore,
    rescore_all,
    what_if,
)
from ._table import TABLE_INPUT_COLUMNS, rescore_batches, rescore_table
from ._vectors import (
    CACHE_SIZE,
    CvssRating,
    CvssVector,
    InvalidVectorError,
    parse_vector,
    severity_for_score,
)

__all__ = [
    "BASE_CVSS_COLUMNS",
    "CACHE_SIZE",
    "REACHABILITY_UNKNOWN_VALUE",
    "TABLE_INPUT_COLUMNS",
    "Adjustment",
    "CvssRating",
    "CvssVector",
    "ExposurePolicy",
    "ExposureRule",
    "FindingReachability",
    "InvalidVectorError",
    "NetworkExposure",
    "Rescore",
    "Rescores",
    "SeverityChange",
    "TagRequirement",
    "WhatIf",
    "base_cvss_columns",
    "exposures_from_findings",
    "finding_reachability",
    "parse_vector",
    "rescore",
    "rescore_all",
    "rescore_batches",
    "rescore_table",
    "severity_for_score",
    "what_if",
]

# Module paths that became private: ``scoring.exposure`` and the like still resolve, to
# modules whose every name warns (see inspector_kit._deprecated).
_MOVED_MODULES = frozenset({"exposure", "vectors"})


def __getattr__(name: str) -> object:
    if name in _MOVED_MODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
