"""Snapshots as one partitioned Parquet dataset, on disk or S3: ``SnapshotDataset``.

The layout (fixed: the query engines of ``history.query`` rely on it)::

    <root>/snapshot_date=YYYY-MM-DD/aws_account_id=123456789012/region=us-east-1/part-<n>-<uuid>.parquet
    <root>/_snapshots/<snapshot_id>.json

The three partition columns live in the path only (Athena and Glue reject a column that is
both in the files and a partition key). A snapshot is *committed* when its manifest
``_snapshots/<snapshot_id>.json`` exists; the writer writes it last, after every Parquet file
of the snapshot is closed, so the files of a write that failed never count as a snapshot.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import uuid
from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import quote

import attrs

from inspector_kit import _limits
from inspector_kit._version import __version__
from inspector_kit.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    SnapshotError,
    SnapshotNotFoundError,
    SnapshotStorageError,
    SnapshotStoragePermissionError,
    SnapshotWriterError,
)
from inspector_kit.formats._extras import require
from inspector_kit.models import Finding

from ._snapshot import (
    _FORMAT,
    _FORMAT_VERSION,
    _LAYOUT_KEY,
    _UNIQUE_COLUMNS,
    _ZSTD_LEVEL,
    PARQUET_COLUMNS,
    PARQUET_LAYOUT,
    Snapshot,
    _add,
    _column_names,
    _criteria,
    _decode,
    _Header,
    _names,
    _parquet_arrays,
    _utc,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from types import TracebackType

    from inspector_kit.loaders import RecordIssue

__all__ = [
    "DATASET_COLUMNS",
    "PARTITION_COLUMNS",
    "DatasetPartition",
    "SnapshotDataset",
    "SnapshotManifest",
    "SnapshotWriter",
]

logger = logging.getLogger("inspector_kit.history")

PARTITION_COLUMNS: tuple[str, ...] = ("snapshot_date", "aws_account_id", "region")
"""The partition columns of a snapshot dataset, in path order (in the path only, not in files).

``snapshot_date`` is a DATE (the UTC date of ``snapshot_taken_at``); ``aws_account_id`` and
``region`` are strings (an account id keeps its leading zeros: read it as a string).

Examples:
    >>> PARTITION_COLUMNS
    ('snapshot_date', 'aws_account_id', 'region')
"""

DATASET_COLUMNS: tuple[str, ...] = (
    *(c for c in PARQUET_COLUMNS[:-1] if c not in ("aws_account_id", "region")),
    "snapshot_id",
    "finding",
)
"""The data columns of every Parquet file of a snapshot dataset, in order.

[`PARQUET_COLUMNS`][inspector_kit.history.PARQUET_COLUMNS] without the two partition columns
``aws_account_id`` and ``region``, with ``snapshot_id`` (one id per snapshot run) before
``finding`` (the whole finding as JSON).

Examples:
    >>> DATASET_COLUMNS[:3], DATASET_COLUMNS[-3:]
    (('finding_arn', 'type', 'severity'), ('snapshot_taken_at', 'snapshot_id', 'finding'))
"""

_DATASET_FORMAT_VERSION = 1
_DATASET_KEY = b"inspector_kit.snapshot_dataset"
_MANIFESTS = "_snapshots"
# Hive's, Spark's and Athena's name for a partition whose value is null.
_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
_SAFE_VALUE = re.compile(r"[A-Za-z0-9._-]+")
_SNAPSHOT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_CHUNK = 2048  # findings grouped per partition at a time: the only findings held at once
_STRING_COLUMNS = frozenset(DATASET_COLUMNS) - {
    "inspector_score",
    "epss_score",
    "cvss_score",
    "first_observed_at",
    "last_observed_at",
    "updated_at",
    "snapshot_taken_at",
}
_DDL_ENGINES = ("athena", "glue", "spark")


def _arrow_type(name: str) -> str:
    """The Hive/Athena/Glue type name of a data column."""
    if name in ("inspector_score", "epss_score", "cvss_score"):
        return "double"
    if name in _STRING_COLUMNS:
        return "string"
    return "timestamp"


def _schema(pa: Any) -> Any:
    stamp = pa.timestamp("us", tz="UTC")
    types = {"double": pa.float64(), "string": pa.string(), "timestamp": stamp}
    return pa.schema([(name, types[_arrow_type(name)]) for name in DATASET_COLUMNS])


def _partition_schema(pa: Any) -> Any:
    return pa.schema(
        [("snapshot_date", pa.date32()), ("aws_account_id", pa.string()), ("region", pa.string())]
    )


def _path_value(value: str | None) -> str:
    """A partition value as a path segment (Hive escaping for anything unusual)."""
    if value is None or value == "":
        return _NULL_PARTITION
    return value if _SAFE_VALUE.fullmatch(value) else quote(value, safe="")


# ----------------------------------------------------------------------------- storage


@contextlib.contextmanager
def _storage(path: str) -> Iterator[None]:
    """Turn the filesystem's errors into SnapshotStorageError naming ``path``."""
    try:
        yield
    except (SnapshotStorageError, SnapshotError):
        raise
    except PermissionError as exc:
        raise SnapshotStoragePermissionError(path, str(exc)) from exc
    except OSError as exc:
        text = str(exc)
        # pyarrow's S3 client reports "AWS Error ACCESS_DENIED ..." as a plain OSError.
        if "ACCESS_DENIED" in text or "AccessDenied" in text:
            raise SnapshotStoragePermissionError(path, text) from exc
        raise SnapshotStorageError(path, text) from exc


def _is_local(fs: Any) -> bool:
    return type(fs).__name__ == "LocalFileSystem"


# ----------------------------------------------------------------------------- manifests


@attrs.frozen
class DatasetPartition:
    """One (date, account, region) partition of a snapshot: its rows and files.

    Attributes:
        snapshot_date: The partition's date (the UTC date of the snapshot's ``taken_at``).
        aws_account_id: The account (``None`` for findings without one).
        region: The region (``None`` for findings without one).
        rows: The findings written to it.
        files: Its Parquet files, relative to the dataset root.

    Examples:
        >>> from datetime import date
        >>> part = DatasetPartition(date(2026, 11, 2), "111122223333", "us-east-1", 2, ())
        >>> part.path
        'snapshot_date=2026-11-02/aws_account_id=111122223333/region=us-east-1'
    """

    snapshot_date: date
    aws_account_id: str | None
    region: str | None
    rows: int
    files: tuple[str, ...]

    @property
    def path(self) -> str:
        """The partition's folder, relative to the dataset root."""
        return (
            f"snapshot_date={self.snapshot_date.isoformat()}"
            f"/aws_account_id={_path_value(self.aws_account_id)}"
            f"/region={_path_value(self.region)}"
        )


@attrs.frozen
class SnapshotManifest:
    """A committed snapshot of a dataset: what ``_snapshots/<snapshot_id>.json`` holds.

    Attributes:
        snapshot_id: The snapshot's id (unique in the dataset; sorts by ``taken_at``).
        taken_at: When the findings were fetched (aware UTC).
        regions: The regions fetched, or ``None`` when not recorded (all).
        accounts: The accounts fetched, or ``None`` when not recorded (all).
        criteria: The filter the findings were fetched with (JSON), or ``None``.
        finding_count: The findings written.
        partitions: Each partition written: rows and files.
        errors: What went wrong while the findings were fetched (recorded with
            [`SnapshotWriter.record_error`][inspector_kit.history.SnapshotWriter.record_error]):
            dicts with ``account``, ``region``, ``error`` (the class name) and ``message``.
        version: The inspector_kit version that wrote it.

    Examples:
        >>> from datetime import datetime, timezone
        >>> m = SnapshotManifest("20261102T000000Z-0a1b2c3d4e5f",
        ...                      datetime(2026, 11, 2, tzinfo=timezone.utc))
        >>> m.snapshot_date.isoformat(), m.finding_count, m.files
        ('2026-11-02', 0, ())
    """

    snapshot_id: str
    taken_at: datetime
    regions: tuple[str, ...] | None = None
    accounts: tuple[str, ...] | None = None
    criteria: dict[str, Any] | None = attrs.field(default=None, hash=False)
    finding_count: int = 0
    partitions: tuple[DatasetPartition, ...] = ()
    errors: tuple[dict[str, str | None], ...] = attrs.field(default=(), hash=False)
    version: str = __version__

    @property
    def snapshot_date(self) -> date:
        """The UTC date of ``taken_at``: the ``snapshot_date`` partition."""
        return self.taken_at.astimezone(timezone.utc).date()

    @property
    def files(self) -> tuple[str, ...]:
        """Every Parquet file of the snapshot, relative to the dataset root."""
        return tuple(name for part in self.partitions for name in part.files)

    def to_json(self) -> str:
        """The manifest as JSON text (the snapshot header of ``Snapshot`` plus the partitions).

        Examples:
            >>> from datetime import datetime, timezone
            >>> m = SnapshotManifest("s1", datetime(2026, 11, 2, tzinfo=timezone.utc))
            >>> SnapshotManifest.from_json(m.to_json(), source="s1.json") == m
            True
        """
        return json.dumps(
            {
                "format": _FORMAT,
                "format_version": _FORMAT_VERSION,
                "dataset_format_version": _DATASET_FORMAT_VERSION,
                "snapshot_id": self.snapshot_id,
                "taken_at": self.taken_at.isoformat(),
                "snapshot_date": self.snapshot_date.isoformat(),
                "regions": None if self.regions is None else list(self.regions),
                "accounts": None if self.accounts is None else list(self.accounts),
                "criteria": self.criteria,
                "inspector_kit_version": self.version,
                "finding_count": self.finding_count,
                "partitions": [
                    {
                        "aws_account_id": p.aws_account_id,
                        "region": p.region,
                        "rows": p.rows,
                        "files": list(p.files),
                    }
                    for p in self.partitions
                ],
                "errors": [dict(e) for e in self.errors],
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str) -> SnapshotManifest:
        """Read a manifest; a bad value is a ``SnapshotError`` naming ``source`` and the field.

        Examples:
            >>> SnapshotManifest.from_json('{"format": "x"}', source="s1.json")
            Traceback (most recent call last):
            ...
            inspector_kit.errors.SnapshotError: s1.json: format: not an inspector_kit snapshot: 'x'
        """

        def fail(field: str, message: str) -> SnapshotError:
            return SnapshotError(message, source=source, field=field)

        try:
            meta = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise fail("manifest", f"not valid JSON: {exc}") from None
        header = _Header.read(meta, source, key="manifest", line=None)
        version = meta.get("dataset_format_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise fail("dataset_format_version", f"expected an integer, got {version!r}")
        if version > _DATASET_FORMAT_VERSION:
            raise fail(
                "dataset_format_version",
                f"{version} is newer than this inspector_kit reads "
                f"({_DATASET_FORMAT_VERSION}): upgrade inspector_kit",
            )
        snapshot_id = meta.get("snapshot_id")
        if not isinstance(snapshot_id, str) or not _SNAPSHOT_ID.fullmatch(snapshot_id):
            raise fail("snapshot_id", f"expected a snapshot id, got {snapshot_id!r}")
        raw_parts = meta.get("partitions")
        if not isinstance(raw_parts, list):
            raise fail("partitions", f"expected a list, got {type(raw_parts).__name__}")
        day = header.taken_at.astimezone(timezone.utc).date()
        parts = []
        for index, raw in enumerate(raw_parts):
            field = f"partitions[{index}]"
            if not isinstance(raw, dict):
                raise fail(field, "expected an object")
            rows, files = raw.get("rows"), raw.get("files")
            if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
                raise fail(f"{field}.rows", f"expected a non-negative integer, got {rows!r}")
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                raise fail(f"{field}.files", "expected a list of strings")
            account, region = raw.get("aws_account_id"), raw.get("region")
            for name, value in (("aws_account_id", account), ("region", region)):
                if value is not None and not isinstance(value, str):
                    raise fail(f"{field}.{name}", f"expected a string or null, got {value!r}")
            parts.append(DatasetPartition(day, account, region, rows, tuple(files)))
        raw_errors = meta.get("errors", [])
        if not isinstance(raw_errors, list) or not all(
            isinstance(e, dict) and all(v is None or isinstance(v, str) for v in e.values())
            for e in raw_errors
        ):
            raise fail("errors", "expected a list of objects of strings")
        count = header.count if header.count is not None else sum(p.rows for p in parts)
        if count != sum(p.rows for p in parts):
            raise fail(
                "finding_count",
                f"says {count} findings, the partitions hold {sum(p.rows for p in parts)}",
            )
        return cls(
            snapshot_id,
            header.taken_at,
            regions=header.regions,
            accounts=header.accounts,
            criteria=header.criteria,
            finding_count=count,
            partitions=tuple(parts),
            errors=tuple(raw_errors),
            version=header.version,
        )


# ----------------------------------------------------------------------------- the writer


class SnapshotWriter:
    """Writes one snapshot into a dataset as findings stream in; made by ``dataset.writer()``.

    Findings are grouped by (account, region) a few thousand at a time, turned into Arrow
    columns at once (no ``Finding`` is kept), and buffered per partition; a partition's
    buffer is written as one Parquet row group when it reaches ``row_group_size`` rows, and
    the largest buffer is written whenever all of them together pass ``max_buffered_rows``.
    At most ``max_open_files`` files are open at once (the least recently used is closed; the
    partition's next rows go to a new ``part-<n+1>`` file). Memory is therefore bounded by
    the buffers and open files, never by the number of findings.

    ``close()`` (the end of the ``with`` block) writes the remaining buffers, closes every
    file and only then writes the manifest ``_snapshots/<snapshot_id>.json``: until that
    file exists the snapshot is not visible to ``snapshots()``, ``read()``, ``scan()`` or
    ``files()``. Leaving the ``with`` block on an exception (or calling ``abort()``)
    deletes the files written so far and writes no manifest.

    Attributes:
        snapshot_id: The id of the snapshot being written.
        manifest: The committed manifest, once closed (else ``None``).

    Examples:
        >>> import tempfile
        >>> from datetime import datetime
        >>> from inspector_kit import sample_findings
        >>> dataset = SnapshotDataset(tempfile.mkdtemp())
        >>> with dataset.writer(taken_at=datetime(2026, 11, 2)) as writer:
        ...     writer.write(sample_findings())
        ...     writer.record_error(PermissionError("denied"), account="444455556666")
        274
        >>> writer.manifest.finding_count, writer.manifest.errors[0]["error"]
        (274, 'PermissionError')
    """

    def __init__(
        self,
        dataset: SnapshotDataset,
        *,
        taken_at: datetime | None = None,
        criteria: object = None,
        regions: Iterable[str] | None = None,
        accounts: Iterable[str] | None = None,
        snapshot_id: str | None = None,
        row_group_size: int = 32_768,
        max_buffered_rows: int = 131_072,
        max_open_files: int = 64,
    ) -> None:
        for name, value in (
            ("row_group_size", row_group_size),
            ("max_buffered_rows", max_buffered_rows),
            ("max_open_files", max_open_files),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidArgumentError(f"{name} must be a positive integer, not {value!r}")
        self._pa = require("pyarrow", "arrow", feature="SnapshotDataset.writer")
        self._pq = require("pyarrow.parquet", "arrow", feature="SnapshotDataset.writer")
        self._dataset = dataset
        self._taken_at = _utc(taken_at) if taken_at is not None else datetime.now(timezone.utc)
        self._criteria = _criteria(criteria)
        self._regions = _names(regions)
        self._accounts = _names(accounts)
        self._uuid = uuid.uuid4().hex
        chosen = snapshot_id is not None  # a generated id is new (12 random hex digits)
        if snapshot_id is None:
            snapshot_id = f"{self._taken_at:%Y%m%dT%H%M%S}Z-{self._uuid[:12]}"
        elif not isinstance(snapshot_id, str) or not _SNAPSHOT_ID.fullmatch(snapshot_id):
            raise InvalidArgumentError(
                f"a snapshot id is 1 to 128 letters, digits, '.', '_' or '-' (starting with a "
                f"letter or digit), not {snapshot_id!r}"
            )
        self.snapshot_id: str = snapshot_id
        self.manifest: SnapshotManifest | None = None
        self._row_group_size = row_group_size
        self._max_buffered = max_buffered_rows
        self._max_open = max_open_files
        self._schema = _schema(self._pa).with_metadata(
            {
                _LAYOUT_KEY: str(PARQUET_LAYOUT).encode(),
                _DATASET_KEY: json.dumps({"snapshot_id": snapshot_id}).encode(),
            }
        )
        self._date = self._taken_at.date().isoformat()
        self._pending: dict[tuple[str | None, str | None], list[Any]] = {}
        self._pending_rows: dict[tuple[str | None, str | None], int] = {}
        self._buffered = 0
        self._open: OrderedDict[tuple[str | None, str | None], Any] = OrderedDict()
        self._files: dict[tuple[str | None, str | None], list[str]] = {}
        self._rows: dict[tuple[str | None, str | None], int] = {}
        self._errors: list[dict[str, str | None]] = []
        self._state: Literal["open", "closed", "aborted"] = "open"
        if chosen and dataset._exists_manifest(snapshot_id):
            raise InvalidArgumentError(
                f"{dataset.root}: a snapshot {snapshot_id!r} is already committed"
            )

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._state != "open":
            return
        if kind is None:
            self.close()
        else:
            self.abort()

    def _check_open(self) -> None:
        if self._state != "open":
            raise SnapshotWriterError(f"the writer of snapshot {self.snapshot_id} is {self._state}")

    def write(self, findings: Iterable[Finding]) -> int:
        """Add findings (any iterable, consumed as it goes); return how many were added.

        Raises:
            InvalidArgumentTypeError: an item is not a ``Finding``.
            SnapshotStorageError: a file cannot be written (the writer is then aborted).
            SnapshotWriterError: the writer is closed.
        """
        self._check_open()
        if isinstance(findings, Finding):
            findings = (findings,)
        count = 0
        chunk: list[Finding] = []
        for finding in findings:
            if not isinstance(finding, Finding):
                raise InvalidArgumentTypeError(
                    f"the writer takes Finding objects, not {type(finding).__name__}"
                )
            chunk.append(finding)
            if len(chunk) == _CHUNK:
                count += self._write_chunk(chunk)
                chunk = []
        if chunk:
            count += self._write_chunk(chunk)
        return count

    def record_error(
        self, error: BaseException | str, *, account: str | None = None, region: str | None = None
    ) -> None:
        """Record what went wrong for an account and/or region (saved in the manifest).

        A fetch that failed for one account or region is recorded here, so that the snapshot
        says which part of the estate it lacks, never a silent "no findings".

        Examples:
            >>> import tempfile
            >>> with SnapshotDataset(tempfile.mkdtemp()).writer() as writer:
            ...     writer.record_error("throttled", region="eu-west-1")
            >>> writer.manifest.errors
            ({'account': None, 'region': 'eu-west-1', 'error': None, 'message': 'throttled'},)
        """
        self._check_open()
        kind = None if isinstance(error, str) else type(error).__name__
        self._errors.append(
            {"account": account, "region": region, "error": kind, "message": str(error)}
        )

    def _write_chunk(self, chunk: list[Finding]) -> int:
        # One conversion for the whole chunk, then one ``take`` per partition: the cost per
        # finding does not grow with the number of partitions a chunk spreads over.
        pa = self._pa
        arrays = _parquet_arrays(pa, chunk, self._taken_at)
        arrays["snapshot_id"] = pa.repeat(pa.scalar(self.snapshot_id, pa.string()), len(chunk))
        batch = pa.RecordBatch.from_arrays(
            [arrays[name] for name in DATASET_COLUMNS], schema=self._schema
        )
        del arrays
        groups: dict[tuple[str | None, str | None], list[int]] = {}
        for index, finding in enumerate(chunk):
            groups.setdefault((finding.aws_account_id, finding.region), []).append(index)
        for key, rows in groups.items():
            part = batch if len(rows) == len(chunk) else batch.take(pa.array(rows, pa.int32()))
            self._pending.setdefault(key, []).append(part)
            self._pending_rows[key] = self._pending_rows.get(key, 0) + len(rows)
            self._buffered += len(rows)
            if self._pending_rows[key] >= self._row_group_size:
                self._flush(key)
        while self._buffered > self._max_buffered:
            self._flush(max(self._pending_rows, key=self._pending_rows.__getitem__))
        return len(chunk)

    def _flush(self, key: tuple[str | None, str | None]) -> None:
        batches = self._pending.pop(key)
        rows = self._pending_rows.pop(key)
        self._buffered -= rows
        table = self._pa.Table.from_batches(batches, schema=self._schema)
        del batches
        writer = self._writer(key)
        path = self._dataset._full(self._files[key][-1])
        try:
            with _storage(self._dataset._uri(path)):
                writer.write_table(table, row_group_size=self._row_group_size)
        except BaseException:
            self.abort()
            raise
        self._rows[key] = self._rows.get(key, 0) + rows

    def _writer(self, key: tuple[str | None, str | None]) -> Any:
        writer = self._open.get(key)
        if writer is not None:
            self._open.move_to_end(key)
            return writer
        if len(self._open) >= self._max_open:
            old_key, oldest = self._open.popitem(last=False)
            self._close_file(old_key, oldest)
        files = self._files.setdefault(key, [])
        account, region = key
        folder = (
            f"snapshot_date={self._date}/aws_account_id={_path_value(account)}"
            f"/region={_path_value(region)}"
        )
        relative = f"{folder}/part-{len(files)}-{self._uuid}.parquet"
        files.append(relative)
        fs, full = self._dataset._fs, self._dataset._full(relative)
        try:
            with _storage(self._dataset._uri(full)):
                if _is_local(fs):
                    fs.create_dir(self._dataset._full(folder), recursive=True)
                writer = self._pq.ParquetWriter(
                    full,
                    self._schema,
                    filesystem=fs,
                    compression="zstd",
                    compression_level=_ZSTD_LEVEL,
                    use_dictionary=[c for c in DATASET_COLUMNS if c not in _UNIQUE_COLUMNS],
                    write_statistics=[c for c in DATASET_COLUMNS if c != "finding"],
                )
        except BaseException:
            self.abort()
            raise
        self._open[key] = writer
        return writer

    def _close_file(self, key: tuple[str | None, str | None], writer: Any) -> None:
        # The open file of a partition is always its last one.
        path = self._dataset._uri(self._dataset._full(self._files[key][-1]))
        try:
            with _storage(path):
                writer.close()
        except BaseException:
            self.abort()
            raise

    def close(self) -> SnapshotManifest:
        """Write what is buffered, close the files, then commit the manifest; return it.

        Raises:
            SnapshotStorageError: a file or the manifest cannot be written (the files
                written are deleted: no snapshot is committed).
        """
        if self._state == "closed" and self.manifest is not None:
            return self.manifest
        self._check_open()
        for key in list(self._pending):
            self._flush(key)
        while self._open:
            key, writer = self._open.popitem(last=False)
            self._close_file(key, writer)
        parts = tuple(
            DatasetPartition(
                self._taken_at.date(), key[0], key[1], self._rows.get(key, 0), tuple(files)
            )
            for key, files in sorted(self._files.items(), key=lambda kv: _sort_key(kv[0]))
        )
        manifest = SnapshotManifest(
            self.snapshot_id,
            self._taken_at,
            regions=self._regions,
            accounts=self._accounts,
            criteria=self._criteria,
            finding_count=sum(p.rows for p in parts),
            partitions=parts,
            errors=tuple(self._errors),
        )
        try:
            self._dataset._commit(manifest)
        except BaseException:
            self.abort()
            raise
        self._state = "closed"
        self.manifest = manifest
        return manifest

    def abort(self) -> None:
        """Drop the snapshot: close and delete the files written so far; no manifest."""
        if self._state != "open":
            return
        self._state = "aborted"
        for writer in self._open.values():
            with contextlib.suppress(Exception):
                writer.close()
        self._open.clear()
        self._pending.clear()
        fs = self._dataset._fs
        for files in self._files.values():
            for relative in files:
                with contextlib.suppress(Exception):
                    fs.delete_file(self._dataset._full(relative))
        logger.warning("snapshot %s aborted: its files were deleted", self.snapshot_id)


def _sort_key(key: tuple[str | None, str | None]) -> tuple[str, str]:
    return (key[0] or "", key[1] or "")


# ----------------------------------------------------------------------------- the dataset


class SnapshotDataset:
    """Snapshots of many accounts and regions as one Hive-partitioned Parquet dataset.

    A local folder or ``s3://bucket/prefix`` (through ``pyarrow.fs``, extra ``arrow``):
    ``snapshot_date=.../aws_account_id=.../region=.../part-<n>-<uuid>.parquet`` files with
    [`DATASET_COLUMNS`][inspector_kit.history.DATASET_COLUMNS], and one manifest per
    snapshot in ``_snapshots/``. Write with [`writer`][inspector_kit.history.SnapshotDataset.writer]
    (findings as they stream, memory flat) or [`add`][inspector_kit.history.SnapshotDataset.add];
    read with [`snapshots`][inspector_kit.history.SnapshotDataset.snapshots],
    [`read`][inspector_kit.history.SnapshotDataset.read] (a ``Snapshot``, for small ones) and
    [`scan`][inspector_kit.history.SnapshotDataset.scan] (Arrow columns, no finding decoded);
    query with DuckDB, Athena or Spark (see
    [`table_ddl`][inspector_kit.history.SnapshotDataset.table_ddl]).

    Only committed snapshots (whose manifest exists) are ever read; the files of a write that
    failed are not.

    Args:
        root: A local folder, or ``s3://bucket/prefix`` (pyarrow's URI options work, for
            instance ``?region=eu-west-1`` or ``?endpoint_override=host:port&scheme=http``).
        filesystem: A ``pyarrow.fs.FileSystem`` to use instead of the one ``root`` names
            (then ``root`` is a path in it; an ``s3://`` prefix is dropped).

    Raises:
        MissingExtraError: pyarrow is not installed.
        InvalidArgumentError: ``root`` is not a path or a URI pyarrow knows.

    Examples:
        >>> import tempfile
        >>> from datetime import datetime
        >>> from inspector_kit import sample_findings
        >>> dataset = SnapshotDataset(tempfile.mkdtemp())
        >>> first = dataset.add(Snapshot(tuple(sample_findings()), datetime(2026, 11, 2)))
        >>> [m.finding_count for m in dataset.snapshots()]
        [274]
        >>> table = dataset.scan(["aws_account_id", "severity"])
        >>> table.num_rows, sorted(set(table.column("aws_account_id").to_pylist()))[:1]
        (274, ['111122223333'])
        >>> len(dataset.read(first.snapshot_id))
        274
    """

    def __init__(self, root: str | os.PathLike[str], *, filesystem: Any = None) -> None:
        fs_module = require("pyarrow.fs", "arrow", feature="SnapshotDataset")
        if not isinstance(root, (str, os.PathLike)):
            raise InvalidArgumentTypeError(
                f"root must be a path or an s3:// URI, not {type(root).__name__}"
            )
        text = os.fspath(root)
        if filesystem is not None:
            path = text.split("://", 1)[1] if "://" in text else text
            self._fs = filesystem
            self._base = path.split("?", 1)[0].rstrip("/")
        elif "://" in text and not text.startswith("file://"):
            try:
                self._fs, path = fs_module.FileSystem.from_uri(text)
            except (ValueError, TypeError, OSError) as exc:
                raise InvalidArgumentError(f"{text}: not a dataset location: {exc}") from exc
            self._base = path.rstrip("/")
        else:
            local = text.removeprefix("file://")
            self._fs = fs_module.LocalFileSystem()
            self._base = Path(local).absolute().as_posix()
        self._scheme = "" if _is_local(self._fs) else f"{self._fs.type_name}://"
        self.root: str = self._uri(self._base)
        """The dataset's location (``s3://bucket/prefix`` or an absolute local path)."""

    def __repr__(self) -> str:
        return f"SnapshotDataset({self.root!r})"

    # -- paths

    def _full(self, relative: str) -> str:
        return f"{self._base}/{relative}"

    def _uri(self, path: str) -> str:
        return f"{self._scheme}{path}"

    def _manifest_path(self, snapshot_id: str) -> str:
        return self._full(f"{_MANIFESTS}/{snapshot_id}.json")

    def _exists_manifest(self, snapshot_id: str) -> bool:
        fs_module = require("pyarrow.fs", "arrow", feature="SnapshotDataset")
        path = self._manifest_path(snapshot_id)
        with _storage(self._uri(path)):
            info = self._fs.get_file_info(path)
        return bool(info.type != fs_module.FileType.NotFound)

    def _commit(self, manifest: SnapshotManifest) -> None:
        """Write the manifest last, atomically: rename locally, one PUT on S3."""
        path = self._manifest_path(manifest.snapshot_id)
        data = manifest.to_json().encode()
        with _storage(self._uri(path)):
            if _is_local(self._fs):
                self._fs.create_dir(self._full(_MANIFESTS), recursive=True)
                temporary = self._full(f"{_MANIFESTS}/.{manifest.snapshot_id}.json.tmp")
                with self._fs.open_output_stream(temporary) as stream:
                    stream.write(data)
                self._fs.move(temporary, path)
            else:
                # An S3 object becomes visible whole, when the upload completes.
                with self._fs.open_output_stream(path) as stream:
                    stream.write(data)

    # -- writing

    def writer(
        self,
        *,
        taken_at: datetime | None = None,
        criteria: object = None,
        regions: Iterable[str] | None = None,
        accounts: Iterable[str] | None = None,
        snapshot_id: str | None = None,
        row_group_size: int = 32_768,
        max_buffered_rows: int = 131_072,
        max_open_files: int = 64,
    ) -> SnapshotWriter:
        """A [`SnapshotWriter`][inspector_kit.history.SnapshotWriter] for one new snapshot.

        Use it as a context manager: ``write(findings)`` as many times as needed (each call
        consumes an iterable as it goes), and the snapshot is committed when the block ends.

        Args:
            taken_at: When the findings were fetched (default: now; naive means UTC). Its UTC
                date is the ``snapshot_date`` partition.
            criteria: The filter used (a ``FindingCriteria`` or a JSON mapping).
            regions: The regions fetched (default: not recorded, meaning all).
            accounts: The accounts fetched (default: not recorded, meaning all).
            snapshot_id: The id (default: ``<taken_at as YYYYmmddTHHMMSSZ>-<12 hex digits>``).
            row_group_size: Rows per partition buffered before a row group is written.
            max_buffered_rows: Rows buffered over all partitions before the largest is written.
            max_open_files: Parquet files open at once.

        Raises:
            InvalidArgumentError: a bad size, a bad ``snapshot_id`` or one already committed.

        Examples:
            >>> import tempfile
            >>> from inspector_kit import sample_findings
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> with dataset.writer(regions=["us-east-1"], snapshot_id="week-45") as writer:
            ...     for finding in sample_findings():
            ...         _ = writer.write([finding])
            >>> dataset.snapshots()[0].snapshot_id
            'week-45'
        """
        return SnapshotWriter(
            self,
            taken_at=taken_at,
            criteria=criteria,
            regions=regions,
            accounts=accounts,
            snapshot_id=snapshot_id,
            row_group_size=row_group_size,
            max_buffered_rows=max_buffered_rows,
            max_open_files=max_open_files,
        )

    def add(self, snapshot: Snapshot, *, snapshot_id: str | None = None) -> SnapshotManifest:
        """Write an existing ``Snapshot`` (its findings and metadata) as a new snapshot.

        Examples:
            >>> import tempfile
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> snap = Snapshot(tuple(sample_findings()), datetime(2026, 11, 2),
            ...                 regions=("us-east-1",))
            >>> manifest = SnapshotDataset(tempfile.mkdtemp()).add(snap)
            >>> manifest.finding_count, manifest.regions
            (274, ('us-east-1',))
        """
        if not isinstance(snapshot, Snapshot):
            raise InvalidArgumentTypeError(f"add takes a Snapshot, not {type(snapshot).__name__}")
        with self.writer(
            taken_at=snapshot.taken_at,
            criteria=snapshot.criteria,
            regions=snapshot.regions,
            accounts=snapshot.accounts,
            snapshot_id=snapshot_id,
        ) as writer:
            writer.write(snapshot.findings)
        assert writer.manifest is not None  # committed by the with block
        return writer.manifest

    # -- reading

    def snapshots(self) -> tuple[SnapshotManifest, ...]:
        """The committed snapshots, oldest first (by ``taken_at``, then id).

        Raises:
            SnapshotStorageError: the dataset's local folder or its S3 bucket does not
                exist, or cannot be listed (an S3 prefix with nothing under it is an empty
                dataset).
            SnapshotError: a manifest is not valid (the error names it).

        Examples:
            >>> import tempfile
            >>> SnapshotDataset(tempfile.mkdtemp()).snapshots()
            ()
        """
        fs_module = require("pyarrow.fs", "arrow", feature="SnapshotDataset.snapshots")
        folder = self._full(_MANIFESTS)
        with _storage(self.root):
            # A local folder must exist; on S3 the bucket must (a prefix is no object: an
            # empty one is a dataset with no snapshot yet).
            where = self._base if _is_local(self._fs) else self._base.split("/", 1)[0]
            if self._fs.get_file_info(where).type == fs_module.FileType.NotFound:
                what = "folder" if _is_local(self._fs) else "bucket"
                raise SnapshotStorageError(self.root, f"no such {what}: no dataset here")
            infos = self._fs.get_file_info(fs_module.FileSelector(folder, allow_not_found=True))
        manifests = [
            self._read_manifest(info.path)
            for info in infos
            if info.type == fs_module.FileType.File
            and info.base_name.endswith(".json")
            and not info.base_name.startswith(".")
        ]
        return tuple(sorted(manifests, key=lambda m: (m.taken_at, m.snapshot_id)))

    def _read_manifest(self, path: str) -> SnapshotManifest:
        with _storage(self._uri(path)), self._fs.open_input_stream(path) as stream:
            data = stream.read()
        manifest = SnapshotManifest.from_json(data, source=self._uri(path))
        expected = Path(path).name.removesuffix(".json")
        if manifest.snapshot_id != expected:
            raise SnapshotError(
                f"the manifest of {expected!r} says {manifest.snapshot_id!r}",
                source=self._uri(path),
                field="snapshot_id",
            )
        return manifest

    def manifest(self, snapshot_id: str) -> SnapshotManifest:
        """The manifest of one committed snapshot.

        Raises:
            SnapshotNotFoundError: no committed snapshot has that id.

        Examples:
            >>> import tempfile
            >>> SnapshotDataset(tempfile.mkdtemp()).manifest("week-45")
            Traceback (most recent call last):
            ...
            inspector_kit.errors.SnapshotNotFoundError: ...: no committed snapshot 'week-45'
        """
        if not isinstance(snapshot_id, str) or not _SNAPSHOT_ID.fullmatch(snapshot_id):
            raise SnapshotNotFoundError(str(snapshot_id), path=self.root)
        if not self._exists_manifest(snapshot_id):
            raise SnapshotNotFoundError(snapshot_id, path=self.root)
        return self._read_manifest(self._manifest_path(snapshot_id))

    def files(self, snapshot_id: str | None = None) -> tuple[str, ...]:
        """The Parquet files of one committed snapshot, or of all, as URIs or local paths.

        What a query engine should read (DuckDB ``read_parquet([...], hive_partitioning=true)``,
        Spark ``basePath``): files of a write that failed are not listed.

        Examples:
            >>> import tempfile
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> _ = dataset.add(Snapshot(tuple(sample_findings()), datetime(2026, 11, 2)))
            >>> dataset.files()[0].split("/")[-4:-1]
            ['snapshot_date=2026-11-02', 'aws_account_id=111122223333', 'region=ap-northeast-1']
        """
        chosen = self.snapshots() if snapshot_id is None else (self.manifest(snapshot_id),)
        return tuple(self._uri(self._full(name)) for m in chosen for name in m.files)

    def orphans(self, older_than: timedelta | None = None) -> tuple[str, ...]:
        """Parquet files under the dataset that no committed manifest names.

        What a write that died half-way leaves behind (a failed write inside a ``with``
        block deletes its own files). ``history.query`` and this class never read them; a
        table over the whole prefix (Athena, Glue) does until they are deleted: see
        [`remove_orphans`][inspector_kit.history.SnapshotDataset.remove_orphans]. A writer
        still running also has files no manifest names yet: give ``older_than`` (longer than
        any write takes) to list only files older than that (a file of unknown age is then
        not listed).

        Examples:
            >>> import tempfile
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> _ = dataset.add(Snapshot(tuple(sample_findings()), datetime(2026, 11, 2)))
            >>> dataset.orphans()
            ()
        """
        return tuple(sorted(self._uri(path) for path in self._orphan_infos(older_than)))

    def remove_orphans(
        self, *, older_than: timedelta = timedelta(days=1), dry_run: bool = False
    ) -> tuple[str, ...]:
        """Delete the orphan Parquet files older than ``older_than``; return what was deleted.

        The cleanup for engines that read a whole prefix (an Athena or Glue table, any reader
        of the folder without the manifests): they count an orphan's rows until it is
        deleted. ``query``'s engines read only committed files and need no cleanup.

        Only files that are orphans
        ([`orphans`][inspector_kit.history.SnapshotDataset.orphans]) *and* were last
        modified more than ``older_than`` ago are deleted, so the files of a write still
        running are safe as long as ``older_than`` is longer than any write takes (default:
        one day). A file whose age is unknown is kept. The manifests are read again just
        before deleting: a file a snapshot committed meanwhile is kept. Manifests and
        committed files are never touched.

        Args:
            older_than: The grace period (positive).
            dry_run: Only list what would be deleted.

        Returns:
            The files deleted (or, with ``dry_run``, that would be), as URIs or local paths,
            sorted.

        Raises:
            InvalidArgumentError: ``older_than`` is not a positive ``timedelta``.
            SnapshotStorageError: a file could not be listed or deleted (the error names it;
                ``SnapshotStoragePermissionError`` when access is denied).

        Examples:
            >>> import os, tempfile
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> _ = dataset.add(Snapshot(tuple(sample_findings()), datetime(2026, 11, 2)))
            >>> died = dataset.files()[0].replace(".parquet", "-died.parquet")
            >>> with open(dataset.files()[0], "rb") as a, open(died, "wb") as b:
            ...     _ = b.write(a.read())
            >>> dataset.remove_orphans()  # written just now: maybe a write still running
            ()
            >>> os.utime(died, (0, 0))  # as if written in 1970
            >>> dataset.remove_orphans(dry_run=True) == (died,)
            True
            >>> dataset.remove_orphans() == (died,), dataset.orphans()
            (True, ())
        """
        if not isinstance(older_than, timedelta) or older_than <= timedelta(0):
            raise InvalidArgumentError(
                f"older_than must be a positive timedelta (longer than any write takes), "
                f"not {older_than!r}"
            )
        candidates = self._orphan_infos(older_than)
        if not candidates or dry_run:
            return tuple(sorted(self._uri(path) for path in candidates))
        # A write may have committed since the listing: keep whatever a manifest names now.
        named = {self._full(name) for m in self.snapshots() for name in m.files}
        removed = []
        for path in sorted(set(candidates) - named):
            with _storage(self._uri(path)):
                self._fs.delete_file(path)
            removed.append(self._uri(path))
        if removed:
            logger.info("%s: removed %d orphan file(s)", self.root, len(removed))
        return tuple(removed)

    def _orphan_infos(self, older_than: timedelta | None) -> list[str]:
        """The paths (in the filesystem) of the orphans; with a cutoff, only older ones."""
        fs_module = require("pyarrow.fs", "arrow", feature="SnapshotDataset.orphans")
        named = {self._full(name) for m in self.snapshots() for name in m.files}
        with _storage(self.root):
            infos = self._fs.get_file_info(
                fs_module.FileSelector(self._base, recursive=True, allow_not_found=True)
            )
        cutoff = None if older_than is None else datetime.now(timezone.utc) - older_than
        found = []
        for info in infos:
            if info.type != fs_module.FileType.File or not info.base_name.endswith(".parquet"):
                continue
            if info.path in named:
                continue
            relative = info.path[len(self._base) + 1 :]
            if not relative.startswith("snapshot_date="):
                continue
            if cutoff is not None:
                modified = info.mtime
                if modified is None:
                    continue  # age unknown: maybe a write still running
                if modified.tzinfo is None:
                    modified = modified.replace(tzinfo=timezone.utc)
                if modified > cutoff:
                    continue
            found.append(info.path)
        return found

    def read(self, snapshot_id: str, *, strict: bool = False) -> Snapshot:
        """One committed snapshot as a [`Snapshot`][inspector_kit.history.Snapshot] (small ones).

        Every finding is decoded into memory: for millions, use ``scan`` or a query. The
        findings come partition by partition (account, then region), in write order within
        each. A finding that cannot be decoded is reported in ``Snapshot.errors`` (raised
        with ``strict=True``), as ``Snapshot.load`` does.

        Raises:
            SnapshotNotFoundError: no committed snapshot has that id.
            SnapshotError: a file of the snapshot is missing, corrupt or holds another
                number of rows than the manifest says (the error names the file).

        Examples:
            >>> import tempfile
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import sample_findings
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> when = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> snap = Snapshot(tuple(sample_findings()), when)
            >>> back = dataset.read(dataset.add(snap).snapshot_id)
            >>> set(back.findings) == set(snap.findings), back.taken_at == snap.taken_at
            (True, True)
        """
        pq = require("pyarrow.parquet", "arrow", feature="SnapshotDataset.read")
        pa = require("pyarrow", "arrow", feature="SnapshotDataset.read")
        manifest = self.manifest(snapshot_id)
        findings: list[Finding] = []
        errors: list[RecordIssue] = []
        for part in manifest.partitions:
            held = 0
            for relative in part.files:
                name = self._uri(self._full(relative))
                try:
                    with self._fs.open_input_file(self._full(relative)) as raw:
                        parquet = pq.ParquetFile(raw)
                        for batch in parquet.iter_batches(columns=["finding"]):
                            for text in batch.column(0).to_pylist():
                                held += 1
                                record, problem = _decode(text, name, None)
                                _add(findings, errors, record, problem, None, strict=strict)
                except FileNotFoundError as exc:
                    raise SnapshotError(
                        f"missing: the manifest of {snapshot_id!r} lists it ({exc})", source=name
                    ) from exc
                except (pa.ArrowException, OSError, ValueError, EOFError) as exc:
                    if isinstance(exc, SnapshotError):
                        raise
                    raise SnapshotError(f"not a readable Parquet file: {exc}", source=name) from exc
            if held != part.rows:
                raise SnapshotError(
                    f"the manifest of {snapshot_id!r} says {part.rows} rows, the files hold {held}",
                    source=self._uri(self._full(part.path)),
                )
        if errors:
            logger.warning(
                "%s: %d finding(s) could not be loaded; first: %s",
                self.root,
                len(errors),
                errors[0],
            )
        return Snapshot(
            tuple(findings),
            manifest.taken_at,
            regions=manifest.regions,
            accounts=manifest.accounts,
            criteria=manifest.criteria,
            version=manifest.version,
            errors=tuple(errors),
        )

    def arrow_dataset(self, snapshot_id: str | None = None) -> Any:
        """The committed files as a lazy ``pyarrow.dataset.Dataset`` (streams in batches).

        Its schema is [`DATASET_COLUMNS`][inspector_kit.history.DATASET_COLUMNS] and the three
        [`PARTITION_COLUMNS`][inspector_kit.history.PARTITION_COLUMNS] (``snapshot_date`` a
        ``date32``, account and region strings). DuckDB queries it directly
        (``duckdb.sql("SELECT ... FROM ds")``), a batch at a time.

        Examples:
            >>> import tempfile
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> dataset.arrow_dataset().schema.names[-3:]
            ['snapshot_date', 'aws_account_id', 'region']
        """
        pa = require("pyarrow", "arrow", feature="SnapshotDataset.arrow_dataset")
        ds = require("pyarrow.dataset", "arrow", feature="SnapshotDataset.arrow_dataset")
        names = [self._full(name) for name in self._committed(snapshot_id)]
        partitions = _partition_schema(pa)
        schema = pa.schema([*_schema(pa), *partitions])
        try:
            with _storage(self.root):
                return ds.dataset(
                    names,
                    schema=schema,
                    filesystem=self._fs,
                    format="parquet",
                    partitioning=ds.partitioning(partitions, flavor="hive"),
                    partition_base_dir=self._base,
                )
        except SnapshotStorageError as exc:
            if isinstance(exc.__cause__, FileNotFoundError):
                raise SnapshotError(
                    f"a committed file is missing: {exc.reason}", source=self.root
                ) from exc
            raise

    def _committed(self, snapshot_id: str | None) -> tuple[str, ...]:
        chosen = self.snapshots() if snapshot_id is None else (self.manifest(snapshot_id),)
        return tuple(name for m in chosen for name in m.files)

    def scan(self, columns: Iterable[str] | None = None, snapshot_id: str | None = None) -> Any:
        """Columns of one committed snapshot, or of all, as a ``pyarrow.Table``; no decoding.

        Args:
            columns: From ``DATASET_COLUMNS`` and ``PARTITION_COLUMNS`` (default: all but
                ``finding``), in the order wanted.
            snapshot_id: One snapshot (default: every committed snapshot).

        Raises:
            InvalidArgumentError: an unknown column, or one named twice.
            SnapshotNotFoundError: no committed snapshot has that id.
            SnapshotError: a file is missing or corrupt (the error names it).

        Examples:
            >>> import tempfile
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> for day in (2, 9):
            ...     _ = dataset.add(Snapshot(tuple(sample_findings()), datetime(2026, 11, day)))
            >>> table = dataset.scan(["snapshot_date", "severity"])
            >>> table.num_rows, str(table.column("snapshot_date").unique()[-1])
            (548, '2026-11-09')
        """
        pa = require("pyarrow", "arrow", feature="SnapshotDataset.scan")
        known = (*DATASET_COLUMNS, *PARTITION_COLUMNS)
        names = _column_names(columns)
        if names is None:
            names = [c for c in known if c != "finding"]
        unknown = [c for c in names if c not in known]
        if unknown:
            raise InvalidArgumentError(
                f"no column {', '.join(map(repr, unknown))} (the columns: {', '.join(known)})"
            )
        dataset = self.arrow_dataset(snapshot_id)
        try:
            return dataset.to_table(columns=names)
        except FileNotFoundError as exc:
            raise SnapshotError(f"a committed file is missing: {exc}", source=self.root) from exc
        except PermissionError as exc:
            raise SnapshotStoragePermissionError(self.root, str(exc)) from exc
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise SnapshotError(f"cannot read the dataset: {exc}", source=self.root) from exc

    # -- table definitions

    @overload
    def table_ddl(
        self,
        engine: Literal["athena", "spark"] = ...,
        *,
        table: str = ...,
        location: str | None = ...,
        database: str | None = ...,
        accounts: Iterable[str] | None = ...,
        regions: Iterable[str] | None = ...,
        since: date | None = ...,
        projection: Literal["enum", "injected"] = ...,
        date_type: Literal["string", "date"] = ...,
    ) -> str: ...

    @overload
    def table_ddl(
        self,
        engine: Literal["glue"],
        *,
        table: str = ...,
        location: str | None = ...,
        database: str | None = ...,
        accounts: Iterable[str] | None = ...,
        regions: Iterable[str] | None = ...,
        since: date | None = ...,
        projection: Literal["enum", "injected"] = ...,
        date_type: Literal["string", "date"] = ...,
    ) -> dict[str, Any]: ...

    def table_ddl(
        self,
        engine: str = "athena",
        *,
        table: str = "inspector_findings",
        location: str | None = None,
        database: str | None = None,
        accounts: Iterable[str] | None = None,
        regions: Iterable[str] | None = None,
        since: date | None = None,
        projection: Literal["enum", "injected"] = "enum",
        date_type: Literal["string", "date"] = "string",
    ) -> str | dict[str, Any]:
        """The table definition of this dataset for Athena, AWS Glue or Spark.

        * ``"athena"``: a ``CREATE EXTERNAL TABLE`` (Hive DDL, as Athena runs it) with
          partition projection: ``snapshot_date`` projected as a ``date`` (format
          ``yyyy-MM-dd``, from ``since`` to ``NOW``, one day apart; the key itself a
          ``string``, as in AWS's own examples, unless ``date_type="date"``),
          ``aws_account_id`` and ``region`` of type ``enum`` (the values given, else those
          of the committed snapshots) or, with
          ``projection="injected"``, of type ``injected`` (then every query must name the
          accounts and regions it reads in its ``WHERE`` clause: Athena's rule), and a
          ``storage.location.template`` matching the layout. No ``MSCK REPAIR`` is needed.
        * ``"glue"``: the same table as the ``TableInput`` of Glue ``CreateTable``
          (``boto3.client("glue").create_table(DatabaseName=..., TableInput=...)``).
        * ``"spark"``: ``CREATE TABLE ... USING parquet PARTITIONED BY (...)`` (then
          ``MSCK REPAIR TABLE`` or ``ALTER TABLE ... RECOVER PARTITIONS`` finds the partitions;
          set ``spark.sql.sources.partitionColumnTypeInference.enabled=false`` when reading
          the folder without the table, so account ids keep their leading zeros).

        A table reads every file under its location, the files of a write that died too
        (until they are deleted: see [`orphans`][inspector_kit.history.SnapshotDataset.orphans]).

        Args:
            engine: ``"athena"``, ``"glue"`` or ``"spark"``.
            table: The table name.
            location: Where the data is (default: the dataset's root; Athena and Glue need
                an ``s3://`` location).
            database: A database to qualify the table name with (Athena, Spark).
            accounts: The account ids to project (default: those of the snapshots).
            regions: The regions to project (default: those of the snapshots).
            since: The first date to project (default: the first snapshot's date, else today).
            projection: How accounts and regions are projected: ``"enum"`` or ``"injected"``.
            date_type: The Athena/Glue type of the ``snapshot_date`` partition key:
                ``"string"`` (the default: AWS's documented examples of date projection
                declare the key ``STRING``; compare it with ``'2026-11-02'``) or ``"date"``
                (an assumption no AWS page we read confirms; see docs/facts.md#engines).
                Spark's table always has a ``DATE``.

        Raises:
            InvalidArgumentError: an unknown engine or projection, a bad name, a location
                that is not ``s3://`` for Athena or Glue, or no account or region to project.

        Examples:
            >>> import tempfile
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> where = "s3://audit-bucket/inspector"
            >>> ddl = dataset.table_ddl("athena", location=where, accounts=["111122223333"],
            ...                         regions=["us-east-1"], since=date(2026, 11, 2))
            >>> print(ddl.splitlines()[0])
            CREATE EXTERNAL TABLE IF NOT EXISTS `inspector_findings` (
            >>> "'projection.snapshot_date.range'='2026-11-02,NOW'" in ddl
            True
            >>> glue = dataset.table_ddl("glue", location=where, projection="injected",
            ...                          since=date(2026, 11, 2))
            >>> glue["Parameters"]["projection.region.type"]
            'injected'
        """
        if engine not in _DDL_ENGINES:
            raise InvalidArgumentError(
                f"engine must be one of {', '.join(_DDL_ENGINES)}, not {engine!r}"
            )
        if projection not in ("enum", "injected"):
            raise InvalidArgumentError(
                f"projection must be 'enum' or 'injected', not {projection!r}"
            )
        if date_type not in ("string", "date"):
            raise InvalidArgumentError(f"date_type must be 'string' or 'date', not {date_type!r}")
        for what, name in (("table", table), ("database", database)):
            if name is not None and not re.fullmatch(
                rf"[A-Za-z_][A-Za-z0-9_]{{0,{_limits.GLUE_NAME_LENGTH - 1}}}", name
            ):
                raise InvalidArgumentError(
                    f"{what} must be letters, digits and underscores, not {name!r}"
                )
        where = (location or self.root).rstrip("/")
        if "'" in where:
            raise InvalidArgumentError(f"location must not contain a quote: {where!r}")
        if engine == "spark":
            return _spark_ddl(table, database, where)
        if not where.startswith("s3://"):
            raise InvalidArgumentError(
                f"{engine} reads tables from S3: the location must be s3://..., not {where!r}"
            )
        parameters = self._projection(accounts, regions, since, projection, where)
        if engine == "glue":
            return _glue_table_input(table, where, parameters, date_type)
        return _athena_ddl(table, database, where, parameters, date_type)

    def _projection(
        self,
        accounts: Iterable[str] | None,
        regions: Iterable[str] | None,
        since: date | None,
        projection: str,
        where: str,
    ) -> dict[str, str]:
        needs_listing = since is None or (
            projection == "enum" and (accounts is None or regions is None)
        )
        manifests = self.snapshots() if needs_listing else ()
        if since is None:
            since = (
                min(m.snapshot_date for m in manifests)
                if manifests
                else datetime.now(timezone.utc).date()
            )
        parameters = {
            "projection.enabled": "true",
            "projection.snapshot_date.type": "date",
            "projection.snapshot_date.format": "yyyy-MM-dd",
            "projection.snapshot_date.range": f"{since.isoformat()},NOW",
            "projection.snapshot_date.interval": "1",
            "projection.snapshot_date.interval.unit": "DAYS",
        }
        for column, given in (("aws_account_id", accounts), ("region", regions)):
            parameters[f"projection.{column}.type"] = projection
            if projection == "injected":
                continue
            if given is None:
                values = sorted(
                    {_path_value(getattr(p, column)) for m in manifests for p in m.partitions}
                )
            else:
                values = sorted(set(_names(given) or ()))
            if not values:
                raise InvalidArgumentError(
                    f"no {column} values to project: give them, write a snapshot first, or "
                    "use projection='injected'"
                )
            bad = [v for v in values if not _SAFE_VALUE.fullmatch(v) and v != _NULL_PARTITION]
            if bad:
                raise InvalidArgumentError(f"{column} values cannot be projected: {bad!r}")
            joined = ",".join(values)
            if len(joined) > _limits.GLUE_PARAMETER_VALUE_LENGTH:
                raise InvalidArgumentError(
                    f"{len(values)} {column} values are too many for an enum projection "
                    f"({len(joined)} characters, Glue keeps "
                    f"{_limits.GLUE_PARAMETER_VALUE_LENGTH}): use projection='injected'"
                )
            parameters[f"projection.{column}.values"] = joined
        parameters["storage.location.template"] = (
            f"{where}/snapshot_date=${{snapshot_date}}"
            "/aws_account_id=${aws_account_id}/region=${region}/"
        )
        return parameters


def _qualified(table: str, database: str | None, quote_char: str) -> str:
    name = f"{quote_char}{table}{quote_char}"
    return f"{quote_char}{database}{quote_char}.{name}" if database else name


def _athena_ddl(
    table: str, database: str | None, where: str, parameters: Mapping[str, str], date_type: str
) -> str:
    columns = ",\n".join(f"  `{name}` {_arrow_type(name)}" for name in DATASET_COLUMNS)
    properties = ",\n".join(f"  '{key}'='{value}'" for key, value in parameters.items())
    return (
        f"CREATE EXTERNAL TABLE IF NOT EXISTS {_qualified(table, database, '`')} (\n"
        f"{columns}\n)\n"
        f"PARTITIONED BY (\n  `snapshot_date` {date_type},\n  `aws_account_id` string,\n"
        "  `region` string\n)\n"
        "STORED AS PARQUET\n"
        f"LOCATION '{where}/'\n"
        f"TBLPROPERTIES (\n{properties},\n  'parquet.compression'='ZSTD'\n)"
    )


def _glue_table_input(
    table: str, where: str, parameters: Mapping[str, str], date_type: str
) -> dict[str, Any]:
    return {
        "Name": table,
        "Description": "Amazon Inspector findings snapshots written by inspector_kit",
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {
            "classification": "parquet",
            "EXTERNAL": "TRUE",
            "parquet.compression": "ZSTD",
            **parameters,
        },
        "PartitionKeys": [
            {"Name": "snapshot_date", "Type": date_type},
            {"Name": "aws_account_id", "Type": "string"},
            {"Name": "region", "Type": "string"},
        ],
        "StorageDescriptor": {
            "Columns": [{"Name": name, "Type": _arrow_type(name)} for name in DATASET_COLUMNS],
            "Location": f"{where}/",
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "SerdeInfo": {
                "SerializationLibrary": (
                    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
                ),
                "Parameters": {"serialization.format": "1"},
            },
        },
    }


def _spark_ddl(table: str, database: str | None, where: str) -> str:
    columns = ",\n".join(f"  `{name}` {_arrow_type(name).upper()}" for name in DATASET_COLUMNS)
    return (
        f"CREATE TABLE IF NOT EXISTS {_qualified(table, database, '`')} (\n"
        f"{columns},\n  `snapshot_date` DATE,\n  `aws_account_id` STRING,\n  `region` STRING\n)\n"
        "USING parquet\n"
        "PARTITIONED BY (snapshot_date, aws_account_id, region)\n"
        f"LOCATION '{where}/'"
    )
