"""The Athena engine: plumbing against moto and botocore's Stubber, SQL checked with sqlglot.

Athena facts the engine relies on (read 2026-12-04):
- QueryExecutionStatus.State is QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED; a query may
  go from RUNNING back to QUEUED; FAILED is terminal
  (https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html).
- GetQueryResults: MaxResults 1 to 1000, NextToken pages; every value is a string
  (``VarCharValue``) and ResultSetMetadata.ColumnInfo gives each column's Type
  (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
- A SELECT's first result row holds the column names (the AWS CLI's get-query-results
  example, https://github.com/aws/aws-cli/blob/develop/awscli/examples/athena/get-query-results.rst).
- Execution parameters fill ``?`` placeholders, in order
  (https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements-querying-using-execution-parameters.html).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from inspector_kit.errors import EngineQueryError, EngineTimeoutError, InvalidArgumentError
from inspector_kit.history import NAMED_QUERIES, AthenaEngine, query

from .test_named_queries import hand_snapshots, write_dataset

sqlglot = pytest.importorskip("sqlglot")
pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

UTC = timezone.utc
ROOT = "s3://inspector-findings/dataset"
REGION = "us-east-1"


def _client() -> Any:
    return boto3.client("athena", region_name=REGION)


def _rows(*rows: tuple[str | None, ...]) -> list[dict[str, Any]]:
    return [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]} for row in rows]


def _columns(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"Name": name, "Label": name, "Type": kind, "Nullable": "UNKNOWN", "CaseSensitive": True}
        for name, kind in pairs
    ]


def _athena_text(value: Any) -> str | None:
    """A Python value as Athena's GetQueryResults writes it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    return str(value)


# --------------------------------------------------------------------------- moto


@pytest.fixture
def moto_athena() -> Any:
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        yield _client()


def _inject(rows: list[dict[str, Any]], columns: list[dict[str, Any]]) -> None:
    """Queue a result in moto's Athena (its documented results queue)."""
    from moto.athena.models import QueryResults, athena_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    backend = athena_backends[DEFAULT_ACCOUNT_ID][REGION]
    backend.query_results_queue.append(QueryResults(rows=rows, column_info=columns))


def test_trend_on_athena_gives_what_duckdb_gives(moto_athena: Any, tmp_path: Path) -> None:
    root = write_dataset(tmp_path, hand_snapshots())
    truth = query(root, "trend")
    kinds = {
        "snapshot_id": "varchar",
        "snapshot_taken_at": "timestamp",
        "severity": "varchar",
        "status": "varchar",
        "findings": "bigint",
    }
    header = tuple(truth.columns)
    body = [tuple(_athena_text(row[c]) for c in header) for row in truth]
    _inject(_rows(header, *body), _columns(*((c, kinds[c]) for c in header)))
    engine = AthenaEngine(moto_athena, database="inspector", output_location="s3://results/")
    got = query(ROOT, "trend", engine=engine)
    assert got.columns == truth.columns
    assert list(got) == list(truth)
    # What Athena was asked: Trino SQL over inspector.findings, in that database.
    ids = moto_athena.list_query_executions()["QueryExecutionIds"]
    execution = moto_athena.get_query_execution(QueryExecutionId=ids[0])["QueryExecution"]
    assert execution["QueryExecutionContext"]["Database"] == "inspector"
    tree = sqlglot.parse_one(execution["Query"], read="trino")
    assert {t.sql(dialect="trino") for t in tree.find_all(sqlglot.exp.Table)} == {
        "inspector.findings"
    }


def test_diff_on_athena_passes_the_ids_as_execution_parameters(moto_athena: Any) -> None:
    _inject(
        _rows(
            ("change", "finding_arn", "severity", "old_severity"), ("new", "arn:f/1", "HIGH", None)
        ),
        _columns(
            ("change", "varchar"),
            ("finding_arn", "varchar"),
            ("severity", "varchar"),
            ("old_severity", "varchar"),
        ),
    )
    engine = AthenaEngine(moto_athena, database="inspector", table="snapshots")
    got = query(ROOT, "diff", params={"old": "s-1", "new": "s-2"}, engine=engine)
    assert got == [
        {"change": "new", "finding_arn": "arn:f/1", "severity": "HIGH", "old_severity": None}
    ]
    ids = moto_athena.list_query_executions()["QueryExecutionIds"]
    execution = moto_athena.get_query_execution(QueryExecutionId=ids[0])["QueryExecution"]
    assert execution["ExecutionParameters"] == ["'s-1'", "'s-2'"]
    sql = execution["Query"]
    assert sql.count("?") == 2 and "s-1" not in sql
    tables = {
        t.sql(dialect="trino")
        for t in sqlglot.parse_one(sql, read="trino").find_all(sqlglot.exp.Table)
    }
    assert "inspector.snapshots" in tables


def test_athena_results_as_arrow_and_pandas(moto_athena: Any) -> None:
    columns = _columns(
        ("week", "date"), ("aws_account_id", "varchar"), ("open_criticals", "bigint")
    )
    rows = _rows(("week", "aws_account_id", "open_criticals"), ("2026-11-02", "012345678901", "2"))
    engine = AthenaEngine(moto_athena, database="inspector")
    _inject(rows, columns)
    table = query(ROOT, "open_criticals_per_week", engine=engine, as_="arrow")
    assert table.to_pylist() == [
        {"week": date(2026, 11, 2), "aws_account_id": "012345678901", "open_criticals": 2}
    ]
    pytest.importorskip("pandas")
    _inject(rows, columns)
    frame = query(ROOT, "open_criticals_per_week", engine=engine, as_="pandas")
    assert frame.to_dict("records") == table.to_pylist()


# --------------------------------------------------------------------------- Stubber


def _stubbed(*steps: tuple[str, dict[str, Any], dict[str, Any] | None]) -> tuple[Any, Stubber]:
    client = _client()
    stubber = Stubber(client)
    for operation, response, expected in steps:
        stubber.add_response(operation, response, expected)
    stubber.activate()
    return client, stubber


def _state(state: str, **status: Any) -> dict[str, Any]:
    return {"QueryExecution": {"QueryExecutionId": "q-1", "Status": {"State": state, **status}}}


START = ("start_query_execution", {"QueryExecutionId": "q-1"}, None)


def test_a_failed_query_is_an_error_with_athenas_reason() -> None:
    reason = "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved"
    client, stubber = _stubbed(
        START,
        ("get_query_execution", _state("QUEUED"), {"QueryExecutionId": "q-1"}),
        ("get_query_execution", _state("RUNNING"), {"QueryExecutionId": "q-1"}),
        ("get_query_execution", _state("FAILED", StateChangeReason=reason), None),
    )
    sleeps: list[float] = []
    engine = AthenaEngine(client, database="inspector", sleep=sleeps.append)
    with pytest.raises(EngineQueryError) as caught:
        query(ROOT, "SELECT nope FROM findings", engine=engine)
    err = caught.value
    assert (err.state, err.query_execution_id, err.engine) == ("FAILED", "q-1", "athena")
    assert reason in str(err) and ROOT in str(err)
    assert sleeps == [0.25, 0.5]  # backoff between polls
    stubber.assert_no_pending_responses()


def test_a_cancelled_query_is_an_error() -> None:
    client, _ = _stubbed(
        START, ("get_query_execution", _state("CANCELLED", StateChangeReason="stopped"), None)
    )
    engine = AthenaEngine(client, database="inspector", sleep=lambda _: None)
    with pytest.raises(EngineQueryError, match="CANCELLED: stopped") as caught:
        query(ROOT, "trend", engine=engine)
    assert not isinstance(caught.value, EngineTimeoutError)


def test_a_query_still_running_at_the_timeout_is_stopped_and_an_error() -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    steps: list[Any] = [START]
    # Polls at 0, 0.25, 0.75, 1.75 and 3.0 s (the last wait cut to the deadline).
    steps += [("get_query_execution", _state("RUNNING"), None)] * 5
    steps.append(("stop_query_execution", {}, {"QueryExecutionId": "q-1"}))
    client, stubber = _stubbed(*steps)
    engine = AthenaEngine(
        client, database="inspector", timeout=3.0, sleep=sleep, clock=lambda: now[0]
    )
    with pytest.raises(EngineTimeoutError, match="still RUNNING after 3 s") as caught:
        query(ROOT, "trend", engine=engine)
    assert caught.value.state == "RUNNING"
    assert now[0] == pytest.approx(3.0)  # never slept past the deadline
    stubber.assert_no_pending_responses()


def test_every_page_of_results_is_read_and_typed() -> None:
    columns = _columns(
        ("severity", "varchar"),
        ("n", "bigint"),
        ("score", "double"),
        ("ok", "boolean"),
        ("at", "timestamp"),
        ("day", "date"),
        ("exact", "decimal(10,2)"),
        ("zoned", "timestamp with time zone"),
        ("tags", "array(varchar)"),
    )
    names = tuple(c["Name"] for c in columns)
    first = _rows(
        names,
        (
            "HIGH",
            "3",
            "7.5",
            "true",
            "2026-11-02 08:00:00.000",
            "2026-11-02",
            "1.50",
            "2026-11-02 09:00:00.000 UTC",
            "[a, b]",
        ),
    )
    second = _rows(
        ("LOW", None, None, "false", None, None, None, "2026-11-02 10:00:00.000 +01:00", None)
    )
    page = {"QueryExecutionId": "q-1", "MaxResults": 1000}
    client, stubber = _stubbed(
        START,
        ("get_query_execution", _state("SUCCEEDED"), None),
        (
            "get_query_results",
            {
                "ResultSet": {"Rows": first, "ResultSetMetadata": {"ColumnInfo": columns}},
                "NextToken": "t-2",
            },
            page,
        ),
        (
            "get_query_results",
            {"ResultSet": {"Rows": second, "ResultSetMetadata": {"ColumnInfo": columns}}},
            {**page, "NextToken": "t-2"},
        ),
    )
    got = query(ROOT, "SELECT ...", engine=AthenaEngine(client, database="inspector"))
    assert got == [
        {
            "severity": "HIGH",
            "n": 3,
            "score": 7.5,
            "ok": True,
            "at": datetime(2026, 11, 2, 8, tzinfo=UTC),
            "day": date(2026, 11, 2),
            "exact": Decimal("1.50"),
            "zoned": datetime(2026, 11, 2, 9, tzinfo=UTC),
            "tags": "[a, b]",
        },
        {
            "severity": "LOW",
            "n": None,
            "score": None,
            "ok": False,
            "at": None,
            "day": None,
            "exact": None,
            "zoned": datetime(2026, 11, 2, 9, tzinfo=UTC),
            "tags": None,
        },
    ]
    stubber.assert_no_pending_responses()


def test_a_repeated_page_token_is_an_error() -> None:
    columns = _columns(("n", "bigint"))
    page = {
        "ResultSet": {"Rows": _rows(("1",)), "ResultSetMetadata": {"ColumnInfo": columns}},
        "NextToken": "same",
    }
    client, _ = _stubbed(
        START,
        ("get_query_execution", _state("SUCCEEDED"), None),
        ("get_query_results", page, None),
        ("get_query_results", page, None),
    )
    with pytest.raises(EngineQueryError, match="repeated a page token"):
        query(ROOT, "SELECT 1 AS n", engine=AthenaEngine(client, database="inspector"))


def test_a_denied_call_is_an_error_naming_the_operation() -> None:
    client = _client()
    stubber = Stubber(client)
    stubber.add_client_error(
        "start_query_execution",
        "AccessDeniedException",
        "User is not authorized to perform: athena:StartQueryExecution",
    )
    stubber.activate()
    with pytest.raises(EngineQueryError, match="StartQueryExecution: AccessDeniedException"):
        query(ROOT, "trend", engine=AthenaEngine(client, database="inspector"))


def test_the_request_names_workgroup_output_and_parameters() -> None:
    expected = {
        "QueryString": NAMED_QUERIES["diff"].render(
            "athena", {"old": "a", "new": "b"}, table="inspector.findings"
        )[0],
        "QueryExecutionContext": {"Database": "inspector"},
        "WorkGroup": "security",
        "ResultConfiguration": {"OutputLocation": "s3://results/"},
        "ExecutionParameters": ["'a'", "'b'"],
    }
    empty = {"ResultSet": {"Rows": [], "ResultSetMetadata": {"ColumnInfo": []}}}
    client, stubber = _stubbed(
        ("start_query_execution", {"QueryExecutionId": "q-1"}, expected),
        ("get_query_execution", _state("SUCCEEDED"), None),
        ("get_query_results", empty, None),
    )
    engine = AthenaEngine(
        client, database="inspector", workgroup="security", output_location="s3://results/"
    )
    assert query(ROOT, "diff", params={"old": "a", "new": "b"}, engine=engine) == []
    stubber.assert_no_pending_responses()


def test_bad_engine_settings_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="database"):
        AthenaEngine(object(), database="")
    with pytest.raises(InvalidArgumentError, match="timeout"):
        AthenaEngine(object(), database="d", timeout=0)


def test_engine_errors_survive_pickling() -> None:
    import pickle

    err = EngineTimeoutError(
        "still RUNNING after 3 s",
        sql="SELECT 1",
        files=(ROOT,),
        engine="athena",
        state="RUNNING",
        query_execution_id="q-9",
    )
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is EngineTimeoutError and str(back) == str(err)
    assert (back.state, back.query_execution_id, back.detail) == ("RUNNING", "q-9", err.detail)


def test_athena_parameters_of_your_sql_are_positional() -> None:
    from inspector_kit.errors import QueryParameterError

    engine = AthenaEngine(object(), database="inspector")
    with pytest.raises(QueryParameterError, match="positional"):
        query(ROOT, "SELECT 1 WHERE x = ?", params={"x": "'a'"}, engine=engine)
