"""A loopback Amazon Inspector: a real HTTP server on 127.0.0.1 speaking inspector2's REST-JSON.

Point a real boto3 client at
[`LoopbackInspector.endpoint_url`][inspector_kit.testing.LoopbackInspector.endpoint_url] and every
request goes through botocore's real serialisation, SigV4 signing, retries and pagination. The
server routes requests with the botocore service model, validates each body against the operation's
input shape, answers from a [`LoopbackDataset`][inspector_kit.testing.LoopbackDataset], and injects
[`Faults`][inspector_kit.testing.Faults] on demand.

Examples:
    >>> with LoopbackInspector() as server:
    ...     client = server.client("eu-west-1")
    ...     page = client.list_findings(maxResults=10)
    >>> len(page["findings"]), "nextToken" in page
    (10, True)
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import TYPE_CHECKING, Any

import attrs

from ._backend import Backend, reason_phrase
from ._dataset import LoopbackDataset
from ._faults import Faults

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import TracebackType

    import boto3
    from typing_extensions import Self

    from inspector_kit.fetch import Inspector

__all__ = ["LoopbackInspector", "RequestRecord"]

_DUMMY_SECRET = "loopback-secret"
_DUMMY_KEY = "AKIDLOOPBACK"


@attrs.frozen
class RequestRecord:
    """One request the loopback server answered, for assertions in tests.

    Attributes:
        operation: The inspector2 operation (``""`` when no operation matched the route).
        region: The region from the SigV4 credential scope (``""`` when unsigned).
        access_key: The access key id from the SigV4 credential scope.
        body: The request body as parsed JSON (``{}`` when empty or not JSON).
        status: The HTTP status answered.
        error_code: The error code answered (``x-amzn-ErrorType``), ``None`` on success.

    Examples:
        >>> with LoopbackInspector() as server:
        ...     _ = server.client("us-east-1").get_configuration()
        >>> server.requests[0]  # doctest: +NORMALIZE_WHITESPACE
        RequestRecord(operation='GetConfiguration', region='us-east-1',
                      access_key='AKIDLOOPBACK', body={}, status=200, error_code=None)
    """

    operation: str
    region: str
    access_key: str
    body: dict[str, Any] = attrs.field(hash=False)
    status: int
    error_code: str | None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    disable_nagle_algorithm = True
    timeout = 120  # close idle keep-alive connections eventually
    server: _Server

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        status, headers, payload = self.server.backend.handle(
            self.command, self.path, self.headers.get("Authorization"), raw
        )
        lines = [f"HTTP/1.1 {status} {reason_phrase(status)}"]
        lines.extend(f"{name}: {value}" for name, value in headers)
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request logging to stderr."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], backend: Backend) -> None:
        self.backend = backend
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about a client that hung up; print anything else as ``socketserver`` does.

        A dropped connection (a client's timeout, a test's injected reset) is not news.
        """
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can take seconds offline.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close every open (keep-alive) connection, so no thread answers after stop()."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class LoopbackInspector:
    """A local inspector2 endpoint for tests and benchmarks, driven by real boto3 clients.

    Args:
        dataset: What to serve (default:
            [`LoopbackDataset.sample`][inspector_kit.testing.LoopbackDataset.sample]).
        host: Interface to listen on.
        port: TCP port (0: any free port; read
            [`endpoint_url`][inspector_kit.testing.LoopbackInspector.endpoint_url] after
            [`start`][inspector_kit.testing.LoopbackInspector.start]).
        faults: Faults to inject (default: none); change
            [`faults`][inspector_kit.testing.LoopbackInspector.faults] at any time.
        accounts: Access key id -> account id (a mapping, or a function such as moto's
            ``moto.iam.models.get_account_id_from``). A mapped key acts as that member account and
            sees only its own data; an unmapped key acts as the delegated administrator
            (``LoopbackDataset.administrator_account_id``) and sees every account.
        s3: A boto3 S3 client the server writes findings reports and SBOM exports with
            (``CreateFindingsReport``, ``CreateSbomExport``); in tests, one created inside
            moto's ``mock_aws``. Without it exports end ``FAILED`` (``INTERNAL_ERROR``).

    The region of a request is the one in its SigV4 credential scope, exactly as AWS
    routes it; signatures are not verified (any secret works).

    Examples:
        >>> server = LoopbackInspector(accounts={"AKIDMEMBER": "111122223333"}).start()
        >>> member = server.client("us-east-1", aws_access_key_id="AKIDMEMBER")
        >>> {f["awsAccountId"] for f in member.list_findings()["findings"]}
        {'111122223333'}
        >>> server.requests[-1].operation, server.requests[-1].region
        ('ListFindings', 'us-east-1')
        >>> server.stop()
    """

    def __init__(
        self,
        dataset: LoopbackDataset | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        accounts: Mapping[str, str] | Callable[[str], str | None] | None = None,
        s3: Any = None,
    ) -> None:
        self._dataset = LoopbackDataset.sample() if dataset is None else dataset
        self._host = host
        self._port = port
        self._faults = Faults() if faults is None else faults
        self._accounts: Mapping[str, str] | Callable[[str], str | None] = (
            accounts if callable(accounts) else dict(accounts or {})
        )
        self._records: list[RequestRecord] = []
        self._records_lock = threading.Lock()
        self._backend = Backend(
            self._dataset, self._accounts, self._get_faults, self._record, s3=s3
        )
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._session: Any = None
        self._session_lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Start serving in a background thread (idempotent); returns ``self``."""
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), self._backend)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"LoopbackInspector:{server.server_port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving and close every connection (idempotent)."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.endpoint_url if self._server is not None else "stopped"
        return f"<LoopbackInspector {where} {self._dataset!r}>"

    # ------------------------------------------------------------------ properties

    @property
    def running(self) -> bool:
        """True between ``start`` and ``stop``."""
        return self._server is not None

    @property
    def port(self) -> int:
        """The TCP port listened on (the requested port until started)."""
        return self._server.server_port if self._server is not None else self._port

    @property
    def endpoint_url(self) -> str:
        """``http://host:port`` to pass as boto3's ``endpoint_url`` (after ``start``)."""
        if self._server is None:
            raise RuntimeError("the loopback server is not running: call start() first")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._server.server_port}"

    @property
    def dataset(self) -> LoopbackDataset:
        """The dataset served."""
        return self._dataset

    @property
    def accounts(self) -> Mapping[str, str]:
        """Access key id -> member account id (a copy)."""
        return {} if callable(self._accounts) else dict(self._accounts)

    @property
    def faults(self) -> Faults:
        """The faults injected; mutate it (or assign a new one) while the server runs."""
        return self._faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._faults = value

    def _get_faults(self) -> Faults:
        return self._faults

    # ------------------------------------------------------------------ request log

    def _record(
        self,
        operation: str,
        region: str,
        access_key: str,
        body: dict[str, Any],
        status: int,
        error_code: str | None,
    ) -> None:
        record = RequestRecord(operation, region, access_key, body, status, error_code)
        with self._records_lock:
            self._records.append(record)

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered so far, oldest first (a snapshot copy)."""
        with self._records_lock:
            return list(self._records)

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._records_lock:
            self._records.clear()

    # ------------------------------------------------------------------ clients

    def client(self, region: str = "us-east-1", **kwargs: Any) -> Any:
        """A boto3 ``inspector2`` client pointed at this server.

        Dummy credentials are used unless ``aws_access_key_id`` is given, so no real
        credential is ever looked up or sent; pass a key from ``accounts`` to act as a
        member account. Other keyword arguments go to ``boto3.Session.client`` (for example
        ``config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 3})``).

        Examples:
            >>> with LoopbackInspector() as server:
            ...     status = server.client("eu-west-1").batch_get_account_status()
            >>> status["accounts"][0]["state"]["status"]
            'ENABLED'
        """
        kwargs.setdefault("aws_access_key_id", _DUMMY_KEY)
        kwargs.setdefault("aws_secret_access_key", _DUMMY_SECRET)
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return self._boto3_session().client("inspector2", region_name=region, **kwargs)

    def session(
        self, region: str | None = None, *, aws_access_key_id: str | None = None
    ) -> boto3.session.Session:
        """A boto3 ``Session`` with dummy credentials and a region, for code that takes one.

        No credential is ever looked up (environment, ``~/.aws``, instance metadata), so it
        works on a machine without any. The region defaults to the dataset's first region
        (``us-east-1`` when it has none); pass a key from ``accounts`` as
        ``aws_access_key_id`` to act as that member account. Clients made from it go to
        AWS unless given ``endpoint_url=server.endpoint_url``: for the ``Inspector`` facade
        use [`inspector`][inspector_kit.testing.LoopbackInspector.inspector], which sets it.

        Examples:
            >>> with LoopbackInspector() as server:
            ...     session = server.session()
            ...     client = session.client("inspector2", endpoint_url=server.endpoint_url)
            ...     found = client.list_findings(maxResults=3)["findings"]
            >>> session.region_name, session.get_credentials().access_key, len(found)
            ('ap-northeast-1', 'AKIDLOOPBACK', 3)
        """
        import boto3

        return boto3.session.Session(
            aws_access_key_id=aws_access_key_id or _DUMMY_KEY,
            aws_secret_access_key=_DUMMY_SECRET,
            region_name=region or self._default_region(),
        )

    def inspector(self, **kwargs: Any) -> Inspector:
        """An [`Inspector`][inspector_kit.fetch.Inspector] facade bound to this server.

        It uses [`session`][inspector_kit.testing.LoopbackInspector.session] (dummy
        credentials) and ``endpoint_url`` set to this server, and reads every region of the
        dataset unless ``regions`` is given. Other keyword arguments go to ``Inspector``
        (``config``, ``max_workers``, ``connection_attempts``, ``exports``, or ``session``
        to use your own). Only inspector2 calls come here: ``Inspector.inventory()`` still
        calls EC2 and SSM (give it ``clients=``, or use
        [`sample_inventory`][inspector_kit.sample.sample_inventory]).

        Examples:
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="eu-west-1")
            ...     findings = list(inspector.findings())
            >>> inspector.regions, len(findings) > 0
            (('eu-west-1',), True)
        """
        from inspector_kit.fetch import Inspector

        kwargs.setdefault("regions", list(self._dataset.regions) or [self._default_region()])
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        if kwargs.get("session") is None:
            kwargs["session"] = self.session()
        return Inspector(**kwargs)

    def _default_region(self) -> str:
        regions = self._dataset.regions
        return regions[0] if regions else "us-east-1"

    def _boto3_session(self) -> Any:
        with self._session_lock:
            if self._session is None:
                import boto3  # type: ignore[import-untyped, unused-ignore]

                self._session = boto3.session.Session()
            return self._session
