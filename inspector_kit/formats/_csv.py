"""CSV: RFC 4180, formula-injection safe (OWASP), from the records protocol."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from inspector_kit._values import _FORMULA_TRIGGERS

from ._interface import write_text
from ._records import record_columns
from ._values import _neutralise, _text

if TYPE_CHECKING:
    import os

__all__ = ["to_csv", "write_csv"]


def to_csv(items: object) -> str:
    r"""CSV of ``to_records`` (RFC 4180: a header row, ``\r\n`` line ends), spreadsheet-safe.

    Formula injection is neutralised as OWASP advises ("CSV Injection",
    https://owasp.org/www-community/attacks/CSV_Injection): a text cell starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``. Only text
    is changed: numbers (``int``, ``float``, ``Decimal``) are written as numbers, so
    ``-2`` stays ``-2``, while the *text* ``"-2+3"`` becomes ``'-2+3``. Header cells (the
    records' keys) are neutralised the same way.

    Cells: ``None`` is empty, datetimes and dates are ISO 8601, ``Decimal`` is plain
    (never exponent) notation, flags are ``true``/``false``. Columns are the union of
    the rows' keys, in first-seen order.

    ``items`` may be a ``pandas.DataFrame`` (from ``to_pandas`` or your own): its columns
    and rows, neutralised the same way, without the index; missing values are empty.

    Examples:
        >>> import csv
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(title="=1+2", inspectorScore=7.5))
        >>> row = next(csv.DictReader(to_csv(f).splitlines()))
        >>> row["title"], row["inspector_score"], row["severity"]
        ("'=1+2", '7.5', 'HIGH')
    """
    names, columns, count = record_columns(items)
    out = io.StringIO()
    # RFC 4180 line ends: the csv module then also quotes text holding a lone "\r".
    writer = csv.writer(out, lineterminator="\r\n")
    if count:
        writer.writerow(_neutralise(name) for name in names)
        if names:
            writer.writerows(zip(*(_column_cells(columns[name]) for name in names), strict=True))
        else:  # rows without a column: written as the csv module writes empty rows
            writer.writerows(() for _ in range(count))
    return out.getvalue()


_NONE = type(None)
# Cells the csv module writes as _text would: None as "", int as str(), float as repr().
_AS_IS = frozenset({int, float, _NONE})
_tzinfo = attrgetter("tzinfo")


def _cell(value: Any) -> Any:
    """One cell: text neutralised, anything else as ``_text`` writes it."""
    return _neutralise(value) if isinstance(value, str) else _text(value)


def _column_cells(values: list[Any]) -> list[Any]:
    """The cells of one column, converted column by column where the types allow it.

    The same cells as ``_cell`` of each value, checked in one pass over the types: a column
    of numbers and ``None`` goes to the csv module as it is, a text column is changed only
    when one of its cells starts with a formula trigger, and a timestamp column is
    ``isoformat`` of each; any other mix goes cell by cell.
    """
    types = set(map(type, values))
    if types <= _AS_IS:
        return values
    if types <= {str, _NONE}:
        texts = filter(None, values)  # None and "" cannot start with a trigger
        if any(map(str.startswith, texts, repeat(_FORMULA_TRIGGERS))):
            return [v if v is None else _neutralise(v) for v in values]
        return values
    if types == {datetime} and set(map(_tzinfo, values)) == {timezone.utc}:
        # Findings share timestamps (one scan, many findings): each distinct one once. Only
        # for UTC: equal instants in other offsets are equal keys but print differently.
        text = {v: v.isoformat() for v in set(values)}
        return [*map(text.__getitem__, values)]
    if types <= {datetime, _NONE}:
        return [None if v is None else v.isoformat() for v in values]
    if types == {date}:
        return [*map(date.isoformat, values)]
    return [*map(_cell, values)]


def write_csv(items: object, path: str | os.PathLike[str]) -> None:
    """Write [`to_csv`][inspector_kit.formats.to_csv] to ``path`` (UTF-8, replaced if it exists).

    Examples:
        >>> import pathlib, tempfile
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.csv"
        >>> write_csv(sample_findings(), path)
        >>> len(path.read_text(encoding="utf-8").splitlines())
        275
        >>> from inspector_kit.formats import to_pandas
        >>> write_csv(to_pandas(sample_findings()).head(3), path)  # a DataFrame, too
        >>> len(path.read_text(encoding="utf-8").splitlines())
        4
    """
    write_text(to_csv(items), path)
