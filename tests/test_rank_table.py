"""Ranking on Arrow tables agrees with ``rank`` record for record, in the same order.

Truth used: ``rank`` over the same findings (tested in ``tests/test_triage_rank.py`` against
hand-computed scores), on the sample estate and on findings built to reach every branch.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit.errors import InvalidArgumentError, InvalidArgumentTypeError, TriageError
from inspector_kit.formats import to_arrow
from inspector_kit.history import PARQUET_COLUMNS, Snapshot
from inspector_kit.models import FindingDetail
from inspector_kit.scoring import NetworkExposure
from inspector_kit.testing import finding_payload
from inspector_kit.triage import RANK_TABLE_INPUT_COLUMNS, Weights, rank, rank_table

pa = pytest.importorskip("pyarrow")


def _edge() -> list[Finding]:
    def one(n: int, **members: Any) -> Finding:
        arn = f"arn:aws:inspector2:us-east-1:111122223333:finding/{n:032x}"
        return Finding.from_api(finding_payload(findingArn=arn, **members))

    v2 = {
        "vulnerabilityId": "CVE-2005-2541",
        "source": "NVD",
        "cvss": [
            {
                "baseScore": 10.0,
                "scoringVector": "AV:N/AC:L/Au:N/C:C/I:C/A:C",
                "source": "NVD",
                "version": "2.0",
            }
        ],
    }
    return [
        one(1, inspectorScore=5.0),
        one(2, inspectorScore=9.0, epss={"score": 0.5}, exploitAvailable="YES"),
        one(3, inspectorScore=None, packageVulnerabilityDetails=v2, fixAvailable="PARTIAL"),
        one(4, inspectorScore=7.5, fixAvailable="NO"),
        one(5, inspectorScore=7.5, fixAvailable="NEW_VALUE"),
        one(6, type="NETWORK_REACHABILITY", inspectorScore=None),
        one(7, inspectorScore=5.0),  # ties with 1: the ARN orders them
        one(1, inspectorScore=5.0, title="the same ARN twice: input order kept"),
    ]


def _details(findings: list[Finding]) -> dict[str, FindingDetail]:
    arns = sorted({f.finding_arn for f in findings})
    out = {}
    for n, arn in enumerate(arns[::5]):
        payload: dict[str, Any] = {"findingArn": arn, "epssScore": 0.25}
        if n % 2:
            payload["cisaData"] = {"dateAdded": "2024-01-01T00:00:00Z"}
        out[arn] = FindingDetail.from_api(payload)
    return out


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return [*sample_findings(), *_edge()]


def _exposures(findings: list[Finding]) -> dict[str, NetworkExposure]:
    members = list(NetworkExposure)
    ids = sorted({f.primary_resource.id for f in findings})
    return {rid: members[n % len(members)] for n, rid in enumerate(ids) if n % 3}


@pytest.mark.parametrize("with_exposures", [False, True])
@pytest.mark.parametrize("with_details", [False, True])
@pytest.mark.parametrize("weights", [None, Weights(kev=3, fix=0)])
def test_rank_table_equals_rank(
    findings: list[Finding], with_exposures: bool, with_details: bool, weights: Weights | None
) -> None:
    exposures = _exposures(findings) if with_exposures else None
    details = _details(findings) if with_details else None
    expected = rank(findings, exposures=exposures, weights=weights, details=details)
    got = rank_table(to_arrow(findings), exposures=exposures, weights=weights, details=details)
    assert got.column_names == list(expected.columns)
    assert got.to_pylist() == expected.to_records()
    sources = set(got.column("cvss_source").to_pylist())
    assert {"inspector", "cvss", "none"} <= sources
    if with_exposures:
        assert "rescored" in sources
    if with_details:
        assert any(v > 0 for v in got.column("kev").to_pylist())


def test_a_parquet_snapshot_is_ranked_from_its_columns(
    findings: list[Finding], tmp_path: Path
) -> None:
    path = tmp_path / "week.parquet"
    Snapshot.save(findings, path, taken_at=datetime(2026, 11, 2, tzinfo=timezone.utc))
    columns = Snapshot.read_columns(path, RANK_TABLE_INPUT_COLUMNS)
    exposures = _exposures(findings)
    assert set(RANK_TABLE_INPUT_COLUMNS) <= set(PARQUET_COLUMNS)
    assert (
        rank_table(columns, exposures=exposures).to_pylist()
        == rank(findings, exposures=exposures).to_records()
    )


def test_refusals(findings: list[Finding]) -> None:
    table = to_arrow(findings[:3])
    with pytest.raises(TriageError, match="reachability"):
        rank_table(table, weights=Weights(reachability=2))
    with pytest.raises(InvalidArgumentError, match="epss_score"):
        rank_table(table.drop_columns(["epss_score"]))
    with pytest.raises(InvalidArgumentTypeError, match="list"):
        rank_table([1, 2])
    assert rank_table(table.to_batches()[0]).num_rows == 3
    assert rank_table(table.slice(0, 0)).num_rows == 0
