"""Flat records: one dict of scalar values per row, with stable column names."""

from __future__ import annotations

import functools
import math
import sys
from datetime import date
from decimal import Decimal
from enum import Enum
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit._records import (
    SEPARATOR,
    Records,
    check_row,
    collect,
    convertible,
    header,
    html_text,
    rows_of,
    table,
)
from inspector_kit.models import Finding
from inspector_kit.scoring import Rescore
from inspector_kit.scoring._rescore import (
    BASE_CVSS_COLUMNS,
    RESCORE_COLUMNS,
    base_cvss_columns,
    rescore_record,
)

from ._interface import RecordsMixin, RecordValue

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

__all__ = [
    "FINDING_COLUMNS",
    "FINDING_DISPLAY_COLUMNS",
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
    "fixed_in",
    "remediation",
    *BASE_CVSS_COLUMNS,
    "cvss_score",
)
"""The columns of a finding's record, in order (see ``to_records``).

The order is the records' (CSV, JSON, pandas, Excel): new columns are appended. The HTML view
shows them in [`FINDING_DISPLAY_COLUMNS`][inspector_kit.formats.FINDING_DISPLAY_COLUMNS] order.
"""

FINDING_DISPLAY_COLUMNS: tuple[str, ...] = (
    "severity",
    "vulnerability_id",
    "resource_short_name",
    "region",
    "aws_account_id",
    "inspector_score",
    "epss_score",
    "exploit_available",
    "fixed_in",
    "status",
    "title",
    "first_observed_at",
    "packages",
    "remediation",
    "type",
    "resource_type",
    "resource_id",
    "fix_available",
    "last_observed_at",
    "updated_at",
    "purls",
    *BASE_CVSS_COLUMNS,
    "cvss_score",
    "finding_arn",
)
"""The columns of ``FINDING_COLUMNS`` in the order the HTML view shows them: what to act on first.

Severity, the vulnerability, where it is (resource, region, account), how urgent (scores,
exploit), how to fix it (``fixed_in``); then the status, the title and the rest, the long
finding ARN last. [`to_html`][inspector_kit.formats.to_html] of findings and the notebook view
of [`FindingRecords`][inspector_kit.formats.FindingRecords] use it; the records keep
``FINDING_COLUMNS`` order.

Examples:
    >>> sorted(FINDING_DISPLAY_COLUMNS) == sorted(FINDING_COLUMNS)
    True
    >>> FINDING_DISPLAY_COLUMNS[:3]
    ('severity', 'vulnerability_id', 'resource_short_name')
"""

#: Inspector's placeholder when it has no recommendation text.
_NO_RECOMMENDATION = "None Provided"


def _value(value: Any) -> Any:
    """An enum member as its value; anything else unchanged."""
    return value._value_ if isinstance(value, Enum) else value


def _join(parts: list[str]) -> str | None:
    """``join_cell`` of text parts, without its generator for the common one or none."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0] or None
    return SEPARATOR.join(dict.fromkeys(parts)) or None


_PackageCells = tuple["str | None", "str | None", "str | None", "str | None"]
_NO_PACKAGES: _PackageCells = (None, None, None, None)


@functools.cache
def _purl() -> ModuleType:
    """``inspector_kit.purl``, imported when first needed (it loads ``packageurl``)."""
    from inspector_kit import purl

    return purl


def _package_cells(finding: Finding) -> _PackageCells:
    """``packages``, ``purls``, ``fixed_in`` and ``remediation`` of a finding's record."""
    packages = finding.vulnerable_packages
    if not packages:
        return (None, None, None, _recommendation(finding))
    purl = _purl()
    if len(packages) == 1:  # the common case: _join of one part is the part, "" is None
        package = packages[0]
        command = package.remediation
        platform = finding.primary_resource.platform if purl._reads_platform(package) else None
        return (
            package.name or None,
            purl._purl_text(package, platform),
            f"{package.name} {package.fixed_in_version}" if package.has_fix else None,
            command if command else _recommendation(finding),
        )
    commands = _join([p.remediation for p in packages if p.remediation])
    platform = (
        finding.primary_resource.platform if any(map(purl._reads_platform, packages)) else None
    )
    return (
        _join([p.name for p in packages]),
        _join(purl._purl_strings(packages, platform)),
        _join([f"{p.name} {p.fixed_in_version}" for p in packages if p.has_fix]),
        commands if commands is not None else _recommendation(finding),
    )


def _package_columns(findings: list[Finding]) -> list[list[str | None]]:
    """``_package_cells`` of each finding, column by column, in one pass over the findings.

    The common finding (one package) is done inline, with the same reads as
    ``_package_cells`` (which does the others): no call, tuple or transposition per finding.
    Each distinct package's PURL text is built once (``inspector_kit.purl``'s cache).
    """
    purl = _purl()
    purl_text, reads_platform = purl._purl_text, purl._reads_platform
    names: list[str | None] = []
    purls: list[str | None] = []
    fixed_in: list[str | None] = []
    remediation: list[str | None] = []
    add_name, add_purl, add_fixed, add_command = (
        names.append,
        purls.append,
        fixed_in.append,
        remediation.append,
    )
    for finding in findings:
        packages = finding.vulnerable_packages
        if len(packages) == 1:
            package = packages[0]
            name, command = package.name, package.remediation
            add_name(name or None)
            platform = finding.primary_resource.platform if reads_platform(package) else None
            add_purl(purl_text(package, platform))
            add_fixed(f"{name} {package.fixed_in_version}" if package.has_fix else None)
            add_command(command if command else _recommendation(finding))
        else:
            cells = _package_cells(finding)
            add_name(cells[0])
            add_purl(cells[1])
            add_fixed(cells[2])
            add_command(cells[3])
    return [names, purls, fixed_in, remediation]


def _finding_record(finding: Finding) -> dict[str, RecordValue]:
    resource = finding.primary_resource
    package_names, purls, fixed_in, remediation = _package_cells(finding)
    epss = finding.epss
    (vector,), (version,), (source,) = base_cvss_columns((finding,))
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
        "epss_score": None if epss is None else epss.score,
        "exploit_available": _value(finding.exploit_available),
        "fix_available": _value(finding.fix_available),
        "first_observed_at": finding.first_observed_at,
        "last_observed_at": finding.last_observed_at,
        "updated_at": finding.updated_at,
        "resource_type": _value(resource.type),
        "resource_id": resource.id,
        "resource_short_name": resource.short_name,
        "packages": package_names,
        "purls": purls,
        "fixed_in": fixed_in,
        "remediation": remediation,
        "cvss_vector": vector,
        "cvss_version": version,
        "cvss_source": source,
        "cvss_score": _cvss_scores((finding,))[0],
    }


def _cvss_scores(findings: Sequence[Finding]) -> list[float | None]:
    """``Finding.cvss.score`` of each finding (``None`` without one), one pick per CVSS list.

    The score to act on: Inspector's adjusted score, else the best entry of the finding's
    CVSS list (``Finding.cvss``); lists shared between findings are picked once.
    """
    out: list[float | None] = []
    picked: dict[tuple[int, str], float | None] = {}
    for finding in findings:
        details = finding.inspector_score_details
        if details is not None and details.adjusted_cvss is not None:
            out.append(details.adjusted_cvss.score)
            continue
        pvd = finding.package_vulnerability_details
        if pvd is None or not pvd.cvss:
            out.append(None)
            continue
        key = (id(pvd.cvss), pvd.source)  # ``findings`` keeps every list alive: ids are unique
        if key not in picked:
            choice = finding.cvss
            picked[key] = None if choice is None else choice.score
        out.append(picked[key])
    return out


def _values(column: list[Any]) -> list[Any]:
    """A column with every enum member replaced by its value (``_value`` of each)."""
    return [v._value_ if isinstance(v, Enum) else v for v in column]


def _epss_score(finding: Finding) -> float | None:
    epss = finding.epss
    return None if epss is None else epss.score


def _finding_columns(findings: list[Finding]) -> dict[str, list[RecordValue]]:
    """The records of ``findings`` column by column: ``_finding_record`` of each, transposed.

    Each column is read in one pass over the findings (C-level attribute getters where a
    column is an attribute), without a dict per finding.
    """
    resources = [*map(_PRIMARY, findings)]

    def of(name: str) -> list[Any]:
        return [*map(attrgetter(name), findings)]

    packages, purls, fixed_in, remediation = _package_columns(findings)
    columns: dict[str, list[Any]] = {
        "finding_arn": of("finding_arn"),
        "aws_account_id": of("aws_account_id"),
        "region": of("region"),
        "type": _values(of("type")),
        "severity": _values(of("severity")),
        "status": _values(of("status")),
        "title": of("title"),
        "vulnerability_id": of("vulnerability_id"),
        "inspector_score": of("inspector_score"),
        "epss_score": [*map(_epss_score, findings)],
        "exploit_available": _values(of("exploit_available")),
        "fix_available": _values(of("fix_available")),
        "first_observed_at": of("first_observed_at"),
        "last_observed_at": of("last_observed_at"),
        "updated_at": of("updated_at"),
        "resource_type": _values([*map(_TYPE, resources)]),
        "resource_id": [*map(_ID, resources)],
        "resource_short_name": [*map(_SHORT_NAME, resources)],
        "packages": packages,
        "purls": purls,
        "fixed_in": fixed_in,
        "remediation": remediation,
    }
    columns.update(zip(BASE_CVSS_COLUMNS, base_cvss_columns(findings), strict=True))
    columns["cvss_score"] = _cvss_scores(findings)
    return columns


_PRIMARY = attrgetter("primary_resource")
_TYPE = attrgetter("type")
_ID = attrgetter("id")
_SHORT_NAME = attrgetter("short_name")


def _recommendation(finding: Finding) -> str | None:
    """The finding's recommendation text (``None`` for Inspector's placeholder)."""
    recommendation = finding.remediation.recommendation
    text = recommendation.text if recommendation is not None else None
    return text if text and text != _NO_RECOMMENDATION else None


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

    def _repr_html_(self) -> str:
        """The notebook view: the columns in ``FINDING_DISPLAY_COLUMNS`` order."""
        return html_text(FINDING_DISPLAY_COLUMNS, self.to_records())


def _is_frame(item: object) -> bool:
    """Whether ``item`` is a pandas DataFrame (without importing pandas)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(item, pd.DataFrame)


def _frame_value(value: Any) -> Any:
    """A DataFrame cell as a record value: missing -> None, numpy scalars -> Python."""
    pd = sys.modules["pandas"]
    if value is None or value is pd.NA or value is pd.NaT:  # NaT is a datetime too
        return None
    if isinstance(value, (str, bool, Decimal, date, Enum, int)):
        return value  # a Timestamp is a datetime (a date): kept
    if isinstance(value, float):
        return None if math.isnan(value) else value
    item = getattr(value, "item", None)  # a numpy scalar (int64, bool_, float64...)
    if callable(item):
        return _frame_value(item())
    return value


def frame_rows(frame: Any) -> list[dict[str, RecordValue]]:
    """The rows of a pandas DataFrame: one record per row, keys the column names as text.

    The index is not written (``frame.reset_index()`` first to keep it); missing values
    (``NaN``, ``pd.NA``, ``NaT``) are ``None``; numpy scalars become Python numbers and flags;
    timestamps stay datetimes (an aware column is converted to UTC by the writers that need
    it). A cell outside the records convention raises ``RecordsError``.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"n": [1, None], "s": ["x", None],
        ...                       "when": pd.to_datetime(["2026-01-02", None])})
        >>> frame_rows(frame)[0]
        {'n': 1.0, 's': 'x', 'when': Timestamp('2026-01-02 00:00:00')}
        >>> frame_rows(frame)[1]
        {'n': None, 's': None, 'when': None}
    """
    names = [str(c) for c in frame.columns]
    return [
        check_row({n: _frame_value(v) for n, v in zip(names, values, strict=True)}, frame)
        for values in frame.itertuples(index=False, name=None)
    ]


def _rows_of(item: object) -> list[dict[str, RecordValue]] | None:
    """The rows of one convertible item, or ``None`` when ``item`` is not one."""
    if _is_frame(item):
        return frame_rows(item)
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
      built) are joined with ``;``, and ``None`` when there are none; ``fixed_in`` is
      ``name version`` for each vulnerable package with a fixed version (Inspector's
      ``fixedInVersion``; ``NotAvailable`` is left out), joined with ``;``; ``remediation``
      is the packages' own remediation (``dnf update zlib``), else the finding's
      recommendation text (``None`` for Inspector's ``None Provided``).
    * [`Rescore`][inspector_kit.scoring.Rescore] (a [`Rescores`][inspector_kit.scoring.Rescores]
      is an iterable of them): the columns of
      [`RESCORE_COLUMNS`][inspector_kit.formats.RESCORE_COLUMNS]; ``adjustments`` are the changes
      (``MAV N -> A (REASON)``) joined with ``;``, ``reason`` says why nothing was computed.
    * a [`Records`][inspector_kit.formats.Records] result (every inspector_kit result:
      ``FindingsDiff``, ``QueryResult``, ``AggregationResponse``, ``CoverageReport``,
      ``TriagePlan``, ``CostEstimate``, ... and your own): its ``to_records()``.
    * a mapping with string keys and flat values: taken as a row as it is.
    * a ``pandas.DataFrame`` (yours, or one from ``to_pandas``): one row per frame row, its
      columns in order, the index left out, missing values ``None``.

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
    other key a row holds), a DataFrame's columns, else every key of the rows in first-seen
    order.

    Examples:
        >>> from inspector_kit.history import diff
        >>> columns, rows = records_table(diff([], []))
        >>> columns[:2], rows
        (['change', 'old_severity'], [])
    """
    if _is_frame(items):
        return [str(c) for c in items.columns], frame_rows(items)  # type: ignore[attr-defined]
    return table(items, _rows_of)


def _rows_or_finding(item: object) -> list[Any] | None:
    """``_rows_of``, except that a finding stays itself (its columns are read together)."""
    if isinstance(item, Finding):
        return [item]
    return _rows_of(item)


def record_columns(items: object) -> tuple[list[str], dict[str, list[RecordValue]], int]:
    """``records_table`` column by column: the names, each column's values, the row count.

    Findings (the common case) are read column by column without a record per finding;
    anything else goes through its records. The names, values (``None`` where a row lacks a
    column) and errors are those of ``records_table``.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> names, columns, count = record_columns(sample_findings())
        >>> names == list(FINDING_COLUMNS), count, len(columns["severity"])
        (True, 274, 274)
        >>> record_columns([{"a": 1}, {"b": 2}])
        (['a', 'b'], {'a': [1, None], 'b': [None, 2]}, 2)
    """
    if _is_frame(items):
        names, rows = records_table(items)
    else:
        found: list[Any] = collect(items, _rows_or_finding)
        if found and all(isinstance(row, Finding) for row in found):
            return list(FINDING_COLUMNS), _finding_columns(found), len(found)
        rows = [_finding_record(r) if isinstance(r, Finding) else r for r in found]
        declared = list(items.columns) if isinstance(items, Records) else []
        names = list(dict.fromkeys([*declared, *header(rows)]))
    return names, {name: [*map(dict.get, rows, repeat(name))] for name in names}, len(rows)
