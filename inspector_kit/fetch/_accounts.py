"""Many accounts: assumed roles and one bounded fan-out over accounts x regions.

How it stays cheap at 1,000 accounts:

* Credentials per account are botocore ``DeferredRefreshableCredentials`` whose refresher calls
  STS ``AssumeRole`` (botocore's own refresh machinery: renewed before expiry during long runs,
  never a hand-rolled timer). Nothing is assumed until the account's first request.
* ONE ``inspector2`` client per region serves every account: its credentials are a
  ``_RoutedCredentials`` that hands the signer the credentials of the account the current
  worker is fetching (a thread-local set around each page). A boto3 client costs ~4 ms of CPU
  to build; one per (account, region) would cost more than the fan-out itself.
* Accounts are taken from the (possibly lazy) account iterable a window at a time; each window
  runs on the one worker machinery of [`ResultStream`][inspector_kit.fetch.ResultStream], so
  memory holds one window's bookkeeping and pages, whatever the number of accounts.
"""

from __future__ import annotations

import logging
import re
import threading
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import (
    CredentialProvider,
    CredentialResolver,
    Credentials,
    DeferredRefreshableCredentials,
    ReadOnlyCredentials,
)

from inspector_kit import _limits
from inspector_kit.errors import (
    AccessDeniedError,
    AssumeRoleError,
    FetchError,
    FetchOptionError,
    InspectorKitError,
    InspectorNotEnabledError,
)
from inspector_kit.models import AccountState, Configuration

from ._core import MAX_WORKERS, Core
from ._coverage import coverage as _coverage
from ._errors import translate
from ._findings import findings as _findings
from ._inspector import Inspector
from ._pages import RawPage, call
from ._records import strip_metadata
from ._stream import RegionOutcome, ResultStream

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from inspector_kit.coverage import Inventory
    from inspector_kit.criteria import CoverageCriteria, FindingCriteria
    from inspector_kit.models import CoveredResource, Finding

    from ._stream import Progress

__all__ = [
    "AccountRegionOutcome",
    "MemberDeepInspection",
    "MemberRole",
    "OrgInspector",
    "OrgStream",
]

logger = logging.getLogger("inspector_kit.fetch")

T = TypeVar("T")

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")


@attrs.frozen
class MemberRole:
    """The role to assume in each member account (and the optional hub role in between).

    Attributes:
        role: A role name (``"InspectorRead"``) or an ARN template with ``{account}`` and
            optionally ``{partition}`` (``"arn:{partition}:iam::{account}:role/InspectorRead"``).
        external_id: ``ExternalId`` passed to the member roles' ``AssumeRole`` (not the hub's),
            when their trust policy needs it.
        session_name: ``RoleSessionName`` (2-64 letters, digits or ``_+=,.@-``).
        duration_seconds: ``DurationSeconds`` (900 up to the role's maximum, 3600 by default;
            role chaining, as through a hub, is capped at 3600 by STS).
        via: The full ARN of a hub role to assume first (hub-and-spoke): members are then
            assumed from the hub's credentials.

    Raises:
        FetchOptionError: a value STS would reject.

    Examples:
        >>> MemberRole("InspectorRead").arn("111122223333")
        'arn:aws:iam::111122223333:role/InspectorRead'
        >>> MemberRole("arn:{partition}:iam::{account}:role/Read").arn("111122223333", "aws-cn")
        'arn:aws-cn:iam::111122223333:role/Read'
        >>> try:
        ...     MemberRole("Read", duration_seconds=60)
        ... except ValueError as exc:
        ...     print(exc)
        duration_seconds must be between 900 and 43200, got 60
    """

    role: str
    external_id: str | None = None
    session_name: str = "inspector-kit"
    duration_seconds: int = _limits.ASSUME_ROLE_DEFAULT_SECONDS
    via: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.role, str) or not self.role:
            raise FetchOptionError(f"role must be a role name or ARN template, got {self.role!r}")
        if self.role.startswith("arn:") and "{account}" not in self.role:
            raise FetchOptionError(f"a role ARN template needs '{{account}}', got {self.role!r}")
        if not _SESSION_NAME.match(self.session_name):
            raise FetchOptionError(
                f"session_name must be 2-64 characters of [\\w+=,.@-], got {self.session_name!r}"
            )
        low, high = _limits.ASSUME_ROLE_MIN_SECONDS, _limits.ASSUME_ROLE_MAX_SECONDS
        if (
            isinstance(self.duration_seconds, bool)
            or not isinstance(self.duration_seconds, int)
            or not low <= self.duration_seconds <= high
        ):
            raise FetchOptionError(
                f"duration_seconds must be between {low} and {high}, got {self.duration_seconds!r}"
            )
        if self.via is not None and not self.via.startswith("arn:"):
            raise FetchOptionError(f"via must be the hub role's ARN, got {self.via!r}")
        if self.via is not None and self.duration_seconds > _limits.ASSUME_ROLE_DEFAULT_SECONDS:
            raise FetchOptionError(
                "duration_seconds is at most 3600 through a hub role (STS role chaining), "
                f"got {self.duration_seconds}"
            )

    def arn(self, account: str, partition: str = "aws") -> str:
        """The role ARN in ``account``."""
        if self.role.startswith("arn:"):
            return self.role.format(account=account, partition=partition)
        return f"arn:{partition}:iam::{account}:role/{self.role}"


@attrs.frozen
class AccountRegionOutcome:
    """How one (account, region) pair of a multi-account run went.

    Attributes:
        account: The account id.
        region: The region.
        outcome: The pair's [`RegionOutcome`][inspector_kit.fetch.RegionOutcome] (pages,
            items, retries, seconds, error).

    Examples:
        >>> from inspector_kit.fetch import RegionOutcome
        >>> o = AccountRegionOutcome("111122223333", "eu-west-1",
        ...                          RegionOutcome("eu-west-1", items=3, complete=True))
        >>> o.ok, o.error, o.items
        (True, None, 3)
    """

    account: str
    region: str
    outcome: RegionOutcome

    @property
    def ok(self) -> bool:
        """True when the pair completed without error."""
        return self.outcome.ok

    @property
    def error(self) -> InspectorKitError | None:
        """The error that ended the pair (an ``AssumeRoleError``, an ``AccessDeniedError``...)."""
        return self.outcome.error

    @property
    def items(self) -> int:
        """Results the pair delivered."""
        return self.outcome.items


@attrs.frozen
class MemberDeepInspection:
    """A member's EC2 deep inspection status, as the delegated administrator sees it.

    From ``BatchGetMemberEc2DeepInspectionStatus``: ``accountIds[]`` items give ``status``;
    ``failedAccountIds[]`` items (``failed=True``) give the account's ``ec2ScanStatus`` instead.

    Attributes:
        account_id: ``accountId``.
        region: The region asked.
        status: ``status`` (``ACTIVATED | DEACTIVATED | PENDING | FAILED``), or for a failed
            account its ``ec2ScanStatus``.
        error_message: ``errorMessage``.
        failed: True for an item of ``failedAccountIds``.

    Examples:
        >>> MemberDeepInspection("111122223333", "eu-west-1", "ACTIVATED").failed
        False
    """

    account_id: str
    region: str
    status: str | None = None
    error_message: str | None = None
    failed: bool = False


# -- credentials ---------------------------------------------------------------------------


class _RoutedCredentials(Credentials):
    """Credentials that are whichever account's the current thread is working for."""

    def __init__(self) -> None:
        super().__init__("routed", "routed", None, method="inspector-kit-routed")
        self._local = threading.local()

    def use(self, credentials: Credentials | None, account: str | None = None) -> None:
        self._local.current = credentials
        self._local.account = account

    def account(self) -> str:
        """The account the current thread is fetching for."""
        account: str | None = getattr(self._local, "account", None)
        if account is None:
            raise FetchOptionError("no account selected for this request (an inspector_kit bug)")
        return account

    def current(self) -> Credentials:
        """The credentials of the account the current thread is fetching for."""
        return self._current()

    def _current(self) -> Credentials:
        current: Credentials | None = getattr(self._local, "current", None)
        if current is None:
            raise FetchOptionError("no account selected for this request (an inspector_kit bug)")
        return current

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        return self._current().get_frozen_credentials()


class _Provider(CredentialProvider):
    METHOD = "inspector-kit"
    CANONICAL_NAME = "inspector-kit"

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> Credentials:
        return self._credentials


def session_with(credentials: Credentials, base: boto3.session.Session) -> boto3.session.Session:
    """A boto3 session that signs with ``credentials`` and shares ``base``'s loaded models."""
    inner = botocore.session.Session()
    inner.register_component("data_loader", base._session.get_component("data_loader"))
    inner.register_component("credential_provider", CredentialResolver([_Provider(credentials)]))
    return boto3.session.Session(botocore_session=inner, region_name=base.region_name)


def assume_role_credentials(
    sts: Any, role_arn: str, role: MemberRole, *, account: str, member: bool = True
) -> DeferredRefreshableCredentials:
    """Credentials of ``role_arn``, assumed through ``sts`` on first use and refreshed by botocore.

    The external id goes to member roles only (``member=False``: the hub role).

    Raises (when first used): ``AssumeRoleError`` naming the account and the role.
    """
    params: dict[str, Any] = {
        "RoleArn": role_arn,
        "RoleSessionName": role.session_name,
        "DurationSeconds": role.duration_seconds,
    }
    if member and role.external_id is not None:
        params["ExternalId"] = role.external_id

    def refresh() -> dict[str, str]:
        try:
            found = sts.assume_role(**params)["Credentials"]
        except Exception as exc:
            err = translate(exc, region=sts.meta.region_name, operation="AssumeRole", service="sts")
            raise AssumeRoleError(
                f"cannot assume {role_arn}: {err.message}",
                role_arn=role_arn,
                account=account,
                code=err.code,
                status=err.status,
            ) from exc
        return {
            "access_key": found["AccessKeyId"],
            "secret_key": found["SecretAccessKey"],
            "token": found["SessionToken"],
            "expiry_time": found["Expiration"].isoformat(),
        }

    return DeferredRefreshableCredentials(refresh_using=refresh, method="assume-role")


# -- the fan-out ---------------------------------------------------------------------------


class OrgStream(Generic[T]):
    """A lazy stream of results over accounts x regions; per-pair outcomes as they finish.

    Iterate it once. Pairs that fail (a role that cannot be assumed, a denied call, throttling
    after every retry) do not stop the others; they are in
    [`failures`][inspector_kit.fetch.OrgStream.failures] (only failures are kept: memory stays
    flat in the number of accounts) and every pair's outcome goes to ``on_outcome``.

    Examples:
        >>> from moto import mock_aws
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with mock_aws(), LoopbackInspector() as server:
        ...     server.faults.deny_regions = {"eu-west-1"}
        ...     org = OrgInspector(["111122223333"], "InspectorRead", session=server.session(),
        ...                        regions=["us-east-1", "eu-west-1"],
        ...                        endpoint_url=server.endpoint_url)
        ...     stream = org.findings()
        ...     found = list(stream)
        >>> stream.pairs, [(f.account, f.region) for f in stream.failures]
        (2, [('111122223333', 'eu-west-1')])
        >>> type(stream.errors[("111122223333", "eu-west-1")]).__name__
        'AccessDeniedError'
    """

    def __init__(
        self,
        owner: OrgInspector,
        accounts: Iterable[str],
        regions: Sequence[str],
        make: Callable[[str], ResultStream[T]],
        on_outcome: Callable[[AccountRegionOutcome], None] | None,
        on_progress: Callable[[Progress], None] | None,
        *,
        check_enabled: bool = False,
    ) -> None:
        self._owner = owner
        self._check_enabled = check_enabled
        self._accounts = accounts
        self._regions = tuple(regions)
        self._make = make
        self._on_outcome = on_outcome
        self._on_progress = on_progress
        self._failures: list[AccountRegionOutcome] = []
        self._pairs = 0
        self._delivered = 0
        self._started = False

    @property
    def failures(self) -> tuple[AccountRegionOutcome, ...]:
        """The pairs that ended with an error, in the order they finished."""
        return tuple(self._failures)

    @property
    def errors(self) -> dict[tuple[str, str], InspectorKitError]:
        """(account, region) -> the error that ended that pair."""
        return {(f.account, f.region): f.error for f in self._failures if f.error is not None}

    @property
    def pairs(self) -> int:
        """(account, region) pairs finished so far."""
        return self._pairs

    @property
    def count(self) -> int:
        """Results delivered so far."""
        return self._delivered

    def __iter__(self) -> Iterator[T]:
        if self._started:
            raise RuntimeError("this OrgStream has already been iterated; fetch again")
        self._started = True
        return self._run()

    def _run(self) -> Iterator[T]:
        owner = self._owner
        per_window = max(1, (owner.core.workers_for(()) * _WINDOW_ROUNDS) // len(self._regions))
        accounts = iter(self._accounts)
        while window := list(islice(accounts, per_window)):
            yield from self._window(window)

    def _window(self, accounts: list[str]) -> Iterator[T]:
        owner = self._owner
        for account in accounts:
            if not isinstance(account, str) or not _ACCOUNT_ID.match(account):
                raise FetchOptionError(f"an account id is 12 digits, got {account!r}")
        # Region-major order: a window's first pass assumes each account's role once, so a
        # worker never waits on another worker's AssumeRole for the same account.
        keys = [f"{a}/{r}" for r in self._regions for a in accounts]
        template = self._make(self._regions[0])
        inner_decode = template._decode
        credentials = {a: owner.credentials(a) for a in accounts}
        routed = owner.routed
        check_enabled = self._check_enabled

        def fetch(key: str, stopped: Callable[[], bool]) -> Iterator[RawPage]:
            account, region = key.split("/", 1)
            creds = credentials[account]
            try:
                creds.get_frozen_credentials()  # assume the role now: its error is the pair's
            except AssumeRoleError as exc:
                exc.region = region
                raise
            if check_enabled:
                _check_enabled(owner, routed, creds, account, region)
            pages = self._make(region)._fetch_region(region, stopped)
            while True:
                routed.use(creds, account)
                try:
                    page = next(pages)
                except StopIteration:
                    return
                except FetchError as exc:
                    if exc.account is None:
                        exc.account = account
                    raise
                finally:
                    routed.use(None)
                yield page

        def decode(raw: Any, key: str) -> tuple[T, Sequence[InspectorKitError]]:
            return inner_decode(raw, key.split("/", 1)[1])

        stream: ResultStream[T] = ResultStream(
            regions=keys,
            fetch_region=fetch,
            decode=decode,
            key=template._key,
            max_workers=owner.core.workers_for(keys),
            on_progress=lambda p: self._progress(stream, p),
            prepare=lambda _keys: owner.core.clients.prepare(self._regions),
        )
        for item in stream:
            self._delivered += 1
            yield item

    def _progress(self, stream: ResultStream[Any], progress: Progress) -> None:
        if self._on_progress is not None:
            self._on_progress(progress)
        if not progress.region_finished:
            return
        account, region = progress.region.split("/", 1)
        outcome = AccountRegionOutcome(
            account, region, stream._trackers[progress.region].snapshot()
        )
        self._pairs += 1
        if outcome.error is not None:
            self._failures.append(outcome)
            logger.warning("%s %s failed: %s", account, region, outcome.error)
        if self._on_outcome is not None:
            self._on_outcome(outcome)


def _check_enabled(
    owner: OrgInspector, routed: _RoutedCredentials, creds: Credentials, account: str, region: str
) -> None:
    """Raise ``InspectorNotEnabledError`` when Inspector says it is not ENABLED for the pair.

    The account's own ``BatchGetAccountStatus`` answer, read with its credentials. A role
    that may not call it (``AccessDeniedError``) leaves the pair to be read as usual: the
    check only turns the service's explicit "not enabled" into an outcome.
    """
    routed.use(creds, account)
    try:
        response = call(
            owner.core.clients.get(region),
            "BatchGetAccountStatus",
            "batch_get_account_status",
            {},
            region=region,
        )
    except AccessDeniedError:
        return
    except FetchError as exc:
        if exc.account is None:
            exc.account = account
        raise
    finally:
        routed.use(None)
    states = response.get("accounts") or []
    state = states[0].get("state") if states else None
    status = state.get("status") if isinstance(state, dict) else None
    if status is not None and status != "ENABLED":
        raise InspectorNotEnabledError(str(status), account=account, region=region)


_WINDOW_ROUNDS = 16
"""A window holds about this many rounds of the workers' pairs (its tail costs ~1/16 at most)."""


class OrgInspector:
    """Inspector over many accounts and regions, through a role assumed in each account.

    Every method runs over each (account, region) pair on one pool of ``max_workers`` threads
    and streams its results; each pair's outcome is reported (``on_outcome``, ``failures``), a
    pair that fails never stops the others and never reads as "no findings".

    Args:
        accounts: Account ids (any iterable: an
            [`Organization`][inspector_kit.fetch.Organization]'s ``account_ids()``, a list...).
        role: The [`MemberRole`][inspector_kit.fetch.MemberRole] (or a role name / ARN template).
        session: The boto3 session to assume roles from (the hub's caller); default: a new one.
        regions: The regions (default: the session's region).
        config: botocore ``Config`` merged into the library's (as ``Inspector``'s).
        endpoint_url: The ``inspector2`` endpoint (the loopback server in tests).
        max_workers: Pairs fetched at once (default 64).

    Examples:
        >>> from moto import mock_aws
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with mock_aws(), LoopbackInspector() as server:
        ...     org = OrgInspector(["111122223333", "444455556666"], "InspectorRead",
        ...                        session=server.session(), regions=["us-east-1", "eu-west-1"],
        ...                        endpoint_url=server.endpoint_url)
        ...     stream = org.findings()
        ...     found = list(stream)
        >>> stream.pairs, stream.failures, len(found) > 0
        (4, (), True)
    """

    def __init__(
        self,
        accounts: Iterable[str],
        role: MemberRole | str,
        *,
        session: boto3.session.Session | None = None,
        regions: str | Iterable[str] | None = None,
        config: Config | None = None,
        endpoint_url: str | None = None,
        max_workers: int | None = None,
    ) -> None:
        self.role = role if isinstance(role, MemberRole) else MemberRole(role)
        self.accounts = accounts
        self.session = session if session is not None else boto3.session.Session()
        self.routed = _RoutedCredentials()
        routed_session = session_with(self.routed, self.session)
        workers = max_workers if max_workers is not None else MAX_WORKERS
        # One client per region serves every worker: give it a connection per worker
        # (the library's default pool of 4 fits one worker per region).
        pool = Config(max_pool_connections=workers)
        self.core = Core(
            routed_session,
            regions=regions if regions is not None else self.session.region_name,
            config=pool.merge(config) if config is not None else pool,
            endpoint_url=endpoint_url,
            max_workers=workers,
        )
        self._config = config
        self._endpoint_url = endpoint_url
        self._sts_lock = threading.Lock()
        self._sts: Any = None
        self._admin: Inspector | None = None
        region = self.core.regions[0]
        self.partition = self.session.get_partition_for_region(region)

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions of every call."""
        return self.core.regions

    def _member_sts(self) -> Any:
        # The STS client members are assumed from: the caller's, or (hub-and-spoke) one that
        # signs with the hub role's refreshable credentials.
        with self._sts_lock:
            if self._sts is None:
                region = self.core.regions[0]
                sts = self.session.client("sts", region_name=region)
                if self.role.via is not None:
                    hub = assume_role_credentials(
                        sts, self.role.via, self.role, account="hub", member=False
                    )
                    sts = session_with(hub, self.session).client("sts", region_name=region)
                self._sts = sts
            return self._sts

    def credentials(self, account: str) -> Credentials:
        """``account``'s refreshable credentials (the role is assumed on first use).

        Examples:
            >>> from moto import mock_aws
            >>> import boto3
            >>> with mock_aws():
            ...     org = OrgInspector([], "Read", session=boto3.Session(region_name="us-east-1"))
            ...     creds = org.credentials("111122223333")
            ...     creds.get_frozen_credentials().access_key.startswith("ASIA")
            True
        """
        return assume_role_credentials(
            self._member_sts(), self.role.arn(account, self.partition), self.role, account=account
        )

    def _over(
        self,
        make: Callable[[str], ResultStream[T]],
        on_outcome: Callable[[AccountRegionOutcome], None] | None,
        on_progress: Callable[[Progress], None] | None,
        *,
        check_enabled: bool = False,
    ) -> OrgStream[T]:
        return OrgStream(
            self,
            self.accounts,
            self.core.regions,
            make,
            on_outcome,
            on_progress,
            check_enabled=check_enabled,
        )

    def findings(
        self,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        *,
        include_suppressed: bool = False,
        include_closed: bool = False,
        check_enabled: bool = True,
        on_outcome: Callable[[AccountRegionOutcome], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> OrgStream[Finding]:
        """Findings of every account in every region (as ``Inspector.findings``), streamed.

        ``check_enabled`` (the default): each pair first asks Inspector for the account's
        status (``BatchGetAccountStatus``, one call); where it is not ENABLED the pair's
        outcome is an [`InspectorNotEnabledError`][inspector_kit.errors.InspectorNotEnabledError]
        naming the status, not an empty list. A role that may not read the status skips the
        check.

        Examples: see [`OrgInspector`][inspector_kit.fetch.OrgInspector].
        """

        def make(region: str) -> ResultStream[Finding]:
            return _findings(
                self.core,
                criteria,
                regions=[region],
                include_suppressed=include_suppressed,
                include_closed=include_closed,
                sort=None,
                limit=None,
                strict=False,
                on_progress=None,
            )

        return self._over(make, on_outcome, on_progress, check_enabled=check_enabled)

    def coverage(
        self,
        criteria: CoverageCriteria | Mapping[str, Any] | None = None,
        *,
        check_enabled: bool = True,
        on_outcome: Callable[[AccountRegionOutcome], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> OrgStream[CoveredResource]:
        """Coverage records of every account in every region (``ListCoverage``), streamed.

        ``check_enabled``: as for [`findings`][inspector_kit.fetch.OrgInspector.findings].

        Examples:
            >>> from moto import mock_aws
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with mock_aws(), LoopbackInspector() as server:
            ...     org = OrgInspector(["111122223333"], "InspectorRead", session=server.session(),
            ...                        endpoint_url=server.endpoint_url)
            ...     stream = org.coverage()
            ...     n = sum(1 for _ in stream)
            >>> stream.pairs, n > 0
            (1, True)
        """

        def make(region: str) -> ResultStream[CoveredResource]:
            return _coverage(
                self.core, criteria, regions=[region], limit=None, strict=False, on_progress=None
            )

        return self._over(make, on_outcome, on_progress, check_enabled=check_enabled)

    def _one_shot(self, fn: Callable[[str], Any]) -> Callable[[str], ResultStream[Any]]:
        def make(region: str) -> ResultStream[Any]:
            def fetch(region: str, stopped: Callable[[], bool]) -> Iterator[RawPage]:
                yield RawPage(items=[fn(region)], retries=0, number=1)

            return ResultStream(regions=[region], fetch_region=fetch, decode=_as_is)

        return make

    def account_status(
        self,
        *,
        on_outcome: Callable[[AccountRegionOutcome], None] | None = None,
    ) -> OrgStream[AccountState]:
        """Each account's own Inspector status per region (``BatchGetAccountStatus``).

        An account where Inspector is disabled gives a state with ``DISABLED``; a pair that
        cannot be read is a failure, never a missing row.

        Examples:
            >>> from moto import mock_aws
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with mock_aws(), LoopbackInspector() as server:
            ...     org = OrgInspector(["111122223333"], "InspectorRead", session=server.session(),
            ...                        endpoint_url=server.endpoint_url)
            ...     states = list(org.account_status())
            >>> len(states)
            1
        """

        def one(region: str) -> AccountState:
            response = call(
                self.core.clients.get(region),
                "BatchGetAccountStatus",
                "batch_get_account_status",
                {},
                region=region,
            )
            return AccountState.from_api(response["accounts"][0], region=region)

        return self._over(self._one_shot(one), on_outcome, None)

    def configuration(
        self,
        *,
        on_outcome: Callable[[AccountRegionOutcome], None] | None = None,
    ) -> OrgStream[Configuration]:
        """Each account's scan configuration per region (``GetConfiguration``)."""

        def one(region: str) -> Configuration:
            response = call(
                self.core.clients.get(region),
                "GetConfiguration",
                "get_configuration",
                {},
                region=region,
            )
            return Configuration.from_api(strip_metadata(response), region=region)

        return self._over(self._one_shot(one), on_outcome, None)

    def inventory(
        self,
        *,
        on_outcome: Callable[[AccountRegionOutcome], None] | None = None,
    ) -> OrgStream[Inventory]:
        """The coverage analysis inputs of each (account, region), read inside each account.

        EC2 instances, volumes and SSM status exist only in the member account, so this is the
        operation that needs member roles: each pair runs
        [`Inspector.inventory`][inspector_kit.fetch.Inspector.inventory] with the account's assumed
        credentials. A failed call inside a pair is in that ``Inventory.errors`` (as for one
        account); a role that cannot be assumed is the pair's failure.

        Examples: see ``tests/test_org.py`` (EC2 through moto, Inspector through the loopback).
        """

        def one(region: str) -> Inventory:
            session = session_with(self.routed.current(), self.session)
            inspector = Inspector(
                session, regions=[region], config=self._config, endpoint_url=self._endpoint_url
            )
            return inspector.inventory()

        return self._over(self._one_shot(one), on_outcome, None)

    # -- delegated-administrator views: no member role is assumed -------------------------

    @property
    def admin(self) -> Inspector:
        """An ``Inspector`` signing as the caller (the delegated administrator), same regions.

        Through it, without assuming any member role: ``members()`` (ListMembers),
        ``usage_totals(account_ids)`` (ListUsageTotals), ``account_status(account_ids)``
        and members' findings (``findings({"awsAccountId": ...})``).

        Examples:
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     org = OrgInspector([], "Read", session=server.session(),
            ...                        endpoint_url=server.endpoint_url)
            ...     members = list(org.admin.members())
            >>> sorted({m.account_id for m in members})
            ['111122223333', '444455556666']
        """
        if self._admin is None:
            self._admin = Inspector(
                self.session,
                regions=list(self.core.regions),
                config=self._config,
                endpoint_url=self._endpoint_url,
            )
        return self._admin

    def member_deep_inspection_status(
        self, account_ids: Iterable[str], *, strict: bool = False
    ) -> tuple[list[MemberDeepInspection], dict[str, InspectorKitError]]:
        """Members' EC2 deep inspection status per region, as the delegated administrator.

        ``BatchGetMemberEc2DeepInspectionStatus`` in batches of at most 100 accounts (the botocore
        model's limit), in every region on the admin's workers; no member role is assumed.

        Returns:
            The statuses, and region -> the error of a region that could not be read.

        Examples:
            >>> from inspector_kit.testing import LoopbackDataset, LoopbackInspector
            >>> with LoopbackInspector(LoopbackDataset.sample()) as srv:
            ...     org = OrgInspector([], "InspectorRead", session=srv.session("us-east-1"),
            ...                        endpoint_url=srv.endpoint_url, regions=["us-east-1"])
            ...     statuses, errors = org.member_deep_inspection_status(["111122223333"])
            >>> [(s.account_id, s.status, s.failed) for s in statuses], errors
            ([('111122223333', 'ACTIVATED', False)], {})
        """
        ids = list(dict.fromkeys(account_ids))
        for account in ids:
            if not _ACCOUNT_ID.match(account):
                raise FetchOptionError(f"an account id is 12 digits, got {account!r}")
        size = _limits.MEMBER_DEEP_INSPECTION_BATCH
        batches = [ids[i : i + size] for i in range(0, len(ids), size)]
        core = self.admin._core

        def one(region: str) -> list[MemberDeepInspection]:
            out: list[MemberDeepInspection] = []
            for batch in batches:
                response = call(
                    core.clients.get(region),
                    "BatchGetMemberEc2DeepInspectionStatus",
                    "batch_get_member_ec2_deep_inspection_status",
                    {"accountIds": batch},
                    region=region,
                )
                for item in response.get("accountIds", ()):
                    out.append(
                        MemberDeepInspection(
                            item["accountId"], region, item.get("status"), item.get("errorMessage")
                        )
                    )
                for item in response.get("failedAccountIds", ()):
                    out.append(
                        MemberDeepInspection(
                            item["accountId"],
                            region,
                            item.get("ec2ScanStatus"),
                            item.get("errorMessage"),
                            failed=True,
                        )
                    )
            return out

        results, errors = core.per_region(core.regions, one, strict=strict)
        return [s for r in core.regions if r in results for s in results[r]], errors


def _as_is(raw: Any, region: str) -> tuple[Any, tuple[()]]:
    return raw, ()
