"""Rescoring on Arrow tables: one decision per distinct key, expanded by ``take``.

The same rules as [`rescore_all`][inspector_kit.scoring.rescore_all], read from columns
instead of ``Finding`` objects: a table of finding records (``formats.to_arrow``, a Parquet
snapshot's ``Snapshot.read_columns``, a snapshot dataset's ``scan``) carries, per finding, the
base CVSS vector, version and source rescoring starts from
([`BASE_CVSS_COLUMNS`][inspector_kit.scoring.BASE_CVSS_COLUMNS]), the resource's id and type,
and the finding's type and severity. Those columns are dictionary-encoded (Arrow's hash
kernels, in C), combined into one key per row, and the rescoring is computed once per
distinct key (with the cache ``rescore_all`` uses); the results are expanded to the rows by
``take``. No Python code runs per row.

pyarrow is the ``arrow`` extra; it is imported when a table is rescored.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from inspector_kit._records import join_cell
from inspector_kit.errors import InvalidArgumentError, InvalidArgumentTypeError, MissingExtraError

from ._exposure import ExposurePolicy, NetworkExposure
from ._rescore import (
    _NOT_PACKAGE,
    BASE_CVSS_COLUMNS,
    RESCORE_COLUMNS,
    _Core,
    _core,
    _exposure,
    _no_score,
    _severity_changed,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

__all__ = ["TABLE_INPUT_COLUMNS", "rescore_batches", "rescore_table"]

TABLE_INPUT_COLUMNS: tuple[str, ...] = (
    "finding_arn",
    "vulnerability_id",
    "type",
    "severity",
    "resource_type",
    "resource_id",
    *BASE_CVSS_COLUMNS,
)
"""The columns [`rescore_table`][inspector_kit.scoring.rescore_table] reads (others are ignored).

All are columns of finding records (``FINDING_COLUMNS``), of Parquet snapshots
(``PARQUET_COLUMNS``) and of snapshot datasets (``DATASET_COLUMNS``).

Examples:
    >>> from inspector_kit.formats import FINDING_COLUMNS
    >>> set(TABLE_INPUT_COLUMNS) <= set(FINDING_COLUMNS)
    True
"""

_UNTRIAGED = "UNTRIAGED: the vendor has not scored this vulnerability yet"
_NO_VECTOR = "no CVSS v3 vector in the row (cvss_vector is empty: the finding has no CVSS v3 score)"
_LIMIT = 1 << 62  # keys are combined into one int64: compress before this is exceeded


def _pyarrow() -> tuple[Any, Any]:
    try:
        pa = importlib.import_module("pyarrow")
        pc = importlib.import_module("pyarrow.compute")
    except ImportError as exc:
        raise MissingExtraError("pyarrow", "arrow", feature="rescore_table") from exc
    return pa, pc


def _result_schema(pa: Any) -> Any:
    types = {
        "base_score": pa.float64(),
        "score": pa.float64(),
        "severity_changed": pa.bool_(),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in RESCORE_COLUMNS])


class _Key:
    """Columns combined into one int64 code per row, and back to values per code."""

    def __init__(self, pa: Any, pc: Any) -> None:
        self.pa, self.pc = pa, pc
        self.code: Any = None
        self.size = 1
        # ("column", its values) per column combined, or ("packed", codes) where the running
        # code was renumbered: decoding walks these back.
        self.steps: list[tuple[str, list[Any]]] = []

    def add(self, indices: Any, values: list[Any]) -> None:
        pa, pc = self.pa, self.pc
        width = len(values)
        indices = indices.cast(pa.int64())
        if self.code is None:
            self.code = indices
        else:
            if self.size * width >= _LIMIT:  # pathological cardinalities: renumber first
                packed = pc.dictionary_encode(self.code)
                self.steps.append(("packed", packed.dictionary.to_pylist()))
                self.code = packed.indices.cast(pa.int64())
                self.size = len(packed.dictionary)
            self.code = pc.add(pc.multiply(self.code, width), indices)
        self.size *= width
        self.steps.append(("column", values))

    def decode(self, code: int) -> list[Any]:
        values: list[Any] = []
        for kind, data in reversed(self.steps):
            if kind == "packed":
                code = data[code]
                continue
            code, index = divmod(code, len(data))
            values.append(data[index])
        values.reverse()
        return values


def _encoded(pa: Any, pc: Any, column: Any) -> tuple[Any, list[Any]]:
    """Dictionary indices (no nulls) of an array and the values they stand for.

    Text comes back as ``str`` (``None`` for null), numbers as Python numbers.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_dictionary(column.type):
        dictionary = column.dictionary
        indices = column.indices
    else:
        encoded = pc.dictionary_encode(column)
        dictionary, indices = encoded.dictionary, encoded.indices
    values = dictionary.to_pylist()
    if indices.null_count:
        indices = indices.fill_null(len(values))
        values.append(None)
    return indices, values


class _TableRescorer:
    """One policy and exposure map; results shared by every batch it rescores."""

    def __init__(
        self,
        policy: ExposurePolicy,
        exposures: Mapping[str, NetworkExposure],
        default: NetworkExposure,
    ) -> None:
        if policy.requirements:
            raise InvalidArgumentError(
                f"policy {policy.name!r} depends on resource tags, which a table does not "
                "carry: rescore the findings with rescore_all"
            )
        self.policy = policy
        self.exposures = exposures
        self.default = default
        self.members = list(NetworkExposure)
        self.cores: dict[tuple[Any, ...], _Core] = {}
        self.rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.pa, self.pc = _pyarrow()
        self.schema = _result_schema(self.pa)

    def _core(self, key: tuple[Any, ...]) -> _Core:
        kind, severity, resource_type, vector, version, source, exposure = key
        if kind in _NOT_PACKAGE:  # as rescore_all: these types are never scored
            return _no_score(_NOT_PACKAGE[kind], exposure)
        if vector is None:
            return _no_score(_UNTRIAGED if severity == "UNTRIAGED" else _NO_VECTOR, exposure)
        cached = self.cores.get(key[2:])
        if cached is None:
            cached = self.cores[key[2:]] = _core(
                vector, version or "", source or "", exposure, (), resource_type, self.policy
            )
        return cached

    def _row(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        row = self.rows.get(key)
        if row is None:
            core = self._core(key)
            base = core.base_vector
            row = self.rows[key] = (
                core.exposure.value,
                None if base is None else base.score,
                None if core.base_severity is None else core.base_severity.value,
                core.score,
                None if core.severity is None else core.severity.value,
                _severity_changed(core.base_severity, core.severity),
                join_cell(str(a) for a in core.adjustments),
                core.reason,
            )
        return row

    def batch(self, batch: Any) -> Any:
        pa, pc = self.pa, self.pc
        names = batch.schema.names
        missing = [c for c in TABLE_INPUT_COLUMNS if c not in names]
        if missing:
            raise InvalidArgumentError(
                f"the table lacks the column(s) {', '.join(missing)} that rescoring reads "
                f"(TABLE_INPUT_COLUMNS; tables written before the CVSS columns were added lack "
                f"{', '.join(BASE_CVSS_COLUMNS)})"
            )
        key = _Key(pa, pc)
        # Exposure per row: looked up once per distinct resource id.
        ids, id_values = _encoded(pa, pc, batch.column(names.index("resource_id")))
        position = {member: n for n, member in enumerate(self.members)}
        get = self.exposures.get
        default = self.default
        per_id = pa.array(
            [position[default if rid is None else get(rid, default)] for rid in id_values],
            pa.int64(),
        )
        key.add(per_id.take(ids), self.members)
        for name in ("type", "severity", "resource_type", *BASE_CVSS_COLUMNS):
            indices, values = _encoded(pa, pc, batch.column(names.index(name)))
            key.add(indices, values)
        groups = pc.dictionary_encode(key.code)
        results = []
        for code in groups.dictionary.to_pylist():
            exposure, *rest = key.decode(code)
            results.append(self._row((*rest, exposure)))
        take = groups.indices
        columns: dict[str, Any] = {
            name: batch.column(names.index(name))
            for name in ("finding_arn", "vulnerability_id", "resource_id")
        }
        for n, name in enumerate(RESCORE_COLUMNS[3:]):
            field = self.schema.field(name)
            values = pa.array([result[n] for result in results], field.type)
            columns[name] = values.take(take)
        arrays = [
            _as_type(pa, columns[name], self.schema.field(name).type) for name in RESCORE_COLUMNS
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)


def _as_type(pa: Any, column: Any, kind: Any) -> Any:
    if column.type == kind:
        return column
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column.cast(kind)


def _rescorer(
    exposures: Mapping[str, NetworkExposure | str] | None,
    policy: ExposurePolicy | None,
    default: NetworkExposure | str,
) -> _TableRescorer:
    known = {rid: _exposure(e) for rid, e in (exposures or {}).items()}
    return _TableRescorer(policy or ExposurePolicy.inspector(), known, _exposure(default))


def _batches_of(pa: Any, batches: Iterable[Any]) -> Iterator[Any]:
    for n, batch in enumerate(batches):
        if not isinstance(batch, pa.RecordBatch):
            raise InvalidArgumentTypeError(
                f"item {n} is {type(batch).__name__}, not a pyarrow.RecordBatch"
            )
        yield batch


def rescore_batches(
    batches: Iterable[Any],
    exposures: Mapping[str, NetworkExposure | str] | None = None,
    *,
    policy: ExposurePolicy | None = None,
    default: NetworkExposure | str = NetworkExposure.UNKNOWN,
) -> Iterator[Any]:
    """Rescore a stream of Arrow record batches: one result batch per input batch, lazily.

    The streaming form of [`rescore_table`][inspector_kit.scoring.rescore_table] (same
    columns, rules and results): batches are read one at a time, so memory is one batch
    plus one result per distinct key, however many findings stream through (a snapshot
    dataset's batches, a Parquet file's row groups). Results are shared across batches.

    Args:
        batches: ``pyarrow.RecordBatch`` objects with the
            [`TABLE_INPUT_COLUMNS`][inspector_kit.scoring.TABLE_INPUT_COLUMNS].
        exposures: Resource id -> exposure (as for ``rescore_all``).
        policy: The exposure policy (default: Inspector's). Policies that read resource
            tags need the findings: use ``rescore_all``.
        default: The exposure of resources missing from ``exposures``.

    Yields:
        ``pyarrow.RecordBatch`` with the ``RESCORE_COLUMNS``, row for row.

    Raises:
        MissingExtraError: pyarrow is not installed.
        InvalidArgumentError: a batch lacks a column rescoring reads (the error names it),
            or the policy depends on tags.
        InvalidArgumentTypeError: an item is not a ``RecordBatch``.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> from inspector_kit.formats import to_arrow
        >>> table = to_arrow(sample_findings())
        >>> out = list(rescore_batches(table.to_batches(max_chunksize=100)))
        >>> [batch.num_rows for batch in out]
        [100, 100, 74]
    """
    rescorer = _rescorer(exposures, policy, default)
    for batch in _batches_of(rescorer.pa, batches):
        yield rescorer.batch(batch)


def rescore_table(
    table: Any,
    exposures: Mapping[str, NetworkExposure | str] | None = None,
    *,
    policy: ExposurePolicy | None = None,
    default: NetworkExposure | str = NetworkExposure.UNKNOWN,
) -> Any:
    """Rescore an Arrow table of findings: ``rescore_all``'s results, as an Arrow table.

    Reads the [`TABLE_INPUT_COLUMNS`][inspector_kit.scoring.TABLE_INPUT_COLUMNS] of ``table``
    (a ``pyarrow.Table`` or ``RecordBatch``: ``formats.to_arrow(findings)``,
    ``Snapshot.read_columns``, a snapshot dataset's ``scan``; plain or dictionary-encoded
    strings) and returns one row per input row with the columns of
    ``Rescores.to_records`` (``RESCORE_COLUMNS``: ``float64`` scores, a ``bool``
    ``severity_changed``, strings otherwise). The rescoring is computed once per distinct
    (vector, version, source, resource type, exposure) and expanded by ``take``, so no Python
    code runs per row; the values equal ``rescore_all(findings).to_records()`` row for row,
    except that a row without a CVSS v3 vector gets a shorter reason (the table does not say
    which other versions the finding had).

    Args:
        table: A ``pyarrow.Table`` or ``pyarrow.RecordBatch``.
        exposures: Resource id -> exposure (as for ``rescore_all``).
        policy: The exposure policy (default: Inspector's). Policies that read resource
            tags need the findings: use ``rescore_all``.
        default: The exposure of resources missing from ``exposures``.

    Returns:
        A ``pyarrow.Table`` with the ``RESCORE_COLUMNS``.

    Raises:
        MissingExtraError: pyarrow is not installed.
        InvalidArgumentError: a column rescoring reads is missing (the error names it), or
            the policy depends on tags.
        InvalidArgumentTypeError: ``table`` is not a pyarrow table or record batch.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> from inspector_kit.formats import to_arrow
        >>> from inspector_kit.scoring import rescore_all
        >>> findings = list(sample_findings())
        >>> ec2 = {f.resources[0].id: "INTERNAL" for f in findings
        ...        if f.resources[0].type == "AWS_EC2_INSTANCE"}
        >>> scores = rescore_table(to_arrow(findings), ec2)
        >>> scores.num_rows == len(findings)
        True
        >>> scores.column("score").to_pylist() == rescore_all(findings, ec2).scores()
        True
    """
    pa, _ = _pyarrow()
    if isinstance(table, pa.RecordBatch):
        batches: list[Any] = [table]
    elif isinstance(table, pa.Table):
        batches = table.to_batches()
    else:
        raise InvalidArgumentTypeError(
            f"table must be a pyarrow.Table or RecordBatch, not {type(table).__name__}"
        )
    rescorer = _rescorer(exposures, policy, default)
    if not batches:
        return rescorer.schema.empty_table()
    return pa.Table.from_batches([rescorer.batch(b) for b in batches], schema=rescorer.schema)
