"""Streams of typed results fetched from many regions at once.

A :class:`ResultStream` runs one worker thread per region (up to ``max_workers``), each
paging its own region with its own client; pages reach the iterating thread through a
bounded queue, so memory stays flat however many results there are, and a slow consumer
slows the fetch instead of filling memory. Results are de-duplicated by key (the
``findingArn`` for findings), checked against ``limit``, and reported through
``on_progress`` in the iterating thread (callbacks need no locking).

A region that fails does not stop the others (unless ``strict=True``): its error lands in
:attr:`ResultStream.errors`, a warning is logged when iteration ends, and
:meth:`ResultStream.raise_for_errors` turns it into one
:class:`~inspector_kit.errors.PartialResultError`.
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

from inspector_kit.errors import FetchError, InspectorKitError, PartialResultError
from inspector_kit.models import Finding

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterator, Sequence

    from typing_extensions import Self

    from ._pages import RawPage

__all__ = ["FindingStream", "ItemError", "Progress", "RegionOutcome", "ResultStream"]

logger = logging.getLogger("inspector_kit.fetch")

T = TypeVar("T")

_QUEUE_PAGES_PER_WORKER = 2
_PUT_POLL_SECONDS = 0.05


@attrs.frozen
class ItemError:
    """One item of a page that could not be decoded; the rest of the page went on.

    Attributes:
        region: The region the page came from.
        page: 1-based page number within that region.
        index: 0-based position of the item within its page.
        error: What was wrong (a :class:`~inspector_kit.FindingParseError` with the path).

    Example:
        >>> from inspector_kit import FindingParseError
        >>> e = ItemError("eu-west-1", 3, 7, FindingParseError("expected a string", 42, "title"))
        >>> print(e)
        eu-west-1 page 3 item 7: title: expected a string (value: 42)
    """

    region: str
    page: int
    index: int
    error: InspectorKitError

    def __str__(self) -> str:
        return f"{self.region} page {self.page} item {self.index}: {self.error}"


@attrs.frozen
class RegionOutcome:
    """How one region's part of a fetch went.

    Attributes:
        region: The AWS region.
        pages: Pages received.
        items: Results delivered to the caller (after de-duplication).
        duplicates: Results dropped because their key was already delivered.
        bad_items: Results that could not be decoded (see :attr:`ResultStream.item_errors`).
        retries: Retries botocore made for this region (throttling, 5xx, timeouts).
        error: The error that ended the region, or ``None``.
        complete: True when the region was paged to its end without error.
        seconds: Wall time from the region's first request to its end.

    Example:
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

    @property
    def findings(self) -> int:
        """Alias of :attr:`items` for finding streams."""
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

    Example:
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
    :attr:`outcomes`, :attr:`errors` and :attr:`item_errors` tell how it went. Stopping
    early (``break``, ``limit``, :meth:`close`) stops the workers.

    Example:
        >>> from inspector_kit import Inspector
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with LoopbackInspector() as server:
        ...     inspector = Inspector(regions=["us-east-1"], endpoint_url=server.endpoint_url)
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
        decode: Callable[[Any, str], T],
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
            raise ValueError(f"limit must be a non-negative integer or None, got {limit!r}")
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers!r}")
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
        self._item_errors: list[ItemError] = []
        self._stop = threading.Event()
        self._started = False
        self._finished = False
        self._delivered = 0
        self._done_count = 0
        self._seen: set[bytes] = set()
        size = _QUEUE_PAGES_PER_WORKER * self._workers
        self._shared: queue.Queue[tuple[Any, ...]] = queue.Queue(maxsize=size)
        self._per_region: dict[str, queue.Queue[tuple[Any, ...]]] = {}
        if self._merge_key is not None:
            self._per_region = {
                r: queue.Queue(maxsize=_QUEUE_PAGES_PER_WORKER) for r in self._regions
            }

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
    def item_errors(self) -> tuple[ItemError, ...]:
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
        """Raise :class:`PartialResultError` if any region failed or any item was bad.

        Example:
            >>> from inspector_kit import Inspector, PartialResultError
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     server.faults.deny_regions = {"eu-west-1"}
            ...     inspector = Inspector(regions=["us-east-1", "eu-west-1"],
            ...                           endpoint_url=server.endpoint_url)
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
        todo = deque(self._regions)
        lock = threading.Lock()
        for n in range(self._workers):
            thread = threading.Thread(
                target=self._worker,
                args=(todo, lock),
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
                return source.get(timeout=_PUT_POLL_SECONDS * 4)
            except queue.Empty:
                continue
        return None

    # -- bookkeeping (iterating thread only) ------------------------------------------

    def _decoded(self, region: str, message: tuple[Any, ...]) -> Iterator[T]:
        # Decoding happens here, in the iterating thread, so that the worker can already
        # wait for its next page while this one is turned into models.
        _, _, number, raw_items, retries = message
        tracker = self._trackers[region]
        tracker.pages += 1
        tracker.retries += retries
        self._progress(region, finished=False)
        decode = self._decode
        for index, raw in enumerate(raw_items):
            try:
                item = decode(raw, region)
            except InspectorKitError as exc:
                tracker.bad_items += 1
                self._item_errors.append(ItemError(region, number, index, exc))
                if self._strict:
                    raise
                continue
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
                "%d %s could not be decoded and were skipped (see .item_errors); first: %s",
                len(self._item_errors),
                self._kind,
                self._item_errors[0],
            )

    # -- workers ---------------------------------------------------------------------

    def _sink(self, region: str) -> queue.Queue[tuple[Any, ...]]:
        return self._per_region.get(region, self._shared)

    def _put(self, region: str, message: tuple[Any, ...]) -> bool:
        sink = self._sink(region)
        while not self._stop.is_set():
            try:
                sink.put(message, timeout=_PUT_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def _worker(self, todo: deque[str], lock: threading.Lock) -> None:
        while not self._stop.is_set():
            with lock:
                if not todo:
                    return
                region = todo.popleft()
            self._trackers[region].started = time.perf_counter()
            try:
                for page in self._fetch_region(region, self._stop.is_set):
                    message = (_PAGE, region, page.number, page.items, page.retries)
                    if not self._put(region, message):
                        return
                self._put(region, (_DONE, region, None))
            except FetchError as exc:
                self._put(region, (_DONE, region, exc))
            except BaseException as exc:  # a bug, not an AWS failure: surface it as is
                self._put(region, (_CRASH, region, exc))

    def _drain(self) -> None:
        for sink in (self._shared, *self._per_region.values()):
            try:
                while True:
                    sink.get_nowait()
            except queue.Empty:
                pass


class FindingStream(ResultStream[Finding]):
    """A lazy, streaming iterable of :class:`~inspector_kit.Finding`, from every region.

    Returned by :meth:`inspector_kit.Inspector.findings`. Findings are de-duplicated by
    ``findingArn``. After iteration, :attr:`outcomes` gives per-region pages, findings,
    retries and error; :attr:`errors` maps each failed region to its error.

    Example:
        >>> from inspector_kit import Inspector, Severity
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with LoopbackInspector() as server:
        ...     inspector = Inspector(regions=["us-east-1", "eu-west-1"],
        ...                           endpoint_url=server.endpoint_url)
        ...     stream = inspector.findings({"severity": [{"comparison": "EQUALS",
        ...                                                "value": "CRITICAL"}]})
        ...     critical = list(stream)
        >>> all(f.severity is Severity.CRITICAL for f in critical)
        True
        >>> sorted(stream.outcomes), stream.errors
        (['eu-west-1', 'us-east-1'], {})
    """

    _kind = "findings"
