"""Findings over time: save snapshots, diff them, query many with SQL.

* [`Snapshot`][inspector_kit.history.Snapshot]: findings plus metadata (when, which regions and
  accounts, which criteria), saved as Parquet (``.parquet``, extra ``arrow``) or JSON Lines
  (``.jsonl``, ``.jsonl.gz``) and loaded back equal.
* [`diff`][inspector_kit.history.diff]: new, resolved, reopened, still-open and re-scored findings
  between two snapshots, with mean time to remediate per severity.
* [`query`][inspector_kit.history.query]: DuckDB SQL over many Parquet snapshots (extra ``duckdb``),
  as a [`QueryResult`][inspector_kit.history.QueryResult], or with ``as_="arrow"`` / ``"pandas"``
  as a table straight from DuckDB (for millions of rows).
* Snapshot datasets (Hive-partitioned Parquet under one root):
  [`query`][inspector_kit.history.query] runs SQL or one of
  [`NAMED_QUERIES`][inspector_kit.history.NAMED_QUERIES] on DuckDB, Spark
  ([`SparkEngine`][inspector_kit.history.SparkEngine], extra ``spark``) or Athena
  ([`AthenaEngine`][inspector_kit.history.AthenaEngine]), with the same results on each.
* [`Snapshot.read_columns`][inspector_kit.history.Snapshot.read_columns] and
  [`scan`][inspector_kit.history.scan]: the typed columns of one or many Parquet snapshots as a
  ``pyarrow.Table``, no finding decoded (layout:
  [`PARQUET_LAYOUT`][inspector_kit.history.PARQUET_LAYOUT]).

* [`SnapshotDataset`][inspector_kit.history.SnapshotDataset]: many snapshots of many accounts
  as one Hive-partitioned Parquet dataset on disk or S3 (extra ``arrow``), written while the
  findings stream in (memory flat), read back as columns or snapshots, and queried in place
  by DuckDB, Athena or Spark ([`table_ddl`][inspector_kit.history.SnapshotDataset.table_ddl]).

Snapshots, diffs and query results are [`Records`][inspector_kit.formats.Records] results:
every writer of [`inspector_kit.formats`][inspector_kit.formats] takes them, and they have
``to_markdown()`` and a notebook view.

A JSON Lines snapshot starts with a header line ``{"snapshot": {...}}``, which
[`load_findings`][inspector_kit.loaders.load_findings] does not read (it stops with a
[`SourceFormatError`][inspector_kit.errors.SourceFormatError]): read snapshots with
[`Snapshot.load`][inspector_kit.history.Snapshot.load].

Errors: a snapshot file that is empty, truncated, corrupt or not a snapshot, or whose
header holds a wrong value, raises [`SnapshotError`][inspector_kit.history.SnapshotError] naming the
file and the field; a bad finding inside a readable file is reported in
[`Snapshot.errors`][inspector_kit.history.Snapshot] and the rest is loaded.
[`query`][inspector_kit.history.query] raises
[`SnapshotQueryError`][inspector_kit.history.SnapshotQueryError] for a query DuckDB rejects.
A dataset raises [`SnapshotStorageError`][inspector_kit.history.SnapshotStorageError] (an
``OSError``) naming the path when its folder or bucket cannot be used, and
[`SnapshotNotFoundError`][inspector_kit.history.SnapshotNotFoundError] for a snapshot id that
is not committed.

Examples:
    >>> import tempfile
    >>> from datetime import datetime
    >>> from pathlib import Path
    >>> from inspector_kit import Finding
    >>> from inspector_kit.testing import finding_payload
    >>> folder = Path(tempfile.mkdtemp())
    >>> before = Snapshot.save([Finding.from_api(finding_payload())], folder / "w1.jsonl",
    ...                        taken_at=datetime(2026, 11, 2))
    >>> after = Snapshot.save([], folder / "w2.jsonl", taken_at=datetime(2026, 11, 9))
    >>> changes = diff(Snapshot.load(folder / "w1.jsonl"), Snapshot.load(folder / "w2.jsonl"))
    >>> len(changes.resolved), changes.mean_time_to_remediate()["HIGH"].days
    (1, 38)
"""

from inspector_kit.errors import (
    SnapshotError,
    SnapshotNotFoundError,
    SnapshotQueryError,
    SnapshotStorageError,
)

from ._dataset import (
    DATASET_COLUMNS,
    PARTITION_COLUMNS,
    DatasetPartition,
    SnapshotDataset,
    SnapshotManifest,
    SnapshotWriter,
)
from ._diff import CHANGE_KINDS, FindingsDiff, diff
from ._engines import AthenaEngine, SparkEngine
from ._named import ENGINES, NAMED_QUERIES, NamedQuery
from ._query import OPEN_CRITICALS_PER_WEEK, QUERY_RESULT_KINDS, QueryResult, query, scan
from ._snapshot import PARQUET_COLUMNS, PARQUET_LAYOUT, Snapshot

__all__ = [
    "CHANGE_KINDS",
    "DATASET_COLUMNS",
    "ENGINES",
    "NAMED_QUERIES",
    "OPEN_CRITICALS_PER_WEEK",
    "PARQUET_COLUMNS",
    "PARQUET_LAYOUT",
    "PARTITION_COLUMNS",
    "QUERY_RESULT_KINDS",
    "AthenaEngine",
    "DatasetPartition",
    "FindingsDiff",
    "NamedQuery",
    "QueryResult",
    "Snapshot",
    "SnapshotDataset",
    "SnapshotError",
    "SnapshotManifest",
    "SnapshotNotFoundError",
    "SnapshotQueryError",
    "SnapshotStorageError",
    "SnapshotWriter",
    "SparkEngine",
    "diff",
    "query",
    "scan",
]
