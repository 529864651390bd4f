"""Decision table for the EC2 coverage analysis: one scenario per rule and per limit.

The truths are docs/facts.md#deep-inspection (AWS's scanning-ec2, deep-inspection, supported and
sbom-export pages and the ScanStatus API reference), restated here as expectations.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from inspector_kit.coverage import (
    AGENTLESS_CADENCE,
    LINUX_DEEP_INSPECTION_CADENCE,
    WINDOWS_AGENT_CADENCE,
    CoverageInputError,
    CoverageStatus,
    DeepInspectionSettings,
    Ec2Instance,
    ReasonKind,
    ScanConfiguration,
    ScanMethod,
    SsmStatus,
    Volume,
    analyze,
    os_support,
)
from inspector_kit.models import CoveredResource

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
ACCOUNT = "111122223333"
REGION = "ap-northeast-1"
HYBRID = "EC2_HYBRID"
AGENT = "EC2_SSM_AGENT_BASED"
A, L, N = ScanMethod.AGENT_BASED, ScanMethod.AGENTLESS, ScanMethod.NONE
COVERED, NOT_COVERED = CoverageStatus.COVERED, CoverageStatus.NOT_COVERED
EXCLUDED, STOPPED = CoverageStatus.EXCLUDED, CoverageStatus.STOPPED
PENDING, UNSUPPORTED = CoverageStatus.PENDING, CoverageStatus.UNSUPPORTED

MANAGED = SsmStatus(managed=True, ping_status="Online", last_inventory_at=NOW - timedelta(hours=1))


def vols(n: int = 1, gib: float = 30, fs: str | None = "xfs") -> tuple[Volume, ...]:
    return tuple(Volume(f"vol-{i:017x}", gib, fs) for i in range(n))


def inst(**changes: Any) -> Ec2Instance:
    """A running, SSM-managed Amazon Linux 2023 instance with one 30 GiB xfs volume."""
    base: dict[str, Any] = {
        "account_id": ACCOUNT,
        "region": REGION,
        "state": "running",
        "platform": "linux",
        "os_name": "Amazon Linux",
        "os_version": "2023",
        "root_device_type": "ebs",
        "volumes": vols(),
        "ssm": MANAGED,
        "launched_at": NOW - timedelta(days=30),
    }
    instance_id = changes.pop("instance_id", "i-0123456789abcdef0")
    base.update(changes)
    return Ec2Instance(instance_id, **base)


def one(instance: Ec2Instance, mode: str = HYBRID, **kwargs: Any) -> Any:
    report = analyze([instance], configuration=mode, now=NOW, **kwargs)
    assert not report.errors
    return report[0]


def codes(c: Any, kind: ReasonKind | None = None) -> list[str]:
    return [r.code for r in c.reasons if kind is None or r.kind is kind]


unmanaged = {"ssm": None}
ROWS: list[tuple[str, dict[str, Any], str, ScanMethod, CoverageStatus, list[str]]] = [
    # id, instance changes, mode, expected method, status, blocker codes
    ("managed-hybrid", {}, HYBRID, A, COVERED, []),
    ("managed-agent", {}, AGENT, A, COVERED, []),
    ("unmanaged-hybrid", unmanaged, HYBRID, L, COVERED, []),
    ("unmanaged-agent", unmanaged, AGENT, N, NOT_COVERED, ["UNMANAGED_EC2_INSTANCE"]),
    (
        "ssm-not-managed-agent",
        {"ssm": SsmStatus(managed=False)},
        AGENT,
        N,
        NOT_COVERED,
        ["UNMANAGED_EC2_INSTANCE"],
    ),
    (
        "stale-7d-is-fresh",
        {"ssm": attrs.evolve(MANAGED, last_inventory_at=NOW - timedelta(days=7))},
        AGENT,
        A,
        COVERED,
        [],
    ),
    (
        "stale-7d+1s-agent",
        {"ssm": attrs.evolve(MANAGED, last_inventory_at=NOW - timedelta(days=7, seconds=1))},
        AGENT,
        N,
        NOT_COVERED,
        ["STALE_INVENTORY"],
    ),
    (
        "stale-7d+1s-hybrid",
        {"ssm": attrs.evolve(MANAGED, last_inventory_at=NOW - timedelta(days=7, seconds=1))},
        HYBRID,
        L,
        COVERED,
        [],
    ),
    (
        "no-inventory-agent",
        {"ssm": attrs.evolve(MANAGED, last_inventory_at=None)},
        AGENT,
        N,
        NOT_COVERED,
        ["NO_INVENTORY"],
    ),
    (
        "no-inventory-hybrid",
        {"ssm": attrs.evolve(MANAGED, last_inventory_at=None)},
        HYBRID,
        L,
        COVERED,
        [],
    ),
    (
        "inventory-unreadable",
        {"ssm": attrs.evolve(MANAGED, last_inventory_at=None, inventory_checked=False)},
        AGENT,
        A,
        COVERED,
        [],
    ),
    ("excluded", {"tags": {"InspectorEc2Exclusion": ""}}, HYBRID, N, EXCLUDED, []),
    ("excluded-agent", {"tags": {"InspectorEc2Exclusion": "true"}}, AGENT, N, EXCLUDED, []),
    ("stopped", {"state": "stopped"}, HYBRID, N, STOPPED, []),
    ("stopping", {"state": "stopping"}, AGENT, N, STOPPED, []),
    ("terminated", {"state": "terminated"}, HYBRID, N, STOPPED, []),
    ("pending-state", {"state": "pending"}, HYBRID, A, PENDING, []),
    (
        "centos7",
        {"os_name": "CentOS Linux", "os_version": "7"},
        HYBRID,
        N,
        UNSUPPORTED,
        ["UNSUPPORTED_OS"],
    ),
    (
        "ubuntu-16.04-end-of-life-tail",
        {"os_name": "Ubuntu", "os_version": "16.04"},
        HYBRID,
        A,
        COVERED,
        [],
    ),
    (
        "windows-2012r2",
        {
            "platform": "windows",
            "os_name": "Microsoft Windows Server 2012 R2 Datacenter",
            "os_version": "6.3.9600",
        },
        HYBRID,
        N,
        UNSUPPORTED,
        ["UNSUPPORTED_OS"],
    ),
    (
        "al2-end-of-life-tail",
        {"os_name": "Amazon Linux", "os_version": "2"},
        HYBRID,
        A,
        COVERED,
        [],
    ),
    (
        "unknown-distro",
        {"os_name": "Plan 9", "os_version": "4"},
        AGENT,
        N,
        UNSUPPORTED,
        ["UNSUPPORTED_OS"],
    ),
    (
        "instance-store-unmanaged",
        {**unmanaged, "root_device_type": "instance-store"},
        HYBRID,
        N,
        NOT_COVERED,
        ["UNMANAGED_EC2_INSTANCE", "INSTANCE_STORE_ROOT"],
    ),
    ("instance-store-managed", {"root_device_type": "instance-store"}, HYBRID, A, COVERED, []),
    (
        "btrfs-unmanaged",
        {**unmanaged, "volumes": vols(fs="btrfs")},
        HYBRID,
        N,
        NOT_COVERED,
        ["UNMANAGED_EC2_INSTANCE", "UNSUPPORTED_FILESYSTEM"],
    ),
    ("ext3-unmanaged", {**unmanaged, "volumes": vols(fs="ext3")}, HYBRID, L, COVERED, []),
    ("ext4-unmanaged", {**unmanaged, "volumes": vols(fs="ext4")}, HYBRID, L, COVERED, []),
    ("7-volumes", {**unmanaged, "volumes": vols(7, 10)}, HYBRID, L, COVERED, []),
    (
        "8-volumes",
        {**unmanaged, "volumes": vols(8, 10)},
        HYBRID,
        N,
        NOT_COVERED,
        ["UNMANAGED_EC2_INSTANCE", "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED"],
    ),
    ("1200-gb", {**unmanaged, "volumes": vols(2, 600)}, HYBRID, L, COVERED, []),
    (
        "1201-gb",
        {**unmanaged, "volumes": vols(1, 1201)},
        HYBRID,
        N,
        NOT_COVERED,
        ["UNMANAGED_EC2_INSTANCE", "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED"],
    ),
    ("8-volumes-managed", {"volumes": vols(8, 500)}, HYBRID, A, COVERED, []),
    (
        "macos-managed",
        {"platform": "macos", "os_name": "macOS", "os_version": "14.5"},
        HYBRID,
        A,
        COVERED,
        [],
    ),
    (
        "macos-unmanaged",
        {**unmanaged, "platform": "macos", "os_name": None, "os_version": None},
        HYBRID,
        N,
        NOT_COVERED,
        ["UNMANAGED_EC2_INSTANCE", "AGENTLESS_UNSUPPORTED_PLATFORM"],
    ),
    (
        "windows-managed",
        {
            "platform": "windows",
            "os_name": "Microsoft Windows Server 2022 Datacenter",
            "os_version": "10.0.20348",
            "volumes": vols(fs="ntfs"),
        },
        AGENT,
        A,
        COVERED,
        [],
    ),
    (
        "windows-unmanaged-ntfs",
        {**unmanaged, "platform": "windows", "os_name": None, "volumes": vols(fs="ntfs")},
        HYBRID,
        L,
        COVERED,
        [],
    ),
    (
        "windows-2025-build",
        {"platform": "windows", "os_name": "Microsoft Windows Server", "os_version": "10.0.26100"},
        HYBRID,
        A,
        COVERED,
        [],
    ),
]


@pytest.mark.parametrize(
    ("changes", "mode", "method", "status", "blockers"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_decision_table(
    changes: dict[str, Any],
    mode: str,
    method: ScanMethod,
    status: CoverageStatus,
    blockers: list[str],
) -> None:
    c = one(inst(**changes), mode)
    assert (c.expected_method, c.status, c.expected_status) == (method, status, status)
    assert [r.code for r in c.blockers] == blockers
    for reason in c.blockers:
        assert reason.fix, reason
        assert reason.message
    assert c.billed is (status is COVERED)
    assert c.billed_method is (method if status is COVERED else N)
    assert c.observed_method is None and not c.mismatch


def test_agent_based_mode_fix_names_hybrid_only_when_hybrid_would_help() -> None:
    c = one(inst(ssm=None), AGENT)
    assert c.method_if_hybrid is L
    assert "switch the account to hybrid" in str(c.blockers[0].fix)
    c = one(inst(ssm=None, root_device_type="instance-store"), AGENT)
    assert c.method_if_hybrid is N
    assert "hybrid mode would not help: INSTANCE_STORE_ROOT" in str(c.blockers[0].fix)


def test_hybrid_explains_why_agentless() -> None:
    c = one(inst(ssm=None))
    assert codes(c, ReasonKind.INFO) == ["UNMANAGED_EC2_INSTANCE", "AGENTLESS"]
    stale = attrs.evolve(MANAGED, last_inventory_at=NOW - timedelta(days=9))
    c = one(inst(ssm=stale))
    assert codes(c, ReasonKind.WARNING) == ["STALE_INVENTORY"]
    assert "9 days old" in c.reasons[0].message


def test_cadence_deep_inspection_and_sbom_per_method() -> None:
    linux = one(inst())
    assert linux.cadence is LINUX_DEEP_INSPECTION_CADENCE and linux.cadence.event_driven
    assert linux.cadence.inventory_interval == timedelta(minutes=30)
    assert linux.cadence.application_inventory_interval == timedelta(hours=6)
    assert linux.deep_inspection and linux.sbom_export
    assert "DEEP_INSPECTION_ASSUMED" in codes(linux, ReasonKind.ASSUMPTION)
    agentless = one(inst(ssm=None))
    assert agentless.cadence is AGENTLESS_CADENCE
    assert agentless.cadence.interval == timedelta(hours=24)
    assert (agentless.deep_inspection, agentless.language_package_paths) == (False, ("/",))
    assert agentless.sbom_export
    windows = one(
        inst(
            platform="windows",
            os_name="Microsoft Windows Server 2019 Datacenter",
            os_version="10.0.17763",
        )
    )
    assert windows.cadence is WINDOWS_AGENT_CADENCE
    assert windows.cadence.interval == timedelta(hours=6)
    assert (windows.deep_inspection, windows.sbom_export) == (False, False)
    assert "WINDOWS_SSM_PLUGIN" in codes(windows, ReasonKind.INFO)
    mac = one(inst(platform="macos", os_name="macOS", os_version="15.1"))
    assert (mac.deep_inspection, mac.sbom_export) == (False, True)
    for c in (one(inst(state="stopped")), one(inst(ssm=None), AGENT)):
        assert (c.cadence, c.deep_inspection, c.sbom_export) == (None, False, False)


def test_deep_inspection_paths() -> None:
    deep = DeepInspectionSettings(
        activated=True, package_paths=["/opt/app"], org_package_paths=["/srv", "/opt/app"]
    )
    c = one(inst(), deep_inspection=deep)
    assert c.language_package_paths == (
        "/usr/lib",
        "/usr/lib64",
        "/usr/local/lib",
        "/usr/local/lib64",
        "/opt/app",
        "/srv",
    )
    assert "DEEP_INSPECTION_ASSUMED" not in codes(c)
    off = one(inst(), deep_inspection=DeepInspectionSettings(activated=False))
    assert (off.deep_inspection, off.language_package_paths) == (False, ())
    assert "DEEP_INSPECTION_OFF" in codes(off, ReasonKind.WARNING)
    per_region = {(ACCOUNT, "us-east-1"): DeepInspectionSettings(activated=False)}
    assert one(inst(), deep_inspection=per_region).deep_inspection is True


def test_account_not_enabled_is_never_clean() -> None:
    record = _record("i-0123456789abcdef0", "ACTIVE", "SUCCESSFUL", "EC2_SSM_AGENT_BASED")
    for enabled in (False, {(ACCOUNT, REGION): False}, {ACCOUNT: False}):
        c = one(inst(), account_enabled=enabled, coverage=[record])
        assert (c.status, c.expected_method, c.billed) == (NOT_COVERED, N, False)
        assert c.reasons[0].code == "INSPECTOR_NOT_ENABLED"
        assert ACCOUNT in str(c.reasons[0].fix) and REGION in str(c.reasons[0].fix)
        assert c.method_if_hybrid is N
    stopped = one(inst(state="stopped"), account_enabled=False)
    assert stopped.status is STOPPED


def test_account_status_unknown_is_a_warning() -> None:
    c = one(inst(), account_enabled={(ACCOUNT, "us-east-1"): True})
    assert c.status is COVERED
    assert "ACCOUNT_STATUS_UNKNOWN" in codes(c, ReasonKind.WARNING)
    c = one(inst(), account_enabled={(ACCOUNT, REGION): None})
    assert "ACCOUNT_STATUS_UNKNOWN" in codes(c, ReasonKind.WARNING)


def test_scope_lookup_most_specific_wins() -> None:
    config = {REGION: AGENT, ACCOUNT: HYBRID}
    assert one(inst(ssm=None), config).expected_method is L
    config = {(ACCOUNT, REGION): AGENT, ACCOUNT: HYBRID}
    assert one(inst(ssm=None), config).expected_method is N
    config = {REGION: ScanConfiguration(HYBRID)}
    assert one(inst(ssm=None), config).scan_mode == HYBRID


def test_missing_or_unknown_scan_mode_is_an_assumption() -> None:
    c = one(inst(ssm=None), {"us-east-1": HYBRID})
    assert (c.expected_method, c.scan_mode) == (N, None)
    assert "SCAN_MODE_UNKNOWN" in codes(c, ReasonKind.ASSUMPTION)
    c = one(inst(ssm=None), "EC2_FUTURE_MODE")
    assert c.expected_method is N and "SCAN_MODE_UNKNOWN" in codes(c)
    c = one(inst(), ScanConfiguration(HYBRID, "PENDING"))
    assert "SCAN_MODE_PENDING" in codes(c, ReasonKind.INFO)


def test_assumptions_for_what_aws_does_not_expose() -> None:
    c = one(inst(ssm=None, volumes=vols(2, fs=None), root_device_type=None, os_name=None))
    assert c.expected_method is L
    assert codes(c, ReasonKind.ASSUMPTION)[:3] == [
        "OS_UNKNOWN",
        "ROOT_DEVICE_UNKNOWN",
        "FILESYSTEM_UNKNOWN",
    ]
    assert "vol-00000000000000000, vol-00000000000000001" in c.reasons[2].message
    c = one(inst(ssm=None, volumes=()))
    assert "VOLUMES_UNKNOWN" in codes(c, ReasonKind.ASSUMPTION)
    c = one(inst(os_source="image"))
    assert "OS_FROM_IMAGE" in codes(c, ReasonKind.ASSUMPTION)


def test_warnings() -> None:
    lost = attrs.evolve(MANAGED, ping_status="ConnectionLost")
    c = one(inst(ssm=lost))
    assert c.expected_method is A and "SSM_CONNECTION_LOST" in codes(c, ReasonKind.WARNING)
    c = one(inst(tags={"inspectorec2exclusion": "yes"}))
    assert c.status is COVERED and "EXCLUSION_TAG_CASE" in codes(c, ReasonKind.WARNING)
    before_end = analyze(
        [inst(os_version="2")],
        configuration=HYBRID,
        now=datetime(2026, 6, 30, 23, 0, tzinfo=timezone.utc),
    )[0]
    assert before_end.status is COVERED
    assert "OS_SUPPORT_ENDING" in codes(before_end, ReasonKind.WARNING)


def _record(
    rid: str,
    code: str,
    reason: str,
    mode: str | None = None,
    region: str | None = REGION,
    account: str = ACCOUNT,
    scan_type: str = "PACKAGE",
) -> CoveredResource:
    payload: dict[str, Any] = {
        "resourceType": "AWS_EC2_INSTANCE",
        "resourceId": rid,
        "accountId": account,
        "scanType": scan_type,
        "scanStatus": {"statusCode": code, "reason": reason},
    }
    if mode:
        payload["scanMode"] = mode
    return CoveredResource.from_api(payload, region=region)


def test_observed_agrees() -> None:
    record = _record("i-0123456789abcdef0", "ACTIVE", "SUCCESSFUL", "EC2_AGENTLESS")
    c = one(inst(ssm=None), coverage=[record])
    assert (c.observed_method, c.status, c.mismatch, c.observed) == (L, COVERED, False, record)
    record = _record("i-0123456789abcdef0", "INACTIVE", "UNMANAGED_EC2_INSTANCE")
    c = one(inst(ssm=None), AGENT, coverage=[record])
    assert (c.observed_method, c.status, c.mismatch) == (N, NOT_COVERED, False)
    assert codes(c).count("UNMANAGED_EC2_INSTANCE") == 1


def test_observed_disagrees() -> None:
    record = _record("i-0123456789abcdef0", "ACTIVE", "SUCCESSFUL", "EC2_SSM_AGENT_BASED")
    c = one(inst(ssm=None), coverage=[record])
    assert (c.expected_method, c.observed_method, c.status, c.mismatch) == (L, A, COVERED, True)
    assert "EXPECTATION_MISMATCH" in codes(c, ReasonKind.WARNING)
    assert c.billed_method is A
    centos = one(inst(os_name="CentOS Linux", os_version="7"), coverage=[record])
    assert (centos.expected_status, centos.status, centos.mismatch) == (UNSUPPORTED, COVERED, True)


@pytest.mark.parametrize(
    ("code", "reason", "status"),
    [
        ("ACTIVE", "PENDING_INITIAL_SCAN", PENDING),
        ("INACTIVE", "EXCLUDED_BY_TAG", EXCLUDED),
        ("INACTIVE", "EC2_INSTANCE_STOPPED", STOPPED),
        ("INACTIVE", "UNSUPPORTED_OS", UNSUPPORTED),
        ("INACTIVE", "NO_INVENTORY", NOT_COVERED),
        ("INACTIVE", "ACCESS_DENIED", NOT_COVERED),
    ],
)
def test_observed_status_from_inspector_reason(
    code: str, reason: str, status: CoverageStatus
) -> None:
    record = _record("i-0123456789abcdef0", code, reason, "EC2_SSM_AGENT_BASED")
    c = one(inst(), coverage=[record])
    assert c.status is status
    assert c.mismatch is (status is not COVERED)


def test_active_with_a_problem_reason_is_a_warning() -> None:
    record = _record(
        "i-0123456789abcdef0",
        "ACTIVE",
        "DEEP_INSPECTION_PACKAGE_COLLECTION_LIMIT_EXCEEDED",
        "EC2_SSM_AGENT_BASED",
    )
    c = one(inst(), coverage=[record])
    assert c.status is COVERED and not c.mismatch
    assert "DEEP_INSPECTION_PACKAGE_COLLECTION_LIMIT_EXCEEDED" in codes(c, ReasonKind.WARNING)


def test_missing_record_when_coverage_is_known() -> None:
    other = _record("i-0fffffffffffffff0", "ACTIVE", "SUCCESSFUL", "EC2_AGENTLESS")
    old = one(inst(), coverage=[other])
    assert (old.status, old.observed_method, old.mismatch) == (NOT_COVERED, N, True)
    assert old.blockers[0].code == "NO_COVERAGE_RECORD"
    new = one(inst(launched_at=NOW - timedelta(hours=1)), coverage=[other])
    assert (new.status, new.billed) == (PENDING, True)
    assert "NOT_YET_SCANNED" in codes(new, ReasonKind.INFO)
    excluded = one(inst(tags={"InspectorEc2Exclusion": "x"}), coverage=[other])
    assert (excluded.status, excluded.observed_method, excluded.mismatch) == (EXCLUDED, N, False)
    elsewhere = one(inst(), coverage=[_record("i-1", "ACTIVE", "SUCCESSFUL", region="eu-west-1")])
    assert (elsewhere.status, elsewhere.observed_method) == (COVERED, None)
    assert "NO_COVERAGE_DATA" in codes(elsewhere, ReasonKind.ASSUMPTION)


def test_records_are_matched_by_instance_and_region_and_api_dicts_accepted() -> None:
    network = _record("i-0123456789abcdef0", "ACTIVE", "SUCCESSFUL", scan_type="NETWORK")
    stray = _record("i-0aaaaaaaaaaaaaaa0", "ACTIVE", "SUCCESSFUL", "EC2_AGENTLESS")
    api = {
        "resourceType": "AWS_EC2_INSTANCE",
        "resourceId": "i-0123456789abcdef0",
        "accountId": ACCOUNT,
        "scanType": "PACKAGE",
        "scanMode": "EC2_SSM_AGENT_BASED",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
    }
    report = analyze([inst()], configuration=HYBRID, now=NOW, coverage=[network, stray, api])
    assert report[0].observed_method is A and report[0].observed is not None
    assert report.coverage_only == (stray,)
    assert report.coverage_given


def test_bad_items_are_reported_and_the_rest_goes_on() -> None:
    report = analyze(
        [inst(), "i-not-an-instance", inst()],  # type: ignore[list-item]
        configuration=HYBRID,
        coverage=[{"resourceType": "AWS_EC2_INSTANCE"}],
        now=NOW,
    )
    assert len(report) == 1
    messages = [str(e) for e in report.errors]
    assert all(isinstance(e, CoverageInputError) for e in report.errors)
    assert messages[0].startswith("coverage[0]: not a CoveredResource")
    assert messages[1] == "instances[1]: expected an Ec2Instance, got str"
    assert messages[2] == "instances[2]: i-0123456789abcdef0 appears twice; the first was kept"
    with pytest.raises(CoverageInputError, match="naive"):
        analyze([], configuration=HYBRID, now=datetime(2026, 11, 22))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"state": "sleeping"}, "state must be one of"),
        ({"platform": "solaris"}, "platform must be 'linux', 'windows' or 'macos'"),
        ({"root_device_type": "nvme"}, "root_device_type must be 'ebs' or 'instance-store'"),
        ({"launched_at": datetime(2026, 1, 1)}, "naive datetime"),
        ({"account_id": ""}, "account_id must be a non-empty string"),
    ],
)
def test_model_validation_names_the_field(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        inst(**kwargs)


def test_volume_validation() -> None:
    with pytest.raises(ValueError, match="size_gib must be a number >= 0"):
        Volume("vol-1", -1)
    with pytest.raises(TypeError, match=r"volumes\[0\] must be a Volume"):
        inst(volumes=[("vol-1", 30)])


def _estate() -> list[Ec2Instance]:
    return [
        inst(instance_id="i-a"),
        inst(instance_id="i-b", ssm=None),
        inst(instance_id="i-c", ssm=None, root_device_type="instance-store"),
        inst(instance_id="i-d", state="stopped"),
        inst(instance_id="i-e", tags={"InspectorEc2Exclusion": "1", "Name": "batch"}),
        inst(instance_id="i-f", os_name="CentOS Linux", os_version="7"),
        inst(instance_id="i-g", region="us-east-1", ssm=None),
    ]


def test_report_rollups() -> None:
    config = {(ACCOUNT, REGION): HYBRID, (ACCOUNT, "us-east-1"): AGENT}
    report = analyze(_estate(), configuration=config, now=NOW)
    assert report.counts_by_status() == {
        COVERED: 2,
        NOT_COVERED: 2,
        EXCLUDED: 1,
        STOPPED: 1,
        PENDING: 0,
        UNSUPPORTED: 1,
    }
    assert report.counts_by_method() == {A: 1, L: 1, ScanMethod.VM_SCANNER: 0, N: 5}
    assert [c.instance_id for c in report.in_scope] == ["i-a", "i-b", "i-c", "i-f", "i-g"]
    assert report.coverage_ratio == pytest.approx(2 / 5)
    assert [c.instance_id for c in report.hybrid_would_add] == ["i-g"]
    assert [c.instance_id for c in report.needs_attention] == ["i-c", "i-f", "i-g"]
    assert report.get("i-e") is report[4] and report.get("i-zzz") is None
    assert [c.instance_id for c in report.with_status("STOPPED")] == ["i-d"]
    assert sum(c.billed for c in report) == 2
    assert analyze([], configuration=HYBRID, now=NOW).coverage_ratio is None


def test_records_are_flat_and_stable() -> None:
    report = analyze(_estate(), configuration=HYBRID, now=NOW)
    records = report.to_records()
    assert len(records) == 7
    columns = list(records[0])
    assert columns == [
        "account_id",
        "region",
        "instance_id",
        "name",
        "state",
        "platform",
        "os",
        "scan_mode",
        "status",
        "expected_status",
        "expected_method",
        "observed_method",
        "mismatch",
        "method_if_hybrid",
        "method_if_vm_scanner",
        "reason_codes",
        "blockers",
        "reason",
        "fix",
        "cadence",
        "deep_inspection",
        "language_package_paths",
        "languages",
        "sbom_export",
        "billed",
        "billed_method",
        "last_scanned_at",
    ]
    for record in records:
        assert list(record) == columns
        assert all(v is None or isinstance(v, (str, bool, datetime)) for v in record.values())
    c = records[2]
    assert (c["status"], c["blockers"]) == (
        "NOT_COVERED",
        "UNMANAGED_EC2_INSTANCE;INSTANCE_STORE_ROOT",
    )
    # The deciding reason: after the agent, agentless was tried last and its blocker decides.
    assert c["reason"] == "INSTANCE_STORE_ROOT"
    assert [r["reason"] for r in records] == [
        None if (d := one.deciding_reason) is None else d.code for one in report.instances
    ]
    assert records[4]["name"] == "batch" and records[0]["os"] == "Amazon Linux 2023"


def test_text_and_markdown_summaries() -> None:
    config = {(ACCOUNT, REGION): HYBRID, (ACCOUNT, "us-east-1"): AGENT}
    report = analyze(_estate(), configuration=config, now=NOW)
    text = report.to_text()
    assert text.splitlines()[0] == "EC2 coverage: 7 instances, as of 2026-11-22 12:00 UTC"
    assert "Status: COVERED 2, NOT_COVERED 2, UNSUPPORTED 1, EXCLUDED 1, STOPPED 1" in text
    assert "Coverage: 40% (2 of 5 in scope" in text
    assert "Hybrid scan mode would add 1: i-g" in text
    assert "No Inspector coverage records given" in text
    assert "i-c [111122223333 ap-northeast-1] NOT_COVERED" in text
    assert str(report) == text
    md = report.to_markdown()
    assert md.startswith("## EC2 coverage: 7 instances")
    assert "| Instance | Account | Region | Status | Expected | Reason | Fix |" in md
    assert md.count("\n| i-") == 3


def test_markdown_escapes_pipes() -> None:
    report = analyze([inst(tags={"Name": "a|b"}, ssm=None)], configuration=AGENT, now=NOW)
    assert "i-0123456789abcdef0 (a\\|b)" in report.to_markdown()


@pytest.mark.parametrize(
    ("name", "version", "supported"),
    [
        ("Amazon Linux", "2023", True),
        ("AlmaLinux", "9.4", True),
        ("AlmaLinux", "7.9", False),
        ("Bottlerocket", "1.7.0", True),
        ("Bottlerocket", "1.6.2", False),
        ("Debian GNU/Linux", "12", True),
        ("Debian GNU/Linux", "11", True),  # in its end-of-life tail: still scanned
        ("Fedora Linux", "44", True),
        ("Oracle Linux Server", "8.9", True),
        ("Red Hat Enterprise Linux", "9.4", True),
        ("Red Hat Enterprise Linux Server", "7.9", False),
        ("Rocky Linux", "10.0", True),
        ("SLES", "15.7", True),
        ("SLES", "15.6", True),  # in its end-of-life tail: still scanned
        ("SUSE Linux Enterprise Server", "16.0", True),
        ("Ubuntu", "18.04", True),
        ("Ubuntu", "26.04", True),
        ("Ubuntu", "26.10", False),
        ("Ubuntu", "16.04", True),  # in its end-of-life tail: still scanned
        ("Microsoft Windows Server 2016 Datacenter", "10.0.14393", True),
        ("Microsoft Windows Server 2025 Datacenter", "10.0.26100", True),
        ("Microsoft Windows Server 2012 R2 Standard", "6.3.9600", False),
    ],
)
def test_supported_os_table(name: str, version: str, supported: bool) -> None:
    platform = "windows" if "Windows" in name else "linux"
    assert os_support(platform, name, version, now=NOW).supported is supported


def test_first_scan_pending_on_a_new_instance_is_expected() -> None:
    record = _record("i-0123456789abcdef0", "ACTIVE", "PENDING_INITIAL_SCAN", "EC2_SSM_AGENT_BASED")
    new = one(inst(launched_at=NOW - timedelta(hours=1)), coverage=[record])
    assert (new.status, new.expected_status, new.mismatch) == (PENDING, PENDING, False)
    old = one(inst(launched_at=NOW - timedelta(days=3)), coverage=[record])
    assert (old.status, old.expected_status, old.mismatch) == (PENDING, COVERED, True)


def test_sample_estate_reproduces_its_documented_expectations() -> None:
    import json

    from inspector_kit.sample import sample_estate_path, sample_inventory

    resources = json.loads((sample_estate_path() / "resources.json").read_text())
    expected = {i["instance_id"]: i for i in resources["ec2_instances"]}
    report = sample_inventory().analyze()
    assert not report.errors and not report.coverage_only
    assert len(report) == len(expected) == 31
    for c in report:
        truth = expected[c.instance_id]
        assert c.status.value == truth["expected_status"], c.instance.name
        assert c.method.value == truth["expected_method"], c.instance.name
    # Amazon Linux 2 (discontinued 2026-06-30) is in its end-of-life tail: still scanned, as
    # the estate's records say, so the rules agree with every record.
    assert not report.mismatches
    assert all(report.counts_by_status().values())  # every status appears
    assert {c.scan_mode for c in report} == {HYBRID, AGENT}


def test_inventories_merge_across_accounts() -> None:
    from inspector_kit.coverage import Inventory

    record = _record("i-a", "ACTIVE", "SUCCESSFUL", "EC2_AGENTLESS")
    first = Inventory(
        instances=(inst(instance_id="i-a", ssm=None),),
        coverage=(record,),
        configurations={(ACCOUNT, REGION): ScanConfiguration(HYBRID)},
        account_enabled={(ACCOUNT, REGION): True},
        errors=(CoverageInputError("first"),),
        gathered_at=NOW,
    )
    other = "444455556666"
    second = Inventory(
        instances=(inst(instance_id="i-b", account_id=other), inst(instance_id="i-a")),
        coverage=(record, _record("i-b", "ACTIVE", "SUCCESSFUL", AGENT, account=other)),
        configurations={(other, REGION): ScanConfiguration(AGENT)},
        account_enabled={(other, REGION): False},
        errors=(CoverageInputError("second"),),
        gathered_at=NOW - timedelta(minutes=5),
    )
    merged = first.merge(second)
    assert [i.instance_id for i in merged.instances] == ["i-a", "i-b"]
    assert merged.instances[0].ssm is None  # the first seen wins
    assert len(merged.coverage) == 2
    assert merged.configurations == {
        (ACCOUNT, REGION): ScanConfiguration(HYBRID),
        (other, REGION): ScanConfiguration(AGENT),
    }
    assert [str(e) for e in merged.errors] == ["first", "second"]
    assert merged.gathered_at == NOW - timedelta(minutes=5)
    report = merged.analyze(now=NOW)
    assert [(c.instance_id, c.status) for c in report] == [("i-a", COVERED), ("i-b", NOT_COVERED)]
    assert report[1].reasons[0].code == "INSPECTOR_NOT_ENABLED"


# -- errors and keyword-only options (issue 15) -------------------------------------------


def test_bad_coverage_values_raise_coverage_errors() -> None:
    from inspector_kit.errors import CoverageInputError, CoverageTypeError, InputError

    assert issubclass(CoverageInputError, InputError) and issubclass(CoverageTypeError, TypeError)
    with pytest.raises(CoverageInputError, match="size_gib must be a number >= 0"):
        Volume("vol-1", -1)
    with pytest.raises(CoverageInputError, match="platform must be"):
        inst(platform="beos")
    with pytest.raises(CoverageTypeError, match=r"volumes\[0\] must be a Volume"):
        inst(volumes=[("vol-1", 30)])
    with pytest.raises(CoverageTypeError, match="expected a datetime"):
        SsmStatus(managed=True, last_inventory_at="2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(CoverageInputError, match="naive datetime"):
        SsmStatus(managed=True, last_inventory_at=datetime(2026, 1, 1))


def test_os_support_takes_now_by_keyword_and_warns_when_positional() -> None:
    expected = os_support("linux", "Ubuntu", "22.04", now=NOW)
    with pytest.warns(DeprecationWarning, match=r"now to os_support\(\) positionally"):
        assert os_support("linux", "Ubuntu", "22.04", NOW) == expected
    with pytest.raises(TypeError, match="needs now="):
        os_support("linux", "Ubuntu", "22.04")
