"""Decision table for the third EC2 scan method: the Inspector VM Scanner (Enhanced EC2 Scanning).

The truths are docs/facts.md#vm-scanner (AWS's API reference for ``Ec2Configuration``,
``VMScannerState`` and ``ScanMode``, and the VM Scanner's manual-installation page): a scanner
installed by hand is agent-based scanning that needs no SSM; the console installs and manages it
through SSM; Inspector's records name it ``EC2_INSPECTOR_AGENT_BASED``; it scans every 3 hours,
with deep inspection on Linux, Windows and macOS and the language set of agentless scanning.
Where the analysis had to choose (documented assumptions), the test names the assumption.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest
from moto import mock_aws

from inspector_kit.coverage import (
    AGENTLESS_CADENCE,
    METHOD_LANGUAGES,
    VM_SCANNER_CADENCE,
    CoverageInputError,
    CoverageStatus,
    DeepInspectionSettings,
    ReasonKind,
    ScanConfiguration,
    ScanMethod,
    SsmStatus,
    analyze,
    detection_gap,
)
from inspector_kit.models import Configuration, Finding, VMScannerStatus
from inspector_kit.testing import finding_payload
from tests.test_coverage import NOW, _record, codes, inst
from tests.test_inventory import ACCOUNT as CALLER
from tests.test_inventory import EAST, LoopbackInspector, Stubs, dataset, inspector

A, L, V, N = (
    ScanMethod.AGENT_BASED,
    ScanMethod.AGENTLESS,
    ScanMethod.VM_SCANNER,
    ScanMethod.NONE,
)
COVERED, NOT_COVERED = CoverageStatus.COVERED, CoverageStatus.NOT_COVERED
STOPPED, EXCLUDED = CoverageStatus.STOPPED, CoverageStatus.EXCLUDED
PENDING = CoverageStatus.PENDING

AGENT = "EC2_SSM_AGENT_BASED"
HYBRID = "EC2_HYBRID"
SSM_ONLY = ScanConfiguration(AGENT)
VM = ScanConfiguration(AGENT, vm_scanner=True, vm_scanner_status="SUCCESS")
VM_HYBRID = ScanConfiguration(HYBRID, vm_scanner=True, vm_scanner_status="SUCCESS")
VM_PENDING = ScanConfiguration(AGENT, vm_scanner=True, vm_scanner_status="PENDING")
VM_FAILED = ScanConfiguration(AGENT, vm_scanner=True, vm_scanner_status="FAILED")
VM_OFF = ScanConfiguration(HYBRID, vm_scanner=False, vm_scanner_status="SUCCESS")
IID = "i-0123456789abcdef0"
FULL = ("C#", "Go", "Java", "JavaScript", "PHP", "Python", "Ruby", "Rust")

WINDOWS = {"platform": "windows", "os_name": "Microsoft Windows Server 2022 Datacenter",
           "os_version": "10.0.20348", "volumes": ()}  # fmt: skip
MACOS = {"platform": "macos", "os_name": "macOS", "os_version": "14.3", "volumes": ()}
STALE = SsmStatus(managed=True, ping_status="Online", last_inventory_at=NOW - timedelta(days=9))


def one(instance: Any, configuration: Any, **kwargs: Any) -> Any:
    report = analyze([instance], configuration=configuration, now=NOW, **kwargs)
    assert not report.errors
    return report[0]


# (id, instance changes, configuration, expected method, status, reason codes that must appear)
ROWS: list[tuple[str, dict[str, Any], ScanConfiguration, ScanMethod, CoverageStatus, list[str]]] = [
    ("linux-managed-vm", {}, VM, V, COVERED, ["VM_SCANNER"]),
    ("linux-managed-no-vm", {}, SSM_ONLY, A, COVERED, []),
    ("linux-managed-vm-off", {}, VM_OFF, A, COVERED, []),
    # The console installs the scanner through SSM: an unmanaged instance does not get it.
    ("linux-unmanaged-vm-agent-mode", {"ssm": None}, VM, N, NOT_COVERED,
     ["UNMANAGED_EC2_INSTANCE"]),
    # Assumption: hybrid + VM Scanner leaves unmanaged instances to agentless scanning.
    ("linux-unmanaged-vm-hybrid", {"ssm": None}, VM_HYBRID, L, COVERED, ["AGENTLESS"]),
    ("linux-managed-vm-hybrid", {}, VM_HYBRID, V, COVERED, ["VM_SCANNER"]),
    # Hand-installed: agent-based scanning that needs no SSM, activated account or not.
    ("linux-hand-no-ssm", {"ssm": None, "vm_scanner_installed": True}, SSM_ONLY, V, COVERED,
     ["VM_SCANNER_HAND_INSTALLED"]),
    ("linux-hand-no-ssm-hybrid", {"ssm": None, "vm_scanner_installed": True}, VM_HYBRID, V,
     COVERED, ["VM_SCANNER_HAND_INSTALLED"]),
    ("linux-hand-false", {"ssm": None, "vm_scanner_installed": False}, SSM_ONLY, N, NOT_COVERED,
     ["UNMANAGED_EC2_INSTANCE"]),
    ("windows-managed-vm", WINDOWS, VM, V, COVERED, ["VM_SCANNER"]),
    ("windows-managed-no-vm", WINDOWS, SSM_ONLY, A, COVERED, ["WINDOWS_SSM_PLUGIN"]),
    ("windows-hand-no-ssm", {**WINDOWS, "ssm": None, "vm_scanner_installed": True}, SSM_ONLY, V,
     COVERED, ["VM_SCANNER_HAND_INSTALLED"]),
    ("macos-managed-vm", MACOS, VM, V, COVERED, ["VM_SCANNER"]),
    ("macos-hand-no-ssm", {**MACOS, "ssm": None, "vm_scanner_installed": True}, SSM_ONLY, V,
     COVERED, ["VM_SCANNER_HAND_INSTALLED"]),
    # macOS is never agentless: hybrid + VM Scanner leaves an unmanaged Mac unscanned.
    ("macos-unmanaged-vm-hybrid", {**MACOS, "ssm": None}, VM_HYBRID, N, NOT_COVERED,
     ["UNMANAGED_EC2_INSTANCE", "AGENTLESS_UNSUPPORTED_PLATFORM"]),
    # PENDING / FAILED: analysed as not activated yet, with the account's state as a reason.
    ("linux-managed-pending", {}, VM_PENDING, A, COVERED, ["VM_SCANNER_PENDING"]),
    ("linux-managed-failed", {}, VM_FAILED, A, COVERED, ["VM_SCANNER_FAILED"]),
    ("linux-unmanaged-failed", {"ssm": None}, VM_FAILED, N, NOT_COVERED,
     ["VM_SCANNER_FAILED", "UNMANAGED_EC2_INSTANCE"]),
    # Assumption: the scanner does not read the SSM inventory, so its age does not block it.
    ("linux-stale-inventory-vm", {"ssm": STALE}, VM, V, COVERED, ["VM_SCANNER"]),
    ("linux-stale-inventory-no-vm", {"ssm": STALE}, SSM_ONLY, N, NOT_COVERED,
     ["STALE_INVENTORY"]),
    ("stopped-hand", {"state": "stopped", "vm_scanner_installed": True}, VM, N, STOPPED,
     ["EC2_INSTANCE_STOPPED"]),
    ("excluded-vm", {"tags": {"InspectorEc2Exclusion": ""}}, VM, N, EXCLUDED,
     ["EXCLUDED_BY_TAG"]),
    ("starting-vm", {"state": "pending"}, VM, V, PENDING, ["VM_SCANNER"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "configuration", "method", "status", "must"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_decision_table(
    changes: dict[str, Any],
    configuration: ScanConfiguration,
    method: ScanMethod,
    status: CoverageStatus,
    must: list[str],
) -> None:
    c = one(inst(**changes), configuration)
    assert (c.expected_method, c.status) == (method, status)
    assert set(must) <= set(codes(c)), codes(c)
    blockers = codes(c, ReasonKind.BLOCKER)
    assert (status is NOT_COVERED) == bool(blockers) or status is not NOT_COVERED
    if method is V:
        assert blockers == []
        assert c.cadence == VM_SCANNER_CADENCE
        assert c.billed is (c.instance.state == "running")


def test_cadence_is_every_three_hours() -> None:
    assert VM_SCANNER_CADENCE.interval == timedelta(hours=3)
    assert VM_SCANNER_CADENCE.event_driven is False
    assert "3 hours" in VM_SCANNER_CADENCE.description


@pytest.mark.parametrize(
    ("changes", "deep", "paths", "sbom"),
    [
        ({}, True, ("/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/local/lib64", "/opt/app"),
         True),
        (MACOS, True, ("/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/local/lib64", "/opt/app"),
         True),
        # Windows: languages read (assumption VM_SCANNER_WINDOWS_LANGUAGES), no SBOM unless the
        # account opted in (assumption VM_SCANNER_WINDOWS_SBOM).
        (WINDOWS, True, (), False),
    ],
    ids=["linux", "macos", "windows"],
)  # fmt: skip
def test_capabilities_per_platform(
    changes: dict[str, Any], deep: bool, paths: tuple[str, ...], sbom: bool
) -> None:
    settings = DeepInspectionSettings(activated=False, package_paths=["/opt/app"])
    c = one(inst(**changes), VM, deep_inspection=settings)
    # Deep inspection and custom paths apply whether or not the SSM plugin's deep inspection
    # is activated (the deep-inspection page does not apply to Enhanced EC2 Scanning).
    assert (c.deep_inspection, c.language_package_paths, c.sbom_export) == (deep, paths, sbom)
    assert c.languages == FULL
    assert "DEEP_INSPECTION_OFF" not in codes(c)


def test_windows_assumptions_can_be_changed() -> None:
    c = one(inst(**WINDOWS), VM, vm_scanner_windows_languages=False, vm_scanner_windows_sbom=True)
    assert (c.deep_inspection, c.languages, c.sbom_export) == (False, (), True)
    assert "VM_SCANNER_WINDOWS_OS_ONLY" in codes(c, ReasonKind.ASSUMPTION)


def test_languages_per_method() -> None:
    assert METHOD_LANGUAGES[V] == METHOD_LANGUAGES[L] == FULL
    assert METHOD_LANGUAGES[A] == ("Java", "JavaScript", "Python")
    assert METHOD_LANGUAGES[N] == ()
    assert set(METHOD_LANGUAGES) == set(ScanMethod)
    linux_agent = one(inst(), SSM_ONLY)
    assert linux_agent.languages == ("Java", "JavaScript", "Python")
    assert one(inst(**WINDOWS), SSM_ONLY).languages == ()  # the SSM plugin: OS packages only
    assert one(inst(ssm=None), HYBRID).languages == FULL
    assert one(inst(ssm=None), AGENT).languages == ()  # not scanned
    assert linux_agent.to_record()["languages"] == "Java;JavaScript;Python"


def test_hand_installed_needs_activation_is_an_assumption_with_a_keyword() -> None:
    hand = inst(ssm=None, vm_scanner_installed=True)
    strict = one(hand, SSM_ONLY, hand_installed_needs_activation=True)
    assert (strict.expected_method, strict.status) == (N, NOT_COVERED)
    assert strict.method_if_vm_scanner is V
    assert one(hand, VM, hand_installed_needs_activation=True).expected_method is V


# -- observed records -----------------------------------------------------------------


def vm_record(rid: str = IID, code: str = "ACTIVE", reason: str = "SUCCESSFUL") -> Any:
    return _record(rid, code, reason, "EC2_INSPECTOR_AGENT_BASED")


def test_windows_with_a_vm_scanner_record_is_covered_not_a_mismatch() -> None:
    c = one(inst(**WINDOWS, ssm=None), SSM_ONLY, coverage=[vm_record()])
    assert (c.status, c.observed_method, c.expected_method, c.mismatch) == (COVERED, V, V, False)
    assert "VM_SCANNER_ASSUMED_HAND_INSTALLED" in codes(c, ReasonKind.ASSUMPTION)
    assert "UNMANAGED_EC2_INSTANCE" not in codes(c)
    assert c.cadence == VM_SCANNER_CADENCE and c.billed


def test_hybrid_unmanaged_with_a_vm_scanner_record_is_the_vm_scanner() -> None:
    c = one(inst(ssm=None), ScanConfiguration(HYBRID), coverage=[vm_record()])
    assert (c.status, c.observed_method, c.expected_method, c.mismatch) == (COVERED, V, V, False)
    assert c.cadence != AGENTLESS_CADENCE


@pytest.mark.parametrize(
    ("changes", "kwargs"),
    [({"vm_scanner_installed": False}, {}), ({}, {"infer_hand_installed": False})],
    ids=["instance-says-not-installed", "inference-off"],
)
def test_unexplained_vm_scanner_record_is_a_mismatch_when_inference_is_off(
    changes: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    c = one(inst(**WINDOWS, ssm=None, **changes), SSM_ONLY, coverage=[vm_record()], **kwargs)
    assert (c.expected_method, c.observed_method, c.status, c.mismatch) == (N, V, COVERED, True)
    assert "EXPECTATION_MISMATCH" in codes(c)


@pytest.mark.parametrize("configuration", [VM_PENDING, VM_FAILED], ids=["pending", "failed"])
def test_vm_scanner_record_during_rollout_is_expected(configuration: ScanConfiguration) -> None:
    c = one(inst(), configuration, coverage=[vm_record()])
    assert (c.expected_method, c.observed_method, c.status, c.mismatch) == (V, V, COVERED, False)
    assert "VM_SCANNER_OBSERVED" in codes(c)


def test_ssm_plugin_record_where_the_vm_scanner_is_expected_is_a_mismatch() -> None:
    c = one(inst(), VM, coverage=[_record(IID, "ACTIVE", "SUCCESSFUL", AGENT)])
    assert (c.expected_method, c.observed_method, c.mismatch) == (V, A, True)


def test_vm_scanner_record_on_a_stopped_instance_stays_stopped() -> None:
    record = vm_record(code="INACTIVE", reason="EC2_INSTANCE_STOPPED")
    c = one(inst(state="stopped"), SSM_ONLY, coverage=[record])
    assert (c.status, c.expected_method) == (STOPPED, N)


def test_vm_scanner_record_with_inspector_disabled_is_not_explained_away() -> None:
    c = one(inst(ssm=None), VM, coverage=[vm_record()], account_enabled=False)
    assert c.expected_method is N and c.method_if_vm_scanner is N


# -- what would enabling Enhanced EC2 Scanning change ---------------------------------


def test_what_if_vm_scanner() -> None:
    estate = [
        inst(instance_id="i-managed"),
        inst(instance_id="i-stale", ssm=STALE),
        inst(instance_id="i-unmanaged", ssm=None),
        inst(instance_id="i-win", **WINDOWS),
        inst(instance_id="i-stopped", state="stopped"),
    ]
    report = analyze(estate, configuration=SSM_ONLY, now=NOW)
    assert [c.method_if_vm_scanner for c in report] == [V, V, N, V, N]
    assert [c.instance_id for c in report.vm_scanner_would_add] == ["i-stale"]
    assert [c.instance_id for c in report.vm_scanner_would_switch] == ["i-managed", "i-win"]
    assert [c.instance_id for c in report.hybrid_would_add] == ["i-stale", "i-unmanaged"]
    text = report.to_text()
    assert "Enhanced EC2 Scanning (VM Scanner) would add 1: i-stale" in text
    assert "would move 2 scanned instance(s) to the VM Scanner" in text
    assert "Hybrid scan mode would add 2: i-stale, i-unmanaged" in text
    assert report.get("i-stale").to_record()["method_if_vm_scanner"] == "VM_SCANNER"  # type: ignore[union-attr]

    active = analyze(estate, configuration=VM, now=NOW)
    assert [c.method_if_vm_scanner for c in active] == [c.expected_method for c in active]
    assert active.vm_scanner_would_add == active.vm_scanner_would_switch == ()
    assert active.counts_by_method()[V] == 3


def test_what_if_in_hybrid_keeps_unmanaged_agentless() -> None:
    report = analyze([inst(ssm=None), inst(instance_id="i-2")], configuration=HYBRID, now=NOW)
    assert [c.method_if_vm_scanner for c in report] == [L, V]
    assert [c.instance_id for c in report.vm_scanner_would_switch] == ["i-2"]


# -- reading vmScannerState -------------------------------------------------------------


def test_scan_configuration_reads_vm_scanner_state() -> None:
    c = Configuration.from_api(
        {
            "ec2Configuration": {
                "scanModeState": {"scanMode": HYBRID, "scanModeStatus": "SUCCESS"},
                "vmScannerState": {
                    "activated": True,
                    "activatedAt": "2026-11-30T10:00:00Z",
                    "status": "FAILED",
                },
            }
        }
    )
    s = ScanConfiguration.from_model(c)
    assert s is not None
    assert (s.vm_scanner, s.vm_scanner_status) == (True, VMScannerStatus.FAILED)
    assert (s.vm_scanner_active, s.vm_scanner_failed, s.vm_scanner_pending) == (False, True, False)
    only = Configuration.from_api({"ec2Configuration": {"vmScannerState": {"activated": True}}})
    s = ScanConfiguration.from_model(only)
    assert s is not None and (s.mode, s.vm_scanner_active) == (AGENT, True)
    plain = ScanConfiguration.from_model(
        Configuration.from_api({"ec2Configuration": {"scanModeState": {"scanMode": AGENT}}})
    )
    assert plain is not None and (plain.vm_scanner, plain.vm_scanner_active) == (None, False)
    assert ScanConfiguration(AGENT, vm_scanner_status="NEW").vm_scanner_status == "NEW"
    with pytest.raises(TypeError):
        ScanConfiguration(AGENT, vm_scanner="yes")  # type: ignore[arg-type]


def test_unknown_vm_scanner_status_is_an_assumption() -> None:
    config = ScanConfiguration(AGENT, vm_scanner=True, vm_scanner_status="ROLLING")
    c = one(inst(), config)
    assert c.expected_method is A
    assert "VM_SCANNER_STATUS_UNKNOWN" in codes(c, ReasonKind.ASSUMPTION)


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def test_gathering_reads_vm_scanner_state(aws: None) -> None:
    state = {"activated": True, "status": "PENDING"}
    configuration = {
        "ec2Configuration": {
            "scanModeState": {"scanMode": HYBRID, "scanModeStatus": "SUCCESS"},
            "vmScannerState": state,
        }
    }
    stubs = Stubs()
    with LoopbackInspector(dataset(configurations={(CALLER, EAST): configuration})) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    assert inv.configurations == {
        (CALLER, EAST): ScanConfiguration(HYBRID, vm_scanner=True, vm_scanner_status="PENDING")
    }


# -- detection gap per method -----------------------------------------------------------


def _finding(manager: str, path: str, platform: str = "AMAZON_LINUX_2023") -> Finding:
    payload = finding_payload(
        packageVulnerabilityDetails={
            "vulnerabilityId": "CVE-2024-0001",
            "source": "NVD",
            "vulnerablePackages": [
                {"name": "pkg", "version": "1.0", "packageManager": manager, "filePath": path}
            ],
        }
    )
    payload["resources"][0]["details"] = {"awsEc2Instance": {"platform": platform}}
    return Finding.from_api(payload)


def test_detection_gap_per_method() -> None:
    findings = [
        _finding("GOBINARY", "/usr/local/lib/app"),  # Go: the SSM plugin never reads it
        _finding("JAR", "/opt/app/lib/x.jar"),  # Java outside the deep inspection paths
        _finding("NUGET", "C:/app/x.dll", "WINDOWS_SERVER_2022"),  # Windows
    ]
    reasons = {
        method: sorted(i.reason for i in detection_gap(findings, method=method))
        for method in (A, V, L)
    }
    assert reasons[A] == ["ECOSYSTEM_NOT_SUPPORTED", "OUTSIDE_PATHS", "PLATFORM_NOT_SUPPORTED"]
    # The VM Scanner reads Go and Windows, but only the deep inspection paths (assumption).
    assert reasons[V] == ["OUTSIDE_PATHS"]
    assert reasons[L] == []  # agentless reads every path
    assert detection_gap(findings, method="VM_SCANNER").method is V
    deactivated = DeepInspectionSettings(activated=False)
    vm_off = detection_gap(findings, deep_inspection=deactivated, method=V)
    assert [i.reason for i in vm_off] == ["OUTSIDE_PATHS"]
    assert vm_off.suggested_paths == ("/opt/app/lib",)
    with pytest.raises(CoverageInputError, match="method must be one of"):
        detection_gap(findings, method="NONE")


def test_agent_property() -> None:
    assert [m for m in ScanMethod if m.agent] == [A, V]
    assert attrs.evolve(inst(), vm_scanner_installed=None).vm_scanner_installed is None
    with pytest.raises(TypeError):
        inst(vm_scanner_installed="yes")


def test_vm_scanner_hours_are_billed_as_agent_based() -> None:
    from decimal import Decimal

    from inspector_kit.pricing import Usage

    report = analyze([inst(), inst(instance_id="i-2", ssm=None)], configuration=VM_HYBRID, now=NOW)
    assert [c.billed_method for c in report] == [V, L]
    usage = Usage.from_coverage(report)
    assert (usage.agent_based_hours, usage.agentless_hours) == (Decimal(720), Decimal(720))


def test_vm_scanner_record_while_deactivation_is_pending_is_not_taken_as_hand_installed() -> None:
    leaving = ScanConfiguration(AGENT, vm_scanner=False, vm_scanner_status="PENDING")
    c = one(inst(), leaving, coverage=[vm_record()])
    assert (c.expected_method, c.mismatch) == (V, False)
    assert "VM_SCANNER_OBSERVED" in codes(c)
    assert "VM_SCANNER_ASSUMED_HAND_INSTALLED" not in codes(c)
    assert one(inst(), leaving).expected_method is A
