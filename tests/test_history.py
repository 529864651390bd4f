"""inspector_kit.history: snapshots, diffs, MTTR and DuckDB queries."""

from __future__ import annotations

import gzip
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding, SourceFormatError, load_findings
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
