"""What Inspector costs: dated price tables with sources, estimates and what-ifs.

Pure: money is :class:`~decimal.Decimal`, never float; a price nobody documented is never
guessed (:class:`PriceNotFoundError`). Facts and sources: DOMAIN.md §5.
"""

from __future__ import annotations

from ._estimate import (
    FREE_TRIAL_DAYS,
    HOURS_PER_MONTH,
    AwsComparison,
    CostEstimate,
    CostLine,
    ModeComparison,
    Usage,
    UsageError,
    compare_modes,
    compare_regions,
    compare_with_aws,
    estimate,
)
from ._table import (
    MAX_PRICE_FILE_BYTES,
    PRICE_LIST_MAPPING,
    Price,
    PriceFileError,
    PriceListRule,
    PriceNotFoundError,
    PriceTable,
    UsageItem,
)

__all__ = [
    "FREE_TRIAL_DAYS",
    "HOURS_PER_MONTH",
    "MAX_PRICE_FILE_BYTES",
    "PRICE_LIST_MAPPING",
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
    "estimate",
]
