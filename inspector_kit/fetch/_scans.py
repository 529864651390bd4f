"""On-demand machine image (AMI) scans: start, status, history, and waiting for the end.

``StartOnDemandScan`` answers a ``scanId``; ``GetOnDemandScanStatus`` says where the scan
stands; ``ListOnDemandScans`` lists an image's scans, newest first, kept 30 days after they
complete. The scan's findings are NOT returned by any of them (nor by ``ListFindings``):
AWS publishes them only as EventBridge events, which
[`load_findings`][inspector_kit.loaders.load_findings] reads (docs/facts.md#ami).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from inspector_kit import _limits
from inspector_kit.errors import FetchOptionError, OnDemandScanFailedError, OnDemandScanTimeoutError
from inspector_kit.models import (
    AmiConfigurationState,
    OnDemandResourceType,
    OnDemandScan,
)

from . import _account
from ._pages import call
from ._records import regional, strip_metadata

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ._core import Core
    from ._stream import Progress, ResultStream

__all__ = [
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_SCAN_TIMEOUT",
    "ami_configuration",
    "on_demand_scan_status",
    "on_demand_scans",
    "start_on_demand_scan",
    "wait_for_on_demand_scan",
]

#: Seconds ``wait_for_on_demand_scan`` waits by default. AWS publishes no duration for an
#: on-demand scan; its own example took 90 minutes (docs/facts.md#ami): an assumption.
DEFAULT_SCAN_TIMEOUT = 2 * 60 * 60.0
#: Seconds before the second status poll; doubled after each poll.
DEFAULT_POLL_INTERVAL = 5.0
#: The longest pause between two polls.
DEFAULT_MAX_POLL_INTERVAL = 60.0

_AMI = OnDemandResourceType.AMI.value


def _image_id(image_id: object) -> str:
    if not isinstance(image_id, str) or not image_id:
        raise FetchOptionError(f"image_id must be a machine image id (ami-...), got {image_id!r}")
    return image_id


def _scan_id(scan_id: object) -> str:
    low, high = _limits.ON_DEMAND_SCAN_ID_LENGTH
    if not isinstance(scan_id, str) or not low <= len(scan_id) <= high:
        raise FetchOptionError(
            f"scan_id must be a string of {low} to {high} characters, got {scan_id!r}"
        )
    return scan_id


def start_on_demand_scan(
    core: Core, image_id: str, *, region: str | None, client_token: str | None
) -> str:
    """``Inspector.start_on_demand_scan <inspector_kit.Inspector.start_on_demand_scan>``."""
    region = region or core.regions[0]
    params: dict[str, Any] = {"resourceId": _image_id(image_id), "resourceType": _AMI}
    if client_token is not None:
        params["clientToken"] = client_token
    response = call(
        core.clients.get(region), "StartOnDemandScan", "start_on_demand_scan", params, region=region
    )
    return str(response["scanId"])


def on_demand_scan_status(
    core: Core, scan_id: str, image_id: str, *, region: str | None
) -> OnDemandScan:
    """``Inspector.on_demand_scan_status <inspector_kit.Inspector.on_demand_scan_status>``."""
    region = region or core.regions[0]
    params = {
        "scanId": _scan_id(scan_id),
        "resourceId": _image_id(image_id),
        "resourceType": _AMI,
    }
    response = call(
        core.clients.get(region),
        "GetOnDemandScanStatus",
        "get_on_demand_scan_status",
        params,
        region=region,
    )
    # GetOnDemandScanStatusResponse has exactly the members of OnDemandScan.
    return OnDemandScan.from_api(strip_metadata(response), region=region)


def on_demand_scans(
    core: Core,
    image_id: str,
    *,
    regions: str | Iterable[str] | None,
    limit: int | None,
    strict: bool,
    on_progress: Callable[[Progress], None] | None,
) -> ResultStream[OnDemandScan]:
    """``Inspector.on_demand_scans <inspector_kit.Inspector.on_demand_scans>``."""
    params = {
        "resourceId": _image_id(image_id),
        "resourceType": _AMI,
        "maxResults": _limits.ON_DEMAND_SCANS_PAGE,
    }
    return core.stream(
        "ListOnDemandScans",
        "list_on_demand_scans",
        params,
        "items",
        regional(OnDemandScan),
        regions=regions,
        key=_scan_key,
        limit=limit,
        strict=strict,
        on_progress=on_progress,
    )


def _scan_key(scan: OnDemandScan) -> tuple[str | None, str]:
    return (scan.region, scan.scan_id)


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise FetchOptionError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def wait_for_on_demand_scan(
    core: Core,
    scan_id: str,
    image_id: str,
    *,
    region: str | None,
    timeout: float = DEFAULT_SCAN_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    raise_on_failure: bool = True,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
    on_poll: Callable[[OnDemandScan], None] | None = None,
) -> OnDemandScan:
    """``Inspector.wait_for_on_demand_scan <inspector_kit.Inspector.wait_for_on_demand_scan>``.

    Polls ``GetOnDemandScanStatus`` with exponential backoff until the status is final, and
    never past ``timeout`` seconds of ``clock`` (the last pause is cut to the deadline).
    """
    region = region or core.regions[0]
    timeout = _seconds("timeout", timeout)
    delay = _seconds("poll_interval", poll_interval)
    maximum = _seconds("max_poll_interval", max_poll_interval)
    sleep = time.sleep if sleep is None else sleep
    clock = time.monotonic if clock is None else clock
    deadline = clock() + timeout
    while True:
        scan = on_demand_scan_status(core, scan_id, image_id, region=region)
        if on_poll is not None:
            on_poll(scan)
        if scan.is_final:
            break
        remaining = deadline - clock()
        if remaining <= 0:
            raise OnDemandScanTimeoutError(
                f"on-demand scan {scan_id} of {image_id} still {scan.scan_status} after "
                f"{timeout:g}s; it goes on: poll it later with on_demand_scan_status()",
                scan_id=scan_id,
                resource_id=image_id,
                region=region,
                operation="GetOnDemandScanStatus",
                code="Timeout",
            )
        sleep(min(delay, remaining))
        delay = min(delay * 2, maximum)
    if scan.failed and raise_on_failure:
        reason = None if scan.scan_status_reason is None else str(scan.scan_status_reason)
        raise OnDemandScanFailedError(
            f"on-demand scan {scan_id} of {image_id} FAILED"
            + (f" ({reason}): {_hint(reason)}" if reason else ""),
            scan_id=scan_id,
            resource_id=image_id,
            reason=reason,
            region=region,
        )
    return scan


def _hint(reason: str) -> str:
    """What to do about a failed scan, after the user guide's table (docs/facts.md#ami)."""
    return {
        "ACCESS_DENIED": "Inspector cannot read the image or its snapshots "
        "(a resource or KMS key policy denies it)",
        "UNSUPPORTED_OS": "the image's OS, or a snapshot's layout such as LVM, is not supported",
        "STORAGE_LIMIT_EXCEEDED": "the image's snapshots are larger than Inspector scans",
        "EXTRACTION_COLLECTION_TIME_LIMIT_EXCEEDED": "collecting the inventory timed out",
        "RESOURCE_TERMINATED": "the image was deregistered, or a snapshot deleted, mid-scan",
        "INTERNAL_ERROR": "Inspector failed internally: start the scan again",
    }.get(reason, "see the OnDemandScanStatusReason values")


def ami_configuration(core: Core, region: str | None) -> AmiConfigurationState | None:
    """``Inspector.ami_configuration <inspector_kit.Inspector.ami_configuration>``."""
    return _account.configuration(core, region).ami_configuration
