"""The records protocol and its rendering: a leaf of the package.

One protocol, [`Records`][inspector_kit.formats.Records] (``columns`` + ``to_records()``), with one
value convention, [`RecordValue`][inspector_kit.formats.RecordScalar], and
[`RecordsMixin`][inspector_kit.formats.RecordsMixin], which gives a result class ``to_text()``,
``to_markdown()`` and ``_repr_html_()`` from its records. Every writer of
[`inspector_kit.formats`][inspector_kit.formats] (CSV, JSON, Markdown, HTML, plain text, pandas,
Arrow, Excel) reads results only through it; the public names are re-exported there.

The module imports only the standard library, [`inspector_kit.errors`][inspector_kit.errors] and the
leaves ``inspector_kit._html`` and ``inspector_kit._values``, so that any result class (the
models' aggregations, history, coverage, ...) can implement the protocol and render
itself without importing [`inspector_kit.formats`][inspector_kit.formats], which imports the models:
the dependency runs one way, ``formats`` -> this module, never back. (pip-audit's
``_format/interface.py`` plus one module per format is the model: this module is the
interface and the table renderers, ``formats._csv``, ``_json``, ``_markdown``, ``_html``,
``_text``, ``_frames`` and ``_excel`` the formats, and ``inspector_kit._values`` the one
place where a value becomes text.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import chain
from typing import Any, Protocol, TypeAlias, runtime_checkable

from inspector_kit._html import html_table
from inspector_kit._values import _markdown_text, _printable
from inspector_kit.errors import RecordsError

__all__ = [
    "RecordValue",
    "Records",
    "RecordsMixin",
    "check_row",
    "collect",
    "convertible",
    "header",
    "html_text",
    "markdown_table",
    "rows_of",
    "table",
    "text_table",
]

RecordValue: TypeAlias = str | int | float | bool | Decimal | date | datetime | None
"""The values a record holds: the records value convention.

* text is ``str``; an enum member is its value (``"HIGH"``, never ``Severity.HIGH``);
* numbers stay numbers: ``int``, ``float``, and ``Decimal`` for money (exact);
* flags are ``bool``;
* a timestamp is an aware ``datetime`` (UTC), a calendar day a ``date``: both stay
  objects (writers turn them into ISO 8601 text where text is needed);
* several values in one cell (package names, PURLs, adjustments) are one ``str``,
  joined with ``;`` (a cell of CSV, Excel or Parquet holds one value), and ``None``
  when there are none;
* ``None`` means missing or not applicable.
"""

_ALLOWED = (str, int, float, bool, Decimal, date, datetime)


@runtime_checkable
class Records(Protocol):
    """A result that can be written as rows: ``columns`` and ``to_records()``.

    Every inspector_kit result implements it, and every writer of
    [`inspector_kit.formats`][inspector_kit.formats] accepts any object that does (yours too).

    Attributes:
        columns: The column names, in order: the keys of every record, in that order.

    Examples:
        >>> import attrs
        >>> from inspector_kit.formats import Records, RecordsMixin, to_csv
        >>> @attrs.frozen
        ... class Totals(RecordsMixin):
        ...     counts: dict[str, int]
        ...     columns = ("severity", "count")
        ...     def to_records(self):
        ...         return [{"severity": k, "count": v} for k, v in self.counts.items()]
        >>> totals = Totals({"HIGH": 2, "LOW": 1})
        >>> isinstance(totals, Records)
        True
        >>> print(totals.to_text(), end="")
        severity  count
        --------  -----
        HIGH      2
        LOW       1
        >>> to_csv(totals).splitlines()[1]
        'HIGH,2'
    """

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in order: the keys of every record, in that order."""

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One dict per row, keys as ``columns``, values as ``RecordValue``."""


class RecordsMixin:
    """``to_text()``, ``to_markdown()`` and ``_repr_html_()`` for a ``Records`` class.

    Add it to the bases of a class that has ``columns`` and ``to_records()``; the three
    methods render its records as [`to_text`][inspector_kit.formats.to_text],
    [`to_markdown`][inspector_kit.formats.to_markdown] and
    [`to_html`][inspector_kit.formats.to_html] (the notebook view) do (the same renderers, without
    importing [`inspector_kit.formats`][inspector_kit.formats]). A class may still define its own (a
    summary ``to_text``, say).

    Examples:
        >>> from inspector_kit.history import diff
        >>> from inspector_kit.formats import RecordsMixin
        >>> isinstance(diff([], []), RecordsMixin), diff([], []).to_markdown()
        (True, '')
    """

    __slots__ = ()

    def to_text(self) -> str:
        """A plain-text table of the records (see [`to_text`][inspector_kit.formats.to_text])."""
        return text_table(*table(self))

    def to_markdown(self) -> str:
        """A Markdown table of the records (see ``to_markdown``)."""
        return markdown_table(*table(self))

    def _repr_html_(self) -> str:
        """The notebook view: an HTML table (see [`to_html`][inspector_kit.formats.to_html])."""
        return html_text(*table(self))


SEPARATOR = ";"
"""How several values share one cell (a CSV, Excel or Parquet cell holds one value)."""


def join_cell(parts: Iterable[Any]) -> str | None:
    """Distinct parts in first-seen order, joined with ``;``; ``None`` when there are none.

    Examples:
        >>> join_cell(["a", "b", "a"]), join_cell([])
        ('a;b', None)
    """
    text = SEPARATOR.join(dict.fromkeys(str(p) for p in parts))
    return text or None


def check_row(row: object, source: object) -> dict[str, RecordValue]:
    """``row`` as a record: a mapping of string keys to ``RecordValue``.

    Enum members become their values (kept lenient for rows of your own); any other value
    outside the convention raises [`RecordsError`][inspector_kit.errors.RecordsError] naming the
    column and ``source``'s type.

    Examples:
        >>> check_row({"n": 1, "when": None}, None)
        {'n': 1, 'when': None}
        >>> check_row({"tags": ["a"]}, None)
        Traceback (most recent call last):
        ...
        inspector_kit.errors.RecordsError: column 'tags' of NoneType holds a list, ...
    """
    if not isinstance(row, Mapping):
        raise RecordsError(
            f"{type(source).__name__} gave a {type(row).__name__} row, expected a dict"
        )
    out: dict[str, RecordValue] = {}
    for key, value in row.items():
        if isinstance(value, Enum):
            value = value.value
        if value is not None and not isinstance(value, _ALLOWED):
            raise RecordsError(
                f"column {key!r} of {type(source).__name__} holds a {type(value).__name__}, "
                "not a flat value (str, int, float, bool, datetime, date, Decimal or None)"
            )
        out[str(key)] = value
    return out


def header(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every key of ``rows``, in first-seen order (the columns of a list of records)."""
    return list(dict.fromkeys(chain.from_iterable(rows)))


@runtime_checkable
class _Row(Protocol):
    """A row of a result (``RankedFinding``, ``InstanceCoverage``...).

    A list of rows, such as a slice of a ranking, goes through the writers too.
    """

    def to_record(self) -> dict[str, Any]: ...


RowsOf: TypeAlias = Callable[[object], "list[dict[str, RecordValue]] | None"]
"""How one item becomes rows (``None``: not an item this converter knows)."""


def rows_of(item: object) -> list[dict[str, RecordValue]] | None:
    """The rows of one ``Records`` result or row, or ``None`` when ``item`` is not one.

    [`to_records`][inspector_kit.formats.to_records] adds findings and rescorings, which this leaf
    cannot name (it must not import the models).

    Examples:
        >>> rows_of({"n": 1}), rows_of(42)
        ([{'n': 1}], None)
    """
    if isinstance(item, Records):
        return [check_row(row, item) for row in item.to_records()]
    if isinstance(item, _Row):
        return [check_row(item.to_record(), item)]
    if isinstance(item, Mapping) and all(isinstance(k, str) for k in item):
        # A row already: your own records go through the same writers.
        return [check_row(item, item)]
    return None


def convertible(items: object) -> bool:
    """Whether ``items`` is one result (not a collection of items) that gives records.

    Examples:
        >>> from inspector_kit.history import diff
        >>> convertible(diff([], [])), convertible([])
        (True, False)
    """
    return isinstance(items, Records | _Row)


def _cannot(item: object, inside: object | None = None) -> RecordsError:
    where = "" if inside is None else f" (an item of {type(inside).__name__})"
    return RecordsError(
        f"cannot convert {type(item).__name__}{where} to records: expected a Finding, a "
        "Rescore, a Records result (columns and to_records()), a mapping, or an iterable "
        "of those"
    )


def collect(items: object, rows: RowsOf = rows_of) -> list[dict[str, RecordValue]]:
    """The rows of ``items`` (one item, or an iterable of items read once), by ``rows``.

    Raises:
        RecordsError: ``items`` (or one of its items) cannot be converted.

    Examples:
        >>> collect([{"n": 1}, {"n": 2}])
        [{'n': 1}, {'n': 2}]
        >>> collect("text")
        Traceback (most recent call last):
        ...
        inspector_kit.errors.RecordsError: cannot convert str to records: expected a ...
    """
    found = rows(items)
    if found is not None:
        return found
    if isinstance(items, (str, bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        raise _cannot(items)
    out: list[dict[str, RecordValue]] = []
    for item in items:
        found = rows(item)
        if found is None:
            raise _cannot(item, items)
        out.extend(found)
    return out


def table(items: object, rows: RowsOf = rows_of) -> tuple[list[str], list[dict[str, RecordValue]]]:
    """The columns and rows every renderer renders: ``collect`` and its header.

    The columns are a [`Records`][inspector_kit.formats.Records] result's ``columns`` (then any
    other key a row holds), else every key of the rows in first-seen order.

    Examples:
        >>> from inspector_kit.history import diff
        >>> columns, rows = table(diff([], []))
        >>> columns[:2], rows
        (['change', 'old_severity'], [])
    """
    found = collect(items, rows)
    declared = list(items.columns) if isinstance(items, Records) else []
    return list(dict.fromkeys([*declared, *header(found)])), found


_GAP = "  "


def text_table(
    columns: Sequence[str], rows: Sequence[Mapping[str, RecordValue]], *, limit: int | None = None
) -> str:
    r"""A plain-text table: a header, a rule, one line per row (``""`` without rows).

    Every cell is one line that is safe to print; at most ``limit`` rows (``None``: all),
    with a count of the rest (see [`to_text`][inspector_kit.formats.to_text]).

    Examples:
        >>> print(text_table(["a", "bb"], [{"a": "x\x1b", "bb": 1}]), end="")
        a      bb
        -----  --
        x\x1b  1
    """
    if not rows:
        return ""
    shown = rows if limit is None else rows[: max(limit, 0)]
    cells = [[_printable(name) for name in columns]]
    cells += [[_printable(row.get(name)) for name in columns] for row in shown]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    rule = ["-" * width for width in widths]
    lines = [
        _GAP.join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (cells[0], rule, *cells[1:])
    ]
    rest = len(rows) - len(shown)
    if rest:
        lines.append(f"… and {rest} more {'row' if rest == 1 else 'rows'}")
    return "\n".join(lines) + "\n"


def markdown_table(columns: Sequence[str], rows: Sequence[Mapping[str, RecordValue]]) -> str:
    r"""A GitHub-flavoured Markdown table, every cell literal text (``""`` without rows).

    See [`to_markdown`][inspector_kit.formats.to_markdown].

    Examples:
        >>> print(markdown_table(["a"], [{"a": "x|y"}]), end="")
        | a |
        | --- |
        | x\|y |
    """
    if not rows:
        return ""
    lines = [
        "| " + " | ".join(_markdown_text(name) for name in columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    lines.extend(
        "| " + " | ".join(_markdown_text(row.get(name)) for name in columns) + " |" for row in rows
    )
    return "\n".join(lines) + "\n"


def html_text(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, RecordValue]],
    *,
    limit: int | None = 50,
    caption: str | None = None,
) -> str:
    """An escaped HTML table, severities coloured (see [`to_html`][inspector_kit.formats.to_html]).

    Examples:
        >>> html_text(["title"], [{"title": "<b>"}]).count("&lt;b&gt;")
        1
    """
    severity = "severity" if rows and "severity" in columns else None
    return html_table(rows, columns=columns, caption=caption, limit=limit, severity_column=severity)
