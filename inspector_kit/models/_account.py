"""Accounts: Inspector status per account, members, and usage totals.

``AccountState`` and ``FailedAccount`` are the items of ``BatchGetAccountStatus``'s
``accounts`` and ``failedAccounts``; ``Member`` of ``ListMembers``' ``members``;
``UsageTotal`` of ``ListUsageTotals``' ``totals``. One class per botocore structure (the
class name is the shape name), one attribute per member (the snake_case of the member
name, documented with the member it reads; ``lambda`` is ``lambda_``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

import attrs

from inspector_kit.errors import InvalidArgumentError

from ._codec import (
    DOUBLE,
    STRING,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    ListCodec,
    ModelCodec,
    api_model,
    member,
)
from ._enums import CloudProvider, Currency, ErrorCode, RelationshipStatus, Status, UsageType
from ._regional import RegionalModel

__all__ = [
    "AccountState",
    "FailedAccount",
    "Member",
    "ResourceState",
    "ResourceStatus",
    "State",
    "Usage",
    "UsageTotal",
]


@api_model("State")
@attrs.frozen(kw_only=True)
class State(ApiModel):
    """API ``State``: the status of Inspector, or of one scan type, in an account.

    Examples:
        >>> s = State.from_api({"status": "ENABLED", "errorCode": "ALREADY_ENABLED",
        ...     "errorMessage": "already enabled"})
        >>> s.status
        <Status.ENABLED: 'ENABLED'>
    """

    status: Status | str = member("status", EnumCodec(Status), required=True)
    """API ``status`` (required): ENABLED, ENABLING, DISABLED, ...; open enum."""
    error_code: ErrorCode | str = member("errorCode", EnumCodec(ErrorCode), required=True)
    """API ``errorCode`` (required; AWS fills it even when nothing failed); open enum."""
    error_message: str = member("errorMessage", STRING, required=True)
    """API ``errorMessage`` (required)."""


@api_model("ResourceState")
@attrs.frozen(kw_only=True)
class ResourceState(ApiModel):
    """API ``ResourceState``: the state of each scan type in an account.

    Examples:
        >>> ok = {"status": "ENABLED", "errorCode": "ALREADY_ENABLED", "errorMessage": "-"}
        >>> off = {"status": "DISABLED", "errorCode": "RESOURCE_NOT_FOUND", "errorMessage": "-"}
        >>> r = ResourceState.from_api({"ec2": ok, "ecr": off, "lambda": ok})
        >>> r.ec2.status, r.lambda_.status, r.lambda_code
        (<Status.ENABLED: 'ENABLED'>, <Status.ENABLED: 'ENABLED'>, None)
    """

    ec2: State = member("ec2", ModelCodec(State), required=True)
    """API ``ec2`` (required): EC2 scanning."""
    ecr: State = member("ecr", ModelCodec(State), required=True)
    """API ``ecr`` (required): ECR scanning."""
    lambda_: State | None = member("lambda", ModelCodec(State))
    """API ``lambda``: Lambda standard scanning (the attribute is ``lambda_``)."""
    lambda_code: State | None = member("lambdaCode", ModelCodec(State))
    """API ``lambdaCode``: Lambda code scanning."""
    code_repository: State | None = member("codeRepository", ModelCodec(State))
    """API ``codeRepository``: code repository scanning."""
    ami: State | None = member("ami", ModelCodec(State))
    """API ``ami``: AMI scanning."""


#: The scan types ``AccountState.is_enabled`` accepts, to ``ResourceState`` attributes.
_RESOURCE_ATTRS = {
    "EC2": "ec2",
    "ECR": "ecr",
    "LAMBDA": "lambda_",
    "LAMBDA_CODE": "lambda_code",
    "CODE_REPOSITORY": "code_repository",
    "AMI": "ami",
}


def _resource_attr(resource_type: str) -> str:
    key = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", resource_type).upper()
    try:
        return _RESOURCE_ATTRS[key]
    except KeyError:
        known = ", ".join(_RESOURCE_ATTRS)
        raise InvalidArgumentError(
            f"unknown resource type {resource_type!r}; use one of {known}"
        ) from None


@api_model("AccountState")
@attrs.frozen(kw_only=True)
class AccountState(RegionalModel):
    """API ``AccountState``: whether Inspector, and each scan type, is on in an account.

    One item of ``BatchGetAccountStatus``'s ``accounts``. Status is per region, so the
    fetcher records the ``region`` it read. "Inspector disabled" must never read as
    "no findings" (docs/facts.md#api): check
    [`is_enabled`][inspector_kit.models.AccountState.is_enabled] first.

    Examples:
        >>> def state(status):
        ...     return {"status": status, "errorCode": "ALREADY_ENABLED", "errorMessage": "-"}
        >>> a = AccountState.from_api({"accountId": "111122223333", "state": state("ENABLED"),
        ...     "resourceState": {"ec2": state("ENABLED"), "ecr": state("ENABLING"),
        ...                       "lambda": state("SUSPENDED")}}, region="us-east-1")
        >>> a.is_enabled("EC2"), a.is_enabled("ECR"), a.is_enabled("LAMBDA"), a.region
        (True, False, False, 'us-east-1')
    """

    # Kept by from_api_lenient only with these (they identify the record).
    __api_essential__: ClassVar[frozenset[str]] = frozenset({"accountId", "resourceState"})

    account_id: str = member("accountId", STRING, required=True)
    """API ``accountId`` (required)."""
    state: State = member("state", ModelCodec(State), required=True)
    """API ``state`` (required): Inspector as a whole in the account."""
    resource_state: ResourceState = member(
        "resourceState", ModelCodec(ResourceState), required=True
    )
    """API ``resourceState`` (required): each scan type."""

    def is_enabled(self, resource_type: str) -> bool:
        """True only when the scan type's status is ``ENABLED``.

        ``ENABLING``, ``DISABLING``, ``DISABLED``, ``SUSPENDING`` and ``SUSPENDED`` are
        not enabled, and neither is a scan type the response leaves out (the API only
        requires ``ec2`` and ``ecr``). The account-wide
        [`state`][inspector_kit.models.AccountState.state] is not consulted.

        Args:
            resource_type: ``"EC2"``, ``"ECR"``, ``"LAMBDA"``, ``"LAMBDA_CODE"``,
                ``"CODE_REPOSITORY"`` or ``"AMI"`` (the API member names, such as
                ``"lambdaCode"``, work too).

        Raises:
            ValueError: ``resource_type`` is none of those.

        Examples:
            >>> on = {"status": "ENABLED", "errorCode": "ALREADY_ENABLED", "errorMessage": "-"}
            >>> a = AccountState.from_api({"accountId": "111122223333", "state": on,
            ...     "resourceState": {"ec2": on, "ecr": on}})
            >>> a.is_enabled("lambdaCode"), a.is_enabled("ecr")
            (False, True)
        """
        state: State | None = getattr(self.resource_state, _resource_attr(resource_type))
        return state is not None and state.status == Status.ENABLED


@api_model("ResourceStatus")
@attrs.frozen(kw_only=True)
class ResourceStatus(ApiModel):
    """API ``ResourceStatus``: the status of each scan type in an account that failed.

    Examples:
        >>> r = ResourceStatus.from_api({"ec2": "DISABLED", "ecr": "ENABLED"})
        >>> r.ec2, r.lambda_
        (<Status.DISABLED: 'DISABLED'>, None)
    """

    ec2: Status | str = member("ec2", EnumCodec(Status), required=True)
    """API ``ec2`` (required); open enum."""
    ecr: Status | str = member("ecr", EnumCodec(Status), required=True)
    """API ``ecr`` (required); open enum."""
    lambda_: Status | str | None = member("lambda", EnumCodec(Status))
    """API ``lambda`` (the attribute is ``lambda_``); open enum."""
    lambda_code: Status | str | None = member("lambdaCode", EnumCodec(Status))
    """API ``lambdaCode``; open enum."""
    code_repository: Status | str | None = member("codeRepository", EnumCodec(Status))
    """API ``codeRepository``; open enum."""
    ami: Status | str | None = member("ami", EnumCodec(Status))
    """API ``ami``; open enum."""


@api_model("FailedAccount")
@attrs.frozen(kw_only=True)
class FailedAccount(RegionalModel):
    """API ``FailedAccount``: an account whose status could not be read or changed.

    One item of ``BatchGetAccountStatus``'s ``failedAccounts``; ``region`` is set by the
    fetcher.

    Examples:
        >>> f = FailedAccount.from_api({"accountId": "444455556666",
        ...     "errorCode": "ACCESS_DENIED", "errorMessage": "not a member"})
        >>> f.error_code, f.status
        (<ErrorCode.ACCESS_DENIED: 'ACCESS_DENIED'>, None)
    """

    # Kept by from_api_lenient only with these (they identify the record).
    __api_essential__: ClassVar[frozenset[str]] = frozenset({"accountId"})

    account_id: str = member("accountId", STRING, required=True)
    """API ``accountId`` (required)."""
    status: Status | str | None = member("status", EnumCodec(Status))
    """API ``status``: Inspector as a whole in the account; open enum."""
    resource_status: ResourceStatus | None = member("resourceStatus", ModelCodec(ResourceStatus))
    """API ``resourceStatus``."""
    error_code: ErrorCode | str = member("errorCode", EnumCodec(ErrorCode), required=True)
    """API ``errorCode`` (required); open enum."""
    error_message: str = member("errorMessage", STRING, required=True)
    """API ``errorMessage`` (required)."""


@api_model("Usage")
@attrs.frozen(kw_only=True)
class Usage(ApiModel):
    """API ``Usage``: one kind of metered usage over the last 30 days, and its cost.

    Examples:
        >>> u = Usage.from_api({"type": "EC2_INSTANCE_HOURS", "total": 1440.0,
        ...     "estimatedMonthlyCost": 2.5056, "currency": "USD"})
        >>> u.type, u.total, u.estimated_monthly_cost
        (<UsageType.EC2_INSTANCE_HOURS: 'EC2_INSTANCE_HOURS'>, 1440.0, 2.5056)
    """

    type: UsageType | str | None = member("type", EnumCodec(UsageType))
    """API ``type``: what is metered (instance hours, initial scans, ...); open enum."""
    total: float | None = member("total", DOUBLE)
    """API ``total``: the amount used (hours, scans)."""
    estimated_monthly_cost: float | None = member("estimatedMonthlyCost", DOUBLE)
    """API ``estimatedMonthlyCost``: AWS's own estimate, in ``currency``."""
    currency: Currency | str | None = member("currency", EnumCodec(Currency))
    """API ``currency``: USD; open enum."""
    cloud_provider: CloudProvider | str | None = member("cloudProvider", EnumCodec(CloudProvider))
    """API ``cloudProvider``: AWS, AZURE, GCP or NOT_APPLICABLE; open enum."""


@api_model("UsageTotal")
@attrs.frozen(kw_only=True)
class UsageTotal(RegionalModel):
    """API ``UsageTotal``: an account's metered usage over the last 30 days.

    One item of ``ListUsageTotals``' ``totals``. Usage is per region, so the fetcher
    records the ``region`` it read.

    Examples:
        >>> t = UsageTotal.from_api({"accountId": "111122223333", "usage": [
        ...     {"type": "ECR_INITIAL_SCAN", "total": 12.0, "estimatedMonthlyCost": 1.08,
        ...      "currency": "USD"}]}, region="us-east-1")
        >>> t.usage[0].type, t.region
        (<UsageType.ECR_INITIAL_SCAN: 'ECR_INITIAL_SCAN'>, 'us-east-1')
    """

    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    usage: tuple[Usage, ...] | None = member("usage", ListCodec(ModelCodec(Usage)))
    """API ``usage``: one entry per usage type."""


@api_model("Member")
@attrs.frozen(kw_only=True)
class Member(RegionalModel):
    """API ``Member``: an account in the delegated administrator's organisation.

    One item of ``ListMembers``' ``members``; ``region`` is set by the fetcher.

    Examples:
        >>> m = Member.from_api({"accountId": "444455556666", "relationshipStatus": "ENABLED",
        ...     "delegatedAdminAccountId": "111122223333",
        ...     "updatedAt": "2026-06-01T10:00:00Z"})
        >>> m.relationship_status, m.updated_at.isoformat()
        (<RelationshipStatus.ENABLED: 'ENABLED'>, '2026-06-01T10:00:00+00:00')
    """

    account_id: str | None = member("accountId", STRING)
    """API ``accountId``."""
    relationship_status: RelationshipStatus | str | None = member(
        "relationshipStatus", EnumCodec(RelationshipStatus)
    )
    """API ``relationshipStatus``: ENABLED, INVITED, REMOVED, ...; open enum."""
    delegated_admin_account_id: str | None = member("delegatedAdminAccountId", STRING)
    """API ``delegatedAdminAccountId``."""
    updated_at: datetime | None = member("updatedAt", TIMESTAMP)
    """API ``updatedAt`` (aware UTC)."""
