"""Which failures are worth retrying, and for how long.

botocore's retry modes treat every failure they call transient alike: with our
``max_attempts`` of 12 (see ``_client``), a call to an endpoint with an unsupported
scheme (``ftp://...``) was retried for 50 s and a refused port for 64 s before the user
heard of it. Retrying only helps where the cause can go away by itself, so failures are
sorted into three budgets:

* **Configuration errors** fail at once: an endpoint URL botocore cannot use (unsupported
  scheme, malformed host), a TLS failure (certificate verification, protocol mismatch),
  invalid proxy settings. Nothing changes between attempts.
* **Connection errors** get ``CONNECTION_MAX_ATTEMPTS`` attempts in all (botocore's
  backoff between them: at most 1 s, then 2 s): connection refused, unknown host,
  connect and read timeouts, a connection closed mid-response. A blip heals within
  seconds; a wrong port or host does not heal at all.
* **Throttling and server errors** (429, 5xx and the codes botocore models as retryable)
  keep botocore's full budget (``max_attempts``, 12 by default): they are what retrying
  is for.

The sorting is a handler on botocore's public ``needs-retry`` event, registered before
botocore's own retry handler. For a failure over its budget it re-raises the failure at
once, so botocore's handler never schedules another attempt; for anything else it
returns ``None`` and botocore decides as usual (mode, backoff, retry quota). The error
that reaches the caller is botocore's own, translated by ``_errors.translate``.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    InvalidProxiesConfigError,
    ProxyConnectionError,
    ReadTimeoutError,
    SSLError,
)

from inspector_kit.errors import FetchOptionError

__all__ = ["CONNECTION_MAX_ATTEMPTS", "FailFast", "failure_kind", "install"]

CONNECTION_MAX_ATTEMPTS: Final = 3
"""Attempts, the first included, for a call that cannot connect (refused, timed out...)."""

Kind = Literal["configuration", "connection"]

_CONNECTION = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ProxyConnectionError,
    ConnectionClosedError,
)


def failure_kind(exc: BaseException | None) -> Kind | None:
    """``"configuration"``, ``"connection"``, or ``None`` (botocore's budget applies).

    Examples:
        >>> from botocore.exceptions import EndpointConnectionError, HTTPClientError
        >>> failure_kind(EndpointConnectionError(endpoint_url="http://127.0.0.1:1"))
        'connection'
        >>> failure_kind(HTTPClientError(error=ValueError("Not supported URL scheme ftp")))
        'configuration'
        >>> failure_kind(None) is None
        True
    """
    if exc is None:
        return None
    # SSLError is an EndpointConnectionError to botocore; a bad certificate never heals.
    if isinstance(exc, (SSLError, InvalidProxiesConfigError)):
        return "configuration"
    if isinstance(exc, _CONNECTION):
        return "connection"
    if isinstance(exc, HTTPClientError):
        # urllib3 reports a URL it cannot use (scheme, host, port) as a ValueError
        # (LocationValueError, URLSchemeUnknown); other client errors are the connection's.
        cause = getattr(exc, "kwargs", {}).get("error")
        return "configuration" if isinstance(cause, ValueError) else "connection"
    return None


class FailFast:
    """The ``needs-retry`` handler: re-raise failures that are over their budget.

    Args:
        connection_attempts: Attempts in all for connection errors (at least 1).

    Examples:
        >>> from botocore.exceptions import EndpointConnectionError
        >>> handler = FailFast(connection_attempts=2)
        >>> refused = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
        >>> handler(attempts=1, caught_exception=refused) is None  # botocore may retry
        True
        >>> handler(attempts=2, caught_exception=refused)
        Traceback (most recent call last):
        ...
        botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: ...
    """

    def __init__(self, connection_attempts: int = CONNECTION_MAX_ATTEMPTS) -> None:
        if isinstance(connection_attempts, bool) or connection_attempts < 1:
            raise FetchOptionError(
                f"connection_attempts must be a positive integer, got {connection_attempts!r}"
            )
        self.connection_attempts = connection_attempts

    def __call__(
        self, *, attempts: int = 1, caught_exception: BaseException | None = None, **_: Any
    ) -> None:
        kind = failure_kind(caught_exception)
        if kind is None or caught_exception is None:
            return
        if kind == "configuration" or attempts >= self.connection_attempts:
            raise caught_exception


def install(client: Any, connection_attempts: int = CONNECTION_MAX_ATTEMPTS) -> None:
    """Register ``FailFast`` on ``client``, ahead of botocore's retry handler."""
    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register_first(
        f"needs-retry.{service}",
        FailFast(connection_attempts),
        unique_id=f"inspector-kit-fail-fast-{service}",
    )
