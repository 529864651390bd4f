"""The rules: which method scans each instance, why, and what would fix it (docs/facts.md#ec2).

Sources: https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html (modes,
agentless limits, exclusion tag), .../deep-inspection.html, .../supported.html,
.../sbom-export.html (no SBOM for agent-based Windows), and the API's ``ScanStatus``
reasons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import attrs

from inspector_kit.errors import CoverageInputError, TimestampError
from inspector_kit.models import (
    CoverageResourceType,
    CoveredResource,
    Ec2ScanMode,
    ScanMode,
    ScanStatusCode,
    ScanStatusReason,
    ScanType,
)
from inspector_kit.models._time import as_utc

from ._model import (
    EXCLUSION_TAG,
    DeepInspectionSettings,
    Ec2Instance,
    ScanConfiguration,
    ScanMethod,
)
from ._os import OsStatus, OsSupport, os_support
from ._reasons import UNKNOWN_REASON, reason_mapping
from ._report import (
    AGENTLESS_CADENCE,
    LINUX_AGENT_CADENCE,
    LINUX_DEEP_INSPECTION_CADENCE,
    NETWORK_REACHABILITY_INTERVAL,
    VM_SCANNER_CADENCE,
    WINDOWS_AGENT_CADENCE,
    CoverageReport,
    CoverageStatus,
    InstanceCoverage,
    Reason,
    ReasonKind,
    ScanCadence,
)

__all__ = [
    "AGENTLESS_MAX_GIB",
    "AGENTLESS_MAX_VOLUMES",
    "STALE_INVENTORY_AFTER",
    "VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION",
    "VM_SCANNER_WINDOWS_LANGUAGES",
    "VM_SCANNER_WINDOWS_SBOM",
    "analyze",
]

STALE_INVENTORY_AFTER = timedelta(days=7)
"""Inventory older than this is stale (Inspector's ``STALE_INVENTORY``); exactly 7 days is not."""
AGENTLESS_MAX_VOLUMES = 7
"""The most volumes agentless scans (an assumption: "fewer than 8"; docs/facts.md#coverage-details).

AWS's pages read "fewer than 8 volumes" (this default) and "more than 8 volumes" exceeds the
limit (8 allowed): pass ``analyze(..., agentless_max_volumes=8)`` for the second reading. Either
limit exceeded is Inspector's ``AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED``."""
AGENTLESS_MAX_GIB = 1200
"""Agentless scans instances whose volumes total at most 1200 GB (taken as EBS GiB)."""
VM_SCANNER_WINDOWS_LANGUAGES = True
"""Whether the VM Scanner reads language packages on Windows (an assumption,
docs/facts.md#vm-scanner): issue 16 reads AWS as "deep inspection on Linux, Windows and macOS",
another AWS statement says Windows gets "only OS packages". Change it per call with
``analyze(..., vm_scanner_windows_languages=False)``."""
VM_SCANNER_WINDOWS_SBOM = False
"""Whether the VM Scanner's Windows instances have SBOM export (an assumption): AWS gives
Windows SBOMs only to accounts that opt in, and no API the analysis reads says whether one did.
Pass ``analyze(..., vm_scanner_windows_sbom=True)`` if yours did."""
VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION = False
"""Whether a VM Scanner installed by hand scans only where the account activated Enhanced EC2
Scanning (an assumption: AWS's manual-installation page names no such requirement). Pass
``analyze(..., hand_installed_needs_activation=True)`` for the stricter reading."""
NEW_INSTANCE_GRACE = timedelta(hours=24)
"""A covered-by-rule instance launched this recently without a record is PENDING, not missing."""

_FILESYSTEMS = {"linux": frozenset({"ext3", "ext4", "xfs"}), "windows": frozenset({"ntfs"})}
_SSM_FIX = (
    "Make it SSM-managed: install/start the SSM Agent, attach an instance profile with "
    "AmazonSSMManagedInstanceCore, and allow it to reach the SSM endpoints"
)
_INSPECTOR_SCAN_URL = "https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html"


# Equal reasons are shared: most instances carry the same few, and sharing keeps a
# 100,000-instance report from holding 400,000 near-identical objects.
_reason = lru_cache(maxsize=4096)(Reason)


@lru_cache(maxsize=4096)
def _interned(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """One shared tuple per distinct list of reasons."""
    return reasons


def _lookup(value: Any, account: str, region: str) -> Any:
    """Resolve a per-scope setting for one instance.

    The value itself, or a mapping keyed by (account, region), account or region (most
    specific wins). Missing gives ``_MISSING``.
    """
    if not isinstance(value, Mapping):
        return value
    for key in ((account, region), account, region):
        if key in value:
            return value[key]
    return _MISSING


_MISSING: Any = object()


def _configuration(value: Any) -> ScanConfiguration | None:
    if value is None or value is _MISSING:
        return None
    if isinstance(value, ScanConfiguration):
        return value
    return ScanConfiguration(value)


def _ec2_records(
    coverage: Iterable[CoveredResource | Mapping[str, Any]],
    errors: list[Exception],
    other_cloud: list[CoveredResource],
) -> tuple[dict[str, CoveredResource], list[CoveredResource], set[tuple[str, str | None]]]:
    """EC2 package records by instance id, the records that repeat an id, and the scopes.

    Azure and GCP records go to ``other_cloud``: a VM there is never an EC2 instance, even
    if a record claimed ``AWS_EC2_INSTANCE`` (docs/facts.md#multicloud).
    """
    by_instance: dict[str, CoveredResource] = {}
    repeats: list[CoveredResource] = []
    scopes: set[tuple[str, str | None]] = set()
    for index, item in enumerate(coverage):
        try:
            record = item if isinstance(item, CoveredResource) else CoveredResource.from_api(item)
        except (TypeError, ValueError) as exc:
            errors.append(CoverageInputError(f"coverage[{index}]: not a CoveredResource: {exc}"))
            continue
        if record.is_other_cloud:
            other_cloud.append(record)
            continue
        if record.resource_type != CoverageResourceType.AWS_EC2_INSTANCE:
            continue
        scopes.add((record.account_id, record.region))
        if record.scan_type != ScanType.PACKAGE:
            continue
        if record.resource_id in by_instance:
            repeats.append(record)
        else:
            by_instance[record.resource_id] = record
    return by_instance, repeats, scopes


def analyze(
    instances: Iterable[Ec2Instance],
    *,
    configuration: ScanConfiguration | Ec2ScanMode | str | Mapping[Any, Any],
    coverage: Iterable[CoveredResource | Mapping[str, Any]] = (),
    deep_inspection: DeepInspectionSettings | Mapping[Any, Any] | None = None,
    account_enabled: bool | Mapping[Any, bool | None] | None = True,
    now: datetime | None = None,
    errors: Iterable[Exception] = (),
    agentless_max_volumes: int = AGENTLESS_MAX_VOLUMES,
    network_reachability_interval: timedelta = NETWORK_REACHABILITY_INTERVAL,
    infer_hand_installed: bool = True,
    hand_installed_needs_activation: bool = VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION,
    vm_scanner_windows_languages: bool = VM_SCANNER_WINDOWS_LANGUAGES,
    vm_scanner_windows_sbom: bool = VM_SCANNER_WINDOWS_SBOM,
) -> CoverageReport:
    """Which method scans each instance, its status, every reason and the fix.

    Args:
        instances: the EC2 instances ([`Ec2Instance`][inspector_kit.coverage.Ec2Instance]).
        configuration: the EC2 scan mode: one
            [`ScanConfiguration`][inspector_kit.coverage.ScanConfiguration] (or mode string) for
            all, or a mapping keyed by ``(account, region)``, account id or region (most specific
            wins). An instance with no configuration is analysed as agent-based and says so.
        coverage: Inspector's coverage records (``CoveredResource`` or API dicts); records
            are taken as complete for each (account, region) they appear in.
        deep_inspection: [`DeepInspectionSettings`][inspector_kit.coverage.DeepInspectionSettings],
            one or per scope; ``None`` assumes deep inspection is activated with the default paths.
        account_enabled: whether Inspector EC2 scanning is enabled, one or per scope;
            ``False`` marks every instance there NOT_COVERED; ``None`` = unknown.
        now: the time to judge inventory staleness and support dates (default: now, UTC).
        errors: gathering errors to carry into the report.
        agentless_max_volumes: the most volumes agentless scanning reads (default 7, "fewer
            than 8"; AWS's pages disagree on 8, see docs/facts.md#coverage-details).
        network_reachability_interval: how often Inspector evaluates network reachability,
            carried in each ``cadence`` (default 12 hours; older AWS pages say 24).
        infer_hand_installed: take an ``EC2_INSPECTOR_AGENT_BASED`` coverage record the
            account's settings do not explain as evidence of a VM Scanner installed by hand
            (unless ``Ec2Instance.vm_scanner_installed`` is ``False``); ``False`` flags it as a
            mismatch instead.
        hand_installed_needs_activation: whether a hand-installed VM Scanner needs the account's
            Enhanced EC2 Scanning activated (default ``False``, an assumption).
        vm_scanner_windows_languages: whether the VM Scanner reads language packages on Windows
            (default ``True``; AWS's pages disagree, docs/facts.md#vm-scanner).
        vm_scanner_windows_sbom: whether Windows instances scanned by the VM Scanner have SBOM
            export (default ``False``: Windows SBOMs need an opt-in no API reports).

    Enhanced EC2 Scanning (``vmScannerState`` activated, status SUCCESS) scans SSM-managed
    instances with the VM Scanner (``ScanMethod.VM_SCANNER``) instead of the SSM plugin;
    unmanaged instances keep what the scan mode gives them (agentless in hybrid mode) unless the
    scanner was installed by hand. ``method_if_vm_scanner`` and
    ``CoverageReport.vm_scanner_would_add`` answer what activating it would change.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.coverage import Ec2Instance, SsmStatus, Volume
        >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
        >>> web = Ec2Instance("i-1", account_id="111122223333", region="us-east-1",
        ...     os_name="Ubuntu", os_version="22.04", root_device_type="ebs",
        ...     volumes=(Volume("vol-1", 30, "ext4"),), ssm=SsmStatus(managed=False))
        >>> c = analyze([web], configuration="EC2_HYBRID", now=now)[0]
        >>> c.status.value, c.expected_method.value, c.cadence.interval
        ('COVERED', 'AGENTLESS', datetime.timedelta(days=1))
        >>> c = analyze([web], configuration="EC2_SSM_AGENT_BASED", now=now)[0]
        >>> c.status.value, [r.code for r in c.blockers], c.method_if_hybrid.value
        ('NOT_COVERED', ['UNMANAGED_EC2_INSTANCE'], 'AGENTLESS')
        >>> hand = attrs.evolve(web, vm_scanner_installed=True)
        >>> c = analyze([hand], configuration="EC2_SSM_AGENT_BASED", now=now)[0]
        >>> c.status.value, c.expected_method.value, c.cadence.interval
        ('COVERED', 'VM_SCANNER', datetime.timedelta(seconds=10800))
    """
    if (
        isinstance(agentless_max_volumes, bool)
        or not isinstance(agentless_max_volumes, int)
        or agentless_max_volumes < 0
    ):
        raise CoverageInputError(
            f"agentless_max_volumes must be an int >= 0; got {agentless_max_volumes!r}"
        )
    if not isinstance(network_reachability_interval, timedelta) or (
        network_reachability_interval <= timedelta(0)
    ):
        raise CoverageInputError(
            "network_reachability_interval must be a positive timedelta; got "
            f"{network_reachability_interval!r}"
        )
    try:
        moment = (
            datetime.now(timezone.utc) if now is None else as_utc(now, what="now", naive="reject")
        )
    except TimestampError as exc:
        raise CoverageInputError(exc.reason) from None
    options = _VmOptions(
        infer_hand_installed=bool(infer_hand_installed),
        needs_activation=bool(hand_installed_needs_activation),
        windows_languages=bool(vm_scanner_windows_languages),
        windows_sbom=bool(vm_scanner_windows_sbom),
    )
    problems: list[Exception] = list(errors)
    other_cloud: list[CoveredResource] = []
    records, repeats, scopes = _ec2_records(coverage, problems, other_cloud)
    coverage_given = bool(scopes)
    results: list[InstanceCoverage] = []
    seen: set[str] = set()
    resolved: dict[tuple[str, str], _Scope] = {}
    for index, instance in enumerate(instances):
        item: object = instance
        if not isinstance(item, Ec2Instance):
            problems.append(
                CoverageInputError(
                    f"instances[{index}]: expected an Ec2Instance, got {type(item).__name__}"
                )
            )
            continue
        iid = instance.instance_id
        if iid in seen:
            problems.append(
                CoverageInputError(f"instances[{index}]: {iid} appears twice; the first was kept")
            )
            continue
        seen.add(iid)
        record = records.get(iid)
        if record is not None and record.region in (None, instance.region):
            del records[iid]
        else:
            record = None
        scope = resolved.get((instance.account_id, instance.region))
        if scope is None:
            scope = resolved[(instance.account_id, instance.region)] = _Scope(
                instance.account_id,
                instance.region,
                configuration,
                deep_inspection,
                account_enabled,
                scopes,
            )
        try:
            results.append(
                _analyze_one(
                    instance,
                    scope=scope,
                    record=record,
                    coverage_known=scope.coverage_known,
                    coverage_given=coverage_given,
                    now=moment,
                    max_volumes=agentless_max_volumes,
                    network_interval=network_reachability_interval,
                    options=options,
                )
            )
        except (TypeError, ValueError) as exc:
            problems.append(CoverageInputError(f"instances[{index}] {instance.instance_id}: {exc}"))
    return CoverageReport(
        instances=tuple(results),
        now=moment,
        coverage_only=(*records.values(), *repeats),
        other_cloud=tuple(other_cloud),
        errors=tuple(problems),
        coverage_given=coverage_given,
    )


@attrs.frozen
class _VmOptions:
    """The VM Scanner assumptions of one analysis (see ``analyze``'s keywords)."""

    infer_hand_installed: bool = True
    needs_activation: bool = VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION
    windows_languages: bool = VM_SCANNER_WINDOWS_LANGUAGES
    windows_sbom: bool = VM_SCANNER_WINDOWS_SBOM


_DEFAULT_VM_OPTIONS = _VmOptions()


class _Verdict:
    """The rules' answer for one mode, with the reasons behind it."""

    __slots__ = ("hybrid_method", "method", "reasons", "status")

    def __init__(
        self,
        method: ScanMethod,
        status: CoverageStatus,
        reasons: list[Reason],
        hybrid_method: ScanMethod | None = None,
    ) -> None:
        self.method = method
        self.status = status
        self.reasons = reasons
        # What hybrid mode would choose: the same unless agent-based mode left it unscanned.
        self.hybrid_method = method if hybrid_method is None else hybrid_method


class _Scope:
    """The settings of one (account, region), resolved once per analysis."""

    __slots__ = (
        "coverage_known",
        "deep",
        "enabled",
        "hybrid",
        "mode",
        "notes",
        "vm_activated",
        "vm_scanner",
    )

    def __init__(
        self,
        account: str,
        region: str,
        configuration: Any,
        deep_inspection: Any,
        account_enabled: Any,
        coverage_scopes: set[tuple[str, str | None]],
    ) -> None:
        self.notes: list[Reason] = []
        # Records are complete for each (account, region) they appear in.
        self.coverage_known = (account, region) in coverage_scopes or (
            account,
            None,
        ) in coverage_scopes
        config = _configuration(_lookup(configuration, account, region))
        self.mode: Ec2ScanMode | str | None = None
        self.hybrid = False
        # vm_scanner: activated and applied; vm_activated: activated, maybe pending or failed.
        self.vm_scanner = False
        self.vm_activated = False
        if config is None:
            self.notes.append(
                _reason(
                    "SCAN_MODE_UNKNOWN",
                    f"No EC2 scan mode known for account {account} in {region}; "
                    "analysed as agent-based (EC2_SSM_AGENT_BASED)",
                    "Read it with Inspector.configuration() (GetConfiguration)",
                    ReasonKind.ASSUMPTION,
                )
            )
        else:
            self.mode = config.mode
            self.hybrid = config.hybrid
            self.vm_scanner = config.vm_scanner_active
            # A pending change (on or off) may already show on instances.
            self.vm_activated = config.vm_scanner is True or config.vm_scanner_pending
            self.notes.extend(_vm_scanner_notes(config, account, region))
            if not isinstance(config.mode, Ec2ScanMode):
                self.notes.append(
                    _reason(
                        "SCAN_MODE_UNKNOWN",
                        f"Unknown EC2 scan mode {config.mode!r}; analysed as agent-based",
                        None,
                        ReasonKind.ASSUMPTION,
                    )
                )
            if config.pending:
                self.notes.append(
                    _reason(
                        "SCAN_MODE_PENDING",
                        f"A change of scan mode to {config.mode} has not applied yet; "
                        "coverage may shift",
                        None,
                        ReasonKind.INFO,
                    )
                )
        enabled = _lookup(account_enabled, account, region)
        self.enabled: bool | None = None if enabled is _MISSING else enabled
        if self.enabled is None and account_enabled is not True:
            self.notes.append(
                _reason(
                    "ACCOUNT_STATUS_UNKNOWN",
                    f"Whether Inspector is enabled in account {account}, {region} could not "
                    "be read; assumed enabled",
                    "Check with Inspector.account_status() (BatchGetAccountStatus)",
                    ReasonKind.WARNING,
                )
            )
        deep = _lookup(deep_inspection, account, region)
        self.deep: DeepInspectionSettings | None = None if deep is _MISSING else deep


def _vm_scanner_notes(config: ScanConfiguration, account: str, region: str) -> list[Reason]:
    """What the account's ``vmScannerState`` adds to every instance's reasons."""
    if config.vm_scanner_failed:
        return [
            _reason(
                "VM_SCANNER_FAILED",
                f"Activating Enhanced EC2 Scanning (the VM Scanner) failed in account {account}, "
                f"{region}; analysed as not activated (the scan mode applies)",
                "Activate it again (UpdateConfiguration ec2Configuration.activateVMScanner) and "
                "check the Systems Manager associations that install the VM Scanner",
                ReasonKind.WARNING,
            )
        ]
    if config.vm_scanner_pending:
        return [
            _reason(
                "VM_SCANNER_PENDING",
                f"A change of Enhanced EC2 Scanning (the VM Scanner) in account {account}, "
                f"{region} has not applied yet; analysed as before it, coverage may shift",
                None,
                ReasonKind.INFO,
            )
        ]
    if config.vm_scanner is True and not config.vm_scanner_active:
        return [
            _reason(
                "VM_SCANNER_STATUS_UNKNOWN",
                f"Unknown VM Scanner status {config.vm_scanner_status!r}; analysed as not "
                "activated",
                None,
                ReasonKind.ASSUMPTION,
            )
        ]
    return []


def _vm_scanner_evidence(
    instance: Ec2Instance,
    record: CoveredResource | None,
    verdict: _Verdict,
    scope: _Scope,
    options: _VmOptions,
) -> str | None:
    """Why an ``EC2_INSPECTOR_AGENT_BASED`` record the rules did not predict is expected.

    ``"rollout"``: the account activated the scanner and it has reached this SSM-managed
    instance before the account's status says SUCCESS (PENDING or FAILED). ``"hand"``: a
    scanner installed by hand (the only evidence there is). ``None``: no record of the kind, the
    rules predict it already, or the instance cannot be scanned at all.
    """
    if (
        record is None
        or record.scan_mode != ScanMode.EC2_INSPECTOR_AGENT_BASED
        or record.scan_status is None
        or record.scan_status.status_code != ScanStatusCode.ACTIVE
        or verdict.method is ScanMethod.VM_SCANNER
        or verdict.status
        in (CoverageStatus.STOPPED, CoverageStatus.EXCLUDED, CoverageStatus.UNSUPPORTED)
        or scope.enabled is False
    ):
        return None
    if scope.vm_activated and instance.ssm_managed:
        return "rollout"
    if (
        options.infer_hand_installed
        and instance.vm_scanner_installed is None
        and (scope.vm_scanner or not options.needs_activation)
    ):
        return "hand"
    return None


def _analyze_one(
    instance: Ec2Instance,
    *,
    scope: _Scope,
    record: CoveredResource | None,
    coverage_known: bool,
    coverage_given: bool,
    now: datetime,
    max_volumes: int = AGENTLESS_MAX_VOLUMES,
    network_interval: timedelta = NETWORK_REACHABILITY_INTERVAL,
    options: _VmOptions = _DEFAULT_VM_OPTIONS,
) -> InstanceCoverage:
    account, region = instance.account_id, instance.region
    mode, hybrid, enabled, deep_config = scope.mode, scope.hybrid, scope.enabled, scope.deep
    support = os_support(instance.platform, instance.os_name, instance.os_version, now=now)

    def rules(subject: Ec2Instance, vm_scanner: bool) -> _Verdict:
        return _rules(
            subject,
            hybrid=hybrid,
            support=support,
            now=now,
            max_volumes=max_volumes,
            vm_scanner=vm_scanner,
            needs_activation=options.needs_activation,
        )

    verdict = rules(instance, scope.vm_scanner)
    evidence = _vm_scanner_evidence(instance, record, verdict, scope, options)
    vm_note: Reason | None = None
    if evidence == "rollout":
        verdict = rules(instance, True)
        vm_note = _reason(
            "VM_SCANNER_OBSERVED",
            "Inspector already reports the VM Scanner (EC2_INSPECTOR_AGENT_BASED) on this "
            "instance while the account's Enhanced EC2 Scanning setting is not applied "
            "(vmScannerState PENDING or FAILED)",
            None,
            ReasonKind.INFO,
        )
    elif evidence == "hand":
        verdict = rules(attrs.evolve(instance, vm_scanner_installed=True), scope.vm_scanner)
        vm_note = _reason(
            "VM_SCANNER_ASSUMED_HAND_INSTALLED",
            "Inspector reports the VM Scanner (EC2_INSPECTOR_AGENT_BASED) on an instance the "
            "account's settings would not give it to; assumed installed by hand (no SSM "
            "needed)",
            "Set Ec2Instance.vm_scanner_installed=True to say so (False to flag the record)",
            ReasonKind.ASSUMPTION,
        )
    if scope.vm_scanner or evidence is not None:
        method_if_vm = verdict.method
    else:
        method_if_vm = rules(instance, True).method
    reasons = [*verdict.reasons, *scope.notes]
    if vm_note is not None:
        reasons.append(vm_note)
    expected_method, expected_status = verdict.method, verdict.status

    if enabled is False:
        reasons.insert(
            0,
            _reason(
                "INSPECTOR_NOT_ENABLED",
                f"Inspector EC2 scanning is not enabled in account {account}, {region}: "
                "nothing on this instance is scanned (no findings does not mean clean)",
                f"Enable it: aws inspector2 enable --resource-types EC2 --account-ids {account} "
                f"--region {region}",
            ),
        )
        expected_method = ScanMethod.NONE
        if expected_status in (CoverageStatus.COVERED, CoverageStatus.PENDING):
            expected_status = CoverageStatus.NOT_COVERED

    if (
        expected_status is CoverageStatus.COVERED
        and record is not None
        and record.scan_status is not None
        and record.scan_status.reason == ScanStatusReason.PENDING_INITIAL_SCAN
        and instance.launched_at is not None
        and now - instance.launched_at <= NEW_INSTANCE_GRACE
    ):
        # A first scan pending on a new instance is what the rules expect too.
        expected_status = CoverageStatus.PENDING
    observed_method, status = _observe(
        instance,
        record=record,
        coverage_known=coverage_known,
        coverage_given=coverage_given,
        expected_method=expected_method,
        expected_status=expected_status,
        now=now,
        reasons=reasons,
    )
    if enabled is False:
        status = (
            CoverageStatus.NOT_COVERED
            if status
            not in (CoverageStatus.STOPPED, CoverageStatus.EXCLUDED, CoverageStatus.UNSUPPORTED)
            else status
        )
    effective = observed_method if observed_method is not None else expected_method
    scanned = status in (CoverageStatus.COVERED, CoverageStatus.PENDING) and (
        effective is not ScanMethod.NONE
    )
    cadence, deep_on, paths, sbom = _capabilities(
        instance,
        effective if scanned else ScanMethod.NONE,
        deep_config,
        reasons,
        options,
        deep_supported=support.deep_inspection,
    )
    if cadence is not None and cadence.network_reachability_interval != network_interval:
        cadence = _with_network_interval(cadence, network_interval)
    billed = scanned and instance.state == "running"
    order = {ReasonKind.BLOCKER: 0, ReasonKind.WARNING: 1, ReasonKind.ASSUMPTION: 2}
    reasons.sort(key=lambda r: order.get(r.kind, 3))
    return InstanceCoverage(
        instance=instance,
        scan_mode=mode,
        expected_method=expected_method,
        expected_status=expected_status,
        observed_method=observed_method,
        observed=record,
        status=status,
        reasons=_interned(tuple(dict.fromkeys(reasons))),
        method_if_hybrid=verdict.hybrid_method if enabled is not False else ScanMethod.NONE,
        method_if_vm_scanner=method_if_vm if enabled is not False else ScanMethod.NONE,
        cadence=cadence,
        deep_inspection=deep_on,
        language_package_paths=paths,
        sbom_export=sbom,
        billed=billed,
    )


def _rules(
    instance: Ec2Instance,
    *,
    hybrid: bool,
    support: OsSupport,
    now: datetime,
    max_volumes: int = AGENTLESS_MAX_VOLUMES,
    vm_scanner: bool = False,
    needs_activation: bool = VM_SCANNER_HAND_INSTALLED_NEEDS_ACTIVATION,
) -> _Verdict:
    """Expected method and status under one mode, from the instance's facts only.

    ``vm_scanner``: whether the account's Enhanced EC2 Scanning is activated and applied.
    """
    reasons: list[Reason] = []
    if instance.state in ("stopping", "stopped", "shutting-down", "terminated"):
        code = (
            "EC2_INSTANCE_STOPPED"
            if instance.state in ("stopping", "stopped")
            else ("RESOURCE_TERMINATED")
        )
        reasons.append(
            _reason(
                code,
                f"The instance is {instance.state}: not scanned and not billed",
                None,
                ReasonKind.INFO,
            )
        )
        return _Verdict(ScanMethod.NONE, CoverageStatus.STOPPED, reasons)
    excluded = EXCLUSION_TAG in instance.tags
    if excluded:
        reasons.append(
            _reason(
                "EXCLUDED_BY_TAG",
                f"The instance carries the {EXCLUSION_TAG} tag: excluded, no findings, not billed",
                f"Remove the {EXCLUSION_TAG} tag to scan it",
                ReasonKind.INFO,
            )
        )
        return _Verdict(ScanMethod.NONE, CoverageStatus.EXCLUDED, reasons)
    near_miss = [k for k in instance.tags if k.lower() == EXCLUSION_TAG.lower()]
    if near_miss:
        reasons.append(
            _reason(
                "EXCLUSION_TAG_CASE",
                f"Tag {near_miss[0]!r} differs from {EXCLUSION_TAG!r} only in case; tag keys "
                "are case-sensitive, so it is assumed not to exclude the instance",
                f"Spell it {EXCLUSION_TAG} if the instance should be excluded",
                ReasonKind.WARNING,
            )
        )
    if support.supported is False:
        reasons.append(
            _reason(str(support.code), str(support.message), support.fix, ReasonKind.BLOCKER)
        )
        return _Verdict(ScanMethod.NONE, CoverageStatus.UNSUPPORTED, reasons)
    if support.supported is None:
        reasons.append(
            _reason(
                "OS_UNKNOWN",
                f"The OS is unknown ({instance.platform}; SSM reports it only for "
                "managed instances); assumed supported",
                None,
                ReasonKind.ASSUMPTION,
            )
        )
    elif support.status is OsStatus.END_OF_LIFE_TAIL:
        # Still scanned and billed until scanning stops (docs/facts.md#supported-os).
        reasons.append(
            _reason(str(support.code), str(support.message), support.fix, ReasonKind.WARNING)
        )
    elif support.ends is not None:
        reasons.append(
            _reason(
                "OS_SUPPORT_ENDING",
                f"Inspector support for {support.label} ends on {support.ends.isoformat()}",
                "Plan the upgrade before that date",
                ReasonKind.WARNING,
            )
        )
    if instance.os_source == "image":
        reasons.append(
            _reason(
                "OS_FROM_IMAGE",
                "The OS was inferred from the AMI, not reported by SSM",
                None,
                ReasonKind.ASSUMPTION,
            )
        )

    agent_blockers = _agent_blockers(instance, now, reasons)
    if instance.state == "pending":
        reasons.append(
            _reason(
                "INSTANCE_PENDING",
                "The instance is starting; scans begin once it runs",
                None,
                ReasonKind.INFO,
            )
        )
    hand = instance.vm_scanner_installed is True and (vm_scanner or not needs_activation)
    if hand or (vm_scanner and instance.ssm_managed):
        if hand:
            reasons.append(
                _reason(
                    "VM_SCANNER_HAND_INSTALLED",
                    "Scanned by the Inspector VM Scanner installed by hand (agent-based "
                    "scanning that needs no SSM): every 3 hours, language packages included",
                    None,
                    ReasonKind.INFO,
                )
            )
        else:
            reasons.append(
                _reason(
                    "VM_SCANNER",
                    "Enhanced EC2 Scanning is activated: Inspector installs and manages the VM "
                    "Scanner through SSM, which scans every 3 hours, language packages included",
                    "If scans do not appear, check the Systems Manager associations that "
                    "install the VM Scanner",
                    ReasonKind.INFO,
                )
            )
        status = CoverageStatus.PENDING if instance.state == "pending" else CoverageStatus.COVERED
        return _Verdict(ScanMethod.VM_SCANNER, status, reasons)
    if not agent_blockers:
        if instance.platform == "windows":
            reasons.append(
                _reason(
                    "WINDOWS_SSM_PLUGIN",
                    "Windows is scanned by the Amazon Inspector SSM plugin, which Inspector "
                    "installs through an SSM association; scans run at discovery and every "
                    "6 hours, with no deep inspection and no SBOM export",
                    "If scans do not appear, check the InspectorDistributor and "
                    "InvokeInspectorSsmPlugin associations in Systems Manager",
                    ReasonKind.INFO,
                )
            )
        status = CoverageStatus.PENDING if instance.state == "pending" else CoverageStatus.COVERED
        return _Verdict(ScanMethod.AGENT_BASED, status, reasons)

    agentless_blockers = _agentless_blockers(instance, support, reasons, max_volumes)
    if hybrid and not agentless_blockers:
        why = ", ".join(r.code for r in agent_blockers)
        # Unmanaged is what agentless is for; stale or missing inventory means a broken agent.
        reasons.extend(
            _reason(
                r.code,
                r.message,
                r.fix,
                ReasonKind.INFO if r.code == "UNMANAGED_EC2_INSTANCE" else ReasonKind.WARNING,
            )
            for r in agent_blockers
        )
        reasons.append(
            _reason(
                "AGENTLESS",
                f"Scanned agentless ({why}): from EBS snapshots every 24 hours; language "
                "packages on every path",
                None,
                ReasonKind.INFO,
            )
        )
        skipped = [v.volume_id for v in instance.volumes if v.kms_key_excluded]
        if skipped:
            left = "" if len(skipped) < len(instance.volumes) else " (no volume is left to read)"
            reasons.append(
                _reason(
                    "AGENTLESS_VOLUME_EXCLUDED_BY_KMS_KEY",
                    f"Agentless scans skip {', '.join(skipped)}: the volume's KMS key carries "
                    f"the {EXCLUSION_TAG} tag, so Inspector does not decrypt its snapshot{left}",
                    f"Remove the {EXCLUSION_TAG} tag from the KMS key if the volume should be "
                    "scanned, or make the instance SSM-managed so the agent scans it",
                    ReasonKind.WARNING,
                )
            )
        status = CoverageStatus.PENDING if instance.state == "pending" else CoverageStatus.COVERED
        return _Verdict(ScanMethod.AGENTLESS, status, reasons)
    if not hybrid:
        if not agentless_blockers:
            switch = "or switch the account to hybrid scan mode, which would scan it agentless"
        else:
            codes = ", ".join(r.code for r in agentless_blockers)
            switch = f"(hybrid mode would not help: {codes})"
        agent_blockers = [
            _with_fix(r, f"{r.fix}; {switch}" if r.fix else switch) for r in agent_blockers
        ]
        reasons.extend(agent_blockers)
    else:
        reasons.extend(agent_blockers)
        reasons.extend(agentless_blockers)
    hybrid_method = ScanMethod.NONE if agentless_blockers else ScanMethod.AGENTLESS
    return _Verdict(ScanMethod.NONE, CoverageStatus.NOT_COVERED, reasons, hybrid_method)


@lru_cache(maxsize=64)
def _with_network_interval(cadence: ScanCadence, interval: timedelta) -> ScanCadence:
    return attrs.evolve(cadence, network_reachability_interval=interval)


def _with_fix(reason: Reason, fix: str) -> Reason:
    return _reason(reason.code, reason.message, fix, reason.kind)


def _agent_blockers(instance: Ec2Instance, now: datetime, reasons: list[Reason]) -> list[Reason]:
    """Why the SSM agent cannot scan the instance (empty: it can)."""
    ssm = instance.ssm
    if ssm is None or not ssm.managed:
        return [
            _reason(
                "UNMANAGED_EC2_INSTANCE",
                "Not managed by Systems Manager, so the agent cannot scan it",
                _SSM_FIX,
            )
        ]
    if not ssm.online:
        reasons.append(
            _reason(
                "SSM_CONNECTION_LOST",
                f"The SSM agent reports {ssm.ping_status or 'no ping status'}; its "
                "inventory goes stale after 7 days",
                "Check the SSM Agent is running and can reach the SSM endpoints",
                ReasonKind.WARNING,
            )
        )
    if not ssm.inventory_checked:
        reasons.append(
            _reason(
                "INVENTORY_UNKNOWN",
                "When SSM last collected inventory could not be read; assumed fresh",
                "Allow ssm:GetInventory to check staleness",
                ReasonKind.ASSUMPTION,
            )
        )
        return []
    if ssm.last_inventory_at is None:
        return [
            _reason(
                "NO_INVENTORY",
                "SSM has collected no inventory from the instance",
                "Check the Inspector SSM associations (InspectorInventoryCollection) ran",
            )
        ]
    age = now - ssm.last_inventory_at
    if age > STALE_INVENTORY_AFTER:
        return [
            _reason(
                "STALE_INVENTORY",
                f"The SSM inventory is {age.days} days old (stale after 7)",
                "Check the SSM Agent and the inventory association on the instance",
            )
        ]
    return []


def _agentless_blockers(
    instance: Ec2Instance,
    support: OsSupport,
    reasons: list[Reason],
    max_volumes: int = AGENTLESS_MAX_VOLUMES,
) -> list[Reason]:
    """Why agentless scanning cannot scan the instance (empty: it can)."""
    blockers: list[Reason] = []
    if instance.platform == "macos" or not support.agentless:
        blockers.append(
            _reason(
                "AGENTLESS_UNSUPPORTED_PLATFORM",
                f"{support.label} is scanned only with the agent, never agentless",
                "Only the agent scans it: make it SSM-managed",
            )
        )
        return blockers
    if instance.root_device_type == "instance-store":
        blockers.append(
            _reason(
                "INSTANCE_STORE_ROOT",
                "It boots from an instance store; agentless scans read EBS snapshots only",
                "Only the agent scans it (no storage requirement): make it SSM-managed",
            )
        )
    elif instance.root_device_type is None:
        reasons.append(
            _reason(
                "ROOT_DEVICE_UNKNOWN",
                "Root device type unknown; assumed EBS",
                None,
                ReasonKind.ASSUMPTION,
            )
        )
    allowed = _FILESYSTEMS.get(instance.platform, frozenset())
    unknown = [v.volume_id for v in instance.volumes if v.filesystem is None]
    bad = [v for v in instance.volumes if v.filesystem is not None and v.filesystem not in allowed]
    if bad:
        names = ", ".join(f"{v.volume_id} ({v.filesystem})" for v in bad)
        blockers.append(
            _reason(
                "UNSUPPORTED_FILESYSTEM",
                f"Agentless scanning reads only {'/'.join(sorted(allowed))} file systems, "
                f"not {names}",
                "Make it SSM-managed, or move the data to ext3, ext4 or xfs",
            )
        )
    if unknown:
        reasons.append(
            _reason(
                "FILESYSTEM_UNKNOWN",
                f"File system of {', '.join(unknown)} unknown (EC2 does not expose it); "
                f"assumed {'/'.join(sorted(allowed))}",
                None,
                ReasonKind.ASSUMPTION,
            )
        )
    if not instance.volumes:
        reasons.append(
            _reason(
                "VOLUMES_UNKNOWN",
                "Volumes unknown; assumed within agentless limits",
                None,
                ReasonKind.ASSUMPTION,
            )
        )
    count, total = len(instance.volumes), instance.total_volume_gib
    exceeded = []
    if count > max_volumes:
        exceeded.append(f"{count} volumes (agentless scans at most {max_volumes})")
    if total > AGENTLESS_MAX_GIB:
        exceeded.append(f"{total:g} GB of volumes (agentless scans at most {AGENTLESS_MAX_GIB} GB)")
    if exceeded:
        # Inspector reports both limits under one code; the message says which one.
        blockers.append(
            _reason(
                "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED",
                f"The instance has {' and '.join(exceeded)}",
                f"Make it SSM-managed, or bring it within both agentless limits: at most "
                f"{max_volumes} volumes and {AGENTLESS_MAX_GIB} GB in all",
            )
        )
    return blockers


# EC2_INSPECTOR_AGENT_BASED is the VM Scanner (ScanMethod.VM_SCANNER), matched first.
_AGENT_MODES = {
    ScanMode.EC2_SSM_AGENT_BASED,
    ScanMode.VM_INSPECTOR_AGENT_BASED,
}


def _observe(
    instance: Ec2Instance,
    *,
    record: CoveredResource | None,
    coverage_known: bool,
    coverage_given: bool,
    expected_method: ScanMethod,
    expected_status: CoverageStatus,
    now: datetime,
    reasons: list[Reason],
) -> tuple[ScanMethod | None, CoverageStatus]:
    """The observed method and the final status, adding reasons for disagreements."""
    if record is None:
        if not coverage_known:
            if coverage_given:
                reasons.append(
                    _reason(
                        "NO_COVERAGE_DATA",
                        f"No coverage records for account {instance.account_id} in "
                        f"{instance.region}; status predicted from the rules",
                        None,
                        ReasonKind.ASSUMPTION,
                    )
                )
            return None, expected_status
        if expected_method is ScanMethod.NONE:
            return ScanMethod.NONE, expected_status
        launched = instance.launched_at
        if launched is None or now - launched <= NEW_INSTANCE_GRACE:
            reasons.append(
                _reason(
                    "NOT_YET_SCANNED",
                    "Inspector has no coverage record for the instance yet; new instances are "
                    "picked up within hours",
                    None,
                    ReasonKind.INFO,
                )
            )
            # Not observed yet (rather than observed unscanned): no mismatch to flag.
            return None, CoverageStatus.PENDING
        reasons.append(
            _reason(
                "NO_COVERAGE_RECORD",
                f"The rules say it should be scanned {expected_method.value.lower()}, but "
                "Inspector has no coverage record for it",
                "Check Inspector EC2 scanning is enabled for the account and region, and that "
                f"the instance meets the requirements ({_INSPECTOR_SCAN_URL})",
            )
        )
        return ScanMethod.NONE, CoverageStatus.NOT_COVERED

    status_obj = record.scan_status
    code = status_obj.status_code if status_obj else None
    why = status_obj.reason if status_obj else None
    if code == ScanStatusCode.ACTIVE:
        if record.scan_mode == ScanMode.EC2_INSPECTOR_AGENT_BASED:
            observed = ScanMethod.VM_SCANNER
        elif record.scan_mode in _AGENT_MODES:
            observed = ScanMethod.AGENT_BASED
        elif record.scan_mode == ScanMode.EC2_AGENTLESS:
            observed = ScanMethod.AGENTLESS
        else:
            observed = expected_method
            reasons.append(
                _reason(
                    "SCAN_MODE_NOT_REPORTED",
                    f"Inspector's record gives scan mode {record.scan_mode!r}; "
                    "the expected method was assumed",
                    None,
                    ReasonKind.ASSUMPTION,
                )
            )
        mapped = reason_mapping(why)
        status = CoverageStatus.PENDING if mapped.pending else CoverageStatus.COVERED
        if why is not None and why != ScanStatusReason.SUCCESSFUL and not mapped.pending:
            reasons.append(
                _reason(
                    str(why),
                    f"Inspector reports {why} while scanning it: {mapped.explanation}",
                    mapped.fix,
                    ReasonKind.WARNING,
                )
            )
    else:
        observed = ScanMethod.NONE
        mapped = reason_mapping(why)
        # INACTIVE is never COVERED, whatever the reason says (SUCCESSFUL would be odd).
        status = (
            CoverageStatus.NOT_COVERED if mapped.status is CoverageStatus.COVERED else mapped.status
        )
        if not any(r.code == str(why) for r in reasons):
            # Inspector's reason blocks only when the rules found none of their own.
            explained = any(r.kind is ReasonKind.BLOCKER for r in reasons)
            blocking = status is CoverageStatus.NOT_COVERED and not explained
            reasons.append(
                _reason(
                    str(why),
                    f"Inspector reports it not scanned: {why} ({mapped.explanation})",
                    (mapped.fix or UNKNOWN_REASON.fix) if blocking else None,
                    ReasonKind.BLOCKER if blocking else ReasonKind.INFO,
                )
            )
    if observed is not expected_method or status is not expected_status:
        reasons.append(
            _reason(
                "EXPECTATION_MISMATCH",
                f"Inspector reports {status.value} ({observed.value}); the rules expect "
                f"{expected_status.value} ({expected_method.value})",
                "Check the instance's facts (SSM, OS, volumes, tags) against Inspector's "
                "record; the other reasons say where they differ",
                ReasonKind.WARNING,
            )
        )
    return observed, status


def _capabilities(
    instance: Ec2Instance,
    method: ScanMethod,
    deep: DeepInspectionSettings | None,
    reasons: list[Reason],
    options: _VmOptions = _DEFAULT_VM_OPTIONS,
    *,
    deep_supported: bool = True,
) -> tuple[ScanCadence | None, bool, tuple[str, ...], bool]:
    """Cadence, deep inspection, language-package paths and SBOM export for a method."""
    if method is ScanMethod.VM_SCANNER:
        # Deep inspection and custom paths on Linux, Windows and macOS; the paths are the
        # account's deep inspection paths (an assumption: docs/facts.md#vm-scanner).
        if instance.platform == "windows":
            if not options.windows_languages:
                reasons.append(
                    _reason(
                        "VM_SCANNER_WINDOWS_OS_ONLY",
                        "Analysed as reading OS packages only on Windows (the assumption "
                        "vm_scanner_windows_languages=False)",
                        None,
                        ReasonKind.ASSUMPTION,
                    )
                )
            return VM_SCANNER_CADENCE, options.windows_languages, (), options.windows_sbom
        if not deep_supported and instance.platform == "linux":
            # The OS table's deep inspection column describes Linux (Bottlerocket has none);
            # on macOS it describes the SSM plugin, not the VM Scanner.
            return VM_SCANNER_CADENCE, False, (), True
        settings = deep if deep is not None else DeepInspectionSettings(activated=True)
        return VM_SCANNER_CADENCE, True, settings.paths, True
    if method is ScanMethod.AGENTLESS:
        # SBOM export covers agentless instances, Windows included since 2026-02-28
        # (https://docs.aws.amazon.com/inspector/latest/user/sbom-export.html).
        return AGENTLESS_CADENCE, False, ("/",), True
    if method is not ScanMethod.AGENT_BASED:
        return None, False, (), False
    if instance.platform == "windows":
        return WINDOWS_AGENT_CADENCE, False, (), False
    if instance.platform == "linux":
        if not deep_supported:
            # The OS table says its agent scans have no deep inspection (Bottlerocket).
            reasons.append(
                _reason(
                    "DEEP_INSPECTION_UNSUPPORTED_OS",
                    "Inspector has no deep inspection on this OS: the agent reports OS "
                    "packages only",
                    None,
                    ReasonKind.INFO,
                )
            )
            return LINUX_AGENT_CADENCE, False, (), True
        if deep is None:
            reasons.append(
                _reason(
                    "DEEP_INSPECTION_ASSUMED",
                    "Deep inspection settings unknown; assumed activated with default paths",
                    "Read them with Inspector.deep_inspection_configuration()",
                    ReasonKind.ASSUMPTION,
                )
            )
            deep = DeepInspectionSettings(activated=True)
        if deep.activated:
            return LINUX_DEEP_INSPECTION_CADENCE, True, deep.paths, True
        reasons.append(
            _reason(
                "DEEP_INSPECTION_OFF",
                "Deep inspection is off: the agent reports OS packages only, no Java, "
                "JavaScript or Python packages",
                "Activate deep inspection (UpdateEc2DeepInspectionConfiguration)",
                ReasonKind.WARNING,
            )
        )
        return LINUX_AGENT_CADENCE, False, (), True
    # macOS: agent-based only; deep inspection is documented for Linux.
    return LINUX_AGENT_CADENCE, False, (), True
