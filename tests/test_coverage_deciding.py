"""The coverage "first blocker" is the reason that decides the status (issue 18, item 9).

Each expectation is written from the rules of docs/facts.md#deep-inspection: the agent is
tried first, then (in hybrid mode) agentless scanning; an instance Inspector reports INACTIVE
gets its status from that record; an account without EC2 scanning scans nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from inspector_kit.coverage import CoverageStatus, analyze

from .test_coverage import AGENT, HYBRID, NOW, _record, inst, vols


def _one(instance: Any, mode: str = HYBRID, **kwargs: Any) -> Any:
    return analyze([instance], configuration=mode, now=NOW, **kwargs)[0]


@pytest.mark.parametrize(
    ("changes", "mode", "blockers", "deciding"),
    [
        # Hybrid: the agent cannot (unmanaged), then agentless cannot (9 volumes): the second
        # is what leaves the instance unscanned, whatever the list order.
        (
            {"ssm": None, "volumes": vols(9)},
            HYBRID,
            ["UNMANAGED_EC2_INSTANCE", "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED"],
            "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED",
        ),
        (
            {"ssm": None, "root_device_type": "instance-store"},
            HYBRID,
            ["UNMANAGED_EC2_INSTANCE", "INSTANCE_STORE_ROOT"],
            "INSTANCE_STORE_ROOT",
        ),
        # Agent-based mode: only the agent is tried.
        ({"ssm": None}, AGENT, ["UNMANAGED_EC2_INSTANCE"], "UNMANAGED_EC2_INSTANCE"),
        # States that are not failures: no blocker at all, yet a deciding reason.
        ({"tags": {"InspectorEc2Exclusion": ""}}, HYBRID, [], "EXCLUDED_BY_TAG"),
        ({"state": "stopped"}, HYBRID, [], "EC2_INSTANCE_STOPPED"),
        ({"state": "terminated"}, HYBRID, [], "RESOURCE_TERMINATED"),
        # Scanned: nothing decides against it.
        ({}, HYBRID, [], None),
        ({"ssm": None}, HYBRID, [], None),
    ],
)
def test_deciding_reason_from_the_rules(
    changes: dict[str, Any], mode: str, blockers: list[str], deciding: str | None
) -> None:
    c = _one(inst(**changes), mode)
    assert [r.code for r in c.blockers] == blockers
    assert (c.deciding_reason.code if c.deciding_reason else None) == deciding
    if deciding is not None:
        assert c.deciding_reason in c.reasons


def test_an_unsupported_os_is_decided_by_its_os_reason() -> None:
    c = _one(inst(os_name="CentOS", os_version="7"))
    assert c.status is CoverageStatus.UNSUPPORTED
    assert c.deciding_reason is not None and c.deciding_reason.code == c.blockers[0].code
    assert "CentOS" in c.deciding_reason.message


def test_inspector_not_enabled_decides_over_every_other_blocker() -> None:
    c = _one(inst(ssm=None, volumes=vols(9)), account_enabled=False)
    assert c.status is CoverageStatus.NOT_COVERED
    assert [r.code for r in c.blockers][-1] != "INSPECTOR_NOT_ENABLED"  # not last in the list
    assert c.deciding_reason is not None and c.deciding_reason.code == "INSPECTOR_NOT_ENABLED"


def test_inspectors_own_reason_decides_when_its_record_says_not_scanned() -> None:
    # The rules' last blocker is INSTANCE_STORE_ROOT; Inspector's record says UNMANAGED.
    instance = inst(ssm=None, root_device_type="instance-store")
    record = _record(instance.instance_id, "INACTIVE", "UNMANAGED_EC2_INSTANCE")
    c = _one(instance, coverage=[record])
    assert c.status is CoverageStatus.NOT_COVERED
    assert [r.code for r in c.blockers][-1] == "INSTANCE_STORE_ROOT"
    assert c.deciding_reason is not None and c.deciding_reason.code == "UNMANAGED_EC2_INSTANCE"


def test_the_html_row_and_the_text_use_the_deciding_reason() -> None:
    instance = inst(ssm=None, volumes=vols(9))
    report = analyze([instance], configuration=HYBRID, now=NOW)
    c = report[0]
    row = c._html_row()
    assert "first blocker" not in row
    assert row["reason"] == "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED"
    assert row["fix"] == c.deciding_reason.fix
    assert "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED" in c._repr_html_()
    text = report.to_text()
    assert f"fix: {c.deciding_reason.fix}" in text


def test_the_demo_names_the_deciding_reason(capsys: pytest.CaptureFixture[str]) -> None:
    from inspector_kit.cli import main
    from inspector_kit.sample import sample_inventory

    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    report = sample_inventory().analyze()
    for c in report.needs_attention[:3]:
        reason = c.deciding_reason or c.reasons[0]
        name = c.instance.name or c.instance_id
        assert any(name in line and reason.message in line for line in out.splitlines()), name
