"""ECR image scan findings (describe-image-scan-findings) read by load_findings (issue 17)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape, StructureShape
from botocore.validate import ParamValidator

from inspector_kit import Finding, load_findings
from inspector_kit.errors import InputError, SourceFormatError
from inspector_kit.formats._ecr import ECR_NOT_CARRIED
from inspector_kit.formats._foreign import shape_of
from inspector_kit.sample import sample_findings

FIXTURES = Path(__file__).parent / "fixtures"
ENHANCED = FIXTURES / "ecr" / "describe_image_scan_findings_enhanced.json"
BASIC = FIXTURES / "ecr" / "describe_image_scan_findings_basic.json"
EVENT = FIXTURES / "aws_examples" / "eventbridge_ecr_package.json"

_ECR = botocore.session.get_session().get_service_model("ecr")
_RESPONSE = _ECR.shape_for("DescribeImageScanFindingsResponse")
_ENHANCED_SHAPE = _ECR.shape_for("EnhancedImageScanFinding")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _validate(response: dict[str, Any]) -> str:
    """botocore's own check of a value against the model's response shape ('' when valid)."""
    report = ParamValidator().validate(response, _RESPONSE)
    return str(report.generate_report()) if report.has_errors() else ""


# --- the helper: an Inspector finding as ECR's enhanced finding ----------------------


def _prune(value: Any, shape: Shape) -> Any:
    """``value`` without the members the ECR model's ``shape`` does not have."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {k: _prune(v, shape.members[k]) for k, v in value.items() if k in shape.members}
    if shape.type_name == "list" and isinstance(value, list):
        return [_prune(v, shape.member) for v in value]  # type: ignore[attr-defined]
    return value


def to_ecr(finding: Finding) -> dict[str, Any]:
    """What ECR's DescribeImageScanFindings returns for an Inspector finding."""
    api = finding.to_api()
    if "inspectorScore" in api:
        api["score"] = api.pop("inspectorScore")
    adjusted = (api.pop("inspectorScoreDetails", None) or {}).get("adjustedCvss")
    if adjusted is not None:
        api["scoreDetails"] = {"cvss": adjusted}
    rec = (api.get("remediation") or {}).get("recommendation") or {}
    if "Url" in rec:
        rec["url"] = rec.pop("Url")
    ecr: dict[str, Any] = _prune(api, _ENHANCED_SHAPE)
    return ecr


def _response(findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "imageScanFindings": {"enhancedFindings": findings},
        "registryId": "246813579024",
        "repositoryName": "kit/payments-api",
        "imageId": {"imageDigest": "sha256:" + "0" * 64},
        "imageScanStatus": {"status": "ACTIVE"},
    }


_LOST = ("partition", "region", "provider", "providerAccountId", "providerOrgId")


def _comparable(api: dict[str, Any]) -> dict[str, Any]:
    """An API payload without the members ECR_NOT_CARRIED lists."""
    api = copy.deepcopy(api)
    for key in ("networkReachabilityDetails", "codeVulnerabilityDetails"):
        api.pop(key, None)
    for key in ("exploitabilityDetails", "epss"):
        api.pop(key, None)
    adjusted = (api.get("inspectorScoreDetails") or {}).get("adjustedCvss")
    if adjusted is not None:
        adjusted.pop("cvssSource", None)
    for res in api.get("resources", []):
        for key in _LOST:
            res.pop(key, None)
        details = res.get("details") or {}
        for key in list(details):
            if key != "awsEcrContainerImage":
                del details[key]
        if not details:
            res.pop("details", None)
    pkg = api.get("packageVulnerabilityDetails") or {}
    for vp in pkg.get("vulnerablePackages", []):
        for key in ("remediation", "sourceLambdaLayerArn", "purl"):
            vp.pop(key, None)
    return api


# --- the fixtures ----------------------------------------------------------------------


@pytest.mark.parametrize("path", [ENHANCED, BASIC], ids=["enhanced", "basic"])
def test_fixtures_are_valid_against_the_ecr_model(path: Path) -> None:
    assert _validate(_load(path)) == ""


def test_the_validator_can_fail() -> None:
    bad = _load(ENHANCED)
    bad["imageScanFindings"]["enhancedFindings"][0]["score"] = "high"
    assert "score" in _validate(bad)


def test_enhanced_response_reads_every_finding_with_ecrs_score() -> None:
    loaded = load_findings(ENHANCED)
    findings = list(loaded)
    assert loaded.errors == [] and loaded.skipped == []
    assert [f.vulnerability_id for f in findings] == ["CVE-2021-22946", "CVE-2022-37434"]
    assert [f.inspector_score for f in findings] == [5.9, 9.8]
    details = [f.to_api()["inspectorScoreDetails"]["adjustedCvss"] for f in findings]
    assert [d["scoreSource"] for d in details] == ["REDHAT_CVE", "NVD"]
    assert details[0]["scoringVector"] == "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"
    fixed = findings[1]
    assert fixed.remediation is not None and fixed.remediation.recommendation is not None
    assert fixed.remediation.recommendation.url == (
        "https://alas.aws.amazon.com/AL2/ALAS-2022-1849.html"
    )
    assert str(fixed.fix_available) == "YES"
    assert fixed.last_observed_at == dt.datetime(2022, 3, 16, 2, 10, 44, 902000, dt.timezone.utc)


def test_enhanced_finding_is_the_same_finding_as_the_eventbridge_event() -> None:
    (from_event,) = list(load_findings(EVENT))
    from_ecr = next(iter(load_findings(ENHANCED)))
    assert from_ecr.finding_arn == from_event.finding_arn
    assert _comparable(from_ecr.to_api()) == _comparable(from_event.to_api())
    assert from_ecr.purls == from_event.purls


def test_basic_scanning_findings_are_skipped_each_with_a_reason() -> None:
    loaded = load_findings(BASIC)
    assert list(loaded) == []
    assert loaded.errors == []
    assert [s.index for s in loaded.skipped] == [0, 1]
    assert "CVE-2019-5188" in loaded.skipped[0].reason
    assert all("ECR basic scanning" in s.reason for s in loaded.skipped)
    assert all("not Amazon Inspector" in s.reason for s in loaded.skipped)


def test_a_list_of_responses_pages_and_jsonl() -> None:
    pages = [_load(ENHANCED), _load(BASIC)]
    for source in (pages, json.dumps(pages), "\n".join(json.dumps(p) for p in pages)):
        loaded = load_findings(source)
        assert len(list(loaded)) == 2
        assert len(loaded.skipped) == 2


def test_timestamps_from_cli_v1_numbers_and_boto3_datetimes() -> None:
    iso = next(iter(load_findings(ENHANCED)))
    when = dt.datetime(2022, 3, 14, 9, 41, 7, tzinfo=dt.timezone.utc)
    pushed = dt.datetime(2022, 3, 14, 9, 40, 51, tzinfo=dt.timezone.utc)
    for stamp, pushed_stamp in (
        (when.timestamp(), pushed.timestamp()),  # raw API / CLI v1: epoch seconds
        (when, pushed),  # boto3: datetime objects
    ):
        response = _load(ENHANCED)
        record = response["imageScanFindings"]["enhancedFindings"][0]
        for key in ("firstObservedAt", "lastObservedAt", "updatedAt"):
            record[key] = stamp
        image = record["resources"][0]["details"]["awsEcrContainerImage"]
        image["pushedAt"], image["lastInUseAt"] = pushed_stamp, stamp
        response["ResponseMetadata"] = {"HTTPStatusCode": 200}  # as boto3 returns it
        got = next(iter(load_findings(response)))
        assert got.first_observed_at == iso.first_observed_at == when
        assert got.updated_at == iso.updated_at
        assert got == iso


def test_one_enhanced_finding_alone_is_read() -> None:
    record = _load(ENHANCED)["imageScanFindings"]["enhancedFindings"][1]
    shape = shape_of(record)
    assert shape is not None and shape.name == "ECR image scan findings"
    for source in (record, json.dumps(record), [record]):
        assert [f.vulnerability_id for f in load_findings(source)] == ["CVE-2022-37434"]


def test_inspector_findings_are_not_taken_for_ecr_ones() -> None:
    (finding,) = list(load_findings(EVENT))
    assert shape_of(finding.to_api()) is None


def test_message_names_the_ecr_shape() -> None:
    with pytest.raises(SourceFormatError, match="ECR DescribeImageScanFindings"):
        list(load_findings({"imageScanStatus": {"status": "FAILED"}, "imageScanFindings": None}))
    with pytest.raises(SourceFormatError, match="ECR DescribeImageScanFindings"):
        list(load_findings('{"imageId": {"imageTag": "x"}, "repositoryName": "r"}'))


def test_a_malformed_enhanced_finding_is_a_record_error() -> None:
    response = _load(ENHANCED)
    response["imageScanFindings"]["enhancedFindings"][0]["remediation"] = "update it"
    loaded = load_findings(response)
    assert [f.vulnerability_id for f in loaded] == ["CVE-2022-37434"]
    assert "not a valid ECR enhanced scan finding" in str(loaded.errors[0].error)
    with pytest.raises(InputError, match="ECR enhanced scan finding"):
        list(load_findings(response, strict=True))


# --- round trip ------------------------------------------------------------------------


def _ecr_findings() -> list[Finding]:
    found = [
        f
        for f in sample_findings()
        if any(str(r.type) == "AWS_ECR_CONTAINER_IMAGE" for r in f.resources)
    ]
    assert len(found) > 10
    return found


def test_the_helper_writes_what_the_ecr_model_allows() -> None:
    records = [to_ecr(f) for f in _ecr_findings()]
    assert _validate(_response(records)) == ""
    assert all("inspectorScore" not in r and "inspectorScoreDetails" not in r for r in records)
    scored = [f.inspector_score is not None for f in _ecr_findings()]
    assert ["score" in r for r in records] == scored
    assert any(scored) and not all(scored)  # both kinds are in the sample


def test_round_trip_keeps_every_field_ecr_carries() -> None:
    findings = _ecr_findings()
    loaded = load_findings(_response([to_ecr(f) for f in findings]))
    back = list(loaded)
    assert loaded.errors == [] and loaded.skipped == []
    assert [f.finding_arn for f in back] == [f.finding_arn for f in findings]
    for original, read in zip(findings, back, strict=True):
        assert read.inspector_score == original.inspector_score
        assert _comparable(read.to_api()) == _comparable(original.to_api())


def test_not_carried_names_what_the_round_trip_loses() -> None:
    text = " ".join(ECR_NOT_CARRIED)
    for member in ("cvssSource", *_LOST[:3], "remediation", "sourceLambdaLayerArn", "purl"):
        assert member in text
    for member in ("networkReachabilityDetails", "codeVulnerabilityDetails", "epss"):
        assert member in text
