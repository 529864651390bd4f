"""The coverage package surface: pinned names, private modules, pure at run time."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import inspector_kit.coverage as coverage

COVERAGE_ALL = [
    "AGENTLESS_CADENCE",
    "AGENTLESS_MAX_GIB",
    "AGENTLESS_MAX_VOLUMES",
    "COVERAGE_GROUP_COLUMNS",
    "DEEP_INSPECTION_INVENTORY_INTERVAL",
    "DEFAULT_DEEP_INSPECTION_PATHS",
    "END_OF_LIFE_SCAN_TAIL_MONTHS",
    "EXCLUSION_TAG",
    "LINUX_AGENT_CADENCE",
    "LINUX_DEEP_INSPECTION_CADENCE",
    "MAX_DEEP_INSPECTION_PATHS",
    "MAX_DEEP_INSPECTION_PATH_LENGTH",
    "METHOD_LANGUAGES",
    "NETWORK_REACHABILITY_INTERVAL",
    "STALE_INVENTORY_AFTER",
    "VM_SCANNER_CADENCE",
    "VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION",
    "VM_SCANNER_WINDOWS_LANGUAGES",
    "VM_SCANNER_WINDOWS_SBOM",
    "WINDOWS_AGENT_CADENCE",
    "CoverageInputError",
    "CoverageReport",
    "CoverageStatus",
    "DeepInspectionSettings",
    "DetectionGap",
    "Ec2Instance",
    "GapItem",
    "InstanceCoverage",
    "Inventory",
    "OsStatus",
    "OsSupport",
    "PathProblem",
    "Reason",
    "ReasonKind",
    "ScanCadence",
    "ScanConfiguration",
    "ScanMethod",
    "SsmStatus",
    "Volume",
    "analyze",
    "check_deep_inspection_paths",
    "detection_gap",
    "os_support",
]


def test_all_is_pinned() -> None:
    assert coverage.__all__ == COVERAGE_ALL
    assert all(hasattr(coverage, name) for name in coverage.__all__)


def test_implementation_modules_are_private() -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(coverage.__path__))
    assert modules == [
        "_analysis",
        "_gaps",
        "_inventory",
        "_model",
        "_os",
        "_paths",
        "_reasons",
        "_report",
    ]


def test_coverage_input_error_is_the_one_in_the_error_module() -> None:
    from inspector_kit import errors

    assert coverage.CoverageInputError is errors.CoverageInputError
    assert issubclass(errors.CoverageInputError, errors.InputError)


def test_report_columns_match_its_records() -> None:
    from inspector_kit.sample import sample_inventory

    report = sample_inventory().analyze()
    records = report.to_records()
    assert len(records) == len(report) > 0
    assert all(tuple(r) == report.columns for r in records)
    assert report.columns == coverage.InstanceCoverage.columns
    assert report.columns[-1] == "last_scanned_at"


def test_analysis_and_gaps_load_no_boto3() -> None:
    # Built by hand: the sample estate's inventory reader still goes through the test server
    # (issue 15 item 3), which loads botocore; coverage itself must not.
    code = (
        "import sys; from datetime import datetime, timezone; "
        "from inspector_kit import sample_findings; "
        "from inspector_kit.coverage import Ec2Instance, SsmStatus, Volume, analyze, "
        "detection_gap, check_deep_inspection_paths, DeepInspectionSettings; "
        "i = Ec2Instance('i-1', account_id='111122223333', region='us-east-1', "
        "os_name='Ubuntu', os_version='22.04', volumes=(Volume('vol-1', 30, 'ext4'),), "
        "ssm=SsmStatus(managed=False)); "
        "r = analyze([i], configuration='EC2_HYBRID', "
        "now=datetime(2026, 11, 22, tzinfo=timezone.utc)); "
        "g = detection_gap(list(sample_findings())); r.to_records(); g.to_records(); "
        "check_deep_inspection_paths(DeepInspectionSettings(activated=True, "
        "package_paths=['opt'])); "
        "print(len(r) > 0, any(m.startswith(('boto3', 'botocore')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
