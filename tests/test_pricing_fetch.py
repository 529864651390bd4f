"""The Price List call in inspector_kit.fetch, and the deprecated PriceTable.from_price_list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from inspector_kit.errors import AccessDeniedError, ServiceUnavailableError
from inspector_kit.fetch import fetch_price_table
from inspector_kit.pricing import PriceTable
from tests.test_pricing_pricelist import _EU, _UNRELATED, _US, LOCATIONS


def _stubbed(pages: list[list[str]]) -> tuple[Any, Stubber]:
    client = boto3.client("pricing", region_name="us-east-1")
    stub = Stubber(client)
    for number, page in enumerate(pages):
        params: dict[str, Any] = {"ServiceCode": "AmazonInspectorV2", "FormatVersion": "aws_v1"}
        if number:
            params["NextToken"] = f"token-{number}"
        response: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": page}
        if number < len(pages) - 1:
            response["NextToken"] = f"token-{number + 1}"
        stub.add_response("get_products", response, params)
    stub.activate()
    return client, stub


def test_reads_every_page_and_maps_like_the_documents() -> None:
    pages = [[*_US[:4], _UNRELATED, *_EU[:2]], [*_US[4:], *_EU[2:]]]
    client, stub = _stubbed(pages)
    table = fetch_price_table(client=client)
    stub.assert_no_pending_responses()
    assert table.name == "price-list"
    assert len(table.items("us-east-1")) == 6
    assert len(table.items("eu-west-1")) == 6
    # the same table as the pure mapping of the same documents
    expected = PriceTable.from_price_list_documents(
        [d for page in pages for d in page], locations=LOCATIONS
    )
    assert table == expected
    assert [u["sku"] for u in table.unmapped] == ["XX1"]


def test_places_a_product_by_botocores_region_names() -> None:
    # EU1 has no regionCode, only "EU (Ireland)": botocore calls it "Europe (Ireland)".
    (eu1,) = [d for d in _EU if '"EU1"' in d]
    client, _ = _stubbed([[eu1]])
    table = fetch_price_table(client=client)
    assert table.price("eu-west-1", "ec2_agent_based").amount == Decimal("1.44")


def test_region_filter() -> None:
    client, _ = _stubbed([[*_US, _UNRELATED], _EU])
    table = fetch_price_table(client=client, regions=["eu-west-1"])
    assert table.regions == ("eu-west-1",)
    assert table.unmapped == ()
    client, _ = _stubbed([[*_US, *_EU]])
    assert fetch_price_table(client=client, regions="us-east-1").regions == ("us-east-1",)


def test_errors_become_fetch_errors() -> None:
    client = boto3.client("pricing", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_products", service_error_code="AccessDeniedException", http_status_code=403
        )
        with pytest.raises(AccessDeniedError) as info:
            fetch_price_table(client=client)
    assert info.value.operation == "GetProducts"
    assert info.value.region == "us-east-1"
    assert "pricing:GetProducts" in str(info.value)
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_products", service_error_code="InternalFailure", http_status_code=500
        )
        with pytest.raises(ServiceUnavailableError):
            fetch_price_table(client=client)


def test_uses_the_session_in_us_east_1() -> None:
    client, _ = _stubbed([_US])
    seen: list[tuple[str, str]] = []

    class Session:
        def client(self, service: str, *, region_name: str) -> Any:
            seen.append((service, region_name))
            return client

    table = fetch_price_table(Session())  # type: ignore[arg-type]
    assert seen == [("pricing", "us-east-1")]
    assert len(table.items("us-east-1")) == 6


def test_from_price_list_is_a_deprecated_alias_that_delegates() -> None:
    client, stub = _stubbed([[*_US, *_EU]])
    with pytest.warns(DeprecationWarning, match=r"fetch_price_table\(\)") as caught:
        table = PriceTable.from_price_list(client=client, regions="eu-west-1")
    stub.assert_no_pending_responses()
    assert table.regions == ("eu-west-1",)
    assert len(table.items("eu-west-1")) == 6
    assert caught[0].filename == __file__  # the warning points at the caller


def test_from_price_list_passes_the_session_on() -> None:
    client, _ = _stubbed([_US])
    seen: list[str] = []

    class Session:
        def client(self, service: str, *, region_name: str) -> Any:
            seen.append(region_name)
            return client

    with pytest.warns(DeprecationWarning, match="from_price_list"):
        table = PriceTable.from_price_list(Session())  # type: ignore[arg-type]
    assert seen == ["us-east-1"]
    assert table == PriceTable.from_price_list_documents(_US)
