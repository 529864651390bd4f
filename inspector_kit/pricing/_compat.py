"""Deprecated entry points of pricing that reach the I/O layer.

``PriceTable.from_price_list <inspector_kit.pricing.PriceTable.from_price_list>``
called the AWS Price List API from the pure package. It now warns and delegates to
[`fetch_price_table`][inspector_kit.fetch.fetch_price_table]. This module is the ONLY place in
``inspector_kit.pricing`` that imports ``inspector_kit.fetch`` (and so boto3), and only
inside the deprecated function, when it is called; the purity tests exempt it by name.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._table import PriceTable

__all__ = ["from_price_list"]


def from_price_list(
    session: Any = None,  # a boto3 Session (not imported here: pricing is pure)
    *,
    regions: str | Iterable[str] | None = None,
    client: Any = None,
) -> PriceTable:
    """``PriceTable.from_price_list``: warn, then ``fetch_price_table``.

    Examples:
        >>> import warnings, boto3
        >>> from botocore.stub import Stubber
        >>> client = boto3.client("pricing", region_name="us-east-1")
        >>> with Stubber(client) as stub, warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     stub.add_response("get_products", {"PriceList": []})
        ...     table = from_price_list(client=client)
        >>> str(caught[0].message)  # doctest: +ELLIPSIS
        'PriceTable.from_price_list() is deprecated; use inspector_kit.fetch.fetch_price_table()...'
    """
    warnings.warn(
        "PriceTable.from_price_list() is deprecated; use "
        "inspector_kit.fetch.fetch_price_table() (same arguments): calling AWS is I/O, "
        "which lives in inspector_kit.fetch",
        DeprecationWarning,
        stacklevel=3,
    )
    from inspector_kit.fetch import fetch_price_table  # the one allowed reach into fetch

    return fetch_price_table(session, regions=regions, client=client)
