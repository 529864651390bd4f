"""Amazon ECR image scan findings: what ``describe-image-scan-findings`` prints.

With enhanced scanning, ECR's ``DescribeImageScanFindings`` returns Inspector's findings
for the image in ``imageScanFindings.enhancedFindings`` (service model shape
``EnhancedImageScanFinding``), in nearly Inspector's own shape: the Inspector score is
``score`` and its details ``scoreDetails.cvss`` (Inspector: ``inspectorScore`` and
``inspectorScoreDetails.adjustedCvss``), and the recommendation's link is ``url``
(Inspector: ``Url``). With basic scanning it returns ``imageScanFindings.findings``
(``ImageScanFinding``: ``name``, ``uri``, ``severity``, ``attributes``), which are ECR's
own scanner's results, not Inspector findings: they are skipped, each with its reason.

Timestamps come as ISO 8601 strings (AWS CLI v2), epoch seconds (AWS CLI v1, the raw API)
or ``datetime`` objects (a boto3 response in memory); ``Finding.from_api`` reads all three.
Facts and assumptions: docs/facts.md, section "Amazon ECR enhanced scanning findings".
Pure: no boto3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspector_kit.errors import FindingParseError

__all__ = ["ECR_NOT_CARRIED", "ecr_hint", "ecr_items", "ecr_to_api", "is_ecr_record"]

#: Inspector finding members that an ECR enhanced finding does not carry.
ECR_NOT_CARRIED = (
    "inspectorScoreDetails.adjustedCvss.cvssSource",
    "resources[].partition, resources[].region, resources[].provider",
    "resources[].details other than awsEcrContainerImage",
    "packageVulnerabilityDetails.vulnerablePackages[].remediation, sourceLambdaLayerArn, purl",
    "networkReachabilityDetails, codeVulnerabilityDetails, exploitabilityDetails, epss",
)

_FINDINGS = "imageScanFindings"
_RESPONSE_KEYS = frozenset(
    {
        _FINDINGS,
        "imageScanStatus",
        "imageId",
        "repositoryName",
        "registryId",
        "nextToken",
        "ResponseMetadata",  # boto3's, on a response held in memory
    }
)
_HINT_KEYS = frozenset({_FINDINGS, "imageScanStatus", "imageId"})
_BASIC_KEYS = frozenset({"name", "uri", "severity", "attributes"})


def _lower_url(record: Mapping[str, Any]) -> bool:
    remediation = record.get("remediation")
    rec = remediation.get("recommendation") if isinstance(remediation, Mapping) else None
    return isinstance(rec, Mapping) and "url" in rec


def _is_enhanced(record: Mapping[str, Any]) -> bool:
    # Inspector's own findings never have "score"/"scoreDetails" at the top level, nor a
    # lower-case recommendation "url". An ECR finding with none of these (no score, no
    # link) is read as Inspector's: the two shapes then hold the same members.
    return (
        "findingArn" in record
        and "inspectorScore" not in record
        and ("score" in record or "scoreDetails" in record or _lower_url(record))
    )


def _is_basic(record: Mapping[str, Any]) -> bool:
    # ImageScanFinding: every member optional; a name and a severity with a uri or the
    # attributes list is what ECR's basic scanning always writes.
    return (
        "findingArn" not in record
        and "name" in record
        and "severity" in record
        and ("uri" in record or isinstance(record.get("attributes"), list))
        and set(record) <= _BASIC_KEYS | {"description"}
    )


def _is_response(record: Mapping[str, Any]) -> bool:
    return isinstance(record.get(_FINDINGS), Mapping) and set(record) <= _RESPONSE_KEYS


def is_ecr_record(record: Mapping[str, Any]) -> bool:
    """Whether ``record`` is an ECR enhanced or basic scan finding, or a whole response.

    A whole ``DescribeImageScanFindings`` response counts, so that the loader accepts a
    file holding one; its findings are read through :func:`ecr_items`.

    Examples:
        >>> is_ecr_record({"findingArn": "arn:aws:inspector2:...", "score": 7.5})
        True
        >>> is_ecr_record({"findingArn": "arn:aws:inspector2:...", "inspectorScore": 7.5})
        False
        >>> is_ecr_record({"name": "CVE-2019-5188", "severity": "MEDIUM", "uri": "https://x"})
        True
    """
    return _is_enhanced(record) or _is_basic(record) or _is_response(record)


def ecr_items(document: Mapping[str, Any]) -> list[Any] | None:
    """The findings a ``DescribeImageScanFindings`` response holds, or ``None``.

    Enhanced findings first, then basic ones (a response holds one kind or the other).

    Examples:
        >>> ecr_items({"imageScanFindings": {"enhancedFindings": [{"findingArn": "a"}]}})
        [{'findingArn': 'a'}]
        >>> ecr_items({"findings": []}) is None
        True
    """
    if not _is_response(document):
        return None
    held = document[_FINDINGS]
    found: list[Any] = []
    for key in ("enhancedFindings", "findings"):
        value = held.get(key)
        if isinstance(value, (list, tuple)):
            found.extend(value)
    return found


def ecr_to_api(record: Mapping[str, Any]) -> dict[str, Any] | str:
    """The Inspector API payload of an ECR enhanced finding, or why the record is skipped.

    Raises:
        FindingParseError: an enhanced finding whose members have the wrong JSON type.

    Examples:
        >>> api = ecr_to_api({"findingArn": "arn:aws:inspector2:us-east-1:1:finding/f",
        ...     "score": 7.5, "scoreDetails": {"cvss": {"score": 7.5, "version": "3.1"}},
        ...     "remediation": {"recommendation": {"url": "https://x", "text": "t"}}})
        >>> api["inspectorScore"], api["inspectorScoreDetails"]["adjustedCvss"]["score"]
        (7.5, 7.5)
        >>> api["remediation"]
        {'recommendation': {'text': 't', 'Url': 'https://x'}}
        >>> ecr_to_api({"name": "CVE-2019-5188", "severity": "MEDIUM", "uri": "https://x"})
        "ECR basic scanning finding 'CVE-2019-5188' (ECR's own scanner, not Amazon Inspector)"
    """
    if not _is_enhanced(record):
        if _is_basic(record):
            name = record.get("name")
            return f"ECR basic scanning finding {name!r} (ECR's own scanner, not Amazon Inspector)"
        return "a DescribeImageScanFindings response nested in another one"
    try:
        return _to_api(record)
    except (AttributeError, TypeError) as exc:
        raise FindingParseError(
            f"not a valid ECR enhanced scan finding ({type(exc).__name__}: {exc})",
            record.get("findingArn"),
        ) from None


def _to_api(record: Mapping[str, Any]) -> dict[str, Any]:
    payload = {k: v for k, v in record.items() if k not in ("score", "scoreDetails")}
    if record.get("score") is not None:
        payload["inspectorScore"] = record["score"]
    cvss = (record.get("scoreDetails") or {}).get("cvss")
    if cvss is not None:
        payload["inspectorScoreDetails"] = {"adjustedCvss": dict(cvss)}
    remediation = record.get("remediation")
    if remediation is not None:
        rec = dict(remediation.get("recommendation") or {})
        if "url" in rec:
            rec["Url"] = rec.pop("url")
        payload["remediation"] = {**remediation, "recommendation": rec}
    return payload


def ecr_hint(keys: Sequence[str]) -> str | None:
    """What an object with these keys looks like, when it is an empty ECR response.

    Examples:
        >>> ecr_hint(["imageScanStatus", "repositoryName"])[:39]
        'looks like an ECR DescribeImageScanFind'
        >>> ecr_hint(["other"]) is None
        True
    """
    if not any(k in _HINT_KEYS for k in keys):
        return None
    return (
        "looks like an ECR DescribeImageScanFindings response but holds no findings: "
        'expected {"imageScanFindings": {"enhancedFindings": [...]}}'
    )
