"""The review log (``reviews.jsonl``): months of a team running the default triage policy.

Built THROUGH the library (``inspector_kit.triage.Review`` and ``ReviewLog.to_jsonl``,
which is what ``ReviewLog.save`` writes), so the file's format cannot drift from the one
the library reads. Pure and deterministic: the findings in, the log's text out; every
choice is a fixed rule or a SHA-256 of the finding ARN, never the wall clock.

The team works in Tokyo on Japanese business days (the holidays of 2026 are listed here,
so the generator does not need the ``holidays`` package) and follows the default policy:

* CRITICAL and HIGH: reviewed one or two business days after Inspector first saw them,
  with ``FIX_BY`` 14 (CRITICAL) or 30 (HIGH) days later. At the last monthly review
  (2 November) every open one was re-planned into December, except three whose new date
  fell in a mid-November patch window that slipped (``OVERDUE_FIX_BY``): overdue.
* MEDIUM, LOW and UNTRIAGED: ``REVIEWED`` at the last two monthly reviews (business day 1
  of the month, 10:00: 1 October and 2 November); two were missed at the November review
  (``MISSED_NOVEMBER``), so they are overdue (due 2 November).
* Acknowledged: ``ACCEPT_RISK`` until 2027 for the HIGH libexpat finding with no fix, the
  two log-injection code findings, two HIGH findings on a development instance and the
  LOW shadow-utils findings with no fix; ``FALSE_POSITIVE`` for a hardcoded-credentials
  code finding that is AWS's documented example key, and one MEDIUM.
* Re-entry: one HIGH finding reviewed CLOSED (fixed, then Inspector re-opened it: it is
  ACTIVE again) and one HIGH finding whose review saw it MEDIUM (its severity rose).
* Never reviewed: the two ACTIVE findings of the ``graphql-gateway`` function (deployed in
  October by a team not on the review rota), so both are overdue. (No finding of the estate
  was first seen after 9 October, so every finding the log leaves out is overdue.)

INFORMATIONAL and SUPPRESSED findings are never reviewed; CLOSED ones keep the reviews
they had while ACTIVE (none after Inspector closed them).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from inspector_kit.triage import Review, ReviewLog

from .common import sha_hex

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

JST = timezone(timedelta(hours=9))
# The estate's "today" in Tokyo (AS_OF is midnight UTC, 09:00 in Tokyo).
TODAY = date(2026, 11, 22)
# Japanese public holidays of 2026 (the team's calendar; what ``holidays.JP`` lists).
JP_HOLIDAYS_2026 = frozenset(
    date(2026, m, d)
    for m, d in (
        (1, 1), (1, 12), (2, 11), (2, 23), (3, 20), (4, 29), (5, 3), (5, 4), (5, 5), (5, 6),
        (7, 20), (8, 11), (9, 21), (9, 22), (9, 23), (10, 12), (11, 3), (11, 23),
    )
)  # fmt: skip
REVIEWERS = ("aiko.tanaka", "ken.sato", "maria.lopez", "tomas.novak")
LEAD = "aiko.tanaka"  # runs the monthly reviews

# Business day 1 of each month, 10:00 in Tokyo: the monthly reviews.
MONTHLY = tuple(
    datetime.combine(d, time(10), JST)
    for d in (
        date(2026, 6, 1),
        date(2026, 7, 1),
        date(2026, 8, 3),
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 2),
    )
)
LAST_MONTHLY = MONTHLY[-1]
# New FIX_BY dates set at the November review (Fridays), earliest for CRITICAL.
DECEMBER = (date(2026, 11, 27), date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18))

# Findings picked by a fixed rule (see ``_roles``); these are the counts the rules give.
OVERDUE_FIX_BY = (date(2026, 11, 13), date(2026, 11, 18), date(2026, 11, 19))
MISSED_NOVEMBER = 2
UNREVIEWED_FUNCTION = "graphql-gateway"
ACCEPTED_UNTIL = {
    "no-fix-high": date(2027, 1, 29),
    "log-injection": date(2027, 2, 26),
    "dev-instance": date(2027, 1, 15),
    "no-fix-low": date(2027, 3, 31),
}


def is_business_day(day: date) -> bool:
    """A weekday that is not a Japanese public holiday."""
    return day.weekday() < 5 and day not in JP_HOLIDAYS_2026


def business_day_after(day: date, n: int = 1) -> date:
    """The ``n``-th business day after ``day``."""
    while n:
        day += timedelta(days=1)
        n -= is_business_day(day)
    return day


def on_or_after(day: date) -> date:
    """``day``, or the next business day when it is not one."""
    return day if is_business_day(day) else business_day_after(day)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _pick(arn: str, salt: str, n: int) -> int:
    """A stable choice in ``range(n)`` for one finding."""
    return int(sha_hex(salt, arn)[:8], 16) % n


def _reviewer(arn: str) -> str:
    return REVIEWERS[_pick(arn, "reviewer", len(REVIEWERS))]


def _resource(finding: Mapping[str, Any]) -> str:
    return str(finding["resources"][0]["id"])


def _first_review(finding: Mapping[str, Any]) -> datetime:
    """One or two business days after first seen, during office hours in Tokyo."""
    arn = finding["findingArn"]
    seen = _parse(finding["firstObservedAt"]).astimezone(JST).date()
    days = 1 if finding["severity"] == "CRITICAL" else 1 + _pick(arn, "delay", 2)
    minute = 10 * 60 + _pick(arn, "minute", 7 * 60)  # 10:00-16:59
    return datetime.combine(business_day_after(seen, days), time(minute // 60, minute % 60), JST)


def _roles(findings: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The findings with a special part in the story, by ARN -> role."""
    roles: dict[str, str] = {}
    active = [f for f in findings if f["status"] == "ACTIVE"]
    by_hash = sorted(active, key=lambda f: sha_hex("role", f["findingArn"]))
    high_packages = [
        f
        for f in by_hash
        if f["severity"] in ("CRITICAL", "HIGH")
        and f["type"] == "PACKAGE_VULNERABILITY"
        and f.get("fixAvailable") == "YES"
        and _parse(f["firstObservedAt"]) < MONTHLY[-2]
    ]
    for f in findings:  # the function's findings were never reviewed, whatever their status
        if f"function:{UNREVIEWED_FUNCTION}:" in _resource(f):
            roles[f["findingArn"]] = "unreviewed"
    for f in active:
        arn, severity, kind = f["findingArn"], f["severity"], f["type"]
        title = f.get("title", "")
        if arn in roles:
            continue
        if severity in ("CRITICAL", "HIGH") and f.get("fixAvailable") == "NO":
            roles[arn] = "no-fix-high"
        elif severity == "HIGH" and kind == "CODE_VULNERABILITY" and "CWE-117" in title:
            roles[arn] = "log-injection"
        elif severity == "CRITICAL" and kind == "CODE_VULNERABILITY" and "CWE-798" in title:
            roles[arn] = "false-positive-key"
        elif severity == "LOW" and f.get("fixAvailable") == "NO":
            roles[arn] = "no-fix-low"
    # Hash-ordered picks among the ordinary HIGH/CRITICAL package findings seen before October.
    ordinary = [f for f in high_packages if f["findingArn"] not in roles]
    picks = iter(ordinary)
    roles[next(picks)["findingArn"]] = "reopened"
    rose = next(f for f in picks if f["severity"] == "HIGH")
    roles[rose["findingArn"]] = "severity-rose"
    for _ in OVERDUE_FIX_BY:
        roles[next(picks)["findingArn"]] = "overdue-fix-by"
    dev = [f for f in picks if f["awsAccountId"] == "444455556666" and f["severity"] == "HIGH"]
    for f in dev[:2]:
        roles[f["findingArn"]] = "dev-instance"
    monthly = [
        f
        for f in by_hash
        if f["severity"] in ("MEDIUM", "LOW", "UNTRIAGED")
        and f["findingArn"] not in roles
        and _parse(f["firstObservedAt"]) < MONTHLY[-2]
    ]
    roles[monthly[0]["findingArn"]] = "false-positive"
    for f in monthly[1 : 1 + MISSED_NOVEMBER]:
        roles[f["findingArn"]] = "missed-november"
    return roles


def _review(
    finding: Mapping[str, Any],
    at: datetime,
    decision: str,
    *,
    reviewer: str | None = None,
    until: date | None = None,
    severity: str | None = None,
    status: str = "ACTIVE",
    note: str = "",
) -> Review:
    arn = finding["findingArn"]
    return Review(
        finding_arn=arn,
        reviewer=reviewer or _reviewer(arn),
        reviewed_at=at,
        decision=decision,
        until=until,
        severity=severity or finding["severity"],
        status=status,
        note=note,
    )


def _monthly_reviews(finding: Mapping[str, Any], *, last: int = len(MONTHLY)) -> list[Review]:
    """REVIEWED at the last two monthly reviews (of the first ``last``) since first seen."""
    seen = _parse(finding["firstObservedAt"])
    return [
        _review(finding, at, "REVIEWED", reviewer=LEAD, note="monthly review")
        for at in MONTHLY[:last][-2:]
        if at > seen
    ]


def _fix_by_reviews(finding: Mapping[str, Any], last_until: date | None) -> list[Review]:
    """The first FIX_BY, then the one the November review re-planned it to."""
    arn, severity = finding["findingArn"], finding["severity"]
    first = _first_review(finding)
    days = 14 if severity == "CRITICAL" else 30
    until = on_or_after(first.date() + timedelta(days=days))
    reviews = [_review(finding, first, "FIX_BY", until=until, note="patch in the next window")]
    if last_until is None:  # every open one is re-planned into December
        choices = DECEMBER[:2] if severity == "CRITICAL" else DECEMBER
        last_until = choices[_pick(arn, "december", len(choices))]
        note = "re-planned at the November review"
    else:
        note = "re-planned at the November review: mid-November patch window"
    reviews.append(
        _review(finding, LAST_MONTHLY, "FIX_BY", reviewer=LEAD, until=last_until, note=note)
    )
    return reviews


def _reviews_of(
    finding: Mapping[str, Any], role: str | None, overdue: dict[str, date]
) -> list[Review]:
    arn, severity = finding["findingArn"], finding["severity"]
    if role == "unreviewed" or severity == "INFORMATIONAL":
        return []
    first = _first_review(finding)
    if role in ("no-fix-high", "log-injection", "dev-instance"):
        note = {
            "no-fix-high": "no fixed package in the base image yet; rebuild when one ships",
            "log-injection": "the logger JSON-encodes every field; rewrite planned for Q1",
            "dev-instance": "development instance without inbound access; replaced in January",
        }[role]
        return [_review(finding, first, "ACCEPT_RISK", until=ACCEPTED_UNTIL[role], note=note)]
    if role == "no-fix-low":
        at = next(m for m in MONTHLY if m > _parse(finding["firstObservedAt"]))
        note = "no fix from the distribution; accepted until the OS upgrade"
        return [
            _review(
                finding, at, "ACCEPT_RISK", reviewer=LEAD, until=ACCEPTED_UNTIL[role], note=note
            )
        ]
    if role == "false-positive-key":
        note = "AKIAIOSFODNN7EXAMPLE: AWS's documented example key, in a unit-test fixture"
        return [_review(finding, first, "FALSE_POSITIVE", note=note)]
    if role == "false-positive":
        reviews = _monthly_reviews(finding, last=len(MONTHLY) - 2)
        note = "the vulnerable function is not reachable from the handler"
        at = MONTHLY[-2]
        return [*reviews, _review(finding, at, "FALSE_POSITIVE", reviewer=LEAD, note=note)]
    if role == "missed-november":
        return _monthly_reviews(finding, last=len(MONTHLY) - 1)
    if role == "severity-rose":  # reviewed in the monthly queue when it was MEDIUM
        return [
            _review(
                finding, at, "REVIEWED", reviewer=LEAD, severity="MEDIUM", note="monthly review"
            )
            for at in MONTHLY[-2:]
        ]
    if role == "reopened":  # fixed, closed by Inspector, then re-opened (ACTIVE again)
        reviews = _fix_by_reviews(finding, None)
        closed = datetime(2026, 11, 10, 11, 30, tzinfo=JST)
        note = "fixed by the new image; Inspector closed it"
        return [*reviews, _review(finding, closed, "REVIEWED", status="CLOSED", note=note)]
    if severity in ("CRITICAL", "HIGH"):
        return _fix_by_reviews(finding, overdue.get(arn))
    return _monthly_reviews(finding)


def build_reviews(findings: Sequence[Mapping[str, Any]]) -> ReviewLog:
    """The estate's review log, in the order the reviews were appended (by time, then ARN)."""
    roles = _roles(findings)
    late = sorted(a for a, r in roles.items() if r == "overdue-fix-by")
    overdue = dict(zip(late, OVERDUE_FIX_BY, strict=True))
    reviews: list[Review] = []
    for finding in findings:
        if finding["status"] == "SUPPRESSED":
            continue
        found = _reviews_of(finding, roles.get(finding["findingArn"]), overdue)
        if finding["status"] == "CLOSED":  # only what was reviewed before Inspector closed it
            closed_at = _parse(finding["updatedAt"])
            found = [r for r in found if r.reviewed_at < closed_at]
        reviews.extend(found)
    reviews.sort(key=lambda r: (r.reviewed_at, r.finding_arn))
    return ReviewLog(reviews)


def reviews_jsonl(findings: Sequence[Mapping[str, Any]]) -> bytes:
    """``reviews.jsonl``: exactly what ``ReviewLog.save`` writes for the log (UTF-8)."""
    return build_reviews(findings).to_jsonl().encode("utf-8")


def readme_section(findings: Sequence[Mapping[str, Any]]) -> str:
    """The README's section on ``reviews.jsonl``: what the log holds and what it plans to."""
    log = build_reviews(findings)
    roles = _roles(findings)
    active = {f["findingArn"]: f for f in findings if f["status"] == "ACTIVE"}
    latest = {arn: log.latest(arn) for arn in active}
    reviewed = sum(r is not None for r in latest.values())
    decisions: dict[str, int] = {}
    for review in latest.values():
        if review is not None:
            decisions[review.decision.value] = decisions.get(review.decision.value, 0) + 1
    rows = "\n".join(f"| {d} | {n} |" for d, n in sorted(decisions.items()))
    count = {
        role: sum(r == role for a, r in roles.items() if a in active)
        for role in set(roles.values())
    }
    accepted = sum(count.get(r, 0) for r in ACCEPTED_UNTIL)
    false_positive = count["false-positive"] + count["false-positive-key"]
    overdue = len(OVERDUE_FIX_BY) + MISSED_NOVEMBER + count["unreviewed"]
    people = ", ".join(f"`{r}`" for r in REVIEWERS)
    planned = len(active) - accepted - false_positive
    slipped = ", ".join(map(str, OVERDUE_FIX_BY))
    return f"""## Review log

`reviews.jsonl` is the review log of the team that runs this estate under the default
triage policy (`TriagePolicy.default()`) on Japanese business days in Tokyo, as of the
estate's "today": {len(log)} reviews of {len({r.finding_arn for r in log})} findings by
{people}, in the order they were appended.
It is exactly what `ReviewLog.save` writes (the generator builds it with
`inspector_kit.triage.Review` and `ReviewLog`). Read it with
`inspector_kit.sample.sample_reviews()` or `ReviewLog.load`.

- CRITICAL and HIGH: `FIX_BY` one or two business days after first seen, re-planned at the
  November monthly review (2 November) into late November or December; three of those
  dates fell in a mid-November patch window that slipped:
  {slipped}.
- MEDIUM, LOW and UNTRIAGED: `REVIEWED` at the October and November monthly reviews;
  {MISSED_NOVEMBER} were missed in November (last reviewed 1 October).
- `ACCEPT_RISK` until a date in 2027 ({accepted} findings: no fix available, log injection
  mitigated by the logger, a development instance) and `FALSE_POSITIVE` ({false_positive}).
- Re-entry: one finding was reviewed CLOSED and Inspector re-opened it; one was reviewed
  as MEDIUM and is HIGH now. Both are back in the queue, counted from Inspector's update.
- Never reviewed: the findings of the `{UNREVIEWED_FUNCTION}` Lambda function (deployed in
  October by a team not on the review rota). No finding of the estate was first seen after
  9 October, so a finding the log leaves out is overdue.
- INFORMATIONAL and SUPPRESSED findings are not reviewed; CLOSED ones keep the reviews
  made while they were ACTIVE.

Of the {len(active)} ACTIVE findings, {reviewed} have a review; their last decision:

| decision | findings |
|---|---|
{rows}

Planned with this log on 2026-11-22, the default policy puts
{planned} findings in its queues and
{overdue} of them are overdue: the three slipped `FIX_BY` dates, the
{MISSED_NOVEMBER} missed at the November review and the
{count["unreviewed"]} never reviewed.
{accepted + false_positive} are out of the queue after review
({accepted} risk accepted, {false_positive} false positives), and the 2 re-entered findings
are due on the next business day. Without the log, all {len(active)} are overdue.
"""
