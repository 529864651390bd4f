"""SQL over Parquet snapshots with DuckDB: [`query`][inspector_kit.history.query]."""

from __future__ import annotations

import glob
import os
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_kit.errors import SnapshotError, SnapshotQueryError
from inspector_kit.formats import RecordsMixin, RecordValue
from inspector_kit.formats._extras import require
from inspector_kit.models._time import as_utc

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["OPEN_CRITICALS_PER_WEEK", "QueryResult", "query"]

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


def query(
    paths_or_glob: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], sql: str
) -> QueryResult:
    """Run ``sql`` over Parquet snapshots, as the view ``findings``; return the rows.

    Needs the ``duckdb`` extra (``pip install 'inspector-kit[duckdb]'``). The view holds
    every row of every file ([`PARQUET_COLUMNS`][inspector_kit.history.PARQUET_COLUMNS]), including
    ``snapshot_taken_at``, the time of the snapshot each row comes from. Its timestamp
    columns are DuckDB ``TIMESTAMP`` in UTC (not ``TIMESTAMPTZ``, which DuckDB converts to
    Python only with pytz installed); naive datetimes in the results are returned as
    aware UTC. Only Parquet snapshots can be queried (save with a ``.parquet`` path).

    Args:
        paths_or_glob: A path, a glob (``"snapshots/*.parquet"``) or several of them.
        sql: A DuckDB query over ``findings``.

    Returns:
        One dict per row, column name to value (timestamps as aware datetimes): a
        [`QueryResult`][inspector_kit.history.QueryResult], a list that also knows its ``columns``.

    File names: a path naming an existing file is read as that one file, whatever
    characters its name holds (``a*b.parquet``, quotes); any other path holding ``*``,
    ``?`` or ``[`` is a glob, expanded with Python's ``glob`` rules (use
    ``glob.escape`` for a folder whose name holds them), and each file it matches is
    read once, literally (DuckDB's own glob expansion is never applied to a file name).

    Raises:
        MissingExtraError: DuckDB is not installed.
        FileNotFoundError: a path does not exist, or the glob matches nothing.
        SnapshotError: a file is not Parquet, or not a snapshot (no ``snapshot_taken_at``
            column, ...); the error names the file (and the column).
        SnapshotQueryError: DuckDB rejected the query (syntax, an unknown column or
            function) or could not read a file; the error names the query and the files,
            and DuckDB's exception is the ``__cause__``.

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
    """
    duckdb = require("duckdb", "duckdb", feature="inspector_kit.history.query")
    files = _paths(paths_or_glob)
    if not isinstance(sql, str) or not sql.strip():
        what = "an empty query" if isinstance(sql, str) else f"not a query: {type(sql).__name__}"
        raise SnapshotQueryError(what, sql=str(sql), files=files)
    for path in files:
        _check_parquet(path)
    literals = [_literal(path) for path in files]
    with duckdb.connect(":memory:") as con:
        for path, literal in zip(files, literals, strict=True):
            _check_snapshot(con, duckdb, path, literal)
        listed = ", ".join(_sql_string(literal) for literal in literals)
        try:
            con.execute("SET TimeZone = 'UTC'")
            # Plain TIMESTAMP (UTC) columns: DuckDB returns TIMESTAMPTZ to Python only via
            # pytz.
            utc_columns = ", ".join(f"CAST({name} AS TIMESTAMP) AS {name}" for name in _TIMESTAMPS)
            con.execute(
                f"CREATE VIEW findings AS SELECT * REPLACE ({utc_columns}) "
                f"FROM read_parquet([{listed}])"
            )
            cursor = con.execute(sql)
            if cursor is None or cursor.description is None:  # only comments
                return QueryResult(columns=())
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise SnapshotQueryError(str(exc), sql=sql, files=files) from exc
        except (ValueError, OverflowError, TypeError) as exc:  # values Python cannot hold
            raise SnapshotQueryError(
                f"a result cannot be converted to Python: {exc}", sql=sql, files=files
            ) from exc
        return QueryResult(
            ({name: _aware(value) for name, value in zip(names, row, strict=True)} for row in rows),
            columns=names,
        )


def _aware(value: Any) -> Any:
    """A naive datetime (all of the view's are UTC) as aware UTC; anything else unchanged."""
    if isinstance(value, datetime):
        return as_utc(value, what="", naive="utc")  # DuckDB's TIMESTAMP (no zone) is UTC here
    return value
