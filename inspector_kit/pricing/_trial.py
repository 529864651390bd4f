"""Free trials from their real dates: how much of a 30-day billing period is free, per item.

``BatchGetFreeTrialInfo`` (``Inspector.free_trial_info``) gives each account's trials with
their ``start`` and ``end``, per scan type (docs/facts.md#cost). This module turns them into
the days of a 30-day period that fall inside a trial, exactly (to the second), for
[`estimate`][inspector_kit.pricing.estimate]'s ``free_trial_days``: nothing is assumed
about a trial's length. Pure: it reads models, never AWS.
"""

from __future__ import annotations

import decimal
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING

from inspector_kit.errors import UsageError
from inspector_kit.models._time import as_utc

from ._price import CONTEXT, UsageItem

if TYPE_CHECKING:
    from collections.abc import Iterable

    from inspector_kit.models import FreeTrialAccountInfo, FreeTrialInfo

__all__ = ["BILLING_PERIOD_DAYS", "free_trial_days"]

BILLING_PERIOD_DAYS = 30
"""The period an estimate covers: Inspector's 30-day month (720 hours, docs/facts.md#cost)."""

_SECONDS_PER_DAY = Decimal(86400)


def _period_start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value, what="period_start", naive="reject")
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=timezone.utc)
    raise UsageError(f"period_start must be a date or an aware datetime; got {value!r}")


def _covers(trial: FreeTrialInfo, kind: str, provider: str | None) -> bool:
    if str(trial.type) != kind:
        return False
    # A multi-cloud trial names its cloud; one without cloudProvider is taken to cover every
    # cloud of its type (assumption, docs/facts.md#cost).
    return provider is None or trial.cloud_provider is None or str(trial.cloud_provider) == provider


def free_trial_days(
    trials: Iterable[FreeTrialAccountInfo],
    *,
    account_id: str,
    period_start: date | datetime,
    region: str | None = None,
) -> dict[UsageItem, Decimal]:
    """Days of the 30-day period from ``period_start`` inside each item's real free trial.

    For every [`UsageItem`][inspector_kit.pricing.UsageItem] that has a trial
    (``UsageItem.free_trial``), the time the account's trials of that type overlap
    ``[period_start, period_start + 30 days)``, in days (an exact ``Decimal``, 0 to 30). A
    trial runs from its ``start`` to its ``end`` (``end`` excluded): usage on the trial's
    last day is free, usage from ``end`` on is billed. An item whose trial is not reported
    gets 0: the library does not assume a trial the account does not have. CIS
    assessments have no trial and are not in the result. Pass the result to
    [`estimate`][inspector_kit.pricing.estimate] as ``free_trial_days``; it assumes the
    usage is spread evenly over the period.

    Args:
        trials: ``FreeTrialAccountInfo`` items, e.g. what
            [`Inspector.free_trial_info`][inspector_kit.fetch.Inspector.free_trial_info]
            returns.
        account_id: The account whose trials count.
        period_start: The first instant of the period: an aware ``datetime``, or a ``date``
            (midnight UTC). A naive datetime is a
            [`TimestampError`][inspector_kit.errors.TimestampError].
        region: Only trials read in this region (trials are per region; default: any).

    Examples:
        >>> from datetime import date
        >>> from decimal import Decimal
        >>> from inspector_kit.models import FreeTrialAccountInfo
        >>> from inspector_kit.pricing import Usage, estimate
        >>> info = FreeTrialAccountInfo.from_api({"accountId": "111122223333",
        ...     "freeTrialInfo": [{"type": "EC2", "status": "ACTIVE",
        ...     "start": "2026-11-20T00:00:00Z", "end": "2026-12-05T00:00:00Z"}]},
        ...     region="us-east-1")
        >>> days = free_trial_days([info], account_id="111122223333",
        ...                        period_start=date(2026, 12, 1))
        >>> days[UsageItem.EC2_AGENT_BASED], days[UsageItem.ECR_RESCAN]
        (Decimal('4'), Decimal('0'))
        >>> e = estimate(Usage(agent_based_hours=720), region="us-east-1", free_trial_days=days)
        >>> e.total == Decimal("1.2528") * 26 / 30, e.notes[0]
        (True, 'free trial: 4 of 30 days of ec2_agent_based free, so 26/30 is billed')
    """
    begin = _period_start(period_start)
    end = begin + timedelta(days=BILLING_PERIOD_DAYS)
    mine = [
        trial
        for account in trials
        if account.account_id == account_id
        and (region is None or account.region is None or account.region == region)
        for trial in account.free_trial_info
    ]
    out: dict[UsageItem, Decimal] = {}
    for item in UsageItem:
        if item.free_trial is None:
            continue
        kind, provider = item.free_trial
        spans = sorted(
            (max(t.start, begin), min(t.end, end))
            for t in mine
            if _covers(t, kind, provider) and t.start < end and t.end > begin
        )
        seconds = 0
        reached = begin
        for low, high in spans:  # the union of the trials, so overlaps count once
            low = max(low, reached)
            if high > low:
                seconds += int((high - low).total_seconds())
                reached = high
        with decimal.localcontext(CONTEXT):
            out[item] = Decimal(seconds) / _SECONDS_PER_DAY
    return out
