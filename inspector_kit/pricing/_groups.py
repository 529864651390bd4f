"""Cost estimates grouped by account and by organisational unit (OU).

Inspector bills each account in each region for its own usage (docs/facts.md#cost: EC2 is
the average number of instances assessed per month, per account and region; no price in the
bundled table depends on volume), so a group's estimate is the sum of its accounts' estimates,
each region at its own prices, in exact ``Decimal``; the groups add up to the estate's
estimate. An account the directory does not know is counted under ``"(unknown OU)"``.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ._estimate import compare_modes
from ._price import CONTEXT, HOURS_PER_MONTH

if TYPE_CHECKING:
    from inspector_kit._accounts_dir import AccountDirectory, AccountGroups
    from inspector_kit.coverage import CoverageReport, InstanceCoverage

    from ._table import PriceTable

__all__ = [
    "COST_GROUP_COLUMNS",
    "cost_by_account",
    "cost_by_ou",
]

COST_GROUP_COLUMNS: tuple[str, ...] = (
    "instances",
    "current",
    "switch",
    "agent_based",
    "hybrid",
    "added",
    "currency",
    "unpriced_instances",
    "unpriced_regions",
)
"""The columns of [`cost_by_account`][inspector_kit.pricing.cost_by_account] and
[`cost_by_ou`][inspector_kit.pricing.cost_by_ou] after the group's own: per month, exact
``Decimal`` over the group's priced regions, as
[`ModeComparison`][inspector_kit.pricing.ModeComparison]'s totals (``current`` now, ``switch``
what switching to hybrid adds, every account ``agent_based`` or ``hybrid``, ``added`` their
difference); the group's instances in regions without a price are counted and their regions
named, never priced as zero."""


def _cost_group(
    report: CoverageReport, prices: PriceTable | None, hours: Decimal | int | str
) -> Any:
    def count(members: list[InstanceCoverage]) -> dict[str, Any]:
        modes = compare_modes(
            attrs.evolve(report, instances=tuple(members)), prices=prices, hours=hours
        )
        priced = modes.current or modes.hybrid
        with decimal.localcontext(CONTEXT):
            return {
                "instances": len(members),
                "current": modes.current_total,
                "switch": modes.switch_cost(),
                "agent_based": modes.agent_based_total,
                "hybrid": modes.hybrid_total,
                "added": modes.added,
                "currency": priced[0].currency if priced else None,
                "unpriced_instances": len(modes.unpriced_instances),
                "unpriced_regions": ";".join(str(e.region) for e in modes.unpriced) or None,
            }

    return count


def cost_by_account(
    report: CoverageReport,
    directory: AccountDirectory | None = None,
    *,
    prices: PriceTable | None = None,
    hours: Decimal | int | str = HOURS_PER_MONTH,
) -> AccountGroups:
    """The EC2 estate's monthly cost per account: now, and in agent-based vs hybrid mode.

    [`compare_modes`][inspector_kit.pricing.compare_modes] for each account's instances;
    columns ``account_id``, ``account_name``, ``ou`` (from ``directory``), then
    [`COST_GROUP_COLUMNS`][inspector_kit.pricing.COST_GROUP_COLUMNS].

    Examples:
        >>> from inspector_kit.pricing import compare_modes, cost_by_account
        >>> from inspector_kit.sample import sample_accounts, sample_inventory
        >>> report = sample_inventory().analyze()
        >>> groups = cost_by_account(report, sample_accounts())
        >>> [(r["account_name"], r["current"], r["unpriced_regions"]) for r in groups]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('shop-prod', Decimal('9.5472'), None),
         ('security-tooling', Decimal('1.2528'), 'eu-west-1'),
         ('shop-staging', Decimal('8.9136'), 'eu-west-1')]
        >>> sum(r["current"] for r in groups) == compare_modes(report).current_total
        True
    """
    from inspector_kit._accounts_dir import grouped

    return grouped(
        report.instances,
        lambda c: c.account_id,
        _cost_group(report, prices, hours),
        COST_GROUP_COLUMNS,
        by="account",
        directory=directory,
        title="Monthly EC2 cost by account (USD)",
    )


def cost_by_ou(
    report: CoverageReport,
    directory: AccountDirectory,
    *,
    depth: int | None = None,
    prices: PriceTable | None = None,
    hours: Decimal | int | str = HOURS_PER_MONTH,
) -> AccountGroups:
    """The EC2 estate's monthly cost per OU (path cut to ``depth`` names): sums of accounts.

    Columns ``ou``, ``accounts``, then
    [`COST_GROUP_COLUMNS`][inspector_kit.pricing.COST_GROUP_COLUMNS].

    Examples:
        >>> from inspector_kit.pricing import cost_by_ou
        >>> from inspector_kit.sample import sample_accounts, sample_inventory
        >>> groups = cost_by_ou(sample_inventory().analyze(), sample_accounts(), depth=2)
        >>> [(r["ou"], r["accounts"], r["current"], r["hybrid"]) for r in groups]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('Root/Security', 1, Decimal('1.2528'), Decimal('1.2528')),
         ('Root/Workloads', 2, Decimal('18.4608'), Decimal('20.2104'))]
    """
    from inspector_kit._accounts_dir import grouped

    return grouped(
        report.instances,
        lambda c: c.account_id,
        _cost_group(report, prices, hours),
        COST_GROUP_COLUMNS,
        by="ou",
        directory=directory,
        depth=depth,
        title="Monthly EC2 cost by OU (USD)",
    )
