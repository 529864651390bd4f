"""Azure and GCP resources: region and short name come from the provider fields (issue 17)."""

from __future__ import annotations

from inspector_kit.models import Resource

AZURE_VM = {
    "type": "Microsoft.Compute/virtualMachines",
    "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web-01",
    "region": "westeurope",
    "provider": "AZURE",
    "providerAccountId": "00000000-0000-0000-0000-000000000000",
    "details": {"vm": {"vmName": "web-01", "platform": "UBUNTU_22_04"}},
}
GCP_IMAGE = {
    "type": "artifactregistry.googleapis.com/DockerImage",
    "id": "projects/p/locations/us-central1/repositories/r/dockerImages/api",
    "region": "us-central1",
    "provider": "GCP",
    "details": {"image": {"repositoryName": "r/api", "imageTags": ["1.2"]}},
}
GCP_FUNCTION = {
    "type": "cloudfunctions.googleapis.com/Function",
    "id": "projects/p/locations/europe-west1/functions/resize",
    "region": "europe-west1",
    "provider": "GCP",
    "details": {"serverlessFunction": {"serverlessFunctionName": "resize", "version": "7"}},
}


def test_short_names_come_from_provider_details() -> None:
    assert Resource.from_api(AZURE_VM).short_name == "web-01"
    assert Resource.from_api(GCP_IMAGE).short_name == "r/api:1.2"
    assert Resource.from_api(GCP_FUNCTION).short_name == "resize:7"


def test_other_cloud_flag() -> None:
    assert Resource.from_api(AZURE_VM).is_other_cloud
    assert not Resource.from_api(
        {"type": "AWS_EC2_INSTANCE", "id": "i-1", "provider": "AWS"}
    ).is_other_cloud


def test_finding_region_prefers_provider_region() -> None:
    from inspector_kit.models import Finding

    arn = "arn:aws:inspector2:us-east-1:111122223333:finding/abc"
    base = {
        "findingArn": arn,
        "awsAccountId": "111122223333",
        "type": "PACKAGE_VULNERABILITY",
        "description": "d",
        "severity": "HIGH",
        "status": "ACTIVE",
        "firstObservedAt": "2026-01-01T00:00:00Z",
        "lastObservedAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-01T00:00:00Z",
        "remediation": {},
    }
    azure = Finding.from_api({**base, "resources": [AZURE_VM]})
    aws = Finding.from_api(
        {**base, "resources": [{"type": "AWS_EC2_INSTANCE", "id": "i-1", "region": "eu-west-1"}]}
    )
    assert azure.region == "westeurope"
    assert aws.region == "us-east-1"
