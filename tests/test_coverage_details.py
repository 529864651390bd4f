"""Coverage details of issue 16 §3, as decision tables with their boundaries.

Truths (docs/facts.md#coverage-details, each read 2026-12-04):

- Inspector reports both agentless limits (volume count, 1200 GB) as
  ``AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED`` (API_ScanStatus / the botocore model has no
  other agentless storage code);
- a volume whose KMS key carries ``InspectorEc2Exclusion`` is not decrypted by agentless scans
  (slr-permissions-agentless.html);
- network reachability is evaluated every 12 hours (scanning-ec2.html; older copies say 24);
- deep inspection collects the application inventory every 6 hours (deep-inspection.html);
- every ``ScanStatusReason`` of the service model has an explicit mapping.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest

from inspector_kit.coverage import (
    AGENTLESS_MAX_GIB,
    AGENTLESS_MAX_VOLUMES,
    LINUX_AGENT_CADENCE,
    CoverageInputError,
    CoverageStatus,
    DeepInspectionSettings,
    Ec2Instance,
    ReasonKind,
    ScanMethod,
    SsmStatus,
    Volume,
    analyze,
)
from inspector_kit.coverage._reasons import SCAN_STATUS_REASONS, UNKNOWN_REASON, reason_mapping
from inspector_kit.errors import CoverageTypeError
from inspector_kit.models import CoveredResource, ScanStatusReason

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
ACCOUNT, REGION, IID = "111122223333", "eu-west-1", "i-0123456789abcdef0"
STORAGE = "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED"
COVERED, NOT_COVERED = CoverageStatus.COVERED, CoverageStatus.NOT_COVERED
MANAGED = SsmStatus(managed=True, ping_status="Online", last_inventory_at=NOW - timedelta(hours=1))


def vols(n: int, gib: float, **kw: Any) -> tuple[Volume, ...]:
    return tuple(Volume(f"vol-{i:017x}", gib, "xfs", **kw) for i in range(n))


def inst(**changes: Any) -> Ec2Instance:
    base: dict[str, Any] = {
        "account_id": ACCOUNT,
        "region": REGION,
        "os_name": "Amazon Linux",
        "os_version": "2023",
        "root_device_type": "ebs",
        "volumes": vols(1, 30),
        "ssm": None,
        "launched_at": NOW - timedelta(days=30),
    }
    base.update(changes)
    return Ec2Instance(IID, **base)


def one(instance: Ec2Instance, mode: str = "EC2_HYBRID", **kwargs: Any) -> Any:
    report = analyze([instance], configuration=mode, now=NOW, **kwargs)
    assert not report.errors
    return report[0]


# --- 1. both agentless limits are Inspector's one code ------------------------------------------

LIMIT_ROWS = [
    # (id, volumes, GiB each, agentless_max_volumes, covered?, words in the message)
    ("7 volumes, default", 7, 10, None, True, ()),
    ("8 volumes, default (fewer than 8)", 8, 10, None, False, ("8 volumes", "at most 7")),
    ("8 volumes, max 8", 8, 10, 8, True, ()),
    ("9 volumes, max 8", 9, 10, 8, False, ("9 volumes", "at most 8")),
    ("1200 GB", 2, 600, None, True, ()),
    ("1201 GB", 1, 1201, None, False, ("1201 GB", "at most 1200 GB")),
    ("1200.5 GB", 1, 1200.5, None, False, ("1200.5 GB",)),
    ("both", 9, 200, 8, False, ("9 volumes", "1800 GB")),
]


@pytest.mark.parametrize(
    ("volumes", "gib", "limit", "covered", "words"),
    [row[1:] for row in LIMIT_ROWS],
    ids=[row[0] for row in LIMIT_ROWS],
)
def test_agentless_limits(
    volumes: int, gib: float, limit: int | None, covered: bool, words: tuple[str, ...]
) -> None:
    kwargs = {} if limit is None else {"agentless_max_volumes": limit}
    c = one(inst(volumes=vols(volumes, gib)), **kwargs)
    codes = [r.code for r in c.reasons]
    assert "AGENTLESS_TOO_MANY_VOLUMES" not in codes
    if covered:
        assert (c.status, c.expected_method) == (COVERED, ScanMethod.AGENTLESS)
        assert STORAGE not in codes
        return
    assert (c.status, c.expected_method) == (NOT_COVERED, ScanMethod.NONE)
    assert [r.code for r in c.blockers] == ["UNMANAGED_EC2_INSTANCE", STORAGE]  # one, never two
    storage = c.blockers[1]
    for word in words:
        assert word in storage.message, storage.message
    # The fix covers both limits, whichever was exceeded.
    max_volumes = AGENTLESS_MAX_VOLUMES if limit is None else limit
    assert f"at most {max_volumes} volumes" in str(storage.fix)
    assert f"{AGENTLESS_MAX_GIB} GB in all" in str(storage.fix)


def test_inspectors_storage_record_matches_the_rule_without_a_second_reason() -> None:
    record = CoveredResource.from_api(
        {
            "resourceType": "AWS_EC2_INSTANCE",
            "resourceId": IID,
            "accountId": ACCOUNT,
            "scanType": "PACKAGE",
            "scanStatus": {"statusCode": "INACTIVE", "reason": STORAGE},
        },
        region=REGION,
    )
    c = one(inst(volumes=vols(1, 1500)), coverage=[record])
    assert (c.status, c.mismatch) == (NOT_COVERED, False)
    assert [r.code for r in c.reasons].count(STORAGE) == 1


@pytest.mark.parametrize("bad", [-1, 7.0, True, "8"])
def test_agentless_max_volumes_is_checked(bad: object) -> None:
    with pytest.raises(CoverageInputError, match="agentless_max_volumes"):
        analyze([inst()], configuration="EC2_HYBRID", now=NOW, agentless_max_volumes=bad)  # type: ignore[arg-type]


# --- 2. a KMS key tagged InspectorEc2Exclusion hides its volume from agentless scans ----------


def test_kms_key_excluded_volume_is_reported_for_agentless() -> None:
    volumes = (Volume("vol-root", 30, "xfs"), Volume("vol-data", 100, "xfs", kms_key_excluded=True))
    c = one(inst(volumes=volumes))
    assert (c.status, c.method) == (COVERED, ScanMethod.AGENTLESS)
    assert c.agentless_skipped_volumes == ("vol-data",)
    warning = next(r for r in c.reasons if r.code == "AGENTLESS_VOLUME_EXCLUDED_BY_KMS_KEY")
    assert warning.kind is ReasonKind.WARNING
    assert "vol-data" in warning.message and "vol-root" not in warning.message
    assert "no volume is left" not in warning.message
    assert "InspectorEc2Exclusion" in str(warning.fix)


def test_every_volume_excluded_says_nothing_is_left() -> None:
    c = one(inst(volumes=vols(2, 30, kms_key_excluded=True)))
    assert len(c.agentless_skipped_volumes) == 2
    assert any("no volume is left" in r.message for r in c.reasons)


@pytest.mark.parametrize(
    ("flag", "mode"), [(True, "managed"), (None, "agentless"), (False, "agentless")]
)
def test_kms_exclusion_only_matters_to_agentless_and_unknown_keeps_the_default(
    flag: bool | None, mode: str
) -> None:
    ssm = MANAGED if mode == "managed" else None
    c = one(inst(ssm=ssm, volumes=vols(1, 30, kms_key_excluded=flag)))
    plain = one(inst(ssm=ssm, volumes=vols(1, 30)))
    assert c.agentless_skipped_volumes == ()
    assert [r.code for r in c.reasons] == [r.code for r in plain.reasons]
    assert c.status is plain.status is COVERED


def test_kms_key_excluded_must_be_a_bool_or_none() -> None:
    with pytest.raises(CoverageTypeError, match="kms_key_excluded"):
        Volume("vol-1", 30, kms_key_excluded="yes")  # type: ignore[arg-type]


# --- 3. network reachability every 12 hours (configurable) -------------------------------------


def test_network_reachability_every_12_hours_on_every_method() -> None:
    windows = {
        "platform": "windows",
        "os_name": "Microsoft Windows Server 2022 Datacenter",
        "os_version": "10.0.20348",
        "ssm": MANAGED,
    }
    for changes in ({}, {"ssm": MANAGED}, windows):
        c = one(inst(**changes))
        assert c.cadence is not None
        assert c.cadence.network_reachability_interval == timedelta(hours=12)


def test_network_reachability_interval_is_configurable() -> None:
    c = one(inst(), network_reachability_interval=timedelta(hours=24))
    assert c.cadence.network_reachability_interval == timedelta(hours=24)
    assert c.cadence.interval == timedelta(hours=24)  # the agentless package cadence is kept
    with pytest.raises(CoverageInputError, match="network_reachability_interval"):
        analyze(
            [inst()],
            configuration="EC2_HYBRID",
            now=NOW,
            network_reachability_interval=timedelta(0),
        )


# --- 4. every ScanStatusReason is mapped ----------------------------------------------------------

STATUS_OF = {  # independent expectation, from the API reference's descriptions
    "EXCLUDED_BY_TAG": CoverageStatus.EXCLUDED,
    "EC2_INSTANCE_STOPPED": CoverageStatus.STOPPED,
    "RESOURCE_STOPPED": CoverageStatus.STOPPED,
    "RESOURCE_TERMINATED": CoverageStatus.STOPPED,
    "UNSUPPORTED_OS": CoverageStatus.UNSUPPORTED,
}
PENDING_REASONS = {"PENDING_INITIAL_SCAN", "SCAN_IN_PROGRESS", "PENDING_REVIVAL_SCAN"}


def _botocore_reasons() -> list[str]:
    model = botocore.session.get_session().get_service_model("inspector2")
    return list(model.shape_for("ScanStatusReason").enum)


def test_the_enum_and_the_service_model_agree_and_every_value_is_mapped() -> None:
    botocore_values = _botocore_reasons()
    assert set(botocore_values) == {r.value for r in ScanStatusReason}
    assert set(SCAN_STATUS_REASONS) == set(ScanStatusReason)
    for reason, mapping in SCAN_STATUS_REASONS.items():
        assert mapping.explanation, reason
        assert reason_mapping(reason.value) is mapping


def _record(code: str, reason: str) -> CoveredResource:
    return CoveredResource.from_api(
        {
            "resourceType": "AWS_EC2_INSTANCE",
            "resourceId": IID,
            "accountId": ACCOUNT,
            "scanType": "PACKAGE",
            "scanMode": "EC2_SSM_AGENT_BASED",
            "scanStatus": {"statusCode": code, "reason": reason},
        },
        region=REGION,
    )


@pytest.mark.parametrize("reason", _botocore_reasons())
def test_each_inactive_reason_gives_its_status_and_explanation(reason: str) -> None:
    pending = CoverageStatus.PENDING if reason in PENDING_REASONS else NOT_COVERED
    expected = STATUS_OF.get(reason, pending)  # INACTIVE + SUCCESSFUL: NOT_COVERED
    c = one(inst(ssm=MANAGED), coverage=[_record("INACTIVE", reason)])
    assert c.status is expected
    assert c.billed is False
    shown = [r for r in c.reasons if r.code == reason]
    assert len(shown) == 1
    assert reason_mapping(reason).explanation in shown[0].message
    if c.status is NOT_COVERED:  # nothing else explains it: Inspector's reason blocks, with a fix
        assert (shown[0].kind, bool(shown[0].fix)) == (ReasonKind.BLOCKER, True)


@pytest.mark.parametrize("reason", _botocore_reasons())
def test_each_active_reason_is_covered_or_pending(reason: str) -> None:
    c = one(inst(ssm=MANAGED), coverage=[_record("ACTIVE", reason)])
    assert c.status is (CoverageStatus.PENDING if reason in PENDING_REASONS else COVERED)
    warned = [r for r in c.reasons if r.code == reason]
    assert len(warned) == (0 if reason == "SUCCESSFUL" or reason in PENDING_REASONS else 1)


def test_resource_stopped_is_stopped_and_not_billed() -> None:
    c = one(inst(ssm=MANAGED), coverage=[_record("INACTIVE", "RESOURCE_STOPPED")])
    assert (c.status, c.billed, c.mismatch) == (CoverageStatus.STOPPED, False, True)
    assert (
        c
        not in analyze(
            [inst(ssm=MANAGED)],
            configuration="EC2_HYBRID",
            now=NOW,
            coverage=[_record("INACTIVE", "RESOURCE_STOPPED")],
        ).in_scope
    )


def test_an_unknown_reason_does_not_fall_through_silently() -> None:
    assert reason_mapping("A_REASON_FROM_2027") is UNKNOWN_REASON
    c = one(inst(ssm=MANAGED), coverage=[_record("INACTIVE", "A_REASON_FROM_2027")])
    assert c.status is NOT_COVERED
    reason = next(r for r in c.reasons if r.code == "A_REASON_FROM_2027")
    assert reason.kind is ReasonKind.BLOCKER and reason.fix


# --- 5. deep inspection's 6-hour application inventory ------------------------------------------


def test_deep_inspection_lag_is_in_the_cadence() -> None:
    on = one(inst(ssm=MANAGED), deep_inspection=DeepInspectionSettings(activated=True))
    assert on.deep_inspection
    assert on.cadence.application_inventory_interval == timedelta(hours=6)
    assert "every 6 hours" in on.cadence.description
    assert "every 6 hours" in on.to_record()["cadence"]
    off = one(inst(ssm=MANAGED), deep_inspection=DeepInspectionSettings(activated=False))
    assert off.cadence is LINUX_AGENT_CADENCE
    assert off.cadence.application_inventory_interval is None
    agentless = one(inst())
    assert agentless.cadence.application_inventory_interval is None
