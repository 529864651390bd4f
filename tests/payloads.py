"""Small payload builders for example-based tests."""

from __future__ import annotations

from typing import Any

from inspector_kit.testing import finding_payload

ARN = finding_payload()["findingArn"]


# A valid Finding payload with only the required members, plus overrides.
minimal_payload = finding_payload


def cvss(source: str, score: float, vector: str, version: str = "3.1") -> dict[str, Any]:
    return {"source": source, "baseScore": score, "scoringVector": vector, "version": version}


def package_details(
    vid: str = "CVE-2023-38545", source: str = "NVD", **more: Any
) -> dict[str, Any]:
    return {"vulnerabilityId": vid, "source": source, **more}
