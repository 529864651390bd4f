"""The named queries on DuckDB over a snapshot dataset, against the in-memory truth.

The dataset is written here in the fixed layout (docs: the engines page; the lead's
layout note): Hive partitions ``snapshot_date=/aws_account_id=/region=``, the data columns
of ``Snapshot._parquet_table`` (layout 2) plus ``snapshot_id``, zstd. The truths are
``history.diff`` / ``FindingsDiff.mean_time_to_remediate`` on the same snapshots, and
counts made in Python from the findings themselves.
"""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit.errors import InvalidArgumentError, QueryParameterError, SnapshotQueryError
from inspector_kit.history import (
    CHANGE_KINDS,
    NAMED_QUERIES,
    Snapshot,
    diff,
    query,
)
from inspector_kit.testing import finding_payload

pa = pytest.importorskip("pyarrow")
ds = pytest.importorskip("pyarrow.dataset")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("duckdb")

UTC = timezone.utc
ACCOUNT_A = "012345678901"  # a leading zero: must stay a string everywhere
ACCOUNT_B = "111122223333"

# The layout's data columns, in order (PARQUET_COLUMNS minus the partition columns, with
# snapshot_id after snapshot_taken_at).
DATA_COLUMNS = (
    "finding_arn",
    "type",
    "severity",
    "status",
    "title",
    "vulnerability_id",
    "inspector_score",
    "epss_score",
    "exploit_available",
    "fix_available",
    "first_observed_at",
    "last_observed_at",
    "updated_at",
    "resource_type",
    "resource_id",
    "resource_short_name",
    "packages",
    "purls",
    "cvss_vector",
    "cvss_version",
    "cvss_source",
    "cvss_score",
    "snapshot_taken_at",
    "snapshot_id",
    "finding",
)
PARTITIONS = pa.schema(
    [("snapshot_date", pa.date32()), ("aws_account_id", pa.string()), ("region", pa.string())]
)


Written = dict[tuple[str, str], list[tuple[str, int]]]


def write_dataset(root: Path, snapshots: list[tuple[str, Snapshot]]) -> Path:
    """Write ``(snapshot_id, snapshot)`` pairs under ``root`` in the dataset layout.

    The Parquet files are written here with pyarrow's own Hive writer (not SnapshotDataset's);
    each snapshot is then committed by its manifest ``_snapshots/<id>.json`` listing the files
    written for it, as the layout says (engines read only committed snapshots' files).
    """
    from inspector_kit.history import DatasetPartition, SnapshotManifest

    for snapshot_id, snapshot in snapshots:
        table = snapshot._parquet_table(pa)
        n = table.num_rows
        columns: dict[str, Any] = {}
        for name in DATA_COLUMNS:
            if name == "snapshot_id":
                columns[name] = pa.array([snapshot_id] * n, pa.string())
            else:
                columns[name] = table.column(name)
        day = snapshot.taken_at.astimezone(UTC).date()
        columns["snapshot_date"] = pa.array([day] * n, pa.date32())
        columns["aws_account_id"] = table.column("aws_account_id")
        columns["region"] = table.column("region")
        written: dict[tuple[str, str], list[tuple[str, int]]] = {}

        def visit(
            file: Any, written: dict[tuple[str, str], list[tuple[str, int]]] = written
        ) -> None:
            relative = Path(file.path).relative_to(root).as_posix()
            _, account, region, _ = relative.split("/")
            key = (account.split("=", 1)[1], region.split("=", 1)[1])
            written.setdefault(key, []).append((relative, file.metadata.num_rows))

        ds.write_dataset(
            pa.table(columns),
            root,
            format="parquet",
            partitioning=ds.partitioning(PARTITIONS, flavor="hive"),
            basename_template=f"part-{{i}}-{uuid.uuid4()}.parquet",
            existing_data_behavior="overwrite_or_ignore",
            file_visitor=visit,
            file_options=ds.ParquetFileFormat().make_write_options(
                compression="zstd",
                use_dictionary=[c for c in DATA_COLUMNS if c not in ("finding", "finding_arn")],
            ),
        )
        parts = tuple(
            DatasetPartition(
                day, account, region, sum(r for _, r in files), tuple(f for f, _ in files)
            )
            for (account, region), files in sorted(written.items())
        )
        manifest = SnapshotManifest(
            snapshot_id, snapshot.taken_at, finding_count=n, partitions=parts
        )
        (root / "_snapshots").mkdir(exist_ok=True)
        (root / "_snapshots" / f"{snapshot_id}.json").write_text(manifest.to_json())
    return root


def _f(n: int, account: str, region: str, **members: Any) -> Finding:
    arn = f"arn:aws:inspector2:{region}:{account}:finding/{n:032x}"
    return Finding.from_api(finding_payload(findingArn=arn, awsAccountId=account, **members))


def hand_snapshots() -> list[tuple[str, Snapshot]]:
    """Three snapshots with every kind of change (see the comments)."""
    a, b = ACCOUNT_A, ACCOUNT_B
    first = "2026-10-01T08:00:00Z"
    s1 = [
        _f(1, a, "us-east-1", severity="CRITICAL", firstObservedAt="2026-10-05T10:30:00Z"),
        _f(2, a, "eu-west-1", severity="HIGH", firstObservedAt=first),
        _f(3, b, "us-east-1", severity="MEDIUM", status="CLOSED"),
        _f(4, b, "us-east-1", severity="HIGH"),
        _f(5, b, "eu-west-1", severity="LOW", firstObservedAt="2026-10-20T00:00:01Z"),
        _f(6, b, "us-east-1", severity="CRITICAL", firstObservedAt="2026-10-28T12:00:00Z"),
        _f(7, a, "us-east-1", severity="LOW", status="CLOSED"),
    ]
    s2 = [
        _f(1, a, "us-east-1", severity="CRITICAL", firstObservedAt="2026-10-05T10:30:00Z"),
        # resolved: CLOSED with updatedAt
        _f(2, a, "eu-west-1", severity="HIGH", status="CLOSED", updatedAt="2026-11-03T12:00:00Z"),
        _f(3, b, "us-east-1", severity="MEDIUM"),  # reopened
        _f(4, b, "us-east-1", severity="CRITICAL"),  # still open, rescored
        # 5 is gone: resolved at the snapshot's time
        # resolved: CLOSED without updatedAt (closed at the snapshot's time)
        _f(
            6,
            b,
            "us-east-1",
            severity="CRITICAL",
            status="CLOSED",
            firstObservedAt="2026-10-28T12:00:00Z",
        ),
        _f(7, a, "us-east-1", severity="MEDIUM", status="CLOSED"),  # only rescored
        _f(8, a, "us-east-1", severity="HIGH", firstObservedAt="2026-11-03T00:00:00Z"),  # new
    ]
    s3 = [
        _f(
            1,
            a,
            "us-east-1",
            severity="CRITICAL",
            status="CLOSED",
            firstObservedAt="2026-10-05T10:30:00Z",
            updatedAt="2026-11-08T18:15:30Z",
        ),
        _f(3, b, "us-east-1", severity="MEDIUM"),
        _f(4, b, "us-east-1", severity="CRITICAL"),
        # 8 is gone
        _f(9, b, "eu-west-1", severity="CRITICAL"),
    ]
    times = (
        datetime(2026, 11, 2, 8, tzinfo=UTC),  # Monday of ISO week 45
        datetime(2026, 11, 4, 8, tzinfo=UTC),  # the same week
        # week 46 in UTC, but still Sunday of week 45 west of UTC: the engines must use UTC
        datetime(2026, 11, 9, 3, 0, tzinfo=UTC),
    )
    return [
        (f"s-{at:%Y%m%dT%H%M}", Snapshot(findings=tuple(fs), taken_at=at))
        for fs, at in zip((s1, s2, s3), times, strict=True)
    ]


def sample_snapshots() -> list[tuple[str, Snapshot]]:
    """The sample estate, then changed: some closed, some gone, some rescored, some new."""
    base = list(sample_findings())
    later: list[Finding] = []
    for index, finding in enumerate(base):
        payload = finding.to_api()
        if index % 7 == 0 and finding.status == "ACTIVE":
            payload["status"] = "CLOSED"
            payload["updatedAt"] = "2026-11-05T09:00:00Z"
        elif index % 11 == 0:
            continue  # gone
        elif index % 13 == 0:
            payload["severity"] = "CRITICAL" if payload["severity"] != "CRITICAL" else "LOW"
        elif index % 17 == 0 and finding.status == "CLOSED":
            payload["status"] = "ACTIVE"
        later.append(Finding.from_api(payload))
    extra = [_f(1000 + n, ACCOUNT_A, "us-east-1", severity="CRITICAL") for n in range(3)]
    return [
        ("sample-1", Snapshot(findings=tuple(base), taken_at=datetime(2026, 11, 2, tzinfo=UTC))),
        (
            "sample-2",
            Snapshot(findings=(*later, *extra), taken_at=datetime(2026, 11, 9, tzinfo=UTC)),
        ),
    ]


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, Snapshot]]]:
    snapshots = hand_snapshots()
    return write_dataset(tmp_path_factory.mktemp("hand"), snapshots), snapshots


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, Snapshot]]]:
    snapshots = sample_snapshots()
    return write_dataset(tmp_path_factory.mktemp("sample"), snapshots), snapshots


# --------------------------------------------------------------------------- truths


def diff_truth(old: Snapshot, new: Snapshot) -> list[tuple[Any, ...]]:
    rows = diff(old, new).to_records()
    return sorted((r["change"], r["finding_arn"], r["severity"], r["old_severity"]) for r in rows)


def mttr_truth(snapshots: list[tuple[str, Snapshot]]) -> dict[str, tuple[int, float]]:
    """Per severity: (count, mean seconds) over every consecutive pair, pooled."""
    spans: dict[str, list[timedelta]] = {}
    ordered = sorted(snapshots, key=lambda pair: (pair[1].taken_at, pair[0]))
    for (_, old), (_, new) in itertools.pairwise(ordered):
        changes = diff(old, new)
        for finding in changes.resolved:
            closed = changes.closed_at(finding)
            assert closed is not None
            spans.setdefault(str(finding.severity), []).append(closed - finding.first_observed_at)
    return {
        key: (len(values), (sum(values, timedelta()) / len(values)).total_seconds())
        for key, values in spans.items()
    }


def comparable(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in rows]


# --------------------------------------------------------------------------- tests


def test_the_dataset_is_in_the_layout(hand: tuple[Path, Any]) -> None:
    root, _ = hand
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert files
    for name in files:
        day, account, region, leaf = name.split("/")
        assert day.startswith("snapshot_date=20")
        assert account.startswith("aws_account_id=") and len(account.split("=")[1]) == 12
        assert region.startswith("region=") and leaf.startswith("part-")
    schema = pq.read_schema(root / files[0])
    assert tuple(schema.names) == DATA_COLUMNS


def test_diff_matches_the_in_memory_diff(hand: tuple[Path, Any]) -> None:
    root, snapshots = hand
    for (old_id, old), (new_id, new) in itertools.pairwise(snapshots):
        got = query(root, "diff", params={"old": old_id, "new": new_id})
        assert got.columns == ("change", "finding_arn", "severity", "old_severity")
        assert sorted(comparable(got)) == diff_truth(old, new)
        assert {row["change"] for row in got} <= set(CHANGE_KINDS)
    # The hand data has every kind but unobserved between the first two snapshots.
    kinds = {
        row["change"]
        for row in query(root, "diff", params={"old": snapshots[0][0], "new": snapshots[1][0]})
    }
    assert kinds == set(CHANGE_KINDS) - {"unobserved"}


def test_diff_matches_on_the_sample_estate(sample: tuple[Path, Any]) -> None:
    root, ((old_id, old), (new_id, new)) = sample
    got = query(root, "diff", params={"old": old_id, "new": new_id})
    truth = diff_truth(old, new)
    assert len(truth) > 100
    assert sorted(comparable(got)) == truth


def test_mttr_matches_the_in_memory_mean_time_to_remediate(hand: tuple[Path, Any]) -> None:
    root, snapshots = hand
    got = query(root, "mttr_by_severity")
    truth = mttr_truth(snapshots)
    assert [row["severity"] for row in got] == ["CRITICAL", "HIGH", "LOW"]
    assert {r["severity"]: (r["resolved"], r["mean_seconds_to_remediate"]) for r in got} == {
        key: (count, pytest.approx(seconds, abs=1e-6)) for key, (count, seconds) in truth.items()
    }
    # Two snapshots: exactly FindingsDiff.mean_time_to_remediate.
    (_, old), (_, new) = snapshots[:2]
    mttr = diff(old, new).mean_time_to_remediate()
    assert mttr["HIGH"] == timedelta(days=33, hours=4)  # 2026-10-01 08:00 -> 11-03 12:00


def test_mttr_on_two_snapshots_is_exactly_the_diffs(sample: tuple[Path, Any]) -> None:
    root, ((_, old), (_, new)) = sample
    mttr = diff(old, new).mean_time_to_remediate()
    got = query(root, "mttr_by_severity")
    assert [row["severity"] for row in got] == list(mttr)
    for row in got:
        assert row["mean_seconds_to_remediate"] == pytest.approx(
            mttr[row["severity"]].total_seconds(), abs=1e-3
        )


def test_trend_counts_per_snapshot_severity_and_status(hand: tuple[Path, Any]) -> None:
    root, snapshots = hand
    got = query(root, "trend")
    truth = Counter(
        (sid, snap.taken_at, str(f.severity), str(f.status))
        for sid, snap in snapshots
        for f in snap.findings
    )
    assert {
        (r["snapshot_id"], r["snapshot_taken_at"], r["severity"], r["status"]): r["findings"]
        for r in got
    } == dict(truth)
    assert [r["snapshot_taken_at"] for r in got] == sorted(r["snapshot_taken_at"] for r in got)
    assert got[0]["snapshot_taken_at"].tzinfo is not None


def test_open_criticals_per_week_counts_each_finding_once_a_week(hand: tuple[Path, Any]) -> None:
    root, snapshots = hand
    got = query(root, "open_criticals_per_week")
    truth: dict[tuple[date, str], set[str]] = {}
    for _, snap in snapshots:
        day = snap.taken_at.date()
        monday = day - timedelta(days=day.isoweekday() - 1)
        for f in snap.findings:
            if f.severity == "CRITICAL" and f.status == "ACTIVE":
                truth.setdefault((monday, f.aws_account_id), set()).add(f.finding_arn)
    assert comparable(got) == sorted((w, a, len(arns)) for (w, a), arns in truth.items())
    assert got[0]["week"] == date(2026, 11, 2) and got[0]["aws_account_id"] == ACCOUNT_A


def test_partition_columns_keep_their_types(hand: tuple[Path, Any]) -> None:
    root, _ = hand
    got = query(root, "SELECT DISTINCT aws_account_id, snapshot_date FROM findings ORDER BY 1, 2")
    assert got[0] == {"aws_account_id": ACCOUNT_A, "snapshot_date": date(2026, 11, 2)}
    table = query(root, "SELECT aws_account_id, snapshot_date FROM findings", as_="arrow")
    assert table.schema.field("aws_account_id").type == pa.string()


def test_as_arrow_and_pandas_hold_the_same_rows(hand: tuple[Path, Any]) -> None:
    root, snapshots = hand
    params = {"old": snapshots[0][0], "new": snapshots[1][0]}
    records = query(root, "diff", params=params)
    table = query(root, "diff", params=params, as_="arrow")
    assert table.to_pylist() == list(records)
    pytest.importorskip("pandas")
    frame = query(root, "diff", params=params, as_="pandas")
    assert list(frame.columns) == list(records.columns) and len(frame) == len(records)


def test_parameters_are_bound_not_pasted(hand: tuple[Path, Any]) -> None:
    root, snapshots = hand
    hostile = "x' OR '1'='1"
    with pytest.raises(QueryParameterError, match="must be a snapshot id"):
        query(root, "diff", params={"old": hostile, "new": snapshots[0][0]})
    # Raw SQL with a DuckDB parameter: the value is data, never SQL.
    got = query(
        root, "SELECT count(*) AS n FROM findings WHERE snapshot_id = $id", params={"id": hostile}
    )
    assert got == [{"n": 0}]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (None, "missing parameter 'old'"),
        ({"old": "a"}, "missing parameter 'new'"),
        ({"old": "a", "new": "b", "extra": "c"}, "unexpected parameter 'extra'"),
        ({"old": "a", "new": 7}, "must be a snapshot id"),
        ({"old": "", "new": "b"}, "must be a snapshot id"),
        ({"old": "a" * 129, "new": "b"}, "must be a snapshot id"),
    ],
)
def test_bad_parameters_are_refused(hand: tuple[Path, Any], params: Any, message: str) -> None:
    root, _ = hand
    with pytest.raises(QueryParameterError, match=message) as caught:
        query(root, "diff", params=params)
    assert isinstance(caught.value, SnapshotQueryError) and isinstance(caught.value, ValueError)


def test_a_named_query_needs_a_dataset(tmp_path: Path) -> None:
    path = tmp_path / "one.parquet"
    Snapshot.save([_f(1, ACCOUNT_A, "us-east-1")], path, taken_at=datetime(2026, 11, 2))
    with pytest.raises(QueryParameterError, match="dataset root"):
        query(path, "trend")
    # Plain SQL over single files still works as before.
    assert query(path, "SELECT count(*) AS n FROM findings") == [{"n": 1}]


def test_an_unknown_engine_or_athena_without_a_client_is_refused(hand: tuple[Path, Any]) -> None:
    root, _ = hand
    with pytest.raises(InvalidArgumentError, match="AthenaEngine"):
        query(root, "trend", engine="athena")  # type: ignore[call-overload]
    with pytest.raises(InvalidArgumentError, match="engine must be one of"):
        query(root, "trend", engine="postgres")  # type: ignore[call-overload]


def test_every_named_query_parses_in_every_dialect() -> None:
    sqlglot = pytest.importorskip("sqlglot")
    for named in NAMED_QUERIES.values():
        params = dict.fromkeys(named.parameters, "s-1")
        for engine, dialect in (("spark", "spark"), ("athena", "trino")):
            sql, args = named.render(
                engine, params, table="db.findings" if engine == "athena" else None
            )
            tree = sqlglot.parse_one(sql, read=dialect)  # raises on what the dialect rejects
            assert tree.find(sqlglot.exp.Select) is not None
            if engine == "athena":
                assert sql.count("?") == len(args) == named.sql.count("$")
                assert "findings" not in {t.sql() for t in tree.find_all(sqlglot.exp.Table)}


def test_a_folder_without_the_layout_is_not_found(tmp_path: Path) -> None:
    Snapshot.save(
        [_f(1, ACCOUNT_A, "us-east-1")], tmp_path / "one.parquet", taken_at=datetime(2026, 11, 2)
    )
    with pytest.raises(FileNotFoundError, match="no snapshot dataset under"):
        query(tmp_path, "trend")
    with pytest.raises(FileNotFoundError, match="folder/"):
        query(tmp_path, "SELECT 1")


def test_the_hand_built_layout_is_the_writers(hand: tuple[Path, Any], tmp_path: Path) -> None:
    # The engines are tested on datasets built here by hand; SnapshotDataset writes them for
    # users. Both must be the same layout, so every named query gives the same rows on both.
    from inspector_kit.history import DATASET_COLUMNS, SnapshotDataset

    assert tuple(DATA_COLUMNS) == DATASET_COLUMNS
    root, snapshots = hand
    dataset = SnapshotDataset(tmp_path / "written")
    for snapshot_id, snapshot in snapshots:
        dataset.add(snapshot, snapshot_id=snapshot_id)
    (old, _), (new, _) = snapshots[0], snapshots[1]
    for name, params in (
        ("trend", None),
        ("open_criticals_per_week", None),
        ("mttr_by_severity", None),
        ("diff", {"old": old, "new": new}),
    ):
        by_hand = comparable(query(root, name, params=params))
        written = comparable(query(dataset.root, name, params=params))
        assert written == by_hand, name
        assert written, name  # the hand-built snapshots give rows for every query


def add_orphans(root: Path) -> list[Path]:
    """Leave what writes that died leave: Parquet files in the layout that no manifest names.

    One is a copy of a committed file beside it (the same findings again: counts would
    double), one a new snapshot id in a partition of its own (a snapshot that never was).
    """
    committed = sorted(root.glob("snapshot_date=*/aws_account_id=*/region=*/*.parquet"))
    beside = committed[0].with_name(f"part-0-{uuid.uuid4()}.parquet")
    beside.write_bytes(committed[0].read_bytes())
    table = pq.read_table(committed[-1], partitioning=None)
    died = table.set_column(
        table.schema.get_field_index("snapshot_id"),
        "snapshot_id",
        pa.array(["died-half-way"] * table.num_rows, pa.string()),
    )
    folder = root / "snapshot_date=2026-12-01" / f"aws_account_id={ACCOUNT_B}" / "region=us-east-1"
    folder.mkdir(parents=True)
    pq.write_table(died, folder / f"part-0-{uuid.uuid4()}.parquet")
    return [beside, folder]


@pytest.mark.parametrize("name", sorted(NAMED_QUERIES))
def test_orphan_files_are_never_read(hand: tuple[Path, Any], tmp_path: Path, name: str) -> None:
    import shutil

    from inspector_kit.history import SnapshotDataset

    root, snapshots = hand
    params = None
    if NAMED_QUERIES[name].parameters:
        params = {"old": snapshots[0][0], "new": snapshots[1][0]}
    copy = Path(shutil.copytree(root, tmp_path / "copy"))
    add_orphans(copy)
    assert len(SnapshotDataset(copy).orphans()) == 2  # they are there, in the layout
    # The orphans would be read by a plain glob over the layout (the old behaviour):
    everything = query(
        copy / "snapshot_date=*/aws_account_id=*/region=*/*.parquet",
        "SELECT count(*) AS n FROM findings",
    )
    assert everything[0]["n"] > sum(len(s.findings) for _, s in snapshots)
    got = query(copy, name, params=params)
    assert got == query(root, name, params=params)
    assert got
    counted = query(copy, "SELECT count(*) AS n, count(DISTINCT snapshot_id) AS ids FROM findings")
    assert counted == [{"n": sum(len(s.findings) for _, s in snapshots), "ids": len(snapshots)}]


def test_a_root_with_only_orphans_is_no_dataset(tmp_path: Path) -> None:
    Snapshot.save(
        [_f(1, ACCOUNT_A, "us-east-1")], tmp_path / "one.parquet", taken_at=datetime(2026, 11, 2)
    )
    folder = tmp_path / "snapshot_date=2026-11-02" / f"aws_account_id={ACCOUNT_A}" / "region=x"
    folder.mkdir(parents=True)
    (tmp_path / "one.parquet").rename(folder / "part-0.parquet")
    with pytest.raises(FileNotFoundError, match=r"1 file.* of writes that never committed"):
        query(tmp_path, "trend")


def test_a_committed_snapshot_without_findings_gives_no_rows(tmp_path: Path) -> None:
    from inspector_kit.history import SnapshotDataset

    dataset = SnapshotDataset(tmp_path)
    dataset.add(Snapshot((), datetime(2026, 11, 2, tzinfo=UTC)), snapshot_id="empty")
    assert query(tmp_path, "trend") == []
    assert query(dataset, "SELECT count(*) AS n FROM findings") == [{"n": 0}]


def test_duckdb_config_sets_the_connection(hand: tuple[Path, Any], tmp_path: Path) -> None:
    root, _ = hand
    sql = "SELECT current_setting('threads') AS threads, current_setting('temp_directory') AS t"
    got = query(root, sql, duckdb_config={"threads": 1, "temp_directory": str(tmp_path)})
    assert got == [{"threads": 1, "t": str(tmp_path)}]
    with pytest.raises(InvalidArgumentError, match=r"duckdb_config: .*not_a_setting"):
        query(root, "trend", duckdb_config={"not_a_setting": 1})
    with pytest.raises(InvalidArgumentError, match="engine='duckdb' only"):
        query(root, "trend", engine="spark", duckdb_config={"threads": 1})
