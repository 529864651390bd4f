"""Records as a pandas DataFrame or a pyarrow Table, with a dtype chosen per column."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ._extras import require
from ._records import records_table

__all__ = ["CATEGORICAL_COLUMNS", "to_arrow", "to_pandas"]

CATEGORICAL_COLUMNS: frozenset[str] = frozenset(
    {
        # findings, rescorings, rankings, triage
        "severity",
        "base_severity",
        "worst_severity",
        "status",
        "type",
        "exploit_available",
        "fix_available",
        "resource_type",
        "exposure",
        "cvss_source",
        "queue",
        "rule",
        # coverage
        "state",
        "platform",
        "scan_mode",
        "expected_status",
        "expected_method",
        "observed_method",
        "method_if_hybrid",
        "billed_method",
        "package_manager",
        "reason",
        # pricing
        "item",
        "unit",
        "currency",
    }
)
"""Columns whose values come from an enum or a small documented set: categorical.

Only when the column holds text: a ranking's ``exposure`` component is a number.
"""

_FLOAT_COLUMNS = frozenset({"inspector_score", "epss_score", "base_score", "score", "worst_score"})

Kind = Literal["category", "timestamp", "date", "bool", "int", "float", "decimal", "string"]


def _kind(name: str, values: list[Any]) -> Kind:
    """The column kind: by name for text categoricals, else from the values (then the name)."""
    present = [v for v in values if v is not None]
    if name in CATEGORICAL_COLUMNS and all(isinstance(v, str) for v in present):
        return "category"  # a ranking's "exposure" is a number: not categorical
    if not present:
        if name in _FLOAT_COLUMNS:
            return "float"
        return "timestamp" if name.endswith("_at") else "string"
    if all(isinstance(v, datetime) for v in present):
        return "timestamp"
    if all(isinstance(v, date) and not isinstance(v, datetime) for v in present):
        return "date"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present):
        if any(isinstance(v, Decimal) for v in present):
            return "decimal"
        return "float" if any(isinstance(v, float) for v in present) else "int"
    return "string"


def _columns(items: object) -> dict[str, list[Any]]:
    """Column name -> values (``None`` where a row lacks it), columns as the records'."""
    names, rows = records_table(items)
    return {name: [row.get(name) for row in rows] for name in names}


def _cell(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "decimal":
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind in ("string", "category"):
        return str(value)
    return value


def to_pandas(items: object) -> Any:  # pandas.DataFrame: pandas ships no stubs
    """A ``pandas.DataFrame`` of ``to_records``, with a dtype per column.

    Needs the ``pandas`` extra (``pip install 'inspector-kit[pandas]'``).

    Dtypes:

    * ``category`` for the columns of
      [`CATEGORICAL_COLUMNS`][inspector_kit.formats.CATEGORICAL_COLUMNS] (severity, status, type,
      queue, scan methods, pricing item, ...);
    * ``datetime64[ns, UTC]`` for datetimes (naive ones are taken as UTC) and for
      ``*_at`` columns with no value;
    * nullable ``Float64``, ``Int64`` and ``boolean`` for numbers and flags (missing:
      ``pd.NA``);
    * ``string`` for text;
    * money and other ``Decimal`` values stay exact ``Decimal`` objects (``object``
      dtype; ``.astype("Float64")`` when floats will do);
    * dates (``date``, not ``datetime``) stay ``date`` objects (``object`` dtype).

    Raises:
        MissingExtraError: pandas is not installed.
        RecordsError: ``items`` cannot be converted (see
            [`to_records`][inspector_kit.formats.to_records]).

    Examples:
        >>> from inspector_kit import sample_findings
        >>> df = to_pandas(sample_findings())
        >>> df.shape
        (274, 20)
        >>> str(df["severity"].dtype), str(df["first_observed_at"].dtype)
        ('category', 'datetime64[ns, UTC]')
        >>> str(df["inspector_score"].dtype)
        'Float64'
    """
    pd = require("pandas", "pandas", feature="to_pandas")
    columns = _columns(items)
    data: dict[str, Any] = {}
    for name, raw in columns.items():
        kind = _kind(name, raw)
        values = [_cell(kind, v) for v in raw]
        if kind == "timestamp":
            series = pd.Series(pd.to_datetime(values, utc=True)).astype("datetime64[ns, UTC]")
        elif kind in ("decimal", "date"):
            series = pd.Series(values, dtype=object)
        else:
            dtype = {"float": "Float64", "int": "Int64", "bool": "boolean"}.get(kind, kind)
            series = pd.Series(values, dtype=dtype)
        data[name] = series
    return pd.DataFrame(data)


def to_arrow(items: object) -> Any:  # pyarrow.Table: pyarrow ships no stubs
    """A ``pyarrow.Table`` of ``to_records``, with a type per column.

    Needs the ``arrow`` extra (``pip install 'inspector-kit[arrow]'``).

    Types: ``dictionary<values=string, indices=int32>`` for
        [`CATEGORICAL_COLUMNS`][inspector_kit.formats.CATEGORICAL_COLUMNS];
    ``timestamp[us, tz=UTC]`` for datetimes (microseconds, as Python keeps them);
    ``date32`` for dates; ``float64``, ``int64``, ``bool`` and ``string``; ``decimal128``
    (precision and scale inferred from the values) for ``Decimal`` money, exact.
    Every column is nullable.

    Raises:
        MissingExtraError: pyarrow is not installed.
        RecordsError: ``items`` cannot be converted (see
            [`to_records`][inspector_kit.formats.to_records]).

    Examples:
        >>> from inspector_kit import sample_findings
        >>> table = to_arrow(sample_findings())
        >>> table.num_rows, str(table.schema.field("first_observed_at").type)
        (274, 'timestamp[us, tz=UTC]')
        >>> str(table.schema.field("severity").type)
        'dictionary<values=string, indices=int32, ordered=0>'
    """
    pa = require("pyarrow", "arrow", feature="to_arrow")
    types = {
        "timestamp": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "float": pa.float64(),
        "string": pa.string(),
        "category": pa.string(),
        "decimal": None,  # inferred: decimal128(precision, scale) of the values
    }
    arrays: dict[str, Any] = {}
    for name, raw in _columns(items).items():
        kind = _kind(name, raw)
        array = pa.array([_cell(kind, v) for v in raw], type=types[kind])
        arrays[name] = array.dictionary_encode() if kind == "category" else array
    return pa.table(arrays)
