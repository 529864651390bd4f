"""Prices with provenance: per region and usage item, exact decimals, never guessed.

A [`PriceTable`][inspector_kit.pricing.PriceTable] comes from one of three places (combine them with
[`PriceTable.merge`][inspector_kit.pricing.PriceTable.merge], the right-hand table winning):

* [`PriceTable.bundled`][inspector_kit.pricing.PriceTable.bundled]: ``pricing/data/prices.json``,
  shipped with the package. Only prices with a source (docs/facts.md#cost). Schema (every key
  required unless marked)::

      {
        "version": "YYYY-MM-DD",      # data version: bump it on every change
        "currency": "USD",            # default currency of every price
        "regions": {
          "<region>": {
            "<item>": {               # a UsageItem value, e.g. "ec2_agentless"
              "amount": "1.2528",     # decimal as a string, per unit of the item
              "source": "<URL or document>",
              "as_of": "YYYY-MM-DD",  # or null when the source carries no date
              "currency": "USD"       # optional, overrides the top-level one
            }
          }
        }
      }

* [`PriceTable.from_file`][inspector_kit.pricing.PriceTable.from_file]: a user's table, JSON
  ``{"<region>": {"<item>": "<price>"}}`` or CSV ``region,item,price[,currency][,source][,as_of]``
  (parsed in ``_files``).
*
  ``PriceTable.from_price_list_documents``: AWS Price List documents (service code
  ``AmazonInspectorV2``), mapped to items through [`PRICE_LIST_MAPPING`][inspector_kit.pricing]
  (``_pricelist``). Fetching them is I/O, so it lives in
  [`fetch_price_table`][inspector_kit.fetch.fetch_price_table].

Pure: nothing here imports boto3 or botocore or calls AWS; the one exception is the
deprecated [`PriceTable.from_price_list`][inspector_kit.pricing.PriceTable.from_price_list], which
delegates to ``inspector_kit.fetch`` through ``_compat``.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from inspector_kit._records import RecordsMixin
from inspector_kit.errors import PriceNotFoundError, PriceTypeError

from ._files import MAX_PRICE_FILE_BYTES, read_bundled, read_price_file
from ._price import Price, UsageItem, _item
from ._pricelist import map_price_list

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping


__all__ = ["PriceTable"]


def _freeze(
    value: Mapping[str, Mapping[Any, Price]],
) -> dict[str, dict[UsageItem, Price]]:
    out: dict[str, dict[UsageItem, Price]] = {}
    for region, prices in value.items():
        row: dict[UsageItem, Price] = {}
        for item, price in prices.items():
            if not isinstance(price, Price):
                raise PriceTypeError(
                    f"{region}.{item}: expected a Price, got {type(price).__name__}"
                )
            row[_item(item)] = price
        out[str(region)] = row
    return out


@attrs.frozen
class PriceTable(RecordsMixin):
    """Prices per region and [`UsageItem`][inspector_kit.pricing.UsageItem], each with its source.

    Rows: [`columns`][inspector_kit.pricing.PriceTable.columns] and
        [`to_records`][inspector_kit.pricing.PriceTable.to_records] (one row per region and item,
        sorted).

    Examples:
        >>> t = PriceTable({"us-east-1": {"ec2_agent_based": Price("1.25", source="doc")}})
        >>> t.price("us-east-1", UsageItem.EC2_AGENT_BASED).amount
        Decimal('1.25')
        >>> t.get("us-east-1", "ec2_agentless") is None
        True
    """

    _prices: dict[str, dict[UsageItem, Price]] = attrs.field(
        factory=dict, converter=_freeze, alias="prices"
    )
    name: str = attrs.field(default="custom", kw_only=True)
    """Where the table comes from (``bundled``, a file name, ``price-list``, ...)."""
    unmapped: tuple[dict[str, Any], ...] = attrs.field(default=(), kw_only=True, eq=False)
    """Price List products ``from_price_list_documents`` could not turn into a price.

    Each is ``{"sku": str | None, "reason": str, "attributes": {...}}``: extend
    [`PRICE_LIST_MAPPING`][inspector_kit.pricing] (or supply the price with
    [`from_file`][inspector_kit.pricing.PriceTable.from_file]) to use them. Not part of equality;
    [`merge`][inspector_kit.pricing.PriceTable.merge] keeps both sides'.
    """

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions with at least one price, sorted."""
        return tuple(sorted(self._prices))

    def items(self, region: str) -> dict[UsageItem, Price]:
        """The prices known for ``region`` (empty when none)."""
        return dict(self._prices.get(region, {}))

    def get(self, region: str, item: UsageItem | str) -> Price | None:
        """The price, or ``None`` when unknown."""
        return self._prices.get(region, {}).get(_item(item))

    def price(self, region: str, item: UsageItem | str) -> Price:
        """The price; ``PriceNotFoundError`` naming region and item when unknown."""
        found = self.get(region, item)
        if found is None:
            raise PriceNotFoundError(region, _item(item))
        return found

    def merge(self, other: PriceTable) -> PriceTable:
        """This table with ``other``'s prices on top (``other`` wins item by item).

        Examples:
            >>> a = PriceTable({"us-east-1": {"ecr_rescan": Price("0.01", source="a")}})
            >>> b = PriceTable({"us-east-1": {"ecr_rescan": Price("0.02", source="b")}})
            >>> a.merge(b).price("us-east-1", "ecr_rescan").source
            'b'
        """
        merged: dict[str, dict[UsageItem, Price]] = {r: dict(p) for r, p in self._prices.items()}
        for region, prices in other._prices.items():
            merged.setdefault(region, {}).update(prices)
        return PriceTable(
            merged, name=f"{self.name}+{other.name}", unmapped=self.unmapped + other.unmapped
        )

    def __iter__(self) -> Iterator[tuple[str, UsageItem, Price]]:
        for region in self.regions:
            for item, price in sorted(self._prices[region].items(), key=lambda kv: kv[0].value):
                yield region, item, price

    columns: ClassVar[tuple[str, ...]] = (
        "region",
        "item",
        "unit",
        "amount",
        "currency",
        "source",
        "as_of",
    )
    """The keys of every row of ``to_records``, in order."""

    def to_records(self) -> list[dict[str, Any]]:
        """One row per region and item, keys ``columns``; amounts ``Decimal``, dates ``date``.

        Examples:
            >>> rows = PriceTable.bundled().to_records()
            >>> tuple(rows[0]) == PriceTable.columns, rows[0]["amount"], rows[0]["as_of"]
            (True, Decimal('1.512'), datetime.date(2024, 4, 1))
        """
        return [
            {
                "region": region,
                "item": item.value,
                "unit": item.unit,
                "amount": price.amount,
                "currency": price.currency,
                "source": price.source,
                "as_of": price.as_of,
            }
            for region, item, price in self
        ]

    @classmethod
    def bundled(cls) -> PriceTable:
        """The prices shipped in ``pricing/data/prices.json``: only those with a source.

        EC2 agent-based and agentless for us-east-1 and ap-northeast-1 (seed article, April
        2024, as published on https://aws.amazon.com/inspector/pricing/); ECR and Lambda for
        us-east-1 only (derived from the AWS CLI ``list-usage-totals`` example). Any other
        region or item raises [`PriceNotFoundError`][inspector_kit.pricing.PriceNotFoundError].
        Loaded once, then cached.

        Examples:
            >>> t = PriceTable.bundled()
            >>> t.regions
            ('ap-northeast-1', 'us-east-1')
            >>> t.price("ap-northeast-1", "ec2_agentless").amount
            Decimal('2.0808')
        """
        return _bundled()

    @classmethod
    def from_file(
        cls, path: str | os.PathLike[str], *, max_bytes: int = MAX_PRICE_FILE_BYTES
    ) -> PriceTable:
        """A user's price table from JSON or CSV (by suffix; else by content).

        JSON: ``{"<region>": {"<item>": "<price>"}}`` with any items; prices are strings or
        numbers (numbers are read as exact decimals, never floats). CSV: a header
        ``region,item,price[,currency][,source][,as_of]``, one price per line. Currency
        defaults to USD, source to ``file:<path>``, ``as_of`` (``YYYY-MM-DD``) to none.

        Every problem (unknown item, negative, non-numeric or out-of-bounds price, malformed
        region, missing column, a key given twice, a CSV field over ``csv.field_size_limit()``
        ...) is collected and raised together as
        [`PriceFileError`][inspector_kit.pricing.PriceFileError], each naming its CSV line (and
        column, where the line cannot be split) or JSON key. A file that is missing, unreadable,
        larger than ``max_bytes`` (``MAX_PRICE_FILE_BYTES``), not UTF-8 or nested deeper
        than 32 levels is a [`PriceFileError`][inspector_kit.pricing.PriceFileError] too.

        Examples:
            >>> import pathlib, tempfile
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "prices.json"
            >>> _ = path.write_text('{"eu-west-1": {"ec2_agentless": 1.9}}')
            >>> t = PriceTable.from_file(path)
            >>> t.price("eu-west-1", "ec2_agentless").amount
            Decimal('1.9')
            >>> t.price("eu-west-1", "ec2_agentless").source == f"file:{path}"
            True
        """
        return cls(read_price_file(path, max_bytes=max_bytes), name=os.fspath(path))

    @classmethod
    def from_price_list_documents(
        cls,
        documents: Iterable[Any] | Mapping[str, Any],
        *,
        regions: str | Iterable[str] | None = None,
        locations: Mapping[str, str] | None = None,
        origin: str = "AWS Price List API",
        name: str = "price-list",
    ) -> PriceTable:
        """Prices from AWS Price List documents (``AmazonInspectorV2``), no AWS call.

        ``documents`` is what ``pricing:GetProducts`` returns in ``PriceList`` (one JSON
        string, bytes or parsed object per product), or a parsed bulk offer file (an object
        with ``products`` and ``terms`` keyed by SKU). Each product is mapped to a
        [`UsageItem`][inspector_kit.pricing.UsageItem] with
        [`PRICE_LIST_MAPPING`][inspector_kit.pricing] (**UNCONFIRMED** attribute names). The region
        is the product's ``regionCode``, else its ``location`` looked up in ``locations`` (``{"US
        East (N. Virginia)": "us-east-1"}``;
        [`fetch_price_table`][inspector_kit.fetch.fetch_price_table] passes botocore's region
        names); ``regions`` keeps only those. Units ``Hrs``/``Hour(s)`` of an hourly item (EC2,
        Lambda, AMIs, multi-cloud VMs and functions) are multiplied by 720 (a billing month); a
        unit containing ``month`` is taken as is; the other items' prices must be per scan or
        per assessment (not hours or months).

        Products that match no rule, have several on-demand prices, an unexpected unit, or
        disagree with another product for the same region and item are never guessed: they
        are listed in [`unmapped`][inspector_kit.pricing.PriceTable.unmapped]. Each price's source
        is ``origin`` with the SKU and unit; its ``as_of`` is the on-demand term's
        ``effectiveDate``. Input that is neither a list of documents nor an offer file is a
        [`PriceError`][inspector_kit.errors.PriceError].

        Examples:
            >>> product = {  # a made-up price
            ...     "product": {"sku": "S1", "attributes": {
            ...         "regionCode": "eu-west-1", "usagetype": "EUW1-Inspector-EC2-Agentless"}},
            ...     "terms": {"OnDemand": {"S1.T": {"effectiveDate": "2024-04-01T00:00:00Z",
            ...         "priceDimensions": {"S1.T.D": {"unit": "Hrs",
            ...             "pricePerUnit": {"USD": "0.0025"}, "description": "..."}}}}}}
            >>> table = PriceTable.from_price_list_documents([product])
            >>> table.price("eu-west-1", "ec2_agentless").amount  # 0.0025 x 720 hours
            Decimal('1.8')
            >>> table.price("eu-west-1", "ec2_agentless").as_of
            datetime.date(2024, 4, 1)
        """
        wanted = (
            None if regions is None else {regions} if isinstance(regions, str) else set(regions)
        )
        prices, unmapped = map_price_list(
            documents, regions=wanted, locations=locations, origin=origin
        )
        return cls(prices, name=name, unmapped=tuple(unmapped))

    @classmethod
    def from_price_list(
        cls,
        session: Any = None,  # a boto3 Session (not imported here: pricing is pure)
        *,
        regions: str | Iterable[str] | None = None,
        client: Any = None,
    ) -> PriceTable:
        """Deprecated: use ``fetch_price_table`` (same arguments).

        Calling AWS is I/O, which lives in ``inspector_kit.fetch``; this alias warns
        (``DeprecationWarning``) and delegates. It is the one place in ``pricing`` that
        reaches ``fetch`` (and so boto3), and only when called.

        Examples:
            >>> import warnings, boto3
            >>> from botocore.stub import Stubber
            >>> client = boto3.client("pricing", region_name="us-east-1")
            >>> with Stubber(client) as stub, warnings.catch_warnings(record=True) as caught:
            ...     warnings.simplefilter("always")
            ...     stub.add_response("get_products", {"PriceList": []})
            ...     table = PriceTable.from_price_list(client=client)
            >>> table.name, caught[0].category.__name__
            ('price-list', 'DeprecationWarning')
        """
        from ._compat import from_price_list

        return from_price_list(session, regions=regions, client=client)


@functools.cache
def _bundled() -> PriceTable:
    return PriceTable(read_bundled(), name="bundled")
