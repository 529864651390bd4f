"""Inspector.inventory(): EC2 through moto, SSM through Stubber, Inspector through the loopback.

Every client is a real boto3 client: moto answers EC2 in-process (``mock_aws``), botocore's
Stubber answers SSM (moto implements neither DescribeInstanceInformation nor GetInventory)
and validates every stubbed response against the service model, and the loopback server
answers inspector2 over real HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber
from moto import mock_aws
from moto.ec2.models import ec2_backends

from inspector_kit import AccessDeniedError, FetchError, Inspector, PaginationError, _limits
from inspector_kit.coverage import (
    DeepInspectionSettings,
    Ec2Instance,
    ScanConfiguration,
    SsmStatus,
    Volume,
)
from inspector_kit.fetch import Progress
from inspector_kit.fetch import _inventory as inventory_module
from inspector_kit.fetch._inventory import os_from_image
from inspector_kit.testing import Faults, LoopbackDataset, LoopbackInspector

ACCOUNT = "123456789012"  # moto's default account, and the loopback's administrator
MEMBER = "111122223333"
EAST, WEST = "us-east-1", "eu-west-1"
WINDOWS_AMI = "ami-b7e93bce"  # moto: Windows_Server-2016-English-Full-Base-2017.10.13
AMZN1_AMI = "ami-760aaa0f"  # moto: amzn-ami-hvm-2017.09.1.20171103-x86_64-gp2
CAPTURED = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
INVENTORY_PARAMS = {"MaxResults": 50, "ResultAttributes": [{"TypeName": "AWS:InstanceInformation"}]}


# -- helpers --------------------------------------------------------------------------


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def ec2(region: str) -> Any:
    return boto3.client("ec2", region_name=region)


def launch(region: str, image_id: str, instance_type: str = "t3.micro", **kw: Any) -> str:
    tags = kw.pop("tags", None)
    if tags:
        kw["TagSpecifications"] = [
            {"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        ]
    response = ec2(region).run_instances(
        ImageId=image_id, MinCount=1, MaxCount=1, InstanceType=instance_type, **kw
    )
    return str(response["Instances"][0]["InstanceId"])


def described(region: str, instance_id: str) -> dict[str, Any]:
    page = ec2(region).describe_instances(InstanceIds=[instance_id])
    return dict(page["Reservations"][0]["Instances"][0])


def volume_ids(region: str, instance_id: str) -> list[str]:
    mappings = described(region, instance_id)["BlockDeviceMappings"]
    return [m["Ebs"]["VolumeId"] for m in sorted(mappings, key=lambda m: m["DeviceName"])]


def register(region: str, name: str, description: str = "") -> str:
    return str(ec2(region).register_image(Name=name, Description=description)["ImageId"])


def info(instance_id: str, **members: Any) -> dict[str, Any]:
    return {
        "InstanceId": instance_id,
        "PingStatus": "Online",
        "AgentVersion": "3.3.987.0",
        "ResourceType": "EC2Instance",
        **members,
    }


def entity(instance_id: str, captured: str = "2026-11-21T10:00:00Z") -> dict[str, Any]:
    return {
        "Id": instance_id,
        "Data": {
            "AWS:InstanceInformation": {
                "TypeName": "AWS:InstanceInformation",
                "SchemaVersion": "1.0",
                "CaptureTime": captured,
                "Content": [{"InstanceId": instance_id}],
            }
        },
    }


class Stubs:
    """Stubbed clients per (service, region), handed to inventory(clients=...)."""

    def __init__(self) -> None:
        self.clients: dict[tuple[str, str], Any] = {}
        self.stubbers: dict[tuple[str, str], Stubber] = {}

    def __call__(self, service: str, region: str) -> Any:
        return self.clients.get((service, region))

    def stub(self, service: str, region: str) -> Stubber:
        key = (service, region)
        if key not in self.stubbers:
            client = boto3.client(service, region_name=region)
            self.clients[key] = client
            self.stubbers[key] = Stubber(client)
            self.stubbers[key].activate()
        return self.stubbers[key]

    def ssm_silent(self, region: str) -> None:
        """SSM manages nothing in ``region``."""
        self.stub("ssm", region).add_response(
            "describe_instance_information", {"InstanceInformationList": []}, {"MaxResults": 50}
        )

    def done(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()
            stubber.deactivate()


def coverage_record(instance_id: str, account: str = ACCOUNT, **members: Any) -> dict[str, Any]:
    return {
        "resourceType": "AWS_EC2_INSTANCE",
        "resourceId": instance_id,
        "accountId": account,
        "scanType": "PACKAGE",
        "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
        "scanMode": "EC2_SSM_AGENT_BASED",
        **members,
    }


def config(mode: str, status: str = "SUCCESS") -> dict[str, Any]:
    return {"ec2Configuration": {"scanModeState": {"scanMode": mode, "scanModeStatus": status}}}


def dataset(
    coverage: dict[str, list[dict[str, Any]]] | None = None,
    *,
    configurations: dict[tuple[str, str], Any] | None = None,
    deep_inspection: dict[tuple[str, str], Any] | None = None,
    account_status: dict[tuple[str, str], Any] | None = None,
) -> LoopbackDataset:
    """The caller (ACCOUNT) is the administrator: hybrid, deep inspection on, enabled."""
    mine = [(ACCOUNT, EAST), (ACCOUNT, WEST)]
    return LoopbackDataset.from_findings(
        [],
        coverage=coverage or {},
        configurations={**dict.fromkeys(mine, config("EC2_HYBRID")), **(configurations or {})},
        deep_inspection={
            **{key: {"status": "ACTIVATED"} for key in mine},
            **(deep_inspection or {}),
        },
        account_status={**dict.fromkeys(mine, "ENABLED"), **(account_status or {})},
        administrator_account_id=ACCOUNT,
    )


def inspector(server: LoopbackInspector, regions: Any = (EAST, WEST), **kw: Any) -> Inspector:
    return Inspector(regions=list(regions), endpoint_url=server.endpoint_url, **kw)


# -- the whole picture ----------------------------------------------------------------


def test_multi_region_inventory_maps_every_field(aws: None) -> None:
    ubuntu = register(EAST, "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240101")
    web = launch(
        EAST,
        ubuntu,
        tags={"Name": "web", "team": "payments"},
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 12}},
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 50}},
        ],
    )
    win = launch(EAST, WINDOWS_AMI, "m5.large")
    mac_ami = register(WEST, "amzn-ec2-macos-14.3-20240123-061212-arm64", "macOS Sonoma 14.3")
    mac = launch(WEST, mac_ami, "mac2.metal")
    old = launch(WEST, AMZN1_AMI, "m5d.large")
    ec2(WEST).stop_instances(InstanceIds=[old])
    # moto always reports "ebs"; make this one an instance-store instance, as EC2 would
    # for an instance-store AMI.
    ec2_backends[ACCOUNT][WEST].get_instance(old).root_device_type = "instance-store"

    stubs = Stubs()
    east_ssm = stubs.stub("ssm", EAST)
    east_ssm.add_response(
        "describe_instance_information",
        {
            "InstanceInformationList": [
                info(web, PlatformName="Ubuntu", PlatformVersion="22.04"),
                info("mi-0123456789abcdef0", PlatformName="Ubuntu", PlatformVersion="20.04"),
            ]
        },
        {"MaxResults": 50},
    )
    east_ssm.add_response(
        "get_inventory",
        {"Entities": [entity(web), entity("mi-0123456789abcdef0")]},
        INVENTORY_PARAMS,
    )
    stubs.ssm_silent(WEST)

    data = dataset(
        coverage={
            EAST: [
                coverage_record(web),
                coverage_record("i-0member0000000001", MEMBER, scanMode="EC2_AGENTLESS"),
            ],
            WEST: [
                coverage_record(
                    mac, scanStatus={"statusCode": "INACTIVE", "reason": "UNMANAGED_EC2_INSTANCE"}
                )
            ],
        },
        configurations={
            (ACCOUNT, EAST): config("EC2_HYBRID"),
            (ACCOUNT, WEST): config("EC2_SSM_AGENT_BASED", "PENDING"),
        },
        deep_inspection={
            (ACCOUNT, EAST): {"status": "ACTIVATED", "packagePaths": ["/opt/app"]},
            (ACCOUNT, WEST): {"status": "DEACTIVATED"},
        },
        account_status={(ACCOUNT, WEST): "DISABLED"},
    )
    progress: list[Progress] = []
    before = datetime.now(timezone.utc)
    with LoopbackInspector(data) as server:
        inv = inspector(server).inventory(clients=stubs, on_progress=progress.append)
    stubs.done()

    assert inv.errors == ()
    web_raw, win_raw, mac_raw, old_raw = (
        described(EAST, web),
        described(EAST, win),
        described(WEST, mac),
        described(WEST, old),
    )
    web_vols, win_vols = volume_ids(EAST, web), volume_ids(EAST, win)
    mac_vols, old_vols = volume_ids(WEST, mac), volume_ids(WEST, old)
    expected = (
        Ec2Instance(
            web,
            account_id=ACCOUNT,
            region=EAST,
            state="running",
            platform="linux",
            os_name="Ubuntu",
            os_version="22.04",
            tags={"Name": "web", "team": "payments"},
            root_device_type="ebs",
            volumes=(Volume(web_vols[0], 12), Volume(web_vols[1], 50)),
            ssm=SsmStatus(
                managed=True,
                ping_status="Online",
                last_inventory_at=CAPTURED,
                agent_version="3.3.987.0",
            ),
            launched_at=web_raw["LaunchTime"],
            image_id=ubuntu,
            instance_type="t3.micro",
            os_source="ssm",
        ),
        Ec2Instance(
            win,
            account_id=ACCOUNT,
            region=EAST,
            state="running",
            platform="windows",
            os_name="Microsoft Windows Server 2016",
            os_version=None,
            root_device_type="ebs",
            volumes=(Volume(win_vols[0], 8),),
            ssm=SsmStatus(managed=False),
            launched_at=win_raw["LaunchTime"],
            image_id=WINDOWS_AMI,
            instance_type="m5.large",
            os_source="image",
        ),
        Ec2Instance(
            mac,
            account_id=ACCOUNT,
            region=WEST,
            state="running",
            platform="macos",
            os_name="macOS",
            os_version="14.3",
            root_device_type="ebs",
            volumes=(Volume(mac_vols[0], 8),),
            ssm=SsmStatus(managed=False),
            launched_at=mac_raw["LaunchTime"],
            image_id=mac_ami,
            instance_type="mac2.metal",
            os_source="image",
        ),
        Ec2Instance(
            old,
            account_id=ACCOUNT,
            region=WEST,
            state="stopped",
            platform="linux",
            os_name="Amazon Linux AMI",
            os_version="2017.09",
            root_device_type="instance-store",
            volumes=(Volume(old_vols[0], 8),),
            ssm=SsmStatus(managed=False),
            launched_at=old_raw["LaunchTime"],
            image_id=AMZN1_AMI,
            instance_type="m5d.large",
            os_source="image",
        ),
    )
    assert inv.instances == expected
    assert all(i.launched_at is not None and i.launched_at.tzinfo is timezone.utc for i in expected)
    assert all(v.filesystem is None for i in inv.instances for v in i.volumes)

    assert [(c.region, c.account_id, c.resource_id) for c in inv.coverage] == [
        (EAST, ACCOUNT, web),
        (EAST, MEMBER, "i-0member0000000001"),
        (WEST, ACCOUNT, mac),
    ]
    assert inv.configurations == {
        (ACCOUNT, EAST): ScanConfiguration("EC2_HYBRID", "SUCCESS"),
        (ACCOUNT, WEST): ScanConfiguration("EC2_SSM_AGENT_BASED", "PENDING"),
    }
    assert inv.deep_inspection == {
        (ACCOUNT, EAST): DeepInspectionSettings(activated=True, package_paths=["/opt/app"]),
        (ACCOUNT, WEST): DeepInspectionSettings(activated=False),
    }
    # The disabled account reads False (not None, not True); the member seen only in
    # coverage records is asked about too.
    assert inv.account_enabled == {
        (ACCOUNT, EAST): True,
        (MEMBER, EAST): True,
        (ACCOUNT, WEST): False,
    }
    assert inv.gathered_at is not None and before <= inv.gathered_at <= datetime.now(timezone.utc)
    assert sorted((p.region, p.items, p.regions_total, p.region_finished) for p in progress) == [
        (WEST, 2, 2, True),
        (EAST, 2, 2, True),
    ]
    assert progress[-1].total_items == 4 and progress[-1].regions_done == 2

    report = inv.analyze()
    assert [c.instance.instance_id for c in report.instances] == [web, win, mac, old]
    assert report[0].scan_mode == "EC2_HYBRID"


def test_inspector_calls_made_per_region(aws: None) -> None:
    web = launch(EAST, AMZN1_AMI)
    stubs = Stubs()
    stubs.ssm_silent(EAST)
    data = dataset(coverage={EAST: [coverage_record(web), coverage_record("i-0m", MEMBER)]})
    with LoopbackInspector(data) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    assert inv.errors == ()
    calls = [(r.operation, r.region, r.body) for r in server.requests]
    assert calls == [
        (
            "ListCoverage",
            EAST,
            {
                "maxResults": 200,
                "filterCriteria": {
                    "resourceType": [{"comparison": "EQUALS", "value": "AWS_EC2_INSTANCE"}]
                },
            },
        ),
        ("BatchGetAccountStatus", EAST, {}),
        ("BatchGetAccountStatus", EAST, {"accountIds": [MEMBER]}),
        ("GetConfiguration", EAST, {}),
        ("GetEc2DeepInspectionConfiguration", EAST, {}),
    ]


# -- pagination -----------------------------------------------------------------------


def test_instances_page_through_moto(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # moto pages DescribeInstances by reservation; 7 reservations at 5 a page = 2 pages.
    monkeypatch.setattr(inventory_module, "INSTANCES_PAGE", 5)
    ids = [launch(EAST, AMZN1_AMI) for _ in range(7)]
    stubs = Stubs()
    stubs.ssm_silent(EAST)
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    assert inv.errors == ()
    assert sorted(i.instance_id for i in inv.instances) == sorted(ids)
    assert all(len(i.volumes) == 1 for i in inv.instances)


def _instance(instance_id: str, image_id: str = "ami-0aaaaaaaaaaaaaaaa") -> dict[str, Any]:
    return {
        "InstanceId": instance_id,
        "ImageId": image_id,
        "InstanceType": "t3.micro",
        "State": {"Code": 16, "Name": "running"},
        "RootDeviceType": "ebs",
        "RootDeviceName": "/dev/xvda",
        "LaunchTime": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    }


def _volume(volume_id: str, instance_id: str, size: int, device: str) -> dict[str, Any]:
    return {
        "VolumeId": volume_id,
        "Size": size,
        "Attachments": [
            {
                "VolumeId": volume_id,
                "InstanceId": instance_id,
                "Device": device,
                "State": "attached",
            }
        ],
    }


def test_every_ec2_and_ssm_operation_pages_with_next_token() -> None:
    stubs = Stubs()
    ec2_stub, ssm_stub = stubs.stub("ec2", EAST), stubs.stub("ssm", EAST)
    ec2_stub.add_response(
        "describe_instances",
        {
            "Reservations": [{"OwnerId": ACCOUNT, "Instances": [_instance("i-1")]}],
            "NextToken": "r2",
        },
        {"MaxResults": 1000},
    )
    ec2_stub.add_response(  # an empty page with a token: keep going
        "describe_instances",
        {"Reservations": [], "NextToken": "r3"},
        {"MaxResults": 1000, "NextToken": "r2"},
    )
    ec2_stub.add_response(
        "describe_instances",
        {
            "Reservations": [
                {"OwnerId": ACCOUNT, "Instances": [_instance("i-2", "ami-0bbbbbbbbbbbbbbbb")]}
            ]
        },
        {"MaxResults": 1000, "NextToken": "r3"},
    )
    ec2_stub.add_response(
        "describe_volumes",
        {
            "Volumes": [
                _volume("vol-1b", "i-1", 100, "/dev/sdf"),
                _volume("vol-free", "i-elsewhere", 5, "/dev/sdf"),
            ],
            "NextToken": "v2",
        },
        {"MaxResults": 500},
    )
    ec2_stub.add_response(
        "describe_volumes",
        {
            "Volumes": [
                _volume("vol-1a", "i-1", 8, "/dev/xvda"),
                _volume("vol-2a", "i-2", 30, "/dev/xvda"),
            ]
        },
        {"MaxResults": 500, "NextToken": "v2"},
    )
    ssm_stub.add_response(
        "describe_instance_information",
        {"InstanceInformationList": [info("i-1")], "NextToken": "s2"},
        {"MaxResults": 50},
    )
    ssm_stub.add_response(
        "describe_instance_information",
        {
            "InstanceInformationList": [
                info("i-2", PlatformName="Amazon Linux", PlatformVersion="2023")
            ]
        },
        {"MaxResults": 50, "NextToken": "s2"},
    )
    ssm_stub.add_response(
        "get_inventory", {"Entities": [entity("i-1")], "NextToken": "g2"}, INVENTORY_PARAMS
    )
    ssm_stub.add_response(
        "get_inventory",
        {"Entities": [entity("i-2", "2026-11-01T00:00:00Z")]},
        {**INVENTORY_PARAMS, "NextToken": "g2"},
    )
    # i-1: SSM manages it but reports no OS, so its image is described (i-2's is not).
    ec2_stub.add_response(
        "describe_images",
        {"Images": [], "NextToken": "m2"},
        {
            "Filters": [{"Name": "image-id", "Values": ["ami-0aaaaaaaaaaaaaaaa"]}],
            "IncludeDeprecated": True,
            "IncludeDisabled": True,
            "MaxResults": 1000,
        },
    )
    ec2_stub.add_response(
        "describe_images",
        {
            "Images": [
                {
                    "ImageId": "ami-0aaaaaaaaaaaaaaaa",
                    "Name": "RHEL-9.4.0_HVM-20240423-x86_64-82-Hourly2-GP3",
                    "PlatformDetails": "Red Hat Enterprise Linux",
                }
            ]
        },
        {
            "Filters": [{"Name": "image-id", "Values": ["ami-0aaaaaaaaaaaaaaaa"]}],
            "IncludeDeprecated": True,
            "IncludeDisabled": True,
            "MaxResults": 1000,
            "NextToken": "m2",
        },
    )
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()

    assert inv.errors == ()
    one, two = inv.instances
    assert (one.instance_id, one.volumes) == ("i-1", (Volume("vol-1a", 8), Volume("vol-1b", 100)))
    assert (two.instance_id, two.volumes) == ("i-2", (Volume("vol-2a", 30),))
    assert (one.os_name, one.os_version, one.os_source) == (
        "Red Hat Enterprise Linux",
        "9.4",
        "image",
    )
    assert (two.os_name, two.os_version, two.os_source) == ("Amazon Linux", "2023", "ssm")
    assert one.ssm == SsmStatus(
        managed=True, ping_status="Online", last_inventory_at=CAPTURED, agent_version="3.3.987.0"
    )
    assert two.ssm is not None
    assert two.ssm.last_inventory_at == datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert one.launched_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


# -- failures are recorded, the rest goes on ------------------------------------------


def test_get_inventory_denied_marks_inventory_unchecked_and_records_the_error(aws: None) -> None:
    managed = launch(EAST, AMZN1_AMI)
    unmanaged = launch(EAST, AMZN1_AMI)
    stubs = Stubs()
    ssm_stub = stubs.stub("ssm", EAST)
    ssm_stub.add_response(
        "describe_instance_information",
        {
            "InstanceInformationList": [
                info(managed, PlatformName="Amazon Linux", PlatformVersion="2023")
            ]
        },
        {"MaxResults": 50},
    )
    ssm_stub.add_client_error(
        "get_inventory",
        service_error_code="AccessDeniedException",
        service_message="not authorized to perform: ssm:GetInventory",
        http_status_code=400,
        expected_params=INVENTORY_PARAMS,
    )
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()

    by_id = {i.instance_id: i for i in inv.instances}
    assert by_id[managed].ssm == SsmStatus(
        managed=True, ping_status="Online", agent_version="3.3.987.0", inventory_checked=False
    )
    assert by_id[unmanaged].ssm == SsmStatus(managed=False)
    (error,) = inv.errors
    assert isinstance(error, AccessDeniedError)
    assert (error.region, error.operation, error.code) == (
        EAST,
        "GetInventory",
        "AccessDeniedException",
    )
    assert "ssm:GetInventory" in str(error)


def test_ssm_denied_leaves_ssm_unknown_and_infers_the_os_from_the_image(aws: None) -> None:
    ubuntu = register(EAST, "my-base", "Canonical, Ubuntu, 24.04 LTS, amd64 noble image")
    instance = launch(EAST, ubuntu)
    stubs = Stubs()
    stubs.stub("ssm", EAST).add_client_error(
        "describe_instance_information",
        service_error_code="AccessDeniedException",
        service_message="denied",
        http_status_code=400,
    )
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    (only,) = inv.instances
    assert (only.instance_id, only.ssm) == (instance, None)
    assert (only.os_name, only.os_version, only.os_source) == ("Ubuntu", "24.04", "image")
    assert [(type(e), e.operation) for e in inv.errors] == [  # type: ignore[attr-defined]
        (AccessDeniedError, "DescribeInstanceInformation")
    ]


def test_ssm_silent_on_the_os_falls_back_to_the_image(aws: None) -> None:
    rocky = register(EAST, "Rocky-9-EC2-Base-9.3-20231113.0.x86_64", "Rocky Linux 9.3")
    instance = launch(EAST, rocky)
    stubs = Stubs()
    ssm_stub = stubs.stub("ssm", EAST)
    ssm_stub.add_response(
        "describe_instance_information",
        {"InstanceInformationList": [info(instance, PingStatus="ConnectionLost")]},
        {"MaxResults": 50},
    )
    ssm_stub.add_response("get_inventory", {"Entities": []}, INVENTORY_PARAMS)
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    (only,) = inv.instances
    assert (only.os_name, only.os_version, only.os_source) == ("Rocky Linux", "9", "image")
    # Managed, inventory read, and none found: a checked "no inventory".
    assert only.ssm == SsmStatus(
        managed=True, ping_status="ConnectionLost", agent_version="3.3.987.0"
    )
    assert inv.errors == ()


def test_ec2_denied_in_one_region_is_an_error_and_the_other_region_still_returns(
    aws: None,
) -> None:
    east = launch(EAST, AMZN1_AMI)
    launch(WEST, AMZN1_AMI)  # never seen: the region's EC2 is denied
    stubs = Stubs()
    stubs.ssm_silent(EAST)
    stubs.stub("ec2", WEST).add_client_error(
        "describe_instances",
        service_error_code="UnauthorizedOperation",
        service_message="You are not authorized to perform this operation.",
        http_status_code=403,
        expected_params={"MaxResults": 1000},
    )
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server).inventory(clients=stubs)
    stubs.done()

    assert [(i.instance_id, i.region) for i in inv.instances] == [(east, EAST)]
    (error,) = inv.errors
    assert isinstance(error, AccessDeniedError)
    assert (error.region, error.operation, error.code, error.status) == (
        WEST,
        "DescribeInstances",
        "UnauthorizedOperation",
        403,
    )
    assert "ec2:DescribeInstances in eu-west-1" in str(error)
    # Inspector's side of the denied region was still read.
    assert inv.configurations[(ACCOUNT, WEST)] == ScanConfiguration("EC2_HYBRID")
    assert inv.account_enabled[(ACCOUNT, WEST)] is True


def test_strict_raises_the_first_error() -> None:
    stubs = Stubs()
    stubs.stub("ec2", EAST).add_client_error(
        "describe_instances", service_error_code="UnauthorizedOperation", http_status_code=403
    )
    with LoopbackInspector(dataset()) as server, pytest.raises(AccessDeniedError) as info_:
        inspector(server, [EAST]).inventory(clients=stubs, strict=True)
    assert (info_.value.region, info_.value.operation) == (EAST, "DescribeInstances")


def test_inspector_denied_in_a_region_reads_as_unknown_not_disabled(aws: None) -> None:
    east, west = launch(EAST, AMZN1_AMI), launch(WEST, AMZN1_AMI)
    stubs = Stubs()
    stubs.ssm_silent(EAST)
    stubs.ssm_silent(WEST)
    data = dataset(coverage={EAST: [coverage_record(east)], WEST: [coverage_record(west)]})
    with LoopbackInspector(data, faults=Faults(deny_regions={WEST})) as server:
        inv = inspector(server).inventory(clients=stubs)
    stubs.done()
    assert [i.instance_id for i in inv.instances] == [east, west]
    assert [c.resource_id for c in inv.coverage] == [east]
    assert inv.account_enabled == {(ACCOUNT, EAST): True, (ACCOUNT, WEST): None}
    assert set(inv.configurations) == {(ACCOUNT, EAST)}
    assert [(e.region, e.operation, e.code) for e in inv.errors] == [  # type: ignore[attr-defined]
        (WEST, "ListCoverage", "AccessDeniedException"),
        (WEST, "BatchGetAccountStatus", "AccessDeniedException"),
        (WEST, "GetConfiguration", "AccessDeniedException"),
        (WEST, "GetEc2DeepInspectionConfiguration", "AccessDeniedException"),
    ]
    assert all(isinstance(e, AccessDeniedError) for e in inv.errors)


def test_coverage_paged_only_part_way_contributes_no_records(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The analysis takes a region's records as complete: a partial list must not pass.
    monkeypatch.setattr(_limits, "COVERAGE_PAGE", 1)
    east = launch(EAST, AMZN1_AMI)
    stubs = Stubs()
    stubs.ssm_silent(EAST)
    data = dataset(
        coverage={EAST: [coverage_record(east), coverage_record("i-2"), coverage_record("i-3")]}
    )
    faults = Faults(repeat_token=True, operations={"ListCoverage"})
    with LoopbackInspector(data, faults=faults) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    assert inv.coverage == ()
    (error,) = inv.errors
    assert isinstance(error, PaginationError)
    assert (error.region, error.operation, error.code) == (
        EAST,
        "ListCoverage",
        "RepeatedNextToken",
    )
    assert [i.instance_id for i in inv.instances] == [east]


def test_disabled_account_is_false_and_an_unreported_account_is_none_with_an_error() -> None:
    stubs = Stubs()
    ec2_stub = stubs.stub("ec2", EAST)
    ec2_stub.add_response(
        "describe_instances",
        {"Reservations": [{"OwnerId": "444455556666", "Instances": [_instance("i-1")]}]},
    )
    ec2_stub.add_response("describe_volumes", {"Volumes": []})
    stubs.ssm_silent(EAST)
    ec2_stub.add_response("describe_images", {"Images": []})
    data = dataset(
        coverage={EAST: [coverage_record("i-9", MEMBER)]},
        account_status={(ACCOUNT, EAST): "DISABLED", (MEMBER, EAST): "ENABLED"},
    )
    with LoopbackInspector(data) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    assert inv.account_enabled == {
        (ACCOUNT, EAST): False,
        (MEMBER, EAST): True,
        ("444455556666", EAST): None,
    }
    (error,) = inv.errors
    assert isinstance(error, FetchError)
    assert (error.region, error.operation, error.code, error.account) == (
        EAST,
        "BatchGetAccountStatus",
        "RESOURCE_NOT_FOUND",
        "444455556666",
    )
    # EC2 lists only the caller's instances: their owner keys the configuration.
    assert set(inv.configurations) == {("444455556666", EAST)}


def test_a_region_without_instances_asks_only_inspector(aws: None) -> None:
    stubs = Stubs()  # no SSM stub: a call to SSM would fail the test
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server, [EAST]).inventory(clients=stubs)
    stubs.done()
    assert (inv.instances, inv.errors) == ((), ())
    assert inv.account_enabled == {(ACCOUNT, EAST): True}
    assert inv.configurations == {(ACCOUNT, EAST): ScanConfiguration("EC2_HYBRID")}


# -- clients --------------------------------------------------------------------------


def test_default_clients_share_the_session_and_config_but_not_the_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:9")
    session = boto3.Session(region_name=EAST)
    facade = Inspector(
        session,
        regions=[EAST],
        endpoint_url="http://127.0.0.1:8",
        config=Config(retries={"mode": "adaptive"}, user_agent_extra="my-tool/1"),
    )
    ec2_client = facade._core.services.get("ec2", WEST)
    ssm_client = facade._core.services.get("ssm", WEST)
    assert facade._core.services.session is session
    assert ec2_client.meta.region_name == WEST
    assert ec2_client.meta.endpoint_url == "https://ec2.eu-west-1.amazonaws.com"
    assert ssm_client.meta.endpoint_url == "http://127.0.0.1:9"  # botocore's own setting
    cfg = ec2_client.meta.config
    # botocore turns max_attempts 12 into total_max_attempts 13 on the client.
    assert cfg.retries == {"mode": "adaptive", "total_max_attempts": 13}
    assert cfg.user_agent_extra.startswith("my-tool/1 inspector-kit/")
    assert facade.client().meta.config.retries == cfg.retries
    assert facade.client().meta.endpoint_url == "http://127.0.0.1:8"


# -- OS from the image ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description", "details", "expected"),
    [
        ("al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64", None, None, ("Amazon Linux", "2023")),
        ("amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2", None, None, ("Amazon Linux", "2")),
        (
            "amazon-eks-node-1.29-v20240213",
            "EKS Kubernetes Worker AMI with AmazonLinux2 image",
            None,
            ("Amazon Linux", "2"),
        ),
        ("amazon-eks-node-al2023-x86_64-standard-1.30", None, None, ("Amazon Linux", "2023")),
        (
            "amzn-ami-hvm-2018.03.0.20231218.0-x86_64-gp2",
            None,
            None,
            ("Amazon Linux AMI", "2018.03"),
        ),
        (
            "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240101",
            None,
            None,
            ("Ubuntu", "22.04"),
        ),
        ("x", "Canonical, Ubuntu, 20.04 LTS, amd64 focal image", None, ("Ubuntu", "20.04")),
        (
            "Windows_Server-2022-English-Full-Base-2024.01.16",
            None,
            "Windows",
            ("Microsoft Windows Server 2022", None),
        ),
        (
            "RHEL-8.6.0_HVM-20220503-x86_64-2-Hourly2-GP2",
            None,
            None,
            ("Red Hat Enterprise Linux", "8.6"),
        ),
        ("suse-sles-15-sp5-v20240101-hvm-ssd-x86_64", None, None, ("SLES", "15.5")),
        ("x", "SUSE Linux Enterprise Server 15 SP6 (HVM)", None, ("SLES", "15")),
        ("debian-12-amd64-20240102-1614", None, None, ("Debian GNU/Linux", "12")),
        ("AlmaLinux OS 9.3.20231124 x86_64", None, None, ("AlmaLinux", "9.3")),
        ("OL8.9-x86_64-HVM-2024-02-02", None, None, ("Oracle Linux Server", "8.9")),
        ("CentOS-7-2111-20220825_1.x86_64", None, None, ("CentOS", "7")),
        ("Fedora-Cloud-Base-39-1.5.x86_64-hvm-us-east-1-gp3-0", None, None, ("Fedora", "39")),
        (
            "bottlerocket-aws-k8s-1.29-x86_64-v1.19.2-29cc92cc",
            None,
            None,
            ("Bottlerocket", "1.19.2"),
        ),
        ("amzn-ec2-macos-14.3-20240123-061212-arm64", None, None, ("macOS", "14.3")),
        ("golden", "our base image", "SUSE Linux", ("SLES", None)),
        ("golden", "our base image", "Linux/UNIX", (None, None)),
        (None, None, None, (None, None)),
    ],
)
def test_os_from_image(
    name: str | None, description: str | None, details: str | None, expected: tuple[Any, Any]
) -> None:
    assert os_from_image(name, description, details) == expected
