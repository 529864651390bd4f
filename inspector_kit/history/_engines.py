"""The engines ``query`` runs SQL on besides embedded DuckDB: Spark and Athena.

Each engine takes the dataset root, the SQL in its own dialect and its parameters, and
gives back column names and rows of Python values (timestamps aware UTC); ``query`` turns
them into the same [`QueryResult`][inspector_kit.history.QueryResult], Arrow table or
DataFrame for every engine. Neither engine is imported until used: pyspark is the ``spark``
extra; Athena needs only the boto3 client you pass (this package never imports boto3).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from inspector_kit.errors import (
    EngineQueryError,
    EngineTimeoutError,
    InvalidArgumentError,
    QueryParameterError,
)
from inspector_kit.formats._extras import require

from ._dataset import DATASET_COLUMNS, _arrow_type

__all__ = ["AthenaEngine", "SparkEngine"]

# The data columns of a dataset file and their types, then the partition columns: derived
# from DATASET_COLUMNS (which follows PARQUET_COLUMNS), never listed here.
_DATA_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (name, _arrow_type(name)) for name in DATASET_COLUMNS
)
_PARTITION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("snapshot_date", "date"),
    ("aws_account_id", "string"),
    ("region", "string"),
)

Rows = tuple[tuple[str, ...], list[tuple[Any, ...]]]


class SparkEngine:
    """Run SQL on Spark: the dataset read with ``spark.read.parquet``, as the view ``findings``.

    The partition columns are read with the layout's types (``snapshot_date`` a DATE,
    ``aws_account_id`` and ``region`` strings, so ``012345678901`` keeps its zero), by an
    explicit schema, whatever the session's partition type inference says. While the query
    runs the session time zone is UTC (restored after), so ``date_trunc`` and dates of
    timestamps mean what they mean on DuckDB and Athena. The temporary view ``findings``
    replaces any view of that name in the session.

    Args:
        session: The ``SparkSession`` to use; ``None`` (the default) gets or creates a local
            one (``local[1]``, UI off, one shuffle partition).

    Examples:
        >>> engine = SparkEngine()  # no JVM is started until a query runs
        >>> engine.name
        'spark'
    """

    name = "spark"

    def __init__(self, session: Any = None) -> None:
        self._session = session

    @property
    def session(self) -> Any:
        """The session queries run in (a local one is created on first use).

        Examples:
            >>> SparkEngine(session="my session").session
            'my session'
        """
        if self._session is None:
            sql = require("pyspark.sql", "spark", feature='query(..., engine="spark")')
            self._session = (
                sql.SparkSession.builder.master("local[1]")
                .appName("inspector_kit")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
        return self._session

    def run(
        self,
        root: str,
        sql: str,
        args: Mapping[str, Any] | Sequence[Any] | None,
        *,
        files: Sequence[str] | None = None,
    ) -> Rows:
        """The columns and rows of ``sql`` (Spark SQL, parameters ``:name`` or ``?``) over ``root``.

        ``files`` are the Parquet files to read (``query`` gives the committed snapshots'
        files, ``SnapshotDataset.files()``), read with ``basePath`` ``root`` so the partition
        columns come from their paths; ``None`` reads every file under ``root``.

        Raises:
            EngineQueryError: Spark rejected the query or could not read the dataset.
            MissingExtraError: pyspark is not installed.

        Examples:
            >>> SparkEngine.run  # doctest: +ELLIPSIS
            <function SparkEngine.run at ...>
        """
        types = require("pyspark.sql.types", "spark", feature='query(..., engine="spark")')
        spark = self.session
        kinds = {
            "string": types.StringType(),
            "double": types.DoubleType(),
            "timestamp": types.TimestampType(),
            "date": types.DateType(),
        }
        schema = types.StructType(
            [
                types.StructField(name, kinds[kind], True)
                for name, kind in (*_DATA_COLUMNS, *_PARTITION_COLUMNS)
            ]
        )
        zone_key = "spark.sql.session.timeZone"
        before = spark.conf.get(zone_key)
        spark.conf.set(zone_key, "UTC")
        try:
            reader = spark.read.schema(schema)
            if files is None:
                frame = reader.parquet(root)
            elif files:
                frame = reader.option("basePath", root).parquet(*files)
            else:  # committed snapshots without a finding
                frame = spark.createDataFrame([], schema)
            frame.createOrReplaceTempView("findings")
            frame = spark.sql(sql, args=args) if args else spark.sql(sql)
            fields = frame.schema.fields
            rows = frame.collect()
        except Exception as exc:  # pyspark's errors and py4j's: all mean "the query failed"
            if type(exc).__module__.split(".")[0] not in {"pyspark", "py4j"}:
                raise
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineQueryError(reason, sql=sql, files=(root,), engine="spark") from exc
        finally:
            spark.conf.set(zone_key, before)
        stamps = [
            i for i, field in enumerate(fields) if isinstance(field.dataType, types.TimestampType)
        ]
        naive = [
            i
            for i, field in enumerate(fields)
            if type(field.dataType).__name__ == "TimestampNTZType"
        ]
        out = []
        for row in rows:
            values = list(row)
            for i in stamps:  # pyspark gives the instant as naive local time of this process
                if values[i] is not None:
                    values[i] = values[i].astimezone(timezone.utc)
            for i in naive:  # wall time in the session zone, UTC here
                if values[i] is not None:
                    values[i] = values[i].replace(tzinfo=timezone.utc)
            out.append(tuple(values))
        return tuple(field.name for field in fields), out


# Athena's result rows are strings; these types are converted (the rest stay strings):
# https://docs.aws.amazon.com/athena/latest/ug/data-types.html
_INTEGERS = frozenset({"tinyint", "smallint", "integer", "int", "bigint"})
_FLOATS = frozenset({"double", "float", "real"})
_STATES_DONE = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})
_MAX_RESULTS = 1000  # GetQueryResults' MaxResults: 1 to 1000


class AthenaEngine:
    """Run SQL on Amazon Athena over a table of the snapshot dataset.

    The query is started with ``StartQueryExecution`` (in ``database``, on ``workgroup``,
    results to ``output_location`` when given), then ``GetQueryExecution`` is polled with
    exponential backoff until the query is ``SUCCEEDED``, ``FAILED`` or ``CANCELLED``, or
    ``timeout`` seconds have passed (then ``StopQueryExecution`` is called and
    [`EngineTimeoutError`][inspector_kit.errors.EngineTimeoutError] raised). Every page of
    ``GetQueryResults`` is read (1000 rows a page), the header row Athena puts first is
    dropped, and each value (Athena returns strings) is converted by its column's type:
    integers, floats, decimals, booleans, dates and timestamps (aware UTC); other types
    stay strings.

    Named queries read the table ``table`` (``findings`` by default) of ``database``; SQL
    you write yourself runs as written, with ``database`` as its default database.

    Args:
        client: A boto3 Athena client (``boto3.client("athena")``).
        database: The Glue database holding the table.
        table: The Glue table over the dataset (named queries read ``database.table``).
        workgroup: The workgroup (``None``: the client's default, ``primary``).
        output_location: ``s3://`` URI for the results (``None``: the workgroup's).
        timeout: Seconds to wait for the query.
        sleep: How to wait between polls (tests pass a fake).
        clock: A monotonic clock in seconds (tests pass a fake).

    Examples:
        A fake client standing in for boto3's, answering like Athena does:

        >>> class FakeAthena:
        ...     def start_query_execution(self, **kwargs):
        ...         return {"QueryExecutionId": "q-1"}
        ...     def get_query_execution(self, QueryExecutionId):
        ...         return {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}}
        ...     def get_query_results(self, **kwargs):
        ...         columns = [{"Name": "severity", "Type": "varchar"},
        ...                    {"Name": "n", "Type": "bigint"}]
        ...         rows = [["severity", "n"], ["CRITICAL", "3"]]
        ...         return {"ResultSet": {"ResultSetMetadata": {"ColumnInfo": columns},
        ...                 "Rows": [{"Data": [{"VarCharValue": v} for v in r]} for r in rows]}}
        >>> engine = AthenaEngine(FakeAthena(), database="inspector")
        >>> engine.run("s3://bucket/findings", "SELECT severity, count(*) AS n ...", None)
        (('severity', 'n'), [('CRITICAL', 3)])
    """

    name = "athena"

    def __init__(
        self,
        client: Any,
        *,
        database: str,
        table: str = "findings",
        workgroup: str | None = None,
        output_location: str | None = None,
        timeout: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not database or not isinstance(database, str):
            raise InvalidArgumentError(f"database must be a Glue database name, not {database!r}")
        if timeout <= 0:
            raise InvalidArgumentError(f"timeout must be positive, not {timeout!r}")
        self.client = client
        self.database = database
        self.table = table
        self.workgroup = workgroup
        self.output_location = output_location
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock

    @property
    def qualified_table(self) -> str:
        """``database.table``: what named queries read.

        Examples:
            >>> AthenaEngine(object(), database="inspector").qualified_table
            'inspector.findings'
        """
        return f"{self.database}.{self.table}"

    def run(self, root: str, sql: str, args: Sequence[str] | None) -> Rows:
        """The columns and rows of ``sql`` (Athena SQL, positional ``?`` parameters).

        Raises:
            EngineQueryError: the query ended ``FAILED`` or ``CANCELLED`` (Athena's reason
                in the message), or a call to Athena failed.
            EngineTimeoutError: the query still ran after ``timeout`` seconds.

        Examples:
            >>> AthenaEngine.run  # doctest: +ELLIPSIS
            <function AthenaEngine.run at ...>
        """
        request: dict[str, Any] = {
            "QueryString": sql,
            "QueryExecutionContext": {"Database": self.database},
        }
        if self.workgroup is not None:
            request["WorkGroup"] = self.workgroup
        if self.output_location is not None:
            request["ResultConfiguration"] = {"OutputLocation": self.output_location}
        if isinstance(args, Mapping | str):
            raise QueryParameterError(
                "Athena's parameters are positional (?): give a list of SQL literals, "
                f"not {type(args).__name__}",
                sql=sql,
                files=(root,),
            )
        if args:
            request["ExecutionParameters"] = [str(value) for value in args]
        started = self._call("StartQueryExecution", sql, root, None, **request)
        query_id = str(started["QueryExecutionId"])
        self._wait(query_id, sql, root)
        return self._results(query_id, sql, root)

    def _call(self, operation: str, sql: str, root: str, query_id: str | None, **kw: Any) -> Any:
        method = getattr(self.client, _snake(operation))
        try:
            return method(**kw)
        except Exception as exc:
            response = getattr(exc, "response", None)  # botocore's ClientError
            if not isinstance(response, Mapping):
                raise
            error = response.get("Error", {})
            reason = f"{operation}: {error.get('Code', '?')}: {error.get('Message', exc)}"
            raise EngineQueryError(
                reason, sql=sql, files=(root,), engine="athena", query_execution_id=query_id
            ) from exc

    def _wait(self, query_id: str, sql: str, root: str) -> None:
        deadline = self._clock() + self.timeout
        delay = 0.25
        while True:
            answer = self._call("GetQueryExecution", sql, root, query_id, QueryExecutionId=query_id)
            status = answer["QueryExecution"].get("Status", {})
            state = status.get("State", "QUEUED")
            if state == "SUCCEEDED":
                return
            if state in _STATES_DONE:
                reason = status.get("StateChangeReason") or "no reason given"
                error = status.get("AthenaError") or {}
                if error.get("ErrorMessage") and error["ErrorMessage"] not in reason:
                    reason = f"{reason} ({error['ErrorMessage']})"
                raise EngineQueryError(
                    reason,
                    sql=sql,
                    files=(root,),
                    engine="athena",
                    state=state,
                    query_execution_id=query_id,
                )
            left = deadline - self._clock()
            if left <= 0:
                with contextlib.suppress(EngineQueryError):  # stopping is best effort
                    self._call("StopQueryExecution", sql, root, query_id, QueryExecutionId=query_id)
                raise EngineTimeoutError(
                    f"still {state} after {self.timeout:g} s (asked to stop)",
                    sql=sql,
                    files=(root,),
                    engine="athena",
                    state=state,
                    query_execution_id=query_id,
                )
            self._sleep(min(delay, left))
            delay = min(delay * 2, 5.0)

    def _results(self, query_id: str, sql: str, root: str) -> Rows:
        names: tuple[str, ...] = ()
        converters: list[Callable[[str], Any]] = []
        rows: list[tuple[Any, ...]] = []
        token: str | None = None
        seen: set[str] = set()
        first = True
        while True:
            request: dict[str, Any] = {"QueryExecutionId": query_id, "MaxResults": _MAX_RESULTS}
            if token is not None:
                request["NextToken"] = token
            page = self._call("GetQueryResults", sql, root, query_id, **request)
            result = page.get("ResultSet", {})
            if first:
                info = result.get("ResultSetMetadata", {}).get("ColumnInfo", [])
                names = tuple(column["Name"] for column in info)
                converters = [_converter(column.get("Type", "varchar")) for column in info]
            raw = [
                tuple(datum.get("VarCharValue") for datum in row.get("Data", []))
                for row in result.get("Rows", [])
            ]
            # A SELECT's first row is its header (the column names).
            if first and raw and raw[0] == names:
                raw = raw[1:]
            first = False
            for values in raw:
                try:
                    rows.append(
                        tuple(
                            None if value is None else convert(value)
                            for convert, value in zip(converters, values, strict=True)
                        )
                    )
                except (ValueError, InvalidOperation) as exc:
                    raise EngineQueryError(
                        f"a value does not fit its column type: {exc}",
                        sql=sql,
                        files=(root,),
                        engine="athena",
                        query_execution_id=query_id,
                    ) from exc
            token = page.get("NextToken")
            if not token:
                return names, rows
            if token in seen:
                raise EngineQueryError(
                    "GetQueryResults repeated a page token",
                    sql=sql,
                    files=(root,),
                    engine="athena",
                    query_execution_id=query_id,
                )
            seen.add(token)


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def _converter(kind: str) -> Callable[[str], Any]:
    """How to turn Athena's string for a value of type ``kind`` into Python."""
    base = kind.lower().split("(", 1)[0].strip()
    if base in _INTEGERS:
        return int
    if base in _FLOATS:
        return float
    if base == "decimal":
        return Decimal
    if base == "boolean":
        return _boolean
    if base == "date":
        return date.fromisoformat
    if base.startswith("timestamp"):
        return _timestamp
    return str


def _boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(f"not a boolean: {text!r}")
    return text == "true"


def _timestamp(text: str) -> datetime:
    """``2026-11-02 08:00:00.000`` (UTC) or ``... UTC`` / ``... +01:00`` as aware UTC."""
    value, _, zone = text.strip().partition(" ")[2].partition(" ")
    day = text.strip().partition(" ")[0]
    parsed = datetime.fromisoformat(f"{day}T{value}")
    if zone in ("", "UTC", "Z"):
        return parsed.replace(tzinfo=timezone.utc)
    if zone[0] in "+-":
        hours, _, minutes = zone[1:].partition(":")
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return (parsed - offset if zone[0] == "+" else parsed + offset).replace(tzinfo=timezone.utc)
    from zoneinfo import ZoneInfo

    return parsed.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
