"""Flat records: one dict of scalar values per row, with stable column names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from inspector_kit.models import Finding
from inspector_kit.scoring import Rescore

__all__ = ["FINDING_COLUMNS", "RESCORE_COLUMNS", "RecordScalar", "to_records"]

RecordScalar = str | int | float | bool | datetime | date | Decimal | None
"""The value types a record holds (``bool`` and ``datetime`` are listed for clarity)."""

_SCALARS = (str, int, float, bool, datetime, date, Decimal)

FINDING_COLUMNS: tuple[str, ...] = (
    "finding_arn",
    "aws_account_id",
    "region",
    "type",
    "severity",
    "status",
    "title",
    "vulnerability_id",
    "inspector_score",
    "epss_score",
    "exploit_available",
    "fix_available",
    "first_observed_at",
    "last_observed_at",
    "updated_at",
    "resource_type",
    "resource_id",
    "resource_short_name",
    "packages",
    "purls",
)
"""The columns of a finding's record, in order (see :func:`to_records`)."""

RESCORE_COLUMNS: tuple[str, ...] = (
    "finding_arn",
    "vulnerability_id",
    "resource_id",
    "exposure",
    "base_score",
    "base_severity",
    "score",
    "severity",
    "severity_changed",
    "adjustments",
    "reason",
)
"""The columns of a rescoring's record, in order (see :func:`to_records`)."""

_SEPARATOR = ";"


def _value(value: Any) -> Any:
    """An enum member as its value; anything else unchanged."""
    return value.value if isinstance(value, Enum) else value


def _join(parts: Iterable[str]) -> str | None:
    """Distinct parts in first-seen order joined with ``;``; ``None`` when there are none."""
    text = _SEPARATOR.join(dict.fromkeys(parts))
    return text or None


def _finding_record(finding: Finding) -> dict[str, Any]:
    resource = finding.primary_resource
    return {
        "finding_arn": finding.finding_arn,
        "aws_account_id": finding.aws_account_id,
        "region": finding.region,
        "type": _value(finding.type),
        "severity": _value(finding.severity),
        "status": _value(finding.status),
        "title": finding.title,
        "vulnerability_id": finding.vulnerability_id,
        "inspector_score": finding.inspector_score,
        "epss_score": finding.epss_score,
        "exploit_available": _value(finding.exploit_available),
        "fix_available": _value(finding.fix_available),
        "first_observed_at": finding.first_observed_at,
        "last_observed_at": finding.last_observed_at,
        "updated_at": finding.updated_at,
        "resource_type": _value(resource.type),
        "resource_id": resource.id,
        "resource_short_name": resource.short_name,
        "packages": _join(p.name for p in finding.vulnerable_packages),
        "purls": _join(str(p) for p in finding.purls if p is not None),
    }


def _rescore_record(item: Rescore) -> dict[str, Any]:
    return {
        "finding_arn": item.finding_arn,
        "vulnerability_id": item.finding.vulnerability_id,
        "resource_id": item.finding.primary_resource.id,
        "exposure": _value(item.exposure),
        "base_score": item.base_score,
        "base_severity": _value(item.base_severity),
        "score": item.score,
        "severity": _value(item.severity),
        "severity_changed": item.severity_changed,
        "adjustments": _join(str(a) for a in item.adjustments),
        "reason": item.reason,
    }


def _flat(row: Any, source: object) -> dict[str, Any]:
    """Check that ``row`` is a mapping of scalars; enum members become their values."""
    if not isinstance(row, Mapping):
        raise TypeError(f"{type(source).__name__} gave a {type(row).__name__} row, expected a dict")
    out: dict[str, Any] = {}
    for key, value in row.items():
        value = _value(value)
        if value is not None and not isinstance(value, _SCALARS):
            raise TypeError(
                f"column {key!r} of {type(source).__name__} holds a {type(value).__name__}, "
                "not a flat value (str, int, float, bool, datetime, date, Decimal or None)"
            )
        out[str(key)] = value
    return out


def _rows_of(item: object) -> list[dict[str, Any]] | None:
    """The rows of one convertible item, or ``None`` when ``item`` is not one."""
    if isinstance(item, Finding):
        return [_finding_record(item)]
    if isinstance(item, Rescore):
        return [_rescore_record(item)]
    method = getattr(item, "to_records", None)
    if callable(method):
        return [_flat(row, item) for row in method()]
    method = getattr(item, "to_record", None)
    if callable(method):
        return [_flat(method(), item)]
    if isinstance(item, Mapping) and all(isinstance(k, str) for k in item):
        # A row already: your own records go through the same writers.
        return [_flat(item, item)]
    return None


def _cannot(item: object, inside: object | None = None) -> TypeError:
    where = "" if inside is None else f" (an item of {type(inside).__name__})"
    return TypeError(
        f"cannot convert {type(item).__name__}{where} to records: expected a Finding, a "
        "Rescore, an object with to_records() or to_record(), or an iterable of those"
    )


def to_records(items: object) -> list[dict[str, Any]]:
    """Flat rows (one dict of scalar values each) for findings and inspector_kit results.

    ``items`` is one of, or an iterable of:

    * :class:`~inspector_kit.Finding`: the columns of :data:`FINDING_COLUMNS`. Enum
      values are their API strings; timestamps stay aware UTC datetimes; ``resource_*``
      describe the primary resource; ``packages`` (distinct vulnerable package names)
      and ``purls`` (the Package URLs that could be built) are joined with ``;``, and
      ``None`` when there are none.
    * :class:`~inspector_kit.scoring.Rescore` (a :class:`~inspector_kit.scoring.Rescores`
      is an iterable of them): the columns of :data:`RESCORE_COLUMNS`; ``adjustments``
      are the changes (``MAV N -> A (REASON)``) joined with ``;``, ``reason`` says why
      nothing was computed.
    * anything with ``to_records()`` (``CoverageReport``, ``CostEstimate``,
      ``ModeComparison``, ``AwsComparison``, ``TriagePlan``, ``PriceTable``,
      ``DetectionGap``) or ``to_record()`` (``InstanceCoverage``, ``RankedFinding``,
      ``CveRollup``, ``ResourceRollup``, ``GapItem``): their own rows and columns.
    * a mapping with string keys and flat values: taken as a row as it is.

    Values are ``str``, ``int``, ``float``, ``bool``, ``None``, ``datetime``, ``date`` or
    ``Decimal`` (enum members are replaced by their values). An iterable is read once.

    Raises:
        TypeError: ``items`` (or one of its items) cannot be converted; the message names
            its type.

    Example:
        >>> from inspector_kit import sample_findings
        >>> rows = to_records(sample_findings())
        >>> len(rows), tuple(rows[0]) == FINDING_COLUMNS
        (274, True)
        >>> rows[0]["severity"] in {"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL",
        ...                         "UNTRIAGED"}
        True
        >>> to_records(42)
        Traceback (most recent call last):
        ...
        TypeError: cannot convert int to records: expected a Finding, a Rescore, ...
    """
    rows = _rows_of(items)
    if rows is not None:
        return rows
    if isinstance(items, (str, bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        raise _cannot(items)
    out: list[dict[str, Any]] = []
    for item in items:
        rows = _rows_of(item)
        if rows is None:
            raise _cannot(item, items)
        out.extend(rows)
    return out
