"""The ``Finding`` model and its vulnerability, score and network-path parts.

One class per botocore structure (the class name is the shape name), one attribute per
member (the snake_case of the member name, documented with the member it reads).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from inspector_kit.errors import InvalidArgumentTypeError

from ._codec import (
    DOUBLE,
    INTEGER,
    STRING,
    STRING_LIST,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    InterningListCodec,
    ListCodec,
    ModelCodec,
    api_model,
    member,
)
from ._enums import (
    ExploitAvailable,
    FindingStatus,
    FindingType,
    FixAvailable,
    NetworkProtocol,
    PackageManager,
    RuntimeReachability,
    RuntimeReachabilityReason,
    Severity,
)
from ._resources import Resource
from ._time import as_utc, format_timestamp

if TYPE_CHECKING:
    from packageurl import PackageURL

__all__ = [
    "NO_FIX_VERSION",
    "CodeFilePath",
    "CodeVulnerabilityDetails",
    "CvssChoice",
    "CvssScore",
    "CvssScoreAdjustment",
    "CvssScoreDetails",
    "EpssDetails",
    "ExploitabilityDetails",
    "Finding",
    "InspectorScoreDetails",
    "NetworkPath",
    "NetworkReachabilityDetails",
    "PackageVulnerabilityDetails",
    "PortRange",
    "Recommendation",
    "Remediation",
    "Step",
    "VulnerablePackage",
]

#: The ``fixedInVersion`` sentinel Inspector uses when no fixed version exists.
NO_FIX_VERSION = "NotAvailable"


@api_model("Recommendation")
@attrs.frozen(kw_only=True)
class Recommendation(ApiModel):
    """API ``Recommendation``: what to do about a finding.

    Examples:
        >>> r = Recommendation.from_api({"text": "Update curl", "Url": "https://curl.se/docs/"})
        >>> r.text, r.url, r.to_api()["Url"]
        ('Update curl', 'https://curl.se/docs/', 'https://curl.se/docs/')
    """

    text: str | None = member("text", STRING)
    """API ``text``."""
    url: str | None = member("Url", STRING)
    """API ``Url`` (capital U in the API)."""


@api_model("Remediation")
@attrs.frozen(kw_only=True)
class Remediation(ApiModel):
    """API ``Remediation``.

    Examples:
        >>> r = Remediation.from_api({"recommendation": {"text": "Update curl"}})
        >>> r.recommendation.text
        'Update curl'
    """

    recommendation: Recommendation | None = member("recommendation", ModelCodec(Recommendation))
    """API ``recommendation``."""


@api_model("CvssScoreAdjustment")
@attrs.frozen(kw_only=True)
class CvssScoreAdjustment(ApiModel):
    """API ``CvssScoreAdjustment``: one metric Inspector changed, and why.

    Examples:
        >>> a = CvssScoreAdjustment.from_api({"metric": "AV", "reason": "Network path absent"})
        >>> a.metric, a.reason
        ('AV', 'Network path absent')
    """

    metric: str = member("metric", STRING, required=True)
    """API ``metric`` (required)."""
    reason: str = member("reason", STRING, required=True)
    """API ``reason`` (required)."""


@api_model("CvssScoreDetails")
@attrs.frozen(kw_only=True)
class CvssScoreDetails(ApiModel):
    """API ``CvssScoreDetails``: the CVSS score Inspector settled on, after adjustment.

    Examples:
        >>> d = CvssScoreDetails.from_api({"scoreSource": "NVD", "cvssSource": "NVD",
        ...     "version": "3.1", "score": 9.8, "adjustments": [],
        ...     "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"})
        >>> d.score, d.version, d.adjustments
        (9.8, '3.1', ())
    """

    score_source: str = member("scoreSource", STRING, required=True)
    """API ``scoreSource`` (required): where the base score came from (``NVD``, ``AMAZON_CVE``)."""
    cvss_source: str | None = member("cvssSource", STRING)
    """API ``cvssSource``."""
    version: str = member("version", STRING, required=True)
    """API ``version`` (required): the CVSS version, e.g. ``3.1``."""
    score: float = member("score", DOUBLE, required=True)
    """API ``score`` (required)."""
    scoring_vector: str = member("scoringVector", STRING, required=True)
    """API ``scoringVector`` (required)."""
    adjustments: tuple[CvssScoreAdjustment, ...] | None = member(
        "adjustments", ListCodec(ModelCodec(CvssScoreAdjustment))
    )
    """API ``adjustments``: the metrics Inspector changed (often empty)."""


@api_model("InspectorScoreDetails")
@attrs.frozen(kw_only=True)
class InspectorScoreDetails(ApiModel):
    """API ``InspectorScoreDetails``.

    Examples:
        >>> d = InspectorScoreDetails.from_api({"adjustedCvss": {"scoreSource": "NVD",
        ...     "version": "3.1", "score": 7.5,
        ...     "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}})
        >>> d.adjusted_cvss.score, d.adjusted_cvss.score_source
        (7.5, 'NVD')
    """

    adjusted_cvss: CvssScoreDetails | None = member("adjustedCvss", ModelCodec(CvssScoreDetails))
    """API ``adjustedCvss``."""


@api_model("PortRange")
@attrs.frozen(kw_only=True)
class PortRange(ApiModel):
    """API ``PortRange``: an inclusive range of open ports.

    Examples:
        >>> p = PortRange.from_api({"begin": 22, "end": 22})
        >>> p.begin, p.end, p.to_api()
        (22, 22, {'begin': 22, 'end': 22})
    """

    begin: int = member("begin", INTEGER, required=True)
    """API ``begin`` (required)."""
    end: int = member("end", INTEGER, required=True)
    """API ``end`` (required)."""


@api_model("Step")
@attrs.frozen(kw_only=True)
class Step(ApiModel):
    """API ``Step``: one hop of an open network path.

    Examples:
        >>> s = Step.from_api({"componentId": "igw-0abc",
        ...     "componentType": "AWS::EC2::InternetGateway"})
        >>> s.component_id, s.component_type, s.component_arn
        ('igw-0abc', 'AWS::EC2::InternetGateway', None)
    """

    component_id: str = member("componentId", STRING, required=True)
    """API ``componentId`` (required), e.g. ``igw-...``, ``sg-...``."""
    component_type: str = member("componentType", STRING, required=True)
    """API ``componentType`` (required), e.g. ``AWS::EC2::InternetGateway``."""
    component_arn: str | None = member("componentArn", STRING)
    """API ``componentArn``."""


@api_model("NetworkPath")
@attrs.frozen(kw_only=True)
class NetworkPath(ApiModel):
    """API ``NetworkPath``: the hops from the network edge to the resource.

    Examples:
        >>> path = NetworkPath.from_api({"steps": [
        ...     {"componentId": "igw-0abc", "componentType": "AWS::EC2::InternetGateway"},
        ...     {"componentId": "sg-0def", "componentType": "AWS::EC2::SecurityGroup"}]})
        >>> [step.component_id for step in path.steps]
        ['igw-0abc', 'sg-0def']
    """

    steps: tuple[Step, ...] | None = member("steps", ListCodec(ModelCodec(Step)))
    """API ``steps``."""


@api_model("NetworkReachabilityDetails")
@attrs.frozen(kw_only=True)
class NetworkReachabilityDetails(ApiModel):
    """API ``NetworkReachabilityDetails``: an open port range and the path that reaches it.

    Examples:
        >>> d = NetworkReachabilityDetails.from_api({
        ...     "openPortRange": {"begin": 22, "end": 22}, "protocol": "TCP",
        ...     "networkPath": {"steps": [{"componentId": "igw-0abc",
        ...                                "componentType": "AWS::EC2::InternetGateway"}]}})
        >>> d.protocol, d.open_port_range.begin, d.network_path.steps[0].component_id
        (<NetworkProtocol.TCP: 'TCP'>, 22, 'igw-0abc')
    """

    open_port_range: PortRange = member("openPortRange", ModelCodec(PortRange), required=True)
    """API ``openPortRange`` (required)."""
    protocol: NetworkProtocol | str = member("protocol", EnumCodec(NetworkProtocol), required=True)
    """API ``protocol`` (required): TCP or UDP; open enum."""
    network_path: NetworkPath = member("networkPath", ModelCodec(NetworkPath), required=True)
    """API ``networkPath`` (required)."""


@api_model("VulnerablePackage")
@attrs.frozen(kw_only=True)
class VulnerablePackage(ApiModel):
    """API ``VulnerablePackage``: one installed package affected by a vulnerability.

    Examples:
        >>> p = VulnerablePackage.from_api({"name": "openssl", "version": "1.0.2k",
        ...     "release": "24.amzn2.0.7", "epoch": 1, "fixedInVersion": "NotAvailable"})
        >>> p.has_fix, p.full_version
        (False, '1:1.0.2k-24.amzn2.0.7')
    """

    name: str = member("name", STRING, required=True)
    """API ``name`` (required). Maven packages are ``group:artifact``."""
    version: str = member("version", STRING, required=True)
    """API ``version`` (required)."""
    source_layer_hash: str | None = member("sourceLayerHash", STRING)
    """API ``sourceLayerHash``: the container image layer holding the package."""
    epoch: int | None = member("epoch", INTEGER)
    """API ``epoch`` (rpm/deb)."""
    release: str | None = member("release", STRING)
    """API ``release`` (rpm release, deb revision)."""
    arch: str | None = member("arch", STRING)
    """API ``arch``."""
    package_manager: PackageManager | str | None = member(
        "packageManager", EnumCodec(PackageManager)
    )
    """API ``packageManager``; open enum (real exports carry ``GENERIC`` too)."""
    file_path: str | None = member("filePath", STRING)
    """API ``filePath``: where the package was found (language packages)."""
    fixed_in_version: str | None = member("fixedInVersion", STRING)
    """API ``fixedInVersion``; ``"NotAvailable"`` when no fix exists (see ``has_fix``)."""
    remediation: str | None = member("remediation", STRING)
    """API ``remediation``: e.g. the package-manager command that fixes it."""
    source_lambda_layer_arn: str | None = member("sourceLambdaLayerArn", STRING)
    """API ``sourceLambdaLayerArn``: the Lambda layer holding the package."""
    runtime_reachability: RuntimeReachability | str | None = member(
        "runtimeReachability", EnumCodec(RuntimeReachability)
    )
    """API ``runtimeReachability``: whether the package is used at run time; open enum.

    Set on ECR image and EC2 instance findings; older findings may lack it.
    """
    runtime_reachability_reason: RuntimeReachabilityReason | str | None = member(
        "runtimeReachabilityReason", EnumCodec(RuntimeReachabilityReason)
    )
    """API ``runtimeReachabilityReason``: the evidence for ``runtime_reachability``; open enum.

    Absent when the reachability is ``UNKNOWN``.
    """
    purl: str | None = member("purl", STRING)
    """API ``purl``: Inspector's own Package URL for the package, as sent (not validated here;
    [`to_purl`][inspector_kit.purl.to_purl] prefers it when it is a valid PURL).
    """

    @property
    def has_fix(self) -> bool:
        """True when ``fixedInVersion`` names a version (not absent, not ``NotAvailable``)."""
        return bool(self.fixed_in_version) and self.fixed_in_version != NO_FIX_VERSION

    @property
    def full_version(self) -> str:
        """``[epoch:]version[-release]``, the way rpm and dpkg print it (epoch 0 omitted)."""
        text = self.version
        if self.release:
            text = f"{text}-{self.release}"
        if self.epoch:
            text = f"{self.epoch}:{text}"
        return text


@api_model("CvssScore")
@attrs.frozen(kw_only=True)
class CvssScore(ApiModel):
    """API ``CvssScore``: one source's CVSS score for a vulnerability.

    Examples:
        >>> c = CvssScore.from_api({"baseScore": 9.8, "version": "3.1", "source": "NVD",
        ...     "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"})
        >>> c.source, c.base_score, c.version
        ('NVD', 9.8, '3.1')
    """

    base_score: float = member("baseScore", DOUBLE, required=True)
    """API ``baseScore`` (required)."""
    scoring_vector: str = member("scoringVector", STRING, required=True)
    """API ``scoringVector`` (required)."""
    version: str = member("version", STRING, required=True)
    """API ``version`` (required): ``2.0``, ``3.0``, ``3.1``, ``4.0``."""
    source: str = member("source", STRING, required=True)
    """API ``source`` (required): ``NVD``, or the vendor (``AMAZON_CVE``, ``UBUNTU_CVE``, ...)."""


@api_model("PackageVulnerabilityDetails")
@attrs.frozen(kw_only=True)
class PackageVulnerabilityDetails(ApiModel):
    """API ``PackageVulnerabilityDetails``: the vulnerability and the packages it affects.

    Examples:
        >>> d = PackageVulnerabilityDetails.from_api({"vulnerabilityId": "CVE-2023-38545",
        ...     "source": "NVD", "vulnerablePackages": [{"name": "curl", "version": "7.88.1",
        ...     "fixedInVersion": "8.4.0"}], "vendorCreatedAt": "2023-10-18T04:15:00Z"})
        >>> d.vulnerability_id, d.vulnerable_packages[0].has_fix, d.vendor_created_at.year
        ('CVE-2023-38545', True, 2023)
    """

    vulnerability_id: str = member("vulnerabilityId", STRING, required=True)
    """API ``vulnerabilityId`` (required), e.g. ``CVE-2023-38545``."""
    vulnerable_packages: tuple[VulnerablePackage, ...] | None = member(
        "vulnerablePackages", InterningListCodec(ModelCodec(VulnerablePackage))
    )
    """API ``vulnerablePackages`` (equal lists are shared between findings)."""
    source: str = member("source", STRING, required=True)
    """API ``source`` (required): who published the vulnerability (``NVD``, ``AMAZON_CVE``, ...)."""
    cvss: tuple[CvssScore, ...] | None = member("cvss", InterningListCodec(ModelCodec(CvssScore)))
    """API ``cvss``: every source's CVSS score (equal lists are shared between findings)."""
    related_vulnerabilities: tuple[str, ...] | None = member("relatedVulnerabilities", STRING_LIST)
    """API ``relatedVulnerabilities``."""
    source_url: str | None = member("sourceUrl", STRING)
    """API ``sourceUrl``."""
    vendor_severity: str | None = member("vendorSeverity", STRING)
    """API ``vendorSeverity``: the vendor's own rating, free text."""
    vendor_created_at: datetime | None = member("vendorCreatedAt", TIMESTAMP)
    """API ``vendorCreatedAt`` (aware UTC)."""
    vendor_updated_at: datetime | None = member("vendorUpdatedAt", TIMESTAMP)
    """API ``vendorUpdatedAt`` (aware UTC)."""
    reference_urls: tuple[str, ...] | None = member("referenceUrls", STRING_LIST)
    """API ``referenceUrls``."""


@api_model("ExploitabilityDetails")
@attrs.frozen(kw_only=True)
class ExploitabilityDetails(ApiModel):
    """API ``ExploitabilityDetails``.

    Examples:
        >>> d = ExploitabilityDetails.from_api({"lastKnownExploitAt": "2026-11-02T10:00:00Z"})
        >>> d.last_known_exploit_at.isoformat()
        '2026-11-02T10:00:00+00:00'
    """

    last_known_exploit_at: datetime | None = member("lastKnownExploitAt", TIMESTAMP)
    """API ``lastKnownExploitAt`` (aware UTC)."""


@api_model("CodeFilePath")
@attrs.frozen(kw_only=True)
class CodeFilePath(ApiModel):
    """API ``CodeFilePath``: where in the code a code vulnerability is.

    Examples:
        >>> p = CodeFilePath.from_api({"fileName": "handler.py", "filePath": "src/handler.py",
        ...     "startLine": 12, "endLine": 14})
        >>> p.file_path, p.start_line, p.end_line
        ('src/handler.py', 12, 14)
    """

    file_name: str = member("fileName", STRING, required=True)
    """API ``fileName`` (required)."""
    file_path: str = member("filePath", STRING, required=True)
    """API ``filePath`` (required)."""
    start_line: int = member("startLine", INTEGER, required=True)
    """API ``startLine`` (required)."""
    end_line: int = member("endLine", INTEGER, required=True)
    """API ``endLine`` (required)."""


@api_model("CodeVulnerabilityDetails")
@attrs.frozen(kw_only=True)
class CodeVulnerabilityDetails(ApiModel):
    """API ``CodeVulnerabilityDetails``: a flaw found in Lambda function code.

    Examples:
        >>> d = CodeVulnerabilityDetails.from_api({"detectorId": "python/log-injection@v1.0",
        ...     "detectorName": "Log injection", "cwes": ["CWE-117"],
        ...     "filePath": {"fileName": "handler.py", "filePath": "src/handler.py",
        ...                  "startLine": 12, "endLine": 12}})
        >>> d.cwes, d.file_path.file_name
        (('CWE-117',), 'handler.py')
    """

    file_path: CodeFilePath = member("filePath", ModelCodec(CodeFilePath), required=True)
    """API ``filePath`` (required)."""
    detector_tags: tuple[str, ...] | None = member("detectorTags", STRING_LIST)
    """API ``detectorTags``."""
    reference_urls: tuple[str, ...] | None = member("referenceUrls", STRING_LIST)
    """API ``referenceUrls``."""
    rule_id: str | None = member("ruleId", STRING)
    """API ``ruleId``."""
    source_lambda_layer_arn: str | None = member("sourceLambdaLayerArn", STRING)
    """API ``sourceLambdaLayerArn``."""
    detector_id: str = member("detectorId", STRING, required=True)
    """API ``detectorId`` (required), e.g. ``python/log-injection@v1.0``."""
    detector_name: str = member("detectorName", STRING, required=True)
    """API ``detectorName`` (required)."""
    cwes: tuple[str, ...] = member("cwes", STRING_LIST, required=True)
    """API ``cwes`` (required), e.g. ``("CWE-117",)``."""


@api_model("EpssDetails")
@attrs.frozen(kw_only=True)
class EpssDetails(ApiModel):
    """API ``EpssDetails``.

    Examples:
        >>> EpssDetails.from_api({"score": 0.94}).score
        0.94
    """

    score: float | None = member("score", DOUBLE)
    """API ``score``: EPSS probability of exploitation in the next 30 days, 0 to 1."""


CvssKind = Literal["adjusted", "vendor", "nvd"]


@attrs.frozen(kw_only=True)
class CvssChoice:
    """The CVSS score ``Finding.cvss`` picked, and where it came from.

    Attributes:
        score: The score (adjusted score, or the source's base score).
        vector: The CVSS vector string.
        version: The CVSS version (``3.1``, ``3.0``, ``2.0``, ``4.0``).
        source: The scoring source (``NVD``, ``AMAZON_CVE``, ...).
        kind: ``"adjusted"`` (Inspector's ``adjustedCvss``), ``"vendor"`` or ``"nvd"``.

    Examples:
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(packageVulnerabilityDetails={
        ...     "vulnerabilityId": "CVE-2024-29069", "source": "UBUNTU_CVE", "cvss": [
        ...     {"source": "NVD", "baseScore": 7.3, "version": "3.1",
        ...      "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L"},
        ...     {"source": "UBUNTU_CVE", "baseScore": 4.8, "version": "3.1",
        ...      "scoringVector": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N"}]}))
        >>> f.cvss.source, f.cvss.score, f.cvss.kind
        ('UBUNTU_CVE', 4.8, 'vendor')
    """

    score: float
    vector: str
    version: str
    source: str
    kind: CvssKind


def _cvss_rank(entry: CvssScore, vendor_source: str) -> tuple[int, int, int, int]:
    version = entry.version.strip()
    is_v3 = version.startswith("3")
    is_nvd = entry.source.upper() == "NVD"
    version_order = {"3.1": 3, "3.0": 2, "4.0": 1}.get(version, 0)
    return (
        int(is_v3),
        int(entry.source == vendor_source and not is_nvd),
        int(not is_nvd),
        version_order,
    )


@api_model("Finding")
@attrs.frozen(kw_only=True)
class Finding(ApiModel):
    """API ``Finding``: one Amazon Inspector finding, every member typed.

    Build it with [`from_api`][inspector_kit.models.Finding] from a boto3 response item, parsed JSON
    or an EventBridge event's ``detail``; get the API shape back with
    [`to_api`][inspector_kit.models.Finding] (lossless: members this version does not know are kept
    in ``extra``).

    Examples:
        >>> f = Finding.from_api({
        ...     "findingArn": "arn:aws:inspector2:us-east-1:123456789012:finding/"
        ...                   "0123456789abcdef0123456789abcdef",
        ...     "awsAccountId": "123456789012", "type": "PACKAGE_VULNERABILITY",
        ...     "description": "curl: heap overflow in SOCKS5 proxy handshake",
        ...     "remediation": {"recommendation": {"text": "Update curl"}},
        ...     "severity": "CRITICAL", "status": "ACTIVE",
        ...     "firstObservedAt": "2026-10-01T08:00:00Z",
        ...     "lastObservedAt": "2026-11-20T08:00:00Z",
        ...     "resources": [{"type": "AWS_EC2_INSTANCE", "id": "i-0abc"}],
        ...     "packageVulnerabilityDetails": {
        ...         "vulnerabilityId": "CVE-2023-38545", "source": "NVD",
        ...         "cvss": [{"baseScore": 9.8, "version": "3.1", "source": "NVD",
        ...                   "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]},
        ...     "fixAvailable": "YES"})
        >>> f.severity, f.vulnerability_id, f.region, f.is_fixable
        (<Severity.CRITICAL: 'CRITICAL'>, 'CVE-2023-38545', 'us-east-1', True)
        >>> f.cvss.score, f.cvss.kind
        (9.8, 'nvd')
        >>> Finding.from_api(f.to_api()) == f
        True
    """

    # from_api_lenient keeps a finding whose other members are broken (reported), but
    # not one without these: the library keys, ranks, dates and places findings by them.
    # Nested values (CVSS entries, packages, paths) are kept whole or not at all.
    __api_essential__: ClassVar[frozenset[str]] = frozenset(
        {
            "findingArn",
            "awsAccountId",
            "type",
            "severity",
            "status",
            "firstObservedAt",
            "lastObservedAt",
            "resources",
        }
    )
    __api_shallow__: ClassVar[bool] = True

    finding_arn: str = member("findingArn", STRING, required=True, intern=False)
    """API ``findingArn`` (required): the finding's unique ARN."""
    aws_account_id: str = member("awsAccountId", STRING, required=True)
    """API ``awsAccountId`` (required)."""
    type: FindingType | str = member("type", EnumCodec(FindingType), required=True)
    """API ``type`` (required); open enum."""
    description: str = member("description", STRING, required=True)
    """API ``description`` (required)."""
    title: str | None = member("title", STRING)
    """API ``title``."""
    remediation: Remediation = member("remediation", ModelCodec(Remediation), required=True)
    """API ``remediation`` (required)."""
    severity: Severity | str = member("severity", EnumCodec(Severity), required=True)
    """API ``severity`` (required); open enum."""
    first_observed_at: datetime = member("firstObservedAt", TIMESTAMP, required=True)
    """API ``firstObservedAt`` (required, aware UTC)."""
    last_observed_at: datetime = member("lastObservedAt", TIMESTAMP, required=True)
    """API ``lastObservedAt`` (required, aware UTC)."""
    updated_at: datetime | None = member("updatedAt", TIMESTAMP)
    """API ``updatedAt`` (aware UTC)."""
    status: FindingStatus | str = member("status", EnumCodec(FindingStatus), required=True)
    """API ``status`` (required): ACTIVE, SUPPRESSED or CLOSED; open enum."""
    resources: tuple[Resource, ...] = member(
        "resources", ListCodec(ModelCodec(Resource), min_items=1), required=True
    )
    """API ``resources`` (required, 1 to 10; an empty list is an error)."""
    inspector_score: float | None = member("inspectorScore", DOUBLE)
    """API ``inspectorScore``: Inspector's (possibly adjusted) score."""
    inspector_score_details: InspectorScoreDetails | None = member(
        "inspectorScoreDetails", ModelCodec(InspectorScoreDetails)
    )
    """API ``inspectorScoreDetails``."""
    network_reachability_details: NetworkReachabilityDetails | None = member(
        "networkReachabilityDetails", ModelCodec(NetworkReachabilityDetails)
    )
    """API ``networkReachabilityDetails`` (NETWORK_REACHABILITY findings)."""
    package_vulnerability_details: PackageVulnerabilityDetails | None = member(
        "packageVulnerabilityDetails", ModelCodec(PackageVulnerabilityDetails)
    )
    """API ``packageVulnerabilityDetails`` (PACKAGE_VULNERABILITY findings)."""
    fix_available: FixAvailable | str | None = member("fixAvailable", EnumCodec(FixAvailable))
    """API ``fixAvailable``: YES, NO or PARTIAL; open enum."""
    exploit_available: ExploitAvailable | str | None = member(
        "exploitAvailable", EnumCodec(ExploitAvailable)
    )
    """API ``exploitAvailable``: YES or NO; open enum."""
    exploitability_details: ExploitabilityDetails | None = member(
        "exploitabilityDetails", ModelCodec(ExploitabilityDetails)
    )
    """API ``exploitabilityDetails``."""
    code_vulnerability_details: CodeVulnerabilityDetails | None = member(
        "codeVulnerabilityDetails", ModelCodec(CodeVulnerabilityDetails)
    )
    """API ``codeVulnerabilityDetails`` (CODE_VULNERABILITY findings)."""
    epss: EpssDetails | None = member("epss", ModelCodec(EpssDetails))
    """API ``epss``; see [`epss_score`][inspector_kit.models.Finding.epss_score] for the number."""

    # ----------------------------------------------------------------- convenience

    @property
    def vulnerability_id(self) -> str | None:
        """The vulnerability's id (``None`` for network reachability findings).

        Package findings give their CVE (or GHSA, ALAS, ...) id; code findings their rule
        id, else their detector id.
        """
        if self.package_vulnerability_details is not None:
            return self.package_vulnerability_details.vulnerability_id
        code = self.code_vulnerability_details
        if code is not None:
            return code.rule_id or code.detector_id
        return None

    @property
    def primary_resource(self) -> Resource:
        """The first resource; Inspector findings name exactly one in practice."""
        return self.resources[0]

    @property
    def region(self) -> str | None:
        """The region, from the finding ARN (else from the primary resource).

        For an Azure or GCP resource the finding ARN carries the AWS region of the
        Inspector account, so the resource's own ``region`` (the provider's) wins when set.
        """
        resource = self.primary_resource
        if resource.is_other_cloud and resource.region:
            return resource.region
        parts = self.finding_arn.split(":", 5)
        if len(parts) == 6 and parts[3]:
            return parts[3]
        return self.primary_resource.region

    @property
    def vulnerable_packages(self) -> tuple[VulnerablePackage, ...]:
        """The vulnerable packages, or ``()`` for findings that have none."""
        details = self.package_vulnerability_details
        if details is None or details.vulnerable_packages is None:
            return ()
        return details.vulnerable_packages

    @property
    def cvss(self) -> CvssChoice | None:
        """The CVSS score to act on: Inspector's adjusted score, else vendor, else NVD.

        Among the ``packageVulnerabilityDetails.cvss`` entries, a CVSS v3 score beats any
        other version (Inspector scores with v3.1, docs/facts.md#score); then the vendor that
        published the vulnerability (``packageVulnerabilityDetails.source``) beats other
        vendors, which beat NVD; then 3.1 beats 3.0. ``None`` when nothing is scored.
        """
        details = self.inspector_score_details
        if details is not None and details.adjusted_cvss is not None:
            adjusted = details.adjusted_cvss
            return CvssChoice(
                score=adjusted.score,
                vector=adjusted.scoring_vector,
                version=adjusted.version,
                source=adjusted.score_source,
                kind="adjusted",
            )
        package = self.package_vulnerability_details
        if package is None or not package.cvss:
            return None
        best = max(package.cvss, key=lambda entry: _cvss_rank(entry, package.source))
        return CvssChoice(
            score=best.base_score,
            vector=best.scoring_vector,
            version=best.version,
            source=best.source,
            kind="nvd" if best.source.upper() == "NVD" else "vendor",
        )

    @property
    def epss_score(self) -> float | None:
        """The EPSS score (0 to 1), or ``None`` when Inspector gave none."""
        return None if self.epss is None else self.epss.score

    def age(self, now: datetime | None = None) -> timedelta:
        """Time since ``firstObservedAt``, as of ``now`` (default: the current time; naive is UTC).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit.testing import finding_payload
            >>> f = Finding.from_api(finding_payload(firstObservedAt="2026-10-01T08:00:00Z"))
            >>> f.age(datetime(2026, 10, 11, 8, 0, tzinfo=timezone.utc)).days
            10
        """
        if now is None:
            return datetime.now(timezone.utc) - self.first_observed_at
        # A naive ``now`` is taken as UTC: released behaviour, kept (the time rule in
        # inspector_kit.models._time names this exception).
        return as_utc(now, what="now", naive="utc") - self.first_observed_at

    @property
    def is_fixable(self) -> bool:
        """True when at least one affected package has a fixed version.

        Uses ``fixAvailable`` (YES and PARTIAL count) when present, else the packages'
        ``fixedInVersion``. Network and code findings without either are not "fixable"
        in this sense.
        """
        if self.fix_available is not None:
            return self.fix_available in (FixAvailable.YES, FixAvailable.PARTIAL)
        return any(package.has_fix for package in self.vulnerable_packages)

    @property
    def purls(self) -> tuple[PackageURL | None, ...]:
        """One Package URL per vulnerable package (``None`` where there is no mapping).

        Inspector's own ``purl`` when it is a valid PURL; otherwise built from the package,
        the distribution taken from the primary resource's platform; see
        [`to_purl`][inspector_kit.purl.to_purl].
        """
        from inspector_kit.purl import to_purl

        platform = self.primary_resource.platform
        return tuple(to_purl(package, platform=platform) for package in self.vulnerable_packages)

    def to_json(self, **dumps_kwargs: Any) -> str:
        """The API shape as a JSON string, timestamps as RFC 3339 UTC (``...Z``).

        [`load_findings`][inspector_kit.loaders.load_findings] reads it back to an equal
        ``Finding``.

        Examples:
            >>> from inspector_kit.testing import finding_payload
            >>> f = Finding.from_api(finding_payload())
            >>> json.loads(f.to_json())["firstObservedAt"]
            '2026-10-01T08:00:00Z'
            >>> Finding.from_api(json.loads(f.to_json())) == f
            True
        """
        return json.dumps(self.to_api(), default=_json_default, **dumps_kwargs)

    def _repr_html_(self) -> str:
        """A one-row summary table for Jupyter, the description below it (all escaped)."""
        resource = self.primary_resource
        row = {
            "severity": self.severity,
            "title": self.title,
            "vulnerability": self.vulnerability_id,
            "resource": resource.short_name,
            "region": self.region,
            "account": self.aws_account_id,
            "inspector score": self.inspector_score,
            "status": self.status,
        }
        from inspector_kit._html import html_table  # the notebook view only: not at import

        return html_table([row], severity_column="severity", footer=self.description)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    raise InvalidArgumentTypeError(f"{type(value).__name__} is not JSON serialisable")
