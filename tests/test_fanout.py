"""Fan-out (issue 19, item 4): one worker per region, pages decoded by the worker that fetched them.

The fast path (decoding in the workers, handing decoded pages over) must give exactly what the
slow path gave (the iterating thread decoding each page as it takes it): the same items in the
same order per region, the same item problems at the same page and index, ``strict`` raising at
the same item, ``limit`` booking nothing past itself, a decoder bug surfacing as is. The
reference below is that slow path written out, independently of the stream.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import boto3
import pytest

from inspector_kit import FindingParseError, Inspector
from inspector_kit.errors import InspectorKitError
from inspector_kit.fetch._core import MAX_WORKERS, Core
from inspector_kit.fetch._pages import RawPage
from inspector_kit.fetch._stream import ResultStream
from inspector_kit.models import Finding
from inspector_kit.testing import LoopbackDataset, LoopbackInspector

ACTIVE = {"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}]}
# botocore's inspector2 regions in the aws partition (33 in botocore 1.44), the 17 first.
ALL = tuple(boto3.Session().get_available_regions("inspector2"))
SEVENTEEN = ALL[:17]


# -- how many workers ---------------------------------------------------------------------


def test_every_region_gets_a_worker_by_default_up_to_the_cap() -> None:
    session = boto3.Session(region_name="us-east-1")
    assert MAX_WORKERS == 64
    assert Core(session, regions=SEVENTEEN).max_workers == 17  # was 16: the 17th waited a round
    assert Core(session, regions=ALL).max_workers == len(ALL)
    core = Core(session, regions=["eu-west-1"])
    assert core.max_workers == 1
    assert core.workers_for(["eu-west-1"] * 200) == MAX_WORKERS
    assert core.workers_for(SEVENTEEN) == 17  # a call's own regions, not the core's
    assert Core(session, regions=ALL, max_workers=5).workers_for(ALL) == 5
    assert Core(session, regions=["eu-west-1"], max_workers=100).workers_for(ALL) == 100


def _fetch_threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith("inspector-kit-fetch-")}


def test_a_call_over_more_regions_than_the_facade_starts_a_worker_per_region() -> None:
    dataset = LoopbackDataset.sample().replicated(17 * 30, regions=SEVENTEEN)
    with LoopbackInspector(dataset) as server:
        inspector = Inspector(regions=["us-east-1"], endpoint_url=server.endpoint_url)
        assert inspector.max_workers == 1
        stream = inspector.findings(regions=SEVENTEEN, include_closed=True, include_suppressed=True)
        seen: set[str] = set()
        n = 0
        for _ in stream:
            if not n:
                seen = _fetch_threads()  # every worker starts before the first result
            n += 1
    assert len(seen) == 17
    assert n == 17 * 30 and all(o.ok for o in stream.outcomes.values())


# -- the slow path, written out -----------------------------------------------------------


Decode = Callable[[Any, str], tuple[Any, Sequence[InspectorKitError]]]


def _reference(
    pages: dict[str, list[list[Any]]], decode: Decode
) -> tuple[dict[str, list[Any]], list[tuple[str, int, int, str, bool]]]:
    """Decode each region's pages in order in this thread: items and issues per region."""
    items: dict[str, list[Any]] = {}
    issues: list[tuple[str, int, int, str, bool]] = []
    for region, region_pages in pages.items():
        got = items.setdefault(region, [])
        for number, raw_items in enumerate(region_pages, 1):
            for index, raw in enumerate(raw_items):
                try:
                    item, problems = decode(raw, region)
                except InspectorKitError as exc:
                    issues.append((region, number, index, str(exc), False))
                    continue
                issues.extend((region, number, index, str(p), True) for p in problems)
                got.append(item)
    return items, issues


def _stream(pages: dict[str, list[list[Any]]], decode: Decode, **kwargs: Any) -> ResultStream[Any]:
    def fetch(region: str, stopped: Callable[[], bool]) -> Iterator[RawPage]:
        for number, raw_items in enumerate(pages[region], 1):
            if stopped():
                return
            yield RawPage(items=list(raw_items), retries=0, number=number)

    kwargs.setdefault("max_workers", 4)
    return ResultStream(regions=list(pages), fetch_region=fetch, decode=decode, **kwargs)


def _issues(stream: ResultStream[Any]) -> list[tuple[str, int, int, str, bool]]:
    return [(e.region, e.page, e.index, str(e.error), e.kept) for e in stream.item_errors]


def _by_region(items: list[tuple[str, Any]]) -> dict[str, list[tuple[str, Any]]]:
    """Decoded ``(region, value)`` items grouped by region, in delivery order."""
    out: dict[str, list[tuple[str, Any]]] = {}
    for item in items:
        out.setdefault(item[0], []).append(item)
    return out


def _decode_ints(raw: Any, region: str) -> tuple[Any, Sequence[InspectorKitError]]:
    """Items are ints; "bad" is skipped, negative ints are kept with a problem."""
    if raw == "bad":
        raise FindingParseError("expected a number", raw, "value")
    if isinstance(raw, int) and raw < 0:
        return (region, raw), (FindingParseError("negative", raw, "value"),)
    return (region, raw), ()


PAGES = {
    "eu-west-1": [[1, 2, "bad", 3], [], [-4, 5], [6]],
    "us-east-1": [["bad"], [10, -11, 12]],
    "ap-south-1": [[20, 21, 22, 23, 24]],
}


def test_worker_decoding_gives_what_decoding_in_the_iterating_thread_gave() -> None:
    expected_items, expected_issues = _reference(PAGES, _decode_ints)
    stream = _stream(PAGES, _decode_ints)
    got = list(stream)
    assert _by_region(got) == expected_items
    # Regions interleave, so issues are compared region by region, in page order.
    assert sorted(_issues(stream)) == sorted(expected_issues)
    for region in PAGES:
        mine = [i for i in _issues(stream) if i[0] == region]
        assert mine == [i for i in expected_issues if i[0] == region]
    outcome = stream.outcomes["eu-west-1"]
    assert (outcome.pages, outcome.items, outcome.bad_items, outcome.partial_items) == (4, 6, 1, 1)


def test_pages_keep_their_order_when_an_earlier_page_decodes_slower() -> None:
    # Page 1 takes long to decode; meanwhile another worker fetches and decodes page 2.
    # Handing pages over after decoding would deliver page 2 first.
    pages = {"eu-west-1": [[1], [2], [3]], "us-east-1": [[4], [5]]}

    def slow_first(raw: Any, region: str) -> tuple[Any, Sequence[InspectorKitError]]:
        if raw in (1, 4):
            time.sleep(0.3)
        return (region, raw), ()

    stream = _stream(pages, slow_first, max_workers=4)
    got = {r: [v for _, v in items] for r, items in _by_region(list(stream)).items()}
    assert got == {"eu-west-1": [1, 2, 3], "us-east-1": [4, 5]}


def test_pages_are_decoded_on_the_workers_not_in_the_iterating_thread() -> None:
    names: set[str] = set()

    def record(raw: Any, region: str) -> tuple[Any, Sequence[InspectorKitError]]:
        names.add(threading.current_thread().name)
        return raw, ()

    assert len(list(_stream(PAGES, record))) == sum(len(p) for v in PAGES.values() for p in v)
    assert names and all(n.startswith("inspector-kit-fetch-") for n in names)


def test_strict_raises_at_the_same_item_after_the_same_items() -> None:
    pages = {"eu-west-1": [[1, 2], [3, "bad", 4]]}
    stream = _stream(pages, _decode_ints, strict=True)
    delivered: list[Any] = []
    with pytest.raises(FindingParseError, match="expected a number"):
        delivered.extend(item[1] for item in stream)
    assert delivered == [1, 2, 3]
    bad = ("eu-west-1", 2, 1, "value: expected a number (value: 'bad')", False)
    assert _issues(stream) == [bad]


def test_limit_books_nothing_past_itself() -> None:
    # The slow path stopped decoding at the limit: the bad item after it was never reported.
    pages = {"eu-west-1": [[1, 2, 3, "bad", -5]]}
    stream = _stream(pages, _decode_ints, limit=3)
    assert [i[1] for i in stream] == [1, 2, 3]
    assert stream.item_errors == ()
    assert stream.outcomes["eu-west-1"].items == 3


def test_a_decoder_bug_surfaces_as_is_in_the_iterating_thread() -> None:
    pages = {"eu-west-1": [[1, 2, 3]]}

    def buggy(raw: Any, region: str) -> tuple[Any, Sequence[InspectorKitError]]:
        if raw == 2:
            raise KeyError("oops")
        return raw, ()

    stream = _stream(pages, buggy)
    delivered: list[Any] = []
    with pytest.raises(KeyError, match="oops"):
        delivered.extend(stream)
    assert delivered == [1]
    assert stream.item_errors == ()  # a bug is not a bad record


def test_close_while_a_page_is_being_decoded_does_not_hang() -> None:
    release = threading.Event()
    pages = {"eu-west-1": [[1], [2]]}

    def blocking(raw: Any, region: str) -> tuple[Any, Sequence[InspectorKitError]]:
        if raw == 2:
            release.wait(10)
        return raw, ()

    stream = _stream(pages, blocking)
    got: list[Any] = []
    consumer = threading.Thread(target=lambda: got.extend(stream))
    consumer.start()
    try:
        deadline = time.monotonic() + 5
        while not got and time.monotonic() < deadline:
            time.sleep(0.01)
        assert got == [1]
        stream.close()
        consumer.join(timeout=3)
        assert not consumer.is_alive()
    finally:
        release.set()
        consumer.join(timeout=5)
    assert got == [1] and stream.finished


# -- against the sample estate, through HTTP ----------------------------------------------


def _arn_region(finding: Finding) -> str:
    return finding.finding_arn.split(":")[3]


def test_the_sample_estate_streams_exactly_as_its_raw_pages_decode() -> None:
    dataset = LoopbackDataset.sample().replicated(600, regions=SEVENTEEN)
    with LoopbackInspector(dataset) as server:
        inspector = Inspector(regions=SEVENTEEN, endpoint_url=server.endpoint_url)
        stream = inspector.findings()
        got = list(stream)
        pages: dict[str, list[list[Any]]] = {}
        for region in SEVENTEEN:
            pager = inspector.client(region).get_paginator("list_findings")
            pages[region] = [
                page["findings"]
                for page in pager.paginate(
                    filterCriteria=ACTIVE, PaginationConfig={"PageSize": 100}
                )
            ]

    def decode(raw: Any, region: str) -> tuple[Any, Sequence[InspectorKitError]]:
        return Finding.from_api_lenient(raw)

    expected, issues = _reference(pages, decode)
    mine: dict[str, list[Finding]] = {}
    for finding in got:
        mine.setdefault(_arn_region(finding), []).append(finding)
    assert mine == {r: v for r, v in expected.items() if v}
    assert _issues(stream) == issues == []
    assert sum(o.pages for o in stream.outcomes.values()) == sum(len(p) for p in pages.values())
