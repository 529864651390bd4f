"""Streams of typed results fetched from many regions at once.

A [`ResultStream`][inspector_kit.fetch.ResultStream] pages every region with that region's own
client, on a pool of ``max_workers`` threads. Pages are fetched on demand: each region has at most
``PAGES_AHEAD`` pages fetched but not yet consumed, and a worker that has filled a
region's allowance moves on to another region instead of waiting. So memory stays flat
(at most ``PAGES_AHEAD`` pages per region, whatever the number of results), a slow
consumer slows the fetch instead of filling memory, and any number of regions completes
with any number of workers, also when a sorted fetch merges regions and so needs the
next page of one particular region. The worker that fetched a page also decodes it and
hands the decoded page over in the region's page order (so the iterating thread's own work,
writing results somewhere, overlaps with decoding). Results are de-duplicated by key (the
``findingArn`` for findings), checked against ``limit``, and reported through ``on_progress``
in the iterating thread (callbacks need no locking).

A region that fails does not stop the others (unless ``strict=True``): its error lands in
[`ResultStream.errors`][inspector_kit.fetch.ResultStream.errors], a warning is logged when iteration
ends, and [`ResultStream.raise_for_errors`][inspector_kit.fetch.ResultStream.raise_for_errors] turns
it into one [`PartialResultError`][inspector_kit.errors.PartialResultError].
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import queue
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from inspector_kit.errors import FetchOptionError, InspectorKitError, PartialResultError
from inspector_kit.models import Finding

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterator, Sequence

    from typing_extensions import Self

    from ._pages import RawPage

__all__ = [
    "PAGES_AHEAD",
    "FindingStream",
    "ItemIssue",
    "Progress",
    "RegionOutcome",
    "ResultStream",
]

logger = logging.getLogger("inspector_kit.fetch")

T = TypeVar("T")

PAGES_AHEAD = 2
"""Pages per region fetched ahead of the consumer (so at most this many are held)."""
_POLL_SECONDS = 0.05


@attrs.frozen
class ItemIssue:
    """A problem with one item of a response; the rest of the response went on.

    Items are decoded leniently (see ``ApiModel.from_api_lenient``): an item with a member
    that does not fit the service model is still delivered, with that member ``None``,
    and each problem is reported here with ``kept=True``. An item that cannot be kept at
    all (not an object, or missing what it means nothing without, such as a finding's
    ARN) is skipped and reported with ``kept=False``.

    Attributes:
        region: The region the response came from.
        page: 1-based page (or batch) number within that region.
        index: 0-based position of the item within its page.
        error: What was wrong (a [`FindingParseError`][inspector_kit.errors.FindingParseError] with
            the path).
        kept: True when the item was delivered anyway, without the broken member.

    Examples:
        >>> from inspector_kit import FindingParseError
        >>> e = ItemIssue("eu-west-1", 3, 7, FindingParseError("expected a string", 42, "title"))
        >>> print(e)
        eu-west-1 page 3 item 7 (skipped): title: expected a string (value: 42)
    """

    region: str
    page: int
    index: int
    error: InspectorKitError
    kept: bool = False

    def __str__(self) -> str:
        what = "kept without it" if self.kept else "skipped"
        return f"{self.region} page {self.page} item {self.index} ({what}): {self.error}"


@attrs.frozen
class RegionOutcome:
    """How one region's part of a fetch went.

    Attributes:
        region: The AWS region.
        pages: Pages received.
        items: Results delivered to the caller (after de-duplication).
        duplicates: Results dropped because their key was already delivered.
        bad_items: Results skipped because they could not be decoded (see
            [`ResultStream.item_errors`][inspector_kit.fetch.ResultStream.item_errors]).
        partial_items: Results delivered with members that could not be decoded (each
            problem is in
            [`ResultStream.item_errors`][inspector_kit.fetch.ResultStream.item_errors], with
            ``kept=True``).
        retries: Retries botocore made for this region (throttling, 5xx, timeouts).
        error: The error that ended the region, or ``None``.
        complete: True when the region was paged to its end without error.
        seconds: Wall time from the region's first request to its end.

    Examples:
        >>> RegionOutcome("eu-west-1", pages=2, items=30, complete=True).ok
        True
    """

    region: str
    pages: int = 0
    items: int = 0
    duplicates: int = 0
    bad_items: int = 0
    retries: int = 0
    error: InspectorKitError | None = None
    complete: bool = False
    seconds: float = 0.0
    partial_items: int = 0

    @property
    def findings(self) -> int:
        """Alias of [`items`][inspector_kit.fetch.RegionOutcome] for finding streams."""
        return self.items

    @property
    def ok(self) -> bool:
        """True when the region completed without error."""
        return self.complete and self.error is None


@attrs.frozen
class Progress:
    """A progress report, passed to ``on_progress`` after every page and region end.

    Attributes:
        region: The region this report is about.
        pages: Pages received so far from that region.
        items: Results delivered so far from that region.
        total_items: Results delivered so far from all regions.
        regions_done: Regions finished (completed or failed).
        regions_total: Regions in the fetch.
        region_finished: True when this report is the region's last.
        error: The region's error, on its last report.

    Examples:
        >>> p = Progress("us-east-1", 4, 100, 250, 1, 3, False, None)
        >>> f"{p.regions_done}/{p.regions_total} regions, {p.total_items} results"
        '1/3 regions, 250 results'
    """

    region: str
    pages: int
    items: int
    total_items: int
    regions_done: int
    regions_total: int
    region_finished: bool
    error: InspectorKitError | None


@attrs.define
class _Tracker:
    region: str
    pages: int = 0
    items: int = 0
    duplicates: int = 0
    bad_items: int = 0
    partial_items: int = 0
    retries: int = 0
    error: InspectorKitError | None = None
    complete: bool = False
    started: float | None = None
    ended: float | None = None

    def snapshot(self) -> RegionOutcome:
        seconds = 0.0
        if self.started is not None:
            seconds = (self.ended or time.perf_counter()) - self.started
        return RegionOutcome(
            self.region,
            pages=self.pages,
            items=self.items,
            duplicates=self.duplicates,
            bad_items=self.bad_items,
            retries=self.retries,
            error=self.error,
            complete=self.complete,
            seconds=seconds,
            partial_items=self.partial_items,
        )


# Messages from workers: (kind, region, payload...)
_PAGE = "page"
_DONE = "done"
_CRASH = "crash"


def _digest(key: Hashable) -> bytes:
    # 16-byte digests keep the de-duplication set small (about 75 bytes per result,
    # against ~10 KB per finding) while collisions stay impossible in practice.
    return hashlib.blake2b(repr(key).encode(), digest_size=16).digest()


class ResultStream(Generic[T]):
    """A lazy, streaming iterable of typed results fetched from one or more regions.

    Nothing is requested until iteration starts. Iterate it once; afterwards
    [`outcomes`][inspector_kit.fetch.ResultStream.outcomes],
    [`errors`][inspector_kit.fetch.ResultStream.errors] and
    [`item_errors`][inspector_kit.fetch.ResultStream.item_errors] tell how it went. Stopping early
    (``break``, ``limit``, [`close`][inspector_kit.fetch.ResultStream.close]) stops the workers.

    Examples:
        >>> from inspector_kit import Inspector
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with LoopbackInspector() as server:
        ...     inspector = server.inspector(regions=["us-east-1"])
        ...     stream = inspector.coverage()
        ...     resources = list(stream)
        >>> stream.outcomes["us-east-1"].ok, len(resources) > 0, stream.errors
        (True, True, {})
    """

    _kind = "results"

    def __init__(
        self,
        *,
        regions: Sequence[str],
        fetch_region: Callable[[str, Callable[[], bool]], Iterator[RawPage]],
        decode: Callable[[Any, str], tuple[T, Sequence[InspectorKitError]]],
        key: Callable[[T], Hashable] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
        max_workers: int = 8,
        merge_key: Callable[[T], Any] | None = None,
        merge_reverse: bool = False,
        prepare: Callable[[Sequence[str]], None] | None = None,
    ) -> None:
        if limit is not None and (isinstance(limit, bool) or limit < 0):
            raise FetchOptionError(f"limit must be a non-negative integer or None, got {limit!r}")
        if max_workers < 1:
            raise FetchOptionError(f"max_workers must be at least 1, got {max_workers!r}")
        self._regions = tuple(regions)
        self._fetch_region = fetch_region
        self._decode = decode
        self._key = key
        self._limit = limit
        self._strict = strict
        self._on_progress = on_progress
        self._workers = max(1, min(max_workers, len(self._regions)))
        self._merge_key = merge_key if len(self._regions) > 1 else None
        self._merge_reverse = merge_reverse
        self._prepare = prepare
        self._trackers = {r: _Tracker(r) for r in self._regions}
        self._item_errors: list[ItemIssue] = []
        self._stop = threading.Event()
        self._started = False
        self._finished = False
        self._delivered = 0
        self._done_count = 0
        self._seen: set[bytes] = set()
        # Pages travel to the iterating thread through one queue (interleaved) or one per
        # region (merged). The queues are unbounded on purpose: the scheduler below never
        # lets a region have more than PAGES_AHEAD pages fetched and not yet consumed, so a
        # worker never blocks on a full queue (which deadlocked merged fetches with more
        # regions than workers: each worker waited for the merge, the merge for a region
        # no worker had started).
        self._shared: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._per_region: dict[str, queue.Queue[tuple[Any, ...]]] = {}
        if self._merge_key is not None:
            self._per_region = {r: queue.Queue() for r in self._regions}
        self._schedule = _Schedule(self._regions)

    # -- results ---------------------------------------------------------------------

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions this stream fetches from, in the order given."""
        return self._regions

    @property
    def outcomes(self) -> dict[str, RegionOutcome]:
        """Region -> how it went (a snapshot; complete once iteration has ended)."""
        return {r: t.snapshot() for r, t in self._trackers.items()}

    @property
    def errors(self) -> dict[str, InspectorKitError]:
        """Region -> the error that ended it; empty when every region succeeded."""
        return {r: t.error for r, t in self._trackers.items() if t.error is not None}

    @property
    def item_errors(self) -> tuple[ItemIssue, ...]:
        """Items that could not be decoded, with region, page and field path."""
        return tuple(self._item_errors)

    @property
    def count(self) -> int:
        """Results delivered so far."""
        return self._delivered

    @property
    def finished(self) -> bool:
        """True once iteration has ended (exhausted, limited, failed or closed)."""
        return self._finished

    def raise_for_errors(self) -> None:
        """Raise ``PartialResultError`` if any region failed or any item was bad.

        Examples:
            >>> from inspector_kit import Inspector, PartialResultError
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     server.faults.deny_regions = {"eu-west-1"}
            ...     inspector = server.inspector(regions=["us-east-1", "eu-west-1"])
            ...     stream = inspector.findings()
            ...     found = list(stream)
            >>> try:
            ...     stream.raise_for_errors()
            ... except PartialResultError as exc:
            ...     print(sorted(exc.errors), exc.errors["eu-west-1"].code)
            ['eu-west-1'] AccessDeniedException
        """
        if self.errors or self._item_errors:
            raise PartialResultError(self.errors, item_errors=self._item_errors)

    # -- iteration -------------------------------------------------------------------

    def __iter__(self) -> Iterator[T]:
        if self._started:
            raise RuntimeError(
                f"this {type(self).__name__} has already been iterated; fetch again for a new one"
            )
        self._started = True
        return self._run()

    def close(self) -> None:
        """Stop fetching (workers finish their current request and exit)."""
        self._stop.set()
        self._finished = True
        self._drain()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self) -> Iterator[T]:
        if self._prepare is not None:
            self._prepare(self._regions)
        pagers: dict[str, Iterator[RawPage]] = {}
        for n in range(self._workers):
            thread = threading.Thread(
                target=self._worker,
                args=(pagers,),
                name=f"inspector-kit-fetch-{n}",
                daemon=True,
            )
            thread.start()
        try:
            if self._limit == 0:
                return
            if self._merge_key is not None:
                yield from self._merged()
            else:
                yield from self._interleaved()
        finally:
            self._stop.set()
            self._finished = True
            self._drain()
        self._report()

    def _interleaved(self) -> Iterator[T]:
        pending = len(self._regions)
        while pending:
            message = self._get(self._shared)
            if message is None:
                return
            kind, region = message[0], message[1]
            if kind == _PAGE:
                self._schedule.consumed(region)
                for item in self._accept(region, message):
                    yield item
                    if self._limit is not None and self._delivered >= self._limit:
                        return
            elif kind == _DONE:
                pending -= 1
                self._region_done(region, message[2])
            else:
                raise message[2]

    def _merged(self) -> Iterator[T]:
        def region_items(region: str) -> Iterator[tuple[str, T]]:
            source = self._per_region[region]
            while True:
                message = self._get(source)
                if message is None:
                    return
                kind = message[0]
                if kind == _PAGE:
                    self._schedule.consumed(region)
                    for item in self._decoded(region, message):
                        yield region, item
                elif kind == _DONE:
                    self._region_done(region, message[2])
                    return
                else:
                    raise message[2]

        merge_key = self._merge_key
        assert merge_key is not None
        merged = heapq.merge(
            *(region_items(r) for r in self._regions),
            key=lambda pair: merge_key(pair[1]),
            reverse=self._merge_reverse,
        )
        for region, item in merged:
            if self._admit(item, region):
                yield item
                if self._limit is not None and self._delivered >= self._limit:
                    return

    def _get(self, source: queue.Queue[tuple[Any, ...]]) -> tuple[Any, ...] | None:
        while not self._stop.is_set():
            try:
                return source.get(timeout=_POLL_SECONDS * 4)
            except queue.Empty:
                continue
        return None

    # -- bookkeeping (iterating thread only) ------------------------------------------

    def _decoded(self, region: str, message: tuple[Any, ...]) -> Iterator[T]:
        # The worker that fetched the page decodes it (see _Slot); here, in the iterating
        # thread, each item's outcome is booked in page order, exactly as if decoded here.
        slot: _Slot[T] = message[2]
        if not slot.wait(self._stop):
            return
        number = slot.number
        tracker = self._trackers[region]
        tracker.pages += 1
        tracker.retries += slot.retries
        self._progress(region, finished=False)
        for index, (item, problems, error) in enumerate(slot.items):
            if error is not None:
                if not isinstance(error, InspectorKitError):
                    raise error  # a bug in a decoder: surface it as is
                tracker.bad_items += 1
                self._item_errors.append(ItemIssue(region, number, index, error))
                if self._strict:
                    raise error
                continue
            if problems:
                tracker.partial_items += 1
                self._item_errors.extend(
                    ItemIssue(region, number, index, problem, kept=True) for problem in problems
                )
                if self._strict:
                    raise problems[0]
            yield item

    def _accept(self, region: str, message: tuple[Any, ...]) -> Iterator[T]:
        for item in self._decoded(region, message):
            if self._admit(item, region):
                yield item

    def _admit(self, item: T, region: str) -> bool:
        tracker = self._trackers[region]
        if self._key is not None:
            digest = _digest(self._key(item))
            if digest in self._seen:
                tracker.duplicates += 1
                return False
            self._seen.add(digest)
        tracker.items += 1
        self._delivered += 1
        return True

    def _region_done(self, region: str, error: InspectorKitError | None) -> None:
        tracker = self._trackers[region]
        tracker.ended = time.perf_counter()
        tracker.error = error
        tracker.complete = error is None
        self._done_count += 1
        self._progress(region, finished=True)
        if error is not None and self._strict:
            raise error

    def _progress(self, region: str, *, finished: bool) -> None:
        if self._on_progress is None:
            return
        tracker = self._trackers[region]
        self._on_progress(
            Progress(
                region=region,
                pages=tracker.pages,
                items=tracker.items,
                total_items=self._delivered,
                regions_done=self._done_count,
                regions_total=len(self._regions),
                region_finished=finished,
                error=tracker.error if finished else None,
            )
        )

    def _report(self) -> None:
        errors = self.errors
        if errors:
            logger.warning(
                "%d of %d regions failed; %d %s fetched from the others: %s",
                len(errors),
                len(self._regions),
                self._delivered,
                self._kind,
                "; ".join(str(e) for _, e in sorted(errors.items())),
            )
        if self._item_errors:
            logger.warning(
                "%d problems decoding %s (see .item_errors): %d skipped, %d kept without "
                "the broken members; first: %s",
                len(self._item_errors),
                self._kind,
                sum(t.bad_items for t in self._trackers.values()),
                sum(t.partial_items for t in self._trackers.values()),
                self._item_errors[0],
            )

    # -- workers ---------------------------------------------------------------------

    def _worker(self, pagers: dict[str, Iterator[RawPage]]) -> None:
        # Each turn fetches ONE page of whichever region is due next, so no worker ever
        # waits for the consumer; a region's pager is advanced by one worker at a time
        # (the schedule hands a region out only when its previous page is in).
        schedule = self._schedule
        while not self._stop.is_set():
            region = schedule.next_region(self._stop)
            if region is None:
                return
            tracker = self._trackers[region]
            if tracker.started is None:
                tracker.started = time.perf_counter()
            sink = self._per_region.get(region, self._shared)
            try:
                pager = pagers.get(region)
                if pager is None:
                    pager = pagers[region] = iter(self._fetch_region(region, self._stop.is_set))
                page = next(pager, None)
            except InspectorKitError as exc:  # a failed call, or an answer that does not fit
                schedule.finished(region)
                sink.put((_DONE, region, exc))
                continue
            except BaseException as exc:  # a bug, not an AWS failure: surface it as is
                schedule.finished(region)
                sink.put((_CRASH, region, exc))
                continue
            if page is None:
                schedule.finished(region)
                if not self._stop.is_set():  # a stopped pager ends early: not "complete"
                    sink.put((_DONE, region, None))
                continue
            # Hand the page over as a slot BEFORE decoding it: the slot's place in the queue
            # keeps the region's page order, the region is free for its next request while
            # this worker decodes (decoding is off the region's critical path), and the
            # iterating thread only does the bookkeeping (issue 19: one consumer decoding
            # every page was the bottleneck of wide fan-outs).
            slot: _Slot[T] = _Slot(page.number, page.retries)
            sink.put((_PAGE, region, slot))
            schedule.fetched(region)
            slot.fill(page.items, region, self._decode, self._stop)

    def _drain(self) -> None:
        for sink in (self._shared, *self._per_region.values()):
            try:
                while True:
                    sink.get_nowait()
            except queue.Empty:
                pass


class _Slot(Generic[T]):
    """One fetched page, decoded by the worker that fetched it, handed to the iterating thread.

    The slot is queued as soon as the page has arrived (so pages keep their order) and filled
    once decoded; the iterating thread waits for it. Each raw item becomes ``(item, problems,
    None)`` or ``(None, (), error)`` with the exception ``decode`` raised, which the iterating
    thread books (or raises) at the item's place, so outcomes, ``strict`` and ``limit`` work as
    if it had decoded the page itself.
    """

    __slots__ = ("_ready", "items", "number", "retries")

    def __init__(self, number: int, retries: int) -> None:
        self.number = number
        self.retries = retries
        self.items: list[tuple[Any, Sequence[InspectorKitError], BaseException | None]] = []
        self._ready = threading.Event()

    def fill(
        self,
        raw_items: Sequence[Any],
        region: str,
        decode: Callable[[Any, str], tuple[T, Sequence[InspectorKitError]]],
        stop: threading.Event,
    ) -> None:
        """Decode ``raw_items`` (stopping early once ``stop`` is set), then mark it ready."""
        out = self.items
        try:
            for raw in raw_items:
                if stop.is_set():
                    break
                try:
                    item, problems = decode(raw, region)
                except BaseException as exc:  # booked (or raised) by the iterating thread
                    out.append((None, (), exc))
                    if not isinstance(exc, Exception):
                        break  # KeyboardInterrupt and the like: the iterating thread raises it
                else:
                    out.append((item, problems, None))
        finally:
            self._ready.set()

    def wait(self, stop: threading.Event) -> bool:
        """Wait until filled; ``False`` if the stream was stopped first."""
        while not self._ready.wait(_POLL_SECONDS * 4):
            if stop.is_set():
                return False
        return True


class _Schedule:
    """Which region a free worker pages next: regions that may fetch, in turn.

    A region is *due* when it has fewer than ``PAGES_AHEAD`` pages fetched and not
    yet consumed and no request under way. Due regions wait in a FIFO, so regions take
    turns and every region starts however few workers there are.
    """

    def __init__(self, regions: Sequence[str]) -> None:
        self._cond = threading.Condition()
        self._due: deque[str] = deque(regions)
        self._queued = set(regions)
        self._ahead = dict.fromkeys(regions, 0)
        self._busy: set[str] = set()
        self._ended: set[str] = set()
        self._total = len(self._ahead)

    def next_region(self, stop: threading.Event) -> str | None:
        """Take the next due region (marked busy); ``None`` once all ended or stopped."""
        with self._cond:
            while not self._due:
                if stop.is_set() or len(self._ended) == self._total:
                    return None
                self._cond.wait(_POLL_SECONDS * 4)
            if stop.is_set():
                return None
            region = self._due.popleft()
            self._queued.discard(region)
            self._busy.add(region)
            return region

    def fetched(self, region: str) -> None:
        """A worker delivered one page of ``region``: queue it again if it may go on."""
        with self._cond:
            self._busy.discard(region)
            self._ahead[region] += 1
            self._requeue(region)

    def consumed(self, region: str) -> None:
        """The iterating thread took one page of ``region``: it may fetch another."""
        with self._cond:
            self._ahead[region] -= 1
            self._requeue(region)

    def finished(self, region: str) -> None:
        """``region`` has no more pages (ended, failed or stopped)."""
        with self._cond:
            self._busy.discard(region)
            self._ended.add(region)
            self._cond.notify_all()

    def _requeue(self, region: str) -> None:
        if (
            region not in self._busy
            and region not in self._ended
            and region not in self._queued
            and self._ahead[region] < PAGES_AHEAD
        ):
            self._due.append(region)
            self._queued.add(region)
            self._cond.notify()


class FindingStream(ResultStream[Finding]):
    """A lazy, streaming iterable of [`Finding`][inspector_kit.models.Finding], from every region.

    Returned by [`Inspector.findings`][inspector_kit.fetch.Inspector.findings]. Findings are
    de-duplicated by ``findingArn``. After iteration,
    [`outcomes`][inspector_kit.fetch.FindingStream] gives per-region pages, findings, retries and
    error; [`errors`][inspector_kit.fetch.FindingStream] maps each failed region to its error.

    Examples:
        >>> from inspector_kit import Inspector, Severity
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with LoopbackInspector() as server:
        ...     inspector = server.inspector(regions=["us-east-1", "eu-west-1"])
        ...     stream = inspector.findings({"severity": [{"comparison": "EQUALS",
        ...                                                "value": "CRITICAL"}]})
        ...     critical = list(stream)
        >>> all(f.severity is Severity.CRITICAL for f in critical)
        True
        >>> sorted(stream.outcomes), stream.errors
        (['eu-west-1', 'us-east-1'], {})
    """

    _kind = "findings"
