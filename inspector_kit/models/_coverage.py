"""Coverage: which resources Inspector scans, how, and why not (``ListCoverage``).

``CoveredResource`` is one item of ``ListCoverage``'s ``coveredResources``; ``Counts`` one
item of ``ListCoverageStatistics``'s ``countsByGroup``. One class per botocore structure
(the class name is the shape name), one attribute per member (the snake_case of the
member name, documented with the member it reads).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from ._codec import (
    INTEGER,
    STRING,
    STRING_LIST,
    STRING_MAP,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    FrozenMap,
    ListCodec,
    ModelCodec,
    api_model,
    member,
)
from ._enums import (
    ContinuousIntegrationScanEvent,
    CoverageResourceType,
    Ec2Platform,
    EcrScanFrequency,
    GroupKey,
    MachineImagePlatform,
    Provider,
    RuleSetCategory,
    Runtime,
    ScanMode,
    ScanStatusCode,
    ScanStatusReason,
    ScanType,
    VmPlatform,
)
from ._regional import RegionalModel

__all__ = [
    "CodeRepositoryMetadata",
    "CodeRepositoryOnDemandScan",
    "ContainerImageMetadata",
    "ContainerRegistryMetadata",
    "ContainerRepositoryMetadata",
    "Counts",
    "CoveredResource",
    "Ec2Metadata",
    "EcrContainerImageMetadata",
    "EcrRepositoryMetadata",
    "LambdaFunctionMetadata",
    "MachineImageMetadata",
    "ProjectCodeSecurityScanConfiguration",
    "ProjectContinuousIntegrationScanConfiguration",
    "ProjectPeriodicScanConfiguration",
    "ResourceScanMetadata",
    "ScanStatus",
    "ServerlessFunctionMetadata",
    "VmInstanceMetadata",
]

_RULE_SET_CATEGORIES = ListCodec(EnumCodec(RuleSetCategory))


@api_model("ScanStatus")
@attrs.frozen(kw_only=True)
class ScanStatus(ApiModel):
    """API ``ScanStatus``: whether a resource is scanned, and why (not).

    Examples:
        >>> s = ScanStatus.from_api({"statusCode": "INACTIVE",
        ...     "reason": "UNMANAGED_EC2_INSTANCE"})
        >>> s.status_code == "INACTIVE", s.reason
        (True, <ScanStatusReason.UNMANAGED_EC2_INSTANCE: 'UNMANAGED_EC2_INSTANCE'>)
    """

    status_code: ScanStatusCode | str = member(
        "statusCode", EnumCodec(ScanStatusCode), required=True
    )
    """API ``statusCode`` (required): ACTIVE or INACTIVE; open enum."""
    reason: ScanStatusReason | str = member("reason", EnumCodec(ScanStatusReason), required=True)
    """API ``reason`` (required): why, e.g. ``SUCCESSFUL``, ``STALE_INVENTORY``; open enum."""


@api_model("EcrRepositoryMetadata")
@attrs.frozen(kw_only=True)
class EcrRepositoryMetadata(ApiModel):
    """API ``EcrRepositoryMetadata``: a covered ECR repository.

    Examples:
        >>> EcrRepositoryMetadata.from_api({"name": "payments/api",
        ...     "scanFrequency": "CONTINUOUS_SCAN"}).scan_frequency
        <EcrScanFrequency.CONTINUOUS_SCAN: 'CONTINUOUS_SCAN'>
    """

    name: str | None = member("name", STRING)
    """API ``name``: the repository name."""
    scan_frequency: EcrScanFrequency | str | None = member(
        "scanFrequency", EnumCodec(EcrScanFrequency)
    )
    """API ``scanFrequency``: MANUAL, SCAN_ON_PUSH or CONTINUOUS_SCAN; open enum."""


@api_model("EcrContainerImageMetadata")
@attrs.frozen(kw_only=True)
class EcrContainerImageMetadata(ApiModel):
    """API ``EcrContainerImageMetadata``: a covered ECR image.

    Examples:
        >>> m = EcrContainerImageMetadata.from_api({"tags": ["v2.14.0", "latest"],
        ...     "imagePulledAt": "2026-11-02T09:15:00Z", "inUseCount": 3})
        >>> m.tags, m.image_pulled_at.isoformat(), m.in_use_count
        (('v2.14.0', 'latest'), '2026-11-02T09:15:00+00:00', 3)
    """

    tags: tuple[str, ...] | None = member("tags", STRING_LIST)
    """API ``tags``: the image tags."""
    image_pulled_at: datetime | None = member("imagePulledAt", TIMESTAMP)
    """API ``imagePulledAt``: when the image was last pulled (aware UTC)."""
    last_in_use_at: datetime | None = member("lastInUseAt", TIMESTAMP)
    """API ``lastInUseAt``: when an ECS task or EKS pod last ran the image (aware UTC)."""
    in_use_count: int | None = member("inUseCount", INTEGER)
    """API ``inUseCount``: how many ECS tasks or EKS pods run the image."""


@api_model("Ec2Metadata")
@attrs.frozen(kw_only=True)
class Ec2Metadata(ApiModel):
    """API ``Ec2Metadata``: a covered EC2 instance.

    Examples:
        >>> m = Ec2Metadata.from_api({"amiId": "ami-0abcdef1234567890", "platform": "LINUX",
        ...     "tags": {"InspectorEc2Exclusion": "true"}})
        >>> m.platform, "InspectorEc2Exclusion" in m.tags
        (<Ec2Platform.LINUX: 'LINUX'>, True)
    """

    tags: FrozenMap | None = member("tags", STRING_MAP)
    """API ``tags``: the instance tags, an immutable mapping."""
    ami_id: str | None = member("amiId", STRING)
    """API ``amiId``: the AMI the instance was launched from."""
    platform: Ec2Platform | str | None = member("platform", EnumCodec(Ec2Platform))
    """API ``platform``: WINDOWS, LINUX, MACOS or UNKNOWN; open enum."""


@api_model("LambdaFunctionMetadata")
@attrs.frozen(kw_only=True)
class LambdaFunctionMetadata(ApiModel):
    """API ``LambdaFunctionMetadata``: a covered Lambda function.

    Examples:
        >>> LambdaFunctionMetadata.from_api({"functionName": "resize-images",
        ...     "runtime": "PYTHON_3_12"}).runtime
        <Runtime.PYTHON_3_12: 'PYTHON_3_12'>
    """

    function_tags: FrozenMap | None = member("functionTags", STRING_MAP)
    """API ``functionTags``: the function's tags, an immutable mapping."""
    layers: tuple[str, ...] | None = member("layers", STRING_LIST)
    """API ``layers``: layer ARNs."""
    function_name: str | None = member("functionName", STRING)
    """API ``functionName``."""
    runtime: Runtime | str | None = member("runtime", EnumCodec(Runtime))
    """API ``runtime``, e.g. ``Runtime.PYTHON_3_12``; open enum."""


@api_model("ProjectPeriodicScanConfiguration")
@attrs.frozen(kw_only=True)
class ProjectPeriodicScanConfiguration(ApiModel):
    """API ``ProjectPeriodicScanConfiguration``: a scheduled code-security scan.

    Examples:
        >>> ProjectPeriodicScanConfiguration.from_api({"frequencyExpression": "WEEKLY",
        ...     "ruleSetCategories": ["SAST", "SCA"]}).rule_set_categories
        (<RuleSetCategory.SAST: 'SAST'>, <RuleSetCategory.SCA: 'SCA'>)
    """

    frequency_expression: str | None = member("frequencyExpression", STRING)
    """API ``frequencyExpression``: how often the scan runs."""
    rule_set_categories: tuple[RuleSetCategory | str, ...] | None = member(
        "ruleSetCategories", _RULE_SET_CATEGORIES
    )
    """API ``ruleSetCategories``: SAST, IAC, SCA; open enum."""


@api_model("ProjectContinuousIntegrationScanConfiguration")
@attrs.frozen(kw_only=True)
class ProjectContinuousIntegrationScanConfiguration(ApiModel):
    """API ``ProjectContinuousIntegrationScanConfiguration``: a scan run on repository events.

    Examples:
        >>> ProjectContinuousIntegrationScanConfiguration.from_api({
        ...     "supportedEvent": "PULL_REQUEST", "ruleSetCategories": ["SAST"]}).supported_event
        <ContinuousIntegrationScanEvent.PULL_REQUEST: 'PULL_REQUEST'>
    """

    supported_event: ContinuousIntegrationScanEvent | str | None = member(
        "supportedEvent", EnumCodec(ContinuousIntegrationScanEvent)
    )
    """API ``supportedEvent``: PULL_REQUEST or PUSH; open enum."""
    rule_set_categories: tuple[RuleSetCategory | str, ...] | None = member(
        "ruleSetCategories", _RULE_SET_CATEGORIES
    )
    """API ``ruleSetCategories``: SAST, IAC, SCA; open enum."""


@api_model("ProjectCodeSecurityScanConfiguration")
@attrs.frozen(kw_only=True)
class ProjectCodeSecurityScanConfiguration(ApiModel):
    """API ``ProjectCodeSecurityScanConfiguration``: how a code repository is scanned.

    Examples:
        >>> c = ProjectCodeSecurityScanConfiguration.from_api({"periodicScanConfigurations": [
        ...     {"frequencyExpression": "WEEKLY", "ruleSetCategories": ["SCA"]}]})
        >>> c.periodic_scan_configurations[0].frequency_expression
        'WEEKLY'
    """

    periodic_scan_configurations: tuple[ProjectPeriodicScanConfiguration, ...] | None = member(
        "periodicScanConfigurations", ListCodec(ModelCodec(ProjectPeriodicScanConfiguration))
    )
    """API ``periodicScanConfigurations``."""
    continuous_integration_scan_configurations: (
        tuple[ProjectContinuousIntegrationScanConfiguration, ...] | None
    ) = member(
        "continuousIntegrationScanConfigurations",
        ListCodec(ModelCodec(ProjectContinuousIntegrationScanConfiguration)),
    )
    """API ``continuousIntegrationScanConfigurations``."""


@api_model("CodeRepositoryOnDemandScan")
@attrs.frozen(kw_only=True)
class CodeRepositoryOnDemandScan(ApiModel):
    """API ``CodeRepositoryOnDemandScan``: the last on-demand scan of a code repository.

    Examples:
        >>> s = CodeRepositoryOnDemandScan.from_api({"lastScanAt": "2026-11-03T12:00:00Z",
        ...     "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"}})
        >>> s.scan_status.reason
        <ScanStatusReason.SUCCESSFUL: 'SUCCESSFUL'>
    """

    last_scanned_commit_id: str | None = member("lastScannedCommitId", STRING)
    """API ``lastScannedCommitId``: the 40-hex-digit commit scanned last."""
    last_scan_at: datetime | None = member("lastScanAt", TIMESTAMP)
    """API ``lastScanAt`` (aware UTC)."""
    scan_status: ScanStatus | None = member("scanStatus", ModelCodec(ScanStatus))
    """API ``scanStatus``."""


@api_model("CodeRepositoryMetadata")
@attrs.frozen(kw_only=True)
class CodeRepositoryMetadata(ApiModel):
    """API ``CodeRepositoryMetadata``: a covered source repository (Inspector code security).

    Examples:
        >>> m = CodeRepositoryMetadata.from_api({"projectName": "payments-api",
        ...     "providerType": "GITHUB", "providerTypeVisibility": "PRIVATE"})
        >>> m.project_name, m.provider_type
        ('payments-api', 'GITHUB')
    """

    project_name: str = member("projectName", STRING, required=True)
    """API ``projectName`` (required)."""
    integration_arn: str | None = member("integrationArn", STRING)
    """API ``integrationArn``: the code-security integration that scans it."""
    provider_type: str = member("providerType", STRING, required=True)
    """API ``providerType`` (required): the hosting provider, free text here (``GITHUB``)."""
    provider_type_visibility: str = member("providerTypeVisibility", STRING, required=True)
    """API ``providerTypeVisibility`` (required): e.g. public or private."""
    last_scanned_commit_id: str | None = member("lastScannedCommitId", STRING)
    """API ``lastScannedCommitId``."""
    scan_configuration: ProjectCodeSecurityScanConfiguration | None = member(
        "scanConfiguration", ModelCodec(ProjectCodeSecurityScanConfiguration)
    )
    """API ``scanConfiguration``."""
    on_demand_scan: CodeRepositoryOnDemandScan | None = member(
        "onDemandScan", ModelCodec(CodeRepositoryOnDemandScan)
    )
    """API ``onDemandScan``."""


@api_model("VmInstanceMetadata")
@attrs.frozen(kw_only=True)
class VmInstanceMetadata(ApiModel):
    """API ``VmInstanceMetadata``: a covered virtual machine in another cloud (Azure, GCP).

    Examples:
        >>> VmInstanceMetadata.from_api({"platform": "LINUX",
        ...     "vmImageReference": "Canonical:ubuntu-24_04-lts:server:latest"}).platform
        <VmPlatform.LINUX: 'LINUX'>
    """

    tags: FrozenMap | None = member("tags", STRING_MAP)
    """API ``tags``: an immutable mapping."""
    platform: VmPlatform | str | None = member("platform", EnumCodec(VmPlatform))
    """API ``platform``: WINDOWS, LINUX or UNKNOWN; open enum."""
    inventory_hash: str | None = member("inventoryHash", STRING)
    """API ``inventoryHash``: identifies the package inventory last collected."""
    vm_image_reference: str | None = member("vmImageReference", STRING)
    """API ``vmImageReference``: the image the VM was created from."""


@api_model("ContainerImageMetadata")
@attrs.frozen(kw_only=True)
class ContainerImageMetadata(ApiModel):
    """API ``ContainerImageMetadata``: a covered container image in another cloud's registry.

    Examples:
        >>> ContainerImageMetadata.from_api({"imageTags": ["1.4.2"], "inUseCount": 0}).image_tags
        ('1.4.2',)
    """

    image_tags: tuple[str, ...] | None = member("imageTags", STRING_LIST)
    """API ``imageTags``."""
    image_pulled_at: datetime | None = member("imagePulledAt", TIMESTAMP)
    """API ``imagePulledAt`` (aware UTC)."""
    last_in_use_at: datetime | None = member("lastInUseAt", TIMESTAMP)
    """API ``lastInUseAt`` (aware UTC)."""
    in_use_count: int | None = member("inUseCount", INTEGER)
    """API ``inUseCount``."""


@api_model("ContainerRepositoryMetadata")
@attrs.frozen(kw_only=True)
class ContainerRepositoryMetadata(ApiModel):
    """API ``ContainerRepositoryMetadata``: a covered container repository in another cloud.

    Examples:
        >>> ContainerRepositoryMetadata.from_api({"name": "web", "scanFrequency": "SCAN_ON_PUSH"})
        ContainerRepositoryMetadata(name='web', scan_frequency='SCAN_ON_PUSH')
    """

    name: str | None = member("name", STRING)
    """API ``name``."""
    scan_frequency: str | None = member("scanFrequency", STRING)
    """API ``scanFrequency`` (free text here, unlike ECR's enum)."""


@api_model("ContainerRegistryMetadata")
@attrs.frozen(kw_only=True)
class ContainerRegistryMetadata(ApiModel):
    """API ``ContainerRegistryMetadata``: a covered container registry in another cloud.

    Examples:
        >>> ContainerRegistryMetadata.from_api({"name": "contosoacr"}).name
        'contosoacr'
    """

    name: str | None = member("name", STRING)
    """API ``name``."""


@api_model("ServerlessFunctionMetadata")
@attrs.frozen(kw_only=True)
class ServerlessFunctionMetadata(ApiModel):
    """API ``ServerlessFunctionMetadata``: a covered function in another cloud (Azure, GCP).

    Examples:
        >>> ServerlessFunctionMetadata.from_api({"serverlessFunctionName": "thumbnailer",
        ...     "runtime": "python|3.12"}).runtime
        'python|3.12'
    """

    serverless_function_name: str | None = member("serverlessFunctionName", STRING)
    """API ``serverlessFunctionName``."""
    runtime: str | None = member("runtime", STRING)
    """API ``runtime`` (free text here, unlike the Lambda enum)."""
    function_tags: FrozenMap | None = member("functionTags", STRING_MAP)
    """API ``functionTags``: an immutable mapping."""


@api_model("MachineImageMetadata")
@attrs.frozen(kw_only=True)
class MachineImageMetadata(ApiModel):
    """API ``MachineImageMetadata``: a covered Amazon Machine Image (AMI).

    Examples:
        >>> MachineImageMetadata.from_api({"platform": "WINDOWS"}).platform
        <MachineImagePlatform.WINDOWS: 'WINDOWS'>
    """

    tags: FrozenMap | None = member("tags", STRING_MAP)
    """API ``tags``: an immutable mapping."""
    platform: MachineImagePlatform | str | None = member(
        "platform", EnumCodec(MachineImagePlatform)
    )
    """API ``platform``: WINDOWS, LINUX or UNKNOWN; open enum."""


@api_model("ResourceScanMetadata")
@attrs.frozen(kw_only=True)
class ResourceScanMetadata(ApiModel):
    """API ``ResourceScanMetadata``: one member is set, by resource type.

    Metadata kinds AWS adds later land in ``extra`` and survive ``to_api()``.

    Examples:
        >>> m = ResourceScanMetadata.from_api({"ec2": {"platform": "LINUX"}})
        >>> m.ec2.platform, m.ecr_image
        (<Ec2Platform.LINUX: 'LINUX'>, None)
    """

    ecr_repository: EcrRepositoryMetadata | None = member(
        "ecrRepository", ModelCodec(EcrRepositoryMetadata)
    )
    """API ``ecrRepository``."""
    ecr_image: EcrContainerImageMetadata | None = member(
        "ecrImage", ModelCodec(EcrContainerImageMetadata)
    )
    """API ``ecrImage``."""
    ec2: Ec2Metadata | None = member("ec2", ModelCodec(Ec2Metadata))
    """API ``ec2``."""
    lambda_function: LambdaFunctionMetadata | None = member(
        "lambdaFunction", ModelCodec(LambdaFunctionMetadata)
    )
    """API ``lambdaFunction``."""
    code_repository: CodeRepositoryMetadata | None = member(
        "codeRepository", ModelCodec(CodeRepositoryMetadata)
    )
    """API ``codeRepository``."""
    vm_instance: VmInstanceMetadata | None = member("vmInstance", ModelCodec(VmInstanceMetadata))
    """API ``vmInstance`` (Azure/GCP virtual machines)."""
    container_image: ContainerImageMetadata | None = member(
        "containerImage", ModelCodec(ContainerImageMetadata)
    )
    """API ``containerImage`` (Azure/GCP container images)."""
    container_repository: ContainerRepositoryMetadata | None = member(
        "containerRepository", ModelCodec(ContainerRepositoryMetadata)
    )
    """API ``containerRepository`` (Azure/GCP repositories)."""
    container_registry: ContainerRegistryMetadata | None = member(
        "containerRegistry", ModelCodec(ContainerRegistryMetadata)
    )
    """API ``containerRegistry`` (Azure registries)."""
    serverless_function: ServerlessFunctionMetadata | None = member(
        "serverlessFunction", ModelCodec(ServerlessFunctionMetadata)
    )
    """API ``serverlessFunction`` (Azure/GCP functions)."""
    machine_image: MachineImageMetadata | None = member(
        "machineImage", ModelCodec(MachineImageMetadata)
    )
    """API ``machineImage``."""


@api_model("CoveredResource")
@attrs.frozen(kw_only=True)
class CoveredResource(RegionalModel):
    """API ``CoveredResource``: one resource Inspector covers, and how its scans are going.

    One item of ``ListCoverage``'s ``coveredResources``. ``region`` is set by the fetcher
    (see [`RegionalModel`][inspector_kit.models.RegionalModel]).

    Examples:
        >>> r = CoveredResource.from_api({
        ...     "resourceType": "AWS_EC2_INSTANCE", "resourceId": "i-0abcdef1234567890",
        ...     "accountId": "111122223333", "scanType": "PACKAGE",
        ...     "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        ...     "resourceMetadata": {"ec2": {"amiId": "ami-0abcdef1234567890",
        ...                                  "platform": "LINUX"}},
        ...     "lastScannedAt": "2026-11-20T07:45:12Z", "scanMode": "EC2_AGENTLESS"},
        ...     region="ap-northeast-1")
        >>> r.scan_mode, r.region
        (<ScanMode.EC2_AGENTLESS: 'EC2_AGENTLESS'>, 'ap-northeast-1')
        >>> r.scan_status.reason
        <ScanStatusReason.SUCCESSFUL: 'SUCCESSFUL'>
        >>> "region" in r.to_api()
        False
    """

    # Kept by from_api_lenient only with these (they identify the record).
    __api_essential__: ClassVar[frozenset[str]] = frozenset(
        {"resourceType", "resourceId", "accountId", "scanType"}
    )

    resource_type: CoverageResourceType | str = member(
        "resourceType", EnumCodec(CoverageResourceType), required=True
    )
    """API ``resourceType`` (required); open enum."""
    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required): instance id, image or repository ARN, function ARN, ..."""
    account_id: str = member("accountId", STRING, required=True)
    """API ``accountId`` (required)."""
    scan_type: ScanType | str = member("scanType", EnumCodec(ScanType), required=True)
    """API ``scanType`` (required): NETWORK, PACKAGE or CODE; open enum."""
    scan_status: ScanStatus | None = member("scanStatus", ModelCodec(ScanStatus))
    """API ``scanStatus``."""
    resource_metadata: ResourceScanMetadata | None = member(
        "resourceMetadata", ModelCodec(ResourceScanMetadata)
    )
    """API ``resourceMetadata``."""
    last_scanned_at: datetime | None = member("lastScannedAt", TIMESTAMP)
    """API ``lastScannedAt`` (aware UTC)."""
    scan_mode: ScanMode | str | None = member("scanMode", EnumCodec(ScanMode))
    """API ``scanMode``: how an EC2 instance (or VM) is scanned, e.g. ``EC2_AGENTLESS``."""
    provider: Provider | str | None = member("provider", EnumCodec(Provider))
    """API ``provider``: AWS, AZURE or GCP; open enum."""
    provider_account_id: str | None = member("providerAccountId", STRING)
    """API ``providerAccountId``: the account, subscription or project in that cloud."""
    provider_org_id: str | None = member("providerOrgId", STRING)
    """API ``providerOrgId``."""
    provider_region: str | None = member("providerRegion", STRING)
    """API ``providerRegion``: the resource's region in its own cloud."""
    provider_partition: str | None = member("providerPartition", STRING)
    """API ``providerPartition``."""

    @property
    def cloud(self) -> str:
        """The cloud the resource lives in: ``"AWS"``, ``"AZURE"``, ``"GCP"`` (or a newer name).

        ``provider`` when set; else read from the resource type (``Microsoft.*`` is Azure,
        ``*.googleapis.com/*`` is GCP), else ``"AWS"`` (records from before multi-cloud
        scanning have no ``provider``).

        Examples:
            >>> CoveredResource.from_api({"resourceType": "compute.googleapis.com/Instance",
            ...     "resourceId": "projects/shop-prod/zones/us-central1-a/instances/web-1",
            ...     "accountId": "111122223333", "scanType": "PACKAGE"}).cloud
            'GCP'
        """
        if self.provider is not None:
            return str(self.provider)
        return _cloud_of_type(str(self.resource_type)) or "AWS"

    @property
    def is_other_cloud(self) -> bool:
        """Whether the resource lives in Azure or GCP, not AWS (see ``cloud``).

        Such a record is never an EC2 instance, whatever else it says: the coverage analysis
        lists it in ``CoverageReport.other_cloud``.

        Examples:
            >>> CoveredResource.from_api({"resourceType": "Microsoft.Compute/virtualMachines",
            ...     "resourceId": "/subscriptions/x/resourcegroups/rg/providers/"
            ...     "microsoft.compute/virtualmachines/web-01", "accountId": "111122223333",
            ...     "scanType": "PACKAGE", "provider": "AZURE"}).is_other_cloud
            True
        """
        return self.cloud != "AWS"

    @property
    def resource_region(self) -> str | None:
        """The region the resource lives in, in its own cloud.

        For Azure and GCP resources ``providerRegion`` (``eastus``, ``us-central1``,
        ``us-central1-a``), else ``region`` (the AWS region the record was read from), as
        ``Finding.region`` does for findings. ``region`` itself stays the AWS region of the
        Inspector account that reported the record.

        Examples:
            >>> r = CoveredResource.from_api({"resourceType": "Microsoft.Web/sites",
            ...     "resourceId": "/subscriptions/x/resourcegroups/rg/providers/"
            ...     "microsoft.web/sites/thumbnailer", "accountId": "111122223333",
            ...     "scanType": "PACKAGE", "provider": "AZURE", "providerRegion": "eastus"},
            ...     region="us-east-1")
            >>> r.resource_region, r.region
            ('eastus', 'us-east-1')
        """
        if self.is_other_cloud and self.provider_region:
            return self.provider_region
        return self.region if self.region is not None else self.provider_region

    @property
    def resource_account_id(self) -> str:
        """The account the resource lives in, in its own cloud.

        For Azure and GCP resources ``providerAccountId`` (an Azure subscription id, a GCP
        project id), else ``accountId``, which stays the AWS account of the Inspector
        account that reported the record.

        Examples:
            >>> CoveredResource.from_api({"resourceType": "compute.googleapis.com/Instance",
            ...     "resourceId": "projects/shop-prod/zones/us-central1-a/instances/web-1",
            ...     "accountId": "111122223333", "scanType": "PACKAGE", "provider": "GCP",
            ...     "providerAccountId": "shop-prod"}).resource_account_id
            'shop-prod'
        """
        if self.is_other_cloud and self.provider_account_id:
            return self.provider_account_id
        return self.account_id

    @property
    def short_name(self) -> str:
        """A short label for people, from the metadata and the resource id.

        A function's or repository's name from its metadata; an image as ``repository:tag``
        (the repository read from the id, the first tag from the metadata); anything else
        (an EC2 instance id, an Azure or GCP VM) the last ``/``-separated part of its id.

        Examples:
            >>> CoveredResource.from_api({"resourceType": "Microsoft.Compute/virtualMachines",
            ...     "resourceId": "/subscriptions/x/resourcegroups/rg/providers/"
            ...     "microsoft.compute/virtualmachines/web-01", "accountId": "111122223333",
            ...     "scanType": "PACKAGE"}).short_name
            'web-01'
            >>> CoveredResource.from_api({"resourceType": "AWS_LAMBDA_FUNCTION",
            ...     "resourceId": "arn:aws:lambda:us-east-1:111122223333:function:resize",
            ...     "accountId": "111122223333", "scanType": "PACKAGE",
            ...     "resourceMetadata": {"lambdaFunction": {"functionName": "resize"}}}).short_name
            'resize'
        """
        meta = self.resource_metadata
        rid = self.resource_id
        repository = _image_repository(rid)
        if repository is not None:
            tags = None
            if meta is not None:
                tags = (meta.ecr_image.tags if meta.ecr_image else None) or (
                    meta.container_image.image_tags if meta.container_image else None
                )
            if tags:
                return f"{repository}:{tags[0]}"
            return f"{repository}@{rid.rsplit('/', 1)[-1][:19]}"
        if meta is not None:
            named = (
                meta.lambda_function.function_name if meta.lambda_function else None,
                meta.serverless_function.serverless_function_name
                if meta.serverless_function
                else None,
                meta.ecr_repository.name if meta.ecr_repository else None,
                meta.container_repository.name if meta.container_repository else None,
                meta.container_registry.name if meta.container_registry else None,
                meta.code_repository.project_name if meta.code_repository else None,
            )
            name = next((n for n in named if n), None)
            if name:
                return name
        return rid.rstrip("/").rsplit("/", 1)[-1] or rid


def _cloud_of_type(resource_type: str) -> str | None:
    """The cloud a coverage resource type belongs to, from its spelling (``None``: AWS's own).

    The model's ``CoverageResourceType`` values: ``Microsoft.*`` for Azure,
    ``<service>.googleapis.com/<Kind>`` for GCP (docs/facts.md#multicloud).
    """
    if resource_type.lower().startswith("microsoft."):
        return "AZURE"
    if ".googleapis.com/" in resource_type:
        return "GCP"
    return None


def _image_repository(resource_id: str) -> str | None:
    """The repository of an image's resource id, or ``None`` for any other id.

    ECR: ``arn:...:repository/<name>/sha256:<hex>``; Azure:
    ``.../registries/<registry>/repositories/<name>/images/sha256:<hex>`` (the pattern of the
    model's ``ResourceId``). GCP image ids follow no published pattern: ``None``.
    """
    if "/sha256:" not in resource_id:
        return None
    head = resource_id.rsplit("/sha256:", 1)[0]
    if "/repositories/" in head:
        name = head.split("/repositories/", 1)[1]
        for tail in ("/images", "/image"):
            if name.endswith(tail):
                return name[: -len(tail)] or None
        return name or None
    if ":repository/" in head:
        return head.split(":repository/", 1)[1] or None
    return None


@api_model("Counts")
@attrs.frozen(kw_only=True)
class Counts(RegionalModel):
    """API ``Counts``: how many covered resources fall in one group.

    One item of ``ListCoverageStatistics``' ``countsByGroup`` (the request's ``groupBy``
    names the grouping); ``region`` is set by the fetcher. The model types ``groupKey``
    as a [`GroupKey`][inspector_kit.models.GroupKey] ("the key associated with this group"); whether
    AWS sends the grouping or the value grouped on (a resource type, an account id) is
    **UNCONFIRMED**, and the open enum keeps any other value as a plain string.

    Examples:
        >>> c = Counts.from_api({"count": 42, "groupKey": "SCAN_STATUS_REASON"},
        ...     region="us-east-1")
        >>> c.count, c.group_key, c.region
        (42, <GroupKey.SCAN_STATUS_REASON: 'SCAN_STATUS_REASON'>, 'us-east-1')
        >>> Counts.from_api({"count": 7, "groupKey": "AWS_LAMBDA_FUNCTION"}).group_key
        'AWS_LAMBDA_FUNCTION'
    """

    count: int | None = member("count", INTEGER)
    """API ``count``."""
    group_key: GroupKey | str | None = member("groupKey", EnumCodec(GroupKey))
    """API ``groupKey``: the group's key (see above); open enum."""
