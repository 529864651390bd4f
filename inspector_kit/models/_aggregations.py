"""Finding counts grouped by account, resource, package, ...: ``ListFindingAggregations``.

``AggregationResponse`` is one item of the response's ``responses``: a union with one
member set, by aggregation type. One class per botocore structure (the class name is
the shape name), one attribute per member (the snake_case of the member name,
documented with the member it reads).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from inspector_kit._records import RecordsMixin

from ._codec import (
    INTEGER,
    STRING,
    STRING_LIST,
    STRING_MAP,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    FrozenMap,
    ModelCodec,
    api_model,
    member,
)
from ._enums import Provider, ScanSource
from ._regional import RegionalModel

if TYPE_CHECKING:
    from inspector_kit._records import RecordValue

__all__ = [
    "SEVERITY_COUNT_COLUMNS",
    "AccountAggregationResponse",
    "AggregationResponse",
    "AmiAggregationResponse",
    "AwsEcrContainerAggregationResponse",
    "CodeRepositoryAggregationResponse",
    "ContainerImageAggregationResponse",
    "Ec2InstanceAggregationResponse",
    "FindingTypeAggregationResponse",
    "ImageLayerAggregationResponse",
    "LambdaFunctionAggregationResponse",
    "LambdaLayerAggregationResponse",
    "PackageAggregationResponse",
    "RepositoryAggregationResponse",
    "ServerlessFunctionAggregationResponse",
    "SeverityCounts",
    "TitleAggregationResponse",
    "VmInstanceAggregationResponse",
]


@api_model("SeverityCounts")
@attrs.frozen(kw_only=True)
class SeverityCounts(RecordsMixin, ApiModel):
    """API ``SeverityCounts``: how many findings of each severity.

    Examples:
        >>> c = SeverityCounts.from_api({"all": 17, "critical": 2, "high": 5, "medium": 10})
        >>> c.all, c.critical, c.low
        (17, 2, None)
    """

    all: int | None = member("all", INTEGER)
    """API ``all``: every severity together."""
    medium: int | None = member("medium", INTEGER)
    """API ``medium``."""
    high: int | None = member("high", INTEGER)
    """API ``high``."""
    critical: int | None = member("critical", INTEGER)
    """API ``critical``."""
    low: int | None = member("low", INTEGER)
    """API ``low``."""
    informational: int | None = member("informational", INTEGER)
    """API ``informational``."""
    untriaged: int | None = member("untriaged", INTEGER)
    """API ``untriaged``."""

    @property
    def columns(self) -> tuple[str, ...]:
        """``SEVERITY_COUNT_COLUMNS``: one column per severity, most severe first."""
        return SEVERITY_COUNT_COLUMNS

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row: the count per severity (``None`` where the API gave none).

        Examples:
            >>> SeverityCounts.from_api({"all": 3, "high": 3}).to_records()[0]["high"]
            3
        """
        return [{name: getattr(self, name) for name in SEVERITY_COUNT_COLUMNS}]


SEVERITY_COUNT_COLUMNS: tuple[str, ...] = (
    "critical",
    "high",
    "medium",
    "low",
    "informational",
    "untriaged",
    "all",
)
"""The columns of ``SeverityCounts.to_records``, most severe first, then ``all``."""


_SEVERITY_COUNTS = ModelCodec(SeverityCounts)


@api_model("AccountAggregationResponse")
@attrs.frozen(kw_only=True)
class AccountAggregationResponse(ApiModel):
    """API ``AccountAggregationResponse``: finding counts for one account.

    Examples:
        >>> a = AccountAggregationResponse.from_api({"accountId": "111122223333",
        ...     "severityCounts": {"all": 40, "critical": 3}, "fixAvailableCount": 31})
        >>> a.severity_counts.critical, a.fix_available_count
        (3, 31)
    """

    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    exploit_available_count: int | None = member("exploitAvailableCount", INTEGER)
    """API ``exploitAvailableCount``: findings with a known public exploit."""
    fix_available_count: int | None = member("fixAvailableCount", INTEGER)
    """API ``fixAvailableCount``: findings with a fix available."""


@api_model("AmiAggregationResponse")
@attrs.frozen(kw_only=True)
class AmiAggregationResponse(ApiModel):
    """API ``AmiAggregationResponse``: finding counts for one AMI.

    Examples:
        >>> a = AmiAggregationResponse.from_api({"ami": "ami-0abcdef1234567890",
        ...     "affectedInstances": 12, "scanSource": "INSTANCE_SCAN"})
        >>> a.affected_instances, a.scan_source
        (12, <ScanSource.INSTANCE_SCAN: 'INSTANCE_SCAN'>)
    """

    ami: str = member("ami", STRING, required=True)
    """API ``ami`` (required): the AMI id."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    cloud_provider: Provider | str | None = member("cloudProvider", EnumCodec(Provider))
    """API ``cloudProvider``; open enum."""
    cloud_partition: str | None = member("cloudPartition", STRING)
    """API ``cloudPartition``."""
    cloud_region: str | None = member("cloudRegion", STRING)
    """API ``cloudRegion``."""
    cloud_org_id: str | None = member("cloudOrgId", STRING)
    """API ``cloudOrgId``."""
    cloud_account_id: str | None = member("cloudAccountId", STRING)
    """API ``cloudAccountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    affected_instances: int | None = member("affectedInstances", INTEGER)
    """API ``affectedInstances``: instances launched from the AMI with findings."""
    scan_source: ScanSource | str | None = member("scanSource", EnumCodec(ScanSource))
    """API ``scanSource``: INSTANCE_SCAN or MACHINE_IMAGE_SCAN; open enum."""


@api_model("AwsEcrContainerAggregationResponse")
@attrs.frozen(kw_only=True)
class AwsEcrContainerAggregationResponse(ApiModel):
    """API ``AwsEcrContainerAggregationResponse``: finding counts for one ECR image.

    Examples:
        >>> a = AwsEcrContainerAggregationResponse.from_api({
        ...     "resourceId": "arn:aws:ecr:us-east-1:111122223333:repository/payments/api/"
        ...                   "sha256:" + "ab" * 32,
        ...     "repository": "payments/api", "imageTags": ["v2.14.0"], "inUseCount": 4})
        >>> a.repository, a.image_tags, a.in_use_count
        ('payments/api', ('v2.14.0',), 4)
    """

    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required): the image ARN."""
    image_sha: str | None = member("imageSha", STRING)
    """API ``imageSha``: the image digest."""
    repository: str | None = member("repository", STRING)
    """API ``repository``."""
    architecture: str | None = member("architecture", STRING)
    """API ``architecture``."""
    image_tags: tuple[str, ...] | None = member("imageTags", STRING_LIST)
    """API ``imageTags``."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    last_in_use_at: datetime | None = member("lastInUseAt", TIMESTAMP)
    """API ``lastInUseAt`` (aware UTC)."""
    in_use_count: int | None = member("inUseCount", INTEGER)
    """API ``inUseCount``: ECS tasks or EKS pods running the image."""


@api_model("Ec2InstanceAggregationResponse")
@attrs.frozen(kw_only=True)
class Ec2InstanceAggregationResponse(ApiModel):
    """API ``Ec2InstanceAggregationResponse``: finding counts for one EC2 instance.

    Examples:
        >>> a = Ec2InstanceAggregationResponse.from_api({"instanceId": "i-0abcdef1234567890",
        ...     "operatingSystem": "AMAZON_LINUX_2023", "networkFindings": 1,
        ...     "instanceTags": {"team": "payments"}})
        >>> a.operating_system, a.network_findings, a.instance_tags["team"]
        ('AMAZON_LINUX_2023', 1, 'payments')
    """

    instance_id: str = member("instanceId", STRING, required=True)
    """API ``instanceId`` (required)."""
    ami: str | None = member("ami", STRING)
    """API ``ami``."""
    operating_system: str | None = member("operatingSystem", STRING)
    """API ``operatingSystem``."""
    instance_tags: FrozenMap | None = member("instanceTags", STRING_MAP)
    """API ``instanceTags``: an immutable mapping."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    network_findings: int | None = member("networkFindings", INTEGER)
    """API ``networkFindings``: network reachability findings."""


@api_model("FindingTypeAggregationResponse")
@attrs.frozen(kw_only=True)
class FindingTypeAggregationResponse(ApiModel):
    """API ``FindingTypeAggregationResponse``: finding counts for one finding type.

    Examples:
        >>> FindingTypeAggregationResponse.from_api({"accountId": "111122223333",
        ...     "exploitAvailableCount": 2}).exploit_available_count
        2
    """

    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    exploit_available_count: int | None = member("exploitAvailableCount", INTEGER)
    """API ``exploitAvailableCount``."""
    fix_available_count: int | None = member("fixAvailableCount", INTEGER)
    """API ``fixAvailableCount``."""
    cloud_provider: str | None = member("cloudProvider", STRING)
    """API ``cloudProvider`` (free text here)."""
    cloud_account_id: str | None = member("cloudAccountId", STRING)
    """API ``cloudAccountId``."""
    cloud_org_id: str | None = member("cloudOrgId", STRING)
    """API ``cloudOrgId``."""
    cloud_region: str | None = member("cloudRegion", STRING)
    """API ``cloudRegion``."""
    cloud_partition: str | None = member("cloudPartition", STRING)
    """API ``cloudPartition``."""


@api_model("ImageLayerAggregationResponse")
@attrs.frozen(kw_only=True)
class ImageLayerAggregationResponse(ApiModel):
    """API ``ImageLayerAggregationResponse``: finding counts for one container image layer.

    Examples:
        >>> ImageLayerAggregationResponse.from_api({"repository": "payments/api",
        ...     "resourceId": "arn:aws:ecr:...", "layerHash": "sha256:" + "cd" * 32,
        ...     "accountId": "111122223333"}).layer_hash[:10]
        'sha256:cdc'
    """

    repository: str = member("repository", STRING, required=True)
    """API ``repository`` (required)."""
    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required): the image ARN."""
    layer_hash: str = member("layerHash", STRING, required=True)
    """API ``layerHash`` (required)."""
    account_id: str = member("accountId", STRING, required=True)
    """API ``accountId`` (required)."""
    cloud_provider: str | None = member("cloudProvider", STRING)
    """API ``cloudProvider`` (free text here)."""
    cloud_account_id: str | None = member("cloudAccountId", STRING)
    """API ``cloudAccountId``."""
    cloud_org_id: str | None = member("cloudOrgId", STRING)
    """API ``cloudOrgId``."""
    cloud_region: str | None = member("cloudRegion", STRING)
    """API ``cloudRegion``."""
    cloud_partition: str | None = member("cloudPartition", STRING)
    """API ``cloudPartition``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""


@api_model("PackageAggregationResponse")
@attrs.frozen(kw_only=True)
class PackageAggregationResponse(ApiModel):
    """API ``PackageAggregationResponse``: finding counts for one package.

    Examples:
        >>> PackageAggregationResponse.from_api({"packageName": "openssl",
        ...     "severityCounts": {"all": 9, "high": 4}}).severity_counts.high
        4
    """

    package_name: str = member("packageName", STRING, required=True)
    """API ``packageName`` (required)."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""


@api_model("RepositoryAggregationResponse")
@attrs.frozen(kw_only=True)
class RepositoryAggregationResponse(ApiModel):
    """API ``RepositoryAggregationResponse``: finding counts for one container repository.

    Examples:
        >>> RepositoryAggregationResponse.from_api({"repository": "payments/api",
        ...     "affectedImages": 3}).affected_images
        3
    """

    repository: str = member("repository", STRING, required=True)
    """API ``repository`` (required)."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    cloud_provider: Provider | str | None = member("cloudProvider", EnumCodec(Provider))
    """API ``cloudProvider``; open enum."""
    cloud_partition: str | None = member("cloudPartition", STRING)
    """API ``cloudPartition``."""
    cloud_region: str | None = member("cloudRegion", STRING)
    """API ``cloudRegion``."""
    cloud_org_id: str | None = member("cloudOrgId", STRING)
    """API ``cloudOrgId``."""
    cloud_account_id: str | None = member("cloudAccountId", STRING)
    """API ``cloudAccountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    affected_images: int | None = member("affectedImages", INTEGER)
    """API ``affectedImages``: images in the repository with findings."""


@api_model("TitleAggregationResponse")
@attrs.frozen(kw_only=True)
class TitleAggregationResponse(ApiModel):
    """API ``TitleAggregationResponse``: finding counts for one finding title.

    Examples:
        >>> t = TitleAggregationResponse.from_api({"title": "CVE-2023-38545 - curl",
        ...     "vulnerabilityId": "CVE-2023-38545", "severityCounts": {"critical": 7}})
        >>> t.vulnerability_id, t.severity_counts.critical
        ('CVE-2023-38545', 7)
    """

    title: str = member("title", STRING, required=True)
    """API ``title`` (required)."""
    vulnerability_id: str | None = member("vulnerabilityId", STRING)
    """API ``vulnerabilityId``."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""


@api_model("LambdaLayerAggregationResponse")
@attrs.frozen(kw_only=True)
class LambdaLayerAggregationResponse(ApiModel):
    """API ``LambdaLayerAggregationResponse``: finding counts for one Lambda layer.

    Examples:
        >>> LambdaLayerAggregationResponse.from_api({"functionName": "resize-images",
        ...     "resourceId": "arn:aws:lambda:us-east-1:111122223333:function:resize-images",
        ...     "layerArn": "arn:aws:lambda:us-east-1:111122223333:layer:pillow:3",
        ...     "accountId": "111122223333"}).layer_arn.rsplit(":", 2)[1]
        'pillow'
    """

    function_name: str = member("functionName", STRING, required=True)
    """API ``functionName`` (required)."""
    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required): the function ARN."""
    layer_arn: str = member("layerArn", STRING, required=True)
    """API ``layerArn`` (required)."""
    account_id: str = member("accountId", STRING, required=True)
    """API ``accountId`` (required)."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""


@api_model("LambdaFunctionAggregationResponse")
@attrs.frozen(kw_only=True)
class LambdaFunctionAggregationResponse(ApiModel):
    """API ``LambdaFunctionAggregationResponse``: finding counts for one Lambda function.

    Examples:
        >>> LambdaFunctionAggregationResponse.from_api({
        ...     "resourceId": "arn:aws:lambda:us-east-1:111122223333:function:resize-images",
        ...     "functionName": "resize-images", "runtime": "PYTHON_3_12"}).runtime
        'PYTHON_3_12'
    """

    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required): the function ARN."""
    function_name: str | None = member("functionName", STRING)
    """API ``functionName``."""
    runtime: str | None = member("runtime", STRING)
    """API ``runtime`` (free text here, unlike the Lambda enum)."""
    lambda_tags: FrozenMap | None = member("lambdaTags", STRING_MAP)
    """API ``lambdaTags``: an immutable mapping."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    last_modified_at: datetime | None = member("lastModifiedAt", TIMESTAMP)
    """API ``lastModifiedAt`` (aware UTC)."""


@api_model("CodeRepositoryAggregationResponse")
@attrs.frozen(kw_only=True)
class CodeRepositoryAggregationResponse(ApiModel):
    """API ``CodeRepositoryAggregationResponse``: finding counts for one code repository.

    Examples:
        >>> CodeRepositoryAggregationResponse.from_api({"projectNames": "payments-api",
        ...     "providerType": "GITHUB",
        ...     "fixAvailableActiveFindingsCount": 5}).fix_available_active_findings_count
        5
    """

    project_names: str = member("projectNames", STRING, required=True)
    """API ``projectNames`` (required; one string despite the plural)."""
    provider_type: str | None = member("providerType", STRING)
    """API ``providerType``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    exploit_available_active_findings_count: int | None = member(
        "exploitAvailableActiveFindingsCount", INTEGER
    )
    """API ``exploitAvailableActiveFindingsCount``."""
    fix_available_active_findings_count: int | None = member(
        "fixAvailableActiveFindingsCount", INTEGER
    )
    """API ``fixAvailableActiveFindingsCount``."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    resource_id: str | None = member("resourceId", STRING)
    """API ``resourceId``."""


@api_model("VmInstanceAggregationResponse")
@attrs.frozen(kw_only=True)
class VmInstanceAggregationResponse(ApiModel):
    """API ``VmInstanceAggregationResponse``: finding counts for one VM in another cloud.

    Examples:
        >>> VmInstanceAggregationResponse.from_api({"resourceId": "vm-web-01",
        ...     "cloudProvider": "AZURE", "networkFindings": 0}).cloud_provider
        <Provider.AZURE: 'AZURE'>
    """

    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required)."""
    cloud_provider: Provider | str | None = member("cloudProvider", EnumCodec(Provider))
    """API ``cloudProvider``; open enum."""
    cloud_account_id: str | None = member("cloudAccountId", STRING)
    """API ``cloudAccountId``."""
    cloud_partition: str | None = member("cloudPartition", STRING)
    """API ``cloudPartition``."""
    cloud_region: str | None = member("cloudRegion", STRING)
    """API ``cloudRegion``."""
    cloud_org_id: str | None = member("cloudOrgId", STRING)
    """API ``cloudOrgId``."""
    vm_image_reference: str | None = member("vmImageReference", STRING)
    """API ``vmImageReference``."""
    operating_system: str | None = member("operatingSystem", STRING)
    """API ``operatingSystem``."""
    tags: FrozenMap | None = member("tags", STRING_MAP)
    """API ``tags``: an immutable mapping."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    network_findings: int | None = member("networkFindings", INTEGER)
    """API ``networkFindings``."""
    exploit_available_active_findings_count: int | None = member(
        "exploitAvailableActiveFindingsCount", INTEGER
    )
    """API ``exploitAvailableActiveFindingsCount``."""
    fix_available_active_findings_count: int | None = member(
        "fixAvailableActiveFindingsCount", INTEGER
    )
    """API ``fixAvailableActiveFindingsCount``."""


@api_model("ContainerImageAggregationResponse")
@attrs.frozen(kw_only=True)
class ContainerImageAggregationResponse(ApiModel):
    """API ``ContainerImageAggregationResponse``: finding counts for one image in another cloud.

    Examples:
        >>> ContainerImageAggregationResponse.from_api({"resourceId": "img-1",
        ...     "cloudProvider": "GCP", "imageTags": ["1.4.2"]}).image_tags
        ('1.4.2',)
    """

    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required)."""
    cloud_provider: Provider | str | None = member("cloudProvider", EnumCodec(Provider))
    """API ``cloudProvider``; open enum."""
    cloud_account_id: str | None = member("cloudAccountId", STRING)
    """API ``cloudAccountId``."""
    cloud_partition: str | None = member("cloudPartition", STRING)
    """API ``cloudPartition``."""
    cloud_region: str | None = member("cloudRegion", STRING)
    """API ``cloudRegion``."""
    cloud_org_id: str | None = member("cloudOrgId", STRING)
    """API ``cloudOrgId``."""
    image_digest: str | None = member("imageDigest", STRING)
    """API ``imageDigest``."""
    repository: str | None = member("repository", STRING)
    """API ``repository``."""
    registry: str | None = member("registry", STRING)
    """API ``registry``."""
    architecture: str | None = member("architecture", STRING)
    """API ``architecture``."""
    image_tags: tuple[str, ...] | None = member("imageTags", STRING_LIST)
    """API ``imageTags``."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    last_in_use_at: datetime | None = member("lastInUseAt", TIMESTAMP)
    """API ``lastInUseAt`` (aware UTC)."""
    in_use_count: int | None = member("inUseCount", INTEGER)
    """API ``inUseCount``."""
    exploit_available_active_findings_count: int | None = member(
        "exploitAvailableActiveFindingsCount", INTEGER
    )
    """API ``exploitAvailableActiveFindingsCount``."""
    fix_available_active_findings_count: int | None = member(
        "fixAvailableActiveFindingsCount", INTEGER
    )
    """API ``fixAvailableActiveFindingsCount``."""


@api_model("ServerlessFunctionAggregationResponse")
@attrs.frozen(kw_only=True)
class ServerlessFunctionAggregationResponse(ApiModel):
    """API ``ServerlessFunctionAggregationResponse``: counts for one function in another cloud.

    Examples:
        >>> ServerlessFunctionAggregationResponse.from_api({"resourceId": "fn-1",
        ...     "functionName": "thumbnailer", "cloudProvider": "AZURE"}).function_name
        'thumbnailer'
    """

    resource_id: str = member("resourceId", STRING, required=True)
    """API ``resourceId`` (required)."""
    cloud_provider: Provider | str | None = member("cloudProvider", EnumCodec(Provider))
    """API ``cloudProvider``; open enum."""
    cloud_account_id: str | None = member("cloudAccountId", STRING)
    """API ``cloudAccountId``."""
    cloud_partition: str | None = member("cloudPartition", STRING)
    """API ``cloudPartition``."""
    cloud_region: str | None = member("cloudRegion", STRING)
    """API ``cloudRegion``."""
    cloud_org_id: str | None = member("cloudOrgId", STRING)
    """API ``cloudOrgId``."""
    function_name: str | None = member("functionName", STRING)
    """API ``functionName``."""
    runtime: str | None = member("runtime", STRING)
    """API ``runtime`` (free text here)."""
    tags: FrozenMap | None = member("tags", STRING_MAP)
    """API ``tags``: an immutable mapping."""
    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    severity_counts: SeverityCounts | None = member("severityCounts", _SEVERITY_COUNTS)
    """API ``severityCounts``."""
    last_modified_at: datetime | None = member("lastModifiedAt", TIMESTAMP)
    """API ``lastModifiedAt`` (aware UTC)."""
    exploit_available_active_findings_count: int | None = member(
        "exploitAvailableActiveFindingsCount", INTEGER
    )
    """API ``exploitAvailableActiveFindingsCount``."""
    fix_available_active_findings_count: int | None = member(
        "fixAvailableActiveFindingsCount", INTEGER
    )
    """API ``fixAvailableActiveFindingsCount``."""


#: Whichever member of an [`AggregationResponse`][inspector_kit.models.AggregationResponse] is set.
Aggregation: TypeAlias = (
    AccountAggregationResponse
    | AmiAggregationResponse
    | AwsEcrContainerAggregationResponse
    | Ec2InstanceAggregationResponse
    | FindingTypeAggregationResponse
    | ImageLayerAggregationResponse
    | PackageAggregationResponse
    | RepositoryAggregationResponse
    | TitleAggregationResponse
    | LambdaLayerAggregationResponse
    | LambdaFunctionAggregationResponse
    | CodeRepositoryAggregationResponse
    | VmInstanceAggregationResponse
    | ContainerImageAggregationResponse
    | ServerlessFunctionAggregationResponse
)


@api_model("AggregationResponse")
@attrs.frozen(kw_only=True)
class AggregationResponse(RecordsMixin, RegionalModel):
    """API ``AggregationResponse``: one row of ``ListFindingAggregations``.

    A union: AWS sets exactly one member, matching the request's aggregation type;
    [`aggregation`][inspector_kit.models.AggregationResponse.aggregation] gives it whichever it is.
    (Decoding does not insist on exactly one; a member this version does not know lands in
    ``extra``.) ``region`` is set by the fetcher.

    Examples:
        >>> row = AggregationResponse.from_api({"accountAggregation": {
        ...     "accountId": "111122223333", "severityCounts": {"all": 12, "critical": 1}}},
        ...     region="ap-northeast-1")
        >>> type(row.aggregation).__name__, row.aggregation.severity_counts.all, row.region
        ('AccountAggregationResponse', 12, 'ap-northeast-1')
    """

    account_aggregation: AccountAggregationResponse | None = member(
        "accountAggregation", ModelCodec(AccountAggregationResponse)
    )
    """API ``accountAggregation``."""
    ami_aggregation: AmiAggregationResponse | None = member(
        "amiAggregation", ModelCodec(AmiAggregationResponse)
    )
    """API ``amiAggregation``."""
    aws_ecr_container_aggregation: AwsEcrContainerAggregationResponse | None = member(
        "awsEcrContainerAggregation", ModelCodec(AwsEcrContainerAggregationResponse)
    )
    """API ``awsEcrContainerAggregation``."""
    ec2_instance_aggregation: Ec2InstanceAggregationResponse | None = member(
        "ec2InstanceAggregation", ModelCodec(Ec2InstanceAggregationResponse)
    )
    """API ``ec2InstanceAggregation``."""
    finding_type_aggregation: FindingTypeAggregationResponse | None = member(
        "findingTypeAggregation", ModelCodec(FindingTypeAggregationResponse)
    )
    """API ``findingTypeAggregation``."""
    image_layer_aggregation: ImageLayerAggregationResponse | None = member(
        "imageLayerAggregation", ModelCodec(ImageLayerAggregationResponse)
    )
    """API ``imageLayerAggregation``."""
    package_aggregation: PackageAggregationResponse | None = member(
        "packageAggregation", ModelCodec(PackageAggregationResponse)
    )
    """API ``packageAggregation``."""
    repository_aggregation: RepositoryAggregationResponse | None = member(
        "repositoryAggregation", ModelCodec(RepositoryAggregationResponse)
    )
    """API ``repositoryAggregation``."""
    title_aggregation: TitleAggregationResponse | None = member(
        "titleAggregation", ModelCodec(TitleAggregationResponse)
    )
    """API ``titleAggregation``."""
    lambda_layer_aggregation: LambdaLayerAggregationResponse | None = member(
        "lambdaLayerAggregation", ModelCodec(LambdaLayerAggregationResponse)
    )
    """API ``lambdaLayerAggregation``."""
    lambda_function_aggregation: LambdaFunctionAggregationResponse | None = member(
        "lambdaFunctionAggregation", ModelCodec(LambdaFunctionAggregationResponse)
    )
    """API ``lambdaFunctionAggregation``."""
    code_repository_aggregation: CodeRepositoryAggregationResponse | None = member(
        "codeRepositoryAggregation", ModelCodec(CodeRepositoryAggregationResponse)
    )
    """API ``codeRepositoryAggregation``."""
    vm_instance_aggregation: VmInstanceAggregationResponse | None = member(
        "vmInstanceAggregation", ModelCodec(VmInstanceAggregationResponse)
    )
    """API ``vmInstanceAggregation``."""
    container_image_aggregation: ContainerImageAggregationResponse | None = member(
        "containerImageAggregation", ModelCodec(ContainerImageAggregationResponse)
    )
    """API ``containerImageAggregation``."""
    serverless_function_aggregation: ServerlessFunctionAggregationResponse | None = member(
        "serverlessFunctionAggregation", ModelCodec(ServerlessFunctionAggregationResponse)
    )
    """API ``serverlessFunctionAggregation``."""

    @property
    def aggregation(self) -> Aggregation | None:
        """The member that is set (the first, in API order, should AWS ever set two).

        ``None`` when none is: an aggregation type newer than this version is then in
        ``extra``.
        """
        for spec in self.__api_fields__:
            value: Aggregation | None = getattr(self, spec.attr)
            if value is not None:
                return value
        return None

    @property
    def columns(self) -> tuple[str, ...]:
        """``region``, ``aggregation``, then the set member's attributes.

        ``aggregation`` is the API name of the member that is set
        (``accountAggregation``). The member's attributes follow in API order, its
        ``severity_counts`` as ``SEVERITY_COUNT_COLUMNS``.

        Examples:
            >>> row = AggregationResponse.from_api({"accountAggregation": {
            ...     "accountId": "111122223333", "severityCounts": {"all": 12}}})
            >>> row.columns[:4]
            ('region', 'aggregation', 'account_id', 'critical')
        """
        member = self.aggregation
        names: list[str] = ["region", "aggregation"]
        if member is not None:
            for spec in member.__api_fields__:
                if spec.attr == "severity_counts":
                    names.extend(SEVERITY_COUNT_COLUMNS)
                else:
                    names.append(spec.attr)
        return tuple(names)

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row: the region, the member's API name and its values, flat.

        Enum members are their values, lists (``image_tags``) their items joined with
        ``;``, tag maps ``key=value`` pairs joined with ``;`` (``None`` when empty),
        timestamps aware datetimes.

        Examples:
            >>> row = AggregationResponse.from_api({"amiAggregation": {
            ...     "ami": "ami-1", "scanSource": "INSTANCE_SCAN",
            ...     "severityCounts": {"all": 2, "high": 2}}}, region="us-east-1")
            >>> record = row.to_records()[0]
            >>> record["aggregation"], record["ami"], record["scan_source"], record["high"]
            ('amiAggregation', 'ami-1', 'INSTANCE_SCAN', 2)
        """
        member = self.aggregation
        record: dict[str, RecordValue] = {"region": self.region, "aggregation": None}
        if member is not None:
            record["aggregation"] = next(
                spec.api for spec in self.__api_fields__ if getattr(self, spec.attr) is member
            )
            for spec in member.__api_fields__:
                value = getattr(member, spec.attr)
                if spec.attr == "severity_counts":
                    counts = value.to_records()[0] if value is not None else {}
                    record.update({name: counts.get(name) for name in SEVERITY_COUNT_COLUMNS})
                else:
                    record[spec.attr] = _flat(value)
        return [record]


def _flat(value: Any) -> RecordValue:
    """A member value in the records value convention (see ``AggregationResponse``)."""
    if isinstance(value, Enum):
        return value.value  # type: ignore[no-any-return]
    if isinstance(value, tuple):
        return ";".join(str(item) for item in value) or None
    if isinstance(value, FrozenMap):
        return ";".join(f"{key}={item}" for key, item in value.items()) or None
    return value  # type: ignore[no-any-return]
