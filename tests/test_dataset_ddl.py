"""SnapshotDataset.table_ddl: Athena DDL, Glue TableInput and Spark DDL, checked by others.

The Athena text is parsed by sqlglot's Athena (Hive DDL) dialect, the Glue ``TableInput`` is
validated against botocore's own Glue model (``CreateTable``) and created in moto's Glue, and
the Spark DDL is run by Spark in local mode over a real dataset when pyspark and Java exist.
Partition projection facts: https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
and https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html
(read 2026-12-04).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit.errors import InvalidArgumentError
from inspector_kit.history import DATASET_COLUMNS, Snapshot, SnapshotDataset

from .test_dataset import estate, partition_counts

pytest.importorskip("pyarrow")

WHERE = "s3://audit-bucket/inspector"
SINCE = date(2026, 11, 2)


@pytest.fixture
def dataset(tmp_path: Path) -> SnapshotDataset:
    return SnapshotDataset(tmp_path / "findings")


def _athena(dataset: SnapshotDataset, **options: Any) -> str:
    return dataset.table_ddl(
        "athena",
        location=WHERE,
        accounts=["012345678901", "111122223333"],
        regions=["us-east-1"],
        since=SINCE,
        **options,
    )


def test_athena_ddl_parses_as_athena_sql(dataset: SnapshotDataset) -> None:
    sqlglot = pytest.importorskip("sqlglot")
    exp = sqlglot.exp
    ddl = _athena(dataset, database="security")
    tree = sqlglot.parse_one(ddl, read="athena")
    assert isinstance(tree, exp.Create) and tree.args["kind"] == "TABLE"
    assert tree.find(exp.Table).sql("athena") == '"security"."inspector_findings"'
    columns = {c.name: c.args["kind"].sql("hive") for c in tree.this.expressions}
    assert list(columns) == list(DATASET_COLUMNS)
    assert columns["inspector_score"] == "DOUBLE"
    assert columns["snapshot_taken_at"] == "TIMESTAMP"
    assert columns["finding"] == "STRING"
    assert "aws_account_id" not in columns  # a partition column, not a data column
    props = tree.args["properties"].expressions
    kinds = {type(p).__name__ for p in props}
    assert {"ExternalProperty", "PartitionedByProperty", "LocationProperty"} <= kinds
    partitioned = next(p for p in props if isinstance(p, exp.PartitionedByProperty))
    assert [c.name for c in partitioned.this.expressions] == [
        "snapshot_date",
        "aws_account_id",
        "region",
    ]
    # The date-projected key is a STRING, as in AWS's examples (date_type="date" gives DATE).
    assert [c.args["kind"].sql("hive") for c in partitioned.this.expressions] == [
        "STRING",
        "STRING",
        "STRING",
    ]
    location = next(p for p in props if isinstance(p, exp.LocationProperty))
    assert location.this.name == f"{WHERE}/"
    table_properties = {p.name: p.args["value"].name for p in props if type(p) is exp.Property}
    assert table_properties == {
        "projection.enabled": "true",
        "projection.snapshot_date.type": "date",
        "projection.snapshot_date.format": "yyyy-MM-dd",
        "projection.snapshot_date.range": "2026-11-02,NOW",
        "projection.snapshot_date.interval": "1",
        "projection.snapshot_date.interval.unit": "DAYS",
        "projection.aws_account_id.type": "enum",
        "projection.aws_account_id.values": "012345678901,111122223333",
        "projection.region.type": "enum",
        "projection.region.values": "us-east-1",
        "storage.location.template": (
            f"{WHERE}/snapshot_date=${{snapshot_date}}"
            "/aws_account_id=${aws_account_id}/region=${region}/"
        ),
        "parquet.compression": "ZSTD",
    }


def test_the_location_template_matches_the_files_written(dataset: SnapshotDataset) -> None:
    manifest = dataset.add(Snapshot(tuple(estate(6)), datetime(2026, 11, 2, tzinfo=timezone.utc)))
    template = dataset.table_ddl("glue", location=WHERE)["Parameters"]["storage.location.template"]
    for part in manifest.partitions:
        folder = (
            template.replace("${snapshot_date}", part.snapshot_date.isoformat())
            .replace("${aws_account_id}", str(part.aws_account_id))
            .replace("${region}", str(part.region))
        )
        assert all(f"{WHERE}/{name}".startswith(folder) for name in part.files)


def test_injected_projection_lists_no_values(dataset: SnapshotDataset) -> None:
    ddl = dataset.table_ddl("athena", location=WHERE, projection="injected", since=SINCE)
    assert "'projection.aws_account_id.type'='injected'" in ddl
    assert "'projection.region.type'='injected'" in ddl
    assert ".values'" not in ddl


def test_enum_values_and_since_default_to_the_committed_snapshots(
    dataset: SnapshotDataset,
) -> None:
    dataset.add(Snapshot(tuple(estate(12)), datetime(2026, 11, 9, tzinfo=timezone.utc)))
    dataset.add(Snapshot(tuple(estate(3)), datetime(2026, 11, 2, tzinfo=timezone.utc)))
    glue = dataset.table_ddl("glue", location=WHERE)
    parameters = glue["Parameters"]
    accounts = sorted({a for a, _ in partition_counts(12)})
    regions = sorted({r for _, r in partition_counts(12)})
    assert parameters["projection.aws_account_id.values"] == ",".join(accounts)
    assert parameters["projection.region.values"] == ",".join(regions)
    assert parameters["projection.snapshot_date.range"] == "2026-11-02,NOW"


def test_glue_table_input_fits_the_botocore_model(dataset: SnapshotDataset) -> None:
    botocore_session = pytest.importorskip("botocore.session")
    from botocore.validate import ParamValidator

    table_input = dataset.table_ddl("glue", location=WHERE, projection="injected", since=SINCE)
    model = botocore_session.get_session().get_service_model("glue")
    shape = model.operation_model("CreateTable").input_shape
    report = ParamValidator().validate(
        {"DatabaseName": "security", "TableInput": table_input}, shape
    )
    assert not report.has_errors(), report.generate_report()
    assert [c["Name"] for c in table_input["StorageDescriptor"]["Columns"]] == list(DATASET_COLUMNS)
    assert [k["Name"] for k in table_input["PartitionKeys"]] == [
        "snapshot_date",
        "aws_account_id",
        "region",
    ]


def test_glue_table_input_creates_a_table_in_moto(dataset: SnapshotDataset) -> None:
    moto = pytest.importorskip("moto")
    boto3 = pytest.importorskip("boto3")
    table_input = _athena_free_glue(dataset)
    with moto.mock_aws():
        glue = boto3.client(
            "glue",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        glue.create_database(DatabaseInput={"Name": "security"})
        glue.create_table(DatabaseName="security", TableInput=table_input)
        table = glue.get_table(DatabaseName="security", Name="inspector_findings")["Table"]
    assert table["Parameters"]["projection.enabled"] == "true"
    assert table["StorageDescriptor"]["Location"] == f"{WHERE}/"
    assert [k["Type"] for k in table["PartitionKeys"]] == ["string", "string", "string"]


def _athena_free_glue(dataset: SnapshotDataset) -> dict[str, Any]:
    return dataset.table_ddl(
        "glue", location=WHERE, accounts=["012345678901"], regions=["us-east-1"], since=SINCE
    )


def test_spark_ddl_parses(dataset: SnapshotDataset) -> None:
    sqlglot = pytest.importorskip("sqlglot")
    ddl = dataset.table_ddl("spark", table="findings", database="security")
    tree = sqlglot.parse_one(ddl, read="spark")
    props = {type(p).__name__: p.sql("spark") for p in tree.args["properties"].expressions}
    assert props["FileFormatProperty"] == "USING PARQUET"
    assert props["PartitionedByProperty"] == (
        "PARTITIONED BY (snapshot_date, aws_account_id, region)"
    )
    assert props["LocationProperty"] == f"LOCATION '{Path(dataset.root).as_posix()}/'"


def test_spark_reads_the_dataset_through_its_ddl(dataset: SnapshotDataset, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime")
    from pyspark.sql import SparkSession

    with dataset.writer(taken_at=datetime(2026, 11, 2, tzinfo=timezone.utc)) as writer:
        writer.write(estate(30))
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("inspector_kit-ddl")
        .config("spark.sql.warehouse.dir", str(tmp_path / "warehouse"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        spark.sql(dataset.table_ddl("spark", location=f"file://{dataset.root}"))
        spark.sql("MSCK REPAIR TABLE inspector_findings")
        rows = spark.sql(
            "SELECT aws_account_id, region, snapshot_date, count(*) AS n "
            "FROM inspector_findings GROUP BY 1, 2, 3"
        ).collect()
    finally:
        spark.sql("DROP TABLE IF EXISTS inspector_findings")
    assert {(r.aws_account_id, r.region): r.n for r in rows} == dict(partition_counts(30))
    assert {r.snapshot_date for r in rows} == {date(2026, 11, 2)}


def test_table_ddl_arguments(dataset: SnapshotDataset) -> None:
    with pytest.raises(InvalidArgumentError, match="engine must be one of"):
        dataset.table_ddl("presto")  # type: ignore[call-overload]
    with pytest.raises(InvalidArgumentError, match="must be s3://"):
        dataset.table_ddl("athena", accounts=["1"], regions=["r"], since=SINCE)
    Path(dataset.root).mkdir()  # an empty dataset: nothing to project
    with pytest.raises(InvalidArgumentError, match="no aws_account_id values"):
        dataset.table_ddl("athena", location=WHERE, since=SINCE)
    with pytest.raises(InvalidArgumentError, match="table must be"):
        dataset.table_ddl("spark", table="drop table x; --")
    with pytest.raises(InvalidArgumentError, match="projection must be"):
        dataset.table_ddl("athena", location=WHERE, projection="partial")  # type: ignore[call-overload]
    with pytest.raises(InvalidArgumentError, match="quote"):
        dataset.table_ddl("spark", location="s3://b/it's")


def test_glue_limits_match_the_botocore_model(dataset: SnapshotDataset) -> None:
    botocore_session = pytest.importorskip("botocore.session")
    from inspector_kit import _limits

    model = botocore_session.get_session().get_service_model("glue")
    table_input = model.operation_model("CreateTable").input_shape.members["TableInput"]
    assert table_input.members["Name"].metadata["max"] == _limits.GLUE_NAME_LENGTH
    values = table_input.members["Parameters"].value
    assert values.metadata["max"] == _limits.GLUE_PARAMETER_VALUE_LENGTH
    too_many = [f"{n:012d}" for n in range(_limits.GLUE_PARAMETER_VALUE_LENGTH // 13 + 1)]
    with pytest.raises(InvalidArgumentError, match="injected"):
        dataset.table_ddl(
            "athena", location=WHERE, accounts=too_many, regions=["us-east-1"], since=SINCE
        )
    longest = "t" * _limits.GLUE_NAME_LENGTH
    assert (
        dataset.table_ddl(
            "glue", table=longest, projection="injected", location=WHERE, since=SINCE
        )["Name"]
        == longest
    )
    with pytest.raises(InvalidArgumentError, match="table must be"):
        dataset.table_ddl("spark", table=longest + "t")


def test_the_date_key_type_is_a_documented_choice() -> None:
    dataset = SnapshotDataset(tempfile.mkdtemp())
    options: dict[str, Any] = {
        "location": WHERE,
        "accounts": ["111122223333"],
        "regions": ["us-east-1"],
        "since": date(2026, 11, 2),
    }
    assert "`snapshot_date` string" in dataset.table_ddl("athena", **options)
    assert "`snapshot_date` date" in dataset.table_ddl("athena", date_type="date", **options)
    glue = dataset.table_ddl("glue", date_type="date", **options)
    assert glue["PartitionKeys"][0] == {"Name": "snapshot_date", "Type": "date"}
    with pytest.raises(InvalidArgumentError, match="date_type"):
        dataset.table_ddl("athena", date_type="timestamp", **options)  # type: ignore[call-overload]
