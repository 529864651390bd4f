"""Flat records: one dict of scalar values per row, with stable column names."""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs

from inspector_kit._records import collect, convertible, join_cell, rows_of, table
from inspector_kit.models import Finding
from inspector_kit.scoring import Rescore
from inspector_kit.scoring._rescore import RESCORE_COLUMNS, rescore_record

from ._interface import RecordsMixin, RecordValue

__all__ = [
    "FINDING_COLUMNS",
    "RESCORE_COLUMNS",
    "FindingRecords",
    "RecordScalar",
    "convertible",
    "records_table",
    "to_records",
]

RecordScalar = RecordValue
"""The same as [`RecordValue`][inspector_kit.formats.RecordScalar] (its first name)."""

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
"""The columns of a finding's record, in order (see ``to_records``)."""


def _value(value: Any) -> Any:
    """An enum member as its value; anything else unchanged."""
    return value.value if isinstance(value, Enum) else value


def _finding_record(finding: Finding) -> dict[str, RecordValue]:
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
        "packages": join_cell(p.name for p in finding.vulnerable_packages),
        "purls": join_cell(str(p) for p in finding.purls if p is not None),
    }


@attrs.frozen
class FindingRecords(RecordsMixin):
    """Findings as a ``Records`` result: one row of ``FINDING_COLUMNS`` each.

    What the writers use for a finding or a list of findings; wrap findings in it to
    get ``to_text()``, ``to_markdown()`` and the notebook view of a plain list.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> table = FindingRecords(tuple(sample_findings())[:2])
        >>> table.columns == FINDING_COLUMNS, len(table.to_records())
        (True, 2)
        >>> table.to_markdown().splitlines()[0][:28]
        '| finding_arn | aws_account_'
    """

    findings: tuple[Finding, ...] = attrs.field(converter=tuple)
    """The findings, in order."""

    @property
    def columns(self) -> tuple[str, ...]:
        """[`FINDING_COLUMNS`][inspector_kit.formats.FINDING_COLUMNS]."""
        return FINDING_COLUMNS

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row per finding (see ``to_records`` for the columns)."""
        return [_finding_record(f) for f in self.findings]


def _rows_of(item: object) -> list[dict[str, RecordValue]] | None:
    """The rows of one convertible item, or ``None`` when ``item`` is not one."""
    if isinstance(item, Finding):
        return [_finding_record(item)]
    if isinstance(item, Rescore):
        return [rescore_record(item)]
    return rows_of(item)


def to_records(items: object) -> list[dict[str, RecordValue]]:
    """Flat rows (one dict of scalar values each) for findings and inspector_kit results.

    ``items`` is one of, or an iterable of:

    * [`Finding`][inspector_kit.models.Finding]: the columns of
      [`FINDING_COLUMNS`][inspector_kit.formats.FINDING_COLUMNS]. Enum values are their API strings;
      timestamps stay aware UTC datetimes; ``resource_*`` describe the primary resource;
      ``packages`` (distinct vulnerable package names) and ``purls`` (the Package URLs that could be
      built) are joined with ``;``, and ``None`` when there are none.
    * [`Rescore`][inspector_kit.scoring.Rescore] (a [`Rescores`][inspector_kit.scoring.Rescores]
      is an iterable of them): the columns of
      [`RESCORE_COLUMNS`][inspector_kit.formats.RESCORE_COLUMNS]; ``adjustments`` are the changes
      (``MAV N -> A (REASON)``) joined with ``;``, ``reason`` says why nothing was computed.
    * a [`Records`][inspector_kit.formats.Records] result (every inspector_kit result:
      ``FindingsDiff``, ``QueryResult``, ``AggregationResponse``, ``CoverageReport``,
      ``TriagePlan``, ``CostEstimate``, ... and your own): its ``to_records()``.
    * a mapping with string keys and flat values: taken as a row as it is.

    Values follow [`RecordValue`][inspector_kit.formats.RecordScalar] (enum members are replaced
    by their values). An iterable is read once.

    Raises:
        RecordsError: ``items`` (or one of its items) cannot be converted, or a row holds
            a value outside the convention; the message names its type. (Also a
            ``TypeError``.)

    Examples:
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
        inspector_kit.errors.RecordsError: cannot convert int to records: expected a ...
    """
    return collect(items, _rows_of)


def records_table(items: object) -> tuple[list[str], list[dict[str, RecordValue]]]:
    """The columns and rows every writer renders: ``to_records`` and its header.

    The columns are a [`Records`][inspector_kit.formats.Records] result's ``columns`` (then any
    other key a row holds), else every key of the rows in first-seen order.

    Examples:
        >>> from inspector_kit.history import diff
        >>> columns, rows = records_table(diff([], []))
        >>> columns[:2], rows
        (['change', 'old_severity'], [])
    """
    return table(items, _rows_of)
