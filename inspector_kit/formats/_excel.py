"""Excel workbooks, through openpyxl (the ``excel`` extra)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ._extras import require
from ._records import records_table
from ._values import _neutralise

if TYPE_CHECKING:
    import os

__all__ = ["write_excel"]


def _cell(value: Any, illegal: Any) -> Any:
    if isinstance(value, str):
        return _neutralise(illegal.sub("", value))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def write_excel(
    items: object, path: str | os.PathLike[str], *, sheet_name: str = "records"
) -> None:
    """Write ``to_records`` to an ``.xlsx`` workbook: a header row, then one row each.

    Needs the ``excel`` extra (``pip install 'inspector-kit[excel]'``).

    Text is always stored as text, never as a formula, and is neutralised as in
    [`to_csv`][inspector_kit.formats.to_csv] (a leading ``'`` before ``=``, ``+``, ``-``, ``@``,
    tab, carriage return), header cells included, so the sheet is also safe once re-exported to CSV;
    control characters Excel cannot store are dropped. Numbers, ``Decimal``, flags and
    dates keep their types; Excel has no time zones, so datetimes are written as UTC wall
    time (an aware ``datetime64[ns, UTC]`` column of a DataFrame too).

    ``items`` may be a ``pandas.DataFrame`` (``to_pandas``'s, filtered or sorted, or your
    own): its columns and rows are written the same way, safely, without its index
    (``reset_index()`` first to keep it). ``df.to_excel`` needs
    ``to_pandas(items, excel_safe=True)`` instead, and does no more than that.

    Raises:
        MissingExtraError: openpyxl is not installed.
        RecordsError: ``items`` cannot be converted (see
            [`to_records`][inspector_kit.formats.to_records]).

    Examples:
        >>> import pathlib, tempfile
        >>> import openpyxl
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.xlsx"
        >>> write_excel(sample_findings(), path)
        >>> sheet = openpyxl.load_workbook(path)["records"]
        >>> sheet.max_row, sheet["A1"].value
        (275, 'finding_arn')
        >>> from inspector_kit.formats import to_pandas
        >>> df = to_pandas(sample_findings())
        >>> write_excel(df[df["severity"] == "CRITICAL"], path)
        >>> openpyxl.load_workbook(path)["records"].max_row
        29
    """
    openpyxl = require("openpyxl", "excel", feature="write_excel")
    cell_module = require("openpyxl.cell.cell", "excel", feature="write_excel")
    illegal = cell_module.ILLEGAL_CHARACTERS_RE
    header, rows = records_table(items)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for column, name in enumerate(header, start=1):
        # A header is data too (a record's key): neutralised and stored as text, like a cell.
        cell = sheet.cell(row=1, column=column, value=_cell(name, illegal))
        cell.data_type = "s"
    for index, row in enumerate(rows, start=2):
        for column, name in enumerate(header, start=1):
            value = _cell(row.get(name), illegal)
            cell = sheet.cell(row=index, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even if openpyxl took it for a formula
    if header:
        sheet.freeze_panes = "A2"
    workbook.save(path)
