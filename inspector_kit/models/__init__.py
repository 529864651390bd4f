"""Typed, frozen models of Amazon Inspector data (pure: no I/O).

Every structure reachable from the botocore ``Finding`` shape has a class here, named as
the shape is named; every member has an attribute (the snake_case of its name). Build
them with ``Model.from_api(mapping)``; ``model.to_api()`` gives the API shape back
losslessly, including members this version does not know yet (kept in ``extra``).

Example:
    >>> from inspector_kit.models import PortRange
    >>> PortRange.from_api({"begin": 22, "end": 22}).to_api()
    {'begin': 22, 'end': 22}
"""

from ._codec import ApiModel, FrozenMap
from ._time import format_timestamp, parse_timestamp
from .enums import (
    ApiEnum,
    Architecture,
    CodeRepositoryProviderType,
    ExploitAvailable,
    FindingStatus,
    FindingType,
    FixAvailable,
    NetworkProtocol,
    PackageManager,
    PackageType,
    Provider,
    ResourceType,
    Runtime,
    Severity,
    severity_rank,
)
from .finding import (
    NO_FIX_VERSION,
    CodeFilePath,
    CodeVulnerabilityDetails,
    CvssChoice,
    CvssScore,
    CvssScoreAdjustment,
    CvssScoreDetails,
    EpssDetails,
    ExploitabilityDetails,
    Finding,
    InspectorScoreDetails,
    NetworkPath,
    NetworkReachabilityDetails,
    PackageVulnerabilityDetails,
    PortRange,
    Recommendation,
    Remediation,
    Step,
    VulnerablePackage,
)
from .resources import (
    AwsEc2InstanceDetails,
    AwsEcrContainerImageDetails,
    AwsLambdaFunctionDetails,
    CodeRepositoryDetails,
    Image,
    LambdaVpcConfig,
    MachineImageDetails,
    Resource,
    ResourceDetails,
    ServerlessFunction,
    Vm,
)

__all__ = [
    "NO_FIX_VERSION",
    "ApiEnum",
    "ApiModel",
    "Architecture",
    "AwsEc2InstanceDetails",
    "AwsEcrContainerImageDetails",
    "AwsLambdaFunctionDetails",
    "CodeFilePath",
    "CodeRepositoryDetails",
    "CodeRepositoryProviderType",
    "CodeVulnerabilityDetails",
    "CvssChoice",
    "CvssScore",
    "CvssScoreAdjustment",
    "CvssScoreDetails",
    "EpssDetails",
    "ExploitAvailable",
    "ExploitabilityDetails",
    "Finding",
    "FindingStatus",
    "FindingType",
    "FixAvailable",
    "FrozenMap",
    "Image",
    "InspectorScoreDetails",
    "LambdaVpcConfig",
    "MachineImageDetails",
    "NetworkPath",
    "NetworkProtocol",
    "NetworkReachabilityDetails",
    "PackageManager",
    "PackageType",
    "PackageVulnerabilityDetails",
    "PortRange",
    "Provider",
    "Recommendation",
    "Remediation",
    "Resource",
    "ResourceDetails",
    "ResourceType",
    "Runtime",
    "ServerlessFunction",
    "Severity",
    "Step",
    "Vm",
    "VulnerablePackage",
    "format_timestamp",
    "parse_timestamp",
    "severity_rank",
]
