"""The sample estate's review log (``reviews.jsonl``): its format, its story, and its use.

The expected plan is computed here from the raw files (JSON, not the library's ``Review``)
with the default policy's rules restated for the estate's "today", Sunday 22 November 2026
in Tokyo:

* next business day: a deadline counted from a day up to Thursday 19 November falls on
  Friday 20 November at the latest (overdue); from Friday 20 November on it falls on
  Monday 23 (weekends only) or Tuesday 24 November (23 November is a Japanese holiday);
* monthly (business day 1 of the next month): counted from a day in October or earlier it
  is 2 November at the latest (overdue); from a day in November it is 1 December.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from inspector_kit.cli import EXIT_FAIL_ON, EXIT_OK, main
from inspector_kit.sample import sample_estate_path, sample_findings, sample_reviews
from inspector_kit.triage import BusinessCalendar, ReviewLog, TriagePlan, TriagePolicy

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)  # resources.json as_of, 09:00 in Tokyo
JST = timezone(timedelta(hours=9))
RANK = {"INFORMATIONAL": 0, "UNTRIAGED": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}
QUEUE = {"CRITICAL": "next-business-day", "HIGH": "next-business-day"}
# The numbers data/sample_estate/README.md and docs/sample-estate.md state.
DOCUMENTED = {
    "planned": 216,
    "overdue": 7,
    "next-business-day": (97, 4),
    "monthly": (119, 3),
    "accepted": 10,
    "false_positive": 2,
    "reentered": 2,
    "reviewed": 226,
}


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _local(moment: datetime) -> date:
    return moment.astimezone(JST).date()


@cache
def raw_findings() -> dict[str, dict[str, Any]]:
    lines = (sample_estate_path() / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    return {f["findingArn"]: f for f in map(json.loads, lines)}


@cache
def raw_reviews() -> list[dict[str, Any]]:
    lines = (sample_estate_path() / "reviews.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def latest_reviews() -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for review in raw_reviews():  # the latest by time; on a tie the later line
        seen = latest.get(review["finding_arn"])
        if seen is None or _time(review["reviewed_at"]) >= _time(seen["reviewed_at"]):
            latest[review["finding_arn"]] = review
    return latest


def reentered(finding: dict[str, Any], review: dict[str, Any]) -> bool:
    if review["status"] != finding["status"]:
        return True
    if review["status"] == "CLOSED" and max(
        _time(finding["lastObservedAt"]), _time(finding["updatedAt"])
    ) > _time(review["reviewed_at"]):
        return True
    return RANK[finding["severity"]] > RANK[review["severity"]]


def expected() -> dict[str, Any]:
    """The plan's counts, from the raw findings and reviews (see the module docs)."""
    queues: Counter[str] = Counter()
    late: Counter[str] = Counter()
    overdue: set[str] = set()
    out: Counter[str] = Counter()
    back: set[str] = set()
    reviewed = 0
    latest = latest_reviews()
    for arn, finding in raw_findings().items():
        if finding["status"] != "ACTIVE":
            continue
        review = latest.get(arn)
        reviewed += review is not None
        start = _local(_time(finding["firstObservedAt"]))
        fixed: date | None = None
        if review is not None and reentered(finding, review):
            back.add(arn)
            start = _local(max(_time(review["reviewed_at"]), _time(finding["updatedAt"])))
        elif review is not None:
            decision, until = review["decision"], review["until"]
            if decision == "FALSE_POSITIVE" or (
                decision == "ACCEPT_RISK" and date.fromisoformat(until) > TODAY
            ):
                out[decision] += 1
                continue
            if decision == "FIX_BY":
                fixed = date.fromisoformat(until)
            elif decision == "ACCEPT_RISK":
                start = date.fromisoformat(until)
            else:
                start = _local(_time(review["reviewed_at"]))
        queue = QUEUE.get(finding["severity"], "monthly")
        queues[queue] += 1
        if fixed is not None:
            is_late = fixed < TODAY
        elif queue == "next-business-day":
            is_late = start < date(2026, 11, 20)
        else:
            is_late = start < date(2026, 11, 1)
        if is_late:
            late[queue] += 1
            overdue.add(arn)
    return {
        "queues": dict(queues),
        "late": dict(late),
        "overdue": overdue,
        "out": dict(out),
        "reentered": back,
        "reviewed": reviewed,
    }


def plan_with_log(country: str | None = None) -> TriagePlan:
    calendar = BusinessCalendar(country, timezone="Asia/Tokyo")
    return TriagePolicy.default().plan(
        sample_findings(), now=NOW, calendar=calendar, reviews=sample_reviews()
    )


# --- the file ------------------------------------------------------------------------------


def test_the_file_is_what_review_log_save_writes(tmp_path: Path) -> None:
    path = sample_estate_path() / "reviews.jsonl"
    log = ReviewLog.load(path, strict=True)
    assert log.problems == () and len(log) == len(raw_reviews()) > 0
    saved = tmp_path / "reviews.jsonl"
    log.save(saved)
    assert saved.read_bytes() == path.read_bytes()  # byte for byte: no comment, no drift
    assert ReviewLog.load(saved) == log == sample_reviews()
    assert sample_reviews() is not sample_reviews()  # a fresh log each call


def test_every_review_names_a_finding_of_the_estate_seen_before_it() -> None:
    findings = raw_findings()
    reviewers = set()
    for review in raw_reviews():
        finding = findings.get(review["finding_arn"])
        assert finding is not None, review
        at = _time(review["reviewed_at"])
        assert _time(finding["firstObservedAt"]) < at < NOW, review
        assert finding["severity"] != "INFORMATIONAL" and finding["status"] != "SUPPRESSED"
        if finding["status"] == "CLOSED":  # nothing reviewed after Inspector closed it
            assert at < _time(finding["updatedAt"]), review
        reviewers.add(review["reviewer"])
    assert 2 <= len(reviewers) <= 5
    times = [_time(r["reviewed_at"]) for r in raw_reviews()]
    assert times == sorted(times)  # appended as the team went


def test_the_story_the_readme_tells() -> None:
    latest = latest_reviews()
    decisions = Counter(r["decision"] for r in latest.values())
    assert set(decisions) == {"FIX_BY", "REVIEWED", "ACCEPT_RISK", "FALSE_POSITIVE"}
    assert decisions["FALSE_POSITIVE"] == 2
    active = {a: f for a, f in raw_findings().items() if f["status"] == "ACTIVE"}
    # Some ACTIVE findings were never reviewed; most of those reviewed were CRITICAL/HIGH
    # FIX_BY (most not yet due) or MEDIUM/LOW REVIEWED at the November monthly review.
    assert 0 < sum(a not in latest for a in active) < 5
    fix_by = [r for a, r in latest.items() if a in active and r["decision"] == "FIX_BY"]
    assert sum(date.fromisoformat(r["until"]) >= TODAY for r in fix_by) > 0.9 * len(fix_by)
    monthly = [r for a, r in latest.items() if a in active and r["decision"] == "REVIEWED"]
    november = [r for r in monthly if _local(_time(r["reviewed_at"])) == date(2026, 11, 2)]
    assert len(november) > 0.9 * len(monthly)
    # The two re-entry cases: one reviewed CLOSED and re-opened, one whose severity rose.
    back = [(latest[a], f) for a, f in active.items() if a in latest and reentered(f, latest[a])]
    assert sorted((r["status"], r["severity"] == f["severity"]) for r, f in back) == [
        ("ACTIVE", False),
        ("CLOSED", True),
    ]
    text = (sample_estate_path() / "README.md").read_text(encoding="utf-8")
    said = " ".join(text[text.index("## Review log") :].split())
    assert f"the default policy puts {DOCUMENTED['planned']} findings in its queues" in said
    assert f"{DOCUMENTED['overdue']} of them are overdue" in said
    assert f"({DOCUMENTED['accepted']} risk accepted, {DOCUMENTED['false_positive']} false" in said


# --- the plan ------------------------------------------------------------------------------


@pytest.mark.parametrize("country", [None, "JP"])
def test_plan_with_the_log_has_the_counts_computed_from_the_files(country: str | None) -> None:
    if country is not None:
        pytest.importorskip("holidays")
    plan, want = plan_with_log(country), expected()
    queues = {
        q: (len(items), sum(i.overdue for i in items)) for q, items in plan.by_queue().items()
    }
    assert queues == {q: (n, want["late"].get(q, 0)) for q, n in want["queues"].items()}
    assert {i.finding.finding_arn for i in plan.overdue} == want["overdue"]
    decisions = Counter(i.review.decision.value for i in plan.acknowledged if i.review)
    assert dict(decisions) == want["out"]
    back = {i.finding.finding_arn for i in plan.items if "re-entered" in i.why}
    assert back == want["reentered"]
    # ... and they are the numbers the docs state: a handful overdue, not 228.
    assert len(plan.items) == DOCUMENTED["planned"] and len(plan.overdue) == DOCUMENTED["overdue"]
    for queue in ("next-business-day", "monthly"):
        assert queues[queue] == DOCUMENTED[queue]
    assert (decisions["ACCEPT_RISK"], decisions["FALSE_POSITIVE"]) == (
        DOCUMENTED["accepted"],
        DOCUMENTED["false_positive"],
    )
    assert len(back) == DOCUMENTED["reentered"] and want["reviewed"] == DOCUMENTED["reviewed"]
    without = TriagePolicy.default().plan(
        sample_findings(), now=NOW, calendar=BusinessCalendar(None, timezone="Asia/Tokyo")
    )
    assert len(without.overdue) == len(without.items) == 228  # the noise


def test_reentered_and_false_positive_findings() -> None:
    plan = plan_with_log()
    items = {i.finding.finding_arn: i for i in plan.items}
    for arn in expected()["reentered"]:
        item = items[arn]  # back in the queue, counted from Inspector's update
        assert item.review is not None and item.counted_from is not None
        assert item.counted_from >= item.review.reviewed_at.date()
        assert item.queue == "next-business-day" and not item.overdue
    false_positives = [a for a, r in latest_reviews().items() if r["decision"] == "FALSE_POSITIVE"]
    out = {i.finding.finding_arn: i for i in plan.acknowledged}
    assert len(false_positives) == 2
    for arn in false_positives:
        assert arn not in items and out[arn].due is None and not out[arn].overdue


# --- the demo and the CLI ------------------------------------------------------------------


def test_demo_triage_line_plans_with_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == EXIT_OK
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Triage under"))
    match = re.search(
        r"with the sample's review log, (\d+) active findings, (\d+) reviewed: (.*); "
        r"out of the queue after review: (\d+) \((\d+) risk accepted, (\d+) false positives\); "
        r"(\d+) re-entered since their review$",
        line,
    )
    assert match, line
    want = expected()
    active, reviewed, queues, out, accepted, false_positive, back = match.groups()
    assert (int(active), int(reviewed)) == (228, want["reviewed"])
    shown = {
        q: (int(n), int(k)) for q, n, k in re.findall(r"([a-z-]+) (\d+) \((\d+) overdue", queues)
    }
    assert shown == {q: (n, want["late"].get(q, 0)) for q, n in want["queues"].items()}
    assert (int(out), int(accepted), int(false_positive)) == (
        sum(want["out"].values()),
        want["out"]["ACCEPT_RISK"],
        want["out"]["FALSE_POSITIVE"],
    )
    assert int(back) == len(want["reentered"])


def _triage(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any], str]:
    code = main(["triage", "--sample", "--format", "json", "--country", "none", *argv])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_triage_sample_uses_the_log_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, rows, err = _triage(capsys)
    assert code == EXIT_OK, err
    assert err.count("\n") == 1 and err.startswith("note: --sample: ")
    assert "2026-11-22" in err and "review log" in err and "--reviews FILE" in err
    assert {r["finding_arn"] for r in rows if r["overdue"]} == expected()["overdue"]
    assert len(rows) == DOCUMENTED["planned"]
    assert sum(r["review_decision"] is not None for r in rows) == len(rows) - 2
    code, _, _ = _triage(capsys, "--fail-on-overdue")
    assert code == EXIT_FAIL_ON


def test_triage_sample_reviews_flag_overrides_the_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "reviews.jsonl"
    ReviewLog().save(path)  # a team that reviewed nothing
    code, rows, err = _triage(capsys, "--reviews", str(path))
    assert code == EXIT_OK, err
    assert err.count("\n") == 1 and "review log" not in err
    assert len(rows) == sum(r["overdue"] for r in rows) == 228
    assert all(r["review_decision"] is None for r in rows)
