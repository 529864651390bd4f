"""Gathering the coverage analysis's inputs from EC2, Systems Manager and Inspector.

``Inspector.inventory() <inspector_kit.Inspector.inventory>`` calls
``gather_inventory``; this module holds the I/O and the small pure helpers it needs.
It is built on the core and on the ``_coverage`` and ``_account`` areas (whose calls it
makes per region), never on the facade.

Per region, on one of the core's workers (regions run in parallel, up to the facade's
``max_workers``), in this order:

1. EC2 ``DescribeInstances`` (paged). When the region has instances:
   ``DescribeVolumes`` (paged; each attachment goes to its instance), KMS
   ``ListResourceTags`` (paged with ``Marker``; once per distinct KMS key of the region's
   encrypted volumes, for ``Volume.kms_key_excluded``), SSM
   ``DescribeInstanceInformation`` (paged), SSM ``GetInventory`` (paged, only the
   ``AWS:InstanceInformation`` type, only when SSM manages an instance) and EC2
   ``DescribeImages`` (filter ``image-id``, paged, only for the images of instances SSM
   gives no OS for).
2. Inspector ``ListCoverage`` (EC2 instances only), ``BatchGetAccountStatus`` (the
   caller, then every other account seen among instances and coverage records),
   ``GetConfiguration`` and ``GetEc2DeepInspectionConfiguration``.

A failed call is recorded in ``Inventory.errors <inspector_kit.coverage.Inventory.errors>``
as a [`FetchError`][inspector_kit.errors.FetchError] naming region, operation and code, and the
rest goes on: a denied region never reads as "no instances".
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit import _limits
from inspector_kit.coverage import (
    EXCLUSION_TAG,
    DeepInspectionSettings,
    Ec2Instance,
    Inventory,
    ScanConfiguration,
    SsmStatus,
    Volume,
)
from inspector_kit.criteria import CoverageCriteria
from inspector_kit.errors import FetchError, InspectorKitError, PaginationError
from inspector_kit.models import CoveredResource
from inspector_kit.models._time import as_utc

from . import _account, _coverage
from ._client import utc_timestamp
from ._errors import translate
from ._pages import call, pages
from ._stream import Progress

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    # The response shapes, so mypy checks the member names read (stubs only, no run time).
    from types_boto3_ec2.type_defs import (
        ImageTypeDef,
        InstanceTypeDef,
        ReservationTypeDef,
        VolumeTypeDef,
    )
    from types_boto3_ssm.type_defs import (
        InstanceInformationTypeDef,
        InventoryResultEntityTypeDef,
    )

    from ._core import Core
    from ._results import AccountStatuses

__all__ = ["gather_inventory", "os_from_image"]

logger = logging.getLogger("inspector_kit.fetch")

# Page sizes and batch sizes: the service limits, from the one leaf module (module
# attributes here so that a test can shrink them).
INSTANCES_PAGE = _limits.EC2_INSTANCES_PAGE
VOLUMES_PAGE = _limits.EC2_VOLUMES_PAGE
IMAGES_PAGE = _limits.EC2_IMAGES_PAGE
IMAGE_IDS_PER_CALL = _limits.EC2_IMAGE_IDS_PER_FILTER
SSM_INFO_PAGE = _limits.SSM_INFORMATION_PAGE
SSM_INVENTORY_PAGE = _limits.SSM_INVENTORY_PAGE
KMS_TAGS_PAGE = _limits.KMS_TAGS_PAGE
INSTANCE_INFORMATION = "AWS:InstanceInformation"
"""The SSM inventory type whose ``CaptureTime`` says when inventory was last collected."""


# -- OS from the image (pure) ---------------------------------------------------------

_V = r"(\d+(?:\.\d+)?)"
# (pattern, OS name as SSM reports it, how to build the version from the match).
# Only names the coverage analysis recognises are produced: an unrecognised name would
# read as "unsupported OS", where no name reads as "unknown".
_IMAGE_RULES: tuple[tuple[re.Pattern[str], str, Callable[[re.Match[str]], str | None]], ...] = (
    (re.compile(r"mac ?os[-_ ]?(\d+(?:\.\d+)*)?"), "macOS", lambda m: m.group(1)),
    (
        re.compile(r"windows[-_ ]server[-_ ](20\d\d)"),
        "Microsoft Windows Server {0}",
        lambda m: None,
    ),
    (re.compile(r"bottlerocket.*?-v(\d+\.\d+\.\d+)"), "Bottlerocket", lambda m: m.group(1)),
    (re.compile(r"\bamzn2-|amazon ?linux ?2(?![\d.])"), "Amazon Linux", lambda m: "2"),
    (
        re.compile(r"\bamzn-ami-.*?(20\d\d\.\d\d)|amazon linux ami (20\d\d\.\d\d)"),
        "Amazon Linux AMI",
        lambda m: m.group(1) or m.group(2),
    ),
    (
        re.compile(r"\bal(20\d\d)(?!\d)|amazon linux (20\d\d)(?!\d)"),
        "Amazon Linux",
        lambda m: m.group(1) or m.group(2),
    ),
    (re.compile(r"ubuntu\D*?(\d\d\.(?:04|10))(?!\d)"), "Ubuntu", lambda m: m.group(1)),
    (
        re.compile(r"\brhel[-_ ]?" + _V + r"|red hat enterprise linux " + _V),
        "Red Hat Enterprise Linux",
        lambda m: m.group(1) or m.group(2),
    ),
    (
        re.compile(r"\bsles[-_ ]?(\d+)(?:[-_ ]?sp(\d+))?|suse linux enterprise server (\d+)"),
        "SLES",
        lambda m: ".".join(p for p in (m.group(1) or m.group(3), m.group(2)) if p),
    ),
    (re.compile(r"\bdebian[-_ ](\d+)\b"), "Debian GNU/Linux", lambda m: m.group(1)),
    (re.compile(r"\brocky[-_ ]?(?:linux[-_ ])?" + _V), "Rocky Linux", lambda m: m.group(1)),
    (re.compile(r"\balma ?linux(?:[-_ ]os)?[-_ ]?" + _V), "AlmaLinux", lambda m: m.group(1)),
    (
        re.compile(r"\bol" + _V + r"-|oracle linux (?:server )?" + _V),
        "Oracle Linux Server",
        lambda m: m.group(1) or m.group(2),
    ),
    (re.compile(r"\bcentos(?:[-_ ](?:stream|linux))?[-_ ]?(\d+)"), "CentOS", lambda m: m.group(1)),
    (re.compile(r"\bfedora(?:-cloud-base)?[-_ ]?(\d+)"), "Fedora", lambda m: m.group(1)),
)
# EC2 PlatformDetails (billing product): the family, never the version.
_PLATFORM_DETAILS: tuple[tuple[str, str], ...] = (
    ("windows", "Microsoft Windows Server"),
    ("red hat", "Red Hat Enterprise Linux"),
    ("suse", "SLES"),
    ("ubuntu", "Ubuntu"),
)


def os_from_image(
    name: str | None, description: str | None = None, platform_details: str | None = None
) -> tuple[str | None, str | None]:
    """Best-effort ``(os_name, os_version)`` of an AMI, named as SSM would name them.

    Reads the image ``Name`` first, then its ``Description``, then EC2's
    ``PlatformDetails`` (which names a family, never a version). Gives ``(None, None)``
    when nothing is recognised: unknown, which the analysis keeps apart from
    "unsupported". Windows images give the release year in the name (``Microsoft Windows
    Server 2022``) and no version.

    Examples:
        >>> os_from_image("al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64")
        ('Amazon Linux', '2023')
        >>> os_from_image("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240801")
        ('Ubuntu', '24.04')
        >>> os_from_image("Windows_Server-2022-English-Full-Base-2024.01.16")
        ('Microsoft Windows Server 2022', None)
        >>> os_from_image("my-golden-image", "built by packer", "Red Hat Enterprise Linux")
        ('Red Hat Enterprise Linux', None)
        >>> os_from_image("my-golden-image", None, "Linux/UNIX")
        (None, None)
    """
    for text in (name, description):
        if not text:
            continue
        lowered = text.lower()
        for pattern, os_name, version in _IMAGE_RULES:
            match = pattern.search(lowered)
            if match is not None:
                if "{0}" in os_name:
                    return os_name.format(match.group(1)), None
                return os_name, version(match)
    details = (platform_details or "").lower()
    for marker, os_name in _PLATFORM_DETAILS:
        if marker in details:
            return os_name, None
    return None, None


# -- gathering (I/O) ------------------------------------------------------------------


def gather_inventory(
    core: Core,
    regions: Sequence[str],
    *,
    clients: Callable[[str, str], Any] | None = None,
    strict: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> Inventory:
    """Gather an [`Inventory`][inspector_kit.coverage.Inventory] over ``regions``.

    The implementation of :meth:`Inspector.inventory()
    <inspector_kit.Inspector.inventory>`, which documents the arguments; ``regions``
    here are already resolved names. Regions run on the core's workers
    (``Core.per_region <inspector_kit.fetch._core.Core.per_region>``).

    Examples:
        >>> from inspector_kit.fetch._core import Core
        >>> from inspector_kit.testing import LoopbackInspector
        >>> def no_ec2(service, region):  # no EC2 or SSM client can be made here
        ...     raise ConnectionError(f"no {service} in this example")
        >>> with LoopbackInspector() as server:
        ...     core = Core(server.session(), regions="us-east-1", endpoint_url=server.endpoint_url)
        ...     inv = gather_inventory(core, ["us-east-1"], clients=no_ec2)
        >>> inv.instances, [(e.operation, e.code) for e in inv.errors]
        ((), [('DescribeInstances', 'ConnectionError')])
        >>> inv.account_enabled[("123456789012", "us-east-1")]
        True
    """
    targets = tuple(regions)
    core.clients.prepare(targets)
    # Clients are made (or asked for) here, in the calling thread: boto3 sessions are not
    # thread-safe, and a user's factory need not be.
    ec2 = {region: _client(core, clients, "ec2", region) for region in targets}
    ssm = {region: _client(core, clients, "ssm", region) for region in targets}
    kms = {region: _client(core, clients, "kms", region) for region in targets}

    done: list[_Region] = []

    def finished(region: str, result: _Region) -> None:
        done.append(result)
        if on_progress is not None:
            on_progress(
                Progress(
                    region,
                    result.calls,
                    len(result.instances),
                    sum(len(r.instances) for r in done),
                    len(done),
                    len(targets),
                    True,
                    result.errors[0] if result.errors else None,
                )
            )

    # Failed calls are recorded in each region's result, not raised.
    results, _ = core.per_region(
        targets,
        lambda region: _gather_region(core, region, ec2[region], ssm[region], kms[region]),
        strict=False,
        on_result=finished,
    )
    ordered = [results[r] for r in targets]
    errors = [e for r in ordered for e in r.errors]
    if errors:
        logger.warning(
            "inventory: %d call(s) failed: %s", len(errors), "; ".join(str(e) for e in errors)
        )
        if strict:
            raise errors[0]
    # Any: mypy types Inventory's converter=tuple fields as Iterable[_T_co], unsolved.
    instances: Any = tuple(i for r in ordered for i in r.instances)
    coverage: Any = tuple(c for r in ordered for c in r.coverage)
    failures: Any = tuple(errors)
    return Inventory(
        instances=instances,
        coverage=coverage,
        configurations={k: v for r in ordered for k, v in r.configurations.items()},
        deep_inspection={k: v for r in ordered for k, v in r.deep_inspection.items()},
        account_enabled={k: v for r in ordered for k, v in r.account_enabled.items()},
        errors=failures,
        gathered_at=datetime.now(timezone.utc),
    )


def _client(
    core: Core, clients: Callable[[str, str], Any] | None, service: str, region: str
) -> Any:
    """The client, or the exception making it raised (then that service fails there)."""
    try:
        client = clients(service, region) if clients is not None else None
        return client if client is not None else core.service(service, region)
    except Exception as exc:
        return exc


@attrs.define
class _Region:
    """What one region gave, and what failed there."""

    region: str
    instances: list[Ec2Instance] = attrs.field(factory=list)
    coverage: list[CoveredResource] = attrs.field(factory=list)
    configurations: dict[tuple[str, str], ScanConfiguration] = attrs.field(factory=dict)
    deep_inspection: dict[tuple[str, str], DeepInspectionSettings] = attrs.field(factory=dict)
    account_enabled: dict[tuple[str, str], bool | None] = attrs.field(factory=dict)
    errors: list[InspectorKitError] = attrs.field(factory=list)
    calls: int = 0

    def paged(
        self,
        client: Any,
        service: str,
        operation: str,
        method: str,
        params: Mapping[str, Any],
        items_key: str,
    ) -> Iterator[Any]:
        """Every item of a paged EC2/SSM operation (errors propagate as FetchError)."""
        if isinstance(client, BaseException):  # the client could not be made
            raise translate(client, region=self.region, operation=operation, service=service)
        for page in pages(
            client,
            operation,
            method,
            params,
            items_key=items_key,
            region=self.region,
            token_key="NextToken",
            service=service,
        ):
            self.calls += 1
            yield from page.items


def _gather_region(core: Core, region: str, ec2: Any, ssm: Any, kms: Any) -> _Region:
    """One region; every failed call is recorded in the result, none is raised."""
    out = _Region(region)
    _gather_ec2(out, ec2, ssm, kms)
    _gather_inspector(out, core)
    return out


def _gather_ec2(out: _Region, ec2: Any, ssm: Any, kms: Any) -> None:
    region = out.region
    try:
        reservations: list[ReservationTypeDef] = list(
            out.paged(
                ec2,
                "ec2",
                "DescribeInstances",
                "describe_instances",
                {"MaxResults": INSTANCES_PAGE},
                "Reservations",
            )
        )
    except InspectorKitError as exc:
        out.errors.append(exc)
        return
    raw: list[tuple[str, InstanceTypeDef]] = [
        (str(r.get("OwnerId") or ""), i) for r in reservations for i in r.get("Instances") or ()
    ]
    if not raw:
        return
    ids = {str(i["InstanceId"]) for _, i in raw}

    volumes = _kms_excluded(out, kms, _volumes(out, ec2, ids))
    info = _ssm_information(out, ssm, ids)
    managed = set(info or ())
    inventory_at: dict[str, datetime] = {}
    inventory_checked = True
    if managed:
        try:
            inventory_at = _inventory_times(out, ssm, managed)
        except InspectorKitError as exc:
            out.errors.append(exc)
            inventory_checked = False
    wanted = {
        str(i["ImageId"])
        for _, i in raw
        if i.get("ImageId") and not (info or {}).get(str(i["InstanceId"]), {}).get("PlatformName")
    }
    images = _images(out, ec2, wanted)

    for owner, item in raw:
        instance_id = str(item["InstanceId"])
        try:
            out.instances.append(
                _instance(
                    item,
                    owner,
                    region,
                    volumes=volumes.get(instance_id, ()),
                    info=None if info is None else info.get(instance_id),
                    ssm_listed=info is not None,
                    inventory_at=inventory_at.get(instance_id),
                    inventory_checked=inventory_checked,
                    image=images.get(str(item.get("ImageId") or "")),
                )
            )
        except (TypeError, ValueError, KeyError) as exc:
            out.errors.append(
                FetchError(
                    f"instance {instance_id} cannot be read: {exc}",
                    region=region,
                    operation="DescribeInstances",
                    code="UnreadableInstance",
                    account=owner or None,
                )
            )


def _volumes(
    out: _Region, ec2: Any, ids: set[str]
) -> dict[str, list[tuple[str, Volume, str | None]]]:
    """Instance id -> its (device name, volume, KMS key of an encrypted volume) triples.

    ``{}`` when the call failed.
    """
    attached: dict[str, list[tuple[str, Volume, str | None]]] = {}
    try:
        volumes: Iterator[VolumeTypeDef] = out.paged(
            ec2,
            "ec2",
            "DescribeVolumes",
            "describe_volumes",
            {"MaxResults": VOLUMES_PAGE},
            "Volumes",
        )
        for raw in volumes:
            for attachment in raw.get("Attachments") or ():
                instance_id = attachment.get("InstanceId")
                # A multi-attach volume belongs to each of its instances.
                if instance_id in ids and attachment.get("State") != "detached":
                    volume = Volume(str(raw["VolumeId"]), raw.get("Size") or 0)
                    device = str(attachment.get("Device") or "")
                    key = raw.get("KmsKeyId") if raw.get("Encrypted") else None
                    attached.setdefault(instance_id, []).append((device, volume, key or None))
    except InspectorKitError as exc:
        out.errors.append(exc)
        return {}
    return attached


def _kms_excluded(
    out: _Region, kms: Any, volumes: dict[str, list[tuple[str, Volume, str | None]]]
) -> dict[str, list[tuple[str, Volume]]]:
    """Set ``kms_key_excluded`` on encrypted volumes from their KMS keys' tags.

    Each distinct key of the region is read once (a key shared by many volumes costs one
    ``ListResourceTags``). A key carrying ``InspectorEc2Exclusion`` (any value) gives True,
    one without it False; a key that cannot be read (denied, missing, in another account:
    ``ListResourceTags`` is not cross-account) leaves ``None`` (unknown), never False, with
    a ``FetchError`` in ``errors`` naming the key. Unencrypted volumes keep ``None``.
    """
    excluded: dict[str, bool | None] = {}  # this region's cache: key id -> excluded
    using: dict[str, set[str]] = {}
    for triples in volumes.values():
        for _, volume, key in triples:
            if key is not None:
                using.setdefault(key, set()).add(volume.volume_id)
    for key in sorted(using):
        try:
            excluded[key] = _key_excluded(out, kms, key)
        except InspectorKitError as exc:
            excluded[key] = None
            out.errors.append(_key_error(exc, key, sorted(using[key])))
    return {
        instance_id: [
            (
                device,
                volume if key is None else attrs.evolve(volume, kms_key_excluded=excluded[key]),
            )
            for device, volume, key in triples
        ]
        for instance_id, triples in volumes.items()
    }


def _key_excluded(out: _Region, kms: Any, key: str) -> bool:
    """Whether the KMS key carries the exclusion tag (every page read until it is found)."""
    region = out.region
    if isinstance(kms, BaseException):  # the client could not be made
        raise translate(kms, region=region, operation="ListResourceTags", service="kms")
    params: dict[str, Any] = {"KeyId": key, "Limit": KMS_TAGS_PAGE}
    seen: set[str] = set()
    while True:
        response = call(
            kms, "ListResourceTags", "list_resource_tags", params, region=region, service="kms"
        )
        out.calls += 1
        if any(tag.get("TagKey") == EXCLUSION_TAG for tag in response.get("Tags") or ()):
            return True
        if not response.get("Truncated"):
            return False
        marker = response.get("NextMarker")
        if not marker or marker in seen:
            # Without a usable marker the rest of the tags cannot be read: unknown, not False.
            raise PaginationError(
                "the response was truncated but gave "
                + ("no NextMarker" if not marker else "a NextMarker a second time")
                + f" after {len(seen) + 1} pages",
                region=region,
                operation="ListResourceTags",
                code="MissingNextMarker" if not marker else "RepeatedNextMarker",
            )
        seen.add(marker)
        params["Marker"] = marker


_KEY_ARN = re.compile(r"^arn:[^:]+:kms:[^:]*:(\d{12}):key/")


def _key_error(exc: InspectorKitError, key: str, volume_ids: Sequence[str]) -> InspectorKitError:
    """The error, reworded to name the key and the volumes left unknown."""
    if not isinstance(exc, FetchError):
        return exc
    match = _KEY_ARN.match(key)
    named = ", ".join(volume_ids)
    message = (
        f"KMS key {key} cannot be read, so whether it excludes volume(s) {named} from "
        f"agentless scans is unknown (kms_key_excluded=None): {exc.message}"
    )
    if exc.code in ("AccessDeniedException", "NotFoundException"):
        message += (
            " (ListResourceTags needs kms:ListResourceTags in the key policy, and works only "
            "on keys of the calling account)"
        )
    error = type(exc)(
        message,
        region=exc.region,
        operation=exc.operation,
        code=exc.code,
        account=match.group(1) if match else exc.account,
        status=exc.status,
    )
    error.__cause__ = exc.__cause__ or exc
    return error


def _ssm_information(
    out: _Region, ssm: Any, ids: set[str]
) -> dict[str, InstanceInformationTypeDef] | None:
    """Instance id -> SSM ``InstanceInformation``; ``None`` when SSM could not be read."""
    try:
        listed: list[InstanceInformationTypeDef] = list(
            out.paged(
                ssm,
                "ssm",
                "DescribeInstanceInformation",
                "describe_instance_information",
                {"MaxResults": SSM_INFO_PAGE},
                "InstanceInformationList",
            )
        )
    except InspectorKitError as exc:
        out.errors.append(exc)
        return None
    return {str(i["InstanceId"]): i for i in listed if i.get("InstanceId") in ids}


def _inventory_times(out: _Region, ssm: Any, managed: set[str]) -> dict[str, datetime]:
    """Instance id -> ``CaptureTime`` of its ``AWS:InstanceInformation`` inventory."""
    times: dict[str, datetime] = {}
    entities: Iterator[InventoryResultEntityTypeDef] = out.paged(
        ssm,
        "ssm",
        "GetInventory",
        "get_inventory",
        {
            "MaxResults": SSM_INVENTORY_PAGE,
            "ResultAttributes": [{"TypeName": INSTANCE_INFORMATION}],
        },
        "Entities",
    )
    for entity in entities:
        instance_id = entity.get("Id")
        item = (entity.get("Data") or {}).get(INSTANCE_INFORMATION)
        captured = item.get("CaptureTime") if item is not None else None
        if instance_id is None or instance_id not in managed or not captured:
            continue
        try:
            times[instance_id] = utc_timestamp(captured)
        except (TypeError, ValueError):
            out.errors.append(
                FetchError(
                    f"instance {instance_id}: CaptureTime {captured!r} is not a timestamp",
                    region=out.region,
                    operation="GetInventory",
                    code="UnreadableCaptureTime",
                )
            )
    return times


def _images(out: _Region, ec2: Any, image_ids: Iterable[str]) -> dict[str, ImageTypeDef]:
    """Image id -> EC2 ``Image``, best effort: failures are recorded, not raised."""
    wanted = sorted(image_ids)
    images: dict[str, ImageTypeDef] = {}
    for start in range(0, len(wanted), IMAGE_IDS_PER_CALL):
        batch = wanted[start : start + IMAGE_IDS_PER_CALL]
        # A filter, not ImageIds: an id that is gone (deregistered, unshared) is then
        # left out instead of failing the whole call with InvalidAMIID.NotFound.
        params = {
            "Filters": [{"Name": "image-id", "Values": batch}],
            "IncludeDeprecated": True,
            "IncludeDisabled": True,
            "MaxResults": IMAGES_PAGE,
        }
        try:
            found: Iterator[ImageTypeDef] = out.paged(
                ec2, "ec2", "DescribeImages", "describe_images", params, "Images"
            )
            for image in found:
                images[str(image["ImageId"])] = image
        except InspectorKitError as exc:
            out.errors.append(exc)
    return images


def _when(value: Any) -> datetime | None:
    """A response timestamp as aware UTC: botocore gives datetimes, SSM inventory strings."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value, what="", naive="utc")  # AWS timestamps are UTC
    return utc_timestamp(value)


def _platform(item: InstanceTypeDef) -> str:
    if str(item.get("Platform") or "").lower() == "windows":
        return "windows"
    instance_type = str(item.get("InstanceType") or "")
    if instance_type.startswith("mac") and instance_type.endswith(".metal"):
        return "macos"
    return "linux"


def _instance(
    item: InstanceTypeDef,
    owner: str,
    region: str,
    *,
    volumes: Sequence[tuple[str, Volume]],
    info: InstanceInformationTypeDef | None,
    ssm_listed: bool,
    inventory_at: datetime | None,
    inventory_checked: bool,
    image: ImageTypeDef | None,
) -> Ec2Instance:
    ssm: SsmStatus | None = None
    if info is not None:
        ssm = SsmStatus(
            managed=True,
            ping_status=info.get("PingStatus"),
            last_inventory_at=inventory_at,
            agent_version=info.get("AgentVersion"),
            inventory_checked=inventory_checked,
        )
    elif ssm_listed:
        ssm = SsmStatus(managed=False)
    os_name: str | None = None
    os_version: str | None = None
    os_source: str | None = None
    if info is not None and info.get("PlatformName"):
        os_name, os_version, os_source = info["PlatformName"], info.get("PlatformVersion"), "ssm"
        os_version = os_version or None
    else:
        image = image or {}
        os_name, os_version = os_from_image(
            image.get("Name"),
            image.get("Description"),
            image.get("PlatformDetails") or item.get("PlatformDetails"),
        )
        os_source = "image" if os_name else None
    return Ec2Instance(
        str(item["InstanceId"]),
        account_id=owner,
        region=region,
        state=str((item.get("State") or {}).get("Name") or ""),
        platform=_platform(item),
        os_name=os_name,
        os_version=os_version,
        tags={str(t["Key"]): str(t.get("Value", "")) for t in item.get("Tags") or ()},
        root_device_type=item.get("RootDeviceType"),
        # The root volume first, then by device name.
        volumes=[
            v
            for _, v in sorted(
                volumes,
                key=lambda p: (p[0] != item.get("RootDeviceName"), p[0], p[1].volume_id),
            )
        ],
        ssm=ssm,
        launched_at=_when(item.get("LaunchTime")),
        image_id=item.get("ImageId"),
        instance_type=item.get("InstanceType"),
        os_source=os_source,
    )


def _gather_inspector(out: _Region, core: Core) -> None:
    region = out.region
    stream = _coverage.coverage(
        core,
        CoverageCriteria(resource_type="AWS_EC2_INSTANCE"),
        regions=[region],
        limit=None,
        strict=False,
        on_progress=None,
    )
    records = list(stream)
    out.calls += stream.outcomes[region].pages
    if stream.errors:
        # The analysis takes records as complete per (account, region): a region paged
        # only part way would read as "these instances are not covered". Drop it.
        out.errors.extend(stream.errors.values())
    else:
        out.coverage.extend(records)
    out.errors.extend(e.error for e in stream.item_errors)

    caller = _account_status(out, core)

    try:
        configuration = _account.configuration(core, region)
    except InspectorKitError as exc:
        out.errors.append(exc)
    else:
        out.calls += 1
        scan = ScanConfiguration.from_model(configuration)
        if caller is not None and scan is not None:
            out.configurations[(caller, region)] = scan

    try:
        deep = _account.deep_inspection_configuration(core, region)
    except InspectorKitError as exc:
        out.errors.append(exc)
    else:
        out.calls += 1
        if caller is not None:
            out.deep_inspection[(caller, region)] = DeepInspectionSettings.from_model(deep)


def _account_status(out: _Region, core: Core) -> str | None:
    """Fill ``account_enabled``; return the caller's account id when known."""
    region = out.region
    owners = {i.account_id for i in out.instances}
    seen = owners | {c.account_id for c in out.coverage}
    own = _account.account_status(core, None, regions=[region], strict=False)  # caller's own
    out.calls += 1
    _record_statuses(out, own)
    # DescribeInstances lists only the caller's own instances, so their owner is the
    # caller; otherwise the one account BatchGetAccountStatus reports without ids.
    caller: str | None = None
    if len(owners) == 1:
        caller = next(iter(owners))
    elif len(own.accounts) == 1:
        caller = own.accounts[0].account_id
    missing = sorted(a for a in seen if (a, region) not in out.account_enabled)
    if missing and not own.errors:  # when the first call failed, this one would too
        more = _account.account_status(core, missing, regions=[region], strict=False)
        out.calls += -(-len(missing) // _limits.ACCOUNT_STATUS_BATCH)
        _record_statuses(out, more)
    for account in sorted(seen):
        out.account_enabled.setdefault((account, region), None)
    return caller


def _record_statuses(out: _Region, statuses: AccountStatuses) -> None:
    region = out.region
    out.errors.extend(statuses.errors.values())
    for state in statuses.accounts:
        out.account_enabled[(state.account_id, region)] = state.is_enabled("EC2")
    for failed in statuses.failed:
        out.account_enabled[(failed.account_id, region)] = None
        out.errors.append(
            FetchError(
                f"Inspector did not report the account's status: {failed.error_message}",
                region=region,
                operation="BatchGetAccountStatus",
                code=str(getattr(failed.error_code, "value", failed.error_code)),
                account=failed.account_id,
            )
        )
