"""Code security integrations: the repository providers code scanning connects to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspector_kit import _limits
from inspector_kit.errors import InvalidArgumentError
from inspector_kit.models import CodeSecurityIntegration, CodeSecurityIntegrationDetails

from ._pages import call
from ._records import regional, strip_metadata

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._core import Core
    from ._stream import ResultStream

__all__ = ["code_security_integration", "code_security_integrations"]


def code_security_integrations(
    core: Core, *, regions: str | Iterable[str] | None, strict: bool
) -> ResultStream[CodeSecurityIntegration]:
    """``Inspector.code_security_integrations``, on ``core``."""
    params: dict[str, Any] = {"maxResults": _limits.CODE_SECURITY_INTEGRATIONS_PAGE}
    return core.stream(
        "ListCodeSecurityIntegrations",
        "list_code_security_integrations",
        params,
        "integrations",
        regional(CodeSecurityIntegration),
        regions=regions,
        key=lambda i: (i.region, i.integration_arn),
        strict=strict,
    )


def _region_of(arn: str) -> str:
    parts = arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or parts[2] != "inspector2" or not parts[3]:
        raise InvalidArgumentError(
            f"not a code security integration ARN (arn:<partition>:inspector2:<region>:...): "
            f"{arn!r}"
        )
    return parts[3]


def code_security_integration(core: Core, arn: str) -> CodeSecurityIntegrationDetails:
    """``Inspector.code_security_integration``, on ``core``: asked in the ARN's region."""
    region = _region_of(arn)
    response = call(
        core.clients.get(region),
        "GetCodeSecurityIntegration",
        "get_code_security_integration",
        {"integrationArn": arn},
        region=region,
    )
    return CodeSecurityIntegrationDetails.from_api(strip_metadata(response), region=region)
