"""Threat intelligence on findings: ``BatchGetFindingDetails``.

``FindingDetail`` and ``FindingDetailsError`` are the items of the response's
``findingDetails`` and ``errors``. One class per botocore structure (the class name is
the shape name), one attribute per member (the snake_case of the member name,
documented with the member it reads).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from ._codec import (
    DOUBLE,
    INTEGER,
    STRING,
    STRING_LIST,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    ListCodec,
    ModelCodec,
    api_model,
    member,
)
from ._enums import FindingDetailsErrorCode
from ._regional import RegionalModel

__all__ = [
    "CisaData",
    "Evidence",
    "ExploitObserved",
    "FindingDetail",
    "FindingDetailsError",
]


@api_model("CisaData")
@attrs.frozen(kw_only=True)
class CisaData(ApiModel):
    """API ``CisaData``: the vulnerability's entry in CISA's Known Exploited Vulnerabilities.

    Examples:
        >>> c = CisaData.from_api({"dateAdded": "2023-10-10T00:00:00Z",
        ...     "dateDue": "2023-10-31T00:00:00Z",
        ...     "action": "Apply mitigations per vendor instructions."})
        >>> (c.date_due - c.date_added).days
        21
    """

    date_added: datetime | None = member("dateAdded", TIMESTAMP)
    """API ``dateAdded``: when CISA listed it (aware UTC)."""
    date_due: datetime | None = member("dateDue", TIMESTAMP)
    """API ``dateDue``: CISA's remediation deadline for US federal agencies (aware UTC)."""
    action: str | None = member("action", STRING)
    """API ``action``: CISA's required action."""


@api_model("Evidence")
@attrs.frozen(kw_only=True)
class Evidence(ApiModel):
    """API ``Evidence``: one piece of threat intelligence behind a finding's details.

    Examples:
        >>> Evidence.from_api({"evidenceRule": "EXPLOIT_PUBLISHED",
        ...     "severity": "HIGH"}).evidence_rule
        'EXPLOIT_PUBLISHED'
    """

    evidence_rule: str | None = member("evidenceRule", STRING)
    """API ``evidenceRule``."""
    evidence_detail: str | None = member("evidenceDetail", STRING)
    """API ``evidenceDetail``."""
    severity: str | None = member("severity", STRING)
    """API ``severity`` (free text here, unlike a finding's severity)."""


@api_model("ExploitObserved")
@attrs.frozen(kw_only=True)
class ExploitObserved(ApiModel):
    """API ``ExploitObserved``: when exploitation was seen in the wild.

    Examples:
        >>> e = ExploitObserved.from_api({"firstSeen": "2023-10-11T00:00:00Z",
        ...     "lastSeen": "2026-11-01T00:00:00Z"})
        >>> e.first_seen.year, e.last_seen.year
        (2023, 2026)
    """

    last_seen: datetime | None = member("lastSeen", TIMESTAMP)
    """API ``lastSeen`` (aware UTC)."""
    first_seen: datetime | None = member("firstSeen", TIMESTAMP)
    """API ``firstSeen`` (aware UTC)."""


@api_model("FindingDetail")
@attrs.frozen(kw_only=True)
class FindingDetail(RegionalModel):
    """API ``FindingDetail``: threat intelligence on one finding (KEV, EPSS, exploits, TTPs).

    One item of ``BatchGetFindingDetails``' ``findingDetails`` (docs/facts.md#exports); ``region``
    is set by the fetcher.

    Examples:
        >>> d = FindingDetail.from_api({
        ...     "findingArn": "arn:aws:inspector2:us-east-1:111122223333:finding/"
        ...                   "0123456789abcdef0123456789abcdef",
        ...     "cisaData": {"dateAdded": "2023-10-10T00:00:00Z",
        ...                  "dateDue": "2023-10-31T00:00:00Z"},
        ...     "epssScore": 0.94, "ttps": ["T1190"], "tools": ["metasploit"],
        ...     "cwes": ["CWE-787"], "riskScore": 99}, region="us-east-1")
        >>> d.epss_score, d.ttps, d.cisa_data.date_due.date().isoformat()
        (0.94, ('T1190',), '2023-10-31')
    """

    finding_arn: str | None = member("findingArn", STRING)
    """API ``findingArn``: the finding these details are about."""
    cisa_data: CisaData | None = member("cisaData", ModelCodec(CisaData))
    """API ``cisaData``: present when the vulnerability is in CISA's KEV catalogue."""
    risk_score: int | None = member("riskScore", INTEGER)
    """API ``riskScore``."""
    evidences: tuple[Evidence, ...] | None = member("evidences", ListCodec(ModelCodec(Evidence)))
    """API ``evidences``."""
    ttps: tuple[str, ...] | None = member("ttps", STRING_LIST)
    """API ``ttps``: MITRE ATT&CK tactics, techniques and procedures."""
    tools: tuple[str, ...] | None = member("tools", STRING_LIST)
    """API ``tools``: tools known to exploit the vulnerability."""
    exploit_observed: ExploitObserved | None = member(
        "exploitObserved", ModelCodec(ExploitObserved)
    )
    """API ``exploitObserved``."""
    reference_urls: tuple[str, ...] | None = member("referenceUrls", STRING_LIST)
    """API ``referenceUrls``."""
    cwes: tuple[str, ...] | None = member("cwes", STRING_LIST)
    """API ``cwes``."""
    epss_score: float | None = member("epssScore", DOUBLE)
    """API ``epssScore``: EPSS probability of exploitation in the next 30 days, 0 to 1."""


@api_model("FindingDetailsError")
@attrs.frozen(kw_only=True)
class FindingDetailsError(RegionalModel):
    """API ``FindingDetailsError``: why details for one finding could not be returned.

    One item of ``BatchGetFindingDetails``' ``errors``; ``region`` is set by the fetcher.
    A value, not an exception: it keeps the name of the API shape it models, as every
    model does (a test pins each model to its botocore shape).

    Examples:
        >>> e = FindingDetailsError.from_api({
        ...     "findingArn": "arn:aws:inspector2:us-east-1:111122223333:finding/"
        ...                   "0123456789abcdef0123456789abcdef",
        ...     "errorCode": "FINDING_DETAILS_NOT_FOUND", "errorMessage": "not found"})
        >>> e.error_code
        <FindingDetailsErrorCode.FINDING_DETAILS_NOT_FOUND: 'FINDING_DETAILS_NOT_FOUND'>
    """

    # Kept by from_api_lenient only with these (they identify the record).
    __api_essential__: ClassVar[frozenset[str]] = frozenset({"findingArn"})

    finding_arn: str = member("findingArn", STRING, required=True)
    """API ``findingArn`` (required)."""
    error_code: FindingDetailsErrorCode | str = member(
        "errorCode", EnumCodec(FindingDetailsErrorCode), required=True
    )
    """API ``errorCode`` (required); open enum."""
    error_message: str = member("errorMessage", STRING, required=True)
    """API ``errorMessage`` (required)."""
