"""The records protocol: how any result becomes rows, and through them every format.

One protocol, :class:`Records` (``columns`` + ``to_records()``), with one value
convention, :data:`RecordValue`. Every writer of :mod:`inspector_kit.formats` (CSV, JSON,
Markdown, HTML, plain text, pandas, Arrow, Excel) reads results only through it, and
:class:`RecordsMixin` gives a result class ``to_text()``, ``to_markdown()`` and
``_repr_html_()`` from its records. (pip-audit's ``_format/interface.py`` plus one
module per format is the model: this module is the interface, ``_csv``, ``_json``,
``_markdown``, ``_html``, ``_text``, ``_frames`` and ``_excel`` the formats, and
``_values`` the one place where a value becomes text.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

from inspector_kit.errors import RecordsError

if TYPE_CHECKING:
    import os

__all__ = ["RecordValue", "Records", "RecordsMixin", "check_row", "header", "write_text"]

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
    :mod:`inspector_kit.formats` accepts any object that does (yours too).

    Attributes:
        columns: The column names, in order: the keys of every record, in that order.

    Example:
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
        """One dict per row, keys as :attr:`columns`, values as :data:`RecordValue`."""


class RecordsMixin:
    """``to_text()``, ``to_markdown()`` and ``_repr_html_()`` for a :class:`Records` class.

    Add it to the bases of a class that has ``columns`` and ``to_records()``; the three
    methods render its records with :func:`~inspector_kit.formats.to_text`,
    :func:`~inspector_kit.formats.to_markdown` and :func:`~inspector_kit.formats.to_html`
    (the notebook view). A class may still define its own (a summary ``to_text``, say).

    Example:
        >>> from inspector_kit.history import diff
        >>> from inspector_kit.formats import RecordsMixin
        >>> isinstance(diff([], []), RecordsMixin), diff([], []).to_markdown()
        (True, '')
    """

    __slots__ = ()

    def to_text(self) -> str:
        """A plain-text table of the records (see :func:`inspector_kit.formats.to_text`)."""
        from ._text import to_text

        return to_text(self)

    def to_markdown(self) -> str:
        """A Markdown table of the records (see :func:`inspector_kit.formats.to_markdown`)."""
        from ._markdown import to_markdown

        return to_markdown(self)

    def _repr_html_(self) -> str:
        """The notebook view: an HTML table (see :func:`inspector_kit.formats.to_html`)."""
        from ._html import to_html

        return to_html(self)


def check_row(row: object, source: object) -> dict[str, RecordValue]:
    """``row`` as a record: a mapping of string keys to :data:`RecordValue`.

    Enum members become their values (kept lenient for rows of your own); any other value
    outside the convention raises :class:`~inspector_kit.errors.RecordsError` naming the
    column and ``source``'s type.

    Example:
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
    return list(dict.fromkeys(key for row in rows for key in row))


def write_text(text: str, path: str | os.PathLike[str]) -> None:
    """Write ``text`` to ``path`` as UTF-8, line ends unchanged (replaced if it exists)."""
    Path(path).write_text(text, encoding="utf-8", newline="")
