"""Models of the non-finding responses: round trips, the region field, conveniences."""

from __future__ import annotations

import copy
import pickle
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_kit import FindingParseError
from inspector_kit.errors import InvalidArgumentError
from inspector_kit.models import (
    AccountState,
    AggregationResponse,
    ApiModel,
    Configuration,
    Counts,
    CoveredResource,
    DeepInspectionConfiguration,
    Ec2ScanMode,
    Ec2ScanModeStatus,
    FailedAccount,
    Finding,
    FindingDetail,
    FindingDetailsError,
    Member,
    RegionalModel,
    ScanMode,
    ScanStatusReason,
    Status,
    TitleAggregationResponse,
    UsageTotal,
    UsageType,
)
from inspector_kit.models._codec import STRING, api_model, member

from .service_model import pairs

UTC = timezone.utc
ACCOUNT = "111122223333"
MEMBER_ACCOUNT = "444455556666"
ARN = f"arn:aws:inspector2:us-east-1:{ACCOUNT}:finding/0123456789abcdef0123456789abcdef"
IMAGE_DIGEST = "sha256:" + "3f" * 32

#: The model class of each root shape, with the operation it comes from.
ROOTS: dict[str, type[RegionalModel]] = {
    "CoveredResource": CoveredResource,  # ListCoverage.coveredResources[]
    "Counts": Counts,  # ListCoverageStatistics.countsByGroup[]
    "GetConfigurationResponse": Configuration,  # GetConfiguration
    "GetEc2DeepInspectionConfigurationResponse": DeepInspectionConfiguration,
    "AccountState": AccountState,  # BatchGetAccountStatus.accounts[]
    "FailedAccount": FailedAccount,  # BatchGetAccountStatus.failedAccounts[]
    "UsageTotal": UsageTotal,  # ListUsageTotals.totals[]
    "Member": Member,  # ListMembers.members[]
    "FindingDetail": FindingDetail,  # BatchGetFindingDetails.findingDetails[]
    "FindingDetailsError": FindingDetailsError,  # BatchGetFindingDetails.errors[]
    "AggregationResponse": AggregationResponse,  # ListFindingAggregations.responses[]
}


def _state(status: str, code: str = "ALREADY_ENABLED", message: str = "Already enabled") -> Any:
    return {"status": status, "errorCode": code, "errorMessage": message}


# ----------------------------------------------------------------------------- payloads
# Hand-written, shaped like boto3 responses (timestamps as aware datetimes) and filled
# with the values docs/facts.md#api documents. AWS's API reference shows only syntax skeletons.

COVERED_RESOURCES: list[dict[str, Any]] = [
    {  # EC2, agent-based, scanned
        "resourceType": "AWS_EC2_INSTANCE",
        "resourceId": "i-0b22a22eec53b9321",
        "accountId": ACCOUNT,
        "scanType": "PACKAGE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "resourceMetadata": {
            "ec2": {
                "tags": {"Name": "web-1", "env": "prod"},
                "amiId": "ami-0c55b159cbfafe1f0",
                "platform": "LINUX",
            }
        },
        "lastScannedAt": datetime(2026, 11, 20, 7, 45, 12, tzinfo=UTC),
        "scanMode": "EC2_SSM_AGENT_BASED",
    },
    {  # EC2 not managed by SSM, account in agent-based mode: not scanned
        "resourceType": "AWS_EC2_INSTANCE",
        "resourceId": "i-0d1e2f3a4b5c6d7e8",
        "accountId": ACCOUNT,
        "scanType": "PACKAGE",
        "scanStatus": {"statusCode": "INACTIVE", "reason": "UNMANAGED_EC2_INSTANCE"},
        "resourceMetadata": {"ec2": {"amiId": "ami-0abcdef1234567890", "platform": "WINDOWS"}},
    },
    {  # EC2, hybrid mode: agentless
        "resourceType": "AWS_EC2_INSTANCE",
        "resourceId": "i-0aaaabbbbccccdddd",
        "accountId": ACCOUNT,
        "scanType": "PACKAGE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "resourceMetadata": {"ec2": {"platform": "LINUX"}},
        "lastScannedAt": datetime(2026, 11, 19, 23, 5, tzinfo=UTC),
        "scanMode": "EC2_AGENTLESS",
    },
    {  # EC2 network reachability
        "resourceType": "AWS_EC2_INSTANCE",
        "resourceId": "i-0b22a22eec53b9321",
        "accountId": ACCOUNT,
        "scanType": "NETWORK",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "lastScannedAt": datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
    },
    {  # ECR image
        "resourceType": "AWS_ECR_CONTAINER_IMAGE",
        "resourceId": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/payments/api/{IMAGE_DIGEST}",
        "accountId": ACCOUNT,
        "scanType": "PACKAGE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "resourceMetadata": {
            "ecrImage": {
                "tags": ["v2.14.0", "latest"],
                "imagePulledAt": datetime(2026, 11, 18, 9, 15, tzinfo=UTC),
                "lastInUseAt": datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
                "inUseCount": 3,
            }
        },
        "lastScannedAt": datetime(2026, 11, 20, 6, 30, tzinfo=UTC),
    },
    {  # ECR repository
        "resourceType": "AWS_ECR_REPOSITORY",
        "resourceId": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/payments/api",
        "accountId": ACCOUNT,
        "scanType": "PACKAGE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "resourceMetadata": {
            "ecrRepository": {"name": "payments/api", "scanFrequency": "CONTINUOUS_SCAN"}
        },
    },
    {  # Lambda, code scanning
        "resourceType": "AWS_LAMBDA_FUNCTION",
        "resourceId": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:resize-images:$LATEST",
        "accountId": ACCOUNT,
        "scanType": "CODE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "resourceMetadata": {
            "lambdaFunction": {
                "functionTags": {"team": "media"},
                "layers": [f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:pillow:3"],
                "functionName": "resize-images",
                "runtime": "PYTHON_3_12",
            }
        },
        "lastScannedAt": datetime(2026, 11, 20, 4, 10, tzinfo=UTC),
    },
    {  # code repository
        "resourceType": "CODE_REPOSITORY",
        "resourceId": (
            f"arn:aws:inspector2:us-east-1:{ACCOUNT}:codesecurity-integration/"
            "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/project-01234567-89ab-cdef-0123-456789abcdef"
        ),
        "accountId": ACCOUNT,
        "scanType": "CODE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "resourceMetadata": {
            "codeRepository": {
                "projectName": "payments-api",
                "integrationArn": (
                    f"arn:aws:inspector2:us-east-1:{ACCOUNT}:codesecurity-integration/"
                    "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
                ),
                "providerType": "GITHUB",
                "providerTypeVisibility": "PRIVATE",
                "lastScannedCommitId": "9fceb02d0ae598e95dc970b74767f19372d61af8",
                "scanConfiguration": {
                    "periodicScanConfigurations": [
                        {"frequencyExpression": "WEEKLY", "ruleSetCategories": ["SAST", "SCA"]}
                    ],
                    "continuousIntegrationScanConfigurations": [
                        {"supportedEvent": "PULL_REQUEST", "ruleSetCategories": ["SAST", "IAC"]}
                    ],
                },
                "onDemandScan": {
                    "lastScannedCommitId": "9fceb02d0ae598e95dc970b74767f19372d61af8",
                    "lastScanAt": datetime(2026, 11, 19, 12, 0, tzinfo=UTC),
                    "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
                },
            }
        },
        "lastScannedAt": datetime(2026, 11, 19, 12, 0, tzinfo=UTC),
    },
    {  # Azure VM
        "resourceType": "Microsoft.Compute/virtualMachines",
        "resourceId": (
            "/subscriptions/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d/resourcegroups/web/providers/"
            "microsoft.compute/virtualmachines/vm-web-01"
        ),
        "accountId": ACCOUNT,
        "scanType": "PACKAGE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "resourceMetadata": {
            "vmInstance": {
                "platform": "LINUX",
                "vmImageReference": "Canonical:ubuntu-24_04-lts:server:latest",
            }
        },
        "scanMode": "VM_INSPECTOR_AGENT_BASED",
        "provider": "AZURE",
        "providerAccountId": "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "providerRegion": "westeurope",
        "providerPartition": "AzureCloud",
    },
]

COUNTS: list[dict[str, Any]] = [
    {"count": 118, "groupKey": "SCAN_STATUS_CODE"},
    {"count": 7, "groupKey": "RESOURCE_TYPE"},
]

CONFIGURATION: dict[str, Any] = {
    "ecrConfiguration": {
        "rescanDurationState": {
            "rescanDuration": "DAYS_30",
            "status": "SUCCESS",
            "updatedAt": datetime(2026, 9, 1, 10, 0, tzinfo=UTC),
            "pullDateRescanDuration": "DAYS_90",
            "pullDateRescanMode": "LAST_PULL_DATE",
        }
    },
    "ec2Configuration": {
        "scanModeState": {"scanMode": "EC2_HYBRID", "scanModeStatus": "SUCCESS"},
        "vmScannerState": {
            "activated": True,
            "activatedAt": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
            "status": "SUCCESS",
        },
    },
    "amiConfiguration": {
        "lastLaunchedWithin": "DAYS_30",
        "createdWithin": "DAYS_90",
        "scanModeConfiguration": {
            "scanMode": "TARGET_SCANNING",
            "tags": [{"key": "inspector-scan", "value": "true"}],
            "excludeCopiedAmis": True,
            "excludeBackupDlmAmis": False,
        },
        "status": "SUCCESS",
        "updatedAt": datetime(2026, 5, 4, 12, 0, tzinfo=UTC),
    },
}

DEEP_INSPECTION: dict[str, Any] = {
    "packagePaths": ["/opt/app/lib", "/srv/venv/lib"],
    "orgPackagePaths": ["/opt/app/lib", "/opt/shared/python"],
    "status": "ACTIVATED",
}

ACCOUNT_STATES: list[dict[str, Any]] = [
    {
        "accountId": ACCOUNT,
        "state": _state("ENABLED"),
        "resourceState": {
            "ec2": _state("ENABLED"),
            "ecr": _state("ENABLED"),
            "lambda": _state("ENABLED"),
            "lambdaCode": _state("DISABLED", "RESOURCE_NOT_FOUND", "Not enabled"),
            "codeRepository": _state("DISABLED", "RESOURCE_NOT_FOUND", "Not enabled"),
            "ami": _state("ENABLING", "ENABLE_IN_PROGRESS", "Enable in progress"),
        },
    },
    {
        "accountId": MEMBER_ACCOUNT,
        "state": _state("SUSPENDED", "ACCOUNT_IS_ISOLATED", "Account is suspended"),
        "resourceState": {
            "ec2": _state("SUSPENDED", "ACCOUNT_IS_ISOLATED", "Account is suspended"),
            "ecr": _state("DISABLING", "DISABLE_IN_PROGRESS", "Disable in progress"),
        },
    },
]

FAILED_ACCOUNTS: list[dict[str, Any]] = [
    {
        "accountId": "777788889999",
        "status": "DISABLED",
        "resourceStatus": {"ec2": "DISABLED", "ecr": "DISABLED", "lambda": "DISABLED"},
        "errorCode": "ACCESS_DENIED",
        "errorMessage": "The account is not a member of your organization",
    },
    {"accountId": "000011112222", "errorCode": "INTERNAL_ERROR", "errorMessage": "Try again"},
]

USAGE_TOTALS: list[dict[str, Any]] = [
    {
        "accountId": ACCOUNT,
        "usage": [
            # 1,440 instance-hours = 2 instances all month: 2 x 1.2528 USD (us-east-1).
            {
                "type": "EC2_INSTANCE_HOURS",
                "total": 1440.0,
                "estimatedMonthlyCost": 2.5056,
                "currency": "USD",
            },
            {
                "type": "EC2_AGENTLESS_INSTANCE_HOURS",
                "total": 720.0,
                "estimatedMonthlyCost": 1.7496,
                "currency": "USD",
            },
            {"type": "ECR_INITIAL_SCAN", "total": 12.0, "estimatedMonthlyCost": 1.08},
            {"type": "ECR_RESCAN", "total": 30.0, "estimatedMonthlyCost": 0.3, "currency": "USD"},
            {
                "type": "LAMBDA_FUNCTION_HOURS",
                "total": 2160.0,
                "estimatedMonthlyCost": 0.9,
                "currency": "USD",
                "cloudProvider": "AWS",
            },
        ],
    }
]

MEMBERS: list[dict[str, Any]] = [
    {
        "accountId": MEMBER_ACCOUNT,
        "relationshipStatus": "ENABLED",
        "delegatedAdminAccountId": ACCOUNT,
        "updatedAt": datetime(2026, 6, 1, 10, 0, tzinfo=UTC),
    },
    {"accountId": "777788889999", "relationshipStatus": "REMOVED"},
]

FINDING_DETAILS: list[dict[str, Any]] = [
    {
        "findingArn": ARN,
        "cisaData": {
            "dateAdded": datetime(2023, 10, 10, tzinfo=UTC),
            "dateDue": datetime(2023, 10, 31, tzinfo=UTC),
            "action": "Apply mitigations per vendor instructions or discontinue use.",
        },
        "riskScore": 99,
        "evidences": [
            {
                "evidenceRule": "EXPLOIT_OBSERVED",
                "evidenceDetail": "Exploitation observed by threat intelligence",
                "severity": "CRITICAL",
            }
        ],
        "ttps": ["T1190"],
        "tools": ["metasploit"],
        "exploitObserved": {
            "lastSeen": datetime(2026, 11, 1, tzinfo=UTC),
            "firstSeen": datetime(2023, 10, 11, tzinfo=UTC),
        },
        "referenceUrls": ["https://nvd.nist.gov/vuln/detail/CVE-2023-38545"],
        "cwes": ["CWE-787"],
        "epssScore": 0.9428,
    }
]

FINDING_DETAILS_ERRORS: list[dict[str, Any]] = [
    {
        "findingArn": ARN.replace("0123456789abcdef", "fedcba9876543210"),
        "errorCode": "FINDING_DETAILS_NOT_FOUND",
        "errorMessage": "Finding details not found",
    }
]

_SEVERITY = {"all": 17, "critical": 2, "high": 5, "medium": 8, "low": 2, "untriaged": 0}
AGGREGATIONS: list[dict[str, Any]] = [
    {
        "accountAggregation": {
            "accountId": ACCOUNT,
            "severityCounts": _SEVERITY,
            "exploitAvailableCount": 3,
            "fixAvailableCount": 14,
        }
    },
    {
        "titleAggregation": {
            "title": "CVE-2023-38545 - curl, libcurl",
            "vulnerabilityId": "CVE-2023-38545",
            "accountId": ACCOUNT,
            "severityCounts": {"all": 4, "critical": 4},
        }
    },
    {
        "awsEcrContainerAggregation": {
            "resourceId": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/payments/api/{IMAGE_DIGEST}",
            "imageSha": IMAGE_DIGEST,
            "repository": "payments/api",
            "architecture": "amd64",
            "imageTags": ["v2.14.0"],
            "accountId": ACCOUNT,
            "severityCounts": _SEVERITY,
            "lastInUseAt": datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
            "inUseCount": 3,
        }
    },
    {
        "ec2InstanceAggregation": {
            "instanceId": "i-0b22a22eec53b9321",
            "ami": "ami-0c55b159cbfafe1f0",
            "operatingSystem": "AMAZON_LINUX_2023",
            "instanceTags": {"Name": "web-1"},
            "accountId": ACCOUNT,
            "severityCounts": _SEVERITY,
            "networkFindings": 1,
        }
    },
    {
        "amiAggregation": {
            "ami": "ami-0c55b159cbfafe1f0",
            "accountId": ACCOUNT,
            "severityCounts": _SEVERITY,
            "affectedInstances": 12,
            "scanSource": "INSTANCE_SCAN",
        }
    },
    {"packageAggregation": {"packageName": "openssl", "severityCounts": {"all": 9, "high": 4}}},
    {
        "lambdaFunctionAggregation": {
            "resourceId": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:resize-images",
            "functionName": "resize-images",
            "runtime": "PYTHON_3_12",
            "lambdaTags": {"team": "media"},
            "accountId": ACCOUNT,
            "lastModifiedAt": datetime(2026, 10, 2, 8, 30, tzinfo=UTC),
        }
    },
]

REALISTIC: list[tuple[type[RegionalModel], dict[str, Any]]] = [
    *((CoveredResource, p) for p in COVERED_RESOURCES),
    *((Counts, p) for p in COUNTS),
    (Configuration, CONFIGURATION),
    (DeepInspectionConfiguration, DEEP_INSPECTION),
    *((AccountState, p) for p in ACCOUNT_STATES),
    *((FailedAccount, p) for p in FAILED_ACCOUNTS),
    *((UsageTotal, p) for p in USAGE_TOTALS),
    *((Member, p) for p in MEMBERS),
    *((FindingDetail, p) for p in FINDING_DETAILS),
    *((FindingDetailsError, p) for p in FINDING_DETAILS_ERRORS),
    *((AggregationResponse, p) for p in AGGREGATIONS),
]


def _id(case: Any) -> str:
    return case.__name__ if isinstance(case, type) else ""


# ----------------------------------------------------------------------------- round trips


@pytest.mark.parametrize(("cls", "payload"), REALISTIC, ids=_id)
def test_realistic_payloads_round_trip(cls: type[RegionalModel], payload: dict[str, Any]) -> None:
    before = copy.deepcopy(payload)
    model = cls.from_api(payload, region="us-east-1")
    assert payload == before  # parsing does not touch the payload
    assert model.to_api() == payload
    assert model.extra == {}
    again = cls.from_api(model.to_api(), region="us-east-1")
    assert again == model
    assert hash(again) == hash(model)
    assert pickle.loads(pickle.dumps(model)) == model


@pytest.mark.parametrize(("cls", "payload"), REALISTIC, ids=_id)
def test_json_form_reads_the_same(cls: type[RegionalModel], payload: dict[str, Any]) -> None:
    # Timestamps as RFC 3339 strings (parsed JSON, exports) give the same model.
    def stringify(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat().replace("+00:00", "Z")
        if isinstance(value, dict):
            return {k: stringify(v) for k, v in value.items()}
        if isinstance(value, list):
            return [stringify(v) for v in value]
        return value

    assert cls.from_api(stringify(payload)) == cls.from_api(payload)


@pytest.mark.parametrize("shape_name", sorted(ROOTS))
@given(data=st.data())
def test_generated_payloads_round_trip(shape_name: str, data: st.DataObject) -> None:
    payload, expected = data.draw(pairs(shape_name))
    cls = ROOTS[shape_name]
    model = cls.from_api(payload, region="eu-west-1")
    assert model.to_api() == expected
    assert model.region == "eu-west-1"
    again = cls.from_api(model.to_api(), region="eu-west-1")
    assert again == model
    assert hash(again) == hash(model)
    assert pickle.loads(pickle.dumps(model)) == model


def test_unknown_members_and_enum_values_are_kept() -> None:
    payload = {
        **COVERED_RESOURCES[0],
        "scanMode": "EC2_SOMETHING_NEW",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "BRAND_NEW_REASON"},
        "futureMember": {"nested": [1, 2]},
    }
    resource = CoveredResource.from_api(payload)
    assert resource.scan_mode == "EC2_SOMETHING_NEW"
    assert not isinstance(resource.scan_mode, ScanMode)
    assert resource.scan_status is not None
    assert resource.scan_status.reason == "BRAND_NEW_REASON"
    assert resource.extra == {"futureMember": {"nested": (1, 2)}}
    assert resource.to_api() == payload


def test_a_broken_member_names_its_path() -> None:
    payload = copy.deepcopy(ACCOUNT_STATES[0])
    del payload["resourceState"]["ecr"]["status"]
    with pytest.raises(FindingParseError) as info:
        AccountState.from_api(payload, region="us-east-1")
    assert info.value.path == "resourceState.ecr.status"


def test_longs_are_integers() -> None:
    big = 2**40  # botocore "long"
    agg = AggregationResponse.from_api({"accountAggregation": {"severityCounts": {"all": big}}})
    assert agg.account_aggregation is not None
    assert agg.account_aggregation.severity_counts is not None
    assert agg.account_aggregation.severity_counts.all == big


# ----------------------------------------------------------------------------- region


def test_region_is_set_by_from_api_and_not_an_api_member() -> None:
    resource = CoveredResource.from_api(COVERED_RESOURCES[0], region="ap-northeast-1")
    assert resource.region == "ap-northeast-1"
    assert "region" not in resource.to_api()
    assert CoveredResource.from_api(COVERED_RESOURCES[0]).region is None


def test_region_takes_part_in_equality() -> None:
    tokyo = Member.from_api(MEMBERS[0], region="ap-northeast-1")
    virginia = Member.from_api(MEMBERS[0], region="us-east-1")
    assert tokyo != virginia
    assert tokyo.to_api() == virginia.to_api()
    assert len({tokyo, virginia, Member.from_api(MEMBERS[0], region="us-east-1")}) == 2


def test_region_shows_in_the_repr_only_when_set() -> None:
    assert "region='eu-west-1'" in repr(Counts.from_api(COUNTS[0], region="eu-west-1"))
    assert "region" not in repr(Counts.from_api(COUNTS[0]))
    assert repr(Counts.from_api({"count": 1}, region="eu-west-1")) == (
        "Counts(count=1, region='eu-west-1')"
    )


def test_evolve_keeps_and_changes_the_region() -> None:
    detail = FindingDetail.from_api(FINDING_DETAILS[0], region="us-east-1")
    evolved = attrs.evolve(detail, epss_score=0.5)
    assert evolved.region == "us-east-1"
    assert evolved.epss_score == 0.5
    moved = attrs.evolve(detail, region="eu-west-1")
    assert moved.region == "eu-west-1"
    assert moved.to_api() == detail.to_api()


def test_with_region_copies_cheaply_and_equals_evolve() -> None:
    resource = CoveredResource.from_api(COVERED_RESOURCES[7])
    tokyo = resource.with_region("ap-northeast-1")
    assert tokyo.region == "ap-northeast-1"
    assert resource.region is None  # the original is untouched
    assert tokyo == attrs.evolve(resource, region="ap-northeast-1")
    assert tokyo == CoveredResource.from_api(COVERED_RESOURCES[7], region="ap-northeast-1")
    assert tokyo.with_region("ap-northeast-1") is tokyo
    assert tokyo.with_region(None) == resource
    assert hash(tokyo) == hash(attrs.evolve(resource, region="ap-northeast-1"))


def test_direct_construction_takes_a_region() -> None:
    error = FindingDetailsError(
        finding_arn=ARN, error_code="ACCESS_DENIED", error_message="denied", region="us-west-2"
    )
    assert error.region == "us-west-2"
    assert error == FindingDetailsError.from_api(error.to_api(), region="us-west-2")


def test_every_root_model_carries_a_region() -> None:
    for cls in ROOTS.values():
        assert issubclass(cls, RegionalModel)
        assert attrs.fields_dict(cls)["region"].default is None


def test_nested_models_carry_no_region() -> None:
    agg = AggregationResponse.from_api(AGGREGATIONS[1], region="us-east-1")
    assert isinstance(agg.title_aggregation, TitleAggregationResponse)
    assert not hasattr(agg.title_aggregation, "region")


# ----------------------------------------------------------------------------- non-API fields


@api_model("Test")
@attrs.frozen(kw_only=True)
class _WithContext(ApiModel):
    """A model with non-API fields of every kind of default."""

    name: str = member("name", STRING, required=True)
    """API ``name``."""
    source: str = attrs.field(default="unknown")
    tags: tuple[str, ...] = attrs.field(factory=tuple)
    label: str = attrs.field(default=attrs.Factory(lambda self: f"<{self.name}>", takes_self=True))


def test_non_api_fields_get_their_defaults_from_api() -> None:
    model = _WithContext.from_api({"name": "x"})
    assert (model.source, model.tags, model.label) == ("unknown", (), "<x>")
    assert model.to_api() == {"name": "x"}
    assert model == _WithContext(name="x")
    assert repr(model) == "_WithContext(name='x')"  # defaults are not shown
    changed = attrs.evolve(model, source="saved file", label="y")
    assert (changed.source, changed.label) == ("saved file", "y")
    assert repr(changed) == "_WithContext(name='x', source='saved file', label='y')"


def test_a_non_api_field_needs_a_default() -> None:
    with pytest.raises(TypeError, match="needs a default"):

        @api_model("Test")
        @attrs.frozen(kw_only=True)
        class _Broken(ApiModel):
            context: str


def test_finding_has_no_non_api_fields() -> None:
    # Finding decoding is the hot path: it must not pay for the non-API machinery.
    assert Finding.__api_defaults__ == ()


# ----------------------------------------------------------------------------- conveniences


def test_is_enabled_is_true_only_for_enabled() -> None:
    account = AccountState.from_api(ACCOUNT_STATES[0])
    assert account.is_enabled("EC2")
    assert account.is_enabled("ECR")
    assert account.is_enabled("LAMBDA")
    assert not account.is_enabled("LAMBDA_CODE")  # DISABLED
    assert not account.is_enabled("CODE_REPOSITORY")  # DISABLED
    assert not account.is_enabled("AMI")  # ENABLING
    suspended = AccountState.from_api(ACCOUNT_STATES[1])
    assert not suspended.is_enabled("EC2")  # SUSPENDED
    assert not suspended.is_enabled("ECR")  # DISABLING
    assert not suspended.is_enabled("LAMBDA")  # absent


@pytest.mark.parametrize("status", [s.value for s in Status if s is not Status.ENABLED])
def test_no_other_status_counts_as_enabled(status: str) -> None:
    account = AccountState.from_api(
        {
            "accountId": ACCOUNT,
            "state": _state("ENABLED"),
            "resourceState": {"ec2": _state(status), "ecr": _state(status)},
        }
    )
    assert not account.is_enabled("EC2")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("lambdaCode", False), ("lambda_code", False), ("ec2", True), ("codeRepository", False)],
)
def test_is_enabled_accepts_api_member_names(name: str, expected: bool) -> None:
    assert AccountState.from_api(ACCOUNT_STATES[0]).is_enabled(name) is expected


def test_is_enabled_rejects_unknown_resource_types() -> None:
    with pytest.raises(InvalidArgumentError, match="unknown resource type 'EKS'"):
        AccountState.from_api(ACCOUNT_STATES[0]).is_enabled("EKS")


def test_ec2_scan_mode() -> None:
    configuration = Configuration.from_api(CONFIGURATION, region="eu-west-1")
    assert configuration.ec2_scan_mode is Ec2ScanMode.EC2_HYBRID
    assert configuration.ec2_scan_mode_status is Ec2ScanModeStatus.SUCCESS
    pending = Configuration.from_api(
        {
            "ec2Configuration": {
                "scanModeState": {"scanMode": "EC2_SSM_AGENT_BASED", "scanModeStatus": "PENDING"}
            }
        }
    )
    assert pending.ec2_scan_mode == "EC2_SSM_AGENT_BASED"
    assert pending.ec2_scan_mode_status == "PENDING"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"ecrConfiguration": CONFIGURATION["ecrConfiguration"]},
        {"ec2Configuration": {}},
        {"ec2Configuration": {"scanModeState": {}}},
    ],
)
def test_ec2_scan_mode_is_none_when_absent(payload: dict[str, Any]) -> None:
    configuration = Configuration.from_api(payload)
    assert configuration.ec2_scan_mode is None
    assert configuration.ec2_scan_mode_status is None


def test_all_package_paths_keeps_order_and_drops_duplicates() -> None:
    deep = DeepInspectionConfiguration.from_api(DEEP_INSPECTION)
    assert deep.all_package_paths == ("/opt/app/lib", "/srv/venv/lib", "/opt/shared/python")
    assert DeepInspectionConfiguration.from_api({}).all_package_paths == ()
    org_only = DeepInspectionConfiguration.from_api({"orgPackagePaths": ["/a", "/b", "/a"]})
    assert org_only.all_package_paths == ("/a", "/b")


def test_aggregation_gives_the_member_that_is_set() -> None:
    rows = [AggregationResponse.from_api(p) for p in AGGREGATIONS]
    names = [type(row.aggregation).__name__ for row in rows]
    assert names == [
        "AccountAggregationResponse",
        "TitleAggregationResponse",
        "AwsEcrContainerAggregationResponse",
        "Ec2InstanceAggregationResponse",
        "AmiAggregationResponse",
        "PackageAggregationResponse",
        "LambdaFunctionAggregationResponse",
    ]
    newer = AggregationResponse.from_api({"futureAggregation": {"x": 1}})
    assert newer.aggregation is None
    assert newer.to_api() == {"futureAggregation": {"x": 1}}


def test_typed_values_in_realistic_payloads() -> None:
    resources = [CoveredResource.from_api(p) for p in COVERED_RESOURCES]
    assert [r.scan_mode for r in resources[:3]] == [
        ScanMode.EC2_SSM_AGENT_BASED,
        None,
        ScanMode.EC2_AGENTLESS,
    ]
    assert resources[1].scan_status is not None
    assert resources[1].scan_status.reason is ScanStatusReason.UNMANAGED_EC2_INSTANCE
    usage = UsageTotal.from_api(USAGE_TOTALS[0]).usage
    assert usage is not None
    assert usage[0].type is UsageType.EC2_INSTANCE_HOURS
    assert sum(u.estimated_monthly_cost or 0.0 for u in usage) == pytest.approx(6.5352)
