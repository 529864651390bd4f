"""Records as a pandas DataFrame or a pyarrow Table, with a dtype chosen per column."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from itertools import repeat
from operator import attrgetter
from typing import Any, Literal

from inspector_kit._values import _FORMULA_TRIGGERS
from inspector_kit.errors import RecordsError

from ._extras import require
from ._records import record_columns
from ._values import _neutralise

__all__ = ["CATEGORICAL_COLUMNS", "ORDERED_CATEGORIES", "to_arrow", "to_pandas"]

SEVERITY_ORDER: tuple[str, ...] = (
    "UNTRIAGED",
    "INFORMATIONAL",
    "LOW",
    "MEDIUM",
    "HIGH",
    "CRITICAL",
)
"""Severities from least to most severe; ``UNTRIAGED`` (no severity assigned yet) lowest."""

STATUS_ORDER: tuple[str, ...] = ("ACTIVE", "SUPPRESSED", "CLOSED")
"""Finding statuses in their natural order: open, set aside, gone."""

ORDERED_CATEGORIES: dict[str, tuple[str, ...]] = {
    "severity": SEVERITY_ORDER,
    "base_severity": SEVERITY_ORDER,
    "worst_severity": SEVERITY_ORDER,
    "old_severity": SEVERITY_ORDER,
    "new_severity": SEVERITY_ORDER,
    "status": STATUS_ORDER,
}
"""Columns that ``to_pandas`` makes *ordered* categoricals, with their order (lowest first).

Severities: ``UNTRIAGED`` < ``INFORMATIONAL`` < ``LOW`` < ``MEDIUM`` < ``HIGH`` <
``CRITICAL`` (``UNTRIAGED``, Inspector's "no severity yet", sorts lowest, so
``sort_values(ascending=False)`` puts it last). Finding statuses: ``ACTIVE`` < ``SUPPRESSED`` <
``CLOSED``. A column gets the order only when every value is a known one plus at most
values this version does not know (an open enum): those sort below the known ones, in
alphabetical order. A ``status`` column of other values (coverage statuses) stays
unordered.

Examples:
    >>> ORDERED_CATEGORIES["severity"][-1], ORDERED_CATEGORIES["status"][0]
    ('CRITICAL', 'ACTIVE')
"""

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

_FLOAT_COLUMNS = frozenset(
    {"inspector_score", "epss_score", "cvss_score", "base_score", "score", "worst_score"}
)

Kind = Literal["category", "timestamp", "date", "bool", "int", "float", "decimal", "string"]


_NONE = type(None)
_TEXT = frozenset({str})
_NUMBERS = frozenset({int, float, Decimal})
_ONE_TYPE_KINDS: dict[type, Kind] = {datetime: "timestamp", date: "date", bool: "bool"}


def _kind(name: str, values: list[Any]) -> Kind:
    """The column kind: by name for text categoricals, else from the values (then the name).

    Decided from the set of the values' exact types in one pass where that is enough (a
    column of ``str``, of numbers, of one of ``datetime``, ``date``, ``bool``); any other
    mix (subclasses, mixed types) is looked at value by value.
    """
    types = set(map(type, values))
    types.discard(_NONE)
    if types and types <= _TEXT:
        return "category" if name in CATEGORICAL_COLUMNS else "string"
    if types and types <= _NUMBERS:
        if Decimal in types:
            return "decimal"
        return "float" if float in types else "int"
    if len(types) == 1:
        kind = _ONE_TYPE_KINDS.get(next(iter(types)))
        if kind is not None:
            return kind
    return _kind_of_values(name, values)


def _kind_of_values(name: str, values: list[Any]) -> Kind:
    """``_kind``, value by value."""
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
    return record_columns(items)[1]


def _cells(kind: Kind, values: list[Any]) -> list[Any]:
    """``_cell`` of each value; the column itself when no value changes (one type check)."""
    if kind in ("string", "category", "decimal"):
        types = set(map(type, values))
        types.discard(_NONE)
        if types <= (_TEXT if kind != "decimal" else {Decimal}):
            return values
        return [_cell(kind, v) for v in values]
    return values


def _excel_cells(values: list[Any]) -> list[Any]:
    """``_excel_cell`` of each value; the column itself when no text starts a formula."""
    types = set(map(type, values))
    if types <= {str, _NONE}:
        texts = filter(None, values)  # None and "" cannot start with a trigger
        if not any(map(str.startswith, texts, repeat(_FORMULA_TRIGGERS))):
            return values
    return [_excel_cell(v) for v in values]


def _utc_only(values: list[Any]) -> bool:
    """Whether every value is ``None`` or a ``datetime`` in ``timezone.utc`` (and one is)."""
    types = set(map(type, values))
    if types != {datetime} and types != {datetime, _NONE}:
        return False
    return set(map(_tzinfo, filter(None, values))) == {timezone.utc}


_tzinfo = attrgetter("tzinfo")


def _cell(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "decimal":
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind in ("string", "category"):
        return str(value)
    return value


def _order(name: str, values: list[Any]) -> list[str] | None:
    """The categories of an ordered column, lowest first; ``None``: not an ordered one."""
    order = ORDERED_CATEGORIES.get(name)
    if order is None:
        return None
    present = set(values)
    present.discard(None)
    extra = sorted(present - set(order))
    if name == "status" and present and not present & set(order):
        return None  # not finding statuses (a coverage report's "status")
    return [*extra, *order]


def _excel_cell(value: Any) -> Any:
    """Text neutralised against formula injection (as ``to_csv``); anything else as is."""
    return _neutralise(value) if isinstance(value, str) else value


def to_pandas(items: object, *, excel_safe: bool = False) -> Any:  # pandas ships no stubs
    """A ``pandas.DataFrame`` of ``to_records``, with a dtype per column.

    Needs the ``pandas`` extra (``pip install 'inspector-kit[pandas]'``).

    Dtypes:

    * ``category`` for the columns of
      [`CATEGORICAL_COLUMNS`][inspector_kit.formats.CATEGORICAL_COLUMNS] (severity, status, type,
      queue, scan methods, pricing item, ...); severities and finding statuses are *ordered*
      categoricals ([`ORDERED_CATEGORIES`][inspector_kit.formats.ORDERED_CATEGORIES]:
      ``UNTRIAGED < INFORMATIONAL < LOW < MEDIUM < HIGH < CRITICAL``, ``ACTIVE < SUPPRESSED <
      CLOSED``), so ``sort_values("severity", ascending=False)`` puts CRITICAL first and
      ``df[df["severity"] >= "HIGH"]`` works;
    * ``datetime64[ns, UTC]`` for datetimes (naive ones are taken as UTC) and for
      ``*_at`` columns with no value;
    * nullable ``Float64``, ``Int64`` and ``boolean`` for numbers and flags (missing:
      ``pd.NA``); a column of integers of which one is beyond int64 keeps them exact, as
      Python ``int`` objects (``object`` dtype);
    * ``string`` for text;
    * money and other ``Decimal`` values stay exact ``Decimal`` objects (``object``
      dtype; ``.astype("Float64")`` when floats will do);
    * dates (``date``, not ``datetime``) stay ``date`` objects (``object`` dtype).

    ``excel_safe=True`` gives a frame that ``df.to_excel(path)`` writes as it is: Excel has
    no time zones, so timestamps become naive UTC wall time (``datetime64[ns]``), and text
    is neutralised against formula injection as in [`to_csv`][inspector_kit.formats.to_csv]
    (a leading ``'`` before ``=``, ``+``, ``-``, ``@``, tab, carriage return), since
    ``to_excel`` would store ``=...`` text as a formula.
    [`write_excel`][inspector_kit.formats.write_excel] does both itself, for records and
    frames alike.

    Args:
        items: Findings, a result, rows, or an iterable of them (see ``to_records``).
        excel_safe: Convert for ``df.to_excel`` (see above).

    Raises:
        MissingExtraError: pandas is not installed.
        RecordsError: ``items`` cannot be converted (see
            [`to_records`][inspector_kit.formats.to_records]).

    Examples:
        >>> from inspector_kit import sample_findings
        >>> df = to_pandas(sample_findings())
        >>> df.shape
        (274, 26)
        >>> str(df["severity"].dtype), str(df["first_observed_at"].dtype)
        ('category', 'datetime64[ns, UTC]')
        >>> str(df["inspector_score"].dtype)
        'Float64'
        >>> df.sort_values("severity", ascending=False)["severity"].iloc[0]
        'CRITICAL'
        >>> str(to_pandas(sample_findings(), excel_safe=True)["first_observed_at"].dtype)
        'datetime64[ns]'
    """
    pd = require("pandas", "pandas", feature="to_pandas")
    return _frame(pd, _columns(items), excel_safe=excel_safe)


def _frame(pd: Any, columns: dict[str, list[Any]], *, excel_safe: bool) -> Any:
    """The DataFrame of ``to_pandas`` from the record columns (``record_columns``).

    Each column is built by the cheapest constructor that gives the dtype ``_reference_series``
    gives (tests/test_frames_fast.py compares the two): categoricals from their codes, text
    through one ``pyarrow`` array when pandas keeps text in Arrow.
    """
    strings = _string_builder(pd)
    data: dict[str, Any] = {}
    for name, raw in columns.items():
        kind = _kind(name, raw)
        values = _cells(kind, raw)
        if excel_safe and kind in ("string", "category"):
            values = _excel_cells(values)
        order = _order(name, values) if kind == "category" else None
        if order is not None:
            series = pd.Series(_categorical(pd, values, order, ordered=True))
        elif kind == "category":
            categories = _categories(values)
            if categories is None:  # no value, or not all text: pandas infers the categories
                series = pd.Series(values, dtype="category")
            else:
                series = pd.Series(_categorical(pd, values, categories, ordered=False))
        elif kind == "string" and strings is not None:
            series = strings(values)
        else:
            series = _reference_series(pd, name, kind, values, excel_safe=excel_safe)
        data[name] = series
    return pd.DataFrame(data)


def _reference_series(
    pd: Any, name: str, kind: Kind, values: list[Any], *, excel_safe: bool
) -> Any:
    """One column of ``to_pandas`` by the plain constructors (the reference for the fast paths).

    ``values`` are the column's cells (``_cells``, and ``_excel_cells`` when ``excel_safe``).
    """
    order = _order(name, values) if kind == "category" else None
    if kind == "timestamp" and _utc_only(values):  # the common case: no conversion
        series = pd.Series(values, dtype="datetime64[ns, UTC]")
        return series.dt.tz_localize(None) if excel_safe else series
    if kind == "timestamp":
        series = pd.Series(pd.to_datetime(values, utc=True)).astype("datetime64[ns, UTC]")
        return series.dt.tz_localize(None) if excel_safe else series
    if order is not None:
        return pd.Series(pd.Categorical(values, categories=order, ordered=True))
    if kind in ("decimal", "date") or (kind == "int" and not _fits_int64(values)):
        # Exact Python objects: Decimals, dates, and integers beyond int64 (Int64 would
        # raise OverflowError; a float would round them).
        return pd.Series(values, dtype=object)
    dtype = {"float": "Float64", "int": "Int64", "bool": "boolean"}.get(kind, kind)
    return pd.Series(values, dtype=dtype)


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _fits_int64(values: list[Any]) -> bool:
    """Whether every integer of an ``int`` column (``None`` aside) fits in an int64."""
    present = [v for v in values if v is not None]
    return not present or (min(present) >= _INT64_MIN and max(present) <= _INT64_MAX)


def _categories(values: list[Any]) -> list[str] | None:
    """The sorted distinct texts of a categorical column; ``None`` unless it holds only text.

    The categories ``pd.Series(values, dtype="category")`` infers (sorted distinct values).
    """
    present = set(values)
    present.discard(None)
    if not present or not all(type(v) is str for v in present):
        return None
    return sorted(present)


def _categorical(pd: Any, values: list[Any], categories: list[str], *, ordered: bool) -> Any:
    """``pd.Categorical(values, categories=categories, ordered=ordered)``, from its codes.

    Every value is ``None`` or one of ``categories`` (``_order`` and ``_categories`` make
    them so): the codes are one dictionary look-up per value, without pandas' hashing.
    """
    import numpy as np  # pandas' own dependency

    index: dict[Any, int] = {category: i for i, category in enumerate(categories)}
    index[None] = -1
    codes = np.fromiter(map(index.__getitem__, values), np.int32, len(values))
    dtype = pd.CategoricalDtype(categories, ordered=ordered)
    return pd.Categorical.from_codes(codes, dtype=dtype)


def _string_builder(pd: Any) -> Any:
    """A builder of ``string`` columns through one pyarrow array, or ``None`` (use pandas).

    Only when pandas' ``string`` dtype keeps its text in Arrow (pandas 3 with pyarrow, or
    ``mode.string_storage = "pyarrow"``): the column is then the Arrow array pandas would
    build itself, without its per-value checks (the values are ``str`` or ``None``). Any
    failure (text Arrow cannot hold) falls back to pandas' constructor, which reports it
    as before.
    """
    dtype = pd.StringDtype()
    if dtype.storage != "pyarrow" or pd.Series([], dtype="string").dtype != dtype:
        return None
    pa = require("pyarrow", "arrow", feature="to_pandas")  # installed: pandas keeps text in it

    array_type = type(pd.array([], dtype=dtype))

    def build(values: list[Any]) -> Any:
        try:
            series = pd.Series(array_type(pa.chunked_array([pa.array(values, pa.string())])))
        except (pa.ArrowException, TypeError, ValueError):
            return pd.Series(values, dtype="string")
        if series.dtype != dtype:  # a pandas whose Arrow array keeps another dtype
            return pd.Series(values, dtype="string")
        return series

    return build


def to_arrow(items: object) -> Any:  # pyarrow.Table: pyarrow ships no stubs
    """A ``pyarrow.Table`` of ``to_records``, with a type per column.

    Needs the ``arrow`` extra (``pip install 'inspector-kit[arrow]'``).

    Types: ``dictionary<values=string, indices=int32>`` for
        [`CATEGORICAL_COLUMNS`][inspector_kit.formats.CATEGORICAL_COLUMNS] (ordered, every
        category in order, for [`ORDERED_CATEGORIES`][inspector_kit.formats.ORDERED_CATEGORIES]:
        ``table.to_pandas()`` sorts severities as ``to_pandas`` does);
    ``timestamp[us, tz=UTC]`` for datetimes (microseconds, as Python keeps them);
    ``date32`` for dates; ``float64``, ``int64``, ``bool`` and ``string``; ``decimal128``
    (precision and scale inferred from the values) for ``Decimal`` money, exact; an integer
    column with a value beyond int64 becomes ``decimal128(38, 0)`` (or ``decimal256(76, 0)``),
    exact too. Every column is nullable.

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
        'dictionary<values=string, indices=int32, ordered=1>'
        >>> str(table.schema.field("type").type)
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
        values = _cells(kind, raw)
        order = _order(name, values) if kind == "category" else None
        if order is not None:
            # Ordered, with every category in severity (or status) order, as in to_pandas.
            index = {category: i for i, category in enumerate(order)}
            indices = pa.array([None if v is None else index[v] for v in values], pa.int32())
            arrays[name] = pa.DictionaryArray.from_arrays(
                indices, pa.array(order, pa.string()), ordered=True
            )
            continue
        if kind == "int" and not _fits_int64(values):
            arrays[name] = _big_integers(pa, name, values)
            continue
        array = pa.array(values, type=types[kind])
        arrays[name] = array.dictionary_encode() if kind == "category" else array
    return pa.table(arrays)


def _big_integers(pa: Any, name: str, values: list[Any]) -> Any:
    """An integer column beyond int64, exact: ``decimal128``/``decimal256`` with scale 0."""
    digits = max(len(str(abs(v))) for v in values if v is not None)
    if digits > 76:  # decimal256's precision
        raise RecordsError(
            f"column {name!r}: an integer of {digits} digits does not fit an Arrow column "
            "(at most 76 digits, decimal256)"
        )
    kind = pa.decimal128(38, 0) if digits <= 38 else pa.decimal256(76, 0)
    return pa.array([None if v is None else Decimal(v) for v in values], type=kind)
