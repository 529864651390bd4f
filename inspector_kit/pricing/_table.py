"""Prices with provenance: per region and usage item, exact decimals, never guessed.

A :class:`PriceTable` comes from one of three places (combine them with
:meth:`PriceTable.merge`, the right-hand table winning):

* :meth:`PriceTable.bundled`: ``pricing/data/prices.json``, shipped with the package. Only
  prices with a source (DOMAIN.md §5). Schema (every key required unless marked)::

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

* :meth:`PriceTable.from_file`: a user's table, JSON ``{"<region>": {"<item>": "<price>"}}``
  or CSV ``region,item,price[,currency][,source][,as_of]``.
* :meth:`PriceTable.from_price_list`: the AWS Price List API (service code
  ``AmazonInspectorV2``), mapped to items through :data:`PRICE_LIST_MAPPING`.

Bounds (docs/cost.md): a price is a finite decimal from 0 to :attr:`Price.MAX_AMOUNT`
(10**9 per unit, settable) with at most 30 decimal places; a price file is UTF-8, at most
``max_bytes`` (:data:`MAX_PRICE_FILE_BYTES`, 1 MiB), JSON nested at most 32 levels. Decimal
arithmetic runs in a local context (28 digits), whatever the caller's context is.
"""

from __future__ import annotations

import csv
import decimal
import functools
import io
import json
import os
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import attrs

from inspector_kit.errors import InspectorKitError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    import boto3

__all__ = [
    "MAX_PRICE_FILE_BYTES",
    "PRICE_LIST_MAPPING",
    "Price",
    "PriceFileError",
    "PriceListRule",
    "PriceNotFoundError",
    "PriceTable",
    "UsageItem",
]


class UsageItem(str, Enum):
    """What Inspector bills, as priced here (the value is the price-file key).

    EC2 and Lambda are priced per month of coverage (720 hours), ECR per scan.

    Example:
        >>> UsageItem("ec2_agentless").unit
        'instance-month'
    """

    EC2_AGENT_BASED = "ec2_agent_based"
    EC2_AGENTLESS = "ec2_agentless"
    ECR_INITIAL_SCAN = "ecr_initial_scan"
    ECR_RESCAN = "ecr_rescan"
    LAMBDA_STANDARD = "lambda_standard"
    LAMBDA_CODE = "lambda_code"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def unit(self) -> str:
        """``instance-month``, ``scan`` or ``function-month``."""
        if self.name.startswith("EC2"):
            return "instance-month"
        if self.name.startswith("ECR"):
            return "scan"
        return "function-month"

    @property
    def hourly(self) -> bool:
        """Whether usage is counted in hours and priced per 720 hours."""
        return self.unit != "scan"


class PriceListRule(NamedTuple):
    """One row of :data:`PRICE_LIST_MAPPING`: which Price List products are ``item``.

    A product matches when its ``attribute`` (lower-cased, punctuation removed) contains
    every string in ``contains`` and none in ``excludes``.

    Example:
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


#: How :meth:`PriceTable.from_price_list` maps AWS Price List products to items: the first
#: rule that matches wins, so specific rules come before general ones. **UNCONFIRMED**: the
#: AmazonInspectorV2 attribute names and values (``usagetype`` and what it contains) are not
#: confirmed from AWS documentation. Products no rule matches land in
#: :attr:`PriceTable.unmapped` with their attributes; edit this table to map them.
PRICE_LIST_MAPPING: tuple[PriceListRule, ...] = (
    PriceListRule(UsageItem.EC2_AGENTLESS, "usagetype", ("ec2", "agentless")),
    PriceListRule(UsageItem.EC2_AGENT_BASED, "usagetype", ("ec2",), ("agentless", "cis")),
    PriceListRule(UsageItem.ECR_RESCAN, "usagetype", ("ecr", "rescan")),
    PriceListRule(UsageItem.ECR_INITIAL_SCAN, "usagetype", ("ecr", "initial")),
    PriceListRule(UsageItem.LAMBDA_CODE, "usagetype", ("lambda", "code")),
    PriceListRule(UsageItem.LAMBDA_STANDARD, "usagetype", ("lambda",), ("code",)),
)

#: The Price List service code of Amazon Inspector (v2).
PRICE_LIST_SERVICE_CODE = "AmazonInspectorV2"

#: Price List ``unit`` values read as "per hour" (compared lower-cased): an hourly price of
#: an EC2 or Lambda item is multiplied by 720 (:data:`_HOURS_PER_MONTH`).
_HOURLY_UNITS = frozenset({"hrs", "hr", "hour", "hours"})

_HOURS_PER_MONTH = Decimal(720)
"""Inspector's billing month (DOMAIN.md §5): coverage hours / 720."""

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")

#: The largest price file :meth:`PriceTable.from_file` reads, in bytes (``max_bytes=``).
MAX_PRICE_FILE_BYTES = 1 << 20
#: How deep a price file's JSON may nest; a valid one nests 2 levels, so this limits none.
_MAX_JSON_DEPTH = 32
#: How many problems a PriceFileError's message lists (``problems`` holds them all).
_MAX_LISTED = 100
#: Decimal places a price or a usage quantity may have (tiny float reprs have about 20).
MAX_PLACES = 30
# C0 and C1 controls, DEL, and the bidirectional overrides that reorder text on a terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

#: Every Decimal computation of inspector_kit.pricing runs in this context (the default
#: context's 28 digits), so a caller's own context (precision, traps) changes nothing.
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def _show_value(value: Any, limit: int = 40) -> str:
    """A value for a message: a Decimal as its digits, anything else as its repr; short."""
    text = str(value) if isinstance(value, Decimal) else repr(value)
    if len(text) > limit:
        text = f"{text[: limit - 3]}... ({len(str(value))} characters)"
    return text


def _escape(text: str, limit: int = 60) -> str:
    """A key from a file, safe to print: control characters escaped, cut short."""
    shown = text if text.isprintable() else repr(text)[1:-1]
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _bounds_problem(what: str, shown: str, value: Decimal, most: Decimal) -> str | None:
    """Why ``value`` is not a usable amount (finite, 0..most, <= MAX_PLACES places), or None."""
    if not value.is_finite() or value < 0:
        return f"{what} {shown} must be a finite number >= 0"
    if value > most:
        return f"{what} {shown} must be at most {most}"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        return f"{what} {shown} has more than {MAX_PLACES} decimal places"
    return None


def _amount(value: Decimal | str | int) -> Decimal:
    if isinstance(value, float):
        raise TypeError(
            f"price {_show_value(value)} is a float: give a str or Decimal (exact money)"
        )
    shown = _show_value(value)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(f"price {shown} is not a number") from None
    problem = _bounds_problem("price", shown, amount, Price.MAX_AMOUNT)
    if problem:
        raise ValueError(problem)
    return amount


def _currency(value: str) -> str:
    code = str(value).strip().upper()
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise ValueError(f"currency must be a 3-letter code such as USD; got {_show_value(value)}")
    return code


def _source_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "every price needs a source (a URL or a document name)"
    if _CONTROL.search(value):
        return f"source {_show_value(value)} holds control characters"
    return None


def _source(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    problem = _source_problem(value)
    if problem:
        raise ValueError(problem)


@attrs.frozen
class Price:
    """One price: an exact amount, its currency, where it comes from and when it held.

    ``amount`` is a finite decimal from 0 to :attr:`MAX_AMOUNT` with at most 30 decimal
    places; ``source`` holds no control characters (``ValueError`` otherwise).

    Example:
        >>> p = Price("1.2528", source="https://aws.amazon.com/inspector/pricing/",
        ...           as_of=date(2024, 4, 1))
        >>> p.amount, p.currency
        (Decimal('1.2528'), 'USD')
    """

    MAX_AMOUNT: ClassVar[Decimal] = Decimal(10**9)
    """The largest price per unit accepted (any currency); raise it by setting
    ``Price.MAX_AMOUNT`` (process-wide)."""

    amount: Decimal = attrs.field(converter=_amount)
    """Per unit of the item (instance-month, function-month or scan)."""
    currency: str = attrs.field(default="USD", converter=_currency, kw_only=True)
    """ISO 4217 code."""
    source: str = attrs.field(default="", validator=_source, kw_only=True)
    """A URL or document the price comes from."""
    as_of: date | None = attrs.field(default=None, kw_only=True)
    """When the source gave this price."""


class PriceNotFoundError(InspectorKitError, LookupError):
    """No known price for an item in a region: never guessed, never borrowed.

    Example:
        >>> str(PriceNotFoundError("eu-west-1", UsageItem.EC2_AGENTLESS))  # doctest: +ELLIPSIS
        'no price for ec2_agentless in eu-west-1: ...'
    """

    def __init__(self, region: str, item: UsageItem | str) -> None:
        self.region = region
        self.item = item
        super().__init__(
            f"no price for {item} in {region}: supply one with PriceTable.from_file(...) "
            '(JSON {"<region>": {"<item>": "<price>"}} or CSV) or '
            "PriceTable.from_price_list(session), then bundled().merge(yours)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.region, self.item))


class PriceFileError(InspectorKitError, ValueError):
    """A price file has problems: all of them, each naming its CSV line or JSON key.

    Attributes:
        path: The file, as given.
        problems: One message per problem, so the file can be fixed in one pass.

    Example:
        >>> err = PriceFileError("prices.csv", ["line 2: unknown item 'ec2'",
        ...                                     "line 3: price '-1' must be ..."])
        >>> print(err)
        prices.csv: 2 problems:
          line 2: unknown item 'ec2'
          line 3: price '-1' must be ...
        >>> isinstance(err, ValueError)
        True
    """

    def __init__(self, path: str | os.PathLike[str], problems: Iterable[str]) -> None:
        self.path = os.fspath(path)
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{self.path}: {count} problem{'' if count == 1 else 's'}:"
        listed = [f"  {p}" for p in self.problems[:_MAX_LISTED]]
        if count > _MAX_LISTED:
            listed.append(f"  ... and {count - _MAX_LISTED} more (see .problems)")
        super().__init__("\n".join([head, *listed]))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.problems))


def _item(value: UsageItem | str) -> UsageItem:
    try:
        return UsageItem(value)
    except ValueError:
        known = ", ".join(i.value for i in UsageItem)
        raise ValueError(f"unknown usage item {value!r}; known: {known}") from None


def _freeze(
    value: Mapping[str, Mapping[Any, Price]],
) -> dict[str, dict[UsageItem, Price]]:
    out: dict[str, dict[UsageItem, Price]] = {}
    for region, prices in value.items():
        row: dict[UsageItem, Price] = {}
        for item, price in prices.items():
            if not isinstance(price, Price):
                raise TypeError(f"{region}.{item}: expected a Price, got {type(price).__name__}")
            row[_item(item)] = price
        out[str(region)] = row
    return out


@attrs.frozen
class PriceTable:
    """Prices per region and :class:`UsageItem`, each with its source.

    Example:
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
    """Price List products :meth:`from_price_list` could not turn into a price (else empty).

    Each is ``{"sku": str | None, "reason": str, "attributes": {...}}``: extend
    :data:`PRICE_LIST_MAPPING` (or supply the price with :meth:`from_file`) to use them.
    Not part of equality; :meth:`merge` keeps both sides'.
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
        """The price; :class:`PriceNotFoundError` naming region and item when unknown."""
        found = self.get(region, item)
        if found is None:
            raise PriceNotFoundError(region, _item(item))
        return found

    def merge(self, other: PriceTable) -> PriceTable:
        """This table with ``other``'s prices on top (``other`` wins item by item).

        Example:
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

    def to_records(self) -> list[dict[str, Any]]:
        """One row per region and item: region, item, unit, amount, currency, source, as_of."""
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
        region or item raises :class:`PriceNotFoundError`. Loaded once, then cached.

        Example:
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
        ...) is collected and raised together as :class:`PriceFileError`, each naming its
        CSV line (and column, where the line cannot be split) or JSON key. A file that is
        missing, unreadable, larger than ``max_bytes`` (:data:`MAX_PRICE_FILE_BYTES`), not
        UTF-8 or nested deeper than 32 levels is a :class:`PriceFileError` too.

        Example:
            >>> import pathlib, tempfile
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "prices.json"
            >>> _ = path.write_text('{"eu-west-1": {"ec2_agentless": 1.9}}')
            >>> t = PriceTable.from_file(path)
            >>> t.price("eu-west-1", "ec2_agentless").amount
            Decimal('1.9')
            >>> t.price("eu-west-1", "ec2_agentless").source == f"file:{path}"
            True
        """
        where = os.fspath(path)
        text = _read_text(Path(path), where, max_bytes)
        suffix = Path(path).suffix.lower()
        as_json = suffix == ".json" or (suffix != ".csv" and text.lstrip().startswith("{"))
        parse = _parse_json if as_json else _parse_csv
        prices, problems = parse(text, f"file:{where}")
        if problems:
            raise PriceFileError(where, problems)
        return cls(prices, name=where)

    @classmethod
    def from_price_list(
        cls,
        session: boto3.session.Session | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        client: Any = None,
    ) -> PriceTable:
        """Prices from the AWS Price List API (``pricing:GetProducts``, all pages).

        Reads every ``AmazonInspectorV2`` product from the ``pricing`` endpoint in us-east-1
        (``client`` if given, else ``session`` or a default session) and maps each to a
        :class:`UsageItem` with :data:`PRICE_LIST_MAPPING` (**UNCONFIRMED** attribute names).
        The region is the product's ``regionCode`` (else its ``location`` looked up in
        botocore's region names); ``regions`` keeps only those. Units ``Hrs``/``Hour(s)``
        of an EC2 or Lambda item are multiplied by 720 (a billing month); a unit containing
        ``month`` is taken as is; ECR prices must be per scan (not hours or months).

        Products that match no rule, have several on-demand prices, an unexpected unit, or
        disagree with another product for the same region and item are never guessed: they
        are listed in :attr:`unmapped`. Each price's source names the SKU and unit; its
        ``as_of`` is the on-demand term's ``effectiveDate``. AWS failures raise
        :class:`~inspector_kit.errors.FetchError` (``AccessDeniedError``, ...).

        Example:
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
            ...     table = PriceTable.from_price_list(client=client)
            >>> table.price("eu-west-1", "ec2_agentless").amount  # 0.0025 x 720 hours
            Decimal('1.8')
        """
        from botocore.exceptions import BotoCoreError, ClientError

        if client is None:
            if session is None:
                import boto3

                session = boto3.Session()
            client = session.client("pricing", region_name="us-east-1")
        documents: list[Any] = []
        try:
            pages = client.get_paginator("get_products").paginate(
                ServiceCode=PRICE_LIST_SERVICE_CODE, FormatVersion="aws_v1"
            )
            for page in pages:
                documents.extend(page.get("PriceList") or [])
        except (BotoCoreError, ClientError) as exc:
            from inspector_kit.fetch._errors import translate

            raise translate(
                exc, region="us-east-1", operation="GetProducts", service="pricing"
            ) from exc
        wanted = (
            None if regions is None else {regions} if isinstance(regions, str) else set(regions)
        )
        prices, unmapped = _map_price_list(documents, wanted)
        return cls(prices, name="price-list", unmapped=tuple(unmapped))


_DATA = Path(__file__).resolve().parent / "data" / "prices.json"


@functools.cache
def _bundled() -> PriceTable:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    currency = data["currency"]
    prices: dict[str, dict[str, Price]] = {}
    for region, row in data["regions"].items():
        prices[region] = {
            item: Price(
                entry["amount"],
                currency=entry.get("currency", currency),
                source=entry["source"],
                as_of=date.fromisoformat(entry["as_of"]) if entry.get("as_of") else None,
            )
            for item, entry in row.items()
        }
    return PriceTable(prices, name="bundled")


_KNOWN_ITEMS = ", ".join(i.value for i in UsageItem)
_CSV_REQUIRED = ("region", "item", "price")
_CSV_COLUMNS = (*_CSV_REQUIRED, "currency", "source", "as_of")


def _check_region(region: str) -> str | None:
    if _REGION.match(region):
        return None
    return f"region {_show_value(region)} is not an AWS region name such as us-east-1"


def _check_item(item: str) -> str | None:
    if item in UsageItem._value2member_map_:
        return None
    return f"unknown item {_show_value(item)}; known: {_KNOWN_ITEMS}"


def _check_amount(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        return f"price {value!r} must be a string or a number"
    try:
        _amount(value)
    except (TypeError, ValueError) as exc:
        return str(exc)
    return None


def _read_text(path: Path, where: str, max_bytes: int) -> str:
    """The file as text with universal newlines; any reading problem is a PriceFileError."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise PriceFileError(where, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    if len(data) > max_bytes:
        raise PriceFileError(where, [f"the file is larger than {max_bytes} bytes (max_bytes)"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = f"byte 0x{data[exc.start]:02x} at column {column}"
        raise PriceFileError(
            where, [f"line {line}: not UTF-8 ({bad}): save the file as UTF-8"]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A JSON string (closed or not) or a bracket: enough to measure nesting without parsing.
_JSON_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def _too_deep(text: str) -> str | None:
    """Where the JSON nests deeper than _MAX_JSON_DEPTH (before json.loads recurses)."""
    depth = 0
    for match in _JSON_NESTING.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > _MAX_JSON_DEPTH:
                at = match.start()
                line = text.count("\n", 0, at) + 1
                column = at - (text.rfind("\n", 0, at) + 1) + 1
                return f"line {line} column {column}: nested deeper than {_MAX_JSON_DEPTH} levels"
        elif token in ("]", "}"):
            depth -= 1
    return None


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    twice: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    out = _Object()
    twice: list[str] = []
    for key, value in pairs:
        if key in out and key not in twice:
            twice.append(key)
        out[key] = value
    out.twice = tuple(twice)
    return out


def _parse_json(text: str, source: str) -> tuple[dict[str, dict[str, Price]], list[str]]:
    deep = _too_deep(text)
    if deep:
        return {}, [deep]
    try:
        # Numbers as exact decimals, never floats or (unbounded) ints; NaN and Infinity too,
        # so that they are reported as prices, not as JSON errors.
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        return {}, [f"line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}"]
    if not isinstance(data, dict):
        shape = '{"<region>": {"<item>": "<price>"}}'
        return {}, [f"top level: expected an object {shape}, got {type(data).__name__}"]
    prices: dict[str, dict[str, Price]] = {}
    problems: list[str] = []
    for region, row in data.items():
        key = _escape(region)
        if isinstance(data, _Object) and region in data.twice:
            problems.append(f"key {key}: given twice")
        region_problem = _check_region(region)
        if region_problem:
            problems.append(f"key {key}: {region_problem}")
        if not isinstance(row, dict):
            problems.append(f'key {key}: expected an object {{"<item>": "<price>"}}')
            continue
        for item, value in row.items():
            found = [_check_item(item), _check_amount(value)]
            if isinstance(row, _Object) and item in row.twice:
                found.insert(0, "given twice")
            problems.extend(f"key {key}.{_escape(item)}: {p}" for p in found if p)
            if region_problem is None and not any(found):
                prices.setdefault(region, {})[item] = Price(value, source=source)
    return prices, problems


_FIELD_LIMIT = "field larger than field limit"


def _long_field(record: str, limit: int) -> int | None:
    """The 1-based column whose field outgrows ``limit`` characters in a CSV ``record``.

    Follows the csv module's default dialect (comma, double quotes, doubled to escape), so
    it names the column csv gave up on.
    """
    column, size, quoted, at_start, index = 1, 0, False, True, 0
    while index < len(record):
        char = record[index]
        index += 1
        if quoted:
            if char == '"':
                if record[index : index + 1] != '"':
                    quoted = False
                    continue
                index += 1
            size += 1
        elif char == '"' and at_start:
            quoted = True
        elif char == ",":
            column, size, at_start = column + 1, 0, True
            continue
        else:
            size += 1
        at_start = False
        if size > limit:
            return column
    return None


def _csv_records(
    text: str, problems: list[str], header: list[str]
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every CSV record; a record csv cannot read becomes a problem."""
    reader = csv.reader(io.StringIO(text))
    lines: list[str] | None = None
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            message = f"line {end}: not valid CSV: {exc}"
            if _FIELD_LIMIT in str(exc):
                lines = text.split("\n") if lines is None else lines
                limit = csv.field_size_limit()
                column = _long_field("\n".join(lines[start - 1 : end]), limit)
                where = f"line {end}"
                if column is not None:
                    name = header[column - 1] if column <= len(header) else None
                    where += f", column {column}" + (f" ({name})" if name else "")
                message = (
                    f"{where}: a field longer than {limit} characters (csv.field_size_limit())"
                )
            problems.append(message)
            start = end + 1
            continue
        start = reader.line_num + 1
        yield reader.line_num, row


def _parse_csv(text: str, source: str) -> tuple[dict[str, dict[str, Price]], list[str]]:
    usage = f"the header must be {','.join(_CSV_REQUIRED)}[,currency][,source][,as_of]"
    problems: list[str] = []
    header: list[str] = []
    records = _csv_records(text, problems, header)
    head = "line 1"
    for line, row in records:
        if any(cell.strip() for cell in row):
            header.extend(cell.strip().lower() for cell in row)
            head = f"line {line}"
            break
    if not header:
        return {}, [*problems, f"line 1: empty file; {usage}"]
    shown = [_show_value(c) for c in header]
    problems += [f"{head}: missing column {c!r}; {usage}" for c in _CSV_REQUIRED if c not in header]
    problems += [
        f"{head}: unknown column {s}; {usage}"
        for c, s in zip(header, shown, strict=True)
        if c not in _CSV_COLUMNS
    ]
    problems += [
        f"{head}: column {c!r} appears twice" for c in sorted(set(header)) if header.count(c) > 1
    ]
    if problems:
        return {}, problems
    prices: dict[str, dict[str, Price]] = {}
    first_line: dict[tuple[str, str], int] = {}
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"line {line}: expected {len(header)} fields, got {len(row)}")
            continue
        record = {key: cell.strip() for key, cell in zip(header, row, strict=True)}
        region, item, price = record["region"], record["item"], record["price"]
        found = [_check_region(region), _check_item(item), _check_amount(price)]
        as_of: date | None = None
        if record.get("as_of"):
            try:
                as_of = date.fromisoformat(record["as_of"])
            except ValueError:
                found.append(f"as_of {_show_value(record['as_of'])} is not a date YYYY-MM-DD")
        currency = record.get("currency") or "USD"
        try:
            _currency(currency)
        except ValueError as exc:
            found.append(str(exc))
        if record.get("source"):
            found.append(_source_problem(record["source"]))
        if (region, item) in first_line:
            found.append(f"{item} for {region} again (first on line {first_line[region, item]})")
        elif not any(found):
            first_line[region, item] = line
        problems.extend(f"line {line}: {p}" for p in found if p)
        if not any(found):
            prices.setdefault(region, {})[item] = Price(
                price, currency=currency, source=record.get("source") or source, as_of=as_of
            )
    return prices, problems


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


_Mapped = tuple[str, UsageItem, Price, Any, dict[str, Any]]


def _unmapped(sku: Any, reason: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {"sku": sku, "reason": reason, "attributes": dict(attributes)}


def _plain(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()


def _map_product(raw: Any, wanted: set[str] | None) -> _Mapped | dict[str, Any] | None:
    """A product as (region, item, price, sku, attributes), unmapped record, None (filtered)."""
    try:
        doc = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        product = doc["product"]
        attributes = product.get("attributes") or {}
        sku = product.get("sku")
        if not isinstance(attributes, dict):
            raise TypeError("attributes is not an object")
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return _unmapped(None, "not a Price List product document", {"document": str(raw)[:200]})
    region = attributes.get("regionCode") or _location_regions().get(
        str(attributes.get("location") or "")
    )
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
            amount, note = amount * _HOURS_PER_MONTH, f"unit {unit} x {_HOURS_PER_MONTH} hours"
        problem = _bounds_problem("price", str(amount), amount, Price.MAX_AMOUNT)
        if problem:
            return _unmapped(sku, problem, attributes)
        amount = _plain(amount)
    try:
        as_of: date | None = date.fromisoformat(str(effective)[:10])
    except ValueError:
        as_of = None
    source = f"AWS Price List API, {PRICE_LIST_SERVICE_CODE} sku {sku} ({note})"
    try:
        price = Price(amount, currency=currency, source=source, as_of=as_of)
    except (TypeError, ValueError) as exc:  # a currency code or SKU that is not usable
        return _unmapped(sku, str(exc), attributes)
    return region, rule.item, price, sku, dict(attributes)


def _map_price_list(
    documents: Iterable[Any], wanted: set[str] | None
) -> tuple[dict[str, dict[UsageItem, Price]], list[dict[str, Any]]]:
    found: dict[tuple[str, UsageItem], list[tuple[Price, Any, dict[str, Any]]]] = {}
    unmapped: list[dict[str, Any]] = []
    for raw in documents:
        mapped = _map_product(raw, wanted)
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
