"""Fixtures in the shapes of AWS's documented examples (see fixtures/aws_examples/SOURCES.md)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from botocore.model import ListShape, Shape, StructureShape
from dateutil import parser as dateutil_parser

from inspector_kit import Finding, FindingType, ResourceType, load_findings

from .service_model import shape

EXAMPLES = Path(__file__).parent / "fixtures" / "aws_examples"
UTC = timezone.utc

EXPECTED = {
    # file: (findings, skipped, finding types)
    "eventbridge_ec2_package.json": (1, 0, {"PACKAGE_VULNERABILITY"}),
    "eventbridge_ec2_package_2023.json": (1, 0, {"PACKAGE_VULNERABILITY"}),
    "eventbridge_ecr_package.json": (1, 0, {"PACKAGE_VULNERABILITY"}),
    "eventbridge_lambda_package.json": (1, 0, {"PACKAGE_VULNERABILITY"}),
    "eventbridge_lambda_code.json": (1, 0, {"CODE_VULNERABILITY"}),
    "eventbridge_network_reachability.json": (1, 0, {"NETWORK_REACHABILITY"}),
    "eventbridge_scan_event.json": (0, 1, set()),
    "eventbridge_coverage_event.json": (0, 1, set()),
    "list_findings_page.json": (
        5,
        0,
        {"PACKAGE_VULNERABILITY", "CODE_VULNERABILITY", "NETWORK_REACHABILITY"},
    ),
    "findings_report.json": (3, 0, {"PACKAGE_VULNERABILITY", "NETWORK_REACHABILITY"}),
}


def test_every_fixture_is_covered() -> None:
    assert {p.name for p in EXAMPLES.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_loads_strictly(name: str) -> None:
    count, skipped, types = EXPECTED[name]
    loaded = load_findings(EXAMPLES / name, strict=True)
    findings = list(loaded)
    assert len(findings) == count
    assert len(loaded.skipped) == skipped
    assert {str(f.type) for f in findings} == types


def _raw_findings(name: str) -> list[dict[str, Any]]:
    data = json.loads((EXAMPLES / name).read_text())
    if isinstance(data, dict) and "findings" in data:
        return list(data["findings"])
    if isinstance(data, dict) and data.get("detail-type") == "Inspector2 Finding":
        return [data["detail"]]
    return []


def _independent_time(value: Any) -> datetime:
    """What a timestamp means, according to dateutil (botocore's own parser dependency)."""
    parsed = (
        dateutil_parser.parse(value)
        if isinstance(value, str)
        else datetime.fromtimestamp(value, UTC)
    )
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _normalise(value: Any, s: Shape) -> Any:
    if isinstance(s, StructureShape):
        return {k: (_normalise(v, s.members[k]) if k in s.members else v) for k, v in value.items()}
    if isinstance(s, ListShape):
        return [_normalise(v, s.member) for v in value]
    if s.type_name == "timestamp":
        return _independent_time(value)
    if s.type_name == "double":
        return float(value)
    return value


RAW = [(name, i, raw) for name in sorted(EXPECTED) for i, raw in enumerate(_raw_findings(name))]


@pytest.mark.parametrize(("name", "index", "raw"), RAW, ids=[f"{n}[{i}]" for n, i, _ in RAW])
def test_round_trip_against_an_independent_timestamp_parser(
    name: str, index: int, raw: dict[str, Any]
) -> None:
    assert Finding.from_api(raw).to_api() == _normalise(raw, shape("Finding"))


@pytest.mark.parametrize(("name", "index", "raw"), RAW, ids=[f"{n}[{i}]" for n, i, _ in RAW])
def test_cvss_choice_agrees_with_inspector(name: str, index: int, raw: dict[str, Any]) -> None:
    """Where AWS's example carries an Inspector score, our chosen CVSS is that score and source."""
    f = Finding.from_api(raw)
    if f.inspector_score is None:
        return
    assert f.cvss is not None
    assert f.cvss.score == f.inspector_score
    details = f.inspector_score_details
    if details is not None and details.adjusted_cvss is not None:
        assert f.cvss.source == details.adjusted_cvss.score_source


def test_vendor_over_nvd_in_the_documented_examples() -> None:
    # The EventBridge EC2 example: UBUNTU_CVE 4.7 is used though NVD says 5.5.
    (ec2,) = load_findings(EXAMPLES / "eventbridge_ec2_package.json", strict=True)
    pvd = ec2.package_vulnerability_details
    assert pvd is not None and pvd.cvss is not None
    scores = {c.source: c.base_score for c in pvd.cvss}
    assert scores["NVD"] > scores["UBUNTU_CVE"] == ec2.inspector_score
    # Drop Inspector's own score: the vendor entry still wins.
    bare = Finding.from_api(
        {
            k: v
            for k, v in ec2.to_api().items()
            if k not in ("inspectorScore", "inspectorScoreDetails")
        }
    )
    assert bare.cvss is not None and (bare.cvss.source, bare.cvss.kind) == ("UBUNTU_CVE", "vendor")


def test_the_same_findings_in_cli_output_and_report_export_are_equal() -> None:
    """CLI output uses the caller's local zone, the report uses Z: the same instants."""
    page = {
        f.finding_arn: f for f in load_findings(EXAMPLES / "list_findings_page.json", strict=True)
    }
    report = {
        f.finding_arn: f for f in load_findings(EXAMPLES / "findings_report.json", strict=True)
    }
    shared = set(page) & set(report)
    assert len(shared) == 3
    for arn in shared:
        assert page[arn] == report[arn]


def test_eventbridge_timestamp_forms() -> None:
    (new,) = load_findings(EXAMPLES / "eventbridge_ec2_package.json", strict=True)
    assert new.first_observed_at == datetime(2025, 3, 11, 8, 14, 27, 519000, tzinfo=UTC)
    (old,) = load_findings(EXAMPLES / "eventbridge_ec2_package_2023.json", strict=True)
    assert old.first_observed_at == datetime(2023, 2, 6, 21, 33, 48, tzinfo=UTC)


def test_purls_of_documented_examples() -> None:
    purls = {}
    for name in EXPECTED:
        for f in load_findings(EXAMPLES / name, strict=True):
            for p in f.purls:
                if p is not None:
                    purls[p.name] = str(p)
    assert (
        purls["libcurl"] == "pkg:rpm/amazon/libcurl@7.79.1-12.amzn2.0.4?arch=x86_64&distro=amazon-2"
    )
    assert (
        purls["linux-image-aws"].startswith("pkg:deb/ubuntu/linux-image-aws@")
        and "distro=ubuntu-" in purls["linux-image-aws"]
    )
    assert (
        purls["libxml2"]
        == "pkg:deb/debian/libxml2@2.9.14%2Bdfsg-1.3~deb12u1?arch=amd64&distro=debian-12"
    )
    assert purls["requests"].startswith("pkg:pypi/requests@")


def test_resource_kinds_of_documented_examples() -> None:
    kinds = {
        (str(f.primary_resource.type), f.type)
        for name in EXPECTED
        for f in load_findings(EXAMPLES / name, strict=True)
    }
    assert (str(ResourceType.AWS_LAMBDA_FUNCTION), FindingType.CODE_VULNERABILITY) in kinds
    assert (str(ResourceType.AWS_ECR_CONTAINER_IMAGE), FindingType.PACKAGE_VULNERABILITY) in kinds
    assert (str(ResourceType.AWS_EC2_INSTANCE), FindingType.NETWORK_REACHABILITY) in kinds
