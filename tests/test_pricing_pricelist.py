"""Price List documents to a PriceTable: the pure mapping, no AWS call, no boto3."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from inspector_kit.errors import PriceError
from inspector_kit.pricing import PRICE_LIST_MAPPING, PriceListRule, PriceTable, UsageItem

_LOCATIONS = {"us-east-1": "US East (N. Virginia)", "eu-west-1": "EU (Ireland)"}
_PREFIX = {"us-east-1": "USE1", "eu-west-1": "EUW1"}


def _product(
    sku: str, region: str, usagetype: str, unit: str, usd: str, *, region_code: bool = True
) -> str:
    """One Price List document as GetProducts returns it (a JSON string, format aws_v1)."""
    attrs = {
        "servicecode": "AmazonInspectorV2",
        "servicename": "Amazon Inspector",
        "usagetype": usagetype,
        "operation": "",
        "locationType": "AWS Region",
        "location": _LOCATIONS[region],
    }
    if region_code:  # else the region comes from the location
        attrs["regionCode"] = region
    return json.dumps(
        {
            "product": {"productFamily": "Security", "attributes": attrs, "sku": sku},
            "serviceCode": "AmazonInspectorV2",
            "terms": {
                "OnDemand": {
                    f"{sku}.JRTCKXETXF": {
                        "priceDimensions": {
                            f"{sku}.JRTCKXETXF.6YS6EN2CT7": {
                                "unit": unit,
                                "endRange": "Inf",
                                "description": f"{usd} USD per {unit} for {usagetype}",
                                "appliesTo": [],
                                "rateCode": f"{sku}.JRTCKXETXF.6YS6EN2CT7",
                                "beginRange": "0",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "sku": sku,
                        "effectiveDate": "2024-04-01T00:00:00Z",
                        "offerTermCode": "JRTCKXETXF",
                        "termAttributes": {},
                    }
                }
            },
            "version": "20240401000000",
            "publicationDate": "2024-04-01T00:00:00Z",
        }
    )


# Made-up SKUs and usage types (the real attribute values are UNCONFIRMED); hourly prices
# chosen so that x720 gives the bundled us-east-1 figures exactly.
_US = [
    _product("US1", "us-east-1", "USE1-Inspector-EC2-Instance-Hours", "Hrs", "0.0017400000"),
    _product("US2", "us-east-1", "USE1-Inspector-EC2-Agentless-Hours", "Hrs", "0.0024300000"),
    _product("US3", "us-east-1", "USE1-Inspector-ECR-InitialScan", "Images", "0.0900000000"),
    _product("US4", "us-east-1", "USE1-Inspector-ECR-Rescan", "Images", "0.0100000000"),
    _product("US5", "us-east-1", "USE1-Inspector-Lambda-Function", "Function-Months", "0.30"),
    _product("US6", "us-east-1", "USE1-Inspector-LambdaCode-Function", "Function-Months", "0.60"),
]
_EU = [
    _product(  # no regionCode: the region comes from "EU (Ireland)"
        "EU1", "eu-west-1", "EUW1-Inspector-EC2-Hours", "Hrs", "0.002", region_code=False
    ),
    _product("EU2", "eu-west-1", "EUW1-Inspector-EC2-Agentless-Hours", "Hrs", "0.0027500000"),
    _product("EU3", "eu-west-1", "EUW1-Inspector-ECR-InitialScan", "Images", "0.1000000000"),
    _product("EU4", "eu-west-1", "EUW1-Inspector-ECR-Rescan", "Images", "0.0110000000"),
    _product("EU5", "eu-west-1", "EUW1-Inspector-Lambda-Function-Hours", "Hrs", "0.0005"),
    _product("EU6", "eu-west-1", "EUW1-Inspector-LambdaCode-Function-Hours", "Hrs", "0.001"),
]
_UNRELATED = _product(
    "XX1", "us-east-1", "USE1-Inspector-CodeRepository-Scans", "Scans", "0.0300000000"
)


#: How the documents name their regions: what botocore's region names give for these two.
LOCATIONS = {v: k for k, v in _LOCATIONS.items()}


def _table(documents: Any, **kwargs: Any) -> PriceTable:
    return PriceTable.from_price_list_documents(documents, locations=LOCATIONS, **kwargs)


def test_maps_every_item() -> None:
    table = _table([*_US[:4], _UNRELATED, *_EU[:2], *_US[4:], *_EU[2:]])
    assert table.name == "price-list"
    assert table.regions == ("eu-west-1", "us-east-1")
    us = {item.value: price.amount for item, price in table.items("us-east-1").items()}
    assert us == {
        "ec2_agent_based": Decimal("1.2528"),
        "ec2_agentless": Decimal("1.7496"),
        "ecr_initial_scan": Decimal("0.09"),
        "ecr_rescan": Decimal("0.01"),
        "lambda_standard": Decimal("0.30"),
        "lambda_code": Decimal("0.60"),
    }
    assert str(table.price("us-east-1", "ec2_agent_based").amount) == "1.2528"
    eu = {item.value: price.amount for item, price in table.items("eu-west-1").items()}
    assert eu == {
        "ec2_agent_based": Decimal("1.44"),
        "ec2_agentless": Decimal("1.98"),
        "ecr_initial_scan": Decimal("0.1"),
        "ecr_rescan": Decimal("0.011"),
        "lambda_standard": Decimal("0.36"),
        "lambda_code": Decimal("0.72"),
    }
    agentless = table.price("us-east-1", "ec2_agentless")
    assert agentless.currency == "USD"
    assert agentless.as_of == date(2024, 4, 1)
    assert (
        agentless.source == "AWS Price List API, AmazonInspectorV2 sku US2 (unit Hrs x 720 hours)"
    )
    assert table.price("us-east-1", "lambda_code").source.endswith("(unit Function-Months)")

    (unmapped,) = table.unmapped
    assert unmapped["sku"] == "XX1"
    assert unmapped["reason"] == "no PRICE_LIST_MAPPING rule matches"
    assert unmapped["attributes"]["usagetype"] == "USE1-Inspector-CodeRepository-Scans"


def test_documents_may_be_parsed_objects_or_bytes() -> None:
    as_text = _table(_US)
    assert _table([json.loads(d) for d in _US]) == as_text
    assert _table([d.encode() for d in _US]) == as_text
    assert _table(iter(_US)) == as_text  # any iterable, read once


def test_location_needs_a_locations_table() -> None:
    (eu1,) = [d for d in _EU if '"EU1"' in d]
    assert _table([eu1]).price("eu-west-1", "ec2_agent_based").amount == Decimal("1.44")
    table = PriceTable.from_price_list_documents([eu1])  # no locations: never guessed
    assert table.regions == ()
    (unmapped,) = table.unmapped
    assert unmapped["reason"] == "no regionCode, and location is not a known region"


def test_region_filter() -> None:
    table = _table([*_US, _UNRELATED, *_EU], regions=["eu-west-1"])
    assert table.regions == ("eu-west-1",)
    assert table.unmapped == ()  # the unrelated product is in us-east-1
    assert _table([*_US, *_EU], regions="us-east-1").regions == ("us-east-1",)


def test_never_guesses() -> None:
    conflicting = _product("US9", "us-east-1", "USE1-Inspector-EC2-Agentless-Hrs", "Hrs", "0.003")
    hourly_scan = _product("EU9", "eu-west-1", "EUW1-Inspector-ECR-Rescan", "Hrs", "0.01")
    per_scan_ec2 = _product("EU8", "eu-west-1", "EUW1-Inspector-EC2-Instance", "Scans", "1")
    table = _table([_US[1], conflicting, hourly_scan, per_scan_ec2, "not json"])
    assert table.get("us-east-1", "ec2_agentless") is None
    assert table.regions == ()
    reasons = {u["sku"]: u["reason"] for u in table.unmapped}
    assert reasons["US2"].startswith("conflicting prices for ec2_agentless in us-east-1")
    assert reasons["US9"] == reasons["US2"]
    assert reasons["EU9"] == "unit 'Hrs' is not per scan"
    assert reasons["EU8"] == "unit 'Scans' is neither hours nor months"
    assert reasons[None] == "not a Price List product document"
    # merging keeps what could not be mapped, so it stays visible
    assert len(PriceTable.bundled().merge(table).unmapped) == 5


def test_leaves_absurd_products_unmapped() -> None:
    huge = _product("H1", "us-east-1", "USE1-Inspector-EC2-Instance-Hours", "Hrs", "2000000")
    deep = '{"product": ' + "[" * 100_000 + "]" * 100_000 + "}"
    broken = json.loads(_product("B1", "us-east-1", "USE1-Inspector-ECR-Rescan", "Images", "1"))
    broken["terms"]["OnDemand"] = {"T": "oops"}
    not_attributes = {"product": {"sku": "A1", "attributes": ["usagetype"]}}
    bad_currency = json.loads(
        _product("C1", "us-east-1", "USE1-Inspector-ECR-Rescan", "Images", "1")
    )
    (term,) = bad_currency["terms"]["OnDemand"].values()
    (dim,) = term["priceDimensions"].values()
    dim["pricePerUnit"] = {"DOLLARS": "1"}
    table = _table([huge, deep, json.dumps(broken), not_attributes, bad_currency, _US[1]])
    assert table.price("us-east-1", "ec2_agentless").amount == Decimal("1.7496")
    reasons = {u["sku"]: u["reason"] for u in table.unmapped}
    assert reasons["H1"] == "price 1440000000 must be at most 1000000000"
    assert reasons[None] == "not a Price List product document"
    assert reasons["B1"] == "malformed on-demand terms"
    assert reasons["C1"] == "currency must be a 3-letter code such as USD; got 'DOLLARS'"
    assert len(table.unmapped) == 5


def _offer_file(documents: list[str]) -> dict[str, Any]:
    """A bulk offer file (the Price List's JSON file) holding these products."""
    products: dict[str, Any] = {}
    on_demand: dict[str, Any] = {}
    for text in documents:
        doc = json.loads(text)
        sku = doc["product"]["sku"]
        products[sku] = doc["product"]
        on_demand[sku] = doc["terms"]["OnDemand"]
    return {
        "formatVersion": "v1.0",
        "offerCode": "AmazonInspectorV2",
        "publicationDate": "2024-04-01T00:00:00Z",
        "products": products,
        "terms": {"OnDemand": on_demand},
    }


def test_a_bulk_offer_file_gives_the_same_prices() -> None:
    documents = [*_US, *_EU, _UNRELATED]
    from_offer = _table(_offer_file(documents), origin="AWS Price List bulk file")
    from_api = _table(documents)
    assert from_offer.regions == from_api.regions == ("eu-west-1", "us-east-1")
    assert [(r, i, p.amount, p.currency, p.as_of) for r, i, p in from_offer] == [
        (r, i, p.amount, p.currency, p.as_of) for r, i, p in from_api
    ]
    assert len(list(from_offer)) == 12
    assert from_offer.price("eu-west-1", "ecr_rescan").source == (
        "AWS Price List bulk file, AmazonInspectorV2 sku EU4 (unit Images)"
    )
    assert [u["sku"] for u in from_offer.unmapped] == ["XX1"]


def test_an_offer_product_without_terms_is_unmapped() -> None:
    offer = _offer_file(_US[:1])
    offer["terms"]["OnDemand"] = {}
    (unmapped,) = _table(offer).unmapped
    assert unmapped["reason"] == "0 on-demand prices (expected 1)"


@pytest.mark.parametrize(
    ("documents", "message"),
    [
        (_US[0], "got one string"),
        ({"products": ["US1"]}, "an offer file needs 'products'"),
        ({"product": {}}, "an offer file needs 'products'"),
        ({"products": {}, "terms": {"OnDemand": []}}, "an offer file needs"),
    ],
)
def test_input_that_is_no_documents_is_a_price_error(documents: Any, message: str) -> None:
    with pytest.raises(PriceError, match=message):
        PriceTable.from_price_list_documents(documents)


def test_mapping_table_orders_specific_rules_first() -> None:
    items = [rule.item for rule in PRICE_LIST_MAPPING]
    assert set(items) == set(UsageItem)
    assert items.index(UsageItem.EC2_AGENTLESS) < items.index(UsageItem.EC2_AGENT_BASED)
    assert items.index(UsageItem.LAMBDA_CODE) < items.index(UsageItem.LAMBDA_STANDARD)


def test_a_rule_ignores_case_and_punctuation() -> None:
    rule = PriceListRule(UsageItem.LAMBDA_STANDARD, "usagetype", ("lambda",), ("code",))
    assert rule.matches({"usagetype": "USE1-Inspector-LAMBDA_Function"})
    assert not rule.matches({"usagetype": "USE1-Inspector-Lambda-Code"})
    assert not rule.matches({"usagetype": None})
    assert not rule.matches({})
