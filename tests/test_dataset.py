"""history.SnapshotDataset on a local folder: layout, streaming, commits, errors."""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from inspector_kit import Finding
from inspector_kit.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    SnapshotError,
    SnapshotNotFoundError,
    SnapshotStorageError,
    SnapshotWriterError,
)
from inspector_kit.history import (
    DATASET_COLUMNS,
    PARQUET_COLUMNS,
    PARTITION_COLUMNS,
    Snapshot,
    SnapshotDataset,
    SnapshotWriter,
)
from inspector_kit.testing import finding_payload

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
# A leading zero: the account must stay a 12-character string everywhere.
ACCOUNTS = ("012345678901", "111122223333", "444455556666")
REGIONS = ("us-east-1", "eu-west-1")


def make_finding(index: int, account: str, region: str, severity: str = "HIGH") -> Finding:
    """A distinct finding: its ARN carries the index, the account and the region."""
    arn = f"arn:aws:inspector2:{region}:{account}:finding/{index:032x}"
    return Finding.from_api(
        finding_payload(findingArn=arn, awsAccountId=account, severity=severity)
    )


def estate(count: int) -> Iterator[Finding]:
    """``count`` findings spread over ACCOUNTS x REGIONS, made one at a time."""
    for index in range(count):
        account = ACCOUNTS[index % len(ACCOUNTS)]
        region = REGIONS[(index // len(ACCOUNTS)) % len(REGIONS)]
        yield make_finding(index, account, region, ("HIGH", "CRITICAL", "LOW")[index % 3])


def partition_counts(count: int) -> Counter[tuple[str, str]]:
    """The truth, computed from the generator's rule, not from the dataset."""
    return Counter(
        (ACCOUNTS[i % len(ACCOUNTS)], REGIONS[(i // len(ACCOUNTS)) % len(REGIONS)])
        for i in range(count)
    )


@pytest.fixture
def dataset(tmp_path: Path) -> SnapshotDataset:
    return SnapshotDataset(tmp_path / "findings")


def test_layout_paths_columns_and_manifest(dataset: SnapshotDataset, tmp_path: Path) -> None:
    with dataset.writer(taken_at=WHEN, regions=REGIONS, accounts=ACCOUNTS) as writer:
        assert writer.write(estate(60)) == 60
    manifest = writer.manifest
    assert manifest is not None
    root = tmp_path / "findings"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert len(files) == 6
    for name in files:
        day, account, region, part = name.split("/")
        assert day == "snapshot_date=2026-11-02"
        assert account.removeprefix("aws_account_id=") in ACCOUNTS
        assert region.removeprefix("region=") in REGIONS
        assert part.startswith("part-0-") and part.endswith(".parquet")
    assert sorted(manifest.files) == files
    assert (root / "_snapshots" / f"{manifest.snapshot_id}.json").is_file()
    counts = {(p.aws_account_id, p.region): p.rows for p in manifest.partitions}
    assert counts == dict(partition_counts(60))
    # The files hold the data columns only, in the layout's order and types.
    schema = pq.read_schema(root / files[0])
    assert tuple(schema.names) == DATASET_COLUMNS
    assert "aws_account_id" not in schema.names and "region" not in schema.names
    assert schema.field("inspector_score").type == pa.float64()
    assert schema.field("updated_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("snapshot_taken_at").type == pa.timestamp("us", tz="UTC")
    meta = pq.ParquetFile(root / files[0]).metadata
    column = {meta.schema.column(i).name: i for i in range(meta.num_columns)}
    chunk = meta.row_group(0).column
    assert chunk(column["finding"]).compression == "ZSTD"
    for unique in ("finding", "finding_arn"):
        assert "PLAIN_DICTIONARY" not in chunk(column[unique]).encodings
        assert "RLE_DICTIONARY" not in chunk(column[unique]).encodings
    assert "RLE_DICTIONARY" in chunk(column["severity"]).encodings


def test_data_columns_are_layout_2_without_the_partition_columns() -> None:
    expected = [c for c in PARQUET_COLUMNS if c not in ("aws_account_id", "region")]
    expected.insert(expected.index("finding"), "snapshot_id")
    assert list(DATASET_COLUMNS) == expected
    assert PARTITION_COLUMNS == ("snapshot_date", "aws_account_id", "region")


def test_scan_reads_partitions_as_strings_and_dates(dataset: SnapshotDataset) -> None:
    with dataset.writer(taken_at=WHEN) as writer:
        writer.write(estate(30))
    table = dataset.scan(["aws_account_id", "region", "snapshot_date", "snapshot_id", "severity"])
    assert table.schema.field("aws_account_id").type == pa.string()
    assert table.schema.field("snapshot_date").type == pa.date32()
    pairs = zip(table["aws_account_id"].to_pylist(), table["region"].to_pylist(), strict=True)
    assert Counter(pairs) == partition_counts(30)
    assert set(table["snapshot_date"].to_pylist()) == {date(2026, 11, 2)}
    assert set(table["snapshot_id"].to_pylist()) == {writer.snapshot_id}
    default = dataset.scan()
    assert "finding" not in default.column_names
    assert set(default.column_names) == set(DATASET_COLUMNS) - {"finding"} | set(PARTITION_COLUMNS)


def test_read_gives_back_the_findings_and_metadata(dataset: SnapshotDataset) -> None:
    findings = list(estate(25))
    criteria = {"severity": [{"comparison": "EQUALS", "value": "HIGH"}]}
    with dataset.writer(
        taken_at=WHEN, criteria=criteria, regions=["us-east-1"], accounts=["012345678901"]
    ) as writer:
        writer.write(iter(findings))
    back = dataset.read(writer.snapshot_id)
    assert sorted(f.finding_arn for f in back.findings) == sorted(f.finding_arn for f in findings)
    assert set(back.findings) == set(findings)
    assert back.taken_at == WHEN
    assert back.criteria == criteria
    assert back.regions == ("us-east-1",)
    assert back.accounts == ("012345678901",)
    assert back.errors == ()


def test_add_and_save_to_dataset_write_an_existing_snapshot(dataset: SnapshotDataset) -> None:
    snap = Snapshot(tuple(estate(12)), WHEN, regions=REGIONS)
    first = dataset.add(snap)
    second = snap.save_to_dataset(dataset, snapshot_id="again")
    assert first.finding_count == second.finding_count == 12
    assert second.snapshot_id == "again"
    assert [m.snapshot_id for m in dataset.snapshots()] == sorted([first.snapshot_id, "again"])
    assert set(dataset.read("again").findings) == set(snap.findings)
    assert dataset.scan(["finding_arn"], snapshot_id="again").num_rows == 12
    with pytest.raises(InvalidArgumentTypeError):
        dataset.add(list(snap.findings))  # type: ignore[arg-type]


def test_snapshots_of_one_date_stay_apart(dataset: SnapshotDataset) -> None:
    with dataset.writer(taken_at=WHEN) as morning:
        morning.write(estate(9))
    with dataset.writer(taken_at=WHEN + timedelta(hours=5)) as evening:
        evening.write(estate(4))
    listed = dataset.snapshots()
    assert [m.snapshot_id for m in listed] == [morning.snapshot_id, evening.snapshot_id]
    assert [m.finding_count for m in listed] == [9, 4]
    assert dataset.scan(["finding_arn"], snapshot_id=evening.snapshot_id).num_rows == 4
    assert dataset.scan(["finding_arn"]).num_rows == 13
    assert len(dataset.files()) == len(dataset.files(morning.snapshot_id)) + len(
        dataset.files(evening.snapshot_id)
    )


def test_snapshot_date_is_the_utc_date(dataset: SnapshotDataset) -> None:
    late = datetime(2026, 11, 2, 21, 0, tzinfo=timezone(timedelta(hours=-5)))  # 02:00Z on the 3rd
    with dataset.writer(taken_at=late) as writer:
        writer.write(estate(3))
    assert writer.manifest is not None
    assert writer.manifest.snapshot_date == date(2026, 11, 3)
    assert all(name.startswith("snapshot_date=2026-11-03/") for name in writer.manifest.files)
    naive = SnapshotDataset(Path(dataset.root).parent / "naive")
    with naive.writer(taken_at=datetime(2026, 11, 2, 23, 59)) as writer:  # naive means UTC
        writer.write(estate(1))
    assert naive.snapshots()[0].taken_at == datetime(2026, 11, 2, 23, 59, tzinfo=timezone.utc)


def test_the_writer_never_holds_all_findings(dataset: SnapshotDataset, tmp_path: Path) -> None:
    live: list[int] = []

    def counted(count: int) -> Iterator[Finding]:
        for index, finding in enumerate(estate(count)):
            if index and index % 2500 == 0:
                gc.collect()
                live.append(sum(isinstance(o, Finding) for o in gc.get_objects()))
            yield finding

    with dataset.writer(taken_at=WHEN, row_group_size=500, max_buffered_rows=1200) as writer:
        writer.write(counted(10_000))
    # At most one chunk of findings (2,048) is alive at a time, not 10,000.
    assert live and max(live) <= 2100, live
    root = tmp_path / "findings"
    row_groups = []
    for path in root.rglob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        row_groups += [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sum(row_groups) == 10_000
    assert max(row_groups) <= 500
    assert len(row_groups) >= 20  # written as they came, a row group at a time


def test_few_open_files_roll_over_to_new_parts(dataset: SnapshotDataset) -> None:
    with dataset.writer(taken_at=WHEN, row_group_size=1, max_open_files=1) as writer:
        for finding in estate(12):
            writer.write([finding])
    assert writer.manifest is not None
    parts = {name.rsplit("/", 1)[1].split("-")[1] for name in writer.manifest.files}
    assert len(parts) > 1  # part-0, part-1, ...
    assert dataset.scan(["finding_arn"]).num_rows == 12
    assert len(dataset.read(writer.snapshot_id)) == 12


def test_a_failed_write_leaves_no_snapshot_and_no_files(
    dataset: SnapshotDataset, tmp_path: Path
) -> None:
    def fetch_then_fail(writer: SnapshotWriter) -> None:
        writer.write(estate(20))
        raise RuntimeError("fetch failed")

    writer = dataset.writer(taken_at=WHEN, row_group_size=2, max_open_files=1)
    with pytest.raises(RuntimeError, match="fetch failed"), writer:
        fetch_then_fail(writer)
    assert dataset.snapshots() == ()
    assert list((tmp_path / "findings").rglob("*.parquet")) == []
    with pytest.raises(SnapshotNotFoundError):
        dataset.read(writer.snapshot_id)
    with pytest.raises(SnapshotWriterError):
        writer.write(estate(1))


def test_a_crashed_write_is_invisible(dataset: SnapshotDataset, tmp_path: Path) -> None:
    dataset.add(Snapshot(tuple(estate(6)), WHEN), snapshot_id="committed")
    crashed = dataset.writer(taken_at=WHEN, row_group_size=1, max_open_files=1)
    crashed.write(estate(30))  # files are on disk, the process "dies" before close()
    on_disk = list((tmp_path / "findings").rglob("*.parquet"))
    assert len(on_disk) > len(dataset.files("committed"))
    assert [m.snapshot_id for m in dataset.snapshots()] == ["committed"]
    assert dataset.scan(["finding_arn"]).num_rows == 6
    assert all(crashed.snapshot_id not in name for name in dataset.files())
    assert set(dataset.scan(["snapshot_id"])["snapshot_id"].to_pylist()) == {"committed"}
    # The crashed write's closed files are orphans (by path, they carry its file uuid).
    orphans = dataset.orphans()
    assert orphans and all(crashed._uuid in name for name in orphans)
    assert set(orphans) == {p.as_posix() for p in on_disk} - set(dataset.files())
    assert dataset.orphans(older_than=timedelta(hours=1)) == ()  # too recent


def test_remove_orphans_deletes_only_old_orphans(dataset: SnapshotDataset, tmp_path: Path) -> None:
    import os

    dataset.add(Snapshot(tuple(estate(6)), WHEN), snapshot_id="committed")
    committed = set(dataset.files())
    died = dataset.writer(taken_at=WHEN, row_group_size=1, max_open_files=1)
    died.write(estate(30))  # a write that died long ago ...
    old = set(dataset.orphans())
    assert old
    for name in old:
        os.utime(name, (0, 0))  # ... in 1970
    running = dataset.writer(taken_at=WHEN, row_group_size=1, max_open_files=1)
    running.write(estate(30))  # a write still running: its files are recent
    recent = set(dataset.orphans()) - old
    assert recent
    manifests = sorted((tmp_path / "findings" / "_snapshots").iterdir())

    assert set(dataset.remove_orphans(dry_run=True)) == old
    assert set(dataset.orphans()) == old | recent  # a dry run deletes nothing
    removed = dataset.remove_orphans(older_than=timedelta(hours=1))
    assert set(removed) == old
    on_disk = {p.as_posix() for p in (tmp_path / "findings").rglob("*.parquet")}
    assert on_disk == committed | recent  # committed files and the running write's kept
    assert sorted((tmp_path / "findings" / "_snapshots").iterdir()) == manifests
    assert dataset.scan(["finding_arn"]).num_rows == 6
    running.close()  # the running write commits: none of its files was lost
    assert set(dataset.read(running.snapshot_id).findings) == set(estate(30))
    assert dataset.remove_orphans(older_than=timedelta(seconds=1)) == ()


@pytest.mark.parametrize("bad", [timedelta(0), timedelta(hours=-1), 3600])
def test_remove_orphans_needs_a_positive_grace(dataset: SnapshotDataset, bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="older_than must be a positive timedelta"):
        dataset.remove_orphans(older_than=bad)  # type: ignore[arg-type]


def test_record_error_is_saved(dataset: SnapshotDataset) -> None:
    with dataset.writer(taken_at=WHEN, accounts=ACCOUNTS) as writer:
        writer.write(estate(3))
        writer.record_error(PermissionError("AssumeRole denied"), account="444455556666")
    listed = dataset.snapshots()[0]
    assert listed.errors == (
        {
            "account": "444455556666",
            "region": None,
            "error": "PermissionError",
            "message": "AssumeRole denied",
        },
    )


def test_duckdb_reads_the_layout(dataset: SnapshotDataset) -> None:
    duckdb = pytest.importorskip("duckdb")
    with dataset.writer(taken_at=WHEN) as writer:
        writer.write(estate(30))
    files = list(dataset.files())
    rows = duckdb.sql(
        "SELECT aws_account_id, region, snapshot_date, count(*) AS n FROM read_parquet(?, "
        "hive_partitioning = true, hive_types = {'aws_account_id': 'VARCHAR', "
        "'region': 'VARCHAR', 'snapshot_date': 'DATE'}) GROUP BY ALL ORDER BY ALL",
        params=[files],
    ).fetchall()
    assert {(a, r): n for a, r, _, n in rows} == dict(partition_counts(30))
    assert {d for _, _, d, _ in rows} == {date(2026, 11, 2)}
    # The lazy Arrow dataset works as a DuckDB relation too.
    arrow = dataset.arrow_dataset()  # noqa: F841 - DuckDB finds it by name
    assert duckdb.sql("SELECT count(DISTINCT aws_account_id) FROM arrow").fetchall() == [(3,)]


# ----------------------------------------------------------------------------- errors


def test_unknown_snapshot(dataset: SnapshotDataset) -> None:
    dataset.add(Snapshot((), WHEN))
    with pytest.raises(SnapshotNotFoundError, match="no committed snapshot 'nope'") as caught:
        dataset.read("nope")
    assert caught.value.path == dataset.root
    with pytest.raises(SnapshotNotFoundError):
        dataset.scan(snapshot_id="../etc")
    assert isinstance(caught.value, LookupError)


def test_missing_root_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = SnapshotDataset(tmp_path / "nowhere")
    with pytest.raises(SnapshotStorageError) as caught:
        missing.snapshots()
    assert caught.value.path == (tmp_path / "nowhere").as_posix()


def test_a_corrupt_file_is_named(dataset: SnapshotDataset) -> None:
    manifest = dataset.add(Snapshot(tuple(estate(6)), WHEN))
    victim = Path(dataset.root) / manifest.files[0]
    victim.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(SnapshotError) as caught:
        dataset.read(manifest.snapshot_id)
    assert caught.value.source == victim.as_posix()
    with pytest.raises(SnapshotError):
        dataset.scan()


def test_a_missing_file_is_named(dataset: SnapshotDataset) -> None:
    manifest = dataset.add(Snapshot(tuple(estate(6)), WHEN))
    victim = Path(dataset.root) / manifest.files[-1]
    victim.unlink()
    with pytest.raises(SnapshotError, match="missing") as caught:
        dataset.read(manifest.snapshot_id)
    assert caught.value.source == victim.as_posix()
    with pytest.raises(SnapshotError, match="missing"):
        dataset.scan()


def test_a_bad_manifest_is_named(dataset: SnapshotDataset) -> None:
    manifest = dataset.add(Snapshot(tuple(estate(3)), WHEN))
    path = Path(dataset.root) / "_snapshots" / f"{manifest.snapshot_id}.json"
    meta = json.loads(path.read_text())
    meta["partitions"][0]["rows"] = "many"
    path.write_text(json.dumps(meta))
    with pytest.raises(SnapshotError) as caught:
        dataset.snapshots()
    assert caught.value.source == path.as_posix()
    assert caught.value.field == "partitions[0].rows"
    path.write_text("{not json")
    with pytest.raises(SnapshotError, match="not valid JSON"):
        dataset.snapshots()


def test_a_manifest_count_that_does_not_match_the_files(dataset: SnapshotDataset) -> None:
    manifest = dataset.add(Snapshot(tuple(estate(3)), WHEN))
    path = Path(dataset.root) / "_snapshots" / f"{manifest.snapshot_id}.json"
    meta = json.loads(path.read_text())
    meta["partitions"][0]["rows"] += 1
    meta["finding_count"] += 1
    path.write_text(json.dumps(meta))
    with pytest.raises(SnapshotError, match="says 2 rows, the files hold 1"):
        dataset.read(manifest.snapshot_id)


def test_writer_arguments(dataset: SnapshotDataset) -> None:
    with pytest.raises(InvalidArgumentError, match="row_group_size"):
        dataset.writer(row_group_size=0)
    with pytest.raises(InvalidArgumentError, match="snapshot id"):
        dataset.writer(snapshot_id="../escape")
    dataset.add(Snapshot((), WHEN), snapshot_id="taken")
    with pytest.raises(InvalidArgumentError, match="already committed"):
        dataset.writer(snapshot_id="taken")
    with dataset.writer() as writer, pytest.raises(InvalidArgumentTypeError):
        writer.write([finding_payload()])  # type: ignore[list-item]
    with pytest.raises(SnapshotWriterError):
        writer.record_error("late")
    with pytest.raises(InvalidArgumentError, match="no column 'nope'"):
        dataset.scan(["nope"])
    with pytest.raises(InvalidArgumentTypeError):
        dataset.scan("severity")


def test_rows_are_the_single_file_snapshot_rows(dataset: SnapshotDataset, tmp_path: Path) -> None:
    # The same flattening as Snapshot.save's Parquet (layout 2): compare value for value.
    from inspector_kit import sample_findings

    snap = Snapshot(tuple(sample_findings()), WHEN)
    single = tmp_path / "single.parquet"
    Snapshot.save(snap.findings, single, taken_at=WHEN)
    manifest = dataset.add(snap)
    shared = [c for c in PARQUET_COLUMNS if c != "finding"] + ["finding"]
    expected = Snapshot.read_columns(single, shared).sort_by("finding_arn")
    got = dataset.scan(shared, snapshot_id=manifest.snapshot_id).sort_by("finding_arn")
    assert got.num_rows == expected.num_rows == len(snap)
    for name in shared:
        assert got.column(name).to_pylist() == expected.column(name).to_pylist(), name
