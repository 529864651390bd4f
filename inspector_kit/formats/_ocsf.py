"""OCSF Vulnerability Finding (class 2002): read Inspector's records, write findings as OCSF.

Amazon Security Lake and the current Security Hub (``GetFindingsV2``, the ``Findings Imported
V2`` EventBridge event) hold Inspector's findings as OCSF records; Security Lake writes them as
Parquet files, which ``load_findings`` reads row group by row group with the ``arrow`` extra
(:func:`iter_parquet_records`). Facts and assumptions are in docs/facts.md, section "OCSF and
Security Lake". Pure: no boto3.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from inspector_kit.errors import FindingParseError, InvalidArgumentError, SourceFormatError

if TYPE_CHECKING:
    from inspector_kit.models import Finding

__all__ = ["OCSF_NOT_CARRIED", "OCSF_VERSION", "to_ocsf"]

#: The OCSF schema version :func:`to_ocsf` writes by default (``metadata.version``).
OCSF_VERSION = "1.6.0"
#: ``class_uid`` of the OCSF Vulnerability Finding class (category 2, Findings; class 2).
OCSF_CLASS_UID = 2002
#: Inspector finding members that an OCSF record written by :func:`to_ocsf` does not carry
#: (lost in a round trip through OCSF).
OCSF_NOT_CARRIED = (
    "inspectorScoreDetails",
    "exploitabilityDetails",
    "networkReachabilityDetails",
    "codeVulnerabilityDetails.detectorTags",
    "codeVulnerabilityDetails.ruleId",
    "codeVulnerabilityDetails.sourceLambdaLayerArn",
    "packageVulnerabilityDetails.vulnerablePackages[].sourceLayerHash",
    "packageVulnerabilityDetails.vulnerablePackages[].sourceLambdaLayerArn",
    "fixAvailable PARTIAL (OCSF's is_fix_available is a boolean: read back as YES)",
    "remediation.recommendation of a finding with no vulnerability to hold it"
    " (NETWORK_REACHABILITY, or a code finding with no CWE)",
    "codeVulnerabilityDetails of a code finding with no CWE (an OCSF vulnerability needs a"
    " CVE or a CWE)",
    "times below the millisecond (OCSF times are epoch milliseconds)",
)

_CLASS_NAME = "Vulnerability Finding"
_CATEGORY_UID = 2
_SEVERITY_IDS = {
    "UNTRIAGED": 0,
    "INFORMATIONAL": 1,
    "LOW": 2,
    "MEDIUM": 3,
    "HIGH": 4,
    "CRITICAL": 5,
}
_SEVERITY_CAPTIONS = {0: "Unknown", 1: "Informational", 2: "Low", 3: "Medium", 4: "High"}
_SEVERITY_CAPTIONS.update({5: "Critical", 6: "Fatal", 99: "Other"})
_STATUS_IDS = {"ACTIVE": 1, "SUPPRESSED": 3, "CLOSED": 4}
_STATUS_CAPTIONS = {1: "New", 2: "In Progress", 3: "Suppressed", 4: "Resolved"}
_STATUS_CAPTIONS.update({5: "Archived", 6: "Deleted", 99: "Other"})
_ACTIVITY_CAPTIONS = {1: "Create", 2: "Update", 3: "Close"}
# Inspector's resource types as Security Hub names them (the ASFF names, which Security
# Hub's OCSF findings keep; an assumption, docs/facts.md#ocsf). Other types are written as
# Inspector names them and read back unchanged.
_RESOURCE_TYPES = {
    "AWS_EC2_INSTANCE": "AwsEc2Instance",
    "AWS_ECR_CONTAINER_IMAGE": "AwsEcrContainerImage",
    "AWS_ECR_REPOSITORY": "AwsEcrRepository",
    "AWS_LAMBDA_FUNCTION": "AwsLambdaFunction",
}
_FINDING_TYPES = ("PACKAGE_VULNERABILITY", "CODE_VULNERABILITY", "NETWORK_REACHABILITY")
_PACKAGE_KEYS = {  # Inspector vulnerablePackages member -> OCSF affected_package attribute
    "name": "name",
    "version": "version",
    "epoch": "epoch",
    "release": "release",
    "arch": "architecture",
    "packageManager": "package_manager",
    "filePath": "path",
    "fixedInVersion": "fixed_in_version",
    "purl": "purl",
}
_SCORE_KEY = "inspectorScore"  # in ``unmapped``: OCSF has no attribute for it
_EVENT = "Findings Imported V2"  # Security Hub's EventBridge event of OCSF findings
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MS = dt.timedelta(milliseconds=1)


# ---------------------------------------------------------------------------- reading


def is_ocsf(record: object) -> bool:
    """Whether a decoded record is an OCSF event (it has ``class_uid`` and ``metadata``).

    Examples:
        >>> is_ocsf({"class_uid": 2002, "metadata": {"version": "1.1.0"}})
        True
        >>> is_ocsf({"findingArn": "arn:aws:inspector2:..."})
        False
    """
    return isinstance(record, Mapping) and "class_uid" in record and "metadata" in record


def ocsf_items(document: Mapping[str, Any]) -> list[Any] | None:
    """The OCSF records of a Security Hub ``Findings Imported V2`` EventBridge event."""
    if document.get("detail-type") != _EVENT:
        return None
    detail = document.get("detail")
    held = detail.get("findings") if isinstance(detail, Mapping) else None
    return held if isinstance(held, list) else None


# "metadata" alone is not OCSF's (CycloneDX documents have it too).
_OCSF_KEYS = frozenset({"class_uid", "category_uid", "finding_info", "type_uid"})


def ocsf_hint(keys: Sequence[str]) -> str | None:
    """What an object holding OCSF-like keys but no OCSF record lacks."""
    if not any(k in _OCSF_KEYS for k in keys):
        return None
    return (
        "looks like OCSF but holds no OCSF record: expected records with class_uid and "
        f"metadata (an OCSF Vulnerability Finding has class_uid {OCSF_CLASS_UID})"
    )


def ocsf_to_api(record: Mapping[str, Any]) -> dict[str, Any] | str:
    """The Inspector API payload of an Inspector OCSF record, or why the record is skipped.

    Raises:
        FindingParseError: the record does not have the shape of an OCSF finding.

    Examples:
        >>> ocsf_to_api({"class_uid": 2004, "class_name": "Detection Finding",
        ...              "metadata": {"product": {"name": "GuardDuty"}}})
        "OCSF record of product 'GuardDuty', class 'Detection Finding' (2004): not an Amazon Inspector vulnerability finding"
    """  # noqa: E501
    uid = (record.get("finding_info") or {}) if isinstance(record, Mapping) else {}
    try:
        return _to_api(record)
    except FindingParseError:
        raise  # already names the OCSF attribute
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        raise FindingParseError(
            f"not a valid OCSF record ({type(exc).__name__}: {exc})",
            uid.get("uid") if isinstance(uid, Mapping) else None,
        ) from None


def _product(record: Mapping[str, Any]) -> Mapping[str, Any]:
    return (record.get("metadata") or {}).get("product") or {}


def _is_inspector(record: Mapping[str, Any]) -> bool:
    product = _product(record)
    name = str(product.get("name") or "")
    uid = str((record.get("finding_info") or {}).get("uid") or "")
    return "inspector" in name.lower() or ":inspector2:" in uid


def _to_api(record: Mapping[str, Any]) -> dict[str, Any] | str:
    class_uid = record.get("class_uid")
    if class_uid != OCSF_CLASS_UID or not _is_inspector(record):
        name = _product(record).get("name")
        return (
            f"OCSF record of product {name!r}, class {record.get('class_name')!r} "
            f"({class_uid}): not an Amazon Inspector vulnerability finding"
        )
    info = record.get("finding_info") or {}
    cloud = record.get("cloud") or {}
    vulns = [v for v in record.get("vulnerabilities") or [] if v]
    time = record.get("time")
    payload: dict[str, Any] = {
        "findingArn": info.get("uid"),
        "awsAccountId": (cloud.get("account") or {}).get("uid"),
        "title": info.get("title"),
        "description": info.get("desc"),
        "severity": _severity(record),
        "status": _status(record),
        "firstObservedAt": _time(_first(info, "first_seen_time", "created_time") or time),
        "lastObservedAt": _time(_first(info, "last_seen_time") or time),
        "updatedAt": _time(_first(info, "modified_time") or time),
        "resources": [_resource(r, cloud) for r in record.get("resources") or [] if r],
    }
    score = _unmapped(record).get(_SCORE_KEY)
    if score is not None:
        try:
            payload["inspectorScore"] = float(score)
        except (TypeError, ValueError):
            raise FindingParseError("not a number", score, f"unmapped.{_SCORE_KEY}") from None
    kind = _kind(info, vulns)
    payload["type"] = kind
    if vulns:
        first = vulns[0]
        remediation = first.get("remediation") or {}
        rec = {"text": remediation.get("desc")}
        urls = remediation.get("references") or []
        if urls:
            rec["Url"] = urls[0]  # Inspector spells it "Url"
        payload["remediation"] = {"recommendation": {k: v for k, v in rec.items() if v}}
        fix = _first(first, "is_fix_available", "fix_available")
        if fix is not None:
            payload["fixAvailable"] = "YES" if fix else "NO"
        exploit = _first(first, "is_exploit_available", "exploit_available")
        if exploit is not None:
            payload["exploitAvailable"] = "YES" if exploit else "NO"
        epss = ((first.get("cve") or {}).get("epss") or {}).get("score")
        if epss is not None:
            payload["epss"] = {"score": float(epss)}
        if kind == "CODE_VULNERABILITY":
            payload["codeVulnerabilityDetails"] = _code_details(info, vulns)
        elif kind == "PACKAGE_VULNERABILITY":
            payload["packageVulnerabilityDetails"] = _package_details(first)
    else:
        payload["remediation"] = {"recommendation": {}}
    return {k: v for k, v in payload.items() if v is not None}


def _first(obj: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if obj.get(key) is not None:
            return obj[key]
        if obj.get(f"{key}_dt") is not None:  # the OCSF date/time profile's twin
            return obj[f"{key}_dt"]
    return None


def _unmapped(record: Mapping[str, Any]) -> Mapping[str, Any]:
    value = record.get("unmapped") or {}
    if isinstance(value, list):  # a Parquet map<string, string> read as (key, value) pairs
        value = dict(value)
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, Mapping) else {}


def _kind(info: Mapping[str, Any], vulns: Sequence[Mapping[str, Any]]) -> str:
    for name in info.get("types") or []:
        if name in _FINDING_TYPES:
            return str(name)
    if any(v.get("cve") for v in vulns):
        return "PACKAGE_VULNERABILITY"
    if any(v.get("affected_code") or v.get("cwe") for v in vulns):
        return "CODE_VULNERABILITY"
    return "NETWORK_REACHABILITY" if not vulns else "PACKAGE_VULNERABILITY"


def _severity(record: Mapping[str, Any]) -> str:
    sid = record.get("severity_id")
    back = {v: k for k, v in _SEVERITY_IDS.items()}
    if sid in back:
        return back[sid]
    if sid == 6:  # Fatal: Inspector's highest is CRITICAL
        return "CRITICAL"
    label = str(record.get("severity") or "").upper()
    return label if label in _SEVERITY_IDS else "UNTRIAGED"


def _status(record: Mapping[str, Any]) -> str:
    sid = record.get("status_id")
    if record.get("activity_id") == 3 or sid in (4, 5, 6):
        return "CLOSED"
    if sid == 3:
        return "SUPPRESSED"
    return "ACTIVE"


def _time(value: Any) -> Any:
    """OCSF times are epoch milliseconds; the ``_dt`` twins and Parquet give other forms."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return (_EPOCH + dt.timedelta(milliseconds=value)).isoformat()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat()
    return value


def _resource(res: Mapping[str, Any], cloud: Mapping[str, Any]) -> dict[str, Any]:
    back = {v: k for k, v in _RESOURCE_TYPES.items()}
    kind = back.get(res.get("type") or "", res.get("type"))
    rid = res.get("uid")
    if kind == "AWS_EC2_INSTANCE" and isinstance(rid, str) and ":instance/" in rid:
        rid = rid.rsplit("/", 1)[1]  # an instance ARN; Inspector holds the id
    out: dict[str, Any] = {"type": kind, "id": rid}
    if res.get("cloud_partition") is not None:
        out["partition"] = res["cloud_partition"]
    region = res.get("region") or cloud.get("region")
    if region is not None:
        out["region"] = region
    tags = res.get("tags")
    if tags is not None:
        out["tags"] = {t["name"]: t.get("value") for t in tags}
    data = res.get("data")
    if isinstance(data, str):
        data = json.loads(data)
    if data:
        out["details"] = data
    if cloud.get("provider") is not None:
        out["provider"] = cloud["provider"]
    return out


def _package_details(vuln: Mapping[str, Any]) -> dict[str, Any]:
    cve = vuln.get("cve") or {}
    # Inspector requires the advisory's source and each CVSS entry's: say which OCSF
    # attribute is missing rather than which Inspector member.
    if vuln.get("vendor_name") is None:
        raise FindingParseError(
            "required member is missing", None, "vulnerabilities[0].vendor_name"
        )
    for i, entry in enumerate(cve.get("cvss") or []):
        if entry.get("vendor_name") is None:
            path = f"vulnerabilities[0].cve.cvss[{i}].vendor_name"
            raise FindingParseError("required member is missing", None, path)
    out = {
        "vulnerabilityId": cve.get("uid"),
        "vulnerablePackages": [_package(p) for p in vuln.get("affected_packages") or []],
        "cvss": [
            {
                "baseScore": c.get("base_score"),
                "scoringVector": c.get("vector_string"),
                "version": c.get("version"),
                "source": c.get("vendor_name"),
            }
            for c in cve.get("cvss") or []
        ],
        "relatedVulnerabilities": vuln.get("related_vulnerabilities"),
        "referenceUrls": vuln.get("references"),
        "source": vuln.get("vendor_name"),
        "sourceUrl": (cve.get("references") or [None])[0],
        "vendorSeverity": vuln.get("severity"),
        "vendorCreatedAt": _time(_first(cve, "created_time")),
        "vendorUpdatedAt": _time(_first(cve, "modified_time")),
    }
    return {k: v for k, v in out.items() if v is not None}


def _package(package: Mapping[str, Any]) -> dict[str, Any]:
    back = {v: k for k, v in _PACKAGE_KEYS.items()}
    out = {back[k]: v for k, v in package.items() if k in back and v is not None}
    remediation = package.get("remediation")
    if isinstance(remediation, Mapping) and remediation.get("desc") is not None:
        out["remediation"] = remediation["desc"]
    epoch = out.get("epoch")
    if isinstance(epoch, str) and epoch.lstrip("-").isdigit():
        out["epoch"] = int(epoch)
    return out


def _code_details(info: Mapping[str, Any], vulns: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    first = vulns[0]
    code = (first.get("affected_code") or [{}])[0]
    file = code.get("file") or {}
    path = {
        "fileName": file.get("name"),
        "filePath": file.get("path"),
        "startLine": code.get("start_line"),
        "endLine": code.get("end_line"),
    }
    analytic = info.get("analytic") or {}
    out = {
        "cwes": [v["cwe"]["uid"] for v in vulns if (v.get("cwe") or {}).get("uid")],
        "filePath": {k: v for k, v in path.items() if v is not None},
        "referenceUrls": first.get("references"),
        "detectorId": analytic.get("uid"),
        "detectorName": analytic.get("name"),
    }
    return {k: v for k, v in out.items() if v is not None}


def iter_parquet_records(
    stream: IO[bytes], name: str
) -> Iterator[dict[str, Any] | SourceFormatError]:
    """The rows of a Parquet file as dicts, one row group at a time (extra ``arrow``).

    A row group that cannot be read is yielded as a ``SourceFormatError`` (the loader
    lists it and goes on with the next one).

    Raises:
        MissingExtraError: pyarrow is not installed.
        SourceFormatError: the file is not a readable Parquet file at all.
    """
    from ._extras import require

    parquet = require("pyarrow.parquet", "arrow", feature="reading Parquet files")
    try:
        reader = parquet.ParquetFile(stream)
    except Exception as exc:  # pyarrow's ArrowInvalid, OSError...
        raise SourceFormatError(f"not a readable Parquet file: {exc}", source=name) from exc
    for group in range(reader.num_row_groups):
        try:
            batches = list(reader.iter_batches(row_groups=[group], batch_size=1024))
        except Exception as exc:
            yield SourceFormatError(f"Parquet row group {group} is unreadable: {exc}", source=name)
            continue
        for batch in batches:
            yield from batch.to_pylist()


# ---------------------------------------------------------------------------- writing


def _ms(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):  # to_api() gives datetimes; a kept unknown member may not
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return int((value - _EPOCH) // _MS)


def _json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def to_ocsf(
    findings: Iterable[Finding],
    *,
    version: str = OCSF_VERSION,
    product_name: str = "Inspector",
) -> list[dict[str, Any]]:
    """OCSF Vulnerability Finding records (class 2002) of findings, JSON-ready dicts.

    Args:
        findings: the findings.
        version: the OCSF schema version written in ``metadata.version``.
        product_name: ``metadata.product.name`` (with ``vendor_name`` "AWS").

    Returns:
        One record per finding; times are epoch milliseconds. What OCSF cannot carry is
        listed in ``OCSF_NOT_CARRIED``; ``load_findings`` reads the records back.

    Examples:
        >>> from inspector_kit import load_findings, sample_findings
        >>> findings = list(sample_findings())
        >>> record = to_ocsf(findings)[0]
        >>> record["class_uid"], record["metadata"]["version"]
        (2002, '1.6.0')
        >>> record["finding_info"]["uid"] == findings[0].finding_arn
        True
        >>> list(load_findings(record))[0].finding_arn == findings[0].finding_arn
        True
    """
    if not isinstance(version, str) or not version:
        raise InvalidArgumentError(f"version must be a non-empty string, got {version!r}")
    return [_record(f, version, product_name) for f in findings]


def _record(finding: Finding, version: str, product_name: str) -> dict[str, Any]:
    api = finding.to_api()
    severity = str(api.get("severity") or "UNTRIAGED")
    sid = _SEVERITY_IDS.get(severity, 99)
    status_id = _STATUS_IDS.get(str(api.get("status")), 99)
    activity = (
        3 if status_id == 4 else 2 if api.get("updatedAt") != api.get("firstObservedAt") else 1
    )
    resources = api.get("resources") or []
    provider = next((r["provider"] for r in resources if r.get("provider")), "AWS")
    kind = str(api.get("type") or "PACKAGE_VULNERABILITY")
    info: dict[str, Any] = {
        "uid": finding.finding_arn,
        "title": api.get("title"),
        "desc": api.get("description"),
        "types": [kind],
        "created_time": _ms(api.get("firstObservedAt")),
        "first_seen_time": _ms(api.get("firstObservedAt")),
        "last_seen_time": _ms(api.get("lastObservedAt")),
        "modified_time": _ms(api.get("updatedAt")),
    }
    code = api.get("codeVulnerabilityDetails") or {}
    if code.get("detectorId") is not None:
        analytic = {"uid": code["detectorId"], "name": code.get("detectorName")}
        info["analytic"] = {**analytic, "type_id": 1, "type": "Rule"}
    record: dict[str, Any] = {
        "class_uid": OCSF_CLASS_UID,
        "class_name": _CLASS_NAME,
        "category_uid": _CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": activity,
        "activity_name": _ACTIVITY_CAPTIONS[activity],
        "type_uid": OCSF_CLASS_UID * 100 + activity,
        "type_name": f"{_CLASS_NAME}: {_ACTIVITY_CAPTIONS[activity]}",
        "severity_id": sid,
        "severity": _SEVERITY_CAPTIONS[sid],
        "status_id": status_id,
        "status": _STATUS_CAPTIONS[status_id] if status_id != 99 else str(api.get("status")),
        "time": _ms(api.get("updatedAt") or api.get("lastObservedAt")),
        "message": api.get("title"),
        "metadata": {
            "version": version,
            "product": {"name": product_name, "vendor_name": "AWS"},
            "uid": finding.finding_arn,
        },
        "cloud": {
            "provider": provider,
            "region": finding.region,
            "account": {"uid": api.get("awsAccountId"), "type": "AWS Account", "type_id": 10},
        },
        "finding_info": {k: v for k, v in info.items() if v is not None},
        "resources": [_ocsf_resource(r) for r in resources],
        "vulnerabilities": _vulnerabilities(api, kind),
    }
    if finding.inspector_score is not None:
        record["unmapped"] = {_SCORE_KEY: str(finding.inspector_score)}
    return _json_ready(record)  # type: ignore[no-any-return]


def _ocsf_resource(res: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(res.get("type"))
    out: dict[str, Any] = {"type": _RESOURCE_TYPES.get(kind, kind), "uid": res.get("id")}
    if res.get("partition") is not None:
        out["cloud_partition"] = res["partition"]
    if res.get("region") is not None:
        out["region"] = res["region"]
    if res.get("tags") is not None:
        out["tags"] = [{"name": k, "value": v} for k, v in res["tags"].items()]
    if res.get("details"):
        out["data"] = res["details"]
    return out


def _vulnerabilities(api: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    pkg = api.get("packageVulnerabilityDetails")
    code = api.get("codeVulnerabilityDetails")
    if kind == "CODE_VULNERABILITY" and code is not None and code.get("cwes"):
        path = code.get("filePath") or {}
        affected = {
            "file": {
                "name": path.get("fileName"),
                "path": path.get("filePath"),
                "type_id": 1,
                "type": "Regular File",
            },
            "start_line": path.get("startLine"),
            "end_line": path.get("endLine"),
        }
        affected = {k: v for k, v in affected.items() if v is not None}
        vulns: list[dict[str, Any]] = [
            {"cwe": {"uid": cwe}, "affected_code": [affected]} for cwe in code["cwes"]
        ]
        if code.get("referenceUrls"):
            vulns[0]["references"] = list(code["referenceUrls"])
    elif pkg is not None:
        cve: dict[str, Any] = {
            "uid": pkg.get("vulnerabilityId"),
            "cvss": [
                {
                    "base_score": c.get("baseScore"),
                    "vector_string": c.get("scoringVector"),
                    "version": c.get("version"),
                    "vendor_name": c.get("source"),
                }
                for c in pkg.get("cvss") or []
            ],
        }
        if pkg.get("sourceUrl") is not None:
            cve["references"] = [pkg["sourceUrl"]]
        for key, name in (
            ("vendorCreatedAt", "created_time"),
            ("vendorUpdatedAt", "modified_time"),
        ):
            if pkg.get(key) is not None:
                cve[name] = _ms(pkg[key])
        vuln: dict[str, Any] = {
            "cve": cve,
            "affected_packages": [_ocsf_package(p) for p in pkg.get("vulnerablePackages") or []],
        }
        for key, name in (
            ("relatedVulnerabilities", "related_vulnerabilities"),
            ("referenceUrls", "references"),
            ("source", "vendor_name"),
            ("vendorSeverity", "severity"),
        ):
            if pkg.get(key) is not None:
                vuln[name] = pkg[key]
        vulns = [vuln]
    else:
        return []  # network reachability, or a code finding with no CWE: OCSF_NOT_CARRIED
    first = vulns[0]
    rec = (api.get("remediation") or {}).get("recommendation") or {}
    if rec.get("text"):
        first["remediation"] = {"desc": rec["text"]}
        if rec.get("Url"):
            first["remediation"]["references"] = [rec["Url"]]
    fix = api.get("fixAvailable")
    if fix is not None:
        first["is_fix_available"] = fix != "NO"
    exploit = api.get("exploitAvailable")
    if exploit is not None:
        first["is_exploit_available"] = exploit == "YES"
    score = (api.get("epss") or {}).get("score")
    if score is not None and "cve" in first:
        first["cve"]["epss"] = {"score": score}
    return vulns


def _ocsf_package(package: Mapping[str, Any]) -> dict[str, Any]:
    out = {_PACKAGE_KEYS[k]: v for k, v in package.items() if k in _PACKAGE_KEYS}
    if package.get("remediation") is not None:
        out["remediation"] = {"desc": package["remediation"]}
    return out
