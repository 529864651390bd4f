"""SQL over Parquet snapshots with DuckDB: [`query`][inspector_kit.history.query]."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from inspector_kit.errors import (
    InvalidArgumentError,
    QueryParameterError,
    SnapshotError,
    SnapshotQueryError,
)
from inspector_kit.formats import RecordsMixin, RecordValue
from inspector_kit.formats._extras import require
from inspector_kit.models._time import as_utc

from ._dataset import SnapshotDataset
from ._engines import AthenaEngine, SparkEngine
from ._named import ENGINES, NAMED_QUERIES, NamedQuery
from ._snapshot import Snapshot

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import TypeAlias

    Paths: TypeAlias = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
    Source: TypeAlias = Paths | SnapshotDataset
    EngineName: TypeAlias = Literal["duckdb", "spark", "athena"]

__all__ = ["OPEN_CRITICALS_PER_WEEK", "QUERY_RESULT_KINDS", "QueryResult", "query", "scan"]

QUERY_RESULT_KINDS = ("records", "arrow", "pandas")
"""What [`query`][inspector_kit.history.query] can return (its ``as_`` argument)."""

OPEN_CRITICALS_PER_WEEK = """\
SELECT strftime(snapshot_taken_at, '%G-W%V') AS week,
       aws_account_id,
       count(*) AS open_criticals
FROM findings
WHERE severity = 'CRITICAL' AND status = 'ACTIVE'
GROUP BY ALL
ORDER BY ALL"""
"""Open criticals per week per account: the example query of ``query``."""


_TIMESTAMPS = ("first_observed_at", "last_observed_at", "updated_at", "snapshot_taken_at")
# The columns the view needs, the most telling first: a Parquet file without them is not
# a snapshot.
_REQUIRED = ("snapshot_taken_at", "first_observed_at", "last_observed_at", "updated_at")
_PARQUET_MAGIC = b"PAR1"
# DuckDB expands these in a file name (glob syntax, and braces maybe in a later version);
# one inside brackets is itself: "a[*]b.parquet" reads the file "a*b.parquet" only.
_DUCKDB_GLOB = re.compile(r"[*?\[{]")


_FLAT = (str, int, float, bool, Decimal, date, datetime)
# DuckDB types whose values are datetimes (or None): hashable, so converted once per value.
_PLAIN_TIMESTAMPS = frozenset(
    {"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE"}
)


class QueryResult(RecordsMixin, list[dict[str, Any]]):
    """The rows of ``query`` (a list of dicts, as DuckDB gave them) and their columns.

    A [`Records`][inspector_kit.formats.Records] result:
    [`columns`][inspector_kit.history.QueryResult] are the query's columns, known even when no row
    came back, and [`to_records`][inspector_kit.history.QueryResult.to_records] gives the rows in
    the records value convention, so every writer of
    [`inspector_kit.formats`][inspector_kit.formats] (and ``to_text()``, ``to_markdown()``, the
    notebook view) takes it.

    Attributes:
        columns: The query's column names, in order.

    Examples:
        >>> result = QueryResult([{"week": "2026-W45", "n": 1}], columns=("week", "n"))
        >>> result == [{"week": "2026-W45", "n": 1}], result.columns
        (True, ('week', 'n'))
        >>> print(result.to_markdown(), end="")
        | week | n |
        | --- | --- |
        | 2026-W45 | 1 |
    """

    __slots__ = ("columns",)

    def __init__(self, rows: Iterable[dict[str, Any]] = (), *, columns: Sequence[str]) -> None:
        super().__init__(rows)
        self.columns: tuple[str, ...] = tuple(columns)

    def to_records(self) -> list[dict[str, RecordValue]]:
        """The rows in the records value convention.

        A DuckDB list or array becomes its items joined with ``;`` (``None`` when empty),
        any other value outside the convention (an interval, a UUID, bytes, a struct) its
        ``str``.

        Examples:
            >>> rows = [{"ids": ["a", "b"], "none": []}]
            >>> QueryResult(rows, columns=("ids", "none")).to_records()
            [{'ids': 'a;b', 'none': None}]
        """
        return [{name: _flat(row.get(name)) for name in self.columns} for row in self]


def _flat(value: Any) -> RecordValue:
    if value is None or isinstance(value, _FLAT):
        return value
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value) or None
    return str(value)


def _paths(paths_or_glob: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    items = [paths_or_glob] if isinstance(paths_or_glob, (str, os.PathLike)) else paths_or_glob
    found: list[str] = []
    for item in items:
        text = os.fspath(item)
        # An existing file is that file, whatever its name holds ("a*b.parquet").
        if glob.has_magic(text) and not Path(text).is_file():
            found += sorted(glob.glob(text))
        else:
            found.append(text)
    if not found:
        raise FileNotFoundError(f"no Parquet snapshot matches {paths_or_glob!r}")
    missing = [p for p in found if not Path(p).is_file()]
    if missing:
        raise FileNotFoundError(f"no Parquet snapshot at {missing!r}")
    return found


def _literal(path: str) -> str:
    """``path`` as a DuckDB file name that matches that one file, never a glob."""
    return _DUCKDB_GLOB.sub(lambda match: f"[{match.group()}]", path)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _check_parquet(path: str) -> None:
    """A SnapshotError naming the file when it is not Parquet (magic bytes at both ends)."""
    with open(path, "rb") as stream:
        head = stream.read(4)
        size = stream.seek(0, os.SEEK_END)
        tail = b""
        if size >= 12:
            stream.seek(-4, os.SEEK_END)
            tail = stream.read(4)
    if head != _PARQUET_MAGIC or tail != _PARQUET_MAGIC:
        what = "an empty file" if not size else "no PAR1 magic bytes at both ends"
        raise SnapshotError(
            f"not a Parquet file ({what}); only Parquet snapshots can be queried", source=path
        )


def _check_snapshot(con: Any, duckdb: Any, path: str, literal: str) -> None:
    """The file is one file to DuckDB, and has the columns of a snapshot."""
    try:
        matched = con.execute("SELECT file FROM glob(?)", [literal]).fetchall()
        columns = {
            row[0]
            for row in con.execute("SELECT name FROM parquet_schema(?)", [literal]).fetchall()
        }
    except duckdb.Error as exc:
        raise SnapshotError(f"not a readable Parquet file: {exc}", source=path) from exc
    if len(matched) != 1:
        raise SnapshotError(f"DuckDB reads this name as {len(matched)} files, not one", source=path)
    for column in _REQUIRED:
        if column not in columns:
            raise SnapshotError(
                f"no column {column!r}: not an inspector_kit snapshot (write one with "
                "Snapshot.save to a .parquet path)",
                source=path,
                field=column,
            )


@overload
def query(
    source: Source,
    sql_or_name: str,
    *,
    engine: EngineName | SparkEngine | AthenaEngine = ...,
    params: Mapping[str, Any] | Sequence[Any] | None = ...,
    as_: Literal["records"] = ...,
    duckdb_config: Mapping[str, Any] | None = ...,
) -> QueryResult: ...


@overload
def query(
    source: Source,
    sql_or_name: str,
    *,
    engine: EngineName | SparkEngine | AthenaEngine = ...,
    params: Mapping[str, Any] | Sequence[Any] | None = ...,
    as_: Literal["arrow", "pandas"],
    duckdb_config: Mapping[str, Any] | None = ...,
) -> Any: ...


def query(
    source: Source,
    sql_or_name: str,
    *,
    engine: EngineName | SparkEngine | AthenaEngine = "duckdb",
    params: Mapping[str, Any] | Sequence[Any] | None = None,
    as_: Literal["records", "arrow", "pandas"] = "records",
    duckdb_config: Mapping[str, Any] | None = None,
) -> QueryResult | Any:
    """Run SQL (or a named query) over snapshots, as the relation ``findings``; return the rows.

    Two kinds of ``source``:

    * Parquet snapshot files (a path, a glob, or several): DuckDB only (extra ``duckdb``).
      The view holds every row of every file
      ([`PARQUET_COLUMNS`][inspector_kit.history.PARQUET_COLUMNS]), including
      ``snapshot_taken_at``, the time of the snapshot each row comes from.
    * A snapshot **dataset** root (a directory, or an ``s3://`` URI, in the Hive-partitioned
      layout ``snapshot_date=.../aws_account_id=.../region=.../*.parquet``): DuckDB, Spark
      or Athena. ``findings`` then also has ``snapshot_id``, ``snapshot_date`` (a DATE),
      ``aws_account_id`` and ``region`` (strings, leading zeros kept). Every engine but
      Athena reads only the files of committed snapshots
      ([`SnapshotDataset.files`][inspector_kit.history.SnapshotDataset.files]), never those
      of a write that died. DuckDB reads an ``s3://`` root through pyarrow's S3 filesystem
      (credentials and region from the usual AWS sources, or pyarrow's URI options such as
      ``?region=...``); no DuckDB extension is needed. A
      [`SnapshotDataset`][inspector_kit.history.SnapshotDataset] is a root too (its
      filesystem is used).

    Instead of SQL, give the name of one of
    [`NAMED_QUERIES`][inspector_kit.history.NAMED_QUERIES] (datasets only): the same query,
    with the same results, on every engine (see the engines page of the docs).

    Timestamp columns are UTC: DuckDB's are plain ``TIMESTAMP`` in UTC (not
    ``TIMESTAMPTZ``, which DuckDB converts to Python only with pytz installed), and every
    engine's timestamps come back as aware UTC datetimes.

    Args:
        source: Snapshot files (a path, a glob such as ``"snapshots/*.parquet"``, or several)
            or a dataset root (a directory, ``s3://bucket/prefix`` or a ``SnapshotDataset``).
            For Athena, the root
            the table reads (it names the data in errors).
        sql_or_name: A query over ``findings`` in the engine's dialect, or a named query.
        engine: ``"duckdb"`` (the default, embedded), ``"spark"`` (a local session; give a
            [`SparkEngine`][inspector_kit.history.SparkEngine] to use your own) or an
            [`AthenaEngine`][inspector_kit.history.AthenaEngine] (it holds the boto3 client,
            database and workgroup; the string ``"athena"`` alone cannot run).
        params: The query's parameters, bound by the engine, never pasted into the SQL: for
            a named query, a mapping of its ``parameters``; for your SQL, what the engine
            takes (DuckDB: a mapping for ``$name`` or a sequence for ``?``; Spark: a mapping
            for ``:name``; Athena: a sequence of SQL literals for ``?``).
        as_: What to return: ``"records"`` (the default, a ``QueryResult``), ``"arrow"`` (a
            ``pyarrow.Table``, extra ``arrow``) or ``"pandas"`` (a ``pandas.DataFrame``, extra
            ``pandas``). On DuckDB, Arrow and pandas results come straight from DuckDB, column
            by column, with no Python object per value: use them for large results (millions
            of rows). Their timestamps are UTC (``timestamp[us, tz=UTC]``,
            ``datetime64[us, UTC]``); the column names and row order are the same as the
            records'.
        duckdb_config: DuckDB settings for the query's connection (DuckDB only), for
            instance ``{"memory_limit": "1GB", "temp_directory": "/scratch"}`` to spill
            large joins to disk past 1 GB, or ``{"threads": 2}``.

    Returns:
        For ``"records"``, one dict per row, column name to value (timestamps as aware
        datetimes): a [`QueryResult`][inspector_kit.history.QueryResult], a list that also
        knows its ``columns``. Otherwise the table (no column at all for a query of only
        comments).

    File names: a path naming an existing file is read as that one file, whatever
    characters its name holds (``a*b.parquet``, quotes); any other path holding ``*``,
    ``?`` or ``[`` is a glob, expanded with Python's ``glob`` rules (use
    ``glob.escape`` for a folder whose name holds them), and each file it matches is
    read once, literally (DuckDB's own glob expansion is never applied to a file name).

    Raises:
        MissingExtraError: the engine's extra is not installed (DuckDB; pyspark; sqlglot to
            run a named query on Spark or Athena), or, for ``as_="arrow"``, pyarrow; for
            ``as_="pandas"``, pandas.
        InvalidArgumentError: ``duckdb_config`` is given for another engine or names an
            unknown setting; ``as_`` is not one of
            [`QUERY_RESULT_KINDS`][inspector_kit.history.QUERY_RESULT_KINDS], or ``engine`` is
            not an engine (or is ``"athena"`` without an ``AthenaEngine``), or Spark or Athena
            was given snapshot files instead of a dataset root.
        FileNotFoundError: a path does not exist, the glob matches nothing, or a dataset
            root holds no committed snapshot.
        SnapshotError: a file is not Parquet, or not a snapshot (no ``snapshot_taken_at``
            column, ...); the error names the file (and the column).
        SnapshotQueryError: DuckDB rejected the query (syntax, an unknown column or
            function) or could not read a file; the error names the query and the files,
            and DuckDB's exception is the ``__cause__``.
        QueryParameterError: an unknown named query, a named query over snapshot files, or a
            parameter missing, unexpected or not valid.
        EngineQueryError: Spark or Athena could not run the query (Athena's state and reason
            in the message); ``EngineTimeoutError`` when Athena ran past the timeout.

    Examples:
        Open criticals per week per account, from weekly snapshots
        (``OPEN_CRITICALS_PER_WEEK``):

        >>> import tempfile
        >>> from pathlib import Path
        >>> from datetime import datetime
        >>> from inspector_kit import Finding
        >>> from inspector_kit.history import Snapshot
        >>> from inspector_kit.testing import finding_payload
        >>> folder = Path(tempfile.mkdtemp())
        >>> critical = Finding.from_api(finding_payload(severity="CRITICAL"))
        >>> _ = Snapshot.save([critical], folder / "a.parquet", taken_at=datetime(2026, 11, 2))
        >>> _ = Snapshot.save([critical], folder / "b.parquet", taken_at=datetime(2026, 11, 9))
        >>> print(OPEN_CRITICALS_PER_WEEK)
        SELECT strftime(snapshot_taken_at, '%G-W%V') AS week,
               aws_account_id,
               count(*) AS open_criticals
        FROM findings
        WHERE severity = 'CRITICAL' AND status = 'ACTIVE'
        GROUP BY ALL
        ORDER BY ALL
        >>> for row in query(folder / "*.parquet", OPEN_CRITICALS_PER_WEEK):
        ...     print(row)
        {'week': '2026-W45', 'aws_account_id': '111122223333', 'open_criticals': 1}
        {'week': '2026-W46', 'aws_account_id': '111122223333', 'open_criticals': 1}

        The same as an Arrow table, for large results:

        >>> table = query(folder / "*.parquet", OPEN_CRITICALS_PER_WEEK, as_="arrow")
        >>> table.column("open_criticals").to_pylist(), table.column_names[0]
        ([1, 1], 'week')

        A parameter, bound by DuckDB:

        >>> query(folder / "*.parquet", "SELECT count(*) AS n FROM findings WHERE severity = $s",
        ...       params={"s": "CRITICAL"})
        [{'n': 2}]
    """
    if as_ not in QUERY_RESULT_KINDS:
        raise InvalidArgumentError(
            f"as_ must be one of {', '.join(map(repr, QUERY_RESULT_KINDS))}, not {as_!r}"
        )
    runner = _engine(engine)
    named = NAMED_QUERIES.get(sql_or_name) if isinstance(sql_or_name, str) else None
    if duckdb_config is not None and (runner is not None or not isinstance(duckdb_config, Mapping)):
        raise InvalidArgumentError(
            "duckdb_config is a mapping of DuckDB settings, for engine='duckdb' only"
        )
    if runner is None:
        return _query_duckdb(source, sql_or_name, named, params, as_, duckdb_config)
    if as_ == "arrow":
        require("pyarrow", "arrow", feature='query(..., as_="arrow")')
    elif as_ == "pandas":
        require("pandas", "pandas", feature='query(..., as_="pandas")')
    root = _dataset_root(source)
    if root is None and runner.name == "athena" and isinstance(source, str | os.PathLike):
        root = os.fspath(source)
    if root is None:
        raise InvalidArgumentError(
            f"engine {runner.name!r} reads a snapshot dataset root (a directory or an s3:// "
            f"URI), not {source!r}"
        )
    if not isinstance(sql_or_name, str) or not sql_or_name.strip():
        raise SnapshotQueryError(_not_a_query(sql_or_name), sql=str(sql_or_name), files=[root])
    if named is not None:
        table = runner.qualified_table if isinstance(runner, AthenaEngine) else None
        sql, args = named.render(runner.name, _named_params(named, params), table=table)
    else:
        sql, args = sql_or_name, params
    if isinstance(runner, SparkEngine):
        # Only the committed snapshots' files: never those of a write that died.
        files = _committed(_open_dataset(source, root))
        names, rows = runner.run(root, sql, args, files=files)
    else:
        names, rows = runner.run(root, sql, args)
    return _shape(names, rows, as_)


def _not_a_query(sql: object) -> str:
    return "an empty query" if isinstance(sql, str) else f"not a query: {type(sql).__name__}"


def _named_params(named: NamedQuery, params: object) -> Mapping[str, Any] | None:
    if params is None or isinstance(params, Mapping):
        return params
    raise QueryParameterError(
        f"the parameters of a named query are a mapping of name to value, not "
        f"{type(params).__name__}",
        sql=named.name,
    )


def _engine(engine: object) -> SparkEngine | AthenaEngine | None:
    """The engine to run on (``None``: embedded DuckDB)."""
    if isinstance(engine, SparkEngine | AthenaEngine):
        return engine
    if engine == "duckdb":
        return None
    if engine == "spark":
        return SparkEngine()
    if engine == "athena":
        raise InvalidArgumentError(
            "Athena needs a client and a database: engine=AthenaEngine(boto3.client('athena'), "
            "database=...)"
        )
    raise InvalidArgumentError(
        f"engine must be one of {', '.join(map(repr, ENGINES))}, a SparkEngine or an "
        f"AthenaEngine, not {engine!r}"
    )


def _dataset_root(source: object) -> str | None:
    """The dataset root ``source`` names (a directory or an s3:// URI), else ``None``."""
    if isinstance(source, SnapshotDataset):
        return source.root
    if not isinstance(source, str | os.PathLike):
        return None
    text = os.fspath(source)
    if text.startswith("s3://"):
        return text.rstrip("/")
    return text if Path(text).is_dir() else None


def _open_dataset(source: object, root: str) -> SnapshotDataset:
    """The ``SnapshotDataset`` at ``root`` (``source`` itself when it is one)."""
    return source if isinstance(source, SnapshotDataset) else SnapshotDataset(root)


def _committed(dataset: SnapshotDataset) -> tuple[str, ...]:
    """The files of the committed snapshots: what every engine of ``query`` reads.

    A FileNotFoundError when the root holds no committed snapshot (a folder of plain
    snapshot files, or only the files of writes that died).
    """
    files = dataset.files()  # the manifests read once in the common case
    if files or dataset.snapshots():
        return files
    orphans = dataset.orphans()
    found = (
        f"only {len(orphans)} file(s) of writes that never committed (orphans)"
        if orphans
        else "no committed snapshot (_snapshots/<snapshot_id>.json)"
    )
    raise FileNotFoundError(
        f"no snapshot dataset under {dataset.root!r}: {found} (a folder of snapshot "
        "files is read with a glob: 'folder/*.parquet')"
    )


def _shape(names: Sequence[str], rows: list[tuple[Any, ...]], as_: str) -> QueryResult | Any:
    """An engine's columns and rows as the ``as_`` kind (the same kinds for every engine)."""
    if as_ == "records":
        return QueryResult([dict(zip(names, row, strict=True)) for row in rows], columns=names)
    if as_ == "pandas":
        pandas = require("pandas", "pandas", feature='query(..., as_="pandas")')
        return pandas.DataFrame.from_records(rows, columns=list(names))
    pa = require("pyarrow", "arrow", feature='query(..., as_="arrow")')
    arrays = [pa.array([row[index] for row in rows]) for index in range(len(names))]
    return pa.Table.from_arrays(arrays, names=list(names))


def _query_duckdb(
    source: Source,
    sql: str,
    named: NamedQuery | None,
    params: Mapping[str, Any] | Sequence[Any] | None,
    as_: str,
    config: Mapping[str, Any] | None = None,
) -> QueryResult | Any:
    duckdb = require("duckdb", "duckdb", feature="inspector_kit.history.query")
    if as_ == "arrow":
        require("pyarrow", "arrow", feature='query(..., as_="arrow")')
    elif as_ == "pandas":
        require("pandas", "pandas", feature='query(..., as_="pandas")')
    root = _dataset_root(source)
    dataset: SnapshotDataset | None = None
    committed: tuple[str, ...] = ()
    if root is None:
        assert not isinstance(source, SnapshotDataset)  # a dataset always has a root
        files = _paths(source)
        if named is not None:
            raise QueryParameterError(
                "a named query runs over a snapshot dataset root (a directory or an s3:// URI "
                f"in the dataset layout), not over snapshot files: {files[:3]!r}",
                sql=named.name,
                files=files,
            )
    else:
        dataset = _open_dataset(source, root)
        committed = _committed(dataset)
        files = [root]
    if not isinstance(sql, str) or not sql.strip():
        raise SnapshotQueryError(_not_a_query(sql), sql=str(sql), files=files)
    args: Any = params
    if named is not None:
        sql, args = named.render("duckdb", _named_params(named, params))
    # Plain TIMESTAMP (UTC) columns: DuckDB returns TIMESTAMPTZ to Python only via pytz.
    utc_columns = ", ".join(f"CAST({name} AS TIMESTAMP) AS {name}" for name in _TIMESTAMPS)
    if root is None:
        for path in files:
            _check_parquet(path)
        literals = [_literal(path) for path in files]
        reader = f"read_parquet([{', '.join(_sql_string(literal) for literal in literals)}])"
    elif committed and dataset is not None and "://" not in dataset.root:
        # Local: DuckDB's own reader, over the committed files only, each read literally.
        listed = ", ".join(_sql_string(_literal(name)) for name in committed)
        reader = (
            f"read_parquet([{listed}], hive_partitioning = true, "
            "hive_types = {'snapshot_date': DATE, 'aws_account_id': VARCHAR, "
            "'region': VARCHAR})"
        )
    else:
        # S3 (through pyarrow.fs, no DuckDB extension), or no file at all: the committed
        # files as a pyarrow Dataset, scanned by DuckDB a batch at a time.
        reader = "committed"
    try:
        connection = duckdb.connect(":memory:", config=dict(config or {}))
    except duckdb.Error as exc:
        raise InvalidArgumentError(f"duckdb_config: {exc}") from exc
    with connection as con:
        if root is None:
            for path, literal in zip(files, literals, strict=True):
                _check_snapshot(con, duckdb, path, literal)
        elif dataset is not None and reader == "committed":
            con.register("committed", dataset.arrow_dataset())
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute(f"CREATE VIEW findings AS SELECT * REPLACE ({utc_columns}) FROM {reader}")
            if as_ != "records":
                return _table(con, sql, as_, args)
            cursor = con.execute(sql) if args is None else con.execute(sql, args)
            if cursor is None or cursor.description is None:  # only comments
                return QueryResult(columns=())
            names = [column[0] for column in cursor.description]
            # Only a timestamp (or a union, which may hold one) is ever a datetime.
            kinds = [str(column[1]) for column in cursor.description]
            stamps = [i for i, kind in enumerate(kinds) if "TIMESTAMP" in kind]
            unions = [i for i, kind in enumerate(kinds) if kind.startswith("UNION")]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise SnapshotQueryError(str(exc), sql=sql, files=files) from exc
        except (ValueError, OverflowError, TypeError) as exc:  # values Python cannot hold
            raise SnapshotQueryError(
                f"a result cannot be converted to Python: {exc}", sql=sql, files=files
            ) from exc
        records = list(map(dict, map(partial(zip, names), rows)))
        # Timestamps made aware afterwards, column by column: cheaper than rebuilding rows.
        last = {name: index for index, name in enumerate(names)}  # a repeated name: the last
        for index in (*stamps, *unions) if records else ():
            name = names[index]
            if last[name] != index:
                continue
            values = list(map(itemgetter(index), rows))
            if kinds[index] in _PLAIN_TIMESTAMPS:
                aware = _aware_column(values)  # datetimes or None: hashable, they repeat
            else:  # a union (maybe unhashable), or a list/struct/map (left as it is)
                aware = tuple(map(_aware, values))
            for record, value in zip(records, aware, strict=True):
                record[name] = value
        return QueryResult(records, columns=names)


def _table(con: Any, sql: str, as_: str, args: Any = None) -> Any:
    """The result of ``sql`` as an Arrow table or a DataFrame, naive timestamps as UTC."""
    relation = con.sql(sql) if args is None else con.sql(sql, params=args)
    if as_ == "pandas":
        pandas = require("pandas", "pandas", feature='query(..., as_="pandas")')
        if relation is None:  # only comments
            return pandas.DataFrame()
        frame = relation.df()
        for name, kind in frame.dtypes.items():
            if pandas.api.types.is_datetime64_dtype(kind) and getattr(kind, "tz", None) is None:
                frame[name] = frame[name].dt.tz_localize("UTC")
        return frame
    pa = require("pyarrow", "arrow", feature='query(..., as_="arrow")')
    if relation is None:
        return pa.table({})
    # duckdb >= 1.4 names it to_arrow_table (fetch_arrow_table is deprecated there).
    to_arrow = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    table = to_arrow()
    for index, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type) and field.type.tz is None:
            utc = pa.timestamp(field.type.unit, tz="UTC")
            table = table.set_column(index, field.with_type(utc), table.column(index).cast(utc))
    return table


def scan(paths_or_glob: Paths, columns: Iterable[str] | None = None) -> Any:
    """The typed columns of many Parquet snapshots as one ``pyarrow.Table``.

    [`Snapshot.read_columns`][inspector_kit.history.Snapshot.read_columns] of each file (in
    the order named, a glob's matches sorted), concatenated: no finding is decoded and no
    DuckDB is needed. Paths and globs are read as by [`query`][inspector_kit.history.query];
    ``snapshot_taken_at`` tells the snapshots apart.

    Args:
        paths_or_glob: A path, a glob (``"snapshots/*.parquet"``) or several of them.
        columns: The columns wanted (default: every column but ``finding``).

    Returns:
        A ``pyarrow.Table`` (no schema metadata: each file has its own).

    Raises:
        MissingExtraError: pyarrow is not installed.
        FileNotFoundError: a path does not exist, or the glob matches nothing.
        SnapshotError: a file is not a Parquet snapshot, or lacks a column asked for.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from datetime import datetime
        >>> from inspector_kit import sample_findings
        >>> folder = Path(tempfile.mkdtemp())
        >>> for day in (2, 9):
        ...     _ = Snapshot.save(sample_findings(), folder / f"2026-11-{day:02d}.parquet",
        ...                       taken_at=datetime(2026, 11, day))
        >>> table = scan(folder / "*.parquet", ["snapshot_taken_at", "severity"])
        >>> table.num_rows, table.column("snapshot_taken_at").unique().to_pylist()[-1].day
        (548, 9)
    """
    pa = require("pyarrow", "arrow", feature="inspector_kit.history.scan")
    names = None if columns is None else columns if isinstance(columns, str) else list(columns)
    tables = [
        Snapshot.read_columns(path, names).replace_schema_metadata(None)
        for path in _paths(paths_or_glob)
    ]
    return pa.concat_tables(tables)


def _aware_column(values: Sequence[Any]) -> tuple[Any, ...]:
    """``_aware`` of each value, once per distinct value (times repeat across snapshots)."""
    done: dict[Any, Any] = {}
    get = done.get
    out = []
    for value in values:
        aware = get(value, _MISSING)
        if aware is _MISSING:
            aware = done[value] = _aware(value)
        out.append(aware)
    return tuple(out)


_MISSING = object()


def _aware(value: Any) -> Any:
    """A naive datetime (all of the view's are UTC) as aware UTC; anything else unchanged."""
    if value.__class__ is datetime and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)  # the common case, as as_utc would
    if isinstance(value, datetime):
        return as_utc(value, what="", naive="utc")  # DuckDB's TIMESTAMP (no zone) is UTC here
    return value
