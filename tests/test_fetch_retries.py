"""Retry budgets: configuration errors fail at once, connection errors quickly, throttling late.

Real boto3 clients against real sockets on 127.0.0.1: a port nobody listens on, a server
that closes every connection, and the loopback Inspector for throttling and 5xx.
"""

from __future__ import annotations

import socket
import threading
from typing import TYPE_CHECKING

import pytest

from inspector_kit import ConfigurationError, Inspector, ServiceUnavailableError
from inspector_kit.fetch import CONNECTION_MAX_ATTEMPTS
from inspector_kit.testing import Faults, LoopbackInspector

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(autouse=True)
def _no_retry_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry at once: botocore backs off ``rand * 2**i`` s, so throttled tests took random time.

    The attempts, their count and the errors are unchanged; only the sleeps go.
    """
    from botocore.retries import standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Slammer:
    """Accepts TCP connections and closes each at once, counting them (one per attempt)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.recv(65536)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def slammer() -> Iterator[_Slammer]:
    server = _Slammer()
    yield server
    server.close()


def _count_attempts(inspector: Inspector) -> list[int]:
    """A list that grows by one for every HTTP attempt the facade's client makes."""
    attempts: list[int] = []
    inspector.client().meta.events.register(
        "before-send.inspector2", lambda **_: attempts.append(1)
    )
    return attempts


def _one_region_error(inspector: Inspector) -> Exception:
    stream = inspector.findings()
    assert list(stream) == []
    (error,) = stream.errors.values()
    return error


def test_a_refused_port_fails_after_the_short_connection_budget() -> None:
    inspector = Inspector(regions=["us-east-1"], endpoint_url=f"http://127.0.0.1:{_free_port()}")
    attempts = _count_attempts(inspector)
    error = _one_region_error(inspector)
    # Before: 12 attempts with up to 20 s of backoff each, 64 s in all. Now 3.
    assert len(attempts) == CONNECTION_MAX_ATTEMPTS
    assert isinstance(error, ServiceUnavailableError)
    assert error.code == "EndpointConnectionError"


@pytest.mark.parametrize("attempts", [1, CONNECTION_MAX_ATTEMPTS])
def test_a_dropped_connection_is_retried_exactly_within_its_budget(
    slammer: _Slammer, attempts: int
) -> None:
    inspector = Inspector(
        regions=["us-east-1"], endpoint_url=slammer.url, connection_attempts=attempts
    )
    error = _one_region_error(inspector)
    assert isinstance(error, ServiceUnavailableError)
    assert slammer.accepted == attempts


def test_an_unsupported_scheme_is_refused_when_the_facade_is_built() -> None:
    with pytest.raises(ConfigurationError, match="unsupported scheme 'ftp'"):
        Inspector(regions=["us-east-1"], endpoint_url="ftp://127.0.0.1:21")
    with pytest.raises(ConfigurationError, match="no valid host"):
        Inspector(regions=["us-east-1"], endpoint_url="http://")
    with pytest.raises(ValueError, match="no valid host"):  # a ConfigurationError is a ValueError
        Inspector(regions=["us-east-1"], endpoint_url="http://127.0.0.1:0")


def test_an_unsupported_scheme_from_the_environment_fails_without_retrying(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # botocore reads AWS_ENDPOINT_URL_INSPECTOR2 itself, so the facade cannot check it first.
    monkeypatch.setenv("AWS_ENDPOINT_URL_INSPECTOR2", "ftp://127.0.0.1:21")
    inspector = Inspector(regions=["us-east-1"])
    attempts = _count_attempts(inspector)
    error = _one_region_error(inspector)
    assert len(attempts) == 1  # before: 12 attempts, 37 to 50 s
    assert isinstance(error, ConfigurationError)
    assert "scheme" in str(error) and "ftp" in str(error) and "not retried" in str(error)


def test_throttling_and_server_errors_keep_the_long_budget() -> None:
    with LoopbackInspector() as server:
        # More consecutive 500s than the connection budget: still retried to success.
        server.faults = Faults(server_error_burst=CONNECTION_MAX_ATTEMPTS + 2)
        inspector = Inspector(regions=["us-east-1"], endpoint_url=server.endpoint_url)
        stream = inspector.findings()
        found = list(stream)
        assert found and stream.errors == {}
        assert server.faults.injected["server_error"] == CONNECTION_MAX_ATTEMPTS + 2
        assert stream.outcomes["us-east-1"].retries == CONNECTION_MAX_ATTEMPTS + 2


def test_connection_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError, match="connection_attempts"):
        Inspector(regions=["us-east-1"], connection_attempts=0)
