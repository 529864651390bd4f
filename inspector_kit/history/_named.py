"""The library's named queries: one SQL text each, run on DuckDB, Spark and Athena.

Each query is written once, in DuckDB's dialect, over the relation ``findings`` of a snapshot
dataset (the data columns of a snapshot plus ``snapshot_date``, ``aws_account_id`` and
``region`` from the partition path). DuckDB runs the text as written; for Spark and Athena
(Trino) it is transpiled with sqlglot (extra ``sql``). Parameters are never pasted into the
text: each is checked (a snapshot id is a short run of letters, digits and ``._:+-``) and
bound as the engine's own query parameter (DuckDB ``$name``, Spark ``:name``, Athena's
positional ``?`` with ``ExecutionParameters``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import InvalidArgumentError, QueryParameterError
from inspector_kit.formats._extras import require

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ENGINES", "NAMED_QUERIES", "NamedQuery"]

ENGINES = ("duckdb", "spark", "athena")
"""The engines [`query`][inspector_kit.history.query] runs SQL on (its ``engine`` argument)."""

# The sqlglot dialect each engine speaks (Athena engine version 3 is Trino).
_DIALECTS = {"duckdb": "duckdb", "spark": "spark", "athena": "trino"}
_SNAPSHOT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}")

# Severities most severe first, as severity_rank orders them; an unknown one sorts last.
_SEVERITY_ORDER = """CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2
           WHEN 'LOW' THEN 3 WHEN 'INFORMATIONAL' THEN 4 WHEN 'UNTRIAGED' THEN 5 ELSE 6 END"""


@attrs.frozen
class NamedQuery:
    """One named query: its SQL (DuckDB dialect) and the parameters it takes.

    Attributes:
        name: The name [`query`][inspector_kit.history.query] takes instead of SQL.
        sql: The query over ``findings``, in DuckDB's dialect, parameters as ``$name``.
        parameters: The names of its parameters (all required), in the order they first appear.
        description: What each row means.

    Examples:
        >>> q = NAMED_QUERIES["diff"]
        >>> q.parameters
        ('old', 'new')
        >>> sql, args = q.render("duckdb", {"old": "s-1", "new": "s-2"})
        >>> "$old" in sql, args
        (True, {'old': 's-1', 'new': 's-2'})
    """

    name: str
    sql: str
    parameters: tuple[str, ...]
    description: str

    def render(
        self, engine: str, params: Mapping[str, Any] | None = None, *, table: str | None = None
    ) -> tuple[str, Any]:
        """The SQL for ``engine`` and its parameters, checked, in the engine's form.

        Args:
            engine: One of [`ENGINES`][inspector_kit.history.ENGINES].
            params: A value for each of ``parameters`` (snapshot ids: strings of letters,
                digits and ``._:+-``, at most 128 characters).
            table: The name to read instead of ``findings`` (Athena: ``database.table``).

        Returns:
            ``(sql, args)``: for DuckDB and Spark, ``args`` is a dict of name to value; for
            Athena, the list of ``ExecutionParameters`` in the order of the ``?`` in the
            SQL (each a quoted SQL string literal, as Athena takes them).

        Raises:
            QueryParameterError: a parameter is missing, not expected, or not valid.
            InvalidArgumentError: ``engine`` is not one of ``ENGINES``.
            MissingExtraError: sqlglot is not installed (Spark and Athena only).

        Examples:
            >>> sql, args = NAMED_QUERIES["diff"].render("athena", {"old": "a", "new": "b"},
            ...                                          table="db.findings")
            >>> sql.count("?"), args, "db.findings" in sql
            (2, ["'a'", "'b'"], True)
            >>> NAMED_QUERIES["diff"].render("spark", {"old": "a"})  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            inspector_kit.errors.QueryParameterError: ...: missing parameter 'new'
        """
        _check_engine(engine)
        values = self.check(params)
        if engine == "duckdb" and table is None:
            return self.sql, values
        sqlglot = require("sqlglot", "sql", feature=f"the named query {self.name!r} on {engine}")
        exp = sqlglot.exp
        tree = sqlglot.parse_one(self.sql, read="duckdb")
        if table is not None:
            target = sqlglot.parse_one(table, into=exp.Table, read=_DIALECTS[engine])
            for node in tree.find_all(exp.Table):
                if node.name == "findings" and not node.args.get("db"):
                    for part in ("this", "db", "catalog"):
                        value = target.args.get(part)
                        node.set(part, None if value is None else value.copy())
        if engine != "athena":
            return tree.sql(dialect=_DIALECTS[engine]), values
        order: list[str] = []
        for node in list(tree.find_all(exp.Placeholder)):
            order.append(str(node.this))
            node.replace(exp.Placeholder())
        # Athena's execution parameters are SQL literals; the values are checked above.
        return tree.sql(dialect="trino"), [_quote(values[name]) for name in order]

    def check(self, params: Mapping[str, Any] | None) -> dict[str, str]:
        """The parameters, checked: each expected one present and a valid snapshot id.

        Examples:
            >>> NAMED_QUERIES["diff"].check({"old": "2026-11-02", "new": "2026-11-09"})
            {'old': '2026-11-02', 'new': '2026-11-09'}
            >>> NAMED_QUERIES["trend"].check({"old": "x"})  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            inspector_kit.errors.QueryParameterError: ...: unexpected parameter 'old' (trend ...)
        """
        given = dict(params or {})
        for name in given:
            if name not in self.parameters:
                takes = ", ".join(self.parameters) or "none"
                raise QueryParameterError(
                    f"unexpected parameter {name!r} ({self.name} takes {takes})", sql=self.name
                )
        values: dict[str, str] = {}
        for name in self.parameters:
            if name not in given:
                raise QueryParameterError(f"missing parameter {name!r}", sql=self.name)
            value = given[name]
            if not isinstance(value, str) or not _SNAPSHOT_ID.fullmatch(value):
                raise QueryParameterError(
                    f"parameter {name!r} must be a snapshot id (letters, digits and ._:+-, "
                    f"at most 128), not {value!r}",
                    sql=self.name,
                )
            values[name] = value
        return values


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise InvalidArgumentError(
            f"engine must be one of {', '.join(map(repr, ENGINES))}, not {engine!r}"
        )


_OPEN_CRITICALS_PER_WEEK = """\
SELECT CAST(date_trunc('week', snapshot_taken_at) AS DATE) AS week,
       aws_account_id,
       count(DISTINCT finding_arn) AS open_criticals
FROM findings
WHERE severity = 'CRITICAL' AND status = 'ACTIVE'
GROUP BY CAST(date_trunc('week', snapshot_taken_at) AS DATE), aws_account_id
ORDER BY week, aws_account_id"""

_TREND = """\
SELECT snapshot_id, snapshot_taken_at, severity, status, count(*) AS findings
FROM findings
GROUP BY snapshot_id, snapshot_taken_at, severity, status
ORDER BY snapshot_taken_at, snapshot_id, severity, status"""

# The pairs of consecutive snapshots (by time, then id); a finding ACTIVE in one and CLOSED
# in the next, or absent from it, was remediated: as FindingsDiff.resolved with snapshots of
# the whole estate. Closed at: the CLOSED finding's updated_at, else the next snapshot's time.
_MTTR_BY_SEVERITY = f"""\
WITH snapshots AS (
    SELECT snapshot_id,
           lead(snapshot_id) OVER (ORDER BY snapshot_taken_at, snapshot_id) AS next_id,
           lead(snapshot_taken_at) OVER (ORDER BY snapshot_taken_at, snapshot_id) AS next_at
    FROM (SELECT DISTINCT snapshot_id, snapshot_taken_at FROM findings) AS taken
),
resolved AS (
    SELECT coalesce(later.severity, earlier.severity) AS severity,
           coalesce(later.first_observed_at, earlier.first_observed_at) AS first_observed_at,
           CASE WHEN later.finding_arn IS NULL THEN s.next_at
                ELSE coalesce(later.updated_at, s.next_at) END AS closed_at
    FROM findings AS earlier
    JOIN snapshots AS s ON earlier.snapshot_id = s.snapshot_id
    LEFT JOIN findings AS later
      ON later.snapshot_id = s.next_id AND later.finding_arn = earlier.finding_arn
    WHERE earlier.status = 'ACTIVE' AND s.next_id IS NOT NULL
      AND (later.finding_arn IS NULL OR later.status = 'CLOSED')
)
SELECT severity,
       count(*) AS resolved,
       avg(date_diff('millisecond', first_observed_at, closed_at)) / 1000.0
           AS mean_seconds_to_remediate
FROM resolved
GROUP BY severity
ORDER BY {_SEVERITY_ORDER}, severity"""

# One row per finding in either snapshot that changed, under the first kind of CHANGE_KINDS
# it belongs to (as FindingsDiff.to_records; "unobserved" never: a dataset snapshot covers
# the whole estate).
_DIFF = """\
WITH earlier AS (
    SELECT finding_arn, status, severity FROM findings WHERE snapshot_id = $old
),
later AS (
    SELECT finding_arn, status, severity FROM findings WHERE snapshot_id = $new
),
pairs AS (
    SELECT coalesce(later.finding_arn, earlier.finding_arn) AS finding_arn,
           earlier.status AS old_status, later.status AS new_status,
           earlier.severity AS old_severity, later.severity AS new_severity
    FROM earlier FULL OUTER JOIN later ON earlier.finding_arn = later.finding_arn
),
changes AS (
    SELECT finding_arn,
           CASE WHEN old_status IS NULL AND new_status = 'ACTIVE' THEN 'new'
                WHEN old_status = 'ACTIVE' AND (new_status IS NULL OR new_status = 'CLOSED')
                    THEN 'resolved'
                WHEN old_status = 'CLOSED' AND new_status = 'ACTIVE' THEN 'reopened'
                WHEN old_status = 'ACTIVE' AND new_status = 'ACTIVE' THEN 'still_open'
                WHEN old_severity <> new_severity THEN 'severity_changed'
           END AS change,
           coalesce(new_severity, old_severity) AS severity,
           CASE WHEN old_severity <> new_severity THEN old_severity END AS old_severity
    FROM pairs
)
SELECT change, finding_arn, severity, old_severity
FROM changes
WHERE change IS NOT NULL
ORDER BY CASE change WHEN 'new' THEN 0 WHEN 'resolved' THEN 1 WHEN 'reopened' THEN 2
                     WHEN 'still_open' THEN 3 ELSE 5 END, finding_arn"""

NAMED_QUERIES: dict[str, NamedQuery] = {
    query.name: query
    for query in (
        NamedQuery(
            "open_criticals_per_week",
            _OPEN_CRITICALS_PER_WEEK,
            (),
            "Per ISO week (its Monday, a DATE, in UTC) and account: the CRITICAL findings "
            "ACTIVE in any snapshot of that week, each counted once.",
        ),
        NamedQuery(
            "mttr_by_severity",
            _MTTR_BY_SEVERITY,
            (),
            "Per severity: findings remediated between consecutive snapshots (ACTIVE, then "
            "CLOSED or gone) and their mean seconds from first observed to closed.",
        ),
        NamedQuery(
            "diff",
            _DIFF,
            ("old", "new"),
            "Between snapshots old and new: each changed finding, its change (new, resolved, "
            "reopened, still_open, severity_changed), severity and old severity if changed.",
        ),
        NamedQuery(
            "trend",
            _TREND,
            (),
            "Per snapshot, severity and status: the number of findings.",
        ),
    )
}
"""The named queries by name: what [`query`][inspector_kit.history.query] takes instead of SQL.

Examples:
    >>> sorted(NAMED_QUERIES)
    ['diff', 'mttr_by_severity', 'open_criticals_per_week', 'trend']
"""
