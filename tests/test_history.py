"""inspector_kit.history: snapshots, diffs, MTTR and DuckDB queries."""

from __future__ import annotations

import gzip
import json
import logging
import pickle
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding, FindingParseError, SourceFormatError, load_findings
from inspector_kit.errors import SnapshotError, SnapshotQueryError
from inspector_kit.formats import MissingExtraError, write_jsonl
from inspector_kit.history import (
    OPEN_CRITICALS_PER_WEEK,
    PARQUET_COLUMNS,
    FindingsDiff,
    Snapshot,
    diff,
    query,
)
from inspector_kit.testing import finding_payload

ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def finding(
    name: str, *, region: str = "eu-west-1", account: str = ACCOUNT_A, **members: Any
) -> Finding:
    arn = f"arn:aws:inspector2:{region}:{account}:finding/{name}"
    return Finding.from_api(finding_payload(findingArn=arn, awsAccountId=account, **members))


def arns(findings: tuple[Finding, ...]) -> list[str]:
    return sorted(f.finding_arn.rsplit("/", 1)[1] for f in findings)


# ----------------------------------------------------------------------------- diff

OLD_TAKEN = utc(2026, 10, 25)
NEW_TAKEN = utc(2026, 11, 1)


@pytest.fixture
def pair() -> tuple[Snapshot, Snapshot]:
    old = [
        finding("still", severity="HIGH"),
        finding("closed", firstObservedAt="2026-10-01T00:00:00Z"),
        finding("gone", firstObservedAt="2026-10-05T00:00:00Z"),
        finding("reopen", status="CLOSED", updatedAt="2026-10-20T00:00:00Z"),
        finding("elsewhere", region="us-east-1"),
        finding("worse", severity="MEDIUM"),
        finding("crit", severity="CRITICAL", firstObservedAt="2026-10-30T00:00:00Z"),
        finding("suppress"),
    ]
    new = [
        finding("still", severity="HIGH"),
        finding(
            "closed",
            status="CLOSED",
            firstObservedAt="2026-10-01T00:00:00Z",
            updatedAt="2026-10-11T00:00:00Z",
        ),
        finding("reopen"),
        finding("worse", severity="CRITICAL"),
        finding(
            "crit",
            severity="CRITICAL",
            status="CLOSED",
            firstObservedAt="2026-10-30T00:00:00Z",
            updatedAt="2026-10-31T12:00:00Z",
        ),
        finding("fresh"),
        finding("fresh-closed", status="CLOSED"),
        finding("suppress", status="SUPPRESSED"),
    ]
    before = Snapshot(tuple(old), OLD_TAKEN, regions=("eu-west-1", "us-east-1"))
    after = Snapshot(tuple(new), NEW_TAKEN, regions=("eu-west-1",), accounts=(ACCOUNT_A,))
    return before, after


def test_diff_change_kinds(pair: tuple[Snapshot, Snapshot]) -> None:
    d = diff(*pair)
    assert arns(d.new) == ["fresh"]
    assert arns(d.resolved) == ["closed", "crit", "gone"]
    assert arns(d.reopened) == ["reopen"]
    assert arns(d.still_open) == ["still", "worse"]
    assert arns(d.unobserved) == ["elsewhere"]  # us-east-1 was not in the new snapshot
    assert [(a.severity.value, b.severity.value) for a, b in d.severity_changed] == [
        ("MEDIUM", "CRITICAL")
    ]
    assert d.taken_at == NEW_TAKEN
    # The CLOSED version for closed findings, the old version for absent ones.
    statuses = {f.finding_arn.rsplit("/", 1)[1]: f.status.value for f in d.resolved}
    assert statuses == {"closed": "CLOSED", "crit": "CLOSED", "gone": "ACTIVE"}


def test_mean_time_to_remediate_exact(pair: tuple[Snapshot, Snapshot]) -> None:
    mttr = diff(*pair).mean_time_to_remediate()
    # HIGH: closed 10 days (updatedAt), gone 27 days (to the new taken_at) -> 18.5 days.
    # CRITICAL: 1.5 days (updatedAt).
    assert mttr == {"CRITICAL": timedelta(days=1, hours=12), "HIGH": timedelta(days=18, hours=12)}
    assert list(mttr) == ["CRITICAL", "HIGH"]


def test_plain_iterables_absent_is_resolved_without_closing_time() -> None:
    old = [finding("a"), finding("b", region="us-east-1")]
    d = diff(old, [])
    assert arns(d.resolved) == ["a", "b"] and d.unobserved == ()
    assert d.taken_at is None and d.mean_time_to_remediate() == {}


def test_snapshot_without_regions_covers_everything() -> None:
    old = Snapshot((finding("a", region="us-east-1"),), OLD_TAKEN)
    new = Snapshot((), NEW_TAKEN)
    d = diff(old, new)
    assert arns(d.resolved) == ["a"]
    assert d.mean_time_to_remediate() == {"HIGH": NEW_TAKEN - utc(2026, 10, 1, 8)}


def test_to_records_one_row_per_finding(pair: tuple[Snapshot, Snapshot]) -> None:
    rows = diff(*pair).to_records()
    by_name = {r["finding_arn"].rsplit("/", 1)[1]: r for r in rows}
    assert len(rows) == len(by_name) == 8
    assert {k: r["change"] for k, r in by_name.items()} == {
        "fresh": "new",
        "closed": "resolved",
        "crit": "resolved",
        "gone": "resolved",
        "reopen": "reopened",
        "still": "still_open",
        "worse": "still_open",
        "elsewhere": "unobserved",
    }
    assert by_name["worse"]["old_severity"] == "MEDIUM"
    assert by_name["worse"]["severity"] == "CRITICAL"
    assert by_name["still"]["old_severity"] is None


def test_severity_change_of_closed_finding_gets_its_own_row() -> None:
    d = diff([finding("x", status="CLOSED")], [finding("x", status="CLOSED", severity="LOW")])
    assert [r["change"] for r in d.to_records()] == ["severity_changed"]


def test_to_text(pair: tuple[Snapshot, Snapshot]) -> None:
    text = diff(*pair).to_text()
    assert text.splitlines() == [
        "new 1, resolved 3, reopened 1, still open 2, unobserved 1, severity changed 1",
        "mean time to remediate:",
        "  CRITICAL: 1.5 days",
        "  HIGH: 18.5 days",
    ]
    assert FindingsDiff().to_text().startswith("new 0,")


# ----------------------------------------------------------------------------- snapshots

FINDINGS = (
    finding("one", severity="CRITICAL", epss={"score": 0.5}, updatedAt="2026-10-02T00:00:00Z"),
    finding("two", region="us-east-1", account=ACCOUNT_B, status="CLOSED"),
)
CRITERIA = {"severity": [{"comparison": "EQUALS", "value": "CRITICAL"}]}


@pytest.mark.parametrize("name", ["s.parquet", "s.jsonl", "s.jsonl.gz"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    saved = Snapshot.save(
        FINDINGS,
        path,
        regions=["eu-west-1", "us-east-1"],
        accounts=[ACCOUNT_A, ACCOUNT_B],
        criteria=CRITERIA,
        taken_at=datetime(2026, 11, 2, 6, 30),  # naive: UTC
    )
    loaded = Snapshot.load(path)
    assert loaded == saved
    assert loaded.findings == FINDINGS
    assert loaded.metadata() == saved.metadata()
    assert loaded.taken_at == utc(2026, 11, 2, 6, 30)
    assert loaded.regions == ("eu-west-1", "us-east-1")
    assert loaded.accounts == (ACCOUNT_A, ACCOUNT_B)
    assert loaded.criteria == CRITERIA
    assert loaded.path == path and saved.path == path
    assert loaded.metadata()["finding_count"] == 2
    magic = path.read_bytes()[:2]
    assert magic == {"s.parquet": b"PA", "s.jsonl": b'{"', "s.jsonl.gz": b"\x1f\x8b"}[name]


def test_empty_snapshot_round_trips(tmp_path: Path) -> None:
    for name in ("e.parquet", "e.jsonl"):
        saved = Snapshot.save([], tmp_path / name, taken_at=NEW_TAKEN)
        assert Snapshot.load(tmp_path / name) == saved
        assert saved.regions is None and saved.criteria is None


def test_gzipped_jsonl_written_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "hand.jsonl.gz"
    header = (
        '{"snapshot": {"format": "inspector_kit.snapshot", "taken_at": "2026-11-02T00:00:00Z"}}'
    )
    body = "\n".join([header, FINDINGS[0].to_json(), ""])
    path.write_bytes(gzip.compress(body.encode()))
    snap = Snapshot.load(path)
    assert snap.findings == FINDINGS[:1] and snap.taken_at == utc(2026, 11, 2)
    assert snap.regions is None and snap.version == "unknown"


def test_plain_jsonl_loads_without_metadata(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    write_jsonl(list(FINDINGS), path)
    snap = Snapshot.load(path)
    assert snap.findings == FINDINGS and snap.regions is None and snap.criteria is None


def test_load_findings_does_not_read_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    Snapshot.save(FINDINGS, path)
    with pytest.raises(SourceFormatError, match="snapshot"):
        list(load_findings(path))


def test_truncated_snapshot_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    Snapshot.save(FINDINGS, path)
    path.write_text("\n".join(path.read_text().splitlines()[:-1]) + "\n")
    with pytest.raises(SourceFormatError, match="header says 2 findings, the file holds 1"):
        Snapshot.load(path)


def test_parquet_columns(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "s.parquet"
    Snapshot.save(FINDINGS, path, taken_at=NEW_TAKEN)
    table = pq.read_table(path)
    assert tuple(table.column_names) == PARQUET_COLUMNS
    assert str(table.schema.field("first_observed_at").type) == "timestamp[us, tz=UTC]"
    assert table["snapshot_taken_at"].to_pylist() == [NEW_TAKEN, NEW_TAKEN]
    assert table["severity"].to_pylist() == ["CRITICAL", "HIGH"]


# ----------------------------------------------------------------------------- query


def weekly_snapshots(folder: Path) -> list[Path]:
    crit = {"severity": "CRITICAL"}
    weeks = [
        (
            utc(2026, 11, 2),
            [
                finding("a1", **crit),
                finding("a2", **crit),
                finding("a3"),  # HIGH: not counted
                finding("b1", account=ACCOUNT_B, region="us-east-1", **crit),
            ],
        ),
        (
            utc(2026, 11, 9),
            [
                finding("a1", **crit),
                finding("a2", status="CLOSED", **crit),  # closed: not counted
                finding("b1", account=ACCOUNT_B, region="us-east-1", **crit),
            ],
        ),
        (
            utc(2026, 11, 16),
            [
                finding("a1", status="CLOSED", **crit),
                finding("b1", account=ACCOUNT_B, region="us-east-1", **crit),
                finding("b2", account=ACCOUNT_B, **crit),
            ],
        ),
    ]
    paths = []
    for taken_at, findings in weeks:
        path = folder / f"{taken_at:%Y-%m-%d}.parquet"
        Snapshot.save(findings, path, taken_at=taken_at)
        paths.append(path)
    return paths


def test_query_open_criticals_per_week_per_account(tmp_path: Path) -> None:
    weekly_snapshots(tmp_path)
    rows = query(tmp_path / "*.parquet", OPEN_CRITICALS_PER_WEEK)
    assert rows == [
        {"week": "2026-W45", "aws_account_id": ACCOUNT_A, "open_criticals": 2},
        {"week": "2026-W45", "aws_account_id": ACCOUNT_B, "open_criticals": 1},
        {"week": "2026-W46", "aws_account_id": ACCOUNT_A, "open_criticals": 1},
        {"week": "2026-W46", "aws_account_id": ACCOUNT_B, "open_criticals": 1},
        {"week": "2026-W47", "aws_account_id": ACCOUNT_B, "open_criticals": 2},
    ]


def test_query_paths_and_timestamps(tmp_path: Path) -> None:
    paths = weekly_snapshots(tmp_path)
    rows = query(
        [str(p) for p in paths[:2]],
        "SELECT snapshot_taken_at, count(*) AS n FROM findings GROUP BY ALL ORDER BY ALL",
    )
    assert rows == [
        {"snapshot_taken_at": utc(2026, 11, 2), "n": 4},
        {"snapshot_taken_at": utc(2026, 11, 9), "n": 3},
    ]


def test_query_no_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        query(tmp_path / "*.parquet", "SELECT 1")
    with pytest.raises(FileNotFoundError):
        query(tmp_path / "missing.parquet", "SELECT 1")


# ----------------------------------------------------------------------------- extras


def test_query_without_duckdb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    weekly_snapshots(tmp_path)
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(MissingExtraError) as info:
        query(tmp_path / "*.parquet", "SELECT 1")
    assert "pip install 'inspector-kit[duckdb]'" in str(info.value)
    assert info.value.module == "duckdb" and info.value.extra == "duckdb"


def test_parquet_without_pyarrow(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    saved = tmp_path / "saved.parquet"
    Snapshot.save(FINDINGS, saved)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'inspector-kit\[arrow\]'"):
        Snapshot.save(FINDINGS, tmp_path / "new.parquet")
    assert not (tmp_path / "new.parquet").exists()
    with pytest.raises(MissingExtraError, match=r"pip install 'inspector-kit\[arrow\]'"):
        Snapshot.load(saved)
    # JSON Lines needs no extra.
    assert Snapshot.load(Snapshot.save(FINDINGS, tmp_path / "s.jsonl").path or "").findings


def test_import_does_not_load_the_extras() -> None:
    import subprocess

    code = (
        "import sys, inspector_kit.history; "
        "print(sorted(m for m in ('pyarrow', 'duckdb') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------------- hardening
# Issue 14, item 15: a bad snapshot file or header value is a SnapshotError naming the file
# and the field; a bad finding inside a readable snapshot is reported, the rest loaded.


def _header_and_lines(path: Path) -> tuple[dict[str, Any], list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0])["snapshot"], lines[1:]


def _rewrite_header(path: Path, **changes: Any) -> None:
    meta, body = _header_and_lines(path)
    for key, value in changes.items():
        if value is _MISSING:
            del meta[key]
        else:
            meta[key] = value
    path.write_text("\n".join([json.dumps({"snapshot": meta}), *body]) + "\n", encoding="utf-8")


def _rewrite_parquet_metadata(path: Path, raw: bytes | None) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    pq.write_table(table.replace_schema_metadata(None if raw is None else {_META_KEY: raw}), path)


_MISSING = object()
_META_KEY = b"inspector_kit.snapshot"


def test_regions_as_a_string_is_an_error_not_nine_one_letter_regions(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    Snapshot.save(FINDINGS, path, regions=["us-east-1"])
    _rewrite_header(path, regions="us-east-1")
    with pytest.raises(SnapshotError) as info:
        Snapshot.load(path)
    err = info.value
    assert (err.source, err.field, err.line) == (str(path), "regions", 1)
    assert "expected a list of strings, got str" in str(err) and str(path) in str(err)
    assert isinstance(err, SourceFormatError) and isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"regions": 5}, "regions", "expected a list of strings, got int"),
        ({"regions": ["us-east-1", 7]}, "regions[1]", "expected a string, got int"),
        ({"accounts": {"111122223333": 1}}, "accounts", "got dict"),
        ({"accounts": [None]}, "accounts[0]", "got null"),
        ({"taken_at": "yesterday"}, "taken_at", "not a timestamp"),
        ({"taken_at": [2026]}, "taken_at", "expected a timestamp, got list"),
        ({"taken_at": None}, "taken_at", "expected a timestamp, got NoneType"),
        ({"taken_at": _MISSING}, "taken_at", "missing"),
        ({"finding_count": "2"}, "finding_count", "expected a non-negative integer, got str"),
        ({"finding_count": True}, "finding_count", "got bool"),
        ({"finding_count": -1}, "finding_count", "got -1"),
        ({"finding_count": 3}, "finding_count", "the header says 3 findings, the file holds 2"),
        ({"criteria": [1]}, "criteria", "expected an object or null, got list"),
        ({"inspector_kit_version": {"v": 1}}, "inspector_kit_version", "got dict"),
        ({"format_version": "1"}, "format_version", "expected an integer, got str"),
        ({"format_version": 99}, "format_version", "newer than this inspector_kit reads"),
        ({"format": "something.else"}, "format", "not an inspector_kit snapshot"),
    ],
)
@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_bad_header_values_name_the_file_and_field(
    tmp_path: Path, kind: str, changes: dict[str, Any], field: str, words: str
) -> None:
    jsonl = tmp_path / "s.jsonl"
    Snapshot.save(FINDINGS, jsonl, regions=["eu-west-1"], accounts=[ACCOUNT_A])
    _rewrite_header(jsonl, **changes)
    path = jsonl
    if kind == "parquet":
        path = tmp_path / "s.parquet"
        Snapshot.save(FINDINGS, path)
        meta, _ = _header_and_lines(jsonl)
        _rewrite_parquet_metadata(path, json.dumps(meta).encode())
    with pytest.raises(SnapshotError) as info:
        Snapshot.load(path)
    err = info.value
    assert err.source == str(path) and err.field == field
    assert words in err.message
    assert str(err).startswith(str(path))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ('{"snapshot": [1, 2]}', "snapshot"),
        ('{"snapshot": "inspector_kit.snapshot"}', "snapshot"),
        ('{"snapshot": ' + "[" * 100_000 + "]" * 100_000 + "}", None),  # deep: not JSON to us
        ('{"snapshot": {"format": "inspector_kit.snapshot", "taken_at": ', None),  # cut
    ],
)
def test_bad_header_line(tmp_path: Path, header: str, field: str | None) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(header + "\n" + FINDINGS[0].to_json() + "\n", encoding="utf-8")
    with pytest.raises(SnapshotError) as info:
        Snapshot.load(path)
    assert info.value.field == field and info.value.line == 1
    assert info.value.source == str(path)


def _parquet_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "good.parquet"
    Snapshot.save(FINDINGS, path, taken_at=NEW_TAKEN)
    return path.read_bytes()


def _gzip_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "good.jsonl.gz"
    Snapshot.save(FINDINGS, path, taken_at=NEW_TAKEN)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("empty.jsonl", lambda tmp: b"", "empty"),
        ("blank.jsonl", lambda tmp: b"\n  \n\t\n", "empty"),
        ("empty.parquet", lambda tmp: b"", "empty"),
        ("magic.parquet", lambda tmp: b"PAR1", "not a readable Parquet file"),
        (
            "half.parquet",
            lambda tmp: _parquet_bytes(tmp)[: len(_parquet_bytes(tmp)) // 2],
            "Parquet",
        ),
        ("tail.parquet", lambda tmp: _parquet_bytes(tmp)[:-3], "Parquet"),
        ("footer.parquet", lambda tmp: _parquet_bytes(tmp)[:-8] + b"\xff" * 4 + b"PAR1", "Parquet"),
        ("json.parquet", lambda tmp: FINDINGS[0].to_json().encode(), "not a Parquet file"),
        ("binary.jsonl", lambda tmp: b"\x00\x01\x02garbage\n", "line 1: not valid JSON"),
        ("latin1.jsonl", lambda tmp: b'{"snapshot": {"caf\xe9": 1}}\n', "not UTF-8"),
        ("half.jsonl.gz", lambda tmp: _gzip_bytes(tmp)[: len(_gzip_bytes(tmp)) // 2], "gzip"),
        ("junk.jsonl.gz", lambda tmp: b"\x1f\x8bjunk", "gzip"),
        ("deep.jsonl", lambda tmp: b"[" * 100_000 + b"\n", "line 1: not valid JSON"),
    ],
)
def test_corrupt_files_are_snapshot_errors_naming_the_file(
    tmp_path: Path, name: str, make: Any, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    with pytest.raises(SnapshotError) as info:
        Snapshot.load(path)
    assert info.value.source == str(path)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (None, "no inspector_kit snapshot metadata"),
        (b"{not json", "not valid JSON"),
        (b'{"format": "caf\xe9"}', "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_bad_parquet_metadata(tmp_path: Path, raw: bytes | None, words: str) -> None:
    path = tmp_path / "s.parquet"
    Snapshot.save(FINDINGS, path)
    _rewrite_parquet_metadata(path, raw)
    with pytest.raises(SnapshotError, match=words) as info:
        Snapshot.load(path)
    assert info.value.field == "inspector_kit.snapshot" and info.value.source == str(path)


def _parquet_with_findings(path: Path, column: Any, count: int | None = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = Snapshot((), NEW_TAKEN).metadata()
    meta["finding_count"] = len(column) if count is None else count
    table = pa.table({"finding": column}).replace_schema_metadata(
        {_META_KEY: json.dumps(meta).encode()}
    )
    pq.write_table(table, path)


def test_parquet_without_a_finding_column(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "s.parquet"
    meta = json.dumps(Snapshot((), NEW_TAKEN).metadata()).encode()
    pq.write_table(pa.table({"other": ["x"]}).replace_schema_metadata({_META_KEY: meta}), path)
    with pytest.raises(SnapshotError, match="no column 'finding'") as info:
        Snapshot.load(path)
    assert info.value.field == "finding"


def test_parquet_finding_column_of_the_wrong_type(tmp_path: Path) -> None:
    import pyarrow as pa

    path = tmp_path / "s.parquet"
    _parquet_with_findings(path, pa.array([1, 2], pa.int64()))
    with pytest.raises(SnapshotError, match="strings") as info:
        Snapshot.load(path)
    assert info.value.field == "finding"


def test_bad_findings_in_a_parquet_snapshot_are_reported_the_rest_loaded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "s.parquet"
    good = [f.to_json() for f in FINDINGS]
    column = [good[0], "{not json", None, '{"findingArn": 3}', "[" * 100_000, good[1]]
    _parquet_with_findings(path, column)
    with caplog.at_level(logging.WARNING, logger="inspector_kit.history"):
        snap = Snapshot.load(path)
    assert snap.findings == FINDINGS
    assert [(e.index, e.line) for e in snap.errors] == [(1, None), (2, None), (3, None), (4, None)]
    assert "not valid JSON" in str(snap.errors[0]) and "null" in str(snap.errors[1])
    assert isinstance(snap.errors[2].error, FindingParseError)
    assert "4 finding(s) could not be loaded" in caplog.text and str(path) in caplog.text
    with pytest.raises(SourceFormatError, match="not valid JSON"):
        Snapshot.load(path, strict=True)
    with pytest.raises(SourceFormatError):
        snap.raise_for_errors()


def test_bad_findings_in_a_jsonl_snapshot_are_reported_the_rest_loaded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "s.jsonl"
    Snapshot.save(FINDINGS, path, taken_at=NEW_TAKEN)
    meta, body = _header_and_lines(path)
    meta["finding_count"] = 6
    lines = [
        json.dumps({"snapshot": meta}).encode(),
        body[0].encode(),
        b'{"findingArn": 3}',
        b"{not json",
        b'{"title": "caf\xe9"}',  # Latin-1, not UTF-8
        b"[" * 100_000,
        body[1].encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    with caplog.at_level(logging.WARNING, logger="inspector_kit.history"):
        snap = Snapshot.load(path)
    assert snap.findings == FINDINGS and snap.taken_at == NEW_TAKEN
    assert [(e.index, e.line) for e in snap.errors] == [(1, 3), (2, 4), (3, 5), (4, 6)]
    assert isinstance(snap.errors[0].error, FindingParseError)
    assert "findingArn" in str(snap.errors[0])
    assert "not valid JSON" in str(snap.errors[1]) and "not UTF-8" in str(snap.errors[2])
    assert "nested too deeply" in str(snap.errors[3])
    assert "could not be loaded" in caplog.text
    with pytest.raises(FindingParseError):
        Snapshot.load(path, strict=True)
    # The count in the header counts the bad records too: none was silently dropped.
    meta["finding_count"] = 5
    path.write_bytes(b"\n".join([json.dumps({"snapshot": meta}).encode(), *lines[1:]]) + b"\n")
    with pytest.raises(SnapshotError, match="the header says 5 findings, the file holds 6"):
        Snapshot.load(path)


def test_a_good_snapshot_has_no_errors(tmp_path: Path) -> None:
    snap = Snapshot.load(Snapshot.save(FINDINGS, tmp_path / "s.jsonl").path or "")
    assert snap.errors == ()
    snap.raise_for_errors()


def test_missing_file_is_still_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Snapshot.load(tmp_path / "missing.jsonl")


def test_snapshot_error_pickles() -> None:
    err = SnapshotError("bad", source="f.jsonl", field="regions", line=1)
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.source, again.field, again.line) == (
        "bad",
        "f.jsonl",
        "regions",
        1,
    )
    assert str(again) == str(err) == "f.jsonl, line 1: regions: bad"


# ----------------------------------------------------------------------------- query hardening


def test_query_syntax_error_is_a_library_error(tmp_path: Path) -> None:
    import duckdb

    paths = weekly_snapshots(tmp_path)
    with pytest.raises(SnapshotQueryError) as info:
        query(tmp_path / "*.parquet", "SELEC count(*) FROM findings")
    err = info.value
    assert err.sql == "SELEC count(*) FROM findings"
    assert err.files == tuple(str(p) for p in sorted(paths))
    assert "syntax error" in err.reason and isinstance(err.__cause__, duckdb.Error)
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("SELECT no_such_column FROM findings", "no_such_column"),
        ("SELECT * FROM no_such_table", "no_such_table"),
        ("SELECT no_such_function(1)", "no_such_function"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_query_errors_name_the_query(tmp_path: Path, sql: str, words: str) -> None:
    weekly_snapshots(tmp_path)
    with pytest.raises(SnapshotQueryError, match=words) as info:
        query(tmp_path / "*.parquet", sql)
    assert info.value.sql == sql


def test_query_of_only_a_comment_returns_no_rows(tmp_path: Path) -> None:
    weekly_snapshots(tmp_path)
    assert query(tmp_path / "*.parquet", "-- nothing to run") == []


def test_query_over_a_non_parquet_file_names_the_file(tmp_path: Path) -> None:
    weekly_snapshots(tmp_path)
    bad = tmp_path / "zz-broken.parquet"
    bad.write_bytes(b"PAR1 but nothing else")
    with pytest.raises(SnapshotError, match="not a Parquet file") as info:
        query(tmp_path / "*.parquet", "SELECT 1")
    assert info.value.source == str(bad)


def test_query_over_a_parquet_file_that_is_not_a_snapshot_names_the_column(
    tmp_path: Path,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    weekly_snapshots(tmp_path)
    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"x": [1]}), other)
    with pytest.raises(SnapshotError) as info:
        query(tmp_path / "*.parquet", "SELECT count(*) AS n FROM findings")
    assert info.value.source == str(other) and info.value.field == "snapshot_taken_at"


def test_query_over_a_corrupt_parquet_file_is_a_library_error(tmp_path: Path) -> None:
    paths = weekly_snapshots(tmp_path)
    data = bytearray(paths[1].read_bytes())
    for i in range(8, len(data) // 2):  # the data pages; the footer stays readable
        data[i] ^= 0x5A
    paths[1].write_bytes(bytes(data))
    with pytest.raises((SnapshotQueryError, SnapshotError)) as info:
        query(tmp_path / "*.parquet", "SELECT * FROM findings")
    assert str(paths[1]) in str(info.value)


def _one_row_snapshot(path: Path, name: str) -> None:
    Snapshot.save([finding(name)], path, taken_at=NEW_TAKEN)


def test_query_reads_a_file_named_a_star_b_as_that_file(tmp_path: Path) -> None:
    for name in ("a*b", "ab", "axxb"):
        _one_row_snapshot(tmp_path / f"{name}.parquet", name)
    sql = "SELECT finding_arn FROM findings ORDER BY ALL"
    rows = query(tmp_path / "a*b.parquet", sql)
    assert [r["finding_arn"].rsplit("/", 1)[1] for r in rows] == ["a*b"]
    # A glob matching all three reads each once (DuckDB would expand "a*b.parquet" again).
    rows = query(tmp_path / "a*.parquet", sql)
    assert [r["finding_arn"].rsplit("/", 1)[1] for r in rows] == ["a*b", "ab", "axxb"]


def test_query_reads_file_names_with_glob_characters_literally(tmp_path: Path) -> None:
    import glob

    folder = tmp_path / "we[ir]d {dir}?"
    folder.mkdir()
    for name in ("a*b", "ab", "axxb", "a?c", "abc", "q'uote", "c[x]d", "cxd", "e{1,2}", "e1"):
        _one_row_snapshot(folder / f"{name}.parquet", name)
    sql = "SELECT finding_arn FROM findings ORDER BY ALL"

    def names(rows: list[dict[str, Any]]) -> list[str]:
        return [r["finding_arn"].rsplit("/", 1)[1] for r in rows]

    # An existing file is that one file, whatever characters its name holds.
    for name in ("a*b", "a?c", "q'uote", "c[x]d", "e{1,2}"):
        assert names(query(folder / f"{name}.parquet", sql)) == [name]
        assert names(query([str(folder / f"{name}.parquet")], sql)) == [name]
    # Anything else with glob characters is a glob (Python's rules); each match is read
    # once and literally (DuckDB would expand "a*b.parquet" again, to three files).
    pattern = glob.escape(str(folder)) + "/a*.parquet"  # the folder's own [ ] ? escaped
    assert names(query(pattern, sql)) == sorted(["a*b", "ab", "axxb", "a?c", "abc"])
    assert names(query(glob.escape(str(folder)) + "/*.parquet", sql)) == sorted(
        ["a*b", "ab", "axxb", "a?c", "abc", "q'uote", "c[x]d", "cxd", "e{1,2}", "e1"]
    )
    assert names(query(glob.escape(str(folder / "a*b")) + ".parquet", sql)) == ["a*b"]


def test_diff_warns_when_a_snapshot_lost_findings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text(FINDINGS[0].to_json() + '\n{"findingArn": 1}\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="inspector_kit.history"):
        loaded = Snapshot.load(path)
        caplog.clear()
        d = diff(Snapshot(FINDINGS, OLD_TAKEN), loaded)
    assert arns(d.resolved) == [] and arns(d.still_open) == ["one"]  # "two" was CLOSED
    assert f"the new snapshot {path} lacks 1 finding(s) it could not read" in caplog.text
