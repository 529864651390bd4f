"""Scan settings: ``GetConfiguration`` and ``GetEc2DeepInspectionConfiguration``.

``Configuration`` is the whole ``GetConfiguration`` response (shape
``GetConfigurationResponse``); ``DeepInspectionConfiguration`` the whole
``GetEc2DeepInspectionConfiguration`` response. One class per botocore structure (the
class name is the shape name except for those two), one attribute per member (the
snake_case of the member name, documented with the member it reads).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._codec import (
    BOOLEAN,
    STRING,
    STRING_LIST,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    ListCodec,
    ModelCodec,
    api_model,
    member,
)
from ._enums import (
    AmiConfigurationStatus,
    AmiScanDuration,
    AmiScanMode,
    Ec2DeepInspectionStatus,
    Ec2ScanMode,
    Ec2ScanModeStatus,
    EcrPullDateRescanDuration,
    EcrPullDateRescanMode,
    EcrRescanDuration,
    EcrRescanDurationStatus,
    VMScannerStatus,
)
from ._regional import RegionalModel

__all__ = [
    "AmiConfigurationState",
    "AmiScanModeConfiguration",
    "AmiTagFilter",
    "Configuration",
    "DeepInspectionConfiguration",
    "Ec2ConfigurationState",
    "Ec2ScanModeState",
    "EcrConfigurationState",
    "EcrRescanDurationState",
    "VMScannerState",
]


@api_model("EcrRescanDurationState")
@attrs.frozen(kw_only=True)
class EcrRescanDurationState(ApiModel):
    """API ``EcrRescanDurationState``: how long ECR images keep being rescanned.

    Examples:
        >>> s = EcrRescanDurationState.from_api({"rescanDuration": "DAYS_30",
        ...     "status": "SUCCESS", "updatedAt": "2026-09-01T00:00:00Z"})
        >>> s.rescan_duration, s.updated_at.year
        (<EcrRescanDuration.DAYS_30: 'DAYS_30'>, 2026)
    """

    rescan_duration: EcrRescanDuration | str | None = member(
        "rescanDuration", EnumCodec(EcrRescanDuration)
    )
    """API ``rescanDuration``: rescan for this long after a push; open enum."""
    status: EcrRescanDurationStatus | str | None = member(
        "status", EnumCodec(EcrRescanDurationStatus)
    )
    """API ``status``: whether the last change applied (SUCCESS, PENDING, FAILED)."""
    updated_at: datetime | None = member("updatedAt", TIMESTAMP)
    """API ``updatedAt``: when the setting last changed (aware UTC)."""
    pull_date_rescan_duration: EcrPullDateRescanDuration | str | None = member(
        "pullDateRescanDuration", EnumCodec(EcrPullDateRescanDuration)
    )
    """API ``pullDateRescanDuration``: rescan for this long after the last pull; open enum."""
    pull_date_rescan_mode: EcrPullDateRescanMode | str | None = member(
        "pullDateRescanMode", EnumCodec(EcrPullDateRescanMode)
    )
    """API ``pullDateRescanMode``: count from the last pull or the last use; open enum."""


@api_model("EcrConfigurationState")
@attrs.frozen(kw_only=True)
class EcrConfigurationState(ApiModel):
    """API ``EcrConfigurationState``: the account's ECR scan settings.

    Examples:
        >>> EcrConfigurationState.from_api({"rescanDurationState": {
        ...     "rescanDuration": "LIFETIME"}}).rescan_duration_state.rescan_duration
        <EcrRescanDuration.LIFETIME: 'LIFETIME'>
    """

    rescan_duration_state: EcrRescanDurationState | None = member(
        "rescanDurationState", ModelCodec(EcrRescanDurationState)
    )
    """API ``rescanDurationState``."""


@api_model("Ec2ScanModeState")
@attrs.frozen(kw_only=True)
class Ec2ScanModeState(ApiModel):
    """API ``Ec2ScanModeState``: the account's EC2 scan mode, and whether a change applied.

    Examples:
        >>> s = Ec2ScanModeState.from_api({"scanMode": "EC2_HYBRID", "scanModeStatus": "PENDING"})
        >>> s.scan_mode, s.scan_mode_status
        (<Ec2ScanMode.EC2_HYBRID: 'EC2_HYBRID'>, <Ec2ScanModeStatus.PENDING: 'PENDING'>)
    """

    scan_mode: Ec2ScanMode | str | None = member("scanMode", EnumCodec(Ec2ScanMode))
    """API ``scanMode``: EC2_SSM_AGENT_BASED or EC2_HYBRID; open enum."""
    scan_mode_status: Ec2ScanModeStatus | str | None = member(
        "scanModeStatus", EnumCodec(Ec2ScanModeStatus)
    )
    """API ``scanModeStatus``: SUCCESS or PENDING; open enum."""


@api_model("VMScannerState")
@attrs.frozen(kw_only=True)
class VMScannerState(ApiModel):
    """API ``VMScannerState``: whether the account's VM scanner is activated.

    Examples:
        >>> VMScannerState.from_api({"activated": True, "status": "SUCCESS"}).activated
        True
    """

    activated: bool | None = member("activated", BOOLEAN)
    """API ``activated``."""
    activated_at: datetime | None = member("activatedAt", TIMESTAMP)
    """API ``activatedAt`` (aware UTC)."""
    status: VMScannerStatus | str | None = member("status", EnumCodec(VMScannerStatus))
    """API ``status``: SUCCESS, PENDING or FAILED; open enum."""


@api_model("Ec2ConfigurationState")
@attrs.frozen(kw_only=True)
class Ec2ConfigurationState(ApiModel):
    """API ``Ec2ConfigurationState``: the account's EC2 scan settings.

    Examples:
        >>> Ec2ConfigurationState.from_api({"scanModeState": {
        ...     "scanMode": "EC2_SSM_AGENT_BASED"}}).scan_mode_state.scan_mode
        <Ec2ScanMode.EC2_SSM_AGENT_BASED: 'EC2_SSM_AGENT_BASED'>
    """

    scan_mode_state: Ec2ScanModeState | None = member("scanModeState", ModelCodec(Ec2ScanModeState))
    """API ``scanModeState``."""
    vm_scanner_state: VMScannerState | None = member("vmScannerState", ModelCodec(VMScannerState))
    """API ``vmScannerState``."""


@api_model("AmiTagFilter")
@attrs.frozen(kw_only=True)
class AmiTagFilter(ApiModel):
    """API ``AmiTagFilter``: a tag an AMI must carry to be scanned (targeted scanning).

    Examples:
        >>> AmiTagFilter.from_api({"key": "scan", "value": "yes"})
        AmiTagFilter(key='scan', value='yes')
    """

    key: str = member("key", STRING, required=True)
    """API ``key`` (required)."""
    value: str | None = member("value", STRING)
    """API ``value``."""


@api_model("AmiScanModeConfiguration")
@attrs.frozen(kw_only=True)
class AmiScanModeConfiguration(ApiModel):
    """API ``AmiScanModeConfiguration``: which AMIs are scanned.

    Examples:
        >>> c = AmiScanModeConfiguration.from_api({"scanMode": "TARGET_SCANNING",
        ...     "tags": [{"key": "scan", "value": "yes"}], "excludeCopiedAmis": True})
        >>> c.scan_mode, c.tags[0].key
        (<AmiScanMode.TARGET_SCANNING: 'TARGET_SCANNING'>, 'scan')
    """

    scan_mode: AmiScanMode | str = member("scanMode", EnumCodec(AmiScanMode), required=True)
    """API ``scanMode`` (required): SCAN_ALL or TARGET_SCANNING; open enum."""
    tags: tuple[AmiTagFilter, ...] | None = member("tags", ListCodec(ModelCodec(AmiTagFilter)))
    """API ``tags``: the tag filters of targeted scanning."""
    exclude_copied_amis: bool | None = member("excludeCopiedAmis", BOOLEAN)
    """API ``excludeCopiedAmis``."""
    exclude_backup_dlm_amis: bool | None = member("excludeBackupDlmAmis", BOOLEAN)
    """API ``excludeBackupDlmAmis``: skip AMIs made by AWS Backup or Data Lifecycle Manager."""


@api_model("AmiConfigurationState")
@attrs.frozen(kw_only=True)
class AmiConfigurationState(ApiModel):
    """API ``AmiConfigurationState``: the account's AMI scan settings.

    Examples:
        >>> AmiConfigurationState.from_api({"createdWithin": "DAYS_90",
        ...     "status": "SUCCESS"}).created_within
        <AmiScanDuration.DAYS_90: 'DAYS_90'>
    """

    last_launched_within: AmiScanDuration | str | None = member(
        "lastLaunchedWithin", EnumCodec(AmiScanDuration)
    )
    """API ``lastLaunchedWithin``: scan AMIs launched within this window; open enum."""
    created_within: AmiScanDuration | str | None = member(
        "createdWithin", EnumCodec(AmiScanDuration)
    )
    """API ``createdWithin``: scan AMIs created within this window; open enum."""
    scan_mode_configuration: AmiScanModeConfiguration | None = member(
        "scanModeConfiguration", ModelCodec(AmiScanModeConfiguration)
    )
    """API ``scanModeConfiguration``."""
    status: AmiConfigurationStatus | str | None = member(
        "status", EnumCodec(AmiConfigurationStatus)
    )
    """API ``status``: SUCCESS, PENDING or FAILED; open enum."""
    updated_at: datetime | None = member("updatedAt", TIMESTAMP)
    """API ``updatedAt`` (aware UTC)."""


@api_model("GetConfigurationResponse")
@attrs.frozen(kw_only=True)
class Configuration(RegionalModel):
    """API ``GetConfigurationResponse``: an account's scan settings in one region.

    Inspector settings are per region, so the fetcher records the ``region`` it read.
    The EC2 scan mode is the one most analyses need: see
    [`ec2_scan_mode`][inspector_kit.models.Configuration.ec2_scan_mode].

    Examples:
        >>> c = Configuration.from_api({
        ...     "ec2Configuration": {"scanModeState": {"scanMode": "EC2_HYBRID",
        ...                                            "scanModeStatus": "SUCCESS"}},
        ...     "ecrConfiguration": {"rescanDurationState": {"rescanDuration": "DAYS_30",
        ...                                                  "status": "SUCCESS"}}},
        ...     region="eu-west-1")
        >>> c.ec2_scan_mode, c.region
        (<Ec2ScanMode.EC2_HYBRID: 'EC2_HYBRID'>, 'eu-west-1')
        >>> c.ec2_scan_mode_status
        <Ec2ScanModeStatus.SUCCESS: 'SUCCESS'>
        >>> Configuration.from_api({}).ec2_scan_mode is None
        True
    """

    ecr_configuration: EcrConfigurationState | None = member(
        "ecrConfiguration", ModelCodec(EcrConfigurationState)
    )
    """API ``ecrConfiguration``."""
    ec2_configuration: Ec2ConfigurationState | None = member(
        "ec2Configuration", ModelCodec(Ec2ConfigurationState)
    )
    """API ``ec2Configuration``."""
    ami_configuration: AmiConfigurationState | None = member(
        "amiConfiguration", ModelCodec(AmiConfigurationState)
    )
    """API ``amiConfiguration``."""

    @property
    def ec2_scan_mode(self) -> Ec2ScanMode | str | None:
        """``ec2Configuration.scanModeState.scanMode``, or ``None`` when absent.

        ``EC2_HYBRID`` means agentless scanning covers the instances SSM does not manage;
        ``EC2_SSM_AGENT_BASED`` means they are not scanned at all (docs/facts.md#ec2).
        """
        state = self.ec2_configuration.scan_mode_state if self.ec2_configuration else None
        return None if state is None else state.scan_mode

    @property
    def ec2_scan_mode_status(self) -> Ec2ScanModeStatus | str | None:
        """``ec2Configuration.scanModeState.scanModeStatus``, or ``None`` when absent.

        ``PENDING`` means a change of scan mode has not applied yet.
        """
        state = self.ec2_configuration.scan_mode_state if self.ec2_configuration else None
        return None if state is None else state.scan_mode_status


@api_model("GetEc2DeepInspectionConfigurationResponse")
@attrs.frozen(kw_only=True)
class DeepInspectionConfiguration(RegionalModel):
    """API ``GetEc2DeepInspectionConfigurationResponse``: EC2 deep inspection in one region.

    Deep inspection reads language packages (Java, JavaScript, Python) on Linux instances
    scanned with the agent, under default paths plus up to 5 custom paths per account and
    5 set by the organisation (docs/facts.md#ec2;
    https://docs.aws.amazon.com/inspector/latest/user/deep-inspection.html).

    Examples:
        >>> d = DeepInspectionConfiguration.from_api({"status": "ACTIVATED",
        ...     "packagePaths": ["/opt/app/lib", "/srv/venv"],
        ...     "orgPackagePaths": ["/opt/app/lib", "/opt/shared"]})
        >>> d.status
        <Ec2DeepInspectionStatus.ACTIVATED: 'ACTIVATED'>
        >>> d.all_package_paths
        ('/opt/app/lib', '/srv/venv', '/opt/shared')
    """

    package_paths: tuple[str, ...] | None = member("packagePaths", STRING_LIST)
    """API ``packagePaths``: the account's custom paths."""
    org_package_paths: tuple[str, ...] | None = member("orgPackagePaths", STRING_LIST)
    """API ``orgPackagePaths``: the organisation's custom paths (set by the delegated admin)."""
    status: Ec2DeepInspectionStatus | str | None = member(
        "status", EnumCodec(Ec2DeepInspectionStatus)
    )
    """API ``status``: ACTIVATED, DEACTIVATED, PENDING or FAILED; open enum."""
    error_message: str | None = member("errorMessage", STRING)
    """API ``errorMessage``: why activation failed."""

    @property
    def all_package_paths(self) -> tuple[str, ...]:
        """The account's custom paths, then the organisation's, without duplicates.

        The default paths (``/usr/lib``, ``/usr/lib64``, ``/usr/local/lib``,
        ``/usr/local/lib64``) are always inspected and are not listed here.
        """
        return tuple(dict.fromkeys((*(self.package_paths or ()), *(self.org_package_paths or ()))))
