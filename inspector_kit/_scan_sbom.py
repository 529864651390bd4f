"""Read Inspector Scan API (``inspector-scan`` ``ScanSbom``) responses.

``ScanSbom`` answers ``{"sbom": <report>}``. The report is CycloneDX 1.5 with a
``vulnerabilities`` list (``outputFormat=CYCLONE_DX_1_5``, the default) or Inspector's own
JSON, ``{"messages": [...], "vulnerabilities": [...], "vulnerability_count": {...}}``
(``outputFormat=INSPECTOR``); the user guide also shows both inside ``{"status": ...,
"sbom"|"inspector": ...}``. See docs/facts.md#scan-api for the fields and their sources.

[`parse_scan_sbom`][inspector_kit.sbom.parse_scan_sbom] reads any of these into a
[`ScanSbomResult`][inspector_kit.sbom.ScanSbomResult]: one
[`ScanSbomVulnerability`][inspector_kit.sbom.ScanSbomVulnerability] per vulnerability and
affected component, joined to the component. Both output formats give the same records for
the same data. ``load_findings`` reads the same documents as findings through
[`scan_sbom_items`][inspector_kit._scan_sbom.scan_sbom_items] (the ``formats._foreign``
registry): the Scan API carries no finding ARN, account, region or observation time, so
[`ScanSbomVulnerability.to_api`][inspector_kit.sbom.ScanSbomVulnerability.to_api] fills
them as documented there.

This module is pure; ``packageurl`` is imported only when a PURL is parsed, so that
``import inspector_kit`` stays cheap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs

from ._sbom_model import SbomComponent, SbomIssue, _component_or_issue, _json_object, _parse_purl
from .errors import FindingParseError, SbomFormatError

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "ARN_PREFIX",
    "NO_OBSERVATION_TIME",
    "SCAN_SBOM_RESOURCE_TYPE",
    "ScanSbomCvss",
    "ScanSbomMessage",
    "ScanSbomResult",
    "ScanSbomVulnerability",
    "is_scan_sbom",
    "parse_scan_sbom",
    "scan_sbom_hint",
    "scan_sbom_items",
    "scan_sbom_to_api",
]

#: The start of the identifier that stands for the finding ARN of a Scan API record. The
#: fourth ``:`` field is empty on purpose: code that reads an ARN's region from it (as
#: ``Finding.region`` does) finds none. Not an AWS ARN.
ARN_PREFIX = "urn:inspector-kit:scan-sbom::"

#: ``firstObservedAt``/``lastObservedAt`` of a finding read from a report without
#: ``metadata.timestamp`` (the INSPECTOR format has none): the Unix epoch, meaning "unknown".
NO_OBSERVATION_TIME = "1970-01-01T00:00:00Z"

#: The resource type of a finding read from a Scan API report: the scanned SBOM (an open
#: enum value, kept as text by ``Resource``).
SCAN_SBOM_RESOURCE_TYPE = "INSPECTOR_SCAN_SBOM"

_NS = "amazon:inspector:sbom_scanner:"
_RECORD = "$inspectorScanSbom"  # the key of the per-vulnerability records items() returns
_SEVERITIES = {
    "critical": "CRITICAL",
    "high": "HIGH",
    "medium": "MEDIUM",
    "low": "LOW",
    "info": "INFORMATIONAL",
    "informational": "INFORMATIONAL",
    "none": "INFORMATIONAL",
}
_METHOD_VERSIONS = {"CVSSv2": "2.0", "CVSSv3": "3.0", "CVSSv31": "3.1", "CVSSv4": "4.0"}
_COUNT_KEYS = ("critical", "high", "medium", "low", "other")


@attrs.frozen
class ScanSbomCvss:
    """One CVSS score of a Scan API vulnerability.

    Attributes:
        source: Who scored it (``NVD``, ``GITHUB``, ``Ubuntu Linux``...).
        version: ``2.0``, ``3.0``, ``3.1`` or ``4.0``: from the vector's ``CVSS:x.y/``
            prefix, else the CycloneDX rating ``method``; an INSPECTOR-format ``cvss3``
            vector without a prefix is taken as ``3.1`` (docs/facts.md#scan-api).
        base_score: The base score.
        vector: The vector; a CVSS v3/v4 vector always starts with ``CVSS:x.y/``.
        severity: The scorer's severity as written (``critical``...), or ``None``.

    Examples:
        >>> ScanSbomCvss("NVD", "3.1", 9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ...     "critical").version
        '3.1'
    """

    source: str
    version: str
    base_score: float
    vector: str
    severity: str | None = None


@attrs.frozen
class ScanSbomMessage:
    """What the Scan API says about one component it did not report a vulnerability for.

    Attributes:
        info: The message (``Component skipped: no rules found.``, ``Component skipped:
            invalid purl``, ``Component scanned: no vulnerabilities found.``).
        name: The component's name, when the report gives it.
        purl: The component's PURL, when the report gives it.
        bom_ref: The component's ``bom-ref`` (CycloneDX format only).

    Examples:
        >>> ScanSbomMessage("Component skipped: invalid purl", name="foo").skipped
        True
    """

    info: str
    name: str | None = None
    purl: str | None = None
    bom_ref: str | None = None

    @property
    def skipped(self) -> bool:
        """Whether the Scan API skipped the component (``Component skipped: ...``)."""
        return self.info.lower().startswith("component skipped")


@attrs.frozen
class ScanSbomVulnerability:
    """One vulnerability of one component, as the Scan API reports it.

    Attributes:
        vulnerability_id: ``id`` (``CVE-2021-44228``).
        severity: The API ``Severity`` value (``CRITICAL``... ``INFORMATIONAL``,
            ``UNTRIAGED``): the INSPECTOR format's ``severity``; in CycloneDX, the rating of
            the vulnerability's ``source`` (NVD), else the first CVSS rating, else
            ``UNTRIAGED``.
        component: The affected component (CycloneDX: the one its ``affects`` ref names;
            INSPECTOR format: built from ``installed_version``, a PURL).
        cvss: The CVSS scores, sorted by source then version.
        inspector_score: The score of an ``AMAZON_INSPECTOR`` rating, when there is one
            (the Scan API does not compute Inspector's adjusted score), else ``None``.
        epss: The EPSS score (0 to 1), or ``None``.
        exploit_available: ``exploit_available``, or ``None`` when not given.
        exploit_last_seen: ``exploit_last_seen_in_public`` as written, or ``None``.
        kev_date_added: ``cisa_kev_date_added`` as written, or ``None``.
        kev_date_due: ``cisa_kev_date_due`` as written, or ``None``.
        fixed_version: The fixed version for this component, or ``None``.
        path: Where the component was found (``amazon:inspector:sbom_scanner:path``).
        source: The vulnerability's source name (``NVD``), or ``None``.
        source_url: The vulnerability's source URL, or ``None``.
        description: ``description``, or ``None``.
        related: Related advisory ids (``GHSA-...``, ``USN-...``).
        references: Reference URLs.
        cwes: CWE ids as text (``CWE-502``).
        created: ``created`` as written, or ``None``.
        updated: ``updated`` as written, or ``None``.

    Examples:
        >>> from inspector_kit.sbom import SbomComponent
        >>> v = ScanSbomVulnerability("CVE-2021-44228", "CRITICAL", SbomComponent(
        ...     name="log4j-core", version="2.12.1", type="library",
        ...     purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.12.1"))
        >>> v.vulnerability_id, v.component.name
        ('CVE-2021-44228', 'log4j-core')
    """

    vulnerability_id: str
    severity: str
    component: SbomComponent
    cvss: tuple[ScanSbomCvss, ...] = ()
    inspector_score: float | None = None
    epss: float | None = None
    exploit_available: bool | None = None
    exploit_last_seen: str | None = None
    kev_date_added: str | None = None
    kev_date_due: str | None = None
    fixed_version: str | None = None
    path: str | None = None
    source: str | None = None
    source_url: str | None = None
    description: str | None = None
    related: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    cwes: tuple[str, ...] = ()
    created: str | None = None
    updated: str | None = None

    def finding_arn(self, document_id: str) -> str:
        """The stable identifier that stands for this record's finding ARN.

        ``urn:inspector-kit:scan-sbom::<document>/<vulnerability>/<component>``, each part
        percent-encoded; the component is its PURL, else its ``bom-ref``, else its name.
        Not an AWS ARN: it names no partition, region or account.

        Examples:
            >>> from inspector_kit.sbom import SbomComponent
            >>> v = ScanSbomVulnerability("CVE-1", "LOW", SbomComponent(
            ...     name="a", version="1", type="library", purl="pkg:pypi/a@1"))
            >>> v.finding_arn("urn:uuid:42")
            'urn:inspector-kit:scan-sbom::urn%3Auuid%3A42/CVE-1/pkg%3Apypi%2Fa%401'
        """
        c = self.component
        key = c.purl or c.bom_ref or c.name
        parts = (document_id, self.vulnerability_id, key)
        return ARN_PREFIX + "/".join(quote(p, safe="") for p in parts)

    def to_api(
        self, *, document_id: str, resource_id: str, observed_at: str | None = None
    ) -> dict[str, Any]:
        """This record as the API payload of an Inspector ``PACKAGE_VULNERABILITY`` finding.

        What the Scan API does not carry is filled so that ``Finding.from_api`` reads it:
        ``findingArn`` is [`finding_arn`][inspector_kit.sbom.ScanSbomVulnerability.finding_arn],
        ``awsAccountId`` is ``""``, the one resource is ``{"type": "INSPECTOR_SCAN_SBOM",
        "id": resource_id}`` (no region, partition or tags), ``status`` is ``ACTIVE``, and
        ``firstObservedAt``/``lastObservedAt`` are ``observed_at`` (the report's
        ``metadata.timestamp``), else the Unix epoch (unknown). No ``inspectorScoreDetails``.

        Examples:
            >>> from inspector_kit.models import Finding
            >>> from inspector_kit.sbom import SbomComponent
            >>> v = ScanSbomVulnerability("CVE-1", "LOW", SbomComponent(
            ...     name="a", version="1", type="library", purl="pkg:pypi/a@1"),
            ...     fixed_version="2")
            >>> f = Finding.from_api(v.to_api(document_id="d", resource_id="app"))
            >>> f.vulnerability_id, f.region, f.fix_available == "YES", f.aws_account_id
            ('CVE-1', None, True, '')
        """
        c = self.component
        package: dict[str, Any] = {
            "name": c.name,
            "version": c.version or "",
            "purl": c.purl,
            "fixedInVersion": self.fixed_version,
            "filePath": self.path,
        }
        details: dict[str, Any] = {
            "vulnerabilityId": self.vulnerability_id,
            "vulnerablePackages": [{k: v for k, v in package.items() if v is not None}],
            "source": self.source or "NVD",
            "sourceUrl": self.source_url,
            "cvss": [
                {
                    "baseScore": s.base_score,
                    "scoringVector": s.vector,
                    "version": s.version,
                    "source": s.source,
                }
                for s in self.cvss
            ],
            "relatedVulnerabilities": list(self.related) or None,
            "referenceUrls": list(self.references) or None,
            "vendorCreatedAt": self.created,
            "vendorUpdatedAt": self.updated,
        }
        observed = observed_at or NO_OBSERVATION_TIME
        text = f"Upgrade {c.name} to {self.fixed_version}" if self.fixed_version else None
        payload: dict[str, Any] = {
            "findingArn": self.finding_arn(document_id),
            "awsAccountId": "",
            "type": "PACKAGE_VULNERABILITY",
            "title": f"{self.vulnerability_id} - {c.name}",
            "description": self.description or self.vulnerability_id,
            "severity": self.severity,
            "status": "ACTIVE",
            "firstObservedAt": observed,
            "lastObservedAt": observed,
            "remediation": {"recommendation": {"text": text}} if text else {},
            "resources": [{"type": SCAN_SBOM_RESOURCE_TYPE, "id": resource_id}],
            "packageVulnerabilityDetails": {k: v for k, v in details.items() if v is not None},
            "fixAvailable": "YES" if self.fixed_version else "NO",
            "inspectorScore": self.inspector_score,
            "epss": None if self.epss is None else {"score": self.epss},
        }
        if self.exploit_available is not None:
            payload["exploitAvailable"] = "YES" if self.exploit_available else "NO"
        if self.exploit_last_seen:
            payload["exploitabilityDetails"] = {"lastKnownExploitAt": self.exploit_last_seen}
        return {k: v for k, v in payload.items() if v is not None}


@attrs.frozen
class ScanSbomResult:
    """A Scan API (``ScanSbom``) report, as ``parse_scan_sbom`` reads it.

    Attributes:
        output_format: ``CYCLONE_DX_1_5`` or ``INSPECTOR`` (the request's ``outputFormat``).
        vulnerabilities: One record per vulnerability and affected component, in report
            order.
        components: CycloneDX: every component, nested ones included, in document order;
            INSPECTOR format: the affected components (the format lists no others).
        messages: The Scan API's per-component messages (``Component skipped: ...``).
        counts: The report's count of vulnerabilities by severity (``critical``, ``high``,
            ``medium``, ``low`` and, when given, ``other``); ``{}`` when it gives none.
        document_id: The CycloneDX ``serialNumber``, else ``sha256:`` and the SHA-256 of
            the report (its JSON with sorted keys, no spaces).
        scanned_at: ``metadata.timestamp`` as written, or ``None``.
        resource_id: What was scanned: the ``metadata.component`` name (and ``@version``),
            else ``document_id``.
        status: The user guide's ``status`` line, when the document has one.
        issues: Components that are not what a component should be (no name, an invalid
            PURL, an ``affects`` ref that names no component), one
            [`SbomIssue`][inspector_kit.sbom.SbomIssue] each; they never reject the report.

    Examples:
        >>> r = parse_scan_sbom({"messages": [], "vulnerabilities": [],
        ...     "vulnerability_count": {"critical": 0, "high": 0, "medium": 0, "low": 0}})
        >>> r.output_format, r.vulnerabilities, r.counts["high"]
        ('INSPECTOR', (), 0)
    """

    output_format: str
    vulnerabilities: tuple[ScanSbomVulnerability, ...]
    components: tuple[SbomComponent, ...]
    messages: tuple[ScanSbomMessage, ...]
    counts: Mapping[str, int]
    document_id: str
    scanned_at: str | None = None
    resource_id: str | None = None
    status: str | None = None
    issues: tuple[SbomIssue, ...] = ()

    @property
    def scanned_at_datetime(self) -> datetime | None:
        """``scanned_at`` as an aware UTC datetime, or ``None``."""
        if self.scanned_at is None:
            return None
        from .models._time import parse_timestamp

        return parse_timestamp(self.scanned_at)

    def to_api(self) -> list[dict[str, Any]]:
        """Each vulnerability as the API payload of a finding (``ScanSbomVulnerability.to_api``).

        Examples:
            >>> parse_scan_sbom({"bomFormat": "CycloneDX", "specVersion": "1.5",
            ...     "vulnerabilities": []}).to_api()
            []
        """
        return [
            v.to_api(
                document_id=self.document_id,
                resource_id=self.resource_id or self.document_id,
                observed_at=self.scanned_at,
            )
            for v in self.vulnerabilities
        ]


# ---------------------------------------------------------------- detection


def _inner(document: Mapping[str, Any]) -> tuple[Mapping[str, Any], str | None] | None:
    """The report inside ``document`` and its status line, or ``None`` if it holds none."""
    status = document.get("status")
    status = status if isinstance(status, str) else None
    for key in ("sbom", "inspector"):
        inner = document.get(key)
        if isinstance(inner, Mapping) and _is_report(inner):
            return inner, status
    if _is_report(document):
        return document, status
    return None


def _is_report(obj: Mapping[str, Any]) -> bool:
    if obj.get("bomFormat") == "CycloneDX":
        props = _object(obj.get("metadata")).get("properties")
        names = (
            [str(p.get("name", "")) for p in props if isinstance(p, Mapping)]
            if isinstance(props, list)
            else []
        )
        if any(n.startswith(_NS) for n in names):
            return True
        # An Inspector SBOM export (metadata property resourceType) lists vulnerabilities
        # too, as bare ids and refs (docs/facts.md#scan-api): an SBOM, not a Scan API report.
        return isinstance(obj.get("vulnerabilities"), list) and "resourceType" not in names
    return "vulnerability_count" in obj or (
        isinstance(obj.get("messages"), list) and isinstance(obj.get("vulnerabilities"), list)
    )


def is_scan_sbom(obj: Mapping[str, Any]) -> bool:
    """Whether ``obj`` is a Scan API report (either format, wrapped or not) or one record of it.

    Examples:
        >>> is_scan_sbom({"sbom": {"bomFormat": "CycloneDX", "vulnerabilities": []}})
        True
        >>> is_scan_sbom({"bomFormat": "CycloneDX", "components": []})  # an SBOM, no report
        False
    """
    return _RECORD in obj or _inner(obj) is not None


def scan_sbom_items(document: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The per-vulnerability records of a Scan API report, for ``load_findings``.

    Each record is ``{"$inspectorScanSbom": payload}``, where ``payload`` is the finding
    payload of [`ScanSbomResult.to_api`][inspector_kit.sbom.ScanSbomResult.to_api];
    ``None`` when ``document`` is no report. A report with a member of the wrong shape is
    one record holding the error's text, which ``scan_sbom_to_api`` raises.
    """
    if _RECORD in document or _inner(document) is None:
        return None
    try:
        payloads: list[Any] = parse_scan_sbom(document).to_api()
    except SbomFormatError as exc:  # one bad record for the loader to list, not a crash
        return [{_RECORD: str(exc)}]
    return [{_RECORD: p} for p in payloads]


def scan_sbom_to_api(record: Mapping[str, Any]) -> dict[str, Any]:
    """The finding payload of one record that ``scan_sbom_items`` returned.

    Raises:
        FindingParseError: ``record`` is not such a record.
    """
    payload = record.get(_RECORD)
    if isinstance(payload, str):
        raise FindingParseError(f"Inspector Scan API (ScanSbom) report: {payload}", None)
    if not isinstance(payload, Mapping):
        raise FindingParseError("not a record of an Inspector Scan API report", payload)
    return dict(payload)


def scan_sbom_hint(keys: Any) -> str | None:
    """What a CycloneDX SBOM without a vulnerability report is, for the loader's message."""
    if "bomFormat" not in keys:
        return None
    return (
        "is a CycloneDX SBOM, not an Inspector Scan API (ScanSbom) report: it holds no "
        "findings (read it with inspector_kit.sbom.parse_cyclonedx)"
    )


# ---------------------------------------------------------------- parsing


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _list(obj: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise SbomFormatError(f"expected a list, got {_type_name(value)}", path=f"{path}.{key}")
    return value


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _severity(value: Any) -> str:
    if isinstance(value, str):
        return _SEVERITIES.get(value.lower(), "UNTRIAGED")
    return "UNTRIAGED"


def _cwe(value: Any) -> str:
    text = str(value)
    return text if text.upper().startswith("CWE-") else f"CWE-{text}"


def _cvss(source: str, vector: Any, score: Any, method: Any, sev: Any) -> ScanSbomCvss | None:
    base = _number(score)
    if not isinstance(vector, str) or not vector or base is None:
        return None
    if vector.startswith("CVSS:"):
        version = vector[5:].split("/", 1)[0]
    elif method in _METHOD_VERSIONS:
        version = _METHOD_VERSIONS[method]
    else:
        return None
    if not version.startswith("2") and not vector.startswith("CVSS:"):
        vector = f"CVSS:{version}/{vector}"
    return ScanSbomCvss(source, version, base, vector, sev if isinstance(sev, str) else None)


def _sorted(entries: list[ScanSbomCvss]) -> tuple[ScanSbomCvss, ...]:
    unique = dict.fromkeys(entries)
    return tuple(sorted(unique, key=lambda c: (c.source, c.version, c.vector)))


def _digest(report: Mapping[str, Any]) -> str:
    text = json.dumps(report, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def parse_scan_sbom(
    document: Mapping[str, Any] | str | bytes | bytearray, *, source: str | None = None
) -> ScanSbomResult:
    """Read an Inspector Scan API (``ScanSbom``) response or report.

    Reads the boto3 response (``{"sbom": report}``), the user guide's ``{"status": ...,
    "sbom"|"inspector": report}``, or the bare report, in either output format:
    ``CYCLONE_DX_1_5`` (CycloneDX with ``vulnerabilities``) or ``INSPECTOR`` (``messages``,
    ``vulnerabilities``, ``vulnerability_count``). A component without a name or with an
    invalid PURL is reported in ``issues``, never a reason to reject the report.

    Args:
        document: The parsed JSON object, or its JSON text (``str``, or UTF-8 ``bytes``).
        source: What the document is (a file name), for the errors to name.

    Raises:
        SbomFormatError: Not JSON, not a Scan API report, or a member of the wrong shape.

    Examples:
        >>> r = parse_scan_sbom({"sbom": {"bomFormat": "CycloneDX", "specVersion": "1.5",
        ...     "components": [{"bom-ref": "comp-1", "type": "library", "name": "log4j-core",
        ...         "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.12.1"}],
        ...     "vulnerabilities": [{"id": "CVE-2021-44228", "source": {"name": "NVD"},
        ...         "affects": [{"ref": "comp-1"}],
        ...         "ratings": [{"source": {"name": "NVD"}, "score": 10.0,
        ...             "severity": "critical", "method": "CVSSv31",
        ...             "vector": "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
        ...         "properties": [{"name":
        ...             "amazon:inspector:sbom_scanner:fixed_version:comp-1",
        ...             "value": "2.15.0"}]}]}})
        >>> v = r.vulnerabilities[0]
        >>> v.vulnerability_id, v.severity, v.component.name, v.fixed_version
        ('CVE-2021-44228', 'CRITICAL', 'log4j-core', '2.15.0')
        >>> v.cvss[0].vector
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'
    """
    try:
        data = _json_object(document)
        found = _inner(data)
        if found is None:
            raise SbomFormatError(
                'not an Inspector Scan API (ScanSbom) report: expected {"sbom": ...}, a '
                "CycloneDX document with 'vulnerabilities', or 'messages', "
                "'vulnerabilities' and 'vulnerability_count'"
            )
        report, status = found
        prefix = "$.sbom" if report is data.get("sbom") else "$"
        if report is data.get("inspector"):
            prefix = "$.inspector"
        if report.get("bomFormat") == "CycloneDX":
            result = _cyclonedx(report, prefix)
        else:
            result = _inspector(report, prefix)
    except SbomFormatError as exc:
        exc.source = source
        raise
    return attrs.evolve(result, status=status)


def _components(report: Mapping[str, Any], prefix: str) -> tuple[list[Any], list[Any]]:
    """Every component (nested ones too, depth first) with its JSON path, and the issues."""
    components: list[Any] = []
    issues: list[Any] = []
    stack = [
        (item, f"{prefix}.components[{i}]")
        for i, item in enumerate(_list(report, "components", prefix))
    ]
    stack.reverse()
    while stack:
        item, path = stack.pop()
        component, problems = _component_or_issue(item, path)
        issues.extend(problems)
        if component is not None:
            components.append(component)
        if isinstance(item, Mapping):
            nested = _list(item, "components", path)
            stack.extend(reversed([(c, f"{path}.components[{i}]") for i, c in enumerate(nested)]))
    return components, issues


def _cyclonedx(report: Mapping[str, Any], prefix: str) -> ScanSbomResult:
    metadata = report.get("metadata")
    if metadata is not None and not isinstance(metadata, Mapping):
        raise SbomFormatError(
            f"expected an object, got {_type_name(metadata)}", path=f"{prefix}.metadata"
        )
    metadata = metadata or {}
    counts: dict[str, int] = {}
    for prop in _list(metadata, "properties", f"{prefix}.metadata"):
        if not isinstance(prop, Mapping):
            continue
        name = str(prop.get("name", ""))
        for key in _COUNT_KEYS:
            if name == f"{_NS}{key}_vulnerabilities":
                with suppress(ValueError):
                    counts[key] = int(str(prop.get("value")))
    components, issues = _components(report, prefix)
    by_ref = {c.bom_ref: c for c in components if c.bom_ref}
    messages = []
    for c in components:
        info = c.properties.get(f"{_NS}info")
        if isinstance(info, str):
            messages.append(ScanSbomMessage(info, name=c.name, purl=c.purl, bom_ref=c.bom_ref))
    vulns: list[ScanSbomVulnerability] = []
    for index, vuln in enumerate(_list(report, "vulnerabilities", prefix)):
        path = f"{prefix}.vulnerabilities[{index}]"
        vid = _vulnerability_id(vuln, path)
        src = _object(vuln.get("source"))
        src_name = _text(src.get("name"))
        props: dict[str, Any] = {}
        for prop in _list(vuln, "properties", path):
            if isinstance(prop, Mapping) and isinstance(prop.get("name"), str):
                props[prop["name"]] = prop.get("value")
        cvss: list[ScanSbomCvss] = []
        epss = inspector = None
        severities: dict[str, str] = {}  # the first severity of each rating source
        for rating in _list(vuln, "ratings", path):
            if not isinstance(rating, Mapping):
                continue
            r_src = _object(rating.get("source"))
            r_name = _text(r_src.get("name")) or ""
            if r_name.upper() == "EPSS":
                epss = _number(rating.get("score"))
                continue
            if r_name.upper() == "AMAZON_INSPECTOR":
                inspector = _number(rating.get("score"))
            r_sev = _text(rating.get("severity"))
            if r_sev is not None:
                severities.setdefault(r_name, r_sev)
            entry = _cvss(
                r_name, rating.get("vector"), rating.get("score"), rating.get("method"), r_sev
            )
            if entry is not None:
                cvss.append(entry)
        severity = severities.get(src_name or "") or next(iter(severities.values()), None)
        related = tuple(
            r["id"]
            for r in _list(vuln, "references", path)
            if isinstance(r, Mapping) and isinstance(r.get("id"), str)
        )
        refs = tuple(
            a["url"]
            for a in _list(vuln, "advisories", path)
            if isinstance(a, Mapping) and isinstance(a.get("url"), str)
        )
        common = partial(
            ScanSbomVulnerability,
            vulnerability_id=vid,
            severity=_severity(severity),
            cvss=_sorted(cvss),
            inspector_score=inspector,
            epss=epss,
            exploit_available=_flag(props.get(f"{_NS}exploit_available")),
            exploit_last_seen=_text(props.get(f"{_NS}exploit_last_seen_in_public")),
            kev_date_added=_text(props.get(f"{_NS}cisa_kev_date_added")),
            kev_date_due=_text(props.get(f"{_NS}cisa_kev_date_due")),
            source=src_name,
            source_url=_text(src.get("url")),
            description=_text(vuln.get("description")),
            related=related,
            references=refs,
            cwes=tuple(_cwe(c) for c in _list(vuln, "cwes", path)),
            created=_text(vuln.get("created")),
            updated=_text(vuln.get("updated")),
        )
        for a_index, affect in enumerate(_list(vuln, "affects", path)):
            ref = affect.get("ref") if isinstance(affect, Mapping) else None
            component = by_ref.get(ref) if isinstance(ref, str) else None
            if component is None:
                issues.append(
                    SbomIssue(
                        path=f"{path}.affects[{a_index}].ref",
                        bom_ref=ref if isinstance(ref, str) else None,
                        name=None,
                        problem=f"names no component of the document: {ref!r}",
                    )
                )
                continue
            fixed = _text(props.get(f"{_NS}fixed_version:{ref}"))
            vulns.append(
                common(
                    component=component,
                    fixed_version=fixed,
                    path=_text(component.properties.get(f"{_NS}path")),
                )
            )
    meta_component = metadata.get("component")
    resource_id = None
    if isinstance(meta_component, Mapping) and isinstance(meta_component.get("name"), str):
        resource_id = meta_component["name"]
        if isinstance(meta_component.get("version"), str):
            resource_id += f"@{meta_component['version']}"
    serial = _text(report.get("serialNumber"))
    document_id = serial or _digest(report)
    timestamp = _text(metadata.get("timestamp"))
    return ScanSbomResult(
        output_format="CYCLONE_DX_1_5",
        vulnerabilities=tuple(vulns),
        components=tuple(components),
        messages=tuple(messages),
        counts=counts,
        document_id=document_id,
        scanned_at=timestamp,
        resource_id=resource_id or document_id,
        issues=tuple(issues),
    )


def _inspector(report: Mapping[str, Any], prefix: str) -> ScanSbomResult:
    messages = []
    for index, item in enumerate(_list(report, "messages", prefix)):
        if not isinstance(item, Mapping):
            raise SbomFormatError(
                f"expected an object, got {_type_name(item)}", path=f"{prefix}.messages[{index}]"
            )
        info = _text(item.get("info")) or _text(item.get("info_message")) or ""
        messages.append(
            ScanSbomMessage(info, name=_text(item.get("name")), purl=_text(item.get("purl")))
        )
    counts_in = report.get("vulnerability_count")
    counts: dict[str, int] = {}
    if isinstance(counts_in, Mapping):
        for key, value in counts_in.items():
            if isinstance(value, int) and not isinstance(value, bool):
                counts[str(key)] = value
    document_id = _digest(report)
    components: dict[str, SbomComponent] = {}
    issues: list[SbomIssue] = []
    vulns: list[ScanSbomVulnerability] = []
    for index, vuln in enumerate(_list(report, "vulnerabilities", prefix)):
        path = f"{prefix}.vulnerabilities[{index}]"
        vid = _vulnerability_id(vuln, path)
        props = _object(vuln.get("properties"))
        cvss: list[ScanSbomCvss] = []
        inspector = None
        for entry in props.get("cvss") or []:
            if not isinstance(entry, Mapping):
                continue
            name = _text(entry.get("source")) or ""
            sev = entry.get("severity")
            for key, method in _INSPECTOR_CVSS_KEYS:
                got = _cvss(
                    name,
                    entry.get(f"{key}_base_vector"),
                    entry.get(f"{key}_base_score"),
                    method,
                    sev,
                )
                if got is not None:
                    cvss.append(got)
            if name.upper() == "AMAZON_INSPECTOR":
                inspector = _number(entry.get("cvss_3_base_score", entry.get("cvss3_base_score")))
        src = _text(vuln.get("source"))
        src_name = None
        if src is not None and "nvd.nist.gov" in src:
            src_name = "NVD"
        common = partial(
            ScanSbomVulnerability,
            vulnerability_id=vid,
            severity=_severity(vuln.get("severity")),
            cvss=_sorted(cvss),
            inspector_score=inspector,
            epss=_number(props.get("epss")),
            exploit_available=_flag(props.get("exploit_available")),
            exploit_last_seen=_text(props.get("exploit_last_seen_in_public")),
            kev_date_added=_text(props.get("cisa_kev_date_added")),
            kev_date_due=_text(props.get("cisa_kev_date_due")),
            source=src_name,
            source_url=src,
            description=_text(vuln.get("description")),
            related=tuple(r for r in vuln.get("related") or [] if isinstance(r, str)),
            references=tuple(r for r in vuln.get("references") or [] if isinstance(r, str)),
            cwes=tuple(_cwe(c) for c in props.get("cwes") or []),
            created=_text(vuln.get("created")),
            updated=_text(vuln.get("updated")),
        )
        for a_index, affect in enumerate(_list(vuln, "affects", path)):
            a_path = f"{path}.affects[{a_index}]"
            purl = _text(affect.get("installed_version")) if isinstance(affect, Mapping) else None
            parsed = _parse_purl(purl)
            if purl is None or parsed is None:
                issues.append(
                    SbomIssue(
                        path=f"{a_path}.installed_version",
                        bom_ref=None,
                        name=None,
                        problem=f"not a valid PURL: {purl!r}",
                    )
                )
                continue
            component = components.get(purl)
            if component is None:
                component = components[purl] = SbomComponent(
                    name=parsed.name, version=parsed.version, purl=purl, type="library"
                )
            assert isinstance(affect, Mapping)
            vulns.append(
                common(
                    component=component,
                    fixed_version=_text(affect.get("fixed_version")),
                    path=_text(affect.get("path")),
                )
            )
    return ScanSbomResult(
        output_format="INSPECTOR",
        vulnerabilities=tuple(vulns),
        components=tuple(components.values()),
        messages=tuple(messages),
        counts=counts,
        document_id=document_id,
        resource_id=document_id,
        issues=tuple(issues),
    )


def _vulnerability_id(vuln: Any, path: str) -> str:
    """The ``id`` of a report's vulnerability (either format), checked."""
    if not isinstance(vuln, Mapping):
        raise SbomFormatError(f"expected an object, got {_type_name(vuln)}", path=path)
    vid = _text(vuln.get("id"))
    if vid is None:
        raise SbomFormatError(
            "expected a string, got " + _type_name(vuln.get("id")), path=f"{path}.id"
        )
    return vid


# The INSPECTOR format's CVSS members, both spellings, with the scoring method each holds.
_INSPECTOR_CVSS_KEYS = (
    ("cvss_3", "CVSSv31"),
    ("cvss3", "CVSSv31"),
    ("cvss_2", "CVSSv2"),
    ("cvss2", "CVSSv2"),
)
