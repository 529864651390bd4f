"""Code security integrations: ``ListCodeSecurityIntegrations`` and ``GetCodeSecurityIntegration``.

Real boto3 clients answered by Stubber, which validates every request and response against the
botocore 1.44.8 service model: the request parameters the library sends, and the new
``GITHUB_ENTERPRISE_SERVER`` type and connection statuses it reads.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.stub import Stubber

from inspector_kit import AccessDeniedError, FetchError, Inspector
from inspector_kit.errors import InvalidArgumentError
from inspector_kit.models import (
    CodeSecurityIntegration,
    CodeSecurityIntegrationDetails,
    IntegrationStatus,
    IntegrationType,
)

from .service_model import service_model

ARN = "arn:aws:inspector2:{region}:111122223333:codesecurity-integration/{id}"


def _arn(region: str, name: str) -> str:
    """An ARN of the documented form (the id is a UUID, derived from the name)."""
    return ARN.format(region=region, id=uuid.uuid5(uuid.NAMESPACE_URL, name))


def _summary(region: str, name: str, type_: str, status: str) -> dict[str, Any]:
    return {
        "integrationArn": _arn(region, name),
        "name": name,
        "type": type_,
        "status": status,
        "statusReason": "" if status == "ACTIVE" else f"{name} is {status}",
        "createdOn": "2026-11-01T00:00:00Z",
        "lastUpdateOn": "2026-11-30T12:00:00Z",
    }


def test_lists_every_page_of_every_region_with_the_new_types_and_statuses() -> None:
    inspector = Inspector(regions=["eu-west-1", "us-east-1"], max_workers=1)
    eu, us = inspector.client("eu-west-1"), inspector.client("us-east-1")
    with Stubber(eu) as eu_stub, Stubber(us) as us_stub:
        eu_stub.add_response(
            "list_code_security_integrations",
            {
                "integrations": [
                    _summary(
                        "eu-west-1", "ghes", "GITHUB_ENTERPRISE_SERVER", "PENDING_MANIFEST_CODE"
                    )
                ],
                "nextToken": "page-2",
            },
            {"maxResults": 100},
        )
        eu_stub.add_response(
            "list_code_security_integrations",
            {"integrations": [_summary("eu-west-1", "gitlab", "GITLAB_SELF_MANAGED", "ACTIVE")]},
            {"maxResults": 100, "nextToken": "page-2"},
        )
        us_stub.add_response(
            "list_code_security_integrations",
            {
                "integrations": [
                    _summary("us-east-1", "github", "GITHUB", "ESTABLISHING_CONNECTION_FAILED")
                ]
            },
            {"maxResults": 100},
        )
        stream = inspector.code_security_integrations()
        found = list(stream)
        eu_stub.assert_no_pending_responses()
        us_stub.assert_no_pending_responses()
    assert stream.errors == {}
    by_name = {i.name: i for i in found}
    assert set(by_name) == {"ghes", "gitlab", "github"}
    assert by_name["ghes"].type is IntegrationType.GITHUB_ENTERPRISE_SERVER
    assert by_name["ghes"].status is IntegrationStatus.PENDING_MANIFEST_CODE
    assert [by_name[n].ready for n in ("ghes", "gitlab", "github")] == [False, True, False]
    assert {i.region for i in found} == {"eu-west-1", "us-east-1"}
    assert all(i.integration_arn.split(":")[3] == i.region for i in found)


def test_every_known_status_has_a_readiness_and_an_unknown_one_is_none() -> None:
    statuses = service_model().shape_for("IntegrationStatus").enum
    for status in statuses:
        item = CodeSecurityIntegration.from_api(_summary("eu-west-1", "x", "GITHUB", status))
        assert item.ready is (status == "ACTIVE"), status
    future = CodeSecurityIntegration.from_api(_summary("eu-west-1", "x", "GITHUB", "SUSPENDED"))
    assert future.status == "SUSPENDED" and future.ready is None
    assert future.to_api()["status"] == "SUSPENDED"


def test_a_denied_region_is_an_error_never_an_empty_list() -> None:
    inspector = Inspector(regions=["eu-west-1", "us-east-1"], max_workers=1)
    eu, us = inspector.client("eu-west-1"), inspector.client("us-east-1")
    with Stubber(eu) as eu_stub, Stubber(us) as us_stub:
        eu_stub.add_client_error(
            "list_code_security_integrations",
            "AccessDeniedException",
            "not authorized to perform inspector2:ListCodeSecurityIntegrations",
            403,
        )
        us_stub.add_response(
            "list_code_security_integrations",
            {"integrations": [_summary("us-east-1", "github", "GITHUB", "ACTIVE")]},
        )
        stream = inspector.code_security_integrations()
        found = list(stream)
    assert [i.name for i in found] == ["github"]
    assert isinstance(stream.errors["eu-west-1"], AccessDeniedError)
    with Stubber(eu) as eu_stub:
        eu_stub.add_client_error(
            "list_code_security_integrations", "AccessDeniedException", "denied", 403
        )
        with pytest.raises(AccessDeniedError):
            list(inspector.code_security_integrations(regions="eu-west-1", strict=True))


def test_a_record_missing_a_required_member_is_kept_and_reported() -> None:
    inspector = Inspector(regions="eu-west-1")
    broken = _summary("eu-west-1", "half", "GITHUB", "ACTIVE")
    del broken["createdOn"]
    client = inspector.client("eu-west-1")
    # Stubber validates responses against the model, so the bad record is answered by a
    # before-call hook (botocore then skips the HTTP request and uses this response).
    client.meta.events.register(
        "before-call.inspector2.ListCodeSecurityIntegrations",
        lambda **_: (SimpleNamespace(status_code=200), {"integrations": [broken]}),
    )
    stream = inspector.code_security_integrations()
    found = list(stream)
    assert [i.name for i in found] == ["half"]
    assert stream.item_errors and "createdOn" in str(stream.item_errors[0].error)


def test_get_asks_the_arn_region_and_reads_the_vpc_connection() -> None:
    arn = _arn("ap-northeast-1", "ghes")
    inspector = Inspector(regions="us-east-1")
    response = {
        **_summary("ap-northeast-1", "ghes", "GITHUB_ENTERPRISE_SERVER", "ACTIVE"),
        "instanceUrl": "https://github.example.com",
        "vpcConfiguration": {
            "vpcId": "vpc-0a1b2c3d",
            "vpcEndpointId": "vpce-0a1b2c3d4e5f",
            "subnetIds": ["subnet-1", "subnet-2"],
            "securityGroups": ["sg-1"],
            "codeConnectionsHostArn": "arn:aws:codeconnections:ap-northeast-1:111122223333:host/1",
        },
        "tags": {"team": "appsec"},
    }
    with Stubber(inspector.client("ap-northeast-1")) as stub:
        stub.add_response("get_code_security_integration", response, {"integrationArn": arn})
        details = inspector.code_security_integration(arn)
        stub.assert_no_pending_responses()
    assert isinstance(details, CodeSecurityIntegrationDetails)
    assert details.region == "ap-northeast-1" and details.ready is True
    assert details.vpc_configuration is not None
    assert details.vpc_configuration.subnet_ids == ("subnet-1", "subnet-2")
    assert details.tags is not None and dict(details.tags) == {"team": "appsec"}
    assert set(details.to_api()) == set(response)  # every member read, none lost
    assert (
        CodeSecurityIntegrationDetails.from_api(details.to_api(), region=details.region) == details
    )


@pytest.mark.parametrize(
    "arn",
    [
        "",
        "codesecurity-integration/a1",
        "arn:aws:ecr:eu-west-1:111122223333:repository/x",
        "arn:aws:inspector2::111122223333:codesecurity-integration/a1",
    ],
)
def test_get_rejects_what_is_not_an_inspector_arn(arn: str) -> None:
    with pytest.raises(InvalidArgumentError, match="ARN"):
        Inspector(regions="us-east-1").code_security_integration(arn)


def test_get_of_a_missing_integration_raises_a_fetch_error() -> None:
    arn = _arn("eu-west-1", "gone")
    inspector = Inspector(regions="eu-west-1")
    with Stubber(inspector.client("eu-west-1")) as stub:
        stub.add_client_error(
            "get_code_security_integration", "ResourceNotFoundException", "no such", 404
        )
        with pytest.raises(FetchError) as caught:
            inspector.code_security_integration(arn)
    assert caught.value.region == "eu-west-1"
    assert caught.value.operation == "GetCodeSecurityIntegration"
