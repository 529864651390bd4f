"""Readers of the bundled sample estate's files (every one is generated, none is derived here).

``scripts/make_sample_estate.py`` writes each file; this module only parses them. Every
reader returns fresh objects (the caller may change them), parsed from text read once.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from inspector_kit.loaders import LoadedFindings, load_findings

if TYPE_CHECKING:
    from collections.abc import Mapping

    from inspector_kit.triage import ReviewLog

AccountRegion = tuple[str, str]

_ESTATE = Path(__file__).resolve().parent.parent / "data" / "sample_estate"


@cache
def _text(name: str) -> str:
    return (_ESTATE / name).read_text(encoding="utf-8")


def _document(name: str) -> Any:
    return json.loads(_text(name))


def sample_estate_path() -> Path:
    """The directory holding the sample estate's files.

    ``findings.jsonl`` and ``resources.json`` (the generated estate), ``coverage.json``,
    ``settings.json``, ``usage.json``, ``kev.json`` and ``finding_details.json`` (files
    derived from them by the same generator), ``reviews.jsonl`` (the review log) and
    ``README.md``.

    Examples:
        >>> (sample_estate_path() / "findings.jsonl").is_file()
        True
    """
    return _ESTATE


def sample_findings(*, strict: bool = True) -> LoadedFindings:
    """Load the sample estate's findings (strict by default: the bundled data is valid).

    Examples:
        >>> from collections import Counter
        >>> types = Counter(str(f.type) for f in sample_findings())
        >>> sorted(types)
        ['CODE_VULNERABILITY', 'NETWORK_REACHABILITY', 'PACKAGE_VULNERABILITY']
    """
    return load_findings(_ESTATE / "findings.jsonl", strict=strict)


def sample_finding_payloads() -> list[dict[str, Any]]:
    """The findings of ``findings.jsonl`` as API payload dicts, in file order.

    Examples:
        >>> payloads = sample_finding_payloads()
        >>> len(payloads), payloads[0]["findingArn"].startswith("arn:aws:inspector2:")
        (274, True)
    """
    return [json.loads(line) for line in _text("findings.jsonl").splitlines() if line.strip()]


def sample_resources() -> dict[str, Any]:
    """``resources.json``: the inventory the findings were generated from.

    Examples:
        >>> doc = sample_resources()
        >>> doc["as_of"], doc["regions"]
        ('2026-11-22', ['us-east-1', 'ap-northeast-1', 'eu-west-1'])
    """
    document: dict[str, Any] = _document("resources.json")
    return document


def sample_coverage_records() -> dict[str, list[dict[str, Any]]]:
    """``coverage.json``: the ``ListCoverage`` records (wire form) per region.

    Examples:
        >>> records = sample_coverage_records()
        >>> sorted(records)
        ['ap-northeast-1', 'eu-west-1', 'us-east-1']
        >>> sum(r["resourceType"] == "AWS_EC2_INSTANCE" for rs in records.values() for r in rs)
        31
        >>> sum(r["resourceType"] == "MACHINE_IMAGE" for rs in records.values() for r in rs)
        2
    """
    regions: dict[str, list[dict[str, Any]]] = _document("coverage.json")["regions"]
    return regions


class SampleSettings(NamedTuple):
    """``settings.json``: the sample's account settings per ``(account, region)``.

    Examples:
        >>> settings = sample_settings()
        >>> settings.administrator_account_id
        '123456789012'
        >>> mode = settings.configurations[("111122223333", "us-east-1")]["ec2Configuration"]
        >>> mode["scanModeState"]["scanMode"]
        'EC2_SSM_AGENT_BASED'
        >>> sorted(m["accountId"] for m in settings.members)
        ['111122223333', '444455556666']
    """

    #: ``GetConfiguration`` responses.
    configurations: dict[AccountRegion, dict[str, Any]]
    #: ``GetEc2DeepInspectionConfiguration`` responses.
    deep_inspection: dict[AccountRegion, dict[str, Any]]
    #: ``AccountState`` payloads (``BatchGetAccountStatus``).
    account_status: dict[AccountRegion, dict[str, Any]]
    #: ``Member`` payloads (the delegated administrator's ``ListMembers``).
    members: list[dict[str, Any]]
    #: The delegated administrator's account.
    administrator_account_id: str


def sample_settings() -> SampleSettings:
    """The sample's configuration, deep inspection, account status and members.

    ``EC2_HYBRID`` everywhere but ``EC2_SSM_AGENT_BASED`` for 111122223333 in us-east-1;
    deep inspection ACTIVATED with no custom paths; every account ENABLED in the three
    regions; 123456789012 (acme-shared) is the delegated administrator.

    Examples:
        >>> deep = sample_settings().deep_inspection[("444455556666", "eu-west-1")]
        >>> deep["status"]
        'ACTIVATED'
    """
    document = _document("settings.json")
    entries = document["accounts"]

    def part(key: str) -> dict[AccountRegion, dict[str, Any]]:
        return {(e["account"], e["region"]): e[key] for e in entries}

    return SampleSettings(
        configurations=part("configuration"),
        deep_inspection=part("deep_inspection"),
        account_status=part("account_status"),
        members=list(document["members"]),
        administrator_account_id=str(document["administrator_account_id"]),
    )


def sample_usage_totals() -> dict[AccountRegion, list[dict[str, Any]]]:
    """``usage.json``: ``ListUsageTotals`` quantities of the last 30 days, unpriced.

    Each item has ``type``, ``total`` and ``currency``; no ``estimatedMonthlyCost`` (a
    price belongs to a price table, not to the estate).

    Examples:
        >>> usage = sample_usage_totals()
        >>> [u["type"] for u in usage[("111122223333", "us-east-1")]][:2]
        ['EC2_INSTANCE_HOURS', 'ECR_RESCAN']
    """
    totals = _document("usage.json")["totals"]
    return {(t["account"], t["region"]): list(t["usage"]) for t in totals}


def sample_machine_images() -> list[dict[str, Any]]:
    """``resources.json``'s ``machine_images``: the AMIs the estate's accounts own.

    Each has its ``image_id``, ``account``, ``region``, ``platform``, ``creation_date``,
    whether continuous AMI scanning covers it (``expected_continuous_scan``) and its last
    on-demand scan (``on_demand_scan``, or ``None``).

    Examples:
        >>> [(m["name"], m["expected_continuous_scan"]) for m in sample_machine_images()][:2]
        [('golden-al2023-2026.11.0', True), ('golden-win2022-2026.10.1', True)]
    """
    return [dict(m) for m in sample_resources().get("machine_images") or ()]


def sample_on_demand_scans() -> dict[AccountRegion, list[dict[str, Any]]]:
    """The estate's on-demand AMI scans as ``ListOnDemandScans`` items, per account and region.

    Examples:
        >>> scans = sample_on_demand_scans()[("123456789012", "ap-northeast-1")]
        >>> [(s["resourceType"], s["scanStatus"], s["scanStatusReason"]) for s in scans]
        [('AMI', 'FAILED', 'UNSUPPORTED_OS')]
    """
    scans: dict[AccountRegion, list[dict[str, Any]]] = {}
    for image in sample_machine_images():
        scan = image.get("on_demand_scan")
        if not scan:
            continue
        item = {
            "scanId": scan["scanId"],
            "resourceId": image["image_id"],
            "resourceType": "AMI",
            "scanStatus": scan["status"],
            "startedAt": scan["startedAt"],
            "completedAt": scan["completedAt"],
        }
        if scan.get("reason"):
            item["scanStatusReason"] = scan["reason"]
        scans.setdefault((image["account"], image["region"]), []).append(item)
    return scans


def sample_kev() -> dict[str, dict[str, str]]:
    """``kev.json``: CISA KEV entries for the sample's CVEs (illustrative, not fetched).

    Examples:
        >>> entry = sample_kev()["CVE-2021-44228"]
        >>> entry["dateAdded"], entry["dueDate"]
        ('2021-12-10', '2021-12-24')
    """
    document = _document("kev.json")
    return {
        entry["cveID"]: {
            "dateAdded": entry["dateAdded"],
            "dueDate": entry["dueDate"],
            "action": document["action"],
        }
        for entry in document["entries"]
    }


def sample_finding_details() -> dict[str, dict[str, Any]]:
    """``finding_details.json``: ``BatchGetFindingDetails`` payloads per findingArn.

    Every finding with a CVE id has one: its ``epssScore`` and ``referenceUrls``,
    ``exploitObserved`` when an exploit is known, ``cisaData`` for KEV CVEs.

    Examples:
        >>> details = sample_finding_details()
        >>> sum("cisaData" in d for d in details.values()) > 0
        True
    """
    items: list[Mapping[str, Any]] = _document("finding_details.json")
    return {str(d["findingArn"]): dict(d) for d in items}


def sample_reviews() -> ReviewLog:
    """``reviews.jsonl``: the review log of the team running the sample estate.

    Months of reviews under the default triage policy as of the estate's "today"
    (2026-11-22): ``FIX_BY`` dates for CRITICAL and HIGH, monthly ``REVIEWED`` for MEDIUM
    and LOW, some ``ACCEPT_RISK`` and ``FALSE_POSITIVE``, a finding reviewed CLOSED that
    Inspector re-opened and one whose severity rose since its review, and a few findings
    never reviewed (``data/sample_estate/README.md`` tells the story). Pass it to
    ``TriagePolicy.plan(..., reviews=)``; a fresh log on each call.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
        >>> reviews = sample_reviews()
        >>> reviews
        <ReviewLog: 494 reviews of 254 findings>
        >>> plan = TriagePolicy.default().plan(sample_findings(), reviews=reviews,
        ...     now=datetime(2026, 11, 22, tzinfo=timezone.utc),
        ...     calendar=BusinessCalendar(None, timezone="Asia/Tokyo"))
        >>> len(plan.items), len(plan.overdue), len(plan.acknowledged)
        (216, 7, 12)
    """
    from inspector_kit.triage import ReviewLog

    return ReviewLog.from_jsonl(_text("reviews.jsonl"), source="reviews.jsonl", strict=True)
