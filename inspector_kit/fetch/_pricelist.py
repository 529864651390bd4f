"""The AWS Price List call: ``pricing:GetProducts`` for Amazon Inspector, all pages.

I/O only. The documents it reads become a [`PriceTable`][inspector_kit.pricing.PriceTable] in the
pure :meth:`PriceTable.from_price_list_documents
<inspector_kit.pricing.PriceTable.from_price_list_documents>`; this module owns the session,
the client (the Price List endpoint is in us-east-1), the pagination, the region names
botocore knows, and the translation of AWS failures into
[`FetchError`][inspector_kit.errors.FetchError].
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from inspector_kit.pricing import PRICE_LIST_SERVICE_CODE, PriceTable

from ._errors import translate

if TYPE_CHECKING:
    from collections.abc import Iterable

    import boto3

__all__ = ["fetch_price_table"]

#: The Price List API's endpoint region (it also serves ap-south-1 and eu-central-1).
_PRICE_LIST_REGION = "us-east-1"


def fetch_price_table(
    session: boto3.session.Session | None = None,
    *,
    regions: str | Iterable[str] | None = None,
    client: Any = None,
) -> PriceTable:
    """Prices from the AWS Price List API (``pricing:GetProducts``, all pages).

    Reads every ``AmazonInspectorV2`` product from the ``pricing`` endpoint in us-east-1
    (``client`` if given, else ``session`` or a default session) and builds the table with
    :meth:`PriceTable.from_price_list_documents
    <inspector_kit.pricing.PriceTable.from_price_list_documents>` (``regions`` keeps only
    those; a product without ``regionCode`` is placed by its ``location``, looked up in
    botocore's region names). Products that cannot be mapped are listed in
    ``PriceTable.unmapped``, never guessed. AWS failures raise
    [`FetchError`][inspector_kit.errors.FetchError] (``AccessDeniedError``, ...) naming
    ``GetProducts`` and us-east-1.

    Examples:
        >>> import json, boto3
        >>> from botocore.stub import Stubber
        >>> client = boto3.client("pricing", region_name="us-east-1")
        >>> product = {  # a made-up price
        ...     "product": {"sku": "S1", "attributes": {
        ...         "regionCode": "eu-west-1", "usagetype": "EUW1-Inspector-EC2-Agentless"}},
        ...     "terms": {"OnDemand": {"S1.T": {"effectiveDate": "2024-04-01T00:00:00Z",
        ...         "priceDimensions": {"S1.T.D": {"unit": "Hrs",
        ...             "pricePerUnit": {"USD": "0.0025"}, "description": "..."}}}}}}
        >>> with Stubber(client) as stub:
        ...     stub.add_response("get_products", {"PriceList": [json.dumps(product)]})
        ...     table = fetch_price_table(client=client)
        >>> table.price("eu-west-1", "ec2_agentless").amount  # 0.0025 x 720 hours
        Decimal('1.8')
    """
    if client is None:
        if session is None:
            import boto3

            session = boto3.Session()
        client = session.client("pricing", region_name=_PRICE_LIST_REGION)
    documents: list[Any] = []
    try:
        pages = client.get_paginator("get_products").paginate(
            ServiceCode=PRICE_LIST_SERVICE_CODE, FormatVersion="aws_v1"
        )
        for page in pages:
            documents.extend(page.get("PriceList") or [])
    except (BotoCoreError, ClientError) as exc:
        raise translate(
            exc, region=_PRICE_LIST_REGION, operation="GetProducts", service="pricing"
        ) from exc
    return PriceTable.from_price_list_documents(
        documents, regions=regions, locations=_location_regions()
    )


@functools.cache
def _location_regions() -> dict[str, str]:
    """Region codes by botocore's region description (``US East (N. Virginia)``)."""
    import botocore.session

    names: dict[str, str] = {}
    endpoints = botocore.session.get_session().get_data("endpoints")
    for partition in endpoints.get("partitions", []):
        for code, info in partition.get("regions", {}).items():
            description = str(info.get("description", ""))
            names[description] = code
            if description.startswith("Europe ("):  # the Price List says "EU (Ireland)"
                names["EU " + description.removeprefix("Europe ")] = code
    return names
