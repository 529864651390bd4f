"""What Inspector costs: dated price tables with sources, estimates and what-ifs.

Pure: money is ``Decimal``, never float; a price nobody documented is never
guessed ([`PriceNotFoundError`][inspector_kit.pricing.PriceNotFoundError]). A
[`PriceTable`][inspector_kit.pricing.PriceTable] is built from the bundled data, a price file or AWS
Price List documents; fetching those documents from AWS is I/O and lives in
[`fetch_price_table`][inspector_kit.fetch.fetch_price_table]. Nothing here imports boto3 or botocore
(the deprecated [`PriceTable.from_price_list`][inspector_kit.pricing.PriceTable.from_price_list]
alias reaches ``fetch`` when called). Every usage type Inspector bills is a
[`UsageItem`][inspector_kit.pricing.UsageItem], priced or listed in ``UNPRICED`` with the reason;
[`free_trial_days`][inspector_kit.pricing.free_trial_days] reads each account's real free-trial
dates. Every result has ``columns`` and ``to_records()``. Facts and sources: docs/facts.md#cost.

Examples:
    >>> from inspector_kit.pricing import Usage, estimate
    >>> estimate(Usage(agent_based_hours=720), region="us-east-1").total
    Decimal('1.2528')
"""

from __future__ import annotations

from inspector_kit.errors import PriceFileError, PriceNotFoundError, UsageError

from ._estimate import (
    FREE_TRIAL_DAYS,
    USAGE_GROUP_COLUMNS,
    AwsComparison,
    CostEstimate,
    CostLine,
    ModeComparison,
    Usage,
    compare_modes,
    compare_regions,
    compare_with_aws,
    estimate,
)
from ._files import MAX_PRICE_FILE_BYTES
from ._groups import COST_GROUP_COLUMNS, cost_by_account, cost_by_ou
from ._price import HOURS_PER_MONTH, UNPRICED, Price, UsageItem
from ._pricelist import PRICE_LIST_MAPPING, PRICE_LIST_SERVICE_CODE, PriceListRule
from ._table import PriceTable
from ._trial import BILLING_PERIOD_DAYS, free_trial_days

__all__ = [
    "BILLING_PERIOD_DAYS",
    "COST_GROUP_COLUMNS",
    "FREE_TRIAL_DAYS",
    "HOURS_PER_MONTH",
    "MAX_PRICE_FILE_BYTES",
    "PRICE_LIST_MAPPING",
    "PRICE_LIST_SERVICE_CODE",
    "UNPRICED",
    "USAGE_GROUP_COLUMNS",
    "AwsComparison",
    "CostEstimate",
    "CostLine",
    "ModeComparison",
    "Price",
    "PriceFileError",
    "PriceListRule",
    "PriceNotFoundError",
    "PriceTable",
    "Usage",
    "UsageError",
    "UsageItem",
    "compare_modes",
    "compare_regions",
    "compare_with_aws",
    "cost_by_account",
    "cost_by_ou",
    "estimate",
    "free_trial_days",
]
