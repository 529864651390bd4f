"""Saved findings with metadata: ``Snapshot`` (Parquet or JSON Lines)."""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit._version import __version__
from inspector_kit.errors import (
    FindingParseError,
    InspectorKitError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    SnapshotCriteriaError,
    SnapshotError,
    SourceFormatError,
    TimestampError,
)
from inspector_kit.formats import FINDING_COLUMNS, RecordsMixin, RecordValue, to_records
from inspector_kit.formats._extras import require
from inspector_kit.loaders import RecordIssue
from inspector_kit.models import Finding
from inspector_kit.models._time import as_utc, parse_timestamp

if TYPE_CHECKING:
    import os

    from ._dataset import SnapshotDataset, SnapshotManifest

__all__ = ["PARQUET_COLUMNS", "PARQUET_LAYOUT", "Snapshot"]

logger = logging.getLogger("inspector_kit.history")

_FORMAT = "inspector_kit.snapshot"
_FORMAT_VERSION = 1
_META_KEY = b"inspector_kit.snapshot"
_HEADER_KEY = "snapshot"  # the one key of a JSON Lines snapshot's first line
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"

# The Parquet layout, in the file's key-value metadata (absent: layout 1). Layout 1: pyarrow's
# defaults (snappy, every column dictionary-encoded, statistics everywhere, the JSON included).
# Layout 2: the same columns and types, zstd; the ``finding`` JSON without dictionary or
# statistics (unique per row: both only cost space), so zstd sees whole pages of it.
# Both are read; a file of a newer layout is refused.
_LAYOUT_KEY = b"inspector_kit.parquet_layout"
PARQUET_LAYOUT = 2
"""The layout of the Parquet snapshots ``Snapshot.save`` writes (key-value metadata
``inspector_kit.parquet_layout``; a file without it is layout 1).

Both layouts have [`PARQUET_COLUMNS`][inspector_kit.history.PARQUET_COLUMNS] with the same
types; layout 2 compresses with zstd and stores the ``finding`` JSON without dictionary or
statistics (smaller than ``.jsonl.gz``). Every layout up to this one is read.

Examples:
    >>> PARQUET_LAYOUT
    2
"""
_ZSTD_LEVEL = 9  # measured: level 9 is within 5% of level 19's size and 30x faster to write
_UNIQUE_COLUMNS = frozenset({"finding", "finding_arn"})  # no dictionary: one value per row

_TIMESTAMP_COLUMNS = frozenset({"first_observed_at", "last_observed_at", "updated_at"})
_FLOAT_COLUMNS = frozenset({"inspector_score", "epss_score", "cvss_score"})

PARQUET_COLUMNS: tuple[str, ...] = (
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
    "cvss_vector",
    "cvss_version",
    "cvss_source",
    "cvss_score",
    "snapshot_taken_at",
    "finding",
)
"""The columns of a Parquet snapshot, in order.

The flat columns of [`to_records`][inspector_kit.formats.to_records] (strings, ``float64``
scores, ``timestamp[us, tz=UTC]`` times: the same types in every file), with the base CVSS
vector, version and source rescoring starts from
([`BASE_CVSS_COLUMNS`][inspector_kit.scoring.BASE_CVSS_COLUMNS]) and ``cvss_score``
(``Finding.cvss``'s score; files written before these four were added lack them), then
``snapshot_taken_at`` (the snapshot's time, on every row) and ``finding`` (the whole finding
as [`Finding.to_json`][inspector_kit.models.Finding.to_json], which
[`Snapshot.load`][inspector_kit.history.Snapshot.load] reads back).
"""


def _utc(value: datetime) -> datetime:
    # A naive taken_at is UTC: released behaviour, pinned by tests (the time rule's exception).
    return as_utc(value, what="taken_at", naive="utc")


def _criteria(value: object) -> dict[str, Any] | None:
    """Criteria as a JSON-ready dict: a mapping, or anything with ``to_api()``."""
    if value is None:
        return None
    to_api = getattr(value, "to_api", None)
    raw = to_api() if callable(to_api) else value
    if not isinstance(raw, Mapping):
        raise SnapshotCriteriaError(
            f"criteria must be a mapping or have to_api(), not {type(value).__name__}"
        )
    # Through JSON, so that the saved and the loaded criteria are equal.
    loaded: dict[str, Any] = json.loads(json.dumps(dict(raw), default=_json_default))
    return loaded


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value).isoformat()
    raise SnapshotCriteriaError(f"{type(value).__name__} is not JSON serialisable")


def _names(values: Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(values)


@attrs.frozen
class Snapshot(RecordsMixin):
    """Findings as they were at one time, with where and how they were fetched.

    Attributes:
        findings: The findings, in the order saved.
        taken_at: When the findings were fetched (aware UTC).
        regions: The regions fetched, or ``None`` when not recorded (then the snapshot
            is taken to cover every region, see [`diff`][inspector_kit.history.diff]).
        accounts: The accounts fetched, or ``None`` when not recorded (all accounts).
        criteria: The filter the findings were fetched with (``FindingCriteria.to_api()``
            or any JSON mapping; datetimes in it are saved as ISO 8601 text).
        path: The file it was saved to or loaded from.
        version: The inspector_kit version that saved it.
        errors: The findings of the file that [`load`][inspector_kit.history.Snapshot.load] could
            not read (bad JSON, not a valid finding), each a
            [`RecordIssue`][inspector_kit.loaders.RecordIssue] with its 0-based position among the
            file's findings and, in JSON Lines, its line; ``()`` when every finding loaded. Not
            compared by ``==``.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from inspector_kit import sample_findings
        >>> path = Path(tempfile.mkdtemp()) / "2026-11-02.jsonl.gz"
        >>> saved = Snapshot.save(sample_findings(), path, regions=["us-east-1", "eu-west-1"])
        >>> loaded = Snapshot.load(path)
        >>> loaded == saved, len(loaded), loaded.regions
        (True, 274, ('us-east-1', 'eu-west-1'))
    """

    findings: tuple[Finding, ...]
    taken_at: datetime
    regions: tuple[str, ...] | None = None
    accounts: tuple[str, ...] | None = None
    criteria: dict[str, Any] | None = attrs.field(default=None, hash=False)
    path: Path | None = attrs.field(default=None, eq=False)
    version: str = __version__
    errors: tuple[RecordIssue, ...] = attrs.field(default=(), eq=False, repr=False)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def columns(self) -> tuple[str, ...]:
        """[`FINDING_COLUMNS`][inspector_kit.formats.FINDING_COLUMNS], then ``snapshot_taken_at``.

        The columns of [`query`][inspector_kit.history.query]'s view without ``finding``: one row
        per finding.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Snapshot((), datetime(2026, 11, 2, tzinfo=timezone.utc)).columns[-2:]
            ('cvss_score', 'snapshot_taken_at')
        """
        return (*FINDING_COLUMNS, "snapshot_taken_at")

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row per finding: its record and the snapshot's ``taken_at`` (aware UTC).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import sample_findings
            >>> when = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> rows = Snapshot(tuple(sample_findings())[:2], when).to_records()
            >>> len(rows), rows[0]["snapshot_taken_at"] == when
            (2, True)
        """
        taken_at = self.taken_at
        return [{**row, "snapshot_taken_at": taken_at} for row in to_records(self.findings)]

    def raise_for_errors(self) -> None:
        """Raise the first finding ``load`` could not read, if any (all stay in ``errors``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> Snapshot((), datetime(2026, 11, 2, tzinfo=timezone.utc)).raise_for_errors()
        """
        if self.errors:
            raise self.errors[0].error

    def metadata(self) -> dict[str, Any]:
        """The metadata saved with the findings (JSON-ready).

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> snap = Snapshot((), when, regions=("us-east-1",))
            >>> meta = snap.metadata()
            >>> meta["taken_at"], meta["regions"], meta["finding_count"]
            ('2026-11-02T00:00:00+00:00', ['us-east-1'], 0)
        """
        return {
            "format": _FORMAT,
            "format_version": _FORMAT_VERSION,
            "taken_at": self.taken_at.isoformat(),
            "regions": None if self.regions is None else list(self.regions),
            "accounts": None if self.accounts is None else list(self.accounts),
            "criteria": self.criteria,
            "inspector_kit_version": self.version,
            "finding_count": len(self.findings),
        }

    @classmethod
    def save(
        cls,
        findings: Iterable[Finding],
        path: str | os.PathLike[str],
        *,
        regions: Iterable[str] | None = None,
        accounts: Iterable[str] | None = None,
        criteria: object = None,
        taken_at: datetime | None = None,
    ) -> Snapshot:
        """Write ``findings`` and their metadata to ``path``; return the ``Snapshot``.

        A path ending in ``.parquet`` is written as Parquet (needs the ``arrow`` extra:
        [`PARQUET_COLUMNS`][inspector_kit.history.PARQUET_COLUMNS], the metadata in the file's
        key-value metadata under ``inspector_kit.snapshot``); any other path as JSON Lines,
        gzip-compressed when it ends in ``.gz``: a header line ``{"snapshot": {...metadata}}``, then
        one finding per line in the API shape.

        Args:
            findings: The findings.
            path: Where to write (``.parquet``, ``.jsonl`` or ``.jsonl.gz``).
            regions: The regions fetched (default: not recorded, meaning all).
            accounts: The accounts fetched (default: not recorded, meaning all).
            criteria: The filter used (a ``FindingCriteria`` or a JSON mapping).
            taken_at: When the findings were fetched (default: now; naive means UTC).

        Raises:
            MissingExtraError: the path ends in ``.parquet`` and pyarrow is not installed
                (nothing is written; JSON Lines is never written under a Parquet name).

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> path = Path(tempfile.mkdtemp()) / "week-45.parquet"
            >>> snap = Snapshot.save(sample_findings(), path, taken_at=datetime(2026, 11, 2))
            >>> snap.taken_at.isoformat(), Snapshot.load(path) == snap
            ('2026-11-02T00:00:00+00:00', True)
        """
        target = Path(path)
        snapshot = cls(
            tuple(findings),
            _utc(taken_at) if taken_at is not None else datetime.now(timezone.utc),
            regions=_names(regions),
            accounts=_names(accounts),
            criteria=_criteria(criteria),
            path=target,
        )
        if target.name.endswith(".parquet"):
            snapshot._write_parquet(target)
        else:
            snapshot._write_jsonl(target)
        return snapshot

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, strict: bool = False) -> Snapshot:
        r"""Read a snapshot written by [`save`][inspector_kit.history.Snapshot.save].

        Parquet is recognised by its magic bytes, gzip likewise. A JSON Lines file
        without a snapshot header (plain findings, as ``write_jsonl`` writes) loads too,
        with ``taken_at`` the file's modification time and no regions/accounts/criteria.

        A finding that cannot be read (bad JSON, not UTF-8, not a valid finding) does not
        stop the load: it is listed in [`errors`][inspector_kit.history.Snapshot] (with its position
        and line), one warning is logged on the ``inspector_kit.history`` logger, and the other
        findings are loaded. The header's ``finding_count`` counts those too, so a file cut short
        is still an error. With ``strict=True`` the first bad finding raises.

        Args:
            path: The file (``.parquet``, ``.jsonl`` or ``.jsonl.gz``; the content decides).
            strict: Raise on the first finding that cannot be read.

        Raises:
            MissingExtraError: the file is Parquet and pyarrow is not installed.
            SnapshotError: the file is empty, truncated or corrupt, is not Parquet or JSON
                Lines (a ``.parquet`` name without Parquet content included), or its header
                holds a missing or wrong value (``regions`` not a list of strings,
                ``taken_at`` not a timestamp, ...) or a ``finding_count`` other than the
                number of findings in the file; the error names the file and the field.
            FindingParseError: with ``strict=True``, a finding is not valid (a bad JSON
                record raises [`SourceFormatError`][inspector_kit.errors.SourceFormatError]).
            OSError: the file cannot be opened (``FileNotFoundError``, ...).

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from inspector_kit.testing import finding_payload
            >>> path = Path(tempfile.mkdtemp()) / "one.jsonl"
            >>> one = [Finding.from_api(finding_payload())]
            >>> _ = Snapshot.save(one, path, accounts=["111122223333"])
            >>> Snapshot.load(path).accounts
            ('111122223333',)
            >>> plain = path.with_name("plain.jsonl")  # findings only, no header
            >>> _ = plain.write_text(one[0].to_json() + '\n{"findingArn": 42}\n')
            >>> snap = Snapshot.load(plain)
            >>> len(snap), len(snap.errors)
            (1, 1)
            >>> print(snap.errors[0])
            record 1 (line 2): findingArn: expected a string, got int (value: 42)
        """
        source = Path(path)
        with source.open("rb") as raw:
            head = raw.read(len(_PARQUET_MAGIC))
        if head == _PARQUET_MAGIC:
            return cls._read_parquet(source, strict=strict)
        if source.name.endswith(".parquet"):
            what = "empty file" if not head else "not a Parquet file (it does not start with PAR1)"
            raise SnapshotError(what, source=str(source))
        return cls._read_jsonl(source, head[:2] == _GZIP_MAGIC, strict=strict)

    # ------------------------------------------------------------------ internals

    @classmethod
    def _build(
        cls,
        header: _Header,
        findings: list[Finding],
        errors: list[RecordIssue],
        source: Path,
    ) -> Snapshot:
        held = len(findings) + len(errors)
        if header.count is not None and header.count != held:
            raise SnapshotError(
                f"the header says {header.count} findings, the file holds {held}",
                source=str(source),
                field="finding_count",
                line=header.line,
            )
        if errors:
            logger.warning(
                "%s: %d finding(s) could not be loaded; first: %s", source, len(errors), errors[0]
            )
        return cls(
            tuple(findings),
            header.taken_at,
            regions=header.regions,
            accounts=header.accounts,
            criteria=header.criteria,
            path=source,
            version=header.version,
            errors=tuple(errors),
        )

    def _write_jsonl(self, target: Path) -> None:
        gz = target.name.endswith(".gz")
        with (
            gzip.open(target, "wt", encoding="utf-8") if gz else target.open("w", encoding="utf-8")
        ) as stream:
            stream.write(json.dumps({"snapshot": self.metadata()}) + "\n")
            for finding in self.findings:
                stream.write(finding.to_json() + "\n")

    @classmethod
    def _read_jsonl(cls, source: Path, gzipped: bool, *, strict: bool) -> Snapshot:
        name = str(source)
        header: _Header | None = None
        findings: list[Finding] = []
        errors: list[RecordIssue] = []
        seen = False
        try:
            with gzip.open(source, "rb") if gzipped else source.open("rb") as stream:
                for number, record, problem in _json_lines(stream, name):
                    if not seen:
                        seen = True
                        if problem is not None:
                            raise SnapshotError(
                                f"{problem.message} (the first line must be the snapshot "
                                "header or a finding)",
                                source=name,
                                line=number,
                            )
                        if isinstance(record, dict) and set(record) == {_HEADER_KEY}:
                            header = _Header.read(
                                record[_HEADER_KEY], name, key=_HEADER_KEY, line=number
                            )
                            continue
                    _add(findings, errors, record, problem, number, strict=strict)
        except (OSError, EOFError, zlib.error) as exc:
            what = "not a readable gzip file" if gzipped else "cannot read"
            raise SnapshotError(f"{what}: {exc}", source=name) from exc
        if not seen:
            raise SnapshotError("empty file: no snapshot header and no findings", source=name)
        if header is None:
            mtime = datetime.fromtimestamp(source.stat().st_mtime, timezone.utc)
            header = _Header(taken_at=mtime)
        return cls._build(header, findings, errors, source)

    def _write_parquet(self, target: Path) -> None:
        pa = require("pyarrow", "arrow", feature="Snapshot.save to Parquet")
        pq = require("pyarrow.parquet", "arrow", feature="Snapshot.save to Parquet")
        pq.write_table(
            self._parquet_table(pa),
            target,
            compression="zstd",
            compression_level=_ZSTD_LEVEL,
            use_dictionary=[c for c in PARQUET_COLUMNS if c not in _UNIQUE_COLUMNS],
            write_statistics=[c for c in PARQUET_COLUMNS if c != "finding"],
        )

    def _parquet_table(self, pa: Any) -> Any:
        """The findings as an Arrow table of ``PARQUET_COLUMNS``, with the file's metadata."""
        arrays = _parquet_arrays(pa, self.findings, self.taken_at)
        return pa.table(arrays).replace_schema_metadata(
            {
                _META_KEY: json.dumps(self.metadata()).encode(),
                _LAYOUT_KEY: str(PARQUET_LAYOUT).encode(),
            }
        )

    def save_to_dataset(
        self, dataset: SnapshotDataset, *, snapshot_id: str | None = None
    ) -> SnapshotManifest:
        """Write this snapshot into a [`SnapshotDataset`][inspector_kit.history.SnapshotDataset].

        The same as ``dataset.add(self)``: a new committed snapshot with these findings,
        ``taken_at``, regions, accounts and criteria; its manifest is returned.

        Examples:
            >>> import tempfile
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> from inspector_kit.history import SnapshotDataset
            >>> dataset = SnapshotDataset(tempfile.mkdtemp())
            >>> snap = Snapshot(tuple(sample_findings()), datetime(2026, 11, 2))
            >>> snap.save_to_dataset(dataset, snapshot_id="week-45").finding_count
            274
        """
        return dataset.add(self, snapshot_id=snapshot_id)

    @classmethod
    def _read_parquet(cls, source: Path, *, strict: bool) -> Snapshot:
        opened = _open_parquet(source, feature="Snapshot.load from Parquet")
        pa, name, schema = opened.pa, str(source), opened.file.schema_arrow
        if "finding" not in schema.names:
            raise SnapshotError(
                "no column 'finding' (each finding as JSON)", source=name, field="finding"
            )
        kind = schema.field("finding").type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            raise SnapshotError(
                f"column 'finding' must hold strings (JSON), not {kind}",
                source=name,
                field="finding",
            )
        findings: list[Finding] = []
        errors: list[RecordIssue] = []
        try:
            for batch in opened.file.iter_batches(columns=["finding"]):
                for text in batch.column(0).to_pylist():
                    record, problem = _decode(text, name, None)
                    _add(findings, errors, record, problem, None, strict=strict)
        except opened.broken as exc:
            raise SnapshotError(
                f"cannot read column 'finding': {exc}", source=name, field="finding"
            ) from exc
        return cls._build(opened.header, findings, errors, source)

    @staticmethod
    def read_columns(path: str | os.PathLike[str], columns: Iterable[str] | None = None) -> Any:
        """The typed columns of a Parquet snapshot as a ``pyarrow.Table``, no finding decoded.

        What trends and dashboards need (severity, status, account, times, scores...) read
        straight from the file's columns, at the speed of ``pyarrow.parquet.read_table``:
        the findings' JSON is not read unless ``"finding"`` is asked for. The file's
        snapshot metadata is checked as [`load`][inspector_kit.history.Snapshot.load] checks
        it, and ``snapshot_taken_at`` (on every row) tells one snapshot from another once
        tables are concatenated (see [`scan`][inspector_kit.history.scan]). Files of every
        layout read alike.

        Args:
            path: A Parquet snapshot written by [`save`][inspector_kit.history.Snapshot.save].
            columns: The columns wanted, in the order wanted, from
                [`PARQUET_COLUMNS`][inspector_kit.history.PARQUET_COLUMNS] (default: all of
                them but ``finding``).

        Returns:
            A ``pyarrow.Table`` (strings, ``float64`` scores, ``timestamp[us, tz=UTC]``
            times), one row per finding in the order saved.

        Raises:
            MissingExtraError: pyarrow is not installed.
            SnapshotError: the file is not a Parquet snapshot (as for ``load``), or lacks a
                column asked for (the error names it).
            InvalidArgumentError: ``columns`` names a column twice
                ([`InvalidArgumentTypeError`][inspector_kit.errors.InvalidArgumentTypeError],
                also a ``TypeError``: ``columns`` is a string or holds a non-string).
            OSError: the file cannot be opened (``FileNotFoundError``, ...).

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from datetime import datetime
            >>> from inspector_kit import sample_findings
            >>> path = Path(tempfile.mkdtemp()) / "week-45.parquet"
            >>> _ = Snapshot.save(sample_findings(), path, taken_at=datetime(2026, 11, 2))
            >>> table = Snapshot.read_columns(path, ["severity", "status"])
            >>> table.num_rows, table.column_names
            (274, ['severity', 'status'])
            >>> sorted(table.column("status").unique().to_pylist())
            ['ACTIVE', 'CLOSED', 'SUPPRESSED']
        """
        source = Path(path)
        names = _column_names(columns)
        opened = _open_parquet(source, feature="Snapshot.read_columns")
        present = opened.file.schema_arrow.names
        if names is None:
            names = [column for column in present if column != "finding"]
        for column in names:
            if column not in present:
                raise SnapshotError(
                    f"no column {column!r} (the columns: {', '.join(present)})",
                    source=str(source),
                    field=column,
                )
        try:
            return opened.file.read(columns=names)
        except opened.broken as exc:
            raise SnapshotError(f"cannot read the columns: {exc}", source=str(source)) from exc


def _parquet_arrays(pa: Any, findings: Sequence[Finding], taken_at: datetime) -> dict[str, Any]:
    """The Arrow arrays of ``PARQUET_COLUMNS`` for ``findings``, in that order.

    One flattening for the single-file snapshots and the snapshot dataset
    (``inspector_kit.history._dataset``): the records of ``to_records``, typed.
    """
    stamp = pa.timestamp("us", tz="UTC")
    records = to_records(list(findings)) if findings else []
    arrays: dict[str, Any] = {}
    for name in PARQUET_COLUMNS[:-2]:
        values = [row[name] for row in records]
        if name in _TIMESTAMP_COLUMNS:
            arrays[name] = pa.array(values, type=stamp)
        elif name in _FLOAT_COLUMNS:
            arrays[name] = pa.array(values, type=pa.float64())
        else:
            arrays[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    arrays["snapshot_taken_at"] = pa.repeat(pa.scalar(taken_at, type=stamp), len(findings))
    arrays["finding"] = pa.array([f.to_json() for f in findings], type=pa.string())
    return arrays


def _column_names(columns: Iterable[str] | None) -> list[str] | None:
    if columns is None:
        return None
    if isinstance(columns, str):
        raise InvalidArgumentTypeError(
            f"columns must be a list of column names, not the string {columns!r}"
        )
    names = list(columns)
    for name in names:
        if not isinstance(name, str):
            raise InvalidArgumentTypeError(
                f"a column name must be a string, not {_type_name(name)}"
            )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InvalidArgumentError(f"columns named more than once: {', '.join(twice)}")
    return names


@attrs.frozen
class _OpenParquet:
    pa: Any
    file: Any  # pyarrow.parquet.ParquetFile
    header: _Header
    layout: int
    broken: tuple[type[BaseException], ...]


def _open_parquet(source: Path, *, feature: str) -> _OpenParquet:
    """The Parquet file with its snapshot metadata and layout checked (SnapshotError if not)."""
    pa = require("pyarrow", "arrow", feature=feature)
    pq = require("pyarrow.parquet", "arrow", feature=feature)
    name = str(source)
    with source.open("rb") as raw:
        head = raw.read(len(_PARQUET_MAGIC))
    if head != _PARQUET_MAGIC:
        what = "empty file" if not head else "not a Parquet file (it does not start with PAR1)"
        raise SnapshotError(what, source=name)
    # pyarrow raises ArrowInvalid (a ValueError), ArrowIOError (an OSError) and others.
    broken = (pa.ArrowException, OSError, ValueError, EOFError)
    try:
        parquet = pq.ParquetFile(source)
        schema = parquet.schema_arrow
    except broken as exc:
        raise SnapshotError(f"not a readable Parquet file: {exc}", source=name) from exc
    key = _META_KEY.decode()
    stored = schema.metadata or {}
    raw_meta = stored.get(_META_KEY)
    if raw_meta is None:
        raise SnapshotError("no inspector_kit snapshot metadata", source=name, field=key)
    try:
        meta = json.loads(raw_meta.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise SnapshotError(
            f"the metadata is not valid JSON: {reason}", source=name, field=key
        ) from None
    header = _Header.read(meta, name, key=key, line=None)
    return _OpenParquet(pa, parquet, header, _layout(stored.get(_LAYOUT_KEY), name), broken)


def _layout(raw: bytes | None, source: str) -> int:
    """The file's Parquet layout: 1 when not recorded; a newer one than known is an error."""
    if raw is None:
        return 1
    field = _LAYOUT_KEY.decode()
    text = raw.decode("utf-8", errors="replace")
    if not text.isdigit() or not text.isascii():
        raise SnapshotError(f"expected a layout number, got {text!r}", source=source, field=field)
    layout = int(text)
    if layout > PARQUET_LAYOUT:
        raise SnapshotError(
            f"layout {layout} is newer than this inspector_kit reads ({PARQUET_LAYOUT}): "
            "upgrade inspector_kit",
            source=source,
            field=field,
        )
    return layout


# ----------------------------------------------------------------------------- reading


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


@attrs.frozen
class _Header:
    """The validated metadata of a snapshot file."""

    taken_at: datetime
    regions: tuple[str, ...] | None = None
    accounts: tuple[str, ...] | None = None
    criteria: dict[str, Any] | None = None
    version: str = "unknown"
    count: int | None = None
    line: int | None = None

    @classmethod
    def read(cls, meta: Any, source: str, *, key: str, line: int | None) -> _Header:
        """Check every header value; a wrong one is a SnapshotError naming its field."""

        def fail(field: str, message: str) -> SnapshotError:
            return SnapshotError(message, source=source, field=field, line=line)

        if not isinstance(meta, Mapping):
            raise fail(key, f"expected an object, got {_type_name(meta)}")
        if meta.get("format") != _FORMAT:
            raise fail("format", f"not an inspector_kit snapshot: {meta.get('format')!r}")
        if "format_version" in meta:
            version = meta["format_version"]
            if isinstance(version, bool) or not isinstance(version, int):
                raise fail("format_version", f"expected an integer, got {_type_name(version)}")
            if version > _FORMAT_VERSION:
                raise fail(
                    "format_version",
                    f"{version} is newer than this inspector_kit reads ({_FORMAT_VERSION}): "
                    "upgrade inspector_kit",
                )
        if "taken_at" not in meta:
            raise fail("taken_at", "missing")
        try:
            # parse_timestamp: Python 3.10's fromisoformat rejects a trailing "Z".
            taken_at = parse_timestamp(meta["taken_at"])
        except TimestampError as exc:
            raise fail("taken_at", str(exc)) from None
        criteria = meta.get("criteria")
        if criteria is not None and not isinstance(criteria, dict):
            raise fail("criteria", f"expected an object or null, got {_type_name(criteria)}")
        made_by = meta.get("inspector_kit_version", "unknown")
        if not isinstance(made_by, str):
            raise fail("inspector_kit_version", f"expected a string, got {_type_name(made_by)}")
        count = meta.get("finding_count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise fail("finding_count", f"expected a non-negative integer, got {_type_name(count)}")
        if count is not None and count < 0:
            raise fail("finding_count", f"expected a non-negative integer, got {count}")
        return cls(
            taken_at=taken_at,
            regions=_name_list(meta.get("regions"), "regions", fail),
            accounts=_name_list(meta.get("accounts"), "accounts", fail),
            criteria=criteria,
            version=made_by,
            count=count,
            line=line,
        )


def _name_list(value: Any, field: str, fail: Any) -> tuple[str, ...] | None:
    """``None``, or a JSON list of strings (a lone string is an error, never its letters)."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise fail(field, f"expected a list of strings, got {_type_name(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise fail(f"{field}[{index}]", f"expected a string, got {_type_name(item)}")
    return tuple(value)


def _decode(text: Any, source: str, line: int | None) -> tuple[Any, SourceFormatError | None]:
    """One record's JSON text (str or bytes) decoded, or the problem with it."""
    if text is None:
        return None, SourceFormatError("the finding is null", source=source, line=line)
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return json.loads(text), None
    except UnicodeDecodeError as exc:
        return None, SourceFormatError(f"not UTF-8 text: {exc.reason}", source=source, line=line)
    except json.JSONDecodeError as exc:
        return None, SourceFormatError(f"not valid JSON: {exc.msg}", source=source, line=line)
    except RecursionError:
        reason = "not valid JSON: nested too deeply"
        return None, SourceFormatError(reason, source=source, line=line)


def _json_lines(
    stream: Iterable[bytes], source: str
) -> Iterator[tuple[int, Any, SourceFormatError | None]]:
    """(line number, decoded value, problem) for each non-blank line."""
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            record, problem = _decode(raw, source, number)
            yield number, record, problem


def _add(
    findings: list[Finding],
    errors: list[RecordIssue],
    record: Any,
    problem: InspectorKitError | None,
    line: int | None,
    *,
    strict: bool,
) -> None:
    """Decode one finding record; a bad one is raised (strict) or reported."""
    if problem is None:
        try:
            findings.append(Finding.from_api(record))
            return
        except FindingParseError as exc:
            problem = exc
    if strict:
        raise problem
    errors.append(RecordIssue(len(findings) + len(errors), line, problem))
