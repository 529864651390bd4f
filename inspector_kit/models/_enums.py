"""Open enums for every enumerated member of the modelled Inspector shapes.

That is the ``Finding`` shape and the responses of the coverage, configuration, account,
usage, finding-details and aggregation operations; each enum is named as its botocore
shape is named.

Each enum is a ``(str, Enum)``, so ``Severity.HIGH == "HIGH"`` holds and values sort and
group naturally in pandas; ``str(Severity.HIGH)`` is ``"HIGH"`` on every Python version.

They are *open*: a value AWS adds later (a new Lambda runtime, ``packageManager: GENERIC``
in real exports) is kept as a plain ``str`` and logged at debug level, never rejected.
Attributes holding them are typed ``Severity | str`` and so on. A test pins every enum to
the values of the botocore service model.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "AmiConfigurationStatus",
    "AmiScanDuration",
    "AmiScanMode",
    "ApiEnum",
    "Architecture",
    "CloudProvider",
    "CodeRepositoryProviderType",
    "ContinuousIntegrationScanEvent",
    "CoverageResourceType",
    "Currency",
    "Ec2DeepInspectionStatus",
    "Ec2Platform",
    "Ec2ScanMode",
    "Ec2ScanModeStatus",
    "EcrPullDateRescanDuration",
    "EcrPullDateRescanMode",
    "EcrRescanDuration",
    "EcrRescanDurationStatus",
    "EcrScanFrequency",
    "ErrorCode",
    "ExploitAvailable",
    "FindingDetailsErrorCode",
    "FindingStatus",
    "FindingType",
    "FixAvailable",
    "GroupKey",
    "IntegrationStatus",
    "IntegrationType",
    "MachineImagePlatform",
    "NetworkProtocol",
    "PackageManager",
    "PackageType",
    "Provider",
    "RelationshipStatus",
    "ResourceType",
    "RuleSetCategory",
    "Runtime",
    "RuntimeReachability",
    "RuntimeReachabilityReason",
    "ScanMode",
    "ScanSource",
    "ScanStatusCode",
    "ScanStatusReason",
    "ScanType",
    "Severity",
    "Status",
    "UsageType",
    "VMScannerStatus",
    "VmPlatform",
    "severity_rank",
]


class ApiEnum(str, Enum):
    """Base of the API enums: a ``str`` whose ``str()`` and ``format()`` give the value.

    Examples:
        >>> f"{Severity.HIGH}", str(Severity.HIGH), Severity.HIGH == "HIGH"
        ('HIGH', 'HIGH', True)
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)


class FindingType(ApiEnum):
    """API ``FindingType``: what kind of problem a finding describes.

    Examples:
        >>> FindingType("CODE_VULNERABILITY") is FindingType.CODE_VULNERABILITY
        True
    """

    NETWORK_REACHABILITY = "NETWORK_REACHABILITY"
    PACKAGE_VULNERABILITY = "PACKAGE_VULNERABILITY"
    CODE_VULNERABILITY = "CODE_VULNERABILITY"


class Severity(ApiEnum):
    """API ``Severity``. Compare severities with ``severity_rank``, not ``<`` (string order).

    Package-finding bands: 0 INFORMATIONAL, 0.1-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH,
    9.0-10.0 CRITICAL; UNTRIAGED means the vendor has not scored it yet
    (https://docs.aws.amazon.com/inspector/latest/user/findings-understanding-severity.html).

    Examples:
        >>> sorted(["LOW", "CRITICAL", "MEDIUM"], key=severity_rank, reverse=True)
        ['CRITICAL', 'MEDIUM', 'LOW']
        >>> severity_rank(Severity.HIGH) > severity_rank(Severity.MEDIUM)
        True
    """

    INFORMATIONAL = "INFORMATIONAL"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"
    UNTRIAGED = "UNTRIAGED"

    @property
    def rank(self) -> int:
        """Deprecated: use ``severity_rank`` (it also ranks a severity AWS added later).

        0 for UNTRIAGED, then 1 (INFORMATIONAL) up to 5 (CRITICAL).
        """
        import warnings

        warnings.warn(
            "Severity.rank is deprecated; use inspector_kit.models.severity_rank(severity), "
            "which also ranks severities that are plain strings",
            DeprecationWarning,
            stacklevel=2,
        )
        return _SEVERITY_RANK[self.value]


_SEVERITY_RANK = {
    "UNTRIAGED": 0,
    "INFORMATIONAL": 1,
    "LOW": 2,
    "MEDIUM": 3,
    "HIGH": 4,
    "CRITICAL": 5,
}


def severity_rank(severity: Severity | str) -> int:
    """Rank a severity for sorting; unknown strings rank -1 (below everything known).

    The one spelling of severity order (``Severity.rank`` is a deprecated alias): it takes
    a [`Severity`][inspector_kit.models.Severity] or a plain string, as open enums give for a value
    AWS added later. 0 for UNTRIAGED, then 1 (INFORMATIONAL) up to 5 (CRITICAL).

    Examples:
        >>> severity_rank("CRITICAL"), severity_rank(Severity.LOW), severity_rank("NEW")
        (5, 2, -1)
    """
    return _SEVERITY_RANK.get(str(severity), -1)


class FindingStatus(ApiEnum):
    """API ``FindingStatus``: ACTIVE, SUPPRESSED (by a suppression rule) or CLOSED (remediated).

    Examples:
        >>> [s.value for s in FindingStatus]
        ['ACTIVE', 'SUPPRESSED', 'CLOSED']
    """

    ACTIVE = "ACTIVE"
    SUPPRESSED = "SUPPRESSED"
    CLOSED = "CLOSED"


class ResourceType(ApiEnum):
    """API ``ResourceType``, including the multi-cloud (Azure, GCP) resource types.

    Member names are ours where the API value is not an identifier.

    Examples:
        >>> ResourceType("Microsoft.Compute/virtualMachines").name
        'AZURE_VIRTUAL_MACHINE'
    """

    AWS_EC2_INSTANCE = "AWS_EC2_INSTANCE"
    AWS_ECR_CONTAINER_IMAGE = "AWS_ECR_CONTAINER_IMAGE"
    AWS_ECR_REPOSITORY = "AWS_ECR_REPOSITORY"
    AWS_LAMBDA_FUNCTION = "AWS_LAMBDA_FUNCTION"
    CODE_REPOSITORY = "CODE_REPOSITORY"
    MACHINE_IMAGE = "MACHINE_IMAGE"
    AZURE_VIRTUAL_MACHINE = "Microsoft.Compute/virtualMachines"
    AZURE_CONTAINER_IMAGE = "Microsoft.ContainerRegistry/registry/containerImage"
    AZURE_WEB_SITE = "Microsoft.Web/sites"
    GCP_CLOUD_FUNCTION = "cloudfunctions.googleapis.com/Function"
    GCP_COMPUTE_INSTANCE = "compute.googleapis.com/Instance"
    GCP_DOCKER_IMAGE = "artifactregistry.googleapis.com/DockerImage"


class Provider(ApiEnum):
    """API ``Provider``: the cloud a resource lives in.

    Examples:
        >>> Provider("AZURE") is Provider.AZURE, f"{Provider.GCP}"
        (True, 'GCP')
    """

    AWS = "AWS"
    AZURE = "AZURE"
    GCP = "GCP"


class Runtime(ApiEnum):
    """API ``Runtime``: the Lambda runtime, in Inspector's spelling (``PYTHON_3_12``).

    Examples:
        >>> Runtime("PYTHON_3_12") is Runtime.PYTHON_3_12, Runtime.NODEJS_20_X == "NODEJS_20_X"
        (True, True)
    """

    NODEJS = "NODEJS"
    NODEJS_12_X = "NODEJS_12_X"
    NODEJS_14_X = "NODEJS_14_X"
    NODEJS_16_X = "NODEJS_16_X"
    NODEJS_18_X = "NODEJS_18_X"
    NODEJS_20_X = "NODEJS_20_X"
    NODEJS_22_X = "NODEJS_22_X"
    NODEJS_24_X = "NODEJS_24_X"
    JAVA_8 = "JAVA_8"
    JAVA_8_AL2 = "JAVA_8_AL2"
    JAVA_11 = "JAVA_11"
    JAVA_17 = "JAVA_17"
    JAVA_21 = "JAVA_21"
    JAVA_25 = "JAVA_25"
    PYTHON_3_7 = "PYTHON_3_7"
    PYTHON_3_8 = "PYTHON_3_8"
    PYTHON_3_9 = "PYTHON_3_9"
    PYTHON_3_10 = "PYTHON_3_10"
    PYTHON_3_11 = "PYTHON_3_11"
    PYTHON_3_12 = "PYTHON_3_12"
    PYTHON_3_13 = "PYTHON_3_13"
    PYTHON_3_14 = "PYTHON_3_14"
    GO_1_X = "GO_1_X"
    DOTNETCORE_3_1 = "DOTNETCORE_3_1"
    DOTNET_6 = "DOTNET_6"
    DOTNET_7 = "DOTNET_7"
    DOTNET_8 = "DOTNET_8"
    DOTNET_10 = "DOTNET_10"
    RUBY_2_7 = "RUBY_2_7"
    RUBY_3_2 = "RUBY_3_2"
    RUBY_3_3 = "RUBY_3_3"
    UNSUPPORTED = "UNSUPPORTED"


class PackageType(ApiEnum):
    """API ``PackageType``: how a function's code is packaged.

    Examples:
        >>> PackageType("ZIP") is PackageType.ZIP, str(PackageType.IMAGE)
        (True, 'IMAGE')
    """

    IMAGE = "IMAGE"
    ZIP = "ZIP"


class Architecture(ApiEnum):
    """API ``Architecture`` (Lambda functions, machine images, serverless functions).

    Examples:
        >>> Architecture("ARM64") is Architecture.ARM64, [str(a) for a in Architecture]
        (True, ['X86_64', 'ARM64'])
    """

    X86_64 = "X86_64"
    ARM64 = "ARM64"


class CodeRepositoryProviderType(ApiEnum):
    """API ``CodeRepositoryProviderType``: where a scanned code repository is hosted.

    Examples:
        >>> CodeRepositoryProviderType("GITHUB") is CodeRepositoryProviderType.GITHUB
        True
    """

    GITHUB = "GITHUB"
    GITLAB_SELF_MANAGED = "GITLAB_SELF_MANAGED"


class NetworkProtocol(ApiEnum):
    """API ``NetworkProtocol`` of an open network path.

    Examples:
        >>> NetworkProtocol("TCP") is NetworkProtocol.TCP, NetworkProtocol.UDP == "UDP"
        (True, True)
    """

    TCP = "TCP"
    UDP = "UDP"


class PackageManager(ApiEnum):
    """API ``PackageManager``: which package ecosystem a vulnerable package belongs to.

    Real exports also carry values outside the model (``GENERIC``, ``JAVA``, ``PYTHON``,
    ``GO``); those stay plain strings.

    Examples:
        >>> PackageManager.PIP == "PIP"
        True
    """

    BUNDLER = "BUNDLER"
    CARGO = "CARGO"
    COMPOSER = "COMPOSER"
    NPM = "NPM"
    NUGET = "NUGET"
    PIPENV = "PIPENV"
    POETRY = "POETRY"
    YARN = "YARN"
    GOBINARY = "GOBINARY"
    GOMOD = "GOMOD"
    JAR = "JAR"
    OS = "OS"
    PIP = "PIP"
    PYTHONPKG = "PYTHONPKG"
    NODEPKG = "NODEPKG"
    POM = "POM"
    GEMSPEC = "GEMSPEC"
    DOTNET_CORE = "DOTNET_CORE"


class FixAvailable(ApiEnum):
    """API ``FixAvailable``: whether fixed versions exist for all, some or none of the packages.

    Examples:
        >>> FixAvailable.PARTIAL.value
        'PARTIAL'
    """

    YES = "YES"
    NO = "NO"
    PARTIAL = "PARTIAL"


class ExploitAvailable(ApiEnum):
    """API ``ExploitAvailable``: whether a public exploit is known.

    Examples:
        >>> ExploitAvailable("YES") is ExploitAvailable.YES, f"{ExploitAvailable.NO}"
        (True, 'NO')
    """

    YES = "YES"
    NO = "NO"


# ----------------------------------------------------------------------------- coverage


class CoverageResourceType(ApiEnum):
    """API ``CoverageResourceType``: the kind of resource a coverage record is about.

    Like [`ResourceType`][inspector_kit.models.ResourceType], plus ECR and Azure repositories and
    registries. Member names are ours where the API value is not an identifier.

    Examples:
        >>> CoverageResourceType("artifactregistry.googleapis.com/Repository").name
        'GCP_ARTIFACT_REPOSITORY'
    """

    AWS_EC2_INSTANCE = "AWS_EC2_INSTANCE"
    AWS_ECR_CONTAINER_IMAGE = "AWS_ECR_CONTAINER_IMAGE"
    AWS_ECR_REPOSITORY = "AWS_ECR_REPOSITORY"
    AWS_LAMBDA_FUNCTION = "AWS_LAMBDA_FUNCTION"
    CODE_REPOSITORY = "CODE_REPOSITORY"
    AZURE_VIRTUAL_MACHINE = "Microsoft.Compute/virtualMachines"
    AZURE_CONTAINER_IMAGE = "Microsoft.ContainerRegistry/registry/containerImage"
    AZURE_CONTAINER_REPOSITORY = "Microsoft.ContainerRegistry/registry/containerRepository"
    AZURE_WEB_SITE = "Microsoft.Web/sites"
    AZURE_CONTAINER_REGISTRY = "Microsoft.ContainerRegistry/registries"
    MACHINE_IMAGE = "MACHINE_IMAGE"
    GCP_CLOUD_FUNCTION = "cloudfunctions.googleapis.com/Function"
    GCP_COMPUTE_INSTANCE = "compute.googleapis.com/Instance"
    GCP_ARTIFACT_REPOSITORY = "artifactregistry.googleapis.com/Repository"
    GCP_DOCKER_IMAGE = "artifactregistry.googleapis.com/DockerImage"


class ScanType(ApiEnum):
    """API ``ScanType``: which Inspector scan covers a resource.

    Examples:
        >>> [t.value for t in ScanType]
        ['NETWORK', 'PACKAGE', 'CODE']
    """

    NETWORK = "NETWORK"
    PACKAGE = "PACKAGE"
    CODE = "CODE"


class RuntimeReachability(ApiEnum):
    """API ``RuntimeReachability``: whether a vulnerable package is used at run time.

    Inspector sets it per package on package vulnerability findings for ECR images and EC2
    instances; ``UNKNOWN`` when it has no evidence either way.

    Examples:
        >>> RuntimeReachability("REACHABLE") is RuntimeReachability.REACHABLE
        True
    """

    REACHABLE = "REACHABLE"
    NOT_REACHABLE = "NOT_REACHABLE"
    UNKNOWN = "UNKNOWN"


class RuntimeReachabilityReason(ApiEnum):
    """API ``RuntimeReachabilityReason``: the evidence behind a ``RuntimeReachability``.

    The ``DOCKERFILE`` values are for ECR images (is the package in the workload path the
    image's Dockerfile declares), the ``EC2_RUNTIME`` values for EC2 instances (was a
    process using it observed). Absent when the reachability is ``UNKNOWN``.

    Examples:
        >>> RuntimeReachabilityReason.PROCESS_OBSERVED_IN_EC2_RUNTIME.value
        'PROCESS_OBSERVED_IN_EC2_RUNTIME'
    """

    PACKAGE_IN_DOCKERFILE_WORKLOAD_PATH = "PACKAGE_IN_DOCKERFILE_WORKLOAD_PATH"
    PACKAGE_NOT_IN_DOCKERFILE_WORKLOAD_PATH = "PACKAGE_NOT_IN_DOCKERFILE_WORKLOAD_PATH"
    PROCESS_OBSERVED_IN_EC2_RUNTIME = "PROCESS_OBSERVED_IN_EC2_RUNTIME"
    PROCESS_NOT_OBSERVED_IN_EC2_RUNTIME = "PROCESS_NOT_OBSERVED_IN_EC2_RUNTIME"


class ScanMode(ApiEnum):
    """API ``ScanMode``: how one EC2 instance (or VM) is actually scanned.

    Agentless is never an account setting on its own: it is what hybrid mode
    ([`Ec2ScanMode.EC2_HYBRID`][inspector_kit.models.Ec2ScanMode]) uses for instances SSM does not
    manage (https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html).

    Examples:
        >>> ScanMode("EC2_AGENTLESS") is ScanMode.EC2_AGENTLESS
        True
    """

    EC2_SSM_AGENT_BASED = "EC2_SSM_AGENT_BASED"
    EC2_AGENTLESS = "EC2_AGENTLESS"
    EC2_INSPECTOR_AGENT_BASED = "EC2_INSPECTOR_AGENT_BASED"
    VM_INSPECTOR_AGENT_BASED = "VM_INSPECTOR_AGENT_BASED"


class ScanStatusCode(ApiEnum):
    """API ``ScanStatusCode``: whether a resource is being scanned.

    Examples:
        >>> ScanStatusCode.ACTIVE == "ACTIVE"
        True
    """

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class ScanStatusReason(ApiEnum):
    """API ``ScanStatusReason``: why a resource is (or is not) being scanned.

    ``SUCCESSFUL`` and ``PENDING_INITIAL_SCAN`` are the healthy ones; the rest explain a
    gap in coverage (docs/facts.md#ec2;
    https://docs.aws.amazon.com/inspector/v2/APIReference/API_ScanStatus.html).

    Examples:
        >>> ScanStatusReason("STALE_INVENTORY").value
        'STALE_INVENTORY'
    """

    PENDING_INITIAL_SCAN = "PENDING_INITIAL_SCAN"
    ACCESS_DENIED = "ACCESS_DENIED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    UNMANAGED_EC2_INSTANCE = "UNMANAGED_EC2_INSTANCE"
    UNSUPPORTED_OS = "UNSUPPORTED_OS"
    SCAN_ELIGIBILITY_EXPIRED = "SCAN_ELIGIBILITY_EXPIRED"
    RESOURCE_TERMINATED = "RESOURCE_TERMINATED"
    SUCCESSFUL = "SUCCESSFUL"
    NO_RESOURCES_FOUND = "NO_RESOURCES_FOUND"
    IMAGE_SIZE_EXCEEDED = "IMAGE_SIZE_EXCEEDED"
    SCAN_FREQUENCY_MANUAL = "SCAN_FREQUENCY_MANUAL"
    SCAN_FREQUENCY_SCAN_ON_PUSH = "SCAN_FREQUENCY_SCAN_ON_PUSH"
    EC2_INSTANCE_STOPPED = "EC2_INSTANCE_STOPPED"
    PENDING_DISABLE = "PENDING_DISABLE"
    NO_INVENTORY = "NO_INVENTORY"
    STALE_INVENTORY = "STALE_INVENTORY"
    EXCLUDED_BY_TAG = "EXCLUDED_BY_TAG"
    UNSUPPORTED_RUNTIME = "UNSUPPORTED_RUNTIME"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    UNSUPPORTED_CONFIG_FILE = "UNSUPPORTED_CONFIG_FILE"
    DEEP_INSPECTION_PACKAGE_COLLECTION_LIMIT_EXCEEDED = (
        "DEEP_INSPECTION_PACKAGE_COLLECTION_LIMIT_EXCEEDED"
    )
    DEEP_INSPECTION_DAILY_SSM_INVENTORY_LIMIT_EXCEEDED = (
        "DEEP_INSPECTION_DAILY_SSM_INVENTORY_LIMIT_EXCEEDED"
    )
    DEEP_INSPECTION_COLLECTION_TIME_LIMIT_EXCEEDED = (
        "DEEP_INSPECTION_COLLECTION_TIME_LIMIT_EXCEEDED"
    )
    DEEP_INSPECTION_NO_INVENTORY = "DEEP_INSPECTION_NO_INVENTORY"
    AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED = "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED"
    AGENTLESS_INSTANCE_COLLECTION_TIME_LIMIT_EXCEEDED = (
        "AGENTLESS_INSTANCE_COLLECTION_TIME_LIMIT_EXCEEDED"
    )
    PENDING_REVIVAL_SCAN = "PENDING_REVIVAL_SCAN"
    INTEGRATION_CONNECTION_LOST = "INTEGRATION_CONNECTION_LOST"
    ACCESS_DENIED_TO_ENCRYPTION_KEY = "ACCESS_DENIED_TO_ENCRYPTION_KEY"
    UNSUPPORTED_LANGUAGE = "UNSUPPORTED_LANGUAGE"
    NO_SCAN_CONFIGURATION_ASSOCIATED = "NO_SCAN_CONFIGURATION_ASSOCIATED"
    SCAN_IN_PROGRESS = "SCAN_IN_PROGRESS"
    IMAGE_ARCHIVED = "IMAGE_ARCHIVED"
    UNSUPPORTED_CODE_ARTIFACTS = "UNSUPPORTED_CODE_ARTIFACTS"
    RESOURCE_UNMANAGED = "RESOURCE_UNMANAGED"
    RESOURCE_STOPPED = "RESOURCE_STOPPED"
    EXTRACTION_COLLECTION_TIME_LIMIT_EXCEEDED = "EXTRACTION_COLLECTION_TIME_LIMIT_EXCEEDED"
    STORAGE_LIMIT_EXCEEDED = "STORAGE_LIMIT_EXCEEDED"
    INVALID_ARTIFACT = "INVALID_ARTIFACT"


class EcrScanFrequency(ApiEnum):
    """API ``EcrScanFrequency``: how an ECR repository's images are scanned.

    Examples:
        >>> EcrScanFrequency("CONTINUOUS_SCAN").name
        'CONTINUOUS_SCAN'
    """

    MANUAL = "MANUAL"
    SCAN_ON_PUSH = "SCAN_ON_PUSH"
    CONTINUOUS_SCAN = "CONTINUOUS_SCAN"


class Ec2Platform(ApiEnum):
    """API ``Ec2Platform``: the operating-system family of a covered EC2 instance.

    Examples:
        >>> Ec2Platform.LINUX == "LINUX"
        True
    """

    WINDOWS = "WINDOWS"
    LINUX = "LINUX"
    UNKNOWN = "UNKNOWN"
    MACOS = "MACOS"


class VmPlatform(ApiEnum):
    """API ``VmPlatform``: the operating-system family of a covered VM (Azure, GCP).

    Examples:
        >>> VmPlatform("WINDOWS") is VmPlatform.WINDOWS
        True
    """

    WINDOWS = "WINDOWS"
    LINUX = "LINUX"
    UNKNOWN = "UNKNOWN"


class MachineImagePlatform(ApiEnum):
    """API ``MachineImagePlatform``: the operating-system family of a covered AMI.

    Examples:
        >>> MachineImagePlatform("UNKNOWN").value
        'UNKNOWN'
    """

    WINDOWS = "WINDOWS"
    LINUX = "LINUX"
    UNKNOWN = "UNKNOWN"


class RuleSetCategory(ApiEnum):
    """API ``RuleSetCategory``: a kind of code-security scan.

    Static analysis (SAST), infrastructure as code (IAC), software composition (SCA).

    Examples:
        >>> [c.value for c in RuleSetCategory]
        ['SAST', 'IAC', 'SCA']
    """

    SAST = "SAST"
    IAC = "IAC"
    SCA = "SCA"


class ContinuousIntegrationScanEvent(ApiEnum):
    """API ``ContinuousIntegrationScanEvent``: the repository event that triggers a CI scan.

    Examples:
        >>> ContinuousIntegrationScanEvent("PULL_REQUEST").name
        'PULL_REQUEST'
    """

    PULL_REQUEST = "PULL_REQUEST"
    PUSH = "PUSH"


class GroupKey(ApiEnum):
    """API ``GroupKey``: what ``ListCoverageStatistics`` counts are grouped by.

    Examples:
        >>> GroupKey.RESOURCE_TYPE == "RESOURCE_TYPE"
        True
    """

    SCAN_STATUS_CODE = "SCAN_STATUS_CODE"
    SCAN_STATUS_REASON = "SCAN_STATUS_REASON"
    ACCOUNT_ID = "ACCOUNT_ID"
    RESOURCE_TYPE = "RESOURCE_TYPE"
    ECR_REPOSITORY_NAME = "ECR_REPOSITORY_NAME"
    PROVIDER = "PROVIDER"
    PROVIDER_ACCOUNT_ID = "PROVIDER_ACCOUNT_ID"
    PROVIDER_REGION = "PROVIDER_REGION"
    PROVIDER_ORG_ID = "PROVIDER_ORG_ID"


# ----------------------------------------------------------------------------- configuration


class EcrRescanDuration(ApiEnum):
    """API ``EcrRescanDuration``: how long after a push ECR images keep being rescanned.

    Examples:
        >>> EcrRescanDuration("DAYS_30").value
        'DAYS_30'
    """

    LIFETIME = "LIFETIME"
    DAYS_30 = "DAYS_30"
    DAYS_180 = "DAYS_180"
    DAYS_14 = "DAYS_14"
    DAYS_60 = "DAYS_60"
    DAYS_90 = "DAYS_90"
    DAYS_3 = "DAYS_3"
    DAYS_7 = "DAYS_7"


class EcrRescanDurationStatus(ApiEnum):
    """API ``EcrRescanDurationStatus``: whether a change to the ECR rescan duration applied.

    Examples:
        >>> EcrRescanDurationStatus.PENDING == "PENDING"
        True
    """

    SUCCESS = "SUCCESS"
    PENDING = "PENDING"
    FAILED = "FAILED"


class EcrPullDateRescanDuration(ApiEnum):
    """API ``EcrPullDateRescanDuration``: how long after the last pull images are rescanned.

    Examples:
        >>> EcrPullDateRescanDuration("DAYS_90").name
        'DAYS_90'
    """

    DAYS_14 = "DAYS_14"
    DAYS_30 = "DAYS_30"
    DAYS_60 = "DAYS_60"
    DAYS_90 = "DAYS_90"
    DAYS_180 = "DAYS_180"
    DAYS_3 = "DAYS_3"
    DAYS_7 = "DAYS_7"


class EcrPullDateRescanMode(ApiEnum):
    """API ``EcrPullDateRescanMode``: which date the pull-date rescan duration counts from.

    Examples:
        >>> EcrPullDateRescanMode("LAST_IN_USE_AT") is EcrPullDateRescanMode.LAST_IN_USE_AT
        True
    """

    LAST_PULL_DATE = "LAST_PULL_DATE"
    LAST_IN_USE_AT = "LAST_IN_USE_AT"


class Ec2ScanMode(ApiEnum):
    """API ``Ec2ScanMode``: the account's EC2 scan mode (``GetConfiguration``).

    ``EC2_HYBRID`` scans SSM-managed instances with the agent and the rest agentlessly;
    agentless alone cannot be chosen (docs/facts.md#ec2).

    Examples:
        >>> Ec2ScanMode("EC2_HYBRID") is Ec2ScanMode.EC2_HYBRID
        True
    """

    EC2_SSM_AGENT_BASED = "EC2_SSM_AGENT_BASED"
    EC2_HYBRID = "EC2_HYBRID"


class Ec2ScanModeStatus(ApiEnum):
    """API ``Ec2ScanModeStatus``: whether a change of EC2 scan mode has applied yet.

    Examples:
        >>> [s.value for s in Ec2ScanModeStatus]
        ['SUCCESS', 'PENDING']
    """

    SUCCESS = "SUCCESS"
    PENDING = "PENDING"


class VMScannerStatus(ApiEnum):
    """API ``VMScannerStatus``: the state of the account's VM scanner setting.

    Examples:
        >>> VMScannerStatus("FAILED").value
        'FAILED'
    """

    SUCCESS = "SUCCESS"
    PENDING = "PENDING"
    FAILED = "FAILED"


class AmiScanDuration(ApiEnum):
    """API ``AmiScanDuration``: a look-back window for AMI scanning.

    Examples:
        >>> AmiScanDuration("DAYS_90").name
        'DAYS_90'
    """

    DAYS_180 = "DAYS_180"
    DAYS_90 = "DAYS_90"
    DAYS_60 = "DAYS_60"
    DAYS_30 = "DAYS_30"
    DAYS_14 = "DAYS_14"
    DAYS_7 = "DAYS_7"


class AmiConfigurationStatus(ApiEnum):
    """API ``AmiConfigurationStatus``: the state of the account's AMI scanning setting.

    Examples:
        >>> AmiConfigurationStatus.SUCCESS == "SUCCESS"
        True
    """

    SUCCESS = "SUCCESS"
    PENDING = "PENDING"
    FAILED = "FAILED"


class AmiScanMode(ApiEnum):
    """API ``AmiScanMode``: scan every AMI, or only those matching tag filters.

    Examples:
        >>> AmiScanMode("TARGET_SCANNING") is AmiScanMode.TARGET_SCANNING
        True
    """

    SCAN_ALL = "SCAN_ALL"
    TARGET_SCANNING = "TARGET_SCANNING"


class Ec2DeepInspectionStatus(ApiEnum):
    """API ``Ec2DeepInspectionStatus``: whether deep inspection is active for EC2.

    Deep inspection reads Java, JavaScript and Python packages on Linux instances scanned
    with the agent (docs/facts.md#ec2).

    Examples:
        >>> Ec2DeepInspectionStatus("ACTIVATED").value
        'ACTIVATED'
    """

    ACTIVATED = "ACTIVATED"
    DEACTIVATED = "DEACTIVATED"
    PENDING = "PENDING"
    FAILED = "FAILED"


# ----------------------------------------------------------------------------- accounts


class Status(ApiEnum):
    """API ``Status``: the state of Inspector (or one scan type) in an account.

    Only ``ENABLED`` means "scanning"; ``ENABLING``, ``DISABLING``, ``SUSPENDING`` and
    ``SUSPENDED`` are not (see :meth:`AccountState.is_enabled
    <inspector_kit.models.AccountState.is_enabled>`).

    Examples:
        >>> Status("ENABLING") == Status.ENABLED
        False
    """

    ENABLING = "ENABLING"
    ENABLED = "ENABLED"
    DISABLING = "DISABLING"
    DISABLED = "DISABLED"
    SUSPENDING = "SUSPENDING"
    SUSPENDED = "SUSPENDED"


class ErrorCode(ApiEnum):
    """API ``ErrorCode``: why Inspector could not be enabled, disabled or read in an account.

    Examples:
        >>> ErrorCode("ACCESS_DENIED") is ErrorCode.ACCESS_DENIED
        True
    """

    ALREADY_ENABLED = "ALREADY_ENABLED"
    ENABLE_IN_PROGRESS = "ENABLE_IN_PROGRESS"
    DISABLE_IN_PROGRESS = "DISABLE_IN_PROGRESS"
    SUSPEND_IN_PROGRESS = "SUSPEND_IN_PROGRESS"
    RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND"
    ACCESS_DENIED = "ACCESS_DENIED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    SSM_UNAVAILABLE = "SSM_UNAVAILABLE"
    SSM_THROTTLED = "SSM_THROTTLED"
    EVENTBRIDGE_UNAVAILABLE = "EVENTBRIDGE_UNAVAILABLE"
    EVENTBRIDGE_THROTTLED = "EVENTBRIDGE_THROTTLED"
    RESOURCE_SCAN_NOT_DISABLED = "RESOURCE_SCAN_NOT_DISABLED"
    DISASSOCIATE_ALL_MEMBERS = "DISASSOCIATE_ALL_MEMBERS"
    ACCOUNT_IS_ISOLATED = "ACCOUNT_IS_ISOLATED"
    EC2_SSM_RESOURCE_DATA_SYNC_LIMIT_EXCEEDED = "EC2_SSM_RESOURCE_DATA_SYNC_LIMIT_EXCEEDED"
    EC2_SSM_ASSOCIATION_VERSION_LIMIT_EXCEEDED = "EC2_SSM_ASSOCIATION_VERSION_LIMIT_EXCEEDED"
    BLOCKED_BY_ORGANIZATION_POLICY = "BLOCKED_BY_ORGANIZATION_POLICY"


class RelationshipStatus(ApiEnum):
    """API ``RelationshipStatus``: a member account's link to the delegated administrator.

    Examples:
        >>> RelationshipStatus("ENABLED") is RelationshipStatus.ENABLED
        True
    """

    CREATED = "CREATED"
    INVITED = "INVITED"
    DISABLED = "DISABLED"
    ENABLED = "ENABLED"
    REMOVED = "REMOVED"
    RESIGNED = "RESIGNED"
    DELETED = "DELETED"
    EMAIL_VERIFICATION_IN_PROGRESS = "EMAIL_VERIFICATION_IN_PROGRESS"
    EMAIL_VERIFICATION_FAILED = "EMAIL_VERIFICATION_FAILED"
    REGION_DISABLED = "REGION_DISABLED"
    ACCOUNT_SUSPENDED = "ACCOUNT_SUSPENDED"
    CANNOT_CREATE_DETECTOR_IN_ORG_MASTER = "CANNOT_CREATE_DETECTOR_IN_ORG_MASTER"


class UsageType(ApiEnum):
    """API ``UsageType``: what a ``ListUsageTotals`` line measures (docs/facts.md#cost).

    Examples:
        >>> UsageType("EC2_AGENTLESS_INSTANCE_HOURS").name
        'EC2_AGENTLESS_INSTANCE_HOURS'
    """

    EC2_INSTANCE_HOURS = "EC2_INSTANCE_HOURS"
    ECR_INITIAL_SCAN = "ECR_INITIAL_SCAN"
    ECR_RESCAN = "ECR_RESCAN"
    LAMBDA_FUNCTION_HOURS = "LAMBDA_FUNCTION_HOURS"
    LAMBDA_FUNCTION_CODE_HOURS = "LAMBDA_FUNCTION_CODE_HOURS"
    CODE_REPOSITORY_SAST = "CODE_REPOSITORY_SAST"
    CODE_REPOSITORY_IAC = "CODE_REPOSITORY_IAC"
    CODE_REPOSITORY_SCA = "CODE_REPOSITORY_SCA"
    EC2_AGENTLESS_INSTANCE_HOURS = "EC2_AGENTLESS_INSTANCE_HOURS"
    AZURE_CONTAINER_IMAGE_INITIAL_SCAN = "AZURE_CONTAINER_IMAGE_INITIAL_SCAN"
    AZURE_CONTAINER_IMAGE_RESCAN = "AZURE_CONTAINER_IMAGE_RESCAN"
    AZURE_VM_AGENT_BASED_INSTANCE_HOURS = "AZURE_VM_AGENT_BASED_INSTANCE_HOURS"
    AZURE_SERVERLESS_FUNCTION_HOURS = "AZURE_SERVERLESS_FUNCTION_HOURS"
    EC2_AMI_HOURS = "EC2_AMI_HOURS"
    EC2_AMI_ONE_SHOT_SCAN = "EC2_AMI_ONE_SHOT_SCAN"
    GCP_VM_AGENT_BASED_INSTANCE_HOURS = "GCP_VM_AGENT_BASED_INSTANCE_HOURS"
    GCP_CLOUD_RUN_HOURS = "GCP_CLOUD_RUN_HOURS"
    GCP_CONTAINER_IMAGE_INITIAL_SCAN = "GCP_CONTAINER_IMAGE_INITIAL_SCAN"
    GCP_CONTAINER_IMAGE_RESCAN = "GCP_CONTAINER_IMAGE_RESCAN"


class Currency(ApiEnum):
    """API ``Currency`` of a usage cost estimate.

    Examples:
        >>> Currency.USD == "USD"
        True
    """

    USD = "USD"


class CloudProvider(ApiEnum):
    """API ``CloudProvider`` of a usage line (like ``Provider``, plus NOT_APPLICABLE).

    Examples:
        >>> CloudProvider("NOT_APPLICABLE").name
        'NOT_APPLICABLE'
    """

    AWS = "AWS"
    AZURE = "AZURE"
    GCP = "GCP"
    NOT_APPLICABLE = "NOT_APPLICABLE"


# ----------------------------------------------------------------------------- finding details


class FindingDetailsErrorCode(ApiEnum):
    """API ``FindingDetailsErrorCode``: why ``BatchGetFindingDetails`` skipped one finding.

    Examples:
        >>> FindingDetailsErrorCode("FINDING_DETAILS_NOT_FOUND").value
        'FINDING_DETAILS_NOT_FOUND'
    """

    INTERNAL_ERROR = "INTERNAL_ERROR"
    ACCESS_DENIED = "ACCESS_DENIED"
    FINDING_DETAILS_NOT_FOUND = "FINDING_DETAILS_NOT_FOUND"
    INVALID_INPUT = "INVALID_INPUT"


# ----------------------------------------------------------------------------- aggregations


class ScanSource(ApiEnum):
    """API ``ScanSource``: whether AMI findings come from instance scans or image scans.

    Examples:
        >>> ScanSource("MACHINE_IMAGE_SCAN") is ScanSource.MACHINE_IMAGE_SCAN
        True
    """

    INSTANCE_SCAN = "INSTANCE_SCAN"
    MACHINE_IMAGE_SCAN = "MACHINE_IMAGE_SCAN"


# ------------------------------------------------------------------ code security integrations


class IntegrationType(ApiEnum):
    """API ``IntegrationType``: the repository provider of a code security integration.

    Examples:
        >>> IntegrationType("GITHUB_ENTERPRISE_SERVER").value
        'GITHUB_ENTERPRISE_SERVER'
    """

    GITLAB_SELF_MANAGED = "GITLAB_SELF_MANAGED"
    GITHUB = "GITHUB"
    GITHUB_ENTERPRISE_SERVER = "GITHUB_ENTERPRISE_SERVER"


class IntegrationStatus(ApiEnum):
    """API ``IntegrationStatus``: where a code security integration is in its life cycle.

    Examples:
        >>> IntegrationStatus("ESTABLISHING_CONNECTION_FAILED").value
        'ESTABLISHING_CONNECTION_FAILED'
    """

    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DISABLING = "DISABLING"
    ESTABLISHING_CONNECTION_IN_PROGRESS = "ESTABLISHING_CONNECTION_IN_PROGRESS"
    ESTABLISHING_CONNECTION_COMPLETED = "ESTABLISHING_CONNECTION_COMPLETED"
    ESTABLISHING_CONNECTION_FAILED = "ESTABLISHING_CONNECTION_FAILED"
    PENDING_MANIFEST_CODE = "PENDING_MANIFEST_CODE"
    DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"
    DELETE_FAILED = "DELETE_FAILED"
