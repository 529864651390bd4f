"""Account: scan configuration, deep inspection, account status, usage and members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspector_kit import _limits
from inspector_kit.models import (
    AccountState,
    Configuration,
    DeepInspectionConfiguration,
    FailedAccount,
    Member,
    UsageTotal,
)

from ._pages import call
from ._records import Records, regional, strip_metadata
from ._results import AccountStatuses

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ._core import Core
    from ._stream import ItemIssue, Progress, ResultStream

__all__ = [
    "account_status",
    "configuration",
    "deep_inspection_configuration",
    "members",
    "usage_totals",
]


def configuration(core: Core, region: str | None) -> Configuration:
    """``Inspector.configuration <inspector_kit.Inspector.configuration>``."""
    region = region or core.regions[0]
    response = call(
        core.clients.get(region), "GetConfiguration", "get_configuration", {}, region=region
    )
    return Configuration.from_api(strip_metadata(response), region=region)


def deep_inspection_configuration(core: Core, region: str | None) -> DeepInspectionConfiguration:
    """``GetEc2DeepInspectionConfiguration`` in one region (see the facade's method)."""
    region = region or core.regions[0]
    response = call(
        core.clients.get(region),
        "GetEc2DeepInspectionConfiguration",
        "get_ec2_deep_inspection_configuration",
        {},
        region=region,
    )
    return DeepInspectionConfiguration.from_api(strip_metadata(response), region=region)


def account_status(
    core: Core,
    account_ids: Iterable[str] | None,
    *,
    regions: str | Iterable[str] | None,
    strict: bool,
) -> AccountStatuses:
    """``Inspector.account_status <inspector_kit.Inspector.account_status>``."""
    ids = list(dict.fromkeys(account_ids)) if account_ids is not None else None
    targets = core.resolve(regions)
    size = _limits.ACCOUNT_STATUS_BATCH
    batches = [ids[i : i + size] for i in range(0, len(ids), size)] if ids else [None]

    def one(region: str) -> tuple[list[AccountState], list[FailedAccount], list[ItemIssue]]:
        client = core.clients.get(region)
        records = Records(region, strict=strict)
        states: list[AccountState] = []
        failed: list[FailedAccount] = []
        for number, batch in enumerate(batches, 1):
            params = {"accountIds": batch} if batch is not None else {}
            response = call(
                client, "BatchGetAccountStatus", "batch_get_account_status", params, region=region
            )
            states.extend(records.decode(AccountState, response.get("accounts"), number))
            failed.extend(records.decode(FailedAccount, response.get("failedAccounts"), number))
        return states, failed, records.errors

    results, errors = core.per_region(targets, one, strict=strict)
    return AccountStatuses(
        accounts=tuple(s for r in targets if r in results for s in results[r][0]),
        failed=tuple(f for r in targets if r in results for f in results[r][1]),
        errors=errors,
        item_errors=tuple(e for r in targets if r in results for e in results[r][2]),
    )


def usage_totals(
    core: Core,
    account_ids: Iterable[str] | None,
    *,
    regions: str | Iterable[str] | None,
    strict: bool,
    on_progress: Callable[[Progress], None] | None,
) -> ResultStream[UsageTotal]:
    """``Inspector.usage_totals <inspector_kit.Inspector.usage_totals>``."""
    params: dict[str, Any] = {"maxResults": _limits.USAGE_PAGE}
    if account_ids is not None:
        params["accountIds"] = list(dict.fromkeys(account_ids))
    return core.stream(
        "ListUsageTotals",
        "list_usage_totals",
        params,
        "totals",
        regional(UsageTotal),
        regions=regions,
        strict=strict,
        on_progress=on_progress,
    )


def members(
    core: Core, *, only_associated: bool, regions: str | Iterable[str] | None, strict: bool
) -> ResultStream[Member]:
    """``Inspector.members <inspector_kit.Inspector.members>``, on ``core``."""
    params: dict[str, Any] = {
        "maxResults": _limits.MEMBERS_PAGE,
        "onlyAssociated": only_associated,
    }
    return core.stream(
        "ListMembers",
        "list_members",
        params,
        "members",
        regional(Member),
        regions=regions,
        key=lambda m: (m.region, m.account_id),
        strict=strict,
    )
