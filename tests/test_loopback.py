"""The loopback Inspector, exercised with real boto3 clients over real HTTP."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, PaginationError

from inspector_kit import sample_findings
from inspector_kit.testing import (
    Faults,
    LoopbackDataset,
    LoopbackInspector,
    RequestRecord,
    finding_payload,
)
from inspector_kit.testing._service import IMPLEMENTED, service_model

pytest_plugins = ["inspector_kit.testing.fixtures"]

REGIONS = ("ap-northeast-1", "eu-west-1", "us-east-1")
MEMBER_KEY = "AKIDMEMBER111"
MEMBER = "111122223333"
ADMIN = "123456789012"
MEMBER_DEV = "444455556666"
NO_RETRY = Config(retries={"mode": "standard", "max_attempts": 0})  # counts retries


@pytest.fixture(autouse=True)
def _no_retry_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry at once: botocore backs off ``rand * 2**i`` s, so throttled tests took random time.

    The attempts, their count and the errors are unchanged; only the sleeps go.
    """
    from botocore.retries import standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


@pytest.fixture(scope="module")
def raw_findings() -> list[dict[str, Any]]:
    return list(LoopbackDataset.sample().finding_payloads())


@pytest.fixture(scope="module")
def shared() -> Iterator[LoopbackInspector]:
    with LoopbackInspector(accounts={MEMBER_KEY: MEMBER}) as server:
        yield server


@pytest.fixture
def server(shared: LoopbackInspector) -> LoopbackInspector:
    """The shared server with no faults and an empty request log."""
    shared.faults = Faults()
    shared.clear_requests()
    return shared


def all_findings(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator("list_findings").paginate(**kwargs)
    return [f for page in pages for f in page["findings"]]


def arns(findings: list[dict[str, Any]]) -> list[str]:
    return [f["findingArn"] for f in findings]


def error_of(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = exc.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def region_of(finding: dict[str, Any]) -> str:
    return str(finding["findingArn"].split(":")[3])


def raw_post(server: LoopbackInspector, path: str, body: Any, region: str = "us-east-1") -> Any:
    host, port = server.endpoint_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    headers = {
        "Authorization": f"AWS4-HMAC-SHA256 Credential=AKIDRAW/20261122/{region}/inspector2/"
        "aws4_request, SignedHeaders=host, Signature=0",
        "Content-Type": "application/json",
    }
    conn.request("POST", path, json.dumps(body) if not isinstance(body, bytes) else body, headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


# ----------------------------------------------------------------------------- routing


def test_every_implemented_operation_is_routed(server: LoopbackInspector) -> None:
    client = server.client("eu-west-1")
    arn = server.dataset.finding_arns("eu-west-1")[0]
    client.list_findings(maxResults=5)
    client.list_coverage(maxResults=5)
    client.list_coverage_statistics(groupBy="RESOURCE_TYPE")
    client.get_configuration()
    client.get_ec2_deep_inspection_configuration()
    client.batch_get_account_status()
    client.batch_get_member_ec2_deep_inspection_status(accountIds=["111122223333"])
    client.list_usage_totals()
    client.batch_get_free_trial_info(accountIds=["111122223333"])  # --- cost ---
    client.list_members()
    client.batch_get_finding_details(findingArns=[arn])
    client.list_finding_aggregations(aggregationType="ACCOUNT")
    destination = {"bucketName": "b", "kmsKeyArn": "arn:aws:kms:eu-west-1:1:key/k"}
    report = client.create_findings_report(reportFormat="JSON", s3Destination=destination)
    client.get_findings_report_status(reportId=report["reportId"])
    client.cancel_findings_report(reportId=report["reportId"])
    sbom = client.create_sbom_export(reportFormat="CYCLONEDX_1_4", s3Destination=destination)
    client.get_sbom_export(reportId=sbom["reportId"])
    image = server.dataset.amis("eu-west-1")[0]
    scan = client.start_on_demand_scan(resourceId=image, resourceType="AMI")
    client.get_on_demand_scan_status(scanId=scan["scanId"], resourceId=image, resourceType="AMI")
    client.list_on_demand_scans(resourceId=image, resourceType="AMI")
    records = server.requests
    assert {r.operation for r in records} == IMPLEMENTED
    assert {(r.status, r.error_code, r.region) for r in records} == {(200, None, "eu-west-1")}


def test_routes_come_from_the_service_model() -> None:
    from inspector_kit.testing._service import match_route

    model = service_model()
    for name in model.operation_names:
        http = model.operation_model(name).http
        path = http["requestUri"].replace("{resourceArn}", "arn%3Aaws%3Ax")
        assert match_route(http["method"], path) == name


def test_unimplemented_operation_is_a_clear_501(server: LoopbackInspector) -> None:
    with pytest.raises(ClientError) as exc:
        server.client(config=NO_RETRY).list_cis_scans()
    assert error_of(exc) == ("NotImplementedException", 501)
    assert "does not implement ListCisScans" in str(exc.value)


def test_unknown_route_is_404(server: LoopbackInspector) -> None:
    response, data = raw_post(server, "/no/such/route", {})
    assert response.status == 404
    assert response.getheader("x-amzn-ErrorType") == "UnknownOperationException"
    assert "message" in json.loads(data)


def test_unsigned_request_is_rejected(server: LoopbackInspector) -> None:
    host, port = server.endpoint_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("POST", "/findings/list", "{}")
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 403
    assert response.getheader("x-amzn-ErrorType") == "MissingAuthenticationTokenException"


def test_wire_format_keep_alive_and_epoch_timestamps(server: LoopbackInspector) -> None:
    host, port = server.endpoint_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    headers = {
        "Authorization": "AWS4-HMAC-SHA256 Credential=K/20261122/us-east-1/inspector2/aws4_request",
    }
    for _ in range(3):  # three requests over one connection
        conn.request("POST", "/findings/list", json.dumps({"maxResults": 2}), headers)
        response = conn.getresponse()
        data = response.read()
        assert response.status == 200
        assert int(response.getheader("Content-Length")) == len(data)
        assert response.getheader("x-amzn-RequestId")
    conn.close()
    finding = json.loads(data)["findings"][0]
    assert isinstance(finding["firstObservedAt"], (int, float))
    assert len(server.requests) == 3


def test_stop_closes_keep_alive_connections() -> None:
    server = LoopbackInspector(LoopbackDataset.from_findings([finding_payload()])).start()
    host, port = server.endpoint_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    auth = {"Authorization": "x Credential=K/20261122/eu-west-1/inspector2/aws4_request"}
    conn.request("POST", "/findings/list", "{}", auth)
    assert conn.getresponse().read()
    server.stop()
    server.stop()  # idempotent
    assert not server.running
    with pytest.raises((OSError, http.client.HTTPException)):  # noqa: PT012
        conn.request("POST", "/findings/list", "{}", auth)
        conn.getresponse().read()
    conn.close()
    with pytest.raises(RuntimeError):
        _ = server.endpoint_url


# ----------------------------------------------------------------------------- errors


def test_error_codes_and_statuses_follow_the_model(server: LoopbackInspector) -> None:
    client = server.client("us-east-1", config=NO_RETRY)
    with pytest.raises(ClientError) as exc:
        client.list_findings(maxResults=500)
    assert error_of(exc) == ("ValidationException", 400)
    with pytest.raises(ClientError) as exc:
        server.client("us-west-2", config=NO_RETRY).get_configuration()
    assert error_of(exc) == ("ResourceNotFoundException", 404)
    server.faults.deny_regions = {"us-east-1"}
    with pytest.raises(ClientError) as exc:
        client.list_findings()
    assert error_of(exc) == ("AccessDeniedException", 403)
    server.faults = Faults(throttle_rate=1.0)
    with pytest.raises(ClientError) as exc:
        client.list_findings()
    assert error_of(exc) == ("ThrottlingException", 429)
    server.faults = Faults(server_error_burst=1)
    with pytest.raises(ClientError) as exc:
        client.list_findings()
    assert error_of(exc) == ("InternalServerException", 500)
    codes = [(r.status, r.error_code) for r in server.requests]
    assert codes == [
        (400, "ValidationException"),
        (404, "ResourceNotFoundException"),
        (403, "AccessDeniedException"),
        (429, "ThrottlingException"),
        (500, "InternalServerException"),
    ]


# ----------------------------------------------------------------------------- validation


def test_max_results_over_the_limit(server: LoopbackInspector) -> None:
    with pytest.raises(ClientError) as exc:
        server.client().list_findings(maxResults=500)
    error = exc.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"] == (
        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100"
    )
    response, data = raw_post(server, "/findings/list", {"maxResults": 500})
    body = json.loads(data)
    assert body["reason"] == "FIELD_VALIDATION_FAILED"
    assert body["fields"][0]["name"] == "maxResults"
    assert response.getheader("x-amzn-ErrorType") == "ValidationException"


def test_coverage_and_usage_limits(server: LoopbackInspector) -> None:
    client = server.client(config=NO_RETRY)
    client.list_coverage(maxResults=200)
    with pytest.raises(ClientError, match="less than or equal to 200"):
        client.list_coverage(maxResults=201)
    with pytest.raises(ClientError, match="less than or equal to 500"):
        client.list_usage_totals(maxResults=501)
    with pytest.raises(ClientError, match="findingArns"):
        client.batch_get_finding_details(findingArns=[f"{'a' * 32}"] * 11)


def test_unknown_enum_value(server: LoopbackInspector) -> None:
    criteria = {"severity": [{"comparison": "CONTAINS", "value": "HIGH"}]}
    with pytest.raises(ClientError) as exc:
        server.client().list_findings(filterCriteria=criteria)
    message = exc.value.response["Error"]["Message"]
    assert "filterCriteria.severity.1.member.comparison" in message
    assert "enum value set: [EQUALS, PREFIX, NOT_EQUALS]" in message
    with pytest.raises(ClientError, match=r"sortCriteria\.field"):
        server.client().list_findings(sortCriteria={"field": "TITLE", "sortOrder": "ASC"})


def test_missing_required_and_unknown_members(server: LoopbackInspector) -> None:
    unchecked = server.client(config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as exc:
        unchecked.batch_get_finding_details()
    assert "Value at 'findingArns' failed to satisfy constraint: Member must not be null" in str(
        exc.value
    )
    with pytest.raises(ClientError, match=r"sortCriteria\.sortOrder"):
        unchecked.list_findings(sortCriteria={"field": "SEVERITY"})
    response, data = raw_post(server, "/findings/list", {"maxResult": 5})
    assert response.status == 400
    assert "Member is not defined" in json.loads(data)["message"]
    response, data = raw_post(server, "/findings/list", {"maxResults": "5"})
    assert json.loads(data)["reason"] == "CANNOT_PARSE"
    response, data = raw_post(server, "/findings/list", b"{not json")
    assert response.status == 400
    assert json.loads(data)["reason"] == "CANNOT_PARSE"


def test_patterns_and_string_lengths(server: LoopbackInspector) -> None:
    client = server.client(config=NO_RETRY)
    with pytest.raises(ClientError, match="regular expression pattern"):
        client.get_configuration(accountId="12345678901x")
    with pytest.raises(ClientError, match="length less than or equal to 1024"):
        client.list_findings(
            filterCriteria={"title": [{"comparison": "EQUALS", "value": "x" * 1025}]}
        )


def test_bad_next_tokens(server: LoopbackInspector) -> None:
    client = server.client("eu-west-1", config=NO_RETRY)
    with pytest.raises(ClientError, match="must not be empty"):
        client.list_findings(nextToken="")
    with pytest.raises(ClientError, match="not issued by this server"):
        client.list_findings(nextToken="bm90IGEgdG9rZW4=")
    token = client.list_findings()["nextToken"]
    other = {"severity": [{"comparison": "EQUALS", "value": "HIGH"}]}
    with pytest.raises(ClientError, match="different request"):
        client.list_findings(nextToken=token, filterCriteria=other)
    with pytest.raises(ClientError, match="different request"):
        server.client("us-east-1", config=NO_RETRY).list_findings(nextToken=token)
    with LoopbackInspector() as another:
        stranger = another.client("eu-west-1", config=NO_RETRY)
        with pytest.raises(ClientError, match="not issued by this server"):
            stranger.list_findings(nextToken=token)
    # a token stays valid when only maxResults changes
    assert client.list_findings(nextToken=token, maxResults=3)["findings"]


# ----------------------------------------------------------------------------- regions, accounts


def test_region_comes_from_the_signature(server: LoopbackInspector) -> None:
    for region in REGIONS:
        found = all_findings(server.client(region))
        assert {region_of(f) for f in found} == {region}
        assert server.requests[-1].region == region
    assert all_findings(server.client("us-west-2")) == []


def test_member_key_sees_only_its_account(server: LoopbackInspector) -> None:
    member = server.client("us-east-1", aws_access_key_id=MEMBER_KEY)
    admin = server.client("us-east-1")
    member_findings = all_findings(member)
    assert member_findings
    assert {f["awsAccountId"] for f in member_findings} == {MEMBER}
    assert len({f["awsAccountId"] for f in all_findings(admin)}) > 1
    assert {r["accountId"] for r in member.list_coverage()["coveredResources"]} == {MEMBER}
    assert member.list_members()["members"] == []
    assert len(admin.list_members()["members"]) == 2
    status = member.batch_get_account_status(accountIds=[MEMBER, ADMIN])
    assert [a["accountId"] for a in status["accounts"]] == [MEMBER]
    assert status["failedAccounts"][0]["errorCode"] == "ACCESS_DENIED"
    assert member.batch_get_account_status()["accounts"][0]["accountId"] == MEMBER
    assert admin.batch_get_account_status()["accounts"][0]["accountId"] == ADMIN
    with pytest.raises(ClientError) as exc:
        member.get_configuration(accountId=ADMIN)
    assert error_of(exc) == ("AccessDeniedException", 403)
    assert admin.get_configuration(accountId=MEMBER)["ec2Configuration"]
    # The member runs agent-based only in us-east-1; elsewhere it is hybrid, like the others.
    assert member.get_configuration()["ec2Configuration"]["scanModeState"]["scanMode"] == (
        "EC2_SSM_AGENT_BASED"
    )
    other_region = server.client("eu-west-1", aws_access_key_id=MEMBER_KEY).get_configuration()
    assert other_region["ec2Configuration"]["scanModeState"]["scanMode"] == "EC2_HYBRID"
    usage = member.list_usage_totals()["totals"]
    assert [t["accountId"] for t in usage] == [MEMBER]
    assert server.requests[-1].access_key == MEMBER_KEY


def test_member_cannot_read_other_accounts_details(server: LoopbackInspector) -> None:
    other = next(
        f["findingArn"]
        for f in server.dataset.finding_payloads("us-east-1")
        if f["awsAccountId"] != MEMBER
    )
    member = server.client("us-east-1", aws_access_key_id=MEMBER_KEY)
    errors = member.batch_get_finding_details(findingArns=[other])["errors"]
    assert errors[0]["errorCode"] == "ACCESS_DENIED"


# ----------------------------------------------------------------------------- pagination


def test_paginator_returns_exactly_the_sample_estate(server: LoopbackInspector) -> None:
    expected = {f.finding_arn for f in sample_findings()}
    seen: list[str] = []
    for region in REGIONS:
        seen += arns(all_findings(server.client(region), PaginationConfig={"PageSize": 100}))
    assert len(seen) == len(set(seen)) == 274
    assert set(seen) == expected
    pages = [r for r in server.requests if r.operation == "ListFindings"]
    assert len(pages) == sum(-(-n // 25) for n in (95, 85, 94))  # 25 findings a page at most


def test_page_size_and_last_page(server: LoopbackInspector) -> None:
    client = server.client("eu-west-1")
    assert len(client.list_findings(maxResults=100)["findings"]) == 25
    assert len(client.list_findings(maxResults=7)["findings"]) == 7
    assert len(client.list_findings()["findings"]) == 25
    pages = list(client.get_paginator("list_findings").paginate())
    assert [len(p["findings"]) for p in pages] == [25, 25, 25, 10]
    assert "nextToken" not in pages[-1]


def test_other_paginated_operations(server: LoopbackInspector) -> None:
    client = server.client("us-east-1")
    usage = list(
        client.get_paginator("list_usage_totals").paginate(PaginationConfig={"PageSize": 1})
    )
    assert len(usage) == 3
    assert len({p["totals"][0]["accountId"] for p in usage}) == 3
    coverage = client.get_paginator("list_coverage").paginate(PaginationConfig={"PageSize": 2})
    records = [r for page in coverage for r in page["coveredResources"]]
    assert len(records) == len(server.dataset.coverage_records("us-east-1"))
    members = client.get_paginator("list_members").paginate(PaginationConfig={"PageSize": 1})
    assert len([m for page in members for m in page["members"]]) == 2
    stats = client.get_paginator("list_coverage_statistics").paginate(groupBy="SCAN_STATUS_REASON")
    result = stats.build_full_result()
    assert sum(g["count"] for g in result["countsByGroup"]) == result["totalCounts"]


# ----------------------------------------------------------------------------- filters


def expect(raw: list[dict[str, Any]], region: str, keep: Any) -> set[str]:
    return {f["findingArn"] for f in raw if region_of(f) == region and keep(f)}


def query(server: LoopbackInspector, region: str, criteria: dict[str, Any]) -> set[str]:
    return set(arns(all_findings(server.client(region), filterCriteria=criteria)))


def eq(*values: str, comparison: str = "EQUALS") -> list[dict[str, str]]:
    return [{"comparison": comparison, "value": v} for v in values]


def test_string_filter_semantics(server: LoopbackInspector, raw_findings: list[Any]) -> None:
    region = "us-east-1"
    got = query(server, region, {"severity": eq("CRITICAL", "HIGH")})
    assert got == expect(raw_findings, region, lambda f: f["severity"] in ("CRITICAL", "HIGH"))
    # EQUALS and PREFIX OR'd; NOT_EQUALS AND'd
    criteria = {
        "title": [
            {"comparison": "PREFIX", "value": "CVE-2024"},
            {
                "comparison": "EQUALS",
                "value": "CVE-2021-44228 - org.apache.logging.log4j:log4j-core",
            },
            {"comparison": "NOT_EQUALS", "value": "CVE-2024-3094 - xz"},
            {"comparison": "NOT_EQUALS", "value": "CVE-2024-6387 - openssh"},
        ]
    }
    got = query(server, region, criteria)

    def title_ok(f: dict[str, Any]) -> bool:
        title = f.get("title", "")
        positive = title.startswith("CVE-2024") or title == criteria["title"][1]["value"]
        return positive and title not in ("CVE-2024-3094 - xz", "CVE-2024-6387 - openssh")

    assert got == expect(raw_findings, region, title_ok)
    assert got
    # only NOT_EQUALS: everything but those
    got = query(server, region, {"findingStatus": eq("ACTIVE", comparison="NOT_EQUALS")})
    assert got == expect(raw_findings, region, lambda f: f["status"] != "ACTIVE")
    # criteria AND'd
    got = query(
        server, region, {"findingStatus": eq("ACTIVE"), "resourceType": eq("AWS_LAMBDA_FUNCTION")}
    )
    assert got == expect(
        raw_findings,
        region,
        lambda f: f["status"] == "ACTIVE" and f["resources"][0]["type"] == "AWS_LAMBDA_FUNCTION",
    )


@pytest.mark.parametrize(
    ("criterion", "keep"),
    [
        (
            {"awsAccountId": eq("444455556666")},
            lambda f: f["awsAccountId"] == "444455556666",
        ),
        (
            {"findingType": eq("NETWORK_REACHABILITY")},
            lambda f: f["type"] == "NETWORK_REACHABILITY",
        ),
        (
            {"vulnerabilityId": eq("CVE-2023", comparison="PREFIX")},
            lambda f: (
                f.get("packageVulnerabilityDetails", {})
                .get("vulnerabilityId", "")
                .startswith("CVE-2023")
            ),
        ),
        (
            {"vulnerabilitySource": eq("NVD")},
            lambda f: f.get("packageVulnerabilityDetails", {}).get("source") == "NVD",
        ),
        (
            {"resourceId": eq("i-", comparison="PREFIX")},
            lambda f: f["resources"][0]["id"].startswith("i-"),
        ),
        ({"fixAvailable": eq("NO")}, lambda f: f.get("fixAvailable") == "NO"),
        ({"exploitAvailable": eq("YES")}, lambda f: f.get("exploitAvailable") == "YES"),
        (
            {"ecrImageRepositoryName": eq("payments/api")},
            lambda f: (
                f["resources"][0]
                .get("details", {})
                .get("awsEcrContainerImage", {})
                .get("repositoryName")
                == "payments/api"
            ),
        ),
        (
            {"ecrImageTags": eq("latest")},
            lambda f: (
                "latest"
                in f["resources"][0]
                .get("details", {})
                .get("awsEcrContainerImage", {})
                .get("imageTags", [])
            ),
        ),
        (
            {"lambdaFunctionRuntime": eq("PYTHON", comparison="PREFIX")},
            lambda f: (
                f["resources"][0]
                .get("details", {})
                .get("awsLambdaFunction", {})
                .get("runtime", "")
                .startswith("PYTHON")
            ),
        ),
        (
            {"componentType": eq("AWS::EC2::InternetGateway")},
            lambda f: any(
                s["componentType"] == "AWS::EC2::InternetGateway"
                for s in f.get("networkReachabilityDetails", {})
                .get("networkPath", {})
                .get("steps", [])
            ),
        ),
        (
            {"networkProtocol": eq("UDP")},
            lambda f: f.get("networkReachabilityDetails", {}).get("protocol") == "UDP",
        ),
        (
            {"relatedVulnerabilities": eq("CVE-2024-38063")},
            lambda f: (
                "CVE-2024-38063"
                in f.get("packageVulnerabilityDetails", {}).get("relatedVulnerabilities", [])
            ),
        ),
        (
            {"inspectorScore": [{"lowerInclusive": 7.0, "upperInclusive": 8.9}]},
            lambda f: "inspectorScore" in f and 7.0 <= f["inspectorScore"] <= 8.9,
        ),
        (
            {"epssScore": [{"lowerInclusive": 0.5}]},
            lambda f: f.get("epss", {}).get("score", -1) >= 0.5,
        ),
        (
            {"firstObservedAt": [{"startInclusive": 1780000000, "endInclusive": 1785000000}]},
            lambda f: 1780000000 <= f["firstObservedAt"] <= 1785000000,
        ),
        (
            {
                "resourceTags": [
                    {"comparison": "EQUALS", "key": "Environment", "value": "production"}
                ]
            },
            lambda f: f["resources"][0].get("tags", {}).get("Environment") == "production",
        ),
        (
            {"resourceTags": [{"comparison": "EQUALS", "key": "Service"}]},
            lambda f: "Service" in f["resources"][0].get("tags", {}),
        ),
        (
            {"portRange": [{"beginInclusive": 20, "endInclusive": 25}]},
            lambda f: (
                "networkReachabilityDetails" in f
                and f["networkReachabilityDetails"]["openPortRange"]["begin"] >= 20
                and f["networkReachabilityDetails"]["openPortRange"]["end"] <= 25
            ),
        ),
        (
            {"vulnerablePackages": [{"name": {"comparison": "EQUALS", "value": "openssl"}}]},
            lambda f: any(
                p["name"] == "openssl"
                for p in f.get("packageVulnerabilityDetails", {}).get("vulnerablePackages", [])
            ),
        ),
        (
            {
                "vulnerablePackages": [
                    {
                        "name": {"comparison": "PREFIX", "value": "lib"},
                        "filePath": {"comparison": "PREFIX", "value": "/usr/lib"},
                    }
                ]
            },
            lambda f: any(
                p["name"].startswith("lib") and p.get("filePath", "").startswith("/usr/lib")
                for p in f.get("packageVulnerabilityDetails", {}).get("vulnerablePackages", [])
            ),
        ),
    ],
)
def test_each_filter_kind(
    server: LoopbackInspector, raw_findings: list[Any], criterion: dict[str, Any], keep: Any
) -> None:
    got: set[str] = set()
    want: set[str] = set()
    for region in REGIONS:
        got |= query(server, region, criterion)
        want |= expect(raw_findings, region, keep)
    assert got == want


def test_filters_that_select_something(server: LoopbackInspector, raw_findings: list[Any]) -> None:
    """Guard the parametrized filter test against vacuous (empty) expectations."""
    for name, value in [
        ("ecrImageTags", "latest"),
        ("networkProtocol", "TCP"),
        ("relatedVulnerabilities", "CVE-2024-38063"),
    ]:
        assert any(query(server, r, {name: eq(value)}) for r in REGIONS), name
    assert any(
        query(server, r, {"portRange": [{"beginInclusive": 20, "endInclusive": 25}]})
        for r in REGIONS
    )


def test_finding_arn_filter(server: LoopbackInspector) -> None:
    wanted = server.dataset.finding_arns("eu-west-1")[:3]
    assert query(server, "eu-west-1", {"findingArn": eq(*wanted)}) == set(wanted)


def test_unimplemented_filter_is_an_error(server: LoopbackInspector) -> None:
    criteria = {"codeRepositoryProjectName": eq("x")}
    with pytest.raises(ClientError) as exc:
        server.client().list_findings(filterCriteria=criteria)
    assert error_of(exc) == ("ValidationException", 400)
    assert "does not implement the ListFindings filter 'codeRepositoryProjectName'" in str(
        exc.value
    )
    with pytest.raises(ClientError, match="does not implement the ListCoverage filter"):
        server.client().list_coverage(filterCriteria={"codeRepositoryProjectName": eq("x")})


# ----------------------------------------------------------------------------- sorting

RANK = {"UNTRIAGED": 0, "INFORMATIONAL": 1, "LOW": 2, "MEDIUM": 3, "HIGH": 4, "CRITICAL": 5}


def test_sort_by_severity_is_stable(server: LoopbackInspector) -> None:
    client = server.client("us-east-1")
    default = arns(all_findings(client))
    assert default == server.dataset.finding_arns("us-east-1")
    found = all_findings(client, sortCriteria={"field": "SEVERITY", "sortOrder": "DESC"})
    ranks = [RANK[f["severity"]] for f in found]
    assert ranks == sorted(ranks, reverse=True)
    position = {arn: i for i, arn in enumerate(default)}
    for rank in set(ranks):
        same = [position[f["findingArn"]] for f in found if RANK[f["severity"]] == rank]
        assert same == sorted(same)  # dataset order within equal keys


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("INSPECTOR_SCORE", lambda f: f.get("inspectorScore")),
        ("EPSS_SCORE", lambda f: f.get("epss", {}).get("score")),
        ("FIRST_OBSERVED_AT", lambda f: f["firstObservedAt"]),
        ("LAST_OBSERVED_AT", lambda f: f["lastObservedAt"]),
        ("AWS_ACCOUNT_ID", lambda f: f["awsAccountId"]),
        (
            "VULNERABILITY_ID",
            lambda f: f.get("packageVulnerabilityDetails", {}).get("vulnerabilityId"),
        ),
        ("FINDING_TYPE", lambda f: f["type"]),
        ("RESOURCE_TYPE", lambda f: f["resources"][0]["type"]),
        ("FINDING_STATUS", lambda f: f["status"]),
    ],
)
@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_sort_fields(server: LoopbackInspector, field: str, key: Any, order: str) -> None:
    found = all_findings(
        server.client("eu-west-1"), sortCriteria={"field": field, "sortOrder": order}
    )
    keys = [(0, 0) if key(f) is None else (1, key(f)) for f in found]  # missing sorts lowest
    assert keys == sorted(keys, reverse=order == "DESC")
    assert len(found) == 85


# ----------------------------------------------------------------------------- other operations


def test_coverage_filters_and_statistics(server: LoopbackInspector) -> None:
    client = server.client("us-east-1")
    inactive = client.list_coverage(filterCriteria={"scanStatusCode": eq("INACTIVE")})
    reasons = {r["scanStatus"]["reason"] for r in inactive["coveredResources"]}
    # excluded-15; reports-unmanaged-18 and scratch-nvme-20; win2012-26 (Windows 2012 R2)
    assert reasons == {"EXCLUDED_BY_TAG", "UNMANAGED_EC2_INSTANCE", "UNSUPPORTED_OS"}
    agentless = client.list_coverage(filterCriteria={"scanMode": eq("EC2_AGENTLESS")})
    assert {r["scanMode"] for r in agentless["coveredResources"]} == {"EC2_AGENTLESS"}
    tagged = client.list_coverage(
        filterCriteria={
            "ec2InstanceTags": [
                {"comparison": "EQUALS", "key": "Environment", "value": "production"}
            ]
        }
    )["coveredResources"]
    assert tagged
    assert all(r["resourceMetadata"]["ec2"]["tags"]["Environment"] == "production" for r in tagged)
    not_ec2 = client.list_coverage(
        filterCriteria={"resourceType": eq("AWS_EC2_INSTANCE", comparison="NOT_EQUALS")}
    )["coveredResources"]
    assert not_ec2
    assert all(r["resourceType"] != "AWS_EC2_INSTANCE" for r in not_ec2)
    ec2 = client.list_coverage(filterCriteria={"resourceType": eq("AWS_EC2_INSTANCE")})
    for record in ec2["coveredResources"]:
        assert record["scanType"] == "PACKAGE"
        assert set(record["resourceMetadata"]["ec2"]) == {"tags", "amiId", "platform"}
    stats = client.list_coverage_statistics(groupBy="ACCOUNT_ID")
    assert sum(g["count"] for g in stats["countsByGroup"]) == stats["totalCounts"]
    assert stats["totalCounts"] == len(server.dataset.coverage_records("us-east-1"))
    stats = client.list_coverage_statistics(groupBy="PROVIDER")  # the sample is AWS's only
    assert stats["countsByGroup"] == [{"groupKey": "AWS", "count": stats["totalCounts"]}]


def test_all_regions_coverage_matches_the_inventory(server: LoopbackInspector) -> None:
    ec2 = [
        r
        for region in REGIONS
        for r in server.client(region).list_coverage()["coveredResources"]
        if r["resourceType"] == "AWS_EC2_INSTANCE"
    ]
    assert len(ec2) == 31  # 17 instances with findings + 14 coverage scenarios
    modes = Counter(r.get("scanMode") for r in ec2)
    assert modes == {
        "EC2_SSM_AGENT_BASED": 12,
        "EC2_AGENTLESS": 7,
        "EC2_INSPECTOR_AGENT_BASED": 3,
        None: 9,
    }
    inactive = {
        r["scanStatus"]["reason"] for r in ec2 if r["scanStatus"]["statusCode"] == "INACTIVE"
    }
    assert inactive == {
        "EXCLUDED_BY_TAG",
        "EC2_INSTANCE_STOPPED",
        "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED",
        "UNMANAGED_EC2_INSTANCE",
        "UNSUPPORTED_OS",
    }
    active = Counter(
        r["scanStatus"]["reason"] for r in ec2 if r["scanStatus"]["statusCode"] == "ACTIVE"
    )
    assert active == {"SUCCESSFUL": 21, "PENDING_INITIAL_SCAN": 1}
    # Scanned instances carry lastScannedAt; the one awaiting its first scan does not.
    for r in ec2:
        scanned = r["scanStatus"]["reason"] == "SUCCESSFUL"
        assert ("lastScannedAt" in r) == scanned, r["resourceId"]
    platforms = Counter(r["resourceMetadata"]["ec2"]["platform"] for r in ec2)
    assert platforms == {"LINUX": 26, "WINDOWS": 4, "MACOS": 1}


def test_usage_counts_the_hours_scanned_instances_ran(server: LoopbackInspector) -> None:
    totals = {
        t["accountId"]: {u["type"]: u for u in t["usage"]}
        for t in server.client("eu-west-1").list_usage_totals()["totals"]
    }
    shared = totals[ADMIN]
    # bastion-05, cache-deb-09 and legacy-deb11-31 (Debian 11, in its end-of-life tail: still
    # billed) all month; web-canary-27 for the hour since its launch.
    assert shared["EC2_INSTANCE_HOURS"]["total"] == 3 * 720 + 1
    # etl-14 (unmanaged) and reporting-stale-24 (stale SSM inventory): agentless.
    assert shared["EC2_AGENTLESS_INSTANCE_HOURS"]["total"] == 2 * 720
    assert "estimatedMonthlyCost" not in shared["EC2_INSTANCE_HOURS"]  # no eu-west-1 price
    # acme-dev: jenkins-08 agentless; stopped-16 and fileserver-21 (8 volumes) are not billed;
    # win-vmscan-28 and api-vmscan-29 run the VM scanner, billed as agent-based hours.
    assert totals[MEMBER_DEV]["EC2_AGENTLESS_INSTANCE_HOURS"]["total"] == 720
    assert totals[MEMBER_DEV]["EC2_INSTANCE_HOURS"]["total"] == 2 * 720


def test_configuration_status_usage_members(server: LoopbackInspector) -> None:
    client = server.client("ap-northeast-1")
    config = client.get_configuration()
    assert config["ec2Configuration"]["scanModeState"] == {
        "scanMode": "EC2_HYBRID",
        "scanModeStatus": "SUCCESS",
    }
    assert client.get_ec2_deep_inspection_configuration()["status"] == "ACTIVATED"
    status = client.batch_get_account_status(accountIds=[MEMBER, "999999999999"])
    assert status["accounts"][0]["state"]["status"] == "ENABLED"
    assert status["accounts"][0]["resourceState"]["ecr"]["status"] == "ENABLED"
    assert status["failedAccounts"][0]["accountId"] == "999999999999"
    disabled = server.client("us-west-2").batch_get_account_status(accountIds=[MEMBER])
    assert disabled["accounts"][0]["state"]["status"] == "DISABLED"
    totals = {t["accountId"]: t["usage"] for t in client.list_usage_totals()["totals"]}
    hours = {u["type"]: u for u in totals[MEMBER]}
    assert hours["EC2_INSTANCE_HOURS"]["total"] == 3 * 720  # api-prod-02, db-rhel-07, win-rdgw-12
    assert hours["EC2_INSTANCE_HOURS"]["estimatedMonthlyCost"] == pytest.approx(3 * 1.512)
    only = client.list_usage_totals(accountIds=[MEMBER])["totals"]
    assert [t["accountId"] for t in only] == [MEMBER]
    members = client.list_members(onlyAssociated=True)["members"]
    assert {m["accountId"] for m in members} == {"111122223333", "444455556666"}
    assert {m["delegatedAdminAccountId"] for m in members} == {ADMIN}


def test_batch_get_finding_details(server: LoopbackInspector, raw_findings: list[Any]) -> None:
    log4shell = next(
        f
        for f in raw_findings
        if f.get("packageVulnerabilityDetails", {}).get("vulnerabilityId") == "CVE-2021-44228"
    )
    region = region_of(log4shell)
    network = next(
        f for f in raw_findings if region_of(f) == region and "title" in f and "Port" in f["title"]
    )
    unknown = f"arn:aws:inspector2:{region}:{MEMBER}:finding/{'0' * 32}"
    result = server.client(region).batch_get_finding_details(
        findingArns=[log4shell["findingArn"], network["findingArn"], unknown]
    )
    (detail,) = result["findingDetails"]
    assert detail["findingArn"] == log4shell["findingArn"]
    assert detail["cisaData"]["dateAdded"].year == 2021
    assert detail["exploitObserved"]["lastSeen"]
    assert detail["epssScore"] == log4shell["epss"]["score"]
    codes = {e["findingArn"]: e["errorCode"] for e in result["errors"]}
    assert codes == {
        network["findingArn"]: "FINDING_DETAILS_NOT_FOUND",
        unknown: "FINDING_DETAILS_NOT_FOUND",
    }


def severity_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    active = [f for f in findings if f["status"] == "ACTIVE"]
    counts = Counter(f["severity"].lower() for f in active)
    return {
        "all": len(active),
        **{k: counts.get(k, 0) for k in ("critical", "high", "medium", "low", "informational")},
        "untriaged": counts.get("untriaged", 0),
    }


def test_account_aggregation_counts(server: LoopbackInspector, raw_findings: list[Any]) -> None:
    for region in REGIONS:
        pages = server.client(region).get_paginator("list_finding_aggregations")
        result = pages.paginate(aggregationType="ACCOUNT").build_full_result()
        assert result["aggregationType"] == "ACCOUNT"
        got = {
            r["accountAggregation"]["accountId"]: r["accountAggregation"]["severityCounts"]
            for r in result["responses"]
        }
        in_region = [f for f in raw_findings if region_of(f) == region]
        accounts = {f["awsAccountId"] for f in in_region if f["status"] == "ACTIVE"}
        want = {
            a: severity_counts([f for f in in_region if f["awsAccountId"] == a]) for a in accounts
        }
        assert got == want


def test_aggregation_filters(server: LoopbackInspector, raw_findings: list[Any]) -> None:
    client = server.client("us-east-1")
    in_region = [f for f in raw_findings if region_of(f) == "us-east-1"]
    by_type = client.list_finding_aggregations(
        aggregationType="ACCOUNT",
        accountIds=eq("111122223333"),
        aggregationRequest={
            "accountAggregation": {"findingType": "PACKAGE_VULNERABILITY", "sortBy": "HIGH"}
        },
    )["responses"]
    want = severity_counts(
        [
            f
            for f in in_region
            if f["awsAccountId"] == "111122223333" and f["type"] == "PACKAGE_VULNERABILITY"
        ]
    )
    assert [r["accountAggregation"]["severityCounts"] for r in by_type] == [want]
    titles = client.list_finding_aggregations(
        aggregationType="TITLE",
        aggregationRequest={
            "titleAggregation": {"vulnerabilityIds": eq("CVE-2023", comparison="PREFIX")}
        },
    )["responses"]
    assert titles
    for response in titles:
        agg = response["titleAggregation"]
        matching = [f for f in in_region if f.get("title") == agg["title"]]
        assert agg["severityCounts"] == severity_counts(matching)
        assert agg["vulnerabilityId"].startswith("CVE-2023")
    alls = [r["titleAggregation"]["severityCounts"]["critical"] for r in titles]
    assert alls == sorted(alls, reverse=True)
    with pytest.raises(ClientError, match="does not implement aggregationType AMI"):
        client.list_finding_aggregations(aggregationType="AMI")
    with pytest.raises(ClientError, match="does not match aggregationType"):
        client.list_finding_aggregations(
            aggregationType="ACCOUNT", aggregationRequest={"titleAggregation": {}}
        )


# ----------------------------------------------------------------------------- faults

SMALL = LoopbackDataset.from_findings(
    [
        finding_payload(
            findingArn=f"arn:aws:inspector2:eu-west-1:111122223333:finding/{i:032x}",
            title=f"finding {i}",
        )
        for i in range(60)
    ]
)


def small_arns() -> set[str]:
    return set(SMALL.finding_arns())


def test_throttling_is_retried_by_boto3() -> None:
    faults = Faults(throttle_rate=1.0)
    with LoopbackInspector(SMALL, faults=faults) as server:
        client = server.client(
            "eu-west-1", config=Config(retries={"mode": "standard", "max_attempts": 1})
        )
        with pytest.raises(ClientError) as exc:
            client.list_findings()
        assert error_of(exc) == ("ThrottlingException", 429)
        assert exc.value.response["ResponseMetadata"]["RetryAttempts"] == 1
        assert faults.injected == {"throttle": 2}
        faults.throttle_rate = 0.0  # changed while running
        assert client.list_findings()["findings"]


def test_server_error_burst_then_recovery() -> None:
    faults = Faults(server_error_burst=1)
    with LoopbackInspector(SMALL, faults=faults) as server:
        client = server.client(
            "eu-west-1", config=Config(retries={"mode": "standard", "max_attempts": 1})
        )
        page = client.list_findings()
        assert page["ResponseMetadata"]["RetryAttempts"] == 1
        assert faults.injected == {"server_error": 1}
        assert faults.server_error_burst == 0
        assert [r.status for r in server.requests] == [500, 200]


def test_random_faults_are_reproducible_with_a_seed() -> None:
    def outcomes(seed: int) -> list[str | None]:
        faults = Faults(throttle_rate=0.3, server_error_rate=0.2, seed=seed)
        return [faults.draw_error() for _ in range(50)]

    assert outcomes(11) == outcomes(11)
    assert outcomes(11) != outcomes(12)
    assert {"throttle", "server_error", None} == set(outcomes(11))
    faults = Faults(throttle_rate=0.5, seed=3)
    first = [faults.draw_error() for _ in range(10)]
    faults.seed = 3  # reseeds
    assert [faults.draw_error() for _ in range(10)] == first


def test_server_error_rate_over_http() -> None:
    faults = Faults(server_error_rate=1.0)
    with LoopbackInspector(SMALL, faults=faults) as server:
        with pytest.raises(ClientError) as exc:
            server.client("eu-west-1", config=NO_RETRY).list_findings()
        assert error_of(exc) == ("InternalServerException", 500)
        assert faults.injected == {"server_error": 1}


def test_deny_regions(server: LoopbackInspector) -> None:
    server.faults.deny_regions.add("eu-west-1")
    with pytest.raises(ClientError) as exc:
        server.client("eu-west-1").list_findings()
    assert error_of(exc) == ("AccessDeniedException", 403)
    assert all_findings(server.client("us-east-1"))
    assert server.faults.injected == {"access_denied": 1}


def test_latency(server: LoopbackInspector) -> None:
    slow, fast = server.client("eu-west-1"), server.client("us-east-1")
    server.faults = Faults(latency=0.05, latency_by_region={"eu-west-1": 0.15})
    start = time.perf_counter()
    slow.get_configuration()
    slow_time = time.perf_counter() - start
    start = time.perf_counter()
    fast.get_configuration()
    fast_time = time.perf_counter() - start
    assert slow_time >= 0.2
    assert 0.05 <= fast_time < slow_time
    assert server.faults.injected == {"latency": 2}


def test_empty_pages(server: LoopbackInspector) -> None:
    server.faults = Faults(empty_pages=2)
    with LoopbackInspector(SMALL, faults=server.faults) as small:
        pages = list(small.client("eu-west-1").get_paginator("list_findings").paginate())
        assert [len(p["findings"]) for p in pages] == [0, 0, 25, 0, 0, 25, 0, 0, 10]
        assert {f["findingArn"] for p in pages for f in p["findings"]} == small_arns()
        assert server.faults.injected == {"empty_page": 6}


def test_repeat_token_makes_pagination_endless() -> None:
    faults = Faults(repeat_token=True)
    with LoopbackInspector(SMALL, faults=faults) as server:
        client = server.client("eu-west-1")
        with pytest.raises(PaginationError, match="same next token"):
            all_findings(client)
        assert faults.injected == {"repeat_token": 1}
        first = client.list_findings()
        again = client.list_findings(nextToken=first["nextToken"])
        assert again["nextToken"] == first["nextToken"]


def test_trailing_token() -> None:
    faults = Faults(trailing_token=True)
    with LoopbackInspector(SMALL, faults=faults) as server:
        pages = list(server.client("eu-west-1").get_paginator("list_findings").paginate())
        assert [len(p["findings"]) for p in pages] == [25, 25, 10, 0]
        assert "nextToken" in pages[2]
        assert "nextToken" not in pages[3]
        assert faults.injected == {"trailing_token": 1}


def test_duplicate_overlap() -> None:
    faults = Faults(duplicate_overlap=5)
    with LoopbackInspector(SMALL, faults=faults) as server:
        found = arns(all_findings(server.client("eu-west-1")))
        assert set(found) == small_arns()
        duplicates = [arn for arn, n in Counter(found).items() if n > 1]
        assert len(found) == 60 + len(duplicates)
        assert faults.injected["duplicate_overlap"] >= 2
        assert len(duplicates) == 5 * faults.injected["duplicate_overlap"]


def test_faults_restricted_to_operations(server: LoopbackInspector) -> None:
    server.faults = Faults(throttle_rate=1.0, operations=["ListCoverage"])
    client = server.client("eu-west-1", config=NO_RETRY)
    assert client.list_findings()["findings"]
    with pytest.raises(ClientError, match="ThrottlingException"):
        client.list_coverage()
    assert server.faults.injected == {"throttle": 1}
    assert server.faults.applies_to("ListCoverage")
    assert not server.faults.applies_to("ListFindings")


def test_fault_validation() -> None:
    with pytest.raises(ValueError, match="throttle_rate"):
        Faults(throttle_rate=1.5)
    with pytest.raises(ValueError, match="latency"):
        Faults(latency=-1)
    faults = Faults()
    with pytest.raises(ValueError, match="server_error_rate"):
        faults.server_error_rate = 2.0
    faults.count("throttle", 2)
    assert faults.injected == {"throttle": 2}
    faults.reset_counters()
    assert faults.injected == {}


# ----------------------------------------------------------------------------- datasets


def test_from_findings_accepts_models_and_payloads() -> None:
    models = list(sample_findings())[:3]
    payload = finding_payload()
    dataset = LoopbackDataset.from_findings(
        [*models, payload], account_status={("111122223333", "eu-west-1"): "SUSPENDED"}
    )
    assert len(dataset) == 4
    with LoopbackInspector(dataset) as server:
        client = server.client("eu-west-1")
        found = all_findings(client)
        assert payload["findingArn"] in arns(found)
        status = client.batch_get_account_status(accountIds=["111122223333"])
        assert status["accounts"][0]["state"]["status"] == "SUSPENDED"
        assert client.get_configuration()["ec2Configuration"]["scanModeState"]["scanMode"] == (
            "EC2_HYBRID"
        )
        with pytest.raises(ClientError):
            server.client("eu-west-1", config=NO_RETRY).list_findings(nextToken="x")


def test_from_findings_rejects_duplicates_and_bad_arns() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        LoopbackDataset.from_findings([finding_payload(), finding_payload()])
    with pytest.raises(ValueError, match="findingArn"):
        LoopbackDataset.from_findings([{"awsAccountId": "111122223333"}])


def test_replicated_dataset_is_fast_unique_and_consistent() -> None:
    big = LoopbackDataset.synthetic(100_000, regions=["us-east-1", "eu-central-1"])
    assert len(big) == 100_000
    assert big.regions == ("ap-northeast-1", "eu-central-1", "eu-west-1", "us-east-1")
    arns_all = big.finding_arns()
    assert len(set(arns_all)) == 100_000
    assert len(big.finding_arns("eu-central-1")) == 50_000
    moved = next(big.finding_payloads("eu-central-1"))
    assert moved["findingArn"].split(":")[3] == "eu-central-1"
    assert {r.get("region") for r in moved["resources"]} <= {"eu-central-1", None}
    with LoopbackInspector(big) as server:
        client = server.client("eu-central-1")
        page = client.list_findings(
            filterCriteria={"findingStatus": eq("ACTIVE")},
            sortCriteria={"field": "SEVERITY", "sortOrder": "DESC"},
        )
        assert len(page["findings"]) == 25
        assert {f["severity"] for f in page["findings"]} == {"CRITICAL"}
        again = client.list_findings(
            nextToken=page["nextToken"],
            filterCriteria={"findingStatus": eq("ACTIVE")},
            sortCriteria={"field": "SEVERITY", "sortOrder": "DESC"},
        )
        assert not set(arns(page["findings"])) & set(arns(again["findings"]))
        assert client.get_configuration()["ec2Configuration"]


def test_sample_dataset_shape() -> None:
    dataset = LoopbackDataset.sample()
    assert LoopbackDataset.sample() is dataset  # built once
    assert len(dataset) == 274
    assert dataset.accounts == ("111122223333", "123456789012", "444455556666")
    assert set(dataset.finding_arns()) == {f.finding_arn for f in sample_findings()}
    assert "274 findings" in repr(dataset)


# ----------------------------------------------------------------------------- fixture, CLI


def test_pytest_fixture(loopback_inspector: LoopbackInspector) -> None:
    assert loopback_inspector.running
    assert len(loopback_inspector.dataset) == 274
    client = loopback_inspector.client("us-east-1")
    assert client.list_findings(maxResults=1)["findings"]
    assert loopback_inspector.requests == [
        RequestRecord("ListFindings", "us-east-1", "AKIDLOOPBACK", {"maxResults": 1}, 200, None)
    ]


def test_cli_serves_until_terminated() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inspector_kit.testing",
            "--findings",
            "600",
            "--regions",
            "us-east-1,us-west-2",
            "--latency",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        import boto3

        client = boto3.client(
            "inspector2",
            region_name="us-west-2",
            endpoint_url=url,
            aws_access_key_id="k",
            aws_secret_access_key="s",
        )
        page = client.list_findings()
        assert len(page["findings"]) == 25
        assert all(f["findingArn"].split(":")[3] == "us-west-2" for f in page["findings"])
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr


def test_package_filters_on_runtime_reachability_and_purl_qualifiers() -> None:
    # botocore 1.44.8's PackageFilter parts: the loopback must not ignore them.
    from inspector_kit.testing._query import compile_finding_filter

    packages = (
        {
            "name": "curl",
            "runtimeReachability": "REACHABLE",
            "runtimeReachabilityReason": "PROCESS_OBSERVED_IN_EC2_RUNTIME",
            "purl": "pkg:rpm/amazon/curl@8.5.0?arch=x86_64&distro=amazon-2023",
        },
        {"name": "zlib", "runtimeReachability": "NOT_REACHABLE"},
        {"name": "xz"},
    )

    def names(package_filter: dict[str, Any]) -> list[str]:
        (predicate,) = compile_finding_filter({"vulnerablePackages": [package_filter]})
        return [p["name"] for p in packages if predicate({"vulnerablePackages": (p,)})]

    eq = {"comparison": "EQUALS"}
    ne = {"comparison": "NOT_EQUALS"}
    assert names({"runtimeReachability": {**eq, "value": "REACHABLE"}}) == ["curl"]
    assert names({"runtimeReachability": {**ne, "value": "REACHABLE"}}) == ["zlib", "xz"]
    reason = {"runtimeReachabilityReason": {**eq, "value": "PROCESS_OBSERVED_IN_EC2_RUNTIME"}}
    assert names(reason) == ["curl"]
    assert names({"purlQualifier": {**eq, "key": "arch", "value": "x86_64"}}) == ["curl"]
    assert names({"purlQualifier": {**eq, "key": "arch", "value": "aarch64"}}) == []
    assert names({"purlQualifier": {**eq, "key": "distro"}}) == ["curl"]
    assert names({"purlQualifier": {**eq, "key": "epoch"}}) == []


# -- session() and inspector(): no boilerplate, no credentials --------------------------

_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
)


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """A machine without AWS credentials: no variables, empty config and credential files."""
    for name in _CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_session_has_dummy_credentials_and_the_dataset_region(no_credentials: None) -> None:
    import boto3

    assert boto3.session.Session().get_credentials() is None  # the machine really has none
    with LoopbackInspector() as server:
        session = server.session()
        member = server.session("eu-west-1", aws_access_key_id=MEMBER_KEY)
        assert session.region_name == REGIONS[0]
        assert session.get_credentials().access_key == "AKIDLOOPBACK"
        assert member.region_name == "eu-west-1"
        assert member.get_credentials().access_key == MEMBER_KEY
    empty = LoopbackDataset.from_findings([])
    with LoopbackInspector(empty) as server:
        assert server.session().region_name == "us-east-1"


def test_inspector_reads_every_dataset_region_without_credentials(no_credentials: None) -> None:
    with LoopbackInspector(accounts={MEMBER_KEY: MEMBER}) as server:
        inspector = server.inspector()
        findings = list(inspector.findings())
        one = server.inspector(regions="eu-west-1", max_workers=1)
        eu = list(one.findings())
        member = server.inspector(session=server.session(aws_access_key_id=MEMBER_KEY))
        mine = {f.aws_account_id for f in member.findings()}
    active = [f for f in sample_findings() if f.status == "ACTIVE"]
    assert inspector.regions == REGIONS
    assert sorted(f.finding_arn for f in findings) == sorted(f.finding_arn for f in active)
    assert one.regions == ("eu-west-1",) and one.max_workers == 1
    assert {f.region for f in eu} == {"eu-west-1"}
    assert mine == {MEMBER}
    assert {r.region for r in server.requests} == set(REGIONS)


def _loopback_doctest_sources() -> tuple[list[Path], list[str]]:
    """Docs pages and package modules whose examples use a loopback server or the CLI."""
    import importlib
    import pkgutil

    import inspector_kit

    root = Path(__file__).resolve().parent.parent
    pages = sorted(
        p
        for p in (root / "docs").glob("*.md")
        if "LoopbackInspector" in p.read_text() or "--sample" in p.read_text()
    )
    modules = []
    for info in pkgutil.walk_packages(inspector_kit.__path__, "inspector_kit."):
        spec = importlib.util.find_spec(info.name)
        origin = spec.origin if spec is not None else None
        if origin and origin.endswith(".py") and "LoopbackInspector(" in Path(origin).read_text():
            modules.append(info.name)
    return pages, modules


def test_loopback_examples_run_without_credentials(no_credentials: None) -> None:
    import doctest
    import importlib

    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    pages, modules = _loopback_doctest_sources()
    names = {p.name for p in pages}
    assert {"testing.md", "fetching.md", "cli.md"} <= names
    assert "inspector_kit.fetch._inspector" in modules
    failures: dict[str, int] = {}
    attempted = 0
    for page in pages:
        result = doctest.testfile(str(page), module_relative=False, optionflags=flags, report=False)
        attempted += result.attempted
        if result.failed:
            failures[page.name] = result.failed
    for name in modules:
        result = doctest.testmod(importlib.import_module(name), optionflags=flags, report=False)
        attempted += result.attempted
        if result.failed:
            failures[name] = result.failed
    assert failures == {}
    assert attempted > 200


def test_the_credential_free_check_can_fail(no_credentials: None) -> None:
    # The same example written with a bare Inspector needs credentials: it must fail here.
    import doctest

    text = """
    >>> from inspector_kit import Inspector
    >>> from inspector_kit.testing import LoopbackInspector
    >>> with LoopbackInspector() as server:
    ...     found = list(Inspector(regions="us-east-1",
    ...                            endpoint_url=server.endpoint_url).findings())
    >>> len(found) > 0
    True
    """
    test = doctest.DocTestParser().get_doctest(text, {}, "bare", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    with contextlib.redirect_stdout(io.StringIO()):
        runner.run(test)
    assert runner.failures == 1
