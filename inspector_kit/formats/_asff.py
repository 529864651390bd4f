"""AWS Security Finding Format (ASFF): read Inspector's records, write findings for Security Hub.

Facts and assumptions are in docs/facts.md, section "Security Hub ASFF". Pure: no boto3.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from inspector_kit import _limits
from inspector_kit.errors import AsffRecordTooLargeError, FindingParseError, InvalidArgumentError

if TYPE_CHECKING:
    from inspector_kit.models import Finding

__all__ = [
    "ASFF_BATCH_LIMIT",
    "ASFF_FINDING_BYTES_LIMIT",
    "ASFF_NOT_CARRIED",
    "ASFF_REQUEST_BYTES_LIMIT",
    "ASFF_SCHEMA_VERSION",
    "asff_batches",
    "asff_size",
    "to_asff",
]

#: Findings per ``BatchImportFindings`` request (the service rejects more).
ASFF_BATCH_LIMIT = _limits.ASFF_BATCH
#: Bytes of one finding's JSON that ``BatchImportFindings`` accepts ("240 KB", read as 240,000).
ASFF_FINDING_BYTES_LIMIT = _limits.ASFF_FINDING_BYTES
#: Bytes of a ``BatchImportFindings`` request's JSON body ("6 MB", read as 6,000,000).
ASFF_REQUEST_BYTES_LIMIT = _limits.ASFF_REQUEST_BYTES
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
# The members of each ASFF details shape (securityhub model; tests/test_asff.py compares).
# An Inspector member with no ASFF member goes to Details.Other as "<details>.<member>".
_ASFF_MEMBERS = {
    "awsEc2Instance": frozenset(
        {
            "Type",
            "ImageId",
            "IpV4Addresses",
            "IpV6Addresses",
            "KeyName",
            "IamInstanceProfileArn",
            "VpcId",
            "SubnetId",
            "LaunchedAt",
            "NetworkInterfaces",
            "VirtualizationType",
            "MetadataOptions",
            "Monitoring",
        }
    ),
    "awsEcrContainerImage": frozenset(
        {
            "RegistryId",
            "RepositoryName",
            "Architecture",
            "ImageDigest",
            "ImageTags",
            "ImagePublishedAt",
        }
    ),
    "awsLambdaFunction": frozenset(
        {
            "Code",
            "CodeSha256",
            "DeadLetterConfig",
            "Environment",
            "FunctionName",
            "Handler",
            "KmsKeyArn",
            "LastModified",
            "Layers",
            "MasterArn",
            "MemorySize",
            "RevisionId",
            "Role",
            "Runtime",
            "Timeout",
            "TracingConfig",
            "VpcConfig",
            "Version",
            "Architectures",
            "PackageType",
        }
    ),
}
_LAMBDA_RENAMES = {"executionRoleArn": "Role", "lastModifiedAt": "LastModified"}
_OTHER = "Other"  # ResourceDetails.Other: a map of non-empty strings
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
    mapped = {
        _lower(k): _detail_from_asff(_lower(k), v)
        for k, v in details.items()
        if _lower(k) in _DETAILS
    }
    for key, value in (details.get(_OTHER) or {}).items():
        kind, _, member = str(key).partition(".")
        if kind in _DETAILS and member:
            mapped.setdefault(kind, {})[member] = _other_value(value)
    if mapped:
        out["details"] = mapped
    return out


def _detail_from_asff(kind: str, value: Any) -> Any:
    out = _from_asff_keys(value)
    if kind == "awsLambdaFunction" and isinstance(value, Mapping):
        back = {v: k for k, v in _LAMBDA_RENAMES.items()}
        out = {back.get(_upper(k), k): v for k, v in out.items()}
        layers = out.get("layers")
        if isinstance(layers, list):  # ASFF: [{"Arn": ...}], Inspector: [arn, ...]
            out["layers"] = [x.get("arn") if isinstance(x, Mapping) else x for x in layers]
    return out


def _other_value(value: Any) -> Any:
    """A ``Details.Other`` value back: ``#`` and JSON for a value that was no plain string."""
    if isinstance(value, str) and value.startswith("#"):
        try:
            return json.loads(value[1:])
        except ValueError:
            return value
    return value


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
    details: dict[str, Any] = {}
    other: dict[str, str] = {}
    for kind, value in (res.get("details") or {}).items():
        if kind not in _DETAILS or not isinstance(value, Mapping):
            continue
        allowed = _ASFF_MEMBERS[kind]
        converted: dict[str, Any] = {}
        for member, item in value.items():
            name = _LAMBDA_RENAMES.get(member) if kind == "awsLambdaFunction" else None
            name = name or _upper(member)
            if name in allowed:
                if name == "Layers" and isinstance(item, list):
                    item = [{"Arn": x} if isinstance(x, str) else x for x in item]
                converted[name] = _to_asff_keys(item)
            elif item is not None:
                text = _time(item)
                if not isinstance(text, str) or text.startswith("#"):
                    text = "#" + json.dumps(text)  # "#": JSON of a value that is no plain string
                if text.strip():
                    other[f"{kind}.{member}"] = text
        details[_upper(kind)] = converted
    if other:
        details[_OTHER] = other
    if kind == "AWS_EC2_INSTANCE" and isinstance(rid, str) and rid.startswith("i-"):
        out["Id"] = f"arn:{out['Partition']}:ec2:{out['Region']}:{account or ''}:instance/{rid}"
    if res.get("tags") is not None:
        out["Tags"] = dict(res["tags"])
    if details:
        out["Details"] = details
    return out


# The request body as botocore's rest-json serializer writes it: json.dumps() with its
# default separators and ASCII escapes, {"Findings": [r1, r2, ...]}.
_REQUEST_OVERHEAD = len(json.dumps({"Findings": []}))
_SEPARATOR = len(", ")


def asff_size(record: Mapping[str, Any]) -> int:
    r"""The bytes an ASFF record takes in a ``BatchImportFindings`` request body.

    Measured as botocore sends it: ``json.dumps`` with ASCII escapes, so a non-ASCII
    character counts as its ``\uXXXX`` escape (6 bytes).

    Examples:
        >>> asff_size({"Id": "a"})
        11
        >>> asff_size({"Id": "é"})  # sent as "\u00e9"
        16
    """
    return len(json.dumps(record, default=str))


def asff_batches(
    records: Iterable[Mapping[str, Any]],
    size: int = ASFF_BATCH_LIMIT,
    *,
    max_bytes: int = ASFF_REQUEST_BYTES_LIMIT,
    on_oversized: Callable[[AsffRecordTooLargeError], None] | None = None,
) -> Iterator[list[Mapping[str, Any]]]:
    """Split ASFF records into ``BatchImportFindings`` requests, by count and by size.

    Each batch holds at most ``size`` records (the service's limit is 100) and its request
    body at most ``max_bytes`` bytes (6 MB). A record over the per-finding limit (240 KB,
    ``ASFF_FINDING_BYTES_LIMIT``) is never put in a batch: where it is met, the records
    before it are yielded as a batch and then ``AsffRecordTooLargeError`` is raised; or,
    with ``on_oversized``, the error is passed to that callback and the record skipped. Sizes
    are measured by :func:`asff_size`. Facts: docs/facts.md, section "Security Hub ASFF".

    Args:
        records: ASFF records, as ``to_asff`` writes them.
        size: Records per batch, 1..100.
        max_bytes: Bytes per request body, at least the per-finding limit plus the
            request's own bytes; at most 6,000,000.
        on_oversized: Called with the error for each record over the per-finding limit,
            which is then skipped; ``None`` (the default) raises instead.

    Raises:
        AsffRecordTooLargeError: a record is over the per-finding limit (without
            ``on_oversized``).
        InvalidArgumentError: ``size`` or ``max_bytes`` is out of range.

    Examples:
        >>> [len(b) for b in asff_batches([{}] * 250)]
        [100, 100, 50]
        >>> big = {"Id": "big", "Description": "x" * 250_000}
        >>> skipped = []
        >>> [len(b) for b in asff_batches([{}, big, {}], on_oversized=skipped.append)]
        [2]
        >>> skipped[0].record_id, skipped[0].size > skipped[0].limit
        ('big', True)
    """
    if not 1 <= size <= ASFF_BATCH_LIMIT:
        raise InvalidArgumentError(f"size must be 1..{ASFF_BATCH_LIMIT}, got {size!r}")
    smallest = ASFF_FINDING_BYTES_LIMIT + _REQUEST_OVERHEAD
    if isinstance(max_bytes, bool) or not smallest <= max_bytes <= ASFF_REQUEST_BYTES_LIMIT:
        raise InvalidArgumentError(
            f"max_bytes must be {smallest}..{ASFF_REQUEST_BYTES_LIMIT}, got {max_bytes!r}"
        )
    batch: list[Mapping[str, Any]] = []
    used = _REQUEST_OVERHEAD
    for record in records:
        nbytes = asff_size(record)
        if nbytes > ASFF_FINDING_BYTES_LIMIT:
            error = AsffRecordTooLargeError(
                f"ASFF record {record.get('Id')!r} is {nbytes} bytes, over the "
                f"{ASFF_FINDING_BYTES_LIMIT} bytes BatchImportFindings accepts per finding; "
                "it is not sent",
                record_id=record.get("Id"),
                size=nbytes,
                limit=ASFF_FINDING_BYTES_LIMIT,
            )
            if on_oversized is None:
                if batch:  # the records before it are given first
                    yield batch
                    batch, used = [], _REQUEST_OVERHEAD
                raise error
            on_oversized(error)
            continue
        extra = nbytes + (_SEPARATOR if batch else 0)
        if batch and used + extra > max_bytes:
            yield batch
            batch, used, extra = [], _REQUEST_OVERHEAD, nbytes
        batch.append(record)
        used += extra
        if len(batch) == size:
            yield batch
            batch, used = [], _REQUEST_OVERHEAD
    if batch:
        yield batch
