"""Free trials: ``BatchGetFreeTrialInfo``'s ``accounts`` and ``failedAccounts``.

``FreeTrialAccountInfo`` holds one account's trials (one ``FreeTrialInfo`` per scan type,
with its real ``start`` and ``end``); ``FreeTrialInfoError`` an account Inspector could not
report on. One class per botocore structure, one attribute per member; the enums are
named as their shapes are (docs/facts.md#cost).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from ._codec import STRING, TIMESTAMP, ApiModel, EnumCodec, ListCodec, ModelCodec, api_model, member
from ._enums import ApiEnum, CloudProvider
from ._regional import RegionalModel

__all__ = [
    "FreeTrialAccountInfo",
    "FreeTrialInfo",
    "FreeTrialInfoError",
    "FreeTrialInfoErrorCode",
    "FreeTrialStatus",
    "FreeTrialType",
]


class FreeTrialType(ApiEnum):
    """API ``FreeTrialType``: the scan type a free trial covers.

    ``VM``, ``CONTAINER_IMAGE`` and ``SERVERLESS_FUNCTION`` are the multi-cloud scan types
    (with the trial's ``cloudProvider``); ``MACHINE_IMAGE`` is AMI scanning.

    Examples:
        >>> FreeTrialType("MACHINE_IMAGE").name
        'MACHINE_IMAGE'
    """

    EC2 = "EC2"
    ECR = "ECR"
    LAMBDA = "LAMBDA"
    LAMBDA_CODE = "LAMBDA_CODE"
    CODE_REPOSITORY = "CODE_REPOSITORY"
    VM = "VM"
    CONTAINER_IMAGE = "CONTAINER_IMAGE"
    SERVERLESS_FUNCTION = "SERVERLESS_FUNCTION"
    MACHINE_IMAGE = "MACHINE_IMAGE"


class FreeTrialStatus(ApiEnum):
    """API ``FreeTrialStatus``: whether the trial is running.

    Examples:
        >>> FreeTrialStatus("ACTIVE") == "ACTIVE"
        True
    """

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class FreeTrialInfoErrorCode(ApiEnum):
    """API ``FreeTrialInfoErrorCode``: why an account's trials could not be read.

    Examples:
        >>> FreeTrialInfoErrorCode("ACCESS_DENIED").value
        'ACCESS_DENIED'
    """

    ACCESS_DENIED = "ACCESS_DENIED"
    INTERNAL_ERROR = "INTERNAL_ERROR"


@api_model("FreeTrialInfo")
@attrs.frozen(kw_only=True)
class FreeTrialInfo(ApiModel):
    """API ``FreeTrialInfo``: one scan type's free trial in an account, with its real dates.

    Examples:
        >>> t = FreeTrialInfo.from_api({"type": "EC2", "status": "ACTIVE",
        ...     "start": "2026-12-01T00:00:00Z", "end": "2026-12-16T00:00:00Z"})
        >>> t.type, t.start.isoformat(), t.end.isoformat()
        (<FreeTrialType.EC2: 'EC2'>, '2026-12-01T00:00:00+00:00', '2026-12-16T00:00:00+00:00')
    """

    type: FreeTrialType | str = member("type", EnumCodec(FreeTrialType), required=True)
    """API ``type`` (required): the scan type covered; open enum."""
    start: datetime = member("start", TIMESTAMP, required=True)
    """API ``start`` (required): when the trial started (aware UTC)."""
    end: datetime = member("end", TIMESTAMP, required=True)
    """API ``end`` (required): when the trial ends (aware UTC)."""
    status: FreeTrialStatus | str = member("status", EnumCodec(FreeTrialStatus), required=True)
    """API ``status`` (required): ACTIVE or INACTIVE; open enum."""
    cloud_provider: CloudProvider | str | None = member("cloudProvider", EnumCodec(CloudProvider))
    """API ``cloudProvider``: which cloud a multi-cloud trial is for; open enum."""


@api_model("FreeTrialAccountInfo")
@attrs.frozen(kw_only=True)
class FreeTrialAccountInfo(RegionalModel):
    """API ``FreeTrialAccountInfo``: an account's free trials, one per scan type.

    One item of ``BatchGetFreeTrialInfo``'s ``accounts``; ``region`` is set by the fetcher.

    Examples:
        >>> a = FreeTrialAccountInfo.from_api({"accountId": "111122223333", "freeTrialInfo": [
        ...     {"type": "ECR", "status": "INACTIVE", "start": "2026-01-01T00:00:00Z",
        ...      "end": "2026-01-16T00:00:00Z"}]}, region="us-east-1")
        >>> a.account_id, a.free_trial_info[0].status, a.region
        ('111122223333', <FreeTrialStatus.INACTIVE: 'INACTIVE'>, 'us-east-1')
    """

    # Kept by from_api_lenient only with these (they identify the record).
    __api_essential__: ClassVar[frozenset[str]] = frozenset({"accountId"})

    account_id: str = member("accountId", STRING, required=True)
    """API ``accountId`` (required)."""
    free_trial_info: tuple[FreeTrialInfo, ...] = member(
        "freeTrialInfo", ListCodec(ModelCodec(FreeTrialInfo)), required=True
    )
    """API ``freeTrialInfo`` (required): one entry per scan type."""


@api_model("FreeTrialInfoError")
@attrs.frozen(kw_only=True)
class FreeTrialInfoError(RegionalModel):
    """API ``FreeTrialInfoError``: an account whose free trials could not be read.

    One item of ``BatchGetFreeTrialInfo``'s ``failedAccounts``; ``region`` is set by the
    fetcher.

    Examples:
        >>> e = FreeTrialInfoError.from_api({"accountId": "444455556666",
        ...     "code": "ACCESS_DENIED", "message": "not a member"}, region="eu-west-1")
        >>> e.code, e.message
        (<FreeTrialInfoErrorCode.ACCESS_DENIED: 'ACCESS_DENIED'>, 'not a member')
    """

    # Kept by from_api_lenient only with these (they identify the record).
    __api_essential__: ClassVar[frozenset[str]] = frozenset({"accountId"})

    account_id: str = member("accountId", STRING, required=True)
    """API ``accountId`` (required)."""
    code: FreeTrialInfoErrorCode | str = member(
        "code", EnumCodec(FreeTrialInfoErrorCode), required=True
    )
    """API ``code`` (required): ACCESS_DENIED or INTERNAL_ERROR; open enum."""
    message: str = member("message", STRING, required=True)
    """API ``message`` (required)."""
