"""Open enums for every enumerated member of the Inspector ``Finding`` shape.

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
    "ApiEnum",
    "Architecture",
    "CodeRepositoryProviderType",
    "ExploitAvailable",
    "FindingStatus",
    "FindingType",
    "FixAvailable",
    "NetworkProtocol",
    "PackageManager",
    "PackageType",
    "Provider",
    "ResourceType",
    "Runtime",
    "Severity",
    "severity_rank",
]


class ApiEnum(str, Enum):
    """Base of the API enums: a ``str`` whose ``str()`` and ``format()`` give the value.

    Example:
        >>> f"{Severity.HIGH}", str(Severity.HIGH), Severity.HIGH == "HIGH"
        ('HIGH', 'HIGH', True)
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)


class FindingType(ApiEnum):
    """API ``FindingType``: what kind of problem a finding describes.

    Example:
        >>> FindingType("CODE_VULNERABILITY") is FindingType.CODE_VULNERABILITY
        True
    """

    NETWORK_REACHABILITY = "NETWORK_REACHABILITY"
    PACKAGE_VULNERABILITY = "PACKAGE_VULNERABILITY"
    CODE_VULNERABILITY = "CODE_VULNERABILITY"


class Severity(ApiEnum):
    """API ``Severity``. Compare severities with :attr:`rank`, not ``<`` (that is string order).

    Package-finding bands: 0 INFORMATIONAL, 0.1-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH,
    9.0-10.0 CRITICAL; UNTRIAGED means the vendor has not scored it yet
    (https://docs.aws.amazon.com/inspector/latest/user/findings-understanding-severity.html).

    Example:
        >>> sorted(["LOW", "CRITICAL", "MEDIUM"], key=severity_rank, reverse=True)
        ['CRITICAL', 'MEDIUM', 'LOW']
        >>> Severity.HIGH.rank > Severity.MEDIUM.rank
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
        """0 for UNTRIAGED, then 1 (INFORMATIONAL) up to 5 (CRITICAL)."""
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

    Example:
        >>> severity_rank("CRITICAL"), severity_rank(Severity.LOW), severity_rank("NEW")
        (5, 2, -1)
    """
    return _SEVERITY_RANK.get(str(severity), -1)


class FindingStatus(ApiEnum):
    """API ``FindingStatus``: ACTIVE, SUPPRESSED (by a suppression rule) or CLOSED (remediated).

    Example:
        >>> [s.value for s in FindingStatus]
        ['ACTIVE', 'SUPPRESSED', 'CLOSED']
    """

    ACTIVE = "ACTIVE"
    SUPPRESSED = "SUPPRESSED"
    CLOSED = "CLOSED"


class ResourceType(ApiEnum):
    """API ``ResourceType``, including the multi-cloud (Azure, GCP) resource types.

    Member names are ours where the API value is not an identifier.

    Example:
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
    """API ``Provider``: the cloud a resource lives in."""

    AWS = "AWS"
    AZURE = "AZURE"
    GCP = "GCP"


class Runtime(ApiEnum):
    """API ``Runtime``: the Lambda runtime, in Inspector's spelling (``PYTHON_3_12``)."""

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
    """API ``PackageType``: how a function's code is packaged."""

    IMAGE = "IMAGE"
    ZIP = "ZIP"


class Architecture(ApiEnum):
    """API ``Architecture`` (Lambda functions, machine images, serverless functions)."""

    X86_64 = "X86_64"
    ARM64 = "ARM64"


class CodeRepositoryProviderType(ApiEnum):
    """API ``CodeRepositoryProviderType``: where a scanned code repository is hosted."""

    GITHUB = "GITHUB"
    GITLAB_SELF_MANAGED = "GITLAB_SELF_MANAGED"


class NetworkProtocol(ApiEnum):
    """API ``NetworkProtocol`` of an open network path."""

    TCP = "TCP"
    UDP = "UDP"


class PackageManager(ApiEnum):
    """API ``PackageManager``: which package ecosystem a vulnerable package belongs to.

    Real exports also carry values outside the model (``GENERIC``, ``JAVA``, ``PYTHON``,
    ``GO``); those stay plain strings.

    Example:
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

    Example:
        >>> FixAvailable.PARTIAL.value
        'PARTIAL'
    """

    YES = "YES"
    NO = "NO"
    PARTIAL = "PARTIAL"


class ExploitAvailable(ApiEnum):
    """API ``ExploitAvailable``: whether a public exploit is known."""

    YES = "YES"
    NO = "NO"
