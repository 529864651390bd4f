"""findings_at_scale falls back to ListFindings, and says why, whenever counting or a report fails.

Real boto3 clients: Inspector through the loopback server, S3 through moto.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from inspector_kit import FindingCriteria, Inspector, PartialResultError
from inspector_kit.fetch import ExportSettings, FindingsAtScale
from inspector_kit.testing import Faults, LoopbackInspector

REGIONS = ["us-east-1", "eu-west-1"]
BUCKET = "inspector-reports"
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.fixture
def env() -> Iterator[tuple[Inspector, LoopbackInspector, Any]]:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        with LoopbackInspector(s3=s3) as server:
            settings = ExportSettings(s3_client=s3, sleep=lambda s: None)
            inspector = Inspector(
                regions=REGIONS, endpoint_url=server.endpoint_url, exports=settings
            )
            yield inspector, server, s3


def _at_scale(inspector: Inspector, s3: Any, **kw: Any) -> FindingsAtScale:
    return inspector.findings_at_scale(
        kw.pop("criteria", None),
        bucket=BUCKET,
        kms_key_arn=KEY,
        threshold=kw.pop("threshold", 0),
        **kw,
    )


def _listed(inspector: Inspector, criteria: Any = None) -> set[str]:
    return {f.finding_arn for f in inspector.findings(criteria)}


def test_counting_denied_falls_back_to_list_findings_and_says_why(
    env: tuple[Inspector, LoopbackInspector, Any], caplog: pytest.LogCaptureFixture
) -> None:
    # Regression: a denied ListFindingAggregations failed the whole call.
    inspector, server, s3 = env
    want = _listed(inspector)
    server.faults = Faults(deny_regions={"eu-west-1"}, operations=["ListFindingAggregations"])
    result = _at_scale(inspector, s3)
    with caplog.at_level(logging.WARNING, logger="inspector_kit.fetch"):
        found = [f.finding_arn for f in result]
    assert set(found) == want and len(found) == len(want)
    assert result.routes == {"us-east-1": "CreateFindingsReport", "eu-west-1": "ListFindings"}
    assert list(result.fallbacks) == ["eu-west-1"]
    assert "counting failed" in result.fallbacks["eu-west-1"]
    assert "AccessDeniedException" in result.fallbacks["eu-west-1"]
    assert "eu-west-1 read with ListFindings: counting failed" in caplog.text
    assert result.errors == {} and result.counts == {"us-east-1": result.counts["us-east-1"]}
    result.raise_for_errors()  # a fallback is not a failure: everything was delivered


def test_criteria_aggregations_cannot_count_fall_back_everywhere(
    env: tuple[Inspector, LoopbackInspector, Any],
) -> None:
    inspector, server, s3 = env
    crit = FindingCriteria(severity="CRITICAL")  # not a filter ListFindingAggregations takes
    result = _at_scale(inspector, s3, criteria=crit)
    found = {f.finding_arn for f in result}
    assert found == _listed(inspector, crit)
    assert set(result.fallbacks) == set(REGIONS)
    assert all("cannot count these criteria" in r for r in result.fallbacks.values())
    assert not [r for r in server.requests if r.operation == "CreateFindingsReport"]


def test_a_report_that_cannot_be_made_falls_back(
    env: tuple[Inspector, LoopbackInspector, Any],
) -> None:
    inspector, _, s3 = env
    want = _listed(inspector)
    running = inspector.export_findings(BUCKET, KEY, wait=False)  # conflicts
    result = _at_scale(inspector, s3)
    found = [f.finding_arn for f in result]
    running.cancel()
    assert set(found) == want and len(found) == len(want)
    assert result.routes == dict.fromkeys(REGIONS, "ListFindings")
    # One report at a time per account: both regions were above the threshold, both fell back.
    assert set(result.fallbacks) == set(REGIONS)
    assert all("ConflictException" in reason for reason in result.fallbacks.values())
    assert all("findings report could not be made" in r for r in result.fallbacks.values())


def test_a_failing_region_is_an_error_not_an_empty_result(
    env: tuple[Inspector, LoopbackInspector, Any],
) -> None:
    inspector, server, s3 = env
    server.faults = Faults(deny_regions={"eu-west-1"})  # every call in eu-west-1
    result = _at_scale(inspector, s3, threshold=10**9)
    found = {f.finding_arn for f in result}
    assert found and all(":us-east-1:" in arn for arn in found)
    assert set(result.errors) == {"eu-west-1"}
    assert "counting failed" in result.fallbacks["eu-west-1"]
    with pytest.raises(PartialResultError):
        result.raise_for_errors()
    with pytest.raises(RuntimeError, match="already been iterated"):
        list(result)
