"""The public API is pinned, and every public name documents itself with an example."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest

import inspector_kit
from inspector_kit import (
    cli,
    coverage,
    errors,
    fetch,
    loaders,
    logs,
    models,
    pricing,
    purl,
    scoring,
    testing,
    triage,
)

PUBLIC = [
    "AccessDeniedError",
    "AccountDirectory",
    "AccountGroups",
    "ConfigurationError",
    "CriteriaError",
    "CvssChoice",
    "FetchError",
    "Finding",
    "FindingCriteria",
    "FindingParseError",
    "FindingStatus",
    "FindingStream",
    "FindingType",
    "FixAvailable",
    "Inspector",
    "InspectorKitError",
    "LoadedFindings",
    "PackageManager",
    "PaginationError",
    "PartialResultError",
    "RecordIssue",
    "Resource",
    "ResourceType",
    "ServiceUnavailableError",
    "ServiceValidationError",
    "Severity",
    "SkippedRecord",
    "SnapshotError",
    "SnapshotQueryError",
    "SourceFormatError",
    "ThrottledError",
    "TimestampError",
    "VulnerablePackage",
    "__version__",
    "load_findings",
    "sample_estate_path",
    "sample_findings",
]


def test_all_is_pinned_and_sorted() -> None:
    assert inspector_kit.__all__ == PUBLIC
    assert sorted(inspector_kit.__all__) == inspector_kit.__all__


@pytest.mark.parametrize(
    "module",
    [
        inspector_kit,
        models,
        errors,
        loaders,
        logs,
        purl,
        fetch,
        scoring,
        coverage,
        pricing,
        triage,
        testing,
    ],
)
def test_all_names_exist(module: object) -> None:
    for name in module.__all__:  # type: ignore[attr-defined]
        assert hasattr(module, name), name


def test_logs_and_cli_names_are_pinned() -> None:
    assert logs.__all__ == [
        "DEFAULT_FORMAT",
        "LIBRARY_LOGGERS",
        "REDACTED",
        "RedactingFilter",
        "configure_logging",
        "redact",
    ]
    for name in ("EXIT_CONFIG", "EXIT_OUTPUT", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "exit_code"):
        assert name in cli.__all__, name


@pytest.mark.parametrize("name", [n for n in PUBLIC if n != "__version__"])
def test_every_public_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(inspector_kit, name))
    assert doc, name
    assert ">>>" in doc, f"{name} has no example"


@pytest.mark.parametrize(
    "name", [n for n in coverage.__all__ if not n.isupper() and not n.endswith("_CADENCE")]
)
def test_every_coverage_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(coverage, name))
    assert doc, name
    assert ">>>" in doc, f"coverage.{name} has no example"


@pytest.mark.parametrize("name", [n for n in pricing.__all__ if not n.isupper()])
def test_every_pricing_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(pricing, name))
    assert doc, name
    assert ">>>" in doc, f"pricing.{name} has no example"


@pytest.mark.parametrize("name", [n for n in triage.__all__ if not n.isupper()])
def test_every_triage_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(triage, name))
    assert doc, name
    assert ">>>" in doc, f"triage.{name} has no example"


def test_coverage_package_imports_no_boto3() -> None:
    import subprocess
    import sys

    code = (
        "import sys, inspector_kit.coverage; "
        "print(any(m.startswith(('boto3', 'botocore')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pricing_package_imports_no_boto3() -> None:
    import subprocess
    import sys

    code = (
        "import sys, inspector_kit.pricing; "
        "print(any(m.startswith(('boto3', 'botocore')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", [n for n in models.__all__ if n != "NO_FIX_VERSION"])
def test_every_model_name_is_documented(name: str) -> None:
    assert inspect.getdoc(getattr(models, name)), name


def test_errors_subclass_builtins() -> None:
    assert issubclass(inspector_kit.FindingParseError, ValueError)
    assert issubclass(inspector_kit.SourceFormatError, ValueError)
    assert issubclass(inspector_kit.FindingParseError, inspector_kit.InspectorKitError)


def test_models_package_imports_no_boto3() -> None:
    # models/ is pure: it must not pull boto3/botocore in (only fetch/ may, at run time).
    import subprocess
    import sys

    code = (
        "import sys, inspector_kit, inspector_kit.models, inspector_kit.loaders; "
        "before = any(m.startswith(('boto3', 'botocore')) for m in sys.modules); "
        "inspector_kit.Inspector; "
        "after = any(m.startswith(('boto3', 'botocore')) for m in sys.modules); "
        "print(before, after)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Pure modules pull nothing in; the fetch layer loads boto3 when first asked for.
    assert out.stdout.strip() == "False True"


def test_version() -> None:
    assert inspector_kit.__version__.startswith("0.")


# Every package's surface, pinned: a name added, removed or renamed is a decision.
SURFACES = {
    "models": [
        "NO_FIX_VERSION",
        "ON_DEMAND_COMPLETE_EVENT",
        "ON_DEMAND_FINDINGS_EVENT",
        "ON_DEMAND_FINDINGS_SOURCE",
        "AccountAggregationResponse",
        "AccountState",
        "AggregationResponse",
        "AmiAggregationResponse",
        "AmiConfigurationState",
        "AmiConfigurationStatus",
        "AmiScanDuration",
        "AmiScanMode",
        "AmiScanModeConfiguration",
        "AmiTagFilter",
        "ApiEnum",
        "ApiModel",
        "Architecture",
        "AwsEc2InstanceDetails",
        "AwsEcrContainerAggregationResponse",
        "AwsEcrContainerImageDetails",
        "AwsLambdaFunctionDetails",
        "CisaData",
        "CloudProvider",
        "CodeFilePath",
        "CodeRepositoryAggregationResponse",
        "CodeRepositoryDetails",
        "CodeRepositoryMetadata",
        "CodeRepositoryOnDemandScan",
        "CodeRepositoryProviderType",
        "CodeSecurityIntegration",
        "CodeSecurityIntegrationDetails",
        "CodeSecurityIntegrationVpcConfiguration",
        "CodeVulnerabilityDetails",
        "Configuration",
        "ContainerImageAggregationResponse",
        "ContainerImageMetadata",
        "ContainerRegistryMetadata",
        "ContainerRepositoryMetadata",
        "ContinuousIntegrationScanEvent",
        "Counts",
        "CoverageResourceType",
        "CoveredResource",
        "Currency",
        "CvssChoice",
        "CvssScore",
        "CvssScoreAdjustment",
        "CvssScoreDetails",
        "DeepInspectionConfiguration",
        "Ec2ConfigurationState",
        "Ec2DeepInspectionStatus",
        "Ec2InstanceAggregationResponse",
        "Ec2Metadata",
        "Ec2Platform",
        "Ec2ScanMode",
        "Ec2ScanModeState",
        "Ec2ScanModeStatus",
        "EcrConfigurationState",
        "EcrContainerImageMetadata",
        "EcrPullDateRescanDuration",
        "EcrPullDateRescanMode",
        "EcrRepositoryMetadata",
        "EcrRescanDuration",
        "EcrRescanDurationState",
        "EcrRescanDurationStatus",
        "EcrScanFrequency",
        "EpssDetails",
        "ErrorCode",
        "Evidence",
        "ExploitAvailable",
        "ExploitObserved",
        "ExploitabilityDetails",
        "FailedAccount",
        "Finding",
        "FindingDetail",
        "FindingDetailsError",
        "FindingDetailsErrorCode",
        "FindingStatus",
        "FindingType",
        "FindingTypeAggregationResponse",
        "FixAvailable",
        "FreeTrialAccountInfo",
        "FreeTrialInfo",
        "FreeTrialInfoError",
        "FreeTrialInfoErrorCode",
        "FreeTrialStatus",
        "FreeTrialType",
        "FrozenMap",
        "GroupKey",
        "Image",
        "ImageLayerAggregationResponse",
        "InspectorScoreDetails",
        "IntegrationStatus",
        "IntegrationType",
        "LambdaFunctionAggregationResponse",
        "LambdaFunctionMetadata",
        "LambdaLayerAggregationResponse",
        "LambdaVpcConfig",
        "MachineImageDetails",
        "MachineImageMetadata",
        "MachineImagePlatform",
        "Member",
        "NetworkPath",
        "NetworkProtocol",
        "NetworkReachabilityDetails",
        "OnDemandResourceType",
        "OnDemandScan",
        "OnDemandScanCompletion",
        "OnDemandScanStatus",
        "OnDemandScanStatusReason",
        "PackageAggregationResponse",
        "PackageManager",
        "PackageType",
        "PackageVulnerabilityDetails",
        "PortRange",
        "ProjectCodeSecurityScanConfiguration",
        "ProjectContinuousIntegrationScanConfiguration",
        "ProjectPeriodicScanConfiguration",
        "Provider",
        "Recommendation",
        "RegionalModel",
        "RelationshipStatus",
        "Remediation",
        "RepositoryAggregationResponse",
        "Resource",
        "ResourceDetails",
        "ResourceScanMetadata",
        "ResourceState",
        "ResourceStatus",
        "ResourceType",
        "RuleSetCategory",
        "Runtime",
        "RuntimeReachability",
        "RuntimeReachabilityReason",
        "ScanMode",
        "ScanSource",
        "ScanStatus",
        "ScanStatusCode",
        "ScanStatusReason",
        "ScanType",
        "ServerlessFunction",
        "ServerlessFunctionAggregationResponse",
        "ServerlessFunctionMetadata",
        "Severity",
        "SeverityCounts",
        "State",
        "Status",
        "Step",
        "TitleAggregationResponse",
        "Usage",
        "UsageTotal",
        "UsageType",
        "VMScannerState",
        "VMScannerStatus",
        "Vm",
        "VmInstanceAggregationResponse",
        "VmInstanceMetadata",
        "VmPlatform",
        "VulnerablePackage",
        "format_timestamp",
        "on_demand_scan_id",
        "parse_timestamp",
        "severity_rank",
    ],
    "criteria": [
        "CLOSED_VALUES",
        "CoverageCriteria",
        "DateFilter",
        "FindingCriteria",
        "MapFilter",
        "NumberFilter",
        "PackageFilter",
        "PortRangeFilter",
        "StringFilter",
        "check_closed",
    ],
    "scoring": [
        "BASE_CVSS_COLUMNS",
        "CACHE_SIZE",
        "REACHABILITY_UNKNOWN_VALUE",
        "TABLE_INPUT_COLUMNS",
        "Adjustment",
        "CvssRating",
        "CvssVector",
        "ExposurePolicy",
        "ExposureRule",
        "FindingReachability",
        "InvalidVectorError",
        "NetworkExposure",
        "Rescore",
        "Rescores",
        "SeverityChange",
        "TagRequirement",
        "WhatIf",
        "base_cvss_columns",
        "exposures_from_findings",
        "finding_reachability",
        "parse_vector",
        "rescore",
        "rescore_all",
        "rescore_batches",
        "rescore_table",
        "severity_for_score",
        "what_if",
    ],
    "coverage": [
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
    ],
    "pricing": [
        "BILLING_PERIOD_DAYS",
        "COST_GROUP_COLUMNS",
        "FREE_TRIAL_DAYS",
        "HOURS_PER_MONTH",
        "MAX_PRICE_FILE_BYTES",
        "PRICE_LIST_MAPPING",
        "PRICE_LIST_SERVICE_CODE",
        "UNPRICED",
        "USAGE_GROUP_COLUMNS",
        "AwsComparison",
        "CostEstimate",
        "CostLine",
        "ModeComparison",
        "Price",
        "PriceFileError",
        "PriceListRule",
        "PriceNotFoundError",
        "PriceTable",
        "Usage",
        "UsageError",
        "UsageItem",
        "compare_modes",
        "compare_regions",
        "compare_with_aws",
        "cost_by_account",
        "cost_by_ou",
        "estimate",
        "free_trial_days",
    ],
    "triage": [
        "ACCOUNT_RECORD_COLUMNS",
        "DEFAULT_MORNING",
        "MAX_POLICY_BYTES",
        "MAX_REVIEW_LOG_BYTES",
        "RANK_TABLE_INPUT_COLUMNS",
        "TRIAGE_GROUP_COLUMNS",
        "Action",
        "BusinessCalendar",
        "CalendarError",
        "Component",
        "Condition",
        "CveRollup",
        "CveRollups",
        "Deadline",
        "Decision",
        "Digest",
        "PolicyFileError",
        "RankedFinding",
        "Ranking",
        "ResourceRollup",
        "ResourceRollups",
        "Review",
        "ReviewLog",
        "ReviewLogError",
        "Route",
        "Rule",
        "TriageItem",
        "TriagePlan",
        "TriagePolicy",
        "Weights",
        "digest",
        "rank",
        "rank_table",
        "records",
        "rollup_by_cve",
        "rollup_by_resource",
        "route",
    ],
    "formats": [
        "ASFF_BATCH_LIMIT",
        "ASFF_FINDING_BYTES_LIMIT",
        "ASFF_NOT_CARRIED",
        "ASFF_REQUEST_BYTES_LIMIT",
        "ASFF_SCHEMA_VERSION",
        "CATEGORICAL_COLUMNS",
        "FINDING_COLUMNS",
        "FINDING_DISPLAY_COLUMNS",
        "OCSF_NOT_CARRIED",
        "OCSF_VERSION",
        "ORDERED_CATEGORIES",
        "RESCORE_COLUMNS",
        "FindingRecords",
        "MissingExtraError",
        "RecordScalar",
        "RecordValue",
        "Records",
        "RecordsMixin",
        "asff_batches",
        "asff_size",
        "to_arrow",
        "to_asff",
        "to_csv",
        "to_cyclonedx",
        "to_html",
        "to_json",
        "to_jsonl",
        "to_markdown",
        "to_ocsf",
        "to_pandas",
        "to_records",
        "to_spdx",
        "to_text",
        "write_csv",
        "write_cyclonedx",
        "write_excel",
        "write_html",
        "write_json",
        "write_jsonl",
        "write_markdown",
        "write_spdx",
        "write_text_table",
    ],
    "history": [
        "CHANGE_KINDS",
        "DATASET_COLUMNS",
        "ENGINES",
        "NAMED_QUERIES",
        "OPEN_CRITICALS_PER_WEEK",
        "PARQUET_COLUMNS",
        "PARQUET_LAYOUT",
        "PARTITION_COLUMNS",
        "QUERY_RESULT_KINDS",
        "AthenaEngine",
        "DatasetPartition",
        "FindingsDiff",
        "NamedQuery",
        "QueryResult",
        "Snapshot",
        "SnapshotDataset",
        "SnapshotError",
        "SnapshotManifest",
        "SnapshotNotFoundError",
        "SnapshotQueryError",
        "SnapshotStorageError",
        "SnapshotWriter",
        "SparkEngine",
        "diff",
        "query",
        "scan",
    ],
    "sample": [
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
    ],
    "fetch": [
        "CONNECTION_MAX_ATTEMPTS",
        "DEFAULT_MAX_ATTEMPTS",
        "EXPORT_THRESHOLD",
        "PAGES_AHEAD",
        "AccountRegionOutcome",
        "AccountStatuses",
        "CountRow",
        "CoverageCriteria",
        "CoverageStatistics",
        "DateFilter",
        "ExportFailedError",
        "ExportInProgressError",
        "ExportRecordIssue",
        "ExportSettings",
        "ExportTimeoutError",
        "FindingCounts",
        "FindingCriteria",
        "FindingDetails",
        "FindingStream",
        "FindingsAtScale",
        "FindingsExport",
        "FreeTrials",
        "Inspector",
        "ItemIssue",
        "MapFilter",
        "MemberDeepInspection",
        "MemberRole",
        "NumberFilter",
        "OnDemandScanFailedError",
        "OnDemandScanTimeoutError",
        "OrgAccount",
        "OrgInspector",
        "OrgStream",
        "Organization",
        "PackageFilter",
        "PortRangeFilter",
        "Progress",
        "RegionOutcome",
        "ResultStream",
        "SbomExport",
        "StringFilter",
        "fetch_price_table",
    ],
    "testing": [
        "Faults",
        "LoopbackDataset",
        "LoopbackInspector",
        "RequestRecord",
        "finding_payload",
    ],
    "errors": [
        "AccessDeniedError",
        "AccountDirectoryError",
        "AccountsFileError",
        "AsffRecordTooLargeError",
        "AssumeRoleError",
        "CalendarError",
        "ConfigurationError",
        "CoverageInputError",
        "CoverageTypeError",
        "CriteriaError",
        "CriteriaUsageError",
        "DatasetError",
        "EngineQueryError",
        "EngineTimeoutError",
        "ExportFailedError",
        "ExportInProgressError",
        "ExportTimeoutError",
        "FetchError",
        "FetchOptionError",
        "FindingParseError",
        "InputError",
        "InspectorKitError",
        "InspectorNotEnabledError",
        "InvalidArgumentError",
        "InvalidArgumentTypeError",
        "InvalidVectorError",
        "MissingExtraError",
        "OnDemandScanFailedError",
        "OnDemandScanTimeoutError",
        "OrganizationsError",
        "OutputError",
        "PaginationError",
        "PartialResultError",
        "PolicyFileError",
        "PriceError",
        "PriceFileError",
        "PriceNotFoundError",
        "PriceTypeError",
        "QueryParameterError",
        "RecordsError",
        "ReviewLogError",
        "SbomFormatError",
        "ServiceUnavailableError",
        "ServiceValidationError",
        "SnapshotCriteriaError",
        "SnapshotError",
        "SnapshotNotFoundError",
        "SnapshotQueryError",
        "SnapshotStorageError",
        "SnapshotStoragePermissionError",
        "SnapshotWriterError",
        "SourceFormatError",
        "ThrottledError",
        "TimestampError",
        "TriageError",
        "TriageTypeError",
        "UsageError",
    ],
    "logs": [
        "DEFAULT_FORMAT",
        "LIBRARY_LOGGERS",
        "REDACTED",
        "RedactingFilter",
        "configure_logging",
        "redact",
    ],
    "purl": [
        "Distro",
        "distro_for_platform",
        "purl_key",
        "to_purl",
    ],
    "sbom": [
        "SPDX_VERSIONS",
        "SUPPORTED_SPEC_VERSIONS",
        "ComponentFindings",
        "SbomComponent",
        "SbomDocument",
        "SbomFormatError",
        "SbomIssue",
        "ScanSbomCvss",
        "ScanSbomMessage",
        "ScanSbomResult",
        "ScanSbomVulnerability",
        "join_findings",
        "parse_cyclonedx",
        "parse_scan_sbom",
        "parse_spdx",
        "purl_key",
    ],
    "loaders": [
        "MAX_RECORD_SIZE",
        "LoadedFindings",
        "RecordIssue",
        "SkippedRecord",
        "load_findings",
    ],
    "plots": [
        "MissingExtraError",
        "cost_by_region",
        "coverage_by_method",
        "severity_by",
    ],
}


def _package(name: str) -> Any:
    return importlib.import_module(f"inspector_kit.{name}")


@pytest.mark.parametrize("package", sorted(SURFACES))
def test_every_package_surface_is_pinned(package: str) -> None:
    module = _package(package)
    assert list(module.__all__) == SURFACES[package]
    for name in module.__all__:
        assert hasattr(module, name), f"{package}.{name}"


def test_every_public_package_is_pinned() -> None:
    # a new public package (no underscore) must be added to SURFACES
    found = {
        info.name
        for info in pkgutil.iter_modules(inspector_kit.__path__)
        if not info.name.startswith("_") and info.name not in {"cli"}
    }
    assert found == set(SURFACES)


def _public_callables() -> list[tuple[str, str]]:
    out = []
    for package, names in SURFACES.items():
        module = _package(package)
        for name in names:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                out.append((package, name))
    return out


@pytest.mark.parametrize(("package", "name"), _public_callables())
def test_every_public_class_and_function_has_an_example(package: str, name: str) -> None:
    doc = inspect.getdoc(getattr(_package(package), name)) or ""
    assert ">>>" in doc, f"{package}.{name} has no runnable example"


def test_every_model_name_is_on_a_reference_page() -> None:
    # The models reference is split into topic pages that list their names; a name on no
    # page would be missing from the docs without any build warning.
    from pathlib import Path

    pages = Path(__file__).resolve().parent.parent / "docs" / "reference"
    listed = {
        line.strip()[2:]
        for page in pages.glob("models*.md")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    }
    missing = [name for name in models.__all__ if name not in listed]
    assert not missing, f"add to a docs/reference/models-*.md page: {missing}"
