"""AWS Security Finding Format (ASFF): read Inspector's records, write findings for Security Hub.

Facts and assumptions are in docs/facts.md, section "Security Hub ASFF". Pure: no boto3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from inspector_kit.errors import FindingParseError, InvalidArgumentError

if TYPE_CHECKING:
    from inspector_kit.models import Finding

__all__ = [
    "ASFF_BATCH_LIMIT",
    "ASFF_NOT_CARRIED",
    "ASFF_SCHEMA_VERSION",
    "asff_batches",
    "to_asff",
]

#: Findings per ``BatchImportFindings`` request (the service rejects more).
ASFF_BATCH_LIMIT = 100
#: The ASFF ``SchemaVersion`` that :func:`to_asff` writes.
ASFF_SCHEMA_VERSION = "2018-10-08"
#: Inspector finding members that an ASFF record does not carry (lost in a round trip).
ASFF_NOT_CARRIED = (
    "packageVulnerabilityDetails.cvss (the vendor's entry: Security Hub keeps NVD's only)",
    "inspectorScoreDetails",
    "networkReachabilityDetails",
    "codeVulnerabilityDetails.detectorTags",
    "resources[].provider, resources[].providerAccountId",
    "resources[].type other than EC2 instances, ECR images and repositories, Lambda functions"
    " (written as Other)",
    "exploitabilityDetails",
    "severity UNTRIAGED (written as INFORMATIONAL)",
    "resources[].details other than awsEc2Instance, awsLambdaFunction, awsEcrContainerImage",
)

_INSPECTOR_PRODUCT = "/product/aws/inspector"
_TYPES = {
    "PACKAGE_VULNERABILITY": "Software and Configuration Checks/Vulnerabilities/CVE",
    "CODE_VULNERABILITY": "Software and Configuration Checks/Vulnerabilities/CWE",
    "NETWORK_REACHABILITY": "Software and Configuration Checks/AWS Security Best Practices/"
    "Network Reachability",
}
_RESOURCE_TYPES = {
    "AWS_EC2_INSTANCE": "AwsEc2Instance",
    "AWS_ECR_CONTAINER_IMAGE": "AwsEcrContainerImage",
    "AWS_ECR_REPOSITORY": "AwsEcrRepository",
    "AWS_LAMBDA_FUNCTION": "AwsLambdaFunction",
}
_DETAILS = {"awsEc2Instance", "awsLambdaFunction", "awsEcrContainerImage"}
_KEY_RENAMES = {  # Inspector member -> ASFF member, inside resource details
    "imageHash": "ImageDigest",
    "registry": "RegistryId",
    "pushedAt": "ImagePublishedAt",
}
_PACKAGE_KEYS = {
    "name": "Name",
    "version": "Version",
    "epoch": "Epoch",
    "release": "Release",
    "arch": "Architecture",
    "packageManager": "PackageManager",
    "filePath": "FilePath",
    "fixedInVersion": "FixedInVersion",
    "remediation": "Remediation",
    "sourceLayerHash": "SourceLayerHash",
    "sourceLambdaLayerArn": "SourceLayerArn",
}
_SCORE = "aws/inspector/inspectorScore"
_CODE = "aws/inspector/codeVulnerabilityDetails"
_CODE_FIELDS = ("detectorId", "detectorName", "ruleId")
_ARN = "aws/inspector/FindingArn"


def is_asff(record: object) -> bool:
    """Whether a decoded record is an ASFF finding (it has ``SchemaVersion`` and ``ProductArn``)."""
    return isinstance(record, Mapping) and "SchemaVersion" in record and "ProductArn" in record


def asff_to_api(record: Mapping[str, Any]) -> dict[str, Any] | str:
    """The Inspector API payload of an Inspector ASFF record, or why the record is skipped.

    Raises:
        FindingParseError: the record does not have the shape of an ASFF finding.
    """
    try:
        return _asff_to_api(record)
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # A member of the wrong JSON type (a string where ASFF has an object or a list).
        raise FindingParseError(
            f"not a valid Security Hub ASFF record ({type(exc).__name__}: {exc})",
            record.get("Id"),
        ) from None


def _asff_to_api(record: Mapping[str, Any]) -> dict[str, Any] | str:
    product = record.get("ProductArn")
    fields = record.get("ProductFields") or {}
    ident = record.get("Id")
    inspector = isinstance(product, str) and product.endswith(_INSPECTOR_PRODUCT)
    # A custom integration's import of an Inspector finding (as to_asff writes) is read too.
    ours = _ARN in fields or (isinstance(ident, str) and ":inspector2:" in ident)
    if not (inspector or ours):
        name = record.get("ProductName") or product
        return f"Security Hub ASFF record of product {name!r}, not from Amazon Inspector"
    arn = fields.get(_ARN) or record.get("Id")
    payload: dict[str, Any] = {
        "findingArn": arn,
        "awsAccountId": record.get("AwsAccountId"),
        "title": record.get("Title"),
        "description": record.get("Description"),
        "severity": (record.get("Severity") or {}).get("Label"),
        "firstObservedAt": record.get("FirstObservedAt"),
        "lastObservedAt": record.get("LastObservedAt"),
        "updatedAt": record.get("UpdatedAt"),
        "status": _status(record),
        "remediation": _remediation(record),
        "resources": [_resource(r) for r in record.get("Resources") or []],
    }
    if _SCORE in fields:
        try:
            payload["inspectorScore"] = float(fields[_SCORE])
        except ValueError:
            raise FindingParseError(
                "not a number", fields[_SCORE], f"ProductFields.{_SCORE}"
            ) from None
    vulns = record.get("Vulnerabilities") or []
    kind = "PACKAGE_VULNERABILITY"
    if vulns:
        vuln = vulns[0]
        for key, name in (
            ("ExploitAvailable", "exploitAvailable"),
            ("FixAvailable", "fixAvailable"),
        ):
            if key in vuln:
                payload[name] = vuln[key]
        if "EpssScore" in vuln:
            payload["epss"] = {"score": vuln["EpssScore"]}
        if vuln.get("CodeVulnerabilities"):
            kind = "CODE_VULNERABILITY"
            code = vuln["CodeVulnerabilities"][0]
            path = code.get("FilePath") or {}
            details = {
                "cwes": code.get("Cwes") or [],
                "filePath": {_lower(k): v for k, v in path.items()},
                "sourceLambdaLayerArn": code.get("SourceArn"),
                "referenceUrls": vuln.get("ReferenceUrls"),
            }
            for name in _CODE_FIELDS:
                details[name] = fields.get(f"{_CODE}/{name}")
            payload["codeVulnerabilityDetails"] = {
                k: v for k, v in details.items() if v is not None
            }
        else:
            payload["packageVulnerabilityDetails"] = _package_details(vuln)
    elif _TYPES["NETWORK_REACHABILITY"] in (record.get("Types") or []):
        kind = "NETWORK_REACHABILITY"
    payload["type"] = kind
    return {k: v for k, v in payload.items() if v is not None}


def _status(record: Mapping[str, Any]) -> str:
    if record.get("RecordState") == "ARCHIVED":
        return "CLOSED"
    if (record.get("Workflow") or {}).get("Status") == "SUPPRESSED":
        return "SUPPRESSED"
    return "ACTIVE"


def _remediation(record: Mapping[str, Any]) -> dict[str, Any]:
    rec = (record.get("Remediation") or {}).get("Recommendation") or {}
    out = {"text": rec.get("Text"), "Url": rec.get("Url")}  # Inspector spells it "Url"
    return {"recommendation": {k: v for k, v in out.items() if v is not None}}


def _package_details(vuln: Mapping[str, Any]) -> dict[str, Any]:
    vendor = vuln.get("Vendor") or {}
    back = {v: k for k, v in _PACKAGE_KEYS.items()}
    out = {
        "vulnerabilityId": vuln.get("Id"),
        "vulnerablePackages": [_package(p, back) for p in vuln.get("VulnerablePackages") or []],
        "cvss": [
            {
                "baseScore": c.get("BaseScore"),
                "scoringVector": c.get("BaseVector"),
                "version": c.get("Version"),
                "source": c.get("Source"),
            }
            for c in vuln.get("Cvss") or []
        ],
        "relatedVulnerabilities": vuln.get("RelatedVulnerabilities"),
        "referenceUrls": vuln.get("ReferenceUrls"),
        "source": vendor.get("Name"),
        "sourceUrl": vendor.get("Url"),
        "vendorSeverity": vendor.get("VendorSeverity"),
        "vendorCreatedAt": vendor.get("VendorCreatedAt"),
        "vendorUpdatedAt": vendor.get("VendorUpdatedAt"),
    }
    return {k: v for k, v in out.items() if v is not None}


def _package(package: Mapping[str, Any], back: Mapping[str, str]) -> dict[str, Any]:
    out = {back[k]: v for k, v in package.items() if k in back}
    epoch = out.get("epoch")
    if isinstance(epoch, str) and epoch.lstrip("-").isdigit():
        out["epoch"] = int(epoch)  # a string in ASFF, an integer in Inspector
    return out


def _resource(res: Mapping[str, Any]) -> dict[str, Any]:
    back = {v: k for k, v in _RESOURCE_TYPES.items()}
    kind = back.get(res.get("Type", ""), res.get("Type"))
    rid = res.get("Id")
    if kind == "AWS_EC2_INSTANCE" and isinstance(rid, str) and ":instance/" in rid:
        rid = rid.rsplit("/", 1)[1]  # ASFF holds the instance ARN, Inspector the id
    out: dict[str, Any] = {"type": kind, "id": rid}
    for key, name in (("Region", "region"), ("Partition", "partition"), ("Tags", "tags")):
        if key in res:
            out[name] = res[key]
    details = res.get("Details") or {}
    mapped = {_lower(k): _from_asff_keys(v) for k, v in details.items() if _lower(k) in _DETAILS}
    if mapped:
        out["details"] = mapped
    return out


def _lower(key: str) -> str:
    return key[:1].lower() + key[1:]


def _upper(key: str) -> str:
    return _KEY_RENAMES.get(key, key[:1].upper() + key[1:])


def _from_asff_keys(value: Any) -> Any:
    back = {v: k for k, v in _KEY_RENAMES.items()}
    if isinstance(value, Mapping):
        return {back.get(k, _lower(k)): _from_asff_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_asff_keys(v) for v in value]
    return value


def _to_asff_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_upper(k): _to_asff_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_asff_keys(v) for v in value]
    return _time(value)


def _time(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        text = value.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")
    return value


def to_asff(
    findings: Iterable[Finding],
    *,
    product_arn: str | None = None,
    generator_id: str = "inspector-kit",
) -> list[dict[str, Any]]:
    """ASFF records of findings, ready for ``BatchImportFindings`` (see ``asff_batches``).

    Args:
        findings: the findings.
        product_arn: the ``ProductArn`` to write; a custom integration's is
            ``arn:aws:securityhub:<region>:<account>:product/<account>/default``, which is the
            default (built from each finding's account and region).
        generator_id: the ``GeneratorId`` of every record.

    Returns:
        One ASFF record per finding, with the required members; what ASFF cannot carry is
        listed in ``ASFF_NOT_CARRIED``.

    Examples:
        >>> from inspector_kit.sample import sample_findings
        >>> record = to_asff(sample_findings())[0]
        >>> record["SchemaVersion"], record["Id"].startswith("arn:aws:inspector2:")
        ('2018-10-08', True)
        >>> record["ProductFields"]["aws/inspector/FindingArn"] == record["Id"]
        True
    """
    return [_record(f, product_arn, generator_id) for f in findings]


def _record(finding: Finding, product_arn: str | None, generator_id: str) -> dict[str, Any]:
    api = finding.to_api()
    region = finding.region or "us-east-1"
    account = finding.aws_account_id
    product = product_arn or f"arn:aws:securityhub:{region}:{account}:product/{account}/default"
    severity = api.get("severity", "INFORMATIONAL")
    record: dict[str, Any] = {
        "SchemaVersion": ASFF_SCHEMA_VERSION,
        "Id": finding.finding_arn,
        "ProductArn": product,
        "GeneratorId": generator_id,
        "AwsAccountId": account,
        "Types": [_TYPES.get(str(api.get("type")), _TYPES["PACKAGE_VULNERABILITY"])],
        "CreatedAt": _time(api.get("firstObservedAt")),
        "UpdatedAt": _time(api.get("updatedAt")),
        "FirstObservedAt": _time(api.get("firstObservedAt")),
        "LastObservedAt": _time(api.get("lastObservedAt")),
        "Severity": {"Label": "INFORMATIONAL" if severity == "UNTRIAGED" else severity},
        "Title": (api.get("title") or finding.finding_arn)[:256],
        "Description": (api.get("description") or "-")[:1024],
        "ProductFields": {_ARN: finding.finding_arn},
        "Resources": [_asff_resource(r, region, account) for r in api.get("resources") or []],
    }
    for name in _CODE_FIELDS:
        value = (api.get("codeVulnerabilityDetails") or {}).get(name)
        if value is not None:
            record["ProductFields"][f"{_CODE}/{name}"] = str(value)
    if finding.inspector_score is not None:
        record["ProductFields"][_SCORE] = str(finding.inspector_score)
    status = api.get("status")
    record["RecordState"] = "ARCHIVED" if status == "CLOSED" else "ACTIVE"
    if status == "SUPPRESSED":
        record["Workflow"] = {"Status": "SUPPRESSED"}
    rec = (api.get("remediation") or {}).get("recommendation") or {}
    if rec:
        record["Remediation"] = {"Recommendation": {_upper(k): v for k, v in rec.items()}}
    vuln = _asff_vulnerability(api)
    if vuln:
        record["Vulnerabilities"] = [vuln]
    return record


def _asff_vulnerability(api: Mapping[str, Any]) -> dict[str, Any] | None:
    pkg = api.get("packageVulnerabilityDetails")
    code = api.get("codeVulnerabilityDetails")
    if pkg is None and code is None:
        return None
    vuln: dict[str, Any] = {}
    if pkg is not None:
        vuln["Id"] = pkg.get("vulnerabilityId")
        vuln["VulnerablePackages"] = [
            {
                _PACKAGE_KEYS[k]: str(v) if k == "epoch" else v
                for k, v in p.items()
                if k in _PACKAGE_KEYS
            }
            for p in pkg.get("vulnerablePackages") or []
        ]
        source = pkg.get("source")
        cvss = [c for c in pkg.get("cvss") or [] if c.get("source") == "NVD"]
        vuln["Cvss"] = [
            {
                "BaseScore": c.get("baseScore"),
                "BaseVector": c.get("scoringVector"),
                "Version": c.get("version"),
                "Source": c.get("source"),
            }
            for c in cvss
        ]
        vendor = {
            "Name": source,
            "Url": pkg.get("sourceUrl"),
            "VendorSeverity": pkg.get("vendorSeverity"),
            "VendorCreatedAt": _time(pkg.get("vendorCreatedAt")),
            "VendorUpdatedAt": _time(pkg.get("vendorUpdatedAt")),
        }
        if source is not None:
            vuln["Vendor"] = {k: v for k, v in vendor.items() if v is not None}
        for key, name in (
            ("relatedVulnerabilities", "RelatedVulnerabilities"),
            ("referenceUrls", "ReferenceUrls"),
        ):
            if pkg.get(key) is not None:
                vuln[name] = pkg[key]
    else:
        assert code is not None
        vuln["Id"] = (code.get("cwes") or ["CWE"])[0]
        entry: dict[str, Any] = {"Cwes": code.get("cwes") or []}
        if code.get("filePath"):
            entry["FilePath"] = {_upper(k): v for k, v in code["filePath"].items()}
        if code.get("sourceLambdaLayerArn"):
            entry["SourceArn"] = code["sourceLambdaLayerArn"]
        if code.get("referenceUrls"):
            vuln["ReferenceUrls"] = code["referenceUrls"]
        vuln["CodeVulnerabilities"] = [entry]
    for key, name in (("exploitAvailable", "ExploitAvailable"), ("fixAvailable", "FixAvailable")):
        if api.get(key) is not None:
            vuln[name] = api[key]
    score = (api.get("epss") or {}).get("score")
    if score is not None:
        vuln["EpssScore"] = score
    return vuln


def _asff_resource(res: Mapping[str, Any], region: str, account: str | None) -> dict[str, Any]:
    kind = str(res.get("type"))
    rid = res.get("id")
    out: dict[str, Any] = {"Type": _RESOURCE_TYPES.get(kind, "Other"), "Id": rid}
    out["Partition"] = res.get("partition", "aws")
    out["Region"] = res.get("region", region)
    details = {
        _upper(k): _to_asff_keys(v) for k, v in (res.get("details") or {}).items() if k in _DETAILS
    }
    if kind == "AWS_EC2_INSTANCE" and isinstance(rid, str) and rid.startswith("i-"):
        out["Id"] = f"arn:{out['Partition']}:ec2:{out['Region']}:{account or ''}:instance/{rid}"
    if res.get("tags") is not None:
        out["Tags"] = dict(res["tags"])
    if details:
        out["Details"] = details
    return out


def asff_batches(
    records: Iterable[Mapping[str, Any]], size: int = ASFF_BATCH_LIMIT
) -> Iterator[list[Mapping[str, Any]]]:
    """Split ASFF records into lists of at most ``size`` (``BatchImportFindings``'s limit).

    Examples:
        >>> [len(b) for b in asff_batches([{}] * 250)]
        [100, 100, 50]
    """
    if not 1 <= size <= ASFF_BATCH_LIMIT:
        raise InvalidArgumentError(f"size must be 1..{ASFF_BATCH_LIMIT}, got {size!r}")
    batch: list[Mapping[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
