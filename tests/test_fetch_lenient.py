"""One bad record never drops a region: records are decoded leniently, problems reported.

Unit level: ``from_api_lenient`` over payloads generated from the botocore service model
and broken one member at a time (the property: nothing is lost, every problem is named).
Fetch level: real boto3 clients against the loopback Inspector serving records that miss
members the model marks required, as real servers do (``BatchGetAccountStatus`` without
``State.errorCode``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from inspector_kit import Finding, FindingParseError, Inspector, PartialResultError
from inspector_kit.models import AccountState, CoveredResource, FailedAccount, _codec
from inspector_kit.testing import LoopbackDataset, LoopbackInspector, finding_payload

from .service_model import pairs, path_text, set_at, shape, sites, wrong_values

ACCOUNT = "111122223333"
REGION = "eu-west-1"  # finding_payload()'s region


# -- the property ---------------------------------------------------------------------


def _delete(payload: Any, path: tuple[Any, ...]) -> None:
    parent = payload
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]


@st.composite
def broken(draw: st.DrawFn, name: str) -> tuple[dict[str, Any], tuple[Any, ...], str]:
    """A valid payload in its normal form with one member or item broken."""
    _, payload = draw(pairs(name))
    payload = copy.deepcopy(payload)
    candidates = list(sites(payload, shape(name)))
    if not candidates:
        return payload, (), "nothing"
    path, member_shape, required = draw(st.sampled_from(candidates))
    kinds = ["wrong type", "null"] + (["delete"] if required and isinstance(path[-1], str) else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "delete":
        _delete(payload, path)
    elif kind == "null":
        set_at(payload, path, None)
    else:
        set_at(payload, path, draw(st.sampled_from(wrong_values(member_shape))))
    return payload, path, kind


def _check_lenient(cls: Any, case: tuple[dict[str, Any], tuple[Any, ...], str]) -> None:
    payload, path, kind = case
    note(f"{kind} at {path_text(path)}")
    try:
        strict_error: FindingParseError | None = None
        cls.from_api(payload)
    except FindingParseError as exc:
        strict_error = exc
    try:
        model, problems = cls.from_api_lenient(payload)
    except FindingParseError as exc:
        # Only a record that cannot be kept is refused, and only by an essential member.
        assert strict_error is not None
        assert exc.path.split(".")[0].split("[")[0] in cls.__api_essential__ or exc.path == ""
        return
    assert bool(problems) == (strict_error is not None)
    if problems:
        broken_at = path_text(path)
        # Every problem is named where it is, and the broken member is among them (or
        # the enclosing member that had to be left out whole, or, for a wrong value that
        # is itself a container such as a map {"k": 1}, the item inside it that is wrong).
        assert any(
            broken_at == p.path or broken_at.startswith(p.path) or p.path.startswith(broken_at)
            for p in problems
        ), [p.path for p in problems]
        for problem in problems:
            assert str(problem).startswith(f"{problem.path}: ")
    # Nothing is lost: the API form written back is the payload, broken member included
    # (a member set to null is written as absent, as to_api() writes every null member).
    # A shallow model (Finding) keeps a broken nested member raw, null included.
    expected = copy.deepcopy(payload)
    raw_kept = cls.__api_shallow__ and len(path) > 1 and strict_error is not None
    if kind == "null" and isinstance(path[-1], str) and not raw_kept:
        _delete(expected, path)
    assert model.to_api() == expected


@settings(max_examples=60, deadline=None)
@given(broken("Finding"))
def test_a_finding_keeps_everything_but_what_is_broken(
    case: tuple[dict[str, Any], tuple[Any, ...], str],
) -> None:
    _check_lenient(Finding, case)


@pytest.mark.parametrize("cls", [AccountState, CoveredResource, FailedAccount])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_response_records_keep_everything_but_what_is_broken(cls: Any, data: st.DataObject) -> None:
    _check_lenient(cls, data.draw(broken(cls.__api_shape__)))


def test_essential_members_are_required_members_of_the_model() -> None:
    for cls in (Finding, AccountState, CoveredResource, FailedAccount):
        required = set(shape(cls.__api_shape__).required_members)
        assert cls.__api_essential__ <= required, cls


def test_a_finding_without_its_arn_or_resources_is_not_kept() -> None:
    payload = finding_payload()
    del payload["findingArn"]
    with pytest.raises(FindingParseError, match="findingArn"):
        Finding.from_api_lenient(payload)
    payload = finding_payload()
    payload["resources"] = [{"type": "AWS_EC2_INSTANCE"}]  # no id: nothing to point at
    with pytest.raises(FindingParseError, match=r"resources\[0\]\.id"):
        Finding.from_api_lenient(payload)


def test_a_finding_keeps_nested_values_whole_or_not_at_all() -> None:
    payload = finding_payload(
        packageVulnerabilityDetails={
            "vulnerabilityId": "CVE-2024-3094",
            "source": "NVD",
            "cvss": [{"baseScore": 10.0, "scoringVector": "CVSS:3.1/AV:N", "version": "3.1"}],
        }
    )
    finding, problems = Finding.from_api_lenient(payload)
    # The CVSS entry misses its source: the package details are left out, kept raw in extra.
    assert finding.package_vulnerability_details is None
    assert [p.path for p in problems] == ["packageVulnerabilityDetails.cvss[0].source"]
    assert finding.extra["packageVulnerabilityDetails"]["vulnerabilityId"] == "CVE-2024-3094"
    assert finding.to_api()["packageVulnerabilityDetails"] == payload["packageVulnerabilityDetails"]


def test_unfreezable_extra_is_reported_not_raised() -> None:
    deep: Any = "leaf"
    for _ in range(_codec.MAX_EXTRA_DEPTH + 5):
        deep = [deep]
    payload = finding_payload(description=42, somethingNew=deep)
    finding, problems = Finding.from_api_lenient(payload)
    assert finding.description is None
    assert {p.path for p in problems} == {"description", "somethingNew"}
    assert "dropped" in next(p for p in problems if p.path == "somethingNew").reason


# -- through the fetch layer ----------------------------------------------------------


def _state_without_error_codes() -> dict[str, Any]:
    return {
        "accountId": ACCOUNT,
        "state": {"status": "ENABLED"},
        "resourceState": {
            "ec2": {"status": "ENABLED"},
            "ecr": {"status": "DISABLED", "errorCode": "ACCESS_DENIED"},
        },
    }


@pytest.fixture
def server() -> Any:
    good = finding_payload()
    partial = finding_payload(findingArn=good["findingArn"][:-4] + "beef")
    del partial["description"]
    partial["packageVulnerabilityDetails"] = {"vulnerabilityId": "CVE-2024-3094"}  # no source
    coverage = {
        REGION: [
            {
                "resourceType": "AWS_EC2_INSTANCE",
                "resourceId": "i-0abc",
                "accountId": ACCOUNT,
                "scanType": "PACKAGE",
                "scanStatus": {"statusCode": "ACTIVE"},  # reason is required too
            },
            {
                "resourceType": "AWS_EC2_INSTANCE",
                "resourceId": "i-0def",
                "accountId": ACCOUNT,
                "scanType": "PACKAGE",
                "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
            },
        ]
    }
    dataset = LoopbackDataset.from_findings(
        [good, partial],
        coverage=coverage,
        account_status={(ACCOUNT, REGION): _state_without_error_codes()},
    )
    with LoopbackInspector(dataset) as srv:
        yield srv


def test_account_status_without_state_error_codes_keeps_the_region(server: Any) -> None:
    # Regression: the missing State.errorCode failed the whole region.
    inspector = Inspector(regions=[REGION], endpoint_url=server.endpoint_url)
    statuses = inspector.account_status([ACCOUNT])
    assert statuses.errors == {}
    assert statuses.is_enabled(ACCOUNT, REGION, "EC2") is True
    assert statuses.is_enabled(ACCOUNT, REGION, "ECR") is False
    state = statuses.get(ACCOUNT, REGION)
    assert state is not None and state.state.error_code is None
    paths = sorted(e.error.path for e in statuses.item_errors)  # type: ignore[attr-defined]
    assert paths == [
        "resourceState.ec2.errorCode",
        "resourceState.ec2.errorMessage",
        "resourceState.ecr.errorMessage",
        "state.errorCode",
        "state.errorMessage",
    ]
    assert all(e.kept and e.region == REGION for e in statuses.item_errors)
    assert not statuses.ok
    with pytest.raises(PartialResultError) as caught:
        statuses.raise_for_errors()
    assert len(caught.value.item_errors) == 5 and caught.value.errors == {}
    # strict=True: the first problem is raised.
    with pytest.raises(FindingParseError, match="errorCode"):
        inspector.account_status([ACCOUNT], strict=True)


def test_a_finding_with_broken_members_is_delivered_and_reported(server: Any) -> None:
    inspector = Inspector(regions=[REGION], endpoint_url=server.endpoint_url)
    stream = inspector.findings()
    found = {f.finding_arn: f for f in stream}
    assert len(found) == 2
    (partial,) = (f for f in found.values() if f.description is None)
    assert partial.package_vulnerability_details is None
    assert partial.extra["packageVulnerabilityDetails"] == {"vulnerabilityId": "CVE-2024-3094"}
    outcome = stream.outcomes[REGION]
    assert outcome.ok and outcome.items == 2 and outcome.partial_items == 1
    assert outcome.bad_items == 0
    assert sorted(e.error.path for e in stream.item_errors) == [  # type: ignore[attr-defined]
        "description",
        "packageVulnerabilityDetails.source",
    ]
    assert "kept without it" in str(stream.item_errors[0])
    with pytest.raises(PartialResultError):
        stream.raise_for_errors()
    with pytest.raises(FindingParseError):
        list(inspector.findings(strict=True))


def test_a_coverage_record_missing_a_required_member_is_kept(server: Any) -> None:
    inspector = Inspector(regions=[REGION], endpoint_url=server.endpoint_url)
    stream = inspector.coverage()
    resources = {r.resource_id: r for r in stream}
    assert set(resources) == {"i-0abc", "i-0def"}
    assert resources["i-0abc"].scan_status is not None
    assert resources["i-0abc"].scan_status.reason is None
    assert [e.error.path for e in stream.item_errors] == ["scanStatus.reason"]  # type: ignore[attr-defined]
