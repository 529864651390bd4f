"""The coverage analysis' results: one ``InstanceCoverage`` per instance, in a report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, overload

import attrs

from inspector_kit._html import html_table
from inspector_kit._records import RecordsMixin
from inspector_kit.models import CoveredResource, Ec2ScanMode

from ._model import Ec2Instance, ScanMethod
from ._os import END_OF_LIFE_TAIL_CODE

if TYPE_CHECKING:
    from inspector_kit._accounts_dir import AccountDirectory, AccountGroups

__all__ = [
    "COVERAGE_GROUP_COLUMNS",
    "DEEP_INSPECTION_INVENTORY_INTERVAL",
    "LINUX_DEEP_INSPECTION_CADENCE",
    "METHOD_LANGUAGES",
    "NETWORK_REACHABILITY_INTERVAL",
    "VM_SCANNER_CADENCE",
    "CoverageReport",
    "CoverageStatus",
    "InstanceCoverage",
    "Reason",
    "ReasonKind",
    "ScanCadence",
]


class CoverageStatus(str, Enum):
    """Where one instance stands with Inspector.

    ``COVERED``: scanned. ``NOT_COVERED``: should be scanned and is not (fix it).
    ``EXCLUDED``: excluded by tag on purpose. ``STOPPED``: not running, so not scanned or
    billed. ``PENDING``: starting, or waiting for its first scan. ``UNSUPPORTED``: its OS
    is not (or no longer) supported.

    Examples:
        >>> CoverageStatus.NOT_COVERED == "NOT_COVERED"
        True
    """

    COVERED = "COVERED"
    PENDING = "PENDING"
    NOT_COVERED = "NOT_COVERED"
    UNSUPPORTED = "UNSUPPORTED"
    EXCLUDED = "EXCLUDED"
    STOPPED = "STOPPED"

    def __str__(self) -> str:
        return str(self.value)


class ReasonKind(str, Enum):
    """What a [`Reason`][inspector_kit.coverage.Reason] is.

    ``BLOCKER`` keeps the instance from being scanned (by that method); ``WARNING`` needs
    attention (a disagreement, a lost agent, an OS nearing end of support);
    ``ASSUMPTION`` says what the analysis assumed for data AWS does not expose; ``INFO``
    explains (why agentless, Windows' plugin).

    Examples:
        >>> ReasonKind.BLOCKER.value
        'BLOCKER'
    """

    BLOCKER = "BLOCKER"
    WARNING = "WARNING"
    ASSUMPTION = "ASSUMPTION"
    INFO = "INFO"

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen
class Reason:
    """One reason behind an instance's coverage: a stable ``code``, what and how to fix.

    Examples:
        >>> r = Reason("EXCLUDED_BY_TAG", "tagged InspectorEc2Exclusion", "remove the tag")
        >>> r.kind
        <ReasonKind.BLOCKER: 'BLOCKER'>
        >>> str(r)
        'EXCLUDED_BY_TAG: tagged InspectorEc2Exclusion (fix: remove the tag)'
    """

    code: str
    """Stable upper-snake code (Inspector's own ``scanStatus.reason`` where one exists)."""
    message: str
    """What is wrong or what was assumed, naming the instance's facts."""
    fix: str | None = None
    """What to do about it; ``None`` for information."""
    kind: ReasonKind = ReasonKind.BLOCKER
    """Blocker, warning, assumption or information."""

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" + (f" (fix: {self.fix})" if self.fix else "")


NETWORK_REACHABILITY_INTERVAL = timedelta(hours=12)
"""How often Inspector evaluates EC2 network reachability: every 12 hours (an assumption).

scanning-ec2.html read 2026-12-04 says 12 hours; the China-region copy and the older
enable-disable-scanning-ec2.html still say 24 (docs/facts.md#coverage-details). Pass
``analyze(..., network_reachability_interval=timedelta(hours=24))`` for the older reading."""

DEEP_INSPECTION_INVENTORY_INTERVAL = timedelta(hours=6)
"""How often deep inspection collects the application (language-package) inventory of a Linux
instance: every 6 hours, so a new vulnerable package can take that long to become a finding
(deep-inspection.html, read 2026-12-04)."""


@attrs.frozen
class ScanCadence:
    """How often a method rescans an instance.

    Examples:
        >>> AGENTLESS_CADENCE.interval, AGENTLESS_CADENCE.network_reachability_interval
        (datetime.timedelta(days=1), datetime.timedelta(seconds=43200))
        >>> LINUX_DEEP_INSPECTION_CADENCE.application_inventory_interval
        datetime.timedelta(seconds=21600)
    """

    description: str
    """In words, e.g. ``"every 24 hours from EBS snapshots"``."""
    interval: timedelta | None
    """Time between periodic scans; ``None`` when scans are event-driven."""
    event_driven: bool
    """Whether scans follow events (launch, package install, new CVE)."""
    inventory_interval: timedelta | None = None
    """How often the package inventory is collected (agent-based)."""
    application_inventory_interval: timedelta | None = None
    """How often deep inspection collects language packages (Linux, agent-based, activated):
    the lag before a newly installed vulnerable package shows as a finding."""
    network_reachability_interval: timedelta | None = NETWORK_REACHABILITY_INTERVAL
    """How often network reachability is evaluated (independent of the package method)."""


LINUX_AGENT_CADENCE = ScanCadence(
    "event-driven (launch, package change, new CVE); SSM inventory every 30 minutes",
    None,
    True,
    timedelta(minutes=30),
)
LINUX_DEEP_INSPECTION_CADENCE = ScanCadence(
    "event-driven (launch, package change, new CVE); SSM inventory every 30 minutes; "
    "deep inspection's application inventory every 6 hours (language-package findings can "
    "lag up to 6 hours)",
    None,
    True,
    timedelta(minutes=30),
    DEEP_INSPECTION_INVENTORY_INTERVAL,
)
WINDOWS_AGENT_CADENCE = ScanCadence(
    "at discovery, then every 6 hours", timedelta(hours=6), False, timedelta(hours=6)
)
AGENTLESS_CADENCE = ScanCadence(
    "every 24 hours from EBS snapshots (newly eligible instances picked up hourly)",
    timedelta(hours=24),
    False,
)
VM_SCANNER_CADENCE = ScanCadence(
    "every 3 hours by the Inspector VM Scanner (Enhanced EC2 Scanning; the default interval)",
    timedelta(hours=3),
    False,
    timedelta(hours=3),
)
"""The Inspector VM Scanner's cadence: a scan every 3 hours by default (docs/facts.md#vm-scanner).

Examples:
    >>> VM_SCANNER_CADENCE.interval
    datetime.timedelta(seconds=10800)
"""

_SSM_PLUGIN_LANGUAGES = ("Java", "JavaScript", "Python")
_FULL_LANGUAGES = ("C#", "Go", "Java", "JavaScript", "PHP", "Python", "Ruby", "Rust")
METHOD_LANGUAGES: Mapping[ScanMethod, tuple[str, ...]] = MappingProxyType(
    {
        ScanMethod.AGENT_BASED: _SSM_PLUGIN_LANGUAGES,
        ScanMethod.AGENTLESS: _FULL_LANGUAGES,
        ScanMethod.VM_SCANNER: _FULL_LANGUAGES,
        ScanMethod.NONE: (),
    }
)
"""The programming languages whose packages each method reads (docs/facts.md#vm-scanner).

The SSM plugin's deep inspection reads Java, JavaScript and Python (Linux only); agentless
scanning and the VM Scanner read C#, Go, Java, JavaScript, PHP, Python, Ruby and Rust. What one
instance gets is
[`InstanceCoverage.languages`][inspector_kit.coverage.InstanceCoverage.languages] (none when deep
inspection does not apply).

Examples:
    >>> METHOD_LANGUAGES[ScanMethod.VM_SCANNER][:3]
    ('C#', 'Go', 'Java')
    >>> METHOD_LANGUAGES[ScanMethod.AGENT_BASED]
    ('Java', 'JavaScript', 'Python')
"""


COVERAGE_COLUMNS: tuple[str, ...] = (
    "account_id",
    "region",
    "instance_id",
    "name",
    "state",
    "platform",
    "os",
    "scan_mode",
    "status",
    "expected_status",
    "expected_method",
    "observed_method",
    "mismatch",
    "method_if_hybrid",
    "method_if_vm_scanner",
    "reason_codes",
    "blockers",
    "reason",
    "fix",
    "cadence",
    "deep_inspection",
    "language_package_paths",
    "languages",
    "sbom_export",
    "billed",
    "billed_method",
    "last_scanned_at",
)
"""The columns of ``CoverageReport.to_records`` (and ``InstanceCoverage.to_record``)."""

COVERAGE_GROUP_COLUMNS: tuple[str, ...] = (
    "instances",
    "covered",
    "pending",
    "not_covered",
    "unsupported",
    "excluded",
    "stopped",
    "coverage",
    "covered_agent_based",
    "covered_agentless",
    "covered_vm_scanner",
    "mismatches",
    "hybrid_would_add",
    "regions",
    "reasons",
)
"""The counts of [`CoverageReport.by_account`][inspector_kit.coverage.CoverageReport.by_account]
and [`by_ou`][inspector_kit.coverage.CoverageReport.by_ou], after the group's own columns.

Per group: instances per status; ``coverage`` (COVERED / in scope, ``None`` when nothing is in
scope, as ``CoverageReport.coverage_ratio``); covered instances per effective method; how many
Inspector's records disagree with the rules; how many hybrid mode would add; the regions
(``;``-joined); and the deciding reasons of the instances needing attention (NOT_COVERED and
UNSUPPORTED), as ``CODE=count`` most frequent first, ``;``-joined."""


@attrs.frozen(kw_only=True)
class InstanceCoverage:
    """The analysis of one instance: expected and observed method, status, reasons, fixes.

    ``expected_method``/``expected_status`` follow the documented rules;
    ``observed_method``/``observed`` come from Inspector's coverage record (``None`` when
    no coverage data was given for the instance's account and region). ``status`` is the
    observed status when there is one, else the expected one;
    [`mismatch`][inspector_kit.coverage.InstanceCoverage.mismatch] flags any disagreement.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.coverage import Ec2Instance, analyze
        >>> i = Ec2Instance("i-1", account_id="111122223333", region="us-east-1",
        ...                 state="stopped")
        >>> c = analyze([i], configuration="EC2_HYBRID",
        ...             now=datetime(2026, 11, 22, tzinfo=timezone.utc))[0]
        >>> c.status.value, c.billed, c.reasons[0].code
        ('STOPPED', False, 'EC2_INSTANCE_STOPPED')
    """

    columns: ClassVar[tuple[str, ...]] = COVERAGE_COLUMNS
    """The keys of [`to_record`][inspector_kit.coverage.InstanceCoverage.to_record], in order."""

    instance: Ec2Instance
    """The instance analysed."""
    scan_mode: Ec2ScanMode | str | None
    """The account's EC2 scan mode in the instance's region (``None``: unknown)."""
    expected_method: ScanMethod
    """The method the rules predict."""
    expected_status: CoverageStatus
    """The status the rules predict."""
    observed_method: ScanMethod | None
    """The method Inspector reports (``scanMode``; NONE when INACTIVE or absent)."""
    observed: CoveredResource | None
    """Inspector's coverage record for the instance (scan type PACKAGE)."""
    status: CoverageStatus
    """Observed status when known, else expected."""
    reasons: tuple[Reason, ...]
    """Every reason, blockers first."""
    method_if_hybrid: ScanMethod
    """The method hybrid mode would use (equals ``expected_method`` in hybrid accounts)."""
    cadence: ScanCadence | None
    """How often the effective method rescans; ``None`` when not scanned."""
    deep_inspection: bool
    """Whether deep inspection applies (Linux, agent-based, activated)."""
    language_package_paths: tuple[str, ...]
    """Where language packages are read: deep-inspection paths, ``("/",)`` for agentless."""
    sbom_export: bool
    """Whether Inspector can export an SBOM for the instance."""
    billed: bool
    """Whether Inspector bills instance-hours for it (stopped, excluded, unscanned: no)."""
    method_if_vm_scanner: ScanMethod | None = None
    """The method the rules predict if the account activated Enhanced EC2 Scanning (the VM
    Scanner) in the instance's region, in the same scan mode; equals ``expected_method`` where
    it is active; ``None`` when not computed."""

    @property
    def languages(self) -> tuple[str, ...]:
        """The programming languages whose packages the effective method reads here.

        From [`METHOD_LANGUAGES`][inspector_kit.coverage.METHOD_LANGUAGES]; empty when the
        instance is not scanned, or the method reads no language package on it (agent-based
        without deep inspection, Windows, macOS).
        """
        if self.cadence is None:
            return ()
        method = self.method
        if method is ScanMethod.AGENTLESS or (method.agent and self.deep_inspection):
            return METHOD_LANGUAGES[method]
        return ()

    @property
    def instance_id(self) -> str:
        """The instance id."""
        return self.instance.instance_id

    @property
    def account_id(self) -> str:
        """The owning account."""
        return self.instance.account_id

    @property
    def region(self) -> str:
        """The instance's region."""
        return self.instance.region

    @property
    def method(self) -> ScanMethod:
        """The effective method: observed when known, else expected."""
        return self.observed_method if self.observed_method is not None else self.expected_method

    @property
    def billed_method(self) -> ScanMethod:
        """The method billed (``NONE`` when not billed): what the cost estimator prices."""
        return self.method if self.billed else ScanMethod.NONE

    @property
    def agentless_skipped_volumes(self) -> tuple[str, ...]:
        """Volumes agentless scanning skips: their KMS key carries ``InspectorEc2Exclusion``.

        Empty unless the method is AGENTLESS (the agent reads the file system, not snapshots).
        """
        if self.method is not ScanMethod.AGENTLESS:
            return ()
        return tuple(v.volume_id for v in self.instance.volumes if v.kms_key_excluded)

    @property
    def last_scanned_at(self) -> datetime | None:
        """Inspector's ``lastScannedAt`` for the instance."""
        return None if self.observed is None else self.observed.last_scanned_at

    @property
    def mismatch(self) -> bool:
        """Whether Inspector's record disagrees with the rules (method or status)."""
        if self.observed_method is None:
            return False
        return self.observed_method != self.expected_method or self.status != self.expected_status

    @property
    def blockers(self) -> tuple[Reason, ...]:
        """The reasons of kind BLOCKER."""
        return tuple(r for r in self.reasons if r.kind is ReasonKind.BLOCKER)

    @property
    def deciding_reason(self) -> Reason | None:
        """The reason that decides the instance's status (``None`` when it is scanned).

        Not the first reason in list order, but the one that makes the status what it is:

        * Inspector's own ``scanStatus.reason`` when its record says the instance is not
          scanned and the analysis knows that reason (Inspector decided);
        * ``INSPECTOR_NOT_ENABLED`` for a NOT_COVERED instance in an account and region
          without EC2 scanning (nothing else matters there);
        * for STOPPED, EXCLUDED and PENDING, the reason of that state
          (``EC2_INSTANCE_STOPPED``, ``EXCLUDED_BY_TAG``, ``NOT_YET_SCANNED``...);
        * otherwise the last blocker: the rules try the agent, then agentless scanning in
          hybrid mode, so the last blocker is the one that left the instance unscanned
          (``AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED`` after ``UNMANAGED_EC2_INSTANCE``),
          and the one Inspector reports;
        * else the first reason, or ``None`` for a COVERED instance with no blocker.

        Examples:
            >>> from inspector_kit.coverage import Inventory
            >>> from inspector_kit.sample import sample_inventory
            >>> report = sample_inventory().analyze()
            >>> c = next(c for c in report if c.instance.name == "archive-17")
            >>> [r.code for r in c.blockers], c.deciding_reason.code
            (['UNMANAGED_EC2_INSTANCE', 'AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED'], \
'AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED')
            >>> excluded = next(c for c in report if c.status.value == "EXCLUDED")
            >>> excluded.blockers, excluded.deciding_reason.code
            ((), 'EXCLUDED_BY_TAG')
        """
        reasons = self.reasons
        if not reasons:
            return None
        by_code = {r.code: r for r in reasons}
        record = self.observed
        scan = record.scan_status if record is not None else None
        if scan is not None and str(getattr(scan.status_code, "value", scan.status_code)) != (
            "ACTIVE"
        ):
            told = str(getattr(scan.reason, "value", scan.reason))
            if told in by_code:
                return by_code[told]
        if self.status is CoverageStatus.NOT_COVERED and "INSPECTOR_NOT_ENABLED" in by_code:
            return by_code["INSPECTOR_NOT_ENABLED"]
        for code in _STATE_REASONS.get(self.status, ()):
            if code in by_code:
                return by_code[code]
        if self.blockers:
            return self.blockers[-1]
        if self.status is CoverageStatus.COVERED:
            return None
        return reasons[0]

    @property
    def fixes(self) -> tuple[str, ...]:
        """The distinct fixes, blockers' first."""
        return tuple(dict.fromkeys(r.fix for r in self.reasons if r.fix))

    def to_record(self) -> dict[str, Any]:
        """One flat row (stable column names) for CSV or a DataFrame."""
        inst = self.instance
        return {
            "account_id": inst.account_id,
            "region": inst.region,
            "instance_id": inst.instance_id,
            "name": inst.name,
            "state": inst.state,
            "platform": inst.platform,
            "os": " ".join(p for p in (inst.os_name, inst.os_version) if p) or None,
            "scan_mode": None if self.scan_mode is None else str(self.scan_mode),
            "status": self.status.value,
            "expected_status": self.expected_status.value,
            "expected_method": self.expected_method.value,
            "observed_method": None if self.observed_method is None else self.observed_method.value,
            "mismatch": self.mismatch,
            "method_if_hybrid": self.method_if_hybrid.value,
            "method_if_vm_scanner": (
                None if self.method_if_vm_scanner is None else self.method_if_vm_scanner.value
            ),
            "reason_codes": ";".join(r.code for r in self.reasons),
            "blockers": ";".join(r.code for r in self.blockers),
            "reason": None if (deciding := self.deciding_reason) is None else deciding.code,
            "fix": " | ".join(self.fixes) or None,
            "cadence": None if self.cadence is None else self.cadence.description,
            "deep_inspection": self.deep_inspection,
            "language_package_paths": ";".join(self.language_package_paths),
            "languages": ";".join(self.languages),
            "sbom_export": self.sbom_export,
            "billed": self.billed,
            "billed_method": self.billed_method.value,
            "last_scanned_at": self.last_scanned_at,
        }

    def _html_row(self) -> dict[str, Any]:
        deciding = self.deciding_reason
        return {
            "instance": self.instance_id,
            "name": self.instance.name,
            "account": self.account_id,
            "region": self.region,
            "status": self.status,
            "expected": self.expected_method,
            "observed": self.observed_method,
            "reason": None if deciding is None else deciding.code,
            "fix": (deciding.fix if deciding is not None and deciding.fix else None)
            or next(iter(self.fixes), None),
        }

    def _repr_html_(self) -> str:
        return html_table([self._html_row()], severity_column="status")


_STATUS_ORDER = tuple(CoverageStatus)
# The reasons that put an instance in a state that is not a failure to scan.
_STATE_REASONS: Mapping[CoverageStatus, tuple[str, ...]] = MappingProxyType(
    {
        CoverageStatus.STOPPED: ("EC2_INSTANCE_STOPPED", "RESOURCE_TERMINATED"),
        CoverageStatus.EXCLUDED: ("EXCLUDED_BY_TAG",),
        CoverageStatus.PENDING: ("NOT_YET_SCANNED", "INSTANCE_PENDING"),
    }
)


@attrs.frozen(kw_only=True)
class CoverageReport(RecordsMixin, Sequence[InstanceCoverage]):
    """The analysis of an estate: a sequence of ``InstanceCoverage``, plus roll-ups.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.coverage import Ec2Instance, SsmStatus, analyze
        >>> r = analyze([Ec2Instance("i-1", account_id="111122223333", region="us-east-1",
        ...     ssm=SsmStatus(managed=False))], configuration="EC2_SSM_AGENT_BASED",
        ...     now=datetime(2026, 11, 22, tzinfo=timezone.utc))
        >>> r[0].status, r.coverage_ratio, [c.instance_id for c in r.hybrid_would_add]
        (<CoverageStatus.NOT_COVERED: 'NOT_COVERED'>, 0.0, ['i-1'])
    """

    columns: ClassVar[tuple[str, ...]] = COVERAGE_COLUMNS
    """The keys of ``to_records``, in order (``COVERAGE_COLUMNS``)."""

    instances: tuple[InstanceCoverage, ...]
    """One analysis per instance, in input order."""
    now: datetime
    """The time the analysis judged staleness and support dates against."""
    coverage_only: tuple[CoveredResource, ...] = ()
    """EC2 coverage records with no instance in the inventory (other accounts, gone)."""
    errors: tuple[Exception, ...] = ()
    """Input problems and gathering failures: the report is incomplete where they apply."""
    coverage_given: bool = False
    """Whether Inspector coverage records were part of the input."""
    other_cloud: tuple[CoveredResource, ...] = ()
    """Coverage records of Azure and GCP resources (``CoveredResource.is_other_cloud``), in
    input order: not analysed (the rules are EC2's), but reported, never dropped."""

    def counts_by_cloud(self) -> dict[str, int]:
        """How many Azure/GCP coverage records the input held, per cloud (most first).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit.coverage import analyze
            >>> vm = {"resourceType": "compute.googleapis.com/Instance",
            ...     "resourceId": "projects/shop-prod/zones/us-central1-a/instances/web-1",
            ...     "accountId": "111122223333", "scanType": "PACKAGE", "provider": "GCP"}
            >>> r = analyze([], configuration="EC2_HYBRID", coverage=[vm],
            ...     now=datetime(2026, 11, 22, tzinfo=timezone.utc))
            >>> len(r), r.counts_by_cloud()
            (0, {'GCP': 1})
        """
        counts: dict[str, int] = {}
        for record in self.other_cloud:
            counts[record.cloud] = counts.get(record.cloud, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    @overload
    def __getitem__(self, index: int) -> InstanceCoverage: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[InstanceCoverage]: ...
    def __getitem__(self, index: int | slice) -> InstanceCoverage | Sequence[InstanceCoverage]:
        return self.instances[index]

    def __len__(self) -> int:
        return len(self.instances)

    def __iter__(self) -> Iterator[InstanceCoverage]:
        return iter(self.instances)

    def get(self, instance_id: str) -> InstanceCoverage | None:
        """The analysis of one instance by id, or ``None``."""
        return next((c for c in self.instances if c.instance_id == instance_id), None)

    def with_status(self, *statuses: CoverageStatus | str) -> tuple[InstanceCoverage, ...]:
        """The instances in any of ``statuses``."""
        wanted = {CoverageStatus(s) for s in statuses}
        return tuple(c for c in self.instances if c.status in wanted)

    def counts_by_status(self) -> dict[CoverageStatus, int]:
        """How many instances per status (every status present, zeros included)."""
        counts = Counter(c.status for c in self.instances)
        return {s: counts.get(s, 0) for s in CoverageStatus}

    def counts_by_method(self, *, observed: bool = False) -> dict[ScanMethod, int]:
        """How many instances per expected method (or per observed method, unknown skipped)."""
        if observed:
            counts = Counter(c.observed_method for c in self.instances if c.observed_method)
        else:
            counts = Counter(c.expected_method for c in self.instances)
        return {m: counts.get(m, 0) for m in ScanMethod}

    @property
    def in_scope(self) -> tuple[InstanceCoverage, ...]:
        """Instances that should be scanned: all but STOPPED and EXCLUDED ones."""
        skip = (CoverageStatus.STOPPED, CoverageStatus.EXCLUDED)
        return tuple(c for c in self.instances if c.status not in skip)

    @property
    def coverage_ratio(self) -> float | None:
        """COVERED / in scope (``None`` when nothing is in scope). PENDING counts as not yet."""
        scope = self.in_scope
        if not scope:
            return None
        return sum(c.status is CoverageStatus.COVERED for c in scope) / len(scope)

    @property
    def hybrid_would_add(self) -> tuple[InstanceCoverage, ...]:
        """Instances agent-based mode leaves unscanned that hybrid mode would scan."""
        return tuple(
            c
            for c in self.instances
            if c.expected_method is ScanMethod.NONE
            and c.method_if_hybrid is not ScanMethod.NONE
            and c.expected_status is CoverageStatus.NOT_COVERED
        )

    @property
    def vm_scanner_would_add(self) -> tuple[InstanceCoverage, ...]:
        """Instances left unscanned today that Enhanced EC2 Scanning (the VM Scanner) would scan.

        The rules' answer to "what would activating the VM Scanner change", next to
        [`hybrid_would_add`][inspector_kit.coverage.CoverageReport.hybrid_would_add]; see also
        [`vm_scanner_would_switch`][inspector_kit.coverage.CoverageReport.vm_scanner_would_switch].
        """
        return tuple(
            c
            for c in self.instances
            if c.expected_method is ScanMethod.NONE
            and c.method_if_vm_scanner is ScanMethod.VM_SCANNER
            and c.expected_status is CoverageStatus.NOT_COVERED
        )

    @property
    def end_of_life(self) -> tuple[InstanceCoverage, ...]:
        """Instances on a discontinued OS that Inspector still scans, and bills, in its tail.

        For 12 months after Inspector discontinues an OS it keeps scanning it and reports a
        CRITICAL end-of-life finding (docs/facts.md#supported-os); each instance's reason
        ``OS_END_OF_LIFE_TAIL`` names the day scanning stops.

        Examples:
            >>> from inspector_kit.sample import sample_inventory
            >>> report = sample_inventory().analyze()
            >>> sorted(c.instance.name for c in report.end_of_life)
            ['batch-prod-03', 'legacy-app-04', 'legacy-deb11-31']
        """
        return tuple(
            c for c in self.instances if any(r.code == END_OF_LIFE_TAIL_CODE for r in c.reasons)
        )

    @property
    def vm_scanner_would_switch(self) -> tuple[InstanceCoverage, ...]:
        """Instances scanned today (SSM plugin or agentless) that the VM Scanner would take over.

        They would gain its cadence (every 3 hours), its languages and, on Windows and macOS,
        language packages at all (docs/facts.md#vm-scanner).
        """
        return tuple(
            c
            for c in self.instances
            if c.expected_method in (ScanMethod.AGENT_BASED, ScanMethod.AGENTLESS)
            and c.method_if_vm_scanner is ScanMethod.VM_SCANNER
        )

    @property
    def mismatches(self) -> tuple[InstanceCoverage, ...]:
        """Instances whose coverage record disagrees with the rules."""
        return tuple(c for c in self.instances if c.mismatch)

    @property
    def needs_attention(self) -> tuple[InstanceCoverage, ...]:
        """NOT_COVERED and UNSUPPORTED instances (input order), then mismatches, no repeats."""
        bad = self.with_status(CoverageStatus.NOT_COVERED, CoverageStatus.UNSUPPORTED)
        return tuple(dict.fromkeys((*bad, *self.mismatches)))

    def by_account(self, directory: AccountDirectory | None = None) -> AccountGroups:
        """The report's counts per account: statuses, methods, reasons (one row per account).

        Columns: ``account_id``, ``account_name`` and ``ou`` (from ``directory``; ``None`` and
        ``"(unknown OU)"`` without one), then
        [`COVERAGE_GROUP_COLUMNS`][inspector_kit.coverage.COVERAGE_GROUP_COLUMNS].

        Examples:
            >>> from inspector_kit.sample import sample_accounts, sample_inventory
            >>> groups = sample_inventory().analyze().by_account(sample_accounts())
            >>> [(r["account_name"], r["instances"], r["covered"]) for r in groups]
            [('shop-prod', 9, 7), ('security-tooling', 10, 6), ('shop-staging', 12, 8)]
        """
        return self._grouped("account", directory, None)

    def by_ou(self, directory: AccountDirectory, *, depth: int | None = None) -> AccountGroups:
        """The report's counts per organisational unit (OU path, cut to ``depth`` names).

        Accounts ``directory`` does not know are counted under ``"(unknown OU)"``, never
        dropped. Columns: ``ou``, ``accounts`` (how many accounts have instances there), then
        [`COVERAGE_GROUP_COLUMNS`][inspector_kit.coverage.COVERAGE_GROUP_COLUMNS].

        Raises:
            AccountDirectoryError: ``depth`` is not a whole number of 1 or more.

        Examples:
            >>> from inspector_kit.sample import sample_accounts, sample_inventory
            >>> groups = sample_inventory().analyze().by_ou(sample_accounts(), depth=2)
            >>> [(r["ou"], r["accounts"], r["instances"], r["not_covered"]) for r in groups]
            [('Root/Security', 1, 10, 1), ('Root/Workloads', 2, 21, 4)]
        """
        return self._grouped("ou", directory, depth)

    def _grouped(
        self, by: str, directory: AccountDirectory | None, depth: int | None
    ) -> AccountGroups:
        from inspector_kit._accounts_dir import grouped

        def count(members: list[InstanceCoverage]) -> dict[str, Any]:
            part = attrs.evolve(self, instances=tuple(members))
            statuses = part.counts_by_status()
            covered = Counter(c.method for c in members if c.status is CoverageStatus.COVERED)
            deciding = Counter(
                r.code for c in part.needs_attention if (r := c.deciding_reason) is not None
            )
            reasons = sorted(deciding.items(), key=lambda item: (-item[1], item[0]))
            return {
                "instances": len(members),
                **{s.value.lower(): statuses[s] for s in CoverageStatus},
                "coverage": part.coverage_ratio,
                "covered_agent_based": covered[ScanMethod.AGENT_BASED],
                "covered_agentless": covered[ScanMethod.AGENTLESS],
                "covered_vm_scanner": covered[ScanMethod.VM_SCANNER],
                "mismatches": len(part.mismatches),
                "hybrid_would_add": len(part.hybrid_would_add),
                "regions": ";".join(sorted({c.region for c in members})) or None,
                "reasons": ";".join(f"{code}={n}" for code, n in reasons) or None,
            }

        title = f"EC2 coverage by {'account' if by == 'account' else 'OU'}, as of "
        title += f"{self.now:%Y-%m-%d %H:%M} UTC"
        return grouped(
            self.instances,
            lambda c: c.account_id,
            count,
            COVERAGE_GROUP_COLUMNS,
            by=by,
            directory=directory,
            depth=depth,
            title=title,
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per instance with the keys of ``columns``.

        See [`InstanceCoverage.to_record`][inspector_kit.coverage.InstanceCoverage.to_record];
        ``last_scanned_at`` stays an aware ``datetime``.

        ``pandas.DataFrame(report.to_records())`` gives a table.
        """
        return [c.to_record() for c in self.instances]

    def to_text(self) -> str:
        r"""A readable plain-text summary, safe to print to a terminal.

        Data (instance ids and names, reasons, errors) has its control characters and line
        breaks shown as escapes (``\x1b``, ``\n``), so a ``Name`` tag cannot move the
        cursor, change colours or add a line.
        """
        return _render(self, markdown=False)

    def to_markdown(self) -> str:
        """The summary as Markdown (headings, a table of instances needing attention).

        Data goes through the same escaper as [`to_markdown`][inspector_kit.formats.to_markdown]:
        it renders as its literal text, never as HTML, links or formatting.
        """
        return _render(self, markdown=True)

    def _repr_html_(self) -> str:
        statuses = self.counts_by_status()
        counts = ", ".join(f"{s.value} {n}" for s, n in statuses.items() if n)
        caption = (
            f"EC2 coverage: {len(self)} instances ({counts or 'none'}); "
            f"coverage {_pct(self.coverage_ratio)}"
        )
        if self.other_cloud:
            clouds = ", ".join(f"{c} {n}" for c, n in self.counts_by_cloud().items())
            caption += f"; Azure/GCP records not analysed: {clouds}"
        rows = [c._html_row() for c in self.instances]
        return html_table(rows, caption=caption, severity_column="status")

    def __str__(self) -> str:
        return self.to_text()


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _render(report: CoverageReport, *, markdown: bool) -> str:
    from inspector_kit._values import _markdown_text, _printable

    esc = _markdown_text if markdown else _printable
    lines: list[str] = []
    title = f"EC2 coverage: {len(report)} instances, as of {report.now:%Y-%m-%d %H:%M} UTC"
    lines.append(f"## {title}" if markdown else title)
    lines.append("")
    statuses = report.counts_by_status()
    methods = report.counts_by_method()
    status_text = ", ".join(f"{s.value} {statuses[s]}" for s in _STATUS_ORDER if statuses[s])
    method_text = ", ".join(f"{m.value} {n}" for m, n in methods.items() if n)
    bullet = "- " if markdown else "  "
    lines.append(f"{bullet}Status: {status_text or 'no instances'}")
    lines.append(f"{bullet}Expected method: {method_text or 'none'}")
    scope = report.in_scope
    covered = sum(c.status is CoverageStatus.COVERED for c in scope)
    lines.append(
        f"{bullet}Coverage: {_pct(report.coverage_ratio)} "
        f"({covered} of {len(scope)} in scope; stopped and excluded are out of scope)"
    )
    if report.hybrid_would_add:
        ids = ", ".join(esc(c.instance_id) for c in report.hybrid_would_add)
        lines.append(f"{bullet}Hybrid scan mode would add {len(report.hybrid_would_add)}: {ids}")
    if report.vm_scanner_would_add:
        ids = ", ".join(esc(c.instance_id) for c in report.vm_scanner_would_add)
        lines.append(
            f"{bullet}Enhanced EC2 Scanning (VM Scanner) would add "
            f"{len(report.vm_scanner_would_add)}: {ids}"
        )
    if report.vm_scanner_would_switch:
        lines.append(
            f"{bullet}Enhanced EC2 Scanning would move {len(report.vm_scanner_would_switch)} "
            "scanned instance(s) to the VM Scanner (every 3 hours, more languages)"
        )
    if report.end_of_life:
        ids = ", ".join(esc(c.instance_id) for c in report.end_of_life)
        lines.append(
            f"{bullet}End-of-life tail: {len(report.end_of_life)} instance(s) on a discontinued "
            f"OS, still scanned and billed until scanning stops: {ids}"
        )
    if report.mismatches:
        lines.append(
            f"{bullet}Inspector disagrees with the rules on {len(report.mismatches)} instance(s)"
        )
    if report.coverage_only:
        lines.append(
            f"{bullet}{len(report.coverage_only)} coverage record(s) match no inventoried instance"
        )
    if report.other_cloud:
        clouds = ", ".join(f"{esc(c)} {n}" for c, n in report.counts_by_cloud().items())
        lines.append(
            f"{bullet}{len(report.other_cloud)} Azure/GCP coverage record(s) not analysed "
            f"(the rules are EC2's): {clouds}"
        )
    if not report.coverage_given:
        lines.append(f"{bullet}No Inspector coverage records given: statuses are predictions")
    if report.errors:
        lines.append(f"{bullet}Incomplete: {len(report.errors)} error(s) while gathering")
        lines.extend(f"{bullet}  {esc(str(e))}" for e in report.errors)
    attention = report.needs_attention
    if attention:
        lines.append("")
        lines.append("### Needs attention" if markdown else "Needs attention:")
        if markdown:
            lines.append("")
            lines.append("| Instance | Account | Region | Status | Expected | Reason | Fix |")
            lines.append("|---|---|---|---|---|---|---|")
        for c in attention:
            shown = c.blockers or c.reasons[:1]
            why = "; ".join(r.message for r in shown)
            deciding = c.deciding_reason
            fix = (deciding.fix if deciding is not None else None) or next(
                (r.fix for r in reversed(shown) if r.fix), ""
            )
            label = c.instance_id + (f" ({c.instance.name})" if c.instance.name else "")
            if markdown:
                cells = [
                    label,
                    c.account_id,
                    c.region,
                    c.status.value,
                    c.expected_method.value,
                    why,
                    fix,
                ]
                lines.append("| " + " | ".join(esc(x) for x in cells) + " |")
            else:
                lines.append(
                    f"  {esc(label)} [{esc(c.account_id)} {esc(c.region)}] {c.status.value}: "
                    f"{esc(why)}" + (f"\n      fix: {esc(fix)}" if fix else "")
                )
    return "\n".join(lines)
