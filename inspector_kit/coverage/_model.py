"""The inputs of the coverage analysis: instances, volumes, SSM status, account settings.

Pure values (frozen attrs classes): build them directly, from your own inventory, or let
[`Inspector.inventory`][inspector_kit.fetch.Inspector.inventory] gather them from EC2, SSM and
Inspector.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import CoverageInputError, CoverageTypeError, TimestampError
from inspector_kit.models import DeepInspectionConfiguration as _DeepInspectionModel
from inspector_kit.models import (
    Ec2DeepInspectionStatus,
    Ec2ScanMode,
    Ec2ScanModeStatus,
    FrozenMap,
    VMScannerStatus,
)
from inspector_kit.models._time import as_utc

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from inspector_kit.models import Configuration


__all__ = [
    "DEFAULT_DEEP_INSPECTION_PATHS",
    "EXCLUSION_TAG",
    "DeepInspectionSettings",
    "Ec2Instance",
    "ScanConfiguration",
    "ScanMethod",
    "SsmStatus",
    "Volume",
]

EXCLUSION_TAG = "InspectorEc2Exclusion"
"""The tag key that excludes an instance from Inspector scans, whatever its value."""

DEFAULT_DEEP_INSPECTION_PATHS: tuple[str, ...] = (
    "/usr/lib",
    "/usr/lib64",
    "/usr/local/lib",
    "/usr/local/lib64",
)
"""The paths deep inspection always reads (docs/facts.md#deep-inspection)."""


class ScanMethod(str, Enum):
    """How Inspector scans (or would scan) one instance's packages.

    ``AGENT_BASED``: the SSM agent and the Amazon Inspector SSM plugin (scan mode
    ``EC2_SSM_AGENT_BASED``). ``AGENTLESS``: EBS snapshots (hybrid mode). ``VM_SCANNER``: the
    Inspector VM Scanner of Enhanced EC2 Scanning, installed through SSM when the account
    activates it, or installed by hand (no SSM needed); Inspector's records name it
    ``EC2_INSPECTOR_AGENT_BASED`` (docs/facts.md#vm-scanner). ``NONE``: not scanned.

    Examples:
        >>> ScanMethod.AGENTLESS == "AGENTLESS"
        True
        >>> ScanMethod("VM_SCANNER").agent
        True
    """

    AGENT_BASED = "AGENT_BASED"
    AGENTLESS = "AGENTLESS"
    VM_SCANNER = "VM_SCANNER"
    NONE = "NONE"

    @property
    def agent(self) -> bool:
        """Whether software on the instance scans it (SSM plugin or VM Scanner)."""
        return self in (ScanMethod.AGENT_BASED, ScanMethod.VM_SCANNER)

    def __str__(self) -> str:
        return str(self.value)


_STATES = frozenset({"pending", "running", "stopping", "stopped", "shutting-down", "terminated"})
_PLATFORMS = {
    "linux": "linux",
    "linux/unix": "linux",
    "windows": "windows",
    "macos": "macos",
    "mac": "macos",
    "darwin": "macos",
}
_ROOT_DEVICES = frozenset({"ebs", "instance-store"})


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise CoverageTypeError(f"expected a datetime, got {type(value).__name__}: {value!r}")
    try:
        return as_utc(value, what="", naive="reject")
    except TimestampError as exc:
        raise CoverageInputError(exc.reason) from None


def _state(value: str) -> str:
    state = str(value).strip().lower()
    if state not in _STATES:
        raise CoverageInputError(f"state must be one of {sorted(_STATES)}; got {value!r}")
    return state


def _platform(value: str) -> str:
    platform = _PLATFORMS.get(str(value).strip().lower())
    if platform is None:
        raise CoverageInputError(f"platform must be 'linux', 'windows' or 'macos'; got {value!r}")
    return platform


def _root_device(value: str | None) -> str | None:
    if value is None:
        return None
    root = str(value).strip().lower()
    if root not in _ROOT_DEVICES:
        raise CoverageInputError(
            f"root_device_type must be 'ebs' or 'instance-store'; got {value!r}"
        )
    return root


def _tags(value: Mapping[str, str] | None) -> FrozenMap:
    if isinstance(value, FrozenMap):
        return value
    return FrozenMap(dict(value or {}))


def _volumes(value: Iterable[Volume]) -> tuple[Volume, ...]:
    volumes = tuple(value)
    for index, volume in enumerate(volumes):
        if not isinstance(volume, Volume):
            raise CoverageTypeError(
                f"volumes[{index}] must be a Volume, got {type(volume).__name__}"
            )
    return volumes


def _non_empty(name: str) -> Any:
    def check(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise CoverageInputError(f"{name} must be a non-empty string; got {value!r}")

    return check


def _size(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise CoverageInputError(f"size_gib must be a number >= 0; got {value!r}")


def _filesystem(value: str | None) -> str | None:
    return None if value is None else str(value).strip().lower() or None


def _optional_bool(
    instance: object, attribute: attrs.Attribute[bool | None], value: object
) -> None:
    if value is not None and not isinstance(value, bool):
        raise CoverageTypeError(f"{attribute.name} must be True, False or None; got {value!r}")


@attrs.frozen
class Volume:
    """One EBS volume attached to an instance.

    ``filesystem`` is ``None`` when unknown: EC2 does not expose it, so the analysis
    states what it assumed. ``kms_key_excluded`` is ``True`` when the volume's KMS key carries
    the ``InspectorEc2Exclusion`` tag: agentless scans then do not read the volume
    (docs/facts.md#coverage-details); ``None`` (unknown) is analysed as not excluded.

    Examples:
        >>> Volume("vol-0a1b2c3d4e5f67890", 30, "XFS")  # doctest: +NORMALIZE_WHITESPACE
        Volume(volume_id='vol-0a1b2c3d4e5f67890', size_gib=30, filesystem='xfs',
               kms_key_excluded=None)
        >>> Volume("vol-1", 30, kms_key_excluded=True).kms_key_excluded
        True
    """

    volume_id: str = attrs.field(validator=_non_empty("volume_id"))
    """The volume id (``vol-...``)."""
    size_gib: float = attrs.field(validator=_size)
    """Size in GiB (EC2 ``Size``)."""
    filesystem: str | None = attrs.field(default=None, converter=_filesystem)
    """File system (``ext4``, ``xfs``, ``ntfs``, ...), lower-cased; ``None`` when unknown."""
    kms_key_excluded: bool | None = attrs.field(default=None, validator=_optional_bool)
    """Whether the volume's KMS key carries the ``InspectorEc2Exclusion`` tag (agentless scans
    skip the volume); ``None`` when unknown (not read, or the volume is not encrypted)."""


@attrs.frozen(kw_only=True)
class SsmStatus:
    """What Systems Manager knows about an instance (``DescribeInstanceInformation``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> s = SsmStatus(managed=True, ping_status="Online",
        ...               last_inventory_at=datetime(2026, 11, 22, tzinfo=timezone.utc))
        >>> s.online
        True
    """

    managed: bool
    """Whether SSM manages the instance (it is listed by ``DescribeInstanceInformation``)."""
    ping_status: str | None = None
    """SSM ``PingStatus``: ``Online``, ``ConnectionLost`` or ``Inactive``."""
    last_inventory_at: datetime | None = attrs.field(default=None, converter=_aware)
    """When SSM inventory was last collected (aware UTC); ``None`` when there is none."""
    agent_version: str | None = None
    """SSM ``AgentVersion``."""
    inventory_checked: bool = True
    """``False`` when the inventory time could not be read (e.g. ``ssm:GetInventory``
    denied); the analysis then assumes the inventory is fresh and says so."""

    @property
    def online(self) -> bool:
        """Whether the agent answers (``ping_status == "Online"``)."""
        return (self.ping_status or "").lower() == "online"


@attrs.frozen
class Ec2Instance:
    """One EC2 instance as the coverage analysis sees it.

    ``state`` is as EC2 names it (``running``, ``stopped``, ...); ``platform`` is
    ``linux``, ``windows`` or ``macos``; ``os_name``/``os_version`` are as SSM reports
    them (``Ubuntu``/``22.04``). ``root_device_type`` and the volumes' file systems may
    be ``None`` when unknown; the analysis says what it assumed.

    Examples:
        >>> i = Ec2Instance("i-0abc", account_id="111122223333", region="us-east-1",
        ...     state="Running", platform="Linux", os_name="Amazon Linux", os_version="2023",
        ...     volumes=(Volume("vol-1", 30, "xfs"),))
        >>> i.state, i.platform, i.total_volume_gib
        ('running', 'linux', 30)
    """

    instance_id: str = attrs.field(validator=_non_empty("instance_id"))
    """EC2 ``InstanceId``."""
    account_id: str = attrs.field(kw_only=True, validator=_non_empty("account_id"))
    """The owning account (EC2 ``OwnerId``)."""
    region: str = attrs.field(kw_only=True, validator=_non_empty("region"))
    """The instance's region."""
    state: str = attrs.field(kw_only=True, default="running", converter=_state)
    """EC2 ``State.Name``: pending, running, stopping, stopped, shutting-down, terminated."""
    platform: str = attrs.field(kw_only=True, default="linux", converter=_platform)
    """``linux``, ``windows`` or ``macos``."""
    os_name: str | None = attrs.field(kw_only=True, default=None)
    """OS name as SSM reports it (``PlatformName``), e.g. ``Amazon Linux``."""
    os_version: str | None = attrs.field(kw_only=True, default=None)
    """OS version as SSM reports it (``PlatformVersion``), e.g. ``2023``."""
    tags: FrozenMap = attrs.field(kw_only=True, factory=FrozenMap, converter=_tags)
    """Instance tags."""
    root_device_type: str | None = attrs.field(kw_only=True, default=None, converter=_root_device)
    """``ebs`` or ``instance-store``; ``None`` when unknown."""
    volumes: tuple[Volume, ...] = attrs.field(kw_only=True, default=(), converter=_volumes)
    """Attached EBS volumes; empty when unknown."""
    ssm: SsmStatus | None = attrs.field(kw_only=True, default=None)
    """What SSM knows; ``None`` when SSM does not manage the instance."""
    launched_at: datetime | None = attrs.field(kw_only=True, default=None, converter=_aware)
    """EC2 ``LaunchTime`` (aware UTC)."""
    image_id: str | None = attrs.field(kw_only=True, default=None)
    """EC2 ``ImageId``."""
    instance_type: str | None = attrs.field(kw_only=True, default=None)
    """EC2 ``InstanceType``."""
    os_source: str | None = attrs.field(kw_only=True, default=None)
    """Where ``os_name``/``os_version`` came from: ``"ssm"``, ``"image"`` (inferred from
    the AMI) or ``None`` (given directly)."""
    vm_scanner_installed: bool | None = attrs.field(
        kw_only=True, default=None, validator=_optional_bool
    )
    """Whether the Inspector VM Scanner was installed by hand on the instance (no SSM needed):
    ``None`` when unknown. No AWS API says so (an assumption, docs/facts.md#vm-scanner): set it
    from your own inventory; otherwise an ``EC2_INSPECTOR_AGENT_BASED`` coverage record on an
    instance the account's settings do not explain is taken as the evidence."""

    @property
    def name(self) -> str | None:
        """The ``Name`` tag, if any."""
        value = self.tags.get("Name")
        return None if value is None else str(value)

    @property
    def total_volume_gib(self) -> float:
        """Combined size of the attached volumes in GiB."""
        return sum(v.size_gib for v in self.volumes)

    @property
    def ssm_managed(self) -> bool:
        """Whether SSM manages the instance."""
        return self.ssm is not None and self.ssm.managed


def _scan_mode(value: Ec2ScanMode | str) -> Ec2ScanMode | str:
    try:
        return Ec2ScanMode(value)
    except ValueError:
        return str(value)


def _mode_status(value: Ec2ScanModeStatus | str) -> Ec2ScanModeStatus | str:
    try:
        return Ec2ScanModeStatus(value)
    except ValueError:
        return str(value)


def _scanner_status(value: VMScannerStatus | str | None) -> VMScannerStatus | str | None:
    if value is None:
        return None
    try:
        return VMScannerStatus(value)
    except ValueError:
        return str(value)


@attrs.frozen
class ScanConfiguration:
    """An account's EC2 scan mode in one region (``GetConfiguration``'s ``scanModeState``).

    Unknown modes are kept as strings (open enum); the analysis then assumes agent-based
    mode and says so. ``vm_scanner``/``vm_scanner_status`` are ``vmScannerState``'s
    ``activated`` and ``status`` (Enhanced EC2 Scanning); ``None`` when not reported.

    Examples:
        >>> ScanConfiguration("EC2_HYBRID").hybrid
        True
        >>> ScanConfiguration(Ec2ScanMode.EC2_SSM_AGENT_BASED, "PENDING").pending
        True
        >>> s = ScanConfiguration("EC2_HYBRID", vm_scanner=True, vm_scanner_status="SUCCESS")
        >>> s.vm_scanner_active, s.vm_scanner_failed
        (True, False)
    """

    mode: Ec2ScanMode | str = attrs.field(converter=_scan_mode)
    """``EC2_SSM_AGENT_BASED`` or ``EC2_HYBRID``."""
    status: Ec2ScanModeStatus | str = attrs.field(default="SUCCESS", converter=_mode_status)
    """``SUCCESS``, or ``PENDING`` while a change of mode applies."""
    vm_scanner: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    """``vmScannerState.activated``: whether Enhanced EC2 Scanning (the VM Scanner) is
    activated; ``None`` when not reported (analysed as not activated)."""
    vm_scanner_status: VMScannerStatus | str | None = attrs.field(
        default=None, kw_only=True, converter=_scanner_status
    )
    """``vmScannerState.status``: ``SUCCESS``, ``PENDING`` or ``FAILED``; ``None`` when not
    reported (an activated scanner is then taken as applied)."""

    @property
    def vm_scanner_active(self) -> bool:
        """Whether the VM Scanner is activated and applied (status SUCCESS or not reported)."""
        return self.vm_scanner is True and self.vm_scanner_status in (
            None,
            VMScannerStatus.SUCCESS,
        )

    @property
    def vm_scanner_pending(self) -> bool:
        """Whether activating (or deactivating) the VM Scanner has not applied yet."""
        return self.vm_scanner_status == VMScannerStatus.PENDING

    @property
    def vm_scanner_failed(self) -> bool:
        """Whether activating the VM Scanner failed (``vmScannerState.status`` FAILED)."""
        return self.vm_scanner_status == VMScannerStatus.FAILED

    @property
    def hybrid(self) -> bool:
        """Whether the mode is hybrid (agent-based plus agentless)."""
        return self.mode == Ec2ScanMode.EC2_HYBRID

    @property
    def pending(self) -> bool:
        """Whether a change of mode has not applied yet."""
        return self.status == Ec2ScanModeStatus.PENDING

    @classmethod
    def from_model(cls, configuration: Configuration) -> ScanConfiguration | None:
        """From a fetched ``Configuration`` (``None`` if no EC2 part).

        Reads ``scanModeState`` and ``vmScannerState``; a ``vmScannerState`` without a scan mode
        gives mode ``EC2_SSM_AGENT_BASED`` (the API's default mode).

        Examples:
            >>> from inspector_kit.models import Configuration
            >>> c = Configuration.from_api({"ec2Configuration": {"scanModeState": {
            ...     "scanMode": "EC2_HYBRID", "scanModeStatus": "SUCCESS"},
            ...     "vmScannerState": {"activated": True, "status": "PENDING"}}})
            >>> s = ScanConfiguration.from_model(c)
            >>> s.mode, s.status
            (<Ec2ScanMode.EC2_HYBRID: 'EC2_HYBRID'>, <Ec2ScanModeStatus.SUCCESS: 'SUCCESS'>)
            >>> s.vm_scanner, s.vm_scanner_pending
            (True, True)
        """
        state = configuration.ec2_configuration
        mode_state = state.scan_mode_state if state is not None else None
        scanner = state.vm_scanner_state if state is not None else None
        if mode_state is None or mode_state.scan_mode is None:
            if scanner is None:
                return None
            mode: Ec2ScanMode | str = Ec2ScanMode.EC2_SSM_AGENT_BASED
            status: Ec2ScanModeStatus | str = "SUCCESS"
        else:
            mode, status = mode_state.scan_mode, mode_state.scan_mode_status or "SUCCESS"
        return cls(
            mode,
            status,
            vm_scanner=None if scanner is None else scanner.activated,
            vm_scanner_status=None if scanner is None else scanner.status,
        )


def _paths(value: Iterable[str] | None) -> tuple[str, ...]:
    if isinstance(value, str):
        raise CoverageTypeError(f"paths must be a sequence of strings, not one string: {value!r}")
    return tuple(value or ())


@attrs.frozen(kw_only=True)
class DeepInspectionSettings:
    """EC2 deep inspection settings for one account and region, as the analysis reads them.

    ``package_paths`` are the account's custom paths, ``org_package_paths`` the
    organisation's; the default paths
    ([`DEFAULT_DEEP_INSPECTION_PATHS`][inspector_kit.coverage.DEFAULT_DEEP_INSPECTION_PATHS]) are
    always read. Build one from the fetched API model with
    [`from_model`][inspector_kit.coverage.DeepInspectionSettings.from_model].

    Not to be confused with
    [`DeepInspectionConfiguration`][inspector_kit.models.DeepInspectionConfiguration], the
    ``GetEc2DeepInspectionConfiguration`` response (status, error message, paths as sent). This
    class was called ``inspector_kit.coverage.DeepInspectionConfiguration``; that name still works,
    with a ``DeprecationWarning``.

    Examples:
        >>> d = DeepInspectionSettings(activated=True, package_paths=["/opt/app"])
        >>> d.paths
        ('/usr/lib', '/usr/lib64', '/usr/local/lib', '/usr/local/lib64', '/opt/app')
    """

    activated: bool
    """Whether deep inspection is activated."""
    package_paths: tuple[str, ...] = attrs.field(default=(), converter=_paths)
    """The account's custom paths (at most 5)."""
    org_package_paths: tuple[str, ...] = attrs.field(default=(), converter=_paths)
    """The organisation's custom paths (at most 5, set by the delegated administrator)."""

    @property
    def paths(self) -> tuple[str, ...]:
        """Default paths, then the account's, then the organisation's, without duplicates."""
        return tuple(
            dict.fromkeys(
                (*DEFAULT_DEEP_INSPECTION_PATHS, *self.package_paths, *self.org_package_paths)
            )
        )

    @classmethod
    def from_model(cls, model: _DeepInspectionModel) -> DeepInspectionSettings:
        """From a fetched ``DeepInspectionConfiguration``.

        Examples:
            >>> from inspector_kit.models import DeepInspectionConfiguration as Api
            >>> m = Api.from_api({"status": "ACTIVATED", "packagePaths": ["/opt/app"]})
            >>> DeepInspectionSettings.from_model(m).activated
            True
        """
        return cls(
            activated=model.status == Ec2DeepInspectionStatus.ACTIVATED,
            package_paths=model.package_paths or (),
            org_package_paths=model.org_package_paths or (),
        )
