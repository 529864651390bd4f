"""boto3 sessions, clients and the botocore ``Config`` inspector_kit merges with yours.

Why these defaults (see ``docs/design.md``):

* **Retries.** Inspector's rate limits are not published (docs/facts.md#api). With ``p`` the
  share of calls throttled, a call fails only when all ``n`` attempts are throttled:
  ``p**n``. At ``p = 0.3`` and ``n = 12`` that is 5e-7 per call, below one failure in a
  million-finding fetch (40,000 calls). Standard mode backs off ``rand * 2**i`` seconds
  (capped at 20 s) on throttling and keeps botocore's retry quota.
* **Standard, not adaptive, mode.** Adaptive mode adds a client-side token bucket that
  cuts the send rate by 30% at every throttle and floors at 0.5 requests/s; one client
  per region already spreads the load, and the floor turns a throttled fetch of a large
  account into hours. Pass ``Config(retries={"mode": "adaptive"})`` to choose it.
* **UTC timestamps.** botocore turns every response timestamp into a ``datetime`` in the
  machine's local zone through dateutil (about 6 us each, five per finding: the largest
  single cost of a findings page, more than building the typed model). Our clients parse
  them straight to UTC instead: same instants, and what the models store anyway.
* **Fail fast where retrying cannot help** (``_retries``): configuration errors (an
  endpoint with an unsupported scheme, TLS failures) are not retried, connection errors
  get ``CONNECTION_MAX_ATTEMPTS`` (3) attempts; throttling and 5xx keep the 12.
* **Merge, don't replace.** A user's ``Config`` wins option by option; its ``retries``
  dict is merged key by key (so ``{"mode": "adaptive"}`` keeps our ``max_attempts``) and
  its ``user_agent_extra`` is kept in front of ours.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from botocore.config import Config
from botocore.parsers import ResponseParserFactory
from botocore.utils import parse_timestamp as botocore_parse_timestamp

from inspector_kit._version import __version__
from inspector_kit.errors import ConfigurationError, FetchOptionError
from inspector_kit.models._time import as_utc

from ._retries import CONNECTION_MAX_ATTEMPTS, install

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import boto3
    from types_boto3_inspector2 import Inspector2Client

__all__ = [
    "CONNECTION_MAX_ATTEMPTS",
    "DEFAULT_MAX_ATTEMPTS",
    "USER_AGENT",
    "ClientFactory",
    "ServiceClients",
    "check_endpoint_url",
    "merge_config",
    "resolve_regions",
]

SERVICE: Final = "inspector2"
DEFAULT_MAX_ATTEMPTS = 12
USER_AGENT = f"inspector-kit/{__version__}"
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


def utc_timestamp(value: Any) -> datetime:
    """Parse a response timestamp to an aware UTC datetime (botocore's forms, faster).

    Examples:
        >>> utc_timestamp(1725468784.356)
        datetime.datetime(2024, 9, 4, 16, 53, 4, 356000, tzinfo=datetime.timezone.utc)
        >>> utc_timestamp("2024-09-04T16:53:04.356Z") == utc_timestamp(1725468784.356)
        True
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc)
    parsed: datetime = botocore_parse_timestamp(value)
    # botocore gives a naive datetime for a string without a zone: UTC, as AWS writes them
    # (astimezone() alone would take it as the machine's local time).
    return as_utc(parsed, what="", naive="utc")


def use_utc_timestamps(client: Any) -> bool:
    """Make ``client`` parse response timestamps with ``utc_timestamp``.

    This sets the parser defaults of the client's own endpoint (botocore has no public,
    per-client switch; the session-wide one would change the caller's other clients).
    Returns False, changing nothing, if botocore's internals have moved; a test guards it.
    """
    endpoint = getattr(client, "_endpoint", None)
    current = getattr(endpoint, "_response_parser_factory", None)
    if endpoint is None or current is None:
        return False
    factory = ResponseParserFactory()
    # Keep whatever other parser defaults the caller's session set (blob parser, ...).
    factory.set_parser_defaults(
        **{**getattr(current, "_defaults", {}), "timestamp_parser": utc_timestamp}
    )
    endpoint._response_parser_factory = factory
    return True


def _defaults() -> Config:
    return Config(
        retries={"mode": "standard", "max_attempts": DEFAULT_MAX_ATTEMPTS},
        user_agent_extra=USER_AGENT,
        connect_timeout=10,
        read_timeout=60,
        max_pool_connections=4,
    )


def merge_config(user: Config | None) -> Config:
    """Our defaults with the user's ``Config`` merged over them, option by option.

    Examples:
        >>> from botocore.config import Config
        >>> cfg = merge_config(Config(retries={"mode": "adaptive"}, read_timeout=5))
        >>> cfg.retries["mode"], cfg.retries["max_attempts"], cfg.read_timeout
        ('adaptive', 12, 5)
        >>> cfg.user_agent_extra.startswith("inspector-kit/")
        True
    """
    base = _defaults()
    if user is None:
        return base
    merged = base.merge(user)
    # botocore's stubs do not declare Config's option attributes; read them untyped.
    ours: Any = base
    theirs: Any = user
    retries: Any = {**(ours.retries or {}), **(theirs.retries or {})}
    agent = USER_AGENT
    extra: str | None = theirs.user_agent_extra
    if extra and USER_AGENT not in extra:
        agent = f"{extra} {USER_AGENT}"
    elif extra:
        agent = extra
    return merged.merge(Config(retries=retries, user_agent_extra=agent))


def check_endpoint_url(url: object) -> str | None:
    """``url`` if botocore can send requests to it; a configuration error otherwise.

    Caught here, when the facade is built, rather than at the first request of every
    region (where it would be one error per region).

    Raises:
        ConfigurationError: Not an ``http``/``https`` URL with a host (a ``ValueError``).

    Examples:
        >>> check_endpoint_url("http://127.0.0.1:4566")
        'http://127.0.0.1:4566'
        >>> check_endpoint_url("ftp://127.0.0.1:21")
        Traceback (most recent call last):
        ...
        inspector_kit.errors.ConfigurationError: EndpointURL: endpoint_url 'ftp://...' has an
        unsupported scheme 'ftp': use http:// or https://
    """
    if url is None:
        return None
    if not isinstance(url, str):
        raise ConfigurationError(
            f"endpoint_url must be a string, got {type(url).__name__}", code="EndpointURL"
        )
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    problem = None
    if parts.scheme not in ("http", "https"):
        problem = (
            f"endpoint_url {url!r} has an unsupported scheme {parts.scheme!r}: "
            "use http:// or https://"
        )
    elif not parts.hostname or not port_ok:
        problem = f"endpoint_url {url!r} has no valid host and port"
    if problem is not None:
        raise ConfigurationError(problem, code="EndpointURL")
    return url


def resolve_regions(
    session: boto3.session.Session, regions: str | Iterable[str] | None
) -> tuple[str, ...]:
    """The regions to use: the given ones, ``"all"``, or the session's own region.

    ``"all"`` means every region where botocore knows an ``inspector2`` endpoint in the
    session's partition. Duplicates are dropped, order kept.

    Raises:
        FetchOptionError: No region was given and the session has none, or a name is not
            an AWS region name (a ``ValueError``).

    Examples:
        >>> import boto3
        >>> resolve_regions(boto3.Session(region_name="eu-west-1"), None)
        ('eu-west-1',)
        >>> resolve_regions(boto3.Session(), ["us-east-1", "us-east-1", "ap-northeast-1"])
        ('us-east-1', 'ap-northeast-1')
    """
    if regions is None:
        if not session.region_name:
            raise FetchOptionError(
                "no AWS region: pass regions=[...] (or regions='all'), or set AWS_REGION "
                "/ a profile region"
            )
        return (session.region_name,)
    if isinstance(regions, str):
        if regions == "all":
            partition = session.get_partition_for_region(session.region_name or "us-east-1")
            found = tuple(session.get_available_regions(SERVICE, partition_name=partition))
            if not found:  # pragma: no cover - botocore always knows some
                raise FetchOptionError(
                    f"botocore knows no {SERVICE} region in partition {partition}"
                )
            return found
        regions = [regions]
    out: list[str] = []
    for region in regions:
        if not isinstance(region, str) or not _REGION.match(region):
            raise FetchOptionError(f"not an AWS region name: {region!r} (e.g. 'eu-west-1')")
        if region not in out:
            out.append(region)
    if not out:
        raise FetchOptionError("regions is empty: pass at least one region, or 'all'")
    return tuple(out)


class ClientFactory:
    """One ``inspector2`` client per region, created once, from one session.

    boto3 sessions are not thread-safe, so clients are created under a lock; the clients
    themselves are safe to share between threads.

    Examples:
        >>> import boto3
        >>> clients = ClientFactory(boto3.Session(region_name="us-east-1"))
        >>> clients.get("eu-west-1") is clients.get("eu-west-1")
        True
    """

    def __init__(
        self,
        session: boto3.session.Session,
        *,
        config: Config | None = None,
        endpoint_url: str | None = None,
        connection_attempts: int = CONNECTION_MAX_ATTEMPTS,
    ) -> None:
        self.session = session
        self.config = merge_config(config)
        self.endpoint_url = check_endpoint_url(endpoint_url)
        self.connection_attempts = connection_attempts
        self._clients: dict[str, Inspector2Client] = {}
        self._lock = threading.Lock()

    def get(self, region: str) -> Inspector2Client:
        """The client for ``region`` (created on first use)."""
        client = self._clients.get(region)
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(region)
            if client is None:
                # endpoint_url=None lets botocore apply AWS_ENDPOINT_URL_INSPECTOR2 and
                # AWS_ENDPOINT_URL, as for any boto3 client.
                client = self.session.client(
                    SERVICE,
                    region_name=region,
                    config=self.config,
                    endpoint_url=self.endpoint_url,
                )
                use_utc_timestamps(client)
                install(client, self.connection_attempts)
                self._clients[region] = client
            return client

    def prepare(self, regions: Sequence[str]) -> None:
        """Create the clients for ``regions`` now, in the calling thread."""
        for region in regions:
            self.get(region)


class ServiceClients:
    """Clients for the other services inventory gathering reads (``ec2``, ``ssm``).

    One client per (service, region), created once from the facade's session with its
    merged ``Config`` (retries, ``user_agent_extra``) and UTC timestamps. No endpoint is
    passed, so botocore's ``AWS_ENDPOINT_URL_EC2`` / ``AWS_ENDPOINT_URL_SSM`` (and
    ``AWS_ENDPOINT_URL``) settings apply, as for any boto3 client; the facade's
    inspector2 ``endpoint_url`` does not.

    Examples:
        >>> import boto3
        >>> clients = ServiceClients(boto3.Session(region_name="us-east-1"), config=None)
        >>> ec2 = clients.get("ec2", "eu-west-1")
        >>> ec2 is clients.get("ec2", "eu-west-1"), ec2.meta.region_name
        (True, 'eu-west-1')
        >>> ec2.meta.config.user_agent_extra.startswith("inspector-kit/")
        True
    """

    def __init__(
        self,
        session: boto3.session.Session,
        *,
        config: Config | None,
        connection_attempts: int = CONNECTION_MAX_ATTEMPTS,
    ) -> None:
        self.session = session
        self.config = merge_config(config)
        self.connection_attempts = connection_attempts
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def get(self, service: str, region: str) -> Any:
        """The ``service`` client for ``region`` (created on first use)."""
        key = (service, region)
        client = self._clients.get(key)
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self.session.client(  # type: ignore[call-overload]
                    service, region_name=region, config=self.config
                )
                use_utc_timestamps(client)
                install(client, self.connection_attempts)
                self._clients[key] = client
            return client
