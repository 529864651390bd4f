"""The ``Inspector`` facade: every read operation, typed, paginated, over regions.

Each method is a few lines that delegate to an area module (``_findings``, ``_coverage``,
``_account``, ``_exports``, ``_inventory``) built on the shared
``Core`` (session, clients, merged ``Config``, the one
fan-out mechanism).
"""

from __future__ import annotations

import functools
import warnings
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import FetchOptionError

from . import (
    _account,
    _coverage,
    _exports,
    _findings,
    _integrations,
    _inventory,
    _scans,
    _trial,
)
from ._client import CONNECTION_MAX_ATTEMPTS
from ._core import Core
from ._exports import ExportSettings
from ._scale import FindingsAtScale

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import boto3
    from botocore.config import Config
    from types_boto3_inspector2 import Inspector2Client

    from inspector_kit.coverage import Inventory
    from inspector_kit.criteria import CoverageCriteria, FindingCriteria
    from inspector_kit.models import (
        AmiConfigurationState,
        CodeSecurityIntegration,
        CodeSecurityIntegrationDetails,
        Configuration,
        CoveredResource,
        DeepInspectionConfiguration,
        Member,
        OnDemandScan,
        UsageTotal,
    )

    from ._exports import FindingsExport, SbomExport
    from ._results import AccountStatuses, CoverageStatistics, FindingCounts, FindingDetails
    from ._stream import FindingStream, Progress, ResultStream
    from ._trial import FreeTrials

__all__ = ["EXPORT_THRESHOLD", "Inspector"]

EXPORT_THRESHOLD = 100_000
"""Above this many findings in a region, ``Inspector.findings_at_scale`` exports."""


class Inspector:
    """Amazon Inspector (``inspector2``), read side: typed, paginated, over many regions.

    Args:
        session: The boto3 ``Session`` to use (credentials, profile); a default one when
            omitted.
        regions: Regions to read: a list, ``"all"`` (every region botocore knows for
            ``inspector2`` in the session's partition), or ``None`` for the session's
            own region.
        config: A botocore ``Config``, merged over inspector_kit's defaults
            (throttling-proof retries, ``user_agent_extra``); yours wins option by option.
        endpoint_url: Send every call here (e.g. a
            [`LoopbackInspector`][inspector_kit.testing.LoopbackInspector]). When omitted,
            botocore's ``AWS_ENDPOINT_URL_INSPECTOR2`` / ``AWS_ENDPOINT_URL`` settings apply.
        max_workers: Regions fetched at once (default: one worker per region, at most 64).
        connection_attempts: Attempts, the first included, for a call that cannot
            connect (refused, unknown host, timed out); default
            ``CONNECTION_MAX_ATTEMPTS`` (3). Throttling and server
            errors keep the ``Config``'s ``max_attempts`` (12 by default); configuration
            errors (an unusable endpoint URL, TLS failures) are never retried.
        exports: How exports are waited for and read back (timeout, polling, clock and
            sleep, the S3 client): an [`ExportSettings`][inspector_kit.fetch.ExportSettings].

    Raises:
        FetchOptionError: A region, ``max_workers``, ``connection_attempts`` or
            ``exports`` that cannot be used (a ``ValueError``).

    Examples:
        >>> from inspector_kit import Inspector
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with LoopbackInspector() as server:
        ...     inspector = server.inspector(regions=["us-east-1", "eu-west-1", "ap-northeast-1"])
        ...     findings = list(inspector.findings())
        >>> len(findings) > 100, all(f.status == "ACTIVE" for f in findings)
        (True, True)
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
        exports: ExportSettings | None = None,
    ) -> None:
        self._core = Core(
            session,
            regions=regions,
            config=config,
            endpoint_url=endpoint_url,
            max_workers=max_workers,
            connection_attempts=connection_attempts,
        )
        if exports is not None and not isinstance(exports, ExportSettings):
            raise FetchOptionError(
                f"exports must be an ExportSettings, got {type(exports).__name__}"
            )
        self.exports = exports if exports is not None else ExportSettings()
        self.session = self._core.session
        self.regions: tuple[str, ...] = self._core.regions
        self.max_workers = self._core.max_workers

    def __repr__(self) -> str:
        return f"Inspector(regions={list(self.regions)!r}, max_workers={self.max_workers})"

    def client(self, region: str | None = None) -> Inspector2Client:
        """The boto3 ``inspector2`` client this facade uses for ``region`` (default: first).

        For operations the facade does not wrap; it carries the merged ``Config``. Typed
        with ``types-boto3-inspector2`` (a stub-only dependency).

        Examples:
            >>> from inspector_kit import Inspector
            >>> inspector = Inspector(regions=["eu-west-1", "us-east-1"])
            >>> inspector.client().meta.region_name, inspector.client("us-east-1") is (
            ...     inspector.client("us-east-1"))
            ('eu-west-1', True)
        """
        return self._core.client(region)

    # -- findings --------------------------------------------------------------------

    def findings(
        self,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        include_suppressed: bool = False,
        include_closed: bool = False,
        sort: str | tuple[str, str] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> FindingStream:
        """Findings matching ``criteria`` in every region, as a lazy ``FindingStream``.

        ACTIVE findings only unless ``include_suppressed`` / ``include_closed`` (or the
        criteria filter ``findingStatus`` themselves). Regions are fetched in parallel;
        findings arrive as pages do, de-duplicated by ``findingArn``.

        Args:
            criteria: A [`FindingCriteria`][inspector_kit.criteria.FindingCriteria], or an API
                ``filterCriteria`` mapping (validated the same way).
            regions: Override the facade's regions for this call.
            include_suppressed: Also return SUPPRESSED findings.
            include_closed: Also return CLOSED findings (Inspector keeps them briefly).
            sort: A ``SortField`` (descending) or ``(field, "ASC"|"DESC")``. Each region is
                sorted by Inspector and regions are merged in that order.
            limit: Stop after this many findings (over all regions).
            strict: Raise on the first region failure or bad finding instead of
                finishing the other regions.
            on_progress: Called with a [`Progress`][inspector_kit.fetch.Progress] after every page,
                in the iterating thread.

        Raises:
            CriteriaError: The criteria or sort break the service model's limits (at
                call time, before any request).

        Examples:
            >>> from inspector_kit import FindingCriteria, Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     top = list(inspector.findings(FindingCriteria(severity="CRITICAL"),
            ...                                   sort="INSPECTOR_SCORE", limit=3))
            >>> [f.severity.value for f in top]
            ['CRITICAL', 'CRITICAL', 'CRITICAL']
            >>> top[0].inspector_score >= top[-1].inspector_score
            True
        """
        return _findings.findings(
            self._core,
            criteria,
            regions=regions,
            include_suppressed=include_suppressed,
            include_closed=include_closed,
            sort=sort,
            limit=limit,
            strict=strict,
            on_progress=on_progress,
        )

    def count(
        self,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> FindingCounts:
        """Count ACTIVE findings by severity with ``ListFindingAggregations``: no listing.

        Inspector's aggregations take only some filters, so ``criteria`` may use only
        ``awsAccountId``, ``findingType`` and ``resourceType`` (one EQUALS value each for
        the last two), plus ``title`` / ``vulnerabilityId`` (then counted by title), and
        ``findingStatus`` EQUALS ACTIVE. Anything else raises
        [`CriteriaError`][inspector_kit.errors.CriteriaError]: count with ``sum(1 for _ in
        inspector.findings(criteria))`` instead.

        Examples:
            >>> from inspector_kit import FindingCriteria, Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions=["us-east-1", "eu-west-1"])
            ...     packages = FindingCriteria(finding_type="PACKAGE_VULNERABILITY")
            ...     counts = inspector.count(packages)
            ...     listed = sum(1 for f in inspector.findings(packages))
            >>> counts.total == listed
            True
        """
        return _findings.count(self._core, criteria, regions=regions, strict=strict)

    def finding_details(self, arns: Iterable[str], *, strict: bool = False) -> FindingDetails:
        """``BatchGetFindingDetails`` for any number of findings (10 per call, per region).

        Gives KEV data (``cisa_data``), ``exploit_observed``, EPSS and more per finding.
        ARNs are grouped by their region; duplicates are asked once. An ARN that is not
        a finding ARN is reported in ``failed`` (code ``INVALID_FINDING_ARN``), not
        raised, so the rest of the batch goes on.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     arns = [f.finding_arn for f in inspector.findings(limit=12)]
            ...     details = inspector.finding_details([*arns, "not-an-arn"])
            >>> len(details) + len(details.failed) == 13, details.failed["not-an-arn"].error_code
            (True, 'INVALID_FINDING_ARN')
        """
        return _findings.finding_details(self._core, arns, strict=strict)

    # -- coverage and configuration -------------------------------------------------

    def coverage(
        self,
        criteria: CoverageCriteria | Mapping[str, Any] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ResultStream[CoveredResource]:
        """Resources Inspector covers (``ListCoverage``), as a stream of ``CoveredResource``.

        Each resource has ``region`` set (the API does not say it).

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.fetch import CoverageCriteria
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     only_ec2 = CoverageCriteria(resource_type="AWS_EC2_INSTANCE")
            ...     ec2 = list(inspector.coverage(only_ec2))
            >>> {r.resource_type.value for r in ec2}, {r.region for r in ec2}
            ({'AWS_EC2_INSTANCE'}, {'us-east-1'})
        """
        return _coverage.coverage(
            self._core,
            criteria,
            regions=regions,
            limit=limit,
            strict=strict,
            on_progress=on_progress,
        )

    def coverage_statistics(
        self,
        criteria: CoverageCriteria | Mapping[str, Any] | None = None,
        *,
        group_by: str | None = None,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> CoverageStatistics:
        """``ListCoverageStatistics`` over regions: resources counted per ``group_by`` key.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions=["us-east-1", "eu-west-1"])
            ...     stats = inspector.coverage_statistics(group_by="RESOURCE_TYPE")
            >>> sum(stats.by_group().values()) == stats.total > 0
            True
        """
        return _coverage.coverage_statistics(
            self._core, criteria, group_by=group_by, regions=regions, strict=strict
        )

    # -- machine images: on-demand scans and continuous AMI scanning (issue 16) -------

    def start_on_demand_scan(
        self, image_id: str, *, region: str | None = None, client_token: str | None = None
    ) -> str:
        """``StartOnDemandScan`` of one machine image (AMI): the new scan's ``scanId``.

        The image must belong to the account (else ``AccessDeniedError``), and only one
        on-demand scan of an image runs at a time (else a ``FetchError`` with code
        ``ConflictException``). The findings arrive only through EventBridge
        (docs/facts.md#ami); wait for the end with
        [`wait_for_on_demand_scan`][inspector_kit.fetch.Inspector.wait_for_on_demand_scan].

        Args:
            image_id: The AMI's id (``ami-...``).
            region: The AMI's region (default: the facade's first region).
            client_token: An idempotency token (botocore makes one when omitted).

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     image = server.dataset.amis("us-east-1")[0]
            ...     scan_id = inspector.start_on_demand_scan(image)
            ...     first = inspector.on_demand_scan_status(scan_id, image)
            >>> first.scan_status, first.resource_id == image
            (<OnDemandScanStatus.IN_PROGRESS: 'IN_PROGRESS'>, True)
        """
        return _scans.start_on_demand_scan(
            self._core, image_id, region=region, client_token=client_token
        )

    def on_demand_scan_status(
        self, scan_id: str, image_id: str, *, region: str | None = None
    ) -> OnDemandScan:
        """``GetOnDemandScanStatus``: where one on-demand scan of ``image_id`` stands.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="eu-west-1")
            ...     image = server.dataset.amis("eu-west-1")[0]
            ...     scan_id = inspector.start_on_demand_scan(image)
            ...     statuses = [inspector.on_demand_scan_status(scan_id, image).scan_status
            ...                 for _ in range(3)]
            >>> [str(s) for s in statuses]
            ['IN_PROGRESS', 'IN_PROGRESS', 'SUCCESSFUL']
        """
        return _scans.on_demand_scan_status(self._core, scan_id, image_id, region=region)

    def on_demand_scans(
        self,
        image_id: str,
        *,
        regions: str | Iterable[str] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ResultStream[OnDemandScan]:
        """``ListOnDemandScans`` of one image over regions: its scans, newest first per region.

        AWS keeps a scan's record 30 days after it completes. Each scan has ``region`` set.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     image = server.dataset.amis("us-east-1")[0]
            ...     scan_id = inspector.start_on_demand_scan(image)
            ...     scans = list(inspector.on_demand_scans(image))
            >>> [s.scan_id for s in scans] == [scan_id], scans[0].region
            (True, 'us-east-1')
        """
        return _scans.on_demand_scans(
            self._core,
            image_id,
            regions=regions,
            limit=limit,
            strict=strict,
            on_progress=on_progress,
        )

    def wait_for_on_demand_scan(
        self,
        scan_id: str,
        image_id: str,
        *,
        region: str | None = None,
        timeout: float = _scans.DEFAULT_SCAN_TIMEOUT,
        poll_interval: float = _scans.DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = _scans.DEFAULT_MAX_POLL_INTERVAL,
        raise_on_failure: bool = True,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        on_poll: Callable[[OnDemandScan], None] | None = None,
    ) -> OnDemandScan:
        """Poll ``GetOnDemandScanStatus`` until the scan is SUCCESSFUL or FAILED.

        Pauses start at ``poll_interval`` seconds and double up to ``max_poll_interval``;
        the wait never goes past ``timeout`` seconds (AWS publishes no scan duration: the
        2-hour default is an assumption, docs/facts.md#ami).

        Args:
            scan_id: The id ``start_on_demand_scan`` answered.
            image_id: The scanned AMI.
            region: The AMI's region (default: the facade's first region).
            timeout: Seconds to wait at most.
            poll_interval: Seconds before the second poll.
            max_poll_interval: The longest pause between two polls.
            raise_on_failure: Raise ``OnDemandScanFailedError`` for a FAILED scan (else
                return it).
            sleep: Sleeps between polls (default ``time.sleep``; tests pass a fake).
            clock: Monotonic seconds for the deadline (default ``time.monotonic``).
            on_poll: Called with each status read (progress).

        Raises:
            OnDemandScanTimeoutError: still IN_PROGRESS at the deadline (the scan goes on).
            OnDemandScanFailedError: it ended FAILED (``reason`` says why).

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     image = server.dataset.amis("us-east-1")[0]
            ...     scan_id = inspector.start_on_demand_scan(image)
            ...     done = inspector.wait_for_on_demand_scan(scan_id, image,
            ...                                              sleep=lambda seconds: None)
            >>> done.scan_status, done.completed_at is not None
            (<OnDemandScanStatus.SUCCESSFUL: 'SUCCESSFUL'>, True)
        """
        return _scans.wait_for_on_demand_scan(
            self._core,
            scan_id,
            image_id,
            region=region,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            raise_on_failure=raise_on_failure,
            sleep=sleep,
            clock=clock,
            on_poll=on_poll,
        )

    def ami_configuration(self, region: str | None = None) -> AmiConfigurationState | None:
        """Continuous AMI scanning settings in one region (``GetConfiguration``'s ami part).

        ``None`` when the answer has no ``amiConfiguration``. Settings do not apply to
        on-demand scans (docs/facts.md#ami).

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackDataset, LoopbackInspector
            >>> dataset = LoopbackDataset.sample().with_on_demand(ami_configuration={
            ...     "createdWithin": "DAYS_90", "status": "SUCCESS",
            ...     "scanModeConfiguration": {"scanMode": "SCAN_ALL"}})
            >>> with LoopbackInspector(dataset) as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     ami = inspector.ami_configuration()
            >>> ami.scan_mode_configuration.scan_mode, ami.created_within
            (<AmiScanMode.SCAN_ALL: 'SCAN_ALL'>, <AmiScanDuration.DAYS_90: 'DAYS_90'>)
        """
        return _scans.ami_configuration(self._core, region)

    def configuration(self, region: str | None = None) -> Configuration:
        """``GetConfiguration`` in one region: the EC2 scan mode and its status, ECR settings.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     cfg = server.inspector(regions="eu-west-1").configuration()
            >>> cfg.ec2_scan_mode == "EC2_HYBRID", cfg.region
            (True, 'eu-west-1')
        """
        return _account.configuration(self._core, region)

    def deep_inspection_configuration(
        self, region: str | None = None
    ) -> DeepInspectionConfiguration:
        """``GetEc2DeepInspectionConfiguration`` in one region: paths and activation status.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     deep = inspector.deep_inspection_configuration()
            >>> deep.status is not None
            True
        """
        return _account.deep_inspection_configuration(self._core, region)

    def account_status(
        self,
        account_ids: Iterable[str] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> AccountStatuses:
        """``BatchGetAccountStatus`` in every region: is Inspector enabled, and for what.

        ``account_ids`` default to the caller's own account (or, for a delegated
        administrator, as Inspector decides). Enablement is regional: a region that
        fails is in ``errors`` and
        [`AccountStatuses.is_enabled`][inspector_kit.fetch.AccountStatuses.is_enabled] answers
        ``None`` for it, never "disabled" and never "clean".

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions=["us-east-1", "eu-west-1"])
            ...     status = inspector.account_status(["111122223333"])
            >>> status.is_enabled("111122223333", "eu-west-1", "EC2")
            True
        """
        return _account.account_status(self._core, account_ids, regions=regions, strict=strict)

    def usage_totals(
        self,
        account_ids: Iterable[str] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ResultStream[UsageTotal]:
        """``ListUsageTotals`` (last 30 days) per account and region, as a stream.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     totals = list(inspector.usage_totals())
            >>> all(t.region == "us-east-1" for t in totals) and len(totals) > 0
            True
        """
        return _account.usage_totals(
            self._core, account_ids, regions=regions, strict=strict, on_progress=on_progress
        )

    def free_trial_info(
        self,
        account_ids: Iterable[str],
        *,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> FreeTrials:
        """``BatchGetFreeTrialInfo`` in every region: each account's real free-trial dates.

        Accounts are asked 100 at a time (the model's limit). Accounts Inspector cannot
        report on are in ``failed``, accounts a region left out in ``unreported``, and failed
        regions in ``errors``: none is silently dropped. Give the result to
        [`free_trial_days`][inspector_kit.pricing.free_trial_days] to bill only the days after
        each trial (docs/cost.md).

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     trials = inspector.free_trial_info(["111122223333", "999999999999"])
            >>> [a.account_id for a in trials.accounts], [f.code for f in trials.failed]
            (['111122223333'], [<FreeTrialInfoErrorCode.ACCESS_DENIED: 'ACCESS_DENIED'>])
        """
        return _trial.free_trial_info(self._core, account_ids, regions=regions, strict=strict)

    def members(
        self,
        *,
        only_associated: bool = True,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> ResultStream[Member]:
        """``ListMembers``: the accounts of a delegated administrator, per region.

        Examples:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = server.inspector(regions="us-east-1")
            ...     ids = sorted(m.account_id for m in inspector.members())
            >>> "111122223333" in ids
            True
        """
        return _account.members(
            self._core, only_associated=only_associated, regions=regions, strict=strict
        )

    # -- code security integrations ------------------------------------------------

    def code_security_integrations(
        self, *, regions: str | Iterable[str] | None = None, strict: bool = False
    ) -> ResultStream[CodeSecurityIntegration]:
        """``ListCodeSecurityIntegrations``: the repository providers code scanning uses.

        One record per integration and region (GitHub, GitHub Enterprise Server, GitLab
        self-managed), with its [`status`][inspector_kit.models.CodeSecurityIntegration.status]
        and [`ready`][inspector_kit.models.CodeSecurityIntegration.ready]. A region that fails
        lands in the stream's ``errors`` (``strict=True`` raises instead).

        Examples:
            >>> from botocore.stub import Stubber
            >>> from inspector_kit import Inspector
            >>> inspector = Inspector(regions="eu-west-1")
            >>> arn = "arn:aws:inspector2:eu-west-1:111122223333:codesecurity-integration/a1"
            >>> with Stubber(inspector.client("eu-west-1")) as stub:
            ...     stub.add_response("list_code_security_integrations", {"integrations": [{
            ...         "integrationArn": arn,
            ...         "name": "github", "type": "GITHUB", "status": "ACTIVE",
            ...         "statusReason": "", "createdOn": "2026-11-01T00:00:00Z",
            ...         "lastUpdateOn": "2026-11-01T00:00:00Z"}]}, {"maxResults": 100})
            ...     found = list(inspector.code_security_integrations())
            >>> [(i.name, i.ready, i.region) for i in found]
            [('github', True, 'eu-west-1')]
        """
        return _integrations.code_security_integrations(self._core, regions=regions, strict=strict)

    def code_security_integration(self, arn: str) -> CodeSecurityIntegrationDetails:
        """``GetCodeSecurityIntegration``: one integration in full, asked in its ARN's region.

        Raises:
            InvalidArgumentError: ``arn`` is not an Inspector ARN with a region.
            FetchError: the call failed (``AccessDeniedError``, ``ResourceNotFoundError``...).

        Examples:
            >>> from botocore.stub import Stubber
            >>> from inspector_kit import Inspector
            >>> arn = "arn:aws:inspector2:eu-west-1:111122223333:codesecurity-integration/a1"
            >>> inspector = Inspector(regions="us-east-1")
            >>> with Stubber(inspector.client("eu-west-1")) as stub:
            ...     stub.add_response("get_code_security_integration", {
            ...         "integrationArn": arn, "name": "ghes", "status": "ACTIVE",
            ...         "type": "GITHUB_ENTERPRISE_SERVER", "statusReason": "",
            ...         "createdOn": "2026-11-01T00:00:00Z", "lastUpdateOn": "2026-11-01T00:00:00Z",
            ...         "instanceUrl": "https://github.example.com"}, {"integrationArn": arn})
            ...     details = inspector.code_security_integration(arn)
            >>> details.instance_url, details.region
            ('https://github.example.com', 'eu-west-1')
        """
        return _integrations.code_security_integration(self._core, arn)

    # -- EC2 inventory ---------------------------------------------------------------

    def inventory(
        self,
        regions: str | Iterable[str] | None = None,
        *,
        clients: Callable[[str, str], Any] | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Inventory:
        """Gather the inputs of the EC2 coverage analysis from EC2, SSM and Inspector.

        Per region, in parallel: instances (``DescribeInstances``) with their volumes
        (``DescribeVolumes``) and the tags of their KMS keys (``ListResourceTags``), SSM
        status (``DescribeInstanceInformation``) and last inventory time (``GetInventory``,
        type ``AWS:InstanceInformation``), the OS as SSM reports it or, when SSM is silent,
        inferred from the image (``DescribeImages``; ``os_source="image"``); then
        Inspector's EC2 coverage records, the account status of every account seen, the
        scan mode and deep inspection settings. Call
        [`Inventory.analyze`][inspector_kit.coverage.Inventory.analyze] on the result.

        What you get, and what is assumed:

        * ``ssm`` is ``SsmStatus(managed=False)`` for an instance SSM does not list, and
          ``None`` when SSM could not be read at all (the error is in ``errors``); the
          analysis treats both as unmanaged. When ``GetInventory`` fails, managed
          instances get ``inventory_checked=False``.
        * Volumes have ``filesystem=None`` (EC2 does not expose it). An encrypted volume's
          ``kms_key_excluded`` comes from its KMS key's tags (``ListResourceTags``, each key
          read once per region): True with ``InspectorEc2Exclusion``, False without, ``None``
          when the key cannot be read (the error, naming the key, is in ``errors``) or the
          volume is not encrypted.
        * ``configurations`` and ``deep_inspection`` hold the caller's own account only
          (what ``GetConfiguration`` / ``GetEc2DeepInspectionConfiguration`` return without
          an account id). EC2 lists only the caller's instances, so that is the account the
          analysis needs; a delegated administrator's member accounts, seen only in
          coverage records, get no entry.
        * ``account_enabled`` is True when EC2 scanning is ``ENABLED``, False for any other
          state, ``None`` when it could not be read; for the caller and every account
          among instances and coverage records.
        * A failed call is recorded in ``errors`` (a [`FetchError`][inspector_kit.errors.FetchError]
          naming region, operation and code) and the rest goes on; a region whose ``ListCoverage``
          failed part way contributes no coverage records (a partial list would read as "not
          covered").

        Args:
            regions: Override the facade's regions for this call.
            clients: ``(service, region) -> boto3 client`` for ``"ec2"``, ``"ssm"`` and
                ``"kms"`` (return ``None`` to use the default). The default clients use this
                facade's session and merged ``Config`` but not ``endpoint_url`` (that is
                inspector2's); botocore's ``AWS_ENDPOINT_URL_EC2`` /
                ``AWS_ENDPOINT_URL_SSM`` / ``AWS_ENDPOINT_URL_KMS`` apply to them. Called in
                the calling thread; if it raises, that service's calls in that region are
                recorded as failed.
            strict: Raise the first error (in region order) once every region is done,
                instead of returning it in ``errors``.
            on_progress: Called with a [`Progress`][inspector_kit.fetch.Progress] as each region
                finishes, in the calling thread (``pages``: AWS responses; ``items``: instances).

        Examples:
            >>> import boto3
            >>> from botocore.stub import Stubber
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> ec2 = boto3.client("ec2", region_name="us-east-1")
            >>> ssm = boto3.client("ssm", region_name="us-east-1")
            >>> with Stubber(ec2) as e, Stubber(ssm) as s, LoopbackInspector() as server:
            ...     e.add_response("describe_instances", {"Reservations": [{
            ...         "OwnerId": "123456789012", "Instances": [{"InstanceId": "i-0abc",
            ...         "State": {"Name": "running"}, "RootDeviceType": "ebs"}]}]})
            ...     e.add_response("describe_volumes", {"Volumes": []})
            ...     s.add_response("describe_instance_information", {
            ...         "InstanceInformationList": [{"InstanceId": "i-0abc",
            ...         "PingStatus": "Online", "PlatformName": "Ubuntu",
            ...         "PlatformVersion": "22.04"}]})
            ...     s.add_response("get_inventory", {"Entities": []})
            ...     inspector = server.inspector(regions="us-east-1")
            ...     inv = inspector.inventory(clients=lambda service, region: {
            ...         "ec2": ec2, "ssm": ssm}[service])
            >>> i = inv.instances[0]
            >>> i.os_name, i.os_version, i.os_source, i.ssm.online, inv.errors
            ('Ubuntu', '22.04', 'ssm', True, ())
            >>> inv.account_enabled[("123456789012", "us-east-1")]
            True
        """
        return _inventory.gather_inventory(
            self._core,
            self._core.resolve(regions),
            clients=clients,
            strict=strict,
            on_progress=on_progress,
        )

    # -- exports ---------------------------------------------------------------------

    def export_findings(
        self,
        bucket: str,
        kms_key_arn: str,
        *,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        format: str = "JSON",
        prefix: str | None = None,
        wait: bool = True,
        timeout: float | None = None,
        region: str | None = None,
        s3_client: Any = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> FindingsExport:
        """Have Inspector write a findings report to S3, then stream it back as findings.

        ``CreateFindingsReport`` (``ACTIVE`` findings unless ``criteria`` filter
        ``findingStatus``), then, with ``wait``, ``GetFindingsReportStatus`` polled with
        exponential backoff as the facade's ``exports`` settings say. Iterate the
        result for the findings, read from S3 object by object as a stream. See
        ``inspector_kit.fetch._exports`` for the errors and the CSV caveat.

        Args:
            bucket: The S3 bucket; its policy must let ``inspector2.amazonaws.com`` put
                objects.
            kms_key_arn: The KMS key; its policy must let Inspector generate data keys.
            criteria: A [`FindingCriteria`][inspector_kit.criteria.FindingCriteria] or API
                ``filterCriteria`` mapping.
            format: ``"JSON"`` (streamed into findings) or ``"CSV"`` (objects only).
            prefix: The S3 key prefix.
            wait: Wait for the report (else poll
                [`FindingsExport.wait`][inspector_kit.fetch.FindingsExport] yourself).
            timeout: Seconds to wait before
                [`ExportTimeoutError`][inspector_kit.fetch.ExportTimeoutError] (default: the
                ``timeout`` of ``exports``, 600).
            region: The region (default: the first of ``regions``).
            s3_client: Deprecated: give ``Inspector(exports=ExportSettings(s3_client=...))``.
            sleep: Deprecated: give ``ExportSettings(sleep=...)``.
            clock: Deprecated: give ``ExportSettings(clock=...)``.

        Raises:
            ExportInProgressError: another findings report is in progress in the account.
            ExportFailedError: the report failed; the message names the missing policy.
            ExportTimeoutError: not done within ``timeout``.

        Examples:
            >>> import boto3
            >>> from moto import mock_aws
            >>> from inspector_kit.fetch import ExportSettings
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with mock_aws():
            ...     s3 = boto3.client("s3", region_name="us-east-1")
            ...     _ = s3.create_bucket(Bucket="reports")
            ...     with LoopbackInspector(s3=s3) as server:
            ...         inspector = server.inspector(
            ...             regions=["us-east-1"],
            ...             exports=ExportSettings(s3_client=s3, sleep=lambda s: None))
            ...         export = inspector.export_findings(
            ...             "reports", "arn:aws:kms:us-east-1:111122223333:key/k")
            ...         n = sum(1 for _ in export)
            >>> export.status, n > 0, len(export.objects)
            ('SUCCEEDED', True, 1)
        """
        settings = self._export_settings(s3_client=s3_client, sleep=sleep, clock=clock)
        return self._export_findings(
            settings,
            bucket,
            kms_key_arn,
            criteria=criteria,
            format=format,
            prefix=prefix,
            wait=wait,
            timeout=timeout,
            region=region,
        )

    def findings_at_scale(
        self,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        *,
        bucket: str,
        kms_key_arn: str,
        threshold: int = EXPORT_THRESHOLD,
        prefix: str | None = None,
        timeout: float | None = None,
        strict: bool = False,
        s3_client: Any = None,
        sleep: Callable[[float], None] | None = None,
    ) -> FindingsAtScale:
        """Findings, read per region by a server-side export where there are many of them.

        [`findings`][inspector_kit.fetch.Inspector.findings] pages through ``ListFindings`` (at most
        100 per call: 10,000 calls for a million findings). With your permission (a bucket and a KMS
        key), this method first counts each region's ACTIVE findings with
        ``ListFindingAggregations`` and reads a region with more than ``threshold``
        (default ``EXPORT_THRESHOLD``, 100,000) through
        [`export_findings`][inspector_kit.fetch.Inspector.export_findings]
        instead: a handful of calls and S3 reads. Other regions use
            [`findings`][inspector_kit.fetch.Inspector.findings].

        Counting is never a reason to fail: where it cannot be done (criteria that
        aggregations cannot count, see [`count`][inspector_kit.fetch.Inspector.count];
        ``ListFindingAggregations`` denied or missing; a region failing), and where a report cannot
        be made before anything was read from it, the region is read with
        [`findings`][inspector_kit.fetch.Inspector.findings] and the result's
        ``FindingsAtScale.fallbacks`` says why (also logged as a warning). Regions that fail
        are in ``FindingsAtScale.errors``, as with
        [`findings`][inspector_kit.fetch.Inspector.findings]; ``strict`` raises the first failure
        instead. Exports wait and read as the facade's ``exports`` settings say (``timeout``
        overrides theirs); the ``s3_client`` and ``sleep`` arguments are deprecated (give them in
        [`ExportSettings`][inspector_kit.fetch.ExportSettings]).

        Examples:
            >>> import boto3
            >>> from moto import mock_aws
            >>> from inspector_kit.testing import LoopbackInspector
            >>> from inspector_kit.fetch import ExportSettings
            >>> with mock_aws():
            ...     s3 = boto3.client("s3", region_name="us-east-1")
            ...     _ = s3.create_bucket(Bucket="reports")
            ...     with LoopbackInspector(s3=s3) as server:
            ...         inspector = server.inspector(
            ...             regions=["us-east-1", "eu-west-1"],
            ...             exports=ExportSettings(s3_client=s3, sleep=lambda s: None))
            ...         result = inspector.findings_at_scale(
            ...             bucket="reports", kms_key_arn="arn:aws:kms:us-east-1:1:key/k",
            ...             threshold=75)
            ...         found = list(result)
            >>> len(found) == len({f.finding_arn for f in found}), result.errors
            (True, {})
        """
        settings = self._export_settings(s3_client=s3_client, sleep=sleep)
        return FindingsAtScale(
            self,
            _findings.finding_criteria(criteria),
            threshold=threshold,
            strict=strict,
            export_options={
                "bucket": bucket,
                "kms_key_arn": kms_key_arn,
                "prefix": prefix,
                "timeout": timeout,
            },
            export=functools.partial(self._export_findings, settings),
        )

    def export_sbom(
        self,
        bucket: str,
        kms_key_arn: str,
        *,
        format: str = "CYCLONEDX_1_4",
        resource_criteria: Mapping[str, Any] | None = None,
        prefix: str | None = None,
        wait: bool = True,
        timeout: float | None = None,
        region: str | None = None,
        s3_client: Any = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> SbomExport:
        """Have Inspector write SBOMs to S3 (``CreateSbomExport``), then read them back.

        Like [`export_findings`][inspector_kit.fetch.Inspector.export_findings] (``s3_client``,
        ``sleep`` and ``clock`` are deprecated there too); ``resource_criteria`` is an API
        ``ResourceFilterCriteria`` mapping. Iterate the result for ``(key, document)``.

        Examples:
            >>> import boto3
            >>> from moto import mock_aws
            >>> from inspector_kit.testing import LoopbackInspector
            >>> from inspector_kit.fetch import ExportSettings
            >>> with mock_aws():
            ...     s3 = boto3.client("s3", region_name="us-east-1")
            ...     _ = s3.create_bucket(Bucket="sboms")
            ...     with LoopbackInspector(s3=s3) as server:
            ...         inspector = server.inspector(
            ...             regions=["us-east-1"],
            ...             exports=ExportSettings(s3_client=s3, sleep=lambda s: None))
            ...         export = inspector.export_sbom(
            ...             "sboms", "arn:aws:kms:us-east-1:111122223333:key/k")
            ...         documents = list(export)
            >>> export.status, len(documents) > 0
            ('SUCCEEDED', True)
        """
        settings = self._export_settings(s3_client=s3_client, sleep=sleep, clock=clock)
        return _exports.start_sbom_export(
            self._core,
            settings,
            bucket,
            kms_key_arn,
            format=format,
            resource_criteria=resource_criteria,
            prefix=prefix,
            wait=wait,
            timeout=timeout,
            region=region,
        )

    # -- plumbing --------------------------------------------------------------------

    def _export_settings(self, **deprecated: Any) -> ExportSettings:
        """The facade's export settings, with any per-call (deprecated) overrides."""
        given = {name: value for name, value in deprecated.items() if value is not None}
        if not given:
            return self.exports
        names = ", ".join(f"{name}=" for name in sorted(given))
        warnings.warn(
            f"passing {names} per export call is deprecated; give them once as "
            f"Inspector(..., exports=ExportSettings({names}...))",
            DeprecationWarning,
            stacklevel=3,
        )
        return attrs.evolve(self.exports, **given)

    def _export_findings(
        self,
        settings: ExportSettings,
        bucket: str,
        kms_key_arn: str,
        *,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        format: str = "JSON",
        prefix: str | None = None,
        wait: bool = True,
        timeout: float | None = None,
        region: str | None = None,
    ) -> FindingsExport:
        return _exports.start_findings_report(
            self._core,
            settings,
            bucket,
            kms_key_arn,
            filter_criteria=_findings.finding_criteria(criteria).to_api(),
            format=format,
            prefix=prefix,
            wait=wait,
            timeout=timeout,
            region=region,
        )
