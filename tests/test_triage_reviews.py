"""Triage in operation: status as a condition, the review log, days overdue, unknown first-seen.

Expected dates are worked out by hand on the Japanese calendar of November/December 2026:
3 Nov (Tue) is Culture Day and 23 Nov (Mon) Labour Thanksgiving Day; 1 Dec is a Tuesday.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding
from inspector_kit.errors import ReviewLogError, TriageError, TriageTypeError
from inspector_kit.formats import to_csv
from inspector_kit.testing import finding_payload
from inspector_kit.triage import (
    BusinessCalendar,
    Decision,
    PolicyFileError,
    Review,
    ReviewLog,
    TriagePolicy,
)

JP = BusinessCalendar("JP", timezone="Asia/Tokyo")
UTC = timezone.utc
JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 12, 1, 3, tzinfo=UTC)  # Tue 2026-12-01 12:00 in Tokyo
POLICY = TriagePolicy.default()


def finding(n: int = 0, **members: Any) -> Finding:
    members.setdefault(
        "findingArn", f"arn:aws:inspector2:ap-northeast-1:111122223333:finding/{n:032x}"
    )
    members.setdefault("severity", "HIGH")
    members.setdefault("firstObservedAt", "2026-11-02T01:00:00Z")  # Mon 2 Nov, 10:00 JST
    return Finding.from_api(finding_payload(**members))


def review(f: Finding, decision: str, at: datetime, **kw: Any) -> Review:
    return Review.of(f, reviewer="aiko", decision=decision, at=at, **kw)


# ----------------------------------------------------------------------------- item 1: status


def test_default_policy_plans_active_only_and_counts_the_rest() -> None:
    fs = [
        finding(1),
        finding(2, status="CLOSED"),
        finding(3, status="SUPPRESSED"),
        finding(4, status="CLOSED"),
    ]
    plan = POLICY.plan(fs, now=NOW, calendar=JP)
    assert [i.finding for i in plan.items] == [fs[0]]
    assert dict(plan.excluded_by_status) == {"CLOSED": 2, "SUPPRESSED": 1}
    assert plan.statuses == ("ACTIVE",)
    text = plan.to_text()
    assert "left out by status (the policy plans ACTIVE): CLOSED 2, SUPPRESSED 1" in text
    assert "left out by status" in plan._repr_html_()


def test_statuses_can_include_suppressed() -> None:
    policy = TriagePolicy(POLICY.rules, name="with-suppressed", statuses=["suppressed", "ACTIVE"])
    assert policy.statuses == ("ACTIVE", "SUPPRESSED")
    fs = [finding(1), finding(2, status="SUPPRESSED"), finding(3, status="CLOSED")]
    plan = policy.plan(fs, now=NOW, calendar=JP)
    assert {i.finding.finding_arn for i in plan.items} == {fs[0].finding_arn, fs[1].finding_arn}
    assert dict(plan.excluded_by_status) == {"CLOSED": 1}


def test_statuses_are_validated() -> None:
    with pytest.raises(TriageError, match="unknown finding status 'OPEN'"):
        TriagePolicy(POLICY.rules, statuses=["OPEN"])
    with pytest.raises(TriageError, match="at least one"):
        TriagePolicy(POLICY.rules, statuses=[])


def test_statuses_in_yaml_round_trip_and_bad_ones_name_the_line() -> None:
    assert "statuses" not in POLICY.to_yaml()  # the default is not written
    policy = TriagePolicy(POLICY.rules, name="x", statuses=["SUPPRESSED", "ACTIVE"])
    assert "statuses: [ACTIVE, SUPPRESSED]" in policy.to_yaml()
    assert TriagePolicy.from_yaml(policy.to_yaml()) == policy
    bad = "name: x\nstatuses:\n  - ACTIVE\n  - OPEN\nrules: []\n"
    with pytest.raises(PolicyFileError) as info:
        TriagePolicy.from_yaml(bad, source="policy.yaml")
    assert info.value.problems == (
        "policy.yaml line 4: statuses[1]: unknown finding status 'OPEN' "
        "(expected one of: ACTIVE, SUPPRESSED, CLOSED)",
    )


def test_notify_now_rule_key_round_trips() -> None:
    text = (
        "rules:\n  - name: page\n    queue: pager\n    notify_now: true\n"
        "    deadline: {business_days: 0}\n"
    )
    policy = TriagePolicy.from_yaml(text)
    assert policy.rules[0].notify_now is True
    assert TriagePolicy.from_yaml(policy.to_yaml()) == policy
    with pytest.raises(PolicyFileError, match="notify_now must be true or false"):
        TriagePolicy.from_yaml(text.replace("true", "sometimes"))


# ----------------------------------------------------------------------------- days overdue


def test_days_overdue_counts_business_days() -> None:
    # First seen Thu 26 Nov -> due Fri 27 Nov. On Mon 30 Nov: 1 business day late (3
    # calendar days); on Tue 1 Dec: 2.
    f = finding(1, firstObservedAt="2026-11-26T01:00:00Z")
    monday = datetime(2026, 11, 30, 3, tzinfo=UTC)
    item = POLICY.plan([f], now=monday, calendar=JP).items[0]
    assert (item.due, item.overdue, item.days_overdue) == (date(2026, 11, 27), True, 1)
    assert POLICY.plan([f], now=NOW, calendar=JP).items[0].days_overdue == 2
    on_time = POLICY.plan([f], now=datetime(2026, 11, 27, 3, tzinfo=UTC), calendar=JP)
    assert (on_time.items[0].days_overdue, on_time.items[0].due_today) == (0, True)


def test_overdue_items_convert_through_the_records_protocol() -> None:
    fs = [finding(1), finding(2, firstObservedAt="2026-11-30T01:00:00Z")]
    plan = POLICY.plan(fs, now=NOW, calendar=JP)
    assert len(plan.overdue) == 1
    csv = to_csv(plan.overdue)
    header, row = csv.splitlines()
    assert header.split(",") == list(plan.columns)
    assert ",2026-11-04," in row and ",ap-northeast-1," in row
    pd = pytest.importorskip("pandas")
    frame = __import__("inspector_kit.formats", fromlist=["to_pandas"]).to_pandas(plan.overdue)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["due"]) == [date(2026, 11, 4)]  # due stays a date
    # Thu 5 Nov .. Tue 1 Dec: 19 weekdays, less Labour Thanksgiving Day (Mon 23 Nov).
    assert list(frame["days_overdue"]) == [18]
    assert list(frame["region"]) == ["ap-northeast-1"]


def test_unknown_first_seen_counts_from_now() -> None:
    # Inspector Scan API reports without a timestamp give firstObservedAt = the Unix epoch.
    f = finding(1, firstObservedAt="1970-01-01T00:00:00Z")
    item = POLICY.plan([f], now=NOW, calendar=JP).items[0]
    assert (item.due, item.overdue, item.days_overdue) == (date(2026, 12, 2), False, 0)
    assert item.counted_from == date(2026, 12, 1)
    assert "first seen unknown" in item.why
    assert item.first_seen_unknown and item.to_record()["first_seen_unknown"] is True
    known = POLICY.plan([finding(2)], now=NOW, calendar=JP).items[0]
    assert known.first_seen_unknown is False


# ----------------------------------------------------------------------------- item 2: reviews


def test_without_a_review_a_finding_first_seen_a_month_ago_is_overdue() -> None:
    item = POLICY.plan([finding(1)], now=NOW, calendar=JP).items[0]
    # Mon 2 Nov + 1 business day: Tue 3 Nov is Culture Day, so Wed 4 Nov.
    assert (item.due, item.overdue, item.review) == (date(2026, 11, 4), True, None)


def test_reviewed_counts_the_deadline_from_the_review() -> None:
    f = finding(1)
    log = ReviewLog([review(f, "REVIEWED", datetime(2026, 11, 30, 10, tzinfo=JST))])
    item = POLICY.plan([f], now=NOW, calendar=JP, reviews=log).items[0]
    assert (item.due, item.overdue, item.due_today) == (date(2026, 12, 1), False, True)
    assert item.counted_from == date(2026, 11, 30)
    assert item.review == log.latest(f.finding_arn)
    assert item.why == (
        "rule critical-high: severity HIGH in {CRITICAL, HIGH}; next business day from "
        "2026-11-30 (last review REVIEWED by aiko on 2026-11-30) -> 2026-12-01"
    )
    record = item.to_record()
    assert (record["review_decision"], record["reviewer"]) == ("REVIEWED", "aiko")
    assert record["reviewed_at"] == datetime(2026, 11, 30, 1, tzinfo=UTC)


def test_fix_by_sets_the_due_date() -> None:
    f = finding(1)
    at = datetime(2026, 11, 5, tzinfo=UTC)
    log = ReviewLog([review(f, "FIX_BY", at, until=date(2026, 11, 27))])
    item = POLICY.plan([f], now=NOW, calendar=JP, reviews=log).items[0]
    # Due Fri 27 Nov; on Tue 1 Dec that is Mon 30 Nov and Tue 1 Dec late: 2 business days.
    assert (item.due, item.overdue, item.days_overdue) == (date(2026, 11, 27), True, 2)
    assert item.why.endswith("; FIX_BY 2026-11-27 by aiko on 2026-11-05 -> 2026-11-27")
    later = ReviewLog([review(f, "FIX_BY", at, until=date(2026, 12, 18))])
    item = POLICY.plan([f], now=NOW, calendar=JP, reviews=later).items[0]
    assert (item.due, item.overdue) == (date(2026, 12, 18), False)


def test_accepted_risk_leaves_the_queue_until_its_date() -> None:
    f = finding(1)
    at = datetime(2026, 11, 5, tzinfo=UTC)
    log = ReviewLog([review(f, "ACCEPT_RISK", at, until=date(2026, 12, 15))])
    plan = POLICY.plan([f], now=NOW, calendar=JP, reviews=log)
    assert plan.items == ()
    (out,) = plan.acknowledged
    assert (out.due, out.overdue, out.days_overdue) == (date(2026, 12, 15), False, 0)
    assert "out of the queue after review: 1 (ACCEPT_RISK 1)" in plan.to_text()
    # From 15 Dec it is back, the deadline counted from that date: due Wed 16 Dec.
    back = POLICY.plan([f], now=datetime(2026, 12, 17, 3, tzinfo=UTC), calendar=JP, reviews=log)
    (item,) = back.items
    assert (item.due, item.overdue, item.days_overdue) == (date(2026, 12, 16), True, 1)
    assert back.acknowledged == ()


def test_false_positive_stays_out_unless_it_changes() -> None:
    f = finding(1, severity="MEDIUM")
    at = datetime(2026, 11, 5, tzinfo=UTC)
    log = ReviewLog([review(f, "FALSE_POSITIVE", at)])
    plan = POLICY.plan([f], now=NOW, calendar=JP, reviews=log)
    assert plan.items == () and len(plan.acknowledged) == 1
    assert plan.acknowledged[0].due is None
    # Severity rose MEDIUM -> HIGH since the review: it re-enters, counted from updatedAt.
    risen = finding(1, severity="HIGH", updatedAt="2026-11-26T01:00:00Z")
    plan = POLICY.plan([risen], now=NOW, calendar=JP, reviews=log)
    (item,) = plan.items
    assert "severity rose from MEDIUM to HIGH" in item.why
    assert (item.due, item.counted_from) == (date(2026, 11, 27), date(2026, 11, 26))
    # A lower severity does not bring it back.
    lower = finding(1, severity="LOW")
    assert POLICY.plan([lower], now=NOW, calendar=JP, reviews=log).items == ()


def test_reopened_findings_re_enter() -> None:
    at = datetime(2026, 11, 5, tzinfo=UTC)
    suppressed = finding(1, status="SUPPRESSED")
    log = ReviewLog([review(suppressed, "FALSE_POSITIVE", at)])
    reopened = finding(1, status="ACTIVE")
    (item,) = POLICY.plan([reopened], now=NOW, calendar=JP, reviews=log).items
    assert "status changed from SUPPRESSED to ACTIVE" in item.why
    # Reviewed CLOSED (policy plans CLOSED too), then observed again after the review.
    policy = TriagePolicy(POLICY.rules, statuses=["ACTIVE", "CLOSED"])
    closed = finding(2, status="CLOSED", lastObservedAt="2026-11-01T00:00:00Z")
    log = ReviewLog([review(closed, "FALSE_POSITIVE", at)])
    assert policy.plan([closed], now=NOW, calendar=JP, reviews=log).items == ()
    seen_again = finding(2, status="CLOSED", lastObservedAt="2026-11-20T00:00:00Z")
    (item,) = policy.plan([seen_again], now=NOW, calendar=JP, reviews=log).items
    assert "Inspector observed it at 2026-11-20" in item.why


def test_the_latest_review_by_time_wins() -> None:
    f = finding(1)
    early = review(f, "FALSE_POSITIVE", datetime(2026, 11, 5, tzinfo=UTC))
    late = review(f, "REVIEWED", datetime(2026, 11, 30, 1, tzinfo=UTC))
    log = ReviewLog([late, early])  # appended out of order
    assert log.latest(f.finding_arn) is late
    (item,) = POLICY.plan([f], now=NOW, calendar=JP, reviews=log).items
    assert item.due == date(2026, 12, 1)


def test_review_values_are_checked() -> None:
    at = datetime(2026, 11, 5, tzinfo=UTC)
    kw: dict[str, Any] = {"finding_arn": "arn:f", "reviewer": "aiko", "reviewed_at": at}
    with pytest.raises(TriageError, match="needs until"):
        Review(decision="FIX_BY", **kw)
    with pytest.raises(TriageError, match="takes no until"):
        Review(decision="REVIEWED", until=date(2026, 12, 1), **kw)
    with pytest.raises(TriageError, match="unknown decision 'SNOOZE'"):
        Review(decision="SNOOZE", **kw)
    with pytest.raises(TriageError, match="naive"):
        Review(decision="REVIEWED", **{**kw, "reviewed_at": datetime(2026, 11, 5)})
    with pytest.raises(TriageTypeError):
        Review(decision="ACCEPT_RISK", until=datetime(2026, 12, 1, tzinfo=UTC), **kw)
    with pytest.raises(TriageError, match="control characters"):
        Review(decision="REVIEWED", **{**kw, "reviewer": "a\x1b[2Jb"})
    with pytest.raises(TriageTypeError):
        ReviewLog().append("not a review")  # type: ignore[arg-type]
    r = Review(decision="reviewed", **{**kw, "reviewed_at": datetime(2026, 11, 5, 9, tzinfo=JST)})
    assert (r.decision, r.reviewed_at) == (Decision.REVIEWED, datetime(2026, 11, 5, tzinfo=UTC))


# ----------------------------------------------------------------------------- the log file


def test_log_file_is_one_line_per_review_in_append_order(tmp_path: Path) -> None:
    a, b = finding(1), finding(2)
    log = ReviewLog()
    log.append(review(b, "FIX_BY", datetime(2026, 11, 6, tzinfo=UTC), until=date(2026, 12, 4)))
    log.append(review(a, "REVIEWED", datetime(2026, 11, 5, tzinfo=UTC), note="ticket SEC-1"))
    path = tmp_path / "reviews.jsonl"
    log.save(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first) == [
        "finding_arn",
        "reviewed_at",
        "reviewer",
        "decision",
        "until",
        "severity",
        "status",
        "note",
    ]
    assert (first["finding_arn"], first["until"]) == (b.finding_arn, "2026-12-04")
    assert json.loads(lines[1])["note"] == "ticket SEC-1"
    again = ReviewLog.load(path)
    assert again == log and list(again) == list(log) and again.problems == ()
    # Appending one review adds one line and changes none of the others.
    log.append(review(a, "FALSE_POSITIVE", datetime(2026, 11, 7, tzinfo=UTC)))
    log.save(path)
    assert path.read_text(encoding="utf-8").splitlines()[:2] == lines


def test_malformed_entries_are_reported_per_line_and_the_rest_read(tmp_path: Path) -> None:
    good = review(finding(1), "REVIEWED", datetime(2026, 11, 5, tzinfo=UTC)).to_dict()
    lines = [
        "# team reviews",
        json.dumps(good),
        "{broken",
        "",
        json.dumps({**good, "decision": "SNOOZE"}),
        json.dumps([1, 2]),
        json.dumps({**good, "colour": "red"}),
        json.dumps({**good, "reviewed_at": "yesterday"}),
        json.dumps({**good, "decision": "FIX_BY"}),
        "[" * 100_000,
    ]
    path = tmp_path / "reviews.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = ReviewLog.load(path)
    assert len(log) == 1
    numbers = [p.split(":")[0] for p in log.problems]
    assert numbers == [f"reviews.jsonl line {n}" for n in (3, 5, 6, 7, 8, 9, 10)]
    assert "not valid JSON" in log.problems[0]
    assert "unknown decision 'SNOOZE'" in log.problems[1]
    assert "expected a JSON object, got list" in log.problems[2]
    assert "unknown key 'colour'" in log.problems[3]
    assert "not an ISO 8601" in log.problems[4]
    assert "needs until" in log.problems[5]
    assert "not valid JSON" in log.problems[6]
    with pytest.raises(ReviewLogError) as info:
        ReviewLog.load(path, strict=True)
    assert info.value.problems == log.problems
    assert isinstance(info.value, ValueError)


def test_unreadable_log_files(tmp_path: Path) -> None:
    with pytest.raises(ReviewLogError, match=r"missing\.jsonl: cannot read the file"):
        ReviewLog.load(tmp_path / "missing.jsonl")  # a typo must not mean "no reviews"
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b'{"note": "caf\xe9"}\n')
    with pytest.raises(ReviewLogError, match="line 1: not UTF-8"):
        ReviewLog.load(bad)
    with pytest.raises(ReviewLogError, match="larger than 4 bytes"):
        ReviewLog.load(bad, max_bytes=4)
    with pytest.raises(ReviewLogError, match="cannot read"):
        ReviewLog.load(tmp_path)  # a directory
