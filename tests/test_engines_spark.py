"""The named queries give identical results on DuckDB and on Spark (local mode).

One SparkSession for the module (local[1], one shuffle partition, UI off), on the same
datasets as tests/test_named_queries.py. Skipped, with the reason, when pyspark or Java is
absent (``.ci/run`` installs both: the ``dev`` extra has ``spark``, and the JRE comes from the
OS packages).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from inspector_kit.errors import EngineQueryError, SnapshotQueryError
from inspector_kit.history import NAMED_QUERIES, SparkEngine, query

from .test_named_queries import (
    ACCOUNT_A,
    add_orphans,
    hand_snapshots,
    sample_snapshots,
    write_dataset,
)

if shutil.which("java") is None:
    pytest.skip("Spark needs Java (java is not on PATH)", allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed (extra 'spark')")
pytest.importorskip("sqlglot", reason="sqlglot is not installed (extra 'sql')")
pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

# Not UTC on purpose: the engine must run in UTC and put the session's zone back.
SESSION_ZONE = "America/Los_Angeles"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("inspector_kit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.session.timeZone", SESSION_ZONE)
        .config("spark.driver.memory", "512m")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Any]]:
    made = {}
    for name, build in (("hand", hand_snapshots), ("sample", sample_snapshots)):
        snapshots = build()
        made[name] = (write_dataset(tmp_path_factory.mktemp(name), snapshots), snapshots)
    return made


def _params(name: str, snapshots: list[tuple[str, Any]]) -> dict[str, str] | None:
    if not NAMED_QUERIES[name].parameters:
        return None
    return {"old": snapshots[0][0], "new": snapshots[1][0]}


@pytest.mark.parametrize("dataset", ["hand", "sample"])
@pytest.mark.parametrize("name", sorted(NAMED_QUERIES))
def test_every_named_query_is_identical_on_duckdb_and_spark(
    spark: Any, datasets: dict[str, tuple[Path, Any]], dataset: str, name: str
) -> None:
    root, snapshots = datasets[dataset]
    params = _params(name, snapshots)
    on_duckdb = query(root, name, params=params)
    on_spark = query(root, name, params=params, engine=SparkEngine(spark))
    assert on_duckdb, "an empty result proves nothing"
    assert on_spark.columns == on_duckdb.columns
    if name == "mttr_by_severity":  # float means: equal to the last bit is not promised
        assert [r["severity"] for r in on_spark] == [r["severity"] for r in on_duckdb]
        for a, b in zip(on_spark, on_duckdb, strict=True):
            assert a["resolved"] == b["resolved"]
            assert a["mean_seconds_to_remediate"] == pytest.approx(
                b["mean_seconds_to_remediate"], rel=1e-12
            )
    else:
        assert list(on_spark) == list(on_duckdb)
    assert spark.conf.get("spark.sql.session.timeZone") == SESSION_ZONE


def test_spark_reads_partition_columns_with_the_layouts_types(
    spark: Any, datasets: dict[str, tuple[Path, Any]]
) -> None:
    root, _ = datasets["hand"]
    sql = "SELECT DISTINCT aws_account_id, snapshot_date FROM findings ORDER BY 1, 2"
    got = query(root, sql, engine=SparkEngine(spark))
    assert got[0] == {"aws_account_id": ACCOUNT_A, "snapshot_date": date(2026, 11, 2)}
    assert got == query(root, sql)


def test_spark_binds_parameters_and_returns_the_same_kinds(
    spark: Any, datasets: dict[str, tuple[Path, Any]]
) -> None:
    root, snapshots = datasets["hand"]
    hostile = "x' OR '1'='1"
    engine = SparkEngine(spark)
    sql = "SELECT count(*) AS n FROM findings WHERE snapshot_id = :id"
    assert query(root, sql, params={"id": hostile}, engine=engine) == [{"n": 0}]
    assert query(root, sql, params={"id": snapshots[0][0]}, engine=engine) == [
        {"n": len(snapshots[0][1].findings)}
    ]
    table = query(root, "trend", engine=engine, as_="arrow")
    assert table.to_pylist() == list(query(root, "trend"))
    assert str(table.schema.field("snapshot_taken_at").type) == "timestamp[us, tz=UTC]"


def test_a_query_spark_rejects_is_an_engine_error(
    spark: Any, datasets: dict[str, tuple[Path, Any]]
) -> None:
    root, _ = datasets["hand"]
    with pytest.raises(EngineQueryError, match="spark") as caught:
        query(root, "SELECT no_such_column FROM findings", engine=SparkEngine(spark))
    assert isinstance(caught.value, SnapshotQueryError) and caught.value.files == (str(root),)
    assert spark.conf.get("spark.sql.session.timeZone") == SESSION_ZONE


def test_spark_never_reads_orphan_files(
    spark: Any, datasets: dict[str, tuple[Path, Any]], tmp_path: Path
) -> None:
    root, snapshots = datasets["hand"]
    copy = Path(shutil.copytree(root, tmp_path / "copy"))
    add_orphans(copy)
    engine = SparkEngine(spark)
    for name in sorted(NAMED_QUERIES):
        params = _params(name, snapshots)
        got = query(copy, name, params=params, engine=engine)
        assert got, name
        clean = query(root, name, params=params, engine=engine)
        assert len(got) == len(clean), name
        for mine, truth in zip(got, clean, strict=True):
            assert mine.keys() == truth.keys(), name
            for key, value in truth.items():
                if isinstance(value, float):  # a mean: equal to the last bit is not promised
                    assert mine[key] == pytest.approx(value, rel=1e-12), name
                else:
                    assert mine[key] == value, name
    counted = query(copy, "SELECT count(*) AS n FROM findings", engine=engine)
    assert counted == [{"n": sum(len(s.findings) for _, s in snapshots)}]
    # Without the file list (every file under the root) the orphans would be counted:
    _, rows = engine.run(str(copy), "SELECT count(*) AS n FROM findings", None)
    assert rows[0][0] > counted[0]["n"]
