"""``load_findings`` on the EventBridge events of on-demand machine image scans.

The fixtures are AWS's published examples (tests/fixtures/eventbridge/SOURCES.md); the
expected values are read from the fixture JSON itself, not from the loader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import load_findings
from inspector_kit.errors import FindingParseError
from inspector_kit.models import (
    ON_DEMAND_COMPLETE_EVENT,
    ON_DEMAND_FINDINGS_EVENT,
    ON_DEMAND_FINDINGS_SOURCE,
    OnDemandScanCompletion,
    OnDemandScanStatus,
    OnDemandScanStatusReason,
    on_demand_scan_id,
)
from inspector_kit.sample import sample_events_path

HERE = Path(__file__).parent / "fixtures" / "eventbridge"
EVENTS = sample_events_path()  # the examples ship in the package (issue 18)
FINDINGS = EVENTS / "ondemand_ami_scan_findings.json"
SUCCESSFUL = EVENTS / "ondemand_scan_complete_successful.json"
FAILED = EVENTS / "ondemand_scan_complete_failed.json"


def _json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_every_fixture_names_its_source() -> None:
    sources = (HERE / "SOURCES.md").read_text()
    for path in EVENTS.glob("ondemand_*.json"):
        assert f"`{path.name}`" in sources, path.name
    assert (
        "https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html" in sources
    )


def test_the_fixtures_are_the_events_the_constants_name() -> None:
    findings = _json(FINDINGS)
    assert findings["source"] == ON_DEMAND_FINDINGS_SOURCE
    assert findings["detail-type"] == ON_DEMAND_FINDINGS_EVENT
    assert {_json(p)["detail-type"] for p in (SUCCESSFUL, FAILED)} == {ON_DEMAND_COMPLETE_EVENT}


def test_an_on_demand_findings_event_is_a_finding_with_its_scan_id() -> None:
    raw = _json(FINDINGS)["detail"]
    loaded = load_findings(FINDINGS)
    findings = list(loaded)
    assert loaded.errors == [] and loaded.skipped == []
    (finding,) = findings
    assert finding.finding_arn == raw["findingArn"]
    assert on_demand_scan_id(finding) == raw["scanId"] == "9f1c4b8d2e6a4f0b7c3d5e1a8b2f6c4d"
    assert finding.resources[0].id == raw["resources"][0]["id"]
    assert finding.resources[0].type == "MACHINE_IMAGE"
    assert finding.severity == raw["severity"]
    details = finding.package_vulnerability_details
    assert details is not None and details.vulnerability_id == "CVE-2022-3171"
    # lossless: the API shape comes back with the scanId the Finding shape lacks
    assert finding.to_api()["scanId"] == raw["scanId"]


def test_a_continuous_scan_finding_has_no_scan_id() -> None:
    detail = dict(_json(FINDINGS)["detail"])
    del detail["scanId"]
    (finding,) = load_findings({"detail-type": "Inspector2 Finding", "detail": detail})
    assert on_demand_scan_id(finding) is None


@pytest.mark.parametrize("path", [SUCCESSFUL, FAILED])
def test_a_completion_event_is_recognised_not_an_unknown_event(path: Path) -> None:
    event = _json(path)
    detail = event["detail"]
    loaded = load_findings(path)
    assert list(loaded) == [] and loaded.errors == []
    (skipped,) = loaded.skipped
    assert "holds no finding" in skipped.reason
    assert detail["scanId"] in skipped.reason and detail["scanStatus"] in skipped.reason
    (done,) = loaded.scan_completions
    assert done.scan_id == detail["scanId"]
    assert done.resource_id == detail["resourceId"] == "ami-0abcdef1234567890"
    assert done.resource_type == detail["resourceType"]
    assert done.account_id == detail["awsAccountId"]
    assert done.region == event["region"]
    assert done.scan_status == detail["scanStatus"]
    assert (
        done.started_at is not None and done.started_at.isoformat() == "2026-06-12T00:00:00+00:00"
    )
    assert (
        done.completed_at is not None
        and done.completed_at.isoformat() == "2026-06-12T01:30:00+00:00"
    )
    assert done.detail == detail


def test_the_successful_event_carries_the_severity_counts() -> None:
    (done,) = _completions(SUCCESSFUL)
    assert done.scan_status is OnDemandScanStatus.SUCCESSFUL and not done.failed
    assert done.finding_severity_counts == _json(SUCCESSFUL)["detail"]["findingSeverityCounts"]
    assert (
        done.total_findings
        == 8
        == sum(v for k, v in done.finding_severity_counts.items() if k != "TOTAL")
    )
    assert done.scan_status_reason is None


def test_the_failed_event_carries_the_reason() -> None:
    (done,) = _completions(FAILED)
    assert done.failed and done.scan_status_reason is OnDemandScanStatusReason.UNSUPPORTED_OS
    assert done.finding_severity_counts == {} and done.total_findings is None
    assert "UNSUPPORTED_OS" in load_and_skip(FAILED)


def _completions(path: Path) -> list[OnDemandScanCompletion]:
    loaded = load_findings(path)
    list(loaded)
    return loaded.scan_completions


def load_and_skip(path: Path) -> str:
    loaded = load_findings(path)
    list(loaded)
    return loaded.skipped[0].reason


def test_a_stream_of_mixed_events_keeps_order_and_counts() -> None:
    lines = [
        json.dumps(_json(FINDINGS)),
        json.dumps({"detail-type": "Inspector2 Scan", "detail": {}}),
        json.dumps(_json(SUCCESSFUL)),
        json.dumps(_json(FINDINGS)),
        json.dumps(_json(FAILED)),
    ]
    loaded = load_findings("\n".join(lines) + "\n")
    findings = list(loaded)
    assert len(findings) == 2 and loaded.count == 2
    assert [s.index for s in loaded.skipped] == [1, 2, 4]
    assert [s.line for s in loaded.skipped] == [2, 3, 5]
    assert loaded.skipped[0].reason == "EventBridge event 'Inspector2 Scan' holds no finding"
    assert [c.scan_status for c in loaded.scan_completions] == ["SUCCESSFUL", "FAILED"]


def test_a_completion_event_without_a_scan_id_is_a_bad_record() -> None:
    event = _json(SUCCESSFUL)
    del event["detail"]["scanId"]
    loaded = load_findings(json.dumps(event))
    assert list(loaded) == [] and loaded.scan_completions == [] and loaded.skipped == []
    (issue,) = loaded.errors
    assert isinstance(issue.error, FindingParseError)
    assert "detail.scanId" in str(issue.error)
    with pytest.raises(FindingParseError):
        list(load_findings(json.dumps(event), strict=True))


def test_a_completion_event_with_a_bad_member_is_a_bad_record() -> None:
    event = _json(FAILED)
    event["detail"]["completedAt"] = "not a time"
    loaded = load_findings(event)
    assert list(loaded) == []
    (issue,) = loaded.errors
    assert "detail.completedAt" in str(issue.error)


def test_an_unknown_status_in_a_completion_event_is_kept() -> None:
    event = _json(FAILED)
    event["detail"]["scanStatusReason"] = "SOMETHING_NEW"
    done = OnDemandScanCompletion.from_event(event)
    assert done.scan_status_reason == "SOMETHING_NEW" and done.failed


def test_a_completion_read_from_its_detail_alone() -> None:
    detail = _json(SUCCESSFUL)["detail"]
    done = OnDemandScanCompletion.from_event(detail)
    assert done.scan_id == detail["scanId"] and done.region is None
    assert done.account_id == detail["awsAccountId"]
