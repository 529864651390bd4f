"""Fault injection for the loopback Inspector: throttling, 5xx, access denied, latency, bad paging.

A [`Faults`][inspector_kit.testing.Faults] object is mutable and may be changed while the server
runs (each request reads the current settings). Random faults draw from a private RNG seeded with
``seed``, so a run with the same seed and the same request sequence injects the same faults.
"""

from __future__ import annotations

import random
import threading
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["Faults"]


def _rate(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InvalidArgumentError(
            f"{attribute.name} must be a probability in [0, 1], got {value!r}"
        )


def _non_negative(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if value < 0:
        raise InvalidArgumentError(f"{attribute.name} must not be negative, got {value!r}")


def _region_set(value: Iterable[str]) -> set[str]:
    return {value} if isinstance(value, str) else set(value)


def _latency_map(value: Mapping[str, float]) -> dict[str, float]:
    return dict(value)


def _operations(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset({value} if isinstance(value, str) else value)


def _reseed(instance: Faults, attribute: attrs.Attribute[Any], value: int | None) -> int | None:
    with instance._lock:
        instance._rng.seed(value)
    return value


@attrs.define(eq=False)
class Faults:
    """What the loopback server does wrong, on purpose. Every knob defaults to "nothing".

    Request faults (checked in this order, each counted in
    [`injected`][inspector_kit.testing.Faults.injected]):

    * ``latency`` + ``latency_by_region[region]`` seconds are slept before answering;
    * a region in ``deny_regions`` (or a caller account in ``deny_accounts``) answers 403
      ``AccessDeniedException``; a caller account in ``throttle_accounts`` answers 429;
    * ``server_error_burst``: the next N requests get 500 ``InternalServerException``
      (the counter goes down as they are served);
    * ``throttle_rate``: probability of a 429 ``ThrottlingException``;
    * ``server_error_rate``: probability of a 500 ``InternalServerException``.

    Pagination faults (List* operations only):

    * ``empty_pages``: N empty pages, each carrying a token, are served before every real page;
    * ``repeat_token``: a request with a ``nextToken`` gets that same token back (endless
      paging; boto3's paginator raises ``PaginationError``);
    * ``trailing_token``: the last real page still carries a token; the next call returns an
      empty page without one;
    * ``duplicate_overlap``: each page after the first starts with the last k items of the
      previous page again, as if data shifted while paging (k is capped at page size - 1).

    ``operations`` restricts every fault to these operation names (``None``: all).

    Examples:
        >>> faults = Faults(throttle_rate=0.5, deny_regions={"eu-west-1"}, seed=7)
        >>> faults.deny_regions.add("ap-northeast-1")
        >>> faults.injected
        {}
        >>> try:
        ...     Faults(throttle_rate=2.0)
        ... except ValueError as exc:  # an inspector_kit.errors.InvalidArgumentError
        ...     print(exc)
        throttle_rate must be a probability in [0, 1], got 2.0
    """

    throttle_rate: float = attrs.field(default=0.0, validator=_rate)
    """Probability that a request gets 429 ``ThrottlingException``."""
    server_error_rate: float = attrs.field(default=0.0, validator=_rate)
    """Probability that a request gets 500 ``InternalServerException``."""
    server_error_burst: int = attrs.field(default=0, validator=_non_negative)
    """The next N requests get 500 ``InternalServerException`` (counts down)."""
    deny_regions: set[str] = attrs.field(factory=set, converter=_region_set)
    """Regions answering 403 ``AccessDeniedException`` to every request."""
    deny_accounts: set[str] = attrs.field(factory=set, converter=_region_set)
    """Caller accounts (see ``LoopbackInspector(accounts=...)``) answering 403 to every request."""
    throttle_accounts: set[str] = attrs.field(factory=set, converter=_region_set)
    """Caller accounts answering 429 ``ThrottlingException`` to every request."""
    latency_by_account: dict[str, float] = attrs.field(factory=dict, converter=_latency_map)
    """Extra seconds per caller account, added to ``latency``."""
    latency: float = attrs.field(default=0.0, validator=_non_negative)
    """Seconds added to every request."""
    latency_by_region: dict[str, float] = attrs.field(factory=dict, converter=_latency_map)
    """Extra seconds per region, added to [`latency`][inspector_kit.testing.Faults.latency]."""
    empty_pages: int = attrs.field(default=0, validator=_non_negative)
    """Empty pages (with a token) served before each real page."""
    repeat_token: bool = False
    """Return the request's own ``nextToken`` again: endless pagination."""
    trailing_token: bool = False
    """The last real page carries a token; the call after it returns an empty, final page."""
    duplicate_overlap: int = attrs.field(default=0, validator=_non_negative)
    """Each page after the first repeats the last k items of the previous page."""
    operations: frozenset[str] | None = attrs.field(default=None, converter=_operations)
    """Only these operations get faults (``None``: every operation)."""
    seed: int | None = attrs.field(default=None, on_setattr=_reseed)
    """Seed of the RNG behind ``throttle_rate``/``server_error_rate`` (setting it reseeds)."""
    injected: dict[str, int] = attrs.field(factory=dict, init=False)
    """How many faults of each kind were injected: keys ``latency``, ``access_denied``,
    ``server_error``, ``throttle``, ``empty_page``, ``repeat_token``, ``trailing_token``,
    ``duplicate_overlap``."""
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False, repr=False)
    _rng: random.Random = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def applies_to(self, operation: str) -> bool:
        """True when faults apply to ``operation`` (see ``operations``).

        Examples:
            >>> Faults(operations=["ListFindings"]).applies_to("ListCoverage")
            False
        """
        return self.operations is None or operation in self.operations

    def count(self, kind: str, n: int = 1) -> None:
        """Add ``n`` to the ``injected`` counter ``kind`` (thread-safe)."""
        with self._lock:
            self.injected[kind] = self.injected.get(kind, 0) + n

    def reset_counters(self) -> None:
        """Forget every [`injected`][inspector_kit.testing.Faults.injected] count.

        Examples:
            >>> faults = Faults()
            >>> faults.count("throttle")
            >>> faults.reset_counters()
            >>> faults.injected
            {}
        """
        with self._lock:
            self.injected.clear()

    def delay_for(self, region: str) -> float:
        """Seconds to sleep before answering a request for ``region``."""
        return self.latency + self.latency_by_region.get(region, 0.0)

    def draw_error(self) -> str | None:
        """Decide the error fault for one request: ``server_error``, ``throttle`` or ``None``.

        Consumes one unit of [`server_error_burst`][inspector_kit.testing.Faults.server_error_burst]
        when it is positive; otherwise draws from the seeded RNG, once per non-zero rate (throttling
        first), so a given seed and request sequence always inject the same faults.
        """
        with self._lock:
            if self.server_error_burst > 0:
                self.server_error_burst -= 1
                return "server_error"
            if self.throttle_rate and self._rng.random() < self.throttle_rate:
                return "throttle"
            if self.server_error_rate and self._rng.random() < self.server_error_rate:
                return "server_error"
        return None
