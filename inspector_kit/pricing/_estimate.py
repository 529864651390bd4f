"""Cost estimates: usage x price, line by line, with the formula and the price's source.

Inspector bills EC2 and Lambda by coverage hours: hours / 720 = average resources covered in
a month, times the monthly price; ECR per scan (docs/facts.md#cost,
https://docs.aws.amazon.com/inspector/latest/user/usage.html). Money is ``Decimal`` end to end,
computed in a local context (``CONTEXT``, 28 digits), so the
caller's own decimal context (precision, traps) changes nothing. Quantities are bounded
([`Usage.MAX_QUANTITY`][inspector_kit.pricing.Usage.MAX_QUANTITY]), so no estimate can overflow or
lose its cents.
"""

from __future__ import annotations

import decimal
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from inspector_kit._html import html_table
from inspector_kit._records import RecordsMixin
from inspector_kit.errors import PriceNotFoundError, UsageError

from ._price import (
    CONTEXT,
    HOURS_PER_MONTH,
    MAX_PLACES,
    UNPRICED,
    Price,
    UsageItem,
    _item,
    _show_value,
)
from ._table import PriceTable

if TYPE_CHECKING:
    from inspector_kit._accounts_dir import AccountDirectory, AccountGroups
    from inspector_kit.coverage import CoverageReport
    from inspector_kit.models import UsageTotal

__all__ = [
    "FREE_TRIAL_DAYS",
    "HOURS_PER_MONTH",
    "USAGE_GROUP_COLUMNS",
    "AwsComparison",
    "CostEstimate",
    "CostLine",
    "ModeComparison",
    "Usage",
    "compare_modes",
    "compare_regions",
    "compare_with_aws",
    "estimate",
]

FREE_TRIAL_DAYS = 15
"""Each scan type's free-trial length, for when an account's real dates are unknown
(docs/facts.md#cost); prefer the real dates:
[`free_trial_days`][inspector_kit.pricing.free_trial_days]."""

_CENT = Decimal("0.01")
_PLACES_SHOWN = Decimal("0.0001")
#: AWS's own estimate for one usage line beyond this (or not finite) is not compared.
_MAX_AWS_ESTIMATE = Decimal(10**15)


def _to_quantity(name: str, value: Any) -> Decimal:
    """``value`` as a bounded Decimal quantity, or a UsageError naming ``name``."""
    shown = _show_value(value)
    if isinstance(value, bool) or value is None:
        raise UsageError(f"{name} must be a number >= 0; got {shown}")
    try:
        # str() first: a float from the API keeps its shortest repr, not binary noise.
        quantity = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise UsageError(f"{name} must be a number >= 0; got {shown}") from None
    if not quantity.is_finite() or quantity < 0:
        raise UsageError(f"{name} must be a number >= 0; got {shown}")
    if quantity > Usage.MAX_QUANTITY:
        raise UsageError(
            f"{name} must be at most {Usage.MAX_QUANTITY} (Usage.MAX_QUANTITY); got {shown}"
        )
    exponent = quantity.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise UsageError(
            f"{name} must be a number with at most {MAX_PLACES} decimal places; got {shown}"
        )
    return quantity


# Named converters (one per field, so the error names the field; attrs' mypy plugin
# needs named functions).
def _agent_based_hours(value: Any) -> Decimal:
    return _to_quantity("agent_based_hours", value)


def _agentless_hours(value: Any) -> Decimal:
    return _to_quantity("agentless_hours", value)


def _ecr_initial_scans(value: Any) -> Decimal:
    return _to_quantity("ecr_initial_scans", value)


def _ecr_rescans(value: Any) -> Decimal:
    return _to_quantity("ecr_rescans", value)


def _lambda_hours(value: Any) -> Decimal:
    return _to_quantity("lambda_hours", value)


def _lambda_code_hours(value: Any) -> Decimal:
    return _to_quantity("lambda_code_hours", value)


def _ami_hours(value: Any) -> Decimal:
    return _to_quantity("ami_hours", value)


def _ami_one_shot_scans(value: Any) -> Decimal:
    return _to_quantity("ami_one_shot_scans", value)


def _cis_assessments(value: Any) -> Decimal:
    return _to_quantity("cis_assessments", value)


def _code_sast_scans(value: Any) -> Decimal:
    return _to_quantity("code_sast_scans", value)


def _code_iac_scans(value: Any) -> Decimal:
    return _to_quantity("code_iac_scans", value)


def _code_sca_scans(value: Any) -> Decimal:
    return _to_quantity("code_sca_scans", value)


def _azure_container_initial_scans(value: Any) -> Decimal:
    return _to_quantity("azure_container_initial_scans", value)


def _azure_container_rescans(value: Any) -> Decimal:
    return _to_quantity("azure_container_rescans", value)


def _azure_vm_hours(value: Any) -> Decimal:
    return _to_quantity("azure_vm_hours", value)


def _azure_serverless_hours(value: Any) -> Decimal:
    return _to_quantity("azure_serverless_hours", value)


def _gcp_vm_hours(value: Any) -> Decimal:
    return _to_quantity("gcp_vm_hours", value)


def _gcp_cloud_run_hours(value: Any) -> Decimal:
    return _to_quantity("gcp_cloud_run_hours", value)


def _gcp_container_initial_scans(value: Any) -> Decimal:
    return _to_quantity("gcp_container_initial_scans", value)


def _gcp_container_rescans(value: Any) -> Decimal:
    return _to_quantity("gcp_container_rescans", value)


#: Usage field -> the item it is billed as (one field per UsageItem).
_FIELDS: dict[str, UsageItem] = {
    "agent_based_hours": UsageItem.EC2_AGENT_BASED,
    "agentless_hours": UsageItem.EC2_AGENTLESS,
    "ecr_initial_scans": UsageItem.ECR_INITIAL_SCAN,
    "ecr_rescans": UsageItem.ECR_RESCAN,
    "lambda_hours": UsageItem.LAMBDA_STANDARD,
    "lambda_code_hours": UsageItem.LAMBDA_CODE,
    "ami_hours": UsageItem.EC2_AMI,
    "ami_one_shot_scans": UsageItem.EC2_AMI_ONE_SHOT_SCAN,
    "cis_assessments": UsageItem.EC2_CIS_ASSESSMENT,
    "code_sast_scans": UsageItem.CODE_REPOSITORY_SAST,
    "code_iac_scans": UsageItem.CODE_REPOSITORY_IAC,
    "code_sca_scans": UsageItem.CODE_REPOSITORY_SCA,
    "azure_container_initial_scans": UsageItem.AZURE_CONTAINER_INITIAL_SCAN,
    "azure_container_rescans": UsageItem.AZURE_CONTAINER_RESCAN,
    "azure_vm_hours": UsageItem.AZURE_VM_AGENT_BASED,
    "azure_serverless_hours": UsageItem.AZURE_SERVERLESS_FUNCTION,
    "gcp_vm_hours": UsageItem.GCP_VM_AGENT_BASED,
    "gcp_cloud_run_hours": UsageItem.GCP_CLOUD_RUN,
    "gcp_container_initial_scans": UsageItem.GCP_CONTAINER_INITIAL_SCAN,
    "gcp_container_rescans": UsageItem.GCP_CONTAINER_RESCAN,
}
#: ListUsageTotals type -> Usage field (every UsageType; CIS assessments have none).
_API_TYPES: dict[str, str] = {
    str(item.usage_type): name for name, item in _FIELDS.items() if item.usage_type is not None
}


@attrs.frozen
class Usage:
    """Metered usage: one field per [`UsageItem`][inspector_kit.pricing.UsageItem].

    Hours (instance-, function-, AMI- and service-hours) and counts (scans, CIS
    assessments). Every ``ListUsageTotals`` usage type has its field
    ([`from_usage_totals`][inspector_kit.pricing.Usage.from_usage_totals]).

    Numbers, numeric strings and ``Decimal`` are accepted; negative, non-numeric or
    non-finite values, values above [`MAX_QUANTITY`][inspector_kit.pricing.Usage.MAX_QUANTITY] or
    with more than 30 decimal places raise [`UsageError`][inspector_kit.pricing.UsageError] naming
    the field.

    Examples:
        >>> u = Usage(agent_based_hours=720, agentless_hours="360")
        >>> u.agent_based_hours, u.agentless_hours, (u + u).agentless_hours
        (Decimal('720'), Decimal('360'), Decimal('720'))
    """

    MAX_QUANTITY: ClassVar[Decimal] = Decimal(10**12)
    """The largest quantity of any field (hours or scans): a trillion instance-hours is
    over a billion instance-months. Raise it by setting ``Usage.MAX_QUANTITY``
    (process-wide); prices are bounded by
    [`Price.MAX_AMOUNT`][inspector_kit.pricing.Price.MAX_AMOUNT]."""

    agent_based_hours: Decimal = attrs.field(default=Decimal(0), converter=_agent_based_hours)
    """EC2 instance-hours scanned agent-based (``EC2_INSTANCE_HOURS``)."""
    agentless_hours: Decimal = attrs.field(default=Decimal(0), converter=_agentless_hours)
    """EC2 instance-hours scanned agentless (``EC2_AGENTLESS_INSTANCE_HOURS``)."""
    ecr_initial_scans: Decimal = attrs.field(default=Decimal(0), converter=_ecr_initial_scans)
    """ECR images scanned on push (``ECR_INITIAL_SCAN``)."""
    ecr_rescans: Decimal = attrs.field(default=Decimal(0), converter=_ecr_rescans)
    """ECR rescans (``ECR_RESCAN``)."""
    lambda_hours: Decimal = attrs.field(default=Decimal(0), converter=_lambda_hours)
    """Lambda function-hours, standard scanning (``LAMBDA_FUNCTION_HOURS``)."""
    lambda_code_hours: Decimal = attrs.field(default=Decimal(0), converter=_lambda_code_hours)
    """Lambda function-hours, code scanning (``LAMBDA_FUNCTION_CODE_HOURS``)."""
    ami_hours: Decimal = attrs.field(default=Decimal(0), converter=_ami_hours)
    """AMI-hours under continuous AMI scanning (``EC2_AMI_HOURS``)."""
    ami_one_shot_scans: Decimal = attrs.field(default=Decimal(0), converter=_ami_one_shot_scans)
    """One-shot (on-demand) AMI scans (``EC2_AMI_ONE_SHOT_SCAN``)."""
    cis_assessments: Decimal = attrs.field(default=Decimal(0), converter=_cis_assessments)
    """CIS benchmark assessments, one per instance per scan (no usage type; no free trial)."""
    code_sast_scans: Decimal = attrs.field(default=Decimal(0), converter=_code_sast_scans)
    """Code security, SAST, as metered (``CODE_REPOSITORY_SAST``)."""
    code_iac_scans: Decimal = attrs.field(default=Decimal(0), converter=_code_iac_scans)
    """Code security, IaC, as metered (``CODE_REPOSITORY_IAC``)."""
    code_sca_scans: Decimal = attrs.field(default=Decimal(0), converter=_code_sca_scans)
    """Code security, SCA, as metered (``CODE_REPOSITORY_SCA``)."""
    azure_container_initial_scans: Decimal = attrs.field(
        default=Decimal(0), converter=_azure_container_initial_scans
    )
    """Azure container images, initial scans (``AZURE_CONTAINER_IMAGE_INITIAL_SCAN``)."""
    azure_container_rescans: Decimal = attrs.field(
        default=Decimal(0), converter=_azure_container_rescans
    )
    """Azure container images, rescans (``AZURE_CONTAINER_IMAGE_RESCAN``)."""
    azure_vm_hours: Decimal = attrs.field(default=Decimal(0), converter=_azure_vm_hours)
    """Azure VM-hours, agent-based (``AZURE_VM_AGENT_BASED_INSTANCE_HOURS``)."""
    azure_serverless_hours: Decimal = attrs.field(
        default=Decimal(0), converter=_azure_serverless_hours
    )
    """Azure function-hours (``AZURE_SERVERLESS_FUNCTION_HOURS``)."""
    gcp_vm_hours: Decimal = attrs.field(default=Decimal(0), converter=_gcp_vm_hours)
    """GCP VM-hours, agent-based (``GCP_VM_AGENT_BASED_INSTANCE_HOURS``)."""
    gcp_cloud_run_hours: Decimal = attrs.field(default=Decimal(0), converter=_gcp_cloud_run_hours)
    """GCP Cloud Run service-hours (``GCP_CLOUD_RUN_HOURS``)."""
    gcp_container_initial_scans: Decimal = attrs.field(
        default=Decimal(0), converter=_gcp_container_initial_scans
    )
    """GCP container images, initial scans (``GCP_CONTAINER_IMAGE_INITIAL_SCAN``)."""
    gcp_container_rescans: Decimal = attrs.field(
        default=Decimal(0), converter=_gcp_container_rescans
    )
    """GCP container images, rescans (``GCP_CONTAINER_IMAGE_RESCAN``)."""

    def quantity(self, item: UsageItem) -> Decimal:
        """The quantity of one priced item."""
        for name, mapped in _FIELDS.items():
            if mapped is item:
                return Decimal(getattr(self, name))
        raise UsageError(f"unknown usage item {item!r}")  # pragma: no cover

    def __add__(self, other: Usage) -> Usage:
        if not isinstance(other, Usage):
            return NotImplemented
        with decimal.localcontext(CONTEXT):
            sums = {n: getattr(self, n) + getattr(other, n) for n in _FIELDS}
        return Usage(**sums)

    @classmethod
    def from_usage_totals(cls, totals: Iterable[UsageTotal], *, region: str | None = None) -> Usage:
        """Sum ``ListUsageTotals`` (``Inspector.usage_totals()``) into one usage.

        Every usage type has a field (AMIs, code security, Azure and GCP included); a type
        this version does not know is left out. Whether each is priced is up to the
        table: see [`estimate`][inspector_kit.pricing.estimate]'s ``missing``, and
        [`compare_with_aws`][inspector_kit.pricing.compare_with_aws] for a line-by-line check
        against AWS's own estimate.

        Examples:
            >>> from inspector_kit.models import UsageTotal
            >>> t = UsageTotal.from_api({"accountId": "111122223333", "usage": [
            ...     {"type": "EC2_INSTANCE_HOURS", "total": 1440.0}]}, region="us-east-1")
            >>> Usage.from_usage_totals([t]).agent_based_hours
            Decimal('1440.0')
        """
        sums: dict[str, Decimal] = dict.fromkeys(_FIELDS, Decimal(0))
        for total in totals:
            if region is not None and total.region not in (None, region):
                continue
            for usage in total.usage or ():
                name = _API_TYPES.get(str(usage.type))
                if name is not None and usage.total is not None:
                    quantity = _to_quantity(_entry(total, usage.type), usage.total)
                    with decimal.localcontext(CONTEXT):
                        sums[name] += quantity
        return cls(**sums)

    @classmethod
    def from_coverage(
        cls, report: CoverageReport, *, hours: Decimal | int | str = HOURS_PER_MONTH
    ) -> Usage:
        """Instance-hours of a coverage report: billed instances x ``hours``, by method.

        Stopped, excluded and unscanned instances are not billed and count 0.

        Examples:
            >>> from inspector_kit.sample import sample_inventory
            >>> u = Usage.from_coverage(sample_inventory().analyze())
            >>> u.agent_based_hours, u.agentless_hours
            (Decimal('10800'), Decimal('5040'))
        """
        from inspector_kit.coverage import ScanMethod

        per = _to_quantity("hours", hours)
        # The VM Scanner is agent-based scanning (docs/facts.md#vm-scanner): agent-based hours.
        agent = sum(1 for c in report if c.billed_method.agent)
        agentless = sum(1 for c in report if c.billed_method is ScanMethod.AGENTLESS)
        with decimal.localcontext(CONTEXT):
            return cls(agent_based_hours=agent * per, agentless_hours=agentless * per)


def _entry(total: UsageTotal, kind: object) -> str:
    """How a usage line is named in errors: its type, account and region."""
    return f"{kind} for account {total.account_id} in {total.region or 'an unknown region'}"


@attrs.frozen
class CostLine:
    """One line of an estimate: quantity x price, with its formula and source.

    Examples:
        >>> line = estimate(Usage(agent_based_hours=720), region="us-east-1").lines[0]
        >>> line.formula
        '720 instance-hours / 720 x 1.2528 USD per instance-month = 1.25 USD'
        >>> line.amount
        Decimal('1.2528')
    """

    item: UsageItem
    """What is priced."""
    quantity: Decimal
    """Hours or scans."""
    price: Price
    """The price applied (with its source and date)."""
    amount: Decimal
    """The line's cost, exact (not rounded)."""

    @property
    def unit(self) -> str:
        """``instance-hours`` (and the other ``-hours``), ``scans`` or ``assessments``."""
        if self.item.hourly:
            return self.item.unit.replace("-month", "-hours")
        return f"{self.item.unit}s"

    @property
    def formula(self) -> str:
        """How the amount was computed, in words and numbers; the amount shown to the cent.

        A display field: the exact amount is ``amount``.
        """
        cur = self.price.currency
        amount = _money(self.amount)
        if self.item.hourly:
            return (
                f"{_show(self.quantity)} {self.unit} / 720 x {self.price.amount} {cur} per "
                f"{self.item.unit} = {amount} {cur}"
            )
        return (
            f"{_show(self.quantity)} {self.unit} x {self.price.amount} {cur} per "
            f"{self.item.unit} = {amount} {cur}"
        )


def _show(value: Decimal) -> str:
    """A decimal for people: at most 4 places, trailing zeros dropped."""
    with decimal.localcontext(CONTEXT):
        try:
            shown = value.quantize(_PLACES_SHOWN).normalize()
        except decimal.DecimalException:  # a CostLine built by hand beyond the bounds
            return f"{value:E}"
    return f"{shown:f}"


@attrs.frozen
class CostEstimate(RecordsMixin, Sequence[CostLine]):
    """A monthly estimate for one region: lines and their exact total.

    Rows: [`columns`][inspector_kit.pricing.CostEstimate.columns] and
        [`to_records`][inspector_kit.pricing.CostEstimate.to_records] (one row per line).

    Examples:
        >>> e = estimate(Usage(agent_based_hours=720, agentless_hours=720),
        ...              region="ap-northeast-1")
        >>> e.total, e.currency
        (Decimal('3.5928'), 'USD')
    """

    region: str
    """The region priced."""
    lines: tuple[CostLine, ...]
    """One line per item with usage."""
    currency: str = "USD"
    """The currency of every line."""
    notes: tuple[str, ...] = ()
    """What was assumed (free trial, ...)."""
    unpriced: tuple[PriceNotFoundError, ...] = ()
    """Items with usage and no price (``estimate(..., missing="list")``): not in the lines
    or the total, never priced at zero; each says how to supply the price."""

    columns: ClassVar[tuple[str, ...]] = (
        "region",
        "item",
        "quantity",
        "unit",
        "price",
        "currency",
        "amount",
        "formula",
        "source",
        "as_of",
    )
    """The keys of every row of ``to_records``, in order."""

    def __getitem__(self, index: Any) -> Any:
        return self.lines[index]

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[CostLine]:
        return iter(self.lines)

    @property
    def total(self) -> Decimal:
        """The sum of the lines, exact."""
        with decimal.localcontext(CONTEXT):
            return sum((line.amount for line in self.lines), Decimal(0))

    def line(self, item: UsageItem | str) -> CostLine | None:
        """The line for one item, or ``None`` when it has no usage."""
        wanted = _item(item)
        return next((line for line in self.lines if line.item is wanted), None)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat row per line, keys ``columns``; numbers ``Decimal``, ``as_of`` a date.

        Examples:
            >>> e = estimate(Usage(agent_based_hours=360), region="us-east-1")
            >>> row = e.to_records()[0]
            >>> tuple(row) == CostEstimate.columns, row["amount"], row["as_of"]
            (True, Decimal('0.62640'), datetime.date(2024, 4, 1))
        """
        return [
            {
                "region": self.region,
                "item": line.item.value,
                "quantity": line.quantity,
                "unit": line.unit,
                "price": line.price.amount,
                "currency": line.price.currency,
                "amount": line.amount,
                "formula": line.formula,
                "source": line.price.source,
                "as_of": line.price.as_of,
            }
            for line in self.lines
        ]

    def to_text(self) -> str:
        """A readable table, amounts rounded to the cent for display only."""
        rows = [f"Estimated monthly cost in {self.region}: {_money(self.total)} {self.currency}"]
        for line in self.lines:
            rows.append(
                f"  {line.item.value:<17} {_show(line.quantity):>12} {line.unit:<15} "
                f"x {line.price.amount} = {_money(line.amount):>10} {line.price.currency}"
            )
        rows.extend(f"  note: {note}" for note in self.notes)
        rows.extend(f"  not priced: {_unpriced_text(exc)}" for exc in self.unpriced)
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        rows = [
            {
                "item": r["item"],
                "amount": _money(r["amount"]),
                "currency": r["currency"],
                "formula": r["formula"],
                "source": r["source"],
                "as of": r["as_of"],
            }
            for r in self.to_records()
        ]
        caption = f"Estimated monthly cost in {self.region}: {_money(self.total)} {self.currency}"
        footer = [f"note: {'; '.join(self.notes)}"] if self.notes else []
        footer.extend(f"not priced: {_unpriced_text(exc)}" for exc in self.unpriced)
        return html_table(rows, caption=caption, footer="; ".join(footer) or None)

    def __str__(self) -> str:
        return self.to_text()


def _unpriced_text(exc: PriceNotFoundError) -> str:
    """A missing price, with why the bundled table has none (``UNPRICED``) when known."""
    reason = UNPRICED.get(exc.item) if isinstance(exc.item, UsageItem) else None
    return f"{exc} ({reason})" if reason else str(exc)


def _signed(value: Decimal) -> str:
    """Money to the cent with its sign: ``+0.01``, ``-1.25``."""
    text = _money(value)
    return text if text.startswith("-") else f"+{text}"


def _money(value: Decimal) -> str:
    """Money for people: rounded to the cent (half even), thousands separated."""
    with decimal.localcontext(CONTEXT):
        try:
            return f"{value.quantize(_CENT):,}"
        except decimal.DecimalException:  # beyond the bounds (a CostLine built by hand)
            return f"{value:E}"


def estimate(
    usage: Usage,
    *,
    region: str,
    prices: PriceTable | None = None,
    free_trial_days: int | Decimal | Mapping[UsageItem | str, int | Decimal] = 0,
    missing: Literal["raise", "list"] = "raise",
) -> CostEstimate:
    """Price ``usage`` in ``region``: hours / 720 x monthly price, scans x scan price.

    Args:
        usage: The quantities.
        region: Where the usage runs (prices differ by region).
        prices: The table (default
            [`PriceTable.bundled`][inspector_kit.pricing.PriceTable.bundled]). An item with usage
            and no price raises [`PriceNotFoundError`][inspector_kit.pricing.PriceNotFoundError]; it
            is never priced at zero.
        free_trial_days: Days of the 30-day month still inside the free trial (0-30,
            an ``int`` or an exact ``Decimal``), for every item that has a trial or per item
            (``{"lambda_code": 15}``): that share of the item's usage is free. Take them
            from the account's real trial dates with
            [`free_trial_days`][inspector_kit.pricing.free_trial_days] (``BatchGetFreeTrialInfo``);
            ``FREE_TRIAL_DAYS`` (15) is the documented length when the dates are unknown.
            CIS assessments have no free trial: a single number leaves them billed, and
            naming them with days > 0 is a ``UsageError``.
        missing: ``"raise"`` (default): an item with usage and no price raises
            [`PriceNotFoundError`][inspector_kit.pricing.PriceNotFoundError]. ``"list"``: it
            is left out of the lines and the total and listed in
            [`unpriced`][inspector_kit.pricing.CostEstimate.unpriced], with how to price it.

    Examples:
        >>> estimate(Usage(agent_based_hours=720), region="ap-northeast-1").total
        Decimal('1.512')
        >>> estimate(Usage(agentless_hours=360), region="us-east-1").total
        Decimal('0.87480')
        >>> estimate(Usage(agent_based_hours=720, agentless_hours=720), region="us-east-1",
        ...          free_trial_days={"ec2_agentless": 15}).total
        Decimal('2.12760')
        >>> e = estimate(Usage(agent_based_hours=720, ami_hours=720), region="us-east-1",
        ...              missing="list")
        >>> e.total, [str(x.item) for x in e.unpriced]
        (Decimal('1.2528'), ['ec2_ami'])
    """
    if missing not in ("raise", "list"):
        raise UsageError(f"missing must be 'raise' or 'list'; got {_show_value(missing)}")
    table = prices if prices is not None else PriceTable.bundled()
    trial = _trial_days(free_trial_days)
    # A note for each item with usage that the trial makes (partly) free.
    notes = [
        f"free trial: {_show(days)} of 30 days of {item.value} free, so "
        f"{_show(30 - days)}/30 is billed"
        for item, days in trial.items()
        if days and usage.quantity(item)
    ]
    unpriced: list[PriceNotFoundError] = []
    billed = usage
    lines: list[CostLine] = []
    currencies: set[str] = set()
    # Bounded inputs (Usage.MAX_QUANTITY, Price.MAX_AMOUNT) keep every step exact to the
    # cent within 28 digits; the local context makes the caller's context irrelevant.
    with decimal.localcontext(CONTEXT):
        for item in UsageItem:
            quantity = billed.quantity(item)
            if trial.get(item):
                # Multiply first: whole days then stay exact (720 x 26 / 30 = 624).
                quantity = quantity * (30 - trial[item]) / Decimal(30)
            if not quantity:
                continue
            price = table.get(region, item)
            if price is None:
                if missing == "raise":
                    raise PriceNotFoundError(region, item)
                unpriced.append(PriceNotFoundError(region, item))
                continue
            currencies.add(price.currency)
            units = quantity / HOURS_PER_MONTH if item.hourly else quantity
            lines.append(CostLine(item, quantity, price, units * price.amount))
    if len(currencies) > 1:
        raise UsageError(f"prices for {region} mix currencies {sorted(currencies)}")
    return CostEstimate(
        region=region,
        lines=tuple(lines),
        currency=currencies.pop() if currencies else "USD",
        notes=tuple(notes),
        unpriced=tuple(unpriced),
    )


def _trial_days(
    value: int | Decimal | Mapping[UsageItem | str, int | Decimal],
) -> dict[UsageItem, Decimal]:
    if isinstance(value, Mapping):
        pairs = []
        for key, days in value.items():
            try:
                pairs.append((UsageItem(key), days))
            except ValueError:
                known = ", ".join(i.value for i in UsageItem)
                raise UsageError(
                    f"free_trial_days: unknown usage item {_show_value(key)}; known: {known}"
                ) from None
    else:
        # One number for every item that has a trial; CIS assessments have none.
        pairs = [(item, value) for item in UsageItem if item.free_trial is not None]
    out: dict[UsageItem, Decimal] = {}
    for item, days in pairs:
        number = not isinstance(days, bool) and isinstance(days, (int, Decimal))
        if not number or not Decimal(days).is_finite() or not 0 <= days <= 30:
            raise UsageError(f"free_trial_days for {item.value} must be 0 to 30; got {days!r}")
        if days and item.free_trial is None:
            raise UsageError(f"free_trial_days: {item.value} has no free trial; got {days!r}")
        out[item] = Decimal(days)
    return out


@attrs.frozen
class AwsComparison(RecordsMixin):
    """Our estimate of ``ListUsageTotals`` next to AWS's own ``estimatedMonthlyCost``.

    Examples:
        >>> from inspector_kit.models import UsageTotal
        >>> t = UsageTotal.from_api({"accountId": "123456789012", "usage": [{"type":
        ...     "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.06, "currency": "USD"}]},
        ...     region="us-east-1")
        >>> c = compare_with_aws([t])
        >>> c.rows[0]["ours"], c.rows[0]["aws"], c.rows[0]["difference"]
        (Decimal('0.060'), Decimal('0.06'), Decimal('0.000'))
    """

    rows: tuple[dict[str, Any], ...]
    """Per account, region and usage type: quantity, AWS's estimate, ours, the difference
    (ours - AWS), and the price source (or why there is none)."""

    columns: ClassVar[tuple[str, ...]] = (
        "account_id",
        "region",
        "type",
        "quantity",
        "aws",
        "ours",
        "difference",
        "source",
    )
    """The keys of every row of ``to_records``, in order."""

    @property
    def compared(self) -> tuple[dict[str, Any], ...]:
        """Rows with both our estimate and AWS's: the scope both totals are taken over."""
        return tuple(r for r in self.rows if r["ours"] is not None and r["aws"] is not None)

    @property
    def aws_total(self) -> Decimal:
        """AWS's estimates, summed over [`compared`][inspector_kit.pricing.AwsComparison.compared].

        The same rows as ``our_total``: a line we cannot price is left out of both (and listed
        in ``unpriced``), so the two totals compare like with like.
        """
        with decimal.localcontext(CONTEXT):
            return sum((r["aws"] for r in self.compared), Decimal(0))

    @property
    def our_total(self) -> Decimal:
        """Our estimates, summed over the same rows as ``aws_total`` (``compared``)."""
        with decimal.localcontext(CONTEXT):
            return sum((r["ours"] for r in self.compared), Decimal(0))

    @property
    def unpriced(self) -> tuple[dict[str, Any], ...]:
        """Rows with usage we hold no price for (never counted as zero)."""
        return tuple(r for r in self.rows if r["ours"] is None)

    @property
    def not_compared(self) -> tuple[dict[str, Any], ...]:
        """Rows left out of both totals: no price of ours, or no usable estimate from AWS."""
        return tuple(r for r in self.rows if r["ours"] is None or r["aws"] is None)

    def to_records(self) -> list[dict[str, Any]]:
        """The rows as plain dicts, keys ``columns`` (a key a row lacks is ``None``).

        Examples:
            >>> from inspector_kit.models import UsageTotal
            >>> t = UsageTotal.from_api({"accountId": "123456789012", "usage": [{"type":
            ...     "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.06}]},
            ...     region="us-east-1")
            >>> row = compare_with_aws([t]).to_records()[0]
            >>> tuple(row) == AwsComparison.columns, row["aws"]
            (True, Decimal('0.06'))
        """
        return [{c: r.get(c) for c in self.columns} for r in self.rows]

    def by_account(self, directory: AccountDirectory | None = None) -> AccountGroups:
        """AWS's and our totals per account (over the compared lines, as ``our_total``).

        Columns ``account_id``, ``account_name``, ``ou`` (from ``directory``), then
        [`USAGE_GROUP_COLUMNS`][inspector_kit.pricing.USAGE_GROUP_COLUMNS].

        Examples:
            >>> from inspector_kit.models import UsageTotal
            >>> from inspector_kit.sample import sample_accounts
            >>> totals = [UsageTotal.from_api({"accountId": account, "usage": [{"type":
            ...     "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.06}]},
            ...     region="us-east-1") for account in ("111122223333", "444455556666")]
            >>> groups = compare_with_aws(totals).by_account(sample_accounts())
            >>> [(r["account_name"], r["ours"], r["aws"]) for r in groups]
            [('shop-prod', Decimal('0.060'), Decimal('0.06')), \
('shop-staging', Decimal('0.060'), Decimal('0.06'))]
        """
        return _usage_groups(self, "account", directory, None)

    def by_ou(self, directory: AccountDirectory, *, depth: int | None = None) -> AccountGroups:
        """AWS's and our totals per OU (path cut to ``depth`` names; unknown accounts kept).

        Examples:
            >>> from inspector_kit.models import UsageTotal
            >>> from inspector_kit.sample import sample_accounts
            >>> totals = [UsageTotal.from_api({"accountId": account, "usage": [{"type":
            ...     "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.06}]},
            ...     region="us-east-1") for account in ("111122223333", "444455556666")]
            >>> row = compare_with_aws(totals).by_ou(sample_accounts(), depth=2).to_records()[0]
            >>> row["ou"], row["accounts"], row["ours"], row["difference"]
            ('Root/Workloads', 2, Decimal('0.120'), Decimal('0.000'))
        """
        return _usage_groups(self, "ou", directory, depth)

    def _summary(self) -> str:
        out = (
            f"Ours {_money(self.our_total)} vs AWS {_money(self.aws_total)} USD over the same "
            f"{len(self.compared)} usage line(s)"
        )
        left = self.not_compared
        if left:
            regions = ", ".join(sorted({f"{r['type']} in {r['region']}" for r in left}))
            out += f"; {len(left)} not compared (no price or no AWS estimate: {regions})"
        return out

    def to_text(self) -> str:
        """A readable table of the differences, money to the cent.

        Examples:
            >>> from inspector_kit.models import UsageTotal
            >>> east = UsageTotal.from_api({"accountId": "123456789012", "usage": [
            ...     {"type": "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.07}]},
            ...     region="us-east-1")
            >>> west = UsageTotal.from_api({"accountId": "123456789012", "usage": [
            ...     {"type": "EC2_AGENTLESS_INSTANCE_HOURS", "total": 720.0,
            ...      "estimatedMonthlyCost": 2.5}]}, region="eu-west-1")
            >>> c = compare_with_aws([east, west])
            >>> c.our_total, c.aws_total, len(c.not_compared)
            (Decimal('0.060'), Decimal('0.07'), 1)
            >>> print(c.to_text().splitlines()[1])  # doctest: +NORMALIZE_WHITESPACE
              123456789012 us-east-1       ECR_RESCAN                   ours      0.06
              aws      0.07 (-0.01)
        """
        out = [self._summary()]
        for r in self.rows:
            ours = "no price" if r["ours"] is None else _money(r["ours"])
            aws = "-" if r["aws"] is None else _money(r["aws"])
            diff = "" if r["difference"] is None else f" ({_signed(r['difference'])})"
            out.append(
                f"  {r['account_id']} {r['region']:<15} {r['type']:<28} "
                f"ours {ours:>9} aws {aws:>9}{diff}"
            )
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = [
            {
                **r,
                "aws": None if r["aws"] is None else _money(r["aws"]),
                "ours": "no price" if r["ours"] is None else _money(r["ours"]),
                "difference": None if r["difference"] is None else _signed(r["difference"]),
            }
            for r in self.rows
        ]
        return html_table(rows, columns=list(self.columns), caption=self._summary())


USAGE_GROUP_COLUMNS: tuple[str, ...] = (
    "usage_lines",
    "compared",
    "aws",
    "ours",
    "difference",
    "not_compared",
)
"""The columns of [`AwsComparison.by_account`][inspector_kit.pricing.AwsComparison.by_account]
and ``by_ou`` after the group's own: the group's ``ListUsageTotals`` lines, how many are
compared (both estimates known), AWS's and our totals over those lines, ours - AWS, and how
many lines are left out of both totals."""


def _usage_groups(
    comparison: AwsComparison,
    by: str,
    directory: AccountDirectory | None,
    depth: int | None,
) -> AccountGroups:
    """``AwsComparison``'s rows summed per account or OU (``AwsComparison.by_account``)."""
    from inspector_kit._accounts_dir import grouped

    def count(rows: list[dict[str, Any]]) -> dict[str, Any]:
        compared = [r for r in rows if r["ours"] is not None and r["aws"] is not None]
        with decimal.localcontext(CONTEXT):
            aws = sum((r["aws"] for r in compared), Decimal(0))
            ours = sum((r["ours"] for r in compared), Decimal(0))
            return {
                "usage_lines": len(rows),
                "compared": len(compared),
                "aws": aws,
                "ours": ours,
                "difference": ours - aws,
                "not_compared": len(rows) - len(compared),
            }

    return grouped(
        comparison.rows,
        lambda r: str(r["account_id"]),
        count,
        USAGE_GROUP_COLUMNS,
        by=by,
        directory=directory,
        depth=depth,
        title=f"Usage (last 30 days) by {'account' if by == 'account' else 'OU'}, USD",
    )


def compare_with_aws(
    totals: Iterable[UsageTotal], *, prices: PriceTable | None = None
) -> AwsComparison:
    """Price each ``ListUsageTotals`` line ourselves and show the difference from AWS's.

    The totals carry their region (set by the fetcher); each is priced in that region.
    A type we hold no price for is reported with ``ours=None``, not as zero. A line whose
    quantity is not usable (negative, beyond
    [`Usage.MAX_QUANTITY`][inspector_kit.pricing.Usage.MAX_QUANTITY]) gets ``quantity=None`` and
    ``ours=None`` with the reason in ``source``; an AWS estimate that is not finite or beyond 10**15
    is ``aws=None`` with the reason in ``source``. The other lines go on.

    Examples:
        >>> from inspector_kit.models import UsageTotal
        >>> t = UsageTotal.from_api({"accountId": "123456789012", "usage": [{"type":
        ...     "EC2_INSTANCE_HOURS", "total": 720.0, "estimatedMonthlyCost": 1.25}]},
        ...     region="us-east-1")
        >>> row = compare_with_aws([t]).rows[0]
        >>> row["ours"], row["aws"], row["difference"]
        (Decimal('1.25280'), Decimal('1.25'), Decimal('0.00280'))
    """
    table = prices if prices is not None else PriceTable.bundled()
    rows: list[dict[str, Any]] = []
    for total in totals:
        region = total.region or "unknown"
        for usage in total.usage or ():
            kind = str(usage.type)
            name = _API_TYPES.get(kind)
            aws, aws_problem = _aws_estimate(usage.estimated_monthly_cost)
            ours: Decimal | None = None
            quantity: Decimal | None = None
            source = f"no price for {kind}"
            try:
                quantity = _to_quantity(_entry(total, kind), usage.total or 0)
            except UsageError as exc:
                source = str(exc)
            if name is not None and quantity is not None:
                try:
                    line = estimate(Usage(**{name: quantity}), region=region, prices=table)
                    ours = line.total
                    source = line.lines[0].price.source if line.lines else source
                except PriceNotFoundError as exc:
                    source = _unpriced_text(exc)
            if aws_problem:
                source = f"{source}; {aws_problem}"
            with decimal.localcontext(CONTEXT):
                difference = None if ours is None or aws is None else ours - aws
            rows.append(
                {
                    "account_id": total.account_id,
                    "region": region,
                    "type": kind,
                    "quantity": quantity,
                    "aws": aws,
                    "ours": ours,
                    "difference": difference,
                    "source": source,
                }
            )
    return AwsComparison(rows=tuple(rows))


def _aws_estimate(value: float | None) -> tuple[Decimal | None, str | None]:
    """AWS's estimatedMonthlyCost as a Decimal, or None and why it is not usable."""
    if value is None:
        return None, None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        amount = Decimal("NaN")
    if not amount.is_finite() or abs(amount) > _MAX_AWS_ESTIMATE:
        return None, f"AWS's estimate {_show_value(value)} is not a usable amount"
    return amount, None


@attrs.frozen
class ModeComparison(RecordsMixin):
    """The estate priced three ways: as scanned now, every account agent-based, every hybrid.

    The answer to "what does switching scan mode cost from where we are now" is ONE number,
    [`switch_cost()`][inspector_kit.pricing.ModeComparison.switch_cost]: what the instances
    that hybrid mode would add cost per month, each in its region. Those instances are
    [`switching`][inspector_kit.pricing.ModeComparison.switching], the coverage report's
    [`hybrid_would_add`][inspector_kit.coverage.CoverageReport.hybrid_would_add] in the priced
    regions: the one definition of "instances hybrid mode adds" everywhere (coverage text,
    demo, cost). ``current + switch_cost() == hybrid_total``.

    Instances are priced in their own region; a region with no price is listed in
    ``unpriced`` (its instances are left out of every total, never priced at zero).

    Examples:
        >>> from inspector_kit.sample import sample_inventory
        >>> m = compare_modes(sample_inventory().analyze(), regions=["us-east-1"])
        >>> m.switch_cost(), len(m.switching)
        (Decimal('1.7496'), 1)
        >>> m.current_total + m.switch_cost() == m.hybrid_total
        True
    """

    agent_based: tuple[CostEstimate, ...]
    """Every account agent-based, one estimate per region: only SSM-managed instances (and
    the VM Scanner's) are scanned."""
    hybrid: tuple[CostEstimate, ...]
    """Every account hybrid, per region: the rest agentless where eligible."""
    instance_ids: tuple[str, ...]
    """The instances every-account-hybrid scans agentless (all of them, including those
    scanned agentless already), in priced regions; see ``switching`` for what a switch adds."""
    unpriced: tuple[PriceNotFoundError, ...] = ()
    """Regions with instances but no price: not in the totals."""
    current: tuple[CostEstimate, ...] = ()
    """As scanned now (each account in its current scan mode, each instance by its
    ``expected_method``), per priced region."""
    switching: tuple[str, ...] = ()
    """The instances switching the agent-based accounts to hybrid would add (scanned agentless),
    in priced regions: ``CoverageReport.hybrid_would_add``."""
    switch: tuple[CostEstimate, ...] = ()
    """What ``switching`` costs, per priced region (``switch_cost()`` is their sum)."""
    unpriced_instances: tuple[str, ...] = ()
    """Instances in the ``unpriced`` regions: counted in no total."""

    columns: ClassVar[tuple[str, ...]] = (
        "region",
        "current",
        "switch",
        "agent_based",
        "hybrid",
        "added",
        "currency",
    )
    """The keys of every row of ``to_records``, in order."""

    @property
    def moved(self) -> int:
        """How many instances every-account-hybrid scans agentless (``instance_ids``).

        Not what a switch from now adds: that is ``len(switching)``.
        """
        return len(self.instance_ids)

    @property
    def agent_based_total(self) -> Decimal:
        """Every account agent-based, all priced regions."""
        return _sum(self.agent_based)

    @property
    def hybrid_total(self) -> Decimal:
        """Every account hybrid, all priced regions."""
        return _sum(self.hybrid)

    @property
    def current_total(self) -> Decimal:
        """As scanned now, all priced regions."""
        return _sum(self.current)

    @property
    def added(self) -> Decimal:
        """Every-account-hybrid minus every-account-agent-based, per month."""
        with decimal.localcontext(CONTEXT):
            return self.hybrid_total - self.agent_based_total

    def switch_cost(self) -> Decimal:
        """What switching scan mode costs from where we are now, per month (exact).

        Switching every account that is agent-based today to hybrid mode adds agentless scans
        of the instances in ``switching`` (nothing else changes: hybrid mode keeps the agent
        wherever it scans). Priced regions only; ``unpriced`` names the others.

        Examples:
            >>> from inspector_kit.sample import sample_inventory
            >>> m = compare_modes(sample_inventory().analyze())
            >>> m.switch_cost(), m.switching
            (Decimal('1.7496'), ('i-02c9b9a08ac35961a',))
        """
        return _sum(self.switch)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per priced region, keys ``columns``: exact ``Decimal`` amounts.

        ``current``: as scanned now; ``switch``: what switching to hybrid adds from now;
        ``agent_based``/``hybrid``: every account in that mode; ``added``: their difference.

        Examples:
            >>> from inspector_kit.sample import sample_inventory
            >>> m = compare_modes(sample_inventory().analyze(), regions=["us-east-1"])
            >>> row = m.to_records()[0]
            >>> row["switch"], row["added"], tuple(row) == ModeComparison.columns
            (Decimal('1.7496'), Decimal('5.2488'), True)
        """
        current = {e.region: e.total for e in self.current}
        switch = {e.region: e.total for e in self.switch}
        with decimal.localcontext(CONTEXT):
            return [
                {
                    "region": a.region,
                    "current": current.get(a.region),
                    "switch": switch.get(a.region),
                    "agent_based": a.total,
                    "hybrid": h.total,
                    "added": h.total - a.total,
                    "currency": h.currency,
                }
                for a, h in zip(self.agent_based, self.hybrid, strict=True)
            ]

    def _headline(self) -> str:
        n = len(self.switching)
        return (
            f"Switching to hybrid scan mode from where we are now: +{_money(self.switch_cost())} "
            f"USD/month ({n} instance{'' if n == 1 else 's'} scanned agentless)"
        )

    def _unpriced_text(self) -> str | None:
        if not self.unpriced:
            return None
        missing = "; ".join(str(e) for e in self.unpriced)
        n = len(self.unpriced_instances)
        return f"not priced ({n} instance{'' if n == 1 else 's'}, in no total): {missing}"

    def to_text(self) -> str:
        """The switch cost first, then now / all agent-based / all hybrid, money to the cent.

        Examples:
            >>> from inspector_kit.sample import sample_inventory
            >>> print(compare_modes(sample_inventory().analyze()).to_text())
            ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
            Switching to hybrid scan mode from where we are now: +1.75 USD/month
            (1 instance scanned agentless)
              now 19.71 USD/month; every account agent-based 12.05, every account hybrid 21.46
              ap-northeast-1: now 8.70, switch +0.00, agent-based 4.54, hybrid 8.70
              us-east-1: now 11.02, switch +1.75, agent-based 7.52, hybrid 12.77
              not priced (11 instances, in no total): no price for ec2_agent_based in eu-west-1: ...
        """
        out = [
            self._headline(),
            f"  now {_money(self.current_total)} USD/month; every account agent-based "
            f"{_money(self.agent_based_total)}, every account hybrid {_money(self.hybrid_total)}",
        ]
        for row in self.to_records():
            now = "-" if row["current"] is None else _money(row["current"])
            switch = "-" if row["switch"] is None else _signed(row["switch"])
            out.append(
                f"  {row['region']}: now {now}, switch {switch}, agent-based "
                f"{_money(row['agent_based'])}, hybrid {_money(row['hybrid'])}"
            )
        unpriced = self._unpriced_text()
        if unpriced:
            out.append(f"  {unpriced}")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = [
            {
                "region": r["region"],
                "now": None if r["current"] is None else _money(r["current"]),
                "switch": None if r["switch"] is None else _signed(r["switch"]),
                "all agent-based": _money(r["agent_based"]),
                "all hybrid": _money(r["hybrid"]),
                "currency": r["currency"],
            }
            for r in self.to_records()
        ]
        rows.extend(
            {"region": str(e.region), "now": "not priced", "currency": None} for e in self.unpriced
        )
        return html_table(rows, caption=self._headline(), footer=self._unpriced_text())


def _sum(estimates: Iterable[CostEstimate]) -> Decimal:
    with decimal.localcontext(CONTEXT):
        return sum((e.total for e in estimates), Decimal(0))


def compare_modes(
    report: CoverageReport,
    *,
    regions: Iterable[str] | None = None,
    prices: PriceTable | None = None,
    hours: Decimal | int | str = HOURS_PER_MONTH,
) -> ModeComparison:
    """What the estate of a coverage report costs now, and in agent-based vs hybrid mode.

    Every running instance that is not excluded is billed as each state would scan it:

    * now: by its ``expected_method`` (its account's current scan mode, by the rules);
    * every account agent-based: agent-based where SSM (or the VM Scanner) scans it;
    * every account hybrid: the same, and agentless where eligible
      (``InstanceCoverage.method_if_hybrid``).

    Unsupported and unscannable instances cost nothing in any. The switch from now is the
    coverage report's ``hybrid_would_add`` (see
    [`ModeComparison.switch_cost`][inspector_kit.pricing.ModeComparison.switch_cost]). Each
    region is priced at its own prices.

    Args:
        report: From [`analyze`][inspector_kit.coverage.analyze].
        regions: Only these regions (default: every region in the report).
        prices: The table (default
            [`PriceTable.bundled`][inspector_kit.pricing.PriceTable.bundled]).
        hours: Hours per instance (default a full month, 720).

    Examples:
        >>> from inspector_kit.sample import sample_inventory
        >>> m = compare_modes(sample_inventory().analyze())
        >>> [e.region for e in m.hybrid], [e.region for e in m.unpriced]
        (['ap-northeast-1', 'us-east-1'], ['eu-west-1'])
    """
    from inspector_kit.coverage import CoverageStatus, ScanMethod

    per = _to_quantity("hours", hours)
    wanted = None if regions is None else set(regions)
    switching = {c.instance_id for c in report.hybrid_would_add}
    # Per region: instance counts by (state, method), and the ids behind them.
    counts: dict[str, Counter[tuple[str, bool]]] = {}
    moved: dict[str, list[str]] = {}
    switched: dict[str, list[str]] = {}
    everyone: dict[str, list[str]] = {}
    for c in report:
        region = c.region
        if wanted is not None and region not in wanted:
            continue
        tally = counts.setdefault(region, Counter())
        everyone.setdefault(region, []).append(c.instance_id)
        if c.instance.state != "running" or c.status in (
            CoverageStatus.EXCLUDED,
            CoverageStatus.STOPPED,
        ):
            continue
        # Hybrid uses the agent wherever agent-based mode can: agent-based mode is
        # hybrid's agent-based share.
        hybrid = c.method_if_hybrid
        if hybrid.agent:  # the SSM plugin or the VM Scanner
            tally["agent_based", True] += 1
            tally["hybrid", True] += 1
        elif hybrid is ScanMethod.AGENTLESS:
            tally["hybrid", False] += 1
            moved.setdefault(region, []).append(c.instance_id)
        now = c.expected_method
        if now.agent:
            tally["current", True] += 1
        elif now is ScanMethod.AGENTLESS:
            tally["current", False] += 1
        if c.instance_id in switching and hybrid is not ScanMethod.NONE:
            tally["switch", hybrid.agent] += 1
            switched.setdefault(region, []).append(c.instance_id)
    states: dict[str, list[CostEstimate]] = {s: [] for s in ("agent_based", "hybrid", "current")}
    states["switch"] = []
    ids: list[str] = []
    switch_ids: list[str] = []
    unpriced: list[PriceNotFoundError] = []
    unpriced_ids: list[str] = []
    for region in sorted(counts):
        tally = counts[region]
        try:
            found = {
                state: _price_instances(
                    tally[state, True], tally[state, False], per, region=region, prices=prices
                )
                for state in states
            }
        except PriceNotFoundError as exc:
            unpriced.append(exc)
            unpriced_ids.extend(everyone[region])
            continue
        for state, one in found.items():
            states[state].append(one)
        ids.extend(moved.get(region, ()))
        switch_ids.extend(switched.get(region, ()))
    return ModeComparison(
        agent_based=tuple(states["agent_based"]),
        hybrid=tuple(states["hybrid"]),
        instance_ids=tuple(ids),
        unpriced=tuple(unpriced),
        current=tuple(states["current"]),
        switching=tuple(switch_ids),
        switch=tuple(states["switch"]),
        unpriced_instances=tuple(unpriced_ids),
    )


def _price_instances(
    agent: int, agentless: int, per: Decimal, *, region: str, prices: PriceTable | None
) -> CostEstimate:
    """``agent`` agent-based and ``agentless`` agentless instances for ``per`` hours each.

    Both items are looked up even when one has no instances, so a region is priced for
    every state or for none.
    """
    table = prices if prices is not None else PriceTable.bundled()
    for item in (UsageItem.EC2_AGENT_BASED, UsageItem.EC2_AGENTLESS):
        if table.get(region, item) is None:
            raise PriceNotFoundError(region, item)
    with decimal.localcontext(CONTEXT):
        usage = Usage(agent_based_hours=agent * per, agentless_hours=agentless * per)
    return estimate(usage, region=region, prices=table)


def compare_regions(
    usage: Usage, regions: Iterable[str], *, prices: PriceTable | None = None
) -> Mapping[str, CostEstimate]:
    """The same usage priced in several regions (a region without prices raises).

    Examples:
        >>> by_region = compare_regions(Usage(agent_based_hours=720, agentless_hours=720),
        ...                             ["us-east-1", "ap-northeast-1"])
        >>> {r: e.total for r, e in by_region.items()}
        {'us-east-1': Decimal('3.0024'), 'ap-northeast-1': Decimal('3.5928')}
    """
    return {region: estimate(usage, region=region, prices=prices) for region in regions}
