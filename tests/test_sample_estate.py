"""The bundled sample estate: valid, varied, and internally consistent."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
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
            )  # never EC2 (docs/facts.md#policy)
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
        # No Inspector score: no v3 score to start from (docs/facts.md#score: v2-only and
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
                errors = [m.message for m in purl.validate() if m.severity.value == "error"]
                if str(purl).startswith("pkg:golang/stdlib@"):  # documented (docs/purls.md)
                    errors = [e for e in errors if not e.startswith("Namespace is required")]
                assert not errors, str(purl)
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


# -- EC2 coverage: every status, both scan modes, and the loopback server agrees ----------

STATUSES = {"COVERED", "NOT_COVERED", "EXCLUDED", "STOPPED", "PENDING", "UNSUPPORTED"}
METHODS = {"AGENT_BASED", "AGENTLESS", "VM_SCANNER", "NONE"}
METHOD_OF_MODE = {
    "EC2_SSM_AGENT_BASED": "AGENT_BASED",
    "EC2_AGENTLESS": "AGENTLESS",
    "EC2_INSPECTOR_AGENT_BASED": "VM_SCANNER",
    None: "NONE",
}


def _scan_modes() -> dict[tuple[str, str], str]:
    inv = inventory()
    return {
        (a["account_id"], region): a["ec2_scan_mode_by_region"][region]
        for a in inv["accounts"]
        for region in inv["regions"]
    }


def _vm_scanner() -> set[tuple[str, str]]:
    """(account, region) pairs whose settings activate the VM scanner (vmScannerState)."""
    inv = inventory()
    return {
        (a["account_id"], region)
        for a in inv["accounts"]
        for region, state in (a.get("vm_scanner_by_region") or {}).items()
        if state.get("activated")
    }


def _scenarios() -> list[dict[str, Any]]:
    return [i for i in inventory()["ec2_instances"] if i["scenario"]]


def test_every_coverage_status_method_and_scan_mode_appears() -> None:
    instances = inventory()["ec2_instances"]
    assert Counter(i["expected_status"] for i in instances) == {
        "COVERED": 21,
        "NOT_COVERED": 5,
        "UNSUPPORTED": 2,
        "EXCLUDED": 1,
        "STOPPED": 1,
        "PENDING": 1,
    }
    assert {i["expected_status"] for i in instances} == STATUSES
    assert {i["expected_method"] for i in instances} == METHODS
    assert set(_scan_modes().values()) == {"EC2_HYBRID", "EC2_SSM_AGENT_BASED"}
    # Both modes hold instances, and the agent-based region shows what hybrid would add.
    agent_only = [
        i for i in instances if _scan_modes()[(i["account"], i["region"])] != "EC2_HYBRID"
    ]
    assert {i["expected_status"] for i in agent_only} >= {"COVERED", "NOT_COVERED"}
    assert all(i["expected_method"] != "AGENTLESS" for i in agent_only)


def test_scenario_instances_have_no_findings() -> None:
    scenarios = _scenarios()
    assert len(scenarios) == 14
    with_findings = {f.primary_resource.id for f in estate()}
    for i in scenarios:
        assert i["instance_id"] not in with_findings, i["name"]
        assert i["has_findings"] is False
    # Every instance with findings is one of the original 17.
    originals = {i["instance_id"] for i in inventory()["ec2_instances"] if not i["scenario"]}
    assert len(originals) == 17
    assert {
        f.primary_resource.id for f in estate() if f.primary_resource.type == "AWS_EC2_INSTANCE"
    } <= originals


def test_instance_fields_are_consistent() -> None:
    as_of = parse_timestamp(inventory()["as_of"])
    ids: set[str] = set()
    for i in inventory()["ec2_instances"]:
        ssm = i["ssm"]
        assert i["ssm_managed"] == (ssm is not None), i["name"]
        if ssm is not None:
            assert ssm["managed"] is True
            assert ssm["ping_status"] == i["ssm_ping_status"]
            assert (ssm["platform_name"], ssm["platform_version"]) == (
                i["os_name"],
                i["os_version"],
            )
            assert parse_timestamp(ssm["last_inventory_at"]) <= as_of
            assert ssm["agent_version"].count(".") == 3
        else:
            assert i["ssm_ping_status"] is None
        assert i["os_name"] and i["os_version"]
        volumes = i["volumes"]
        assert i["volume_count"] == len(volumes)
        assert i["total_volume_gib"] == sum(v["size_gib"] for v in volumes)
        assert {v["filesystem"] for v in volumes} == {i["filesystem"]}
        for v in volumes:
            assert v["volume_id"].startswith("vol-") and len(v["volume_id"]) == 21
            ids.add(v["volume_id"])
        assert i["root_device_type"] in ("ebs", "instance-store")
        assert i["os_family"] in ("linux", "windows", "macos")
        assert METHOD_OF_MODE[i["expected_scan_mode"]] == i["expected_method"]
        assert parse_timestamp(i["launch_time"]) <= as_of
    assert len(ids) == sum(i["volume_count"] for i in inventory()["ec2_instances"])


def _rules(i: dict[str, Any], mode: str, as_of: datetime) -> tuple[str, str]:
    """docs/facts.md#ec2, independently of the generator: (status, method)."""
    if i["state"] != "running":
        return "STOPPED", "NONE"
    if "InspectorEc2Exclusion" in i["tags"]:
        return "EXCLUDED", "NONE"
    if i["os_name"].startswith("CentOS") or "2012" in i["os_name"]:
        return "UNSUPPORTED", "NONE"
    ssm = i["ssm"]
    fresh = (
        ssm is not None
        and ssm["ping_status"] == "Online"
        and as_of - parse_timestamp(ssm["last_inventory_at"]) <= timedelta(days=7)
    )
    # Enhanced EC2 Scanning: a scanner installed by hand needs no SSM; activated in the
    # account and region, Inspector installs it through SSM on the managed instances.
    if i["vm_scanner"] == "manual" or (fresh and (i["account"], i["region"]) in _vm_scanner()):
        return "COVERED", "VM_SCANNER"
    if fresh:
        new = as_of - parse_timestamp(i["launch_time"]) < timedelta(hours=24)
        return ("PENDING" if new else "COVERED"), "AGENT_BASED"
    agentless = (
        mode == "EC2_HYBRID"
        and i["os_family"] == "linux"
        and i["root_device_type"] == "ebs"
        and all(v["filesystem"] in ("ext3", "ext4", "xfs") for v in i["volumes"])
        and len(i["volumes"]) < 8
        and sum(v["size_gib"] for v in i["volumes"]) <= 1200
    )
    return ("COVERED", "AGENTLESS") if agentless else ("NOT_COVERED", "NONE")


def test_expected_status_follows_the_documented_rules() -> None:
    as_of = parse_timestamp(inventory()["as_of"])
    modes = _scan_modes()
    for i in inventory()["ec2_instances"]:
        mode = modes[(i["account"], i["region"])]
        assert _rules(i, mode, as_of) == (i["expected_status"], i["expected_method"]), i["name"]


def _record_status(record: dict[str, Any]) -> tuple[str, str]:
    status = record["scanStatus"]
    if status["statusCode"] == "ACTIVE":
        method = METHOD_OF_MODE[record["scanMode"]]
        return ("PENDING" if status["reason"] == "PENDING_INITIAL_SCAN" else "COVERED"), method
    assert "scanMode" not in record
    inactive = {
        "EXCLUDED_BY_TAG": "EXCLUDED",
        "EC2_INSTANCE_STOPPED": "STOPPED",
        "UNSUPPORTED_OS": "UNSUPPORTED",
    }
    return inactive.get(status["reason"], "NOT_COVERED"), "NONE"


def test_served_coverage_agrees_with_expected_status_and_method() -> None:
    from inspector_kit.testing import LoopbackDataset

    dataset = LoopbackDataset.sample()
    reasons = set(shape("ScanStatusReason").enum)
    platforms = set(shape("Ec2Platform").enum)
    records = {
        r["resourceId"]: (region, r)
        for region in dataset.regions
        for r in dataset.coverage_records(region)
        if r["resourceType"] == "AWS_EC2_INSTANCE"
    }
    instances = inventory()["ec2_instances"]
    assert set(records) == {i["instance_id"] for i in instances}
    for i in instances:
        region, record = records[i["instance_id"]]
        assert (region, record["accountId"]) == (i["region"], i["account"])
        assert record["scanStatus"]["reason"] in reasons
        assert record["scanStatus"]["reason"] == i["expected_coverage_reason"]
        assert record.get("scanMode") == i["expected_scan_mode"]
        assert _record_status(record) == (i["expected_status"], i["expected_method"]), i["name"]
        platform = record["resourceMetadata"]["ec2"]["platform"]
        assert platform in platforms and platform == i["os_family"].upper()
        assert ("lastScannedAt" in record) == (i["expected_status"] == "COVERED")


def test_served_configuration_follows_the_scan_mode_per_region() -> None:
    from inspector_kit.testing import LoopbackDataset

    served = LoopbackDataset.sample().configurations()
    modes = _scan_modes()
    assert set(served) == set(modes)
    for pair, mode in modes.items():
        assert served[pair]["ec2Configuration"]["scanModeState"]["scanMode"] == mode
    assert modes[("111122223333", "us-east-1")] == "EC2_SSM_AGENT_BASED"
    assert [m for m in modes.values() if m != "EC2_HYBRID"] == ["EC2_SSM_AGENT_BASED"]


def test_sample_inventory_matches_the_estate() -> None:
    from inspector_kit.coverage import Inventory
    from inspector_kit.sample import sample_inventory

    inv = sample_inventory()
    assert isinstance(inv, Inventory)
    raw = inventory()
    assert inv.gathered_at == parse_timestamp(raw["as_of"])
    assert [i.instance_id for i in inv.instances] == [
        i["instance_id"] for i in raw["ec2_instances"]
    ]
    modes = _scan_modes()
    assert {pair: str(c.mode) for pair, c in inv.configurations.items()} == modes
    assert set(inv.deep_inspection) == set(modes)
    assert all(d.activated for d in inv.deep_inspection.values())
    assert inv.account_enabled == dict.fromkeys(modes, True)
    ec2 = [r for r in inv.coverage if r.resource_type == "AWS_EC2_INSTANCE"]
    assert len(ec2) == len(raw["ec2_instances"])
    assert all(r.region for r in inv.coverage)
    by_id = {i["instance_id"]: i for i in raw["ec2_instances"]}
    for instance in inv.instances:
        item = by_id[instance.instance_id]
        assert instance.ssm_managed == item["ssm_managed"]
        assert instance.total_volume_gib == item["total_volume_gib"]
        assert instance.root_device_type == item["root_device_type"]
        assert (instance.os_name, instance.os_version) == (item["os_name"], item["os_version"])
        assert instance.os_source == ("ssm" if item["ssm"] else "image")
    mac = next(i for i in inv.instances if i.platform == "macos")
    assert mac.instance_type == "mac2.metal"


# ----------------------------------------------------------------- the pure reader (issue 15)

_GENERATOR = ROOT / "scripts"


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_sample_reads_every_file_without_boto3_or_the_test_server() -> None:
    out = _run(
        "import json, sys\n"
        "import inspector_kit.sample as s\n"
        "findings = list(s.sample_findings())\n"
        "inv = s.sample_inventory()\n"
        "counts = {\n"
        "    'findings': len(findings),\n"
        "    'payloads': len(s.sample_finding_payloads()),\n"
        "    'instances': len(inv.instances),\n"
        "    'ec2': len(s.sample_resources()['ec2_instances']),\n"
        "    'coverage': sum(map(len, s.sample_coverage_records().values())),\n"
        "    'settings': len(s.sample_settings().configurations),\n"
        "    'usage': len(s.sample_usage_totals()),\n"
        "    'kev': len(s.sample_kev()),\n"
        "    'details': len(s.sample_finding_details()),\n"
        "}\n"
        "banned = ('boto3', 'botocore')\n"
        "loaded = sorted(m for m in sys.modules\n"
        "    if m.split('.')[0] in banned or m.startswith('inspector_kit.testing'))\n"
        "print(json.dumps({'counts': counts, 'loaded': loaded}))\n"
    )
    report = json.loads(out)
    assert report["loaded"] == []
    counts = report["counts"]
    # Independent truths: the raw files, counted here without the reader.
    assert counts["findings"] == counts["payloads"] == len(raw_lines())
    assert counts["instances"] == counts["ec2"] == len(inventory()["ec2_instances"])
    accounts, regions = inventory()["accounts"], inventory()["regions"]
    assert counts["settings"] == len(accounts) * len(regions)
    assert counts["coverage"] > counts["ec2"]
    assert counts["usage"] > 0
    assert counts["kev"] == 5
    with_cve = [
        f
        for f in raw_lines()
        if f.get("packageVulnerabilityDetails", {}).get("vulnerabilityId", "").startswith("CVE-")
    ]
    assert counts["details"] == len(with_cve) > 0


def test_every_bundled_file_is_written_by_the_generator() -> None:
    out = _run(
        "import sys\n"
        f"sys.path.insert(0, {str(_GENERATOR)!r})\n"
        "from sample_estate import render\n"
        "print('\\n'.join(sorted(render())))\n"
    )
    generated = set(out.split())
    on_disk = {p.name for p in sample_estate_path().iterdir() if p.is_file()}
    assert on_disk == generated
    assert {"coverage.json", "settings.json", "usage.json", "kev.json"} <= generated


def test_generator_check_reports_a_stale_file(tmp_path: Path) -> None:
    for path in sample_estate_path().iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "kev.json").write_text("{}\n")
    (tmp_path / "usage.json").unlink()
    out = _run(
        "import sys\n"
        f"sys.path.insert(0, {str(_GENERATOR)!r})\n"
        "from pathlib import Path\n"
        "from sample_estate.output import problems, render\n"
        f"print('\\n'.join(problems(render(), Path({str(tmp_path)!r}))))\n"
    )
    assert sorted(line.split(":")[0] for line in out.splitlines()) == ["missing", "stale"]
    assert "kev.json" in out and "usage.json" in out


def test_the_coverage_oracle_does_not_import_the_library() -> None:
    # The expected coverage in resources.json is the independent truth the coverage tests
    # compare the library against: deriving it from inspector_kit would make them circular.
    import ast

    source = (_GENERATOR / "sample_estate" / "oracle.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
    assert imported
    assert not any(name.lstrip(".").startswith("inspector_kit") for name in imported)
    assert "INDEPENDENT ORACLE" in source


def test_loopback_prices_usage_from_the_bundled_price_table() -> None:
    from decimal import Decimal

    from inspector_kit.pricing import PriceTable, UsageItem
    from inspector_kit.testing import LoopbackInspector

    items = {
        "EC2_INSTANCE_HOURS": UsageItem.EC2_AGENT_BASED,
        "EC2_AGENTLESS_INSTANCE_HOURS": UsageItem.EC2_AGENTLESS,
        "ECR_INITIAL_SCAN": UsageItem.ECR_INITIAL_SCAN,
        "ECR_RESCAN": UsageItem.ECR_RESCAN,
        "LAMBDA_FUNCTION_HOURS": UsageItem.LAMBDA_STANDARD,
        "LAMBDA_FUNCTION_CODE_HOURS": UsageItem.LAMBDA_CODE,
    }
    table = PriceTable.bundled()
    priced = unpriced = 0
    with LoopbackInspector() as server:
        for region in inventory()["regions"]:
            for total in server.client(region).list_usage_totals()["totals"]:
                for usage in total["usage"]:
                    price = table.get(region, items[usage["type"]])
                    if price is None:
                        assert "estimatedMonthlyCost" not in usage, (region, usage)
                        unpriced += 1
                        continue
                    quantity = Decimal(str(usage["total"]))
                    if usage["type"].endswith("_HOURS"):
                        quantity /= 720
                    expected = (quantity * price.amount).quantize(Decimal("0.0001"))
                    assert Decimal(str(usage["estimatedMonthlyCost"])) == expected, usage
                    priced += 1
    assert priced and unpriced


def test_sample_surface_is_pinned() -> None:
    import inspector_kit.sample as sample

    assert sample.__all__ == [
        "SampleSettings",
        "finding_event",
        "sample_accounts",
        "sample_accounts_path",
        "sample_coverage_records",
        "sample_estate_path",
        "sample_event",
        "sample_event_names",
        "sample_events_path",
        "sample_finding_details",
        "sample_finding_payloads",
        "sample_findings",
        "sample_inventory",
        "sample_kev",
        "sample_machine_images",
        "sample_on_demand_scans",
        "sample_resources",
        "sample_reviews",
        "sample_settings",
        "sample_usage_totals",
    ]
    for name in sample.__all__:
        doc = getattr(sample, name).__doc__ or ""
        assert "Examples:" in doc and ">>>" in doc, name
    # Implementation modules are private.
    assert sorted(p.name for p in Path(sample.__file__).parent.glob("*.py")) == [
        "__init__.py",
        "_accounts.py",
        "_events.py",
        "_files.py",
        "_inventory.py",
    ]
