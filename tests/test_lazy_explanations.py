"""Issue 19, item 6: rank, plan and rescore_all share decisions and build explanations late.

Every fast path here (a profile shared by findings with equal component values, ``why`` made
when read, one rule decision per distinct tuple of the values conditions read, results shared
per CVSS list, the garbage collector paused while results are built) is compared with a slow
path written independently in this file, on the sample estate and on edge cases.
"""

from __future__ import annotations

import gc
import math
import pickle
import random
from datetime import date, datetime, timezone
from typing import Any

import attrs
import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit.models import FindingDetail, severity_rank
from inspector_kit.scoring import (
    NetworkExposure,
    finding_reachability,
    rescore,
    rescore_all,
)
from inspector_kit.scoring._gcpause import paused_gc
from inspector_kit.testing import finding_payload
from inspector_kit.triage import (
    BusinessCalendar,
    Condition,
    Deadline,
    RankedFinding,
    Rule,
    TriagePolicy,
    Weights,
    rank,
)
from inspector_kit.triage._engine import UNMATCHED

US = BusinessCalendar("US")
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
EXPOSURES = (NetworkExposure.INTERNET, NetworkExposure.INTERNAL, NetworkExposure.ISOLATED)


def _estate(count: int = 0) -> list[Finding]:
    """The sample estate, then ``count`` copies with their own ARNs (seeded shuffle)."""
    pool = list(sample_findings())
    copies = [
        attrs.evolve(pool[n % len(pool)], finding_arn=f"{pool[n % len(pool)].finding_arn}/{n}")
        for n in range(count)
    ]
    out = pool + copies
    random.Random(19).shuffle(out)
    return out


def _exposures(findings: list[Finding]) -> dict[str, NetworkExposure]:
    ids = sorted({f.primary_resource.id for f in findings})
    return {rid: EXPOSURES[n % 3] for n, rid in enumerate(ids) if n % 2 == 0}


# -- rank: the slow path, from the documented formula ------------------------------------


def _num(value: float) -> str:
    return f"{value:.4g}"


def _slow_rank(
    findings: list[Finding],
    exposures: dict[str, NetworkExposure],
    weights: Weights,
    details: dict[str, FindingDetail],
) -> list[tuple[str, float, str, str, tuple[tuple[str, float, float, float], ...]]]:
    """(ARN, score, source, why, components) per finding, riskiest first, one at a time."""
    rows = []
    for f in findings:
        rid = f.primary_resource.id
        detail = details.get(f.finding_arn)
        rescored = rescore(f, exposures.get(rid, NetworkExposure.UNKNOWN)).score
        if rid in exposures and rescored is not None:
            cvss, source = rescored, "rescored"
        elif f.inspector_score is not None:
            cvss, source = f.inspector_score, "inspector"
        elif f.cvss is not None:
            cvss, source = f.cvss.score, "cvss"
        else:
            cvss, source = 0.0, "none"
        epss = f.epss_score if f.epss_score is not None else (detail and detail.epss_score)
        if f.fix_available is not None:
            fix = {"YES": 1.0, "PARTIAL": 0.5}.get(str(f.fix_available), 0.0)
        else:
            fix = 1.0 if f.is_fixable else 0.0
        exposure = exposures.get(rid, NetworkExposure.UNKNOWN)
        values = {
            "cvss": min(1.0, max(0.0, (cvss or 0.0) / 10)),
            "epss": min(1.0, max(0.0, epss or 0.0)),
            "kev": 1.0 if detail is not None and detail.cisa_data is not None else 0.0,
            "exploit": 1.0 if str(f.exploit_available) == "YES" else 0.0,
            "fix": fix,
            "exposure": {"INTERNET": 1.0, "ISOLATED": 0.0}.get(exposure.value, 0.5),
        }
        reach = None
        if weights.reachability:
            reach = finding_reachability(f)
            values["reachability"] = reach.value
        comps = tuple(
            (name, v, getattr(weights, name), round(v * getattr(weights, name), 4))
            for name, v in values.items()
        )
        score = round(sum(v * getattr(weights, name) for name, v in values.items()), 4)
        shown = sorted((c for c in comps if c[3] > 0), key=lambda c: -c[3])
        why = "; ".join(f"{n} {_num(v)} x {_num(w)} = {_num(c)}" for n, v, w, c in shown)
        why = why or "no risk signal"
        if reach is not None:
            why += f"; runtime reachability {reach.explain()}"
        rows.append((f, score, source, why, comps))
    rows.sort(key=lambda r: (-r[1], -severity_rank(r[0].severity), r[0].finding_arn))
    return [(f.finding_arn, score, source, why, comps) for f, score, source, why, comps in rows]


def _fast(ranked: list[RankedFinding]) -> list[Any]:
    return [
        (
            r.finding.finding_arn,
            r.score,
            r.cvss_source,
            r.why,
            tuple((c.name, c.value, c.weight, c.contribution) for c in r.components),
        )
        for r in ranked
    ]


@pytest.mark.parametrize(
    "weights", [Weights(), Weights(reachability=2), Weights(cvss=1, epss=0, fix=3)]
)
def test_rank_matches_the_slow_path_on_the_sample_estate(weights: Weights) -> None:
    findings = _estate(300)
    exposures = _exposures(findings)
    some = findings[::7]
    details = {
        f.finding_arn: FindingDetail.from_api(
            {"findingArn": f.finding_arn, "epss": {"score": 0.25}, "cisaData": {}}
        )
        for f in some
    }
    ranked = rank(findings, exposures=exposures, weights=weights, details=details)
    assert _fast(ranked) == _slow_rank(findings, exposures, weights, details)
    assert [r.rank for r in ranked] == list(range(1, len(findings) + 1))


def test_rank_edge_cases_ties_repeats_and_odd_values() -> None:
    def f(arn: str, **members: Any) -> Finding:
        return Finding.from_api(finding_payload(findingArn=arn, **members))

    findings = [
        f("arn:b", inspectorScore=5.0),
        f("arn:a", inspectorScore=5.0),  # tie on score and severity: ARN order
        f("arn:a", inspectorScore=5.0),  # a repeated ARN: input order kept
        f("arn:c", inspectorScore=5.0, severity="NEW_SEVERITY"),  # open enum: ranks -1
        f("arn:d", inspectorScore=0.0, epss={"score": -0.0}),  # zeros: no signal
        f("arn:e", exploitAvailable="MAYBE", fixAvailable="SOMEDAY"),  # unknown values
        f("arn:f", fixAvailable="PARTIAL", epss={"score": 7}),  # clamped to 1
    ]
    ranked = rank(findings)
    assert _fast(ranked) == _slow_rank(findings, {}, Weights(), {})
    repeated = [r.finding for r in ranked if r.finding.finding_arn == "arn:a"]
    assert repeated[0] is findings[1] and repeated[1] is findings[2]


def test_equal_values_share_one_profile_and_why_is_made_when_read() -> None:
    findings = _estate(200)
    ranked = rank(findings)
    by_values: dict[tuple[float, ...], set[int]] = {}
    for r in ranked:
        by_values.setdefault(tuple(c.value for c in r.components), set()).add(id(r.components))
    assert all(len(ids) == 1 for ids in by_values.values())  # one tuple per profile
    assert len(by_values) < len(findings) / 4  # shared widely
    reach = rank(findings, weights=Weights(reachability=2))
    row = reach[0]
    assert row._why is None  # not built yet
    expected = _slow_rank(findings, {}, Weights(reachability=2), {})[0][3]
    assert row.why == expected
    assert row._why == expected  # kept once made
    assert row.to_record()["why"] == expected


def test_ranked_finding_is_still_a_frozen_value() -> None:
    f = Finding.from_api(finding_payload(inspectorScore=9.8))
    row = rank([f])[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        row.score = 1.0  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del row.rank  # type: ignore[misc]
    made = RankedFinding(
        finding=f,
        rank=1,
        score=row.score,
        components=row.components,
        why=row.why,
        cvss_source="inspector",
    )
    assert made == row and hash(made) == hash(row)
    assert made != attrs.evolve(row.components[0], weight=9.0)
    assert RankedFinding(finding=f, rank=1, score=row.score, components=row.components,
                         cvss_source="inspector").why == row.why  # fmt: skip
    assert repr(row).startswith("RankedFinding(finding=Finding(")
    assert f"why={row.why!r}, cvss_source='inspector', reachability=None)" in repr(row)
    assert pickle.loads(pickle.dumps(row)) == row
    assert type(rank([f], weights=Weights(reachability=1))[0]).__name__ == (
        "_ReachabilityRankedFinding"
    )


# -- plan: one decision per distinct values, against matching rule by rule ----------------


def _slow_rule(
    policy: TriagePolicy, f: Finding, exposure: NetworkExposure, kev_due: date | None
) -> tuple[str | None, str | None]:
    rescored = None
    if any(r.condition.rescored_severities is not None for r in policy.rules):
        rescored = rescore(f, exposure).severity
    for rule in policy.rules:
        ok, reason = rule.condition.matches(
            f, kev_due=kev_due, exposure=exposure, rescored_severity=rescored
        )
        if ok:
            return rule.name, reason
    return None, None


POLICIES = [
    TriagePolicy.default(),
    TriagePolicy(
        [
            Rule(
                "internet-critical",
                Condition(rescored_severities={"CRITICAL", "HIGH"}, exposures={"INTERNET"}),
                Deadline.calendar_days(2),
                "urgent",
            ),
            Rule("exploit", Condition(exploit_available=True), Deadline.calendar_days(7), "week"),
            Rule("fixable", Condition(fix_available=True), Deadline.business_days(10), "fix"),
            Rule("kev", Condition(kev=True), Deadline.calendar_days(1), "kev"),
            Rule(
                "code",
                Condition(finding_types={"CODE_VULNERABILITY"}),
                Deadline.calendar_days(30),
                "code",
            ),
        ],
        name="mixed",
    ),
    TriagePolicy(  # a tag condition: nothing is remembered, every finding is matched
        [
            Rule("tagged", Condition(tags={"env": "prod"}), Deadline.calendar_days(3), "prod"),
            Rule("rest", Condition(severities={"HIGH"}), Deadline.calendar_days(9), "high"),
        ],
        name="tags",
    ),
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_plan_decisions_match_rule_by_rule(policy: TriagePolicy) -> None:
    findings = _estate(300)
    exposures = _exposures(findings)
    details = {
        f.finding_arn: FindingDetail.from_api(
            {"findingArn": f.finding_arn, "cisaData": {"dateDue": "2026-11-25T00:00:00Z"}}
        )
        for f in findings[::11]
    }
    plan = policy.plan(findings, now=NOW, calendar=US, exposures=exposures, details=details)
    assert len(plan.items) + sum(plan.excluded_by_status.values()) == len(findings)
    for item in plan.items:
        f = item.finding
        exposure = exposures.get(f.primary_resource.id, NetworkExposure.UNKNOWN)
        kev_due = date(2026, 11, 25) if f.finding_arn in details else None
        name, reason = _slow_rule(policy, f, exposure, kev_due)
        assert item.rule == name
        if name is None:
            assert item.queue == UNMATCHED
            assert item.why.startswith(f"no rule of policy {policy.name} matched")
        else:
            assert item.why.startswith(f"rule {name}: {reason}; ")
        if item.overdue:
            assert item.due is not None
            assert item.days_overdue == US.business_days_between(item.due, plan.today)


def test_plan_is_the_same_whatever_the_input_order() -> None:
    findings = _estate(100)
    policy = POLICIES[1]
    exposures = _exposures(findings)
    one = policy.plan(findings, now=NOW, calendar=US, exposures=exposures)
    two = policy.plan(findings[::-1], now=NOW, calendar=US, exposures=exposures)
    assert one.to_records() == two.to_records()


# -- rescore_all: results shared per CVSS list, against one finding at a time --------------


def _one_by_one(findings: list[Finding], exposures: dict[str, NetworkExposure]) -> list[Any]:
    out = []
    for f in findings:
        r = rescore(f, exposures.get(f.resources[0].id, NetworkExposure.UNKNOWN))
        out.append((r.score, r.severity, r.base_source, r.adjustments, r.reason, r.explain()))
    return out


def _shared(findings: list[Finding], exposures: dict[str, NetworkExposure]) -> list[Any]:
    return [
        (r.score, r.severity, r.base_source, r.adjustments, r.reason, r.explain())
        for r in rescore_all(findings, exposures)
    ]


def test_rescore_all_matches_one_by_one_on_the_sample_estate() -> None:
    findings = _estate(300)
    exposures = _exposures(findings)
    assert _shared(findings, exposures) == _one_by_one(findings, exposures)


def test_one_cvss_list_under_several_sources_types_and_kinds() -> None:
    # Findings sharing one CVSS list object (as decoded findings do) but not its meaning:
    # another vendor source picks another entry, another resource type may meet another rule,
    # another finding type is not scored at all.
    v_nvd = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    v_vendor = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N"
    base = Finding.from_api(
        finding_payload(
            packageVulnerabilityDetails={
                "vulnerabilityId": "CVE-2024-0001",
                "source": "NVD",
                "cvss": [
                    {"source": "NVD", "version": "3.1", "baseScore": 9.8, "scoringVector": v_nvd},
                    {"source": "UBUNTU_CVE", "version": "3.1", "baseScore": 4.8,
                     "scoringVector": v_vendor},
                ],
            }
        )
    )  # fmt: skip
    pvd = base.package_vulnerability_details
    assert pvd is not None
    vendor = attrs.evolve(pvd, source="UBUNTU_CVE")
    object.__setattr__(vendor, "cvss", pvd.cvss)  # the very same list, as decoding shares it
    lambda_resource = attrs.evolve(base.resources[0], type="AWS_LAMBDA_FUNCTION")
    unknown_type = attrs.evolve(base.resources[0], type="AWS_NEW_THING")
    variants = [
        base,
        attrs.evolve(base, package_vulnerability_details=vendor),
        attrs.evolve(base, resources=(lambda_resource,)),
        attrs.evolve(base, resources=(unknown_type,)),
        attrs.evolve(base, type="CODE_VULNERABILITY"),
        attrs.evolve(base, type="NEW_FINDING_TYPE"),
        Finding.from_api(finding_payload(type="NETWORK_REACHABILITY")),
        Finding.from_api(finding_payload(severity="UNTRIAGED")),
    ]
    findings = [attrs.evolve(v, finding_arn=f"arn:{n}") for n in range(6) for v in variants]
    assert len({id(f.package_vulnerability_details.cvss) for f in findings[:4]}) == 1  # type: ignore[union-attr]
    for exposure in (*EXPOSURES, NetworkExposure.UNKNOWN):
        exposures = {base.resources[0].id: exposure}
        assert _shared(findings, exposures) == _one_by_one(findings, exposures)
    shared = rescore_all(findings, {base.resources[0].id: NetworkExposure.INTERNAL})
    assert shared[0].base_source == "NVD" and shared[1].base_source == "UBUNTU_CVE"
    assert shared[0].score != shared[1].score


def test_rescore_explanations_are_made_when_read() -> None:
    findings = _estate(50)
    results = rescore_all(findings, _exposures(findings), reachability=True)
    assert results.scores() == [r.score for r in results]  # summaries make no objects
    first = results[0]
    assert first.explain() == rescore(findings[0], first.exposure, reachability=True).explain()


# -- the paused collector ---------------------------------------------------------------


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    seen = []

    def fail() -> None:
        with paused_gc():
            seen.append(gc.isenabled())
            raise KeyError("boom")

    with pytest.raises(KeyError):
        fail()
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()


def test_rank_and_plan_leave_the_collector_enabled_even_on_errors() -> None:
    bad = Finding.from_api(finding_payload(findingArn="arn:x"))
    with pytest.raises(Exception):  # noqa: B017, PT011 - any error from a bad input
        rank([bad], exposures={"i-0123456789abcdef0": "NOT_AN_EXPOSURE"})
    assert gc.isenabled()
    rank([bad])
    TriagePolicy.default().plan([bad], now=NOW, calendar=US)
    assert gc.isenabled()
    assert not math.isnan(rank([bad])[0].score)
