"""Limits of the AWS services inspector_kit calls, in one leaf module.

This module imports nothing from the package, so any module may use it without an
import cycle. Each value names where it comes from: the botocore service model member
(``<service>.<Operation>.<member>``, checked by ``tests/test_limits.py`` where the model
states a bound) or the AWS documentation page, when the model is silent.

Example:
    >>> from inspector_kit import _limits
    >>> _limits.FINDINGS_PAGE, _limits.FINDING_DETAILS_BATCH
    (100, 10)
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACCOUNT_STATUS_BATCH",
    "AGGREGATION_PAGE",
    "COVERAGE_PAGE",
    "EC2_IMAGES_PAGE",
    "EC2_IMAGE_IDS_PER_FILTER",
    "EC2_INSTANCES_PAGE",
    "EC2_VOLUMES_PAGE",
    "FINDINGS_PAGE",
    "FINDING_DETAILS_BATCH",
    "MEMBERS_PAGE",
    "SSM_INFORMATION_PAGE",
    "SSM_INVENTORY_PAGE",
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
