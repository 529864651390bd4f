"""SQL over Parquet snapshots with DuckDB: :func:`query`."""

from __future__ import annotations

import glob
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_kit.formats._extras import require

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["OPEN_CRITICALS_PER_WEEK", "query"]

OPEN_CRITICALS_PER_WEEK = """\
SELECT strftime(snapshot_taken_at, '%G-W%V') AS week,
       aws_account_id,
       count(*) AS open_criticals
FROM findings
WHERE severity = 'CRITICAL' AND status = 'ACTIVE'
GROUP BY ALL
ORDER BY ALL"""
"""Open criticals per week per account: the example query of :func:`query`."""


_TIMESTAMPS = ("first_observed_at", "last_observed_at", "updated_at", "snapshot_taken_at")


def _paths(paths_or_glob: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    items = [paths_or_glob] if isinstance(paths_or_glob, (str, os.PathLike)) else paths_or_glob
    found: list[str] = []
    for item in items:
        text = os.fspath(item)
        if glob.has_magic(text):
            found += sorted(glob.glob(text))
        else:
            found.append(text)
    if not found:
        raise FileNotFoundError(f"no Parquet snapshot matches {paths_or_glob!r}")
    missing = [p for p in found if not Path(p).is_file()]
    if missing:
        raise FileNotFoundError(f"no Parquet snapshot at {missing!r}")
    return found


def query(
    paths_or_glob: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], sql: str
) -> list[dict[str, Any]]:
    """Run ``sql`` over Parquet snapshots, as the view ``findings``; return the rows.

    Needs the ``duckdb`` extra (``pip install 'inspector-kit[duckdb]'``). The view holds
    every row of every file (:data:`~inspector_kit.history.PARQUET_COLUMNS`), including
    ``snapshot_taken_at``, the time of the snapshot each row comes from. Its timestamp
    columns are DuckDB ``TIMESTAMP`` in UTC (not ``TIMESTAMPTZ``, which DuckDB converts to
    Python only with pytz installed); naive datetimes in the results are returned as
    aware UTC. Only Parquet snapshots can be queried (save with a ``.parquet`` path).

    Args:
        paths_or_glob: A path, a glob (``"snapshots/*.parquet"``) or several of them.
        sql: A DuckDB query over ``findings``.

    Returns:
        One dict per row, column name to value (timestamps as aware datetimes).

    Raises:
        MissingExtraError: DuckDB is not installed.
        FileNotFoundError: a path does not exist, or the glob matches nothing.

    Example:
        Open criticals per week per account, from weekly snapshots
        (:data:`OPEN_CRITICALS_PER_WEEK`):

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
    listed = ", ".join("'" + path.replace("'", "''") + "'" for path in files)
    with duckdb.connect(":memory:") as con:
        con.execute("SET TimeZone = 'UTC'")
        # Plain TIMESTAMP (UTC) columns: DuckDB returns TIMESTAMPTZ to Python only via pytz.
        utc_columns = ", ".join(f"CAST({name} AS TIMESTAMP) AS {name}" for name in _TIMESTAMPS)
        con.execute(
            f"CREATE VIEW findings AS SELECT * REPLACE ({utc_columns}) "
            f"FROM read_parquet([{listed}])"
        )
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [
            {name: _aware(value) for name, value in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]


def _aware(value: Any) -> Any:
    """A naive datetime (all of the view's are UTC) as aware UTC; anything else unchanged."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value
