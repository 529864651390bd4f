"""On-demand machine image scans: the facade against the loopback and Stubber, the waiter.

Truths: the botocore 1.44.8 service model (shapes, paginators, limits), the user guide's
documented behaviour (one scan of an image at a time, owner only; docs/facts.md#ami), and the
loopback's documented determinism (``POLLS_TO_FINISH``).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from inspector_kit import AccessDeniedError, FetchError, Inspector, _limits
from inspector_kit.errors import (
    FetchOptionError,
    OnDemandScanFailedError,
    OnDemandScanTimeoutError,
    PartialResultError,
)
from inspector_kit.fetch import OnDemandScanFailedError as FetchFailed
from inspector_kit.models import (
    AmiScanMode,
    OnDemandScan,
    OnDemandScanStatus,
    OnDemandScanStatusReason,
)
from inspector_kit.testing import Faults, LoopbackDataset, LoopbackInspector
from inspector_kit.testing._scans import POLLS_TO_FINISH

MODEL = botocore.session.get_session().get_service_model("inspector2")
AMI = "ami-0abcdef1234567890"
OWNER = "111122223333"


def _paginators() -> dict[str, Any]:
    import botocore

    path = Path(botocore.__file__).parent / "data" / "inspector2"
    (version,) = [p for p in path.iterdir() if p.is_dir()]
    data: dict[str, Any] = json.loads((version / "paginators-1.json").read_text())
    return data["pagination"]


# ---------------------------------------------------------------------- the service model


def test_list_on_demand_scans_paginator_and_limits_match_the_model() -> None:
    paginator = _paginators()["ListOnDemandScans"]
    assert paginator == {
        "input_token": "nextToken",
        "output_token": "nextToken",
        "limit_key": "maxResults",
        "result_key": "items",
    }
    request = MODEL.operation_model("ListOnDemandScans").input_shape
    assert request.members["maxResults"].metadata["max"] == _limits.ON_DEMAND_SCANS_PAGE
    scan_id = MODEL.shape_for("ScanId").metadata
    assert (scan_id["min"], scan_id["max"]) == _limits.ON_DEMAND_SCAN_ID_LENGTH


def test_get_status_response_has_exactly_the_members_of_on_demand_scan() -> None:
    # GetOnDemandScanStatus is decoded with OnDemandScan: the two shapes must not drift.
    response = MODEL.operation_model("GetOnDemandScanStatus").output_shape
    item = MODEL.shape_for("OnDemandScan")
    assert dict(response.members).keys() == dict(item.members).keys()
    assert set(response.required_members) == set(item.required_members)
    assert {spec.api for spec in OnDemandScan.__api_fields__} == set(item.members)


def test_the_model_resource_id_pattern_admits_no_ami_id() -> None:
    # The defect the loopback works around (docs/facts.md#ami): if botocore ever fixes the
    # pattern, the workaround in testing/_backend.py can go.
    import re

    pattern = MODEL.shape_for("ResourceId").metadata["pattern"]
    assert re.fullmatch(pattern, AMI) is None
    assert MODEL.shape_for("OnDemandResourceType").enum == ["AMI"]


# ---------------------------------------------------------------------- against the loopback


def _dataset(**kw: Any) -> LoopbackDataset:
    return LoopbackDataset.sample().with_on_demand(
        amis={(OWNER, "us-east-1"): [AMI, "ami-11112222"], (OWNER, "eu-west-1"): [AMI]}, **kw
    )


def test_a_scan_runs_in_progress_then_successful_over_polls() -> None:
    with LoopbackInspector(_dataset()) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        scan_id = inspector.start_on_demand_scan(AMI)
        statuses = [
            inspector.on_demand_scan_status(scan_id, AMI) for _ in range(POLLS_TO_FINISH + 2)
        ]
    assert [s.scan_status for s in statuses] == [OnDemandScanStatus.IN_PROGRESS] * (
        POLLS_TO_FINISH
    ) + [OnDemandScanStatus.SUCCESSFUL] * 2
    assert statuses[0].completed_at is None and statuses[-1].completed_at is not None
    assert all(s.scan_id == scan_id and s.resource_id == AMI for s in statuses)
    assert {s.region for s in statuses} == {"us-east-1"}
    assert statuses[-1].completed_at >= statuses[-1].started_at


def test_the_waiter_returns_the_final_scan_and_reports_each_poll() -> None:
    seen: list[OnDemandScan] = []
    sleeps: list[float] = []
    with LoopbackInspector(_dataset()) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        scan_id = inspector.start_on_demand_scan(AMI)
        done = inspector.wait_for_on_demand_scan(
            scan_id,
            AMI,
            poll_interval=1,
            max_poll_interval=30,
            sleep=sleeps.append,
            on_poll=seen.append,
        )
    assert done.scan_status is OnDemandScanStatus.SUCCESSFUL
    assert len(seen) == POLLS_TO_FINISH + 1
    assert sleeps == [1.0, 2.0][:POLLS_TO_FINISH]


def test_a_failed_scan_raises_with_its_reason_or_is_returned() -> None:
    with LoopbackInspector(_dataset(failures={AMI: "UNSUPPORTED_OS"})) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        first = inspector.start_on_demand_scan(AMI)
        with pytest.raises(OnDemandScanFailedError) as caught:
            inspector.wait_for_on_demand_scan(first, AMI, sleep=lambda s: None)
        second = inspector.start_on_demand_scan(AMI)
        returned = inspector.wait_for_on_demand_scan(
            second, AMI, sleep=lambda s: None, raise_on_failure=False
        )
        other = inspector.start_on_demand_scan("ami-11112222")
        fine = inspector.wait_for_on_demand_scan(other, "ami-11112222", sleep=lambda s: None)
    err = caught.value
    assert isinstance(err, FetchError) and FetchFailed is OnDemandScanFailedError
    assert (err.scan_id, err.resource_id, err.reason, err.code) == (
        first,
        AMI,
        "UNSUPPORTED_OS",
        "UNSUPPORTED_OS",
    )
    assert err.region == "us-east-1" and "UNSUPPORTED_OS" in str(err)
    assert (
        returned.failed and returned.scan_status_reason is OnDemandScanStatusReason.UNSUPPORTED_OS
    )
    assert fine.scan_status is OnDemandScanStatus.SUCCESSFUL


def test_one_scan_of_an_image_at_a_time_and_only_of_owned_images() -> None:
    with LoopbackInspector(_dataset()) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        inspector.start_on_demand_scan(AMI)
        with pytest.raises(FetchError) as conflict:
            inspector.start_on_demand_scan(AMI)
        with pytest.raises(AccessDeniedError):
            inspector.start_on_demand_scan("ami-99998888")
        # another image is not blocked
        assert inspector.start_on_demand_scan("ami-11112222")
        with pytest.raises(FetchError) as missing:
            inspector.on_demand_scan_status("0123abcd", AMI)
    assert conflict.value.code == "ConflictException"
    assert missing.value.code == "ResourceNotFoundException"


def test_a_member_key_scans_its_own_images_only() -> None:
    dataset = _dataset().with_on_demand(
        amis={(OWNER, "us-east-1"): [AMI], ("444455556666", "us-east-1"): ["ami-44445555"]}
    )
    with LoopbackInspector(dataset, accounts={"AKIDMEMBER": "444455556666"}) as server:
        member = server.client("us-east-1", aws_access_key_id="AKIDMEMBER")
        own = member.start_on_demand_scan(resourceId="ami-44445555", resourceType="AMI")
        with pytest.raises(member.exceptions.AccessDeniedException):
            member.start_on_demand_scan(resourceId=AMI, resourceType="AMI")
        # the administrator's key sees the member's scan; the member does not see others'
        admin = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        assert admin.on_demand_scan_status(own["scanId"], "ami-44445555").scan_id == own["scanId"]
        theirs = admin.start_on_demand_scan(AMI)
        listed = member.list_on_demand_scans(resourceId=AMI, resourceType="AMI")
    assert theirs and listed["items"] == []


def test_the_same_client_token_answers_the_same_scan() -> None:
    with LoopbackInspector(_dataset()) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        first = inspector.start_on_demand_scan(AMI, client_token="build-42")
        again = inspector.start_on_demand_scan(AMI, client_token="build-42")
    assert first == again


def _finish(inspector: Inspector, image: str, n: int, region: str = "us-east-1") -> list[str]:
    ids = []
    for _ in range(n):
        scan_id = inspector.start_on_demand_scan(image, region=region)
        inspector.wait_for_on_demand_scan(scan_id, image, region=region, sleep=lambda s: None)
        ids.append(scan_id)
    return ids


def test_list_pages_through_every_scan_newest_first_with_the_boto3_paginator() -> None:
    with LoopbackInspector(_dataset()) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        ids = _finish(inspector, AMI, 5)
        _finish(inspector, "ami-11112222", 1)
        paginator = inspector.client().get_paginator("list_on_demand_scans")
        pages = list(
            paginator.paginate(resourceId=AMI, resourceType="AMI", PaginationConfig={"PageSize": 2})
        )
        via_facade = [s.scan_id for s in inspector.on_demand_scans(AMI)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert [i["scanId"] for p in pages for i in p["items"]] == ids[::-1]
    assert via_facade == ids[::-1]


def test_list_fans_out_over_regions_and_survives_pagination_faults() -> None:
    faults = Faults(empty_pages=2, duplicate_overlap=1, operations={"ListOnDemandScans"})
    with LoopbackInspector(_dataset(), faults=faults) as server:
        inspector = Inspector(regions=["us-east-1", "eu-west-1"], endpoint_url=server.endpoint_url)
        east = _finish(inspector, AMI, 2, "us-east-1")
        west = _finish(inspector, AMI, 1, "eu-west-1")
        scans = list(inspector.on_demand_scans(AMI))
    assert sorted((s.region, s.scan_id) for s in scans) == sorted(
        [("us-east-1", i) for i in east] + [("eu-west-1", i) for i in west]
    )
    assert faults.injected.get("empty_page", 0) > 0


def test_an_unreadable_region_is_reported_not_raised_unless_strict() -> None:
    faults = Faults(deny_regions={"eu-west-1"}, operations={"ListOnDemandScans"})
    with LoopbackInspector(_dataset(), faults=faults) as server:
        inspector = Inspector(regions=["us-east-1", "eu-west-1"], endpoint_url=server.endpoint_url)
        ids = _finish(inspector, AMI, 1)
        stream = inspector.on_demand_scans(AMI)
        scans = list(stream)
        with pytest.raises((AccessDeniedError, PartialResultError)):
            list(inspector.on_demand_scans(AMI, strict=True))
    assert [s.scan_id for s in scans] == ids
    assert isinstance(stream.errors["eu-west-1"], AccessDeniedError)


def test_server_errors_are_retried() -> None:
    faults = Faults(server_error_burst=2, operations={"GetOnDemandScanStatus"})
    with LoopbackInspector(_dataset(), faults=faults) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        scan_id = inspector.start_on_demand_scan(AMI)
        scan = inspector.on_demand_scan_status(scan_id, AMI)
    assert scan.scan_id == scan_id
    assert faults.injected.get("server_error", 0) == 2


def test_scan_history_and_ami_configuration_come_from_the_dataset() -> None:
    past = OnDemandScan.from_api(
        {
            "scanId": "abc123",
            "resourceId": AMI,
            "resourceType": "AMI",
            "scanStatus": "FAILED",
            "scanStatusReason": "ACCESS_DENIED",
            "startedAt": datetime(2026, 11, 30, tzinfo=timezone.utc),
            "completedAt": datetime(2026, 11, 30, 1, tzinfo=timezone.utc),
        },
        region="us-east-1",
    )
    dataset = _dataset(
        scans=[past],
        account=OWNER,
        ami_configuration={
            "createdWithin": "DAYS_30",
            "lastLaunchedWithin": "DAYS_7",
            "status": "SUCCESS",
            "scanModeConfiguration": {
                "scanMode": "TARGET_SCANNING",
                "tags": [{"key": "InspectorScan"}],
                "excludeCopiedAmis": False,
                "excludeBackupDlmAmis": True,
            },
        },
    )
    with LoopbackInspector(dataset) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        history = list(inspector.on_demand_scans(AMI))
        status = inspector.on_demand_scan_status("abc123", AMI)
        ami = inspector.ami_configuration()
        plain = Inspector(
            regions="us-east-1",
            endpoint_url=server.endpoint_url,
        ).configuration()
    assert history == [past] and status == past
    assert ami is not None and ami.scan_mode_configuration is not None
    assert ami.scan_mode_configuration.scan_mode is AmiScanMode.TARGET_SCANNING
    assert ami.scan_mode_configuration.tags is not None
    assert ami.scan_mode_configuration.tags[0].key == "InspectorScan"
    assert plain.ami_configuration == ami


def test_the_sample_dataset_serves_its_amis_settings_and_past_scans() -> None:
    from inspector_kit.sample import sample_machine_images, sample_on_demand_scans

    ds = LoopbackDataset.sample()
    from_coverage = {
        r["resourceMetadata"]["ec2"]["amiId"]
        for r in ds.coverage_records("us-east-1")
        if (r.get("resourceMetadata") or {}).get("ec2", {}).get("amiId")
    }
    own = {m["image_id"] for m in sample_machine_images() if m["region"] == "us-east-1"}
    # The instances' AMIs and the estate's own AMIs, nothing else.
    assert set(ds.amis("us-east-1")) == from_coverage | own and own - from_coverage == own
    history = sample_on_demand_scans()
    with LoopbackInspector(ds) as server:
        inspector = Inspector(regions=ds.regions, endpoint_url=server.endpoint_url)
        # Continuous AMI scanning is on for acme-shared (the caller) in us-east-1 only.
        ami = inspector.ami_configuration("us-east-1")
        assert inspector.ami_configuration("eu-west-1") is None
        for (_, region), scans in history.items():
            for scan in scans:
                listed = list(inspector.on_demand_scans(scan["resourceId"], regions=region))
                assert [s.scan_id for s in listed] == [scan["scanId"]]
                assert str(listed[0].scan_status) == scan["scanStatus"]
    assert ami is not None and ami.scan_mode_configuration is not None
    assert ami.scan_mode_configuration.scan_mode is AmiScanMode.SCAN_ALL
    assert {str(s["scanStatus"]) for v in history.values() for s in v} == {"SUCCESSFUL", "FAILED"}


def test_bad_arguments_are_refused_before_any_call() -> None:
    inspector = Inspector(regions="us-east-1")
    with pytest.raises(FetchOptionError):
        inspector.start_on_demand_scan("")
    with pytest.raises(FetchOptionError):
        inspector.on_demand_scan_status("x" * 65, AMI)
    with pytest.raises(FetchOptionError):
        inspector.wait_for_on_demand_scan("abc", AMI, timeout=-1)


# ---------------------------------------------------------------------- Stubber


def _status(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "scanId": "abc123",
        "resourceId": AMI,
        "resourceType": "AMI",
        "scanStatus": status,
        "startedAt": datetime(2026, 12, 4, 10, tzinfo=timezone.utc),
        **extra,
    }


def test_stubbed_start_sends_the_image_as_an_ami_resource() -> None:
    inspector = Inspector(regions="eu-west-1")
    client = inspector.client("eu-west-1")
    with Stubber(client) as stub:
        stub.add_response(
            "start_on_demand_scan",
            {"scanId": "abc123"},
            {"resourceId": AMI, "resourceType": "AMI", "clientToken": "t-1"},
        )
        assert inspector.start_on_demand_scan(AMI, client_token="t-1") == "abc123"
        stub.assert_no_pending_responses()


def test_stubbed_list_pages_from_no_token_to_the_last() -> None:
    inspector = Inspector(regions="eu-west-1")
    client = inspector.client("eu-west-1")
    first = {"resourceId": AMI, "resourceType": "AMI", "maxResults": 100}
    with Stubber(client) as stub:
        stub.add_response(
            "list_on_demand_scans",
            {"items": [_status("SUCCESSFUL", scanId="b2")], "nextToken": "t1"},
            first,
        )
        stub.add_response("list_on_demand_scans", {"items": []}, {**first, "nextToken": "t1"})
        # an empty page with a token is paged past, not taken for the end
        scans = list(inspector.on_demand_scans(AMI))
        stub.assert_no_pending_responses()
    assert [s.scan_id for s in scans] == ["b2"]


class _Clock:
    """A fake monotonic clock that moves only when the fake sleep is called."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_the_waiter_times_out_at_the_deadline_without_sleeping_past_it() -> None:
    inspector = Inspector(regions="eu-west-1")
    client = inspector.client("eu-west-1")
    clock = _Clock()
    with Stubber(client) as stub:
        for _ in range(20):
            stub.add_response("get_on_demand_scan_status", _status("IN_PROGRESS"))
        with pytest.raises(OnDemandScanTimeoutError) as caught:
            inspector.wait_for_on_demand_scan(
                "abc123",
                AMI,
                timeout=20,
                poll_interval=1,
                max_poll_interval=8,
                sleep=clock.sleep,
                clock=clock,
            )
    assert clock.sleeps == [1, 2, 4, 8, 5]  # doubling, capped, the last cut to the deadline
    assert clock.now == 1020.0
    err = caught.value
    assert (err.scan_id, err.resource_id, err.region, err.code) == (
        "abc123",
        AMI,
        "eu-west-1",
        "Timeout",
    )


def test_the_waiter_polls_once_when_the_scan_is_already_over() -> None:
    inspector = Inspector(regions="eu-west-1")
    client = inspector.client("eu-west-1")
    clock = _Clock()
    with Stubber(client) as stub:
        stub.add_response(
            "get_on_demand_scan_status",
            _status("SUCCESSFUL", completedAt=datetime(2026, 12, 4, 11, tzinfo=timezone.utc)),
            {"scanId": "abc123", "resourceId": AMI, "resourceType": "AMI"},
        )
        done = inspector.wait_for_on_demand_scan(
            "abc123", AMI, timeout=0, sleep=clock.sleep, clock=clock
        )
    assert done.scan_status is OnDemandScanStatus.SUCCESSFUL and clock.sleeps == []


def test_an_unknown_status_is_kept_and_waited_on_not_taken_as_final() -> None:
    inspector = Inspector(regions="eu-west-1")
    client = inspector.client("eu-west-1")
    clock = _Clock()
    # Stubber validates responses against the model's enum, so feed the unknown value
    # through the model instead.
    scan = OnDemandScan.from_api({**_status("IN_PROGRESS"), "scanStatus": "QUEUED"})
    assert scan.scan_status == "QUEUED" and not scan.is_final and not scan.failed
    with Stubber(client) as stub:
        stub.add_response("get_on_demand_scan_status", _status("IN_PROGRESS"))
        stub.add_response(
            "get_on_demand_scan_status", _status("FAILED", scanStatusReason="INTERNAL_ERROR")
        )
        with pytest.raises(OnDemandScanFailedError) as caught:
            inspector.wait_for_on_demand_scan("abc123", AMI, sleep=clock.sleep, clock=clock)
    assert caught.value.reason == "INTERNAL_ERROR" and clock.sleeps == [5.0]


def test_a_service_error_while_waiting_is_raised_as_is() -> None:
    inspector = Inspector(regions="eu-west-1")
    client = inspector.client("eu-west-1")
    with Stubber(client) as stub:
        stub.add_client_error("get_on_demand_scan_status", "ResourceNotFoundException", "gone", 404)
        with pytest.raises(FetchError) as caught:
            inspector.wait_for_on_demand_scan("abc123", AMI, sleep=lambda s: None)
    assert caught.value.code == "ResourceNotFoundException"
    assert not isinstance(caught.value, (OnDemandScanFailedError, OnDemandScanTimeoutError))
