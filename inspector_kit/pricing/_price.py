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
from typing import Any, ClassVar, NamedTuple

import attrs

from inspector_kit.errors import PriceError, PriceTypeError

__all__ = ["CONTEXT", "HOURS_PER_MONTH", "MAX_PLACES", "UNPRICED", "Price", "UsageItem"]


class UsageItem(str, Enum):
    """What Inspector bills, as priced here (the value is the price-file key).

    One item per ``ListUsageTotals`` usage type (``UsageType``; a test walks the enum so a
    new type cannot fall through), plus CIS assessments, which have no usage type. Hourly
    items (EC2, Lambda, AMIs, multi-cloud VMs and functions) are priced per month of
    coverage (720 hours); the others per scan or per assessment (docs/facts.md#cost).

    Examples:
        >>> UsageItem("ec2_agentless").unit
        'instance-month'
        >>> UsageItem.from_usage_type("EC2_AMI_ONE_SHOT_SCAN"), UsageItem.EC2_AMI.hourly
        (<UsageItem.EC2_AMI_ONE_SHOT_SCAN: 'ec2_ami_one_shot_scan'>, True)
        >>> UsageItem.EC2_CIS_ASSESSMENT.usage_type is None
        True
    """

    EC2_AGENT_BASED = "ec2_agent_based"
    EC2_AGENTLESS = "ec2_agentless"
    ECR_INITIAL_SCAN = "ecr_initial_scan"
    ECR_RESCAN = "ecr_rescan"
    LAMBDA_STANDARD = "lambda_standard"
    LAMBDA_CODE = "lambda_code"
    EC2_AMI = "ec2_ami"
    EC2_AMI_ONE_SHOT_SCAN = "ec2_ami_one_shot_scan"
    EC2_CIS_ASSESSMENT = "ec2_cis_assessment"
    CODE_REPOSITORY_SAST = "code_repository_sast"
    CODE_REPOSITORY_IAC = "code_repository_iac"
    CODE_REPOSITORY_SCA = "code_repository_sca"
    AZURE_CONTAINER_INITIAL_SCAN = "azure_container_initial_scan"
    AZURE_CONTAINER_RESCAN = "azure_container_rescan"
    AZURE_VM_AGENT_BASED = "azure_vm_agent_based"
    AZURE_SERVERLESS_FUNCTION = "azure_serverless_function"
    GCP_VM_AGENT_BASED = "gcp_vm_agent_based"
    GCP_CLOUD_RUN = "gcp_cloud_run"
    GCP_CONTAINER_INITIAL_SCAN = "gcp_container_initial_scan"
    GCP_CONTAINER_RESCAN = "gcp_container_rescan"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def unit(self) -> str:
        """What one price buys (``instance-month``, ``scan``, ``assessment``, ...).

        Hourly items: ``instance-month``, ``function-month``, ``image-month`` (AMIs),
        ``service-month`` (Cloud Run); the others ``scan`` or ``assessment``.
        """
        return _ITEMS[self].unit

    @property
    def hourly(self) -> bool:
        """Whether usage is counted in hours and priced per 720 hours."""
        return self.unit.endswith("-month")

    @property
    def usage_type(self) -> str | None:
        """The ``ListUsageTotals`` usage type metering it (``None`` for CIS assessments)."""
        return _ITEMS[self].usage_type

    @property
    def free_trial(self) -> tuple[str, str | None] | None:
        """The ``FreeTrialType`` (and cloud provider) whose trial covers it, or ``None``.

        ``None`` for CIS assessments: ``FreeTrialType`` has no CIS type (no free trial).
        """
        return _ITEMS[self].trial

    @classmethod
    def from_usage_type(cls, usage_type: object) -> UsageItem | None:
        """The item a ``ListUsageTotals`` type is billed as, or ``None`` for an unknown type."""
        return _BY_USAGE_TYPE.get(str(usage_type))


class _Item(NamedTuple):
    unit: str
    usage_type: str | None
    trial: tuple[str, str | None] | None


# The one table of what each item is (docs/facts.md#cost). Units of the items added for
# issue 16 are assumptions where AWS's pages do not say (docs/facts.md#cost): hours-typed
# usage is priced per 720 hours like EC2, the other usage per metered unit.
_ITEMS: dict[UsageItem, _Item] = {
    UsageItem.EC2_AGENT_BASED: _Item("instance-month", "EC2_INSTANCE_HOURS", ("EC2", None)),
    UsageItem.EC2_AGENTLESS: _Item("instance-month", "EC2_AGENTLESS_INSTANCE_HOURS", ("EC2", None)),
    UsageItem.ECR_INITIAL_SCAN: _Item("scan", "ECR_INITIAL_SCAN", ("ECR", None)),
    UsageItem.ECR_RESCAN: _Item("scan", "ECR_RESCAN", ("ECR", None)),
    UsageItem.LAMBDA_STANDARD: _Item("function-month", "LAMBDA_FUNCTION_HOURS", ("LAMBDA", None)),
    UsageItem.LAMBDA_CODE: _Item(
        "function-month", "LAMBDA_FUNCTION_CODE_HOURS", ("LAMBDA_CODE", None)
    ),
    UsageItem.EC2_AMI: _Item("image-month", "EC2_AMI_HOURS", ("MACHINE_IMAGE", None)),
    UsageItem.EC2_AMI_ONE_SHOT_SCAN: _Item(
        "scan", "EC2_AMI_ONE_SHOT_SCAN", ("MACHINE_IMAGE", None)
    ),
    UsageItem.EC2_CIS_ASSESSMENT: _Item("assessment", None, None),
    UsageItem.CODE_REPOSITORY_SAST: _Item(
        "scan", "CODE_REPOSITORY_SAST", ("CODE_REPOSITORY", None)
    ),
    UsageItem.CODE_REPOSITORY_IAC: _Item("scan", "CODE_REPOSITORY_IAC", ("CODE_REPOSITORY", None)),
    UsageItem.CODE_REPOSITORY_SCA: _Item("scan", "CODE_REPOSITORY_SCA", ("CODE_REPOSITORY", None)),
    UsageItem.AZURE_CONTAINER_INITIAL_SCAN: _Item(
        "scan", "AZURE_CONTAINER_IMAGE_INITIAL_SCAN", ("CONTAINER_IMAGE", "AZURE")
    ),
    UsageItem.AZURE_CONTAINER_RESCAN: _Item(
        "scan", "AZURE_CONTAINER_IMAGE_RESCAN", ("CONTAINER_IMAGE", "AZURE")
    ),
    UsageItem.AZURE_VM_AGENT_BASED: _Item(
        "instance-month", "AZURE_VM_AGENT_BASED_INSTANCE_HOURS", ("VM", "AZURE")
    ),
    UsageItem.AZURE_SERVERLESS_FUNCTION: _Item(
        "function-month", "AZURE_SERVERLESS_FUNCTION_HOURS", ("SERVERLESS_FUNCTION", "AZURE")
    ),
    UsageItem.GCP_VM_AGENT_BASED: _Item(
        "instance-month", "GCP_VM_AGENT_BASED_INSTANCE_HOURS", ("VM", "GCP")
    ),
    UsageItem.GCP_CLOUD_RUN: _Item(
        "service-month", "GCP_CLOUD_RUN_HOURS", ("SERVERLESS_FUNCTION", "GCP")
    ),
    UsageItem.GCP_CONTAINER_INITIAL_SCAN: _Item(
        "scan", "GCP_CONTAINER_IMAGE_INITIAL_SCAN", ("CONTAINER_IMAGE", "GCP")
    ),
    UsageItem.GCP_CONTAINER_RESCAN: _Item(
        "scan", "GCP_CONTAINER_IMAGE_RESCAN", ("CONTAINER_IMAGE", "GCP")
    ),
}
_BY_USAGE_TYPE: dict[str, UsageItem] = {
    info.usage_type: item for item, info in _ITEMS.items() if info.usage_type is not None
}

_NO_SOURCE = (
    "no AWS source for this price could be read on 2026-12-04 (docs/facts.md#cost), so the "
    "bundled table holds none"
)

#: Why the bundled table holds no price for an item, in any region: the prices AWS
#: publishes for these could not be read with a source (docs/facts.md#cost). They are
#: never guessed: price them with ``inspector_kit.fetch.fetch_price_table()`` (the AWS
#: Price List; or ``PriceTable.from_price_list_documents()`` on documents you hold) or your
#: own ``PriceTable.from_file()``. A test checks that every item is either priced in the
#: bundled table or listed here, never both.
UNPRICED: dict[UsageItem, str] = {
    UsageItem.EC2_AMI: f"AMI scanning (continuous): {_NO_SOURCE}",
    UsageItem.EC2_AMI_ONE_SHOT_SCAN: f"AMI scanning (one-shot scans): {_NO_SOURCE}",
    UsageItem.EC2_CIS_ASSESSMENT: (
        f"CIS assessments (billed per assessment per instance, no free trial): {_NO_SOURCE}"
    ),
    UsageItem.CODE_REPOSITORY_SAST: f"code security (SAST): {_NO_SOURCE}",
    UsageItem.CODE_REPOSITORY_IAC: f"code security (IaC): {_NO_SOURCE}",
    UsageItem.CODE_REPOSITORY_SCA: f"code security (SCA): {_NO_SOURCE}",
    UsageItem.AZURE_CONTAINER_INITIAL_SCAN: f"Azure container images: {_NO_SOURCE}",
    UsageItem.AZURE_CONTAINER_RESCAN: f"Azure container images: {_NO_SOURCE}",
    UsageItem.AZURE_VM_AGENT_BASED: f"Azure VMs: {_NO_SOURCE}",
    UsageItem.AZURE_SERVERLESS_FUNCTION: f"Azure serverless functions: {_NO_SOURCE}",
    UsageItem.GCP_VM_AGENT_BASED: f"GCP VMs: {_NO_SOURCE}",
    UsageItem.GCP_CLOUD_RUN: f"GCP Cloud Run: {_NO_SOURCE}",
    UsageItem.GCP_CONTAINER_INITIAL_SCAN: f"GCP container images: {_NO_SOURCE}",
    UsageItem.GCP_CONTAINER_RESCAN: f"GCP container images: {_NO_SOURCE}",
}


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
