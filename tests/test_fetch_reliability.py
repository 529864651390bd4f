"""The facade against the loopback Inspector: real boto3, real HTTP, faults on demand.

The truth every test compares with is the dataset the server holds, read independently
of the fetch path (straight from the sample estate file, filtered in plain Python).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
from botocore.config import Config

from inspector_kit import (
    AccessDeniedError,
    CriteriaError,
    Finding,
    FindingCriteria,
    Inspector,
    PaginationError,
    PartialResultError,
    ServiceUnavailableError,
    ServiceValidationError,
    Severity,
    load_findings,
    sample_estate_path,
)
from inspector_kit.fetch import CoverageCriteria, NumberFilter, StringFilter
from inspector_kit.models import severity_rank
from inspector_kit.testing import Faults, LoopbackDataset, LoopbackInspector, finding_payload

if TYPE_CHECKING:
    from collections.abc import Iterator

    from inspector_kit.fetch import Progress

SAMPLE = list(load_findings(sample_estate_path() / "findings.jsonl"))
SAMPLE_REGIONS = sorted({f.region for f in SAMPLE if f.region})
EIGHT = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-southeast-2",
    "sa-east-1",
]


@pytest.fixture(autouse=True)
def _no_retry_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry at once: botocore backs off ``rand * 2**i`` s, so throttled tests took random time.

    The attempts, their count and the errors are unchanged; only the sleeps go.
    """
    from botocore.retries import standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


def _arns(findings: Any) -> list[str]:
    return [f.finding_arn for f in findings]


def _expected(status: tuple[str, ...] = ("ACTIVE",), regions: Any = None) -> set[str]:
    return {
        f.finding_arn
        for f in SAMPLE
        if f.status.value in status and (regions is None or f.region in regions)
    }


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackInspector]:
    with LoopbackInspector() as srv:
        yield srv


@pytest.fixture(autouse=True)
def _reset(server: LoopbackInspector) -> Iterator[None]:
    server.faults = Faults()
    server.clear_requests()
    yield
    server.faults = Faults()


def _fetch_threads_end(timeout: float = 10.0) -> bool:
    """Wait (polling; CI machines are slow) until no fetch worker thread is alive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not [t for t in threading.enumerate() if t.name.startswith("inspector-kit-fetch")]:
            return True
        time.sleep(0.05)
    return False


def _inspector(server: LoopbackInspector, regions: Any = SAMPLE_REGIONS, **kw: Any) -> Inspector:
    return Inspector(regions=regions, endpoint_url=server.endpoint_url, **kw)


# -- the exact set --------------------------------------------------------------------


def test_default_fetch_is_exactly_the_active_findings_of_every_region(
    server: LoopbackInspector,
) -> None:
    stream = _inspector(server).findings()
    got = _arns(stream)
    assert len(got) == len(set(got))  # no duplicates
    assert set(got) == _expected()
    assert stream.errors == {} and stream.item_errors == ()
    for region in SAMPLE_REGIONS:
        outcome = stream.outcomes[region]
        assert outcome.ok
        assert outcome.findings == len(_expected(regions={region}))
        assert outcome.pages >= outcome.findings / 25


def test_requests_follow_the_rules(server: LoopbackInspector) -> None:
    list(_inspector(server, regions=["us-east-1"]).findings())
    calls = [r for r in server.requests if r.operation == "ListFindings"]
    assert len(calls) >= 2
    assert "nextToken" not in calls[0].body
    assert all(r.body["maxResults"] == 100 for r in calls)
    assert all(
        r.body["filterCriteria"]["findingStatus"] == [{"comparison": "EQUALS", "value": "ACTIVE"}]
        for r in calls
    )
    tokens = [r.body.get("nextToken") for r in calls[1:]]
    assert len(tokens) == len(set(tokens)) and all(tokens)
    assert {r.region for r in calls} == {"us-east-1"}


def test_include_suppressed_and_closed(server: LoopbackInspector) -> None:
    inspector = _inspector(server)
    every = set(_arns(inspector.findings(include_suppressed=True, include_closed=True)))
    assert every == _expected(("ACTIVE", "SUPPRESSED", "CLOSED"))
    suppressed = set(_arns(inspector.findings(include_suppressed=True)))
    assert suppressed == _expected(("ACTIVE", "SUPPRESSED"))
    with pytest.raises(CriteriaError, match="findingStatus"):
        inspector.findings(FindingCriteria(finding_status="CLOSED"), include_closed=True)
    closed = set(_arns(inspector.findings(FindingCriteria(finding_status="CLOSED"))))
    assert closed == _expected(("CLOSED",))


def test_criteria_are_applied_server_side(server: LoopbackInspector) -> None:
    crit = FindingCriteria(
        severity=[Severity.CRITICAL, "HIGH"],
        inspector_score=NumberFilter(gte=7.5),
        vulnerability_id=StringFilter.prefix("CVE-"),
    )
    got = list(_inspector(server).findings(crit))
    want = {
        f.finding_arn
        for f in SAMPLE
        if f.status.value == "ACTIVE"
        and f.severity.value in ("CRITICAL", "HIGH")
        and f.inspector_score is not None
        and f.inspector_score >= 7.5
        and (f.vulnerability_id or "").startswith("CVE-")
    }
    assert want and set(_arns(got)) == want
    # A raw API mapping is validated and sent the same way.
    raw = list(_inspector(server).findings(crit.to_api()))
    assert set(_arns(raw)) == want


def test_sort_merges_regions_in_order(server: LoopbackInspector) -> None:
    got = list(_inspector(server).findings(sort="INSPECTOR_SCORE"))
    scores = [f.inspector_score for f in got]
    present = [s for s in scores if s is not None]
    assert present == sorted(present, reverse=True)
    assert all(s is None for s in scores[len(present) :])  # missing scores count lowest
    assert set(_arns(got)) == _expected()
    asc = [
        f.first_observed_at for f in _inspector(server).findings(sort=("FIRST_OBSERVED_AT", "ASC"))
    ]
    assert asc == sorted(asc)
    sev = [severity_rank(f.severity) for f in _inspector(server).findings(sort="SEVERITY")]
    assert sev == sorted(sev, reverse=True)


def _run_bounded(stream: Any, seconds: float) -> list[Finding]:
    """Iterate ``stream`` in a thread; fail (instead of hanging the suite) after ``seconds``."""
    got: list[Finding] = []
    thread = threading.Thread(target=lambda: got.extend(stream), daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        stream.close()
        pytest.fail(f"the fetch did not finish within {seconds} s ({len(got)} results so far)")
    return got


@pytest.mark.parametrize(("n_regions", "workers"), [(3, 2), (33, 4), (5, 1)])
def test_sorted_fetch_over_more_regions_than_workers_finishes(n_regions: int, workers: int) -> None:
    # Regression: each worker owned a region and blocked on that region's full queue, while
    # the merge waited for the first page of a region no worker had started: a hang.
    import boto3

    regions = boto3.Session().get_available_regions("inspector2")[:n_regions]
    assert len(regions) == n_regions  # botocore knows 33 inspector2 regions today
    dataset = LoopbackDataset.synthetic(n_regions * 130, regions=regions)  # 5+ pages each
    with LoopbackInspector(dataset) as srv:
        inspector = Inspector(regions=regions, endpoint_url=srv.endpoint_url, max_workers=workers)
        stream = inspector.findings(sort="INSPECTOR_SCORE", include_closed=True)
        got = _run_bounded(stream, 60)
    scores = [f.inspector_score for f in got if f.inspector_score is not None]
    assert scores == sorted(scores, reverse=True)
    assert stream.errors == {} and all(o.ok for o in stream.outcomes.values())
    assert set(_arns(got)) == set(dataset.finding_arns()) - {
        p["findingArn"] for p in dataset.finding_payloads() if p["status"] == "SUPPRESSED"
    }


def test_a_slow_consumer_bounds_the_pages_fetched_ahead() -> None:
    # Memory is bounded: however many regions and pages, at most PAGES_AHEAD pages per region
    # are fetched and not yet consumed (plus, per region, the page being consumed).
    from inspector_kit.fetch import PAGES_AHEAD

    regions = EIGHT
    dataset = LoopbackDataset.synthetic(len(regions) * 200, regions=regions)  # 8 pages each
    with LoopbackInspector(dataset) as srv:
        for sort in (None, "INSPECTOR_SCORE"):
            srv.clear_requests()
            inspector = Inspector(regions=regions, endpoint_url=srv.endpoint_url, max_workers=4)
            stream = inspector.findings(sort=sort)
            iterator = iter(stream)
            next(iterator)
            time.sleep(0.3)  # the workers would fetch every page in this time if unbounded
            calls = [r for r in srv.requests if r.operation == "ListFindings"]
            assert len(calls) <= len(regions) * (PAGES_AHEAD + 1), sort
            rest = list(iterator)
            assert len(rest) + 1 == stream.count and stream.errors == {}
            total = len([r for r in srv.requests if r.operation == "ListFindings"])
            assert total > 2 * len(regions) * (PAGES_AHEAD + 1)  # the bound held back work


def test_bad_sort_is_a_local_error(server: LoopbackInspector) -> None:
    with pytest.raises(CriteriaError, match="unknown sort field 'SCORE'"):
        _inspector(server).findings(sort="SCORE")
    with pytest.raises(CriteriaError, match="ASC"):
        _inspector(server).findings(sort=("SEVERITY", "UP"))


def test_limit_stops_early_and_stops_the_workers(server: LoopbackInspector) -> None:
    stream = _inspector(server).findings(limit=30)
    got = list(stream)
    assert len(got) == 30 == stream.count
    assert set(_arns(got)) <= _expected()
    pages = sum(o.pages for o in stream.outcomes.values())
    assert pages < sum(len(_expected(regions={r})) for r in SAMPLE_REGIONS) / 25
    assert _fetch_threads_end()


def test_breaking_out_of_a_stream_stops_its_threads(server: LoopbackInspector) -> None:
    stream = _inspector(server).findings()
    for n, _ in enumerate(stream):
        if n == 3:
            break
    stream.close()
    assert stream.finished
    assert _fetch_threads_end()


def test_a_stream_is_iterated_once(server: LoopbackInspector) -> None:
    stream = _inspector(server, regions=["us-east-1"]).findings(limit=1)
    list(stream)
    with pytest.raises(RuntimeError, match="already been iterated"):
        list(stream)


def test_progress_reports_arrive_in_the_calling_thread(server: LoopbackInspector) -> None:
    reports: list[Progress] = []
    threads: set[str] = set()

    def on_progress(p: Progress) -> None:
        reports.append(p)
        threads.add(threading.current_thread().name)

    got = list(_inspector(server).findings(on_progress=on_progress))
    assert threads == {threading.current_thread().name}
    finished = [p for p in reports if p.region_finished]
    assert sorted(p.region for p in finished) == SAMPLE_REGIONS
    assert reports[-1].regions_done == len(SAMPLE_REGIONS) == reports[-1].regions_total
    assert reports[-1].total_items == len(got)


# -- faults ---------------------------------------------------------------------------


def test_thirty_percent_throttling_loses_and_duplicates_nothing() -> None:
    dataset = LoopbackDataset.sample()
    with LoopbackInspector(dataset) as srv:
        srv.faults.throttle_rate = 0.3
        srv.faults.seed = 7
        stream = _inspector(srv).findings()
        got = _arns(stream)
        throttled = srv.faults.injected.get("throttle", 0)
    assert throttled > 0  # the fault really fired
    assert len(got) == len(set(got)) and set(got) == _expected()
    assert stream.errors == {}
    assert sum(o.retries for o in stream.outcomes.values()) == throttled


def test_one_of_eight_regions_denied_the_others_complete(caplog: pytest.LogCaptureFixture) -> None:
    payloads = [
        finding_payload(findingArn=f"arn:aws:inspector2:{region}:111122223333:finding/{n:032x}")
        for region in EIGHT
        for n in range(40)
    ]
    with LoopbackInspector(LoopbackDataset.from_findings(payloads)) as srv:
        srv.faults.deny_regions = {"eu-central-1"}
        stream = _inspector(srv, regions=EIGHT).findings()
        with caplog.at_level(logging.WARNING, logger="inspector_kit.fetch"):
            got = _arns(stream)
    assert len(got) == 7 * 40 == len(set(got))
    assert set(stream.errors) == {"eu-central-1"}
    err = stream.errors["eu-central-1"]
    assert isinstance(err, AccessDeniedError) and isinstance(err, PermissionError)
    assert (err.region, err.code, err.operation) == (
        "eu-central-1",
        "AccessDeniedException",
        "ListFindings",
    )
    assert all(stream.outcomes[r].ok for r in EIGHT if r != "eu-central-1")
    assert not stream.outcomes["eu-central-1"].ok
    assert "1 of 8 regions failed" in caplog.text and "eu-central-1" in caplog.text
    with pytest.raises(PartialResultError) as info:
        stream.raise_for_errors()
    assert set(info.value.errors) == {"eu-central-1"}


def test_strict_raises_the_first_region_failure(server: LoopbackInspector) -> None:
    server.faults.deny_regions = {"eu-west-1"}
    with pytest.raises(AccessDeniedError) as info:
        list(_inspector(server).findings(strict=True))
    assert info.value.region == "eu-west-1"


def test_empty_pages_are_paged_past(server: LoopbackInspector) -> None:
    server.faults.empty_pages = 2
    got = _arns(_inspector(server).findings())
    assert server.faults.injected.get("empty_page", 0) > 0
    assert set(got) == _expected() and len(got) == len(set(got))


def test_trailing_token_then_empty_page(server: LoopbackInspector) -> None:
    server.faults.trailing_token = True
    got = _arns(_inspector(server).findings())
    assert set(got) == _expected() and len(got) == len(set(got))


def test_a_repeated_token_is_a_clear_error_never_a_hang(server: LoopbackInspector) -> None:
    server.faults.repeat_token = True
    stream = _inspector(server, regions=["us-east-1"]).findings()
    got = list(stream)
    err = stream.errors["us-east-1"]
    assert isinstance(err, PaginationError) and err.code == "RepeatedNextToken"
    assert len(got) > 0  # pages before the repeat were delivered


def test_overlapping_pages_are_deduplicated(server: LoopbackInspector) -> None:
    server.faults.duplicate_overlap = 3
    stream = _inspector(server).findings()
    got = _arns(stream)
    assert set(got) == _expected() and len(got) == len(set(got))
    assert sum(o.duplicates for o in stream.outcomes.values()) > 0


def test_a_burst_of_server_errors_is_retried(server: LoopbackInspector) -> None:
    server.faults.server_error_burst = 3
    stream = _inspector(server, regions=["us-east-1"]).findings()
    got = _arns(stream)
    assert set(got) == _expected(regions={"us-east-1"})
    assert stream.outcomes["us-east-1"].retries >= 3


def test_endless_server_errors_end_as_a_region_error(server: LoopbackInspector) -> None:
    server.faults.server_error_rate = 1.0
    inspector = _inspector(
        server, regions=["us-east-1"], config=Config(retries={"max_attempts": 2})
    )
    stream = inspector.findings()
    assert list(stream) == []
    err = stream.errors["us-east-1"]
    assert isinstance(err, ServiceUnavailableError) and err.status == 500


def test_slow_responses_time_out_as_errors_not_hangs(server: LoopbackInspector) -> None:
    server.faults.latency = 2.0
    inspector = _inspector(
        server,
        regions=["us-east-1"],
        config=Config(read_timeout=0.3, retries={"max_attempts": 1}),
    )
    stream = inspector.findings()
    assert list(stream) == []
    err = stream.errors["us-east-1"]
    assert isinstance(err, ServiceUnavailableError) and err.code == "ReadTimeoutError"


def test_a_validation_error_from_the_service_is_reported(server: LoopbackInspector) -> None:
    # Bypass our own check to see the server's answer: ask the client directly.
    client = _inspector(server, regions=["us-east-1"]).client()
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        client.list_findings(maxResults=500)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    from inspector_kit.fetch._errors import translate

    assert isinstance(
        translate(info.value, region="us-east-1", operation="ListFindings"), ServiceValidationError
    )


def test_bad_findings_are_reported_and_the_rest_go_on() -> None:
    good = [
        finding_payload(findingArn=f"arn:aws:inspector2:us-east-1:111122223333:finding/{n:032x}")
        for n in range(30)
    ]
    bad = finding_payload(findingArn="arn:aws:inspector2:us-east-1:111122223333:finding/bad")
    bad["resources"] = []  # below the model's minimum of one resource
    with LoopbackInspector(LoopbackDataset.from_findings([*good[:10], bad, *good[10:]])) as srv:
        stream = _inspector(srv, regions=["us-east-1"]).findings()
        got = list(stream)
        assert len(got) == 30
        (item_error,) = stream.item_errors
        assert item_error.region == "us-east-1" and item_error.error.path == "resources"
        with pytest.raises(PartialResultError, match="could not be decoded"):
            stream.raise_for_errors()
        with pytest.raises(Exception, match="resources"):
            list(_inspector(srv, regions=["us-east-1"]).findings(strict=True))


def test_member_account_sees_only_its_own(server: LoopbackInspector) -> None:
    import boto3

    with LoopbackInspector(accounts={"AKIDMEMBER": "444455556666"}) as srv:
        session = boto3.Session(aws_access_key_id="AKIDMEMBER", aws_secret_access_key="x")
        got = list(
            Inspector(session, regions=SAMPLE_REGIONS, endpoint_url=srv.endpoint_url).findings()
        )
    assert got and {f.aws_account_id for f in got} == {"444455556666"}
    assert set(_arns(got)) == {a for a in _expected() if ":444455556666:" in a}


# -- the other operations --------------------------------------------------------------


def test_coverage_stream(server: LoopbackInspector) -> None:
    stream = _inspector(server).coverage()
    resources = list(stream)
    assert stream.errors == {}
    assert {r.region for r in resources} == set(SAMPLE_REGIONS)
    keys = [(r.region, r.account_id, r.resource_id, str(r.scan_type)) for r in resources]
    assert len(keys) == len(set(keys))
    ec2 = list(_inspector(server).coverage(CoverageCriteria(resource_type="AWS_EC2_INSTANCE")))
    assert ec2 and all(r.resource_type.value == "AWS_EC2_INSTANCE" for r in ec2)


def test_coverage_statistics_agree_with_the_coverage_list(server: LoopbackInspector) -> None:
    inspector = _inspector(server)
    stats = inspector.coverage_statistics(group_by="RESOURCE_TYPE")
    listed = list(inspector.coverage())
    assert stats.total == len(listed)
    assert sum(stats.by_group().values()) == stats.total
    assert stats.ok


def test_configuration_and_deep_inspection(server: LoopbackInspector) -> None:
    inspector = _inspector(server)
    for region in SAMPLE_REGIONS:
        cfg = inspector.configuration(region)
        assert cfg.region == region and cfg.ec2_scan_mode == "EC2_HYBRID"
    deep = inspector.deep_inspection_configuration("us-east-1")
    assert deep.region == "us-east-1"


def test_configuration_denied_raises(server: LoopbackInspector) -> None:
    server.faults.deny_regions = {"eu-west-1"}
    with pytest.raises(AccessDeniedError) as info:
        _inspector(server).configuration("eu-west-1")
    assert info.value.operation == "GetConfiguration"


def test_account_status_never_reads_a_failed_region_as_disabled(server: LoopbackInspector) -> None:
    server.faults.deny_regions = {"eu-west-1"}
    status = _inspector(server).account_status(["111122223333"])
    assert status.is_enabled("111122223333", "us-east-1", "EC2") is True
    assert status.is_enabled("111122223333", "eu-west-1", "EC2") is None
    assert set(status.errors) == {"eu-west-1"}
    with pytest.raises(PartialResultError):
        status.raise_for_errors()


def test_usage_totals_and_members(server: LoopbackInspector) -> None:
    inspector = _inspector(server)
    totals = list(inspector.usage_totals())
    assert totals and {t.region for t in totals} <= set(SAMPLE_REGIONS)
    members = list(inspector.members(regions=["us-east-1"]))
    # The sample's delegated administrator (123456789012) lists the two other accounts.
    assert {m.account_id for m in members} == {"111122223333", "444455556666"}
    assert {m.delegated_admin_account_id for m in members} == {"123456789012"}


def test_finding_details_in_batches_of_ten(server: LoopbackInspector) -> None:
    inspector = _inspector(server)
    arns = sorted(_expected())[:25]
    details = inspector.finding_details([*arns, arns[0], "nonsense"])
    calls = [r for r in server.requests if r.operation == "BatchGetFindingDetails"]
    assert all(1 <= len(r.body["findingArns"]) <= 10 for r in calls)
    asked = Counter(a for r in calls for a in r.body["findingArns"])
    assert set(asked) == set(arns) and max(asked.values()) == 1
    assert set(details.details) | (set(details.failed) - {"nonsense"}) == set(arns)
    assert details.failed["nonsense"].error_code == "INVALID_FINDING_ARN"


def test_count_matches_listing(server: LoopbackInspector) -> None:
    inspector = _inspector(server)
    counts = inspector.count()
    listed = list(inspector.findings())
    assert counts.total == len(listed)
    by_sev = Counter(f.severity.value.lower() for f in listed)
    assert counts.by_severity()["critical"] == by_sev["critical"]
    assert counts.by_severity()["high"] == by_sev["high"]
    crit = FindingCriteria(finding_type="NETWORK_REACHABILITY")
    assert inspector.count(crit).total == sum(1 for _ in inspector.findings(crit))
    with pytest.raises(CriteriaError, match="inspectorScore"):
        inspector.count(FindingCriteria(inspector_score=NumberFilter(gte=9)))


def test_no_nonlocal_findings_decoded_wrong() -> None:
    # Guard for the truth itself: the sample estate spans several regions.
    assert len(SAMPLE_REGIONS) >= 3
    assert all(isinstance(f, Finding) for f in SAMPLE)


def test_our_clients_parse_timestamps_straight_to_utc(server: LoopbackInspector) -> None:
    from datetime import timezone

    from inspector_kit.fetch._client import use_utc_timestamps

    client = _inspector(server, regions=["us-east-1"]).client()
    assert use_utc_timestamps(client)  # guards the botocore internals this relies on
    page = client.list_findings(maxResults=5)
    stamp = page["findings"][0]["firstObservedAt"]
    assert stamp.tzinfo is timezone.utc
    # The caller's own clients from the same session are left alone.
    import boto3

    session = boto3.Session(region_name="us-east-1")
    Inspector(session, endpoint_url=server.endpoint_url).client()
    theirs = session.client("inspector2", endpoint_url=server.endpoint_url)
    assert (
        theirs.list_findings(maxResults=5)["findings"][0]["firstObservedAt"].tzinfo
        is not timezone.utc
    )
    by_arn = {f.finding_arn: f for f in SAMPLE}
    fetched = Finding.from_api(page["findings"][0])
    assert fetched.first_observed_at == by_arn[fetched.finding_arn].first_observed_at


def test_a_record_that_cannot_be_kept_is_reported_and_its_region_goes_on(
    server: LoopbackInspector, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 14, item 3: one bad record never drops a region (it used to fail eu-west-1).
    from inspector_kit import FindingParseError
    from inspector_kit.models import AccountState

    real = AccountState.from_api_lenient

    def picky(data: Any, *, region: str | None = None) -> Any:
        if region == "eu-west-1":
            raise FindingParseError("required member is missing", None, "accountId")
        return real(data, region=region)

    monkeypatch.setattr(AccountState, "from_api_lenient", picky)
    status = _inspector(server).account_status(["111122223333"])
    assert status.errors == {}
    assert status.is_enabled("111122223333", "us-east-1", "EC2") is True
    assert status.is_enabled("111122223333", "eu-west-1", "EC2") is None  # unknown, not False
    (skipped,) = status.item_errors
    assert (skipped.region, skipped.kept, skipped.error.path) == ("eu-west-1", False, "accountId")  # type: ignore[attr-defined]


def test_coverage_statistics_page_like_every_list_operation() -> None:
    repos = [f"team-{n}/app" for n in range(12)]  # 12 groups: three pages of 5 on the loopback
    coverage = [
        {
            "resourceType": "AWS_ECR_CONTAINER_IMAGE",
            "resourceId": f"arn:aws:ecr:us-east-1:111122223333:repository/{repo}/sha256:{n:064x}",
            "accountId": "111122223333",
            "scanType": "PACKAGE",
            "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
            "resourceMetadata": {"ecrRepository": {"name": repo}},
        }
        for n, repo in enumerate(repos * 2)
    ]
    dataset = LoopbackDataset.from_findings([], coverage={"us-east-1": coverage})
    with LoopbackInspector(dataset) as srv:
        inspector = _inspector(srv, regions=["us-east-1"])
        stats = inspector.coverage_statistics(group_by="ECR_REPOSITORY_NAME")
        calls = [r for r in srv.requests if r.operation == "ListCoverageStatistics"]
        assert len(calls) == 3 and "nextToken" not in calls[0].body
        assert stats.ok and stats.total == 24
        assert stats.by_group() == dict.fromkeys(repos, 2)
        # A repeated token is a clear region error, not a silent stop.
        srv.faults = Faults(repeat_token=True, operations=["ListCoverageStatistics"])
        broken = inspector.coverage_statistics(group_by="ECR_REPOSITORY_NAME")
        assert srv.faults.injected.get("repeat_token", 0) > 0
        assert isinstance(broken.errors["us-east-1"], PaginationError)
