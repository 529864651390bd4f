"""Code security integrations: the repository providers Inspector's code scanning connects to.

``CodeSecurityIntegration`` is one item of ``ListCodeSecurityIntegrations``' ``integrations``
(shape ``CodeSecurityIntegrationSummary``); ``CodeSecurityIntegrationDetails`` is the whole
``GetCodeSecurityIntegration`` response, which adds the provider instance's URL, the VPC
connection of a self-managed provider and the re-authorisation URL. Types and statuses are open
enums ([`IntegrationType`][inspector_kit.models.IntegrationType],
[`IntegrationStatus`][inspector_kit.models.IntegrationStatus]): botocore 1.44.8 added GitHub
Enterprise Server and the connection, manifest-code and deletion statuses
(docs/facts.md#model-1-44-8).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._codec import (
    STRING,
    STRING_LIST,
    STRING_MAP,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    FrozenMap,
    ModelCodec,
    api_model,
    member,
)
from ._enums import IntegrationStatus, IntegrationType
from ._regional import RegionalModel

__all__ = [
    "CodeSecurityIntegration",
    "CodeSecurityIntegrationDetails",
    "CodeSecurityIntegrationVpcConfiguration",
]

#: The statuses in which an integration cannot scan: it failed, is being removed, or waits
#: for a step of its set-up (docs/facts.md#model-1-44-8).
_NOT_READY = frozenset(
    {
        IntegrationStatus.PENDING,
        IntegrationStatus.IN_PROGRESS,
        IntegrationStatus.INACTIVE,
        IntegrationStatus.DISABLING,
        IntegrationStatus.ESTABLISHING_CONNECTION_IN_PROGRESS,
        IntegrationStatus.ESTABLISHING_CONNECTION_COMPLETED,
        IntegrationStatus.ESTABLISHING_CONNECTION_FAILED,
        IntegrationStatus.PENDING_MANIFEST_CODE,
        IntegrationStatus.DELETE_IN_PROGRESS,
        IntegrationStatus.DELETE_FAILED,
    }
)


@api_model("CodeSecurityIntegrationSummary")
@attrs.frozen(kw_only=True)
class CodeSecurityIntegration(RegionalModel):
    """API ``CodeSecurityIntegrationSummary``: one repository-provider integration.

    One item of ``ListCodeSecurityIntegrations``' ``integrations``; ``region`` is set by the
    fetcher. Every member is required by the model.

    Examples:
        >>> arn = "arn:aws:inspector2:eu-west-1:111122223333:codesecurity-integration/abc"
        >>> i = CodeSecurityIntegration.from_api({"integrationArn": arn,
        ...     "name": "ghes", "type": "GITHUB_ENTERPRISE_SERVER",
        ...     "status": "PENDING_MANIFEST_CODE", "statusReason": "Waiting for the app manifest",
        ...     "createdOn": "2026-11-30T09:00:00Z", "lastUpdateOn": "2026-11-30T09:05:00Z"},
        ...     region="eu-west-1")
        >>> str(i.type), str(i.status), i.ready
        ('GITHUB_ENTERPRISE_SERVER', 'PENDING_MANIFEST_CODE', False)
    """

    integration_arn: str = member("integrationArn", STRING, required=True)
    """API ``integrationArn`` (required by the model)."""
    name: str = member("name", STRING, required=True)
    """API ``name`` (required by the model)."""
    type: IntegrationType | str = member("type", EnumCodec(IntegrationType), required=True)
    """API ``type``: GITLAB_SELF_MANAGED, GITHUB or GITHUB_ENTERPRISE_SERVER; open enum."""
    status: IntegrationStatus | str = member("status", EnumCodec(IntegrationStatus), required=True)
    """API ``status``: ACTIVE, PENDING, ESTABLISHING_CONNECTION_FAILED, ...; open enum."""
    status_reason: str = member("statusReason", STRING, required=True)
    """API ``statusReason``: why the integration is in its status."""
    created_on: datetime = member("createdOn", TIMESTAMP, required=True)
    """API ``createdOn`` (aware UTC)."""
    last_update_on: datetime = member("lastUpdateOn", TIMESTAMP, required=True)
    """API ``lastUpdateOn`` (aware UTC)."""

    @property
    def ready(self) -> bool | None:
        """Whether the integration can scan (``None`` for a status this version does not know).

        ``True`` when ACTIVE, ``False`` for a status in which it cannot: failed, being set up
        or being removed.
        """
        if self.status == IntegrationStatus.ACTIVE:
            return True
        if self.status in _NOT_READY:
            return False
        return None


@api_model("CodeSecurityIntegrationVpcConfiguration")
@attrs.frozen(kw_only=True)
class CodeSecurityIntegrationVpcConfiguration(ApiModel):
    """API ``CodeSecurityIntegrationVpcConfiguration``: the VPC path to a self-managed provider.

    How Inspector reaches GitLab self-managed or GitHub Enterprise Server inside a VPC.

    Examples:
        >>> v = CodeSecurityIntegrationVpcConfiguration.from_api({"vpcId": "vpc-0a1b",
        ...     "vpcEndpointId": "vpce-0c2d", "subnetIds": ["subnet-1", "subnet-2"]})
        >>> v.vpc_id, v.subnet_ids
        ('vpc-0a1b', ('subnet-1', 'subnet-2'))
    """

    vpc_id: str = member("vpcId", STRING, required=True)
    """API ``vpcId`` (required by the model)."""
    vpc_endpoint_id: str = member("vpcEndpointId", STRING, required=True)
    """API ``vpcEndpointId`` (required by the model)."""
    code_connections_host_arn: str | None = member("codeConnectionsHostArn", STRING)
    """API ``codeConnectionsHostArn``: the AWS CodeConnections host used."""
    subnet_ids: tuple[str, ...] | None = member("subnetIds", STRING_LIST)
    """API ``subnetIds``."""
    security_groups: tuple[str, ...] | None = member("securityGroups", STRING_LIST)
    """API ``securityGroups``: security group ids."""
    tls_certificate: str | None = member("tlsCertificate", STRING)
    """API ``tlsCertificate``: the certificate trusted for the provider's TLS."""


@api_model("GetCodeSecurityIntegrationResponse")
@attrs.frozen(kw_only=True)
class CodeSecurityIntegrationDetails(CodeSecurityIntegration):
    """API ``GetCodeSecurityIntegrationResponse``: one integration in full.

    Everything of [`CodeSecurityIntegration`][inspector_kit.models.CodeSecurityIntegration]
    plus the provider's URL, its VPC connection and tags.

    Examples:
        >>> arn = "arn:aws:inspector2:eu-west-1:111122223333:codesecurity-integration/abc"
        >>> d = CodeSecurityIntegrationDetails.from_api({"integrationArn": arn,
        ...     "name": "gitlab", "type": "GITLAB_SELF_MANAGED", "status": "ACTIVE",
        ...     "statusReason": "", "createdOn": "2026-11-01T00:00:00Z",
        ...     "lastUpdateOn": "2026-11-02T00:00:00Z",
        ...     "instanceUrl": "https://gitlab.example.com",
        ...     "vpcConfiguration": {"vpcId": "vpc-0a1b", "vpcEndpointId": "vpce-0c2d"}})
        >>> d.ready, d.instance_url, d.vpc_configuration.vpc_id
        (True, 'https://gitlab.example.com', 'vpc-0a1b')
    """

    authorization_url: str | None = member("authorizationUrl", STRING)
    """API ``authorizationUrl``: only while the provider must be re-authorised."""
    vpc_configuration: CodeSecurityIntegrationVpcConfiguration | None = member(
        "vpcConfiguration", ModelCodec(CodeSecurityIntegrationVpcConfiguration)
    )
    """API ``vpcConfiguration``: for a provider reached through a VPC."""
    instance_url: str | None = member("instanceUrl", STRING)
    """API ``instanceUrl``: the self-managed GitLab or GitHub Enterprise Server URL."""
    tags: FrozenMap | None = member("tags", STRING_MAP)
    """API ``tags``."""
