"""The bundled sample estate: valid, varied, and internally consistent."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections import Counter
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import cvss
from botocore.validate import ParamValidator

from inspector_kit import (
    Finding,
    FindingStatus,
    FindingType,
    ResourceType,
    sample_estate_path,
    sample_findings,
)
from inspector_kit.models import parse_timestamp

from .service_model import shape

ROOT = Path(__file__).resolve().parents[1]
DEEP_INSPECTION_DEFAULT_PATHS = ("/usr/lib/", "/usr/lib64/", "/usr/local/lib/", "/usr/local/lib64/")


@cache
def estate() -> list[Finding]:
    return list(sample_findings(strict=True))


@cache
def inventory() -> dict[str, Any]:
    return json.loads((sample_estate_path() / "resources.json").read_text())


@cache
def raw_lines() -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for line in (sample_estate_path() / "findings.jsonl").read_text().splitlines()
    ]


def test_generator_reproduces_the_committed_files() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sample_estate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_says_it_is_synthetic() -> None:
    text = (sample_estate_path() / "README.md").read_text()
    assert "SYNTHETIC" in text


def test_variety() -> None:
    findings = estate()
    assert len(findings) >= 200
    assert {f.type for f in findings} == set(FindingType)
    assert {f.primary_resource.type for f in findings} == {
        ResourceType.AWS_EC2_INSTANCE,
        ResourceType.AWS_ECR_CONTAINER_IMAGE,
        ResourceType.AWS_LAMBDA_FUNCTION,
    }
    assert len({f.region for f in findings}) >= 3
    assert len({f.aws_account_id for f in findings}) >= 2
    assert {f.status for f in findings} == set(FindingStatus)
    assert len({f.finding_arn for f in findings}) == len(findings)


def test_every_finding_is_valid_for_botocore() -> None:
    validator = ParamValidator()
    for raw in raw_lines():
        payload = copy.deepcopy(raw)
        for pkg in (payload.get("packageVulnerabilityDetails") or {}).get("vulnerablePackages", []):
            if pkg.get("packageManager") == "GENERIC":  # real exports carry it; the model does not
                pkg["packageManager"] = "OS"
        _to_datetimes(payload, shape("Finding"))
        report = validator.validate(payload, shape("Finding"))
        assert not report.has_errors(), report.generate_report()


def _to_datetimes(value: Any, s: Any) -> Any:
    if s.type_name == "structure":
        for key, item in value.items():
            value[key] = _to_datetimes(item, s.members[key])
    elif s.type_name == "list":
        return [_to_datetimes(item, s.member) for item in value]
    elif s.type_name == "timestamp":
        return parse_timestamp(value)
    return value


def test_finding_types_sit_on_the_right_resources() -> None:
    for f in estate():
        if f.type == FindingType.CODE_VULNERABILITY:
            assert (
                f.primary_resource.type == ResourceType.AWS_LAMBDA_FUNCTION
            )  # never EC2 (DOMAIN.md §1)
        if f.type == FindingType.NETWORK_REACHABILITY:
            assert f.primary_resource.type == ResourceType.AWS_EC2_INSTANCE


def _cvss_score(vector: str) -> float:
    """The `cvss` package's arithmetic: environmental score if MAV etc. are set, else base."""
    base, _temporal, environmental = cvss.CVSS3(vector).scores()
    return float(environmental if "/M" in vector else base)


def test_inspector_scores_are_the_cvss_arithmetic_of_their_vectors() -> None:
    checked = 0
    for f in estate():
        details = f.inspector_score_details
        if details is None or details.adjusted_cvss is None:
            continue
        adjusted = details.adjusted_cvss
        assert adjusted.score == f.inspector_score == _cvss_score(adjusted.scoring_vector), (
            f.finding_arn
        )
        checked += 1
    assert checked > 150


# Inspector's bands: https://docs.aws.amazon.com/inspector/latest/user/findings-understanding-severity.html
def _band(score: float) -> str:
    if score == 0:
        return "INFORMATIONAL"
    if score < 4:
        return "LOW"
    if score < 7:
        return "MEDIUM"
    if score < 9:
        return "HIGH"
    return "CRITICAL"


def test_package_severities_follow_inspectors_bands() -> None:
    unscored = Counter()
    for f in estate():
        if f.type != FindingType.PACKAGE_VULNERABILITY:
            continue
        if f.inspector_score is not None:
            assert f.severity == _band(f.inspector_score), f.finding_arn
            continue
        # No Inspector score: no v3 score to start from (DOMAIN.md 2: v2-only and
        # UNTRIAGED findings carry none), or only the vendor's word, as in AWS's
        # CVE-2024-6119 example, where the severity is the vendor's.
        details = f.package_vulnerability_details
        assert details is not None
        assert not any(c.version.startswith("3") for c in details.cvss or ()), f.finding_arn
        if details.cvss:
            unscored["v2 only"] += 1
        elif f.severity == "UNTRIAGED":
            unscored["untriaged"] += 1
        else:
            assert f.severity == (details.vendor_severity or "").upper(), f.finding_arn
            unscored["vendor only"] += 1
    assert set(unscored) == {"v2 only", "vendor only", "untriaged"}


def _instances() -> dict[str, dict[str, Any]]:
    return {i["instance_id"]: i for i in inventory()["ec2_instances"]}


def test_adjustments_follow_the_documented_exposure_rule() -> None:
    instances = _instances()
    adjusted = unadjusted_internet = 0
    for f in estate():
        details = f.inspector_score_details
        if details is None or details.adjusted_cvss is None:
            continue
        adjustments = details.adjusted_cvss.adjustments or ()
        vector = details.adjusted_cvss.scoring_vector
        resource = f.primary_resource
        if adjustments:
            adjusted += 1
            assert resource.type == ResourceType.AWS_EC2_INSTANCE
            assert instances[resource.id]["internet_exposure"] in ("internal", "isolated")
            assert "/AV:N/" in vector and vector.endswith("/MAV:A")
        else:
            assert "/MAV:" not in vector
            if (
                resource.type == ResourceType.AWS_EC2_INSTANCE
                and instances[resource.id]["internet_exposure"] == "internet"
            ):
                unadjusted_internet += 1
    assert adjusted > 0 and unadjusted_internet > 0


def test_findings_belong_to_the_inventory() -> None:
    inv = inventory()
    known = (
        {i["instance_id"] for i in inv["ec2_instances"]}
        | {i["image_arn"] for i in inv["ecr_images"]}
        | {f["function_arn"] for f in inv["lambda_functions"]}
    )
    assert {f.primary_resource.id for f in estate()} <= known


def test_unscanned_instances_have_no_findings() -> None:
    with_findings = {f.primary_resource.id for f in estate()}
    instances = inventory()["ec2_instances"]
    excluded = [i for i in instances if "InspectorEc2Exclusion" in i["tags"]]
    stopped = [i for i in instances if i["state"] == "stopped"]
    assert excluded and stopped
    for i in instances:
        assert (i["instance_id"] in with_findings) == bool(i["has_findings"])
        if i in excluded or i in stopped or i["expected_scan_mode"] is None:
            assert i["instance_id"] not in with_findings


def test_agent_based_and_agentless_language_paths() -> None:
    instances = _instances()
    outside_default_paths = Counter()
    for f in estate():
        resource = f.primary_resource
        if resource.type != ResourceType.AWS_EC2_INSTANCE:
            continue
        mode = instances[resource.id]["expected_scan_mode"]
        for p in f.vulnerable_packages:
            if p.package_manager in (None, "OS") or not p.file_path:
                continue
            inside = p.file_path.startswith(DEEP_INSPECTION_DEFAULT_PATHS)
            if mode == "EC2_SSM_AGENT_BASED":
                assert inside, (resource.id, p.file_path)  # agent-based reads only these paths
            else:
                outside_default_paths[mode] += not inside
    assert outside_default_paths["EC2_AGENTLESS"] > 0


def test_windows_findings_are_agent_based_without_language_packages() -> None:
    instances = _instances()
    windows = [
        f
        for f in estate()
        if instances.get(f.primary_resource.id, {}).get("os_family") == "windows"
    ]
    assert windows
    for f in windows:
        assert instances[f.primary_resource.id]["expected_scan_mode"] == "EC2_SSM_AGENT_BASED"
        assert all(p.package_manager in (None, "OS") for p in f.vulnerable_packages)


def test_timestamps_are_consistent() -> None:
    as_of = parse_timestamp(inventory()["as_of"])
    for f in estate():
        assert f.first_observed_at <= f.last_observed_at <= as_of
        if f.updated_at is not None:
            assert f.first_observed_at <= f.updated_at <= as_of


def test_every_package_with_a_known_ecosystem_has_a_valid_purl() -> None:
    mapped = unmapped = 0
    for f in estate():
        for package, purl in zip(f.vulnerable_packages, f.purls, strict=True):
            if purl is None:
                unmapped += 1
                # Only the documented gaps (inspector_kit.purl): no ecosystem, Go's stdlib
                # (the golang type needs a namespace), OS packages on Windows.
                gap = (
                    package.package_manager == "GENERIC"
                    or (package.package_manager == "GOBINARY" and "/" not in package.name)
                    or (
                        package.package_manager == "OS"
                        and "WINDOWS" in (f.primary_resource.platform or "")
                    )
                )
                assert gap, (package, f.primary_resource.platform)
            else:
                mapped += 1
                assert not [m for m in purl.validate() if m.severity.value == "error"]
    assert mapped > 200 and unmapped > 0


def test_demo_summary_runs_on_the_estate() -> None:
    from inspector_kit.cli import summary_lines

    as_of = datetime.fromisoformat("2026-11-22T00:00:00+00:00")
    statuses = Counter(str(f.status) for f in estate())
    lines = summary_lines(estate(), now=as_of)
    assert lines[0] == (
        f"Findings: {len(estate())} (ACTIVE {statuses['ACTIVE']} · "
        f"SUPPRESSED {statuses['SUPPRESSED']} · CLOSED {statuses['CLOSED']})"
    )
