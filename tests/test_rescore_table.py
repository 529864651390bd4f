"""Rescoring on Arrow tables agrees with ``rescore_all`` row by row.

Truths used: ``rescore_all`` over the same findings (itself tested against the CVSS v3.1
specification's scores and the sample estate's Inspector scores), and the CVSS v3.1 scores of
the vectors below (computed by the ``cvss`` package's reference implementation in
``tests/test_scoring_rescore.py``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit.errors import InvalidArgumentError, InvalidArgumentTypeError
from inspector_kit.formats import FINDING_COLUMNS, to_arrow, to_records
from inspector_kit.history import PARQUET_COLUMNS, Snapshot
from inspector_kit.scoring import (
    BASE_CVSS_COLUMNS,
    TABLE_INPUT_COLUMNS,
    ExposurePolicy,
    NetworkExposure,
    parse_vector,
    rescore_all,
    rescore_batches,
    rescore_table,
)
from inspector_kit.scoring import _table as table_module
from inspector_kit.testing import finding_payload

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")

CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8; with MAV:A 8.8
LOCAL = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"  # 7.8: AV:L, never adjusted
OLD = "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"  # 5.9; with MAV:A 5.3

# The reasons rescore_all gives that a table cannot reproduce exactly (it does not carry the
# other CVSS versions of a finding without a v3 score): the table's shorter reason instead.
_BASE_METRICS = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"}
_COARSE = ("only CVSS", "no CVSS score on the finding")


def _exposures(findings: list[Finding]) -> dict[str, NetworkExposure]:
    members = (NetworkExposure.INTERNAL, NetworkExposure.INTERNET, NetworkExposure.ISOLATED)
    ids = sorted({f.primary_resource.id for f in findings})
    # Every exposure, and some resources left out (they get the default).
    return {rid: members[n % 3] for n, rid in enumerate(ids) if n % 4}


def _assert_same(rows: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert tuple(got) == tuple(want)
        reason = want["reason"]
        if reason is not None and reason.startswith(_COARSE):
            assert got["reason"] == table_module._NO_VECTOR
            got = {**got, "reason": reason}
        assert got == want, want["finding_arn"]


def _edge_findings() -> list[Finding]:
    def package(cvss: list[dict[str, Any]], **members: Any) -> Finding:
        return Finding.from_api(
            finding_payload(
                packageVulnerabilityDetails={
                    "vulnerabilityId": "CVE-2026-0001",
                    "source": members.pop("source", "NVD"),
                    "cvss": cvss,
                },
                **members,
            )
        )

    def entry(vector: str, source: str = "NVD", version: str = "3.1") -> dict[str, Any]:
        return {"baseScore": 1.0, "scoringVector": vector, "source": source, "version": version}

    return [
        package([entry(CRIT)]),
        package([entry(LOCAL)]),
        package([entry(OLD, version="3.0")]),
        package([entry(CRIT), entry(OLD, "UBUNTU_CVE", "3.0")], source="UBUNTU_CVE"),
        package([entry("AV:N/AC:L/Au:N/C:P/I:P/A:P", version="2.0")]),
        package([entry("CVSS:3.1/AV:Q/AC:L", version="3.1")]),  # unreadable: a reason
        package([], severity="UNTRIAGED"),
        package([]),
        Finding.from_api(finding_payload(type="NETWORK_REACHABILITY")),
        Finding.from_api(finding_payload(type="CODE_VULNERABILITY")),
        Finding.from_api(
            finding_payload(
                resources=[{"type": "AWS_ECR_CONTAINER_IMAGE", "id": "arn:aws:ecr:x"}],
                packageVulnerabilityDetails={
                    "vulnerabilityId": "CVE-2026-0002",
                    "source": "NVD",
                    "cvss": [entry(CRIT)],
                },
            )
        ),
    ]


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return [*sample_findings(), *_edge_findings()]


def test_the_input_columns_are_record_columns() -> None:
    assert set(TABLE_INPUT_COLUMNS) <= set(FINDING_COLUMNS)
    assert set(BASE_CVSS_COLUMNS) <= set(PARQUET_COLUMNS)


@pytest.mark.parametrize("default", ["UNKNOWN", "INTERNAL", "INTERNET"])
@pytest.mark.parametrize("policy", [None, ExposurePolicy.strict(), ExposurePolicy.unchanged()])
def test_table_equals_rescore_all_row_by_row(
    findings: list[Finding], default: str, policy: ExposurePolicy | None
) -> None:
    exposures = _exposures(findings)
    expected = rescore_all(findings, exposures, policy=policy, default=default).to_records()
    table = rescore_table(to_arrow(findings), exposures, policy=policy, default=default)
    assert table.schema.names == list(rescore_all([]).columns)
    assert table.schema.field("score").type == pa.float64()
    _assert_same(table.to_pylist(), expected)
    # Not vacuous: the policy changed some scores, and some rows have no score at all.
    if policy is None and default == "INTERNAL":
        changed = pc.sum(table.column("severity_changed")).as_py()
        assert changed > 0
        assert table.column("score").null_count > 0


def test_dictionary_encoded_and_chunked_input_give_the_same_rows(findings: list[Finding]) -> None:
    exposures = _exposures(findings)
    plain = to_arrow(findings)
    expected = rescore_table(plain, exposures).to_pylist()
    encoded = pa.table(
        {
            name: (
                pc.dictionary_encode(plain.column(name))
                if name != "finding_arn"
                else plain.column(name)
            )
            for name in plain.column_names
        }
    )
    assert pa.types.is_dictionary(encoded.schema.field("cvss_vector").type)
    assert rescore_table(encoded, exposures).to_pylist() == expected
    small = pa.Table.from_batches(plain.to_batches(max_chunksize=7))
    assert rescore_table(small, exposures).to_pylist() == expected
    streamed = rescore_batches(plain.to_batches(max_chunksize=50), exposures)
    assert [row for batch in streamed for row in batch.to_pylist()] == expected


def test_a_record_batch_and_an_empty_table(findings: list[Finding]) -> None:
    batch = to_arrow(findings[:5]).to_batches()[0]
    assert rescore_table(batch).num_rows == 5
    empty = rescore_table(to_arrow(findings).slice(0, 0))
    assert empty.num_rows == 0 and empty.schema.names == list(rescore_all([]).columns)


def test_a_parquet_snapshot_is_rescored_from_its_columns(
    findings: list[Finding], tmp_path: Path
) -> None:
    path = tmp_path / "week.parquet"
    Snapshot.save(findings, path, taken_at=datetime(2026, 11, 2, tzinfo=timezone.utc))
    columns = Snapshot.read_columns(path, TABLE_INPUT_COLUMNS)
    exposures = _exposures(findings)
    _assert_same(
        rescore_table(columns, exposures).to_pylist(),
        rescore_all(findings, exposures).to_records(),
    )


def test_keys_beyond_int64_are_renumbered(
    findings: list[Finding], monkeypatch: pytest.MonkeyPatch
) -> None:
    exposures = _exposures(findings)
    expected = rescore_table(to_arrow(findings), exposures).to_pylist()
    monkeypatch.setattr(table_module, "_LIMIT", 40)  # forces a renumbering at every column
    assert rescore_table(to_arrow(findings), exposures).to_pylist() == expected


def test_the_cvss_columns_are_the_base_rescoring_starts_from(findings: list[Finding]) -> None:
    rows = to_records(findings)
    results = rescore_all(findings)
    for row, result in zip(rows, results, strict=True):
        if row["cvss_vector"] is None:
            assert result.base_vector is None
        elif result.reason is not None:  # the picked vector cannot be read: the reason says so
            assert result.reason.startswith(f"the {row['cvss_source']} vector cannot be read")
        else:
            assert result.base_source == row["cvss_source"]
            assert result.base_vector is not None
            parsed = parse_vector(row["cvss_vector"], version=row["cvss_version"])
            base = {m: v for m, v in parsed.metrics.items() if m in _BASE_METRICS}
            assert base == {m: v for m, v in result.base_vector.metrics.items() if v != "X"}


def test_missing_columns_are_named() -> None:
    table = to_arrow(list(sample_findings())[:3]).drop_columns(["cvss_source", "resource_id"])
    with pytest.raises(InvalidArgumentError, match="resource_id, cvss_source"):
        rescore_table(table)
    with pytest.raises(InvalidArgumentError, match="cvss_source"):
        list(rescore_batches(table.to_batches()))


def test_tag_policies_and_non_tables_are_refused() -> None:
    table = to_arrow(list(sample_findings())[:3])
    tagged = ExposurePolicy.inspector().with_tag_requirements(cr="Confidentiality")
    with pytest.raises(InvalidArgumentError, match="tags"):
        rescore_table(table, policy=tagged)
    with pytest.raises(InvalidArgumentTypeError, match="list"):
        rescore_table([{"finding_arn": "x"}])
    with pytest.raises(InvalidArgumentTypeError, match="item 1 is dict"):
        list(rescore_batches([table.to_batches()[0], {}]))


def test_known_scores_on_the_table() -> None:
    # CVSS v3.1 specification scores: 9.8 -> 8.8 with MAV:A; AV:L unchanged at 7.8.
    edge = _edge_findings()[:2]
    ids = {f.primary_resource.id for f in edge}
    table = rescore_table(to_arrow(edge), dict.fromkeys(ids, "INTERNAL"))
    assert table.column("base_score").to_pylist() == [9.8, 7.8]
    assert table.column("score").to_pylist() == [8.8, 7.8]
    assert table.column("adjustments").to_pylist()[0].startswith("MAV N -> A")
