"""Azure and GCP coverage records and findings (issue 17, "Multi-cloud resources").

The fixtures (tests/fixtures/multicloud/, see SOURCES.md) are written from the botocore
model's shapes; the expected values below are read off the fixtures by hand.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape

from inspector_kit import Inspector, load_findings
from inspector_kit.coverage import Ec2Instance, SsmStatus, analyze
from inspector_kit.fetch import CoverageCriteria
from inspector_kit.models import CoveredResource
from inspector_kit.testing import LoopbackDataset, LoopbackInspector

from .service_model import shape

FIXTURES = Path(__file__).parent / "fixtures" / "multicloud"
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
SUBSCRIPTION = "3f2b8c1e-7d4a-4e9b-a1c6-5e8f0d2b7a94"
PROJECT = "shop-prod-381204"


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _coverage_payloads() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = _fixture("list_coverage_azure_gcp.json")["coveredResources"]
    return records


def _records() -> list[CoveredResource]:
    return [CoveredResource.from_api(r, region="us-east-1") for r in _coverage_payloads()]


# ----------------------------------------------------------------------------- the fixtures


def _unpatterned_id(value: str) -> bool:
    """GCP ids and Azure repository ids: the model's ``ResourceId`` pattern has no form for them.

    Their spelling is an assumption of the fixtures (SOURCES.md).
    """
    gcp = value.startswith("//") and ".googleapis.com/" in value
    azure_repository = value.startswith("/subscriptions/") and re.search(
        r"/repositories/[^/]+(/[^/]+)*$", value
    )
    return gcp or (bool(azure_repository) and "/sha256:" not in value)


def _problems(value: Any, s: Shape, path: str) -> list[str]:
    """Where ``value`` breaks the model's enums, patterns and lengths (GCP ids excepted)."""
    out: list[str] = []
    if isinstance(s, StructureShape):
        for key, item in value.items():
            if key not in s.members:
                out.append(f"{path}.{key}: not a member of {s.name}")
            else:
                out.extend(_problems(item, s.members[key], f"{path}.{key}"))
        out.extend(f"{path}.{k}: required" for k in s.required_members if k not in value)
    elif isinstance(s, ListShape):
        out.extend(_problems(v, s.member, f"{path}[{i}]") for i, v in enumerate(value))
        out = [p for group in out for p in (group if isinstance(group, list) else [group])]
    elif isinstance(s, MapShape):
        for k, v in value.items():
            out.extend(_problems(v, s.value, f"{path}[{k}]"))
    elif s.type_name == "string":
        meta = s.metadata
        if "enum" in meta and value not in meta["enum"]:
            out.append(f"{path}: {value!r} not in the enum")
        if not meta.get("min", 0) <= len(value) <= meta.get("max", 10**9):
            out.append(f"{path}: length {len(value)}")
        pattern = meta.get("pattern")
        if pattern and not _unpatterned_id(value) and not re.fullmatch(pattern, value):
            out.append(f"{path}: {value!r} does not match {pattern}")
    return out


def test_fixtures_fit_the_service_model() -> None:
    for index, record in enumerate(_coverage_payloads()):
        assert _problems(record, shape("CoveredResource"), f"coverage[{index}]") == []
    for index, finding in enumerate(_fixture("list_findings_azure_gcp.json")["findings"]):
        assert _problems(finding, shape("Finding"), f"findings[{index}]") == []


def test_the_pattern_check_can_fail() -> None:
    bad = dict(_coverage_payloads()[0], providerRegion="East US", provider="OCI")
    problems = _problems(bad, shape("CoveredResource"), "r")
    assert any("providerRegion" in p for p in problems)
    assert any("provider: 'OCI'" in p for p in problems)


# ----------------------------------------------------------------------------- the model

EXPECTED = [
    # cloud, resource_region, resource_account_id, short_name
    ("AZURE", "eastus", SUBSCRIPTION, "web-01"),
    ("AZURE", "westeurope", SUBSCRIPTION, "payments/api:v2.14.0"),
    ("AZURE", "westeurope", SUBSCRIPTION, "payments/api"),
    ("AZURE", "westeurope", SUBSCRIPTION, "shopacr"),
    ("AZURE", "eastus", SUBSCRIPTION, "thumbnailer"),
    ("GCP", "us-central1-a", PROJECT, "batch-7"),
    ("GCP", "europe-west1", PROJECT, "resize"),
    ("GCP", "us", PROJECT, "front@sha256:" + "9a" * 32),
    ("GCP", "us", PROJECT, "web"),
    ("AWS", "us-east-1", "246813579024", "i-0a1b2c3d4e5f60718"),
]


def test_region_account_and_short_name_come_from_the_provider_fields() -> None:
    got = [(r.cloud, r.resource_region, r.resource_account_id, r.short_name) for r in _records()]
    assert got == EXPECTED
    for record in _records():
        assert record.is_other_cloud is (record.cloud != "AWS")
        assert record.region == "us-east-1"  # the Inspector account's region stays
        assert record.account_id == "246813579024"


def test_cloud_is_read_from_the_type_when_provider_is_missing() -> None:
    for payload, cloud in zip(_coverage_payloads(), [e[0] for e in EXPECTED], strict=True):
        bare = {k: v for k, v in payload.items() if not k.startswith("provider")}
        record = CoveredResource.from_api(bare, region="us-east-1")
        assert record.cloud == cloud
        # Without providerRegion there is no other region to give than the one read from.
        assert record.resource_region == "us-east-1"
        assert record.resource_account_id == "246813579024"


def test_short_names_of_aws_records() -> None:
    base = {"accountId": "111122223333", "scanType": "PACKAGE"}
    image = CoveredResource.from_api(
        {
            **base,
            "resourceType": "AWS_ECR_CONTAINER_IMAGE",
            "resourceId": "arn:aws:ecr:us-east-1:111122223333:repository/payments/api/sha256:"
            + "ab" * 32,
            "resourceMetadata": {"ecrImage": {"tags": ["v1"]}},
        }
    )
    untagged = CoveredResource.from_api({**image.to_api(), "resourceMetadata": {}})
    repository = CoveredResource.from_api(
        {
            **base,
            "resourceType": "AWS_ECR_REPOSITORY",
            "resourceId": "arn:aws:ecr:us-east-1:111122223333:repository/payments/api",
            "resourceMetadata": {"ecrRepository": {"name": "payments/api"}},
        }
    )
    assert image.short_name == "payments/api:v1"
    assert untagged.short_name == "payments/api@sha256:abababababab"
    assert repository.short_name == "payments/api"
    assert not image.is_other_cloud and image.cloud == "AWS"


# ----------------------------------------------------------------------------- the analysis


def _instance() -> Ec2Instance:
    return Ec2Instance(
        "i-0a1b2c3d4e5f60718",
        account_id="246813579024",
        region="us-east-1",
        os_name="Ubuntu",
        os_version="24.04",
        ssm=SsmStatus(managed=True, ping_status="Online", last_inventory_at=NOW),
    )


def test_analysis_reports_other_clouds_by_cloud_and_never_as_ec2() -> None:
    report = analyze(
        [_instance()], configuration="EC2_HYBRID", coverage=_coverage_payloads(), now=NOW
    )
    assert [c.instance_id for c in report] == ["i-0a1b2c3d4e5f60718"]
    assert report[0].observed is not None
    assert str(report[0].observed.resource_type) == "AWS_EC2_INSTANCE"
    assert report.coverage_only == ()
    assert report.counts_by_cloud() == {"AZURE": 5, "GCP": 4}
    assert [r.short_name for r in report.other_cloud] == [e[3] for e in EXPECTED[:9]]
    text = report.to_text()
    assert "9 Azure/GCP coverage record(s) not analysed (the rules are EC2's): AZURE 5, GCP 4" in (
        text
    )
    assert "9 Azure/GCP coverage record(s) not analysed" in report.to_markdown()
    assert "Azure/GCP records not analysed: AZURE 5, GCP 4" in report._repr_html_()


def test_a_vm_of_another_cloud_is_never_matched_to_an_instance() -> None:
    # Even a record that claims the EC2 type and the instance's id, if it is Azure's.
    claim = dict(
        _coverage_payloads()[-1], provider="AZURE", providerRegion="eastus", providerAccountId=None
    )
    claim = {k: v for k, v in claim.items() if v is not None}
    report = analyze([_instance()], configuration="EC2_HYBRID", coverage=[claim], now=NOW)
    assert report[0].observed is None
    assert report.counts_by_cloud() == {"AZURE": 1}
    assert not report.coverage_given  # no EC2 record was given: statuses are predictions


def test_no_other_cloud_line_without_such_records() -> None:
    aws_only = _coverage_payloads()[-1:]
    report = analyze([_instance()], configuration="EC2_HYBRID", coverage=aws_only, now=NOW)
    assert report.other_cloud == () and report.counts_by_cloud() == {}
    assert "Azure/GCP" not in report.to_text()


# ----------------------------------------------------------------------------- the loopback


@pytest.fixture(scope="module")
def multicloud_server() -> Any:
    dataset = LoopbackDataset.from_findings(
        _fixture("list_findings_azure_gcp.json")["findings"],
        coverage={"us-east-1": _coverage_payloads()},
    )
    with LoopbackInspector(dataset) as server:
        yield server


def _eq(value: str) -> list[dict[str, str]]:
    return [{"comparison": "EQUALS", "value": value}]


def test_loopback_serves_and_filters_multicloud_coverage(multicloud_server: Any) -> None:
    client = multicloud_server.client("us-east-1")
    every = client.list_coverage()["coveredResources"]
    assert len(every) == 10
    azure_vms = client.list_coverage(
        filterCriteria={"resourceType": _eq("Microsoft.Compute/virtualMachines")}
    )["coveredResources"]
    assert [r["resourceMetadata"]["vmInstance"]["platform"] for r in azure_vms] == ["LINUX"]
    gcp = client.list_coverage(filterCriteria={"cloudProvider": _eq("GCP")})["coveredResources"]
    assert len(gcp) == 4 and {r["provider"] for r in gcp} == {"GCP"}
    eastus = client.list_coverage(filterCriteria={"cloudProviderRegion": _eq("eastus")})
    assert len(eastus["coveredResources"]) == 2
    tagged = client.list_coverage(
        filterCriteria={"cloudServerlessFunctionTags": [{"comparison": "EQUALS", "key": "team"}]}
    )["coveredResources"]
    assert [r["resourceType"] for r in tagged] == ["Microsoft.Web/sites"]
    stats = client.list_coverage_statistics(groupBy="PROVIDER")
    counts = {g["groupKey"]: g["count"] for g in stats["countsByGroup"]}
    assert counts == {"AZURE": 5, "GCP": 4, "AWS": 1}


def test_inspector_coverage_reads_them_as_other_cloud(multicloud_server: Any) -> None:
    inspector = Inspector(regions="us-east-1", endpoint_url=multicloud_server.endpoint_url)
    records = list(inspector.coverage())
    got = sorted((r.cloud, r.resource_region, r.short_name) for r in records)
    assert got == sorted((e[0], e[1], e[3]) for e in EXPECTED)
    gcp = list(inspector.coverage(CoverageCriteria(cloud_provider="GCP")))
    assert sorted(r.short_name for r in gcp) == sorted(e[3] for e in EXPECTED if e[0] == "GCP")
    assert all(r.is_other_cloud and r.resource_account_id == PROJECT for r in gcp)


# ----------------------------------------------------------------------------- findings


def test_findings_take_region_and_name_from_the_provider() -> None:
    loaded = load_findings(FIXTURES / "list_findings_azure_gcp.json")
    findings = list(loaded)
    assert loaded.errors == []
    got = [
        (f.primary_resource.is_other_cloud, f.region, f.primary_resource.short_name)
        for f in findings
    ]
    assert got == [
        (True, "eastus", "web-01"),
        (True, "westeurope", "payments/api:v2.14.0"),
        (True, "us-central1-a", "batch-7"),
        (True, "europe-west1", "resize:7"),
    ]
    assert loaded.shapes == {"Inspector finding": 4}


def test_cli_coverage_names_the_other_cloud_records(
    multicloud_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspector_kit.cli import main

    base = ["coverage", "--sample-inventory", "--endpoint-url", multicloud_server.endpoint_url]
    main([*base, "--regions", "us-east-1"])
    out, err = capsys.readouterr()
    json.loads(out)  # stdout stays JSON
    assert "note: 9 Azure/GCP coverage record(s) not analysed: AZURE 5, GCP 4" in err
    main([*base, "--regions", "us-east-1", "--format", "table"])
    out, _ = capsys.readouterr()
    assert "9 Azure/GCP coverage record(s) not analysed: AZURE 5, GCP 4" in out


def test_detection_gap_never_takes_an_azure_vm_for_an_ec2_instance() -> None:
    from inspector_kit.coverage import detection_gap
    from inspector_kit.testing import finding_payload

    from .payloads import package_details

    def finding(resource: dict[str, Any], arn_tail: str) -> Any:
        jar = {"name": "a.jar", "version": "1.0", "packageManager": "JAR", "filePath": "/srv/a.jar"}
        return load_findings(
            [
                finding_payload(
                    findingArn=f"arn:aws:inspector2:us-east-1:111122223333:finding/{arn_tail}",
                    resources=[resource],
                    packageVulnerabilityDetails=package_details(vulnerablePackages=[jar]),
                )
            ]
        )

    ec2 = {"type": "AWS_EC2_INSTANCE", "id": "i-0aaa"}
    claim = dict(ec2, id="i-0bbb", provider="AZURE")  # an Azure record claiming the EC2 type
    findings = [*finding(ec2, "a" * 32), *finding(claim, "b" * 32)]
    assert len(findings) == 2
    gap = detection_gap(findings, deep_inspection=None)
    assert [item.instance_id for item in gap] == ["i-0aaa"]
