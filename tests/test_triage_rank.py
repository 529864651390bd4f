"""The transparent risk ranking (``inspector_kit.triage._rank``) and its roll-ups."""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_kit import Finding, sample_findings
from inspector_kit.errors import TriageError
from inspector_kit.models import FindingDetail
from inspector_kit.scoring import NetworkExposure
from inspector_kit.testing import finding_payload
from inspector_kit.triage import (
    Component,
    CveRollup,
    RankedFinding,
    ResourceRollup,
    Weights,
    rank,
    rollup_by_cve,
    rollup_by_resource,
)
from tests.payloads import cvss, package_details

NETWORK_VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8


def make(
    arn: str = "arn:f",
    *,
    score: float | None = None,
    epss: float | None = None,
    exploit: str | None = None,
    fix: str | None = None,
    severity: str = "HIGH",
    resources: tuple[str, ...] = ("i-1",),
    vid: str | None = "CVE-2024-0001",
    account: str = "111122223333",
    base: tuple[float, str] | None = None,
) -> Finding:
    members: dict[str, Any] = {
        "findingArn": arn,
        "awsAccountId": account,
        "severity": severity,
        "resources": [{"type": "AWS_EC2_INSTANCE", "id": rid} for rid in resources],
    }
    if vid is not None:
        extra: dict[str, Any] = {} if base is None else {"cvss": [cvss("NVD", *base)]}
        members["packageVulnerabilityDetails"] = package_details(vid, **extra)
    if score is not None:
        members["inspectorScore"] = score
    if epss is not None:
        members["epss"] = {"score": epss}
    if exploit is not None:
        members["exploitAvailable"] = exploit
    if fix is not None:
        members["fixAvailable"] = fix
    return Finding.from_api(finding_payload(**members))


def kev(arn: str, epss: float | None = None) -> FindingDetail:
    payload: dict[str, Any] = {"findingArn": arn, "cisaData": {"dateAdded": "2024-01-01T00:00:00Z"}}
    if epss is not None:
        payload["epssScore"] = epss
    return FindingDetail.from_api(payload)


def only(finding: Finding, **kwargs: Any) -> RankedFinding:
    (ranked,) = rank([finding], **kwargs)
    return ranked


# -- the score ------------------------------------------------------------------------


def test_components_and_defaults_by_hand() -> None:
    f = make(score=8.0, epss=0.25, exploit="YES", fix="PARTIAL")
    r = only(f, details={"arn:f": kev("arn:f")}, exposures={"i-1": "INTERNET"})
    values = {c.name: c.value for c in r.components}
    # The resource has an exposure but the finding no CVSS vector to rescore, so the
    # CVSS component falls back to inspectorScore.
    assert values == {
        "cvss": 0.8,
        "epss": 0.25,
        "kev": 1.0,
        "exploit": 1.0,
        "fix": 0.5,
        "exposure": 1.0,
    }
    assert [c.weight for c in r.components] == [4.0, 2.0, 1.5, 1.0, 0.5, 1.0]
    assert r.score == pytest.approx(3.2 + 0.5 + 1.5 + 1.0 + 0.25 + 1.0)
    assert r.cvss_source == "inspector"
    assert r.why.startswith("cvss 0.8 x 4 = 3.2; kev 1 x 1.5 = 1.5; exploit 1 x 1 = 1;")


def test_cvss_sources() -> None:
    rescorable = make(score=9.8, base=(9.8, NETWORK_VECTOR))
    internal = only(rescorable, exposures={"i-1": NetworkExposure.INTERNAL})
    assert internal.cvss_source == "rescored"
    assert internal.component("cvss").value == pytest.approx(0.88)  # 9.8 -> 8.8 (MAV:A)
    assert only(rescorable).cvss_source == "inspector"  # no exposure given: Inspector's
    assert only(make(base=(9.8, NETWORK_VECTOR))).cvss_source == "cvss"
    nothing = only(make())
    assert (nothing.cvss_source, nothing.component("cvss").value) == ("none", 0.0)


def test_epss_from_details_only_when_the_finding_has_none() -> None:
    details = {"arn:f": kev("arn:f", epss=0.9)}
    assert only(make(), details=details).component("epss").value == 0.9
    assert only(make(epss=0.1), details=details).component("epss").value == 0.1


def test_fix_without_fix_available_reads_the_packages() -> None:
    pvd = package_details(
        vulnerablePackages=[{"name": "curl", "version": "1", "fixedInVersion": "2"}]
    )
    f = Finding.from_api(finding_payload(packageVulnerabilityDetails=pvd))
    assert only(f).component("fix").value == 1.0
    assert only(make(fix="NO")).component("fix").value == 0.0
    assert only(make()).component("fix").value == 0.0


def test_unknown_exposure_and_no_signal() -> None:
    r = only(make(), weights=Weights(exposure=0, fix=1))
    assert r.score == 0.0
    assert r.why == "no risk signal"
    assert only(make()).component("exposure").value == 0.5


def test_component_lookup_and_records() -> None:
    r = only(make(score=5.0))
    assert r.component("cvss") == Component("cvss", 0.5, 4.0, 2.0)
    with pytest.raises(KeyError):
        r.component("nope")
    (rec,) = rank([make(score=5.0)]).to_records()
    assert rec["cvss"] == 2.0 and rec["rank"] == 1 and rec["finding_arn"] == "arn:f"
    assert all(isinstance(v, (str, int, float, type(None))) for v in rec.values())


# -- properties: each component only ever pushes a finding up ---------------------------

weights_st = st.builds(
    Weights,
    cvss=st.floats(0, 10),
    epss=st.floats(0, 10),
    kev=st.floats(0, 10),
    exploit=st.floats(0, 10),
    fix=st.floats(0, 10),
    exposure=st.floats(0.01, 10),
)
unit = st.floats(0, 1)
cvss_score = st.floats(0, 10).map(lambda x: round(x, 1))


def assert_not_lower(hi: Finding, lo: Finding, **kwargs: Any) -> None:
    """``hi`` scores at least as high as ``lo``, and never ranks below it when it scores higher."""
    ranked = {r.finding.finding_arn: r for r in rank([hi, lo], **kwargs)}
    high, low = ranked[hi.finding_arn], ranked[lo.finding_arn]
    assert high.score >= low.score
    if high.score > low.score:
        assert high.rank < low.rank


@settings(max_examples=60)
@given(weights_st, unit, unit, cvss_score)
def test_higher_epss_never_ranks_lower(w: Weights, a: float, b: float, score: float) -> None:
    lo, hi = sorted((a, b))
    assert_not_lower(
        make("arn:hi", epss=hi, score=score), make("arn:lo", epss=lo, score=score), weights=w
    )


@settings(max_examples=60)
@given(weights_st, cvss_score, cvss_score, unit)
def test_higher_cvss_never_ranks_lower(w: Weights, a: float, b: float, epss: float) -> None:
    lo, hi = sorted((a, b))
    assert_not_lower(
        make("arn:hi", score=hi, epss=epss), make("arn:lo", score=lo, epss=epss), weights=w
    )


@settings(max_examples=40)
@given(weights_st, cvss_score, unit)
def test_kev_never_lowers(w: Weights, score: float, epss: float) -> None:
    details = {"arn:hi": kev("arn:hi")}
    hi, lo = make("arn:hi", score=score, epss=epss), make("arn:lo", score=score, epss=epss)
    assert_not_lower(hi, lo, weights=w, details=details)


@settings(max_examples=40)
@given(weights_st, cvss_score, st.sampled_from([None, "NO"]))
def test_exploit_yes_never_lowers(w: Weights, score: float, other: str | None) -> None:
    assert_not_lower(
        make("arn:hi", score=score, exploit="YES"),
        make("arn:lo", score=score, exploit=other),
        weights=w,
    )


@settings(max_examples=40)
@given(weights_st, st.sampled_from([None, 4.0, 9.8]))
def test_internet_internal_isolated(w: Weights, score: float | None) -> None:
    base = (9.8, NETWORK_VECTOR)
    order = [NetworkExposure.INTERNET, NetworkExposure.INTERNAL, NetworkExposure.ISOLATED]
    findings = [make(f"arn:{e.value}", score=score, base=base, resources=(e.value,)) for e in order]
    ranked = {
        r.finding.finding_arn: r
        for r in rank(findings, weights=w, exposures={e.value: e for e in order})
    }
    scores = [ranked[f"arn:{e.value}"].score for e in order]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[2]


@settings(max_examples=60)
@given(
    weights_st,
    st.one_of(st.none(), cvss_score),
    st.one_of(st.none(), unit),
    st.sampled_from([None, "YES", "NO"]),
    st.sampled_from([None, "YES", "NO", "PARTIAL"]),
    st.booleans(),
    st.sampled_from(list(NetworkExposure)),
)
def test_components_sum_to_the_score(
    w: Weights,
    score: float | None,
    epss: float | None,
    exploit: str | None,
    fix: str | None,
    in_kev: bool,
    exposure: NetworkExposure,
) -> None:
    f = make(score=score, epss=epss, exploit=exploit, fix=fix, base=(9.8, NETWORK_VECTOR))
    r = only(
        f,
        weights=w,
        details={"arn:f": kev("arn:f")} if in_kev else None,
        exposures={"i-1": exposure},
    )
    assert [c.name for c in r.components] == ["cvss", "epss", "kev", "exploit", "fix", "exposure"]
    for c in r.components:
        assert 0 <= c.value <= 1
        assert c.contribution == pytest.approx(c.value * c.weight, abs=1e-4)
    assert math.fsum(c.contribution for c in r.components) == pytest.approx(r.score, abs=1e-3)
    # The score is rounded to 4 places, so it may exceed the exact total by half a unit.
    assert r.score <= w.total + 0.5e-4 + 1e-12


# -- ordering -------------------------------------------------------------------------


def tied_findings() -> list[Finding]:
    return [
        make("arn:c", score=7.0, severity="HIGH"),
        make("arn:a", score=7.0, severity="HIGH"),
        make("arn:b", score=7.0, severity="CRITICAL"),  # same score, higher severity
        make("arn:d", score=7.0, severity="MEDIUM"),
        make("arn:e", score=9.0, severity="LOW"),
        make("arn:f", score=1.0, severity="CRITICAL"),
    ]


def test_ties_break_on_severity_then_arn() -> None:
    ranked = rank(tied_findings())
    assert [r.finding.finding_arn for r in ranked] == [
        "arn:e",
        "arn:b",
        "arn:a",
        "arn:c",
        "arn:d",
        "arn:f",
    ]
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5, 6]


@settings(max_examples=30)
@given(st.randoms(use_true_random=False))
def test_shuffled_input_ranks_the_same(rng: random.Random) -> None:
    findings = tied_findings()
    expected = rank(findings)
    rng.shuffle(findings)
    assert rank(findings) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epss": -0.1}, "weight 'epss' must be a finite number >= 0"),
        ({"cvss": math.nan}, "weight 'cvss' must be a finite number >= 0"),
        ({"kev": math.inf}, "weight 'kev' must be a finite number >= 0"),
        (
            dict.fromkeys(["cvss", "epss", "kev", "exploit", "fix", "exposure"], 0),
            "at least one weight",
        ),
    ],
)
def test_weights_validation(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Weights(**kwargs)


def test_weights_convert_and_freeze() -> None:
    w = Weights(cvss=1)
    assert isinstance(w.cvss, float) and w.total == 1 + 2 + 1.5 + 1 + 0.5 + 1
    with pytest.raises(ValueError, match="could not convert"):
        Weights(fix="high")
    with pytest.raises(AttributeError):
        w.cvss = 2.0  # type: ignore[misc]


# -- roll-ups -------------------------------------------------------------------------


def estate() -> list[Finding]:
    return [
        make("arn:1", vid="CVE-A", score=9.8, resources=("i-1",), account="111"),
        make("arn:2", vid="CVE-A", score=5.0, resources=("i-2",), account="222"),
        make("arn:3", vid="CVE-A", score=4.0, resources=("i-1", "i-3"), account="111"),
        make("arn:4", vid="CVE-B", score=8.0, resources=("i-1",), account="111"),
        make("arn:5", vid="CVE-C", score=2.0, resources=("i-1",), account="111"),
        make("arn:6", vid=None, score=None, resources=("i-4",), account="333"),
    ]


def test_rollup_by_cve_hand_built() -> None:
    rows = rollup_by_cve(rank(estate()))
    assert [(r.vulnerability_id, r.count, r.resources, r.accounts) for r in rows] == [
        ("CVE-A", 3, ("i-1", "i-2", "i-3"), ("111", "222")),
        ("CVE-B", 1, ("i-1",), ("111",)),
        ("CVE-C", 1, ("i-1",), ("111",)),
    ]
    assert rows[0].worst.finding.finding_arn == "arn:1"
    assert rows[0].worst_score == rows[0].worst.score
    assert isinstance(rows[0], CveRollup)
    rec = rows.to_records()[0]
    assert rec["resources"] == "i-1;i-2;i-3" and rec["accounts"] == "111;222" and rec["count"] == 3


def test_rollup_by_resource_hand_built() -> None:
    ranked = rank(estate())
    rows = rollup_by_resource(ranked, top=2)
    assert [(r.resource_id, r.count) for r in rows] == [
        ("i-1", 4),
        ("i-2", 1),
        ("i-3", 1),
        ("i-4", 1),
    ]
    assert [w.finding.finding_arn for w in rows[0].worst] == ["arn:1", "arn:4"]
    assert isinstance(rows[0], ResourceRollup) and rows[0].resource_type == "AWS_EC2_INSTANCE"
    assert len(rollup_by_resource(ranked)[0].worst) == 3
    rec = rows.to_records()[0]
    assert rec["worst_vulnerabilities"] == "CVE-A;CVE-B" and rec["count"] == 4
    # The input order does not matter: rows follow ``rank``.
    assert rollup_by_resource(list(reversed(ranked)), top=2) == rows
    with pytest.raises(ValueError, match="top must be at least 1"):
        rollup_by_resource(ranked, top=0)


def test_rollups_over_the_sample_estate() -> None:
    findings = list(sample_findings())
    ranked = rank(findings)
    assert len(ranked) == len(findings)

    per_cve: Counter[str] = Counter()
    cve_resources: dict[str, set[str]] = {}
    per_resource: Counter[str] = Counter()
    for f in findings:
        for res in f.resources:
            per_resource[res.id] += 1
        vid = f.vulnerability_id
        if vid is not None:
            per_cve[vid] += 1
            cve_resources.setdefault(vid, set()).update(res.id for res in f.resources)

    cves = rollup_by_cve(ranked)
    assert {r.vulnerability_id: r.count for r in cves} == dict(per_cve)
    assert {r.vulnerability_id: set(r.resources) for r in cves} == cve_resources
    assert [r.worst.rank for r in cves] == sorted(r.worst.rank for r in cves)

    resources = rollup_by_resource(ranked)
    assert {r.resource_id: r.count for r in resources} == dict(per_resource)
    assert sum(r.count for r in resources) == sum(len(f.resources) for f in findings)
    assert all(1 <= len(r.worst) <= 3 for r in resources)
    assert len(resources.to_records()) == len(per_resource)


# -- renamed names and the records protocol (issue 15) ------------------------------------


@pytest.mark.parametrize(
    ("old", "new"), [("by_cve", "rollup_by_cve"), ("by_resource", "rollup_by_resource")]
)
def test_old_rollup_names_warn_and_give_the_new_function(old: str, new: str) -> None:
    import inspector_kit.triage as triage

    with pytest.warns(
        DeprecationWarning, match=rf"triage\.{old} is deprecated: use .*triage\.{new}"
    ):
        function = getattr(triage, old)
    assert function is getattr(triage, new)
    assert old not in triage.__all__
    with pytest.raises(AttributeError):
        triage.no_such_name  # noqa: B018


def test_records_is_deprecated_and_gives_the_same_rows_as_to_records() -> None:
    from inspector_kit.triage import records

    ranked = rank(estate())
    with pytest.warns(DeprecationWarning, match=r"records\(rows\) is deprecated"):
        rows = records(ranked)
    assert rows == ranked.to_records() == [r.to_record() for r in ranked]


def test_rank_and_rollup_results_carry_columns_matching_their_records() -> None:
    ranked = rank(estate())
    cves = rollup_by_cve(ranked)
    resources = rollup_by_resource(ranked)
    for result, row_type in (
        (ranked, RankedFinding),
        (cves, CveRollup),
        (resources, ResourceRollup),
    ):
        assert isinstance(result, list)
        assert result.columns == row_type.columns
        records = result.to_records()
        assert len(records) == len(result) > 0
        assert all(tuple(r) == result.columns for r in records)
    # The column lists, written out: a renamed record key must fail here.
    assert ranked.columns == (
        "rank", "score", "severity", "vulnerability_id", "resource_id", "aws_account_id",
        "finding_arn", "cvss_source", "cvss", "epss", "kev", "exploit", "fix", "exposure", "why",
    )  # fmt: skip
    assert cves.columns[:2] == ("vulnerability_id", "worst_score")
    assert resources.columns[-1] == "worst_findings"
    # Slicing a result gives a plain list, as it did before results had a type.
    assert type(ranked[:1]) is list


# -- runtime reachability (issue 16 §5): an optional seventh component -----------------


def reach(arn: str, *statuses: str | None, score: float = 5.0, **package: Any) -> Finding:
    """A finding whose vulnerable packages carry ``statuses`` (None: the field is absent)."""
    packages = []
    for n, status in enumerate(statuses):
        p: dict[str, Any] = {"name": f"lib{n}", "version": "1.0", "packageManager": "NPM"}
        if status is not None:
            p["runtimeReachability"] = status
        packages.append({**p, **package})
    members = package_details("CVE-2024-0001", vulnerablePackages=packages)
    return Finding.from_api(
        finding_payload(
            findingArn=arn,
            inspectorScore=score,
            packageVulnerabilityDetails=members,
            resources=[{"type": "AWS_EC2_INSTANCE", "id": "i-1"}],
        )
    )


# The rule written out (issue 16): any REACHABLE -> 1; every package NOT_REACHABLE -> 0;
# otherwise UNKNOWN -> the middle value.
REACH_TABLE = [
    (("REACHABLE",), 1.0),
    (("NOT_REACHABLE", "REACHABLE"), 1.0),
    (("UNKNOWN", "REACHABLE", None), 1.0),
    (("NOT_REACHABLE",), 0.0),
    (("NOT_REACHABLE", "NOT_REACHABLE"), 0.0),
    (("NOT_REACHABLE", "UNKNOWN"), 0.5),
    (("NOT_REACHABLE", None), 0.5),
    (("UNKNOWN",), 0.5),
    ((None,), 0.5),
    (("PARTIALLY_REACHABLE_SOMEDAY",), 0.5),  # a value newer than the model: not evidence
    ((), 0.5),  # no vulnerable package at all
]


def test_default_ranking_has_no_reachability_component_column_or_note() -> None:
    findings = [*estate(), reach("arn:r", "REACHABLE"), reach("arn:n", "NOT_REACHABLE")]
    for weights in (None, Weights(), Weights(reachability=0), Weights(reachability=None)):
        ranked = rank(findings, weights=weights)
        assert "reachability" not in ranked.columns
        assert all(r.reachability is None for r in ranked)
        assert all("reachability" not in r.why for r in ranked)
        assert all(tuple(rec) == ranked.columns for rec in ranked.to_records())
        assert [c.name for c in ranked[0].components] == [
            "cvss", "epss", "kev", "exploit", "fix", "exposure",
        ]  # fmt: skip
    # The two findings differ only in reachability: without the component they tie.
    plain = {r.finding.finding_arn: r.score for r in rank(findings)}
    assert plain["arn:r"] == plain["arn:n"] == 0.5 * 4 + 0.5 * 1


@pytest.mark.parametrize(("statuses", "expected"), REACH_TABLE)
def test_weighted_reachability_adds_weight_times_the_table_value(
    statuses: tuple[str | None, ...], expected: float
) -> None:
    finding = reach("arn:x", *statuses)
    without = only(finding).score
    ranked = only(finding, weights=Weights(reachability=2))
    assert ranked.component("reachability") == Component(
        "reachability", expected, 2.0, expected * 2
    )
    assert ranked.score == pytest.approx(without + 2 * expected)
    assert ranked.reachability is not None and ranked.reachability.value == expected
    # why always says what Inspector found, also when the component contributed nothing.
    status = {1.0: "REACHABLE", 0.0: "NOT_REACHABLE", 0.5: "UNKNOWN"}[expected]
    assert f"runtime reachability {status}" in ranked.why


def test_unknown_reachability_value_is_configurable_and_checked() -> None:
    finding = reach("arn:x", "UNKNOWN")
    weights = Weights(reachability=4)
    assert (
        only(finding, weights=weights, reachability_unknown=0.25)
        .component("reachability")
        .contribution
        == 1.0
    )
    assert (
        only(finding, weights=weights, reachability_unknown=0).component("reachability").value
        == 0.0
    )
    for bad in (-0.1, 1.5, math.nan):
        with pytest.raises(TriageError, match="reachability_unknown must be between 0 and 1"):
            rank([finding], weights=weights, reachability_unknown=bad)
    with pytest.raises(TriageError, match="weight 'reachability' must be a finite number"):
        Weights(reachability=-1)


def test_weighted_reachability_orders_reachable_first_and_adds_a_column() -> None:
    # Same score otherwise; ARN order would put the unreachable one first.
    findings = [reach("arn:a", "NOT_REACHABLE"), reach("arn:m", None), reach("arn:z", "REACHABLE")]
    assert [r.finding.finding_arn for r in rank(findings)] == ["arn:a", "arn:m", "arn:z"]
    ranked = rank(findings, weights=Weights(reachability=3))
    assert [r.finding.finding_arn for r in ranked] == ["arn:z", "arn:m", "arn:a"]
    assert ranked.columns == (
        "rank", "score", "severity", "vulnerability_id", "resource_id", "aws_account_id",
        "finding_arn", "cvss_source", "cvss", "epss", "kev", "exploit", "fix", "exposure",
        "reachability", "why",
    )  # fmt: skip
    records = ranked.to_records()
    assert [rec["reachability"] for rec in records] == [3.0, 1.5, 0.0]
    pairs = zip(records, ranked, strict=True)
    assert all(tuple(rec) == ranked.columns == type(r).columns for rec, r in pairs)
    assert Weights(reachability=3).total == 13.0


def test_why_names_packages_by_inspectors_own_purl_first() -> None:
    own = "pkg:rpm/amazon/libcurl@8.5.0-1.amzn2023?arch=x86_64"
    finding = reach(
        "arn:x",
        "REACHABLE",
        purl=own,
        runtimeReachabilityReason="PROCESS_OBSERVED_IN_EC2_RUNTIME",
    )
    why = only(finding, weights=Weights(reachability=1)).why
    assert why.endswith(f"runtime reachability REACHABLE: {own} (PROCESS_OBSERVED_IN_EC2_RUNTIME)")
    # Without Inspector's purl, the package's own (built) Package URL.
    built = only(reach("arn:y", "NOT_REACHABLE"), weights=Weights(reachability=1)).why
    assert built.endswith("runtime reachability NOT_REACHABLE: pkg:npm/lib0@1.0")


def test_a_reachability_ranking_goes_through_the_writers_with_its_column() -> None:
    from inspector_kit import formats

    ranked = rank([reach("arn:x", "REACHABLE")], weights=Weights(reachability=2))
    header, row = formats.to_csv(ranked).splitlines()
    assert header.split(",") == list(ranked.columns)
    assert row.split(",")[ranked.columns.index("reachability")] == "2.0"
    # A roll-up of it works as with any ranking.
    assert rollup_by_cve(ranked)[0].worst is ranked[0]
