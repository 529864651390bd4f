"""Rescoring: the base vector Inspector would pick, the policy's changes, and what-if.

Truths used: AWS's documented examples (vendor over NVD; ECR and Lambda scores equal to
the base; v2-only findings unscored), the CVSS v3.1 scores of the vectors involved, and
the sample estate, whose adjusted scores were produced by its generator from the
inventory's exposure with the documented rule.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from inspector_kit import Finding, Severity, load_findings, sample_estate_path, sample_findings
from inspector_kit.errors import InvalidArgumentError
from inspector_kit.scoring import (
    Adjustment,
    ExposurePolicy,
    ExposureRule,
    NetworkExposure,
    Rescores,
    TagRequirement,
    exposures_from_findings,
    rescore,
    rescore_all,
    what_if,
)
from inspector_kit.testing import finding_payload

from .conftest import FIXTURES

CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8; with MAV:A 8.8
SCOPE_CHANGED = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"  # 10.0
LOCAL = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"  # 7.8


def _finding(
    cvss: list[dict[str, Any]],
    *,
    source: str = "NVD",
    resource: str = "AWS_EC2_INSTANCE",
    tags: dict[str, str] | None = None,
    **members: Any,
) -> Finding:
    res: dict[str, Any] = {"type": resource, "id": "i-0123456789abcdef0"}
    if tags:
        res["tags"] = tags
    payload = finding_payload(
        packageVulnerabilityDetails={
            "vulnerabilityId": "CVE-2024-0001",
            "source": source,
            "cvss": cvss,
        },
        resources=[res],
        **members,
    )
    return Finding.from_api(payload)


def _v3(vector: str, source: str = "NVD", score: float = 0.0) -> dict[str, Any]:
    return {"source": source, "version": "3.1", "baseScore": score, "scoringVector": vector}


# -- the documented rule -------------------------------------------------------------


@pytest.mark.parametrize(
    ("exposure", "score", "adjusted"),
    [
        (NetworkExposure.INTERNET, 9.8, False),
        (NetworkExposure.UNKNOWN, 9.8, False),
        (NetworkExposure.INTERNAL, 8.8, True),
        (NetworkExposure.ISOLATED, 8.8, True),
    ],
)
def test_inspector_policy(exposure: NetworkExposure, score: float, adjusted: bool) -> None:
    r = rescore(_finding([_v3(CRIT)]), exposure)
    assert r.base_score == 9.8 and r.score == score
    assert r.changed is adjusted
    if adjusted:
        assert r.adjustments == (Adjustment("MAV", "N", "A", "NO_OPEN_NETWORK_PATH_FROM_INTERNET"),)
        assert str(r.vector) == CRIT + "/MAV:A"
        assert (r.base_severity, r.severity) == (Severity.CRITICAL, Severity.HIGH)
        assert r.severity_changed
    else:
        assert r.adjustments == () and r.vector == r.base_vector


def test_local_attack_vector_is_never_adjusted() -> None:
    r = rescore(_finding([_v3(LOCAL)]), NetworkExposure.ISOLATED)
    assert r.adjustments == () and r.score == 7.8


def test_no_phantom_adjustment_from_the_scope_changed_quirk() -> None:
    # With S:C, adding an environmental metric that changes nothing can still move a v3.1
    # score by 0.1; an unchanged finding must keep exactly its base score.
    r = rescore(_finding([_v3(SCOPE_CHANGED)]), NetworkExposure.INTERNET)
    assert r.adjustments == () and r.score == r.base_score == 10.0
    assert str(r.vector) == SCOPE_CHANGED


def test_strict_policy_collapses_two_rules_into_one_change() -> None:
    r = rescore(_finding([_v3(CRIT)]), NetworkExposure.ISOLATED, policy=ExposurePolicy.strict())
    assert r.adjustments == (Adjustment("MAV", "N", "L", "NO_INBOUND_NETWORK_PATH"),)
    assert str(r.vector) == CRIT + "/MAV:L"
    assert r.score == pytest.approx(r.vector.environmental_score)  # type: ignore[union-attr]
    assert r.score < 8.8


def test_unchanged_policy() -> None:
    r = rescore(_finding([_v3(CRIT)]), "INTERNAL", policy=ExposurePolicy.unchanged())
    assert r.adjustments == () and r.score == 9.8 and r.policy == "unchanged"


def test_ecr_and_lambda_are_not_adjusted_by_the_default_policy() -> None:
    for kind in ("AWS_ECR_CONTAINER_IMAGE", "AWS_LAMBDA_FUNCTION"):
        r = rescore(_finding([_v3(CRIT)], resource=kind), NetworkExposure.INTERNAL)
        assert r.adjustments == () and r.score == 9.8


def test_user_rules_and_tag_requirements() -> None:
    vpn = ExposureRule(
        exposures=["INTERNAL"],
        when={"PR": ["N"]},  # rules see earlier rules' changes: AV is A by now
        set={"MPR": "L"},
        reason="SSO_IN_FRONT",
    )
    policy = (
        ExposurePolicy.inspector()
        .with_rules(vpn, name="ours")
        .with_tag_requirements(cr="Confidentiality", ar="Availability")
    )
    f = _finding([_v3(CRIT)], tags={"Confidentiality": "Low", "Availability": "high"})
    r = rescore(f, NetworkExposure.INTERNAL, policy=policy)
    assert [a.metric for a in r.adjustments] == ["MAV", "MPR", "CR", "AR"]
    assert r.adjustments[2] == Adjustment("CR", "X", "L", "TAG:Confidentiality")
    assert r.policy == "ours"
    assert str(r.vector) == CRIT + "/CR:L/AR:H/MAV:A/MPR:L"
    # Tags with values outside the levels change nothing.
    same = rescore(
        _finding([_v3(CRIT)], tags={"Confidentiality": "secret"}), "INTERNET", policy=policy
    )
    assert same.adjustments == ()


def test_rule_may_only_set_environmental_metrics() -> None:
    with pytest.raises(InvalidArgumentError, match="environmental metrics only"):
        ExposureRule(exposures=["INTERNAL"], set={"AV": "A"}, reason="x")


def test_requirement_levels_are_l_m_or_h() -> None:
    with pytest.raises(InvalidArgumentError, match="requirement levels are L, M or H, not 'X'"):
        TagRequirement(metric="CR", tag="Confidentiality", levels={"secret": "X"})


# -- choosing the base vector, as in AWS's examples -----------------------------------


@pytest.mark.parametrize(
    ("name", "source", "score"),
    [
        ("eventbridge_ec2_package.json", "UBUNTU_CVE", 4.7),  # vendor over NVD 5.5
        ("eventbridge_ecr_package.json", "REDHAT_CVE", 5.9),  # vendor 3.0 over NVD 3.1 7.5
        ("eventbridge_lambda_package.json", "NVD", 5.6),
    ],
)
def test_aws_examples_rescore_to_their_own_inspector_score(
    name: str, source: str, score: float
) -> None:
    example = json.loads((FIXTURES / "aws_examples" / name).read_text())
    finding = Finding.from_api(example["detail"])
    for exposure in NetworkExposure:
        r = rescore(finding, exposure)
        if finding.resources[0].type != "AWS_EC2_INSTANCE" or exposure in (
            NetworkExposure.INTERNET,
            NetworkExposure.UNKNOWN,
        ):
            assert (r.base_source, r.score, r.adjustments) == (source, score, ())
            assert r.agrees_with_inspector is True
    # The EC2 example is AV:L: no exposure changes it either.
    assert rescore(finding, "INTERNAL").score == score


def test_an_example_without_inspector_score_has_nothing_to_agree_with() -> None:
    example = json.loads(
        (FIXTURES / "aws_examples" / "eventbridge_ec2_package_2023.json").read_text()
    )
    r = rescore(Finding.from_api(example["detail"]))
    assert r.base_source == "NVD" and r.score == 5.5 and r.agrees_with_inspector is None


def test_vendor_choice_from_a_built_finding() -> None:
    f = _finding(
        [
            _v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", "NVD", 9.1),
            _v3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", "AMAZON_CVE", 6.5),
        ],
        source="AMAZON_CVE",
    )
    r = rescore(f)
    assert (r.base_source, r.base_score) == ("AMAZON_CVE", 6.5)
    # A vulnerability published by NVD itself is scored from NVD, not from a third party.
    g = _finding(
        [
            _v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", "NVD", 9.1),
            _v3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", "GITHUB", 6.5),
        ],
        source="NVD",
    )
    assert rescore(g).base_source == "NVD"


def test_findings_without_a_v3_score_say_why() -> None:
    v2 = _finding(
        [
            {
                "source": "NVD",
                "version": "2.0",
                "baseScore": 7.5,
                "scoringVector": "AV:N/AC:L/Au:N/C:P/I:P/A:P",
            }
        ]
    )
    r = rescore(v2, NetworkExposure.INTERNAL)
    assert r.score is None and r.vector is None and "2.0" in (r.reason or "")
    assert r.agrees_with_inspector is None
    untriaged = Finding.from_api(finding_payload(severity="UNTRIAGED"))
    assert "UNTRIAGED" in (rescore(untriaged).reason or "")
    code = Finding.from_api(finding_payload(type="CODE_VULNERABILITY"))
    assert "code" in (rescore(code).reason or "")


def test_agreement_is_reported_both_ways() -> None:
    f = _finding([_v3(CRIT)], inspectorScore=8.8)
    assert rescore(f, "INTERNAL").agrees_with_inspector is True
    assert rescore(f, "INTERNET").agrees_with_inspector is False


# -- the sample estate: the generator applied the rule from the inventory ---------------


def _sample() -> tuple[list[Finding], dict[str, NetworkExposure]]:
    findings = list(load_findings(sample_estate_path() / "findings.jsonl"))
    inventory = json.loads((sample_estate_path() / "resources.json").read_text())
    exposures = {
        i["instance_id"]: NetworkExposure(i["internet_exposure"].upper())
        for i in inventory["ec2_instances"]
    }
    return findings, exposures


def test_the_default_policy_reproduces_every_sample_inspector_score() -> None:
    findings, exposures = _sample()
    results = rescore_all(findings, exposures)
    compared = [r for r in results if r.agrees_with_inspector is not None]
    assert len(compared) > 150
    disagree = [r.explain() for r in compared if not r.agrees_with_inspector]
    assert disagree == []
    adjusted = [r for r in results if r.changed]
    assert adjusted and all(r.exposure is not NetworkExposure.INTERNET for r in adjusted)
    # Every finding Inspector adjusted, we adjusted, and only those.
    inspector_adjusted = {
        f.finding_arn
        for f in findings
        if f.inspector_score_details
        and f.inspector_score_details.adjusted_cvss
        and f.inspector_score_details.adjusted_cvss.adjustments
    }
    assert {r.finding_arn for r in adjusted} == inspector_adjusted


def test_exposures_from_network_reachability_findings() -> None:
    findings, inventory = _sample()
    derived = exposures_from_findings(findings)
    assert derived
    for resource_id, exposure in derived.items():
        # an open path from the internet is only ever found on an internet-facing instance
        if exposure is NetworkExposure.INTERNET:
            assert inventory[resource_id] is NetworkExposure.INTERNET


def test_exposures_from_coverage_mark_scanned_instances_without_paths_internal() -> None:
    from inspector_kit.models import CoveredResource

    record = CoveredResource.from_api(
        {
            "resourceType": "AWS_EC2_INSTANCE",
            "resourceId": "i-0000000000000000a",
            "accountId": "111122223333",
            "scanType": "NETWORK",
            "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        }
    )
    assert exposures_from_findings([], [record]) == {
        "i-0000000000000000a": NetworkExposure.INTERNAL
    }


def test_what_if_closing_the_world_to_instances() -> None:
    findings, exposures = _sample()
    internet = [rid for rid, e in exposures.items() if e is NetworkExposure.INTERNET]
    result = what_if(findings, exposures, dict.fromkeys(internet, NetworkExposure.INTERNAL))
    assert result.count > 0 and result.total == len(findings)
    for change in result.changes:
        assert change.finding.resources[0].id in internet
        assert change.after.score < change.before.score  # type: ignore[operator]
        assert change.after.severity != change.before.severity
    assert sum(result.by_transition().values()) == result.count
    # Nothing changes if nothing changes.
    assert what_if(findings, exposures, {}).count == 0


def test_rescore_all_caches_but_never_mixes_findings() -> None:
    findings, exposures = _sample()
    results = rescore_all(findings * 3, exposures)
    assert [r.finding for r in results] == findings * 3
    singles = [rescore(f, exposures.get(f.resources[0].id, "UNKNOWN")) for f in findings]
    assert results[: len(findings)] == singles


def test_shared_cvss_lists_never_share_a_result_they_should_not() -> None:
    same = [
        _v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", "NVD", 9.1),
        _v3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", "AMAZON_CVE", 6.5),
    ]
    v2_only = [
        {
            "source": "NVD",
            "version": "2.0",
            "baseScore": 7.5,
            "scoringVector": "AV:N/AC:L/Au:N/C:P/I:P/A:P",
        }
    ]
    findings = [
        _finding(same, source="AMAZON_CVE"),
        _finding(same, source="NVD"),  # same interned list, another source: NVD's vector
        _finding(same, source="AMAZON_CVE", resource="AWS_ECR_CONTAINER_IMAGE"),
        _finding(same, source="AMAZON_CVE"),
        _finding(v2_only, severity="UNTRIAGED"),
        _finding(v2_only),
    ]
    # The decoder shares equal CVSS lists between findings: the case the cache keys on.
    assert (
        findings[0].package_vulnerability_details.cvss
        is findings[1].package_vulnerability_details.cvss
    )  # type: ignore[union-attr]
    for exposure in NetworkExposure:
        bulk = list(rescore_all(findings, default=exposure))
        singles = [rescore(f, exposure) for f in findings]
        assert bulk == singles
    results = rescore_all(findings, default="INTERNAL")
    assert [r.base_source for r in results][:3] == ["AMAZON_CVE", "NVD", "AMAZON_CVE"]
    assert results[0].changed and not results[2].changed  # EC2 adjusted, ECR not
    assert results.scores()[:4] == [r.score for r in results][:4]
    assert len(results.changed()) == 3 and results[1:3] == [results[1], results[2]]


def test_equal_cvss_lists_are_decoded_once_and_types_never_mix() -> None:
    from inspector_kit.models import PackageVulnerabilityDetails

    def pvd(score: object) -> PackageVulnerabilityDetails:
        return PackageVulnerabilityDetails.from_api(
            {
                "vulnerabilityId": "CVE-1",
                "source": "NVD",
                "vulnerablePackages": [],
                "cvss": [
                    {"source": "NVD", "version": "3.1", "baseScore": score, "scoringVector": CRIT}
                ],
            }
        )

    assert pvd(9.8).cvss is pvd(9.8).cvss
    assert pvd(1).cvss is not pvd(1.0).cvss  # same value, other type: decoded apart
    with pytest.raises(Exception, match="baseScore"):
        pvd(True)  # a boolean is not a score, even after 1 was decoded


# -- runtime reachability: explained, never scored (issue 16 §5) -----------------------


def _reachable_finding(status: str, reason: str | None = None, **package: Any) -> Finding:
    pkg: dict[str, Any] = {
        "name": "openssl",
        "version": "3.0.2",
        "packageManager": "OS",
        "runtimeReachability": status,
        **package,
    }
    if reason is not None:
        pkg["runtimeReachabilityReason"] = reason
    payload = finding_payload(
        findingArn="arn:reach",
        inspectorScore=8.8,
        packageVulnerabilityDetails={
            "vulnerabilityId": "CVE-2024-0001",
            "source": "NVD",
            "cvss": [{"source": "NVD", "version": "3.1", "baseScore": 9.8, "scoringVector": CRIT}],
            "vulnerablePackages": [pkg],
        },
        resources=[
            {
                "type": "AWS_EC2_INSTANCE",
                "id": "i-1",
                "details": {"awsEc2Instance": {"platform": "UBUNTU_22_04"}},
            }
        ],
    )
    return Finding.from_api(payload)


def test_reachability_never_changes_the_rescored_score() -> None:
    findings = [
        *sample_findings(),
        _reachable_finding("NOT_REACHABLE", "PROCESS_NOT_OBSERVED_IN_EC2_RUNTIME"),
        _reachable_finding("REACHABLE", "PROCESS_OBSERVED_IN_EC2_RUNTIME"),
    ]
    for exposure in NetworkExposure:
        plain = rescore_all(findings, default=exposure)
        annotated = rescore_all(findings, default=exposure, reachability=True)
        assert plain.to_records() == annotated.to_records()
        for a, b in zip(plain, annotated, strict=True):
            assert (a.vector, a.score, a.severity, a.adjustments, a.agrees_with_inspector) == (
                b.vector,
                b.score,
                b.severity,
                b.adjustments,
                b.agrees_with_inspector,
            )
            # The default explanation is unchanged; the annotated one only adds a suffix.
            assert "reachability" not in a.explain().replace("network reachability", "")
            assert b.explain().startswith(a.explain() + "; runtime reachability ")
    # The NOT_REACHABLE finding still gets Inspector's own 8.8 when internal.
    internal = rescore(findings[-2], "INTERNAL", reachability=True)
    assert (internal.score, internal.agrees_with_inspector) == (8.8, True)


def test_explain_says_what_inspector_found_and_that_it_is_not_scored() -> None:
    text = rescore(
        _reachable_finding("NOT_REACHABLE", "PROCESS_NOT_OBSERVED_IN_EC2_RUNTIME"),
        "INTERNAL",
        reachability=True,
    ).explain()
    assert text == (
        "CVE-2024-0001 on i-1: 9.8 CRITICAL -> 8.8 HIGH (INTERNAL, policy inspector: "
        "MAV N -> A (NO_OPEN_NETWORK_PATH_FROM_INTERNET)); runtime reachability "
        "NOT_REACHABLE: pkg:deb/ubuntu/openssl@3.0.2?distro=ubuntu-22.04 "
        "(PROCESS_NOT_OBSERVED_IN_EC2_RUNTIME) (not scored: Inspector's score does not use it)"
    )
    own = "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.15?arch=amd64&distro=ubuntu-22.04"
    r = rescore(_reachable_finding("REACHABLE", purl=own), reachability=True)
    assert r.reachability.packages == (own,)  # Inspector's own purl first
    assert r.explain().endswith(
        f"runtime reachability REACHABLE: {own} (not scored: Inspector's score does not use it)"
    )
    assert r != rescore(_reachable_finding("REACHABLE", purl=own))  # the flag is part of it


def test_finding_reachability_walks_the_enum_and_checks_the_unknown_value() -> None:
    from inspector_kit.models import RuntimeReachability
    from inspector_kit.scoring import REACHABILITY_UNKNOWN_VALUE, finding_reachability

    expected = {"REACHABLE": 1.0, "NOT_REACHABLE": 0.0, "UNKNOWN": REACHABILITY_UNKNOWN_VALUE}
    assert {m.value for m in RuntimeReachability} == set(expected)  # a new value fails here
    for status, value in expected.items():
        got = finding_reachability(_reachable_finding(status))
        assert (got.status.value, got.value, got.total) == (status, value, 1)
    assert REACHABILITY_UNKNOWN_VALUE == 0.5
    unknown = _reachable_finding("UNKNOWN")
    assert finding_reachability(unknown, unknown=0.2).value == 0.2
    for bad in (-1, 1.01, float("nan")):
        with pytest.raises(InvalidArgumentError, match="unknown must be between 0 and 1"):
            finding_reachability(unknown, unknown=bad)
    network = Finding.from_api(finding_payload(type="NETWORK_REACHABILITY"))
    none = finding_reachability(network)
    assert (none.status, none.packages, none.total) == (RuntimeReachability.UNKNOWN, (), 0)


# -- issue 18 item 9: explanations and one meaning of "severity changed" -------------------


def _sample_active() -> tuple[list[Finding], list[Finding]]:
    from inspector_kit import sample_findings

    findings = list(sample_findings())
    return findings, [f for f in findings if f.status == "ACTIVE"]


def test_explain_starts_with_the_vulnerability_and_the_resource() -> None:
    findings, _ = _sample_active()
    exposures = exposures_from_findings(findings)
    for r in rescore_all(findings, exposures, reachability=True):
        f = r.finding
        what = f.vulnerability_id or f.title
        assert r.explain().startswith(f"{what} on {f.primary_resource.short_name}: "), f
        assert f.finding_arn not in r.explain()
    change = what_if(findings, {}, dict.fromkeys(exposures, "INTERNAL")).changes[0]
    assert str(change).startswith(f"{change.finding.vulnerability_id} on ")


def _independent_severity_changes(results: Rescores) -> int:
    """Inspector's bands of the base and adjusted scores, computed here from the scores."""

    def band(score: float) -> str:
        return next(n for floor, n in ((9, "C"), (7, "H"), (4, "M"), (0.1, "L")) if score >= floor)

    return sum(
        1
        for r in results
        if r.score is not None and r.base_score is not None and band(r.score) != band(r.base_score)
    )


def test_one_definition_of_severity_changed_in_every_count() -> None:
    findings, active = _sample_active()
    results = rescore_all(active, exposures_from_findings(findings))
    truth = _independent_severity_changes(results)
    adjusted = sum(1 for r in results if r.adjustments)
    assert 0 < truth < adjusted  # the sample holds adjustments that keep their band
    assert len(results.severity_changes()) == truth
    assert sum(results.by_transition().values()) == truth
    assert sum(1 for r in results if r.severity_changed) == truth
    assert sum(1 for row in results.to_records() if row["severity_changed"]) == truth
    assert f"{truth} change severity" in repr(results)
    assert f"{adjusted} adjusted" in repr(results)
    # what_if counts the same way: from "no exposure known" to the exposures above.
    assert what_if(active, {}, exposures_from_findings(findings)).count == truth


def test_not_rescored_never_changed_severity() -> None:
    net = Finding.from_api(finding_payload(type="NETWORK_REACHABILITY"))
    r = rescore(net, "INTERNAL")
    assert r.reason is not None and not r.severity_changed and not r.changed
    assert rescore_all([net], {}).severity_changes() == []


def test_the_rescore_command_and_the_demo_count_severity_changes_alike(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import re

    from inspector_kit.cli import main
    from inspector_kit.sample import sample_inventory

    findings, active = _sample_active()
    truth = _independent_severity_changes(rescore_all(active, exposures_from_findings(findings)))
    assert main(["rescore", "--sample", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == truth
    assert main(["rescore", "--sample", "--format", "json", "--adjusted"]) == 0
    adjusted = json.loads(capsys.readouterr().out)
    assert len(adjusted) > truth
    assert main(["rescore", "--sample", "--format", "table"]) == 0
    assert f"{truth} of {len(active)} findings change severity" in capsys.readouterr().out
    assert main(["demo"]) == 0
    demo = capsys.readouterr().out
    with_coverage = exposures_from_findings(findings, sample_inventory().coverage)
    expected = _independent_severity_changes(rescore_all(active, with_coverage))
    found = re.search(r"^(\d+) change severity once network exposure is applied", demo, re.M)
    assert found is not None and int(found.group(1)) == expected
