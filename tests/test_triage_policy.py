"""TriagePolicy: default deadlines, conditions, KEV tightening, plans and the YAML file form."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding
from inspector_kit.models import FindingDetail
from inspector_kit.scoring import NetworkExposure
from inspector_kit.testing import finding_payload
from inspector_kit.triage import (
    BusinessCalendar,
    Condition,
    Deadline,
    PolicyFileError,
    Rule,
    TriageItem,
    TriagePlan,
    TriagePolicy,
)

JP = BusinessCalendar("JP", timezone="Asia/Tokyo")
UTC = timezone.utc
NOW = datetime(2026, 12, 1, 3, tzinfo=UTC)  # 2026-12-01 12:00 in Tokyo
V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def finding(n: int = 0, **members: Any) -> Finding:
    members.setdefault(
        "findingArn", f"arn:aws:inspector2:ap-northeast-1:111122223333:finding/{n:032x}"
    )
    return Finding.from_api(finding_payload(**members))


def kev(f: Finding, due: str) -> dict[str, FindingDetail]:
    return {
        f.finding_arn: FindingDetail.from_api(
            {"findingArn": f.finding_arn, "cisaData": {"dateDue": due}}
        )
    }


def one(policy: TriagePolicy, f: Finding, **kwargs: Any) -> TriageItem:
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("calendar", JP)
    return policy.plan([f], **kwargs).items[0]


# ----------------------------------------------------------------------------- default


@pytest.mark.parametrize(
    ("severity", "first_seen", "due", "queue"),
    [
        # Friday 2026-05-01 19:00 Tokyo; Golden Week holidays until Wednesday 05-06.
        ("HIGH", "2026-05-01T10:00:00Z", date(2026, 5, 7), "next-business-day"),
        ("CRITICAL", "2026-05-01T10:00:00Z", date(2026, 5, 7), "next-business-day"),
        # 2026-11-20 -> first business day of December (Tuesday 12-01).
        ("MEDIUM", "2026-11-20T01:00:00Z", date(2026, 12, 1), "monthly"),
        ("LOW", "2026-11-20T01:00:00Z", date(2026, 12, 1), "monthly"),
        ("UNTRIAGED", "2026-11-20T01:00:00Z", date(2026, 12, 1), "monthly"),
        # 2026-12-31 late in UTC is 2027-01-01 in Tokyo -> February; Jan 2027: 1-3 holidays.
        ("MEDIUM", "2026-12-31T20:00:00Z", date(2027, 2, 1), "monthly"),
        ("MEDIUM", "2026-12-30T20:00:00Z", date(2027, 1, 4), "monthly"),
        ("INFORMATIONAL", "2026-11-20T01:00:00Z", None, "informational"),
    ],
)
def test_default_deadlines(severity: str, first_seen: str, due: date | None, queue: str) -> None:
    item = one(TriagePolicy.default(), finding(severity=severity, firstObservedAt=first_seen))
    assert (item.due, item.queue, item.kev_due) == (due, queue, None)
    assert item.rule is not None and item.rule in item.why


def test_high_on_friday_evening_tokyo_vs_utc_calendar() -> None:
    f = finding(severity="HIGH", firstObservedAt="2026-05-01T10:00:00Z")
    assert one(TriagePolicy.default(), f).due == date(2026, 5, 7)
    assert one(TriagePolicy.default(), f, calendar=BusinessCalendar("US")).due == date(2026, 5, 4)


def test_kev_due_date_tightens_and_is_explained() -> None:
    f = finding(severity="MEDIUM", firstObservedAt="2026-11-20T01:00:00Z")
    item = one(TriagePolicy.default(), f, details=kev(f, "2026-11-25T00:00:00Z"))
    assert (item.due, item.kev_due, item.queue) == (
        date(2026, 11, 25),
        date(2026, 11, 25),
        "monthly",
    )
    assert "CISA KEV due date 2026-11-25 tightens it" in item.why
    assert item.overdue and not item.due_today

    later = one(TriagePolicy.default(), f, details=kev(f, "2027-01-31T00:00:00Z"))
    assert later.due == date(2026, 12, 1) and "is not earlier" in later.why

    info = finding(severity="INFORMATIONAL")
    assert one(TriagePolicy.default(), info, details=kev(info, "2026-12-24T00:00:00Z")).due == date(
        2026, 12, 24
    )


# ----------------------------------------------------------------------------- conditions


def only(condition: Condition, *more: Rule) -> TriagePolicy:
    return TriagePolicy([Rule("r", condition, Deadline.calendar_days(1), "q"), *more])


def test_rescored_severity_condition_uses_exposure() -> None:
    pkg = {
        "vulnerabilityId": "CVE-2026-0001",
        "source": "NVD",
        "cvss": [{"source": "NVD", "baseScore": 9.8, "scoringVector": V31, "version": "3.1"}],
    }
    f = finding(severity="CRITICAL", packageVulnerabilityDetails=pkg)
    policy = only(Condition(rescored_severities={"CRITICAL"}))
    rid = f.primary_resource.id
    internet = one(policy, f, exposures={rid: "INTERNET"})
    assert internet.rule == "r"
    assert "rescored severity CRITICAL (INTERNET exposure) in {CRITICAL}" in internet.why
    internal = one(policy, f, exposures={rid: "INTERNAL"})  # AV:N -> A: 8.8 HIGH
    assert internal.queue == "unmatched"


def test_exposure_tag_and_account_conditions() -> None:
    tagged = {"type": "AWS_EC2_INSTANCE", "id": "i-1", "tags": {"env": "prod", "team": "pay"}}
    f = finding(resources=[tagged], awsAccountId="444455556666")
    plan_kw: dict[str, Any] = {"exposures": {"i-1": "INTERNET"}}
    assert one(only(Condition(exposures={"INTERNET"})), f, **plan_kw).rule == "r"
    assert one(only(Condition(exposures={"INTERNAL"})), f, **plan_kw).rule is None
    assert one(only(Condition(exposures={"UNKNOWN"})), f).rule == "r"
    assert one(only(Condition(tags={"env": "prod", "team": "*"})), f).rule == "r"
    assert one(only(Condition(tags={"env": "dev"})), f).rule is None
    assert one(only(Condition(tags={"owner": "*"})), f).rule is None
    assert one(only(Condition(accounts={"444455556666"})), f).rule == "r"
    assert one(only(Condition(accounts={"111122223333"})), f).rule is None


def test_matches_reason_and_flags() -> None:
    f = finding(severity="HIGH", fixAvailable="PARTIAL", exploitAvailable="NO")
    kw: dict[str, Any] = {
        "kev_due": None,
        "exposure": NetworkExposure.UNKNOWN,
        "rescored_severity": None,
    }
    assert Condition(severities={"CRITICAL", "HIGH"}, fix_available=True).matches(f, **kw) == (
        True,
        "severity HIGH in {CRITICAL, HIGH}; fix available (PARTIAL)",
    )
    assert Condition(exploit_available=True).matches(f, **kw) == (
        False,
        "exploit not available (NO)",
    )
    assert Condition(severities={"LOW"}).matches(f, **kw) == (False, "severity HIGH not in {LOW}")
    assert Condition(kev=True).matches(f, **kw)[0] is False
    assert Condition(kev=True).matches(f, **{**kw, "kev_due": date(2026, 1, 1)})[0] is True
    assert Condition(finding_types={"NETWORK_REACHABILITY"}).matches(f, **kw)[0] is False
    with pytest.raises(ValueError, match="unknown severity 'SEVERE'"):
        Condition(severities={"SEVERE"})


def test_first_match_wins_and_unmatched() -> None:
    policy = TriagePolicy(
        [
            Rule("prod", Condition(tags={"env": "prod"}), Deadline.business_days(0), "urgent"),
            Rule("high", Condition(severities={"HIGH"}), Deadline.calendar_days(30), "later"),
        ],
        name="ops",
    )
    prod = finding(
        1, resources=[{"type": "AWS_EC2_INSTANCE", "id": "i-1", "tags": {"env": "prod"}}]
    )
    assert one(policy, prod).rule == "prod"
    assert one(policy, finding(2)).rule == "high"
    lost = one(policy, finding(3, severity="LOW"))
    assert (lost.queue, lost.rule, lost.due) == ("unmatched", None, None)
    assert lost.why == "no rule of policy ops matched; no deadline"


# ----------------------------------------------------------------------------- plan


def test_plan_order_overdue_due_today_and_groups() -> None:
    pkg = {"vulnerabilityId": "CVE-2026-0002", "source": "NVD"}
    fs = [
        finding(1, severity="LOW", firstObservedAt="2026-11-02T01:00:00Z"),  # due 12-01
        finding(2, severity="HIGH", firstObservedAt="2026-11-26T01:00:00Z"),  # due 11-27
        finding(
            3,
            severity="CRITICAL",
            firstObservedAt="2026-11-30T01:00:00Z",
            packageVulnerabilityDetails=pkg,
            awsAccountId="444455556666",
        ),  # due 12-01
        finding(4, severity="INFORMATIONAL", packageVulnerabilityDetails=pkg),
    ]
    plan = TriagePolicy.default().plan(reversed(fs), now=NOW, calendar=JP)
    assert plan.today == date(2026, 12, 1)
    assert [i.finding for i in plan.items] == [fs[1], fs[2], fs[0], fs[3]]
    assert [i.finding for i in plan.overdue] == [fs[1]]
    assert [i.finding for i in plan.due_today] == [fs[2], fs[0]]
    assert {q: len(v) for q, v in plan.by_queue().items()} == {
        "next-business-day": 2,
        "monthly": 1,
        "informational": 1,
    }
    assert {a: len(v) for a, v in plan.by_account().items()} == {
        "111122223333": 3,
        "444455556666": 1,
    }
    assert list(plan.by_resource()) == ["i-0123456789abcdef0"]
    assert [i.finding for i in plan.by_cve()["CVE-2026-0002"]] == [fs[2], fs[3]]
    records = plan.to_records()
    assert list(records[0]) == [
        "finding_arn",
        "aws_account_id",
        "region",
        "resource_id",
        "vulnerability_id",
        "severity",
        "status",
        "queue",
        "rule",
        "due",
        "kev_due",
        "overdue",
        "due_today",
        "days_overdue",
        "first_seen_unknown",
        "review_decision",
        "reviewed_at",
        "reviewer",
        "why",
    ]
    assert (records[0]["due"], records[0]["overdue"], records[3]["due"]) == (
        date(2026, 11, 27),
        True,
        None,
    )
    text = plan.to_text()
    assert text.startswith("Triage plan for 2026-12-01: 4 findings, 1 overdue, 2 due today")
    assert "  next-business-day: 2 (1 overdue)" in text


def test_plan_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="naive"):
        TriagePolicy.default().plan([finding()], now=datetime(2026, 1, 1), calendar=JP)


# ----------------------------------------------------------------------------- YAML

FULL = """\
name: operations
rules:
  - name: prod-kev
    queue: urgent
    when:
      severities: [HIGH, CRITICAL]
      rescored_severities: [CRITICAL]
      finding_types: [PACKAGE_VULNERABILITY]
      kev: true
      exploit_available: true
      fix_available: false
      exposures: [INTERNET, INTERNAL]
      tags: {env: prod, owner: "*"}
      accounts: ["012345678901", "111122223333"]
    deadline:
      business_days: 2
  - name: monthly
    queue: monthly
    deadline:
      monthly: {business_day: 3}
  - name: month-out
    queue: later
    deadline: {calendar_days: 30}
  - name: never
    queue: info
    deadline: none
"""


def test_yaml_reads_every_field_and_round_trips(tmp_path: Path) -> None:
    policy = TriagePolicy.from_yaml(FULL)
    c = policy.rules[0].condition
    assert policy.name == "operations"
    assert c.accounts == frozenset({"012345678901", "111122223333"})
    assert c.tags == {"env": "prod", "owner": "*"}
    assert (c.kev, c.exploit_available, c.fix_available) == (True, True, False)
    assert [r.deadline for r in policy.rules] == [
        Deadline.business_days(2),
        Deadline.monthly(business_day=3),
        Deadline.calendar_days(30),
        Deadline.none(),
    ]
    assert TriagePolicy.from_yaml(policy.to_yaml()) == policy
    assert TriagePolicy.from_yaml(TriagePolicy.default().to_yaml()) == TriagePolicy.default()
    path = tmp_path / "policy.yaml"
    policy.save(path)
    assert TriagePolicy.load(path) == policy
    assert TriagePolicy.load(str(path)) == policy


def errors(text: str) -> tuple[str, ...]:
    with pytest.raises(PolicyFileError) as info:
        TriagePolicy.from_yaml(text, source="policy.yaml")
    assert isinstance(info.value, ValueError)
    return info.value.problems


RULE = "rules:\n  - name: a\n    queue: q\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "rules:\n  - name: a\n   queue: q\n",
            "policy.yaml line 3: not valid YAML at 'queue: q'",
        ),
        (
            RULE + "    deadline: none\n    colour: red\n",
            "policy.yaml line 5: rules[0].colour is not a known field (expected one of: "
            "deadline, name, notify_now, queue, when)",
        ),
        (
            RULE + "    deadline: none\n    when:\n      severities: [HIGH, SEVERE]\n",
            "policy.yaml line 6: rules[0].when.severities[1]: unknown severity 'SEVERE'",
        ),
        (
            RULE + "    deadline:\n      calendar_days: -3\n",
            "policy.yaml line 5: rules[0].deadline.calendar_days must be a non-negative "
            "integer, got -3",
        ),
        (
            RULE + "    deadline:\n      business_days: two\n",
            "policy.yaml line 5: rules[0].deadline.business_days must be a non-negative "
            'integer, got "two"',
        ),
        (
            RULE + "    deadline: {weekly: 1}\n",
            "policy.yaml line 4: rules[0].deadline.weekly is not a known field",
        ),
        (
            RULE + "    deadline: soon\n",
            "policy.yaml line 4: rules[0].deadline must be none or one of",
        ),
        (
            RULE + "    deadline: {monthly: {business_day: 0}}\n",
            "policy.yaml line 4: rules[0].deadline.monthly.business_day must be an integer "
            ">= 1, got 0",
        ),
        (
            RULE + "    deadline: none\n    when: {kev: maybe}\n",
            'policy.yaml line 5: rules[0].when.kev must be true or false, got "maybe"',
        ),
        (
            RULE + "    deadline: none\n    when: {accounts: [1234]}\n",
            "policy.yaml line 5: rules[0].when.accounts[0]: account ids are 12 digits, got '1234'",
        ),
        (
            "rules:\n  - name: a\n    deadline: none\n",
            "policy.yaml line 2: rules[0].queue is required",
        ),
        ("rules: {}\n", "policy.yaml line 1: rules must be a list of rules, got a mapping"),
        ("", "policy.yaml: the file is empty"),
    ],
)
def test_invalid_files_name_line_and_field(text: str, problem: str) -> None:
    found = errors(text)
    assert len(found) == 1, found
    assert found[0].startswith(problem), found[0]


def test_every_problem_is_collected() -> None:
    text = (
        "name: x\nrules:\n"
        "  - name: a\n    queue: q\n    deadline: {business_days: two}\n"
        "  - name: a\n    queue: q\n    deadline: none\n"
        "  - name: b\n    queue: q\n    deadline: none\n    when: {severities: [BAD]}\n"
        "extra: 1\n"
    )
    with pytest.raises(PolicyFileError) as info:
        TriagePolicy.from_yaml(text, source="policy.yaml")
    lines = [p.split(":")[0] for p in info.value.problems]
    # Unknown top-level key first, then each rule's problems in file order.
    assert lines == ["policy.yaml line 13", "policy.yaml line 5", "policy.yaml line 12"]
    assert str(info.value).startswith("policy.yaml: 3 problems in the triage policy\n  policy.yaml")
    again = pickle.loads(pickle.dumps(info.value))
    assert again.problems == info.value.problems


def test_duplicate_rule_names_are_rejected() -> None:
    text = RULE + "    deadline: none\n  - name: a\n    queue: r\n    deadline: none\n"
    assert errors(text) == ("policy.yaml line 5: rules[1].name 'a' is also rules[0]",)
    with pytest.raises(ValueError, match="unique"):
        TriagePolicy([Rule("a", Condition(), Deadline.none(), "q")] * 2)


def test_kev_due_date_is_the_published_calendar_date_in_any_time_zone() -> None:
    f = finding(severity="LOW")
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    for zone, country in (("America/Los_Angeles", "US"), ("Asia/Tokyo", "JP")):
        plan = TriagePolicy.default().plan(
            [f],
            now=now,
            calendar=BusinessCalendar(country, timezone=zone),
            details=kev(f, "2026-12-01T00:00:00Z"),
        )
        assert plan.items[0].kev_due == date(2026, 12, 1), zone


def test_monthly_deadline_beyond_the_months_business_days_is_its_last_business_day() -> None:
    calendar = BusinessCalendar("JP", timezone="Asia/Tokyo")
    due = Deadline.monthly(business_day=25).due(
        datetime(2026, 1, 10, tzinfo=timezone.utc), calendar
    )
    assert due == date(2026, 2, 27)  # February 2026 has 18 business days in Japan


def test_text_summary_lists_at_most_limit_items() -> None:
    findings = [finding(n, severity="HIGH") for n in range(12)]
    plan = TriagePolicy.default().plan(findings, now=NOW, calendar=JP)
    text = plan.to_text(limit=3)
    assert len(plan.overdue) == 12
    assert text.count("[next-business-day]") == 3
    assert text.splitlines()[-1] == "  ... and 9 more"
    assert plan.to_text(limit=None).count("[next-business-day]") == 12


# ----------------------------------------------------------------------------- hostile files
# Issue 14, item 13: whatever the file holds, only PolicyFileError escapes, with line and field.

DEADLINE = RULE + "    deadline:\n      {kind}: {value}\n"


def only_problem(text: str) -> str:
    found = errors(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("kind", "value", "read"),
    [
        ("business_days", "010", "YAML 1.1 reads 010 as 8 (octal); write 8 (or 10"),
        ("calendar_days", "1:30", "YAML 1.1 reads 1:30 as 90 (base 60); write 90"),
        ("business_days", "0x10", "YAML 1.1 reads 0x10 as 16 (hexadecimal); write 16"),
        ("business_days", "0b11", "YAML 1.1 reads 0b11 as 3 (binary); write 3"),
        ("calendar_days", "1_0", "YAML 1.1 reads 1_0 as 10 (digits with _); write 10"),
    ],
)
def test_yaml_1_1_number_forms_are_rejected_saying_what_yaml_read(
    kind: str, value: str, read: str
) -> None:
    problem = only_problem(DEADLINE.format(kind=kind, value=value))
    assert problem.startswith(
        f"policy.yaml line 5: rules[0].deadline.{kind} must be plain decimal digits: {read}"
    ), problem


def test_plain_decimal_deadlines_still_read() -> None:
    text = DEADLINE.format(kind="calendar_days", value="+30")
    assert TriagePolicy.from_yaml(text).rules[0].deadline == Deadline.calendar_days(30)
    text = DEADLINE.format(kind="business_days", value="0")
    assert TriagePolicy.from_yaml(text).rules[0].deadline == Deadline.business_days(0)


@pytest.mark.parametrize(
    ("field", "value", "read"),
    [
        ("queue", "010", "YAML 1.1 reads 010 as the number 8: quote it"),
        ("queue", "1:30", "YAML 1.1 reads 1:30 as the number 90: quote it"),
        ("queue", "yes", "YAML 1.1 reads yes as true: quote it"),
        ("name", "2026-01-01", "YAML 1.1 reads 2026-01-01 as a date: quote it"),
        ("name", "1.5", "YAML 1.1 reads 1.5 as the number 1.5: quote it"),
    ],
)
def test_string_fields_that_yaml_reads_as_something_else_say_quote_it(
    field: str, value: str, read: str
) -> None:
    other = "queue: q" if field == "name" else "name: a"
    text = f"rules:\n  - {other}\n    {field}: {value}\n    deadline: none\n"
    problem = only_problem(text)
    assert problem.startswith(f"policy.yaml line 3: rules[0].{field} must be a string: {read}")
    assert f'"{value}"' in problem


@pytest.mark.parametrize(
    ("kind", "value", "bound"),
    [
        ("business_days", "1000000000000", "at most 1000"),
        ("business_days", "9" * 5000, "at most 1000"),
        ("calendar_days", "1501", "at most 1500"),
        ("calendar_days", "-" + "9" * 5000, "a non-negative integer"),
    ],
)
def test_absurd_deadlines_are_rejected_with_their_bound(kind: str, value: str, bound: str) -> None:
    problem = only_problem(DEADLINE.format(kind=kind, value=value))
    assert problem.startswith(f"policy.yaml line 5: rules[0].deadline.{kind} must be "), problem
    assert bound in problem
    assert len(problem) < 300  # a 5,000-digit value is shortened in the message


def test_monthly_business_day_is_bounded_by_a_months_length() -> None:
    problem = only_problem(RULE + "    deadline: {monthly: {business_day: 32}}\n")
    assert "rules[0].deadline.monthly.business_day must be at most 31, got 32" in problem


def test_deadline_bounds_hold_in_python_and_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match=r"business_days needs n <= 1000, got 1000000000000"):
        Deadline.business_days(10**12)
    with pytest.raises(ValueError, match=r"calendar_days needs n <= 1500"):
        Deadline.calendar_days(1501)
    with pytest.raises(ValueError, match=r"monthly\(business_day=n\) needs n <= 31"):
        Deadline.monthly(business_day=32)
    monkeypatch.setattr(Deadline, "MAX_BUSINESS_DAYS", 2000)
    assert Deadline.business_days(2000).n == 2000
    assert TriagePolicy.from_yaml(DEADLINE.format(kind="business_days", value=2000)).rules[
        0
    ].deadline == Deadline.business_days(2000)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("rules:\n  - name: \x07a\n", 2, "not valid YAML: control character '\\x07'"),
        ("rules: []\n\x00", 2, "not valid YAML: control character '\\x00'"),
        ("rules:\n  - name: \x1b[31mred\n", 2, "not valid YAML: control character '\\x1b'"),
    ],
)
def test_raw_control_characters_are_policy_file_errors(text: str, line: int, message: str) -> None:
    problem = only_problem(text)
    assert problem.startswith(f"policy.yaml line {line}: {message}"), problem


def test_escaped_control_characters_in_names_are_rejected() -> None:
    text = 'rules:\n  - name: a\n    queue: "\\e[2Jpager"\n    deadline: none\n'
    problem = only_problem(text)
    assert problem.startswith("policy.yaml line 3: rules[0].queue must not hold control characters")
    assert "\x1b" not in problem
    with pytest.raises(ValueError, match="control characters"):
        Rule("a", Condition(), Deadline.none(), "\x1b[2J")


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_deep_nesting_is_a_policy_file_error(opener: str) -> None:
    # That it is refused at level 33 without reading the rest (in time linear in the input)
    # is measured in benchmarks/bench_scaling.py, not asserted here.
    if opener == "- ":
        deep = "rules:\n" + "- " * 5000 + "x\n"
    else:
        closer = "]" if opener == "[" else "}"
        deep = "rules: " + opener * 5000 + closer * 5000 + "\n"
    problem = only_problem(deep)
    assert "nested deeper than 32 levels" in problem
    assert problem.startswith("policy.yaml line ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("? [a, b]\n: x\nrules: []\n", "policy.yaml line 1: a list is not a field name"),
        (
            RULE + "    deadline: none\n    ? {a: 1}\n    : x\n",
            "policy.yaml line 5: rules[0]: a mapping is not a field name",
        ),
        (
            RULE + "    deadline: none\n    when: {tags: {? [a] : b}}\n",
            "policy.yaml line 5: rules[0].when.tags: a list is not a tag key",
        ),
    ],
)
def test_complex_keys_are_policy_file_errors(text: str, problem: str) -> None:
    found = only_problem(text)
    assert found.startswith(problem), found
    assert "Node(" not in found


def test_unreadable_files_are_policy_file_errors_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(PolicyFileError) as info:
        TriagePolicy.load(missing)
    assert info.value.problems == (f"{missing}: cannot read the file: No such file or directory",)
    assert isinstance(info.value.__cause__, FileNotFoundError)
    with pytest.raises(PolicyFileError, match="cannot read the file: Is a directory"):
        TriagePolicy.load(tmp_path)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"name: caf\xe9\nrules: []\n")
    with pytest.raises(PolicyFileError) as info:
        TriagePolicy.load(latin1)
    assert info.value.problems == (
        "latin1.yaml line 1: not UTF-8 (byte 0xe9 at column 10): save the file as UTF-8",
    )


def test_oversized_policies_are_rejected_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(FULL + "#" * 300_000)
    with pytest.raises(PolicyFileError, match=r"larger than 262144 bytes \(max_bytes\)"):
        TriagePolicy.load(big)
    with pytest.raises(PolicyFileError, match=r"larger than 262144 bytes \(max_bytes\)"):
        TriagePolicy.from_yaml(big.read_text())
    with pytest.raises(PolicyFileError, match=r"larger than 100 bytes"):
        TriagePolicy.from_yaml(FULL, max_bytes=100)
    assert TriagePolicy.from_yaml(FULL, max_bytes=len(FULL)).name == "operations"
    small = tmp_path / "small.yaml"
    small.write_text(FULL)
    assert TriagePolicy.load(small, max_bytes=len(FULL)).name == "operations"
    with pytest.raises(PolicyFileError, match=r"larger than 100 bytes"):
        TriagePolicy.load(small, max_bytes=100)


def test_aliases_are_validated_once_not_once_per_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from inspector_kit.triage import _policy_file

    # A shared bad `when` is reported once, at its own line.
    shared = (
        "x: &w {severities: [SEVERE]}\n"
        "rules:\n"
        "  - {name: a, queue: q, deadline: none, when: *w}\n"
        "  - {name: b, queue: q, deadline: none, when: *w}\n"
    )
    found = errors(shared)
    assert [p for p in found if "SEVERE" in p] == [
        "policy.yaml line 1: rules[0].when.severities[0]: unknown severity 'SEVERE' (expected "
        "one of: INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNTRIAGED)"
    ]
    # "Billion laughs": 300 rules sharing one 300-account condition check 300 accounts, not
    # 90,000 (work grows with the file, not with what its aliases expand to).
    checked: list[str] = []

    def account(value: str) -> str:
        checked.append(value)
        return _policy_file._account(value)

    monkeypatch.setitem(_policy_file._WHEN_SETS, "accounts", account)
    accounts = ", ".join(f'"{n:012d}"' for n in range(300))
    rules = "".join(f"  - {{name: r{n}, queue: q, deadline: none, when: *w}}\n" for n in range(300))
    first = f"  - {{name: x, queue: q, deadline: none, when: &w {{accounts: [{accounts}]}}}}\n"
    policy = TriagePolicy.from_yaml(f"rules:\n{first}{rules}")
    assert len(policy.rules) == 301
    assert policy.rules[-1].condition.accounts == policy.rules[0].condition.accounts
    assert len(checked) == 300


def test_a_due_date_past_the_calendar_is_reported_and_the_batch_goes_on() -> None:
    late = finding(1, severity="HIGH", firstObservedAt="9999-12-31T10:00:00Z")
    early = finding(2, severity="LOW", firstObservedAt="0001-01-01T00:00:00Z")
    normal = finding(3, severity="HIGH", firstObservedAt="2026-05-01T10:00:00Z")
    ny = BusinessCalendar("US", timezone="America/New_York")
    for calendar in (JP, ny):
        plan = TriagePolicy.default().plan([late, early, normal], now=NOW, calendar=calendar)
        by_arn = {i.finding.finding_arn: i for i in plan.items}
        assert by_arn[normal.finding_arn].due is not None
        assert by_arn[late.finding_arn].due is None
        assert "no due date: " in by_arn[late.finding_arn].why
        assert "9999-12-31" in by_arn[late.finding_arn].why
    assert (
        TriagePolicy.default().plan([early], now=NOW, calendar=JP).items[0].due
        == date(1, 2, 1)  # January 0001 in Tokyo: the first business day of February
    )


def test_plan_text_shows_finding_data_as_one_printable_line() -> None:
    # A line break or an escape sequence in an id must not fake a line or reach a terminal.
    from inspector_kit import Finding
    from inspector_kit.testing import finding_payload
    from inspector_kit.triage import BusinessCalendar, TriagePolicy

    payload = finding_payload()
    payload["resources"][0]["id"] = "i-0abc\nOverdue:\x1b[2J"
    finding = Finding.from_api(payload)
    plan = TriagePolicy.default().plan(
        [finding],
        calendar=BusinessCalendar("US"),
        now=datetime(2026, 10, 5, tzinfo=timezone.utc),
    )
    text = plan.to_text()
    assert "\x1b" not in text
    assert [line for line in text.splitlines() if line.startswith("Overdue:")] == ["Overdue:"]
    assert "i-0abc\\nOverdue:\\x1b[2J" in text


def test_plan_columns_and_records_keep_dates_as_dates() -> None:
    plan = TriagePolicy.default().plan(
        [finding(severity="HIGH")], now=datetime(2026, 12, 1, tzinfo=timezone.utc), calendar=JP
    )
    (record,) = plan.to_records()
    assert tuple(record) == plan.columns == TriagePlan.columns
    assert type(record["due"]) is date and record["due"] == plan.items[0].due
    assert record["kev_due"] is None


def test_policy_values_raise_triage_errors() -> None:
    from inspector_kit.errors import InputError, TriageError, TriageTypeError

    with pytest.raises(TriageError, match="unknown severity 'SEVERE'"):
        Condition(severities={"SEVERE"})
    with pytest.raises(TriageTypeError, match="n must be an integer"):
        Deadline.business_days("3")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Deadline.business_days(1.5)  # type: ignore[arg-type]
    assert issubclass(TriageError, InputError) and issubclass(PolicyFileError, TriageError)
    with pytest.raises(TriageError, match="unique"):
        TriagePolicy([Rule("a", Condition(), Deadline.none(), "q")] * 2)
