"""FindingCriteria: the ``FilterCriteria`` of ``ListFindings`` (and of filters and reports)."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._base import FINDING_RULES, Criteria, Rules, dates, maps, numbers, packages, ports, strings
from ._filters import (
    DateFilter,
    MapFilter,
    NumberFilter,
    PackageFilter,
    PortRangeFilter,
    StringFilter,
)

__all__ = ["FindingCriteria"]


@attrs.frozen(kw_only=True, repr=False)
class FindingCriteria(Criteria):
    """API ``FilterCriteria``: which findings ``ListFindings`` returns.

    One field per ``FilterCriteria`` member, named in snake_case (``awsAccountId`` is
    ``aws_account_id``), each a tuple of filters (empty: not set). Every field takes one
    filter, or an iterable of up to 10:

    * number criteria (``inspector_score``, ``epss_score``, ``ecr_image_in_use_count``,
      ``cloud_image_in_use_count``): [`NumberFilter`][inspector_kit.criteria.NumberFilter];
    * date criteria (every ``..._at`` field): [`DateFilter`][inspector_kit.criteria.DateFilter];
    * ``resource_tags``: [`MapFilter`][inspector_kit.criteria.MapFilter], or a ``{key: value}``
      mapping;
    * ``port_range``: [`PortRangeFilter`][inspector_kit.criteria.PortRangeFilter];
      ``vulnerable_packages``: [`PackageFilter`][inspector_kit.criteria.PackageFilter];
    * every other field is a string criterion: a ``str``, an enum member (both mean EQUALS)
      or a [`StringFilter`][inspector_kit.criteria.StringFilter].

    ``to_api()`` gives the ``filterCriteria`` argument; ``from_api()`` reads one back;
    ``where()`` replaces criteria; ``a & b`` combines; ``bool(criteria)`` is False when no
    criterion is set. A limit of the service model broken anywhere raises
    [`CriteriaError`][inspector_kit.errors.CriteriaError] naming the API path.

    Examples:
        >>> from inspector_kit.models import FindingStatus
        >>> crit = FindingCriteria(finding_status=FindingStatus.ACTIVE, severity=["HIGH", "LOW"])
        >>> crit.to_api()["findingStatus"]
        [{'comparison': 'EQUALS', 'value': 'ACTIVE'}]
        >>> bool(FindingCriteria()), bool(crit)
        (False, True)
        >>> try:
        ...     FindingCriteria(vulnerability_id=["CVE-1", "CVE-2", "x" * 1025])
        ... except ValueError as exc:
        ...     print(exc)
        vulnerabilityId[2].value: length must be 1..1024, got 1025
    """

    _RULES: ClassVar[Rules] = FINDING_RULES

    # One field per API member, in the model's member order; metadata["api"] is its name.
    finding_arn: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "findingArn"}
    )
    aws_account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "awsAccountId"}
    )
    finding_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "findingType"}
    )
    severity: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "severity"}
    )
    first_observed_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "firstObservedAt"}
    )
    last_observed_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "lastObservedAt"}
    )
    updated_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "updatedAt"}
    )
    finding_status: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "findingStatus"}
    )
    title: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "title"}
    )
    inspector_score: tuple[NumberFilter, ...] = attrs.field(
        default=(), converter=numbers, metadata={"api": "inspectorScore"}
    )
    resource_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "resourceType"}
    )
    resource_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "resourceId"}
    )
    resource_tags: tuple[MapFilter, ...] = attrs.field(
        default=(), converter=maps, metadata={"api": "resourceTags"}
    )
    ec2_instance_image_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ec2InstanceImageId"}
    )
    ec2_instance_vpc_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ec2InstanceVpcId"}
    )
    ec2_instance_subnet_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ec2InstanceSubnetId"}
    )
    ecr_image_pushed_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "ecrImagePushedAt"}
    )
    ecr_image_architecture: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ecrImageArchitecture"}
    )
    ecr_image_registry: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ecrImageRegistry"}
    )
    ecr_image_repository_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ecrImageRepositoryName"}
    )
    ecr_image_tags: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ecrImageTags"}
    )
    ecr_image_hash: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ecrImageHash"}
    )
    ecr_image_last_in_use_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "ecrImageLastInUseAt"}
    )
    ecr_image_in_use_count: tuple[NumberFilter, ...] = attrs.field(
        default=(), converter=numbers, metadata={"api": "ecrImageInUseCount"}
    )
    port_range: tuple[PortRangeFilter, ...] = attrs.field(
        default=(), converter=ports, metadata={"api": "portRange"}
    )
    network_protocol: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "networkProtocol"}
    )
    component_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "componentId"}
    )
    component_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "componentType"}
    )
    vulnerability_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "vulnerabilityId"}
    )
    vulnerability_source: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "vulnerabilitySource"}
    )
    vendor_severity: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "vendorSeverity"}
    )
    vulnerable_packages: tuple[PackageFilter, ...] = attrs.field(
        default=(), converter=packages, metadata={"api": "vulnerablePackages"}
    )
    related_vulnerabilities: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "relatedVulnerabilities"}
    )
    fix_available: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "fixAvailable"}
    )
    lambda_function_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "lambdaFunctionName"}
    )
    lambda_function_layers: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "lambdaFunctionLayers"}
    )
    lambda_function_runtime: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "lambdaFunctionRuntime"}
    )
    lambda_function_last_modified_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "lambdaFunctionLastModifiedAt"}
    )
    lambda_function_execution_role_arn: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "lambdaFunctionExecutionRoleArn"}
    )
    exploit_available: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "exploitAvailable"}
    )
    code_vulnerability_detector_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeVulnerabilityDetectorName"}
    )
    code_vulnerability_detector_tags: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeVulnerabilityDetectorTags"}
    )
    code_vulnerability_file_path: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeVulnerabilityFilePath"}
    )
    epss_score: tuple[NumberFilter, ...] = attrs.field(
        default=(), converter=numbers, metadata={"api": "epssScore"}
    )
    code_repository_project_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeRepositoryProjectName"}
    )
    code_repository_provider_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeRepositoryProviderType"}
    )
    machine_image_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "machineImageId"}
    )
    machine_image_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "machineImageName"}
    )
    machine_image_owner_account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "machineImageOwnerAccountId"}
    )
    machine_image_platform: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "machineImagePlatform"}
    )
    cloud_provider: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProvider"}
    )
    cloud_provider_region: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProviderRegion"}
    )
    cloud_provider_account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProviderAccountId"}
    )
    cloud_provider_org_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProviderOrgId"}
    )
    cloud_vm_image_reference: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudVmImageReference"}
    )
    cloud_vm_network_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudVmNetworkId"}
    )
    cloud_vm_subnet_ids: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudVmSubnetIds"}
    )
    cloud_image_repository_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudImageRepositoryName"}
    )
    cloud_image_registry: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudImageRegistry"}
    )
    cloud_image_digest: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudImageDigest"}
    )
    cloud_image_tags: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudImageTags"}
    )
    cloud_image_pushed_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "cloudImagePushedAt"}
    )
    cloud_image_architecture: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudImageArchitecture"}
    )
    cloud_image_last_in_use_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "cloudImageLastInUseAt"}
    )
    cloud_image_in_use_count: tuple[NumberFilter, ...] = attrs.field(
        default=(), converter=numbers, metadata={"api": "cloudImageInUseCount"}
    )
    cloud_serverless_function_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudServerlessFunctionName"}
    )
    cloud_serverless_function_runtime: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudServerlessFunctionRuntime"}
    )
    cloud_serverless_function_last_modified_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "cloudServerlessFunctionLastModifiedAt"}
    )
    cloud_serverless_function_execution_role: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudServerlessFunctionExecutionRole"}
    )
