"""The values of pricing: what is billed (``UsageItem``) and one ``Price``.

Bounds (docs/cost.md): a price is a finite decimal from 0 to
    [`Price.MAX_AMOUNT`][inspector_kit.pricing.Price.MAX_AMOUNT]
(10**9 per unit, settable) with at most 30 decimal places. Decimal arithmetic runs in a
local context (``CONTEXT``, 28 digits), whatever the caller's context is.
"""

from __future__ import annotations

import decimal
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, ClassVar

import attrs

from inspector_kit.errors import PriceError, PriceTypeError

__all__ = ["CONTEXT", "HOURS_PER_MONTH", "MAX_PLACES", "Price", "UsageItem"]


class UsageItem(str, Enum):
    """What Inspector bills, as priced here (the value is the price-file key).

    EC2 and Lambda are priced per month of coverage (720 hours), ECR per scan.

    Examples:
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


HOURS_PER_MONTH = Decimal(720)
"""Inspector's month for hourly usage: 30 days x 24 hours (docs/facts.md#cost)."""

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")

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
        raise PriceTypeError(
            f"price {_show_value(value)} is a float: give a str or Decimal (exact money)"
        )
    shown = _show_value(value)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise PriceError(f"price {shown} is not a number") from None
    problem = _bounds_problem("price", shown, amount, Price.MAX_AMOUNT)
    if problem:
        raise PriceError(problem)
    return amount


def _currency(value: str) -> str:
    code = str(value).strip().upper()
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise PriceError(f"currency must be a 3-letter code such as USD; got {_show_value(value)}")
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
        raise PriceError(problem)


@attrs.frozen
class Price:
    """One price: an exact amount, its currency, where it comes from and when it held.

    ``amount`` is a finite decimal from 0 to [`MAX_AMOUNT`][inspector_kit.pricing.Price.MAX_AMOUNT]
    with at most 30 decimal places; ``source`` holds no control characters
    ([`PriceError`][inspector_kit.errors.PriceError], a ``ValueError``, otherwise; a float amount is
    a [`PriceTypeError`][inspector_kit.errors.PriceTypeError], a ``TypeError``).

    Examples:
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


def _item(value: UsageItem | str) -> UsageItem:
    try:
        return UsageItem(value)
    except ValueError:
        known = ", ".join(i.value for i in UsageItem)
        raise PriceError(f"unknown usage item {value!r}; known: {known}") from None


def _check_amount(value: object) -> str | None:
    """Why ``value`` is not a usable price (a str, int or Decimal in bounds), or None."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        return f"price {value!r} must be a string or a number"
    try:
        _amount(value)
    except PriceError as exc:  # PriceTypeError too
        return str(exc)
    return None
