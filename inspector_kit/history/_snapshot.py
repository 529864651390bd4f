"""Saved findings with metadata: :class:`Snapshot` (Parquet or JSON Lines)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit._version import __version__
from inspector_kit.errors import SourceFormatError
from inspector_kit.formats import to_records
from inspector_kit.formats._extras import require
from inspector_kit.models._time import parse_timestamp
from inspector_kit.models.finding import Finding

if TYPE_CHECKING:
    import os

__all__ = ["PARQUET_COLUMNS", "Snapshot"]

_FORMAT = "inspector_kit.snapshot"
_FORMAT_VERSION = 1
_META_KEY = b"inspector_kit.snapshot"
_GZIP_MAGIC = b"\x1f\x8b"

_TIMESTAMP_COLUMNS = frozenset({"first_observed_at", "last_observed_at", "updated_at"})
_FLOAT_COLUMNS = frozenset({"inspector_score", "epss_score"})

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
    "snapshot_taken_at",
    "finding",
)
"""The columns of a Parquet snapshot, in order.

The flat columns of :func:`inspector_kit.formats.to_records` (strings, ``float64``
scores, ``timestamp[us, tz=UTC]`` times: the same types in every file), then
``snapshot_taken_at`` (the snapshot's time, on every row) and ``finding`` (the whole
finding as :meth:`Finding.to_json`, which :meth:`Snapshot.load` reads back).
"""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def _criteria(value: object) -> dict[str, Any] | None:
    """Criteria as a JSON-ready dict: a mapping, or anything with ``to_api()``."""
    if value is None:
        return None
    to_api = getattr(value, "to_api", None)
    raw = to_api() if callable(to_api) else value
    if not isinstance(raw, Mapping):
        raise TypeError(f"criteria must be a mapping or have to_api(), not {type(value).__name__}")
    # Through JSON, so that the saved and the loaded criteria are equal.
    loaded: dict[str, Any] = json.loads(json.dumps(dict(raw), default=_json_default))
    return loaded


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value).isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _names(values: Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(values)


@attrs.frozen
class Snapshot:
    """Findings as they were at one time, with where and how they were fetched.

    Attributes:
        findings: The findings, in the order saved.
        taken_at: When the findings were fetched (aware UTC).
        regions: The regions fetched, or ``None`` when not recorded (then the snapshot
            is taken to cover every region, see :func:`inspector_kit.history.diff`).
        accounts: The accounts fetched, or ``None`` when not recorded (all accounts).
        criteria: The filter the findings were fetched with (``FindingCriteria.to_api()``
            or any JSON mapping; datetimes in it are saved as ISO 8601 text).
        path: The file it was saved to or loaded from.
        version: The inspector_kit version that saved it.

    Example:
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

    def __len__(self) -> int:
        return len(self.findings)

    def metadata(self) -> dict[str, Any]:
        """The metadata saved with the findings (JSON-ready).

        Example:
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
        """Write ``findings`` and their metadata to ``path``; return the :class:`Snapshot`.

        A path ending in ``.parquet`` is written as Parquet (needs the ``arrow`` extra:
        :data:`PARQUET_COLUMNS`, the metadata in the file's key-value metadata under
        ``inspector_kit.snapshot``); any other path as JSON Lines, gzip-compressed when
        it ends in ``.gz``: a header line ``{"snapshot": {...metadata}}``, then one
        finding per line in the API shape.

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

        Example:
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
    def load(cls, path: str | os.PathLike[str]) -> Snapshot:
        """Read a snapshot written by :meth:`save`.

        Parquet is recognised by its magic bytes, gzip likewise. A JSON Lines file
        without a snapshot header (plain findings, as ``write_jsonl`` writes) loads too,
        with ``taken_at`` the file's modification time and no regions/accounts/criteria.

        Raises:
            MissingExtraError: the file is Parquet and pyarrow is not installed.
            SourceFormatError: the file is not a snapshot, or holds fewer or more
                findings than its header says.
            FindingParseError: a finding is not valid.

        Example:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from inspector_kit.testing import finding_payload
            >>> path = Path(tempfile.mkdtemp()) / "one.jsonl"
            >>> one = [Finding.from_api(finding_payload())]
            >>> _ = Snapshot.save(one, path, accounts=["111122223333"])
            >>> Snapshot.load(path).accounts
            ('111122223333',)
        """
        source = Path(path)
        with source.open("rb") as raw:
            head = raw.read(4)
        if head == b"PAR1":
            return cls._read_parquet(source)
        return cls._read_jsonl(source)

    # ------------------------------------------------------------------ internals

    @classmethod
    def _from_metadata(cls, meta: Any, findings: tuple[Finding, ...], source: Path) -> Snapshot:
        if not isinstance(meta, Mapping) or meta.get("format") != _FORMAT:
            raise SourceFormatError("no inspector_kit snapshot metadata", source=str(source))
        count = meta.get("finding_count")
        if count is not None and count != len(findings):
            raise SourceFormatError(
                f"the header says {count} findings, the file holds {len(findings)}",
                source=str(source),
            )
        regions, accounts = meta.get("regions"), meta.get("accounts")
        return cls(
            findings,
            # parse_timestamp: Python 3.10's fromisoformat rejects a trailing "Z".
            _utc(parse_timestamp(meta["taken_at"])),
            regions=None if regions is None else tuple(regions),
            accounts=None if accounts is None else tuple(accounts),
            criteria=meta.get("criteria"),
            path=source,
            version=str(meta.get("inspector_kit_version", "unknown")),
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
    def _read_jsonl(cls, source: Path) -> Snapshot:
        with source.open("rb") as raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
        meta: Any = None
        findings: list[Finding] = []
        with (
            gzip.open(source, "rt", encoding="utf-8")
            if gzipped
            else source.open("r", encoding="utf-8")
        ) as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SourceFormatError(
                        f"not valid JSON: {exc.msg}", source=str(source), line=number
                    ) from None
                if number == 1 and isinstance(record, dict) and set(record) == {"snapshot"}:
                    meta = record["snapshot"]
                    continue
                findings.append(Finding.from_api(record))
        if meta is None:
            mtime = datetime.fromtimestamp(source.stat().st_mtime, timezone.utc)
            meta = {"format": _FORMAT, "taken_at": mtime.isoformat()}
        return cls._from_metadata(meta, tuple(findings), source)

    def _write_parquet(self, target: Path) -> None:
        pa = require("pyarrow", "arrow", feature="Snapshot.save to Parquet")
        pq = require("pyarrow.parquet", "arrow", feature="Snapshot.save to Parquet")
        stamp = pa.timestamp("us", tz="UTC")
        records = to_records(list(self.findings)) if self.findings else []
        arrays: dict[str, Any] = {}
        for name in PARQUET_COLUMNS[:-2]:
            values = [row[name] for row in records]
            if name in _TIMESTAMP_COLUMNS:
                arrays[name] = pa.array(values, type=stamp)
            elif name in _FLOAT_COLUMNS:
                arrays[name] = pa.array(values, type=pa.float64())
            else:
                arrays[name] = pa.array(
                    [None if v is None else str(v) for v in values], pa.string()
                )
        arrays["snapshot_taken_at"] = pa.array([self.taken_at] * len(records), type=stamp)
        arrays["finding"] = pa.array([f.to_json() for f in self.findings], type=pa.string())
        table = pa.table(arrays).replace_schema_metadata(
            {_META_KEY: json.dumps(self.metadata()).encode()}
        )
        pq.write_table(table, target)

    @classmethod
    def _read_parquet(cls, source: Path) -> Snapshot:
        require("pyarrow", "arrow", feature="Snapshot.load from Parquet")
        pq = require("pyarrow.parquet", "arrow", feature="Snapshot.load from Parquet")
        table = pq.read_table(source, columns=["finding"])
        raw = (table.schema.metadata or {}).get(_META_KEY)
        meta = json.loads(raw) if raw is not None else None
        findings = tuple(
            Finding.from_api(json.loads(text)) for text in table["finding"].to_pylist()
        )
        return cls._from_metadata(meta, findings, source)
