"""``Inspector.free_trial_info``: BatchGetFreeTrialInfo in batches, failed accounts kept.

Unit level with botocore's Stubber (requests and responses validated against the model),
and against the loopback Inspector (real HTTP; the loopback rejects more than the model's
100 account ids per request, so batching is proven, not assumed).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from inspector_kit import Inspector, PartialResultError, _limits
from inspector_kit.fetch import FreeTrials
from inspector_kit.models import FreeTrialInfoErrorCode, FreeTrialStatus, FreeTrialType
from inspector_kit.pricing import Price, PriceTable, Usage, UsageItem, estimate, free_trial_days
from inspector_kit.testing import Faults, LoopbackDataset, LoopbackInspector, finding_payload

UTC = timezone.utc
ACCOUNT = "111122223333"


def _ids(n: int, first: int = 100000000000) -> list[str]:
    return [str(first + i) for i in range(n)]


def test_the_batch_limit_is_the_models() -> None:
    model = botocore.session.get_session().get_service_model("inspector2")
    member = model.operation_model("BatchGetFreeTrialInfo").input_shape.members["accountIds"]
    assert member.metadata["max"] == _limits.FREE_TRIAL_BATCH == 100
    assert member.metadata["min"] == 1


def test_stubbed_batches_of_100_and_failed_accounts_are_reported() -> None:
    inspector = Inspector(regions=["us-east-1"])
    ids = _ids(150)
    trial = {
        "type": "EC2",
        "status": "ACTIVE",
        "start": datetime(2026, 12, 1, tzinfo=UTC),
        "end": datetime(2026, 12, 16, tzinfo=UTC),
    }
    client = inspector.client("us-east-1")
    with Stubber(client) as stub:
        # The exact expected params prove the split: 100 ids, then the other 50.
        stub.add_response(
            "batch_get_free_trial_info",
            {
                "accounts": [{"accountId": a, "freeTrialInfo": [trial]} for a in ids[:99]],
                "failedAccounts": [
                    {"accountId": ids[99], "code": "ACCESS_DENIED", "message": "not a member"}
                ],
            },
            {"accountIds": ids[:100]},
        )
        stub.add_response(
            "batch_get_free_trial_info",
            {
                "accounts": [{"accountId": a, "freeTrialInfo": []} for a in ids[100:149]],
                "failedAccounts": [
                    {"accountId": ids[100], "code": "INTERNAL_ERROR", "message": "try again"}
                ],
            },
            {"accountIds": ids[100:]},
        )
        trials = inspector.free_trial_info(ids + ids[:3])  # duplicates asked once
        stub.assert_no_pending_responses()
    assert isinstance(trials, FreeTrials)
    assert len(trials.accounts) == 99 + 49
    assert [(f.account_id, f.code, f.message, f.region) for f in trials.failed] == [
        (ids[99], FreeTrialInfoErrorCode.ACCESS_DENIED, "not a member", "us-east-1"),
        (ids[100], FreeTrialInfoErrorCode.INTERNAL_ERROR, "try again", "us-east-1"),
    ]
    # The last id is in neither list: reported, not lost.
    assert trials.unreported == ((ids[149], "us-east-1"),)
    got = trials.get(ids[0], "us-east-1", "EC2")
    assert got is not None and got.end == datetime(2026, 12, 16, tzinfo=UTC)
    assert got.status is FreeTrialStatus.ACTIVE
    assert trials.ok


def test_no_account_ids_make_no_call() -> None:
    inspector = Inspector(regions=["us-east-1"])
    with Stubber(inspector.client("us-east-1")) as stub:
        trials = inspector.free_trial_info([])
        stub.assert_no_pending_responses()
    assert trials.accounts == () and trials.failed == () and trials.errors == {}


def _dataset(extra_accounts: int = 0) -> LoopbackDataset:
    findings = [
        finding_payload(findingArn=f"arn:aws:inspector2:us-east-1:{ACCOUNT}:finding/{1:032x}"),
        finding_payload(findingArn=f"arn:aws:inspector2:eu-west-1:{ACCOUNT}:finding/{2:032x}"),
    ]
    trials: dict[tuple[str, str], list[dict[str, Any]]] = {
        (ACCOUNT, "us-east-1"): [
            {
                "type": "MACHINE_IMAGE",
                "status": "ACTIVE",
                "start": "2026-12-01T00:00:00Z",
                "end": "2026-12-16T00:00:00Z",
            },
            {
                "type": "VM",
                "cloudProvider": "AZURE",
                "status": "INACTIVE",
                "start": "2026-10-01T00:00:00Z",
                "end": "2026-10-16T00:00:00Z",
            },
        ]
    }
    trials.update({(a, "us-east-1"): [] for a in _ids(extra_accounts)})
    return LoopbackDataset.from_findings(findings, free_trials=trials)


def test_loopback_reads_real_dates_and_reports_unknown_accounts() -> None:
    with LoopbackInspector(_dataset()) as server:
        inspector = Inspector(regions=["us-east-1", "eu-west-1"], endpoint_url=server.endpoint_url)
        trials = inspector.free_trial_info([ACCOUNT, "999999999999"])
    ami = trials.get(ACCOUNT, "us-east-1", FreeTrialType.MACHINE_IMAGE)
    assert ami is not None
    assert (ami.start, ami.end) == (
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2026, 12, 16, tzinfo=UTC),
    )
    azure = trials.get(ACCOUNT, "us-east-1", "VM", cloud_provider="AZURE")
    assert azure is not None and azure.status is FreeTrialStatus.INACTIVE
    assert trials.get(ACCOUNT, "us-east-1", "VM", cloud_provider="GCP") is None
    # eu-west-1 has no trials recorded for the account: an empty list, not a failure.
    assert [(a.region, a.free_trial_info) for a in trials if a.region == "eu-west-1"] == [
        ("eu-west-1", ())
    ]
    assert sorted((f.region, f.account_id, f.code) for f in trials.failed) == [
        ("eu-west-1", "999999999999", "ACCESS_DENIED"),
        ("us-east-1", "999999999999", "ACCESS_DENIED"),
    ]
    rows = trials.to_records()
    assert {tuple(r) for r in rows} == {FreeTrials.columns}
    assert len(rows) == 2


def test_loopback_batches_250_accounts_into_three_requests() -> None:
    with LoopbackInspector(_dataset(extra_accounts=249)) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        trials = inspector.free_trial_info([ACCOUNT, *_ids(249)])
        sizes = [
            len(r.body["accountIds"])
            for r in server.requests
            if r.operation == "BatchGetFreeTrialInfo"
        ]
    assert sizes == [100, 100, 50]
    assert len(trials.accounts) == 250 and trials.failed == () and trials.unreported == ()


def test_a_denied_region_is_an_error_and_the_other_regions_stand() -> None:
    faults = Faults(deny_regions={"eu-west-1"})
    with LoopbackInspector(_dataset(), faults=faults) as server:
        inspector = Inspector(regions=["us-east-1", "eu-west-1"], endpoint_url=server.endpoint_url)
        trials = inspector.free_trial_info([ACCOUNT])
    assert set(trials.errors) == {"eu-west-1"}
    assert [a.region for a in trials.accounts] == ["us-east-1"]
    assert trials.unreported == ()  # a failed region is in errors, not "unreported"
    with pytest.raises(PartialResultError, match="eu-west-1"):
        trials.raise_for_errors()


def test_real_dates_from_the_loopback_change_what_is_billed() -> None:
    with LoopbackInspector(_dataset()) as server:
        inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
        trials = inspector.free_trial_info([ACCOUNT])
    # The account's AMI trial runs 2026-12-01 to 2026-12-16: 15 of the 30 days are free.
    days = free_trial_days(
        trials, account_id=ACCOUNT, region="us-east-1", period_start=date(2026, 12, 1)
    )
    ami = {UsageItem.EC2_AMI, UsageItem.EC2_AMI_ONE_SHOT_SCAN}
    assert {k: v for k, v in days.items() if v} == dict.fromkeys(ami, Decimal(15))
    scan_price = Decimal("0.04")  # a made-up one-shot AMI scan price
    prices = PriceTable(
        {"us-east-1": {UsageItem.EC2_AMI_ONE_SHOT_SCAN: Price(scan_price, source="test")}}
    )
    usage = Usage(ami_one_shot_scans=30)
    no_trial = estimate(usage, region="us-east-1", prices=prices).total
    with_trial = estimate(usage, region="us-east-1", prices=prices, free_trial_days=days).total
    assert no_trial == 30 * scan_price and with_trial == 15 * scan_price
