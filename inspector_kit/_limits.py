"""Limits of the AWS services inspector_kit calls, in one leaf module.

This module imports nothing from the package, so any module may use it without an
import cycle. Each value names where it comes from: the botocore service model member
(``<service>.<Operation>.<member>``, checked by ``tests/test_limits.py`` where the model
states a bound) or the AWS documentation page, when the model is silent.

Examples:
    >>> from inspector_kit import _limits
    >>> _limits.FINDINGS_PAGE, _limits.FINDING_DETAILS_BATCH
    (100, 10)
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACCOUNT_STATUS_BATCH",
    "AGGREGATION_PAGE",
    "ASFF_BATCH",
    "ASFF_FINDING_BYTES",
    "ASFF_REQUEST_BYTES",
    "ASSUME_ROLE_DEFAULT_SECONDS",
    "ASSUME_ROLE_MAX_SECONDS",
    "ASSUME_ROLE_MIN_SECONDS",
    "CODE_SECURITY_INTEGRATIONS_PAGE",
    "COVERAGE_MAP_KEY_LENGTH",
    "COVERAGE_MAP_VALUE_LENGTH",
    "COVERAGE_PAGE",
    "COVERAGE_STRING_COMPARISONS",
    "EC2_IMAGES_PAGE",
    "EC2_IMAGE_IDS_PER_FILTER",
    "EC2_INSTANCES_PAGE",
    "EC2_VOLUMES_PAGE",
    "FILTER_LIST_MAX",
    "FINDINGS_PAGE",
    "FINDING_DETAILS_BATCH",
    "FREE_TRIAL_BATCH",
    "GLUE_NAME_LENGTH",
    "GLUE_PARAMETER_VALUE_LENGTH",
    "KMS_TAGS_PAGE",
    "LONG_RANGE",
    "MAP_COMPARISONS",
    "MAP_KEY_LENGTH",
    "MAP_VALUE_LENGTH",
    "MEMBERS_PAGE",
    "MEMBER_DEEP_INSPECTION_BATCH",
    "ON_DEMAND_SCANS_PAGE",
    "ON_DEMAND_SCAN_ID_LENGTH",
    "PORT_RANGE",
    "RUNTIME_REACHABILITY_COMPARISONS",
    "SSM_INFORMATION_PAGE",
    "SSM_INVENTORY_PAGE",
    "STRING_COMPARISONS",
    "STRING_VALUE_LENGTH",
    "USAGE_PAGE",
]

# -- inspector2 (botocore model: botocore/data/inspector2/*/service-2.json) -----------

FINDINGS_PAGE: Final = 100
"""``inspector2.ListFindings.maxResults`` max 100 (AWS serves at most 25 per page)."""

COVERAGE_PAGE: Final = 200
"""``inspector2.ListCoverage.maxResults`` max 200."""

USAGE_PAGE: Final = 500
"""``inspector2.ListUsageTotals.maxResults`` max 500."""

MEMBERS_PAGE: Final = 50
"""``inspector2.ListMembers.maxResults`` max 50."""

AGGREGATION_PAGE: Final = 100
"""``inspector2.ListFindingAggregations.maxResults`` max 100."""

FINDING_DETAILS_BATCH: Final = 10
"""``inspector2.BatchGetFindingDetails.findingArns`` max 10 ARNs per call."""

ACCOUNT_STATUS_BATCH: Final = 100
"""``inspector2.BatchGetAccountStatus.accountIds`` max 100 ids per call."""

# -- ec2 (the model states no bound; the API reference does) ----------------------------

EC2_INSTANCES_PAGE: Final = 1000
"""``ec2.DescribeInstances.MaxResults`` 5..1000
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html)."""

EC2_VOLUMES_PAGE: Final = 500
"""``ec2.DescribeVolumes.MaxResults`` 5..500; larger values return 500
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumes.html)."""

EC2_IMAGES_PAGE: Final = 1000
"""``ec2.DescribeImages.MaxResults`` 5..1000
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html)."""

EC2_IMAGE_IDS_PER_FILTER: Final = 100
"""Values of one ``image-id`` filter per ``DescribeImages`` call: EC2 allows up to 200
filter values (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Using_Filtering.html);
we send half that."""

# -- ssm (botocore model) ---------------------------------------------------------------

SSM_INFORMATION_PAGE: Final = 50
"""``ssm.DescribeInstanceInformation.MaxResults`` max 50."""

SSM_INVENTORY_PAGE: Final = 50
"""``ssm.GetInventory.MaxResults`` max 50."""


# --- criteria: FilterCriteria (ListFindings) and CoverageFilterCriteria (ListCoverage) ---
# tests/test_criteria_limits.py compares each constant with the botocore model.

FILTER_LIST_MAX: Final[int] = 10
"""``inspector2.FilterCriteria.findingArn``:

Filters per criterion: every ``*FilterList`` of both criteria shapes is 1-10 long.
"""

STRING_COMPARISONS: Final[tuple[str, ...]] = ("EQUALS", "PREFIX", "NOT_EQUALS")
"""``inspector2.StringFilter.comparison``:

``StringComparison``: the comparisons of a ``StringFilter`` (ListFindings).
"""

COVERAGE_STRING_COMPARISONS: Final[tuple[str, ...]] = ("EQUALS", "NOT_EQUALS")
"""``inspector2.CoverageStringFilter.comparison``:

``CoverageStringComparison``: the comparisons of a ``CoverageStringFilter`` (no PREFIX).
"""

STRING_VALUE_LENGTH: Final[tuple[int, int]] = (1, 1024)
"""``inspector2.StringFilter.value``:

``StringInput`` and ``CoverageStringInput``: a string filter's value, (min, max) length.
"""

MAP_COMPARISONS: Final[tuple[str, ...]] = ("EQUALS",)
"""``inspector2.MapFilter.comparison``:

``MapComparison`` and ``CoverageMapComparison``: the comparisons of a map (tag) filter.
"""

MAP_KEY_LENGTH: Final[tuple[int, int]] = (1, 128)
"""``inspector2.MapFilter.key``: ``MapKey``: a ``MapFilter`` key, (min, max) length."""

MAP_VALUE_LENGTH: Final[tuple[int, int]] = (0, 256)
"""``inspector2.MapFilter.value``: ``MapValue``: a ``MapFilter`` value, (min, max) length."""

COVERAGE_MAP_KEY_LENGTH: Final[tuple[int, int | None]] = (1, None)
"""``inspector2.CoverageMapFilter.key``:

``NonEmptyString``: a ``CoverageMapFilter`` key, (min, max) length; no maximum.
"""

COVERAGE_MAP_VALUE_LENGTH: Final[tuple[int, int | None]] = (1, None)
"""``inspector2.CoverageMapFilter.value``:

``NonEmptyString``: a ``CoverageMapFilter`` value, (min, max) length; no maximum.
"""

PORT_RANGE: Final[tuple[int, int]] = (0, 65535)
"""``inspector2.PortRangeFilter.beginInclusive``:

``Port``: the bounds of a ``PortRangeFilter``, inclusive.
"""

LONG_RANGE: Final[tuple[int, int]] = (-(2**63), 2**63 - 1)
"""``inspector2.CoverageNumberFilter.upperInclusive``:

``Long`` (a ``CoverageNumberFilter`` bound): no limit in the model; the wire type's range.
"""

RUNTIME_REACHABILITY_COMPARISONS: Final[tuple[str, ...]] = ("EQUALS", "NOT_EQUALS")
"""``inspector2.RuntimeReachabilityFilter.comparison``:

``RuntimeReachabilityComparison``: the comparisons of the ``runtimeReachability`` and
``runtimeReachabilityReason`` parts of a ``PackageFilter`` (no PREFIX).
"""

# --- end of criteria ---

# --- code security integrations ---

CODE_SECURITY_INTEGRATIONS_PAGE: Final = 100
"""``inspector2.ListCodeSecurityIntegrations.maxResults`` max 100."""

# --- on-demand scans ---

ON_DEMAND_SCANS_PAGE: Final = 100
"""``inspector2.ListOnDemandScans.maxResults`` max 100."""

ON_DEMAND_SCAN_ID_LENGTH: Final[tuple[int, int]] = (1, 64)
"""``inspector2.OnDemandScan.scanId``: ``ScanId``, (min, max) length (pattern ``[a-z0-9]+``)."""

# --- cost ---

FREE_TRIAL_BATCH: Final = 100
"""``inspector2.BatchGetFreeTrialInfo.accountIds`` max 100 ids per call (min 1)."""

# --- kms ---

KMS_TAGS_PAGE: Final = 50
"""``kms.ListResourceTags.Limit``: the model's bound is 1..1000, but the member's own
documentation (in the model and in the SDK references, e.g.
https://docs.aws.amazon.com/sdk-for-ruby/v3/api/Aws/KMS/Types/ListResourceTagsRequest.html)
says "between 1 and 50, inclusive" (default 50): we send 50 and page with
``Marker``/``NextMarker`` while ``Truncated``."""

# --- asff (Security Hub BatchImportFindings) ---
# tests/test_asff.py compares ASFF_BATCH with the securityhub model (the service is not one
# tests/test_fetch_unit.py knows); the byte limits are in the documentation only.

ASFF_BATCH: Final = 100
"""``securityhub.BatchImportFindings.Findings`` max 100 findings per request (min 1)
(https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html)."""

ASFF_FINDING_BYTES: Final = 240_000
"""240 KB per finding, read as 240,000 bytes of the request's JSON: "The maximum allowed
size for a finding is 240 Kb" (the operation's documentation; the model states no bound)
https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html"""

ASFF_REQUEST_BYTES: Final = 6_000_000
"""6 MB per ``BatchImportFindings`` request, read as 6,000,000 bytes of JSON body
(https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html)."""

# --- accounts (issue 20): STS AssumeRole (botocore 1.44.8 sts model) and Inspector ---

ASSUME_ROLE_MIN_SECONDS: Final = 900
"""``sts.AssumeRole.DurationSeconds`` min 900 (botocore model;
https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)."""

ASSUME_ROLE_MAX_SECONDS: Final = 43200
"""``sts.AssumeRole.DurationSeconds`` max 43200 (botocore model); the role's own maximum
session duration and role chaining's one hour apply on top
(https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)."""

ASSUME_ROLE_DEFAULT_SECONDS: Final = 3600
"""STS's default session duration, also the cap when chaining through a hub role
(https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)."""

MEMBER_DEEP_INSPECTION_BATCH: Final = 100
"""``inspector2.BatchGetMemberEc2DeepInspectionStatus.accountIds`` max 100 ids per call."""
# --- dataset ---
# tests/test_dataset_ddl.py compares both with the glue model (CreateTable.TableInput).

GLUE_NAME_LENGTH: Final = 255
"""``glue.CreateTable.TableInput.Name`` (``NameString``) max 255 characters
(https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html)."""

GLUE_PARAMETER_VALUE_LENGTH: Final = 512_000
"""``glue.CreateTable.TableInput.Parameters`` values (``ParametersMapValue``) max 512,000
characters: the longest enum list of accounts a projected table can hold
(https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html)."""
