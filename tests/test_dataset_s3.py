"""history.SnapshotDataset on S3: pyarrow's own S3 client against a moto server.

pyarrow's S3 filesystem is C++ (the AWS SDK for C++): moto's in-process ``mock_aws`` cannot
intercept it, so these tests start moto's ``ThreadedMotoServer`` on 127.0.0.1 (a free port)
and point ``pyarrow.fs.S3FileSystem(endpoint_override=..., scheme="http")`` at it. Boto3
clients (real ones) create the buckets and the IAM user of the access-denied test.
"""

from __future__ import annotations

import json
import socket
import warnings
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from inspector_kit import Finding
from inspector_kit.errors import (
    SnapshotError,
    SnapshotStorageError,
    SnapshotStoragePermissionError,
)
from inspector_kit.history import Snapshot, SnapshotDataset

from .test_dataset import estate, partition_counts

pa = pytest.importorskip("pyarrow")
pafs = pytest.importorskip("pyarrow.fs")
boto3 = pytest.importorskip("boto3")
pytest.importorskip("flask", reason="moto's server needs flask (extra 'test')")
with warnings.catch_warnings():
    # moto warns at import that its "server" extra brings more than the S3 server needs.
    warnings.simplefilter("ignore", UserWarning)
    from moto.core.authorization import enable_iam_authentication
    from moto.server import ThreadedMotoServer

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop()


def _client(endpoint: str, service: str) -> Any:
    return boto3.client(service, endpoint_url=f"http://{endpoint}", region_name="us-east-1", **KEYS)


def _filesystem(endpoint: str, key: str = "testing", secret: str = "testing") -> Any:
    return pafs.S3FileSystem(
        endpoint_override=endpoint,
        scheme="http",
        access_key=key,
        secret_key=secret,
        region="us-east-1",
        retry_strategy=pafs.AwsStandardS3RetryStrategy(max_attempts=1),
    )


@pytest.fixture
def bucket(endpoint: str, request: pytest.FixtureRequest) -> str:
    name = request.node.name.replace("_", "-")[:50].lower()
    _client(endpoint, "s3").create_bucket(Bucket=name)
    return name


def test_write_list_read_and_scan_on_s3(endpoint: str, bucket: str) -> None:
    dataset = SnapshotDataset(f"s3://{bucket}/inspector", filesystem=_filesystem(endpoint))
    assert dataset.root == f"s3://{bucket}/inspector"
    with dataset.writer(taken_at=WHEN, regions=["us-east-1", "eu-west-1"]) as writer:
        writer.write(estate(40))
    # What is in the bucket, seen through boto3 rather than pyarrow.
    listed = _client(endpoint, "s3").list_objects_v2(Bucket=bucket, Prefix="inspector/")
    keys = sorted(item["Key"] for item in listed["Contents"])
    assert f"inspector/_snapshots/{writer.snapshot_id}.json" in keys
    parquet = [k for k in keys if k.endswith(".parquet")]
    assert len(parquet) == len(partition_counts(40))
    assert all(k.startswith("inspector/snapshot_date=2026-11-02/aws_account_id=") for k in parquet)
    assert [m.snapshot_id for m in dataset.snapshots()] == [writer.snapshot_id]
    assert dataset.files()[0].startswith(f"s3://{bucket}/inspector/snapshot_date=2026-11-02/")
    table = dataset.scan(["aws_account_id", "region"])
    pairs = zip(table["aws_account_id"].to_pylist(), table["region"].to_pylist(), strict=True)
    assert Counter(pairs) == partition_counts(40)
    back = dataset.read(writer.snapshot_id)
    assert set(back.findings) == set(estate(40))
    assert back.regions == ("us-east-1", "eu-west-1")


def test_s3_uri_with_endpoint_options(
    endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    uri = f"s3://{bucket}/prefix?endpoint_override={endpoint}&scheme=http&region=us-east-1"
    dataset = SnapshotDataset(uri)
    assert dataset.root == f"s3://{bucket}/prefix"
    manifest = dataset.add(Snapshot(tuple(estate(5)), WHEN))
    assert dataset.snapshots() == (manifest,)


def test_a_missing_bucket_is_named(endpoint: str) -> None:
    dataset = SnapshotDataset("s3://no-such-bucket/inspector", filesystem=_filesystem(endpoint))
    with pytest.raises(SnapshotStorageError) as caught:
        dataset.snapshots()
    assert caught.value.path == "s3://no-such-bucket/inspector"
    writer = dataset.writer(taken_at=WHEN, row_group_size=1)
    with pytest.raises(SnapshotStorageError) as caught, writer:
        writer.write(estate(3))
    assert caught.value.path.startswith("s3://no-such-bucket/inspector/snapshot_date=2026-11-02/")
    assert "NO_SUCH_BUCKET" in caught.value.reason


def test_access_denied_is_a_permission_error_naming_the_path(endpoint: str, bucket: str) -> None:
    iam = _client(endpoint, "iam")
    iam.create_user(UserName="reader-without-s3")
    key = iam.create_access_key(UserName="reader-without-s3")["AccessKey"]
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
    }
    iam.put_user_policy(
        UserName="reader-without-s3", PolicyName="deny-s3", PolicyDocument=json.dumps(deny)
    )
    denied = _filesystem(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    dataset = SnapshotDataset(f"s3://{bucket}/inspector", filesystem=denied)
    with enable_iam_authentication():
        with pytest.raises(SnapshotStoragePermissionError) as caught:
            dataset.snapshots()
        assert caught.value.path == f"s3://{bucket}/inspector"
        assert isinstance(caught.value, PermissionError)
        writer = dataset.writer(taken_at=WHEN, row_group_size=1)
        with pytest.raises(SnapshotStoragePermissionError) as caught, writer:
            writer.write(estate(2))
        assert caught.value.path.startswith(f"s3://{bucket}/inspector/snapshot_date=")


def test_a_corrupt_object_is_named(endpoint: str, bucket: str) -> None:
    dataset = SnapshotDataset(f"s3://{bucket}/inspector", filesystem=_filesystem(endpoint))
    manifest = dataset.add(Snapshot(tuple(estate(6)), WHEN))
    victim = manifest.files[0]
    _client(endpoint, "s3").put_object(
        Bucket=bucket, Key=f"inspector/{victim}", Body=b"PAR1 not a parquet file"
    )
    with pytest.raises(SnapshotError) as caught:
        dataset.read(manifest.snapshot_id)
    assert caught.value.source == f"s3://{bucket}/inspector/{victim}"
    with pytest.raises(SnapshotError):
        dataset.scan()


def test_a_failed_write_on_s3_leaves_nothing(endpoint: str, bucket: str) -> None:
    dataset = SnapshotDataset(f"s3://{bucket}/inspector", filesystem=_filesystem(endpoint))
    writer = dataset.writer(taken_at=WHEN, row_group_size=1, max_open_files=1)

    def interrupted() -> Iterator[Finding]:
        yield from estate(12)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), writer:
        writer.write(interrupted())
    listed = _client(endpoint, "s3").list_objects_v2(Bucket=bucket, Prefix="inspector/")
    # pyarrow leaves empty "folder/" marker objects behind when it deletes a folder's last
    # file; no engine reads them (none is a Parquet file or a manifest).
    left = [item["Key"] for item in listed.get("Contents", [])]
    assert all(key.endswith("/") for key in left), left
    assert dataset.snapshots() == ()
    assert dataset.scan(["finding_arn"]).num_rows == 0


def test_table_ddl_defaults_to_the_s3_root(endpoint: str, bucket: str) -> None:
    dataset = SnapshotDataset(f"s3://{bucket}/inspector", filesystem=_filesystem(endpoint))
    dataset.add(Snapshot(tuple(estate(12)), WHEN))
    ddl = dataset.table_ddl("athena")
    assert f"LOCATION 's3://{bucket}/inspector/'" in ddl
    assert "'projection.aws_account_id.values'='012345678901,111122223333,444455556666'" in ddl
    assert "'projection.region.values'='eu-west-1,us-east-1'" in ddl
    assert "'projection.snapshot_date.range'='2026-11-02,NOW'" in ddl


def _orphan_on_s3(endpoint: str, bucket: str, dataset: SnapshotDataset) -> str:
    """Copy a committed object to a name no manifest lists (a write that died); its key."""
    s3 = _client(endpoint, "s3")
    source = dataset.files()[0].removeprefix(f"s3://{bucket}/")
    key = source.replace(".parquet", "-died.parquet")
    s3.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": source})
    return key


def test_query_reads_an_s3_dataset_through_pyarrow_without_orphans(
    endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB reads S3 here through pyarrow.fs (no httpfs extension, nothing downloaded).
    pytest.importorskip("duckdb")
    from inspector_kit.history import query

    dataset = SnapshotDataset(f"s3://{bucket}/inspector", filesystem=_filesystem(endpoint))
    first = dataset.add(Snapshot(tuple(estate(12)), WHEN), snapshot_id="week-45")
    later = datetime(2026, 11, 9, 9, 30, tzinfo=timezone.utc)
    dataset.add(Snapshot(tuple(estate(20)), later), snapshot_id="week-46")
    _orphan_on_s3(endpoint, bucket, dataset)
    assert len(dataset.orphans()) == 1
    trend = query(dataset, "trend")
    counted: Counter[str] = Counter()
    for row in trend:
        counted[row["snapshot_id"]] += row["findings"]
    assert counted == {"week-45": 12, "week-46": 20}
    assert trend[0]["snapshot_taken_at"] == first.taken_at
    # The same through an s3:// URI naming the endpoint (credentials from the environment).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    uri = f"s3://{bucket}/inspector?endpoint_override={endpoint}&scheme=http&region=us-east-1"
    assert query(uri, "trend") == trend
    diff = query(uri, "diff", params={"old": "week-45", "new": "week-46"})
    assert Counter(row["change"] for row in diff)["new"] == len(
        {f.finding_arn for f in estate(20)} - {f.finding_arn for f in estate(12)}
    )
    rows = query(
        uri,
        "SELECT aws_account_id, region, count(*) AS n FROM findings "
        "WHERE snapshot_id = 'week-45' GROUP BY ALL",
    )
    assert Counter({(r["aws_account_id"], r["region"]): r["n"] for r in rows}) == partition_counts(
        12
    )


def test_remove_orphans_on_s3(endpoint: str, bucket: str) -> None:
    dataset = SnapshotDataset(f"s3://{bucket}/inspector", filesystem=_filesystem(endpoint))
    dataset.add(Snapshot(tuple(estate(12)), WHEN))
    committed = dataset.files()
    key = _orphan_on_s3(endpoint, bucket, dataset)
    orphan = f"s3://{bucket}/{key}"
    assert dataset.orphans() == (orphan,)
    assert dataset.remove_orphans() == ()  # just written: inside the one-day grace
    # An S3 object's age is its LastModified (moto's clock): a tiny grace makes it "old".
    import time

    time.sleep(1.1)
    grace = timedelta(seconds=1)
    assert dataset.remove_orphans(older_than=grace, dry_run=True) == (orphan,)
    assert dataset.orphans() == (orphan,)
    assert dataset.remove_orphans(older_than=grace) == (orphan,)
    listed = _client(endpoint, "s3").list_objects_v2(Bucket=bucket, Prefix="inspector/")
    keys = {f"s3://{bucket}/{item['Key']}" for item in listed["Contents"]}
    assert orphan not in keys
    assert set(committed) <= keys
    assert dataset.orphans() == ()
    assert dataset.scan(["finding_arn"]).num_rows == 12
