"""Helpers for testing code that uses inspector_kit (ours and yours).

[`finding_payload`][inspector_kit.testing.finding_payload] builds a valid ``Finding`` payload in the
API shape, with only the required members unless you add more; useful for unit tests of triage
rules, bots and Lambda handlers that take Inspector findings.

[`LoopbackInspector`][inspector_kit.testing.LoopbackInspector] is a local inspector2 endpoint (a
real HTTP server on 127.0.0.1) for integration tests and benchmarks with real boto3 clients; it
serves a [`LoopbackDataset`][inspector_kit.testing.LoopbackDataset] and injects
[`Faults`][inspector_kit.testing.Faults] on demand. The pytest fixture ``loopback_inspector`` lives
in ``inspector_kit.testing.fixtures``; ``python -m inspector_kit.testing`` runs a server in the
foreground. See ``docs/testing.md``.
"""

from __future__ import annotations

import copy
from typing import Any

from ._dataset import LoopbackDataset
from ._faults import Faults
from ._loopback import LoopbackInspector, RequestRecord

__all__ = ["Faults", "LoopbackDataset", "LoopbackInspector", "RequestRecord", "finding_payload"]

_MINIMAL: dict[str, Any] = {
    "findingArn": "arn:aws:inspector2:eu-west-1:111122223333:finding/"
    "0123456789abcdef0123456789abcdef",
    "awsAccountId": "111122223333",
    "type": "PACKAGE_VULNERABILITY",
    "description": "A vulnerability",
    "remediation": {"recommendation": {"text": "Update the package"}},
    "severity": "HIGH",
    "firstObservedAt": "2026-10-01T08:00:00Z",
    "lastObservedAt": "2026-11-20T08:00:00Z",
    "status": "ACTIVE",
    "resources": [{"type": "AWS_EC2_INSTANCE", "id": "i-0123456789abcdef0"}],
}


def finding_payload(**members: Any) -> dict[str, Any]:
    """A valid ``Finding`` payload (API shape): the required members, replaced or added to.

    Keyword arguments are API member names (camelCase) and replace or add members at the
    top level. Each call returns a fresh deep copy.

    Examples:
        >>> from inspector_kit import Finding
        >>> f = Finding.from_api(finding_payload(severity="CRITICAL", epss={"score": 0.9}))
        >>> f.severity, f.epss_score, f.region
        (<Severity.CRITICAL: 'CRITICAL'>, 0.9, 'eu-west-1')
    """
    payload = copy.deepcopy(_MINIMAL)
    payload.update(members)
    return payload
