"""Parquet snapshot layout 2, old layout-1 files, typed column reads, Arrow/pandas query results."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    SnapshotError,
)
from inspector_kit.formats import to_records
from inspector_kit.history import (
    OPEN_CRITICALS_PER_WEEK,
    PARQUET_COLUMNS,
    PARQUET_LAYOUT,
    Snapshot,
    query,
    scan,
)
from inspector_kit.history._query import _aware
from inspector_kit.testing import finding_payload

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

FIXTURES = Path(__file__).parent / "fixtures" / "history"
V1_PARQUET = FIXTURES / "snapshot-v1.parquet"
V1_JSONL = FIXTURES / "snapshot-v1.jsonl"
TAKEN = datetime(2026, 11, 2, tzinfo=timezone.utc)
TYPED = [c for c in PARQUET_COLUMNS if c != "finding"]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def odd_findings() -> list[Finding]:
    """Edge cases: no score, no package, unicode, a quote, a missing fix field."""
    plain = finding_payload(findingArn="arn:aws:inspector2:us-east-1:111122223333:finding/x1")
    bare = finding_payload(findingArn="arn:aws:inspector2:us-east-1:111122223333:finding/x2")
    bare.pop("inspectorScore", None)
    bare.pop("epss", None)
    bare.pop("fixAvailable", None)
    bare["title"] = "CVE-2026-0001 - «héllo» \"quoted\" =cmd|' /C calc'!A0"
    return [Finding.from_api(plain), Finding.from_api(bare)]


# ----------------------------------------------------------------------------- old layout


def test_a_layout_1_file_written_by_the_old_code_still_loads() -> None:
    # The truth: the JSON Lines copy written by the same old code (that format is unchanged).
    old = Snapshot.load(V1_PARQUET)
    truth = Snapshot.load(V1_JSONL)
    assert old == truth and len(old) == 6
    assert old.taken_at == TAKEN and old.regions == ("us-east-1", "eu-west-1")
    assert old.criteria == {"severity": [{"comparison": "EQUALS", "value": "CRITICAL"}]}
    assert not old.errors
    assert b"inspector_kit.parquet_layout" not in (pq.read_schema(V1_PARQUET).metadata or {})


def test_a_layout_1_file_reads_its_columns_and_queries() -> None:
    truth = Snapshot.load(V1_JSONL)
    table = Snapshot.read_columns(V1_PARQUET, ["finding_arn", "severity", "first_observed_at"])
    assert table.column("finding_arn").to_pylist() == [f.finding_arn for f in truth.findings]
    assert table.column("first_observed_at").to_pylist() == [
        f.first_observed_at for f in truth.findings
    ]
    pytest.importorskip("duckdb")
    rows = query(V1_PARQUET, "SELECT count(*) AS n, min(snapshot_taken_at) AS t FROM findings")
    assert rows == [{"n": 6, "t": TAKEN}]


# ----------------------------------------------------------------------------- layout 2


@pytest.mark.parametrize("findings", ["empty", "odd", "sample"])
def test_layout_2_round_trips_and_records_its_layout(tmp_path: Path, findings: str) -> None:
    items = {"empty": [], "odd": odd_findings(), "sample": list(sample_findings())}[findings]
    path = tmp_path / "s.parquet"
    saved = Snapshot.save(items, path, taken_at=TAKEN, regions=["us-east-1"])
    loaded = Snapshot.load(path)
    assert loaded == saved and loaded.findings == tuple(items) and not loaded.errors
    metadata = pq.read_schema(path).metadata
    assert metadata[b"inspector_kit.parquet_layout"] == str(PARQUET_LAYOUT).encode() == b"2"
    assert tuple(pq.read_schema(path).names) == PARQUET_COLUMNS
    # The typed columns hold what to_records says (an independent path to the same values).
    table = pq.read_table(path, columns=TYPED[:-1])
    assert table.to_pylist() == [{c: r[c] for c in TYPED[:-1]} for r in to_records(items)]


def test_layout_2_compresses_the_finding_json_with_zstd_and_no_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    Snapshot.save(sample_findings(), path, taken_at=TAKEN)
    meta = pq.ParquetFile(path).metadata
    column = meta.row_group(0).column(PARQUET_COLUMNS.index("finding"))
    assert column.compression == "ZSTD"
    assert "RLE_DICTIONARY" not in column.encodings and not column.is_stats_set
    severity = meta.row_group(0).column(PARQUET_COLUMNS.index("severity"))
    assert "RLE_DICTIONARY" in severity.encodings and severity.is_stats_set


def test_layout_2_is_no_larger_than_jsonl_gz(tmp_path: Path) -> None:
    findings = list(sample_findings())
    Snapshot.save(findings, tmp_path / "s.parquet", taken_at=TAKEN)
    Snapshot.save(findings, tmp_path / "s.jsonl.gz", taken_at=TAKEN)
    parquet = os.path.getsize(tmp_path / "s.parquet")
    gz = os.path.getsize(tmp_path / "s.jsonl.gz")
    with gzip.open(tmp_path / "s.jsonl.gz") as stream:  # really gzip, really the findings
        assert len(stream.read().splitlines()) == len(findings) + 1
    assert parquet <= gz, (parquet, gz)


@pytest.mark.parametrize(
    ("raw", "words"),
    [(b"3", "layout 3 is newer"), (b"two", "expected a layout number"), (b"", "layout number")],
)
def test_a_bad_or_newer_layout_is_a_snapshot_error(tmp_path: Path, raw: bytes, words: str) -> None:
    path = tmp_path / "s.parquet"
    Snapshot.save(odd_findings(), path, taken_at=TAKEN)
    table = pq.read_table(path)
    metadata = dict(table.schema.metadata)
    metadata[b"inspector_kit.parquet_layout"] = raw
    pq.write_table(table.replace_schema_metadata(metadata), path)
    for read in (Snapshot.load, Snapshot.read_columns):
        with pytest.raises(SnapshotError, match=words) as info:
            read(path)
        assert info.value.field == "inspector_kit.parquet_layout"
        assert info.value.source == str(path)


# ----------------------------------------------------------------------------- read_columns


def test_read_columns_never_decodes_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = list(sample_findings())
    path = tmp_path / "s.parquet"
    Snapshot.save(findings, path, taken_at=TAKEN)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a finding was decoded")

    decoded: list[str] = []
    loads = json.loads

    def counted(text: Any, **kwargs: Any) -> Any:
        decoded.append(text)
        return loads(text, **kwargs)

    monkeypatch.setattr(Finding, "from_api", refuse)
    monkeypatch.setattr(json, "loads", counted)
    table = Snapshot.read_columns(path)
    assert len(decoded) == 1 and '"format": "inspector_kit.snapshot"' in decoded[0]  # metadata
    assert table.column_names == TYPED
    assert table.num_rows == len(findings)
    assert table.column("severity").to_pylist() == [f.severity for f in findings]
    assert set(table.column("snapshot_taken_at").to_pylist()) == {TAKEN}
    assert table.equals(pq.read_table(path, columns=TYPED))


def test_read_columns_in_the_order_asked_and_with_the_json(tmp_path: Path) -> None:
    findings = odd_findings()
    path = tmp_path / "s.parquet"
    Snapshot.save(findings, path, taken_at=TAKEN)
    table = Snapshot.read_columns(path, ("finding", "inspector_score", "title"))
    assert table.column_names == ["finding", "inspector_score", "title"]
    assert table.column("finding").to_pylist() == [f.to_json() for f in findings]
    assert table.column("inspector_score").to_pylist()[1] is None
    assert table.column("title").to_pylist()[1] == findings[1].title


def test_read_columns_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    Snapshot.save(odd_findings(), path, taken_at=TAKEN)
    with pytest.raises(SnapshotError, match="no column 'nope'") as info:
        Snapshot.read_columns(path, ["severity", "nope"])
    assert info.value.field == "nope" and info.value.source == str(path)
    with pytest.raises(InvalidArgumentTypeError, match="not the string 'severity'"):
        Snapshot.read_columns(path, "severity")
    with pytest.raises(InvalidArgumentTypeError, match="must be a string, not int"):
        Snapshot.read_columns(path, ["severity", 3])  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError, match="more than once: severity"):
        Snapshot.read_columns(path, ["severity", "status", "severity"])
    jsonl = tmp_path / "s.jsonl"
    Snapshot.save(odd_findings(), jsonl, taken_at=TAKEN)
    with pytest.raises(SnapshotError, match="not a Parquet file"):
        Snapshot.read_columns(jsonl)
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"severity": ["HIGH"]}), plain)
    with pytest.raises(SnapshotError, match="no inspector_kit snapshot metadata"):
        Snapshot.read_columns(plain)
    with pytest.raises(FileNotFoundError):
        Snapshot.read_columns(tmp_path / "missing.parquet")


def test_scan_concatenates_old_and_new_layouts(tmp_path: Path) -> None:
    shutil.copy(V1_PARQUET, tmp_path / "a-old.parquet")
    Snapshot.save(odd_findings(), tmp_path / "b-new.parquet", taken_at=utc(2026, 11, 9))
    table = scan(tmp_path / "*.parquet", ["snapshot_taken_at", "finding_arn"])
    old = Snapshot.load(V1_JSONL).findings
    assert table.column("finding_arn").to_pylist() == [
        *(f.finding_arn for f in old),
        *(f.finding_arn for f in odd_findings()),
    ]
    assert table.column("snapshot_taken_at").to_pylist() == [TAKEN] * 6 + [utc(2026, 11, 9)] * 2
    assert scan([tmp_path / "b-new.parquet"]).column_names == TYPED
    with pytest.raises(FileNotFoundError):
        scan(tmp_path / "none-*.parquet")


# ----------------------------------------------------------------------------- query results


def weekly(folder: Path) -> None:
    crit = finding_payload(severity="CRITICAL")
    for day, count in ((2, 3), (9, 1), (16, 2)):
        findings = [
            Finding.from_api({**crit, "findingArn": f"{crit['findingArn']}-{n}"})
            for n in range(count)
        ]
        Snapshot.save(findings, folder / f"2026-11-{day:02d}.parquet", taken_at=utc(2026, 11, day))


TIMES_SQL = """
SELECT finding_arn, severity, first_observed_at, snapshot_taken_at, inspector_score,
       CAST(snapshot_taken_at AS TIMESTAMP_NS) AS ns, [snapshot_taken_at] AS times,
       CASE WHEN inspector_score > 100 THEN snapshot_taken_at END AS never
FROM findings ORDER BY snapshot_taken_at, finding_arn"""


@pytest.mark.parametrize("sql", [OPEN_CRITICALS_PER_WEEK, TIMES_SQL])
def test_arrow_and_pandas_results_equal_the_records(tmp_path: Path, sql: str) -> None:
    pytest.importorskip("duckdb")
    weekly(tmp_path)
    records = query(tmp_path / "*.parquet", sql)
    table = query(tmp_path / "*.parquet", sql, as_="arrow")
    assert isinstance(table, pa.Table) and table.column_names == list(records.columns)
    for name, field in zip(table.column_names, table.schema, strict=True):
        if pa.types.is_timestamp(field.type):
            assert field.type.tz == "UTC", name
    rows = table.to_pylist()
    if sql == TIMES_SQL:
        # The list keeps DuckDB's naive values in records (as before), Arrow's are aware.
        for row in (*rows, *records):
            row.pop("times")
    assert rows == records
    pd = pytest.importorskip("pandas")
    frame = query(tmp_path / "*.parquet", sql, as_="pandas")
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == list(records.columns)
    assert len(frame) == len(records)
    if sql == TIMES_SQL:
        assert str(frame["snapshot_taken_at"].dt.tz) == "UTC"
        assert [t.to_pydatetime() for t in frame["snapshot_taken_at"]] == [
            r["snapshot_taken_at"] for r in records
        ]


def test_records_timestamps_are_aware_and_match_the_findings(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    weekly(tmp_path)
    rows = query(tmp_path / "*.parquet", TIMES_SQL)
    truth = Finding.from_api(finding_payload(severity="CRITICAL")).first_observed_at
    assert len(rows) == 6
    for row in rows:
        assert row["first_observed_at"] == truth and row["first_observed_at"].tzinfo is timezone.utc
        assert row["ns"] == row["snapshot_taken_at"] and row["ns"].tzinfo is timezone.utc
        assert row["never"] is None
        # A list is left as DuckDB gives it (only top-level values are made aware).
        assert row["times"] == [row["snapshot_taken_at"].replace(tzinfo=None)]
    assert [r["snapshot_taken_at"].day for r in rows] == [2, 2, 2, 9, 16, 16]
    # A repeated column name keeps the last value, as a dict built from the row does.
    twice = query(
        tmp_path / "*.parquet",
        "SELECT snapshot_taken_at AS x, 1 AS x, 2 AS y, snapshot_taken_at AS y FROM findings",
    )
    assert twice[0] == {"x": 1, "y": utc(2026, 11, 2)} and twice.columns == ("x", "x", "y", "y")
    # The memoised conversion gives what converting each value does.
    assert _aware(datetime(2026, 1, 1)) == utc(2026, 1, 1)


def test_query_results_for_only_a_comment_and_a_bad_kind(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    weekly(tmp_path)
    assert query(tmp_path / "*.parquet", "-- nothing", as_="arrow").num_columns == 0
    pytest.importorskip("pandas")
    assert query(tmp_path / "*.parquet", "-- nothing", as_="pandas").empty
    with pytest.raises(InvalidArgumentError, match="as_ must be one of 'records'"):
        query(tmp_path / "*.parquet", "SELECT 1", as_="polars")  # type: ignore[call-overload]


def test_records_equal_the_row_by_row_conversion_on_the_sample_estate(tmp_path: Path) -> None:
    # The fast path (dicts first, timestamps per column, memoised) against the slow one (each
    # value of each row through _aware), on every column of two snapshots of the sample estate.
    duckdb = pytest.importorskip("duckdb")
    findings = list(sample_findings())
    Snapshot.save(findings, tmp_path / "a.parquet", taken_at=utc(2026, 11, 2))
    Snapshot.save(findings[:100], tmp_path / "b.parquet", taken_at=utc(2026, 11, 9))
    sql = "SELECT *, [first_observed_at] AS listed FROM findings ORDER BY ALL"
    fast = query(tmp_path / "*.parquet", sql)
    with duckdb.connect(":memory:") as con:
        con.execute("SET TimeZone = 'UTC'")
        stamps = ("first_observed_at", "last_observed_at", "updated_at", "snapshot_taken_at")
        casts = ", ".join(f"CAST({c} AS TIMESTAMP) AS {c}" for c in stamps)
        files = f"['{tmp_path / 'a.parquet'}', '{tmp_path / 'b.parquet'}']"
        view = f"SELECT * REPLACE ({casts}) FROM read_parquet({files})"
        con.execute(f"CREATE VIEW findings AS {view}")
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        slow = [
            {name: _aware(value) for name, value in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]
    assert len(fast) == len(findings) + 100
    assert list(fast) == slow
    assert fast[0]["updated_at"].tzinfo is timezone.utc
