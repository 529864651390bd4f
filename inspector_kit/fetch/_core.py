"""The core every area of the fetch layer is built on (httpx's transport, in spirit).

``Core`` owns what the areas share: the boto3 session, the resolved regions, one
``inspector2`` client per region and the EC2/SSM/S3 clients (all with the one merged
botocore ``Config``), and ONE concurrency mechanism: the page-scheduling worker pool of
[`ResultStream`][inspector_kit.fetch.ResultStream]. Paged operations stream through it
(``Core.stream``); per-region one-shot work (a count, a batch of account statuses, a
region's inventory) runs through it too (``Core.per_region``), each region's work
delivered as the single "page" of that region.

The areas (``_findings``, ``_coverage``, ``_account``, ``_exports``, ``_inventory``) take a
``Core`` and never each other's internals; the [`Inspector`][inspector_kit.fetch.Inspector] facade
owns a ``Core`` and delegates to the areas.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeVar

import boto3

from inspector_kit.errors import FetchOptionError, InspectorKitError

from ._client import CONNECTION_MAX_ATTEMPTS, ClientFactory, ServiceClients, resolve_regions
from ._pages import RawPage, pages
from ._stream import ResultStream

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence

    from botocore.config import Config
    from types_boto3_inspector2 import Inspector2Client

    from ._stream import Progress

__all__ = ["MAX_WORKERS", "Core"]

logger = logging.getLogger("inspector_kit.fetch")

R = TypeVar("R")
T = TypeVar("T")

MAX_WORKERS = 64
"""Default cap of regions fetched at once: by default every region of a call gets its own worker.

Fetching is I/O-bound (each worker waits on one region's request at a time, and a region is
paged by one worker at a time), so fewer workers than regions only makes regions wait a turn:
with a cap of 16, the 17th region of a 250 ms/request fan-out waited a whole round (issue 19).
Inspector is in 33 regions of the ``aws`` partition today (docs/facts.md#fanout); the cap bounds
the threads of an unexpected call (a long region list) without ever limiting a real fan-out.
``max_workers`` overrides it.
"""


class Core:
    """Session, regions, clients and the one fan-out mechanism the areas share.

    Args: as [`Inspector`][inspector_kit.fetch.Inspector]'s of the same names.

    Raises:
        FetchOptionError: ``connection_attempts`` or ``max_workers`` is not a positive
            integer, or a region is not a region name.

    Examples:
        >>> import boto3
        >>> core = Core(boto3.Session(region_name="us-east-1"), regions=["eu-west-1"])
        >>> core.regions, core.max_workers, core.client("eu-west-1").meta.region_name
        (('eu-west-1',), 1, 'eu-west-1')
        >>> results, errors = core.per_region(core.regions, lambda r: r.upper(), strict=False)
        >>> results, errors
        ({'eu-west-1': 'EU-WEST-1'}, {})
    """

    def __init__(
        self,
        session: boto3.session.Session | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        config: Config | None = None,
        endpoint_url: str | None = None,
        max_workers: int | None = None,
        connection_attempts: int = CONNECTION_MAX_ATTEMPTS,
    ) -> None:
        if (
            isinstance(connection_attempts, bool)
            or not isinstance(connection_attempts, int)
            or connection_attempts < 1
        ):
            raise FetchOptionError(
                f"connection_attempts must be a positive integer, got {connection_attempts!r}"
            )
        self.session = session if session is not None else boto3.session.Session()
        self.regions: tuple[str, ...] = resolve_regions(self.session, regions)
        if max_workers is not None and (isinstance(max_workers, bool) or max_workers < 1):
            raise FetchOptionError(f"max_workers must be a positive integer, got {max_workers!r}")
        self._max_workers = max_workers
        self.max_workers = self.workers_for(self.regions)
        self.clients = ClientFactory(
            self.session,
            config=config,
            endpoint_url=endpoint_url,
            connection_attempts=connection_attempts,
        )
        # EC2, SSM (inventory) and S3 (exports): same session and Config, never endpoint_url.
        self.services = ServiceClients(
            self.session, config=config, connection_attempts=connection_attempts
        )

    def workers_for(self, regions: Sequence[str]) -> int:
        """Worker threads for a fan-out over ``regions``.

        ``max_workers`` when given; otherwise one per region, at most ``MAX_WORKERS``.

        Examples:
            >>> import boto3
            >>> core = Core(boto3.Session(region_name="us-east-1"))
            >>> core.workers_for(["eu-west-1"] * 17), core.workers_for(["eu-west-1"] * 100)
            (17, 64)
            >>> Core(boto3.Session(region_name="us-east-1"), max_workers=4).workers_for(["a"] * 9)
            4
        """
        if self._max_workers is not None:
            return self._max_workers
        return max(1, min(MAX_WORKERS, len(regions)))

    def client(self, region: str | None = None) -> Inspector2Client:
        """The ``inspector2`` client for ``region`` (default: the first region)."""
        return self.clients.get(region or self.regions[0])

    def service(self, service: str, region: str) -> Any:
        """The ``service`` (``ec2``, ``ssm``, ``s3``) client for ``region``."""
        return self.services.get(service, region)

    def resolve(self, regions: str | Iterable[str] | None) -> tuple[str, ...]:
        """A call's regions: the core's own, or the given ones resolved."""
        return self.regions if regions is None else resolve_regions(self.session, regions)

    def pager(
        self, operation: str, method: str, params: Mapping[str, Any], items_key: str
    ) -> Callable[[str, Callable[[], bool]], Iterator[RawPage]]:
        """``(region, stopped) -> pages`` of one paginated ``inspector2`` operation."""

        def fetch(region: str, stopped: Callable[[], bool]) -> Iterator[RawPage]:
            return pages(
                self.clients.get(region),
                operation,
                method,
                params,
                items_key=items_key,
                region=region,
                stopped=stopped,
            )

        return fetch

    def stream(
        self,
        operation: str,
        method: str,
        params: Mapping[str, Any],
        items_key: str,
        decode: Callable[[Any, str], tuple[T, Sequence[InspectorKitError]]],
        *,
        regions: str | Iterable[str] | None,
        key: Callable[[T], Hashable] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
        merge_key: Callable[[T], Any] | None = None,
        merge_reverse: bool = False,
        cls: type[ResultStream[T]] = ResultStream,
    ) -> ResultStream[T]:
        """A lazy stream of one paginated operation over regions (see ``ResultStream``)."""
        targets = self.resolve(regions)
        return cls(
            regions=targets,
            fetch_region=self.pager(operation, method, params, items_key),
            decode=decode,
            key=key,
            limit=limit,
            strict=strict,
            on_progress=on_progress,
            max_workers=self.workers_for(targets),
            merge_key=merge_key,
            merge_reverse=merge_reverse,
            prepare=self.clients.prepare,
        )

    def per_region(
        self,
        regions: Sequence[str],
        fn: Callable[[str], R],
        *,
        strict: bool,
        on_result: Callable[[str, R], None] | None = None,
    ) -> tuple[dict[str, R], dict[str, InspectorKitError]]:
        """Run ``fn(region)`` for every region on the stream's workers; collect the results.

        A region whose ``fn`` raises an
        [`InspectorKitError`][inspector_kit.errors.InspectorKitError] (a failed call, an answer that
        does not fit the model) lands in the errors, and the others' results stand; with ``strict``
        the first error in region order is raised once every region has finished. Anything else (a
        bug) is raised as is. ``on_result(region, result)`` is called in the calling thread as each
        region finishes.
        """
        if not regions:
            return {}, {}

        def fetch(region: str, stopped: Callable[[], bool]) -> Iterator[RawPage]:
            yield RawPage(items=[fn(region)], retries=0, number=1)

        stream: _PerRegion[R] = _PerRegion(
            regions=regions,
            fetch_region=fetch,
            decode=_with_region,
            max_workers=self.workers_for(regions),
            prepare=self.clients.prepare,
        )
        results: dict[str, R] = {}
        for region, result in stream:
            results[region] = result
            if on_result is not None:
                on_result(region, result)
        errors = {r: e for r in regions if (e := stream.errors.get(r)) is not None}
        if strict and errors:
            raise next(iter(errors.values()))
        return results, errors


def _with_region(raw: Any, region: str) -> tuple[tuple[str, Any], tuple[()]]:
    return (region, raw), ()


class _PerRegion(ResultStream[tuple[str, R]]):
    """One result per region through the stream's workers (see ``Core.per_region``)."""

    _kind = "results"

    def _report(self) -> None:
        errors = self.errors
        if errors:
            logger.warning(
                "%d of %d regions failed: %s",
                len(errors),
                len(self.regions),
                "; ".join(str(e) for _, e in sorted(errors.items())),
            )
