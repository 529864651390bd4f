"""Pure builders of the inventory: placement (ids, addresses, dates) and ``resources.json``."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from .catalogue import (
    DISTROS,
    FUNCTIONS,
    IMAGES,
    INSTANCES,
    MACHINE_IMAGES,
    OS_NAMES,
    SCENARIO_INSTANCES,
    SSM_AGENT_VERSIONS,
    Function,
    Image,
    Instance,
    MachineImage,
    distro_of,
    instance_filesystem,
)
from .common import (
    ACCOUNTS,
    AS_OF,
    JSON,
    REGIONS,
    WINDOW_END,
    WINDOW_START,
    iso,
    rand_between,
    sha_hex,
)
from .oracle import ami_continuously_scanned, expectation

if TYPE_CHECKING:
    import random

# --------------------------------------------------------------------------------------
# Building the inventory (ids, network, dates)
# --------------------------------------------------------------------------------------


def hex_id(rng: random.Random, prefix: str, length: int = 17) -> str:
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(length))


Vpcs = Mapping[tuple[str, str], tuple[str, str, str]]


@dataclass(frozen=True)
class Estate:
    """The catalogue placed: every resource with its ids, addresses and dates."""

    instances: tuple[Instance, ...]  # the original 17 (they have findings)
    images: tuple[Image, ...]
    functions: tuple[Function, ...]
    # (account, region) -> (VPC, network ACL, internet gateway)
    vpcs: Vpcs
    scenarios: tuple[Instance, ...] = ()  # the findings-free coverage scenarios

    @property
    def all_instances(self) -> tuple[Instance, ...]:
        return self.instances + self.scenarios


def place_vpcs(rng: random.Random) -> dict[tuple[str, str], tuple[str, str, str]]:
    """One VPC, network ACL and internet gateway per (account, region)."""
    return {
        (account["account_id"], region): (
            hex_id(rng, "vpc-"),
            hex_id(rng, "acl-"),
            hex_id(rng, "igw-"),
        )
        for account in ACCOUNTS
        for region in REGIONS
    }


def place_instance(rng: random.Random, inst: Instance, n: int, vpcs: Vpcs) -> Instance:
    """``inst`` with ids, addresses and launch time (the ``n``-th instance of the estate)."""
    vpc, acl, igw = vpcs[(inst.account, inst.region)]
    instance_id = hex_id(rng, "i-")
    image_id = hex_id(rng, "ami-")
    subnet_id = hex_id(rng, "subnet-")
    eni_id = hex_id(rng, "eni-")
    sg_id = hex_id(rng, "sg-")
    private_ip = f"10.{20 + n}.{rng.randint(0, 15)}.{rng.randint(10, 250)}"
    public_ip = None
    if inst.exposure == "internet":
        # Public addresses come from the RFC 5737 documentation ranges.
        public_ip = f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(10, 250)}"
    if inst.launched_hours_ago is not None:
        launched_at = AS_OF - timedelta(hours=inst.launched_hours_ago)
    else:
        launched_at = rand_between(rng, WINDOW_START, datetime(2026, 9, 30, tzinfo=timezone.utc))
    return replace(
        inst,
        instance_id=instance_id,
        image_id=image_id,
        vpc_id=vpc,
        acl_id=acl,
        subnet_id=subnet_id,
        eni_id=eni_id,
        sg_id=sg_id,
        gateway_id=igw,
        private_ip=private_ip,
        public_ip=public_ip,
        launched_at=launched_at,
    )


def place_image(rng: random.Random, img: Image) -> Image:
    return replace(
        img,
        digest="sha256:" + sha_hex("image", img.account, img.repository, img.tags[0]),
        pushed_at=rand_between(rng, WINDOW_START, datetime(2026, 10, 31, tzinfo=timezone.utc)),
        last_in_use_at=rand_between(rng, datetime(2026, 11, 15, tzinfo=timezone.utc), WINDOW_END),
        in_use_count=rng.randint(1, 6),
    )


def place_function(rng: random.Random, fn: Function) -> Function:
    return replace(
        fn,
        code_sha256=base64.b64encode(
            hashlib.sha256(f"{fn.account}/{fn.name}".encode()).digest()
        ).decode(),
        last_modified_at=rand_between(
            rng, WINDOW_START, datetime(2026, 10, 31, tzinfo=timezone.utc)
        ),
    )


def build_inventory(rng: random.Random) -> Estate:
    """Assign ids, addresses and dates, in a fixed order so the RNG stream is stable."""
    vpcs = place_vpcs(rng)
    # Each comprehension runs in order: the draws happen exactly as listed.
    instances = tuple(place_instance(rng, inst, n, vpcs) for n, inst in enumerate(INSTANCES))
    images = tuple(place_image(rng, img) for img in IMAGES)
    functions = tuple(place_function(rng, fn) for fn in FUNCTIONS)
    return Estate(instances=instances, images=images, functions=functions, vpcs=vpcs)


def build_scenarios(rng: random.Random, estate: Estate) -> Estate:
    """``estate`` with the coverage-scenario instances placed, from their own RNG.

    Called after the main stream is consumed; it reads nothing from that stream, so the
    original instances, images, functions and findings are unchanged by these instances.
    """
    start = len(estate.instances)
    scenarios = tuple(
        place_instance(rng, inst, n, estate.vpcs)
        for n, inst in enumerate(SCENARIO_INSTANCES, start=start)
    )
    return replace(estate, scenarios=scenarios)


def volume_sizes(inst: Instance) -> tuple[int, ...]:
    """Sizes in GiB: explicit, or a 30 GiB root (16 or the whole, if smaller) plus equal data."""
    if inst.volume_sizes:
        assert len(inst.volume_sizes) == inst.volumes, inst.name
        assert sum(inst.volume_sizes) == inst.volume_gib, inst.name
        return inst.volume_sizes
    if inst.volumes == 1:
        return (inst.volume_gib,)
    root = min(30, inst.volume_gib // inst.volumes)
    rest, data = inst.volume_gib - root, inst.volumes - 1
    base, extra = divmod(rest, data)
    return (root, *(base + (1 if i >= data - extra else 0) for i in range(data)))


def volume_list(inst: Instance) -> list[JSON]:
    """The EBS volumes; ids derive from the instance, not the RNG (the root volume first)."""
    fs = instance_filesystem(inst)
    return [
        {
            "volume_id": "vol-" + sha_hex("volume", inst.account, inst.name, str(i))[:17],
            "size_gib": size,
            "filesystem": fs,
        }
        for i, size in enumerate(volume_sizes(inst))
    ]


def inventory_at(inst: Instance) -> datetime:
    """When SSM last collected inventory (every 30 minutes while the agent answers)."""
    minutes = int(sha_hex("inventory", inst.account, inst.name), 16) % 30
    if inst.inventory_days is not None:
        days = inst.inventory_days
    elif inst.state != "running":
        days = 37  # stopped a while ago: nothing since
    elif inst.ssm != "Online":
        days = 19  # the agent lost its connection: inventory went stale
    elif inst.launched_hours_ago is not None:
        return inst.launched_at + timedelta(minutes=10 + minutes)
    else:
        return AS_OF - timedelta(minutes=6 + minutes)
    return AS_OF - timedelta(days=days, hours=3, minutes=minutes)


def ssm_document(inst: Instance) -> JSON | None:
    """What SSM reports (DescribeInstanceInformation and inventory); None when unmanaged."""
    if inst.ssm is None:
        return None
    name, version = OS_NAMES[inst.distro]
    pick = int(sha_hex("agent", inst.account, inst.name), 16) % len(SSM_AGENT_VERSIONS)
    return {
        "managed": True,
        "ping_status": inst.ssm,
        "platform_name": name,
        "platform_version": version,
        "last_inventory_at": iso(inventory_at(inst)),
        "agent_version": SSM_AGENT_VERSIONS[pick],
    }


def instance_tags(inst: Instance) -> dict[str, str]:
    tags = {
        "Name": inst.name,
        "Environment": next(a["environment"] for a in ACCOUNTS if a["account_id"] == inst.account),
    }
    tags.update(inst.extra_tags)
    if inst.excluded:
        tags["InspectorEc2Exclusion"] = "true"
    return dict(sorted(tags.items()))


def image_arn(img: Image) -> str:
    return f"arn:aws:ecr:{img.region}:{img.account}:repository/{img.repository}/{img.digest}"


def function_arn(fn: Function) -> str:
    return f"arn:aws:lambda:{fn.region}:{fn.account}:function:{fn.name}:$LATEST"


def machine_image_record(img: MachineImage) -> JSON:
    """One AMI: ids and dates derive from its name (no RNG), with what Inspector did with it."""
    digest = sha_hex("ami", img.account, img.region, img.name)
    on_demand: JSON | None = None
    if img.on_demand is not None:
        status, reason = img.on_demand
        started = datetime.fromisoformat(f"{img.created}T00:00:00+00:00")
        started = max(started, AS_OF - timedelta(days=int(digest[:2], 16) % 9 + 2, hours=5))
        on_demand = {
            # ScanId: [a-z0-9]+, 1-64 characters (the botocore model).
            "scanId": digest[17:49],
            "status": status,
            "reason": reason,
            "startedAt": iso(started),
            "completedAt": iso(started + timedelta(minutes=7 + int(digest[2:4], 16) % 20)),
        }
    return {
        "account": img.account,
        "region": img.region,
        "image_id": "ami-" + digest[:17],
        "name": img.name,
        "owner_account_id": img.account,
        "platform": img.platform,
        "architecture": img.architecture,
        "creation_date": f"{img.created}T00:00:00.000Z",
        "last_launched_at": f"{img.last_launched}T00:00:00.000Z" if img.last_launched else None,
        "state": "available",
        "is_public": False,
        "root_device_type": "ebs",
        "virtualization_type": "hvm",
        "source": img.source,
        "tags": dict(img.tags),
        "expected_continuous_scan": ami_continuously_scanned(img),
        "on_demand_scan": on_demand,
    }


def resources_document(estate: Estate) -> JSON:
    ec2 = []
    for inst in estate.all_instances:
        distro = distro_of(inst.distro)
        expected = expectation(inst)
        mode, reason = expected.scan_mode, expected.reason
        os_name, os_version = OS_NAMES[inst.distro]
        volumes = volume_list(inst)
        ec2.append(
            {
                "account": inst.account,
                "region": inst.region,
                "instance_id": inst.instance_id,
                "name": inst.name,
                "instance_type": inst.instance_type,
                "architecture": inst.arch,
                "image_id": inst.image_id,
                "platform": distro.platform,
                "os_family": distro.family,
                "state": inst.state,
                "ssm_managed": inst.ssm is not None,
                "ssm_ping_status": inst.ssm,
                "expected_scan_mode": mode,
                "expected_coverage_reason": reason,
                "has_findings": mode is not None and inst.scenario is None,
                "tags": instance_tags(inst),
                "root_device_type": inst.root_device,
                "volume_count": len(volumes),
                "total_volume_gib": sum(v["size_gib"] for v in volumes),
                "filesystem": instance_filesystem(inst),
                "internet_exposure": inst.exposure,
                "vpc_id": inst.vpc_id,
                "subnet_id": inst.subnet_id,
                "private_ip": inst.private_ip,
                "public_ip": inst.public_ip,
                "launch_time": iso(inst.launched_at),
                "os_name": os_name,
                "os_version": os_version,
                "ssm": ssm_document(inst),
                "volumes": volumes,
                "expected_status": expected.status,
                "expected_method": expected.method,
                "scenario": inst.scenario,
                # "manual": the Inspector VM Scanner installed by hand (no SSM needed).
                "vm_scanner": "manual" if inst.vm_scanner_manual else None,
            }
        )
    ecr = [
        {
            "account": img.account,
            "region": img.region,
            "repository": img.repository,
            "image_digest": img.digest,
            "image_arn": image_arn(img),
            "tags": list(img.tags),
            "platform": DISTROS[img.distro].platform,
            "architecture": img.architecture,
            "pushed_at": iso(img.pushed_at),
            "last_in_use_at": iso(img.last_in_use_at),
            "in_use_count": img.in_use_count,
        }
        for img in estate.images
    ]
    lam = [
        {
            "account": fn.account,
            "region": fn.region,
            "function_name": fn.name,
            "function_arn": function_arn(fn),
            "runtime": fn.runtime,
            "version": "$LATEST",
            "architectures": [fn.architecture],
            "package_type": "ZIP",
            "layers": list(fn.layers),
            "in_vpc": fn.in_vpc,
            "last_modified_at": iso(fn.last_modified_at),
            "code_scanning": True,
        }
        for fn in estate.functions
    ]
    return {
        "generated_by": "scripts/make_sample_estate.py",
        "synthetic": True,
        "as_of": "2026-11-22",
        "accounts": list(ACCOUNTS),
        "regions": list(REGIONS),
        "ec2_instances": ec2,
        "ecr_images": ecr,
        "lambda_functions": lam,
        "machine_images": [machine_image_record(img) for img in MACHINE_IMAGES],
    }
