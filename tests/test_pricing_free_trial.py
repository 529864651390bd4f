"""Real free-trial dates change what is billed: free_trial_days() and estimate().

Independent truths: the overlap of two date ranges counted here by hand (in whole days or
seconds), and the arithmetic of the bill done with fractions.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from inspector_kit.errors import TimestampError, UsageError
from inspector_kit.models import FreeTrialAccountInfo
from inspector_kit.pricing import (
    BILLING_PERIOD_DAYS,
    Usage,
    UsageItem,
    estimate,
    free_trial_days,
)

UTC = timezone.utc
ACCOUNT = "111122223333"
PERIOD = date(2026, 12, 1)
EC2_PRICE = Fraction("1.2528")  # the bundled us-east-1 agent-based price


def _info(*trials: dict[str, Any], account: str = ACCOUNT, region: str = "us-east-1") -> Any:
    return FreeTrialAccountInfo.from_api(
        {"accountId": account, "freeTrialInfo": list(trials)}, region=region
    )


def _trial(kind: str, start: datetime, end: datetime, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "status": "ACTIVE", "start": start, "end": end, **extra}


def _at(day: int, hour: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, 1, tzinfo=UTC) + timedelta(days=day - 1, hours=hour, seconds=second)


def _billed(days: Decimal) -> Fraction:
    e = estimate(
        Usage(agent_based_hours=720),
        region="us-east-1",
        free_trial_days={UsageItem.EC2_AGENT_BASED: days},
    )
    return Fraction(e.total)


def test_the_period_is_thirty_days() -> None:
    assert BILLING_PERIOD_DAYS == 30


@pytest.mark.parametrize(
    ("end", "free"),
    [
        (_at(15), Fraction(14)),  # ends at the start of Dec 15: Dec 1-14 free
        (_at(15, 23, 3599), Fraction(15 * 86400 - 1, 86400)),  # its last day is Dec 15
        (_at(16), Fraction(15)),  # Dec 15, the trial's last day, is free; Dec 16 billed
        (_at(16, second=1), Fraction(15 * 86400 + 1, 86400)),
    ],
)
def test_the_trials_last_day_is_the_boundary(end: datetime, free: Fraction) -> None:
    start = _at(1) - timedelta(days=3)  # started before the period
    days = free_trial_days(
        [_info(_trial("EC2", start, end))], account_id=ACCOUNT, period_start=PERIOD
    )
    tiny = Fraction(1, 10**20)  # 28-digit decimals: exact to far below a second
    assert abs(Fraction(days[UsageItem.EC2_AGENT_BASED]) - free) < tiny
    assert days[UsageItem.EC2_AGENTLESS] == days[UsageItem.EC2_AGENT_BASED]  # one EC2 trial
    # What is billed: the rest of the month at the monthly price (by hand).
    assert abs(_billed(days[UsageItem.EC2_AGENT_BASED]) - EC2_PRICE * (30 - free) / 30) < Fraction(
        1, 10**20
    )


def test_a_trial_that_ended_before_or_starts_after_the_period_frees_nothing() -> None:
    before = _trial("EC2", _at(1) - timedelta(days=20), _at(1) - timedelta(days=5))
    after = _trial("EC2", _at(31), _at(46))
    days = free_trial_days([_info(before, after)], account_id=ACCOUNT, period_start=PERIOD)
    assert days[UsageItem.EC2_AGENT_BASED] == 0
    assert _billed(days[UsageItem.EC2_AGENT_BASED]) == EC2_PRICE  # the whole month billed


def test_no_reported_trial_means_no_free_days_not_an_assumed_fifteen() -> None:
    days = free_trial_days([], account_id=ACCOUNT, period_start=PERIOD)
    assert set(days) == {i for i in UsageItem if i.free_trial is not None}
    assert all(v == 0 for v in days.values())
    assert UsageItem.EC2_CIS_ASSESSMENT not in days


def test_a_trial_covering_the_whole_period_frees_it_all() -> None:
    trial = _trial("LAMBDA_CODE", _at(1) - timedelta(days=1), _at(40))
    days = free_trial_days([_info(trial)], account_id=ACCOUNT, period_start=PERIOD)
    assert days[UsageItem.LAMBDA_CODE] == 30
    assert days[UsageItem.LAMBDA_STANDARD] == 0  # another scan type, another trial
    e = estimate(
        Usage(lambda_code_hours=720, lambda_hours=720), region="us-east-1", free_trial_days=days
    )
    assert [line.item for line in e] == [UsageItem.LAMBDA_STANDARD]


def test_overlapping_trials_count_once() -> None:
    a = _trial("ECR", _at(1), _at(11))
    b = _trial("ECR", _at(6), _at(16))
    days = free_trial_days([_info(a, b)], account_id=ACCOUNT, period_start=PERIOD)
    assert days[UsageItem.ECR_INITIAL_SCAN] == days[UsageItem.ECR_RESCAN] == 15


def test_other_accounts_regions_and_clouds_do_not_count() -> None:
    trials = [
        _info(_trial("MACHINE_IMAGE", _at(1), _at(11)), account="444455556666"),
        _info(_trial("MACHINE_IMAGE", _at(1), _at(6)), region="eu-west-1"),
        _info(_trial("VM", _at(1), _at(3), cloudProvider="AZURE")),
        _info(_trial("CONTAINER_IMAGE", _at(1), _at(2))),  # no cloudProvider: both clouds
    ]
    days = free_trial_days(trials, account_id=ACCOUNT, period_start=PERIOD, region="us-east-1")
    assert days[UsageItem.EC2_AMI] == days[UsageItem.EC2_AMI_ONE_SHOT_SCAN] == 0
    assert days[UsageItem.AZURE_VM_AGENT_BASED] == 2
    assert days[UsageItem.GCP_VM_AGENT_BASED] == 0
    assert days[UsageItem.AZURE_CONTAINER_RESCAN] == days[UsageItem.GCP_CONTAINER_RESCAN] == 1
    anywhere = free_trial_days(trials, account_id=ACCOUNT, period_start=PERIOD)
    assert anywhere[UsageItem.EC2_AMI] == 5  # the eu-west-1 trial, when no region is given


def test_period_start_may_be_an_aware_datetime_but_not_a_naive_one() -> None:
    trial = _trial("EC2", _at(1), _at(3))
    noon = datetime(2026, 12, 1, 12, tzinfo=UTC)
    days = free_trial_days([_info(trial)], account_id=ACCOUNT, period_start=noon)
    assert days[UsageItem.EC2_AGENT_BASED] == Decimal("1.5")
    with pytest.raises(TimestampError, match="period_start"):
        free_trial_days([_info(trial)], account_id=ACCOUNT, period_start=datetime(2026, 12, 1))
    with pytest.raises(UsageError, match="period_start"):
        free_trial_days([], account_id=ACCOUNT, period_start="2026-12-01")  # type: ignore[arg-type]


def test_estimate_accepts_exact_decimal_days_and_refuses_others() -> None:
    assert estimate(
        Usage(ecr_rescans=30), region="us-east-1", free_trial_days=Decimal("7.5")
    ).total == Decimal("0.225")  # 22.5 x 0.01
    for bad in (Decimal("NaN"), Decimal("30.5"), -1, 1.5, True):
        with pytest.raises(UsageError, match="must be 0 to 30"):
            estimate(Usage(ecr_rescans=1), region="us-east-1", free_trial_days=bad)  # type: ignore[arg-type]
