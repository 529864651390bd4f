"""CoverageCriteria: the ``CoverageFilterCriteria`` of ``ListCoverage`` and its statistics."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._base import COVERAGE_RULES, Criteria, Rules, dates, maps, numbers, strings
from ._filters import DateFilter, MapFilter, NumberFilter, StringFilter

__all__ = ["CoverageCriteria"]


@attrs.frozen(kw_only=True, repr=False)
class CoverageCriteria(Criteria):
    """API ``CoverageFilterCriteria``: which resources ``ListCoverage`` returns.

    Built like [`FindingCriteria`][inspector_kit.criteria.FindingCriteria], with the same filter
    classes, checked against the coverage shapes: string criteria take EQUALS or NOT_EQUALS (no
    PREFIX), tag criteria (``ec2_instance_tags``, ``lambda_function_tags``, ``machine_image_tags``,
    ``cloud_vm_instance_tags``, ``cloud_serverless_function_tags``) take non-empty keys and
    values of any length, ``ecr_image_in_use_count`` takes whole numbers, and
    ``last_scanned_at``, ``image_pulled_at`` and ``ecr_image_last_in_use_at`` take
    [`DateFilter`][inspector_kit.criteria.DateFilter]. Every other field is a string criterion.

    Examples:
        >>> crit = CoverageCriteria(resource_type="AWS_EC2_INSTANCE", scan_status_code="INACTIVE")
        >>> crit.to_api()["scanStatusCode"]
        [{'comparison': 'EQUALS', 'value': 'INACTIVE'}]
        >>> try:
        ...     CoverageCriteria(resource_id=StringFilter.prefix("i-"))
        ... except ValueError as exc:
        ...     print(exc)
        resourceId[0].comparison: CoverageStringFilter comparison must be one of
        EQUALS, NOT_EQUALS, got 'PREFIX'
    """

    _RULES: ClassVar[Rules] = COVERAGE_RULES

    # One field per API member, in the model's member order; metadata["api"] is its name.
    scan_status_code: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "scanStatusCode"}
    )
    scan_status_reason: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "scanStatusReason"}
    )
    account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "accountId"}
    )
    resource_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "resourceId"}
    )
    resource_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "resourceType"}
    )
    scan_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "scanType"}
    )
    ecr_repository_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ecrRepositoryName"}
    )
    ecr_image_tags: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "ecrImageTags"}
    )
    ec2_instance_tags: tuple[MapFilter, ...] = attrs.field(
        default=(), converter=maps, metadata={"api": "ec2InstanceTags"}
    )
    lambda_function_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "lambdaFunctionName"}
    )
    lambda_function_tags: tuple[MapFilter, ...] = attrs.field(
        default=(), converter=maps, metadata={"api": "lambdaFunctionTags"}
    )
    lambda_function_runtime: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "lambdaFunctionRuntime"}
    )
    machine_image_tags: tuple[MapFilter, ...] = attrs.field(
        default=(), converter=maps, metadata={"api": "machineImageTags"}
    )
    last_scanned_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "lastScannedAt"}
    )
    scan_mode: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "scanMode"}
    )
    image_pulled_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "imagePulledAt"}
    )
    ecr_image_last_in_use_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=dates, metadata={"api": "ecrImageLastInUseAt"}
    )
    ecr_image_in_use_count: tuple[NumberFilter, ...] = attrs.field(
        default=(), converter=numbers, metadata={"api": "ecrImageInUseCount"}
    )
    code_repository_project_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeRepositoryProjectName"}
    )
    code_repository_provider_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeRepositoryProviderType"}
    )
    code_repository_provider_type_visibility: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "codeRepositoryProviderTypeVisibility"}
    )
    last_scanned_commit_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "lastScannedCommitId"}
    )
    cloud_provider: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProvider"}
    )
    cloud_provider_account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProviderAccountId"}
    )
    cloud_provider_region: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProviderRegion"}
    )
    cloud_vm_instance_tags: tuple[MapFilter, ...] = attrs.field(
        default=(), converter=maps, metadata={"api": "cloudVmInstanceTags"}
    )
    cloud_container_image_tags: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudContainerImageTags"}
    )
    cloud_container_repository_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudContainerRepositoryName"}
    )
    cloud_container_registry_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudContainerRegistryName"}
    )
    cloud_serverless_function_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudServerlessFunctionName"}
    )
    cloud_serverless_function_runtime: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudServerlessFunctionRuntime"}
    )
    cloud_serverless_function_tags: tuple[MapFilter, ...] = attrs.field(
        default=(), converter=maps, metadata={"api": "cloudServerlessFunctionTags"}
    )
    cloud_provider_org_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=strings, metadata={"api": "cloudProviderOrgId"}
    )
