"""Criteria whose values are a closed set in the service model, and the check against it.

``severity="critical"`` or ``resource_type="EC2"`` would silently match nothing (a CI gate
that goes green), so a string filter on one of these criteria must be able to match.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from inspector_kit.errors import CriteriaError
from inspector_kit.models import (
    CodeRepositoryProviderType,
    CoverageResourceType,
    ExploitAvailable,
    FindingStatus,
    FindingType,
    FixAvailable,
    NetworkProtocol,
    ResourceType,
    Runtime,
    RuntimeReachability,
    RuntimeReachabilityReason,
    ScanMode,
    ScanStatusCode,
    ScanStatusReason,
    ScanType,
    Severity,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from enum import Enum

    from ._filters import StringFilter

__all__ = ["CLOSED_VALUES", "check_closed"]


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


# ``PurlQualifierKey``: the qualifier keys a ``PackageFilter.purlQualifier`` can name. Not a
# public enum: no finding or response member carries it (the PURL itself is a string).
_PURL_QUALIFIER_KEYS = (
    "arch",
    "collector",
    "dev_dependency",
    "distro",
    "epoch",
    "go_toolchain",
    "hardened",
    "private",
    "rust_toolchain",
    "scope",
    "skip_chromium_download",
    "source",
    "stream",
    "transitive_dependency",
    "unresolved",
    "vendor",
)

CLOSED_VALUES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "FilterCriteria": {
        # criterion -> the values of the finding member it compares (an enum in the model)
        "findingType": _values(FindingType),  # Finding.type
        "severity": _values(Severity),  # Finding.severity
        "findingStatus": _values(FindingStatus),  # Finding.status
        "resourceType": _values(ResourceType),  # Resource.type
        "networkProtocol": _values(NetworkProtocol),  # NetworkReachabilityDetails.protocol
        "fixAvailable": _values(FixAvailable),  # Finding.fixAvailable
        "exploitAvailable": _values(ExploitAvailable),  # Finding.exploitAvailable
        "lambdaFunctionRuntime": _values(Runtime),  # AwsLambdaFunctionDetails.runtime
        "codeRepositoryProviderType": _values(CodeRepositoryProviderType),
    },
    "CoverageFilterCriteria": {
        "scanStatusCode": _values(ScanStatusCode),  # ScanStatus.statusCode
        "scanStatusReason": _values(ScanStatusReason),  # ScanStatus.reason
        "resourceType": _values(CoverageResourceType),  # CoveredResource.resourceType
        "scanType": _values(ScanType),  # CoveredResource.scanType
        "scanMode": _values(ScanMode),  # CoveredResource.scanMode
        "lambdaFunctionRuntime": _values(Runtime),  # LambdaFunctionMetadata.runtime
    },
    "PackageFilter": {
        # part -> the values it compares (RuntimeReachabilityFilter.value, ... .key)
        "runtimeReachability": _values(RuntimeReachability),
        "runtimeReachabilityReason": _values(RuntimeReachabilityReason),
        "purlQualifier": _PURL_QUALIFIER_KEYS,  # PurlQualifierFilter.key
    },
}
"""Criteria whose values are a closed set in the service model, and the set, per shape.

A string filter on one of these must be able to match: EQUALS and NOT_EQUALS take one of
the values, PREFIX a prefix of one (``StringFilter(..., check=False)`` skips the check).
``"PackageFilter"`` holds the parts of a
[`PackageFilter`][inspector_kit.criteria.PackageFilter] that compare a closed set: the
``runtimeReachability`` and ``runtimeReachabilityReason`` values, and the ``purlQualifier``
keys (``PurlQualifierKey``).

Examples:
    >>> CLOSED_VALUES["FilterCriteria"]["severity"]
    ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNTRIAGED')
    >>> CLOSED_VALUES["PackageFilter"]["runtimeReachability"]
    ('REACHABLE', 'NOT_REACHABLE', 'UNKNOWN')
"""


def likely_value(value: str, allowed: tuple[str, ...]) -> str | None:
    """The valid value the user most likely meant: same letters, a part, or close."""
    folded = value.casefold()
    for candidate in allowed:
        if candidate.casefold() == folded:
            return candidate
    containing = [c for c in allowed if folded and folded in c.casefold()]
    if len(containing) == 1:
        return containing[0]
    close = difflib.get_close_matches(value.upper(), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def check_closed(item: StringFilter, allowed: tuple[str, ...], path: str, api: str) -> None:
    """Raise ``CriteriaError`` at ``path`` if ``item`` on ``api`` can never match.

    EQUALS and NOT_EQUALS need a value of ``allowed``, PREFIX a prefix of one.

    Examples:
        >>> from inspector_kit.criteria import StringFilter
        >>> check_closed(StringFilter.prefix("CRIT"), ("HIGH", "CRITICAL"), "sev", "severity")
    """
    value = item.value
    if item.comparison == "PREFIX":
        if any(candidate.startswith(value) for candidate in allowed):
            return
        problem = f"no {api} value starts with {value!r}: this filter can never match"
        fixed = next((c for c in allowed if c.casefold().startswith(value.casefold())), None)
        guess = value.upper() if fixed is not None else None
    else:
        if value in allowed:
            return
        effect = (
            "can never match" if item.comparison == "EQUALS" else "excludes nothing (always true)"
        )
        problem = f"{value!r} is not a {api} value: this filter {effect}"
        guess = likely_value(value, allowed)
    hint = f" Did you mean {guess!r}?" if guess is not None else ""
    raise CriteriaError(
        f"{problem}.{hint} Valid values: {', '.join(allowed)}; "
        "StringFilter(..., check=False) sends one this version does not know.",
        path=path,
    )
