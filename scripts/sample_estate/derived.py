"""Pure builders of the estate's derived files, from the findings and ``resources.json``.

These are what the loopback server used to derive at load time (issue 15): the coverage
records (``ListCoverage``), the account settings (configuration, deep inspection, status,
members), the usage totals (``ListUsageTotals``, quantities only: the loopback prices them
from the bundled price table), the KEV list and the finding details. Each function takes
the generated documents and returns a new JSON-ready value; nothing here reads a file,
the clock or a module-level mutable value.

The coverage records restate what ``resources.json`` says Inspector reports for each
instance (``expected_scan_mode`` / ``expected_coverage_reason``, from the independent
oracle in ``sample_estate.oracle``); they do not re-derive coverage from rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

JSON = dict[str, Any]

ADMINISTRATOR = "123456789012"  # acme-shared, the delegated administrator
MEMBERS_UPDATED_AT = "2026-05-01T00:00:00Z"
HOURS = 720  # ListUsageTotals covers the last 30 days: 30 x 24 instance-hours per instance
ECR_RESCANS_PER_IMAGE = 4  # our convention: about one rescan a week per monitored image

# CISA KEV entries (dateAdded, dueDate) for the sample's CVEs that are in the catalogue.
# Illustrative: transcribed for the synthetic sample, not fetched; verify before relying on them.
KEV: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "CVE-2021-3156": ("2022-04-06", "2022-04-27"),
        "CVE-2021-44228": ("2021-12-10", "2021-12-24"),
        "CVE-2021-45046": ("2023-05-01", "2023-05-22"),
        "CVE-2023-4911": ("2023-11-21", "2023-12-12"),
        "CVE-2023-44487": ("2023-10-10", "2023-10-31"),
    }
)
KEV_ACTION = (
    "Apply mitigations per vendor instructions or discontinue use of the product if "
    "mitigations are unavailable."
)

_ACTIVE_REASONS = frozenset({"SUCCESSFUL", "PENDING_INITIAL_SCAN", "PENDING_REVIVAL_SCAN"})
# resourceMetadata.ec2.platform (botocore Ec2Platform: WINDOWS, LINUX, UNKNOWN, MACOS).
_EC2_PLATFORMS = {"linux": "LINUX", "windows": "WINDOWS", "macos": "MACOS"}
_RESOURCE_KINDS = ("ec2", "ecr", "lambda", "lambdaCode")


def _parse(text: str) -> datetime:
    """An ISO 8601 timestamp of the generated files (``...Z`` or a bare date) as aware UTC."""
    if len(text) == 10:
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def kev_document() -> JSON:
    """``kev.json``: the CISA KEV entries of the sample's CVEs (illustrative)."""
    return {
        "synthetic": True,
        "note": "illustrative CISA KEV entries for the sample's CVEs; not fetched",
        "action": KEV_ACTION,
        "entries": [
            {"cveID": cve, "dateAdded": added, "dueDate": due}
            for cve, (added, due) in sorted(KEV.items())
        ],
    }


def finding_details(findings: Sequence[Mapping[str, Any]]) -> list[JSON]:
    """``BatchGetFindingDetails`` payloads for each finding with a CVE id."""
    out = []
    for payload in findings:
        pvd = payload.get("packageVulnerabilityDetails") or {}
        cve = str(pvd.get("vulnerabilityId", ""))
        if not cve.startswith("CVE-"):
            continue
        detail: JSON = {"findingArn": payload["findingArn"]}
        score = (payload.get("epss") or {}).get("score")
        if score is not None:
            detail["epssScore"] = score
        if pvd.get("referenceUrls"):
            detail["referenceUrls"] = list(pvd["referenceUrls"])
        if payload.get("exploitAvailable") == "YES":
            last = (payload.get("exploitabilityDetails") or {}).get("lastKnownExploitAt")
            first = pvd.get("vendorCreatedAt") or last
            if last is not None:
                detail["exploitObserved"] = {"firstSeen": first, "lastSeen": last}
        if cve in KEV:
            added, due = KEV[cve]
            detail["cisaData"] = {
                "dateAdded": f"{added}T00:00:00Z",
                "dateDue": f"{due}T00:00:00Z",
                "action": KEV_ACTION,
            }
        out.append(detail)
    return out


def _state(status: str) -> JSON:
    if status == "ENABLED":
        return {"status": status, "errorCode": "ALREADY_ENABLED", "errorMessage": "Enabled"}
    return {
        "status": status,
        "errorCode": "RESOURCE_NOT_FOUND",
        "errorMessage": f"Amazon Inspector is {status.lower()} for this account in this Region",
    }


def settings_document(resources: Mapping[str, Any]) -> JSON:
    """``settings.json``: per (account, region) configuration, deep inspection and status.

    The EC2 scan mode comes from ``accounts[].ec2_scan_mode_by_region``; deep inspection is
    ACTIVATED with no custom paths; every account is ENABLED (ec2, ecr, lambda, lambdaCode)
    in the estate's regions; members are the delegated administrator's view.
    """
    regions = list(resources["regions"])
    per_pair = []
    for entry in resources["accounts"]:
        by_region = entry.get("ec2_scan_mode_by_region") or {}
        for region in regions:
            mode = by_region.get(region) or entry.get("ec2_scan_mode") or "EC2_HYBRID"
            ec2_configuration: JSON = {
                "scanModeState": {"scanMode": str(mode), "scanModeStatus": "SUCCESS"}
            }
            ami = (entry.get("ami_scanning_by_region") or {}).get(region)
            vm_scanner = (entry.get("vm_scanner_by_region") or {}).get(region)
            if vm_scanner:
                ec2_configuration["vmScannerState"] = {**vm_scanner, "status": "SUCCESS"}
            per_pair.append(
                {
                    "account": entry["account_id"],
                    "region": region,
                    "configuration": {
                        "ec2Configuration": ec2_configuration,
                        **({"amiConfiguration": dict(ami)} if ami else {}),
                        "ecrConfiguration": {
                            "rescanDurationState": {
                                "rescanDuration": "LIFETIME",
                                "status": "SUCCESS",
                            }
                        },
                    },
                    "deep_inspection": {
                        "status": "ACTIVATED",
                        "packagePaths": [],
                        "orgPackagePaths": [],
                    },
                    "account_status": {
                        "accountId": entry["account_id"],
                        "state": _state("ENABLED"),
                        "resourceState": {kind: _state("ENABLED") for kind in _RESOURCE_KINDS},
                    },
                }
            )
    accounts = [a["account_id"] for a in resources["accounts"]]
    members = [
        {
            "accountId": account,
            "relationshipStatus": "ENABLED",
            "delegatedAdminAccountId": ADMINISTRATOR,
            "updatedAt": MEMBERS_UPDATED_AT,
        }
        for account in accounts
        if account != ADMINISTRATOR
    ]
    return {
        "synthetic": True,
        "administrator_account_id": ADMINISTRATOR,
        "accounts": per_pair,
        "members": members,
    }


def usage_document(resources: Mapping[str, Any]) -> JSON:
    """``usage.json``: ``ListUsageTotals`` quantities of the last 30 days, unpriced.

    ``EC2_INSTANCE_HOURS`` = hours agent-based instances ran in the 30 days (720 for one
    that ran all month), ``EC2_AGENTLESS_INSTANCE_HOURS`` likewise for agentless ones
    (unscanned instances count 0), ``ECR_INITIAL_SCAN`` = images pushed in the window,
    ``ECR_RESCAN`` = 4 x images in use in the window, ``LAMBDA_FUNCTION_HOURS`` = 720 x
    functions, ``LAMBDA_FUNCTION_CODE_HOURS`` = 720 x functions with code scanning.
    """
    as_of = _parse(resources["as_of"])
    window = as_of - timedelta(days=30)
    totals: dict[tuple[str, str], dict[str, float]] = {}

    def add(account: str, region: str, kind: str, amount: float) -> None:
        bucket = totals.setdefault((account, region), {})
        bucket[kind] = bucket.get(kind, 0.0) + amount

    for inst in resources["ec2_instances"]:
        mode = inst.get("expected_scan_mode")
        if inst.get("state") != "running" or mode is None:
            continue
        kind = "EC2_AGENTLESS_INSTANCE_HOURS" if mode == "EC2_AGENTLESS" else "EC2_INSTANCE_HOURS"
        hours = float(HOURS)
        if inst.get("launch_time"):
            since = max(_parse(inst["launch_time"]), window)
            hours = min(hours, (as_of - since).total_seconds() // 3600)
        add(inst["account"], inst["region"], kind, hours)
    for image in resources["ecr_images"]:
        if _parse(image["pushed_at"]) >= window:
            add(image["account"], image["region"], "ECR_INITIAL_SCAN", 1)
        last_use = image.get("last_in_use_at")
        if last_use and _parse(last_use) >= window:
            add(image["account"], image["region"], "ECR_RESCAN", ECR_RESCANS_PER_IMAGE)
    for function in resources["lambda_functions"]:
        add(function["account"], function["region"], "LAMBDA_FUNCTION_HOURS", HOURS)
        if function.get("code_scanning"):
            add(function["account"], function["region"], "LAMBDA_FUNCTION_CODE_HOURS", HOURS)
    return {
        "synthetic": True,
        "window_days": 30,
        "totals": [
            {
                "account": account,
                "region": region,
                "usage": [
                    {"type": kind, "total": total, "currency": "USD"}
                    for kind, total in sorted(kinds.items())
                ],
            }
            for (account, region), kinds in sorted(totals.items())
        ],
    }


def coverage_document(resources: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> JSON:
    """``coverage.json``: the ``ListCoverage`` records (wire form) per region.

    One record per EC2 instance (``scanMode`` and ``scanStatus`` restate the instance's
    ``expected_scan_mode`` / ``expected_coverage_reason``; ``lastScannedAt`` = the newest
    ``lastObservedAt`` of its findings, or an hour before ``as_of``; none while the first
    scan is pending), one per ECR image and per repository, one ``PACKAGE`` and one
    ``CODE`` record per Lambda function with code scanning.
    """
    as_of = _parse(resources["as_of"])
    last_seen: dict[str, datetime] = {}
    tags_seen: dict[str, dict[str, str]] = {}
    for finding in findings:
        seen = _parse(finding["lastObservedAt"])
        for resource in finding["resources"]:
            rid = str(resource["id"])
            if rid not in last_seen or seen > last_seen[rid]:
                last_seen[rid] = seen
            tags_seen.setdefault(rid, dict(resource.get("tags") or {}))
    fallback = as_of - timedelta(hours=1)
    coverage: dict[str, list[JSON]] = {}

    def add(region: str, record: JSON) -> None:
        coverage.setdefault(region, []).append(record)

    for inst in resources["ec2_instances"]:
        reason = inst.get("expected_coverage_reason") or "SUCCESSFUL"
        active = reason in _ACTIVE_REASONS
        scanned = active and reason != "PENDING_INITIAL_SCAN"
        record: JSON = {
            "resourceType": "AWS_EC2_INSTANCE",
            "resourceId": inst["instance_id"],
            "accountId": inst["account"],
            "scanType": "PACKAGE",
            "scanStatus": {"statusCode": "ACTIVE" if active else "INACTIVE", "reason": reason},
            "resourceMetadata": {
                "ec2": {
                    "tags": dict(inst.get("tags") or {}),
                    "amiId": inst["image_id"],
                    "platform": _EC2_PLATFORMS.get(str(inst.get("os_family")), "UNKNOWN"),
                }
            },
        }
        if inst.get("expected_scan_mode"):
            record["scanMode"] = inst["expected_scan_mode"]
        if scanned:
            record["lastScannedAt"] = _iso(last_seen.get(inst["instance_id"], fallback))
        add(inst["region"], record)
    repositories: dict[tuple[str, str, str], None] = {}
    for image in resources["ecr_images"]:
        repo = {"name": image["repository"], "scanFrequency": "CONTINUOUS_SCAN"}
        repositories[(image["region"], image["account"], image["repository"])] = None
        add(
            image["region"],
            {
                "resourceType": "AWS_ECR_CONTAINER_IMAGE",
                "resourceId": image["image_arn"],
                "accountId": image["account"],
                "scanType": "PACKAGE",
                "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
                "resourceMetadata": {
                    "ecrRepository": repo,
                    "ecrImage": {
                        "tags": list(image.get("tags") or []),
                        "lastInUseAt": image.get("last_in_use_at"),
                        "inUseCount": image.get("in_use_count"),
                    },
                },
                "lastScannedAt": _iso(last_seen.get(image["image_arn"], fallback)),
            },
        )
    for region, account, name in repositories:
        add(
            region,
            {
                "resourceType": "AWS_ECR_REPOSITORY",
                "resourceId": f"arn:aws:ecr:{region}:{account}:repository/{name}",
                "accountId": account,
                "scanType": "PACKAGE",
                "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
                "resourceMetadata": {
                    "ecrRepository": {"name": name, "scanFrequency": "CONTINUOUS_SCAN"}
                },
            },
        )
    for function in resources["lambda_functions"]:
        arn = function["function_arn"]
        metadata = {
            "lambdaFunction": {
                "functionName": function["function_name"],
                "runtime": function["runtime"],
                "layers": list(function.get("layers") or []),
                "functionTags": tags_seen.get(arn, {}),
            }
        }
        scan_types = ["PACKAGE", "CODE"] if function.get("code_scanning") else ["PACKAGE"]
        for scan_type in scan_types:
            add(
                function["region"],
                {
                    "resourceType": "AWS_LAMBDA_FUNCTION",
                    "resourceId": arn,
                    "accountId": function["account"],
                    "scanType": scan_type,
                    "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
                    "resourceMetadata": metadata,
                    "lastScannedAt": _iso(last_seen.get(arn, fallback)),
                },
            )
    for image in resources.get("machine_images") or []:
        if not image.get("expected_continuous_scan"):
            continue
        add(
            image["region"],
            {
                "resourceType": "MACHINE_IMAGE",
                "resourceId": image["image_id"],
                "accountId": image["account"],
                "scanType": "PACKAGE",
                "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
                "resourceMetadata": {
                    "machineImage": {"tags": dict(image["tags"]), "platform": image["platform"]}
                },
                "lastScannedAt": _iso(fallback),
            },
        )
    return {"synthetic": True, "regions": coverage}
