"""The EventBridge events shipped in the package, and the finding event builder (issue 18, 11).

Truths: AWS's published examples (inspector_kit/sample/events/SOURCES.md), i.e. the envelope
members of each example file, compared with what the builder makes of the same finding.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from inspector_kit import Finding, load_findings
from inspector_kit.errors import InputError, InvalidArgumentError
from inspector_kit.sample import (
    finding_event,
    sample_event,
    sample_event_names,
    sample_events_path,
    sample_findings,
)
from inspector_kit.testing import finding_payload

FIXTURES = Path(__file__).parent / "fixtures"
FINDING_EVENTS = [n for n in sample_event_names() if n.startswith("inspector2_finding_")]
EB_2024 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{3} UTC \d{4}$"
)
ENVELOPE = ("version", "detail-type", "source", "account", "time", "region", "resources")


def test_the_package_ships_every_kind_of_event() -> None:
    names = set(sample_event_names())
    assert {
        "inspector2_finding_ec2_package",
        "inspector2_finding_ecr_package",
        "inspector2_finding_lambda_package",
        "inspector2_finding_lambda_code",
        "inspector2_finding_network_reachability",
        "inspector2_scan",
        "inspector2_coverage",
        "ondemand_scan_complete_successful",
        "ondemand_scan_complete_failed",
        "ondemand_ami_scan_findings",
        "security_hub_findings_imported",
    } <= names
    assert list(sample_event_names()) == sorted(names)
    detail_types = {sample_event(n)["detail-type"] for n in names}
    assert {"Inspector2 Finding", "Inspector2 Scan", "Inspector2 Coverage"} <= detail_types
    assert {"OnDemand AMI Scan Findings", "Security Hub Findings - Imported"} <= detail_types


def test_every_event_names_its_published_source() -> None:
    sources = (sample_events_path() / "SOURCES.md").read_text()
    assert "read 2026-12-04" in sources.lower()
    for name in sample_event_names():
        row = next(line for line in sources.splitlines() if line.startswith(f"| `{name}.json`"))
        assert "https://docs.aws.amazon.com/" in row, name
    listed = set(re.findall(r"^\| `([a-z0-9_]+)\.json`", sources, re.M))
    assert listed == set(sample_event_names())


@pytest.mark.parametrize("name", [*FINDING_EVENTS, "inspector2_scan", "inspector2_coverage"])
def test_inspector2_events_are_the_reviewed_fixtures(name: str) -> None:
    fixture = {
        "inspector2_scan": "eventbridge_scan_event",
        "inspector2_coverage": "eventbridge_coverage_event",
    }.get(name, name.replace("inspector2_finding_", "eventbridge_"))
    shipped = (sample_events_path() / f"{name}.json").read_bytes()
    assert shipped == (FIXTURES / "aws_examples" / f"{fixture}.json").read_bytes()


@pytest.mark.parametrize(
    ("name", "count"),
    [
        *[(n, 1) for n in FINDING_EVENTS],
        ("security_hub_findings_imported", 1),
        ("ondemand_ami_scan_findings", 1),
    ],
)
def test_finding_events_load(name: str, count: int) -> None:
    loaded = load_findings(sample_event(name))
    assert len(list(loaded)) == count and not loaded.errors


def test_security_hub_event_is_the_inspector_finding_it_wraps() -> None:
    event = sample_event("security_hub_findings_imported")
    (record,) = event["detail"]["findings"]
    (finding,) = list(load_findings(event))
    assert finding.finding_arn == record["Id"]
    assert event["resources"] == [f"{record['ProductArn']}/{record['Id']}"]
    ec2 = next(iter(load_findings(sample_event("inspector2_finding_ec2_package"))))
    assert finding.vulnerability_id == ec2.vulnerability_id


def test_sample_event_is_a_fresh_copy_each_time() -> None:
    first = sample_event("inspector2_scan")
    first["detail"] = "changed"
    assert sample_event("inspector2_scan")["detail"] != "changed"


def test_unknown_event_name_lists_the_names() -> None:
    with pytest.raises(InvalidArgumentError, match="inspector2_finding_ec2_package") as info:
        sample_event("nope")
    assert isinstance(info.value, (InputError, ValueError))


# -- finding_event ------------------------------------------------------------------------


@pytest.mark.parametrize("name", FINDING_EVENTS)
def test_finding_event_rebuilds_awss_envelope(name: str) -> None:
    published = sample_event(name)
    (finding,) = list(load_findings(published))
    built = finding_event(finding)
    assert {k: built[k] for k in ENVELOPE} == {k: published[k] for k in ENVELOPE}
    assert list(load_findings(built)) == [finding]
    for member in ("firstObservedAt", "lastObservedAt", "updatedAt"):
        if member in built["detail"]:
            assert EB_2024.match(built["detail"][member]), built["detail"][member]


def test_finding_event_for_every_sample_finding_round_trips() -> None:
    findings = list(sample_findings())
    events = [finding_event(f) for f in findings]
    assert list(load_findings(events)) == findings
    assert len({e["id"] for e in events}) == len(events)
    assert {e["region"] for e in events} == {f.region for f in findings}


def test_members_replace_detail_members_and_the_id_is_stable() -> None:
    finding = Finding.from_api(finding_payload(severity="HIGH"))
    event = finding_event(finding, status="SUPPRESSED", severity="LOW")
    (loaded,) = list(load_findings(event))
    assert (loaded.status.value, loaded.severity.value) == ("SUPPRESSED", "LOW")
    assert finding_event(finding)["id"] == finding_event(finding)["id"]
    at = datetime(2026, 12, 1, 9, 30, 15, 250000, tzinfo=timezone.utc)
    custom = finding_event(finding, event_id="e-1", time=at)
    assert (custom["id"], custom["time"]) == ("e-1", "2026-12-01T09:30:15Z")
    assert custom["id"] != finding_event(finding)["id"]


def test_a_payload_dict_is_used_as_given() -> None:
    payload = finding_payload(updatedAt="2026-11-21T10:00:00Z")
    event = finding_event(payload)
    assert event["detail"]["updatedAt"] == "2026-11-21T10:00:00Z"
    assert event["time"] == "2026-11-21T10:00:00Z"
    assert payload == finding_payload(updatedAt="2026-11-21T10:00:00Z")  # not changed


def test_finding_event_errors() -> None:
    with pytest.raises(InvalidArgumentError, match="names no region"):
        finding_event(finding_payload(findingArn="not-an-arn"))
    no_time = finding_payload()
    for member in ("firstObservedAt", "lastObservedAt"):
        no_time.pop(member)
    with pytest.raises(InvalidArgumentError, match="pass time="):
        finding_event(no_time)
    with pytest.raises(InvalidArgumentError, match="timezone-aware"):
        finding_event(finding_payload(), time=datetime(2026, 1, 1))
