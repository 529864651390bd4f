"""Free trials: ``BatchGetFreeTrialInfo`` over regions, in batches of 100 accounts.

Each account's real trial dates (per scan type) replace the 15-day assumption of the cost
estimate: [`free_trial_days`][inspector_kit.pricing.free_trial_days] turns them into the
days of a billing period that are free (docs/cost.md, docs/facts.md#cost). An account
Inspector could not report on is kept in ``failed`` with its code and message, and an
account a region answered nothing about is listed in ``unreported``: none is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from inspector_kit import _limits
from inspector_kit._records import RecordsMixin, RecordValue
from inspector_kit.models import FreeTrialAccountInfo, FreeTrialInfo, FreeTrialInfoError

from ._pages import call
from ._records import Records
from ._results import _Regional

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ._core import Core
    from ._stream import ItemIssue

__all__ = ["FreeTrials", "free_trial_info"]


@attrs.frozen
class FreeTrials(RecordsMixin, _Regional):
    """``BatchGetFreeTrialInfo`` over regions: each account's trials, and who failed.

    Iterating gives the [`FreeTrialAccountInfo`][inspector_kit.models.FreeTrialAccountInfo]
    items (each with its ``region``), which is what
    [`free_trial_days`][inspector_kit.pricing.free_trial_days] reads.

    Attributes:
        accounts: One ``FreeTrialAccountInfo`` per account and region that answered.
        failed: One [`FreeTrialInfoError`][inspector_kit.models.FreeTrialInfoError] per account
            Inspector could not report on (``ACCESS_DENIED``, ``INTERNAL_ERROR``), per region.
        unreported: ``(account_id, region)`` pairs asked for that a region that answered
            listed neither in ``accounts`` nor in ``failedAccounts``.

    Examples:
        >>> from inspector_kit.models import FreeTrialAccountInfo
        >>> info = FreeTrialAccountInfo.from_api({"accountId": "111122223333",
        ...     "freeTrialInfo": [{"type": "EC2", "status": "ACTIVE",
        ...     "start": "2026-12-01T00:00:00Z", "end": "2026-12-16T00:00:00Z"}]},
        ...     region="us-east-1")
        >>> trials = FreeTrials(accounts=(info,))
        >>> trials.get("111122223333", "us-east-1", "EC2").end.date().isoformat()
        '2026-12-16'
        >>> trials.to_records()[0]["status"], len(trials)
        ('ACTIVE', 1)
    """

    accounts: tuple[FreeTrialAccountInfo, ...] = ()
    failed: tuple[FreeTrialInfoError, ...] = ()
    unreported: tuple[tuple[str, str], ...] = ()

    columns: ClassVar[tuple[str, ...]] = (
        "account_id",
        "region",
        "type",
        "cloud_provider",
        "status",
        "start",
        "end",
    )
    """The keys of [`to_records`][inspector_kit.fetch.FreeTrials.to_records], in order."""

    def __iter__(self) -> Iterator[FreeTrialAccountInfo]:
        return iter(self.accounts)

    def __len__(self) -> int:
        return len(self.accounts)

    def get(
        self, account_id: str, region: str, trial_type: str, *, cloud_provider: str | None = None
    ) -> FreeTrialInfo | None:
        """One account's trial of one scan type in one region, or ``None`` when not reported."""
        for account in self.accounts:
            if account.account_id != account_id or account.region != region:
                continue
            for trial in account.free_trial_info:
                provider_ok = cloud_provider is None or trial.cloud_provider == cloud_provider
                if trial.type == trial_type and provider_ok:
                    return trial
        return None

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row per account, region and trial; keys ``columns`` (dates are aware UTC)."""
        return [
            {
                "account_id": account.account_id,
                "region": account.region,
                "type": str(trial.type),
                "cloud_provider": _text(trial.cloud_provider),
                "status": str(trial.status),
                "start": trial.start,
                "end": trial.end,
            }
            for account in self.accounts
            for trial in account.free_trial_info
        ]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def free_trial_info(
    core: Core,
    account_ids: Iterable[str],
    *,
    regions: str | Iterable[str] | None,
    strict: bool,
) -> FreeTrials:
    """``Inspector.free_trial_info <inspector_kit.Inspector.free_trial_info>``."""
    if isinstance(account_ids, str):
        account_ids = [account_ids]
    ids = list(dict.fromkeys(account_ids))
    targets = core.resolve(regions)
    size = _limits.FREE_TRIAL_BATCH
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]

    Answer = tuple[list[FreeTrialAccountInfo], list[FreeTrialInfoError], list["ItemIssue"]]

    def one(region: str) -> Answer:
        client = core.clients.get(region)
        records = Records(region, strict=strict)
        accounts: list[FreeTrialAccountInfo] = []
        failed: list[FreeTrialInfoError] = []
        for number, batch in enumerate(batches, 1):
            params: dict[str, Any] = {"accountIds": batch}
            response = call(
                client, "BatchGetFreeTrialInfo", "batch_get_free_trial_info", params, region=region
            )
            accounts.extend(records.decode(FreeTrialAccountInfo, response.get("accounts"), number))
            failed.extend(
                records.decode(FreeTrialInfoError, response.get("failedAccounts"), number)
            )
        return accounts, failed, records.errors

    results, errors = core.per_region(targets, one, strict=strict) if ids else ({}, {})
    answered = [r for r in targets if r in results]
    unreported: list[tuple[str, str]] = []
    for region in answered:
        seen = {a.account_id for a in results[region][0]}
        seen.update(f.account_id for f in results[region][1])
        unreported.extend((account, region) for account in ids if account not in seen)
    return FreeTrials(
        accounts=tuple(a for r in answered for a in results[r][0]),
        failed=tuple(f for r in answered for f in results[r][1]),
        unreported=tuple(unreported),
        errors=errors,
        item_errors=tuple(e for r in answered for e in results[r][2]),
    )
