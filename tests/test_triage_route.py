"""triage.route and triage.digest: one finding event at a time, and the morning digest.

Times are worked out by hand in Tokyo (UTC+9, no daylight saving): 9 Nov 2026 is a Monday,
13 and 20 Nov are Fridays, 23 Nov (Mon) is Labour Thanksgiving Day.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from inspector_kit import Finding
from inspector_kit.errors import FindingParseError, TriageError, TriageTypeError
from inspector_kit.formats import to_csv
from inspector_kit.testing import finding_payload
from inspector_kit.triage import (
    Action,
    BusinessCalendar,
    Condition,
    Deadline,
    Review,
    ReviewLog,
    Route,
    Rule,
    TriagePolicy,
    digest,
    route,
)

JP = BusinessCalendar("JP", timezone="Asia/Tokyo")
JST = timezone(timedelta(hours=9))
UTC = timezone.utc
POLICY = TriagePolicy.default()


def payload(n: int = 0, **members: Any) -> dict[str, Any]:
    members.setdefault(
        "findingArn", f"arn:aws:inspector2:ap-northeast-1:111122223333:finding/{n:032x}"
    )
    members.setdefault("severity", "CRITICAL")
    members.setdefault("firstObservedAt", "2026-11-09T13:00:00Z")
    return finding_payload(**members)


def event(n: int = 0, **members: Any) -> dict[str, Any]:
    """An EventBridge ``Inspector2 Finding`` event (docs/facts.md#triage-ops)."""
    return {
        "version": "0",
        "id": f"event-{n}",
        "detail-type": "Inspector2 Finding",
        "source": "aws.inspector2",
        "account": "111122223333",
        "time": "2026-11-09T13:00:00Z",
        "region": "ap-northeast-1",
        "resources": ["i-0123456789abcdef0"],
        "detail": payload(n, **members),
    }


def test_monday_night_critical_is_held_to_tuesday_morning() -> None:
    r = route(event(), POLICY, JP, datetime(2026, 11, 9, 23, 0, tzinfo=JST))
    assert r.action is Action.HOLD
    assert r.notify_at == datetime(2026, 11, 10, 9, 0, tzinfo=JST)
    assert r.notify_at.utcoffset() == timedelta(hours=9)  # in the calendar's time zone
    assert r.item is not None and r.item.queue == "next-business-day"
    assert "held to the next business morning 2026-11-10T09:00:00+09:00" in r.reason


def test_friday_evening_high_is_held_to_monday_and_over_a_holiday() -> None:
    friday = datetime(2026, 11, 13, 19, tzinfo=JST)
    r = route(event(severity="HIGH"), POLICY, JP, friday)
    assert (r.action, r.notify_at) == (Action.HOLD, datetime(2026, 11, 16, 9, tzinfo=JST))
    # The next Friday: Monday 23 Nov is a public holiday, so Tuesday.
    r = route(event(severity="HIGH"), POLICY, JP, friday + timedelta(days=7))
    assert r.notify_at == datetime(2026, 11, 24, 9, tzinfo=JST)


def test_early_on_a_business_day_is_held_to_that_morning() -> None:
    r = route(event(), POLICY, JP, datetime(2026, 11, 10, 7, 30, tzinfo=JST))
    assert r.notify_at == datetime(2026, 11, 10, 9, tzinfo=JST)
    r = route(event(), POLICY, JP, datetime(2026, 11, 10, 9, 0, tzinfo=JST))
    assert r.notify_at == datetime(2026, 11, 11, 9, tzinfo=JST)  # 09:00 itself has gone
    r = route(event(), POLICY, JP, datetime(2026, 11, 10, 7, tzinfo=JST), morning=time(8, 30))
    assert r.notify_at == datetime(2026, 11, 10, 8, 30, tzinfo=JST)


def test_medium_rolls_into_the_monthly_review() -> None:
    r = route(event(severity="MEDIUM"), POLICY, JP, datetime(2026, 11, 12, 15, tzinfo=JST))
    assert (r.action, r.review_on, r.notify_at) == (Action.MONTHLY, date(2026, 12, 1), None)


@pytest.mark.parametrize("status", ["CLOSED", "SUPPRESSED"])
def test_closed_and_suppressed_findings_are_dropped_never_notified(status: str) -> None:
    paging = TriagePolicy(
        [Rule("page", Condition(), Deadline.business_days(0), "pager", notify_now=True)]
    )
    for policy in (POLICY, paging):
        r = route(event(status=status), policy, JP, datetime(2026, 11, 10, 11, tzinfo=JST))
        assert r.action is Action.DROP
        assert r.reason == f"status {status} is not planned (the policy plans ACTIVE)"
        assert r.item is None and r.notify_at is None


def test_informational_and_unmatched_are_dropped() -> None:
    now = datetime(2026, 11, 10, 11, tzinfo=JST)
    r = route(event(severity="INFORMATIONAL"), POLICY, JP, now)
    assert r.action is Action.DROP and "no deadline" in r.reason
    r = route(event(severity="NEW"), POLICY, JP, now)
    assert r.action is Action.DROP and "no rule of policy default matched" in r.reason


def test_a_notify_now_rule_notifies_at_once() -> None:
    rules = (
        Rule(
            "kev",
            Condition(severities={"CRITICAL"}, tags={"env": "prod"}),
            Deadline.business_days(0),
            "pager",
            notify_now=True,
        ),
        *POLICY.rules,
    )
    policy = TriagePolicy(rules, name="pager")
    now = datetime(2026, 11, 9, 23, tzinfo=JST)
    prod = payload(1)
    prod["resources"][0]["tags"] = {"env": "prod"}
    r = route(Finding.from_api(prod), policy, JP, now)
    assert (r.action, r.notify_at) == (Action.NOTIFY_NOW, now)
    assert r.reason.startswith("rule kev says notify now")
    assert route(event(2), policy, JP, now).action is Action.HOLD  # not tagged prod


def test_reviews_drop_acknowledged_findings_until_they_change() -> None:
    f = Finding.from_api(payload(severity="HIGH"))
    at = datetime(2026, 11, 10, 10, tzinfo=JST)
    log = ReviewLog([Review.of(f, reviewer="aiko", decision="FALSE_POSITIVE", at=at)])
    now = datetime(2026, 11, 12, 23, tzinfo=JST)
    r = route(event(severity="HIGH"), POLICY, JP, now, reviews=log)
    assert r.action is Action.DROP
    assert r.reason == "out of the queue after review: FALSE_POSITIVE by aiko on 2026-11-10"
    risen = route(event(severity="CRITICAL"), POLICY, JP, now, reviews=log)
    assert risen.action is Action.HOLD and "severity rose from HIGH to CRITICAL" in risen.reason


def test_acknowledged_findings_are_not_routed_again_before_they_are_due() -> None:
    f = Finding.from_api(payload(severity="HIGH"))
    at = datetime(2026, 11, 10, 10, tzinfo=JST)
    now = datetime(2026, 11, 12, 23, tzinfo=JST)  # Thursday night
    fix_later = ReviewLog(
        [Review.of(f, reviewer="aiko", decision="FIX_BY", at=at, until=date(2026, 11, 20))]
    )
    r = route(f, POLICY, JP, now, reviews=fix_later)
    assert r.action is Action.DROP
    assert r.reason == "acknowledged: FIX_BY 2026-11-20 by aiko on 2026-11-10; next due 2026-11-20"
    fix_past = ReviewLog(
        [Review.of(f, reviewer="aiko", decision="FIX_BY", at=at, until=date(2026, 11, 11))]
    )
    r = route(f, POLICY, JP, now, reviews=fix_past)  # overdue since Wednesday: held again
    assert (r.action, r.notify_at) == (Action.HOLD, datetime(2026, 11, 13, 9, tzinfo=JST))
    # REVIEWED on Thursday at 10:00: next due Friday 13 Nov, so Thursday night's event drops.
    reviewed = ReviewLog(
        [
            Review.of(
                f, reviewer="ken", decision="REVIEWED", at=datetime(2026, 11, 12, 10, tzinfo=JST)
            )
        ]
    )
    r = route(f, POLICY, JP, now, reviews=reviewed)
    assert (r.action, r.item.due if r.item else None) == (Action.DROP, date(2026, 11, 13))


def test_bad_inputs() -> None:
    now = datetime(2026, 11, 10, 11, tzinfo=JST)
    with pytest.raises(TriageError, match="'Inspector2 Scan' holds no finding"):
        route({**event(), "detail-type": "Inspector2 Scan"}, POLICY, JP, now)
    with pytest.raises(FindingParseError, match="detail: expected an object"):
        route({**event(), "detail": "nope"}, POLICY, JP, now)
    with pytest.raises(TriageError, match="holding one finding, got: 2 findings"):
        route({"findings": [payload(1), payload(2)]}, POLICY, JP, now)
    with pytest.raises(TriageTypeError):
        route("arn:...", POLICY, JP, now)  # type: ignore[arg-type]
    with pytest.raises(TriageTypeError):
        route(event(), POLICY, JP, now, morning=9)  # type: ignore[arg-type]
    with pytest.raises(FindingParseError):
        route({**event(), "detail": {"findingArn": "x"}}, POLICY, JP, now)
    with pytest.raises(TriageError, match="naive"):
        route(event(), POLICY, JP, datetime(2026, 11, 10, 11))


def test_other_shapes_of_one_finding_are_routed_too() -> None:
    now = datetime(2026, 11, 9, 23, tzinfo=JST)
    ami = {
        "source": "inspector2.ami.ondemand",
        "detail-type": "OnDemand AMI Scan Findings",
        "detail": {**payload(3), "scanId": "9f1c"},
    }
    assert route(ami, POLICY, JP, now).action is Action.HOLD
    assert route(payload(4), POLICY, JP, now).finding.finding_arn.endswith("4")


def test_route_to_dict_is_json() -> None:
    r = route(event(), POLICY, JP, datetime(2026, 11, 9, 23, tzinfo=JST))
    data = json.loads(r.to_json())
    assert data == r.to_dict()
    assert data["action"] == "HOLD"
    assert data["notify_at"] == "2026-11-10T09:00:00+09:00"
    assert (data["due"], data["region"], data["status"]) == (
        "2026-11-10",
        "ap-northeast-1",
        "ACTIVE",
    )


# ----------------------------------------------------------------------------- digest


def _week() -> list[Route]:
    monday_night = datetime(2026, 11, 9, 23, tzinfo=JST)
    return [
        route(event(1, severity="HIGH"), POLICY, JP, monday_night),
        route(event(2), POLICY, JP, monday_night),
        route(event(3, severity="MEDIUM"), POLICY, JP, monday_night),
        route(event(4, status="CLOSED"), POLICY, JP, monday_night),
        route(event(5), POLICY, JP, datetime(2026, 11, 13, 19, tzinfo=JST)),
    ]


def test_digest_groups_the_held_routes_by_time_then_severity() -> None:
    d = digest(_week())
    assert len(d) == 3
    assert d.counts() == {"CRITICAL": 2, "HIGH": 1}
    times = list(d.by_time())
    assert times == [
        datetime(2026, 11, 10, 9, tzinfo=JST),
        datetime(2026, 11, 16, 9, tzinfo=JST),
    ]
    first = d.by_time()[times[0]]
    assert [_name(r) for r in first] == ["CRITICAL", "HIGH"]
    text = d.to_text()
    assert text.splitlines()[0] == "Inspector digest: 3 held findings (CRITICAL 2, HIGH 1)"
    assert "2026-11-10 09:00 JST: 2" in text
    assert [r["severity"] for r in d.to_records()] == ["CRITICAL", "HIGH", "CRITICAL"]
    assert d.to_records()[0]["notify_at"] == datetime(2026, 11, 10, 0, tzinfo=UTC)
    csv = to_csv(d).splitlines()
    assert csv[0].split(",") == list(d.columns) and len(csv) == 4


def test_digest_conforms_to_the_records_protocol() -> None:
    # The library-wide conformance check (tests/test_records_protocol.py), on a digest.
    from tests.test_records_protocol import (
        test_result_is_records_and_every_writer_takes_it as conformance,
    )

    conformance("Digest", lambda: digest(_week()))


def _name(r: Route) -> str:
    return str(getattr(r.finding.severity, "value", r.finding.severity))


def test_digest_text_is_data_and_slack_text_is_escaped() -> None:
    hostile = {
        "id": "i-<!channel>&\x1b[31mred",
        "type": "AWS_EC2_INSTANCE",
        "partition": "aws",
        "region": "ap-northeast-1",
    }
    r = route(
        event(7, resources=[hostile], title="<https://evil.example|click>"),
        POLICY,
        JP,
        datetime(2026, 11, 9, 23, tzinfo=JST),
    )
    d = digest([r])
    slack = d.to_slack()
    assert "<!channel>" not in slack and "&lt;!channel&gt;&amp;" in slack
    assert "<" not in slack.replace("&lt;", "") and ">" not in slack.replace("&gt;", "")
    assert slack.startswith("*Inspector digest: 1 held finding*")
    text = d.to_text()
    assert "\x1b" not in text and "\x1b" not in slack
    assert "<!channel>&" in text  # plain text keeps the data, made printable


def test_import_is_light_for_lambda_cold_starts() -> None:
    # boto3, pandas, the holidays package and PyYAML are imported only when used.
    code = (
        "import sys; import inspector_kit.triage; "
        "print(any(m.startswith(('boto3', 'botocore', 'pandas')) for m in sys.modules), "
        "'holidays' in sys.modules, 'yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]
