"""Price List documents to prices: pure mapping, no AWS call.

The AWS Price List (service code ``AmazonInspectorV2``) describes each product as a
document: ``{"product": {"sku": ..., "attributes": {...}}, "terms": {"OnDemand": ...}}``.
``pricing:GetProducts`` returns them as JSON strings (``PriceList``); a bulk offer file
holds them as ``products`` and ``terms`` keyed by SKU. This module maps them to
[`UsageItem`][inspector_kit.pricing.UsageItem] prices through
[`PRICE_LIST_MAPPING`][inspector_kit.pricing], never guessing: a product it cannot map is reported
with the reason. The call to AWS is [`fetch_price_table`][inspector_kit.fetch.fetch_price_table].
"""

from __future__ import annotations

import decimal
import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from inspector_kit.errors import PriceError

from ._price import (
    CONTEXT,
    HOURS_PER_MONTH,
    Price,
    UsageItem,
    _bounds_problem,
    _check_amount,
    _show_value,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "PRICE_LIST_MAPPING",
    "PRICE_LIST_SERVICE_CODE",
    "PriceListRule",
    "map_price_list",
]


class PriceListRule(NamedTuple):
    """One row of ``PRICE_LIST_MAPPING``: which Price List products are ``item``.

    A product matches when its ``attribute`` (lower-cased, punctuation removed) contains
    every string in ``contains`` and none in ``excludes``.

    Examples:
        >>> rule = PriceListRule(UsageItem.ECR_RESCAN, "usagetype", ("ecr", "rescan"))
        >>> rule.matches({"usagetype": "USE1-Inspector-ECR-Rescan"})
        True
        >>> rule.matches({"usagetype": "USE1-Inspector-ECR-InitialScan"})
        False
    """

    item: UsageItem
    attribute: str
    contains: tuple[str, ...]
    excludes: tuple[str, ...] = ()

    def matches(self, attributes: Mapping[str, Any]) -> bool:
        """Whether a product with these ``product.attributes`` is this rule's item."""
        value = re.sub(r"[^a-z0-9]", "", str(attributes.get(self.attribute) or "").lower())
        return bool(value) and (
            all(part in value for part in self.contains)
            and not any(part in value for part in self.excludes)
        )


#: How
#: ``PriceTable.from_price_list_documents`` maps AWS Price List products to items: the first rule
#: that matches wins, so specific rules come before general ones. **UNCONFIRMED**: the
#: AmazonInspectorV2 attribute names and values (``usagetype`` and what it contains) are not
#: confirmed from AWS documentation. Products no rule matches land in
#: [`PriceTable.unmapped`][inspector_kit.pricing.PriceTable.unmapped] with their attributes; edit
#: this table to map them.
PRICE_LIST_MAPPING: tuple[PriceListRule, ...] = (
    # Multi-cloud, code security, CIS and AMIs first: their names may also hold "ec2",
    # "scan" or "code" (issue 16 §6; attribute values UNCONFIRMED like the rest).
    PriceListRule(UsageItem.AZURE_CONTAINER_RESCAN, "usagetype", ("azure", "rescan")),
    PriceListRule(UsageItem.AZURE_CONTAINER_INITIAL_SCAN, "usagetype", ("azure", "initial")),
    PriceListRule(UsageItem.AZURE_SERVERLESS_FUNCTION, "usagetype", ("azure", "serverless")),
    PriceListRule(UsageItem.AZURE_VM_AGENT_BASED, "usagetype", ("azure", "vm")),
    PriceListRule(UsageItem.GCP_CONTAINER_RESCAN, "usagetype", ("gcp", "rescan")),
    PriceListRule(UsageItem.GCP_CONTAINER_INITIAL_SCAN, "usagetype", ("gcp", "initial")),
    PriceListRule(UsageItem.GCP_CLOUD_RUN, "usagetype", ("gcp", "cloudrun")),
    PriceListRule(UsageItem.GCP_VM_AGENT_BASED, "usagetype", ("gcp", "vm")),
    PriceListRule(UsageItem.CODE_REPOSITORY_SAST, "usagetype", ("repository", "sast")),
    PriceListRule(UsageItem.CODE_REPOSITORY_IAC, "usagetype", ("repository", "iac")),
    # "sca" is also inside "scan": a name with "scan" is left unmapped, never guessed.
    PriceListRule(UsageItem.CODE_REPOSITORY_SCA, "usagetype", ("repository", "sca"), ("scan",)),
    PriceListRule(UsageItem.EC2_CIS_ASSESSMENT, "usagetype", ("cis",)),
    PriceListRule(UsageItem.EC2_AMI_ONE_SHOT_SCAN, "usagetype", ("ami", "oneshot")),
    PriceListRule(UsageItem.EC2_AMI, "usagetype", ("ami",)),
    PriceListRule(UsageItem.EC2_AGENTLESS, "usagetype", ("ec2", "agentless")),
    PriceListRule(UsageItem.EC2_AGENT_BASED, "usagetype", ("ec2",), ("agentless", "cis", "ami")),
    PriceListRule(UsageItem.ECR_RESCAN, "usagetype", ("ecr", "rescan")),
    PriceListRule(UsageItem.ECR_INITIAL_SCAN, "usagetype", ("ecr", "initial")),
    PriceListRule(UsageItem.LAMBDA_CODE, "usagetype", ("lambda", "code")),
    PriceListRule(UsageItem.LAMBDA_STANDARD, "usagetype", ("lambda",), ("code",)),
)

#: The Price List service code of Amazon Inspector (v2).
PRICE_LIST_SERVICE_CODE = "AmazonInspectorV2"


#: Price List ``unit`` values read as "per hour" (compared lower-cased): an hourly price of
#: an hourly item (EC2, Lambda, AMIs, multi-cloud VMs and functions) is multiplied by 720
#: ([`HOURS_PER_MONTH`][inspector_kit.pricing.HOURS_PER_MONTH]).
_HOURLY_UNITS = frozenset({"hrs", "hr", "hour", "hours"})


_Mapped = tuple[str, UsageItem, Price, Any, dict[str, Any]]


def _unmapped(sku: Any, reason: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {"sku": sku, "reason": reason, "attributes": dict(attributes)}


def _plain(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()


def _map_product(
    raw: Any, wanted: set[str] | None, locations: Mapping[str, str], origin: str
) -> _Mapped | dict[str, Any] | None:
    """A product as (region, item, price, sku, attributes), unmapped record, None (filtered)."""
    try:
        doc = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        product = doc["product"]
        attributes = product.get("attributes") or {}
        sku = product.get("sku")
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        attributes = None
    if not isinstance(attributes, dict):
        return _unmapped(None, "not a Price List product document", {"document": str(raw)[:200]})
    region = attributes.get("regionCode") or locations.get(str(attributes.get("location") or ""))
    if wanted is not None and region not in wanted:
        return None
    if not region:
        return _unmapped(sku, "no regionCode, and location is not a known region", attributes)
    rule = next((r for r in PRICE_LIST_MAPPING if r.matches(attributes)), None)
    if rule is None:
        return _unmapped(sku, "no PRICE_LIST_MAPPING rule matches", attributes)
    try:
        dimensions = [
            (term.get("effectiveDate"), dim)
            for term in ((doc.get("terms") or {}).get("OnDemand") or {}).values()
            for dim in (term.get("priceDimensions") or {}).values()
        ]
        if len(dimensions) != 1:
            return _unmapped(sku, f"{len(dimensions)} on-demand prices (expected 1)", attributes)
        effective, dim = dimensions[0]
        per_unit = dim.get("pricePerUnit") or {}
        currency = "USD" if "USD" in per_unit else next(iter(per_unit), None)
        unit = str(dim.get("unit") or "")
    except (AttributeError, TypeError):
        return _unmapped(sku, "malformed on-demand terms", attributes)
    hourly, monthly = unit.lower() in _HOURLY_UNITS, "month" in unit.lower()
    if currency is None or _check_amount(per_unit[currency]):
        return _unmapped(sku, f"no usable price in {_show_value(per_unit, 200)}", attributes)
    if rule.item.hourly and not (hourly or monthly):
        return _unmapped(sku, f"unit {unit!r} is neither hours nor months", attributes)
    if not rule.item.hourly and (hourly or monthly):
        return _unmapped(sku, f"unit {unit!r} is not per scan", attributes)
    note = f"unit {unit}"
    with decimal.localcontext(CONTEXT):
        amount = Decimal(str(per_unit[currency]).strip())
        if hourly:
            amount, note = amount * HOURS_PER_MONTH, f"unit {unit} x {HOURS_PER_MONTH} hours"
        problem = _bounds_problem("price", str(amount), amount, Price.MAX_AMOUNT)
        if problem:
            return _unmapped(sku, problem, attributes)
        amount = _plain(amount)
    try:
        as_of: date | None = date.fromisoformat(str(effective)[:10])
    except ValueError:
        as_of = None
    source = f"{origin}, {PRICE_LIST_SERVICE_CODE} sku {sku} ({note})"
    try:
        price = Price(amount, currency=currency, source=source, as_of=as_of)
    except PriceError as exc:  # a currency code or SKU that is not usable
        return _unmapped(sku, str(exc), attributes)
    return region, rule.item, price, sku, dict(attributes)


def _product_documents(documents: Iterable[Any] | Mapping[str, Any]) -> Iterable[Any]:
    """The product documents of a GetProducts ``PriceList`` or of a bulk offer file."""
    if not isinstance(documents, Mapping):
        if isinstance(documents, (str, bytes)):
            raise PriceError(
                "expected Price List documents (a list, such as GetProducts' PriceList) or "
                "an offer file (an object with 'products'), got one string"
            )
        return documents
    products, terms = documents.get("products"), documents.get("terms") or {}
    on_demand = terms.get("OnDemand", {}) if isinstance(terms, Mapping) else None
    if not isinstance(products, Mapping) or not isinstance(on_demand, Mapping):
        raise PriceError(
            "an offer file needs 'products' and 'terms.OnDemand' objects keyed by SKU; got "
            f"keys {_show_value(sorted(map(str, documents)), 200)}"
        )
    return (
        {"product": product, "terms": {"OnDemand": on_demand.get(sku) or {}}}
        for sku, product in products.items()
    )


def map_price_list(
    documents: Iterable[Any] | Mapping[str, Any],
    *,
    regions: set[str] | None = None,
    locations: Mapping[str, str] | None = None,
    origin: str = "AWS Price List API",
) -> tuple[dict[str, dict[UsageItem, Price]], list[dict[str, Any]]]:
    """Prices by region and item, and the products that could not be mapped (with why).

    ``documents``: product documents (JSON strings, bytes or parsed), or a parsed bulk offer
    file. ``regions`` keeps only those regions; ``locations`` maps a Price List ``location``
    (``US East (N. Virginia)``) to its region code for products without ``regionCode``;
    ``origin`` starts each price's source.
    """
    names = locations or {}
    found: dict[tuple[str, UsageItem], list[tuple[Price, Any, dict[str, Any]]]] = {}
    unmapped: list[dict[str, Any]] = []
    for raw in _product_documents(documents):
        mapped = _map_product(raw, regions, names, origin)
        if mapped is None:
            continue
        if isinstance(mapped, dict):
            unmapped.append(mapped)
            continue
        region, item, price, sku, attributes = mapped
        found.setdefault((region, item), []).append((price, sku, attributes))
    prices: dict[str, dict[UsageItem, Price]] = {}
    for (region, item), candidates in found.items():
        if len({(p.amount, p.currency) for p, _, _ in candidates}) == 1:
            prices.setdefault(region, {})[item] = candidates[0][0]
            continue
        skus = ", ".join(str(sku) for _, sku, _ in candidates)
        reason = f"conflicting prices for {item} in {region} (skus {skus}): none used"
        unmapped.extend(_unmapped(sku, reason, attrs_) for _, sku, attrs_ in candidates)
    return prices, unmapped
